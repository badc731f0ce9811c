"""Every Streamlit page on the ingested seed corpus (AppTest), in Italian, and the empty-store message."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kg.settings import Settings

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
    assert "lr.lombardia:2008:3" in out and "sud_est_milano_adp_pdz_2021_2023.txt" in out


def test_ambiti_page_profile(app: AppTest) -> None:
    goto(app, "Ambiti")
    app.selectbox(key="ambito_scelto").set_value("Ambito di San Giuliano Milanese").run()
    out = texts(app)
    assert "Azienda Sociale Sud Est Milano" in out and "Organi di governance" in out
    assert any(m.label == "Comuni" and m.value == "9" for m in app.metric)


def test_norme_page_any_written_form(app: AppTest) -> None:
    goto(app, "Norme")
    app.text_input(key="norma_testo").input("legge regionale 3 del 2008").run()
    out = texts(app)
    assert "lr.lombardia:2008:3" in out and "Citazioni per periodo di programmazione" in out
    assert app.dataframe[0].value.shape[0] == 1


def test_confronta_page_with_csv(app: AppTest) -> None:
    goto(app, "Confronta")
    app.multiselect(key="confronto").set_value(["Ambito di San Giuliano Milanese", "Ambito di Oglio Po"]).run()
    df = app.dataframe[0].value
    assert list(df.columns) == ["Aspetto", "Ambito di San Giuliano Milanese", "Ambito di Oglio Po"]
    assert "Ufficio di Piano" in set(df["Aspetto"])
    assert app.get("download_button")


def test_grafo_page_expands_a_neighbour(app: AppTest) -> None:
    goto(app, "Grafo")
    app.text_input(key="grafo_id").input("lr.lombardia:2008:3").run()
    assert app.get("graphviz_chart")
    before = app.get("graphviz_chart")[0].proto.spec.count("--")
    app.button[0].click().run()
    assert not app.exception
    assert app.get("graphviz_chart")[0].proto.spec.count("--") > before


def test_documenti_page_opens_text_at_evidence(app: AppTest) -> None:
    app = AppTest.from_file(APP, default_timeout=180)  # a fresh session, opened from an evidence link
    app.query_params["pagina"] = "Documenti"
    app.query_params["doc"] = "doc:sud_est_milano_adp_pdz_2021_2023.txt"
    app.query_params["start"] = "290"
    app.query_params["end"] = "315"
    app.run()
    assert not app.exception
    assert app.dataframe[0].value.shape[0] == 5
    assert "<mark>art. 18 della L.R. 3/2008</mark>" in texts(app)


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
    assert report["errors"] == [] and report["documents"] == 1
    assert steps[-1] == (1.0, "fatto") and all(0 <= f <= 1 for f, _ in steps)
    before = backend.health()
    bad = tmp_path / "rotto.pdf"
    bad.write_bytes(b"%PDF-1.7 broken")
    report = backend.upload(bad, lambda f, t: None, token="s3cret")
    assert report["errors"] and report["errors"][0].startswith("rotto.pdf: ")
    assert backend.health() == before
    backend.store.close()
