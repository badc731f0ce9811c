"""Map a Document to the rows the store writes: nodes by label, edges by (type, source, target).

Shared identities (Norm, Ambito, ...) are merged by their deterministic id; every edge carries the
document that asserted it (``doc``) and its evidence (page, start, end, line, quote), so replacing
a document removes exactly what it said.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ingest.model import Chunk, Document
from ontology.labels import SHARED_LABELS, Label, Rel
from ontology.norms import Registry, load_registry


class NodeRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: Label
    id: str
    props: dict[str, Any] = Field(default_factory=dict)


class EdgeRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Rel
    src_label: Label
    src: str
    dst_label: Label
    dst: str
    key: str
    props: dict[str, Any] = Field(default_factory=dict)


class GraphPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc_id: str
    nodes: list[NodeRow]
    edges: list[EdgeRow]

    def nodes_by_label(self) -> dict[Label, list[dict[str, Any]]]:
        out: dict[Label, list[dict[str, Any]]] = defaultdict(list)
        for n in self.nodes:
            out[n.label].append({"id": n.id, "props": n.props})
        return out

    def edges_by_kind(self) -> dict[tuple[Rel, Label, Label], list[dict[str, Any]]]:
        out: dict[tuple[Rel, Label, Label], list[dict[str, Any]]] = defaultdict(list)
        for e in self.edges:
            out[(e.type, e.src_label, e.dst_label)].append({"src": e.src, "dst": e.dst, "key": e.key, "props": e.props})
        return out


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Drop None values and flatten anything the graph cannot store (maps, lists of maps)."""
    out: dict[str, Any] = {}
    for k, v in props.items():
        if v is None:
            continue
        if isinstance(v, dict):
            continue
        if isinstance(v, list | tuple):
            if any(isinstance(x, dict | list) for x in v):
                continue
            v = list(v)
        out[k] = v
    return out


def _registry_props(registry: Registry, norm_id: str) -> dict[str, Any]:
    """Norm properties from the registry of known acts (for norms reached without a citation)."""
    norm = registry.get(norm_id)
    if norm is None:
        return {}
    return _clean({"act_type": norm.act_type, "authority": norm.authority, "year": norm.year, "number": norm.number,
                   "date": norm.date, "legislature": norm.legislature, "urn": norm.urn, "title": norm.title})


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


# Properties of a fact that say how one document sees a shared node: written on that document's MENTIONS edge.
PER_DOCUMENT_PROPS = ("scope", "mentions", "lines", "comuni_count_stated", "comuni_count_listed", "comuni_count_matches")


class ChunkLocator:
    """Find the chunk that contains a raw-text offset."""

    def __init__(self, chunks: list[Chunk]):
        self.chunks = sorted(chunks, key=lambda c: c.start)
        self.starts = [c.start for c in self.chunks]

    def find(self, offset: int) -> Chunk | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.chunks[i].start <= offset < max(self.chunks[i].end, self.chunks[i].start + 1):
            return self.chunks[i]
        return None


