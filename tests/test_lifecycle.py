"""The embedded server's lifecycle, through the real `pdz` CLI: idle stop, pinning, stale state, signals.

Processes are found through /proc: every ArcadeDB server of a data dir names it on its command line
(``-Darcadedb.server.rootPath=...``), and a command's descendants are walked by parent pid.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.arcade import EmbeddedArcade, _pid_alive
from ontology.settings import Settings

pytestmark = pytest.mark.timeout(400)
TEXT = "Piano di Zona 2025-2027 dell'Ambito di Lodi.\n\nAi sensi della L.R. 3/2008 l'Ufficio di Piano coordina.\n"


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "PDZ_"))}
    return {**env, "PDZ_DATA_DIR": str(tmp_path / "data"), **extra}


def pdz(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ui", *args], env=env, capture_output=True, text=True, timeout=timeout)


def javas_of(data_dir: Path) -> list[int]:
    """Live ArcadeDB processes serving ``data_dir``."""
    root = f"-Darcadedb.server.rootPath={data_dir / 'graph'}"
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if root.encode() in args and _pid_alive(int(proc.name)):
            found.append(int(proc.name))
    return found


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                ppid = int((proc / "stat").read_text().split(")")[-1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(proc.name))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def wait_until(predicate, seconds: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return predicate()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def cleanup(tmp_path: Path):
    yield
    EmbeddedArcade(tmp_path / "data" / "graph").stop()
    for pid in javas_of(tmp_path / "data"):
        os.kill(pid, signal.SIGKILL)


def test_on_demand_server_stops_after_the_idle_period(tmp_path: Path, cleanup: None) -> None:
    env = env_for(tmp_path, PDZ_SERVER_IDLE="3")
    doc = tmp_path / "piano.txt"
    doc.write_text(TEXT, encoding="utf-8")
    run = pdz(["ingest", str(doc), "--no-index", "--json"], env)
    assert run.returncode == 0, run.stderr
    assert javas_of(tmp_path / "data"), "the server outlives the command for a while (fast successive calls)"
    state = tmp_path / "data" / "graph" / "server.json"
    gone = wait_until(lambda: not javas_of(tmp_path / "data") and not state.exists(), 60)
    assert gone, "no Java process of the data dir remains after the idle period (and its state file is gone)"
    # the next command starts it again on demand and finds the data
    status = pdz(["status", "--json"], env)
    assert status.returncode == 0 and json.loads(status.stdout)["documents"] == 1


def test_pinned_server_ignores_the_idle_period(tmp_path: Path, cleanup: None) -> None:
    env = env_for(tmp_path, PDZ_SERVER_IDLE="1")
    started = pdz(["server", "start", "--json"], env)
    assert started.returncode == 0, started.stderr
    info = json.loads(started.stdout)
    assert info["pinned"]
    time.sleep(5)
    assert javas_of(tmp_path / "data") == [info["pid"]]
    assert pdz(["server", "stop"], env).stdout.strip() == "stopped"
    assert wait_until(lambda: not javas_of(tmp_path / "data"), 30)


def test_killed_server_is_recovered_with_one_line(tmp_path: Path, cleanup: None) -> None:
    env = env_for(tmp_path)
    assert pdz(["server", "start"], env).returncode == 0
    (pid,) = javas_of(tmp_path / "data")
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: not javas_of(tmp_path / "data"), 30)
    status = pdz(["status", "--json"], env)
    assert status.returncode == 0, status.stderr
    lines = [ln for ln in status.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "recovered" in lines[0], status.stderr
    assert json.loads(status.stdout)["server"]["pid"] != pid


def test_hung_server_holding_the_lock_is_replaced(tmp_path: Path, cleanup: None) -> None:
    env = env_for(tmp_path)
    assert pdz(["server", "start"], env).returncode == 0
    (pid,) = javas_of(tmp_path / "data")
    os.kill(pid, signal.SIGSTOP)  # alive, holds server.lock, answers nothing
    try:
        status = pdz(["status", "--json"], env)
    finally:
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
    assert status.returncode == 0, status.stderr
    assert "does not answer" in status.stderr and len(status.stderr.strip().splitlines()) == 1
    assert javas_of(tmp_path / "data") != [pid]


def test_sigterm_to_pdz_ui_leaves_nothing(tmp_path: Path, cleanup: None) -> None:
    env = env_for(tmp_path)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ui", "ui", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: port_open(port), 180), "streamlit did not start"
        family = descendants(proc.pid)
        assert javas_of(tmp_path / "data") and family
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert wait_until(lambda: not any(_pid_alive(p) for p in family), 30), [p for p in family if _pid_alive(p)]
    assert not javas_of(tmp_path / "data") and not port_open(port)


def test_ctrl_c_on_pdz_demo_leaves_nothing(tmp_path: Path, cleanup: None) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "piano.txt").write_text(TEXT, encoding="utf-8")
    env = env_for(tmp_path)
    api, ui = free_port(), free_port()
    # A terminal's Ctrl-C is SIGINT to the whole foreground process group.
    proc = subprocess.Popen([sys.executable, "-m", "ui", "demo", "--corpus", str(corpus), "--api-port", str(api),
                             "--ui-port", str(ui)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        assert wait_until(lambda: port_open(api) and port_open(ui), 300), "demo did not start serving"
        family = descendants(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert wait_until(lambda: not any(_pid_alive(p) for p in family), 30), [p for p in family if _pid_alive(p)]
    assert not javas_of(tmp_path / "data") and not port_open(api) and not port_open(ui)
    assert Settings.load(env=env).data_dir == tmp_path / "data"


def test_ctrl_c_on_pdz_serve_with_a_runaway_query_in_flight(tmp_path: Path, cleanup: None) -> None:
    import threading

    import httpx

    from tests.conftest import CORPUS

    env = env_for(tmp_path, PDZ_SERVER_IDLE="3")
    assert pdz(["ingest", str(CORPUS), "--no-index", "--json"], env).returncode == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ui", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    answers: list[object] = []
    try:
        assert wait_until(lambda: port_open(port), 120)

        def runaway() -> None:
            try:
                answers.append(httpx.post(f"http://127.0.0.1:{port}/v1/cypher", timeout=60,
                                          json={"query": "MATCH p=(a)-[*1..4]-(b) RETURN count(p)"}).status_code)
            except httpx.HTTPError as exc:
                answers.append(type(exc).__name__)

        client = threading.Thread(target=runaway)
        client.start()
        time.sleep(2.0)
        t0 = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)  # one Ctrl-C
        proc.wait(30)
        print(f"\npdz serve stopped {time.monotonic() - t0:.1f} s after one Ctrl-C with a runaway query in flight; "
              f"the client got {answers or 'nothing yet'}")
        client.join(60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert answers == [503], answers  # "Server shutting down": its query was stopped, not left running
    assert not port_open(port)
    # the server was started by `pdz ingest`, not by serve: its idle watchdog stops it
    assert wait_until(lambda: not javas_of(tmp_path / "data"), 60)
