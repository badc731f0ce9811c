"""Issue 13, services: recognition that does not hang on capitals or one phrasing, and a status grammar
of tense and aspect read from the clause that governs each mention.

Every input is written here, in varied typography (upper and lower case, curly and straight
apostrophes, dotted acronyms, bullets, numbered items, colons, hard wraps); none is a line of a
corpus or evaluation text. Each test asserts a behaviour, and the negative ones guard precision.
"""

from __future__ import annotations

import pytest

from ingest.entities_services import stated_years
from ingest.eval_facts import predicted_facts
from ontology.labels import Label
from tests.fixtures_ingest import read_text as read


def services(text: str) -> set[tuple[str, str | None]]:
    """(vocabulary term or "named", status) of every service read from the text."""
    return {(e.props.get("type"), e.props.get("status")) for e in read(text).entities if e.label == Label.SERVICE}


def categories(text: str) -> set[str]:
    """The coarse types the evaluation scores (``other`` for a term outside the gold's types)."""
    return {t for _, t, _, _ in predicted_facts(read(text))["services_status"]}


def names(text: str) -> set[str]:
    return {e.name for e in read(text).entities if e.label == Label.SERVICE}


def service_entity(text: str, kind: str):
    return next(e for e in read(text).entities if e.label == Label.SERVICE and e.props.get("type") == kind)


# -- recognition -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,kind", [
    ("lo spazio neutro è attivo dal 2015.", "spazio_neutro"),
    ("LO SPAZIO NEUTRO È ATTIVO DAL 2015.", "spazio_neutro"),
    ("L’Agenzia  dell’ Abitare è operativa presso il Comune capofila.", "agenzia_abitare"),
    ("Il Punto Unico d'Accesso è attivo presso la sede dell'Ambito.", "pua"),
    ("Il C.D.D. di via Roma è attivo.", "cdd"),
    ("I centri diurni disabili sono gestiti dall'Azienda consortile.", "cdd"),
    ("Il servizio tutela minori è gestito in forma associata.", "tutela_minori"),
    ("Lo Spazio-Neutro è stato inaugurato a marzo.", "spazio_neutro"),
    ("Il Servizio Inserimento Lavorativo (S.I.L.) è gestito dal Consorzio.", "inserimento_lavorativo"),
])
def test_vocabulary_terms_in_any_case_and_typography(text, kind):
    assert kind in {t for t, _ in services(text)}


def test_a_term_hyphenated_at_a_line_end_is_read_whole():
    text = "Il servizio di assistenza domi-\nciliare è gestito dai Comuni.\n\nLo Spazio Neu-\ntro è attivo dal 2015.\n"
    assert services(text) == {("assistenza_domiciliare", "active"), ("spazio_neutro", "active")}
    assert "servizio di assistenza domiciliare" in service_entity(text, "assistenza_domiciliare").props["aliases"]


@pytest.mark.parametrize("text", [
    "La sad situazione delle famiglie è nota.",  # an acronym needs its capitals
    "Il servizio sil è attivo.",
    "Il Sil è attivo.",
])
def test_a_lower_case_acronym_in_prose_is_no_service(text):
    assert not services(text)


def test_an_acronym_the_text_defines_for_something_else_is_no_service_term():
    # "Assegno di Inclusione (ADI)": here ADI is a benefit, not the Assistenza Domiciliare Integrata
    assert not services("1. Assegno di Inclusione (ADI)\nL'ADI è erogato dall'INPS a chi ne ha diritto.\n")
    assert services("Il Servizio di Assistenza Domiciliare Integrata (ADI) è erogato dall'ASST.") == {("adi", "active")}


def test_an_expansion_spelled_by_its_acronym_is_one_service():
    # the initials of "Assistenza Domiciliare per Minori" spell ADM: one ADM, not a SAD and an ADM
    assert services("Il Servizio di Assistenza Domiciliare per Minori (ADM) è attivo.") == {("adm", "active")}
    assert services("Il Nucleo Integrazione Lavorativa (NIL) è attivo dal 2010.") == {("inserimento_lavorativo", "active")}


