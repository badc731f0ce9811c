"""What the `pdz search` and `pdz eval search` commands call: open an index, run queries, evaluate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ontology.settings import Settings
from search.errors import QueryError
from search.evaluate import build_corpus_index, evaluate_search, load_questions
from ontology.views import SearchFilters
from search.index import SearchIndex


def _note(msg: str) -> None:
    sys.stderr.write(msg + "\n")


def open_index(settings: Settings, *, need_sources: set[str] | None = None, corpus: Path | None = None) -> SearchIndex:
    """The persisted ingest index, or (when there is none, or it lacks ``need_sources``) an index
    built from the corpus files and kept under ``data_dir/eval-index``.

    Args:
        settings: configuration.
        need_sources: file names the index must hold (the evaluation's evidence documents).
        corpus: folder of documents for the fallback index.

    Raises:
        IndexCorruptError: a persisted index is unreadable.
        IngestError: a corpus file cannot be read.
    """
    if SearchIndex.exists(settings):
        index = SearchIndex.load(settings)
        have = {d["source"] for d in index.docs.values()}
        if index.chunks and (not need_sources or need_sources <= have):
            return index
        _note(f"search index at {settings.index_dir} lacks documents; using an index of the corpus files")
    else:
        _note(f"no search index at {settings.index_dir} yet (run `pdz ingest`); indexing the corpus files")
    return build_corpus_index(settings, corpus, progress=_progress())


def _progress():
    state = {"last": None}

    def cb(name: str, done: int, total: int) -> None:
        if total and (done == total or state["last"] != name):
            _note(f"  embedding {name}: {done}/{total}")
        state["last"] = name

    return cb


def read_queries(path: Path) -> list[dict[str, str]]:
    """Queries of a JSONL file, one ``{"id", "query"}`` object per line.

    Args:
        path: the JSONL file.

    Raises:
        QueryError: the file is unreadable or a line is not such an object.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the queries ({exc})") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise QueryError(f"{path}:{n}: not JSON ({exc})") from exc
        if not isinstance(item, dict) or not isinstance(item.get("query"), str):
            raise QueryError(f'{path}:{n}: expected {{"id": ..., "query": "..."}}')
        out.append({"id": str(item.get("id", n)), "query": item["query"]})
    return out


def run_queries(
    index: SearchIndex, queries: list[dict[str, str]], *, k: int = 10, filters: SearchFilters | None = None, mode: str = "hybrid"
) -> dict[str, Any]:
    """Run several queries against one loaded index.

    Args:
        index: the index.
        queries: ``{"id", "query"}`` items.
        k: results per query.
        filters: restrictions applied to every query.
        mode: hybrid, dense or bm25.

    Raises:
        QueryError: a query is empty or the mode unknown.
    """
    results = []
    for q in queries:
        hits = index.search(q["query"], k=k, filters=filters, mode=mode)
        results.append({"id": q["id"], "query": q["query"], "results": [h.model_dump(mode="json") for h in hits]})
    return {"mode": mode, "k": k, "queries": results}


def eval_search_report(settings: Settings, questions: Path) -> dict[str, Any]:
    """Retrieval metrics of every mode on ``questions`` (see ``search.evaluate``).

    Args:
        settings: configuration.
        questions: questions.json with evidence lines.

    Raises:
        ConfigError: the questions file is unreadable.
    """
    sources = {Path(ev["doc"]).name for q in load_questions(questions) for ev in q["evidence"]}
    index = open_index(settings, need_sources=sources)
    report = evaluate_search(questions, index)
    report["index"] = index.stats()
    return report
