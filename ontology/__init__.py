"""Shared vocabulary of the PdZ knowledge graph: labels, relationship types, errors, vocabularies."""
