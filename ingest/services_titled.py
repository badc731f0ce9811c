"""Initiatives named by a quoted title and described at once by an apposition or a participle clause, and
services named in lower case as the object or subject of a verb of opening or running.

News and service pages name a project, a centre or a community space by a title in quotes and say
what it is right after the closing quote: an apposition whose head is a noun of service or initiative
("\u201cC'entriAMO\u201d il centro famiglie diffuso realizzato con ...", "lo \u201cSpazio X\u201d, un nuovo punto di
comunit\u00e0", "\u201cY\u201d progetto di promozione del benessere") or a participle clause of the grammar of
projects ("\u201cZ\u201d incentrato sull'affido familiare", "\u201cW\u201d, finanziato da ..., dedicato alla
prevenzione"). A general grammar of Italian apposition; a quoted title that is described otherwise
(a law, a call, a film, "la scheda di \u201cprimo contatto\u201d pubblicata") names no initiative.

The description may name a term of the vocabulary ("il centro famiglie", "l'affido familiare"): it types
the initiative and is that initiative's description, not a second service.

News prose writes a service's name in lower case ("apre lo sportello lavoro dell'Ambito", "ha attivato il
servizio di custodia sociale nei quartieri"): the noun phrase that a verb of opening, starting or running
governs at once, headed by a noun of service, is that service's name - up to its owner, its place or its
beneficiaries ("dell'Ambito", "nei quartieri", "per gli adolescenti") - when the sentence names the Ambito or
its azienda as who runs it. Used by ingest/entities_services.py.
"""

from __future__ import annotations

import re

from ingest.entities_common import Ctx, clean_name
from ingest.service_status import _cue_in
from ontology.vocab import fold, load_vocab, slug

QUOTED_RE = re.compile(r"[\u201c\u00ab\"]([^\u201d\u00bb\"\n]{2,80}?)[\u201d\u00bb\"]")
# an apposition right after the title: article, "nuovo", then the head noun of a service or initiative
APPOSITION_RE = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:il|lo|la|l['\u2019]|i|gli|le|un|una|uno|un['\u2019])[ \t]*)?(?:(?:nuov[oaie]|prim[oa])[ \t]+)?"
    r"(?:progett[oi]|servizi[oa]?|centr[oi]|sportell[oi]|punt[oi]|spazi[oa]?|percors[oi]|laborator(?:io|i)|iniziativ[ae]"
    r"|programm[ai]|interventi|intervento)\b", re.I)
# a participle clause of the grammar of projects right after the title (an optional comma between)
PARTICIPLE_RE = re.compile(r"[ \t]*,?[ \t]*(?:incentrat|dedicat|finanziat|rivolt|realizzat|promoss|attivat|avviat|pensat|nat)[oaie]\b", re.I)
# a quoted title after the noun of a document, a call, an event or a work names that thing, not an initiative
NOT_INITIATIVE_BEFORE_RE = re.compile(
    r"\b(?:legge|decreto|d\W?g\W?r|delibera\w*|bando|avviso|regolamento|convenzione|protocollo|accordo|linee|documento|piano|"
    r"scheda|modulo|rassegna|film|libro|spettacolo|mostra|evento|convegno|seminario|giornata|festa|premio|concorso|titolo|"
    r"progetto|programma|misura|fondo|missione)\b[^.;:\n\u201c\u00ab\"]{0,20}$")
# the description ends at the next clause of the list or the next title
DESC_END_RE = re.compile(r"[;.\n\u201c\u00ab]|\s\"")
# the area a description names when it names no service term: the bare noun of the area of the
# Nomenclatore ("incentrato sull'affido familiare": L. 184/1983; "il centro famiglie": the Centri per la
# famiglia of the Piano nazionale per la famiglia) - the concept the initiative is of
AREA_TYPES = (("centro_affidi", re.compile(r"\baffid(?:o|i|amento)(?: familiar[ei])?\b")),
              ("centro_famiglia", re.compile(r"\bcentr[oi] (?:per (?:la |le ))?famigli[ae]\b")))
