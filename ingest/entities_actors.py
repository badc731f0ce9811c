"""Ambito identity, member comuni (ISTAT codes), ATS/ASST/Città Metropolitana, ente capofila and
signatories (person, role, organisation)."""

from __future__ import annotations

import re
from functools import lru_cache

from ingest import entities_places as places
from ingest.entities_ambito import AmbitoCand, ambito_key, choose, find_mentions
from ingest.entities_comuni import find_enumerations

from ingest.entities_common import NAME_STOP, ORG_CONNECTORS, Ctx, capitalised_run, clean_name, norm_key, smart_title
from ingest.resolve import acronym_matches, org_id
from ontology.labels import Label, Rel
from ontology.vocab import fold, slug
from ontology.vocab import load_vocab

def lookup_comune(name: str, region: str | None = None) -> tuple[str, str, str] | None:
    """(ISTAT code, official name, province) of a comune name, or None (ingest/entities_places.py;
    the region's comune first among homonyms; a comune suppressed by a merger gives its successor)."""
    rec = places.lookup_comune(name, region)
    if rec is not None and not rec.code:  # merged away: the comune that holds its territory now
        rec = next((r for recs in places.gazetteer().values() for r in recs if r.code == rec.successor), None)
    return (rec.code, rec.name, rec.province) if rec else None


def comune_prefix(text: str, start: int, end: int) -> tuple[int, str, str] | None:
    """The longest comune name that starts at ``start`` within [start, end): (end, code, name)."""
    words = list(re.finditer(r"[\w'\u2019.]+", text[start:end]))
    for n in range(min(5, len(words)), 0, -1):
        e = start + words[n - 1].end()
        hit = lookup_comune(text[start:e].rstrip("."))
        if hit:
            return e, hit[0], hit[1]
    return None


SIGNATORY_RE = re.compile(r",?\s*rappresentat[oaie]\s+(?:dal(?:la|lo|l')?|da)\s+", re.I)
TITLE_RE = re.compile(r"\b(?:[Dd]ott(?:\.ssa|\.|ssa)?|[Dd]r\.?|[Pp]rof(?:\.ssa|\.)?|[Aa]vv\.|[Ii]ng\.|[Ss]ig(?:\.ra|\.))\s+")
PERSON = (r"[A-Z][a-z\u00e0-\u00fa'\u2019]+(?:\s+(?:(?:di|de|del|della|da|De|Di|Da|Del|Dal)\s+)?"
          r"(?!(?:Coop|Cooperativa|Azienda|Comune|Fondazione|Associazione|Consorzio|Regione|Provincia)\b)[A-Z][a-z\u00e0-\u00fa'\u2019]+){1,2}")
PERSON_RE = re.compile(PERSON)
TITLED_PERSON_RE = re.compile(TITLE_RE.pattern + r"(" + PERSON + r")(?:\s+(?:della|del|di|dell')\s+)?")
CODE_RE = re.compile(r"[A-Z]{1,3}[ /]?\d{1,3}(?:\.\d{1,2})?|n\. \d{1,3}")  # an Ambito named by its code ("TA/2", "RM 4.1")
# the acronyms with or without dots, then the name: spaced, hyphenated ("ASST-Lecco") or quoted ("ASST “Papa Giovanni XXIII”")
# ASP is Sicily's and Calabria's Azienda Sanitaria Provinciale, but elsewhere an Azienda di Servizi alla Persona:
# it names a health agency only when the Ministry's list resolves the words after it ("ASP di Palermo")
# ASSL: the Aree Socio Sanitarie Locali of Sardinia's ATS (L.R. Sardegna 17/2016), the former ASL of each territory
AGENCY_ACRONYM = r"ATS|ASST|ASSL|ASL|A\.S\.L\.|A\.S\.S\.T\.|A\.T\.S\.|A\.U\.S\.L\.|AUSL|ULSS|ASP|A\.S\.P\.|Ats|Asst|Asl|Ausl|Ulss|Asp"
ATS_RE = re.compile(r"\b(" + AGENCY_ACRONYM + r")(?:\b|(?<=\.))(?:\s*\)|\s+(?=[A-Z(])|\s+(?=(?:(?:di|della|del)\s+|dell['\u2019]\s*)[A-Z])|/(?=[A-Z]{2})|\s+(?=\d{1,2}\s+(?:(?:di|della|del)\s+)?[A-Z])"
                    r"|\s+(?=(?:n\.|N\.|n\u00b0|nr\.)\s*\d{1,2}\b)|[-\u2013](?=[A-Z][a-z])|[ \t]*(?=[\"\u201c\u00ab][A-Z])"
                    # an ASL/AUSL/ULSS named by its number alone ("all'Asl 6,", "l'ULSS 5"): the number is its name, as
                    # the Unità Sanitarie Locali were numbered (L. 833/1978 art. 15); not an ATS, whose number names a
                    # Ligurian or Sardinian Ambito Territoriale Sociale ("ATS 1")
                    r"|(?:(?<=[Ll])|(?<=[Ss][Ss]))\s+(?=\d{1,2}\b(?![.,/]\d)))")
