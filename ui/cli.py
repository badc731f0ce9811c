"""The `pdz` command line. Each command calls one library function and prints its result."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel

from ontology.errors import KgError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Piani di Zona knowledge graph: ingest, search, ask.")
eval_app = typer.Typer(no_args_is_help=True, help="Score extraction and retrieval against gold sets.")
app.add_typer(eval_app, name="eval")


def _plain(data: Any) -> Any:
    """Views (pydantic models), and lists or dicts of them, as plain JSON values."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json", exclude_none=True)
    if isinstance(data, list):
        return [_plain(x) for x in data]
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    return data


def emit(data: Any) -> None:
    """Print JSON (UTF-8, stable key order) to stdout; views are dumped without empty fields."""
    sys.stdout.write(json.dumps(_plain(data), ensure_ascii=False, indent=2, default=str) + "\n")


def fail(exc: Exception) -> None:
    """Show one red line on stderr and exit 1."""
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


# -- foundation: status, ingest, server, demo ------------------------------------------------


def _settings():
    from ontology.settings import Settings

    return Settings.load()


def _store(settings):
    from kg.store import GraphStore

    return GraphStore.open(settings)


def _indexer(settings, enabled: bool, deferred: bool = False):
    """The search index to keep in step with the graph, or None with --no-index."""
    from search.index import SearchIndex

    return SearchIndex.load(settings, deferred=deferred) if enabled else None


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Backend, versions and counts (documents, chunks, nodes, edges)."""
    from ui.service import status_report

    report = status_report(_settings())
    if as_json:
        emit(report)
        return
    for key, value in report.items():
        typer.echo(f"{key:>12}: {value}")


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders (PDF, DOCX, DOC, TXT, MD, HTML, signed .p7m).", exists=False),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON report."),
    ocr: str = typer.Option("auto", help="OCR pages without a text layer: auto, always or never."),
    force: bool = typer.Option(False, help="Re-ingest files whose sha256 is unchanged."),
    index: bool = typer.Option(True, help="Keep the search index in step (embeds changed chunks)."),
    defer_embed: bool = typer.Option(False, "--defer-embed",
                                     help="Index the chunks now (keyword search at once) and compute their vectors later: "
                                          "`pdz index embed`, or the server's background embedder."),
) -> None:
    """Parse files into Documents and write them to the graph, one transaction per document.

    By default each document's new chunks are embedded before it is committed (and the vectors
    go on its :Chunk nodes too); with --defer-embed they are not, and the graph keeps no vectors.
    """
    from kg.ingest import ingest_paths

    if ocr not in {"auto", "always", "never"}:
        raise typer.BadParameter("--ocr must be auto, always or never")
    settings = _settings()
    if index:
        from ui.service import search_capability

        capability = search_capability()
        if capability["reason"]:
            typer.secho(f"notice: search index is BM25-only ({capability['reason']})", fg=typer.colors.YELLOW, err=True)
    with _store(settings) as store:
        indexer = _indexer(settings, index, deferred=defer_embed)
        with ProgressView(enabled=not as_json) as view:
            report = ingest_paths(paths, store, settings, indexer=indexer, ocr=ocr, force=force, on_event=view.update)
    if as_json:
        emit(report.summary())
    else:
        summary = report.summary()
        typer.echo(
            f"{summary['documents']} documents, {summary['chunks']} chunks, {summary['nodes']} nodes, "
            f"{summary['edges']} edges in {summary['seconds']}s; {summary['skipped_unchanged']} unchanged"
        )
    for err in report.errors:
        typer.secho(f"error: {err}", fg=typer.colors.RED, err=True)
    if report.errors:
        raise typer.Exit(1)


class ProgressView:
    """A rich progress bar fed by ingest events (files, pages, embeddings)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.progress = None
        self.files_task = None
        self.step_task = None

    def __enter__(self) -> "ProgressView":
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, event) -> None:  # noqa: ANN001 - kg.ingest.Event
        if self.progress is None:
            return
        if event.kind == "file":
            if self.files_task is None:
                self.files_task = self.progress.add_task("files", total=event.files)
            self.progress.update(self.files_task, completed=event.index, description=f"files  {event.source[:40]}")
        elif event.kind in {"pages", "embed"}:
            label = "pages " if event.kind == "pages" else "embed "
            if self.step_task is None:
                self.step_task = self.progress.add_task(label, total=event.total)
            self.progress.update(self.step_task, completed=event.done, total=event.total, description=label)
        elif event.kind == "done" and self.files_task is not None:
            self.progress.update(self.files_task, completed=event.files)


