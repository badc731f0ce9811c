"""Streamlit app (in Italian): Cerca, Ambiti, Norme, Confronta, Grafo, Documenti.

Run with ``pdz ui`` (or ``pdz demo``). Pages call the library in-process, or the HTTP API when
PDZ_API_URL is set; both return the same typed views (``ontology.views``). Links between pages travel
as query parameters (``?pagina=Documenti&doc=...&start=...&end=...``), so every view can be shared.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st
import streamlit.components.v1 as components

from ingest.errors import IngestError
from kg.comuni import ComuneNotFound
from kg.documents import NotFound
from kg.profiles import AmbitoNotFound
from kg.stories import InvalidQuery
from kg.store import StoreError
from ontology.errors import KgError
from ontology.labels_it import KIND_IT, LABEL_IT, norm_label, plural_it, status_it
from ontology.model import Provenance
from ontology.settings import Settings, UploadRefused
from ontology.views import (
    AmbitoProfile,
    AmbitoTimeline,
    Answer,
    GovernanceComparison,
    Item,
    Neighbourhood,
    NormTrace,
    SearchFilters,
)
from search.ranking import is_relevant
from ui.backend import BackendError, make_backend
from ui.reader import page_image, reader_html, reader_windows

PAGES = ["Cerca", "Ambiti", "Norme", "Confronta", "Grafo", "Documenti"]
LABEL_COLOURS = {
    "Document": "#9ecae1", "Norm": "#fdae6b", "Ambito": "#74c476", "Comune": "#c7e9c0", "Organization": "#bcbddc",
    "Person": "#fdd0a2", "GovernanceBody": "#fc9272", "Service": "#6baed6", "Objective": "#dadaeb",
    "Indicator": "#f2f0f7", "Network": "#a1d99b",
}
REL_IT = {
    "CITES": "cita", "AMENDS": "modifica", "MENTIONS": "menziona", "MEMBER_OF": "fa parte di", "CAPOFILA_OF": "capofila di",
    "PARTNER_OF": "partner di", "HOLDS_POST": "ricopre un ruolo in", "HAS_BODY": "ha l'organo", "LEGAL_BASIS": "fondato su",
    "RUNS": "gestisce", "PURSUES": "persegue", "MEASURED_BY": "misurato da", "PARTICIPATES_IN": "partecipa a",
    "SIGNATORY": "firmatario", "HAS_SECTION": "ha la sezione", "HAS_CHUNK": "ha il passaggio", "NEXT": "segue",
}
# Streamlit's file uploader writes its own words in English; these rules show Italian ones instead.
UPLOADER_IT = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] span{display:none}
[data-testid="stFileUploaderDropzoneInstructions"] div::before{content:"Trascina qui il file";display:block}
[data-testid="stFileUploaderDropzoneInstructions"] div::after{content:"Fino a 200 MB per file";font-size:.8em;opacity:.7}
[data-testid="stFileUploaderDropzone"] button{visibility:hidden;position:relative}
[data-testid="stFileUploaderDropzone"] button::after{content:"Scegli il file";visibility:visible;position:absolute;
inset:0;display:flex;align-items:center;justify-content:center;border:1px solid #ccc;border-radius:8px}
</style>"""
TAG = re.compile(r"</?[A-Za-z][^>]{0,40}>|&(?:#x?[0-9a-fA-F]+|[a-z]+);")


@st.cache_resource(show_spinner="Connessione al grafo e caricamento del modello…")
def _backend(key: str):  # noqa: ANN202 - LocalBackend | ApiBackend; one per configuration
    backend = make_backend(Settings.load())
    warm = getattr(backend, "warm", None)
    if warm is not None:  # load the model once at start, not on the first question
        warm()
    return backend


