"""Properties of the text and table-mapping layers, checked by hypothesis on generated input:
cell values (blank, 0 and "/" stay different facts; full-width digits read as half-width ones),
label matching under the noise real reports print, the table mapper (every template cell exactly
once, no number that is not in the input), the run-together splitter, the checks (never raise),
and the text entry point (only typed errors).

Derandomized and without an example database, so every run (and CI) tries the same examples."""

from __future__ import annotations

import contextlib
import math
import random
import re
import unicodedata

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from gkcore.errors import GkError
from gkcore.model import FLAG_UNSURE, NOT_ASSESSABLE, STATUSES, UNSURE, Cell, ProseFigure
from gkcore.model.box import Box
from gkcore.parse.checks import check_prose, check_rules
from gkcore.parse.normalize import (
    MAX_DIGITS,
    PLACEHOLDERS,
    clean_cell,
    is_value_like,
    label_key,
    nfkc,
    parse_value,
    squash,
)
from gkcore.parse.pipeline import parse_bytes
from gkcore.parse.readers import runtogether as rt
from gkcore.parse.readers import runtogether_cuts as rc
from gkcore.parse.readers.base import RawCell, RawRow, Section
from gkcore.parse.readers.layout import grid_rows
from gkcore.parse.readers.pdfgeom import Char
from gkcore.parse.readers.text import TextDoc
from gkcore.parse.tables import map_tables, match_row
from gkcore.parse.template import Row, Table, Template, all_templates

TEMPLATES = all_templates()
PROPS = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(PROPS, max_examples=40)

_FULL = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}      # ASCII -> full-width forms
_SPACES = (" ", "\u3000", "\n", "\t", "\u00a0", "\r\n")


def full_width(text: str) -> str:
    return "".join(_FULL.get(ch, ch) for ch in text)


# ---- cell values ---------------------------------------------------------------------------
blank_or_placeholder = st.sampled_from(sorted(PLACEHOLDERS | {""}))
padding = st.lists(st.sampled_from(_SPACES), max_size=3).map("".join)


@PROPS
@given(text=blank_or_placeholder, left=padding, right=padding, wide=st.booleans())
def test_blank_and_placeholders_are_never_a_number(text: str, left: str, right: str, wide: bool) -> None:
    """"", "/", "—", "无" … read as no number (never 0), are value-like (the cell is not unsure),
    and keep their own raw text, so blank and "/" stay different facts."""
    raw = left + (full_width(text) if wide else text) + right
    assert parse_value(raw) is None
    assert is_value_like(raw)
    kept = clean_cell(raw)
    assert kept == (full_width(text) if wide else text).strip()
    assert (kept == "") == (text.strip() == "")


@PROPS
@given(n=st.integers(-(10**MAX_DIGITS) + 1, 10**MAX_DIGITS - 1), decimals=st.one_of(st.none(), st.text(
    alphabet="0123456789", min_size=1, max_size=8)), commas=st.booleans(), data=st.data())
def test_full_width_spaced_and_grouped_digits_read_the_same(n: int, decimals: str | None, commas: bool,
                                                            data: st.DataObject) -> None:
    digits = f"{abs(n):,}" if commas else str(abs(n))
    text = ("-" if n < 0 else "") + digits + (f".{decimals}" if decimals else "")
    expected = float(text.replace(",", "")) if decimals else n
    assert parse_value(text) == expected
    assert parse_value(full_width(text)) == expected                      # "１２，３４５．６"
    at = data.draw(st.integers(0, len(text)))
    gap = data.draw(st.sampled_from(_SPACES))
    assert parse_value(text[:at] + gap + text[at:]) == expected           # "12 345", a wrapped cell
    assert is_value_like(full_width(text))


@PROPS
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
@example("A\u00b4")                      # NFKC gives "A \u0301"; without the blank it composes to "Á"
def test_normalisation_is_idempotent(text: str) -> None:
    assert nfkc(nfkc(text)) == nfkc(text)
    assert squash(squash(text)) == squash(text)
    assert clean_cell(clean_cell(text)) == clean_cell(text)
    assert not re.search(r"\s", squash(text))


