"""All Cypher of the project, as Neo4j-5 text with parameters.

Values always travel as parameters. Labels and relationship types cannot be parameters in Cypher,
so the few builders that need them accept only members of ``ontology.labels.Label`` / ``Rel``.
Every query here runs unchanged on Neo4j 5 and on the embedded ArcadeDB (tests cover both).
"""

from __future__ import annotations

from ontology.labels import SHARED_LABELS, Label, Rel

# -- schema ---------------------------------------------------------------------------------


def constraint(label: Label) -> str:
    """Uniqueness of our own ``id`` for one label (Neo4j-5 DDL, idempotent)."""
    label = Label(label)
    return f"CREATE CONSTRAINT {label.value.lower()}_id IF NOT EXISTS FOR (n:{label.value}) REQUIRE n.id IS UNIQUE"


def doc_index(label: Label) -> str:
    """Index on the owning document of document-owned nodes (fast per-document replace)."""
    label = Label(label)
    return f"CREATE INDEX {label.value.lower()}_doc IF NOT EXISTS FOR (n:{label.value}) ON (n.doc)"


def property_index(label: Label, prop: str) -> str:
    """Index on one property of one label (lookups by a value other than ``id``)."""
    label = Label(label)
    if not prop.isidentifier():
        raise ValueError(f"not a property name: {prop!r}")
    return f"CREATE INDEX {label.value.lower()}_{prop} IF NOT EXISTS FOR (n:{label.value}) ON (n.{prop})"


# Lookups by a property other than id: services by vocabulary type (kg/stories.services).
PROPERTY_INDEXES = ((Label.SERVICE, "type"),)


def chunk_vector_index(dimensions: int) -> str:
    """Neo4j 5 vector index over :Chunk embeddings (cosine); created on the Neo4j backend only."""
    return (
        f"CREATE VECTOR INDEX chunk_embedding IF NOT EXISTS FOR (c:Chunk) ON (c.embedding) "
        f"OPTIONS {{indexConfig: {{`vector.dimensions`: {int(dimensions)}, `vector.similarity_function`: 'cosine'}}}}"
    )


# -- writes ---------------------------------------------------------------------------------


def merge_nodes(label: Label) -> str:
    """MERGE a batch of nodes of one label by id and set their properties."""
    label = Label(label)
    return f"UNWIND $rows AS row MERGE (n:{label.value} {{id: row.id}}) SET n += row.props"


def merge_edges(rel: Rel, src: Label, dst: Label) -> str:
    """MERGE a batch of edges of one type between existing nodes, keyed by ``key``."""
    rel, src, dst = Rel(rel), Label(src), Label(dst)
    return (
        f"UNWIND $rows AS row MATCH (a:{src.value} {{id: row.src}}) MATCH (b:{dst.value} {{id: row.dst}}) "
        f"MERGE (a)-[r:{rel.value} {{key: row.key}}]->(b) SET r += row.props"
    )


DELETE_DOC_EDGES = "MATCH ()-[r]->() WHERE r.doc = $doc DELETE r"  # a scan of every edge: stores written before ``shared``

# What a document wrote before, found from the document instead of a scan of the graph: the
# Document node's ``shared`` list names every shared node its payload held ("Label|id"); the edges
# the document asserted all touch the Document node, a node it owns, or one of those shared nodes.
DOCUMENT_SHARED = "MATCH (d:Document {id: $doc}) RETURN d.shared AS shared"
# The graph's revision: every write stamps its Document with ``revision`` (ns); a removal moves the
# stamp of the newest remaining one, so (count, newest stamp) changes with every write (kg/catalog.py).
REVISION = "MATCH (d:Document) RETURN count(d) AS n, max(d.revision) AS r"
BUMP_REVISION = "MATCH (d:Document) WITH d ORDER BY d.revision DESC LIMIT 1 SET d.revision = $revision"
DELETE_DOCUMENT_NODE_EDGES = "MATCH (d:Document {id: $doc})-[r]-() WHERE r.doc = $doc WITH DISTINCT r DELETE r"


def delete_shared_edges(label: Label) -> str:
    """Delete the edges a document asserted on the given shared nodes of one label (``$ids``)."""
    label = Label(label)
    if label not in SHARED_LABELS:
        raise ValueError(f"{label} is not a shared label")
    return f"UNWIND $ids AS id MATCH (n:{label.value} {{id: id}})-[r]-() WHERE r.doc = $doc WITH DISTINCT r DELETE r"


def delete_orphans_among(label: Label) -> str:
    """Delete the shared nodes of ``$ids`` (one label) that no edge links any more."""
    label = Label(label)
    if label not in SHARED_LABELS:
        raise ValueError(f"{label} is not a shared label")
    return f"UNWIND $ids AS id MATCH (n:{label.value} {{id: id}}) WHERE NOT (n)--() DELETE n"


def delete_owned(label: Label) -> str:
    """Delete the nodes of one document-owned label that belong to a document."""
    label = Label(label)
    return f"MATCH (n:{label.value}) WHERE n.doc = $doc DETACH DELETE n"


