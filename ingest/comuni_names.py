"""Comune names in running text: the longest ISTAT name at each capitalised word (any case, accents,
apostrophes, hyphens, words wrapped at a line end, soft hyphens and zero-width spaces), short and
abbreviated forms ("S. Giuliano M.se", "Borgonovo V.T."), OCR slips ("Bemareggio"), and the slots of a
list the gazetteer lacks. ingest/entities_comuni.py builds the enumerations on them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.entities_places import ComuneRec, gazetteer, key, lookup_comune, short_forms
from ontology.vocab import fold


# A word; a soft hyphen or a zero-width space inside it (left by PDF extraction) does not split it.
TOKEN = re.compile(r"[A-Za-z\u00c0-\u00ff0-9](?:[A-Za-z\u00c0-\u00ff0-9\u00ad\u200b]*[A-Za-z\u00c0-\u00ff0-9])?")


INVISIBLE = re.compile("[\u00ad\u200b]")


MAX_WORDS = 6


# A name governed by "Provincia di" / "Province autonome di ... e di" names a province, not a comune
# ("la Regione è costituita dalle Province autonome di Trento e di Bolzano", "Provincia di Lecco").
PROVINCE_BEFORE = re.compile(r"(?i)\bprovinc(?:ia|e)(?:\s+autonom[ae])?\s+(?:di\s+)?(?:[A-Z\u00c0-\u00dd][\w'\u2019]+\s+e\s+(?:di\s+)?)?$")


@dataclass
class Item:
    start: int
    end: int
    surface: str
    rec: ComuneRec
    short: bool = False


@lru_cache(maxsize=1)
def _prefixes() -> frozenset[str]:
    """Every word-prefix of a gazetteer key or short form ("san", "san giovanni", "san giovanni bianco")."""
    out: set[str] = set()
    for k in [*gazetteer(), *(k for _, k in short_forms())]:
        ws = k.split()
        out.update(" ".join(ws[:n]) for n in range(1, len(ws) + 1))
    return frozenset(out)


# A point of the compass written next to a comune, in capitals or capitalised: an area named after it ("Ambito Brescia
# Est", "Distretto Sociale Sud Est Milano", "Milano Nord"), not the comune
COMPASS_AFTER = re.compile(r"[ \t]+(?:Nord|Sud|Est|Ovest|NORD|SUD|EST|OVEST)(?![\w'\u2019])")
COMPASS_BEFORE = re.compile(r"(?<![\w'\u2019])(?:Nord|Sud|Est|Ovest|NORD|SUD|EST|OVEST)[ \t]+$")
BAD_GAP = re.compile(r"[,;:()|]|\n\s*\n")


@lru_cache(maxsize=16)
def names_at(text: str, region: str | None) -> tuple[Item, ...]:
    """Every comune name in the text (the longest at each capitalised word), left to right."""
    folded = fold(text)  # same offsets: a token's key is its folded slice
    gaz, prefixes, shorts = gazetteer(), _prefixes(), short_forms()
    toks = _tokens(text, folded, prefixes)
    keys = [t.key for t in toks]
    spaced = _double_spaced(text)
    starts = [j for j, t in enumerate(toks) if t.upper]
    out: list[Item] = []
    i = 0
    for j in starts:
        if j < i or keys[j] not in prefixes:
            continue
        i = j
        t = toks[i]
        found = None
        k, wrapped = "", False
        for n in range(1, min(MAX_WORDS, len(toks) - i) + 1):
            if n > 1:
                gap = text[toks[i + n - 2].end():toks[i + n - 1].start()]
                if BAD_GAP.search(gap) and not (spaced and DOUBLE_BREAK.fullmatch(gap)):
                    break  # a name never runs over a comma or a blank line (but a page double-spaced line by line wraps names so)
                wrapped = wrapped or "\n" in gap  # "San Giovanni\nBianco": a name wrapped at the line end
            k = keys[i] if n == 1 else k + " " + keys[i + n - 1]
            if k not in prefixes:
                if region and n >= 2 and not wrapped and (ab := _abbreviated(text, toks[i:i + n], region)) is not None:
                    found = (n, ab, True)
                    continue
                joined = k.replace(" ", "")
                if n == 2 and not wrapped and toks[i + 1].upper and joined in gaz:
                    # a one-word ISTAT name written in two words: "CORNO VECCHIO" (Cornovecchio)
                    rec = lookup_comune(joined, region, strict=True)
                    if rec is not None:
                        found = (n, rec, False)
                break
            if wrapped and (n < 2 or k not in gaz):
                continue
            rec = lookup_comune(k, region, strict=True) if k in gaz else None
            if rec is not None:
                found = (n, rec, False)
            elif region and (region, k) in shorts:  # also a head that names a comune of another region only
                found = (n, shorts[(region, k)], True)
        if found and found[2]:
            found = _completed(text, toks, i, found)
        if found and PROVINCE_BEFORE.search(text[max(0, t.start() - 60):t.start()]):
            i += found[0]
            continue
        if found:
            n, rec, short = found
            s, e = t.start(), toks[i + n - 1].end()
            if COMPASS_AFTER.match(text, e) or COMPASS_BEFORE.search(text, max(0, s - 12), s):
                i += n
                continue  # "Brescia Ovest", "Sud Est Milano": a point of the compass makes the comune part of an area's name
            if short and n > 1 and text[e:e + 1] == ".":
                e += 1  # "Gardone R." keeps its dot
            if text[e:e + 1] in "'\u2019" and text[e + 1:e + 2].isalpha():  # "Fara d'" is not "Fara"
                continue
            if text[e:e + 1] in "'\u2019`" and fold(rec.name[-1:]) != rec.name[-1:].lower():
                e += 1  # "Cantu'", "CANTU’": the final accent written as an apostrophe
            surface = re.sub(r"-[ \t]*\n[ \t]*(?=[a-z\u00e0-\u00ff])|(?<=[A-Z])-[ \t]*\n[ \t]*(?=[A-Z])", "", INVISIBLE.sub("", text[s:e]))
            out.append(Item(s, e, surface, rec, short))
            i += n
    return tuple(out)


DOUBLE_BREAK = re.compile(r"[ \t]*\n[ \t]*\n[ \t]*")


def _double_spaced(text: str) -> bool:
    """A page whose every line is followed by a blank line (a hard-wrapped web text double-spaced): a
    line break there is a blank line, and a comune name at the end of a line goes on after it
    ("... e quelli di SAN\n\nCOSMO ALBANESE"). At least eight such breaks, lines of 40 characters or
    more on average, and single line breaks fewer than a tenth of the breaks."""
    doubles = len(re.findall(r"\n[ \t]*\n", text))
    singles = len(re.findall(r"(?<!\n)[ \t]*\n(?![ \t]*\n)", text)) - doubles
    lines = [x for x in text.split("\n") if x.strip()]
    return doubles >= 8 and singles * 10 < doubles and bool(lines) and sum(map(len, lines)) / len(lines) >= 40


@dataclass(frozen=True)
class Tok:
    """A word of the text: its span, its comparison key and whether it can open a proper name."""

    s: int
    e: int
    key: str
    upper: bool

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self, _: int = 0) -> str:
        return self.key


WRAP = re.compile(r"-[ \t]*\n[ \t]*$")


def _tokens(text: str, folded: str, prefixes: frozenset[str]) -> list[Tok]:
    """The words of the text, repaired where typography or OCR broke a comune name: a word
    hyphenated at the line end ("Pre-\nsezzo") is one word when the joined word begins a comune
    name, and an initial capital I read as a lower-case l ("lnzago", "lseo") is an I when only the
    I-reading begins a comune name - the two commonest breaks of scanned and justified text."""
    raw = list(TOKEN.finditer(text))
    out: list[Tok] = []
    j = 0
    while j < len(raw):
        m = raw[j]
        k = INVISIBLE.sub("", folded[m.start():m.end()])
        upper = text[m.start()].isupper()
        e = m.end()
        nxt = raw[j + 1] if j + 1 < len(raw) else None
        if (nxt is not None and (text[nxt.start()].islower() or (m.group(0).isupper() and nxt.group(0).isupper()))
                and WRAP.match(text[m.end():nxt.start()]) and "\n" in text[m.end():nxt.start()]):
            # "Pre-\nsezzo", "VIMER-\nCATE": a word hyphenated at the line end
            joined = k + INVISIBLE.sub("", folded[nxt.start():nxt.end()])
            if joined in prefixes and (k not in prefixes or joined in gazetteer()):
                k, e = joined, raw[j + 1].end()
                j += 1
        if not upper and text[m.start()] == "l" and len(k) >= 4 and k not in prefixes and "i" + k[1:] in prefixes:
            k, upper = "i" + k[1:], True
        if k[:1].isalpha() and any(c.isdigit() for c in k) and (fixed := _digit_slip(k, prefixes)):
            k = fixed  # "Madern0", "Vi11asanta": a letter read as a digit inside a word
        if (k not in prefixes and j + 1 < len(raw) and text[m.end():raw[j + 1].start()] == " "
                and (text[raw[j + 1].start()].islower() or (text[m.start():m.end()].isupper() and len(k) <= 4))):
            nk = INVISIBLE.sub("", folded[raw[j + 1].start():raw[j + 1].end()])
            joined = k + nk
            if joined in prefixes and not {k, nk} & _name_words():  # "Sev eso", "CARA TE": a word split by a stray space
                k, e = joined, raw[j + 1].end()
                j += 1
        out.append(Tok(m.start(), e, k, upper))
        j += 1
    return out


DIGIT_SLIPS = {"0": "o", "5": "s", "8": "b"}


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Every word of a gazetteer key."""
    return frozenset(w for k in gazetteer() for w in k.split())