def semantic_line(vectors: int | None, total: int | None) -> str | None:
    """The sidebar line on the semantic index: its percentage while vectors are computed."""
    if not total or vectors is None:
        return None
    if vectors >= total:
        return "Indicizzazione semantica: completa"
    pct = int(100 * vectors / total)
    return (f"Indicizzazione semantica: {pct}% ({vectors}/{total} passaggi); "
            "nel frattempo la ricerca usa le parole chiave")


@st.fragment(run_every=5)
def semantic_progress() -> None:
    """The semantic index line of the sidebar, refreshed every 5 s."""
    try:
        health = backend().health()
    except KgError:
        return
    line = semantic_line(health.vectors, health.vectors_total)
    if line:
        st.caption(line)


def backend():  # noqa: ANN201
    """The cached backend of the current configuration (data dir, Neo4j URI or API URL)."""
    s = Settings.load()
    token = hashlib.sha256((s.api_token or "").encode()).hexdigest()[:16]  # a new token or mode: a new backend
    return _backend(f"{s.data_dir}|{s.neo4j_uri}|{s.api_url}|{s.read_only}|{token}")


def say_error(exc: KgError, asked: str = "") -> None:
    """One Italian sentence for a library error, with what to do (the detail stays in the logs)."""
    what = f"«{asked}»" if asked else "la richiesta"
    if isinstance(exc, AmbitoNotFound):
        st.warning(f"Nessun Ambito corrisponde a {what}. Scegli un Ambito dall'elenco o scrivi un suo alias.")
    elif isinstance(exc, NotFound):
        st.warning(f"Non ho trovato {what} nei documenti caricati. Controlla come è scritto o scegli dall'elenco.")
    elif isinstance(exc, InvalidQuery):
        st.warning("Servono almeno due Ambiti per un confronto: separali con una virgola.")
    elif isinstance(exc, StoreError | BackendError):
        st.error("Archivio non raggiungibile. Avvia il server con `pdz serve` (o `pdz demo`), oppure controlla "
                 "PDZ_API_URL e PDZ_DATA_DIR.")
    elif isinstance(exc, IngestError):
        st.error(f"Il file non si può leggere: {exc}")
    else:
        st.error(f"Operazione non riuscita ({type(exc).__name__}). Riprova; se si ripete, controlla i log del server.")


# -- small renderers -----------------------------------------------------------------------------------


def dash(value: object) -> str:
    """A cell value for people: "—" for nothing, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


MD_MARKS = re.compile(r"\*\*|__|```")


def plain(text: str) -> str:
    """Text as a reader sees it in a quote: the source's tags, entities and markdown emphasis marks
    (a plan saved from a word processor as "**emergenza abitativa**") removed, the words kept."""
    return MD_MARKS.sub("", TAG.sub(" ", text or ""))


MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~-])")


def md_text(text: str) -> str:
    """Source text for st.markdown: HTML escaped and markdown characters escaped, so a document's own
    asterisks, underscores and brackets show as written instead of turning into bold or links."""
    return MD_SPECIAL.sub(r"\\\1", html.escape(text or "", quote=False))


def tidy_quote(text: str, limit: int = 300) -> str:
    """A quote cut on word boundaries (no "olo Aderenti"), with "…" where it was cut."""
    text = re.sub(r"\s+", " ", plain(text)).strip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return text


def where(ev: Provenance) -> str:
    """File, page, line and section of an evidence, in Italian."""
    out = ev.source or ev.doc_id.removeprefix("doc:")
    if ev.page:
        out += f", p. {ev.page}"
    if ev.line:
        out += f", riga {ev.line}"
    return out


def doc_href(ev: Provenance) -> str:
    return "?" + urlencode({"pagina": "Documenti", "doc": ev.doc_id, "start": ev.start, "end": ev.end})


def doc_link(ev: Provenance, label: str | None = None) -> str:
    """A markdown link to the Documenti page, opened at the evidence span."""
    return f"[{label or where(ev)}]({doc_href(ev)})"


def quote_block(ev: Provenance | None, text: str | None = None) -> None:
    """A quote (the evidence's own words, or ``text`` such as a citation's sentence) and its link."""
    if ev is None:
        return
    quote = tidy_quote(text or ev.quote)
    if quote:
        st.markdown(f"> {md_text(quote)}  \n{doc_link(ev)}")


def snippet_html(snippet: str) -> str:
    """A search snippet as safe HTML: the source's markup dropped, query terms (``**x**``) marked."""
    parts = [MD_MARKS.sub("", p) for p in re.split(r"\*\*(.+?)\*\*", TAG.sub(" ", snippet or ""))]
    return "".join(f"<mark>{html.escape(p)}</mark>" if i % 2 else html.escape(p) for i, p in enumerate(parts))


