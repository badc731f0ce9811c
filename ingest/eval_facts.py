"""Score the facts read from unseen texts against a gold in the format of ``shared/eval/realtexts``.

Fields: region, ambito (the document's own Ambito and the further Ambiti it covers), comuni (members
of those Ambiti), ats_asst (ATS, ASST and ASL), bodies (name and type), services (name and type),
services_status (name, type and status).

Matching is on normalised names only, never on line numbers or a shared word:
- a name is normalised by folding case and accents, dropping punctuation, articles and
  prepositions, and cutting the final vowels of each word (singular and plural, masculine and
  feminine meet: "Servizi Sociali Comunali" = "Servizio Sociale Comunale");
- Ambito and health-agency names are compared on their core, once the generic head is removed
  ("Ambito Territoriale di Cantù" -> "cantu", "ATS della Val Padana" -> "valpadana");
- bodies and services must have the same type; their names match when equal or when one is a whole
  run of the other's words with at least two words ("Assemblea dei Sindaci" inside "Assemblea dei
  sindaci del piano di zona");
- comuni match on their full normalised name (the prediction's names are the ISTAT name and the
  surface forms read in the text);
- gold items flagged ``uncertain`` are optional: missing them costs no recall, predicting them costs
  no precision.
Each field is reported for the development texts, the held-out texts and all texts apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ingest.model import Document
from ingest.pipeline import parse
from ontology.errors import KgError
from ontology.labels import Label, Rel
from ontology.vocab import words_key

FIELDS = ["region", "ambito", "comuni", "ats_asst", "bodies", "services", "services_status"]
SUBSETS = ["dev", "held_out", "all"]
GOLD_BODY_TYPES = {"assemblea_sindaci", "ufficio_di_piano", "tavolo_tecnico", "tavolo_terzo_settore", "cabina_di_regia",
                   "collegio_vigilanza", "tavolo_tematico"}
GOLD_SERVICE_TYPES = {"agenzia_abitare", "pua", "segretariato_sociale", "servizio_sociale_professionale", "sad", "adm",
                      "tutela_minori", "affido", "centro_famiglia", "housing_sociale", "dopo_di_noi", "sil", "spazio_neutro",
                      "centro_antiviolenza", "antiviolenza", "consultorio"}
STOP = frozenset("il lo la i gli le l un una uno di del della dello dei degli delle dell d da dal dalla dai dalle in nel nella "
                 "nei nelle con su sul sulla per tra fra e ed o a al alla ai agli alle".split())
AMBITO_HEAD = re.compile(r"^(?:(?:piano di zona|pdz|ambit[oi]|distrett[oi]|territorial[ei]|distrettual[ei]|social[ei]|zonal[ei]"
                         r"|sovracomunal[ei]|n|nr|numero|\d+)\s+|(?:di|del|della|dell|dello|dei)\s+)+")
AGENCY_HEAD = re.compile(r"^(?:(?:agenzia (?:di|per la) tutela della salute|azienda socio sanitaria territoriale|azienda sanitaria locale"
                         r"|azienda unita sanitaria locale|ats|asst|asl|ausl|ulss|a s l|a t s)\s+|(?:di|del|della|dell|dello|dei)\s+)+")


class EvalError(KgError):
    """The gold file or the held-out list is missing or malformed."""




def words(s: str) -> list[str]:
    """Content words of a name with the final vowel cut."""
    return [re.sub(r"[aeiou]{1,2}$", "", w) if len(w) > 4 else w for w in words_key(s).split() if w not in STOP]


def ambito_core(s: str) -> str:
    core = AMBITO_HEAD.sub("", words_key(s)).replace(" ", "")
    if not core:  # an Ambito named by its number only ("Ambito Territoriale nr. 4", "Ambito n. 4"): the number
        core = "".join(re.findall(r"\d+", words_key(s)))
    return core


def agency_core(s: str) -> str:
    core = AGENCY_HEAD.sub("", words_key(s))
    return " ".join(w for w in core.split() if w not in STOP).replace(" ", "")


def _run_in(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return n >= 2 and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def phrase_match(a: str, b: str) -> bool:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    return wa == wb or _run_in(wa, wb) or _run_in(wb, wa)


def _gold_names(item: Any) -> tuple[list[str], bool]:
    if isinstance(item, str):
        return [item], False
    return [item.get("name", ""), *item.get("aliases", [])], bool(item.get("uncertain"))


def gold_facts(g: dict[str, Any]) -> dict[str, Any]:
    """The gold of one document as {field: [(names, type, status, optional)]} (region: a string or None)."""
    out: dict[str, Any] = {"region": g.get("region")}
    amb = [a for a in [g.get("ambito"), *(g.get("additional_ambiti") or [])] if a]
    out["ambito"] = [(_gold_names(a)[0], None, None, bool(a.get("uncertain"))) for a in amb]
    com = g.get("comuni") or {}
    out["comuni"] = [([n], None, None, False) for n in com.get("names", [])]
    out["comuni"] += [([n], None, None, True) for n in com.get("implicit_names", [])]
    out["ats_asst"] = []
    for key in ("ats", "asst", "asl"):
        for it in g.get(key) or []:
            names, unc = _gold_names(it)
            out["ats_asst"].append((names, None, None, unc))
    out["bodies"] = []
    for b in g.get("governance_bodies") or []:
        t = b.get("type") if b.get("type") in GOLD_BODY_TYPES else "other"
        out["bodies"].append((_gold_names(b)[0], t, None, bool(b.get("uncertain"))))
    out["services"], out["services_status"] = [], []
    for s in g.get("services") or []:
        t = s.get("type") if s.get("type") in GOLD_SERVICE_TYPES else "other"
        names, unc = _gold_names(s)
        out["services"].append((names, t, None, unc))
        out["services_status"].append((names, t, s.get("status"), unc))
    return out


STATUS_RANK = {"active": 4, "planned": 3, "feasibility_study": 2, "concluded": 1}


def predicted_facts(doc: Document) -> dict[str, Any]:
    """What the extractors found, in the same shape as ``gold_facts``."""
    ents = {e.id: e for e in doc.entities}
    names = lambda e: [e.name, *e.props.get("aliases", [])]  # noqa: E731
    out: dict[str, Any] = {"region": doc.region}
    ambiti = [e for e in doc.entities if e.label == Label.AMBITO and e.props.get("scope") in ("own", "covered")]
    amb_ids = {e.id for e in ambiti}
    out["ambito"] = [(names(e), None, None, False) for e in ambiti]
    members = {r.src for r in doc.relations if r.type == Rel.MEMBER_OF and r.dst in amb_ids}
    members |= {e.id for e in doc.entities if e.label == Label.COMUNE and e.props.get("listed_as_member")}
    out["comuni"] = [(names(ents[c]), None, None, False) for c in sorted(members) if c in ents]
    out["ats_asst"] = [(names(e), None, None, False) for e in doc.entities
                       if e.label == Label.ORGANIZATION and e.props.get("kind") in ("ats", "asst", "asl")]
    out["bodies"] = []
    for e in doc.entities:
        if e.label == Label.GOVERNANCE_BODY:
            t = e.props.get("category") or e.props.get("type")
            t = t if t in GOLD_BODY_TYPES else "other"
            out["bodies"].append((names(e), t, None, False))
    status: dict[str, str] = {}
    for r in doc.relations:
        st = r.props.get("status")
        if r.type == Rel.RUNS and st in STATUS_RANK and STATUS_RANK[st] > STATUS_RANK.get(status.get(r.dst, ""), 0):
            status[r.dst] = st
    out["services"], out["services_status"] = [], []
    for e in doc.entities:
        if e.label == Label.SERVICE:
            t = e.props.get("category") or e.props.get("type")
            t = t if t in GOLD_SERVICE_TYPES else "other"
            out["services"].append((names(e), t, None, False))
            out["services_status"].append((names(e), t, status.get(e.id) or e.props.get("status"), False))
    return out


def _match(field: str, p: tuple, g: tuple) -> bool:
    pn, pt, ps, _ = p
    gn, gt, gs, _ = g
    if pt != gt or (field == "services_status" and ps != gs):
        return False
    for a in pn:
        for b in gn:
            if field == "ambito":
                if ambito_core(a) and ambito_core(a) == ambito_core(b):
                    return True
            elif field == "ats_asst":
                if agency_core(a) and agency_core(a) == agency_core(b):
                    return True
            elif field == "comuni":
                if words_key(a) and words_key(a) == words_key(b):
                    return True
            elif phrase_match(a, b):
                return True
    return False


def score_document(doc: Document, gold: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per field: counts (gold, recalled, predicted, correct) and the misses and wrong predictions."""
    gf, pf = gold_facts(gold), predicted_facts(doc)
    out: dict[str, dict[str, Any]] = {}
    g_reg, p_reg = gf["region"], pf["region"]
    ok = words_key(g_reg or "") == words_key(p_reg or "")
    out["region"] = {"gold": 1, "recalled": int(ok), "predicted": 1, "correct": int(ok),
                     "missed": [] if ok else [f"region {g_reg!r}, read {p_reg!r}"], "wrong": []}
    for f in FIELDS[1:]:
        row = {"gold": 0, "recalled": 0, "predicted": 0, "correct": 0, "missed": [], "wrong": []}
        for g in gf[f]:
            hit = any(_match(f, p, g) for p in pf[f])
            if g[3]:
                continue
            row["gold"] += 1
            row["recalled"] += hit
            if not hit:
                row["missed"].append(f"{g[0][0]} [{g[1] or ''}{'/' + str(g[2]) if f == 'services_status' else ''}]")
        for p in pf[f]:
            matched = [g for g in gf[f] if _match(f, p, g)]
            if matched and all(g[3] for g in matched):
                continue  # only an optional gold item: neither right nor wrong
            row["predicted"] += 1
            row["correct"] += bool(matched)
            if not matched:
                row["wrong"].append(f"{p[0][0]} [{p[1] or ''}{'/' + str(p[2]) if f == 'services_status' else ''}]")
        out[f] = row
    return out


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def load_held_out(path: Path) -> set[str]:
    """File names of the held-out texts (a JSON object with a "held_out" list)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {Path(n).name for n in data["held_out"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EvalError(f"{path}: cannot read the held-out list ({exc})") from exc


def evaluate_facts(gold_dir: Path, held_out_path: Path, docs: dict[str, Document] | None = None) -> dict[str, Any]:
    """Precision and recall per field on the dev, held-out and all texts of a realtexts gold.

    Args:
        gold_dir: a folder with ``gold.json`` and ``docs/``.
        held_out_path: the JSON list of held-out file names.
        docs: already parsed documents by file name (parsed from ``gold_dir/docs`` when None).

    Returns:
        {"subsets": {dev|held_out|all: {field: {gold, recalled, predicted, correct, recall, precision}}},
         "documents": {name: {"subset", "fields"}}}; per-document failures are kept for dev texts only.

    Raises:
        EvalError: the gold or the held-out list is missing or malformed.
    """
    gold_path = gold_dir / "gold.json"
    if not gold_path.is_file():
        raise EvalError(f"gold file not found: {gold_path}")
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["documents"]
    except (ValueError, KeyError) as exc:
        raise EvalError(f"{gold_path}: not a realtexts gold ({exc})") from exc
    held = load_held_out(held_out_path)
    docs = dict(docs or {})
    subsets = {s: {f: {"gold": 0, "recalled": 0, "predicted": 0, "correct": 0} for f in FIELDS} for s in SUBSETS}
    per_doc: dict[str, Any] = {}
    for name in sorted(gold):
        path = gold_dir / "docs" / name
        if name not in docs:
            if not path.is_file():
                continue
            docs[name] = parse(path, ocr="never")
        rows = score_document(docs[name], gold[name])
        sub = "held_out" if name in held else "dev"
        for f, row in rows.items():
            for s in (sub, "all"):
                for k in ("gold", "recalled", "predicted", "correct"):
                    subsets[s][f][k] += row[k]
        if sub == "dev":
            per_doc[name] = {"subset": sub, "fields": rows}
        else:  # held-out texts: counts only, never what was missed
            per_doc[name] = {"subset": sub}
    for s in subsets.values():
        for row in s.values():
            row["recall"] = _ratio(row["recalled"], row["gold"])
            row["precision"] = _ratio(row["correct"], row["predicted"])
    return {"gold": str(gold_path), "held_out": sorted(held), "subsets": subsets, "documents": per_doc}
