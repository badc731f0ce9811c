"""Governance bodies (vocabulary-driven) with composition, functions and legal basis, and networks
(tavoli, co-progettazioni, protocolli d'intesa, reti) with their partners."""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.bodies_collegial import OFFICE_FUNCTION_RE, caps_view, introduced_name, members_level
from ingest.bodies_variants import single_letter_hits, with_connective_hits
from ingest.entities_common import Ctx, capitalised_run, clean_name, smart_title
from ingest.text_views import ocr_hits, read_once, view_hits
from ingest.model import Section
from ontology.labels import Label, Rel
from ontology.vocab import fold, load_vocab, slug
from ontology.model import Relation

COMPOSITION_RE = re.compile(r"[^.\n]*\b(?:[Èè] compost[oa]|compost[oa] da|costituit[oa] da|formato da|ne fanno parte|composizione)\b[^.\n]*")
FUNCTION_CUE_RE = re.compile(r"\b(?:compete|competenze|funzioni|compiti|soggetto che|ha il compito|ha la (?:diretta )?competenza)\b", re.I)
FUNCTION_SENT_RE = re.compile(r"[^.\n]*\b(?:è (?:la struttura|l'organismo|organo)|[Rr]appresenta l'organismo|ha la (?:diretta )?competenza|assume (?:anche )?la specifica competenza)\b[^.\n]*")
# The word after "Tavolo" names the table's theme ("il Tavolo Disabilità", "il Tavolo Dopo di Noi") unless it is the
# level or the standing of the table - its territory ("zonale", "distrettuale", "d'ambito", "provinciale", "comunale")
# or its form ("permanente", "plenario", "generale"): "approvate dal Tavolo Zonale" is the Ambito's table, not a
# thematic one, and is read by the grammar of collegial bodies.
LEVEL_WORDS = (r"(?i:(?:inter|sovra)?zonal|(?:inter)?distrettual|provincial|(?:inter|sovra)?comunal|regional|local|permanent|plenari"
               r"|general|central|unic)\w*\b|(?i:d['\u2019]ambito)")
LIST_ITEM_RE = re.compile(r"^\s*(?:[-*\u2022\u2713\u2714\u25aa\u25ba\u25b6\u2756]+|\d+[.)])\s*(?:[\u2713\u2714]\s*)?(.{8,240})$")
NAMED_TAVOLO_RE = re.compile(r"^\W*(Tavolo\s+(?!(?i:tecnic|territorial|tematic|aderent|interistituz|istituz)\w*|" + LEVEL_WORDS + r"|(?:degli|del|dei|di|della)\b)[A-Z\u00c0-\u00dd][^\n]{3,70})$")


# A mirror that loses apostrophes glues an elided article or preposition to the next word ("dellUfficio di
# Piano", "LAmbito", "linclusione"): a lower-case run, or a single capital, right before a capital that
# opens a lower-case word. Matching vocabulary terms on a copy with that run blanked (same offsets) reads
# the term whole; the elisions are the Italian ones (l', d', un', dell', nell', all', dall', sull', quell').
GLUED_ELISION_RE = re.compile(r"\b(?:[Dd]ell|[Nn]ell|[Aa]ll|[Dd]all|[Ss]ull|[Qq]uell|[Uu]n|[LlDd])(?=[A-Z\u00c0-\u00dd][a-z\u00e0-\u00f9])")


def deglued(text: str, folded: str) -> tuple[str, str]:
    """``text`` and its folded form with glued elisions blanked (same length and offsets); the inputs
    themselves when there is none."""
    spans = [m.span() for m in GLUED_ELISION_RE.finditer(text)]
    if not spans:
        return text, folded
    t, f = list(text), list(folded)
    for a, b in spans:
        t[a:b] = f[a:b] = [" "] * (b - a)
    return "".join(t), "".join(f)


# "l'Assemblea dei Sindaci dell'ASST Melegnano Martesana": an assembly qualified by a health agency is the
# mayors' assembly of that agency's territory (its Conferenza's plenary), not the Ambito's assembly.
# Words split by the text layer of a PDF or by OCR: a ligature (ff, fi, fl, ffi) followed by a spurious space
# ("Uffi cio di Piano", "Uff icio", "Servizio Affi di"), a hyphen with spaces or a line break before a lower-case rest
# ("Sin-\ndaci", "Domi- ciliare"). A vocabulary term read only once the gap is closed is a hit of the text.
WORD_GAP_RE = re.compile(r"(?<=[A-Za-z]f[fil])[ \t]+(?=[a-z\u00e0-\u00f9])"
                         r"|(?<=[a-z\u00e0-\u00f9])-(?:[ \t]*\n[ \t]*|[ \t]+)(?=[a-z\u00e0-\u00f9])")


# A hard line wrap inside a name ("il Servizio Tutela\nMinori"): one line break between two words, the next
# line opening with no bullet, is a space.
LINE_WRAP_RE = re.compile(r"(?<=[A-Za-z\u00c0-\u00ff])[ \t]*\n[ \t]*(?=[A-Za-z\u00c0-\u00ff])")


def gap_hits(matcher, text: str) -> list[tuple[int, int, object]]:
    """Hits of ``matcher`` that exist only across a closed word gap or a line wrap, with their spans in ``text``."""
    gaps = sorted([*((m, "") for m in WORD_GAP_RE.finditer(text)), *((m, " ") for m in LINE_WRAP_RE.finditer(text))],
                  key=lambda g: g[0].start())
    if not gaps:
        return []
    parts, back, pos, joins = [], [], 0, []
    for m, fill in gaps:
        if m.start() < pos:
            continue
        parts.append(text[pos:m.start()] + fill)
        back.extend(range(pos, m.start()))
        back.extend([m.start()] * len(fill))
        joins.append(len(back) - len(fill))
        pos = m.end()
    parts.append(text[pos:])
    back.extend(range(pos, len(text)))
    back.append(len(text))
    return [(back[s], back[e - 1] + 1, c) for s, e, c in matcher.finditer("".join(parts)) if any(s < j < e for j in joins)]


def with_gap_hits(hits: list, matcher, text: str) -> list:
    """``hits`` and the gap hits that overlap none of them, in text order."""
    more = [h for h in gap_hits(matcher, text) if not any(a < h[1] and h[0] < b for a, b, _ in hits)]
    return sorted([*hits, *more], key=lambda h: h[0])


# A statute of a consorzio or an azienda speciale names its organs in headings ("Capo I: l'Assemblea", "Art. 9 -
# Assemblea"): the assembly of its members (D.Lgs. 267/2000 art. 31 c. 3 and art. 114 c. 2), even where the
# heading says no more than "Assemblea".
STATUTE_RE = re.compile(r"(?i)\borgani\b")
CONSORTIUM_RE = re.compile(r"(?i)\bconsor[sz]|\bazienda speciale|\baziende speciali")
# (the number and the name are parted by a colon, a dash or a full stop, or by a space alone: "Art. 11 Assemblea")
ASSEMBLY_HEADING_RE = re.compile(r"(?im)^[ \t]*(?:(?:capo|titolo|sezione|art\.?|articolo)[ \t]+[\dIVXLC]+[ \t]*(?:[:.\-\u2013\u2014][ \t]*)?)?"
                                 r"(?:l['\u2019][ \t]*)?(assemblea)[ \t]*$")


