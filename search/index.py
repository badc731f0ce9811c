"""The persisted hybrid search index: dense e5 vectors + Italian BM25, fused by reciprocal rank.

When a query names a norm ("L.R. 3/2008", "l.r. n. 3 del 2008"), the passages citing it form a
third ranking in the fusion, so exact evidence comes first.

Layout under ``settings.index_dir``::

    chunks.json       documents and chunks (texts, offsets, linked norms and entities)
    embeddings.npz    the embedding cache: chunk sha -> vector, with the model signature

Both files are written atomically (temporary file + ``os.replace``). Vectors are cached by chunk
sha, so re-ingesting a document embeds only the chunks whose text changed.

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

import importlib.util
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from ingest.model import Document
from kg.settings import Settings
from search.errors import IndexCorruptError, ModelUnavailableError, QueryError
from search.text import NORM_PREFIX, analyze, find_norms, fold, highlight_spans, snippet

FORMAT_VERSION = 1
RRF_K = 60
CACHE_EXTRA = 20000  # vectors of chunks no longer indexed that are kept for re-ingest
Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[str, ...] = ("hybrid", "dense", "bm25")
ProgressFn = Callable[[int, int], None]


class EntityRef(BaseModel):
    """An entity whose evidence span overlaps a chunk."""

    id: str
    label: str
    name: str


class SearchFilters(BaseModel):
    """Restrict a search. Every given filter must hold (AND); text filters ignore case and accents.

    ``ambito`` matches the document's Ambito, title or file name; ``kind`` a document kind
    (``piano_di_zona``...); ``period`` a period ("2021-2023") or a year it overlaps; ``macro_area``
    a policy macro-area letter of an objective the chunk mentions; ``doc`` a document id or file name.
    """

    ambito: str | None = None
    kind: str | None = None
    period: str | None = None
    macro_area: str | None = None
    doc: str | None = None


class SearchHit(BaseModel):
    """One passage found: where it is, why it matched, and what it mentions."""

    rank: int
    score: float
    mode: str
    chunk_id: str
    doc_id: str
    source: str
    title: str | None = None
    ambito: str | None = None
    kinds: list[str] = Field(default_factory=list)
    period: str | None = None
    page: int | None = None
    line: int | None = None
    section: list[str] = Field(default_factory=list)
    start: int
    end: int
    snippet: str
    highlights: list[tuple[int, int]] = Field(default_factory=list)  # raw-text offsets
    text: str
    norms: list[str] = Field(default_factory=list)
    entities: list[EntityRef] = Field(default_factory=list)
    dense_score: float | None = None
    bm25_score: float | None = None


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _years(text: str | None) -> tuple[int, int] | None:
    ys = [int(y) for y in re.findall(r"(?:19|20)\d{2}", text or "")]
    return (min(ys), max(ys)) if ys else None


def chunk_records(doc: Document) -> list[dict[str, Any]]:
    """Index records for a document's chunks, with linked norms, entities and macro-areas.

    Args:
        doc: an analysed document (``ingest.pipeline.parse``).
    """
    records = []
    for c in doc.chunks:
        norm_spans: dict[tuple[int, int], str] = {}
        for cit in doc.citations:
            if _overlaps(cit.prov.start, cit.prov.end, c.start, c.end):
                norm_spans[(max(cit.prov.start, c.start), min(cit.prov.end, c.end))] = cit.norm_id
        for s, e, nid in find_norms(c.text, doc.region):  # also catches what the extractor skipped
            key = (c.start + s, c.start + e)
            if not any(_overlaps(key[0], key[1], a, b) for a, b in norm_spans):
                norm_spans[key] = nid
        entities, areas = [], set()
        for ent in doc.entities:
            if _overlaps(ent.prov.start, ent.prov.end, c.start, c.end):
                entities.append({"id": ent.id, "label": ent.label, "name": ent.name})
                areas.update(str(a).upper() for a in ent.props.get("macro_areas") or [])
        records.append(
            {
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
                "norms": sorted(set(norm_spans.values())),
                "norm_spans": [[s, e, n] for (s, e), n in sorted(norm_spans.items())],
                "entities": entities,
                "macro_areas": sorted(areas),
            }
        )
    return records


def doc_record(doc: Document) -> dict[str, Any]:
    """Document-level fields used by filters and results."""
    return {
        "id": doc.id,
        "source": doc.source,
        "sha256": doc.sha256,
        "title": doc.title.value if doc.title else None,
        "kinds": doc.kind_values(),
        "period": doc.period.value if doc.period else None,
        "ambito": doc.ambito.value if doc.ambito else None,
    }


def _atomic_write(path: Path, write: Callable[[Any], None], mode: str = "wb") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8"} if "b" not in mode else {})) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SearchIndex:
    """Hybrid (dense + BM25) passage index over all ingested documents.

    Constructing it opens what is persisted under ``settings.index_dir`` (nothing yet is fine). The
    encoder loads lazily, on the first embedding or dense query.
    """

    def __init__(self, settings: Settings | None = None, encoder: Any | None = None, *, index_dir: Path | None = None) -> None:
        self.settings = settings or Settings.load()
        self.dir = index_dir or self.settings.index_dir
        self._encoder = encoder
        self.docs: dict[str, dict[str, Any]] = {}
        self.chunks_by_doc: dict[str, list[dict[str, Any]]] = {}
        self._cache: dict[str, np.ndarray] = {}
        self._cache_model: str | None = None
        self._flat: list[dict[str, Any]] | None = None
        self._matrix: np.ndarray | None = None
        self._bm25: Any = None
        self.last_update: dict[str, int] = {}
        self._pending: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.RLock()  # API threads share one index: lazy builds and torch state
        self._read()

    # -- persistence ------------------------------------------------------------------------------
    @classmethod
    def load(cls, settings: Settings | None = None, encoder: Any | None = None, *, index_dir: Path | None = None) -> SearchIndex:
        """Open the persisted index (empty when none was saved yet).

        Args:
            settings: configuration; defaults to ``Settings.load()``.
            encoder: an ``Encoder`` to use instead of loading ``settings.embed_model``.
            index_dir: another folder than ``settings.index_dir``.

        Raises:
            IndexCorruptError: the files exist but cannot be read.
        """
        return cls(settings, encoder, index_dir=index_dir)

    @staticmethod
    def exists(settings: Settings) -> bool:
        """Whether an index was saved under ``settings.index_dir``."""
        return (settings.index_dir / "chunks.json").is_file()

    def _read(self) -> None:
        meta_path, emb_path = self.dir / "chunks.json", self.dir / "embeddings.npz"
        if not meta_path.is_file():
            return
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("version") != FORMAT_VERSION:
                raise IndexCorruptError(f"{meta_path}: index format {meta.get('version')}, expected {FORMAT_VERSION}")
            self.docs = meta["docs"]
            self.chunks_by_doc = meta["chunks"]
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
        """Write the index atomically (embeddings first, then the chunk metadata).

        Raises:
            OSError: the index folder cannot be written.
        """
        current = {c["sha"] for c in self.chunks}
        keep = [s for s in self._cache if s in current]
        extra = [s for s in self._cache if s not in current][-CACHE_EXTRA:]
        shas = keep + extra
        dim = next(iter(self._cache.values())).shape[0] if self._cache else 0
        vecs = np.stack([self._cache[s] for s in shas]).astype(np.float32) if shas else np.zeros((0, dim), np.float32)
        model = self._cache_model or ""
        _atomic_write(
            self.dir / "embeddings.npz",
            lambda fh: np.savez(fh, shas=np.array(shas, dtype=str), vectors=vecs, model=np.array(model)),
        )
        meta = {"version": FORMAT_VERSION, "model": model, "docs": self.docs, "chunks": self.chunks_by_doc}
        _atomic_write(self.dir / "chunks.json", lambda fh: json.dump(meta, fh, ensure_ascii=False), mode="w")

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
            from search.encoder import load_encoder  # noqa: PLC0415

            self._encoder = load_encoder(self.settings)
        if self._cache_model not in (None, self._encoder.signature):
            self._cache.clear()  # vectors of another model are useless
            self._matrix = None
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
        self._bm25 = None

    def embed_chunks(self, records: Iterable[dict[str, Any]], progress: ProgressFn | None = None) -> tuple[int, int]:
        """Make sure every record's sha has a vector; embed only the missing ones.

        Args:
            records: chunk records (``chunk_records``) or chunks with ``sha`` and ``clean_text``.
            progress: called with (done, total) while embedding.

        Returns:
            (embedded, reused) counts.
        """
        if not self.dense_available:
            return 0, 0
        encoder = self.encoder
        todo: dict[str, str] = {}
        reused = 0
        for r in records:
            if r["sha"] in self._cache:
                reused += 1
            elif r["sha"] not in todo:
                todo[r["sha"]] = r["clean_text"]
        if todo:
            vecs = encoder.encode_passages(list(todo.values()), progress=progress)
            for sha, v in zip(todo, vecs, strict=True):
                self._cache[sha] = v
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
        embedded, reused = self.embed_chunks(records, progress)
        self.docs[doc.id] = doc_record(doc)
        self.chunks_by_doc[doc.id] = records
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
        embedded, reused = self.embed_chunks(records, progress)
        self._pending[doc.id] = records
        self.last_update = {"chunks": len(records), "embedded": embedded, "reused": reused}
        return {r["id"]: self._cache[r["sha"]].astype(float).tolist() for r in records if r["sha"] in self._cache}

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
            if r["sha"] not in self._cache and vectors and r["id"] in vectors:
                self._cache[r["sha"]] = np.asarray(vectors[r["id"]], dtype=np.float32)
        self.docs[doc.id] = doc_record(doc)
        self.chunks_by_doc[doc.id] = records
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
        self.embed_chunks(records)
        return {r["id"]: self._cache[r["sha"]].astype(float).tolist() for r in records if r["sha"] in self._cache}

    def stats(self) -> dict[str, Any]:
        """Counts and the model signature."""
        return {
            "documents": len(self.docs),
            "chunks": len(self.chunks),
            "cached_vectors": len(self._cache),
            "model": self._cache_model,
            "dense": self.dense_available,
            "path": str(self.dir),
        }

    # -- search -----------------------------------------------------------------------------------
    def _dense_matrix(self) -> np.ndarray:
        if self._matrix is None:
            self.embed_chunks(self.chunks)
            dim = self.encoder.dim
            rows = [self._cache[c["sha"]] for c in self.chunks]
            self._matrix = np.stack(rows).astype(np.float32) if rows else np.zeros((0, dim), np.float32)
        return self._matrix

    def _bm25_index(self):
        if self._bm25 is None:
            import bm25s  # noqa: PLC0415

            corpus = [analyze(c["clean_text"], c["norms"]) or [""] for c in self.chunks]
            bm = bm25s.BM25(k1=1.2, b=0.75)
            bm.index(corpus, show_progress=False)
            self._bm25 = bm
        return self._bm25

    def warm(self, modes: Iterable[str] = MODES) -> None:
        """Build the in-memory structures for ``modes`` now (model, vectors, BM25) instead of lazily."""
        modes = set(modes)
        if modes & {"dense", "hybrid"}:
            self._dense_matrix()
        if modes & {"bm25", "hybrid"}:
            self._bm25_index()

    def _mask(self, f: SearchFilters | None) -> np.ndarray:
        n = len(self.chunks)
        if f is None or not any(f.model_dump().values()):
            return np.ones(n, dtype=bool)
        doc_ok: dict[str, bool] = {}
        for did, d in self.docs.items():
            ok = True
            if f.doc:
                ok &= f.doc in (did, d["source"]) or fold(f.doc) == fold(d["source"])
            if f.ambito:
                hay = " ".join(fold(x or "").replace("_", " ") for x in (d.get("ambito"), d.get("title"), d["source"]))
                ok &= fold(f.ambito).replace("_", " ") in hay
            if f.kind:
                ok &= fold(f.kind).replace(" ", "_") in [fold(k) for k in d.get("kinds") or []]
            if f.period:
                want, have = _years(f.period), _years(d.get("period"))
                ok &= bool(want and have and want[0] <= have[1] and have[0] <= want[1])
            doc_ok[did] = ok
        area = f.macro_area.strip().upper() if f.macro_area else None
        return np.array(
            [doc_ok.get(c["doc_id"], False) and (area is None or area in c["macro_areas"]) for c in self.chunks],
            dtype=bool,
        )

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None, mode: str = "hybrid") -> list[SearchHit]:
        """The ``k`` best passages for ``query``.

        Args:
            query: an Italian (or any) question or keywords; norms in any written form match exactly.
            k: how many results.
            filters: restrictions on Ambito, kind, period, macro-area, document.
            mode: ``hybrid`` (dense + BM25 by reciprocal rank fusion), ``dense`` or ``bm25``.

        Raises:
            QueryError: empty query, unknown mode or k < 1.
            ModelUnavailableError: dense/hybrid mode and no embedding model can be loaded.
        """
        if not query or not query.strip():
            raise QueryError("empty query: type a question or some keywords")
        if mode not in MODES:
            raise QueryError(f"unknown search mode {mode!r}: use one of {', '.join(MODES)}")
        if k < 1:
            raise QueryError("k must be at least 1")
        with self._lock:
            return self._search(query, k, filters, mode)

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
        query_norms = [n for _, _, n in find_norms(query)]
        q_tokens = analyze(query, query_norms)
        dense = bm25 = None
        if mode in ("dense", "hybrid"):
            qv = self.encoder.encode_query(query)
            dense = self._dense_matrix()[idx] @ qv
        if mode in ("bm25", "hybrid"):
            bm = self._bm25_index()
            known = [t for t in q_tokens if t in bm.vocab_dict]
            bm25 = bm.get_scores(known)[idx] if known else np.zeros(idx.size, dtype=np.float32)
        if mode == "dense":
            fused = dense
        elif mode == "bm25":
            fused = bm25
        else:
            fused = _rrf(dense, bm25)
            if query_norms:  # exact evidence: passages citing the asked norm form a third ranking
                wanted = set(query_norms)
                cites = np.array([bool(wanted.intersection(self.chunks[i]["norms"])) for i in idx])
                if cites.any():
                    exact = np.where(cites, bm25 + 1.0, 0.0)
                    fused = fused + np.where(cites, 1.0 / (RRF_K + _ranks(exact)), 0.0)
        order = np.argsort(-fused, kind="stable")[:k]
        if mode == "bm25":
            order = order[bm25[order] > 0] if bm25 is not None and bm25.max() > 0 else order
        stems = {t for t in q_tokens if not t.startswith(NORM_PREFIX)}
        return [
            self._hit(
                int(idx[i]),
                rank + 1,
                float(fused[i]),
                mode,
                stems,
                set(query_norms),
                None if dense is None else float(dense[i]),
                None if bm25 is None else float(bm25[i]),
            )
            for rank, i in enumerate(order)
        ]

    def _hit(self, row, rank, score, mode, stems, norms, dense, bm25) -> SearchHit:
        c = self.chunks[row]
        d = self.docs.get(c["doc_id"], {})
        norm_spans = [(s - c["start"], e - c["start"]) for s, e, n in c["norm_spans"] if n in norms]
        spans = highlight_spans(c["text"], stems, norm_spans)
        return SearchHit(
            rank=rank,
            score=round(score, 6),
            mode=mode,
            chunk_id=c["id"],
            doc_id=c["doc_id"],
            source=d.get("source", c["doc_id"]),
            title=d.get("title"),
            ambito=d.get("ambito"),
            kinds=d.get("kinds") or [],
            period=d.get("period"),
            page=c["page"],
            line=c.get("line"),
            section=c["section"],
            start=c["start"],
            end=c["end"],
            snippet=snippet(c["text"], spans),
            highlights=[(c["start"] + s, c["start"] + e) for s, e in spans],
            text=c["text"],
            norms=c["norms"],
            entities=[EntityRef(**e) for e in c["entities"]],
            dense_score=None if dense is None else round(dense, 6),
            bm25_score=None if bm25 is None else round(bm25, 6),
        )


def _ranks(scores: np.ndarray) -> np.ndarray:
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(scores.size, dtype=np.float64)
    ranks[order] = np.arange(1, scores.size + 1)
    return ranks


def _rrf(dense: np.ndarray, bm25: np.ndarray, k: int = RRF_K) -> np.ndarray:
    """Reciprocal rank fusion; chunks without any lexical match get no BM25 contribution."""
    fused = 1.0 / (k + _ranks(dense))
    lexical = 1.0 / (k + _ranks(bm25))
    lexical[bm25 <= 0] = 0.0
    return fused + lexical
