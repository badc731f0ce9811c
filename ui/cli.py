"""The `pdz` command line. Each command calls one library function and prints its result."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from ontology.errors import KgError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Piani di Zona knowledge graph: ingest, search, ask.")
eval_app = typer.Typer(no_args_is_help=True, help="Score extraction and retrieval against gold sets.")
app.add_typer(eval_app, name="eval")


def emit(data: Any) -> None:
    """Print JSON (UTF-8, stable key order) to stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(exc: Exception) -> None:
    """Show one red line on stderr and exit 1."""
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except KgError as exc:
        fail(exc)
