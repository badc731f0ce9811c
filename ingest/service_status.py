"""The status grammar of a service mention: active, planned, feasibility_study or concluded, read
from tense and aspect in the clause that governs the mention, and the years the status holds for.

A general grammar of Italian (cue words are the vocabulary scheme "statuses" in
ontology/vocabularies.ttl; the morphology of the future, the conditional and the present, clause
boundaries, list heads, negation and agreement are here). Used by ingest/entities_services.py.
"""

from __future__ import annotations

import re

from ingest.entities_common import Ctx
from ontology.vocab import fold, load_vocab

STATUS_PRIORITY = {"feasibility_study": 0, "concluded": 1, "planned": 2, "active": 3}
NEGATED_RE = re.compile(r"\bnon (?:present|attiv|avviat|realizzat)|\bassente\b")
BULLET_RE = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25ba\u25b6\u2756\u2713\u2714]|\d+[.)])")


def status_at(ctx: Ctx, start: int, end: int) -> str | None:
    """The status the text states for a service mention, from the clause that governs it outward:

    1. a cue word (vocabulary scheme "statuses") or the tense of the mention's own clause - a sentence
       splits into clauses at a contrastive or subordinating conjunction ("..., mentre l'équipe di tutela
       minori sarà in carico al Comune") and at a colon, which parts a head clause from its list;
    2. a cue word anywhere in its sentence, then the sentence's tense when the mention is its subject;
    3. for a list item (after a colon, or on a bullet line under a line that ends with one), the cue or
       tense of the head clause ("Sono stati attivati i seguenti servizi: - SAD; - ADM");
    4. an adverb of present state ("attualmente", "tuttora") next to the mention in its clause;
    5. in slide decks, the cue of neighbouring lines or of the nearest heading above.
    A feasibility study wins within one span; a continuation ("proseguire", "consolidare") of a service
    presupposes that it runs, also under a modal ("si intende proseguire ..."); a denied cue ("non è
    attivo") states nothing; an end year with a past tense near the mention ("era gestito fino al
    2019") concludes it."""
    ss, se = ctx.sentence_bounds(start)
    if purpose_governed(ctx, start):
        return None  # "L'Azienda ha per scopo: - la gestione del CSE": what a statute sets it up for, not what runs
    if TOPIC_PREDICATE_RE.match(ctx.folded, end) or TOPIC_GOVERNOR_RE.search(ctx.folded[max(ss, start - 60):start]):
        return None  # "La tutela minorile è un tema delicato": the area is what the sentence talks about, no service runs
    cs, ce = _clause_bounds(ctx, ss, se, start, end)
    found = _status_core(ctx, ss, se, cs, ce, start, end)
    if found in (None, "active") and _ended(ctx, ctx.text[cs:ce], _near(ctx, cs, ce, start, end)):
        return "concluded"
    return found


# A copula with a nominal predicate of a topic ("è un tema delicato", "resta una priorità", "sono una sfida"):
# the sentence says what the area is as a matter of discussion, not that a service runs. General grammar of
# the Italian nominal predicate.
TOPIC_PREDICATE_RE = re.compile(r"[ \t,]*(?:e|sono|resta|restano|rimane|rimangono|rappresenta|rappresentano|costituisce|costituiscono)"
                                r"[ \t]+(?:(?:ancora|oggi|sempre|anche)[ \t]+)?(?:un|una|uno|il|la|lo|l'|i|le|gli)?[ \t]*"
                                r"(?:\w+[ \t]+)?(?:tema|temi|argomento|argomenti|questione|questioni|problema|problemi|priorita"
                                r"|sfida|sfide|nodo|nodi|emergenza|criticita)\b")


# A verb or noun of speaking that governs the mention as its topic ("ha discusso di tutela minorile", "un
# convegno sulla tutela dei minori", "si è parlato di assistenza domiciliare"): the area is talked about.
TOPIC_GOVERNOR_RE = re.compile(r"\b(?:discuss\w*|discute\w*|parl(?:a|ano|are|ato|ati|ando)|trattat[oaie]|dibatt\w*|riflession[ei]|convegn[oi]|seminari[oi]"
                               r"|dibattit[oi]|incontr[oi] pubblic[oi])[ \t]+(?:anche[ \t]+)?(?:di|su|sul|sulla|sui|sulle|sullo|sull'|del|della|dei"
                               r"|delle|dello|dell')[ \t]*$")


# A head that states an entity's purpose or object ("ha per scopo:", "ha lo scopo di", "ha per oggetto:",
# "si propone di", "le finalità sono:") describes what it is set up for - a deontic statement of a statute,
# not a fact of what runs.
PURPOSE_RE = re.compile(r"\b(?:ha|hanno)\s+(?:per|come|lo|quale)\s+(?:scopo|oggetto|finalita|fine)\b|\bsi\s+propon(?:e|gono)\b"
                        r"|\b(?:scopi|finalita|oggetto sociale)\s+(?:sono|e|dell\W?azienda|del consorzio)\b")


def purpose_governed(ctx: Ctx, start: int) -> bool:
    """True when the mention is an item of a list whose head states a purpose: the text before the
    colon of its sentence, or the line ending with a colon above its run of bullet lines."""
    ss, _ = ctx.sentence_bounds(start)
    colon = _colon(ctx, ss, start)
    if colon < start:
        return bool(PURPOSE_RE.search(ctx.folded[max(ss, colon - 200):colon]))
    ls, _ = ctx.line_bounds(start)
    if not BULLET_RE.match(ctx.text[ls:ls + 8]):
        return False
    head = _line_above_bullets(ctx, ls)
    return head is not None and head[2].endswith(":") and bool(PURPOSE_RE.search(ctx.folded[head[0]:head[1]]))


# A call for a measure ("Avviso pubblico per l'accesso alle misure del Dopo di Noi", "il bando per la Misura B2",
# "Avviso di manifestazione di interesse per il servizio di assistenza domiciliare"): the service or measure is the
# object of the call, which the Ambito opens to deliver it (D.Lgs. 36/2023 for tenders; the regional calls of the
# FNA and L. 112/2016) - stated, whatever the call's own status; a cue of its clause still decides ("per
# l'attivazione di": planned).
CALL_HEAD_RE = re.compile(r"\b(?:avvis[oi]|band[oi])(?:[ \t]+pubblic[oi])?\b[^.;:\n]{0,120}$")


def call_governed(ctx: Ctx, start: int) -> bool:
    """True when the mention is in the complement of a call ("avviso", "bando") of its sentence."""
    ss, _ = ctx.sentence_bounds(start)
    return bool(CALL_HEAD_RE.search(ctx.folded, max(ss, start - 130), start))