@pytest.mark.parametrize("text,name", [
    ("Lo Sportello Badanti è attivo presso l'Ufficio di Piano dal 2018.", "Sportello Badanti"),
    ("Il Servizio di Consulenza Legale è gestito dall'Azienda.", "Servizio di Consulenza Legale"),
    ("Il Centro Anziani è aperto tutti i giorni.", "Centro Anziani"),
    ("Il Punto Famiglia accoglie i genitori dal 2019.", "Punto Famiglia"),
    ("Lo SPAZIO GIOVANI è attivo presso la biblioteca.", "Spazio Giovani"),
    ("Lo Sportello d'Ascolto Famiglie è attivo dal 2020.", "Sportello d'Ascolto Famiglie"),
    ("Il Family Point di Ambito sarà avviato nel 2025.", "Family Point"),
    ("Il Centro Socio-Ricreativo è gestito dal Comune.", "Centro Socio-Ricreativo"),
])
def test_named_initiatives_outside_the_vocabulary_keep_their_whole_name(text, name):
    assert name in names(text)
    assert categories(text) == {"other"}


@pytest.mark.parametrize("text", [
    "Il Centro per l'Impiego gestisce le doti lavoro.",
    "Il Centro Storico è chiuso al traffico.",
    "Il Centro di Salute Mentale è gestito dall'ASST.",
    "Il Servizio di Neuropsichiatria Infantile segue i minori con disabilità.",
    "Il Servizio per le Dipendenze è attivo presso l'ASST.",
    "Il Centro Mantovano di Solidarietà Onlus gestisce il magazzino.",
    "La sede è in centro Lecco.",
    "Collaborano le cooperative Melograno e Spazio Aperto Servizi, che gestiscono il doposcuola.",
    "Partecipano l'Istituto Superiore e il Centro di Formazione Professionale, che gestisce i corsi.",
])
def test_offices_outside_social_services_and_organisations_are_no_named_service(text):
    assert not services(text)


def test_a_name_that_goes_on_past_its_line_is_never_stored_cut():
    text = "IL PROTOCOLLO PER L'ISTITUZIONE DEL CENTRO INTEGRATO\nPER LA FAMIGLIA È STATO FIRMATO."
    assert not {n for n in names(text) if n.lower().endswith("integrato")}


def test_a_named_service_keeps_its_coordinated_words():
    assert "Servizio di Mediazione Linguistica e Culturale" in names(
        "Il Servizio di Mediazione Linguistica e Culturale è attivo presso i Comuni.")


def test_a_predecessor_programme_is_its_successor_term():
    # SPRAR (L. 189/2002) and SIPROIMI (D.L. 113/2018) are the predecessors of the SAI (D.L. 130/2020)
    got = services("Sono attivi i progetti SPRAR (Servizio di Protezione per Richiedenti Asilo e Rifugiati) dal 2016.")
    assert got == {("sai", "active")}


# -- status by tense and aspect --------------------------------------------------------------------

