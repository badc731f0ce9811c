"""Read documents back from the graph: list, detail with sections, text around an evidence offset."""

from __future__ import annotations

from typing import Any

from kg import queries as Q
from kg.store import GraphStore
from ontology.errors import KgError
from ontology.views import DocumentDetail, DocumentInfo, DocumentText, SectionInfo


class NotFound(KgError):
    """The requested document, norm, Ambito or entity is not in the graph."""


def _info(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k in DocumentInfo.model_fields and v is not None}


def list_documents(store: GraphStore) -> list[DocumentInfo]:
    """Every document with its metadata, ordered by file name."""
    return [DocumentInfo(**_info(r["document"])) for r in store.read(Q.LIST_DOCUMENTS)]


def get_document(store: GraphStore, doc_id: str) -> DocumentDetail:
    """A document's metadata and its sections (title, kind, level, offsets, page).

    Raises:
        NotFound: no such document.
    """
    rows = store.read(Q.GET_DOCUMENT, {"doc": doc_id})
    if not rows:
        raise NotFound(f"document {doc_id!r} not found; list them with GET /v1/documents or `pdz status`")
    sections = [SectionInfo(**{k: v for k, v in x.items() if v is not None}) for x in rows[0]["sections"]]
    return DocumentDetail(**_info(rows[0]["document"]), sections=sections)


def document_text(store: GraphStore, doc_id: str, start: int | None = None, end: int | None = None) -> DocumentText:
    """The document's raw text (rebuilt from its chunks; blank stretches between chunks as spaces).

    Args:
        store: the graph store.
        doc_id: the document id.
        start: first raw offset wanted (default 0).
        end: raw offset after the last wanted (default: end of text).

    Raises:
        NotFound: no such document.
    """
    meta = get_document(store, doc_id)
    chunks = [r["chunk"] for r in store.read(Q.DOCUMENT_CHUNKS, {"doc": doc_id})]
    total = int(meta.chars or (chunks[-1]["end"] if chunks else 0))
    start = max(0, start or 0)
    end = total if end is None else min(end, total)
    buf = [" "] * max(0, end - start)
    for c in chunks:
        if c["end"] <= start or c["start"] >= end:
            continue
        s = max(c["start"], start)
        e = min(c["end"], end)
        piece = c["text"][s - c["start"] : e - c["start"]]
        buf[s - start : s - start + len(piece)] = list(piece)
    pages = [c["page"] for c in chunks if c["start"] <= start < c["end"] and c.get("page") is not None][:1]
    return DocumentText(doc_id=doc_id, source=meta.source, start=start, end=end, chars=total, text="".join(buf),
                        pages=pages)
