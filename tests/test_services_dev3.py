"""Issue 13, bodies, services and status on new real texts (dev3 "r": Lecco, Campania, Lazio, Toscana,
Emilia-Romagna): the bodies of other regions' norms (Lazio's Comitato Istituzionale, a Società della
Salute's Giunta esecutiva), an Assemblea dei Sindaci qualified by a health agency, a collegial organ
qualified as "istituzionale", vocabulary terms across an elision glued by a lost apostrophe, the later
of two coordinated events, a service named by a line of its own and described below it, services on a
meeting's agenda and in a statute's purpose, a term after "servizi di" as a later item of an
enumeration, and a complement shared by a coordination.

Every input is written here, in varied typography; none is a line of a corpus or evaluation text. Each
text opens with a title and a blank line, so that no rule about titles decides what the body says.
Each test asserts a behaviour; the negative ones guard precision. The last test scores the dev3 "r"
excerpts against their gold (annotated before the extractors were run on them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures_ingest import news_bodies as bodies, news_services as services, score_gold

DEV3 = Path(__file__).parent / "data" / "realworld" / "dev3"


# -- bodies of other regions' norms ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Il COMITATO ISTITUZIONALE del distretto socio-sanitario approva il Piano di Zona.",
    "Le direttive del comitato istituzionale sono vincolanti per il Comune capofila.",
    "Il Comitato Istituzionale, presieduto dal Sindaco del Comune capofila, si è riunito ieri.",
])
def test_comitato_istituzionale_in_any_typography(text):
    got = bodies(text)
    assert len(got) == 1 and got[0][1] == "other" and "istituzionale" in got[0][0].lower(), got


def test_giunta_esecutiva_of_a_societa_della_salute():
    got = bodies("Marta Rossi è componente della giunta esecutiva della SdS della zona.")
    assert [t for _, t in got] == ["other"] and got[0][0].lower().startswith("giunta esecutiva"), got


def test_assembly_of_a_health_agency_is_not_the_ambitos():
    got = bodies("Martedì si è riunita l'Assemblea dei Sindaci dell'ASST Valle Olona per eleggere il presidente.")
    assert got and all(t != "assemblea_sindaci" for _, t in got), got
    got = bodies("Martedì si è riunita l'Assemblea dei Sindaci dell'Ambito per approvare il Piano di Zona.")
    assert [t for _, t in got] == ["assemblea_sindaci"], got


@pytest.mark.parametrize("text", ["Il Tavolo Istituzionale si riunisce ogni mese.", "Il tavolo istituzionale si riunisce ogni mese."])
def test_istituzionale_qualifies_a_collegial_organ(text):
    got = bodies(text)
    assert [t for _, t in got] == ["other"] and got[0][0].lower() == "tavolo istituzionale", got


def test_a_lost_apostrophe_does_not_hide_a_body():
    for text in ("La relazione dellUfficio di Piano è stata approvata.", "LUfficio di Piano ha predisposto la relazione."):
        assert [t for _, t in bodies(text)] == ["ufficio_di_piano"], (text, bodies(text))


def test_capitals_inside_a_word_are_no_elision():
    # "McDonald", "iPhone", "SdS" and "PdZ" keep their letters: only an Italian elision before a capitalised word is read
    assert not bodies("Il signor McDonald ha presentato l'app per iPhone al convegno sul PdZ.")


def test_a_lost_apostrophe_does_not_hide_a_service():
    got = services("Nel 2024 è stata potenziata lattività nellAgenzia per l'Abitare, che è attiva dal 2019.")
    assert ("agenzia_abitare", "active") in got.values(), got


# -- the later of two coordinated events ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Il servizio di assistenza domiciliare è stato attivato nel 2019 e sospeso nel 2022.",
    "Il Servizio Affidi è stato avviato nel 2015, poi interrotto nel 2020 per mancanza di fondi.",
])
def test_later_coordinated_event_holds(text):
    got = services(text)
    assert [st for _, st in got.values()] == ["concluded"], got


def test_an_event_of_another_subject_does_not_close_the_service():
    got = services("Lo Spazio Neutro è attivo dal 2018 e il Servizio Affidi è stato chiuso nel 2020.")
    assert got.get("Spazio Neutro") == ("spazio_neutro", "active"), got
    assert ("centro_affidi", "concluded") in got.values(), got
    got = services("Lo Spazio Neutro è attivo dal 2018 e non è mai stato interrotto.")
    assert got.get("Spazio Neutro") == ("spazio_neutro", "active"), got


# -- a service named by a line of its own, described below it -----------------------------------------

@pytest.mark.parametrize("text, status", [
    ("Denominazione del servizio: Centro per la Famiglia\n\nIl servizio è stato avviato nel 2021 presso la sede di Borgo Alto.", "active"),
    ("SERVIZIO : PUA\nIl servizio è stato chiuso nel 2020.", "concluded"),
    ("**Segretariato sociale**\n\nIl servizio sarà attivato nel 2026 in tutti i comuni.", "planned"),
])
def test_named_line_takes_the_status_of_the_paragraph_below(text, status):
    got = services(text)
    assert [st for _, st in got.values()] == [status], got


def test_cells_of_a_flattened_table_state_nothing():
    # one cell a line, no description below: names only, not services the text says run
    assert not services("Segretariato sociale\nTutela minori\nSAD\nSpazio Neutro\n")


# -- agendas and statutes ------------------------------------------------------------------------------

def test_services_on_a_meetings_agenda():
    got = services("L'Assemblea si è riunita con il seguente ordine del giorno: 1. Approvazione verbale; "
                   "2. Informativa Dopo di Noi; 3. Regolamento dello Spazio Neutro; 4. Varie.")
    assert got == {"Dopo di Noi": ("dopo_di_noi", None), "Spazio Neutro": ("spazio_neutro", None)}, got


def test_an_agenda_heading_and_its_numbered_items_across_blank_lines():
    got = services("ORDINE DEL GIORNO\n\n1. Approvazione del verbale\n\n2. Informativa sul Dopo di Noi\n\n"
                   "3. Regolamento dello Spazio Neutro\n\nLa seduta si apre alle ore 18. Si discute poi del SAD, dell'ADM e della tutela minori.")
    assert got == {"Dopo di Noi": ("dopo_di_noi", None), "Spazio Neutro": ("spazio_neutro", None)}, got


def test_a_bare_list_is_no_agenda():
    assert not services("Parole chiave: Dopo di Noi, Spazio Neutro, SAD, tutela minori.")


def test_a_statutes_purpose_states_no_status():
    purpose = services("L'Azienda ha per scopo:\n- la gestione del Centro Diurno Disabili;\n- la gestione del servizio di assistenza domiciliare.\n")
    assert {t: st for t, st in purpose.values()} == {"cdd": None, "assistenza_domiciliare": None}, purpose
    running = services("L'Azienda gestisce:\n- il Centro Diurno Disabili;\n- il servizio di assistenza domiciliare.\n")
    assert {t: st for t, st in running.values()} == {"cdd": "active", "assistenza_domiciliare": "active"}, running


# -- enumerations and coordinations --------------------------------------------------------------------

def test_a_term_later_in_the_enumeration_after_servizi_di():
    got = services("Il Consorzio gestisce servizi e strutture di accoglienza, assistenza domiciliare, trasporto.")
    assert ("assistenza_domiciliare", "active") in got.values(), got


def test_a_shared_complement_makes_the_term():
    got = services("Servizi quali la tutela e la protezione dei minori e il SAD sono gestiti dal Consorzio.")
    assert ("tutela_minori", "active") in got.values(), got
    got = services("Servizi quali la tutela e la cura del verde pubblico sono gestiti dal Comune.")
    assert all(t != "tutela_minori" for t, _ in got.values()), got


# -- probes of common wordings ------------------------------------------------------------------------

def test_postposed_subjects_share_the_initial_predicate():
    got = services("Sono attivi il servizio affidi, lo spazio neutro e il centro per le famiglie.")
    assert {t: st for t, st in got.values()} == {"centro_affidi": "active", "spazio_neutro": "active", "centro_famiglia": "active"}, got
    got = services("Saranno attivati nel 2026 il Servizio Affidi e lo Spazio Neutro.")
    assert {st for _, st in got.values()} == {"planned"}, got


def test_plural_present_of_a_service_place():
    got = services("I Centri Diurni Disabili (CDD) di Monte Alto e Valle Bassa accolgono 60 utenti.")
    assert ("cdd", "active") in got.values(), got


@pytest.mark.parametrize("phrase", ["L'assistenza a domicilio degli anziani", "Il servizio di assistenza al domicilio"])
def test_assistenza_a_domicilio_is_the_sad(phrase):
    got = services(f"{phrase} è erogata da personale qualificato in tutti i comuni.")
    assert ("assistenza_domiciliare", "active") in got.values(), got


def test_collegial_organ_of_a_constituency():
    assert bodies("Il Tavolo di coordinamento del Terzo Settore si riunisce ogni tre mesi.") == [
        ("Tavolo di coordinamento del Terzo Settore", "tavolo_terzo_settore")]
    assert bodies("La Consulta del Volontariato si è riunita in municipio.") == [("Consulta del Volontariato", "other")]
    assert not bodies("Il Consiglio della Regione ha approvato la legge.")  # an institution's organ, not the Ambito's


def test_capitalised_name_keeps_its_elision_lower_case():
    got = bodies("L'ASSEMBLEA DEI SINDACI DELL'AMBITO TERRITORIALE DI MONTE ALTO si è riunita.")
    assert got and got[0][0].startswith("Assemblea dei Sindaci dell'Ambito"), got


@pytest.mark.parametrize("text, status", [
    ("Il Servizio di Spazio Neutro, istituito nel 2010, è stato chiuso a dicembre 2022.", "concluded"),
    ("Lo Spazio Neutro, chiuso nel 2019, è stato riaperto nel 2021 ed è attivo.", "active"),
    ("Il Servizio di Spazio Neutro, attivo dal 2010, è gestito dal Comune di Borgo Alto.", "active"),
])
def test_the_main_predicate_outranks_an_apposition(text, status):
    assert [st for _, st in services(text).values()] == [status], services(text)


def test_equipe_affidi_is_the_affido_service():
    got = services("Il Servizio Tutela Minori e l'Équipe Affidi sono gestiti dall'Azienda Speciale Consortile.")
    assert {"tutela_minori", "centro_affidi"} <= {t for t, st in got.values() if st == "active"}, got


@pytest.mark.parametrize("phrase", ["l'assistenza scolastica specialistica", "il servizio di assistenza scolastica specialistica",
                                    "l'Assistenza Educativa Culturale"])
def test_school_support_wordings(phrase):
    got = services(f"Sono stati attivati nel 2024 {phrase} e il trasporto sociale per gli alunni con disabilità.")
    assert ("sostegno_scolastico", "active") in got.values(), got


@pytest.mark.parametrize("text", [
    "Lo Spazio Neutro permette ai minori di incontrare il genitore non convivente.",
    "Il Centro per la Famiglia propone corsi per genitori.",
    "Il servizio di assistenza domiciliare conta oggi 120 utenti.",
    "I cittadini possono rivolgersi allo Sportello di Segretariato Sociale del proprio Comune.",
    "Al via il servizio di Pronto Intervento Sociale in tutto il distretto.",
    "Grazie al Fondo Povertà, l'Ambito finanzia lo Spazio Neutro.",
])
def test_present_of_what_a_service_does_and_news_wordings(text):
    got = services(text)
    assert got and all(st == "active" for _, st in got.values()), got


def test_si_occupa_di_governs_bare_area_names():
    got = services("L'Azienda si occupa di tutela minori, assistenza domiciliare e inserimenti lavorativi.")
    assert {t for t, st in got.values() if st == "active"} == {"tutela_minori", "assistenza_domiciliare", "inserimento_lavorativo"}, got
    # without a governing verb the bare names are areas of policy
    assert not services("Tre parole d'ordine: assistenza domiciliare, inserimenti lavorativi, territorio.")


def test_primi_cittadini_is_the_press_synonym_of_sindaci():
    got = bodies("L'Assemblea dei Primi Cittadini dell'Ambito ha approvato il documento.")
    assert [t for _, t in got] == ["assemblea_sindaci"], got


def test_an_offices_address_line_is_no_organ():
    assert not bodies("Segreteria operativa c/o Comunità Montana di Monte Alto, via Roma 2 - Tel. 0341 000000")
    assert [t for _, t in bodies("La Segreteria Tecnica dell'Ambito ha istruito le domande.")] == ["other"]


def test_an_enumeration_in_brackets_after_the_class_noun_shares_its_predicate():
    got = services("I servizi associati (SAD, ADM, Tutela Minori) sono gestiti dall'Azienda.")
    assert {t for t, st in got.values() if st == "active"} == {"assistenza_domiciliare", "adm", "tutela_minori"}, got


def test_a_short_heading_above_bullets_governs_them():
    got = services("Servizi attivi\n- SAD\n- ADM\n- Spazio Neutro\n")
    assert {st for _, st in got.values()} == {"active"} and len(got) == 3, got
    # a sentence above the bullets is no heading
    assert not services("Abbiamo parlato con molte persone.\n- SAD\n- ADM\n- Spazio Neutro\n")


def test_a_line_with_two_names_of_one_service_names_it():
    got = services("SAD \u2013 Servizio di Assistenza Domiciliare\nIl servizio garantisce prestazioni al domicilio degli anziani.")
    assert list(got.values()) == [("assistenza_domiciliare", "active")], got


# -- the dev3 "r" excerpts against their gold -----------------------------------------------------------

def test_dev3_r_excerpts_score(tmp_path):
    n, rows = score_gold(DEV3, tmp_path, only="r")  # the r half (the q half: places)
    assert n == 10
    assert rows["bodies"]["precision"] >= 0.9 and rows["bodies"]["recall"] >= 0.9, rows["bodies"]
    assert rows["services"]["precision"] >= 0.9, rows["services"]
    assert rows["services_status"]["precision"] >= 0.9, rows["services_status"]
