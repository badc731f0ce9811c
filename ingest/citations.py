"""Extraction of Italian normative citations, each resolved to one canonical act (a Norm).

A citation is read by a deterministic grammar (:mod:`ingest.norm_grammar`): an act head ("L.R.",
"D.Lgs.", "Deliberazione di Giunta Regionale", "c.p.c."...), a tail with number, year or date
("3/2008", "n° 3 del 12 marzo 2008", "8 novembre 2000 n° 328", "XI/4563"), and optional article
parts before ("art. 18, comma 10, della") or after ("all'art. 18 c. 7"). Acts named only by an alias
of the registry (``ontology/norms.json``: "TUEL", "Codice del Terzo Settore") are recognised too.

Identity (``norm_id``) follows the gold scheme and is deterministic: ``legge:2000:328``,
``legge.costituzionale:2001:3``, ``lr.lombardia:2008:3``, ``rr.lombardia:2017:4`` (regional
regulation), ``dlgs:2000:267``, ``dl:2019:4``, ``dpr:1990:309``, ``dpcm:2013:159`` (or
``dpcm:2017-01-12`` without number), ``dm.mlps:2021:450`` (or ``dm.mlps:2021-10-22``),
``dgr.lombardia:2021:4563``, ``dcr.lombardia:2023:42``, ``decreto.lombardia:2021-09-17``,
``circolare.lombardia:2018:9``, ``reg.ue:2016:679``, ``codice.civile``, ``codice.procedura.civile``,
``costituzione``. Acts are never merged by similarity: DGR XI/4563 and XI/4562 stay two acts.

Policies:

- Year omitted ("L.328", "l.r. 23"): the year comes from a citation of the same act type and number
  with a year in the same document, else from the registry when it knows exactly one such act
  (flag ``year_inferred``); otherwise the mention is dropped (the act cannot be identified).
- Deliberations (DGR/DCR) without year ("DGR XI/4563"): year from the registry by legislature and
  number, else from the same document, else the id keeps the legislature in place of the year,
  ``dgr.lombardia:XI:4563`` (flag ``year_unknown``): DGR numbers restart with each legislature, so
  legislature + number is still a unique identity.
- Evident year typos ("DGR 5557/32021", "DGR 2609/019") are read as the evident year (2021, 2019) with
  flag ``suspected_typo``; two-digit years ("4563/21") are expanded.
- State primary acts (leggi, decreti legislativi, decreti-legge, DPR) share one yearly numbering, so
  a year+number that the registry or the same document knows under another of these types is a
  mislabelled type ("legge 267/2000" for D.Lgs. 267/2000): resolved to that act, flag ``type_corrected``.
- A bare "Deliberazione n. XI/4563" (legislature/number, no body named) is read as a DGR (flag
  ``type_inferred``); a bare "Deliberazione n. 15 del 08/10/2009" is a local act and is skipped.
- Several numbers under one head ("L.R. 3/2008 e 23/2015") are several citations, each with its own
  year or legislature; a bare "L. 68" (one-letter head, no year, no article) takes its year only from
  the same document, never from the registry alone ("San Zenone al L. 68 abitanti").
- OCR damage ("I.r.", "Ir", "d. Igs.", "DIgs.") is read as the intended form (flag ``ocr_repaired``,
  also set when the span overlaps a repair of ``Document.edits``).

URNs are URN:NIR act identifiers (act level, no partition): ``urn:nir:stato:legge:2000-11-08;328``
when the date is known (from the text or the registry), ``urn:nir:stato:legge:2000;328`` otherwise;
deliberations carry the legislature in the number,
``urn:nir:regione.lombardia:deliberazione.giunta.regionale:2021-04-19;XI-4563``; ministerial decrees
name the ministry as authority (``urn:nir:ministero.lavoro.politiche.sociali:decreto:2021-12-09;450``).
``normattiva`` links national acts (``https://www.normattiva.it/uri-res/N2Ls?<urn>``, with ``~artN``
when an article is cited).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ingest import norm_grammar as g
from ingest.model import Document
from ontology.model import Citation, Provenance
from ontology.norms import MINISTRY_URN, Norm, Registry, load_registry

NORMATTIVA = "https://www.normattiva.it/uri-res/N2Ls?"
# family -> (act_type, URN authority; None for "regione.<region>", "" for an act without authority)
FAMILIES: dict[str, tuple[str, str | None]] = {
    "legge": ("legge", "stato"),
    "dl": ("decreto.legge", "stato"),
    "dlgs": ("decreto.legislativo", "stato"),
    "dpr": ("decreto.del.presidente.della.repubblica", "stato"),
    "dpcm": ("decreto.del.presidente.del.consiglio.dei.ministri", "stato"),
    "dm": ("decreto", "stato"),
    "lcost": ("legge.costituzionale", "stato"),
    "rd": ("regio.decreto", "stato"),
    "rdl": ("regio.decreto.legge", "stato"),
    "rdlgs": ("regio.decreto.legislativo", "stato"),
    "dlt": ("decreto.luogotenenziale", "stato"),
    "dlgslgt": ("decreto.legislativo.luogotenenziale", "stato"),
    "dllgt": ("decreto.legge.luogotenenziale", "stato"),
    "dcps": ("decreto", "capo.provvisorio.stato"),
    "dlcps": ("decreto.legislativo", "capo.provvisorio.stato"),
    "dcg": ("decreto", "capo.governo"),
    "dlgspres": ("decreto.legislativo", "presidente.repubblica"),
    "opcm": ("ordinanza", "presidente.consiglio.ministri"),
    "om": ("ordinanza", "stato"),
    "rm": ("regolamento", "stato"),
    "circm": ("circolare", ""),
    "cipe": ("deliberazione", "comitato.interministeriale.programmazione.economica"),
    "dd": ("decreto", "direzione"),
    "tu": ("testo.unico", "stato"),
    "decsa": ("decreto", ""),
    "regsa": ("regolamento", ""),
    "delibsa": ("deliberazione", ""),
    "dic": ("determinazione.intercommissariale", ""),
    "lr": ("legge", None),
    "lp": ("legge", "provincia"),
    "rr": ("regolamento", None),
    "dgr": ("deliberazione.giunta.regionale", None),
    "dcr": ("deliberazione.consiglio.regionale", None),
    "dpgr": ("decreto.presidente.giunta.regionale", None),
    "decreg": ("decreto", None),
    "circ": ("circolare", None),
    "statuto": ("statuto", None),
    "reg": ("regolamento", "unione.europea"),
    "cc": ("codice.civile", "stato"),
    "cpc": ("codice.procedura.civile", "stato"),
    "cp": ("codice.penale", "stato"),
    "cpp": ("codice.procedura.penale", "stato"),
    "cost": ("costituzione", "stato"),
}
# norm_id prefix of the families whose id is not the family name itself
ID_PREFIX = {
    "lcost": "legge.costituzionale", "dlgspres": "dlgs.presidenziale", "tu": "testo.unico", "reg": "reg.ue",
    "decsa": "decreto.sa", "regsa": "regolamento.sa", "delibsa": "deliberazione.sa", "circm": "circolare.sa",
}  # fmt: skip
STATE_PRIMARY = ("legge", "dlgs", "dl", "dpr")
DELIBERATIONS = ("dgr", "dcr")
REGIONAL = ("lr", "rr", "dgr", "dcr", "dpgr", "decreg", "circ", "statuto")
MINISTERIAL = ("dm", "om", "rm", "circm")
CODES = {
    "cc": "codice.civile", "cpc": "codice.procedura.civile", "cp": "codice.penale", "cpp": "codice.procedura.penale",
    "cost": "costituzione", "statuto": "statuto",
}  # fmt: skip
# Code abbreviations, statutes and the Constitution count only with an article ("art. 1372 c.c.").
NEEDS_ARTICLE_ALWAYS = ("cost", "statuto")
NEEDS_ARTICLE_ABBREV = re.compile(r"^(?i:c\.|cod\.)")
# Families cited by date alone ("D.M. 27 marzo 2001", "DPCM 25 febbraio 2011").
DATE_CITABLE = ("dm", "decreg", "circ", "dpcm", "om", "rm", "cipe", "dpgr")
# Families read only when a number is written ("circolare n. 24 del 19 maggio 1979").
NEEDS_MARK = ("dm", "decreg", "circ", "dpcm", "om", "rm", "circm", "cipe", "dd", "opcm", "dpgr")
# Authorities named by an acronym after a circular ("circolare Agea n. 13"): code -> URN authority.
AGENCIES = {"agea": "agenzia.erogazioni.agricoltura", "inps": "inps", "inail": "inail", "aifa": "aifa", "anac": "anac"}
AGENCY_RE = re.compile(rf"{g.SP}+(?:(?i:dell['’]|della|del){g.SP}*)?(?P<ag>(?i:agea|inps|inail|aifa|anac))\b")


@dataclass
class Hit:
    """A citation being built: clean-text span, parsed parts, and what resolution adds."""

    start: int
    end: int
    family: str
    region: str | None = None
    ministry: str | None = None  # code such as "mlps"
    number: str | None = None
    year: int | None = None
    date: str | None = None
    legislature: str | None = None
    article: str | None = None
    comma: str | None = None
    letter: str | None = None
    alias: str | None = None
    flags: list[str] = field(default_factory=list)
    norm_id: str | None = None
    norm: Norm | None = None
    weak: bool = False  # "L. 68": a bare one-letter head without year or article
    agency: str | None = None  # "agea" in "circolare Agea n. 13"
    ministerial: bool = False  # a ministerial act whose ministry is not named ("decreto ministeriale")
    plural: bool = False  # "nn. 511, 518 e 548": further bare numbers share the head and the date

    def key_family(self) -> str:
        """The id family: "legge", "lr.lombardia", "dgr.lombardia", "dm.mlps", "reg.ue"...

        A regional act whose region is unknown has no region part ("lr", "dgr"); an
        interministerial decree joins its ministries ("dm.finanze+grazia.giustizia").
        """
        fam = self.family
        if fam in REGIONAL:
            base = {"decreg": "decreto", "circ": "circolare"}.get(fam, fam)
            return f"{base}.{self.region}" if self.region else base
        if fam in MINISTERIAL:
            if fam == "circm":
                if self.agency:
                    return f"circolare.{self.agency}"
                return f"circolare.ministero.{self.ministry}" if self.ministry else ("circolare.ministero" if self.ministerial else "circolare.sa")
            return f"{fam}.{self.ministry}" if self.ministry else fam
        if fam == "lp":
            return f"lp.{self.region}" if self.region else "lp"
        return CODES.get(fam) or ID_PREFIX.get(fam, fam)


# -- scanning ----------------------------------------------------------------------------------
def _region_at(h: Hit, text: str, pos: int) -> int:
    """Read "Toscana", "della Regione Campania" right after a regional head; return the new position."""
    m = g.REGION_TAIL_RE.match(text, pos)
    if m and m.group("region"):
        h.region = g.REGIONS.get(re.sub(r"\s+", " ", m.group("region").lower()))
        h.flags.append("region_stated")
        return m.end()
    return pos


def _ministry_at(h: Hit, text: str, pos: int, head: str) -> int | None:
    """Read the ministry or agency after a ministerial head ("del Ministero delle finanze", "MiPAF",
    "del tesoro", "Agea"); return the new position, or None when a named ministry is not one we know.
    """
    if h.family == "circm":
        ag = AGENCY_RE.match(text, pos)
        if ag:
            h.agency = ag.group("ag").lower()
            return ag.end()
    acr = g.MIN_ACRONYM_RE.match(text, pos)
    if acr:
        h.ministry = "+".join(g.ministries_in(acr.group("acr"))) or None
        return acr.end()
    named = re.search(r"(?i)\bminist(?:ro|ero)\b", head) is not None
    m = re.match(rf"{g.SP}+(?:(?i:del|dello|della|dei|degli|delle){g.SP}+)?(?:(?P<word>(?i:ministr[oi]|ministero)){g.SP}+)?", text[pos : pos + 40])
    if not named and not (m and m.group(0).strip()):
        return pos
    stop = g.MINISTRY_STOP.search(text, pos, min(len(text), pos + 120))
    if not stop or "\n" in text[pos : stop.start()]:
        return None if named else pos
    name = text[pos : stop.start()]
    if not re.fullmatch(r"[\sA-Za-zà-ÿÀ-Ý'’.]*", name):
        return None if named else pos
    codes = g.ministries_in(name)
    if not codes:
        return None if named else pos
    h.ministry = "+".join(dict.fromkeys(codes))
    return stop.start()


def _tail(h: Hit, text: str, pos: int, head: str) -> int | None:
    """Parse number/year/date after a head at ``pos``; fill ``h`` and return the tail end."""
    fam = h.family
    if fam in CODES:
        if fam == "statuto":
            pos = _region_at(h, text, pos)
        return pos
    if fam in REGIONAL or fam == "lp":
        pos = _region_at(h, text, pos)
    if fam in DELIBERATIONS or fam == "delib":
        return _dgr_tail(h, text, pos)
    if fam == "reg":
        m = g.EU_TAIL.match(text, pos)
        if not m:
            return None
        a, b = m.group("a"), m.group("b")
        ya, yb = g.parse_year(a) if len(a) == 4 else None, g.parse_year(b) if len(b) == 4 else None
        if ya and (not yb or ya[0] >= 2015):
            h.year, h.number = ya[0], str(int(b))
        elif yb:
            h.year, h.number = yb[0], str(int(a))
        else:
            return None
        return m.end()
    if fam in MINISTERIAL:
        h.ministerial = fam != "circm" or bool(re.search(r"(?i)ministerial", head))
        if re.search(r"(?i)interministerial", head):
            h.flags.append("interministerial")
        p = _ministry_at(h, text, pos, head)
        if p is None:
            return None
        pos = p
        if h.ministry and fam == "circm":
            h.ministerial = True
    if fam == "legge":
        q = g.QUALIFIER_RE.match(text, pos)
        if q and not re.match(rf"{g.SP}*{g.MARK}?\d", text[pos : pos + 12]):
            pos = q.end()
    for kind, rx in g.TAILS:
        m = rx.match(text, pos)
        if not m:
            continue
        if kind == "num" and fam in NEEDS_MARK and not re.search(r"[nN]", m.group(0)):
            continue
        if fam in ("decsa", "regsa", "delibsa", "tu", "dic") and kind != "date_num":
            continue  # an act without authority is read only as "<Decreto> 26 giugno 2000, n. 219"
        if fam in ("circm", "dd") and kind == "num":
            continue  # "circolare n. 3": too little to tell a norm from a local act
        h.number = _num(m.group("num"))
        if kind in ("date_num", "num_date"):
            h.date = g.date_from(m)
            if h.date is None:
                continue
            h.year = int(h.date[:4])
        elif kind in ("num_year", "num_del_year"):
            parsed = g.parse_year(m.group("yr"))
            if parsed is None:
                continue
            h.year = parsed[0]
            if parsed[1]:
                h.flags.append("suspected_typo")
        h.plural = re.search(r"\b[nN][nN][\s.]", m.group(0)) is not None
        return _trailing_authority(h, text, m.end())
    if fam in DATE_CITABLE:  # decrees and circulars may be cited by date only
        m = g.DATE_ONLY_RE.match(text, pos)
        if m and (d := g.date_from(m)):
            h.date, h.year, h.number = d, int(d[:4]), None
            return _trailing_authority(h, text, m.end())
    return None


def _trailing_authority(h: Hit, text: str, end: int) -> int:
    """Extend over an authority written after the act: "... n. 101 del 17 luglio 1997 del Ministero
    del lavoro e P.S.", "legge regionale n. 12/2003 della Regione Emilia-Romagna"."""
    if h.family in MINISTERIAL and not h.ministry:
        m = g.MINISTRY_TRAIL.match(text, end)
        if m:
            names = re.split(r"(?i)\s+e\s+(?:del|dello|della|dei)\s+ministr[oi]\s+", m.group("name"))
            codes = [c for n in names for c in g.ministries_in(n)[:1]]
            if codes:
                h.ministry = "+".join(dict.fromkeys(codes))
                h.ministerial = True
                return m.end()
    if h.family in REGIONAL and "region_stated" not in h.flags:
        m = g.REGION_AFTER_RE.match(text, end)
        if m:
            h.region = g.REGIONS.get(re.sub(r"\s+", " ", m.group("region").lower()))
            h.flags.append("region_stated")
            return m.end()
    return end


