"""The profile of an Ambito: comuni (ISTAT), capofila, ATS/ASST, signatories, bodies, services with
status, objectives by macro-area, networks and most cited norms - every item with its evidence."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from collections import defaultdict
from typing import Any

from ingest.entities_ambito import ambito_key
from kg import queries as Q
from kg.catalog import catalog
from kg.documents import NotFound
from kg.store import GraphStore
from ontology.model import Provenance
from ontology.vocab import slug, words_key
from ontology.views import (
    AmbitoProfile,
    IndicatorItem,
    Item,
    LegalBasis,
    NormUse,
    ObjectiveItem,
    ProfileDocument,
    Signatory,
)


# Leaf reads of a profile run on these threads (a task here never waits on another task here).
READS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="pdz-profile-read")


class AmbitoNotFound(NotFound):
    """No Ambito matches the given id, name or alias."""


def _ambito_forms(store: GraphStore) -> list[tuple[str, set[str], set[str]]]:
    """Every Ambito as (id, the keys of its forms, its identity keys), read once per graph revision."""
    out = []
    for r in store.read(Q.PROFILE_AMBITI):
        forms = [r["id"], r["id"].removeprefix("ambito:"), r.get("name") or "", *(r.get("aliases") or [])]
        keys = {words_key(f) for f in forms}
        keys |= {k.removeprefix("ambito di ").removeprefix("ambito ") for k in keys}
        identity = set(r.get("alias_keys") or []) | {ambito_key(f) for f in forms[2:]}
        out.append((r["id"], keys, identity))
    return out


def find_ambito(store: GraphStore, name: str) -> str:
    """The id of the Ambito named ``name``, in any form a text uses: its id, name or an alias, any case
    or accents, with or without the head words ("Ambito territoriale di", "Distretto"), or a territorial
    adjective ("Magentino"); a unique partial match ("sud est milano") is accepted.

    Raises:
        AmbitoNotFound: nothing (or more than one Ambito) matches.
    """
    rows = catalog(store).table(store, "ambito_forms", _ambito_forms)
    want, want_key = words_key(name), ambito_key(name)
    exact, partial = [], []
    for aid, keys, identity in rows:
        if want in keys or (want_key and want_key in identity):
            exact.append(aid)
        elif any(want and want in k for k in keys):
            partial.append(aid)
    hits = exact or partial
    if len(set(hits)) == 1:
        return hits[0]
    known = ", ".join(sorted(aid for aid, _, _ in rows)) or "none"
    if not hits:
        raise AmbitoNotFound(f"no Ambito matches {name!r} (known: {known})")
    raise AmbitoNotFound(f"{name!r} is ambiguous: {', '.join(sorted(set(hits)))}")


ITEM_FIELDS = frozenset(Item.model_fields) - {"id", "name", "evidence", "legal_basis"}


def _item(node: dict[str, Any], evidence: Provenance | None, **extra: Any) -> Item:
    """A profile item from a node, with the evidence of the edge that links it."""
    fields = {k: v for k, v in node.items() if k in ITEM_FIELDS and v not in (None, [], "")}
    fields.update({k: v for k, v in extra.items() if v not in (None, [], "")})
    return Item(id=node.get("id"), name=node.get("name"), evidence=evidence, **fields)


def ambito_profile(store: GraphStore, name: str, *, norms: int = 10) -> AmbitoProfile:
    """Everything the graph knows about one Ambito, each item with evidence.

    Args:
        store: an open GraphStore.
        name: the Ambito's id, name or alias.
        norms: how many most-cited norms to list.

    Raises:
        AmbitoNotFound: no such Ambito.
    """
    aid = find_ambito(store, name)
    # the reads that need only the id run side by side (each a short indexed read: the time is round trips)
    reads = {q: READS.submit(store.read, q, {"id": aid})
             for q in (Q.PROFILE_AMBITO, Q.PROFILE_MENTIONS, Q.PROFILE_EDGES, Q.PROFILE_LEGAL_BASIS, Q.PROFILE_INDICATORS)}
    node = reads[Q.PROFILE_AMBITO].result()[0]["ambito"]
    mentions = reads[Q.PROFILE_MENTIONS].result()
    sources = {m["doc"]: m["source"] for m in mentions}
    own_docs = sorted({m["doc"] for m in mentions
                       if (m.get("rel") or {}).get("scope") == "own"
                       or (m.get("ambito") and "ambito:" + slug(m["ambito"]) == aid)})
    profile = AmbitoProfile(
        id=aid,
        name=node.get("name"),
        aliases=node.get("aliases") or [],
        documents=[ProfileDocument(id=m["doc"], source=m["source"], period=m.get("period"), own=m["doc"] in own_docs)
                   for m in sorted(mentions, key=lambda m: m["doc"])],
        evidence=[p for m in mentions if (p := Provenance.from_props(m["rel"], source=m["source"]))][:5],
    )
    def evidence(rel: dict[str, Any] | None) -> Provenance | None:
        """An edge's evidence, with the file name of its document."""
        return Provenance.from_props(rel, source=sources.get((rel or {}).get("doc")))

    seen: set[tuple] = set()
    objectives: dict[str, ObjectiveItem] = {}
    bodies: dict[str, Item] = {}
    for r in reads[Q.PROFILE_EDGES].result():
        t, out, rel, m, label = r["type"], r["outgoing"], r["rel"] or {}, r["node"] or {}, r["label"]
        sig = (t, out, m.get("id"), rel.get("status"), rel.get("period"))
        if sig in seen:
            continue
        seen.add(sig)
        ev = evidence(rel)
        if t == "MEMBER_OF" and not out:
            profile.comuni.append(_item(m, ev))
        elif t == "CAPOFILA_OF" and not out:
            profile.capofila.append(_item(m, ev, period=rel.get("period"), since=rel.get("since")))
        elif t == "PARTNER_OF" and out and label == "Organization":
            kind = m.get("kind") or "other"
            target = {"ats": profile.ats, "asst": profile.asst, "citta_metropolitana": profile.citta_metropolitana}
            target.get(kind, profile.organizations).append(_item(m, ev))
        elif t == "PARTNER_OF" and label == "Ambito":
            profile.partner_ambiti.append(_item(m, ev))
        elif t == "HAS_BODY" and out:
            bodies[m["id"]] = _item(m, ev)
        elif t == "RUNS" and out:
            profile.services.append(_item(m, ev, status=rel.get("status"), period=rel.get("period")))
        elif t == "PURSUES" and out:
            objectives[m["id"]] = ObjectiveItem(
                id=m.get("id"), name=m.get("name"), period=m.get("period"), kind=m.get("kind"), code=m.get("code"),
                macro_areas=m.get("macro_areas") or [], evidence=ev)
        elif t == "PARTICIPATES_IN" and out:
            profile.networks.append(_item(m, ev))
    for r in reads[Q.PROFILE_LEGAL_BASIS].result():
        body = bodies.get(r["body"])
        if body is not None and r["norm"] not in [x.norm for x in body.legal_basis]:
            body.legal_basis.append(LegalBasis(norm=r["norm"], title=r.get("title"), evidence=evidence(r["rel"])))
    for r in reads[Q.PROFILE_INDICATORS].result():
        if r["objective"] in objectives:
            ind = r["indicator"] or {}
            objectives[r["objective"]].indicators.append(IndicatorItem(
                id=ind.get("id"), name=ind.get("name"), planned=ind.get("planned"), achieved=ind.get("achieved"),
                period=ind.get("period"), evidence=evidence(r["rel"])))

    def position(x: Item | ObjectiveItem) -> tuple[str, int]:
        return (x.evidence.doc_id, x.evidence.start) if x.evidence else ("", 0)

    by_area: dict[str, list[ObjectiveItem]] = defaultdict(list)
    for o in sorted(objectives.values(), key=position):
        for area in o.macro_areas or ["-"]:
            by_area[area].append(o)
    profile.objectives = dict(sorted(by_area.items()))
    profile.bodies = sorted(bodies.values(), key=lambda b: position(b)[1])
    profile.services.sort(key=lambda s: (s.name or "", s.period or "", s.status or ""))
    profile.comuni.sort(key=lambda c: c.name or "")
    docs = own_docs or [m["doc"] for m in mentions]
    norm_rows = READS.submit(store.read, Q.PROFILE_NORMS, {"docs": docs, "limit": norms})
    sig_seen = set()
    for r in store.read(Q.PROFILE_SIGNATORIES, {"docs": docs}):
        p, rel = r["person"], r["rel"] or {}
        if p["id"] in sig_seen:
            continue
        sig_seen.add(p["id"])
        profile.signatories.append(Signatory(id=p["id"], name=p.get("name"), role=rel.get("role"),
                                             on_behalf_of=rel.get("on_behalf_of"), evidence=evidence(rel)))
    profile.norms = [NormUse(**r) for r in norm_rows.result()]
    return profile
