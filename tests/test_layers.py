"""The import layers (ui -> search | kg -> ingest -> ontology), enforced with import-linter."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("ontology", "ingest", "kg", "search", "ui")
CONTRACT = """
[tool.importlinter]
root_packages = {roots}

[[tool.importlinter.contracts]]
name = "layers"
type = "layers"
layers = ["ui", "search | kg", "ingest", "ontology"]
"""


def _lint(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(lint), "--config", str(config)], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"}, timeout=300)


def test_the_project_keeps_its_layers() -> None:
    result = _lint(REPO, REPO / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contract_breaks_when_a_lower_layer_imports_a_higher_one(tmp_path: Path) -> None:
    """The same contract on a small tree where ontology imports ui: import-linter must refuse it."""
    for pkg in PACKAGES:
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "ui" / "app.py").write_text("import kg.store\n")
    (tmp_path / "kg" / "store.py").write_text("import ingest.model\n")
    (tmp_path / "ingest" / "model.py").write_text("import ontology.base\n")
    (tmp_path / "ontology" / "base.py").write_text(textwrap.dedent("""
        def helper():
            from ui import app  # a function-level import is an import too
            return app
    """))
    config = tmp_path / "pyproject.toml"
    config.write_text(CONTRACT.format(roots=list(PACKAGES)))
    result = _lint(tmp_path, config)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout
    assert "ontology.base -> ui.app" in result.stdout


def _project_imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            found += [f"{path.relative_to(REPO)}:{node.lineno} {n}" for n in names if n.split(".")[0] in PACKAGES]
    return found


def test_library_layers_import_the_project_at_module_level() -> None:
    """No function-level import of project modules below ui/ (they would hide a cycle from the contract's
    reader); ui/cli.py may import lazily to keep `pdz --help` fast."""
    offenders = []
    for pkg in PACKAGES[:-1]:
        for path in sorted((REPO / pkg).rglob("*.py")):
            offenders += _project_imports_inside_functions(path)
    assert not offenders, offenders
