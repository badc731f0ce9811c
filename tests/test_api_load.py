"""A small bounded loopback load run of the real API server: no errors under concurrency."""

from __future__ import annotations

import os

import pytest

from bench.api_load import run_load, serve
from ontology.settings import Settings

pytestmark = pytest.mark.timeout(600)


def test_concurrent_requests_without_errors(corpus_settings: Settings) -> None:
    env = {**os.environ, "PDZ_DATA_DIR": str(corpus_settings.data_dir)}
    env.pop("NEO4J_URI", None)
    proc, url = serve(env)
    try:
        out = run_load(url, requests=180, concurrency=8)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert out["errors"] == 0, out["error_samples"]
    assert set(out["by_endpoint"]) == {"health", "documents", "norm", "norms", "services", "ambito", "compare", "ask",
                                       "entity"}
