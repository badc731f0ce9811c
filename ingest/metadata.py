"""Document metadata read from the text, each value with its evidence: title, kinds, period, Ambito.

Every rule reads cues in the text (never the file name) so that unseen documents are judged the same
way: a title-like line near the top, the phrases that name a document type, the programming period
most often named with planning words, and the Ambito named by "Ambito di X", "Ambito X", "Ufficio di
Piano di X" or an Ufficio di Piano web address.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ingest.entities_ambito import choose, find_mentions, region_votes
from ingest.entities_comuni import find_enumerations
from ingest.entities_places import gazetteer, key, lookup_comune, region_names, regional_act_votes, resolve_agency
from ingest.model import Document
from ontology.model import DocKind, MetaValue

ACCORDO = re.compile(r"\baccordo\s+di\s+programma\b", re.I)
PIANO = re.compile(r"\bpian[oi]\s+(?:sociale\s+)?di\s+zona\b|\bPdZ\b", re.I)
DECK = re.compile(
    r"\b(?:tavol[oi]\s+(?:tematic[oi]|di\s+lavoro|[A-ZÀ-Ü][a-zà-ù]+)|programmazione\s+giornata|slide|presentazione)\b", re.I
)
# A commercial offer or quote: a document about Piani di Zona, but neither a Piano nor an Accordo.
OFFER = re.compile(
    r"\b(?:preventivo|offerta\s+(?:tecnica|economica|di\s+servizi?)|proposta\s+(?:tecnica|economica|di\s+collaborazione)"
    r"|condizioni\s+economiche|corrispettivo|oltre\s+IVA|IVA\s+esclusa|IVA\s+inclusa)\b",
    re.I,
)
TITLE_CUE = re.compile(
    r"\b(?:piano|accordo|programmazione|preventivo|offerta|tavolo|relazione|documento|linee\s+di\s+indirizzo|regolamento)\b", re.I
)
GENERIC_TITLES = {"introduzione", "indice", "premessa", "sommario", "presentazione", "sintesi"}

PERIOD = re.compile(r"\b(20[0-4]\d)\s*(?:[-–—/]|\s+al\s+|\s+e\s+)\s*(20[0-4]\d|[0-4]\d)\b")
PLANNING_BEFORE = re.compile(
    r"(?:piano\s+(?:sociale\s+)?di\s+zona|pdz|programmazione|triennio|triennalit[aà]|accordo|periodo)[^.\n]{0,25}$", re.I
)
PREVIOUS_BEFORE = re.compile(r"(?:precedent[ei]|passat[ao]|scors[ao]|ultim[ao]|dal|nel)\W+(?:\w+\W+){0,4}$", re.I)

_NAME_WORD = r"(?:[A-ZÀ-Ü][\w'’.-]*)"
# A name stays on one line: the next line's first capital starts a heading or a sentence, not the name.
_NAME = rf"({_NAME_WORD}(?:[ \t]+(?:al|di|del|della|sul|sull['’]|{_NAME_WORD})){{0,4}})"
AMBITO_OF = re.compile(
    rf"\bAmbito\s+(?:(?:territoriale|sociale|distrettuale|sperimentale)\s+)?(?:di|del|della|dell['’])\s*{_NAME}",
)
AMBITO_NAMED = re.compile(
    rf"\bAmbito\s+(?:(?:[Tt]erritoriale|[Ss]ociale|[Dd]istrettuale|[Ss]perimentale)\s+)?[“\"«]?{_NAME}",
)
UDP_OF = re.compile(rf"\bUfficio\s+di\s+Piano\s+(?:di|del|della|dell['’])\s*{_NAME}")
UDP_URL = re.compile(r"\b(?:ufficiodipiano|udp|pianodizona|pdz)[.-]([a-z]{3,30})\.it\b", re.I)
NOT_NAMES = {
    "intervento", "riferimento", "zona", "piano", "territoriale", "sociale", "distrettuale", "sperimentale",
    "comuni", "comune", "sub", "ambito", "ambiti", "distretto", "regione", "ats", "asst", "udp", "il", "la",
    "lo", "nel", "del", "e", "a", "in",
}


def _title(doc: Document) -> MetaValue | None:
    """The first title-like line near the top: short, with a document-type cue if one is there."""
    lines: list[tuple[int, str]] = []
    for m in re.finditer(r"[^\n\f]+", doc.raw_text[:6000]):
        line = m.group(0).strip().strip("#*").strip()
        if len(line) >= 4 and sum(c.isalpha() for c in line) >= 4:
            lines.append((m.start() + m.group(0).find(line[:4]), line))
        if len(lines) >= 8:
            break
    if not lines:
        return None
    def title_like(t: str, limit: int) -> bool:
        return len(t) <= limit and not t.endswith((".", ",", ";")) and (t[0].isupper() or t[0].isdigit())

    cued = [(s, t) for s, t in lines[:5] if TITLE_CUE.search(t) and title_like(t, 160)]
    plain = [(s, t) for s, t in lines if title_like(t, 80) and t.lower().rstrip(":") not in GENERIC_TITLES]
    s, line = (cued or plain[:1] or lines)[0]
    return MetaValue(value=line[:200], evidence=doc.provenance(s, s + len(line)))


def _head_lines(text: str, n: int = 8) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n\f]+", text[:6000]):
        if m.group(0).strip():
            out.append((m.start(), m.end()))
            if len(out) >= n:
                break
    return out


def detect_kinds(doc: Document) -> list[MetaValue]:
    """Kinds of a document from cues in its text; a file may be an Accordo followed by its Piano.

    - an offer or quote ("Preventivo", "offerta economica"...) named in the title lines is ``altro``;
    - Accordo di programma: the phrase in a short title-like line near the top, or ``presente Accordo``;
    - Piano di Zona: several mentions, or a title-like line naming it, unless the file is a deck;
    - presentazione: slide-deck cues ("Tavolo ...", "Programmazione giornata") near the top of a short file.
    """
    text = doc.text
    head = text[:3000]
    title_lines = _head_lines(text)
    for s, e in title_lines[:4]:
        m = OFFER.search(text, s, e)
        if m:
            rs, re_ = doc.raw_span(m.start(), m.end())
            return [MetaValue(value=DocKind.ALTRO, evidence=doc.provenance(rs, re_))]
    found: list[MetaValue] = []
    accordo = None
    for m in ACCORDO.finditer(head):
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        le = len(text) if le < 0 else le
        if le - ls <= 160:
            accordo = m
            break
    if accordo is None:
        m = re.search(r"\bpresente\s+accordo\b", text[:20000], re.I)
        accordo = ACCORDO.search(text, 0, 20000) if m else None
    if accordo:
        s, e = doc.raw_span(accordo.start(), accordo.end())
        found.append(MetaValue(value=DocKind.ACCORDO_DI_PROGRAMMA, evidence=doc.provenance(s, e)))
    piano = list(PIANO.finditer(text))
    presentation = DECK.search(head)
    is_deck = presentation is not None and len(text) < 60000 and not accordo
    titled = [p for p in piano if _short_line(text, p.start()) and _starts_line(text, p.start())]
    if piano and not is_deck and (len(piano) >= 5 or titled):
        m = titled[0] if titled and titled[0].start() < 3000 else piano[0]
        if accordo:  # the Piano that follows an Accordo: point at its own title if there is one
            later = [p for p in titled if p.start() > len(text) * 0.05]
            m = later[0] if later else m
        s, e = doc.raw_span(m.start(), m.end())
        found.append(MetaValue(value=DocKind.PIANO_DI_ZONA, evidence=doc.provenance(s, e)))
    if is_deck:
        s, e = doc.raw_span(presentation.start(), presentation.end())
        found.append(MetaValue(value=DocKind.PRESENTAZIONE, evidence=doc.provenance(s, e)))
    if not found:
        found.append(MetaValue(value=DocKind.ALTRO))
    return found


def _starts_line(text: str, pos: int) -> bool:
    """True when only markup or spaces precede position pos on its line (a title, not a mention)."""
    ls = text.rfind("\n", 0, pos) + 1
    return not text[ls:pos].strip(" \t#*_>-")


def _short_line(text: str, pos: int, limit: int = 90) -> bool:
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    le = len(text) if le < 0 else le
    return le - ls <= limit and "\t" not in text[ls:le]


def detect_period(doc: Document) -> MetaValue | None:
    """The three-year programming period the document is about.

    Each "AAAA-AAAA" span of three years scores 1, +2 after a planning word ("Piano di Zona",
    "programmazione", "triennio"...), +2 in the first 3,000 characters, and 0 after "precedente",
    "dal", "nel"... (a past period the document looks back on). The best score wins; ties go to the
    later period.
    """
    text = doc.text
    score: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    for m in PERIOD.finditer(text):
        a = int(m.group(1))
        b_raw = m.group(2)
        b = int(b_raw) if len(b_raw) == 4 else 2000 + int(b_raw)
        if b - a != 2:
            continue
        key = f"{a}-{b}"
        before = text[max(0, m.start() - 60) : m.start()]
        w = 1
        if PREVIOUS_BEFORE.search(before):
            w = 0
        else:
            if PLANNING_BEFORE.search(before):
                w += 2
            if m.start() < 3000:
                w += 2
        score[key] += w
        if w and key not in first:
            first[key] = (m.start(), m.end())
        first.setdefault(key, (m.start(), m.end()))
    if not score:
        return None
    key = max(score, key=lambda k: (score[k], k))
    s, e = doc.raw_span(*first[key])
    return MetaValue(value=key, evidence=doc.provenance(s, e))


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .,;:'’“”\"«»-")
    words = name.split(" ")
    while words and words[-1].lower() in {"al", "di", "del", "della", "sul", "sull'", "sull’", "e"}:
        words.pop()
    name = " ".join(words)
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name


def detect_ambito(doc: Document) -> MetaValue | None:
    """The Ambito the document belongs to (ingest/entities_ambito.py: the grammar of Ambito names and
    the choice of the own one), with its strongest mention as evidence. The value is the Ambito's
    name: the ISTAT name when it is a comune ("Lecco" for "AMBITO DISTRETTUALE DI LECCO"), else the
    name as written, title-cased when in capitals."""
    text = doc.text
    cands = choose(text, find_mentions(text, doc.region), find_enumerations(text, doc.region))
    if not cands or cands[0].scope != "own":
        return None
    own = cands[0]
    rec = lookup_comune(own.name, doc.region, strict=True)
    name = rec.name if rec else _clean_name(own.name)
    m = max(own.mentions, key=lambda x: (x.head not in ("adjective", "comuni_del"), x.weight, -x.start))
    s, e = doc.raw_span(m.start, m.end)
    return MetaValue(value=name, evidence=doc.provenance(s, e))


REGION_ADJ = {"lombard": "lombardia", "piemontes": "piemonte", "ligur": "liguria", "emilian": "emilia-romagna",
              "romagnol": "emilia-romagna", "toscan": "toscana", "campan": "campania", "pugliese": "puglia", "calabres": "calabria",
              "sicilian": "sicilia", "sard": "sardegna", "laziale": "lazio", "marchigian": "marche", "abruzzes": "abruzzo",
              "molisan": "molise", "lucan": "basilicata", "friulan": "friuli-venezia-giulia", "valdostan": "valle-d-aosta"}
REGION_ADJ_RE = re.compile(r"\b(" + "|".join(REGION_ADJ) + r")[aeio]{0,2}\b", re.I)
AGENCY_RE = re.compile(r"\b(ATS|ASST|A\.S\.S\.T|A\.T\.S|A\.?S\.?L\.?|AUSL|ULSS|ASP|Azienda (?:U\.?S\.?L\.?|ULSS|Sanitaria Locale)"
                       r"|Agenzia di Tutela della Salute|Azienda Socio[- ]?Sanitaria Territoriale)\b\.?\s*", re.I)
PLACE_OF_RE = re.compile(r"\b(?i:comun[ei]|provincia|citt(?:[\u00e0a]|a['\u2019])|(?:vice[ -]?)?sindac[oa]|(?:prim[oa][ \t]+)?cittadin[oai]|ambito[\w ]{0,25}?|distretto[\w ]{0,25}?"
                         r"|area[ \t]+(?:distrettuale|territoriale)|val(?:le|lata)?)\s+(?i:di)\s+"
                         r"([A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]+|di|del|al|sul|in)){0,3})")
SIGLA_RE = re.compile(r"\(([A-Z]{2})\)")
# A comune with its province's sigla written in any case, as news and letterheads write it ("Lanciano (Ch)",
# "Seriate (Bg)"): a vote only when that comune is in that province, so "Mario Rossi (Pd)" is no place.
COMUNE_SIGLA_RE = re.compile(r"\b([A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]+|di|del|sul|al|in)){0,3})"
                             r"[ \t]*\(([A-Z][A-Za-z])\)")
# An address: the postal code (CAP, five digits) before the comune ("Via Roma 1 - 24068 Seriate", "20090 SEGRATE").
CAP_PLACE_RE = re.compile(r"(?<![\d.,])\b\d{5}[ \t]+([A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]+|di|del|sul|al|in)){0,3})")
# The dateline of a news item: the place it is written from, in capitals at the head of a line before a dash
# ("L'AQUILA \u2013", "OSIMO (AN) -", "CITT\u00c0 DI MORBEGNO \u2013"); one vote when it names a comune of one region.
DATELINE_RE = re.compile(r"(?m)^[ \t]*(?:(?:CITT\u00c0|CITTA'|COMUNE)[ \t]+DI[ \t]+)?([A-Z\u00c0-\u00dd][A-Z\u00c0-\u00dd'\u2019 ]{2,40}?)"
                         r"[ \t]*(?:\([A-Za-z]{2}\))?[ \t]*[\u2013\u2014-][ \t]")
# A street is named after places it is not in ("Via Molise 5, a Rozzano", "piazza Roma", "Corso Lombardia"):
# an odonym and the capitalised words after it are no place of the text (the toponymy of ISTAT's street
# register: via, viale, piazza, piazzale, corso, largo, vicolo, strada, lungo-, and their abbreviations).
ODONYM_RE = re.compile(
    r"\b(?:[Vv]ia|VIA|[Vv]iale|VIALE|[Vv]\.le|[Pp]iazza|PIAZZA|[Pp]\.(?:zza|za)|[Pp]iazzale|[Cc]orso|CORSO|[Cc]\.so|"
    r"[Ll]argo|[Vv]icolo|[Ss]trada|[Ll]ungo(?:lago|mare|fiume|tevere|po|adige))\.?[ \t]+"
    r"(?:(?:d[ei]l?l?[aeio]?['\u2019]?|dei|degli|delle|di)[ \t]*)?"
    r"[A-Z\u00c0-\u00dd][\w'\u2019]*(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]*|d[ei]l?l?[aeio]?['\u2019]?|di))*"
)
# The districts of Lazio ("Distretto RM 6.2", "Distretto RI/3") and the Ambiti of Puglia ("Ambito BR4", "Ambito
# TA/2") are coded by the sigla of their province and a number: the sigla names the province.
DISTRICT_CODE_RE = re.compile(
    r"\b(?i:distretto|ambito|zona)(?:[ \t]+(?i:socio[- ]?sanitario|sociale|territoriale|socio[- ]?assistenziale|"
    r"sanitario|n\.?))*[ \t]+([A-Z]{2})[ \t]?[/.\-]?[ \t]?\d{1,2}(?:\.\d{1,2})?\b"
)
# The internet domain of a comune's administration (IndicePA: "comune.<nome>[.<sigla>].it") names the comune.
COMUNE_DOMAIN_RE = re.compile(r"\bcomune\.([a-z]+(?:-[a-z]+)*)\.(?:([a-z]{2})\.)?it\b", re.I)
# "le Regioni e le Province autonome di Trento e di Bolzano": the formula of national acts for the set of all
# regions (Cost. art. 116-117, D.Lgs. 281/1997 on the Conferenza Stato-Regioni) names no region a text is about
ALL_REGIONS_RE = re.compile(r"\bprovince[\s()]+autonome\s+(?:di\s+)?trento\s+e\s+(?:di\s+)?bolzano\b", re.I)  # "((" "))": amendment marks
# Acronyms of the regions' official journals that one region only uses (Gazzetta Ufficiale della Regione
# Siciliana, Bollettino Ufficiale della Regione Autonoma della Sardegna, ... dell'Emilia-Romagna Telematico,
# ... della Regione Toscana); BURL (Lombardia, Lazio), BURP (Puglia, Piemonte), BURC and BURM are shared.
BULLETINS = {"GURS": "sicilia", "BURAS": "sardegna", "BURERT": "emilia-romagna", "BURT": "toscana"}
BULLETIN_RE = re.compile(r"\b(?:G\.?U\.?R\.?S|B\.?U\.?R\.?A\.?S|B\.?U\.?R\.?E\.?R\.?T|B\.?U\.?R\.?T)\b\.?")


def agency_kind(word: str) -> str:
    w = re.sub(r"[^a-z]", "", word.lower())
    if w.startswith("asst") or w.startswith("aziendasocio"):
        return "asst"
    if w.startswith("ats") or w.startswith("agenzia"):
        return "ats"
    return "asl"


def detect_region(doc: Document) -> str | None:
    """The region a text is about, from what it writes, never assumed. Votes: a region named (3; "Regione
    Campania", "in Lombardia"), a regional adjective (1; "lombardi"), a health agency of the Ministry's
    list (3: ATS/ASST are Lombard, an ASL/AUSL/ULSS has its region), each comune of an enumeration or
    named as "Comune/Provincia/Ambito di X", "primo cittadino di X" or "Valle di X" (a valley bears the name
    of its town: "Valle di Susa", "Val di Cecina"; not a lake, named after towns on other shores) that
    exists in one region only (1), a comune unique in Italy after "a"/"ad" ("a Pioltello", 1), a comune of
    one region in the dateline of a news item ("OSIMO \u2013", 1) or after a postal code ("24068 Seriate", 1), a province's seat
    after a preposition of place or a point of the compass ("Sud Est Milano", 1), a province sigla "(BG)" or
    in a district's code ("Distretto RM 6.2", 1), a comune followed by its own province's sigla in any case
    ("Lanciano (Ch)", 1), a comune's web domain "comune.seriate.bg.it" (1). Street names ("Via Molise") and
    the formula "Regioni e Province autonome di Trento e di Bolzano" are no vote, and a region wins only with
    at least twice the votes of the next one and more than half of all votes.

    Returns:
        the region slug ("lombardia", "emilia-romagna"), or None when the text gives no cue.
    """
    text = ALL_REGIONS_RE.sub(lambda m: " " * len(m.group(0)), doc.text)
    text = ODONYM_RE.sub(lambda m: " " * len(m.group(0)), text)
    score: Counter[str] = Counter()
    names = region_names()
    names = {**names, **{n.upper(): r for n, r in names.items()}}  # "REGIONE EMILIA-ROMAGNA" in a letterhead
    for m in re.finditer(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", text):
        score[names[m.group(1)]] += 3
    for m in REGION_ADJ_RE.finditer(text):
        score[REGION_ADJ[m.group(1).lower()]] += 1
    for m in AGENCY_RE.finditer(text):
        got = resolve_agency(agency_kind(m.group(1)), text[m.end():m.end() + 80])
        if got:
            score[got[0].region] += 3
        elif re.search(r"ulss", m.group(1), re.I):
            # the Unità Locale Socio-Sanitaria is Veneto's own health authority (L.R. Veneto 56/1994, 19/2016):
            # a ULSS the Ministry's current list lacks (numbered before the 2016 merger) is still Venetian
            score["veneto"] += 3
    seen: set[str] = set()
    for en in find_enumerations(text):
        for it in en.items:
            regions = {r.region for r in gazetteer().get(key(it.surface), ())}
            if len(regions) == 1 and it.rec.name not in seen:
                seen.add(it.rec.name)
                score[regions.pop()] += 1
    for m in PLACE_OF_RE.finditer(text):
        if (got := _comune_opening(m.group(1))) and len(got[1]) == 1 and got[0] not in seen:
            seen.add(got[0])
            score[got[1].pop()] += 1
    mentions = find_mentions(text)
    for votes in (region_votes(text, mentions), regional_act_votes(text)):  # adjectives, agency territories, Lombard act numbers
        score.update(votes)
    for mention in mentions:  # an Ambito named after a comune ("Ambito Territoriale Sociale n. 8 Senigallia")
        regions = {r.region for r in gazetteer().get(key(mention.name), ())}
        if len(regions) == 1 and mention.name not in seen:
            seen.add(mention.name)
            score[regions.pop()] += 1
    for m in BULLETIN_RE.finditer(text):  # the region's official bulletin, by an acronym no other region uses
        score[BULLETINS[re.sub(r"[^A-Z]", "", m.group(0))]] += 3
    sigle = _sigle()
    for m in (*SIGLA_RE.finditer(text), *DISTRICT_CODE_RE.finditer(text)):
        if m.group(1) in sigle:
            score[sigle[m.group(1)]] += 1
    for m in COMUNE_SIGLA_RE.finditer(text):  # "Lanciano (Ch)": the comune is in the province the sigla names
        province = m.group(2).upper()
        words = m.group(1).split()
        for n in range(len(words)):
            name = " ".join(words[n:])
            recs = [r for r in gazetteer().get(key(name), ()) if r.province == province]
            if recs:
                if f"sigla:{name}" not in seen:
                    seen.add(f"sigla:{name}")
                    score[recs[0].region] += 1
                break
    for m in (*DATELINE_RE.finditer(text), *CAP_PLACE_RE.finditer(text)):  # "OSIMO \u2013", "24068 Seriate"
        if (got := _comune_opening(m.group(1))) and len(got[1]) == 1 and f"place:{key(got[0])}" not in seen:
            seen.add(f"place:{key(got[0])}")
            score[got[1].pop()] += 1
    for m in AT_PLACE_RE.finditer(text):  # "il nuovo sportello a Pioltello": a comune no other region has
        name = m.group(1)
        regions = {r.region for r in gazetteer().get(key(name), ())}
        if (len(regions) == 1 and name not in seen
                and not (name.lower() in text and re.search(rf"\b{re.escape(name.lower())}\b", text))):
            seen.add(name)
            score[regions.pop()] += 1
    seats = _capoluoghi()
    for m in _seat_re().finditer(text):  # "Sud Est Milano", "a Bergamo": a province's seat, unique in Italy
        name = next(n for n in seats if m.group(1) in (n, n.upper()))
        if name not in seen:
            seen.add(name)
            score[seats[name]] += 1
    for m in COMUNE_DOMAIN_RE.finditer(text):  # "ufficio@comune.roma.it", "www.comune.seriate.bg.it"
        name = key(m.group(1).replace("-", " "))
        regions = {sigle[m.group(2).upper()]} if m.group(2) and m.group(2).upper() in sigle else {
            r.region for r in gazetteer().get(name, ())}
        if len(regions) == 1 and f"domain:{name}" not in seen:
            seen.add(f"domain:{name}")
            score[regions.pop()] += 1
    if not score:
        return None
    (best, n), *rest = score.most_common(2)
    if rest and (2 * rest[0][1] > n or 2 * n <= sum(score.values())):
        # no region holds twice the evidence of the next and more than half of all: a text about several
        # regions (a national law lists the regions with special statutes; a tie is a guess), none its own
        return None
    return best if n >= 1 else None


_SIGLE: dict[str, str] = {}
# A place name governed by a preposition of place or a point of the compass ("a Bergamo", "di Milano", "Sud Est
# Milano"), never a capitalised word that opens a sentence ("Fermo restando", "Prato fiorito").
LOCATIVE = r"\b(?:[Aa]d?|[Dd]i|[Dd]a|[Ii]n|[Pp]er|[Ss]u|[Tt]ra|[Ff]ra|[Nn]ord|NORD|[Ss]ud|SUD|[Ee]st|EST|[Oo]vest|OVEST)[ \t]+"
_CAPOLUOGHI: dict[str, str] = {}
# "a Pioltello", "ad Arcore": the preposition of place before a capitalised name inside a sentence
AT_PLACE_RE = re.compile(r"(?<=[a-z\u00e0-\u00f9,;)] )(?:a|ad)[ \t]+([A-Z\u00c0-\u00dd][a-z\u00e0-\u00f9'\u2019]+(?:[ \t]+(?:[A-Z\u00c0-\u00dd][a-z\u00e0-\u00f9'\u2019]+|di|del|sul|al|in)){0,3})")


def _comune_opening(words: str) -> tuple[str, set[str]] | None:
    """The longest comune name ``words`` open with and the regions of the comuni of that name; None for none."""
    ws = words.split()
    for n in range(len(ws), 0, -1):
        regions = {r.region for r in gazetteer().get(key(" ".join(ws[:n])), ())}
        if regions:
            return " ".join(ws[:n]), regions
    return None


@lru_cache(maxsize=1)
def _seat_re() -> re.Pattern[str]:
    names = sorted(_capoluoghi(), key=len, reverse=True)
    return re.compile(LOCATIVE + "(" + "|".join(re.escape(x) for n in names for x in (n, n.upper())) + r")\b")


def _capoluoghi() -> dict[str, str]:
    """ISTAT name -> region of the comuni that seat a province (a name no other comune bears)."""
    if not _CAPOLUOGHI:
        for recs in gazetteer().values():
            for r in recs:
                if r.capoluogo and len({x.region for x in gazetteer().get(key(r.name), ())}) == 1:
                    _CAPOLUOGHI[r.name] = r.region
    return _CAPOLUOGHI


def _sigle() -> dict[str, str]:
    if not _SIGLE:
        for recs in gazetteer().values():
            for r in recs:
                if r.province:
                    _SIGLE[r.province] = r.region
    return _SIGLE


def detect_metadata(doc: Document) -> Document:
    """Fill title, kinds, period, region and Ambito in place and return the document (the region comes
    before the citations, which read it for regional acts that do not name their region)."""
    doc.title = _title(doc)
    doc.kinds = detect_kinds(doc)
    doc.period = detect_period(doc)
    doc.region = detect_region(doc)
    doc.ambito = detect_ambito(doc)
    return doc
