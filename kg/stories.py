"""Answers to the user stories, read from the graph: one function per story, reused by CLI, API and UI."""

from __future__ import annotations

import re
from typing import Any

from ingest.citations import resolve_norm
from kg import queries as Q
from kg.documents import NotFound
from kg.store import GraphStore

CONTEXT_CHARS = 220
ABBREVIATIONS = {"art", "artt", "n", "nn", "c", "co", "lett", "l", "r", "d", "lgs", "dlgs", "s", "ss", "pag", "cfr", "es",
                 "all", "to", "dott", "dr", "sig", "prot", "reg", "dpr", "dpcm", "dgr", "dcr", "cap", "par", "num"}
_BOUNDARY = re.compile(r"[.;:!?](?=\s)|\n\s*\n")


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    """A sentence boundary, not the dot of an abbreviation such as "art." or "n."."""
    if m.group(0) != ".":
        return True
    word = re.search(r"([A-Za-zÀ-ÿ]+)$", text[: m.start()])
    return not (word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1))


def citation_context(chunk_text: str | None, chunk_start: int | None, start: int, end: int) -> str | None:
    """The sentence (or a window of about CONTEXT_CHARS) around a citation, from its chunk's raw text."""
    if not chunk_text or chunk_start is None:
        return None
    s, e = start - chunk_start, end - chunk_start
    if s < 0 or e > len(chunk_text):
        return None
    left = chunk_text[max(0, s - CONTEXT_CHARS) : s]
    right = chunk_text[e : e + CONTEXT_CHARS]
    cuts = [m for m in _BOUNDARY.finditer(left) if _is_boundary(left, m)]
    if cuts:
        left = left[cuts[-1].end() :]
    ends = [m for m in _BOUNDARY.finditer(right + " ") if m.group(0) != ":" and _is_boundary(right, m)]
    if ends:
        right = right[: ends[0].start() + 1]
    text = (left + chunk_text[s:e] + right).strip()
    return re.sub(r"\s+", " ", text)


def list_norms(store: GraphStore) -> list[dict[str, Any]]:
    """Every norm in the graph with how often, and by how many documents, it is cited."""
    return [{**r["norm"], "citations": r["citations"], "documents": r["documents"]} for r in store.read(Q.LIST_NORMS)]


def norm_trace(store: GraphStore, text: str) -> dict[str, Any]:
    """Which documents cite a norm written in any form, which articles, in what words; AMENDS both ways.

    Args:
        store: the graph store.
        text: "L.R. 3/2008", "legge regionale 12 marzo 2008 n. 3", "lr.lombardia:2008:3", "legge quadro"...

    Raises:
        NotFound: the text names no norm, or the graph has no such norm.
    """
    norm_id = resolve_norm(text)
    if norm_id is None:
        raise NotFound(f"{text!r} does not name a norm; try a form like 'L.R. 3/2008' or 'DGR XI/4563'")
    rows = store.read(Q.GET_NORM, {"id": norm_id})
    if not rows:
        raise NotFound(f"{text!r} ({norm_id}) is cited by no ingested document")
    citations: list[dict[str, Any]] = []
    by_doc: dict[str, dict[str, Any]] = {}
    for r in store.read(Q.NORM_CITATIONS, {"id": norm_id}):
        c, d = r["citation"], r["document"]
        item = {
            "doc_id": d["id"],
            "source": d.get("source"),
            "raw": c.get("raw"),
            "article": c.get("article"),
            "comma": c.get("comma"),
            "letter": c.get("letter"),
            "page": c.get("page"),
            "line": c.get("line"),
            "start": c.get("start"),
            "end": c.get("end"),
            "section": c.get("section"),
            "flags": c.get("flags") or [],
            "context": citation_context(r["chunk_text"], r["chunk_start"], c.get("start", 0), c.get("end", 0)),
        }
        citations.append(item)
        entry = by_doc.setdefault(d["id"], {"doc_id": d["id"], "source": d.get("source"), "kinds": d.get("kinds"),
                                            "period": d.get("period"), "ambito": d.get("ambito"), "citations": 0,
                                            "articles": []})
        entry["citations"] += 1
        art = item["article"]
        if art and art not in entry["articles"]:
            entry["articles"].append(art)

    def links(query: str) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for r in store.read(query, {"id": norm_id}):
            e = out.setdefault(r["norm"]["id"], {**r["norm"], "evidence": []})
            e["evidence"].append({"doc_id": r["doc"], "line": r["line"], "quote": r["quote"]})
        return list(out.values())

    return {
        "query": text,
        "norm_id": norm_id,
        "norm": rows[0]["norm"],
        "documents": list(by_doc.values()),
        "citations": citations,
        "amends": links(Q.NORM_AMENDS),
        "amended_by": links(Q.NORM_AMENDED_BY),
    }


def neighbourhood(store: GraphStore, entity_id: str, limit: int = 100) -> dict[str, Any]:
    """An entity and its direct neighbours (chunks and sections left out), for the graph view.

    Args:
        store: the graph store.
        entity_id: our own id of any node (a norm id, "doc:...", "ambito:...").
        limit: most edges returned.

    Raises:
        NotFound: no node has that id.
    """
    rows = store.read(Q.GET_NODE, {"id": entity_id})
    if not rows:
        raise NotFound(f"no entity with id {entity_id!r}")
    node = rows[0]["node"]
    node.pop("embedding", None)
    center = {"id": entity_id, "label": rows[0]["labels"][0],
              "name": node.get("name") or node.get("title") or node.get("source") or entity_id, "properties": node}
    nodes: dict[str, dict[str, Any]] = {entity_id: {k: center[k] for k in ("id", "label", "name")}}
    edges: list[dict[str, Any]] = []
    for r in store.read(Q.NEIGHBOURS, {"id": entity_id, "limit": limit}):
        nodes.setdefault(r["id"], {"id": r["id"], "label": r["label"], "name": r["name"]})
        src, dst = (entity_id, r["id"]) if r["outgoing"] else (r["id"], entity_id)
        edges.append({"source": src, "target": dst, "type": r["type"],
                      "evidence": {k: v for k, v in r["rel"].items() if v is not None}})
    return {"entity": center, "nodes": list(nodes.values()), "edges": edges}
