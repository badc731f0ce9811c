"""The registry of known normative acts (``ontology/norms.json``): ids, titles, aliases, amendments.

The registry is data, not rules: it lets citation extraction fill in what a text leaves out (the year
of "L.328", the date of a DGR cited as "DGR XI/4563") and recognise acts named only by an alias
("TUEL", "Codice del Terzo Settore"). Each alias has a ``match`` mode:

- ``text``: recognised anywhere in prose (distinctive names such as "Testo unico sull'ordinamento
  degli Enti Locali");
- ``article``: recognised only right after an article reference ("art. 55 CTS", "art. 1372 c.c."),
  because the bare form is ambiguous ("CTS" is also a Comitato Tecnico Scientifico);
- ``lookup``: never recognised in prose, only by :func:`ingest.citations.resolve_norm` ("legge
  quadro" names several acts in prose: L. 328/2000, L. 104/1992, the announced disability reform).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ontology.errors import VocabularyError

REGISTRY_PATH = Path(__file__).with_name("norms.json")
# Ministry codes of ``dm.<code>`` ids and the URN:NIR authority of each ministry.
MINISTRY_URN = {
    "mlps": "ministero.lavoro.politiche.sociali",
    "salute": "ministero.salute",
    "mef": "ministero.economia.finanze",
    "mim": "ministero.istruzione",
    "interno": "ministero.interno",
    "giustizia": "ministero.giustizia",
    "grazia.giustizia": "ministero.grazia.giustizia",
    "finanze": "ministero.finanze",
    "tesoro": "ministero.tesoro",
    "lavori.pubblici": "ministero.lavori.pubblici",
    "mica": "ministero.industria.commercio.artigianato",
    "mipaf": "ministero.politiche.agricole.forestali",
    "universita": "ministero.universita.ricerca",
    "ambiente": "ministero.ambiente",
    "mise": "ministero.sviluppo.economico",
    "mit": "ministero.infrastrutture.trasporti",
    "cultura": "ministero.cultura",
    "difesa": "ministero.difesa",
    "esteri": "ministero.affari.esteri",
    "famiglia": "ministro.famiglia",
    "disabilita": "ministro.disabilita",
}
ALIAS_MODES = ("text", "article", "lookup")


@dataclass(frozen=True)
class Alias:
    alias: str
    match: str = "text"


@dataclass(frozen=True)
class Norm:
    """One known act. ``norm_id`` is its canonical identity (the gold ``normalized_id`` scheme)."""

    norm_id: str
    act_type: str
    authority: str
    year: int | None
    number: str | None
    date: str | None
    title: str | None
    legislature: str | None = None
    ministry: str | None = None
    urn: str | None = None
    aliases: tuple[Alias, ...] = ()
    amends: tuple[str, ...] = ()

    @property
    def nir_urn(self) -> str:
        """The act's URN:NIR: ``urn:nir:<authority>:<act_type>:<date or year>[;<number>]``.

        Deliberations carry the legislature in the number (``;XI-4563``); ministerial decrees name
        the ministry as authority; codes and the Constitution use the registry's ``urn``.
        """
        if self.urn:
            return self.urn
        authority = self.authority
        if self.act_type == "decreto" and authority == "stato":
            authority = MINISTRY_URN.get(self.ministry or "", "ministero")
        when = self.date or (str(self.year) if self.year else "")
        num = self.number or ""
        if self.act_type.startswith("deliberazione.") and self.legislature and num:
            num = f"{self.legislature}-{num}"
        return f"urn:nir:{authority}:{self.act_type}:{when}" + (f";{num}" if num else "")


def alias_key(text: str) -> str:
    """Normalise an alias for lookup: accents folded, lowercase, punctuation and spaces squeezed."""
    t = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[\s\W_]+", " ", t).strip()


@dataclass
class Registry:
    """Known acts indexed by id, by (family, year, number), by (family, legislature, number), by alias."""

    norms: dict[str, Norm] = field(default_factory=dict)
    by_alias: dict[str, str] = field(default_factory=dict)
    cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)  # derived data (compiled patterns)

    def get(self, norm_id: str) -> Norm | None:
        """The act with this id, or None."""
        return self.norms.get(norm_id)

    def by_alias_text(self, text: str) -> Norm | None:
        """The act an alias names ("TUEL", "legge quadro"), whatever its match mode, or None."""
        nid = self.by_alias.get(alias_key(text))
        return self.norms.get(nid) if nid else None

    def aliases(self, modes: tuple[str, ...] = ("text", "article")) -> list[tuple[Alias, Norm]]:
        """All aliases in the given match modes with their act, longest alias first."""
        out = [(a, n) for n in self.norms.values() for a in n.aliases if a.match in modes]
        return sorted(out, key=lambda p: -len(p[0].alias))

    def find(self, family: str, number: str, year: int | None = None) -> list[Norm]:
        """Acts of an id family ("legge", "lr.lombardia", "dgr.lombardia") with this number (and year)."""
        out = []
        for n in self.norms.values():
            if n.norm_id.split(":", 1)[0] != family or n.number != number:
                continue
            if year is None or n.year == year:
                out.append(n)
        return out

    def find_dgr(self, family: str, legislature: str, number: str) -> Norm | None:
        """A deliberation by legislature and number (numbers restart with each legislature)."""
        hits = [n for n in self.find(family, number) if n.legislature == legislature]
        return hits[0] if len(hits) == 1 else None

    def amendments(self) -> list[tuple[str, str]]:
        """Registry-declared (amending act, amended act) pairs."""
        return [(n.norm_id, dst) for n in self.norms.values() for dst in n.amends]


def _parse_norm(row: dict, path: Path) -> Norm:
    try:
        aliases = []
        for a in row.get("aliases") or []:
            mode = a.get("match", "text")
            if mode not in ALIAS_MODES:
                raise VocabularyError(f"{path}: alias {a.get('alias')!r} has match {mode!r}; use one of {ALIAS_MODES}")
            aliases.append(Alias(alias=a["alias"], match=mode))
        return Norm(
            norm_id=row["norm_id"],
            act_type=row["act_type"],
            authority=row["authority"],
            year=row.get("year"),
            number=None if row.get("number") is None else str(row["number"]),
            date=row.get("date"),
            title=row.get("title"),
            legislature=row.get("legislature"),
            ministry=row.get("ministry"),
            urn=row.get("urn"),
            aliases=tuple(aliases),
            amends=tuple(row.get("amends") or ()),
        )
    except KeyError as exc:
        raise VocabularyError(f"{path}: a norm lacks the field {exc}; every norm needs norm_id, act_type, authority") from exc


def load_registry(path: Path | None = None) -> Registry:
    """Load the registry of known acts.

    Args:
        path: a JSON file with a ``norms`` list; default ``ontology/norms.json``.

    Raises:
        VocabularyError: the file is missing, is not JSON, or a record lacks a required field or
            repeats an id or an alias of another act.
    """
    if path is None:
        return _default_registry()
    return _load(path)


@lru_cache(maxsize=1)
def _default_registry() -> Registry:
    return _load(REGISTRY_PATH)


def _load(path: Path) -> Registry:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise VocabularyError(f"{path}: norm registry not found; restore ontology/norms.json") from exc
    except json.JSONDecodeError as exc:
        raise VocabularyError(f"{path}: not valid JSON ({exc})") from exc
    reg = Registry()
    for row in data.get("norms", []):
        norm = _parse_norm(row, path)
        if norm.norm_id in reg.norms:
            raise VocabularyError(f"{path}: norm_id {norm.norm_id!r} appears twice")
        reg.norms[norm.norm_id] = norm
        for a in norm.aliases:
            key = alias_key(a.alias)
            if reg.by_alias.get(key, norm.norm_id) != norm.norm_id:
                raise VocabularyError(f"{path}: alias {a.alias!r} names two acts ({reg.by_alias[key]}, {norm.norm_id})")
            reg.by_alias[key] = norm.norm_id
    for src, dst in reg.amendments():
        if dst not in reg.norms:
            raise VocabularyError(f"{path}: {src} amends unknown act {dst!r}; add it to the registry")
    return reg
