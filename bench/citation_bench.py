"""Citation extraction benchmark: seconds per document on long real law texts and on the corpus.

Usage:
    python bench/citation_bench.py [FILE_OR_FOLDER ...] [--repeat N]

Defaults to the Normattiva texts in ``../shared/corpus/real/normattiva_ondata`` (the TUEL is 606k
characters) and ``corpus/``. Prints, per document, its length, the citations found, how many are
internal references to the act itself, and the best of N runs of ``extract_citations`` (parsing
excluded), then the same for the whole of ``pdz citations`` (parse + extract) once.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.citations import extract_citations  # noqa: E402
from ingest.pipeline import discover, parse  # noqa: E402

DEFAULTS = [ROOT.parent / "shared" / "corpus" / "real" / "normattiva_ondata", ROOT / "corpus"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = args.paths or [p for p in DEFAULTS if p.exists()]
    print(f"{'document':<48}{'chars':>9}{'cit.':>7}{'self':>6}{'extract s':>11}{'parse+extract s':>17}")
    for f in discover(paths):
        t0 = time.perf_counter()
        doc = parse(f)
        whole = time.perf_counter() - t0
        best = min(_timed(doc) for _ in range(args.repeat))
        selfs = sum("self_reference" in c.flags for c in doc.citations)
        print(f"{f.name[:47]:<48}{len(doc.text):>9}{len(doc.citations):>7}{selfs:>6}{best:>11.3f}{whole:>17.3f}")


def _timed(doc) -> float:
    t0 = time.perf_counter()
    extract_citations(doc)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
