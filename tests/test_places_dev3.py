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
- capitalised names keep connectors and elisions in lower case when title-cased ("Castiglione d'Adda");
- a health authority of another region named by its number is kept ("Azienda Sanitaria Provinciale 4",
  "Azienda per l'Assistenza Sanitaria n. 3 "Alto Friuli""), an unnumbered unknown one is not;
- a territory named by a comune's adjective ("Pianura Bresciana", "i Comuni del Vimercatese") votes for
  the comune's region;
- a Tuscan zona-distretto is an Ambito where the text makes it one ("la Conferenza dei Sindaci della Zona
  Pisana"), not any capitalised "Zona"; districts coded by a province's sigla ("i distretti di RM 4.1 e
  RM 4.2") are Ambiti, the second named with the first covered too;
- fake bold (every character doubled by PDF extraction) is halved before extraction;
- Sardinia's Plus names its district ("Plus delle Baronie", "PLUS (Piano locale unitario dei servizi)
  Ogliastra"), an English "plus" does not; a head broken over two lines of a cover ("AMBITO TERRITORIALE\n
  SOCIALE di X") still names the Ambito; comuni after an Ambito's number ("Ambito nr. 4 – A – B") are
  its list, not its name;
- a comune coordinated with the count of the others ("dal Comune di X e da nove comuni (A, B, ...)") is a
  member; an ASL written with its old number ("ASL/BR1") keeps it in its written form.
"""

from __future__ import annotations

import pytest

from ingest.entities_ambito import choose, find_mentions
from ingest.entities_common import smart_title
from ingest.repair import repair
from ingest.entities_comuni import find_enumerations
from ingest.eval_facts import agency_core, ambito_core, predicted_facts
from ingest.pipeline import parse
from tests.fixtures_ingest import read_text as read


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
    ("Il distretto comprende i Comuni di Aragona, Ioppolo, Favara e Raffadali.", "sicilia", {"Aragona", "Joppolo Giancaxio", "Favara", "Raffadali"}),
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


# -- health authorities of other regions ---------------------------------------------------------------------

def agencies(raw: str) -> set[str]:
    return {names[0] for names, *_ in predicted_facts(read(raw))["ats_asst"]}


def agency_forms(raw: str) -> set[str]:
    """Every written form of the agencies read (names and aliases)."""
    return {n for names, *_ in predicted_facts(read(raw))["ats_asst"] for n in names}


@pytest.mark.parametrize("text,name", [
    ("Il Distretto socio-sanitario n. 9 è costituito dai comuni di Caltagirone, Grammichele e Mineo e dall'Azienda "
     "Sanitaria Provinciale 3.", "Azienda Sanitaria Provinciale 3"),
    ("Partecipa in rappresentanza dell'Azienda per l'Assistenza Sanitaria n. 3 “Alto Friuli” il direttore dei "
     "servizi sociosanitari.", "Azienda per l'Assistenza Sanitaria n. 3 “Alto Friuli”"),
    ("I comuni hanno delegato la gestione all'Azienda Sanitaria Regionale U.S.L. N. 7 fino al 1996.",
     "Azienda Sanitaria Regionale U.S.L. N. 7"),
])
def test_a_numbered_health_authority_is_kept(text, name):
    assert agency_core(name) in {agency_core(a) for a in agency_forms(text)}


def test_a_numbered_authority_of_the_ministry_list_resolves_to_it():
    got = agencies("Partecipa l'Azienda per l'Assistenza Sanitaria n. 5 “Friuli Occidentale” con il direttore sociosanitario.")
    assert got == {"AS FRIULI OCCIDENTALE"}  # the Ministry's record for that territory, not a second authority


def test_an_unnumbered_unknown_authority_is_not():
    assert agencies("Il servizio è svolto in accordo con l'Azienda Sanitaria Provinciale competente.") == set()


# -- region from a territory adjective -----------------------------------------------------------------------

@pytest.mark.parametrize("text,region", [
    ("La Comunità della Pianura Bresciana gestisce il servizio sociale professionale per i Comuni soci.", "lombardia"),
    ("L'azienda dei 29 Comuni del Vimercatese si occupa di welfare locale.", "lombardia"),
    ("I servizi dell'Alto Casertano sono gestiti in forma associata dai Comuni.", "campania"),
])
def test_a_territory_adjective_gives_the_region(text, region):
    assert read(text).region == region


# -- Tuscan zone and coded districts ----------------------------------------------------------------------------

def test_a_zona_distretto_is_an_ambito():
    text = ("La Conferenza dei Sindaci della Zona Pisana ha approvato il Piano integrato di salute. La Zona Pisana "
            "comprende i Comuni di Pisa, Cascina e Calci.")
    assert "pisana" in ambito_cores(text)


def test_any_capitalised_zona_is_not():
    text = "Il centro diurno si trova in Zona Industriale Nord, accanto alla stazione di Cascina."
    assert not ambito_cores(text)


def test_two_coded_districts_named_together():
    text = ("Il 13 ottobre si terrà in Regione un incontro sulla gestione associata dei distretti di FR 3.1 e FR 3.2, "
            "al quale sono invitati i comuni di Sora e Isola del Liri.")
    assert {"fr31", "fr32"} <= ambito_cores(text)


def test_a_sigla_that_is_no_province_is_no_district():
    assert not [m for m in find_mentions("Il distretto di XY 4.1 non esiste.", "lazio") if m.head == "code"]


# -- fake bold ---------------------------------------------------------------------------------------------------

def test_fake_bold_is_halved():
    text, edits = repair("AAmmbbiittoo  TTeerrrriittoorriiaallee  ddii  SSoorreessiinnaa\nNel 1100 la pieve di Soresina, e l'anno 2200.")
    assert text.startswith("Ambito  Territoriale  di  Soresina\n")
    assert text.endswith("Nel 1100 la pieve di Soresina, e l'anno 2200.")  # doubled digits alone are no fake bold
    assert {e.rule for e in edits} == {"fake_bold"}


def test_a_fake_bold_title_names_the_ambito(tmp_path):
    f = tmp_path / "piano.txt"
    f.write_text("PPIIAANNOO  DDII  ZZOONNAA  DDEELLLL''AAMMBBIITTOO  DDII  SSOORREESSIINNAA\n\n"
                 "Il Piano di Zona 2021-2023 è approvato dall'Assemblea dei Sindaci.", encoding="utf-8")
    doc = parse(f)
    assert doc.ambito is not None and ambito_core(doc.ambito.value) == "soresina"
    ent = next(e for e in doc.entities if getattr(e, "scope", None) == "own")
    assert "SSOORREESSIINNAA" in doc.raw_text[ent.prov.start:ent.prov.end]  # the evidence points into the raw text


# -- Plus, covers, numbers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,core", [
    ("L'assemblea dei sindaci del Plus delle Barbagie ha approvato la programmazione dei servizi.", "barbagie"),
    ("Il Comune di Lanusei è capofila del PLUS (Piano locale unitario dei servizi) Ogliastra dal 2017.", "ogliastra"),
    ("Il Plus Marghine ha aperto uno sportello per le famiglie.", "marghine"),
])
def test_a_plus_names_its_district(text, core):
    assert core in ambito_cores(text)


def test_an_english_plus_is_no_district():
    assert not [m for m in find_mentions("Un plus per le famiglie: il bonus PLUS 2022 è stato confermato.", "sardegna")
                if m.head == "plus"]


def test_a_head_broken_over_the_lines_of_a_cover():
    text = "Brindisi\n(Capofila)\nAMBITO TERRITORIALE\nSOCIALE di BRINDISI\nSan Vito dei Normanni\nPiano Sociale di Zona\n2022-2024\n"
    assert "brindisi" in ambito_cores(text)


def test_comuni_after_the_number_are_the_list():
    text = "Piano di Zona – Ambito Territoriale nr. 7 2018 – 2020 – Ostuni – Fasano – Cisternino AUSL BR"
    ms = [m for m in find_mentions(text, "puglia") if m.head == "ambito"]
    assert [m.name for m in ms] == ["n. 7"]
    assert {"Ostuni", "Fasano", "Cisternino"} <= members(text)


def test_a_comune_coordinated_with_the_count_of_the_others():
    text = ("L'ambito è composto dal Comune di Brindisi e da tre comuni della provincia (San Vito dei Normanni, "
            "Carovigno, Ostuni).")
    assert {"Brindisi", "San Vito dei Normanni", "Carovigno", "Ostuni"} <= members(text)


def test_no_coordinated_comune_when_the_count_is_of_the_list():
    text = "Il Comune di Brindisi ha ospitato l'incontro. L'ambito comprende tre comuni (San Vito dei Normanni, Carovigno, Ostuni)."
    assert "Brindisi" not in members(text)


def test_an_old_numbered_asl_keeps_its_number():
    text = "Piano di Zona dei Comuni con la ASL/BR1, distretto n. 4."
    assert agencies(text) == {"ASL BR"}  # the province's ASL of the Ministry's list...
    assert any(agency_core(a) == "br1" for a in agency_forms(text))  # ...keeping the form written


def test_a_societa_della_salute_names_its_zone():
    text = "La Società della Salute della Valdinievole gestisce i servizi sociali dei Comuni di Pescia, Buggiano e Uzzano."
    assert "valdinievole" in ambito_cores(text)


def test_a_glued_full_stop_ends_the_sentence_of_the_cue():
    # "ballottaggio.I paesi": the cue of the sentence before ("i comuni che andranno al voto") is not this list's
    text = ("Sono 26 i comuni che andranno al voto, tutti piccoli e dunque esclusi dal ballottaggio.I paesi più popolosi "
            "sono Bagnolo Mella, Castel Mella e Nave.")
    assert member_lists(text, "lombardia") == []


# -- typographies of member lists and Ambito names (Bergamo and Brescia comuni, sentences written here) -------

@pytest.mark.parametrize("text,expected", [
    ("Comuni aderenti: Albino | Nembro | Pradalunga | Ranica", {"Albino", "Nembro", "Pradalunga", "Ranica"}),
    ("Comuni dell'Ambito:\n1. Albino\n2. Nembro\n3. Pradalunga\n4. Ranica\n", {"Albino", "Nembro", "Pradalunga", "Ranica"}),
    ("L'Ambito comprende i comuni di:\n• Albino\n• Nembro\n• Pradalunga\n", {"Albino", "Nembro", "Pradalunga"}),
    ("Comune | Abitanti\nAlbino | 17.800\nNembro | 11.500\nPradalunga | 4.700\n", {"Albino", "Nembro", "Pradalunga"}),
    ("Fanno parte dell'Ambito: Albino (capofila), Nembro, Ranica.", {"Albino", "Nembro", "Ranica"}),
    ("COMUNE DI ALBINO - COMUNE DI NEMBRO - COMUNE DI RANICA\nACCORDO DI PROGRAMMA PER IL PIANO DI ZONA", {"Albino", "Nembro", "Ranica"}),
    ("L'Ambito è composto dai Comuni di Chiari; Rovato; Coccaglio; Castrezzato.", {"Chiari", "Rovato", "Coccaglio", "Castrezzato"}),
    ("Il Distretto comprende 5 comuni: ADRO – CAPRIOLO – ERBUSCO – PALAZZOLO S/O – PARATICO",
     {"Adro", "Capriolo", "Erbusco", "Palazzolo sull'Oglio", "Paratico"}),
    ("Sindaci presenti: Adro (Rossi), Capriolo (Bianchi), Erbusco (Verdi).", {"Adro", "Capriolo", "Erbusco"}),
    ("i 18 Comuni dell'Ambito di Treviglio (Arcene, Arzago d'Adda, Brignano, Calvenzano, Canonica)",
     {"Arcene", "Arzago d'Adda", "Brignano Gera d'Adda", "Calvenzano", "Canonica d'Adda"}),
    ("ENTI SOTTOSCRITTORI\nComune di Ghedi\nComune di Leno\nComune di Manerbio\nATS Brescia", {"Ghedi", "Leno", "Manerbio"}),
])
def test_member_lists_in_many_typographies(text, expected):
    got = members(text)
    assert expected <= got and got <= expected | {"Treviglio"}


@pytest.mark.parametrize("text", [
    "La pioggia ha colpito i comuni di Albino, Nembro e Ranica.",
    "Le scuole dei comuni di Albino, Nembro e Ranica riaprono lunedì.",
    "Il prefetto ha visitato i comuni di Ghedi, Leno e Manerbio.",
    "Il mercato si tiene a Ghedi, Leno e Manerbio ogni martedì.",
    "Le strade provinciali tra Albino, Nembro e Ranica sono chiuse per lavori.",
    "Sono nati a Chiari, Rovato e Coccaglio i tre vincitori del premio.",
])
def test_comuni_named_as_places_are_no_members(text):
    assert members(text) == set()


@pytest.mark.parametrize("text,core", [
    ("Piano di Zona 2021-2023 dell'Ambito distrettuale di Romano di Lombardia", "romanodilombardia"),
    ("Azienda Speciale Consortile – Ambito di Romano di Lombardia", "romanodilombardia"),
    ("L'Ambito Alto Sebino ha approvato il bilancio.", "altosebino"),
    ("Ambito Monte Bronzone e Basso Sebino - Azienda Speciale", "montebronzoneebassosebino"),
    ("Distretto socio sanitario di Valle Sabbia - Comunità Montana", "vallesabbia"),
    ("Ambito territoriale di Brescia Ovest (ambito 2)", "bresciaovest"),
    ("Piano di Zona dell'Ambito di Lomazzo - Fino Mornasco 2021-2023", "lomazzofinomornasco"),
    ("L'Ambito Visconteo Sud Milano ha approvato il Piano", "visconteosudmilano"),
    ("L'Ambito di Voghera e Comunità Montana Oltrepò Pavese", "voghera"),
    ("Ambito Territoriale Sociale di Campione d'Italia", "campioneditalia"),
])
def test_ambito_names_end_where_they_should(text, core):
    assert core in ambito_cores(text)


# -- ASP: a health agency in Sicily and Calabria, an Azienda di Servizi alla Persona elsewhere ------------------

def test_a_sicilian_asp_is_a_health_agency():
    assert agencies("Il Distretto collabora con l'ASP di Palermo per le dimissioni protette.") == {"ASP PALERMO"}


@pytest.mark.parametrize("text", [
    "L'ASP Valle Seriana gestisce la residenza per anziani.",
    "L'Azienda di Servizi alla Persona (ASP) di Pavia gestisce i centri diurni.",
    "ASP Basso Lodigiano: bilancio approvato.",
])
def test_an_azienda_di_servizi_alla_persona_is_not(text):
    assert agencies(text) == set()


@pytest.mark.parametrize("text,region", [
    ("Il Servizio sociale dei Comuni dell'ambito del Friuli Occidentale ha sede a Pordenone.", "friuli-venezia-giulia"),
    ("Partecipa l'Azienda per l'Assistenza Sanitaria competente per territorio.", "friuli-venezia-giulia"),
    ("Il PLUS di Cagliari ha approvato la programmazione.", "sardegna"),
    ("Il Plus Marghine ha aperto uno sportello per le famiglie.", "sardegna"),
])
def test_a_regional_institution_gives_the_region(text, region):
    assert read(text).region == region


def test_an_english_plus_gives_no_region():
    assert read("Il bonus PLUS 2022 è stato confermato dal Comune.").region is None


@pytest.mark.parametrize("verb", ["riguarda i comuni di", "coinvolge i comuni di", "serve i comuni di", "riunisce i comuni di",
                                  "opera nei comuni di", "gestisce i servizi per i comuni di", "conta tre comuni:"])
def test_the_comuni_of_an_ambito_in_many_words(verb):
    assert {"Albino", "Nembro", "Ranica"} <= members(f"L'Ambito territoriale di Albino {verb} Albino, Nembro e Ranica.")


def test_an_abbreviation_does_not_end_the_sentence_of_the_cue():
    text = "Il Comune di S. Agata Militello è capofila del Distretto n. 31, comprende n. 4 comuni : Acquedolci, Caronia, Naso."
    assert {"Sant'Agata di Militello", "Acquedolci", "Caronia", "Naso"} <= {x for lst in member_lists(text, "sicilia") for x in lst}


# -- third batch: dotted district numbers, lower-case numbered districts, the capofila of the clause --------------

def test_a_dotted_district_number_stays_in_the_name():
    text = "In Friuli Venezia Giulia, nel 2003 l'ambito assume la denominazione di Ambito Distrettuale Urbano 6.5, con sede a Pordenone."
    assert "urbano65" in ambito_cores(text)


def test_a_section_number_after_a_name_is_not_the_district():
    text = "AMBITO DI CODROIPO 2.1 Obiettivi del Piano\nIl Piano dell'Ambito di Codroipo comprende i comuni di Codroipo, Varmo e Sedegliano."
    assert "codroipo21" not in ambito_cores(text) and "codroipo" in ambito_cores(text)


def test_a_lower_case_numbered_district():
    text = "Si è riunito il Comitato dei sindaci del distretto socio-sanitario 21 che comprende i comuni di Bronte, Maletto e Maniace."
    assert "21" in ambito_cores(text)


def test_the_capofila_of_the_clause_that_announces_the_list():
    text = ("Il distretto socio-sanitario 19 vede il Comune di Gravina di Catania quale Ente capofila e comprende i comuni di "
            "Mascalucia, Pedara e Nicolosi.")
    assert {"Gravina di Catania", "Mascalucia", "Pedara", "Nicolosi"} <= members(text)


def test_a_list_titled_elenco_comuni_del_distretto():
    text = "Elenco Comuni del distretto Camastra, Campobello di Licata, Canicattì, Castrofilippo, Grotte."
    assert "camastra" not in ambito_cores(text)
    assert {"Camastra", "Campobello di Licata", "Canicattì", "Castrofilippo", "Grotte"} <= members(text)


def test_an_asp_with_its_number_before_the_territory():
    assert agencies("Per l'ASP 7 di Ragusa erano presenti il direttore generale e due dirigenti.") == {"ASP RAGUSA"}


def test_a_menu_heading_is_no_group_heading():
    # a web page's menu word between two lists: the second list does not go on the members
    text = "I soci del consorzio sono i Comuni di Albino, Nembro e Ranica.\nNOTIZIE\nBergamo, Seriate, Dalmine.\n"
    assert members(text) == {"Albino", "Nembro", "Ranica"}


@pytest.mark.parametrize("text,core", [
    ("Il Distretto LT/5 ha approvato il Piano di Zona.", "lt5"),
    ("Il Distretto RM 6.1 si riunisce a Frascati.", "rm61"),
    ("Distretto socio sanitario FR/B di Cassino", "frb"),
    ("L'Ambito BA/9 comprende Conversano, Monopoli e Polignano a Mare.", "ba9"),
])
def test_coded_districts(text, core):
    assert core in ambito_cores(text)


@pytest.mark.parametrize("text,expected", [
    ("Il secondo sub ambito sarà composto da Capo d'Orlando, centro leader, Capri Leone e Torrenova.",
     {"Capo d'Orlando", "Capri Leone", "Torrenova"}),
    ("Il terzo sub ambito è composto dai paesi della fascia collinare con Castell'Umberto capofila insieme ad Alcara Li Fusi, "
     "Longi e Mirto.", {"Castell'Umberto", "Alcara li Fusi", "Longi", "Mirto"}),
    ("Il distretto comprende i comuni di Naso, che rimarrà capofila, Mirto e Longi.", {"Naso", "Mirto", "Longi"}),
])
def test_appositions_inside_a_list(text, expected):
    assert expected <= {x for lst in member_lists(text, "sicilia") for x in lst}
