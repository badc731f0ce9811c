"""Library functions shared by the CLI, the HTTP API and the Streamlit app."""

from __future__ import annotations

import ctypes
import importlib.util
import platform
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from kg.arcade import EmbeddedArcade
from ontology.settings import Settings
from kg.store import GraphStore
from search.embedder import BackgroundEmbedder
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
    report["search"] = search_capability()
    if store.backend == "arcadedb-embedded":
        server = EmbeddedArcade(settings.graph_dir)
        info = server.info()
        report["server"] = None if info is None else {
            "pid": info.pid,
            "pinned": info.keep,  # pdz server start: runs until pdz server stop
            "idle_stop_seconds": None if info.keep else settings.server_idle or None,
            "query_timeout_seconds": settings.query_timeout or None,  # each read, ended by a watchdog
            "statement_timeout_seconds": server.running_statement_timeout(),  # any statement, by the server
        }
    else:
        report["server"] = {"query_timeout_seconds": settings.query_timeout or None}
    return report


def search_capability() -> dict[str, Any]:
    """Whether dense retrieval is available: hybrid with sentence-transformers, else BM25 only (and why)."""
    if importlib.util.find_spec("sentence_transformers") is None:
        return {"mode": "bm25-only", "reason": "sentence-transformers is not installed: pip install 'pdz-kg[models]'"}
    return {"mode": "hybrid", "reason": None}


def _die_with_parent() -> None:
    """In a child before exec: get SIGTERM when the parent dies, even by SIGKILL (Linux prctl)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@contextmanager
def owned_server(settings: Settings) -> Iterator[None]:
    """Around a serving command: start the embedded server if needed; stop it at exit if this command started it.

    A server that was already running, or that ``pdz server start`` pinned, is left alone, and so
    is one another client still uses (the idle watchdog stops it later).
    """
    if settings.neo4j_uri:
        yield
        return
    def on_term(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM unwinds like Ctrl-C, so the cleanup below runs

    previous = signal.signal(signal.SIGTERM, on_term)
    server = EmbeddedArcade(settings.graph_dir, idle_seconds=settings.server_idle, statement_timeout=settings.statement_timeout)
    started_here = server.info() is None
    try:
        server.ensure_running()
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        info = server.info()
        if started_here and info is not None and not info.keep and not server.in_use():
            server.stop()


def serve_children(commands: Sequence[Sequence[str]], echo: Callable[[str], None] = print) -> int:
    """Run child processes until one exits, or Ctrl-C / SIGTERM arrives; then stop them all.

    Children get SIGTERM (then SIGKILL after 10 s) and die with this process even if it is killed.

    Returns:
        the exit code to report (0 after a signal).
    """
    stop = threading.Event()
    caught: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        caught.append(signum)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for cmd in commands:
            # Own process group: a terminal's Ctrl-C reaches only this process, which then sends each
            # child exactly one SIGTERM (a second signal would make uvicorn skip its clean shutdown).
            procs.append(subprocess.Popen(list(cmd), preexec_fn=_die_with_parent,  # noqa: S603, PLW1509 - fixed argv
                                          start_new_session=True))
        while not stop.is_set() and all(p.poll() is None for p in procs):
            stop.wait(0.2)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                echo(f"pid {p.pid} did not stop in 10 s: killed")
                p.kill()
                p.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if caught:
        return 0
    return max((p.returncode or 0 for p in procs), default=0) if procs else 0


def api_command(host: str, port: int) -> list[str]:
    """The command line that serves the HTTP API (uvicorn; running Cypher stopped at shutdown, 5 s for the rest)."""
    return [sys.executable, "-m", "ui.api", "--host", host, "--port", str(port)]


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
    """Ingest ``corpus`` into the configured store, then serve the API and the UI until Ctrl-C or SIGTERM.

    Everything started here (API, UI, the embedded server when none was running) stops on the way out.
    """
    with owned_server(settings):
        _ingest_and_serve(settings, corpus, host=host, api_port=api_port, ui_port=ui_port, serve=serve, echo=echo)


def _ingest_and_serve(settings: Settings, corpus: Path, *, host: str, api_port: int, ui_port: int, serve: bool,
                      echo: Callable[[str], None]) -> None:
    from kg.ingest import ingest_paths

    with GraphStore.open(settings) as store:
        # graph and BM25 first: chunks are searchable at once, their vectors come in the background
        indexer = SearchIndex.load(settings, deferred=True)
        report = ingest_paths([corpus], store, settings, indexer=indexer)
        s = report.summary()
        echo(
            f"ingested {s['documents']} documents ({s['skipped_unchanged']} unchanged), {s['chunks']} chunks, "
            f"{s['nodes']} nodes, {s['edges']} edges in {s['seconds']}s on {store.backend}"
        )
        for err in report.errors:
            echo(f"error: {err}")
    embedder = BackgroundEmbedder(settings, indexer, on_progress=_progress_echo(echo)).start()
    done, total = indexer.vector_progress()
    if done < total:
        echo(f"semantic index: {done}/{total} passages embedded; computing the rest in the background "
             "(graph answers and keyword search work now)")
    try:
        if not serve:
            embedder.wait_idle()  # nothing served: finish the vectors before returning
            if embedder.error:
                echo(f"semantic index: {embedder.error}")
            return
        _serve(host, api_port, ui_port, echo)
    finally:
        embedder.stop()


def _progress_echo(echo: Callable[[str], None], every: float = 15.0) -> Callable[[int, int], None]:
    """A progress callback that prints a line every ``every`` seconds and at completion."""
    last = [0.0]

    def cb(done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= every:
            last[0] = now
            pct = 100 * done // total if total else 100
            echo(f"semantic index: {done}/{total} passages embedded ({pct}%)" + (" - dense search on" if done >= total else ""))

    return cb


def _serve(host: str, api_port: int, ui_port: int, echo: Callable[[str], None]) -> None:
    commands: list[list[str]] = []
    if importlib.util.find_spec("ui.api") is not None:
        commands.append(api_command(host, api_port))
        echo(f"API: http://{host}:{api_port}/docs")
    if importlib.util.find_spec("ui.app") is not None:
        commands.append(streamlit_command(host, ui_port))
        echo(f"UI: http://{host}:{ui_port}")
    if not commands:
        echo("nothing to serve yet (no API or UI module)")
        return
    serve_children(commands, echo)
