"""Resolution of scanned citations to canonical acts: omitted years, aliases, restatements, URNs.

See :mod:`ingest.citations` for the policies; this module implements them over :class:`Hit`s.
"""

from __future__ import annotations

import re

from ingest import norm_grammar as g
from ingest.model import Document
from ingest.norm_hits import AGENCIES, CODES, DELIBERATIONS, FAMILIES, MINISTERIAL, NORMATTIVA, REGIONAL, STATE_PRIMARY, Hit
from ingest.norm_scan import attach_article
from ontology.model import Citation
from ontology.norms import MINISTRY_URN, Norm, Registry

# -- aliases -----------------------------------------------------------------------------------
_ACCENTS = {"a": "[aàá]", "e": "[eèé&]", "i": "[iìí]", "o": "[oòó]", "u": "[uùú]"}
_BASE = {"à": "a", "á": "a", "è": "e", "é": "e", "ì": "i", "í": "i", "ò": "o", "ó": "o", "ù": "u", "ú": "u"}


def _alias_regex(reg: Registry) -> tuple[re.Pattern[str], list[tuple[str, Norm]]]:
    """One alternation of every text/article alias (longest first); group ``aN`` is entry N."""
    cached = reg.cache.get("alias_regex")
    if cached is not None:
        return cached  # type: ignore[return-value]
    alts, entries = [], []
    for a, norm in reg.aliases(("text", "article")):
        parts = []
        for ch in a.alias:
            low = ch.lower()
            if ch.isspace():
                parts.append(r"[\s*_]+")
            elif ch in "'’":
                parts.append(r"['’]\s*")
            elif low in _BASE:
                parts.append(_ACCENTS[_BASE[low]])
            else:
                parts.append(re.escape(ch))
        body = "".join(parts)
        if not a.alias.replace(".", "").isupper():
            body = f"(?i:{body})"
        alts.append(f"(?P<a{len(entries)}>{body})")
        entries.append((a.match, norm))
    firsts = {ch for a, _ in reg.aliases(("text", "article")) for ch in (a.alias[0].lower(), a.alias[0].upper())}
    first = "".join(sorted(re.escape(ch) for ch in firsts))  # a cheap first-character filter
    rx = re.compile(rf"(?<![\w])(?=[{first}])(?:" + "|".join(alts) + r")(?![\w])")
    reg.cache["alias_regex"] = (rx, entries)
    return rx, entries


def alias_hits(text: str, reg: Registry, explicit: list[Hit]) -> list[Hit]:
    """Acts named by a registry alias ("TUEL", "art. 55 CTS") outside the explicit citations' spans."""
    taken = [(h.start, h.end) for h in explicit]
    found: list[Hit] = []
    rx, entries = _alias_regex(reg)
    for m in rx.finditer(text):
        mode, norm = entries[int((m.lastgroup or "a0")[1:])]
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        h = Hit(start=m.start(), end=m.end(), family="alias", alias=m.group(0), norm=norm, norm_id=norm.norm_id)
        attach_article(h, text, 0)
        if mode == "article" and h.article is None:
            continue
        taken.append((h.start, h.end))
        found.append(h)
    return found


_TITLE_GAP = re.compile(r"[\s,.:;“”\"'«»*()\-–]*")


def merge_aliases(text: str, explicit: list[Hit], aliases: list[Hit]) -> list[Hit]:
    """Drop aliases that are the title of an act just cited; fuse "Codice ... di cui al D.lgs. 117/2017"."""
    keep = []
    for a in aliases:
        after = next((e for e in explicit if e.start >= a.end and e.start - a.end <= 40 and e.norm_id == a.norm_id), None)
        if after and re.fullmatch(r"[\s,(]*(?:(?i:di\s+cui\s+al(?:la|l['’])?|ex|ovvero|cioè)\s*)?", text[a.end : after.start]):
            after.start = a.start
            after.alias = a.alias
            if after.article is None:
                after.article, after.comma, after.letter = a.article, a.comma, a.letter
            continue
        before = [e for e in explicit if e.end <= a.start and a.start - e.end <= 160]
        gap = text[before[-1].end : a.start] if before else ""
        if before and before[-1].norm_id == a.norm_id and ("\n" not in gap or _TITLE_GAP.fullmatch(gap)):
            continue  # the act's title, on its line or on the next one
        keep.append(a)
    return keep


# -- resolution --------------------------------------------------------------------------------
# Acts whose text names no authority ("Decreto 30 giugno 2022, n. 132"): the document may name it elsewhere.
_UNQUALIFIED = ("decsa", "regsa", "delibsa")


