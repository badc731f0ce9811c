"""parse(path) -> Document: load, repair, structure, metadata, citations, entities.

Each stage is a function of the Document; disk access happens only in ``load``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.citations import amends_from_citations, extract_citations
from ingest.entities import extract_entities
from ingest.loaders import SUPPORTED_SUFFIXES, ProgressFn, load, sha256_file
from ingest.metadata import detect_metadata
from ingest.model import Document
from ontology.model import Relation
from ingest.repair import repair
from ingest.structure import chunk, segment


def document_id(path: Path, identity: str | None = None) -> str:
    """Stable id from the file name, made unique by ``identity`` (the file's location) when given.

    The plain form ("doc:plan.txt") is the document of that name; a second file of the same name
    in another folder gets the suffixed form ("doc:plan.txt~1a2b3c4d", a hash of its location), see
    ``kg.ingest.ingest_file``.
    """
    stem = unicodedata.normalize("NFKD", path.name).encode("ascii", "ignore").decode().lower()
    base = "doc:" + re.sub(r"[^a-z0-9._-]+", "_", stem).strip("_")
    if identity is None:
        return base
    return base + "~" + hashlib.sha1(identity.encode("utf-8")).hexdigest()[:8]


def _saved_page_asset(f: Path, root: Path) -> bool:
    """Inside the ``NAME_files`` folder a browser writes beside ``NAME.html`` ("Web page, complete")."""
    for folder in f.relative_to(root).parents:
        if folder.name.endswith("_files"):
            base = (root / folder).with_name(folder.name[: -len("_files")])
            if any(base.with_suffix(s).is_file() for s in (".html", ".htm")):
                return True
    return False


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to ingest: the given files, and supported files found under given folders, sorted.

    The assets folder of a web page saved from a browser (``page_files/`` beside ``page.html``) is skipped.
    """
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if (f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith(".")
                        and not _saved_page_asset(f, p)):
                    yield f
        else:
            yield p


def read_document(
    path: Path,
    *,
    ocr: str = "auto",
    progress: ProgressFn | None = None,
    sha256: str | None = None,
    doc_id: str | None = None,
    identity: str | None = None,
) -> Document:
    """Load and repair one file into a Document with no text stages run yet.

    Args:
        path: the file.
        ocr: "auto", "always" or "never".
        progress: page callback (done, total).
        sha256: the file's sha256 when already known.
        doc_id: the document id (default: from the file name).
        identity: where the document comes from (default: the resolved path).

    Raises:
        IngestError: the file cannot be read (the message names the file and the reason).
    """
    loaded = load(path, ocr=ocr, progress=progress)
    laid_out = [(p.start, p.end) for p in loaded.pages] if loaded.mimetype == "application/pdf" else None
    text, edits = repair(loaded.raw_text, ocr_spans=[(p.start, p.end) for p in loaded.pages if p.ocr],
                         page_spans=laid_out)
    return Document(
        id=doc_id or document_id(path),
        source=path.name,
        path=identity or str(path.resolve()),
        sha256=sha256 or sha256_file(path),
        mimetype=loaded.mimetype,
        size=path.stat().st_size,
        raw_text=loaded.raw_text,
        text=text,
        edits=edits,
        pages=loaded.pages,
        encoding=loaded.encoding,
    )


def parse(
    path: Path,
    *,
    ocr: str = "auto",
    progress: ProgressFn | None = None,
    sha256: str | None = None,
    doc_id: str | None = None,
    identity: str | None = None,
) -> Document:
    """Read one file into a fully analysed Document (``read_document``, then ``analyse``).

    Raises:
        IngestError: the file cannot be read (the message names the file and the reason).
    """
    return analyse(read_document(path, ocr=ocr, progress=progress, sha256=sha256, doc_id=doc_id, identity=identity))


def analyse(doc: Document) -> Document:
    """Run the text stages on a loaded document (structure, metadata, citations, entities)."""
    doc.blocks, doc.sections = segment(doc)
    detect_metadata(doc)
    doc.chunks = chunk(doc, doc.blocks)
    doc.citations = extract_citations(doc)
    doc.entities, doc.relations = extract_entities(doc)
    doc.relations.extend(
        Relation(src=src, type="AMENDS", dst=dst, prov=prov) for src, dst, prov in amends_from_citations(doc.citations, doc)
    )
    return doc
