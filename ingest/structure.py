"""Structure of a document: blocks (headings, paragraphs, list items, table rows), sections, chunks.

All spans are offsets into ``Document.raw_text``; recognition reads the repaired text of each line.

Headings: document titles ("ACCORDO DI PROGRAMMA", "PIANO DI ZONA 2021-2023", level 0), chapters and
parts (1), articles "ART. N – ..." (2), objectives "Obiettivo (prioritario) N" (3), markdown headings
(their depth), numbered headings "2.1 Title" (depth + 1) and short all-capital lines (3). Tables: a line
with a tab, or with two or more pipes, is a ``table_row`` block whose cells are its fields (a "LABEL<TAB>"
row keeps its empty value cell; a table-of-contents line "Capitolo 1. Title<TAB>4" is a row, not a
heading). Lists: bullet or numbered lines. Everything else groups into paragraphs at blank lines.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterator

from ingest.model import Block, BlockKind, Chunk, Document, Section

CHUNK_TARGET = 800
CHUNK_MAX = 1200
CHUNK_MIN = 100  # a shorter piece, or one of headings only, joins a neighbour on its page

_ROMAN = r"[IVXLC]+"
# (kind, level, pattern): the first group, if any, is the number.
HEADING_RULES: list[tuple[str, int, re.Pattern[str]]] = [
    (
        "document",
        0,
        re.compile(
            r"^\s*(?:\*\*)?\s*(ACCORDO\s+DI\s+PROGRAMMA|PIANO\s+(?:SOCIALE\s+)?DI\s+ZONA)"
            r"(?:\s+(?:20\d\d\s*[-–/]\s*20\d\d))?\s*(?:\*\*)?\s*$",
            re.I,
        ),
    ),
    ("article", 2, re.compile(r"^\s*(?:\*\*)?\s*ART(?:ICOLO|\.)?\s*(\d+(?:\s*bis|\s*ter)?)\b\s*(?:[-–—:.]|\*\*|$|\s+[A-ZÀ-Ü])", re.I)),
    ("chapter", 1, re.compile(rf"^\s*(?:\*\*)?\s*CAPITOLO\s+(\d+|{_ROMAN})\b", re.I)),
    ("objective", 3, re.compile(r"^\s*(?:\*\*)?\s*OBIETTIVO(?:\s+(?:DI\s+SISTEMA|PRIORITARIO|STRATEGICO|SPECIFICO|GENERALE))?\s+(?:N\.?\s*)?(\d+)\b", re.I)),
    ("part", 1, re.compile(rf"^\s*(?:PARTE|SEZIONE|TITOLO|ALLEGATO)\s+({_ROMAN}|\d+)\b", re.I)),
]
MD_HEADING = re.compile(r"^(#{1,6})\s+\S")
NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-ZÀ-Ü][^\n]{2,90})$")
LIST_ITEM = re.compile(r"^\s*(?:[-*•▪●◦❖➢►→✓o]\s+|\d{1,2}[).]\s+|[a-z][).]\s+|\uf0b7\s*|\uf0a7\s*|\uf0d8\s*)")
TABLE_RULE = re.compile(r"[|\s:\-+=_]+")


_LINE_END = re.compile(r"[\n\f]")


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """Spans (start, end) of every line, without the newline; a form feed (page break) also ends a line."""
    pos = 0
    for m in _LINE_END.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _strip_md(line: str) -> str:
    return line.strip().strip("*_#").strip()


def classify_heading(line: str) -> tuple[str, int, str | None] | None:
    """(kind, level, number) when a line is a heading, else None.

    Args:
        line: one line of (repaired) text.
    """
    s = line.strip()
    if not s or len(s) > 160 or "\t" in s:
        return None
    m = MD_HEADING.match(s)
    if m:
        return "heading", len(m.group(1)), None
    for kind, level, rx in HEADING_RULES:
        m = rx.match(s)
        if m:
            number = None if kind == "document" else re.sub(r"\s+", " ", m.group(1)).upper()
            return kind, level, number
    m = NUMBERED_HEADING.match(s)
    if m and not s.endswith((";", ",", ".", ":")) and len(s) <= 100:
        depth = m.group(1).count(".") + 1
        return "heading", min(1 + depth, 5), m.group(1)
    bare = _strip_md(s)
    letters = [c for c in bare if c.isalpha()]
    if 6 <= len(bare) <= 90 and len(letters) >= 5 and all(c.isupper() for c in letters) and not bare.endswith((",", ";")):
        return "heading", 3, None
    return None


def table_cells(line: str) -> list[str] | None:
    """Cells of a tab- or pipe-separated row, or None when the line is not a table row.

    A tab row keeps empty cells ("LABEL<TAB>" has an empty value); a pipe row drops the empty cells
    of its outer pipes. Rule lines ("|---|---|", "--<TAB>---") are not rows.

    Args:
        line: one line of (repaired) text.
    """
    if "\t" not in line and line.count("|") < 2:
        return None
    s = line.strip(" \f\r")
    if not s.strip() or TABLE_RULE.fullmatch(s):
        return None
    if "\t" in s:
        cells = [c.strip() for c in s.split("\t")]
        while len(cells) > 2 and not cells[-1]:
            cells.pop()
    else:
        cells = [c.strip() for c in s.strip().strip("|").split("|")]
    if not any(cells):
        return None
    return cells if len(cells) >= 2 else None


class _Cleaner:
    """Fast repaired-text slices of raw spans (same result as ``Document.clean_slice``)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.edits = doc.edits
        self.starts = [e.start for e in doc.edits]

    def __call__(self, start: int, end: int) -> str:
        raw = self.doc.raw_text
        if not self.edits:
            return raw[start:end]
        i = bisect.bisect_left(self.starts, start)
        out, pos = [], start
        while i < len(self.edits):
            e = self.edits[i]
            if e.start >= end or e.end > end:
                break
            out.append(raw[pos : e.start])
            out.append(e.text)
            pos = e.end
            i += 1
        out.append(raw[pos:end])
        return "".join(out)


