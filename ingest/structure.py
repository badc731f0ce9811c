"""Structure of a document: blocks (headings, paragraphs, list items, table rows), sections, chunks.

All spans are offsets into ``Document.raw_text``; recognition reads the repaired text of each line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from ingest.model import Block, BlockKind, Chunk, Document, Section

CHUNK_TARGET = 800
CHUNK_MAX = 1200

_ROMAN = r"[IVXLC]+"
# (kind, level, pattern): the first group, if any, is the number.
HEADING_RULES: list[tuple[str, int, re.Pattern[str]]] = [
    ("article", 2, re.compile(r"^\s*(?:\*\*)?\s*ART(?:ICOLO|\.)?\s*(\d+(?:\s*bis|\s*ter)?)\b\s*[-–—:.]?", re.I)),
    ("chapter", 1, re.compile(rf"^\s*(?:\*\*)?\s*CAPITOLO\s+(\d+|{_ROMAN})\b", re.I)),
    ("objective", 3, re.compile(r"^\s*(?:\*\*)?\s*OBIETTIVO(?:\s+DI\s+SISTEMA)?\s+(?:N\.?\s*)?(\d+)\b", re.I)),
    ("part", 1, re.compile(rf"^\s*(?:PARTE|SEZIONE|TITOLO)\s+({_ROMAN}|\d+)\b", re.I)),
]
MD_HEADING = re.compile(r"^(#{1,6})\s+\S")
NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-ZÀ-Ü][^\n]{2,90})$")
LIST_ITEM = re.compile(r"^\s*(?:[-*•▪●◦o]\s+|\d{1,2}[).]\s+|[a-z][).]\s+|\uf0b7\s*|\uf0a7\s*)")
TABLE_SPLIT = re.compile(r"\t+|\s*\|\s*")


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """Spans (start, end) of every line, without the newline."""
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        yield pos, nl
        pos = nl + 1


def _strip_md(line: str) -> str:
    return line.strip().strip("*_#").strip()


def classify_heading(line: str) -> tuple[str, int, str | None] | None:
    """(kind, level, number) when a line is a heading, else None."""
    s = line.strip()
    if not s or len(s) > 160:
        return None
    m = MD_HEADING.match(s)
    if m:
        return "heading", len(m.group(1)), None
    for kind, level, rx in HEADING_RULES:
        m = rx.match(s)
        if m:
            return kind, level, re.sub(r"\s+", " ", m.group(1)).upper()
    m = NUMBERED_HEADING.match(s)
    if m and not s.endswith((";", ",")) and len(s) <= 100:
        depth = m.group(1).count(".") + 1
        return "heading", min(1 + depth, 5), m.group(1)
    bare = _strip_md(s)
    letters = [c for c in bare if c.isalpha()]
    if 6 <= len(bare) <= 90 and len(letters) >= 5 and all(c.isupper() for c in letters) and not bare.endswith((",", ";")):
        return "heading", 3, None
    return None


def table_cells(line: str) -> list[str] | None:
    """Cells of a tab- or pipe-separated row, or None when the line is not a table row."""
    if "\t" not in line and line.count("|") < 2:
        return None
    s = line.strip()
    if re.fullmatch(r"[|\s:\-+]+", s):
        return None
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    else:
        cells = [c.strip() for c in s.strip("|").split("|")]
    cells = [c for c in cells if c]
    return cells if len(cells) >= 2 else None


def segment(doc: Document) -> tuple[list[Block], list[Section]]:
    """Cut a document into blocks and a section tree.

    Returns:
        blocks in text order, and sections (each spanning until the next heading of the same or
        a higher level) with their title paths.
    """
    raw = doc.raw_text
    blocks: list[Block] = []
    para: list[tuple[int, int]] = []

    def flush() -> None:
        if para:
            s, e = para[0][0], para[-1][1]
            blocks.append(Block(kind=BlockKind.PARAGRAPH, start=s, end=e, page=doc.page_of(s)))
            para.clear()

    for s, e in iter_lines(raw):
        line = doc.clean_slice(s, e).replace("\f", "")
        if not line.strip():
            flush()
            continue
        lead = len(raw[s:e]) - len(raw[s:e].lstrip("\f \t"))
        s2 = s + lead
        e2 = s + len(raw[s:e].rstrip())
        if e2 <= s2:
            flush()
            continue
        heading = classify_heading(line)
        if heading:
            flush()
            kind, level, _num = heading
            blocks.append(Block(kind=BlockKind.HEADING, start=s2, end=e2, page=doc.page_of(s2), level=level))
            continue
        cells = table_cells(line)
        if cells:
            flush()
            blocks.append(Block(kind=BlockKind.TABLE_ROW, start=s2, end=e2, page=doc.page_of(s2), cells=cells))
            continue
        if LIST_ITEM.match(line):
            flush()
            blocks.append(Block(kind=BlockKind.LIST_ITEM, start=s2, end=e2, page=doc.page_of(s2)))
            continue
        para.append((s2, e2))
    flush()
    return blocks, _sections(doc, blocks)


def _sections(doc: Document, blocks: list[Block]) -> list[Section]:
    sections: list[Section] = []
    stack: list[Section] = []
    end_of_doc = len(doc.raw_text)
    for b in blocks:
        if b.kind != BlockKind.HEADING:
            continue
        line = doc.clean_slice(b.start, b.end)
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


def _split_long(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Split a long span at sentence ends (or spaces) into pieces of at most CHUNK_MAX characters."""
    out: list[tuple[int, int]] = []
    raw = doc.raw_text
    while end - start > CHUNK_MAX:
        window = raw[start : start + CHUNK_MAX]
        cut = max(window.rfind(". ", CHUNK_TARGET // 2), window.rfind(".\n", CHUNK_TARGET // 2))
        if cut < 0:
            cut = window.rfind(" ", CHUNK_TARGET // 2)
        cut = CHUNK_MAX if cut < 0 else cut + 1
        out.append((start, start + cut))
        start += cut
        while start < end and raw[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))
    return out


def chunk(doc: Document, blocks: list[Block]) -> list[Chunk]:
    """Group consecutive blocks into chunks of about CHUNK_TARGET characters.

    A chunk never crosses a page or a top-level section boundary and starts at a block start.
    """
    spans: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    cur_page: int | None = None
    cur_section: list[str] = []
    for b in blocks:
        page = b.page
        section = doc.section_of(b.start)[:2]
        new_group = (
            cur is None
            or page != cur_page
            or (b.kind == BlockKind.HEADING and (b.level or 3) <= 2)
            or section != cur_section
            or (b.end - cur[0]) > CHUNK_TARGET
        )
        if new_group:
            if cur is not None:
                spans.extend(_split_long(doc, *cur))
            cur = (b.start, b.end)
            cur_page, cur_section = page, section
        else:
            cur = (cur[0], b.end)
    if cur is not None:
        spans.extend(_split_long(doc, *cur))

    chunks: list[Chunk] = []
    for i, (s, e) in enumerate(spans):
        text = doc.raw_text[s:e]
        clean = doc.clean_slice(s, e)
        sha = hashlib.sha256(clean.encode("utf-8")).hexdigest()[:16]
        chunks.append(
            Chunk(
                id=f"{doc.id}:c{i:04d}",
                doc_id=doc.id,
                ordinal=i,
                text=text,
                clean_text=clean,
                page=doc.page_of(s),
                section=doc.section_of(s),
                start=s,
                end=e,
                sha=sha,
            )
        )
    return chunks
