"""cite_file(path) -> Document: the citations of one file without the other stages' cost.

``pdz citations`` needs the text, its repairs, the document's metadata (the region of regional
acts) and the citations, not entities or chunks: on the TUEL (606k characters) entity extraction
takes as long as the citations themselves. The Document returned is the one :func:`parse` would
build, with ``citations`` filled and ``chunks``, ``entities`` and ``relations`` left empty.
"""

from __future__ import annotations

from pathlib import Path

from ingest.citations import extract_citations
from ingest.metadata import detect_metadata
from ingest.model import Document
from ingest.pipeline import read_document
from ingest.structure import segment


def cite_file(path: Path, *, ocr: str = "auto") -> Document:
    """Read one file and extract its normative citations (no entities, no chunks).

    Args:
        path: a PDF, TXT, MD or DOCX file.
        ocr: OCR pages without a text layer: ``auto``, ``always`` or ``never``.

    Raises:
        IngestError: the file cannot be read (the message names the file and the reason).
    """
    doc = read_document(path, ocr=ocr)
    doc.blocks, doc.sections = segment(doc)
    detect_metadata(doc)
    doc.citations = extract_citations(doc)
    return doc
