"""Reports side by side: cells aligned by code, differences, rankings, and one agency over the
years with the continuity check (this year's 上年结转 = last year's 结转下年度)."""

from __future__ import annotations

import pandas as pd

from ..model import REPORT_ID, VALUE, Flag
from ..model.metrics import BY_CODE, metrics_frame
from ..parse.template import load


def labels(reports: pd.DataFrame) -> dict[str, str]:
    """report_id -> a unique display name ("agency · year", numbered if two share it)."""
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    # tolist(): iterating pandas' "str" columns element by element is 4x slower
    for rid, lab in zip(reports[REPORT_ID].tolist(), reports["label"].tolist(), strict=True):
        n = seen.get(lab, 0)
        seen[lab] = n + 1
        out[rid] = lab if n == 0 else f"{lab} ({n + 1})"
    return out


def row_label(table: str, row: str, col: str, lang: str = "zh", template: str = "2021") -> str:
    """A cell's printed name, "row · column", from its template (the other format's when this
    one has no such row or column: a 2019 cell named from a 2021 page)."""
    formats = [load(template).tables[table], load("2019" if template == "2021" else "2021").tables[table]]
    r = next((x for t in formats for x in t.rows if x.code == row), None)
    if r is None:
        raise KeyError(f"{table}.{row}: no such row in either format")
    c = next((x for t in formats for x in t.cols if x.code == col), None)
    rl = r.label_en if lang == "en" else r.label
    cl = (c.label_en if lang == "en" else c.label) if c else col
    return f"{rl} · {cl}"


def aligned(cells: pd.DataFrame, reports: pd.DataFrame, ids: list[str], lang: str = "zh") -> pd.DataFrame:
    """One row per cell code, one column per report (in the order of ids), plus the difference
    of each report from the first."""
    names = labels(reports[reports[REPORT_ID].isin(ids)])
    sub = cells[cells[REPORT_ID].isin(ids)].copy()
    sub["code"] = sub["table"] + "." + sub["row"] + "." + sub["col"]
    piv = sub.pivot_table(index="code", columns=REPORT_ID, values=VALUE, aggfunc="first", dropna=False, sort=False)
    piv = piv.reindex(columns=[i for i in ids if i in piv.columns])
    first = piv.columns[0] if len(piv.columns) else None
    out = piv.rename(columns=names)
    if first is not None:
        for rid in piv.columns[1:]:
            out[f"Δ {names[rid]}"] = piv[rid] - piv[first]
    codes = list(dict.fromkeys(sub["code"]))
    out = out.reindex(codes)
    out.insert(0, "label", [row_label(*_split(c), lang=lang) for c in out.index])
    return out.reset_index()


def _split(code: str) -> tuple[str, str, str]:
    t, r, c = code.split(".")
    return t, r, c


def ranking(metrics: pd.DataFrame, reports: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Reports ranked by one metric (highest first; reports without the figure last; ties by
    report id, as `Library.ranking` pages them), from a `metrics_frame`."""
    m = metrics.merge(reports[[REPORT_ID, "label", "agency", "region", "year"]], on=REPORT_ID)
    m = m.sort_values([metric, REPORT_ID], ascending=[False, True], na_position="last", kind="stable")
    m = m.reset_index(drop=True)
    m.insert(0, "rank", range(1, len(m) + 1))
    return m[["rank", REPORT_ID, "label", "agency", "region", "year", metric]]


def trend(cells: pd.DataFrame, reports: pd.DataFrame, key: str, metrics: pd.DataFrame | None = None) -> pd.DataFrame:
    """One agency (an `agency_key`) across years: the key metrics (from `metrics` when given, a
    metrics_frame the library keeps, else computed from cells), and the continuity of carry-over
    (this year's 上年结转 against last year's 结转下年度)."""
    reps = reports[reports["agency_key"] == key].sort_values("year")
    mine = reps[REPORT_ID].tolist()
    if metrics is None:
        m = metrics_frame(cells[cells[REPORT_ID].isin(mine)])
    else:
        m = metrics[metrics[REPORT_ID].isin(mine)]
    fwd = cells[(cells["table"] == "t3") & (cells["row"] == "carry_forward") & (cells["col"] == "total")]
    m = reps[[REPORT_ID, "year", "label"]].merge(m, on=REPORT_ID, how="left").merge(
        fwd[[REPORT_ID, VALUE]].rename(columns={VALUE: "carry_forward"}), on=REPORT_ID, how="left")
    m = m.drop_duplicates("year", keep="last").reset_index(drop=True)
    prev = m["carry_forward"].shift(1)
    consecutive = (m["year"].astype("float64").diff() == 1).tolist()
    m["previous_forward"] = prev.where(pd.Series(consecutive, index=m.index))
    m["continuity"] = [
        "" if not c or pd.isna(p) or pd.isna(co) else ("ok" if p == co else "break")
        for c, p, co in zip(consecutive, prev, m["carried_over"], strict=True)
    ]
    return m


def metric_label(code: str, lang: str = "zh") -> str:
    m = BY_CODE[code]
    return m.label_en if lang == "en" else m.label


def printed_table(cells: pd.DataFrame, table: str, template: str, lang: str = "zh") -> pd.DataFrame:
    """One table as printed: template rows × columns holding the raw text, so blank, "0" and
    "/" stay apart ("" is a blank cell; a cell that was not found is shown as "？", "?" in English)."""
    t = load(template).tables[table]
    sub = cells[cells["table"] == table]
    unsure = "?" if lang == "en" else "？"
    raw = {(r, c): (unsure if f == Flag.UNSURE and not x else x)
           for r, c, x, f in zip(sub["row"], sub["col"], sub["raw"], sub["flag"], strict=True)}
    present = [r for r in t.rows if any((r.code, c) in raw for c in r.cols)]
    cols = [c for c in t.cols if any((r.code, c.code) in raw for r in present)]
    data = {(c.label_en if lang == "en" else c.label): [raw.get((r.code, c.code), "") for r in present]
            for c in cols}
    return pd.DataFrame(data, index=[r.label_en if lang == "en" else r.label for r in present])
