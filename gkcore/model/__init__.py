"""Values passed between modules: frozen dataclasses, and the column names of the tidy tables.

A parsed report is a ParsedReport: its metadata, one Cell per template cell (found or not),
the figures stated in its prose, the consistency-check results and a parsing report per table.
`cells_frame`, `checks_frame` etc. turn them into DataFrames whose columns are the constants
below; the long CSV of the spec is `LONG_COLUMNS`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

from .outline import Outline

# ---- column names -------------------------------------------------------------------------
REPORT_ID = "report_id"
AGENCY = "agency"
REGION = "region"
REGION_CODE = "region_code"
YEAR = "year"
TEMPLATE = "template"
TABLE = "table"
ROW = "row"
COL = "col"
VALUE = "value"
RAW = "raw"
PAGE = "page"
FLAG = "flag"
X0, TOP, X1, BOTTOM = "x0", "top", "x1", "bottom"

#: The long ("tidy") CSV of the spec, in this order.
LONG_COLUMNS = (REPORT_ID, AGENCY, REGION, REGION_CODE, YEAR, TEMPLATE,
                TABLE, ROW, COL, VALUE, RAW, PAGE, FLAG)
CELL_COLUMNS = (REPORT_ID, TABLE, ROW, COL, VALUE, RAW, PAGE, FLAG, X0, TOP, X1, BOTTOM)

# ---- flags and statuses -----------------------------------------------------------------
FLAG_CLEAN = ""
FLAG_UNSURE = "unsure"
FLAG_CORRECTED = "corrected"

PASS = "pass"                      # the figures agree
FAIL = "fail"                      # the report itself does not add up (cells read cleanly)
NOT_ASSESSABLE = "not_assessable"  # a cell involved is blank or holds "/", "—", "无"
UNSURE = "unsure"                  # the parser is unsure of a cell involved (not found, unread)
STATUSES = (PASS, FAIL, NOT_ASSESSABLE, UNSURE)

Number = float | int
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class ReportMeta:
    report_id: str
    source_name: str
    source_kind: str          # "pdf" | "text"
    agency: str
    region: str
    region_code: str
    year: int | None
    template: str             # "2021" | "2019"
    template_basis: str       # how the template was decided: "markers" or "year"
    pages: int | None
    sha256: str
    parser_version: str
    ocr_pages: str = ""       # pages read by OCR ("3,4,5"); empty for a text layer


@dataclass(frozen=True)
class Cell:
    table: str
    row: str
    col: str
    raw: str
    value: Number | None
    page: int | None = None
    bbox: BBox | None = None
    flag: str = FLAG_CLEAN
    note: str = ""

    @property
    def ref(self) -> str:
        return f"{self.table}.{self.row}.{self.col}"


@dataclass(frozen=True)
class ProseFigure:
    code: str
    label: str
    value: int
    text: str                 # the sentence fragment it was read from
    page: int | None = None


@dataclass(frozen=True)
class CheckResult:
    rule: str                 # stable English code, e.g. "t3_column_balance"
    scope: str                # the row or column checked, e.g. "col:natural_person"
    status: str               # one of STATUSES
    expected: Number | None
    found: Number | None
    cells: tuple[str, ...]    # cell refs "table.row.col" involved
    message: str              # Chinese

    def flat(self) -> tuple[str, str, str]:
        """The part tests compare: (rule, scope, status)."""
        return (self.rule, self.scope, self.status)


@dataclass(frozen=True)
class TableReport:
    """How one table was read (after camelot's parsing report)."""

    table: str
    method: str               # "grid" | "positions" | "text" | "none"
    pages: tuple[int, ...]
    rows_found: int
    rows_expected: int
    unsure_cells: int


@dataclass(frozen=True)
class ParsedReport:
    meta: ReportMeta
    cells: tuple[Cell, ...]
    figures: tuple[ProseFigure, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    tables: tuple[TableReport, ...] = field(default=())
    outline: Outline = field(default=Outline())   # sections and dates (gkcore.parse.outline)

    def cell(self, table: str, row: str, col: str) -> Cell | None:
        for c in self.cells:
            if c.table == table and c.row == row and c.col == col:
                return c
        return None

    def failures(self) -> list[tuple[str, str, str]]:
        return [c.flat() for c in self.checks if c.status != PASS]


def meta_dict(meta: ReportMeta) -> dict[str, object]:
    return asdict(meta)


# ---- the columns of the frames (gkcore.model.frames) and of the cache's Parquet parts ---------
NOTE = "note"
META_COLUMNS = tuple(f.name for f in fields(ReportMeta))
CHECK_COLUMNS = (REPORT_ID, "rule", "scope", "status", "expected", "found", "cells", "message")
FIGURE_COLUMNS = (REPORT_ID, "code", "label", VALUE, "text", PAGE)
#: the outline part: a section (kind "section": code, number, heading, renamed 0/1, page, its text) or a
#: date (kind "date": code = how it was found, number 0, heading = the quoted words, text = ISO date)
OUTLINE_COLUMNS = (REPORT_ID, "kind", "code", "number", "heading", "renamed", PAGE, "text")


def tables_json(report: ParsedReport) -> str:
    """The parsing report of every table, as the report frame's `tables_json` column holds it."""
    return json.dumps([asdict(t) for t in report.tables], ensure_ascii=False)


def format_value(value: float | int | None) -> str:
    """A value as the long CSV writes it: integers without ".0", decimals as stated."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)
