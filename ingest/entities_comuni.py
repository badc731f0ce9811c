"""Enumerations of comuni in any typography, validated against the ISTAT gazetteer.

An enumeration is a run of two or more comune names separated only by list punctuation (commas,
semicolons, "e"/"ed", slashes, bullets, empty slots of a mirror that deleted names), or by the rest
of a table row or signatory line when every item opens its own line ("3| Casalmaggiore 7554 ...",
"- Carpiano, rappresentata dal Sindaco ..."), or by a person's name and role between them: an attendance table read
cell by cell ("Comune di X Sindaco N. N. presente Comune di Y ..."), mayors each after their comune ("il sindaco di X
N. N., di Y e di Z"), people each with their comune in brackets ("N. N. (X), N. N. (Y)"). It lists MEMBERS of an Ambito when the words before it
say so ("comprende i Comuni di", "costituita dai Comuni di", "Sindaci dei Comuni associati",
"i Comuni dell'Ambito ... (", a "Comune" column under a residents' heading), or when a number of
comuni stated before it ("firmata da 10 comuni", "i sette Comuni") equals the number listed where an association, a
service or an act of the comuni is named around them (not "i quattro Comuni di A, B, C e D tornano al voto"), or an Ambito
named in brackets right after it ("A, B e C (AMBITO N.1)"), or an Ambito's name and its capofila right before it (a table
row read as a line: "Ambito Territoriale Sociale 20 Comune capofila A, B"), or the Ambito or its ente runs its services there
("il distretto ... gestisce i progetti nel capoluogo e a A, B"). It is no Ambito's list when another ente whose
territory is a set of comuni (a union, a health agency, a park, a città metropolitana) is the subject of the
membership verb, or its object in a sentence that names no Ambito, when the comuni are seats ("i Comuni sede di distretto"), or when the
agreement is of another sector (gas, waste, water) with nothing social around it. The comune names
themselves are spotted by ingest/comuni_names.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.comuni_names import BAD_GAP, Item, names_at, ocr_near, province_head, unknown_items
from ingest.entities_places import key

# List bullets as word processors and PDF extraction write them: dots, squares, arrows, check marks,
# and the Symbol / Wingdings glyphs of the private-use area (U+F0B7, U+F0A7, U+F0D8 ...).
BULLETS = "\u2022\u25aa\u25ab\u25cf\u25e6\u25a0\u25a1\u25c6\u25c7\u25ba\u25b6\u27a2\u27a4\u2794\u2756\u2713\u2714\u2043\u2219\u2666\u00b7\uf000-\uf0ff"
GAP = re.compile(r"^(?:[\s,;:|/" + BULLETS + r"*_>\-\u2013\u2014\u2212]|\.(?=[ \t]*[-\u2013\u2014])|(?<=\n)o(?=[ \t])|\b[a-z]\)(?=[ \t])|\b(?:e|ed|di|nonch[e\u00e9\u00e8])(?![\w\u00e0-\u00ff])|\b(?:(?:comune|ente)\s+)?capofila\b|\bche\s+(?:[\u00e8e]|rimarr[\u00e0a]|sar[\u00e0a]|resta|rimane)\s+(?=capofila\b)|\bcentro\s+leader\b|\bcapoluogo\b|\binsieme\s+(?:a|ad|ai|agli)\b|\b(?:ab|abitanti|residenti)\b\.?|\b(?:il\s+)?[Cc]omune\s+(?:capofila\s+)?di\b|\b(?:e|ed)\s+(?:i|gli\s+altri)\s+[Cc]omuni\s+di\b|\([^()\n]{1,40}\)"
                 r"|\b\d{1,3}[.)](?=\s)|\b\d[\d.,%]*\b|\b(?:il|la)\s+(?:sindac[oa]|vicesindac[oa]|assessore)\s+del\s+comune\s+di\b)*$", re.I)
ROW_LEAD = re.compile(r"[ \t]*(?:[-*" + BULLETS + r">|\u2013\u2014\u2212]+[ \t]*|o[ \t]+|\d{1,3}[ \t]*[|.)\-]?[ \t]*|[a-z]\)[ \t]*)*"
                      r"(?:\*\*|_)?(?:(?:il|la|per il)\s+)?(?:(?:sindac[oa]|vicesindac[oa]|assessore|delegat[oa])\s+del\s+)?"
                      r"(?:Comune di\s+)?$", re.I)
MEMBER_CUE = re.compile(
    r"\b(?:comprend\w*|includ\w*|raggrupp\w*|si\s+compone|compost[oaie]\b|costituit[oaie]\b|format[oaie] da|fanno parte|ne fanno parte|aderent[ei]\b|aderiscono"
    # joining: "entrano a farne parte anche i Comuni di", "è entrato a far parte"
    r"|entrat[oaie]\s+a\s+far(?:ne)?\s+parte|entra(?:no)?\s+a\s+far(?:ne)?\s+parte|entreranno\s+a\s+far(?:ne)?\s+parte"
    r"|associat[ie]\b|consorziat[ie]\b|soci\b|compagine\s+(?:sociale|societaria|consortile)\b|membri\b|fondator[ei]\b|afferent[ei]\b|appartenent[ei]\b|ricompres[ie]\b|compres[ie]\b"
    r"|comuni\s+(?:di|del|dell|della|dello|dei|degli|delle)\b|comuni\s+dell['\u2019]|comuni\s*:|residenti\s+nell['\u2019]\s*ambito"
    r"|sindaci\s+dei\s+comuni|i\s+comuni\s+(?:sono|che)|territorio\s+(?:dei|di)\s+comuni|\bcomune\b\s*$"
    # the roll call of a body of the Ambito's comuni: "Comuni presenti:", "si è riunito il Coordinamento
    # Istituzionale ... e risultano presenti:" (its members answer it, present or absent)
    r"|(?:comuni|sindaci)\s+(?:presenti|assenti|intervenuti|rappresentati)\b"
    r"|(?:assemblea|coordinamento\s+istituzionale|comitato\s+dei\s+sindaci|conferenza\s+dei\s+sindaci)\b(?:[^.;]|\.(?=\s*\d))"
    r"{0,300}(?:\b(?:presenti|assenti)\s*:|\b(?:rappresentanti|sindaci|delegati)\s+dei\s+comuni\s+(?:come\s+)?(?:sotto|di\s+seguito)\s+"
    r"(?:indicat|elencat|riportat)\w*)"
    r"|seguenti\s+comuni|facenti\s+parte|partecipant[ei]\b|elenco\s+(?:dei\s+)?comuni|sottoscritt\w*|sottoscriv\w*|firmatar\w*|\bi\s+sindaci\b"
    r"|(?:ambito|distretto)\b[^.;\n]{0,60}[(:]\s*$"
    r"|(?:(?<=\n)|^)[ \t|]*tra[ \t|:]*\n[^\n]*$|\btra\s+(?:i|il|gli\s+enti|le\s+amministrazioni)\b[^.;\n]{0,30}$)",  # the parties of an agreement: "TRA\n il Comune di ..."
    re.I,
)
# The signature of a party, or a mayor's role, before a comune name on its line.
ROLE_LEAD = re.compile(r"(?i)\b(?:(?:sindac[oa]|vice[ -]?sindac[oa]|assessore|delegat[oa])\s+(?:\w+\s+){0,2}?del\s+comune\s+di"
                       r"|per\s+(?:il|l['\u2019])\s*(?:amministrazione\s+)?comune\s+di)\s*(?:\*\*|_)?\s*$")
# Words that put the comuni after them as places (residence, seat, birth), not as members.
LOCATIVE_BEFORE = re.compile(r"(?i)\b(?:resident[ei]|residenti|domiciliat[oaie]|sede|sedi|nat[oaie]|presso|abitant[ei])\s+(?:a|in|di|nei\s+comuni\s+di)?\s*$"
                             r"|\b(?:a|in|presso)\s*$")
COVER = 800
HEADER = 120  # a list that opens the text (its first line or two) is the page header
# A membership verb right after a list (the list is its subject): "... e Pradalunga costituiscono
# l'Ambito", "..., che compongono il Distretto", "... fanno parte dell'Ambito".
POST_CUE = re.compile(
    r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?,?\s*(?:che\s+)?((?:costituiscono|compongono|formano|fanno\s+parte|aderiscono|appartengono"
    r"|sono\s+(?:i\s+)?(?:comuni|membri|soci)\b|hanno\s+(?:sottoscritto|firmato|siglato|aderito|approvato)|sottoscrivono|firmano|partecipano)"
    r"[^.;\n]{0,40}?\b(?:ambito|distretto|piano\s+di\s+zona|accordo|zona|consorzio|azienda|gestione\s+associata|unione)\b)",
    re.I,
)
# The purposes of the local services that comuni run together outside the social field (D.Lgs. 267/2000 art. 30 and
# the sector laws: gas distribution D.Lgs. 164/2000 and D.M. 226/2011, water D.Lgs. 152/2006, waste, transport,
# municipal police L. 65/1986, the land registry, public lighting), and the words of the social field.
OTHER_PURPOSE = re.compile(r"(?i)\b(?:gas\b|metano|gpl\b|rifiuti|igiene\s+urbana|servizio\s+idrico|acquedott\w*|fognatur\w*|depurazion\w*"
                           r"|trasporto\s+pubblico|polizia\s+locale|catasto|illuminazione\s+pubblica|segreteria\s+comunale"
                           # land-use planning (L. 1150/1942; the regional laws' PGT, PUG, PTCP): a plan of another field
                           r"|urbanistic\w*|P\.?G\.?T\.?(?=\W)|P\.?U\.?G\.?(?=\W)|P\.?T\.?C\.?P\.?(?=\W)|piano\s+di\s+governo\s+del\s+territorio)")
SOCIAL_CONTEXT = re.compile(r"(?i)\b(?:social[ei]|socio[- ]?sanitari\w*|sociosanitari\w*|welfare|piano\s+di\s+zona|pian[oi]\s+social\w*"
                            r"|ambit[oi]|distrett[oi]|plus\b|assistenz\w*|servizi\s+alla\s+persona|minori|anziani|disabil\w*)")
SERVES_CUE = re.compile(r"(?i)\b(?:ambito|distretto|plus|piano\s+di\s+zona|consorzio|azienda)\b[^.;\n]{0,120}?\b((?:gestisc\w*|eroga\w*|opera\w*)\b"
                        r"[^.;\n]{0,80}?\b(?:nei\s+comuni\s+di|nel\s+capoluogo\s+e\s+(?:a|nei\s+comuni\s+di)|nei\s+territori\s+di))\s*$")
UNION_NAME = re.compile(r"(?i)\bunion[ei]\s+(?:dei|di)\s*$")
# The entes whose territory is a set of comuni other than an Ambito's: a union of comuni (D.Lgs. 267/2000 art. 32), a
# health agency (ATS/ASST of L.R. 23/2015, ASL/AUSL/ULSS of D.Lgs. 502/1992), a park (L. 394/1991). A comunità montana
# or a province is not one of them: in Lombardy either often is the Ambito's own ente or territory (L.R. 3/2008 art. 18).
OTHER_ENTE = (r"(?:union[ei]\b|A\.?S\.?S\.?T\b|A\.?T\.?S\b|A\.?S\.?L\b|AUSL\b|ULSS\b"
              # a città metropolitana (L. 56/2014 art. 1 c. 2, 5: its comuni are those of the former province; no Ambito
              # of L. 328/2000 art. 8 spans one)
              r"|citt[\u00e0a]\s+metropolitana\b|aziend[ae]\s+socio[- ]?sanitari[ae]|agenzi[ae]\s+di\s+tutela|parco\b)")
# ...unless the words after it name the Ambito as well ("l'Unione X, ente gestore del Piano di Zona")
NOT_THE_AMBITO = (r"(?![^.;\n]{0,80}\b(?:ambito|distretto|piano\s+di\s+zona|capofila"
                  r"|ente\s+gestore\s+(?:del|dei|delle|della|dell['\u2019])\s*(?:piano|serviz|ambit|funzion|distrett))\b)")
# (not after a locative preposition: "L'Ambito di Rho, nella Città metropolitana di Milano, comprende ..." places the
# subject, it is not the subject)
ENTE_BEFORE = re.compile(r"(?i)(?<!\bnella\s)(?<!\bnel\s)(?<!\bnell['\u2019])(?<!\bin\s)\b" + OTHER_ENTE + NOT_THE_AMBITO)
# the membership verb's object is that ente: "i Sindaci dei 44 Comuni compresi nel territorio dell'ASST Franciacorta"
ENTE_OBJECT = re.compile(r"(?i)[^.;:\n]{0,20}?\b(?:nel|nella|nell['\u2019]|del|della|dell['\u2019]|dal|dalla|dall['\u2019]|al|alla"
                         # the direct object of the membership verb: "i Comuni che compongono la città metropolitana"
                         r"|all['\u2019]|(?<=compongono\s)(?:la|il|l['\u2019])|(?<=costituiscono\s)(?:la|il|l['\u2019])"
                         r"|(?<=formano\s)(?:la|il|l['\u2019]))\s*(?:(?:territorio|area|circoscrizione)\s+(?:del|della|dell['\u2019])\s*)?" + OTHER_ENTE)
# the ente right after the last cue, its genitive in the cue ("i comuni della città metropolitana: A, B", "comuni dell'ASST")
ENTE_AFTER_CUE = re.compile(r"(?i)[ \t]*" + OTHER_ENTE + NOT_THE_AMBITO)
# An Ambito named in brackets right after a list: its members ("i comuni di A, B e C (Ambito n. 3)",
# "A, B, C (Distretto di X)"); a number of people or an address in brackets says nothing of the kind.
POST_PAREN = re.compile(r"[ \t]*\([ \t]*((?:AMBITO|Ambito|ambito|DISTRETTO|Distretto|distretto|PLUS|Plus|Zona [Ss]ociale|ZONA SOCIALE)\b[^()\n]{0,40})\)")
COVER_HEAD = re.compile(r"\b(?:AMBITO|Ambito|DISTRETTO|Distretto|PIANO DI ZONA|Piano di Zona)\b")
# The clause right after a list that puts its comuni elsewhere: "..., che appartengono ad altri ambiti".
NEGATIVE_AFTER = re.compile(r"[^.;\n]{0,60}?\b(?:altri\s+ambiti|altro\s+ambito|ambiti\s+limitrofi|ambiti\s+confinanti|esterni\s+all)", re.I)
# (the comuni that host something - "i Comuni sede di distretto sanitario: A, B" - are its seats, not members)
NEGATIVE_CUE = re.compile(r"\b(?:ad eccezione|escluso|esclusi|tranne|salvo|altri ambiti|ambiti limitrofi|confina\w*|sed[ei]\s+(?:di|del|della|dei|delle))\b", re.I)
# A plural head right before the list: the list names Ambiti after their comuni ("in collaborazione con gli Ambiti di
# Mantova, Oglio Po e Ostiglia", "i Distretti di Vimercate e Trezzo"), not members
AMBITI_BEFORE = re.compile(r"(?i)\b(?:ambiti|distretti)[ \t]+(?:(?:territoriali|distrettuali|sociali|socio[- ]?sanitari)[ \t]+)?"
                           r"(?:di|del|dei|delle|della|dell['\u2019])[ \t]*$")
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici sedici "
    "diciassette diciotto diciannove".split())}
for _t, _tens in enumerate("venti trenta quaranta cinquanta sessanta settanta ottanta novanta".split(), start=2):
    # Italian cardinals: the tens drop their last vowel before "uno" and "otto" (ventuno, trentotto), "tre" is "tré"
    NUMBER_WORDS[_tens] = _t * 10
    for _u, _unit in enumerate("uno due tre quattro cinque sei sette otto nove".split(), start=1):
        NUMBER_WORDS[(_tens[:-1] if _unit[0] in "uo" else _tens) + _unit] = _t * 10 + _u
        if _unit == "tre":
            NUMBER_WORDS[_tens + "tr\u00e9"] = _t * 10 + 3
COUNT_RE = re.compile(r"\b(\d{1,3}|(?i:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))\s+(?:[Cc]omuni|COMUNI)\b")


@dataclass
class Enumeration:
    items: list[Item]
    rows: bool = False  # one item per line (a table, a signatory list)
    member: bool = False
    cue: str | None = None  # the words that make it a membership list
    cue_start: int = 0
    count_stated: int | None = None
    count_start: int | None = None
    unresolved: list[str] = field(default_factory=list)  # list slots whose name the gazetteer lacks
    extra: dict = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.items[0].start

    @property
    def end(self) -> int:
        return self.items[-1].end


# Between two comuni of an attendance table flattened to one line (a web or PDF table read cell by
# cell): the representative's name and role, the presence mark, the next row's number and "Comune di"
# ("Gemona del Friuli Revelant Roberto PRESENTE Malborghetto ...", "1) Comune di Manduria Presidente
# Roberto Puglia X 2) Comune di ..."): capitalised words, roles, marks and row numbers only.
ATTEND_MARK = re.compile(r"(?<![\w'\u2019])(?:PRESENTE|ASSENTE|PRESENTI|ASSENTI|[Pp]resente|[Aa]ssente|X)(?![\w'\u2019])")
# a lower-case presence mark or role is a cell too ("Comune di Osoppo Sindaco L. Bottoni presente Comune di ...",
# "Comune di X vicesindaco presente")
ATTEND_GAP = re.compile(r"(?:\s+|[-\u2013\u2014/]|\d{1,3}[.)]|[A-Z\u00c0-\u00dd][\w'\u2019.]*|(?:di|de|del|della|dei|d['\u2019])(?=\s)|X"
                        r"|(?:presente|assente|presenti|assenti|sindac[oa]|vice[ -]?sindac[oa]|assessor[ea]|delegat[oa]|consiglier[ea])(?![\w'\u2019])"
                        r"|con\s+delega(?:\s+permanente)?\b)*")


EMPTY_SLOT = re.compile(r"(?i)[ \t]*,?[ \t]*\b(?:(?:il|la|l['\u2019])[ \t]*)?(?:comune|provincia|ente)?[ \t]*\bdi[ \t]*(?=,)")


# Between two comuni of a list of the mayors who sign or attend for them: the next representative's name and
# role ("rappresentati da A. Benevento Sindaco di X, da A. Chiarello Sindaco di Y, dall'assessore S. Varrina
# delegato da D. Cornicello Sindaco di Z"): capitalised names, role words and the prepositions that link them.
REPRESENTATIVE_GAP = re.compile(
    r"(?:[\s,;]|\b(?:e|ed|da|dal|dalla|dall['\u2019]|di|del|il|la|l['\u2019])\b|['\u2019]"
    r"|\b(?i:sindac[oa]|vice[ -]?sindac[oa]|assessor[ea]|consigliere|consigliera|delegat[oa]|presidente|commissari[oa])\b"
    r"|\b[A-Z\u00c0-\u00dd][\w'\u2019.]*)*")
ROLE_WORD = re.compile(r"(?i)\b(?:sindac[oa]|vice[ -]?sindac[oa]|assessor[ea]|consiglier[ea]|delegat[oa]|presidente|commissari[oa])\b")


def _representative_gap(gap: str) -> bool:
    # the next representative's name stands between the two comuni: a gap of a role alone (", sindaco di") follows a
    # person's surname, not a comune ("Presidente: Ettore Gerosa, sindaco di Mortara")
    return (len(gap) <= 160 and "\n\n" not in gap and bool(re.match(r"\s*(?:,|(?:e|ed)\b)", gap)) and len(ROLE_WORD.findall(gap)) >= 1
            and re.search(r"[A-Z\u00c0-\u00dd][\w'\u2019.]*", ROLE_WORD.sub("", gap)) is not None
            and re.search(r"(?i)\b(?:sindac[oa]|vice[ -]?sindac[oa]|assessore)\s+di\s*$", gap) is not None
            and REPRESENTATIVE_GAP.fullmatch(gap) is not None)


# A list of mayors, each after the comune they lead ("il primo cittadino di A Mario Rossi, il sindaco di B Anna
# Bianchi, di C Carlo Verdi e di D"): the role before the first comune, then between two comuni the person's name,
# a comma or "e", the role again or only its "di" (the role understood).
MAYOR_ROLE = r"(?:sindac[oa]|vice[ -]?sindac[oa]|prim[oa]\s+cittadin[oa]|assessor[ea])"
MAYOR_LEAD = re.compile(r"(?i)\b" + MAYOR_ROLE + r"\s+di\s*$")
MAYOR_GAP = re.compile(r"\s*(?:[A-Z\u00c0-\u00dd][\w'\u2019.]*(?:\s+(?:[A-Z\u00c0-\u00dd][\w'\u2019.]*|de|di|del|della|da|dal))*\s*)?"
                       r"(?:\([^()\n]{1,30}\)\s*)?(?:,|\s(?:e|ed)(?=\s))\s*(?:(?:il|la|l['\u2019])\s*" + MAYOR_ROLE + r"\s+)?di\s*")


# A list of people, each with the comune they represent in brackets ("Ivan Rossi (Suzzara), Anna Bianchi (Gonzaga) e
# Luca Verdi (Moglia)"): between two comuni the bracket closing, a comma or "e", the next person's name and the bracket.
BRACKETED_GAP = re.compile(r"\)[ \t]*(?:,|[ \t](?:e|ed)(?=[ \t]))[ \t]*(?:[A-Z\u00c0-\u00dd][\w'\u2019.]*[ \t]+){1,4}\(")


def _bracketed_gap(text: str, first: Item, gap: str) -> bool:
    return len(gap) <= 80 and BRACKETED_GAP.fullmatch(gap) is not None and text[first.start - 1:first.start] == "("


def _mayors_gap(text: str, first: Item, gap: str) -> bool:
    return (len(gap) <= 120 and "\n" not in gap and MAYOR_GAP.fullmatch(gap) is not None
            and MAYOR_LEAD.search(text, max(0, first.start - 40), first.start) is not None)


def _attendance_gap(gap: str) -> bool:
    # each row whose comune a mirror deleted ("Comune di Sindaco N. N. presente") lengthens the gap by a row
    rows = max(1, len(re.findall(r"(?i)\bcomune\s+di\b", gap)))
    return (len(gap) <= 250 * rows and gap.count("\n") <= 1 and bool(ATTEND_MARK.search(gap))
            and ATTEND_GAP.fullmatch(gap) is not None)


TRAIL_SLOT = re.compile(r"[ \t]*(?:[,;][ \t]*|[-\u2013\u2014][ \t]+)+([A-Z\u00c0-\u00dd][\w'\u2019]*(?:[ \t][A-Z\u00c0-\u00dd][\w'\u2019]*){0,2})"
                        r"(?=[ \t]*(?:[-\u2013\u2014,;.]|$))", re.M)


def _trailing(text: str, run: list[Item]) -> None:
    """List slots after a run's last comune that shorten a name to its first words ("... VIALE –
    VILLAFRANCA – VILLANOVA – ."), resolved by the province of the run (see ``province_head``)."""
    if len(run) < 3:
        return
    while (m := TRAIL_SLOT.match(text, run[-1].end)) and (rec := province_head(m.group(1), run)) is not None:
        if any(x.rec == rec for x in run):
            return
        run.append(Item(m.start(1), m.end(1), m.group(1), rec, True))


