"""Document identity: files of the same name in different folders, unchanged re-ingests, scoped people."""

from __future__ import annotations

import time
from pathlib import Path

from kg.documents import list_documents
from kg.ingest import ingest_paths
from kg.store import GraphStore
from ontology.settings import Settings
from search.index import SearchIndex
from tests.conftest import clear
from tests.test_search import CountingEncoder


def _plan(folder: Path, ambito: str, sindaco: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    f = folder / "plan.txt"
    f.write_text(f"Piano di Zona 2025-2027 dell'Ambito territoriale di {ambito}\n\n"
                 f"Il Comune di {ambito}, rappresentato dal Sindaco {sindaco}, approva il Piano ai sensi della "
                 "L.R. 3/2008.\n", encoding="utf-8")
    return f


def test_same_name_in_two_folders_is_two_documents(arcade_settings: Settings, tmp_path: Path) -> None:
    a = _plan(tmp_path / "a", "Lodi", "Mario Rossi")
    b = _plan(tmp_path / "b", "Codogno", "Mario Rossi")
    with GraphStore.open(arcade_settings) as store:
        clear(store)
        first = ingest_paths([a], store, arcade_settings)
        second = ingest_paths([b], store, arcade_settings)
        assert first.documents == 1 and second.documents == 1
        docs = list_documents(store)
        assert len(docs) == 2 and {d.source for d in docs} == {"plan.txt"}
        assert {d.path for d in docs} == {str(a.resolve()), str(b.resolve())}
        assert len({d.id for d in docs}) == 2
        # each file keeps its own id: re-ingesting either changes nothing and replaces nothing
        again = ingest_paths([a, b], store, arcade_settings)
        assert again.skipped_unchanged == 2 and {f.doc_id for f in again.files} == {d.id for d in docs}
        # a changed file replaces only its own document
        b.write_text(b.read_text(encoding="utf-8") + "\nIl Tavolo Tecnico si riunisce ogni mese.\n", encoding="utf-8")
        changed = ingest_paths([b], store, arcade_settings)
        assert changed.documents == 1 and len(list_documents(store)) == 2
        # people of the same name in two Ambiti are two people
        people = store.read("MATCH (p:Person) WHERE p.name = 'Mario Rossi' RETURN p.id AS id")
        assert len({r["id"] for r in people}) == 2


def test_unchanged_reingest_writes_nothing(arcade_settings: Settings, tmp_path: Path) -> None:
    f = _plan(tmp_path / "c", "Lodi", "Anna Bianchi")
    with GraphStore.open(arcade_settings) as store:
        clear(store)
        ingest_paths([f], store, arcade_settings)
        before = store.read("MATCH (d:Document) RETURN d.id AS id, d.ingested_at AS at")
        counts = store.counts()
        report = ingest_paths([f], store, arcade_settings)
        assert report.skipped_unchanged == 1 and report.documents == 0
        assert store.read("MATCH (d:Document) RETURN d.id AS id, d.ingested_at AS at") == before
        assert store.counts() == counts


def test_indexing_an_unchanged_document_leaves_the_graph_alone(arcade_settings: Settings, tmp_path: Path) -> None:
    """Graph first (no index), then with the index: the index catches up, the graph is not rewritten."""
    f = _plan(tmp_path / "d", "Lodi", "Anna Bianchi")
    index = SearchIndex(arcade_settings, encoder=CountingEncoder(), index_dir=tmp_path / "idx")
    with GraphStore.open(arcade_settings) as store:
        clear(store)
        ingest_paths([f], store, arcade_settings)
        before = store.read("MATCH (d:Document) RETURN d.id AS id, d.ingested_at AS at")
        counts = store.counts()
        time.sleep(1.1)  # ingested_at has second resolution: a rewrite would show
        report = ingest_paths([f], store, arcade_settings, indexer=index)
        assert report.documents == 1 and index.indexed_sha(before[0]["id"]) is not None
        assert store.read("MATCH (d:Document) RETURN d.id AS id, d.ingested_at AS at") == before
        assert store.counts() == counts
