"""Italian words for the codes of the model, for everything a person reads (UI, summaries, CSV)."""

from __future__ import annotations

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