def _line_above_bullets(ctx: Ctx, ls: int) -> tuple[int, int, str] | None:
    """The first line above the run of bullet lines that holds the line starting at ``ls`` (blank
    lines skipped, at most 20 lines up): (start, end, stripped text), or None."""
    pos, lines = ls, 0
    while pos > 0 and lines < 20:
        hs, he = ctx.line_bounds(pos - 1)
        line = ctx.text[hs:he].strip()
        pos, lines = hs, lines + 1
        if line and not BULLET_RE.match(line):
            return hs, he, line
    return None


def _near(ctx: Ctx, cs: int, ce: int, start: int, end: int) -> str:
    """The part of a clause that dates the mention: a few words before it and what follows it up to
    the next comma-delimited phrase but one (an apposition "Il SAD, attivo dal 2010 al 2018, ...")."""
    ws = max(cs, start - 60, ctx.text.rfind(",", cs, start) + 1)
    tail = ctx.text[end:ce]
    cut = [m.start() for m in re.finditer(r",", tail)]
    we = end + (cut[1] if len(cut) >= 2 else len(tail))
    return ctx.text[ws:min(we, end + 100)]


# The complement of means or of place of a clause's verb (Italian complemento di mezzo / di luogo: "attraverso",
# "tramite", "mediante", "per mezzo di", "presso", "rivolgendosi a"): "L'accesso ai servizi avviene attraverso lo
# Sportello di Cittadinanza", "le domande si presentano presso il Segretariato sociale" - the service is how or
# where something happens now, so a present tense of its clause says that it runs. Only the present transfers:
# "gli incontri si terranno presso lo Spazio Giovani" plans the meetings, not the place.
INSTRUMENT_BEFORE_RE = re.compile(r"\b(?:attraverso|tramite|mediante|per[ \t]+mezzo[ \t]+d\w*|presso|rivolgendosi)[ \t]+"
                                  r"(?:(?:a|al|allo|alla|ai|agli|alle|all['\u2019]|il|lo|la|i|gli|le|l['\u2019]|un|uno|una|un['\u2019]|il nostro|la nostra)[ \t]*)?$", re.I)


# The present of the verbs of access and delivery that take such a complement ("avviene", "si accede", "si
# presentano", "ci si rivolge", "è possibile rivolgersi", "si svolge", "si effettua", "si ottiene", "si richiede").
ACCESS_PRESENT_RE = re.compile(r"\b(?:avviene|avvengono|(?:ci[ \t]+)?si[ \t]+(?:accede|accedono|presenta|presentano|rivolge|rivolgono|effettua|effettuano"
                               r"|svolge|svolgono|ottiene|ottengono|richiede|richiedono|inoltra|inoltrano|consegna|consegnano|prenota|prenotano)"
                               r"|e[ \t]+possibile|si[ \t]+puo|si[ \t]+possono|passa|passano)\b")


def _present_clause(clause: str, folded: str) -> bool:
    """True when the clause (as written, and folded) states, not denied, a present of access or delivery or
    another present indicative, and no future or conditional."""
    if re.search(r"\bnon\b", folded) or FUTURE_RE.search(clause) or CONDITIONAL_RE.search(clause):
        return False
    return bool(ACCESS_PRESENT_RE.search(folded)) or tense_of(clause) == "active"


# A participle of starting in apposition to the name, with the time it started ("“X”, partito a giugno del
# 2024,", "il servizio, partito nel 2019,", "partita lo scorso settembre"): the initiative has begun and runs,
# whatever a relative clause after it provides for ("che prevede ..."). The time complement keeps the noun
# "partito" (a party) out.
_MONTHS = "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre"
STARTED_APPOSITION_RE = re.compile(r"[\W]{0,3}[ \t]*,[ \t]*(?:(?:gia|ufficialmente|regolarmente)[ \t]+)?partit[oaie][ \t]+"
                                   r"(?:(?:a|ad|nel|nell['\u2019]|dal|dall['\u2019]|da|in|lo|la|lo scorso|la scorsa|il|l['\u2019])[ \t]*)?"
                                   r"(?:\d{1,2}[ \t]+)?(?:" + _MONTHS + r"|(?:19|20)\d\d|primavera|estate|autunno|inverno|scors[oa]|anno|mese)\b")


# "nasce" / "nascono" right before the service, its subject in the verb-subject order of news ("Nasce lo Sportello
# Lavoro", "A Borgo Alto nascono i nuovi Centri per la Famiglia"): it now exists. After its subject the verb
# mostly tells an origin or a purpose ("Il progetto nasce dalla collaborazione tra ...", "nasce per"), not a state.
# A place or time adjunct may stand between the verb and its subject ("Nasce a Seriate il nuovo Sportello", "nasce
# in via Roma lo sportello", "nascono da lunedì i Centri").
BIRTH_BEFORE_RE = re.compile(r"\bnasc(?:e|ono)[ \t]+(?:(?:anche|ora|oggi|cosi|ufficialmente)[ \t]+)?"
                             r"(?:(?:a|ad|in|nel|nella|presso|da|dal|dalla)[ \t]+[\w'\u2019]+(?:[ \t]+[\w'\u2019]+){0,2}?[ \t]+)?"
                             r"(?:il|lo|la|i|gli|le|l\W|un|uno|una|un\W)[ \t]*"
                             r"(?:(?:nuov[oaie]|prim[oaie]|grande)[ \t]+)?$")

# The continuative periphrasis "continuare / proseguire / seguitare a + infinitive", in any tense ("continua a
# gestire", "continuerà a erogare", "proseguiranno ad offrire"), before the service it governs: an aspect of
# Italian that presupposes an ongoing activity, so the service runs now whatever tense carries the periphrasis.
CONTINUATIVE_RE = re.compile(r"\b(?:continu|prosegu|seguit)\w*[ \t]+(?:a|ad)[ \t]+\w+(?:are|ere|ire|arsi|ersi|irsi)\b"
                             r"(?:[ \t]+(?:anche|ancora|inoltre|direttamente))?[ \t]+(?:il|lo|la|i|gli|le|l\W)[ \t]*(?:[\w'\u2019]+[ \t]+){0,3}$")


