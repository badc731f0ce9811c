"""Ranking pieces of the hybrid index: fielded BM25 text, exact identifiers, fusion, relevance floor, duplicates.

What is indexed for a chunk is its repaired text (``Chunk.clean_text``) with its context, the
document title, the Ambito and the section path, prepended (``context_line``); what is shown and
cited stays the raw slice. Three things lift a passage beyond BM25 and dense similarity:

- a norm the query names (any written form: ``norm:<id>`` tokens);
- a service or governance body the query names, as the SKOS vocabularies spell them
  (``ontology/vocabularies.ttl`` via ``ontology.vocab``: altLabels folded, acronyms exact);
- the document's Ambito, when the query names it (any alias the document gives it).

Dense and BM25 meet in ``convex_fusion`` (0.7 of the min-max normalised cosine, 0.3 of BM25 over
its maximum); the norm and Ambito lifts (``lift``) are added in the same 0..1 units.

``relevance`` puts a query-passage pair on one 0..1 scale (share of the query's IDF mass the
passage holds, the e5 cosine rescaled, or 1 for an exact identifier); below ``RELEVANCE_FLOOR``
a passage is not returned, so a query about nothing in the corpus ("teletrasporto") gets ``[]``:
the UI's "nessun risultato" (``is_relevant``).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ontology.vocab import fold as vocab_fold
from ontology.vocab import load_vocab
from search.text import NORM_PREFIX, analyze, fold, words

# -- fields ---------------------------------------------------------------------------------------
SECTION_WEIGHT = 1  # the section path joins the BM25 text once (a heading says what the passage is about)
TITLE_WEIGHT = 1  # the document title and Ambito once
CONTEXT_MAX = 240  # characters of context prepended to what is embedded
REPEATED_LINE_MIN = 4  # a short line seen this often in one document is a running header or table header
REPEATED_LINE_MAX_CHARS = 80

# -- relevance ------------------------------------------------------------------------------------
RELEVANCE_FLOOR = 0.35
DENSE_LOW, DENSE_HIGH = 0.83, 0.90  # e5 cosine mapped linearly onto 0..1 between these
LEXICAL_SHARE = 0.5  # weight of lexical coverage against dense similarity in the relevance blend
LEXICAL_FLOOR = 0.2  # the query coverage that alone (BM25 mode) reaches the floor

# -- fusion ---------------------------------------------------------------------------------------
DENSE_SHARE = 0.7  # weight of the normalised e5 cosine in the convex fusion (BM25 gets the rest)
NORM_LIFT = 0.5  # what the first passage citing a norm the query names gains (see ``lift``)
AMBITO_LIFT = 0.5  # what the first passage of the Ambito the query names gains
LIFT_DECAY = 60  # rank damping of a lift: the r-th lifted passage gains LIFT * (D + 1) / (D + r)

# -- duplicates -----------------------------------------------------------------------------------
DUPLICATE_CONTAINMENT = 0.8  # share of the smaller passage's word trigrams the other holds
SHINGLE = 3


def is_relevant(hit: Any) -> bool:
    """Whether a search hit (or a bare relevance value) clears the relevance floor.

    The index never returns a passage below the floor; the UI uses this to say "nessun risultato"
    for the same reason the index says nothing. A hit without a relevance (from an older server)
    is taken as relevant: the index that returned it applied its own floor.

    Args:
        hit: a ``SearchHit`` (its ``relevance``) or a number.
    """
    value = hit if isinstance(hit, (int, float)) else getattr(hit, "relevance", None)
    return value is None or value >= RELEVANCE_FLOOR


def context_parts(title: str | None, ambito: str | None, section: Sequence[str]) -> list[str]:
    """Document title, Ambito and section path without repeats (folded containment), outermost first."""
    parts: list[str] = []
    for p in [title, ambito, *section]:
        p = " ".join((p or "").replace("*", " ").replace("#", " ").split())
        if not p:
            continue
        f = fold(p)
        if any(f in fold(q) for q in parts):
            continue
        parts = [q for q in parts if fold(q) not in f] + [p]
    return parts


def context_line(title: str | None, ambito: str | None, section: Sequence[str]) -> str:
    """The context prepended to a chunk's text for embedding: ``title · Ambito · a > b > c``.

    The innermost section titles are kept when the line would exceed CONTEXT_MAX characters.
    """
    parts = context_parts(title, ambito, section)
    head = [p for p in parts[:2] if p not in section]
    path = [p for p in parts if p not in head]
    while path and len(" · ".join(head + [" > ".join(path)])) > CONTEXT_MAX:
        path = path[1:]
    line = " · ".join(head + ([" > ".join(path)] if path else []))
    return line[:CONTEXT_MAX]


def repeated_lines(text: str) -> set[str]:
    """Folded short lines seen at least REPEATED_LINE_MIN times in a document (running headers,
    repeated table headers): kept in what is shown, left out of what is indexed."""
    counts = Counter(
        fold(" ".join(ln.split()))
        for ln in text.splitlines()
        if 0 < len(ln.strip()) <= REPEATED_LINE_MAX_CHARS
    )
    return {ln for ln, n in counts.items() if n >= REPEATED_LINE_MIN and len(words(ln)) >= 1}


def body_text(clean_text: str, repeated: set[str]) -> str:
    """A chunk's repaired text without the document's repeated lines."""
    if not repeated:
        return clean_text
    return "\n".join(ln for ln in clean_text.splitlines() if fold(" ".join(ln.split())) not in repeated)


def field_tokens(body: str, norms: Iterable[str], context: Sequence[str], title: Sequence[str]) -> list[str]:
    """BM25 tokens: the body (with norm tokens), the section path SECTION_WEIGHT times, the title once."""
    toks = analyze(body, norms)
    sec = analyze(" ".join(context))
    head = analyze(" ".join(title))
    return toks + sec * SECTION_WEIGHT + head * TITLE_WEIGHT


# a contents line: a title, then a tab, dot leaders or a run of spaces, then its page number
_CONTENTS_LINE = re.compile(r"^(?=[^\t]*[^\W\d_]{3})[^\t]+?(?:\t|\.{3,}|…+|_{3,}| {3,})\s*(\d{1,3})\s*$")
CONTENTS_MIN_LINES = 4
CONTENTS_HEADING_MAX = 80  # a shorter line that is not a contents line is a heading
CONTENTS_PROSE_MAX = 100


def is_contents(text: str) -> bool:
    """Whether a passage is a table of contents: at least CONTENTS_MIN_LINES lines are titles ending
    in a page number, the page numbers never go down, and besides them and short headings the
    passage says nothing (under CONTENTS_PROSE_MAX characters of longer lines). It says what the
    document holds, not what it says about anything, so it is ranked after every other passage."""
    pages, prose = [], 0
    for ln in (ln.strip() for ln in text.splitlines()):
        m = _CONTENTS_LINE.match(ln)
        if m:
            pages.append(int(m.group(1)))
        elif len(ln) > CONTENTS_HEADING_MAX:
            prose += len(ln)
    return len(pages) >= CONTENTS_MIN_LINES and prose < CONTENTS_PROSE_MAX and pages == sorted(pages)


# -- exact identifiers ----------------------------------------------------------------------------
@functools.cache
def _matchers():
    vocab = load_vocab()
    return vocab.matcher("services"), vocab.matcher("bodies")


def concepts_in(text: str) -> set[str]:
    """Keys of the services and governance bodies a text names (``svc:pua``, ``body:ufficio_di_piano``)."""
    services, bodies = _matchers()
    folded = vocab_fold(text)
    out = {"svc:" + c.key for _, _, c in services.finditer(text, folded)}
    out.update("body:" + c.key for _, _, c in bodies.finditer(text, folded))
    return out


def concept_expansion(query: str, tokens: Iterable[str]) -> list[str]:
    """BM25 tokens of the other labels of the services and governance bodies a query names, as
    the vocabularies spell them (``PUA`` -> punto, unic, access; ``Punto Unico di Accesso`` -> pua),
    minus the query's own tokens: a passage that writes the name another way still matches."""
    services, bodies = _matchers()
    folded = vocab_fold(query)
    seen, out = set(tokens), []
    for matcher in (services, bodies):
        for _, _, c in matcher.finditer(query, folded):
            for label in (c.pref, *c.alt, *c.hidden):  # hidden labels are the acronyms
                for t in analyze(label):
                    if t not in seen:
                        seen.add(t)
                        out.append(t)
    return out