def _dgr_tail(h: Hit, text: str, pos: int) -> int | None:
    for kind, rx in g.DGR_TAILS:
        m = rx.match(text, pos)
        if not m:
            continue
        if h.family == "delib" and kind not in ("roman", "date_leg"):
            return None  # a bare "Deliberazione n. 15" is a local act, not a regional one
        leg = m.groupdict().get("leg")
        if kind == "slash":
            a, b = m.group("a"), m.group("b")
            yb = g.parse_year(b)
            if len(a) <= 2 and int(a) <= 15 and (yb is None or len(b) > 4):
                leg, h.number = g.ROMANS.get(int(a)), _num(b)
            elif yb:
                h.number, h.year = _num(a), yb[0]
                if yb[1]:
                    h.flags.append("suspected_typo")
            else:
                continue
        else:
            h.number = _num(m.group("num"))
            if m.groupdict().get("yr"):
                h.year = int(m.group("yr"))
        if h.family == "delib" and (not leg or not leg.isalpha()):
            return None
        if leg:
            h.legislature = g.ROMANS.get(int(leg), None) if leg.isdigit() else leg
            if h.legislature not in g.ROMAN_VALUES:
                continue
        if m.groupdict().get("td") is not None or m.groupdict().get("td2") is not None:
            d = g.date_from(m)
            if d:
                if h.year and h.year != int(d[:4]):
                    h.flags.append("date_year_mismatch")
                h.date, h.year = d, int(d[:4])
        if h.family == "delib":
            h.family = "dgr"
            h.flags.append("type_inferred")
        return m.end()
    return None


