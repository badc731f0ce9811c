"""The regular grammar of Italian normative references: act heads, number/date tails, article parts.

Everything here is a pure function of a string; :mod:`ingest.citations` runs the grammar over a
document and resolves what it finds. Tolerated OCR damage: ``I.r.``/``Ir`` for ``l.r.``, ``Igs`` for
``lgs`` (``d. Igs.``, ``DIgs.``), and citations split over up to two line breaks ("n.\\n\\n296").
"""

from __future__ import annotations

import re

SP = r"[ \t\u00a0]"
W = rf"{SP}*(?:\n{SP}*){{0,2}}"  # optional whitespace crossing at most two line breaks
B = r"(?<![\w.'’])"  # left word boundary that also refuses a dot ("D.L." inside "A.D.L.")

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
REGION_RE = rf"(?:{SP}+(?i:della{SP}+)?(?i:regione{SP}+)?(?P<region>(?i:{'|'.join(re.escape(r).replace(' ', SP + '+') for r in sorted(REGIONS, key=len, reverse=True))}))\b)?"
REGION_TAIL_RE = re.compile(REGION_RE)

# -- act heads ---------------------------------------------------------------------------------
# One named group per family; order matters where two heads start at the same character.
HEAD_RE = re.compile(
    rf"{B}(?=[LlIDdCcRr])(?:"
    + "|".join(
        [
            rf"(?P<lr>{B}(?:(?i:legge|leg\.){SP}+(?i:regionale|reg\.)|(?i:leggi{SP}+regionali|ll\.{SP}?rr\.)|(?i:l\.{SP}?reg\.)|[lLI]\.{SP}?[rR]\.?(?![a-zA-Z])|(?:[lL][rR]|Ir)\.?(?![\w])))",
            rf"(?P<lcost>{B}(?i:legge{SP}+costituzionale|l\.{SP}?cost\.))",
            rf"(?P<rr>{B}(?i:regolamento{SP}+regionale|reg\.{SP}?reg\.|r\.{SP}?r\.(?=\s*(?:n|\d))))",
            rf"(?P<dlgs>{B}(?i:decreto{SP}+legislativo|d\.?{SP}?[lI]gs\b\.?(?:vo\b\.?)?|d\.{SP}?l\.{SP}?vo\b\.?))",
            rf"(?P<dl>{B}(?i:decreto[{SP[1:-1]}-]+legge\b|d\.{SP}?l\.(?!{SP}?vo)))",
            rf"(?P<dpcm>{B}(?i:d\.{SP}?p\.{SP}?c\.{SP}?m\b\.?|dpcm\b|decreto{SP}+del{SP}+presidente{SP}+del{SP}+consiglio{SP}+dei{SP}+ministri))",
            rf"(?P<dpr>{B}(?i:d\.{SP}?p\.{SP}?r\b\.?|dpr\b|decreto{SP}+del{SP}+presidente{SP}+della{SP}+repubblica))",
            rf"(?P<dmin>{B}(?i:decreto{SP}+(?:del{SP}+)?minist(?:ro|ero)\b))",
            rf"(?P<dm>{B}(?i:d\.{SP}?m\.|dm\b|decreto{SP}+(?:inter)?ministeriale))",
            rf"(?P<decreg>{B}(?i:decreto{SP}+regionale))",
            rf"(?P<dgr>{B}(?i:d\.{SP}?g\.{SP}?r\b\.?|dgr\b|dd\.{SP}?gg\.{SP}?rr\.?|(?:deliberazioni|delibere){SP}+(?:(?:di|della){SP}+)?giunta{SP}+regionale|delib(?:erazione|era|\.){SP}+(?:(?:di|della|dalla|del){SP}+)?giunta{SP}+regionale))",
            rf"(?P<dcr>{B}(?i:d\.{SP}?c\.{SP}?r\b\.?|dcr\b|delib(?:erazione|era|\.){SP}+(?:(?:del|dal|dello){SP}+)?consiglio{SP}+regionale))",
            rf"(?P<delib>{B}(?i:deliberazione|delibera)\b)",
            rf"(?P<circ>{B}(?i:circolare{SP}+(?:regionale|della{SP}+regione)))",
            rf"(?P<reg>{B}(?i:reg(?:olamento|\.){SP}*(?:\({SP}*(?:ue|ce|cee){SP}*\)|(?:ue|ce|cee)\b)))",
            rf"(?P<cpc>{B}(?i:c\.{SP}?p\.{SP}?c\.|codice{SP}+di{SP}+procedura{SP}+civile|cod\.{SP}?proc\.{SP}?civ\.))",
            rf"(?P<cc>{B}(?i:c\.{SP}?c\.|codice{SP}+civile|cod\.{SP}?civ\.))",
            rf"(?P<cost>{B}(?i:costituzione|cost\.))",
            rf"(?P<legge>{B}(?:(?i:legge)\b|[lL]\. ?(?=\d|[nN][rR]?{SP}*[.°º]{SP}*\d)))",
        ]
    )
    + ")"
)
OCR_HEAD_CS = re.compile(r"^I\.?\s?r|^Ir|[DdI]\.?\s?Igs|^DIgs")  # case-sensitive check

