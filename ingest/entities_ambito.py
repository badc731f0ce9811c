"""A grammar of the ways Italian texts name an Ambito territoriale, and the choice of a document's own.

Forms (head words in any case, the name on the same line):
- ``Ambito [territoriale|distrettuale|zonale|sociale|sperimentale ...] [n. 3] [di|del|dell'|della] NAME``
  ("Ambito Territoriale di Cantù", "AMBITO DISTRETTUALE DI LECCO", "Ambito sperimentale "Oglio Po"",
  "Ambito Valle Brembana");
- a code: ``Ambito C03``, ``Ambito n. 10``, ``Zona Sociale n. 12``, a decimal district code ``Distretto 5.2``;
- not the office of a water or waste ATO ("Ufficio d'Ambito", "Autorità d'Ambito");
- ``Distretto [sociale|socio-sanitario] [di] NAME``, ``Zona sociale di NAME``, ``Piano di Zona [di|del] NAME``,
  ``Ufficio di Piano di NAME``;
- an adjective of a comune or territory: "ambito trevigliese", "Distretto Sociale Paullese",
  "i comuni del caratese" (Treviglio, Paullo, Carate Brianza: the adjective is the comune's stem with
  -ese, -ense, -ino, -ano, -asco, -igiano, unique in the region);
- ``i Comuni del NAME`` with a territory name ("i Comuni del Garda").
- a number glued or bracketed to the head ("Plus21", "Ambito Territoriale Sociale (ATS1)"), a bare number
  after an article with a verb following ("l'Ambito 9 riunisce");
- the name on the next line when the head ends its line (a title page: "Distretto n°3\n\nBrescia Est");
- a territory word in lower case before the name ("presidente d'ambito del basso Sebino").
NAME is a run of capitalised words (connectors allowed), cut where a mixed-case name meets words in
capitals ("Cantù REGOLAMENTO ...") and, when it starts with a comune, after the comune unless a
territory word follows ("Sud Est Milano", "Alto Milanese").
The own Ambito is the best scored: mentions, a title or heading line, the top of the text, an
Ambito head, a membership list of its own. Other Ambiti with their own membership list are
"covered" (a page about two districts); the rest are "mentioned".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.entities_comuni import NUMBER_WORDS, Enumeration
from ingest.entities_places import agencies, capoluoghi, comune_regions, gazetteer, key, lookup_comune

HEAD = re.compile(
    # an "area distrettuale" (the district of an Ambito's territory: "AREA DISTRETTUALE DI LAVENO MOMBELLO")
    r"(?P<head>\b(?:[Aa]mbito|AMBITO|[Dd]istretto|DISTRETTO|Zona [Ss]ociale|ZONA SOCIALE|[Aa]rea [Dd]istrettuale|AREA DISTRETTUALE"
    r"|Pian[oi] (?:[Ss]ociale )?di [Zz]ona|PIAN[OI] DI ZONA|Ufficio di Piano|UFFICIO DI PIANO"
    # Sardinia's Piano Locale Unitario dei Servizi (L.R. Sardegna 23/2005, art. 20) names its district:
    # "Plus delle Baronie", "Plus Ogliastra", "PLUS (Piano locale unitario dei servizi) Ogliastra"
    r"|Plus|PLUS|P\.L\.U\.S\.)(?:[ \t]*\((?i:piano\s+locale\s+unitario)[^()\n]{0,40}\)[ \t]*)?)"
    r"(?P<qual>(?:(?:[ \t]+|[ \t]*\n[ \t]*)(?i:territoriale|distrettuale|zonale|sociale|socio[- ]?sanitario|socio[- ]?assistenziale|sovracomunale|intercomunale"
    r"|sperimentale|sanitario|ottimale|di zona))*)"
    r"(?P<num>[ \t]+(?i:n\.?|nr\.?|numero|n\u00b0)[ \t]*\d{1,3}\b|[ \t]+(?:[A-Z]{1,3}[ \t]?/?[ \t]?\d{1,3}|\d{1,2})\b(?![.,]\d)"
    r"|[ \t]+[IVXL]{1,6}(?=[ \t]*(?:[.,;:)\n]|$)|[ \t]+[a-z\u00e0-\u00f9]))?"
    r"(?P<years>[ \t]+(?:20|19)\d\d[ \t]*[-\u2013/][ \t]*\d{2,4})?"
    r"(?P<sep>[ \t]*[-\u2013\u2014:][ \t]*|[ \t]+)?"
    r"(?P<prep>(?i:(?:di|del|della|dello|dei|degli)\b|dell['\u2019])[ \t]*)?"
    r"(?P<comuni>(?i:comuni[ \t]+(?:del|della|dell['\u2019]|dei)[ \t]*))?"
)
GENERIC = frozenset(
    "piano piani zona sociale sociali territoriale distrettuale servizi servizio progetto progetti programma legge regione "
    "provincia comune comuni sistema tavolo ufficio assemblea fondo rete area aree ambito ambiti distretto distretti "
    "lombardia ats asst asl n nr il la lo le i gli un una e in per con dei del della delle di ente enti indice premessa "
    "azienda consorzio regolamento approvato triennio anno anni welfare sindaci sindaco presidente "
    # "ambito di applicazione / di intervento / di competenza": the noun of scope in Italian prose and law
    "applicazione intervento interventi competenza competenze riferimento attivita azione azioni lavoro ricerca studio "
    "analisi valutazione cooperazione collaborazione pertinenza responsabilita operativita gestione utilizzo impiego "
    # a table's column words and an address: "AMBITO TERRITORIALE PRESENTE/ASSENTE", "Ambito X Via G. Bravi, 16"
    "presente assente presenti assenti via viale piazza corso largo sede tel fax "
    # articulated prepositions in capitals ("POPOLAZIONE DELL'AMBITO AL 01.01.2023"): no name
    "al allo alla ai agli alle dal dallo dalla dai dagli dalle nel nello nella nei negli nelle sul sulla "
    # the words that open the members' clause where a mirror deleted the name ("PLUS Ambito Distretto di Comprendente i Comuni di")
    "comprendente comprendenti comprende comprendono composto composta costituito costituita formato formata".split()
)
# inside a name (never its first word) these start another body's name: "Distretto di Valle Sabbia - Comunità Montana"
NAME_BREAK = GENERIC | frozenset("comunita fondazione cooperativa associazione".split())
TERRITORY_WORDS = frozenset("nord sud est ovest alto alta basso bassa centro medio media valle val alto area brianza".split())
ADJ_SUFFIXES = ("igiano", "ense", "ese", "ino", "ano", "asco")
# an adjective of place in lower case (the suffixes above, inflected): "friulana", "bergamasca", "milanese"
PLACE_ADJ_LOWER = re.compile(r"[ \t]+[a-z\u00e0-\u00f9]{2,}(?:igian|ens|es|in|an|asc)[aeio](?![\w'\u2019])")
INFLECTIONS = {"e": ("e", "i"), "o": ("o", "a", "i", "e")}
UDP_URL = re.compile(r"\b(?:ufficiodipiano|udp|pianodizona|pdz)[.-]([a-z]{3,30})\.it\b", re.I)
# The number of a numbered Ambito written after its name ("Distretto Oglio Ovest n. 7", "Ambito Valle Seriana N° 4").
TRAILING_NUM = re.compile(r"[ \t]+(?i:n\.|nr\.|numero|n\u00b0)[ \t]*\d{1,3}\b(?![.,/]\d)")
# An Ambito numbered by a predicate after its head: "è individuato con il numero 1", "identificato dal n. 4"
# (the numbering of the Ambiti in the regional acts that set them out, e.g. DGR Marche 592/2002).
NUMBERED_AS = re.compile(r"[ \t]+(?:(?:[\u00e8e]|viene|risulta)[ \t]+)?(?:individuat|identificat|contrassegnat|indicat)[oa][ \t]+"
                         r"(?:con[ \t]+il|col|dal|con)[ \t]+(?:numero|n\.|n\u00b0)[ \t]*(\d{1,2})\b(?![.,/]\d)")
# The districts and Ambiti of other sectors, named by the head and their sector: distretti del commercio
# (L.R. Lombardia 6/2010 art. 5), industriali (L. 317/1991 art. 36), del cibo / rurali (D.Lgs. 228/2001, L.
# 205/2017), scolastici (D.P.R. 416/1974), idrografici (D.Lgs. 152/2006), turistici (D.L. 70/2011); ambiti
# territoriali di caccia (L. 157/1992 art. 14) and ottimali (D.Lgs. 152/2006, water and waste); the school
# offices' ambiti territoriali (L. 107/2015 art. 1 c. 66) and the police, military and judicial districts.
OTHER_SECTOR = re.compile(
    r"(?i)(?:[ \t]+(?:territoriale|urbano|locale))?[ \t]+(?:(?:del|dei|di|della)[ \t]+)?(?:commerc\w*|industrial\w*|produttiv\w*|rural\w*"
    r"|cibo|agro\w*|scolastic\w*|scuol\w*|caccia|venatori\w*|ottimale|idrografic\w*|idric\w*|rifiuti|turistic\w*|militar\w*"
    r"|giudiziari\w*|tecnologic\w*|energetic\w*|culturale|calcistic\w*|sportiv\w*|polizia|carabinieri|minerari\w*)\b")
# A health agency's name after a genitive head ("Distretto sanitario dell'ASLCN1", "Ambito della ATS"): the
# acronyms of the health authorities (L. 833/1978, D.Lgs. 502/1992, L.R. Lombardia 23/2015) and their long forms
HEALTH_AGENCY_NAME = re.compile(r"(?:A\.?S\.?L|A\.?U\.?S\.?L|U\.?L\.?S\.?S|A\.?T\.?S|A\.?S\.?S\.?T|A\.?S\.?P)(?![a-z])|(?:ASL|AUSL|Asl|Ausl|Ulss|Ats|Asst|Asp)\b"
                                r"|(?i:Azienda\s+(?:Sanitaria|Socio[\s-]?Sanitaria|U\.?S\.?L|ULSS|Unit)|Agenzia\s+(?:di|per\s+la)\s+Tutela)")
# The offices of the Ambiti Territoriali Ottimali of water and waste (D.Lgs. 152/2006 art. 147-148, D.L. 138/2011 art.
# 3-bis, L.R. Lombardia 26/2003 art. 48): "Ufficio d'Ambito", "Autorità d'Ambito", "Ente di governo dell'Ambito"
ATO_OFFICE = re.compile(r"(?i)\b(?:ufficio|autorit[\u00e0a]|ente[ \t]+di[ \t]+governo)[ \t]+(?:d|dell)['\u2019][ \t]*$")
# A district's decimal code right after its head, the sentence going on after it: "Distretto 5.2”", "Distretto 4.1 della"
DECIMAL_NUM = re.compile(r"[ \t]+(\d{1,2}\.\d{1,2})(?![\d,/])(?!\.\d)(?=[ \t]*(?:[,;:()\u201d\u00bb\"\n]|\.(?:\s|$)|$|[ \t]+[a-z\u00e0-\u00f9]))")
CONTEXT_BEFORE = re.compile(r"(?:nell['\u2019]|nel|in|dall['\u2019]|all['\u2019])\s*$", re.I)


@dataclass
class Mention:
    start: int
    end: int
    surface: str  # the whole phrase as written ("Ambito Territoriale di Cantù")
    name: str  # the name part ("Cantù")
    key: str  # identity key (ISTAT name of a comune, else the folded name)
    head: str  # ambito | distretto | piano | udp | adjective | comuni_del | code
    weight: int = 1
    pair: str | None = None  # the key of an Ambito named together with this one ("i distretti di RM 4.1 e RM 4.2")


@dataclass
class AmbitoCand:
    key: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    score: int = 0
    scope: str = "mentioned"
    enumerations: list[Enumeration] = field(default_factory=list)

    @property
    def aliases(self) -> list[str]:
        return list(dict.fromkeys(m.surface for m in self.mentions))


CAPS_CONNECTORS = frozenset("di del della dello delle dei degli de dell e ed al sul".split())
CAPS_NEXT = re.compile(r"[ \t]*[A-Z\u00c0-\u00dd]{2}")
CAPS_AND_NEXT = re.compile(r"[ \t]*(?:(?:DEL|DELLA|DELLO|DELLE|DELL['\u2019]|DEI|DEGLI)[ \t]*[A-Z\u00c0-\u00dd]{2}"
                           r"|(?:VALLE|VAL|ALTO|ALTA|BASSO|BASSA|MEDIA|MEDIO)\b)")


def _name_run(text: str, pos: int) -> int:
    """End of the capitalised name that starts at ``pos`` (same line), cut as the module says."""
    tok = re.compile(r"[ \t]*([A-Z\u00c0-\u00dd][\w'\u2019.]*|(?:di|del|della|dello|delle|dei|degli|de|al|sul|in)(?=[ \t]+[A-Z])|d['\u2019](?=[ \t]*[A-Z\u00c0-\u00dd])|[-\u2013](?=[ \t]*[A-Z])"
                     r"|e(?=[ \t]+(?:Valle|Val|VALLE|VAL|Alto|Alta|Basso|Bassa|Media|Medio)\b)"  # "Valle Seriana Superiore e Valle di Scalve"
                     r"|e(?=[ \t]+(?:del|della|dello|delle|dell['\u2019]|dei|degli)[ \t]*[A-Z\u00c0-\u00dd]))")  # "del Gemonese e del Canal del Ferro"
    pos0, end, words, caps_seen, mixed = pos, pos, 0, False, False
    while words < 7:
        m = tok.match(text, end)
        if not m:
            break
        w = m.group(1)
        if (w.isupper() and key(w) in CAPS_CONNECTORS and end > pos0
                and (CAPS_AND_NEXT if key(w) in ("e", "ed") else CAPS_NEXT).match(text, m.end())):
            # a connector written in capitals inside a capitalised name: "GEMONESE E DEL CANAL DEL FERRO"
            end = m.end()
            words += 0.5
            continue
        if w[:1].isupper():
            is_caps = w.isupper() and len(w) > 1
            if mixed and is_caps and key(w) not in TERRITORY_WORDS:
                break  # "Cantù REGOLAMENTO": the name ends where the capitals start ("Pianura EST" goes on)
            if not is_caps:
                mixed = True
            caps_seen = caps_seen or is_caps
            if key(w) in NAME_BREAK and end > pos0 and key(text[pos0:m.end()]) not in gazetteer():
                break  # a generic word ends the name, unless it ends a comune's ("Romano di Lombardia")
        end = m.end()
        words += 1 if w[:1].isupper() else 0.5  # connectors ("di", "e Valle") weigh half a word
        if w.endswith(".") and len(w) > 4 and "." not in w[:-1]:
            break  # "della Lunigiana. Si parlerà": a sentence's full stop ends the name (kept off below)
        if key(w) in TERRITORY_WORDS and (adj := PLACE_ADJ_LOWER.match(text, end)):
            end = adj.end()  # "Bassa friulana", "Alta bergamasca": a territory word and its adjective in lower case
            words += 1
    last = re.search(r"[\w'\u2019.]+$", text[pos0:end])
    if last and last.group(0).endswith(".") and len(last.group(0)) > 3:
        end -= 1  # a sentence's full stop, not an abbreviation
    # drop trailing connectors
    while True:
        m = re.search(r"[ \t]+(?:di|del|della|dello|delle|dei|degli|de|al|sul|in|d['\u2019]|[-\u2013]|[Ee]|ED|DI|DEL|DELLA|DELLE|DEI)$", text[pos0:end])
        if not m:
            break
        end = pos0 + m.start()
    return end


def _cut_at_comune(name: str, region: str | None) -> str:
    ws = name.split()
    for n in range(len(ws), 0, -1):
        if n == 1 and len(ws) > 1 and key(ws[0]) in TERRITORY_WORDS:
            break  # "Alto Sebino", "Bassa Valle": a territory word opens the name, not a comune ("Alto" in Piemonte)
        if lookup_comune(" ".join(ws[:n]), region, strict=True):
            if n == len(ws) or key(ws[n]) in TERRITORY_WORDS:
                return name
            if n + 1 == len(ws) and (ws[n].isdigit() or key(ws[n]) in NUMBER_WORDS):
                return name  # "Napoli Tredici", "Caserta 4": the capoluogo and the Ambito's number, as Campania numbers them
            rest = " ".join(ws[n:]).lstrip("-\u2013 \t")
            if re.search(r"\s[-\u2013]\s", name) and rest and lookup_comune(rest, region, strict=True):
                return name  # two comuni and nothing after: an Ambito named after both ("Lomazzo - Fino Mornasco")
            return re.sub(r"(?:[ \t]+[-\u2013\u2014])+$", "", " ".join(ws[:n]))  # "Albino - Nembro": "Albino", not "Albino -"
    return name


def identity(name: str, region: str | None) -> str:
    """The key that tells Ambiti apart: the ISTAT name of a comune, the comune of a territorial
    adjective ("Magentino" -> Magenta), else the folded name."""
    rec = lookup_comune(name, region, strict=True)
    if rec:
        return key(rec.name)
    adj = _adjectives(region).get(key(name))
    return key(adj) if adj else key(name)


@lru_cache(maxsize=8)
def _adjectives(region: str | None) -> dict[str, str]:
    """Adjective -> comune name, for the comuni of a region whose stem + suffix is unique."""
    out: dict[str, list[str]] = {}
    for recs in gazetteer().values():
        for rec in recs:
            if region and rec.region != region or rec.code == "":
                continue
            first = key(rec.name).split()[0]
            if len(first) < 4:
                continue
            stems = {first[:-1]} if first[-1] in "aeio" else {first}
            if first.endswith(("io", "ia")):
                stems.add(first[:-2])
            for st in stems:
                for suf in ADJ_SUFFIXES:
                    base = st + ("h" if st.endswith(("c", "g")) and suf[0] in "ei" else "") + suf[:-1]
                    for end in INFLECTIONS[suf[-1]]:  # -ese/-esi, -ino/-ina/-ini/-ine, -asco/-asca/-aschi/-asche
                        out.setdefault(base + end, []).append(rec.name)
                        if base.endswith("sc") and end in "ie":  # the plural keeps the hard sound: "bergamaschi"
                            out.setdefault(base + "h" + end, []).append(rec.name)
    return {a: v[0] for a, v in out.items() if len(set(v)) == 1 and a not in gazetteer() and a.replace("aschi", "asch") not in gazetteer()}


LETTER_SPACED = re.compile(r"(?<![\w])(?:[A-Za-z\u00c0-\u00ff] {1,3}){5,}[A-Za-z\u00c0-\u00ff](?![\w])")
SEGMENT_WORDS = frozenset("ambito territoriale distrettuale sociale zonale distretto piano di zona del della dell dei "
                          "valle val alto alta basso bassa nord sud est ovest".split())


def _despace(run: str) -> str:
    """Letter-spaced capitals ("A M B I T O  T E R R I T O R I A L E ...") back to words: double
    spaces split words; runs without them are segmented on the grammar's head words and comune words."""
    if re.search(r"\S {2,}\S", run):
        return " ".join(w.replace(" ", "") for w in re.split(r" {2,}", run))
    letters = run.replace(" ", "")
    vocab = SEGMENT_WORDS | {w for k in gazetteer() for w in k.split() if len(w) > 3}
    out, i, low = [], 0, letters.lower()
    while i < len(low):
        for j in range(min(len(low), i + 20), i, -1):
            if low[i:j] in vocab and j - i > 1:
                out.append(letters[i:j])
                i = j
                break
        else:  # no known word starts here: extend the last unknown word
            if out and out[-1].lower() not in vocab:
                out[-1] += letters[i]
            else:
                out.append(letters[i])
            i += 1
    return " ".join(out)


