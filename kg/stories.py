"""Answers to the user stories, read from the graph: one function per story, reused by CLI, API and UI."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from typing import Any

from ingest.citations import resolve_norm
from kg import queries as Q
from kg.catalog import WordIndex, catalog
from kg.graph import CONTEXT_CHARS, citation_context  # noqa: F401 - citation_context is part of this module's API
from kg.documents import NotFound
from kg.profiles import READS, ambito_profile, find_ambito
from kg.store import GraphStore
from ontology.errors import KgError
from ontology.model import STATUS_RANK, Norm, Provenance
from ontology.vocab import fold, load_vocab, words_key
from ontology.views import (
    AmbitoProfile,
    AmbitoSummary,
    AmbitoTimeline,
    CenterNode,
    ComparisonAspect,
    EntityMatch,
    GovernanceComparison,
    GraphEdge,
    Item,
    Neighbourhood,
    NodeRef,
    NormCitation,
    NormCount,
    NormDocument,
    NormLink,
    NormTrace,
    ServiceAnswer,
    ServiceHolder,
    StatusEvidence,
    StatusPeriod,
    TimelineRow,
)

class InvalidQuery(KgError):
    """A story was asked with arguments it cannot answer (say, a comparison of one Ambito)."""

def list_norms(store: GraphStore) -> list[NormCount]:
    """Every norm in the graph with how often, and by how many documents, it is cited."""
    return [NormCount(**r["norm"], citations=r["citations"], documents=r["documents"]) for r in store.read(Q.LIST_NORMS)]


def _norm(props: dict[str, Any]) -> Norm:
    return Norm(**{k: v for k, v in props.items() if k in Norm.model_fields and k != "label"})


def norm_trace(store: GraphStore, text: str) -> NormTrace:
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
    trace = NormTrace(query=text, norm_id=norm_id, norm=_norm(rows[0]["norm"]))
    by_doc: dict[str, NormDocument] = {}
    sources: dict[str, str | None] = {}
    lists = store.read(Q.NORM_CITATIONS, {"id": norm_id})
    pairs = list(zip(lists[0]["documents"], lists[0]["citations"], strict=True)) if lists else []
    # the context is computed at ingest (kg/graph.py); edges written before that read their chunk
    wanted = sorted({c["chunk"] for _, c in pairs if "context" not in c and c.get("chunk")})
    chunks = {k["id"]: k for k in store.read(Q.CHUNK_TEXTS, {"ids": wanted})} if wanted else {}
    for d, c in pairs:
        sources[d["id"]] = d.get("source")
        prov = Provenance.from_props(c, source=d.get("source"))
        if prov is None:
            continue
        item = NormCitation(raw=c.get("raw"), article=c.get("article"), comma=c.get("comma"), letter=c.get("letter"),
                            flags=c.get("flags") or [], evidence=prov,
                            context=c["context"] if "context" in c else citation_context(
                                (chunks.get(c.get("chunk")) or {}).get("text"), (chunks.get(c.get("chunk")) or {}).get("start"),
                                prov.start, prov.end))
        trace.citations.append(item)
        entry = by_doc.setdefault(d["id"], NormDocument(doc_id=d["id"], source=d.get("source"), kinds=d.get("kinds") or [],
                                                        period=d.get("period"), ambito=d.get("ambito")))
        entry.citations += 1
        if item.article and item.article not in entry.articles:
            entry.articles.append(item.article)
    trace.documents = list(by_doc.values())

    def links(query: str) -> list[NormLink]:
        out: dict[str, NormLink] = {}
        for r in store.read(query, {"id": norm_id}):
            link = out.setdefault(r["norm"]["id"], NormLink(**_norm(r["norm"]).model_dump()))
            prov = Provenance.from_props(r["rel"], source=sources.get((r["rel"] or {}).get("doc")))
            if prov is not None:
                link.evidence.append(prov)
        return list(out.values())

    trace.amends = links(Q.NORM_AMENDS)
    trace.amended_by = links(Q.NORM_AMENDED_BY)
    return trace


def neighbourhood(store: GraphStore, entity_id: str, limit: int = 100) -> Neighbourhood:
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
    node.pop("shared", None)  # bookkeeping of kg.store, not a fact
    center = CenterNode(id=entity_id, label=rows[0]["labels"][0],
                        name=str(node.get("name") or node.get("title") or node.get("source") or entity_id), properties=node)
    nodes: dict[str, NodeRef] = {entity_id: NodeRef(id=center.id, label=center.label, name=center.name)}
    edges: list[GraphEdge] = []
    for r in store.read(Q.NEIGHBOURS, {"id": entity_id, "limit": limit}):
        nodes.setdefault(r["id"], NodeRef(id=r["id"], label=r["label"], name=str(r["name"])))
        src, dst = (entity_id, r["id"]) if r["outgoing"] else (r["id"], entity_id)
        rel = r["rel"] or {}
        edges.append(GraphEdge(source=src, target=dst, type=r["type"], status=rel.get("status"), period=rel.get("period"),
                               evidence=Provenance.from_props(rel)))
    return Neighbourhood(entity=center, nodes=list(nodes.values()), edges=edges)


def _service_names(store: GraphStore) -> list[tuple[str, str]]:
    """(Service id, its folded names and aliases joined by " | ")."""
    return [(r["id"], " | ".join(fold(n) for n in [r["name"] or "", *(r.get("aliases") or [])]))
            for r in store.read(Q.SERVICE_NAMES)]


def _service_targets(store: GraphStore, text: str) -> tuple[list[str], list[str], list[str]]:
    """Vocabulary types and Service ids that a free-text service name designates, plus their labels."""
    vocab = load_vocab()
    folded = fold(text)
    concepts = {c.key: c.pref for _, _, c in vocab.matcher("services").finditer(text, folded)}
    ids: list[str] = []
    if not concepts:  # a free name: match Service nodes by name or alias
        words = [w for w in re.findall(r"[a-z0-9]+", folded) if len(w) > 2]
        for sid, names in catalog(store).table(store, "service_names", _service_names):
            if words and all(w in names for w in words):
                ids.append(sid)
    return list(concepts), ids, list(concepts.values())


def _status_order(p: StatusPeriod) -> tuple[str, int]:
    return (p.period or "", STATUS_RANK.get(p.status or "", 0))


def services(store: GraphStore, text: str) -> ServiceAnswer:
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
    groups: dict[tuple[str, str], ServiceHolder] = {}
    for r in store.read(Q.SERVICES_BY_TYPE, {"types": types, "ids": ids}):
        key = (r["owner_id"], r["service"]["id"])
        g = groups.setdefault(key, ServiceHolder(ambito_id=r["owner_id"], ambito=r["owner"], owner_label=r["owner_label"],
                                                 service_id=r["service"]["id"], service=r["service"]["name"]))
        rel = r["rel"]
        pair = StatusPeriod(status=rel.get("status"), period=rel.get("period"))
        if pair not in g.statuses:
            g.statuses.append(pair)
        prov = Provenance.from_props(rel, source=r["source"])
        if prov is not None:
            g.evidence.append(StatusEvidence(**prov.model_dump(), status=pair.status, period=pair.period))
    rows = []
    for g in groups.values():
        known = [p for p in g.statuses if p.status != "mentioned"] or g.statuses
        latest = max(known, key=_status_order)
        g.status, g.period = latest.status, latest.period
        g.statuses.sort(key=_status_order)
        rows.append(g)
    return ServiceAnswer(query=text, service_types=types, service_labels=labels,
                         ambiti=[g for g in rows if g.owner_label == "Ambito"],
                         elsewhere=[g for g in rows if g.owner_label != "Ambito"])


GENERIC_HEAD = re.compile(r"^(?:ambito|distretto|piano di zona)(?: (?:territoriale|distrettuale|sociale|zonale))?"
                          r"(?: (?:di|del|della|dell|dei|degli))? ")


class _EntityNames:
    """The named entities with the folded key of each form (name, aliases, id) and a word index."""

    def __init__(self, rows: list[dict[str, Any]]):
        self.rows = rows
        self.forms: list[list[tuple[int, str, str, str]]] = []
        for r in rows:
            forms = []
            for rank, form in enumerate([r["name"] or "", *(r.get("aliases") or []), r["id"]]):
                key = words_key(str(form))
                if key:
                    forms.append((rank, str(form), key, GENERIC_HEAD.sub("", key)))
            self.forms.append(forms)
        self.index = WordIndex([k for _, _, k, _ in forms] for forms in self.forms)
        self.by_id: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            self.by_id.setdefault(r["id"], []).append(i)


def _entity_names(store: GraphStore) -> _EntityNames:
    return _EntityNames(store.read(Q.ENTITY_NAMES))


def find_entities(store: GraphStore, text: str, limit: int = 20) -> list[EntityMatch]:
    """Entities (Ambiti, comuni, organisations, people, bodies, services, networks, objectives, norms)
    whose name or an alias matches ``text``, best first: exact, then prefix, then every word found.

    Only the entities sharing the text's words are scored (``kg.catalog``: the names are read once
    per graph revision).

    Args:
        store: the graph store.
        text: a name as people write it ("Oglio Po", "ufficio di piano", "L.R. 3/2008").
        limit: most matches returned.
    """
    want = words_key(text)
    if not want:
        return []
    norm_id = resolve_norm(text)
    words = want.split()
    names = catalog(store).table(store, "entity_names", _entity_names)
    rows = names.index.candidates(want) | set(names.by_id.get(norm_id or "", []))
    scored: dict[str, EntityMatch] = {}
    for i in sorted(rows):
        r = names.rows[i]
        best = 0.0
        matched = ""
        for rank, form, key, bare in names.forms[i]:
            score = (3.0 if want in (key, bare) else 2.0 if key.startswith(want) or f" {want}" in f" {key}"
                     else 1.0 if all(w in key.split() for w in words) else 0.0)
            score -= 0.5 * bool(rank) * bool(score)  # a match on the name beats one on an alias
            if r["id"] == norm_id:
                score = 4.0
            if score > best:
                best, matched = score, form
        if best:
            # shorter names first among equals: "Oglio Po" the Ambito before "Piano di Zona Oglio Po"
            m = EntityMatch(id=r["id"], label=r["label"], name=str(r["name"]), matched=matched,
                            score=best - len(str(r["name"])) / 1000)
            if r["id"] not in scored or scored[r["id"]].score < m.score:
                scored[r["id"]] = m
    return sorted(scored.values(), key=lambda m: (-m.score, m.name))[:limit]


def ambito_timeline(store: GraphStore, name: str) -> AmbitoTimeline:
    """One Ambito across programming periods: which bodies and services the documents of each period
    name, with the status of each service, and what appeared or ended from one period to the next.

    Args:
        store: the graph store.
        name: the Ambito's id, name or alias.

    Raises:
        AmbitoNotFound: no such Ambito.
    """
    aid = find_ambito(store, name)
    reads = {q: READS.submit(store.read, q, {"id": aid}) for q in (Q.PROFILE_AMBITO, Q.PROFILE_MENTIONS, Q.AMBITO_TIMELINE)}
    node = reads[Q.PROFILE_AMBITO].result()[0]["ambito"]
    mentions = reads[Q.PROFILE_MENTIONS].result()
    doc_period = {m["doc"]: m.get("period") for m in mentions}
    sources = {m["doc"]: m["source"] for m in mentions}
    out = AmbitoTimeline(id=aid, name=node.get("name"))
    for m in sorted(mentions, key=lambda m: m["source"] or ""):
        if m.get("period"):
            out.documents.setdefault(m["period"], [])
            if m["source"] not in out.documents[m["period"]]:
                out.documents[m["period"]].append(m["source"])
    rows: dict[tuple[str, str], TimelineRow] = {}
    for r in reads[Q.AMBITO_TIMELINE].result():
        rel, n = r["rel"] or {}, r["node"] or {}
        period = rel.get("period") or doc_period.get(rel.get("doc"))
        if not period:
            continue
        kind = "body" if r["type"] == "HAS_BODY" else "service"
        row = rows.setdefault((kind, n["id"]), TimelineRow(id=n["id"], name=n.get("name"), type=n.get("type")))
        value = "presente" if kind == "body" else (rel.get("status") or "mentioned")
        old = row.by_period.get(period)
        if old is None or STATUS_RANK.get(value, 0) > STATUS_RANK.get(old, 0):
            row.by_period[period] = value
            prov = Provenance.from_props(rel, source=sources.get(rel.get("doc")))
            if prov is not None:
                row.evidence[period] = prov
    periods = sorted({p for row in rows.values() for p in row.by_period} | set(out.documents))
    out.periods = periods
    for (kind, _), row in sorted(rows.items(), key=lambda kv: (kv[1].name or "")):
        seen = [p for p in periods if p in row.by_period]
        if seen and any(p < seen[0] and out.documents.get(p) for p in periods):  # an earlier plan did not name it
            row.appeared = seen[0]
        after = [p for p in periods if p > seen[-1]] if seen else []
        concluded = [p for p in seen if row.by_period[p] == "concluded"]
        row.ended = concluded[0] if concluded else (after[0] if after and out.documents.get(after[0]) else None)
        (out.bodies if kind == "body" else out.services).append(row)
    return out


def list_ambiti(store: GraphStore) -> list[AmbitoSummary]:
    """Every Ambito with its number of member comuni and the documents that mention it."""
    return [AmbitoSummary(**{k: v for k, v in r.items() if v is not None}) for r in store.read(Q.LIST_AMBITI)]


DETAIL_IT = {"composition": "composizione", "functions": "funzioni"}


def _text(value: Any) -> str:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _cell(items: list[Item], *detail_keys: str) -> str:
    """One table cell: each item's name with its details in Italian, items separated by " | "."""
    parts = []
    for it in items:
        text = it.name or ""
        details = [f"{DETAIL_IT.get(k, k)}: {_text(getattr(it, k))}" for k in detail_keys if getattr(it, k)]
        if it.legal_basis:
            details.append("base normativa: " + ", ".join(lb.norm for lb in it.legal_basis))
        parts.append(text + (f" ({'; '.join(details)})" if details else ""))
    return " | ".join(parts) if parts else "—"


