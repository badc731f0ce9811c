"""PDF loading with pypdf, page by page; pages without a usable text layer go through OCR."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import CorruptFile
from ingest.loaders import Loaded, ProgressFn, join_pages


def needs_ocr(text: str) -> bool:
    """True when a page has no usable text layer: (almost) empty, or mostly non-letters."""
    stripped = "".join(text.split())
    if len(stripped) < 20:
        return True
    letters = sum(ch.isalpha() for ch in stripped)
    return letters / len(stripped) < 0.5


def load_pdf(path: Path, *, ocr: str = "auto", progress: ProgressFn | None = None) -> Loaded:
    """Extract a PDF's text page by page.

    Raises:
        CorruptFile: damaged, encrypted (without an empty user password) or page-less PDFs, and
            PDFs with no text that OCR could not read.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name = path.name
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - pypdf raises several types here
                raise CorruptFile(name, f"encrypted PDF ({exc})") from exc
            if not ok:
                raise CorruptFile(name, "encrypted PDF: a password is required")
        n = len(reader.pages)
    except CorruptFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise CorruptFile(name, f"corrupt PDF ({exc.__class__.__name__}: {exc})") from exc
    if n == 0:
        raise CorruptFile(name, "PDF has no pages")

    texts: list[str] = []
    flags: list[bool] = []
    for i in range(n):
        try:
            page = reader.pages[i]
            text = page.extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - a broken page stream fails in many ways
            raise CorruptFile(name, f"corrupt PDF page {i + 1} ({exc.__class__.__name__}: {exc})") from exc
        used_ocr = False
        if ocr == "always" or (ocr == "auto" and needs_ocr(text)):
            from ingest.ocr import ocr_pdf_page

            ocr_text = ocr_pdf_page(path, i, page)
            if ocr_text is not None and (ocr == "always" or len(ocr_text.strip()) > len(text.strip())):
                text, used_ocr = ocr_text, True
        texts.append(text)
        flags.append(used_ocr)
        if progress:
            progress(i + 1, n)
    raw, pages = join_pages(texts, flags)
    if not raw.replace("\f", "").strip():
        raise CorruptFile(name, "PDF has no extractable text (and OCR found none)")
    return Loaded(raw_text=raw, mimetype="application/pdf", pages=pages)