# An ASL written glued to its province's code and number ("ASLCN1", "AslTo3"): Piedmont's and Puglia's
# ASL are named by the province's sigla and a number (ASL CN1, ASL TO3, ASL BR1 in the Ministry's list)
GLUED_AGENCY_RE = re.compile(r"\b(?:ASL|AUSL|Asl|Ausl)(?=[A-Z][A-Za-z][ \t]?\d{1,2}\b)")
ATS_LONG_RE = re.compile(r"\b(?:Agenzia (?:di|per la) Tutela della Salute|Azienda Socio[\s-]?Sanitaria Territoriale|Azienda Sanitaria Locale"
                         r"|Azienda U\.?S\.?L\.?|Azienda ULSS"
                         # the health authorities of other regions' laws: Sicily's and Calabria's Aziende Sanitarie
                         # Provinciali, Friuli-Venezia Giulia's Aziende per l'Assistenza Sanitaria (L.R. FVG 17/2014),
                         # the Aziende Sanitarie Regionali / Universitarie, the Aziende Unità Sanitarie Locali
                         r"|Azienda Sanitaria (?:Provinciale|Regionale|Universitaria(?: Integrata)?)|Azienda per l['\u2019]Assistenza Sanitaria"
                         r"|Azienda Unit[\u00e0a] Sanitaria Locale"
                         # the Aree Socio(-)sanitarie Locali: Sardinia's ASSL (L.R. Sardegna 17/2016) and the former ASL of
                         # Liguria as areas of ATS Liguria since 2025, named by their number ("Area Sociosanitaria Locale 2")
                         r"|Area Socio[\s-]?[Ss]anitaria Locale)\s*(?:\((ATS|ASST|ASL)\))?", re.I)
# A health authority named by its number, with the territory it may quote: "Azienda Sanitaria Provinciale 4",
# "Azienda per l'Assistenza Sanitaria n. 3 "Alto Friuli, Collinare, Medio Friuli"", "Azienda Sanitaria Regionale U.S.L. N. 19"
NUMBERED_AGENCY = re.compile(r"[ \t]*(?:(?:U\.?S\.?L\.?|ULSS|ASL)[ \t]*)?(?:n\.|n\u00b0|nr\.|numero|N\.|N\u00b0)?[ \t]*\d{1,3}\b(?![.,/]\d)"
                             r"(?:[ \t]*[\"\u201c\u00ab][^\"\u201d\u00bb\n]{2,60}[\"\u201d\u00bb])?")
CM_RE = re.compile(r"\bCitt[\u00e0a] Metropolitana(?: di ([A-Z][a-z]+))?")
ORG_HEAD = r"(?:Azienda|Consorzio|Unione|Comunit[\u00e0a]|Fondazione|Cooperativa|Coop\.|Societ[\u00e0a]|Associazione|Comune)"
ORG_RE = re.compile(r"\b" + ORG_HEAD + r"\s+(?=[A-Z\u00c0-\u00dd]|(?:di|del|della|dei|per|sociale|speciale|consortile)\b)")
GENERIC_ORG_WORDS = frozenset("azienda speciale consortile sociale territoriale comune comunita consorzio unione fondazione "
                              "cooperativa coop societa associazione di del della dei e per".split())
ACRONYM_RE = re.compile(r"\s*[-\u2013(]\s*((?:[A-Z]\.?){2,}[A-Za-z]*\.?(?:[A-Z]\.)*)\)?")


def extract_ambito(ctx: Ctx) -> None:
    """The Ambiti a document names (ingest/entities_ambito.py): its own (from metadata), those it
    also covers with a membership list, and other Ambiti named after a comune (partners), each with
    every form the text uses as aliases; then the member comuni of each from the enumerations."""
    doc = ctx.doc
    enums = find_enumerations(ctx.text, doc.region)
    cands = choose(ctx.text, find_mentions(ctx.text, doc.region), enums)
    own = doc.ambito.value if doc.ambito else None
    if own:
        ctx.ambito_slug = slug(own)
        ctx.ambito_id = "ambito:" + ctx.ambito_slug
    by_cand: dict[str, str] = {}
    for c in cands:
        rec = places.lookup_comune(c.name, doc.region, strict=True)
        if c.scope == "own" and ctx.ambito_id:
            aid, name = ctx.ambito_id, own
        elif c.scope == "covered" or rec is not None:
            name = rec.name if rec else smart_title(c.name)
            aid = "ambito:" + slug(name)
        else:
            continue
        if aid == ctx.ambito_id and c.scope != "own":
            continue
        scope = "own" if aid == ctx.ambito_id else c.scope
        by_cand[c.key] = aid
        if CODE_RE.fullmatch(c.name) and norm_key(name) == norm_key(c.name):
            name = c.name  # a code keeps its capitals: "TA/2", not "Ta/2"
        shown = f"Ambito {name}" if CODE_RE.fullmatch(name) or name.startswith("n. ") else f"Ambito di {name}"  # "Ambito C03", "Ambito n. IV"
        m0 = c.mentions[0]
        ent = ctx.entity(aid, Label.AMBITO, shown, m0.start, m0.end, region=doc.region, scope=scope,
                         capoluogo_istat=rec.code if rec else None)
        ent.props["scope"] = "own" if scope == "own" else ent.props.get("scope", scope)
        for m in c.mentions:
            ctx.entity(aid, Label.AMBITO, smart_title(m.surface), m.start, m.end)
        for a in (name, c.name):
            if a and a not in ent.props["aliases"] and a != ent.name:
                ent.props["aliases"].append(a)
        ent.props["alias_keys"] = sorted({k for k in (ambito_key(a, doc.region) for a in [ent.name, *ent.props["aliases"]]) if k})
        if ctx.ambito_id and aid != ctx.ambito_id and scope == "mentioned":
            ctx.relate(ctx.ambito_id, Rel.PARTNER_OF, aid, m0.start, m0.end)
    _members(ctx, cands, enums, by_cand)
    _copula_members(ctx, cands, by_cand)


