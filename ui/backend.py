"""What the Streamlit app needs, in-process (library calls) or over HTTP (``PDZ_API_URL``): same methods."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.settings import Settings
from ontology.errors import KgError


class BackendError(KgError):
    """The store or the API could not answer."""


class LocalBackend:
    """Calls the library directly, with one store connection and one search index per process."""

    def __init__(self, settings: Settings):
        from kg.store import GraphStore

        self.settings = settings
        self.store = GraphStore.open(settings)
        self._index = None

    @property
    def index(self):  # noqa: ANN201 - search.index.SearchIndex
        if self._index is None:
            from search.index import SearchIndex

            self._index = SearchIndex.load(self.settings)
        return self._index

    def health(self) -> dict[str, Any]:
        return {"backend": self.store.backend, **self.store.counts()}

    def documents(self) -> list[dict[str, Any]]:
        from kg.documents import list_documents

        return list_documents(self.store)

    def document_text(self, doc_id: str, start: int | None = None, end: int | None = None) -> dict[str, Any]:
        from kg.documents import document_text

        return document_text(self.store, doc_id, start, end)

    def norms(self) -> list[dict[str, Any]]:
        from kg.stories import list_norms

        return list_norms(self.store)

    def norm(self, text: str) -> dict[str, Any]:
        from kg.stories import norm_trace

        return norm_trace(self.store, text)

    def neighbourhood(self, entity_id: str) -> dict[str, Any]:
        from kg.stories import neighbourhood

        return neighbourhood(self.store, entity_id)

    def ambiti(self) -> list[dict[str, Any]]:
        from kg.stories import list_ambiti

        return list_ambiti(self.store)

    def ambito(self, name: str) -> dict[str, Any]:
        from kg.profiles import ambito_profile

        return ambito_profile(self.store, name)

    def compare(self, names: list[str]) -> dict[str, Any]:
        from kg.stories import compare_governance

        return compare_governance(self.store, names)

    def ask(self, question: str, filters: dict[str, Any], k: int = 10) -> dict[str, Any]:
        from search.router import answer

        return answer(question, self.store, self.index, filters=filters, k=k)

    @property
    def uploads_enabled(self) -> bool:
        return self.settings.uploads_enabled

    def upload(self, path: Path, progress: Callable[[float, str], None], token: str | None = None) -> dict[str, Any]:
        """Ingest one file; the same token rule as the API's upload route.

        Raises:
            UploadRefused: uploads are off here, or ``token`` is not ``PDZ_API_TOKEN``.
        """
        from kg.ingest import ingest_paths

        self.settings.authorize_upload(token)

        def on_event(e) -> None:  # noqa: ANN001 - kg.ingest.Event
            if e.kind == "pages" and e.total:
                progress(0.5 * e.done / e.total, f"lettura pagina {e.done}/{e.total}")
            elif e.kind == "embed" and e.total:
                progress(0.5 + 0.45 * e.done / e.total, f"indicizzazione {e.done}/{e.total}")

        report = ingest_paths([path], self.store, self.settings, indexer=self.index, on_event=on_event)
        progress(1.0, "fatto")
        return report.summary()


class ApiBackend:
    """The same calls against a running pdz API."""

    uploads_enabled = True  # the API decides (403 when off, 401 for a wrong token)

    def __init__(self, base_url: str, token: str | None = None):
        import httpx

        self.token = token
        self.client = httpx.Client(base_url=base_url.rstrip("/"), timeout=60)

    def _get(self, path: str, **params: Any) -> Any:
        r = self.client.get(path, params={k: v for k, v in params.items() if v is not None})
        if r.status_code >= 400:
            raise BackendError(r.json().get("detail", r.text) if r.headers.get("content-type", "").endswith("json") else r.text)
        return r.json()

    def _all(self, path: str) -> list[dict[str, Any]]:
        items, offset = [], 0
        while True:
            page = self._get(path, limit=500, offset=offset)
            items.extend(page["items"])
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                return items

    def health(self) -> dict[str, Any]:
        return self._get("/v1/health")

    def documents(self) -> list[dict[str, Any]]:
        return self._all("/v1/documents")

    def document_text(self, doc_id: str, start: int | None = None, end: int | None = None) -> dict[str, Any]:
        return self._get(f"/v1/documents/{doc_id}/text", start=start, end=end)

    def norms(self) -> list[dict[str, Any]]:
        return self._all("/v1/norms")

    def norm(self, text: str) -> dict[str, Any]:
        return self._get(f"/v1/norms/{text}")

    def neighbourhood(self, entity_id: str) -> dict[str, Any]:
        return self._get(f"/v1/entities/{entity_id}")

    def ambiti(self) -> list[dict[str, Any]]:
        return self._all("/v1/ambiti")

    def ambito(self, name: str) -> dict[str, Any]:
        return self._get(f"/v1/ambiti/{name}")

    def compare(self, names: list[str]) -> dict[str, Any]:
        return self._get("/v1/compare", ambiti=",".join(names))

    def ask(self, question: str, filters: dict[str, Any], k: int = 10) -> dict[str, Any]:
        return self._get("/v1/ask", q=question, k=k, **filters)

    def upload(self, path: Path, progress: Callable[[float, str], None], token: str | None = None) -> dict[str, Any]:
        progress(0.1, "invio")
        token = token or self.token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        with path.open("rb") as f:
            r = self.client.post("/v1/documents", files={"file": (path.name, f)}, headers=headers)
        if r.status_code >= 400:
            raise BackendError(r.json().get("detail", r.text))
        progress(1.0, "fatto")
        return r.json()


def make_backend(settings: Settings) -> LocalBackend | ApiBackend:
    """The API backend when PDZ_API_URL is set, else the in-process library."""
    if settings.api_url:
        return ApiBackend(settings.api_url, settings.api_token)
    return LocalBackend(settings)
