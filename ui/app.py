"""Streamlit app (in Italian): Cerca, Ambiti, Norme, Confronta, Grafo, Documenti.

Run with ``pdz ui`` (or ``pdz demo``). Pages call the library in-process, or the HTTP API when
PDZ_API_URL is set; links between pages travel as query parameters (``?pagina=Documenti&doc=...``).
"""

from __future__ import annotations

import csv
import html
import io
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from ontology.errors import KgError
from ontology.labels_it import KIND_IT, plural_it, status_it
from ontology.model import Provenance
from ontology.settings import Settings
from ontology.views import AmbitoProfile, Answer, GovernanceComparison, Item, Neighbourhood, NormTrace, SearchFilters
from search.ranking import is_relevant
from ui.backend import make_backend

PAGES = ["Cerca", "Ambiti", "Norme", "Confronta", "Grafo", "Documenti"]
LABEL_COLOURS = {
    "Document": "#9ecae1", "Norm": "#fdae6b", "Ambito": "#74c476", "Comune": "#c7e9c0", "Organization": "#bcbddc",
    "Person": "#fdd0a2", "GovernanceBody": "#fc9272", "Service": "#6baed6", "Objective": "#dadaeb",
    "Indicator": "#f2f0f7", "Network": "#a1d99b",
}


@st.cache_resource(show_spinner="Connessione al grafo…")
def _backend(key: str):  # noqa: ANN202 - LocalBackend | ApiBackend; one per configuration
    return make_backend(Settings.load())


def backend():  # noqa: ANN201
    """The cached backend of the current configuration (data dir, Neo4j URI or API URL)."""
    s = Settings.load()
    return _backend(f"{s.data_dir}|{s.neo4j_uri}|{s.api_url}")


def doc_link(ev: Provenance, label: str | None = None) -> str:
    """A markdown link to the Documenti page at an evidence span."""
    params = {"pagina": "Documenti", "doc": ev.doc_id, "start": ev.start, "end": ev.end}
    where = ev.source or ev.doc_id.removeprefix("doc:")
    if ev.page:
        where += f", p. {ev.page}"
    if ev.line:
        where += f", riga {ev.line}"
    return f"[{label or where}]({'?' + urlencode(params)})"


def quote_block(ev: Provenance | None, text: str | None = None) -> None:
    """A quote (the evidence's own words, or ``text`` such as a citation's sentence) and its link."""
    if ev is None:
        return
    quote = (text or ev.quote or "").strip()
    if quote:
        st.markdown(f"> {html.escape(quote)}  \n{doc_link(ev)}")


# -- pages -------------------------------------------------------------------------------------


def page_cerca(be) -> None:  # noqa: ANN001
    st.header("Cerca")
    st.caption("Domande in italiano: servizi (es. Agenzia dell'Abitare), norme citate, governance, enti capofila; "
               "altrimenti ricerca nei testi.")
    question = st.text_input("Domanda", key="domanda", placeholder="Quali Ambiti gestiscono un'Agenzia dell'Abitare?")
    docs = be.documents()
    with st.expander("Filtri"):
        c1, c2, c3 = st.columns(3)
        ambito = c1.selectbox("Ambito", [""] + sorted({d.ambito for d in docs if d.ambito}), key="f_ambito")
        kind = c2.selectbox("Tipo di documento", ["", *KIND_IT], key="f_kind",
                            format_func=lambda k: KIND_IT.get(k, "tutti") if k else "tutti")
        period = c3.selectbox("Periodo", [""] + sorted({d.period for d in docs if d.period}), key="f_period")
        sources = {d.id: d.source or d.id for d in docs}
        document = st.selectbox("Documento", [""] + list(sources), key="f_doc",
                                format_func=lambda i: sources.get(i, "tutti") if i else "tutti")
        k = st.slider("Risultati", 3, 30, 10, key="f_k")
    if not question:
        return
    filters = SearchFilters(ambito=ambito or None, kind=kind or None, period=period or None, doc=document or None)
    with st.spinner("Cerco…"):
        result = be.ask(question, filters, k=k)
    st.caption("Risposta dal grafo" if result.path == "graph" else "Risposta dalla ricerca nei testi")
    if result.summary:
        st.subheader(result.summary)
    render_answer(result)


