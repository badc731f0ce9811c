"""The profile of an Ambito: comuni (ISTAT), capofila, ATS/ASST, signatories, bodies, services with
status, objectives by macro-area, networks and most cited norms - every item with its evidence."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from kg import queries as Q
from kg.documents import NotFound
from kg.store import GraphStore
from ontology.vocab import fold, slug

EVIDENCE_KEYS = ("doc", "page", "start", "end", "line", "quote", "section")


class AmbitoNotFound(NotFound):
    """No Ambito matches the given id, name or alias."""


def _key(s: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(s or "")))


def evidence(rel: dict[str, Any]) -> dict[str, Any]:
    """The evidence fields of an edge's properties."""
    return {k: rel.get(k) for k in EVIDENCE_KEYS if rel.get(k) is not None}


def find_ambito(store: GraphStore, name: str) -> str:
    """The id of the Ambito named ``name``: by id, name or alias, case- and accent-insensitive; a
    unique partial match ("sud est milano") is accepted.

    Raises:
        AmbitoNotFound: nothing (or more than one Ambito) matches.
    """
    rows = store.read(Q.PROFILE_AMBITI)
    want = _key(name)
    exact, partial = [], []
    for r in rows:
        forms = [r["id"], r["id"].removeprefix("ambito:"), r.get("name") or "", *(r.get("aliases") or [])]
        keys = {_key(f) for f in forms}
        keys |= {k.removeprefix("ambito di ").removeprefix("ambito ") for k in keys}
        if want in keys:
            exact.append(r["id"])
        elif any(want and want in k for k in keys):
            partial.append(r["id"])
    hits = exact or partial
    if len(set(hits)) == 1:
        return hits[0]
    known = ", ".join(sorted(r["id"] for r in rows)) or "none"
    if not hits:
        raise AmbitoNotFound(f"no Ambito matches {name!r} (known: {known})")
    raise AmbitoNotFound(f"{name!r} is ambiguous: {', '.join(sorted(set(hits)))}")


def _item(node: dict[str, Any], rel: dict[str, Any], *keys: str) -> dict[str, Any]:
    out = {"id": node.get("id"), "name": node.get("name")}
    for k in keys:
        if node.get(k) not in (None, [], ""):
            out[k] = node[k]
    out["evidence"] = evidence(rel)
    return out


def ambito_profile(store: GraphStore, name: str, *, norms: int = 10) -> dict[str, Any]:
    """Everything the graph knows about one Ambito, each item with evidence.

    Args:
        store: an open GraphStore.
        name: the Ambito's id, name or alias.
        norms: how many most-cited norms to list.

    Raises:
        AmbitoNotFound: no such Ambito.
    """
    aid = find_ambito(store, name)
    node = store.read(Q.PROFILE_AMBITO, {"id": aid})[0]["ambito"]
    mentions = store.read(Q.PROFILE_MENTIONS, {"id": aid})
    own_docs = sorted({m["doc"] for m in mentions if m.get("ambito") and "ambito:" + slug(m["ambito"]) == aid})
    profile: dict[str, Any] = {
        "id": aid,
        "name": node.get("name"),
        "aliases": node.get("aliases") or [],
        "documents": [{"id": m["doc"], "source": m["source"], "period": m.get("period"), "own": m["doc"] in own_docs}
                      for m in sorted(mentions, key=lambda m: m["doc"])],
        "evidence": [evidence(m["rel"]) for m in mentions][:5],
        "comuni": [], "capofila": [], "ats": [], "asst": [], "citta_metropolitana": [], "partner_ambiti": [],
        "signatories": [], "bodies": [], "services": [], "objectives": {}, "networks": [], "norms": [],
    }
    seen: set[tuple] = set()
    objectives: dict[str, dict[str, Any]] = {}
    bodies: dict[str, dict[str, Any]] = {}
    for r in store.read(Q.PROFILE_EDGES, {"id": aid}):
        t, out, rel, m, label = r["type"], r["outgoing"], r["rel"] or {}, r["node"] or {}, r["label"]
        sig = (t, out, m.get("id"), rel.get("status"), rel.get("period"))
        if sig in seen:
            continue
        seen.add(sig)
        if t == "MEMBER_OF" and not out:
            profile["comuni"].append(_item(m, rel, "istat"))
        elif t == "CAPOFILA_OF" and not out:
            it = _item(m, rel, "kind", "acronym", "aliases")
            it.update({k: rel[k] for k in ("period", "since") if rel.get(k)})
            profile["capofila"].append(it)
        elif t == "PARTNER_OF" and out and label == "Organization":
            kind = m.get("kind") or "other"
            profile.setdefault(kind, []).append(_item(m, rel, "kind"))
        elif t == "PARTNER_OF" and label == "Ambito":
            profile["partner_ambiti"].append(_item(m, rel))
        elif t == "HAS_BODY" and out:
            bodies[m["id"]] = _item(m, rel, "type", "level", "composition", "functions", "aliases")
            bodies[m["id"]]["legal_basis"] = []
        elif t == "RUNS" and out:
            it = _item(m, rel, "type")
            it.update({"status": rel.get("status"), "period": rel.get("period")})
            profile["services"].append(it)
        elif t == "PURSUES" and out:
            objectives[m["id"]] = {**_item(m, rel, "period", "kind", "code", "macro_areas"), "indicators": []}
        elif t == "PARTICIPATES_IN" and out:
            profile["networks"].append(_item(m, rel, "type", "partners", "period"))
    for r in store.read(Q.PROFILE_LEGAL_BASIS, {"id": aid}):
        if r["body"] in bodies and r["norm"] not in [x["norm"] for x in bodies[r["body"]]["legal_basis"]]:
            bodies[r["body"]]["legal_basis"].append({"norm": r["norm"], "title": r.get("title"), "evidence": evidence(r["rel"] or {})})
    for r in store.read(Q.PROFILE_INDICATORS, {"id": aid}):
        if r["objective"] in objectives:
            ind = r["indicator"] or {}
            objectives[r["objective"]]["indicators"].append(
                {k: ind.get(k) for k in ("id", "name", "planned", "achieved", "period") if ind.get(k) is not None}
                | {"evidence": evidence(r["rel"] or {})})
    by_area: dict[str, list] = defaultdict(list)
    for o in sorted(objectives.values(), key=lambda o: (o["evidence"].get("doc", ""), o["evidence"].get("start", 0))):
        for area in o.get("macro_areas") or ["-"]:
            by_area[area].append(o)
    profile["objectives"] = dict(sorted(by_area.items()))
    profile["bodies"] = sorted(bodies.values(), key=lambda b: b["evidence"].get("start", 0))
    profile["services"].sort(key=lambda s: (s["name"] or "", s.get("period") or "", s["status"] or ""))
    profile["comuni"].sort(key=lambda c: c["name"] or "")
    docs = own_docs or [m["doc"] for m in mentions]
    sig_seen = set()
    for r in store.read(Q.PROFILE_SIGNATORIES, {"docs": docs}):
        p, rel = r["person"], r["rel"] or {}
        if p["id"] in sig_seen:
            continue
        sig_seen.add(p["id"])
        profile["signatories"].append({"id": p["id"], "name": p.get("name"), "role": rel.get("role"),
                                       "on_behalf_of": rel.get("on_behalf_of"), "evidence": evidence(rel)})
    profile["norms"] = store.read(Q.PROFILE_NORMS, {"docs": docs, "limit": norms})
    return profile
