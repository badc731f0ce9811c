"""Line breaks that are layout, not text: the hard wrapping of prose.

PDF text, e-mail and fixed-width pages break statements and names at a column ("Ambito territoriale del
Gemonese e del Canal\\ndel Ferro", "inserimenti\\nlavorativi"), where a web page or a word processor
keeps a paragraph on one line. Every grammar of the extractors reads a line as a unit (a list item, a
heading, a table row, a sentence that does not run on), so the breaks of wrapped prose are read as the
spaces they stand for: ``soft_breaks`` finds them and ``ingest.repair`` turns each into a space (an edit
of the same length, so every offset still holds).

A document is read as wrapped when many of its lines end near one width. There a line that reaches that
width and does not close a statement runs on into the next, unless the next line opens an item of a
list or either line is a table row - a general rule of document layout.
"""

from __future__ import annotations

import re

ITEM_START = re.compile(
    r"[ \t]*(?:[-*#>|\u00b7\u2022\u2043\u2219\u25aa\u25ab\u25cb\u25cf\u25e6\u25a0\u25ba\u25b6\u2756\u2713\u2714"
    r"\u2794\u27a2\u27a4\u2013\u2014\uf000-\uf0ff]"  # bullets, the last the private-use ones of symbol fonts
    r"|\d{1,3}[.)](?!\d)|[a-zA-Z]\)|$)"
)
TABLE_ROW = re.compile(r"\t|\S {3,}\S|\|")
WORD_GAP = re.compile(r"(?<=\S) +(?=\S)")


def justified(line: str) -> bool:
    """A line of prose set justified, as PDF text gives it ("Il  Consorzio  Sociale  Pavese  gestisce   il"): eight
    words or more, two gaps or more of several spaces, none wider than four (a table's columns are wider, or its
    cells fewer), and words, not the letters of a heading set spaced ("A S S E M B L E A   D E I")."""
    gaps = [len(g) for g in WORD_GAP.findall(line)]
    words = line.split()
    return (len(gaps) >= 7 and max(gaps) <= 4 and sum(g > 1 for g in gaps) >= 2
            and sum(len(w) > 1 for w in words) >= 0.6 * len(words))


def _table_row(line: str) -> bool:
    return bool(TABLE_ROW.search(line)) and not justified(line)
WRAP_MIN_LINES = 8  # too few lines say nothing of a width
WRAP_SHARE = 0.25  # share of the lines that end within the band below the width
WRAP_COLUMNS = (40, 160)  # the widths text is set at (a slide's, a landscape page's at most)
FULL = 0.75  # a line this close to the width was broken by the layout, not by the writer

# Italian articles, prepositions and conjunctions: a line that stops on one goes on (the same words open no
# proper name: ingest.entities_common.NAME_STOP is this set).
FUNCTION_WORDS = frozenset(
    "il lo la i gli le l un una uno e ed o di del della dello dei degli delle dell da dal dalla dai "
    "dalle dall in nel nella nei nelle nell con su sul sulla per tra fra a al alla ai alle all che".split()
)
# The prepositions and conjunctions among them: a line that opens on one continues the line before, in any case
# ("DELL'AMBITO DEL GEMONESE E DEL CANAL\nDEL FERRO"); the articles are left out, since a signature or an item
# opens on one ("Il Sindaco di ...").
CONTINUING_WORDS = FUNCTION_WORDS - frozenset("il lo la i gli le l un una uno che".split())
OPENING_QUOTES = "\"'\u201c\u00ab\u2018(*"


def wrap_width(lines: list[str], *, laid_out: bool = False) -> int | None:
    """The column a hard-wrapped text breaks at: the 90th percentile of its line lengths, when at least
    ``WRAP_SHARE`` of the lines end within a quarter below it; None for a text that is not wrapped.

    Args:
        lines: the text's lines.
        laid_out: the lines are known to be set in a block (a page of a PDF, printed or scanned), so
            they are wrapped however few of them fill it: only the width is measured.
    """
    lengths = sorted(len(x.rstrip()) for x in lines if x.strip())
    if len(lengths) < (2 if laid_out else WRAP_MIN_LINES):
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not WRAP_COLUMNS[0] <= width <= WRAP_COLUMNS[1]:
        return None
    near = sum(1 for n in lengths if FULL * width <= n <= width + 3)
    return width if laid_out or near >= WRAP_SHARE * len(lengths) else None


def _runs_on(head: str, nxt: str) -> bool:
    """Whether a full-width line goes on into the next: the next opens in lower case, or the line stops
    on a comma, an open bracket, a dash, an apostrophe or a function word, or a name runs across the
    break (a capitalised word on both sides, neither line in capitals, which is how lists of names and
    headings are set). A word hyphenated across the break ("accompagne-\nra") is not a soft break:
    the hyphen repair and the grammars read it whole."""
    if re.search(r"\w-$", head):
        return False
    if nxt[0].islower() or head[-1] in ",(-'\u2019\u2013\u2014" or head.split()[-1].lower() in FUNCTION_WORDS:
        return True
    if nxt.split()[0].lower() in CONTINUING_WORDS:  # "...DEL CANAL\nDEL FERRO": no item, heading or name opens so
        return True
    last, first = head.split()[-1], nxt.split()[0].lstrip(OPENING_QUOTES)
    return last[:1].isupper() and first[:1].isupper() and not head.isupper() and not nxt.isupper()


def soft_breaks(text: str, *, laid_out: bool = False) -> list[int]:
    """Offsets of the line breaks of ``text`` that hard wrapping put inside running prose (none in a text
    that is not wrapped; ``laid_out``: the text is one page of a PDF, wrapped by construction)."""
    lines = text.split("\n")
    width = wrap_width(lines, laid_out=laid_out)
    if width is None:
        return []
    out: list[int] = []
    pos = 0
    for a, b in zip(lines, lines[1:]):
        pos += len(a)
        head, nxt = a.rstrip(), b.strip()
        if (len(head) >= FULL * width and head[-1] not in ".;:!?" and nxt and not ITEM_START.match(b)
                and not _table_row(head) and not _table_row(nxt) and _runs_on(head, nxt)):
            out.append(pos)
        pos += 1
    return out


def unwrap(text: str) -> str:
    """``text`` with its soft breaks read as spaces (same length); a text that is not wrapped comes back
    as it is."""
    chars = list(text)
    for i in soft_breaks(text):
        chars[i] = " "
    return "".join(chars)
