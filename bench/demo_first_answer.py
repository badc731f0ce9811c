"""Time to the first answer of a fresh `pdz demo`: the real command on an empty data dir, the
housing-agency question asked over the API and typed into the UI in a real browser, the embedding
progress watched until every passage has its vector.

    python -m bench.demo_first_answer [--corpus corpus] [--out bench/results/demo_first_answer.txt]

Prints (and writes to --out) the seconds from the start of `pdz demo` to: the API's answer, the
UI's answer in Chromium (skipped when Chromium or Playwright is missing), the sidebar's progress
line, and all vectors computed. Nothing is asserted on time: the numbers are the result.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Quali Ambiti hanno un'Agenzia dell'Abitare?"
CHROMIUM = os.environ.get("PDZ_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return json.loads(r.read()) if r.status == 200 else None
    except (OSError, ValueError):
        return None


def ask_ui(url: str, t0: float, marks: dict[str, float], notes: list[str]) -> None:
    """Type the question into the UI as a person would; note when the answer and the progress line show."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        page = b.new_context(viewport={"width": 1400, "height": 1000}, locale="it-IT").new_page()
        while True:
            try:
                page.goto(url, wait_until="domcontentloaded", timeout=5000)
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.5)
        box = page.get_by_label("Domanda")
        box.wait_for(timeout=300_000)
        box.fill(QUESTION)
        box.press("Enter")
        page.get_by_text("Agenzia dell'Abitare:").first.wait_for(timeout=300_000)
        marks["ui_answer"] = time.monotonic() - t0
        try:
            line = page.get_by_text("Indicizzazione semantica").first
            line.wait_for(timeout=30_000)
            marks["ui_progress_line"] = time.monotonic() - t0
            notes.append(f"UI sidebar: {line.inner_text()!r}")
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            notes.append(f"UI sidebar progress line not seen: {exc.__class__.__name__}")
        shot = ROOT / "bench" / "results" / "demo_first_answer_ui.png"
        page.screenshot(path=str(shot), full_page=False)
        notes.append(f"screenshot: {shot.relative_to(ROOT)}")
        b.close()


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    cli.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "demo_first_answer.txt")
    cli.add_argument("--vector-limit", type=float, default=900, help="Seconds to wait for all vectors.")
    args = cli.parse_args()

    data = Path(tempfile.mkdtemp(prefix="pdz-demo-bench-"))
    api, ui = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PDZ_", "NEO4J_"))}
    env.update(PDZ_DATA_DIR=str(data), HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    log: list[tuple[float, str]] = []
    marks: dict[str, float] = {}
    notes: list[str] = []
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "ui", "demo", "--corpus", str(args.corpus), "--api-port", str(api),
                             "--ui-port", str(ui)], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append((time.monotonic() - t0, line.rstrip()))

    threading.Thread(target=read, daemon=True).start()
    browser = None
    try:
        if Path(CHROMIUM).exists() and __import__("importlib").util.find_spec("playwright"):
            browser = threading.Thread(target=ask_ui, args=(f"http://127.0.0.1:{ui}", t0, marks, notes), daemon=True)
            browser.start()
        else:
            notes.append("UI not timed: Chromium or Playwright missing")
        q = urllib.parse.quote(QUESTION)
        while "api_answer" not in marks and proc.poll() is None and time.monotonic() - t0 < 600:
            body = get_json(f"http://127.0.0.1:{api}/v1/ask?q={q}")
            if body and "Agenzia" in (body.get("summary") or ""):
                marks["api_answer"] = time.monotonic() - t0
                notes.append(f"API answer ({body.get('path')}): {body['summary'][:160]}")
            else:
                time.sleep(0.5)
        if browser is not None:
            browser.join(timeout=600)
        seen = []
        while proc.poll() is None and time.monotonic() - t0 < args.vector_limit:
            h = get_json(f"http://127.0.0.1:{api}/v1/health") or {}
            if h.get("vectors_total"):
                if not seen or seen[-1][1] != h["vectors"]:
                    seen.append((round(time.monotonic() - t0, 1), h["vectors"], h["vectors_total"]))
                if h["vectors"] >= h["vectors_total"]:
                    marks["all_vectors"] = time.monotonic() - t0
                    break
            time.sleep(2)
        if seen:
            notes.append("health vectors over time (s, done, total): " + ", ".join(map(str, seen[:: max(1, len(seen) // 8)] + seen[-1:])))
        if "all_vectors" in marks:
            hits = get_json(f"http://127.0.0.1:{api}/v1/search?q={urllib.parse.quote('sostegno alla casa e affitti')}&k=3") or {}
            modes = {r.get("mode") for r in hits.get("results", [])}
            notes.append(f"search after all vectors: mode {sorted(modes)}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C, as a person stops the demo
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(data, ignore_errors=True)

    lines = [f"pdz demo on a fresh data dir, corpus {args.corpus.name}/ ({len(list(args.corpus.iterdir()))} files), "
             f"{os.cpu_count()} CPUs; question: {QUESTION}"]
    for key, label in (("api_answer", "first answer (API /v1/ask)"), ("ui_answer", "first answer in the UI (Chromium)"),
                       ("ui_progress_line", "UI progress line visible"), ("all_vectors", "all vectors computed")):
        lines.append(f"{label}: " + (f"{marks[key]:.1f} s" if key in marks else "not reached"))
    lines += notes
    lines.append("demo output:")
    lines += [f"  [{t:6.1f} s] {text}" for t, text in log if text and "INFO" not in text and "Uvicorn" not in text][:40]
    report = "\n".join(lines)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