def statute_assemblies(text: str) -> list[tuple[int, int]]:
    """Spans of "Assemblea" headings of a consortium's statute."""
    if not (STATUTE_RE.search(text) and CONSORTIUM_RE.search(text)):
        return []
    return sorted({m.span(1) for m in ASSEMBLY_HEADING_RE.finditer(text)})


AGENCY_AFTER_RE = re.compile(r"[ \t]+(?:dell['\u2019][ \t]*|della[ \t]+|del[ \t]+)(?:ASST|ATS|ASL|AUSL|ULSS|A\.S\.L\."
                             r"|(?i:azienda[ \t]+(?:socio|sanitaria|unit|usl|ulss)|agenzia[ \t]+(?:di|per[ \t]+la)[ \t]+tutela))")
# An organ qualified by the Region or the State ("il Nucleo di valutazione dell'Assessorato regionale", "il Tavolo
# tecnico regionale", "la Cabina di regia nazionale") is an organ of that level of government, not the Ambito's.
HIGHER_OWNER_RE = re.compile(r"[ \t]+(?i:regional[ei]|nazional[ei]|ministerial[ei]|interministerial[ei]"
                             r"|(?:dell['\u2019][ \t]*|della[ \t]+|del[ \t]+)(?:assessorato|regione|ministero|presidenza del consiglio))\b")
# The board or the members' assembly of a private body - a cooperative, an association, a bank, a company (c.c.
# artt. 2380-bis, 2516 ss.; art. 36 ss.) - named by its owner right after the term: not the organ of an Ambito's
# azienda, which is a public ente (D.Lgs. 267/2000 art. 114).
PRIVATE_OWNER_RE = re.compile(
    r"[ \t]+(?:della|dell['\u2019]|del|di)[ \t]*(?:(?i:(?:cooperativ|associazion|banc[ah]|parrocchi|circol|sindacat|partit|federazion"
    r"|confederazion|universit)\w*|societ[àa][ \t]+(?:cooperativ|per[ \t]+azioni|a[ \t]+responsabilit|sportiv)\w*|onlus)\b"
    r"|[A-Z][\w&'.\u2019-]*(?:[ \t]+[A-Z][\w&'.\u2019-]*){0,4}[ \t]+(?i:s\.?p\.?a|s\.?r\.?l|soc\.?[ \t]*coop)\b)")
PRIVATE_ORGAN_KEYS = frozenset({"consiglio_amministrazione", "assemblea_consortile"})
SHAREHOLDERS_RE = re.compile(r"[ \t]+(?:soci\b|dei[ \t]+soci\b|consorziat\w*|(?:del|della|dell['\u2019])[ \t]*(?:consorzio|azienda|societ))", re.I)
# The assembly told by its members ("i sindaci dell'Ambito, riuniti in assemblea", "i Sindaci si sono riuniti in
# Assemblea"): the mayors of the Ambito met as its assembly, when the phrase or the text names the Ambito.
MET_AS_ASSEMBLY_RE = re.compile(r"\b(?:[Ss]indaci|SINDACI|[Pp]rimi cittadini)\b[^.;:\n]{0,80}?\b(?:riunit[ie]|convocat[ie]|si sono riuniti)"
                                r"[ \t]+in[ \t]+((?i:assemblea))\b(?![ \t]+(?i:pubblica|cittadina|plenaria dei cittadini))")
COUNTED_ASSEMBLY_RE = re.compile(r"\b[Aa]ssemblea[ \t]+dei[ \t]+\d{1,3}[ \t]+[Ss]indaci\b")


# The scope of a term. Some organs of the vocabulary belong to one kind of ente, and the same words name the
# organ of another ente elsewhere; a hit counts only where the text speaks of its own kind of ente:
# - "Giunta esecutiva" is an organ of a Società della Salute (L.R. Toscana 40/2005, capo III bis); the giunta
#   esecutiva of a Comunità montana (L.R. Lombardia 19/2008) or of an Unione is that ente's executive;
# - the "conferenza di servizi" that adopts a PLUS (L.R. Sardegna 23/2005, artt. 20-21) is the Plan's organ only
#   where the text names the PLUS: elsewhere it is the procedure of L. 241/1990 art. 14.
TERM_SCOPE = {
    "giunta_esecutiva": re.compile(r"(?<!\w)(?:[Ss]ociet[àa] della [Ss]alute|SdS|Sds|SDS|S\.d\.S\.?)(?!\w)"),
    "conferenza_servizi_plus": re.compile(r"\b(?:PLUS|Plus|[Pp]iano [Ll]ocale [Uu]nitario)\b"),
}
# A plan's office or a mayors' assembly named for another plan or another ente: the words "Ufficio di Piano"
# also name the office of an urban plan (L.R. Emilia-Romagna 24/2017 art. 55, ufficio di piano for the PUG;
# L.R. Lombardia 12/2005, PGT), and "assemblea dei sindaci" is an organ of the Provincia (L. 56/2014 art. 1
# c. 54) and of its zone omogenee (c. 57). Around such a hit the text names that plan or that ente and no
# social-plan word.
URBAN_PLAN_RE = re.compile(r"(?<!\w)(?:PGT|P\.G\.T\.?|PUG|P\.U\.G\.?|PTCP|P\.T\.C\.P\.?|PTCP_\w+|PSC|RUE|VAS)(?!\w)"
                           r"|(?i:\bpian[oi] (?:di governo del territorio|urbanistic\w*|territorial\w* di coordinamento|strutturale)"
                           r"|\burbanistic\w*|\bdocumento di piano\b)")
PROVINCE_ORGAN_RE = re.compile(r"(?i)\bzon[ae] omogene[ae]\b|\barea vasta\b|\b(?:consiglio|presidente|statuto) (?:della )?provincia")
SOCIAL_PLAN_RE = re.compile(r"(?i)\b(?:pian[oi] (?:sociale |sociali )?di zona|ambit[oi]|distrett\w*|social[ei]|socio[- ]?\w*|welfare"
                            r"|328/2000|servizi alla persona|sanitari\w*)\b")
# The thematic tables of a territorial development plan - a Progetto di Sviluppo Territoriale of the Sardinian
# "programmazione territoriale", an area strategy of the Strategia Nazionale Aree Interne (Accordo di Partenariato
# 2014-2020), a GAL's local development strategy (Reg. UE 1303/2013 artt. 32-34) - with no social-plan word around are
# that plan's, not the Piano di Zona's co-programmazione.
DEVELOPMENT_PLAN_RE = re.compile(r"(?<!\w)(?:PST|P\.S\.T\.|SNAI|GAL)(?!\w)|(?i:\bprogett[oi] di sviluppo territoriale\b|\bare[ae] intern[ae]\b"
                                 r"|\bprogrammazione territoriale\b|\bgruppo di azione locale\b)")