# -- tails: number, year, date -----------------------------------------------------------------
MARK = rf"(?:[nN](?:[rR]\.?|um(?:ero|\.)?)?{SP}*[.°º]?{SP}*°?{W})"
NUM = r"(?P<num>\d{1,5}(?:[- ]?(?:bis|ter|quater)\b)?)(?!\d)(?![.,]\d)"


def _date(p: str) -> str:
    return (
        rf"(?:(?P<{p}d>\d{{1,2}})(?:°|º)?{SP}+(?P<{p}m>(?i:{MONTH_RE})){SP}+(?P<{p}y>\d{{4}})"
        rf"|(?P<{p}d2>\d{{1,2}})[./-](?P<{p}m2>\d{{1,2}})[./-](?P<{p}y2>\d{{4}}|\d{{2}}))(?!\d)"
    )


DATE = _date("t")
NOT_DATE_NEXT = rf"(?!{W}(?i:{MONTH_RE})\b)(?![./-]\d)"
DEL = rf"(?i:del|dell['’]|in{SP}+data|seduta{SP}+del)"

TAILS: list[tuple[str, re.Pattern[str]]] = [
    ("date_num", re.compile(rf"{W},?{W}(?:{DEL}{W})?{DATE}{SP}*[,\-–]?{W}{MARK}{NUM}")),
    ("num_date", re.compile(rf"{W}{MARK}?{NUM}{SP}*,?{W}(?:{DEL}{W})?{DATE}")),
    ("num_year", re.compile(rf"{W}{MARK}?{NUM}{SP}*/{SP}*(?P<yr>\d{{2,5}})(?!\d)")),
    ("num_del_year", re.compile(rf"{W}{MARK}?{NUM}{W}(?i:del|dell['’]anno){W}(?P<yr>\d{{4}})(?![\d./-])")),
    ("num", re.compile(rf"{W}{MARK}?{NUM}{NOT_DATE_NEXT}(?![\d/])")),
]
DATE_ONLY_RE = re.compile(rf"{W},?{W}(?:{DEL}{W})?{DATE}")
# "Legge Delega sulle disabilità n. 227/2021": up to four qualifier words, then an explicit number.
QUALIFIER_RE = re.compile(
    rf"(?:{SP}+(?!(?i:regional\w*|reg\.|costituzional\w*|n\b|nr\b|del\b|della\b|di\b|e\b))[A-Za-zÀ-ÿ'’]+){{1,4}}{SP}+(?=[nN][r.°º ])"
)
# Deliberations: legislature and number ("XI/4563", "XII 2167", "XI_4563", "n. 8/9716").
DGR_TAILS: list[tuple[str, re.Pattern[str]]] = [
    ("date_leg", re.compile(rf"{W},?{W}(?:{DEL}{W})?{DATE}{SP}*,?{W}{MARK}(?:(?P<leg>[IVX]{{1,5}}|\d{{1,2}}){SP}*[/_]{SP}*)?{NUM}")),
    (
        "roman",
        re.compile(rf"{W}{MARK}?(?P<leg>[IVX]{{1,5}})(?:{SP}*[/_\-]{SP}*|{SP}+){NUM}(?:{SP}*/{SP}*(?P<yr>\d{{4}})(?!\d))?(?:{SP}*,?{W}{DEL}{W}{DATE})?"),
    ),
    ("slash", re.compile(rf"{W}{MARK}?(?P<a>\d{{1,5}}){SP}*/{SP}*(?P<b>\d{{2,5}})(?!\d)(?:{SP}*,?{W}{DEL}{W}{DATE})?")),
    ("num_date", re.compile(rf"{W}{MARK}?{NUM}{SP}*,?{W}{DEL}{W}{DATE}")),
    ("num_del_year", re.compile(rf"{W}{MARK}?{NUM}{W}(?i:del){W}(?P<yr>\d{{4}})(?![\d./-])")),
    ("num", re.compile(rf"{W}{MARK}{NUM}{NOT_DATE_NEXT}(?![\d/])")),
]
# "L.R. 3/2008 e 23/2015", "DGR XI/4563 e XI/5557": another number under the same head.
CONT_RE = re.compile(rf"{SP}*(?:,|(?i:e|ed)\b){SP}*(?=[nN](?:r\.?|\.|°|º)|\d|[IVX]{{1,5}}[/_ ]\d)")
EU_TAIL = re.compile(rf"{W}{MARK}?(?P<a>\d{{1,4}}){SP}*/{SP}*(?P<b>\d{{1,4}})(?!\d)")
MINISTRY_STOP = re.compile(rf"{SP}+(?=[nN](?:r\.?|\.|°|º){SP}*\d|(?i:del|dell['’]|in{SP}+data){SP}+\d|\d{{1,2}}[./-]\d)")
# (keyword in the ministry's name, code used in ``dm.<code>`` ids)
MINISTRIES = [
    ("lavoro", "mlps"),
    ("salute", "salute"),
    ("economia", "mef"),
    ("istruzione", "mim"),
    ("interno", "interno"),
    ("giustizia", "giustizia"),
]

