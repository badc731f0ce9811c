"""The persisted hybrid search index: dense e5 vectors + Italian BM25, fused by a convex combination
of their normalised scores (``search.ranking.convex_fusion``).

When a query names a norm ("L.R. 3/2008", "l.r. n. 3 del 2008"), the passages citing it are lifted
(``search.ranking.lift``), so exact evidence comes first; so are the passages of an Ambito it names.

Persistence is ``search.store.IndexStore``: one SQLite file under ``settings.index_dir``
(``index.sqlite``) written one transaction per document (or per batch of vectors), never whole.
Vectors are cached by the sha of the indexed text (context line + repaired text), so re-ingesting a
document embeds only the chunks whose indexed text changed.

Embedding now or later: by default ``prepare``/``update`` embed a document's new chunks before it
is committed (``pdz ingest``), and a dense query embeds what is still missing. An index opened with
``deferred=True`` (``pdz demo``, the API and the UI) never embeds on its own: chunks are
searchable by BM25 as soon as they are committed, ``embed_missing`` (run by the background
embedder, ``search.embedder``) adds vectors batch by batch, and dense/hybrid search ranks the
passages that have a vector (the others take part through BM25 only). ``vector_progress`` says
how far it got.

Usage from the ingest orchestration::

    index = SearchIndex(settings)        # opens what is persisted, if anything
    index.update(doc, progress=cb)       # replaces that document's chunks
    index.save()

or in two steps around the graph write (``kg.ingest.Indexer``)::

    vectors = index.prepare(doc, progress=cb)   # chunk id -> vector, for :Chunk nodes
    ...write the graph...
    index.commit(doc, vectors)                  # searchable + saved
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ingest.model import Document
from ontology.model import Provenance
from ontology.views import EntityRef, SearchFilters, SearchHit
from ontology.settings import Settings
from search.errors import IndexCorruptError, ModelUnavailableError, QueryError
from search import ranking as _ranking
from search.ranking import (
    Postings,
    body_text,
    concepts_in,
    context_line,
    convex_fusion,
    context_parts,
    dense_relevance,
    concept_expansion,
    field_tokens,
    is_contents,
    lift,
    names_pattern,
    passage_relevance,
    near_duplicate,
    ranks_within,
    repeated_lines,
    service_keys,
    shingles,
    top_rows,
)
from search.text import NORM_PREFIX, analyze, find_norms, fold, highlight_spans, snippet
from search.encoder import load_encoder
from search.store import FORMAT_VERSION, IndexStore

LEGACY_VERSIONS = (1, 2)  # chunks.json formats migrated on opening (version 1 records get their context fields)
EXPANSION_WEIGHT = 0.5  # a label of a named service or body the query did not write counts half a query word
CONTENTS_LAST = True  # tables of contents (search.ranking.is_contents) rank after every other passage
CANDIDATES = 60  # ranked candidates scanned for near-duplicates when filling the top k
# a service or body the query names lifts its passages through BM25 (EXPANSION_WEIGHT: its other labels
# join the query) and the relevance floor (exact evidence), not as a ranking of its own: that ranking
# counted the same words twice and pushed every passage naming a common service above better ones
NAMED_MAX_SHARE = 0.05  # a service or body named in more passages than this share lifts none of them
REFRESH_SECONDS = 1.0  # how often a reader looks for what other processes wrote
Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[str, ...] = ("hybrid", "dense", "bm25")
ProgressFn = Callable[[int, int], None]


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _years(text: str | None) -> tuple[int, int] | None:
    ys = [int(y) for y in re.findall(r"(?:19|20)\d{2}", text or "")]
    return (min(ys), max(ys)) if ys else None


def index_text(record: dict[str, Any], repeated: Iterable[str] = ()) -> str:
    """What is embedded for a chunk: its context line, then its repaired text without the
    document's repeated lines (running headers, repeated table headers)."""
    body = body_text(record["clean_text"], set(repeated)) or record["clean_text"]
    return f"{record['context']}\n{body}" if record.get("context") else body


