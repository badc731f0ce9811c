"""Objectives of a plan with their macro-areas, policy areas and indicators (planned vs achieved values):
the (Ambito)-[:PURSUES]->(Objective)-[:MEASURED_BY]->(Indicator) part of the graph."""

from __future__ import annotations

import hashlib
import re

from ingest.entities_actors import _clean_offset
from ingest.entities_common import Ctx, clean_name, smart_title
from ingest.entities_services import _owner
from ontology.labels import Label, Rel
from ontology.vocab import fold, load_vocab, slug

__all__ = ["extract_objectives"]


VERBS = ("aumentare rafforzare garantire migliorare promuovere sviluppare favorire implementare potenziare ridurre "
         "sostenere consolidare incrementare avviare ridisegnare definire costruire sperimentare agevolare utilizzare")
VERB_RE = re.compile(r"^(?:" + "|".join(w.capitalize() for w in VERBS.split()) + r")\b")
LABELLED_RE = re.compile(
    r"^\W*(?:TITOLO OBIETTIVO\s*\t\s*|Obiettiv[oi]\s+(?:di sistema|strategic[oi]|specific[oi]|general[ei]|di intervento sociale|prioritari[oi])\s*\d*\s*[:.]\s*|Obiettivo\s+\d+\s*[.:)]\s*|SCHEDA PROGETTO\s*[:\-\u2013]\s*)(.{8,300})$",
    re.I,
)
SYSTEM_RE = re.compile(r"\((OBIETTIVO (?:DI SISTEMA \d+|SISTEMICO TRASVERSALE))\)", re.I)
ACHIEVED_RE = re.compile(r"(?:GRADO DI RAGGIUNGIMENTO[^\t\n%]*|[Vv]alore raggiunto\s*:?)\s*\t?\s*(\d{1,3}(?:[.,]\d+)?\s*%)")
PLANNED_RE = re.compile(r"valore atteso\s*:?\s*(\d{1,3}(?:[.,]\d+)?\s*%?)", re.I)
AREA_TABLE_RE = re.compile(r"^([A-L])\.\s[^\t\n]+\t\s*S[\u00ec\u00cci]\b", re.M)


def _macro_areas(ctx: Ctx, offset: int, title: str) -> list[str]:
    areas = load_vocab().matcher("areas_2021" if (ctx.period or "").startswith("2021") else "areas_2025")
    letters: list[str] = []
    for text in [title, *reversed(ctx.section_path(offset))]:
        for _, _, c in areas.finditer(text):
            if c.key not in letters:
                letters.append(c.key)
        if letters:
            break
    return letters


def _doc_tag(ctx: Ctx) -> str:
    return hashlib.sha1(ctx.doc.id.encode()).hexdigest()[:6]


def _policy_areas(ctx: Ctx, offset: int) -> list[str]:
    """Macro-areas ticked "Sì" in the area table that precedes an objective in its section."""
    raw = ctx.doc.raw_offset(offset)
    secs = [x for x in ctx.doc.sections if x.start <= raw < x.end and x.kind != "document"]
    if not secs:
        return []
    sec = max(secs, key=lambda x: x.level)
    text = ctx.doc.raw_text[sec.start:raw]
    return sorted(set(AREA_TABLE_RE.findall(text)))


def _objective(ctx: Ctx, title: str, s: int, e: int, **props) -> str:
    owner = _owner(ctx)
    title = clean_name(re.sub(r"</?p>", " ", title))
    # Objectives and indicators are owned by their document (not shared labels): the id says which
    oid = f"objective:{owner}:{_doc_tag(ctx)}:{slug(title)[:70]}"
    period = props.pop("period", None) or ctx.period_at(s)
    ctx.entity(oid, Label.OBJECTIVE, title, s, e, period=period, macro_areas=_macro_areas(ctx, s, title),
               policy_areas=_policy_areas(ctx, s), **props)
    if ctx.ambito_id:
        ctx.relate(ctx.ambito_id, Rel.PURSUES, oid, s, e, period=period)
    return oid