OTHER_PLAN_CUES = {"ufficio_di_piano": (URBAN_PLAN_RE, 250), "assemblea_sindaci": (PROVINCE_ORGAN_RE, 0),
                   "tavolo_tematico": (DEVELOPMENT_PLAN_RE, 250)}


def _another_entes_organ(ctx: Ctx, key: str, s: int, e: int) -> bool:
    """True when the hit ``s:e`` of ``key`` names the organ of an urban plan or of a Provincia (see above)."""
    cue = OTHER_PLAN_CUES.get(key)
    if cue is None:
        return False
    rx, width = cue
    a, b = (max(0, s - width), min(len(ctx.text), e + width)) if width else ctx.sentence_bounds(s)
    window = ctx.text[a:b]
    return bool(rx.search(window)) and not SOCIAL_PLAN_RE.search(window)


AGENCY_NEAR_RE = re.compile(r"[^.;:\n]{0,50}?\b(?:ASST|ATS|ASL|A\.S\.S\.T\.|A\.S\.L\.|[Aa]zienda [Ss]ocio|[Aa]zienda [Ss]anitaria)")


ASST_DISTRICT_RE = re.compile(r"\b[Dd]istrett[oi]\b[^.;\n]{0,60}?\b(?:ASST|A\.S\.S\.T\.)|\b(?:ASST|A\.S\.S\.T\.)\b[^.;\n]{0,30}?\b[Dd]istrett[oi]\b")


def _ambito_called_distretto(ctx: Ctx) -> bool:
    """True when the text names the document's own Ambito a "Distretto" (not an ASST's distretto)."""
    amb = ctx.entities.get(ctx.ambito_id) if ctx.ambito_id else None
    if amb is None:
        return False
    names = [fold(n) for n in [amb.name, *amb.props.get("aliases", [])]]
    if ASST_DISTRICT_RE.search(ctx.text):
        return False  # the text speaks of an ASST's distretti (L.R. 22/2021): "distretto" is the agency's
    return any(n.startswith("distrett") for n in names) and not any(re.search(r"\b(?:asst|ats|asl)\b", n) for n in names)


def _owner(ctx: Ctx) -> str:
    return ctx.ambito_slug if ctx.ambito_id else slug(ctx.doc.id.removeprefix("doc:"))


def _defining_section(ctx: Ctx, key: str) -> Section | None:
    m = load_vocab().matcher("bodies")
    for s in ctx.doc.sections:
        if s.kind in ("document",):
            continue
        for _, _, c in m.finditer(s.title):
            if c.key == key and len(s.title) < 120:
                return s
    return None


def _describe(ctx: Ctx, sec: Section) -> tuple[dict, list]:
    """Composition and functions read in a body's own section (raw offsets)."""
    raw = ctx.doc.raw_text
    body = raw[sec.start:sec.end]
    props: dict = {}
    evid: list = []
    cm = COMPOSITION_RE.search(body)
    if cm:
        props["composition"] = clean_name(cm.group(0))[:400]
        evid.append(("composition", sec.start + cm.start(), sec.start + cm.end()))
    functions: list[str] = []
    lines = body.split("\n")
    pos, collecting = sec.start, False
    for line in lines:
        if FUNCTION_CUE_RE.search(line) and line.rstrip().endswith(":"):
            collecting = True
        elif collecting:
            lm = LIST_ITEM_RE.match(line)
            if lm:
                functions.append(clean_name(lm.group(1))[:200])
            elif line.strip():
                collecting = False
        pos += len(line) + 1
    for fm in FUNCTION_SENT_RE.finditer(body):
        functions.insert(0, clean_name(fm.group(0))[:240])
        evid.append(("functions", sec.start + fm.start(), sec.start + fm.end()))
        break
    if functions:
        props["functions"] = functions[:12]
    return props, evid


# A body described in prose, outside a section of its own: the sentence whose subject it is says what it is made
# of ("La Conferenza dei Sindaci è composta dai Sindaci dei 44 Comuni", "l'assemblea dei soci formata dai
# sindaci") or what it does ("è chiamata a formulare", "ha il compito di"), or opens a list of its functions
# ("La Conferenza, avvalendosi del Consiglio di Rappresentanza:" and the lettered items below).
COMPOSITION_PROSE_RE = re.compile(r"\b(?:[Èè] |sono |(?<=, ))?(?:compost|costituit|format|integrat)[oaie][ \t]+(?:da|dal|dallo|dalla|dai|dagli|dalle)\b"
                                  r"|\bne fanno parte\b|\bvi siedono\b", re.I)
FUNCTION_PROSE_RE = re.compile(r"\b(?:[èe] chiamat[oa] a|ha (?:il compito|la funzione|funzioni) di|ha (?:la )?competenza (?:in|su|di)"
                               r"|(?:esercita|svolge|ha) (?:le )?(?:seguenti )?(?:funzioni|compiti)|con (?:funzioni|compiti) di"
                               r"|approva|delibera|adotta|definisce|formula|esprime)\b", re.I)
# The body opens its sentence ("La Conferenza dei Sindaci è organismo rappresentativo ..., composto dai sindaci"):
# it is the subject of the whole sentence, and what the sentence says of composition or functions is said of it
# however far from the name, unless another body is named before the cue.
OPENS_SENTENCE_RE = re.compile(r"^[\s\"'\u201c\u00ab(]*(?:(?:la|le|il|i|l['\u2019]|lo|gli)[ \t]*)?$", re.I)


def _cue_reach(ctx: Ctx, ss: int, s: int, e: int, others: list[tuple[int, int]], cue: int) -> bool:
    """True when a cue at ``cue`` characters past the body's mention ``s:e`` is said of the body."""
    if cue <= 120:
        return True
    return bool(OPENS_SENTENCE_RE.match(ctx.text[ss:s])) and not any(e <= a < e + cue for a, _ in others)
ITEM_RE = re.compile(r"^\s*(?:[-*\u2022\u2013\u25aa]+|\d+[.)]|[a-z][.)])\s+(.{8,1200})$")


def anaphors(text: str, pref: str) -> list[tuple[int, int]]:
    """Spans of a body's head noun opening a sentence with its definite article ("La Conferenza, avvalendosi...",
    "L'Assemblea è composta..."): the text goes on speaking of that body."""
    out = []
    for m in _head_re(pref.split()[0]).finditer(text):
        before = ("\n" if m.start() < 12 else "") + text[max(0, m.start() - 12):m.start()]
        if ARTICLE_OPENS_RE.search(before) and not OF_AFTER_RE.match(text, m.end()):
            out.append(m.span())
    return out


# a definite article opening a sentence or a line, right before a word
ARTICLE_OPENS_RE = re.compile(r"(?:[.;:!?][ \t]+|\n)[ \t]*(?:la|le|il|l['\u2019])[ \t]*$", re.I)
OF_AFTER_RE = re.compile(r"[ \t]+(?:d[ei]|del|della|dei|degli)\b", re.I)


@lru_cache(maxsize=64)
def _head_re(head: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(head) + r"\b", re.I)


