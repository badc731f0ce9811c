"""Issue 13, precision: texts that are not about an Ambito yield no Ambito, no member comune, no region and
no social service, however many of the words plans use they contain.

The real texts are the national laws of ../shared/corpus/real (Normattiva: the Constitution, TUEL, D.Lgs.
118/2011 on the harmonised budgets, ...), which name every region, the Province autonome di Trento e di
Bolzano, budget "programmi", the Consiglio dei Ministri and an "ambito di applicazione". The written inputs
put the same traps in the prose of a plan, where the plan's own facts must still be read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.eval_facts import predicted_facts
from ingest.pipeline import parse
from ontology.labels import Label
from tests.fixtures_ingest import read_text as read

LAWS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real" / "normattiva_ondata"
STATE_WORDS = ("ministri", "regioni", "stato")


def facts(raw: str) -> dict:
    return predicted_facts(read(raw))


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/corpus/real is not beside the checkout")
@pytest.mark.parametrize("path", sorted(LAWS.glob("*.md")) if LAWS.is_dir() else [], ids=lambda p: p.stem)
def test_a_national_law_is_about_no_region_ambito_or_comune(path: Path) -> None:
    got = predicted_facts(parse(path))
    assert got["region"] is None
    assert got["ambito"] == []
    assert got["comuni"] == []
    names = [n.lower() for ns, *_ in got["services"] for n in ns]
    assert not [n for n in names if n.startswith(("fondo", "altri fondi"))]
    bodies = [n.lower() for ns, *_ in got["bodies"] for n in ns]
    assert not [n for n in bodies if any(w in n for w in STATE_WORDS)]


@pytest.mark.parametrize("text", [
    "Intesa tra il Governo, le Regioni e le Province autonome di Trento e di Bolzano sulle linee guida.",
    "La Conferenza permanente per i rapporti tra lo Stato, le regioni e le province autonome di Trento e Bolzano.",
    "LE REGIONI E LE PROVINCE AUTONOME DI TRENTO E DI BOLZANO provvedono entro novanta giorni.",
])
def test_the_formula_of_all_regions_names_no_region_and_no_comune(text: str) -> None:
    got = facts(text)
    assert got["region"] is None
    assert got["comuni"] == []


def test_a_region_needs_twice_the_evidence_of_the_next() -> None:
    both = "La Regione Lombardia e la Regione Piemonte hanno firmato l'intesa; la Regione Piemonte e la Regione Lombardia la attuano."
    assert facts(both)["region"] is None
    plan = ("Piano di Zona dell'Ambito di Treviglio (BG), Regione Lombardia, ATS di Bergamo. "
            "Il modello riprende un'esperienza della Regione Piemonte.")
    assert facts(plan)["region"] == "lombardia"


def test_the_autonomous_province_itself_is_still_read() -> None:
    assert facts("Il Comune di Rovereto, in Provincia autonoma di Trento, gestisce il servizio in Trentino.")["region"] \
        == "trentino-alto-adige"


@pytest.mark.parametrize("text", [
    "L'Ambito è costituito dai Comuni di Lecco, Valmadrera e Malgrate (Provincia di Lecco).",
    "L'Ambito di Lecco comprende i comuni di Lecco, Valmadrera e Malgrate; firma anche la Provincia di Lecco.",
])
def test_a_name_governed_by_provincia_is_no_member(text: str) -> None:
    names = sorted(n for ns, *_ in facts(text)["comuni"] for n in ns[:1])
    assert names == ["Lecco", "Malgrate", "Valmadrera"]  # Lecco once, as the comune listed


def test_a_province_alone_is_no_member() -> None:
    assert facts("L'Ambito è costituito dalla Provincia di Sondrio e dalla Provincia di Lecco.")["comuni"] == []


@pytest.mark.parametrize("text", [
    "AMBITO DI APPLICAZIONE\nIl presente regolamento disciplina il servizio.",
    "1. Ambito di applicazione. Le norme si applicano ai comuni associati.",
    "Nell'ambito di intervento dei servizi sociali rientrano i minori.",
    "Ambito di Competenza: la Regione definisce i criteri.",
])
def test_the_noun_of_scope_is_no_ambito(text: str) -> None:
    assert facts(text)["ambito"] == []


def test_an_ambito_is_still_read_beside_its_scope() -> None:
    got = facts("Piano di Zona dell'Ambito di Seriate. Ambito di applicazione: i servizi dei comuni associati.")
    assert [ns[0] for ns, *_ in got["ambito"]] == ["Ambito di Seriate"]


@pytest.mark.parametrize("text", [
    'Nella missione 12 "Diritti sociali", all\'interno del programma "Interventi per la disabilità", sono iscritte le spese.',
    'Il programma "Fondo di riserva" accoglie gli accantonamenti.',
    'Si utilizza il programma "Risorse umane", all\'interno della missione "Servizi istituzionali".',
])
def test_a_budget_programme_is_no_service(text: str) -> None:
    assert facts(text)["services"] == []


def test_a_project_is_still_a_service() -> None:
    got = facts('L\'Ambito ha avviato nel 2023 il progetto "Casa Comune" per l\'abitare dei giovani.')
    assert [ns[0] for ns, *_ in got["services"]] == ["Casa Comune"]


@pytest.mark.parametrize("office", ["Servizio Finanziario", "Servizio Tributi", "Servizio Personale", "Servizio Segreteria",
                                    "SERVIZIO TECNICO", "Servizio Demografico"])
def test_an_office_of_the_comune_is_no_service(office: str) -> None:
    text = f"Si trasmette la presente determinazione al Responsabile del {office} per gli adempimenti di competenza."
    assert facts(text)["services"] == []


@pytest.mark.parametrize("text", [
    "Servizio Idrico integrato | Unità di supporto Contenzioso | Servizio Cimiteriale",
    "Il Comune gestisce il Servizio Rifiuti e lo Sportello Gestione del museo.",
])
def test_a_public_utility_or_an_office_cell_is_no_social_service(text: str) -> None:
    assert facts(text)["services"] == []


def test_a_named_social_service_is_still_read() -> None:
    got = facts("Il Comune di Seriate gestisce dal 2019 il Servizio Lavoro Giovani.")
    assert [ns[0] for ns, *_ in got["services"]] == ["Servizio Lavoro Giovani"]


@pytest.mark.parametrize("text", [
    "Vista la deliberazione del Consiglio dei Ministri adottata nella riunione del 20 aprile 2000.",
    "Finanziamento Presidenza del Consiglio dei Ministri – Dipartimento per le Politiche della Famiglia.",
    "Parere della Conferenza delle Regioni e delle Province autonome.",
    "Il Comitato delle Regioni dell'Unione europea ha espresso il suo parere.",
])
def test_an_organ_of_the_state_is_no_governance_body(text: str) -> None:
    assert [e.name for e in read(text).entities if e.label == Label.GOVERNANCE_BODY] == []


def test_a_table_named_by_who_sits_at_it_is_still_a_body() -> None:
    got = [e.name for e in read("Il Tavolo dei Referenti si riunisce ogni mese presso l'Ufficio di Piano.").entities
           if e.label == Label.GOVERNANCE_BODY]
    assert "Tavolo dei Referenti" in got


@pytest.mark.parametrize("text,region", [
    ("Per informazioni: servizisociali@comune.roma.it - Tel. 06 1234567", "lazio"),
    ("Sito: www.comune.seriate.bg.it/servizi-sociali", "lombardia"),
    ("Scrivere a protocollo@comune.sesto-san-giovanni.mi.it", "lombardia"),
])
def test_a_comune_web_domain_votes_for_its_region(text: str, region: str) -> None:
    assert facts(text)["region"] == region


def test_a_domain_that_is_no_comune_votes_for_nothing() -> None:
    assert facts("Scrivere a info@comune.esempio.it")["region"] is None


@pytest.mark.parametrize("text,official", [
    ("Il Distretto 46 dell'ASL NA 2 Nord comprende il comune.", "NAPOLI 2 NORD"),
    ("L'Ambito opera con la ASL Napoli 2 Nord.", "NAPOLI 2 NORD"),
])
def test_an_asl_written_with_its_province_sigla_resolves(text: str, official: str) -> None:
    names = [n for ns, *_ in facts(text)["ats_asst"] for n in ns]
    assert any(official in n.upper() for n in names), names


@pytest.mark.parametrize("text", [
    "Desirée Rossi, vicesindaco di Prevalle, ha presentato il Piano di Zona.",
    "AREA DISTRETTUALE DI LAVENO MOMBELLO\n\nPiano di Zona 2015/2017\n",
])
def test_a_deputy_mayor_or_a_district_area_names_its_comune(text: str) -> None:
    assert facts(text)["region"] == "lombardia"


@pytest.mark.parametrize("text", [
    "Piano di Zona dell'Ambito di Treviglio. Lo Sportello Unico per le Attività Produttive riceve il martedì.",
    "Ambito di Treviglio. Lo Sportello Unico per l'Edilizia è chiuso ad agosto.",
])
def test_a_one_stop_office_for_business_or_building_is_no_social_service(text: str) -> None:
    assert facts(text)["services"] == []


def test_a_named_service_goes_on_over_an_article() -> None:
    got = [ns[0] for ns, *_ in facts("L'Ambito di Seriate ha aperto nel 2022 lo Sportello Lavoro per le Donne.")["services"]]
    assert got == ["Sportello Lavoro per le Donne"]
