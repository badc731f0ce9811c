"""Every Streamlit page on the ingested seed corpus (AppTest), in Italian, and the empty-store message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ontology.settings import Settings

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
pytestmark = pytest.mark.timeout(600)


@pytest.fixture
def app(corpus_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("PDZ_DATA_DIR", str(corpus_settings.data_dir))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("PDZ_API_URL", raising=False)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.sidebar.radio(key="pagina").set_value(page).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.header[0].value.startswith(page.split()[0])
    return at


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [s.value for s in at.subheader] + [c.value for c in at.caption])


def test_cerca_answers_the_housing_agency_question(app: AppTest) -> None:
    app.text_input(key="domanda").input("Quali Ambiti gestiscono o programmano un'Agenzia dell'Abitare?").run()
    assert not app.exception
    out = texts(app)
    assert "Risposta dal grafo" in out
    assert "Ambito di San Giuliano Milanese" in out and "programmato" in out
    assert "studio di fattibilità" not in app.subheader[0].value  # the summary shows the latest status...
    assert "*studio di fattibilità* (2018-2020) → *programmato* (2021-2023)" in out  # ...the rows their history
    assert "Peschiera Borromeo" in out.split("di altri territori")[1]  # a neighbour's agency, kept apart
    assert "?pagina=Documenti&doc=doc%3Asud_est_milano" in out  # quotes link to the document


def test_cerca_norm_question(app: AppTest) -> None:
    app.text_input(key="domanda").input("Quali documenti citano la L.R. 3/2008?").run()
    out = texts(app)
    assert "L.R. 3/2008" in out and "sud_est_milano_adp_pdz_2021_2023.txt" in out
    assert "lr.lombardia" not in out  # people read the act's name, not our id


def test_ambiti_page_profile(app: AppTest) -> None:
    goto(app, "Ambiti")
    app.selectbox(key="ambito_scelto").set_value("Ambito di San Giuliano Milanese").run()
    out = texts(app)
    assert "Azienda Sociale Sud Est Milano" in out and "Organi di governance" in out
    assert any(m.label == "Comuni" and m.value == "9" for m in app.metric)


def test_ambiti_page_finds_the_ambito_of_a_comune(app: AppTest) -> None:
    goto(app, "Ambiti")
    app.text_input(key="comune_cerca").input("SAN ZENONE AL LAMBRO").run()
    assert not app.exception
    out = texts(app)
    assert "San Zenone al Lambro" in out and "ISTAT 015202" in out
    assert "Ambito di San Giuliano Milanese" in out and "2021-2023" in out and "pagina=Documenti" in out
    app.text_input(key="comune_cerca").input("Paperopoli").run()
    assert any("Nessun Comune «Paperopoli»" in w.value for w in app.warning)


def test_norme_page_any_written_form(app: AppTest) -> None:
    goto(app, "Norme")
    app.text_input(key="norma_testo").input("legge regionale 3 del 2008").run()
    out = texts(app)
    assert "L.R. 3/2008" in out and "Citata in 1 documento, 16 citazioni" in out
    assert "lr.lombardia" not in out
    assert app.dataframe[0].value.shape[0] == 1
    app.text_input(key="norma_testo").input("legge 328 del 2000").run()
    out = texts(app)
    assert "L. 328/2000" in out and "Apri su Normattiva" in out  # a state act links to its Normattiva page


def test_confronta_page_accepts_aliases_and_keeps_the_pair_in_the_url(app: AppTest) -> None:
    goto(app, "Confronta")
    app.text_input(key="confronto").input("Sud Est, Oglio Po").run()
    assert not app.exception
    html_tables = [m.value for m in app.markdown if "<table class='confronto'" in m.value]
    assert html_tables, texts(app)
    table = html_tables[0]
    assert "Ambito di San Giuliano Milanese" in table and "Ambito di Oglio Po" in table  # "Sud Est" is an alias
    assert "Ufficio di Piano" in table and "[fonte]" in table and "white-space:normal" in table
    assert app.query_params["ambiti"] == "Ambito di San Giuliano Milanese, Ambito di Oglio Po"
    assert app.get("download_button")


def test_confronta_ambito_over_time(app: AppTest) -> None:
    goto(app, "Confronta")
    app.selectbox(key="nel_tempo").set_value("Ambito di San Giuliano Milanese").run()
    assert not app.exception
    tables = [d.value for d in app.dataframe]
    services = next(t for t in tables if "Servizi" not in t.columns and "Nome" in t.columns and "2018-2020" in t.columns
                    and (t["Nome"] == "Agenzia dell'Abitare").any())
    row = services[services["Nome"] == "Agenzia dell'Abitare"].iloc[0]
    assert (row["2018-2020"], row["2021-2023"]) == ("studio di fattibilità", "programmato")


def test_grafo_finds_by_name_and_expands_a_neighbour(app: AppTest) -> None:
    goto(app, "Grafo")
    app.text_input(key="grafo_cerca").input("Oglio Po").run()
    assert not app.exception
    assert app.radio(key="grafo_scelta").value == "ambito:oglio-po"
    spec = app.get("graphviz_chart")[0].proto.spec
    assert "layout=neato" in spec and spec.count("--") >= 5
    before = spec.count("--")
    next(b for b in app.button if b.key and b.key.startswith("exp_")).click().run()
    assert not app.exception
    assert app.get("graphviz_chart")[0].proto.spec.count("--") > before
    assert "Organo di governance" in texts(app)  # the legend is in Italian


def test_documenti_page_opens_text_at_evidence(app: AppTest) -> None:
    app = AppTest.from_file(APP, default_timeout=180)  # a fresh session, opened from an evidence link
    app.query_params["pagina"] = "Documenti"
    app.query_params["doc"] = "doc:sud_est_milano_adp_pdz_2021_2023.txt"
    app.query_params["start"] = "290"
    app.query_params["end"] = "315"
    app.run()
    assert not app.exception
    reader = [e for e in app.get("iframe") if "<mark id='evidenza'>" in (e.proto.srcdoc or "")]
    assert reader, "the reader marks the evidence"
    srcdoc = reader[0].proto.srcdoc
    assert "<mark id='evidenza'>art. 18 della L.R. 3/2008</mark>" in srcdoc and "scrollIntoView" in srcdoc
    assert any("sud_est_milano_adp_pdz_2021_2023.txt" in c.value and "art. 18 della L.R. 3/2008" in c.value
               for c in app.code)  # the citation to copy
    assert app.dataframe[0].value.shape[0] == 5


def test_empty_store_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.arcade import EmbeddedArcade

    monkeypatch.setenv("PDZ_DATA_DIR", str(tmp_path / "vuoto"))
    at = AppTest.from_file(APP, default_timeout=180)
    try:
        at.run()
        assert not at.exception
        assert any("archivio è vuoto" in w.value for w in at.warning)
        at.sidebar.radio(key="pagina").set_value("Documenti").run()
        assert any("grafo è vuoto" in i.value for i in at.info)
    finally:
        EmbeddedArcade(Settings.load(env={"PDZ_DATA_DIR": str(tmp_path / "vuoto")}).graph_dir).stop()


def test_documenti_upload_reports_progress_and_refuses_bad_files(arcade_settings: Settings, tmp_path: Path) -> None:
    """The call behind the Documenti page's upload (AppTest cannot drive a file uploader)."""
    from kg.store import GraphStore
    from ui.backend import LocalBackend

    from dataclasses import replace

    with GraphStore.open(arcade_settings) as s:
        s.execute("MATCH (n) DETACH DELETE n")
    backend = LocalBackend(replace(arcade_settings, api_token="s3cret"))  # uploads need the token (test_limits)
    good = tmp_path / "piano.txt"
    good.write_text("Piano di Zona 2025-2027 dell'Ambito di Lodi.\n\nAi sensi della L.R. 3/2008 l'Ufficio di Piano "
                    "coordina il Tavolo Tecnico.\n", encoding="utf-8")
    steps: list[tuple[float, str]] = []
    report = backend.upload(good, lambda f, t: steps.append((f, t)), token="s3cret")
    assert report.error is None and report.status == "ok"
    assert steps[-1] == (1.0, "fatto") and all(0 <= f <= 1 for f, _ in steps)
    before = backend.health()
    bad = tmp_path / "rotto.pdf"
    bad.write_bytes(b"%PDF-1.7 broken")
    report = backend.upload(bad, lambda f, t: None, token="s3cret")
    assert report.status == "failed" and (report.error or "").startswith("rotto.pdf: ")
    assert backend.health() == before
    backend.store.close()