def find_mentions(text: str, region: str | None = None) -> list[Mention]:
    """Every Ambito the text names, in order (letter-spaced titles included)."""
    out: list[Mention] = []
    for m in LETTER_SPACED.finditer(text):
        words = _despace(m.group(0))
        for sub in find_mentions(words, region) if "  " not in words and LETTER_SPACED.search(words) is None else []:
            out.append(Mention(m.start(), m.end(), m.group(0), sub.name, sub.key, sub.head, sub.weight))
    adjs = _adjectives(region)
    for m in HEAD.finditer(text):
        head = m.group("head").lower()
        kind = ("ambito" if head.startswith("ambit") else "distretto" if head.startswith(("distrett", "area"))
                else "udp" if head.startswith("ufficio") else "zona" if head.startswith("zona")
                else "plus" if head.startswith(("plus", "p.l.u.s")) else "piano")
        if kind == "plus" and not re.match(r"[ \t]*(?:(?:di|del|della|delle|dei|dell['\u2019])[ \t]*)?[A-Z\u00c0-\u00dd]", text[m.end("head"):m.end("head") + 12]) \
                and not m.group("head").endswith(")") and not ATTACHED_CODE.match(text, m.end("head")):
            continue  # "un plus", "PLUS 2022": no district named
        pos = m.end()
        if kind == "plus" and (pm := re.match(r"[ \t]*(?:delle|della|del|dei|degli|di|dell['\u2019])[ \t]*(?=[A-Z\u00c0-\u00dd])", text[pos:])):
            pos += pm.end()  # "Plus delle Baronie"
        if re.search(r"(?i)\bsub[- ]?$", text[max(0, m.start() - 5):m.start()]):
            continue  # a sub-ambito is a part of the Ambito, not another one
        if kind in ("ambito", "distretto") and OTHER_SECTOR.match(text, m.end("head")):
            continue  # "Distretto del Commercio", "Ambito Territoriale di Caccia": a district of another sector
        if kind == "ambito" and ATO_OFFICE.search(text, max(0, m.start() - 40), m.start()) and not m.group("qual"):
            continue  # "l'Ufficio d'Ambito", "l'Autorità d'Ambito": the office of a water or waste ATO, not an Ambito
        after = text[pos:pos + 40]
        if kind in ("piano", "udp") and re.match(r"(?i)(?:dell['\u2019]\s*ambito|del distretto|ambito|distretto)", after):
            continue  # "Piano di Zona dell'Ambito di X": the inner head names it
        # "nell'ambito di Regione ...", "in ambito sociale": a context; "Nell'Ambito Valle Brembana" (capital head) names one
        lowered_context = m.group("head")[0].islower() and bool(CONTEXT_BEFORE.search(text[max(0, m.start() - 6):m.start()]))
        # a lowercase adjective right after the head: "ambito trevigliese", "Distretto Sociale Paullese"
        am = re.match(r"[ \t]*([A-Za-z\u00e0-\u00f9]+)", text[m.end("qual") if m.group("qual") else m.end("head"):])
        if am and key(am.group(1)) in adjs and not m.group("prep"):
            comune = adjs[key(am.group(1))]
            e = (m.end("qual") if m.group("qual") else m.end("head")) + am.end()
            out.append(Mention(m.start(), e, text[m.start():e], am.group(1), key(comune), "adjective"))
            continue
        quoted = bool(re.match(r"[\"\u201c\u00ab](?=[A-Z\u00c0-\u00dd])", text[pos:pos + 2]))
        low = None if quoted else LOWER_TERRITORY.match(text, pos)
        if low:  # "presidente d'ambito del basso Sebino": a territory word in lower case opens the name
            end = _name_run(text, low.end())
            end = pos if end == low.end() else end
        else:
            end = _name_run(text, pos) if text[pos:pos + 1].isupper() else pos
        if end == pos and not quoted and kind in ("ambito", "distretto", "zona", "plus") and _heading_like(text, m.start()) \
                and (m.group("head")[0].isupper() or m.group("qual") or m.group("num")) and not text[m.end():pos].strip() \
                and not CODE_NUM.match(m.group("num") or ""):  # "AMBITO TERRITORIALE NA/20": a code is the name
            end, pos = _next_line_name(text, pos)  # "Distretto n°3\n\nBrescia Est": a title page breaks the name to its own line
        if quoted:
            q = re.match(r"[\"\u201c\u00ab]([^\"\u201d\u00bb\n]{2,40})[\"\u201d\u00bb]", text[pos:])
            end = pos + q.end() if q else pos
            name = q.group(1) if q else ""
        else:
            name = text[pos:end].strip()
        if (glued := GLUED_STOP.search(name)) is not None:  # "Plus di Sorgono.La riunione": a full stop without its space
            name, end = name[:glued.start()], pos + text[pos:end].find(name) + glued.start()
        if low and name:
            name = name[0].upper() + name[1:]
        if m.group("prep") and HEALTH_AGENCY_NAME.match(name):
            continue  # "Distretto Sanitario dell'ASL CN1", "il distretto della ASST": a health agency's district, named by its agency
        num = (m.group("num") or "").strip()
        if not name and not num and kind in ("ambito", "distretto", "plus") and (cm := ATTACHED_CODE.match(text, m.end("head"))
                                                                                  or PAREN_CODE.match(text, m.end())):
            # "Plus21", "Plus-21", "Ambito Territoriale Sociale (ATS1)": the district's number glued to its head or in brackets
            name, end = "n. " + str(int(cm.group(1))), cm.end()
        if name and re.search(r"[-\u2013\u2014]", m.group("sep") or "") and ":" not in (m.group("sep") or ""):
            first = _cut_at_comune(name, region)
            if lookup_comune(first, region, strict=True) and _list_follows(text, pos + len(first), region):
                # "Ambito Territoriale nr. 4 2005 – 2007 – Erchie – Latiano ...", "i Comuni sede di distretto sanitario –
                # Savona, Cairo Montenotte, Albenga": the comuni follow the head, they do not name it
                name, end = "", pos
        if not name and num and kind in ("ambito", "distretto") and CODE_NUM.match(num):
            name, end = re.sub(r"[ \t]+", "", num), m.end("num")  # "Ambito C03", "Distretto LT4", "Ambito TA/2"
        elif ((not name or key(name).split()[0] in GENERIC) and num and re.match(r"(?i)n", num)
              and (kind in ("ambito", "zona") or (kind == "distretto" and m.group("qual")))
              and (m.group("head")[0].isupper()
                   or re.search(r"(?i)\b(?:dell|l)['\u2019]\s*$", text[max(0, m.start() - 6):m.start()]))):
            # "Ambito Territoriale Sociale n.21", "i Comuni dell'ambito n. 8" (not "nell'ambito n. 3")
            name, end = "n. " + re.sub(r"\D", "", num), m.end("num")
        elif ((not name or key(name).split()[0] in GENERIC) and num
              and (m.group("head")[0].isupper() or re.search(r"(?i)socio|sanitari|sociale", m.group("qual") or ""))
              and kind in ("ambito", "distretto") and re.fullmatch(r"\d{1,2}|[IVXL]{1,6}", num)
              and (m.group("qual") or (re.search(r"(?i)\b(?:l|dell|all|nell|dall)['\u2019]\s*$", text[max(0, m.start() - 6):m.start()])
                                       and re.match(r"[ \t]+[a-z\u00e0-\u00f9]", text[m.end("num"):m.end("num") + 3])))):
            # a bare number after an article, a verb or a preposition following: "l'Ambito 9 riunisce i 20 comuni" (not a
            # heading's "Ambito 1: Anziani" or "Ambito 2 - Minori", the thematic areas of a plan)
            # a number or a Roman numeral after a qualified head: "Ambito Territoriale Sociale 3",
            # "Ambito sociale 14", "DISTRETTO SOCIO SANITARIO 49", "Ambito Territoriale Sociale IV"
            name, end = "n. " + num, m.end("num")
        elif (not name and not num and kind in ("ambito", "distretto") and m.group("head")[0].isupper() and m.group("qual")
              and (pn := NUMBERED_AS.match(text, m.end("qual")))):
            # "l'Ambito Territoriale Sociale è individuato con il numero 1": the number given by a predicate
            name, end = "n. " + pn.group(1), pn.end()
        code = re.match(r"[ \t]+(\d{1,2}(?:\.\d{1,2}(?=[ \t]*(?:[,;()\n]|$|[ \t]+[a-z\u00e0-\u00f9])))?)\b(?![.,/]?\d)", text[end:end + 12]) if name and not quoted else None  # "Urbano 6.5"
        if (not name and not num and kind == "distretto" and m.group("head")[0].isupper()
                and (dm := DECIMAL_NUM.match(text, m.end("qual")))):
            # "Distretto 5.2", "il Distretto 4.1 della ASL": districts numbered by their health area and its district
            # (the DGR of Lazio and the Piani di zona that follow them), a bare decimal code after the head
            name, end = "n. " + dm.group(1), dm.end(1)
        if not name:
            continue
        if ":" in (m.group("sep") or "") and re.match(r"[ \t]*(?:,|e[ \t]+[A-Z])", text[end:end + 4]):
            continue  # "i dieci Comuni dell'Ambito: Barlassina, Giussano ...": the members, not a name
        first = key(name).split()[0] if key(name) else ""
        if not first or (first in GENERIC and not name.startswith("n. ")):
            continue
        if lowered_context and lookup_comune(name, region, strict=True) is None:
            continue  # "nell'ambito di Regione ...": a context, not an Ambito
        if kind in ("piano", "udp") and not m.group("prep"):
            continue
        if kind == "plus" and key(name).split()[0] in ("piano", "locale", "unitario"):
            continue
        name = _cut_at_comune(name, region)
        end = pos + text[pos:].find(name) + len(name) if name in text[pos:end + 1] else end
        before_head = text[max(0, m.start() - 30):m.start()]
        if ((":" in (m.group("sep") or "") or re.search(r"(?i)\bcomuni\s+(?:del|dell['\u2019]|della)\s*$", before_head))
                and _list_follows(text, end, region)) or (re.search(r"(?i)\belenco\s+(?:dei\s+)?comuni\s+(?:del|dell['\u2019]|della)\s*$", before_head)
                                                          and lookup_comune(name, region, strict=True)):
            # "Comuni del Distretto: Albino - Nembro - Ranica", "Elenco Comuni del distretto Camastra, Campobello ...": the members
            continue  # "Comuni del Distretto: Albino - Nembro - Ranica", "...: Albino | Nembro": the members, not a name
        if code and text[end:end + code.end()] == code.group(0):
            name, end = name + " " + code.group(1), end + code.end()  # a numbered Ambito: "Ambito territoriale Salerno 3"
        w = 2 if kind == "ambito" else 1
        shown_end = end
        if not num and not name.startswith("n. ") and (tn := TRAILING_NUM.match(text, end)):
            shown_end = tn.end()  # "DISTRETTO OGLIO OVEST N. 7": the number after the name stays in the written form
        out.append(Mention(m.start(), shown_end, re.sub(r"\s+", " ", text[m.start():shown_end]).strip(), name, identity(name, region), kind, w))
    for m in CODED_DISTRICT.finditer(text):
        # districts named by a province's sigla and number ("i distretti di RM 4.1 e RM 4.2", "Distretto LT/5"):
        # the sigla must be a province's (ISTAT)
        codes = {g: re.sub(r"[ \t]+", " ", m.group(g)).strip() for g in ("a", "b")
                 if m.group(g) and re.match(r"[A-Z]{2}", m.group(g)).group(0) in capoluoghi()}
        for g, name in codes.items():
            # a mention that read only the sigla of the code ("Distretto socio sanitario FR" of "FR/B") gives way to it
            out[:] = [x for x in out if not (x.start <= m.start(g) < x.end and key(name).replace(" ", "").startswith(x.key.replace(" ", ""))
                                             and x.key.replace(" ", "") != key(name).replace(" ", ""))]
            if not any(x.start <= m.start(g) < x.end for x in out):
                other = codes.get("b" if g == "a" else "a")
                out.append(Mention(m.start(g), m.end(g), name, name, key(name), "code", 2, key(other) if other else None))
    for m in ACRONYM_NUMBERED.finditer(text):
        # the acronym of a region's Ambito with its number: "ATS 15", "l'ATS XIII" (Ambito Territoriale Sociale, L.R. Marche
        # 32/2014 art. 7, L.R. Liguria 12/2006 art. 6), "EAS N. 19" (Ente d'Ambito Sociale, the Piani sociali regionali
        # of Abruzzo); an ATS named by a place is Lombardy's health agency (L.R. 23/2015), not this
        if not any(x.start <= m.start() < x.end for x in out):
            name = "n. " + m.group(1)
            out.append(Mention(m.start(), m.end(), re.sub(r"\s+", " ", m.group(0)), name, identity(name, region), "ambito", 2))
    for m in SDS_HEAD.finditer(text):
        # a Tuscan Società della Salute (L.R. Toscana 40/2005, art. 71-bis), the consortium of a zona-distretto:
        # "Società della Salute della Valdinievole", "SdS Pisana"
        end = _name_run(text, m.end())
        name = text[m.end():end].strip()
        if name and key(name).split()[0] not in GENERIC and not any(x.start <= m.start() < x.end for x in out):
            out.append(Mention(m.start(), end, re.sub(r"\s+", " ", text[m.start():end]).strip(), name, identity(name, region), "zona", 1))
    for m in ZONA_HEAD.finditer(text):
        # a Tuscan zona-distretto (L.R. Toscana 40/2005, art. 64): "Zona-distretto Valdarno", "la Conferenza
        # dei Sindaci della Zona Fiorentina Sud Est", "la Società della Salute della Zona Pisana"
        if not m.group("zd") and not ZONA_CONTEXT.search(text, max(0, m.start() - 45), m.start()):
            continue
        pos = m.end()
        end = _name_run(text, pos)
        name = text[pos:end].strip()
        if not name or key(name).split()[0] in GENERIC or any(x.start <= m.start() < x.end for x in out):
            continue
        out.append(Mention(m.start(), end, re.sub(r"\s+", " ", text[m.start():end]).strip(), name, identity(name, region), "zona", 1))
    for m in UDP_URL.finditer(text):
        name = m.group(1).capitalize()
        if lookup_comune(name, region):
            out.append(Mention(m.start(), m.end(), m.group(0), name, identity(name, region), "url", 2))
    for m in re.finditer(r"\b[Cc]omuni\s+(?:del|dell['\u2019]|della)\s*([A-Za-z\u00c0-\u00ff]+(?:[ \t]+[A-Z][\w]+)?)", text):
        word = m.group(1)
        if re.search(r"(?i)\b(?:union[ei]|associazion[ei]|consorzio)\s+(?:dei|di)\s*$", text[max(0, m.start() - 20):m.start()]):
            continue  # "Unione dei Comuni del Logudoro": a union's name, not an Ambito's
        if key(word.split()[0]) in adjs:
            comune = adjs[key(word.split()[0])]
            out.append(Mention(m.start(), m.start(1) + len(word.split()[0]), text[m.start():m.start(1) + len(word.split()[0])],
                               word.split()[0], key(comune), "comuni_del"))
        elif word[:1].isupper() and key(word).split()[0] not in GENERIC and (region or "lombardia") not in comune_regions(word):
            out.append(Mention(m.start(), m.end(), text[m.start():m.end()], word, key(word), "comuni_del"))
    for m in re.finditer(r"(?:^|\n)[ \t]*(?:Dal|Nel|Il|Del)[ \t]+([A-Z][a-z]+)\b", text):
        if key(m.group(1)) in adjs:  # a headline "Dal Caratese ..."
            out.append(Mention(m.start(1), m.end(1), m.group(1), m.group(1), key(adjs[key(m.group(1))]), "adjective"))
    out.sort(key=lambda x: x.start)
    return out


