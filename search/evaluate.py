"""Retrieval evaluation against gold questions (nDCG@10, MRR, Hit@1/3/10 per mode and per question).

A question's relevant chunks are those that overlap one of its evidence lines (1-based lines of the
named corpus file). Scores are computed from the top 10 results of each mode and counted strictly:
a hit is relevant when its own chunk is. ``ndcg@10f`` also counts a hit as relevant when a
near-identical passage folded into it (``SearchHit.duplicates``, shown to the user with the hit) is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ontology.settings import Settings
from ontology.errors import ConfigError
from search.index import MODES, SearchIndex
from ingest.pipeline import discover, parse

EVAL_K = 10
METRICS = ("ndcg@10", "mrr", "hit@10", "hit@1", "hit@3", "ndcg@10f")


def default_corpus_dir() -> Path:
    """The repository's ``corpus/`` folder."""
    return Path(__file__).resolve().parents[1] / "corpus"


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Questions with ``id``, a query (``question_it``) and ``evidence`` lines.

    Args:
        path: questions.json (``{"about": ..., "questions": [...]}``) or a bare list.

    Raises:
        ConfigError: the file is missing or not the expected JSON.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the questions ({exc})") from exc
    items = data.get("questions", []) if isinstance(data, dict) else data
    out = []
    for q in items:
        query = q.get("question_it") or q.get("query") or q.get("question")
        if query and q.get("evidence"):
            out.append({"id": q.get("id", str(len(out))), "query": query, "evidence": q["evidence"]})
    if not out:
        raise ConfigError(f"{path}: no questions with evidence found")
    return out


def build_corpus_index(
    settings: Settings,
    corpus: Path | None = None,
    *,
    index_dir: Path | None = None,
    encoder: Any | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> SearchIndex:
    """Parse every corpus file and index it; saved under ``index_dir`` (default ``data_dir/eval-index``).

    The evaluation index is kept apart from the ingest index so it never shows documents the graph
    does not hold; re-running reuses its cached vectors.

    Args:
        settings: configuration.
        corpus: folder of documents (default: the repository's ``corpus/``).
        index_dir: where to keep the evaluation index.
        encoder: an already loaded ``Encoder``.
        progress: called with (file name, done, total) while embedding.

    Raises:
        IngestError: a corpus file cannot be read.
    """

    index = SearchIndex(settings, encoder=encoder, index_dir=index_dir or settings.data_dir / "eval-index")
    seen = set()
    for path in discover([corpus or default_corpus_dir()]):
        doc = parse(path)
        seen.add(doc.id)
        cb = (lambda d, t, name=path.name: progress(name, d, t)) if progress else None
        index.update(doc, progress=cb)
    for stale in set(index.docs) - seen:
        index.remove(stale, save=False)
    index.save()
    return index


def _relevant(index: SearchIndex, evidence: Iterable[dict[str, Any]]) -> set[str]:
    wanted: dict[str, set[int]] = {}
    for ev in evidence:
        wanted.setdefault(Path(ev["doc"]).name, set()).add(int(ev["line"]))
    rel = set()
    for did, d in index.docs.items():
        lines = wanted.get(d["source"])
        if not lines:
            continue
        for c in index.chunks_by_doc.get(did, []):
            first = c["line"]
            last = first + c["text"][:-1].count("\n")
            if any(first <= ln <= last for ln in lines):
                rel.add(c["id"])
    return rel


def _scores(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    first = next((i + 1 for i, cid in enumerate(ranked) if cid in relevant), None)
    dcg = sum(1.0 / math.log2(i + 2) for i, cid in enumerate(ranked[:EVAL_K]) if cid in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), EVAL_K)))
    return {
        "hit@1": float(first is not None and first <= 1),
        "hit@3": float(first is not None and first <= 3),
        "hit@10": float(first is not None and first <= 10),
        "mrr": 1.0 / first if first else 0.0,
        "ndcg@10": dcg / ideal if ideal else 0.0,
    }


def evaluate_search(questions_path: Path, index: SearchIndex, modes: Iterable[str] = MODES) -> dict[str, Any]:
    """Score each retrieval mode on the gold questions.

    Args:
        questions_path: questions.json with evidence lines.
        index: a populated index holding the evidence documents.
        modes: the modes to score.

    Returns:
        ``{"questions": n, "modes": {mode: {metric: mean}}, "per_question": {mode: [...]}}``.

    Raises:
        ConfigError: the questions file is unreadable.
    """
    questions = load_questions(questions_path)
    index.warm(modes)
    by_span = {(c["doc_id"], c["start"]): c["id"] for c in index.chunks}
    summary: dict[str, dict[str, float]] = {}
    details: dict[str, list[dict[str, Any]]] = {}
    for mode in modes:
        rows = []
        for q in questions:
            relevant = _relevant(index, q["evidence"])
            hits = index.search(q["query"], k=EVAL_K, mode=mode)
            ranked = [h.chunk_id for h in hits]
            # folded: a hit also stands for the near-identical passages folded into it (the same table in two documents)
            folded = [c if c in relevant or not any(by_span.get((d.doc_id, d.start)) in relevant for d in h.duplicates)
                      else next(by_span[(d.doc_id, d.start)] for d in h.duplicates if by_span.get((d.doc_id, d.start)) in relevant)
                      for c, h in zip(ranked, hits)]
            s = _scores(ranked, relevant)
            s["ndcg@10f"] = _scores(folded, relevant)["ndcg@10"]
            first = next((i + 1 for i, c in enumerate(ranked) if c in relevant), None)
            rows.append({"id": q["id"], "query": q["query"], "relevant": len(relevant), "first_relevant_rank": first, **s})
        details[mode] = rows
        n = len(rows) or 1
        summary[mode] = {m: round(sum(r[m] for r in rows) / n, 4) for m in METRICS}
    return {"questions": len(questions), "k": EVAL_K, "modes": summary, "per_question": details}
