"""Score entity extraction against the gold (``shared/eval/entities.json``), per type.

Types: governance bodies, services, comuni, people, objectives, networks. Only documents present in
both the gold and the corpus are scored.

Matching (documented, symmetric, lenient on wording, strict on place):
- a predicted entity's names are its name and aliases; a gold item's names are its name/title/area,
  its "titles", "aliases_in_text" and its evidence quotes;
- NAME match: after normalisation (folded, punctuation-free) one name contains the other (>= 4
  chars), or their content words overlap with Jaccard >= 0.5;
- LINE match: one of the entity's mention lines is within 2 lines of a gold evidence line AND they
  share at least one content word;
- a gold item is recalled when some prediction of its type matches it (NAME or LINE); a prediction
  is correct when it matches a gold item of its type, or - for bodies, services and networks, which
  the gold files under neighbouring lists (a Tavolo is both a body and a network) - of a neighbouring
  list (actors, governance bodies, services, networks).
- people: only NAMED people are scored (the gold's "(unnamed) ..." rows are posts, not people).
- comuni: the gold's comuni_members of every Ambito plus actors named "Comune di X".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ingest.model import Document
from ontology.errors import KgError
from ontology.vocab import words_key
from ingest.pipeline import parse

STOP = frozenset("il lo la i gli le l un una di del della dello dei degli delle dell da dal dalla in nel nella con su per tra e ed o a al alla ai ambito progetto servizio servizi tavolo tavoli".split())
TYPES = {
    "governance_bodies": "GovernanceBody",
    "services": "Service",
    "comuni": "Comune",
    "people": "Person",
    "objectives": "Objective",
    "networks": "Network",
}
NEIGHBOURS = {
    "governance_bodies": ["networks", "actors"],
    "services": ["actors", "networks"],
    "networks": ["governance_bodies", "actors", "services"],
}


class EvalError(KgError):
    """The gold file is missing or malformed."""




def _words(s: str) -> set[str]:
    return {w for w in words_key(s).split() if w not in STOP and len(w) > 2}


def _name_match(a: str, b: str) -> bool:
    na, nb = words_key(a), words_key(b)
    if len(na) >= 4 and len(nb) >= 4 and (na in nb or nb in na):
        return True
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.5


def _gold_items(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in [*TYPES, "actors"]}

    def item(names: list[str], ev: list[dict]) -> dict[str, Any]:
        return {"names": [n for n in names if n], "lines": [e.get("line") for e in ev if e.get("line")],
                "quotes": [e.get("quote", "") for e in ev]}

    for g in doc.get("governance_bodies", []):
        out["governance_bodies"].append(item([g.get("name", "")], g.get("evidence", [])))
    for g in doc.get("services_initiatives", []):
        out["services"].append(item([g.get("name", "")], g.get("evidence", [])))
    for g in doc.get("networks", []):
        out["networks"].append(item([g.get("name", "")], g.get("evidence", [])))
    for g in doc.get("actors", []):
        out["actors"].append(item([g.get("name", "")], g.get("evidence", [])))
    for g in doc.get("people", []):
        if not g.get("name", "").startswith("("):
            out["people"].append(item([g["name"]], g.get("evidence", [])))
    for key in ("objectives", "objectives_2021_2023", "previous_cycle_results_2018_2020"):
        for g in doc.get(key, []):
            out["objectives"].append(item([g.get("title", ""), g.get("area", ""), *g.get("titles", [])], g.get("evidence", [])))
    comuni: dict[str, dict[str, Any]] = {}
    for a in doc.get("ambiti", []):
        for c in a.get("comuni_members", []):
            name = re.split(r"\s+[\u2013-]\s+|\s*\(", c.strip("() "))[0].strip()
            comuni.setdefault(words_key(name), item([name], []))
    for g in doc.get("actors", []):
        m = re.match(r"Comune di ([^(]+)", g.get("name", ""))
        if m:
            name = m.group(1).strip()
            it = comuni.setdefault(words_key(name), item([name], []))
            it["lines"] += [e.get("line") for e in g.get("evidence", []) if e.get("line")]
    out["comuni"] = list(comuni.values())
    return out


def _matches(pred: dict[str, Any], gold: dict[str, Any], *, use_lines: bool) -> bool:
    for pn in pred["names"]:
        for gn in gold["names"]:
            if _name_match(pn, gn):
                return True
    if not use_lines:
        return False
    pw = set().union(*(_words(n) for n in pred["names"])) if pred["names"] else set()
    gw = set().union(*(_words(n) for n in gold["names"] + gold["quotes"])) if gold["names"] else set()
    if not pw & gw:
        return False
    return any(abs(pl - gl) <= 2 for pl in pred["lines"] for gl in gold["lines"])


def _predictions(doc: Document, label: str) -> list[dict[str, Any]]:
    out = []
    for e in doc.entities:
        if e.label != label:
            continue
        names = [e.name, *e.props.get("aliases", [])]
        if e.props.get("name_pref"):
            names.append(e.props["name_pref"])
        out.append({"id": e.id, "names": names, "lines": e.props.get("lines") or [e.prov.line]})
    return out


def evaluate_entities(gold_path: Path, corpus_dir: Path, docs: list[Document] | None = None) -> dict[str, Any]:
    """Recall and precision per type over the documents of the gold.

    Args:
        gold_path: the gold JSON (``shared/eval/entities.json``).
        corpus_dir: where the gold's documents are (files are matched by name).
        docs: already analysed documents (parsed from ``corpus_dir`` when None).

    Raises:
        EvalError: the gold is missing or has no documents.
    """

    if not gold_path.is_file():
        raise EvalError(f"gold file not found: {gold_path}")
    gold = json.loads(gold_path.read_text(encoding="utf-8")).get("documents") or {}
    if not gold:
        raise EvalError(f"{gold_path} has no documents")
    if docs is None:
        docs = [parse(corpus_dir / name, ocr="never") for name in sorted(gold) if (corpus_dir / name).is_file()]
    by_source = {d.source: d for d in docs}
    totals = {t: {"gold": 0, "recalled": 0, "predicted": 0, "correct": 0, "missed": [], "wrong": []} for t in TYPES}
    for source, gdoc in gold.items():
        doc = by_source.get(source)
        if doc is None:
            continue
        items = _gold_items(gdoc)
        for t, label in TYPES.items():
            preds = _predictions(doc, label)
            use_lines = t not in ("comuni", "people")
            row = totals[t]
            for g in items[t]:
                row["gold"] += 1
                if any(_matches(p, g, use_lines=use_lines) for p in preds):
                    row["recalled"] += 1
                else:
                    row["missed"].append(f"{source}: {g['names'][0][:80]}")
            pool = items[t] + [g for n in NEIGHBOURS.get(t, []) for g in items[n]]
            for p in preds:
                row["predicted"] += 1
                if any(_matches(p, g, use_lines=use_lines) for g in pool):
                    row["correct"] += 1
                else:
                    row["wrong"].append(f"{source}: {p['names'][0][:80]}")
    for row in totals.values():
        row["recall"] = round(row["recalled"] / row["gold"], 3) if row["gold"] else None
        row["precision"] = round(row["correct"] / row["predicted"], 3) if row["predicted"] else None
    return {"gold": str(gold_path), "documents": sorted(s for s in gold if s in by_source), "types": totals}
