"""The Parquet parts of a cache entry written without pandas (gkcore/store/parts.py) against
`DataFrame.to_parquet` of the frames (gkcore.model.frames), byte for byte: every fixture
document (the scans left out, as in tests/test_longcsv.py), a report without cells, checks or
figures, and made-up reports with the awkward values. Same bytes means the same manifest, the
same entries from a cluster or a local ingest, and the same frames on reading (Int64, str)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import gkcore
from gkcore.model import Cell, CheckResult, ParsedReport, ProseFigure, ReportMeta, TableReport
from gkcore.model.frames import (
    cells_frame,
    checks_frame,
    figures_frame,
    outline_frame,
    report_from_frames,
    reports_frame,
)
from gkcore.model.outline import FoundDate, Outline, OutlineSection
from gkcore.store.cache import Cache
from gkcore.store.integrity import parquet_bytes
from gkcore.store.parts import COLUMNS, parts_bytes

from .test_longcsv import DOCS

FRAMES = {"report": reports_frame, "cells": cells_frame, "checks": checks_frame, "figures": figures_frame,
          "outline": outline_frame}


def _by_pandas(report: ParsedReport) -> dict[str, bytes]:
    return {part: parquet_bytes(frame([report])) for part, frame in FRAMES.items()}


def test_the_parts_are_the_frames_columns() -> None:
    assert list(COLUMNS) == list(FRAMES)
    for part, frame in FRAMES.items():
        assert tuple(frame([]).columns) == COLUMNS[part]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_same_bytes_as_pandas_for_each_fixture(path) -> None:  # type: ignore[no-untyped-def]
    report = gkcore.parse_file(path)
    assert report.cells and report.checks
    assert parts_bytes(report) == _by_pandas(report)


def _meta(**kw: object) -> ReportMeta:
    base: dict[str, object] = dict(
        report_id="0123456789abcdef", source_name='a,"b".pdf', source_kind="pdf", agency="某区人民政府\n",
        region="", region_code="", year=None, template="2021", template_basis="year",
        pages=None, sha256="0" * 64, parser_version="test", ocr_pages="3,4")
    return ReportMeta(**{**base, **kw})  # type: ignore[arg-type]


OUTLINE = Outline((OutlineSection("overview", 1, "一、总体情况", False, None, "文字,\n"),
                    OutlineSection("problems", 5, "五、问题", True, 3, "")),
                   (FoundDate("published", "2025-01-20", None, "发布日期:2025-01-20"),))
AWKWARD = [None, 0, -18, 251000, 24252.311082, 1e16, 2**53 + 1, -0.0, math.nan, math.inf]


def test_same_bytes_as_pandas_for_awkward_reports() -> None:
    cells = tuple(Cell("t3", f"r{i}", "c", str(v), v, None if i % 3 else i, None if i % 2 else (1.5, 2, 3.25, 4),
                       "", "n") for i, v in enumerate(AWKWARD))
    whole = tuple(Cell("t3", "a", c, "1", 1, 1, (1, 2, 3, 4)) for c in "xy")     # whole-number boxes: int64
    checks = (CheckResult("rule", "scope", "pass", None, 3, ("t3.a.b", "t3.c.d"), "说明"),
              CheckResult("rule2", "", "fail", 1.5, math.nan, (), ""))
    figures = (ProseFigure("code", "标签", 12, "文字", None), ProseFigure("c2", "", -1, "", 3))
    tables = (TableReport("t3", "grid", (1, 2), 30, 30, 0),)
    for report in (ParsedReport(_meta(), ()),
                   ParsedReport(_meta(year=2024, pages=5), cells, (), (), tables),
                   ParsedReport(_meta(year=2019), (), figures, checks),
                   ParsedReport(_meta(pages=0), cells[:1], figures[:1], checks[:1], tables),
                   ParsedReport(_meta(), whole, (ProseFigure("c", "", 1, "", 1), ProseFigure("d", "", 2.5, "", 1))),  # type: ignore[arg-type]
                   ParsedReport(_meta(), (*whole, cells[1])),
                   ParsedReport(_meta(), (), outline=OUTLINE)):
        assert parts_bytes(report) == _by_pandas(report)


def test_an_entry_written_without_pandas_reads_back_the_same_report(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = next(p for p in DOCS if p.suffix == ".pdf")
    data = path.read_bytes()
    report = gkcore.parse_bytes(data, path.name)
    cache = Cache(tmp_path)
    cache.put(report, data)
    assert cache.get(report.meta.sha256) == report
    back = {part: pd.read_parquet(cache.path(report.meta.sha256) / f"{part}.parquet") for part in FRAMES}
    assert str(back["report"]["year"].dtype) == "Int64" and str(back["cells"]["page"].dtype) == "Int64"
    again = report_from_frames(back["report"].iloc[0], back["cells"], back["checks"], back["figures"], back["outline"])
    assert again == report