# -- pages -------------------------------------------------------------------------------------------------


def page_cerca(be) -> None:  # noqa: ANN001
    st.header("Cerca")
    st.caption("Domande in italiano: servizi (es. Agenzia dell'Abitare), norme citate, governance, enti capofila; "
               "altrimenti ricerca nei testi.")
    question = st.text_input("Domanda", key="domanda", placeholder="Quali Ambiti gestiscono un'Agenzia dell'Abitare?")
    docs = be.documents()
    with st.expander("Filtri"):
        c1, c2, c3 = st.columns(3)
        ambito = c1.selectbox("Ambito", [""] + sorted({d.ambito for d in docs if d.ambito}), key="f_ambito",
                              format_func=lambda a: a or "tutti")
        kind = c2.selectbox("Tipo di documento", ["", *KIND_IT], key="f_kind",
                            format_func=lambda k: KIND_IT.get(k, k) if k else "tutti")
        period = c3.selectbox("Periodo", [""] + sorted({d.period for d in docs if d.period}), key="f_period",
                              format_func=lambda p: p or "tutti")
        sources = {d.id: d.source or d.id for d in docs}
        document = st.selectbox("Documento", [""] + list(sources), key="f_doc",
                                format_func=lambda i: sources.get(i, i) if i else "tutti")
        k = st.slider("Numero massimo di passaggi", 3, 30, 10, key="f_k")
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
        st.info(f"Nessun risultato pertinente per «{result.question}». Prova con altre parole o togli i filtri.")
    for hit in hits:
        with st.container(border=True):
            ev = hit.evidence
            st.markdown(f"**{md_text(ev.source or '')}** · {md_text(' › '.join(ev.section) or 'testo')}")
            st.markdown(f"<div style='white-space:pre-wrap'>{snippet_html(hit.snippet)}</div>", unsafe_allow_html=True)
            ents = ", ".join(e.name for e in hit.entities[:6])
            st.caption(f"{doc_link(ev, 'apri nel documento')} · {where(ev)}" + (f" · {ents}" if ents else ""))


def page_ambiti(be) -> None:  # noqa: ANN001
    st.header("Ambiti")
    ambiti = be.ambiti()
    if not ambiti:
        st.info("Nessun Ambito nel grafo: carica dei documenti nella pagina Documenti.")
        return
    names = [a.name or a.id for a in ambiti]
    with st.container(border=True):
        comune = st.text_input("Di quale Ambito fa parte un Comune? (nome in qualsiasi grafia o codice ISTAT)",
                               key="comune_cerca")
        if comune:
            render_comune(be, comune)
    wanted = st.query_params.get("ambito")
    chosen = st.selectbox("Ambito", names, index=names.index(wanted) if wanted in names else 0, key="ambito_scelto")
    st.query_params["ambito"] = chosen
    render_profile(be.ambito(chosen))