def _signature_gap(text: str, a: int, b: int, gap: str) -> bool:
    """Between two "Comune di X" blocks of a signature page: at most four short lines (a role, a
    name, a signature rule) and both blocks opened by "Comune di"."""
    lines = gap.split("\n")[1:-1]
    opened = all(re.search(r"(?i)comune\s+di\s*$", text[_line_start(text, p):p]) for p in (a, b))
    return opened and 1 <= len(lines) <= 5 and all(len(x.strip()) <= 60 for x in lines)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _opens_line(text: str, pos: int) -> bool:
    return bool(ROW_LEAD.match(text[_line_start(text, pos):pos] or ""))


AMBITO_NAME_BEFORE = re.compile(r"\b(?i:ambito|distretto|piano\s+di\s+zona)(?:[ \t]+(?i:territoriale|distrettuale|sociale|socio[- ]?sanitario"
                                r"|di\s+zona|zonale))*[ \t]+(?i:di|del|dell['\u2019])[ \t]*$")
NAME_TAIL = re.compile(r"([ \t]+[A-Z\u00c0-\u00dd][A-Za-z\u00c0-\u00ff'\u2019]{2,})(?:[ \t]*[,;]|[ \t]+(?:e|ed|E|ED)[ \t]+)")


def _listy(text: str, cur: list[Item], nxt: Item) -> bool:
    """The items so far and the next are separated by commas or semicolons: a comma list."""
    if len(cur) >= 2:
        return bool(re.match(r"\s*[,;]", text[cur[-2].end:cur[-1].start]))
    return bool(re.search(r"(?:[,;]|\s(?:e|ed|E|ED))\s*$", text[cur[-1].end:nxt.start]))


