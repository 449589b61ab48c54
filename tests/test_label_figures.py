"""A row whose own figures the reader took for label text (issue 18: "规范性文件 1 3.", where "3." carried a
speck read as its dot): its blank cells are not known blanks. They are unsure, the figures seen named in the
note; a label without such figures keeps its blanks clean."""

from __future__ import annotations

from gkcore.model import FLAG_CLEAN, FLAG_UNSURE
from gkcore.model.notes import parse_note
from gkcore.parse import template
from gkcore.parse.readers.base import RawCell, RawRow, Section
from gkcore.parse.tables import map_rows_table
from gkcore.present.messages import note_text


def _read(label: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    tpl = template.load("2021")
    row = RawRow(label, (RawCell("86", col=2),), 1, ncols=3)
    cells, _ = map_rows_table(tpl.tables["t2"], Section("t2", [row], (1,), "rows"), tpl)
    return {(c.row, c.col): (c.raw, c.flag, c.note) for c in cells if c.row == "normative_docs"}


def test_figures_inside_a_label_leave_its_blank_cells_unsure() -> None:
    cells = _read("规范性文件 1 3.")
    raw, flag, why = cells[("normative_docs", "issued")]
    assert (raw, flag) == ("", FLAG_UNSURE) and parse_note(why) == ("label_figures", {"seen": "1 3."})
    assert "1 3." in note_text(why) and "请对照原件核实" in note_text(why)
    assert cells[("normative_docs", "in_force")][:2] == ("86", FLAG_CLEAN)
    unread = _read("规范性文件 ?")                   # a mark the scan's reader could not read, in the label
    assert unread[("normative_docs", "issued")][1] == FLAG_UNSURE


def test_a_label_without_stray_figures_keeps_its_blanks() -> None:
    for label in ("规范性文件", "1.规范性文件", "1 规范性文件"):     # an enumerator at its start is no figure
        cells = _read(label)
        assert cells[("normative_docs", "issued")][:2] == ("", FLAG_CLEAN), label
