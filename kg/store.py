"""GraphStore: one class over the official ``neo4j`` driver, for Neo4j 5 and the embedded ArcadeDB.

Writes go through ``write_document``: one transaction per document that removes what the document
said before, merges its nodes and edges in ``UNWIND $rows`` batches and drops shared nodes left
without links. A failure (or a killed client) rolls the whole document back.
"""

from __future__ import annotations

import heapq
import itertools
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from kg import queries as Q
from kg.graph import GraphPayload
from ontology.settings import Settings
from ontology.errors import KgError
from ontology.labels import SHARED_LABELS, Label
from kg.arcade import DATABASE, USER, EmbeddedArcade

BATCH = 250
_STAMP_LOCK = threading.Lock()
_LAST_STAMP = 0


def shared_keys(payload: GraphPayload) -> set[str]:
    """The shared nodes of a payload as "Label|id" (kept on its Document node as ``shared``)."""
    return {f"{n.label.value}|{n.id}" for n in payload.nodes if n.label in SHARED_LABELS}


def split_keys(keys: Iterable[str]) -> dict[Label, list[str]]:
    """"Label|id" keys by label (ids sorted)."""
    out: dict[Label, list[str]] = {}
    for k in sorted(keys):
        label, _, nid = k.partition("|")
        out.setdefault(Label(label), []).append(nid)
    return out


class StoreError(KgError):
    """The graph store refused an operation or could not be reached."""


class QueryTimeout(StoreError):
    """A read ran past its time limit and was stopped (server-side where the backend can, else by the caller)."""


def tagged(query: str) -> tuple[str, str]:
    """The query with a unique marker comment, and the marker (how a watchdog finds it on the server)."""
    tag = f"pdz-q:{secrets.token_hex(8)}"
    return f"/* {tag} */ {query}", tag


class _Deadlines:
    """One daemon thread that runs callbacks at their deadlines (instead of a timer thread per read)."""

    def __init__(self) -> None:
        self._heap: list[list[Any]] = []
        self._cv = threading.Condition()
        self._count = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, seconds: float, fn: Callable[[], None]) -> list[Any]:
        entry = [time.monotonic() + seconds, next(self._count), fn, True]
        with self._cv:
            heapq.heappush(self._heap, entry)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="pdz-deadlines", daemon=True)
                self._thread.start()
            self._cv.notify()
        return entry

    @staticmethod
    def cancel(entry: list[Any]) -> None:
        entry[3] = False

    def _run(self) -> None:
        while True:
            with self._cv:
                while self._heap and not self._heap[0][3]:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cv.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cv.wait(wait)
                    continue
                entry = heapq.heappop(self._heap)
            if entry[3]:  # fire outside the lock, in its own thread (it talks to the server)
                threading.Thread(target=entry[2], name="pdz-watchdog", daemon=True).start()


_DEADLINES = _Deadlines()


class Watchdog:
    """Ends a read on the server when its time is up, or at once on ``fire()`` (used to cancel).

    On Neo4j the transaction timeout does the job server-side and ``stop_on_server`` is None; on the
    embedded ArcadeDB it runs the server's ``terminate query`` on the read's running statement.
    """

    def __init__(self, stop_on_server: Callable[[], int] | None, seconds: float | None):
        self.stop_on_server = stop_on_server
        self.fired = threading.Event()
        self._entry = _DEADLINES.add(seconds, self.fire) if stop_on_server is not None and seconds else None

    def fire(self) -> None:
        if self.stop_on_server is not None and not self.fired.is_set():
            self.fired.set()
            self.stop_on_server()

    def stop(self) -> None:
        if self._entry is not None:
            _DEADLINES.cancel(self._entry)


def is_timeout(exc: Neo4jError) -> bool:
    """Whether the server stopped a statement for running past its limit (Neo4j and ArcadeDB codes)."""
    return "TransactionTimedOut" in (exc.code or "") or "TimeoutException" in (exc.message or "")