# Words of English interfaces that must not reach a person (the UI is Italian); technical words people
# use in Italian too (PDF, CSV, ISTAT, API, URL...) are allowed by not being listed.
ENGLISH_UI = {
    "the", "and", "results", "result", "select", "all", "none", "null", "intent", "search", "services", "service",
    "mentioned", "planned", "active", "feasibility", "study", "concluded", "document", "documents", "download",
    "upload", "error", "found", "not", "page", "loading", "show", "open", "close", "score", "status", "period",
    "body", "bodies", "evidence", "source", "line", "entity", "edges", "nodes", "neighbours",
}


def _chrome(at: AppTest) -> list[str]:
    """Every string of the interface itself (labels, headings, captions, messages, column names), not the
    documents' own words (quotes, snippets and tables of quotes are left out)."""
    out: list[str] = [h.value for h in at.header] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    out += [m.value for m in at.markdown if not m.value.lstrip().startswith((">", "- ", "<table", "<div", "<span", "<style"))]
    for kind in ("info", "warning", "error", "success"):
        out += [x.value for x in at.get(kind)]
    for kind in ("text_input", "selectbox", "radio", "number_input", "slider", "button", "metric", "expander", "tab"):
        out += [getattr(x, "label", "") or "" for x in at.get(kind)]
    for df in at.dataframe:
        out += [str(c) for c in df.value.columns]
    return out


@pytest.mark.parametrize("page", ["Cerca", "Ambiti", "Norme", "Confronta", "Grafo", "Documenti"])
def test_no_english_reaches_the_interface(app: AppTest, page: str) -> None:
    goto(app, page)
    if page == "Cerca":
        app.text_input(key="domanda").input("Quali Ambiti gestiscono o programmano un'Agenzia dell'Abitare?").run()
    if page == "Grafo":
        app.text_input(key="grafo_cerca").input("Oglio Po").run()
    assert not app.exception
    leaks = []
    for text in _chrome(app):
        words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z:]+", re.sub(r"\[[^\]]*\]\([^)]*\)|`[^`]*`", " ", text))}
        leaks += [f"{w!r} in {text[:80]!r}" for w in words & ENGLISH_UI]
    assert not leaks, leaks
