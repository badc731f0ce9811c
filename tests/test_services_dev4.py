"""Issue 13, bodies, services and status on new real texts (dev4: Saronno, Pavia, Valle Sabbia, Valle
Trompia, Laveno Mombello, Melzo, Bollate): an area of the Nomenclatore named by its relational adjective
("tutela minorile" = "tutela dei minori"), a class noun that carries its own modifier before the
enumerating connective ("i servizi ad esso correlati, quali ..."), a later mention of a service by the
leading words of its name (one service, not two), a named service kept whole across an elision and
without its runner ("lo Sportello Badanti dell'Ambito"), the items of a list opened by a colon and parted by
semicolons, the topic of a sentence that runs no service ("è un tema delicato"), terms across a word split by a PDF text
layer or OCR ("Uffi cio di Piano", "Domi- ciliare"), and an organ of the assembly ("l'Esecutivo
dell'Assemblea dei Sindaci") read beside the assembly.

Every input is written here, in varied typography; none is a line of a corpus or evaluation text. Each
text opens with a title and a blank line, so that no rule about titles decides what the body says.
Each test asserts a behaviour; the negative ones guard precision. The last test scores the dev4
excerpts against their gold (annotated before the extractors were run on them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures_ingest import news_bodies as bodies, news_services as services, score_gold

DEV4 = Path(__file__).parent / "data" / "realworld" / "dev4"


# -- an area named by its relational adjective ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "L'Azienda gestisce i servizi quali tutela minorile, assistenza domiciliare e segretariato sociale.",
    "Dal 2019 è attivo il SERVIZIO TUTELA MINORILE dell'Ambito.",
    "Il Servizio di Tutela Minorile segue oggi 140 nuclei familiari.",
    "L'Ufficio di Piano gestisce per i Comuni il servizio di tutela minorile e il servizio affidi.",
    "Servizi attivi\n- Tutela minorile\n- Spazio Neutro\n- SAD\n",
])
def test_tutela_minorile_is_the_tutela_minori_service(text):
    got = services(text)
    assert ("tutela_minori", "active") in got.values(), got


def test_the_adjective_alone_in_prose_is_no_service():
    # an area of policy talked about, with no service the text says runs
    assert not services("La tutela minorile è un tema delicato che interroga tutta la comunità.")
    assert not services("Il convegno ha discusso di tutela minorile e di scuola.")


def test_assistenza_a_domicilio_after_servizi_di():
    got = services("Il Consorzio eroga servizi di assistenza a domicilio per gli anziani soli.")
    assert ("assistenza_domiciliare", "active") in got.values(), got


# -- a class noun with its own modifier before the connective -----------------------------------------------

@pytest.mark.parametrize("text", [
    "Il Consorzio gestisce il Piano di Zona e i servizi ad esso correlati, quali tutela minorile, segretariato sociale e servizio inserimento lavorativo.",
    "L'Azienda gestisce gli interventi affidati dai Comuni soci, tra cui la tutela dei minori e l'assistenza domiciliare.",
    "Il Comune capofila gestisce i servizi di ambito, in particolare tutela minori e assistenza domiciliare.",
])
def test_modified_class_noun_governs_the_enumeration(text):
    got = services(text)
    assert {"tutela_minori"} <= {t for t, st in got.values() if st == "active"}, got


def test_an_aside_after_the_class_noun_governs_nothing():
    # "come" after a comma is an aside ("come noto"), not an enumerating connective
    got = services("I servizi del territorio, come noto, sono molti. La tutela minori resta una priorità politica.")
    assert not got, got


# -- a later mention by the leading words of a service's name -------------------------------------------------

def test_short_later_mention_is_the_same_service():
    got = services("Il Centro Diurno Disabili di via Roma è gestito dall'Azienda consortile. "
                   "Il Centro Diurno resterà aperto anche ad agosto.")
    names = [n for n in got if n.lower().startswith("centro diurno")]
    assert len(names) == 1, got


def test_short_mention_of_two_longer_services_stays_apart():
    got = services("L'Azienda gestisce il Centro Diurno Disabili e il Centro Diurno Anziani. "
                   "Il Centro Diurno Integrato è gestito dall'ASST.")
    longer = {n for n in got if n.lower().startswith("centro diurno ")}
    assert len(longer) >= 2, got  # neither longer service absorbs the other


# -- a named service is never stored cut, nor with its runner glued on ---------------------------------------

@pytest.mark.parametrize("text, name", [
    ("Dal 2022 è attivo lo Sportello Badanti dell'Ambito.", "Sportello Badanti"),
    ("Dal 2022 è attivo lo Sportello Badanti dell\u2019Azienda Speciale Consortile.", "Sportello Badanti"),
    ("È attivo lo Sportello Lavoro di Ambito per i giovani.", "Sportello Lavoro"),
    ("È attivo il Centro Diurno dell\u2019Anziano Fragile.", "Centro Diurno dell\u2019Anziano Fragile"),
    ("Il Servizio Educativo per l'Infanzia Serena è attivo da settembre.", "Servizio Educativo per l'Infanzia Serena"),
])
def test_named_service_whole_and_without_its_runner(text, name):
    got = services(text)
    assert got == {name: ("named", "active")}, got


# -- a list opened by a colon whose items a semicolon parts ---------------------------------------------------

def test_semicolon_items_share_the_head_of_the_colon():
    got = services("L'Azienda gestisce: servizio di assistenza domiciliare; servizio di trasporto sociale; centro diurno per disabili (CDD).")
    assert {t for t, st in got.values() if st == "active"} == {"assistenza_domiciliare", "trasporto_sociale", "cdd"}, got
    got = services("Nel 2024 sono stati attivati: il SAD; lo Spazio Neutro; il Servizio Affidi.")
    assert {st for _, st in got.values()} == {"active"} and len(got) == 3, got


def test_semicolon_items_under_a_head_about_something_else():
    assert not services("Obiettivi del triennio: rafforzare la rete; il trasporto sociale; lo Spazio Neutro.")


# -- words split by a PDF text layer or OCR --------------------------------------------------------------------

@pytest.mark.parametrize("text, body", [
    ("L'Uffi cio di Piano ha redatto il documento.", ("Ufficio di Piano", "ufficio_di_piano")),
    ("L'Assemblea dei Sin-\ndaci ha approvato il Piano.", ("Assemblea dei Sindaci", "assemblea_sindaci")),
])
def test_body_across_a_split_word(text, body):
    assert bodies(text) == [body], bodies(text)


@pytest.mark.parametrize("text, service", [
    ("Il Servizio di Assistenza Domi- ciliare è attivo.", ("assistenza_domiciliare", "active")),
    ("Il Servizio Affi di è attivo dal 2012.", ("centro_affidi", "active")),
])
def test_service_across_a_split_word(text, service):
    got = services(text)
    assert list(got.values()) == [service], got
    assert not any(" di" == n[-3:] or "- " in n for n in got), got  # stored whole, never with the gap


@pytest.mark.parametrize("text, body", [
    ("L'Ufficio di\nPiano ha redatto il documento.", ("Ufficio di Piano", "ufficio_di_piano")),
    ("Il documento è stato approvato dall'Assemblea dei\nSindaci il 3 marzo.", ("Assemblea dei Sindaci", "assemblea_sindaci")),
])
def test_body_across_a_hard_line_wrap(text, body):
    assert bodies(text) == [body], bodies(text)


def test_a_real_word_before_a_gap_makes_no_term():
    assert not services("I paragrafi successivi descrivono il territorio.")
    assert not services("Il servizio socio- sanitario è attivo.")


# -- a page of short lines: a whole sentence about a service still states its status -----------------------------

PAGE = ("Azienda Speciale Consortile Valle Verde\n\nChi siamo\nL'Azienda gestisce per conto dei 20 Comuni soci i servizi "
        "sociali associati.\n\nServizi\nServizio Tutela Minori e Famiglia\nIl servizio si occupa della protezione dei minori.\n"
        "Servizio Inserimenti Lavorativi\n{line}\n")


def test_whole_sentence_on_a_page_of_short_lines():
    got = services(PAGE.format(line="Il SIL accompagna persone fragili verso il lavoro."))
    assert ("inserimento_lavorativo", "active") in got.values(), got


def test_a_fragment_on_a_page_of_short_lines_states_nothing():
    # no full stop, no verb right after the mention: a slide's label, not a statement
    got = services(PAGE.format(line="SIL e orientamento"))
    assert ("inserimento_lavorativo", "active") not in got.values(), got


# -- an organ of the assembly -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "L'Esecutivo dell'Assemblea dei Sindaci si è riunito il 3 marzo per preparare la seduta.",
    "Il Comitato ristretto dell\u2019Assemblea dei Sindaci ha istruito la proposta.",
    "L\u2019Esecutivo dell\u2019Assemblea prepara l'ordine del giorno delle sedute dell'Assemblea dei Sindaci.",
])
def test_organ_of_the_assembly_is_read_beside_the_assembly(text):
    got = bodies(text)
    assert any(t == "assemblea_sindaci" for _, t in got), got
    assert any("assemblea" in n.lower() and t == "other" for n, t in got), got


def test_a_person_of_the_assembly_is_no_body():
    got = bodies("Il Presidente dell'Assemblea dei Sindaci ha aperto la seduta.")
    assert got == [("Assemblea dei Sindaci", "assemblea_sindaci")], got


# -- "Assemblea dei Sindaci del Distretto" where the text calls its own Ambito a Distretto ------------------------

@pytest.mark.parametrize("text", [
    "Il primo Piano di Zona del Distretto di Borgo Alto è del 2003. L'Assemblea dei Sindaci del Distretto ha approvato il quinto Piano.",
    "DISTRETTO SOCIALE DI BORGO ALTO\n\nL\u2019Assemblea dei Sindaci di Distretto ha approvato il Piano di Zona 2015-2017.",
])
def test_district_assembly_of_an_ambito_called_distretto(text):
    assert ("Assemblea dei Sindaci del Distretto" in dict(bodies(text)) or "Assemblea dei Sindaci di Distretto" in dict(bodies(text))), bodies(text)
    assert [t for _, t in bodies(text)] == ["assemblea_sindaci"], bodies(text)


@pytest.mark.parametrize("text", [
    # the district of a health agency (L.R. Lombardia 22/2021), named as such
    "Ambito territoriale di Borgo Alto. L'Assemblea dei Sindaci del Distretto di Borgo Alto dell'ASST Valle Verde ha espresso parere.",
    # the text speaks of the agency's districts: "Distretto" is not the Ambito
    "Il Distretto di Borgo Alto dell'ASST Valle Verde comprende sei comuni. L'Assemblea dei Sindaci del Distretto si è riunita.",
])
def test_district_assembly_of_a_health_agency_stays_apart(text):
    assert [t for _, t in bodies(text)] == ["other"], bodies(text)


# -- the dev4 excerpts against their gold -------------------------------------------------------------------

def test_dev4_excerpts_score(tmp_path):
    n, rows = score_gold(DEV4, tmp_path)
    assert n == 7
    assert rows["bodies"]["precision"] >= 0.9 and rows["bodies"]["recall"] >= 0.9, rows["bodies"]
    assert rows["services"]["recall"] >= 0.9, rows["services"]
    assert rows["services_status"]["recall"] >= 0.9, rows["services_status"]