def compare_governance(store: GraphStore, names: list[str]) -> GovernanceComparison:
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
    if len(names) < 2:
        raise InvalidQuery(f"compare needs two or more Ambiti, got {len(names)}: separate them with commas")
    with ThreadPoolExecutor(max_workers=min(len(names), 4), thread_name_prefix="pdz-compare") as pool:
        profiles = list(pool.map(lambda n: ambito_profile(store, n), names))  # raises for the first bad name
    cols = [p.name or p.id for p in profiles]
    aspects: list[tuple[str, Callable[[AmbitoProfile], list[Item]]]] = [
        ("Ente capofila", lambda p: p.capofila),
        ("ATS", lambda p: p.ats),
        ("ASST", lambda p: p.asst),
        ("Città Metropolitana", lambda p: p.citta_metropolitana),
        ("Comuni", lambda p: p.comuni),
    ]
    body_types = [(c.key, c.pref) for c in load_vocab().scheme("bodies")]
    known = {k for k, _ in body_types}
    present = {b.type for p in profiles for b in p.bodies}
    for key, pref in body_types:
        if key in present:
            aspects.append((pref, lambda p, key=key: [b for b in p.bodies if b.type == key]))
    if any(b.type not in known for p in profiles for b in p.bodies):
        aspects.append(("Altri organi", lambda p: [b for b in p.bodies if b.type not in known]))
    out = GovernanceComparison(ambiti=cols, ids=[p.id for p in profiles])
    for label, pick in aspects:
        row: dict[str, str] = {"Aspetto": label}
        cell = ComparisonAspect(aspect=label)
        for p, col in zip(profiles, cols, strict=True):
            items = pick(p)
            if label == "Comuni":
                row[col] = f"{len(items)}: " + ", ".join(i.name or "" for i in items) if items else "—"
            else:
                row[col] = _cell(items, "composition", "functions")
            cell.values[col] = items
        out.rows.append(row)
        out.cells.append(cell)
    return out