def render_comune(be, name: str) -> None:  # noqa: ANN001
    try:
        story = be.comune(name)
    except ComuneNotFound:
        st.warning(f"Nessun Comune «{name}» nei documenti caricati. Controlla la grafia o prova il codice ISTAT.")
        return
    where_ = ", ".join(x for x in (story.province, (story.region or "").title()) if x)
    st.markdown(f"**{md_text(story.name or name)}** (ISTAT {story.istat or 'n.d.'}{', ' + where_ if where_ else ''})")
    if story.historical_names:
        st.caption("Comprende i Comuni soppressi: " + ", ".join(story.historical_names))
    if not story.ambiti:
        st.info("Nessun documento caricato lo indica come Comune di un Ambito.")
    for a in story.ambiti:
        periods = ", ".join(a.periods) or "periodo non indicato"
        links = " · ".join(doc_link(ev, f"fonte {i + 1}") for i, ev in enumerate(a.evidence[:3]))
        st.markdown(f"- **{md_text(a.name or a.id)}** — {periods} · {links}")


def _joined(value: object) -> str:
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
    if p.aliases:
        st.caption("Chiamato anche: " + "; ".join(p.aliases[:8]))
    for title, items in (("Ente capofila", p.capofila), ("ATS", p.ats), ("ASST", p.asst),
                         ("Città Metropolitana", p.citta_metropolitana), ("Altri enti", p.organizations),
                         ("Ambiti partner", p.partner_ambiti)):
        if items:
            st.markdown(f"**{title}:** " + _names(items))
    if p.comuni:
        with st.expander(f"Comuni ({len(p.comuni)})"):
            st.dataframe([{"Comune": c.name, "Codice ISTAT": dash(c.istat)} for c in p.comuni], hide_index=True)
    else:
        st.caption("Comuni: non indicati nei documenti.")
    if p.signatories:
        with st.expander(f"Firmatari ({len(p.signatories)})"):
            for sgn in p.signatories:
                src = f" · {doc_link(sgn.evidence)}" if sgn.evidence else ""
                st.markdown(f"- **{sgn.name}**, {sgn.role or 'ruolo non indicato'}{src}")
    if p.bodies:
        st.markdown("#### Organi di governance")
        for b in p.bodies:
            with st.expander(b.name or ""):
                if b.composition:
                    st.markdown(f"**Composizione:** {md_text(b.composition)}")
                if b.functions:
                    st.markdown(f"**Funzioni:** {md_text(_joined(b.functions))}")
                if b.legal_basis:
                    st.markdown("**Base normativa:** " + ", ".join(norm_label(lb.norm) for lb in b.legal_basis))
                quote_block(b.evidence)
    if p.services:
        st.markdown("#### Servizi")
        st.dataframe([{"Servizio": sv.name, "Stato": status_it(sv.status), "Periodo": dash(sv.period),
                       "Fonte": tidy_quote(sv.evidence.quote, 120) if sv.evidence else "—"} for sv in p.services],
                     hide_index=True)
    if p.objectives:
        st.markdown("#### Obiettivi per macro-area")
        for area, objs in p.objectives.items():
            with st.expander(f"Area {area} ({len(objs)})" if area != "-" else f"Senza macro-area ({len(objs)})"):
                for o in objs:
                    st.markdown(f"- {md_text(o.name or '')}")
    if p.networks:
        with st.expander(f"Reti e co-progettazioni ({len(p.networks)})"):
            for n in p.networks:
                st.markdown(f"- {md_text(n.name or '')}")
    if p.norms:
        st.markdown("#### Norme più citate")
        st.dataframe([{"Norma": norm_label(n.id), "Titolo": dash(n.title), "Citazioni": n.citations} for n in p.norms],
                     hide_index=True)


def page_norme(be) -> None:  # noqa: ANN001
    st.header("Norme")
    norms = be.norms()
    if not norms:
        st.info("Nessuna norma nel grafo.")
        return
    typed = st.text_input("Norma in qualsiasi forma (es. «L.R. 3/2008», «legge quadro»)", key="norma_testo")
    labels = {n.id: norm_label(n.id, legislature=n.legislature, title=n.title) + f" ({plural_it(n.citations, 'citazione', 'citazioni')})"
              for n in norms}
    picked = st.selectbox("oppure scegli", list(labels), key="norma_scelta", format_func=lambda i: labels[i])
    try:
        trace = be.norm(typed or picked)
    except KgError as exc:
        say_error(exc, typed or labels[picked])
        return
    render_norm(trace)


