"""Citation extraction: forms, OCR damage, identity, registry, resolve_norm, AMENDS, evaluation."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ingest.citations import amends_from_citations, extract_citations, resolve_norm
from ingest.eval_citations import GoldError, evaluate_citations
from ingest.model import Document, Edit
from ontology.model import Citation
from ingest.pipeline import parse
from ontology.errors import KgError, VocabularyError
from ontology.norms import load_registry

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = ROOT.parent / "shared" / "eval" / "citations.json"


def make_doc(text: str, *, region: str = "lombardia", raw: str | None = None, edits: list[Edit] | None = None) -> Document:
    raw_text = text if raw is None else raw
    return Document(
        id="doc:test",
        source="test.txt",
        sha256=hashlib.sha256(raw_text.encode()).hexdigest(),
        mimetype="text/plain",
        size=len(raw_text),
        raw_text=raw_text,
        text=text,
        edits=edits or [],
        region=region,
    )


def cites(text: str, **kw) -> list[Citation]:
    doc = make_doc(text, **kw)
    out = extract_citations(doc)
    for c in out:
        assert c.raw == doc.raw_text[c.prov.start : c.prov.end]
    return out


def one(text: str, **kw) -> Citation:
    out = cites(text, **kw)
    assert len(out) == 1, [c.raw for c in out]
    return out[0]


# -- forms --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "norm_id", "raw"),
    [
        ("ai sensi della L.R. 3/2008 si procede", "lr.lombardia:2008:3", "L.R. 3/2008"),
        ("come previsto dalla l.r. n. 3 del 12 marzo 2008.", "lr.lombardia:2008:3", "l.r. n. 3 del 12 marzo 2008"),
        ("La Legge Regionale n° 3 del 12 marzo 2008 stabilisce", "lr.lombardia:2008:3", "Legge Regionale n° 3 del 12 marzo 2008"),
        ("in attuazione della legge 8 novembre 2000 n° 328, pubblicata", "legge:2000:328", "legge 8 novembre 2000 n° 328"),
        ("- Legge 328 dell'8/11/2000 “Legge quadro”;", "legge:2000:328", "Legge 328 dell'8/11/2000"),
        ("con la lr 16/2016 di riforma", "lr.lombardia:2016:16", "lr 16/2016"),
        ("la legge regionale 30 dicembre 2009, n. 33 e", "lr.lombardia:2009:33", "legge regionale 30 dicembre 2009, n. 33"),
        ("il Decreto legislativo 15 settembre 2017, n. 147 introduce", "dlgs:2017:147", "Decreto legislativo 15 settembre 2017, n. 147"),
        ("previsto dal decreto-legge 28 gennaio 2019 n. 4 che istituisce", "dl:2019:4", "decreto-legge 28 gennaio 2019 n. 4"),
        ("secondo il D.P.R. 9 ottobre 1990, n. 309 in materia", "dpr:1990:309", "D.P.R. 9 ottobre 1990, n. 309"),
        ("l'ISEE del DPCM n. 159/2013 vigente", "dpcm:2013:159", "DPCM n. 159/2013"),
        ("i LEA del D.P.C.M. 12 gennaio 2017 sono", "dpcm:2017-01-12", "D.P.C.M. 12 gennaio 2017"),
        ("Il Decreto del Ministero del Lavoro e delle Politiche sociali n. 450 del 9.12.2021 riporta", "dm.mlps:2021:450", "Decreto del Ministero del Lavoro e delle Politiche sociali n. 450 del 9.12.2021"),
        ("- Decreto Ministro del Lavoro e delle Politiche Sociali del 22.10.2021 “Adozione”", "dm.mlps:2021-10-22", "Decreto Ministro del Lavoro e delle Politiche Sociali del 22.10.2021"),
        ("- Circolare regionale del 17/12/2018 - N° 9 “Programmazione”", "circolare.lombardia:2018:9", "Circolare regionale del 17/12/2018 - N° 9"),
        ("come richiesto dal decreto regionale del 17/09/2021.", "decreto.lombardia:2021-09-17", "decreto regionale del 17/09/2021"),
        ("approvato con DCR n. 42 del 20 giugno 2023) che", "dcr.lombardia:2023:42", "DCR n. 42 del 20 giugno 2023"),
        ("il trattamento secondo il Regolamento (UE) 2016/679 e", "reg.ue:2016:679", "Regolamento (UE) 2016/679"),
        ("i fondi del Reg. (UE) n. 1303/2013 e", "reg.ue:2013:1303", "Reg. (UE) n. 1303/2013"),
        ("la Legge Delega sulle disabilità n.227/2021 prevista", "legge:2021:227", "Legge Delega sulle disabilità n.227/2021"),
        ("ai sensi della L. n. 328/2000 e", "legge:2000:328", "L. n. 328/2000"),
        ("con DGR n. X/7631/2017 la Regione", "dgr.lombardia:2017:7631", "DGR n. X/7631/2017"),
        ("il Regolamento regionale 4 agosto 2017, n. 4 disciplina", "rr.lombardia:2017:4", "Regolamento regionale 4 agosto 2017, n. 4"),
        ("dopo la legge costituzionale 18 ottobre 2001, n. 3 le Regioni", "legge.costituzionale:2001:3", "legge costituzionale 18 ottobre 2001, n. 3"),
        ("il D.Lgs.vo 267/2000 prevede", "dlgs:2000:267", "D.Lgs.vo 267/2000"),
        ("la Legge 112 del 2016 sul Dopo di Noi", "legge:2016:112", "Legge 112 del 2016"),
    ],
)
def test_citation_forms(sentence: str, norm_id: str, raw: str) -> None:
    c = one(sentence)
    assert (c.norm_id, c.raw) == (norm_id, raw)


@pytest.mark.parametrize(
    ("sentence", "norm_id", "article", "comma", "letter", "raw"),
    [
        ("ai sensi del D.Lgs. 267/2000 art. 34 comma 2 le parti", "dlgs:2000:267", "34", "2", None, "D.Lgs. 267/2000 art. 34 comma 2"),
        ("individuato, ai sensi dell'art. 18, comma 10, della L.R. 3/2008, come", "lr.lombardia:2008:3", "18", "10", None, "art. 18, comma 10, della L.R. 3/2008"),
        ("secondo gli artt. 806 e seguenti del c.p.c. in", "codice.procedura.civile", "806 ss.", None, None, "artt. 806 e seguenti del c.p.c."),
        ("ai sensi dell'art.810, 2° c., del c.p.c. La sede", "codice.procedura.civile", "810", "2", None, "art.810, 2° c., del c.p.c."),
        ("a norma dell'art. 1372 C.C. le parti", "codice.civile", "1372", None, None, "art. 1372 C.C."),
        ("l'art. 1, commi 791 e seguenti, della L. 178/2020", "legge:2020:178", "1", "791 ss.", None, "art. 1, commi 791 e seguenti, della L. 178/2020"),
        ("gli artt. 22 e 23 della L. 241/90.", "legge:1990:241", "22,23", None, None, "artt. 22 e 23 della L. 241/90"),
        ("dall'art. 1 c.4 e c.6 della l.328/2000 nonché", "legge:2000:328", "1", "4,6", None, "art. 1 c.4 e c.6 della l.328/2000"),
        ("dagli artt. 3, lettere b), c) d) della Legge Regionale n° 3/2008 che", "lr.lombardia:2008:3", "3", None, "b,c,d", "artt. 3, lettere b), c) d) della Legge Regionale n° 3/2008"),
        ("l'art.34 (Accordi di Programma), del D.Lgs. 267/2000 prevede", "dlgs:2000:267", "34", None, None, "art.34 (Accordi di Programma), del D.Lgs. 267/2000"),
        ("previsto dall'art. 118, c. 4, della Costituzione.", "costituzione", "118", "4", None, "art. 118, c. 4, della Costituzione"),
        ("con l'adesione prevista dalla L.R. 3 all'art.18 c. 7, dei soggetti", "lr.lombardia:2008:3", "18", "7", None, "L.R. 3 all'art.18 c. 7"),
    ],
)
def test_article_parts(sentence: str, norm_id: str, article: str, comma: str | None, letter: str | None, raw: str) -> None:
    c = one(sentence)
    assert (c.norm_id, c.article, c.comma, c.letter, c.raw) == (norm_id, article, comma, letter, raw)


def test_one_head_several_numbers() -> None:
    out = cites("le ll.rr. 3/2008 e 23/2015; le DD.GG.RR. n. 4563/2021, n. 5557/2021 e XI/2609; la L. 328/2000 e 3 anni")
    assert [c.norm_id for c in out] == [
        "lr.lombardia:2008:3",
        "lr.lombardia:2015:23",
        "dgr.lombardia:2021:4563",
        "dgr.lombardia:2021:5557",
        "dgr.lombardia:XI:2609",  # no year written, none known: the legislature stays in the id,
        "legge:2000:328",
    ]
    assert [c.raw for c in out][1] == "23/2015"


def test_year_omitted_is_inferred_from_the_registry_and_flagged() -> None:
    c = one("i Livelli Essenziali ex art. 22 della L.328, a meno che")
    assert c.norm_id == "legge:2000:328" and c.article == "22" and "year_inferred" in c.flags


def test_year_omitted_is_inferred_from_the_same_document_first() -> None:
    out = cites("La L.R. 7/2099 disciplina... La riforma della l.r. 7 prevede")
    assert [c.norm_id for c in out] == ["lr.lombardia:2099:7", "lr.lombardia:2099:7"]
    assert "year_inferred" in out[1].flags


def test_unidentifiable_act_without_year_is_dropped() -> None:
    assert cites("come previsto dalla legge 9999 vigente") == []


@pytest.mark.parametrize(
    ("sentence", "norm_id", "raw"),
    [
        ("i requisiti previsti all'art. 7 della I.r. n. 15/2015", "lr.lombardia:2015:15", "art. 7 della I.r. n. 15/2015"),
        ("Sportello (ex Ir 15/2015 e altro)", "lr.lombardia:2015:15", "Ir 15/2015"),
        ("ai sensi dell'art. 55 del d. Igs. n. 117/2017 e", "dlgs:2017:117", "art. 55 del d. Igs. n. 117/2017"),
        ("artt. 55-57 del DIgs. N. 117/2017.", "dlgs:2017:117", "artt. 55-57 del DIgs. N. 117/2017"),
    ],
)
def test_ocr_damage_is_read_and_flagged(sentence: str, norm_id: str, raw: str) -> None:
    c = one(sentence)
    assert (c.norm_id, c.raw) == (norm_id, raw)
    assert "ocr_repaired" in c.flags


def test_repaired_text_maps_back_to_raw_span() -> None:
    raw = "la I.r. 15/2015 prevede"
    text = "la l.r. 15/2015 prevede"
    c = one(text, raw=raw, edits=[Edit(start=3, end=7, text="l.r.", rule="lr")])
    assert c.raw == "I.r. 15/2015" and c.norm_id == "lr.lombardia:2015:15" and "ocr_repaired" in c.flags


def test_citation_split_over_lines() -> None:
    c = one("istituito con Legge 27 dicembre 2006, n.\n\n296 (art. 1, co. 1264), con")
    assert c.norm_id == "legge:2006:296" and c.prov.line == 1 and "split_line" in c.flags
    assert c.raw == "Legge 27 dicembre 2006, n.\n\n296 (art. 1, co. 1264)" and (c.article, c.comma) == ("1", "1264")


def test_year_typos_are_flagged_not_dropped() -> None:
    a, b = cites("Con Deliberazione di Giunta Regionale 5557/32021 ha disposto; Si (DGR 2609/019) Non")
    assert (a.norm_id, b.norm_id) == ("dgr.lombardia:2021:5557", "dgr.lombardia:2019:2609")
    assert "suspected_typo" in a.flags and "suspected_typo" in b.flags


@pytest.mark.parametrize(
    ("sentence", "norm_id", "legislature"),
    [
        ("approvate con la DGR XI/4563, indicano", "dgr.lombardia:2021:4563", "XI"),
        ("Con la DGR XII 2167 del 15 aprile 2024, Regione", "dgr.lombardia:2024:2167", "XII"),
        ("come definite dalla DGR XI_4563. In Allegato", "dgr.lombardia:2021:4563", "XI"),
        ("previsto dalla DGR 19 aprile 2021 n. XI/4563.", "dgr.lombardia:2021:4563", "XI"),
        ("La DGR 4563/21 ribadisce", "dgr.lombardia:2021:4563", "XI"),
        ("ai sensi della d.g.r. n. 8/9716 del 30 giugno 2009", "dgr.lombardia:2009:9716", "VIII"),
        ("con D.G.R. n. 4563 del 19.04.2021 recante", "dgr.lombardia:2021:4563", "XI"),
        ("la DGR n. 4563 del 2021 prevede", "dgr.lombardia:2021:4563", "XI"),
        ("con DGR n. X/7631/2017 la Regione", "dgr.lombardia:2017:7631", "X"),
        ("costituiti a seguito della DGR 7631/2017 e", "dgr.lombardia:2017:7631", "X"),
    ],
)
def test_dgr_forms(sentence: str, norm_id: str, legislature: str) -> None:
    c = one(sentence)
    assert (c.norm_id, c.legislature, c.act_type, c.authority) == (norm_id, legislature, "deliberazione.giunta.regionale", "regione.lombardia")


def test_dgr_identity_is_exact_and_unknown_year_keeps_legislature() -> None:
    a, b = cites("la DGR XI/4563 e la DGR XI/4562 sono atti diversi")
    assert a.norm_id == "dgr.lombardia:2021:4563"
    assert b.norm_id == "dgr.lombardia:XI:4562" and "year_unknown" in b.flags
    assert b.urn == "urn:nir:regione.lombardia:deliberazione.giunta.regionale:;XI-4562" or b.urn.endswith(";XI-4562")


def test_state_act_numbering_corrects_mislabelled_type() -> None:
    c = one("ai sensi dell'art.34 comma 2, legge 267/2000 si farà ricorso")
    assert c.norm_id == "dlgs:2000:267" and "type_corrected" in c.flags


def test_region_from_text_and_from_document() -> None:
    c = one("la legge regionale Toscana n. 41/2005 sul sistema")
    assert (c.norm_id, c.authority, c.urn) == ("lr.toscana:2005:41", "regione.toscana", "urn:nir:regione.toscana:legge:2005;41")
    c = one("ai sensi della L.R. 3/2008", region="veneto")
    assert c.norm_id == "lr.veneto:2008:3" and c.authority == "regione.veneto"


def test_urns_and_normattiva_links() -> None:
    c = one("ai sensi dell'art. 19 della Legge n.328/2000")
    assert c.urn == "urn:nir:stato:legge:2000-11-08;328"
    assert c.normattiva == "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-11-08;328~art19"
    assert c.title and c.title.startswith("Legge quadro")
    c = one("secondo la L. 45/2019 vigente")
    assert c.urn == "urn:nir:stato:legge:2019;45" and c.date is None
    c = one("ai sensi della L.R. 3/2008")
    assert c.urn == "urn:nir:regione.lombardia:legge:2008-03-12;3" and c.normattiva is None
    c = one("approvate con la DGR XI/4563, indicano")
    assert c.urn == "urn:nir:regione.lombardia:deliberazione.giunta.regionale:2021-04-19;XI-4563"


# -- aliases and negatives ------------------------------------------------------------------------
def test_aliases_produce_citations_with_alias_set() -> None:
    c = one("come prevede il TUEL in materia di accordi")
    assert (c.norm_id, c.alias) == ("dlgs:2000:267", "TUEL")
    c = one("secondo quanto previsto dall'art. 55 del Codice del Terzo Settore di cui al D.lgs. 117/2017 e")
    assert (c.norm_id, c.article, c.alias) == ("dlgs:2017:117", "55", "Codice del Terzo Settore")
    c = one("Convenzione ex art. 55 CTS con la Parrocchia")
    assert (c.norm_id, c.article) == ("dlgs:2017:117", "55")
    c = one("il Testo unico delle leggi regionali in materia di sanità prevede")
    assert c.norm_id == "lr.lombardia:2009:33"


def test_title_after_a_citation_is_not_a_second_citation() -> None:
    out = cites("- L.R. 33 del 30/12/2009 “Testo unico delle leggi regionali in materia di sanità”;")
    assert [c.norm_id for c in out] == ["lr.lombardia:2009:33"]
    out = cites("Ai sensi dell'art. 34 D. Lgs. 267 del 18/8/2000\n\nTesto Unico sull'ordinamento degli Enti Locali\n")
    assert [(c.norm_id, c.article) for c in out] == [("dlgs:2000:267", "34")]
    out = cites("La L. 328/2000 ... Più avanti, in un altro paragrafo:\nil TUEL disciplina gli accordi")
    assert [c.norm_id for c in out] == ["legge:2000:328", "dlgs:2000:267"]


def test_one_act_one_date_within_a_document() -> None:
    a, b = cites("la L.R. 9 maggio 2099, n. 7 e poi la L.R. 7/2099")
    assert a.date == b.date == "2099-05-09" and a.urn == b.urn == "urn:nir:regione.lombardia:legge:2099-05-09;7"


@pytest.mark.parametrize(
    "sentence",
    [
        "fa star meglio” (Animazione Sociale n. 345/2021, “Per una",
        "abbandono precoce della scuola/formazione. Report Ismu 1/2019",
        "regolamento dell'organo approvato con Deliberazione n° 15 del 08/10/2009;",
        "pubblicata nella Gazzetta Ufficiale n. 265 del 13 novembre 2000",
        "“La sentenza n. 131/2020 della Corte Costituzionale riconosce",
        "determinazione dirigenziale n. 69/2021 di valutazione",
        "Costituzione del gruppo di lavoro e definizione dei ruoli",
        "ci sono CTS e comitati",
        "Agli investimenti si sono affiancate due riforme: **Legge quadro sulla disabilità** e altro",
        "- Stanziamenti derivanti dalla legge annuale di bilancio dedicati",
        "È istituito con singole deliberazioni di tutti i Comuni",
        "l'avviso 3 del PON inclusione e l'avviso 1 PaIS",
        "San Zenone al L.\t4.335 abitanti; San Zenone al L. 68 abitanti",
        "i classificati da R.L. in 3 livelli di complessità",
        "ART. 7 - LA GOVERNANCE DEL DISTRETTO; quanto previsto all'art. 9 ed all'art. 10 del presente atto",
    ],
)
def test_not_citations(sentence: str) -> None:
    assert cites(sentence) == []


def test_gold_excluded_candidates_are_not_extracted() -> None:
    if not GOLD.exists():
        pytest.skip("gold set not available")
    for ex in json.loads(GOLD.read_text(encoding="utf-8")).get("excluded_candidates", []):
        assert cites(ex["surface"]) == [], ex


# -- registry and resolve_norm ------------------------------------------------------------------
def test_registry_lookups() -> None:
    reg = load_registry()
    assert reg.get("lr.lombardia:2008:3").date == "2008-03-12"
    assert reg.by_alias_text("legge quadro").norm_id == "legge:2000:328"
    assert reg.by_alias_text("Testo unico sull’ordinamento degli Enti Locali").norm_id == "dlgs:2000:267"
    assert reg.by_alias_text("CTS").norm_id == "dlgs:2017:117"
    assert ("lr.lombardia:2015:23", "lr.lombardia:2009:33") in reg.amendments()
    assert ("lr.lombardia:2021:22", "lr.lombardia:2009:33") in reg.amendments()
    assert reg.get("lr.lombardia:2009:33").nir_urn == "urn:nir:regione.lombardia:legge:2009-12-30;33"
    assert reg.get("dgr.lombardia:2021:4563").nir_urn.endswith(":deliberazione.giunta.regionale:2021-04-19;XI-4563")
    assert reg.get("dm.mlps:2021:450").nir_urn == "urn:nir:ministero.lavoro.politiche.sociali:decreto:2021-12-09;450"
    assert reg.get("codice.civile").nir_urn == "urn:nir:stato:regio.decreto:1942-03-16;262"


def test_registry_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError):
        load_registry(tmp_path / "missing.json")
    bad = tmp_path / "norms.json"
    row = {"act_type": "legge", "authority": "stato", "aliases": [{"alias": "X Y"}]}
    bad.write_text(json.dumps({"norms": [{"norm_id": "legge:2000:1", **row}, {"norm_id": "legge:2000:2", **row}]}))
    with pytest.raises(VocabularyError, match="names two acts"):
        load_registry(bad)
    assert issubclass(VocabularyError, KgError)


@pytest.mark.parametrize(
    ("written", "norm_id"),
    [
        ("L.R. 3/2008", "lr.lombardia:2008:3"),
        ("legge regionale 3 del 2008", "lr.lombardia:2008:3"),
        ("lr 3/2008", "lr.lombardia:2008:3"),
        ("DGR XI/4563", "dgr.lombardia:2021:4563"),
        ("legge quadro", "legge:2000:328"),
        ("TUEL", "dlgs:2000:267"),
        ("Codice del Terzo Settore", "dlgs:2017:117"),
        ("D. Lgs. 267 del 18/8/2000", "dlgs:2000:267"),
        ("L.328", "legge:2000:328"),
        ("Costituzione", "costituzione"),
        ("dgr.lombardia:2021:4563", "dgr.lombardia:2021:4563"),
        ("Animazione Sociale n. 345/2021", None),
        ("", None),
    ],
)
def test_resolve_norm(written: str, norm_id: str | None) -> None:
    assert resolve_norm(written) == norm_id


# -- AMENDS ---------------------------------------------------------------------------------------
def test_amends_from_titles_and_passive_form() -> None:
    text = (
        "Legge regionale 22 del 14 Dicembre 2021 “Modifiche al Titolo I e al Titolo VII della legge regionale "
        "30 dicembre 2009, n. 33”;\n"
        "- L.R. 33 del 30/12/2009 così come modificata dalla L.R. 11 agosto 2015 n. 23;\n"
        "- L.R. 8 luglio 2016, n.16 e successive modifiche ed integrazioni;\n- L.R. 3/2008.\n"
    )
    doc = make_doc(text)
    edges = amends_from_citations(extract_citations(doc), doc)
    pairs = [(s, d) for s, d, _ in edges]
    assert ("lr.lombardia:2021:22", "lr.lombardia:2009:33") in pairs
    assert ("lr.lombardia:2015:23", "lr.lombardia:2009:33") in pairs
    assert not any(s == "lr.lombardia:2016:16" for s, _ in pairs)
    first = edges[0][2]
    assert first.line == 1 and doc.raw_text[first.start : first.end].startswith("Legge regionale 22")


# -- the real corpus ------------------------------------------------------------------------------
CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.is_file()) if CORPUS.is_dir() else []


@pytest.fixture(scope="module")
def corpus_docs() -> list[Document]:
    return [parse(p) for p in CORPUS_FILES]


def test_raw_round_trip_over_the_corpus(corpus_docs: list[Document]) -> None:
    assert corpus_docs
    for doc in corpus_docs:
        for c in doc.citations:
            assert c.raw == doc.raw_text[c.prov.start : c.prov.end]
            assert c.prov.line == doc.line_of(c.prov.start)
            assert c.norm_id and c.urn.startswith("urn:nir:")


def test_extraction_is_deterministic(corpus_docs: list[Document]) -> None:
    # timing is measured by bench/citation_bench.py, never asserted here
    for doc in corpus_docs[:3]:
        assert [c.model_dump() for c in extract_citations(doc)] == [c.model_dump() for c in doc.citations]


def test_evaluation_on_the_gold_set() -> None:
    if not GOLD.exists():
        pytest.skip("gold set not available")
    report = evaluate_citations(GOLD, CORPUS)
    assert report["overall"]["precision"] >= 0.97, report["false_positives"]
    assert report["overall"]["recall"] >= 0.97, report["false_negatives"]
    assert "legge" in report["by_act_type"] and "deliberazione.giunta.regionale" in report["by_act_type"]


def test_evaluation_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(GoldError):
        evaluate_citations(tmp_path / "none.json", CORPUS)
    (tmp_path / "g.json").write_text("{}")
    with pytest.raises(GoldError):
        evaluate_citations(tmp_path / "g.json", CORPUS)


def test_cli_citations_json(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ui.cli import app

    f = tmp_path / "atto.txt"
    f.write_text("Regione Lombardia. Visto l'art. 18, comma 10, della L.R. 3/2008 e la DGR XI/4563.\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["citations", str(f), "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [r["norm_id"] for r in rows] == ["lr.lombardia:2008:3", "dgr.lombardia:2021:4563"]
    assert rows[0]["prov"]["line"] == 1 and rows[0]["article"] == "18"


def test_cli_eval_citations_json() -> None:
    if not GOLD.exists():
        pytest.skip("gold set not available")
    from typer.testing import CliRunner

    from ui.cli import app

    res = CliRunner().invoke(app, ["eval", "citations", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["overall"]["recall"] >= 0.97
