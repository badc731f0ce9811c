"""Typed views: the answers kg and search return, the API sends and the Streamlit app renders.

One model per answer: ``NormTrace``, ``AmbitoProfile``, ``ServiceAnswer``, ``GovernanceComparison``,
``SearchHit`` and the router's ``Answer``, plus the small items they are made of. Evidence is always
a ``Provenance`` (``ontology.model``), with ``source`` (the file name) filled in for display. The
in-process app and ``ui.backend.ApiBackend`` (which parses JSON into these) render the same objects.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import Field

from ontology.model import Model, Norm, Provenance

T = TypeVar("T")


# -- documents ------------------------------------------------------------------------------------


class DocumentInfo(Model):
    """A document's metadata as stored in the graph."""

    id: str
    source: str | None = None
    path: str | None = None
    sha256: str | None = None
    mimetype: str | None = None
    size: int | None = None
    title: str | None = None
    kinds: list[str] = Field(default_factory=list)
    period: str | None = None
    ambito: str | None = None
    region: str | None = None
    pages: int | None = None
    chunks: int | None = None
    chars: int | None = None
    ocr_repairs: int | None = None
    ingested_at: str | None = None


class SectionInfo(Model):
    """A section of a document (article, chapter, heading) with its offsets."""

    id: str
    title: str | None = None
    kind: str | None = None
    number: str | None = None
    level: int | None = None
    start: int
    end: int
    page: int | None = None
    path: list[str] = Field(default_factory=list)


class DocumentDetail(DocumentInfo):
    """A document's metadata and its sections."""

    sections: list[SectionInfo] = Field(default_factory=list)

    def section_path(self, offset: int) -> list[str]:
        """Titles of the sections holding a raw offset, outermost first (article, comma...)."""
        holding = [s for s in self.sections if s.start <= offset < s.end]
        if not holding:
            return []
        inner = max(holding, key=lambda s: (s.level or 0, s.start))
        return inner.path or [inner.title or ""]


class DocumentText(Model):
    """The raw text of a document, or a span [start, end) of it."""

    doc_id: str
    source: str | None = None
    start: int
    end: int
    chars: int
    text: str
    pages: list[int] = Field(default_factory=list)


# -- norms ----------------------------------------------------------------------------------------


class NormCount(Norm):
    """A norm with how often, and by how many documents, it is cited."""

    citations: int = 0
    documents: int = 0


class NormCitation(Model):
    """One citation of a norm: the words, the article, the sentence around it, and where."""

    raw: str | None = None
    article: str | None = None
    comma: str | None = None
    letter: str | None = None
    flags: list[str] = Field(default_factory=list)
    context: str | None = None
    evidence: Provenance


class NormDocument(Model):
    """A document citing a norm: how often and which articles."""

    doc_id: str
    source: str | None = None
    kinds: list[str] = Field(default_factory=list)
    period: str | None = None
    ambito: str | None = None
    citations: int = 0
    articles: list[str] = Field(default_factory=list)


class NormLink(Norm):
    """A norm at the other end of an AMENDS edge, with the evidence of the link."""

    evidence: list[Provenance] = Field(default_factory=list)


class NormTrace(Model):
    """Which documents cite a norm, which articles, in what words; AMENDS both ways."""

    query: str
    norm_id: str
    norm: Norm
    documents: list[NormDocument] = Field(default_factory=list)
    citations: list[NormCitation] = Field(default_factory=list)
    amends: list[NormLink] = Field(default_factory=list)
    amended_by: list[NormLink] = Field(default_factory=list)


# -- Ambiti -----------------------------------------------------------------------------------------


class AmbitoSummary(Model):
    """An Ambito in the list: its number of member comuni and the documents that mention it."""

    id: str
    name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    comuni: int = 0
    documents: list[str] = Field(default_factory=list)


class ProfileDocument(Model):
    """A document that mentions the Ambito; ``own`` when it is the Ambito's own document."""

    id: str
    source: str | None = None
    period: str | None = None
    own: bool = False


class Item(Model):
    """A fact listed in a profile: the node's id and name, what the text says of it, and its evidence."""

    id: str | None = None
    name: str | None = None
    evidence: Provenance | None = None
    aliases: list[str] = Field(default_factory=list)
    # Comune
    istat: str | None = None
    # Organization
    kind: str | None = None
    acronym: str | None = None
    period: str | None = None
    since: str | None = None
    # GovernanceBody, Service, Network
    type: str | None = None
    level: str | None = None
    composition: str | None = None
    functions: list[str] = Field(default_factory=list)
    legal_basis: list[LegalBasis] = Field(default_factory=list)
    status: str | None = None
    partners: list[str] = Field(default_factory=list)


class LegalBasis(Model):
    """A norm a governance body is founded on, with the evidence."""

    norm: str
    title: str | None = None
    evidence: Provenance | None = None