def find_enumerations(text: str, region: str | None = None) -> list[Enumeration]:
    """Runs of two or more comuni in list or row typography, with their membership cue and count.

    Args:
        text: the (repaired) text.
        region: the document's region slug (homonyms, short forms); None before it is known.
    """
    names = names_at(text, region)
    runs: list[list[Item]] = []
    rows_flags: list[bool] = []
    cur: list[Item] = []
    rows = False
    pending_unknown: list[str] = []
    unknowns: list[list[str]] = []
    for it in names:
        if cur:
            prev = cur[-1]
            gap = text[prev.end:it.start]
            tail = NAME_TAIL.match(gap)
            if tail and not prev.short and _listy(text, cur, it):
                # "SOMAGLIA LODIGIANA, SORDIO": the ISTAT name plus a word of the written name (a
                # provincial adjective) before the list separator: the item keeps the whole written name
                prev.end += tail.end(1)
                prev.surface = text[prev.start:prev.end]
                gap = text[prev.end:it.start]
            unknown = unknown_items(gap)
            # the empty slots of a mirror that deleted names ("il Comune di , il Comune di , ...") are list
            # punctuation: they do not count towards the length of a gap
            inline = (GAP.match(gap) or unknown) and gap.count("\n") <= 2 and len(EMPTY_SLOT.sub(",", gap)) < 120 and "\n\n\n" not in gap
            row = (_opens_line(text, it.start) and _opens_line(text, cur[-1].start) and (len(cur) == 1 or rows)
                   and (gap.count("\n") == 1 or _signature_gap(text, prev.start, it.start, gap)))
            attend = not inline and not row and (_attendance_gap(gap) or _representative_gap(gap))
            mayors = not (inline or row or attend) and (_mayors_gap(text, cur[0], gap) or _bracketed_gap(text, cur[0], gap))
            if inline or row or attend or mayors:
                if (row or attend) and not inline:
                    rows = True
                if inline and unknown:
                    for piece in unknown:  # a slot of the list: an OCR slip of a comune of the region, else unresolved
                        at = text.find(piece, prev.end, it.start)
                        rec = (ocr_near(piece, region) or province_head(piece, cur)) if at >= 0 else None
                        if rec is not None:
                            cur.append(Item(at, at + len(piece), piece, rec))
                        else:
                            pending_unknown.append(piece)
                cur.append(it)
                continue
            runs.append(cur)
            rows_flags.append(rows)
            unknowns.append(pending_unknown)
        cur, rows, pending_unknown = [it], False, []
    if cur:
        runs.append(cur)
        rows_flags.append(rows)
        unknowns.append(pending_unknown)
    for run in runs:
        _trailing(text, run)
    out: list[Enumeration] = []
    for run, is_rows, unk in zip(runs, rows_flags, unknowns):
        if len(run) >= 3 and AMBITO_NAME_BEFORE.search(text[max(_line_start(text, run[0].start), run[0].start - 60):run[0].start]):
            run = run[1:]  # "Ambito di Desenzano\n1 Bedizzole ...": the heading names the Ambito, the list follows it
        elif (len(run) >= 3 and "\n" in text[run[0].end:run[1].start]
              and re.search(r"(?i)\b(?:ambito|distretto|piano\s+di\s+zona)\b", text[_line_start(text, run[0].start):run[0].start])):
            run = run[1:]  # "Distretto Sociale Sud Est Milano\n\nCarpiano\n...": the last word of the heading is no item
        exact = [x for x in run if not x.short]
        if len(run) < 2 or len(exact) < min(2, len(run)) or len(exact) * 3 < len(run):
            continue
        seen: dict[str, Item] = {}
        for x in run:  # one comune once per enumeration (a table may repeat a name)
            seen.setdefault(x.rec.code or x.rec.name, x)
        en = Enumeration(items=list(seen.values()), rows=is_rows, unresolved=unk)
        _judge(text, en)
        out.append(en)
    _oltre(text, names, out)
    _continued(text, out)
    _capofila(text, names, out)
    _exits(text, names, out)
    return out


