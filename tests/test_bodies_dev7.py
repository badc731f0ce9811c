"""Issue 13, governance bodies round 2 (dev7b): bodies named in passing - in an index written in capitals, by the
people who sit at them, by a function of governance, by their level alone, or referred back to after an indefinite
introduction.

Behaviour tests on texts written here in varied typography (negative ones guard precision); the last test scores the
dev6s gold folder, a development set of this round.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.bodies_collegial import caps_view, introduced_name, members_level
from ontology.vocab import fold
from tests.fixtures_ingest import news_bodies as bodies, predicted_facts, read_news, score_gold

DEV6S = Path(__file__).parent / "data" / "realworld" / "dev6s"


def aliases(text: str) -> dict[str, list[str]]:
    return {names[0]: names[1:] for names, *_ in predicted_facts(read_news(text))["bodies"]}


# ------------------------------------------------------------------ names written in capitals


@pytest.mark.parametrize("text", [
    "INDICE\nIL TAVOLO DEGLI ASSESSORI AI SERVIZI SOCIALI ...... 67\n",
    "3.2  IL TAVOLO DEGLI ASSESSORI AI SERVIZI SOCIALI\n\nSi riunisce ogni mese.",
    "Capitolo 4\nTAVOLO DEGLI ASSESSORI AI SERVIZI SOCIALI\n",
])
def test_a_collegial_name_in_capitals_is_read(text):
    assert ("Tavolo degli Assessori ai Servizi Sociali", "other") in bodies(text)


def test_the_caps_view_keeps_offsets_and_mixed_lines():
    text = "Premessa\nL'UFFICIO DI PIANO DELL'AMBITO ...... 4\nIl Tavolo si riunisce.\nÈ COMPOSTO DA\n"
    view = caps_view(text)
    assert len(view) == len(text)
    assert "L'Ufficio di Piano dell'Ambito ...... 4" in view
    assert "Il Tavolo si riunisce." in view  # a line with lower-case letters is left as it is
    assert caps_view("nessuna riga in maiuscolo") == "nessuna riga in maiuscolo"


@pytest.mark.parametrize("text", [
    "RELAZIONE SOCIALE 2011\nCOMUNE DI BERGAMO\n",
    "ALLEGATO A - MODULO DI DOMANDA\n",
    "IL CONSIGLIO COMUNALE APPROVA\n",
])
def test_capitals_that_name_no_organ_give_no_body(text):
    assert not [b for b in bodies(text) if b[1] == "other"]


# ------------------------------------------------------------------ tables named by who sits at them


@pytest.mark.parametrize("text,name,kind", [
    ("Il Tavolo delle Assistenti Sociali dei Comuni si riunisce ogni quindici giorni.",
     "Tavolo delle Assistenti Sociali dei Comuni", "tavolo_tecnico"),
    ("Il Tavolo dei Responsabili dei Servizi Sociali istruisce le proposte.", "Tavolo dei Responsabili dei Servizi Sociali", "tavolo_tecnico"),
    ("Il Tavolo degli Operatori dell'Ufficio di Piano ha concluso i lavori.", None, "tavolo_tecnico"),
    ("Il Tavolo degli Assessori alle Politiche Sociali ha condiviso il documento.",
     "Tavolo degli Assessori alle Politiche Sociali", "other"),
    ("Il Tavolo dei Sindaci del Distretto si riunirà a marzo.", None, "other"),
])
def test_a_table_named_by_its_members_takes_their_level(text, name, kind):
    got = [b for b in bodies(text) if b[0].startswith("Tavolo")]
    assert got, bodies(text)
    assert got[0][1] == kind, got
    if name:
        assert got[0][0] == name, got


def test_members_level_reads_professionals_only():
    assert members_level(fold("Tavolo delle Assistenti Sociali")) == "tavolo_tecnico"
    assert members_level(fold("Tavolo degli Assessori")) is None
    assert members_level(fold("Tavolo dei Sindaci")) is None


# ------------------------------------------------------------------ offices named by a function of governance


@pytest.mark.parametrize("text,name", [
    ("Servizio Sociale dei Comuni – Ufficio di direzione e programmazione", "Ufficio di direzione e programmazione"),
    ("a cura dell'Ufficio di Direzione e Programmazione e dell'Ufficio di Piano", "Ufficio di Direzione e Programmazione"),
    ("L'Ufficio di Coordinamento ha convocato i referenti.", "Ufficio di Coordinamento"),
])
def test_an_office_named_by_its_function_is_a_body(text, name):
    assert (name, "other") in bodies(text)


@pytest.mark.parametrize("text", [
    "Rivolgersi all'Ufficio di Direzione Sanitaria dell'ospedale.",
    "L'Ufficio di Direzione Generale ha pubblicato il bando.",
    "L'ufficio di direzione e programmazione dei lavori pubblici",  # lower case: prose
])
def test_an_office_of_a_hospital_or_of_prose_is_no_body(text):
    assert not [b for b in bodies(text) if b[0].lower().startswith("ufficio di dire")]


def test_an_office_named_by_its_plan_stays_the_plan_office():
    got = bodies("L'Ufficio di Coordinamento del Piano di Zona prepara gli atti.")
    assert got == [("Ufficio di Coordinamento del Piano di Zona", "ufficio_di_piano")], got


# ------------------------------------------------------------------ a level word is no theme


@pytest.mark.parametrize("text,name", [
    ("I rapporti sono regolati dalle Linee Guida approvate dal Tavolo Zonale.", "Tavolo Zonale"),
    ("Il Tavolo Distrettuale si è riunito.", "Tavolo Distrettuale"),
])
def test_a_table_named_by_its_level_is_not_thematic(text, name):
    assert bodies(text) == [(name, "other")], bodies(text)


def test_a_standing_word_is_no_theme_either():
    assert not [b for b in bodies("Il Tavolo Permanente si riunisce ogni anno.") if b[1] == "tavolo_tematico"]


@pytest.mark.parametrize("text,name", [
    ("Il Tavolo Disabilità si riunisce.", "Tavolo Disabilità"),
    ("Il Tavolo Minori e Famiglia ha discusso il piano.", "Tavolo Minori e Famiglia"),
])
def test_a_table_named_by_its_theme_stays_thematic(text, name):
    assert (name, "tavolo_tematico") in bodies(text)


# ------------------------------------------------------------------ a group referred back to


def test_a_definite_group_is_the_group_introduced_before():
    got = aliases("Costituito un gruppo di lavoro per la redazione del Piano. Il gruppo ristretto sarà composto dai sindaci "
                  "di Orvieto, Castel Viscardo e Parrano.")
    assert got == {"gruppo ristretto": ["gruppo di lavoro"]}, got


def test_no_introduction_no_alias():
    got = aliases("Nel comitato ristretto si preparano le sedute.")
    assert got == {"comitato ristretto": []}, got
    assert introduced_name("Il gruppo ristretto si riunisce. Poi un gruppo di lavoro.", "gruppo", 5) is None


# ------------------------------------------------------------------ a doubled letter written once


@pytest.mark.parametrize("text,kind", [
    ("A.1 ASSEMBLE DEI SINDACI ...... 4", "assemblea_sindaci"),
    ("Il Colegio di Vigilanza verifica l'attuazione dell'Accordo.", "collegio_vigilanza"),
    ("Capitolo 2 - LE ASSEMBLE DISTRETTUALI DEI SINDACI", "assemblea_sindaci"),
])
def test_a_head_with_a_double_written_once_is_read(text, kind):
    assert kind in {t for _, t in bodies(text)}, bodies(text)


@pytest.mark.parametrize("text", [
    "le assemble dei sindaci",  # lower case: no name
    "Il Colegio docenti si riunisce.",  # the rest of the term is not the term's
])
def test_a_single_letter_reading_needs_a_capital_and_the_whole_term(text):
    assert not [b for b in bodies(text) if b[1] in ("assemblea_sindaci", "collegio_vigilanza")], bodies(text)


# ------------------------------------------------------------------ the real texts


def test_dev6s_gold_bodies(tmp_path):
    n, rows = score_gold(DEV6S, tmp_path)
    assert n == 13
    assert rows["bodies"]["precision"] >= 0.9 and rows["bodies"]["recall"] >= 0.85, rows["bodies"]
