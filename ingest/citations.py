"""Extraction of Italian normative citations, each resolved to one canonical act (a Norm).

A citation is read by a deterministic grammar (:mod:`ingest.norm_grammar`): an act head ("L.R.",
"D.Lgs.", "Deliberazione di Giunta Regionale", "c.p.c."...), a tail with number, year or date
("3/2008", "n° 3 del 12 marzo 2008", "8 novembre 2000 n° 328", "XI/4563"), and optional article
parts before ("art. 18, comma 10, della") or after ("all'art. 18 c. 7"). Acts named only by an alias
of the registry (``ontology/norms.json``: "TUEL", "Codice del Terzo Settore") are recognised too.

Identity (``norm_id``) follows the gold scheme and is deterministic: ``legge:2000:328``,
``legge.costituzionale:2001:3``, ``lr.lombardia:2008:3``, ``rr.lombardia:2017:4`` (regional
regulation), ``dlgs:2000:267``, ``dl:2019:4``, ``dpr:1990:309``, ``dpcm:2013:159`` (or
``dpcm:2017-01-12`` without number), ``dm.mlps:2021:450`` (or ``dm.mlps:2021-10-22``),
``dgr.lombardia:2021:4563``, ``dcr.lombardia:2023:42``, ``decreto.lombardia:2021-09-17``,
``circolare.lombardia:2018:9``, ``reg.ue:2016:679``, ``codice.civile``, ``codice.procedura.civile``,
``costituzione``; historic acts ``rd:1931:773`` (regio decreto), ``rdl``, ``rdlgs``, ``dlt``,
``dlgslgt``, ``dllgt``, ``dcps``, ``dlcps``; ``opcm``, ``om.<ministry>``, ``circolare.ministero.<m>``,
``circolare.<agency>``, ``circolare.sa`` (a circular naming no authority), ``cipe``, ``dd`` (decreto
dirigenziale), ``codice.penale``, ``codice.procedura.penale``, ``statuto.<region>``; acts written
with a date and number but no authority ("Decreto 26 giugno 2000, n. 219") are ``decreto.sa``,
``regolamento.sa``, ``deliberazione.sa``. Acts are never merged by similarity: DGR XI/4563 and
XI/4562 stay two acts. The families are listed in :mod:`ingest.norm_hits`.

Policies:

- Year omitted ("L.328", "l.r. 23"): the year comes from a citation of the same act type and number
  with a year in the same document, else from the registry when it knows exactly one such act
  (flag ``year_inferred``); otherwise the mention is dropped (the act cannot be identified).
- Deliberations (DGR/DCR) without year ("DGR XI/4563"): year from the registry by legislature and
  number, else from the same document, else the id keeps the legislature in place of the year,
  ``dgr.lombardia:XI:4563`` (flag ``year_unknown``): DGR numbers restart with each legislature, so
  legislature + number is still a unique identity.
- Evident year typos ("DGR 5557/32021", "DGR 2609/019") are read as the evident year (2021, 2019) with
  flag ``suspected_typo``; two-digit years ("4563/21") are expanded.
- State primary acts (leggi, decreti legislativi, decreti-legge, DPR) share one yearly numbering, so
  a year+number that the registry or the same document knows under another of these types is a
  mislabelled type ("legge 267/2000" for D.Lgs. 267/2000): resolved to that act, flag ``type_corrected``.
- A bare "Deliberazione n. XI/4563" (legislature/number, no body named) is read as a DGR (flag
  ``type_inferred``); a bare "Deliberazione n. 15 del 08/10/2009" is a local act and is skipped.
- Several numbers under one head ("L.R. 3/2008 e 23/2015") are several citations, each with its own
  year or legislature; a bare "L. 68" (one-letter head, no year, no article) takes its year only from
  the same document, never from the registry alone ("San Zenone al L. 68 abitanti").
- OCR damage ("I.r.", "Ir", "d. Igs.", "DIgs.") is read as the intended form (flag ``ocr_repaired``,
  also set when the span overlaps a repair of ``Document.edits``).
- Regions: a regional act (L.R., R.R., DGR, DCR, regional decree, circular, statute) takes the region
  written with it ("l.r. Toscana n. 41/2005", "Legge della Regione Campania", "n. 2/2003 della
  Regione Emilia-Romagna", "(Emilia-Romagna)", "legge regionale emiliana"; flag ``region_stated``),
  else a region named in the same sentence outside other citations ("la Regione Campania, con DGR
  n. 70 ..."; ``region_from_context``), else ``Document.region``; when that is None, the one region
  that the document's other regional citations state (``region_from_document``); else the region
  stays unknown: id without region (``lr:1998:24``), authority ``regione`` (what the Linkoln table
  expects for a bare "L.R."). Lombardy is never a default.
- What a document teaches its short forms (a per-document registry, never the gold): years and
  dates of an act written in full once; the region stated for the same act; the family of an
  unqualified decree ("Decreto 30 giugno 2022, n. 132" = "D.M. n. 132/2022"); the ministry of a
  bare "D.M." of the same date. An act written in full and restated in brackets ("legge regionale
  8 luglio 2016 n. 16 (L.R.16/2016)") is one citation.
- Internal references: a text stating its own URN in its header (Normattiva exports) has "art. 34
  del presente testo unico", "della presente legge" resolved to itself (flag ``self_reference``).
- Words hyphenated across a line break ("regio-\\nnale") are read joined; periods of years ("Casa
  2019/2020", "Piano 2009/2011") are not number/year.

URNs are URN:NIR act identifiers (act level, no partition): ``urn:nir:stato:legge:2000-11-08;328``
when the date is known (from the text or the registry), ``urn:nir:stato:legge:2000;328`` otherwise;
deliberations carry the legislature in the number,
``urn:nir:regione.lombardia:deliberazione.giunta.regionale:2021-04-19;XI-4563``; ministerial decrees
name the ministry as authority (``urn:nir:ministero.lavoro.politiche.sociali:decreto:2021-12-09;450``).
``normattiva`` links national acts (``https://www.normattiva.it/uri-res/N2Ls?<urn>``, with ``~artN``
when an article is cited).
"""