_CODE = r"[A-Z]{2}(?:[ \t]?/?[ \t]?\d{1,2}(?:\.\d{1,2})?(?![\d/])|/[A-H](?![\w/]))"  # "RM 4.2", "LT/5", "FR/B"
CODED_DISTRICT = re.compile(r"\b(?:[Dd]istrett[oi]|DISTRETT[OI])(?:[ \t]+(?i:socio[- ]?sanitari[oe]|sanitari[oe]))?[ \t]+(?:(?:di|del|n\.)[ \t]+)?"
                            r"(?P<a>" + _CODE + r")(?:[ \t]+(?:e|ed|-)[ \t]+(?P<b>" + _CODE + r"))?")
ACRONYM_NUMBERED = re.compile(r"\b(?:A\.?T\.?S|E\.?A\.?S)\.?[ \t]*(?:(?:n|N|nr|NR)\.?[ \t]*|n\u00b0[ \t]*)?"
                              r"(\d{1,2}(?![\d.,/]\d)|[IVXL]{2,6}|[IVX](?=[ \t]*(?:[.,;:)\n]|$)))\b(?![.,/]?\d)")
SDS_HEAD = re.compile(r"\b(?:Societ[\u00e0a] della Salute|SOCIET[\u00c0A] DELLA SALUTE|SdS)[ \t]+(?:(?:della|dell['\u2019]|del|di|DELLA|DEL)[ \t]*)?(?=[A-Z\u00c0-\u00dd])")
ZONA_HEAD = re.compile(r"\b(?:Zona(?P<zd>[- ][Dd]istretto)?|ZONA(?P<zd2>[- ]DISTRETTO)?)[ \t]+(?=[A-Z\u00c0-\u00dd])")
ZONA_CONTEXT = re.compile(r"(?i)(?:sindaci|societ[\u00e0a] della salute|sds|conferenza zonale|articolazione zonale)[ \t]+(?:della|dell['\u2019])[ \t]*$")


