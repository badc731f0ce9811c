"""The HTTP API for researchers (FastAPI), versioned under /v1.

Every route calls one library function. Errors are RFC 9457 problem+json; lists are paginated
with ``limit``/``offset``; uploads need the bearer token of ``PDZ_API_TOKEN`` (unset = uploads off;
``PDZ_READ_ONLY`` = no upload route at all); ``POST /v1/cypher`` runs read-only Cypher behind a
lexer guard, with hard time and row limits, at most ``PDZ_CYPHER_CONCURRENCY`` at once, cancelled
when the client disconnects.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
import os
import re
import tempfile
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Header, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_NAMES, SUPPORTED_SUFFIXES
from kg.answer import answer
from kg.comuni import comune_story
from kg.cypher import ForbiddenQuery, QueryCancelled, run_read_only
from kg.documents import NotFound, document_text, get_document, list_documents
from kg.export import export_graph
from kg.ingest import FileResult, ingest_file
from kg.profiles import ambito_profile
from kg.stories import (
    ambito_timeline,
    compare_governance,
    find_entities,
    list_ambiti,
    list_norms,
    neighbourhood,
    norm_trace,
    services,
)
from kg.store import GraphStore, QueryTimeout, StoreError
from ontology.errors import KgError
from ontology.settings import Settings, UploadRefused
from ontology.views import (
    AmbitoProfile,
    AmbitoSummary,
    AmbitoTimeline,
    Answer,
    ComuneStory,
    CypherResult,
    DocumentDetail,
    DocumentInfo,
    DocumentText,
    EntityMatch,
    GovernanceComparison,
    Health,
    Neighbourhood,
    NormCount,
    NormTrace,
    Page,
    SearchFilters,
    SearchResults,
    ServiceAnswer,
)
from search.embedder import BackgroundEmbedder
from search.index import SearchIndex
from search.store import progress_of

MAX_UPLOAD_BYTES = int(os.environ.get("PDZ_MAX_UPLOAD_MB", "50")) * 1024 * 1024
CYPHER_CONCURRENCY = max(1, int(os.environ.get("PDZ_CYPHER_CONCURRENCY", "4")))
CYPHER_SLOT_WAIT = 2.0  # seconds a Cypher request waits for a free slot before a 503
# Set when the server begins to shut down: running Cypher queries are stopped at once (503), so a
# single Ctrl-C ends the process promptly instead of waiting for them.
SHUTTING_DOWN = threading.Event()
HEALTH_TIMEOUT = 5.0
PROBLEM = "application/problem+json"


class CypherRequest(BaseModel):
    query: str = Field(..., max_length=20_000, description="A read-only Cypher query; values go in params.")
    params: dict[str, Any] = Field(default_factory=dict)
    max_rows: int = Field(1000, ge=1, le=10_000)
    timeout: float = Field(10.0, ge=0.1, le=60, description="Seconds; capped by the server's PDZ_QUERY_TIMEOUT.")


class Resources:
    """The store and the search index, opened on first use and shared by all requests."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._store: GraphStore | None = None
        self._index = None
        self._lock = threading.Lock()

    def store(self) -> GraphStore:
        with self._lock:
            if self._store is None:
                self._store = GraphStore.open(self.settings)
            return self._store

    def index(self) -> SearchIndex:
        with self._lock:
            if self._index is None:  # never embeds on a request: the background embedder fills the vectors
                self._index = SearchIndex.load(self.settings, deferred=True)
            return self._index

    def reset_index(self) -> None:
        with self._lock:
            self._index = None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


# Project errors and the HTTP answer each gets (RFC 9457 problem+json).
ERRORS: list[tuple[type[KgError], int, str]] = [
    (NotFound, 404, "Not Found"),
    (ForbiddenQuery, 403, "Forbidden query"),
    (QueryTimeout, 503, "Query time limit"),
    (QueryCancelled, 499, "Client closed request"),
    (IngestError, 422, "Unreadable document"),
    (StoreError, 503, "Graph store unavailable"),
    (KgError, 400, "Bad request"),
]