class IndicatorItem(Model):
    id: str | None = None
    name: str | None = None
    planned: str | None = None
    achieved: str | None = None
    period: str | None = None
    evidence: Provenance | None = None


class ObjectiveItem(Model):
    id: str | None = None
    name: str | None = None
    period: str | None = None
    kind: str | None = None
    code: str | None = None
    macro_areas: list[str] = Field(default_factory=list)
    indicators: list[IndicatorItem] = Field(default_factory=list)
    evidence: Provenance | None = None


class Signatory(Model):
    id: str
    name: str | None = None
    role: str | None = None
    on_behalf_of: str | None = None
    evidence: Provenance | None = None


class NormUse(Model):
    """A norm most cited by the Ambito's documents."""

    id: str
    title: str | None = None
    citations: int = 0


class AmbitoProfile(Model):
    """Everything the graph knows about one Ambito, each item with its evidence."""

    id: str
    name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    documents: list[ProfileDocument] = Field(default_factory=list)
    evidence: list[Provenance] = Field(default_factory=list)
    comuni: list[Item] = Field(default_factory=list)
    capofila: list[Item] = Field(default_factory=list)
    ats: list[Item] = Field(default_factory=list)
    asst: list[Item] = Field(default_factory=list)
    citta_metropolitana: list[Item] = Field(default_factory=list)
    organizations: list[Item] = Field(default_factory=list)  # other partner organisations, by kind
    partner_ambiti: list[Item] = Field(default_factory=list)
    signatories: list[Signatory] = Field(default_factory=list)
    bodies: list[Item] = Field(default_factory=list)
    services: list[Item] = Field(default_factory=list)
    objectives: dict[str, list[ObjectiveItem]] = Field(default_factory=dict)
    networks: list[Item] = Field(default_factory=list)
    norms: list[NormUse] = Field(default_factory=list)


# -- services ---------------------------------------------------------------------------------------


class StatusPeriod(Model):
    status: str | None = None
    period: str | None = None


class StatusEvidence(Provenance):
    """Evidence of a RUNS edge: where, and the status and period the text gives."""

    status: str | None = None
    period: str | None = None


class ServiceHolder(Model):
    """One Ambito (or comune) and one service it runs or plans: latest status and the whole history."""

    ambito_id: str
    ambito: str | None = None
    owner_label: str
    service_id: str
    service: str | None = None
    status: str | None = None
    period: str | None = None
    statuses: list[StatusPeriod] = Field(default_factory=list)
    evidence: list[StatusEvidence] = Field(default_factory=list)


class ServiceAnswer(Model):
    """Who runs or plans a service; services of other territories named in a document are apart."""

    query: str
    service_types: list[str] = Field(default_factory=list)
    service_labels: list[str] = Field(default_factory=list)
    ambiti: list[ServiceHolder] = Field(default_factory=list)
    elsewhere: list[ServiceHolder] = Field(default_factory=list)


# -- governance comparison --------------------------------------------------------------------------


class ComparisonAspect(Model):
    """One aspect (capofila, a body type...) with the items of every Ambito compared."""

    aspect: str
    values: dict[str, list[Item]] = Field(default_factory=dict)


class GovernanceComparison(Model):
    """Governance of two or more Ambiti side by side.

    ``rows`` is the flat table (one row per aspect, a column per Ambito: the CSV form); ``cells``
    the same grid with items and evidence.
    """

    ambiti: list[str]
    ids: list[str]
    rows: list[dict[str, str]] = Field(default_factory=list)
    cells: list[ComparisonAspect] = Field(default_factory=list)


# -- graph neighbourhood ----------------------------------------------------------------------------


class NodeRef(Model):
    id: str
    label: str
    name: str


class CenterNode(NodeRef):
    properties: dict[str, Any] = Field(default_factory=dict)


class GraphEdge(Model):
    source: str
    target: str
    type: str
    status: str | None = None
    period: str | None = None
    evidence: Provenance | None = None


class Neighbourhood(Model):
    """An entity and its direct neighbours (chunks and sections left out), with each edge's evidence."""

    entity: CenterNode
    nodes: list[NodeRef] = Field(default_factory=list)
    edges: list[GraphEdge] = Field(default_factory=list)


# -- search -----------------------------------------------------------------------------------------


class SearchFilters(Model):
    """Restrict a search. Every given filter must hold (AND); text filters ignore case and accents.

    ``ambito`` matches the document's Ambito under any of its names (aliases), its title or file
    name; ``comune`` a comune member of the document's Ambito, or named in the passage; ``kind`` a
    document kind (``piano_di_zona``...); ``period`` a period ("2021-2023") or a year it overlaps;
    ``macro_area`` a policy macro-area letter of an objective the chunk mentions; ``norm`` a norm the
    passage cites, in any written form ("L.R. 3/2008") or as an id; ``service`` a service type the
    passage names (a notation of the services vocabulary, ``pua``, or any of its labels); ``doc``
    a document id or file name.
    """

    ambito: str | None = None
    comune: str | None = None
    kind: str | None = None
    period: str | None = None
    macro_area: str | None = None
    norm: str | None = None
    service: str | None = None
    doc: str | None = None