def render_answer(result: Answer) -> None:
    if result.services is not None:
        for row in result.services.ambiti:
            history = " → ".join(f"*{status_it(p.status)}*" + (f" ({p.period})" if p.period else "") for p in row.statuses)
            st.markdown(f"**{row.ambito}** — {row.service}: {history}")
            for ev in row.evidence[:3]:
                quote_block(ev)
        if result.services.elsewhere:
            st.markdown("**Citati nei documenti ma di altri territori:**")
            for row in result.services.elsewhere:
                st.markdown(f"- {row.service} ({row.ambito})")
                for ev in row.evidence[:1]:
                    quote_block(ev)
    if result.norm is not None:
        render_norm(result.norm)
    if result.comparison is not None:
        render_compare(result.comparison)
    for profile in result.profiles:
        render_profile(profile)
    hits = [h for h in result.results if is_relevant(h)]  # the index's own floor: "nessun risultato" below it
    if result.path == "search" and not hits:
        st.info("Nessun risultato.")
    for hit in hits:
        with st.container(border=True):
            st.markdown(f"**{hit.evidence.source}** · {' › '.join(hit.evidence.section)}")
            st.markdown(html.escape(hit.snippet))  # query terms come as **bold**
            ents = ", ".join(e.name for e in hit.entities)
            st.caption(f"{doc_link(hit.evidence, 'apri nel documento')}" + (f" · {ents}" if ents else ""))


def page_ambiti(be) -> None:  # noqa: ANN001
    st.header("Ambiti")
    ambiti = be.ambiti()
    if not ambiti:
        st.info("Nessun Ambito nel grafo: carica dei documenti nella pagina Documenti.")
        return
    names = [a.name or a.id for a in ambiti]
    chosen = st.selectbox("Ambito", names, key="ambito_scelto")
    render_profile(be.ambito(chosen))


def _joined(value: Any) -> str:
    return "; ".join(map(str, value)) if isinstance(value, list) else str(value)


def _names(items: list[Item]) -> str:
    return "; ".join(f"{i.name or ''} ({doc_link(i.evidence, 'fonte')})" if i.evidence else (i.name or "") for i in items)


def render_profile(p: AmbitoProfile) -> None:
    """An Ambito's profile: comuni, capofila, ATS/ASST, bodies, services, objectives, networks, norms."""
    st.subheader(p.name or p.id)
    cols = st.columns(4)
    cols[0].metric("Comuni", len(p.comuni) if p.comuni else "n.d.")
    cols[1].metric("Organi", len(p.bodies))
    cols[2].metric("Servizi", len(p.services))
    cols[3].metric("Obiettivi", sum(len(v) for v in p.objectives.values()))
    for title, items in (("Ente capofila", p.capofila), ("ATS", p.ats), ("ASST", p.asst),
                         ("Città Metropolitana", p.citta_metropolitana), ("Altri enti", p.organizations),
                         ("Ambiti partner", p.partner_ambiti)):
        if items:
            st.markdown(f"**{title}:** " + _names(items))
    if p.comuni:
        with st.expander(f"Comuni ({len(p.comuni)})"):
            st.dataframe([{"Comune": c.name, "ISTAT": c.istat} for c in p.comuni], hide_index=True)
    else:
        st.caption("Comuni: non indicati nei documenti.")
    if p.signatories:
        with st.expander(f"Firmatari ({len(p.signatories)})"):
            for sgn in p.signatories:
                where = f" · {doc_link(sgn.evidence)}" if sgn.evidence else ""
                st.markdown(f"- **{sgn.name}**, {sgn.role or ''}{where}")
    if p.bodies:
        st.markdown("#### Organi di governance")
        for b in p.bodies:
            with st.expander(b.name or ""):
                if b.composition:
                    st.markdown(f"**Composizione:** {b.composition}")
                if b.functions:
                    st.markdown(f"**Funzioni:** {_joined(b.functions)}")
                if b.legal_basis:
                    st.markdown("**Base normativa:** " + ", ".join(lb.norm for lb in b.legal_basis))
                quote_block(b.evidence)
    if p.services:
        st.markdown("#### Servizi")
        st.dataframe([{"Servizio": sv.name, "Stato": status_it(sv.status), "Periodo": sv.period,
                       "Fonte": (sv.evidence.quote if sv.evidence else "")[:120]} for sv in p.services], hide_index=True)
    if p.objectives:
        st.markdown("#### Obiettivi per macro-area")
        for area, objs in p.objectives.items():
            with st.expander(f"Area {area} ({len(objs)})"):
                for o in objs:
                    st.markdown(f"- {o.name}")
    if p.networks:
        with st.expander(f"Reti e co-progettazioni ({len(p.networks)})"):
            for n in p.networks:
                st.markdown(f"- {n.name}")
    if p.norms:
        st.markdown("#### Norme più citate")
        st.dataframe([{"Norma": n.id, "Titolo": n.title, "Citazioni": n.citations} for n in p.norms], hide_index=True)


