"""Paragraphs of a PDF come back as blank lines, read from the space a page leaves between its blocks.

Synthetic pages (text pieces with their baselines) test the geometry; PDFs set here as a word processor
sets them (fpdf2: paragraphs apart by half a line, headings in a larger size, several pages) are read back
through the real loader and pipeline."""

from __future__ import annotations

import re

import pytest

from ingest.pdf import load_pdf
from ingest.pdf_layout import paragraph_breaks
from tests.fixtures_ingest import make_typeset_pdf
from tests.test_typography import facts


def page(*lines: tuple[str, float, float]) -> list[tuple[str, tuple[float, float] | None]]:
    """Visitor pieces of a page: one piece per (text, baseline y, font size), a line break after each."""
    pieces: list[tuple[str, tuple[float, float] | None]] = []
    for i, (text, y, size) in enumerate(lines):
        pieces.append((text, (y, size)))
        if i < len(lines) - 1:
            pieces.append(("\n", None))
    return pieces


def broken_after(pieces) -> list[str]:
    text = "".join(t for t, _ in pieces)
    return [text[:at].rsplit("\n", 1)[-1] for at in paragraph_breaks(pieces)]


def test_the_space_between_two_paragraphs_is_a_break_and_the_leading_is_not():
    lines = [("uno", 800, 11), ("due", 786.8, 11), ("tre", 773.6, 11),  # leading 1.2 x 11 pt
             ("quattro", 754.8, 11), ("cinque", 741.6, 11), ("sei", 728.4, 11)]  # 6 pt before "quattro"
    assert broken_after(page(*lines)) == ["tre"]


def test_a_heading_in_a_larger_size_is_set_apart_from_its_text():
    lines = [("Titolo", 800, 16), ("primo", 775, 11), ("secondo", 761.8, 11), ("terzo", 748.6, 11),
             ("quarto", 735.4, 11)]
    assert broken_after(page(*lines)) == ["Titolo"]


@pytest.mark.parametrize("pitch", [1.0, 1.15, 1.5, 2.0])
def test_lines_at_any_even_leading_are_one_block(pitch):
    """A table, a list or double-spaced prose: every gap the same, whatever the leading, no break."""
    lines = [(f"riga {i}", 800 - i * 10 * pitch, 10) for i in range(8)]
    assert broken_after(page(*lines)) == []


def test_a_column_change_and_unplaced_or_rotated_text_add_no_break():
    lines = [("fine colonna", 100, 10), ("inizio colonna", 780, 10), ("dopo", 768, 10), ("ancora", 756, 10),
             ("oltre", 744, 10)]
    pieces = page(*lines)
    pieces.insert(2, ("timbro", None))  # a rotated stamp: no baseline
    assert broken_after(pieces) == []


def test_an_existing_blank_line_is_not_doubled():
    pieces = page(("uno", 800, 11), ("due", 786.8, 11), ("tre", 760, 11), ("quattro", 746.8, 11),
                  ("cinque", 733.6, 11))
    pieces[3:3] = [("\n", None)]  # pypdf already wrote a blank line between "due" and "tre"
    assert paragraph_breaks(pieces) == []


PARAGRAPHS = [
    "Piano di Zona 2025-2027",
    "L'Ambito territoriale di Corsico comprende i Comuni di Assago, Buccinasco, Cesano Boscone, Corsico, "
    "Cusago e Trezzano sul Naviglio, con il Comune di Corsico capofila. Il Piano è approvato dall'Assemblea "
    "dei Sindaci e attuato dall'Ufficio di Piano, in accordo con ATS Città Metropolitana di Milano.",
    "Nel triennio l'Ambito gestisce il servizio di assistenza domiciliare e lo Spazio Neutro per gli incontri "
    "protetti tra genitori e figli, e attiverà l'Agenzia per l'Abitare a sostegno delle famiglie.",
    "Gli obiettivi del triennio riguardano la domiciliarità, le politiche abitative, il contrasto alla "
    "povertà e l'inclusione delle persone con disabilità, con il Terzo Settore e con i Comuni.",
]


@pytest.mark.parametrize("space,heading", [(0.5, None), (1.0, 16), (0.4, 14)])
def test_a_typeset_pdf_reads_back_with_one_blank_line_between_its_paragraphs(tmp_path, space, heading):
    pdf = make_typeset_pdf(tmp_path / "piano.pdf", "\n\n".join(PARAGRAPHS), paragraph_space=space,
                           heading_size=heading)
    raw = load_pdf(pdf, ocr="never").raw_text
    blocks = [re.sub(r"\s+", " ", b).strip() for b in raw.split("\n\n")]
    assert blocks == PARAGRAPHS


def test_a_list_set_line_by_line_stays_one_block(tmp_path):
    items = "I Comuni dell'Ambito sono:\n" + "\n".join(f"- Comune di Paese{i}" for i in range(12))
    raw = load_pdf(make_typeset_pdf(tmp_path / "lista.pdf", items), ocr="never").raw_text
    assert "\n\n" not in raw.strip()


def test_the_paragraphs_of_a_long_pdf_are_found_on_every_page(tmp_path):
    text = "\n\n".join(PARAGRAPHS[1:] * 12)  # several pages at 11 pt
    loaded = load_pdf(make_typeset_pdf(tmp_path / "lungo.pdf", text), ocr="never")
    assert len(loaded.pages) >= 2
    blocks = [re.sub(r"\s+", " ", b).strip() for b in re.split(r"\n\n|\f", loaded.raw_text)]
    blocks = [b for b in blocks if b]
    assert len(blocks) >= 36  # every paragraph apart (one cut by a page break counts twice)
    assert all(any(b in p for p in PARAGRAPHS[1:]) for b in blocks)  # and no two run together


def test_a_word_processor_pdf_gives_the_facts_of_its_text(tmp_path):
    """The wrapped lines of each paragraph read as one line of prose and the blocks stay apart, so the
    PDF of a short plan gives the facts its text gives."""
    text = "\n\n".join(PARAGRAPHS)
    src = tmp_path / "piano.txt"
    src.write_text(text + "\n", encoding="utf-8")
    pdf = make_typeset_pdf(tmp_path / "piano.pdf", text)
    assert facts(pdf) == facts(src)