# A short group heading between two lists ("ALTO PAVESE\nA, B ...\nBASSO PAVESE\nC, D ..."): the
# second list goes on the first (a heading naming another Ambito or Distretto starts another list).
# the words that name a part of a territory in a group heading ("ALTO PAVESE", "Area Nord", "Fascia collinare")
GROUP_WORDS = re.compile(r"(?i)\b(?:alt[oa]|bass[oa]|medi[oa]|nord|sud|est|ovest|centr\w*|area|fascia|zona|sub[- ]?ambit\w*|vall?e?|lago|pianura"
                         r"|collin\w*|montagn\w*|riviera|\w+(?:ese|asco|asca|ino|ina|ano|ana|ense))\b")
GROUP_HEADING = re.compile(r"[ \t.;,]*\n[ \t]*([^\n]{2,40})[ \t]*\n[ \t]*")


def _continued(text: str, out: list[Enumeration]) -> None:
    for a, b in zip(out, out[1:]):
        if not a.member or b.member or b.start <= a.end:
            continue
        m = GROUP_HEADING.fullmatch(text, a.end, b.start)
        if not m:
            continue
        head = m.group(1).strip(" -\u2013\u2014*#:")
        if (not head or len(head.split()) > 5 or NEGATIVE_CUE.search(head) or re.search(r"(?i)\b(?:ambit|distrett|piano)", head)
                or re.search(r"(?i)\bzona\b(?!\s+(?:nord|sud|est|ovest|centr))", head)
                or re.search(r"[.!?;]|\b[a-z\u00e0-\u00f9]{4,}\b", head) or not GROUP_WORDS.search(head)):
            continue  # a sentence, words in lower case, a heading naming no part of a territory: not a group heading
        b.member, b.cue, b.cue_start = True, a.cue, a.cue_start
        b.extra["continues"] = head


