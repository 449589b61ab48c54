"""The pandas-free long CSV of `gkcore parse` (gkcore/present/longcsv.py) against the pandas one
(`export.long_csv` of the frames), byte for byte: every fixture document one by one, all of them
in one CSV with a report given twice, and made-up reports with the awkward values and texts. The
scans (scanned/, ugly/scan-*) are left out: their OCR takes seconds a page, and their cells are
Cells like any other."""

from __future__ import annotations

import pytest

import gkcore
from gkcore.model import LONG_COLUMNS, Cell, ParsedReport, ReportMeta
from gkcore.present.export import long_csv
from gkcore.present.longcsv import long_csv_of

from .conftest import FIXTURES, report_fixtures

UGLY = sorted(p for p in (FIXTURES / "ugly").iterdir()
              if p.suffix in (".pdf", ".txt") and not p.name.startswith("scan-"))
DOCS = [*report_fixtures(), *UGLY, *sorted((FIXTURES / "hostile").glob("*.txt"))]


def _pandas(reports: list[ParsedReport], bom: bool = False) -> str:
    return long_csv(gkcore.reports_frame(reports), gkcore.cells_frame(reports), bom=bom)


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedReport]:
    return {p.name: gkcore.parse_file(p) for p in DOCS}


def test_every_kind_of_fixture_is_compared() -> None:
    assert {p.suffix for p in DOCS} >= {".pdf", ".txt", ".md", ".html", ".docx"}
    assert len(DOCS) >= 40


@pytest.mark.parametrize("name", [p.name for p in DOCS])
def test_same_bytes_as_pandas_for_each_fixture(name: str, parsed: dict[str, ParsedReport]) -> None:
    report = parsed[name]
    assert report.cells, "a fixture with cells, so that the rows are compared too"
    assert long_csv_of([report]) == _pandas([report])


def test_same_bytes_as_pandas_for_all_fixtures_at_once(parsed: dict[str, ParsedReport]) -> None:
    reports = list(parsed.values())
    twice = [*reports, reports[0]]        # the same bytes given twice: one report_id, two reports
    text = long_csv_of(twice, bom=True)
    assert text == _pandas(twice, bom=True)
    rows = text.count("\n") - 1
    assert rows == sum(len(r.cells) for r in reports) + 3 * len(reports[0].cells)


def _meta(**kw: object) -> ReportMeta:
    base: dict[str, object] = dict(
        report_id="0123456789abcdef", source_name="a.pdf", source_kind="pdf", agency="某区人民政府",
        region="某省某市某区", region_code="", year=None, template="2021", template_basis="year",
        pages=None, sha256="0" * 64, parser_version="test")
    return ReportMeta(**{**base, **kw})  # type: ignore[arg-type]


AWKWARD_VALUES = [None, 0, -18, 251000, 24252.311082, 0.1 + 0.2, 1e15, 1e16, 2**53 + 1, -0.0,
                  float("nan"), float("inf"), 3.0, 12345678901234]
AWKWARD_TEXTS = ["", "0", "/", "—", "a,b", 'say "hi"', "two\nlines", "cr\rhere", " padded ", "251000元",
                 "22（其中修订16件）", "tab\there", "\ufeffbom", '"', ","]


def test_same_bytes_as_pandas_for_awkward_values_and_texts() -> None:
    cells = [Cell("t3", f"r{i}", "c", raw, value, page, None, flag)
             for i, (value, raw, page, flag) in enumerate(
                 zip(AWKWARD_VALUES, AWKWARD_TEXTS, [None, 1, 2, 30, None, 5, 6, 7, 8, 9, 10, 11, 12, 13],
                     ["", "unsure", "corrected", "", "", "", "", "", "", "", "", "", "", ""], strict=False))]
    odd = ParsedReport(_meta(agency='某局,"办公室"\n第二行', region="", year=2024), tuple(cells))
    other = ParsedReport(_meta(report_id="fedcba9876543210", region_code="320813", template="2019"),
                         (Cell("t2", "x", "y", ",", None, None),))
    for reports in ([odd], [other], [odd, other], [other, odd, other]):
        assert long_csv_of(reports) == _pandas(reports)


def test_no_report_gives_the_header_alone() -> None:
    assert long_csv_of([]) == ",".join(LONG_COLUMNS) + "\n" == _pandas([])


def test_a_report_without_cells_gives_no_row() -> None:
    empty = ParsedReport(_meta(), ())
    assert long_csv_of([empty]) == _pandas([empty]) == ",".join(LONG_COLUMNS) + "\n"
