"""Two parts of 报告 (app.py): where a cell was read (the page image of a PDF or scan, the source
text with the line marked for a text, web page or Word file), and the corrections of cells
(validated, confirmed, undone or deleted with every entry kept in the log, the original shown
beside the correction). The cell is the one clicked in a table, or chosen in the picker."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

import ui
import uploads
from gkcore.errors import GkError
from gkcore.model import Flag, ParsedReport
from gkcore.model.box import Box
from gkcore.present.messages import cell_name, note_text
from gkcore.present.render import page_png
from gkcore.present.source import TEXT_KINDS, excerpt, focus, locate, source_lines
from gkcore.store.corrections import CORRECT, DELETE, UNDO, acceptable

FLASH = "report_flash"      # a confirmation shown once, on the run after the action


def refs_of(cells: pd.DataFrame) -> list[str]:
    return (cells["table"] + "." + cells["row"] + "." + cells["col"]).tolist()


def clicked(got: Any, key: str, kind: str) -> Any:
    """The cell ("cells": (row, column)) or row ("rows": its position) just clicked in a table
    drawn with on_select; None when nothing is selected or the selection is the one already
    handled (a rerun keeps a table's selection: only a new click moves the cell shown)."""
    picked = list(getattr(getattr(got, "selection", None), kind, None) or [])
    if not picked or st.session_state.get(f"clicked_{key}") == picked:
        return None
    st.session_state[f"clicked_{key}"] = picked
    return picked[0]


def show_cell(report_id: str, ref: str) -> None:
    """Go to 报告 showing one report's cell where it was read (a click in another page's table)."""
    st.session_state.setdefault("_kept", {}).update(report_id=report_id, source_cell=ref)
    st.switch_page("app.py")



def flash() -> None:
    """The confirmation of the last action (shown once: the next action clears it)."""
    said = st.session_state.pop(FLASH, None)
    if said:
        st.success(said, icon="✅")


def _original(orig: ParsedReport | None, ref: str) -> str:
    c = orig.cell(*ref.split(".")) if orig is not None else None
    return c.raw if c is not None else ""


@st.cache_data(max_entries=8, show_spinner=False)
def _lines(data: bytes, kind: str) -> list[str]:
    return source_lines(data, kind)


def source_view(rid: str, rep: pd.Series, cells: pd.DataFrame, ref: str, orig: ParsedReport | None) -> None:
    """The chosen cell where it was read, with what the source prints and, for a corrected cell,
    the correction said apart from the image or text of the original."""
    lib, lang, template = ui.library(), ui.lang(), str(rep["template"])
    cell = cells.iloc[refs_of(cells).index(ref)]
    name = cell_name(ref, lang, template)
    printed = _original(orig, ref)
    said = ui.t(f"原件印为“{printed}”", f"the source prints “{printed}”") if printed else \
        ui.t("原件此格为空白", "blank in the source")
    if cell["flag"] == Flag.CORRECTED:
        said += ui.t(f"；已更正为“{cell['raw']}”（更正不在图中）",
                     f"; corrected to “{cell['raw']}” (the correction is not in the image)")
    why = note_text(cell.get("note", ""), lang)
    if why:
        said += ui.t("；", "; ") + why
    kind = str(rep["source_kind"])
    data = lib.source(rid)
    if data is None:
        st.info(ui.t("原件不在缓存中，无法显示出处。", "The source file is not in the cache: no source view."))
        return
    if kind == "pdf":
        if pd.isna(cell["page"]) or pd.isna(cell["x0"]):
            st.info(ui.plain(ui.t(f"{name}：原件中没有此单元格的位置（{said}）。",
                                  f"{name}: this cell has no position in the source ({said}).")))
            return
        page = int(cell["page"])
        st.image(page_png(data, page, Box(cell["x0"], cell["top"], cell["x1"], cell["bottom"])),
                 caption=ui.plain(ui.t(f"第 {page} 页 · {name}：{said}", f"Page {page} · {name}: {said}")))
        return
    if kind not in TEXT_KINDS:
        return
    try:
        lines = _lines(data, kind)
    except GkError:                      # a Word 97 file when LibreOffice is missing
        lines = []
    at = locate(lines, template, str(cell["table"]), str(cell["row"]), printed) if lines else None
    if at is None:
        st.info(ui.plain(ui.t(f"{name}：未能在原文中找到此行（{said}）。",
                              f"{name}: its line was not found in the source text ({said}).")))
        return
    first, shown = excerpt(lines, at)
    rows = []
    for i, text in enumerate(shown, first):
        if i == at:
            before, marked, after = focus(text, template, str(cell["table"]), str(cell["row"]))
            body = f"{html.escape(before)}<mark>{html.escape(marked)}</mark>{html.escape(after)}"
        else:
            body = html.escape(text[:200] + ("…" if len(text) > 200 else ""))
        rows.append(f'<div class="gk-line{" gk-at" if i == at else ""}"><span>{i + 1}</span> {body}</div>')
    st.html('<div class="gk-source" data-testid="gkSource" style="font-family:monospace;font-size:0.85rem;'
            'white-space:pre-wrap;border:1px solid #ddd;padding:6px">' + "".join(rows) + "</div>"
            "<style>.gk-source mark{background:#ffe066} .gk-line span{color:#999}</style>")
    where = ui.t(f"第 {at + 1} 行", f"line {at + 1}") if kind == "text" else ui.t("所在段落", "its paragraph")
    st.caption(ui.plain(f"{rep['source_name']} · {where} · {name}{ui.t('：', ': ')}{said}"))


def corrections_panel(rid: str, rep: pd.Series, cells: pd.DataFrame, ref: str, orig: ParsedReport | None) -> None:
    """Correct the chosen cell (checked before it is saved), undo or delete its corrections; the
    report's log of every entry below."""
    lib, lang, template = ui.library(), ui.lang(), str(rep["template"])
    cell = cells.iloc[refs_of(cells).index(ref)]
    printed = _original(orig, ref)
    c = st.columns(2)
    c[0].text_input(ui.t("原件所印（原文）", "As the source prints it"), printed, disabled=True, key=f"orig_{ref}")
    new = c[1].text_input(ui.t("更正为", "Correct to"), str(cell["raw"]), key=f"new_{ref}")
    reason = st.text_input(ui.t("更正原因（可选）", "Reason (optional)"), key="reason")
    if lib.corrections_error:          # the saved corrections cannot be read: shown, kept, not overwritten
        st.warning(uploads.half(lib.corrections_error), icon="⚠️")
    t, r, col = ref.split(".")
    b = st.columns(3)
    name = cell_name(ref, lang, template)
    if b[0].button(ui.t("保存更正", "Save the correction"), key="save", disabled=new == str(cell["raw"])):
        if not acceptable(new):
            st.error(ui.plain(ui.t(f"未保存：“{new}”不是数字。数字单元格只能填写数字（如 12、1,234、-3）、空白或“/”。",
                                   f"Not saved: “{new}” is not a number. A number cell holds a number "
                                   "(12, 1,234, -3), a blank or “/”.")))
        else:
            _act(rid, t, r, col, new, reason, CORRECT,
                 ui.t(f"已保存：{name} 更正为“{new}”（原件为“{printed}”），校验已重新计算。",
                      f"Saved: {name} corrected to “{new}” (the source prints “{printed}”); checks rerun."))
    log = lib.frames().corrections
    log = log[log["report_id"] == rid]
    mine = log[(log["table"] == t) & (log["row"] == r) & (log["col"] == col)]
    standing = cell["flag"] == Flag.CORRECTED
    if b[1].button(ui.t("撤销上一次更正", "Undo the last correction"), key="undo", disabled=not standing):
        _act(rid, t, r, col, "", reason, UNDO,
             ui.t(f"已撤销 {name} 的上一次更正。", f"Undone: {name}'s last correction."))
    if b[2].button(ui.t("删除此格的全部更正", "Delete this cell's corrections"), key="delete", disabled=not standing):
        _act(rid, t, r, col, "", reason, DELETE,
             ui.t(f"已删除 {name} 的更正，恢复原件所印“{printed}”。",
                  f"Deleted: {name}'s corrections; back to the source's “{printed}”."))
    if not mine.empty or not log.empty:
        st.caption(ui.t("更正记录（只增不删：撤销和删除也记录在内）",
                        "The log (entries are never removed: undo and delete are logged too)"))
        shown = log.assign(cell=[cell_name(x, lang, template) for x in
                                 (log["table"] + "." + log["row"] + "." + log["col"]).tolist()],
                           action=log["action"].fillna(CORRECT) if "action" in log else CORRECT)
        ui.table(shown[["cell", "action", "by", "old_raw", "new_raw", "reason", "at", "table", "row", "col"]],
                 key="corrections_log")


def _act(rid: str, table: str, row: str, col: str, new: str, reason: str, action: str, done: str) -> None:
    try:
        ui.library().correct(rid, table, row, col, new, reason, action)
    except GkError as exc:
        st.error(ui.plain(uploads.half(exc.message)))
    else:
        st.session_state[FLASH] = ui.plain(done)
        st.rerun()
