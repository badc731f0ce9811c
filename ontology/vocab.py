"""The SKOS vocabularies of ``ontology/vocabularies.ttl``, read once and cached.

This module is the only door to the term lists: extractors ask it for a scheme's concepts or a
compiled matcher; nothing in Python repeats a term.

Matching is case- and accent-insensitive on word boundaries for ``skos:altLabel``
and case-sensitive for ``skos:hiddenLabel`` (acronyms). Text is folded with ``fold``, which keeps
every character in place, so a match's offsets are offsets into the original string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ontology.errors import VocabularyError

ONTOLOGY_DIR = Path(__file__).resolve().parent
VOCAB_FILE = ONTOLOGY_DIR / "vocabularies.ttl"
ONTOLOGY_FILE = ONTOLOGY_DIR / "pdz.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

PDZ = "https://w3id.org/pdz/ontology#"
PDZV = "https://w3id.org/pdz/vocab/"
DATA = "https://w3id.org/pdz/id/"

SCHEMES = {
    "bodies": "governance-bodies",
    "services": "services",
    "statuses": "statuses",
    "networks": "networks",
    "areas_2021": "macro-areas-2021-2023",
    "areas_2025": "macro-areas-2025-2027",
    "leps": "leps",
    "orgs": "org-aliases",
}

_FOLD = {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u2013": "-", "\u2014": "-", "\u00a0": " "}


_TABLE: dict[int, str] = {}
_KNOWN: set[str] = set()


def _fold_char(ch: str) -> str:
    if ch in _FOLD:
        return _FOLD[ch]
    low = ch.lower()
    if ord(ch) < 128:
        return low
    base = unicodedata.normalize("NFKD", ch)[:1].lower()
    if len(base) == 1:
        return base
    return low if len(low) == 1 else ch


def fold(text: str) -> str:
    """Lower-case and strip accents one character at a time (the result has the same length).

    Args:
        text: any string.
    """
    new = set(text) - _KNOWN
    if new:
        for ch in new:
            _TABLE[ord(ch)] = _fold_char(ch)
        _KNOWN.update(new)
    return text.translate(_TABLE)


_WORDS = re.compile(r"[a-z0-9]+")


def words_key(text: str | None) -> str:
    """Folded, punctuation-free, single-spaced words: the key that compares names as people write them
    ("SAN ZENONE AL LAMBRO", "San Zenone al Lambro", "Vizzolo-Predabissi").

    Args:
        text: any string (None reads as empty).
    """
    return " ".join(_WORDS.findall(fold(text or "")))


def slug(text: str) -> str:
    """A deterministic id fragment: folded, non-alphanumerics collapsed to single dashes.

    Args:
        text: a name.
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@dataclass(frozen=True)
class Concept:
    key: str
    iri: str
    scheme: str
    pref: str
    alt: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    level: str | None = None
    also_network: bool = False
    qualified_by: bool = False
    broader: str | None = None
    definition: str | None = None
    source: str | None = None  # dct:source: the norm, official list or general grammar the term comes from
    category: str | None = None  # pdz:category: the coarse type (gold types of services and bodies)


@dataclass
class Matcher:
    """Find a scheme's concepts in text; ``finditer`` yields (start, end, concept), longest first."""

    folded: re.Pattern[str] | None
    exact: re.Pattern[str] | None
    by_surface: dict[str, Concept] = field(default_factory=dict)
    by_exact: dict[str, Concept] = field(default_factory=dict)
    by_stem: dict[str, Concept] = field(default_factory=dict)  # inflection-free key -> concept (unambiguous ones)

    def finditer(self, text: str, folded: str | None = None):
        """Yield (start, end, concept) for every non-overlapping match in ``text``.

        Args:
            text: the original text.
            folded: ``fold(text)`` when the caller already has it.
        """
        hits: list[tuple[int, int, Concept]] = []
        if self.folded is not None:
            f = folded if folded is not None else fold(text)
            for m in self.folded.finditer(f):
                c = self.by_surface.get(_surface_key(m.group(0))) or self.by_stem.get(_stem_key(m.group(0)))
                if c is not None:
                    hits.append((m.start(), m.end(), c))
        if self.exact is not None:
            for m in self.exact.finditer(text):
                c = self.by_exact.get(m.group(0))
                if c is not None:
                    hits.append((m.start(), m.end(), c))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        last = -1
        for s, e, c in hits:
            if s >= last:
                yield s, e, c
                last = e


def _surface_key(s: str) -> str:
    return re.sub(r"[\s'\-]+", " ", fold(s)).strip()


# Italian participles and adjectives of state agree in gender and number on their final vowel ("attivato"
# / "attivate", "concluso" / "conclusi", "attivo" / "attive"): such a label word matches with any final
# vowel - a general rule of Italian morphology.
def _stem(word: str) -> str:
    """A participle or adjective of state without its final vowel ("attivat", "conclus", "attiv")."""
    return word[:-1] if len(word) >= 5 and re.search(r"(?:at|it|ut|iv|us|olt|ost)[aeio]$", word) else word


def _stem_key(s: str) -> str:
    return " ".join(_stem(w) for w in re.split(r"[\s'\-]+", fold(s).strip()) if w)


# Inflection is read for the status cues ("attivate", "avviati", "conclusa" for the participle written in
# the term): names of services and bodies keep the number they are written in, a plural there names
# a family of services more often than the Ambito's own ("i Consultori dell'ASST").
INFLECTED_SCHEMES = frozenset({"statuses"})


