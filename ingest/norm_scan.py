"""Scanning a text for explicit citations: heads, tails, article parts, continuations, regions.

The regular grammar is :mod:`ingest.norm_grammar`; this module runs it and fills :class:`Hit`s
(clean-text offsets, unresolved). Resolution to canonical acts is :mod:`ingest.norm_resolve`.
"""

from __future__ import annotations

import re

from ingest import norm_grammar as g
from ingest.norm_grammar import region_key
from ingest.norm_hits import (
    AGENCY_RE, CODES, DATE_CITABLE, RECALLED_BY_DATE, DELIBERATIONS, MINISTERIAL, NEEDS_ARTICLE_ABBREV, NEEDS_ARTICLE_ALWAYS, NEEDS_MARK, REGIONAL, Hit,
)  # fmt: skip

# -- scanning ----------------------------------------------------------------------------------
def _region_at(h: Hit, text: str, pos: int) -> int:
    """Read "Toscana", "della Regione Campania" right after a regional head; return the new position."""
    m = g.REGION_TAIL_RE.match(text, pos)
    if m and m.group("region"):
        h.region = region_key(m.group("region"))
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
        end = _dgr_tail(h, text, pos)
        return None if end is None else _trailing_authority(h, text, end)
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
            if kind == "num_year" and _is_period(m.group("num"), parsed[0], m.group(0)):
                return None
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
    if fam in RECALLED_BY_DATE:  # "la legge 8 novembre 2000": its number must come from the document
        m = g.DATE_ONLY_RE.match(text, pos)
        if m and (d := g.date_from(m)) and not re.match(rf"{g.SP}*,?{g.W}{g.MARK}?\d", text[m.end() : m.end() + 12]):
            h.date, h.year, h.number = d, int(d[:4]), None
            h.flags.append("recalled_by_date")
            return m.end()
        m = g.DATE_CUT_RE.match(text, pos)
        if m:
            h.date_cut = f"{m.group('cy'):?<4}-{g.MONTHS[m.group('cm').lower()]:02d}-{int(m.group('cd')):02d}"
            h.flags.extend(["recalled_by_date", "truncated"])
            return m.start() + len(m.group(0).rstrip())
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
            h.region = region_key(m.group("region") or m.group("pregion") or m.group("bregion"))
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
        if kind == "date_only":
            d = g.date_from(m)
            if d is None:
                continue
            h.date, h.year, h.number = d, int(d[:4]), None
            return m.end()
        if kind == "slash":
            a, b = m.group("a"), m.group("b")
            yb = g.parse_year(b)
            if len(a) <= 2 and int(a) <= 15 and (yb is None or len(b) > 4):
                leg, h.number = g.ROMANS.get(int(a)), _num(b)
                if m.group("yr"):
                    h.year = int(m.group("yr"))
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


def _is_period(num: str, year: int, written: str) -> bool:
    """"2009/2011", "2019/2020": a span of years, not number/year (unless written "n. 2009/2011")."""
    return num.isdigit() and 1900 <= int(num) <= 2100 and 0 < year - int(num) <= 10 and not re.search(r"[nN]", written)


def _num(s: str) -> str:
    """A number as the id writes it: "0022" -> "22", "4 bis" -> "4-bis", "2/B" -> "2-B", "d/686" -> "D-686"."""
    s = re.sub(r"[\s/-]+", "-", s.strip())
    parts = [p.lower() if len(p) > 1 and not p.isdigit() else (p.upper() if p.isalpha() else p) for p in s.split("-")]
    return "-".join(str(int(p)) if p.isdigit() else p for p in parts)


def attach_article(h: Hit, text: str, floor: int) -> None:
    """Extend ``h`` backwards over "art. 18, comma 10, della" or forwards over "all'art. 18 c. 7"."""
    lo = max(floor, h.start - 160)
    window = text[lo : h.start]
    for m in reversed(list(g.ART_START_RE.finditer(window))):
        p = g.PREFIX_RE.fullmatch(window, m.start())
        if p:
            h.article, h.comma, h.letter = g.normalise_article(p)
            h.start = lo + m.start()
            pre = g.PRE_ART_RE.search(window, 0, m.start())
            if pre and pre.group(0):  # "comma 4 art. 6", "lett. e), comma 2, art. 2"
                h.start = lo + pre.start()
                if (pre.group("pcomma") or pre.group("pord")) and not h.comma:
                    c = pre.group("pcomma") or pre.group("pord")
                    h.comma = str(g.ORDINALS.get(c.lower(), c))
                if pre.group("pletter") and not h.letter:
                    h.letter = pre.group("pletter").lower()
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
        if fam in ("lr", "legge") and g.OCR_HEAD_CS.search(head):
            h.flags.append("ocr_repaired")
        if fam == "dlgs" and re.search(r"Igs", head):
            h.flags.append("ocr_repaired")
        end = _tail(h, text, m.end(), head)
        if end is None:
            continue
        h.end = end
        attach_article(h, text, floor)
        h.weak = fam == "legge" and len(head.strip()) <= 2 and h.year is None and h.article is None
        needs_article = fam in NEEDS_ARTICLE_ALWAYS or (fam in CODES and NEEDS_ARTICLE_ABBREV.match(head))
        if needs_article and h.article is None:
            continue
        hits.append(h)
        floor = h.end if fam in CODES else _continuations(h, text, hits, head)
    _assign_regions(hits, text, region)
    return hits


_SENTENCE_END = re.compile(r"[.;:]\s+(?=[A-Z])|\n\s*\n")


def _context_region(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str | None:
    """A region named in the same sentence, before the citation (nearest) or just after it; a
    region written inside another citation ("Legge della Regione Toscana ...") is that act's, not context."""
    lo = max(0, start - 200)
    cut = list(_SENTENCE_END.finditer(text, lo, start))
    if cut:
        lo = cut[-1].end()
    found = [m for m in g.REGION_CONTEXT_RE.finditer(text, lo, start) if not any(s < m.end() and m.start() < e for s, e in spans)]
    if found:
        return region_key(found[-1].group("region"))
    hi = min(len(text), end + 80)
    stop = _SENTENCE_END.search(text, end, hi)
    for m in g.REGION_CONTEXT_RE.finditer(text, end, stop.start() if stop else hi):
        if not any(s < m.end() and m.start() < e for s, e in spans):
            return region_key(m.group("region"))
    return None


def _assign_regions(hits: list[Hit], text: str, region: str | None) -> None:
    """The region of each regional act: as written with the act ("L.R. Toscana n. 41/2005"), else
    named in the words around it ("la Regione Campania, con DGR n. 123"), else the document's, else
    the one region that the document's other regional citations state; else unknown (no region
    part in the id, authority ``regione``): a bare "L.R." is never given a region by default.
    """
    pending = []
    spans = [(h.start, h.end) for h in hits]
    for h in hits:
        if h.family not in REGIONAL or "region_stated" in h.flags:
            continue
        ctx = _context_region(text, h.start, h.end, spans)
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


def self_references(text: str, act: Hit, taken: list[Hit]) -> list[Hit]:
    """References of a legal text to itself ("art. 34 del presente testo unico", "della presente
    legge"), as hits of ``act`` (the act the document is); spans inside ``taken`` are skipped."""
    spans = [(h.start, h.end) for h in taken]
    out: list[Hit] = []
    for m in g.SELF_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in spans):
            continue
        h = Hit(start=m.start(), end=m.end(), family=act.family, region=act.region, number=act.number, year=act.year, date=act.date,
                flags=["self_reference"])  # fmt: skip
        attach_article(h, text, out[-1].end if out else 0)
        out.append(h)
    return out
