"""Shared machinery of the entity extractors: the extraction context, evidence, names, periods.

Extractors read the repaired text (``doc.text``) and its folded twin (same offsets), and record
facts through ``Ctx.entity`` / ``Ctx.relate``; both take CLEAN offsets and store RAW evidence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from ingest.layout import FUNCTION_WORDS
from ingest.model import Document
from ontology.model import Entity, Provenance, Relation
from ontology.vocab import fold, slug, words_key

# A sentence ends at . ; ! ? before a space, but not after an abbreviation ("L. 112/2016",
# "n. 3", "art. 18", "D.Lgs.", "Dott.", a single capital) - a general rule of Italian typography.
SENT_END = re.compile(
    r"(?<![A-Za-z]\.[A-Za-z])(?<!\b[A-Za-z])(?<!\bnn)(?<!\bart)(?<!\bartt)(?<!\bcomma)(?<!\blett)(?<!\bpag)(?<!\becc)(?<!\bes)"
    r"(?<!\b[Dd]ott)(?<!\b[Ss]ig)(?<!\b[Pp]rof)(?<!\b[Aa]vv)(?<!\b[Ll]gs)(?<!\bco)(?<!\bvs)(?<!\bpp)[.;!?](?=\s)|[;!?](?=\s)"
)
YEAR_RANGE = re.compile(r"\b(20[0-4]\d)\s*(?:[-\u2013/]|al|e)\s*(20[0-4]\d|[0-4]\d)\b")
SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[A-Z\"\u201c*-])|\n\s*\n")

# Words that start capitalised phrases but are never part of a proper name: the function words.
NAME_STOP = FUNCTION_WORDS
CONNECTORS = frozenset("di del della dello dei degli delle dell d al de da sul".split())


@dataclass
class Ctx:
    """Per-document extraction state: texts, line index, ambito identity, and the facts found."""

    doc: Document
    text: str = ""
    folded: str = ""
    ambito_id: str | None = None
    ambito_slug: str = "unknown"
    period: str | None = None
    member_comuni: set[str] = field(default_factory=set)
    listed_only: set[str] = field(default_factory=set)
    slides: bool = False
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    _rel_keys: set[tuple] = field(default_factory=set)
    _line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = self.doc.text
        self.folded = fold(self.text)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.period = self.doc.period.value if self.doc.period else None
        lengths = sorted(len(x.strip()) for x in self.text.split("\n") if x.strip())
        # a slide deck: short lines, statements split across lines and headings
        self.slides = len(lengths) >= 10 and lengths[len(lengths) // 2] < 60

    # -- positions ----------------------------------------------------------------------
    def line_bounds(self, offset: int) -> tuple[int, int]:
        """Clean-text bounds of the line that holds ``offset``."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[max(i, 0)]
        end = self._line_starts[i + 1] - 1 if i + 1 < len(self._line_starts) else len(self.text)
        return start, end

    def lines(self):
        """Yield (start, end, line) over the clean text."""
        for i, s in enumerate(self._line_starts):
            e = self._line_starts[i + 1] - 1 if i + 1 < len(self._line_starts) else len(self.text)
            yield s, e, self.text[s:e]

    def sentence_bounds(self, offset: int, limit: int = 400) -> tuple[int, int]:
        """Bounds of the sentence around ``offset`` (never beyond its line, at most ``limit`` chars)."""
        ls, le = self._wrapped_line(offset, limit)
        s = max(ls, offset - limit)
        for m in SENT_END.finditer(self.text[s:offset]):
            s_candidate = s + m.end()
            if s_candidate <= offset:
                ls = max(ls, s_candidate)
        if self.slides and not self.text[ls:le].rstrip().endswith((".", ";", ":", "!", "?")):
            ns, ne = self.line_bounds(le + 1) if le + 1 < len(self.text) else (le, le)
            nxt = self.text[ns:ne].strip()
            if nxt and not re.match(r"[-*\u2022\u25aa\u25ba\u25b6\u2756\u2713\u2714#]|\d+[.)]", nxt):
                le = ne  # a slide statement continues on the next line
        m = SENT_END.search(self.text[offset : min(le, offset + limit)] + " ")
        end = offset + m.end() if m else min(le, offset + limit)
        return max(ls, s), end

    def _wrapped_line(self, offset: int, limit: int) -> tuple[int, int]:
        """Bounds of the line around ``offset`` joined with the lines a hard wrap split it into: a
        line that does not end a statement, followed by one that opens in lower case ("Il servizio di
        tutela\nminori è attivo"), is one line of running prose (PDF and e-mail text wrap at ~80 columns)."""
        ls, le = self.line_bounds(offset)
        if self.slides:
            return ls, le
        t = self.text
        while ls > 0 and offset - ls < limit:
            ps, pe = self.line_bounds(ls - 1)
            prev = t[ps:pe].rstrip()
            if not prev or prev[-1] in ".;:!?" or not t[ls:ls + 1].islower():
                break
            ls = ps
        while le + 1 < len(t) and le - offset < limit:
            ns, ne = self.line_bounds(le + 1)
            if not t[ls:le].rstrip() or t[ls:le].rstrip()[-1] in ".;:!?" or not t[ns:ns + 1].islower():
                break
            le = ne
        return ls, le

    def section_path(self, offset: int) -> list[str]:
        return self.doc.section_of(self.doc.raw_offset(offset))

    def period_at(self, offset: int) -> str | None:
        """The programming period that governs a position: a year range on its line, else in its
        section titles, else the document's period."""
        ls, le = self.line_bounds(offset)
        for text in [self.text[ls:le], *reversed(self.section_path(offset))]:
            found = _year_range(text)
            if found:
                return found
        # slide decks: the nearest heading-like line above that dates a block ("RISULTATI ... 2021-2023")
        pos, scanned = ls, 0
        while self.slides and pos > 0 and scanned < 15000:
            hs, he = self.line_bounds(pos - 1)
            head = self.text[hs:he].strip()
            scanned += he - hs + 1
            pos = hs
            if not head or not (head.startswith(("#", "**")) or head.isupper() or head.endswith("**")):
                continue
            low = fold(head)
            if "nuova programmazione" in low or "prossim" in low or "propost" in low:
                return self.period
            found = _year_range(head)
            if found:
                return found
        return self.period

    # -- evidence -----------------------------------------------------------------------
    def prov(self, start: int, end: int, *, context: int = 120) -> Provenance:
        """Evidence for the clean span [start, end): the raw span widened to the statement around it
        on its line (at most ``context`` characters either side), quoted verbatim from the raw text."""
        rs, re_ = self.doc.raw_span(start, end)
        if re_ <= rs:
            re_ = min(len(self.doc.raw_text), rs + max(1, end - start))
        raw = self.doc.raw_text
        ls = raw.rfind("\n", 0, rs) + 1
        le = raw.find("\n", re_)
        le = len(raw) if le < 0 else le
        qs, qe = max(ls, rs - context), min(le, re_ + context)
        while qs < rs and raw[qs].isspace():
            qs += 1
        while qe > re_ and raw[qe - 1].isspace():
            qe -= 1
        return self.doc.provenance(qs, qe)

    # -- facts --------------------------------------------------------------------------
    def entity(self, id: str, label: str, name: str, start: int, end: int, **props: Any) -> Entity:
        """Record an entity (first evidence wins; later calls add aliases and missing props)."""
        name = clean_name(name)
        ent = self.entities.get(id)
        if ent is None:
            props = {k: v for k, v in props.items() if v not in (None, "", [], ())}
            ent = Entity(id=id, label=label, name=name, props=props, prov=self.prov(start, end))
            ent.props.setdefault("aliases", [])
            self.entities[id] = ent
        else:
            for k, v in props.items():
                if v not in (None, "", [], ()) and k not in ent.props:
                    ent.props[k] = v
        if name and name != ent.name and name not in ent.props["aliases"] and len(ent.props["aliases"]) < 20:
            ent.props["aliases"].append(name)
        ent.props["mentions"] = ent.props.get("mentions", 0) + 1
        line = self.doc.line_of(self.doc.raw_offset(start))
        lines = ent.props.setdefault("lines", [])
        if line not in lines and len(lines) < 40:
            lines.append(line)
        return ent

    def relate(self, src: str, type: str, dst: str, start: int, end: int, *, key: tuple = (), **props: Any) -> None:
        """Record a relation once per (src, type, dst, key)."""
        k = (src, type, dst, key)
        if k in self._rel_keys or src == dst:
            return
        self._rel_keys.add(k)
        props = {k2: v for k2, v in props.items() if v not in (None, "", [], ())}
        self.relations.append(Relation(src=src, type=type, dst=dst, props=props, prov=self.prov(start, end)))


