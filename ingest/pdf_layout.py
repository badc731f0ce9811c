"""Paragraph breaks of a PDF page, read from the vertical gaps between its lines.

pypdf writes one line break between two lines of a page whatever the space between them, so the blank
line that separates two paragraphs, a heading from its text or a list from the next sentence is lost,
and every rule that reads "\\n\\n" as the end of a block reads a PDF worse than the same text saved as
a file. The text pypdf extracts is, piece by piece, what it hands its text visitor together with the
text and transformation matrices of each piece, so each output line has a baseline and a font size.
A page sets its lines at one pitch (the leading, a multiple of the font size); a gap between two
consecutive lines clearly wider than that pitch is the space a typesetter puts between paragraphs,
and there the line break becomes a blank line.

Only breaks pypdf already wrote are widened: no text is moved, joined or dropped, and a page whose
visitor pieces do not add up to its text (a pypdf change) is returned as pypdf gave it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median
from typing import Any

# A gap this much wider than the page's pitch is space between blocks, not leading: word processors
# put 0.4-1 line between paragraphs (6-12 pt on 11 pt type), while the leading of one paragraph varies
# by a few per cent between lines (superscripts, mixed fonts).
PARAGRAPH_GAP = 1.3
# The pitch is measured on pairs of consecutive lines of about the same size; too few pairs (a page
# of scattered labels) and the page keeps pypdf's breaks.
MIN_PAIRS = 3
DEFAULT_PITCH = 1.2  # leading / font size when a page has too few pairs to measure it


@dataclass
class _Line:
    """One output line: where it ends in the page text, its baseline and font size (None: blank)."""

    end: int
    y: float | None = None
    size: float | None = None


def _baseline(cm: list[float], tm: list[float], font_size: float) -> tuple[float, float] | None:
    """Baseline y and rendered font size of a text piece; None for rotated or degenerate text."""
    if abs(tm[1]) > 1e-6 or abs(tm[2]) > 1e-6 or abs(cm[1]) > 1e-6 or abs(cm[2]) > 1e-6:
        return None  # rotated or skewed text: its lines do not run down the page
    y = tm[5] * cm[3] + cm[5]
    size = abs(font_size * tm[3] * cm[3])
    if not math.isfinite(y) or not size or not math.isfinite(size):
        return None
    return y, size


def _lines(pieces: list[tuple[str, tuple[float, float] | None]]) -> list[_Line]:
    """Split the visitor's pieces into output lines, each placed by its first non-blank piece."""
    lines: list[_Line] = []
    cur = _Line(end=0)
    offset = 0
    for text, where in pieces:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:  # a line break ends the current line
                cur.end = offset
                lines.append(cur)
                cur = _Line(end=0)
                offset += 1
            if part.strip() and cur.y is None and where is not None:
                cur.y, cur.size = where
            offset += len(part)
    cur.end = offset
    lines.append(cur)
    return lines


def _pitch(lines: list[_Line]) -> float:
    """The page's leading as a multiple of the font size: the median over consecutive same-size lines."""
    ratios = []
    for a, b in zip(lines, lines[1:]):
        if a.y is None or b.y is None or a.size is None or b.size is None:
            continue
        gap = a.y - b.y
        if abs(a.size - b.size) <= 0.15 * a.size and 0.8 * a.size < gap < 2.5 * a.size:
            ratios.append(gap / a.size)
    return median(ratios) if len(ratios) >= MIN_PAIRS else DEFAULT_PITCH


def paragraph_breaks(pieces: list[tuple[str, tuple[float, float] | None]]) -> list[int]:
    """Offsets (in the joined text of ``pieces``) of the line breaks that end a paragraph.

    Args:
        pieces: the page's text pieces in pypdf's order, each with its baseline and font size (None
            where unknown).
    """
    lines = _lines(pieces)
    pitch = _pitch(lines)
    out = []
    for a, b in zip(lines, lines[1:]):
        if a.y is None or b.y is None or a.size is None or b.size is None:
            continue  # a blank line (already a break) or an unplaced one
        gap = a.y - b.y  # PDF y grows up the page: the next line is lower when gap > 0
        if gap > PARAGRAPH_GAP * pitch * (a.size + b.size) / 2:  # two sizes: a line of each is half the gap
            out.append(a.end)
    return out


def page_text(page: Any) -> str:
    """A pypdf page's text with a blank line wherever the page leaves space between two blocks."""
    pieces: list[tuple[str, tuple[float, float] | None]] = []

    def visit(text: str, cm: list[float], tm: list[float], font_dict: Any, font_size: float) -> None:
        if text:
            pieces.append((text, _baseline(cm, tm, font_size or 0.0)))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(t for t, _ in pieces) != text:
        return text
    breaks = paragraph_breaks(pieces)
    if not breaks:
        return text
    chunks, last = [], 0
    for at in breaks:
        chunks.append(text[last:at])
        last = at
    chunks.append(text[last:])
    return "\n".join(chunks)
