"""The question router of the search box: graph answers for the headline questions, search otherwise.

Intents are recognised deterministically in Italian and English:

- services: "quali ambiti hanno un'agenzia per l'abitare", "which Ambiti run a PUA";
- norm: "chi cita la l.r. 3/2008", "which documents cite D.Lgs. 117/2017";
- compare: "confronta la governance di X e Y", "compare the governance of X and Y";
- capofila / comuni / signatories / bodies / ambito: "chi è l'ente capofila di X", "quali comuni fanno
  parte di X", "chi ha firmato l'accordo di X", "com'è composto il tavolo tecnico di X", "profilo di X".

Anything else, or a graph intent whose answer is empty, falls back to hybrid search. The answer
says which path it took (``path``: "graph" or "search") and why (``intent``).
"""

from __future__ import annotations

import re
from typing import Any

from ingest.citations import resolve_norm
from kg.documents import NotFound
from kg.profiles import ambito_profile
from kg.stories import STATUS_RANK, compare_governance, list_ambiti, norm_trace, services
from kg.store import GraphStore
from ontology.vocab import fold, load_vocab

STATUS_IT = {"active": "attivo", "planned": "programmato", "feasibility_study": "studio di fattibilità",
             "concluded": "concluso", "mentioned": "citato"}

SERVICE_CUE = re.compile(r"\b(?:ambit\w*|distrett\w*|chi|quali|quale|dove|which|who|where|gestisc\w*|programm\w*|"
                         r"hanno|ha|run|runs|have|has|plan\w*|attiv\w*)\b")
NORM_CUE = re.compile(r"\b(?:cit\w*|richiam\w*|riferiment\w*|menzion\w*|articol\w*|norm\w*|cite\w*|refer\w*|quot\w*)\b")
COMPARE_CUE = re.compile(r"\b(?:confront\w*|compar\w*|differen\w*|versus|vs)\b")
CAPOFILA_CUE = re.compile(r"\b(?:capofila|lead\s+(?:body|entity|agency)|ente\s+gestore)\b")
COMUNI_CUE = re.compile(r"\b(?:comuni|municipalit\w*|municipi\w*)\b")
SIGN_CUE = re.compile(r"\b(?:firmat\w*|sottoscritt\w*|firm\w*|sign\w*)\b")
PROFILE_CUE = re.compile(r"\b(?:profilo|profile|scheda|overview|panoramica)\b")


