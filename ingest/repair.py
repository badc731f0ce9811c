"""Conservative repair of Italian OCR noise, recorded as edits so provenance stays exact."""

from __future__ import annotations

from ingest.model import Edit


def repair(raw_text: str) -> tuple[str, list[Edit]]:
    """Return the repaired text and the edits that produced it (none yet)."""
    return raw_text, []
