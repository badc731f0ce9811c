"""Loaders: bytes on disk -> raw text with page boundaries.

Each loader returns a ``Loaded`` whose ``raw_text`` is the reference every offset points into. PDF
pages are joined with a form feed so page boundaries survive in the text.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

from ingest.errors import CorruptFile, IngestError, UnsupportedFormat
from ingest.formats import MHTML_SUFFIXES, load_doc, load_html, load_mhtml, unwrap_signed
from ingest.loaded import Loaded, ProgressFn, join_pages
from ingest.pdf import load_pdf

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
DOC_SUFFIXES = {".doc"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SIGNED_SUFFIXES = {".p7m"}
SUPPORTED_SUFFIXES = (TEXT_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES | DOC_SUFFIXES | HTML_SUFFIXES | MHTML_SUFFIXES
                      | SIGNED_SUFFIXES)
SUPPORTED_NAMES = "PDF, DOCX, DOC, TXT, MD, HTML or signed .p7m"
SUFFIX_OF_KIND = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "text": ".txt"}

MAX_BYTES = 200 * 1024 * 1024
MAX_SIGNED_DEPTH = 3  # a .p7m inside a .p7m (counter-signed files), at most this deep

__all__ = ["Loaded", "ProgressFn", "join_pages", "load", "SUPPORTED_SUFFIXES"]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "docx"),  # any zip container; load_docx checks it is a Word document
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),  # OLE2: legacy .doc/.xls
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7z"),
    (b"Rar!", "rar"),
    (b"\x7fELF", "elf"),  # (Windows "MZ" executables are caught by their NUL bytes)
    (b"{\\rtf", "rtf"),
]
_SIGNED_DATA_OID = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02"  # 1.2.840.113549.1.7.2


def sniff(path: Path, head: bytes) -> str:
    """Decide the real format from the first bytes, whatever the extension says.

    Returns:
        "pdf", "docx", "text", or the name of another binary format ("png", "zip", "doc"...).
    """
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-") and not head.startswith(b"%PDF-"):
        head = head.lstrip(b"\xef\xbb\xbf\r\n\t ")
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if head[:1] == b"\x30" and _SIGNED_DATA_OID in head[:32]:
        return "p7m"
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
    if not path.exists():
        raise CorruptFile(name, "no such file")
    if path.is_dir():
        raise UnsupportedFormat(name, "is a folder, not a file")
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(name, f"unsupported file type '{suffix or '(none)'}'; use {SUPPORTED_NAMES}")
    size = path.stat().st_size
    if size == 0:
        raise CorruptFile(name, "empty file (0 bytes)")
    if size > MAX_BYTES:
        raise CorruptFile(name, f"file too large ({size // (1024 * 1024)} MiB > {MAX_BYTES // (1024 * 1024)} MiB)")
    with path.open("rb") as f:
        head = f.read(1024)
    real = sniff(path, head)
    if suffix in SIGNED_SUFFIXES:
        return _load_signed(path, ocr=ocr, progress=progress)
    if real == "p7m":
        raise CorruptFile(name, "a signed CAdES envelope, not a plain file; rename it to .p7m")
    if suffix in PDF_SUFFIXES and real != "pdf":
        what = "text" if real == "text" else real.upper()
        raise CorruptFile(name, f"not a PDF (no %PDF- header; the content looks like {what})")
    if suffix in DOCX_SUFFIXES and real != "docx":
        what = "text" if real == "text" else real.upper()
        hint = "; it is a legacy Word file: rename it to .doc" if real == "doc" else ""
        raise CorruptFile(name, f"not a DOCX (not a zip container; the content looks like {what}){hint}")
    if suffix in DOC_SUFFIXES and real not in {"doc", "docx"}:
        what = "text" if real == "text" else real.upper()
        raise CorruptFile(name, f"not a Word .doc (no OLE2 header; the content looks like {what})")
    if suffix in TEXT_SUFFIXES | HTML_SUFFIXES | MHTML_SUFFIXES and real != "text":
        hint = f"; rename it to .{real}" if real in {"pdf", "docx", "doc"} else ""
        raise CorruptFile(name, f"binary content ({real.upper()}) in a text file{hint}")
    if real == "pdf":
        return load_pdf(path, ocr=ocr, progress=progress)
    if real == "docx":
        return load_docx(path)
    if real == "doc":
        return load_doc(path)
    if suffix in HTML_SUFFIXES:
        return load_html(path)
    if suffix in MHTML_SUFFIXES:
        return load_mhtml(path)
    return load_text(path)


def _load_signed(path: Path, *, ocr: str, progress: ProgressFn | None) -> Loaded:
    """Unwrap a CAdES ``.p7m`` (also nested, base64 or PEM) and load the signed file inside it.

    Raises:
        CorruptFile / UnsupportedFormat: naming the .p7m and, for the payload, what it is.
    """
    data = path.read_bytes()
    inner = path.name
    for _ in range(MAX_SIGNED_DEPTH):
        data = unwrap_signed(data, path.name)
        if inner.lower().endswith(".p7m"):
            inner = inner[:-4]
        if sniff(path, data[:1024]) != "p7m":
            break
    else:
        raise CorruptFile(path.name, f"signed envelopes nested more than {MAX_SIGNED_DEPTH} deep")
    kind = sniff(path, data[:1024])
    if kind not in SUFFIX_OF_KIND:
        raise UnsupportedFormat(path.name, f"the signed file inside is {kind.upper()}, not a document we read "
                                           f"({SUPPORTED_NAMES})")
    suffix = Path(inner).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES - SIGNED_SUFFIXES or (kind != "text" and SUFFIX_OF_KIND[kind] != suffix):
        suffix = SUFFIX_OF_KIND[kind]
    with tempfile.TemporaryDirectory(prefix="pdz-p7m-") as tmp:
        payload = Path(tmp) / (Path(inner).stem[:100] + suffix)
        payload.write_bytes(data)
        try:
            return load(payload, ocr=ocr, progress=progress)
        except IngestError as exc:
            raise type(exc)(path.name, f"signed {suffix[1:].upper()} inside: {exc.reason}") from exc


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode text bytes: UTF-16 with a BOM, UTF-8 (with or without BOM), else cp1252, else latin-1.

    Args:
        data: the file's bytes.
        name: the file name, for error messages.

    Returns:
        (text, encoding name).

    Raises:
        CorruptFile: the bytes look binary (NUL bytes or many control characters).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise CorruptFile(name, f"undecodable UTF-16 text ({exc.reason})") from exc
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
    """Read a .txt/.md file: encoding detected, line ends normalised to "\\n".

    Raises:
        CorruptFile: binary or whitespace-only content.
    """
    text, encoding = decode_text(path.read_bytes(), path.name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise CorruptFile(path.name, "no text (only whitespace)")
    mimetype = "text/markdown" if path.suffix.lower() in {".md", ".markdown"} else "text/plain"
    return Loaded(raw_text=text, mimetype=mimetype, encoding=encoding)


_DOCX_HEADING = re.compile(r"^(?:heading|titolo|überschrift|titre|título)\s*(\d)?$", re.I)


def _docx_paragraph_line(p) -> str:  # noqa: ANN001 - a python-docx Paragraph
    """One paragraph as a line: headings become markdown headings, list paragraphs "- " items."""
    text = p.text.replace("\f", " ")
    if not text.strip():
        return text
    style = ((p.style.name if p.style is not None else "") or "").strip()
    m = _DOCX_HEADING.match(style)
    if m or style.lower() in {"title", "titolo"}:
        level = int(m.group(1)) if m and m.group(1) else 1
        return "#" * max(1, min(level, 6)) + " " + text.strip()
    ppr = p._p.pPr  # noqa: SLF001 - numbering lives in the paragraph properties
    numbered = ppr is not None and ppr.numPr is not None
    if numbered or style.lower().startswith(("list", "elenco")):
        return "- " + text.strip()
    return text


def load_docx(path: Path) -> Loaded:
    """Paragraphs and table rows of a DOCX, in body order.

    Headings (styles "Heading N"/"Titolo N"/"Title") become markdown headings ("## Text"), list
    paragraphs (numbering or a list style) become "- " items, each table row becomes one line of
    tab-separated cells, followed by a blank line after the table.

    Raises:
        CorruptFile: not a Word document, damaged, or without text.
    """
    import zipfile

    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise CorruptFile(path.name, f"python-docx is not installed ({exc})") from exc
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise CorruptFile(path.name, "not a DOCX (a zip file without word/document.xml)")
            bad = z.testzip()
            if bad:
                raise CorruptFile(path.name, f"corrupt DOCX (damaged member {bad})")
        d = docx.Document(str(path))
    except CorruptFile:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile/lxml/python-docx raise many types on damaged files
        raise CorruptFile(path.name, f"corrupt DOCX ({exc.__class__.__name__}: {str(exc)[:160]})") from exc
    lines: list[str] = []
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_docx_paragraph_line(Paragraph(child, d)))
        elif tag == "tbl":
            if lines and lines[-1].strip():
                lines.append("")
            for row in Table(child, d).rows:
                cells: list[str] = []
                last = None
                for c in row.cells:  # a merged cell repeats: keep one copy
                    if c._tc is last:  # noqa: SLF001
                        continue
                    last = c._tc  # noqa: SLF001
                    cells.append(" ".join(c.text.split()))
                lines.append("\t".join(cells))
            lines.append("")
    text = "\n".join(lines)
    if not text.strip():
        raise CorruptFile(path.name, "DOCX has no text")
    return Loaded(
        raw_text=text,
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        encoding=None,
    )
