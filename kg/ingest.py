"""Ingest files into the graph (and, through an ``Indexer``, the search index).

One writer at a time per data dir (``writer.lock``); one graph transaction per document; a file
whose sha256 matches the stored document (in the graph and, when indexing, in the index) is skipped. A file that fails is reported on one line and
leaves nothing behind: the graph transaction rolls back and the index is only touched after the
graph commit.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Protocol

from pydantic import BaseModel, Field

from ingest.errors import IngestError
from ingest.loaders import sha256_file
from ingest.model import Document, StageError, Status
from ingest.pipeline import discover, document_id, parse
from kg.graph import document_graph
from ontology.settings import Settings
from kg.store import GraphStore, StoreError


class Indexer(Protocol):
    """What ingest needs from a search index (implemented by ``search.index.SearchIndex``)."""

    def prepare(self, doc: Document, progress: Callable[[int, int], None] | None = None) -> dict[str, list[float]]:
        """Embed the document's chunks (from cache where unchanged) without changing the index."""

    def commit(self, doc: Document, vectors: dict[str, list[float]]) -> None:
        """Replace the document's entries in the index and persist it."""

    def remove(self, doc_id: str) -> None:
        """Drop a document from the index and persist it."""

    def indexed_sha(self, doc_id: str) -> str | None:
        """The sha256 the document was indexed at, or None when it is not in the index."""


class FileResult(BaseModel):
    source: str
    doc_id: str
    status: Status
    chunks: int = 0
    nodes: int = 0
    edges: int = 0
    seconds: float = 0.0
    error: str | None = None


class IngestReport(BaseModel):
    documents: int = 0
    chunks: int = 0
    nodes: int = 0
    edges: int = 0
    seconds: float = 0.0
    skipped_unchanged: int = 0
    errors: list[StageError] = Field(default_factory=list)
    files: list[FileResult] = Field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """The stable JSON shape of ``pdz ingest --json``."""
        return {
            "documents": self.documents,
            "chunks": self.chunks,
            "nodes": self.nodes,
            "edges": self.edges,
            "seconds": round(self.seconds, 3),
            "skipped_unchanged": self.skipped_unchanged,
            "errors": [str(e) for e in self.errors],
            "files": [f.model_dump(exclude_none=True) for f in self.files],
        }


class Event(BaseModel):
    """A progress event: a file started or finished, or pages/chunks advanced within a file."""

    kind: str  # "file", "pages", "embed", "done"
    source: str
    done: int = 0
    total: int = 0
    index: int = 0
    files: int = 0


EventFn = Callable[[Event], None]


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """Hold the single-writer lock of the data dir (blocks while another ingest runs)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "writer.lock", "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def ingest_paths(
    paths: Iterable[Path],
    store: GraphStore,
    settings: Settings,
    *,
    indexer: Indexer | None = None,
    ocr: str = "auto",
    force: bool = False,
    on_event: EventFn | None = None,
) -> IngestReport:
    """Ingest files and folders; return what was written, skipped and refused.

    Args:
        paths: files, or folders searched recursively for PDF/TXT/MD/DOCX.
        store: the graph store.
        settings: for the writer lock.
        indexer: the search index to keep in step, if any.
        ocr: "auto", "always" or "never".
        force: re-ingest even when the sha256 is unchanged.
        on_event: progress callback.
    """
    started = time.perf_counter()
    report = IngestReport()
    files = list(discover(paths))
    emit = on_event or (lambda e: None)
    with writer_lock(settings):
        store.ensure_schema()
        for i, path in enumerate(files):
            emit(Event(kind="file", source=path.name, index=i, files=len(files)))
            result = ingest_file(path, store, indexer=indexer, ocr=ocr, force=force, on_event=emit)
            report.files.append(result)
            if result.status is Status.SKIPPED_UNCHANGED:
                report.skipped_unchanged += 1
            elif result.status is Status.FAILED:
                reason = (result.error or "failed").removeprefix(f"{result.source}: ")  # StageError names the file
                report.errors.append(StageError(source=result.source, stage="ingest", message=reason))
            else:
                report.documents += 1
                report.chunks += result.chunks
                report.nodes += result.nodes
                report.edges += result.edges
        emit(Event(kind="done", source="", index=len(files), files=len(files)))
    report.seconds = time.perf_counter() - started
    return report


def resolve_document_id(path: Path, store: GraphStore, identity: str) -> str:
    """The id of the document read from ``identity``: its file name, unless the store already holds
    another file of the same name that still exists elsewhere; then a location-suffixed id."""
    base = document_id(path)
    stored = store.document_identity(base)
    other = stored.get("path") if stored else None
    if other and other != identity and (other.startswith("upload:") or Path(other).is_file()):
        return document_id(path, identity)
    return base


def ingest_file(
    path: Path,
    store: GraphStore,
    *,
    indexer: Indexer | None = None,
    ocr: str = "auto",
    force: bool = False,
    on_event: EventFn | None = None,
    identity: str | None = None,
) -> FileResult:
    """Ingest one file (see ``ingest_paths``); never raises for a bad file, reports it instead.

    Args:
        identity: where the document comes from (default: the resolved path; uploads pass
            "upload:<name>"), so two files of the same name in different folders stay two documents.
    """
    t0 = time.perf_counter()
    emit = on_event or (lambda e: None)
    doc_id = document_id(path)
    try:
        if not path.is_file():
            raise IngestError(path.name, "no such file")
        identity = identity or str(path.resolve())
        doc_id = resolve_document_id(path, store, identity)
        sha = sha256_file(path)
        in_graph = store.document_sha(doc_id) == sha
        in_index = indexer is None or indexer.indexed_sha(doc_id) == sha
        if not force and in_index and in_graph:
            return FileResult(source=path.name, doc_id=doc_id, status=Status.SKIPPED_UNCHANGED,
                              seconds=time.perf_counter() - t0)
        doc = parse(path, ocr=ocr, sha256=sha, doc_id=doc_id, identity=identity,
                    progress=lambda d, t: emit(Event(kind="pages", source=path.name, done=d, total=t)))
        vectors: dict[str, list[float]] = {}
        if indexer is not None:
            vectors = indexer.prepare(doc, progress=lambda d, t: emit(Event(kind="embed", source=path.name, done=d, total=t)))
        written = {"nodes": 0, "edges": 0}
        if force or not in_graph:  # an unchanged document is not rewritten (its ingested_at stays)
            written = store.write_document(document_graph(doc, vectors))
        if indexer is not None:
            indexer.commit(doc, vectors)
    except IngestError as exc:
        return FileResult(source=path.name, doc_id=doc_id, status=Status.FAILED, error=str(exc),
                          seconds=time.perf_counter() - t0)
    except StoreError as exc:  # name the file once, as the other errors do
        return FileResult(source=path.name, doc_id=doc_id, status=Status.FAILED,
                          error=f"{path.name}: {str(exc).removeprefix(f'{doc_id}: ')}", seconds=time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a corpus; report it on one line
        return FileResult(source=path.name, doc_id=doc_id, status=Status.FAILED,
                          error=f"{path.name}: {exc.__class__.__name__}: {exc}", seconds=time.perf_counter() - t0)
    return FileResult(source=path.name, doc_id=doc_id, status=Status.OK, chunks=len(doc.chunks),
                      nodes=written["nodes"], edges=written["edges"], seconds=time.perf_counter() - t0)