def get_store(request: Request) -> GraphStore:
    return request.app.state.resources.store()


def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Uploads need ``Authorization: Bearer <PDZ_API_TOKEN>`` (the rule of ``Settings.authorize_upload``)."""
    given = (authorization or "").removeprefix("Bearer ").strip() if authorization else None
    try:
        request.app.state.resources.settings.authorize_upload(given)
    except UploadRefused as exc:
        if exc.disabled:
            raise HTTPException(403, str(exc)) from exc
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"}) from exc


def search_filters(
    ambito: str | None = None,
    comune: str | None = None,
    kind: str | None = None,
    period: str | None = None,
    macro_area: str | None = None,
    norm: str | None = None,
    service: str | None = None,
    doc: str | None = None,
) -> SearchFilters:
    """The filters /v1/search and /v1/ask share: Ambito (any alias), comune, document kind, period,
    macro-area, norm cited, service type, document."""
    return SearchFilters(ambito=ambito or None, comune=comune or None, kind=kind or None, period=period or None,
                         macro_area=macro_area or None, norm=norm or None, service=service or None, doc=doc or None)


Store = Annotated[GraphStore, Depends(get_store)]
Filters = Annotated[SearchFilters, Depends(search_filters)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]


def problem(status: int, title: str, detail: str, request: Request | None = None, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if request is not None:
        body["instance"] = str(request.url.path)
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def paginate(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}


def safe_filename(name: str) -> str:
    """A file name without any directory part or unusual characters; keeps the extension."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    return base[:120]