def extract_objectives(ctx: Ctx) -> None:
    """Objectives: labelled lines ("TITOLO OBIETTIVO", "Obiettivo di sistema: ...", "SCHEDA PROGETTO:"),
    objective sections with their description and degree of achievement, system objectives, and
    verb-first rows of objective tables; indicators planned/achieved linked by MEASURED_BY."""
    text = ctx.text
    last_obj: str | None = None
    near_objectives = -1
    pending_specific = False
    for ls, le, line in ctx.lines():
        stripped = re.sub(r"</?p>|\*\*", "", line).strip()
        low = fold(stripped)
        if "obiettiv" in low:
            near_objectives = ls
        if not stripped:
            continue
        if pending_specific:
            pending_specific = False
            last_obj = _objective(ctx, stripped, ls, le, kind="specifico")
            continue
        if re.match(r"^obiettivo specifico\s*:?$", low):
            pending_specific = True
            continue
        m = LABELLED_RE.match(stripped)
        if m:
            kind = "progetto" if "scheda" in low[:20] else "obiettivo"
            title = m.group(1).split("\t")[0]
            nxt = text[le + 1:text.find("\n", le + 1) if text.find("\n", le + 1) > 0 else len(text)]
            dm = re.match(r"\s*DESCRIZIONE(?: DELL')? OBIETTIVO\s*\t\s*(.+)", nxt)
            last_obj = _objective(ctx, title, ls, le, kind=kind, description=clean_name(dm.group(1))[:500] if dm else None)
            continue
        sm = SYSTEM_RE.search(stripped)
        if sm:
            before = clean_name(stripped[: sm.start()].lstrip("#"))
            prev = clean_name(text[: max(0, ls - 1)].rstrip().rsplit("\n", 1)[-1].lstrip("#"))
            if len(before) < 5:
                before = prev
            elif len(before) < 30 and prev.isupper() and before.isupper():
                before = prev + " " + before
            if before:
                last_obj = _objective(ctx, smart_title(before), ls, le, kind="di sistema", code=smart_title(sm.group(1)))
            continue
        am = ACHIEVED_RE.search(stripped)
        if am and last_obj:
            _indicator(ctx, last_obj, ls, le, achieved=am.group(1).replace(" ", ""))
            continue
        pm = PLANNED_RE.search(stripped)
        if pm and last_obj:
            _indicator(ctx, last_obj, ls, le, planned=pm.group(1).replace(" ", ""), label=stripped[:200])
            continue
        first_cell = stripped.split("\t")[0].strip()
        if (VERB_RE.match(first_cell) and 20 <= len(first_cell) <= 220 and near_objectives >= 0
                and ls - near_objectives < 6000 and not first_cell.endswith(":")):
            cells = [clean_name(re.sub(r"</?p>", " ", c)) for c in stripped.split("\t")]
            desc = cells[1][:500] if len(cells) > 1 and len(cells[1]) > 20 else None
            last_obj = _objective(ctx, first_cell, ls, le, kind="obiettivo", description=desc)
    for sec in ctx.doc.sections:
        if sec.kind != "objective":
            continue
        body = ctx.doc.raw_text[sec.start:sec.end]
        lines = [ln for ln in body.split("\n")[1:] if ln.strip()]
        if not lines:
            continue
        desc = clean_name(lines[0])
        off = body.find(lines[0])
        if not desc or "\t" in lines[0][:40]:
            continue
        cs = _clean_offset(ctx, sec.start + off)
        oid = _objective(ctx, desc[:300], cs, cs + len(lines[0]), kind="prioritario", code=sec.title, description=desc[:500])
        am = ACHIEVED_RE.search(body)
        if am:
            a_off = _clean_offset(ctx, sec.start + am.start())
            _indicator(ctx, oid, a_off, a_off + len(am.group(0)), achieved=am.group(1).replace(" ", ""))
    _indicator_lists(ctx)


def _indicator(ctx: Ctx, oid: str, s: int, e: int, *, planned: str | None = None, achieved: str | None = None,
               label: str | None = None) -> None:
    iid = f"indicator:{oid.split(':', 1)[1]}:{'a' if achieved else 'p'}:{s}"
    name = label or ("Grado di raggiungimento" if achieved else "Valore atteso")
    ctx.entity(iid, Label.INDICATOR, name, s, e, planned=planned, achieved=achieved, period=ctx.period_at(s))
    ctx.relate(oid, Rel.MEASURED_BY, iid, s, e)


def _indicator_lists(ctx: Ctx) -> None:
    """Numbered lists under "Indicatori previsti" / "Indicatori realizzati", paired by number."""
    mode = None
    planned: dict[tuple[int, int], tuple[str, int, int]] = {}
    block = 0
    last_obj = None
    for ls, le, line in ctx.lines():
        low = fold(line).strip(" #*")
        if low.startswith("indicatori previsti"):
            mode, block = "p", block + 1
            continue
        if low.startswith("indicatori realizzati"):
            mode = "a"
            continue
        if low.startswith("#") or (line.startswith("#") and mode):
            mode = None
        m = re.match(r"^\s*(\d{1,2})\.\s+(.{5,240})$", line)
        if not m or mode is None:
            continue
        n = int(m.group(1))
        if mode == "p":
            planned[(block, n)] = (clean_name(m.group(2)), ls, le)
        elif (block, n) in planned:
            p_text, ps, pe = planned[(block, n)]
            if last_obj is None:
                objs = [e for e in ctx.entities.values() if e.label == Label.OBJECTIVE and e.prov.start <= ctx.doc.raw_offset(ls)]
                last_obj = objs[-1].id if objs else None
            iid = f"indicator:{slug(ctx.doc.id)}:{block}:{n}"
            ctx.entity(iid, Label.INDICATOR, p_text[:200], ps, pe, planned=p_text, achieved=clean_name(m.group(2)),
                       achieved_line=ctx.doc.line_of(ctx.doc.raw_offset(ls)), period=ctx.period_at(ls))
            if last_obj:
                ctx.relate(last_obj, Rel.MEASURED_BY, iid, ls, le)
