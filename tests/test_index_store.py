"""The index's SQLite persistence: per-document writes, crash safety, migration, background embedding."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from ingest.model import Document
from ingest.pipeline import parse
from ontology.settings import Settings
from ontology.views import SearchFilters
from search import store as store_mod
from search.embedder import BackgroundEmbedder
from search.errors import IndexCorruptError, ModelUnavailableError
from search.index import SearchIndex
from search.store import FILE_NAME, IndexStore
from tests.test_search import CORPUS, SMALL, CountingEncoder

# Texts written for these tests (not corpus lines), in varied typography.
TEXTS = [
    "PIANO DI ZONA 2025–2027 — Ambito di Valle Prova\n\nIl Servizio di Assistenza Domiciliare (SAD) è attivo in tutti i comuni.\n\n"
    "L'Agenzia per l'abitare sostiene le famiglie nella ricerca di un alloggio.\n",
    "Accordo di Programma · Ambito Collina\n\nAi sensi della L.R. 12 marzo 2008, n. 3 e della legge n. 328/2000 i comuni "
    "gestiscono in forma associata il segretariato sociale.\n\nIl Tavolo del Terzo Settore si riunisce due volte l'anno.\n",
    "Relazione annuale\n\nTUTELA MINORI: prese in carico 120 (nel 2023: 98).\n\nServizio Inserimenti Lavorativi — 14 tirocini attivati.\n",
]


def _settings(tmp_path: Path) -> Settings:
    return Settings.load(env={"PDZ_DATA_DIR": str(tmp_path / "data")}, config_file=tmp_path / "none.toml")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[Document]:
    folder = tmp_path_factory.mktemp("seeds")
    docs = []
    for i, text in enumerate(TEXTS):
        path = folder / f"seed_{i}.txt"
        path.write_text(text, encoding="utf-8")
        docs.append(parse(path))
    return docs


def _copy(doc: Document, n: int) -> Document:
    """Document ``n`` of a synthetic corpus: a seed under its own id (its chunks renamed with it)."""
    did = f"doc:synthetic_{n:04d}.txt"
    chunks = [c.model_copy(update={"id": f"{did}#{c.ordinal}", "doc_id": did}) for c in doc.chunks]
    return doc.model_copy(update={"id": did, "source": f"synthetic_{n:04d}.txt", "sha256": f"{n:064x}", "chunks": chunks})


def _wchar() -> int | None:
    """Bytes this process passed to write() so far (Linux /proc), or None elsewhere."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _sqlite_changes(index: SearchIndex) -> int:
    conn = index.store._conn
    assert conn is not None
    return conn.total_changes


def test_thousand_documents_are_written_one_at_a_time(tmp_path: Path, seeds: list[Document]) -> None:
    """Ingesting document N writes that document's rows only: rows and bytes per commit do not grow with N."""
    index = SearchIndex(_settings(tmp_path), encoder=CountingEncoder(), index_dir=tmp_path / "idx", deferred=True)
    rows, written = [], []
    for n in range(1000):
        doc = _copy(seeds[n % len(seeds)], n)
        index.prepare(doc)
        before_rows, before_bytes = (_sqlite_changes(index) if index.store._conn else 0), _wchar()
        index.commit(doc, {})
        rows.append(_sqlite_changes(index) - before_rows)
        if before_bytes is not None:
            written.append(_wchar() - before_bytes)
    assert not (tmp_path / "idx" / "chunks.json").exists()
    assert index.store.transactions == 1000  # one transaction per document
    # same seed -> same rows written, whether it is the 3rd or the 999th document
    assert rows[3] == rows[999] and rows[996:999] == rows[3:6]
    db_size = (tmp_path / "idx" / FILE_NAME).stat().st_size + (tmp_path / "idx" / (FILE_NAME + "-wal")).stat().st_size
    if written:
        late, early = sum(written[-30:]) / 30, sum(written[3:33]) / 30
        print(f"\nbytes written per document commit: docs 4-33 {early:.0f}, docs 971-1000 {late:.0f}; index files {db_size} bytes")
        assert late < 3 * early and late < db_size / 50
    # a changed document rewrites its own rows, not the index
    doc = _copy(seeds[1], 500)
    doc = doc.model_copy(update={"sha256": "f" * 64})
    before = _sqlite_changes(index)
    index.commit(doc, {})
    changed = _sqlite_changes(index) - before
    assert changed <= 2 * len(doc.chunks) + 6, changed
    again = SearchIndex(_settings(tmp_path), encoder=CountingEncoder(), index_dir=tmp_path / "idx", deferred=True)
    assert len(again.docs) == 1000 and again.indexed_sha(doc.id) == "f" * 64
    assert len(again.chunks) == len(index.chunks)


