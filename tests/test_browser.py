"""A real browser (Debian chromium driven by Playwright) asks the housing-agency question in the app."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ontology.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("PDZ_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def streamlit_url(corpus_settings: Settings):
    port = free_port()
    env = {**os.environ, "PDZ_DATA_DIR": str(corpus_settings.data_dir)}
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start within 120 s")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.skipif(not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists(),
                    reason=f"{CHROMIUM} not installed (apt-get install chromium; ./dev test does it)")
def test_browser_asks_the_housing_agency_question(streamlit_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(streamlit_url, wait_until="domcontentloaded")
        box = page.get_by_label("Domanda")
        expect(box).to_be_visible(timeout=90_000)
        box.fill("Quali Ambiti gestiscono o programmano un'Agenzia dell'Abitare?")
        box.press("Enter")
        answer = page.get_by_text("Agenzia dell'Abitare: Ambito di Oglio Po")
        expect(answer).to_be_visible(timeout=90_000)
        expect(page.get_by_text("Risposta dal grafo").first).to_be_visible()
        expect(page.get_by_text("Ambito di San Giuliano Milanese").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "cerca_agenzia_abitare.png"), full_page=True)
        browser.close()
    assert (ARTIFACTS / "cerca_agenzia_abitare.png").stat().st_size > 10_000
