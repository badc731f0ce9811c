"""Conservative repair of Italian OCR noise, recorded as edits so provenance stays exact.

Every repair is an :class:`~ingest.model.Edit` over the raw text with a rule name. Rules only fire in
contexts where the damaged form cannot be correct text (a free-standing ``&`` followed by a lowercase
Italian word, ``I'`` glued to a vowel, ``|`` where a word starts...), and only in documents that look
OCR'd (see :func:`noise_score`): a clean document gets no edit at all.

Rules (name: damage -> repair):

- ``amp_e``: ``&`` standing alone before a lowercase word -> ``è`` (``È`` after a full stop).
- ``euro_e``: ``€`` between two lowercase words -> ``è`` (amounts such as ``€ 200`` are left alone).
- ``I_apos``: ``I'`` / ``I’`` glued to a vowel -> ``l'`` (English ``I'm``, ``I've``, ``I'd``, ``I'll``
  start with a consonant and never match).
- ``pipe_apos``: ``|'`` -> ``l'``.
- ``pipe_I``: ``|`` at a line or sentence start before a lowercase word -> ``I`` (never on a line that
  holds another ``|``, i.e. a table row).
- ``pipe_word``: ``|`` glued to a word (``|a``, ``|ntegrare``) -> ``l`` or ``i``, whichever makes a word
  of the document's own vocabulary.
- ``bracket_l``: ``[l`` before a lowercase word -> ``Il``.
- ``pit_piu``: ``pit`` / ``pil`` between lowercase Italian words -> ``più``.
- ``cid_cio``: ``cid`` between lowercase words -> ``ciò``.
- ``perd_pero``: ``perd`` as a word -> ``però``.
- ``lr``: ``I.r.`` -> ``l.r.``; ``lgs``: ``Igs`` in ``d. Igs.`` / ``D.Igs.`` / ``DIgs.`` -> ``lgs``.
- ``hyphen_join``: a word split across lines with a hyphen (``accompagne-\\nra``) is joined when the
  joined word occurs elsewhere in the document and the hyphenated compound does not.

Some repairs are not OCR's and apply to any document:

- ``fake_bold``: the text of a PDF whose bold is drawn by printing each glyph twice, which extraction
  reads as every character doubled (``AAmmbbiittoo  TTeerrrriittoorriiaallee`` -> ``Ambito
  Territoriale``). A word whose characters come in identical pairs throughout, six or more (three
  letters once halved), cannot be Italian; the short doubled tokens next to it (``ddii``,
  ``22001188``) are halved with it.
- ``space``: the no-break and fixed-width spaces of word processors and web pages (U+00A0,
  U+2000-U+200A, U+202F, U+205F, U+3000) read as plain spaces, the other line separators (U+000B,
  U+2028, U+2029) as line breaks, and the invisible soft hyphen, zero-width space and byte-order mark
  (U+00AD, U+200B, U+FEFF) are dropped, so "Ambito\\u00a0di Lodi" is "Ambito di Lodi" to every grammar; the
  ligatures a PDF text layer keeps (U+FB00-FB06, "Uﬃcio") are spelled out ("Ufficio").
- ``wrap``: a line break that hard wrapping put inside running prose reads as a space (see
  :mod:`ingest.layout`).
- ``justify``: the runs of spaces that justified setting puts between the words of a line of prose (PDF
  text: "Il  Consorzio  Sociale  Pavese") are one space.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator

from ingest.layout import WORD_GAP, justified, soft_breaks
from ingest.model import Edit

LOWER = "a-zàèéìíòóùú"
UPPER = "A-ZÀÈÉÌÒÙ"
LETTER = LOWER + UPPER
VOWEL = "aeiouAEIOUàèéìòùÀÈÉÌÒÙ"

# A document is treated as OCR'd when it has at least this many noise hits per 10,000 words and at
# least MIN_HITS hits; clean born-digital text scores 0.
NOISE_PER_10K = 5.0
MIN_HITS = 3

# Italian function words: the text must be Italian for the Italian repairs to apply.
ITALIAN_STOPWORDS = frozenset(
    "il lo la i gli le di del della dei delle da dal dalla in nel nella con su per tra fra che non "
    "un una uno sono anche come sul sulla alla alle agli ai al".split()
)

ENGLISH_STOPWORDS = frozenset(
    "the is and of to was are were this that with it for be on as by at an or from his her its their".split()
)

_WORD = re.compile(rf"[{LETTER}]+")

# Signatures that (almost) only OCR produces, used for the noise score.
NOISE_SIGNS = re.compile(
    rf"(?:(?<!\S)[&€](?=[ \t]*\n?[ \t]*[{LOWER}]{{2,}})(?<![\d] €))"
    rf"|(?:(?<![\w'’])I['’](?=[{VOWEL}]))"
    rf"|(?:\|['’][{LETTER}])"
    rf"|(?:\b(?:pit|cid|perd)\b(?=[ \t]+[{LOWER}]))"
    rf"|(?:\bI\.r\.)|(?:D\.?\s?Igs\b)"
)


def vocabulary(text: str) -> Counter[str]:
    """Lower-cased word counts of a text (the document's own vocabulary)."""
    return Counter(w.lower() for w in _WORD.findall(text))


def italian_ratio(text: str, *, sample: int = 200_000) -> float:
    """Share of words (in the first ``sample`` characters) that are common Italian function words."""
    words = [w.lower() for w in _WORD.findall(text[:sample])]
    if not words:
        return 0.0
    return sum(w in ITALIAN_STOPWORDS for w in words) / len(words)


def noise_score(text: str) -> tuple[int, float]:
    """OCR-noise hits in a text and the hits per 10,000 words.

    Returns:
        (hits, hits per 10,000 words); clean born-digital Italian text scores (0, 0.0).
    """
    hits = sum(1 for _ in NOISE_SIGNS.finditer(text))
    words = max(1, len(_WORD.findall(text)))
    return hits, hits * 10_000 / words


def looks_ocr(text: str) -> bool:
    """True when a text is Italian and carries enough OCR noise for the repairs to run."""
    hits, rate = noise_score(text)
    return hits >= MIN_HITS and rate >= NOISE_PER_10K and italian_ratio(text) >= 0.12


# -- context helpers -------------------------------------------------------------------------------
def _prev_char(text: str, i: int) -> str:
    """The nearest non-space character before i ("" at the start of the text)."""
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return text[j] if j >= 0 else ""


_ABBREV = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:art|artt|n|nn|pag|lett|d|dott|sig|ecc|es|cfr|p|c|co)\.$", re.I)