def render_norm(trace: NormTrace) -> None:
    n = trace.norm
    st.subheader(norm_label(trace.norm_id, legislature=n.legislature))
    if n.title:
        st.markdown(f"*{md_text(n.title)}*")
    if n.normattiva:
        st.markdown(f"[Apri su Normattiva]({n.normattiva})")
    st.caption(f"Citata in {plural_it(len(trace.documents), 'documento', 'documenti')}, "
               f"{plural_it(len(trace.citations), 'citazione', 'citazioni')}")
    timeline: dict[str, int] = {}
    for d in trace.documents:
        timeline[d.period or "n.d."] = timeline.get(d.period or "n.d.", 0) + d.citations
    if len(timeline) > 1:
        st.markdown("**Citazioni per periodo di programmazione**")
        st.bar_chart({"citazioni": dict(sorted(timeline.items()))})
    st.dataframe([{"Documento": d.source, "Periodo": dash(d.period), "Citazioni": d.citations,
                   "Articoli": dash([f"art. {a}" for a in d.articles])} for d in trace.documents], hide_index=True)
    for c in trace.citations[:50]:
        art = f"art. {c.article}" + (f", comma {c.comma}" if c.comma else "") if c.article else ""
        st.markdown(f"- {art} {doc_link(c.evidence)}: {md_text(tidy_quote(c.context or c.raw or ''))}")
    for links, label in ((trace.amends, "Modifica"), (trace.amended_by, "Modificata da")):
        for m in links:
            st.markdown(f"**{label}:** {norm_label(m.id, legislature=m.legislature, title=m.title)}")


def _ambito_choice(be, typed: str) -> list[str]:  # noqa: ANN001
    """Names or aliases separated by commas, each resolved to its Ambito (any alias works)."""
    out = []
    for part in [p.strip() for p in typed.split(",") if p.strip()]:
        out.append(be.ambito(part).name or part)
    return out


def page_confronta(be) -> None:  # noqa: ANN001
    st.header("Confronta")
    ambiti = sorted(be.ambiti(), key=lambda a: (-a.comuni, -len(a.documents), a.name or ""))
    names = [a.name or a.id for a in ambiti]
    default = st.query_params.get("ambiti") or ", ".join(names[:2])
    tab_gov, tab_time = st.tabs(["Governance a confronto", "Ambito nel tempo"])
    with tab_gov:
        typed = st.text_input("Ambiti da confrontare (nomi o alias, separati da virgola)", value=default, key="confronto")
        st.caption("Ambiti nel grafo: " + "; ".join(names))
        try:
            chosen = _ambito_choice(be, typed)
        except KgError as exc:
            say_error(exc, typed)
            chosen = []
        if len(chosen) < 2:
            st.info("Indica almeno due Ambiti.")
        else:
            st.query_params["ambiti"] = ", ".join(chosen)
            render_compare(be.compare(chosen))
    with tab_time:
        one = st.selectbox("Ambito", names, key="nel_tempo")
        render_timeline(be.timeline(one))


