"""OCR of scanned PDF pages with Tesseract (Italian data), through its command-line program.

A page is read from its embedded images (pypdf ``page.images``: enough for image-only scans); when it
has none, or they cannot be decoded, it is rasterised with ``pdftoppm`` (poppler-utils) if that is
installed. System packages: ``tesseract-ocr tesseract-ocr-ita`` (and ``poppler-utils`` for pages whose
images pypdf cannot decode).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from ingest.errors import CorruptFile

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-ita"
RASTER_DPI = 300
MIN_IMAGE_SIDE = 200  # smaller images are logos or bullets, not scanned text


def tesseract_available() -> bool:
    """True when the ``tesseract`` program is on PATH."""
    return shutil.which("tesseract") is not None


def pdftoppm_available() -> bool:
    """True when poppler's ``pdftoppm`` is on PATH."""
    return shutil.which("pdftoppm") is not None


@functools.lru_cache(maxsize=1)
def tesseract_languages() -> frozenset[str]:
    """Languages Tesseract has data for (empty when it is not installed)."""
    if not tesseract_available():
        return frozenset()
    proc = subprocess.run(["tesseract", "--list-langs"], capture_output=True, timeout=60, check=False)
    lines = (proc.stdout or proc.stderr).decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def default_lang() -> str:
    """``ita`` when the Italian data is installed, else ``eng``."""
    return "ita" if "ita" in tesseract_languages() else "eng"


def ocr_image_bytes(data: bytes, *, lang: str | None = None, source: str = "image", psm: int = 3) -> str:
    """Run Tesseract on one image (any format it reads: PNG, JPEG, TIFF...) and return its text.

    Args:
        data: the encoded image.
        lang: Tesseract language(s), default ``ita`` when installed.
        source: the name used in error messages (file and page).
        psm: Tesseract page segmentation mode (3: automatic).

    Raises:
        CorruptFile: Tesseract is missing or failed on the image.
    """
    if not tesseract_available():
        raise CorruptFile(source, f"page needs OCR but Tesseract is not installed ({INSTALL_HINT})")
    proc = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", lang or default_lang(), "--psm", str(psm)],
        input=data,
        capture_output=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise CorruptFile(source, f"tesseract failed: {proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return proc.stdout.decode("utf-8", "replace").replace("\f", "")


def rasterize_page(path: Path, index: int, *, dpi: int = RASTER_DPI) -> bytes | None:
    """PNG of one PDF page rendered by ``pdftoppm``; None when poppler is missing or fails.

    Args:
        path: the PDF.
        index: 0-based page index.
        dpi: resolution.
    """
    if not pdftoppm_available():
        return None
    n = str(index + 1)
    proc = subprocess.run(
        ["pdftoppm", "-f", n, "-l", n, "-r", str(dpi), "-png", "-singlefile", str(path)],
        capture_output=True,
        timeout=300,
        check=False,
    )
    return proc.stdout if proc.returncode == 0 and proc.stdout else None


def _page_images(page) -> list[bytes]:  # noqa: ANN001 - a pypdf PageObject
    """Encoded images of a page big enough to hold text, largest first; [] if none or undecodable."""
    out: list[tuple[int, bytes]] = []
    try:
        for im in page.images:
            try:
                w, h = im.image.size if im.image is not None else (0, 0)
                data = im.data
            except Exception:  # noqa: BLE001 - JBIG2/CCITT and broken streams fail in many ways
                return []
            if min(w, h) >= MIN_IMAGE_SIDE and data:
                out.append((w * h, data))
    except Exception:  # noqa: BLE001 - malformed resources
        return []
    out.sort(key=lambda t: t[0], reverse=True)
    return [d for _, d in out[:4]]


def ocr_pdf_page(path: Path, index: int, page) -> str | None:  # noqa: ANN001 - a pypdf PageObject
    """OCR one PDF page: its embedded images, else a ``pdftoppm`` rendering.

    Args:
        path: the PDF (for rasterising and error messages).
        index: 0-based page index.
        page: the pypdf page.

    Returns:
        The page text, or None when the page has nothing to OCR (no image, no renderer).

    Raises:
        CorruptFile: Tesseract is missing or failed.
    """
    source = f"{path.name} page {index + 1}"
    images = _page_images(page)
    if not images:
        png = rasterize_page(path, index)
        images = [png] if png else []
    if not images:
        return None
    texts = [ocr_image_bytes(data, source=source) for data in images]
    return "\n".join(t.rstrip() for t in texts if t.strip())
