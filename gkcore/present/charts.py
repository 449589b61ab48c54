"""Plotly figures from tidy frames. No Streamlit here: pages pass the figures to st.plotly_chart.

Plotly draws a subset of HTML in every text it shows (<b>, <br>, <a href>, <span style>, …):
each text here goes through `esc` first, so an agency or file name shows as the characters it
is (Plotly turns &lt; &gt; &amp; back into those characters), never as markup."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from ..model import VALUE, format_value
from ..model.metrics import OUTCOME_GROUPS
from ..parse.template import Column, Row, load

FONT = dict(family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif", size=13)


def esc(text: object) -> str:
    """Text as Plotly shows it literally (only &, < and >: Plotly decodes no &quot;)."""
    return escape(str(text), quote=False)


def _layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(title=esc(title), font=FONT, height=height, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", y=-0.15))
    return fig


def _values(cells: pd.DataFrame) -> dict[tuple[str, str, str], float | None]:
    """(table, row, col) -> number of one report's cells: one pass instead of a scan per value."""
    return {(t, r, c): (None if pd.isna(v) else float(v))
            for t, r, c, v in zip(cells["table"], cells["row"], cells["col"], cells[VALUE], strict=True)}


def _lab(obj: Row | Column, lang: str) -> str:
    return esc(obj.label_en if lang == "en" else obj.label)


def t2_bars(cells: pd.DataFrame, template: str, lang: str = "zh") -> go.Figure:
    """表二: each row's figures as bars, one panel per kind of figure."""
    t = load(template).tables["t2"]
    v = _values(cells)
    fig = go.Figure()
    for col in t.cols:
        xs, ys = [], []
        for row in t.rows:
            if col.code in row.cols:
                xs.append(_lab(row, lang))
                ys.append(v.get(("t2", row.code, col.code)))
        if xs:
            fig.add_bar(name=_lab(col, lang), x=xs, y=ys, textposition="outside",
                        text=["" if y is None else format_value(y) for y in ys])
    fig.update_layout(barmode="group", yaxis_type="log" if _spread(fig) else "linear")
    return _layout(fig, "表二 主动公开政府信息情况" if lang == "zh" else "Table 2 · Proactive disclosure")


def _spread(fig: go.Figure) -> bool:
    ys = [y for tr in fig.data for y in (tr.y or ()) if y]
    return bool(ys) and max(ys) / max(min(ys), 1) > 1000


def t3_flow(cells: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """表三 as a flow: received and carried over → handled → each outcome group, and → carried forward."""
    allv = _values(cells)
    v = {r: allv.get(("t3", r, "total")) for r in ("new_received", "carried_over", "total_processed",
                                                     "carry_forward")}
    zh = lang == "zh"
    nodes = ["本年新收" if zh else "New", "上年结转" if zh else "Carried over", "本年受理" if zh else "Handled",
             "结转下年度" if zh else "Carried forward"]
    src, dst, val = [0, 1], [2, 2], [v["new_received"] or 0, v["carried_over"] or 0]
    for zh_name, en_name, rows in OUTCOME_GROUPS:
        n = sum(x for r in rows if (x := allv.get(("t3", r, "total"))) is not None)
        if n:
            nodes.append(zh_name if zh else en_name)
            src.append(2)
            dst.append(len(nodes) - 1)
            val.append(n)
    if v["carry_forward"]:
        src.append(2)
        dst.append(3)
        val.append(v["carry_forward"])
    fig = go.Figure(go.Sankey(node=dict(label=[esc(n) for n in nodes], pad=18),
                              link=dict(source=src, target=dst, value=val)))
    return _layout(fig, "表三 申请办理流向" if zh else "Table 3 · Requests and outcomes", 420)


def t3_by_applicant(cells: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Outcome shares by applicant type (100% stacked bars)."""
    t = load("2021").tables["t3"]
    v = _values(cells)
    fig = go.Figure()
    cols = list(t.cols)
    for i, (zh_name, en_name, rows) in enumerate(OUTCOME_GROUPS):
        ys = []
        for c in cols:
            total = v.get(("t3", "total_processed", c.code))
            parts = [x for r in rows if (x := v.get(("t3", r, c.code))) is not None]
            ys.append(sum(parts) / total if total and parts else None)
        fig.add_bar(name=esc(zh_name if lang == "zh" else en_name), x=[_lab(c, lang) for c in cols], y=ys,
                    marker_color=_PALETTE[i])
    fig.update_layout(barmode="stack", yaxis_tickformat=".0%")
    return _layout(fig, "各类申请人的办理结果构成" if lang == "zh" else "Outcomes by applicant type")


_PALETTE = ["#2a9d8f", "#8ab17d", "#e9c46a", "#f4a261", "#e76f51", "#9c6644"]


def t4_bars(cells: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """表四: outcomes per block (review, direct suits, suits after review)."""
    t = load("2021").tables["t4"]
    fig = go.Figure()
    v = _values(cells)
    for i, col in enumerate(c for c in t.cols if c.code != "total"):
        fig.add_bar(name=_lab(col, lang), x=[_lab(r, lang) for r in t.rows],
                    y=[v.get(("t4", r.code, col.code)) for r in t.rows], marker_color=_PALETTE[i])
    fig.update_layout(barmode="stack")
    return _layout(fig, "表四 行政复议、行政诉讼结果" if lang == "zh" else "Table 4 · Reviews and lawsuits")


def grouped_metric_bars(metrics: pd.DataFrame, names: dict[str, str], codes: list[str],
                        labels: dict[str, str]) -> go.Figure:
    fig = go.Figure()
    for code in codes:
        fig.add_bar(name=esc(labels[code]), x=[esc(names[r]) for r in metrics["report_id"]], y=metrics[code])
    fig.update_layout(barmode="group")
    return _layout(fig, "")


def heatmap(shares: pd.DataFrame, names: dict[str, str], lang: str = "zh") -> go.Figure:
    """Outcome shares across many reports (rows: reports, columns: outcome groups)."""
    cols = list(shares.columns) if lang == "zh" else [en for zh, en, _ in OUTCOME_GROUPS if zh in shares.columns]
    fig = go.Figure(go.Heatmap(z=shares.to_numpy(), x=[esc(c) for c in cols],
                               y=[esc(names.get(i, i)) for i in shares.index],
                               colorscale="YlGnBu", zmin=0, zmax=1, texttemplate="%{z:.0%}",
                               hovertemplate="%{y}<br>%{x}: %{z:.1%}<extra></extra>"))
    return _layout(fig, "办理结果构成热力图" if lang == "zh" else "Outcome shares", 120 + 28 * len(shares))


def trend_lines(trend: pd.DataFrame, codes: list[str], labels: dict[str, str]) -> go.Figure:
    fig = go.Figure()
    for code in codes:
        fig.add_scatter(name=esc(labels[code]), x=trend["year"], y=trend[code], mode="lines+markers")
    fig.update_xaxes(dtick=1)
    return _layout(fig, "")
