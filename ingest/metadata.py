"""Document metadata read from the text, each value with its evidence: title, kinds, period, Ambito."""

from __future__ import annotations

import re
from collections import Counter

from ingest.model import DocKind, Document, MetaValue

KIND_CUES: list[tuple[DocKind, re.Pattern[str]]] = [
    (DocKind.ACCORDO_DI_PROGRAMMA, re.compile(r"\baccordo\s+di\s+programma\b", re.I)),
    (DocKind.PIANO_DI_ZONA, re.compile(r"\bpian[oi]\s+(?:sociale\s+)?di\s+zona\b", re.I)),
    (DocKind.PRESENTAZIONE, re.compile(r"\b(?:tavolo\s+(?:tematico|disabilit|[a-zà-ù]+)|programmazione\s+giornata|slide|presentazione)\b", re.I)),
]
PERIOD = re.compile(r"\b(20[0-4]\d)\s*(?:[-–/]|\s+al\s+|\s+e\s+)\s*(20[0-4]\d|[0-4]\d)\b")
TRIENNIO = re.compile(r"\btrienni[oa]\s+(?:di\s+programmazione\s+)?(20[0-4]\d)\s*[-–/]\s*(20[0-4]\d|\d\d)\b", re.I)
AMBITO = re.compile(
    r"\b(?:Distretto\s+Sociale\s+[A-Z][\w'’ ]{2,40}?\s*[–-]\s*)?Ambito\s+(?:territoriale\s+)?(?:sociale\s+)?(?:di|del|dell[a'’])\s*"
    r"((?:[A-Z][\w'’.]+)(?:\s+(?:al|di|del|della|sul|sull'|[A-Z][\w'’.]+)){0,4})"
)


def _first_line_title(doc: Document) -> MetaValue | None:
    for m in re.finditer(r"[^\n\f]+", doc.raw_text[:4000]):
        line = m.group(0).strip().strip("#*").strip()
        if len(line) >= 8 and sum(c.isalpha() for c in line) >= 6:
            s = m.start() + m.group(0).find(line[:5])
            return MetaValue(value=line[:200], evidence=doc.provenance(s, s + len(line)))
    return None


def detect_kinds(doc: Document) -> list[MetaValue]:
    """Kinds of a document from cues in its text; a file may be an Accordo followed by its Piano.

    The Accordo kind needs the phrase near the top (it is the document itself, not a mention);
    the Piano kind needs several mentions or a title position.
    """
    text = doc.text
    head = text[:3000]
    found: list[MetaValue] = []
    accordo = KIND_CUES[0][1].search(head)
    if accordo:
        s, e = doc.raw_span(accordo.start(), accordo.end())
        found.append(MetaValue(value=DocKind.ACCORDO_DI_PROGRAMMA, evidence=doc.provenance(s, e)))
    piano = list(KIND_CUES[1][1].finditer(text))
    presentation = KIND_CUES[2][1].search(head)
    is_deck = presentation is not None and len(text) < 60000 and not accordo
    if piano and not is_deck and (len(piano) >= 5 or piano[0].start() < 3000):
        m = piano[0]
        if accordo:  # the Piano that follows an Accordo: point at its own title if there is one
            later = [p for p in piano if p.start() > len(text) * 0.05]
            m = later[0] if later else m
        s, e = doc.raw_span(m.start(), m.end())
        found.append(MetaValue(value=DocKind.PIANO_DI_ZONA, evidence=doc.provenance(s, e)))
    if is_deck:
        s, e = doc.raw_span(presentation.start(), presentation.end())
        found.append(MetaValue(value=DocKind.PRESENTAZIONE, evidence=doc.provenance(s, e)))
    if not found:
        found.append(MetaValue(value=DocKind.ALTRO))
    return found


def detect_period(doc: Document) -> MetaValue | None:
    """The three-year programming period the document is about: the most frequent span near the top."""
    text = doc.text
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    for rx in (TRIENNIO, PERIOD):
        for m in rx.finditer(text):
            a = int(m.group(1))
            b_raw = m.group(2)
            b = int(b_raw) if len(b_raw) == 4 else 2000 + int(b_raw)
            if b - a != 2:
                continue
            key = f"{a}-{b}"
            weight = 3 if m.start() < 5000 else 1
            counts[key] += weight
            first.setdefault(key, (m.start(), m.end()))
    if not counts:
        return None
    key, _ = counts.most_common(1)[0]
    s, e = doc.raw_span(*first[key])
    return MetaValue(value=key, evidence=doc.provenance(s, e))


def detect_ambito(doc: Document) -> MetaValue | None:
    """The Ambito named by the text (most frequent "Ambito di X"), with its first mention as evidence."""
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    for m in AMBITO.finditer(doc.text):
        name = re.sub(r"\s+", " ", m.group(1)).strip(" .,'’")
        if len(name) < 3 or name.lower() in {"intervento", "riferimento", "zona"}:
            continue
        counts[name] += 1
        first.setdefault(name, (m.start(), m.end()))
    if not counts:
        return None
    name, _ = counts.most_common(1)[0]
    s, e = doc.raw_span(*first[name])
    return MetaValue(value=name, evidence=doc.provenance(s, e))


def detect_metadata(doc: Document) -> Document:
    """Fill title, kinds, period and Ambito in place and return the document."""
    doc.title = _first_line_title(doc)
    doc.kinds = detect_kinds(doc)
    doc.period = detect_period(doc)
    doc.ambito = detect_ambito(doc)
    return doc