index_app = typer.Typer(no_args_is_help=True, help="The search index: embedding progress, vectors still to compute.")
app.add_typer(index_app, name="index")


@index_app.command("status")
def index_status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Documents, chunks and how many passages have their vector (dense/hybrid search ranks those)."""
    from search.index import SearchIndex

    settings = _settings()
    if not SearchIndex.exists(settings):
        fail(KgError(f"no search index at {settings.index_dir} yet: run `pdz ingest`"))
    stats = SearchIndex.load(settings, deferred=True).stats()
    if as_json:
        emit(stats)
        return
    done, total = stats["vectors"], stats["vectors_total"]
    pct = 100 * done // total if total else 100
    typer.echo(f"{stats['documents']} documents, {stats['chunks']} chunks; vectors {done}/{total} ({pct}%), "
               f"model {stats['model'] or '-'}; {stats['path']}")


@index_app.command("embed")
def index_embed(batch: int = typer.Option(32, min=1, help="Passages per batch (one transaction each).")) -> None:
    """Compute the vectors the index still lacks, batch by batch (safe to interrupt: finished batches stay)."""
    import fcntl

    from search.embedder import LOCK_NAME
    from search.index import SearchIndex

    settings = _settings()
    if not SearchIndex.exists(settings):
        fail(KgError(f"no search index at {settings.index_dir} yet: run `pdz ingest`"))
    index = SearchIndex.load(settings, deferred=True)
    if not index.dense_available:
        fail(KgError("sentence-transformers is not installed: pip install 'pdz-kg[models]' (BM25 works without it)"))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / LOCK_NAME, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fail(KgError(f"{settings.data_dir}: another process is computing the vectors (embedder.lock); see `pdz index status`"))

        def cb(done: int, total: int) -> None:
            typer.echo(f"vectors {done}/{total}", err=True)

        try:
            n = index.embed_missing(batch, cb)
        except (KgError, OSError) as exc:
            fail(exc)
    done, total = index.vector_progress()
    typer.echo(f"embedded {n} passages; vectors {done}/{total}")


server_app = typer.Typer(no_args_is_help=True, help="The embedded ArcadeDB server of the data dir.")
app.add_typer(server_app, name="server")


@server_app.command("start")
def server_start(as_json: bool = typer.Option(False, "--json")) -> None:
    """Start (or find) the embedded server and keep it running until `pdz server stop` (no idle stop)."""
    from kg.arcade import EmbeddedArcade

    settings = _settings()
    info = EmbeddedArcade(settings.graph_dir, statement_timeout=settings.statement_timeout).ensure_running(keep=True)
    data = {"pid": info.pid, "bolt": info.uri, "http": f"http://127.0.0.1:{info.http_port}", "pinned": info.keep}
    emit(data) if as_json else typer.echo(f"ArcadeDB running (pid {info.pid}) on {info.uri} until `pdz server stop`")


@server_app.command("stop")
def server_stop() -> None:
    """Shut the embedded server down cleanly."""
    from kg.arcade import EmbeddedArcade

    stopped = EmbeddedArcade(_settings().graph_dir).stop()
    typer.echo("stopped" if stopped else "no server was running")


@app.command()
def demo(
    corpus: Path = typer.Option(Path("corpus"), help="Folder to ingest."),
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    api_port: int = typer.Option(8000, help="HTTP API port."),
    ui_port: int = typer.Option(8501, help="Streamlit UI port."),
    serve: bool = typer.Option(True, help="Serve the API and UI after ingesting."),
) -> None:
    """Ingest corpus/ into the embedded store, then serve the API and the UI until Ctrl-C."""
    from ui.service import run_demo

    run_demo(_settings(), corpus, host=host, api_port=api_port, ui_port=ui_port, serve=serve, echo=typer.echo)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port."),
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) until Ctrl-C or SIGTERM; stops what it started."""
    from ui.service import api_command, owned_server, serve_children

    settings = _settings()
    with owned_server(settings):
        code = serve_children([api_command(host, port)], typer.echo)
    raise typer.Exit(code)


