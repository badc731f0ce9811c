"""What the Streamlit app needs, in-process (library calls) or over HTTP (``PDZ_API_URL``).

Both backends return the same typed views (``ontology.views``): the API backend parses the JSON it
gets into them, so the app renders one shape whichever path it takes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from kg.answer import answer
from kg.comuni import ComuneNotFound, comune_story
from kg.documents import NotFound, document_text, get_document, list_documents
from kg.ingest import Event, FileResult, ingest_paths
from kg.profiles import AmbitoNotFound, ambito_profile
from kg.stories import (
    ambito_timeline,
    compare_governance,
    find_entities,
    list_ambiti,
    list_norms,
    neighbourhood,
    norm_trace,
)
from kg.store import GraphStore
from ontology.errors import KgError
from ontology.settings import Settings
from ontology.views import (
    AmbitoProfile,
    AmbitoSummary,
    AmbitoTimeline,
    Answer,
    ComuneStory,
    DocumentDetail,
    DocumentInfo,
    DocumentText,
    EntityMatch,
    GovernanceComparison,
    Health,
    Neighbourhood,
    NormCount,
    NormTrace,
    SearchFilters,
)
from search.index import SearchIndex
from search.store import progress_of

V = TypeVar("V", bound=BaseModel)


class BackendError(KgError):
    """The store or the API could not answer."""


class LocalBackend:
    """Calls the library directly, with one store connection and one search index per process."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = GraphStore.open(settings)
        self._index: SearchIndex | None = None

    @property
    def index(self) -> SearchIndex:
        if self._index is None:  # never embeds here: the background embedder (pdz demo, the API) fills the vectors
            self._index = SearchIndex.load(self.settings, deferred=True)
        return self._index

    def warm(self) -> None:
        """Build the BM25 side now and load the embedding model in a background thread, so the
        first page answers at once and the first dense question does not wait for the model."""
        if SearchIndex.exists(self.settings):
            self.index.warm(["bm25"])
            if self.index.chunks and self.index.dense_available:
                threading.Thread(target=self._load_model, name="pdz-model", daemon=True).start()

    def _load_model(self) -> None:
        try:
            self.index.encoder.encode_query("avvio")
        except Exception:  # noqa: BLE001 - no model: the first dense question says why
            pass

    def health(self) -> Health:
        done, total = progress_of(self.settings.index_dir) or (None, None)
        return Health(backend=self.store.backend, **self.store.counts(), vectors=done, vectors_total=total)

    def documents(self) -> list[DocumentInfo]:
        return list_documents(self.store)

    def document(self, doc_id: str) -> DocumentDetail:
        return get_document(self.store, doc_id)

    def document_text(self, doc_id: str, start: int | None = None, end: int | None = None) -> DocumentText:
        return document_text(self.store, doc_id, start, end)

    def norms(self) -> list[NormCount]:
        return list_norms(self.store)

    def norm(self, text: str) -> NormTrace:
        return norm_trace(self.store, text)

    def neighbourhood(self, entity_id: str) -> Neighbourhood:
        return neighbourhood(self.store, entity_id)

    def ambiti(self) -> list[AmbitoSummary]:
        return list_ambiti(self.store)

    def ambito(self, name: str) -> AmbitoProfile:
        return ambito_profile(self.store, name)

    def timeline(self, name: str) -> AmbitoTimeline:
        return ambito_timeline(self.store, name)

    def comune(self, name: str) -> ComuneStory:
        return comune_story(self.store, name)

    def find(self, text: str) -> list[EntityMatch]:
        return find_entities(self.store, text)

    def compare(self, names: list[str]) -> GovernanceComparison:
        return compare_governance(self.store, names)

    def ask(self, question: str, filters: SearchFilters, k: int = 10) -> Answer:
        return answer(question, self.store, self.index, filters=filters, k=k)

    @property
    def uploads_enabled(self) -> bool:
        return self.settings.uploads_enabled

    def upload(self, path: Path, progress: Callable[[float, str], None], token: str | None = None) -> FileResult:
        """Ingest one file; the same token rule as the API's upload route.

        Raises:
            UploadRefused: uploads are off here, or ``token`` is not ``PDZ_API_TOKEN``.
        """
        self.settings.authorize_upload(token)

        def on_event(e: Event) -> None:
            if e.kind == "pages" and e.total:
                progress(0.5 * e.done / e.total, f"lettura pagina {e.done}/{e.total}")
            elif e.kind == "embed" and e.total:
                progress(0.5 + 0.45 * e.done / e.total, f"indicizzazione {e.done}/{e.total}")

        report = ingest_paths([path], self.store, self.settings, indexer=self.index, on_event=on_event)
        progress(1.0, "fatto")
        return report.files[0]


