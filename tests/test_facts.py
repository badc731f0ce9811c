"""Facts of unseen texts (issue 13): health agencies, comuni, Ambiti, region, bodies, services, status.

Inputs are written here in varied typography (lists, tables, signatory lines, parentheses, mirror
slots, capitals, letter spacing, abbreviations, OCR slips); the real texts of ../shared/eval/realtexts
are scored on their development subset, and the Oglio Po corpus plan on what it states.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.entities_ambito import choose, find_mentions
from ingest.entities_comuni import find_enumerations
from ingest.entities_places import agencies, lookup_comune, resolve_agency
from ingest.eval_facts import evaluate_facts, phrase_match
from ingest.model import Document
from ingest.pipeline import parse
from ontology.labels import Label, Rel
from ontology.vocab import load_vocab
from tests.conftest import CORPUS, SHARED
from tests.fixtures_ingest import read_text as read

REALTEXTS = SHARED / "eval" / "realtexts"
HELD_OUT = Path(__file__).parent / "data" / "realtexts_heldout.json"


def ents(doc: Document, label: str) -> list:
    return [e for e in doc.entities if e.label == label]


def members(doc: Document, ambito_id: str | None = None) -> set[str]:
    return {next(e.name for e in doc.entities if e.id == r.src) for r in doc.relations
            if r.type == Rel.MEMBER_OF and (ambito_id is None or r.dst == ambito_id)}


# -- reference data -------------------------------------------------------------------------------

def test_reference_data_has_the_8_ats_and_the_asst_with_codes_and_sources():
    ats = [a for a in agencies() if a.kind == "ats"]
    assert len(ats) == 8 and all(a.code and a.code.startswith("0303") for a in ats)
    asst = [a for a in agencies() if a.kind == "asst" and a.region == "lombardia"]
    assert len(asst) >= 25 and all(a.ats and a.ats in {x.code for x in ats} for a in asst)
    old = [a for a in agencies() if a.historical]
    assert len(old) == 15 and all(a.successor in {x.code for x in ats} for a in old)
    data = json.loads((Path(__file__).parents[1] / "ontology" / "health_agencies.json").read_text(encoding="utf-8"))
    assert all(r["source"] in data["sources"] for r in data["agencies"])


@pytest.mark.parametrize("kind,tail", [
    ("ats", "Val Padana"), ("ats", "Valpadana"), ("ats", "della Val Padana"), ("ats", "VAL PADANA"),
    ("ats", "della Val Padama"),  # an OCR slip
])
def test_every_spelling_of_an_agency_resolves_to_one_record(kind, tail):
    got = resolve_agency(kind, tail)
    assert got and got[0].code == "030327"


def test_agency_spellings_in_a_text_make_one_node():
    doc = read("Il Piano è condiviso con ATS Val Padana.\nLa ATS Valpadana ha approvato.\n"
               "L'Agenzia di Tutela della Salute della Val Padana e l'Ats Val Padana partecipano; "
               "la ASST di Cremona e l'ASL della Provincia di Cremona (fino al 2015).\n")
    orgs = {e.id: e for e in ents(doc, Label.ORGANIZATION) if e.props.get("kind") in ("ats", "asst", "asl")}
    ats = [e for e in orgs.values() if e.props["kind"] == "ats"]
    assert len(ats) == 1 and ats[0].props["code_minsal"] == "030327" and ats[0].props["mentions"] >= 4
    assert any(e.props.get("historical") and e.props.get("successor_code") == "030327" for e in orgs.values())
    assert any(e.props.get("code_minsal") == "030724" for e in orgs.values())


@pytest.mark.parametrize("written,istat", [
    ("SAN ZENONE AL LAMBRO", "015202"), ("Cerro al Lambro", "015071"), ("Vizzolo-Predabissi", "015244"),
    ("Azzano S.Paolo", "016016"), ("Fara Gera d’Adda", "016096"), ("cantu'", "013041"),
])
def test_comune_names_in_any_typography(written, istat):
    rec = lookup_comune(written, "lombardia")
    assert rec is not None and rec.code == istat


def test_suppressed_comuni_point_to_their_successor():
    rec = lookup_comune("Felonica", "lombardia")
    assert rec.code == "" and rec.successor == "020061"  # Sermide e Felonica
    doc = read("Il Distretto di Ostiglia comprende i Comuni di Felonica, Sermide, Ostiglia e Revere.\n")
    com = {e.id: e for e in ents(doc, Label.COMUNE)}
    assert com["comune:020061"].name == "Sermide e Felonica"
    assert set(com["comune:020061"].props["historical_names"]) == {"Felonica", "Sermide"}
    assert com["comune:020072"].props["historical_names"] == ["Revere"]  # Borgo Mantovano


# -- comuni enumerations -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "L'Ambito comprende i Comuni di Carpiano, Cerro al Lambro, Colturano e Dresano.",
    "Comuni dell'Ambito: CARPIANO - CERRO AL LAMBRO - COLTURANO - DRESANO",
    "I COMUNI DELL'AMBITO\n- Carpiano\n- Cerro al Lambro\n- Colturano\n- Dresano\n",
    "Residenti nell'ambito al 1 gennaio\n1 | Carpiano | 4.100\n2 | Cerro al Lambro | 5.000\n3 | Colturano | 2.000\n4 | Dresano | 3.100\n",
    "Sottoscrivono l'accordo:\nComune di Carpiano, rappresentato dal Sindaco Paolo Rossi\n"
    "Comune di Cerro al Lambro, rappresentato dal Sindaco Anna Neri\nComune di Colturano, rappresentato dal Vicesindaco\n"
    "Comune di Dresano, rappresentato dall'Assessore\n",
    "Per i quattro Comuni (Carpiano, Cerro al Lambro, Colturano, Dresano) il servizio è attivo.",
    "Comuni di: Carpiano, , , Cerro al Lambro, , Colturano, Dresano.",
    "Tabella 1 - Popolazione\nCOMUNE | ABITANTI\nCarpiano | 4.100\nCerro al Lambro | 5.000\nColturano | 2.000\nDresano | 3.100\n",
    "I COMUNI DELL'AMBITO\n\nCarpiano\n\nCerro al Lambro\n\nColturano\n\nDresano\n",
    "I Comuni associati sono: 1. Carpiano 2. Cerro al\nLambro 3. Colturano 4) Dresano.",
    "Letto, approvato e sottoscritto\n\nPer il Comune di Carpiano\nIl Sindaco\n______\nPer il Comune di Cerro al Lambro\n"
    "Il Sindaco\n______\nPer il Comune di Colturano\nIl Sindaco\n______\nPer il Comune di Dresano\nIl Vicesindaco\n",
])
def test_membership_lists_in_varied_typography(text):
    found = [e for e in find_enumerations(text, "lombardia") if e.member]
    assert found and {i.rec.code for i in found[0].items} == {"015050", "015071", "015082", "015101"}


def test_a_passing_list_is_not_membership():
    text = "Nel 2022 si sono svolti incontri a Carpiano, Colturano e Dresano con le famiglie."
    assert not any(e.member for e in find_enumerations(text, "lombardia"))


def test_stated_count_is_checked_against_the_list():
    doc = read("Ambito territoriale di Melegnano\n\nI sette Comuni dell'Ambito sono Carpiano, Cerro al Lambro, "
               "Colturano, Dresano e Melegnano.\n")
    amb = next(e for e in ents(doc, Label.AMBITO) if e.props.get("scope") == "own")
    assert amb.props["comuni_count_stated"] == 7 and amb.props["comuni_count_listed"] == 5
    assert amb.props["comuni_count_matches"] is False


def test_a_count_equal_to_a_later_list_makes_it_membership():
    doc = read("Dal Lodigiano una lettera firmata da 3 comuni.\n\nIl percorso che Codogno, Maleo e Casalpusterlengo "
               "hanno scelto prosegue.\n")
    assert members(doc) | {e.name for e in ents(doc, Label.COMUNE) if e.props.get("listed_as_member")} >= {
        "Codogno", "Maleo", "Casalpusterlengo"}


def test_abbreviated_names_and_slots_of_unknown_names():
    text = "Comuni: Bedizzole, Calvagese d/R, Gardone R., Toscolano M., Zorbolandia, Salò."
    en = next(e for e in find_enumerations(text, "lombardia") if e.member)
    assert {i.rec.name for i in en.items} >= {"Calvagese della Riviera", "Gardone Riviera", "Toscolano-Maderno", "Salò"}
    assert en.unresolved == ["Zorbolandia"]


# -- Ambiti ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,name", [
    ("AMBITO DISTRETTUALE DI LECCO\n", "LECCO"),
    ("1 Ambito Territoriale di Cantù REGOLAMENTO AFFIDI\n", "Cantù"),
    ("Piano di Zona dell'Ambito territoriale n. 3 di Bergamo Ovest\n", "Bergamo Ovest"),
    ("Il Piano di Zona – Distretto di Ostiglia comprende\n", "Ostiglia"),
    ("L'Ambito C03 disciplina la programmazione\n", "C03"),
    ("Ambito sperimentale “Oglio Po” ha approvato\n", "Oglio Po"),
    ("A M B I T O T E R R I T O R I A L E V A L L E S E R I A N A\n", "VALLE SERIANA"),
    ("Il Piano di Zona 2009-2011 dei Comuni del Garda bresciano\n", "Garda"),
    ("servizi per tutto l'ambito trevigliese\n", "trevigliese"),
])
def test_ambito_grammar(text, name):
    ms = find_mentions(text, "lombardia")
    assert ms and ms[0].name == name, [(m.name, m.surface) for m in ms]


def test_context_ambito_is_not_an_ambito():
    assert find_mentions("nell'ambito di Regione Lombardia e nell'ambito del Piano", "lombardia") == []


def test_own_ambito_told_from_the_others():
    text = ("DISTRETTO DI OSTIGLIA\n\nIl Distretto di Ostiglia comprende i Comuni di Ostiglia, Sermide e Quistello.\n\n"
            "DISTRETTO DI SUZZARA\n\nIl Distretto di Suzzara comprende i Comuni di Gonzaga, Moglia e Suzzara.\n\n"
            "Collaboriamo con l'Ambito di Mantova.\n")
    cands = choose(text, find_mentions(text, "lombardia"), find_enumerations(text, "lombardia"))
    scopes = {c.name: c.scope for c in cands}
    assert scopes == {"OSTIGLIA": "own", "SUZZARA": "covered", "Mantova": "mentioned"}
    doc = read(text)
    assert members(doc, "ambito:ostiglia") == {"Ostiglia", "Sermide e Felonica", "Quistello"}  # Sermide merged in 2017
    assert members(doc, "ambito:suzzara") == {"Gonzaga", "Moglia", "Suzzara"}


def test_ambito_aliases_keep_every_written_form():
    doc = read("Distretto Sociale Sud Est Milano - Ambito di San Giuliano Milanese\n\nL'Ambito di SAN GIULIANO MILANESE "
               "approva.\n")
    amb = next(e for e in ents(doc, Label.AMBITO) if e.props.get("scope") == "own")
    forms = [amb.name, *amb.props["aliases"]]
    assert amb.id == "ambito:san-giuliano-milanese"
    assert any("Sud Est Milano" in f for f in forms) and "San Giuliano Milanese" in forms


# -- region ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,region", [
    ("Come previsto dalla Legge della Regione Campania n. 11/2007 l'Ambito opera.", "campania"),
    ("Accordo tra i Comuni di Busseto, Fidenza e Soragna e l'Azienda USL di Parma.", "emilia-romagna"),
    ("I Comuni di Arcene, Arzago e Calvenzano hanno firmato.", "lombardia"),
    ("La ATS Insubria ha approvato il documento.", "lombardia"),
    ("Un testo senza alcun luogo.", None),
])
def test_region_is_read_never_assumed(text, region):
    assert read(text).region == region


# -- bodies and services ------------------------------------------------------------------------------

def test_every_body_service_and_status_term_names_its_source():
    v = load_vocab()
    for scheme in ("bodies", "services", "statuses"):
        missing = [c.key for c in v.scheme(scheme) if not c.source]
        assert not missing, (scheme, missing)
    assert all(c.category for c in v.scheme("bodies")) and all(c.category for c in v.scheme("services"))


def test_bodies_are_told_apart_by_level():
    doc = read("Approvato dal Consiglio di Rappresentanza dei Sindaci e dalle Assemblee dei Sindaci dei Distretti; "
               "la Conferenza dei Sindaci formula proposte. L'Assemblea dei sindaci del piano di zona approva; "
               "il Cda dell'azienda e il Tavolo Politico si riuniscono.\n")
    got = {e.props["type"]: e.props["category"] for e in ents(doc, Label.GOVERNANCE_BODY)}
    assert got == {"consiglio_rappresentanza_sindaci": "other", "assemblea_sindaci_distretto": "other",
                   "conferenza_sindaci": "other", "assemblea_sindaci": "assemblea_sindaci",
                   "consiglio_amministrazione": "other", "tavolo_politico": "other"}


def test_thematic_tables_named_inline():
    doc = read("Il progetto è seguito dal Tavolo Dopo di Noi e dal Tavolo Tecnico; si riunisce il Tavolo Disabilità.\n")
    got = {e.name: e.props["category"] for e in ents(doc, Label.GOVERNANCE_BODY)}
    assert got == {"Tavolo Tecnico": "tavolo_tecnico", "Tavolo Dopo di Noi": "tavolo_tematico", "Tavolo Disabilità": "tavolo_tematico"}


@pytest.mark.parametrize("sentence,category,status", [
    ("Lo Spazio Neutro è un luogo protetto per gli incontri.", "spazio_neutro", "active"),
    ("Il Servizio di Assistenza Domiciliare è attivo dal 2015.", "sad", "active"),
    ("Nel 2026 sarà avviato il Punto Unico di Accesso.", "pua", "planned"),
    ("È in corso uno studio di fattibilità per l'Agenzia per l'Abitare.", "agenzia_abitare", "feasibility_study"),
    ("Il Centro antiviolenza è stato inaugurato a marzo.", "centro_antiviolenza", "active"),
    ("Il progetto Dopo di Noi si è concluso nel 2020.", "dopo_di_noi", "concluded"),
    ("La segnalazione arriva dal Servizio Tutela Minori che ha in carico il minore.", "tutela_minori", "active"),
])
def test_service_category_and_status(sentence, category, status):
    doc = read(sentence + "\n")
    svc = [e for e in ents(doc, Label.SERVICE) if e.props.get("category") == category]
    assert svc and svc[0].props.get("status") == status, [(e.name, e.props) for e in ents(doc, Label.SERVICE)]


def test_named_initiatives_outside_the_taxonomy_are_typed_other():
    doc = read("Dal 2023 lo Sportello Fragilità accoglie le famiglie il martedì.\n")
    svc = [e for e in ents(doc, Label.SERVICE) if e.name == "Sportello Fragilità"]
    assert svc and svc[0].props["category"] == "other" and svc[0].props["status"] == "active"


def test_a_service_named_in_the_title_is_kept():
    doc = read("Disciplinare per l'accreditamento dei servizi di assistenza domiciliare\n\nArt. 1 Oggetto\n")
    assert [e.props["category"] for e in ents(doc, Label.SERVICE)] == ["sad"]


def test_names_are_not_cut():
    doc = read("Il Punto Unico di Accesso (PUA) è attivo. Il progetto Dopo di Noi (L. 112/2016) è attivo.\n")
    names = {e.name for e in ents(doc, Label.SERVICE)} | {a for e in ents(doc, Label.SERVICE) for a in e.props["aliases"]}
    assert not any(n.count("(") != n.count(")") for n in names), names


def test_honest_phrase_matcher():
    assert phrase_match("Servizi Sociali Comunali", "Servizio Sociale Comunale")
    assert phrase_match("Assemblea dei Sindaci", "Assemblea dei sindaci del piano di zona")
    assert not phrase_match("Tavolo Tecnico", "Tavolo Politico")  # one shared word is not a match


# -- real texts and the corpus ----------------------------------------------------------------------

@pytest.mark.skipif(not (REALTEXTS / "gold.json").is_file(), reason="../shared/eval/realtexts not found")
def test_eval_facts_on_the_development_texts():
    report = evaluate_facts(REALTEXTS, HELD_OUT)
    dev = report["subsets"]["dev"]
    for field in ("ambito", "comuni", "ats_asst", "bodies", "services"):
        assert dev[field]["recall"] >= 0.85 and dev[field]["precision"] >= 0.90, (field, dev[field])
    assert dev["region"]["recall"] == 1.0
    assert all("fields" not in d for d in report["documents"].values() if d["subset"] == "held_out")


@pytest.fixture(scope="module")
def oglio_po():
    return parse(CORPUS / "oglio_po_pdz_2021_2023_ocr.txt", ocr="never")


def test_oglio_po_profile_facts(oglio_po):
    own = "ambito:oglio-po"
    assert len(members(oglio_po, own)) == 27  # "i 27 comuni dell'Oglio Po", the residents' table lists them
    ats = [e for e in ents(oglio_po, Label.ORGANIZATION) if e.props.get("kind") == "ats"]
    assert [e.props.get("code_minsal") for e in ats] == ["030327"]
    names = [e.name for e in ents(oglio_po, Label.SERVICE)]
    assert not any(n.count("(") != n.count(")") for n in names), names


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Lo Sportello Casa sarà avviato nel 2026.", "planned"),
        ("L'Agenzia ricoprirebbe un ruolo di regia e dovrebbe racchiudere funzioni tecniche.", "planned"),
        ("Il servizio si prefigura come un soggetto territoriale.", "planned"),
        ("Il Servizio Affidi gestisce gli abbinamenti.", "active"),
        ("Il servizio, in passato.", None),
    ],
)
def test_tense_grammar_of_a_service_sentence(sentence: str, status: str | None) -> None:
    from ingest.entities_services import tense_of

    assert tense_of(sentence) == status
