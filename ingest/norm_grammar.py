"""The regular grammar of Italian normative references: act heads, number/date tails, article parts.

Everything here is a pure function of a string; :mod:`ingest.citations` runs the grammar over a
document and resolves what it finds. Tolerated OCR damage: ``I.r.``/``Ir`` for ``l.r.``, ``Igs`` for
``lgs`` (``d. Igs.``, ``DIgs.``), and citations split over up to two line breaks ("n.\\n\\n296").
"""

from __future__ import annotations

import re

SP = r"[ \t\u00a0]"
W = rf"{SP}*(?:\n{SP}*){{0,2}}"  # optional whitespace crossing at most two line breaks
B = r"(?<![\w.])"  # left word boundary that also refuses a dot ("D.L." inside "A.D.L."); "l'O.P.C.M." is fine

MONTHS = {
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
    "luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
}  # fmt: skip
MONTH_RE = "|".join(MONTHS)

REGIONS = {
    "lombardia": "lombardia", "piemonte": "piemonte", "veneto": "veneto", "toscana": "toscana",
    "liguria": "liguria", "lazio": "lazio", "campania": "campania", "puglia": "puglia",
    "sicilia": "sicilia", "sardegna": "sardegna", "calabria": "calabria", "basilicata": "basilicata",
    "molise": "molise", "abruzzo": "abruzzo", "marche": "marche", "umbria": "umbria",
    "emilia-romagna": "emilia.romagna", "emilia romagna": "emilia.romagna",
    "friuli venezia giulia": "friuli.venezia.giulia", "friuli-venezia giulia": "friuli.venezia.giulia",
    "valle d'aosta": "valle.d.aosta", "trentino-alto adige": "trentino.alto.adige",
}  # fmt: skip
# Adjectives of the regions ("legge regionale lombarda", "l.r. emiliana"); source: Treccani, "aggettivi etnici".
REGION_ADJECTIVES = {
    "lombarda": "lombardia", "piemontese": "piemonte", "veneta": "veneto", "ligure": "liguria", "laziale": "lazio",
    "campana": "campania", "pugliese": "puglia", "siciliana": "sicilia", "calabrese": "calabria", "lucana": "basilicata",
    "molisana": "molise", "abruzzese": "abruzzo", "marchigiana": "marche", "umbra": "umbria", "emiliana": "emilia.romagna",
    "emiliano-romagnola": "emilia.romagna", "friulana": "friuli.venezia.giulia", "valdostana": "valle.d.aosta",
}  # fmt: skip
_REGION_ALTS = "|".join(r"[\s\-]+".join(map(re.escape, re.split(r"[ -]", r))) for r in sorted([*REGIONS, *REGION_ADJECTIVES], key=len, reverse=True))
REGION_RE = rf"(?:{SP}+(?i:della{SP}+|dell['’]{SP}*)?(?i:regione{SP}+)?(?P<region>(?i:{_REGION_ALTS}))\b)?"
REGION_TAIL_RE = re.compile(REGION_RE)


def region_key(name: str) -> str | None:
    """The id form of a region as written ("Emilia Romagna", "emilia-romagna" -> "emilia.romagna")."""
    low = re.sub(r"\s+", " ", name.lower().replace("’", "'"))
    return REGIONS.get(low) or REGIONS.get(low.replace("-", " ")) or REGIONS.get(low.replace(" ", "-", 1)) or REGION_ADJECTIVES.get(low)

