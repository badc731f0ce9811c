"""Drift checks: every CLI command has help and appears in the README; README's two commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from ui.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    out = {}
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            out.update({f"{name} {sub}": c for sub, c in cmd.commands.items()})
        else:
            out[name] = cmd
    return out


def test_every_command_has_help_and_is_in_readme() -> None:
    for name, cmd in commands().items():
        assert (cmd.help or "").strip(), f"pdz {name} has no help"
        assert f"pdz {name}" in README, f"pdz {name} is not in README.md"


def test_readme_gives_exactly_two_setup_commands_that_ci_runs() -> None:
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)\n```", section, re.S)
    assert blocks == ["./dev demo", "./dev test"]
    assert "./dev test" in (ROOT / ".ci" / "run").read_text()