def _sentence_start(text: str, i: int) -> bool:
    """True when position i starts a sentence: text start, after . ! ? (not after an abbreviation such
    as "S.A.E.S." or "art."), or after a blank line that follows no lowercase word or comma."""
    j = i - 1
    newlines = 0
    while j >= 0 and text[j] in " \t\n\f":
        newlines += text[j] in "\n\f"
        j -= 1
    if j < 0 or text[j] in "!?":
        return True
    if text[j] == ".":
        return not _ABBREV.search(text[max(0, j - 20) : j + 1])
    return newlines >= 2 and not (text[j].isalpha() and text[j].islower()) and text[j] not in ",;:(-'’"


def _line_start(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] in "\n\f"


def _line_of(text: str, i: int) -> str:
    s = text.rfind("\n", 0, i) + 1
    e = text.find("\n", i)
    return text[s : e if e >= 0 else len(text)]


_NEXT_WORD = re.compile(rf"[ \t]*\n?[ \t]*([{LETTER}]+)")


def _next_word(text: str, i: int) -> str:
    m = _NEXT_WORD.match(text, i)
    return m.group(1) if m else ""


def _prev_word(text: str, i: int) -> str:
    m = re.search(rf"([{LETTER}]+)[,;]?[ \t]*\n?[ \t]*$", text[max(0, i - 60) : i])
    return m.group(1) if m else ""


def _italian_context(text: str, i: int, width: int = 80) -> bool:
    """True when the words around position i are more Italian than English (by function words)."""
    words = [w.lower() for w in _WORD.findall(text[max(0, i - width) : i + width])]
    it = sum(w in ITALIAN_STOPWORDS for w in words)
    en = sum(w in ENGLISH_STOPWORDS for w in words)
    return it > en


