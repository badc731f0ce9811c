"""Where the search index persists: one SQLite file, written per document, never whole.

Layout under ``settings.index_dir``::

    index.sqlite      tables meta, docs, chunks, vectors (WAL journal: index.sqlite-wal, -shm)

* ``docs``: one row per document (its index record as JSON).
* ``chunks``: one row per chunk (its record as JSON, and its ``embed_sha``); a document's rows are
  replaced by DELETE + INSERT in the transaction that writes its ``docs`` row.
* ``vectors``: embedding key (sha of the indexed text) -> float32 blob, with the model signature.
  Vectors are shared by chunks of equal text and outlive their chunks (up to ``CACHE_EXTRA``
  orphans are kept, so a re-ingest reuses them).
* ``meta``: the format version, the model of the vectors and a ``generation`` counter that every
  document write or removal increments (other processes reload the documents when it moves; they
  pick up new vectors by rowid).

Each write is one transaction: a crash or an error mid-write leaves the previous state, and
ingesting document N writes that document's rows only, whatever the size of the index. Several
processes may read and write (SQLite locking, ``busy_timeout``); the ingest writer lock and the
embedder lock (``search.embedder``) keep one writer of each kind.

An index of format 2 (``chunks.json`` + ``embeddings.npz``) is migrated into the SQLite file the
first time it is opened, then its two files are removed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from search.errors import IndexCorruptError

FILE_NAME = "index.sqlite"
FORMAT_VERSION = 3
LEGACY_FILES = ("chunks.json", "embeddings.npz")
CACHE_EXTRA = 20000  # vectors of chunks no longer indexed that are kept for re-ingest
BUSY_TIMEOUT_MS = 30000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL, embed_sha TEXT NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal));
CREATE INDEX IF NOT EXISTS chunks_embed_sha ON chunks (embed_sha);
CREATE TABLE IF NOT EXISTS vectors (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, embed_sha TEXT NOT NULL UNIQUE, model TEXT NOT NULL, vector BLOB NOT NULL);
"""