REGION_NAMES = "|".join(r"[\s\-]+".join(map(re.escape, re.split(r"[ -]", r))) for r in sorted(REGIONS, key=len, reverse=True))
# "n. 12/2003 della Regione Emilia-Romagna", "n. 11/2007 della Campania"
REGION_AFTER_RE = re.compile(
    rf"{SP}*,?{SP}*(?i:della|dell['’]){SP}*(?i:regione{SP}+)?(?P<region>(?i:{REGION_NAMES}))\b"
    rf"|{SP}*\({SP}*(?i:regione{SP}+)?(?P<pregion>(?i:{REGION_NAMES})){SP}*\)"
    rf"|{SP}+(?P<bregion>(?:Lombardia|Piemonte|Veneto|Liguria|Toscana|Lazio|Campania|Puglia|Sicilia|Sardegna|Calabria|Basilicata|Molise|Abruzzo|Marche|Umbria|Emilia[\s\-]+Romagna|Friuli[\s\-]+Venezia[\s\-]+Giulia))\b"
)
# "Regione Campania", "Giunta regionale della Toscana": a region named in the words around a citation
REGION_CONTEXT_RE = re.compile(
    rf"(?:(?i:regione|giunta{SP}+regionale|consiglio{SP}+regionale){SP}+(?:(?i:della|dell['’]|del){SP}*)?)(?P<region>(?i:{REGION_NAMES}))\b"
)

OCR_HEAD_CS = re.compile(r"^I\.?\s?r|^Ir|^Iegg|[DdI]\.?\s?Igs|^DIgs")  # case-sensitive check

# -- tails: number, year, date -----------------------------------------------------------------
MARK = rf"(?:(?:[nN][nN]|[nN](?:[rR]\.?|um(?:er[oi]|\.)?)?){SP}*[.°º]?{SP}*°?{W})"  # "n.", "nr.", "n°", "nn." (plural)
# "n. 2/B", "n. 73/E", "n. D/686", "n. 95-T": a letter series before or after the number.
NUM = r"(?P<num>(?:[A-Z]/)?\d{1,6}(?:[- ]?(?:bis|ter|quater)\b|[-/][A-Z](?![\w/]))?)(?!\d)(?![.,]\d)"


def _date(p: str) -> str:
    return (
        rf"(?:(?P<{p}d>\d{{1,2}})(?:°|º)?{SP}+(?P<{p}m>(?i:{MONTH_RE})){SP}+(?P<{p}y>\d{{4}})(?:-[IVX]{{1,5}}\b)?"
        rf"|(?P<{p}d2>\d{{1,2}})(?:[./]|-{SP}?)(?P<{p}m2>\d{{1,2}})(?:[./]|-{SP}?)(?P<{p}y2>\d{{4}}|\d{{2}}))(?!\d)"
    )


DATE = _date("t")
NOT_DATE_NEXT = rf"(?!{W}(?i:{MONTH_RE})\b)(?![./-]\d)"
DEL = rf"(?i:del|dell['’]|in{SP}+data|seduta{SP}+del)"