def _status_core(ctx: Ctx, ss: int, se: int, cs: int, ce: int, start: int, end: int) -> str | None:
    """Steps 1-5 of ``status_at`` for the mention [start, end) in clause [cs, ce) of sentence [ss, se)."""
    if _labels(ctx, ss, start, end):
        ce = se  # "SERVIZIO TUTELA MINORI: gestito dall'Azienda": a label and its description
    found = _cue_in(ctx, cs, ce, start, end)
    if found in (None, "planned") and STARTED_APPOSITION_RE.match(ctx.folded, end):
        found = "active"  # "il progetto “X”, partito a giugno del 2024, che prevede ...": it has started
    if not found and BIRTH_BEFORE_RE.search(ctx.folded, max(cs, start - 70), start):
        found = "active"  # "Nasce lo Sportello Lavoro": it is born, it runs
    if not found and CONTINUATIVE_RE.search(ctx.folded, max(cs, start - 70), start) \
            and not re.search(r"\bnon\b", ctx.folded[max(cs, start - 80):start]):
        found = "active"  # "continuerà a gestire il Servizio Affidi": the continuative aspect presupposes that it runs
    if not found and (cs, ce) != (ss, se) and _is_subject(ctx, cs, start, end):
        found = _tense_after_negation(ctx.text[cs:ce])
    if not found and (cs, ce) != (ss, se) and not _after_colon(ctx, ss, start):
        found = _cue_in(ctx, ss, _colon(ctx, ss, se), start, end)  # a head clause: not the cues of its list
    if not found and (not ctx.slides or _full_statement(ctx, ss, se, start, end)) and _is_subject(ctx, ss, start, end) \
            and not _after_colon(ctx, ss, start):
        found = _tense_after_negation(ctx.text[ss:se])
    if not found and INSTRUMENT_BEFORE_RE.search(ctx.text, max(cs, start - 40), start) and _present_clause(ctx.text[cs:ce], ctx.folded[cs:ce]):
        found = "active"  # "L'accesso avviene attraverso lo Sportello di Cittadinanza": the means of what happens now
    if not found:
        found = _head_status(ctx, ss, se, start)
    near = ctx.folded[max(cs, start - 40):min(ce, end + 40)]
    if not found and CURRENT_RE.search(near) and not NEGATED_RE.search(ctx.folded[cs:ce]):
        found = "active"  # the adverb next to the mention: "attualmente lo spazio neutro è a ...", not "attualmente vigente"
    if found or not ctx.slides or len(ctx.text[slice(*ctx.line_bounds(start))].strip()) >= 100:
        return found
    ls, le = ctx.line_bounds(start)
    prev = ctx.text.rfind("\n", 0, max(0, ls - 1))
    prev = ctx.text.rfind("\n", 0, max(0, prev)) if prev > 0 else 0
    nxt = ctx.text.find("\n", le + 1)
    found = _cue_in(ctx, max(0, prev), nxt if nxt > 0 else len(ctx.text), start, end)
    if found:
        return found
    pos, lines = ls, 0
    while pos > 0 and lines < 15:
        hs, he = ctx.line_bounds(pos - 1)
        head = ctx.text[hs:he].strip()
        if head and (head.isupper() or head.endswith(":")) and len(head) < 80:
            return _cue_in(ctx, hs, he, hs, he, own=False)
        pos, lines = hs, lines + 1
    return None


# A list can come first and its head after a colon that resumes it with a demonstrative ("A; B; C: sono
# questi gli ambiti su cui si muoveranno i progetti", "A e B: queste le misure attive") - the head's cue or
# tense holds for every item before the colon. A general rule of Italian resumption (ripresa anaforica).
RESUMPTIVE_RE = re.compile(r":[ \t]*(?:(?:sono|saranno|erano|ecco)[ \t]+(?:quest[ie]|tali)|(?:quest[ie]|tali)[ \t]+(?:sono|saranno|erano|i|gli|le))\b", re.I)


def _resumptive_status(ctx: Ctx, se: int, end: int) -> str | None:
    """The status of the head that resumes, after a colon, the list the mention at ``end`` is an
    item of (the next colon of its paragraph, no full stop between: a long list runs past ``se``, the
    bounded sentence end)."""
    colon = ctx.text.find(":", end, max(se + 1, ctx.line_bounds(end)[1]))
    if colon >= 0 and re.search(r"[.!?](?:\s|$)", ctx.text[end:colon]):
        colon = -1  # the list ended before: the colon heads another sentence
    m = RESUMPTIVE_RE.match(ctx.text, colon) if colon >= 0 else None
    if not m:
        return None
    hs, he = ctx.sentence_bounds(m.end())
    return _cue_in(ctx, m.start(), he, m.start(), m.start(), own=False) or tense_of(ctx.text[m.start():he])


def _full_statement(ctx: Ctx, ss: int, se: int, start: int, end: int) -> bool:
    """In a slide deck or a page of short lines, a sentence still states a status when it is whole: it opens
    with the mention, a finite verb follows it at once and a full stop ends it ("Il SIL accompagna persone
    fragili verso il lavoro.")."""
    return (ctx.text[ss:se].rstrip().endswith(".") and len(ctx.text[ss:start].split()) <= 2
            and bool(re.match(r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?:" + PRESENT_RE.pattern + "|" + FUTURE_RE.pattern + ")",
                              ctx.text[end:end + 40], re.I)))


# A clause ends where a contrastive or subordinating conjunction opens another one with its own verb
# ("..., mentre", "..., ma", "; inoltre"), and at a colon (a head clause and the list it introduces) -
# a general rule of Italian syntax.
CLAUSE_BREAK_RE = re.compile(
    r",\s*(?:mentre|ma|per\u00f2|tuttavia|invece|anche se|sebbene|bench\u00e9|poich\u00e9|in quanto|dato che|visto che)\b"
    r"|\s(?:mentre|tuttavia|sebbene|bench\u00e9|poich\u00e9)\s|:(?=\s)|\s[\u2013\u2014]\s", re.I)
# Adverbs of present state: what the text says exists now ("attualmente lo spazio neutro è a Giussano").
CURRENT_RE = re.compile(r"\b(?:attualmente|tuttora|ad oggi|a oggi|al momento attuale|allo stato attuale|gia attiv\w*)\b")


def _clause_bounds(ctx: Ctx, ss: int, se: int, start: int, end: int) -> tuple[int, int]:
    """Bounds of the clause of [start, end) inside the sentence [ss, se)."""
    cs, ce = ss, se
    for m in CLAUSE_BREAK_RE.finditer(ctx.text, ss, se):
        if m.end() <= start:
            cs = m.end()
        elif m.start() >= end:
            ce = m.start()
            break
    return cs, ce


def _labels(ctx: Ctx, ss: int, start: int, end: int) -> bool:
    """True when the mention is the label before a colon ("Spazio Neutro: attivo dal 2015")."""
    colon = _colon(ctx, ss, ctx.sentence_bounds(start)[1])
    return end <= colon and len(ctx.text[ss:start].split()) + len(ctx.text[end:colon].split()) <= 2 and colon < len(ctx.text)


