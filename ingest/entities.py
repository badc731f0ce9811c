"""Extraction of Ambiti, actors, bodies, services, objectives and networks (issue 5).

``extract_entities(doc)`` runs the extractors in order (the Ambito first: every other id is scoped
by it) and resolves aliases; every Entity and Relation carries evidence from raw offsets.
The modules:
- ``entities_actors``: Ambito, comuni (ISTAT), ATS/ASST/Città Metropolitana, capofila, people;
- ``entities_bodies``: governance bodies (vocabulary-driven) and networks;
- ``entities_services``: services with status/period, objectives and indicators;
- ``resolve``: deterministic ids and alias merges.
"""

from __future__ import annotations

from ingest.entities_actors import (
    extract_ambito,
    extract_capofila,
    extract_comuni_mentions,
    extract_health_agencies,
    extract_people,
    extract_signatories,
)
from ingest.entities_bodies import extract_bodies, extract_networks
from ingest.entities_common import Ctx
from ingest.entities_objectives import extract_objectives
from ingest.entities_services import extract_services
from ingest.model import Document
from ontology.model import Fact, Relation
from ingest.resolve import resolve_document


def extract_entities(doc: Document) -> tuple[list[Fact], list[Relation]]:
    """Entities and relations a careful reader learns from a document.

    Args:
        doc: a Document with text, sections and (optionally) citations.

    Returns:
        (facts, relations), every one with provenance; each fact typed by the class of its label.

    Raises:
        VocabularyError: the ontology vocabulary cannot be read.
    """
    ctx = Ctx(doc)
    extract_ambito(ctx)
    extract_signatories(ctx)
    extract_health_agencies(ctx)
    extract_comuni_mentions(ctx)
    extract_capofila(ctx)
    extract_people(ctx)
    extract_bodies(ctx)
    extract_services(ctx)
    extract_objectives(ctx)
    extract_networks(ctx)
    entities, relations = resolve_document(doc, list(ctx.entities.values()), ctx.relations)
    return [e.to_fact() for e in entities], relations
