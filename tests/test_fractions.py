"""A count never holds a fraction, nor a zero a sign (issue 18: "143" read "1.43" on a poor scan, a speck
taken for a decimal point, and shown as a clean 1.43; "0" read "-0"). A figure with a fraction in a column of
counts is unsure, its reading kept; in a column of money (万元, `decimals = true` in the template) it is a
figure like any other. A signed zero is unsure wherever it stands."""

from __future__ import annotations

from gkcore.model import FLAG_CLEAN, FLAG_UNSURE
from gkcore.model.notes import parse_note
from gkcore.parse import template
from gkcore.parse.readers.base import RawCell, RawRow, Section
from gkcore.parse.tables import map_rows_table
from gkcore.present.messages import note_text


def _cells(label: str, *values: str) -> dict[str, tuple[str, object, str, str]]:
    tpl = template.load("2021")
    row = RawRow(label, tuple(RawCell(v) for v in values), 1)
    cells, _ = map_rows_table(tpl.tables["t2"], Section("t2", [row], (1,), "rows"), tpl)
    return {c.col: (c.raw, c.value, c.flag, c.note) for c in cells if c.raw or c.value is not None}


def test_a_fraction_in_a_count_is_unsure_with_its_reading() -> None:
    raw, value, flag, why = _cells("规范性文件", "1", "3", "1.43")["in_force"]
    assert (raw, value, flag) == ("1.43", 1.43, FLAG_UNSURE) and parse_note(why) == ("fraction", {"text": "1.43"})
    assert "1.43" in note_text(why) and "请对照原件核实" in note_text(why)
    assert _cells("规范性文件", "1", "3", "143")["in_force"][2] == FLAG_CLEAN


def test_a_fraction_in_a_sum_of_money_is_a_figure() -> None:
    assert _cells("行政事业性收费", "1.43")["amount_wan"][:3] == ("1.43", 1.43, FLAG_CLEAN)


def test_a_signed_zero_is_unsure_with_its_reading() -> None:
    """"0" read "-0" on a poor scan (a speck before it taken for a minus): no report prints a signed zero."""
    raw, value, flag, why = _cells("规范性文件", "1", "3", "-0")["in_force"]
    assert (raw, value, flag) == ("-0", 0, FLAG_UNSURE) and parse_note(why) == ("signed_zero", {"text": "-0"})
    assert "-0" in note_text(why) and "请对照原件核实" in note_text(why)
    assert _cells("规范性文件", "1", "3", "0")["in_force"][2] == FLAG_CLEAN
    assert _cells("规范性文件", "1", "3", "-3")["in_force"][2] == FLAG_CLEAN
