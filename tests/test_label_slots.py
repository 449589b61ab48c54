"""A row's label that the recogniser half-read (issue 18): found by its place between two found rows,
only where nothing else could be meant; otherwise the row stays not found (unsure), never a wrong row."""

from __future__ import annotations

from gkcore.model import FLAG_CLEAN, FLAG_UNSURE
from gkcore.parse import template
from gkcore.parse.readers.base import RawCell, RawRow, Section
from gkcore.parse.tables import map_rows_table


def _row(label: str, first: str) -> RawRow:
    return RawRow(label, tuple(RawCell(v) for v in (first, "0", "0", "0", "0", "0", first)), 1, exact=True)


def _read(*rows: RawRow) -> dict[tuple[str, str], tuple[str, str]]:
    tpl = template.load("2021")
    cells, _ = map_rows_table(tpl.tables["t3"], Section("t3", rows, (1,), "grid"), tpl)
    return {(c.row, c.col): (c.raw, c.flag) for c in cells}


PETITION, PUBLICATION = _row("1.信访举报投诉类申请", "3"), _row("3.要求提供公开出版物", "5")


def test_a_half_read_label_alone_in_its_slot_is_its_row() -> None:
    """"2.垂复申请" (0.75 of "重复申请", short of the 0.8 its text alone needs), read between 信访举报
    and 公开出版物 with 重复申请 the one row still free between them: that row."""
    cells = _read(PETITION, _row("2.垂复申请", "4"), PUBLICATION)
    assert cells[("reject_duplicate", "natural_person")] == ("4", FLAG_CLEAN)
    assert cells[("reject_publication", "natural_person")] == ("5", FLAG_CLEAN)


def test_a_half_read_label_with_any_doubt_stays_not_found() -> None:
    """Two rows read in the slot, a label unlike the free row's, or no found row after it: not found."""
    two = _read(PETITION, _row("2.垂复申请", "4"), _row("2.重夏由请", "6"), PUBLICATION)
    assert two[("reject_duplicate", "natural_person")][1] == FLAG_UNSURE
    unlike = _read(PETITION, _row("2.本年合计", "4"), PUBLICATION)
    assert unlike[("reject_duplicate", "natural_person")][1] == FLAG_UNSURE
    last = _read(PETITION, _row("2.垂复申请", "4"))
    assert last[("reject_duplicate", "natural_person")][1] == FLAG_UNSURE


def test_two_free_rows_in_the_slot_leave_both_not_found() -> None:
    """信访举报 and 无正当理由大量反复申请 found, 重复申请 and 公开出版物 both free between them: the one
    half-read row read there could be either, so neither is found."""
    cells = _read(PETITION, _row("2.垂复申请", "4"), _row("4.无正当理由大量反复申请", "7"))
    assert cells[("reject_duplicate", "natural_person")][1] == FLAG_UNSURE
    assert cells[("reject_publication", "natural_person")][1] == FLAG_UNSURE
