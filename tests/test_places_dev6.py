"""Issue 13, dev6p: health agencies, Ambiti and member comuni in texts that name them in passing (news,
minutes of a Comitato or Assemblea dei Sindaci, conventions) of Lombardy, Piemonte, Veneto, Toscana,
Sicilia and Lazio.

Every input is written here (none is a line of a corpus, evaluation or dev text). The behaviours:
- an ASL, AUSL or ULSS named by its number alone is a health agency ("all'Asl 3, per il subentro",
  "l'ULSS 6 di Vicenza" resolved or kept as written), an ATS so numbered is not (in Liguria and Sardinia
  "ATS 1" is an Ambito Territoriale Sociale), nor a page number of an index ("ASL 12 O Consultori");
- an ASL glued to its province's code ("ASLTO3", "ASLCN2") is the Ministry's ASL;
- an elided article after the acronym, with either apostrophe, opens the agency's name ("ATS dell’Insubria",
  "ATS dell'Insubria");
- the acronym inside a long form is one agency, not a second ("AZIENDA ULSS N.7" is not also "ULSS N.7");
- a health agency's district named after the agency ("Distretto sanitario dell'ASL TO4") names no Ambito,
  while a district named after a place does ("Distretto Sociale di Asola");
- the comuni of an attendance table of the Ambito's assembly are members, with marks and roles in lower
  case ("Comune di X Sindaco N. N. presente", "assessore con delega"), under a roll call announced as
  "i rappresentanti dei Comuni come sotto indicati", and rows whose comune a mirror deleted do not break the table;
- a capoluogo and a number in words or digits name a numbered Ambito ("AMBITO TERRITORIALE SALERNO
  OTTO", "Ambito Caserta 4"), and vote the capoluogo's region; a comune followed by other words is cut to it;
- "Area distrettuale di X" names an Ambito's district like "Distretto di X"; "nell'area distrettuale di
  competenza" names none;
- a list of mayors, each after the comune ("il sindaco di A N. N., il sindaco di B N. N., di C N. N. e di D")
  is one list, its comuni members when they sign the Ambito's convention, not when they attend a feast;
- people each with the comune they represent in brackets ("A. Rossi (Viadana), L. Bianchi (Sabbioneta)") are
  one list; parties in brackets make none;
- a stated count equal to the list makes members only where an association of comuni is named around it ("il
  piano ... dell'azienda consortile dei quattro Comuni: A, B, C e D"), not in a report of elections ("nel caso
  dei quattro Comuni di A, B, C e D si torna al voto");
- a list right after a plural head names Ambiti, not members ("in collaborazione con gli Ambiti di A, B e C");
- an avviso of the ente capofila: "ente capofila Comune di X" makes X a member, with or without "il"; a comune next
  to a point of the compass ("Brescia Ovest", "Sud Est Milano") is part of an area's name, not a comune.
"""

from __future__ import annotations

import pytest

from ingest.eval_facts import agency_core, ambito_core, predicted_facts
from tests.fixtures_ingest import read_text as read


def agencies(raw: str) -> set[str]:
    return {agency_core(n) for names, *_ in predicted_facts(read(raw))["ats_asst"] for n in names[:1]}


def agency_names(raw: str) -> list[list[str]]:
    return [names for names, *_ in predicted_facts(read(raw))["ats_asst"]]


def members(raw: str) -> set[str]:
    return {names[0] for names, *_ in predicted_facts(read(raw))["comuni"]}


def ambito_cores(raw: str) -> set[str]:
    return {ambito_core(n) for names, *_ in predicted_facts(read(raw))["ambito"] for n in names}


@pytest.mark.parametrize("text,core", [
    ("La Conferenza dei Sindaci ha trasmesso la delibera all’Asl 3, per il subentro nelle funzioni sociali.", "3"),
    ("Il piano è stato concordato con l'ULSS 6 e approvato dai sindaci del distretto.", "6"),
    ("Presente il direttore della AUSL 12; la seduta è aperta.", "12"),
    ("Il comitato dei sindaci, sentita l'Ulss n. 4, approva il piano di zona.", "n4"),
])
def test_an_asl_named_by_its_number_alone_is_a_health_agency(text, core):
    assert core in agencies(text)


