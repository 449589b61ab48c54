"""对比: several reports side by side — aligned cells with differences, derived rates with their
formulas, grouped bars, a ranking (one page at a time), and a heat map of outcome shares. The
reports are chosen from a search (year, region, agency) on the library's index."""

from __future__ import annotations

import streamlit as st

import ui
from gkcore.model.metrics import METRICS
from gkcore.present import charts
from gkcore.present.compare import aligned, metric_label
from gkcore.present.labels import metrics_for_display
from gkcore.present.messages import formula

RANK_PAGE = 100         # ranking rows per page
HEAT_MAX = 40

lib = ui.setup("pages/compare.py")
lang = ui.lang()
st.title(ui.t("多份报告对比", "Compare reports"))
where = ui.report_filter("cmp")
found = lib.search(where)
request = st.session_state.pop("compare_request", None)     # reports sent from 地图
if request:
    st.session_state["compare_ids"] = list(lib.names(request))
chosen = lib.names(ui.kept("compare_ids", list(found)[:2]))      # in the URL: a link shows these reports
names = {**chosen, **found}
if len(names) < 2:
    st.info(ui.t("至少需要两份报告：请放宽筛选条件或上传更多报告。",
                 "At least two reports are needed: widen the filters or upload more."))
    st.stop()
ui.kept("compare_ids", list(found)[:2], allowed=list(names))
ids = st.multiselect(ui.t("选择要对比的报告", "Reports to compare"), list(names), format_func=names.__getitem__,
                     key="compare_ids", placeholder=ui.t("选择报告", "Choose"), select_all=lang == "en")
ui.found(where, len(found))
if len(ids) < 2:
    st.info(ui.t("请选择两份或更多报告。", "Choose two or more reports."))
    st.stop()
cells = lib.cells(ids)

st.subheader(ui.t("派生指标", "Derived figures"))
m = lib.metrics(ids).set_index("report_id").reindex(ids).reset_index()
st.dataframe(metrics_for_display(m.assign(label=m["report_id"].map(names))[["label", *m.columns]], lang,
                                 ui.show_codes()), hide_index=True, key="metrics")
with st.expander(ui.t("指标公式", "Formulas")):
    st.table({ui.t("指标", "Figure"): [metric_label(x.code, lang) for x in METRICS],
              ui.t("公式", "Formula"): [formula(x.code, lang) for x in METRICS]})
rates = [x.code for x in METRICS if x.is_rate]
ui.kept("bar_metrics", rates[:3], allowed=rates)
pick = st.multiselect(ui.t("柱状图显示的比率", "Rates in the chart"), rates, key="bar_metrics",
                      format_func=lambda c: metric_label(c, lang), select_all=lang == "en",
                      placeholder=ui.t("选择比率", "Choose rates"))
if pick:
    fig = charts.grouped_metric_bars(m, names, pick, {c: metric_label(c, lang) for c in pick})
    fig.update_yaxes(tickformat=".0%")
    ui.chart(fig, key="bars", name="compare-rates")

st.subheader(ui.t("逐项对齐（差值相对第一份报告）", "Cell by cell (differences from the first report)"))
ui.table(aligned(cells, lib.about(ids), ids, lang).rename(columns={"label": "cell"}), key="aligned")

st.subheader(ui.t("排名", "Ranking"))
ui.kept("rank_by", METRICS[0].code, allowed=[x.code for x in METRICS])
by = st.selectbox(ui.t("排名依据", "Rank by"), [x.code for x in METRICS],
                  format_func=lambda c: metric_label(c, lang), key="rank_by")
first = ui.pager("rank_page", lib.count(where), RANK_PAGE)
ranked = lib.ranking(by, where, RANK_PAGE, first)
st.dataframe(metrics_for_display(ranked, lang, ui.show_codes()), hide_index=True, key="ranking")

shown_ids = list(dict.fromkeys([*ids, *found]))[:HEAT_MAX]
st.subheader(ui.t("办理结果构成", "Outcome shares"))
if lib.count(where) > HEAT_MAX:
    st.caption(ui.t(f"筛选范围内共 {lib.count(where):,} 份报告，热力图显示所选报告及其后共 {HEAT_MAX} 份；"
                    "请用筛选条件缩小范围。",
                    f"{lib.count(where):,} reports match; the heat map shows the chosen ones and others, "
                    f"{HEAT_MAX} in all."))
ui.chart(charts.heatmap(lib.shares(shown_ids).reindex(shown_ids), names, lang), key="heatmap", name="outcome-shares")
