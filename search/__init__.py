"""Hybrid semantic search over document chunks: e5 embeddings + Italian BM25, with exact evidence."""

from search.errors import IndexCorruptError, ModelFormatError, ModelUnavailableError, QueryError, SearchError
from search.index import EntityRef, SearchFilters, SearchHit, SearchIndex
from search.ranking import RELEVANCE_FLOOR, is_relevant

__all__ = [
    "EntityRef",
    "IndexCorruptError",
    "ModelFormatError",
    "ModelUnavailableError",
    "QueryError",
    "RELEVANCE_FLOOR",
    "SearchError",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "is_relevant",
]
