"""What users download: the long CSV of the spec, the wide CSV, Excel and Parquet, and the data
dictionary. CSVs are UTF-8 with a BOM so that Excel opens the Chinese text correctly."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd

from ..model import REPORT_ID
from ..model.metrics import METRICS
from ..parse.template import all_templates
from .export import long_frame, wide_frame

DICT_COLUMNS = ("code", "table", "row", "col", "label_zh", "label_en", "meaning", "unit", "templates")
BOM = "\ufeff".encode()
CHUNK_REPORTS = 500
_TABLE_TITLES = {"t2": "主动公开政府信息情况", "t3": "收到和处理政府信息公开申请情况",
                 "t4": "政府信息公开行政复议、行政诉讼情况"}


def dictionary_frame() -> pd.DataFrame:
    """Every cell code of every format: Chinese and English label, meaning, unit."""
    rows: dict[str, dict[str, str]] = {}
    for t in all_templates():
        for table in t.tables.values():
            for r in table.rows:
                for c in r.cols:
                    col = next(x for x in table.cols if x.code == c)
                    code = f"{table.code}.{r.code}.{c}"
                    if code in rows:
                        rows[code]["templates"] += f",{t.id}"
                        continue
                    unit = "万元" if c == "amount_wan" else ("件/个" if table.code != "t2" else "件/项")
                    rows[code] = {
                        "code": code, "table": table.code, "row": r.code, "col": c,
                        "label_zh": f"{r.label} · {col.label}", "label_en": f"{r.label_en} · {col.label_en}",
                        "meaning": f"{_TABLE_TITLES[table.code]}：{r.label}，{col.label}", "unit": unit,
                        "templates": t.id,
                    }
    for m in METRICS:
        rows[f"metric.{m.code}"] = {"code": f"metric.{m.code}", "table": "metric", "row": m.code, "col": "",
                                    "label_zh": m.label, "label_en": m.label_en, "meaning": m.formula,
                                    "unit": "比例" if m.is_rate else "件", "templates": "2019,2021"}
    return pd.DataFrame(list(rows.values()), columns=list(DICT_COLUMNS))


def _csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def long_csv_bytes(reports: pd.DataFrame, cells: pd.DataFrame) -> bytes:
    return _csv(long_frame(reports, cells))


def long_csv_from(reports: pd.DataFrame, cells_of: Callable[[list[str]], pd.DataFrame],
                  chunk: int = CHUNK_REPORTS) -> bytes:
    """The long CSV of these reports, their cells fetched `chunk` reports at a time (so the whole
    library never sits in memory as one frame); the same bytes as long_csv_bytes."""
    ids = list(reports[REPORT_ID])
    out = [BOM]
    for i in range(0, max(len(ids), 1), chunk):
        part = long_frame(reports, cells_of(ids[i:i + chunk]))
        out.append(part.to_csv(index=False, header=i == 0, lineterminator="\r\n").encode("utf-8"))
    return b"".join(out)


def wide_csv_bytes(reports: pd.DataFrame, cells: pd.DataFrame) -> bytes:
    return _csv(wide_frame(reports, cells))


def dictionary_csv_bytes() -> bytes:
    return _csv(dictionary_frame())


def xlsx_bytes(reports: pd.DataFrame, cells: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        long_frame(reports, cells).to_excel(xl, sheet_name="long", index=False)
        wide_frame(reports, cells).to_excel(xl, sheet_name="wide", index=False)
        dictionary_frame().to_excel(xl, sheet_name="dictionary", index=False)
    return buf.getvalue()


def parquet_bytes(reports: pd.DataFrame, cells: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    long = long_frame(reports, cells)
    long["value"] = pd.to_numeric(long["value"].replace("", None), errors="coerce")
    long.to_parquet(buf, index=False)
    return buf.getvalue()
