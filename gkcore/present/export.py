"""Reports as files: the long CSV of the spec and the wide table (one row per report, one
column per cell `table.row.col`). The frames themselves are built by `gkcore.model.frames`."""

from __future__ import annotations

import io
import math

import pandas as pd

from ..model import LONG_COLUMNS, PAGE, REPORT_ID, VALUE, format_value


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


def wide_frame(reports: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """One row per report: its metadata, then one column per cell, headed `table.row.col`."""
    meta = reports[[REPORT_ID, "agency", "region", "region_code", "year", "template"]].set_index(REPORT_ID)
    if cells.empty:
        return meta.reset_index()
    key = cells["table"] + "." + cells["row"] + "." + cells["col"]
    piv = cells.assign(key=key).pivot_table(index=REPORT_ID, columns="key", values=VALUE, aggfunc="first",
                                            sort=False, dropna=False)
    order = list(dict.fromkeys(key))
    return meta.join(piv.reindex(columns=order)).reset_index()