from __future__ import annotations

import itertools
import re

from ingest.model import Document
from ingest.norm_grammar import region_key
from ingest.norm_hits import Hit, hit_of_urn
from ingest.norm_resolve import alias_hits, citation_of, merge_aliases, merge_restatements, resolve_hits
from ingest.norm_scan import scan, self_references
from ontology.model import Citation, Provenance
from ontology.norms import Registry, load_registry


def find_hits(
    text: str, region: str | None = "lombardia", registry: Registry | None = None, *, lenient: bool = False, self_urn: str | None = None
) -> list[Hit]:
    """Scan, resolve and merge aliases: the resolved hits of a text, in reading order.

    Args:
        text: the (repaired) text to read.
        region: region of regional acts whose region neither the citation nor the words around it
            state; None when unknown.
        registry: the registry of known acts; default ``ontology/norms.json``.
        lenient: also resolve a bare "L. 328" from the registry alone (for typed queries).
        self_urn: URN:NIR of the act the text is; its internal references ("art. 34 del presente
            testo unico") are then citations of it.

    Raises:
        VocabularyError: the registry file is missing or malformed.
    """
    reg = registry or load_registry()
    joined, back = _join_hyphens(text)
    scanned = scan(joined, region)
    act = hit_of_urn(self_urn) if self_urn else None
    if act is not None:
        scanned = sorted(scanned + self_references(joined, act, scanned), key=lambda h: h.start)
    explicit = merge_restatements(joined, resolve_hits(scanned, reg, lenient=lenient))
    aliases = merge_aliases(joined, explicit, alias_hits(joined, reg, explicit))
    hits = sorted(explicit + aliases, key=lambda h: h.start)
    if back is not None:
        for h in hits:
            h.start, h.end = back[h.start], back[h.end - 1] + 1
    return hits


_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-zà-ù])-[ \t]*\n[ \t]*(?=[a-zà-ù])")


def _join_hyphens(text: str) -> tuple[str, list[int] | None]:
    """The text with words hyphenated across a line break joined ("Regio-\\nnale" -> "Regionale"),
    and the map from each joined offset back to ``text`` (None when nothing was joined)."""
    breaks = list(_HYPHEN_BREAK.finditer(text))
    if not breaks:
        return text, None
    parts, back, pos = [], [], 0
    for m in breaks:
        parts.append(text[pos : m.start()])
        back.extend(range(pos, m.start()))
        pos = m.end()
    parts.append(text[pos:])
    back.extend(range(pos, len(text)))
    back.append(len(text))
    return "".join(parts), back


_URN_IN_HEADER = re.compile(r"urn:nir:[a-z.]+:[a-z.]+:\d{4}(?:-\d{2}-\d{2})?(?:;[\w-]+)?")


def self_urn_of(doc: Document) -> str | None:
    """The URN:NIR of the act a document is, when its header states one (Normattiva exports carry
    ``url: ...?urn:nir:stato:decreto.legislativo:2000-08-18;267`` in their front matter)."""
    m = _URN_IN_HEADER.search(doc.text[:2000])
    return m.group(0) if m else None