def _prose_description(ctx: Ctx, props: dict, spans: list[tuple[int, int]], others: list[tuple[int, int]]) -> list:
    """Composition and functions of a body from the sentences it is the first body of; the evidence spans."""
    evid: list = []
    for s, e in spans[:12]:
        ss, se = ctx.sentence_bounds(s)
        if any(ss <= a < s for a, _ in others):
            continue  # another body opens the sentence: it is its subject
        rest = ctx.text[e:se]
        cm = COMPOSITION_PROSE_RE.search(rest)
        if not props.get("composition") and cm and _cue_reach(ctx, ss, s, e, others, cm.start()):
            props["composition"] = clean_name(ctx.text[s:se])[:400]
            evid.append(("composition", *ctx.doc.raw_span(s, se)))
        if not props.get("functions"):
            le = ctx.text.find("\n", e)
            line_end = len(ctx.text) if le < 0 else le
            if ctx.text[e:line_end].rstrip().endswith(":"):
                items, pos = [], line_end + 1
                for line in ctx.text[pos:pos + 4000].split("\n"):
                    im = ITEM_RE.match(line)
                    if im:
                        items.append(clean_name(im.group(1))[:200])
                    elif line.strip() or items:
                        break
                    pos += len(line) + 1
                if items:
                    props["functions"] = items[:12]
                    evid.append(("functions", *ctx.doc.raw_span(line_end + 1, min(len(ctx.text), pos))))
                    continue
            fm = FUNCTION_PROSE_RE.search(rest)
            if fm and _cue_reach(ctx, ss, s, e, others, fm.start()):
                props["functions"] = [clean_name(ctx.text[s:se])[:240]]
                evid.append(("functions", *ctx.doc.raw_span(s, se)))
    return evid


# A text about another public service organised by "ambiti" - the water or waste ATO (D.Lgs. 152/2006 artt. 147 and
# 200; L.R. Lombardia 26/2003 art. 48: its Conferenza dei Comuni and the Consiglio di amministrazione of its
# Ufficio d'Ambito) - and with no word of social policy names no organ of an Ambito of the Piano di Zona.
OTHER_SERVICE_AMBITO_RE = re.compile(r"(?i)\bambit[oi] territorial[ei] ottimal[ei]\b|\bservizio idrico\b|\bciclo (?:integrato )?dei rifiuti\b"
                                     r"|\bufficio d['\u2019]ambito\b|(?-i:\bA\.?T\.?O\.?\b)")
SOCIAL_POLICY_RE = re.compile(r"(?i)\bpian[oi] (?:sociale |sociali )?di zona\b|\bservizi sociali\b|\bpolitiche sociali\b|\bwelfare\b|\b328/2000\b"
                              r"|\bsocio[- ]?(?:sanitari|assistenzial)\w*|\bsociosanitari\w*|\bservizi alla persona\b|\bsociale\b")


# The Collegio di vigilanza named by its function: TUEL art. 34 c. 7 ("la vigilanza sull'esecuzione dell'accordo di
# programma ... sono svolti da un collegio presieduto dal ...") is copied by the Accordi into sentences that give a
# "collegio" the vigilanza without naming it ("La vigilanza sull'attuazione dell'Accordo è affidata ad un Collegio
# composto da ..."). A "collegio" in the sentence of the vigilanza of an accordo is that collegio.
VIGILANCE_RE = re.compile(r"(?i)\bvigilanza\b[^.;\n]{0,160}?\b(?:dal|da[ \t]+un|ad?[ \t]+un|un|il|al|nel)[ \t]+(collegio)\b(?![ \t]+(?:di|dei|degli|sindacale|arbitrale)\b)"
                         r"|\b(?:il|un)[ \t]+(collegio)\b[^.;\n]{0,80}?\b(?:funzion[ei]|compiti)[ \t]+di[ \t]+vigilanza\b")
ACCORDO_RE = re.compile(r"(?i)\baccordo\b|\bpiano di zona\b")


