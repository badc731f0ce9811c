"""OCR of scanned PDF pages with Tesseract (Italian data), through its command-line program."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ingest.errors import CorruptFile


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_image_bytes(data: bytes, *, lang: str = "ita", source: str = "image") -> str:
    """Run Tesseract on one image (any format it reads) and return its text.

    Raises:
        CorruptFile: Tesseract is missing or failed on the image.
    """
    if not tesseract_available():
        raise CorruptFile(source, "page needs OCR but Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-ita)")
    proc = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", lang, "--psm", "3"],
        input=data,
        capture_output=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise CorruptFile(source, f"tesseract failed: {proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return proc.stdout.decode("utf-8", "replace")


def ocr_pdf_page(path: Path, index: int, page) -> str | None:  # noqa: ANN001 - a pypdf PageObject
    """OCR the images of one PDF page, largest first; None when the page has no image."""
    try:
        images = list(page.images)
    except Exception:  # noqa: BLE001 - malformed image streams
        images = []
    if not images:
        return None
    images.sort(key=lambda im: len(im.data), reverse=True)
    texts = [ocr_image_bytes(im.data, source=f"{path.name} page {index + 1}") for im in images[:4]]
    return "\n".join(t.rstrip() for t in texts if t.strip())
