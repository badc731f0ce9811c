"""Export the whole graph: RDF (Turtle, JSON-LD) with the ontology's IRIs, and CSV (zipped).

Nodes become resources ``https://w3id.org/pdz/id/<id>`` typed with ``pdz:<Label>``; their
properties become ``pdz:<key>`` literals. Edges become ``pdz:<TYPE>`` triples; an edge that carries
evidence (a quote) is also reified as a ``pdz:Evidence`` statement with quote, line, offsets, page
and source document, so every fact keeps its provenance in RDF. The output validates against
``ontology/shapes.ttl``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import quote

from kg import queries as Q
from kg.store import GraphStore
from ontology.errors import KgError
from ontology.vocab import DATA, PDZ, PDZV
from ontology.vocab import ONTOLOGY_FILE, SHAPES_FILE

FORMATS = ("turtle", "jsonld", "csv")
SKIP_EDGE_PROPS = {"context"}  # the sentence around a citation, kept for the norm trace (a copy of chunk text)
SKIP_PROPS = {"embedding", "shared"}  # shared: bookkeeping of kg.store (the shared nodes a document wrote)


class ExportError(KgError):
    """The export format is unknown or the graph cannot be serialised."""


def node_iri(node_id: str) -> str:
    """The IRI of a node id ("comune:015195" -> https://w3id.org/pdz/id/comune/015195)."""
    return DATA + quote(node_id.replace(":", "/", 1), safe="/-_.~")


def read_graph(store: GraphStore, *, include_chunks: bool = True) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """All nodes (label, id, props) and edges (type, src, dst, props) of the store.

    Args:
        store: an open GraphStore.
        include_chunks: export Chunk nodes (text only; embeddings are never exported).
    """
    nodes = []
    for r in store.read(Q.EXPORT_NODES):
        if not include_chunks and r["label"] == "Chunk":
            continue
        props = {k: v for k, v in (r["props"] or {}).items() if k not in SKIP_PROPS and v is not None}
        nodes.append({"label": r["label"], "id": props.get("id"), "props": props})
    keep = {n["id"] for n in nodes}
    edges = []
    for r in store.read(Q.EXPORT_EDGES):
        if r["src"] in keep and r["dst"] in keep:
            props = {k: v for k, v in (r["props"] or {}).items() if k not in SKIP_EDGE_PROPS}
            edges.append({"type": r["type"], "src": r["src"], "dst": r["dst"], "props": props})
    return nodes, edges


def _literal(value: Any):
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    return Literal(str(value))


def _pred(key: str):
    from rdflib import URIRef

    return URIRef(PDZ + re.sub(r"[^A-Za-z0-9_]", "_", key))


def to_rdf(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]):
    """An rdflib Graph of nodes and edges (see the module docstring).

    Args:
        nodes: from ``read_graph``.
        edges: from ``read_graph``.
    """
    from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

    pdz = Namespace(PDZ)
    g = Graph()
    g.bind("pdz", pdz)
    g.bind("pdzv", Namespace(PDZV))
    g.bind("id", Namespace(DATA))
    g.bind("org", Namespace("http://www.w3.org/ns/org#"))
    for n in nodes:
        s = URIRef(node_iri(n["id"]))
        g.add((s, RDF.type, pdz[n["label"]]))
        g.add((s, pdz.id, Literal(n["id"])))
        for k, v in n["props"].items():
            if k == "id":
                continue
            if k == "concept" and isinstance(v, str) and v.startswith("http"):
                g.add((s, pdz.concept, URIRef(v)))
                continue
            if k == "name":
                g.add((s, RDFS.label, Literal(str(v))))
            if k == "aliases":
                for a in v if isinstance(v, list) else [v]:
                    g.add((s, pdz.alias, Literal(str(a))))
                continue
            for item in v if isinstance(v, list) else [v]:
                if isinstance(item, (str, int, float, bool)):
                    g.add((s, _pred(k), _literal(item)))
    org = Namespace("http://www.w3.org/ns/org#")
    for e in edges:
        s, o, p = URIRef(node_iri(e["src"])), URIRef(node_iri(e["dst"])), pdz[e["type"]]
        g.add((s, p, o))
        props = e["props"]
        if e["type"] == "CAPOFILA_OF":  # the time-indexed role (OntoPiA RO / W3C ORG membership)
            role = URIRef(DATA + "role/" + hashlib.sha1(f"{e['src']}|{e['dst']}|{props.get('period')}".encode()).hexdigest()[:20])
            g.add((role, RDF.type, pdz.CapofilaRole))
            g.add((role, org.member, s))
            g.add((role, org.organization, o))
            g.add((role, org.role, URIRef(PDZV + "ente_capofila")))
            for k in ("period", "since"):
                if props.get(k):
                    g.add((role, pdz[k], Literal(str(props[k]))))
        if not props.get("quote"):
            continue
        key = props.get("key") or f"{e['src']}|{e['type']}|{e['dst']}|{props.get('start')}"
        ev = URIRef(DATA + "evidence/" + hashlib.sha1(str(key).encode()).hexdigest()[:20])
        g.add((ev, RDF.type, pdz.Evidence))
        if e["type"] == "RUNS":
            g.add((ev, RDF.type, pdz.RunsEvidence))
        g.add((ev, RDF.subject, s))
        g.add((ev, RDF.predicate, p))
        g.add((ev, RDF.object, o))
        if props.get("doc"):
            g.add((ev, pdz.sourceDocument, URIRef(node_iri(props["doc"]))))
        for k, v in props.items():
            if k in ("key", "doc") or v is None:
                continue
            for item in v if isinstance(v, list) else [v]:
                if isinstance(item, (str, int, float, bool)):
                    g.add((ev, _pred(k), _literal(item)))
    return g