def extract_bodies(ctx: Ctx) -> list[str]:
    """Governance bodies of the vocabulary found in the text; returns the body ids."""
    if OTHER_SERVICE_AMBITO_RE.search(ctx.text) and not SOCIAL_POLICY_RE.search(ctx.text):
        return []  # the organs of a water or waste ATO
    vocab = load_vocab()
    matcher = vocab.matcher("bodies")
    owner = _owner(ctx)
    found: dict[str, list[tuple[int, int]]] = {}
    hits = with_gap_hits(list(matcher.finditer(*deglued(ctx.text, ctx.folded))), matcher, ctx.text)
    hits = with_connective_hits(hits, ctx.text, ctx.folded)  # "l'Ufficio del Piano"
    more = [h for h in view_hits(matcher, ctx.text) if not any(a < h[1] and h[0] < b for a, b, _ in hits)]
    misread = [h for h in ocr_hits("bodies", ctx.text, ctx.folded) if not any(a < h[1] and h[0] < b for a, b, _ in [*hits, *more])]
    misread += single_letter_hits([*hits, *more, *misread], ctx.text, ctx.folded)  # "ASSEMBLE DEI SINDACI"
    ocr_spans = {(s, e) for s, e, _ in misread}
    for s, e, c in sorted([*hits, *more, *misread], key=lambda h: h[0]):
        if c.key == "ente_capofila":
            continue  # a role, modelled as CAPOFILA_OF
        if c.key in TERM_SCOPE and not TERM_SCOPE[c.key].search(ctx.text):
            continue  # an organ of another kind of ente (see TERM_SCOPE)
        if c.key in PRIVATE_ORGAN_KEYS and PRIVATE_OWNER_RE.match(ctx.text, e):
            continue  # a cooperative's, an association's or a company's organ
        if HIGHER_OWNER_RE.match(ctx.text, e):
            continue  # the Region's or the State's organ
        if _another_entes_organ(ctx, c.key, s, e):
            continue  # the office of an urban plan, the assembly of a Provincia
        if c.key == "assemblea_sindaci" and SHAREHOLDERS_RE.match(ctx.text, e):
            # "l'Assemblea dei Sindaci soci del Consorzio": the assembly of a consortium's members
            # (D.Lgs. 267/2000 art. 31), not the Ambito's assembly
            c = vocab.concept("bodies", "assemblea_consortile")
        elif c.key == "assemblea_sindaci" and AGENCY_AFTER_RE.match(ctx.text, e):
            c = vocab.concept("bodies", "assemblea_sindaci_agenzia")
        elif c.key == "assemblea_sindaci_distretto" and _ambito_called_distretto(ctx) and not AGENCY_NEAR_RE.match(ctx.text, e):
            # a text that calls its own Ambito "Distretto" ("il Distretto di Saronno") means by "l'Assemblea dei
            # Sindaci del Distretto" the Ambito's assembly (L.R. Lombardia 3/2008 art. 18: the Ambito of the Piano di
            # Zona is, as a rule, the distretto); the assembly of an ASST's distretto names its agency
            c = vocab.concept("bodies", "assemblea_sindaci")
        found.setdefault(c.key, []).append((s, e))
    for span in statute_assemblies(ctx.text):  # "Capo I: l'Assemblea" in a consortium's statute
        if not any(a <= span[0] < b for spans in found.values() for a, b in spans):
            found.setdefault("assemblea_consortile", []).append(span)
    for m in MET_AS_ASSEMBLY_RE.finditer(ctx.text):  # "i sindaci dell'Ambito, riuniti in assemblea"
        if SOCIAL_PLAN_RE.search(m.group(0)) or ctx.ambito_id:
            found.setdefault("assemblea_sindaci", []).append(m.span(1))
            found["assemblea_sindaci"].sort()
    for m in VIGILANCE_RE.finditer(ctx.text):  # "la vigilanza sull'Accordo è affidata ad un Collegio composto da"
        span = m.span(1) if m.group(1) else m.span(2)
        ss, se = ctx.sentence_bounds(span[0])
        taken = [sp for spans in found.values() for sp in spans]
        if ACCORDO_RE.search(ctx.text[ss:se]) and not any(a <= span[0] < b for a, b in taken):
            found.setdefault("collegio_vigilanza", []).append(span)
            found["collegio_vigilanza"].sort()
            ocr_spans.add(span)  # the bare head: named by the term
    for m in COUNTED_ASSEMBLY_RE.finditer(ctx.text):  # "l'assemblea dei 13 sindaci del distretto"
        found.setdefault("assemblea_sindaci", []).append(m.span())
        found["assemblea_sindaci"].sort()
    ids = []
    head_spans: dict[str, list[tuple[int, int]]] = {}

    def heads(pref: str) -> list[tuple[int, int]]:
        head = pref.split()[0]
        if head not in head_spans:
            head_spans[head] = anaphors(ctx.text, head)
        return head_spans[head]

    for key, spans in found.items():
        c = vocab.concept("bodies", key)
        bid = f"body:{owner}:{key}"
        sec = _defining_section(ctx, key)
        props: dict = {"type": key, "category": c.category, "level": c.level, "concept": c.iri, "source": c.source}
        evid: list = []
        if sec is not None:
            more, evid = _describe(ctx, sec)
            props.update(more)
        s0, e0 = spans[0]
        if sec is not None:
            for s, e in spans:
                if ctx.doc.raw_offset(s) >= sec.start:
                    s0, e0 = s, e
                    break
        def shown(s: int, e: int) -> str:
            if (s, e) in ocr_spans:
                return c.pref  # read with OCR confusions, or a bare head given its function: named by the term
            surface = read_once(WORD_GAP_RE.sub("", ctx.text[s:e]))
            return smart_title(surface) if surface[:1].isupper() else c.pref

        ent = ctx.entity(bid, Label.GOVERNANCE_BODY, shown(s0, e0), s0, e0, **props)
        for s, e in spans:
            ctx.entity(bid, Label.GOVERNANCE_BODY, shown(s, e), s, e)
            surface = clean_name(read_once(WORD_GAP_RE.sub("", ctx.text[s:e])))
            if surface != ent.name and surface not in ent.props["aliases"] and len(ent.props["aliases"]) < 20:
                ent.props["aliases"].append(surface)
        ent.props["name_pref"] = c.pref
        ids.append(bid)
        if ctx.ambito_id:
            ctx.relate(ctx.ambito_id, Rel.HAS_BODY, bid, s0, e0, level=c.level)
        if not props.get("composition") or not props.get("functions"):
            mine = sorted({*spans, *heads(c.pref)})
            others = [sp for k, v in found.items() if k != key for sp in [*v, *heads(vocab.concept("bodies", k).pref)]
                      if sp not in mine]
            evid += _prose_description(ctx, ent.props, mine, others)
        for what, rs, re_ in evid:
            ent.props[f"{what}_line"] = ctx.doc.line_of(rs)
            ent.props[f"{what}_quote"] = ctx.doc.raw_text[rs:re_][:300]
        _legal_basis(ctx, bid, sec, spans)
    _named_tavoli(ctx, owner, ids)
    _collegial_bodies(ctx, owner, ids)
    return ids


# The owner complement of an Ambito's organ: the Piano di Zona, the PLUS, the Ambito (L. 328/2000 art. 19; L.R.
# Sardegna 23/2005 art. 20), with any form of "di" before it.
OWNER_COMPLEMENT = (r"(?:(?:del|di)[ \t]+(?i:piano[ \t]+(?:sociale[ \t]+)?di[ \t]+zona|plus)"
                    r"|(?:dell['\u2019][ \t]*|d['\u2019][ \t]*)(?i:ambito)(?:[ \t]+(?i:territoriale|distrettuale|sociale))?)\b")