# a closed period in the description ("finanziato ... dal 2017 al 2020")
CLOSED_PERIOD_RE = re.compile(r"\bdal\s+((?:19|20)\d\d)\s+al\s+((?:19|20)\d\d)\b")
YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")


def titled_initiatives(ctx: Ctx, services) -> list[tuple[int, int, str, int, object | None]]:
    """(start, end, name, end of description, vocabulary concept of the description or None) of each
    initiative named by a quoted title and described at once; ``services`` is the services matcher."""
    out = []
    for m in QUOTED_RE.finditer(ctx.text):
        name = clean_name(m.group(1))
        if len(re.findall(r"\w+", name)) < 1 or len(name) < 3 or len(name.split()) > 10:
            continue
        if not (APPOSITION_RE.match(ctx.text, m.end()) or PARTICIPLE_RE.match(ctx.text, m.end())):
            continue
        if NOT_INITIATIVE_BEFORE_RE.search(ctx.folded[max(0, m.start() - 60):m.start()]):
            continue  # "il bando \u201cX\u201d", "il progetto \u201cX\u201d" (read by the project rule)
        if next(services.finditer(name), None):
            continue  # a title that is a term ("\u201cSpazio Neutro\u201d, il servizio ...") is typed by the term
        stop = DESC_END_RE.search(ctx.text, m.end())
        de = min(stop.start() if stop else len(ctx.text), m.end() + 160)
        term = next(services.finditer(ctx.text[m.end():de], ctx.folded[m.end():de]), None)
        concept = term[2] if term else next((load_vocab().concept("services", k) for k, rx in AREA_TYPES
                                             if rx.search(ctx.folded[m.end():de])), None)
        out.append((m.start(1), m.end(1), name, de, concept))
    return out


# the sentence before an enumeration of titles introduces their class with a participle of state
# ("l'Azienda ha presentato i servizi ed i tanti progetti realizzati insieme ...": "realizzati")
CLASS_PHRASE_RE = re.compile(r"\b(?:progetti|servizi|iniziative|interventi|attivita)[ \t]+(?:[a-z\u00e0-\u00f9']+[ \t]+){0,2}?"
                             r"(?:realizzat|attivat|avviat|promoss|previst|programmat|conclus)[ie]\b")


def described_status(ctx: Ctx, start: int, desc_end: int) -> str | None:
    """The status a titled initiative's own description states when its clause states none:

    - a closed period that ends before the latest year the text writes (its own date) is over
      ("\u201cGioven-TU\u201d finanziato dal 2017 al 2020", in a text of 2021);
    - an enumeration of titles that opens its paragraph takes the state of the class of initiatives the
      sentence before introduces ("... i tanti progetti realizzati ...\n\u201cA\u201d incentrato ...; \u201cB\u201d ...")."""
    m = CLOSED_PERIOD_RE.search(ctx.folded, start, desc_end)
    if m and int(m.group(2)) < max(int(y) for y in YEAR_RE.findall(ctx.folded)):
        return "concluded"
    ss, _ = ctx.line_bounds(start)
    first = QUOTED_RE.search(ctx.text, ss)
    if first is None or ctx.text[ss:first.start()].strip(" \t\n;,") or ss < 2:
        return None  # the paragraph does not open with a title: no enumeration of titles
    ps, pe = ctx.sentence_bounds(max(0, ss - 2))
    head = CLASS_PHRASE_RE.search(ctx.folded, ps, pe)
    return _cue_in(ctx, head.start(), head.end(), head.start(), head.start(), own=False) if head else None


# An organisation the text names by its legal form ("le cooperative Ai Confini, Minerva, Il Ponte e
# Simpatria", "l'associazione Il Faro"): a service "di <that name>" is the organisation's, not the Ambito's.
ORG_LIST_RE = re.compile(r"\b(?:cooperativ[ae]|associazion[ei]|fondazion[ei])(?:[ \t]+social[ei])?[ \t]+"
                         r"((?:[A-Z\u00c0-\u00dd][\w'\u2019-]*(?:[ \t]+[A-Z\u00c0-\u00dd][\w'\u2019-]*)*(?:[ \t]*,[ \t]*|[ \t]+(?:e|ed)[ \t]+)?)+)")
