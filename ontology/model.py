"""The knowledge model: typed facts, their evidence, and the one codec to and from graph properties.

Every layer imports it (ingest -> kg -> search -> ui); it imports nothing of the project but the
ontology's label lists. A fact is one instance of a class of the Turtle ontology (ontology/pdz.ttl):
``Ambito``, ``Comune``, ``Organization``, ``Person``, ``GovernanceBody``, ``Service``, ``Objective``,
``Indicator``, ``Network``, ``Norm``, ``Citation``; a test checks each class and field against it.
Every fact and edge carries one ``Provenance``; offsets are character offsets into the raw text of
the document the fact was read from.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from ontology.labels import Label, Rel


class Model(BaseModel):
    """Base of every model: unknown fields are errors, not silently kept."""

    model_config = ConfigDict(extra="forbid")


SECTION_SEP = " > "
PROVENANCE_KEYS = ("doc", "page", "start", "end", "line", "quote", "section")


class Provenance(Model):
    """Where a fact was read: document, page, raw-text span, 1-based line, section path, quote.

    ``source`` (the file name) is filled in by the views for display; facts leave it empty.
    """

    doc_id: str
    page: int | None = None
    start: int
    end: int
    line: int
    section: list[str] = Field(default_factory=list)
    quote: str
    source: str | None = None

    # -- the one codec between a Provenance and flat graph properties ------------------------
    def to_props(self) -> dict[str, Any]:
        """Flat graph properties (graph properties cannot be maps): doc, page, start, end, line, quote, section."""
        props: dict[str, Any] = {"doc": self.doc_id, "start": self.start, "end": self.end, "line": self.line,
                                 "quote": self.quote}
        if self.page is not None:
            props["page"] = self.page
        if self.section:
            props["section"] = SECTION_SEP.join(self.section)
        return props

    @classmethod
    def from_props(cls, props: Mapping[str, Any] | None, *, source: str | None = None) -> Provenance | None:
        """The Provenance stored in an edge's (or node's) flat properties, or None when there is none."""
        if not props or props.get("doc") is None or props.get("start") is None:
            return None
        section = props.get("section")
        if isinstance(section, str):
            section = [s for s in section.split(SECTION_SEP) if s]
        return cls(doc_id=props["doc"], page=props.get("page"), start=int(props["start"]),
                   end=int(props.get("end") if props.get("end") is not None else props["start"]),
                   line=int(props.get("line") or 0), section=list(section or []), quote=props.get("quote") or "",
                   source=source if source is not None else props.get("source"))


class DocKind(StrEnum):
    PIANO_DI_ZONA = "piano_di_zona"
    ACCORDO_DI_PROGRAMMA = "accordo_di_programma"
    PRESENTAZIONE = "presentazione"
    ALTRO = "altro"


class MetaValue(Model):
    """A metadata value with the evidence it was read from."""

    value: str
    evidence: Provenance | None = None


class ServiceStatus(StrEnum):
    """Notations of the pdzv:statuses concepts (a RUNS edge carries one, with its period)."""

    ACTIVE = "active"
    PLANNED = "planned"
    FEASIBILITY_STUDY = "feasibility_study"
    CONCLUDED = "concluded"
    MENTIONED = "mentioned"


# One ranking of statuses, for "the latest and strongest" status of a service in a period.
STATUS_RANK: dict[str, int] = {"active": 5, "planned": 4, "feasibility_study": 3, "concluded": 2, "mentioned": 1}


class Citation(Model):
    """One normative reference as written in a document, resolved to a canonical act."""

    norm_id: str  # canonical identity, e.g. "lr.lombardia:2008:3"
    raw: str
    authority: str
    act_type: str
    year: int | None = None
    number: str | None = None
    date: str | None = None
    legislature: str | None = None
    article: str | None = None
    comma: str | None = None
    letter: str | None = None
    urn: str
    normattiva: str | None = None
    title: str | None = None
    alias: str | None = None
    flags: list[str] = Field(default_factory=list)
    prov: Provenance


class Norm(Model):
    """A normative act (an eli:LegalResource), as the registry or a citation identifies it."""

    label: Literal["Norm"] = "Norm"
    id: str
    act_type: str | None = None
    authority: str | None = None
    year: int | None = None
    number: str | None = None
    date: str | None = None
    legislature: str | None = None
    urn: str | None = None
    normattiva: str | None = None
    title: str | None = None


# -- facts read from documents ------------------------------------------------------------------


class Fact(Model):
    """A node read from a document: a deterministic id, a name, what the text says of it, and evidence.

    ``props`` is a read-only view of the class's own fields (everything but id, label, name and
    prov), for code that writes any fact to the graph.
    """

    LABEL: ClassVar[Label]
    BASE_FIELDS: ClassVar[frozenset[str]] = frozenset({"id", "label", "name", "prov"})

    id: str
    name: str
    prov: Provenance
    aliases: list[str] = Field(default_factory=list)
    mentions: int = 1
    lines: list[int] = Field(default_factory=list)

    @property
    def props(self) -> Mapping[str, Any]:
        return MappingProxyType({k: getattr(self, k) for k in type(self).model_fields if k not in self.BASE_FIELDS})


class Ambito(Fact):
    """An Ambito territoriale (the district of comuni that writes a Piano di Zona)."""

    LABEL: ClassVar[Label] = Label.AMBITO
    label: Literal["Ambito"] = "Ambito"
    region: str | None = None
    scope: str | None = None  # own | covered | mentioned: how the document that names it relates to it
    capoluogo_istat: str | None = None
    alias_keys: list[str] = Field(default_factory=list)  # identity keys of every written form (lookups)
    comuni_count_stated: int | None = None  # "i sette Comuni": the count the text states...
    comuni_count_listed: int | None = None  # ...the comuni it enumerates...
    comuni_count_matches: bool | None = None  # ...and whether the two agree


class Comune(Fact):
    """A comune, identified by its ISTAT code where the gazetteer knows it."""

    LABEL: ClassVar[Label] = Label.COMUNE
    label: Literal["Comune"] = "Comune"
    istat: str | None = None
    listed_as_member: bool | None = None  # enumerated as a member where the text names no Ambito
    historical_names: list[str] = Field(default_factory=list)  # comuni merged into this one


class Organization(Fact):
    """An organisation with its role in the Ambito: ``kind`` is ats, asst, capofila, azienda consortile..."""

    LABEL: ClassVar[Label] = Label.ORGANIZATION
    label: Literal["Organization"] = "Organization"
    kind: str | None = None
    acronym: str | None = None
    code_minsal: str | None = None  # Ministry of Health code of an ATS/ASST/ASL
    official_name: str | None = None
    region: str | None = None
    historical: bool | None = None  # a pre-2016 ASL, succeeded by ``successor_code``
    successor_code: str | None = None
    ats_code: str | None = None  # the ATS an ASST or ASL belongs to


class Person(Fact):
    """A named person, scoped to the organisation and role the text gives (``role``, ``organization``)."""

    LABEL: ClassVar[Label] = Label.PERSON
    label: Literal["Person"] = "Person"
    role: str | None = None
    organization: str | None = None


class GovernanceBody(Fact):
    """A governance body of an Ambito (Assemblea dei Sindaci, Ufficio di Piano...), typed by a vocabulary concept."""

    LABEL: ClassVar[Label] = Label.GOVERNANCE_BODY
    label: Literal["GovernanceBody"] = "GovernanceBody"
    type: str | None = None
    category: str | None = None
    source: str | None = None  # the norm or official text the vocabulary term comes from
    level: str | None = None
    concept: str | None = None
    name_pref: str | None = None
    composition: str | None = None
    functions: list[str] = Field(default_factory=list)
    composition_line: int | None = None
    composition_quote: str | None = None
    functions_line: int | None = None
    functions_quote: str | None = None


class Service(Fact):
    """A service or initiative, typed by a vocabulary concept; its status history is on its RUNS edges."""

    LABEL: ClassVar[Label] = Label.SERVICE
    label: Literal["Service"] = "Service"
    type: str | None = None
    concept: str | None = None
    category: str | None = None
    source: str | None = None  # the norm or official taxonomy the vocabulary term comes from
    status: str | None = None  # the latest status the document gives (the history is on RUNS edges)
    status_period: str | None = None
    status_since: str | None = None  # the year the text says the status holds from ("attivo dal 2015")
    status_until: str | None = None  # the year the text says it held until ("fino al 2019")


class Objective(Fact):
    """An objective of a plan, with its period, macro-areas and policy areas."""

    LABEL: ClassVar[Label] = Label.OBJECTIVE
    label: Literal["Objective"] = "Objective"
    period: str | None = None
    macro_areas: list[str] = Field(default_factory=list)
    policy_areas: list[str] = Field(default_factory=list)
    kind: str | None = None
    code: str | None = None
    description: str | None = None


class Indicator(Fact):
    """The planned and/or achieved value of an objective."""

    LABEL: ClassVar[Label] = Label.INDICATOR
    label: Literal["Indicator"] = "Indicator"
    planned: str | None = None
    achieved: str | None = None
    achieved_line: int | None = None
    period: str | None = None


class Network(Fact):
    """A network, partnership or co-design (co-progettazione) the Ambito takes part in."""

    LABEL: ClassVar[Label] = Label.NETWORK
    label: Literal["Network"] = "Network"
    type: str | None = None
    period: str | None = None
    partners: list[str] = Field(default_factory=list)


AnyFact = Annotated[
    Ambito | Comune | Organization | Person | GovernanceBody | Service | Objective | Indicator | Network,
    Field(discriminator="label"),
]
FACT_TYPES: dict[str, type[Fact]] = {
    cls.LABEL.value: cls
    for cls in (Ambito, Comune, Organization, Person, GovernanceBody, Service, Objective, Indicator, Network)
}


class Entity(Model):
    """An entity while extractors build it: a label and open properties, with its evidence.

    Extractors accumulate what they learn in ``props``; ``to_fact`` then checks it against the
    typed class of the label (an unknown property is an error, not a silent extra).
    """

    id: str
    label: str
    name: str
    props: dict[str, Any] = Field(default_factory=dict)
    prov: Provenance

    def to_fact(self) -> Fact:
        """The typed fact of this entity.

        Raises:
            pydantic.ValidationError: a property the class of the label does not declare.
        """
        cls = FACT_TYPES[self.label]
        props = {k: v for k, v in self.props.items() if v is not None}
        return cls(id=self.id, name=self.name, prov=self.prov, **props)


class Relation(Model):
    """An edge read from a document, with its evidence."""

    src: str
    type: Rel
    dst: str
    props: dict[str, Any] = Field(default_factory=dict)
    prov: Provenance