def page_norme(be) -> None:  # noqa: ANN001
    st.header("Norme")
    norms = be.norms()
    if not norms:
        st.info("Nessuna norma nel grafo.")
        return
    typed = st.text_input("Norma in qualsiasi forma (es. «L.R. 3/2008», «legge quadro»)", key="norma_testo")
    options = [f"{n.id} — {(n.title or '')[:70]}" for n in norms]
    picked = st.selectbox("oppure scegli", options, key="norma_scelta")
    query = typed or picked.split(" — ")[0]
    try:
        trace = be.norm(query)
    except KgError as exc:
        st.warning(str(exc))
        return
    render_norm(trace)


def render_norm(trace: NormTrace) -> None:
    n = trace.norm
    st.subheader(f"{trace.norm_id}: {n.title or ''}")
    if n.normattiva:
        st.markdown(f"[Normattiva]({n.normattiva}) · `{n.urn}`")
    timeline: dict[str, int] = {}
    for d in trace.documents:
        timeline[d.period or "n.d."] = timeline.get(d.period or "n.d.", 0) + d.citations
    if timeline:
        st.markdown("**Citazioni per periodo di programmazione**")
        st.bar_chart({"citazioni": dict(sorted(timeline.items()))})
    st.dataframe([{"Documento": d.source, "Periodo": d.period, "Citazioni": d.citations,
                   "Articoli": ", ".join(d.articles)} for d in trace.documents], hide_index=True)
    for c in trace.citations[:50]:
        art = f"art. {c.article}" if c.article else ""
        st.markdown(f"- {art} {doc_link(c.evidence)}: {html.escape(c.context or c.raw or '')}")
    for links, label in ((trace.amends, "Modifica"), (trace.amended_by, "Modificata da")):
        for m in links:
            st.markdown(f"**{label}:** {m.id} {m.title or ''}")


def page_confronta(be) -> None:  # noqa: ANN001
    st.header("Confronta la governance")
    names = [a.name or a.id for a in be.ambiti()]
    chosen = st.multiselect("Ambiti (due o più)", names, default=names[:2], key="confronto")
    if len(chosen) < 2:
        st.info("Scegli almeno due Ambiti.")
        return
    render_compare(be.compare(chosen))


def render_compare(data: GovernanceComparison) -> None:
    rows = data.rows
    if not rows:
        return
    st.dataframe(rows, hide_index=True, height=36 * (len(rows) + 1) + 4)  # every aspect visible at once
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(rows)
    st.download_button("Scarica CSV", buf.getvalue().encode("utf-8"), "confronto_governance.csv", "text/csv")


def page_grafo(be) -> None:  # noqa: ANN001
    st.header("Grafo")
    start = st.query_params.get("entita") or st.session_state.get("grafo_centro") or ""
    entity = st.text_input("Id dell'entità (es. lr.lombardia:2008:3)", value=start, key="grafo_id")
    if not entity:
        norms = be.norms()
        if norms:
            entity = norms[0].id
    if not entity:
        st.info("Grafo vuoto.")
        return
    try:
        g = be.neighbourhood(entity)
    except KgError as exc:
        st.warning(str(exc))
        return
    expanded = st.session_state.setdefault("grafo_espansi", {})
    graphs = [g] + [v for k, v in expanded.items() if k != entity]
    st.graphviz_chart(to_dot(graphs), width="stretch")
    st.caption("Colori per tipo: " + ", ".join(f"{k}" for k in LABEL_COLOURS))
    st.markdown("**Espandi un vicino**")
    cols = st.columns(3)
    for i, n in enumerate(g.nodes[1:30]):
        if cols[i % 3].button(f"{n.label}: {n.name[:40]}", key=f"exp_{n.id}"):
            try:
                expanded[n.id] = be.neighbourhood(n.id)
            except KgError as exc:
                st.warning(str(exc))
            st.rerun()


