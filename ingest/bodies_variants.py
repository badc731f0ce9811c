"""Readings of a governance body's term in the other forms Italian writes it: with any form of the preposition "di"
("Ufficio del Piano" for "Ufficio di Piano"), with its head in the other number ("i Tavoli Tecnici") and with a doubled
letter of its head written once ("ASSEMBLE DEI SINDACI"). Each reading keeps the offsets of the text, so a hit is a span
of the text as it is."""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from ontology.vocab import Vocab, fold, load_vocab


# Italian fuses "di" with the definite article (preposizione articolata: del, dello, della, dell', dei, degli,
# delle) and elides it before a vowel (d'): the complement of an organ's name takes the article or not as the
# writer pleases - "Ufficio di Piano" / "Ufficio del Piano", "Assemblea di Distretto" / "Assemblea del
# Distretto", "Tavolo d'area" / "Tavolo di area", "Conferenza dei servizi" / "Conferenza di servizi". A body
# term is also read with any form of "di" where the term has one: in the folded text and in the terms, each
# form is written as the one letter "d" padded with spaces (same offsets), and a term so read is kept only
# when that reading names one concept alone ("Tavolo della Rete" and "Tavolo di rete" are two).
CONNECTIVE_RE = re.compile(r"(?<![a-z0-9'])(?:dell'|d'|(?:di|del|dello|della|dei|degli|delle)(?=[\s]))")


def connective_view(folded: str) -> str:
    """``folded`` with every form of the preposition "di" written "d" and padded with spaces (same length)."""
    return CONNECTIVE_RE.sub(lambda m: "d" + " " * (len(m.group()) - 1), folded)


# The head of an organ's name - the noun and the adjectives before its complement - is written in the singular
# or in the plural ("il Tavolo Tecnico" / "i tavoli tecnici d'ambito", "la Cabina di Regia" / "le cabine di
# regia", "il Collegio di Vigilanza" / "i collegi di vigilanza"): Italian plural endings (-o, -e > -i; -io > -i;
# -a > -e; -ca, -ga > -che, -ghe); a loanword (équipe, forum) does not inflect. A term read in the other number
# names an organ only capitalised ("i Tavoli Tecnici"): in lower case the plural is prose, the meetings held.
INVARIABLE = frozenset({"equipe", "forum", "staff"})
HEAD_STOP = frozenset({"d", "di", "del", "dello", "della", "dell", "dei", "degli", "delle", "per", "con", "tra", "fra", "a", "al", "alla",
                       "ai", "in", "nel", "nella", "e", "ed", "sul", "sulla"})


def _plural(word: str) -> str:
    if len(word) < 3 or not word.isalpha() or word in INVARIABLE:
        return word
    if word.endswith("io"):
        return word[:-1]
    if word.endswith(("ca", "ga")):
        return word[:-1] + "he"
    if word.endswith("a"):
        return word[:-1] + "e"
    if word.endswith(("o", "e")):
        return word[:-1] + "i"
    return word


SINGULAR_RE = re.compile(r"(?:[^i]o|io|a|(?:ent|ant|al|il|or|on)e)$")


def plural_head(label: str) -> str:
    """A folded term with the words of its head (before the first preposition) in the plural; the term itself
    when its head noun is not a singular of the regular classes ("Assemblee", "Cabine", "Assise" are plurals)."""
    words, out, head = label.split(), [], True
    if not words or not SINGULAR_RE.search(words[0]) or words[0] in INVARIABLE:
        return label
    for w in words:
        if w in HEAD_STOP:
            head = False
        out.append(_plural(w) if head else w)
    return " ".join(out)


def _variant_key(label: str) -> str:
    return " ".join(connective_view(label).split())


