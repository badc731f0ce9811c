"""Whose list of comuni it is: the Ambito's members, or the territory of another ente (a health agency, a
union of comuni, a park) or the parties of an agreement of another field (land-use planning)."""

from __future__ import annotations

import pytest

from ingest.eval_facts import predicted_facts
from tests.fixtures_ingest import read_text as read


def members(text: str) -> set[str]:
    return {names[0] for names, *_ in predicted_facts(read(text))["comuni"]}


LIST = "Abbiategrasso, Albairate, Bubbiano, Calvignasco, Cisliano e Gaggiano"
SIX = {"Abbiategrasso", "Albairate", "Bubbiano", "Calvignasco", "Cisliano", "Gaggiano"}


@pytest.mark.parametrize("text", [
    f"La Conferenza dei Sindaci è composta dai Sindaci dei 6 Comuni compresi nel territorio dell'ASST Ovest Milanese: {LIST}.",
    f"LA CONFERENZA DEI SINDACI è composta dai sindaci dei comuni afferenti all’ATS della Città Metropolitana: {LIST}.",
    f"L'Ente Parco del Ticino, al quale aderiscono sei Comuni ({LIST}), ha approvato il bilancio.",
    f"L'Unione dei Comuni del Sud Ovest, formata dai Comuni di {LIST}, ha eletto il presidente.",
    f"Il Piano Urbanistico Generale redatto in forma intercomunale (Comuni di {LIST}) è depositato presso l'Ufficio di Piano.",
])
def test_the_list_of_another_ente_or_field_is_no_ambito_membership(text):
    assert members(text) == set()


@pytest.mark.parametrize("text", [
    f"I Comuni dell'Ambito territoriale di Abbiategrasso, compresi nel territorio dell'ATS Città Metropolitana, sono: {LIST}.",
    f"La Comunità Montana, ente capofila dell'Ambito, comprende i Comuni di {LIST}.",
    f"Il Piano di Zona redatto in forma associata (Comuni di {LIST}) è approvato dall'Assemblea dei Sindaci.",
    f"L'Ambito di Abbiategrasso è composto dall'Unione dei Comuni del Sud Ovest e dai Comuni di {LIST}.",
])
def test_the_ambito_list_stays_its_membership(text):
    assert members(text) == SIX
