"""The background embedder: fills the vectors of indexed chunks that have none, batch by batch.

``pdz demo`` and the API server run one in a thread, so graph questions and BM25 search answer as
soon as a document is ingested while the dense side fills in. One embedder per data dir at a time:
it holds ``embedder.lock`` (a non-blocking ``flock``; another process that wants to embed waits
for the lock and takes over if the holder exits). Each batch is one transaction of the index file
(``search.store``), so a kill loses at most the batch in flight.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable
from typing import Any

from ontology.settings import Settings
from search.errors import ModelUnavailableError
from search.index import SearchIndex

LOCK_NAME = "embedder.lock"
ProgressFn = Callable[[int, int], None]


class BackgroundEmbedder:
    """A daemon thread that keeps ``index`` fully embedded.

    Args:
        settings: configuration (the data dir holds the lock).
        index: the index to fill; default a ``deferred`` index of ``settings``.
        batch: texts per batch (one transaction each).
        poll: seconds between looks for new chunks once everything is embedded.
        on_progress: called with (vectors present, total) after each batch.
    """

    def __init__(self, settings: Settings, index: SearchIndex | None = None, *, batch: int = 32, poll: float = 2.0,
                 on_progress: ProgressFn | None = None) -> None:
        self.settings = settings
        self.index = index if index is not None else SearchIndex.load(settings, deferred=True)
        self.batch = batch
        self.poll = poll
        self.on_progress = on_progress
        self.error: str | None = None
        self.holds_lock = False
        self.embedded = 0
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> BackgroundEmbedder:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="pdz-embedder", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to stop after its current batch and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every indexed chunk has its vector (or the embedder gave up); returns whether it did."""
        return self._idle.wait(timeout)

    def state(self) -> dict[str, Any]:
        """What the embedder is doing: vectors present/total, whether it runs here, its last error."""
        done, total = self.index.vector_progress()
        return {"vectors": done, "vectors_total": total, "running": self.holds_lock and not self._stop.is_set(),
                "error": self.error}

    def _run(self) -> None:
        if not self.index.dense_available:
            self.error = "sentence-transformers is not installed: search stays BM25-only"
            self._idle.set()
            return
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.settings.data_dir / LOCK_NAME, "a+") as lock:
            while not self._stop.is_set():
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:  # another process embeds this data dir
                    self._stop.wait(5 * self.poll)
            else:
                return
            self.holds_lock = True
            try:
                self._fill()
            finally:
                self.holds_lock = False
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _fill(self) -> None:
        while not self._stop.is_set():
            try:
                n = self.index.embed_missing(self.batch, self.on_progress, self._stop)
            except ModelUnavailableError as exc:  # no model: nothing to retry
                self.error = str(exc)
                self._idle.set()
                return
            except Exception as exc:  # noqa: BLE001 - a failing batch (disk full, a locked file) is retried later
                self.error = f"{exc.__class__.__name__}: {exc}"
                self._stop.wait(10 * self.poll)
                continue
            self.embedded += n
            if n == 0:
                self.error = None
                done, total = self.index.vector_progress()
                if done >= total:
                    self._idle.set()
                self._stop.wait(self.poll)
            else:
                self._idle.clear()
