"""PDF loading with pypdf, page by page; pages without a usable text layer go through OCR.

Pages are read one at a time (pypdf parses page objects lazily), so a long PDF streams through with a
progress callback. Page numbers are kept: page i of the PDF is ``Page(number=i)`` and its text is the
i-th form-feed-separated part of the raw text.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ingest.errors import CorruptFile
from ingest.loaded import Loaded, ProgressFn, join_pages
from ingest.ocr import INSTALL_HINT, ocr_pdf_page, tesseract_available
from ingest.pdf_layout import page_text

OCR_MODES = ("auto", "always", "never")
# pypdf logs repairs of damaged files as warnings; a file's outcome is reported once, by ingest.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)
_CID = re.compile(r"\(cid:\d+\)|/G\d{2,3}\b|\ufffd")
_ALLOWED = re.compile(r"[\w\s.,;:!?'’\"“”«»()\[\]{}<>/\\\-–—+*=%&€$§°#@|~^_`…•·]", re.UNICODE)


def text_quality(text: str) -> float:
    """Share (0-1) of a page's non-space characters that look like real text.

    Letters, digits and common punctuation count; private-use glyphs, control characters, replacement
    characters and ``(cid:N)`` escapes of unmapped fonts do not. Consonant runs with no vowel at all
    (typical of a broken font encoding) lower the score too.
    """
    stripped = "".join(text.split())
    if not stripped:
        return 0.0
    bad = sum(len(m.group(0)) for m in _CID.finditer(stripped))
    rest = _CID.sub("", stripped)
    ok = sum(1 for ch in rest if _ALLOWED.match(ch) and not (0xE000 <= ord(ch) <= 0xF8FF))
    letters = [c.lower() for c in rest if c.isalpha()]
    quality = ok / (len(rest) + bad) if rest or bad else 0.0
    if len(letters) >= 40:
        vowels = sum(c in "aeiouàèéìíòóùúy" for c in letters) / len(letters)
        if vowels < 0.2:  # Latin-script text has 35-50 % vowels; a garbled font has almost none
            quality *= vowels / 0.2
    return quality


def needs_ocr(text: str) -> bool:
    """True when a page has no usable text layer: (almost) empty, mostly symbols, or garbled.

    Args:
        text: the page's extracted text layer.
    """
    stripped = "".join(text.split())
    if len(stripped) < 20:
        return True
    alnum = sum(ch.isalnum() for ch in stripped)  # tables of figures are real text too
    return alnum / len(stripped) < 0.5 or text_quality(text) < 0.8


def load_pdf(path: Path, *, ocr: str = "auto", progress: ProgressFn | None = None) -> Loaded:
    """Extract a PDF's text page by page.

    Args:
        path: the PDF file.
        ocr: "auto" (OCR the pages without a usable text layer, when Tesseract is installed),
            "always" (OCR every page; Tesseract required) or "never".
        progress: called with (pages done, pages total) after each page.

    Raises:
        CorruptFile: damaged, encrypted (without an empty user password) or page-less PDFs, and
            PDFs with no text that OCR could not read.
        ValueError: an unknown ``ocr`` mode.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {OCR_MODES}, not {ocr!r}")
    name = path.name
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - pypdf raises several types here
                raise CorruptFile(name, f"encrypted PDF ({exc.__class__.__name__}: {exc})") from exc
            if not ok:
                raise CorruptFile(name, "encrypted PDF: a password is required")
        n = len(reader.pages)
    except CorruptFile:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf fails on damaged files with many error types
        kind = "corrupt PDF" if isinstance(exc, (PdfReadError, ValueError, KeyError, TypeError, OSError)) else "unreadable PDF"
        raise CorruptFile(name, f"{kind} ({exc.__class__.__name__}: {str(exc)[:160]})") from exc
    if n == 0:
        raise CorruptFile(name, "PDF has no pages")
    if ocr == "always" and not tesseract_available():
        raise CorruptFile(name, f"OCR requested but Tesseract is not installed ({INSTALL_HINT})")
    can_ocr = ocr == "always" or (ocr == "auto" and tesseract_available())

    texts: list[str] = []
    flags: list[bool] = []
    skipped_ocr = 0
    for i in range(n):
        try:
            page = reader.pages[i]
            text = page_text(page)
        except Exception as exc:  # noqa: BLE001 - a broken page stream fails in many ways
            raise CorruptFile(name, f"corrupt PDF page {i + 1} ({exc.__class__.__name__}: {str(exc)[:160]})") from exc
        used_ocr = False
        wants = ocr == "always" or (ocr == "auto" and needs_ocr(text))
        if wants and can_ocr:
            ocr_text = ocr_pdf_page(path, i, page)
            if ocr_text is not None and (ocr == "always" or len(ocr_text.strip()) > len(text.strip()) or not text_quality(text)):
                text, used_ocr = ocr_text, True
        elif wants and ocr == "auto":
            skipped_ocr += 1
        texts.append(text)
        flags.append(used_ocr)
        if progress:
            progress(i + 1, n)
    raw, pages = join_pages(texts, flags)
    if not raw.replace("\f", "").strip():
        if skipped_ocr:
            raise CorruptFile(name, f"PDF has no text layer and Tesseract is not installed for OCR ({INSTALL_HINT})")
        why = "OCR is off" if ocr == "never" else "and OCR found none"
        raise CorruptFile(name, f"PDF has no extractable text ({why})")
    return Loaded(raw_text=raw, mimetype="application/pdf", pages=pages)
