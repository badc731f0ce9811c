"""Lombardy scale: ingest cost and story latency for N generated plans (issue 17).

    python bench/scale.py [--sizes 10,100,1000] [--data-dir var/scale] [--runs 20] [--index-sizes 10,100]
                          [--out bench/results/scale.txt]

Plans are generated from the five documents of corpus/ and the real excerpts of
../shared/eval/realtexts: the big plans are cut into windows of about 40 kB (each with the plan's
opening), the short texts are used whole, and in every generated plan the names of the source's
Ambiti and comuni are replaced by those of a generated Ambito (ISTAT comuni of Lombardy, in ISTAT
code order, grouped ~90 ways as the region's Ambiti; the first comune names the Ambito) and the
programming periods are moved by three years per round (norm citations keep their years). So the
entities of different plans do not all merge, and each Ambito gets several documents over several
periods, as a real deployment holds.

For each N it ingests into a fresh folder under ``--data-dir`` and prints one row: ingest seconds per
MB of text (graph only; for the sizes in ``--index-sizes`` also with a SearchIndex attached), store
size, peak RSS of this process and RSS of the graph server, and p50/p95 (ms) of every story and of
hybrid search. Vectors of the index run are a stand-in (see ``HashPassages``): embedding 300k chunks
on 2 CPU cores takes hours; the embedding rate is measured apart in bench/search_bench.py. Query
vectors come from the real e5 model. Not a test: the numbers depend on the machine and its load
(shown in the output).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.entities_places import gazetteer  # noqa: E402
from ingest.pipeline import parse  # noqa: E402
from kg.answer import answer  # noqa: E402
from kg.comuni import comune_story  # noqa: E402
from kg.ingest import ingest_paths  # noqa: E402
from kg.profiles import ambito_profile  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from kg.stories import (  # noqa: E402
    ambito_timeline,
    compare_governance,
    find_entities,
    list_ambiti,
    neighbourhood,
    norm_trace,
    services,
)
from ontology.settings import Settings  # noqa: E402

REALTEXTS = ROOT.parent / "shared" / "eval" / "realtexts" / "docs"
WINDOW = 40_000  # characters of a window cut from a big plan
HEAD_CHARS = 3_000  # the plan's opening, repeated at the top of each of its windows
AMBITI = 90  # Ambiti territoriali of Lombardy (DGR XI/7631 of 2022 lists 90 plus Milano)
PERIOD = re.compile(r"\b((?:19|20)\d\d)(\s*[-\u2013/]\s*)((?:19|20)?\d\d)\b")


# -- generation --------------------------------------------------------------------------------


def lombardy_comuni() -> list[str]:
    """ISTAT names of the current comuni of Lombardy, in ISTAT code order (provinces grouped)."""
    recs = {r.code: r.name for rs in gazetteer().values() for r in rs if r.region == "lombardia" and r.code}
    return [recs[c] for c in sorted(recs)]


class Source:
    """One source text with the names it uses: its own Ambito's name forms, other Ambiti, comuni."""

    def __init__(self, path: Path):
        self.path = path
        self.text = path.read_text(encoding="utf-8", errors="replace")
        doc = parse(path)
        own, others, comuni = [], [], []
        for e in doc.entities:
            if e.label == "Ambito":
                names = [e.name.removeprefix("Ambito di ")]
                (own if e.props.get("scope") == "own" else others).append(names[0])
            elif e.label == "Comune" and e.name:
                comuni.append(e.name)
        self.own = own[:1]
        self.others = others + own[1:]
        self.comuni = [c for c in dict.fromkeys(comuni) if c not in self.own + self.others]

    def pieces(self) -> list[str]:
        """The text whole when short, else windows of about WINDOW characters cut at line ends."""
        if len(self.text) <= WINDOW * 1.5:
            return [self.text]
        head = self.text[:HEAD_CHARS].rsplit("\n", 1)[0]
        out, pos = [], len(head)
        while pos < len(self.text) - WINDOW // 4:
            end = self.text.find("\n", pos + WINDOW)
            end = len(self.text) if end < 0 else end
            out.append(head + "\n\n" + self.text[pos:end])
            pos = end
        return out