OWNER_OF_RE = re.compile(r"[ \t]+(?:di|della|del|dell['\u2019])[ \t]*([A-Z\u00c0-\u00dd][\w'\u2019-]*(?:[ \t]+[A-Z\u00c0-\u00dd][\w'\u2019-]*){0,3})")


def organisation_names(ctx: Ctx) -> set[str]:
    """Folded names of the organisations the text introduces by their legal form."""
    out: set[str] = set()
    for m in ORG_LIST_RE.finditer(ctx.text):
        for part in re.split(r"[ \t]*,[ \t]*|[ \t]+(?:e|ed)[ \t]+", m.group(1)):
            if part.strip():
                out.add(fold(part.strip()))
    return out


def owned_by_organisation(ctx: Ctx, end: int, orgs: set[str]) -> bool:
    """True when the mention ending at ``end`` is followed by "di <an organisation of the text>"."""
    m = OWNER_OF_RE.match(ctx.text, end)
    return bool(m and orgs and any(fold(m.group(1)).startswith(o) for o in orgs))


# The services a health agency owns, enumerated after it ("la Asst Bergamo Est, con i suoi vari servizi presenti
# in Valle Seriana: i Consultori ..., il Servizio Adolescenti di Albino, il CPS ...", "i servizi dell'ATS: ..."):
# the possessive or the complement names the agency (L.R. Lombardia 23/2015: ATS and ASST; D.Lgs. 502/1992:
# ASL, AUSL, ULSS, ASP, Aziende ospedaliere), so the items are not services the Ambito runs.
_AGENCY = (r"(?:A\.?S\.?S\.?T\.?|A\.?T\.?S\.?|A\.?S\.?L\.?|A\.?U\.?S\.?L\.?|A?U\.?L\.?S\.?S\.?|A\.?S\.?P\.?|Asst|Ats|Asl|Ausl|Ulss|Aulss"
           r"|Azienda[ \t]+(?:Socio[- ]?[Ss]anitaria|Sanitaria|Ospedaliera|U\.?S\.?L\.?))")
AGENCY_SERVICES_HEAD_RE = re.compile(
    r"\b" + _AGENCY + r"\b[^.:;\n]{0,60}?\b(?:con[ \t]+)?(?:i|gli|le)[ \t]+(?:suoi|sue|propri|proprie)[ \t]+(?:\w+[ \t]+)?(?:servizi|strutture|sedi|uffici)\b[^.:;\n]{0,80}?:"
    r"|\b(?:i|gli|le)[ \t]+(?:servizi|strutture)[ \t]+(?:sanitari[ \t]+|sociosanitari[ \t]+)?(?:dell['\u2019][ \t]*|della[ \t]+|del[ \t]+)" + _AGENCY + r"\b[^.:;\n]{0,80}?:")


def agency_owned_spans(ctx: Ctx) -> list[tuple[int, int]]:
    """Spans of the enumerations of a health agency's own services, from the head's colon to the end of
    its sentence."""
    out: list[tuple[int, int]] = []
    for m in AGENCY_SERVICES_HEAD_RE.finditer(ctx.text):
        _, se = ctx.sentence_bounds(m.end() - 1)
        out.append((m.end(), max(se, m.end())))
    return out


def titled_id(owner: str, name: str) -> str:
    """The id of a titled initiative of ``owner``."""
    return f"service:{owner}:{slug(fold(name))[:60]}"


