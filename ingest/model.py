"""The typed document model that flows ingest -> kg -> search -> ui.

Offsets are always character offsets into ``Document.raw_text``: the text exactly as loaded (a text
file decoded, a PDF's pages joined with form feeds). Extractors may read the repaired text
(``Document.text``) and map their spans back with ``Document.raw_span``; whatever they store is raw.
"""

from __future__ import annotations

import bisect
from typing import Any
from enum import StrEnum

from pydantic import Field, PrivateAttr

from ontology.model import AnyFact, Citation, DocKind, MetaValue, Model, Provenance, Relation

PAGE_BREAK = "\f"




class Page(Model):
    number: int  # 1-based
    start: int
    end: int
    ocr: bool = False


class Edit(Model):
    """One repair: raw_text[start:end] was replaced by ``text`` in the repaired text."""

    start: int
    end: int
    text: str
    rule: str


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


class Block(Model):
    """A structural unit of the raw text: a heading, a paragraph, a list item or a table row."""

    kind: BlockKind
    start: int
    end: int
    page: int | None = None
    cells: list[str] | None = None
    level: int | None = None


class Section(Model):
    id: str
    title: str
    kind: str  # "article", "chapter", "objective", "heading"...
    number: str | None = None
    level: int
    start: int
    end: int
    page: int | None = None
    path: list[str] = Field(default_factory=list)


class Chunk(Model):
    """A search unit of about 800 characters cut on paragraph boundaries; ``text`` is the raw slice."""

    id: str
    doc_id: str
    ordinal: int
    text: str
    clean_text: str
    page: int | None
    section: list[str] = Field(default_factory=list)
    start: int
    end: int
    sha: str







class Document(Model):
    id: str
    source: str  # file name as given
    path: str | None = None  # where it was read from (resolved path, or "upload:<name>"): its identity
    sha256: str
    mimetype: str
    size: int
    raw_text: str
    text: str  # repaired text; equals raw_text where nothing was repaired
    edits: list[Edit] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)
    encoding: str | None = None
    title: MetaValue | None = None
    kinds: list[MetaValue] = Field(default_factory=list)
    period: MetaValue | None = None
    ambito: MetaValue | None = None
    region: str | None = None  # slug ("lombardia"), set by detect_metadata; None: the text gives no cue
    sections: list[Section] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    chunks: list[Chunk] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    entities: list[AnyFact] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    _line_starts: list[int] | None = PrivateAttr(default=None)
    _page_starts: list[int] | None = PrivateAttr(default=None)
    _clean_starts: list[int] | None = PrivateAttr(default=None)
    _edit_starts: list[int] | None = PrivateAttr(default=None)
    _section_starts: list[int] | None = PrivateAttr(default=None)

    # -- positions -------------------------------------------------------------------------
    def line_of(self, offset: int) -> int:
        """1-based line number of a raw-text offset."""
        if self._line_starts is None:
            starts = [0]
            starts.extend(i + 1 for i, ch in enumerate(self.raw_text) if ch == "\n")
            self._line_starts = starts
        return bisect.bisect_right(self._line_starts, offset)

    def page_of(self, offset: int) -> int | None:
        """1-based page number of a raw-text offset, or None for a document without pages."""
        if not self.pages:
            return None
        if self._page_starts is None:
            self._page_starts = [p.start for p in self.pages]
        i = bisect.bisect_right(self._page_starts, offset) - 1
        return self.pages[max(i, 0)].number

    def section_of(self, offset: int) -> list[str]:
        """Section path (titles, outermost first) of the innermost section containing a raw offset."""
        if not self.sections:
            return []
        if self._section_starts is None or len(self._section_starts) != len(self.sections):
            self.sections.sort(key=lambda s: (s.start, s.level))  # a no-op for sections made in text order
            self._section_starts = [s.start for s in self.sections]
        # Sections nest, so the innermost one holding ``offset`` is the latest-starting one that does.
        for i in range(bisect.bisect_right(self._section_starts, offset) - 1, -1, -1):
            s = self.sections[i]
            if s.start <= offset < s.end:
                return list(s.path)
        return []

    # -- repaired text <-> raw text --------------------------------------------------------
    def _clean_index(self) -> list[int]:
        """Start of each edit's replacement in the repaired text (cached)."""
        if self._clean_starts is None:
            starts, shift = [], 0
            for e in self.edits:
                starts.append(e.start + shift)
                shift += len(e.text) - (e.end - e.start)
            self._clean_starts = starts
        return self._clean_starts

    def raw_offset(self, clean_offset: int, *, end: bool = False) -> int:
        """Map an offset in ``text`` to the matching offset in ``raw_text``.

        Args:
            clean_offset: offset into the repaired text.
            end: the offset closes a span; inside (or right after) a replacement it maps to the end
                of the raw text replaced, so the span covers it whole.
        """
        if not self.edits:
            return clean_offset
        cs = self._clean_index()
        i = (bisect.bisect_left(cs, clean_offset) if end else bisect.bisect_right(cs, clean_offset)) - 1
        if i < 0:
            return clean_offset
        e = self.edits[i]
        c1 = cs[i] + len(e.text)
        if (clean_offset <= c1) if end else (clean_offset < c1):
            return e.end if end else e.start
        return e.end + (clean_offset - c1)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the span of ``raw_text`` it was repaired from."""
        a, b = self.raw_offset(start), self.raw_offset(end, end=True)
        return a, max(a, b)

    def clean_slice(self, start: int, end: int) -> str:
        """The repaired text of the raw span [start, end) (edits only partly inside are left raw)."""
        if not self.edits:
            return self.raw_text[start:end]
        if self._edit_starts is None:
            self._edit_starts = [e.start for e in self.edits]
        out, pos = [], start
        for i in range(bisect.bisect_left(self._edit_starts, start), len(self.edits)):
            e = self.edits[i]
            if e.start >= end or e.end > end:
                break
            out.append(self.raw_text[pos : e.start])
            out.append(e.text)
            pos = e.end
        out.append(self.raw_text[pos:end])
        return "".join(out)

    def provenance(self, start: int, end: int, *, quote_limit: int = 300) -> Provenance:
        """Evidence for the raw span [start, end): page, line, section and the quoted raw text."""
        return Provenance(
            doc_id=self.id,
            page=self.page_of(start),
            start=start,
            end=end,
            line=self.line_of(start),
            section=self.section_of(start),
            quote=self.raw_text[start:end][:quote_limit],
        )

    def kind_values(self) -> list[str]:
        return [k.value for k in self.kinds]

    def metadata(self) -> dict[str, Any]:
        """The document's metadata as flat values (what the graph's :Document node and the search
        index store): file, identity, kinds, period, Ambito, region, sizes."""
        return {
            "id": self.id,
            "source": self.source,
            "path": self.path,
            "sha256": self.sha256,
            "mimetype": self.mimetype,
            "size": self.size,
            "title": self.title.value if self.title else None,
            "kinds": self.kind_values(),
            "period": self.period.value if self.period else None,
            "ambito": self.ambito.value if self.ambito else None,
            "region": self.region,
            "pages": len(self.pages) or None,
            "chunks": len(self.chunks),
            "chars": len(self.raw_text),
            "ocr_repairs": len(self.edits),
        }


class Status(StrEnum):
    OK = "ok"
    SKIPPED_UNCHANGED = "skipped_unchanged"
    FAILED = "failed"


class StageError(Model):
    """An error recorded for one file: which stage, and a one-line reason."""

    source: str
    stage: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"