def segment(doc: Document) -> tuple[list[Block], list[Section]]:
    """Cut a document into blocks and a section tree.

    Args:
        doc: a document with ``raw_text`` (and ``edits``, ``pages`` if any).

    Returns:
        blocks in text order, and sections (each spanning until the next heading of the same or
        a higher level) with their title paths.
    """
    raw = doc.raw_text
    clean = _Cleaner(doc)
    blocks: list[Block] = []
    para: list[tuple[int, int]] = []

    def flush() -> None:
        if para:
            s, e = para[0][0], para[-1][1]
            blocks.append(Block(kind=BlockKind.PARAGRAPH, start=s, end=e, page=doc.page_of(s)))
            para.clear()

    for s, e in iter_lines(raw):
        if s and raw[s - 1] == "\f":
            flush()  # a paragraph never crosses a page
        line = clean(s, e)
        if not line.strip():
            flush()
            continue
        seg = raw[s:e]
        s2 = s + len(seg) - len(seg.lstrip("\f \t"))
        e2 = s + len(seg.rstrip())
        if e2 <= s2:
            flush()
            continue
        if "\t" in line or line.count("|") >= 2:
            cells = table_cells(line)
            if cells:
                flush()
                # a row keeps its leading tab: "\tvalue" continues the row above
                rs = s + len(seg) - len(seg.lstrip("\f "))
                blocks.append(Block(kind=BlockKind.TABLE_ROW, start=rs, end=e2, page=doc.page_of(s2), cells=cells))
                continue
            if TABLE_RULE.fullmatch(line.strip()):
                flush()
                continue
        heading = classify_heading(line)
        if heading:
            flush()
            kind, level, _num = heading
            blocks.append(Block(kind=BlockKind.HEADING, start=s2, end=e2, page=doc.page_of(s2), level=level))
            continue
        if LIST_ITEM.match(line):
            flush()
            blocks.append(Block(kind=BlockKind.LIST_ITEM, start=s2, end=e2, page=doc.page_of(s2)))
            continue
        para.append((s2, e2))
    flush()
    return blocks, _sections(doc, blocks, clean)


def _sections(doc: Document, blocks: list[Block], clean: _Cleaner) -> list[Section]:
    sections: list[Section] = []
    stack: list[Section] = []
    end_of_doc = len(doc.raw_text)
    for b in blocks:
        if b.kind != BlockKind.HEADING:
            continue
        line = clean(b.start, b.end)
        kind, level, number = classify_heading(line) or ("heading", b.level or 3, None)
        title = re.sub(r"\s+", " ", _strip_md(line))[:160]
        while stack and stack[-1].level >= level:
            closed = stack.pop()
            closed.end = b.start
        path = [s.title for s in stack] + [title]
        sec = Section(
            id=f"{doc.id}:s{len(sections)}",
            title=title,
            kind=kind,
            number=number,
            level=level,
            start=b.start,
            end=end_of_doc,
            page=b.page,
            path=path,
        )
        sections.append(sec)
        stack.append(sec)
    return sections


class SectionLocator:
    """``Document.section_of`` for offsets visited in increasing order, in linear time overall."""

    def __init__(self, sections: list[Section]):
        self.sections = sorted(sections, key=lambda s: (s.start, s.level))
        self.i = 0
        self.stack: list[Section] = []

    def __call__(self, offset: int) -> list[str]:
        while self.i < len(self.sections) and self.sections[self.i].start <= offset:
            self.stack.append(self.sections[self.i])
            self.i += 1
        best: Section | None = None
        for s in self.stack:
            if s.start <= offset < s.end and (best is None or s.level >= best.level):
                best = s
        self.stack = [s for s in self.stack if s.end > offset]
        return list(best.path) if best else []


