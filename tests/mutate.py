"""Deterministic damage for fault tests: truncated, bit-flipped and object-stream-less copies of PDFs."""

from __future__ import annotations

import random
import re
from pathlib import Path

_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b.*?endobj", re.S)
MUTATIONS = ("truncate", "bitflip", "drop_objstm", "drop_xref", "zero_block")


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    """One damaged copy of a PDF's bytes.

    Args:
        data: the original file.
        kind: one of MUTATIONS.
        rng: the random source (seeded by the caller, so every run makes the same files).
    """
    n = len(data)
    if kind == "truncate":
        return data[: rng.randint(16, n - 1)]
    if kind == "bitflip":
        out = bytearray(data)
        for _ in range(rng.choice((1, 8, 64, 512))):
            i = rng.randrange(n)
            out[i] ^= 1 << rng.randrange(8)
        return bytes(out)
    if kind == "drop_objstm":  # remove object streams (compressed objects vanish), or some objects if none
        objs = [m for m in _OBJ.finditer(data) if b"/ObjStm" in m.group(0)[:400]]
        if not objs:
            objs = rng.sample(list(_OBJ.finditer(data)), k=min(5, len(list(_OBJ.finditer(data)))))
        out, last = [], 0
        for m in sorted(objs, key=lambda m: m.start()):
            out.append(data[last : m.start()])
            last = m.end()
        out.append(data[last:])
        return b"".join(out)
    if kind == "drop_xref":  # cross-reference table/stream and trailer gone: readers must rebuild
        cut = max(data.rfind(b"xref"), data.rfind(b"/XRef"))
        return data[:cut] if cut > 0 else data[: n // 2]
    if kind == "zero_block":
        start = rng.randrange(n)
        size = min(n - start, rng.choice((64, 4096, 65536)))
        return data[:start] + b"\x00" * size + data[start + size :]
    raise ValueError(kind)


def mutated_pdfs(sources: list[Path], out_dir: Path, count: int, seed: int = 16) -> list[Path]:
    """``count`` damaged PDFs written to ``out_dir``, cycling through sources and mutations."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    blobs = [(p.stem[:24], p.read_bytes()) for p in sources]
    paths = []
    for i in range(count):
        stem, data = blobs[i % len(blobs)]
        kind = MUTATIONS[(i // len(blobs)) % len(MUTATIONS)]
        path = out_dir / f"{i:03d}_{kind}_{stem}.pdf"
        path.write_bytes(mutate(data, kind, rng))
        paths.append(path)
    return paths