LIST_SEP = re.compile(r"[ \t]*(?:[,;|/]|[-\u2013\u2014][ \t]|(?:e|ed)[ \t]+)[ \t]*")
NEXT_WORDS = re.compile(r"[A-Z\u00c0-\u00dd][\w'\u2019]*(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]*|di|del|della|d['\u2019]|al|sul|in)){0,3}")


# A territory word in lower case before a capitalised name: "del basso Sebino", "dell'alta Valle Seriana"
# (the words of TERRITORY_WORDS that qualify a territory; journalists write them in lower case).
LOWER_TERRITORY = re.compile(r"(?:alto|alta|basso|bassa|medio|media|valle|val|nord|sud|est|ovest)[ \t]+(?=[A-Z\u00c0-\u00dd])")
# A number glued or hyphenated to the head ("Plus21", "PLUS-21"), or an Ambito's code in brackets after the
# head ("Ambito Territoriale Sociale (ATS1)", "(A.T.S. n. 20)": the Ligurian and Marche Ambiti Territoriali Sociali).
CODE_NUM = re.compile(r"[ \t]*[A-Z]{1,3}[ \t]?/?[ \t]?\d")  # a province's or a region's code before the number: "NA/20", "LT4", "C03"
ATTACHED_CODE = re.compile(r"[-\u2013]?(\d{1,2})\b(?![.,/]\d)")
PAREN_CODE = re.compile(r"[ \t]*\([ \t]*(?:ATS|A\.T\.S\.?|ATS[ \t]?n\.|Ambito)[ \t]*(?:n\.?|n\u00b0)?[ \t]*(\d{1,3})[ \t]*\)")
GLUED_STOP = re.compile(r"(?<=[a-z\u00e0-\u00f9]{3})\.(?=[A-Z\u00c0-\u00dd][a-z])")
NEXT_LINE = re.compile(r"[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=[A-Z\u00c0-\u00dd])")


