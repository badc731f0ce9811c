"""Ambiti coded by a province's sigla and a number (Campania's "NA20", Lazio's "LT4", Puglia's "TA/2"): one
Ambito whatever the typography of its code, and the same Ambito as its bare number in the same text."""

from __future__ import annotations

import pytest

from ingest.entities_ambito import ambito_key, find_mentions
from ingest.eval_facts import predicted_facts
from tests.fixtures_ingest import read_text as read


@pytest.mark.parametrize("written", ["NA20", "NA/20", "NA 20", "na20", "NA/020"])
def test_every_typography_of_a_code_is_one_key(written):
    assert ambito_key(f"Ambito Territoriale {written}") == "na20"


def test_a_code_that_ends_its_title_line_is_the_name():
    text = "AMBITO TERRITORIALE  NA/20\n\nCHE COS'E' L'AMBITO TERRITORIALE SOCIALE?\n"
    assert [m.name for m in find_mentions(text, "campania")][:1] == ["NA/20"]


def test_a_number_title_still_takes_the_name_on_its_next_line():
    assert [m.name for m in find_mentions("Distretto n°3\n\nBrescia Est\n\nIl piano", "lombardia")][:1] == ["Brescia Est"]


def test_the_bare_number_is_the_coded_ambito():
    doc = read("Ambito Territoriale NA20\n\nL'Ambito Territoriale Sociale n. 20 riunisce il Comune di Acerra e il "
               "Distretto 46 dell'ASL NA 2 Nord.\n")
    ambiti = predicted_facts(doc)["ambito"]
    assert len(ambiti) == 1 and ambiti[0][0][0] == "Ambito NA20", ambiti



@pytest.mark.parametrize("text,name", [
    ("nel territorio del Distretto Roma 6.6 (Anzio-Nettuno) è operativo il numero verde", "Roma 6.6"),
    ("è stato eletto presidente dell'Ambito socio assistenziale della Bassa friulana. Il sindaco", "Bassa friulana"),
    ("i Comuni del Distretto Alto milanese hanno approvato il Piano", "Alto milanese"),
    ("l'Ambito della Bassa pianura e della collina", "Bassa"),  # a noun after the territory word is no adjective
])
def test_health_district_numbers_and_territory_adjectives_in_names(text, name):
    assert [m.name for m in find_mentions(text, None)][:1] == [name]
