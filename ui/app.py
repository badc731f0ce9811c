"""Streamlit app (in Italian): Cerca, Ambiti, Norme, Confronta, Grafo, Documenti.

Run with ``pdz ui`` (or ``pdz demo``). Pages call the library in-process, or the HTTP API when
PDZ_API_URL is set; links between pages travel as query parameters (``?pagina=Documenti&doc=...``).
"""

from __future__ import annotations

import hashlib
import html
import io
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from kg.settings import Settings
from ontology.errors import KgError

PAGES = ["Cerca", "Ambiti", "Norme", "Confronta", "Grafo", "Documenti"]
STATUS_IT = {
    "active": "attivo",
    "planned": "programmato",
    "feasibility_study": "studio di fattibilità",
    "concluded": "concluso",
}
LABEL_COLOURS = {
    "Document": "#9ecae1", "Norm": "#fdae6b", "Ambito": "#74c476", "Comune": "#c7e9c0", "Organization": "#bcbddc",
    "Person": "#fdd0a2", "GovernanceBody": "#fc9272", "Service": "#6baed6", "Objective": "#dadaeb",
    "Indicator": "#f2f0f7", "Network": "#a1d99b",
}


@st.cache_resource(show_spinner="Connessione al grafo…")
def _backend(key: str):  # noqa: ANN202 - LocalBackend | ApiBackend; one per configuration
    from ui.backend import make_backend

    return make_backend(Settings.load())


def backend():  # noqa: ANN201
    """The cached backend of the current configuration (data dir, Neo4j URI or API URL)."""
    s = Settings.load()
    token = hashlib.sha256((s.api_token or "").encode()).hexdigest()[:16]  # a new token or mode: a new backend
    return _backend(f"{s.data_dir}|{s.neo4j_uri}|{s.api_url}|{s.read_only}|{token}")


def doc_link(ev: dict[str, Any], label: str | None = None) -> str:
    """A markdown link to the Documenti page at an evidence span."""
    params = {"pagina": "Documenti", "doc": ev.get("doc_id") or ev.get("doc"), "start": ev.get("start"), "end": ev.get("end")}
    where = ev.get("source") or str(params["doc"]).removeprefix("doc:")
    if ev.get("page"):
        where += f", p. {ev['page']}"
    if ev.get("line"):
        where += f", riga {ev['line']}"
    return f"[{label or where}](?{urlencode({k: v for k, v in params.items() if v is not None})})"


def quote_block(ev: dict[str, Any]) -> None:
    quote = (ev.get("quote") or ev.get("context") or ev.get("raw") or "").strip()
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
        ambito = c1.selectbox("Ambito", [""] + sorted({d.get("ambito") for d in docs if d.get("ambito")}), key="f_ambito")
        kind = c2.selectbox("Tipo di documento", ["", "piano_di_zona", "accordo_di_programma", "presentazione", "altro"],
                            key="f_kind")
        period = c3.selectbox("Periodo", [""] + sorted({d.get("period") for d in docs if d.get("period")}), key="f_period")
        document = st.selectbox("Documento", [""] + [d["id"] for d in docs], key="f_doc")
        k = st.slider("Risultati", 3, 30, 10, key="f_k")
    if not question:
        return
    filters = {"ambito": ambito or None, "kind": kind or None, "period": period or None, "doc": document or None}
    with st.spinner("Cerco…"):
        result = be.ask(question, {k2: v for k2, v in filters.items() if v}, k=k)
    path = "dal grafo" if result.get("path") == "graph" else "ricerca nei testi"
    st.caption(f"Risposta {path} · intento: {result.get('intent')}")
    if result.get("summary"):
        st.subheader(result["summary"])
    render_answer(result)


