"""Issue 13, dev7p: Ambiti and member comuni where the text names another ente's territory, an ATO office, a
numbered zone or district, or its capofila by a pronoun.

Every input is written here (none is a line of a corpus, evaluation or dev text). The behaviours:
- the comuni that make up a città metropolitana (L. 56/2014 art. 1: its comuni are those of the former province)
  are that ente's, not an Ambito's members, whatever verb or count introduces them; the comuni that make up an
  Ambito stay its members;
- the office of an Ambito Territoriale Ottimale of water or waste ("Ufficio d'Ambito", "Autorità d'Ambito", "Ente
  di governo dell'Ambito": D.Lgs. 152/2006 art. 147-148, L.R. Lombardia 26/2003 art. 48) names no Ambito, and the
  person named after it is no Ambito's name; an "Ente d'Ambito Sociale" (Abruzzo's EAS) still is one;
- a Zona sociale named by its number (Umbria's "Zona Sociale n. 12") and a district named by a decimal code
  ("Distretto 5.2", the health area and its district) are Ambiti; a section number before a capitalised title is not;
- "Comune capofila è quello di X": the pronoun stands for the comune, a member of the Ambito.
"""

from __future__ import annotations

import pytest

from ingest.eval_facts import predicted_facts
from tests.fixtures_ingest import read_text as read


def members(raw: str) -> set[str]:
    return {names[0] for names, *_ in predicted_facts(read(raw))["comuni"]}


def ambito_names(raw: str) -> list[list[str]]:
    return [names for names, *_ in predicted_facts(read(raw))["ambito"]]


@pytest.mark.parametrize("text", [
    "Questi i Comuni che compongono la città metropolitana di Bari: Bari, Modugno, Bitonto, Molfetta, Corato.",
    "I comuni che costituiscono la Città Metropolitana di Genova sono Genova, Rapallo, Chiavari e Recco.",
    "La conferenza metropolitana è composta dai sindaci dei 5 comuni della città metropolitana: Torino, Moncalieri, "
    "Collegno, Rivoli e Chieri.",
])
def test_the_comuni_of_a_citta_metropolitana_are_not_an_ambitos_members(text):
    assert not members(text)


@pytest.mark.parametrize("text,expected", [
    ("I comuni che compongono l'Ambito di Lecco sono Lecco, Valmadrera e Malgrate.", {"Lecco", "Valmadrera", "Malgrate"}),
    ("L'Ambito Territoriale di Rho, nella Città metropolitana di Milano, comprende i Comuni di Rho, Pero, Pregnana "
     "Milanese e Cornaredo.", {"Rho", "Pero", "Pregnana Milanese", "Cornaredo"}),
])
def test_an_ambitos_own_comuni_stay_members_beside_a_citta_metropolitana(text, expected):
    assert expected <= members(text)


@pytest.mark.parametrize("text", [
    "Partecipa alla seduta la Presidente dell’Ufficio d’Ambito Ilaria Marchesotti.",
    "Il Presidente dell'Autorità d'Ambito Mario Rossi ha firmato la convenzione.",
    "Interviene il direttore dell'Ente di governo dell'Ambito Luca Bianchi.",
    "L'UFFICIO D'AMBITO Carla Verdi approva la tariffa del servizio idrico.",
])
def test_an_ato_office_and_the_person_after_it_name_no_ambito(text):
    assert not ambito_names(text)


def test_an_ente_d_ambito_sociale_is_an_ambito():
    assert ambito_names("L'Ente d'Ambito Sociale n. 19 Alto Sangro approva il piano sociale.")


@pytest.mark.parametrize("text,number", [
    ("Lo ha deciso la Conferenza dei Sindaci della Zona Sociale n.12 che si è riunita ieri.", "n. 12"),
    ("La ZONA SOCIALE N. 3 approva il piano di zona.", "n. 3"),
    ("È nato il “Consorzio dei Servizi Sociali Distretto 5.2”. Il consiglio si insedia a marzo.", "n. 5.2"),
    ("Nasce il Consorzio del Distretto 5.2. Il consiglio si insedia a marzo.", "n. 5.2"),
    ("Il Distretto 4.1 della ASL Roma 4 gestisce lo sportello.", "n. 4.1"),
])
def test_a_numbered_zona_or_a_decimal_district_is_an_ambito(text, number):
    assert any(number in names for names in ambito_names(text))