# A collegial body the vocabulary lacks, named in any prose by a capitalised head and a qualifier:
# "il Comitato Tecnico", "la Consulta del Terzo Settore", "un Gruppo di Coordinamento", "la Segreteria
# Tecnica", "l'Esecutivo dei Sindaci" - the general shape of the names of collegial organs (head noun +
# function or membership), not a list of corpus bodies.
COLLEGIAL_RE = re.compile(
    r"\b((?:Tavol[oi]|Comitat[oi]|Consult[ae]|Grupp[oi]|Nucle[oi]|Segreteri[ae]|Coordinamento|Esecutivo|Organismo|Conferenza|Consiglio|Giunt[ae]|Commission[ei]|Collegi[oi]"
    r"|Ufficio[ \t]+di[ \t]+[Pp]residenza"
    r"|(?<=[ \t'\u2019])(?:tavolo|comitato|consulta|nucleo|segreteria|esecutivo|conferenza|consiglio|commissione|collegio|giunta|gruppo(?![ \t]+de[il][ \t]+sindaci)))"
    r"[ \t]+(?:(?i:tecnic[oaie]|politic[oaie]|ristrett[oaie]|esecutiv[oaie]|operativ[oaie]|(?:inter)?istituzional[ei]|zonale|distrettuale|d'ambito|d\u2019ambito)"
    # "il Consiglio Direttivo dell'Ambito": a directive organ named with its owner (else an association's)
    r"|(?i:direttiv[oa])(?=[ \t]+(?:dell['\u2019][ \t]*(?i:ambito|assemblea)|del[ \t]+(?i:distretto|piano)))"
    r"|(?i:(?:di|del|dei|della)[ \t]+(?:coordinamento|regia|indirizzo|gestione|pilotaggio|sindaci|terzo[ \t]+settore|concertazione|ambito"
    r"|programmazione(?:[ \t]+e[ \t]+progettazione)?|progettazione|co-?progettazione|rappresentanza|governance|valutazione|monitoraggio))"
    # the organ named by the plan or the Ambito it belongs to ("la Giunta del Piano di Zona", "il gruppo tecnico del
    # PLUS", "la Segreteria dell'Ambito"): the owner complement makes a collegial noun a definite organ
    r"|(?:tecnic[oaie][ \t]+)?" + OWNER_COMPLEMENT + r""
    # an organ of the assembly ("l'Esecutivo dell'Assemblea", "il Comitato ristretto dell'Assemblea dei Sindaci")
    r"|(?:dell['\u2019][ \t]*|della[ \t]+)(?i:assemblea)\b"
    # "il Tavolo dei Referenti", "il Tavolo degli Assistenti Sociali": a table named by who sits at it (capitalised)
    r"|(?:dei|degli|delle)[ \t]+[A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+[A-Z\u00c0-\u00dd][\w'\u2019]+)?"
    # ... and the office they hold or the ente they come from ("degli Assessori ai Servizi Sociali", "delle Assistenti
    # Sociali dei Comuni")
    r"(?:[ \t]+(?:ai|agli|alle|al|alla|dei|degli|delle)[ \t]+[A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+[A-Z\u00c0-\u00dd][\w'\u2019]+)?)?"
    # a constituency of social policy the organ represents ("la Consulta del Volontariato", "la Consulta per
    # la Disabilità", "il Tavolo delle Famiglie")
    r"|(?i:(?:del|della|delle|dei|per[ \t]+la|per[ \t]+le|per[ \t]+i|per[ \t]+il)[ \t]+(?:volontariato|famiglia|famiglie|disabilit\u00e0|disabili"
    r"|giovani|anziani|minori|associazioni|stranieri|immigrazione|pari[ \t]+opportunit\u00e0)\b)))"
    r"(?:[ \t]+(?:(?i:d'ambito|dell'ambito|d\u2019ambito|dell\u2019ambito|zonale|distrettuale|tecnic[oa]|politic[oa]|dei[ \t]+sindaci"
    r"|(?:del|con[ \t]+il)[ \t]+terzo[ \t]+settore|(?:dell['\u2019][ \t]*|della[ \t]+)assemblea"
    r"|(?:di|della)[ \t]+(?:programmazione|coordinamento|regia|co-?progettazione|co-?programmazione|progettazione)))){0,3}"
)
# A person named right after an organ ("Presidente della Conferenza dei Comuni Luciano Trapletti"): the last
# capitalised word the qualifier took, followed by another, is the person's first name.
PERSON_AFTER_RE = re.compile(r"[ \t](?:dei|degli|delle)[ \t]+[A-Z\u00c0-\u00dd][\w'\u2019]+([ \t]+[A-Z\u00c0-\u00dd][a-z\u00e0-\u00fa]+)$")
CAPITAL_AFTER_RE = re.compile(r"[ \t]+[A-Z\u00c0-\u00dd][a-z\u00e0-\u00fa]+\b")
LOWER_QUALIFIER = re.compile(r"[ \t]+(?:ristrett|esecutiv|istituzional|(?:di|del|dei|della)[ \t]+(?:coordinamento|regia|indirizzo|pilotaggio|sindaci|concertazione"
                             r"|programmazione|rappresentanza|governance|valutazione|monitoraggio)|(?:tecnic[oaie][ \t]+)?" + OWNER_COMPLEMENT + ")", re.I)
# A lower-case head names a body only after an article or a preposition ("il tavolo di coordinamento",
# "nel comitato ristretto"), the way Italian prose refers to a definite organ.
LOWER_HEAD_BEFORE = re.compile(r"(?i)\b(?:il|lo|la|i|gli|le|un|una|uno|del|dello|della|dei|degli|delle|al|allo|alla|ai|agli|alle"
                               r"|nel|nello|nella|nei|negli|nelle|dal|dallo|dalla|dai|dagli|dalle|col|sul|sulla|l|dell|all|nell|dall|sull)[ \t'\u2019]+$")
# A postal address after an office's name ("c/o", "presso", "via ...", "Tel."): the name heads a contact line.
# The label of a governance tier before the body that fills it - after a colon or a dash ("Organismo politico:
# Assemblea dei Sindaci"), or as the subject of a copula ("Organismo politico del Piano di Zona è l'Assemblea dei
# Sindaci", "organo tecnico sono i Tavoli"): a predicate nominal names the same body, not another one.
LABEL_COLON_RE = re.compile(r"(?:[ \t]+(?:del|dell['\u2019]|della|di)[ \t]*[^,.;:\n]{0,40}?)?"
                            r"(?:[ \t]*[:\u2013\-]|[ \t]+(?:è|e'|sono))[ \t]*(?:l['\u2019][ \t]*|il[ \t]+|la[ \t]+|lo[ \t]+|i[ \t]+|le[ \t]+|gli[ \t]+)?")
ADDRESS_AFTER_RE = re.compile(r"[ \t:,\-\u2013]*(?:c/o|c\.o\.|presso|via|viale|piazza|tel\.?|telefono)\b", re.I)
# Organs named by members who sit at the level of the State, of the regions together or of the EU (Cost. artt. 92
# and 100; D.Lgs. 281/1997 on the Conferenza Stato-Regioni; TFUE art. 305 on the Comitato delle Regioni; Cost.
# art. 123 c. 4 on the regional Consiglio delle Autonomie locali).
STATE_ORGAN_RE = re.compile(r"\b(?:dei ministri|delle regioni|delle province|dei deputati|della repubblica|di stato|dello stato|delle autonomie"
                            r"|stato[ -](?:regioni|citta))\b")
COLLEGIAL_CATEGORY = (("regia", "cabina_di_regia"), ("terzo settore", "tavolo_terzo_settore"))


# An office named by the plan it serves ("l'Ufficio di Coordinamento del Piano di Zona", "l'Ufficio Amministrativo del
# PLUS"): the plan's office, the Ufficio di Piano of L.R. Lombardia 3/2008 art. 18 under another name; an office with
# no such owner ("l'Ufficio Tecnico comunale") is a comune's.
PLAN_OFFICE_RE = re.compile(r"\b(Uffici[oi][ \t]+(?:(?:di|del)[ \t]+)?[A-Z\u00c0-\u00dd][a-z\u00e0-\u00f9]+(?:[ \t]+[a-z\u00e0-\u00f9]{4,})?[ \t]+"
                            + OWNER_COMPLEMENT + ")")


# The offices a text names outside the vocabulary, each kind with its type and source; an earlier kind's office
# is not read again by a later one.
OFFICE_KINDS = (
    (PLAN_OFFICE_RE, {"type": "plan_office", "category": "ufficio_di_piano", "level": "tecnico",
                      "source": "L.R. Lombardia 3/2008 art. 18 (l'ufficio di piano); general: Ufficio + funzione + piano che serve"}),
    # "l'Ufficio di Direzione e programmazione"
    (OFFICE_FUNCTION_RE, {"type": "function_office", "category": "other", "level": "tecnico",
                          "source": "general: Ufficio + funzione di governo; L.R. Friuli Venezia Giulia 6/2006 (Servizio sociale dei Comuni)"}),
)


def _attach(ctx: Ctx, ids: list[str], bid: str, s0: int, e0: int, level: str | None) -> None:
    """The document's Ambito has the body (one relation per body)."""
    if bid not in ids:
        ids.append(bid)
        if ctx.ambito_id:
            ctx.relate(ctx.ambito_id, Rel.HAS_BODY, bid, s0, e0, level=level)


