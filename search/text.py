"""Italian text analysis for lexical search: words, elisions, stopwords, stems, norm tokens, highlights.

``words("dell'Ambito c'è un po'")`` -> ``["dell", "ambito", "c", "è", "un", "po"]``: an apostrophe
between letters ends an elided word (l', dell', c', un') and a final one (po', pie') is dropped.
``analyze`` stems the content words with the Snowball Italian stemmer and folds accents, so
"povertà" and an OCR "poverta" meet. A norm written in any form ("L.R. 3/2008", "l.r. n. 3 del
2008") becomes one extra token ``norm:<norm_id>`` so an exact citation matches exactly.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import Stemmer
from ingest.citations import find_hits

NORM_PREFIX = "norm:"
_APOSTROPHES = "'’`´ʼ‘"
# a word: letters/digits, with inner dots or slashes for numbers ("3/2008", "1.234")
_WORD = re.compile(r"[^\W_]+(?:[./][^\W_]+)*", re.UNICODE)
_ELISION = re.compile(rf"(?<=[^\W\d_])[{_APOSTROPHES}](?=[^\W\d_])", re.UNICODE)

_STOP_BASE = {
    "a", "abbia", "ad", "agl", "agli", "ai", "al", "all", "alla", "alle", "allo", "anche", "c", "che",
    "chi", "ci", "coi", "col", "come", "con", "contro", "cui", "da", "dagl", "dagli", "dai", "dal",
    "dall", "dalla", "dalle", "dallo", "degl", "degli", "dei", "del", "dell", "della", "delle", "dello",
    "di", "dov", "dove", "e", "ed", "era", "erano", "essere", "fu", "gli", "ha", "hai", "hanno", "ho",
    "i", "il", "in", "io", "l", "la", "le", "lei", "li", "lo", "loro", "lui", "ma", "mi", "ne", "negl",
    "negli", "nei", "nel", "nell", "nella", "nelle", "nello", "noi", "non", "o", "od", "per", "perché",
    "più", "quale", "quali", "qual", "quanta", "quante", "quanti", "quanto", "quella", "quelle",
    "quelli", "quello", "questa", "queste", "questi", "questo", "quest", "quell", "se", "si", "sia",
    "siano", "sono", "su", "sua", "sue", "sugl", "sugli", "sui", "sul", "sull", "sulla", "sulle",
    "sullo", "suo", "suoi", "tra", "fra", "un", "una", "uno", "vi", "è", "d", "s", "m", "t", "v",
    "cos", "cosa", "com", "quando", "ciascun", "ciascuno", "ciascuna", "essa", "esso", "stato",
    "stata", "stati", "state", "viene", "vengono", "nonché", "ovvero", "oppure", "cioè", "the", "of",
    "and",
}  # fmt: skip
STOPWORDS: frozenset[str] = frozenset(_STOP_BASE)


@functools.cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("italian")


def fold(text: str) -> str:
    """Lower-case and strip accents (``"Città"`` -> ``"citta"``)."""
    nfkd = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in nfkd if not unicodedata.combining(ch))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Words of ``text`` with their character spans, elisions split, lower-cased.

    Args:
        text: any text.
    """
    normalized = _ELISION.sub(" ", text)  # same length: spans stay valid
    out = []
    for m in _WORD.finditer(normalized):
        w = m.group(0)
        out.append((m.start(), m.end(), w.lower()))
    return out


