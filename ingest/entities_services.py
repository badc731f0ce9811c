"""Services and initiatives with status and period (the Ambito -[:RUNS {status, period}]-> Service
edge). The status grammar is in ingest/service_status.py; objectives are in ingest/entities_objectives.py."""

from __future__ import annotations

import re

from ingest.entities_actors import _add_comune, comune_prefix, lookup_comune
from ingest.citations import _join_hyphens
from ingest.entities_bodies import WORD_GAP_RE, deglued, with_gap_hits
from ingest.entities_common import Ctx, clean_name, smart_title
from ingest.services_layout import TOC_AFTER_RE, TOC_ENTRY_END_RE, TOC_ENTRY_START_RE, in_heading, in_numeric_row, title_lines
from ingest.services_titled import (agency_owned_spans, described_status, governed_names, organisation_names, owned_by_organisation,
                                    titled_id, titled_initiatives)
from ingest.service_status import (BULLET_RE, ENUM_HEAD_RE, FUTURE_RE, NEGATED_RE, OCCUPA_RE, PRESENT_RE, STATUS_PRIORITY, _anaphoric_status, _clause_bounds,
                                   _cue_in, _head_status, _near, call_governed, care_verb_status, purpose_governed, stated_years, status_at,
                                   tense_of)

__all__ = ["extract_services", "stated_years", "status_at", "tense_of"]  # the status grammar re-exported
from ontology.labels import Label, Rel
from ontology.vocab import fold, load_vocab, slug

QUALIFIER_RE = re.compile(r"\s+(?:di|del Comune di|del comune di|a)\s+([A-Z][\w'\u2019]*(?:\s+[A-Z][\w'\u2019]*){0,3})")
PROJECT_RE = re.compile(
    r"\b(?:[Pp]rogetto|[Pp]rogramma(?: nazionale)?)[ \t]+(?:[\u201c\"*]+([^\u201d\"*\n]{3,90})[\u201d\"*]|([A-Z][A-Z0-9.&!]{2,}(?:\s+[A-Z0-9.&!]{2,}){0,2})\b)"
)
# A "programma" of a "missione" is a line of the budget (D.Lgs. 118/2011 artt. 13-14; TUEL art. 165), not a project.
BUDGET_PROGRAMME_RE = re.compile(r"\bmission[ei]\b[^.;\n]{0,70}$")


# A head noun and the way a service is run before a term of the vocabulary ("Servizio Associato Tutela Minori",
# "Servizio intercomunale SAD"): a later "il Servizio Associato" is the same service (merged by
# _merge_short_mentions through this longer name).
HEAD_QUALIFIER_BEFORE_RE = re.compile(r"\b((?:Servizio|Sportello|Centro|Ufficio|Nucleo|SERVIZIO|SPORTELLO|CENTRO|UFFICIO|NUCLEO)[ \t]+"
                                      r"(?i:associat[oi]|intercomunal[ei]|distrettual[ei]|zonal[ei]|sovracomunal[ei]|di ambito|d['\u2019]ambito)[ \t]+)$")


# The head noun of a service, in capitals, right before a quoted title ("il Centro Diurno \u201cL'isola che c'\u00e8\u201d",
# "lo Sportello \u00abPorta Aperta\u00bb"): one name, the title's; a later "il Centro Diurno" is that service.
TITLE_HEAD_RE = re.compile(r"\b((?:Centro|Sportello|Servizio|Spazio|Punto|CENTRO|SPORTELLO|SERVIZIO|SPAZIO|PUNTO)"
                           r"(?:[ \t]+[A-Z\u00c0-\u00dd][\w'\u2019]+){0,3})[ \t]*[\u201c\u00ab\"]$")


def _owner(ctx: Ctx) -> str:
    return ctx.ambito_slug if ctx.ambito_id else slug(ctx.doc.id.removeprefix("doc:"))


def _runs(ctx: Ctx, src: str | None, sid_: str, s: int, e: int, fallback: str | None = None, stated: str | None = None) -> None:
    """The status and period of a service mention: on the RUNS edge from its runner (the Ambito or a
    comune) and, the strongest one, on the service itself (``status``, ``status_period``) - a text
    that names no Ambito still says whether its services run; ``fallback``: the status the mention's
    own description states, when its clause states none; ``stated``: the status the verb that governs the
    mention states, which wins over the cues of its sentence."""
    status = stated or status_at(ctx, s, e) or fallback or "mentioned"
    period = ctx.period_at(s)
    ss, se = ctx.sentence_bounds(s)
    since, until = stated_years(_near(ctx, *_clause_bounds(ctx, ss, se, s, e), s, e)) if status != "mentioned" else (None, None)
    ent = ctx.entities.get(sid_)
    if ent is not None and status != "mentioned" and STATUS_PRIORITY.get(status, -1) >= STATUS_PRIORITY.get(ent.props.get("status", ""), -1):
        ent.props["status"] = status
        if period:
            ent.props["status_period"] = period
        for k, v in (("status_since", since), ("status_until", until)):
            if v:
                ent.props[k] = v
    if src is None:
        return
    ctx.relate(src, Rel.RUNS, sid_, ss, se, key=(status, period), status=status, period=period, since=since, until=until)


def _term_service(ctx: Ctx, owner: str, c, s: int, e: int, surface: str) -> str:
    """The Service of a vocabulary concept mentioned at ``s:e`` (one per owner and concept), the form the
    text writes kept among its aliases; returns its id."""
    sid_ = f"service:{owner}:{c.key}"
    ctx.entity(sid_, Label.SERVICE, c.pref, s, e, type=c.key, category=c.category, concept=c.iri, source=c.source)
    aliases = ctx.entities[sid_].props["aliases"]
    ctx.entities[sid_].props["aliases"] = list(dict.fromkeys([*aliases, surface]))[:20]
    return sid_


def _vocabulary_hits(ctx: Ctx, vocab) -> list[tuple[int, int, object]]:
    """Vocabulary terms in the text, read across a word hyphenated at a line break ("assistenza
    domi-\nciliare") and across an elision glued by a lost apostrophe, with their spans in the text."""
    text, folded = deglued(ctx.text, ctx.folded)  # "dellAssistenza Domiciliare": a mirror's lost apostrophe
    joined, back = _join_hyphens(text)
    matcher = vocab.matcher("services")
    if back is None:
        return with_gap_hits(_rightmost_modifier(list(matcher.finditer(text, folded)), matcher, text), matcher, ctx.text)
    hits = _rightmost_modifier(list(matcher.finditer(joined)), matcher, joined)
    return with_gap_hits([(back[s], back[e - 1] + 1, c) for s, e, c in hits], matcher, ctx.text)


WORD_START_RE = re.compile(r"(?<![\w'\u2019])\w")