# A comune said to be one of the Ambito's by a copula: "Vallecrosia è il primo comune del comprensorio del
# nuovo Ambito Territoriale Sociale", "Imperia è uno dei comuni del Distretto", "X, che è comune dell'Ambito".
COPULA_MEMBER = re.compile(
    r"(?P<c>[A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]+|di|del|sul|al|in)){0,3})[ \t]*,?[ \t]+"
    r"(?:che[ \t]+)?(?:\u00e8|e'|\u00c8)[ \t]+(?:(?:il|l['\u2019]|un|uno|tra|fra|dei|degli|i|primo|ultimo|unico|solo|altro)[ \t]*)*"
    r"comun[ei][ \t]+(?:(?:del|dell['\u2019]|della)[ \t]*(?:comprensorio|territorio)[ \t]+)?(?:del|dell['\u2019]|della)[ \t]*"
    r"(?:(?:nuovo|nuova|attuale)[ \t]+)?$")


# A comune's joining as a noun, after the Ambito it joins: "l'ampliamento dell'Ambito Territoriale Sociale 28; dopo
# l'ingresso del Comune di Pontinvrea", "con l'adesione del Comune di X" (the nouns of the verbs entrare, aderire).
NOMINAL_JOIN = re.compile(r"(?i)\b(?:ingresso|adesione|entrata)\s+(?:del|dei)\s+comun[ei]\s+di\s+(?=[A-Z\u00c0-\u00dd])")


def _copula_members(ctx: Ctx, cands: list[AmbitoCand], by_cand: dict[str, str]) -> None:
    """MEMBER_OF for a comune a copula puts in an Ambito the text describes (see COPULA_MEMBER), and for a
    comune whose joining (NOMINAL_JOIN) follows the Ambito's name in the same paragraph."""
    for c in cands:
        aid = by_cand.get(c.key)
        if not aid:
            continue
        for mm in c.mentions:
            m = COPULA_MEMBER.search(ctx.text, max(0, mm.start - 200), mm.start)
            if m:
                _member_at(ctx, aid, m.start("c"), m.end("c"), "copula")
            for j in NOMINAL_JOIN.finditer(ctx.text, mm.end, min(len(ctx.text), mm.end + 250)):
                if "\n\n" in ctx.text[mm.end:j.start()] or EXIT_WORDS.search(ctx.text, max(mm.end, j.start() - 40), j.start()):
                    break
                _, end = capitalised_run(ctx.text, j.end(), max_tokens=4)
                _member_at(ctx, aid, j.end(), end, "joining")


EXIT_WORDS = re.compile(r"(?i)\b(?:recess\w*|uscit\w*|esclus\w*|mancat\w*|respint\w*|rinvi\w*)\b")


def _member_at(ctx: Ctx, aid: str, s: int, e: int, source: str) -> None:
    """The comune named within [s, e) (its longest name ending at e, else starting at s) joins ``aid``."""
    hit, at = None, s
    for w in re.finditer(r"[A-Z\u00c0-\u00dd]", ctx.text[s:e]):
        h = comune_prefix(ctx.text, s + w.start(), e)
        if h and (h[0] == e or source != "copula"):
            hit, at = h, s + w.start()
            break
    if hit is None:
        return
    cid = _add_comune(ctx, hit[1], hit[2], at, hit[0], member=False)
    if aid == ctx.ambito_id:
        ctx.member_comuni.add(cid)
    ctx.relate(cid, Rel.MEMBER_OF, aid, at, hit[0], period=ctx.period, source=source)


def _members(ctx: Ctx, cands: list[AmbitoCand], enums: list, by_cand: dict[str, str]) -> None:
    """MEMBER_OF for the comuni of every membership enumeration: to the Ambito the list is attached
    to, else to the own Ambito; without an Ambito the comuni are kept with ``listed_as_member``.
    A stated number of comuni ("i sette Comuni") is checked against the list."""
    owner_of: dict[int, str] = {}
    for c in cands:
        for en in c.enumerations:
            if c.key in by_cand:
                owner_of[id(en)] = by_cand[c.key]
    listed: dict[str, set[str]] = {}
    for en in enums:
        if not en.member:
            continue
        if "owner" in en.extra and id(en) not in owner_of:
            continue  # the list belongs to another Ambito the document does not describe
        if "ente" in en.extra and id(en) not in owner_of:
            continue  # the comuni of another ente (a union, a health agency, a park): its territory, not an Ambito's
        aid = owner_of.get(id(en), ctx.ambito_id)
        if (not aid and len(en.items) == 2 and en.count_stated is None
                and re.fullmatch(r"\s+(?:e|ed)\s+(?:di\s+)?", ctx.text[en.items[0].end:en.items[1].start])):
            continue  # "i comuni di Lacco Ameno e di Casamicciola Terme possono ...": with no Ambito, a pair in prose is a mention
        for it in en.items:
            cid = _add_comune(ctx, it.rec.code, it.rec.name, it.start, it.end, member=False, successor=it.rec.successor)
            if it.surface != it.rec.name:
                ctx.entity(cid, Label.COMUNE, it.surface, it.start, it.end)
            if aid:
                if aid == ctx.ambito_id:
                    ctx.member_comuni.add(cid)
                ctx.relate(cid, Rel.MEMBER_OF, aid, it.start, it.end, period=ctx.period, source="enumeration")
                listed.setdefault(aid, set()).add(cid)
            else:
                ctx.entities[cid].props["listed_as_member"] = True
        if aid and en.count_stated is not None and aid in ctx.entities:
            props = ctx.entities[aid].props
            props.setdefault("comuni_count_stated", en.count_stated)
    for aid, members in listed.items():
        props = ctx.entities[aid].props
        props["comuni_count_listed"] = len(members)
        if "comuni_count_stated" in props:
            props["comuni_count_matches"] = props["comuni_count_stated"] == len(members)