def _is_lower_word(w: str) -> bool:
    return bool(w) and w[0].islower() and w.isalpha()


# -- rules -----------------------------------------------------------------------------------------
RuleFn = Callable[[str, Counter[str]], Iterator[Edit]]

_AMP = re.compile(r"(?<!\S)&(?!\S)")
_AMP_COMPANY = {"figli", "figlio", "co", "c", "soci", "partners", "partner", "associati", "company"}


def rule_amp_e(text: str, vocab: Counter[str]) -> Iterator[Edit]:
    """``&`` standing for ``è``."""
    for m in _AMP.finditer(text):
        nxt = _next_word(text, m.end())
        if not _is_lower_word(nxt) or nxt.lower() in _AMP_COMPANY or not _italian_context(text, m.start()):
            continue
        prev = _prev_word(text, m.start())
        if prev and prev[0].isupper() and prev.isalpha() and not _sentence_start(text, m.start() - len(prev)):
            # "Rossi & figli", "Ricerca & sviluppo"? Only when the name-like word is a known lowercase word.
            if vocab.get(prev.lower(), 0) < 2:
                continue
        rep = "È" if _sentence_start(text, m.start()) else "è"
        yield Edit(start=m.start(), end=m.end(), text=rep, rule="amp_e")


_EURO = re.compile(r"(?<!\S)€(?!\S)")
_EURO_BEFORE_MONEY = {"in", "di", "euro", "mila", "milioni", "importo", "totale", "costo", "pari", "da", "a", "per"}


def rule_euro_e(text: str, vocab: Counter[str]) -> Iterator[Edit]:
    """``€`` standing for ``è`` (never before an amount)."""
    for m in _EURO.finditer(text):
        if text[m.end() : m.end() + 20].lstrip(" \t\n")[:1].isdigit():
            continue  # an amount: "€ 200"
        nxt = _next_word(text, m.end())
        prev = _prev_word(text, m.start())
        if not _is_lower_word(nxt) or nxt in {"per", "al", "cad", "x"} or not _italian_context(text, m.start()):
            continue
        if prev.lower() in _EURO_BEFORE_MONEY or _prev_char(text, m.start()).isdigit():
            continue
        if not prev and not _sentence_start(text, m.start()):
            continue
        rep = "È" if _sentence_start(text, m.start()) else "è"
        yield Edit(start=m.start(), end=m.end(), text=rep, rule="euro_e")


_I_APOS = re.compile(rf"(?<![\w'’|])I(['’])['’]?(?=[{VOWEL}h])")


def rule_i_apos(text: str, vocab: Counter[str]) -> Iterator[Edit]:
    """``I'`` standing for ``l'``."""
    for m in _I_APOS.finditer(text):
        letter = "L" if _sentence_start(text, m.start()) else "l"
        # Only the letter changes ("I'" -> "l'"); a doubled apostrophe ("I’'") loses its second mark.
        yield Edit(start=m.start(), end=m.start() + 1, text=letter, rule="I_apos")
        if m.end() - m.start() == 3:
            yield Edit(start=m.start() + 2, end=m.end(), text="", rule="I_apos")


_PIPE_APOS = re.compile(rf"(?<![\w|])\|(['’])(?=[{LETTER}])")
_PIPE_I = re.compile(rf"(?<![^\s])\|(?=[ \t]+[{LOWER}]{{2,}})")
_PIPE_WORD = re.compile(rf"(?<![^\s(])\|([{LOWER}]+)\b")
_PIPE_DOT = re.compile(rf"(?<![^\s(,])\|(?=\.[{UPPER}]\.)")