def words(text: str) -> list[str]:
    """The lower-cased words of ``text`` (``"l'ha"`` -> ``["l", "ha"]``, ``"po'"`` -> ``["po"]``)."""
    return [w for _, _, w in word_spans(text)]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one lower-cased word and fold its accents; numbers and codes are kept as they are."""
    if any(ch.isdigit() for ch in word):
        return word
    return fold(_stemmer().stemWord(word))


def analyze(text: str, norm_ids: Iterable[str] = ()) -> list[str]:
    """BM25 tokens of ``text``: stemmed content words plus one ``norm:<id>`` token per norm.

    Args:
        text: the text to index or the query.
        norm_ids: canonical ids of the norms the text cites (e.g. ``lr.lombardia:2008:3``).
    """
    toks = []
    for w in words(text):
        if w in STOPWORDS or (len(w) == 1 and not w.isdigit()):
            continue
        toks.append(stem(w))
    toks.extend(NORM_PREFIX + n for n in norm_ids)
    return toks


# -- norms ----------------------------------------------------------------------------------------
_FALLBACK_NORM = re.compile(
    r"(?i)\b(?P<kind>l\.\s?r\.|legge\s+regionale|d\.?\s?g\.?\s?r\.|legge|l\.|d\.?\s?lgs\.?|d\.?\s?p\.?\s?r\.)"
    r"\s*(?:n\.?|n°|nr\.?)?\s*(?P<num>\d+)\s*(?:/|del(?:l['’])?\s+(?:\d{1,2}\s+\w+\s+)?|,\s*)(?P<year>\d{4}|\d{2})\b"
)
_KIND = {"lr": "lr.lombardia", "leggeregionale": "lr.lombardia", "dgr": "dgr.lombardia", "legge": "legge",
         "l": "legge", "dlgs": "dlgs", "dpr": "dpr"}  # fmt: skip


def _fallback_norms(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _FALLBACK_NORM.finditer(text):
        kind = _KIND.get(re.sub(r"[^a-z]", "", m.group("kind").lower()))
        if not kind:
            continue
        year = m.group("year")
        if len(year) == 2:
            year = ("19" if int(year) > 30 else "20") + year
        out.append((m.start(), m.end(), f"{kind}:{year}:{int(m.group('num'))}"))
    return out


def find_norms(text: str, region: str = "lombardia") -> list[tuple[int, int, str]]:
    """Norm mentions in free text as ``(start, end, norm_id)``.

    Uses ``ingest.citations.find_hits`` (the project's citation parser, lenient: a query is short
    and informal) and falls back to a small regex for the common forms if the parser fails.

    Args:
        text: a query or a passage.
        region: region of regional acts that do not name one.
    """
    try:
        hits = find_hits(text, region, lenient=True)
    except Exception:  # noqa: BLE001 - a parser bug must not break search; the regex still helps
        return _fallback_norms(text)
    return [(h.start, h.end, h.norm_id) for h in hits if h.norm_id]


# -- highlights -----------------------------------------------------------------------------------
def highlight_spans(text: str, query_stems: set[str], norm_spans: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Spans of ``text`` whose words stem to a query stem, plus the given norm spans, merged.

    Args:
        text: the passage.
        query_stems: stems from ``analyze(query)`` (norm tokens are ignored here).
        norm_spans: spans of cited norms the query asked for.
    """
    spans = [(s, e) for s, e, w in word_spans(text) if w not in STOPWORDS and stem(w) in query_stems]
    spans.extend(norm_spans)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s - merged[-1][1] <= 3 and text[merged[-1][1] : s].strip(" -–/") == "":
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        elif merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _plain(text: str) -> str:
    """Drop the source's own Markdown emphasis (``**x**``, ``*x*``) so it cannot clash with our marks."""
    return text.replace("*", "")


def snippet(text: str, spans: list[tuple[int, int]], width: int = 320, mark: tuple[str, str] = ("**", "**")) -> str:
    """A display window of about ``width`` characters around the densest highlights, terms marked.

    Whitespace is collapsed and the source's Markdown asterisks are dropped; the exact evidence is
    the hit's ``text``/``start``/``end``/``highlights``.

    Args:
        text: the passage.
        spans: highlight spans in ``text`` (sorted, non-overlapping).
        width: window size in characters.
        mark: opening and closing markers.
    """
    if len(text) <= width:
        lo, hi = 0, len(text)
    else:
        best, lo = -1, 0
        for s, _ in spans or [(0, 0)]:
            start = max(0, min(s - width // 4, len(text) - width))
            n = sum(1 for a, b in spans if a >= start and b <= start + width)
            if n > best:
                best, lo = n, start
        hi = min(len(text), lo + width)
        # cut on word boundaries
        if lo > 0:
            sp = text.find(" ", lo, lo + 30)
            lo = sp + 1 if sp >= 0 else lo
        if hi < len(text):
            sp = text.rfind(" ", hi - 30, hi)
            hi = sp if sp > lo else hi
    out, pos = [], lo
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out.append(_plain(text[pos:s]))
        out.append(mark[0] + _plain(text[s:e]) + mark[1])
        pos = e
    out.append(_plain(text[pos:hi]))
    body = " ".join("".join(out).split())
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")
