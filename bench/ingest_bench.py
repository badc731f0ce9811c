"""Ingest stage timings: each stage of the pipeline over the corpus and a generated 300-page PDF.

Prints medians over a few runs (the machines are noisy: read the medians and the ratios).

    python bench/ingest_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from ingest.citations import extract_citations
from ingest.entities import extract_entities
from ingest.metadata import detect_metadata
from ingest.pipeline import discover, parse, read_document
from ingest.structure import chunk, segment

ROOT = Path(__file__).resolve().parents[1]


def _long_pdf(path: Path, pages: int) -> Path:
    from fpdf import FPDF  # noqa: PLC0415 - a test tool, only for the generated PDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Pagina {n}. Il Piano di Zona dell'Ambito prevede servizi e interventi sociali. " * 12)
    pdf.output(str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = list(discover([ROOT / "corpus"]))
    stages: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for f in files:
            t = time.perf_counter()
            doc = read_document(f, ocr="never")
            marks = [("load+repair", time.perf_counter() - t)]
            t = time.perf_counter()
            doc.blocks, doc.sections = segment(doc)
            marks.append(("structure", time.perf_counter() - t))
            t = time.perf_counter()
            detect_metadata(doc)
            marks.append(("metadata", time.perf_counter() - t))
            t = time.perf_counter()
            doc.chunks = chunk(doc, doc.blocks)
            marks.append(("chunks", time.perf_counter() - t))
            t = time.perf_counter()
            doc.citations = extract_citations(doc)
            marks.append(("citations", time.perf_counter() - t))
            t = time.perf_counter()
            extract_entities(doc)
            marks.append(("entities", time.perf_counter() - t))
            for name, secs in marks:
                stages.setdefault(name, []).append(secs)
    n = len(files)
    print(f"corpus: {n} files, {args.runs} runs; seconds per corpus pass (median)")
    for name, secs in stages.items():
        per_pass = [sum(secs[i * n:(i + 1) * n]) for i in range(args.runs)]
        print(f"  {name:<14} {statistics.median(per_pass):8.3f}")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = _long_pdf(Path(tmp) / "long.pdf", 300)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            parse(pdf, ocr="never")
            times.append(time.perf_counter() - t)
        print(f"300-page PDF, whole pipeline: median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
