"""Issue 13, dev2 p-set: Ambito names and member lists in the typography of Ambito and consortium web pages.

Every input is written here (none is a line of a corpus, evaluation or dev2 text). The behaviours:
- a compass word in capitals continues a mixed-case Ambito name ("Pianura EST"), while other words in
  capitals still end it ("Cantù REGOLAMENTO");
- the number written after an Ambito's name ("Distretto Valle Alta n. 12") stays in its written form;
- a list written one item a line takes the heading line above it ("I soci fondatori sono:") even when
  lines of other members (a Comunità montana, an Unione) stand between; a heading that excludes
  ("Comuni confinanti:") or a sentence above makes no members.
"""

from __future__ import annotations

import pytest

from ingest.entities_ambito import choose, find_mentions
from ingest.entities_comuni import find_enumerations
from ingest.eval_facts import ambito_core, predicted_facts
from tests.fixtures_ingest import read_text as read


def members(raw: str) -> set[str]:
    return {names[0] for names, *_ in predicted_facts(read(raw))["comuni"]}


def ambito_forms(raw: str) -> list[list[str]]:
    return [names for names, *_ in predicted_facts(read(raw))["ambito"]]


# -- a compass word in capitals is part of the name ---------------------------------------------------

@pytest.mark.parametrize("text,core", [
    ("Distretto sociale Bassa Pianura OVEST\nIl Distretto Bassa Pianura Ovest comprende i Comuni di Formigine, "
     "Maranello e Fiorano Modenese.", "bassapianuraovest"),
    ("AMBITO TERRITORIALE Collina NORD - servizi alle famiglie\nL'Ambito Collina Nord riunisce i Comuni di "
     "Formigine, Maranello e Fiorano Modenese.", "collinanord"),
])
def test_a_compass_word_in_capitals_continues_the_name(text, core):
    cands = choose(text, find_mentions(text, "emilia-romagna"), find_enumerations(text, "emilia-romagna"))
    assert [c.key.replace(" ", "") for c in cands] == [core]  # one Ambito, not "Bassa Pianura" and "Bassa Pianura Ovest"
    assert {"Formigine", "Maranello", "Fiorano Modenese"} <= members(text)


def test_other_capitals_still_end_a_mixed_case_name():
    ms = find_mentions("Ambito di Cantù REGOLAMENTO PER L'ACCESSO AI SERVIZI", "lombardia")
    assert [m.name for m in ms] == ["Cantù"]


# -- the number after the name ------------------------------------------------------------------------

@pytest.mark.parametrize("text,form", [
    ("ACCORDO DI PROGRAMMA DEI COMUNI DEL DISTRETTO VALLE ALTA N. 12 PER IL TRIENNIO 2024-2026", "valle alta n 12"),
    ("Il Distretto Valle Alta n. 12 ha approvato il bilancio.", "valle alta n 12"),
    ("Il Distretto Valle Alta n° 12 ha approvato il bilancio.", "valle alta n 12"),
])
def test_the_number_after_an_ambito_name_stays_in_its_written_form(text, form):
    forms = ambito_forms(text)
    assert forms, "no Ambito read"
    assert form.replace(" ", "") in {ambito_core(f) for f in forms[0]}
    assert any(ambito_core(f) == "vallealta" for f in forms[0])  # the name itself keeps no number


def test_a_number_that_is_a_date_or_a_figure_is_not_taken():
    ms = find_mentions("Il Distretto Valle Alta nel 2024 conta 12.000 abitanti.", "lombardia")
    assert ms and all("12" not in m.surface for m in ms)


# -- a list one item a line under its heading ------------------------------------------------------------

ALBINO = {"Albino", "Nembro", "Alzano Lombardo", "Pradalunga", "Ranica"}


@pytest.mark.parametrize("text", [
    "Storia dell'Azienda\n\nI soci fondatori dell'Azienda sono:\n\nComunità Montana Valle Seriana\nCOMUNE DI ALBINO\n"
    "COMUNE DI NEMBRO\nUnione dei Comuni della Media Valle\nCOMUNE DI ALZANO LOMBARDO\nCOMUNE DI PRADALUNGA\nCOMUNE DI RANICA\n",
    "Enti consorziati:\n- Comunità Montana Valle Seriana\n- Comune di Albino\n- Comune di Nembro\n- Comune di Alzano Lombardo\n"
    "- Unione Media Valle\n- Comune di Pradalunga\n- Comune di Ranica\n",
    "Gli enti fondatori del Consorzio sono:\n\n\u2022 Comunità montana\n\u2022 Albino\n\u2022 Nembro\n\u2022 Alzano Lombardo\n"
    "\u2022 Pradalunga\n\u2022 Ranica\n",
])
def test_a_one_item_a_line_list_takes_the_heading_above_it(text):
    assert ALBINO <= members(text)


@pytest.mark.parametrize("text", [
    "Comuni confinanti:\n\nCOMUNE DI ALBINO\nCOMUNE DI NEMBRO\nCOMUNE DI ALZANO LOMBARDO\n",
    "Le sedi degli sportelli sono aperte il lunedì. Gli orari cambiano in estate.\nAlbino\nNembro\nAlzano Lombardo\n",
    "Si ringraziano per la collaborazione le associazioni del territorio, che da anni operano con passione in molti paesi.\n"
    "Albino\nNembro\nAlzano Lombardo\n",
])
def test_no_members_from_an_excluding_heading_or_a_sentence_above(text):
    assert not members(text) & ALBINO


