"""Score citation extraction on snippet cases (``shared/eval/linkoln/cases.jsonl``) and real texts.

A case is one JSON line ``{"id", "text", "expected": [{"authority", "act_type", "year", "number",
"date", "article", "kind", ...}]}``: one expected record per (act, article) pair, so "artt. 13 e 18
della legge n. 349/1986" expects two records. The text is read as a document of unknown region
(``Document.region = None``).

Matching rules:

- Predictions are expanded the same way: a citation with ``article = "13,18"`` gives two items.
- An item matches an expected record when the act is the same: same *kind* (the act family, in the
  Linkoln vocabulary: ``legge``, ``dlgs``, ``lr``, ``dm``, ``rd``...; see :func:`kind_of`), same year,
  same number (``2/B`` = ``2-B``, case folded), same date when the record has a date and no number,
  and a compatible authority: a specific authority (``ministero.finanze``, ``regione.toscana``) must
  be equal; a generic one (``regione``, ``ministero.``, ``comune``) accepts any of its class. The
  state's organs (stato, presidente.repubblica, presidente.consiglio.ministri...) are one class,
  since the kind already tells them apart.
- Each expected record matches at most one item: first an item with the same article, then any.
  Article accuracy is computed over matched pairs whose record names an article.
- Precision = matched items / predicted items; recall = matched records / expected records, overall
  and per expected kind (a false positive is grouped by its predicted kind).

Real texts (``shared/eval/realtexts``): ``gold.json`` lists per document ``normative_citations``
with ``normalized`` (a norm_id) and ``article``. A document is parsed as ingest does (its region is
whatever ingest detects). Predictions and gold records match by norm_id, one to one (occurrences
count); article accuracy is counted where the gold names an article.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from ingest.citations import extract_citations
from ingest.model import Document
from ingest.norm_grammar import region_key
from ingest.pipeline import discover, parse
from ontology.errors import KgError
from ontology.model import Citation


class CasesError(KgError):
    """The cases file or the real-texts folder is missing or malformed."""


# The realtexts documents kept apart for checking (never developed on): the project's held-out set.
REALTEXTS_HELD_OUT = frozenset({
    "03_valle_brembana_sad_accreditamento", "07_garda_pdz_2009_2011", "13_cremonese_sil", "19_magentino_spazio_neutro",
    "23_monza_pdz_2024_2026_percorso", "31_gallarate_dopo_di_noi", "34_fidenza_adp_2007_emilia",
})  # fmt: skip
STATE_ORGANS = {"stato", "presidente.repubblica", "presidente.consiglio.ministri", "capo.provvisorio.stato", "capo.governo"}
# norm_id family (the part before the first ":" and before a region) -> Linkoln kind
FAMILY_KINDS = {
    "legge": "legge", "dl": "dl", "dlgs": "dlgs", "dpr": "dpr", "dpcm": "dpcm", "legge.costituzionale": "lcost",
    "lr": "lr", "rr": "rr", "dgr": "dgr", "dcr": "dcr", "dpgr": "dpgr", "statuto": "statuto.regionale",
    "decreto": "decreto.regionale", "circolare": "circolare.regionale",
    "rd": "rd", "rdl": "rdl", "rdlgs": "rdlgs", "dlt": "dlt", "dlgslgt": "dlgslgt", "dllgt": "dllgt",
    "dcps": "dcps", "dlcps": "dlcps", "dlcps.legge": "dlcps.legge", "dcg": "decreto.capo.governo",
    "dlgs.presidenziale": "dlgs.presidenziale", "dm": "dm", "dim": "dm", "om": "om", "rm": "regolamento.ministeriale",
    "circolare.ministero": "circolare.ministero", "circolare.agea": "circolare.agenzia.erogazioni.agricoltura",
    "risoluzione.ade": "risoluzione.agenzia.entrate", "cipe": "delibera.cipe", "opcm": "opcm",
    "dd": "decreto.dirigenziale", "dgc": "dgc", "lp": "legge.provinciale", "testo.unico": "testo.unico",
    "decreto.sa": "decreto.senza.autorita", "circolare.sa": "circolare.senza.autorita",
    "regolamento.sa": "regolamento.senza.autorita", "deliberazione.sa": "deliberazione.senza.autorita",
    "ordinanza.sa": "ordinanza.senza.autorita", "provvedimento.sa": "provvedimento.senza.autorita",
    "determinazione.sa": "determinazione.senza.autorita", "dic": "determinazione.intercommissariale.senza.autorita",
    "reg.ue": "regolamento.ue", "direttiva.ue": "direttiva.ue",
    "codice.civile": "codice.civile", "codice.penale": "codice.penale", "codice.procedura.civile": "codice.procedura.civile",
    "codice.procedura.penale": "codice.procedura.penale", "costituzione": "costituzione",
}  # fmt: skip


def kind_of(c: Citation) -> str:
    """The act family of a citation in the Linkoln vocabulary ("legge", "lr", "dm", "rd"...).

    The norm_id family is looked up by its longest dotted prefix: ``lr.toscana`` -> ``lr``,
    ``circolare.ministero.finanze`` -> ``circolare.ministero``.
    """
    parts = c.norm_id.split(":", 1)[0].split(".")
    for n in range(len(parts), 0, -1):
        kind = FAMILY_KINDS.get(".".join(parts[:n]))
        if kind:
            return kind
    return parts[0]


def _num_key(s: Any) -> str | None:
    if s is None:
        return None
    return re.sub(r"[\s/_-]+", "-", str(s).strip().lower())


def _art_key(s: Any) -> str | None:
    if s is None:
        return None
    return re.sub(r"[\s.\-]+", "", str(s).lower())


def _authority_ok(expected: str, c: Citation) -> bool:
    pred = c.urn.split(":")[2] if c.urn.count(":") >= 3 else c.authority
    if expected in STATE_ORGANS:
        return pred in STATE_ORGANS or c.authority in STATE_ORGANS
    if not expected:
        return True
    classes = [p.rstrip(".") for p in expected.split("+")]
    if all(p in ("regione", "ministero", "comune", "provincia", "direzione", "") for p in classes):
        return pred.startswith(classes[0]) or c.authority.startswith(classes[0])
    return expected in (pred, c.authority)


def _items(cits: list[Citation]) -> list[tuple[Citation, str | None]]:
    """One item per (act, article) and, under a single article, per comma ("art. 8, commi 6 e 7")."""
    out: list[tuple[Citation, str | None]] = []
    for c in cits:
        arts = [a.strip() for a in (c.article or "").split(",") if a.strip()] or [None]
        commas = [x for x in (c.comma or "").split(",") if x.strip()]
        n = len(commas) if len(arts) == 1 and arts[0] and len(commas) > 1 and "ss." not in (c.comma or "") else 1
        out.extend((c, a) for a in arts for _ in range(n))
    return out


def _act_ok(e: dict[str, Any], c: Citation) -> bool:
    if e.get("kind") != kind_of(c):
        return False
    if e.get("year") is not None and str(e["year"]) != str(c.year):
        return False
    if _num_key(e.get("number")) != _num_key(c.number):
        return False
    if e.get("number") is None and e.get("date") and e["date"] != c.date:
        return False
    return _authority_ok(e.get("authority") or "", c)


def _same_norm(expected: Any, c: Citation) -> bool:
    """A realtexts gold id against a predicted citation. The gold writes ``?`` for a number or year
    the text does not give ("dgr.lombardia:2017:?" for "DGR n del 7 giugno 2017"); such an act is
    one of the same family with no number (ingest ids it by date, "dgr.lombardia:2017-06-07"), or
    with the gold's number and any year."""
    if not isinstance(expected, str):
        return False
    if c.norm_id == expected:
        return True
    parts = expected.split(":")
    if len(parts) != 3 or "?" not in parts[1:]:
        return False
    fam, year, number = parts
    if c.norm_id.split(":", 1)[0] != fam:
        return False
    if number == "?" and c.number is not None:
        return False
    if number != "?" and _num_key(number) != _num_key(c.number):
        return False
    return year == "?" or str(c.year) == year


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4)}


