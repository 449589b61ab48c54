"""The dashboard's computations, tested in gkcore without Streamlit: the library and its
corrections, derived rates, alignment, trends and continuity, downloads, review sheets, page
images, and what happens when the parser itself fails."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

import gkcore
from gkcore.library import Library
from gkcore.model.metrics import METRICS, agency_key, metrics_frame
from gkcore.parse import pipeline
from gkcore.present import compare
from gkcore.present.downloads import dictionary_frame, long_csv_bytes, wide_csv_bytes, xlsx_bytes
from gkcore.present.render import page_png
from gkcore.present.review import review_sheet_html

from .conftest import FIXTURES

# the library these tests reason about: the three real PDFs and the Zhangdian text report
ZHANGDIAN = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
REAL = sorted([*(FIXTURES / "real").glob("*.pdf"), ZHANGDIAN])
HUAIAN = FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf"


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library(gkcore.Cache(tmp_path / "c"))
    results = library.ingest_paths(REAL)
    assert [r.error for r in results] == [""] * len(REAL)
    return library


def by_label(lib: Library, label: str) -> str:
    return str(lib.reports().set_index("label").loc[label, "report_id"])


def test_library_lists_reports_with_check_counts(lib: Library) -> None:
    reps = lib.reports().set_index("label")
    assert reps.loc["洪泽区人民政府 · 2023", "fail"] == 2
    assert reps.loc["淮安市洪泽区人民政府 · 2024", "fail"] == 1       # prose says 17, table 95
    assert reps.loc["淮安市人民政府 · 2024", ["fail", "unsure", "not_assessable"]].tolist() == [0, 0, 0]
    assert len(lib.cells()) == sum(len(gkcore.parse_file(p).cells) for p in REAL)


def test_second_ingest_is_a_cache_hit(lib: Library) -> None:
    again = lib.ingest_bytes(HUAIAN.read_bytes(), "renamed.pdf")
    assert again.cached and again.error == ""


def test_correction_applies_flags_and_reruns_checks(lib: Library) -> None:
    rid = by_label(lib, "洪泽区人民政府 · 2023")
    lib.correct(rid, "t4", "review", "total", "11", "原文合计漏填")
    lib.correct(rid, "t4", "suit_after_review", "total", "5", "")
    cells = lib.cells([rid]).set_index(["row", "col"])
    assert cells.loc[("review", "total"), ["raw", "value", "flag"]].tolist() == ["11", 11.0, "corrected"]
    assert lib.reports().set_index("report_id").loc[rid, "fail"] == 0
    log = lib.frames().corrections
    assert log[["old_raw", "new_raw", "reason"]].values.tolist() == [["0", "11", "原文合计漏填"], ["0", "5", ""]]
    long = pd.read_csv(io.BytesIO(long_csv_bytes(lib.reports(), lib.cells())), dtype=str, keep_default_na=False)
    assert long[long["flag"] == "corrected"]["row"].tolist() == ["review", "suit_after_review"]
    # the cache itself keeps what the report printed
    assert lib.report(rid).cell("t4", "review", "total").raw == "0"  # type: ignore[union-attr]


def test_correction_of_unknown_cell_is_refused(lib: Library) -> None:
    with pytest.raises(KeyError, match="no cell t3.nope.total"):
        lib.correct(by_label(lib, "洪泽区人民政府 · 2023"), "t3", "nope", "total", "1")


def test_internal_error_is_a_message_not_a_crash(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> gkcore.ParsedReport:
        raise IndexError("bug")

    monkeypatch.setattr("gkcore.store.cache.parse_isolated", boom)     # what the cache calls to parse
    res = lib.ingest_bytes(b"%PDF-1.4 not seen before", "x.pdf")
    assert res.report_id == "" and "内部错误" in res.error and "report the file" in res.error


def test_cli_survives_an_internal_error(tmp_path: Path) -> None:
    code = ("import sys, gkcore.cli, gkcore.parse.pipeline\n"
            "def boom(*args, **kwargs): raise IndexError('bug')\n"
            "gkcore.cli.parse_isolated = boom\n"
            f"sys.exit(gkcore.cli.main(['parse', '--no-cache', {str(HUAIAN)!r}]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{HUAIAN}: 解析该文件时发生内部错误") and "IndexError" in proc.stderr
    assert "Traceback" not in proc.stderr


# ---- metrics ---------------------------------------------------------------------------------
def test_rates_follow_their_formulas(lib: Library) -> None:
    m = metrics_frame(lib.cells()).set_index("report_id").loc[by_label(lib, "淮安市人民政府 · 2024")]
    assert m["disclosure_rate"] == pytest.approx((1362 + 454) / 3050)
    assert m["no_info_rate"] == pytest.approx(769 / 3050)
    assert m["review_correction_rate"] == pytest.approx(64 / (351 - 37))
    assert m["suit_correction_rate"] == pytest.approx((4 + 1) / (46 - 7))
    assert (m["reviews"], m["suits"]) == (351, 46)
    assert all(x.formula for x in METRICS)


def test_rate_is_empty_not_zero_when_undefined(lib: Library) -> None:
    m = metrics_frame(lib.cells()).set_index("report_id").loc[by_label(lib, "洪泽区人民政府 · 2023")]
    assert pd.isna(m["review_correction_rate"])       # no reviews decided: no rate, not 0 %
    cells = lib.cells([by_label(lib, "淮安市人民政府 · 2024")]).copy()
    cells.loc[(cells["row"] == "granted") & (cells["col"] == "total"), "value"] = float("nan")   # a blank
    assert pd.isna(metrics_frame(cells).iloc[0]["disclosure_rate"])


# ---- compare and trends --------------------------------------------------------------------
def test_aligned_differences(lib: Library) -> None:
    a, b = by_label(lib, "淮安市人民政府 · 2024"), by_label(lib, "张店区人民政府办公室 · 2024")
    al = compare.aligned(lib.cells(), lib.reports(), [a, b]).set_index("code")
    row = al.loc["t3.new_received.total"]
    assert (row["淮安市人民政府 · 2024"], row["张店区人民政府办公室 · 2024"], row["Δ 张店区人民政府办公室 · 2024"]) == (
        3119, 52, 52 - 3119)
    assert row["label"] == "一、本年新收政府信息公开申请数量 · 总计"


def test_ranking_puts_missing_last(lib: Library) -> None:
    r = compare.ranking(lib.metrics(), lib.reports(), "review_correction_rate")
    assert r["label"].tolist()[-1] == "洪泽区人民政府 · 2023" and r["rank"].tolist() == [1, 2, 3, 4]


def test_agency_key_joins_titles_with_and_without_city() -> None:
    assert agency_key("淮安市洪泽区人民政府", "江苏省淮安市洪泽区", "320813") == \
        agency_key("洪泽区人民政府", "江苏省淮安市洪泽区", "320813") == "320813:人民政府"


def test_trend_flags_a_continuity_break(lib: Library) -> None:
    key = "320813:人民政府"
    tr = compare.trend(lib.cells(), lib.reports(), key)
    assert tr["continuity"].tolist() == ["", "ok"]
    rid = by_label(lib, "淮安市洪泽区人民政府 · 2024")
    lib.correct(rid, "t3", "carried_over", "total", "4")
    tr = compare.trend(lib.cells(), lib.reports(), key)
    assert tr["continuity"].tolist() == ["", "break"] and tr["previous_forward"].tolist()[1] == 0


def test_printed_table_keeps_blank_zero_and_slash() -> None:
    r = gkcore.parse_file(FIXTURES / "generated" / "gen-2021-mixed-cells.pdf")
    t3 = compare.printed_table(gkcore.cells_frame([r]), "t3", "2021")
    shown = set(t3.to_numpy().ravel())
    assert {"", "0", "/", "—"} <= shown


# ---- downloads, review sheet, page image ----------------------------------------------------
def test_csv_downloads_open_in_excel_and_parse_back(lib: Library) -> None:
    data = long_csv_bytes(lib.reports(), lib.cells())
    assert data[:3] == b"\xef\xbb\xbf" and b"\r\n" in data
    wide = pd.read_csv(io.BytesIO(wide_csv_bytes(lib.reports(), lib.cells())), encoding="utf-8-sig")
    assert wide.set_index("agency").loc["淮安市人民政府", "t3.total_processed.total"] == 3050
    sheets = pd.read_excel(io.BytesIO(xlsx_bytes(lib.reports(), lib.cells())), sheet_name=None)
    assert len(sheets["long"]) == len(lib.cells())


def test_dictionary_covers_every_code_of_both_formats() -> None:
    d = dictionary_frame().set_index("code")
    assert d.loc["t2.procurement.amount_wan", "templates"] == "2019"
    assert d.loc["t3.granted.total", "templates"] == "2021,2019"
    assert d.loc["t2.fees.amount_wan", "unit"] == "万元"
    assert "（予以公开 + 部分公开）" in d.loc["metric.disclosure_rate", "meaning"]
    assert not d["label_en"].str.contains("_").any()


def test_review_sheet_escapes_report_text(lib: Library) -> None:
    rep = lib.reports().iloc[0].copy()
    rep["agency"] = "<script>alert(1)</script>机关"
    checks = pd.DataFrame([{"status": "fail", "message": "<b>x</b>", "expected": 1.0, "found": 2.0,
                            "cells": "t4.review.total;t4.review.upheld"}])
    html = review_sheet_html(rep, checks)
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "&lt;b&gt;x" in html
    assert "t4.review" not in html and "共 1 项需核实" in html          # the cells by their printed names
    assert "行政复议：总计；结果维持" in html                           # one row's two columns, grouped


def test_page_image_outlines_the_cell() -> None:
    r = gkcore.parse_file(HUAIAN)
    c = r.cell("t3", "new_received", "total")
    assert c is not None and c.bbox is not None and c.page == 4
    img = Image.open(io.BytesIO(page_png(HUAIAN.read_bytes(), c.page, c.bbox, scale=1.0, crop_margin=None)))
    x = int((c.bbox[0] + c.bbox[2]) / 2)
    y_edge = int(c.bbox[1]) - 3
    red = img.convert("RGB").getpixel((x, y_edge))
    assert red[0] > 180 and red[1] < 90            # the outline is drawn where the cell was read


def test_cached_report_equals_parsed(tmp_path: Path) -> None:
    lib = Library(gkcore.Cache(tmp_path))
    rid = lib.ingest_bytes(HUAIAN.read_bytes(), HUAIAN.name).report_id
    assert replace(lib.report(rid)) == pipeline.parse_bytes(HUAIAN.read_bytes(), HUAIAN.name)  # type: ignore[arg-type]
    assert lib.source(rid) == HUAIAN.read_bytes()
