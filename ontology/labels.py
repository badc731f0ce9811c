"""Node labels and relationship types: the one list the graph code and the tests use.

Shared labels name identities that several documents may mention (a Norm, an Ambito): re-ingesting
one document never deletes them while another document still links to them. Every other node is
owned by the document it was read from and is replaced with it.
"""

from enum import StrEnum


class Label(StrEnum):
    DOCUMENT = "Document"
    SECTION = "Section"
    CHUNK = "Chunk"
    NORM = "Norm"
    AMBITO = "Ambito"
    COMUNE = "Comune"
    ORGANIZATION = "Organization"
    PERSON = "Person"
    GOVERNANCE_BODY = "GovernanceBody"
    SERVICE = "Service"
    OBJECTIVE = "Objective"
    INDICATOR = "Indicator"
    NETWORK = "Network"


class Rel(StrEnum):
    HAS_SECTION = "HAS_SECTION"
    HAS_CHUNK = "HAS_CHUNK"
    NEXT = "NEXT"
    CITES = "CITES"
    AMENDS = "AMENDS"
    MENTIONS = "MENTIONS"
    MEMBER_OF = "MEMBER_OF"
    CAPOFILA_OF = "CAPOFILA_OF"
    PARTNER_OF = "PARTNER_OF"
    HOLDS_POST = "HOLDS_POST"
    HAS_BODY = "HAS_BODY"
    LEGAL_BASIS = "LEGAL_BASIS"
    RUNS = "RUNS"
    PURSUES = "PURSUES"
    MEASURED_BY = "MEASURED_BY"
    PARTICIPATES_IN = "PARTICIPATES_IN"
    SIGNATORY = "SIGNATORY"  # (Document)-[:SIGNATORY {role, on_behalf_of}]->(Comune|Organization|Person)


# Identities that outlive any single document.
SHARED_LABELS: frozenset[Label] = frozenset(
    {
        Label.NORM,
        Label.AMBITO,
        Label.COMUNE,
        Label.ORGANIZATION,
        Label.PERSON,
        Label.GOVERNANCE_BODY,
        Label.SERVICE,
        Label.NETWORK,
    }
)