def _digit_slip(k: str, prefixes: frozenset[str]) -> str | None:
    """A word with digits OCR put for letters (0/o, 1/l or i, 5/s, 8/b), when the repaired word is
    a word of a comune name."""
    words = _name_words()
    a = "".join(DIGIT_SLIPS.get(c, c) for c in k)
    for cand in (a.replace("1", "l"), a.replace("1", "i")):
        if cand in words:
            return cand
    return None


@lru_cache(maxsize=8)
def _by_first_word(region: str) -> dict[str, list[ComuneRec]]:
    out: dict[str, list[ComuneRec]] = {}
    for recs in gazetteer().values():
        for r in recs:
            if r.region == region:
                out.setdefault(key(r.name).split()[0], []).append(r)
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def _abbreviated(text: str, span: list, region: str) -> ComuneRec | None:
    """A comune written with abbreviated words after the first: "Calvagese d/R", "Gardone V.T.",
    "Toscolano M." - every later written word is a prefix (an initial, or letters before a dot or a
    slash) of the next official words, in order; one comune of the region only."""
    first = key(span[0].group(0))
    later = [key(x.group(0)) for x in span[1:]]
    if not any(len(w) <= 4 for w in later):  # at least one abbreviated word; the others written out ("S. Giuliano M.se")
        return None
    marks = text[span[0].end():span[-1].end() + 1]
    if not re.search(r"[./]", marks):
        return None
    # a contraction is an initial and the last letters joined by a dot ("M.se" Milanese, "B.za" Brianza)
    joined_dot = [span[k].end() == span[k + 1].start() - 1 and text[span[k].end()] == "." for k in range(1, len(span) - 1)]
    hits = []
    heads = _by_first_word(region)
    pool = [r for w in ("san", "santo", "santa", "sant") for r in heads.get(w, [])] if first == "s" else heads.get(first, [])
    for rec in pool:  # "S." abbreviates San / Santo / Santa / Sant
        words = key(rec.name).split()[1:]
        i, k = 0, 0
        while k < len(later):
            w = later[k]
            if k + 1 < len(later) and joined_dot[k]:
                tail = later[k + 1]
                j = next((j for j in range(i, len(words)) if words[j].startswith(w) and words[j].endswith(tail)
                          and len(words[j]) > len(w) + len(tail)), None)
                if j is not None:
                    i, k = j + 1, k + 2
                    continue
            while i < len(words) and not words[i].startswith(w):
                i += 1
            if i == len(words):
                break
            i, k = i + 1, k + 1
        else:
            hits.append(rec)
    return hits[0] if len(hits) == 1 else None