def _rightmost_modifier(hits: list, matcher, text: str) -> list:
    """In Italian the modifiers of a noun phrase follow its head, so the term a later modifier completes is the more
    specific service: "servizio di assistenza domiciliare educativa" is the ADM (Nomenclatore: assistenza domiciliare
    socio-educativa), "Servizio di Assistenza Domiciliare Integrata" the ADI, although the leftmost longest term is
    "servizio di assistenza domiciliare". A hit whose words open another concept's term that ends further right takes
    that concept, over the whole span."""
    out = []
    for s, e, c in hits:
        for w in WORD_START_RE.finditer(text, s + 1, e):
            inner = next(matcher.finditer(text[w.start():e + 60]), None)
            if inner is not None and inner[0] == 0 and w.start() + inner[1] > e and inner[2].key != c.key:
                e, c = w.start() + inner[1], inner[2]
                break
        out.append((s, e, c))
    # a longer span may now cover the next hit: keep the first of two overlapping ones
    kept: list = []
    for h in out:
        if kept and h[0] < kept[-1][1]:
            continue
        kept.append(h)
    return kept


def extract_services(ctx: Ctx) -> None:
    """Services of the vocabulary and named projects; a service qualified by another place
    ("Agenzia dell'Abitare di Peschiera Borromeo") belongs to that place, not to the Ambito."""
    vocab = load_vocab()
    owner = _owner(ctx)
    hits = [h for h in _vocabulary_hits(ctx, vocab) if not in_numeric_row(ctx, h[0])]
    other, expansions = _acronym_definitions(ctx, vocab)
    hits = [h for h in hits if ctx.text[h[0]:h[1]] not in other
            and not any(h[0] < b and a < h[1] and h[2].key != k for a, b, k in expansions)]
    # a term in the description of a quoted title ("\u201cC'entriAMO\u201d il centro famiglie diffuso") describes that initiative
    titled = titled_initiatives(ctx, vocab.matcher("services"))
    hits = [h for h in hits if not any(a <= h[0] < de for a, _, _, de, _ in titled)]
    orgs = organisation_names(ctx)  # "il servizio CSE di Simpatria", a cooperative the text names: not the Ambito's
    hits = [h for h in hits if not owned_by_organisation(ctx, h[1], orgs)]
    agency = agency_owned_spans(ctx)  # "la ASST, con i suoi servizi: i Consultori, ...": the agency's, not the Ambito's
    hits = [h for h in hits if not any(a <= h[0] < b for a, b in agency)]
    # a mention among two or more other services in one paragraph is a list item ("LEPS: supervisione,
    # housing temporaneo, stazione di posta, ..."): alone it does not make a service the plan runs
    # (distinct terms: "Assistenza Domiciliare (SAD)" is one service, not two list items); a mention
    # outside a tight run that carries its own status cue ("Il Progetto Dopo di Noi, avviato nel 2018")
    # is a statement about that service, not a list item
    per_par: dict[int, set[str]] = {}
    for st, _, c in hits:
        per_par.setdefault(_paragraph(ctx, st), set()).add(c.key)
    # (items of a head clause that governs them - "Sono attivi i seguenti servizi: ..." - are stated as a whole;
    # an entry of a table of contents ends with its own page number: a part of the document, even when a
    # mirror runs the index into one line)
    listed = {i for i, (st, en, _) in enumerate(hits) if len(per_par[_paragraph(ctx, st)]) >= 3
              and (_in_list(ctx, hits, i) or (_line_len(ctx, st) < 400 and not _cue_in(ctx, *ctx.sentence_bounds(st), st, en)
                                                 and not _own_statement(ctx, st, en)))
              and not _head_status(ctx, *ctx.sentence_bounds(st), st) and not TOC_AFTER_RE.match(ctx.text, en)}
    in_list = {f"service:{owner}:{c.key}" for i, (_, _, c) in enumerate(hits) if i in listed}
    not_list = {f"service:{owner}:{c.key}" for i, (_, _, c) in enumerate(hits) if i not in listed}
    ctx.listed_only = in_list - not_list
    headed: set[str] = set()
    agenda = _agenda_spans(ctx)
    on_agenda: set[str] = set()
    for s, e, c in hits:
        surface = WORD_GAP_RE.sub("", re.sub(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)", "", ctx.text[s:e]))  # a split word, whole
        if re.search(r"\b(?:area|aree|ambito)\s+(?:della\s+|del\s+|dei\s+)?$", ctx.folded[max(0, s - 20):s]):
            continue  # "area tutela minori", "Area SIL": an area of intervention, not a service
        if c.qualified_by:
            q = QUALIFIER_RE.match(ctx.text, e)
            hit = lookup_comune(q.group(1)) if q else None
            if hit and f"comune:{hit[0]}" not in ctx.member_comuni and fold(hit[1]) != fold(ctx.ambito_slug.replace("-", " ")):
                cid = _add_comune(ctx, hit[0], hit[1], q.start(1), q.end(1), member=False)
                fid = f"service:{slug(hit[1])}:{c.key}"
                ctx.entity(fid, Label.SERVICE, f"{smart_title(surface)} di {hit[1]}", s, q.end(), type=c.key,
                           category=c.category, concept=c.iri, source=c.source)
                _runs(ctx, cid, fid, s, q.end())
                continue
        sid_ = _term_service(ctx, owner, c, s, e, smart_title(surface))
        q = HEAD_QUALIFIER_BEFORE_RE.search(ctx.text, max(0, s - 40), s)
        if q:  # "il Servizio Associato Tutela Minori": the way it is run, read before the term, is a name of it too
            ctx.entities[sid_].props["aliases"] = list(dict.fromkeys([*ctx.entities[sid_].props["aliases"],
                                                                     smart_title(q.group(1) + surface)]))[:20]
        if in_heading(ctx, s, e):
            headed.add(sid_)
        _runs(ctx, ctx.ambito_id, sid_, s, e, stated=care_verb_status(ctx, s, e))
        if _names_line(ctx, s, e):
            _described_below(ctx, sid_, s, headed)
        if any(a <= s < b for a, b in agenda) or purpose_governed(ctx, s) or call_governed(ctx, s):
            on_agenda.add(sid_)  # an agenda item, an object of a statute or of a call: stated, status unknown
    spans0 = [(h[0], h[1]) for h in hits] + [(a, b) for a, b, _ in expansions]
    for m in [*HEADED_TERM_RE.finditer(ctx.text), *_enumerated_terms(ctx)]:
        # "i servizi a favore della tutela dei minori", "servizi ... a sostegno dell'assistenza domiciliare":
        # the bare name of an area of the Nomenclatore governed by the noun "servizi" names that service
        s0, e0 = m.span("term")
        if any(a < e0 and s0 < b for a, b in spans0) or _negated(ctx, s0):
            continue
        c = vocab.concept("services", next(k for k, rx in HEADED_TERMS if re.fullmatch(rx, fold(m.group("term")))))
        sid_ = _term_service(ctx, owner, c, s0, e0, m.group("term"))
        if in_heading(ctx, s0, e0):
            headed.add(sid_)
        _runs(ctx, ctx.ambito_id, sid_, s0, e0, stated=care_verb_status(ctx, s0, e0))
        if any(a <= s0 < b for a, b in agenda) or purpose_governed(ctx, s0) or call_governed(ctx, s0):
            on_agenda.add(sid_)
    for s0, e0, key in _shared_complements(ctx):
        if any(a < e0 and s0 < b for a, b in spans0) or _negated(ctx, s0):
            continue
        sid_ = _term_service(ctx, owner, vocab.concept("services", key), s0, e0, clean_name(ctx.text[s0:e0]))
        _runs(ctx, ctx.ambito_id, sid_, s0, e0)
    services = vocab.matcher("services")
    for m in PROJECT_RE.finditer(ctx.text):
        name = clean_name(m.group(1) or m.group(2))
        if len(name) < 3 or len(name.split()) > 12 or next(services.finditer(name), None) or _negated(ctx, m.start()):
            continue
        if BUDGET_PROGRAMME_RE.search(ctx.folded[max(0, m.start() - 80):m.start()]) or re.match(
                r"[^.;\n]{0,60}\bmission[ei]\b", ctx.folded[m.end():m.end() + 80]) or fold(name).startswith("fond"):
            continue  # 'nella missione "Fondi e accantonamenti", programma "Fondo di riserva"': a line of the budget
        ls, le = ctx.line_bounds(m.start())
        if m.group(2) and ctx.text[ls:le].isupper():
            continue  # an all-caps table header, not a project name
        if m.group(2) and fold(name).split()[0] in {"questo", "quale", "quali", "che", "per", "non", "sono", "del", "della", "il", "la"}:
            continue  # a sentence in capitals, not a name
        if m.group(2) and any(fold(name).replace(".", "") in fold(c.pref + " " + " ".join(c.hidden)).replace(".", "")
                              for c in vocab.scheme("services")):
            continue  # a truncated acronym of a vocabulary service ("P.I.P.P")
        sid_ = f"service:{owner}:{slug(name)[:60]}"
        ctx.entity(sid_, Label.SERVICE, name, m.start(), m.end(), type="progetto", category="other")
        _runs(ctx, ctx.ambito_id, sid_, m.start(), m.end())
    title_heads: list[tuple[int, int]] = []
    for a, b, name, de, c in titled:
        sid_ = titled_id(owner, name)
        if sid_ not in ctx.entities:
            ctx.entity(sid_, Label.SERVICE, name, a, b, type="progetto", category=c.category if c else "other",
                       **({"concept": c.iri, "source": c.source} if c else {}))
        head = TITLE_HEAD_RE.search(ctx.text, max(0, a - 50), a)
        if head:  # "il nuovo Centro Diurno \u201cL'isola che c'\u00e8\u201d": the head noun is part of the name, not a second service
            title_heads.append(head.span(1))
            ent = ctx.entities[sid_]
            ent.props["aliases"] = list(dict.fromkeys([*ent.props.get("aliases", []), f"{head.group(1)} {name}"]))[:20]
        _runs(ctx, ctx.ambito_id, sid_, a, b, described_status(ctx, b, de))
    spans = [(h[0], h[1]) for h in hits] + [(a, de) for a, _, _, de, _ in titled] + agency + title_heads
    for a, b, name in governed_names(ctx, services, NAMED_STOP, OUTSIDE_WORDS):
        if not any(x < b and a < y for x, y in spans) and not _negated(ctx, a):
            sid_ = f"service:{owner}:{slug(name)[:60]}"
            ctx.entity(sid_, Label.SERVICE, name[0].upper() + name[1:], a, b, type="named", category="other")
            _runs(ctx, ctx.ambito_id, sid_, a, b)
            spans.append((a, b))
    spans += _list_items(ctx, owner, services, spans)
    spans += _enumerated_items(ctx, owner, services, spans)
    headed_text, lowered = _capitalised_heads(ctx)
    for m in NAMED_RE.finditer(headed_text):
        s0, e0 = m.start(), m.end()
        if any(a < e0 and s0 < b for a, b in spans) or next(services.finditer(m.group(0)), None) or _negated(ctx, s0):
            continue  # a vocabulary service ("Servizio Tutela Minori") is typed by its term
        if s0 in lowered and (comune_prefix(ctx.text, lowered[s0], e0) or _short_place(ctx, lowered[s0], e0)):
            continue  # "lo sportello di Borgo Alto", "lo sportello di Busto" (Busto Arsizio): a place, not a name
        # "lo Sportello Badanti dell'Ambito": who runs it follows the name, it is not part of it; and a name is
        # never stored cut at an elision ("Sportello Badanti dell")
        name = OWNER_AFTER_RE.sub("", clean_name(m.group(0)))
        first = m.group(2) or m.group(3)
        if len(name.split()) < 2 or fold(first.split()[-1] if m.group(3) else re.sub(r"^(?:(?:di|per|del|della|la|il)\s+|(?:dell|l)\W\s*)+", "", first,
                                                                                    flags=re.I).split()[0]) in NAMED_STOP:
            continue
        if OUTSIDE_WORDS & set(re.split(r"[\s'\u2019]+", fold(name))) or ORG_BEFORE_RE.search(ctx.folded[max(0, s0 - 50):s0]):
            continue
        if DANGLING_RE.match(ctx.text, e0):
            continue  # "CENTRO INTEGRATO PER LA\nFAMIGLIA": the name goes on past the line, never store it cut
        core = MANAGEMENT_QUALIFIER_RE.sub(r"\1 ", name)
        term = next(services.finditer(core), None) if core != name else None
        if term is not None and term[0] == 0 and term[1] == len(core):
            # "Servizio Associato Affidi", "Servizio Intercomunale Tutela Minori": the way the service is
            # run (associated, intercomunale, di Ambito) qualifies a term of the vocabulary
            _runs(ctx, ctx.ambito_id, _term_service(ctx, owner, term[2], s0, e0, name), s0, e0)
            continue
        sid_ = f"service:{owner}:{slug(name)[:60]}"
        ctx.entity(sid_, Label.SERVICE, smart_title(name), s0, e0, type="named", category="other")
        if TOC_AFTER_RE.match(ctx.text, e0) and not in_numeric_row(ctx, s0):
            headed.add(sid_)  # an entry of the index ("Il Servizio Socio Educativo pag. 27"): described, status unknown
        _runs(ctx, ctx.ambito_id, sid_, s0, e0)
    for m in INITIATIVE_RE.finditer(ctx.text):
        name = clean_name(m.group(1).split(",")[0])
        if len(name) < 5 or next(services.finditer(name), None) or re.match(r"(?:rete|avviso|gruppo|tavol|percors)", fold(name)):
            continue
        sid_ = f"service:{owner}:{slug(name)[:60]}"
        ctx.entity(sid_, Label.SERVICE, name, m.start(1), m.end(1), type="progetto", category="other")
        _runs(ctx, ctx.ambito_id, sid_, m.start(1), m.end(1))
    ctx.listed_only -= on_agenda
    _merge_short_mentions(ctx, owner)
    _prune_mentioned(ctx, headed | on_agenda)


def _name_words(name: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", fold(name)) if w and w not in FUNCTION_WORDS]


def _merge_short_mentions(ctx: Ctx, owner: str) -> None:
    """A later mention by the leading words of a service's name ("il nuovo Centro Diurno" after "il Centro
    Diurno Disabili") is that service, not another: when exactly one service of the owner has a name that
    starts with those words, the short one is merged into it (its lines, aliases and the strongest status;
    its RUNS edges move to it). No duplicates inside one Ambito."""
    prefix = f"service:{owner}:"
    ids = [i for i, e in ctx.entities.items() if e.label == Label.SERVICE and i.startswith(prefix)]
    names = {i: [_name_words(n) for n in [ctx.entities[i].name, *ctx.entities[i].props.get("aliases", [])]] for i in ids}
    for short in ids:
        ent = ctx.entities.get(short)
        if ent is None or ent.props.get("type") != "named":
            continue
        sw = _name_words(ent.name)
        if len(sw) < 2:
            continue
        longer = [i for i in ids if i != short and i in ctx.entities
                  and any(len(w) > len(sw) and w[:len(sw)] == sw for w in names[i])]
        if len(longer) != 1:
            continue
        target = ctx.entities[longer[0]]
        for k in ("lines", "aliases"):
            extra = [ent.name] if k == "aliases" else []
            target.props[k] = list(dict.fromkeys([*target.props.get(k, []), *ent.props.get(k, []), *extra]))[:40 if k == "lines" else 20]
        st = ent.props.get("status")
        if st and STATUS_PRIORITY.get(st, -1) > STATUS_PRIORITY.get(target.props.get("status") or "", -1):
            target.props["status"] = st
        for r in ctx.relations:
            if r.dst == short:
                r.dst = longer[0]
        del ctx.entities[short]
        ctx.listed_only.discard(short)


# The agenda of a meeting ("con il seguente ordine del giorno: 1. ...; 9. Informativa Dopo di Noi") lists the
# matters the body deals with: a service named there is one of the Ambito's own, its status not stated.
AGENDA_HEAD_RE = re.compile(r"\b(?:ordine del giorno|o\.d\.g\.)[ \t]*(?::|\n)")


def _agenda_spans(ctx: Ctx) -> list[tuple[int, int]]:
    """Spans of the agendas in the text: from the head ("... con il seguente ordine del giorno:", a line
    "ORDINE DEL GIORNO") to the end of the paragraph that follows it, or of its run of numbered or
    bulleted items when blank lines part them."""
    out = []
    for m in AGENDA_HEAD_RE.finditer(ctx.folded):
        body = re.search(r"\S", ctx.text[m.end():])
        if body is None:
            continue
        start = m.end() + body.start()
        stop = ctx.text.find("\n\n", start)
        while 0 <= stop < start + 2000:
            after = re.match(r"\s*", ctx.text[stop:]).end() + stop  # the next paragraph
            if not BULLET_RE.match(ctx.text[after:after + 8]):
                break
            stop = ctx.text.find("\n\n", after)
        out.append((m.start(), min(stop if stop >= 0 else len(ctx.text), start + 2000)))
    return out


# Bare names of areas of the Nomenclatore interregionale that name a service when the noun "servizi"
# governs them (the names alone are areas of policy: "la tutela dei minori", "il rafforzamento
# dell'assistenza domiciliare").
# An area is named by a noun complement or by the relational adjective of the same noun ("tutela dei minori",
# "tutela minori", "tutela minorile"; "assistenza domiciliare", "assistenza a/al domicilio"): the two are one term.
HEADED_TERMS = (("assistenza_domiciliare", r"assistenza (?:domiciliare|al? domicilio)"),
                ("tutela_minori", r"tutela (?:(?:dei )?minori|minorile)"),
                ("inserimento_lavorativo", r"inserimenti? lavorativ[oi]"))
_AREA_TERMS = r"assistenza (?:domiciliare|al? domicilio)|tutela (?:(?:dei )?minori|minorile)|inserimenti? lavorativ[oi]"
HEADED_TERM_RE = re.compile(
    r"\b[Ss]ervizi[oa]?\b[^.;:\n]{0,80}?\b(?:di|del|della|dell['\u2019]|per|per la|per l['\u2019]|a favore (?:di|del|della|dell['\u2019]|dei)"
    r"|a sostegno (?:di|del|della|dell['\u2019]))[ \t]*"
    # the term may be a later item of the enumeration the preposition governs ("servizi e/o strutture di
    # risocializzazione, assistenza domiciliare, educazione fisica")
    r"(?:[a-z\u00e0-\u00f9][\w'\u2019]*(?:[ \t]+[a-z\u00e0-\u00f9][\w'\u2019]*){0,2}[ \t]*,[ \t]*){0,3}"
    r"(?P<term>(?i:" + _AREA_TERMS + r"))\b")
TERM_RE = re.compile(r"\b(?P<term>(?i:" + _AREA_TERMS + r"))\b")
# "L'Azienda si occupa di tutela minori, assistenza domiciliare e inserimenti lavorativi": OCCUPA_RE (the verb of
# taking care of a field, ingest/service_status.py) governs the bare area names it enumerates.


def _enumerated_terms(ctx: Ctx) -> list[re.Match]:
    """Bare area names enumerated after a class noun with an enumerating connective ("servizi quali il
    nucleo per gli inserimenti lavorativi, l'assistenza domiciliare agli anziani, ..."): every item of
    the enumeration, up to the end of its sentence, is governed by the noun "servizi"."""
    out: list[re.Match] = []
    for m in [*ENUM_HEAD_RE.finditer(ctx.folded), *GESTIONE_RE.finditer(ctx.folded), *OCCUPA_RE.finditer(ctx.folded)]:
        _, se = ctx.sentence_bounds(m.start())
        out.extend(TERM_RE.finditer(ctx.text, m.end(), se))
    # a bare area name that is the whole title of a table-of-contents entry ("ASSISTENZA DOMICILIARE ...... 32",
    # "Tutela minori pag. 12"): the document gives the intervention a section of its own
    for t in TERM_RE.finditer(ctx.text):
        if TOC_ENTRY_END_RE.match(ctx.text, t.end()) and TOC_ENTRY_START_RE.search(ctx.text, max(0, t.start() - 12), t.start()) \
                and not in_numeric_row(ctx, t.start()):  # a table row ("ASSISTENZA DOMICILIARE\t4\t0\t1") is not an index
            out.append(t)
    # a bare area name listed after the colon of a head clause that governs the list and states its status ("I
    # servizi attivi nel 2024 sono: tutela minori, assistenza domiciliare, ...")
    for t in TERM_RE.finditer(ctx.text):
        ss, se = ctx.sentence_bounds(t.start())
        if ":" in ctx.text[ss:t.start()] and _head_status(ctx, ss, se, t.start()):
            out.append(t)
    # a bullet item that is a bare area name under a head that governs the list ("Tra i servizi gestiti
    # dall'Azienda:\n- assistenza domiciliare\n- tutela minori"): the class noun of the head governs it
    for ls, _, line in ctx.lines():
        b = BULLET_RE.match(line)
        t = TERM_RE.match(ctx.text, ls + b.end() + len(line[b.end():]) - len(line[b.end():].lstrip())) if b else None
        if t and _head_status(ctx, *ctx.sentence_bounds(t.start()), t.start()):
            out.append(t)
    return out


# A complement shared by a coordination (right node raising): "la tutela e i servizi di assistenza ai minori"
# is the tutela of the minori and the services for them - the bare head of an area of the Nomenclatore
# ("tutela") before "e" takes the complement that closes the coordination, when the two make a term.
SHARED_COMPLEMENT_RE = re.compile(r"\b(?P<head>tutela)[ \t]+e[ \t]+(?:(?:il|lo|la|i|gli|le|l['\u2019])[ \t]*)?[a-z\u00e0-\u00f9'\u2019 \t]{3,50}?"
                                  r"[ \t](?:a|ai|agli|alle|dei|degli|delle|per[ \t]+i|per[ \t]+le)[ \t]+(?P<comp>minori)\b", re.I)


def _shared_complements(ctx: Ctx) -> list[tuple[int, int, str]]:
    """(start, end, concept key) of the coordinations in an enumeration governed by a class noun whose
    head and shared complement make a term ("la tutela e i servizi di assistenza ai minori" -> tutela minori)."""
    out = []
    for h in ENUM_HEAD_RE.finditer(ctx.folded):
        _, se = ctx.sentence_bounds(h.start())
        for m in SHARED_COMPLEMENT_RE.finditer(ctx.text, h.end(), se):
            term = f"{fold(m.group('head'))} {fold(m.group('comp'))}"
            key = next((k for k, rx in HEADED_TERMS if re.fullmatch(rx, term)), None)
            if key and not re.search(r"[,;]", m.group(0)):
                out.append((m.start(), m.end(), key))
    return out


# "la gestione della tutela minori, dell'ADM e del servizio affidi": the noun of running a service governs
# the bare area names it enumerates.
GESTIONE_RE = re.compile(r"\bgestione(?:[ \t]+associata)?[ \t]+(?:della|del|dei|degli|delle|dell\W)[ \t]*")


# A list of services under a head that names their class ("I servizi sono:", "Servizi gestiti:"): each
# bullet item that opens with the head noun of a service or an office of services is one named service,
# whole ("Sportello Home care Premium dell'Inps", "Servizio di protezione giuridica"), even when the
# words after its head are not capitalised. The head nouns are those of the Nomenclatore interregionale's
# entries (servizio, sportello, centro, spazio, punto, ufficio, nucleo, agenzia, equipe, laboratorio).
ITEM_HEADS = frozenset("servizio servizi sportello sportelli centro centri spazio punto ufficio nucleo agenzia equipe "
                       "laboratorio".split())
# The head "Agenzia" with a word of housing in its name ("Agenzia SistemAbitare", "Agenzia Casa Brianza") is an
# agency for housing (L.R. Lombardia 16/2016).
HOUSING_WORD_RE = re.compile(r"abitar|abitativ|casa\b")


# A lower-case head noun before "di"/"per" and a capitalised name is the head of that name ("il servizio di
# Custodia Sociale", "lo sportello per l'Inclusione Attiva"): prose writes the head in lower case.
LOWER_HEAD_RE = re.compile(r"\b(servizio|sportello)(?=[ \t]+(?:di|per)[ \t]+(?:la[ \t]+|il[ \t]+|l['\u2019][ \t]*)?[A-Z\u00c0-\u00dd][a-z\u00e0-\u00f9])")


def _short_place(ctx: Ctx, start: int, end: int) -> bool:
    """True when the words [start, end) are the leading words of a comune the text names in full ("lo
    sportello di Busto" in a text about Busto Arsizio): the everyday short form of a place name."""
    words = ctx.text[start:end].strip()
    if not words or len(words.split()) > 2:
        return False
    return any(lookup_comune(f"{words} {m.group(1)}") for m in
               re.finditer(r"\b" + re.escape(words) + r"[ \t]+((?:(?:di|de|del|sul|sull['\u2019]|al|in)[ \t]+)?[A-Z\u00c0-\u00dd][\w'\u2019]+)", ctx.text))


def _capitalised_heads(ctx: Ctx) -> tuple[str, dict[int, int]]:
    """The text with such lower-case heads capitalised (same offsets), and {head start: start of the name}."""
    lowered: dict[int, int] = {}
    chars = list(ctx.text)
    for m in LOWER_HEAD_RE.finditer(ctx.text):
        chars[m.start()] = chars[m.start()].upper()
        name = re.match(r"[ \t]+(?:di|per)[ \t]+(?:la[ \t]+|il[ \t]+|l['\u2019][ \t]*)?", ctx.text[m.end():])
        lowered[m.start()] = m.end() + (name.end() if name else 0)
    return ("".join(chars) if lowered else ctx.text), lowered


def _has_term(services, name: str) -> bool:
    """True when a vocabulary term is in the name, also once the way the service is run is dropped."""
    return bool(next(services.finditer(name), None) or next(services.finditer(MANAGEMENT_QUALIFIER_RE.sub(r"\1 ", name)), None))


def _list_items(ctx: Ctx, owner: str, services, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Services named by the bullet items of a governed list; returns their spans."""
    vocab = load_vocab()
    spans: list[tuple[int, int]] = []
    for ls, le, line in ctx.lines():
        m = BULLET_RE.match(line)
        if not m:
            continue
        s0 = ls + m.end() + (len(line[m.end():]) - len(line[m.end():].lstrip()))
        item = line[m.end():].strip().rstrip(";.,")
        words = item.split()
        if not 2 <= len(words) <= 12 or fold(words[0]) not in ITEM_HEADS or re.search(r"[.;:!?]\s", item):
            continue
        e0 = s0 + len(item)
        if any(a < e0 and s0 < b for a, b in taken) or _negated(ctx, s0) or not _head_status(ctx, *ctx.sentence_bounds(s0), s0):
            continue  # a term of the vocabulary types its item; an item of no governed list is not stated
        if DANGLING_RE.match(ctx.text, e0):
            continue
        name = clean_name(item)
        if _has_term(services, name):
            continue  # "Servizio Associato Affidi": a term of the vocabulary, qualified by the way it is run
        if OUTSIDE_WORDS & set(re.split(r"[\s'\u2019]+", fold(name))):
            continue
        if fold(words[0]) == "agenzia" and HOUSING_WORD_RE.search(fold(name)):
            sid_ = _term_service(ctx, owner, vocab.concept("services", "agenzia_abitare"), s0, e0, name)
        else:
            sid_ = f"service:{owner}:{slug(name)[:60]}"
            ctx.entity(sid_, Label.SERVICE, name, s0, e0, type="named", category="other")
        _runs(ctx, ctx.ambito_id, sid_, s0, e0)
        spans.append((s0, e0))
    return spans


# An item of an enumeration governed by a class noun in running text that opens with the head noun of a
# service, in lower case as prose writes it ("i servizi che sono cresciuti sono la tutela minori, il
# servizio educativo integrato, ..."): the item, up to its comma or coordination, names the service. A
# plural head ("i servizi di assistenza ai minori") names a class again, not one service.
ENUM_ITEM_RE = re.compile(
    r"(?:^[ \t]*|(?:^|[\s,])(?:il|lo|la|l['\u2019]|i|gli|le)[ \t]*)(?P<name>(?:servizio|sportello|centro|spazio|punto|nucleo|ufficio)"
    r"(?:[ \t]+[a-z\u00e0-\u00f9'\u2019]+){1,5})[ \t]*$", re.I)
CLASS_SUBJECT_RE = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:servizi|interventi|progetti|sportelli|misure|prestazioni)\b")


def _enumerated_items(ctx: Ctx, owner: str, services, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Named services among the items of an enumeration governed by a class noun; returns their spans."""
    spans: list[tuple[int, int]] = []
    starts = {ctx.sentence_bounds(m.start())[0] for m in ENUM_HEAD_RE.finditer(ctx.folded)}
    starts |= {ctx.sentence_bounds(m.end())[0] for m in re.finditer(r"(?:^|[.!?])\s*", ctx.folded, re.M) if m.end() < len(ctx.text)}
    for ss in sorted(starts):
        _, se = ctx.sentence_bounds(ss)
        head = ENUM_HEAD_RE.search(ctx.folded, ss, se)
        subject = CLASS_SUBJECT_RE.match(ctx.folded[ss:se])
        if not head and not subject:
            continue
        start = head.end() if head else ss + subject.end()
        # items: the comma-delimited phrases after the head, each split at a coordination ("... e il ...")
        for part in re.finditer(r"[^,;()]+", ctx.text[start:se]):
            bounds = [0, *[x.end() for x in re.finditer(r"\s(?:e|ed)\s", part.group(0))], len(part.group(0))]
            for i in range(len(bounds) - 1):
                chunk = part.group(0)[bounds[i]:bounds[i + 1]]
                chunk = re.sub(r"\s(?:e|ed)\s$", "", chunk)
                im = ENUM_ITEM_RE.search(chunk)
                if not im:
                    continue
                s0 = start + part.start() + bounds[i] + im.start("name")
                e0 = start + part.start() + bounds[i] + im.end("name")
                name = clean_name(ctx.text[s0:e0])
                ws = fold(name).split()
                if (len(ws) < 2 or any(a < e0 and s0 < b for a, b in taken) or _has_term(services, name)
                        or ws[1] in NAMED_STOP or ws[-1] in FUNCTION_WORDS or OUTSIDE_WORDS & set(ws) or _negated(ctx, s0)
                        or not _head_status(ctx, ss, se, s0)):
                    continue
                sid_ = f"service:{owner}:{slug(name)[:60]}"
                ctx.entity(sid_, Label.SERVICE, name, s0, e0, type="named", category="other")
                _runs(ctx, ctx.ambito_id, sid_, s0, e0)
                spans.append((s0, e0))
    return spans


OWN_VERB_RE = re.compile(r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?:" + PRESENT_RE.pattern + "|" + FUTURE_RE.pattern + ")", re.I)


# A named initiative that fits no term: "Sportello Fragilità", "Servizio Lavoro Giovani", "Servizio di
# Consulenza Legale", "Centro Anziani", "Punto Famiglia", "SPAZIO GIOVANI" - an Italian head noun of a
# service or a place of service, written as a name (capitalised or in capitals: a lower-case "centro"
# or "spazio" in prose is a common noun), then capitalised words; the English order of the loan
# "Point" ("Family point", "Info Point") puts its modifier first.
# "e" joins two capitalised words of one name ("Servizio Minori e Famiglia"); "e" before a preposition or an
# article opens a second noun phrase ("il Servizio Associato e del Comune di Adro": the social workers of the
# associated service and of the comune), a coordination, not a longer name.
_CAP = r"[A-Z\u00c0-\u00dd][\w'\u2019]+(?:-[A-Za-z\u00c0-\u00ff][\w'\u2019]*)*(?![\w'\u2019-])"
NAMED_RE = re.compile(
    r"\b((?:Sportello|Servizio|Centro|Punto|Spazio|SPORTELLO|SERVIZIO|CENTRO|PUNTO|SPAZIO))[ \t]+((?:(?:di|per|per la|per il|per lo|per le|per i|per gli|per l['\u2019]|del|della|dell['\u2019]|d['\u2019])[ \t]*(?=[A-Z\u00c0-\u00dd]))?"
    + _CAP + r"(?:(?:[ \t]+|(?<=['\u2019]))(?:" + _CAP + r"|per la|per il|per lo|per le|per i|per gli|per l['\u2019]|per|di|del|della|alla|all['\u2019]|e(?![ \t]+(?:di|del|della|dello|dei|degli|delle|dell|d|a|al|allo|alla|ai|agli|alle|in|nel|nella|nei|con|il|lo|la|i|gli|le|l)(?![\w'\u2019]))"
    r"|d['\u2019]|dell['\u2019])"
    r"(?=[ \t]+(?:(?:per|di|del|della|e)[ \t]+)?[A-Z\u00c0-\u00dd]|[ \t]*[A-Z\u00c0-\u00dd]))*"
    r"(?:(?:[ \t]+|(?<=['\u2019]))" + _CAP + r")?)"  # "dell'Ambito": the elision glues the last word
    r"|\b(?!(?:Il|Lo|La|Gli|Le|Un|Una|Uno|Del|Dello|Della|Nel|Nello|Nella|Al|Allo|Alla)\b)(" + _CAP + r"(?:[ \t]+" + _CAP + r")?)[ \t]+(?i:point)\b"
)
OWNER_AFTER_RE = re.compile(r"[ \t]+(?:(?:dell|d|nell|all)['\u2019]?[ \t]*(?:(?:Ambito|Azienda|Unione)\b.*)?|(?:di|del|della)[ \t]+(?:Ambito|Azienda|Consorzio|Unione|Comune)\b.*)$")
MANAGEMENT_QUALIFIER_RE = re.compile(
    r"^(\w+)[ \t]+(?i:associat[oi]|intercomunal[ei]|distrettual[ei]|zonal[ei]|sovracomunal[ei]|di ambito|d'ambito|d\u2019ambito)[ \t]+")
NAMED_STOP = frozenset("sociale sociali comunale comunali regionale sanitario sanitaria servizi servizio ufficio comune "
                       # a place or office outside social services ("Centro per l'Impiego", "Centro Storico", "Centro
                       # Servizi per il Volontariato", "Punto Nascita"), and the health services of the LEA (D.P.C.M. 12
                       # gennaio 2017: "Centro di Salute Mentale", "Centro Psico-Sociale", "Punto Prelievi")
                       "impiego storico studi commerciale sportivo servizi nascita vendita prelievi vaccinale salute "
                       "psico-sociale psicosociale trasfusionale formazione istruzione "  # then a comune's own offices (TUEL art. 153):
                       "finanziario finanziari finanziaria ragioneria tributi personale tecnico segreteria protocollo economato "
                       "contabilita legale demografico demografici anagrafe elettorale gestione "
                       # and the local public utilities (D.Lgs. 152/2006 servizio idrico integrato e rifiuti; D.P.R. 285/1990)
                       "idrico rifiuti cimiteriale cimiteriali manutenzione manutenzioni viabilita edilizia urbanistica polizia".split())
# Words that make any named run an office outside social services - the health services of the LEA
# (D.P.C.M. 12 gennaio 2017: "Servizio di Neuropsichiatria Infantile", "Servizio per le Dipendenze",
# "Servizio di Igiene") - or an organisation (a legal form: "Centro Mantovano di Solidarietà Onlus");
# "lmpiego" is the OCR reading of "Impiego".
OUTSIDE_WORDS = frozenset("impiego lmpiego storico commerciale sportivo nascita prelievi vaccinale salute psico psicosociale "
                          "psico-sociale trasfusionale neuropsichiatria psichiatria psichiatrico psicologia medicina "
                          "pediatria ospedale ospedaliero igiene dipendenze vaccinazioni riabilitazione ginecologia "
                          "ostetricia farmaceutico sanitario sanitaria "
                          "onlus cooperativa coop srl spa fondazione associazione aps odv consorzio "
                          # the one-stop offices for businesses and building (D.P.R. 160/2010 SUAP, D.P.R. 380/2001 SUE)
                          "produttive edilizia".split())
# A name after the noun of an organisation is the organisation's ("le cooperative Melograno e Spazio
# Aperto Servizi"); a connector at the end of a name's line means the name goes on.
ORG_BEFORE_RE = re.compile(r"\b(?:cooperativ[ae]|associazion[ei]|fondazion[ei]|impres[ae]|societa|consorzi[oi]|ente)\b[^.;:()\n]*$")
DANGLING_RE = re.compile(r"[ \t]+(?i:per|di|del|della|dello|dei|degli|delle|e|ed|la|il|per la|per il)[ \t]*\n"
                         r"|[ \t]*\n[ \t]*(?i:per|di|del|della|dello|dei|degli|delle|e|ed)[ \t]+[A-Z\u00c0-\u00dd]")
INITIATIVE_RE = re.compile(
    r"^[ \t\-*\u2022\u25aa\u25ba\u25b6\u2713\u2714]*(?:Sperimentazione|Attivazione|Creazione|Avvio|Apertura) di (?:un|una|uno)\s+([^\n:;]{5,110})",
    re.M,
)


ACRONYM_DEF_RE = re.compile(r"((?:[\w'\u2019]+[ \t]+){0,7}[\w'\u2019]+)[ \t]*\([ \t]*([A-Z][A-Za-z.]{1,9})[ \t]*\)")
FUNCTION_WORDS = frozenset("di del della dello dei degli delle dell d per e ed a al alla ai agli alle in con il lo la i gli le l".split())


GENERIC_WORDS = frozenset("servizio servizi centro centri sportello progetto progetti sociale sociali".split())


def _stems(text: str) -> set[str]:
    """Content words of a phrase without their final vowels (number and gender meet)."""
    return {re.sub(r"[aeiou]+$", "", w) for w in re.findall(r"[a-z]+", fold(text))
            if w not in FUNCTION_WORDS and w not in GENERIC_WORDS and len(w) > 2}


def _expansion(words: list[re.Match], letters: str) -> int | None:
    """Index of the first word of the run at the end of ``words`` whose initials spell ``letters``,
    with or without its function words ("Assegno di Inclusione" ADI, "Assistenza Domiciliare per
    Minori" ADM); None when no run does."""
    for k in range(1, min(len(words), 10) + 1):
        tail = [w.group(0).lower() for w in words[-k:]]
        if tail[0] in FUNCTION_WORDS:
            continue
        content = "".join(w[0] for w in tail if w not in FUNCTION_WORDS)
        if "".join(w[0] for w in tail) == letters or content == letters:
            return len(words) - k
    return None


def _acronym_definitions(ctx: Ctx, vocab) -> tuple[set[str], list[tuple[int, int, str]]]:
    """Acronyms of the vocabulary and their expansions as the text defines them - a run of words whose
    initials spell the acronym, right before it in parentheses. Returns the acronyms the text defines
    for something else ("Assegno di Inclusione (ADI)": ADI is then no Assistenza Domiciliare Integrata)
    and the spans (start, end, concept key) of expansions that define a vocabulary acronym ("Servizio di
    Assistenza Domiciliare per Minori (ADM)" is the ADM, not a SAD followed by an ADM)."""
    other: set[str] = set()
    spans: list[tuple[int, int, str]] = []
    for m in ACRONYM_DEF_RE.finditer(ctx.text):
        acr = m.group(2)
        letters = acr.replace(".", "").lower()
        owner = next((c for c in vocab.scheme("services") if acr in c.hidden), None)
        if owner is None or len(letters) < 2:
            continue
        words = list(re.finditer(r"\w+", m.group(1)))
        i = _expansion(words, letters)
        if i is None:
            continue
        es, ee = m.start(1) + words[i].start(), m.end(2) + 1
        if _stems(ctx.text[es:m.end(1)]) & _stems(" ".join(owner.alt)):
            spans.append((es, ee, owner.key))  # "Integrazione Lavorativa (NIL)": the term's own words
        else:
            other.add(acr)
    return other, spans


def _own_statement(ctx: Ctx, st: int, en: int) -> bool:
    """True when the mention opens its sentence and a finite verb follows it at once ("Il SIL accompagna
    persone fragili verso il lavoro"): a statement about that service, not an item of a list."""
    ss, _ = ctx.sentence_bounds(st)
    return len(ctx.text[ss:st].split()) <= 2 and bool(OWN_VERB_RE.match(ctx.text, en))


def _line_len(ctx: Ctx, offset: int) -> int:
    ls, le = ctx.line_bounds(offset)
    return le - ls


def _in_list(ctx: Ctx, hits: list, i: int) -> bool:
    """True when hit i is in a run of three or more services a few characters apart (a list, not a
    sentence that names several services)."""
    run = [i]
    for step in (-1, 1):
        j = i
        while 0 <= j + step < len(hits):
            a, b = (hits[j], hits[j + step]) if step > 0 else (hits[j + step], hits[j])
            if b[0] - a[1] > 40 or "\n\n" in ctx.text[a[1]:b[0]]:
                break
            j += step
            run.append(j)
    return len(run) >= 3


def _negated(ctx: Ctx, offset: int) -> bool:
    """True when the row or sentence says the thing is absent ("Non presente", "non attivato")."""
    ss, se = ctx.sentence_bounds(offset)
    ls, le = ctx.line_bounds(offset)
    return bool(NEGATED_RE.search(ctx.folded[min(ss, ls):max(se, le)][:600]))




def _paragraph(ctx: Ctx, offset: int) -> int:
    """Start of the statement that holds ``offset``: its line, joined in slide decks with the lines
    it continues (a line that does not end a sentence and is followed by a non-bullet line)."""
    ls, _ = ctx.line_bounds(offset)
    if not ctx.slides:
        return ls
    while ls > 0 and not BULLET_RE.match(ctx.text[ls:ls + 8]):
        ps, pe = ctx.line_bounds(ls - 1)
        prev = ctx.text[ps:pe].rstrip()
        if not prev or prev[-1] in ".;:!?" or prev.isupper():
            break
        ls = ps
    return ls


# A line that names one service and nothing else - alone, as a heading, or as the value of a label of the
# form "Denominazione servizio :", "Servizio:", "Nome del progetto:" - makes the text that follows a
# description of that service: a report's or a service card's layout, in any typography.
NAME_LABEL_RE = re.compile(r"^[\W\d]*(?:(?:[\w'\u2019]+[ \t]+){0,3}(?i:servizio|progetto|intervento|denominazione|titolo)[ \t]*:[ \t]*)?$")


def _names_line(ctx: Ctx, s: int, e: int) -> bool:
    """True when the mention [s, e) is all its line says, but for a label before it and other names of the
    same service ("SAD \u2013 Servizio di Assistenza Domiciliare", "Spazio Neutro (SN)")."""
    ls, le = ctx.line_bounds(s)
    if e > le:
        return False
    line = ctx.text[ls:le]
    key = next((c.key for a, b, c in load_vocab().matcher("services").finditer(line) if a == s - ls), None)
    rest = list(line)
    for a, b, c in load_vocab().matcher("services").finditer(line):
        if c.key == key and a >= s - ls:
            rest[a:b] = " " * (b - a)
    tail = "".join(rest[s - ls:])
    return not re.sub(r"[\s.;:*_#()\-\u2013\u2014/]+", "", tail) and bool(NAME_LABEL_RE.match(ctx.text[ls:s]))


# The fields of a service charter under the service's own line ("Cos'è", "A chi si rivolge", "Come si
# accede", "Destinatari", "Modalità di accesso", "Orari", "Costi"): the charter describes a service that runs
# (L. 328/2000 art. 13, carta dei servizi sociali; D.P.C.M. 27 gennaio 1994 on the charters of public services).
CHARTER_FIELD_RE = re.compile(r"^[ \t*#\-\u2022]*(?i:cos['\u2019]?\s*[e\u00e8]|che cos['\u2019]?\s*[e\u00e8]|a chi si rivolge|a chi [e\u00e8] rivolt[oa]"
                              r"|destinatari|come si accede|come accedere|modalit[a\u00e0] di accesso|orari(?: di apertura)?|costi|dove siamo"
                              r"|come funziona)\b[ \t]*[:?]?", re.M)


def _described_below(ctx: Ctx, sid_: str, s: int, headed: set[str]) -> None:
    """The status of a service named by a line of its own, read in the paragraphs below it whose subject is
    an anaphoric "il servizio" ("Denominazione servizio : SEGRETARIATO SOCIALE / Il servizio è stato
    attivato nel 2003 e interrotto a dicembre"), up to the next such line, else from the fields of a service
    charter right below it (active); the service is then described."""
    _, le = ctx.line_bounds(s)
    nxt = re.compile(r"\n[ \t]*(?:[\W\d]*(?:[\w'\u2019]+[ \t]+){0,3}(?i:servizio|progetto|intervento|denominazione|titolo)[ \t]*:)").search(ctx.text, le)
    found = _anaphoric_status(ctx, le, min(nxt.start() if nxt else len(ctx.text), le + 1500))
    if not found:
        field = CHARTER_FIELD_RE.search(ctx.text, le, min(nxt.start() if nxt else len(ctx.text), le + 400))
        found = ("active", field.start(), field.end()) if field else ()
    ent = ctx.entities.get(sid_)
    if not found or ent is None:
        return
    status, a, b = found
    headed.add(sid_)
    if STATUS_PRIORITY.get(status, -1) >= STATUS_PRIORITY.get(ent.props.get("status", ""), -1):
        ent.props["status"] = status
    if ctx.ambito_id:
        ctx.relate(ctx.ambito_id, Rel.RUNS, sid_, a, b, key=(status, ctx.period_at(a)), status=status, period=ctx.period_at(a))


def _prune_mentioned(ctx: Ctx, headed: set[str] = frozenset()) -> None:
    """Drop "mentioned" RUNS where a cued one exists, and vocabulary services never named with a
    status cue (a passing mention or a list item is not a service the plan runs) - unless a section
    title or a table-of-contents entry names it: the text then describes it, status unknown."""
    cued = {(r.src, r.dst) for r in ctx.relations if r.type == Rel.RUNS and r.props.get("status") != "mentioned"}
    cued_services = {d for _, d in cued} | {i for i, e in ctx.entities.items() if e.label == Label.SERVICE and e.props.get("status")}
    owner = _owner(ctx)
    uncued = {i for i, e in ctx.entities.items() if e.label == Label.SERVICE and i.startswith(f"service:{owner}:")
              and e.props.get("type") != "progetto"}
    titled = title_lines(ctx)
    anaphora = None
    for sid_ in ctx.listed_only | uncued:
        ent = ctx.entities.get(sid_)
        if ent is not None and sid_ not in ctx.listed_only and (titled & set(ent.props.get("lines", [])) or sid_ in headed):
            # named in the document's title: what the text is about, even without a status; the text
            # may then speak of it as "il servizio" ("Il servizio ... dovrà garantire")
            if titled & set(ent.props.get("lines", [])) and not ent.props.get("status"):
                anaphora = _anaphoric_status(ctx) if anaphora is None else anaphora
                if anaphora:
                    ent.props["status"] = anaphora[0]
                    if ctx.ambito_id:
                        ctx.relate(ctx.ambito_id, Rel.RUNS, sid_, anaphora[1], anaphora[2], key=(anaphora[0], ctx.period),
                                   status=anaphora[0], period=ctx.period)
            continue
        if ent is not None and ent.label == Label.SERVICE and (sid_ in ctx.listed_only or sid_ not in cued_services):
            del ctx.entities[sid_]
            ctx.relations = [r for r in ctx.relations if sid_ not in (r.src, r.dst)]
    ctx.relations = [r for r in ctx.relations
                     if not (r.type == Rel.RUNS and r.props.get("status") == "mentioned" and (r.src, r.dst) in cued)]