def learn_from_document(hits: list[Hit]) -> None:
    """What a document's fuller citations teach its shorter ones (a per-document registry).

    - An act without authority ("Decreto 30 giugno 2022, n. 132") whose year and number the
      document cites under exactly one qualified family ("D.M. n. 132/2022") is that act
      (flag ``type_from_document``).
    - A ministerial decree without its ministry ("D.M. 22 marzo 2006") takes the ministry of the
      one decree of that date (or year and number) that the document names ("Decreto del Ministro
      del Lavoro ... 22 marzo 2006"; flag ``ministry_from_document``).
    - A regional act without a stated region takes the region stated by another citation of the
      same act type, number and year in the document ("legge della Regione Toscana 24 febbraio
      2005, n. 41" ... "l.r. 41/2005"; flag ``region_from_document``).
    """
    qualified: dict[tuple[int, str], set[tuple[str, str | None]]] = {}
    stated: dict[tuple[str, int, str], set[str]] = {}
    ministries: dict[tuple[str, str], set[str]] = {}
    for h in hits:
        if h.family in MINISTERIAL and h.ministry and (h.number or h.date):
            ministries.setdefault((h.family, f"{h.year}:{h.number}" if h.number else h.date or ""), set()).add(h.ministry)
    for h in hits:
        if h.family in MINISTERIAL and not h.ministry and (h.number or h.date):
            named = ministries.get((h.family, f"{h.year}:{h.number}" if h.number else h.date or ""), set())
            if len(named) == 1:
                h.ministry = next(iter(named))
                h.flags.append("ministry_from_document")
    for h in hits:
        if not (h.number and h.year):
            continue
        if h.family not in _UNQUALIFIED and not (h.family == "circm" and not h.ministerial and not h.agency):
            qualified.setdefault((h.year, h.number), set()).add((h.family, h.ministry))
        if h.family in REGIONAL and h.region and "region_stated" in h.flags:
            stated.setdefault((h.family, h.year, h.number), set()).add(h.region)
    for h in hits:
        if not (h.number and h.year):
            continue
        fams = qualified.get((h.year, h.number), set())
        if h.family in _UNQUALIFIED and len(fams) == 1:
            h.family, h.ministry = next(iter(fams))
            h.ministerial = h.family in MINISTERIAL
            h.flags.append("type_from_document")
        regions = stated.get((h.family, h.year, h.number), set())
        if h.family in REGIONAL and "region_stated" not in h.flags and len(regions) == 1 and h.region not in regions:
            h.region = next(iter(regions))
            h.flags.append("region_from_document")


def _recall_by_date(hits: list[Hit]) -> None:
    """A numbered kind of act recalled by its date ("la legge 8 novembre 2000", or a date cut by the
    end of the text, "Legge 8 novembre 20") takes the number of the one act of that family and date
    the document cites in full; with none or several it stays unresolved (and is dropped)."""
    full = [h for h in hits if h.family != "alias" and h.number and h.date]
    for h in hits:
        if "recalled_by_date" not in h.flags or h.number:
            continue
        pattern = h.date_cut or h.date or ""
        acts = {(o.number, o.year, o.date) for o in full if o.key_family() == h.key_family() and o.date and _date_fits(o.date, pattern)}
        if len(acts) == 1:
            h.number, h.year, h.date = next(iter(acts))
            h.flags.append("number_from_document")


def _date_fits(date: str, pattern: str) -> bool:
    return len(date) == len(pattern) and all(p in ("?", d) for d, p in zip(date, pattern))


def resolve_hits(hits: list[Hit], reg: Registry, *, lenient: bool = False) -> list[Hit]:
    """Give each hit its norm_id (filling omitted years), registry act and derived fields.

    A weak hit ("San Zenone al L. 68") takes its year only from the same document, unless
    ``lenient`` (a query typed by a person, where "L. 328" can only mean a norm).
    """
    learn_from_document(hits)
    _recall_by_date(hits)
    known: dict[tuple[str, str], set[int]] = {}
    for h in hits:
        if h.family != "alias" and h.number and h.year:
            known.setdefault((h.key_family(), h.number), set()).add(h.year)
    out = []
    for h in hits:
        if h.family == "alias":
            out.append(h)
            continue
        fam = h.key_family()
        if "recalled_by_date" in h.flags and not h.number:
            continue  # a law recalled by a date that no full citation of the document explains
        if h.family in CODES:
            h.norm_id = fam
        elif h.year is None and h.legislature and h.number:
            n = reg.find_dgr(fam, h.legislature, h.number)
            years = known.get((fam, h.number), set())
            if n:
                h.year = n.year
                h.flags.append("year_inferred")
            elif len(years) == 1:
                h.year = next(iter(years))
                h.flags.append("year_inferred")
            h.norm_id = f"{fam}:{h.year}:{h.number}" if h.year else f"{fam}:{h.legislature}:{h.number}"
            if not h.year:
                h.flags.append("year_unknown")
        elif h.year is None and h.number:
            years = known.get((fam, h.number), set())
            if len(years) == 1:
                h.year = next(iter(years))
            else:
                cands = reg.find(fam, h.number)
                if len(cands) != 1 or cands[0].year is None or (h.weak and not lenient):
                    continue  # an act without year that nothing identifies: not a citation we can resolve
                h.year = cands[0].year
            h.flags.append("year_inferred")
            h.norm_id = f"{fam}:{h.year}:{h.number}"
        elif h.number is None and h.date:
            h.norm_id = f"{fam}:{h.date}"
        elif h.number and h.year:
            h.norm_id = f"{fam}:{h.year}:{h.number}"
        else:
            continue
        if h.family in STATE_PRIMARY and h.number and h.year and reg.get(h.norm_id) is None:
            _correct_type(h, reg, known)
        h.norm = reg.get(h.norm_id)
        out.append(h)
    return out


