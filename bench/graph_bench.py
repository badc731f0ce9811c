"""Latency of the graph story queries on the embedded store (or Neo4j when NEO4J_URI is set).

Usage: python bench/graph_bench.py [--runs 30]
Ingests corpus/ into the configured data dir if it is empty, warms up, then prints p50/p95 per story
(milliseconds, wall time per call including Bolt round trips).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kg.ingest import ingest_paths
from kg.profiles import ambito_profile
from ontology.settings import Settings
from kg.store import GraphStore
from kg.stories import compare_governance, list_ambiti, neighbourhood, norm_trace, services
from kg.answer import answer

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    settings = Settings.load()
    with GraphStore.open(settings) as store:
        if store.counts()["documents"] == 0:
            ingest_paths([ROOT / "corpus"], store, settings)
        ambiti = [a.id for a in list_ambiti(store)]
        a, b = ambiti[0], ambiti[-1]
        stories = {
            "services(Agenzia dell'Abitare)": lambda: services(store, "Agenzia dell'Abitare"),
            "norm_trace(L.R. 3/2008)": lambda: norm_trace(store, "L.R. 3/2008"),
            "compare_governance(2 Ambiti)": lambda: compare_governance(store, [a, b]),
            "ambito_profile": lambda: ambito_profile(store, a),
            "neighbourhood(norm)": lambda: neighbourhood(store, "legge:2000:328"),
            "router: services question": lambda: answer("Quali Ambiti hanno un'Agenzia dell'Abitare?", store, None),
        }
        print(f"backend={store.backend} documents={store.counts()['documents']} runs={args.runs}")
        print(f"{'story':<36} {'p50 ms':>8} {'p95 ms':>8}")
        for name, fn in stories.items():
            for _ in range(3):
                fn()
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t) * 1000)
            print(f"{name:<36} {statistics.median(times):>8.1f} {percentile(times, 95):>8.1f}")


if __name__ == "__main__":
    main()