def render_compare(data: GovernanceComparison) -> None:
    if not data.rows:
        return
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ["Aspetto", *data.ambiti])
    body = []
    for cell in data.cells:
        tds = [f"<th>{html.escape(cell.aspect)}</th>"]
        for col in data.ambiti:
            items = cell.values.get(col) or []
            if not items:
                tds.append("<td>—</td>")
                continue
            parts = []
            for it in items if cell.aspect != "Comuni" else []:
                text = html.escape(it.name or "")
                details = [f"composizione: {it.composition}"] if it.composition else []
                if it.functions:
                    details.append("funzioni: " + _joined(it.functions))
                if details:
                    text += f"<br><small>{html.escape('; '.join(details))}</small>"
                if it.evidence:
                    text += f" <a href='{doc_href(it.evidence)}' target='_self' title='{html.escape(where(it.evidence))}'>[fonte]</a>"
                parts.append(text)
            if cell.aspect == "Comuni":
                parts = [f"{len(items)}: " + html.escape(", ".join(i.name or "" for i in items))]
            tds.append("<td>" + "<hr style='margin:4px 0'>".join(parts) + "</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    st.markdown(
        "<table class='confronto' style='width:100%;table-layout:fixed;border-collapse:collapse'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "<style>.confronto td,.confronto th{border:1px solid #ddd;padding:6px;vertical-align:top;"
        "white-space:normal;word-wrap:break-word;text-align:left}</style>",
        unsafe_allow_html=True,
    )
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(data.rows[0].keys()))
    writer.writeheader()
    writer.writerows(data.rows)
    st.download_button("Scarica il confronto (CSV)", buf.getvalue().encode("utf-8"), "confronto_governance.csv", "text/csv")


def render_timeline(t: AmbitoTimeline) -> None:
    if not t.periods:
        st.info("I documenti di questo Ambito non indicano periodi di programmazione.")
        return
    st.caption(" · ".join(f"{p}: {', '.join(t.documents.get(p, [])) or 'nessun documento proprio'}" for p in t.periods))
    for title, rows, value in (("Organi di governance", t.bodies, lambda v: "presente"),
                               ("Servizi e loro stato", t.services, status_it)):
        st.markdown(f"#### {title}")
        if not rows:
            st.caption("Nessuno nei documenti.")
            continue
        table = []
        for r in rows:
            line = {"Nome": r.name}
            for p in t.periods:
                line[p] = value(r.by_period[p]) if p in r.by_period else "—"
            line["Novità"] = f"compare nel {r.appeared}" if r.appeared else ""
            line["Fine"] = f"non più citato nel {r.ended}" if r.ended else ""
            table.append(line)
        st.dataframe(table, hide_index=True)


def page_grafo(be) -> None:  # noqa: ANN001
    st.header("Grafo")
    typed = st.text_input("Cerca un'entità per nome o alias (es. Oglio Po, Ufficio di Piano, L.R. 3/2008)",
                          value=st.query_params.get("cerca", ""), key="grafo_cerca")
    center = st.query_params.get("entita")
    if typed:
        matches = be.find(typed)
        if not matches:
            st.info(f"Nessuna entità corrisponde a «{typed}».")
            return
        options = {m.id: f"{m.name} ({LABEL_IT.get(m.label, m.label)})" for m in matches[:8]}
        center = st.radio("Entità trovate", list(options), format_func=lambda i: options[i], key="grafo_scelta",
                          index=list(options).index(center) if center in options else 0)
        st.query_params["cerca"] = typed
    if not center:
        st.info("Scrivi un nome per esplorare i collegamenti di un'entità.")
        return
    st.query_params["entita"] = center
    try:
        g = be.neighbourhood(center)
    except KgError as exc:
        say_error(exc, center)
        return
    expanded = st.session_state.setdefault("grafo_espansi", {})
    graphs = [g] + [v for k, v in expanded.items() if k != center]
    st.graphviz_chart(to_dot(graphs), width="stretch")
    if len(g.nodes) - 1 > DRAWN:
        st.caption(f"Disegnati {DRAWN} vicini su {len(g.nodes) - 1}: l'elenco completo è in «Collegamenti e fonti».")
    st.markdown(" ".join(f"<span style='background:{c};padding:2px 6px;border-radius:4px;margin-right:4px'>"
                         f"{LABEL_IT[k]}</span>" for k, c in LABEL_COLOURS.items()), unsafe_allow_html=True)
    with st.expander("Espandi un vicino"):
        cols = st.columns(3)
        for i, n in enumerate(g.nodes[1:31]):
            if cols[i % 3].button(f"{LABEL_IT.get(n.label, n.label)}: {n.name[:40]}", key=f"exp_{n.id}"):
                try:
                    expanded[n.id] = be.neighbourhood(n.id)
                except KgError as exc:
                    say_error(exc, n.name)
                st.rerun()
    with st.expander(f"Collegamenti e fonti ({len(g.edges)})"):
        names = {n.id: n.name for n in g.nodes}
        for e in g.edges[:100]:
            rel = REL_IT.get(e.type, e.type.lower())
            src = f" · {doc_link(e.evidence)}" if e.evidence else ""
            st.markdown(f"- {md_text(names.get(e.source, ''))} *{rel}* {md_text(names.get(e.target, ''))}{src}")


