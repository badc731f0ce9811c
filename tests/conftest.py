"""Shared fixtures: real graph backends (embedded ArcadeDB always, Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.arcade import EmbeddedArcade
from ontology.settings import Settings
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

# Write attempts the read-only Cypher endpoint must refuse (shared by the guard and API tests).
WRITES_FOR_API = [
    "CREATE (n:Norm {id: 'x'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Norm) SET n.title = 'x'",
    "MATCH (n:Norm) REMOVE n.title",
    "MERGE (n:Norm {id: 'y'})",
    "DROP CONSTRAINT norm_id",
    "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r",
    "match (n) /* c */ delete n",
    "MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})",
    "MATCH (n) FOREACH (x IN [1] | SET n.a = 1)",
]

BACKENDS = [
    "arcadedb",
    pytest.param("neo4j", marks=pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI not set")),
]


@pytest.fixture(scope="session")
def arcade_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a private data dir whose embedded ArcadeDB runs for the whole session."""
    data = tmp_path_factory.mktemp("pdz-data")
    settings = Settings.load(env={"PDZ_DATA_DIR": str(data)})
    server = EmbeddedArcade(settings.graph_dir)
    server.ensure_running(keep=True)  # one server for the whole session, no idle stop
    yield settings
    server.stop()


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data = tmp_path_factory.mktemp("pdz-neo4j")
    env = {k: v for k, v in os.environ.items() if k.startswith("NEO4J_")}
    env["PDZ_DATA_DIR"] = str(data)
    return Settings.load(env=env)


def clear(store: GraphStore) -> None:
    store.delete_all()


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest) -> Settings:
    name = "arcade_settings" if request.param == "arcadedb" else "neo4j_settings"
    return request.getfixturevalue(name)


@pytest.fixture
def store(backend_settings: Settings) -> Iterator[GraphStore]:
    """An empty graph on each backend."""
    with GraphStore.open(backend_settings) as s:
        clear(s)
        yield s
        clear(s)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A data dir of its own (own embedded server) holding the ingested seed corpus, graph only.

    Tests using it only read; the store contract tests, which clear their graph, use another one.
    """
    from kg.ingest import ingest_paths

    data = tmp_path_factory.mktemp("pdz-corpus")
    settings = Settings.load(env={"PDZ_DATA_DIR": str(data)})
    server = EmbeddedArcade(settings.graph_dir)
    server.ensure_running(keep=True)  # one server for the whole session, no idle stop
    with GraphStore.open(settings) as store:
        report = ingest_paths([CORPUS], store, settings)
        assert not report.errors, report.errors
    yield settings
    server.stop()


@pytest.fixture(scope="session")
def corpus_store(corpus_settings: Settings) -> Iterator[GraphStore]:
    with GraphStore.open(corpus_settings) as store:
        yield store


def gold_questions() -> dict[str, dict]:
    """The development questions by id (skips the caller when ../shared is absent)."""
    import json

    path = SHARED / "eval" / "questions.json"
    if not path.exists():
        pytest.skip(f"{path} not found (../shared is beside the checkout in CI)")
    return {q["id"]: q for q in json.loads(path.read_text(encoding="utf-8"))["questions"]}