def _embed_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _complete(record: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """Fill the context fields a record of an older index lacks (context line, embedding key, concepts)."""
    if "context" not in record:
        record["context"] = context_line(doc.get("title"), doc.get("ambito"), record.get("section") or [])
    if "embed_sha" not in record:
        record["embed_sha"] = _embed_sha(index_text(record, doc.get("repeated") or ()))
    if "concepts" not in record:
        record["concepts"] = sorted(concepts_in(record["clean_text"]))
    return record


def chunk_records(doc: Document) -> list[dict[str, Any]]:
    """Index records for a document's chunks, with linked norms, entities, concepts and macro-areas.

    Args:
        doc: an analysed document (``ingest.pipeline.parse``).
    """
    meta = doc.metadata()
    repeated = sorted(repeated_lines(doc.text))
    records = []
    for c in doc.chunks:
        norm_spans: dict[tuple[int, int], str] = {}
        for cit in doc.citations:
            if _overlaps(cit.prov.start, cit.prov.end, c.start, c.end):
                norm_spans[(max(cit.prov.start, c.start), min(cit.prov.end, c.end))] = cit.norm_id
        entities, areas, concepts = [], set(), concepts_in(c.clean_text)
        for ent in doc.entities:
            if _overlaps(ent.prov.start, ent.prov.end, c.start, c.end):
                entities.append({"id": ent.id, "label": ent.label, "name": ent.name})
                areas.update(str(a).upper() for a in ent.props.get("macro_areas") or [])
                kind = ent.props.get("type")
                if kind and ent.label in ("Service", "GovernanceBody"):
                    concepts.add(("svc:" if ent.label == "Service" else "body:") + str(kind))
        record = {
            "id": c.id,
            "doc_id": doc.id,
            "ordinal": c.ordinal,
            "page": c.page,
            "line": doc.line_of(c.start),
            "section": list(c.section),
            "start": c.start,
            "end": c.end,
            "sha": c.sha,
            "text": c.text,
            "clean_text": c.clean_text,
            "context": context_line(meta.get("title"), meta.get("ambito"), c.section),
            "norms": sorted(set(norm_spans.values())),
            "norm_spans": [[s, e, n] for (s, e), n in sorted(norm_spans.items())],
            "entities": entities,
            "concepts": sorted(concepts),
            "macro_areas": sorted(areas),
        }
        record["embed_sha"] = _embed_sha(index_text(record, repeated))
        records.append(record)
    return records


def doc_record(doc: Document) -> dict[str, Any]:
    """Document-level fields used by filters and results: the document's own metadata, the names of
    its Ambito (the Ambito entity's name and aliases), its member comuni and its repeated lines."""
    meta = doc.metadata()
    rec = {k: meta[k] for k in ("id", "source", "sha256", "title", "kinds", "period", "ambito")}
    own = fold(meta.get("ambito") or "")
    names: list[str] = [meta["ambito"]] if meta.get("ambito") else []
    ambito_ids = set()
    for ent in doc.entities:
        if ent.label == "Ambito" and own and any(own in fold(n) for n in [ent.name, *ent.aliases]):
            ambito_ids.add(ent.id)
            names.extend([ent.name, *ent.aliases])
    comuni_ids = {r.src for r in doc.relations if r.type == "MEMBER_OF" and r.dst in ambito_ids}
    rec["ambito_names"] = sorted(set(names))
    rec["comuni"] = sorted({e.name for e in doc.entities if e.id in comuni_ids})
    rec["repeated"] = sorted(repeated_lines(doc.text))
    return rec


class SearchIndex:
    """Hybrid (dense + BM25) passage index over all ingested documents.

    Constructing it opens what is persisted under ``settings.index_dir`` (nothing yet is fine). The
    encoder loads lazily, on the first embedding or dense query.
    """

    def __init__(self, settings: Settings | None = None, encoder: Any | None = None, *, index_dir: Path | None = None,
                 deferred: bool = False) -> None:
        self.settings = settings or Settings.load()
        self.dir = index_dir or self.settings.index_dir
        self.deferred = deferred
        self._encoder = encoder
        self._store = IndexStore(self.dir)
        self._generation = 0  # the store's document generation this object reflects
        self._seq = 0  # the last vector row read
        self._stale = False
        self._checked = 0.0
        self._dirty: set[str] = set()  # documents changed in memory, not yet saved
        self._removed: set[str] = set()
        self._new_vectors: set[str] = set()
        self._present_rows: np.ndarray | None = None
        self._store_model: str | None = None  # the model of the vectors on disk, as last read
        self.docs: dict[str, dict[str, Any]] = {}
        self.chunks_by_doc: dict[str, list[dict[str, Any]]] = {}
        self._cache: dict[str, np.ndarray] = {}
        self._cache_model: str | None = None
        self._flat: list[dict[str, Any]] | None = None
        self._matrix: np.ndarray | None = None
        self._bm25: Any = None
        self._postings: Postings | None = None
        self._shingles: list[frozenset[int]] = []
        self._concepts: list[set[str]] = []
        self._contents = np.zeros(0, dtype=bool)
        # built with the BM25 side: rows citing each norm / naming each concept, each row's document code
        self._norm_rows: dict[str, np.ndarray] = {}
        self._concept_rows: dict[str, np.ndarray] = {}
        self._doc_codes: dict[str, int] = {}
        self._row_doc = np.zeros(0, dtype=np.int32)
        self._ambito_patterns: dict[str, re.Pattern[str] | None] = {}
        self.last_update: dict[str, int] = {}
        self._pending: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.RLock()  # API threads share one index: lazy builds and torch state
        self._read()

    # -- persistence ------------------------------------------------------------------------------
    @classmethod
    def load(cls, settings: Settings | None = None, encoder: Any | None = None, *, index_dir: Path | None = None,
             deferred: bool = False) -> SearchIndex:
        """Open the persisted index (empty when none was saved yet).

        Args:
            settings: configuration; defaults to ``Settings.load()``.
            encoder: an ``Encoder`` to use instead of loading ``settings.embed_model``.
            index_dir: another folder than ``settings.index_dir``.
            deferred: never embed on ingest or query; vectors come from ``embed_missing``.

        Raises:
            IndexCorruptError: the files exist but cannot be read.
        """
        return cls(settings, encoder, index_dir=index_dir, deferred=deferred)

    @staticmethod
    def exists(settings: Settings) -> bool:
        """Whether an index was saved under ``settings.index_dir``."""
        return IndexStore.exists_in(settings.index_dir)

    def _read(self) -> None:
        if self._store.path.is_file():
            docs, chunks, vectors, model, self._generation, self._seq = self._store.load()
            self.docs = docs
            self.chunks_by_doc = {d: [_complete(r, docs.get(d, {})) for r in rs] for d, rs in chunks.items()}
            self._cache, self._cache_model, self._store_model = vectors, model, model
            return
        if (self.dir / "chunks.json").is_file():
            self._read_legacy()
            try:
                self._store.migrate_legacy(self.docs, self.chunks_by_doc, self._cache, self._cache_model)
            except OSError:  # a read-only folder: keep serving the legacy files as read
                return
            self._generation, self._store_model, _, self._seq = self._store.changes(0, 0)

    def _reload(self) -> None:
        """Re-read what is persisted (another process changed the documents)."""
        self.docs, self.chunks_by_doc, self._cache = {}, {}, {}
        self._read()
        self._stale = False
        self._invalidate()

    def refresh(self, *, force: bool = False) -> bool:
        """Take in what other processes wrote (documents, vectors); returns whether anything changed.

        Cheap (one query of a few rows) and throttled to one look every ``REFRESH_SECONDS``.
        """
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return False
        self._checked = now
        if self._dirty or self._removed or not self._store.path.is_file():
            return False
        gen, model, vectors, seq = self._store.changes(self._generation, self._seq)
        if self._stale or gen != self._generation or model != self._store_model:
            self._reload()
            return True
        self._seq = seq
        fresh = {k: v for k, v in vectors.items() if k not in self._cache}
        if fresh:
            self._cache.update(fresh)
            self._matrix = None
            self._present_rows = None
        return bool(fresh)

    def _read_legacy(self) -> None:
        meta_path, emb_path = self.dir / "chunks.json", self.dir / "embeddings.npz"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("version") not in LEGACY_VERSIONS:
                raise IndexCorruptError(
                    f"{meta_path}: index format {meta.get('version')}, expected {LEGACY_VERSIONS[-1]} or {FORMAT_VERSION}; "
                    "delete the folder and run `pdz ingest` again"
                )
            self.docs = meta["docs"]
            self.chunks_by_doc = {d: [_complete(r, self.docs.get(d, {})) for r in rs] for d, rs in meta["chunks"].items()}
            if emb_path.is_file():
                with np.load(emb_path, allow_pickle=False) as z:
                    self._cache_model = str(z["model"])
                    shas, vecs = z["shas"], z["vectors"].astype(np.float32)
                self._cache = {str(s): vecs[i] for i, s in enumerate(shas)}
        except IndexCorruptError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(
                f"{self.dir}: search index unreadable ({exc}); delete the folder and run `pdz ingest` again"
            ) from exc

    def save(self) -> None:
        """Persist what changed since the last save, in one transaction: the documents updated or
        removed and the new vectors (an unchanged document is not written again).

        Raises:
            OSError: the index folder cannot be written (what was saved before stays readable).
        """
        dirty, removed = sorted(self._dirty), sorted(self._removed - self._dirty)
        vectors = {k: self._cache[k] for k in self._new_vectors if k in self._cache}
        if not (dirty or removed or vectors) and self._store.path.is_file():
            return
        before = self._generation
        gen = self._store.write(upserts=[(self.docs[d], self.chunks_by_doc.get(d, [])) for d in dirty if d in self.docs],
                                removes=removed, vectors=vectors, model=self._cache_model)
        if gen != before + (1 if dirty or removed else 0):
            self._stale = True  # another process wrote documents meanwhile: re-read on the next refresh
        self._generation = gen
        if self._cache_model is not None or vectors:
            self._store_model = self._cache_model if self._cache_model is not None else (self._store_model or "")
        self._dirty.clear()
        self._removed.clear()
        self._new_vectors.clear()

    def close(self) -> None:
        """Close the index file (it reopens on the next use)."""
        self._store.close()

    @property
    def store(self) -> IndexStore:
        """The SQLite file behind this index."""
        return self._store

    # -- content ----------------------------------------------------------------------------------
    @property
    def dense_available(self) -> bool:
        """Whether dense retrieval can run: an encoder was given or sentence-transformers is installed.

        Without it (``pip install pdz-kg`` without the ``models`` extra) the index is BM25-only:
        nothing is embedded and hybrid search is BM25 search.
        """
        return self._encoder is not None or importlib.util.find_spec("sentence_transformers") is not None

    @property
    def encoder(self):
        """The embedding model (loaded on first use)."""
        if self._encoder is None:
            self._encoder = load_encoder(self.settings)
        if self._cache_model not in (None, self._encoder.signature):
            self._cache.clear()  # vectors of another model are useless (the next save drops them on disk)
            self._matrix = None
            self._present_rows = None
        self._cache_model = self._encoder.signature
        return self._encoder

    @property
    def chunks(self) -> list[dict[str, Any]]:
        """All chunk records, documents in id order."""
        if self._flat is None:
            self._flat = [c for d in sorted(self.chunks_by_doc) for c in self.chunks_by_doc[d]]
        return self._flat

    def _invalidate(self) -> None:
        self._flat = None
        self._matrix = None
        self._present_rows = None
        self._bm25 = None

    def _present(self) -> np.ndarray:
        """For each chunk (``chunks`` order), whether its vector is there."""
        if self._present_rows is None:
            self._present_rows = np.array([c["embed_sha"] in self._cache for c in self.chunks], dtype=bool)
        return self._present_rows

    def vector_progress(self) -> tuple[int, int]:
        """(distinct indexed texts that have their vector, all distinct indexed texts)."""
        keys = {c["embed_sha"] for c in self.chunks}
        return sum(1 for k in keys if k in self._cache), len(keys)

    def missing_vectors(self) -> list[tuple[str, str]]:
        """(embed sha, text to embed) of the indexed chunks without a vector, documents in id order."""
        out: dict[str, str] = {}
        for c in self.chunks:
            key = c["embed_sha"]
            if key not in self._cache and key not in out:
                out[key] = index_text(c, self.docs.get(c["doc_id"], {}).get("repeated") or ())
        return list(out.items())

    def embed_missing(self, batch: int = 32, progress: ProgressFn | None = None, stop: threading.Event | None = None) -> int:
        """Embed the indexed chunks that have no vector yet, committing each batch; returns how many.

        Searches keep running meanwhile (the lock is held only to add each batch), and what each
        batch adds is ranked by dense/hybrid search at once.

        Args:
            batch: texts per batch (one transaction each).
            progress: called with (vectors present, total) after each batch.
            stop: set it to stop after the current batch.

        Raises:
            ModelUnavailableError: no embedding model can be loaded.
            OSError: the index file cannot be written.
        """
        if not self.dense_available:
            return 0
        with self._lock:
            self.refresh(force=True)
            todo = self.missing_vectors()
        if not todo:
            return 0
        encoder = self.encoder
        done = 0
        for i in range(0, len(todo), batch):
            if stop is not None and stop.is_set():
                break
            part = todo[i : i + batch]
            vecs = encoder.encode_passages([t for _, t in part])
            with self._lock:
                fresh = {k: np.asarray(v, dtype=np.float32) for (k, _), v in zip(part, vecs, strict=True)}
                self._store.write(vectors=fresh, model=self._cache_model)
                self._store_model = self._cache_model
                self._cache.update(fresh)
                self._matrix = None
                self._present_rows = None
            done += len(part)
            if progress:
                progress(*self.vector_progress())
        return done

    def embed_chunks(
        self, records: Iterable[dict[str, Any]], progress: ProgressFn | None = None, *, repeated: dict[str, Iterable[str]] | None = None
    ) -> tuple[int, int]:
        """Make sure every record's embedding key has a vector; embed only the missing ones.

        What is embedded is ``index_text``: the context line and the repaired text. Vectors are
        cached by the sha of that text (``embed_sha``).

        Args:
            records: chunk records (``chunk_records``).
            progress: called with (done, total) while embedding.
            repeated: document id -> its repeated lines, for documents not in the index yet.

        Returns:
            (embedded, reused) counts.
        """
        if not self.dense_available:
            return 0, 0
        encoder = self.encoder
        todo: dict[str, str] = {}
        reused = 0
        for r in records:
            key = r["embed_sha"]
            if key in self._cache:
                reused += 1
            elif key not in todo:
                rep = (repeated or {}).get(r["doc_id"])
                if rep is None:
                    rep = self.docs.get(r["doc_id"], {}).get("repeated") or ()
                todo[key] = index_text(r, rep)
        if todo:
            vecs = encoder.encode_passages(list(todo.values()), progress=progress)
            for key, v in zip(todo, vecs, strict=True):
                self._cache[key] = v
            self._new_vectors.update(todo)
            self._present_rows = None
        elif progress:
            progress(0, 0)
        return len(todo), reused

    def update(self, doc: Document, progress: ProgressFn | None = None) -> dict[str, int]:
        """Replace a document's chunks (embedding only chunks whose text is new).

        Args:
            doc: an analysed Document.
            progress: called with (done, total) while embedding new chunks.

        Returns:
            ``{"chunks": n, "embedded": new vectors, "reused": cached vectors}``.
        """
        records = chunk_records(doc)
        drec = doc_record(doc)
        embedded, reused = (0, 0) if self.deferred else self.embed_chunks(records, progress, repeated={doc.id: drec["repeated"]})
        self.docs[doc.id] = drec
        self.chunks_by_doc[doc.id] = records
        self._dirty.add(doc.id)
        self._invalidate()
        self.last_update = {"chunks": len(records), "embedded": embedded, "reused": reused}
        return dict(self.last_update)

    def indexed_sha(self, doc_id: str) -> str | None:
        """The sha256 of the file a document was indexed from, or None when it is not indexed."""
        return self.docs.get(doc_id, {}).get("sha256")

    def prepare(self, doc: Document, progress: ProgressFn | None = None) -> dict[str, list[float]]:
        """Embed a document's chunks (cached ones are reused) without changing what is searchable.

        The ingest orchestration calls this before writing the graph (the vectors go on :Chunk
        nodes), then ``commit`` once the graph write succeeded.

        Args:
            doc: an analysed Document.
            progress: called with (done, total) while embedding new chunks.

        Returns:
            chunk id -> vector.
        """
        records = chunk_records(doc)
        if self.deferred:  # searchable by BM25 at commit; the background embedder adds the vectors
            embedded, reused = 0, sum(1 for r in records if r["embed_sha"] in self._cache)
        else:
            embedded, reused = self.embed_chunks(records, progress, repeated={doc.id: doc_record(doc)["repeated"]})
        self._pending[doc.id] = records
        self.last_update = {"chunks": len(records), "embedded": embedded, "reused": reused}
        return {r["id"]: self._cache[r["embed_sha"]].astype(float).tolist() for r in records if r["embed_sha"] in self._cache}

    def commit(self, doc: Document, vectors: dict[str, list[float]] | None = None, *, save: bool = True) -> None:
        """Make a prepared document searchable (replacing its previous chunks) and persist.

        Args:
            doc: the Document given to ``prepare``.
            vectors: the vectors ``prepare`` returned (used when this index has not cached them).
            save: write the index to disk now.

        Raises:
            OSError: the index folder cannot be written.
        """
        records = self._pending.pop(doc.id, None) or chunk_records(doc)
        for r in records:
            if r["embed_sha"] not in self._cache and vectors and r["id"] in vectors:
                self._cache[r["embed_sha"]] = np.asarray(vectors[r["id"]], dtype=np.float32)
                self._new_vectors.add(r["embed_sha"])
        self.docs[doc.id] = doc_record(doc)
        self.chunks_by_doc[doc.id] = records
        self._dirty.add(doc.id)
        self._invalidate()
        if save:
            self.save()

    def remove(self, doc_id: str, *, save: bool = True) -> bool:
        """Drop a document's chunks; returns whether it was indexed.

        Args:
            doc_id: the document id (``doc:...``).
            save: persist the index afterwards.

        Raises:
            OSError: ``save`` and the index folder cannot be written.
        """
        found = self.docs.pop(doc_id, None) is not None
        found = self.chunks_by_doc.pop(doc_id, None) is not None or found
        if found:
            self._dirty.discard(doc_id)
            self._removed.add(doc_id)
            self._invalidate()
            if save:
                self.save()
        return found

    def vectors_for(self, doc_id: str) -> dict[str, list[float]]:
        """Chunk id -> embedding of a document's chunks (for :Chunk nodes in the graph).

        Args:
            doc_id: the document id.
        """
        records = self.chunks_by_doc.get(doc_id, [])
        if not self.deferred:
            self.embed_chunks(records)
        return {r["id"]: self._cache[r["embed_sha"]].astype(float).tolist() for r in records if r["embed_sha"] in self._cache}

    def stats(self) -> dict[str, Any]:
        """Counts, the embedding progress (``vectors`` of ``vectors_total`` distinct texts) and the model signature."""
        done, total = self.vector_progress()
        return {
            "documents": len(self.docs),
            "chunks": len(self.chunks),
            "vectors": done,
            "vectors_total": total,
            "cached_vectors": len(self._cache),
            "model": self._cache_model,
            "dense": self.dense_available,
            "path": str(self.dir),
        }

    # -- search -----------------------------------------------------------------------------------
    def _dense_matrix(self) -> np.ndarray:
        """One row per chunk; a chunk without its vector yet (``deferred``) has a zero row (see ``_present``)."""
        if self._matrix is None:
            if not self.deferred:
                self.embed_chunks(self.chunks)
            dim = self.encoder.dim
            zero = np.zeros(dim, np.float32)
            rows = [self._cache.get(c["embed_sha"], zero) for c in self.chunks]
            self._matrix = np.stack(rows).astype(np.float32) if rows else np.zeros((0, dim), np.float32)
        return self._matrix

    def _bm25_index(self):
        if self._bm25 is None:
            import bm25s  # noqa: PLC0415

            corpus, shingle_sets = [], []
            for c in self.chunks:
                d = self.docs.get(c["doc_id"], {})
                body = body_text(c["clean_text"], set(d.get("repeated") or ()))
                head = context_parts(d.get("title"), d.get("ambito"), [])
                corpus.append(field_tokens(body, c["norms"], c["section"], head) or [""])
                shingle_sets.append(shingles(body or c["clean_text"]))
            bm = bm25s.BM25(k1=1.2, b=0.75)
            bm.index(corpus, show_progress=False)
            self._postings = Postings(corpus)
            self._shingles = shingle_sets
            self._concepts = [set(c.get("concepts") or ()) for c in self.chunks]
            self._contents = np.array([is_contents(c["text"]) for c in self.chunks], dtype=bool)
            norm_rows: dict[str, list[int]] = {}
            concept_rows: dict[str, list[int]] = {}
            for i, c in enumerate(self.chunks):
                for n in set(c["norms"]):
                    norm_rows.setdefault(n, []).append(i)
                for concept in self._concepts[i]:
                    concept_rows.setdefault(concept, []).append(i)
            self._norm_rows = {n: np.array(r, dtype=np.int64) for n, r in norm_rows.items()}
            self._concept_rows = {n: np.array(r, dtype=np.int64) for n, r in concept_rows.items()}
            self._doc_codes = {d: j for j, d in enumerate(sorted(self.docs))}
            self._row_doc = np.array([self._doc_codes.get(c["doc_id"], -1) for c in self.chunks], dtype=np.int32)
            self._ambito_patterns = {}
            self._bm25 = bm
        return self._bm25

    def warm(self, modes: Iterable[str] = MODES) -> None:
        """Build the in-memory structures for ``modes`` now (model, vectors, BM25) instead of lazily."""
        modes = set(modes)
        if modes & {"dense", "hybrid"}:
            self._dense_matrix()
        self._bm25_index()  # the relevance floor and duplicates need the lexical side in every mode

    def _doc_ok(self, did: str, d: dict[str, Any], f: SearchFilters) -> bool:
        if f.doc and not (f.doc in (did, d["source"]) or fold(f.doc) == fold(d["source"])):
            return False
        if f.ambito:
            want = " ".join(fold(f.ambito).replace("_", " ").split())
            names = [d.get("ambito"), d.get("title"), d["source"], *(d.get("ambito_names") or [])]
            if not any(want in " ".join(fold(x or "").replace("_", " ").split()) for x in names):
                return False
        if f.kind and fold(f.kind).replace(" ", "_") not in [fold(k) for k in d.get("kinds") or []]:
            return False
        if f.period:
            want, have = _years(f.period), _years(d.get("period"))
            if not (want and have and want[0] <= have[1] and have[0] <= want[1]):
                return False
        return True

    def _mask(self, f: SearchFilters | None) -> np.ndarray:
        n = len(self.chunks)
        if f is None or not any(f.model_dump().values()):
            return np.ones(n, dtype=bool)
        doc_ok = {did: self._doc_ok(did, d, f) for did, d in self.docs.items()}
        area = f.macro_area.strip().upper() if f.macro_area else None
        comune = " ".join(fold(f.comune).split()) if f.comune else None
        norms = _norm_filter(f.norm) if f.norm else None
        services = service_keys(f.service) if f.service else None
        if f.service and not services:
            raise QueryError(f"unknown service type {f.service!r}: use a notation or a label of ontology/vocabularies.ttl (services)")
        member = {did: {fold(x) for x in d.get("comuni") or []} for did, d in self.docs.items()}
        out = np.zeros(n, dtype=bool)
        for i, c in enumerate(self.chunks):
            if not doc_ok.get(c["doc_id"], False):
                continue
            if area is not None and area not in c["macro_areas"]:
                continue
            if comune is not None and comune not in member.get(c["doc_id"], set()) and not any(
                e["label"] == "Comune" and fold(e["name"]) == comune for e in c["entities"]
            ):
                continue
            if norms is not None and not (norms & set(c["norms"])):
                continue
            if services is not None and not (services & set(c.get("concepts") or ())):
                continue
            out[i] = True
        return out

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None, mode: str = "hybrid") -> list[SearchHit]:
        """The ``k`` best passages for ``query`` that clear the relevance floor, near-duplicates collapsed.

        A query about nothing in the corpus gets ``[]`` (``search.ranking.RELEVANCE_FLOOR``).

        Args:
            query: an Italian (or any) question or keywords; norms in any written form match exactly.
            k: how many results at most.
            filters: restrictions on Ambito, comune, kind, period, macro-area, norm, service, document.
            mode: ``hybrid`` (dense + BM25, ``search.ranking.convex_fusion``), ``dense`` or ``bm25``.

        Raises:
            QueryError: empty query, unknown mode, k < 1 or an unknown service type filter.
            ModelUnavailableError: dense/hybrid mode and no embedding model can be loaded.
        """
        if not query or not query.strip():
            raise QueryError("empty query: type a question or some keywords")
        if mode not in MODES:
            raise QueryError(f"unknown search mode {mode!r}: use one of {', '.join(MODES)}")
        if k < 1:
            raise QueryError("k must be at least 1")
        with self._lock:
            self.refresh()
            return self._search(query, k, filters, mode)

    def _ambito_docs(self, query: str) -> set[str]:
        """Documents whose Ambito the query names (any of its names or their short form)."""
        fq = " ".join(fold(query).split())
        out = set()
        self._bm25_index()  # the patterns are cached with the lexical side (same invalidation)
        for did, d in self.docs.items():
            if did not in self._ambito_patterns:
                self._ambito_patterns[did] = names_pattern(d.get("ambito_names") or ([d["ambito"]] if d.get("ambito") else []))
            pat = self._ambito_patterns[did]
            if pat is not None and pat.search(fq):
                out.add(did)
        return out

    def _search(self, query: str, k: int, filters: SearchFilters | None, mode: str) -> list[SearchHit]:
        if not self.chunks:
            return []
        mask = self._mask(filters)
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return []
        if not self.dense_available:
            if mode == "dense":
                raise ModelUnavailableError(
                    "dense search needs sentence-transformers: pip install 'pdz-kg[models]' (BM25 works without it)")
            mode = "bm25"  # hybrid without vectors is BM25
        if mode in ("dense", "hybrid"):
            if not self.deferred:
                self._dense_matrix()  # embeds what is missing first
            if not self._present().any():  # deferred: no vector computed yet
                if mode == "dense":
                    raise ModelUnavailableError(
                        f"dense search: no passage has its vector yet (0/{self.vector_progress()[1]}, embedding in progress); "
                        "BM25 and hybrid search answer meanwhile")
                mode = "bm25"
        query_norms = [n for _, _, n in find_norms(query)]
        q_tokens = analyze(query, query_norms)
        bm = self._bm25_index()
        wanted_concepts = concepts_in(query)
        exact = np.zeros(idx.size, dtype=bool)
        if query_norms:
            wanted = set(query_norms)
            rows = [self._norm_rows[n] for n in wanted if n in self._norm_rows]
            if rows:
                exact |= np.isin(idx, np.concatenate(rows))
        named = np.zeros(idx.size, dtype=bool)
        for concept in wanted_concepts:  # a name is evidence only where it is rare (not "Ufficio di Piano" everywhere)
            naming = np.isin(idx, self._concept_rows.get(concept, np.zeros(0, dtype=np.int64)))
            if naming.sum() <= NAMED_MAX_SHARE * len(self.chunks):
                named |= naming
        coverage = self._postings.coverage(q_tokens)[idx]
        known = [t for t in q_tokens if t in bm.vocab_dict]
        bm25 = bm.get_scores(known)[idx] if known else np.zeros(idx.size, dtype=np.float32)
        expansion = [t for t in concept_expansion(query, q_tokens) if t in bm.vocab_dict]
        if expansion and EXPANSION_WEIGHT:
            bm25 = bm25 + EXPANSION_WEIGHT * bm.get_scores(expansion)[idx]
        dense, has = None, np.ones(idx.size, dtype=bool)
        if mode in ("dense", "hybrid"):
            qv = self.encoder.encode_query(query)
            dense = (self._dense_matrix() @ qv)[idx]  # index the scores, not the matrix (that copies every vector)
            has = self._present()[idx]
            if not has.all():  # passages without a vector yet rank last on the dense side
                dense = np.where(has, dense, -1.0).astype(np.float32)
        relevance = passage_relevance(coverage, None if dense is None else dense_relevance(dense), exact | named)
        if not has.all():  # ... and their relevance is the lexical one
            relevance = np.where(has, relevance, passage_relevance(coverage, None, exact | named))
        if mode == "dense":
            fused = dense.astype(np.float64)
        elif mode == "bm25":
            fused = bm25.astype(np.float64)
        else:
            fused = convex_fusion(dense, bm25, has, _ranking.DENSE_SHARE)
            if exact.any():  # passages citing the asked norm, in their BM25 order
                fused = fused + np.where(exact, lift(ranks_within(bm25, exact), _ranking.NORM_LIFT), 0.0)
            ambito_docs = self._ambito_docs(query)
            if ambito_docs:
                own = np.isin(self._row_doc[idx], [self._doc_codes[d] for d in ambito_docs if d in self._doc_codes])
                if own.any() and not own.all():
                    fused = fused + np.where(own, lift(ranks_within(fused, own), _ranking.AMBITO_LIFT), 0.0)
        keep = relevance >= _ranking.RELEVANCE_FLOOR
        if mode == "bm25":
            keep &= (bm25 > 0) | exact
        elif mode == "dense" and not has.all():
            keep &= has  # dense mode ranks only the passages that have a vector
        wanted = max(CANDIDATES, 3 * k)  # only these are scanned for near-duplicates: no need to sort the rest
        if CONTENTS_LAST:
            contents = self._contents[idx]
            ranked = top_rows(fused, np.flatnonzero(keep & ~contents), wanted)
            if ranked.size < wanted:
                ranked = np.concatenate([ranked, top_rows(fused, np.flatnonzero(keep & contents), wanted - ranked.size)])
        else:
            ranked = top_rows(fused, np.flatnonzero(keep), wanted)
        picked: list[int] = []
        folded: dict[int, list[int]] = {}
        for i in ranked.tolist():
            twin = next((j for j in picked if near_duplicate(self._shingles[idx[i]], self._shingles[idx[j]])), None)
            if twin is not None:
                folded.setdefault(twin, []).append(int(idx[i]))
                continue
            if len(picked) < k:
                picked.append(i)
        stems = {t for t in q_tokens if not t.startswith(NORM_PREFIX)}
        hits = []
        for rank, i in enumerate(picked):
            hit = self._hit(int(idx[i]), rank + 1, float(fused[i]), mode, stems, set(query_norms),
                            None if dense is None else float(dense[i]), float(bm25[i]), float(relevance[i]))
            hit.duplicates = [self._evidence(row) for row in folded.get(i, [])]
            hits.append(hit)
        return hits

    def _evidence(self, row: int) -> Provenance:
        c = self.chunks[row]
        d = self.docs.get(c["doc_id"], {})
        return Provenance(doc_id=c["doc_id"], source=d.get("source", c["doc_id"]), page=c["page"],
                          line=c.get("line") or 0, section=c["section"], start=c["start"], end=c["end"],
                          quote=c["text"][:300])

    def _hit(self, row, rank, score, mode, stems, norms, dense, bm25, relevance) -> SearchHit:
        c = self.chunks[row]
        d = self.docs.get(c["doc_id"], {})
        norm_spans = [(s - c["start"], e - c["start"]) for s, e, n in c["norm_spans"] if n in norms]
        spans = highlight_spans(c["text"], stems, norm_spans)
        evidence = self._evidence(row)
        return SearchHit(
            rank=rank,
            score=round(score, 6),
            mode=mode,
            chunk_id=c["id"],
            evidence=evidence,
            title=d.get("title"),
            ambito=d.get("ambito"),
            kinds=d.get("kinds") or [],
            period=d.get("period"),
            snippet=snippet(c["text"], spans),
            highlights=[(c["start"] + s, c["start"] + e) for s, e in spans],
            text=c["text"],
            norms=c["norms"],
            entities=[EntityRef(**e) for e in c["entities"]],
            dense_score=None if dense is None else round(dense, 6),
            bm25_score=None if mode == "dense" else round(bm25, 6),
            relevance=round(relevance, 4),
        )


def _norm_filter(value: str) -> set[str]:
    """Norm ids a filter value names: any written form ("L.R. 3/2008") or a canonical id."""
    ids = {n for _, _, n in find_norms(value)}
    if not ids and ":" in value:
        ids = {value.strip()}
    if not ids:
        raise QueryError(f"norm filter {value!r} names no norm: write it as in a text (\"L.R. 3/2008\") or as an id (lr.lombardia:2008:3)")
    return ids
