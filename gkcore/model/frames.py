"""Reports as DataFrames and back: the frame schemas every stage shares (the cache's Parquet
parts, the index, the exports). Column names are the constants of `gkcore.model`."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

import pandas as pd

from . import (
    BOTTOM,
    CELL_COLUMNS,
    CHECK_COLUMNS,
    FIGURE_COLUMNS,
    FLAG,
    META_COLUMNS,
    NOTE,
    OUTLINE_COLUMNS,
    PAGE,
    RAW,
    TOP,
    VALUE,
    X0,
    X1,
    Cell,
    CheckResult,
    ParsedReport,
    ProseFigure,
    ReportMeta,
    Severity,
    TableReport,
    tables_json,
)
from .box import Box
from .outline import FoundDate, Outline, OutlineSection, outline_rows


def _num(v: float | int | None) -> float:
    return math.nan if v is None else float(v)


def reports_frame(reports: Iterable[ParsedReport]) -> pd.DataFrame:
    rows = []
    for r in reports:
        d: dict[str, object] = asdict(r.meta)
        d["tables_json"] = tables_json(r)
        rows.append(d)
    df = pd.DataFrame(rows, columns=[*META_COLUMNS, "tables_json"])
    df["year"] = df["year"].astype("Int64")
    df["pages"] = df["pages"].astype("Int64")
    return df


def cells_frame(reports: Iterable[ParsedReport]) -> pd.DataFrame:
    rows = []
    for r in reports:
        for c in r.cells:
            b = c.bbox or (math.nan,) * 4
            rows.append((r.meta.report_id, c.table, c.row, c.col, _num(c.value), c.raw, c.page, c.flag,
                         *b, c.note))
    df = pd.DataFrame(rows, columns=[*CELL_COLUMNS, NOTE])
    df[VALUE] = df[VALUE].astype("float64")
    df[PAGE] = df[PAGE].astype("Int64")
    return df


def checks_frame(reports: Iterable[ParsedReport]) -> pd.DataFrame:
    return check_results_frame((r.meta.report_id, k) for r in reports for k in r.checks)


def check_results_frame(results: Iterable[tuple[str, CheckResult]]) -> pd.DataFrame:
    rows = [(rid, k.rule, k.scope, k.status, _num(k.expected), _num(k.found), ";".join(k.cells), k.message)
            for rid, k in results]
    return pd.DataFrame(rows, columns=list(CHECK_COLUMNS))


def figures_frame(reports: Iterable[ParsedReport]) -> pd.DataFrame:
    rows = [(r.meta.report_id, f.code, f.label, f.value, f.text, f.page) for r in reports for f in r.figures]
    df = pd.DataFrame(rows, columns=list(FIGURE_COLUMNS))
    df[PAGE] = df[PAGE].astype("Int64")
    return df


def outline_frame(reports: Iterable[ParsedReport]) -> pd.DataFrame:
    rows = [r for rep in reports for r in outline_rows(rep.meta.report_id, rep.outline)]
    df = pd.DataFrame(rows, columns=list(OUTLINE_COLUMNS))
    df["number"] = df["number"].astype("int64")
    df["renamed"] = df["renamed"].astype("int64")
    df[PAGE] = df[PAGE].astype("Int64")
    return df


def outlines_from_frame(df: pd.DataFrame | None) -> dict[str, Outline]:
    """The outline of each report in an outline frame (one pass over its columns: the index
    grades thousands of reports at a time)."""
    if df is None or df.empty:
        return {}
    secs: dict[str, list[OutlineSection]] = {}
    dates: dict[str, list[FoundDate]] = {}
    pages = [None if pd.isna(p) else int(p) for p in df[PAGE].tolist()]
    for rid, kind, code, number, heading, renamed, page, text in zip(
            df[OUTLINE_COLUMNS[0]].tolist(), df["kind"].tolist(), df["code"].tolist(), df["number"].tolist(),
            df["heading"].tolist(), df["renamed"].tolist(), pages, df["text"].tolist(), strict=True):
        if kind == "section":
            secs.setdefault(rid, []).append(OutlineSection(str(code), int(number), str(heading), bool(renamed),
                                                           page, str(text)))
        else:
            dates.setdefault(rid, []).append(FoundDate(str(code), str(text), page, str(heading)))
    return {rid: Outline(tuple(secs.get(rid, ())), tuple(dates.get(rid, ()))) for rid in {*secs, *dates}}


def outline_from_frame(df: pd.DataFrame | None) -> Outline:
    """The outline of the one report in an outline frame (empty when it has none)."""
    got = outlines_from_frame(df)
    return next(iter(got.values())) if got else Outline()


# ---- back from frames (cache) ---------------------------------------------------------------------------------
def _opt(v: Any) -> float | int | None:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    f = float(v)
    return int(f) if f.is_integer() else f


def report_from_frames(rep: pd.Series, cells: pd.DataFrame, checks: pd.DataFrame,
                       figures: pd.DataFrame, outline: pd.DataFrame | None = None,
                       severity_of: Callable[[str], Severity] | None = None) -> ParsedReport:
    """A report again from its frames. The checks frame keeps no severity: `severity_of` gives it
    from the rule code (gkcore.parse.checks.severity_of); without it every check is a failure."""
    meta_kwargs: dict[str, Any] = {k: rep[k] for k in META_COLUMNS}
    meta_kwargs["year"] = None if pd.isna(rep["year"]) else int(rep["year"])
    meta_kwargs["pages"] = None if pd.isna(rep["pages"]) else int(rep["pages"])
    meta = ReportMeta(**meta_kwargs)
    cs = []
    for d in _records(cells):
        bbox = None if pd.isna(d[X0]) else Box(d[X0], d[TOP], d[X1], d[BOTTOM])
        page: int | None = None if pd.isna(d[PAGE]) else int(d[PAGE])
        cs.append(Cell(d["table"], d["row"], d["col"], d[RAW], _opt(d[VALUE]), page, bbox, d[FLAG], d[NOTE]))
    ks = [CheckResult(k["rule"], k["scope"], k["status"], _opt(k["expected"]), _opt(k["found"]),
                      tuple(x for x in str(k["cells"]).split(";") if x), k["message"],
                      severity_of(k["rule"]) if severity_of else Severity.FAILURE)
          for k in _records(checks)]
    fs = [ProseFigure(f["code"], f["label"], int(f[VALUE]), f["text"], None if pd.isna(f[PAGE]) else int(f[PAGE]))
          for f in _records(figures)]
    tables = tuple(TableReport(**{**t, "pages": tuple(t["pages"])}) for t in json.loads(rep["tables_json"]))
    return ParsedReport(meta, tuple(cs), tuple(fs), tuple(ks), tables, outline_from_frame(outline))


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]
