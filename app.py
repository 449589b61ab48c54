"""政务公开年报看板, the landing page 报告: one report — identity, headline figures, charts,
checks, the tables as printed, the source of any cell, and corrections.

The other pages are the scripts in pages/ (Streamlit's native multipage app); ui.setup() gives
every page the same configuration and sidebar navigation (see ui.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import reportview
import signin
import ui
import ui_numbers
import uploads
from gkcore.model import Flag, Status
from gkcore.model.metrics import metrics_frame
from gkcore.present import charts
from gkcore.present.compare import printed_table
from gkcore.present.labels import column_label
from gkcore.present.messages import cell_name, check_messages, notes_text, shown_statuses
from gkcore.present.placenames import region_name
from gkcore.present.source import printed_codes

lib = ui.setup("app.py")
top = st.empty()            # progress while an upload is read: at the top, where the user looks
st.title(ui.t("单份报告", "One report"))
uploaded, body = uploads.upload("upload", top)
with body:                  # everything below the uploader: one element (see uploads.upload)
    reportview.flash()
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
    template = str(rep["template"])
    colon, left_p, right_p = ui.t("：", ": "), ui.t("（", " ("), ui.t("）", ")")

    # ---- identity and headline figures ---------------------------------------------------------
    st.subheader(ui.plain(f"{rep['agency']} · {rep['year']}"))
    st.caption(ui.plain(" · ".join([
        f"{ui.t('地区', 'Region')}{colon}{region_name(rep['region'], lang) or '—'}{left_p}{rep['region_code'] or '—'}"
        f"{right_p}",
        f"{ui.t('格式', 'Template')}{colon}{template}",
        f"{ui.t('页数', 'Pages')}{colon}{rep['pages'] if pd.notna(rep['pages']) else '—'}",
        f"{ui.t('来源', 'Source')}{colon}{rep['source_name']}",
    ])))
    ui_numbers.copy_note(lib, rid)          # another file of the same body and year: named, and which counts
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
    with left:
        ui.chart(charts.t3_flow(cells, lang), key="t3_flow", name="t3-flow")
        ui.chart(charts.t2_bars(cells, template, lang), key="t2_bars", name="t2")
    with right:
        ui.chart(charts.t3_by_applicant(cells, lang), key="t3_applicant", name="t3-applicants")
        ui.chart(charts.t4_bars(cells, lang), key="t4_bars", name="t4")

    # ---- checks --------------------------------------------------------------------------------
    st.subheader(ui.t("校验", "Checks"))
    counts = pd.Series(shown_statuses(checks), dtype="str").value_counts()
    c = st.columns(4)
    # the counts as the reports' columns name them (labels.toml [columns]); a warning is not a fail
    for col, (status, name) in zip(c, [(Status.PASS, "passed"), (Status.FAIL, Status.FAIL),
                                       (Status.NOT_ASSESSABLE, Status.NOT_ASSESSABLE)], strict=False):
        col.metric(column_label(name, lang), int(counts.get(status, 0)))
    # cells, as it says (a check the parser was unsure of is listed below with the others)
    c[3].metric(column_label("unsure_cells", lang), int((cells["flag"] == Flag.UNSURE).sum()))
    bad = checks[checks["status"] != Status.PASS]
    if checks.empty:                    # nothing checked is not "passed"
        st.info(ui.t("没有可核对的校验。", "No check could be made."))
    elif bad.empty:
        st.success(ui.t("全部校验通过。", "Every check passes."))
    else:
        bad = bad.assign(message=check_messages(bad, lang, cells, {rid: template}), status=shown_statuses(bad))
        ui.table(bad[["status", "message", "expected", "found", "cells"]], key="bad_checks")

    # ---- the tables as printed: click a cell to see where it was read --------------------------
    st.subheader(ui.t("原表（按原文，空白、0 与“/”分列）", "Tables as printed (blank, 0 and “/” kept apart)"))
    st.caption(ui.t("点击表中的单元格，可在下方查看它在原件中的位置并更正。",
                    "Click a cell of a table to see where it was read, below, and to correct it."))
    refs = reportview.refs_of(cells)
    for code, zh, en in (("t2", "表二", "Table 2"), ("t3", "表三", "Table 3"), ("t4", "表四", "Table 4")):
        with st.expander(ui.t(zh, en), expanded=code == "t3"):
            shown = printed_table(cells, code, template, lang)
            got = ui.grid(shown, key=f"printed_{code}", hide_index=False, on_select="rerun",
                          selection_mode="single-cell")
            picked = reportview.clicked(got, f"printed_{code}", "cells")
            if picked:
                rows, cols = printed_codes(cells, code, template)
                i, column = picked
                j = list(shown.columns).index(column) if column in shown.columns else -1
                if 0 <= int(i) < len(rows) and j >= 0 and f"{code}.{rows[int(i)]}.{cols[j]}" in refs:
                    st.session_state["source_cell"] = f"{code}.{rows[int(i)]}.{cols[j]}"
    unsure = cells[cells["flag"] == Flag.UNSURE]
    if not unsure.empty:                 # click a row to see the cell where it was read
        n = len(unsure)
        with st.expander(ui.t(f"解析不确定的单元格（{n}）", f"Cells the parser is unsure of ({n})")):
            named = unsure.assign(cell=[cell_name(x, lang, template) for x in reportview.refs_of(unsure)],
                                  note=notes_text(unsure["note"], lang))
            got = ui.table(named[["cell", "raw", "note", "table", "row", "col"]], key="unsure_cells",
                           on_select="rerun", selection_mode="single-cell")
            hit = reportview.clicked(got, "unsure_cells", "cells")          # any cell of a row: its cell
            if hit is not None:
                st.session_state["source_cell"] = reportview.refs_of(unsure)[int(hit[0])]

    # ---- the chosen cell: where it was read, and its correction ---------------------------------
    st.subheader(ui.t("单元格出处与更正", "Where a cell was read, and its correction"))
    ui.kept("source_cell", "t3.new_received.total" if "t3.new_received.total" in refs else refs[0], allowed=refs)
    ref = st.selectbox(ui.t("单元格", "Cell"), refs, key="source_cell",
                       format_func=lambda r: cell_name(r, lang, template) + (f" [{r}]" if ui.show_codes() else ""))
    orig = lib.report(rid)
    reportview.source_view(rid, rep, cells, ref, orig)
    with st.expander(ui.t("更正此单元格", "Correct this cell"), expanded=cells.iloc[refs.index(ref)]["flag"] != ""):
        reportview.corrections_panel(rid, rep, cells, ref, orig)
    signin.report_actions(lib, rid)     # accounts mode: delete it (a tombstone an admin can restore)
