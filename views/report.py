"""报告: one report — identity, headline figures, charts, checks, the tables as printed, the
source of any cell, and corrections."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from gkcore.errors import GkError
from gkcore.model.metrics import metrics_frame
from gkcore.present import charts
from gkcore.present.compare import printed_table, row_label
from gkcore.present.render import page_png

lib = ui.setup()
st.title(ui.t("单份报告", "One report"))
uploaded = ui.upload("upload")
rid = ui.pick_report("report_id", uploaded[-1] if uploaded else None)
if rid is None:
    st.stop()

rep = lib.reports().set_index("report_id").loc[rid]
cells = lib.cells([rid])
checks = lib.checks([rid])
lang = ui.lang()

# ---- identity and headline figures ---------------------------------------------------------
st.subheader(ui.plain(f"{rep['agency']} · {rep['year']}"))
st.caption(ui.plain(" · ".join([
    f"{ui.t('地区', 'Region')}：{rep['region'] or '—'}（{rep['region_code'] or '—'}）",
    f"{ui.t('格式', 'Template')}：{rep['template']}",
    f"{ui.t('页数', 'Pages')}：{rep['pages'] if pd.notna(rep['pages']) else '—'}",
    f"{ui.t('来源', 'Source')}：{rep['source_name']}",
])))
m = metrics_frame(cells).iloc[0]
row1 = st.columns(4)
row1[0].metric(ui.t("新收申请", "New requests"), ui.num(m["received"]))
row1[1].metric(ui.t("办结", "Processed"), ui.num(m["processed"]))
row1[2].metric(ui.t("予以公开 + 部分公开", "Disclosed (full + partial)"), ui.pct(m["disclosure_rate"]),
               help=f"{ui.pct(m['granted_rate'])} + {ui.pct(m['partial_rate'])}")
row1[3].metric(ui.t("不掌握信息", "No information held"), ui.pct(m["no_info_rate"]))
row2 = st.columns(4)
row2[0].metric(ui.t("行政复议", "Reviews"), ui.num(m["reviews"]))
row2[1].metric(ui.t("复议纠错率", "Review correction rate"), ui.pct(m["review_correction_rate"]))
row2[2].metric(ui.t("行政诉讼", "Lawsuits"), ui.num(m["suits"]))
row2[3].metric(ui.t("诉讼纠错率", "Lawsuit correction rate"), ui.pct(m["suit_correction_rate"]))

# ---- charts --------------------------------------------------------------------------------
left, right = st.columns(2)
left.plotly_chart(charts.t3_flow(cells, lang), key="t3_flow")
right.plotly_chart(charts.t3_by_applicant(cells, lang), key="t3_applicant")
left.plotly_chart(charts.t2_bars(cells, str(rep["template"]), lang), key="t2_bars")
right.plotly_chart(charts.t4_bars(cells, lang), key="t4_bars")

# ---- checks --------------------------------------------------------------------------------
st.subheader(ui.t("校验", "Checks"))
counts = checks["status"].value_counts()
c = st.columns(4)
for col, (status, zh, en) in zip(c, [("pass", "通过", "pass"), ("fail", "不符", "fail"),
                                     ("not_assessable", "无法核对", "not assessable"),
                                     ("unsure", "解析不确定", "parser unsure")], strict=True):
    col.metric(ui.t(zh, en), int(counts.get(status, 0)))
bad = checks[checks["status"] != "pass"]
if bad.empty:
    st.success(ui.t("全部校验通过。", "Every check passes."))
else:
    st.dataframe(bad[["status", "message", "expected", "found", "cells"]], hide_index=True, key="bad_checks")

# ---- the tables as printed -----------------------------------------------------------------
st.subheader(ui.t("原表（按原文，空白、0 与“/”分列）", "Tables as printed (blank, 0 and “/” kept apart)"))
for code, zh, en in (("t2", "表二", "Table 2"), ("t3", "表三", "Table 3"), ("t4", "表四", "Table 4")):
    with st.expander(ui.t(zh, en), expanded=code == "t3"):
        st.dataframe(printed_table(cells, code, str(rep["template"]), lang), key=f"printed_{code}")

# ---- source of a cell ----------------------------------------------------------------------
src = lib.source(rid) if rep["source_kind"] == "pdf" else None
located = cells[cells["page"].notna() & cells["x0"].notna()]
if src is not None and not located.empty:
    st.subheader(ui.t("单元格出处", "Where a cell was read"))
    refs = list(located["table"] + "." + located["row"] + "." + located["col"])
    ref = st.selectbox(ui.t("单元格", "Cell"), refs, key="source_cell",
                       format_func=lambda r: f"{r} · {row_label(*r.split('.'), lang=lang)}")  # type: ignore[misc]
    cell = located.iloc[refs.index(ref)]
    st.image(page_png(src, int(cell["page"]), (cell["x0"], cell["top"], cell["x1"], cell["bottom"])),
             caption=ui.plain(f"{ui.t('第', 'page ')}{int(cell['page'])}{ui.t(' 页', '')} · {ref} = {cell['raw']!r}"))

# ---- corrections ---------------------------------------------------------------------------
with st.expander(ui.t("更正读错的单元格", "Correct a cell that was read wrong")):
    view = cells[["table", "row", "col", "raw", "flag", "note"]].reset_index(drop=True)
    edited = st.data_editor(view, disabled=["table", "row", "col", "flag", "note"], hide_index=True,
                            key="editor")
    reason = st.text_input(ui.t("更正原因（可选）", "Reason (optional)"), key="reason")
    changed = edited[edited["raw"] != view["raw"]]
    if lib.corrections_error:          # the saved corrections cannot be read: shown, kept, not overwritten
        st.warning(lib.corrections_error, icon="⚠️")
    if st.button(ui.t("保存更正", "Save corrections"), disabled=changed.empty, key="save"):
        try:
            for r in changed.to_dict("records"):
                lib.correct(rid, str(r["table"]), str(r["row"]), str(r["col"]), str(r["raw"]), reason)
        except GkError as exc:
            st.error(exc.message)
        else:
            st.success(ui.t(f"已保存 {len(changed)} 处更正，校验已重新计算。",
                            f"Saved {len(changed)} corrections; checks rerun."))
            st.rerun()
    log = lib.frames().corrections
    log = log[log["report_id"] == rid]
    if not log.empty:
        st.dataframe(log.drop(columns=["report_id"]), hide_index=True, key="corrections_log")