def _next_line_name(text: str, pos: int) -> tuple[int, int]:
    """A head that ends its line with the name alone on the next line (one blank line between at
    most): (end, start) of that name, else (pos, pos). The name must fill its line, so that a list of
    comuni or a sentence under the head is no name."""
    nl = NEXT_LINE.match(text, pos)
    if not nl:
        return pos, pos
    end = _name_run(text, nl.end())
    le = text.find("\n", nl.end())
    le = len(text) if le < 0 else le
    if end <= nl.end() or end - nl.end() > 50 or text[end:le].strip(" \t.:-\u2013"):
        return pos, pos
    return end, nl.end()


def _list_follows(text: str, end: int, region: str | None) -> bool:
    """After a name, a list separator and another comune: the name is the first item of a list of comuni."""
    sep = LIST_SEP.match(text, end)
    nxt = NEXT_WORDS.match(text, sep.end()) if sep else None
    if not nxt:
        return False
    ws = nxt.group(0).split()
    return any(lookup_comune(" ".join(ws[:n]), region, strict=True) for n in range(len(ws), 0, -1))


def _heading_like(text: str, pos: int) -> bool:
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    le = len(text) if le < 0 else le
    line = text[ls:le].strip(" #*_\t")
    return len(line) <= 90 and not line.endswith((".", ";", ","))


