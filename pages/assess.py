"""评估: every report's score and criteria (the index's criteria: a query a rerun, never a grading
of the library), filterable by year and region, ranked; one report's criteria with the evidence
and its pages; the assessment sheet (HTML, PDF); an Excel workbook of every criterion."""

from __future__ import annotations

import streamlit as st

import assess_view
import ui
from gkcore.assess.result import results_frame, scores_frame
from gkcore.present.assess_sheet import workbook_bytes

PAGE = 100              # reports of the ranking per page
EXCEL_MAX = 200         # reports graded in full (every criterion, the evidence) for the workbook

lib = ui.setup("pages/assess.py")
st.title(ui.t("评估", "Assessment"))
st.caption(ui.t("按第三方评估的常见清单（按时、要素齐全、其他事项、整改、数据准确、内容翔实、不雷同）逐项打分；"
                "清单、分值和期限是可替换的数据文件（见使用说明）。排名中的得分只计单份报告"
                "可以判断的项目；与上年比对的项目（上年结转衔接、不雷同）在单份报告中计入。",
                "Graded on the evaluators' usual list; the list, weights and deadlines are data "
                "(gkcore/assess/criteria.toml, docs/assessment.md). The ranking's score counts the criteria a "
                "report settles alone; those comparing years are counted in one report's view."))
if lib.count() == 0:
    st.info(ui.t("报告库为空。", "The library is empty."))
    st.stop()
A = assess_view.assessments(lib)
where = ui.report_filter("assess")
total = lib.count(where)
first = ui.pager("assess_page", total, PAGE)
ranking = A.ranking(where, PAGE, first)
st.subheader(ui.t("排名", "Ranking"))
st.caption(ui.t(f"{total:,} 份报告符合条件；得分从高到低，无法评分的排在最后。"
                "各项目列为 0–1 的得分（1 为符合，空为无法判断）。",
                f"{total:,} reports match; highest score first, none last. Criterion columns: 0–1 (1 met, "
                "empty cannot tell)."))
ui.table(ranking, key="assess_ranking")

options = dict(zip(ranking["report_id"], ranking["label"], strict=True))
if not options:
    st.info(ui.t("没有符合条件的报告。", "No report matches."))
    st.stop()


def workbook() -> bytes:
    """Every criterion with its evidence, for the reports of this page of the ranking (built on click)."""
    done = [a for rid in list(options)[:EXCEL_MAX] if (a := A.of(rid)) is not None]
    return workbook_bytes({"scores": scores_frame(done), "criteria": results_frame(done)})


st.download_button(ui.t(f"下载 Excel（本页前 {EXCEL_MAX} 份报告的全部项目和依据）",
                        f"Download Excel (every criterion and its evidence, first {EXCEL_MAX} of this page)"),
                   workbook, "assessment.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="assess_xlsx")

st.subheader(ui.t("单份报告", "One report"))
rid = st.selectbox(ui.t("报告", "Report"), list(options), format_func=options.__getitem__, key="assess_report")
a = assess_view.assessment(lib, str(rid))
if a is not None:
    assess_view.show(lib, a, "assess")
