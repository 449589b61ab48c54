"""Plotly figures from tidy frames. No Streamlit here: pages pass the figures to st.plotly_chart.

Plotly draws a subset of HTML in every text it shows (<b>, <br>, <a href>, <span style>, …):
each text here goes through `esc` first, so an agency or file name shows as the characters it
is (Plotly turns &lt; &gt; &amp; back into those characters), never as markup."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ..model import VALUE, format_value
from ..model.metrics import OUTCOME_GROUPS
from ..parse.template import Column, Row, load
from .geo import Shape, lines_xy, outline_xy

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


BLANK_COLOUR = "#d9d9d9"       # a heat map cell without a share (the total is blank or 0)


def heatmap(shares: pd.DataFrame, names: dict[str, str], lang: str = "zh") -> go.Figure:
    """Outcome shares across many reports (rows: reports, the first at the top; columns: outcome
    groups). The scale runs 0–100% (a share above, outcomes exceeding the total, is drawn at the
    top colour and its text marked "!"); a blank cell is grey, as the legend says."""
    cols = list(shares.columns) if lang == "zh" else [en for zh, en, _ in OUTCOME_GROUPS if zh in shares.columns]
    z = shares.to_numpy(dtype="float64")
    text = [["" if np.isnan(v) else f"{v:.0%}" + (" !" if v > 1 + 1e-9 else "") for v in row] for row in z]
    fig = go.Figure(go.Heatmap(z=np.clip(z, 0, 1), x=[esc(c) for c in cols],
                               y=[esc(names.get(i, i)) for i in shares.index], customdata=z,
                               colorscale="YlGnBu", zmin=0, zmax=1, text=text, texttemplate="%{text}",
                               colorbar=dict(tickformat=".0%", title=dict(text="占（七）总计" if lang == "zh"
                                                                          else "of all processed")),
                               hovertemplate="%{y}<br>%{x}: %{customdata:.1%}<extra></extra>"))
    fig.add_scatter(x=[None], y=[None], mode="markers", name="空白：无数据" if lang == "zh" else "grey: no figure",
                    marker=dict(symbol="square", size=12, color=BLANK_COLOUR), showlegend=True)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(plot_bgcolor=BLANK_COLOUR)
    fig = _layout(fig, "办理结果构成热力图" if lang == "zh" else "Outcome shares", 160 + 28 * len(shares))
    fig.update_layout(legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"))
    return fig


def over_total(shares: pd.DataFrame) -> list[str]:
    """The reports (index of shares) with an outcome share above 100%: outcomes exceed the total."""
    return [str(i) for i, row in shares.iterrows() if (row.astype("float64") > 1 + 1e-9).any()]


def trend_lines(trend: pd.DataFrame, codes: list[str], labels: dict[str, str]) -> go.Figure:
    fig = go.Figure()
    for code in codes:
        fig.add_scatter(name=esc(labels[code]), x=trend["year"], y=trend[code], mode="lines+markers")
    fig.update_xaxes(dtick=1)
    return _layout(fig, "")


NO_DATA_COLOUR = "#e4e4e4"
PLAIN = "#e6793a"             # the fill when only one value is drawn (no scale to place it on)
MAP_SCALE = "YlOrRd"


def map_colour(v: float, lo: float, hi: float) -> str:
    return str(sample_colorscale(MAP_SCALE, [min(max((v - lo) / ((hi - lo) or 1.0), 0.0), 1.0)])[0])


SMALL_SHARE = 0.1     # a region's box smaller than this share of the median region's gets a larger dot


def region_map(regions: list[tuple[str, str, Shape]], values: dict[str, float], hover: dict[str, str],
               title: str, is_rate: bool, lines: tuple[np.ndarray, ...] = (), top: float | None = None) -> go.Figure:
    """A choropleth drawn offline: each region (code, name, simplified shape) a filled path on
    plain axes of equal scale (no geo subplot, whose base map Plotly would fetch from the
    network). Regions without a value are grey; hovering a region shows `hover[code]` (Plotly
    text, already escaped: regions.hover_texts); `lines` (the maritime boundaries, on a map of
    the whole country) are drawn as thin grey lines.

    Honest colours: a rate's scale runs 0–100% whatever the values (62% is never "the palest"),
    a score's from 0 to its full points (`top`: 100), a count's from 0 to the largest; with one
    value drawn the region is a plain fill and no scale is shown. Every region has a dot at its
    centre (customdata: its code) that a click selects (st.plotly_chart on_select); a small
    region's dot is larger, so 上海 shows."""
    known = [v for v in values.values() if v is not None and not np.isnan(v)]
    lo, hi = (0.0, 1.0) if is_rate else (0.0, top) if top else (0.0, max(known) if known else 1.0)
    single = len(set(known)) == 1
    fig = go.Figure()
    lats: list[float] = []
    dots: list[tuple[str, float, float, str, bool]] = []
    def box(shape: Shape) -> float:
        big = max(shape.rings, key=len)
        return float(np.ptp(big[:, 0]) * np.ptp(big[:, 1]))

    typical = float(np.median([box(sh) for _, _, sh in regions])) if regions else 1.0
    for code, name, shape in regions:
        v = values.get(code)
        has = v is not None and not np.isnan(v)
        colour = (PLAIN if single else map_colour(float(v), lo, hi)) if has and v is not None else NO_DATA_COLOUR
        xs, ys = outline_xy(shape)
        lats.append(float(np.nanmean(ys)))
        fig.add_scatter(x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines", name=esc(name),
                        line=dict(color="#ffffff", width=0.8), hoveron="fills", hoverinfo="text",
                        text=hover.get(code, esc(name)), showlegend=False)
        big = max(shape.rings, key=len)
        dots.append((code, float(np.mean(big[:, 0])), float(np.mean(big[:, 1])), colour,
                     box(shape) < SMALL_SHARE * typical))
    if lines:
        lx, ly = lines_xy(lines)
        fig.add_scatter(x=lx, y=ly, mode="lines", line=dict(color="#8c8c8c", width=1), hoverinfo="skip",
                        showlegend=False)
    if dots:                        # the click targets (and small regions made visible)
        fig.add_scatter(x=[d[1] for d in dots], y=[d[2] for d in dots], mode="markers", showlegend=False,
                        customdata=[d[0] for d in dots], hoverinfo="text",
                        text=[hover.get(d[0], "") for d in dots], name="",
                        marker=dict(size=[13 if d[4] else 7 for d in dots], color=[d[3] for d in dots],
                                    line=dict(color=["#555555" if d[3] != NO_DATA_COLOUR else "#b0b0b0"
                                                     for d in dots], width=1)))
    if known and not single:        # the colour bar: one invisible marker carrying the scale
        x0, y0 = regions[0][2].rings[0][0]
        fig.add_scatter(x=[x0], y=[y0], mode="markers", hoverinfo="skip", showlegend=False,
                        marker=dict(size=0.1, opacity=0, color=[lo], cmin=lo, cmax=hi, colorscale=MAP_SCALE,
                                    showscale=True, colorbar=dict(tickformat=".0%" if is_rate else ",d",
                                                                  thickness=12)))
    mid = float(np.mean(lats)) if lats else 35.0
    fig.update_xaxes(visible=False)
    # longitude and latitude degrees at the map's latitude: equal distances look equal
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / max(np.cos(np.radians(mid)), 0.2))
    fig.update_layout(plot_bgcolor="rgba(0,0,0,0)", hoverlabel=dict(align="left"), clickmode="event+select",
                      dragmode=False)
    return _layout(fig, title, 560)


def clicked(points: list[dict[str, object]]) -> str | None:
    """The region code a click on region_map selected (its dot's customdata), or None."""
    for p in points:
        code = p.get("customdata")
        if isinstance(code, list | tuple):
            code = code[0] if code else None
        if isinstance(code, str) and code:
            return code
    return None