class ApiBackend:
    """The same calls against a running pdz API; every answer is parsed into its view."""

    uploads_enabled = True  # the API decides (403 when off, 401 for a wrong token)

    def __init__(self, base_url: str, token: str | None = None):
        self.token = token
        self.client = httpx.Client(base_url=base_url.rstrip("/"), timeout=60)

    def _get(self, path: str, **params: Any) -> Any:
        try:
            r = self.client.get(path, params={k: v for k, v in params.items() if v is not None})
        except httpx.HTTPError as exc:
            raise BackendError(f"API non raggiungibile ({self.client.base_url}): {exc}") from exc
        if r.status_code >= 400:
            detail = r.json().get("detail", r.text) if r.headers.get("content-type", "").endswith("json") else r.text
            if r.status_code == 404:  # the same error types as the library, so the app says the same
                kind = {"/v1/ambiti/": AmbitoNotFound, "/v1/comuni/": ComuneNotFound}
                raise next((e for p, e in kind.items() if path.startswith(p)), NotFound)(detail)
            raise BackendError(detail)
        return r.json()

    def _view(self, model: type[V], path: str, **params: Any) -> V:
        return model.model_validate(self._get(path, **params))

    def _all(self, model: type[V], path: str) -> list[V]:
        items: list[V] = []
        adapter = TypeAdapter(list[model])  # type: ignore[valid-type]
        offset = 0
        while True:
            page = self._get(path, limit=500, offset=offset)
            items.extend(adapter.validate_python(page["items"]))
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                return items

    def health(self) -> Health:
        return self._view(Health, "/v1/health")

    def documents(self) -> list[DocumentInfo]:
        return self._all(DocumentInfo, "/v1/documents")

    def document(self, doc_id: str) -> DocumentDetail:
        return self._view(DocumentDetail, f"/v1/documents/{doc_id}")

    def document_text(self, doc_id: str, start: int | None = None, end: int | None = None) -> DocumentText:
        return self._view(DocumentText, f"/v1/documents/{doc_id}/text", start=start, end=end)

    def norms(self) -> list[NormCount]:
        return self._all(NormCount, "/v1/norms")

    def norm(self, text: str) -> NormTrace:
        return self._view(NormTrace, f"/v1/norms/{text}")

    def neighbourhood(self, entity_id: str) -> Neighbourhood:
        return self._view(Neighbourhood, f"/v1/entities/{entity_id}")

    def ambiti(self) -> list[AmbitoSummary]:
        return self._all(AmbitoSummary, "/v1/ambiti")

    def ambito(self, name: str) -> AmbitoProfile:
        return self._view(AmbitoProfile, f"/v1/ambiti/{name}")

    def timeline(self, name: str) -> AmbitoTimeline:
        return self._view(AmbitoTimeline, f"/v1/ambiti/{name}/timeline")

    def comune(self, name: str) -> ComuneStory:
        return self._view(ComuneStory, f"/v1/comuni/{name}")

    def find(self, text: str) -> list[EntityMatch]:
        return TypeAdapter(list[EntityMatch]).validate_python(self._get("/v1/entities", q=text))

    def compare(self, names: list[str]) -> GovernanceComparison:
        return self._view(GovernanceComparison, "/v1/compare", ambiti=",".join(names))

    def ask(self, question: str, filters: SearchFilters, k: int = 10) -> Answer:
        return self._view(Answer, "/v1/ask", q=question, k=k, **filters.model_dump(exclude_none=True))

    def upload(self, path: Path, progress: Callable[[float, str], None], token: str | None = None) -> FileResult:
        progress(0.1, "invio")
        token = token or self.token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        with path.open("rb") as f:
            try:
                r = self.client.post("/v1/documents", files={"file": (path.name, f)}, headers=headers)
            except httpx.HTTPError as exc:
                raise BackendError(f"API non raggiungibile ({self.client.base_url}): {exc}") from exc
        if r.status_code >= 400:
            raise BackendError(r.json().get("detail", r.text))
        progress(1.0, "fatto")
        return FileResult.model_validate(r.json())


def make_backend(settings: Settings) -> LocalBackend | ApiBackend:
    """The API backend when PDZ_API_URL is set, else the in-process library."""
    if settings.api_url:
        return ApiBackend(settings.api_url, settings.api_token)
    return LocalBackend(settings)