@pytest.mark.parametrize("text,want", [
    # active: perfect, present, state
    ("Lo Spazio Neutro è attivo dal 2015.", ("spazio_neutro", "active")),
    ("Il Centro per la Famiglia è stato inaugurato nel 2022.", ("centro_famiglia", "active")),
    ("L'Azienda gestisce il Servizio Affidi per i dieci Comuni.", ("centro_affidi", "active")),
    ("Il Servizio Tutela Minori è operativo in tutti i Comuni.", ("tutela_minori", "active")),
    ("Il Servizio di Assistenza Domiciliare (SAD) riguarda 120 anziani.", ("assistenza_domiciliare", "active")),
    # planned: future, modal, intention, design
    ("Il Piano garantirà lo Spazio Neutro in ogni distretto.", ("spazio_neutro", "planned")),
    ("Nel 2025 sarà avviato il Centro per la Famiglia.", ("centro_famiglia", "planned")),
    ("Si prevede l'apertura di un Centro Antiviolenza.", ("centro_antiviolenza", "planned")),
    ("L'Ambito dovrà garantire il Pronto Intervento Sociale.", ("pronto_intervento_sociale", "planned")),
    ("L'Ambito intende attivare un servizio di Spazio Neutro.", ("spazio_neutro", "planned")),
    ("Il lavoro procede verso la costruzione dell'Agenzia per l'Abitare.", ("agenzia_abitare", "planned")),
    # feasibility
    ("È in corso uno studio di fattibilità per un Centro per la Famiglia.", ("centro_famiglia", "feasibility_study")),
    # concluded: closure, an end year with a past tense
    ("Il progetto Spazio Neutro si è concluso nel 2019.", ("spazio_neutro", "concluded")),
    ("Il Servizio Tutela Minori è stato attivo fino al 2019.", ("tutela_minori", "concluded")),
    ("Fino al 2018 il Servizio Affidi era gestito dal Comune capofila.", ("centro_affidi", "concluded")),
])
def test_status_from_tense_and_aspect(text, want):
    assert want in services(text)


def test_a_continuation_under_a_modal_is_a_running_service():
    # continuing presupposes that it runs, also when the text only intends to continue
    assert services("L'Ambito intende proseguire con l'attivazione del Servizio Affidi.") == {("centro_affidi", "active")}


def test_each_clause_keeps_its_own_tense():
    got = services("Il Servizio di Assistenza Domiciliare (SAD) è gestito dai Comuni, mentre il SIL sarà affidato "
                   "all'Azienda consortile.")
    assert got == {("assistenza_domiciliare", "active"), ("inserimento_lavorativo", "planned")}


def test_a_participle_of_another_noun_gives_the_service_no_status():
    # "erogati" agrees with "servizi", not with the Spazio Neutro, which the clause places in the future
    got = services("Per partire con i servizi erogati dal 2023, prenderà forma lo Spazio Neutro.")
    assert ("spazio_neutro", "active") not in got


@pytest.mark.parametrize("text,status", [
    ("Sono stati attivati i seguenti servizi:\n- Spazio Neutro;\n- Servizio Affidi;\n- Assistenza Domiciliare Minori.\n",
     "active"),
    ("Nel triennio saranno avviati:\n• lo Spazio Neutro\n• il Centro per la Famiglia\n", "planned"),
    ("Sono attivi i seguenti servizi:\n1) SAD;\n2) Spazio Neutro.\n", "active"),
    ("Il Piano garantirà i seguenti servizi: spazio neutro, servizio affidi e tutela minori.", "planned"),
    ("I servizi associati riguardano: Servizio Affidi, Spazio Neutro, Servizio Tutela Minori.", "active"),
    # the class announced by "seguenti" in the middle of the head, its subject placed after the verb
    ("Ad oggi sono erogati in forma associata i seguenti servizi, descritti nelle pagine che seguono:\n- lo spazio neutro;\n"
     "- il servizio affidi.\n", "active"),
    ("Nel prossimo triennio verranno attivati dall'Ufficio di Piano i seguenti interventi a sostegno delle famiglie con minori:\n"
     "• Spazio Neutro\n• Centro per la Famiglia\n", "planned"),
])
def test_list_items_inherit_the_head_clause(text, status):
    got = services(text)
    assert len(got) >= 2 and {st for _, st in got} == {status}


@pytest.mark.parametrize("text,status", [
    ("## Servizi attivi\n\n- Spazio Neutro\n- Servizio Affidi\n", "active"),
    ("PROGETTI REALIZZATI NEL TRIENNIO\n1. Spazio Neutro\n2. Centro per la Famiglia\n", "active"),
    ("## Interventi programmati\n- lo Spazio Neutro\n- il Servizio Affidi\n", "planned"),
])
def test_bullets_under_a_heading_take_its_status(text, status):
    got = services(text)
    assert len(got) == 2 and {st for _, st in got} == {status}