@PROPS
@given(st.text(max_size=40), st.integers(0, 10**40))
def test_parse_value_never_raises_and_never_invents(text: str, big: int) -> None:
    """Whatever a cell holds, parse_value returns a number it states (its digits are in the
    text) or None; thousands of digits are no figure (and no crash)."""
    for raw in (text, str(big), text + "9" * 5000, "9" * 5000 + text):
        value = parse_value(raw)
        if value is not None:
            assert isinstance(value, int | float) and abs(value) <= 10**MAX_DIGITS
            ascii_digits = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in squash(raw))
            assert not isinstance(value, int) or str(abs(value)) in ascii_digits.replace(",", "")


# ---- label matching ---------------------------------------------------------------------------
def _rows_tables() -> list[tuple[Template, Table, Row, str]]:
    """(template, table, row, printed form) for every label and alias of every row and block."""
    out = []
    for t in TEMPLATES:
        for table in t.tables.values():
            for row in table.rows:
                for form in dict.fromkeys((row.label, *row.aliases)):
                    out.append((t, table, row, form))
    return out


LABELS = _rows_tables()


@st.composite
def noisy(draw: st.DrawFn, label: str) -> str:
    """The label as reports print it: full-width punctuation and digits, blanks and line breaks
    anywhere, 、 for ．, an enumerator or the parent heading before it."""
    chars = list(label)
    for i in range(len(chars)):
        if draw(st.integers(0, 5)) == 0:
            chars[i] = full_width(chars[i])
        elif chars[i] in "、．." and draw(st.booleans()):
            chars[i] = draw(st.sampled_from("、．."))
    text = "".join(chars)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(_SPACES)) + text[at:]
    return draw(st.sampled_from(["", "1.", "（一）", "(3)", "三、", "12、"])) + text


@PROPS
@given(case=st.sampled_from(LABELS), data=st.data())
def test_every_label_and_alias_matches_its_row_under_noise(case: tuple[Template, Table, Row, str],
                                                           data: st.DataObject) -> None:
    """Every printed form of every row is matched to that row, and to no other row even when its
    own is not among the candidates (a row printed twice must not take another row's place)."""
    _, table, row, form = case
    label = data.draw(noisy(form))
    rows = list(table.rows)
    assert match_row(label, rows) is row, label
    assert match_row(label, [r for r in rows if r is not row]) is None, label


def test_aliases_are_keys_and_never_shared() -> None:
    for t in TEMPLATES:
        for table in t.tables.values():
            owner: dict[str, str] = {}
            for row in table.rows:
                for alias in row.aliases:
                    assert label_key(alias) == alias
                    assert owner.setdefault(alias, row.code) == row.code, (t.id, table.code, alias)


# ---- the table mapper -------------------------------------------------------------------------
def _int_text(n: int) -> str:
    return str(n)


cell_text = st.one_of(
    st.integers(0, 10**6).map(_int_text),
    st.integers(0, 10**6).map(lambda n: full_width(str(n))),
    st.integers(-99, -1).map(_int_text),
    st.decimals(0, 10**5, places=3, allow_nan=False).map(str),
    blank_or_placeholder,
    st.sampled_from(["12件", "251000元", "22（其中修订16件）", "待定", "1e5"]),
)


@st.composite
def printed_sections(draw: st.DrawFn, template: Template) -> tuple[dict[str, Section], dict[str, list[str]],
                                                                   set[str]]:
    """Sections of random raw rows: some template rows (noisy labels, right or wrong number of
    cells), header rows, all shuffled. Returns the sections, the cell texts printed for each row
    code that had exactly its cells, and the codes printed with the wrong number of cells."""
    sections: dict[str, Section] = {}
    exact: dict[str, list[str]] = {}
    wrong: set[str] = set()
    pool = draw(st.lists(cell_text, min_size=1, max_size=16))           # the texts cells take
    rnd = random.Random(draw(st.integers(0, 2**32)))                     # cheap per-cell choices

    def texts_of(n: int) -> list[str]:
        return [rnd.choice(pool) for _ in range(n)]

    for code, table in template.tables.items():
        rows: list[RawRow] = []
        if table.layout == "single_row" and draw(st.booleans()):
            n = len(table.cols) * len(table.rows)
            texts = texts_of(n)
            rows.append(RawRow("", tuple(RawCell(t) for t in texts)))
            for b, blk in enumerate(table.rows):
                exact[f"{code}.{blk.code}"] = texts[b * len(table.cols):(b + 1) * len(table.cols)]
        else:
            for row in table.rows:
                if not draw(st.booleans()):
                    continue                                    # a row the report lacks
                ncells = len(table.cols) if table.layout == "single_row" else len(row.cols)
                short = ncells > 1 and draw(st.integers(0, 9)) == 0
                texts = texts_of(ncells - short)
                form = draw(st.sampled_from((row.label, *row.aliases)))
                rows.append(RawRow(draw(noisy(form)), tuple(RawCell(t) for t in texts)))
                if short:
                    wrong.add(f"{code}.{row.code}")
                else:
                    exact[f"{code}.{row.code}"] = texts
            for header in draw(st.lists(st.sampled_from(["申请人情况", "自然人 法人或其他组织", "信息内容",
                                                         "本列数据的勾稽关系为", ""]), max_size=3)):
                rows.append(RawRow(header, ()))
            rows = draw(st.permutations(rows))
        sections[code] = Section(code, tuple(rows), (), "text")
    return sections, exact, wrong


