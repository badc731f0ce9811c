"""Real test files made at test time: text PDFs (fpdf2 + DejaVu), scanned PDFs (Pillow image pages),
DOCX (python-docx), and the damaged files the loaders must refuse with a one-line error; and texts
written in a test read through the whole analysis (``read_text``).

Every maker writes into a folder the test owns (``tmp_path``); nothing is committed but the corpus.
"""

from __future__ import annotations

import io
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from ingest.eval_facts import evaluate_facts, predicted_facts
from ingest.model import Document
from ingest.pipeline import analyse
from ingest.repair import repair
from ontology.labels import Label

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

ITALIAN_PAGE = (
    "Il Piano di Zona è lo strumento di programmazione delle politiche sociali dell'Ambito territoriale. "
    "L'Ufficio di Piano coordina la rete dei servizi e promuove l'integrazione sociosanitaria con ATS e ASST. "
    "Nel triennio 2021-2023 gli obiettivi riguardano la domiciliarità, le politiche abitative, il contrasto "
    "alla povertà e l'inclusione delle persone con disabilità. Più risorse sono destinate ai giovani, "
    "perché la comunità possa crescere. Ciò richiede un lavoro di rete con il Terzo Settore e con i Comuni."
)


def need_font() -> None:
    """Skip the calling test when the DejaVu fonts (package fonts-dejavu-core) are missing."""
    if not FONT.exists():
        pytest.skip(f"DejaVu fonts not installed ({FONT}); apt-get install fonts-dejavu-core")


def need_tesseract() -> None:
    """Skip the calling test when Tesseract with Italian data is missing (CI installs it)."""
    from ingest.ocr import tesseract_languages

    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-ita")
    if "ita" not in tesseract_languages():
        pytest.skip("Tesseract Italian data missing: apt-get install tesseract-ocr-ita")


def make_text_pdf(path: Path, pages: list[str], *, font_size: float = 10) -> Path:
    """A born-digital PDF with one page per string (text wrapped by fpdf2)."""
    from fpdf import FPDF

    need_font()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=font_size)
    for text in pages:
        pdf.add_page()
        pdf.set_xy(15, 15)
        pdf.multi_cell(180, font_size * 0.5, text)
    pdf.output(str(path))
    return path


def make_typeset_pdf(path: Path, text: str, *, font_size: float = 11, leading: float = 1.2,
                     paragraph_space: float = 0.5, heading_size: float | None = None) -> Path:
    """A born-digital PDF set the way a word processor sets a document: each block of ``text`` (blank-line
    separated) a paragraph wrapped at the margins, lines at ``leading`` times the font size, blocks apart by
    ``paragraph_space`` of a line (no empty line between them), pages breaking where the text runs over.
    With ``heading_size``, the first block is a heading in that size."""
    from fpdf import FPDF

    need_font()
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(auto=True, margin=56)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_margins(56, 56, 56)
    pdf.add_page()
    for i, block in enumerate(b for b in text.split("\n\n") if b.strip()):
        size = heading_size if heading_size and i == 0 else font_size
        pdf.set_font("DejaVu", size=size)
        for line in block.strip("\n").split("\n"):
            pdf.multi_cell(0, size * leading, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(size * leading * paragraph_space)
    pdf.output(str(path))
    return path


def render_text_image(text: str, *, width: int = 2480, font_size: int = 44, margin: int = 150):
    """A white A4-wide page image (about 300 dpi) with the text wrapped in black DejaVu Sans."""
    from PIL import Image, ImageDraw, ImageFont

    need_font()
    font = ImageFont.truetype(str(FONT), font_size)
    chars = max(20, int((width - 2 * margin) / (font_size * 0.55)))
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, chars) or [""])
    line_h = int(font_size * 1.5)
    height = max(3508, 2 * margin + line_h * len(lines))
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    y = margin
    for line in lines:
        draw.text((margin, y), line, fill=0, font=font)
        y += line_h
    return img


