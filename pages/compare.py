"""对比: several reports side by side — aligned cells with differences, derived rates with their
formulas, grouped bars, a ranking of one year (one page at a time; a rate only for reports with
enough requests), and a heat map of outcome shares (the chosen reports at the top). The reports
are chosen from a search (year, region, agency) on the library's index; a duplicate report (one
body, one year, several files) is offered and ranked once."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import ui
import ui_numbers
from gkcore.model.metrics import BY_CODE, METRICS
from gkcore.present import charts
from gkcore.present.compare import aligned, metric_label
from gkcore.present.labels import metrics_for_display
from gkcore.present.messages import formula

RANK_PAGE = 100         # ranking rows per page
HEAT_MAX = 40

lib = ui.setup("pages/compare.py")
lang = ui.lang()
st.title(ui.t("多份报告对比", "Compare reports"))
where = ui_numbers.copies(lib, ui.report_filter("cmp"), "cmp")
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
c1, c2, c3 = st.columns(3)
ui.kept("rank_by", METRICS[0].code, allowed=[x.code for x in METRICS])
by = c1.selectbox(ui.t("排名依据", "Rank by"), [x.code for x in METRICS],
                  format_func=lambda c: metric_label(c, lang), key="rank_by")
with c2:
    year = ui_numbers.one_year(lib, where, "rank_year")
least = 0
if BY_CODE[by].is_rate:
    with c3:
        least = ui_numbers.minimum("rank_minimum")
if year is not None:
    ranked_where = replace(where, years=(year,), minimum=least)
    first = ui.pager("rank_page", lib.count(ranked_where), RANK_PAGE)
    ranked = lib.ranking(by, ranked_where, RANK_PAGE, first)
    st.dataframe(metrics_for_display(ranked, lang, ui.show_codes()), hide_index=True, key="ranking")
    st.caption(ui.plain(ui_numbers.what_adds_up(lib, where, year)) + (ui.t(
        f" 申请少于 {least} 件的报告不参与该比率的排名。",
        f" Reports with fewer than {least} requests are not ranked on this rate.") if least else ""))

shown_ids = list(dict.fromkeys([*ids, *found]))[:HEAT_MAX]
st.subheader(ui.t("办理结果构成", "Outcome shares"))
if lib.count(where) > HEAT_MAX:
    st.caption(ui.t(f"筛选范围内共 {lib.count(where):,} 份报告，热力图自上而下先列所选报告，其后共 {HEAT_MAX} 份；"
                    "请用筛选条件缩小范围。",
                    f"{lib.count(where):,} reports match; the heat map shows the chosen ones first (at the top), "
                    f"then others, {HEAT_MAX} in all."))
shares = lib.shares(shown_ids).reindex(shown_ids)
ui.chart(charts.heatmap(shares, names, lang), key="heatmap", name="outcome-shares")
over = charts.over_total(shares)
st.caption(ui.t("各格为占（七）总计的比例；灰色为空白（总计为 0 或缺数）。",
                "Each cell is a share of all requests processed; grey is blank (a total of 0 or missing)."))
if over:
    st.warning(ui.plain(ui.t(
        "办理结果之和超过（七）总计（比例超过 100%，图中标“!”）：" + "、".join(names.get(i, i) for i in over)
        + "。这是报告自身的数字，请核对原文。",
        "Outcomes exceed the total processed (a share above 100%, marked “!”): " + ", ".join(
            names.get(i, i) for i in over) + ". These are the report's own figures: check the source.")))
