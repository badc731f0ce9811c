"""Act families of the citation grammar and the :class:`Hit` a citation is built in.

A family is the grammar's name for an act type ("lr", "dlgs", "rd", "circm"...): its act type and
URN authority (:data:`FAMILIES`), its id prefix (:meth:`Hit.key_family`) and which tails it accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import norm_grammar as g
from ontology.norms import Norm

NORMATTIVA = "https://www.normattiva.it/uri-res/N2Ls?"
# family -> (act_type, URN authority; None for "regione.<region>", "" for an act without authority)
FAMILIES: dict[str, tuple[str, str | None]] = {
    "legge": ("legge", "stato"),
    "dl": ("decreto.legge", "stato"),
    "dlgs": ("decreto.legislativo", "stato"),
    "dpr": ("decreto.del.presidente.della.repubblica", "stato"),
    "dpcm": ("decreto.del.presidente.del.consiglio.dei.ministri", "stato"),
    "dm": ("decreto", "stato"),
    "lcost": ("legge.costituzionale", "stato"),
    "rd": ("regio.decreto", "stato"),
    "rdl": ("regio.decreto.legge", "stato"),
    "rdlgs": ("regio.decreto.legislativo", "stato"),
    "dlt": ("decreto.luogotenenziale", "stato"),
    "dlgslgt": ("decreto.legislativo.luogotenenziale", "stato"),
    "dllgt": ("decreto.legge.luogotenenziale", "stato"),
    "dcps": ("decreto", "capo.provvisorio.stato"),
    "dlcps": ("decreto.legislativo", "capo.provvisorio.stato"),
    "dcg": ("decreto", "capo.governo"),
    "dlgspres": ("decreto.legislativo", "presidente.repubblica"),
    "opcm": ("ordinanza", "presidente.consiglio.ministri"),
    "om": ("ordinanza", "stato"),
    "rm": ("regolamento", "stato"),
    "circm": ("circolare", ""),
    "cipe": ("deliberazione", "comitato.interministeriale.programmazione.economica"),
    "dd": ("decreto", "direzione"),
    "tu": ("testo.unico", "stato"),
    "decsa": ("decreto", ""),
    "regsa": ("regolamento", ""),
    "delibsa": ("deliberazione", ""),
    "dic": ("determinazione.intercommissariale", ""),
    "lr": ("legge", None),
    "lp": ("legge", "provincia"),
    "rr": ("regolamento", None),
    "dgr": ("deliberazione.giunta.regionale", None),
    "dcr": ("deliberazione.consiglio.regionale", None),
    "dpgr": ("decreto.presidente.giunta.regionale", None),
    "decreg": ("decreto", None),
    "circ": ("circolare", None),
    "statuto": ("statuto", None),
    "reg": ("regolamento", "unione.europea"),
    "cc": ("codice.civile", "stato"),
    "cpc": ("codice.procedura.civile", "stato"),
    "cp": ("codice.penale", "stato"),
    "cpp": ("codice.procedura.penale", "stato"),
    "cost": ("costituzione", "stato"),
}
# norm_id prefix of the families whose id is not the family name itself
ID_PREFIX = {
    "lcost": "legge.costituzionale", "dlgspres": "dlgs.presidenziale", "tu": "testo.unico", "reg": "reg.ue",
    "decsa": "decreto.sa", "regsa": "regolamento.sa", "delibsa": "deliberazione.sa", "circm": "circolare.sa",
}  # fmt: skip
STATE_PRIMARY = ("legge", "dlgs", "dl", "dpr")
DELIBERATIONS = ("dgr", "dcr")
REGIONAL = ("lr", "rr", "dgr", "dcr", "dpgr", "decreg", "circ", "statuto")
MINISTERIAL = ("dm", "om", "rm", "circm")
CODES = {
    "cc": "codice.civile", "cpc": "codice.procedura.civile", "cp": "codice.penale", "cpp": "codice.procedura.penale",
    "cost": "costituzione", "statuto": "statuto",
}  # fmt: skip
# Code abbreviations, statutes and the Constitution count only with an article ("art. 1372 c.c.").
NEEDS_ARTICLE_ALWAYS = ("cost", "statuto")
NEEDS_ARTICLE_ABBREV = re.compile(r"^(?i:c\.|cod\.)")
# Families cited by date alone ("D.M. 27 marzo 2001", "DPCM 25 febbraio 2011").
# Acts always numbered, that a text may still recall by date alone once it has cited them in full
# ("la Legge 8 novembre 2000, n. 328 ... la legge 8 novembre 2000"): resolved only through an act of
# the same family and date that the document names with its number.
RECALLED_BY_DATE = ("legge", "dlgs", "dl", "lr", "rr")
DATE_CITABLE = ("dm", "decreg", "circ", "dpcm", "dpr", "om", "rm", "cipe", "dpgr")
# Families read only when a number is written ("circolare n. 24 del 19 maggio 1979").
NEEDS_MARK = ("dm", "decreg", "circ", "dpcm", "om", "rm", "circm", "cipe", "dd", "opcm", "dpgr")
# Authorities named by an acronym after a circular ("circolare Agea n. 13"): code -> URN authority.
AGENCIES = {"agea": "agenzia.erogazioni.agricoltura", "inps": "inps", "inail": "inail", "aifa": "aifa", "anac": "anac"}
AGENCY_RE = re.compile(rf"{g.SP}+(?:(?i:dell['’]|della|del){g.SP}*)?(?P<ag>(?i:agea|inps|inail|aifa|anac))\b")


@dataclass
class Hit:
    """A citation being built: clean-text span, parsed parts, and what resolution adds."""

    start: int
    end: int
    family: str
    region: str | None = None
    ministry: str | None = None  # code such as "mlps"
    number: str | None = None
    year: int | None = None
    date: str | None = None
    legislature: str | None = None
    article: str | None = None
    comma: str | None = None
    letter: str | None = None
    alias: str | None = None
    flags: list[str] = field(default_factory=list)
    norm_id: str | None = None
    norm: Norm | None = None
    weak: bool = False  # "L. 68": a bare one-letter head without year or article
    agency: str | None = None  # "agea" in "circolare Agea n. 13"
    ministerial: bool = False  # a ministerial act whose ministry is not named ("decreto ministeriale")
    plural: bool = False  # "nn. 511, 518 e 548": further bare numbers share the head and the date
    date_cut: str | None = None  # "20??-11-08": a date cut by the end of the text (year digits missing)

    def key_family(self) -> str:
        """The id family: "legge", "lr.lombardia", "dgr.lombardia", "dm.mlps", "reg.ue"...

        A regional act whose region is unknown has no region part ("lr", "dgr"); an
        interministerial decree joins its ministries ("dm.finanze+grazia.giustizia").
        """
        fam = self.family
        if fam in REGIONAL:
            base = {"decreg": "decreto", "circ": "circolare"}.get(fam, fam)
            return f"{base}.{region_slug(self.region)}" if self.region else base
        if fam in MINISTERIAL:
            if fam == "circm":
                if self.agency:
                    return f"circolare.{self.agency}"
                return f"circolare.ministero.{self.ministry}" if self.ministry else ("circolare.ministero" if self.ministerial else "circolare.sa")
            return f"{fam}.{self.ministry}" if self.ministry else fam
        if fam == "lp":
            return f"lp.{region_slug(self.region)}" if self.region else "lp"
        return CODES.get(fam) or ID_PREFIX.get(fam, fam)


def region_slug(region: str) -> str:
    """A region in our ids, as the gold and the graph write it ("emilia.romagna" -> "emilia-romagna");
    URN:NIR keeps the dotted form ("regione.emilia.romagna")."""
    return region.replace(".", "-")


# URN:NIR (authority, act type) of acts whose family is not found by act type alone
_URN_FAMILIES = {("presidente.repubblica", "decreto"): "dpr", ("presidente.consiglio.ministri", "decreto"): "dpcm"}
URN_RE = re.compile(r"urn:nir:(?P<auth>[a-z.]+):(?P<type>[a-z.]+):(?P<date>\d{4}(?:-\d{2}-\d{2})?)(?:;(?P<num>[\w-]+))?")


def hit_of_urn(urn: str, start: int = 0, end: int = 0) -> Hit | None:
    """A Hit for the act a URN:NIR names ("urn:nir:stato:decreto.legislativo:2000-08-18;267"), or None
    when the URN is not one of the grammar's families."""
    m = URN_RE.fullmatch(urn.strip())
    if not m:
        return None
    auth, act_type = m.group("auth"), m.group("type")
    fam = _URN_FAMILIES.get((auth, act_type))
    region = None
    if fam is None and auth.startswith("regione."):
        region = auth.split(".", 1)[1]
        fam = next((f for f, (t, a) in FAMILIES.items() if a is None and t == act_type), None)
    if fam is None:
        fam = next((f for f, (t, a) in FAMILIES.items() if a == auth and t == act_type), None)
    if fam is None:
        return None
    d = m.group("date")
    h = Hit(start=start, end=end, family=fam, region=region, number=m.group("num"), year=int(d[:4]))
    h.date = d if len(d) == 10 else None
    return h