def _clean_offset(ctx: Ctx, raw: int) -> int:
    """Approximate clean offset of a raw offset (exact where no repair precedes it)."""
    shift = 0
    for e in ctx.doc.edits:
        if e.start >= raw:
            break
        shift += len(e.text) - (e.end - e.start)
    return max(0, raw + shift)


def _add_comune(ctx: Ctx, code: str, official: str, start: int, end: int, *, member: bool,
                successor: str | None = None) -> str:
    if not code and successor:
        # a comune merged away ("Felonica", now in "Sermide e Felonica"): its territory is the successor's
        succ = next((r for recs in places.gazetteer().values() for r in recs if r.code == successor), None)
        cid = f"comune:{successor}"
        ent = ctx.entity(cid, Label.COMUNE, succ.name if succ else official, start, end, istat=successor)
        ctx.entity(cid, Label.COMUNE, official, start, end)
        hist = ent.props.setdefault("historical_names", [])
        if official not in hist:
            hist.append(official)
        return cid
    cid = f"comune:{code}"
    ctx.entity(cid, Label.COMUNE, official, start, end, istat=code)
    if member and ctx.ambito_id:
        ctx.member_comuni.add(cid)
        ctx.relate(cid, Rel.MEMBER_OF, ctx.ambito_id, start, end, period=ctx.period)
    return cid


def person_id(ctx: Ctx, name: str) -> str:
    """A person's id, scoped to the document's Ambito: two people of the same name in different
    Ambiti are different nodes (resolution may still fold them, with a reason)."""
    return f"person:{ctx.ambito_slug}:{slug(name)}"


def extract_signatories(ctx: Ctx) -> None:
    """Lines such as "- Carpiano, rappresentata dal Sindaco **Paolo Branca**": the organisation (a
    comune with its ISTAT code, or an ATS/ASST/other body), the person, and the role."""
    text = ctx.text
    for m in SIGNATORY_RE.finditer(text):
        ls, le = ctx.line_bounds(m.start())
        subject = text[ls:m.start()]
        subject = re.sub(r"^[\s\-*\u2022\u25aa\u2013]+", "", subject)
        subject = re.sub(r"^(?:[Ll][ae]?\s*'|[Ll]a\s+|[Ii]l\s+|[Ll]o\s+)", "", subject).strip()
        s_off = ls + text[ls:m.start()].find(subject) if subject else m.start()
        tail = text[m.end():le]
        person, role = _person_and_role(tail)
        org = None
        hit = lookup_comune(re.sub(r"^Comune di\s+", "", subject, flags=re.I))
        if hit:
            org = _add_comune(ctx, hit[0], hit[1], s_off, m.end(), member=True)
        else:
            org = _org_from_phrase(ctx, subject, s_off)
        if org is None:
            continue
        ctx.relate(ctx.doc.id, Rel.SIGNATORY, org, s_off, le, role="signatory")
        if person:
            pname, p_rel = person
            pid = person_id(ctx, pname)
            ps = m.end() + p_rel
            ctx.entity(pid, Label.PERSON, pname, ps, ps + len(pname), role=role, organization=org)
            ctx.relate(pid, Rel.HOLDS_POST, org, s_off, le, role=role, period=ctx.period)
            ctx.relate(ctx.doc.id, Rel.SIGNATORY, pid, s_off, le, role=role, on_behalf_of=org)


def _person_and_role(tail: str) -> tuple[tuple[str, int] | None, str | None]:
    bold = re.search(r"\*\*([^*]{3,60})\*\*", tail)
    if bold:
        inner = TITLE_RE.sub("", bold.group(1)).strip()
        pm = PERSON_RE.search(inner)
        if pm:
            name = pm.group(0)
            role = clean_name(TITLE_RE.sub("", tail[: bold.start()]))
            return (name, tail.find(name)), smart_title(role) or None
    tm = TITLED_PERSON_RE.search(tail)
    if tm:
        return (tm.group(1), tm.start(1)), smart_title(clean_name(tail[: tm.start()])) or None
    pm = re.search(r"(?:Sindac[oa]|Presidente|Direttore(?: Generale)?|Assessore)\s+(" + PERSON + ")", tail)
    if pm:
        return (pm.group(1), pm.start(1)), smart_title(clean_name(tail[: pm.start(1)]))
    return None, smart_title(clean_name(tail)) or None


