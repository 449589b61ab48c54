"""A review sheet per report, for the staff who send reports back for correction: a printable
HTML page listing each failed or unsure check with its figures and cells. All report text is
escaped: it is shown as text, never as markup."""

from __future__ import annotations

from html import escape

import pandas as pd

from ..model import format_value

_STATUS = {"fail": "不符", "unsure": "解析不确定", "not_assessable": "无法核对"}
_CSS = """body{font-family:"Noto Serif CJK SC","SimSun",serif;margin:2em;}table{border-collapse:collapse;
width:100%}td,th{border:1px solid #444;padding:4px 6px;font-size:11pt;vertical-align:top}th{background:#eee}
h1{font-size:18pt}@media print{button{display:none}}"""


def review_sheet_html(report: pd.Series, checks: pd.DataFrame) -> str:
    bad = checks[checks["status"] != "pass"]
    rows = "".join(
        f"<tr><td>{i}</td><td>{escape(_STATUS.get(str(k['status']), str(k['status'])))}</td>"
        f"<td>{escape(str(k['message']))}</td><td>{escape(_fmt(k['expected']))}</td>"
        f"<td>{escape(_fmt(k['found']))}</td><td>{escape(str(k['cells']).replace(';', '、'))}</td></tr>"
        for i, (_, k) in enumerate(bad.iterrows(), 1))
    body = (f"<table><tr><th>#</th><th>状态</th><th>问题</th><th>应为</th><th>实为</th><th>涉及单元格</th></tr>"
            f"{rows}</table>") if rows else "<p>全部校验通过，无需退回修改。</p>"
    title = f"{report['agency']} {report['year']} 年政府信息公开工作年度报告 · 审核意见"
    return (f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{_CSS}</style></head><body><h1>{escape(title)}</h1>"
            f"<p>报告编号 {escape(str(report['report_id']))}；格式 {escape(str(report['template']))}；"
            f"共 {len(bad)} 项需核实。</p>{body}"
            f"<p><button onclick='window.print()'>打印</button></p></body></html>")


def _fmt(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else format_value(v)  # type: ignore[arg-type]
