"""Issue 13, dev3 q-set: Ambito names, member lists and health agencies in the typography of minutes,
flattened web tables and pages of other regions.

Every input is written here (none is a line of a corpus, evaluation or dev text). The behaviours:
- coordinated Ambito names ("del Gemonese e del Canal del Ferro") stay whole, in capitals too; an
  address ("Via ...") or a table's column word ("PRESENTE") ends or makes no name; a numbered
  "Distretto socio-sanitario n. 12" is named by its number;
- the comuni of a roll call are members: "Comuni presenti:", an attendance table flattened to one line
  (representative, role and presence mark between the comuni), the rows after "si è riunito il
  Coordinamento ... risultano presenti:"; a sentence about who attended a meeting is no list;
- a list goes on over a short group heading ("AREA NORD"), not over a heading that names another Ambito;
- the capofila named before "comprende n. 4 comuni:" with three listed is the fourth member;
- a comune written as people write it: the preposition elided ("Castello d'Annone"), two words as one
  ("Caprileone"), "S." and a dropped "di" ("S. Agata Militello"), a head shared with another region's
  comune ("Calliano" in Piemonte), a head shared inside the region resolved by the list's province
  ("San Damiano" among comuni of Asti), a dash list with deleted slots ("A – – B");
- capitalised names keep connectors and elisions in lower case when title-cased ("Castiglione d'Adda").
"""

from __future__ import annotations

import pytest

from ingest.entities_ambito import choose, find_mentions
from ingest.entities_common import smart_title
from ingest.entities_comuni import find_enumerations
from ingest.eval_facts import ambito_core, predicted_facts
from ingest.model import Document
from ingest.pipeline import analyse


def read(raw: str, name: str = "t.txt") -> Document:
    return analyse(Document(id=f"doc:{name}", source=name, sha256="x", mimetype="text/plain", size=len(raw),
                            raw_text=raw, text=raw))


def members(raw: str) -> set[str]:
    """ISTAT names of the comuni read as members."""
    return {names[0] for names, *_ in predicted_facts(read(raw))["comuni"]}


def member_lists(text: str, region: str) -> list[list[str]]:
    return [[x.rec.name for x in en.items] for en in find_enumerations(text, region) if en.member]


def ambito_cores(raw: str) -> set[str]:
    return {ambito_core(n) for names, *_ in predicted_facts(read(raw))["ambito"] for n in names}


# -- Ambito names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,core", [
    ("Verbale dell'Assemblea dei Sindaci dell'Ambito territoriale del Cividalese e delle Valli del Natisone.\n"
     "L'Ambito territoriale del Cividalese e delle Valli del Natisone ha approvato il bilancio.",
     "cividaleseedellevallidelnatisone"),
    ("AMBITO TERRITORIALE DEL CIVIDALESE E DELLE VALLI DEL NATISONE\nSeduta del 3 marzo 2020",
     "cividaleseedellevallidelnatisone"),
    ("AMBITO DISTRETTUALE VALLE ALTA E BASSA VAL CHIUSA\nPiano di Zona 2021-2023", "vallealtaebassavalchiusa"),
])
def test_a_coordinated_name_stays_whole(text, core):
    assert core in ambito_cores(text)


def test_an_address_ends_the_name():
    ms = find_mentions("Ambito Valle Seriana Via Roma 3 - Albino (BG)", "lombardia")
    assert [m.name for m in ms] == ["Valle Seriana"]


def test_a_table_column_word_is_no_ambito():
    text = "COMUNI DELL'AMBITO TERRITORIALE PRESENTE/ASSENTE SINDACO\nCodroipo Rossi Mario PRESENTE"
    assert not [m for m in find_mentions(text, "friuli-venezia-giulia") if "presente" in m.key]


@pytest.mark.parametrize("text", [
    "Il Distretto socio-sanitario n. 12 comprende i comuni di Trapani, Erice e Paceco.",
    "DISTRETTO SOCIO SANITARIO N. 12 - Comune capofila Trapani",
])
def test_a_numbered_distretto_is_named_by_its_number(text):
    assert [m.name for m in find_mentions(text, "sicilia")] == ["n. 12"]


# -- roll calls -------------------------------------------------------------------------------------------

def test_comuni_present_and_absent_are_members():
    text = ("Assemblea dei Sindaci del 4 aprile 2019.\n\nComuni presenti: Codroipo, Varmo, , Sedegliano.\n\n"
            "Comuni assenti: Camino al Tagliamento, Bertiolo.")
    assert {"Codroipo", "Varmo", "Sedegliano", "Camino al Tagliamento", "Bertiolo"} <= members(text)


def test_a_flattened_attendance_table():
    text = ("Si è riunita l'Assemblea dei Sindaci alla presenza dei rappresentanti sotto elencati:\n\n"
            "COMUNI DELL'AMBITO SINDACO PRESENTE/ASSENTE Codroipo Rossi Mario PRESENTE Varmo Bianchi Anna ASSENTE "
            "Sedegliano Verdi Luca Di Giusto PRESENTE\n\nLa seduta è valida.")
    assert member_lists(text, "friuli-venezia-giulia") == [["Codroipo", "Varmo", "Sedegliano"]]