def delete_orphans(label: Label) -> str:
    """Delete shared nodes no document links to any more."""
    label = Label(label)
    if label not in SHARED_LABELS:
        raise ValueError(f"{label} is not a shared label")
    return f"MATCH (n:{label.value}) WHERE NOT (n)--() DELETE n"


DELETE_DOCUMENT = "MATCH (d:Document {id: $doc}) DETACH DELETE d"

# -- reads ----------------------------------------------------------------------------------

DOCUMENT_SHA = "MATCH (d:Document {id: $doc}) RETURN d.sha256 AS sha256, d.path AS path"
COUNT_NODES = "MATCH (n) RETURN count(n) AS n"
COUNT_EDGES = "MATCH ()-[r]->() RETURN count(r) AS n"
COUNT_LABEL_DOCUMENTS = "MATCH (n:Document) RETURN count(n) AS n"
COUNT_LABEL_CHUNKS = "MATCH (n:Chunk) RETURN count(n) AS n"
COMPONENTS = "CALL dbms.components() YIELD name, versions RETURN name, versions"

LIST_DOCUMENTS = """
MATCH (d:Document)
RETURN d {.id, .source, .path, .sha256, .mimetype, .size, .title, .kinds, .period, .ambito, .region, .pages,
          .chunks, .chars, .ocr_repairs, .ingested_at} AS document
ORDER BY d.source
"""

GET_DOCUMENT = """
MATCH (d:Document {id: $doc})
OPTIONAL MATCH (d)-[:HAS_SECTION]->(s:Section)
WITH d, s ORDER BY s.start
RETURN d {.*} AS document,
       [x IN collect(s) WHERE x IS NOT NULL | x {.id, .title, .kind, .number, .level, .start, .end, .page, .path}] AS sections
"""

DOCUMENT_CHUNKS = """
MATCH (c:Chunk) WHERE c.doc = $doc
RETURN c {.id, .ordinal, .text, .page, .section, .start, .end, .sha} AS chunk
ORDER BY chunk.ordinal
"""

LABEL_COUNTS = "MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label"
REL_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n ORDER BY type"

# -- norms (issue 7: norm trace) ---------------------------------------------------------------

GET_NORM = "MATCH (n:Norm {id: $id}) RETURN n {.*} AS norm"

# one record of two parallel lists, in citation order: a norm cited across a thousand plans is one
# Bolt message instead of a thousand (about 2x faster for 1,000 citations on the embedded store)
NORM_CITATIONS = """
MATCH (n:Norm {id: $id})<-[c:CITES]-(d:Document)
WITH d, c ORDER BY d.source, c.start
RETURN collect(d {.id, .source, .kinds, .period, .ambito}) AS documents, collect(c {.*}) AS citations
"""

CHUNK_TEXTS = "UNWIND $ids AS id MATCH (k:Chunk {id: id}) RETURN k.id AS id, k.text AS text, k.start AS start"

NORM_AMENDS = """
MATCH (n:Norm {id: $id})-[r:AMENDS]->(m:Norm)
RETURN m {.id, .title, .act_type, .year, .number, .urn} AS norm, r {.*} AS rel
ORDER BY m.id
"""

NORM_AMENDED_BY = """
MATCH (n:Norm {id: $id})<-[r:AMENDS]-(m:Norm)
RETURN m {.id, .title, .act_type, .year, .number, .urn} AS norm, r {.*} AS rel
ORDER BY m.id
"""

LIST_NORMS = """
MATCH (n:Norm)
OPTIONAL MATCH (d:Document)-[c:CITES]->(n)
WITH n, count(c) AS citations, count(DISTINCT d) AS documents
RETURN n {.id, .title, .act_type, .authority, .year, .number, .date, .urn, .normattiva} AS norm, citations, documents
ORDER BY citations DESC, norm.id
"""

# -- entity neighbourhood (issue 7: graph view) --------------------------------------------------

def _any_label_lookup() -> str:
    """A UNION of per-label lookups, so every branch uses its label's unique ``id`` index."""
    return " UNION ALL ".join(f"MATCH (n:{label.value} {{id: $id}}) RETURN n" for label in Label)


GET_NODE = f"CALL {{ {_any_label_lookup()} }} RETURN n {{.*}} AS node, labels(n) AS labels LIMIT 1"

NEIGHBOURS = f"""
CALL {{ {_any_label_lookup()} }}
MATCH (n)-[r]-(m) WHERE NOT m:Chunk AND NOT m:Section
RETURN type(r) AS type, startNode(r) = n AS outgoing,
       r {{.doc, .page, .start, .end, .line, .quote, .status, .period}} AS rel,
       m.id AS id, labels(m)[0] AS label, coalesce(m.name, m.title, m.source, m.id) AS name
LIMIT $limit
"""

# -- issue 5: entity export and Ambito profiles (kg/export.py, kg/profiles.py) ----------------

