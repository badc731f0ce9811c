"""Issue 13, governance bodies on new real texts (dev6b: ASST/ATS mayors' conferences of Milano, Pavia and Mantova,
an Ambito's azienda and consortium, PLUS conferences in Sardegna, Lazio consortia, and texts where the same words
name a water ATO's or a città metropolitana's organs).

Behaviour tests on texts written here in varied typography; the last tests score the dev6b gold folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.bodies_variants import CONNECTIVE_RE, connective_view
from ontology.labels import Label
from ontology.vocab import fold
from tests.fixtures_ingest import news_bodies as bodies, read_news, score_gold

DEV6B = Path(__file__).parent / "data" / "realworld" / "dev6b"


def types(text: str) -> list[str]:
    return sorted(t for _, t in bodies(text))


def names(text: str) -> list[str]:
    return sorted(n for n, _ in bodies(text))


# ------------------------------------------------------------------ any form of "di" in a term


def test_the_connective_view_keeps_every_offset():
    for text in ["l'Ufficio del Piano", "dell'Ambito d'area", "Assemblea degli Enti e delle Unioni", "Tavolo di area"]:
        folded = fold(text)
        view = connective_view(folded)
        assert len(view) == len(folded)
        assert all(view[m.start()] == "d" for m in CONNECTIVE_RE.finditer(folded))
    assert connective_view("ufficio dello sport") == "ufficio d     sport"
    assert connective_view("dieci delibere") == "dieci delibere"  # a word that only opens with "di" stays


@pytest.mark.parametrize("text, name", [
    ("La proposta è stata elaborata dall'Ufficio del Piano e trasmessa ai sindaci del distretto.", "Ufficio del Piano"),
    ("Il responsabile dell’Ufficio del Piano ha presentato la relazione sociale.", "Ufficio del Piano"),
    ("UFFICIO DEL PIANO - via Roma 3 - aperto il martedì", "Ufficio del Piano"),
    ("La relazione sarà presentata all'Assemblea dei Sindaci dello Ambito.", "Assemblea dei Sindaci dello Ambito"),
])
def test_a_term_read_with_another_form_of_di(text, name):
    got = bodies(text)
    assert (name, "ufficio_di_piano" if "Ufficio" in name else "assemblea_sindaci") in got, got


def test_a_reading_two_concepts_share_is_left_as_written():
    # "Tavolo della Rete" (Terzo Settore) and "Tavolo di rete" (a territorial table) are two terms
    assert types("Il Tavolo della Rete si è riunito in Comune.") == ["tavolo_terzo_settore"]
    assert types("Il Tavolo di rete si è riunito in Comune.") == ["other"]


@pytest.mark.parametrize("text, kind", [
    ("Nel triennio si sono riuniti i Tavoli Tecnici d'Ambito.", "tavolo_tecnico"),
    ("I Collegi di Vigilanza degli Accordi verificano l'attuazione dei Piani.", "collegio_vigilanza"),
    ("Le Giunte esecutive delle Società della Salute hanno approvato i bilanci.", "other"),
])
def test_a_capitalised_term_in_the_other_number(text, kind):
    assert kind in types(text), bodies(text)


def test_a_lower_case_plural_is_prose():
    # the meetings held, not an organ: "a seguito dei tavoli tecnici per tutte le assistenti sociali"
    assert not bodies("Una newsletter informativa è stata creata a seguito dei tavoli tecnici per tutte le AS dell'Ambito.")
    # a plural the vocabulary writes is read in any case
    assert types("Le cabine di regia territoriali sono state avviate nel 2023.") == ["cabina_di_regia"]


@pytest.mark.parametrize("text", [
    "3.1 ALTRI SOGGETTI CHE HANNO PARTECIPATO ALLA DEFINIZIONE DEL PST ...... 16 3.2 I TAVOLI TEMATICI INDIVIDUATI ...... 16",
    "Per la Strategia dell'area interna sono stati convocati i tavoli tematici su scuola, mobilità e turismo.",
])
def test_the_thematic_tables_of_a_development_plan_are_not_the_ambitos(text):
    assert not bodies(text), bodies(text)


def test_the_thematic_tables_of_the_piano_di_zona_are_kept_near_a_development_word():
    assert types("I tavoli tematici del Piano Sociale di Zona, aperti anche al GAL, si riuniscono a maggio.") == ["tavolo_tematico"]


def test_another_plans_office_stays_out_with_any_form_of_di():
    assert not bodies("L'ufficio del piano regolatore ha rilasciato il parere urbanistico sulla variante del PGT.")


@pytest.mark.parametrize("text", [
    "L'Uﬃcio di Piano ha predisposto la proposta.",  # the ffi ligature of a PDF text layer
    "L'Ufﬁcio di Piano ha predisposto la proposta.",  # f + the fi ligature
    "L'Uff icio di Piano ha predisposto la proposta.",  # the ff ligature read with a spurious space
])
def test_a_term_read_through_a_ligature(text):
    assert bodies(text) == [("Ufficio di Piano", "ufficio_di_piano")], bodies(text)


# ------------------------------------------------------------------ the collegial grammar


@pytest.mark.parametrize("text, name", [
    ("Il Comitato di Rappresentanza dei Sindaci ha espresso parere favorevole.", "Comitato di Rappresentanza dei Sindaci"),
    ("il Comitato di rappresentanza ha approvato il documento.", "Comitato di rappresentanza"),
    ("Il Tavolo di Governance del Piano di Zona ha approvato le linee di indirizzo.", "Tavolo di Governance"),
    ("La giunta del piano di zona ha già dato il proprio benestare.", "giunta del piano di zona"),
    ("La Segreteria del PLUS riceve le domande.", "Segreteria del PLUS"),
    ("Il gruppo tecnico del Piano di Zona, composto dalle assistenti sociali, si riunisce ogni mese.", "gruppo tecnico"),
    ("La Commissione di valutazione delle domande di accreditamento è nominata dal Comune capofila.", "Commissione di valutazione"),
    ("Il Comitato di monitoraggio del Piano di Zona si riunisce ogni sei mesi.", "Comitato di monitoraggio"),
])
def test_a_collegial_organ_named_by_its_qualifier_or_its_owner(text, name):
    assert (name, "other") in bodies(text), bodies(text)


@pytest.mark.parametrize("text", [
    "Il coordinamento del Piano di Zona è affidato al comune capofila.",
    "Coordinamento del Piano di Zona",
    "Il gruppo dei sindaci di maggioranza ha chiesto un incontro.",
    "Un gruppo di cittadini del Distretto ha presentato una petizione.",
    "La conferenza stampa di presentazione del Piano di Zona si terrà in Comune.",
    "Il modello di governance del Piano di Zona prevede tre livelli.",
    "Il monitoraggio del Piano è in capo al comune capofila.",
    "La valutazione dei progetti spetta alle assistenti sociali.",
    "La giunta regionale ha approvato le linee di indirizzo per i piani di zona.",
    "Il consiglio comunale ha approvato il Piano di Zona su proposta della giunta comunale.",
])
def test_prose_words_that_name_no_organ(text):
    assert not bodies(text), bodies(text)


@pytest.mark.parametrize("text, name", [
    ("Il Tavolo “Povertà e inclusione” si è riunito il 3 maggio.", "Tavolo Povertà e inclusione"),
    ("Il tavolo «Minori e famiglia» del Piano di Zona ha concluso i lavori.", "Tavolo Minori e famiglia"),
    ("Nel Tavolo tematico 'Disabilità' siedono le cooperative.", "Tavolo tematico Disabilità"),
])
def test_a_thematic_table_named_in_quotes(text, name):
    assert (name, "tavolo_tematico") in bodies(text), bodies(text)


@pytest.mark.parametrize("text, name", [
    ("L'Ufficio di Coordinamento del Piano di Zona ha sede presso il Comune capofila.", "Ufficio di Coordinamento del Piano di Zona"),
    ("L’Ufficio Amministrativo del PLUS gestisce i pagamenti.", "Ufficio Amministrativo del PLUS"),
])
def test_an_office_named_by_the_plan_it_serves(text, name):
    assert (name, "ufficio_di_piano") in bodies(text), bodies(text)


@pytest.mark.parametrize("text", [
    "L'Ufficio Tecnico comunale ha rilasciato il permesso di costruire.",
    "L'Ufficio Anagrafe del Comune è aperto il sabato.",
])
def test_a_comunes_office_is_no_body(text):
    assert not bodies(text), bodies(text)


@pytest.mark.parametrize("text, want", [
    ("Organismo politico del Piano di Zona è l'Assemblea dei Sindaci dei 14 Comuni.", ["assemblea_sindaci"]),
    ("Organismo tecnico del Piano è l'Ufficio di Piano, organismo politico è l'Assemblea dei Sindaci.",
     ["assemblea_sindaci", "ufficio_di_piano"]),
    ("ORGANISMO POLITICO – Assemblea dei Sindaci", ["assemblea_sindaci"]),
])
def test_the_label_of_a_tier_before_the_body_is_no_other_body(text, want):
    assert types(text) == want, bodies(text)


def test_a_collegial_body_before_a_copula_and_a_description_is_kept():
    assert types("Il Tavolo di coordinamento è l'organo tecnico del Piano e riunisce i responsabili.") == ["other"]


# ------------------------------------------------------------------ the Collegio di vigilanza named by its function


@pytest.mark.parametrize("text", [
    "La vigilanza sull'attuazione dell'Accordo è affidata ad un Collegio composto dal Presidente e da due sindaci.",
    "Le funzioni di vigilanza sull’esecuzione del presente Accordo di Programma sono svolte da un collegio presieduto dal Sindaco.",
    "Il collegio, con funzioni di vigilanza sull'attuazione dell'accordo di programma, è composto da tre sindaci.",
])
def test_the_collegio_given_the_vigilanza_of_the_accordo(text):
    assert ("Collegio di Vigilanza", "collegio_vigilanza") in bodies(text), bodies(text)


@pytest.mark.parametrize("text", [
    "La vigilanza sul rispetto del regolamento spetta al collegio dei revisori.",
    "La vigilanza sanitaria nelle scuole è affidata al medico del collegio.",
    "La vigilanza sull'applicazione delle tariffe è svolta da un collegio di esperti.",
])
def test_a_collegio_with_another_vigilanza_is_not_the_accordos(text):
    assert "collegio_vigilanza" not in types(text), bodies(text)


# ------------------------------------------------------------------ typography of the azienda's organs


@pytest.mark.parametrize("text", [
    "Si è insediato il nuovo cda dell'Azienda Sociale del Cremonese.",
    "Il nuovo CDA di Offertasociale si è insediato ieri.",
    "Il C.D.A. dell'Azienda Speciale Consortile ha nominato il direttore.",
])
def test_the_boards_acronym_in_any_case(text):
    assert types(text) == ["other"], bodies(text)


def test_a_statute_heading_with_no_separator():
    text = ("CONSORZIO SERVIZI SOCIALI - Statuto\nTitolo II Organi\nArt. 11 Assemblea\n"
            "L'Assemblea è l'organo di indirizzo e controllo politico-amministrativo.")
    assert types(text) == ["other"], bodies(text)


# ------------------------------------------------------------------ composition and functions of the subject


def body_props(text: str) -> dict[str, dict]:
    return {e.name: e.props for e in read_news(text).entities if e.label == Label.GOVERNANCE_BODY}


def test_composition_told_far_in_the_sentence_the_body_opens():
    text = ("La Conferenza dei Sindaci è organismo rappresentativo delle autonomie locali, con funzioni di indirizzo e "
            "controllo sull'attività socio-sanitaria e di partecipazione alla programmazione di detta attività, composto "
            "dai sindaci dei comuni compresi nel territorio dell'ASST.")
    props = body_props(text)["Conferenza dei Sindaci"]
    assert "composto dai sindaci" in props["composition"]
    assert props["functions"] and "funzioni di indirizzo" in props["functions"][0]


def test_composition_far_away_of_another_body_is_not_the_first_ones():
    text = ("L'Ufficio di Piano cura l'istruttoria degli atti e la segreteria tecnica delle sedute, mentre "
            "la Cabina di Regia, che si riunisce ogni due mesi presso la sede dell'azienda sanitaria territoriale, è composta "
            "dai rappresentanti di ATS, ASST e Ambiti.")
    props = body_props(text)
    assert not props["Ufficio di Piano"].get("composition"), props["Ufficio di Piano"]


# ------------------------------------------------------------------ the real texts


def test_dev6b_gold_bodies(tmp_path):
    n, rows = score_gold(DEV6B, tmp_path)
    assert n == 13
    assert rows["bodies"]["precision"] >= 0.9 and rows["bodies"]["recall"] >= 0.9, rows["bodies"]


def test_the_water_ato_and_the_metropolitan_conference_give_no_body(tmp_path):
    for prefix in ("b3_", "b5_", "b13_"):
        (tmp_path / prefix).mkdir()
        _, rows = score_gold(DEV6B, tmp_path / prefix, only=prefix)
        assert rows["bodies"]["predicted"] == 0, (prefix, rows["bodies"])