# The years a status holds for, when the clause states them: "dal 2015", "a decorrere dal 1° gennaio
# 2023", "fino al 2019", "dal 2015 al 2019".
SINCE_RE = re.compile(r"\b(?:dal|dall['\u2019]|a partire dal|a decorrere dal|sin dal|fin dal)\s*(?:\d{1,2}\s*[°o]?\s+)?(?:[a-z]+\s+)?((?:19|20)\d\d)\b", re.I)
UNTIL_RE = re.compile(r"\b(?:fino|sino)\s+(?:al|a|all['\u2019])\s*(?:\d{1,2}\s*[°o]?\s+)?(?:[a-z]+\s+)?((?:19|20)\d\d)\b"
                      r"|\bdal\s+(?:19|20)\d\d\s+al\s+((?:19|20)\d\d)\b", re.I)
# A past of the indicative: a perfect ("è stato", "ha funzionato") or an imperfect ("era", "operava").
PAST_RE = re.compile(r"\b(?:\u00e8 stat[oa]|sono stat[ie]|era|erano|fu|furono|ha|hanno)\b|\b\w{3,}(?:ava|eva|iva|avano|evano|ivano)\b", re.I)


def stated_years(clause: str) -> tuple[str | None, str | None]:
    """(since, until) years that a clause states for a status, each None when it states none."""
    since, until = SINCE_RE.search(clause), UNTIL_RE.search(clause)
    return (since.group(1) if since else None, (until.group(1) or until.group(2)) if until else None)


def _ended(ctx: Ctx, clause: str, near: str) -> bool:
    """True when the clause closes the service's time: "fino al 2019" near the mention with a past
    tense, or an end year before the document's own programming period."""
    _, until = stated_years(near)
    if until is None or FUTURE_RE.search(clause):
        return False
    start = int(ctx.period[:4]) if ctx.period and ctx.period[:4].isdigit() else None
    return bool(PAST_RE.search(clause)) or (start is not None and int(until) < start)


def _colon(ctx: Ctx, ss: int, se: int) -> int:
    """Offset of the first colon of a sentence that introduces a list or an explanation (``se`` if none)."""
    m = re.compile(r":(?=\s)").search(ctx.text, ss, se)
    return m.start() if m else se


def _after_colon(ctx: Ctx, ss: int, start: int) -> bool:
    return _colon(ctx, ss, start) < start


# The head of an enumeration of services names their class ("i seguenti servizi:", "I servizi in
# coprogettazione riguardano:") or ends with the verb the items complete ("Sono stati attivati:",
# "Il Piano garantirà:"); a head about something else ("una rosa di obiettivi operativi:", "sono
# presenti molti dei soggetti:") lends its verb to no service.
CLASS_NOUN_RE = re.compile(r"\b(?:servizi|servizio|interventi|sportelli|progetti|misure|unita d\W?offerta|prestazioni)\b")
# A head clause that ends with the verb its list completes ("L'Azienda gestisce:"), also with the adverbials
# of manner, place or beneficiary between the verb and the colon ("L'Ufficio di Piano gestisce in forma
# associata:", "eroga direttamente ai cittadini:"): the list is its direct object.
HEAD_VERB_END_RE = re.compile(r"\b(?:\u00e8|sono|sar\u00e0|saranno|verr\u00e0|verranno|viene|vengono|stat[oaie])\s+\w+\s*$"
                              r"|\b\w{3,}(?:er|ir|ar)(?:\u00e0|anno)\s*$|\b(?:gestisce|gestiscono|gestiamo|offre|offrono|offriamo|garantisce|garantiscono"
                              r"|eroga|erogano|eroghiamo|attiva|attivano|realizza|realizzano)"
                              # adverbials between the verb and its list: manner, place, time, on whose behalf
                              r"(?:\s+(?:in\s+forma\s+(?:associata|diretta|integrata)|direttamente|anche|inoltre|attualmente|oggi|ora"
                              r"|sul\s+territorio|nel\s+territorio|per\s+conto\s+(?:dei|di\s+tutti\s+i)\s+comuni(?:\s+(?:soci|associati|dell\W?ambito))?"
                              r"|per\s+(?:tutti\s+)?i\s+comuni(?:\s+(?:soci|associati|dell\W?ambito))?|ai\s+cittadini|alla\s+cittadinanza"
                              r"|a\s+favore\s+(?:dei|delle|degli|della|del)\s+\w+(?:\s+\w+)?|tramite\s+\w+(?:\s+\w+)?))*\s*$", re.I)


def _item_of(ctx: Ctx, item_start: int, start: int) -> bool:
    """True when the mention opens the list item that starts at ``item_start`` (an article or a
    bullet before it at most)."""
    before = re.sub(r"[^\w']+", " ", fold(ctx.text[item_start:start])).split()
    return all(w.rstrip("'") in ARTICLES or w.isdigit() or len(w) == 1 for w in before) and len(before) <= 3


# What may open a list item before the service's name: an article, a number, the generic head
# ("Servizio “Spazio Neutro”"), and a generic head with the preposition of its complement ("sportello del
# Centro Antiviolenza", "servizio di Spazio Neutro"): the item is the service its complement names.
ARTICLES = frozenset("il lo la i gli le l un una uno servizio servizi progetto programma sportello sportelli centro centri spazio punto "
                     "ufficio di del della dello dell dei degli delle".split())


def _governs(head: str) -> bool:
    """True when a head clause names its items' class as its subject or its last phrase, or ends with
    the verb they complete."""
    words = fold(head).split()
    return bool(CLASS_NOUN_RE.search(" ".join(words[:3])) or CLASS_NOUN_RE.search(" ".join(words[-4:]))
                or SEGUENTI_RE.search(" ".join(words)) or HEAD_VERB_END_RE.search(head))


# "sono gestiti in forma associata i seguenti servizi descritti nelle pagine successive:": the class
# announced by "seguenti" anywhere in the head (a postposed subject, a qualifier after it)
SEGUENTI_RE = re.compile(r"\bseguent[ie]\s+(?:\w+\s+)?" + CLASS_NOUN_RE.pattern[2:])


def _head_status(ctx: Ctx, ss: int, se: int, start: int) -> str | None:
    """The status of the head a list item depends on: a head clause with a colon or above a run of
    bullet lines (``_list_head_status``), else a class noun that governs an enumeration in running
    text (``_class_head_status``), a sentence-initial predicate, or a head after the list's colon
    that resumes it (``_resumptive_status``)."""
    return (_list_head_status(ctx, ss, se, start) or _class_head_status(ctx, ss, se, start) or _initial_predicate_status(ctx, ss, start)
            or _resumptive_status(ctx, se, start))


# A sentence that opens with its predicate ("Sono attivi il servizio affidi, lo spazio neutro e ...", "Saranno
# avviati ...", "È stato inaugurato ..."): the postposed subjects that follow share its status - Italian
# verb-subject order, the enumeration stated as a whole.
INITIAL_PREDICATE_RE = re.compile(r"[\W]*(?:\u00e8|e'|sono|sar\u00e0|saranno|verr\u00e0|verranno|viene|vengono|risulta|risultano|restano|rimangono)"
                                  r"(?:\s+(?:stat[oaie]|gi\u00e0|ora|oggi|attualmente|inoltre|anche|ancora))*\s+(?P<cue>\w+)\b", re.I)


