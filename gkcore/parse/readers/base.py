"""What every reader hands to the table mapper: text lines for metadata and, per section, the
raw rows of its table (a label and the value cells after it), with their provenance."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ...model.box import Box
from ..normalize import squash
from ..template import Template

METHOD_GRID = "grid"            # ruled table: cells from the ruling lines
METHOD_POSITIONS = "positions"  # no usable ruling: cells from word positions
METHOD_TEXT = "text"            # plain text: a label followed by numbers
METHOD_HTML = "html"            # web page: the cells of its <table>s, spans expanded
METHOD_DOCX = "docx"            # Word file: the cells of its tables, merges expanded
METHOD_RUNTOGETHER = "runtogether"  # text whose cells ran together: digits split by the sum rules


@dataclass(frozen=True)
class RawCell:
    text: str
    page: int | None = None
    bbox: Box[float] | None = None
    col: int | None = None        # column index when the reader knows it (positions mode)
    conf: float = 1.0             # recognition confidence (OCR); 1.0 for a text layer
    # The readings the reader could not rule out (run-together digits that split more than one
    # way under every sum rule): the cell is unsure and `text` is not a number. Empty when read.
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawRow:
    label: str
    values: tuple[RawCell, ...]
    page: int | None = None
    # True when the value cells are exactly the printed cells (ruled grid), so a "" is a
    # blank cell; False when blanks may have vanished (text, positions).
    exact: bool = False
    ncols: int | None = None      # number of value columns found in this region (positions)
    # True when every value of the row was placed from the geometry (each value's `col` known), so
    # an empty `values` means a blank row rather than a row whose values were not read.
    complete: bool = False
    # Columns (index, note) whose cell is uncertain: a value whose row or column the geometry does
    # not settle. The mapper flags these cells unsure with the note.
    unsure: tuple[tuple[int, str], ...] = ()


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


class Unpaged:
    """What a reader of a source without pages has (text, web page, Word): no page count, nothing
    recognised from images."""

    pages: int | None = None
    ocr_pages: tuple[int, ...] = ()
    unread_pages: tuple[int, ...] = ()


class Reader(Protocol):
    """What every reader gives the pipeline."""

    @property
    def kind(self) -> str: ...            # its Format's kind (gkcore/parse/formats.py)

    @property
    def pages(self) -> int | None: ...    # None for sources without pages

    @property
    def lines(self) -> list[Line]: ...    # the visible text in reading order (metadata, headings)

    @property
    def ocr_pages(self) -> Sequence[int]: ...     # pages read by recognition (a scan); none for the rest

    @property
    def unread_pages(self) -> Sequence[int]: ...  # scanned pages with ink but no text recognised

    def read_sections(self, template: Template) -> dict[str, Section]: ...


@dataclass(frozen=True)
class SectionSpan:
    table: str
    start: int                    # index of the heading line
    end: int                      # index of the line that ends it (exclusive)


_NUMERAL = re.compile(r"^(?:[一二三四五六七八九十]+|\d{1,2})(?=[、.]?\S)")
_USUAL_NUMBER = {"t2": "二", "t3": "三", "t4": "四", "end": "五"}


def locate_sections(lines: list[Line], template: Template) -> list[SectionSpan]:
    """Find the headings of sections 二, 三, 四 (and 五, which ends 四) wherever they fall.

    Each heading is searched after the previous one, so a table of contents or a sentence in
    the prose that names the sections does not count (headings must start their line). Only
    when no heading is found at all are the headings searched whatever their number (a report
    that put other chapters first prints "一、主动公开政府信息情况 … 三、政府信息公开行政复议…").
    A heading not found is then searched without its number, alone on its line (a scan that lost
    "三、": "收到和处理政府信息公开申请情况").
    """
    return _locate(lines, template, False) or _locate(lines, template, True)


def _whole(pat: re.Pattern[str], key: str) -> bool:
    m = pat.match(key)
    return m is not None and m.end() == len(key)


def _locate(lines: list[Line], template: Template, renumber: bool) -> list[SectionSpan]:
    found: dict[str, int] = {}
    order = ("t2", "t3", "t4", "end")
    keys = [squash(ln.text) for ln in lines]
    pos = 0
    for name in order:
        pat = template.sections[name]
        i = next((i for i in range(pos, len(keys)) if pat.match(
            _NUMERAL.sub(_USUAL_NUMBER[name], keys[i], count=1) if renumber else keys[i])), None)
        if i is None:       # a heading whose number a scan lost: the heading alone on its line
            i = next((i for i in range(pos, len(keys)) if _whole(pat, _USUAL_NUMBER[name] + keys[i])), None)
        if i is not None:
            found[name] = i
            pos = i + 1
    spans = []
    for k, name in enumerate(order[:-1]):
        if name not in found:
            continue
        start = found[name]
        nxt = [found[n] for n in order[k + 1:] if n in found]
        end = nxt[0] if nxt else min(len(lines), start + 400)
        spans.append(SectionSpan(name, start, end))
    return spans
