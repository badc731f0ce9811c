"""The knowledge graph: settings, the embedded ArcadeDB server, the Neo4j-5 Cypher store and queries."""
