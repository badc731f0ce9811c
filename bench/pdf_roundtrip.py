"""Facts of real texts read from their PDF: each text of the opened gold sets is set as a word processor sets
it (``tests.fixtures_ingest.make_typeset_pdf``: wrapped paragraphs half a line apart), read back through the
whole pipeline, and its facts compared with the facts of the text itself. No gold is needed: a layout-proof
reader gives the same facts either way.

Prints how many texts read the same and, per field, the facts shared / found in the text / found in the PDF.

    python bench/pdf_roundtrip.py [--sets facts,fresh,dev2,dev3,dev4] [--diff]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from ingest.eval_facts import predicted_facts
from ingest.pipeline import parse
from tests.fixtures_ingest import make_typeset_pdf

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("ambito", "comuni", "ats_asst", "bodies", "services")


def facts(path: Path) -> dict[str, set]:
    got = predicted_facts(parse(path, ocr="never"))
    out = {f: {names[0] for names, *_ in got[f]} for f in FIELDS[:4]}
    out["services"] = {(names[0], t, st) for names, t, st, _ in got["services_status"]}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", default="facts,fresh,dev2,dev3,dev4")
    parser.add_argument("--diff", action="store_true", help="print what each text and its PDF read differently")
    args = parser.parse_args()
    totals = {f: [0, 0, 0] for f in FIELDS}
    same = n = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            for src in sorted((ROOT / "tests" / "data" / "realworld" / name / "docs").glob("*.txt")):
                text = facts(src)
                pdf = facts(make_typeset_pdf(Path(tmp) / f"{src.stem}.pdf", src.read_text(encoding="utf-8")))
                n += 1
                same += text == pdf
                for f in FIELDS:
                    totals[f][0] += len(text[f] & pdf[f])
                    totals[f][1] += len(text[f])
                    totals[f][2] += len(pdf[f])
                    if args.diff and text[f] != pdf[f]:
                        print(f"  {src.name} {f}: text only {sorted(text[f] - pdf[f])}, PDF only {sorted(pdf[f] - text[f])}")
    print(f"{same}/{n} texts give the same facts as their PDF")
    print(f"{'field':<10} {'shared':>7} {'text':>6} {'pdf':>6}")
    for f, (shared, t, p) in totals.items():
        print(f"{f:<10} {shared:>7} {t:>6} {p:>6}")


if __name__ == "__main__":
    main()
