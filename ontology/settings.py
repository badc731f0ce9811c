"""Configuration from the environment, with an optional ``pdz.toml`` in the working directory.

Environment variables win over the file. Keys in pdz.toml are the variable names in lower case
without the prefix (``data_dir``, ``neo4j_uri``, ...), under a ``[pdz]`` table or at top level.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import ConfigError

ENV_KEYS = {
    "data_dir": "PDZ_DATA_DIR",
    "neo4j_uri": "NEO4J_URI",
    "neo4j_user": "NEO4J_USER",
    "neo4j_password": "NEO4J_PASSWORD",
    "neo4j_database": "NEO4J_DATABASE",
    "embed_model": "PDZ_EMBED_MODEL",
    "api_token": "PDZ_API_TOKEN",
    "api_url": "PDZ_API_URL",
}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    embed_model: str | None = None
    api_token: str | None = None
    api_url: str | None = None

    @property
    def backend(self) -> str:
        return "neo4j" if self.neo4j_uri else "arcadedb-embedded"

    @property
    def graph_dir(self) -> Path:
        return self.data_dir / "graph"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @classmethod
    def load(cls, env: dict[str, str] | None = None, config_file: Path | None = None) -> Settings:
        """Read settings from ``env`` (default: os.environ) and ``pdz.toml``.

        Raises:
            ConfigError: pdz.toml exists but is not valid TOML.
        """
        env = dict(os.environ if env is None else env)
        values: dict[str, str] = {}
        path = config_file or Path(env.get("PDZ_CONFIG", "pdz.toml"))
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{path}: invalid TOML ({exc}); fix or remove the file") from exc
            table = data.get("pdz", data)
            values.update({k: str(v) for k, v in table.items() if k in ENV_KEYS})
        for key, var in ENV_KEYS.items():
            if env.get(var):
                values[key] = env[var]
        data_dir = Path(values.pop("data_dir", "var")).expanduser().resolve()
        return cls(data_dir=data_dir, **values)