def serialise(g, fmt: str) -> str:
    """Turtle or JSON-LD text of a graph.

    Raises:
        ExportError: unknown format.
    """
    if fmt == "turtle":
        return g.serialize(format="turtle")
    if fmt == "jsonld":
        ctx = {"pdz": PDZ, "pdzv": PDZV, "id": DATA, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
        return g.serialize(format="json-ld", context=ctx, indent=1)
    raise ExportError(f"unknown RDF format {fmt!r}: use turtle or jsonld")


def to_csv_zip(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> bytes:
    """nodes.csv (id, label, name, props JSON) and edges.csv (type, src, dst, props JSON), zipped."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows, header in (
            ("nodes.csv", [[n["id"], n["label"], n["props"].get("name", ""), json.dumps(n["props"], ensure_ascii=False, default=str)] for n in nodes], ["id", "label", "name", "props"]),
            ("edges.csv", [[e["type"], e["src"], e["dst"], json.dumps(e["props"], ensure_ascii=False, default=str)] for e in edges], ["type", "src", "dst", "props"]),
        ):
            s = io.StringIO()
            w = csv.writer(s)
            w.writerow(header)
            w.writerows(rows)
            z.writestr(name, s.getvalue())
    return buf.getvalue()


def export_graph(store: GraphStore, fmt: str = "turtle", *, include_chunks: bool = True) -> str | bytes:
    """The whole graph in one format: "turtle", "jsonld" (text) or "csv" (zip bytes).

    Args:
        store: an open GraphStore.
        fmt: output format.
        include_chunks: export Chunk nodes too.

    Raises:
        ExportError: unknown format.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    nodes, edges = read_graph(store, include_chunks=include_chunks)
    if fmt == "csv":
        return to_csv_zip(nodes, edges)
    return serialise(to_rdf(nodes, edges), fmt)


def validate(g) -> tuple[bool, str]:
    """Validate an RDF graph against ``ontology/shapes.ttl`` (with the ontology for class inference).

    Returns:
        (conforms, report text).
    """
    import pyshacl
    from rdflib import Graph


    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    ont = Graph().parse(ONTOLOGY_FILE, format="turtle")
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes, ont_graph=ont, inference="none", advanced=True)
    return bool(conforms), str(text)
