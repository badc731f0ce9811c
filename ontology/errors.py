"""The root of every exception the project raises on purpose.

Messages say what went wrong and how to fix it; the edges (CLI, API, UI) show them once.
"""


class KgError(Exception):
    """Root of the project's own errors."""


class ConfigError(KgError):
    """A setting is missing or invalid."""


class VocabularyError(KgError):
    """An ontology or vocabulary file is missing or malformed."""
