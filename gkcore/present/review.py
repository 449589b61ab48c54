"""A review sheet per report, for the staff who send reports back for correction: a printable HTML
page (one A4 layout) listing each failed, unsure or unassessable check with its figures and the
cells it involves by their printed names, the source file and pages, the date, and a line for the
reviewer. The issues are the check messages built from codes (present/messages.py). Our own
corrections of cells are shown as ours, apart: a check computed on a value we corrected is never
put to the agency as its mistake. Chinese or English. All report text is escaped: it is shown as
text, never as markup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape

import pandas as pd

from ..model import REPORT_ID, Status, format_value
from .compare import row_label
from .labels import value_label
from .messages import check_messages, shown_statuses

_CSS = """@page{size:A4;margin:16mm 14mm}
body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC","SimSun",serif;margin:0 auto;max-width:182mm;
font-size:10.5pt;color:#000}
h1{font-size:16pt;margin:0 0 4mm}h2{font-size:12pt;margin:6mm 0 2mm}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border:1px solid #444;padding:3px 5px;vertical-align:top;overflow-wrap:anywhere}
th{background:#eee;white-space:nowrap}
td.n,th.n{white-space:nowrap;text-align:right}th.s{white-space:nowrap}td.s{word-break:keep-all}
col.i{width:8mm}col.s{width:24mm}col.v{width:16mm}col.p{width:13mm}col.c{width:42%}
dl{display:grid;grid-template-columns:28mm 1fr;gap:1mm 3mm;margin:0 0 4mm}dt{font-weight:bold}dd{margin:0}
.ours{font-size:9.5pt;color:#333}.sign{margin-top:12mm;display:flex;gap:20mm}
tr{break-inside:avoid}thead{display:table-header-group}
@media print{button{display:none}}"""

_WORDS = {
    "zh": {"title": "{agency} {year} 年政府信息公开工作年度报告 · 审核意见", "agency": "机关", "year": "年度",
           "source": "来源文件", "pages": "页数", "template": "格式", "id": "报告编号", "date": "审核日期",
           "todo": "共 {n} 项需核实。", "none": "全部校验通过，无需退回修改。",
           "ours_head": "本方更正（非报告原文）", "ours_status": "待核（本方更正）",
           "ours_note": "此项涉及本方更正的单元格：{cells}。以上数字按更正后的数值计算，非报告原文。",
           "reviewer": "审核人：", "signed": "日期：", "print": "打印", "page": "第 {p} 页"},
    "en": {"title": "{agency} · {year} government information disclosure annual report · review",
           "agency": "Agency", "year": "Year", "source": "Source file", "pages": "Pages", "template": "Template",
           "id": "Report ID", "date": "Reviewed on", "todo": "{n} items to verify.",
           "none": "Every check passes: nothing to send back.",
           "ours_head": "Our corrections (not the report's own text)", "ours_status": "to verify (ours)",
           "ours_note": "Involves cells we corrected: {cells}. The figures above use our corrected values, "
                        "not the report's.",
           "reviewer": "Reviewer: ", "signed": "Date: ", "print": "Print", "page": "p. {p}"},
}

_COLS = {"zh": ("#", "状态", "问题", "应为", "实为", "涉及单元格", "页码"),
         "en": ("#", "Status", "Issue", "Expected", "Found", "Cells", "Page")}
_OURS_COLS = {"zh": ("单元格", "原文", "更正为", "原因", "时间"),
              "en": ("Cell", "As printed", "Corrected to", "Reason", "When")}


@dataclass(frozen=True)
class Sheet:
    """What a sheet is made of besides the report's row and its checks."""
    cells: pd.DataFrame | None = None          # the report's cells (their pages)
    corrections: pd.DataFrame | None = None    # our saved corrections of this report
    lang: str = "zh"
    today: date | None = None


def review_sheet_html(report: pd.Series, checks: pd.DataFrame, sheet: Sheet | None = None) -> str:
    s = sheet or Sheet()
    lang = "en" if s.lang == "en" else "zh"
    w = _WORDS[lang]
    template = str(report.get("template", "2021") or "2021")
    bad = checks[checks["status"] != Status.PASS]
    corr = s.corrections if s.corrections is not None else pd.DataFrame(columns=["table", "row", "col"])
    ours = set(corr["table"] + "." + corr["row"] + "." + corr["col"]) if not corr.empty else set()
    pages = _pages(s.cells)

    def name(ref: str) -> str:
        try:
            table, row, col = ref.split(".")
            return row_label(table, row, col, lang=lang, template=template)
        except (KeyError, ValueError):
            return ref

    # the messages built from the checks' codes in the sheet's language (a frame without the
    # codes, such as a caller's own, keeps its message column)
    messages = (check_messages(bad, lang, s.cells, {str(report[REPORT_ID]): template})
                if {"rule", "scope", "status"} <= set(bad.columns) else bad["message"].astype(str).tolist())
    shown = shown_statuses(bad) if {"rule", "status"} <= set(bad.columns) else bad["status"].astype(str).tolist()
    rows = []
    for i, (_, k) in enumerate(bad.iterrows(), 1):
        refs = [r for r in str(k.get("cells", "") or "").split(";") if r]
        mine = [r for r in refs if r in ours]
        issue = messages[i - 1]
        note = (f"<div class='ours'>{escape(w['ours_note'].format(cells='、'.join(name(r) for r in mine)))}</div>"
                if mine else "")
        at = sorted({p for r in refs if (p := pages.get(r)) is not None})
        status = escape(w["ours_status"] if mine else str(value_label("status", shown[i - 1], lang)))
        rows.append(f"<tr><td class='n'>{i}</td><td class='s'>{status}</td><td>{escape(issue)}{note}</td>"
                    f"<td class='n'>{escape(_fmt(k['expected']))}</td>"
                    f"<td class='n'>{escape(_fmt(k['found']))}</td>"
                    f"<td>{escape(_grouped([name(r) for r in refs], lang))}"
                    f"</td><td class='n'>{escape(', '.join(map(str, at)))}</td></tr>")
    head = "".join(f"<th class='{c}'>{escape(h)}</th>"
                   for h, c in zip(_COLS[lang], ("n", "s", "", "n", "n", "", "n"), strict=True))
    cols = ("<colgroup><col class='i'><col class='s'><col><col class='v'><col class='v'><col class='c'>"
            "<col class='p'></colgroup>")
    body = (f"<table>{cols}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>" if rows
            else f"<p>{escape(w['none'])}</p>")
    title = w["title"].format(agency=report["agency"], year=report["year"])
    today = (s.today or date.today()).isoformat()
    facts = [(w["agency"], report["agency"]), (w["year"], report["year"]),
             (w["source"], report.get("source_name", "") or "—"),
             (w["pages"], "—" if pd.isna(report.get("pages")) else report.get("pages")),
             (w["template"], template), (w["id"], report[REPORT_ID]), (w["date"], today)]
    dl = "".join(f"<dt>{escape(str(a))}</dt><dd>{escape(str(b))}</dd>" for a, b in facts)
    return (f"<!DOCTYPE html><html lang='{'en' if lang == 'en' else 'zh-CN'}'><head><meta charset='utf-8'>"
            f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><h1>{escape(title)}</h1>"
            f"<dl>{dl}</dl><p>{escape(w['todo'].format(n=len(bad)))}</p>{body}{_ours(corr, lang, name)}"
            f"<div class='sign'><span>{escape(w['reviewer'])}________________</span>"
            f"<span>{escape(w['signed'])}________________</span></div>"
            f"<p><button onclick='window.print()'>{escape(w['print'])}</button></p></body></html>")


def _ours(corr: pd.DataFrame, lang: str, name: Callable[[str], str]) -> str:
    """Our corrections of the report's cells, listed apart as ours."""
    if corr.empty:
        return ""
    latest = corr.sort_values("at").drop_duplicates(["table", "row", "col"], keep="last")
    rows = "".join(f"<tr><td>{escape(name(f'{c.table}.{c.row}.{c.col}'))}</td><td>{escape(str(c.old_raw))}</td>"
                   f"<td>{escape(str(c.new_raw))}</td><td>{escape(str(c.reason or ''))}</td>"
                   f"<td class='s'>{escape(str(c.at)[:10])}</td></tr>" for c in latest.itertuples())
    head = "".join(f"<th>{escape(h)}</th>" for h in _OURS_COLS[lang])
    return (f"<h2>{escape(_WORDS[lang]['ours_head'])}</h2><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _grouped(names: list[str], lang: str) -> str:
    """Cell names ("row · column") grouped by what they share: by column ("自然人：（一）予以公开；
    （二）部分公开") when they span fewer columns than rows, else by row ("行政复议：总计；结果维持")."""
    pairs = [tuple(n.rsplit(" · ", 1)) if " · " in n else (n, "") for n in names]
    by_col = len({c for _, c in pairs}) <= len({r for r, _ in pairs})
    by: dict[str, list[str]] = {}
    for row, col in pairs:
        head, item = (col, row) if by_col else (row, col)
        by.setdefault(head, []).append(item)
    sep, colon = ("；", "：") if lang != "en" else ("; ", ": ")
    return (" / " if lang == "en" else "　").join(
        f"{head}{colon}{sep.join(x for x in items if x)}" if head else sep.join(items) for head, items in by.items())


def _pages(cells: pd.DataFrame | None) -> dict[str, int]:
    """table.row.col -> the page a cell was read on (the report's cells; none known: empty)."""
    if cells is None or cells.empty or "page" not in cells:
        return {}
    got = cells[cells["page"].notna()]
    return {f"{t}.{r}.{c}": int(p)
            for t, r, c, p in zip(got["table"], got["row"], got["col"], got["page"], strict=True)}


def _fmt(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else format_value(v)  # type: ignore[arg-type]
