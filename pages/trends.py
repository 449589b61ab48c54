"""趋势: one agency across years, and the continuity check: each year's 上年结转 should equal
the previous year's 结转下年度. The agency is chosen from a search on the library's index."""

from __future__ import annotations

import streamlit as st

import ui
from gkcore.library import SEARCH_MAX, Filter
from gkcore.present import charts
from gkcore.present.compare import metric_label, trend
from gkcore.present.placenames import region_name

lib = ui.setup("pages/trends.py")
lang = ui.lang()
st.title(ui.t("历年趋势", "Trends"))
if lib.count() == 0:
    st.info(ui.t("报告库为空。", "The library is empty."))
    st.stop()
ui.kept("agency_search", "")
text = st.text_input(ui.t("机关名称包含", "Agency contains"), key="agency_search")
groups = lib.agencies(text).set_index("agency_key")            # at most SEARCH_MAX, the longest series first
chosen = ui.kept("agency_key", None)
if chosen is not None and chosen not in groups.index:          # the agency shown stays offered
    its = lib.reports(where=Filter(agency_key=str(chosen)))
    if not its.empty:
        groups.loc[str(chosen)] = [its["agency"].iloc[-1], its["region"].iloc[-1], its["year"].nunique()]
if chosen is not None and chosen not in groups.index:          # a link to an agency this library lacks
    del st.session_state["agency_key"]
if groups.empty:
    st.info(ui.t("没有符合条件的机关。", "No agency matches."))
    st.stop()
shown = {k: ui.t(f"{a}（{r or '—'}，{y} 年）", f"{a} ({region_name(r, 'en') or '—'}, {y} years)")
         for k, a, r, y in zip(groups.index, groups["agency"], groups["region"], groups["years"], strict=True)}
if len(groups) >= SEARCH_MAX:
    st.caption(ui.t(f"只列出前 {SEARCH_MAX} 个机关：请输入机关名称缩小范围。",
                    f"The first {SEARCH_MAX} agencies only: type part of a name to narrow them."))
key = st.selectbox(ui.t("机关", "Agency"), list(groups.index), key="agency_key", format_func=shown.__getitem__)
reports = lib.reports(where=Filter(agency_key=key))                # its reports only, never all
mine = reports["report_id"].tolist()
tr = trend(lib.cells(mine), reports, key, lib.metrics(mine))
counts = ["received", "carried_over", "processed", "reviews", "suits"]
ui.chart(charts.trend_lines(tr, counts, {c: metric_label(c, lang) for c in counts}), key="counts", name="trend-counts")
rates = ["disclosure_rate", "no_info_rate", "review_correction_rate"]
fig = charts.trend_lines(tr, rates, {c: metric_label(c, lang) for c in rates})
fig.update_yaxes(tickformat=".0%")
ui.chart(fig, key="rates", name="trend-rates")

st.subheader(ui.t("结转衔接", "Carry-over continuity"))
breaks = tr[tr["continuity"] == "break"]
for _, b in breaks.iterrows():
    st.warning(ui.t(f"{b['year']} 年“上年结转”为 {b['carried_over']:.0f}，但 {b['year'] - 1} 年“结转下年度”为 "
                    f"{b['previous_forward']:.0f}",
                    f"{b['year']}: carried over {b['carried_over']:.0f}, but {b['year'] - 1} carried forward "
                    f"{b['previous_forward']:.0f}"))
if breaks.empty:
    st.success(ui.t("相邻年份的结转数字衔接一致（或年份不相邻，无法核对）。",
                    "Carry-over figures of consecutive years agree (or years are not consecutive)."))
ui.table(tr[["year", "label", "carried_over", "previous_forward", "carry_forward", "continuity"]], key="continuity")