@FEW
@given(template=st.sampled_from(TEMPLATES), data=st.data())
def test_map_tables_gives_every_cell_once_and_only_printed_numbers(template: Template,
                                                                   data: st.DataObject) -> None:
    sections, exact, wrong = data.draw(printed_sections(template))
    cells, reports = map_tables(template, sections)
    refs = [(c.table, c.row, c.col) for c in cells]
    assert len(refs) == len(set(refs)), "a template cell came out twice"
    got = {(t, r) for t, r, _ in refs}
    for code, table in template.tables.items():
        groups = {r.group for r in table.rows if r.group}
        present = {r.group for r in table.rows if r.group and (code, r.code) in got}
        for row in table.rows:
            cols = [c.code for c in table.cols] if table.layout == "single_row" else list(row.cols)
            if not row.group or row.group in present:
                assert {c for t, r, c in refs if (t, r) == (code, row.code)} == set(cols)
        if groups:
            assert present, f"{code}: no variant of its row groups came out"
            printed = set(exact) | wrong
            assert {r.group for r in table.rows if r.group and f"{code}.{r.code}" in printed} <= present
    for c in cells:
        key = f"{c.table}.{c.row}"
        if key in exact:                                       # printed with exactly its cells
            i = ([x.code for x in template.tables[c.table].cols] if template.tables[c.table].layout == "single_row"
                 else list(template.tables[c.table].row(c.row).cols)).index(c.col)
            text = exact[key][i]
            assert c.raw == clean_cell(text)
            assert c.value == (parse_value(text) if is_value_like(text) else None)   # "1e5" is not 1
            money = {x.code for x in template.tables[c.table].cols if x.decimals}
            fraction = c.value is not None and c.value != int(c.value) and c.col not in money    # (a count's
            signed_zero = c.value == 0 and c.raw[:1] in "-－−–"            # fraction, a zero's minus: a speck)
            assert (c.flag == FLAG_UNSURE) == (not is_value_like(text) or fraction or signed_zero)
        else:                                                  # missing, or the cells do not fit
            assert c.value is None and c.flag == FLAG_UNSURE
        if c.value is None and c.raw == "" and key in exact:
            assert squash(exact[key][i]) == ""                 # a blank stays blank, never 0
    assert [r.table for r in reports] == list(template.tables)


def test_a_cell_that_is_no_number_keeps_its_text_but_gives_no_value() -> None:
    """"12万" and "1e5" are not 12 and 1: the cell is unsure, its text kept, its value None."""
    template = TEMPLATES[0]
    row = RawRow("规章", (RawCell("12万"), RawCell("1e5"), RawCell("3")))
    cells, _ = map_tables(template, {"t2": Section("t2", (row,), (), "text")})
    got = {c.col: (c.raw, c.value, c.flag) for c in cells if c.row == "rules"}
    assert got == {"issued": ("12万", None, FLAG_UNSURE), "repealed": ("1e5", None, FLAG_UNSURE),
                   "in_force": ("3", 3, "")}