def _label_regex(label: str, inflect: bool = False) -> str:
    parts = []
    for p in re.split(r"[\s'\-]+", fold(label).strip()):
        if p:
            parts.append(re.escape(_stem(p)) + r"[aeio]?" if inflect and _stem(p) != p else re.escape(p))
    return r"[\s'\-]*".join(parts)


class Vocab:
    """All concepts of the vocabulary file, by scheme."""

    def __init__(self, concepts: list[Concept]):
        self.concepts = concepts
        self._by_scheme: dict[str, list[Concept]] = {}
        for c in concepts:
            self._by_scheme.setdefault(c.scheme, []).append(c)
        self._matchers: dict[str, Matcher] = {}

    def scheme(self, name: str) -> list[Concept]:
        """Concepts of a scheme, by short name ("bodies", "services", ...) or scheme local name.

        Raises:
            VocabularyError: no such scheme in the vocabulary file.
        """
        local = SCHEMES.get(name, name)
        if local not in self._by_scheme:
            raise VocabularyError(f"scheme {name!r} not found in {VOCAB_FILE.name}")
        return self._by_scheme[local]

    def concept(self, scheme: str, key: str) -> Concept:
        """One concept by scheme and notation.

        Raises:
            VocabularyError: unknown key.
        """
        for c in self.scheme(scheme):
            if c.key == key:
                return c
        raise VocabularyError(f"no concept {key!r} in scheme {scheme!r}")

    def matcher(self, name: str) -> Matcher:
        """A compiled matcher over the labels of a scheme (cached)."""
        if name in self._matchers:
            return self._matchers[name]
        by_surface: dict[str, Concept] = {}
        by_exact: dict[str, Concept] = {}
        stems: dict[str, dict[str, Concept]] = {}
        for c in self.scheme(name):
            for lab in c.alt:  # prefLabels are display names; repeat them as altLabels to match them
                by_surface.setdefault(_surface_key(lab), c)
                stems.setdefault(_stem_key(lab), {}).setdefault(c.key, c)
            for lab in c.hidden:
                by_exact.setdefault(lab, c)
        # an inflected form two concepts share ("realizzare" / "realizzato" do not: the vowel is not final)
        # only matches as written
        inflect = SCHEMES.get(name, name) in {SCHEMES.get(x, x) for x in INFLECTED_SCHEMES}
        by_stem = {k: next(iter(cs.values())) for k, cs in stems.items() if len(cs) == 1} if inflect else {}
        folded = None
        if by_surface:
            alts = sorted({_label_regex(s, inflect) for s in by_surface}, key=len, reverse=True)
            folded = re.compile(r"(?<![a-z0-9])(?:" + "|".join(alts) + r")(?![a-z0-9])")
        exact = None
        if by_exact:
            alts = sorted((re.escape(s) for s in by_exact), key=len, reverse=True)
            exact = re.compile(r"(?<![A-Za-z0-9.])(?:" + "|".join(alts) + r")(?![A-Za-z0-9])")
        m = Matcher(folded, exact, by_surface, by_exact, by_stem)
        self._matchers[name] = m
        return m


@lru_cache(maxsize=4)
def load_vocab(path: Path = VOCAB_FILE) -> Vocab:
    """Parse the SKOS file into concepts (cached per path).

    Raises:
        VocabularyError: the file is missing or is not valid Turtle.
    """
    import rdflib
    from rdflib.namespace import DCTERMS as DCT
    from rdflib.namespace import RDF, SKOS

    if not path.is_file():
        raise VocabularyError(f"vocabulary file not found: {path}")
    g = rdflib.Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # noqa: BLE001 - rdflib raises many parser types
        raise VocabularyError(f"{path.name} is not valid Turtle: {exc}") from exc
    pdz = rdflib.Namespace(PDZ)
    concepts: list[Concept] = []
    for s in sorted(set(g.subjects(RDF.type, SKOS.Concept)), key=str):
        notation = g.value(s, SKOS.notation)
        if notation is None:
            raise VocabularyError(f"{path.name}: concept {s} has no skos:notation")
        pref = g.value(s, SKOS.prefLabel)
        schemes = sorted(str(x).removeprefix(PDZV) for x in g.objects(s, SKOS.inScheme))
        broader = g.value(s, SKOS.broader)
        for scheme in schemes:
            concepts.append(
                Concept(
                    key=str(notation),
                    iri=str(s),
                    scheme=scheme,
                    pref=str(pref) if pref else str(notation),
                    alt=tuple(sorted(str(x) for x in g.objects(s, SKOS.altLabel))),
                    hidden=tuple(sorted(str(x) for x in g.objects(s, SKOS.hiddenLabel))),
                    level=str(g.value(s, pdz.level)) if g.value(s, pdz.level) else None,
                    also_network=bool(g.value(s, pdz.alsoNetwork) and g.value(s, pdz.alsoNetwork).toPython()),
                    qualified_by=bool(g.value(s, pdz.qualifiedBy) and g.value(s, pdz.qualifiedBy).toPython()),
                    broader=str(broader) if broader else None,
                    definition=str(g.value(s, SKOS.definition)) if g.value(s, SKOS.definition) else None,
                    source="; ".join(sorted(str(x) for x in g.objects(s, DCT.source))) or None,
                    category=str(g.value(s, pdz.category)) if g.value(s, pdz.category) else None,
                )
            )
    return Vocab(concepts)
