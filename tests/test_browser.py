"""Journeys in a real browser (Debian chromium driven by Playwright), one per page, each checking what a
person sees and saving a screenshot under tests/artifacts/: ask, open the evidence, trace a norm,
compare, explore the graph, an empty search, and the API's docs with the network off."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.arcade import EmbeddedArcade
from kg.ingest import ingest_paths
from kg.store import GraphStore
from ontology.settings import Settings
from search.index import SearchIndex
from tests.test_search import encoder, search_settings  # noqa: F401 - session fixtures: the real model, loaded once

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "token-di-prova"
CHROMIUM = os.environ.get("PDZ_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} not installed (apt-get install chromium; ./dev test does it)"),
]
# What must never reach a person's screen: our ids, markup, English words of the interface.
RAW = re.compile(r"lr\.lombardia:|legge:\d|doc:[a-z]|ambito:[a-z]|&#x27;|&lt;|<i>|\*\*|\bNone\b|feasibility_study|piano_di_zona")
ENGLISH = re.compile(r"\b(?:No results|Select all|intent|Search|Loading|Error|not found|services|mentioned|planned|"
                     r"active|concluded|documents|Download|Upload|Browse files|Drag and drop)\b")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[:3]} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def indexed_corpus(tmp_path_factory: pytest.TempPathFactory, search_settings: Settings, encoder) -> Iterator[Settings]:  # noqa: F811
    """The seed corpus in a data dir of its own, graph and search index (the real e5 model)."""
    data = tmp_path_factory.mktemp("pdz-browser")
    settings = Settings.load(env={"PDZ_DATA_DIR": str(data)})
    if search_settings.models_dir.exists():  # the model folder the search tests built or linked
        data.joinpath(search_settings.models_dir.name).symlink_to(search_settings.models_dir, target_is_directory=True)
    server = EmbeddedArcade(settings.graph_dir)
    server.ensure_running()
    with GraphStore.open(settings) as store:
        report = ingest_paths([ROOT / "corpus"], store, settings, indexer=SearchIndex(settings, encoder=encoder))
        assert not report.errors, report.errors
    yield settings
    server.stop()


@pytest.fixture(scope="module")
def app_url(indexed_corpus: Settings) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PDZ_DATA_DIR": str(indexed_corpus.data_dir), "HF_HUB_OFFLINE": "1", "PDZ_API_TOKEN": TOKEN}
    env.pop("NEO4J_URI", None)
    env.pop("PDZ_API_URL", None)
    env.pop("PDZ_READ_ONLY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--client.toolbarMode", "viewer"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/_stcore/health", proc)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="it-IT")
    pg = context.new_page()
    yield pg
    context.close()


def settle(page) -> None:  # noqa: ANN001
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=120_000)


def shot(page, name: str) -> Path:  # noqa: ANN001
    """Save a screenshot and check what a person reads there: Italian, no ids, no markup."""
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    seen = page.locator("[data-testid='stMain']").inner_text()
    assert not RAW.search(seen), (name, RAW.search(seen).group(0))
    assert not ENGLISH.search(seen), (name, ENGLISH.search(seen).group(0))
    assert path.stat().st_size > 10_000
    return path


def fill(page, url: str, label: str, text: str) -> None:  # noqa: ANN001
    """Open a page, type into the field labelled ``label`` and submit, as a person would."""
    page.goto(url, wait_until="domcontentloaded")
    box = page.get_by_label(label)
    box.wait_for(timeout=120_000)
    box.fill(text)
    box.press("Enter")
    settle(page)


def ask(page, url: str, question: str) -> None:  # noqa: ANN001
    fill(page, url, "Domanda", question)


def test_ask_then_open_the_evidence(page, app_url: str) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    ask(page, app_url, "Quali Ambiti gestiscono o programmano un'Agenzia dell'Abitare?")
    expect(page.get_by_text("Agenzia dell'Abitare: Ambito di Oglio Po")).to_be_visible(timeout=120_000)
    expect(page.get_by_text("Risposta dal grafo").first).to_be_visible()
    expect(page.get_by_text("Ambito di San Giuliano Milanese").first).to_be_visible()
    shot(page, "1_cerca_agenzia_abitare")
    # evidence links open the Documenti page at the span (in a new tab, as Streamlit opens links)
    href = page.locator("a[href*='pagina=Documenti']").first.get_attribute("href")
    page.goto(f"{app_url}/{href}", wait_until="domcontentloaded")
    settle(page)
    expect(page.get_by_text("Copia citazione").first).to_be_visible(timeout=60_000)
    reader = page.frame_locator("iframe[title='st.iframe'], iframe").first
    mark = reader.locator("mark#evidenza")
    expect(mark).to_be_visible(timeout=60_000)
    frame_box = page.locator("iframe").first.bounding_box()
    box = mark.bounding_box()
    assert frame_box and box and frame_box["y"] <= box["y"] <= frame_box["y"] + frame_box["height"], (frame_box, box)
    assert box["y"] + box["height"] <= 1000  # in the window as it opens: no scrolling needed
    shot(page, "2_documenti_evidenza")


def test_search_without_relevant_passages_says_so(page, app_url: str) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    ask(page, app_url, "teletrasporto")
    expect(page.get_by_text("Nessun risultato pertinente").first).to_be_visible(timeout=120_000)
    assert page.locator("[data-testid='stVerticalBlockBorderWrapper'] mark").count() == 0
    shot(page, "3_cerca_nessun_risultato")


def test_trace_a_norm(page, app_url: str) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    fill(page, f"{app_url}/?pagina=Norme", "Norma in qualsiasi forma (es. «L.R. 3/2008», «legge quadro»)",
         "legge regionale 12 marzo 2008 n. 3")
    expect(page.get_by_text("Citata in 1 documento, 16 citazioni")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="L.R. 3/2008")).to_be_visible()
    shot(page, "4_norme_lr_3_2008")


def test_compare_by_alias_keeps_the_pair_in_the_url(page, app_url: str) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    fill(page, f"{app_url}/?pagina=Confronta", "Ambiti da confrontare (nomi o alias, separati da virgola)",
         "Sud Est, Oglio Po")
    table = page.locator("table.confronto")
    expect(table).to_be_visible(timeout=60_000)
    expect(table.get_by_text("Ambito di San Giuliano Milanese")).to_be_visible()
    assert table.locator("a", has_text="[fonte]").count() >= 4
    assert "ambiti=" in page.url
    shot(page, "5_confronta_governance")
    page.get_by_role("tab", name="Ambito nel tempo").click()
    settle(page)
    shot(page, "6_confronta_nel_tempo")


def test_graph_finds_an_ambito_by_name_and_draws_it(page, app_url: str) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    fill(page, f"{app_url}/?pagina=Grafo", "Cerca un'entità per nome o alias (es. Oglio Po, Ufficio di Piano, L.R. 3/2008)",
         "Oglio Po")
    svg = page.locator("[data-testid='stGraphVizChart'] svg")
    expect(svg).to_be_visible(timeout=60_000)
    size = svg.bounding_box()
    assert size and size["height"] > 250 and size["width"] > 250, size  # a drawing, not a one-pixel strip
    assert svg.locator("g.node").count() >= 6
    expect(page.get_by_text("Organo di governance").first).to_be_visible()  # the legend, in Italian
    shot(page, "7_grafo_oglio_po")


def test_upload_needs_the_token(page, app_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    """Runs after the reading journeys: it adds a document to the shared data dir."""
    from playwright.sync_api import expect

    plan = tmp_path / "piano_codogno_2025.txt"
    plan.write_text("Piano di Zona 2025-2027 dell'Ambito territoriale di Codogno\n\nL'Ufficio di Piano coordina "
                    "il Tavolo Tecnico ai sensi della L.R. 3/2008.\n", encoding="utf-8")

    def try_upload(token: str) -> None:
        page.goto(f"{app_url}/?pagina=Documenti", wait_until="domcontentloaded")
        page.get_by_text("Carica un documento").first.click(timeout=120_000)
        page.locator("input[type='file']").set_input_files(str(plan))
        if token:
            page.get_by_label("Token di caricamento (PDZ_API_TOKEN)").fill(token)
        page.get_by_role("button", name="Importa").click(timeout=60_000)
        settle(page)

    try_upload("")
    expect(page.get_by_text("Caricamento rifiutato").first).to_be_visible(timeout=60_000)
    shot(page, "8_carica_senza_token")
    try_upload(TOKEN)
    expect(page.get_by_text("Importato:").first).to_be_visible(timeout=180_000)
    shot(page, "9_carica_con_token")


def test_api_docs_render_with_the_network_off(page, indexed_corpus: Settings) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    port = free_port()
    env = {**os.environ, "PDZ_DATA_DIR": str(indexed_corpus.data_dir)}
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "ui.api:app", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/openapi.json", proc)
        outside: list[str] = []

        def only_loopback(route) -> None:  # noqa: ANN001
            if route.request.url.startswith(url):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_loopback)
        page.goto(f"{url}/docs", wait_until="networkidle")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("pdz-kg API", timeout=60_000)
        expect(page.get_by_text("/v1/ambiti/{ambito}").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "10_api_docs_offline.png"), full_page=False)
        assert not outside, outside
    finally:
        proc.terminate()
        proc.wait(timeout=30)