@pytest.mark.parametrize("text", [
    "Distretto 2.3 Analisi dei bisogni della popolazione anziana",
    "Le aree della zona sociale sono tre.",
])
def test_a_section_number_or_a_lower_case_zona_names_no_ambito(text):
    assert not ambito_names(text)


@pytest.mark.parametrize("text,capofila", [
    ("Nasce il Consorzio del Distretto 5.2. Comune capofila è quello di Guidonia Montecelio, ne fanno parte anche "
     "Palombara Sabina, Marcellina e Moricone.", "Guidonia Montecelio"),
    ("L'Ambito di Ostiglia ha un nuovo piano. Capofila è quello di Ostiglia; ne fanno parte Serravalle a Po, "
     "Sustinente e Quingentole.", "Ostiglia"),
])
def test_capofila_named_by_a_pronoun_is_a_member(text, capofila):
    assert capofila in members(text)


@pytest.mark.parametrize("text", [
    "Sono risultati eletti i membri del Consiglio di Rappresentanza. Presidente: Ettore Gerosa, sindaco di Mortara. "
    "Vicepresidente: Anna Bruni, sindaco di Broni.",
    "Membri del comitato: Luca Ferrari, sindaco di Asola; Carla Sala, sindaca di Goito.",
])
def test_a_surname_before_its_mayors_role_is_no_comune_of_a_list(text):
    assert not {"Val Brembilla", "Gerosa", "Sala", "Ferrari"} & members(text)


def test_a_flattened_table_of_ambiti_each_with_its_capofila_and_comuni():
    text = ("Nella tabella gli Ambiti del distretto e i Comuni che ne fanno parte. Ambito Territoriale Sociale 7 Comune "
            "capofila Sarzana, Castelnuovo Magra, , Ortonovo Ambito Territoriale Sociale 8 Comune capofila Lerici, , "
            "Ameglia Ambito Territoriale Sociale 9 Comune capofila Vezzano Ligure, Arcola,\n\nFine della tabella.")
    got = members(text)
    assert {"Sarzana", "Castelnuovo Magra", "Lerici", "Ameglia", "Vezzano Ligure", "Arcola"} <= got
    numbers = {n for names in ambito_names(text) for n in names}
    assert {"n. 7", "n. 8", "n. 9"} <= numbers


@pytest.mark.parametrize("text", [
    "Il capofila del progetto è Sarzana, con Lerici e Ameglia tra i partner della rete culturale.",
    "Ente capofila: Comune di Lerici. Partecipano alla rassegna Sarzana, Ameglia e Arcola.",
])
def test_a_capofila_outside_an_ambitos_row_makes_no_member_list(text):
    assert not {"Ameglia", "Arcola"} & members(text)


@pytest.mark.parametrize("text,number", [
    ("Carta della cittadinanza sociale - EAS N. 19 - servizi offerti dalla comunità montana.", "n. 19"),
    ("L'E.A.S. n. 4 approva il piano sociale di ambito.", "n. 4"),
    ("Il Comitato dei Sindaci dell'ATS XIII ha approvato il bilancio sociale.", "n. XIII"),
    ("L'ATS 15 approva il piano annuale.", "n. 15"),
])
def test_the_acronym_of_an_ambito_with_its_number_names_it(text, number):
    assert any(number in names for names in ambito_names(text))


@pytest.mark.parametrize("text", [
    "L'ATS Insubria approva il piano sociosanitario.",
    "Nel 2019 l'ATS ha approvato 2022 progetti.",
    "Il direttore dell'ATS della Val Padana incontra i sindaci.",
])
def test_a_health_agency_named_by_a_place_or_unnumbered_is_no_ambito(text):
    assert not ambito_names(text)