def choose(text: str, mentions: list[Mention], enumerations: list[Enumeration]) -> list[AmbitoCand]:
    """Group mentions by Ambito, attach membership lists, score, and set each one's scope.

    Returns the candidates best first (the first has scope "own" when there is one).
    """
    cands: dict[str, AmbitoCand] = {}
    # "Distretto Sociale Sud Est Milano - Ambito di San Giuliano Milanese": two names, one Ambito
    same: dict[str, str] = {}
    for a, b in zip(mentions, mentions[1:]):
        gap = text[a.end:b.start]
        if len(gap) <= 6 and re.fullmatch(r"[\s\-\u2013\u2014(/,]*", gap) and a.key != b.key:
            lo, hi = (a, b) if a.weight < b.weight or (a.weight == b.weight and a.head != "ambito") else (b, a)
            same.setdefault(lo.key, hi.key)
    # "Ambito Territoriale NA20" ... "l'Ambito Territoriale Sociale n. 20": the number alone is the code's Ambito
    codes: dict[str, set[str]] = {}
    for m in mentions:
        if code := re.fullmatch(r"[A-Z]{1,3}[ \t]?/?[ \t]?0*(\d{1,3})", m.name):
            codes.setdefault(code.group(1), set()).add(m.key)
    for m in mentions:
        if (num := re.fullmatch(r"n\. 0*(\d{1,3})", m.name)) and len(codes.get(num.group(1), ())) == 1:
            same.setdefault(m.key, next(iter(codes[num.group(1)])))
    for m in mentions:
        m.key = same.get(m.key, m.key)
    for m in mentions:
        c = cands.setdefault(m.key, AmbitoCand(m.key, m.name))
        c.mentions.append(m)
        c.score += m.weight + (2 if m.start < 600 else 0) + (2 if _heading_like(text, m.start) else 0)
    for c in cands.values():  # the name of its strongest mention (an Ambito head over a Distretto, a name over an adjective)
        best = max(c.mentions, key=lambda m: (m.head not in ("adjective", "comuni_del"), m.weight,
                                              not m.name.startswith("n. "), -m.start))
        c.name = best.name
    for en in enumerations:
        if not en.member:
            continue
        owner = None
        for m in mentions:  # the Ambito named in the words that announce the list (after a union's name that announces it)
            if en.cue_start - 250 <= m.start <= en.start and m.end <= en.start + 1 and m.start > en.extra.get("ente_at", -1):
                owner = m.key
        if en.cue_start >= en.end:  # a verb after the list names it: "A, B e C, che appartengono all'Ambito di X"
            owner = next((m.key for m in mentions if en.cue_start <= m.start <= en.cue_start + 120), owner)
        if owner is not None:
            cands[owner].enumerations.append(en)
            cands[owner].score += 0 if "since" in en.extra else 2  # comuni joining it from a date say nothing of the text's own
            en.extra["owner"] = owner
    ranked = sorted(cands.values(), key=lambda c: (-c.score, c.mentions[0].start))
    if ranked:
        ranked[0].scope = "own"
        for c in ranked[1:]:
            if any(m.pair == ranked[0].key for m in c.mentions):
                c.scope = "covered"  # named together with the own one: "i distretti di RM 4.1 e RM 4.2"
                continue
            if any("since" not in en.extra for en in c.enumerations) and (
                    len(c.mentions) >= 2 or lookup_comune(c.name, strict=True)
                    # named by its number (no OCR damage to doubt): "Ambito Territoriale Sociale 21 Comune capofila A, B"
                    or re.fullmatch(r"n\. \d{1,3}(?:\.\d{1,2})?", c.name)
                    # named right after its own list ("A, B e C (AMBITO N.3)", "A e B costituiscono il Distretto X")
                    or any(en.cue_start >= en.end and "since" not in en.extra for en in c.enumerations)
                    or (any(m.head in ("ambito", "distretto", "zona") for m in c.mentions)
                        and any(w in TERRITORY_WORDS for w in key(c.name).split()))):
                # an Ambito the text gives a membership list of, named once by a territory ("Il Distretto Valle
                # Seriana comprende i comuni di ..."), is one it describes: its list is kept, not dropped with it
                # (a name OCR damaged, "Distretto Sociale Pauslese", still needs a second mention)
                c.scope = "covered"
    return ranked