def _num(s: str) -> str:
    """A number as the id writes it: "0022" -> "22", "4 bis" -> "4-bis", "2/B" -> "2-B", "d/686" -> "D-686"."""
    s = re.sub(r"[\s/-]+", "-", s.strip())
    parts = [p.lower() if len(p) > 1 and not p.isdigit() else (p.upper() if p.isalpha() else p) for p in s.split("-")]
    return "-".join(str(int(p)) if p.isdigit() else p for p in parts)


def _attach_article(h: Hit, text: str, floor: int) -> None:
    """Extend ``h`` backwards over "art. 18, comma 10, della" or forwards over "all'art. 18 c. 7"."""
    lo = max(floor, h.start - 160)
    window = text[lo : h.start]
    for m in reversed(list(g.ART_START_RE.finditer(window))):
        p = g.PREFIX_RE.fullmatch(window, m.start())
        if p:
            h.article, h.comma, h.letter = g.normalise_article(p)
            h.start = lo + m.start()
            return
    eol = text.find("\n", h.end)
    eol = len(text) if eol < 0 else eol
    s = g.SUFFIX_PAREN_RE.match(text, h.end, eol) or g.SUFFIX_RE.match(text, h.end, eol)
    if s and not g.SUFFIX_BLOCK_RE.match(text, s.end()):
        h.article, h.comma, h.letter = g.normalise_article(s)
        h.end = s.end()


