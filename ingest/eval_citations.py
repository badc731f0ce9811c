"""Score citation extraction against the gold set (``shared/eval/citations.json``).

Matching rules:

- Only explicit gold citations are targets (``implicit: false``). A prediction that matches an
  implicit gold record (an act identified from context, such as "la legge delega sulla disabilità")
  is neither a true nor a false positive: it is counted apart as ``ignored``.
- A prediction matches a gold record when the document and ``norm_id`` are equal and their lines
  overlap: a prediction covers the lines from its first to its last character, a gold record covers
  its line, plus the next two when its ``raw`` is not found whole on that line (a citation split
  over lines, which the gold joins with one space). Each gold record matches at most one prediction
  (greedy, nearest line first), so two citations of one act on one line need two predictions.
- Scores are given overall and per act type: the citation's ``act_type``, except that regional laws
  are grouped as ``legge.regionale`` (apart from state ``legge``) and both codes as ``codice``; a
  false negative is grouped by the gold ``type``, mapped to the same names.
- Documents are scored only when the gold annotates them (they appear in any gold list, or in an
  explicit ``documents`` list when the gold has one). Other documents are reported under
  ``unscored`` with their number of predictions, never counted as false positives.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from ontology.model import Citation
from ingest.pipeline import discover, parse
from ontology.errors import KgError


class GoldError(KgError):
    """The gold file is missing or malformed."""


def _norm_space(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def load_gold(gold_path: Path) -> dict[str, Any]:
    """Read the gold file.

    Args:
        gold_path: the JSON gold set with a ``citations`` list.

    Raises:
        GoldError: the file is missing, not JSON, or has no ``citations`` list.
    """
    try:
        data = json.loads(gold_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GoldError(f"{gold_path}: gold file not found; pass --gold with the path of citations.json") from exc
    except json.JSONDecodeError as exc:
        raise GoldError(f"{gold_path}: not valid JSON ({exc})") from exc
    if not isinstance(data.get("citations"), list):
        raise GoldError(f"{gold_path}: no 'citations' list; is this the citations gold set?")
    return data


def _gold_span(rec: dict[str, Any], lines: list[str]) -> tuple[int, int]:
    line = int(rec["line"])
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    whole = _norm_space(rec.get("raw", "")) in _norm_space(text)
    return line, line if whole else line + 2


def _act_group(c: Citation | None, gold_type: str | None = None) -> str:
    if c is not None:
        return "codice" if c.act_type.startswith("codice") else c.act_type
    return {
        "legge_statale": "legge",
        "legge_regionale": "legge.regionale",
        "dlgs": "decreto.legislativo",
        "dgr": "deliberazione.giunta.regionale",
        "dcr": "deliberazione.consiglio.regionale",
        "decreto_ministeriale": "decreto",
        "circolare": "circolare",
        "codice": "codice",
    }.get(gold_type or "", gold_type or "other")


def _pred_group(c: Citation) -> str:
    if c.act_type == "legge" and c.authority.startswith("regione."):
        return "legge.regionale"
    return _act_group(c)


def evaluate_citations(gold_path: Path, corpus_dir: Path) -> dict[str, Any]:
    """Precision, recall and F1 of :func:`extract_citations` over a corpus, overall and per act type.

    Args:
        gold_path: the gold JSON (``citations``, optionally ``secondary_references``,
            ``excluded_candidates``, ``documents``).
        corpus_dir: the folder holding the documents the gold names.

    Returns:
        ``{"overall": {...}, "by_act_type": {type: {...}}, "false_positives": [...],
        "false_negatives": [...], "ignored": n, "documents": [...], "unscored": {doc: n}}``.

    Raises:
        GoldError: the gold file is missing or malformed, or a gold document is not in the corpus.
    """
    gold = load_gold(gold_path)
    if not corpus_dir.is_dir():
        raise GoldError(f"{corpus_dir}: corpus folder not found; pass --corpus")
    annotated = set(gold.get("documents") or [])
    for key in ("citations", "secondary_references", "excluded_candidates"):
        annotated |= {r["doc"] for r in gold.get(key, []) if "doc" in r}
    files = {p.name: p for p in discover([corpus_dir])}
    missing = sorted(annotated - files.keys())
    if missing:
        raise GoldError(f"gold documents not found in {corpus_dir}: {', '.join(missing)}")

    fps: list[dict[str, Any]] = []
    fns: list[dict[str, Any]] = []
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    ignored = 0
    unscored: dict[str, int] = {}
    for name in sorted(files):
        doc = parse(files[name])
        preds = doc.citations
        if name not in annotated:
            unscored[name] = len(preds)
            continue
        lines = doc.raw_text.split("\n")
        recs = [r for r in gold["citations"] if r["doc"] == name]
        explicit = [(r, _gold_span(r, lines)) for r in recs if not r.get("implicit")]
        implicit = [(r, _gold_span(r, lines)) for r in recs if r.get("implicit")]
        used: set[int] = set()
        for c in sorted(preds, key=lambda c: c.prov.start):
            l0, l1 = c.prov.line, doc.line_of(max(c.prov.end - 1, c.prov.start))
            best, best_d = None, None
            for i, (r, (g0, g1)) in enumerate(explicit):
                if i in used or r["normalized_id"] != c.norm_id or g1 < l0 or l1 < g0:
                    continue
                d = abs(g0 - l0)
                if best_d is None or d < best_d:
                    best, best_d = i, d
            group = _pred_group(c)
            if best is not None:
                used.add(best)
                counts[group][0] += 1
                continue
            if any(r["normalized_id"] == c.norm_id and not (g1 < l0 or l1 < g0) for r, (g0, g1) in implicit):
                ignored += 1
                continue
            counts[group][1] += 1
            fps.append({"doc": name, "line": l0, "raw": c.raw, "norm_id": c.norm_id, "act_type": group})
        for i, (r, _) in enumerate(explicit):
            if i not in used:
                group = _act_group(None, r.get("type"))
                counts[group][2] += 1
                fns.append({"doc": name, "line": r["line"], "raw": r["raw"], "norm_id": r["normalized_id"], "act_type": group, "cid": r.get("cid")})
    tp, fp, fn = (sum(v[i] for v in counts.values()) for i in range(3))
    return {
        "overall": _prf(tp, fp, fn),
        "by_act_type": {k: _prf(*v) for k, v in sorted(counts.items())},
        "false_positives": fps,
        "false_negatives": fns,
        "ignored": ignored,
        "documents": sorted(annotated),
        "unscored": unscored,
    }
