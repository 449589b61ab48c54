"""评估 in Streamlit: one report's assessment (score, each criterion with its evidence and the
page images as on 报告, warnings, the sheet as HTML and PDF), shared by pages/assess.py and the
self-check on 报告 (app.py). Report text goes through ui.plain or into data frames: never markup."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from gkcore.assess.result import STATUS_LABELS, Assessment
from gkcore.library import Library
from gkcore.present.assess_sheet import sheet_html, sheet_pdf
from gkcore.present.assessments import Assessments
from gkcore.present.render import page_png

_KINDS = {"date": ("日期", "date"), "section": ("章节", "section"), "quote": ("引文", "quote"),
          "sentence": ("与上年相同的句子", "sentence repeated"), "check": ("校验", "check"), "cell": ("单元格", "cell")}
_ICON = {"met": "○", "not_met": "×", "cannot_tell": "?"}      # in every CJK font (no emoji font needed)


def assessments(lib: Library) -> Assessments:
    return Assessments(lib)


def assessment(lib: Library, rid: str) -> Assessment | None:
    """One report's assessment, kept for this session while the library is unchanged."""
    key = ("assess", rid, lib.stamp())
    memo = st.session_state.setdefault("_assess_memo", {})
    if key not in memo:
        memo.clear()
        memo[key] = assessments(lib).of(rid)
    got: Assessment | None = memo[key]
    return got


def criteria_frame(a: Assessment) -> pd.DataFrame:
    zh = ui.lang() == "zh"
    rows = [{ui.t("项目", "Criterion"): r.name if zh else r.name_en,
             ui.t("结论", "Status"): f"{_ICON[r.status]} {STATUS_LABELS[r.status][0 if zh else 1]}",
             ui.t("分值", "Weight"): r.weight,
             ui.t("得分", "Points"): "—" if r.score is None else f"{r.score * r.weight:.1f}",
             ui.t("评估说明", "Why"): r.message if zh else r.message_en} for r in a.results]
    return pd.DataFrame(rows)


def show(lib: Library, a: Assessment, key: str) -> None:
    """Score, criteria, the evidence of one criterion with its pages, warnings, downloads."""
    c = st.columns(4)
    c[0].metric(ui.t("评估得分（满分100）", "Score (of 100)"), "—" if a.score is None else f"{a.score:g}",
                help=ui.t("按可判断的项目折算；无法判断的项目不计入。",
                          "Over the criteria that could be told; those that cannot are left out."))
    counts = a.counts()
    c[1].metric(ui.t("符合", "Met"), counts["met"])
    c[2].metric(ui.t("不符合", "Not met"), counts["not_met"])
    c[3].metric(ui.t("无法判断", "Cannot tell"), counts["cannot_tell"])
    st.dataframe(criteria_frame(a), hide_index=True, key=f"{key}_criteria")
    for w in a.warnings:
        st.warning(ui.plain(ui.t(w.message, w.message_en)), icon="⚠️")
    names = {r.code: f"{_ICON[r.status]} {ui.t(r.name, r.name_en)}" for r in a.results}
    code = st.selectbox(ui.t("查看依据", "Evidence of"), list(names), format_func=names.__getitem__,
                        key=f"{key}_evidence")
    r = a.result(code)
    if r is not None:
        ev = pd.DataFrame([{ui.t("页", "Page"): "—" if e.page is None else str(e.page),
                            ui.t("类别", "Kind"): ui.t(*_KINDS.get(e.kind, (e.kind, e.kind))),
                            ui.t("原文", "As printed"): e.text,
                            **({ui.t("代码", "Code"): e.ref} if ui.show_codes() else {})} for e in r.evidence])
        if ev.empty:
            st.caption(ui.t("没有可引用的原文。", "No words to quote."))
        else:
            st.dataframe(ev, hide_index=True, key=f"{key}_evidence_table")
        pages = sorted({e.page for e in r.evidence if e.page is not None and ":" not in e.ref})
        row = lib.row(a.report_id)
        src = lib.source(a.report_id) if pages and row is not None and row["source_kind"] == "pdf" else None
        if src is not None:
            page = st.selectbox(ui.t("页面", "Page"), pages, key=f"{key}_page") if len(pages) > 1 else pages[0]
            st.image(page_png(src, int(page), None, scale=1.2, crop_margin=None),
                     caption=ui.t(f"第 {page} 页", f"Page {page}"))
    criteria = assessments(lib).criteria
    d1, d2 = st.columns(2)
    d1.download_button(ui.t("下载评估表（可打印网页）", "Download the assessment sheet (printable page)"),
                       lambda: sheet_html(a, criteria).encode("utf-8"), f"assessment-{a.report_id}.html", "text/html",
                       key=f"{key}_html")
    d2.download_button(ui.t("下载评估表（PDF）", "Download the assessment sheet (PDF)"), lambda: sheet_pdf(a, criteria),
                       f"assessment-{a.report_id}.pdf", "application/pdf", key=f"{key}_pdf")


def self_check(lib: Library, rid: str) -> None:
    """发布前自查 on 报告, for the report just uploaded (a draft as much as a published report)."""
    st.subheader(ui.t("发布前自查", "Check before publishing"))
    st.caption(ui.t("按评估机构的清单逐项检查刚上传的报告（草稿或已发布稿均可），并给出原文依据。",
                    "The report just uploaded (a draft or a published one), graded criterion by criterion as "
                    "evaluators do, with the evidence."))
    a = assessment(lib, rid)
    if a is not None:
        show(lib, a, "selfcheck")