class EntityRef(Model):
    """An entity whose evidence span overlaps a chunk."""

    id: str
    label: str
    name: str


class SearchHit(Model):
    """One passage found: where it is (``evidence``), why it matched, and what it mentions."""

    rank: int
    score: float
    mode: str
    chunk_id: str
    evidence: Provenance
    title: str | None = None
    ambito: str | None = None
    kinds: list[str] = Field(default_factory=list)
    period: str | None = None
    snippet: str
    highlights: list[tuple[int, int]] = Field(default_factory=list)  # raw-text offsets
    text: str
    norms: list[str] = Field(default_factory=list)
    entities: list[EntityRef] = Field(default_factory=list)
    dense_score: float | None = None
    bm25_score: float | None = None
    relevance: float | None = None  # 0..1; below search.ranking.RELEVANCE_FLOOR nothing is returned
    duplicates: list[Provenance] = Field(default_factory=list)  # near-identical passages folded into this one


class SearchResults(Model):
    query: str
    mode: str
    results: list[SearchHit] = Field(default_factory=list)


# -- the question router ----------------------------------------------------------------------------


class Answer(Model):
    """The router's answer: from the graph when an intent fits (``path`` "graph"), else passages.

    Exactly one of the typed parts is filled for a graph answer: ``services``, ``norm``,
    ``comparison`` or ``profiles`` (one, or several when the question names several Ambiti).
    """

    question: str
    intent: str
    path: str
    summary: str = ""
    services: ServiceAnswer | None = None
    norm: NormTrace | None = None
    comparison: GovernanceComparison | None = None
    profiles: list[AmbitoProfile] = Field(default_factory=list)
    results: list[SearchHit] = Field(default_factory=list)


Item.model_rebuild()


# -- the API's envelopes ------------------------------------------------------------------------------


class Health(Model):
    """Liveness, the graph's size and how far the semantic index got (``vectors`` of ``vectors_total``
    distinct passage texts have their embedding; dense/hybrid search ranks those, BM25 all)."""

    status: str = "ok"
    backend: str
    documents: int = 0
    chunks: int = 0
    nodes: int = 0
    edges: int = 0
    vectors: int | None = None
    vectors_total: int | None = None


class Page(Model, Generic[T]):
    """One page of a list: ``items[offset : offset + limit]`` of ``total``."""

    items: list[T]
    total: int
    limit: int
    offset: int


class CypherResult(Model):
    """Rows of a read-only Cypher query (``truncated`` when more rows existed or time ran out)."""

    columns: list[str] = Field(default_factory=list)
    rows: list[dict[str, Any]] = Field(default_factory=list)
    truncated: bool = False
    ms: float = 0.0
    timeout: float | None = None  # the time limit the query ran under, in seconds


# -- finding entities by name; an Ambito over time ---------------------------------------------------


class EntityMatch(NodeRef):
    """An entity whose name or alias matches a search (``matched``: the form that matched)."""

    matched: str
    score: float = 0.0


class TimelineRow(Model):
    """A body or service of an Ambito across programming periods: what the documents of each period say.

    ``by_period`` maps a period to the status read there ("presente" for a body; a status code for a
    service), absent when that period's documents do not name it.
    """

    id: str
    name: str | None = None
    type: str | None = None
    by_period: dict[str, str] = Field(default_factory=dict)
    appeared: str | None = None  # first period that names it (when it is not the first period)
    ended: str | None = None  # first period that no longer names it, or that calls it concluded
    evidence: dict[str, Provenance] = Field(default_factory=dict)


class AmbitoTimeline(Model):
    """One Ambito across programming periods (2018-2020, 2021-2023, 2025-2027...): bodies and services."""

    id: str
    name: str | None = None
    periods: list[str] = Field(default_factory=list)
    documents: dict[str, list[str]] = Field(default_factory=dict)  # period -> file names
    bodies: list[TimelineRow] = Field(default_factory=list)
    services: list[TimelineRow] = Field(default_factory=list)


# -- a comune's Ambiti ---------------------------------------------------------------------------------


class PeriodEvidence(Provenance):
    """Evidence of a membership, with the programming period it holds for."""

    period: str | None = None


class ComuneMembership(Model):
    """One Ambito a comune belongs to: the periods and the evidence of each."""

    id: str
    name: str | None = None
    periods: list[str] = Field(default_factory=list)
    evidence: list[PeriodEvidence] = Field(default_factory=list)


class ComuneStory(Model):
    """A comune (ISTAT identity) and the Ambiti it belongs to, period by period."""

    id: str
    name: str | None = None
    istat: str | None = None
    province: str | None = None
    region: str | None = None
    historical_names: list[str] = Field(default_factory=list)
    ambiti: list[ComuneMembership] = Field(default_factory=list)
