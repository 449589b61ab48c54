"""对比: several reports side by side — aligned cells with differences, derived rates with their
formulas, grouped bars, a ranking, and a heat map of outcome shares."""

from __future__ import annotations

import streamlit as st

import ui
from gkcore.model.metrics import METRICS
from gkcore.present import charts
from gkcore.present.compare import aligned, labels, metric_label, ranking

lib = ui.setup()
lang = ui.lang()
st.title(ui.t("多份报告对比", "Compare reports"))
reports = ui.filter_reports(lib.reports(), "cmp")
names = labels(reports)
if len(names) < 2:
    st.info(ui.t("至少需要两份报告：请放宽筛选条件或上传更多报告。",
                 "At least two reports are needed: widen the filters or upload more."))
    st.stop()
ids = st.multiselect(ui.t("选择要对比的报告", "Reports to compare"), list(names), default=list(names)[:2],
                     format_func=names.__getitem__, key="compare_ids", placeholder=ui.t("选择报告", "Choose"))
if len(ids) < 2:
    st.info(ui.t("请选择两份或更多报告。", "Choose two or more reports."))
    st.stop()
cells = lib.cells(ids)

st.subheader(ui.t("派生指标", "Derived figures"))
m = lib.metrics(ids).set_index("report_id").reindex(ids).reset_index()
shown = m.set_index("report_id").rename(index=names)
codes = list(shown.columns)
shown.columns = [metric_label(c, lang) for c in codes]
st.dataframe(shown, key="metrics", column_config=ui.rate_columns(codes, {c: metric_label(c, lang) for c in codes}))
with st.expander(ui.t("指标公式", "Formulas")):
    st.table({ui.t("指标", "Figure"): [metric_label(x.code, lang) for x in METRICS],
              ui.t("公式", "Formula"): [x.formula for x in METRICS]})
rates = [x.code for x in METRICS if x.is_rate]
pick = st.multiselect(ui.t("柱状图显示的比率", "Rates in the chart"), rates, default=rates[:3],
                      format_func=lambda c: metric_label(c, lang), key="bar_metrics")
if pick:
    fig = charts.grouped_metric_bars(m, names, pick, {c: metric_label(c, lang) for c in pick})
    fig.update_yaxes(tickformat=".0%")
    st.plotly_chart(fig, key="bars")

st.subheader(ui.t("逐项对齐（差值相对第一份报告）", "Cell by cell (differences from the first report)"))
st.dataframe(aligned(cells, reports, ids, lang), hide_index=True, key="aligned")

st.subheader(ui.t("排名", "Ranking"))
by = st.selectbox(ui.t("排名依据", "Rank by"), [x.code for x in METRICS],
                  format_func=lambda c: metric_label(c, lang), key="rank_by")
ranked = ranking(lib.metrics(list(names)), reports, by).rename(columns={by: metric_label(by, lang)})
st.dataframe(ranked, hide_index=True, key="ranking", column_config=ui.rate_columns([by], {by: metric_label(by, lang)}))

HEAT_MAX = 40
shown_ids = list(dict.fromkeys([*ids, *names]))[:HEAT_MAX]
st.subheader(ui.t("办理结果构成", "Outcome shares"))
if len(names) > HEAT_MAX:
    st.caption(ui.t(f"筛选范围内共 {len(names)} 份报告，热力图显示所选报告及其后共 {HEAT_MAX} 份；"
                    "请用筛选条件缩小范围。",
                    f"{len(names)} reports match; the heat map shows the chosen ones and others, {HEAT_MAX} in all."))
st.plotly_chart(charts.heatmap(lib.shares(shown_ids).reindex(shown_ids), names, lang), key="heatmap")
