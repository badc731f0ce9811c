"""The read-only Cypher guard refuses every write form and lets reads through, on a real store."""

from __future__ import annotations

import pytest

from kg.cypher import ForbiddenQuery, check_read_only, run_read_only
from kg.store import GraphStore

READS = [
    "MATCH (n) RETURN n LIMIT 5",
    "MATCH (n:Norm) WHERE n.title CONTAINS 'CREATE' RETURN n",
    "CALL db.labels()",
    "MATCH (d) CALL { WITH d MATCH (d)-->(x) RETURN count(x) AS c } RETURN c",
    "MATCH (n) WHERE n.`set` = 1 RETURN n",
    "// create something\nMATCH (n) RETURN n",
    "MATCH (n) RETURN n.set AS s, n.settings AS offset",
    "RETURN 'a\\'b CREATE' AS x",
]
WRITES = [
    "CREATE (n)",
    "create (n)",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) DELETE n",
    "MATCH (n) SET n.x = 1",
    "MATCH (n) REMOVE n.x",
    "DROP CONSTRAINT x",
    "LOAD CSV FROM 'file:///x' AS r RETURN r",
    "MATCH (n) FOREACH (x IN [1] | CREATE ())",
    "CALL apoc.create.node(['A'], {})",
    "CALL db.createLabel('x')",
    "MERGE (n:A)",
    "MaTcH (n) mErGe (m)",
    "MATCH (n)\n  /* hidden */ CREATE (m)",
    "MATCH (n) RETURN n; CREATE (m)",
    "CALL { CREATE (n) } IN TRANSACTIONS",
    "MATCH (n) RETURN 'unterminated",
    "MATCH (n) /* unterminated",
    "MATCH (n)\u200bCREATE (m)",
    "MATCH (n) ＣＲＥＡＴＥ (m)",
    "CALL dbms.killQuery('x')",
    "MATCH (n) WITH n\tCREATE\n(m)",
    "MATCH (n) RETURN n.\nCREATE (m)",
]


@pytest.mark.parametrize("query", READS)
def test_reads_pass(query: str) -> None:
    check_read_only(query)


@pytest.mark.parametrize("query", WRITES)
def test_writes_refused(query: str) -> None:
    with pytest.raises(ForbiddenQuery):
        check_read_only(query)


def test_run_read_only_limits_rows_and_changes_nothing(store: GraphStore) -> None:
    store.execute("UNWIND range(1, 30) AS i CREATE (:Norm {id: 'n' + toString(i)})")
    out = run_read_only(store, "MATCH (n:Norm) RETURN n.id AS id ORDER BY id", max_rows=10)
    assert len(out["rows"]) == 10 and out["truncated"] and out["columns"] == ["id"]
    with pytest.raises(ForbiddenQuery):
        run_read_only(store, "MATCH (n:Norm) DETACH DELETE n")
    assert store.counts()["nodes"] == 30
