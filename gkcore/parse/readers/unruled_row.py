"""Unruled one-row tables (表四: three blocks of five columns, one printed row of numbers): the
fifteen columns from the headers (each label once per block), the values placed by column, so a
blank cell stays blank instead of shifting its neighbours left."""

from __future__ import annotations

from dataclasses import replace

from .base import RawCell, RawRow
from .layout import char_height
from .pdfgeom import Char
from .settings import SETTINGS
from .unruled import Piece, RowCells, join_wrapped, put
from .unruled_cols import Columns
from .unruled_heads import find_columns
from .unruled_tokens import split_headers, table_tokens


def single_row(chars: list[Char], page: int, labels: tuple[str, ...], blocks: int,
               inherited: Columns | None) -> tuple[list[RawRow], Columns] | None:
    """The table's one row, or None when its headers are not found or the numbers below them do not
    sit on one line (the caller then reads the word positions the older way)."""
    if not chars:
        return None
    h = char_height(chars)
    toks, fine = table_tokens(chars, h)
    own = find_columns(split_headers(fine, chars, labels), labels, h, repeat=blocks)
    cols = own.inherit(inherited) if own else (replace(inherited, bottom=-1.0) if inherited else None)
    if cols is None:
        return None
    b = cols.bounds()
    spacing = cols.spacing()
    cells = join_wrapped([t for t in toks if t.cy > cols.bottom and b[0] <= t.cx <= b[-1]
                          and t.x1 - t.x0 <= 1.5 * spacing])
    if any(t.cx < b[0] - spacing for t in toks if t.cy > cols.bottom):   # a label column: not this layout
        return None
    if cells and max(t.cy for t in cells) - min(t.cy for t in cells) > SETTINGS.row_spread * h:
        return None
    if not cells and cols.bottom < 0:     # a page without header and without numbers: nothing to say
        return [], cols
    row = RowCells(Piece(cells[:1]))
    place, cols = cols.placer(cells, h)
    for t in cells:
        j, other = place(t)
        put(row, j, t, other)
    row.settle()
    values = tuple(RawCell(t.text, page, t.bbox, col=j, conf=t.conf) for j, t in sorted(row.cells.items()))
    return [RawRow("", values, page, exact=False, ncols=len(cols.centers), complete=True,
                   unsure=tuple(sorted(row.unsure.items())))], cols