def service_keys(value: str) -> set[str]:
    """Service concept keys a filter value names: a notation (``pua``) or any label of it."""
    services, _ = _matchers()
    keys = {"svc:" + c.key for _, _, c in services.finditer(value)}
    v = fold(value.strip()).replace(" ", "_")
    for c in load_vocab().scheme("services"):
        if v in (c.key, fold(c.pref).replace(" ", "_")):
            keys.add("svc:" + c.key)
    return keys


# the generic head of an Ambito's name: "Ambito (territoriale) (distrettuale) di", "Distretto (Sociale) (di)"
_GENERIC_HEAD = re.compile(r"^(?:(?:ambito|distretto|territoriale|distrettuale|sociale|zona|sociosanitario)\s+)+(?:(?:di|del|dell'|della)\s*)?")


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """A folded, word-bounded pattern matching any of ``names`` (for an Ambito's aliases in a query)."""
    usable = [" ".join(fold(n).split()) for n in names if n and len(n.strip()) >= 3]
    usable += [_GENERIC_HEAD.sub("", n) for n in usable]  # "Distretto Sociale Sud Est Milano" -> "sud est milano"
    usable = [n for n in usable if len(n) >= 3]
    usable = [n for n in usable if len(n.split()[-1]) >= 2]  # "Ambito l" (a clipped elision) names nothing
    alts = sorted({re.escape(n) for n in usable}, key=len, reverse=True)
    if not alts:
        return None
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alts) + r")(?![a-z0-9])")


