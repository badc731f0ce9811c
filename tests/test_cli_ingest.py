"""End-to-end: the `pdz` CLI ingests the corpus, skips unchanged files and survives SIGKILL."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.arcade import EmbeddedArcade
from ontology.settings import Settings
from kg.store import GraphStore
from tests.conftest import CORPUS

pytestmark = pytest.mark.timeout(600)


def pdz(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ui", *args], env=env, capture_output=True, text=True, **kw)


@pytest.fixture
def data_env(tmp_path: Path):
    env = {**os.environ, "PDZ_DATA_DIR": str(tmp_path / "data")}
    env.pop("NEO4J_URI", None)
    yield env
    EmbeddedArcade(Settings.load(env=env).graph_dir).stop()


def whole_documents(settings: Settings) -> dict[str, int]:
    """Every Document has exactly the chunks it declares and no chunk is orphaned; returns chunks by doc."""
    with GraphStore.open(settings) as s:
        docs = s.read("MATCH (d:Document) RETURN d.id AS id, d.chunks AS declared")
        found = {r["doc"]: r["n"] for r in s.read("MATCH (c:Chunk) RETURN c.doc AS doc, count(c) AS n")}
        linked = {r["doc"]: r["n"] for r in s.read("MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk) RETURN d.id AS doc, count(c) AS n")}
    assert set(found) <= {d["id"] for d in docs}, "chunks without their document"
    for d in docs:
        assert found.get(d["id"], 0) == d["declared"] == linked.get(d["id"], 0), d
    return found


def test_ingest_status_and_skip_unchanged(data_env: dict[str, str]) -> None:
    first = pdz(["ingest", str(CORPUS), "--json", "--no-index"], data_env, timeout=300)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["documents"] == 5 and report["errors"] == [] and report["chunks"] > 100
    status = json.loads(pdz(["status", "--json"], data_env, timeout=120).stdout)
    assert status["backend"] == "arcadedb-embedded"
    assert status["documents"] == 5 and status["chunks"] == report["chunks"]
    again = json.loads(pdz(["ingest", str(CORPUS), "--json", "--no-index"], data_env, timeout=300).stdout)
    assert again["skipped_unchanged"] == 5
    assert again["documents"] == again["nodes"] == again["edges"] == 0
    assert json.loads(pdz(["status", "--json"], data_env, timeout=120).stdout)["nodes"] == status["nodes"]


def test_bad_file_is_one_line_error_and_nothing_written(data_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "rotto.pdf"
    bad.write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    result = pdz(["ingest", str(bad), "--json", "--no-index"], data_env, timeout=120)
    assert result.returncode == 1
    errors = json.loads(result.stdout)["errors"]
    assert len(errors) == 1 and errors[0].startswith("rotto.pdf: ") and "\n" not in errors[0]
    assert json.loads(pdz(["status", "--json"], data_env, timeout=120).stdout)["nodes"] == 0


def test_sigkill_mid_corpus_leaves_whole_documents(data_env: dict[str, str], tmp_path: Path) -> None:
    settings = Settings.load(env=data_env)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(CORPUS.iterdir()):  # several copies so the kill lands inside a long write
        for k in range(2):
            shutil.copy(f, corpus / f"{k}_{f.name}")
    EmbeddedArcade(settings.graph_dir).ensure_running()
    proc = subprocess.Popen([sys.executable, "-m", "ui", "ingest", str(corpus), "--json", "--no-index"], env=data_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    with GraphStore.open(settings) as s:
        while time.monotonic() < deadline and proc.poll() is None:
            if s.counts()["documents"] >= 3:
                break
            time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(1.0)  # let the server notice the dropped connection and roll back
    partial = whole_documents(settings)
    assert 3 <= len(partial) < 10
    done = pdz(["ingest", str(corpus), "--json", "--no-index"], data_env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(whole_documents(settings)) == 10


def test_unchanged_files_still_reach_an_index_that_lacks_them(data_env: dict[str, str], tmp_path: Path) -> None:
    corpus = tmp_path / "one"
    corpus.mkdir()
    shutil.copy(CORPUS / "synergia_offerta_pdz_2025_2027.md", corpus)
    graph_only = json.loads(pdz(["ingest", str(corpus), "--json", "--no-index"], data_env, timeout=300).stdout)
    assert graph_only["documents"] == 1
    env = {**data_env, "HF_HUB_OFFLINE": "1"}
    indexed = pdz(["ingest", str(corpus), "--json"], env, timeout=600)
    assert indexed.returncode == 0, indexed.stderr
    assert json.loads(indexed.stdout)["documents"] == 1  # same sha in the graph, but not yet in the index
    assert json.loads(pdz(["ingest", str(corpus), "--json"], env, timeout=600).stdout)["skipped_unchanged"] == 1
    status = json.loads(pdz(["status", "--json"], env, timeout=120).stdout)
    assert status["index"]["documents"] == 1 and status["index"]["chunks"] == status["chunks"]
