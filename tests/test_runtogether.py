"""Run-together table cells ("21710000218" for 217 1 0 0 0 0 218): random consistent tables are
printed with their cells run together, then cut back. Every cell must come back as printed or be
reported with its possible readings (the printed one among them), never read wrongly; the solver
must keep exactly the cuts that a brute-force search over every combination keeps."""

from __future__ import annotations

import itertools
import random

import pytest

import gkcore
from gkcore.model import FLAG_UNSURE
from gkcore.parse.normalize import parse_value
from gkcore.parse.readers import runtogether as rt
from gkcore.parse.tables import match_row
from gkcore.parse.template import Template, load
from gkcore.present.messages import note_text

from .conftest import FIXTURES
from .gen import truth_of
from .gen._ambiguity import ambiguous, readings

T2021, T2019 = load("2021"), load("2019")
PINGTAN = {y: FIXTURES / "real" / f"fujian-pingtan_{y}_guanweihui.txt" for y in range(2019, 2026)}
GENERATED = sorted((FIXTURES / "ugly").glob("runtogether-*.txt"))


def t3_values(rng: random.Random, template: Template = T2021,
              sizes: tuple[int, ...] = (0, 1, 3, 12, 40, 150, 999)) -> dict[str, list[int]]:
    """A consistent 表三: each applicant column's outcomes add up to its 总计, 收办平衡 holds, and
    each row's 总计 is the sum of its six columns. Mostly small numbers, many zeros, as reported."""
    table = template.tables["t3"]
    group = "other_detail" if template.id == "2021" else "other_single"
    rows = [r.code for r in table.rows if not r.group or r.group == group]
    outcomes = rows[2:-2]
    vals = {r: [0] * 7 for r in rows}
    for c in range(6):
        if c > 1 and rng.random() < 0.6:
            continue
        n = rng.choice(sizes)
        for _ in range(n):
            vals[rng.choice(outcomes[:4] + outcomes)][c] += 1
        vals["total_processed"][c] = n
        co = vals["carried_over"][c] = rng.randint(0, min(n, 12))
        cf = vals["carry_forward"][c] = rng.choice([0, 0, 1, 7, 23])
        vals["new_received"][c] = n + cf - co
    for r in rows:
        vals[r][6] = sum(vals[r][:6])
    return vals


def printed(values: list[int], rng: random.Random, sep: float = 0.15) -> str:
    """The cells run together, with a blank between two of them now and then."""
    return "".join(str(v) + (" " if rng.random() < sep else "") for v in values).strip()


def brute_force(runs: list[rt.RowRun], rules: list[rt.ColRule], ncols: int) -> list[set[tuple[str, ...]]]:
    """The cuts of each row that lie on a choice of one cut per row keeping the most rules."""
    options = [rt.row_cuts(r) or [] for r in runs]
    best, keep = -1, [set() for _ in runs]
    for choice in itertools.product(*options):
        vals = {r.code: [parse_value(p) or 0 for p in cut] for r, cut in zip(runs, choice, strict=True)}
        score = sum(sum(vals[x][c] for x in rule.lhs) == sum(vals[x][c] for x in rule.rhs)
                    for rule in rules for c in range(ncols))
        if score > best:
            best, keep = score, [set() for _ in runs]
        if score == best:
            for k, cut in zip(keep, choice, strict=True):
                k.add(cut)
    return keep


def _problem(seed: int, tamper: bool) -> tuple[list[rt.RowRun], list[rt.ColRule]]:
    rng = random.Random(seed)
    vals = t3_values(rng, sizes=(0, 1, 3, 12, 40, 150))
    if tamper:                                   # a report that does not add up
        row = rng.choice(list(vals))
        vals[row][rng.randrange(7)] += rng.choice([1, 10])
    return rt.table_runs(T2021.tables["t3"], T2021, {r: printed(v, rng) for r, v in vals.items()})


@pytest.mark.parametrize("tamper", [False, True], ids=["consistent", "does-not-add-up"])
def test_solver_keeps_exactly_what_brute_force_keeps(tamper: bool) -> None:
    compared = 0
    for seed in range(300):
        runs, rules = _problem(seed, tamper)
        combos = 1
        for r in runs:
            combos *= len(rt.row_cuts(r) or [])
        if not 1 < combos <= 400:
            continue
        want = brute_force(runs, rules, 7)
        for split, k in zip(rt.solve(runs, rules, 7), want, strict=True):
            assert split.cuts == len(k), (seed, split.code)
            order = lambda x: (parse_value(x) or 0, x)  # noqa: E731 (a blank reading counts as 0)
            assert split.readings == tuple(tuple(sorted({c[i] for c in k}, key=order))
                                           for i in range(7)), (seed, split.code)
        compared += 1
        if compared == 25:
            break
    assert compared == 25, "enough tables with several cuts to compare"