UNKNOWN_PIECE = re.compile(r"[A-Z\u00c0-\u00dd][\w'\u2019.]*(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019.]*|di|del|della|de'|d'|al|sul|in|e)){0,3}")


def unknown_items(gap: str) -> list[str]:
    """The names in a gap between two comuni of a list that the gazetteer lacks (a comune merged
    away in another region, an OCR-damaged name): at most two, each a short capitalised name
    between list separators. [] when the gap is not such a list stretch."""
    if (("\n" in gap.strip(" \t,;") or not re.match(r"^\s*(?:[,;]|\s+e\s|\s*[-\u2013\u2014]\s)", gap)
         or not re.search(r"(?:[,;]|\se|\s[-\u2013\u2014])\s*$", gap))):
        return []
    # separators: commas, semicolons, "e", and dashes between spaces ("A – – B – C": a dash list with a
    # deleted slot); a hyphen inside a name ("Malborghetto-Valbruna") is no separator
    pieces = [p.strip() for p in re.split(r"\s*[,;]\s*|\s+e\s+|\s+ed\s+|\s+[-\u2013\u2014](?:\s+[-\u2013\u2014])*\s+|^\s*[-\u2013\u2014]\s+|\s+[-\u2013\u2014]\s*$", gap)
              if p and p.strip()]
    if not pieces or len(pieces) > 2 or not all(UNKNOWN_PIECE.fullmatch(p) for p in pieces):
        return []
    return pieces