class GraphStore:
    """Cypher access to the graph. Use ``GraphStore.open(settings)``; close it (or use ``with``)."""

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str],
        database: str | None,
        backend: str,
        server_pid: int | None = None,
        query_timeout: float | None = None,
        terminate: Callable[..., int] | None = None,
    ):
        self.uri = uri
        self.auth = auth
        self.database = database
        self.backend = backend
        self.server_pid = server_pid
        # Wall-clock limit of every read: sent as the transaction timeout (Neo4j enforces it) and, on
        # the embedded ArcadeDB, enforced by a watchdog that terminates the tagged query on the server.
        self.query_timeout = query_timeout
        self.terminate = terminate
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=auth, max_connection_pool_size=16)
        except ValueError as exc:
            raise StoreError(f"invalid graph URI {uri!r}: {exc}") from exc
        self._schema_ready = False
        self._vector_index_ready = False

    @classmethod
    def open(cls, settings: Settings) -> GraphStore:
        """Connect to Neo4j when NEO4J_URI is set, else start (or reuse) the embedded ArcadeDB.

        Raises:
            StoreError: the server cannot be reached.
            EmbeddedServerError: the embedded server cannot start.
        """
        if settings.neo4j_uri:
            store = cls(
                settings.neo4j_uri,
                (settings.neo4j_user, settings.neo4j_password or ""),
                settings.neo4j_database,
                backend="neo4j",
                query_timeout=settings.query_timeout or None,
            )
        else:
            server = EmbeddedArcade(settings.graph_dir, idle_seconds=settings.server_idle,
                                    statement_timeout=settings.statement_timeout)
            info = server.ensure_running()
            store = cls(info.uri, (USER, info.password), DATABASE, backend="arcadedb-embedded", server_pid=info.pid,
                        query_timeout=settings.query_timeout or None,
                        terminate=lambda **match: server.terminate_queries(info=info, **match))
        store.ping()
        return store

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    # -- low level ---------------------------------------------------------------------------
    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[neo4j.Session]:
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with self.driver.session(database=self.database, default_access_mode=mode) as s:
                yield s
        except ServiceUnavailable as exc:
            raise StoreError(f"graph store unreachable at {self.uri}: {exc}") from exc

    def ping(self) -> None:
        """Raises StoreError when the store does not answer."""
        try:
            self.read("RETURN 1 AS ok")
        except Neo4jError as exc:
            raise StoreError(f"graph store at {self.uri} refused a query: {exc}") from exc

    def dedicated_driver(self) -> neo4j.Driver:
        """A driver of its own (one connection), for a query that may have to be cut off by closing it."""
        return neo4j.GraphDatabase.driver(self.uri, auth=self.auth, max_connection_pool_size=1)

    def read(self, query: str, params: dict[str, Any] | None = None, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Run a read query and return its records as dicts.

        Values come back as the driver decodes them (maps, lists, scalars; graph objects as driver
        objects): queries here return projections, which skips the driver's slow recursive
        ``Record.data()`` conversion.

        Args:
            query: Cypher text.
            params: its parameters.
            timeout: seconds; default (and at most, on the embedded server) ``query_timeout``.

        Raises:
            QueryTimeout: the query ran past its limit and the server stopped it.
        """
        limit = self.limit(timeout)
        # Untagged, so the server's plan cache still serves repeated story queries: at the deadline the
        # watchdog stops the running statements of this text that are at least this old.
        stop = None
        if self.terminate is not None and limit:
            stop = lambda: self.terminate(text=query, min_elapsed_ms=max(0.0, limit - 0.25) * 1000)  # noqa: E731
        dog = Watchdog(stop, limit)
        try:
            with self.session() as s:
                result = s.run(neo4j.Query(query, timeout=limit), params or {})
                return [dict(r.items()) for r in result]
        except Neo4jError as exc:
            if is_timeout(exc) or dog.fired.is_set():
                raise QueryTimeout(f"query stopped after its {limit:g} s limit; narrow it (filters, LIMIT)") from exc
            raise
        finally:
            dog.stop()

    def limit(self, timeout: float | None) -> float | None:
        """A read's time limit: ``timeout`` but never more than ``query_timeout``."""
        if timeout and self.query_timeout:
            return min(timeout, self.query_timeout)
        return timeout or self.query_timeout

    def execute(self, query: str, params: dict[str, Any] | None = None) -> None:
        """Run one write statement in its own transaction."""
        with self.session(write=True) as s:
            s.run(query, params or {}).consume()

    # -- schema ------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Uniqueness of ``id`` on every label, and a ``doc`` index on document-owned labels (idempotent)."""
        if self._schema_ready:
            return
        for label in Label:
            self.execute(Q.constraint(label))
            if label not in SHARED_LABELS and label is not Label.DOCUMENT:
                self.execute(Q.doc_index(label))
        for label, prop in Q.PROPERTY_INDEXES:
            self.execute(Q.property_index(label, prop))
        self._schema_ready = True

    # -- documents ---------------------------------------------------------------------------
    def document_sha(self, doc_id: str) -> str | None:
        """The sha256 the document was stored at, or None when it is not in the graph."""
        return (self.document_identity(doc_id) or {}).get("sha256")

    def document_identity(self, doc_id: str) -> dict[str, Any] | None:
        """The stored document's ``sha256`` and ``path`` (the file it was read from), or None."""
        rows = self.read(Q.DOCUMENT_SHA, {"doc": doc_id})
        return rows[0] if rows else None

    def write_document(self, payload: GraphPayload, *, fail_after_nodes: bool = False) -> dict[str, int]:
        """Replace a document's subgraph in one transaction.

        Args:
            payload: the document's nodes and edges.
            fail_after_nodes: test hook; raise after the nodes are written to prove the rollback.

        Returns:
            {"nodes": written node rows, "edges": written edge rows}.

        Raises:
            StoreError: the store refused a statement; nothing of the document was changed.
        """
        self.ensure_schema()
        if self.backend == "neo4j" and not self._vector_index_ready:
            dims = next((len(n.props["embedding"]) for n in payload.nodes if "embedding" in n.props), 0)
            if dims:  # lets a Neo4j deployment query db.index.vector.queryNodes('chunk_embedding', ...)
                self.execute(Q.chunk_vector_index(dims))
                self._vector_index_ready = True
        shared = shared_keys(payload)
        nodes = payload.nodes_by_label()
        for row in nodes.get(Label.DOCUMENT, []):
            if row["id"] == payload.doc_id:
                row["props"] = {**row["props"], "shared": sorted(shared), "revision": self._stamp()}
        try:
            with self.session(write=True) as s, s.begin_transaction() as tx:
                before = self._delete_document_tx(tx, payload.doc_id, keep_document_node=True)
                n_nodes = n_edges = 0
                for label, rows in nodes.items():
                    for i in range(0, len(rows), BATCH):
                        tx.run(Q.merge_nodes(label), {"rows": rows[i : i + BATCH]}).consume()
                    n_nodes += len(rows)
                if fail_after_nodes:
                    raise StoreError("injected failure after writing nodes")
                for (rel, src, dst), rows in payload.edges_by_kind().items():
                    for i in range(0, len(rows), BATCH):
                        tx.run(Q.merge_edges(rel, src, dst), {"rows": rows[i : i + BATCH]}).consume()
                    n_edges += len(rows)
                self._gc_tx(tx, None if before is None else before | shared)
                tx.commit()
        except Neo4jError as exc:
            raise StoreError(f"{payload.doc_id}: graph write failed and was rolled back ({exc.message or exc})") from exc
        return {"nodes": n_nodes, "edges": n_edges}

    def delete_all(self, batch: int = 2000) -> int:
        """Empty the graph in batches (each statement stays far below the server's statement limit).

        Returns:
            the number of nodes deleted.
        """
        total = 0
        while True:
            with self.session(write=True) as s:
                rows = list(s.run(Q.DELETE_ALL_BATCH, {"batch": batch}))
            n = int(rows[0]["n"]) if rows else 0
            total += n
            if n < batch:
                return total

    def delete_document(self, doc_id: str) -> None:
        """Remove a document and everything it asserted, in one transaction."""
        with self.session(write=True) as s, s.begin_transaction() as tx:
            before = self._delete_document_tx(tx, doc_id, keep_document_node=False)
            self._gc_tx(tx, before)
            tx.run(Q.BUMP_REVISION, {"revision": self._stamp()}).consume()
            tx.commit()

    @staticmethod
    def _stamp() -> int:
        """A write stamp: nanoseconds, strictly increasing within this process."""
        global _LAST_STAMP
        with _STAMP_LOCK:
            _LAST_STAMP = max(time.time_ns(), _LAST_STAMP + 1)
            return _LAST_STAMP

    def revision(self) -> tuple[int, int | None]:
        """(documents, newest write stamp): changes with every document written or removed (kg/catalog.py)."""
        rows = self.read(Q.REVISION)
        return (int(rows[0]["n"]), rows[0]["r"]) if rows else (0, None)

    @staticmethod
    def _delete_document_tx(tx: neo4j.Transaction, doc_id: str, *, keep_document_node: bool) -> set[str] | None:
        """Delete what the document asserted; returns the shared nodes it held ("Label|id"), or None
        when it is unknown (a store written before ``shared``: then every edge was scanned)."""
        rows = list(tx.run(Q.DOCUMENT_SHARED, {"doc": doc_id}))
        if not rows:  # a new document: nothing of it is in the graph (writes are atomic)
            return set()
        before = rows[0]["shared"]
        if before is None:
            tx.run(Q.DELETE_DOC_EDGES, {"doc": doc_id}).consume()
        else:
            tx.run(Q.DELETE_DOCUMENT_NODE_EDGES, {"doc": doc_id}).consume()
            for label, ids in split_keys(before).items():
                for i in range(0, len(ids), BATCH):
                    tx.run(Q.delete_shared_edges(label), {"doc": doc_id, "ids": ids[i : i + BATCH]}).consume()
        for label in Label:
            if label not in SHARED_LABELS and label is not Label.DOCUMENT:
                tx.run(Q.delete_owned(label), {"doc": doc_id}).consume()
        if not keep_document_node:
            tx.run(Q.DELETE_DOCUMENT, {"doc": doc_id}).consume()
        return None if before is None else set(before)

    @staticmethod
    def _gc_tx(tx: neo4j.Transaction, candidates: set[str] | None) -> None:
        """Drop shared nodes left without links: among ``candidates`` ("Label|id"), or all when None."""
        if candidates is None:
            for label in SHARED_LABELS:
                tx.run(Q.delete_orphans(label)).consume()
            return
        for label, ids in split_keys(candidates).items():
            for i in range(0, len(ids), BATCH):
                tx.run(Q.delete_orphans_among(label), {"ids": ids[i : i + BATCH]}).consume()

    # -- status ------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        def one(q: str) -> int:
            rows = self.read(q)
            return int(rows[0]["n"]) if rows else 0

        return {
            "documents": one(Q.COUNT_LABEL_DOCUMENTS),
            "chunks": one(Q.COUNT_LABEL_CHUNKS),
            "nodes": one(Q.COUNT_NODES),
            "edges": one(Q.COUNT_EDGES),
        }

    def server_version(self) -> str | None:
        try:
            rows = self.read(Q.COMPONENTS)
        except Neo4jError:
            return None
        if not rows:
            return None
        return f"{rows[0]['name']} {', '.join(rows[0]['versions'])}"