TAILS: list[tuple[str, re.Pattern[str]]] = [
    ("date_num", re.compile(rf"{W},?{W}(?:{DEL}{W})?{DATE}{SP}*[,\-–]?{W}{MARK}{NUM}")),
    ("num_date", re.compile(rf"{W}{MARK}?{NUM}{SP}*,?{W}(?:{DEL}{W})?{DATE}")),
    ("num_year", re.compile(rf"{W}{MARK}?{NUM}{SP}*/{SP}*(?P<yr>\d{{2,5}})(?!\d)(?![./-]\d)")),
    ("num_del_year", re.compile(rf"{W}{MARK}?{NUM}{W}(?i:del|dell['’]anno){W}(?P<yr>\d{{4}})(?![\d./-])")),
    ("num", re.compile(rf"{W}{MARK}?{NUM}{NOT_DATE_NEXT}(?![\d/])")),
]
DATE_ONLY_RE = re.compile(rf"{W},?{W}(?:{DEL}{W})?{DATE}")
# A date cut by the end of the text (an excerpt that stops mid-citation): "Legge 8 novembre 20<end>".
DATE_CUT_RE = re.compile(rf"{W},?{W}(?:{DEL}{W})?(?P<cd>\d{{1,2}})(?:°|º)?{SP}+(?P<cm>(?i:{MONTH_RE})){SP}+(?P<cy>\d{{1,3}})\s*\Z")
# "Legge Delega sulle disabilità n. 227/2021": up to four qualifier words, then an explicit number.
QUALIFIER_RE = re.compile(
    rf"(?:{SP}+(?!(?i:regional\w*|reg\.|costituzional\w*|n\b|nr\b|del\b|della\b|di\b|e\b))[A-Za-zÀ-ÿ'’]+){{1,4}}{SP}+(?=[nN][r.°º ]|\d{{1,5}}{SP}*/{SP}*\d{{2,4}}(?![\d/]))"
)
# Deliberations: legislature and number ("XI/4563", "XII 2167", "XI_4563", "n. 8/9716").
DGR_TAILS: list[tuple[str, re.Pattern[str]]] = [
    ("date_leg", re.compile(rf"{W},?{W}(?:{DEL}{W})?{DATE}{SP}*[,\-–]?{W}{MARK}(?:(?P<leg>[IVX]{{1,5}}|\d{{1,2}}){SP}*[/_]{SP}*)?{NUM}")),
    (
        "roman",
        re.compile(rf"{W}{MARK}?(?P<leg>[IVX]{{1,5}})(?:{SP}*[/_\-]{SP}*|{SP}+){NUM}(?:{SP}*/{SP}*(?P<yr>\d{{4}})(?!\d))?(?:{SP}*,?{W}{DEL}{W}{DATE})?"),
    ),
    ("slash", re.compile(rf"{W}{MARK}?(?P<a>\d{{1,5}}){SP}*/{SP}*(?P<b>\d{{2,5}})(?!\d)(?:/(?P<yr>\d{{4}})(?!\d))?(?:{SP}*,?{W}{DEL}{W}{DATE})?")),
    ("num_date", re.compile(rf"{W}{MARK}?{NUM}{SP}*,?{W}{DEL}{W}{DATE}")),
    ("num_del_year", re.compile(rf"{W}{MARK}?{NUM}{W}(?i:del){W}(?P<yr>\d{{4}})(?![\d./-])")),
    ("num", re.compile(rf"{W}{MARK}{NUM}{NOT_DATE_NEXT}(?![\d/])")),
    # "DGR del 7 giugno 2017", "DGR n. ____ del 7 giugno 2017", "DGR n del 7/6/2017": a deliberation
    # cited by its date, its number not written (left blank in a form, removed by a mirror).
    ("date_only", re.compile(rf"{W}(?:{MARK}(?:_+|…|\.{{2,}})?{W})?{DEL}{W}{DATE}")),
]
# "L.R. 3/2008 e 23/2015", "DGR XI/4563 e XI/5557": another number under the same head.
CONT_RE = re.compile(rf"{SP}*(?:,|(?i:e|ed)\b){SP}*(?=[nN](?:r\.?|\.|°|º)|\d|[IVX]{{1,5}}[/_ ]\d)")
EU_TAIL = re.compile(rf"{W}{MARK}?(?P<a>\d{{1,4}}){SP}*/{SP}*(?P<b>\d{{1,4}})(?!\d)")
MINISTRY_STOP = re.compile(rf"{SP}+(?=[nN](?:r\.?|\.|°|º){SP}*\d|(?i:del|dell['’]|in{SP}+data){SP}+\d|\d{{1,2}}{SP}*[./-]|\d{{1,2}}{SP}+(?i:{MONTH_RE}))|{SP}*,")
# After a decree: "del Ministro delle finanze e del Ministro di grazia e giustizia".
MINISTRY_TRAIL = re.compile(
    rf"{SP}*,?{SP}*(?i:del|dello|della|dei){SP}+(?i:ministr[oi]|ministero){SP}+(?P<name>[A-Za-zÀ-ÿ'’. ]{{3,120}}?)(?=[,;:)\n]|$|{SP}+(?i:n\.|recante|che|per{SP}+la|concernente|relativ))"
)
# Ministry name stems (lowercase, as written in acts' titles) and the code of ``dm.<code>`` ids;
# longest first where one name contains another ("grazia e giustizia" before "giustizia").
# Source: the ministries of the Italian governments since 1946 (governo.it), with their acronyms.
MINISTRIES = [
    (r"lavori\s+pubblici", "lavori.pubblici"), (r"lavoro", "mlps"), (r"mlps", "mlps"), (r"salute|sanit[aà]", "salute"),
    (r"economia", "mef"), (r"\bmef\b", "mef"), (r"finanze", "finanze"), (r"tesoro", "tesoro"),
    (r"istruzione", "mim"), (r"universit[aà]", "universita"), (r"interno", "interno"),
    (r"grazia\s+e\s+giustizia", "grazia.giustizia"), (r"giustizia", "giustizia"),
    (r"industria|\bmica\b", "mica"), (r"agricol|mi\.?\s?p\.?\s?a\.?\s?f\.?", "mipaf"), (r"ambiente", "ambiente"),
    (r"sviluppo\s+economico|\bmise\b", "mise"), (r"infrastrutture|trasporti", "mit"), (r"beni\s+culturali|cultura", "cultura"),
    (r"difesa", "difesa"), (r"esteri", "esteri"), (r"famiglia", "famiglia"), (r"disabilit", "disabilita"),
]  # fmt: skip
MINISTRY_RES = [(re.compile(rf"(?i){k}"), code) for k, code in MINISTRIES]
MIN_ACRONYMS = r"MLPS|MEF|MICA|MiPAF|MIPAF|Mi\.P\.A\.F\.|MIUR|MISE|MIT|MIBACT"
MIN_ACRONYM_RE = re.compile(rf"{SP}+(?:(?i:del|della){SP}+)?(?P<acr>{MIN_ACRONYMS})(?![\w])")