# -- article references ------------------------------------------------------------------------
ARTN = r"\d{1,4}(?:[- ]?(?:bis|ter|quater|quinquies|sexies)\b)?(?!\d)"
ART_WORD = r"(?:(?i:artt\.?|art\.|art(?=\s?\d)|articol[oi]))"
ART_NUMS = (
    rf"(?P<artnums>{ARTN}(?:{SP}*(?:,|e\b|ed\b|-|–){SP}*{ARTN})*)"
    rf"(?P<seq>{SP}+(?i:e{SP}+(?:seguenti|ss\.?|segg\.?))|{SP}*(?i:ss\.|segg\.))?"
)
COMMA_KW = rf"(?i:commi|comma|co\.|c\.|c(?={SP}?\d))"
COMMA = (
    rf"(?:{SP}*,?{SP}*(?:(?P<ordc>\d{{1,3}}){SP}*[°º]{SP}*(?i:comma|co\.|c\.)"
    rf"|{COMMA_KW}{SP}*(?P<commas>\d{{1,4}}(?:{SP}*(?:,|e\b|ed\b){SP}*(?:{COMMA_KW}{SP}*)?\d{{1,4}})*)"
    rf"(?P<cseq>{SP}+(?i:e{SP}+(?:seguenti|ss\.?|segg\.?))|{SP}*(?i:ss\.|segg\.))?))?"
)
LETTER = (
    rf"(?:{SP}*,?{SP}*(?i:lettere|lettera|lett\.?){SP}*"
    rf"(?P<letters>[a-zA-Z]\)?(?!\w)(?:(?:{SP}*,{SP}*|{SP}+(?:e|ed){SP}+|{SP}+)[a-z]\))*))?"
)
PAREN = rf"(?:{SP}*\([^()\n]{{1,60}}\))?"
CONNECT = (
    rf"{SP}*,?{W}(?:(?:(?i:della|dello|del|dalla|dallo|dal|ex|di{SP}+cui{SP}+alla|di{SP}+cui{SP}+al|previst[oaie]{SP}+dalla|previst[oaie]{SP}+dal))\b{W}"
    rf"|(?i:dell['’]|di{SP}+cui{SP}+all['’]|previst[oaie]{SP}+dall['’]){W})?"
)
ARTICLE = rf"{ART_WORD}{SP}*{ART_NUMS}{PAREN}{COMMA}{LETTER}"
ART_START_RE = re.compile(ART_WORD)
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
    art = re.sub(rf"{SP}*(?:,|\be\b|\bed\b){SP}*", ",", nums).replace("–", "-").replace(" ", "")
    if m.group("seq"):
        art += " ss."
    comma = None
    if m.group("ordc"):
        comma = m.group("ordc")
    elif m.group("commas"):
        comma = ",".join(re.findall(r"\d+", m.group("commas"))) + (" ss." if m.group("cseq") else "")
    letter = None
    if m.group("letters"):
        letter = ",".join(c.lower() for c in re.findall(r"[a-zA-Z](?=\)|\W|$)", m.group("letters")))
    return art, comma, letter