def scan(text: str, region: str | None) -> list[Hit]:
    """All explicit citations of a text (clean-text offsets), unresolved, in reading order.

    Args:
        text: the (repaired) text to read.
        region: region of the document, for regional acts whose region neither the citation nor
            the words around it state; None when unknown (see :func:`_assign_regions`).
    """
    hits: list[Hit] = []
    floor = 0
    for m in g.HEAD_RE.finditer(text):
        if m.start() < floor:
            continue
        fam = m.lastgroup or ""
        head = m.group(0)
        h = Hit(start=m.start(), end=m.end(), family="dm" if fam == "dmin" else fam)
        if fam == "lr" and g.OCR_HEAD_CS.search(head):
            h.flags.append("ocr_repaired")
        if fam == "dlgs" and re.search(r"Igs", head):
            h.flags.append("ocr_repaired")
        end = _tail(h, text, m.end(), head)
        if end is None:
            continue
        h.end = end
        _attach_article(h, text, floor)
        h.weak = fam == "legge" and len(head.strip()) <= 2 and h.year is None and h.article is None
        needs_article = fam in NEEDS_ARTICLE_ALWAYS or (fam in CODES and NEEDS_ARTICLE_ABBREV.match(head))
        if needs_article and h.article is None:
            continue
        hits.append(h)
        floor = h.end if fam in CODES else _continuations(h, text, hits, head)
    _assign_regions(hits, text, region)
    return hits