def rule_pipe(text: str, vocab: Counter[str]) -> Iterator[Edit]:
    """``|`` standing for ``l`` / ``I`` / ``i``."""
    for m in _PIPE_APOS.finditer(text):
        rep = "L" if _sentence_start(text, m.start()) else "l"
        yield Edit(start=m.start(), end=m.start() + 1, text=rep, rule="pipe_apos")
    for m in _PIPE_I.finditer(text):
        if _line_of(text, m.start()).count("|") != 1:
            continue  # a table row
        if re.match(r"[ \t]+\w+\)", text[m.end() : m.end() + 40]):
            continue  # "| risposta)": a cell of a form laid out in columns
        if _line_start(text, m.start()) or _prev_char(text, m.start()) in ".!":
            yield Edit(start=m.start(), end=m.end(), text="I", rule="pipe_I")
    for m in _PIPE_WORD.finditer(text):
        if _line_of(text, m.start()).count("|") != 1:
            continue
        w = m.group(1)
        if len(w) == 1 and not _is_lower_word(_next_word(text, m.end())):
            continue  # "|e Progressivo": a bullet, not an article
        cands = [(vocab.get(c + w, 0), c) for c in ("l", "i")]
        cands.sort(reverse=True)
        if cands[0][0] >= 2 and cands[0][0] > cands[1][0]:
            yield Edit(start=m.start(), end=m.start() + 1, text=cands[0][1], rule="pipe_word")
    for m in _PIPE_DOT.finditer(text):
        yield Edit(start=m.start(), end=m.end(), text="I", rule="pipe_I")


_BRACKET_L = re.compile(rf"(?<![\w\]\[])\[l(?=[ \t]+[{LOWER}]{{2,}})")


def rule_bracket_l(text: str, vocab: Counter[str]) -> Iterator[Edit]:
    """``[l`` standing for ``Il``."""
    for m in _BRACKET_L.finditer(text):
        if "]" in text[m.end() : m.end() + 80].split("\n", 1)[0]:
            continue  # a real bracketed "[l ...]"
        yield Edit(start=m.start(), end=m.end(), text="Il", rule="bracket_l")


_WORD_FIXES: list[tuple[str, re.Pattern[str], str, bool]] = [
    # (rule, pattern, replacement, needs a lowercase word on both sides)
    ("pit_piu", re.compile(r"(?<![\w'’-])pi[tl](?![\w'’-])"), "più", True),
    ("cid_cio", re.compile(r"(?<![\w'’-])cid(?![\w'’-])"), "ciò", True),
    ("perd_pero", re.compile(r"(?<![\w'’-])perd(?![\w'’-])"), "però", False),
]


def rule_words(text: str, vocab: Counter[str]) -> Iterator[Edit]:
    """``pit``/``pil`` -> ``più``, ``cid`` -> ``ciò``, ``perd`` -> ``però``."""
    for rule, rx, rep, both in _WORD_FIXES:
        for m in rx.finditer(text):
            if not _italian_context(text, m.start()):
                continue
            nxt = _next_word(text, m.end())
            prev = _prev_word(text, m.start())
            if both:
                # The next word must be a lowercase word; the previous one a word or a line start.
                if not _is_lower_word(nxt) or not (prev or _line_start(text, m.start())):
                    continue
                # "pit" / "pil" before a word of English text stays: the neighbour must be Italian-ish.
                if rule == "pit_piu" and not (vocab.get(nxt.lower(), 0) >= 1 and nxt.lower() not in {"bull", "stop"}):
                    continue
            yield Edit(start=m.start(), end=m.end(), text=rep, rule=rule)


_LR = re.compile(r"(?<![\w.])I\.r\.")
_LGS = re.compile(r"\b[dD](?:\.\s?)?(Igs)\b")


def rule_law(text: str, vocab: Counter[str]) -> Iterator[Edit]:
    """``I.r.`` -> ``l.r.`` and ``Igs`` -> ``lgs`` in legislative decree citations."""
    for m in _LR.finditer(text):
        yield Edit(start=m.start(), end=m.start() + 1, text="l", rule="lr")
    for m in _LGS.finditer(text):
        yield Edit(start=m.start(1), end=m.start(1) + 1, text="l", rule="lgs")


_HYPHEN = re.compile(rf"([{LETTER}]{{2,}})-[ \t]*\n[ \t]*([{LOWER}]{{2,}})")


def rule_hyphen(text: str, vocab: Counter[str]) -> Iterator[Edit]:
    """Join a word hyphenated across a line break when the document knows the joined word."""
    for m in _HYPHEN.finditer(text):
        a, b = m.group(1), m.group(2)
        joined = (a + b).lower()
        compound = f"{a}-{b}".lower()
        if vocab.get(joined, 0) < 1 or compound in _compounds(text):
            continue
        if vocab.get(a.lower(), 0) >= 2 and vocab.get(b.lower(), 0) >= 2:  # this split counts once
            continue  # "socio-\nsanitarie": both halves are words, the hyphen may be real
        yield Edit(start=m.end(1), end=m.start(2), text="", rule="hyphen_join")


