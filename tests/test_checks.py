"""The consistency rules on hand-made cells: each broken rule gives exactly the expected
results, blanks are not assessable, unsure cells are told apart from a report that does not
add up, and nothing raises."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gkcore.model import FAIL, FLAG_UNSURE, NOT_ASSESSABLE, PASS, UNSURE, Cell, ProseFigure
from gkcore.parse.checks import check_prose, check_rules
from gkcore.parse.template import load

T = load("2021")


def consistent() -> list[Cell]:
    """A small consistent report: 10 new + 2 carried = 9 granted + 1 partial ... + 2 forward."""
    per_row = {"new_received": 10, "carried_over": 2, "granted": 7, "partial": 1, "unable_no_info": 2,
               "total_processed": 10, "carry_forward": 2}
    cells = []
    for t, r, c in T.cell_refs():
        if r == "other_total":      # the 2021 layout prints the three sub-items instead
            continue
        if t == "t3":
            n = per_row.get(r, 0) if c in ("natural_person", "total") else 0
        else:
            n = {"upheld": 1, "total": 1}.get(c, 0)
        cells.append(Cell(t, r, c, str(n), n))
    return cells


def set_value(cells: list[Cell], ref: str, value: int | None, raw: str | None = None, flag: str = "") -> list[Cell]:
    return [replace(c, value=value, raw=str(value) if raw is None else raw, flag=flag) if c.ref == ref else c
            for c in cells]


def bad(cells: list[Cell]) -> list[tuple[str, str, str]]:
    return sorted(r.flat() for r in check_rules(T, cells) if r.status != PASS)


def test_consistent_report_passes_every_rule() -> None:
    results = check_rules(T, consistent())
    assert {r.status for r in results} == {PASS}
    assert len(results) == 7 + 7 + 25 + 3   # balance and outcome sum per column, row totals, t4 blocks


def test_outcome_cell_breaks_three_rules() -> None:
    cells = set_value(consistent(), "t3.granted.natural_person", 8)
    assert bad(cells) == [("t3_outcome_sum", "col:natural_person", FAIL),
                          ("t3_row_total", "row:granted", FAIL)]


def test_carry_forward_breaks_balance_only() -> None:
    cells = set_value(consistent(), "t3.carry_forward.total", 3)
    assert bad(cells) == [("t3_column_balance", "col:total", FAIL), ("t3_row_total", "row:carry_forward", FAIL)]


def test_t4_block() -> None:
    cells = set_value(consistent(), "t4.suit_direct.pending", 2)
    results = [r for r in check_rules(T, cells) if r.status == FAIL]
    assert [r.flat() for r in results] == [("t4_block_total", "row:suit_direct", FAIL)]
    assert (results[0].expected, results[0].found) == (1, 3)
    assert "表四“行政诉讼·未经复议直接起诉”：总计为 1" in results[0].message


def test_blank_and_slash_are_not_assessable_not_zero() -> None:
    cells = set_value(consistent(), "t3.partial.commercial", None, raw="/")
    cells = set_value(cells, "t3.granted.research", None, raw="")
    assert bad(cells) == [("t3_outcome_sum", "col:commercial", NOT_ASSESSABLE),
                          ("t3_outcome_sum", "col:research", NOT_ASSESSABLE),
                          ("t3_row_total", "row:granted", NOT_ASSESSABLE),
                          ("t3_row_total", "row:partial", NOT_ASSESSABLE)]


def test_unsure_cell_is_not_blamed_on_the_report() -> None:
    cells = set_value(consistent(), "t3.carried_over.total", None, raw="", flag=FLAG_UNSURE)
    got = bad(cells)
    assert got == [("t3_column_balance", "col:total", UNSURE), ("t3_row_total", "row:carried_over", UNSURE)]
    msg = next(r.message for r in check_rules(T, cells) if r.status == UNSURE)
    assert "解析不确定" in msg and "t3.carried_over.total" in msg


def test_absent_alternative_rows_are_skipped() -> None:
    """A report printing （六）其他处理 as one row: other_total instead of the three sub-items."""
    cells = [c for c in consistent() if not c.row.startswith("other_")]
    cells += [Cell("t3", "other_total", c, "0", 0) for c in [x.code for x in T.tables["t3"].cols]]
    assert bad(cells) == []


@pytest.mark.parametrize(("stated", "status"), [(10, PASS), (12, PASS), (11, FAIL)])
def test_prose_figure(stated: int, status: str) -> None:
    """共收到申请 N 件 may count the carried-over applications (10 + 2) or not (10)."""
    fig = ProseFigure("applications_received", "收到申请数", stated, "共收到政府信息公开申请…件")
    (res,) = check_prose(T, consistent(), [fig])
    assert (res.rule, res.status, res.expected) == ("prose_applications_received", status, stated)