def create_app(settings: Settings | None = None, *, embed_in_background: bool = False) -> FastAPI:
    """Build the API app.

    Args:
        settings: defaults to ``Settings.load()`` (environment and pdz.toml).
        embed_in_background: run the background embedder in this process (``python -m ui.api``
            does, unless PDZ_BACKGROUND_EMBED=0): chunks ingested without vectors (``pdz demo``,
            uploads) get them batch by batch; it waits while another process holds the data dir's
            embedder lock.
    """
    settings = settings or Settings.load()
    res = Resources(settings)
    @asynccontextmanager
    async def lifespan(_: FastAPI):  # noqa: ANN202 - the store and the worker threads close with the app
        embedder = BackgroundEmbedder(settings, res.index()).start() if embed_in_background else None
        yield
        if embedder is not None:
            embedder.stop(timeout=5)
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)
        res.close()

    pools: list[ThreadPoolExecutor] = []

    app = FastAPIOffline(  # /docs and /redoc with their assets served locally: they work offline
        lifespan=lifespan,
        title="pdz-kg API",
        version="1",
        description="Piani di Zona knowledge graph: documents, norms, Ambiti, services, search, read-only Cypher.",
    )
    app.state.resources = res
    origins = [o.strip() for o in os.environ.get("PDZ_CORS_ORIGINS", "").split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"], allow_headers=["*"])

    # -- errors ------------------------------------------------------------------------------
    def handler(status: int, title: str):  # noqa: ANN202 - a Starlette exception handler
        async def handle(request: Request, exc: Exception) -> JSONResponse:
            return problem(status, title, str(exc), request)

        return handle

    for exc_type, status, title in ERRORS:  # most specific first: Starlette picks by the class's MRO
        app.add_exception_handler(exc_type, handler(status, title))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        resp = problem(exc.status_code, HTTPStatus(exc.status_code).phrase, str(exc.detail), request)
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "")} for e in exc.errors()]
        return problem(422, "Invalid request", "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors),
                       request, errors=errors)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return problem(500, "Internal error", f"{type(exc).__name__}: {exc}", request)

    # -- routes ------------------------------------------------------------------------------
    # Health has threads of its own, so slow queries filling the request pool cannot starve it.
    health_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdz-health")
    cypher_slots = asyncio.Semaphore(CYPHER_CONCURRENCY)
    cypher_pool = ThreadPoolExecutor(max_workers=CYPHER_CONCURRENCY, thread_name_prefix="pdz-cypher")
    pools.extend((health_pool, cypher_pool))

    @app.get("/v1/health", tags=["meta"], response_model=Health)
    async def health() -> Any:
        """Liveness, the graph's size and the embedding progress (503 when the store does not answer within a few seconds)."""
        loop = asyncio.get_running_loop()

        def counts() -> dict[str, Any]:
            s = res.store()
            done, total = progress_of(settings.index_dir) or (None, None)
            return {"backend": s.backend, **s.counts(), "vectors": done, "vectors_total": total}

        try:
            body = await asyncio.wait_for(loop.run_in_executor(health_pool, counts), HEALTH_TIMEOUT)
        except TimeoutError:
            return problem(503, "Graph store unavailable", f"the graph store did not answer within {HEALTH_TIMEOUT:g} s")
        return Health(status="ok", **body)

    @app.get("/v1/documents", tags=["documents"], response_model=Page[DocumentInfo])
    def documents(s: Store, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Ingested documents with their metadata."""
        return paginate(list_documents(s), limit, offset)

    @app.get("/v1/documents/{doc_id}", tags=["documents"], response_model=DocumentDetail)
    def document(doc_id: str, s: Store) -> DocumentDetail:
        """A document's metadata and sections."""
        return get_document(s, doc_id)

    @app.get("/v1/documents/{doc_id}/text", tags=["documents"], response_model=DocumentText)
    def text(
        doc_id: str,
        s: Store,
        start: Annotated[int | None, Query(ge=0)] = None,
        end: Annotated[int | None, Query(ge=0)] = None,
    ) -> DocumentText:
        """The document's raw text, or the span [start, end) of it (offsets as in every evidence)."""
        if start is not None and end is not None and end < start:
            raise HTTPException(422, "end must not be smaller than start")
        return document_text(s, doc_id, start, end)

    def upload(file: Annotated[UploadFile, File(description=SUPPORTED_NAMES)], s: Store) -> FileResult:
        """Upload one document and ingest it (bearer token required). A bad file changes nothing."""
        name = safe_filename(file.filename or "upload")
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise HTTPException(415, f"{name}: unsupported file type '{suffix or '(none)'}'; use {SUPPORTED_NAMES}")
        with tempfile.TemporaryDirectory(prefix="pdz-upload-") as tmp:
            path = Path(tmp) / name
            size = 0
            with path.open("wb") as out:
                while block := file.file.read(1 << 20):
                    size += len(block)
                    if size > MAX_UPLOAD_BYTES:
                        raise HTTPException(413, f"{name}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB")
                    out.write(block)
            result = ingest_file(path, s, indexer=res.index(), identity=f"upload:{name}")
        if result.error:
            raise HTTPException(422, result.error)
        return result

    if not settings.read_only:  # a read-only deployment has no upload route at all
        app.post("/v1/documents", tags=["documents"], status_code=201, dependencies=[Depends(require_token)],
                 response_model=FileResult)(upload)

    @app.get("/v1/norms", tags=["norms"], response_model=Page[NormCount])
    def norms(s: Store, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Cited norms, most cited first, with citation and document counts."""
        return paginate(list_norms(s), limit, offset)

    @app.get("/v1/norms/{norm:path}", tags=["norms"], response_model=NormTrace)
    def norm(norm: str, s: Store) -> NormTrace:
        """A norm in any written form ("L.R. 3/2008", "lr.lombardia:2008:3"): citing documents, articles,
        contexts with offsets, and AMENDS links both ways."""
        return norm_trace(s, norm)

    @app.get("/v1/entities", tags=["graph"], response_model=list[EntityMatch])
    def entities(
        s: Store,
        q: Annotated[str, Query(min_length=1, max_length=200, description="A name or alias as people write it.")],
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> list[EntityMatch]:
        """Entities whose name or alias matches ``q`` (Ambiti, comuni, bodies, services, norms...), best first."""
        return find_entities(s, q, limit)

    @app.get("/v1/entities/{entity_id}", tags=["graph"], response_model=Neighbourhood)
    def entity(entity_id: str, s: Store, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Neighbourhood:
        """An entity (any node id) with its neighbourhood and the evidence of each edge."""
        return neighbourhood(s, entity_id, limit)

    @app.get("/v1/search", tags=["search"], response_model=SearchResults)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=500, description="Question or keywords (Italian).")],
        filters: Filters,
        k: Annotated[int, Query(ge=1, le=100)] = 10,
        mode: Annotated[str, Query(pattern="^(hybrid|dense|bm25)$")] = "hybrid",
    ) -> SearchResults:
        """Hybrid (dense e5 + BM25) passage search with filters; each hit has its evidence, snippet and entities."""
        return SearchResults(query=q, mode=mode, results=res.index().search(q, k=k, filters=filters, mode=mode))

    @app.get("/v1/ask", tags=["search"], response_model=Answer)
    def ask(
        s: Store,
        q: Annotated[str, Query(min_length=1, max_length=500, description="A question in Italian or English.")],
        filters: Filters,
        k: Annotated[int, Query(ge=1, le=100)] = 10,
    ) -> Answer:
        """Answer from the graph when the question has a known intent (services, norms, governance,
        capofila, comuni, signatories), else by hybrid search; ``path`` says which."""
        return answer(q, s, res.index(), filters=filters, k=k)

    @app.get("/v1/ambiti", tags=["ambiti"], response_model=Page[AmbitoSummary])
    def ambiti(s: Store, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Ambiti in the graph with their number of comuni and the documents mentioning them."""
        return paginate(list_ambiti(s), limit, offset)

    @app.get("/v1/ambiti/{ambito}", tags=["ambiti"], response_model=AmbitoProfile)
    def ambito(ambito: str, s: Store) -> AmbitoProfile:
        """An Ambito's profile (by id, name or alias): comuni with ISTAT codes, capofila, ATS/ASST,
        bodies, services with status, objectives by macro-area, networks, most cited norms; all with evidence."""
        return ambito_profile(s, ambito)

    @app.get("/v1/ambiti/{ambito}/timeline", tags=["ambiti"], response_model=AmbitoTimeline)
    def timeline(ambito: str, s: Store) -> AmbitoTimeline:
        """One Ambito across programming periods: bodies and services per period, what appeared and ended."""
        return ambito_timeline(s, ambito)

    @app.get("/v1/comuni/{name}", tags=["ambiti"], response_model=ComuneStory)
    def comune(name: str, s: Store) -> ComuneStory:
        """A comune (any written form or ISTAT code): the Ambiti it belongs to, periods and evidence."""
        return comune_story(s, name)

    @app.get("/v1/compare", tags=["ambiti"], response_model=GovernanceComparison)
    def compare(
        s: Store,
        ambiti: Annotated[str, Query(min_length=3, max_length=500, description="Comma-separated Ambiti (2 or more).")],
    ) -> GovernanceComparison:
        """Governance of two or more Ambiti side by side (rows by aspect, a column per Ambito)."""
        names = [a.strip() for a in ambiti.split(",") if a.strip()]
        return compare_governance(s, names)

    @app.get("/v1/services", tags=["ambiti"], response_model=ServiceAnswer)
    def services_route(
        s: Store,
        type: Annotated[str, Query(min_length=2, max_length=200, description="Service type or name.")],
    ) -> ServiceAnswer:
        """Which Ambiti run or plan a service, with status history, period and quotes."""
        return services(s, type)

    export_types = {"turtle": "text/turtle", "jsonld": "application/ld+json", "csv": "application/zip"}

    @app.get("/v1/export", tags=["graph"], response_class=Response,
             responses={200: {"description": "The graph as Turtle, JSON-LD or zipped CSV.",
                              "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in export_types.values()}}})
    def export(
        s: Store,
        format: Annotated[str, Query(pattern="^(turtle|jsonld|csv)$")] = "turtle",
        chunks: bool = False,
    ) -> Response:
        """The whole graph as RDF (Turtle or JSON-LD, with the project ontology) or as zipped CSV."""
        body = export_graph(s, format, include_chunks=chunks)
        name = {"turtle": "pdz.ttl", "jsonld": "pdz.jsonld", "csv": "pdz-csv.zip"}[format]
        return Response(body, media_type=export_types[format], headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.post("/v1/cypher", tags=["graph"], response_model=CypherResult)
    async def cypher(body: CypherRequest, request: Request) -> Any:
        """Run a read-only, parameterised Cypher query (writes are refused before reaching the store).

        Hard limits: ``timeout`` seconds (at most the server's ``PDZ_QUERY_TIMEOUT``; 503 past it),
        ``max_rows`` rows, variable-length patterns of at most 4 hops, a few queries at once (503
        with Retry-After when all slots are busy); a client that disconnects cancels its query.
        """
        try:  # wait a little for a free slot, then refuse (the caller may retry)
            await asyncio.wait_for(cypher_slots.acquire(), CYPHER_SLOT_WAIT)
        except TimeoutError:
            resp = problem(503, "Too many queries", f"{CYPHER_CONCURRENCY} Cypher queries are running; retry shortly",
                           request)
            resp.headers["Retry-After"] = "2"
            return resp
        loop = asyncio.get_running_loop()
        cancel = threading.Event()
        try:
            s = await loop.run_in_executor(health_pool, res.store)
            fut = loop.run_in_executor(cypher_pool, lambda: run_read_only(
                s, body.query, body.params, max_rows=body.max_rows, timeout=body.timeout, cancel=cancel))
            try:
                while True:
                    done, _ = await asyncio.wait({fut}, timeout=0.2)
                    if done:
                        return fut.result()
                    if SHUTTING_DOWN.is_set():
                        cancel.set()
                        with contextlib.suppress(QueryCancelled):
                            await fut
                        return problem(503, "Server shutting down", "the server is stopping; retry later", request)
                    if await request.is_disconnected():
                        cancel.set()
                        return await fut  # raises QueryCancelled at once
            finally:
                if not fut.done():  # the request itself was cancelled (server shutting down)
                    cancel.set()
        finally:
            cypher_slots.release()

    return app


# The served app embeds in the background when PDZ_BACKGROUND_EMBED=1 (set by `python -m ui.api`, i.e. `pdz serve`
# and `pdz demo`, unless it is 0 already); an app imported by tests or another server does not.
app = create_app(embed_in_background=os.environ.get("PDZ_BACKGROUND_EMBED") == "1")


class _Server:
    """uvicorn's server, telling the app when shutdown begins (see SHUTTING_DOWN)."""

    @staticmethod
    def run(host: str, port: int) -> None:
        import uvicorn

        class Server(uvicorn.Server):
            def handle_exit(self, sig: int, frame) -> None:  # noqa: ANN001 - signal frame
                SHUTTING_DOWN.set()
                super().handle_exit(sig, frame)

        config = uvicorn.Config("ui.api:app", host=host, port=port, log_level="info", timeout_graceful_shutdown=5)
        Server(config).run()


if __name__ == "__main__":  # python -m ui.api --host H --port P (what `pdz serve` and `pdz demo` run)
    cli = argparse.ArgumentParser(description="Serve the pdz HTTP API.")
    cli.add_argument("--host", default="127.0.0.1")
    cli.add_argument("--port", type=int, default=8000)
    args = cli.parse_args()
    os.environ.setdefault("PDZ_BACKGROUND_EMBED", "1")
    import ui.api as served  # the module uvicorn serves (this file also runs as __main__)

    served._Server.run(args.host, args.port)
