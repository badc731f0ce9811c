"""The document reader of the Documenti page: pages of text as escaped HTML, the evidence span
highlighted and scrolled into view, and the original PDF page as an image."""

from __future__ import annotations

import functools
import html
import io
from pathlib import Path

PAGE_BREAK = "\f"
WINDOW = 6000  # characters per reading page of a document without pages


def reader_windows(text: str, size: int = WINDOW) -> list[tuple[int, int]]:
    """Reading pages of a text: its own pages (form feeds) when it has them, else about ``size``
    characters cut at line ends. The windows cover the whole text, in order, without overlap."""
    if not text:
        return [(0, 0)]
    if PAGE_BREAK in text:
        out, pos = [], 0
        for part in text.split(PAGE_BREAK):
            out.append((pos, pos + len(part)))
            pos += len(part) + 1
        return out
    out, pos = [], 0
    while pos < len(text):
        end = min(len(text), pos + size)
        if end < len(text):
            nl = text.rfind("\n", pos + size // 2, end)
            end = nl + 1 if nl != -1 else end
        out.append((pos, end))
        pos = end
    return out


def reader_html(text: str, a: int, b: int, start: int | None = None, end: int | None = None) -> str:
    """The window [a, b) of ``text`` as a small HTML page: plain text (escaped, whitespace kept), the
    evidence [start, end) marked where it falls in the window and scrolled into the middle of the view."""
    s = max(a, start) if start is not None else None
    e = min(b, end) if end is not None else None
    if s is not None and e is not None and s < e:
        body = (html.escape(text[a:s]) + "<mark id='evidenza'>" + html.escape(text[s:e]) + "</mark>"
                + html.escape(text[e:b]))
    else:
        body = html.escape(text[a:b])
    return (
        "<!doctype html><html lang='it'><head><meta charset='utf-8'><style>"
        "body{margin:0;font:15px/1.5 'DejaVu Serif',Georgia,serif;color:#222}"
        "#testo{white-space:pre-wrap;word-wrap:break-word;padding:8px 12px}"
        "mark{background:#ffe066;padding:1px 0;outline:2px solid #f0b400}</style></head>"
        f"<body><div id='testo'>{body}</div><script>"
        "const m=document.getElementById('evidenza');if(m){m.scrollIntoView({block:'center'});}"
        "</script></body></html>"
    )


@functools.lru_cache(maxsize=32)
def page_image(path: str | None, page: int, scale: float = 1.4) -> bytes | None:
    """The 1-based ``page`` of the PDF at ``path`` as PNG bytes (pypdfium2), or None when the file is
    not there or not a readable PDF."""
    if not path or not Path(path).is_file():
        return None
    import pypdfium2 as pdfium  # noqa: PLC0415 - a heavy native module, only for PDF pages

    try:
        pdf = pdfium.PdfDocument(path)
        try:
            if not 1 <= page <= len(pdf):
                return None
            image = pdf[page - 1].render(scale=scale).to_pil()
        finally:
            pdf.close()
    except (pdfium.PdfiumError, OSError):
        return None
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