def _org_from_phrase(ctx: Ctx, phrase: str, start: int) -> str | None:
    m = ATS_LONG_RE.search(phrase) or ATS_RE.search(phrase)
    if m:
        return _health_agency(ctx, start + m.start(), phrase_end=start + len(phrase))
    cm = CM_RE.search(phrase)
    if cm:
        return _citta_metropolitana(ctx, start + cm.start(), start + cm.end(), cm.group(1))
    om = ORG_RE.search(phrase)
    if om:
        return _organisation(ctx, start + om.start())
    return None


def _kind_of(word: str) -> str:
    w = re.sub(r"[^a-z]", "", fold(word))
    if w.startswith(("asst", "aziendasocio")):
        return "asst"
    if w.startswith(("ats", "agenzia")):
        return "ats"
    return "asl"


def _health_agency(ctx: Ctx, pos: int, phrase_end: int | None = None) -> str | None:
    """An ATS, ASST or ASL named at ``pos`` ("ATS della Città Metropolitana di Milano", "ATS
    Valpadana", "Azienda Socio Sanitaria Territoriale (ASST) Melegnano - Martesana", "ASL Caserta"),
    resolved to the Ministry's record (ontology/health_agencies.json) whatever the spelling; a name
    the list lacks is kept as written, with its territory words."""
    text = ctx.text
    lm = ATS_LONG_RE.match(text, pos)
    if lm:
        kind = _kind_of(lm.group(1) or lm.group(0))
        rest = lm.end()
    else:
        sm = re.match(r"(" + AGENCY_ACRONYM + r")(?:[-\u2013/](?=[A-Z])|\s*)[\"\u201c\u00ab]?", text[pos:])
        if not sm:
            return None
        kind, rest = _kind_of(sm.group(1)), pos + sm.end()
    rm = re.match(r"\s*(?:\((?:ATS|ASST|ASL)\)\s*)?", text[rest:])
    rest += rm.end() if rm else 0
    line_end = text.find("\n", rest)
    line_end = len(text) if line_end < 0 else line_end
    limit = min(line_end, phrase_end if phrase_end is not None else line_end, rest + 90)
    got = places.resolve_agency(kind, text[rest:limit], ctx.doc.region)
    if not got and kind == "asl" and (num_of := re.match(r"(?:n\.\s*)?\d{1,2}\s+(?=(?:di|della|del)\s+[A-Z]|[A-Z])", text[rest:limit])):
        # "ASP 7 di Ragusa", "ASL 3 Genovese": the number before the territory the Ministry's list names
        got = places.resolve_agency(kind, text[rest + num_of.end():limit], ctx.doc.region)
        if got:
            got = (got[0], got[1] + len(re.findall(r"[\w']+", num_of.group(0))))
    if not lm and re.sub(r"[^a-z]", "", fold(sm.group(1))) == "asp" and not (got and got[0].official.upper().startswith("ASP")):
        return None  # an ASP the Ministry's list of ASP does not resolve: an Azienda di Servizi alla Persona, not a health agency
    coded = re.match(r"([A-Z]{2})[ \t]+(?=\d{1,2}\b)", text[rest:limit]) if kind == "asl" and not got else None
    if coded and coded.group(1) in (seats := places.capoluoghi()):
        # "ASL NA 2 Nord": the province's sigla for its capoluogo before the number ("ASL Napoli 2 Nord")
        cap = seats[coded.group(1)][0]
        if (sub := places.resolve_agency(kind, cap + " " + text[rest + coded.end():limit], ctx.doc.region)) and sub[1] > len(cap.split()):
            words = list(re.finditer(r"[\w']+|[-\u2013]", text[rest + coded.end():limit]))
            got = (sub[0], 1 + sub[1] - len(cap.split())) if sub[1] - len(cap.split()) <= len(words) else None
    numbered = re.match(r"([A-Z]{2})/?\d{1,2}\b", text[rest:limit]) if kind == "asl" and not got else None
    if numbered and (got := places.resolve_agency(kind, numbered.group(1), ctx.doc.region)):
        # "ASL/BR1", "AUSL BR1": the province's ASL under its old number, written as it is
        ag = got[0]
        oid = org_id(ag.name, kind=ag.kind)
        ctx.entity(oid, Label.ORGANIZATION, ag.name, pos, rest + numbered.end(), kind=ag.kind, code_minsal=ag.code,
                   official_name=ag.official, region=ag.region)
        ctx.entity(oid, Label.ORGANIZATION, clean_name(text[pos:rest + numbered.end()]), pos, rest + numbered.end())
        return oid
    if got:
        ag, n = got
        words = list(re.finditer(r"[\w']+|[-\u2013]", text[rest:limit]))
        end = rest + words[n - 1].end() if n <= len(words) else limit
        if ag.kind == "asl" and (glued := re.match(r"/?\d{1,2}\b", text[end:limit])):
            end += glued.end()  # "ASL/BR1", "AUSL BR/1": a numbered predecessor of the province's ASL, written as it is
        oid = org_id(ag.name, kind=ag.kind)
        ctx.entity(oid, Label.ORGANIZATION, ag.name, pos, end, kind=ag.kind, code_minsal=ag.code, official_name=ag.official,
                   region=ag.region, historical=True if ag.historical else None, successor_code=ag.successor, ats_code=ag.ats)
        ctx.entity(oid, Label.ORGANIZATION, clean_name(text[pos:end]), pos, end)
        return oid
    if kind == "asl":
        # the long form, or an ASL/AUSL/ULSS acronym, with its number ("Azienda ULSS 5", "Asl 6"); never ASP
        num = NUMBERED_AGENCY.match(text, rest, limit) if lm or fold(sm.group(1)).replace(".", "") in {"asl", "ausl", "ulss"} else None
        if num is not None and not lm and re.match(r"[ \t]+[A-Z\u00c0-\u00dd]", text[num.end():]):
            num = None  # "ASL 15 O Neuropsichiatria": a page number in an index, or a territory the Ministry's list lacks
        if num is None:
            return None  # an ASL outside the Ministry's list and the historical ones: too vague to keep
        # a numbered authority is one, though the Ministry's current list names it otherwise (or no longer):
        # kept as written
        name = clean_name(re.sub(r"\s+", " ", text[pos:num.end()]))
        oid = org_id(name, kind="asl")
        ctx.entity(oid, Label.ORGANIZATION, name, pos, num.end(), kind="asl", region=ctx.doc.region)
        return oid
    rm = re.match(r"(?:(?:della|di|dell'|del)\s+)?", text[rest:])
    name_start = rest + (rm.end() if rm else 0)
    _, end = capitalised_run(text, name_start, max_tokens=7)
    if phrase_end is not None:
        end = min(end, max(phrase_end, name_start))
    end = _territorial_prefix(text, name_start, end)
    tail = clean_name(text[name_start:end])
    first = norm_key(tail).split()[:1]
    if not tail or not first or first[0] in NAME_STOP or first[0] in {"ats", "asst", "entrate", "uscite", "totale"}:
        return None
    name = f"{kind.upper()} {tail}"
    oid = org_id(name, kind=kind)
    ctx.entity(oid, Label.ORGANIZATION, name, pos, end, kind=kind)
    return oid