def _text_doc(text: str, name: str) -> Document:
    doc = Document(
        id=f"case:{name}",
        source=name,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        mimetype="text/plain",
        size=len(text),
        raw_text=text,
        text=text,
    )
    doc.region = None  # type: ignore[assignment]  # a snippet says nothing about its region
    return doc


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL cases file.

    Args:
        path: one JSON object per line with ``id``, ``text`` and an ``expected`` list.

    Raises:
        CasesError: the file is missing, a line is not JSON, or a case lacks text or expected.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise CasesError(f"{path}: cases file not found; pass --cases with a JSONL file") from exc
    cases = []
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CasesError(f"{path}:{i}: not valid JSON ({exc})") from exc
        if not isinstance(case, dict) or not isinstance(case.get("text"), str) or not isinstance(case.get("expected"), list):
            raise CasesError(f"{path}:{i}: a case needs 'text' (string) and 'expected' (list)")
        case.setdefault("id", f"line-{i}")
        cases.append(case)
    return cases


def evaluate_cases(path: Path, ids: str = "all") -> dict[str, Any]:
    """Precision, recall and article accuracy over snippet cases, overall and per act kind.

    Args:
        path: the JSONL cases file.
        ids: ``all``, ``even`` or ``odd``: score every case or only those with an even/odd
            position in the file (a development/check split).

    Returns:
        ``{"overall": {...}, "by_kind": {kind: {...}}, "article_accuracy": x, "articles": {...},
        "failures": [{"id", "text", "missed", "spurious", "wrong_article"}], "cases": n}``.

    Raises:
        CasesError: the file is missing or malformed, or ``ids`` is not all/even/odd.
    """
    if ids not in ("all", "even", "odd"):
        raise CasesError(f"--split {ids!r}: use all, even or odd")
    cases = load_cases(path)
    if ids != "all":
        cases = [c for i, c in enumerate(cases) if (i % 2 == 0) == (ids == "even")]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    art_ok = art_n = 0
    failures = []
    for case in cases:
        items = _items(extract_citations(_text_doc(case["text"], str(case["id"]))))
        used: set[int] = set()
        missed, wrong = [], []
        for e in case["expected"]:
            cands = [i for i, (c, _) in enumerate(items) if i not in used and _act_ok(e, c)]
            same = [i for i in cands if _art_key(items[i][1]) == _art_key(e.get("article"))]
            pick = (same or cands or [None])[0]
            kind = e.get("kind") or "other"
            if pick is None:
                counts[kind][2] += 1
                missed.append(e.get("urn") or e)
                continue
            used.add(pick)
            counts[kind][0] += 1
            if e.get("article") is not None:
                art_n += 1
                if pick in same:
                    art_ok += 1
                else:
                    wrong.append({"expected": e.get("article"), "got": items[pick][1]})
        spurious = []
        for i, (c, art) in enumerate(items):
            if i not in used:
                counts[kind_of(c)][1] += 1
                spurious.append({"norm_id": c.norm_id, "raw": c.raw, "article": art, "urn": c.urn})
        if missed or spurious or wrong:
            failures.append({"id": case["id"], "text": case["text"], "missed": missed, "spurious": spurious, "wrong_article": wrong})
    tp, fp, fn = (sum(v[i] for v in counts.values()) for i in range(3))
    return {
        "cases": len(cases),
        "overall": _prf(tp, fp, fn),
        "article_accuracy": round(art_ok / art_n, 4) if art_n else 1.0,
        "articles": {"correct": art_ok, "scored": art_n},
        "by_kind": {k: _prf(*v) for k, v in sorted(counts.items())},
        "failures": failures,
    }


