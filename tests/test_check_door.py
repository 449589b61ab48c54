"""One door for checks (issue 19): a check registered in gkcore/parse/checks.py, and nowhere
else, runs on a text report (the pipeline), on a scanned one (the rules rerun after the scan
checks doubt a cell) and on a corrected one (corrections rerun the checks), with its severity
carried in each result and recovered from the rule code alone where a frame keeps only that."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

import gkcore
from gkcore.model import FAIL, PASS, Cell, CheckResult, ProseFigure, Severity, Status
from gkcore.model.frames import figures_frame
from gkcore.model.metrics import ASSESS_SCORE, BY_CODE, METRICS, metric_value, metrics_frame
from gkcore.parse import checks, scanchecks
from gkcore.parse.template import Template, load
from gkcore.store.corrections import recheck

from .conftest import FIXTURES

TEXT = FIXTURES / "real" / "fujian-pingtan_2021_guanweihui.txt"
PDF = FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf"


def _high_review_correction(template: Template, cells: Sequence[Cell],
                            figures: Sequence[ProseFigure]) -> list[CheckResult]:
    """A warning: more than half of the settled reviews corrected (the rate from its one definition)."""
    rate = metric_value(BY_CODE["review_correction_rate"], cells)
    status = PASS if rate is None or rate <= 0.5 else FAIL
    return [CheckResult("zz_review_rate_high", "report", status, 0.5, rate, ("t4.review.corrected",),
                        "复议纠错率偏高，请复核")]


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "CHECKS", list(checks.CHECKS))
    checks.register("zz_", Severity.WARNING)(_high_review_correction)


def _ours(results: Sequence[CheckResult]) -> list[CheckResult]:
    return [k for k in results if k.rule == "zz_review_rate_high"]


def test_a_registered_check_runs_on_a_text_report(registered: None) -> None:
    report = gkcore.parse_file(TEXT)
    (mine,) = _ours(report.checks)
    assert mine.severity == Severity.WARNING
    assert [k.rule for k in report.checks[:-1]] == [k.rule for k in gkcore.parse_file(TEXT).checks[:-1]]


def test_a_registered_check_runs_when_a_scan_reruns_the_checks(registered: None) -> None:
    twin = gkcore.parse_file(PDF)
    template = load("2021")
    cells = [replace(c, raw="1382", value=1382) if c.ref == "t3.granted.total" else c for c in twin.cells]
    before = checks.run_checks(template, cells, twin.figures)
    assert any(k.status == FAIL and k.severity == Severity.FAILURE for k in before)
    _, after = scanchecks.distrust_ocr(template, cells, list(twin.figures), before, {4})
    assert after != before                                  # the rules reran on the doubted cells
    (mine,) = _ours(after)
    assert mine.severity == Severity.WARNING


def test_a_registered_check_runs_on_a_corrected_report(registered: None) -> None:
    report = gkcore.parse_file(TEXT)
    rid = report.meta.report_id
    frames = [gkcore.reports_frame([report]), gkcore.cells_frame([report]), figures_frame([report])]
    fresh = recheck(*frames, [rid])
    assert "zz_review_rate_high" in set(fresh["rule"])
    assert checks.severity_of("zz_review_rate_high") == Severity.WARNING


def test_without_the_registration_the_check_is_gone() -> None:
    """The test above can fail: the check exists only through the registry."""
    assert _ours(gkcore.parse_file(TEXT).checks) == []
    assert checks.severity_of("zz_review_rate_high") == Severity.FAILURE


def test_template_rules_and_prose_keep_their_severity() -> None:
    report = gkcore.parse_file(TEXT)
    template = load(report.meta.template)
    ours = [k for k in report.checks if k.rule.startswith("prose_") or k.rule in {r.code for r in template.rules}]
    assert ours and all(k.severity == checks.severity_of(k.rule) == Severity.FAILURE for k in ours)
    assert set(Status) >= {k.status for k in report.checks}


def test_a_rate_over_cells_equals_the_rate_over_frames() -> None:
    """One definition of each metric: over Cells and over the cells frame, the same figure."""
    for path in (TEXT, PDF):
        report = gkcore.parse_file(path)
        row = metrics_frame(gkcore.cells_frame([report])).iloc[0]
        for m in METRICS:
            v = metric_value(m, report.cells)
            assert (v is None and row[m.code] != row[m.code]) or v == pytest.approx(row[m.code]), m.code
        assert metric_value(BY_CODE[ASSESS_SCORE], report.cells) is None     # graded, never summed from cells


def test_a_warning_is_shown_and_counted_apart_from_a_fail(registered: None) -> None:
    import pandas as pd

    from gkcore.present.messages import check_text, shown_statuses
    from gkcore.present.review import review_sheet_html
    from gkcore.store.segments import report_counts

    frame = pd.DataFrame({"report_id": ["r1", "r1"], "rule": ["zz_review_rate_high", "t3_column_balance"],
                          "scope": ["report", "col:total"], "status": [FAIL, FAIL], "expected": [0.5, 3.0],
                          "found": [0.8, 2.0], "cells": ["t4.review.corrected", "t3.new_received.total"],
                          "message": ["复议纠错率偏高，请复核", "收办平衡不符"]})
    assert shown_statuses(frame) == ["warning", "fail"]
    assert check_text("zz_review_rate_high", "report", FAIL, 0.5, 0.8, [], "en").endswith("unusual, look again: ")
    counts = report_counts(["r1"], pd.DataFrame({"report_id": [], "flag": []}), frame)
    assert counts.loc[0, "fail"] == 1                        # the warning is not "does not add up"
    sheet = review_sheet_html(pd.Series({"report_id": "r1", "agency": "某机关", "year": 2024, "template": "2021",
                                         "source_name": "x.pdf", "pages": 3}), frame)
    assert "异常，请复核" in sheet and "不符" in sheet