@pytest.mark.parametrize("text", [
    "L'Ambito Territoriale Sociale ATS 1 approva il piano di zona dei comuni della riviera.",
    "Indice: Servizi territoriali 11 O ASL 12 O Consultori familiari 13 O Centro Diurno 14",
    "Nel 2019 la ASL ha approvato 2022 progetti.",
])
def test_no_agency_from_an_ats_number_an_index_or_a_year(text):
    assert not agency_names(text)


@pytest.mark.parametrize("text,core", [
    ("Il Distretto di Ivrea dell'ASLTO4 coordina l'integrazione sociosanitaria.", "to4"),
    ("Gli operatori dell’ ASLCN2 incontrano il consorzio di Alba.", "cn2"),
])
def test_an_asl_glued_to_its_province_code(text, core):
    assert core in agencies(text)


@pytest.mark.parametrize("text", [
    "L'Accordo è sottoscritto con ATS dell’Insubria e con ASST Sette Laghi.",
    "L'Accordo è sottoscritto con ATS dell'Insubria e con ASST Sette Laghi.",
])
def test_an_elided_article_opens_the_agency_name(text):
    assert "insubria" in agencies(text)


def test_the_acronym_inside_a_long_form_is_the_same_agency():
    names = agency_names("PIANO DI ZONA DELL’AZIENDA ULSS N.7 - manuale per i comuni")
    assert len(names) == 1, names


@pytest.mark.parametrize("text,expected", [
    ("Il Distretto sanitario dell'ASL TO4 e i comuni del canavese.", set()),
    ("Il distretto della ASST di Crema convoca i sindaci.", set()),
    ("Il Distretto Sanitario dell’ ASLCN2 e il consorzio di Alba.", set()),
    ("Il Distretto Sociale di Asola approva il piano di zona.", {"asola"}),
])
def test_a_health_agencys_district_names_no_ambito(text, expected):
    assert ambito_cores(text) == expected


ROLL_CALL = ("Si è riunita l’Assemblea dei Sindaci dell’ambito territoriale “Riviera”, nella persona dei rappresentanti dei "
             "Comuni come sotto indicati:\n"
             "Comune di Lignano Sabbiadoro Sindaco Anna Rossi presente Comune di Latisana assessore con delega permanente Luca Bianchi "
             "presente Comune di Palazzolo dello Stella Sindaco Marco Verdi assente Comune di Precenicco vicesindaco Sara Neri presente")


def test_an_attendance_table_with_lower_case_marks_lists_members():
    assert {"Lignano Sabbiadoro", "Latisana", "Palazzolo dello Stella", "Precenicco"} <= members(ROLL_CALL)


def test_the_same_comuni_in_a_sentence_about_a_beach_are_no_members():
    text = ("Le spiagge di Lignano Sabbiadoro, affollate in agosto, e il porto di Latisana presente nelle guide "
            "attirano turisti da Precenicco.")
    assert not members(text)


def test_mayors_after_their_comuni_who_sign_the_convention_are_members():
    text = ("Alla Conferenza dei Sindaci del distretto socio-sanitario, la sindaca di Fondi Maria Rossi, il sindaco di Terracina "
            "Paolo Bianchi, di Sperlonga Carlo Verdi e di Monte San Biagio hanno firmato la convenzione per la gestione "
            "associata dei servizi sociali.")
    assert {"Fondi", "Terracina", "Sperlonga", "Monte San Biagio"} <= members(text)


def test_mayors_at_a_feast_are_no_members():
    text = ("Alla sagra c'erano il sindaco di Fondi Maria Rossi, il sindaco di Terracina Paolo Bianchi e di Sperlonga "
            "Carlo Verdi, con molti cittadini.")
    assert not members(text)


def test_people_with_their_comune_in_brackets_are_one_list():
    text = ("Il consiglio di amministrazione è nominato dai sindaci dei quattro Comuni soci dell'azienda consortile: "
            "Anna Rossi (Viadana), Luca Bianchi (Sabbioneta), Carla Verdi (Pomponesco) e Marco Neri (Dosolo).")
    assert {"Viadana", "Sabbioneta", "Pomponesco", "Dosolo"} <= members(text)


def test_parties_in_brackets_make_no_list():
    text = ("Alla riunione sul traffico hanno parlato Anna Rossi (Lega), Luca Bianchi (Pd) e Carla Verdi (civica), "
            "consiglieri di Viadana.")
    assert not members(text)