_SENTENCE_END = re.compile(r"[.;:]\s+(?=[A-Z])|\n\s*\n")


def _context_region(text: str, start: int, end: int) -> str | None:
    """A region named in the same sentence, before the citation (nearest) or just after it."""
    lo = max(0, start - 200)
    before = text[lo:start]
    cut = list(_SENTENCE_END.finditer(before))
    if cut:
        before = before[cut[-1].end() :]
    found = list(g.REGION_CONTEXT_RE.finditer(before))
    if found:
        return g.REGIONS.get(re.sub(r"\s+", " ", found[-1].group("region").lower()))
    after = text[end : end + 80]
    stop = _SENTENCE_END.search(after)
    m = g.REGION_CONTEXT_RE.search(after[: stop.start()] if stop else after)
    return g.REGIONS.get(re.sub(r"\s+", " ", m.group("region").lower())) if m else None


def _assign_regions(hits: list[Hit], text: str, region: str | None) -> None:
    """The region of each regional act: as written with the act ("L.R. Toscana n. 41/2005"), else
    named in the words around it ("la Regione Campania, con DGR n. 123"), else the document's, else
    the one region that the document's other regional citations state; else unknown (no region
    part in the id, authority ``regione``): a bare "L.R." is never given a region by default.
    """
    pending = []
    for h in hits:
        if h.family not in REGIONAL or "region_stated" in h.flags:
            continue
        ctx = _context_region(text, h.start, h.end)
        if ctx:
            h.region = ctx
            h.flags.append("region_from_context")
        elif region:
            h.region = region
        else:
            pending.append(h)
    stated = {h.region for h in hits if h.family in REGIONAL and h.region}
    if pending and len(stated) == 1:
        for h in pending:
            h.region = next(iter(stated))
            h.flags.append("region_from_document")