def _correct_type(h: Hit, reg: Registry, known: dict[tuple[str, str], set[int]]) -> None:
    for other in STATE_PRIMARY:
        if other == h.family:
            continue
        oid = f"{other}:{h.year}:{h.number}"
        if reg.get(oid) is not None or h.year in known.get((other, h.number or ""), set()):
            h.flags.append("type_corrected")
            h.family, h.norm_id = other, oid
            return


def _urn(h: Hit, act_type: str, authority: str, norm: Norm | None) -> str:
    if norm:
        return norm.nir_urn  # one act, one URN, whatever the citation says
    if h.family in MINISTERIAL and authority == "stato":  # a ministerial act: the ministries are the authority
        codes = (h.ministry or "").split("+") if h.ministry else []
        authority = "+".join(MINISTRY_URN.get(c, f"ministero.{c}") for c in codes) or "ministero"
    date = h.date
    when = date or (str(h.year) if h.year else "")
    num = h.number or ""
    if act_type.startswith("deliberazione.") and h.legislature and num:
        num = f"{h.legislature}-{num}"
    return f"urn:nir:{authority}:{act_type}:{when}" + (f";{num}" if num else "")


def citation_of(h: Hit, doc: Document) -> Citation:
    """The Citation of a resolved hit: act type, authority, URN, Normattiva link, raw span and flags."""
    norm = h.norm
    if h.family == "alias" and norm:
        act_type, authority = norm.act_type, norm.authority
        h.year, h.number, h.date, h.legislature = norm.year, norm.number, norm.date, norm.legislature
    else:
        act_type, authority = FAMILIES[h.family]
        if authority is None:
            authority = f"regione.{h.region}" if h.region else "regione"
        elif h.family == "lp":
            authority = f"provincia.{h.region}" if h.region else "provincia"
        elif h.family in MINISTERIAL and (h.ministry or h.ministerial):
            authority = "stato"
        elif h.family == "circm" and h.agency:
            authority = AGENCIES.get(h.agency, h.agency)
        if h.family in CODES and norm:  # a code is one act: its year, number and date are the registry's
            h.year, h.number, h.date = norm.year, norm.number, norm.date
    if h.family in DELIBERATIONS and not h.legislature and authority == "regione.lombardia":
        h.legislature = (norm.legislature if norm else None) or g.legislature_of(h.date, h.year)
        if h.legislature:
            h.flags.append("legislature_inferred")
    date = h.date or (norm.date if norm else None)
    rs, re_ = doc.raw_span(h.start, h.end)
    flags = list(dict.fromkeys(h.flags))
    if "ocr_repaired" not in flags and any(e.start < re_ and rs < e.end for e in doc.edits):
        flags.append("ocr_repaired")
    if "\n" in doc.raw_text[rs:re_]:
        flags.append("split_line")
    urn = _urn(h, act_type, authority, norm)
    normattiva = None
    if authority == "stato" and h.family not in MINISTERIAL:
        normattiva = NORMATTIVA + urn + (f"~art{h.article.split(',')[0].split()[0].split('-')[0]}" if h.article else "")
    return Citation(
        norm_id=h.norm_id or "",
        raw=doc.raw_text[rs:re_],
        authority=authority,
        act_type=act_type,
        year=h.year,
        number=h.number,
        date=date,
        legislature=h.legislature,
        article=h.article,
        comma=h.comma,
        letter=h.letter,
        urn=urn,
        normattiva=normattiva,
        title=norm.title if norm else None,
        alias=h.alias,
        flags=flags,
        prov=doc.provenance(rs, re_),
    )


_OPEN_PAREN = re.compile(r"[ \t]*\([ \t]*")
_CLOSE_PAREN = re.compile(r"[ \t]*\)")


def merge_restatements(text: str, hits: list[Hit]) -> list[Hit]:
    """One act written in full and then abbreviated in brackets, "legge regionale 8 luglio 2016 n. 16
    (L.R.16/2016)", is one citation: the bracket restates the act, it does not cite it again."""
    out: list[Hit] = []
    for h in hits:
        prev = out[-1] if out else None
        if prev and prev.norm_id == h.norm_id and _OPEN_PAREN.fullmatch(text, prev.end, h.start):
            close = _CLOSE_PAREN.match(text, h.end)
            if close:
                prev.end = close.end()
                prev.article = prev.article or h.article
                prev.comma, prev.letter = prev.comma or h.comma, prev.letter or h.letter
                continue
        out.append(h)
    return out