def test_a_head_about_something_else_lends_no_status():
    # the head speaks of objectives of a reform, and the item opens with an action noun: no service runs
    text = ("Piano di Zona 2025-2027\n\nIl contesto nazionale\n\nLe riforme in corso\n\n"
            "La riforma ha già preso avvio e punta a una rosa di obiettivi operativi:\n"
            "- semplificazione dell'accesso;\n- promozione dei progetti di vita indipendente;\n")
    assert not services(text)


def test_a_label_before_a_colon_takes_its_description():
    assert services("SERVIZIO TUTELA MINORI: gestito in forma associata dall'Azienda consortile.") == {("tutela_minori", "active")}


def test_an_adverb_of_present_state():
    assert ("spazio_neutro", "active") in services(
        "Si consideri che attualmente lo spazio neutro per gli incontri protetti è a Giussano.")
    # the adverb of another word ("attualmente vigente", a rule) says nothing of a service named far off
    far = ("Resta ferma la speciale disciplina attualmente vigente in tema di tirocini finalizzati all'inclusione "
           "sociale delle persone prese in carico dal servizio sociale professionale e dai servizi sanitari.")
    assert ("servizio_sociale_professionale", "active") not in services(far)


@pytest.mark.parametrize("text", [
    "Il Servizio Affidi non è attivo nel nostro Ambito.",
    "Lo Spazio Neutro non sarà avviato.",
])
def test_a_denied_service_gets_no_running_status(text):
    assert not {st for _, st in services(text)} & {"active", "planned"}


@pytest.mark.parametrize("text", [
    "Orari di apertura dello Sportello Badanti: lunedì e giovedì.",  # opening hours, not an opening to come
    "Al momento della presa in carico del Servizio Tutela Minori i genitori firmano il patto.",
])
def test_words_that_only_look_like_cues_state_no_status(text):
    assert not {st for _, st in services(text)} - {None}


def test_a_service_named_in_a_table_of_contents_has_no_status():
    text = "INDICE\n4.1 Valutazioni multidimensionali ...... 66\n4.2 Attuazione del Dopo di Noi ...... 67\n"
    assert services(text) == {("dopo_di_noi", None)}


def test_a_list_without_a_verb_stays_without_services():
    assert not services("LEPS: supervisione, housing temporaneo, stazione di posta, pronto intervento sociale.")


# -- the years a status holds for --------------------------------------------------------------------

@pytest.mark.parametrize("clause,want", [
    ("è attivo dal 2015", ("2015", None)),
    ("a decorrere dal 1° gennaio 2023", ("2023", None)),
    ("è stato attivo fino al 2019", (None, "2019")),
    ("attivo dal 2010 al 2018", ("2010", "2018")),
    ("è attivo", (None, None)),
])
def test_stated_years(clause, want):
    assert stated_years(clause) == want


def test_the_service_keeps_the_years_of_its_status():
    e = service_entity("Lo Spazio Neutro è attivo dal 2015 presso il Comune capofila.", "spazio_neutro")
    assert e.props.get("status") == "active" and e.props.get("status_since") == "2015"
    e = service_entity("Il Servizio Affidi, attivo dal 2010 al 2018, è stato sostituito dal Centro per la Famiglia.",
                       "centro_affidi")
    assert e.props.get("status") == "concluded" and e.props.get("status_until") == "2018"


def test_an_enumeration_in_brackets_inside_a_governed_bullet():
    text = ("Il Consorzio gestisce in forma associata i seguenti servizi:\n"
            "- Servizi alla persona di Ambito (Spazio Neutro, Servizio Affidi, ecc.)\n- Trasporto scolastico.\n")
    got = services(text)
    assert {("spazio_neutro", "active"), ("centro_affidi", "active")} <= got
