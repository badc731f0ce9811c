"""Configuration: environment variables over pdz.toml over defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontology.settings import Settings
from ontology.errors import ConfigError


def test_defaults_and_environment(tmp_path: Path) -> None:
    s = Settings.load(env={}, config_file=tmp_path / "missing.toml")
    assert s.data_dir == Path("var").resolve() and s.backend == "arcadedb-embedded" and s.neo4j_uri is None
    s = Settings.load(env={"PDZ_DATA_DIR": str(tmp_path / "d"), "NEO4J_URI": "bolt://db:7687", "NEO4J_USER": "u",
                           "NEO4J_PASSWORD": "p", "NEO4J_DATABASE": "pdz"}, config_file=tmp_path / "missing.toml")
    assert (s.data_dir, s.backend, s.neo4j_user, s.neo4j_password, s.neo4j_database) == (
        tmp_path / "d", "neo4j", "u", "p", "pdz")
    assert s.graph_dir == tmp_path / "d" / "graph" and s.index_dir == tmp_path / "d" / "index"


def test_pdz_toml_is_read_and_environment_wins(tmp_path: Path) -> None:
    toml = tmp_path / "pdz.toml"
    toml.write_text('[pdz]\ndata_dir = "dati"\nneo4j_uri = "bolt://from-file:7687"\n', encoding="utf-8")
    s = Settings.load(env={}, config_file=toml)
    assert s.data_dir == Path("dati").resolve() and s.neo4j_uri == "bolt://from-file:7687"
    s = Settings.load(env={"NEO4J_URI": "bolt://from-env:7687"}, config_file=toml)
    assert s.neo4j_uri == "bolt://from-env:7687" and s.data_dir == Path("dati").resolve()


def test_invalid_toml_is_one_clear_error(tmp_path: Path) -> None:
    toml = tmp_path / "pdz.toml"
    toml.write_text("data_dir = [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="pdz.toml: invalid TOML"):
        Settings.load(env={}, config_file=toml)
