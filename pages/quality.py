"""校验: every check result across the library — which reports do not add up, which cells the
parser was unsure of — with a drill-down and a review sheet per report. The lists are pages of
queries on the library's index (worst first), never frames of every report."""

from __future__ import annotations

import streamlit as st

import reportview
import ui
from gkcore.library import Filter
from gkcore.model import Flag, Status
from gkcore.present.compare import row_label
from gkcore.present.messages import check_messages, notes_text, shown_statuses
from gkcore.present.review import Sheet, review_sheet_html

PAGE = 200              # reports of the summary per page
DETAIL = 20             # reports of that page whose failed checks and unsure cells are listed (the worst)
SHOW_MAX = 2000         # rows per table: the index is queried for these only, never every check or cell

lib = ui.setup("pages/quality.py")
st.title(ui.t("校验结果", "Check results"))
counts = lib.status_counts()
if counts["reports"] == 0:
    st.info(ui.t("报告库为空。", "The library is empty."))
    st.stop()
files = lib.count(Filter(copies=True))
c = st.columns(4)
c[0].metric(ui.t("数字不符的报告", "Reports that do not add up"), counts[Status.FAIL])
c[1].metric(ui.t("有解析不确定单元格的报告", "Reports with unsure cells"), counts[Status.UNSURE])
c[2].metric(ui.t("有无法核对校验的报告", "Reports with checks not assessable"), counts[Status.NOT_ASSESSABLE])
c[3].metric(ui.t("报告总数", "Reports"), counts["reports"])
if files > counts["reports"]:
    st.caption(ui.t(f"同一机关同一年度的重复文件只计一次：共 {files:,} 个文件，{counts['reports']:,} 份报告；"
                    "下表按文件列出。",
                    f"A body's report of one year read from several files counts once: {files:,} files, "
                    f"{counts['reports']:,} reports; the list below is by file."))
first = ui.pager("summary_page", files, PAGE)
summary = lib.worst(PAGE, first)            # most failed checks first, then most unsure cells
ui.table(summary, key="summary")

detail = summary["report_id"].tolist()[:DETAIL]
names = dict(zip(summary["report_id"], summary["label"], strict=True))
its = lib.reports(ids=detail)
formats = dict(zip(its["report_id"].tolist(), its["template"].astype(str).tolist(), strict=True))
bad = lib.checks(detail, status=[Status.FAIL, Status.UNSURE], limit=SHOW_MAX).copy()
bad.insert(1, "report", bad["report_id"].map(names))
bad["message"] = check_messages(bad, ui.lang(), templates=formats)
bad["status"] = shown_statuses(bad)                 # a warning's fail: "unusual, look again"
st.subheader(ui.t("不符与不确定的校验", "Failed and unsure checks"))
ui.table(bad[["report", "rule", "scope", "status", "expected", "found", "message"]], key="bad_checks")
FIRST_ONLY = ui.t(f"仅显示前 {SHOW_MAX} 条；请在下方按报告查看。", f"The first {SHOW_MAX} only; see each report below.")
if len(summary) > DETAIL:
    st.caption(ui.t(f"列出上表本页前 {DETAIL} 份报告的不符与不确定项；其他报告请翻页或在下方按报告查看。",
                    f"For the first {DETAIL} reports of this page of the list above; page on, or see one report "
                    "below."))
if len(bad) == SHOW_MAX:
    st.caption(FIRST_ONLY)
unsure = lib.cells(detail, flag=Flag.UNSURE, limit=SHOW_MAX)
st.subheader(ui.t("解析不确定的单元格", "Cells the parser was unsure of"))
unsure = unsure.assign(report=unsure["report_id"].map(names), note=notes_text(unsure["note"], ui.lang()), cell=[
    row_label(t, r, c, lang=ui.lang(), template=formats.get(rid, "2021"))     # as its own report prints it
    for rid, t, r, c in zip(unsure["report_id"], unsure["table"], unsure["row"], unsure["col"], strict=True)])
st.caption(ui.t("点击一行，在“报告”页查看该单元格在原件中的位置。",
                "Click a row to see the cell where it was read, on the Report page."))
got = ui.table(unsure[["report", "cell", "table", "row", "col", "raw", "note"]], key="unsure_cells",
               on_select="rerun", selection_mode="single-cell")
picked = list(got.selection.cells) if got is not None and hasattr(got, "selection") else []
if picked:                                             # any cell of a row: that row's cell, on 报告
    hit = unsure.iloc[int(picked[0][0])]
    reportview.show_cell(str(hit["report_id"]), f"{hit['table']}.{hit['row']}.{hit['col']}")
if len(unsure) == SHOW_MAX:
    st.caption(FIRST_ONLY)

st.subheader(ui.t("单份报告审核意见", "Review sheet for one report"))
options = dict(zip(summary["report_id"], summary["label"], strict=True))     # this page of the summary
drill = ui.kept("drill", None)
if drill is not None and drill not in options:                               # the report shown stays offered
    options.update(lib.names([str(drill)]))
if drill is not None and drill not in options:                               # a link to a report this library lacks
    del st.session_state["drill"]
rid = st.selectbox(ui.t("报告", "Report"), list(options), format_func=options.__getitem__, key="drill")
mine = lib.checks([rid])
drilled = mine[mine["status"] != Status.PASS]
drilled = drilled.assign(message=check_messages(drilled, ui.lang(), lib.cells([rid])), status=shown_statuses(drilled))
ui.table(drilled[["rule", "scope", "status", "expected", "found", "message"]], key="drill_checks")
rep = lib.row(rid)
if rep is not None:
    rep["report_id"] = rid
    log = lib.frames().corrections
    sheet = Sheet(cells=lib.cells([rid]), corrections=log[log["report_id"] == rid], lang=ui.lang())
    row = rep     # the sheet is built on click (the report as narrowed here)
    st.download_button(ui.t("下载审核意见（可打印网页，A4）", "Download the review sheet (printable page, A4)"),
                       lambda: review_sheet_html(row, mine, sheet).encode("utf-8"), f"review-{rid}-{ui.lang()}.html",
                       "text/html", key="dl_review")
