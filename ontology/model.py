"""The knowledge model: facts, their evidence and the views answers are made of.

Every layer imports it (ingest -> kg -> search -> ui); it imports nothing of the project but the
ontology. Offsets in a ``Provenance`` are character offsets into the raw text of the document.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(Model):
    """Where a fact was read: document, page, raw-text span, 1-based line, section path, quote."""

    doc_id: str
    page: int | None = None
    start: int
    end: int
    line: int
    section: list[str] = Field(default_factory=list)
    quote: str


class DocKind(StrEnum):
    PIANO_DI_ZONA = "piano_di_zona"
    ACCORDO_DI_PROGRAMMA = "accordo_di_programma"
    PRESENTAZIONE = "presentazione"
    ALTRO = "altro"


class MetaValue(Model):
    """A metadata value with the evidence it was read from."""

    value: str
    evidence: Provenance | None = None


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


class Entity(Model):
    """A node read from a document: a deterministic id, a label, properties and its evidence."""

    id: str
    label: str
    name: str
    props: dict[str, Any] = Field(default_factory=dict)
    prov: Provenance


class Relation(Model):
    """An edge read from a document, with its evidence."""

    src: str
    type: str
    dst: str
    props: dict[str, Any] = Field(default_factory=dict)
    prov: Provenance
