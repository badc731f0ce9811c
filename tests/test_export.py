"""Ontology files, RDF/CSV export validated with pyshacl, and `pdz ambito` profiles on an ingested corpus."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS

from kg.export import export_graph, read_graph, to_rdf, validate
from kg.ingest import ingest_paths
from kg.profiles import AmbitoNotFound, ambito_profile, find_ambito
from kg.store import GraphStore
from ontology.labels import Label, Rel
from ontology.vocab import ONTOLOGY_FILE, PDZ, SHAPES_FILE, VOCAB_FILE
from tests.conftest import CORPUS

pytestmark = pytest.mark.timeout(600)


def test_ontology_files_parse_and_cover_labels():
    ont = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")
    classes = {str(s) for s in ont.subjects(RDF.type, OWL.Class)}
    for label in Label:
        assert PDZ + label.value in classes, f"{label.value} is not a class of pdz.ttl"
    props = {str(s) for s in ont.subjects(RDF.type, OWL.ObjectProperty)}
    for rel in Rel:
        assert PDZ + rel.value in props, f"{rel.value} is not an object property of pdz.ttl"
    vocab = rdflib.Graph().parse(VOCAB_FILE, format="turtle")
    assert len(set(vocab.subjects(RDF.type, SKOS.ConceptScheme))) >= 8
    rdflib.Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="module")
def corpus_store(arcade_settings):
    with GraphStore.open(arcade_settings) as store:
        store.execute("MATCH (n) DETACH DELETE n")
        report = ingest_paths([CORPUS], store, arcade_settings, ocr="never", force=True)
        assert not report.errors, report.errors
        yield store
        store.execute("MATCH (n) DETACH DELETE n")


def test_export_round_trip_and_shacl(corpus_store):
    ttl = export_graph(corpus_store, "turtle", include_chunks=False)
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    assert len(g) > 1000
    pdz = rdflib.Namespace(PDZ)
    assert (None, RDF.type, pdz.Comune) in g
    conforms, text = validate(g)
    assert conforms, text[:2000]
    jl = export_graph(corpus_store, "jsonld", include_chunks=False)
    g2 = rdflib.Graph().parse(data=jl, format="json-ld")
    assert len(g2) == len(g)


def test_shacl_rejects_an_entity_without_evidence(corpus_store):
    nodes, edges = read_graph(corpus_store, include_chunks=False)
    bare = [e for e in edges if not (e["type"] == "MENTIONS" and e["dst"] == "comune:015195")]
    bare = [e for e in bare if e["dst"] != "comune:015195" and e["src"] != "comune:015195"]
    conforms, text = validate(to_rdf(nodes, bare))
    assert not conforms and "evidence" in text


def test_csv_export(corpus_store):
    data = export_graph(corpus_store, "csv", include_chunks=False)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert set(z.namelist()) == {"nodes.csv", "edges.csv"}
        nodes = z.read("nodes.csv").decode()
        assert "comune:015195" in nodes and nodes.startswith("id,label,name,props")


def test_ambito_resolves_by_id_name_alias(corpus_store):
    for name in ("ambito:san-giuliano-milanese", "San Giuliano Milanese", "ambito di san giuliano milanese",
                 "DISTRETTO SOCIALE SUD EST MILANO", "sud est milano"):
        assert find_ambito(corpus_store, name) == "ambito:san-giuliano-milanese"
    with pytest.raises(AmbitoNotFound):
        find_ambito(corpus_store, "Ambito che non esiste")


def test_ambito_profile_sud_est_milano(corpus_store):
    p = ambito_profile(corpus_store, "Sud Est Milano")
    assert {c.istat for c in p.comuni} == {"015050", "015071", "015082", "015101", "015140", "015192", "015195",
                                            "015202", "015244"}
    assert all(c.evidence and c.evidence.quote and c.evidence.line for c in p.comuni)
    assert [c.name for c in p.capofila] == ["Azienda Sociale Sud Est Milano"]
    assert (p.capofila[0].acronym or "").startswith("A.S.S.E.")
    assert p.ats and p.asst
    names = {s.name for s in p.signatories}
    assert {"Walter Bergamaschi", "Francesco Laurelli"} <= names
    agency = {(s.status, s.period) for s in p.services if (s.id or "").endswith(":agenzia_abitare")}
    assert {("feasibility_study", "2018-2020"), ("planned", "2021-2023")} <= agency
    assert all(s.evidence and s.evidence.quote for s in p.services)
    types = {b.type for b in p.bodies}
    assert {"assemblea_sindaci", "ufficio_di_piano", "tavolo_tecnico", "tavolo_terzo_settore"} <= types
    assert p.objectives and p.networks
    json.loads(p.model_dump_json())  # the CLI prints it as JSON


def test_cli_ambito_json(corpus_store, arcade_settings, monkeypatch):
    from typer.testing import CliRunner

    from ui.cli import app

    monkeypatch.setenv("PDZ_DATA_DIR", str(arcade_settings.data_dir))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    result = CliRunner().invoke(app, ["ambito", "San Giuliano Milanese", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["id"] == "ambito:san-giuliano-milanese" and len(data["comuni"]) == 9