def render_answer(result: dict[str, Any]) -> None:
    intent, data = result.get("intent"), result.get("data") or {}
    if intent == "services":
        for row in data.get("ambiti", []):
            history = " → ".join(f"*{STATUS_IT.get(p['status'] or '', p['status'] or 'n.d.')}*"
                                 + (f" ({p['period']})" if p.get("period") else "") for p in row.get("statuses", []))
            st.markdown(f"**{row['ambito']}** — {row.get('service')}: {history}")
            for ev in row.get("evidence", [])[:3]:
                quote_block(ev)
        if data.get("elsewhere"):
            st.markdown("**Citati nei documenti ma di altri territori:**")
            for row in data["elsewhere"]:
                st.markdown(f"- {row.get('service')} ({row['ambito']})")
                for ev in row.get("evidence", [])[:1]:
                    quote_block(ev)
    elif intent == "norm":
        render_norm(data)
    elif intent == "compare":
        render_compare(data)
    elif intent in {"capofila", "ambito"}:
        render_profile(data)
    for hit in result.get("results", []):
        with st.container(border=True):
            st.markdown(f"**{hit.get('source')}** · {' › '.join(hit.get('section') or [])}")
            st.markdown(html.escape(hit.get("snippet") or ""))  # query terms come as **bold**
            ents = ", ".join(e["name"] if isinstance(e, dict) else str(e) for e in hit.get("entities") or [])
            st.caption(f"{doc_link(hit, 'apri nel documento')} · punteggio {hit.get('score', 0):.3f}"
                       + (f" · {ents}" if ents else ""))


def page_ambiti(be) -> None:  # noqa: ANN001
    st.header("Ambiti")
    ambiti = be.ambiti()
    if not ambiti:
        st.info("Nessun Ambito nel grafo: carica dei documenti nella pagina Documenti.")
        return
    names = [a["name"] for a in ambiti]
    chosen = st.selectbox("Ambito", names, key="ambito_scelto")
    render_profile(be.ambito(chosen))


def _evidence_list(item: dict[str, Any]) -> list[dict[str, Any]]:
    ev = item.get("evidence") or []
    return [ev] if isinstance(ev, dict) else list(ev)


def _joined(value: Any) -> str:
    return "; ".join(map(str, value)) if isinstance(value, list) else str(value)


def render_profile(p: dict[str, Any]) -> None:
    """An Ambito's profile: comuni, capofila, ATS/ASST, bodies, services, objectives, networks, norms."""
    if not p:
        return
    if "ambiti" in p and "id" not in p:  # several profiles (e.g. capofila of two Ambiti)
        for one in p["ambiti"]:
            render_profile(one)
        return
    st.subheader(p.get("name", ""))
    cols = st.columns(4)
    cols[0].metric("Comuni", len(p.get("comuni") or []))
    cols[1].metric("Organi", len(p.get("bodies") or []))
    cols[2].metric("Servizi", len(p.get("services") or []))
    cols[3].metric("Obiettivi", sum(len(v) for v in (p.get("objectives") or {}).values()))
    for title, key in (("Ente capofila", "capofila"), ("ATS", "ats"), ("ASST", "asst"),
                       ("Città Metropolitana", "citta_metropolitana"), ("Ambiti partner", "partner_ambiti")):
        items = p.get(key) or []
        if items:
            st.markdown(f"**{title}:** " + "; ".join(f"{i.get('name', '')} ({doc_link(i['evidence'], 'fonte')})"
                                                       if i.get("evidence") else i.get("name", "") for i in items))
    if p.get("comuni"):
        with st.expander(f"Comuni ({len(p['comuni'])})"):
            st.dataframe([{"Comune": c.get("name"), "ISTAT": c.get("istat")} for c in p["comuni"]], hide_index=True)
    if p.get("signatories"):
        with st.expander(f"Firmatari ({len(p['signatories'])})"):
            for sgn in p["signatories"]:
                st.markdown(f"- **{sgn.get('name')}**, {sgn.get('role') or ''} · {doc_link(sgn.get('evidence') or {})}")
    if p.get("bodies"):
        st.markdown("#### Organi di governance")
        for b in p["bodies"]:
            with st.expander(b.get("name", "")):
                for label, key in (("Composizione", "composition"), ("Funzioni", "functions")):
                    if b.get(key):
                        st.markdown(f"**{label}:** {_joined(b[key])}")
                if b.get("legal_basis"):
                    st.markdown("**Base normativa:** " + ", ".join(lb.get("norm", "") for lb in b["legal_basis"]))
                for ev in _evidence_list(b)[:2]:
                    quote_block(ev)
    if p.get("services"):
        st.markdown("#### Servizi")
        st.dataframe([{"Servizio": sv.get("name"), "Stato": STATUS_IT.get(sv.get("status") or "", sv.get("status")),
                       "Periodo": sv.get("period"), "Fonte": (sv.get("evidence") or {}).get("quote", "")[:120]}
                      for sv in p["services"]], hide_index=True)
    if p.get("objectives"):
        st.markdown("#### Obiettivi per macro-area")
        for area, objs in p["objectives"].items():
            with st.expander(f"Area {area} ({len(objs)})"):
                for o in objs:
                    st.markdown(f"- {o.get('name') or o.get('title')}")
    if p.get("networks"):
        with st.expander(f"Reti e co-progettazioni ({len(p['networks'])})"):
            for n in p["networks"]:
                st.markdown(f"- {n.get('name')}")
    if p.get("norms"):
        st.markdown("#### Norme più citate")
        st.dataframe([{"Norma": n.get("id"), "Titolo": n.get("title"), "Citazioni": n.get("citations")}
                      for n in p["norms"]], hide_index=True)