def _initial_predicate_status(ctx: Ctx, ss: int, start: int) -> str | None:
    """The status of a sentence-initial predicate for a mention among the subjects that follow it."""
    m = INITIAL_PREDICATE_RE.match(ctx.text, ss, start)
    if not m or re.search(r"[.;:]", ctx.text[m.end():start]) or len(ctx.text[m.end():start].split()) > 40:
        return None
    return _cue_in(ctx, ss, m.end(), m.end(), m.end(), own=False)


# An enumeration governed by a class noun without a colon - its subject ("In particolare, i servizi che
# sono cresciuti maggiormente sono la tutela minori, il CSE ...") or a class noun with an enumerating
# connective ("servizi quali il nucleo per gli inserimenti lavorativi, l'assistenza domiciliare ...
# operano"): the items share the predicate of the class noun. A general rule of Italian syntax.
# The class noun may carry its own modifier, closed by a comma, before the connective ("i servizi ad esso
# correlati, quali tutela minorile, segretariato sociale e ..."; "gli interventi gestiti dall'Azienda, tra cui").
ENUM_HEAD_RE = re.compile(r"\b(?:servizi|interventi|progetti|sportelli|misure|prestazioni|unita d\W?offerta)[ \t]+"
                          r"(?:(?:[\w'\u2019]+[ \t]+){0,3}[\w'\u2019]+[ \t]*,[ \t]*(?=quali|tra|fra|ovvero|cioe|in particolare))?"
                          r"(?:quali|come|tra cui|tra i quali|fra cui|ovvero|cioe|in particolare)\b")


# A verb of running services before an enumeration of them in its clause ("L'Azienda gestisce per i
# comuni il Servizio Tutela Minori, il Servizio Affidi e il SAD"): the items are its objects, stated as a
# whole, not a bare list.
MANAGE_RE = re.compile(r"\b(?:gestisce|gestiscono|gestiamo|eroga|erogano|eroghiamo|offre|offrono|offriamo|garantisce|garantiscono"
                       r"|si occupa|si occupano|finanzia|finanziano|cofinanzia|cofinanziano"
                       r"|garantiamo|assicura|assicurano|fornisce|forniscono|forniamo|attiva|attivano|organizza|organizzano)\b")
# The noun of running a service governs the enumeration that follows it at once ("la gestione della tutela
# minori, dell'ADM e del servizio affidi"), not a mention in a later parenthesis or phrase.
GESTIONE_HEAD_RE = re.compile(r"\bgestione(?: associata)? (?:della|del|dei|degli|delle|dell\W)(?P<items>[^()]{0,80})$")


def _class_head_status(ctx: Ctx, ss: int, se: int, start: int) -> str | None:
    """The tense of a sentence whose subject is a class noun of services (within its first four
    words) or whose class noun enumerates its items ("servizi quali ..."), for a mention after it."""
    before = ctx.folded[ss:start]
    head = CLASS_NOUN_RE.search(" ".join(before.split()[:4]))
    clause = ctx.folded[_clause_bounds(ctx, ss, se, start, start)[0]:start]
    if not head and not ENUM_HEAD_RE.search(before) and not MANAGE_RE.search(clause) and not GESTIONE_HEAD_RE.search(clause):
        return None
    if head and len(before.split()) <= 4 and not re.search(r"\(\s*(?:[^()]*[,;]\s*)?$", ctx.text[ss:start]):
        # the mention is the class noun's own complement, the subject itself - unless it opens or continues an
        # enumeration in brackets after it ("I servizi associati (SAD, ADM, Tutela Minori) sono gestiti"):
        # the members of the class share its predicate
        return None
    sentence = ctx.text[ss:se]
    rel = re.compile(r"\bche\s+non\b", re.I).search(sentence, start - ss)
    # a denied relative clause after the items qualifies another noun ("operano con uno sguardo che non è
    # chiuso"), it does not deny the items
    return _tense_after_negation(sentence[:rel.start()] if rel else sentence)


def _list_start(ctx: Ctx, ss: int, start: int) -> int:
    """The start of the head of a list whose items a semicolon parts ("L'Azienda gestisce: il SAD; il
    trasporto sociale; lo Spazio Neutro."): the semicolon ends an item, not the statement the colon opened,
    so an item's sentence goes back to the colon on its line (Italian punctuation of lists)."""
    if _colon(ctx, ss, start) < start:
        return ss
    ls, _ = ctx.line_bounds(start)
    pss = ss
    for _ in range(12):
        prev = ctx.text[ls:pss].rstrip()
        if not prev.endswith(";"):
            return ss
        qs, _ = ctx.sentence_bounds(ls + len(prev) - 1)
        if qs >= pss:
            return ss
        if _colon(ctx, qs, pss) < pss:
            return qs
        pss = qs
    return ss


def _list_head_status(ctx: Ctx, ss: int, se: int, start: int) -> str | None:
    """The status of the head clause a list item depends on: the text before the colon of its
    sentence, or the line ending with a colon (or the heading) above a run of bullet lines - when
    the head governs its items and the mention opens its item."""
    ss = _list_start(ctx, ss, start)
    colon = _colon(ctx, ss, start)
    if colon < start:
        # items part at a comma, a semicolon, a dash or bullet, and at the coordination before the last one
        seps = [colon + 1 + m.end() for m in re.finditer(r"[,;]|\s[-\u2022]\s|\s(?:e|ed)\s(?=\S+\s+[A-Z\u00c0-\u00dd]|(?:il|lo|la|l['\u2019]|i|gli|le)\b)",
                                                         ctx.text[colon + 1:start])]
        item = seps[-1] if seps else colon + 1
        head = ctx.text[ss:colon]
        if not _item_of(ctx, item, start) or not _governs(head):
            return None
        return _cue_in(ctx, ss, colon, colon, colon, own=False) or _tense_after_negation(head)
    ls, _ = ctx.line_bounds(start)
    item = ls
    par = ctx.text.rfind("(", ls, start)
    if par != -1 and ")" not in ctx.text[par:start]:
        # an enumeration in brackets inside a bullet item ("- Servizi Sociali (Tutela Minori, Segretariato
        # Sociale, ...)"): each of its members opens its own item
        seps = [par + 1 + m.end() for m in re.finditer(r"[,;]", ctx.text[par + 1:start])]
        item = seps[-1] if seps else par + 1
    if not BULLET_RE.match(ctx.text[ls:ls + 8]) or not _item_of(ctx, item, start):
        return None
    above = _line_above_bullets(ctx, ls)
    if above is None:
        return None
    hs, he, line = above
    if line.endswith(":"):
        hss, _ = ctx.sentence_bounds(he - 1)
        head = ctx.text[hss:he].rstrip().rstrip(":")
        if not _governs(head):
            return None
        return _cue_in(ctx, hss, he, he, he, own=False) or _tense_after_negation(head)
    bare = re.sub(r"^#+\s*|[*_]+", "", line).strip()
    # a heading: marked ("## Servizi attivi"), in capitals, or a short line with no closing punctuation
    # right above the run of bullets ("Servizi attivi")
    short = len(bare) < 60 and not re.search(r"[.;,!?]$", bare)
    if (line.startswith("#") or bare.isupper() or short) and len(bare) < 80 and _governs(bare):
        # a heading that names its items' class and their status ("## Servizi attivi", "PROGETTI
        # REALIZZATI", "Interventi programmati"), or the offer of its owner ("I nostri servizi", "Servizi
        # dell'Ambito"): a nominal heading of what the owner runs now
        return _cue_in(ctx, hs, he, hs, he, own=False) or ("active" if OWN_OFFER_RE.search(fold(bare)) else None)
    return None