# The capofila named before the members' count it belongs to: "il Comune di X è capofila del Distretto
# n. 31, comprende n. 18 comuni: A, B, ..." (17 listed, X the eighteenth).
CAPOFILA_NEAR = re.compile(r"(?i)capofila")


def _capofila(text: str, names: tuple[Item, ...], out: list[Enumeration]) -> None:
    for en in out:
        if en.member and en.cue_start and en.cue_start < en.start and "capofila" not in en.extra:
            # "il Comune di X quale Ente capofila e che comprende i comuni di A, B ...": the capofila of the
            # clause that announces the list is a member too
            ss = max(text.rfind("\n", 0, en.cue_start), text.rfind(";", 0, en.cue_start), en.cue_start - 200) + 1
            lead = [it for it in names if ss <= it.start < en.cue_start and all(x.rec != it.rec for x in en.items)
                    and re.match(r"[^.;\n]{0,40}?\bcapofila\b[^.;\n]{0,40}$", text[it.end:en.cue_start], re.I)]
            if lead:
                en.items.insert(0, lead[-1])
                en.extra["capofila"] = lead[-1].surface
                continue
        if not en.member or en.count_stated != len(en.items) + 1 or en.count_start is None:
            continue
        # the clause before the count: back to a line break or a semicolon (an abbreviation's dot, "S. Agata", stays inside)
        ss = max(text.rfind("\n", 0, en.count_start), text.rfind(";", 0, en.count_start), en.count_start - 250) + 1
        for it in names:
            if ss <= it.start < en.count_start and all(x.rec != it.rec for x in en.items) \
                    and CAPOFILA_NEAR.search(text, it.end, min(en.count_start, it.end + 80)):
                en.items.insert(0, it)
                en.extra["capofila"] = it.surface
                break


# A comune named before the list as one of the members besides it: "oltre che dal Comune di
# Civitanova (capofila), è formato da A, B e C", "oltre al Comune di X, i Comuni di ...".
OLTRE = re.compile(r"(?i)\boltre\s+(?:che\s+)?(?:a|al|ad|dal|da|il)\s+(?:il\s+)?(?:comune\s+(?:capofila\s+)?(?:di\s+)?)?$")


# A comune coordinated with the members' count before the list: "composto dal Comune di Lecce e da nove
# comuni dell'hinterland (A, B, ...)", "il Comune capofila insieme ai 6 comuni di ...".
AND_THE_OTHERS = re.compile(r"(?i)[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?,?[ \t]*(?:e|ed|insieme|con)[ \t]+(?:(?:a|ai|agli|da|dai|dagli|i|gli|altri)[ \t]+)*"
                            r"(?:\w+[ \t]+)?(?:altri[ \t]+)?comuni\b")


def _oltre(text: str, names: tuple[Item, ...], out: list[Enumeration]) -> None:
    for en in out:
        if en.member and en.count_stated == len(en.items) and en.count_start is not None and "oltre" not in en.extra:
            prev = [it for it in names if en.count_start - 80 <= it.start < en.count_start
                    and (am := AND_THE_OTHERS.match(text, it.end)) is not None and am.end() > en.count_start]
            if prev and all(x.rec != prev[-1].rec for x in en.items):
                en.items.insert(0, prev[-1])
                en.extra["oltre"] = prev[-1].surface
        if not en.member or not en.cue_start or en.cue_start >= en.start:
            continue
        for it in names:
            if max(0, en.cue_start - 200) <= it.start < en.start and OLTRE.search(text[max(0, it.start - 40):it.start]):
                if all(x.rec != it.rec for x in en.items) and not BAD_GAP.sub("", text[it.end:en.cue_start]).count("."):
                    en.items.insert(0, it)
                    en.extra["oltre"] = it.surface
                break


# Comuni that leave an Ambito, a Piano di Zona or their agreement ("il recesso del Comune di X",
# "è uscito dall'Ambito", "non fanno più parte del Distretto", "staccando i tre comuni dal Piano di
# zona", "X aderisce dal 2022 all'Ambito di Y"): the general verbs and nouns of withdrawal in
# Italian administrative prose (D.Lgs. 267/2000 art. 30 and 34: convenzioni and accordi di
# programma, from which an ente "recede").
EXIT_VERB = re.compile(
    r"(?i)\b(?:recess[oi]|recede\w*|recedut\w*|uscit[oaie]|uscita|fuoriuscit\w*|esc(?:e|ono)|usciranno|uscirà"
    r"|non\s+(?:fa|fanno|farà|faranno)\s+più\s+parte|cessa\w*\s+di\s+far\s+parte|stacca\w*|distacc\w*"
    r"|lascia\w*|abbandon\w*|trasferit\w*|passat[oaie]|passa(?:no)?|transitat\w*|confluit\w*|confluisc\w*|aderisc\w*|aderirà|aderiranno)\b")
