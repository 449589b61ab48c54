"""趋势: one agency across years, and the continuity check: each year's 上年结转 should equal
the previous year's 结转下年度."""

from __future__ import annotations

import streamlit as st

import ui
from gkcore.present import charts
from gkcore.present.compare import metric_label, trend

lib = ui.setup()
lang = ui.lang()
st.title(ui.t("历年趋势", "Trends"))
reports = lib.reports()
if reports.empty:
    st.info(ui.t("报告库为空。", "The library is empty."))
    st.stop()
groups = reports.groupby("agency_key").agg(agency=("agency", "last"), region=("region", "last"),
                                            years=("year", "nunique")).sort_values("years", ascending=False)
year_word = ui.t("年", "years")
shown = {k: f"{a}（{r or '—'}，{y} {year_word}）"
         for k, a, r, y in zip(groups.index, groups["agency"], groups["region"], groups["years"], strict=True)}
key = st.selectbox(ui.t("机关", "Agency"), list(groups.index), key="agency_key", format_func=shown.__getitem__)
mine = reports.loc[reports["agency_key"] == key, "report_id"].tolist()     # its reports only, never all
tr = trend(lib.cells(mine), reports, key, lib.metrics(mine))
counts = ["received", "carried_over", "processed", "reviews", "suits"]
st.plotly_chart(charts.trend_lines(tr, counts, {c: metric_label(c, lang) for c in counts}), key="counts")
rates = ["disclosure_rate", "no_info_rate", "review_correction_rate"]
fig = charts.trend_lines(tr, rates, {c: metric_label(c, lang) for c in rates})
fig.update_yaxes(tickformat=".0%")
st.plotly_chart(fig, key="rates")

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
st.dataframe(tr[["year", "label", "carried_over", "previous_forward", "carry_forward", "continuity"]],
             hide_index=True, key="continuity")