# The owner's offer named by a heading: a possessive of the first person ("I nostri servizi", "Le nostre
# attività") or the owner as complement of the class noun ("Servizi dell'Ambito", "Gli interventi del Consorzio").
OWN_OFFER_RE = re.compile(r"\bnostr[ie]\s+(?:servizi|interventi|progetti|sportelli|attivita)\b"
                          r"|\b(?:servizi|interventi|sportelli)\s+(?:dell['\u2019]?\s*(?:ambito|azienda|ufficio di piano|unione)"
                          r"|del\s+(?:consorzio|distretto|piano di zona))\b")


def _tense_after_negation(clause: str) -> str | None:
    """The tense of a clause, unless it denies the service ("non è attivo", "non sarà avviato")."""
    if NEGATED_RE.search(fold(clause)) or re.search(r"\bnon\s+(?:ancora\s+)?(?:\u00e8|sono|sar\w*|verr\w*|viene|vengono|ha|hanno|\w+(?:er|ir|ar)(?:\u00e0|anno))(?!\w)", clause, re.I):
        return None
    return tense_of(clause)


FUTURE_RE = re.compile(r"\b\w{3,}(?:er|ir|ar)(?:\u00e0|anno|emo)\b|\bsar(?:\u00e0|anno)\b|\bverr(?:\u00e0|anno)\b"
                       r"|\b(?:dovr|potr|vorr|andr|avr|sapr|vedr|terr|rimarr|varr)(?:\u00e0|anno)\b", re.I)  # irregular futures: "dovrà", "potrà"
# The conditional mood ("ricoprirebbe", "dovrebbe", "potrebbero") and "si prefigura" describe what a
# service would be: a plan, never a running service.
CONDITIONAL_RE = re.compile(r"\b\w{2,}(?:rebbe|rebbero)\b|\bsi prefigura(?:no)?\b", re.I)
PRESENT_RE = re.compile(
    r"\b(?:\u00e8|sono|viene|vengono|ha|hanno|si occupa|si rivolge|gestisce|gestiscono|offre|offrono|garantisce|segue|seguono"
    r"|accompagna|supporta|sostiene|interviene|accoglie|accolgono|assiste|assistono|prende|lavora|opera|operano|realizza|organizza|inviano|invia"
    r"|prevede|prevedono|comprende|comprendono|include|includono|consiste|consistono|assicura|assicurano|fornisce|forniscono"
    r"|eroga|erogano|svolge|svolgono|riguarda|riguardano|funziona|funzionano|risponde|rispondono|coinvolge|coinvolgono"
    r"|garantiscono|promuove|promuovono|ospita|ospitano|si trova|si trovano|ha sede|dispone|dispongono|raggiunge|raggiungono"
    r"|cresce|crescono"
    # what a service does for its users, in the present: "Lo Spazio Neutro permette ...", "Il Centro propone
    # corsi", "il servizio conta 120 utenti", "aiuta", "orienta", "affianca"
    r"|permette|permettono|consente|consentono|propone|propongono|conta|contano|aiuta|aiutano|orienta|orientano"
    r"|affianca|affiancano|ascolta|ascoltano|registra|registrano|finanzia|finanziano|mette a disposizione|mettono a disposizione)\b", re.I)


def _is_subject(ctx: Ctx, ss: int, start: int, end: int) -> bool:
    """True when the service mention is what its sentence talks about: it opens the sentence (within
    its first five words) or a verb follows it at once ("Lo Spazio Neutro è ...", "... che inviano")."""
    if len(ctx.text[ss:start].split()) <= 5:
        return True
    if _postposed(ctx, ss, start):
        return True
    return bool(re.match(r"[\s,]*(?:che\s+|,\s*)?(?:" + PRESENT_RE.pattern + "|" + FUTURE_RE.pattern + ")", ctx.text[end:end + 40], re.I))


def _postposed(ctx: Ctx, ss: int, start: int) -> bool:
    """True for a subject placed after its verb (Italian verb-subject order): the sentence opens with
    a finite verb and the mention, with its article, opens its last comma-delimited phrase
    ("Prenderà forma nelle prossime settimane ..., il Family point istituito dai Comuni")."""
    first = ctx.text[ss:ss + 40].lstrip(" \t\"\u201c*-")
    if not re.match(r"(?:" + FUTURE_RE.pattern + "|" + PRESENT_RE.pattern + r")", first, re.I):
        return False
    # the last comma-delimited phrase, or the last of a coordination ("Crescono anche i contributi ... e
    # l'housing sociale")
    return bool(re.search(r"(?:,|\s(?:e|ed))\s*(?:il|lo|la|l['\u2019]|i|gli|le)\s*[\"\u201c\u00ab]?\s*$", ctx.text[max(ss, start - 12):start], re.I))


def tense_of(sentence: str) -> str | None:
    """The status a sentence's verbs state when no cue word does: a future ("sarà", "verrà",
    "-erà", "-iranno") or a conditional ("dovrebbe", "ricoprirebbe") plans, a present indicative
    ("è", "viene", "gestisce", "ha in carico") runs.
    A general grammar of Italian tense, applied to the sentence of a service mention."""
    if FUTURE_RE.search(sentence) or CONDITIONAL_RE.search(sentence):
        return "planned"
    if PRESENT_RE.search(sentence) or PRESENT_1PL_RE.search(sentence):
        return "active"
    return None