# what a comune leaves or joins as a member of an Ambito (a consortium or an azienda it leaves is another matter)
_OBJECT = r"(?:ambito|ambiti|distrett[oi]|piano\s+di\s+zona|accordo|convenzione|gestione\s+associata|zona)\b"
# the object of withdrawal: "da" (uscire, recedere, staccare dal Piano), "di" after "far parte", the
# direct object of "lasciare" / "abbandonare"
EXIT_OBJECT = re.compile(r"(?i)^[^.;\n]{0,50}?\b(?:dal|dall['\u2019]|dalla|dai|dagli|da)\s*(?:[\w-]+\s+){0,2}?" + _OBJECT)
PART_OBJECT = re.compile(r"(?i)^[^.;\n]{0,50}?\b(?:del|dell['\u2019]|della|dei|degli)\s*(?:[\w-]+\s+){0,2}?" + _OBJECT)
DIRECT_OBJECT = re.compile(r"(?i)^[^.;\n]{0,20}?\b(?:l['\u2019]|il|lo|la|i)\s*(?:[\w-]+\s+){0,2}?" + _OBJECT)
JOIN_OBJECT = re.compile(r"(?i)^[^.;\n]{0,50}?\b(?:al|all['\u2019]|alla|ai|agli|nel|nell['\u2019]|nella)\s*(?:[\w-]+\s+){0,2}?" + _OBJECT)
JOIN_VERB = re.compile(r"(?i)\b(?:aderisc\w*|aderirà|aderiranno|passa\w*|transitat\w*|confluit\w*|confluisc\w*|trasferit\w*)$")
HYPOTHESIS = re.compile(r"(?i)\b(?:pu[o\u00f2]|possono|potr[a\u00e0]|potranno|potrebbe|caso\s+di|casi\s+di|facolt[a\u00e0]\s+di|diritto\s+di"
                        r"|eventual[ei]|qualora|ove|modalit[a\u00e0]\s+(?:di|del|dello|della)|termini\s+(?:di|del|per)|procedura\s+di)\b[^.;\n]{0,30}$")
JOIN_DATE = re.compile(r"(?i)\b(?:a\s+decorrere|a\s+partire|dal(?:l['\u2019]|\s)\s*(?:\d{1,2}[\u00b0\u00ba]?\s|\d{4}\b|primo\b|anno\b"
                       r"|(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)\b))")
REF_COUNT = re.compile(r"(?i)\b(?:i|gli|questi|tali|dett[ie])\s+(\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\s+comuni\b")


def _sentence(text: str, pos: int) -> tuple[int, int]:
    a = max(text.rfind(". ", 0, pos), text.rfind(".\n", 0, pos), text.rfind("; ", 0, pos), text.rfind("\n\n", 0, pos))
    m = re.search(r"[.;](?=\s)|\n\s*\n", text[pos:])
    return (a + 2 if a >= 0 else 0), (pos + m.start() if m else len(text))


def _exits(text: str, names: tuple[Item, ...], out: list[Enumeration]) -> None:
    """Comuni a sentence says leave (or join from a date another Ambito): a membership list inside
    that sentence is no list of members; a comune it names, or the "N comuni" it refers back to,
    leaves the membership lists before it; a comune that joins an Ambito from a date is listed as
    that Ambito's member."""
    joined: list[Enumeration] = []
    for m in EXIT_VERB.finditer(text):
        ss, se = _sentence(text, m.start())
        join = JOIN_VERB.search(m.group(0)) is not None
        verb = m.group(0).lower()
        rx = (JOIN_OBJECT if join else PART_OBJECT if verb.endswith("parte") else DIRECT_OBJECT if verb.startswith(("lasci", "abbandon"))
              else EXIT_OBJECT)
        obj = rx.match(text[m.end():se])
        if not obj or HYPOTHESIS.search(text[max(ss, m.start() - 40):m.start()]):
            continue  # "in caso di recesso", "ciascun Comune può recedere": a clause of the agreement, not a fact
        if join and not JOIN_DATE.search(text[ss:se]):
            continue  # "aderiscono all'Ambito" without a date is the present membership, not a change
        inside = [en for en in out if ss <= en.start and en.end <= se]
        for en in inside:
            if join:
                if en.end <= m.start():  # the list joins the Ambito named after the verb, from a date
                    en.member, en.cue, en.cue_start = True, m.group(0), m.start()
                    en.extra["since"] = JOIN_DATE.search(text[ss:se]).group(0)
                # a list after the verb is its subject inverted ("aderiscono dal 2009 i Comuni di ..."): as judged
            else:
                en.member, en.extra["left"] = False, m.group(0)
        leaving = [it for it in names if ss <= it.start < (m.start() if join else se)  # who joins is the subject before the verb
                   and not any(en.start <= it.start < en.end for en in inside)
                   and not AMBITO_NAME_BEFORE.search(text[max(ss, it.start - 60):it.start])]
        ref = REF_COUNT.search(text, ss, se)
        if not leaving and not inside and ref:
            n = int(ref.group(1)) if ref.group(1).isdigit() else NUMBER_WORDS[fold_num(ref.group(1))]
            prior = [en for en in out if en.end <= ss and ss - en.end < 800 and len(en.items) == n]
            if prior:  # the comuni referred back to, wherever the text listed them before
                named = {x.rec for x in prior[-1].items}
                for en in out:
                    if en.end <= ss and {x.rec for x in en.items} == named:
                        en.member, en.extra["left"] = False, m.group(0)
            continue
        gone = {it.rec for it in leaving}
        if join and leaving and obj is not None and re.search(r"(?i)ambito|distretto|piano\s+di\s+zona", obj.group(0)):
            # "dal 2022 il Comune di X aderisce all'Ambito di Y": X is a member of Y from that date (choose() attaches
            # the list to the Ambito named after the verb)
            joined.append(Enumeration(items=[it for it in leaving if it.rec in gone], member=True, cue=m.group(0), cue_start=m.start(),
                                      extra={"since": JOIN_DATE.search(text[ss:se]).group(0)}))
        for en in out:
            if en.member and en.start < ss and (kept := [x for x in en.items if x.rec not in gone]) != en.items:
                en.extra["left_items"] = [x.surface for x in en.items if x.rec in gone]
                en.items = kept
                if len(kept) < 2:
                    en.member = False
    out.extend(joined)


# The header row of a table whose first column is the comune, the rows flattened after it on the same line.
TABLE_ROW_HEAD = re.compile(r"[ \t]*(?:N\.?[ \t]+|NR\.?[ \t]+)?(?:COMUN[EI]|Comun[ei])[ \t]+(?=[A-Z\u00c0-\u00dd])[^.;:!?\n]*$")


