"""What every reader hands to the table mapper: text lines for metadata and, per section, the
raw rows of its table (a label and the value cells after it), with their provenance."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import BBox
from ..normalize import squash
from ..template import Template

METHOD_GRID = "grid"            # ruled table: cells from the ruling lines
METHOD_POSITIONS = "positions"  # no usable ruling: cells from word positions
METHOD_TEXT = "text"            # plain text: a label followed by numbers


@dataclass(frozen=True)
class RawCell:
    text: str
    page: int | None = None
    bbox: BBox | None = None
    col: int | None = None        # column index when the reader knows it (positions mode)


@dataclass(frozen=True)
class RawRow:
    label: str
    values: tuple[RawCell, ...]
    page: int | None = None
    # True when the value cells are exactly the printed cells (ruled grid), so a "" is a
    # blank cell; False when blanks may have vanished (text, positions).
    exact: bool = False
    ncols: int | None = None      # number of value columns found in this region (positions)


@dataclass(frozen=True)
class Section:
    table: str
    rows: tuple[RawRow, ...]
    pages: tuple[int, ...]
    method: str


@dataclass(frozen=True)
class Line:
    text: str
    page: int | None = None
    top: float = 0.0
    bottom: float = 0.0


@dataclass(frozen=True)
class SectionSpan:
    table: str
    start: int                    # index of the heading line
    end: int                      # index of the line that ends it (exclusive)


def locate_sections(lines: list[Line], template: Template) -> list[SectionSpan]:
    """Find the headings of sections 二, 三, 四 (and 五, which ends 四) wherever they fall.

    Each heading is searched after the previous one, so a table of contents or a sentence in
    the prose that names the sections does not count (headings must start their line).
    """
    found: dict[str, int] = {}
    order = ("t2", "t3", "t4", "end")
    keys = [squash(ln.text) for ln in lines]
    pos = 0
    for name in order:
        pat = template.sections[name]
        for i in range(pos, len(keys)):
            if pat.match(keys[i]):
                found[name] = i
                pos = i + 1
                break
    spans = []
    for k, name in enumerate(order[:-1]):
        if name not in found:
            continue
        start = found[name]
        nxt = [found[n] for n in order[k + 1:] if n in found]
        end = nxt[0] if nxt else min(len(lines), start + 400)
        spans.append(SectionSpan(name, start, end))
    return spans
