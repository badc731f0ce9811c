"""Deterministic entity resolution: the same organisation, Ambito or person read in different
forms (and in different documents) gets one id.

Rules, in order:
1. Names are normalised (``norm_key``: folded, punctuation and dashes dropped, single spaces), so
   "ASST Melegnano - Martesana" = "ASST Melegnano Martesana".
2. ATS/ASST/Città Metropolitana: the kind plus the SET of content words (articles and prepositions
   dropped), so "ATS della Città Metropolitana di Milano" = "ATS di Milano Città Metropolitana".
   The long forms ("Agenzia di Tutela della Salute", ...) come from the vocabulary (org-aliases).
3. Acronyms: "A.S.S.E.MI." names "Azienda Sociale Sud Est Milano" when its letters are the initials
   (or word prefixes) of the name's words, in order; the text says so once ("Name – ACRONYM") and
   every later bare acronym resolves to the name's id.
4. Comuni: ISTAT codes. Ambiti: the slug of the Ambito's comune/area name.

``merge_report`` returns the merges made (one row per alias folded into a canonical id).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from ingest.model import Document
from ontology.model import Entity, Relation
from ontology.vocab import fold, load_vocab, slug

MERGE_LABELS = frozenset({"Ambito", "Comune", "Organization", "Person", "GovernanceBody", "Service"})
STOPWORDS = frozenset("di del della dello dei degli delle dell d l la il lo i gli le e ed per in a al alla alle ai agli".split())


def _words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", fold(name)) if w not in STOPWORDS]


def canonical_org_name(name: str) -> str:
    """Expand the long forms of ATS/ASST (vocabulary org-aliases) to their short prefix."""
    folded = fold(name)
    for concept in load_vocab().scheme("orgs"):
        for alt in concept.alt:
            fa = fold(alt)
            i = folded.find(fa)
            if i >= 0 and concept.key in ("ats", "asst"):
                rest = re.sub(r"^\s*\((?:ats|asst)\)", "", folded[i + len(fa):])
                return concept.pref + " " + rest.strip()
    return name


def org_id(name: str, *, kind: str | None = None) -> str:
    """Deterministic id of an organisation name (see the module rules).

    Args:
        name: the surface name.
        kind: "ats", "asst" or "citta_metropolitana" for the set-of-words rule.
    """
    name = canonical_org_name(name)
    words = _words(name)
    if kind in ("ats", "asst", "citta_metropolitana") or (words and words[0] in ("ats", "asst")):
        k = kind or words[0]
        body = sorted(set(words) - {"ats", "asst"})
        return f"org:{k}:" + "-".join(body)
    return "org:" + slug(" ".join(words))


def acronym_matches(acronym: str, name: str) -> bool:
    """True when the acronym's letters consume the name's words in order, each word giving a prefix
    of one or more letters ("A.S.S.E.MI." ~ "Azienda Sociale Sud Est Milano").

    Args:
        acronym: e.g. "A.S.S.E.MI." or "ASSEMI".
        name: the expanded name.
    """
    letters = re.sub(r"[^a-z]", "", fold(acronym))
    words = [w for w in re.findall(r"[a-z]+", fold(name)) if w not in STOPWORDS]
    if len(letters) < 2 or not words:
        return False

    def go(i: int, j: int) -> bool:
        if i == len(letters):
            return j == len(words)
        if j == len(words):
            return False
        w = words[j]
        for k in range(1, min(len(w), len(letters) - i) + 1):
            if letters[i:i + k] != w[:k]:
                break
            if go(i + k, j + 1):
                return True
        return False

    return go(0, 0)


class Merge(BaseModel):
    """One alias folded into a canonical entity."""

    canonical_id: str
    canonical_name: str
    alias: str
    reason: str
    doc: str


def resolve_document(doc: Document, entities: list[Entity], relations: list[Relation]) -> tuple[list[Entity], list[Relation]]:
    """Resolve bare acronyms to the organisation they abbreviate inside one document, in place of
    separate nodes; relations are re-pointed. Returns the resolved lists.

    Args:
        doc: the document (for its text).
        entities: extracted entities.
        relations: extracted relations.
    """
    by_acronym: dict[str, str] = {}
    for e in entities:
        acr = e.props.get("acronym")
        if acr:
            by_acronym[re.sub(r"[^a-z]", "", fold(acr))] = e.id
    remap: dict[str, str] = {}
    # ATS/ASST of the same kind whose words are a subset of exactly one fuller name: the same agency
    # ("ATS Milano", "ATS Città Metropolitana" -> "ATS Città Metropolitana di Milano").
    agencies = [e for e in entities if e.id.startswith(("org:ats:", "org:asst:"))]
    for e in agencies:
        kind, words = e.id.split(":")[1], set(e.id.split(":")[2].split("-"))
        supers = [o for o in agencies if o.id != e.id and o.id.split(":")[1] == kind
                  and words < set(o.id.split(":")[2].split("-"))]
        if len(supers) == 1:
            remap[e.id] = supers[0].id
    kept: dict[str, Entity] = {}
    for e in entities:
        key = re.sub(r"[^a-z]", "", fold(e.name))
        target = by_acronym.get(key) if e.label == "Organization" and e.id not in by_acronym.values() else None
        target = remap.get(e.id) or target
        if target and target != e.id:
            remap[e.id] = target
            continue
        kept[e.id] = e
    for old, new in remap.items():
        old_name = next(x.name for x in entities if x.id == old)
        aliases = kept[new].props.setdefault("aliases", [])
        if old_name not in aliases:
            aliases.append(old_name)
    rels = [r.model_copy(update={"src": remap.get(r.src, r.src), "dst": remap.get(r.dst, r.dst)}) for r in relations]
    return list(kept.values()), rels


def merge_report(docs: Iterable[Document]) -> list[Merge]:
    """The merges the resolution made over documents: every surface form (alias) that was folded
    into a canonical entity, with the rule that did it.

    Args:
        docs: analysed documents (``doc.entities`` filled).
    """
    canonical: dict[str, str] = {}
    out: list[Merge] = []
    seen: set[tuple[str, str]] = set()
    for doc in docs:
        for e in doc.entities:
            canonical.setdefault(e.id, e.name)
    for doc in docs:
        for e in doc.entities:
            forms = [e.name, *e.props.get("aliases", [])]
            for form in forms:
                if _norm(form) == _norm(canonical[e.id]) and not e.id.startswith(("org:", "ambito:")):
                    continue  # a case or punctuation variant of a vocabulary term: not a merge
                if form == canonical[e.id] or (e.id, form) in seen or e.label not in MERGE_LABELS:
                    continue
                seen.add((e.id, form))
                if e.id.startswith("comune:"):
                    reason = "ISTAT code"
                elif e.props.get("acronym") and re.sub(r"[^a-z]", "", fold(form)) == re.sub(r"[^a-z]", "", fold(e.props["acronym"])):
                    reason = "acronym"
                elif e.id.startswith(("org:ats:", "org:asst:", "org:citta_metropolitana:")):
                    reason = "same kind and words"
                elif _norm(form) == _norm(canonical[e.id]):
                    reason = "normalised name"
                elif e.label in ("GovernanceBody", "Service", "Network"):
                    reason = "vocabulary concept"
                else:
                    reason = "alias (same id)"
                out.append(Merge(canonical_id=e.id, canonical_name=canonical[e.id], alias=form, reason=reason, doc=doc.id))
    return out


def _norm(s: str) -> str:
    return " ".join(_words(s))
