"""政务公开年报看板, the landing page 报告: one report — identity, headline figures, charts,
checks, the tables as printed, the source of any cell, and corrections.

The other pages are the scripts in pages/ (Streamlit's native multipage app); ui.setup() gives
every page the same configuration and sidebar navigation (see ui.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from gkcore.errors import GkError
from gkcore.model.metrics import metrics_frame
from gkcore.present import charts
from gkcore.present.compare import printed_table, row_label
from gkcore.present.labels import column_label
from gkcore.present.render import page_png

lib = ui.setup("app.py")
top = st.empty()            # progress while an upload is read: at the top, where the user looks
st.title(ui.t("单份报告", "One report"))
uploaded, body = ui.upload("upload", top)
with body:                  # everything below the uploader: one element (see ui.upload)
    rid = ui.pick_report("report_id", uploaded[-1] if uploaded else None)
    if rid is None:
        st.stop()

    row = lib.row(rid)
    if row is None:                 # gone from the library since the picker was drawn
        st.stop()
    rep: pd.Series = row
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
    if uploaded and rid == uploaded[-1]:    # 发布前自查: the report just uploaded, graded at once
        import assess_view

        assess_view.self_check(lib, rid)
    m = metrics_frame(cells).iloc[0]
    row1 = st.columns(4)
    row1[0].metric(ui.t("新收申请", "New requests"), ui.figure(m, "received"))
    row1[1].metric(ui.t("办结", "Processed"), ui.figure(m, "processed"))
    row1[2].metric(ui.t("予以公开 + 部分公开", "Disclosed (full + partial)"), ui.figure(m, "disclosure_rate"),
                   help=f"{ui.figure(m, 'granted_rate')} + {ui.figure(m, 'partial_rate')}")
    row1[3].metric(ui.t("不掌握信息", "No information held"), ui.figure(m, "no_info_rate"))
    row2 = st.columns(4)
    row2[0].metric(ui.t("行政复议", "Reviews"), ui.figure(m, "reviews"))
    row2[1].metric(ui.t("复议纠错率", "Review correction rate"), ui.figure(m, "review_correction_rate"))
    row2[2].metric(ui.t("行政诉讼", "Lawsuits"), ui.figure(m, "suits"))
    row2[3].metric(ui.t("诉讼纠错率", "Lawsuit correction rate"), ui.figure(m, "suit_correction_rate"))

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
    for col, (status, zh, en) in zip(c, [("pass", "通过", "passed"), ("fail", "不符", "do not add up"),
                                         ("not_assessable", "无法核对", "not assessable"),
                                         ("unsure", "解析不确定", "parser unsure")], strict=True):
        col.metric(ui.t(zh, en), int(counts.get(status, 0)))
    bad = checks[checks["status"] != "pass"]
    if bad.empty:
        st.success(ui.t("全部校验通过。", "Every check passes."))
    else:
        ui.table(bad[["status", "message", "expected", "found", "cells"]], key="bad_checks")

    # ---- the tables as printed -----------------------------------------------------------------
    st.subheader(ui.t("原表（按原文，空白、0 与“/”分列）", "Tables as printed (blank, 0 and “/” kept apart)"))
    for code, zh, en in (("t2", "表二", "Table 2"), ("t3", "表三", "Table 3"), ("t4", "表四", "Table 4")):
        with st.expander(ui.t(zh, en), expanded=code == "t3"):
            st.dataframe(printed_table(cells, code, str(rep["template"]), lang), key=f"printed_{code}")

    def cell_labels(df: pd.DataFrame) -> list[str]:
        """The printed names of the cells of a frame with table, row and col codes."""
        return [row_label(*k, lang=lang, template=str(rep["template"]))
                for k in zip(df["table"], df["row"], df["col"], strict=True)]


    def cell_name(ref: str) -> str:
        """A cell reference table.row.col as its printed name (with the code when codes are shown)."""
        t3, r3, c3 = ref.split(".")
        name = row_label(t3, r3, c3, lang=lang, template=str(rep["template"]))
        return f"{name} [{ref}]" if ui.show_codes() else name


    # ---- source of a cell ----------------------------------------------------------------------
    src = lib.source(rid) if rep["source_kind"] == "pdf" else None
    located = cells[cells["page"].notna() & cells["x0"].notna()]
    if src is not None and not located.empty:
        st.subheader(ui.t("单元格出处", "Where a cell was read"))
        refs = list(located["table"] + "." + located["row"] + "." + located["col"])
        ref = st.selectbox(ui.t("单元格", "Cell"), refs, key="source_cell",
                           format_func=lambda r: cell_name(r))
        cell = located.iloc[refs.index(ref)]
        st.image(page_png(src, int(cell["page"]), (cell["x0"], cell["top"], cell["x1"], cell["bottom"])),
                 caption=ui.plain(f"{ui.t('第', 'page ')}{int(cell['page'])}{ui.t(' 页', '')} · {cell_name(ref)}"
                                  f"{ui.t('：', ': ')}“{cell['raw']}”"))

    # ---- corrections ---------------------------------------------------------------------------
    with st.expander(ui.t("更正读错的单元格", "Correct a cell that was read wrong")):
        view = cells[["table", "row", "col", "raw", "flag", "note"]].reset_index(drop=True)
        view.insert(0, "cell", cell_labels(view))
        shown = ui.display(view)
        raw_col = column_label("raw", lang, ui.show_codes())
        edited = st.data_editor(shown, disabled=[c for c in shown.columns if c != raw_col], hide_index=True,
                                key="editor")
        reason = st.text_input(ui.t("更正原因（可选）", "Reason (optional)"), key="reason")
        changed = view[edited[raw_col].fillna("").astype(str) != view["raw"]].assign(
            raw=edited[raw_col].fillna("").astype(str))
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
            ui.table(log.assign(cell=cell_labels(log))[["cell", *log.columns]], key="corrections_log")