HEAD_WORDS = re.compile(
    r"^(?:(?:piano|piani) (?:sociale )?di zona|ufficio di piano|ambit[oi]|distrett[oi]|zona sociale|territorial[ei]|distrettual[ei]"
    r"|social[ei]|zonal[ei]|sperimental[ei]|sovracomunal[ei]|intercomunal[ei]|socio ?sanitari[oa]|n|nr|numero|\d{1,3}"
    r"|di|del|della|dello|dell|dei|degli|comuni)\s+"
)


def ambito_key(name: str, region: str | None = None) -> str:
    """The identity key of any written form of an Ambito ("AMBITO DISTRETTUALE DI LECCO", "Ambito di
    Lecco", "lecco", "ambito lecchese" -> "lecco"): the head words of the grammar removed, a comune
    or a territorial adjective resolved to the comune's ISTAT name, a conjunction between two territories
    dropped ("Isola Bergamasca e Bassa Val San Martino"). For lookups (kg/profiles.find_ambito)."""
    k = re.sub(r" (?:e|ed)(?= )", "", key(name))
    while True:
        k2 = HEAD_WORDS.sub("", k + " ").strip()
        if k2 == k or not k2:
            break
        k = k2
    if (code := re.fullmatch(r"([a-z]{1,3}) ?0*(\d{1,3})", k)) and code.group(1) != "n":
        return code.group(1) + code.group(2)  # "NA/20", "NA20", "na 20": one code
    return identity(k, region) if k else ""