@lru_cache(maxsize=1)
def _territory_words() -> frozenset[str]:

    words = {w for k, recs in places.gazetteer().items() if any(r.region == "lombardia" for r in recs)
             for w in k.split() if w not in NAME_STOP}
    words |= {norm_key(a) for a in load_vocab().concept("orgs", "territory_words").alt}
    return frozenset(words)


def _territorial_prefix(text: str, start: int, end: int) -> int:
    """End of the longest run of words after ATS/ASST that can name a territory (comune names and the
    vocabulary's territory words, joined by prepositions or dashes)."""
    words = _territory_words()
    last = start
    for m in re.finditer(r"[\w'\u2019.]+|[-\u2013]", text[start:end]):
        w = norm_key(m.group(0))
        if not w or w in {"di", "della", "del", "dell", "de"}:
            continue
        if w not in words:
            break
        last = start + m.end()
    return last


def _citta_metropolitana(ctx: Ctx, start: int, end: int, city: str | None) -> str | None:
    if not city:
        return None
    name = f"Città Metropolitana di {city}"
    oid = org_id(name, kind="citta_metropolitana")
    ctx.entity(oid, Label.ORGANIZATION, name, start, end, kind="citta_metropolitana")
    return oid


def _organisation(ctx: Ctx, pos: int) -> str | None:
    """A named organisation at ``pos`` (Azienda/Consorzio/Comune ...), with its acronym when the
    text gives one right after it ("Azienda Sociale Sud Est Milano – A.S.S.E.MI.")."""
    text = ctx.text
    head = re.match(ORG_HEAD + r"\s+", text[pos:])
    if not head:
        return None
    _, end = capitalised_run(text, pos, max_tokens=10, connectors=ORG_CONNECTORS)
    # a lower-case qualifier run: "Azienda Speciale Consortile", "Azienda sociale ..."
    while True:
        q = re.match(r"\s+(speciale|consortile|sociale|territoriale)\b", text[end:], re.I)
        if not q:
            break
        end += q.end()
        _, end = capitalised_run(text, end, max_tokens=6) if text[end:end + 1] == " " else (end, end)
    quoted = re.match(r"[ \t]*[\u201c\"\u00ab]([A-Z\u00c0-\u00dd][^\u201d\"\u00bb\n]{1,60})[\u201d\"\u00bb]", text[end:])
    if quoted:  # a quoted proper name completes the head: Azienda Speciale Consortile "Oglio Po"
        end += quoted.end()
    cut = re.search(r" *[-\u2013] *((?:[A-Z]\.?){2,}[A-Za-z.]*)$", text[pos:end])
    if cut:
        end = pos + cut.start()
    name = clean_name(text[pos:end])
    if len(name.split()) < 2 or set(norm_key(name).split()) <= GENERIC_ORG_WORDS:
        return None
    if name.lower().startswith("comune di"):
        hit = lookup_comune(name[10:])
        if hit:
            return _add_comune(ctx, hit[0], hit[1], pos, end, member=False)
        return None
    acr = ACRONYM_RE.match(text, end)
    acronym = None
    if acr and acronym_matches(acr.group(1), name):
        acronym = acr.group(1)
        end = acr.end()
    oid = org_id(name)
    kind = "azienda_speciale_consortile" if "consortil" in fold(text[pos:end + 80]) else None
    ctx.entity(oid, Label.ORGANIZATION, name, pos, end, kind=kind, acronym=acronym)
    if acronym:
        ctx.entities[oid].props.setdefault("aliases", [])
        if acronym not in ctx.entities[oid].props["aliases"]:
            ctx.entities[oid].props["aliases"].append(acronym)
    return oid