DRAWN = 40  # neighbours drawn around a centre: more would make every label unreadably small


def to_dot(graphs: list[Neighbourhood]) -> str:
    """A force-directed (neato) drawing: nodes spread around the centre, not one long strip."""
    lines = ["graph G {",
             'graph [layout=neato, overlap=prism, overlap_scaling=1.5, splines=true, sep="+8"];',
             'node [style="filled,rounded", fontsize=12, shape=box, fontname="DejaVu Sans"];',
             'edge [fontsize=9, color="#888888", fontname="DejaVu Sans"];']
    seen_nodes: set[str] = set()
    seen_edges: set[tuple[str, str, str]] = set()
    for gi, g in enumerate(graphs):
        drawn = {n.id for n in g.nodes[: DRAWN + 1]}
        for n in g.nodes[: DRAWN + 1]:
            if n.id in seen_nodes:
                continue
            seen_nodes.add(n.id)
            label = n.name[:40].replace('"', "'").replace("\\", "/")
            extra = ", penwidth=3" if gi == 0 and n.id == g.entity.id else ""
            lines.append(f'"{n.id}" [label="{label}", fillcolor="{LABEL_COLOURS.get(n.label, "#eeeeee")}"{extra}];')
        for e in g.edges:
            key = (e.source, e.target, e.type)
            if key in seen_edges or e.source not in drawn or e.target not in drawn:
                continue
            seen_edges.add(key)
            lines.append(f'"{e.source}" -- "{e.target}" [label="{REL_IT.get(e.type, e.type.lower())}"];')
    lines.append("}")
    return "\n".join(lines)


def page_documenti(be) -> None:  # noqa: ANN001
    st.header("Documenti")
    docs = be.documents()
    wanted = st.query_params.get("doc")
    if docs:
        ids = [d.id for d in docs]
        by_id = {d.id: d for d in docs}
        doc_id = st.selectbox("Documento", ids, index=ids.index(wanted) if wanted in ids else 0, key="doc_aperto",
                              format_func=lambda i: by_id[i].source or i)
        start = int(st.query_params.get("start") or 0) if wanted == doc_id else None
        end = int(st.query_params.get("end") or start or 0) if wanted == doc_id else None
        render_reader(be, by_id[doc_id], start, end)
    else:
        st.info("Il grafo è vuoto: carica un documento qui sotto o esegui `pdz ingest corpus/`.")
    with st.expander("Elenco dei documenti", expanded=not docs):
        if docs:
            st.dataframe([{"Documento": d.source, "Tipo": dash([KIND_IT.get(k, k) for k in d.kinds]),
                           "Periodo": dash(d.period), "Ambito": dash(d.ambito), "Pagine": dash(d.pages),
                           "Passaggi": dash(d.chunks)} for d in docs], hide_index=True)
    render_upload(be)


