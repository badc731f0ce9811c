"""What every loader returns: raw text with page boundaries (shared by ``loaders``, ``pdf`` and ``formats``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.model import PAGE_BREAK, Page

ProgressFn = Callable[[int, int], None]


@dataclass
class Loaded:
    raw_text: str
    mimetype: str
    pages: list[Page] = field(default_factory=list)
    encoding: str | None = None


def join_pages(page_texts: list[str], ocr_flags: list[bool] | None = None) -> tuple[str, list[Page]]:
    """Join page texts with form feeds and record each page's span."""
    parts: list[str] = []
    pages: list[Page] = []
    pos = 0
    for i, t in enumerate(page_texts):
        if i:
            parts.append(PAGE_BREAK)
            pos += 1
        t = t.replace("\r\n", "\n").replace("\r", "\n").replace(PAGE_BREAK, "\n")
        parts.append(t)
        pages.append(Page(number=i + 1, start=pos, end=pos + len(t), ocr=bool(ocr_flags and ocr_flags[i])))
        pos += len(t)
    return "".join(parts), pages
