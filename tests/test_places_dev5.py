"""Issue 13, dev5p: Ambito names, member comuni and region on news, title pages and conventions of
Bergamo, Brescia and Pavia and of Calabria, Sardegna and Liguria.

Every input is written here (none is a line of a corpus, evaluation or dev text). The behaviours:
- a territory word in lower case opens an Ambito's name ("presidente d'ambito del basso Sebino"), not
  after a context ("nell'ambito del basso Sebino" is "in the area of");
- a head that ends its line takes the name alone on the next line of a title page ("Distretto n. 7\n\n
  Media Pianura"), never a list or a sentence;
- a district's number glued or bracketed to its head is its name ("Plus21", "PLUS-14", "Ambito
  Territoriale Sociale (ATS 20)"), an "ATS" in such brackets is no health agency, a year after "PLUS" is
  no number;
- an Ambito in brackets right after a list owns the list ("A, B e C (AMBITO N.1)"), a province or a
  figure in brackets does not;
- a mirror's empty slots ("il Comune di , il Comune di ,") do not break a signatory list;
- a short form followed by the rest of the name written with one slip is the whole name ("VACCARIZZO
  ALABANESE");
- the capofila in apposition ("Imperia, Comune capofila del Distretto") and a comune a copula puts in
  the Ambito ("X è il primo comune dell'Ambito") are members; a project's capofila is not;
- "primo cittadino di X" places the text in X's region;
- second round: a bare number after an article names the Ambito ("l'Ambito 4 comprende"), not a plan's
  thematic heading ("Ambito 1: Anziani"); a dash and a list after a head are its comuni, not its name;
  a name the mirror blanked leaves no Ambito "Comprendente"; a full stop glued to the next sentence ends
  a name; "sede di" marks seats; "entrano a farne parte", "l'ingresso del Comune di X" and "il Comune
  capofila che è X" make members, a refused adhesion does not; a union's list stays the union's unless it
  is the ente gestore of the plan; ASSL, "ASL n. 5 - Oristano" and "Area Sociosanitaria Locale 2" are
  health agencies;
- third round: "di cui Foligno è capofila" makes the capofila a member; lines labelled "Comuni:" one after
  another with no association of comuni named around them are no members; the comuni where an Ambito or its ente runs its
  services ("il distretto ... gestisce i progetti nel capoluogo e a A, B") are members, a shop's are not;
- fourth round: the comuni of an agreement of another sector (gas, waste, water) with nothing social
  around are no members; "Unione dei Comuni del X" names a union, not an Ambito, and its list stays the
  union's; "la città di X, ente capofila del Distretto" is a member; "Azienda sanitaria provinciale di
  Reggio Calabria" is the Ministry's A.S.P.; on a page double-spaced line by line a comune name wrapped
  over the blank line is one name, on an ordinary page a blank line still ends a name;
- fifth round: the comuni of a list of their representatives ("rappresentati da A. B. Sindaco di X, da C.
  D. Sindaco di Y e da E. F. Sindaco di Z") are one list; a table under a union's heading is the union's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.entities_ambito import find_mentions
from ingest.entities_comuni import find_enumerations
from ingest.eval_facts import ambito_core, predicted_facts
from tests.fixtures_ingest import read_text as read, score_gold

DEV5P = Path(__file__).parent / "data" / "realworld" / "dev5p"


def members(raw: str) -> set[str]:
    """ISTAT names of the comuni read as members."""
    return {names[0] for names, *_ in predicted_facts(read(raw))["comuni"]}


def ambito_cores(raw: str) -> set[str]:
    return {ambito_core(n) for names, *_ in predicted_facts(read(raw))["ambito"] for n in names}


def mention_names(text: str, region: str | None = "lombardia") -> list[str]:
    return [m.name for m in find_mentions(text, region)]


# -- a territory word in lower case -----------------------------------------------------------------------

@pytest.mark.parametrize("text,core", [
    ("Il sindaco di Villongo, presidente d'ambito del basso Sebino, ha riunito i colleghi.", "bassosebino"),
    ("I sindaci del distretto dell'alta Valle Brembana hanno approvato il bilancio.", "altavallebrembana"),
    ("La presidente dell'ambito della bassa Val Trompia è stata rieletta ieri.", "bassavaltrompia"),
])
def test_a_lower_case_territory_word_opens_the_name(text, core):
    assert core in ambito_cores(text)


@pytest.mark.parametrize("text", [
    "Nell'ambito del basso Sebino si parlerà soprattutto di turismo e di trasporti.",
    "Il progetto ha un ambito sud e un ambito nord, senza nomi propri.",
])
def test_a_context_or_a_bare_territory_word_names_no_ambito(text):
    assert mention_names(text) == []


# -- the name on the next line of a title page --------------------------------------------------------------

def test_a_head_ending_its_line_takes_the_name_below():
    text = ("Comuni dell'ambito territoriale Distretto n. 7\n\nMedia Pianura\n\nRovato, Coccaglio, Erbusco, Cologne\n\n"
            "PIANO DI ZONA 2009-2011")
    assert "Media Pianura" in mention_names(text)
    assert "mediapianura" in ambito_cores(text)
    assert {"Rovato", "Coccaglio", "Erbusco", "Cologne"} <= members(text)


def test_a_capitalised_head_without_number_takes_the_name_below():
    assert "Valle del Chiese" in mention_names("AMBITO DISTRETTUALE\nValle del Chiese\nDocumento di programmazione 2025", "lombardia")


@pytest.mark.parametrize("text", [
    "Ambito Territoriale\nBergamo, Dalmine e Seriate hanno firmato l'accordo.",  # a list below, not a name
    "Il servizio è organizzato dal distretto\nSanitario e dai comuni, come ogni anno.",  # prose wrapped at the line end
    "DISTRETTO N. 4\nLe attività svolte nel corso del 2019 sono state numerose e varie.",  # a sentence below
])
def test_a_list_or_a_sentence_below_is_no_name(text):
    assert not any(n in ("Bergamo", "Sanitario", "Le") for n in mention_names(text)), mention_names(text)


# -- numbers glued or bracketed ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,core", [
    ("Il contratto del Plus21 scade a gennaio: i comuni del Plus21 chiedono una nuova gara.", "21"),
    ("La conferenza dei servizi del PLUS-14 si è riunita ieri.", "14"),
    ("Il comune ha aderito al nuovo Ambito Territoriale Sociale (ATS 20) della Regione.", "20"),
])
def test_a_glued_or_bracketed_number_names_the_district(text, core):
    assert core in ambito_cores(text)


def test_an_ats_in_brackets_is_no_health_agency():
    doc = read("Il comune di Vallecrosia fa parte del nuovo Ambito Territoriale Sociale (ATS1) della Regione Liguria.")
    assert predicted_facts(doc)["ats_asst"] == []


@pytest.mark.parametrize("text", ["Il bilancio del PLUS 2022 è stato approvato.", "Un plus di servizi per le famiglie."])
def test_a_year_or_an_english_plus_is_no_district(text):
    assert mention_names(text, "sardegna") == []


# -- an Ambito in brackets after a list ---------------------------------------------------------------------

def test_the_ambito_in_brackets_after_a_list_owns_it():
    text = ("Alla conferenza dei sindaci hanno partecipato gli amministratori di ROVATO, COCCAGLIO e COLOGNE (AMBITO N.6) "
            "e quelli di CHIARI, CASTREZZATO e ROCCAFRANCA (AMBITO N.7).")
    assert {"6", "7"} <= ambito_cores(text)
    assert members(text) >= {"Rovato", "Coccaglio", "Cologne", "Chiari", "Castrezzato", "Roccafranca"}


@pytest.mark.parametrize("text", [
    "Ieri la grandine ha colpito Rovato, Coccaglio e Cologne (Brescia), senza feriti.",
    "Le gare si terranno a Rovato, Coccaglio e Cologne (tre giornate in tutto).",
])
def test_a_place_or_a_figure_in_brackets_makes_no_members(text):
    assert members(text) == set()


# -- a mirror's empty slots ---------------------------------------------------------------------------------

def test_empty_slots_do_not_break_a_signatory_list():
    text = ("tra gli enti di seguito indicati: il Comune di , il Comune di Bosa , il Comune di , il Comune di , "
            "il Comune di , il Comune di , il Comune di , il Comune di , il Comune di , il Comune di Suni , il Comune di , "
            "il Comune di Ghilarza ,")
    lists = [[x.rec.name for x in en.items] for en in find_enumerations(text, "sardegna")]
    assert ["Bosa", "Suni", "Ghilarza"] in lists, lists


def test_a_long_sentence_between_two_comuni_still_breaks_a_list():
    text = ("Il Comune di Bosa ha approvato il bilancio di previsione, il piano delle opere pubbliche e la relazione del "
            "revisore dei conti nella seduta di ieri sera, mentre il Comune di Suni lo farà la settimana prossima.")
    assert all(len(en.items) < 2 for en in find_enumerations(text, "sardegna"))


# -- a short form and its slipped rest ------------------------------------------------------------------------

def test_a_short_form_takes_the_rest_written_with_one_slip():
    text = "i comuni di SAN DEMETRIO CORONE, SAN COSMO ALBANESE e VACCARIZZO ALABANESE"
    items = [(x.surface, x.rec.name) for en in find_enumerations(text, "calabria") for x in en.items]
    assert ("VACCARIZZO ALABANESE", "Vaccarizzo Albanese") in items, items


def test_a_different_word_after_a_short_form_is_not_taken():
    text = "i comuni di SAN DEMETRIO CORONE, SAN COSMO ALBANESE e VACCARIZZO ALTO, con altri"
    items = [x.surface for en in find_enumerations(text, "calabria") for x in en.items]
    assert "VACCARIZZO ALTO" not in items and "VACCARIZZO" in items, items


# -- capofila in apposition, a copula -----------------------------------------------------------------------

def test_the_capofila_in_apposition_is_a_member():
    text = "Si è riunita la conferenza dei sindaci del Distretto sociosanitario 3 Imperiese a Imperia, Comune capofila del distretto."
    assert "Imperia" in members(text)


def test_the_capofila_of_a_project_is_no_member():
    text = "Il Distretto sociosanitario 3 Imperiese ha presentato il bando. Diano Marina, comune capofila del progetto Estate, lo ospita."
    assert "Diano Marina" not in members(text)


@pytest.mark.parametrize("text,comune", [
    ("Vallecrosia è il primo comune del comprensorio del nuovo Ambito Territoriale Sociale (ATS1) ad approvare la convenzione.",
     "Vallecrosia"),
    ("Si è riunito l'Ambito di Sarnico. Villongo è uno dei comuni dell'Ambito di Sarnico, con Credaro.", "Villongo"),
])
def test_a_copula_puts_a_comune_in_the_ambito(text, comune):
    assert comune in members(text)


def test_a_copula_without_an_ambito_makes_no_member():
    assert members("Sanremo è il comune più popoloso della provincia di Imperia.") == set()


# -- region -------------------------------------------------------------------------------------------------

def test_primo_cittadino_places_the_text():
    assert read("Il presidente dell'assemblea, primo cittadino di Gandellino, ha aperto la seduta.").region == "lombardia"


# -- second round ------------------------------------------------------------------------------------------

def test_a_bare_number_after_an_article_names_the_ambito():
    assert "4" in ambito_cores("In Valle il welfare è associato: l'Ambito 4 comprende i comuni della valle e della piana.")


def test_a_thematic_heading_is_no_ambito():
    names = mention_names("Ambito 1: Anziani e disabili\nAmbito 2 - Minori e famiglie\nAmbito 3. Povertà")
    assert not any(n.startswith("n. ") for n in names), names


def test_a_dash_and_a_list_after_a_head_are_no_name():
    text = "Si sono riuniti i sindaci dei Comuni sede di distretto sanitario – Savona, Cairo Montenotte, Albenga e Finale Ligure."
    assert "Savona" not in mention_names(text, "liguria")
    assert members(text) == set()


def test_a_blanked_name_leaves_no_ambito():
    text = "PLUS Ambito Distretto di Comprendente i Comuni di: Allai – Cabras – Oristano – Simaxis\n\nRegolamento"
    assert "Comprendente" not in mention_names(text, "sardegna")


def test_a_glued_full_stop_ends_the_name():
    assert "Sorgono" in mention_names("Il vertice sul futuro dell'ufficio di Piano Plus di Sorgono.La riunione è servita.", "sardegna")


def test_joining_in_words_and_nouns_makes_members():
    text = ("Si amplia l'Ambito Territoriale Sociale 28: dopo l'ingresso del Comune di Pontinvrea, da oggi entrano a farne parte "
            "anche i Comuni di Stella e di Mioglia. Resta capofila il Comune di Albisola Superiore.")
    assert {"Pontinvrea", "Stella", "Mioglia", "Albisola Superiore"} <= members(text)


def test_the_capofila_after_a_copula_is_a_member():
    text = "L'Ambito Territoriale Sociale 28 cresce: il lavoro pesa sul Comune capofila che è Albisola Superiore."
    assert "Albisola Superiore" in members(text)


def test_a_refused_adhesion_makes_no_member():
    text = "L'Ambito Territoriale Sociale 28 ha respinto l'adesione del Comune di Urbe per quest'anno."
    assert "Urbe" not in members(text)


def test_a_union_list_stays_the_union_s():
    text = ("Il Distretto di Levanto coordina i servizi sociali. Nel territorio sono presenti due unioni: l'Unione dei comuni "
            "della Val di Vara, formata dai comuni di Brugnato, Rocchetta di Vara e Zignago, e Terre Verticali.")
    assert members(text) & {"Brugnato", "Rocchetta di Vara", "Zignago"} == set()


def test_a_union_that_runs_the_plan_keeps_its_members():
    text = ("Ambito di Levanto. L'Unione dei Comuni, ente gestore del Piano di Zona, è formata dai comuni di Brugnato, "
            "Rocchetta di Vara e Zignago.")
    assert {"Brugnato", "Rocchetta di Vara", "Zignago"} <= members(text)


@pytest.mark.parametrize("text,region", [
    ("Tra gli enti firmatari la Provincia e l'ATS ASSL di Oristano, con i Comuni del distretto.", "sardegna"),
    ("PLUS del distretto di Ghilarza\n\nAzienda ASL n. 5 - Oristano – Provincia di Oristano", "sardegna"),
    ("L'incontro è stato promosso dall'Area Sociosanitaria Locale 2 con i sindaci dei distretti.", "liguria"),
])
def test_areas_and_numbered_asl_are_health_agencies(text, region):
    doc = read(text)
    assert predicted_facts(doc)["ats_asst"], (doc.region, predicted_facts(doc)["ats_asst"])


# -- third round -------------------------------------------------------------------------------------------

def test_the_capofila_said_with_a_copula_is_a_member():
    text = ("La convenzione riguarda i Comuni della zona sociale n. 8. L'area dei Comuni dell'ambito n. 8, di cui Foligno è capofila "
            "(gli altri enti sono Valtopina, Spello, Trevi), interessa 101mila abitanti.")
    assert {"Foligno", "Valtopina", "Spello", "Trevi"} <= members(text)


def test_labelled_lines_without_an_association_are_no_members():
    text = "Comuni: Arrone – Ferentillo – Montefranco – Polino\nComuni: Assisi – Bastia – Bettona – Cannara"
    assert members(text) == set()


def test_labelled_lines_of_an_ambito_are_members():
    text = "Piano di Zona dell'Ambito territoriale n. 10\n\nComuni: Arrone – Ferentillo – Montefranco – Polino"
    assert {"Arrone", "Ferentillo", "Montefranco", "Polino"} <= members(text)


def test_the_comuni_an_ambito_serves_are_members():
    text = ("I fondi arrivano al distretto che, con Nuoro capofila, gestisce i progetti dei Servizi sociali nel capoluogo e a "
            "Mamoiada, Orgosolo, Bitti e Oliena.")
    assert {"Mamoiada", "Orgosolo", "Bitti", "Oliena"} <= members(text)


def test_the_comuni_a_shop_serves_are_no_members():
    assert members("La catena di negozi opera nei comuni di Mamoiada, Orgosolo, Bitti e Oliena da vent'anni.") == set()


# -- fourth round -------------------------------------------------------------------------------------------

def test_an_agreement_of_another_sector_makes_no_members():
    text = ("CONVENZIONE tra i Comuni di Bosa, Flussio, Magomadas, Modolo e Suni, per la costituzione dell'organismo di bacino "
            "per la distribuzione del gas metano e la successiva gestione del servizio.")
    assert members(text) == set()


def test_a_social_agreement_keeps_its_members():
    text = ("CONVENZIONE tra i Comuni di Bosa, Flussio, Magomadas, Modolo e Suni, per la gestione associata dei servizi sociali "
            "del Piano locale unitario dei servizi.")
    assert {"Bosa", "Flussio", "Magomadas", "Modolo", "Suni"} <= members(text)


def test_a_union_s_name_is_no_ambito_and_its_list_stays_its_own():
    text = "UNIONE DEI COMUNI DEL LOGUDORO\n\nArdara Mores Bono Burgos Tula\n\n1. Unione dei Comuni del Logudoro (Capofila)"
    assert ambito_cores(text) == set()
    assert members(text) == set()


def test_the_ente_capofila_in_apposition_is_a_member():
    text = "L'iniziativa è promossa dalla città di Villa San Giovanni, ente capofila del Distretto socio-sanitario 14, con la Regione."
    assert "Villa San Giovanni" in members(text)


def test_a_provincial_health_agency_written_out_resolves():
    doc = read("Il Distretto socio-sanitario 14 collabora con l'Azienda sanitaria provinciale di Reggio Calabria.")
    assert any("REGGIO CALABRIA" in n.upper() for names, *_ in predicted_facts(doc)["ats_asst"] for n in names)


DOUBLE_SPACED = "\n\n".join([
    "La conferenza dei sindaci si è riunita ieri nella sala consiliare del comune capofila,",
    "presieduta dal commissario. Hanno partecipato gli amministratori di CALOVETO, CROSIA,",
    "PALUDI (AMBITO N.1) e quelli di SAN",
    "COSMO ALBANESE, SAN DEMETRIO CORONE e SAN GIORGIO ALBANESE (AMBITO N.3).",
    "La collaborazione, in un ambito come quello delle politiche sociali, è fondamentale oggi",
    "più che in altri periodi della storia recente, ha detto il commissario ai presenti",
    "in sala, e il 2018 rappresenta l'anno dei cambiamenti per le politiche sociali",
    "della regione, che ha dato attuazione alla legge quadro sui servizi sociali.",
    "Tutto ciò significa per gli enti locali la delega delle competenze in materia sociale.",
])


def test_a_name_wrapped_on_a_double_spaced_page_is_one_name():
    items = [x.rec.name for en in find_enumerations(DOUBLE_SPACED, "calabria") for x in en.items]
    assert "San Cosmo Albanese" in items, items


def test_a_blank_line_still_ends_a_name_on_an_ordinary_page():
    text = "Hanno partecipato i sindaci di SAN\n\nCOSMO ALBANESE, SAN DEMETRIO CORONE e SAN GIORGIO ALBANESE."
    items = [x.rec.name for en in find_enumerations(text, "calabria") for x in en.items]
    assert "San Cosmo Albanese" not in items, items


# -- fifth round -------------------------------------------------------------------------------------------

def test_a_list_of_representatives_is_one_list_of_members():
    text = ("L'accordo è stato sottoscritto dai comuni aderenti all'Ambito Sociale Territoriale (ATS) N.2, rappresentati da "
            "Alfonso Benevento Sindaco di Bocchigliero, da Agostino Chiarello Sindaco di Campana, dall'assessore Saverio "
            "Varrina delegato da Dario Cornicello Sindaco di Mandatoriccio e da Mauro Santoro Sindaco di Terravecchia.")
    assert {"Bocchigliero", "Campana", "Mandatoriccio", "Terravecchia"} <= members(text)


def test_a_sentence_between_two_comuni_is_no_representative_gap():
    text = ("Il sindaco di Bocchigliero ha parlato a lungo, e poi il sindaco di Campana ha chiesto la parola per ricordare che "
            "l'anno scorso la festa si è tenuta a Mandatoriccio.")
    assert all(len(en.items) < 3 for en in find_enumerations(text, "calabria"))


def test_a_table_under_a_union_s_heading_is_the_union_s():
    text = ("1.1 ELENCO DEI COMUNI ADERENTI E RELATIVA UNIONE DI APPARTENENZA\n\nComune Unione di Comuni\n\nBarumini\n\n"
            "Collinas\n\nFurtei\n\nGenuri\n\nGesturi\n")
    assert members(text) == set()


# -- the dev5p excerpts against their gold -----------------------------------------------------------------

def test_dev5p_excerpts_score(tmp_path):
    n, rows = score_gold(DEV5P, tmp_path)
    assert n == 34
    assert rows["ambito"]["precision"] >= 0.9 and rows["ambito"]["recall"] >= 0.9, rows["ambito"]
    assert rows["comuni"]["precision"] >= 0.85 and rows["comuni"]["recall"] >= 0.9, rows["comuni"]
    assert rows["ats_asst"]["recall"] >= 0.9, rows["ats_asst"]
    assert rows["region"]["recall"] >= 0.9, rows["region"]
