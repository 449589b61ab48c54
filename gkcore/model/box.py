"""The one box of the house: a rectangle on a page with a top-left origin (pdfplumber's and a page
image's), x0 <= x1 from left to right and top <= bottom downward.

`Box[float]` is in PDF points: a character's tight box (readers/pdfgeom.Char.bbox), a ruled cell
(readers/layout.grid_rows), where a cell was read (RawCell.bbox, Cell.bbox, the cells frame's x0,
top, x1, bottom). `Box[int]` is in pixels of a page image (a scan's glyphs). A Box is a tuple: it
equals, hashes, pickles and prints to JSON as the plain 4-tuple it replaces."""

from __future__ import annotations

from typing import Generic, NamedTuple, TypeVar

N = TypeVar("N", int, float)     # the unit: float for PDF points, int for an image's pixels


class Box(NamedTuple, Generic[N]):
    x0: N
    top: N
    x1: N
    bottom: N

    @property
    def width(self) -> N:
        return self.x1 - self.x0

    @property
    def height(self) -> N:
        return self.bottom - self.top

    @property
    def area(self) -> N:
        return (self.x1 - self.x0) * (self.bottom - self.top)
