"""Read-only Cypher for researchers: a lexer-based guard that refuses writes before they reach a store.

The backend's read mode is not relied upon (the embedded engine may not enforce it). The guard
lexes the query the way Cypher does: comments and string literals are removed first (so a keyword
inside a string is harmless and ``CRE/**/ATE`` is two words, as Cypher reads it too), backtick-quoted
names become opaque identifiers, and unterminated strings or comments are refused outright. Then:

- any write or admin clause is refused: CREATE, MERGE, DELETE, DETACH, SET, REMOVE, DROP, LOAD CSV,
  FOREACH, ALTER, GRANT, DENY, REVOKE, RENAME, START/STOP/TERMINATE, ``IN TRANSACTIONS``;
- ``CALL name(...)`` is allowed only for a short allow-list of read procedures; ``CALL { ... }``
  subqueries are fine because their body is checked like the rest of the text;
- variable-length relationships need an upper bound of at most ``MAX_PATH_LENGTH`` hops
  (``-[*1..4]-`` passes, ``-[*]-``, ``-[*2..]-`` and ``-[*1..9]-`` do not), and quantified path
  patterns (``){1,3}``, ``)+``) the same.

``run_read_only`` then runs the query under a hard wall-clock limit on every backend: the limit is
the transaction timeout Neo4j enforces; on the embedded ArcadeDB (whose Bolt plugin ignores it) a
watchdog terminates the tagged query on the server when the limit is reached or the caller cancels
(a client that disconnected); and in both cases the caller stops waiting and closes the query's own
connection if the backend has not answered a short grace later.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from typing import Any

import neo4j
import neo4j.graph
from neo4j.exceptions import Neo4jError

from kg.store import GraphStore, QueryTimeout, Watchdog, is_timeout, tagged
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
MAX_PATH_LENGTH = 4  # hops of a variable-length relationship or a quantified path pattern
WATCHDOG_GRACE = 1.0  # seconds past the limit before the watchdog closes the connection itself
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# `*` inside a relationship's brackets: -[r:T*1..3]- ; the lengths are optional.
_VARLEN = re.compile(r"-\s*\[([^\[\]]*?)\*\s*(\d*)\s*(\.\.)?\s*(\d*)\s*(?:\{[^{}]*\}\s*)?\]")
# Quantifiers of a quantified path pattern or relationship: ((a)-->(b)){1,3}  ((a)-->(b))+  -->{2}  -[]->+
# After ")" they count only where a pattern may continue (so "(n.x)+1" stays arithmetic).
_QUANT = re.compile(
    r"(?:(?:->|--|\]-)\s*(\{\s*(\d*)\s*(,)?\s*(\d*)\s*\}|\+|\*)"
    r"|\)\s*(\{\s*(\d*)\s*(,)?\s*(\d*)\s*\}|\+|\*)(?=\s*(?:$|[-<,]|(?:WHERE|RETURN|WITH|MATCH|OPTIONAL|UNION|CALL)\b)))",
    re.I,
)


class ForbiddenQuery(KgError):
    """The query would write, administer the database, or could not be read safely."""


class QueryFailed(KgError):
    """The store rejected a read query (syntax error, unknown function)."""


class QueryCancelled(KgError):
    """The caller gave up on the query (its client disconnected) and its connection was closed."""


def check_path_lengths(bare: str) -> None:
    """Refuse unbounded or too long variable-length patterns (``bare``: the query without strings/comments).

    Raises:
        ForbiddenQuery: naming the pattern and the allowed maximum.
    """
    for m in _VARLEN.finditer(bare):
        low, dots, high = m.group(2), m.group(3), m.group(4)
        upper = int(high) if high else (int(low) if low and not dots else None)
        if upper is None:
            raise ForbiddenQuery(
                f"variable-length pattern '{m.group(0).strip()}' has no upper bound; write e.g. *1..{MAX_PATH_LENGTH}")
        if upper > MAX_PATH_LENGTH:
            raise ForbiddenQuery(f"variable-length pattern '{m.group(0).strip()}' is longer than {MAX_PATH_LENGTH} hops")
    for m in _QUANT.finditer(bare):
        g = m.groups()
        quant, low, comma, high = g[0:4] if g[0] is not None else g[4:8]
        if quant in {"+", "*"}:
            raise ForbiddenQuery(f"path quantifier '{quant}' has no upper bound; write e.g. {{1,{MAX_PATH_LENGTH}}}")
        upper = int(high) if high else (int(low) if low and not comma else None)
        if upper is None or upper > MAX_PATH_LENGTH:
            raise ForbiddenQuery(f"path quantifier '{quant}' must have an upper bound of at most {MAX_PATH_LENGTH}")


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
    check_path_lengths(bare)


def run_read_only(
    store: GraphStore,
    query: str,
    params: dict[str, Any] | None = None,
    *,
    max_rows: int = 1000,
    timeout: float = 10.0,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """Check and run a read query under a hard time limit; return at most ``max_rows`` rows.

    Args:
        store: the graph store.
        query: Cypher text; values must come as ``params``.
        params: query parameters.
        max_rows: rows returned at most (``truncated`` says when more existed).
        timeout: seconds; capped by the store's ``query_timeout``.
        cancel: set it to abandon the query (its connection is closed at once).

    Raises:
        ForbiddenQuery: the guard refused the query.
        QueryTimeout: the query ran past its limit.
        QueryCancelled: ``cancel`` was set.
        QueryFailed: the store rejected the query.
    """
    check_read_only(query)
    timeout = store.limit(timeout) or timeout
    cancel = cancel or threading.Event()
    started = time.perf_counter()
    box: dict[str, Any] = {}
    driver = store.dedicated_driver()
    text, tag = tagged(query)  # its own marker: a cancel must stop this request's statement only
    dog = Watchdog((lambda: store.terminate(tag=tag)) if store.terminate else None, timeout)

    def work() -> None:
        rows: list[dict[str, Any]] = []
        truncated = False
        try:
            with driver.session(database=store.database, default_access_mode=neo4j.READ_ACCESS) as s:
                result = s.run(neo4j.Query(text, timeout=timeout), params or {})
                for record in result:
                    if len(rows) >= max_rows or cancel.is_set():
                        truncated = True
                        break
                    rows.append({k: _jsonable(v) for k, v in record.items()})
                    if time.perf_counter() - started > timeout:
                        box["error"] = QueryTimeout(f"query stopped after its {timeout:g} s limit ({len(rows)} rows read)")
                        return
                box["result"] = (list(result.keys()), rows, truncated)
        except Exception as exc:  # noqa: BLE001 - handed to the waiting caller
            box["error"] = exc

    worker = threading.Thread(target=work, name="pdz-cypher", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.05)
            if cancel.is_set():
                dog.fire()  # stop it on the server too
                raise QueryCancelled("query cancelled: the client went away")
            if time.perf_counter() - started > timeout + WATCHDOG_GRACE:
                raise QueryTimeout(f"query stopped after its {timeout:g} s limit; narrow it (filters, LIMIT, shorter paths)")
    finally:
        dog.stop()
        running = worker.is_alive()
        if running:
            cancel.set()
        # A query still running loses its connection (Neo4j then ends its transaction). The driver is not
        # thread-safe: closing it under a worker still reading can trip over its buffers (BufferError);
        # the sockets are closed all the same, so only a close after the worker ended may fail loudly.
        try:
            driver.close()
        except Exception:  # noqa: BLE001
            if not running:
                raise
    err = box.get("error")
    if isinstance(err, KgError):
        raise err
    if isinstance(err, Neo4jError):
        if is_timeout(err) or dog.fired.is_set():
            raise QueryTimeout(f"query stopped after its {timeout:g} s limit; narrow it (filters, LIMIT, shorter paths)") from err
        raise QueryFailed(f"query failed: {err.code or ''} {err.message or err}".strip()) from err
    if err is not None:
        raise QueryFailed(f"query failed: {err.__class__.__name__}: {err}") from err
    keys, rows, truncated = box["result"]
    return {"columns": keys, "rows": rows, "truncated": truncated, "ms": round((time.perf_counter() - started) * 1000, 2),
            "timeout": timeout}


def _jsonable(value: Any) -> Any:
    """Graph values as JSON: nodes and relationships become their property maps."""
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