def ministries_in(name: str) -> list[str]:
    """Codes of the ministries named in a phrase, in reading order ("finanze e grazia e giustizia")."""
    found: list[tuple[int, int, str]] = []
    for rx, code in MINISTRY_RES:
        for m in rx.finditer(name):
            if not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), code))
    return [c for _, _, c in sorted(found)]


# -- act heads ---------------------------------------------------------------------------------
# One named group per family; order matters where two heads start at the same character (the
# first alternative that matches wins: "R.D.L." before "R.D.", "D.Lgs. Luogotenenziale" before
# "D.Lgs."). Historic act types follow the URN:NIR act-type names (regio.decreto, decreto.legge.
# luogotenenziale...; source: NIR naming standard, AIPA/CNIPA 2002, and Normattiva's URNs).
_S = f"{SP}+"
_CPS = rf"(?:del{_S})?capo{_S}provvisorio{_S}dello{_S}stato"
HEAD_ALTS = [
    rf"(?P<rdlgs>(?i:regio{_S}decreto{_S}legislativo|r\.{SP}?d\.{SP}?lgs\b\.?))",
    rf"(?P<rdl>(?i:regio{_S}decreto[-{SP[1:-1]}]+legge|regio{_S}d\.{SP}?l\.|r\.{SP}?d\.{SP}?l\.|r\.{SP}?d\.{_S}legge\b|r\.{_S}decreto[-{SP[1:-1]}]+legge|rdl\b))",
    rf"(?P<rd>(?i:regio{_S}decreto|r\.{SP}?d\.)|RD\b)",
    rf"(?P<dlgslgt>(?i:decreto{_S}legislativo{_S}luogotenenziale|d\.?{SP}?lgs\.?{_S}luogotenenziale|d\.{SP}?lgs\.{SP}?lgt\b\.?))",
    rf"(?P<dllgt>(?i:decreto[-{SP[1:-1]}]+legge{_S}luogotenenziale|d\.{SP}?l\.{_S}luogotenenziale|d\.{SP}?l\.{SP}?l\.|d\.{SP}?l\.{SP}?lgt\b\.?))",
    rf"(?P<dlt>(?i:decreto{_S}luogotenenziale|d\.{SP}?lgt\b\.?))",
    rf"(?P<dlcps>(?i:decreto{_S}legislativo{_S}{_CPS}|d\.?{SP}?lgs\.?{_S}{_CPS}|d\.?{SP}?lgs\.?{SP}*c\.?{SP}?p\.?{SP}?s\b\.?|d\.?{SP}?l\.?{SP}?c\.?{SP}?p\.?{SP}?s\b\.?))",
    rf"(?P<dcps>(?i:decreto{_S}{_CPS}|d\.{SP}?c\.{SP}?p\.{SP}?s\.))",
    rf"(?P<dcg>(?i:decreto{_S}del{_S}capo{_S}del{_S}governo))",
    rf"(?P<dlgspres>(?i:decreto{_S}legislativo{_S}presidenziale|d\.?{SP}?lgs\.?{_S}presidenziale))",
    rf"(?P<lr>(?:(?:(?i:legge|leg\.)|Iegge){_S}(?i:regionale|reg\.)|(?i:leggi{_S}regionali|ll\.{SP}?rr\.|llrr\b)|(?i:l\.{SP}?reg\.)|[lLI]\.{SP}?[rR]\.?(?!(?![nN][.°º])[a-zA-Z])|(?:[lL][rR]|Ir)\.?(?![\w]))"
    rf"|(?i:legge|leggi)(?={_S}(?i:della{_S}regione|regionale){_S}))",
    rf"(?P<lp>(?i:legg[ei]{_S}provincial[ei]|l\.{SP}?p\.(?={SP}*(?:n|\d))))",
    rf"(?P<lcost>(?i:legg[ei]{_S}costituzional[ei]|legge{_S}cost\.|l\.{SP}?cost(?:ituzionale\b|\.)))",
    rf"(?P<rr>(?i:regolament[oi]{_S}regional[ei]|reg\.{SP}?reg\.|r\.{SP}?r\.(?=\s*(?:n|\d))))",
    rf"(?P<dlgs>(?i:decreto{_S}legislativo|decreti{_S}legislativi|d\.?{SP}?[lI]gs\b\.?(?:vo\b\.?)?|d\.{SP}?l\.{SP}?vo\b\.?))",
    rf"(?P<dl>(?i:decret[oi][-{SP[1:-1]}]*legge\b|d\.{SP}?l\.(?!{SP}?vo)))",
    rf"(?P<opcm>(?i:o\.{SP}?p\.{SP}?c\.{SP}?m\b\.?|opcm\b|ordinanza{_S}del{_S}presidente{_S}del{_S}consiglio{_S}dei{_S}ministri))",
    rf"(?P<dpcm>(?i:d\.{SP}?p\.{SP}?c\.{SP}?m\b\.?|dpcm\b|decreto{_S}del{_S}presidente{_S}del{_S}consiglio{_S}dei{_S}ministri))",
    rf"(?P<dpgr>(?i:d\.{SP}?p\.{SP}?g\.{SP}?r\b\.?|dpgr\b|decreto{_S}del{_S}presidente{_S}della{_S}giunta{_S}regionale))",
    rf"(?P<dpr>(?i:d\.{SP}?p\.{SP}?r\b\.?|dpr\b|decreto{_S}del{_S}presidente{_S}della{_S}repubblica|decreto{_S}presidenziale))",
    rf"(?P<dmin>(?i:decret[oi]{_S}(?:del{_S})?minist(?:ro|ero)\b))",
    rf"(?P<dm>(?i:d\.{SP}?m\.|dm\b|d\.{SP}?i\.|decret[oi]{_S}(?:inter)?ministerial[ei]|decreto(?={_S}(?:{MIN_ACRONYMS})(?![\w]))))",
    rf"(?P<om>(?i:ordinanz[ae]{_S}ministerial[ei]|o\.{SP}?m\.(?={SP}*(?:n|\d))))",
    rf"(?P<rm>(?i:regolamento{_S}ministeriale))",
    rf"(?P<dd>(?i:decreto{_S}dirigenziale|decreto{_S}(?:del{_S})?direttore{_S}generale|d\.{SP}?d\.{SP}?(?:g|u\.{SP}?o|s)\.|ddg\b|dduo\b))",
    rf"(?P<decreg>(?i:decreto{_S}regionale))",
    rf"(?P<dgr>(?i:d\.{SP}?g\.{SP}?r\b\.?|dgr\b|ddgr\b|dd\.{SP}?gg\.{SP}?rr\.?|(?:deliberazioni|delibere){_S}(?:(?:di|della){_S})?giunta{_S}regionale|delib(?:erazione|era|\.){_S}(?:(?:di|della|dalla|del){_S})?giunta{_S}regionale))",
    rf"(?P<dcr>(?i:d\.{SP}?c\.{SP}?r\b\.?|dcr\b|delib(?:erazione|era|\.){_S}(?:(?:del|dal|dello){_S})?consiglio{_S}regionale"
    rf"|delib(?:erazione|era|\.){_S}(?:(?:dell['’]|dall['’]){SP}*)?assemblea{_S}legislativa(?:{_S}regionale)?|d\.{SP}?a\.{SP}?l\.(?={SP}*(?:n|\d))))",
    rf"(?P<cipe>(?i:delib(?:erazione|era)(?:{_S}del)?{_S}(?:cipe\b|comitato{_S}interministeriale{_S}per{_S}la{_S}programmazione{_S}economica)))",
    rf"(?P<dic>(?i:determinazione{_S}intercommissariale))",
    rf"(?P<delibsa>Deliberazione(?={_S}\d{{1,2}}{_S}))",
    rf"(?P<delib>(?i:deliberazione|delibera)\b)",
    rf"(?P<circ>(?i:circolar[ei]{_S}(?:regional[ei]|della{_S}regione)))",
    rf"(?P<circm>(?i:(?:lettera{_S})?circolar[ei](?:{_S}applicativ[ae])?(?:{_S}ministerial[ei])?\b))",
    rf"(?P<reg>(?i:reg(?:olamento|\.){SP}*(?:\({SP}*(?:ue|ce|cee){SP}*\)|(?:ue|ce|cee)\b)))",
    rf"(?P<cpp>(?i:c\.{SP}?p\.{SP}?p\.|codice{_S}di{_S}procedura{_S}penale|cod\.{SP}?proc\.{SP}?pen\.))",
    rf"(?P<cpc>(?i:c\.{SP}?p\.{SP}?c\.|codice{_S}di{_S}procedura{_S}civile|cod\.{SP}?proc\.{SP}?civ\.))",
    rf"(?P<cp>(?i:c\.{SP}?p\.(?!{SP}?[a-z]\.)|codice{_S}penale|cod\.{SP}?pen\.))",
    rf"(?P<cc>(?i:c\.{SP}?c\.|codice{_S}civile|cod\.{SP}?civ\.))",
    rf"(?P<statuto>(?i:statuto{_S}(?:regionale|della{_S}regione)))",
    rf"(?P<cost>(?i:costituzione|cost\.))",
    rf"(?P<tu>(?i:testo{_S}unico|t\.{SP}?u\.)(?={W},?{W}\d{{1,2}}[{SP[1:-1]}./-])|TU(?={_S}\d{{1,2}}[{SP[1:-1]}./-]))",
    rf"(?P<regsa>Regolamento(?={_S}\d{{1,2}}[{SP[1:-1]}./-]))",
    rf"(?P<decsa>(?:Decreto|D\.)(?={_S}\d{{1,2}}[{SP[1:-1]}./-]))",
    rf"(?P<legge>(?i:legge\b|leggi\b|ex{_S}lege\b)|Iegg[ei]\b|[lL]\. ?(?=\d|[nN][rR]?{SP}*[.°º]{SP}*\d)|L(?= \d{{1,5}}/\d{{2,4}}(?![\d/])))",
]
HEAD_RE = re.compile(rf"{B}(?=[LlIDdCcRrOoEeSsTt])(?:" + "|".join(HEAD_ALTS) + ")")
# -- article references ------------------------------------------------------------------------
ARTN = r"\d{1,4}(?:[- ]?(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)\b)?(?!\d)"
ART_WORD = r"(?:(?i:artt\.?|art\.|art(?=\s?\d)|articol[oi]))"
ART_NUMS = (
    rf"(?P<artnums>{ARTN}(?:{SP}*(?:,|e\b|ed\b|-|–){SP}*{ARTN})*)"
    rf"(?P<seq>{SP}+(?i:e{SP}+(?:seguenti|ss\.?|segg\.?))|{SP}*(?i:ss\.|segg\.))?"
)
COMMA_KW = rf"(?i:commi|comma|co\.|c\.|c(?={SP}?\d))"
LATIN = r"(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)"
CNUM = rf"\d{{1,4}}(?:-?{LATIN}\b)?(?!\d)"
ORDINALS = {
    "primo": 1, "secondo": 2, "terzo": 3, "quarto": 4, "quinto": 5, "sesto": 6, "settimo": 7, "ottavo": 8,
    "nono": 9, "decimo": 10, "undicesimo": 11, "dodicesimo": 12, "tredicesimo": 13, "quattordicesimo": 14,
    "quindicesimo": 15, "ultimo": "ultimo", "penultimo": "penultimo",
}  # fmt: skip
ORD = rf"(?i:{'|'.join(sorted(ORDINALS, key=len, reverse=True))})\b"
COMMA = (
    rf"(?:{SP}*,?{SP}*(?:(?P<ordc>\d{{1,3}}){SP}*[°º]{SP}*(?i:comma|co\.|c\.)"
    rf"|(?P<ordw>{ORD}(?:{SP}*(?:,|e\b|ed\b){SP}*{ORD})*){SP}+(?i:comma|commi)\b"
    rf"|(?i:comma){SP}+(?P<ordw2>{ORD})"
    rf"|{COMMA_KW}{SP}*(?P<commas>{CNUM}(?:{SP}*(?:,|e\b|ed\b){SP}*(?:{COMMA_KW}{SP}*)?{CNUM})*)"
    rf"(?P<cseq>{SP}+(?i:e{SP}+(?:seguenti|ss\.?|segg\.?))|{SP}*(?i:ss\.|segg\.))?))?"
)
LETTER = (
    rf"(?:{SP}*,?{SP}*(?i:lettere|lettera|lett\.?){SP}*"
    rf"(?P<letters>[a-zA-Z]\)?(?!\w)(?:(?:{SP}*,{SP}*|{SP}+(?:e|ed){SP}+|{SP}+)[a-z]\))*))?"
    rf"(?:{SP}*,?{SP}*(?i:n\.|num\.|numero|punto){SP}*\d{{1,3}}\b)?"  # "lettera c), n. 2"
)
PAREN = rf"(?:{SP}*\([^()\n]{{1,60}}\))?"
CONNECT = (
    rf"{SP}*,?{W}(?:(?:(?i:della|dello|del|dalla|dallo|dal|ex|di{SP}+cui{SP}+alla|di{SP}+cui{SP}+al|previst[oaie]{SP}+dalla|previst[oaie]{SP}+dal))\b{W}"
    rf"|(?i:dell['’]|di{SP}+cui{SP}+all['’]|previst[oaie]{SP}+dall['’]){W})?"
)
ARTICLE = rf"{ART_WORD}{SP}*{ART_NUMS}{PAREN}{COMMA}{LETTER}"
ART_START_RE = re.compile(ART_WORD)
PRE_ART_RE = re.compile(
    rf"(?:(?i:(?:primo|secondo|terzo|ultimo|penultimo){SP}+periodo){SP}+(?i:del){SP}+)?"
    rf"(?:(?i:lettera|lett\.?){SP}*(?P<pletter>[a-z])\){SP}*,?{SP}*(?:(?i:del|della){SP}+)?)?"
    rf"(?:(?:(?i:comma){SP}+(?P<pcomma>{CNUM}|{ORD})|(?P<pord>{ORD}){SP}+(?i:comma))(?:{SP}*,)?{SP}*(?:(?i:dell['’]|del){SP}*)?)?\Z"
)
PREFIX_RE = re.compile(rf"(?P<art>{ARTICLE}){PAREN}{CONNECT}")
SUFFIX_RE = re.compile(rf"{SP}*,?{SP}*(?:(?i:all['’]|agli{SP}+|nell['’]|ex){SP}*)?(?P<art>{ARTICLE})")
SUFFIX_PAREN_RE = re.compile(rf"{SP}*\({SP}*(?P<art>{ARTICLE}){SP}*\)")
SUFFIX_BLOCK_RE = re.compile(rf"{SP}*,?{SP}*(?i:del|della|dello|dell['’]|dalla|dal)\b")


