"""The facts of a text do not depend on its typography: no-break and invisible characters (word
processors, web pages) and hard line wrapping (PDF text, e-mail, fixed-width pages).

Texts written here, in several typographies, and the real texts of tests/data/realworld re-set the way a
PDF would set them, all read through the real pipeline (``parse`` of a file on disk)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from ingest.layout import justified, unwrap, wrap_width
from ingest.eval_facts import predicted_facts
from ingest.pipeline import parse
from ingest.repair import repair
from tests.fixtures_ingest import make_text_pdf

REALWORLD = Path(__file__).resolve().parent / "data" / "realworld"

PLAN = (
    "Piano di Zona 2025-2027 dell'Ambito territoriale di Corsico\n\n"
    "L'Ambito territoriale di Corsico comprende i Comuni di Assago, Buccinasco, Cesano Boscone, Corsico, "
    "Cusago e Trezzano sul Naviglio, con il Comune di Corsico capofila. Il Piano è approvato "
    "dall'Assemblea dei Sindaci e attuato dall'Ufficio di Piano, in accordo con ATS Città Metropolitana di "
    "Milano e con l'ASST Ovest Milanese.\n\n"
    "Nel triennio l'Ambito gestisce il servizio di assistenza domiciliare e lo Spazio Neutro per gli incontri "
    "protetti tra genitori e figli, e attiverà l'Agenzia per l'Abitare a sostegno delle famiglie in "
    "difficoltà abitativa.\n"
)


def facts(path: Path) -> dict[str, list]:
    """The fields people query, as sorted name lists (types and statuses with the services)."""
    got = predicted_facts(parse(path))
    out = {f: sorted(names[0] for names, *_ in got[f]) for f in ("ambito", "comuni", "ats_asst", "bodies")}
    out["services"] = sorted((names[0], t, st) for names, t, st, _ in got["services_status"])
    out["region"] = got["region"]
    return out


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_plain_text_reads_every_field(tmp_path):
    got = facts(write(tmp_path, "plain.txt", PLAN))
    assert len(got["comuni"]) == 6 and got["ambito"] and len(got["ats_asst"]) == 2 and len(got["bodies"]) == 2
    assert {t for _, t, _ in got["services"]} >= {"sad", "spazio_neutro", "agenzia_abitare"}
    assert got["region"] == "lombardia"


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009"])
def test_no_break_and_thin_spaces_read_as_spaces(tmp_path, space):
    plain = facts(write(tmp_path, "plain.txt", PLAN))
    typeset = re.sub(r"\b(di|del|dei|il|lo|la|e) ", lambda m: m.group(1) + space, PLAN)
    assert typeset.count(space) > 10
    assert facts(write(tmp_path, "typeset.txt", typeset)) == plain


def test_invisible_characters_are_dropped_from_names(tmp_path):
    plain = facts(write(tmp_path, "plain.txt", PLAN))
    damaged = PLAN.replace("Buccinasco", "Bucci\u00adnasco").replace("Trezzano", "Trez\u200bzano")
    assert facts(write(tmp_path, "damaged.txt", "\ufeff" + damaged)) == plain


def test_the_ligatures_of_a_pdf_text_layer_are_spelled_out(tmp_path):
    """A text layer that keeps "ﬁ", "ﬀ", "ﬃ" as single characters gives the facts of the plain text, and the
    names are written with their letters ("Ufficio di Piano", "Affido")."""
    plain = facts(write(tmp_path, "plain.txt", PLAN))
    tied = PLAN.replace("ffi", "\ufb03").replace("fi", "\ufb01").replace("ff", "\ufb00").replace("fl", "\ufb02")
    assert sum(tied.count(c) for c in "\ufb00\ufb01\ufb02\ufb03") >= 4
    assert facts(write(tmp_path, "tied.txt", tied)) == plain
    text, edits = repair("l'U\ufb03cio di Piano e il servizio A\ufb00ido")
    assert text == "l'Ufficio di Piano e il servizio Affido" and {e.rule for e in edits} == {"space"}


def test_space_repair_keeps_the_raw_text_and_its_offsets():
    raw = "Ambito\u00a0di\u00a0Corsico: Bucci\u00adnasco e Assago."
    text, edits = repair(raw)
    assert text == "Ambito di Corsico: Buccinasco e Assago."
    assert {e.rule for e in edits} == {"space"}
    for e in edits:  # every edit spans raw characters it replaces
        assert raw[e.start:e.end] in ("\u00a0", "\u00ad")


@pytest.mark.parametrize("marker", ["**", "__"])
def test_inline_markdown_emphasis_is_markup(tmp_path, marker):
    plain = facts(write(tmp_path, "plain.txt", PLAN))
    words = r"\b(Ambito territoriale|Corsico|Assago|Cusago|Assemblea dei Sindaci|Spazio Neutro|ASST Ovest Milanese)\b"
    marked = re.sub(words, lambda m: marker + m.group(1) + marker, PLAN)
    assert marked.count(marker) >= 14
    assert facts(write(tmp_path, "marked.md", marked)) == plain


def test_a_bold_line_keeps_its_markers_as_a_heading():
    raw = "**PIANO DI ZONA 2025-2027**\n\nIl **Piano** dell'Ambito.\n- __Ufficio di Piano__\n"
    text, edits = repair(raw)
    assert text == "**PIANO DI ZONA 2025-2027**\n\nIl Piano dell'Ambito.\n- __Ufficio di Piano__\n"
    assert [e.rule for e in edits] == ["emphasis", "emphasis"]


def test_word_processor_line_breaks_are_line_breaks(tmp_path):
    listing = ("Ambito territoriale di Corsico\n\nI Comuni dell'Ambito sono:\n- Assago\n- Buccinasco\n- Cesano Boscone\n"
               "- Corsico\n- Cusago\n- Trezzano sul Naviglio\n")
    plain = facts(write(tmp_path, "plain.txt", listing))
    assert len(plain["comuni"]) == 6
    for sep in ("\u2028", "\u2029"):
        assert facts(write(tmp_path, "sep.txt", listing.replace("\n- ", sep + "- "))) == plain


@pytest.mark.parametrize("width", [64, 80, 100])
def test_hard_wrapped_prose_reads_as_running_text(tmp_path, width):
    plain = facts(write(tmp_path, "plain.txt", PLAN))
    wrapped = "\n\n".join("\n".join(textwrap.wrap(p, width)) for p in PLAN.split("\n\n")) + "\n"
    assert wrapped.count("\n") > PLAN.count("\n") + 4
    assert facts(write(tmp_path, f"wrapped{width}.txt", wrapped)) == plain


def test_unwrap_joins_only_the_breaks_of_wrapped_prose():
    prose = textwrap.fill(" ".join(["Il servizio di tutela minori dell'Ambito segue le famiglie del territorio"] * 8), 86)
    listing = (
        "Gli enti fondatori del Consorzio sono i seguenti, nell'ordine dello statuto costitutivo\n"
        "COMUNITA' MONTANA DEI LAGHI (dal 1 luglio 2009 COMUNITA' MONTANA DEI LAGHI BERGAMASCHI)\n"
        "COMUNE DI BIANZANO\n"
        "- Comune di Casazza, sede del consorzio e del suo ufficio amministrativo principale\n"
        "Comune          Abitanti        Superficie      Densita      Altitudine      Zona\n"
        "Casazza         4.123           7,1             580          354             collina\n"
    )
    text = prose + "\n\n" + listing
    assert wrap_width(text.split("\n")) is not None
    out = unwrap(text)
    assert len(out) == len(text)
    assert "\n" not in out[: len(prose)]  # the wrapped paragraph is one line
    assert out[len(prose) + 2:] == listing  # capitals, list items and table rows keep their lines


def test_a_heading_in_capitals_wrapped_before_a_preposition_is_one_line():
    """A wrapped line that the next opens on a preposition or a conjunction goes on, in any case; a line that
    opens on an article (a signature, an item) does not."""
    heading = "ASSEMBLEA DEI SINDACI DELL'AMBITO TERRITORIALE DEL GEMONESE E DEL CANAL DEL FERRO - VAL CANALE"
    prose = textwrap.fill(" ".join(["Il servizio di tutela minori dell'Ambito segue le famiglie del territorio"] * 6), 74)
    signatures = "Il Sindaco del Comune di Gemona del Friuli per l'approvazione del verbale\n" \
                 "Il Sindaco del Comune di Venzone per l'approvazione del verbale di seduta"
    wrapped = textwrap.fill(heading, 74)
    assert wrapped.split("\n")[1].startswith("DEL FERRO")  # broken before the preposition
    text = wrapped + "\n\n" + prose + "\n\n" + signatures
    out = unwrap(text)
    assert out.split("\n")[0] == heading
    assert out.endswith(signatures)


def test_a_text_that_is_not_wrapped_is_left_as_it_is():
    web = "\n".join(f"Paragrafo {i}: " + "parole di una pagina web senza a capo forzati " * (i % 7 + 1) for i in range(12))
    assert wrap_width(web.split("\n")) is None
    assert unwrap(web) == web


def _rewrap(text: str, width: int) -> str:
    """The text as a PDF sets it: each one-line paragraph broken at ``width`` columns."""
    return "\n".join("\n".join(textwrap.wrap(line, width, break_on_hyphens=False)) or line for line in text.split("\n"))


@pytest.mark.parametrize("folder", ["facts", "fresh", "dev4"])
def test_real_texts_read_the_same_when_set_at_ninety_columns(tmp_path, folder):
    docs = sorted((REALWORLD / folder / "docs").glob("*.txt"))
    assert len(docs) >= 7
    changed = []
    for src in docs:
        raw = src.read_text(encoding="utf-8")
        wrapped = _rewrap(raw, 90)
        if wrapped == raw:
            continue
        changed.append(src.name)
        assert facts(write(tmp_path, "w_" + src.name, wrapped)) == facts(src), src.name
    assert len(changed) >= len(docs) // 2  # most real excerpts hold paragraphs longer than a PDF line


def test_justified_lines_read_as_single_spaced(tmp_path):
    plain = facts(write(tmp_path, "plain.txt", PLAN))
    wide = iter([1, 2, 3, 2, 1, 3, 2])
    lines = []
    for line in PLAN.split("\n"):  # a justified page: every line's gaps widened by one to three spaces
        lines.append(re.sub(" ", lambda m: " " * next(wide, 2), line) if len(line.split()) >= 8 else line)
        wide = iter([1, 2, 3, 2, 1, 3, 2] * 40)
    justified_text = "\n".join(lines)
    assert "   " in justified_text
    assert facts(write(tmp_path, "justified.txt", justified_text)) == plain


@pytest.mark.parametrize("line,is_prose", [
    ("Il  Consorzio  Sociale  Pavese  gestisce   il  Piano  di  Zona  del", True),
    ("Il Consorzio Sociale Pavese gestisce il Piano di Zona del Distretto", False),  # single-spaced: nothing to do
    ("Comune     Abitanti     Superficie     Densità", False),  # a table's header
    ("Casazza  4.123  7,1  580  354  collina", False),  # a row of few cells
    ("A S S E M B L E A   D E I   S I N D A C I", False),  # a heading set in spaced letters
])
def test_what_is_a_justified_line(line, is_prose):
    assert justified(line) is is_prose


def test_a_plan_read_from_its_pdf_reads_as_its_text(tmp_path):
    plain = facts(write(tmp_path, "plain.txt", PLAN))
    assert facts(make_text_pdf(tmp_path / "plan.pdf", [PLAN])) == plain