_COMPOUND_CACHE: dict[int, set[str]] = {}


def _compounds(text: str) -> set[str]:
    key = id(text)
    found = _COMPOUND_CACHE.get(key)
    if found is None:
        found = {m.group(0).lower() for m in re.finditer(rf"[{LETTER}]+-[{LETTER}]+", text)}
        _COMPOUND_CACHE.clear()
        _COMPOUND_CACHE[key] = found
    return found


_TOKEN = re.compile(r"\S+")


def _doubled(t: str) -> bool:
    return len(t) >= 2 and len(t) % 2 == 0 and t[0::2] == t[1::2]


def _twice(t: str) -> bool:
    """A function word printed twice whole ("didi", "DELDEL"), as fake bold sets some short words."""
    h = len(t) // 2
    return len(t) % 2 == 0 and t[:h] == t[h:] and t[:h].lower() in ITALIAN_STOPWORDS


def _halved(t: str) -> str:
    return t[0::2] if _doubled(t) else t[: len(t) // 2]


def rule_fake_bold(text: str) -> Iterator[Edit]:
    """Halve the runs of doubled-character words that fake bold leaves in extracted PDF text (with the
    function words printed twice whole inside them: "CCoonnssiigglliioo didi AAmmmmiinniissttrraazziioonnee")."""
    toks = list(_TOKEN.finditer(text))
    i = 0
    while i < len(toks):
        if not _doubled(toks[i].group(0)):
            i += 1
            continue
        j = i + 1
        while (j < len(toks) and "\n\n" not in text[toks[j - 1].end():toks[j].start()]
               and (_doubled(toks[j].group(0)) or (_twice(toks[j].group(0)) and j + 1 < len(toks) and _doubled(toks[j + 1].group(0))))):
            j += 1  # the run stays inside a paragraph
        run = toks[i:j]
        if any(len(m.group(0)) >= 6 and re.search(rf"[{LETTER}]", m.group(0)) for m in run):
            for m in run:
                yield Edit(start=m.start(), end=m.end(), text=_halved(m.group(0)), rule="fake_bold")
        i = j


UNICODE_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
UNICODE_BREAK = re.compile("[\u000b\u2028\u2029]+")  # a word processor's line break, Unicode's separators
INVISIBLE = re.compile("[\u00ad\u200b\ufeff]+")
# The typographic ligatures a PDF text layer keeps as single characters (U+FB00-FB06), spelled out as Unicode's
# compatibility decomposition (NFKC) spells them: "l'U\ufb03cio di Piano" is "l'Ufficio di Piano".
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
LIGATURE = re.compile("[\ufb00-\ufb06]")


def rule_space(text: str) -> Iterator[Edit]:
    """Plain spaces for typographic ones, line breaks for the other line separators, nothing for
    invisible characters, the letters of a ligature for the ligature (any document)."""
    for pattern, char in ((UNICODE_SPACE, " "), (UNICODE_BREAK, "\n")):
        for m in pattern.finditer(text):
            yield Edit(start=m.start(), end=m.end(), text=char * len(m.group(0)), rule="space")
    for m in INVISIBLE.finditer(text):
        yield Edit(start=m.start(), end=m.end(), text="", rule="space")
    for m in LIGATURE.finditer(text):
        yield Edit(start=m.start(), end=m.end(), text=LIGATURES[m.group(0)], rule="space")


def rule_justify(text: str) -> Iterator[Edit]:
    """One space between the words of a justified line of prose (``ingest.layout.justified``), any document."""
    pos = 0
    for line in text.split("\n"):
        if justified(line):
            for m in WORD_GAP.finditer(line):
                if len(m.group(0)) > 1:
                    yield Edit(start=pos + m.start() + 1, end=pos + m.end(), text="", rule="justify")
        pos += len(line) + 1


# Markdown emphasis inside a line ("l'**Ambito** territoriale di **Corsico**"): the markers are markup,
# not text. A line that is bold as a whole keeps them: that is how a markdown export sets a heading.
EMPHASIS = re.compile(r"(\*\*|__)(?=[^\s*_])([^*_\n]{1,200}?)(?<=[^\s*_])\1")
WHOLE_LINE = re.compile(r"[ \t]*(?:[-*#>\d.)]+[ \t]+)?(\*\*|__)[^\n]*\1[ \t:.]*$")


def rule_emphasis(text: str) -> Iterator[Edit]:
    """No markdown emphasis markers inside a line of text (any document)."""
    for m in EMPHASIS.finditer(text):
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        line = text[ls:le if le >= 0 else len(text)]
        if WHOLE_LINE.match(line) and line.count(m.group(1)) == 2:
            continue
        yield Edit(start=m.start(), end=m.start() + 2, text="", rule="emphasis")
        yield Edit(start=m.end() - 2, end=m.end(), text="", rule="emphasis")


RULES: list[RuleFn] = [rule_amp_e, rule_euro_e, rule_i_apos, rule_pipe, rule_bracket_l, rule_words, rule_law, rule_hyphen]


def find_edits(raw_text: str) -> list[Edit]:
    """All repairs the rules propose for a text, sorted and without overlaps (no noise gate)."""
    vocab = vocabulary(raw_text)
    cands: list[Edit] = []
    for rule in RULES:
        cands.extend(rule(raw_text, vocab))
    cands.sort(key=lambda e: (e.start, e.end))
    edits: list[Edit] = []
    last_end = -1
    for e in cands:
        if e.start < last_end or (edits and e.start == edits[-1].start):
            continue
        edits.append(e)
        last_end = e.end
    return edits


def apply_edits(raw_text: str, edits: list[Edit]) -> str:
    """The text with sorted, non-overlapping edits applied."""
    out: list[str] = []
    pos = 0
    for e in edits:
        out.append(raw_text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(raw_text[pos:])
    return "".join(out)


def repair(
    raw_text: str, *, force: bool = False, ocr_spans: list[tuple[int, int]] | None = None,
    page_spans: list[tuple[int, int]] | None = None,
) -> tuple[str, list[Edit]]:
    """Repair Italian OCR noise in a text that looks OCR'd, and the typography of any text (fake bold,
    typographic spaces, inline emphasis, justified lines, hard wrapping).

    Args:
        raw_text: the text exactly as loaded.
        force: repair even when the text does not look OCR'd (the rules stay context-bound).
        ocr_spans: raw spans known to come from OCR (a PDF's OCR'd pages); when the document as a
            whole does not look OCR'd, the repairs still apply inside these spans.
        page_spans: raw spans of pages set in a block (a PDF's pages): each is hard-wrapped by
            construction, so its soft breaks are read at its own width, however few of its lines fill it.

    Returns:
        The repaired text and the edits (over ``raw_text``, sorted, non-overlapping) that produce it;
        ``(raw_text, [])`` for a text that needs none.
    """
    if force or looks_ocr(raw_text):
        edits = find_edits(raw_text)
    elif ocr_spans:
        spans = sorted(ocr_spans)
        edits = [e for e in find_edits(raw_text) if any(s <= e.start and e.end <= t for s, t in spans)]
    else:
        edits = []
    for rule in (rule_fake_bold, rule_space, rule_emphasis, rule_justify):  # the repairs every document gets replace the edits they overlap
        always = list(rule(raw_text))
        if always:
            covered = {i for b in always for i in range(b.start, b.end)}
            edits = sorted([*always, *(e for e in edits if covered.isdisjoint(range(e.start, e.end)))],
                           key=lambda e: (e.start, e.end))
    taken = {i for e in edits for i in range(e.start, e.end)}
    soft = set(soft_breaks(raw_text))
    for start, end in page_spans or ():
        soft.update(start + i for i in soft_breaks(raw_text[start:end], laid_out=True))
    wraps = [Edit(start=i, end=i + 1, text=" ", rule="wrap") for i in sorted(soft) if i not in taken]
    if wraps:
        edits = sorted([*edits, *wraps], key=lambda e: (e.start, e.end))
    if not edits:
        return raw_text, []
    return apply_edits(raw_text, edits), edits