# -- "Nell'Ambito X" names an Ambito; "nell'ambito di" is a context -----------------------------------------

def test_a_capital_head_after_an_elided_article_names_an_ambito():
    assert [m.name for m in find_mentions("Nell'Ambito Valle Brembana il servizio è attivo.", "lombardia")] == ["Valle Brembana"]
    assert [m.name for m in find_mentions("Il servizio è attivo nell'Ambito Alto Sebino da maggio.", "lombardia")] == ["Alto Sebino"]


@pytest.mark.parametrize("text", [
    "Nell'ambito di Regione Lombardia sono previsti fondi.",
    "Il progetto si colloca nell'ambito Welfare di comunità.",
    "in ambito Sociale e Sanitario le risorse crescono.",
])
def test_a_lower_case_head_after_a_preposition_is_a_context(text):
    assert find_mentions(text, "lombardia") == []


# -- a heading colon before a list of comuni --------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Comuni del Distretto: Albino - Nembro - Pradalunga - Ranica",
    "Comuni dell'Ambito: Albino | Nembro | Pradalunga | Ranica",
    "Comuni dell'Ambito: Albino / Nembro / Pradalunga / Ranica",
])
def test_the_first_item_of_a_list_after_a_colon_is_no_ambito_name(text):
    assert find_mentions(text, "lombardia") == []
    assert {"Albino", "Nembro", "Pradalunga", "Ranica"} <= members(text)


@pytest.mark.parametrize("text,name", [
    ("Distretto: Valle Seriana - Comuni di Albino e Nembro", "Valle Seriana"),
    ("Ambito territoriale: Dalmine - capofila del Piano di Zona", "Dalmine"),
])
def test_a_name_after_a_colon_stays_when_no_comune_follows(text, name):
    assert [m.name for m in find_mentions(text, "lombardia")] == [name]


# -- an Ambito numbered by a predicate ------------------------------------------------------------------

@pytest.mark.parametrize("text,name", [
    ("Il nostro Ambito Territoriale Sociale è individuato con il numero 7 e comprende 6 Comuni.", "n. 7"),
    ("L'Ambito Sociale identificato dal n. 12 riunisce le amministrazioni della costa.", "n. 12"),
    ("AMBITO TERRITORIALE SOCIALE contrassegnato con il numero 3", "n. 3"),
])
def test_an_ambito_numbered_by_a_predicate(text, name):
    assert [m.name for m in find_mentions(text, "marche")] == [name]


@pytest.mark.parametrize("text", [
    "L'ambito territoriale è individuato con il numero 3.",  # a lower-case head: prose about any ambito
    "L'Ambito Territoriale Sociale individuato con il numero 2009 del registro.",  # not an Ambito's number
    "L'Ambito Territoriale Sociale, individuato con delibera n. 5, comprende i comuni.",
])
def test_no_number_from_other_predicates(text):
    assert find_mentions(text, "marche") == []


# -- health agencies written with dots, a hyphen or quotes ----------------------------------------------

def agencies_of(raw: str) -> tuple[set[str], str | None]:
    doc = read(raw)
    return {names[0] for names, *_ in predicted_facts(doc)["ats_asst"]}, doc.region


@pytest.mark.parametrize("text,agency", [
    ("Il protocollo è firmato dall'A.S.S.T. di Lecco e dai Comuni.", "ASST di Lecco"),
    ("Partecipa alla cabina di regia l'A.T.S. della Montagna.", "ATS della Montagna"),
    ("Referente: ASST-Lecco, servizio fragilità.", "ASST di Lecco"),
    ("L'accordo coinvolge l'ASST \u201cPapa Giovanni XXIII\u201d e l'Ambito.", "ASST Papa Giovanni XXIII"),
    ("Aderisce l'ATS \"Val Padana\".", "ATS della Val Padana"),
])
def test_agency_acronyms_with_dots_hyphens_or_quotes(text, agency):
    found, region = agencies_of(text)
    assert agency in found
    assert region == "lombardia"


@pytest.mark.parametrize("text", [
    "Il coordinatore dell'A.T.S. n. 1 ha convocato il comitato.",  # Marche: an Ambito Territoriale Sociale, no agency
    "Il progetto ASST-ATS prosegue.",
])
def test_no_agency_from_other_acronym_uses(text):
    assert agencies_of(text)[0] == set()


# -- a membership list of an Ambito named once, by a territory ---------------------------------------------

@pytest.mark.parametrize("text", [
    "Ufficio di Piano dell'Ambito di Albino\n\nIl Distretto Valle Seriana comprende i comuni di Albino, Nembro, Pradalunga e Ranica.",
    "AMBITO TERRITORIALE VALLE SERIANA\n\nNotizie\n\nL'Ambito Media Valle comprende i comuni di Albino, Nembro, Pradalunga e Ranica.",
])
def test_the_list_of_an_ambito_named_once_by_a_territory_is_kept(text):
    assert {"Albino", "Nembro", "Pradalunga", "Ranica"} <= members(text)


def test_a_list_of_neighbouring_ambiti_stays_out():
    text = ("Ufficio di Piano dell'Ambito di Albino\n\nConfinano con l'Ambito i comuni di Gazzaniga, Vertova e Fiorano al Serio, "
            "ad eccezione di Casnigo.")
    assert not members(text) & {"Gazzaniga", "Vertova", "Fiorano al Serio", "Casnigo"}