# -- lexical postings -----------------------------------------------------------------------------
class Postings:
    """Which chunks hold each term, and its IDF: the query-coverage half of the relevance floor."""

    def __init__(self, token_lists: Sequence[Sequence[str]]) -> None:
        n = len(token_lists)
        rows: dict[str, list[int]] = {}
        for i, toks in enumerate(token_lists):
            for t in set(toks):
                rows.setdefault(t, []).append(i)
        self.n = n
        self.rows = {t: np.asarray(r, dtype=np.int64) for t, r in rows.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5) if n else 1.0

    def idf(self, term: str) -> float:
        df = self.rows[term].size if term in self.rows else 0
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def coverage(self, terms: Iterable[str]) -> np.ndarray:
        """Per chunk, the share of the query terms' IDF mass it holds (0..1)."""
        terms = [t for t in dict.fromkeys(terms) if not t.startswith(NORM_PREFIX)]
        out = np.zeros(self.n, dtype=np.float64)
        known = [self.idf(t) for t in terms if t in self.rows]
        # a word the corpus never uses weighs as much as the query's average known word: it says
        # the passage lacks something, not that the query is about nothing here
        unknown = sum(known) / len(known) if known else self.unknown_idf
        total = 0.0
        for t in terms:
            w = self.idf(t) if t in self.rows else unknown
            total += w
            if t in self.rows:
                out[self.rows[t]] += w
        return out / total if total else out


def dense_relevance(cosine: np.ndarray) -> np.ndarray:
    """e5 cosine rescaled to 0..1 between DENSE_LOW and DENSE_HIGH."""
    return np.clip((cosine - DENSE_LOW) / (DENSE_HIGH - DENSE_LOW), 0.0, 1.0)


def passage_relevance(coverage: np.ndarray, dense: np.ndarray | None, exact: np.ndarray) -> np.ndarray:
    """One 0..1 relevance per passage: 1 when it holds an identifier the query names exactly (a
    norm, a rare service or body), else a blend of lexical coverage and rescaled dense similarity (coverage alone in BM25 mode).

    Args:
        coverage: ``Postings.coverage`` of the query.
        dense: ``dense_relevance`` of the e5 cosines, or None without a dense side.
        exact: passages citing a norm, or naming a service or body, the query names.
    """
    lexical = np.clip(coverage * (RELEVANCE_FLOOR / LEXICAL_FLOOR), 0.0, 1.0)  # LEXICAL_FLOOR of coverage sits at the floor
    rel = lexical if dense is None else LEXICAL_SHARE * lexical + (1 - LEXICAL_SHARE) * dense
    return np.where(exact, 1.0, rel)


