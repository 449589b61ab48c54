"""What users download: the long CSV of the spec, the wide CSV, Excel and Parquet, and the data
dictionary. CSVs are UTF-8 with a BOM so that Excel opens the Chinese text correctly."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from ..model import REPORT_ID
from ..model.metrics import METRICS
from ..parse.template import all_templates
from .export import long_frame, long_typed, wide_flags, wide_frame

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


def wide_flags_csv_bytes(reports: pd.DataFrame, cells: pd.DataFrame) -> bytes:
    """The wide CSV's companion: each cell's flag (unsure, corrected) in the same place."""
    return _csv(wide_flags(reports, cells))


WIDTH_MAX = 40          # characters a column of the workbook is at most


def xlsx_bytes(reports: pd.DataFrame, cells: pd.DataFrame) -> bytes:
    """The workbook: long (numbers typed), wide, wide_flags, dictionary; on every sheet the header
    row frozen, filters on, and each column as wide as its content (a CJK character counts 2)."""
    buf = io.BytesIO()
    sheets = {"long": long_typed(reports, cells), "wide": wide_frame(reports, cells),
              "wide_flags": wide_flags(reports, cells), "dictionary": dictionary_frame()}
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, df in sheets.items():
            df.to_excel(xl, sheet_name=name, index=False)
            ws = xl.sheets[name]
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
            for i, col in enumerate(df.columns, 1):
                sample = [str(col), *(str(v) for v in df[col].head(200).tolist())]
                width = min(WIDTH_MAX, max(_width(v) for v in sample) + 2)
                ws.column_dimensions[get_column_letter(i)].width = width
    return buf.getvalue()


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def parquet_bytes(reports: pd.DataFrame, cells: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    long_typed(reports, cells).to_parquet(buf, index=False)
    return buf.getvalue()
