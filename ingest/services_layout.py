"""Where a service mention sits in the layout of a document: an entry of a table of contents (its page number
after it, in any typography), a section title, the title lines of the text, a row of a statistics table.
Used by ingest/entities_services.py."""

from __future__ import annotations

import re

from ingest.entities_common import Ctx


# The end and the start of a table-of-contents entry that is nothing but a title: its leaders and page number
# right after it; before it the start of a line, the page number of the entry before, or a section number.
TOC_ENTRY_END_RE = re.compile(r"(?:[ \t]*\.{3,}|[ \t]*\u2026+|\t|[ \t]+(?i:pag(?:ina|g)?)\.?)[ \t]*\d{1,3}\b")
TOC_ENTRY_START_RE = re.compile(r"(?:^|\n|\d[ \t]+)(?:\d{1,2}(?:\.\d{1,2})*\.?[ \t]+)?$")


def in_numeric_row(ctx: Ctx, offset: int) -> bool:
    """True inside a statistics table row (three or more numeric tab-separated cells)."""
    ls, le = ctx.line_bounds(offset)
    cells = ctx.text[ls:le].split("\t")
    return sum(1 for c in cells if re.fullmatch(r"\s*[\d.,%*-]+\s*", c)) >= 3


def title_lines(ctx: Ctx) -> set[int]:
    """Line numbers of the title: the first three non-empty lines of the text."""
    out: list[int] = []
    for s, _, line in ctx.lines():
        if line.strip():
            out.append(ctx.doc.line_of(ctx.doc.raw_offset(s)))
            if len(out) == 3:
                break
    return set(out)


# A table-of-contents entry: a title, dot leaders (or a tab, or the abbreviation "pag." / "pagina") and a page
# number ("Servizio di Assistenza Domiciliare (SAD) pag. 41"); a mirror may run the entries of an index into one
# line, each entry still ends with its page.
TOC_AFTER_RE = re.compile(r"[^\n.]{0,60}?(?:\s*\.{3,}|\s*\u2026+|\t|\s+(?i:pag(?:ina|g)?)\.?)\s*\d{1,3}\b")


def in_heading(ctx: Ctx, start: int, end: int) -> bool:
    """True when the mention is in the title of a section or in a table-of-contents entry: the
    document gives the service a part of its own ("4.2 Attuazione Legge 112/16 Dopo di Noi ...... 67")."""
    if TOC_AFTER_RE.match(ctx.text, end):
        return True
    raw = ctx.doc.raw_offset(start)
    for sec in ctx.doc.sections:
        if sec.kind != "document" and sec.start <= raw:
            nl = ctx.doc.raw_text.find("\n", sec.start)
            if raw < (nl if nl >= 0 else len(ctx.doc.raw_text)) and len(sec.title) < 120:
                return True
    return False
