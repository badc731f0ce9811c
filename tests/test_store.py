"""Store contract: the same behaviour on every backend, through real Bolt connections."""

from __future__ import annotations

import pytest
from neo4j.exceptions import Neo4jError

from ingest.model import Chunk, Document
from ontology.model import Citation, Provenance
from kg.arcade import EmbeddedArcade
from kg.graph import document_graph
from ontology.settings import Settings
from kg.store import GraphStore, StoreError
from ontology.labels import Label

pytestmark = pytest.mark.timeout(300)


def make_doc(doc_id: str, chunks: list[str], norms: list[str], sha: str = "s1") -> Document:
    raw = "\n\n".join(chunks)
    doc = Document(id=doc_id, source=f"{doc_id}.txt", sha256=sha, mimetype="text/plain", size=len(raw),
                   raw_text=raw, text=raw)
    pos = 0
    for i, t in enumerate(chunks):
        doc.chunks.append(Chunk(id=f"{doc_id}:c{i}", doc_id=doc_id, ordinal=i, text=t, clean_text=t, page=None,
                                start=pos, end=pos + len(t), sha=f"h{i}{t[:3]}"))
        pos += len(t) + 2
    for n in norms:
        prov = Provenance(doc_id=doc_id, start=0, end=3, line=1, quote=raw[:3])
        doc.citations.append(Citation(norm_id=n, raw=raw[:3], authority="stato", act_type="legge",
                                      urn=f"urn:nir:stato:legge:{n}", prov=prov))
    return doc


def snapshot(store: GraphStore) -> dict[str, int]:
    return {r["label"]: r["n"] for r in store.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n")} | {
        "edges": store.counts()["edges"]
    }


def test_merge_is_idempotent(store: GraphStore) -> None:
    payload = document_graph(make_doc("doc:a", ["uno", "due", "tre"], ["legge:2000:328"]))
    store.write_document(payload)
    first = snapshot(store)
    store.write_document(payload)
    assert snapshot(store) == first
    assert first["Chunk"] == 3 and first["Norm"] == 1 and first["Document"] == 1


def test_replace_document_subgraph(store: GraphStore) -> None:
    store.write_document(document_graph(make_doc("doc:a", ["uno", "due", "tre"], ["legge:2000:328", "lr.lombardia:2008:3"])))
    store.write_document(document_graph(make_doc("doc:b", ["altro"], ["legge:2000:328"])))
    store.write_document(document_graph(make_doc("doc:a", ["solo uno"], ["dlgs:2000:267"], sha="s2")))
    chunks = store.read("MATCH (c:Chunk) WHERE c.doc = 'doc:a' RETURN c.text AS t")
    assert [r["t"] for r in chunks] == ["solo uno"]
    norms = {r["id"] for r in store.read("MATCH (n:Norm) RETURN n.id AS id")}
    # L.R. 3/2008 was cited only by the old doc:a: gone. L. 328/2000 is still cited by doc:b.
    assert norms == {"legge:2000:328", "dlgs:2000:267"}
    cites = store.read("MATCH (d:Document)-[r:CITES]->(n:Norm) RETURN d.id AS d, n.id AS n ORDER BY d, n")
    assert cites == [{"d": "doc:a", "n": "dlgs:2000:267"}, {"d": "doc:b", "n": "legge:2000:328"}]
    assert store.document_sha("doc:a") == "s2"


def test_failed_write_rolls_back(store: GraphStore) -> None:
    store.write_document(document_graph(make_doc("doc:a", ["uno", "due"], ["legge:2000:328"])))
    before = snapshot(store)
    with pytest.raises(StoreError):
        store.write_document(document_graph(make_doc("doc:a", ["x", "y", "z", "w"], ["dlgs:2000:267"], sha="s9")),
                             fail_after_nodes=True)
    assert snapshot(store) == before
    assert store.document_sha("doc:a") == "s1"


def test_delete_document(store: GraphStore) -> None:
    store.write_document(document_graph(make_doc("doc:a", ["uno"], ["legge:2000:328"])))
    store.delete_document("doc:a")
    assert store.counts() == {"documents": 0, "chunks": 0, "nodes": 0, "edges": 0}


def test_constraint_enforced(store: GraphStore) -> None:
    store.ensure_schema()
    store.execute("CREATE (:Norm {id: 'legge:2000:328'})")
    with pytest.raises(Neo4jError):
        store.execute("CREATE (:Norm {id: 'legge:2000:328'})")
    constrained = {tuple(r["labels"]) for r in store.read("SHOW CONSTRAINTS YIELD labelsOrTypes AS labels")}
    assert {(label.value,) for label in Label} <= constrained


def test_embedded_restart_keeps_data(arcade_settings: Settings) -> None:
    server = EmbeddedArcade(arcade_settings.graph_dir)
    with GraphStore.open(arcade_settings) as s:
        s.execute("MATCH (n) DETACH DELETE n")
        s.write_document(document_graph(make_doc("doc:keep", ["persistente"], ["legge:2000:328"])))
        pid = s.server_pid
    assert server.stop()
    assert server.info() is None
    with GraphStore.open(arcade_settings) as s:
        assert s.server_pid != pid
        assert s.read("MATCH (c:Chunk) RETURN c.text AS t") == [{"t": "persistente"}]
        s.execute("MATCH (n) DETACH DELETE n")


def test_embedded_server_is_reused_and_loopback_only(arcade_settings: Settings) -> None:
    server = EmbeddedArcade(arcade_settings.graph_dir)
    a = server.ensure_running()
    b = EmbeddedArcade(arcade_settings.graph_dir).ensure_running()
    assert a == b
    import socket

    for port in (a.bolt_port, a.http_port):
        with socket.socket() as sock:  # not reachable on a non-loopback address of this host
            sock.settimeout(0.5)
            host_ip = socket.gethostbyname(socket.gethostname())
            if host_ip.startswith("127."):
                continue
            assert sock.connect_ex((host_ip, port)) != 0
    import urllib.error
    import urllib.request

    for path, body in (("/api/v1/databases", None),  # HTTP and MCP answer only with the password
                       ("/api/v1/mcp", b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}')):
        req = urllib.request.Request(f"http://127.0.0.1:{a.http_port}{path}", data=body,
                                     headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=5)
        assert err.value.code in (401, 403), path
