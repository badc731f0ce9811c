"""Issue 13, services and their status on new real texts (dev5s: news of services opened, started, closed
or planned by an Ambito or its azienda, Ufficio di Piano pages, service charters, tenders; Milano, Mantova,
Varese, Lazio, Piemonte, Puglia): an initiative named by a quoted title and described at once ("\u201cX\u201d il
centro famiglie diffuso", "lo \u201cSpazio Y\u201d, un nuovo punto di comunità", "\u201cZ\u201d incentrato sull'affido"), its
status from an enumeration's head or a closed period, a service of an organisation the text names, the
verbs of opening, starting and closing in news prose, a list resumed after its colon ("A; B: sono questi
gli ambiti su cui si muoveranno"), tenders ("affidamento del servizio"), a closure for a while, headings of
an owner's offer, and the short form of a place ("lo sportello di Busto").

Every input is written here, in varied typography; none is a line of a corpus or evaluation text. Each
text opens with a neutral news title (``news_services``), so that no rule about titles decides what the
body says. Each test asserts a behaviour; the negative ones guard precision. The last tests score the
dev5s excerpts against their gold (annotated before the extractors were run on them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures_ingest import news_services as services, score_gold

DEV5S = Path(__file__).parent / "data" / "realworld" / "dev5s"


def _by_type(got: dict) -> dict[str, str | None]:
    return {t: st for t, st in got.values()}


# -- an initiative named by a quoted title and described at once ------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("Sabato è stato inaugurato lo \u201cSpazio Incontro\u201d, un nuovo punto di comunità realizzato dall'Ambito.", "Spazio Incontro"),
    ('Ha aperto il "Nido di Quartiere", il nuovo spazio per famiglie gestito dall\u2019Azienda consortile.', "Nido di Quartiere"),
    ("Nel 2024 l'Azienda ha avviato \u00abFuori Classe\u00bb, progetto di contrasto alla dispersione scolastica.", "Fuori Classe"),
    ("Sono attivi i laboratori di \u201cMani in Pasta\u201d, dedicato ai ragazzi con disabilità.", "Mani in Pasta"),
])
def test_quoted_title_described_at_once_is_an_initiative(text, name):
    got = services(text)
    assert got.get(name, (None, None))[1] == "active", got


def test_the_description_types_the_initiative_and_is_no_second_service():
    got = services("L'Ambito ha presentato i progetti realizzati nell'anno.\n"
                   "\u201cCasa Aperta\u201d il centro famiglie del distretto, realizzato con le parrocchie; "
                   "\u201cUn Ponte\u201d incentrato sull\u2019affido familiare e finanziato dalla Fondazione locale.")
    assert set(got) == {"Casa Aperta", "Un Ponte"}, got  # neither "centro famiglie" nor "affido" a service of its own


def test_enumeration_of_titles_takes_the_state_its_head_introduces():
    got = services("L'Azienda ha presentato i servizi ed i tanti progetti realizzati con le cooperative del territorio.\n"
                   "\u201cA Tempo\u201d finanziato dalla Regione; \u201cLa Rete\u201d progetto di promozione del benessere.")
    assert got == {"A Tempo": ("progetto", "active"), "La Rete": ("progetto", "active")}, got


def test_a_closed_period_before_the_text_s_own_date_is_over():
    got = services("Borgo Alto, 12 marzo 2024.\nTra le esperienze: \u201cGiovani al Centro\u201d finanziato dal 2018 al 2021 nell'ambito del "
                   "protagonismo giovanile.")
    assert got.get("Giovani al Centro", (None, None))[1] == "concluded", got


@pytest.mark.parametrize("text", [
    "La Regione ha approvato il bando \u201cSviluppo dei Distretti del Commercio\u201d, finanziato con fondi europei.",
    "Per informazioni compilare la scheda di \u201cprimo contatto\u201d pubblicata sul sito del Comune.",
    "Il film \u201cLa casa\u201d, dedicato alle famiglie, sarà proiettato in piazza.",
    "\u201cEsser-ci\u201d la quadreria destinata agli spazi dell'Azienda, è stata esposta in municipio.",
    "Il sindaco ha detto: \u201cun passo importante\u201d per la città.",
])
def test_quoted_titles_of_other_things_name_no_initiative(text):
    assert not services(text), services(text)


# -- a service of an organisation the text names ---------------------------------------------------------------

def test_service_of_a_named_cooperative_is_not_the_ambito_s():
    text = ("Il progetto è realizzato con le cooperative Arcobaleno, Il Sole e Primavera. "
            "La mostra è curata dagli utenti del servizio CSE di Primavera.")
    assert "cse" not in {t for t, _ in services(text).values()}, services(text)


def test_service_of_the_azienda_stays_the_ambito_s():
    got = services("È attivo il servizio CSE dell'Azienda consortile per i Comuni dell'Ambito.")
    assert "cse" in {t for t, _ in got.values()}, got


# -- verbs of opening, starting and closing -----------------------------------------------------------------------

@pytest.mark.parametrize("text, status", [
    ("Parte il servizio di assistenza domiciliare per gli anziani dei Comuni dell'Ambito.", "active"),
    ("Da lunedì apre lo Sportello Badanti presso l'Ufficio di Piano.", "active"),
    ("È disponibile lo Sportello Affidi per informazioni e colloqui.", "active"),
    ("Entro il 2026 l'Ambito aprirà un Centro Antiviolenza.", "planned"),
    ("Nei prossimi mesi partirà lo Sportello Lavoro, finanziato dalla Regione.", "planned"),
    ("Chiude lo Sportello Stranieri: il servizio cesserà il 31 dicembre.", "concluded"),
    ("Dal primo gennaio il servizio di assistenza domiciliare non sarà più gestito dall'Azienda.", "concluded"),
    ("Partito il progetto \u201cNon Sei Solo\u201d dell'Ambito per gli anziani soli.", "active"),
    ("Inaugurazione del nuovo Centro Diurno Disabili dell'Ambito sabato 12 ottobre.", "active"),
    ("Dopo sei anni chiude il Centro Diurno Anziani dell'Ambito.", "concluded"),
])
def test_news_verbs_of_opening_starting_closing(text, status):
    got = services(text)
    assert got and {st for _, st in got.values()} == {status}, got


def test_a_closure_for_a_while_pauses_a_running_service():
    got = services("Il Segretariato Sociale resterà chiuso per ferie dal 10 al 20 agosto.")
    assert _by_type(got) == {"segretariato_sociale": "active"}, got
    got = services("Lo Spazio Neutro è temporaneamente sospeso per lavori nella sede.")
    assert _by_type(got) == {"spazio_neutro": "active"}, got


def test_parte_as_a_noun_starts_nothing():
    # "fa parte", "da parte di": the noun, not the verb of starting
    assert not services("Il servizio di assistenza domiciliare fa parte della rete regionale dei servizi.")


# -- a list resumed after its colon ------------------------------------------------------------------------------

def test_list_resumed_by_a_demonstrative_after_the_colon():
    got = services("Housing temporaneo; sostegno alle capacità genitoriali; stazione di posta: sono questi gli ambiti "
                   "su cui si muoveranno i progetti dell'Azienda nel prossimo triennio.")
    assert _by_type(got) == {"housing_temporaneo": "planned", "pippi": "planned",
                             "stazione_posta": "planned"}, got


def test_a_colon_of_another_sentence_resumes_nothing():
    got = services("È attivo l'housing temporaneo. Obiettivi: sono questi i punti da discutere.")
    assert _by_type(got) == {"housing_temporaneo": "active"}, got


# -- tenders ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("L'Ambito ha pubblicato l'avviso per l'affidamento del servizio di assistenza domiciliare.", "assistenza_domiciliare"),
    ("AVVISO PUBBLICO per l'affidamento del Servizio di Tutela Minori dell'Ambito per il periodo 2025-2027.", "tutela_minori"),
])
def test_a_tender_for_a_service_states_a_service_the_ambito_runs(text, key):
    assert _by_type(services(text)).get(key) == "active", services(text)


@pytest.mark.parametrize("text, key", [
    ("Bando per l'accreditamento dei soggetti erogatori del servizio di assistenza domiciliare (SAD) dell'Ambito.", "assistenza_domiciliare"),
    ("È stata aggiudicata la gara per il servizio di trasporto sociale dei Comuni dell'Ambito.", "trasporto_sociale"),
    ("L'Azienda ha rinnovato per il 2025 il servizio di assistenza educativa scolastica.", "sostegno_scolastico"),
])
def test_award_accreditation_and_renewal_of_a_service(text, key):
    assert _by_type(services(text)).get(key) == "active", services(text)


def test_a_request_to_open_a_service_states_none():
    assert not services("Il consigliere ha chiesto l'apertura di uno sportello antiviolenza in città.")


# -- headings of an owner's offer and bare area names in bullets ------------------------------------------------------

def test_heading_of_the_owner_s_offer_heads_running_services():
    got = services("I nostri servizi\n\n\u2022 Segretariato sociale\n\u2022 Servizio Sociale Professionale\n\u2022 Spazio Neutro\n")
    assert set(_by_type(got).values()) == {"active"} and len(got) == 3, got
    got = services("SERVIZI DELL'AMBITO\n- Assistenza domiciliare\n- Tutela minori\n- Servizio Affidi\n")
    assert {"assistenza_domiciliare", "tutela_minori", "centro_affidi"} <= set(_by_type(got)), got


def test_bullets_under_a_head_about_something_else_are_no_services():
    assert not services("Obiettivi del triennio\n- assistenza domiciliare\n- tutela minori\n")
    assert not services("I SERVIZI\n\n- Segretariato sociale\n- Spazio Neutro\n")  # a bare heading states no status


def test_bare_area_name_bullet_under_a_governing_head():
    got = services("Tra i servizi gestiti dall'Azienda:\n- assistenza domiciliare\n- tutela minori\n- SIL\n")
    assert _by_type(got).get("assistenza_domiciliare") == "active", got


# -- the short form of a place --------------------------------------------------------------------------------------

def test_sportello_di_the_short_form_of_a_named_comune_is_a_place():
    got = services("A Busto Arsizio apre il nuovo ufficio di consulenza legale; oltre allo sportello di Busto "
                   "sarà aperto un ufficio anche a Fagnano Olona.")
    assert not any(n.lower().startswith("sportello di busto") for n in got), got


def test_sportello_di_a_name_that_is_no_place_stays_a_service():
    got = services("Dal 2023 è attivo lo sportello di Ascolto Psicologico per gli studenti.")
    assert any(n.lower().startswith("sportello di ascolto") for n in got), got


# -- the dev5s excerpts ------------------------------------------------------------------------------------------

def test_dev5s_excerpts_score(tmp_path):
    # all 22 excerpts: s1-s16 (development) and s17-s22 (collected after the fixes, held out in heldout.json)
    n, rows = score_gold(DEV5S, tmp_path)
    assert n == 22
    assert rows["services"]["precision"] >= 0.85 and rows["services"]["recall"] >= 0.85, rows["services"]
    assert rows["services_status"]["precision"] >= 0.8 and rows["services_status"]["recall"] >= 0.85, rows["services_status"]



# -- the fields of a service charter under the service's own line ----------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("SERVIZIO DI ASSISTENZA DOMICILIARE (SAD)\nCos'è: un insieme di prestazioni a domicilio.\nA chi si rivolge: anziani e disabili.\n",
     "assistenza_domiciliare"),
    ("Spazio Neutro\n\nA chi è rivolto\nMinori e genitori su mandato del Tribunale.\n\nCome accedere\nSu invio dei servizi sociali.\n",
     "spazio_neutro"),
    ("## Segretariato Sociale\n\n**Destinatari:** tutti i cittadini residenti.\n**Orari:** lunedì e giovedì 9-12.\n", "segretariato_sociale"),
])
def test_charter_fields_describe_a_running_service(text, key):
    assert _by_type(services(text)).get(key) == "active", services(text)


def test_a_service_line_without_charter_fields_states_nothing():
    assert not services("Spazio Neutro\n\nIl tema sarà discusso nel prossimo incontro del tavolo con le famiglie e le scuole.\n")


def test_a_period_that_closes_ends_no_service():
    got = services("Il 2023 si chiude con 200 utenti del servizio di assistenza domiciliare, gestito dall'Azienda.")
    assert _by_type(got) == {"assistenza_domiciliare": "active"}, got


# -- a service named in lower case by the phrase a verb of opening governs ------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("Da lunedì apre lo sportello lavoro dell'Ambito presso il municipio.", "Sportello lavoro"),
    ("L'Azienda ha attivato il servizio di custodia sociale nei quartieri popolari.", "Servizio di custodia sociale"),
    ("Il Consorzio ha avviato lo sportello di ascolto psicologico per gli adolescenti.", "Sportello di ascolto psicologico"),
])
def test_lower_case_service_governed_by_a_verb_of_opening(text, name):
    assert services(text).get(name, (None, None))[1] == "active", services(text)


@pytest.mark.parametrize("text", [
    "È stato aperto a Borgo Alto lo sportello di ascolto psicologico per gli adolescenti.",  # whose it is, unsaid
    "Inaugurato il nuovo centro diurno integrato di Borgo Alto nella Casa di comunità dell'ASST.",
    "L'Ambito ha attivato il servizio di mensa per le scuole dei Comuni soci.",
    "Lo sportello comunale resterà chiuso il sabato.",
])
def test_lower_case_phrases_that_name_no_service_of_the_ambito(text):
    assert not any(n.lower().startswith(("sportello", "servizio", "centro")) and t == "named"
                   for n, (t, _) in services(text).items()), services(text)
