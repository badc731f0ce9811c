"""Library functions shared by the CLI, the HTTP API and the Streamlit app."""

from __future__ import annotations

import importlib.util
import platform
import signal
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ontology.settings import Settings
from kg.store import GraphStore
from search.index import SearchIndex


def _version(dist: str) -> str | None:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def status_report(settings: Settings, store: GraphStore | None = None) -> dict[str, Any]:
    """Backend, versions, data dir and counts of the graph (and of the search index when present).

    Raises:
        StoreError, EmbeddedServerError: the store cannot be reached or started.
    """
    own = store is None
    store = store or GraphStore.open(settings)
    try:
        counts = store.counts()
        server = store.server_version()
    finally:
        if own:
            store.close()
    report: dict[str, Any] = {
        "backend": store.backend,
        "uri": store.uri,
        "data_dir": str(settings.data_dir),
        "versions": {
            "pdz-kg": _version("pdz-kg"),
            "python": platform.python_version(),
            "neo4j-driver": _version("neo4j"),
            "arcadedb-embedded": _version("arcadedb-embedded") if store.backend == "arcadedb-embedded" else None,
            "server": server,
        },
        **counts,
    }
    report["index"] = SearchIndex.load(settings).stats() if SearchIndex.exists(settings) else None
    return report


def streamlit_command(host: str, port: int) -> list[str]:
    """The command line that serves the Streamlit app headless on ``host:port``."""
    app_path = Path(__file__).with_name("app.py")
    return [sys.executable, "-m", "streamlit", "run", str(app_path), "--server.address", host, "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false"]


def run_demo(
    settings: Settings,
    corpus: Path,
    *,
    host: str,
    api_port: int,
    ui_port: int,
    serve: bool,
    echo: Callable[[str], None] = print,
) -> None:
    """Ingest ``corpus`` into the configured store, then serve the API and the UI until interrupted."""
    from kg.ingest import ingest_paths

    with GraphStore.open(settings) as store:
        indexer = SearchIndex.load(settings)
        report = ingest_paths([corpus], store, settings, indexer=indexer)
        s = report.summary()
        echo(
            f"ingested {s['documents']} documents ({s['skipped_unchanged']} unchanged), {s['chunks']} chunks, "
            f"{s['nodes']} nodes, {s['edges']} edges in {s['seconds']}s on {store.backend}"
        )
        for err in report.errors:
            echo(f"error: {err}")
    if not serve:
        return
    procs: list[subprocess.Popen[bytes]] = []
    if importlib.util.find_spec("ui.api") is not None:
        procs.append(subprocess.Popen([sys.executable, "-m", "uvicorn", "ui.api:app", "--host", host, "--port", str(api_port)]))
        echo(f"API: http://{host}:{api_port}/docs")
    if importlib.util.find_spec("ui.app") is not None:
        procs.append(subprocess.Popen(streamlit_command(host, ui_port)))
        echo(f"UI: http://{host}:{ui_port}")
    if not procs:
        echo("nothing to serve yet (no API or UI module)")
        return
    try:
        for p in procs:
            p.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