def _judge(text: str, en: Enumeration) -> None:
    """Membership cue and stated count of an enumeration (read in the words before it)."""
    s = en.start
    ls = _line_start(text, s)
    if en.rows:  # a table or a list: its heading lines above
        before = text[max(0, ls - 400):s]
    else:  # prose: the words of the same sentence before the list
        head = text[max(0, s - 250):s]
        glued = [g.start() for g in re.finditer(r"(?<=[a-z\u00e0-\u00f9]{2})[.!?](?=[A-Z\u00c0-\u00dd])", head)]  # "ballottaggio.I paesi"
        # a full stop ends a sentence, not an abbreviation's ("n. 18", "S. Agata", "art. 3", "Dott. Rossi")
        stops = [d.start() for d in re.finditer(r"\.(?=[ \n])", head) if not ABBREV_BEFORE.search(head, 0, d.start())]
        cut = max(stops[-1] if stops else -1, head.rfind("; "), head.rfind("\n\n"), head.rfind("? "), head.rfind("! "),
                  glued[-1] - 1 if glued else -1)
        before = head[cut + 2:] if cut >= 0 else head
        if not before.strip():  # the list opens a paragraph: its heading is the paragraph above, if short
            prev = text[max(0, s - 250):s].rstrip()
            par = prev[prev.rfind("\n\n") + 2:] if "\n\n" in prev else prev
            before = par if len(par.strip()) <= 120 else ""
    neg = (NEGATIVE_CUE.search(text[max(0, s - 60):s]) or NEGATIVE_AFTER.match(text, en.end)
           or AMBITI_BEFORE.search(text, max(0, s - 60), s))
    if _opens_line(text, s) and not neg:  # a table or list under a header line naming its column "Comune(i)"
        above = text[max(0, ls - 300):ls].rstrip("\n").split("\n")
        heads = [x for x in above if x.strip()][-2:]
        if any(re.search(r"\bcomun[ei]\b", x, re.I) and not re.search(r"[.;]\s*$", x.strip()) and len(x.split()) <= 10
               and not re.search(r"(?i)\bunion[ei]\b", x) for x in heads):  # a union's name or its column is no Ambito's
            # a header line, not a sentence that ends above the list ("I soci sono i Comuni di A, B e C.\nNOTIZIE\nD, E")
            en.member, en.cue, en.cue_start = True, heads[-1].strip()[:60], ls - len("\n".join(above))
            return
    if not neg and len(en.items) >= 2 and TABLE_ROW_HEAD.match(text, ls, s) and re.search(r"\d", text[ls:en.end]):
        # a table flattened to one line under its header row: "COMUNE POPOLAZIONE 01/01/2018 1 AGAZZANO 2076 2 BOBBIO ..."
        en.member, en.cue, en.cue_start = True, "table header", ls
        return
    if not neg and len(en.items) >= 2 and all(ROLE_LEAD.search(text[max(_line_start(text, x.start), x.start - 50):x.start])
                                              or _signed_below(text, x) for x in en.items):
        # every item a party's signature or a mayor's role ("Il Sindaco del Comune di X", "Per il Comune di X"):
        # the comuni that sign the agreement of their Ambito
        en.member, en.cue, en.cue_start = True, "signatories", en.start
        return
    if not neg and (heading := _list_heading(text, en)) is not None and not MEMBER_CUE.search(before):
        before = heading  # a list one item a line under a heading ("Gli enti fondatori sono:"), other members' lines between
    if not neg and AMBITO_HEADING.fullmatch(before.strip()) and not MEMBER_CUE.search(before):
        # the list right under a line that only names an Ambito ("- Ambito Distrettuale di Bellano -")
        en.member, en.cue, en.cue_start = True, before.strip()[:60], s - len(before)
        return
    cues = list(MEMBER_CUE.finditer(before))
    labelled = cues and not before[:cues[-1].start()].strip(" \t\n-*#|:")
    if (labelled and not neg and GENERIC_CUE.fullmatch(cues[-1].group(0).strip()) and not en.rows
            and len(LABEL_LINE.findall(text, max(0, ls - 300), min(len(text), en.end + 300))) >= 2
            and not ASSOCIATION_CONTEXT.search(text, max(0, s - 600), min(len(text), en.end + 600))):
        # the same label opening line after line ("Comuni: A – B\nComuni: C – D") with no association of comuni named
        # around: groups of places (an event's areas), none of them an Ambito's members
        cues = []
    if (cues and not neg and GENERIC_CUE.fullmatch(cues[-1].group(0).strip()) and not en.rows
            and not labelled):  # a label that opens its line ("Comuni di: A, B") is exempt
        # "i comuni di A, B e C" says who, not that they are members: the sentence must be about an Ambito, a
        # plan or an association of comuni ("La pioggia ha colpito i comuni di A, B e C" lists no members)
        se = re.search(r"[.;!?](?=\s)|\n\s*\n|$", text[en.end:en.end + 300])
        if not ASSOCIATION_CONTEXT.search(before + text[en.end:en.end + (se.start() if se else 0)]):
            cues = [c for c in cues if not GENERIC_CUE.fullmatch(c.group(0).strip())]
    if cues and not neg:
        en.member = True
        en.cue = cues[-1].group(0)
        en.cue_start = s - len(before) + cues[-1].start()
        verbs = [c for c in cues if not GENERIC_CUE.fullmatch(c.group(0).strip())]
        ente = (ENTE_BEFORE.search(before, max(0, verbs[-1].start() - 80), verbs[-1].start()) if verbs
                else UNION_NAME.search(before, 0, cues[-1].start()))  # "UNIONE DEI COMUNI DEL LOGUDORO\n\nArdara Mores ..."
        # (a sentence that names the Ambito, or Sardinia's Plus, keeps the list the Ambito's)
        names_ambito = re.search(r"(?i)\b(?:ambito|distretto|piano\s+di\s+zona|plus)", before)
        if ente is None and verbs and not names_ambito:
            ente = ENTE_OBJECT.match(before, verbs[-1].end())
        if ente is None and not names_ambito:
            ente = ENTE_AFTER_CUE.match(before, cues[-1].end())  # "i 5 comuni della città metropolitana: A, B"
        if ente is not None:
            # "l'Unione dei comuni della Val di Vara, formata dai comuni di A, B", "l'Ente Parco ..., al quale aderiscono
            # nove Comuni (A, B)": another ente whose territory is a set of comuni is the subject of the
            # membership verb, or its object in a sentence that names no Ambito ("i 44 Comuni compresi nel territorio
            # dell'ASST X"), so the list is that ente's, not the Ambito's ("il Distretto è composto dall'Unione X e dai
            # Comuni di A, B" stays the Ambito's)
            en.extra["ente"] = ente.group(0)
            en.extra["ente_at"] = s - len(before) + ente.start()
    if not en.member and not neg and (post := POST_CUE.match(text, en.end)):
        # the verb after the list says it: "Albino, Nembro e Pradalunga costituiscono l'Ambito"
        en.member, en.cue, en.cue_start = True, post.group(1), post.start(1)
    if en.member and _other_sector(text, en):
        # the comuni of an agreement of another sector ("Convenzione tra i Comuni di A, B ... per la distribuzione del gas
        # metano") with nothing social around it: the parties of that agreement, no Ambito's members
        en.member, en.extra["other_purpose"] = False, True
    if not en.member and not neg and (served := SERVES_CUE.search(before)) is not None:
        # the comuni where an Ambito or its ente runs its services: "il distretto che, con Nuoro capofila, gestisce i
        # progetti dei Servizi sociali nel capoluogo e a A, B e C", "il Consorzio opera nei comuni di A, B"
        en.member, en.cue, en.cue_start = True, served.group(1), s - len(before) + served.start(1)
    if not en.member and not neg and (capo := CAPOFILA_HEAD.search(text, max(ls, s - 120), s)) is not None:
        # a table flattened to a line, each Ambito with its comuni, the capofila first: "Ambito Territoriale Sociale 20
        # Comune capofila Loano, Balestrino, Boissano", "Distretto di X – capofila: A, B, C"
        en.member, en.cue, en.cue_start = True, capo.group(0).strip(), capo.start()
    if not en.member and not neg and (paren := POST_PAREN.match(text, en.end)):
        # the Ambito in brackets after the list: "... CROSIA, LONGOBUCCO e PALUDI (AMBITO N.1)"
        en.member, en.cue, en.cue_start = True, paren.group(1), paren.start(1)
    if not en.member and not neg and s < COVER and ((len(en.items) >= 3 and not LOCATIVE_BEFORE.search(text[max(ls, s - 40):s]))
                                        or _own_line(text, en)) and (
            COVER_HEAD.search(text[:s]) or (s < HEADER and COVER_HEAD.search(text[en.end:en.end + COVER]))):
        # a title page: the Ambito's heading, then the comuni it joins ("AMBITO ... / Comuni di ..."),
        # or the comuni as the page header above the Ambito's name
        en.member, en.cue, en.cue_start = True, "title page", 0
    counts = list(COUNT_RE.finditer(text, max(0, s - 1500), s))
    if counts:
        c = counts[-1]
        n = c.group(1)
        en.count_stated = int(n) if n.isdigit() else NUMBER_WORDS[fold_num(n)]
        en.count_start = c.start()
        para = max(text.rfind("\n\n", 0, c.start()) + 2, c.start() - 600)
        tail = re.search(r"[.;!?](?=\s)|\n\s*\n|$", text[en.end:en.end + 300])
        told = (en.member or ASSOCIATION_CONTEXT.search(text, para, en.end + (tail.start() if tail else 0))
                or COUNT_CONTEXT.search(text, para, en.end + (tail.start() if tail else 0)))
        if (en.count_stated in (len(en.items), len(en.items) + len(en.unresolved)) and en.count_stated >= 3 and not neg
                and told and not _other_sector(text, en)):
            # "i quattro Comuni di A, B, C e D tornano al voto": a count alone says who, not that they are members; nor
            # does it undo an agreement of another sector ("il Piano urbanistico ... dei quattro comuni dell'Unione")
            en.member = True
            en.cue = en.cue or c.group(0)
            en.cue_start = en.cue_start or c.start()