def test_grid_cells_with_huge_or_infinite_sides_read_like_ordinary_ones() -> None:
    """A ruling path scaled far off the page gives a cell reaching y = 1e9 (or inf): the page's
    text is read as from an ordinary cell, without indexing a billion bands (or raising)."""
    chars = [Char("规", 10, 10, 20, 20), Char("章", 21, 10, 31, 20), Char("7", 60, 10, 66, 20)]
    ordinary = grid_rows([[Box(0, 0, 50, 30), Box(50, 0, 100, 30)]], chars, 1)
    assert ordinary and ordinary[0].label == "规章" and [v.text for v in ordinary[0].values] == ["7"]
    assert grid_rows([[Box(0, 0, 50, 1e9), Box(50, 0, 100, 1e9)]], chars, 1) == [
        RawRow("规章", (RawCell("7", 1, (50, 0, 100, 1e9)),), 1, exact=True)]
    stray = Char("8", float("nan"), float("inf"), float("nan"), float("inf"))
    cells = [Box(0, 0, 50, 30), Box(50, 0, 100, 30), Box(0, 30, 50, math.inf)]
    assert grid_rows([cells], [*chars, stray], 1) == ordinary


# ---- run-together digits ----------------------------------------------------------------------
run_text = st.text(alphabet="0123456789", min_size=1, max_size=24).flatmap(
    lambda s: st.lists(st.sampled_from(["", "", "", " ", "-"]), min_size=len(s), max_size=len(s)).map(
        lambda seps: "".join(d + sep for d, sep in zip(s, seps, strict=True)).strip().rstrip("-")))


@st.composite
def row_checks(draw: st.DrawFn, n: int) -> tuple[rt.Check, ...]:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        lhs = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True))
        rhs = draw(st.lists(st.integers(0, n - 1).filter(lambda i, lhs=lhs: i not in lhs), min_size=1,
                            max_size=n, unique=True))
        out.append(rt.Check(tuple(lhs), tuple(rhs)))
    return tuple(out)


@PROPS
@given(printed=run_text, n=st.integers(1, 7), data=st.data())
def test_cuts_reproduce_the_digits_and_keep_the_rules_they_claim(printed: str, n: int, data: st.DataObject) -> None:
    assume(printed)
    checks = data.draw(row_checks(n))
    every = rt.cuts(printed, n)
    kept = rt.cuts(printed, n, checks, strict=True)
    assume(every is not None and kept is not None)
    assert every is not None and kept is not None
    assert set(kept) <= set(every)
    for cut in every:
        assert len(cut) == n
        assert "".join(cut) == re.sub(r"\s", "", printed)          # every digit, in order, once
        assert all(rc._NUMBER.fullmatch(p) for p in cut)
        assert all(not (p.lstrip("-").startswith("0") and p.lstrip("-")[1:2].isdigit()) for p in cut)
    for cut in kept:
        vals = [rc._value(p) for p in cut]
        assert all(rc._holds(c, vals) for c in checks)
    best = rt.row_cuts(rt.RowRun("r", printed, n, checks))
    placed = rt.placements(printed, n)
    if kept:                     # the digit cuts that keep every check, and the blank placements that do too
        assert best is not None and set(kept) <= set(best) and set(best) - set(kept) <= set(placed)
    for cut in best or []:
        assert "".join(cut) == re.sub(r"\s", "", printed)
    for cut in placed:           # the printed numbers in their order, blanks only between or around them
        assert len(cut) == n and [p for p in cut if p] == printed.split()


@FEW
@given(values=st.lists(st.lists(st.sampled_from([0, 0, 0, 1, 2, 7, 10, 35, 120]), min_size=6, max_size=6),
                       min_size=1, max_size=3),
       data=st.data())
def test_run_together_rows_read_each_cell_as_printed_or_not_at_all(values: list[list[int]],
                                                                   data: st.DataObject) -> None:
    """表三 rows printed without blanks: a cell read one way is read as printed (its row's own
    rule holds for it), a cell read several ways lists the printed reading among its readings."""
    template = TEMPLATES[0]
    table = template.tables["t3"]
    rows = data.draw(st.lists(st.sampled_from([r for r in table.rows if not r.group]), min_size=len(values),
                              max_size=len(values), unique=True))
    text, truth = "", {}
    for row, six in zip(rows, values, strict=True):
        cells = six + [sum(six)]
        truth[row.code] = [str(v) for v in cells]
        text += row.label + "".join(truth[row.code]) + "\n"
    for raw in rt.run_together_rows(text, table, template):
        code = match_row(raw.label, list(table.rows))
        assert code is not None and code.code in truth
        printed = truth[code.code]
        if not raw.exact:                                   # no cut fits: shown, not guessed
            assert len(raw.values) == 1 and parse_value(raw.values[0].text) is None
            continue
        assert len(raw.values) == len(printed)
        for cell, want in zip(raw.values, printed, strict=True):
            if cell.alternatives:
                assert want in cell.alternatives and parse_value(cell.text) is None
            else:
                assert cell.text == want
        if not any(c.alternatives for c in raw.values):
            assert "".join(c.text for c in raw.values) == "".join(printed)


