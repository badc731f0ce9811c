"""The HTTP API against the real embedded store: user stories with evidence, errors, auth, read-only Cypher."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ontology.settings import Settings
from kg.store import GraphStore
from tests.conftest import WRITES_FOR_API
from ui.api import create_app

pytestmark = pytest.mark.timeout(600)
SUD_EST = "doc:sud_est_milano_adp_pdz_2021_2023.txt"


@pytest.fixture(scope="module")
def client(corpus_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(corpus_settings)) as c:
        yield c


def test_health_and_openapi(client: TestClient) -> None:
    h = client.get("/v1/health").json()
    assert h["status"] == "ok" and h["documents"] == 5
    spec = client.get("/openapi.json").json()
    for path in ("/v1/health", "/v1/documents", "/v1/search", "/v1/ask", "/v1/ambiti", "/v1/ambiti/{ambito}",
                 "/v1/compare", "/v1/services", "/v1/norms", "/v1/norms/{norm}", "/v1/entities/{entity_id}",
                 "/v1/export", "/v1/cypher"):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 200


def test_docs_assets_are_served_locally(client: TestClient) -> None:
    """/docs works with the network off: the page loads Swagger UI from this server, not from a CDN."""
    import re

    page = client.get("/docs").text
    assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page)
    assert assets and not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
    for a in assets:
        assert client.get(a).status_code == 200, a
    assert "swagger-ui-bundle.js" in page


def test_openapi_declares_a_schema_for_every_success_response(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    missing = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for code, resp in op["responses"].items():
                if not code.startswith("2"):
                    continue
                content = resp.get("content") or {}
                declared = [c.get("schema") for c in content.values()]
                if not declared or not all(declared):
                    missing.append(f"{method.upper()} {path} {code}")
                    continue
                for schema in declared:  # a named model (or a list of one), not an untyped object
                    if schema.get("type") == "array":
                        schema = schema["items"]
                    ref = schema.get("$ref", "").rsplit("/", 1)[-1]
                    if ref:
                        assert schemas[ref].get("properties"), (path, ref)
                    else:
                        assert schema.get("type") == "string", (path, schema)  # binary exports
    assert not missing, missing
    for name in ("NormTrace", "AmbitoProfile", "ServiceAnswer", "GovernanceComparison", "SearchHit", "Answer", "Provenance"):
        assert name in schemas, name


def test_documents_paginated_with_sections(client: TestClient) -> None:
    page = client.get("/v1/documents", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 5 and len(page["items"]) == 2 and page["offset"] == 1
    doc = client.get(f"/v1/documents/{SUD_EST}").json()
    articles = [s["title"] for s in doc["sections"] if s["kind"] == "article"]
    assert len(articles) == 16
    text = client.get(f"/v1/documents/{SUD_EST}/text", params={"start": 290, "end": 315}).json()
    assert text["text"] == "art. 18 della L.R. 3/2008"


def test_story_services_over_http(client: TestClient) -> None:
    r = client.get("/v1/services", params={"type": "Agenzia dell'Abitare"}).json()
    sgm = next(g for g in r["ambiti"] if g["ambito_id"] == "ambito:san-giuliano-milanese")
    assert sgm["evidence"] and all(e["quote"] for e in sgm["evidence"])
    ask = client.get("/v1/ask", params={"q": "Quali Ambiti hanno un'Agenzia dell'Abitare?"}).json()
    assert ask["path"] == "graph" and ask["intent"] == "services"


def test_story_norm_trace_over_http(client: TestClient) -> None:
    r = client.get("/v1/norms/L.R. 3/2008").json()
    assert r["norm_id"] == "lr.lombardia:2008:3" and len(r["citations"]) == 16
    assert all(c["context"] for c in r["citations"])
    norms = client.get("/v1/norms", params={"limit": 5}).json()
    assert norms["items"][0]["citations"] >= norms["items"][-1]["citations"]


def test_story_compare_and_profile_over_http(client: TestClient) -> None:
    cmp_ = client.get("/v1/compare", params={"ambiti": "Sud Est Milano,Oglio Po"}).json()
    assert len(cmp_["ambiti"]) == 2 and cmp_["rows"]
    prof = client.get("/v1/ambiti/San Giuliano Milanese").json()
    assert len(prof["comuni"]) == 9 and all(c["evidence"]["quote"] for c in prof["comuni"])
    ent = client.get("/v1/entities/lr.lombardia:2008:3").json()
    assert ent["edges"]


def test_problem_json_errors(client: TestClient) -> None:
    for url, status in (("/v1/documents/nope", 404), ("/v1/ambiti/nowhere", 404), ("/v1/norms/not a norm", 404),
                        ("/v1/documents?limit=0", 422), ("/v1/compare?ambiti=solo", 400)):
        r = client.get(url)
        assert r.status_code == status, (url, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["status"] == status and body["title"] and body["detail"]


@pytest.mark.parametrize("query", WRITES_FOR_API)
def test_cypher_refuses_writes(client: TestClient, corpus_store: GraphStore, query: str) -> None:
    before = corpus_store.counts()
    r = client.post("/v1/cypher", json={"query": query})
    assert r.status_code == 403, r.text
    assert corpus_store.counts() == before


def test_cypher_reads_with_params_and_limits(client: TestClient) -> None:
    r = client.post("/v1/cypher", json={"query": "MATCH (d:Document) WHERE d.id = $id RETURN d.source AS s",
                                        "params": {"id": SUD_EST}}).json()
    assert r["rows"] == [{"s": "sud_est_milano_adp_pdz_2021_2023.txt"}]
    r = client.post("/v1/cypher", json={"query": "MATCH (c:Chunk) RETURN c.id AS id", "max_rows": 7}).json()
    assert len(r["rows"]) == 7 and r["truncated"]
    assert client.post("/v1/cypher", json={"query": "MATCH (n RETURN n"}).status_code == 400


def test_export_formats(client: TestClient) -> None:
    ttl = client.get("/v1/export", params={"format": "turtle"})
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle") and b"@prefix" in ttl.content
    assert client.get("/v1/export", params={"format": "jsonld"}).json()
    z = client.get("/v1/export", params={"format": "csv"})
    assert z.content[:2] == b"PK"


def test_upload_needs_token(corpus_settings: Settings) -> None:
    with TestClient(create_app(corpus_settings)) as c:  # no PDZ_API_TOKEN: uploads are off
        r = c.post("/v1/documents", files={"file": ("a.txt", b"Piano di Zona")})
        assert r.status_code == 403


@pytest.fixture
def upload_client(arcade_settings: Settings) -> Iterator[TestClient]:
    from dataclasses import replace

    settings = replace(arcade_settings, api_token="s3cret")
    with GraphStore.open(settings) as s:
        s.execute("MATCH (n) DETACH DELETE n")
    with TestClient(create_app(settings)) as c:
        yield c


def test_upload_with_token_ingests_and_bad_files_change_nothing(upload_client: TestClient, tmp_path) -> None:
    auth = {"Authorization": "Bearer s3cret"}
    assert upload_client.post("/v1/documents", files={"file": ("a.txt", b"x")},
                              headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert upload_client.post("/v1/documents", files={"file": ("a.txt", b"x")}).status_code == 401
    text = "Accordo di Programma per il Piano di Zona 2025-2027.\n\nai sensi dell'art. 18 della L.R. 3/2008.\n"
    ok = upload_client.post("/v1/documents", headers=auth,
                            files={"file": ("../../etc/evil name.txt", text.encode("utf-8"))})
    assert ok.status_code == 201, ok.text
    assert ok.json()["doc_id"] == "doc:evil_name.txt"
    before = upload_client.get("/v1/health").json()
    for name, data, status in (("rotto.pdf", b"%PDF-1.4 garbage", 422), ("vuoto.txt", b"", 422),
                               ("binario.txt", b"\x00\x01\x02" * 100, 422), ("virus.exe", b"MZ", 415)):
        r = upload_client.post("/v1/documents", headers=auth, files={"file": (name, io.BytesIO(data))})
        assert r.status_code == status, (name, r.text)
        assert name in r.json()["detail"]
    assert upload_client.get("/v1/health").json() == before