# a verb of opening, starting or running, right before the service it governs (an adverbial between:
# "è stato aperto a Borgo Alto lo sportello ...", "apre da lunedì lo sportello ...")
_OPEN_VERB = (r"(?:ha|hanno)\s+(?:attivato|avviato|aperto|inaugurato|istituito|riaperto)"
              r"|(?:\u00e8|e'|sono)\s+stat[oaie]\s+(?:attivat|avviat|apert|inaugurat|istituit|riapert)[oaie]"
              r"|(?:\u00e8|e'|sono)\s+(?:attiv[oaie]|operativ[oaie])|apre|aprono|riapre|riaprono|parte|partir\u00e0|aprir\u00e0|al via"
              r"|(?:attivat|inaugurat|apert)[oaie]"
              # a verb of running or of entrusting a service to a provider (D.Lgs. 36/2023: affidamento), the agent
              # the Ambito or its azienda ("L'Ambito eroga il servizio di ...", "ha affidato alla cooperativa il servizio di ...")
              r"|gestisce|gestiscono|eroga|erogano|offre|offrono|garantisce|garantiscono|(?:ha|hanno)\s+(?:affidato|rinnovato)")
GOVERNED_RE = re.compile(
    r"(?<![\w'\u2019])(?:" + _OPEN_VERB + r")(?:\s+(?:a|ad|al|alla|alle|ai|allo|all['\u2019]|da|dal|dalla|in|nel|oggi|domani|anche|direttamente)\b[^,.;:\n]{0,30}?)?"
    r"\s+(?:il|lo|la|l['\u2019]|un|uno|una)\s*(?:nuov[oa]\s+)?"
    # the name in lower case (a capitalised one is a written name, read by NAMED_RE of entities_services)
    r"(?P<name>(?-i:(?:servizio|sportello|centro|spazio|punto)\s+(?:(?:di|per la|per il|per l['\u2019])\s*)?"
    r"[a-z\u00e0-\u00f9][\w'\u2019-]*(?:[ \t]+[a-z\u00e0-\u00f9][\w'\u2019-]*){0,4}))", re.I)
# where the name ends: its owner, its place, its time or its beneficiaries
NAME_END_RE = re.compile(r"[ \t]+(?:di[ \t]+(?-i:(?=[A-Z\u00c0-\u00dd]))|per[ \t]+(?:i|gli|le|tutti|tutte)|nei|nel|nella|negli|nelle|presso|a|ad|in|dell['\u2019]|del|della|dello"
                         r"|dei|degli|delle|da|dal|dalla|con|che|e|ed|ogni|tutti|tutte|il|lo|la|i|gli|le|sul|sulla)\b.*$", re.I)
# the Ambito or its azienda named in the sentence: who runs the service (a centre that a text names
# without them may be the ASST's, a cooperative's or a comune's)
AGENT_RE = re.compile(r"\b(?:ambito|azienda|consorzio|ufficio di piano|piano di zona|distretto|unione dei comuni|comuni soci"
                      r"|comuni associati)\b")
# words that name no social service ("servizio di mensa", "servizio di pulizia", "servizio di tesoreria")
NOT_SOCIAL_WORDS = frozenset("mensa refezione pulizia pulizie raccolta tesoreria illuminazione pre-scuola prescuola "
                             "scuolabus parcheggio parcheggi navetta".split())


def governed_names(ctx: Ctx, services, stop_words: frozenset[str], outside_words: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, name) of the services named in lower case by the noun phrase a verb of opening or
    running governs; ``stop_words``: words that after the head name an office, not a service ("comunale");
    ``outside_words``: words of offices outside social services or of organisations."""
    out = []
    for m in GOVERNED_RE.finditer(ctx.text):
        name = NAME_END_RE.sub("", m.group("name")).strip()
        words = re.split(r"[\s'\u2019]+", fold(name))
        content = [w for w in words[1:] if w not in {"di", "per", "la", "il", "l"}]
        if not content or content[0] in stop_words or (outside_words | NOT_SOCIAL_WORDS) & set(words):
            continue
        if next(services.finditer(name), None):
            continue  # a term of the vocabulary ("il servizio di assistenza domiciliare") is typed by the term
        s0 = m.start("name")
        if not AGENT_RE.search(ctx.folded, *ctx.sentence_bounds(s0)):
            continue  # no Ambito or azienda in the sentence: whose service it is the text does not say
        out.append((s0, s0 + len(name), clean_name(name)))
    return out