def _sub_name(text: str, old: str, new: str) -> str:
    """Replace a name in any case, keeping the case of each occurrence (capitals stay capitals)."""
    pattern = re.compile(r"(?<![\w])" + r"\s+".join(map(re.escape, old.split())) + r"(?![\w])", re.I)
    return pattern.sub(lambda m: new.upper() if m.group(0).isupper() else new, text)


def _shift_periods(text: str, years: int) -> str:
    def shift(m: re.Match[str]) -> str:
        a, sep, b = int(m.group(1)), m.group(2), m.group(3)
        if not 1990 <= a <= 2030:
            return m.group(0)
        b2 = (int(b) if len(b) == 4 else int(b) + a // 100 * 100) + years
        return f"{a + years}{sep}{b2 if len(b) == 4 else f'{b2 % 100:02d}'}"

    return PERIOD.sub(shift, text)


def generate(n: int, out_dir: Path, sources: list[Source], prefix: str = "plan") -> list[Path]:
    """Write ``n`` plans under ``out_dir``; returns their paths. Deterministic for a given n."""
    out_dir.mkdir(parents=True, exist_ok=True)
    comuni = lombardy_comuni()
    groups = [comuni[len(comuni) * i // AMBITI: len(comuni) * (i + 1) // AMBITI] for i in range(AMBITI)]
    big = [(s, p) for s in sources for p in s.pieces() if len(s.pieces()) > 1]
    small = [(s, p) for s in sources for p in s.pieces() if len(s.pieces()) == 1 and len(p) > 5_000]
    short = [(s, p) for s in sources for p in s.pieces() if len(p) <= 5_000]
    # every five plans: three windows of the big plans, one short plan, one short real text (a
    # regolamento, a delibera, a page): the mix of a real Ambito's shelf
    kinds = [big, big, big, small or big, short or big]
    n_ambiti = min(n, AMBITI)
    paths = []
    for i in range(n):
        a, rnd = i % n_ambiti, i // n_ambiti
        kind = kinds[i % 5]
        src, text = kind[(i // 5 * 3 + i % 5) % len(kind) if kind is big else (i // 5) % len(kind)]
        group = groups[a]
        capofila = group[0]
        mapping: list[tuple[str, str]] = []
        for name in src.own:
            mapping.append((name, capofila))
        for j, name in enumerate(src.others):
            mapping.append((name, groups[(a + 1 + j) % AMBITI][0]))
        for j, name in enumerate(src.comuni):
            mapping.append((name, group[1 + j % (len(group) - 1)]))
        # longest names first, through placeholders, so a new name is never replaced again
        mapping.sort(key=lambda kv: -len(kv[0]))
        for j, (old, _) in enumerate(mapping):
            text = _sub_name(text, old, f"\x00{j}\x00")
        for j, (_, new) in enumerate(mapping):
            text = text.replace(f"\x00{j}\x00", new)
        years = 3 * (rnd % 6) - 6
        text = _shift_periods(text, years)
        y = 2021 + years
        header = f"Piano di Zona {y}-{y + 2} dell'Ambito territoriale di {capofila}\n\n"
        path = out_dir / f"{prefix}_{i:05d}_{re.sub(r'[^a-z0-9]+', '_', capofila.lower())}{src.path.suffix}"
        path.write_text(header + text, encoding="utf-8")
        paths.append(path)
    return paths


# -- the index run's stand-in passage vectors --------------------------------------------------


class HashPassages:
    """Passage vectors from a hash of the text (unit norm, deterministic); queries by the real e5.

    Dense search costs the same whatever the vectors hold, so the latency of hybrid search is
    measured for real; its ranking quality is not (bench/search_bench.py and search/evaluate.py do that).
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self._real: Any = None
        self.dim = 384
        self.signature = "hash-passages+e5-queries"

    @property
    def real(self) -> Any:
        if self._real is None:
            from search.encoder import load_encoder  # noqa: PLC0415 - loads torch only for the index run

            self._real = load_encoder(self.settings)
            self.dim = self._real.dim
        return self._real

    def encode_passages(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(t.encode("utf-8")).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        if progress:
            progress(len(texts), len(texts))
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.real.encode_queries(texts)

    def encode_query(self, text: str) -> np.ndarray:
        return self.real.encode_query(text)


# -- measuring ---------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def rss_mb(pid: int | None) -> float:
    if not pid:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of a process (0 when unknown): less sensitive to the machine's load than wall time."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6 if path.exists() else 0.0


def settings_for(folder: Path) -> Settings:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PDZ_") or k == "PDZ_EMBED_MODEL"}
    env["PDZ_DATA_DIR"] = str(folder)
    env["PDZ_CONFIG"] = str(folder / "none.toml")
    return Settings.load(env)


def stop_server(store: GraphStore, settings: Settings) -> None:
    from kg.arcade import EmbeddedArcade  # noqa: PLC0415

    store.close()
    EmbeddedArcade(settings.graph_dir).stop()


def ingest_run(paths: list[Path], folder: Path, *, index: bool, warm: list[Path]) -> dict[str, Any]:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    settings = settings_for(folder)
    store = GraphStore.open(settings)
    indexer = None
    if index:
        from search.index import SearchIndex  # noqa: PLC0415

        indexer = SearchIndex(settings, encoder=HashPassages(settings))
    # warm the server (JIT, plan cache) on plans of another size, then remove them: not timed
    for f in ingest_paths(warm, store, settings, indexer=indexer).files:
        store.delete_document(f.doc_id)
        if indexer is not None:
            indexer.remove(f.doc_id)
    mb = sum(p.stat().st_size for p in paths) / 1e6
    tenth = max(1, len(paths) // 10)
    t0 = time.perf_counter()
    cpu0 = cpu_seconds(os.getpid()) + cpu_seconds(store.server_pid)
    first = last = 0.0
    for start in range(0, len(paths), tenth):
        batch = paths[start: start + tenth]
        t = time.perf_counter()
        report = ingest_paths(batch, store, settings, indexer=indexer)
        if report.errors:
            raise SystemExit(f"ingest failed: {report.errors[0]}")
        dt = time.perf_counter() - t
        bmb = sum(p.stat().st_size for p in batch) / 1e6
        if start == 0:
            first = dt / bmb
        last = dt / bmb
    seconds = time.perf_counter() - t0
    cpu = cpu_seconds(os.getpid()) + cpu_seconds(store.server_pid) - cpu0
    return {"cpu_s_per_mb": cpu / mb, "settings": settings, "store": store, "indexer": indexer, "mb": mb, "s_per_mb": seconds / mb,
            "first_s_per_mb": first, "last_s_per_mb": last, "seconds": seconds}


def reuse_run(folder: Path, n: int) -> dict[str, Any] | None:
    """The graph of an earlier run when it holds n documents (no ingest numbers), else None."""
    if not (folder / "graph").is_dir():
        return None
    settings = settings_for(folder)
    store = GraphStore.open(settings)
    if store.counts()["documents"] != n:
        stop_server(store, settings)
        return None
    nan = float("nan")
    return {"settings": settings, "store": store, "indexer": None, "mb": nan, "s_per_mb": nan, "cpu_s_per_mb": nan,
            "first_s_per_mb": nan, "last_s_per_mb": nan, "seconds": nan}


def stories_for(store: GraphStore, index: Any, comuni_names: list[str]) -> dict[str, Callable[[int], Any]]:
    ambiti = [a.id for a in list_ambiti(store)]
    mid = ambiti[len(ambiti) // 2]
    rare_norms = ["L. 112/2016", "D.Lgs. 147/2017", "L.R. 23/2015", "L. 328/2000"]

    def pick(seq: list[Any], i: int) -> Any:
        return seq[(i * 37) % len(seq)]

    out: dict[str, Callable[[int], Any]] = {
        "compare2": lambda i: compare_governance(store, [pick(ambiti, i), pick(ambiti, i + 1)]),
        "profile": lambda i: ambito_profile(store, pick(ambiti, i)),
        "timeline": lambda i: ambito_timeline(store, pick(ambiti, i)),
        "norm:LR3/08": lambda i: norm_trace(store, "L.R. 3/2008"),
        "norm:other": lambda i: norm_trace(store, pick(rare_norms, i)),
        "services": lambda i: services(store, "Agenzia dell'Abitare"),
        "neighbours": lambda i: neighbourhood(store, "legge:2000:328"),
        "find": lambda i: find_entities(store, pick(["ufficio di piano", "Oglio Po", mid.removeprefix("ambito:")], i)),
        "comune": lambda i: comune_story(store, pick(comuni_names, i)),
        "router": lambda i: answer("Quali Ambiti hanno un'Agenzia dell'Abitare?", store, None),
    }
    if index is not None:
        qs = ["servizio di assistenza domiciliare per anziani", "Agenzia per la casa e l'abitare",
              "tutela minori affido familiare", "ufficio di piano composizione", "povertà e reddito di inclusione"]
        out["hybrid"] = lambda i: index.search(pick(qs, i), k=10, mode="hybrid")
    return out


def measure(stories: dict[str, Callable[[int], Any]], runs: int) -> dict[str, tuple[float, float]]:
    out = {}
    for name, fn in stories.items():
        for i in range(3):
            try:
                fn(i)
            except Exception as exc:  # noqa: BLE001 - a story with nothing to answer is reported, not fatal
                print(f"  {name}: {exc.__class__.__name__}: {exc}", file=sys.stderr)
                break
        else:
            times = []
            for i in range(runs):
                t = time.perf_counter()
                fn(i)
                times.append((time.perf_counter() - t) * 1000)
            out[name] = (statistics.median(times), percentile(times, 95))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--index-sizes", default="10,100", help="sizes also ingested with a SearchIndex attached")
    parser.add_argument("--search-sizes", default="",
                        help="sizes whose hybrid search is measured on an index built in memory (update, no save per document)")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "scale")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None, help="also write the table here (e.g. bench/results/scale.txt)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a graph of an earlier run that holds N documents (stories only, no ingest numbers)")
    parser.add_argument("--keep", action="store_true", help="leave the graph servers running (inspect the stores)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    index_sizes = {int(x) for x in args.index_sizes.split(",") if x}
    search_sizes = {int(x) for x in args.search_sizes.split(",") if x}
    sources = [Source(p) for p in sorted((ROOT / "corpus").iterdir()) if p.suffix in (".txt", ".md")]
    sources += [Source(p) for p in sorted(REALTEXTS.glob("*.txt"))] if REALTEXTS.is_dir() else []
    lines = [f"# bench/scale.py --sizes {args.sizes} --index-sizes {args.index_sizes}  cores {os.cpu_count()}  runs {args.runs}",
             f"# sources: {len(sources)} texts -> {sum(len(s.pieces()) for s in sources)} pieces; "
             "p50/p95 in ms; s/MB = ingest wall seconds per MB of text (first/last tenth of the files); "
             "cpu/MB = CPU seconds per MB of this process and the graph server together",
             "# index run: --vectors hash: passage vectors are a deterministic stand-in (hash of the text); "
             "query vectors from the real e5; embedding rate is measured apart in bench/search_bench.py"]
    rows: list[dict[str, Any]] = []
    story_names: list[str] = []
    for n in sizes:
        plans = generate(n, args.data_dir / f"plans_{n}", sources)
        warm = generate(5, args.data_dir / "plans_warm", sources, prefix="warm")
        row: dict[str, Any] = {"N": n}
        # a small N is a few files: its s/MB is the median of three fresh ingests
        runs = []
        reused = reuse_run(args.data_dir / f"graph_{n}", n) if args.reuse else None
        if reused:
            reused["mb"] = sum(p.stat().st_size for p in plans) / 1e6
        for _ in range(0 if reused else 3 if n < 50 else 1):
            if runs:
                stop_server(runs[-1]["store"], runs[-1]["settings"])
            runs.append(ingest_run(plans, args.data_dir / f"graph_{n}", index=False, warm=warm))
        run = reused or runs[-1]
        if runs:
            run["s_per_mb"] = statistics.median(r["s_per_mb"] for r in runs)
            run["cpu_s_per_mb"] = statistics.median(r["cpu_s_per_mb"] for r in runs)
        store, settings = run["store"], run["settings"]
        counts = store.counts()
        row.update(mb=run["mb"], s_mb=run["s_per_mb"], cpu_mb=run["cpu_s_per_mb"], first=run["first_s_per_mb"], last=run["last_s_per_mb"],
                   docs=counts["documents"], chunks=counts["chunks"], nodes=counts["nodes"], edges=counts["edges"],
                   store_mb=du_mb(settings.graph_dir), server_rss=rss_mb(store.server_pid))
        comuni_names = [r["name"] for r in store.read("MATCH (c:Comune) RETURN c.name AS name ORDER BY name LIMIT 50")]
        index = None
        if n in index_sizes:
            stop_server(store, settings)
            irun = ingest_run(plans, args.data_dir / f"index_{n}", index=True, warm=warm)
            row.update(s_mb_index=irun["s_per_mb"], index_mb=du_mb(irun["settings"].index_dir))
            store, settings, index = irun["store"], irun["settings"], irun["indexer"]
        if index is None and n in search_sizes:  # the plans parsed again into an index kept in memory
            from search.index import SearchIndex  # noqa: PLC0415

            index = SearchIndex(settings, encoder=HashPassages(settings), index_dir=args.data_dir / f"mem_index_{n}")
            for p in plans:
                index.update(parse(p))
            row["hybrid_in_memory"] = True
        timings = measure(stories_for(store, index, comuni_names), args.runs)
        row["stories"] = timings
        row["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        row["server_rss"] = max(row["server_rss"], rss_mb(store.server_pid))
        story_names += [s for s in timings if s not in story_names]
        rows.append(row)
        row["load"] = os.getloadavg()[0]
        print(f"N={n}: {row}", file=sys.stderr)
        if not args.keep:
            stop_server(store, settings)
    head = (f"{'N':>5} {'MB':>6} {'docs':>5} {'chunks':>7} {'nodes':>7} {'edges':>7} {'s/MB':>5} {'first':>5} {'last':>5} "
            f"{'cpu/MB':>6} {'s/MB+ix':>7} {'store':>6} {'ix MB':>6} {'RSS':>5} {'srvRSS':>6}")
    lines += ["", "## ingest (s/MB graph only; +ix with the SearchIndex; store/ix MB on disk; RSS MB: this process peak, graph server)", head]
    for r in rows:
        ix = f"{r['s_mb_index']:>7.2f}" if "s_mb_index" in r else f"{'-':>7}"
        ixmb = f"{r['index_mb']:>6.0f}" if "index_mb" in r else f"{'-':>6}"
        lines.append(f"{r['N']:>5} {r['mb']:>6.1f} {r['docs']:>5} {r['chunks']:>7} {r['nodes']:>7} {r['edges']:>7} "
                     f"{r['s_mb']:>5.2f} {r['first']:>5.2f} {r['last']:>5.2f} {r['cpu_mb']:>6.2f} {ix} {r['store_mb']:>6.0f} {ixmb} "
                     f"{r['rss']:>5.0f} {r['server_rss']:>6.0f}")
    mem = [str(r["N"]) for r in rows if r.get("hybrid_in_memory")]
    if mem:
        lines += ["", f"# hybrid at N = {', '.join(mem)}: on an index built in memory (update per document, no save), "
                  "not by the ingest with index"]
    lines += ["", "## stories p50/p95 ms (load: the 1-minute load average after the row; other jobs share the cores)",
              f"{'N':>5} {'load':>5} " + " ".join(f"{s:>13}" for s in story_names)]
    for r in rows:
        cells = [f"{r['stories'][s][0]:>6.1f}/{r['stories'][s][1]:<6.1f}" if s in r["stories"] else f"{'-':>13}"
                 for s in story_names]
        lines.append(f"{r['N']:>5} {r['load']:>5.1f} " + " ".join(cells))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