def test_random_tables_come_back_or_are_reported() -> None:
    """100 consistent 2021 tables printed Pingtan-style (labels and digits adjacent, enumerators
    right after the digits): no cell read wrongly, the printed value always among the readings,
    and most cells recovered outright."""
    table = T2021.tables["t3"]
    labels = {r.code: r.label.replace("三（", "（").split("）", 1)[-1] if "（" in r.label[:3] else r.label
              for r in table.rows}
    recovered = unsure = 0
    for seed in range(100):
        rng = random.Random(seed)
        vals = t3_values(rng)
        text = "".join(f"{labels[r]}{printed(v, rng)}" for r, v in vals.items())
        rows = rt.run_together_rows(text, table, T2021)
        assert len(rows) == len(vals)
        for (code, want), row in zip(vals.items(), rows, strict=True):
            assert match_row(row.label, list(table.rows)).code == code
            for cell, value in zip(row.values, want, strict=True):
                if cell.alternatives:
                    assert str(value) in cell.alternatives and parse_value(cell.text) is None
                    unsure += 1
                else:
                    assert cell.text == str(value), (seed, code)
                    recovered += 1
    assert recovered / (recovered + unsure) > 0.95, (recovered, unsure)


def test_t4_blocks_cut_by_their_totals() -> None:
    table = T2021.tables["t4"]
    for seed in range(300):
        rng = random.Random(seed)
        want = []
        for _ in range(3):
            parts = [rng.choice([0, 0, 1, 2, 5, 13, 40]) for _ in range(4)]
            want += parts + [sum(parts)]
        rows = rt.run_together_rows("行政复议行政诉讼结果维持…总计" + printed(want, rng, 0.05), table, T2021)
        assert len(rows) == 1 and len(rows[0].values) == 15
        for cell, value in zip(rows[0].values, want, strict=True):
            assert cell.text == str(value) or str(value) in cell.alternatives


def test_segments_give_the_enumerator_digit_to_the_next_label() -> None:
    assert rt.segments("（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000") == [
        ("（三）不予公开1.属于国家秘密", "0000000"), ("2.其他法律行政法规禁止公开", "0000000")]
    assert rt.segments("规章 000行政规范性文件693665第二十条") == [("规章", "000"), ("行政规范性文件", "693665")]
    assert rt.segments("行政处罚2648-18538行政强制126025") == [("行政处罚", "2648-18538"), ("行政强制", "126025")]
    assert rt.segments("政府集中采购13575394432.52元三、收到") == [("政府集中采购", "13575394432.52元")]


def test_cuts_respect_zeros_blanks_and_signs() -> None:
    assert rt.cuts("0000000", 7) == [("0",) * 7]
    total = (rt.Check((6,), (0, 1, 2, 3, 4, 5)),)
    assert rt.cuts("230 000023", 7, total, strict=True) == [("23", "0", "0", "0", "0", "0", "23")]
    assert len(rt.cuts("230 000023", 7) or []) == 3   # without 总计: 230|0 0 0 0 2 3, 2 30|…23, 23 0|…23
    assert rt.cuts("35-15", 2) == [("35", "-15")]
    assert rt.cuts("105", 2) == [("10", "5")]           # "05" is never a number
    assert rt.cuts("12", 3) == []
    assert rt.cuts("1" * 40, 7, limit=100) is None        # too many to list: the row is not guessed
    assert rt.cuts("1" * 35, 7, total, strict=True) is None   # too many to try (prose digits, not a row)


def test_every_zero_left_blank_placed_by_the_sums() -> None:
    """"17 1 18" for seven cells (every zero left blank): placed only where the row adds up, then the columns
    tell which applicant columns; "120 3" adds up no way, so it is not read as placed numbers."""
    total = (rt.Check((6,), (0, 1, 2, 3, 4, 5)),)
    assert rt.placements("17 1 18", 7) == [], "more than MAX_BLANKS blanks: only where the row's checks hold"
    placed = rt.placements("17 1 18", 7, total)
    assert len(placed) == 15 and all(p[6] == "18" for p in placed)
    assert rt.placements("120 3", 7, total) == []
    t = T2021
    rows = {r.code: "0000000" for r in t.tables["t3"].rows if r.group != "other_single"}
    rows.update(new_received="17 1 0 0 0 0 18", total_processed="1710000 18", granted="17 1 18")
    runs, rules = rt.table_runs(t.tables["t3"], t, rows)
    got = {s.code: s.readings for s in rt.solve(runs, rules, 7)}
    assert got["granted"] == (("17",), ("1",)) + (("",),) * 4 + (("18",),)