def test_numbered_rows_after_the_roll_call_of_a_body():
    text = ("Il giorno 5 maggio 2018 si è riunito il Coordinamento Istituzionale dell'Ambito Territoriale BA/9, "
            "giusta convocazione n. 1234 del 2/5/2018, e risultano presenti:\n\n"
            "1) Comune di Conversano Presidente Mario Rossi X 2) Comune di Monopoli Componente Anna Bianchi – Assessore X "
            "3) Comune di Polignano a Mare Componente Luca Verdi X 4) ASL BA Componente Dott. Neri X")
    assert {"Conversano", "Monopoli", "Polignano a Mare"} <= members(text)


def test_who_attended_a_meeting_in_prose_is_no_list():
    text = ("Al convegno sulla disabilità erano presenti il sindaco di Monopoli, quello di Conversano e numerosi "
            "cittadini. Il Comune di Polignano a Mare ha inviato un messaggio.")
    assert member_lists(text, "puglia") == []


# -- lists over a group heading ----------------------------------------------------------------------------

def test_a_list_goes_on_over_a_group_heading():
    text = ("L'Ambito è costituito dai seguenti 6 Comuni:\nAREA NORD\nCodroipo, Varmo, Sedegliano.\n"
            "AREA SUD\nBertiolo, Talmassons, Lestizza.\n")
    assert {"Codroipo", "Varmo", "Sedegliano", "Bertiolo", "Talmassons", "Lestizza"} <= members(text)


def test_a_heading_naming_another_ambito_starts_another_list():
    text = ("L'Ambito di Codroipo comprende i comuni di Codroipo, Varmo e Sedegliano.\nAmbito di Latisana\n"
            "Lignano Sabbiadoro, Rivignano Teor, Palazzolo dello Stella.\n")
    region = "friuli-venezia-giulia"
    cands = choose(text, find_mentions(text, region), find_enumerations(text, region))
    lists = {c.key: [[x.rec.name for x in en.items] for en in c.enumerations] for c in cands}
    assert lists["codroipo"] == [["Codroipo", "Varmo", "Sedegliano"]]  # the second list does not go on the first
    assert lists["latisana"] == [["Lignano Sabbiadoro", "Rivignano Teor", "Palazzolo dello Stella"]]


# -- the capofila counted ----------------------------------------------------------------------------------

def test_the_capofila_before_the_count_is_a_member():
    text = ("Il Comune di Castelvetrano è capofila del Distretto socio-sanitario n. 54, comprende n. 4 comuni: "
            "Campobello di Mazara, Partanna, Salaparuta.")
    lists = member_lists(text, "sicilia")
    assert lists == [["Castelvetrano", "Campobello di Mazara", "Partanna", "Salaparuta"]]


def test_a_capofila_is_not_added_when_the_count_is_met():
    text = ("Il Comune di Castelvetrano è capofila del Distretto socio-sanitario n. 54, comprende n. 3 comuni: "
            "Campobello di Mazara, Partanna, Salaparuta.")
    assert member_lists(text, "sicilia") == [["Campobello di Mazara", "Partanna", "Salaparuta"]]


# -- comuni as people write them ----------------------------------------------------------------------------

@pytest.mark.parametrize("text,region,expected", [
    ("Aderiscono al consorzio i Comuni di Castello d'Annone, Rocca d'Arazzo e Azzano d'Asti.", "piemonte",
     {"Castello di Annone", "Rocca d'Arazzo", "Azzano d'Asti"}),
    ("Fanno parte del distretto i comuni di Caprileone, Torrenova e Naso.", "sicilia", {"Capri Leone", "Torrenova", "Naso"}),
    ("Il distretto comprende i comuni di Acquedolci, S. Agata Militello e Caronia.", "sicilia",
     {"Acquedolci", "Sant'Agata di Militello", "Caronia"}),
    ("Convenzione tra i Comuni di: FERRERE – CALLIANO – – MONTIGLIO – GRAZZANO BADOGLIO – CHIUSANO – .", "piemonte",
     {"Ferrere", "Calliano Monferrato", "Montiglio Monferrato", "Chiusano d'Asti"}),
    ("Convenzione tra i Comuni di: ANTIGNANO – FERRERE – – SAN DAMIANO – – VIALE – VILLAFRANCA – .", "piemonte",
     {"Antignano", "Ferrere", "San Damiano d'Asti", "Viale", "Villafranca d'Asti"}),
])
def test_comuni_as_written(text, region, expected):
    got = {x for lst in member_lists(text, region) for x in lst}
    assert expected <= got


def test_a_head_shared_with_another_region_keeps_its_own_region():
    text = "Fanno parte della Comunità i comuni di Calliano, Volano e Besenello."
    assert {"Calliano", "Volano", "Besenello"} <= {x for lst in member_lists(text, "trentino-alto-adige") for x in lst}


def test_a_shared_head_without_the_list_province_stays_unresolved():
    # two comuni of Piemonte begin with "Villafranca": alone, the slot names no comune
    got = {x for lst in member_lists("Aderiscono i Comuni di Villafranca, Ferrere e Cisterna d'Asti.", "piemonte") for x in lst}
    assert not any(x.startswith("Villafranca") for x in got)


# -- title case -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("caps,title", [
    ("GEMONESE E DEL CANAL DEL FERRO-VAL CANALE", "Gemonese e del Canal del Ferro-Val Canale"),
    ("CASTIGLIONE D'ADDA", "Castiglione d'Adda"),
    ("SANT'ANGELO LODIGIANO", "Sant'Angelo Lodigiano"),
    ("PIANO DI ZONA DELL'AMBITO DI LECCO", "Piano di Zona dell'Ambito di Lecco"),
])
def test_title_case_of_capitalised_names(caps, title):
    assert smart_title(caps) == title
