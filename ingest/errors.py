"""Errors raised while reading a file; each names the file and the reason on one line."""

from ontology.errors import KgError


class IngestError(KgError):
    """A file could not be turned into a Document."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class UnsupportedFormat(IngestError):
    """The file type is not one we read (PDF, TXT, MD, DOCX)."""


class CorruptFile(IngestError):
    """The file is damaged, encrypted, empty or not what its extension says."""
