"""A bounded loopback load test of the HTTP API: N requests, C concurrent, across the story endpoints.

Usage: python bench/api_load.py [--requests 2000] [--concurrency 8]
Starts `uvicorn ui.api:app` on 127.0.0.1 and a free port over the configured data dir (ingesting
corpus/ first if the graph is empty), then prints p50/p95/max latency per endpoint and overall, and
the error count. Traffic goes to loopback only; the run stops by itself.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS = [
    ("health", "/v1/health", {}),
    ("documents", "/v1/documents", {"limit": 10}),
    ("norm", "/v1/norms/L.R. 3%2F2008", {}),
    ("norms", "/v1/norms", {"limit": 20}),
    ("services", "/v1/services", {"type": "Agenzia dell'Abitare"}),
    ("ambito", "/v1/ambiti/San Giuliano Milanese", {}),
    ("compare", "/v1/compare", {"ambiti": "San Giuliano Milanese,Oglio Po"}),
    ("ask", "/v1/ask", {"q": "chi cita la l.r. 3/2008"}),
    ("entity", "/v1/entities/legge:2000:328", {}),
]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_load(base_url: str, requests: int, concurrency: int, timeout: float = 30.0) -> dict[str, Any]:
    """Send ``requests`` GETs round-robin over ENDPOINTS with ``concurrency`` workers.

    Returns:
        {"requests", "errors", "error_samples", "seconds", "overall": {p50, p95, max}, "by_endpoint": {...}}
    """
    client = httpx.Client(base_url=base_url, timeout=timeout, limits=httpx.Limits(max_connections=concurrency))

    def one(i: int) -> tuple[str, float, str | None]:
        name, path, params = ENDPOINTS[i % len(ENDPOINTS)]
        t = time.perf_counter()
        try:
            r = client.get(path, params=params)
            err = None if r.status_code == 200 else f"{name}: HTTP {r.status_code} {r.text[:120]}"
        except httpx.HTTPError as exc:
            err = f"{name}: {type(exc).__name__}: {exc}"
        return name, (time.perf_counter() - t) * 1000, err

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(requests)))
    seconds = time.perf_counter() - started
    client.close()
    errors = [e for _, _, e in results if e]
    by: dict[str, list[float]] = {}
    for name, ms, _ in results:
        by.setdefault(name, []).append(ms)
    summary = lambda v: {"p50": round(statistics.median(v), 1), "p95": round(percentile(v, 95), 1),  # noqa: E731
                         "max": round(max(v), 1)}
    return {"requests": requests, "concurrency": concurrency, "errors": len(errors), "error_samples": errors[:5],
            "seconds": round(seconds, 2), "rps": round(requests / seconds, 1),
            "overall": summary([ms for _, ms, _ in results]), "by_endpoint": {k: summary(v) for k, v in by.items()}}


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "ui.api:app", "--host", "127.0.0.1", "--port", str(port),
                             "--log-level", "warning"], env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/v1/health", timeout=30).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the API did not start within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    from kg.ingest import ingest_paths
    from ontology.settings import Settings
    from kg.store import GraphStore

    settings = Settings.load()
    with GraphStore.open(settings) as store:
        if store.counts()["documents"] == 0:
            ingest_paths([ROOT / "corpus"], store, settings)
    proc, url = serve({**os.environ})
    try:
        run_load(url, 20, 2)  # warm-up
        out = run_load(url, args.requests, args.concurrency)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"{out['requests']} requests, {out['concurrency']} concurrent, {out['seconds']} s ({out['rps']} req/s), "
          f"errors: {out['errors']}")
    print(f"{'endpoint':<12} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, s in {**out["by_endpoint"], "overall": out["overall"]}.items():
        print(f"{name:<12} {s['p50']:>8} {s['p95']:>8} {s['max']:>8}")
    for e in out["error_samples"]:
        print("error:", e)


if __name__ == "__main__":
    main()