# ---- checks -----------------------------------------------------------------------------------
any_value = st.one_of(st.none(), st.integers(-(10**400), 10**400), st.integers(-5, 50),
                      st.floats(allow_nan=True, allow_infinity=True))


def test_checks_take_an_integer_beyond_float_range_next_to_a_decimal() -> None:
    template = TEMPLATES[0]
    cells = [Cell(t, r, c, "x", 10**400 if (r, c) == ("new_received", "total") else 1.5)
             for t, r, c in template.cell_refs()]
    results = {(k.rule, k.scope): k for k in check_rules(template, cells)}
    assert results[("t3_column_balance", "col:total")].status == "fail"
    assert results[("t3_column_balance", "col:natural_person")].status == "pass"


@PROPS
@given(template=st.sampled_from(TEMPLATES), data=st.data())
def test_checks_never_raise_and_never_count_a_blank_as_zero(template: Template, data: st.DataObject) -> None:
    refs = template.cell_refs()
    pool = data.draw(st.lists(any_value, min_size=1, max_size=12))     # values the cells share
    rnd = random.Random(data.draw(st.integers(0, 2**32)))              # cheap per-cell choices
    unsure = data.draw(st.floats(0, 0.3))
    cells = [Cell(t, r, c, "x", rnd.choice(pool), None, None, FLAG_UNSURE if rnd.random() < unsure else "")
             for t, r, c in refs if rnd.random() > 0.03]                 # a few cells missing
    figures = [ProseFigure(p.code, p.label, rnd.choice([0, 7, 10**20, *[v for v in pool if isinstance(v, int)]]),
                           "…") for p in template.prose if rnd.random() < 0.7]
    results = check_rules(template, cells) + check_prose(template, cells, figures)
    index = {c.ref: c for c in cells}
    for res in results:
        assert res.status in STATUSES and isinstance(res.message, str) and res.message
        involved = [index[ref] for ref in res.cells]
        if any(c.flag == FLAG_UNSURE for c in involved):
            assert res.status == UNSURE
        elif any(c.value is None for c in involved):
            assert res.status == NOT_ASSESSABLE                # blank or "/" is not 0


# ---- the text entry point ---------------------------------------------------------------------
_VOCAB = [
    "某区人民政府办公室2024年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
    "本年度共收到政府信息公开申请12件", "申请人情况", "自然人", "总计", "0 0 0", "1 2 3 4 5 6 21", "/ — 无",
    "| 规章 | 1 | 0 | 3 |", "|---|---|", "| | 5 | | |", "# 标题", "- 3 -", "217100002181", "9" * 60,
]
line = st.one_of(st.sampled_from(_VOCAB), st.sampled_from(LABELS).map(lambda c: c[3]),
                 st.lists(cell_text, max_size=8).map(" ".join),
                 st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))


@PROPS
@given(lines=st.lists(line, max_size=40), encoding=st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]))
def test_text_entry_point_raises_only_typed_errors(lines: list[str], encoding: str) -> None:
    data = "\n".join(lines).encode(encoding)
    try:
        report = parse_bytes(data, "report.txt")
    except GkError:
        return
    refs = [(c.table, c.row, c.col) for c in report.cells]
    assert len(refs) == len(set(refs))
    for t in TEMPLATES:
        with contextlib.suppress(GkError):
            TextDoc(data).read_sections(t)


@FEW
@given(lines=st.lists(line, max_size=30))
def test_web_page_entry_point_raises_only_typed_errors(lines: list[str]) -> None:
    body = "".join(f"<tr>{''.join(f'<td>{w}</td>' for w in ln.split())}</tr>" if i % 2 else f"<p>{ln}</p>"
                   for i, ln in enumerate(lines))
    with contextlib.suppress(GkError):
        parse_bytes(f"<html><body><table>{body}</table></body></html>".encode(), "report.html")
