"""A comune's story: the Ambiti it belongs to, for which programming periods, on what evidence.

``comune_story(store, name)`` accepts any written form of a comune ("SAN ZENONE AL LAMBRO",
"Vizzolo-Predabissi", "Azzano S.Paolo", an ISTAT code) and answers from the MEMBER_OF edges the
extractors wrote (ingest/entities_actors.py), one entry per Ambito with its periods and quotes.
"""

from __future__ import annotations

import re
from ingest.entities_places import gazetteer, key, lookup_comune
from kg import queries as Q
from kg.documents import NotFound
from kg.store import GraphStore
from ontology.model import Provenance
from ontology.views import ComuneMembership, ComuneStory, PeriodEvidence


class ComuneNotFound(NotFound):
    """No comune of the graph matches the given name or ISTAT code."""


def find_comune(store: GraphStore, name: str) -> str:
    """The id of the graph's Comune that ``name`` stands for: an ISTAT code, the ISTAT name in any
    case, accent, apostrophe or hyphen form, or a surface form read in a document.

    Raises:
        ComuneNotFound: nothing matches.
    """
    name = name.strip()
    rows = store.read(Q.COMUNI_ALL)
    if re.fullmatch(r"\d{6}", name):
        hits = [r["id"] for r in rows if r.get("istat") == name]
    else:
        want = key(name)
        rec = lookup_comune(name)
        hits = [r["id"] for r in rows
                if want in {key(f) for f in [r.get("name") or "", *(r.get("aliases") or [])]}
                or (rec is not None and rec.code and r.get("istat") == rec.code)]
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