@app.command()
def norm(
    text: str = typer.Argument(..., help="The norm in any written form: 'L.R. 3/2008', 'legge quadro', 'DGR XI/4563'."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Trace a norm: the documents citing it, articles, contexts with offsets, AMENDS links."""
    from kg.stories import norm_trace

    with _store(_settings()) as store:
        trace = norm_trace(store, text)
    if as_json:
        emit(trace)
        return
    n = trace.norm
    typer.secho(f"{trace.norm_id}  {n.title or ''}", bold=True)
    if n.urn:
        typer.echo(f"  {n.urn}  {n.normattiva or ''}")
    for d in trace.documents:
        arts = ", ".join(f"art. {a}" for a in d.articles) or "-"
        typer.echo(f"  {d.source}: {d.citations} citations ({arts})")
    for c in trace.citations:
        ev = c.evidence
        where = f"p. {ev.page}, " if ev.page else ""
        typer.echo(f"    [{ev.source} {where}line {ev.line}, {ev.start}-{ev.end}] {c.context or c.raw}")
    for links, label in ((trace.amends, "amends"), (trace.amended_by, "amended by")):
        for m in links:
            typer.echo(f"  {label} {m.id} {m.title or ''}")


@app.command()
def norms(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Every cited norm with its number of citations and citing documents."""
    from kg.stories import list_norms

    with _store(_settings()) as store:
        rows = list_norms(store)
    if as_json:
        emit(rows)
        return
    for r in rows:
        typer.echo(f"{r.citations:>4} cit. {r.documents:>2} doc.  {r.id:<28} {(r.title or '')[:80]}")


# -- citations: extract and evaluate ---------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / "corpus"
SHARED_EVAL = REPO.parent / "shared" / "eval"  # the gold sets, beside the checkout
DEFAULT_CITATIONS_GOLD = SHARED_EVAL / "citations.json"


@app.command()
def citations(
    file: Path = typer.Argument(..., help="A document to read (PDF, TXT, MD, DOCX)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Every normative citation of one document, resolved to its canonical act (no graph needed)."""
    from ingest.cite import cite_file

    try:
        doc = cite_file(file)
    except KgError as exc:
        fail(exc)
    if as_json:
        emit([c.model_dump() for c in doc.citations])
        return
    for c in doc.citations:
        art = f" art. {c.article}" if c.article else ""
        typer.echo(f"{c.prov.line:>6}  {c.norm_id:<28} {c.raw.replace(chr(10), ' ')[:70]}{art}")


@eval_app.command("citations")
def eval_citations(
    gold: Path = typer.Option(DEFAULT_CITATIONS_GOLD, "--gold", help="Gold JSON (shared/eval/citations.json)."),
    corpus: Path = typer.Option(DEFAULT_CORPUS, "--corpus", help="Folder with the gold's documents."),
    cases: Path | None = typer.Option(None, "--cases", help="Score snippet cases instead (JSONL as shared/eval/linkoln/cases.jsonl): "
                                      "precision, recall, article accuracy per act kind, failures listed."),  # fmt: skip
    split: str = typer.Option("all", "--split", help="With --cases: all, even or odd (cases by position; a dev/check split)."),
    realtexts: Path | None = typer.Option(None, "--realtexts", help="Score real texts instead: a folder with gold.json "
                                          "(normative_citations per document) and docs/; dev and held-out reported apart."),  # fmt: skip
    held_out: str | None = typer.Option(None, "--held-out", help="With --realtexts: comma-separated document stems kept apart "
                                        "(default: the project's held-out set); their failures are never listed."),  # fmt: skip
    gold_region: bool = typer.Option(False, "--gold-region", help="With --realtexts: give each document the region its gold "
                                     "records instead of the detected one (scores citations apart from region detection)."),  # fmt: skip
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Precision and recall of citation extraction: on the corpus gold (default), on snippet cases
    (--cases) or on real texts (--realtexts)."""
    from ingest.eval_citation_cases import REALTEXTS_HELD_OUT, evaluate_cases, evaluate_realtexts
    from ingest.eval_citations import evaluate_citations

    try:
        if cases is not None:
            report = evaluate_cases(cases, split)
        elif realtexts is not None:
            stems = frozenset(x.strip() for x in held_out.split(",") if x.strip()) if held_out is not None else REALTEXTS_HELD_OUT
            report = evaluate_realtexts(realtexts, stems, gold_region=gold_region)
        else:
            report = evaluate_citations(gold, corpus)
    except KgError as exc:
        fail(exc)
    if as_json:
        emit(report)
    elif cases is not None:
        _print_case_report(report)
    elif realtexts is not None:
        for part in ("dev", "held_out"):
            m = report[part]
            typer.echo(f"{part:<9} tp {m['tp']:>3} fp {m['fp']:>3} fn {m['fn']:>3}  precision {m['precision']:.3f}  recall {m['recall']:.3f}  "
                       f"article accuracy {m['article_accuracy']:.3f}")  # fmt: skip
        for f in report["failures"]:
            typer.echo(f"{f['doc']}: {'missed ' + str(f['missed']) if 'missed' in f else 'spurious ' + str(f['spurious'])} {f['raw']!r}")
    else:
        _print_gold_report(report)


def _prf_rows(rows: list[tuple[str, dict[str, Any]]], title: str) -> None:
    typer.echo(f"{title:<42}{'tp':>5}{'fp':>5}{'fn':>5}{'prec':>8}{'rec':>8}")
    for name, m in rows:
        typer.echo(f"{name:<42}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}{m['precision']:>8.3f}{m['recall']:>8.3f}")


def _print_case_report(report: dict[str, Any]) -> None:
    _prf_rows([*report["by_kind"].items(), ("OVERALL", report["overall"])], "act kind")
    a = report["articles"]
    typer.echo(f"article accuracy {report['article_accuracy']:.3f} ({a['correct']}/{a['scored']} matched acts with an article); {report['cases']} cases")
    for f in report["failures"]:
        typer.echo(f"{f['id']}: {f['text'][:90]!r}")
        for m in f["missed"]:
            typer.echo(f"    missed   {m}")
        for sp in f["spurious"]:
            typer.echo(f"    spurious {sp['urn']} {sp['raw']!r}")
        for w in f["wrong_article"]:
            typer.echo(f"    article  expected {w['expected']} got {w['got']}")


def _print_gold_report(report: dict[str, Any]) -> None:
    rows = [*report["by_act_type"].items(), ("OVERALL", report["overall"])]
    typer.echo(f"{'act type':<36}{'tp':>5}{'fp':>5}{'fn':>5}{'prec':>8}{'rec':>8}{'f1':>8}")
    for name, m in rows:
        typer.echo(f"{name:<36}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
    for label, key in (("false positive", "false_positives"), ("false negative", "false_negatives")):
        for e in report[key]:
            typer.echo(f"{label}: {e['doc']}:{e['line']} {e['norm_id']} {e['raw']!r}")
    if report["unscored"]:
        typer.echo("not in the gold (unscored): " + ", ".join(f"{k} ({v} citations)" for k, v in report["unscored"].items()))


@app.command("ui")
def ui_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8501, help="Port."),
) -> None:
    """Serve the Streamlit app (in Italian) until Ctrl-C or SIGTERM; stops what it started."""
    from ui.service import owned_server, serve_children, streamlit_command

    settings = _settings()
    with owned_server(settings):
        code = serve_children([streamlit_command(host, port)], typer.echo)
    raise typer.Exit(code)


# -- issue 5: entities (eval, merges, Ambito profile, export) -----------------------------------

DEFAULT_ENTITIES_GOLD = SHARED_EVAL / "entities.json"


@eval_app.command("entities")
def eval_entities(
    gold: Path = typer.Option(DEFAULT_ENTITIES_GOLD, "--gold", help="Gold JSON (shared/eval/entities.json)."),
    corpus: Path = typer.Option(DEFAULT_CORPUS, "--corpus", help="Folder with the gold's documents."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    details: bool = typer.Option(False, "--details", help="List misses and wrong predictions."),
) -> None:
    """Recall and precision of entity extraction per type (bodies, services, comuni, people, objectives, networks)."""
    from ingest.eval_entities import evaluate_entities
    from ingest.pipeline import parse
    from ingest.resolve import merge_report

    gold_names = set()
    try:
        import json as _json

        gold_names = set((_json.loads(gold.read_text(encoding="utf-8")).get("documents") or {}).keys()) if gold.is_file() else set()
        docs = [parse(corpus / n, ocr="never") for n in sorted(gold_names) if (corpus / n).is_file()]
        report = evaluate_entities(gold, corpus, docs=docs)
    except KgError as exc:
        fail(exc)
    merges = [m.model_dump() for m in merge_report(docs)]
    if as_json:
        emit({**report, "merges": merges})
        return
    typer.echo(f"{'type':<20}{'gold':>6}{'found':>7}{'pred':>6}{'right':>7}{'recall':>8}{'precision':>11}")
    for t, row in report["types"].items():
        rec = f"{row['recall']:.3f}" if row["recall"] is not None else "-"
        prec = f"{row['precision']:.3f}" if row["precision"] is not None else "-"
        typer.echo(f"{t:<20}{row['gold']:>6}{row['recalled']:>7}{row['predicted']:>6}{row['correct']:>7}{rec:>8}{prec:>11}")
        if details:
            for m in row["missed"]:
                typer.echo(f"    missed: {m}")
            for w in row["wrong"]:
                typer.echo(f"    wrong:  {w}")
    typer.echo(f"merges made: {len(merges)}")
    for m in merges:
        typer.echo(f"  {m['canonical_id']:<48} <- {m['alias']!r} ({m['reason']})")


DEFAULT_REALTEXTS = SHARED_EVAL / "realtexts"
DEFAULT_HELD_OUT = REPO / "tests" / "data" / "realtexts_heldout.json"


@eval_app.command("facts")
def eval_facts(
    gold: Path = typer.Option(DEFAULT_REALTEXTS, "--gold", help="Folder with gold.json and docs/ (shared/eval/realtexts)."),
    held_out: Path = typer.Option(DEFAULT_HELD_OUT, "--held-out", help="JSON list of held-out file names."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    details: bool = typer.Option(False, "--details", help="List misses and wrong predictions (development texts only)."),
) -> None:
    """Precision and recall of region, Ambito, comuni, ATS/ASST, bodies and services: dev / held-out / all."""
    from ingest.eval_facts import FIELDS, evaluate_facts

    try:
        report = evaluate_facts(gold, held_out)
    except KgError as exc:
        fail(exc)
    if as_json:
        emit(report)
        return

    def cell(row: dict) -> str:
        p = "-" if row["precision"] is None else f"{row['precision']:.2f}"
        r = "-" if row["recall"] is None else f"{row['recall']:.2f}"
        return f"{p:>5} {r:>5} {row['correct']:>3}/{row['predicted']:<3} {row['recalled']:>3}/{row['gold']:<3}"

    head = "".join(f"{s + ' P R right/pred found/gold':>30}" for s in ("dev", "held-out", "all"))
    typer.echo(f"{'field':<16}{head}")
    for f in FIELDS:
        typer.echo(f"{f:<16}" + "".join(f"{cell(report['subsets'][s][f]):>30}" for s in ("dev", "held_out", "all")))
    if details:
        for name, d in report["documents"].items():
            if d["subset"] != "dev":
                continue
            for f, row in d["fields"].items():
                for m in row["missed"]:
                    typer.echo(f"  {name} {f} missed: {m}")
                for w in row["wrong"]:
                    typer.echo(f"  {name} {f} wrong:  {w}")


@app.command("merges")
def merges_command(
    paths: list[Path] = typer.Argument(None, help="Files or folders to parse (default: corpus/)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The entity-resolution merges made over documents (aliases folded into one id)."""
    from ingest.pipeline import discover, parse
    from ingest.resolve import merge_report

    files = list(discover(paths or [DEFAULT_CORPUS]))
    merges = [m.model_dump() for m in merge_report([parse(f, ocr="never") for f in files])]
    if as_json:
        emit(merges)
        return
    for m in merges:
        typer.echo(f"{m['canonical_id']:<48} <- {m['alias']!r} ({m['reason']}; {m['doc']})")


@app.command("ambito")
def ambito_command(
    name: str = typer.Argument(..., help="Ambito id, name or alias (case/accents-insensitive)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Profile of an Ambito: comuni, capofila, ATS/ASST, bodies, services with status, objectives, networks, norms."""
    from kg.profiles import ambito_profile

    with _store(_settings()) as store:
        profile = ambito_profile(store, name)
    if as_json:
        emit(profile)
        return
    def line(ev: Any) -> str:
        return f"line {ev.line}" if ev else "no evidence"

    typer.echo(f"{profile.name} ({profile.id})")
    typer.echo("comuni: " + (", ".join(f"{c.name} ({c.istat})" for c in profile.comuni) or "not stated in the documents"))
    for key in ("capofila", "ats", "asst", "citta_metropolitana", "organizations"):
        items = getattr(profile, key)
        if items:
            typer.echo(f"{key}: " + "; ".join(x.name or "" for x in items))
    for s in profile.signatories:
        typer.echo(f"signatory: {s.name} - {s.role} ({s.on_behalf_of})")
    for b in profile.bodies:
        typer.echo(f"body: {b.name} [{b.type}] {line(b.evidence)}")
    for s in profile.services:
        typer.echo(f"service: {s.name} - {s.status} {s.period or ''} ({line(s.evidence)})")
    for area, objs in profile.objectives.items():
        typer.echo(f"objectives {area}: {len(objs)}")
    for n in profile.networks:
        typer.echo(f"network: {n.name}")
    for n in profile.norms:
        typer.echo(f"norm: {n.id} x{n.citations}")


@app.command("comune")
def comune_command(
    name: str = typer.Argument(..., help="Comune name in any written form, or its ISTAT code."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The Ambiti a comune belongs to, with periods and evidence."""
    from kg.comuni import comune_story

    with _store(_settings()) as store:
        try:
            story = comune_story(store, name)
        except KgError as exc:
            fail(exc)
    if as_json:
        emit(story)
        return
    typer.echo(f"{story.name} (ISTAT {story.istat or '-'}, {story.province or '-'}, {story.region or '-'})")
    if not story.ambiti:
        typer.echo("  no Ambito in the graph")
    for a in story.ambiti:
        where = f"{a.evidence[0].source} line {a.evidence[0].line}" if a.evidence else "no evidence"
        typer.echo(f"  {a.name} ({a.id}): {', '.join(a.periods) or '-'} - {where}")


@app.command("export")
def export_command(
    fmt: str = typer.Option("turtle", "--format", help="turtle, jsonld or csv (a zip of nodes.csv and edges.csv)."),
    out: Path = typer.Option(None, "--out", help="Output file (default: stdout; csv needs --out)."),
    chunks: bool = typer.Option(True, help="Include Chunk nodes."),
) -> None:
    """Export the whole graph as RDF (ontology IRIs, evidence reified) or CSV."""
    from kg.export import export_graph

    with _store(_settings()) as store:
        data = export_graph(store, fmt, include_chunks=chunks)
    if isinstance(data, bytes):
        if out is None:
            raise typer.BadParameter("--format csv writes a zip: give --out FILE")
        out.write_bytes(data)
    elif out is not None:
        out.write_text(data, encoding="utf-8")
    else:
        sys.stdout.write(data)
    if out is not None:
        typer.echo(f"wrote {out}", err=True)


@app.command()
def ask(
    question: str = typer.Argument(..., help="A question in Italian or English."),
    k: int = typer.Option(10, "-k", help="Passages returned when the answer comes from search."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Answer a question from the graph (services, norms, governance, capofila...) or by hybrid search."""
    from kg.answer import answer

    settings = _settings()
    with _store(settings) as store:
        index = _search_index(settings)
        result = answer(question, store, index, k=k)
    if as_json:
        emit(result)
        return
    typer.secho(f"[{result.path}: {result.intent}] {result.summary}", bold=True)
    for h in result.results:
        ev = h.evidence
        typer.echo(f"  {h.score:.3f} {ev.source} [{ev.start}-{ev.end}] {h.snippet[:200]}")


def _search_index(settings):
    """The persisted search index, or None before anything was indexed (graph answers still work)."""
    from search.index import SearchIndex

    return SearchIndex.load(settings) if SearchIndex.exists(settings) else None


@app.command("services")
def services_command(
    name: str = typer.Argument(..., help="A service type or name: \"Agenzia dell'Abitare\", \"PUA\"."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Which Ambiti run or plan a service, with status, period and quotes."""
    from kg.stories import services

    with _store(_settings()) as store:
        result = services(store, name)
    if as_json:
        emit(result)
        return
    for g in result.ambiti + result.elsewhere:
        history = ", ".join(f"{p.status} {p.period or ''}".strip() for p in g.statuses)
        typer.secho(f"{g.ambito}: {g.service} — {g.status} ({history})", bold=True)
        for ev in g.evidence[:3]:
            typer.echo(f"    [{ev.source} line {ev.line}] {ev.quote[:160]}")


@app.command()
def compare(
    ambiti: list[str] = typer.Argument(..., help="Two or more Ambiti (id, name or alias)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    csv_out: Path | None = typer.Option(None, "--csv", help="Also write the table as CSV to this file."),
) -> None:
    """Governance of two or more Ambiti side by side."""
    import csv

    from kg.stories import compare_governance

    with _store(_settings()) as store:
        result = compare_governance(store, ambiti)
    if csv_out:
        with csv_out.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(result.rows[0]))
            w.writeheader()
            w.writerows(result.rows)
    if as_json:
        emit(result)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=True)
    for col in result.rows[0]:
        table.add_column(col, overflow="fold")
    for row in result.rows:
        table.add_row(*[v[:300] for v in row.values()])
    Console().print(table)



# -- search ---------------------------------------------------------------------------------------


@app.command("search")
def search_command(
    query: str | None = typer.Argument(None, help="An Italian question or keywords."),
    queries: Path | None = typer.Option(None, "--queries", help='Batch mode: a JSONL file of {"id", "query"} lines.'),
    ambito: str | None = typer.Option(None, help="Only this Ambito (any of its names, title or file name)."),
    comune: str | None = typer.Option(None, help="Only the Ambito this comune belongs to, or passages naming it."),
    kind: str | None = typer.Option(None, help="Only this document kind (piano_di_zona, accordo_di_programma...)."),
    period: str | None = typer.Option(None, help='Only documents of this period ("2021-2023") or year.'),
    macro_area: str | None = typer.Option(None, "--macro-area", help="Only chunks about this policy macro-area (A-K)."),
    norm: str | None = typer.Option(None, help='Only passages citing this norm ("L.R. 3/2008" or lr.lombardia:2008:3).'),
    service: str | None = typer.Option(None, help="Only passages naming this service type (pua, a label of the services vocabulary)."),
    doc: str | None = typer.Option(None, "--doc", help="Only this document (id or file name)."),
    k: int = typer.Option(10, "-k", help="Results per query."),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid, dense or bm25."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Find passages across all Ambiti: document, page, highlighted quote and linked entities."""
    from ontology.views import SearchFilters
    from search.service import open_index, read_queries, run_queries

    if (query is None) == (queries is None):
        raise typer.BadParameter("give a query or --queries FILE.jsonl (not both)")
    items = read_queries(queries) if queries else [{"id": "q", "query": query}]
    filters = SearchFilters(ambito=ambito, comune=comune, kind=kind, period=period, macro_area=macro_area,
                            norm=norm, service=service, doc=doc)
    result = run_queries(open_index(_settings()), items, k=k, filters=filters, mode=mode)
    if as_json:
        emit(result if queries else {"query": query, "mode": mode, "results": result["queries"][0]["results"]})
        return
    for q in result["queries"]:
        if queries:
            typer.secho(f"[{q['id']}] {q['query']}", bold=True)
        if not q["results"]:
            typer.echo("    nessun risultato")
        for h in q["results"]:
            ev = h["evidence"]
            page = f" p.{ev['page']}" if ev.get("page") else ""
            typer.secho(f"{h['rank']:>2}. {h['score']:.4f} {ev.get('source')}{page} l.{ev.get('line')} [{ev['start']}-{ev['end']}]", bold=True)
            typer.echo(f"    {h['snippet']}")
            linked = h["norms"] + [e["name"] for e in h["entities"]]
            if linked:
                typer.echo(f"    -> {', '.join(linked[:8])}")


@eval_app.command("search")
def eval_search(
    questions: list[Path] = typer.Option(
        [], "--questions", help="Questions JSON, repeatable; each set is reported apart (default: ../shared/eval/questions.json)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with per-question ranks)."),
) -> None:
    """nDCG@10, MRR and Hit@1/3/10 of dense, BM25 and hybrid retrieval, per mode and per question."""
    from search.evaluate import METRICS
    from search.service import eval_search_report

    paths = questions or [SHARED_EVAL / "questions.json"]
    reports = [eval_search_report(_settings(), path) for path in paths]
    if as_json:
        emit(reports[0] if len(reports) == 1 else reports)
        return
    for path, report in zip(paths, reports):
        typer.secho(f"{path.name}: {report['questions']} questions, {report['index']['chunks']} chunks, model {report['index']['model']}", bold=True)
        typer.echo(f"{'mode':<8}" + "".join(f"{m:>9}" for m in METRICS))
        for mode, m in report["modes"].items():
            typer.echo(f"{mode:<8}" + "".join(f"{m[x]:>9.3f}" for x in METRICS))
        modes = list(report["modes"])
        typer.echo(f"{'question':<10}" + "".join(f"{mode + ' ndcg':>13}{'rank':>6}" for mode in modes) + "  query")
        rows = {mode: {r["id"]: r for r in report["per_question"][mode]} for mode in modes}
        for q in report["per_question"][modes[0]]:
            cells = ""
            for mode in modes:
                r = rows[mode][q["id"]]
                cells += f"{r['ndcg@10']:>13.3f}{r['first_relevant_rank'] or '-':>6}"
            typer.echo(f"{q['id']:<10}{cells}  {q['query'][:70]}")
        typer.echo("")


def main() -> None:
    """Entry point of `pdz`: project errors become one red line on stderr and exit code 1."""
    try:
        app(standalone_mode=True)
    except KgError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(1)
