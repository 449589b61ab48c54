"""What the grader reads of a report: its identity, outline, checks, tables' parsing report and
the few cells the criteria compare across years. Made from a ParsedReport (an upload, the command
line) or from the frames of cache entries (the index, gkcore.store.segments)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from ..model import REPORT_ID, CheckResult, ParsedReport, Status, TableReport
from ..model.frames import outlines_from_frame
from ..model.outline import Outline

CARRIED_OVER = ("t3", "carried_over", "total")     # 二、上年结转政府信息公开申请数量 · 总计
CARRY_FORWARD = ("t3", "carry_forward", "total")   # 四、结转下年度继续办理 · 总计
RECEIVED = ("t3", "new_received", "total")         # 一、本年新收 · 总计
CELLS = (CARRIED_OVER, CARRY_FORWARD, RECEIVED)


def ref(cell: tuple[str, str, str]) -> str:
    return ".".join(cell)


@dataclass(frozen=True)
class Subject:
    report_id: str
    agency: str
    region: str
    region_code: str
    year: int | None
    template: str
    outline: Outline
    checks: tuple[CheckResult, ...]
    tables: tuple[TableReport, ...]
    values: tuple[tuple[str, float | None, int | None], ...] = ()   # (cell ref, value, page) of CELLS

    def value(self, cell: tuple[str, str, str]) -> tuple[float | None, int | None]:
        for r, v, p in self.values:
            if r == ref(cell):
                return v, p
        return None, None


def _num(v: object) -> float | None:
    if v is None or v is pd.NA:
        return None
    f = float(v)  # type: ignore[arg-type]
    return None if math.isnan(f) else f


def from_report(report: ParsedReport) -> Subject:
    m = report.meta
    values = []
    for cell in CELLS:
        c = report.cell(*cell)
        values.append((ref(cell), None if c is None else _num(c.value), None if c is None else c.page))
    return Subject(m.report_id, m.agency, m.region, m.region_code, m.year, m.template, report.outline,
                   report.checks, report.tables, tuple(values))


def from_frames(reports: pd.DataFrame, cells: pd.DataFrame, checks: pd.DataFrame,
                outline: pd.DataFrame) -> list[Subject]:
    """One Subject per row of `reports` (the frames of several cache entries, as read for the index)."""
    wanted = cells[(cells["table"] == "t3") & cells["row"].isin([c[1] for c in CELLS]) & (cells["col"] == "total")]
    vals: dict[str, list[tuple[str, float | None, int | None]]] = {}
    for rid, t, r, c, v, p in zip(*(wanted[k].tolist() for k in (REPORT_ID, "table", "row", "col", "value", "page")),
                                  strict=True):
        vals.setdefault(rid, []).append((f"{t}.{r}.{c}", _num(v), None if pd.isna(p) else int(p)))
    ks: dict[str, list[CheckResult]] = {}
    # the grader reads the statuses and, for a failed check, its cells and message
    for rid, rule, scope, status, cs, msg in zip(*(checks[k].tolist() for k in (REPORT_ID, "rule", "scope", "status",
                                                                                 "cells", "message")), strict=True):
        cells_of = tuple(x for x in str(cs).split(";") if x) if status == Status.FAIL else ()
        ks.setdefault(rid, []).append(CheckResult(rule, scope, status, None, None, cells_of, msg))
    outlines = outlines_from_frame(outline if len(outline) else None)
    out = []
    for rep in reports.to_dict("records"):
        rid = str(rep[REPORT_ID])
        tables = tuple(TableReport(**{**t, "pages": tuple(t["pages"])}) for t in json.loads(rep["tables_json"]))
        year = None if pd.isna(rep["year"]) else int(rep["year"])
        out.append(Subject(rid, str(rep["agency"]), str(rep["region"]), str(rep["region_code"]), year,
                           str(rep["template"]), outlines.get(rid, Outline()), tuple(ks.get(rid, ())), tables,
                           tuple(vals.get(rid, ()))))
    return out