def parse_year(s: str) -> tuple[int, bool] | None:
    """A year as written after a slash: ``(year, suspected_typo)`` or None when it cannot be a year.

    Two digits are expanded (``21`` -> 2021, ``92`` -> 1992); a three-digit ``019`` or a five-digit
    ``32021`` is read as the evident year with ``suspected_typo`` set.
    """
    if not s.isdigit():
        return None
    if len(s) == 4:
        y = int(s)
        return (y, False) if 1800 <= y <= 2100 else None
    if len(s) == 2:
        y = int(s)
        return (2000 + y if y <= 30 else 1900 + y), False
    if len(s) == 3 and s[0] == "0":
        return 2000 + int(s[1:]), True
    if len(s) == 5:
        for cand in (s[1:], s[:4]):
            y = int(cand)
            if 1900 <= y <= 2100:
                return y, True
    return None


def date_from(m: re.Match[str], p: str = "t") -> str | None:
    """ISO date from a match of the DATE sub-pattern with prefix ``p``, or None if invalid."""
    if m.group(f"{p}d") is not None:
        d, mo, y = int(m.group(f"{p}d")), MONTHS[m.group(f"{p}m").lower()], int(m.group(f"{p}y"))
    elif m.group(f"{p}d2") is not None:
        d, mo = int(m.group(f"{p}d2")), int(m.group(f"{p}m2"))
        ys = m.group(f"{p}y2")
        y = int(ys) if len(ys) == 4 else parse_year(ys)[0]  # type: ignore[index]
    else:
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1800 <= y <= 2100):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