def document_graph(doc: Document, vectors: dict[str, list[float]] | None = None) -> GraphPayload:
    """Nodes and edges for one document: Document, Sections, Chunks, Norms and CITES, entities and relations.

    Args:
        doc: an analysed Document.
        vectors: optional chunk embeddings by chunk id, stored on :Chunk nodes as ``embedding``.
    """
    vectors = vectors or {}
    nodes: list[NodeRow] = []
    edges: list[EdgeRow] = []
    did = doc.id

    nodes.append(
        NodeRow(
            label=Label.DOCUMENT,
            id=did,
            props=_clean(
                {
                    **{k: v for k, v in doc.metadata().items() if k != "id"},
                    "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            ),
        )
    )
    for s in doc.sections:
        nodes.append(
            NodeRow(
                label=Label.SECTION,
                id=s.id,
                props=_clean({"doc": did, "title": s.title, "kind": s.kind, "number": s.number, "level": s.level,
                              "start": s.start, "end": s.end, "page": s.page, "path": s.path}),
            )
        )
        edges.append(EdgeRow(type=Rel.HAS_SECTION, src_label=Label.DOCUMENT, src=did, dst_label=Label.SECTION,
                             dst=s.id, key=s.id, props={"doc": did}))
    prev: Chunk | None = None
    for c in doc.chunks:
        props = {"doc": did, "ordinal": c.ordinal, "text": c.text, "page": c.page, "section": c.section,
                 "start": c.start, "end": c.end, "sha": c.sha}
        if c.id in vectors:
            props["embedding"] = [float(x) for x in vectors[c.id]]
        nodes.append(NodeRow(label=Label.CHUNK, id=c.id, props=_clean(props)))
        edges.append(EdgeRow(type=Rel.HAS_CHUNK, src_label=Label.DOCUMENT, src=did, dst_label=Label.CHUNK,
                             dst=c.id, key=c.id, props={"doc": did, "ordinal": c.ordinal}))
        if prev is not None:
            edges.append(EdgeRow(type=Rel.NEXT, src_label=Label.CHUNK, src=prev.id, dst_label=Label.CHUNK,
                                 dst=c.id, key=c.id, props={"doc": did}))
        prev = c

    registry = load_registry()
    locate = ChunkLocator(doc.chunks)
    seen_norms: set[str] = set()
    for cit in doc.citations:
        if cit.norm_id not in seen_norms:
            seen_norms.add(cit.norm_id)
            nodes.append(
                NodeRow(
                    label=Label.NORM,
                    id=cit.norm_id,
                    props=_registry_props(registry, cit.norm_id) | _clean({"act_type": cit.act_type, "authority": cit.authority, "year": cit.year,
                                  "number": cit.number, "date": cit.date, "legislature": cit.legislature,
                                  "urn": cit.urn.split("~")[0],
                                  "normattiva": cit.normattiva.split("~")[0] if cit.normattiva else None,
                                  "title": cit.title}),
                )
            )
        key = f"{did}:{cit.prov.start}:{cit.prov.end}:{cit.norm_id}"
        props = _clean({**cit.prov.to_props(), "raw": cit.raw, "article": cit.article, "comma": cit.comma,
                        "letter": cit.letter, "alias": cit.alias, "flags": cit.flags,
                        "urn": cit.urn, "normattiva": cit.normattiva})
        chunk = locate.find(cit.prov.start)
        if chunk:
            props["chunk"] = chunk.id
            context = citation_context(chunk.text, chunk.start, cit.prov.start, cit.prov.end)
            if context is not None:  # the sentence around the citation, for the norm trace
                props["context"] = context
            edges.append(EdgeRow(type=Rel.MENTIONS, src_label=Label.CHUNK, src=chunk.id, dst_label=Label.NORM,
                                 dst=cit.norm_id, key=key, props={"doc": did}))
        edges.append(EdgeRow(type=Rel.CITES, src_label=Label.DOCUMENT, src=did, dst_label=Label.NORM,
                             dst=cit.norm_id, key=key, props=props))

    labels: dict[str, Label] = {nid: Label.NORM for nid in seen_norms}
    for ent in doc.entities:
        label = Label(ent.label)
        labels[ent.id] = label
        props = {**ent.props, "name": ent.name}
        # what one document says of a shared node belongs on its own edge, not on the node (last writer wins)
        per_document = {k: props.pop(k) for k in PER_DOCUMENT_PROPS if k in props}
        if label not in SHARED_LABELS:
            props["doc"] = did
        nodes.append(NodeRow(label=label, id=ent.id, props=_clean(props)))
        key = f"{did}:{ent.id}:{ent.prov.start}"
        edges.append(EdgeRow(type=Rel.MENTIONS, src_label=Label.DOCUMENT, src=did, dst_label=label, dst=ent.id,
                             key=key, props=_clean({**ent.prov.to_props(), **per_document})))
    for rel in doc.relations:
        if rel.type == Rel.AMENDS:  # both ends are norms, cited here or known to the registry
            for nid in (rel.src, rel.dst):
                if nid not in labels:
                    labels[nid] = Label.NORM
                    nodes.append(NodeRow(label=Label.NORM, id=nid, props=_registry_props(registry, nid)))
        src_label = Label.DOCUMENT if rel.src == did else labels.get(rel.src)
        dst_label = labels.get(rel.dst)
        if src_label is None or dst_label is None:
            continue  # an edge to an entity the document did not define: nothing to attach it to
        key = f"{did}:{rel.type}:{rel.src}:{rel.dst}:{rel.prov.start}"
        edges.append(EdgeRow(type=Rel(rel.type), src_label=src_label, src=rel.src, dst_label=dst_label,
                             dst=rel.dst, key=key, props=_clean({**rel.props, **rel.prov.to_props()})))
    # Deduplicate nodes by (label, id), merging properties in order.
    merged: dict[tuple[Label, str], NodeRow] = {}
    for n in nodes:
        k = (n.label, n.id)
        if k in merged:
            merged[k].props.update(n.props)
        else:
            merged[k] = n
    return GraphPayload(doc_id=did, nodes=list(merged.values()), edges=edges)
