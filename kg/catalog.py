"""Name lookups without a scan per question: the names of the graph's entities, read once per graph revision.

Finding an entity by a name as people write it ("ufficio di piano", "Oglio Po", "SAN ZENONE AL
LAMBRO") means comparing folded word forms, which no property index answers. ``Catalog`` reads the
names of each named label once, keeps them with their folded keys and a word index (word -> rows),
and is reused while the graph's revision is unchanged: ``GraphStore.revision()`` (the number of
Documents and the newest write stamp, one small read) changes with every document written or removed,
by any process. So a lookup costs one revision read plus work on the rows that share its words.
"""

from __future__ import annotations

import bisect
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from kg.store import GraphStore


class WordIndex:
    """Rows by the words of their keys; ``candidates`` narrows a phrase to the rows that can match it."""

    def __init__(self, keys_by_row: Iterable[Iterable[str]]):
        self.rows_by_word: dict[str, set[int]] = {}
        for i, keys in enumerate(keys_by_row):
            for k in keys:
                for w in k.split():
                    self.rows_by_word.setdefault(w, set()).add(i)
        self.vocabulary = sorted(self.rows_by_word)

    def with_prefix(self, prefix: str) -> set[int]:
        out: set[int] = set()
        i = bisect.bisect_left(self.vocabulary, prefix)
        while i < len(self.vocabulary) and self.vocabulary[i].startswith(prefix):
            out |= self.rows_by_word[self.vocabulary[i]]
            i += 1
        return out

    def candidates(self, phrase: str) -> set[int]:
        """Rows with a key holding every word of ``phrase`` (the last one possibly as a word's prefix)."""
        words = phrase.split()
        if not words:
            return set()
        sets = [self.rows_by_word.get(w, set()) for w in words[:-1]] + [self.with_prefix(words[-1])]
        sets.sort(key=len)
        out = set(sets[0])
        for s in sets[1:]:
            out &= s
            if not out:
                break
        return out


class Catalog:
    """Per-store cache of derived lookup tables, rebuilt when the graph's revision changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision: Hashable = None
        self._tables: dict[str, Any] = {}

    def table(self, store: GraphStore, name: str, build: Callable[[GraphStore], Any]) -> Any:
        """The table ``name`` for the store's current revision (built by ``build(store)`` when missing)."""
        revision = store.revision()
        with self._lock:
            if revision != self._revision:
                self._revision, self._tables = revision, {}
            if name in self._tables:
                return self._tables[name]
        value = build(store)  # outside the lock: a slow build does not stall the other tables
        with self._lock:
            if revision == self._revision:
                self._tables[name] = value
        return value


_CATALOGS: weakref.WeakKeyDictionary[GraphStore, Catalog] = weakref.WeakKeyDictionary()
_CATALOGS_LOCK = threading.Lock()


def catalog(store: GraphStore) -> Catalog:
    """The catalog of one open store."""
    with _CATALOGS_LOCK:
        cat = _CATALOGS.get(store)
        if cat is None:
            cat = _CATALOGS[store] = Catalog()
        return cat