# The first person plural of the present, as a service's own page writes ("Gestiamo il segretariato
# sociale", "Offriamo ..."): the morphology "-iamo", without the modals and the progressive, which plan.
PRESENT_1PL_RE = re.compile(r"\b(?!(?:dobb|poss|vogl|st|sapp|facc|rich|sic)iamo\b)\w{3,}iamo\b", re.I)  # "richiamo" is a noun


# A future or modal auxiliary before a participle cue ("sarà attivato", "verrà gestito", "dovrà essere
# istituita", "potrebbe essere erogato"): the participle names an event still to come, a plan. Before an
# adjective of state ("sarà attivo per tutto il 2023", "sarà operativo") the state holds: it runs.
# "prevedere" plans when a plan provides for a service ("Il Piano prevede l'attivazione del SAD"); it
# describes when the service is its subject ("Il SAD prevede prestazioni ...") or a norm its agent
# ("previsto dalla L. 112/2016", "ai sensi").
PROVIDE_RE = re.compile(r"(?:si\s+)?prev(?:ede|edono|ist[oaie])")
NORM_AFTER_RE = re.compile(r"\s+(?:dal|dalla|dall'|dall\u2019|dai|dagli|dalle|ai sensi|per legge|dalla normativa|dal regolamento)\b")
PARTICIPLE_RE = re.compile(r"(?:at|it|ut|olt|ost|ert)[oaie]$")
PLANNED_AUX_RE = re.compile(
    r"\b(?:sar(?:\u00e0|a'|anno)|verr(?:\u00e0|a'|anno)|dovr(?:\u00e0|a'|anno)|potr(?:\u00e0|a'|anno)|\w{2,}(?:rebbe|rebbero)"
    r"|da|deve|devono|dovranno)(?:\s+(?:essere|venire|stat[oaie]))?(?:\s+(?:gradualmente|progressivamente|quindi|poi|anche|nuovamente))?\s*$",
    re.I)


# A plural participle right after a plural noun agrees with that noun and qualifies it, not a singular
# service named elsewhere in the sentence ("... per partire con i servizi erogati dal 2023, il Family
# point"): a general rule of Italian agreement. Auxiliaries and adverbs before it leave it a predicate.
NOT_NOUN = frozenset("sono stati state stato stata hanno vengono venivano erano essere anche gia ben poi piu ora tutti tutte "
                     "regolarmente".split())


def _modifies_other(ctx: Ctx, s: int, e: int, start: int, end: int) -> bool:
    """True when the participle cue [s, e) after the mention qualifies the plural noun before it."""
    word = ctx.folded[s:e]
    if not (PARTICIPLE_RE.search(word) and word[-1] in "ie"):
        return False
    prev = re.search(r"([a-z]+)[ \t]+$", ctx.folded[max(end if s >= end else 0, s - 30):s])
    if not prev or prev.group(1) in NOT_NOUN or prev.group(1).endswith("mente"):
        return False
    return prev.group(1)[-1] in "ie"


# Continuing, consolidating or keeping a service presupposes that it runs ("si intende proseguire il
# servizio", "consolidare il SIL"): such a cue outweighs a plan in the same span.
CONTINUATION_RE = re.compile(r"(?:prosegu|prosecu|continu|consolid|manten)")
# A verb of planning ("si prevede", "si intende") before a noun of action that alone reads as running
# ("sperimentazione", "gestione del"): the noun is what the plan provides for.
PLANNING_VERB_RE = re.compile(r"(?:si\s+)?(?:prevede|prevedono|intende|intendono|auspica)")
ACTION_NOUN_RE = re.compile(r"(?:zione|zioni|mento|menti)\b|^gestione")


# Two events of one subject in sequence - a coordination ("attivato nel 2003 e interrotto a dicembre") or an
# adverb of sequence ("poi", "quindi", "successivamente") - the later one states where the service is now.
SEQUENCE_RE = re.compile(r"\s(?:e|ed|poi|quindi|successivamente|infine|ma)\s")
# ... unless the conjunction opens a clause of its own: a new subject with its article ("attivo dal 2018 e il
# servizio affidi è stato chiuso") or a finite verb of its own between the two events.
NEW_PREDICATE_RE = re.compile(r"\s(?:e|ed|ma)\s+(?:il|lo|la|l['\u2019]|i|gli|le|un|una|uno)\b|(?<!\w)(?:\u00e8|sono|viene|vengono|ha|hanno|era|erano)(?!\w)", re.I)


# "Il Servizio X, istituito nel 2010, è stato chiuso nel 2022": a participle in apposition dates the
# service's start; the finite predicate of the main clause says where it is now.
APPOSITION_RE = re.compile(r"\s*,[^,]{3,60},\s*(?P<pred>(?:\u00e8|sono|si\s+\u00e8|viene|vengono|ha|hanno|era|erano|sar\u00e0|saranno|verr\u00e0|verranno)\b)", re.I)


def _main_predicate_status(ctx: Ctx, se: int, end: int) -> str | None:
    """The status of the finite predicate that follows an apposition after the mention (None when none does)."""
    m = APPOSITION_RE.match(ctx.text, end, se)
    if not m:
        return None
    return _cue_in(ctx, m.start("pred"), se, m.start("pred"), m.start("pred"), own=False)


def _same_subject_sequence(between: str) -> bool:
    """True when the text between two status cues joins two events of one subject."""
    return bool(SEQUENCE_RE.search(between)) and not NEW_PREDICATE_RE.search(between)


# A closure for a while ("resterà chiuso per ferie", "chiuso nei giorni festivi", "temporaneamente sospeso",
# "chiude dal 10 al 20 agosto") pauses a service that runs: it does not end it. General grammar of aspect.
TEMPORARY_CLOSURE_RE = re.compile(r"\b(?:rest(?:a|ano|era|eranno)|riman(?:e|gono)|rimarra|rimarranno)\s+(?:chius|sospes)"
                                  r"|\b(?:chius[oaie]|chiude|chiudono|sospes[oaie])\s+(?:per\s+(?:ferie|festivita|le\s+festivita|lavori|la\s+pausa)"
                                  r"|nei\s+giorni|il\s+sabato|la\s+domenica|dal\s+\d{1,2}\b|temporaneamente)"
                                  r"|\btemporaneamente\s+(?:chius|sospes)")


