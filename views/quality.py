"""校验: every check result across the library — which reports do not add up, which cells the
parser was unsure of — with a drill-down and a review sheet per report."""

from __future__ import annotations

import streamlit as st

import ui
from gkcore.present.compare import labels
from gkcore.present.review import review_sheet_html

lib = ui.setup()
st.title(ui.t("校验结果", "Check results"))
reports = lib.reports()
if reports.empty:
    st.info(ui.t("报告库为空。", "The library is empty."))
    st.stop()
names = labels(reports)
summary = reports[["report_id", "label", "fail", "not_assessable", "unsure"]].sort_values(
    ["fail", "unsure"], ascending=False)
c = st.columns(3)
c[0].metric(ui.t("数字不符的报告", "Reports that do not add up"), int((reports["fail"] > 0).sum()))
c[1].metric(ui.t("有解析不确定单元格的报告", "Reports with unsure cells"), int((reports["unsure"] > 0).sum()))
c[2].metric(ui.t("报告总数", "Reports"), len(reports))
st.dataframe(summary, hide_index=True, key="summary")

SHOW_MAX = 2000         # rows per table: the index is queried for these only, never every check or cell
bad = lib.checks(status=["fail", "unsure"], limit=SHOW_MAX).copy()
bad.insert(1, "report", bad["report_id"].map(names))
bad = bad[bad["report"].notna()]       # a report ingested by another session since `reports` was read
st.subheader(ui.t("不符与不确定的校验", "Failed and unsure checks"))
st.dataframe(bad[["report", "rule", "scope", "status", "expected", "found", "message"]], hide_index=True,
             key="bad_checks")
FIRST_ONLY = ui.t(f"仅显示前 {SHOW_MAX} 条；请在下方按报告查看。", f"The first {SHOW_MAX} only; see each report below.")
if len(bad) == SHOW_MAX:
    st.caption(FIRST_ONLY)
unsure = lib.cells(flag="unsure", limit=SHOW_MAX)
unsure = unsure[unsure["report_id"].map(names).notna()]
st.subheader(ui.t("解析不确定的单元格", "Cells the parser was unsure of"))
st.dataframe(unsure.assign(report=unsure["report_id"].map(names))[["report", "table", "row", "col", "raw", "note"]],
             hide_index=True, key="unsure_cells")
if len(unsure) == SHOW_MAX:
    st.caption(FIRST_ONLY)

st.subheader(ui.t("单份报告审核意见", "Review sheet for one report"))
rid = st.selectbox(ui.t("报告", "Report"), list(summary["report_id"]), format_func=names.__getitem__, key="drill")
mine = lib.checks([rid])
st.dataframe(mine[mine["status"] != "pass"][["rule", "scope", "status", "expected", "found", "message"]],
             hide_index=True, key="drill_checks")
rep = reports.set_index("report_id").loc[rid]
rep["report_id"] = rid
st.download_button(ui.t("下载审核意见（可打印网页）", "Download the review sheet (printable page)"),
                   review_sheet_html(rep, mine).encode("utf-8"), f"review-{rid}.html", "text/html", key="dl_review")