def _continuations(first: Hit, text: str, hits: list[Hit], head: str) -> int:
    """Further acts sharing one head ("L.R. 3/2008 e 23/2015"); returns the end of the last one.

    A continuation must carry its own year or legislature ("L. 328/2000 e 3 anni" adds nothing),
    except after a plural mark ("Leggi 25 aprile 1938, nn. 511, 518 e 548"), where bare numbers
    share the first act's date.
    """
    end = first.end
    while m := g.CONT_RE.match(text, end):
        h = Hit(start=m.end(), end=m.end(), family=first.family, region=first.region, ministry=first.ministry,
                agency=first.agency, ministerial=first.ministerial, flags=[f for f in first.flags if f in ("region_stated", "interministerial")])  # fmt: skip
        tail_end = _tail(h, text, m.end(), head)
        if tail_end is not None and first.plural and h.year is None and h.legislature is None and h.number:
            h.year, h.date = first.year, first.date
        if tail_end is None or (h.year is None and h.legislature is None):
            break
        h.end = tail_end
        hits.append(h)
        end = tail_end
    return end


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
    rx = re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])")
    reg.cache["alias_regex"] = (rx, entries)
    return rx, entries


def _alias_hits(text: str, reg: Registry, explicit: list[Hit]) -> list[Hit]:
    taken = [(h.start, h.end) for h in explicit]
    found: list[Hit] = []
    rx, entries = _alias_regex(reg)
    for m in rx.finditer(text):
        mode, norm = entries[int((m.lastgroup or "a0")[1:])]
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        h = Hit(start=m.start(), end=m.end(), family="alias", alias=m.group(0), norm=norm, norm_id=norm.norm_id)
        _attach_article(h, text, 0)
        if mode == "article" and h.article is None:
            continue
        taken.append((h.start, h.end))
        found.append(h)
    return found


