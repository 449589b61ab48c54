"""Numbers that say what they add up (issue 20): a duplicate report (one body's report of one year
read from two files) counts once in every count, sum, median and ranking, the better-read copy by
default, the user's choice otherwise; a rate ranks only with enough requests behind it; a status
is never "pass" for what was not checked; honest colour scales; the heat map's order and notes;
a review sheet fit to send; a workbook whose numbers are numbers."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import gkcore
from gkcore.library import Filter, Library
from gkcore.model import FLAG_UNSURE, ParsedReport
from gkcore.present import charts, geo
from gkcore.present.downloads import xlsx_bytes
from gkcore.present.export import wide_flags
from gkcore.present.regions import REGION, Drill, check_status, drill_to, level_of
from gkcore.present.review import Sheet, review_sheet_html
from gkcore.store.index import index_folder

from .conftest import FIXTURES

REAL = FIXTURES / "real"
ZHANGDIAN = REAL / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
PINGTAN = sorted(REAL.glob("fujian-pingtan_202[0-4]_guanweihui.txt"))
APP = str(Path(__file__).parent.parent / "app.py")


def worse_copy(base: ParsedReport, rid: str, name: str) -> ParsedReport:
    """The same body and year from another file, read less well: three cells unsure (its id
    sorts first, so only the quality of the reading can put it second)."""
    sha = hashlib.sha256(f"{base.meta.sha256}:{name}".encode()).hexdigest()
    cells = tuple(replace(c, flag=FLAG_UNSURE) if i < 3 else c for i, c in enumerate(base.cells))
    return replace(base, meta=replace(base.meta, sha256=sha, report_id=rid, source_name=name), cells=cells)


@pytest.fixture(scope="module")
def parsed() -> list[ParsedReport]:
    return [gkcore.parse_file(p) for p in [ZHANGDIAN, *PINGTAN]]


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory, parsed: list[ParsedReport]) -> Library:
    cache = gkcore.Cache(tmp_path_factory.mktemp("numbers"))
    for r in [*parsed, worse_copy(parsed[0], "0" * 16, "zhangdian-scan.pdf")]:
        cache.put(r)
    return Library(cache)


def test_the_index_carries_passed_checks_and_unsure_cells(lib: Library, parsed: list[ParsedReport]) -> None:
    every = lib.reports(where=Filter(copies=True)).set_index("report_id")
    for r in parsed:
        assert every.loc[r.meta.report_id, "unsure_cells"] == sum(c.flag == FLAG_UNSURE for c in r.cells)
        assert every.loc[r.meta.report_id, "passed"] == sum(k.status == "pass" for k in r.checks)
    assert every.loc["0" * 16, "unsure_cells"] == every.loc[parsed[0].meta.report_id, "unsure_cells"] + 3
    assert index_folder() != f"index-v{gkcore.PARSER_VERSION}"     # a new layout: an old index is rebuilt


def test_a_duplicate_counts_once_on_the_map_and_in_rankings(lib: Library, parsed: list[ParsedReport]) -> None:
    good = parsed[0].meta.report_id
    assert lib.count() == len(parsed) and lib.count(Filter(copies=True)) == len(parsed) + 1
    dups = lib.duplicates()
    assert set(dups["report_id"]) == {good, "0" * 16}
    assert dups.set_index("report_id")["counted"].to_dict() == {good: True, "0" * 16: False}  # the better read
    assert dups.set_index("report_id").loc["0" * 16, "source_name"] == "zhangdian-scan.pdf"  # named
    one_year = Filter(years=(2024,))
    ranked = lib.ranking("received", one_year)
    assert ranked["report_id"].tolist().count(good) == 1 and "0" * 16 not in set(ranked["report_id"])
    region = pd.DataFrame({"region_code": [parsed[0].meta.region_code], REGION: ["370000"]})
    by = lib.by_region(one_year, region, ["received", "assess_score"])
    received, score = lib.metrics([good])[["received", "assess_score"]].iloc[0]
    assert by["n"].tolist() == [1] and by["received"].tolist() == [received]           # not twice
    assert by["assess_score"].tolist() == [score] and by["n_assess_score"].tolist() == [1]   # a mean of one
    both = lib.by_region(Filter(years=(2024,), copies=True), region, ["received", "assess_score"])
    assert both["received"].tolist() == [2 * received]                                 # the copies, on request
    copy_score = lib.metrics(["0" * 16])["assess_score"].iloc[0]
    assert both["n_assess_score"].tolist() == [2]
    assert both["assess_score"].iloc[0] == pytest.approx((score + copy_score) / 2)
    assert lib.search(one_year).keys() == {good} | (lib.search(one_year).keys() - {"0" * 16})


def test_the_user_chooses_the_copy_that_counts(lib: Library, parsed: list[ParsedReport]) -> None:
    good = parsed[0].meta.report_id
    chosen = Filter(years=(2024,), keep=("0" * 16,))
    ids = lib.ranking("received", chosen)["report_id"].tolist()
    assert "0" * 16 in ids and good not in ids
    assert lib.duplicates(keep=chosen.keep).set_index("report_id")["counted"].to_dict() == {
        good: False, "0" * 16: True}
    assert lib.count(chosen) == lib.count(Filter(years=(2024,)))


def test_a_rate_ranks_only_with_enough_requests(lib: Library) -> None:
    m = lib.metrics().set_index("report_id")
    cut = int(m["processed"].dropna().median())
    ranked = lib.ranking("disclosure_rate", Filter(minimum=cut))
    assert set(ranked["report_id"]) == set(m.index[m["processed"] >= cut]) - {"0" * 16}
    assert len(lib.ranking("disclosure_rate", Filter())) > len(ranked)
    assert len(lib.ranking("received", Filter(minimum=cut))) == lib.count()          # counts: no minimum


def test_a_status_is_never_pass_for_what_was_not_checked() -> None:
    rows = pd.DataFrame({"fail": [0, 0, 0, 1, 0, 0], "unsure": [0, 0, 0, 0, 1, 0],
                         "unsure_cells": [0, 0, 0, 0, 0, 4], "passed": [0, 5, 5, 5, 5, 5],
                         "not_assessable": [39, 2, 0, 0, 0, 0]})
    assert check_status(rows).tolist() == ["not_assessable", "pass_partial", "pass", "fail", "unsure", "unsure"]


def _shape(code: str, level: str) -> geo.Shape:
    s = geo.shape(code, level)
    assert s is not None
    return s


def test_colour_scales_are_honest() -> None:
    regions = [(code, name, _shape(code, geo.PROVINCE))
               for code, name in (("320000", "江苏省"), ("310000", "上海市"), ("350000", "福建省"))]
    one = charts.region_map(regions, {"320000": 0.621}, {}, "t", True)
    fills = [t.fillcolor for t in one.data if t.fill == "toself"]
    assert fills[0] == charts.PLAIN and set(fills[1:]) == {charts.NO_DATA_COLOUR}     # one value: a plain fill
    assert not any(getattr(t.marker, "showscale", False) for t in one.data if t.mode == "markers")  # no bar
    two = charts.region_map(regions, {"320000": 0.621, "350000": 0.9}, {}, "t", True)
    bar = next(t for t in two.data if t.mode == "markers" and t.marker.showscale)
    assert (bar.marker.cmin, bar.marker.cmax) == (0.0, 1.0)                              # a rate: 0–100%
    assert two.data[0].fillcolor == charts.map_colour(0.621, 0, 1) != charts.map_colour(0.0, 0, 1)
    dots = next(t for t in two.data if t.customdata is not None)
    sizes = dict(zip(dots.customdata, dots.marker.size, strict=True))
    assert sizes["310000"] > sizes["320000"]                                             # 上海 made visible
    assert charts.clicked([{"customdata": "310000", "x": 1}]) == "310000" and charts.clicked([]) is None


def test_heat_map_puts_the_chosen_first_and_marks_shares_above_the_total() -> None:
    shares = pd.DataFrame({"予以公开": [0.5, 1.28], "部分公开": [float("nan"), 0.1]}, index=["a", "b"])
    fig = charts.heatmap(shares, {"a": "A", "b": "B"})
    hm = fig.data[0]
    assert list(hm.y) == ["A", "B"] and fig.layout.yaxis.autorange == "reversed"          # A at the top
    assert hm.colorbar.tickformat == ".0%" and hm.text[1][0] == "128% !" and hm.text[0][1] == ""
    assert any(t.name == "空白：无数据" for t in fig.data[1:])                              # a legend for blanks
    assert charts.over_total(shares) == ["b"]


def test_review_sheet_is_fit_to_send(lib: Library, parsed: list[ParsedReport]) -> None:
    rid = parsed[1].meta.report_id                   # 平潭 2020: 表三 does not add up
    rep = lib.row(rid)
    assert rep is not None
    rep["report_id"] = rid
    checks = lib.checks([rid])
    bad = checks[checks["status"] == "fail"]
    assert not bad.empty
    ref = str(bad["cells"].iloc[0]).split(";")[0]
    t, r, c = ref.split(".")
    corr = pd.DataFrame([{"report_id": rid, "table": t, "row": r, "col": c, "old_raw": "1", "new_raw": "2",
                          "reason": "OCR", "at": "2026-12-01T10:00:00+00:00"}])
    html = review_sheet_html(rep, checks, Sheet(lib.cells([rid]), corr, "zh", date(2026, 12, 7)))
    assert ref not in html and "本年新收" not in ref                        # printed names, not codes
    assert "2026-12-07" in html and rep["source_name"] in html and "审核人" in html
    assert "本方更正（非报告原文）" in html and "待核（本方更正）" in html     # ours, never the agency's
    assert "@page{size:A4" in html and "table-layout:fixed" in html
    en = review_sheet_html(rep, checks, Sheet(lib.cells([rid]), corr, "en", date(2026, 12, 7)))
    assert "Reviewer" in en and "Our corrections" in en and "审核" not in en


def test_workbook_numbers_are_numbers(lib: Library) -> None:
    reps = lib.reports()
    cells = lib.cells(reps["report_id"].tolist())
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(reps, cells)))
    assert wb.sheetnames == ["long", "wide", "wide_flags", "dictionary"]
    long = wb["long"]
    head = [c.value for c in long[1]]
    types = {head[i]: {row[i].data_type for row in long.iter_rows(min_row=2, max_row=200) if row[i].value is not None}
             for i in range(len(head))}
    assert types["value"] == {"n"} and types["year"] == {"n"} and types["page"] <= {"n"}
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
        assert (ws.column_dimensions["A"].width or 0) >= 18          # as wide as a report id and more
    flags = wide_flags(reps, cells)
    unsure = cells[cells["flag"] == FLAG_UNSURE].iloc[0]
    key = f"{unsure['table']}.{unsure['row']}.{unsure['col']}"
    assert flags.set_index("report_id").loc[unsure["report_id"], key] == "unsure"


# ---- the pages ---------------------------------------------------------------------------------
def test_a_duplicate_upload_counts_once_on_the_map_and_in_the_ranking() -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    copy = ZHANGDIAN.read_bytes() + b"\n"          # the same report, other bytes: another file
    at.file_uploader(key="upload").set_value([("zhangdian-copy.txt", copy, "text/plain")]).run()
    assert not at.exception
    notes = [x.value for x in [*at.info, *at.warning]]
    assert any(ZHANGDIAN.name in n.replace("\\", "") and "汇总只计一份" in n for n in notes), notes  # named
    at.switch_page("pages/map.py").run()
    assert at.selectbox(key="map_year").value == 2025                      # the latest year of the library
    at.selectbox(key="map_year").set_value(2024).run()
    assert any("重复报告：1 组" in e.label for e in at.expander)
    league = next(d.value for d in at.dataframe if "名次" in d.value.columns)
    assert (league["报告"] == "张店区人民政府办公室 · 2024").sum() == 1 and set(league["年份"].astype(str)) == {"2024"}
    assert any("另有 1 份重复文件未计入" in c.value for c in at.caption)
    at.switch_page("pages/compare.py").run()
    at.selectbox(key="rank_year").set_value(2024).run()
    ranking = next(d.value for d in at.dataframe if "名次" in d.value.columns)
    assert ranking["报告"].str.startswith("张店区人民政府办公室 · 2024").sum() == 1
    assert not at.exception


def test_map_drills_down_province_city_county_by_keyboard() -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/map.py").run()
    at.selectbox(key="map_year").set_value(2024).run()
    assert at.selectbox(key="map_province").value == ""                 # several provinces: the country
    assert "江苏省" in at.selectbox(key="map_province").options or "320000" in at.selectbox(key="map_province").options
    at.selectbox(key="map_province").set_value("320000").run()
    assert at.selectbox(key="map_city").options == ["全部", "淮安市"]
    at.selectbox(key="map_city").set_value("320800").run()
    assert at.selectbox(key="map_region").options == ["洪泽区"]
    assert not at.exception


def test_a_click_drills_down_province_city_county() -> None:
    atlas = geo.atlas()
    assert atlas is not None
    assert drill_to(atlas, "320000") == Drill("320000") and level_of(atlas, "320000").level == geo.CITY
    assert drill_to(atlas, "320800") == Drill("320000", "320800")
    assert level_of(atlas, "320000", "320800").level == geo.COUNTY
    assert drill_to(atlas, "320813") == Drill() and not drill_to(atlas, "320813").parent   # a county: its reports
    assert level_of(atlas, "310000").level == geo.COUNTY                                  # a municipality
