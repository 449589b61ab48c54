"""The long CSV of the spec written straight from ParsedReports, without pandas: what
`gkcore parse --format csv` prints, so that the command does not import pandas (0.3 s of its
start, bench/parse_speed.py). The bytes are those of `export.long_csv(reports_frame(r),
cells_frame(r))`, which tests/test_longcsv.py checks over every fixture: the same csv module
settings as pandas' `to_csv(index=False, lineterminator="\\n")`, the same formatting of the
values (through a float, as the frame holds them), and the same rows where two reports share a
report_id (the same bytes given twice: the frame's left merge repeats each cell once per
report of that id)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from ..model import LONG_COLUMNS, ParsedReport, ReportMeta, format_value


def _meta_fields(meta: ReportMeta) -> tuple[str, ...]:
    """The first six columns of LONG_COLUMNS."""
    year = "" if meta.year is None else str(int(meta.year))
    return (meta.report_id, meta.agency, meta.region, meta.region_code, year, meta.template)


def long_rows(reports: Sequence[ParsedReport]) -> Iterator[tuple[str, ...]]:
    """The rows of the long table (without the header), in LONG_COLUMNS order."""
    by_id: dict[str, list[tuple[str, ...]]] = {}
    for r in reports:
        by_id.setdefault(r.meta.report_id, []).append(_meta_fields(r.meta))
    for r in reports:
        metas = by_id[r.meta.report_id]
        for c in r.cells:
            value = "" if c.value is None else format_value(float(c.value))
            page = "" if c.page is None else str(int(c.page))
            for m in metas:
                yield (*m, c.table, c.row, c.col, value, c.raw, page, c.flag)


def long_csv_of(reports: Sequence[ParsedReport], bom: bool = False) -> str:
    """The long CSV (header row, then one row per cell, "\\n" line ends) of `reports`."""
    buf = io.StringIO()
    if bom:
        buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LONG_COLUMNS)
    w.writerows(long_rows(reports))
    return buf.getvalue()