def _territory_core(name: str) -> str:
    """A territory name compared with an agency's: folded, prepositions dropped, "valle" as "val"
    ("Valle Camonica" and "Valcamonica" are one core)."""
    ws = [("val" if w == "valle" else w) for w in key(name).split() if w not in ("di", "del", "della", "dell", "dei", "e")]
    return "".join(ws)


@lru_cache(maxsize=1)
def _agency_territories() -> dict[str, set[str]]:
    """Territory core -> regions, from the distinctive words of the Ministry's health agencies
    ("ASST della Valcamonica", "ASST Valle Olona", "ASL della Vallecamonica-Sebino")."""
    out: dict[str, set[str]] = {}
    for a in agencies():
        for n in [a.name, a.official, *a.aliases]:
            core = _territory_core(re.sub(r"(?i)^\s*(?:ats|asst|asl|ausl|ulss|asp)\b", "", n))
            if len(core) >= 6 and not core.isdigit():
                out.setdefault(core, set()).add(a.region)
    return out


def region_votes(text: str, mentions: list[Mention]) -> dict[str, int]:
    """Region votes of the Ambito names a text uses (metadata.detect_region adds them to the others):
    an adjective of a comune of one region ("legnanese", "Piano di Zona castanese": Legnano, Castano
    Primo) 1 each; a Distretto / Ambito named after the territory of a health agency of one region
    ("Distretto di Valle Camonica": ASST della Valcamonica) 2."""
    votes: dict[str, int] = {}
    seen: set[str] = set()
    territories = _agency_territories()
    for m in mentions:
        if m.key in seen:
            continue
        seen.add(m.key)
        if m.head == "adjective" or (m.head == "comuni_del" and m.key != key(m.name)):  # "i 29 Comuni del Vimercatese"
            regions = comune_regions(m.key)
            if len(regions) == 1:
                r = regions.pop()
                votes[r] = votes.get(r, 0) + 1
            continue
        ws = m.name.split()
        if len(ws) >= 2 and (ws[-1].isdigit() or key(ws[-1]) in NUMBER_WORDS) and not comune_regions(m.name):
            regions = comune_regions(" ".join(ws[:-1]))  # "Napoli Tredici": the capoluogo of a numbered Ambito
            if len(regions) == 1:
                r = regions.pop()
                votes[r] = votes.get(r, 0) + 1
            continue
        regions = territories.get(_territory_core(m.name), set())
        if len(regions) == 1 and not comune_regions(m.name):
            r = next(iter(regions))
            votes[r] = votes.get(r, 0) + 2
    adjs = _adjectives(None)
    for m in TERRITORY_ADJ.finditer(text):
        # a territory named by a comune's adjective ("Pianura Bresciana", "Bassa Bergamasca", "Alto Vicentino"):
        # the comune's region, one vote per territory
        comune = adjs.get(key(m.group(1)))
        if comune and key(m.group(0)) not in seen:
            seen.add(key(m.group(0)))
            regions = comune_regions(comune)
            if len(regions) == 1:
                r = regions.pop()
                votes[r] = votes.get(r, 0) + 1
    return votes


# a territory and the adjective of its comune, in any case: "Pianura Bresciana", "bassa pianura bergamasca", "Laghi
# Bergamaschi" (nouns of territory: plain, valley, hills, lakes, mountains; the points of the compass)
TERRITORY_ADJ = re.compile(r"\b(?i:pianura|bassa|basso|alta|alto|media|medio|valle|valli|val|riviera|collina|colline|laghi|lago"
                           r"|monti|prealpi|area|nord|sud|est|ovest)(?:[ \t]+(?i:pianura|valle|collina))?[ \t]+"
                           r"([A-Za-z][a-z\u00e0-\u00f9]{4,})\b")
