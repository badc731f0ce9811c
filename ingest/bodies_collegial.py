"""Readings that the grammar of collegial bodies (``entities_bodies._collegial_bodies``) needs beyond the names it
matches: the same names written in capitals, the level a table takes from the people who sit at it, the offices named
by a function of governance, and the definite mention that refers back to a group first introduced with "un".
Each reading keeps the offsets of the text."""

from __future__ import annotations

import re

from ingest.entities_common import title_word


# An index or a heading writes a body's name in capitals ("IL TAVOLO DEGLI ASSESSORI AI SERVIZI SOCIALI ...... 67"):
# the grammar of names reads case (a capitalised head, lower-case connectives), so a line with no lower-case letter
# is read in the case Italian names take - each word capitalised, the articles and prepositions inside lower case
# ("Il Tavolo degli Assessori ai Servizi Sociali"). Only the case changes: the offsets stay those of the text.
CAPS_LINE_RE = re.compile(r"(?m)^[^\n]*[A-Z\u00c0-\u00dd]{3}[^\n]*$")


def _name_case(word: str, first: bool) -> str:
    """One word in the case of names (see ``smart_title``), or the word itself where the case change would move offsets."""
    low = word.lower()
    if len(low) != len(word):
        return word
    named = title_word(low, not first)
    return named if len(named) == len(word) else word


def _line_in_name_case(line: str) -> str:
    parts = re.split(r"(\s+)", line)
    words = [i for i, p in enumerate(parts) if p and not p.isspace()]
    for n, i in enumerate(words):
        parts[i] = _name_case(parts[i], n == 0)
    return "".join(parts)


def caps_view(text: str) -> str:
    """``text`` with each line that has no lower-case letter written in the case of names (same length)."""
    out, pos = [], 0
    for m in CAPS_LINE_RE.finditer(text):
        line = m.group(0)
        if any(ch.islower() for ch in line):
            continue
        out.append(text[pos:m.start()])
        out.append(_line_in_name_case(line))
        pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    view = "".join(out)
    return view if len(view) == len(text) else text


# A table named by who sits at it takes their level (DGR Lombardia XI/4563/2021, governance della programmazione
# zonale: the political level is the mayors' and the assessori's, the technical level the Ufficio di Piano's and the
# comuni's social workers and officers): "il Tavolo delle Assistenti Sociali dei Comuni", "il Tavolo dei Responsabili
# dei servizi sociali" are the technical table; "il Tavolo degli Assessori ai Servizi Sociali" is a political one.
TECHNICAL_MEMBERS_RE = re.compile(r"^(?:tavol[oi]|comitat[oi]|grupp[oi]|coordinamento)[ \t]+(?:dei|degli|delle)[ \t]+"
                                  r"(?:assistenti[ \t]+social[ie]|operator[ie]|responsabil[ie]|tecnic[ie]|coordinator[ie]|funzionari|educator[ie]"
                                  r"|professionist[ie])\b")


def members_level(folded_name: str) -> str | None:
    """"tavolo_tecnico" for a table named by professionals who sit at it (see above); None otherwise."""
    return "tavolo_tecnico" if TECHNICAL_MEMBERS_RE.match(folded_name) else None


# An office named by a function of governance ("l'Ufficio di Direzione e programmazione" of a Servizio sociale dei
# Comuni, L.R. Friuli Venezia Giulia 6/2006; "l'Ufficio di Coordinamento"; the "Ufficio di Presidenza" of an assembly is
# read with its owner by the grammar of collegial bodies): the head
# "Ufficio", capitalised, with "di" and a function noun, and a second one after "e". An office of a hospital or of a
# comune's administration names its branch after the function ("Ufficio di Direzione Sanitaria"): not a body.
OFFICE_FUNCTION_RE = re.compile(
    r"\b(Uffici[oi][ \t]+(?:di|del)[ \t]+(?:[Dd]irezione|[Cc]oordinamento|[Pp]rogrammazione)"
    r"(?:[ \t]+e[ \t]+(?:[Pp]rogrammazione|[Cc]oordinamento|[Vv]alutazione|[Mm]onitoraggio|[Pp]rogettazione))?)\b"
    r"(?![ \t]+(?i:sanitari|generale|medic|amministrativ|tecnic|scolastic|didattic))")


# A group is introduced with the indefinite article and its function ("Costituito un gruppo di lavoro per la
# redazione del Piano") and then referred to with the definite article and another qualifier ("Il gruppo ristretto
# sarà composto dai sindaci di ..."): the definite mention is the same group (Italian definite anaphora), named by
# its introduction.
INTRODUCED_RE = re.compile(r"(?i)\b(?:un|una|uno)[ \t]+({head})[ \t]+(di|per)[ \t]+([a-z\u00e0-\u00f9]{{4,}})\b")


def introduced_name(text: str, head: str, before: int) -> str | None:
    """The name of the group whose head word ``head`` is introduced with "un"/"una" before offset ``before``
    ("gruppo di lavoro"), or None."""
    rx = re.compile(INTRODUCED_RE.pattern.format(head=re.escape(head)), re.I)
    found = None
    for m in rx.finditer(text, 0, before):
        found = f"{m.group(1)} {m.group(2)} {m.group(3)}"
    return found