def extract_health_agencies(ctx: Ctx) -> None:
    """Every named ATS, ASST and Città Metropolitana; the first ones linked to the Ambito."""
    long_spans = [(m.start(), m.end()) for m in ATS_LONG_RE.finditer(ctx.text)]
    for rx in (ATS_LONG_RE, ATS_RE, GLUED_AGENCY_RE):
        for m in rx.finditer(ctx.text):
            if rx is not ATS_LONG_RE and any(a < m.start() < b for a, b in long_spans):
                continue  # the acronym inside a long form already read ("Azienda ULSS n. 20")
            oid = _health_agency(ctx, m.start())
            if oid and ctx.ambito_id:
                kind = ctx.entities[oid].props.get("kind")
                ctx.relate(ctx.ambito_id, Rel.PARTNER_OF, oid, m.start(), m.end(), key=(kind,), role=kind)
    for m in CM_RE.finditer(ctx.text):
        before = ctx.folded[max(0, m.start() - 12):m.start()]
        if "ats" in before:
            continue
        _citta_metropolitana(ctx, m.start(), m.end(), m.group(1))


CAPOFILA_RE = re.compile(r"\b[Ee]nte\s+[Cc]apofila|\bENTE CAPOFILA\b|\bcapofila\b")


CAPOFILA_COMUNE_RE = re.compile(
    r"(?i:\bcomune\s+di)\s+(?P<a>[A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]+|di|del|sul|al|in)){0,3})"
    r"|(?P<b>[A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+[A-Z\u00c0-\u00dd][\w'\u2019]+){0,2})[ \t]*\((?i:capofila)\)"
    r"|(?i:capofila)[ \t]*(?:[:\-\u2013]|(?i:(?:che[ \t]+)?(?:\u00e8|e'|sar\u00e0|resta|rimane)))?[ \t]*(?:(?i:(?:il[ \t]+)?comune[ \t]+di|quell[oa][ \t]+di)[ \t]+)?(?P<c>[A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]+|di|del|sul|al)){0,3})"
    # ("Comune capofila è quello di X": the pronoun stands for the comune)
    # the comune said to be it: "l'ambito n. 8, di cui Foligno è capofila", "Lecco è il comune capofila"
    r"|(?P<e>[A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]+|di|del|sul|al)){0,3})[ \t]+(?:\u00e8|e')[ \t]+(?:(?i:il|l['\u2019])[ \t]*)?(?i:(?:comune|ente)[ \t]+)?(?i:capofila)\b"
    # the comune in apposition: "di CORIGLIANO ROSSANO, comune capofila dei due ambiti", "Imperia, Comune capofila"
    r"|(?P<d>[A-Z\u00c0-\u00dd][\w'\u2019]+(?:[ \t]+(?:[A-Z\u00c0-\u00dd][\w'\u2019]+|di|del|sul|al)){0,3})[ \t]*,[ \t]*(?i:(?:il[ \t]+|l['\u2019][ \t]*)?(?:comune|ente)[ \t]+capofila)\b")


def _capofila_member(ctx: Ctx, s: int, e: int, pos: int) -> None:
    """The comune that is capofila of the Ambito is one of its comuni (L.R. Lombardia 3/2008 art. 18 c. 6:
    the Ambito's comuni name their ente capofila among themselves): when the text lists the Ambito's
    members ("Capofila è il comune di Putignano. Vi fanno parte anche i comuni di ...", "Comuni di
    Lentini (Capofila) ..."), the capofila comune named nearest to the word joins them; a text that lists
    none still has that one member ("Comune Capofila Acerra")."""
    best = None
    for m in CAPOFILA_COMUNE_RE.finditer(ctx.text, s, e):
        g = next(x for x in "abcde" if m.group(x))
        if g == "b" and not re.search(r"(?:^|[,:;(\n]|(?i:\bcomuni\s+di))\s*$", ctx.text[max(s, m.start() - 12):m.start()]):
            continue  # "ACLI Provincia di Mantova (capofila)": the capofila of something else
        hit = comune_prefix(ctx.text, m.start(g), m.end(g))
        if hit and (best is None or abs(m.start() - pos) < abs(best[0] - pos)):
            best = (m.start(), hit, m.start(g), m.group(g))
    own = ctx.entities.get(ctx.ambito_id)
    code = own.props.get("capoluogo_istat") if own is not None else None
    if best is None and code and re.search(r"(?i)\boltre\s+(?:al|il)\s+(?:comune\s+)?capofila", ctx.text[s:e]):
        # "L'Ambito di Rho, che comprende, oltre al Comune capofila, i Comuni di ...": the comune the
        # Ambito is named after, the only one the sentence names besides the list, is the capofila
        rec = next((r for recs in places.gazetteer().values() for r in recs if r.code == code), None)
        at = ctx.folded.find(fold(rec.name), s, e) if rec is not None else -1
        if at >= 0:
            best = (at, (at + len(rec.name), rec.code, rec.name), at, rec.name)
    if best is None:
        return
    _, (end, code, official), start, _ = best
    cid = _add_comune(ctx, code, official, start, end, member=False)
    if cid not in ctx.member_comuni:
        ctx.member_comuni.add(cid)
        ctx.relate(cid, Rel.MEMBER_OF, ctx.ambito_id, start, end, period=ctx.period, source="capofila")


