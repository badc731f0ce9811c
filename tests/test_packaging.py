"""`pip install .` into a fresh virtual environment gives a `pdz` whose ingest works.

Without the ``models`` extra there is no sentence-transformers (and no torch): ingest must still
work, with one notice, a BM25-only index and `pdz status` saying so. This is the install a user
gets from ``pip install pdz-kg``; it takes about a minute from the local package mirror.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.timeout(900)


def test_fresh_venv_install_then_ingest(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], capture_output=True, text=True,
                         timeout=800)
    assert pip.returncode == 0, pip.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"} and not k.startswith(("PDZ_", "NEO4J_"))}
    env.update(PDZ_DATA_DIR=str(tmp_path / "data"), PDZ_SERVER_IDLE="5")
    pdz = venv / "bin" / "pdz"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(pdz), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)

    try:
        assert subprocess.run([str(venv / "bin" / "python"), "-c", "import sentence_transformers"], cwd=tmp_path,
                              env=env, capture_output=True).returncode != 0, "the core install pulls no model stack"
        ingest = run("ingest", str(CORPUS), "--json")
        assert ingest.returncode == 0, ingest.stderr
        report = json.loads(ingest.stdout)
        assert report["documents"] == 5 and report["errors"] == []
        notices = [ln for ln in ingest.stderr.splitlines() if ln.strip()]
        assert len(notices) == 1 and "BM25-only" in notices[0], ingest.stderr
        status = json.loads(run("status", "--json").stdout)
        assert status["search"]["mode"] == "bm25-only" and status["index"]["chunks"] == report["chunks"]
        hits = json.loads(run("search", "Agenzia dell'Abitare", "-k", "3", "--json").stdout)["results"]
        assert hits and all(h["mode"] == "bm25" for h in hits)
        bad = tmp_path / "rotto.pdf"
        bad.write_bytes(b"%PDF-1.7 not really")
        failed = run("ingest", str(bad))
        assert failed.returncode == 1
        errors = [ln for ln in failed.stderr.splitlines() if ln.startswith("error:")]
        assert len(errors) == 1 and errors[0].count("rotto.pdf") == 1, failed.stderr  # the file named once
    finally:
        run("server", "stop")