def render_reader(be, doc, start: int | None, end: int | None) -> None:  # noqa: ANN001
    """The whole document, paged; opened at the evidence span, highlighted and scrolled into view;
    the PDF page image beside the text."""
    full = be.document_text(doc.id)
    windows = reader_windows(full.text)
    at = start if start is not None else 0
    current = next((i for i, (a, b) in enumerate(windows) if a <= at < b), 0)
    key = f"pagina_{doc.id}_{start}"
    n = st.number_input(f"Pagina di lettura (1–{len(windows)})", 1, len(windows), current + 1, key=key) - 1
    a, b = windows[n]
    anchor = at if start is not None and a <= at < b else a
    page_no = full.text.count("\f", 0, anchor) + 1 if doc.pages else None
    left, right = st.columns([3, 2]) if doc.pages and doc.mimetype == "application/pdf" else (st.container(), None)
    with left:
        if start is not None and end is not None and end >= start:
            ev_text = full.text[start:end]
            st.caption(f"Evidenza: caratteri {start}–{end}" + (f", pagina {page_no}" if page_no else ""))
            section = " › ".join(be.document(doc.id).section_path(start))
            cite = f"{doc.source}" + (f", p. {page_no}" if page_no else "") + (f", {section}" if section else "")
            st.markdown("**Copia citazione** (il pulsante in alto a destra del riquadro la copia):")
            st.code(f"{cite}: «{tidy_quote(ev_text, 400)}»", language=None)
        components.html(reader_html(full.text, a, b, start, end), height=560, scrolling=True)
    if right is not None and page_no:
        image = page_image(doc.path, page_no)
        with right:
            if image is not None:
                st.image(image, caption=f"Pagina {page_no} del PDF originale")
            else:
                st.caption("Il PDF originale non è disponibile su questo computer.")


def render_upload(be) -> None:  # noqa: ANN001
    if not getattr(be, "uploads_enabled", False):  # read-only, or no PDZ_API_TOKEN: no upload widget at all
        st.caption("Il caricamento di documenti è disattivato su questo server (serve PDZ_API_TOKEN).")
        return
    with st.expander("Carica un documento"):
        st.markdown(UPLOADER_IT, unsafe_allow_html=True)
        upload = st.file_uploader("Un documento (PDF, DOCX, DOC, TXT, MD, HTML, P7M firmato)",
                                  type=["pdf", "docx", "doc", "txt", "md", "html", "htm", "mhtml", "p7m"], key="carica")
        token = st.text_input("Token di caricamento (PDZ_API_TOKEN)", type="password", key="token")
        if upload is None or not st.button("Importa", key="importa"):
            return
        bar = st.progress(0.0, text="avvio")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                report = be.upload(path, lambda f, t: bar.progress(min(f, 1.0), text=t), token=token or None)
            except UploadRefused:
                st.error("Caricamento rifiutato: il token manca o non è quello del server (PDZ_API_TOKEN).")
                return
            except KgError as exc:
                say_error(exc)
                return
        if report.error:
            st.error(report.error)
        else:
            st.success(f"Importato: {plural_it(report.chunks, 'passaggio', 'passaggi')}, "
                       f"{plural_it(report.nodes, 'nodo', 'nodi')}.")


RENDERERS = {"Cerca": page_cerca, "Ambiti": page_ambiti, "Norme": page_norme, "Confronta": page_confronta,
             "Grafo": page_grafo, "Documenti": page_documenti}


def main() -> None:
    st.set_page_config(page_title="Piani di Zona – grafo della conoscenza", layout="wide")
    st.sidebar.title("Piani di Zona")
    wanted = st.query_params.get("pagina")
    page = st.sidebar.radio("Pagina", PAGES, index=PAGES.index(wanted) if wanted in PAGES else 0, key="pagina")
    if page != wanted:
        st.query_params.clear()
        st.query_params["pagina"] = page
    try:
        be = backend()
        health = be.health()
    except KgError as exc:
        say_error(exc)
        return
    st.sidebar.caption(f"{plural_it(health.documents, 'documento', 'documenti')} · "
                       f"{plural_it(health.nodes, 'nodo', 'nodi')}")
    with st.sidebar:
        semantic_progress()
    if not health.documents and page != "Documenti":
        st.warning("L'archivio è vuoto: carica dei documenti nella pagina Documenti o esegui `pdz ingest corpus/`.")
        return
    try:
        RENDERERS[page](be)
    except KgError as exc:
        say_error(exc)


main()
