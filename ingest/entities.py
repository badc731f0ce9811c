"""Extraction of Ambiti, actors, bodies, services, objectives and networks (filled in by issue 5)."""

from __future__ import annotations

from ingest.model import Document, Entity, Relation


def extract_entities(doc: Document) -> tuple[list[Entity], list[Relation]]:
    return [], []