def test_failure_mid_commit_keeps_the_previous_state(tmp_path: Path, seeds: list[Document], monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(tmp_path)
    index = SearchIndex(settings, encoder=CountingEncoder(), index_dir=tmp_path / "idx")
    first = _copy(seeds[0], 1)
    index.commit(first, index.prepare(first))
    before = {c["id"] for c in SearchIndex(settings, encoder=CountingEncoder(), index_dir=tmp_path / "idx").chunks}
    changed = _copy(seeds[1], 1)  # same id, other content
    vectors = index.prepare(changed)
    calls = {"n": 0}
    real = store_mod._dumps

    def failing(value):  # the disk "fills up" after the old rows were deleted and the document row written
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(value)

    monkeypatch.setattr(store_mod, "_dumps", failing)
    with pytest.raises(OSError, match="No space left"):
        index.commit(changed, vectors)
    monkeypatch.setattr(store_mod, "_dumps", real)
    reopened = SearchIndex(settings, encoder=CountingEncoder(), index_dir=tmp_path / "idx")
    assert {c["id"] for c in reopened.chunks} == before
    assert reopened.indexed_sha(first.id) == first.sha256
    assert reopened.vector_progress()[0] == reopened.vector_progress()[1] > 0
    index.save()  # the failed write is retried by the next save
    assert SearchIndex(settings, encoder=CountingEncoder(), index_dir=tmp_path / "idx").indexed_sha(first.id) == changed.sha256


def test_locked_file_fails_cleanly_and_readers_see_the_last_commit(tmp_path: Path, seeds: list[Document], monkeypatch) -> None:
    settings = _settings(tmp_path)
    index = SearchIndex(settings, encoder=CountingEncoder(), index_dir=tmp_path / "idx")
    doc = _copy(seeds[2], 7)
    index.commit(doc, index.prepare(doc))
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(tmp_path / "idx" / FILE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the file
    try:
        index.close()
        index.store._conn = None
        blocked = IndexStore(tmp_path / "idx")
        with pytest.raises(OSError, match="cannot write the search index"):
            blocked.write(removes=[doc.id])
        assert SearchIndex(settings, encoder=CountingEncoder(), index_dir=tmp_path / "idx").indexed_sha(doc.id) == doc.sha256
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_legacy_index_is_migrated_once(tmp_path: Path, seeds: list[Document]) -> None:
    folder = tmp_path / "idx"
    folder.mkdir()
    doc = seeds[0]
    idx = SearchIndex(_settings(tmp_path), encoder=CountingEncoder(), index_dir=tmp_path / "scratch")
    idx.update(doc)
    records = idx.chunks_by_doc[doc.id]
    (folder / "chunks.json").write_text(json.dumps({"version": 2, "model": "test-hash-encoder", "docs": idx.docs,
                                                    "chunks": idx.chunks_by_doc}), encoding="utf-8")
    shas = [r["embed_sha"] for r in records]
    np.savez(folder / "embeddings.npz", shas=np.array(shas, dtype=str),
             vectors=np.stack([idx._cache[s] for s in shas]), model=np.array("test-hash-encoder"))
    migrated = SearchIndex(_settings(tmp_path), encoder=CountingEncoder(), index_dir=folder)
    assert [c["id"] for c in migrated.chunks] == [r["id"] for r in records]
    assert migrated.vector_progress() == (len(set(shas)), len(set(shas)))
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(FILE_NAME)) == []
    again = SearchIndex(_settings(tmp_path), encoder=CountingEncoder(), index_dir=folder)
    assert again.docs == migrated.docs


def test_unreadable_index_file_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    folder.mkdir()
    (folder / FILE_NAME).write_bytes(b"not a database at all, just bytes" * 100)
    with pytest.raises(IndexCorruptError, match=r"index\.sqlite.*unreadable"):
        SearchIndex(_settings(tmp_path), encoder=CountingEncoder(), index_dir=folder)


def test_bm25_answers_before_vectors_and_hybrid_switches_on(tmp_path: Path) -> None:
    """Deferred ingest: searchable by BM25 at once; the background embedder fills the vectors in
    batches, another process's reader picks them up, and hybrid search then ranks densely."""
    settings = _settings(tmp_path)
    enc = CountingEncoder()
    writer = SearchIndex(settings, encoder=enc, deferred=True)
    for name in SMALL:
        doc = parse(CORPUS / name)
        writer.commit(doc, writer.prepare(doc))
    assert enc.embedded == []  # nothing embedded on ingest
    reader = SearchIndex(settings, encoder=CountingEncoder(), deferred=True)  # as the UI process opens it
    done, total = reader.vector_progress()
    assert done == 0 and total > 20
    hits = reader.search("tavolo povertà", k=3)
    assert hits and all(h.mode == "bm25" and h.dense_score is None for h in hits)
    with pytest.raises(ModelUnavailableError, match="no passage has its vector yet"):
        reader.search("tavolo povertà", k=3, mode="dense")
    assert store_mod.IndexStore(settings.index_dir).progress() == (0, total)

    seen: list[tuple[int, int]] = []
    embedder = BackgroundEmbedder(settings, SearchIndex(settings, encoder=CountingEncoder(), deferred=True),
                                  batch=8, poll=0.05, on_progress=lambda d, t: seen.append((d, t))).start()
    try:
        assert embedder.wait_idle(120)
    finally:
        embedder.stop()
    assert embedder.error is None and embedder.embedded == total
    assert len(seen) >= total // 8 and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # progress only grows
    assert store_mod.IndexStore(settings.index_dir).progress() == (total, total)
    reader.refresh(force=True)
    assert reader.vector_progress() == (total, total)
    hybrid = reader.search("tavolo povertà", k=3)
    assert hybrid and all(h.mode == "hybrid" and h.dense_score is not None for h in hybrid)
    assert reader.search("tavolo povertà", k=3, mode="dense")


def test_partial_vectors_rank_present_ones_densely(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    index = SearchIndex(settings, encoder=CountingEncoder(), deferred=True)
    for name in SMALL[:2]:
        doc = parse(CORPUS / name)
        index.commit(doc, index.prepare(doc))
    total = index.vector_progress()[1]
    stop = threading.Event()
    index.embed_missing(batch=5, progress=lambda d, t: stop.set() if d >= 5 else None, stop=stop)
    done = index.vector_progress()[0]
    assert 0 < done < total
    hits = index.search("programmazione sociale", k=20, mode="dense")
    with_vec = {c["id"] for c in index.chunks if c["embed_sha"] in index._cache}
    assert hits and {h.chunk_id for h in hits} <= with_vec  # dense ranks only passages that have a vector
    assert index.search("programmazione sociale", k=5, mode="hybrid")
    assert index.search("programmazione", k=5, filters=SearchFilters(doc=SMALL[0]), mode="hybrid") is not None


def test_second_embedder_waits_for_the_lock(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    index = SearchIndex(settings, encoder=CountingEncoder(), deferred=True)
    doc = parse(CORPUS / SMALL[2])
    index.commit(doc, index.prepare(doc))
    first = BackgroundEmbedder(settings, SearchIndex(settings, encoder=CountingEncoder(), deferred=True), poll=0.05).start()
    assert first.wait_idle(60)
    second = BackgroundEmbedder(settings, SearchIndex(settings, encoder=CountingEncoder(), deferred=True), poll=0.05).start()
    try:
        assert not second.wait_idle(0.5) and not second.holds_lock
    finally:
        first.stop()
        second.stop()
    assert first.embedded > 0 and second.embedded == 0
    assert os.path.exists(settings.data_dir / "embedder.lock")


def test_deferred_ingest_keeps_graph_and_index_in_step(arcade_settings: Settings, tmp_path: Path) -> None:
    """The background path through the real ingest and graph: chunks go to the graph without
    vectors, the index answers by BM25, the embedder fills it, and an unchanged re-ingest is a skip."""
    from kg.ingest import ingest_paths
    from kg.store import GraphStore
    from tests.conftest import clear

    path = tmp_path / "plan.txt"
    path.write_text(TEXTS[0] + "\n" + TEXTS[1], encoding="utf-8")
    enc = CountingEncoder()
    index = SearchIndex(arcade_settings, encoder=enc, index_dir=tmp_path / "idx", deferred=True)
    with GraphStore.open(arcade_settings) as store:
        clear(store)
        report = ingest_paths([path], store, arcade_settings, indexer=index)
        assert report.documents == 1 and enc.embedded == []
        rows = store.read("MATCH (c:Chunk) RETURN c.id AS id, c.embedding IS NULL AS bare")
        assert rows and all(r["bare"] for r in rows)  # the graph keeps no vectors on this path
        assert {r["id"] for r in rows} == {c["id"] for c in index.chunks}
        assert index.search("agenzia abitare alloggio", k=3)[0].mode == "bm25"
        index.embed_missing(batch=2)
        assert index.vector_progress()[0] == index.vector_progress()[1] > 0
        again = ingest_paths([path], store, arcade_settings, indexer=index)
        assert again.skipped_unchanged == 1
        assert index.search("agenzia abitare alloggio", k=3)[0].mode == "hybrid"
        clear(store)