def _ambito_forms(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(folded surface form, ambito id) pairs, longest first, for spotting Ambiti in a question."""
    forms: list[tuple[str, str]] = []
    for r in rows:
        for name in [r.get("name") or "", *(r.get("aliases") or []), r["id"].removeprefix("ambito:").replace("-", " ")]:
            f = fold(name)
            f = re.sub(r"^(?:ambito\s+(?:territoriale\s+)?(?:di\s+|del\s+|dell\W)?|distretto\s+(?:sociale\s+)?(?:di\s+)?)", "", f)
            f = re.sub(r"[^a-z0-9 ]+", " ", f).strip()
            if len(f) >= 4:
                forms.append((f, r["id"]))
    return sorted(set(forms), key=lambda x: -len(x[0]))


def find_ambiti(question: str, rows: list[dict[str, Any]]) -> list[str]:
    """Ambito ids named in a question, in the order they appear."""
    q = " " + re.sub(r"[^a-z0-9 ]+", " ", fold(question)) + " "
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for form, aid in _ambito_forms(rows):
        for m in re.finditer(rf"\b{re.escape(form)}\b", q):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if aid not in [x[1] for x in found]:
                found.append((m.start(), aid))
    return [aid for _, aid in sorted(found)]


def detect_intent(question: str, store: GraphStore) -> tuple[str, dict[str, Any]]:
    """(intent, arguments) for a question; intent "search" when no graph intent fits."""
    q = fold(question)
    services_hit = next(iter(load_vocab().matcher("services").finditer(question, q)), None)
    rows = list_ambiti(store)
    ambiti = find_ambiti(question, rows)
    if COMPARE_CUE.search(q) and len(ambiti) >= 2:
        return "compare", {"ambiti": ambiti}
    if services_hit and SERVICE_CUE.search(q):
        return "services", {"service": question[services_hit[0] : services_hit[1]]}
    norm_id = resolve_norm(question) if NORM_CUE.search(q) or re.search(r"\d{1,5}\s*/\s*\d{2,4}", q) else None
    if norm_id and NORM_CUE.search(q):
        return "norm", {"norm": norm_id}
    if ambiti:
        if CAPOFILA_CUE.search(q):
            return "capofila", {"ambito": ambiti[0], "all": ambiti}
        if SIGN_CUE.search(q):
            return "signatories", {"ambito": ambiti[0]}
        if COMUNI_CUE.search(q) and re.search(r"\b(?:quali|which|elenco|list|fanno parte|compongono|membri|members)\b", q):
            return "comuni", {"ambito": ambiti[0]}
        body = next(iter(load_vocab().matcher("bodies").finditer(question, q)), None)
        if body:
            return "bodies", {"ambito": ambiti[0], "body": body[2].key}
        if PROFILE_CUE.search(q):
            return "ambito", {"ambito": ambiti[0]}
    return "search", {}


def answer(question: str, store: GraphStore, index: Any, *, filters: dict[str, Any] | None = None, k: int = 10) -> dict[str, Any]:
    """Answer a question from the graph when an intent fits, else with hybrid search.

    Args:
        question: Italian or English text.
        store: the graph store.
        index: a ``search.index.SearchIndex`` (used for the fallback only; may be None).
        filters: search filters (ambito, kind, period, macro_area, doc).
        k: passages returned by the fallback.
    """
    intent, args = detect_intent(question, store)
    out: dict[str, Any] = {"question": question, "intent": intent, "path": "graph", "summary": "", "data": {}, "results": []}
    try:
        if intent == "services":
            data = services(store, args["service"])
            out["data"] = data
            names = [f"{g['ambito']} ({STATUS_IT.get(g['status'] or '', g['status'])}"
                     + (f", {g['period']})" if g.get("period") else ")") for g in data["ambiti"]]
            label = (data["service_labels"] or [args["service"]])[0]
            out["summary"] = (f"{label}: " + "; ".join(names)) if names else f"Nessun Ambito risulta gestire: {label}"
            if not data["ambiti"] and not data["elsewhere"]:
                intent = "search"
        elif intent == "norm":
            data = norm_trace(store, args["norm"])
            out["data"] = data
            docs = ", ".join(f"{d['source']} ({d['citations']})" for d in data["documents"])
            out["summary"] = f"{data['norm_id']} è citata in {len(data['documents'])} documenti: {docs}"
        elif intent == "compare":
            data = compare_governance(store, args["ambiti"])
            out["data"] = data
            out["summary"] = "Confronto della governance: " + " / ".join(data["ambiti"])
        elif intent in {"capofila", "signatories", "comuni", "bodies", "ambito"}:
            profiles = [ambito_profile(store, a) for a in args.get("all", [args["ambito"]])]
            p = profiles[0]
            out["data"] = p
            if intent == "capofila":
                parts = [f"{x['name']}: " + (", ".join(c["name"] for c in x["capofila"]) or "non indicato") for x in profiles]
                out["summary"] = "Ente capofila — " + "; ".join(parts)
                out["data"] = {"ambiti": profiles} if len(profiles) > 1 else p
            elif intent == "signatories":
                out["summary"] = f"Firmatari ({p['name']}): " + "; ".join(
                    f"{s['name']} ({s.get('role') or ''}{', ' + s['on_behalf_of'] if s.get('on_behalf_of') else ''})"
                    for s in p["signatories"])
            elif intent == "comuni":
                out["summary"] = f"{p['name']}: {len(p['comuni'])} comuni — " + ", ".join(c["name"] for c in p["comuni"])
            elif intent == "bodies":
                bodies = [b for b in p["bodies"] if b.get("type") == args["body"]] or p["bodies"]
                out["data"] = {**p, "bodies": bodies}
                out["summary"] = f"{p['name']}: " + "; ".join(
                    f"{b['name']}" + (f" — composizione: {b['composition']}" if b.get("composition") else "")
                    for b in bodies[:3])
            else:
                out["summary"] = f"Profilo di {p['name']}"
    except NotFound:  # AmbitoNotFound included
        intent = "search"
    if intent == "search":
        out.update(intent=out["intent"] if out["intent"] != "search" else "search", path="search", data={})
        out["summary"] = ""
        if index is not None:
            from search.index import SearchFilters

            hits = index.search(question, k=k, filters=SearchFilters(**(filters or {})))
            out["results"] = [h.model_dump(mode="json") for h in hits]
    return out


__all__ = ["STATUS_RANK", "answer", "detect_intent", "find_ambiti"]