def _split_long(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Split a long span at sentence ends (or spaces) into pieces of at most CHUNK_MAX characters
    (CHUNK_MAX + CHUNK_MIN when the rest would be shorter than CHUNK_MIN)."""
    out: list[tuple[int, int]] = []
    raw = doc.raw_text
    while end - start > CHUNK_MAX + CHUNK_MIN:
        window = raw[start : start + CHUNK_MAX]
        cut = max(window.rfind(". ", CHUNK_TARGET // 2), window.rfind(".\n", CHUNK_TARGET // 2))
        if cut < 0:
            cut = max(window.rfind("\n", CHUNK_TARGET // 2), window.rfind(" ", CHUNK_TARGET // 2))
        cut = CHUNK_MAX if cut < 0 else cut + 1
        out.append((start, start + cut))
        start += cut
        while start < end and raw[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))
    return out


def _groups(doc: Document, blocks: list[Block]) -> list[list[Block]]:
    """Consecutive blocks grouped on page, top-level section and size boundaries."""
    groups: list[list[Block]] = []
    cur: list[Block] = []
    cur_page: int | None = None
    cur_section: list[str] = []
    locate = SectionLocator(doc.sections)
    for b in blocks:
        section = locate(b.start)[:2]
        new_group = (
            not cur
            or b.page != cur_page
            or (b.kind == BlockKind.HEADING and (b.level or 3) <= 2)
            or section != cur_section
            or (b.end - cur[0].start) > CHUNK_TARGET
        )
        if new_group:
            lead: list[Block] = []
            if cur and b.page == cur_page:  # trailing headings of the group head this block's text
                while len(cur) > len(lead) + 1 and cur[-1 - len(lead)].kind == BlockKind.HEADING:
                    lead.insert(0, cur[-1 - len(lead)])
                cur = cur[: len(cur) - len(lead)]
            if cur:
                groups.append(cur)
            cur, cur_page, cur_section = lead + [b], b.page, section
        else:
            cur.append(b)
    if cur:
        groups.append(cur)
    return groups


def _is_stub(group: list[Block]) -> bool:
    """A group that cannot stand alone as a passage: headings only, or under CHUNK_MIN characters."""
    return all(b.kind == BlockKind.HEADING for b in group) or group[-1].end - group[0].start < CHUNK_MIN


def merge_stubs(groups: list[list[Block]]) -> list[list[Block]]:
    """Join every heading-only or tiny group to a neighbour on its page.

    Headings go forward, to the text they head; a tiny piece of text goes back to the passage it
    ends (or forward when there is none on its page). A page holding nothing else keeps it alone.

    Args:
        groups: block groups in text order (``_groups``).
    """
    out: list[list[Block]] = []

    def back(g: list[Block]) -> bool:
        if out and out[-1][0].page == g[0].page and g[-1].end - out[-1][0].start <= CHUNK_MAX + CHUNK_MIN:
            out[-1] = out[-1] + g
            return True
        return False

    carry: list[Block] = []
    for g in groups:
        if carry and carry[0].page != g[0].page:  # never across a page
            if not back(carry):
                out.append(carry)
            carry = []
        g = carry + g
        carry = []
        if not _is_stub(g):
            out.append(g)
        elif g[0].kind == BlockKind.HEADING or not back(g):
            carry = g
    if carry and not back(carry):
        out.append(carry)
    return out


def chunk(doc: Document, blocks: list[Block]) -> list[Chunk]:
    """Group consecutive blocks into chunks of about CHUNK_TARGET characters.

    A chunk never crosses a page or a top-level section boundary and starts at a block start; a
    heading is kept with the text under it, so no chunk is a lone heading or shorter than CHUNK_MIN
    characters unless its page holds nothing else. Its ``text`` is ``raw_text[start:end]`` and its
    ``clean_text`` the repaired text of that span.

    Args:
        doc: the document (its ``sections`` must be set).
        blocks: the document's blocks in text order.
    """
    spans: list[tuple[int, int]] = []
    for g in merge_stubs(_groups(doc, blocks)):
        spans.extend(_split_long(doc, g[0].start, g[-1].end))

    clean = _Cleaner(doc)
    locate = SectionLocator(doc.sections)
    chunks: list[Chunk] = []
    for i, (s, e) in enumerate(spans):
        text = doc.raw_text[s:e]
        clean_text = clean(s, e)
        sha = hashlib.sha256(clean_text.encode("utf-8")).hexdigest()[:16]
        chunks.append(
            Chunk(
                id=f"{doc.id}:c{i:04d}",
                doc_id=doc.id,
                ordinal=i,
                text=text,
                clean_text=clean_text,
                page=doc.page_of(s),
                section=locate(s),
                start=s,
                end=e,
                sha=sha,
            )
        )
    return chunks
