"""Extraction of Italian normative citations (filled in by the citations work)."""

from __future__ import annotations

from ingest.model import Citation, Document


def extract_citations(doc: Document) -> list[Citation]:
    return []