def to_dot(graphs: list[Neighbourhood]) -> str:
    lines = ["graph G {", 'graph [overlap=false, splines=true]; node [style=filled, fontsize=10, shape=box];']
    seen_nodes: set[str] = set()
    seen_edges: set[tuple[str, str, str]] = set()
    for g in graphs:
        for n in g.nodes:
            if n.id in seen_nodes:
                continue
            seen_nodes.add(n.id)
            label = n.name[:40].replace('"', "'")
            lines.append(f'"{n.id}" [label="{label}", fillcolor="{LABEL_COLOURS.get(n.label, "#eeeeee")}"];')
        for e in g.edges:
            key = (e.source, e.target, e.type)
            if key in seen_edges:
                continue
            seen_edges.add(key)
            lines.append(f'"{e.source}" -- "{e.target}" [label="{e.type}", fontsize=8];')
    lines.append("}")
    return "\n".join(lines)


def page_documenti(be) -> None:  # noqa: ANN001
    st.header("Documenti")
    upload = st.file_uploader("Carica un documento (PDF, TXT, MD, DOCX)", type=["pdf", "txt", "md", "docx"], key="carica")
    if upload is not None and st.button("Importa", key="importa"):
        bar = st.progress(0.0, text="avvio")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                report = be.upload(path, lambda f, t: bar.progress(min(f, 1.0), text=t))
            except KgError as exc:
                st.error(str(exc))
                report = None
        if report is not None:
            if report.error:
                st.error(report.error)
            else:
                st.success(f"Importato: {plural_it(report.chunks, 'passaggio', 'passaggi')}, "
                           f"{plural_it(report.nodes, 'nodo', 'nodi')}.")
    docs = be.documents()
    if not docs:
        st.info("Il grafo è vuoto: carica un documento o esegui `pdz ingest corpus/`.")
        return
    st.dataframe([{"Documento": d.source, "Tipo": ", ".join(KIND_IT.get(k, k) for k in d.kinds), "Periodo": d.period,
                   "Ambito": d.ambito, "Passaggi": d.chunks} for d in docs], hide_index=True)
    ids = [d.id for d in docs]
    wanted = st.query_params.get("doc")
    doc_id = st.selectbox("Apri il testo", ids, index=ids.index(wanted) if wanted in ids else 0, key="doc_aperto")
    start = int(st.query_params.get("start") or 0) if wanted == doc_id else 0
    end = int(st.query_params.get("end") or start) if wanted == doc_id else 0
    window = be.document_text(doc_id, max(0, start - 1500), end + 1500 if end else 3000)
    text, base = window.text, window.start
    s, e = start - base, end - base
    if 0 <= s <= e <= len(text) and e > s:
        body = html.escape(text[:s]) + "<mark>" + html.escape(text[s:e]) + "</mark>" + html.escape(text[e:])
        st.caption(f"Evidenza ai caratteri {start}–{end}")
    else:
        body = html.escape(text)
    st.markdown(f"<div style='white-space:pre-wrap;font-family:serif'>{body}</div>", unsafe_allow_html=True)


RENDERERS = {"Cerca": page_cerca, "Ambiti": page_ambiti, "Norme": page_norme, "Confronta": page_confronta,
             "Grafo": page_grafo, "Documenti": page_documenti}


def main() -> None:
    st.set_page_config(page_title="Piani di Zona – grafo della conoscenza", layout="wide")
    st.sidebar.title("Piani di Zona")
    wanted = st.query_params.get("pagina")
    page = st.sidebar.radio("Pagina", PAGES, index=PAGES.index(wanted) if wanted in PAGES else 0, key="pagina")
    try:
        be = backend()
        health = be.health()
    except KgError as exc:
        st.error(f"Archivio non raggiungibile: {exc}")
        return
    st.sidebar.caption(f"{plural_it(health.documents, 'documento', 'documenti')} · "
                       f"{plural_it(health.nodes, 'nodo', 'nodi')}")
    if not health.documents and page != "Documenti":
        st.warning("L'archivio è vuoto: carica dei documenti nella pagina Documenti o esegui `pdz ingest corpus/`.")
        return
    try:
        RENDERERS[page](be)
    except KgError as exc:
        st.error(str(exc))


main()