def _cue_in(ctx: Ctx, ss: int, se: int, start: int, end: int, *, own: bool = True) -> str | None:
    best: tuple[int, int, str] | None = None
    continues = False
    planning_before: int | None = None
    nominal_active: int | None = None
    opened: int | None = None  # end of the first cue that opens the service ("attivato")
    closed_after = False  # a closing cue coordinated after it ("attivato ... e interrotto")
    for s, e, c in load_vocab().matcher("statuses").finditer(ctx.text[ss:se], ctx.folded[ss:se]):
        if c.key not in STATUS_PRIORITY:
            continue
        word = ctx.folded[ss + s:ss + e]
        if re.search(r"\bnon\s+(?:[a-z\u00e0-\u00ff']+\s+){0,2}$", ctx.folded[max(ss, ss + s - 30):ss + s]):
            continue  # "non è attivo", "non sarà avviato": the text denies it
        if c.key == "planned" and PROVIDE_RE.fullmatch(word) and (
                NORM_AFTER_RE.match(ctx.folded, ss + e) or 0 <= ss + s - end <= 30 and "," not in ctx.text[end:ss + s]):
            continue  # "previsto dalla L. 328/2000" (a norm provides it), "Il servizio prevede colloqui" (it comprises)
        if c.key == "concluded" and word.startswith("chiud") and re.search(r"\bsi\s+$", ctx.folded[max(ss, ss + s - 4):ss + s]):
            continue  # "il 2023 si chiude con 200 utenti": the reflexive says a period ends, not a service
        if c.key == "concluded" and TEMPORARY_CLOSURE_RE.search(ctx.folded[max(ss, ss + s - 25):min(se, ss + e + 40)]):
            c = load_vocab().concept("statuses", "active")  # "resterà chiuso per ferie": a running service pauses
        if (c.key == "active" and PARTICIPLE_RE.search(ctx.text[ss + s:ss + e])
                and PLANNED_AUX_RE.search(ctx.text[max(ss, ss + s - 40):ss + s])):
            c = load_vocab().concept("statuses", "planned")
        elif own and c.key == "active" and _modifies_other(ctx, ss + s, ss + e, start, end):
            continue
        continues = continues or (c.key == "active" and bool(CONTINUATION_RE.match(word)))
        if c.key == "planned" and PLANNING_VERB_RE.fullmatch(word) and ss + s < start:
            planning_before = ss + s if planning_before is None else planning_before
        if c.key == "active" and ACTION_NOUN_RE.search(word) and not CONTINUATION_RE.match(word):
            nominal_active = ss + s
        if c.key == "active" and opened is None:
            opened = ss + e
        elif c.key == "concluded" and opened is not None and ss + s - opened < 90 and _same_subject_sequence(ctx.text[opened:ss + s]):
            closed_after = True
        dist = min(abs(ss + s - end), abs(ss + e - start))
        rank = (0 if c.key == "feasibility_study" else 1, dist)
        if best is None or rank < best[:2]:
            best = (*rank, c.key)
    if best and own:
        main = _main_predicate_status(ctx, se, end)
        if main:
            return main
    if best and best[2] == "active" and closed_after:
        return "concluded"  # the later of two coordinated events holds: "è stato attivato a settembre e interrotto a dicembre"
    if best and best[2] == "planned" and continues:
        return "active"
    if best and best[2] == "active" and planning_before is not None and nominal_active is not None and planning_before < nominal_active:
        return "planned"  # "si prevede l'avvio della sperimentazione del PrIS": a plan governs the noun of action
    return best[2] if best else None


# "Il servizio" / "Tale servizio" as the subject of a sentence, without a name of its own: the text
# speaks of the service it is about.
ANAPHOR_RE = re.compile(r"(?:^|(?<=[.;:!?]\s))(?:[Ii]l|[Tt]ale|[Qq]uesto|[Dd]etto|[Ll]o stesso)\s+servizio\b(?!\s+(?:[A-Z\u00c0-\u00dd]|di\s+[A-Z\u00c0-\u00dd]))",
                        re.M)


def _anaphoric_status(ctx: Ctx, after: int = 0, before: int | None = None) -> tuple[str, int, int] | tuple[()]:
    """(status, start, end) of the first sentence whose subject is an anaphoric "il servizio" and that
    states a status, between ``after`` and ``before`` (the whole text by default); () when none does."""
    for m in ANAPHOR_RE.finditer(ctx.text, after, len(ctx.text) if before is None else before):
        ss, se = ctx.sentence_bounds(m.start())
        st = _cue_in(ctx, ss, se, m.start(), m.end()) or _tense_after_negation(ctx.text[ss:se])
        if st:
            return st, ss, se
    return ()


# "L'Azienda si occupa di tutela minori, assistenza domiciliare e inserimenti lavorativi": the verb of taking
# care of a field ("occuparsi di", in any tense and person: "si occupa", "si occuperà", "si occupava", "si è
# occupata", "ci occupiamo", "occupandosi"), with a short adjunct before its complement ("si occuperà per
# Castel Goffredo della tutela dei minori"), governs the bare area names it enumerates.
OCCUPA_RE = re.compile(r"\b(?:(?:si|ci)[ \t]+(?:(?:e|sono|siamo)[ \t]+)?occup(?:a|ano|iamo|era|eranno|eremo|ava|avano|avamo|at[oaie])|occupandosi)"
                       r"(?:[ \t]+(?:anche|gia|ora|inoltre|principalmente|prevalentemente|per[ \t]+[a-z][\w'\u2019]*(?:[ \t]+[a-z][\w'\u2019]*){0,2}))?"
                       r"[ \t]+(?:di|del|della|dei|degli|delle|dell\W)")


def care_verb_status(ctx: Ctx, start: int, end: int) -> str | None:
    """The status a verb of taking care of a field states for the area names it governs in its sentence
    ("si occuperà della tutela dei minori": planned; "si occupa di tutela minori": active) - the tense of
    the main verb of which the items are complements, not a cue of an adjunct of its subject ("l'azienda
    nata nel 2018 si occuperà ..."). None when no such verb governs the mention."""
    ss, _ = ctx.sentence_bounds(start)
    m = None
    for m in OCCUPA_RE.finditer(ctx.folded, ss, start):
        pass
    between = ctx.text[m.end():start] if m is not None else ""
    # the mention must be one of the verb's complements: no stop and no other finite verb in between ("si occupa
    # del SAD e il nuovo Centro sarà aperto nel 2026": the Centro is the subject of "sarà aperto")
    after = re.split(r"[,;:.]", ctx.text[end:end + 120], maxsplit=1)[0]  # "... e il nuovo Centro sarà aperto": its own predicate
    if m is None or re.search(r"[;:.]", between) or any(rx.search(between) or rx.search(after) for rx in (FUTURE_RE, PRESENT_RE, PAST_RE)) \
            or NEGATED_RE.search(ctx.folded[max(ss, m.start() - 12):m.end()]) \
            or re.search(r"\bnon\s+(?:(?:si|ci)\s+)?$", ctx.folded[max(ss, m.start() - 8):m.start()]):
        return None
    verb = m.group(0)
    if re.search(r"occup(?:era|eranno|eremo)\b", verb):
        return "planned"
    if re.search(r"occup(?:a|ano|iamo)\b|occupandosi", verb):
        return "active"
    return None