def make_scanned_pdf(path: Path, pages: list[str]) -> Path:
    """An image-only PDF: each page is a picture of its text (no text layer at all)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    for text in pages:
        img = render_text_image(text)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        buf.seek(0)
        pdf.add_page()
        pdf.image(buf, x=0, y=0, w=210)
    pdf.output(str(path))
    return path


def make_mixed_pdf(path: Path, text_page: str, scanned_page: str) -> Path:
    """Page 1 with a text layer, page 2 an image only."""
    from fpdf import FPDF

    need_font()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    pdf.set_xy(15, 15)
    pdf.multi_cell(180, 5, text_page)
    buf = io.BytesIO()
    render_text_image(scanned_page).save(buf, format="PNG")
    buf.seek(0)
    pdf.add_page()
    pdf.image(buf, x=0, y=0, w=210)
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    """A DOCX with a title, headings, a paragraph, bullet and numbered lists and a 2x3 table."""
    import docx

    d = docx.Document()
    d.add_heading("Piano di Zona 2025-2027", level=0)
    d.add_heading("1. Il contesto", level=1)
    d.add_paragraph("L'Ambito territoriale di Lodi programma i servizi sociali del triennio 2025-2027.")
    d.add_paragraph("prima voce dell'elenco", style="List Bullet")
    d.add_paragraph("seconda voce dell'elenco", style="List Number")
    d.add_heading("Obiettivi", level=2)
    t = d.add_table(rows=2, cols=3)
    for r, row in enumerate([("TITOLO OBIETTIVO", "Domiciliarità", "2025"), ("TARGET", "Anziani e famiglie", "2026")]):
        for c, val in enumerate(row):
            t.cell(r, c).text = val
    d.add_paragraph("Fine del documento.")
    d.save(str(path))
    return path


def make_encrypted_pdf(path: Path, password: str = "segreto") -> Path:
    """A PDF that needs a user password."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    w.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    with path.open("wb") as f:
        w.write(f)
    return path


def make_zero_page_pdf(path: Path) -> Path:
    """A syntactically valid PDF whose page tree is empty."""
    from pypdf import PdfWriter

    with path.open("wb") as f:
        PdfWriter().write(f)
    return path


def make_blank_pdf(path: Path) -> Path:
    """A one-page PDF with nothing on the page (no text, no image)."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    with path.open("wb") as f:
        w.write(f)
    return path


def make_long_pdf(path: Path, n_pages: int = 300) -> Path:
    """A born-digital PDF of ``n_pages`` pages cut from the Sud Est Milano corpus text."""
    src = (CORPUS / "sud_est_milano_adp_pdz_2021_2023.txt").read_text(encoding="utf-8").replace("\t", "    ")
    size = 1500
    pages = [src[(i * size) % (len(src) - size) :][:size] for i in range(n_pages)]
    return make_text_pdf(path, [f"Pagina {i + 1}\n{p}" for i, p in enumerate(pages)], font_size=8)


def read_text(raw: str, name: str = "t.txt") -> Document:
    """A text written in a test, analysed as a plain-text file named ``name`` is (repaired, then metadata,
    citations, facts)."""
    text, edits = repair(raw)
    return analyse(Document(id=f"doc:{name}", source=name, sha256="x", mimetype="text/plain", size=len(raw),
                            raw_text=raw, text=text, edits=edits))


# A news page's opening, so that no rule about titles decides what the body of a written text says.
NEWS_TITLE = "Notizie dal territorio\n\nAggiornamento del mese.\n\nA cura della redazione di Borgo Alto.\n\n"


def read_news(raw: str) -> Document:
    """``read_text`` of the text under a neutral news-page title."""
    return read_text(NEWS_TITLE + raw)


def news_services(text: str) -> dict[str, tuple[str | None, str | None]]:
    """name -> (type, status) of every service read from the text under a news-page title."""
    return {e.name: (e.props.get("type"), e.props.get("status")) for e in read_news(text).entities if e.label == Label.SERVICE}


def news_bodies(text: str) -> list[tuple[str, str]]:
    """(name, gold type) of every governance body read from the text under a news-page title."""
    return [(names[0], t) for names, t, _, _ in predicted_facts(read_news(text))["bodies"]]


def score_gold(folder: Path, tmp_path: Path, only: str = "") -> tuple[int, dict]:
    """(number of texts, field rows over all of them) of ``pdz eval facts`` on a gold folder; ``only``: a
    file-name prefix scoring that part of the folder alone (its texts copied, the rest never parsed)."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    (tmp_path / "heldout.json").write_text('{"held_out": []}', encoding="utf-8")
    if only:
        gold["documents"] = {k: v for k, v in gold["documents"].items() if k.startswith(only)}
        (tmp_path / "docs").mkdir()
        for name in gold["documents"]:
            shutil.copy(folder / "docs" / name, tmp_path / "docs" / name)
        (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
        folder = tmp_path
    return len(gold["documents"]), evaluate_facts(folder, tmp_path / "heldout.json")["subsets"]["all"]
