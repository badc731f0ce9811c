"""OCR-noise repair: each rule fires where the text is damaged, never on correct text, and the edits
map repaired offsets back to the raw text exactly."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest

from ingest.model import Document, Edit
from ingest.repair import apply_edits, find_edits, looks_ocr, noise_score, repair

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
OGLIO = CORPUS / "oglio_po_pdz_2021_2023_ocr.txt"
SHEET = ROOT / "tests" / "data" / "ocr_repair_sample_200.tsv"

# A paragraph in the style of the Oglio Po scan, with one instance of every damage class.
NOISY = (
    "Grazie ad un confronto iniziale, I'Ufficio di Piano si & interrogato sulle modalita pit consone.\n"
    "Nel territorio si € ampliata la rete e |'obiettivo & stato raggiunto.\n"
    "| due enti strumentali hanno condiviso cid che serve, perd la rete & ancora fragile.\n"
    "Innovazione e dialogo per |a presa in carico della rete.\n"
    "[l consenso & stato espresso ai sensi della I.r. n. 3/2008 e del d. Igs. 117/2017.\n"
    "La rete accompagne-\nra il territorio; la rete accompagnera la comunita, la presa in carico.\n"
)


def edits_by_rule(text: str) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for e in find_edits(text):
        out.setdefault(e.rule, []).append((text[e.start : e.end], e.text))
    return out


def make_doc(raw: str, edits: list[Edit]) -> Document:
    return Document(
        id="doc:t", source="t.txt", sha256="0", mimetype="text/plain", size=len(raw),
        raw_text=raw, text=apply_edits(raw, edits), edits=edits,
    )


# -- every rule fires on its damage ---------------------------------------------------------------
def test_every_rule_repairs_its_damage() -> None:
    text, edits = repair(NOISY, force=True)
    assert "l'Ufficio di Piano si è interrogato sulle modalita più consone" in text
    assert "si è ampliata la rete e l'obiettivo è stato raggiunto" in text
    assert "I due enti strumentali hanno condiviso ciò che serve, però la rete è ancora fragile" in text
    assert "per la presa in carico" in text
    assert "Il consenso è stato espresso ai sensi della l.r. n. 3/2008 e del d. lgs. 117/2017" in text
    assert "La rete accompagnera il territorio" in text
    rules = {e.rule for e in edits}
    assert rules >= {"I_apos", "amp_e", "pit_piu", "euro_e", "pipe_apos", "pipe_I", "cid_cio", "perd_pero",
                     "pipe_word", "bracket_l", "lr", "lgs", "hyphen_join"}
    assert all(e.rule for e in edits)


def test_sentence_start_is_capitalised_but_abbreviations_are_not() -> None:
    text, _ = repair("Il servizio funziona. & necessario continuare. Il S.A.E.S. & rivolto ai minori.", force=True)
    assert "funziona. È necessario" in text
    assert "S.A.E.S. è rivolto" in text


# -- never on correct text --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "correct",
    [
        "R&D e AT&T sono sigle; la B&B di paese è aperta.",
        "Lo studio Rossi & Bianchi e la ditta Rossi & figli lavorano insieme.",
        "La società Ferri & C. ha sede a Lodi.",
        "I'm sure I've seen it, I'd say I'll go: the pit is deep and the cid font is broken.",
        "The pit crew said I was right. I think so.",
        "Il costo è di € 200 al mese, € 1.500 in tutto; importo in € per utente.",
        "| Comune | Abitanti |\n|---|---|\n| Lodi | 45000 |",
        "Il socio-\nsanitario e il socio sanitario restano separati.",
        "L'Ufficio di Piano è la struttura tecnica; l'obiettivo è più ampio, ciò però è già noto.",
        "Secondo la l.r. 3/2008 e il d.lgs. 117/2017 il Piano di Zona è triennale.",
    ],
)
def test_correct_text_is_never_changed(correct: str) -> None:
    text, edits = repair(correct, force=True)
    assert edits == [], [(correct[e.start : e.end], e.text, e.rule) for e in edits]
    assert text == correct


def test_clean_corpus_documents_get_no_edit() -> None:
    for f in sorted(CORPUS.iterdir()):
        if f == OGLIO:
            continue
        raw = f.read_text(encoding="utf-8")
        assert not looks_ocr(raw), f.name
        text, edits = repair(raw)  # only the repairs of any document's typography, no OCR repair
        assert {e.rule for e in edits} <= {"space", "emphasis", "wrap"}, f.name
        # Even forced, the context rules find (almost) nothing in born-digital text.
        assert len(find_edits(raw)) <= 2, (f.name, [(raw[e.start - 20 : e.end + 20], e.rule) for e in find_edits(raw)])


def test_oglio_po_is_detected_as_ocr_and_repaired() -> None:
    raw = OGLIO.read_text(encoding="utf-8")
    hits, rate = noise_score(raw)
    assert looks_ocr(raw) and hits > 100 and rate > 20
    text, edits = repair(raw)
    by_rule: dict[str, int] = {}
    for e in edits:
        by_rule[e.rule] = by_rule.get(e.rule, 0) + 1
    assert len(edits) > 600, by_rule
    assert by_rule["I_apos"] > 200 and by_rule["amp_e"] > 150 and by_rule["pit_piu"] > 20
    assert text.count(" & ") < raw.count(" & ") / 5
    assert apply_edits(raw, edits) == text


def test_checked_sample_precision() -> None:
    """The hand-checked sample of 200 repairs (bench/ocr_bench.py --sheet) is >= 95 % right, and each
    sampled repair is still what the code does (the sheet is not stale)."""
    rows = list(csv.DictReader(SHEET.open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == 200
    ok = sum(r["ok"] == "y" for r in rows)
    assert ok / len(rows) >= 0.95
    raw = OGLIO.read_text(encoding="utf-8")
    _, edits = repair(raw)
    current = {(e.start, raw[e.start : e.end], e.text) for e in edits}
    stale = [r for r in rows if (int(r["start"]), r["raw"], r["repaired"]) not in current]
    assert len(stale) <= 10, stale[:5]


# -- offsets: repaired text <-> raw text --------------------------------------------------------------
def test_clean_slice_of_whole_text_is_the_repaired_text() -> None:
    raw = OGLIO.read_text(encoding="utf-8")
    text, edits = repair(raw)
    doc = make_doc(raw, edits)
    assert doc.text == text
    assert doc.clean_slice(0, len(raw)) == text
    # every edit: its own raw span reads back as its replacement
    for e in edits[:300]:
        assert doc.clean_slice(e.start, e.end) == e.text


def test_words_of_repaired_text_map_back_to_raw() -> None:
    raw = OGLIO.read_text(encoding="utf-8")
    text, edits = repair(raw)
    doc = make_doc(raw, edits)
    rng = random.Random(7)
    words = list(re.finditer(r"\w+", text))
    for m in rng.sample(words, 3000) + [m for m in words if m.group(0) in {"è", "più", "ciò", "però"}][:200]:
        rs, re_ = doc.raw_span(m.start(), m.end())
        assert 0 <= rs <= re_ <= len(raw)
        assert doc.clean_slice(rs, re_) == m.group(0), (m.group(0), raw[rs:re_])


def test_non_length_preserving_edit_mapping() -> None:
    raw = "La rete accompagne-\nra il territorio & la comunita; accompagnera tutti."
    text, edits = repair(raw, force=True)
    assert [e.rule for e in edits] == ["hyphen_join", "amp_e"]
    doc = make_doc(raw, edits)
    assert text == "La rete accompagnera il territorio è la comunita; accompagnera tutti."
    s = text.index("accompagnera")
    rs, re_ = doc.raw_span(s, s + len("accompagnera"))
    assert raw[rs:re_] == "accompagne-\nra"
    assert doc.clean_slice(rs, re_) == "accompagnera"
    s = text.index("il territorio è la")
    rs, re_ = doc.raw_span(s, s + len("il territorio è la"))
    assert raw[rs:re_] == "il territorio & la"
    # offsets after the deletion shift by its length; raw_offset is monotonic
    offs = [doc.raw_offset(i) for i in range(len(text) + 1)]
    assert offs == sorted(offs) and offs[-1] == len(raw)
    tail = text.index("tutti")
    assert doc.raw_offset(tail) == raw.index("tutti")


def test_ocr_spans_are_repaired_in_an_otherwise_clean_document() -> None:
    clean = "Il Piano di Zona è lo strumento della programmazione sociale. " * 800
    scanned = "L'Ufficio di Piano si & interrogato sulle modalita pit consone per I'analisi."
    raw = clean + "\f" + scanned
    assert repair(raw) == (raw, [])
    text, edits = repair(raw, ocr_spans=[(len(clean) + 1, len(raw))])
    assert text.endswith("si è interrogato sulle modalita più consone per l'analisi.")
    assert all(e.start > len(clean) for e in edits)


def test_spans_starting_inside_a_replacement_or_ending_at_a_deletion() -> None:
    raw = "Si perd la rete accompagne-\nra tutti; accompagnera."
    text, edits = repair(raw, force=True)
    doc = make_doc(raw, edits)
    s = text.index("erò")  # inside the repair "perd" -> "però"
    rs, re_ = doc.raw_span(s, s + 3)
    assert "erò" in doc.clean_slice(rs, re_)
    s = text.index("accompagne")  # ends where "-\n" was deleted
    rs, re_ = doc.raw_span(s, s + len("accompagne"))
    assert raw[rs:re_] == "accompagne"