def _year_range(text: str) -> str | None:
    m = YEAR_RANGE.search(text)
    if m:
        a, b = m.group(1), m.group(2)
        b = b if len(b) == 4 else a[:2] + b
        if int(b) - int(a) in (1, 2, 3):
            return f"{a}-{b}"
    return None


def clean_name(name: str) -> str:
    """Strip markup (``**``, ``<i>``), quotes and stray punctuation from a surface name."""
    name = re.sub(r"</?[a-zA-Z]+>|\*+|_+|#+", " ", name)
    name = re.sub(r"\s+", " ", name).strip(" ,;:.-\u2013\u2014\"'\u201c\u201d[]")
    # parentheses: strip only the unbalanced ones at the edges ("Punto Unico di Accesso (PUA)" stays whole)
    while name.endswith(")") and name.count(")") > name.count("("):
        name = name[:-1].rstrip(" ,;:.-")
    while name.startswith("(") and name.count("(") > name.count(")"):
        name = name[1:].lstrip(" ,;:.-")
    if name.startswith("(") and name.endswith(")") and name.count("(") == 1:
        name = name[1:-1].strip()
    if name.count("(") > name.count(")"):  # a cut parenthesis: "Dopo di Noi (L. 112/2016" -> "Dopo di Noi"
        name = name[: name.rindex("(")].rstrip(" ,;:.-")
    name = re.sub(r"[\u201c\u201d\u00ab\u00bb]", '"', name)
    if name.count('"') % 2:  # the edge strip cut one quote of a pair: put it back where it was
        q = name.rindex('"')
        name = name + '"' if q > 0 and name[q - 1] == " " else '"' + name
    return name