def _plan_offices(ctx: Ctx, owner: str, ids: list[str], taken: list[tuple[int, int]]) -> None:
    blocked = list(taken)  # "Ufficio di Piano del Piano di Zona": the vocabulary's term
    for pattern, props in OFFICE_KINDS:
        found: list[tuple[int, int]] = []
        for m in pattern.finditer(ctx.text):
            s0, e0 = m.span(1)
            if any(a < e0 and s0 < b for a, b in blocked):
                continue
            found.append((s0, e0))
            name = clean_name(m.group(1))
            bid = f"body:{owner}:{slug(name)[:60]}"
            ctx.entity(bid, Label.GOVERNANCE_BODY, name, s0, e0, **props)
            _attach(ctx, ids, bid, s0, e0, props["level"])
        blocked += found


def _collegial_bodies(ctx: Ctx, owner: str, ids: list[str]) -> None:
    vocab = load_vocab().matcher("bodies")
    taken = [(s, e) for s, e, _ in vocab.finditer(*deglued(ctx.text, ctx.folded))]
    _plan_offices(ctx, owner, ids, taken)
    text = caps_view(ctx.text)  # "IL TAVOLO DEGLI ASSESSORI" in an index: read in the case of names
    for m in COLLEGIAL_RE.finditer(text):
        s0, e0 = m.span(0)
        pm = PERSON_AFTER_RE.search(m.group(0))
        if pm and CAPITAL_AFTER_RE.match(text, e0):
            e0 = s0 + pm.start(1)  # "la Conferenza dei Comuni Luciano Trapletti": the name of a person follows the organ's
        if any(a <= s0 < b or (a <= s0 and e0 <= b) for a, b in taken) or any(
                a < e0 and s0 < b for a, b in taken) and not re.search(r"(?i)\bassemblea\b", m.group(0)):
            # a vocabulary body ("Tavolo Tecnico", "Conferenza dei Sindaci") keeps its term; an organ of the
            # assembly ("l'Esecutivo dell'Assemblea dei Sindaci") is one more body, the assembly keeps its own
            continue
        if m.group(1)[:1].islower() and (not LOWER_HEAD_BEFORE.search(text[max(0, s0 - 8):s0])
                                         or not LOWER_QUALIFIER.match(text, s0 + len(m.group(1).split()[0]))):
            continue  # "i tavoli tecnici", "una conferenza tecnica": lower-case words of prose, not an organ's name
        name = clean_name(text[s0:e0])
        low = fold(name)
        lm = LABEL_COLON_RE.match(text, e0)
        if lm and any(a == lm.end() for a, _ in taken):
            continue  # "Organismo politico: Assemblea dei Sindaci": the label of a tier, the body follows it
        if low.startswith("segreteri") and ADDRESS_AFTER_RE.match(text, e0):
            continue  # "Segreteria operativa c/o Comunità Montana ... Tel.": an office's address line, not an organ
        if low.startswith("coordinament") and re.match(r"\S+ " + OWNER_COMPLEMENT, low):
            continue  # "il Coordinamento del Piano di Zona": the plan's coordination, an activity
        if not re.match(r"(?:tavol|comitat|collegi|consult|conferenz|consigli)", low) and re.match(
                r"\S+ (?:di ambito|(?:dei|degli|delle) (?!sindaci))", low):
            continue  # "Coordinamento di ambito", "Coordinamento delle Tutele Minori": an activity, not an organ
        if STATE_ORGAN_RE.search(low) or HIGHER_OWNER_RE.match(text, e0):
            continue  # "Presidenza del Consiglio dei Ministri", "Conferenza delle Regioni": organs of the State or of the regions together
        if any(e.label == Label.GOVERNANCE_BODY and fold(e.name) == low for e in ctx.entities.values()):
            continue  # already read as a thematic table: one body, not two
        cat = next((c for w, c in COLLEGIAL_CATEGORY if w in low), "other")
        if re.match(r"tavol[oi] tecnic", low) or members_level(low):
            cat = "tavolo_tecnico"  # "i Tavoli Tecnici", "il Tavolo delle Assistenti Sociali": the technical level (DGR XI/4563/2021)
        bid = f"body:{owner}:{slug(name)[:60]}"
        ent = ctx.entity(bid, Label.GOVERNANCE_BODY, name, s0, e0, type="collegial", category=cat,
                         level="tecnico" if "tecnic" in low or cat == "tavolo_tecnico" else None,
                         source="general: organo collegiale (testa + funzione), DGR XI/4563/2021 governance della programmazione zonale")
        if m.group(1)[:1].islower():  # "Il gruppo ristretto" after "un gruppo di lavoro": the group introduced
            intro = introduced_name(text, m.group(1).split()[0], s0)
            if intro and intro not in ent.props["aliases"] and fold(intro) != low:
                ent.props["aliases"].append(intro)
        _attach(ctx, ids, bid, s0, e0, ctx.entities[bid].props.get("level"))


def _legal_basis(ctx: Ctx, bid: str, sec: Section | None, spans: list[tuple[int, int]]) -> None:
    """LEGAL_BASIS to the norms cited in the body's own section, or in a sentence naming it."""
    windows = []
    if sec is not None:
        windows.append((sec.start, sec.end))
    for s, _ in spans[:30]:
        ss, se = ctx.sentence_bounds(s)
        windows.append(ctx.doc.raw_span(ss, se))
    for cit in ctx.doc.citations:
        for ws, we in windows:
            if ws <= cit.prov.start < we:
                ctx.relations.append(_legal(ctx, bid, cit))
                break


def _legal(ctx: Ctx, bid: str, cit):

    props = {k: v for k, v in {"article": cit.article, "comma": cit.comma, "raw": cit.raw}.items() if v}
    return Relation(src=bid, type=Rel.LEGAL_BASIS, dst=cit.norm_id, props=props, prov=cit.prov)


def _named_tavoli(ctx: Ctx, owner: str, ids: list[str]) -> None:
    """Title lines naming a specific thematic table ("Tavolo Disabilità e Inclusione")."""
    for ls, le, line in ctx.lines():
        m = NAMED_TAVOLO_RE.match(line.rstrip())
        if not m:
            continue
        name = clean_name(m.group(1))
        if name.endswith(" e"):
            nxt = ctx.text[le + 1: ctx.text.find("\n", le + 1)] if le + 1 < len(ctx.text) else ""
            name = clean_name(name + " " + nxt)
        bid = f"body:{owner}:tavolo-{slug(name)[:60]}"
        s = ls + line.find(m.group(1))
        ctx.entity(bid, Label.GOVERNANCE_BODY, name, s, s + len(m.group(1)), type="tavolo_tematico", category="tavolo_tematico",
                   level="partecipazione")
        if ctx.ambito_id:
            ctx.relate(ctx.ambito_id, Rel.HAS_BODY, bid, s, le, level="partecipazione")
        ids.append(bid)
    vocab = load_vocab().matcher("bodies")
    for m in INLINE_TAVOLO_RE.finditer(ctx.text):  # "il Tavolo Dopo di Noi si riunisce": a thematic table named inline
        name = clean_name(m.group(1))
        if next(vocab.finditer(name), None) or len(name.split()) < 2:
            continue
        bid = f"body:{owner}:tavolo-{slug(name)[:60]}"
        if bid in ctx.entities or any(i == bid for i in ids):
            continue
        ctx.entity(bid, Label.GOVERNANCE_BODY, name, m.start(1), m.end(1), type="tavolo_tematico", category="tavolo_tematico",
                   level="partecipazione", source="general: Tavolo + nome di un'area (DGR XI/4563/2021, tavoli tematici)")
        if ctx.ambito_id:
            ctx.relate(ctx.ambito_id, Rel.HAS_BODY, bid, m.start(1), m.end(1), level="partecipazione")
        ids.append(bid)
    for m in QUOTED_TAVOLO_RE.finditer(ctx.text):  # "il Tavolo “Povertà e inclusione”": the area's name in quotes
        name = clean_name(f"{m.group(1)[:1].upper()}{m.group(1)[1:]} {m.group(2)}")
        bid = f"body:{owner}:tavolo-{slug(name)[:60]}"
        if bid in ctx.entities or any(i == bid for i in ids):
            continue
        ctx.entity(bid, Label.GOVERNANCE_BODY, name, m.start(1), m.end(), type="tavolo_tematico", category="tavolo_tematico",
                   level="partecipazione", source="general: Tavolo + nome di un'area tra virgolette (DGR XI/4563/2021, tavoli tematici)")
        if ctx.ambito_id:
            ctx.relate(ctx.ambito_id, Rel.HAS_BODY, bid, m.start(1), m.end(), level="partecipazione")
        ids.append(bid)


