"""Configuration from the environment, with an optional ``pdz.toml`` in the working directory.

Environment variables win over the file. Keys in pdz.toml are the variable names in lower case
without the prefix (``data_dir``, ``neo4j_uri``, ...), under a ``[pdz]`` table or at top level.
"""

from __future__ import annotations

import hmac
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import ConfigError, KgError

ENV_KEYS = {
    "data_dir": "PDZ_DATA_DIR",
    "neo4j_uri": "NEO4J_URI",
    "neo4j_user": "NEO4J_USER",
    "neo4j_password": "NEO4J_PASSWORD",
    "neo4j_database": "NEO4J_DATABASE",
    "embed_model": "PDZ_EMBED_MODEL",
    "api_token": "PDZ_API_TOKEN",
    "api_url": "PDZ_API_URL",
    "query_timeout": "PDZ_QUERY_TIMEOUT",
    "statement_timeout": "PDZ_STATEMENT_TIMEOUT",
    "server_idle": "PDZ_SERVER_IDLE",
    "read_only": "PDZ_READ_ONLY",
}
FLOAT_KEYS = {"query_timeout": 10.0, "statement_timeout": 120.0, "server_idle": 300.0}
BOOL_KEYS = {"read_only"}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class UploadRefused(KgError):
    """An upload was refused: uploads are off (no token, read-only deployment) or the token is wrong."""

    def __init__(self, reason: str, *, disabled: bool):
        self.disabled = disabled
        super().__init__(reason)


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
    query_timeout: float = 10.0  # seconds; every read, on every backend (0: no limit)
    statement_timeout: float = 120.0  # seconds; embedded server's ceiling for any statement, writes too (0: none)
    server_idle: float = 300.0  # seconds without a client before an on-demand embedded server stops (0: never)
    read_only: bool = False  # no upload route, no writes through the API or the UI

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

    @property
    def uploads_enabled(self) -> bool:
        """Whether this deployment accepts uploads at all (a token is set and it is not read-only)."""
        return bool(self.api_token) and not self.read_only

    def authorize_upload(self, token: str | None) -> None:
        """The one rule for writes from the API and the UI: the caller must present ``PDZ_API_TOKEN``.

        Args:
            token: what the caller presented (bearer token, or the UI's token field).

        Raises:
            UploadRefused: read-only deployment, no token configured, or a missing/wrong token.
        """
        if self.read_only:
            raise UploadRefused("this deployment is read-only (PDZ_READ_ONLY): uploads are off", disabled=True)
        if not self.api_token:
            raise UploadRefused("uploads are disabled: set PDZ_API_TOKEN on the server to enable them", disabled=True)
        if not token or not hmac.compare_digest(token.strip().encode(), self.api_token.encode()):
            raise UploadRefused("missing or wrong upload token", disabled=False)

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
        typed: dict[str, object] = dict(values)
        for key in FLOAT_KEYS:
            if key in values:
                try:
                    typed[key] = float(values[key])
                except ValueError as exc:
                    raise ConfigError(f"{ENV_KEYS[key]}={values[key]!r}: expected a number of seconds") from exc
                if typed[key] < 0:
                    raise ConfigError(f"{ENV_KEYS[key]}={values[key]!r}: must not be negative")
        for key in BOOL_KEYS:
            if key in values:
                v = values[key].strip().lower()
                if v not in _TRUE | _FALSE:
                    raise ConfigError(f"{ENV_KEYS[key]}={values[key]!r}: expected true or false")
                typed[key] = v in _TRUE
        return cls(data_dir=data_dir, **typed)