ROMANS = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X", 11: "XI", 12: "XII", 13: "XIII", 14: "XIV", 15: "XV"}
ROMAN_VALUES = {v: k for k, v in ROMANS.items()}
# First day of each legislature of the Lombardy regional council (approximate start dates).
LOMBARDY_LEGISLATURES = [
    ("2000-05-01", "VII"), ("2005-05-01", "VIII"), ("2010-04-15", "IX"),
    ("2013-03-15", "X"), ("2018-03-26", "XI"), ("2023-03-13", "XII"),
]  # fmt: skip


def legislature_of(date: str | None, year: int | None) -> str | None:
    """The Lombardy legislature in force on a date (or during a whole year), if determinable."""
    if date:
        leg = None
        for start, name in LOMBARDY_LEGISLATURES:
            if date >= start:
                leg = name
        return leg
    if year:
        first, last = legislature_of(f"{year}-01-01", None), legislature_of(f"{year}-12-31", None)
        return first if first == last else None
    return None


def normalise_article(m: re.Match[str]) -> tuple[str | None, str | None, str | None]:
    """(article, comma, letter) from a match of :data:`ARTICLE` (lists joined with commas)."""
    nums = m.group("artnums")
    art = re.sub(rf"{SP}*(?:,|\be\b|\bed\b){SP}*", ",", nums).replace("–", "-")
    art = re.sub(rf"{SP}+(?={LATIN})", "-", art).replace(" ", "")  # "337 quater" -> "337-quater"
    if m.group("seq"):
        art += " ss."
    comma = None
    if m.group("ordc"):
        comma = m.group("ordc")
    elif m.group("ordw") or m.group("ordw2"):
        words = re.findall(ORD, m.group("ordw") or m.group("ordw2"))
        comma = ",".join(str(ORDINALS[w.lower()]) for w in words)
    elif m.group("commas"):
        nums = re.findall(rf"\d+(?:-?{LATIN}\b)?", m.group("commas"))
        comma = ",".join(nums) + (" ss." if m.group("cseq") else "")
    letter = None
    if m.group("letters"):
        letter = ",".join(c.lower() for c in re.findall(r"[a-zA-Z](?=\)|\W|$)", m.group("letters")))
    return art, comma, letter


# "art. 34 del presente testo unico", "della presente legge": the act the document is.
SELF_RE = re.compile(
    rf"(?<![\w])(?i:present[ei]){SP}+(?P<what>(?i:testo{SP}+unico|decreto(?:[-{SP[1:-1]}]+legge|{SP}+legislativo)?|legge(?:{SP}+regionale)?|codice|regolamento(?:{SP}+regionale)?|costituzione))\b"
)