def page_norme(be) -> None:  # noqa: ANN001
    st.header("Norme")
    norms = be.norms()
    if not norms:
        st.info("Nessuna norma nel grafo.")
        return
    typed = st.text_input("Norma in qualsiasi forma (es. «L.R. 3/2008», «legge quadro»)", key="norma_testo")
    options = [f"{n['id']} — {(n.get('title') or '')[:70]}" for n in norms]
    picked = st.selectbox("oppure scegli", options, key="norma_scelta")
    query = typed or picked.split(" — ")[0]
    try:
        trace = be.norm(query)
    except KgError as exc:
        st.warning(str(exc))
        return
    render_norm(trace)


def render_norm(trace: dict[str, Any]) -> None:
    if not trace:
        return
    n = trace.get("norm", {})
    st.subheader(f"{trace.get('norm_id')}: {n.get('title') or ''}")
    if n.get("normattiva"):
        st.markdown(f"[Normattiva]({n['normattiva']}) · `{n.get('urn')}`")
    timeline: dict[str, int] = {}
    for d in trace.get("documents", []):
        timeline[d.get("period") or "n.d."] = timeline.get(d.get("period") or "n.d.", 0) + d["citations"]
    if timeline:
        st.markdown("**Citazioni per periodo di programmazione**")
        st.bar_chart({"citazioni": dict(sorted(timeline.items()))})
    st.dataframe([{"Documento": d["source"], "Periodo": d.get("period"), "Citazioni": d["citations"],
                   "Articoli": ", ".join(d.get("articles") or [])} for d in trace.get("documents", [])], hide_index=True)
    for c in trace.get("citations", [])[:50]:
        art = f"art. {c['article']}" if c.get("article") else ""
        st.markdown(f"- {art} {doc_link(c)}: {html.escape(c.get('context') or c.get('raw') or '')}")
    for key, label in (("amends", "Modifica"), ("amended_by", "Modificata da")):
        for m in trace.get(key, []):
            st.markdown(f"**{label}:** {m['id']} {m.get('title') or ''}")


def page_confronta(be) -> None:  # noqa: ANN001
    st.header("Confronta la governance")
    names = [a["name"] for a in be.ambiti()]
    chosen = st.multiselect("Ambiti (due o più)", names, default=names[:2], key="confronto")
    if len(chosen) < 2:
        st.info("Scegli almeno due Ambiti.")
        return
    render_compare(be.compare(chosen))


