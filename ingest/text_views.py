"""Readings of a damaged text layer in which vocabulary terms are looked for: letter-spaced headings, OCR letter
confusions. Each reading keeps, for every character, its offset in the text, so a hit found there is a span of
the text as it is. (Bold type printed twice is repaired in the text itself: ``ingest.repair.rule_fake_bold``.)"""

from __future__ import annotations

import re
from functools import lru_cache

from ontology.vocab import fold, load_vocab


def _view(text: str, edits: list[tuple[int, int, str, list[int]]]) -> tuple[str, list[int]]:
    """``text`` with each edit (start, end, reading, offset of each character of the reading) applied, and the
    offset in ``text`` of every character of the result (plus one past the end)."""
    parts, back, pos = [], [], 0
    for a, b, once, offs in sorted(edits):
        if a < pos:
            continue
        parts.append(text[pos:a])
        back.extend(range(pos, a))
        parts.append(once)
        back.extend(offs)
        pos = b
    parts.append(text[pos:])
    back.extend(range(pos, len(text)))
    back.append(len(text))
    return "".join(parts), back


# A heading set in spaced letters ("A S S E M B L E A   D E I   S I N D A C I"): letters one space apart are one
# word, words are two or more spaces apart.
SPACED_RE = re.compile(r"(?<![^\s])[A-Za-z\u00c0-\u00ff](?: [A-Za-z\u00c0-\u00ff'\u2019]){3,}(?:[ \t]{2,}[A-Za-z\u00c0-\u00ff](?: [A-Za-z\u00c0-\u00ff'\u2019])*)*(?![^\s])")


def spaced_view(text: str) -> tuple[str, list[int]] | None:
    """The text with letter-spaced headings read as words (offsets as ``undoubled_view``); None when it has none."""
    edits = []
    for m in SPACED_RE.finditer(text):
        once, offs = [], []
        for wm in re.finditer(r"\S(?: \S)*", m.group()):
            if once:
                once.append(" ")
                offs.append(m.start() + wm.start() - 1)
            for k in range(0, len(wm.group()), 2):
                once.append(wm.group()[k])
                offs.append(m.start() + wm.start() + k)
        edits.append((m.start(), m.end(), "".join(once), offs))
    return _view(text, edits) if edits else None


def read_once(surface: str) -> str:
    """A surface with spaced letters joined (the surface itself when it has none)."""
    view = spaced_view(surface)
    return view[0] if view is not None else surface


def view_hits(matcher, text: str) -> list[tuple[int, int, object]]:
    """Hits of ``matcher`` that exist only once spaced letters are joined, with their spans in ``text``."""
    out = []
    view = spaced_view(text)
    if view is not None:
        vt, back = view
        for s, e, c in matcher.finditer(vt):
            if vt[s:e] != text[back[s]:back[s] + e - s]:
                out.append((back[s], back[e - 1] + 1, c))
    return out


# OCR confuses letters of one shape (Tesseract on scanned pages: "rn" for "m", "cl" for "d", "li" for "h", "l",
# "1" and "i" for one another, "0" for "o"): "l'Assernblea dei Sindaci", "l'Ufficio di Plano". A vocabulary term
# is also read with those confusions in its words of four or more letters; such a hit is named by the term.
OCR_CONFUSABLE = {"m": "(?:m|rn|nn)", "d": "(?:d|cl)", "h": "(?:h|li)", "i": "[il1]", "l": "[li1]", "o": "[o0]"}


def _ocr_regex(label: str) -> str:
    words = []
    for w in re.split(r"[\s'\-]+", fold(label).strip()):
        if w:
            words.append("".join(OCR_CONFUSABLE.get(ch, re.escape(ch)) for ch in w) if len(w) >= 4 else re.escape(w))
    return r"[\s'\-]*".join(words)


@lru_cache(maxsize=8)
def _ocr_patterns(scheme: str) -> tuple[tuple[re.Pattern[str], object], ...]:
    out = []
    for c in load_vocab().scheme(scheme):
        if c.alt:
            alts = sorted({_ocr_regex(lab) for lab in c.alt}, key=len, reverse=True)
            out.append((re.compile(r"(?<![a-z0-9])(?:" + "|".join(alts) + r")(?![a-z0-9])"), c))
    return tuple(out)


def ocr_hits(scheme: str, text: str, folded: str | None = None) -> list[tuple[int, int, object]]:
    """Hits of a scheme's terms read with OCR letter confusions that are not hits as written, with spans in
    ``text``."""
    f = folded if folded is not None else fold(text)
    exact = load_vocab().matcher(scheme)
    written = [(s, e) for s, e, _ in exact.finditer(text, f)]
    out = []
    for rx, c in _ocr_patterns(scheme):
        for m in rx.finditer(f):
            if not any(a < m.end() and m.start() < b for a, b in written):
                out.append((m.start(), m.end(), c))
    out.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list = []
    for h in out:
        if not any(a < h[1] and h[0] < b for a, b, _ in kept):
            kept.append(h)
    return kept