OCR_PAIRS = (("rn", "m"), ("m", "rn"), ("cl", "d"), ("ii", "u"), ("li", "h"), ("vv", "w"))


@lru_cache(maxsize=8)
def _region_keys(region: str) -> dict[str, ComuneRec]:
    return {k: recs[0] for k, recs in gazetteer().items() if len(recs) == 1 and recs[0].region == region and recs[0].code}


def ocr_near(piece: str, region: str | None) -> ComuneRec | None:
    """The comune of the region an OCR-damaged list slot stands for ("Cemusco sul Naviglio",
    "Vimercale"): one substitution, insertion or deletion, or a letter pair OCR merges or splits
    (rn/m, cl/d, li/h), on names of six letters or more; only when one comune fits."""
    if not region:
        return None
    k = key(piece)
    if len(k.replace(" ", "")) < 6:
        return None
    keys = _region_keys(region)
    variants = {k.replace(a, b) for a, b in OCR_PAIRS if a in k}
    hits = {keys[v] for v in variants if v in keys}
    if not hits:
        hits = {rec for c, rec in keys.items() if c[:1] == k[:1] and abs(len(c) - len(k)) <= 1 and _one_edit(c, k)}
    return next(iter(hits)) if len(hits) == 1 else None


@lru_cache(maxsize=1)
def _by_province_head() -> dict[tuple[str, str], list[ComuneRec]]:
    """(province, first words) -> the current comuni of that province whose ISTAT name begins with them."""
    out: dict[tuple[str, str], list[ComuneRec]] = {}
    for recs in gazetteer().values():
        for r in recs:
            if not r.code:
                continue
            ws = key(r.name).split()
            for n in range(1, len(ws)):
                out.setdefault((r.province, " ".join(ws[:n])), []).append(r)
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def province_head(piece: str, cur: list[Item]) -> ComuneRec | None:
    """A list slot that shortens a comune's name to its first words ("San Damiano", "Villafranca")
    where the region has several such comuni: the one of the province of the list's other items,
    when that province has one only."""
    provs = [x.rec.province for x in cur if x.rec.province]
    if len(provs) < 2:
        return None
    prov, n = max(((p, provs.count(p)) for p in set(provs)), key=lambda t: t[1])
    if n * 2 <= len(provs):
        return None
    hits = _by_province_head().get((prov, key(piece)), [])
    return hits[0] if len(hits) == 1 else None


def _completed(text: str, toks: list[Tok], i: int, found: tuple[int, ComuneRec, bool]) -> tuple[int, ComuneRec, bool]:
    """A short form followed by the rest of its ISTAT name written with one slip a word ("VACCARIZZO
    ALABANESE" for Vaccarizzo Albanese): the whole written name, no longer short."""
    n, rec, _ = found
    ws = key(rec.name).split()
    if " ".join(t.key for t in toks[i:i + n]) != " ".join(ws[:n]) or len(ws) <= n or i + len(ws) > len(toks):
        return found
    for j in range(n, len(ws)):
        t = toks[i + j]
        gap = text[toks[i + j - 1].end():t.start()]
        if BAD_GAP.search(gap) or "\n" in gap or not t.upper or not (t.key == ws[j] or len(ws[j]) >= 5 and _one_edit(t.key, ws[j])):
            return found
    return len(ws), rec, False


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    s_, t_ = (a, b) if len(a) < len(b) else (b, a)
    return any(t_[:i] + t_[i + 1:] == s_ for i in range(len(t_)))