# -- fusion ---------------------------------------------------------------------------------------
def min_max(scores: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    """Scores rescaled to 0..1 by their minimum and maximum (over ``present`` rows; the others get 0)."""
    x = scores.astype(np.float64)
    if present is not None and not present.all():
        if not present.any():
            return np.zeros_like(x)
        lo, hi = x[present].min(), x[present].max()
        return np.where(present, np.clip((x - lo) / (hi - lo), 0.0, 1.0) if hi > lo else 1.0, 0.0)
    if x.size == 0:
        return x
    lo, hi = x.min(), x.max()
    return (x - lo) / (hi - lo) if hi > lo else np.ones_like(x)


def convex_fusion(dense: np.ndarray, bm25: np.ndarray, present: np.ndarray | None = None,
                  dense_share: float = DENSE_SHARE) -> np.ndarray:
    """Hybrid score: a convex combination of min-max normalised e5 cosines and BM25 scores (0..1).

    Unlike reciprocal rank fusion it keeps how far ahead a passage is on one side: a passage first
    by a wide BM25 margin is not overtaken by one ranked twentieth by both (Bruch et al., "An
    Analysis of Fusion Functions for Hybrid Retrieval", ACM TOIS 2023). BM25 is scaled by its
    maximum (0 stays "no query word"), the cosine by its range over the passages that have a vector.

    Args:
        dense: e5 cosines of the query with each passage.
        bm25: BM25 scores (0 for a passage without any query word).
        present: which passages have a vector (the others get no dense part).
        dense_share: weight of the dense side, in 0..1.
    """
    b = bm25.astype(np.float64)
    top = b.max() if b.size else 0.0
    nb = b / top if top > 0 else np.zeros_like(b)
    nb = np.clip(nb, 0.0, 1.0)
    return dense_share * min_max(dense, present) + (1.0 - dense_share) * nb


def lift(ranks: np.ndarray, amount: float, decay: int = LIFT_DECAY) -> np.ndarray:
    """What a passage gains from a ranking of its own (the passages citing the asked norm ordered by
    BM25, those of the named Ambito by their fused score): ``amount`` for the first, slowly less after,
    as a reciprocal-rank term scaled so that rank 1 gets exactly ``amount``.

    Args:
        ranks: 1-based ranks of the passages in that ranking.
        amount: the gain of the first.
        decay: the reciprocal-rank constant (60, as in reciprocal rank fusion).
    """
    return amount * (decay + 1) / (decay + ranks)


def ranks_within(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """1-based ranks of the rows in ``mask`` among themselves (higher score first, ties in row order);
    the other rows get 0. Sorts only those rows, not the whole corpus."""
    ranks = np.zeros(scores.size, dtype=np.float64)
    rows = np.flatnonzero(mask)
    ranks[rows[np.argsort(-scores[rows], kind="stable")]] = np.arange(1, rows.size + 1)
    return ranks


def top_rows(scores: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` best of ``rows`` (ascending row numbers), higher score first and ties in row order,
    exactly as a stable sort of all of them would give, without sorting more than the tied best."""
    if n <= 0 or rows.size == 0:
        return rows[:0]
    if rows.size > n:
        values = scores[rows]
        nth = np.partition(values, rows.size - n)[rows.size - n]  # the n-th largest
        rows = rows[values >= nth]
    return rows[np.argsort(-scores[rows], kind="stable")][:n]


# -- duplicates -----------------------------------------------------------------------------------
def shingles(text: str) -> frozenset[int]:
    """Hashes of the folded word trigrams of a text (for near-duplicate passages)."""
    ws = [fold(w) for w in words(text)]
    if len(ws) < SHINGLE:
        return frozenset({hash(" ".join(ws))}) if ws else frozenset()
    return frozenset(hash(" ".join(ws[i : i + SHINGLE])) for i in range(len(ws) - SHINGLE + 1))


def near_duplicate(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether the smaller of two shingle sets is mostly inside the other."""
    if not a or not b:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & big) >= DUPLICATE_CONTAINMENT * len(small)
