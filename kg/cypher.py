"""Read-only Cypher for researchers: a lexer-based guard that refuses writes before they reach a store.

The backend's read mode is not relied upon (the embedded engine may not enforce it). The guard
lexes the query the way Cypher does: comments and string literals are removed first (so a keyword
inside a string is harmless and ``CRE/**/ATE`` is two words, as Cypher reads it too), backtick-quoted
names become opaque identifiers, and unterminated strings or comments are refused outright. Then:

- any write or admin clause is refused: CREATE, MERGE, DELETE, DETACH, SET, REMOVE, DROP, LOAD CSV,
  FOREACH, ALTER, GRANT, DENY, REVOKE, RENAME, START/STOP/TERMINATE, ``IN TRANSACTIONS``;
- ``CALL name(...)`` is allowed only for a short allow-list of read procedures; ``CALL { ... }``
  subqueries are fine because their body is checked like the rest of the text.
"""

from __future__ import annotations

import re
import time
import unicodedata
from typing import Any

from kg.store import GraphStore
from ontology.errors import KgError

WRITE_KEYWORDS = {
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "FOREACH", "ALTER", "GRANT", "DENY",
    "REVOKE", "RENAME", "START", "STOP", "TERMINATE", "LOAD", "USE", "FINISH",
}
READ_PROCEDURES = {
    "db.labels",
    "db.relationshiptypes",
    "db.propertykeys",
    "db.schema.visualization",
    "db.schema.nodetypeproperties",
    "db.schema.reltypeproperties",
    "dbms.components",
    "db.index.fulltext.querynodes",
    "db.index.vector.querynodes",
}
MAX_QUERY_CHARS = 20_000
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ForbiddenQuery(KgError):
    """The query would write, administer the database, or could not be read safely."""


class QueryFailed(KgError):
    """The store rejected a read query (syntax error, unknown function, timeout)."""


def _strip(query: str) -> str:
    """Replace comments and string literals with spaces and backtick names with ``_id_``.

    Raises:
        ForbiddenQuery: an unterminated string, comment or quoted name.
    """
    out: list[str] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        nxt = query[i + 1] if i + 1 < n else ""
        if ch == "/" and nxt == "/":
            j = query.find("\n", i)
            i = n if j < 0 else j
            out.append(" ")
        elif ch == "/" and nxt == "*":
            j = query.find("*/", i + 2)
            if j < 0:
                raise ForbiddenQuery("unterminated /* comment")
            i = j + 2
            out.append(" ")
        elif ch in "'\"":
            j = i + 1
            while j < n and query[j] != ch:
                j += 2 if query[j] == "\\" else 1
            if j >= n:
                raise ForbiddenQuery("unterminated string literal")
            i = j + 1
            out.append(" '' ")
        elif ch == "`":
            j = query.find("`", i + 1)
            while j >= 0 and j + 1 < n and query[j + 1] == "`":  # `` escapes a backtick
                j = query.find("`", j + 2)
            if j < 0:
                raise ForbiddenQuery("unterminated `quoted name`")
            i = j + 1
            out.append(" _id_ ")
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def check_read_only(query: str) -> None:
    """Refuse anything that is not a plain read query.

    Raises:
        ForbiddenQuery: with the reason (the offending keyword or procedure).
    """
    if len(query) > MAX_QUERY_CHARS:
        raise ForbiddenQuery(f"query longer than {MAX_QUERY_CHARS} characters")
    text = unicodedata.normalize("NFKC", query)
    if any(unicodedata.category(c) in {"Cf", "Cc"} and c not in "\n\r\t" for c in text):
        raise ForbiddenQuery("invisible or control characters are not allowed")
    bare = _strip(text)
    if re.search(r"[^\x00-\x7f]", bare):
        raise ForbiddenQuery("non-ASCII characters outside strings are not allowed")
    for m in _WORD.finditer(bare):
        if m.start() > 0 and bare[m.start() - 1] == ".":
            continue  # a property key (n.set) or a namespace part, never a clause
        w = m.group(0).upper()
        if w in WRITE_KEYWORDS:
            raise ForbiddenQuery(f"read-only endpoint: {w} is not allowed")
    if re.search(r"\bIN\s+(?:\d+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b", bare, re.I):
        raise ForbiddenQuery("read-only endpoint: CALL ... IN TRANSACTIONS is not allowed")
    for m in re.finditer(r"\bCALL\b\s*(\{|[A-Za-z_][\w.]*)", bare, re.I):
        target = m.group(1)
        if target == "{":
            continue
        if target.lower() not in READ_PROCEDURES:
            raise ForbiddenQuery(f"read-only endpoint: procedure {target} is not allowed")


def run_read_only(
    store: GraphStore,
    query: str,
    params: dict[str, Any] | None = None,
    *,
    max_rows: int = 1000,
    timeout: float = 10.0,
) -> dict[str, Any]:
    """Check and run a read query; return at most ``max_rows`` rows.

    Args:
        store: the graph store.
        query: Cypher text; values must come as ``params``.
        params: query parameters.
        max_rows: rows returned at most (``truncated`` says when more existed).
        timeout: server-side transaction timeout in seconds (Neo4j enforces it).

    Raises:
        ForbiddenQuery: the guard refused the query.
        QueryFailed: the store rejected the query.
    """
    check_read_only(query)
    import neo4j

    from neo4j.exceptions import Neo4jError

    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    truncated = False
    try:
        with store.session() as s:
            result = s.run(neo4j.Query(query, timeout=timeout), params or {})
            for record in result:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append({k: _jsonable(v) for k, v in record.items()})
                if time.perf_counter() - started > timeout:
                    truncated = True
                    break
            keys = list(result.keys())
    except Neo4jError as exc:
        raise QueryFailed(f"query failed: {exc.code or ''} {exc.message or exc}".strip()) from exc
    return {"columns": keys, "rows": rows, "truncated": truncated, "ms": round((time.perf_counter() - started) * 1000, 2)}


def _jsonable(value: Any) -> Any:
    """Graph values as JSON: nodes and relationships become their property maps."""
    import neo4j.graph

    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **dict(value)}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **dict(value)}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [_jsonable(n) for n in value.nodes], "relationships": [_jsonable(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