EXPORT_NODES = "MATCH (n) RETURN labels(n)[0] AS label, n {.*} AS props"
EXPORT_EDGES = "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS src, b.id AS dst, r {.*} AS props"
PROFILE_AMBITI = "MATCH (a:Ambito) RETURN a.id AS id, a.name AS name, a.aliases AS aliases, a.alias_keys AS alias_keys"
PROFILE_AMBITO = "MATCH (a:Ambito {id: $id}) RETURN a {.*} AS ambito"
PROFILE_EDGES = """
MATCH (a:Ambito {id: $id})-[r]-(m)
WHERE type(r) <> 'MENTIONS'
RETURN type(r) AS type, startNode(r) = a AS outgoing, r {.*} AS rel, m {.*} AS node, labels(m)[0] AS label
"""
PROFILE_MENTIONS = """
MATCH (a:Ambito {id: $id})<-[r:MENTIONS]-(d:Document)
RETURN d.id AS doc, d.ambito AS ambito, d.source AS source, d.period AS period, r {.*} AS rel
"""
PROFILE_LEGAL_BASIS = """
MATCH (a:Ambito {id: $id})-[:HAS_BODY]->(b:GovernanceBody)-[r:LEGAL_BASIS]->(n:Norm)
RETURN b.id AS body, n.id AS norm, n.title AS title, r {.*} AS rel
"""
PROFILE_INDICATORS = """
MATCH (a:Ambito {id: $id})-[:PURSUES]->(o:Objective)-[r:MEASURED_BY]->(i:Indicator)
RETURN o.id AS objective, i {.*} AS indicator, r {.*} AS rel
"""
PROFILE_SIGNATORIES = """
UNWIND $docs AS doc
MATCH (d:Document {id: doc})-[r:SIGNATORY]->(p:Person)
RETURN p {.*} AS person, r {.*} AS rel
"""
PROFILE_NORMS = """
UNWIND $docs AS doc
MATCH (d:Document {id: doc})-[c:CITES]->(n:Norm)
RETURN n.id AS id, n.title AS title, count(c) AS citations
ORDER BY citations DESC, id
LIMIT $limit
"""

# -- services (issue 7: who runs or plans a service) ---------------------------------------------

SERVICES_BY_TYPE = """
CALL { UNWIND $types AS t MATCH (s:Service {type: t}) RETURN s
       UNION UNWIND $ids AS i MATCH (s:Service {id: i}) RETURN s }
MATCH (a)-[r:RUNS]->(s)
OPTIONAL MATCH (d:Document {id: r.doc})
RETURN labels(a)[0] AS owner_label, a.id AS owner_id, a.name AS owner, s {.id, .name, .type} AS service,
       r {.status, .period, .doc, .page, .start, .end, .line, .quote, .section} AS rel, d.source AS source,
       d.ambito AS doc_ambito
ORDER BY owner, service.id, rel.period, rel.start
"""

SERVICE_NAMES = "MATCH (s:Service) RETURN s.id AS id, s.name AS name, s.aliases AS aliases, s.type AS type"

LIST_AMBITI = """
MATCH (a:Ambito)
OPTIONAL MATCH (c)-[:MEMBER_OF]->(a)
WITH a, count(DISTINCT c) AS comuni
OPTIONAL MATCH (d:Document)-[:MENTIONS]->(a)
RETURN a.id AS id, a.name AS name, a.aliases AS aliases, comuni, collect(DISTINCT d.source) AS documents
ORDER BY name
"""

# -- finding entities by name (graph view); an Ambito over time ----------------------------------

NAMED_LABELS = (Label.AMBITO, Label.COMUNE, Label.ORGANIZATION, Label.PERSON, Label.GOVERNANCE_BODY, Label.SERVICE,
                Label.NETWORK, Label.OBJECTIVE, Label.NORM)
ENTITY_NAMES = " UNION ALL ".join(
    f"MATCH (n:{label.value}) RETURN n.id AS id, '{label.value}' AS label, coalesce(n.name, n.title, n.id) AS name, "
    "n.aliases AS aliases"
    for label in NAMED_LABELS
)

AMBITO_TIMELINE = """
MATCH (a:Ambito {id: $id})-[r]->(m)
WHERE type(r) IN ['HAS_BODY', 'RUNS']
RETURN type(r) AS type, r {.*} AS rel, m {.id, .name, .type} AS node
ORDER BY r.start
"""

# -- issue 13: a comune's Ambiti and periods (kg/comuni.py) ------------------------------------

COMUNI_ALL = "MATCH (c:Comune) RETURN c.id AS id, c.name AS name, c.aliases AS aliases, c.istat AS istat"

COMUNE_NODE = "MATCH (c:Comune {id: $id}) RETURN c {.*} AS comune"

COMUNE_AMBITI = """
MATCH (c:Comune {id: $id})-[r:MEMBER_OF]->(a:Ambito)
OPTIONAL MATCH (d:Document {id: r.doc})
RETURN a.id AS ambito_id, a.name AS ambito, a.region AS region, r {.*} AS rel, d.source AS source, d.period AS doc_period
ORDER BY ambito, rel.period, source
"""

# Empty the graph a batch at a time (tests, resets): one huge DETACH DELETE would outlast the
# server's statement limit on a large graph.
DELETE_ALL_BATCH = "MATCH (n) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS n"
