"""Loaders: bytes on disk -> raw text with page boundaries.

Each loader returns a ``Loaded`` whose ``raw_text`` is the reference every offset points into. PDF
pages are joined with a form feed so page boundaries survive in the text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import CorruptFile, UnsupportedFormat
from ingest.model import PAGE_BREAK, Page

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES

MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Loaded:
    raw_text: str
    mimetype: str
    pages: list[Page] = field(default_factory=list)
    encoding: str | None = None


ProgressFn = Callable[[int, int], None]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sniff(path: Path, head: bytes) -> str:
    """Decide the real format from the first bytes, whatever the extension says."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    return "text"


def load(path: Path, *, ocr: str = "auto", progress: ProgressFn | None = None) -> Loaded:
    """Read a file into raw text.

    Args:
        path: the file.
        ocr: "auto" (OCR pages without a usable text layer), "always" or "never".
        progress: called with (pages done, pages total) while a PDF is read.

    Raises:
        UnsupportedFormat: the extension is not one we read.
        CorruptFile: the file is empty, damaged, encrypted or not what it claims to be.
    """
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(name, f"unsupported file type '{suffix or '(none)'}'; use PDF, TXT, MD or DOCX")
    size = path.stat().st_size
    if size == 0:
        raise CorruptFile(name, "empty file (0 bytes)")
    if size > MAX_BYTES:
        raise CorruptFile(name, f"file too large ({size // (1024 * 1024)} MiB > {MAX_BYTES // (1024 * 1024)} MiB)")
    with path.open("rb") as f:
        head = f.read(8)
    real = sniff(path, head)
    if suffix in PDF_SUFFIXES and real != "pdf":
        raise CorruptFile(name, "not a PDF (no %PDF- header)")
    if suffix in DOCX_SUFFIXES and real != "docx":
        raise CorruptFile(name, "not a DOCX (not a zip container)")
    if suffix in TEXT_SUFFIXES and real != "text":
        raise CorruptFile(name, f"binary content ({real.upper()}) in a text file; rename it to .{real}")
    if real == "pdf":
        from ingest.pdf import load_pdf

        return load_pdf(path, ocr=ocr, progress=progress)
    if real == "docx":
        return load_docx(path)
    return load_text(path)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode text bytes: UTF-8 (with or without BOM), else cp1252, else latin-1.

    Raises:
        CorruptFile: the bytes look binary (NUL bytes or many control characters).
    """
    if b"\x00" in data[:65536]:
        raise CorruptFile(name, "binary content (NUL bytes) in a text file")
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sample = text[:65536]
        controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
        if sample and controls / len(sample) > 0.01:
            raise CorruptFile(name, "binary content (control characters) in a text file")
        return text, ("utf-8" if enc == "utf-8-sig" else enc)
    raise CorruptFile(name, "undecodable text")  # latin-1 never fails; kept for completeness


def load_text(path: Path) -> Loaded:
    text, encoding = decode_text(path.read_bytes(), path.name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise CorruptFile(path.name, "no text (only whitespace)")
    mimetype = "text/markdown" if path.suffix.lower() in {".md", ".markdown"} else "text/plain"
    return Loaded(raw_text=text, mimetype=mimetype, encoding=encoding)


def load_docx(path: Path) -> Loaded:
    """Paragraphs and table rows of a DOCX, in body order; table cells joined by tabs."""
    import zipfile

    try:
        import docx  # python-docx
        from docx.document import Document as _Doc
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise CorruptFile(path.name, f"python-docx is not installed ({exc})") from exc
    try:
        d: _Doc = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptFile(path.name, f"corrupt DOCX ({exc.__class__.__name__}: {exc})") from exc
    lines: list[str] = []
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, d)
            style = (p.style.name if p.style is not None else "") or ""
            text = p.text
            if style.lower().startswith("heading") and text.strip():
                level = "".join(ch for ch in style if ch.isdigit()) or "1"
                text = "#" * int(level) + " " + text
            elif style.lower().startswith("list") and text.strip():
                text = "- " + text
            lines.append(text)
        elif tag == "tbl":
            t = Table(child, d)
            for row in t.rows:
                lines.append("\t".join(c.text.replace("\n", " ") for c in row.cells))
            lines.append("")
    text = "\n".join(lines)
    if not text.strip():
        raise CorruptFile(path.name, "DOCX has no text")
    return Loaded(
        raw_text=text,
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


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
