"""Answers to the user stories, read from the graph: one function per story, reused by CLI, API and UI."""

from __future__ import annotations

import re
from typing import Any

from ingest.citations import resolve_norm
from kg import queries as Q
from kg.documents import NotFound
from kg.store import GraphStore
from ontology.errors import KgError

CONTEXT_CHARS = 220


class InvalidQuery(KgError):
    """A story was asked with arguments it cannot answer (say, a comparison of one Ambito)."""

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


STATUS_RANK = {"active": 5, "planned": 4, "feasibility_study": 3, "concluded": 2, "mentioned": 1}


def _service_targets(store: GraphStore, text: str) -> tuple[list[str], list[str], list[str]]:
    """Vocabulary types and Service ids that a free-text service name designates, plus their labels."""
    from ontology.vocab import fold, load_vocab

    vocab = load_vocab()
    folded = fold(text)
    concepts = {c.key: c.pref for _, _, c in vocab.matcher("services").finditer(text, folded)}
    ids: list[str] = []
    if not concepts:  # a free name: match Service nodes by name or alias
        words = [w for w in re.findall(r"[a-z0-9]+", folded) if len(w) > 2]
        for r in store.read(Q.SERVICE_NAMES):
            names = " | ".join(fold(n) for n in [r["name"] or "", *(r.get("aliases") or [])])
            if words and all(w in names for w in words):
                ids.append(r["id"])
    return list(concepts), ids, list(concepts.values())


def services(store: GraphStore, text: str) -> dict[str, Any]:
    """Which Ambiti (or comuni) run or plan a service, with status per period and quotes.

    A service qualified by a place outside the Ambito ("Agenzia dell'Abitare di <comune>") is
    attributed to that place and reported apart, never to the Ambito of the document naming it.

    Args:
        store: the graph store.
        text: a service type or a free name ("Agenzia dell'Abitare", "agenzia per la casa", "PUA").

    Raises:
        NotFound: the text names no known service.
    """
    types, ids, labels = _service_targets(store, text)
    if not types and not ids:
        raise NotFound(f"{text!r} names no service in the vocabulary or the graph")
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for r in store.read(Q.SERVICES_BY_TYPE, {"types": types, "ids": ids}):
        key = (r["owner_id"], r["service"]["id"])
        g = groups.setdefault(key, {"ambito_id": r["owner_id"], "ambito": r["owner"], "owner_label": r["owner_label"],
                                    "service_id": r["service"]["id"], "service": r["service"]["name"],
                                    "statuses": [], "evidence": []})
        rel = r["rel"]
        pair = {"status": rel.get("status"), "period": rel.get("period")}
        if pair not in g["statuses"]:
            g["statuses"].append(pair)
        g["evidence"].append({"doc_id": rel.get("doc"), "source": r["source"], **{k: rel.get(k) for k in
                              ("status", "period", "page", "line", "start", "end", "quote", "section")}})
    rows = []
    for g in groups.values():
        known = [p for p in g["statuses"] if p["status"] != "mentioned"] or g["statuses"]
        latest = max(known, key=lambda p: (p["period"] or "", STATUS_RANK.get(p["status"] or "", 0)))
        g["status"], g["period"] = latest["status"], latest["period"]
        g["statuses"].sort(key=lambda p: (p["period"] or "", STATUS_RANK.get(p["status"] or "", 0)))
        rows.append(g)
    ambiti = [g for g in rows if g["owner_label"] == "Ambito"]
    others = [g for g in rows if g["owner_label"] != "Ambito"]
    return {"query": text, "service_types": types, "service_labels": labels, "ambiti": ambiti, "elsewhere": others}


def list_ambiti(store: GraphStore) -> list[dict[str, Any]]:
    """Every Ambito with its number of member comuni and the documents that mention it."""
    return store.read(Q.LIST_AMBITI)


DETAIL_IT = {"composition": "composizione", "functions": "funzioni"}


def _text(value: Any) -> str:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _cell(items: list[dict[str, Any]], *detail_keys: str) -> str:
    """One table cell: each item's name with its details in Italian, items separated by " | "."""
    parts = []
    for it in items:
        text = it.get("name") or ""
        details = [f"{DETAIL_IT.get(k, k)}: {_text(it[k])}" for k in detail_keys if it.get(k)]
        if it.get("legal_basis"):
            details.append("base normativa: " + ", ".join(lb["norm"] for lb in it["legal_basis"]))
        parts.append(text + (f" ({'; '.join(details)})" if details else ""))
    return " | ".join(parts) if parts else "—"


def compare_governance(store: GraphStore, names: list[str]) -> dict[str, Any]:
    """Governance of two or more Ambiti side by side: capofila, ATS/ASST, comuni, and bodies by type.

    Args:
        store: the graph store.
        names: Ambito ids, names or aliases (two or more).

    Returns:
        ``rows``: one flat row per aspect (a column per Ambito; the CSV and table form); ``cells``:
        the same grid with the items and their evidence; ``ambiti``: the names compared.

    Raises:
        InvalidQuery: fewer than two Ambiti given.
        AmbitoNotFound: a name matches no Ambito.
    """
    from kg.profiles import ambito_profile
    from ontology.vocab import load_vocab

    if len(names) < 2:
        raise InvalidQuery(f"compare needs two or more Ambiti, got {len(names)}: separate them with commas")
    profiles = [ambito_profile(store, n) for n in names]
    cols = [p["name"] for p in profiles]
    aspects: list[tuple[str, Any]] = [
        ("Ente capofila", lambda p: p["capofila"]),
        ("ATS", lambda p: p.get("ats", [])),
        ("ASST", lambda p: p.get("asst", [])),
        ("Città Metropolitana", lambda p: p.get("citta_metropolitana", [])),
        ("Comuni", lambda p: p["comuni"]),
    ]
    body_types = [(c.key, c.pref) for c in load_vocab().scheme("bodies")]
    present = {b.get("type") for p in profiles for b in p["bodies"]}
    for key, pref in body_types:
        if key in present:
            aspects.append((pref, lambda p, key=key: [b for b in p["bodies"] if b.get("type") == key]))
    others = [b for p in profiles for b in p["bodies"] if b.get("type") not in {k for k, _ in body_types}]
    if others:
        known = {k for k, _ in body_types}
        aspects.append(("Altri organi", lambda p: [b for b in p["bodies"] if b.get("type") not in known]))
    rows: list[dict[str, str]] = []
    cells: list[dict[str, Any]] = []
    for label, pick in aspects:
        row: dict[str, str] = {"Aspetto": label}
        cell: dict[str, Any] = {"aspect": label, "values": {}}
        for p, col in zip(profiles, cols, strict=True):
            items = pick(p)
            if label == "Comuni":
                row[col] = f"{len(items)}: " + ", ".join(i["name"] for i in items) if items else "—"
            else:
                row[col] = _cell(items, "composition", "functions")
            cell["values"][col] = [{k: i.get(k) for k in ("id", "name", "composition", "functions", "legal_basis", "evidence")
                                    if i.get(k) is not None} for i in items]
        rows.append(row)
        cells.append(cell)
    return {"ambiti": cols, "ids": [p["id"] for p in profiles], "rows": rows, "cells": cells}