def evaluate_realtexts(folder: Path, held_out: frozenset[str] = frozenset(), *, only: str = "all", gold_region: bool = False) -> dict[str, Any]:
    """Precision and recall of citations on real texts against ``gold.json`` (``normative_citations``).

    Args:
        folder: the realtexts folder, holding ``gold.json`` and ``docs/``.
        held_out: document stems kept apart; their failures are never listed.
        only: ``all``, ``dev`` (documents not held out) or ``held_out``.
        gold_region: give each document the region its gold records (``region``, None when the
            gold has none) instead of what ingest detects: scores the citation grammar apart from
            region detection.

    Returns:
        ``{"dev": {...}, "held_out": {...}, "failures": [...]}``; each part has tp, fp, fn,
        precision, recall and article accuracy. Failures are listed for dev documents only.

    Raises:
        CasesError: the folder, its gold or one of its documents is missing or malformed.
    """
    gold_path = folder / "gold.json"
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["documents"]
    except FileNotFoundError as exc:
        raise CasesError(f"{gold_path}: gold file not found; pass --realtexts with the realtexts folder") from exc
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise CasesError(f"{gold_path}: not a realtexts gold (a JSON object with 'documents'): {exc}") from exc
    files = {p.name: p for p in discover([folder / "docs"])}
    parts: dict[str, list[int]] = {"dev": [0, 0, 0, 0, 0], "held_out": [0, 0, 0, 0, 0]}
    failures = []
    for name, rec in sorted(gold.items()):
        part = "held_out" if Path(name).stem in held_out else "dev"
        if only != "all" and part != only:
            continue
        if name not in files:
            raise CasesError(f"{folder / 'docs' / name}: document of the gold not found")
        expected = rec.get("normative_citations") or []
        doc = parse(files[name])
        if gold_region:
            doc.region = region_key(rec["region"]) if rec.get("region") else None  # type: ignore[assignment]
            doc.citations = extract_citations(doc)
        preds = list(doc.citations)
        used: set[int] = set()
        acc = parts[part]
        for e in expected:
            cands = [i for i, c in enumerate(preds) if i not in used and _same_norm(e.get("normalized"), c)]
            same = [i for i in cands if _art_key((preds[i].article or "").split(",")[0] or None) == _art_key(e.get("article"))]
            pick = (same or cands or [None])[0]
            if pick is None:
                acc[2] += 1
                if part == "dev":
                    failures.append({"doc": name, "missed": e.get("normalized"), "raw": e.get("raw")})
                continue
            used.add(pick)
            acc[0] += 1
            if e.get("article") is not None:
                acc[4] += 1
                acc[3] += pick in same
        for i, c in enumerate(preds):
            if i not in used:
                acc[1] += 1
                if part == "dev":
                    failures.append({"doc": name, "spurious": c.norm_id, "raw": c.raw})
    out: dict[str, Any] = {}
    for part, (tp, fp, fn, ok, n) in parts.items():
        out[part] = {**_prf(tp, fp, fn), "article_accuracy": round(ok / n, 4) if n else 1.0}
    out["failures"] = failures
    return out