def extract_citations(doc: Document, registry: Registry | None = None) -> list[Citation]:
    """Every normative citation of a document, resolved to a canonical act, with provenance.

    Reads the repaired text (``doc.text``) and maps each span back to ``doc.raw_text``, so that
    ``citation.raw == doc.raw_text[citation.prov.start:citation.prov.end]``.

    Args:
        doc: a loaded document; ``doc.region`` (None when unknown) is the region of regional acts
            that neither the citation nor the words around it name.
        registry: the registry of known acts; default ``ontology/norms.json``.

    Raises:
        VocabularyError: the registry file is missing or malformed.
    """
    # the document's region in the grammar's form ("emilia-romagna" -> "emilia.romagna"), as a stated one: one act, one id
    region = (region_key(doc.region) or doc.region) if doc.region else None
    hits = find_hits(doc.text, region, registry, self_urn=self_urn_of(doc))
    dates: dict[str, str] = {}
    for h in hits:  # one act, one date: a date written once dates every citation of the act
        if h.date and h.norm_id and h.number:
            dates.setdefault(h.norm_id, h.date)
    for h in hits:
        if h.date is None and h.norm_id in dates:
            h.date = dates[h.norm_id]
    return [citation_of(h, doc) for h in hits]


def resolve_norm(text: str, region: str = "lombardia", registry: Registry | None = None) -> str | None:
    """The norm_id of a norm written in any form ("L.R. 3/2008", "legge regionale 3 del 2008",
    "lr 3/2008", "DGR XI/4563", "legge quadro", "TUEL"), or None when nothing identifies one.

    Args:
        text: the norm as a person would write it; an existing norm_id is returned as is.
        region: region of regional acts that do not name one.
        registry: the registry of known acts; default ``ontology/norms.json``.

    Raises:
        VocabularyError: the registry file is missing or malformed.
    """
    reg = registry or load_registry()
    t = text.strip()
    if reg.get(t):
        return t
    named = reg.by_alias_text(t)
    if named:
        return named.norm_id
    hits = find_hits(t, region, reg, lenient=True)
    if hits:
        return hits[0].norm_id
    if re.fullmatch(r"[a-z.]+:(?:\d{4}|[IVX]+):\d+[a-z-]*|[a-z.]+:\d{4}-\d{2}-\d{2}", t):
        return t
    return None


_AMEND_WORD = re.compile(r"(?i)\bmodific\w*|\bintegrazion\w*")
_AMEND_SKIP = re.compile(r"(?i)successive\s+modific|s\.\s?m\.\s?i|\.\s+[A-Z]")
# "... così come modificata dalla" / "le modifiche introdotte dal": the next act amends the previous one.
_AMEND_PASSIVE = re.compile(r"(?i)\bmodific\w*.*\b(?:dall['’]|dalla|dal|con\s+la|con\s+il|con|ad\s+opera\s+della)\W*$")
# "“Modifiche al Titolo I e al Titolo VII della": the previous act amends the next one.
_AMEND_ACTIVE = re.compile(r"(?i)\bmodific\w*.*\b(?:della|del|dello|dell['’]|alla|al|allo|all['’])\W*$")


def amends_from_citations(citations: list[Citation], doc: Document, registry: Registry | None = None) -> list[tuple[str, str, Provenance]]:
    """AMENDS edges (amending norm_id, amended norm_id, evidence) read next to citations.

    A title such as "L.R. 22/2021 “Modifiche al Titolo I ... della legge regionale 30 dicembre 2009,
    n. 33”" makes the citing act amend the cited one; "L.R. 33/2009 così come modificata dalla L.R.
    23/2015" reads the other way. Registry-declared amendments of the cited acts are added (evidence:
    the first citation of the amending act) unless the text already gave the pair.

    Args:
        citations: the document's citations (as from :func:`extract_citations`).
        doc: the document they were read from.
        registry: the registry of known acts; default ``ontology/norms.json``.

    Raises:
        VocabularyError: the registry file is missing or malformed.
    """
    reg = registry or load_registry()
    cits = sorted(citations, key=lambda c: c.prov.start)
    out: list[tuple[str, str, Provenance]] = []
    seen: set[tuple[str, str, int]] = set()
    for a, b in itertools.pairwise(cits):
        between = doc.raw_text[a.prov.end : b.prov.start]
        if a.norm_id == b.norm_id or len(between) > 300 or "\n" in between or ";" in between:
            continue
        if not _AMEND_WORD.search(between) or _AMEND_SKIP.search(between):
            continue
        passive = _AMEND_PASSIVE.search(between)
        if not passive and not _AMEND_ACTIVE.search(between):
            continue
        src, dst = (b.norm_id, a.norm_id) if passive else (a.norm_id, b.norm_id)
        if (src, dst, a.prov.start) not in seen:
            seen.add((src, dst, a.prov.start))
            out.append((src, dst, doc.provenance(a.prov.start, b.prov.end)))
    pairs = {(s, d) for s, d, _ in out}
    first = {}
    for c in cits:
        first.setdefault(c.norm_id, c)
    for src, dst in reg.amendments():
        if src in first and (src, dst) not in pairs:
            out.append((src, dst, first[src].prov))
    return out


__all__ = ["Hit", "amends_from_citations", "extract_citations", "find_hits", "resolve_norm", "scan"]
