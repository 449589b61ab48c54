"""Every fixture document against its golden CSVs: the long table (tests/golden/NAME.csv) and
its check results (NAME.checks.csv). `pytest --regen-golden` rewrites them; review the diff
against the document before committing."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import gkcore
from gkcore.model import format_value
from gkcore.present.export import long_csv

from .conftest import GOLDEN, report_fixtures

FIXTURES = report_fixtures()


def _checks_csv(report: gkcore.ParsedReport) -> str:
    df = gkcore.checks_frame([report])[["rule", "scope", "status", "expected", "found"]]
    for col in ("expected", "found"):
        df[col] = [format_value(None if v != v else v) for v in df[col]]
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _compare(path: Path, text: str, regen: bool) -> None:
    if regen:
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"rewrote {path.name}")
    assert path.exists(), f"no golden file {path}; run pytest --regen-golden and review it"
    assert text == path.read_text(encoding="utf-8")


def test_fixtures_exist() -> None:
    assert len(FIXTURES) >= 4
    goldens = {p.name.removesuffix(".csv") for p in GOLDEN.glob("*.csv") if not p.name.endswith(".checks.csv")}
    assert goldens == {p.name for p in FIXTURES}, "every fixture has a golden CSV and every golden a fixture"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_long_csv_matches_golden(path: Path, regen: bool) -> None:
    report = gkcore.parse_file(path)
    text = long_csv(gkcore.reports_frame([report]), gkcore.cells_frame([report]))
    _compare(GOLDEN / f"{path.name}.csv", text, regen)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_checks_match_golden(path: Path, regen: bool) -> None:
    report = gkcore.parse_file(path)
    _compare(GOLDEN / f"{path.name}.checks.csv", _checks_csv(report), regen)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_golden_has_every_template_cell_once(path: Path) -> None:
    df = pd.read_csv(GOLDEN / f"{path.name}.csv", dtype=str, keep_default_na=False)
    assert not df.duplicated(["table", "row", "col"]).any()
    assert set(df["table"]) == {"t2", "t3", "t4"}
    assert len(df[df["table"] == "t4"]) == 15
