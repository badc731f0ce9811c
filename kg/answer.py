"""Answering a question: graph answers for the headline questions, passages otherwise.

Intents are recognised deterministically in Italian and English:

- services: "quali ambiti hanno un'agenzia per l'abitare", "which Ambiti run a PUA";
- norm: "chi cita la l.r. 3/2008", "which documents cite D.Lgs. 117/2017";
- compare: "confronta la governance di X e Y", "compare the governance of X and Y";
- capofila / comuni / signatories / bodies / ambito: "chi è l'ente capofila di X", "quali comuni fanno
  parte di X", "chi ha firmato l'accordo di X", "com'è composto il tavolo tecnico di X", "profilo di X".

Anything else, or a graph intent whose answer is empty, falls back to passage search through any
``Searcher`` (``search.index.SearchIndex`` is one; kg never imports search). The ``Answer`` says
which path it took (``path``: "graph" or "search") and why (``intent``).
"""

from __future__ import annotations

import re
from typing import Protocol

from ingest.citations import resolve_norm
from kg.documents import NotFound
from kg.profiles import ambito_profile
from kg.stories import compare_governance, list_ambiti, norm_trace, services
from kg.store import GraphStore
from ontology.labels_it import STATUS_IT, norm_label, plural_it
from ontology.views import AmbitoSummary, Answer, SearchFilters, SearchHit
from ontology.vocab import fold, load_vocab


class Searcher(Protocol):
    """What answering needs from a passage index (``search.index.SearchIndex``)."""

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None, mode: str = "hybrid") -> list[SearchHit]:
        """The k best passages for a query."""

SERVICE_CUE = re.compile(r"\b(?:ambit\w*|distrett\w*|chi|quali|quale|dove|which|who|where|gestisc\w*|programm\w*|"
                         r"hanno|ha|run|runs|have|has|plan\w*|attiv\w*)\b")
NORM_CUE = re.compile(r"\b(?:cit\w*|richiam\w*|riferiment\w*|menzion\w*|articol\w*|norm\w*|cite\w*|refer\w*|quot\w*)\b")
COMPARE_CUE = re.compile(r"\b(?:confront\w*|compar\w*|differen\w*|versus|vs)\b")
CAPOFILA_CUE = re.compile(r"\b(?:capofila|lead\s+(?:body|entity|agency)|ente\s+gestore)\b")
COMUNI_CUE = re.compile(r"\b(?:comuni|municipalit\w*|municipi\w*)\b")
SIGN_CUE = re.compile(r"\b(?:firmat\w*|sottoscritt\w*|firm\w*|sign\w*)\b")
PROFILE_CUE = re.compile(r"\b(?:profilo|profile|scheda|overview|panoramica)\b")


def _ambito_forms(rows: list[AmbitoSummary]) -> list[tuple[str, str]]:
    """(folded surface form, ambito id) pairs, longest first, for spotting Ambiti in a question."""
    forms: list[tuple[str, str]] = []
    for r in rows:
        for name in [r.name or "", *r.aliases, r.id.removeprefix("ambito:").replace("-", " ")]:
            f = fold(name)
            f = re.sub(r"^(?:ambito\s+(?:territoriale\s+)?(?:di\s+|del\s+|dell\W)?|distretto\s+(?:sociale\s+)?(?:di\s+)?)", "", f)
            f = re.sub(r"[^a-z0-9 ]+", " ", f).strip()
            if len(f) >= 4:
                forms.append((f, r.id))
    return sorted(set(forms), key=lambda x: -len(x[0]))


def find_ambiti(question: str, rows: list[AmbitoSummary]) -> list[str]:
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


def detect_intent(question: str, store: GraphStore) -> tuple[str, dict[str, object]]:
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


def answer(
    question: str,
    store: GraphStore,
    index: Searcher | None,
    *,
    filters: SearchFilters | None = None,
    k: int = 10,
) -> Answer:
    """Answer a question from the graph when an intent fits, else with passage search.

    Args:
        question: Italian or English text.
        store: the graph store.
        index: a passage index (used for the fallback only; may be None).
        filters: search filters (ambito, kind, period, macro_area, doc).
        k: passages returned by the fallback.
    """
    intent, args = detect_intent(question, store)
    out = Answer(question=question, intent=intent, path="graph")
    try:
        if intent == "services":
            data = services(store, str(args["service"]))
            out.services = data
            names = [f"{g.ambito} ({STATUS_IT.get(g.status or '', g.status)}" + (f", {g.period})" if g.period else ")")
                     for g in data.ambiti]
            label = (data.service_labels or [str(args["service"])])[0]
            out.summary = (f"{label}: " + "; ".join(names)) if names else f"Nessun Ambito risulta gestire: {label}"
            if not data.ambiti and not data.elsewhere:
                intent = "search"
        elif intent == "norm":
            trace = norm_trace(store, str(args["norm"]))
            out.norm = trace
            docs = ", ".join(f"{d.source} ({d.citations})" for d in trace.documents)
            n = len(trace.documents)
            label = norm_label(trace.norm_id, legislature=trace.norm.legislature)
            out.summary = f"{label} è citata in {plural_it(n, 'documento', 'documenti')}: {docs}"
        elif intent == "compare":
            comparison = compare_governance(store, list(args["ambiti"]))  # type: ignore[arg-type]
            out.comparison = comparison
            out.summary = "Confronto della governance: " + " / ".join(comparison.ambiti)
        elif intent in {"capofila", "signatories", "comuni", "bodies", "ambito"}:
            names = list(args.get("all") or [args["ambito"]])  # type: ignore[arg-type]
            profiles = [ambito_profile(store, str(a)) for a in names]
            p = profiles[0]
            out.profiles = profiles if intent == "capofila" else [p]
            if intent == "capofila":
                parts = [f"{x.name}: " + (", ".join(c.name or "" for c in x.capofila) or "non indicato") for x in profiles]
                out.summary = "Ente capofila — " + "; ".join(parts)
            elif intent == "signatories":
                out.summary = f"Firmatari ({p.name}): " + "; ".join(
                    f"{s.name} ({s.role or ''}{', ' + s.on_behalf_of if s.on_behalf_of else ''})" for s in p.signatories)
            elif intent == "comuni":
                out.summary = (f"{p.name}: {len(p.comuni)} comuni — " + ", ".join(c.name or "" for c in p.comuni)
                               if p.comuni else f"{p.name}: comuni non indicati nei documenti")
            elif intent == "bodies":
                bodies = [b for b in p.bodies if b.type == args["body"]] or p.bodies
                out.profiles = [p.model_copy(update={"bodies": bodies})]
                out.summary = f"{p.name}: " + "; ".join(
                    f"{b.name}" + (f" — composizione: {b.composition}" if b.composition else "") for b in bodies[:3])
            else:
                out.summary = f"Profilo di {p.name}"
    except NotFound:  # AmbitoNotFound included
        intent = "search"
    if intent == "search":
        out = Answer(question=question, intent=out.intent, path="search")
        if index is not None:
            out.results = index.search(question, k=k, filters=filters or SearchFilters())
    return out


__all__ = ["Searcher", "answer", "detect_intent", "find_ambiti"]
