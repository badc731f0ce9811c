"""Issue 17 (scale): a document's replace and removal touch only what it wrote, yet leave the graph
exactly as a fresh ingest of the remaining documents; the name catalog follows every write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg import queries as Q
from kg.catalog import WordIndex
from ontology.vocab import words_key
from kg.comuni import ComuneNotFound, find_comune
from kg.ingest import ingest_file
from kg.profiles import AmbitoNotFound, ambito_profile, find_ambito
from kg.store import GraphStore
from kg.stories import find_entities, list_ambiti, norm_trace

PLAN_V1 = """PIANO DI ZONA 2021-2023
AMBITO TERRITORIALE DI CANTÙ

L'Ambito territoriale di Cantù comprende i Comuni di Cantù, Capiago Intimiano, Cucciago,
Figino Serenza e Novedrate (capofila: Comune di Cantù).

Ai sensi della L.R. n. 3 del 2008 e della legge 8 novembre 2000, n. 328, l'Assemblea dei Sindaci
dell'Ambito approva il Piano di Zona. Il Servizio di Assistenza Domiciliare (SAD) è attivo.
"""

PLAN_V2 = """Piano di Zona 2024–2026 — Ambito territoriale di Cantù

L'Ambito comprende i comuni di Cantù, Capiago Intimiano, Figino Serenza e Novedrate.

Richiamata la l.r. 3/2008, l'Assemblea dei Sindaci approva il Piano; è in corso di progettazione
l'Agenzia dell'Abitare, ai sensi della Legge n. 112/2016 (Dopo di noi).
"""

ACCORDO = """Accordo di Programma per l'attuazione del Piano di Zona 2021/2023
Distretto di Mariano Comense

I Comuni di Mariano Comense, Cabiate, Carugo e Arosio, ai sensi della L.R. 3/2008, sottoscrivono
l'Accordo. Il distretto confina con l'Ambito territoriale di Cantù. Il Segretariato Sociale è attivo.
"""

VOLATILE = {"ingested_at", "revision"}


def snapshot(store: GraphStore) -> tuple[set, set]:
    """Every node and edge with its properties (write stamps left out), comparable across stores."""

    def frozen(props: dict[str, Any]) -> tuple:
        return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in (props or {}).items()
                            if k not in VOLATILE))

    nodes = {(r["label"], frozen(r["props"])) for r in store.read(Q.EXPORT_NODES)}
    edges = {(r["type"], r["src"], r["dst"], frozen(r["props"])) for r in store.read(Q.EXPORT_EDGES)}
    return nodes, edges


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def ingest(store: GraphStore, path: Path) -> str:
    result = ingest_file(path, store)
    assert result.status.value == "ok", result.error
    return result.doc_id


def history(store: GraphStore, folder: Path) -> tuple[Path, str]:
    """Add a plan and an accordo, rewrite the plan, remove the accordo; returns the plan's path and doc id."""
    folder.mkdir(parents=True, exist_ok=True)
    plan = write(folder / "cantu_pdz.txt", PLAN_V1)
    ingest(store, plan)
    other = ingest(store, write(folder / "mariano_adp.md", ACCORDO))
    write(plan, PLAN_V2)
    doc = ingest(store, plan)
    store.delete_document(other)
    return plan, doc


def test_replace_and_remove_equal_a_fresh_ingest(store: GraphStore, tmp_path: Path) -> None:
    plan, _ = history(store, tmp_path / "a")
    after = snapshot(store)
    names = {dict(p).get("name") for _, p in after[0]}
    assert "Cucciago" not in names and "Cabiate" not in names  # dropped by the rewrite, and by the removal
    assert "Capiago Intimiano" in names
    store.delete_all()
    ingest(store, plan)  # the same file, into an empty graph
    assert after == snapshot(store)


def test_documents_written_before_the_shared_list_are_replaced_by_a_scan(store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "legacy"
    folder.mkdir()
    plan = write(folder / "cantu_pdz.txt", PLAN_V1)
    ingest(store, plan)
    other = ingest(store, write(folder / "mariano_adp.md", ACCORDO))
    store.execute("MATCH (d:Document) REMOVE d.shared")  # as a store of the previous release holds them
    write(plan, PLAN_V2)
    ingest(store, plan)
    store.delete_document(other)
    legacy = snapshot(store)
    store.delete_all()
    ingest(store, plan)
    assert legacy == snapshot(store)


def test_catalog_follows_every_write(store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    plan = write(folder / "cantu_pdz.txt", PLAN_V1)
    ingest(store, plan)
    assert find_comune(store, "CUCCIAGO")
    assert any(m.name == "Cucciago" for m in find_entities(store, "cucciago"))
    with pytest.raises(AmbitoNotFound):
        find_ambito(store, "Mariano Comense")
    other = ingest(store, write(folder / "mariano_adp.md", ACCORDO))
    aid = find_ambito(store, "distretto di mariano comense")
    assert ambito_profile(store, aid).id == aid
    assert aid in {a.id for a in list_ambiti(store)}
    write(plan, PLAN_V2)
    ingest(store, plan)
    with pytest.raises(ComuneNotFound):
        find_comune(store, "Cucciago")
    assert not any(m.name == "Cucciago" for m in find_entities(store, "cucciago"))
    store.delete_document(other)
    with pytest.raises(AmbitoNotFound):
        find_ambito(store, "Mariano Comense")
    assert not find_entities(store, "Cabiate")


NAMES = ["Ufficio di Piano", "Ufficio di Piano di Zona Oglio Po", "Assemblea dei Sindaci", "Oglio Po",
         "Piano di Zona Oglio Po", "Sud Est Milano", "Agenzia dell'Abitare", "Sant'Angelo Lodigiano",
         "SERVIZIO TUTELA MINORI", "Tavolo tecnico", "Città Metropolitana di Milano", "ATS Val Padana"]


@pytest.mark.parametrize("phrase", ["ufficio di piano", "ufficio di pia", "oglio", "oglio po", "piano", "po",
                                    "sant angelo", "tutela minori", "minori tutela", "milano", "zona oglio",
                                    "agenzia dell abitare", "ats", "x"])
def test_word_index_keeps_every_row_a_phrase_can_match(phrase: str) -> None:
    keys = [words_key(n) for n in NAMES]
    index = WordIndex([k] for k in keys)
    words = phrase.split()
    could = {i for i, k in enumerate(keys)
             if phrase == k or k.startswith(phrase) or f" {phrase}" in f" {k}" or all(w in k.split() for w in words)}
    got = index.candidates(phrase)
    assert could <= got
    assert all(all(any(kw.startswith(w) for kw in keys[i].split()) for w in words) for i in got)


def test_norm_trace_context_kept_at_ingest_equals_the_chunk_reading(store: GraphStore, tmp_path: Path) -> None:
    ingest(store, write(tmp_path / "cantu_pdz.txt", PLAN_V1))
    kept = norm_trace(store, "L.R. 3/2008")
    assert kept.citations and all(c.context for c in kept.citations)
    store.execute("MATCH ()-[c:CITES]->() REMOVE c.context")  # edges written before the context was kept
    assert norm_trace(store, "L.R. 3/2008") == kept