# An Ambito's name, then its capofila opening the list of its comuni (the columns of a table read as one line)
CAPOFILA_HEAD = re.compile(r"(?i)\b(?:ambito|distretto|zona\s+sociale|plus)\b[^.;\n]{0,60}?[ \t]+(?:(?:comune|ente)[ \t]+)?capofila[ \t]*:?[ \t]*$")


# Besides an association of comuni, what comuni counted and listed do together: a service they get or run, an act
# they sign ("Per i quattro Comuni (A, B, C, D) il servizio è attivo", "una lettera firmata da 3 comuni")
COUNT_CONTEXT = re.compile(r"(?i)\b(?:servizi[oi]?|firmat\w*|progett\w*|percors\w*|interventi|prestazion\w*)\b")


def _other_sector(text: str, en: Enumeration) -> bool:
    """The words around the list (1,500 characters each side) name another sector's purpose and nothing social."""
    lo, hi = max(0, en.start - 1500), min(len(text), en.end + 1500)
    return bool(OTHER_PURPOSE.search(text, lo, hi)) and not SOCIAL_CONTEXT.search(text, lo, hi)


LIST_LINE = re.compile(r"[^\n]{1,100}")
ABBREV_BEFORE = re.compile(r"(?:(?<![\w])(?:[A-Za-z]{1,3}|[Dd]ott|[Ss]ig|[Pp]rof|[Aa]vv|[Ii]ng|[Rr]ag|ecc|pagg?|tel)|\d)$")
# The cues that only say "the comuni of": a list after them is a membership where the words around name an
# association of comuni (an Ambito, its plan, its bodies, an agreement, a consortium or an azienda of comuni).
GENERIC_CUE = re.compile(r"(?i)comuni\s+(?:di|del|dell|della|dello|dei|degli|delle)|comuni\s+dell['\u2019]|comuni\s*:")
ASSOCIATION_CONTEXT = re.compile(
    r"(?i)\b(?:ambit[oi]|distrett[oi]|pian[oi]\s+(?:sociale\s+)?(?:di\s+zona|locale)|plus\b|pdz\b|consorz\w*|aziend\w*|unione|union[ei]"
    r"|assemblea|coordinamento|conferenza|comitato|accordo|convenzione|associat\w*|gestione|servizi?\s+social\w*|welfare"
    r"|capofila|aderent\w*|aderisc\w*|sottoscri\w*|firmatar\w*|soci\b|ufficio\s+di\s+piano|comunit[\u00e0a]|fondazione|zona\b"
    r"|societ[\u00e0a]\s+della\s+salute|partecip\w*|territori\w*|consiglio\s+di\s+rappresentanza|sindaci)")
AMBITO_HEADING = re.compile(r"[-\u2013\u2014*#\s]*(?i:ambito|distretto)\b[^.;:\n]{3,70}?[-\u2013\u2014*#\s]*")


LABEL_LINE = re.compile(r"(?im)^[ \t]*comuni(?:[ \t]+di)?[ \t]*:")


def _list_heading(text: str, en: Enumeration) -> str | None:
    """The heading that introduces a list written one item a line: the nearest line above ending
    with a colon, over at most 15 short lines of the list (items the gazetteer does not know: a
    Comunità montana, an Unione, "COMUNE DI X" lines of an earlier run) and blank lines. None when
    the items do not each open their line or a sentence comes first."""
    if len(en.items) < 2 or not all(_opens_line(text, x.start) for x in en.items):
        return None
    ls = _line_start(text, en.start)
    lines = text[max(0, ls - 1500):ls].split("\n")[:-1]
    seen = 0
    for i in range(len(lines) - 1, -1, -1):
        st = lines[i].strip()
        if not st:
            continue
        if st.endswith(":"):
            return None if NEGATIVE_CUE.search(st) else "\n".join(x for x in lines[i:] if x.strip())
        if seen >= 15 or not LIST_LINE.fullmatch(st) or re.search(r"[.!?]\s+[A-Z]|[.!?]$", st) and len(st.split()) > 6:
            return None
        seen += 1
    return None


SIGNED_BELOW = re.compile(r"(?i)[ \t]*(?:\*\*|_)?[ \t]*\n[ \t]*(?:il|la)?[ \t]*(?:sindac[oa]|vice[ -]?sindac[oa]|assessore|delegat[oa]|f\.?\s?to\b)")


def _signed_below(text: str, it: Item) -> bool:
    """A signature block: "Comune di X" alone on its line, the mayor's role or "F.to" on the next."""
    return bool(re.search(r"(?i)comune\s+di\s*(?:\*\*|_)?\s*$", text[_line_start(text, it.start):it.start])
                and SIGNED_BELOW.match(text, it.end))


def _own_line(text: str, en: Enumeration) -> bool:
    """The list fills its line(s): nothing but the names and list punctuation (a title page's list)."""
    ls = _line_start(text, en.start)
    le = text.find("\n", en.end)
    le = len(text) if le < 0 else le
    rest = text[ls:en.start] + text[en.end:le]
    for a, b in zip(en.items, en.items[1:]):
        rest += text[a.end:b.start]
    return not re.sub(r"[\s_\-\u2013\u2014\u2022\u00b7|,;/*]|\b\d{1,3}[.)]", "", rest)


def fold_num(word: str) -> str:
    return key(word)


def stated_count(text: str) -> tuple[int, int] | None:
    """The first "N comuni" / "i sette Comuni" of a text: (number, offset)."""
    m = COUNT_RE.search(text)
    if not m:
        return None
    n = m.group(1)
    return (int(n) if n.isdigit() else NUMBER_WORDS[fold_num(n)]), m.start()
