"""A comune's story: the Ambiti it belongs to, for which programming periods, on what evidence.

``comune_story(store, name)`` accepts any written form of a comune ("SAN ZENONE AL LAMBRO",
"Vizzolo-Predabissi", "Azzano S.Paolo", an ISTAT code) and answers from the MEMBER_OF edges the
extractors wrote (ingest/entities_actors.py), one entry per Ambito with its periods and quotes.
"""

from __future__ import annotations

import re
from ingest.entities_places import gazetteer, key, lookup_comune
from kg import queries as Q
from kg.catalog import catalog
from kg.documents import NotFound
from kg.store import GraphStore
from ontology.model import Provenance
from ontology.views import ComuneMembership, ComuneStory, PeriodEvidence


class ComuneNotFound(NotFound):
    """No comune of the graph matches the given name or ISTAT code."""


def _comune_forms(store: GraphStore) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The graph's comuni by the key of each written form and by ISTAT code (read once per graph revision)."""
    by_key: dict[str, list[str]] = {}
    by_istat: dict[str, list[str]] = {}
    for r in store.read(Q.COMUNI_ALL):
        for k in {key(f) for f in [r.get("name") or "", *(r.get("aliases") or [])]}:
            by_key.setdefault(k, []).append(r["id"])
        if r.get("istat"):
            by_istat.setdefault(r["istat"], []).append(r["id"])
    return by_key, by_istat


def find_comune(store: GraphStore, name: str) -> str:
    """The id of the graph's Comune that ``name`` stands for: an ISTAT code, the ISTAT name in any
    case, accent, apostrophe or hyphen form, or a surface form read in a document.

    Raises:
        ComuneNotFound: nothing matches.
    """
    name = name.strip()
    by_key, by_istat = catalog(store).table(store, "comune_forms", _comune_forms)
    if re.fullmatch(r"\d{6}", name):
        hits = list(by_istat.get(name, ()))
    else:
        rec = lookup_comune(name)
        hits = [*by_key.get(key(name), ()), *(by_istat.get(rec.code, ()) if rec is not None and rec.code else ())]
    if not hits:
        raise ComuneNotFound(f"no comune in the graph matches {name!r}")
    return sorted(set(hits))[0]


def comune_story(store: GraphStore, name: str) -> ComuneStory:
    """The Ambiti a comune belongs to, with the periods and the evidence of each membership.

    Raises:
        ComuneNotFound: no comune of the graph matches ``name``.
    """
    cid = find_comune(store, name)
    node = (store.read(Q.COMUNE_NODE, {"id": cid}) or [{"comune": {"id": cid}}])[0]["comune"]
    rec = None
    for r in gazetteer().get(key(node.get("name") or ""), ()):
        if not node.get("istat") or r.code == node.get("istat"):
            rec = r
            break
    ambiti: dict[str, ComuneMembership] = {}
    for row in store.read(Q.COMUNE_AMBITI, {"id": cid}):
        rel = row.get("rel") or {}
        a = ambiti.setdefault(row["ambito_id"], ComuneMembership(id=row["ambito_id"], name=row.get("ambito")))
        period = rel.get("period") or row.get("doc_period")
        if period and period not in a.periods:
            a.periods.append(period)
        prov = Provenance.from_props(rel, source=row.get("source"))
        if prov is not None:
            a.evidence.append(PeriodEvidence(**prov.model_dump(), period=period))
    for a in ambiti.values():
        a.periods.sort()
    return ComuneStory(
        id=cid,
        name=node.get("name"),
        istat=node.get("istat"),
        province=rec.province if rec else None,
        region=rec.region if rec else None,
        historical_names=node.get("historical_names") or [],
        ambiti=sorted(ambiti.values(), key=lambda a: (a.name or "", a.id)),
    )