def smart_title(name: str) -> str:
    """Title-case an ALL-CAPS name; leave mixed-case names alone."""
    if name.isupper():
        return " ".join(title_word(w, i > 0) for i, w in enumerate(name.lower().split()))
    return name


def title_word(w: str, inner: bool) -> str:
    """One word of a capitalised name: connectors stay lower case inside the name; each part after a
    hyphen is capitalised ("Ferro-Val"), and after an elided article or preposition the word that
    follows is ("dell'Ambito", "Sant'Angelo", "d'Adda")."""
    m = re.match(r"^([a-z\u00e0-\u00ff]+['\u2019])(.+)$", w)
    if m:
        head, rest = m.groups()
        head = head if inner and head[:-1] in NAME_STOP | {"d"} else head[:1].upper() + head[1:]
        return head + title_word(rest, False)
    if inner and w in NAME_STOP:
        return w
    return "-".join(p[:1].upper() + p[1:] for p in w.split("-"))


norm_key = words_key  # a comparison key: folded, punctuation-free, single-spaced


ORG_CONNECTORS = CONNECTORS | frozenset("per i il la le lo alla alle ai agli allo nel nella".split())


def capitalised_run(text: str, start: int, *, max_tokens: int = 8, connectors: frozenset[str] = CONNECTORS) -> tuple[int, int]:
    """The span of the proper-name-like run of words that starts at ``start`` (capitalised words,
    acronyms and the connectors inside them). Returns (start, start) when none starts there."""
    pos, end, n = start, start, 0
    tok = re.compile(r" *([A-Z\u00c0-\u00dd][\w'\u2019.&]*|[a-z']+|[-\u2013] *(?=[A-Z]))")
    while n < max_tokens:
        m = tok.match(text, pos)
        if not m or "\n" in m.group(0):
            break
        word = m.group(1)
        if word[:1].isupper():
            end = m.end()  # only a capitalised word extends the run: trailing connectors stay out
        elif not (word.strip()[:1] in "-\u2013" or fold(word).rstrip("'") in connectors):
            break
        pos = m.end()
        n += 1
    return start, end


def sid(*parts: str) -> str:
    """An id from a prefix and slugged parts: ``sid("body", "lodi", "ufficio_di_piano")``."""
    head, *rest = parts
    return ":".join([head, *(slug(p) for p in rest)])
