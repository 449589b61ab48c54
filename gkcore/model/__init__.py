"""Values passed between modules: frozen dataclasses, and the column names of the tidy tables.

A parsed report is a ParsedReport: its metadata, one Cell per template cell (found or not),
the figures stated in its prose, the consistency-check results and a parsing report per table.
`cells_frame`, `checks_frame` etc. turn them into DataFrames whose columns are the constants
below; the long CSV of the spec is `LONG_COLUMNS`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum

from .box import Box
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

# ---- the vocabulary of flags, statuses and severities ------------------------------------
# One place for the codes every stage writes and compares (they are str, so a frame's column
# compares with them and the files hold the same text as before). Their display labels are only
# in gkcore/present/labels.toml ([values.flag], [values.status], [values.severity]).
class Code(StrEnum):
    """A code that is its text everywhere: compared, written, hashed and shown (repr too) as the str."""

    def __repr__(self) -> str:
        return repr(self.value)


class Flag(Code):
    """How a cell was read."""

    CLEAN = ""
    UNSURE = "unsure"                  # the parser is unsure (not found, unread, doubted on a scan)
    CORRECTED = "corrected"            # a user's correction stands in place of the printed value


class Status(Code):
    """A check result's outcome."""

    PASS = "pass"                      # the figures agree
    FAIL = "fail"                      # the report itself does not add up (cells read cleanly)
    NOT_ASSESSABLE = "not_assessable"  # a cell involved is blank or holds "/", "—", "无"
    UNSURE = "unsure"                  # the parser is unsure of a cell involved (not found, unread)


class Severity(Code):
    """What a failed check means: the report does not add up, or a figure is unusual."""

    FAILURE = "failure"                # "does not add up": the report contradicts itself
    WARNING = "warning"                # "unusual, look again": possible, but worth a second look


FLAG_CLEAN, FLAG_UNSURE, FLAG_CORRECTED = Flag.CLEAN, Flag.UNSURE, Flag.CORRECTED
PASS, FAIL, NOT_ASSESSABLE, UNSURE = Status.PASS, Status.FAIL, Status.NOT_ASSESSABLE, Status.UNSURE
STATUSES = tuple(Status)
#: the statuses a report's counts keep (every one but pass, which is counted as "passed")
STATUS_COUNTS: tuple[str, ...] = tuple(s.value for s in Status if s != Status.PASS)

Number = float | int


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
    bbox: Box[float] | None = None    # where it was read, in PDF points (model/box.py)
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
    # what a fail means (gkcore.parse.checks declares it per check; the frames keep no column
    # for it: it follows from the rule code, see gkcore.parse.checks.severity_of)
    severity: Severity = Severity.FAILURE

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