def render_compare(data: dict[str, Any]) -> None:
    rows = data.get("rows") or []
    if not rows:
        return
    st.dataframe(rows, hide_index=True, height=36 * (len(rows) + 1) + 4)  # every aspect visible at once
    buf = io.StringIO()
    import csv

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
            entity = norms[0]["id"]
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
    for i, n in enumerate(g["nodes"][1:30]):
        if cols[i % 3].button(f"{n['label']}: {str(n['name'])[:40]}", key=f"exp_{n['id']}"):
            try:
                expanded[n["id"]] = be.neighbourhood(n["id"])
            except KgError as exc:
                st.warning(str(exc))
            st.rerun()


def to_dot(graphs: list[dict[str, Any]]) -> str:
    lines = ["graph G {", 'graph [overlap=false, splines=true]; node [style=filled, fontsize=10, shape=box];']
    seen_nodes: set[str] = set()
    seen_edges: set[tuple[str, str, str]] = set()
    for g in graphs:
        for n in g["nodes"]:
            if n["id"] in seen_nodes:
                continue
            seen_nodes.add(n["id"])
            label = str(n["name"])[:40].replace('"', "'")
            lines.append(f'"{n["id"]}" [label="{label}", fillcolor="{LABEL_COLOURS.get(n["label"], "#eeeeee")}"];')
        for e in g["edges"]:
            key = (e["source"], e["target"], e["type"])
            if key in seen_edges:
                continue
            seen_edges.add(key)
            lines.append(f'"{e["source"]}" -- "{e["target"]}" [label="{e["type"]}", fontsize=8];')
    lines.append("}")
    return "\n".join(lines)


def page_documenti(be) -> None:  # noqa: ANN001
    st.header("Documenti")
    upload = token = None
    if getattr(be, "uploads_enabled", False):  # read-only or no PDZ_API_TOKEN: no upload widget at all
        upload = st.file_uploader("Carica un documento (PDF, DOCX, DOC, TXT, MD, HTML, P7M firmato)",
                                  type=["pdf", "docx", "doc", "txt", "md", "html", "htm", "mhtml", "p7m"], key="carica")
        token = st.text_input("Token di caricamento (PDZ_API_TOKEN)", type="password", key="token")
    if upload is not None and st.button("Importa", key="importa"):
        bar = st.progress(0.0, text="avvio")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                report = be.upload(path, lambda f, t: bar.progress(min(f, 1.0), text=t), token=token)
            except KgError as exc:
                st.error(str(exc))
                report = None
        if report:
            if report.get("errors"):
                st.error("; ".join(report["errors"]))
            else:
                st.success(f"Importato: {report.get('chunks', 0)} passaggi, {report.get('nodes', 0)} nodi.")
    docs = be.documents()
    if not docs:
        st.info("Il grafo è vuoto: carica un documento o esegui `pdz ingest corpus/`.")
        return
    st.dataframe([{"Documento": d["source"], "Tipo": ", ".join(d.get("kinds") or []), "Periodo": d.get("period"),
                   "Ambito": d.get("ambito"), "Passaggi": d.get("chunks")} for d in docs], hide_index=True)
    ids = [d["id"] for d in docs]
    wanted = st.query_params.get("doc")
    doc_id = st.selectbox("Apri il testo", ids, index=ids.index(wanted) if wanted in ids else 0, key="doc_aperto")
    start = int(st.query_params.get("start") or 0) if wanted == doc_id else 0
    end = int(st.query_params.get("end") or start) if wanted == doc_id else 0
    window = be.document_text(doc_id, max(0, start - 1500), end + 1500 if end else 3000)
    text, base = window["text"], window["start"]
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
    st.sidebar.caption(f"{health.get('documents', 0)} documenti · {health.get('nodes', 0)} nodi · {health.get('backend')}")
    if not health.get("documents") and page != "Documenti":
        st.warning("L'archivio è vuoto: carica dei documenti nella pagina Documenti o esegui `pdz ingest corpus/`.")
        return
    try:
        RENDERERS[page](be)
    except KgError as exc:
        st.error(str(exc))


main()
