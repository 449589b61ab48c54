"""The printable assessment sheet of one report (HTML, and PDF through reportlab), and the Excel
workbook of every criterion. All report text is escaped: shown as text, never as markup. The PDF
uses reportlab's built-in Adobe CID font STSong-Light: nothing is downloaded or embedded."""

from __future__ import annotations

import io
from html import escape

import pandas as pd

from ..assess.criteria import Criteria
from ..assess.result import STATUS_LABELS, Assessment, evidence_text

_CSS = """body{font-family:"Noto Serif CJK SC","SimSun",serif;margin:2em;}table{border-collapse:collapse;
width:100%}td,th{border:1px solid #444;padding:4px 6px;font-size:11pt;vertical-align:top}th{background:#eee}
h1{font-size:18pt}.met{color:#1a7f37}.not_met{color:#b42318}.cannot_tell{color:#666}
@media print{button{display:none}}"""


def _title(a: Assessment) -> str:
    return f"{a.agency} {a.year or ''} 年政府信息公开工作年度报告 · 评估表"


def _score(a: Assessment) -> str:
    return "—" if a.score is None else f"{a.score:g}"


def sheet_html(a: Assessment, criteria: Criteria) -> str:
    rows = "".join(
        f"<tr><td>{escape(r.name)}<br><small>{escape(r.name_en)}</small></td><td>{r.weight:g}</td>"
        f"<td class='{escape(r.status)}'>{escape(STATUS_LABELS[r.status][0])}</td>"
        f"<td>{'—' if r.score is None else f'{r.score * r.weight:.1f}'}</td>"
        f"<td>{escape(r.message)}<br><small>{escape(r.message_en)}</small></td>"
        f"<td>{escape(evidence_text(r.evidence[:8]))}</td></tr>" for r in a.results)
    warns = "".join(f"<li>{escape(w.message)} <small>{escape(w.message_en)}</small></li>" for w in a.warnings)
    unchecked = "（未与原文核对 / not checked against the text）"
    laws = "".join(f"<li>{escape(x.source)}{'' if x.verified else unchecked}</li>" for x in criteria.law)
    return (f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(_title(a))}</title>"
            f"<style>{_CSS}</style></head><body><h1>{escape(_title(a))}</h1>"
            f"<p>报告编号 {escape(a.report_id)}；地区 {escape(a.region or '—')}；评估清单 {escape(criteria.name)}。</p>"
            f"<p><b>得分 {escape(_score(a))}</b>（满分 100，按可判断的项目折算 / points of 100 over the criteria "
            f"that could be told）</p>"
            f"<table><tr><th>项目</th><th>分值</th><th>结论</th><th>得分</th><th>说明</th><th>依据（页码、原文）</th></tr>"
            f"{rows}</table>"
            + (f"<h2>提示（不扣分）</h2><ul>{warns}</ul>" if warns else "")
            + f"<h2>依据</h2><ul>{laws}</ul><p><button onclick='window.print()'>打印</button></p></body></html>")


def sheet_pdf(a: Assessment, criteria: Criteria) -> bytes:
    """The same sheet as a PDF (A4)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("b", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    head = ParagraphStyle("h", parent=body, fontSize=14, leading=18)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    data = [[p("项目"), p("分值"), p("结论"), p("得分"), p("说明"), p("依据")]]
    for r in a.results:
        data.append([p(r.name), p(f"{r.weight:g}"), p(STATUS_LABELS[r.status][0]),
                     p("—" if r.score is None else f"{r.score * r.weight:.1f}"), p(r.message),
                     p(evidence_text(r.evidence[:4])[:400])])
    table = Table(data, colWidths=[24 * mm, 11 * mm, 15 * mm, 11 * mm, 62 * mm, 60 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]))
    story = [p(_title(a), head), Spacer(1, 4 * mm),
             p(f"报告编号 {a.report_id}；地区 {a.region or '—'}；评估清单 {criteria.name}；"
               f"得分 {_score(a)}（满分 100）"),
             Spacer(1, 4 * mm), table]
    if a.warnings:
        story += [Spacer(1, 4 * mm), p("提示（不扣分）：" + "；".join(w.message for w in a.warnings))]
    story += [Spacer(1, 4 * mm), p("依据：" + "；".join(x.source for x in criteria.law))]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                      bottomMargin=12 * mm, title=_title(a), invariant=1).build(story)
    return buf.getvalue()


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook, one sheet per frame (names cut to Excel's 31 characters)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name[:31], index=False)
    return buf.getvalue()
