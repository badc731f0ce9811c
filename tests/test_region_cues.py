"""The region of a text from the places it names in passing: a province's seat, a comune after a
preposition of place, the province sigla of a district's code, and never the name of a street."""

from __future__ import annotations

import pytest

from tests.fixtures_ingest import read_text as read


@pytest.mark.parametrize("text,region", [
    ("Il Distretto Sociale Sud Est Milano presenta la nuova carta dei servizi.", "lombardia"),
    ("Le famiglie residenti a Bergamo possono rivolgersi allo sportello.", "lombardia"),
    ("L'incontro si terrà presso la sede di Torino della cooperativa.", "piemonte"),
    ("Il nuovo portierato sociale ha aperto a Pioltello, al piano terra del condominio.", "lombardia"),
    ("L'Ufficio di Piano del Distretto RI/3 ha curato la carta dei servizi.", "lazio"),
    ("Il Distretto Sociosanitario RM 6.2 gestisce in forma associata le funzioni sociali.", "lazio"),
    ("I Comuni dell'Ambito territoriale BR4 hanno approvato il Piano sociale di zona.", "puglia"),
    ("Il sito istituzionale della CITTA' di FARA in SABINA pubblica la carta.", "lazio"),
    ("La Comunità Montana dei Laghi Bergamaschi ha approvato il bilancio.", "lombardia"),  # a territory and its adjective
    ("I comuni della bassa pianura bergamasca si sono riuniti in assemblea.", "lombardia"),
    ("Il Consorzio dei servizi sociali della Valle di Susa approva il programma.", "piemonte"),  # a valley and its town
    ("LA VAL DI CECINA PRESENTA IL NUOVO PIANO INTEGRATO DI SALUTE", "toscana"),
    ("CARTA DELLA CITTADINANZA SOCIALE - EAS N. 19 - servizi dell'ambito", "abruzzo"),  # an institution of one region's law
    ("Inaugurato lo sportello dell'Ecad 17: un punto di riferimento per le famiglie.", "abruzzo"),
    ("La convenzione dell'Ente Capofila dell'Ambito Distrettuale è stata firmata dai nove Comuni.", "abruzzo"),
    ("Firmata a Lanciano (Ch) la convenzione tra nove Comuni per la gestione dei servizi.", "abruzzo"),  # sigla in any case
    ("Il nuovo sportello di Seriate (Bg) apre il lunedì mattina.", "lombardia"),
    ("OSIMO – L'assemblea dei sindaci ha approvato il piano sociale.", "marche"),  # the dateline of a news item
    ("FALCONARA MARITTIMA (AN) - Parte il servizio di pronto intervento sociale.", "marche"),
    ("Ufficio di Piano, Via Roma 12 - 24068 Seriate, tel. e fax.", "lombardia"),  # an address after its postal code
])
def test_places_in_passing_are_region_cues(text, region):
    assert read(text).region == region


@pytest.mark.parametrize("text", [
    "Lo sportello ha sede in Via Molise 5 e apre il lunedì.",  # a street named after a region
    "L'ufficio si trova in piazza Lombardia, accanto al municipio.",
    "Il centro diurno di viale Sicilia accoglie gli anziani del quartiere.",
    "Fermo restando quanto previsto dal regolamento, il servizio prosegue.",  # a seat's name opening a sentence
    "Prato, giardino e orto sono curati dai volontari del centro.",
    "L'ente ha affidato il servizio ad Aurora, cooperativa sociale del territorio.",  # a name that is no comune
    "Le aziende agricole della bassa pianura irrigua aderiscono al consorzio.",  # a territory without an adjective of place
    "Il servizio copre i paesi della Valle di Scalve e della Val del Serio.",  # valleys named after no comune
    "Il modulo EAS, per ogni servizio, riporta i profili professionali.",  # the letters without an ambito's number
    "Lo ha dichiarato Mario Rossi (Pd) durante la seduta del consiglio.",  # a party, not a province
    "PREMESSA – Il documento descrive i servizi del territorio.",  # a heading before a dash is no dateline
    "Nel 2023 sono stati spesi 12.500,00 euro; 10000 Euro restano per il Centro diurno.",  # figures, no postal code
])
def test_streets_and_capitalised_words_are_no_region_cue(text):
    assert read(text).region is None


def test_a_street_does_not_outvote_the_comune_it_is_in():
    text = "È stato inaugurato lo spazio di comunità dell'Ambito in Via Molise 5, a Rozzano."
    assert read(text).region == "lombardia"