def test_two_cuts_that_keep_every_rule_are_both_reported() -> None:
    """表二 has no sum rule: "898989" for 规范性文件 (made, published, total) reads many ways."""
    rows = rt.run_together_rows("规章000规范性文件898989", T2019.tables["t2"], T2019)
    assert [c.text for c in rows[0].values] == ["0", "0", "0"]
    made = rows[1].values[0]
    assert made.alternatives == ("8", "89", "898", "8989") and made.text == "可能为8或89或898或8989"


def test_a_row_no_cut_fits_is_unsure_as_a_whole() -> None:
    rows = rt.run_together_rows("（七）总计12", T2021.tables["t3"], T2021)
    assert [c.text for c in rows[0].values] == ["无法拆分：12"]


# ---- the Pingtan reports ------------------------------------------------------------------
def _cells(year: int) -> dict[str, gkcore.Cell]:
    return {c.ref: c for c in gkcore.parse_file(PINGTAN[year]).cells}


def test_pingtan_2024_cells_recovered() -> None:
    cells = _cells(2024)
    assert [cells[f"t3.new_received.{c}"].raw for c in ("natural_person", "commercial", "total")] == ["217", "1", "218"]
    assert [cells[f"t4.suit_after_review.{c}"].value for c in ("upheld", "corrected", "other", "pending", "total")] \
        == [13, 2, 4, 0, 19]
    assert cells["t2.licensing.decisions"].value == 4529 and not cells["t2.licensing.decisions"].flag


def test_pingtan_ambiguous_cells_are_unsure_with_their_readings() -> None:
    report = gkcore.parse_file(PINGTAN[2021])
    unsure = [c for c in report.cells if c.flag]
    assert [c.ref for c in unsure] == ["t2.normative_docs.issued", "t2.normative_docs.repealed",
                                       "t2.normative_docs.in_force"]
    # the printed digits ran together: no reading is guessed, the note lists the possible ones
    assert unsure[0].value is None and unsure[0].raw == ""
    assert note_text(unsure[0].note, "zh") == "数字连写，拆分不唯一：可能为 6 或 69 或 693 或 6936"
    assert note_text(unsure[0].note, "en") == "Digits run together and split more than one way: 6 or 69 or 693 or 6936"
    method = {t.table: t.method for t in report.tables}
    assert method == {"t2": "runtogether", "t3": "runtogether", "t4": "runtogether"}


def test_pingtan_2020_does_not_add_up_and_says_so() -> None:
    """Its own 表三: 予以公开 6 + 部分公开 6 + 无法提供 4 + 3 + 重复申请 3 + 其他处理 4 = 26, total 20."""
    report = gkcore.parse_file(PINGTAN[2020])
    fails = {(k.rule, k.scope, k.expected, k.found) for k in report.checks if k.status == "fail"}
    assert fails == {("t3_outcome_sum", "col:natural_person", 20, 26), ("t3_outcome_sum", "col:total", 21, 27)}


# ---- unsure exactly where the printed text is ambiguous (tests/gen/_ambiguity.py) ----------------------------------
def test_the_proof_reads_rows_as_printed() -> None:
    assert list(readings("238", 3)) == [("2", "3", "8")], "digits run together: no blank cell among them"
    assert list(readings("105", 2)) == [("10", "5")]
    spaced = set(readings("5 0 0 0 0 5", 7))
    assert ("5", "", "0", "0", "0", "0", "5") in spaced and ("5", "0", "0", "0", "0", "5", "") in spaced
    assert ("5", "0", "0", "0", "0", "5", "0") not in spaced


@pytest.mark.parametrize("doc", GENERATED, ids=lambda p: p.stem)
def test_unsure_exactly_where_the_printed_text_reads_two_ways(doc) -> None:  # type: ignore[no-untyped-def]
    """A cell is unsure if and only if another reading of its printed row keeps every prose figure and as many
    sum rules as the truth: nothing the text settles is left unsure, nothing it leaves open is settled by guess."""
    truth = truth_of(doc)
    proofs = {(c.ref, c.flag == FLAG_UNSURE, ambiguous(truth, (c.table, c.row, c.col)))
              for c in gkcore.parse_file(doc).cells}
    assert [p for p in proofs if p[2] is None] == [], "the proof reads every row"
    assert [p for p in proofs if p[1] != p[2]] == []


def test_the_generated_documents_hold_both_kinds_of_cell() -> None:
    """Not vacuous: the fixtures hold cells the text settles and cells it leaves open, in 表二 and in 表三."""
    kinds = set()
    for doc in GENERATED:
        truth = truth_of(doc)
        kinds |= {(c["table"], ambiguous(truth, (c["table"], c["row"], c["col"]))) for c in truth["cells"]}
    assert {("t2", True), ("t2", False), ("t3", True), ("t3", False), ("t4", False)} <= kinds
