"""Italian words for the codes of the model, for everything a person reads (UI, summaries, CSV)."""

from __future__ import annotations

import re

STATUS_IT: dict[str, str] = {
    "active": "attivo",
    "planned": "programmato",
    "feasibility_study": "studio di fattibilità",
    "concluded": "concluso",
    "mentioned": "citato",
}

KIND_IT: dict[str, str] = {
    "piano_di_zona": "Piano di Zona",
    "accordo_di_programma": "Accordo di Programma",
    "presentazione": "presentazione",
    "altro": "altro",
}

LABEL_IT: dict[str, str] = {
    "Document": "Documento",
    "Section": "Sezione",
    "Chunk": "Passaggio",
    "Norm": "Norma",
    "Ambito": "Ambito",
    "Comune": "Comune",
    "Organization": "Ente",
    "Person": "Persona",
    "GovernanceBody": "Organo di governance",
    "Service": "Servizio",
    "Objective": "Obiettivo",
    "Indicator": "Indicatore",
    "Network": "Rete",
}


def status_it(code: str | None) -> str:
    """The Italian word of a service status ("n.d." when none is known)."""
    return STATUS_IT.get(code or "", code or "n.d.")


def plural_it(n: int, one: str, many: str) -> str:
    """``n`` with the singular or plural form: "1 documento", "3 documenti"."""
    return f"{n} {one if n == 1 else many}"


# The short forms Italian texts use for each family of act (the first part of our norm ids).
ACT_SHORT: dict[str, str] = {
    "legge": "L.",
    "legge.costituzionale": "L. cost.",
    "dlgs": "D.Lgs.",
    "dl": "D.L.",
    "dpr": "D.P.R.",
    "dpcm": "D.P.C.M.",
    "dm": "D.M.",
    "lr": "L.R.",
    "rr": "R.R.",
    "dgr": "D.G.R.",
    "dcr": "D.C.R.",
    "decreto": "Decreto",
    "circolare": "Circolare",
    "reg.ue": "Reg. UE",
    "rd": "R.D.",
    "rdl": "R.D.L.",
}
WHOLE: dict[str, str] = {
    "costituzione": "Costituzione",
    "codice.civile": "Codice civile",
    "codice.penale": "Codice penale",
    "codice.procedura.civile": "Codice di procedura civile",
    "codice.procedura.penale": "Codice di procedura penale",
}


def norm_label(norm_id: str, *, legislature: str | None = None, title: str | None = None, title_chars: int = 60) -> str:
    """The human form of a norm id: "L.R. 3/2008", "D.G.R. XI/4563/2021", "D.Lgs. 267/2000",
    with " – " and the start of the title when one is given.

    Args:
        norm_id: our canonical id ("lr.lombardia:2008:3", "legge:2000:328", "dgr.lombardia:2021:4563").
        legislature: the regional legislature of a deliberation (XI, XII), shown before its number.
        title: the act's title, cut on a word boundary at about ``title_chars`` characters.
        title_chars: how much of the title to show.
    """
    head, _, rest = norm_id.partition(":")
    if head in WHOLE:
        label = WHOLE[head]
    else:
        family, _, region = head.partition(".")
        short = ACT_SHORT.get(head) or ACT_SHORT.get(family) or family.upper()
        year, _, number = rest.partition(":")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", year):  # an act known by its date (D.M. 4/4/2000)
            y, m, d = year.split("-")
            year, number = "", f"{int(d)}/{int(m)}/{y}"
            label = f"{short} {number}"
        elif number:
            number = f"{legislature}/{number}" if legislature and family in ("dgr", "dcr") else number
            label = f"{short} {number}/{year}"
        else:
            label = f"{short} {year}" if year else short
        if region and family in ("lr", "rr", "dgr", "dcr", "decreto", "circolare") and region != "lombardia":
            label += f" ({region.replace('_', ' ').title()})"
    if title:
        cut = title if len(title) <= title_chars else title[:title_chars].rsplit(" ", 1)[0] + "…"
        label += f" – {cut}"
    return label