def progress_of(folder: Path) -> tuple[int, int] | None:
    """(vectors present, total) of the index in ``folder``, or None when there is none (a cheap query)."""
    if not (folder / FILE_NAME).is_file():
        return None
    store = IndexStore(folder)
    try:
        return store.progress()
    finally:
        store.close()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class IndexStore:
    """The SQLite file of one index folder (created on the first write).

    Args:
        folder: the index folder (``settings.index_dir``).
    """

    def __init__(self, folder: Path) -> None:
        self.dir = folder
        self.path = folder / FILE_NAME
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self.transactions = 0  # write transactions committed by this object (for tests and benches)

    # -- connection -------------------------------------------------------------------------------
    @classmethod
    def exists_in(cls, folder: Path) -> bool:
        """Whether ``folder`` holds an index (this format or the legacy one)."""
        return (folder / FILE_NAME).is_file() or (folder / LEGACY_FILES[0]).is_file()

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if not self.path.is_file():
            if not create:
                return None
            self.dir.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                                   isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a power cut loses at most the last commits, never consistency
            conn.executescript(SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
            if row is None:
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (str(FORMAT_VERSION),))
            elif row[0] != str(FORMAT_VERSION):
                conn.close()
                raise IndexCorruptError(f"{self.path}: index format {row[0]}, expected {FORMAT_VERSION}; "
                                        "delete the folder and run `pdz ingest` again")
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(
                f"{self.path}: search index unreadable ({exc}); delete the folder and run `pdz ingest` again") from exc
        self._conn = conn
        return conn

    def close(self) -> None:
        """Close the connection (reopened on the next use)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _write(self, fn) -> Any:  # noqa: ANN001 - fn(conn) inside one IMMEDIATE transaction
        with self._lock:
            conn = self._connect(create=True)
            assert conn is not None
            try:
                conn.execute("BEGIN IMMEDIATE")
                out = fn(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            self.transactions += 1
            return out

    def _read_conn(self) -> sqlite3.Connection | None:
        try:
            return self._connect(create=False)
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(f"{self.path}: search index unreadable ({exc})") from exc

    # -- reading ----------------------------------------------------------------------------------
    def load(self) -> tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]], dict[str, np.ndarray], str | None, int, int]:
        """Everything persisted: (docs, chunks by document, vectors by embed sha, model, generation, last vector seq).

        Raises:
            IndexCorruptError: the file exists but cannot be read.
        """
        with self._lock:
            conn = self._read_conn()
            if conn is None:
                return {}, {}, {}, None, 0, 0
            try:
                conn.execute("BEGIN")  # one snapshot for all the tables
                model = self._meta(conn, "model")
                generation = int(self._meta(conn, "generation") or 0)
                docs = {i: json.loads(r) for i, r in conn.execute("SELECT id, record FROM docs")}
                chunks: dict[str, list[dict[str, Any]]] = {}
                for doc_id, record in conn.execute("SELECT doc_id, record FROM chunks ORDER BY doc_id, ordinal"):
                    chunks.setdefault(doc_id, []).append(json.loads(record))
                vectors, seq = self._vectors(conn, model, 0)
                conn.execute("COMMIT")
            except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise IndexCorruptError(
                    f"{self.path}: search index unreadable ({exc}); delete the folder and run `pdz ingest` again") from exc
            return docs, chunks, vectors, model, generation, seq

    @staticmethod
    def _meta(conn: sqlite3.Connection, key: str) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else row[0]

    @staticmethod
    def _vectors(conn: sqlite3.Connection, model: str | None, after: int) -> tuple[dict[str, np.ndarray], int]:
        out: dict[str, np.ndarray] = {}
        seq = after
        if model is None:
            row = conn.execute("SELECT MAX(seq) FROM vectors").fetchone()
            return out, int(row[0] or after)
        for s, sha, blob in conn.execute("SELECT seq, embed_sha, vector FROM vectors WHERE seq > ? AND model = ? ORDER BY seq",
                                         (after, model)):
            out[sha] = np.frombuffer(blob, dtype=np.float32).copy()
            seq = max(seq, s)
        return out, seq

    def changes(self, generation: int, seq: int) -> tuple[int, str | None, dict[str, np.ndarray], int]:
        """What other writers did since (generation, seq): (generation now, model, vectors added since seq, seq now)."""
        with self._lock:
            conn = self._read_conn()
            if conn is None:
                return generation, None, {}, seq
            try:
                conn.execute("BEGIN")
                gen = int(self._meta(conn, "generation") or 0)
                model = self._meta(conn, "model")
                vectors, new_seq = self._vectors(conn, model, seq)
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise IndexCorruptError(f"{self.path}: search index unreadable ({exc})") from exc
            return gen, model, vectors, new_seq

    def progress(self) -> tuple[int, int]:
        """(distinct embedding keys of the indexed chunks that have a vector of the current model, all of them)."""
        with self._lock:
            conn = self._read_conn()
            if conn is None:
                return 0, 0
            model = self._meta(conn, "model")
            total = conn.execute("SELECT COUNT(DISTINCT embed_sha) FROM chunks").fetchone()[0]
            done = conn.execute(
                "SELECT COUNT(DISTINCT c.embed_sha) FROM chunks c JOIN vectors v ON v.embed_sha = c.embed_sha AND v.model = ?",
                (model or "",)).fetchone()[0]
            return int(done), int(total)

    # -- writing ----------------------------------------------------------------------------------
    def write(
        self,
        *,
        upserts: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]] = (),
        removes: Iterable[str] = (),
        vectors: dict[str, np.ndarray] | None = None,
        model: str | None = None,
    ) -> int:
        """One transaction: replace documents' rows, drop documents, add vectors; returns the generation.

        Args:
            upserts: (document record, its chunk records) pairs; each replaces that document's rows.
            removes: ids of documents to drop.
            vectors: embed sha -> vector, of ``model``.
            model: the model signature of ``vectors``; vectors of another model are dropped.

        Raises:
            OSError: the file cannot be written (disk full, read-only, locked past the timeout).
        """
        upserts, removes = list(upserts), list(removes)

        def run(conn: sqlite3.Connection) -> int:
            have = self._meta(conn, "model")
            sig = model if model is not None else have
            if sig is not None and have != sig:
                conn.execute("DELETE FROM vectors WHERE model != ?", (sig,))
            if vectors and sig is None:
                sig = ""  # vectors of an unnamed model (given by the caller without an encoder)
            if sig is not None and have != sig:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", (sig,))
            gen = int(self._meta(conn, "generation") or 0)
            touched = False
            for doc_id in removes:
                conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
                conn.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
                touched = True
            for doc, records in upserts:
                conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc["id"],))
                conn.execute("INSERT OR REPLACE INTO docs VALUES (?, ?)", (doc["id"], _dumps(doc)))
                conn.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?)",
                                 [(doc["id"], i, r["embed_sha"], _dumps(r)) for i, r in enumerate(records)])
                touched = True
            if vectors:
                conn.executemany("INSERT OR IGNORE INTO vectors (embed_sha, model, vector) VALUES (?, ?, ?)",
                                 [(k, sig, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()])
            if touched:
                gen += 1
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(gen),))
                self._prune(conn)
            return gen

        try:
            return self._write(run)
        except sqlite3.DatabaseError as exc:
            raise OSError(f"{self.path}: cannot write the search index ({exc})") from exc

    @staticmethod
    def _prune(conn: sqlite3.Connection) -> None:
        """Drop the oldest vectors no chunk uses beyond ``CACHE_EXTRA``."""
        orphans = conn.execute(
            "SELECT COUNT(*) FROM vectors WHERE embed_sha NOT IN (SELECT embed_sha FROM chunks)").fetchone()[0]
        if orphans > CACHE_EXTRA:
            conn.execute(
                "DELETE FROM vectors WHERE seq IN (SELECT seq FROM vectors WHERE embed_sha NOT IN "
                "(SELECT embed_sha FROM chunks) ORDER BY seq LIMIT ?)", (orphans - CACHE_EXTRA,))

    def migrate_legacy(self, docs: dict[str, Any], chunks: dict[str, list[dict[str, Any]]],
                       vectors: dict[str, np.ndarray], model: str | None) -> None:
        """Write a whole legacy index in one transaction, then remove its files."""
        self.write(upserts=[(docs[d] | {"id": d}, chunks.get(d, [])) for d in docs], vectors=vectors, model=model or None)
        for name in LEGACY_FILES:
            (self.dir / name).unlink(missing_ok=True)