def extract_capofila(ctx: Ctx) -> None:
    """The ente capofila of the Ambito: an organisation named in the same sentence as "Ente capofila"
    (project capofila - "capofila per il ...", "del progetto" - are left out)."""
    if not ctx.ambito_id:
        return
    for m in re.finditer(r"(?i)\bcapofila\b", ctx.text):
        s, e = ctx.sentence_bounds(m.start())
        after = ctx.folded[m.end():m.end() + 40]
        if "progett" not in ctx.folded[s:e] and "partner" not in ctx.folded[s:e] and not re.match(r"\s*(?:per|del|della|dei|delle)\s+(?!(?:\w+\s+){0,2}?(?:ambit|distrett|piano|zona))", after):
            _capofila_member(ctx, s, e, m.start())
    for m in CAPOFILA_RE.finditer(ctx.text):
        s, e = ctx.sentence_bounds(m.start())
        sentence = ctx.folded[s:e]
        after = ctx.folded[m.end():m.end() + 40]
        if re.match(r"\s*(?:per|del progetto|di progetto|dei progetti)\b", after) or "progett" in sentence or " rete " in sentence:
            continue
        best = None
        for om in ORG_RE.finditer(ctx.text, s, e):
            best = om.start()
            break
        if best is None:
            continue
        oid = _organisation(ctx, best)
        if oid is None or oid.startswith("comune:") and oid in ctx.member_comuni and "capofila" not in sentence:
            continue
        since = re.search(r"\bdal\s+(19\d\d|20\d\d)\b", ctx.text[s:e])
        ctx.relate(oid, Rel.CAPOFILA_OF, ctx.ambito_id, s, e, key=(ctx.period,), period=ctx.period,
                   role="ente_capofila", since=since.group(1) if since else None)
        if since:  # a later sentence may date the role ("assume dal 2009 la funzione di Ente capofila")
            for r in ctx.relations:
                if r.type == Rel.CAPOFILA_OF and r.src == oid and "since" not in r.props:
                    r.props["since"] = since.group(1)


def extract_people(ctx: Ctx) -> None:
    """Titled people ("dott. Walter Bergamaschi", "dr. Massimo Conte della Coop. Codici di Milano")
    and signature lines of people already known ("Sindaco Paolo Branca")."""
    text = ctx.text
    for m in TITLED_PERSON_RE.finditer(text):
        name = m.group(1)
        pid = person_id(ctx, name)
        ls, le = ctx.line_bounds(m.start())
        ctx.entity(pid, Label.PERSON, name, m.start(1), m.end(1))
        om = ORG_RE.match(text, m.end()) if m.end() < le else None
        if om:
            oid = _organisation(ctx, om.start())
            if oid:
                ctx.relate(pid, Rel.HOLDS_POST, oid, m.start(), le, role=None, period=ctx.period)
    known = {e.name: e.id for e in ctx.entities.values() if e.label == Label.PERSON}
    for name, pid in known.items():
        for m in re.finditer(re.escape(name), text):
            ctx.entity(pid, Label.PERSON, name, m.start(), m.end())


COMUNE_OF_RE = re.compile(r"\b[Cc]omun[ei] di\s+(?=[A-Z])")
PLACE_LIST_RE = re.compile(r"([A-Z][\w'\u2019]*(?: (?:[A-Z][\w'\u2019]*|al|di|sul|in|d'))*)((?:\s*,\s*|\s+e\s+)(?=[A-Z]))?")


def extract_comuni_mentions(ctx: Ctx) -> None:
    """Comuni named as "Comune di X" and lists of three or more comuni ("Mediglia, Paullo e Tribiano"),
    with their ISTAT codes (not members of the Ambito unless a signatory line says so)."""
    text = ctx.text
    for m in COMUNE_OF_RE.finditer(text):
        _, end = capitalised_run(text, m.end(), max_tokens=5)
        pre = comune_prefix(text, m.end(), end)
        if pre:
            _add_comune(ctx, pre[1], pre[2], m.start(), pre[0], member=False)
    for ls, le, line in ctx.lines():
        if line.count(",") + line.count(" e ") < 2:
            continue
        run: list[tuple[int, int, str, str]] = []
        for pm in PLACE_LIST_RE.finditer(line):
            pre = comune_prefix(line, pm.start(1), pm.end(1))
            if pre and pre[0] == pm.end(1):
                run.append((ls + pm.start(1), ls + pre[0], pre[1], pre[2]))
                if pm.group(2):
                    continue
            elif pre is None and run and len(run) < 3:
                run = []
                continue
            if len(run) >= 3:
                for s, e, code, name in run:
                    _add_comune(ctx, code, name, s, e, member=False)
            run = []