_TITLE_GAP = re.compile(r"[\s,.:;“”\"'«»*()\-–]*")


def _merge_aliases(text: str, explicit: list[Hit], aliases: list[Hit]) -> list[Hit]:
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
def _resolve(hits: list[Hit], reg: Registry, *, lenient: bool = False) -> list[Hit]:
    """Give each hit its norm_id (filling omitted years), registry act and derived fields.

    A weak hit ("San Zenone al L. 68") takes its year only from the same document, unless
    ``lenient`` (a query typed by a person, where "L. 328" can only mean a norm).
    """
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


def _citation(h: Hit, doc: Document) -> Citation:
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


def find_hits(text: str, region: str = "lombardia", registry: Registry | None = None, *, lenient: bool = False) -> list[Hit]:
    """Scan, resolve and merge aliases: the resolved hits of a text, in reading order.

    Args:
        text: the (repaired) text to read.
        region: region of regional acts whose region the text does not state.
        registry: the registry of known acts; default ``ontology/norms.json``.
        lenient: also resolve a bare "L. 328" from the registry alone (for typed queries).

    Raises:
        VocabularyError: the registry file is missing or malformed.
    """
    reg = registry or load_registry()
    explicit = _resolve(scan(text, region), reg, lenient=lenient)
    aliases = _merge_aliases(text, explicit, _alias_hits(text, reg, explicit))
    return sorted(explicit + aliases, key=lambda h: h.start)


def extract_citations(doc: Document, registry: Registry | None = None) -> list[Citation]:
    """Every normative citation of a document, resolved to a canonical act, with provenance.

    Reads the repaired text (``doc.text``) and maps each span back to ``doc.raw_text``, so that
    ``citation.raw == doc.raw_text[citation.prov.start:citation.prov.end]``.

    Args:
        doc: a loaded document; ``doc.region`` is the region of regional acts whose region the text
            does not state.
        registry: the registry of known acts; default ``ontology/norms.json``.

    Raises:
        VocabularyError: the registry file is missing or malformed.
    """
    hits = find_hits(doc.text, doc.region or "lombardia", registry)
    dates: dict[str, str] = {}
    for h in hits:  # one act, one date: a date written once dates every citation of the act
        if h.date and h.norm_id and h.number:
            dates.setdefault(h.norm_id, h.date)
    for h in hits:
        if h.date is None and h.norm_id in dates:
            h.date = dates[h.norm_id]
    return [_citation(h, doc) for h in hits]


