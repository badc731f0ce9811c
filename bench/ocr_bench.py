"""OCR-repair benchmark: repairs by rule on a file, a seeded sample in context, and a check sheet.

Usage:
    python bench/ocr_bench.py [FILE] [--sample N] [--seed S] [--sheet OUT.tsv] [--verdicts V.tsv]

Prints how many repairs ``ingest.repair.repair`` makes on FILE (default: the Oglio Po plan), by
rule, then N repairs drawn at random (seeded) shown in context as ``before [raw -> repaired] after``.

``--sheet OUT.tsv`` writes the sample as a check sheet (id, rule, raw, repaired, context) with an empty
``ok`` column for a human to fill with y/n. ``--verdicts V.tsv`` reads a filled sheet back and prints the
precision (share of ``y``) overall and by rule.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.repair import noise_score, repair  # noqa: E402

DEFAULT = ROOT / "corpus" / "oglio_po_pdz_2021_2023_ocr.txt"


def context(raw: str, start: int, end: int, new: str, width: int = 40) -> str:
    """One-line view of a repair: ``before [raw -> new] after``, newlines shown as ⏎."""
    before = raw[max(0, start - width) : start]
    after = raw[end : end + width]
    shown = f"{before}[{raw[start:end]!r}->{new!r}]{after}"
    return shown.replace("\n", "⏎").replace("\f", "␌").replace("\t", "⇥")


def stable_sample(keys: list[int], n: int, seed: int) -> list[int]:
    """Indices of n items drawn at random (seeded), stable when items are added or removed elsewhere.

    Each item is ranked by a seeded hash of its key (its raw offset), so changing one repair does not
    reshuffle the rest of the sample.
    """
    def rank(i: int) -> str:
        return hashlib.sha256(f"{seed}:{keys[i]}".encode()).hexdigest()

    return sorted(sorted(range(len(keys)), key=rank)[:n])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=20260523)
    ap.add_argument("--sheet", type=Path, help="write the sample as a TSV check sheet")
    ap.add_argument("--verdicts", type=Path, help="read a filled check sheet and print precision")
    args = ap.parse_args(argv)

    if args.verdicts:
        rows = list(csv.DictReader(args.verdicts.open(encoding="utf-8"), delimiter="\t"))
        judged = [r for r in rows if r["ok"].strip().lower() in {"y", "n"}]
        ok = sum(r["ok"].strip().lower() == "y" for r in judged)
        print(f"judged {len(judged)} of {len(rows)}: {ok} right = {ok / max(1, len(judged)):.1%}")
        by = Counter((r["rule"], r["ok"].strip().lower()) for r in judged)
        for rule in sorted({r["rule"] for r in judged}):
            print(f"  {rule:12s} y={by[(rule, 'y')]:4d} n={by[(rule, 'n')]:4d}")
        for r in judged:
            if r["ok"].strip().lower() == "n":
                print(f"  wrong #{r['id']} {r['rule']}: {r['context']}")
        return 0

    raw = args.file.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    _text, edits = repair(raw)
    dt = time.perf_counter() - t0
    hits, rate = noise_score(raw)
    print(f"{args.file.name}: {len(raw):,} chars, noise {hits} hits ({rate:.1f}/10k words), {len(edits)} repairs in {dt:.2f}s")
    for rule, n in Counter(e.rule for e in edits).most_common():
        print(f"  {rule:12s} {n:5d}")
    sample = stable_sample([e.start for e in edits], args.sample, args.seed)
    print(f"\nsample of {len(sample)} (seed {args.seed}, stable hash sample):")
    for i in sample:
        e = edits[i]
        print(f"  #{i:4d} {e.rule:12s} {context(raw, e.start, e.end, e.text)}")
    if args.sheet:
        with args.sheet.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter="\t")
            w.writerow(["id", "rule", "start", "raw", "repaired", "context", "ok"])
            for i in sample:
                e = edits[i]
                w.writerow([i, e.rule, e.start, raw[e.start : e.end], e.text, context(raw, e.start, e.end, e.text), ""])
        print(f"\ncheck sheet: {args.sheet} (fill the ok column with y/n, then --verdicts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
