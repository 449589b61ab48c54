"""Tables whose printed cells a reader knows exactly (web pages, Word files): cells with their
spans -> one raw row per table row, and one text line per row for the metadata.

A cell spanning several columns counts once (HTML readers and python-docx repeat it in every
column it covers; counting it twice would shift the numbers after it). A cell spanning several
rows lends its label to each row it covers, so "三、本年度办理结果 （三）不予公开 2.…" stays
whole, but never its number: a number merged over two rows is unsure in the lower one."""

from __future__ import annotations

from dataclasses import dataclass

from ..normalize import is_value_like, squash
from .base import RawCell, RawRow

# The text given to a number that a vertical merge carries into a lower row: not a number, so
# the cell comes out unsure instead of repeating the figure of the row above.
MERGED_ABOVE = "（与上一行合并）"
MAX_COLSPAN = 100                 # wider spans are markup errors (colspan="9999")
# Grid positions the spans of one table may fill (a report's table has a few hundred): beyond
# this the spans count as single cells, so that a page of tall, wide spans cannot fill memory.
MAX_SPAN_SLOTS = 50_000


@dataclass(frozen=True)
class GridCell:
    """A printed cell in source order (HTML's model: spans on the cell where it starts)."""

    text: str                     # its lines joined by "\n"
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Slot:
    """One position of the expanded grid."""

    cell: int                     # the printed cell that covers it (unique within its table)
    text: str
    above: bool = False           # the cell began in a row above (rowspan, vertical merge)


def expand_spans(rows: list[list[GridCell]]) -> list[list[Slot]]:
    """The grid positions of each row, spans expanded (a cell is placed in the first column
    that no cell from a row above still covers)."""
    taken: dict[tuple[int, int], Slot] = {}
    ident = 0
    budget = MAX_SPAN_SLOTS
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            rs = min(max(cell.rowspan, 1), len(rows) - r)
            cs = min(max(cell.colspan, 1), MAX_COLSPAN)
            if rs * cs > 1:
                if rs * cs > budget:
                    rs = cs = 1
                budget -= rs * cs
            for dr in range(rs):
                for dc in range(cs):
                    taken[(r + dr, c + dc)] = Slot(ident, cell.text, dr > 0)
            ident += 1
            c += cs
    grid: list[list[Slot]] = [[] for _ in rows]
    for (r, _), slot in sorted(taken.items()):
        grid[r].append(slot)
    return grid


def _flat(text: str) -> str:
    """A cell's lines joined: a label or number wrapped inside its cell ("7\\n67" is 767)."""
    return "".join(ln.strip() for ln in text.splitlines())


def grid_row(slots: list[Slot]) -> tuple[str, RawRow]:
    """(line text, raw row) of one grid row: the label is every cell up to the last one that is
    not a number (or blank, "/", …); the cells after it are the values, blanks kept."""
    cells: list[Slot] = []
    seen: set[int] = set()
    for s in slots:
        if s.cell not in seen:
            seen.add(s.cell)
            cells.append(s)
    texts = [_flat(s.text) for s in cells]
    last_label = max((i for i, t in enumerate(texts) if not is_value_like(t)), default=-1)
    label = " ".join(t for t in texts[:last_label + 1] if t)
    values = tuple(RawCell(MERGED_ABOVE if s.above and squash(t) else t)
                   for s, t in zip(cells[last_label + 1:], texts[last_label + 1:], strict=True))
    line = " ".join(t for s, t in zip(cells, texts, strict=True) if t and not s.above)
    return line, RawRow(label, values, None, exact=True)
