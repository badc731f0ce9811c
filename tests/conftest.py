"""Shared fixtures: real graph backends (embedded ArcadeDB always, Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.arcade import EmbeddedArcade
from kg.settings import Settings
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

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
    server.ensure_running()
    yield settings
    server.stop()


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data = tmp_path_factory.mktemp("pdz-neo4j")
    env = {k: v for k, v in os.environ.items() if k.startswith("NEO4J_")}
    env["PDZ_DATA_DIR"] = str(data)
    return Settings.load(env=env)


def clear(store: GraphStore) -> None:
    store.execute("MATCH (n) DETACH DELETE n")


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