def resolve_norm(text: str, region: str = "lombardia", registry: Registry | None = None) -> str | None:
    """The norm_id of a norm written in any form ("L.R. 3/2008", "legge regionale 3 del 2008",
    "lr 3/2008", "DGR XI/4563", "legge quadro", "TUEL"), or None when nothing identifies one.

    Args:
        text: the norm as a person would write it; an existing norm_id is returned as is.
        region: region of regional acts that do not name one.
        registry: the registry of known acts; default ``ontology/norms.json``.

    Raises:
        VocabularyError: the registry file is missing or malformed.
    """
    reg = registry or load_registry()
    t = text.strip()
    if reg.get(t):
        return t
    named = reg.by_alias_text(t)
    if named:
        return named.norm_id
    hits = find_hits(t, region, reg, lenient=True)
    if hits:
        return hits[0].norm_id
    if re.fullmatch(r"[a-z.]+:(?:\d{4}|[IVX]+):\d+[a-z-]*|[a-z.]+:\d{4}-\d{2}-\d{2}", t):
        return t
    return None


_AMEND_WORD = re.compile(r"(?i)\bmodific\w*|\bintegrazion\w*")
_AMEND_SKIP = re.compile(r"(?i)successive\s+modific|s\.\s?m\.\s?i|\.\s+[A-Z]")
# "... così come modificata dalla" / "le modifiche introdotte dal": the next act amends the previous one.
_AMEND_PASSIVE = re.compile(r"(?i)\bmodific\w*.*\b(?:dall['’]|dalla|dal|con\s+la|con\s+il|con|ad\s+opera\s+della)\W*$")
# "“Modifiche al Titolo I e al Titolo VII della": the previous act amends the next one.
_AMEND_ACTIVE = re.compile(r"(?i)\bmodific\w*.*\b(?:della|del|dello|dell['’]|alla|al|allo|all['’])\W*$")


def amends_from_citations(citations: list[Citation], doc: Document, registry: Registry | None = None) -> list[tuple[str, str, Provenance]]:
    """AMENDS edges (amending norm_id, amended norm_id, evidence) read next to citations.

    A title such as "L.R. 22/2021 “Modifiche al Titolo I ... della legge regionale 30 dicembre 2009,
    n. 33”" makes the citing act amend the cited one; "L.R. 33/2009 così come modificata dalla L.R.
    23/2015" reads the other way. Registry-declared amendments of the cited acts are added (evidence:
    the first citation of the amending act) unless the text already gave the pair.

    Args:
        citations: the document's citations (as from :func:`extract_citations`).
        doc: the document they were read from.
        registry: the registry of known acts; default ``ontology/norms.json``.

    Raises:
        VocabularyError: the registry file is missing or malformed.
    """
    reg = registry or load_registry()
    cits = sorted(citations, key=lambda c: c.prov.start)
    out: list[tuple[str, str, Provenance]] = []
    seen: set[tuple[str, str, int]] = set()
    for a, b in itertools.pairwise(cits):
        between = doc.raw_text[a.prov.end : b.prov.start]
        if a.norm_id == b.norm_id or len(between) > 300 or "\n" in between or ";" in between:
            continue
        if not _AMEND_WORD.search(between) or _AMEND_SKIP.search(between):
            continue
        passive = _AMEND_PASSIVE.search(between)
        if not passive and not _AMEND_ACTIVE.search(between):
            continue
        src, dst = (b.norm_id, a.norm_id) if passive else (a.norm_id, b.norm_id)
        if (src, dst, a.prov.start) not in seen:
            seen.add((src, dst, a.prov.start))
            out.append((src, dst, doc.provenance(a.prov.start, b.prov.end)))
    pairs = {(s, d) for s, d, _ in out}
    first = {}
    for c in cits:
        first.setdefault(c.norm_id, c)
    for src, dst in reg.amendments():
        if src in first and (src, dst) not in pairs:
            out.append((src, dst, first[src].prov))
    return out


__all__ = ["Hit", "amends_from_citations", "extract_citations", "find_hits", "resolve_norm", "scan"]