@lru_cache(maxsize=2)
def _variant_matcher(inflected: bool):
    """A matcher of the body terms read with any form of "di" ("d"), in the number they are written in or (with
    ``inflected``) with their head in the other number; over the readings that name one concept alone."""
    vocab = load_vocab()
    readings: dict[str, set[str]] = {}
    by_concept: dict[str, set[str]] = {}
    for c in vocab.scheme("bodies"):
        for lab in c.alt:
            f = " ".join(connective_view(fold(lab)).split())
            for k in {f, _variant_key(plural_head(f))}:
                readings.setdefault(k, set()).add(c.key)
                by_concept.setdefault(c.key, set()).add((k, k != f))
    concepts = []
    for c in vocab.scheme("bodies"):
        labs = sorted({k for k, infl in by_concept.get(c.key, ()) if len(readings[k]) == 1 and infl == inflected})
        if labs:
            concepts.append(dataclasses.replace(c, alt=tuple(labs), hidden=()))
    return Vocab(concepts).matcher("bodies")


def with_connective_hits(hits: list, text: str, folded: str) -> list:
    """``hits`` and the hits of body terms read with another form of "di" than the term's, then those read with their
    head in the other number (see ``_variant_matcher``) where the text capitalises them: such a hit is kept where it
    overlaps no hit, or where it holds the hits it overlaps and is longer ("l'Assemblea dei Sindaci dello Ambito" over
    "Assemblea dei Sindaci")."""
    view = connective_view(folded)
    vocab = load_vocab()
    out = list(hits)
    for inflected in (False, True):
        for s, e, c in _variant_matcher(inflected).finditer(view, view):
            if inflected and not text[s].isupper():
                continue  # "i tavoli tecnici per tutte le AS": a plural in lower case is prose (meetings), a name is capitalised
            over = [h for h in out if h[0] < e and s < h[1]]
            if all(s <= a and b <= e and b - a < e - s for a, b, _ in over):
                out = [h for h in out if h not in over] + [(s, e, vocab.concept("bodies", c.key))]
    return sorted(out, key=lambda h: h[0])


# A doubled letter written once (scempiamento, a common misspelling of Italian and a typist's slip): "le ASSEMBLE DEI
# SINDACI" for "Assemblee", "il Colegio di vigilanza". The head word of a term (six letters or more, where the doubles
# are) is also read with each double single; the rest of the term must be as written, and the hit capitalised (a
# name). Such a hit is named by the term.
DOUBLE_RE = re.compile(r"([a-z])\1")


def _single_regex(reading: str) -> str | None:
    words = reading.split(" ")
    if len(words) < 2 or len(words[0]) < 6 or not DOUBLE_RE.search(words[0]):
        return None
    head = "".join(re.escape(ch) + ("?" if i and words[0][i - 1] == ch else "") for i, ch in enumerate(words[0]))
    return head + r"[ \t]+" + r"[ \t]+".join(re.escape(w) for w in words[1:])


@lru_cache(maxsize=1)
def _single_patterns() -> tuple[tuple[re.Pattern[str], object], ...]:
    vocab = load_vocab()
    out = []
    for c in vocab.scheme("bodies"):
        alts = set()
        for lab in c.alt:
            f = " ".join(connective_view(fold(lab)).split())
            for reading in {f, _variant_key(plural_head(f))}:
                rx = _single_regex(reading)
                if rx:
                    alts.add(rx)
        if alts:
            out.append((re.compile(r"(?<![a-z0-9])(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")(?![a-z0-9])"), c))
    return tuple(out)


def single_letter_hits(hits: list, text: str, folded: str) -> list:
    """Hits of body terms read with a doubled letter of their head written once (see above) that overlap none of
    ``hits``; spans in ``text``."""
    view = connective_view(folded)
    out: list = []
    for rx, c in _single_patterns():
        for m in rx.finditer(view):
            s, e = m.span()
            if not text[s].isupper() or any(a < e and s < b for a, b, _ in [*hits, *out]):
                continue
            out.append((s, e, c))
    return sorted(out, key=lambda h: h[0])