# A thematic table whose area is quoted ("il Tavolo “Povertà e inclusione”", "il tavolo «Minori e famiglia»",
# "il Tavolo tematico 'Disabilità'"): quotes mark a proper name, in any case of the head.
QUOTED_TAVOLO_RE = re.compile(
    r"(?:(?<=\b[Ii]l[ \t])|(?<=\b[Aa]l[ \t])|(?<=\b[Dd]el[ \t])|(?<=\b[Dd]al[ \t])|(?<=\b[Nn]el[ \t])|(?<=\b[Uu]n[ \t])|(?<=^))"
    r"([Tt]avol[oi](?:[ \t]+(?:tematic[oi]|di[ \t]+lavoro|d['\u2019]area|di[ \t]+area))?)[ \t]+"
    r"[\"\u201c\u00ab\u2018'][ \t]*([A-Z\u00c0-\u00dd][^\"\u201d\u00bb\u2019'\n]{2,60}?)[ \t]*[\"\u201d\u00bb\u2019']", re.M)


INLINE_TAVOLO_RE = re.compile(
    r"\b(?:[Ii]l|[Aa]l|[Dd]el|[Dd]al|[Nn]el|[Dd]ei|[Ii]|[Aa]i|[Uu]n|[Ss]ul|[Cc]ol|IL|AL|DEL|DAL|NEL|DEI|I)\s+(Tavol[oi][ \t]+"
    r"(?:per[ \t]+(?:il|la|lo|le|i|gli|l['\u2019])[ \t]*(?=[A-Z\u00c0-\u00dd]))?"  # "il Tavolo per la Disabilità"
    r"(?!(?i:tecnic|politic|territorial|tematic|interistituz|istituz)\w*|" + LEVEL_WORDS + r"|(?:di|del|dei|della|per|con|e)\b)"
    r"[A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+(?:di|del|della|e|[A-Z\u00c0-\u00dd][\w'\u2019]+)){0,4}(?<![ \t]di)(?<![ \t]e)(?<![ \t]del)(?<![ \t]della))"
)
PARTNER_RE = re.compile(r"\bcon\s+(?:il|la|lo|l'|l\u2019|i|gli|le)?\s*((?:[A-Z\u00c0-\u00dd][\w'.&]*)(?:\s+(?:[A-Z\u00c0-\u00dd][\w'.&]*|di|del|della))*)")
# "con il dipartimento di disabilità ... dell'ASST": a lower-case partner that names an organisation
LOWER_PARTNER_RE = re.compile(r"\bcon\s+(?:il|la|lo|l'|l\u2019|i|gli|le)\s+((?:[a-z\u00e0-\u00fa']+\s+){1,7}?(?:dell'|dell\u2019|del |della |di )\s*[A-Z][\w.]+)")
NAMED_NETWORK_RE = re.compile(r"\b[Rr]ete\s+(?:del|della|dell'|dell\u2019|dei|degli)\s*([A-Z\u00c0-\u00dd][\w'\u2019]*(?:\s+[A-Z\u00c0-\u00dd][\w'\u2019]*){0,4})")


def extract_networks(ctx: Ctx) -> None:
    """Networks: reti, co-progettazioni and co-programmazioni with a named partner, protocolli,
    comitati and tavoli di rete; partners known as entities get PARTICIPATES_IN."""
    vocab = load_vocab()
    owner = _owner(ctx)
    by_name = {fold(e.name): e.id for e in ctx.entities.values() if e.label in (Label.AMBITO, Label.ORGANIZATION)}
    for s, e, c in vocab.matcher("networks").finditer(ctx.text, ctx.folded):
        ss, se = ctx.sentence_bounds(s)
        surface = ctx.text[s:e]
        partner = None
        pm = PARTNER_RE.search(ctx.text, e, min(se, e + 120)) or LOWER_PARTNER_RE.search(ctx.text, e, min(se, e + 120))
        if pm:
            partner = re.sub(r"\s+(?:di|del|della|dei|degli|dell')$", "", clean_name(pm.group(1)))
        if c.key in ("comitato",):
            _, ce = capitalised_run(ctx.text, s, max_tokens=8)
            surface = ctx.text[s:max(e, ce)]
            qual = slug(surface)
        elif c.key in ("coprogettazione", "coprogrammazione", "protocollo", "collaborazione"):
            if not partner:
                continue
            qual = f"{c.key}-{slug(partner)}"
        else:
            qual = slug(surface)
        name = smart_title(clean_name(surface)) + (f" con {partner}" if partner and c.key != "comitato" else "")
        nid = f"network:{owner}:{qual[:70]}"
        ctx.entity(nid, Label.NETWORK, name, s, e, type=c.key, period=ctx.period_at(s), partners=[partner] if partner else None)
        if ctx.ambito_id:
            ctx.relate(ctx.ambito_id, Rel.PARTICIPATES_IN, nid, s, e, role="promoter")
        if partner:
            pid = by_name.get(fold(partner))
            if pid is None:
                for nm, i in by_name.items():
                    if len(fold(partner)) > 3 and fold(partner) in nm:
                        pid = i
                        break
            if pid:
                ctx.relate(pid, Rel.PARTICIPATES_IN, nid, s, se, role="partner")
    for m in NAMED_NETWORK_RE.finditer(ctx.text):
        name = smart_title(clean_name(m.group(0)))
        nid = f"network:{owner}:{slug(name)[:70]}"
        ctx.entity(nid, Label.NETWORK, name, m.start(), m.end(), type="rete_nominata", period=ctx.period_at(m.start()))
        if ctx.ambito_id:
            ctx.relate(ctx.ambito_id, Rel.PARTICIPATES_IN, nid, m.start(), m.end(), role="promoter")