@pytest.mark.parametrize("text,core", [
    ("PIANO SOCIALE DI ZONA AMBITO TERRITORIALE SALERNO OTTO\n\nRelazione sociale annuale", "salernootto"),
    ("Il Coordinamento Istituzionale dell'Ambito Caserta 4 approva il piano.", "caserta4"),
])
def test_a_capoluogo_and_a_number_name_a_numbered_ambito(text, core):
    assert core in ambito_cores(text)


def test_a_numbered_ambito_votes_its_capoluogos_region():
    assert read("PIANO SOCIALE DI ZONA AMBITO TERRITORIALE SALERNO OTTO\n\nRelazione sociale annuale").region == "campania"


@pytest.mark.parametrize("text,expected", [
    ("AREA DISTRETTUALE DI GAVIRATE\n\nPiano di Zona 2015/2017", {"gavirate"}),
    ("L'Area distrettuale di Luino comprende i comuni di Agra, Dumenza e Maccagno.", {"luino"}),
    ("Nell'area distrettuale di competenza i servizi sono erogati dai comuni.", set()),
])
def test_area_distrettuale_names_a_district(text, expected):
    cores = ambito_cores(text)
    assert expected <= cores and bool(cores) == bool(expected), cores


def test_a_count_in_a_report_of_elections_makes_no_members():
    text = ("Alle urne anche la bassa valle: nel caso dei quattro Comuni di Brembate, Capriate San Gervasio, Filago e "
            "Madone si torna al voto dopo il commissariamento.")
    assert not members(text)


def test_a_count_with_an_association_named_makes_members():
    text = ("Il piano di zona è gestito dall'azienda consortile dei quattro Comuni: Brembate, Capriate San Gervasio, "
            "Filago e Madone.")
    assert {"Brembate", "Capriate San Gervasio", "Filago", "Madone"} <= members(text)


def test_a_list_after_a_plural_head_names_ambiti_not_members():
    text = ("L'azienda lavora con i sei Comuni dell'Ambito del Viadanese e in collaborazione con gli Ambiti di Mantova, "
            "Suzzara e Ostiglia per il progetto.")
    assert not {"Mantova", "Suzzara", "Ostiglia"} & members(text)


def test_a_count_does_not_undo_an_agreement_of_another_sector():
    text = ("Proseguono gli incontri nei quattro comuni dell'Unione. La proposta di Piano Urbanistico Generale redatto in "
            "forma intercomunale (Comuni di Campogalliano, Carpi, Novi di Modena e Soliera) è depositata presso l'ufficio.")
    assert not members(text)


def test_rows_whose_comune_a_mirror_deleted_do_not_break_an_attendance_table():
    text = ("Si è riunita l’Assemblea dei Sindaci dell’ambito territoriale “Riviera”, nella persona dei rappresentanti dei "
            "Comuni come sotto indicati:\nComune di Lignano Sabbiadoro Sindaco Anna Rossi presente Comune di Sindaco Piero Bassi "
            "assente Comune di Vicesindaco Nino Alti presente Comune di Sindaco Lea Conti presente Comune di Sindaco Ugo Serra "
            "presente Comune di Assessore Rita Gallo presente Comune di Sindaco Ivo Longo presente Comune di Latisana Sindaco "
            "Luca Bianchi presente Comune di Precenicco vicesindaco Sara Neri presente")
    assert {"Lignano Sabbiadoro", "Latisana", "Precenicco"} <= members(text)


def test_an_avviso_of_the_ente_capofila_lists_the_ambitos_comuni():
    text = ("Avviso pubblico dell'Ambito Territoriale n. 2 Brescia Ovest - ente capofila Comune di Gussago - per i comuni di "
            "Castegnato, Cellatica, Ome e Roncadelle: contributi per l'affitto.")
    got = members(text)
    assert {"Gussago", "Castegnato", "Cellatica", "Ome", "Roncadelle"} <= got
    assert "Brescia" not in got  # "Brescia Ovest" names the Ambito, not the comune


def test_a_point_of_the_compass_makes_the_comune_part_of_an_areas_name():
    text = "Il Distretto Sociale Sud Est Milano comprende i comuni di Carpiano, Cerro al Lambro e San Giuliano Milanese."
    got = members(text)
    assert {"Carpiano", "Cerro al Lambro", "San Giuliano Milanese"} <= got and "Milano" not in got
