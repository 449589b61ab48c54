"""Reports as files: the long CSV of the spec and the wide table (one row per report, one
column per cell `table.row.col`). The frames themselves are built by `gkcore.model.frames`."""

from __future__ import annotations

import io
import math

import pandas as pd

from ..model import FLAG, LONG_COLUMNS, PAGE, REPORT_ID, VALUE, format_value


def long_frame(reports: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """The long table of the spec, in its column order, values formatted as text."""
    meta = reports[[REPORT_ID, "agency", "region", "region_code", "year", "template"]]
    df = cells.merge(meta, on=REPORT_ID, how="left")
    out = pd.DataFrame({c: df[c] for c in LONG_COLUMNS})
    out[VALUE] = [format_value(None if (isinstance(v, float) and math.isnan(v)) else v)
                  for v in df[VALUE]]
    out[PAGE] = [("" if pd.isna(p) else str(int(p))) for p in df[PAGE]]
    out["year"] = [("" if pd.isna(y) else str(int(y))) for y in df["year"]]
    return out


def long_csv(reports: pd.DataFrame, cells: pd.DataFrame, bom: bool = False) -> str:
    buf = io.StringIO()
    long_frame(reports, cells).to_csv(buf, index=False, lineterminator="\n")
    return ("\ufeff" if bom else "") + buf.getvalue()


def long_typed(reports: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """The long table with its numbers as numbers (value, year, page; blank where none): for
    Excel and Parquet, where SUM must work. `raw` keeps the printed text (blank, 0 and "/")."""
    meta = reports[[REPORT_ID, "agency", "region", "region_code", "year", "template"]]
    df = cells.merge(meta, on=REPORT_ID, how="left")
    out = pd.DataFrame({c: df[c] for c in LONG_COLUMNS})
    out[VALUE] = pd.to_numeric(df[VALUE], errors="coerce").astype("float64")
    out[PAGE] = pd.to_numeric(df[PAGE], errors="coerce").astype("Int64")
    out["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64")
    return out


def wide_frame(reports: pd.DataFrame, cells: pd.DataFrame, column: str = VALUE) -> pd.DataFrame:
    """One row per report: its metadata, then one column per cell, headed `table.row.col`,
    holding the cell's value (or another of its columns: FLAG for the flag companion)."""
    meta = reports[[REPORT_ID, "agency", "region", "region_code", "year", "template"]].set_index(REPORT_ID)
    if cells.empty:
        return meta.reset_index()
    key = cells["table"] + "." + cells["row"] + "." + cells["col"]
    piv = cells.assign(key=key).pivot_table(index=REPORT_ID, columns="key", values=column, aggfunc="first",
                                            sort=False, dropna=False)
    order = list(dict.fromkeys(key))
    return meta.join(piv.reindex(columns=order)).reset_index()


def wide_flags(reports: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """The wide table's companion: the same rows and columns, each cell's flag ("" for a clean
    read, "unsure", "corrected")."""
    out = wide_frame(reports, cells.assign(**{FLAG: cells[FLAG].fillna("").astype(str)}), FLAG)
    cols = [c for c in out.columns if c.count(".") == 2]
    out[cols] = out[cols].fillna("")
    return out
