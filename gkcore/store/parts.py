"""The four Parquet parts of a cache entry (report, cells, checks, figures), written from a
ParsedReport with pyarrow alone: the bytes `DataFrame.to_parquet` writes for the frames of
gkcore.model.frames, without importing pandas (0.3 s of the start of `gkcore parse`;
bench/parse_speed.py). tests/test_parts.py compares the two byte for byte over every fixture.

What pandas would do is spelled out here: the Arrow type of each column, and the "pandas"
schema metadata (`pandas_type`, `numpy_type`, the versions) from which `to_pandas` restores the
dtypes on reading (Int64 for years and pages, str for text). A column of an empty frame
holds nulls, except those the frame functions convert (`astype`), which keep their type.
Written by pandas 3 and pyarrow 26; should a new pandas write other bytes, the test says so."""

from __future__ import annotations

import io
import json
import math
from array import array
from collections.abc import Sequence
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from itertools import accumulate
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import (
    CELL_COLUMNS,
    CHECK_COLUMNS,
    FIGURE_COLUMNS,
    META_COLUMNS,
    NOTE,
    OUTLINE_COLUMNS,
    PAGE,
    VALUE,
    ParsedReport,
    tables_json,
)
from ..model.outline import outline_rows

TEXT, INT64, FLOAT64, NULLABLE_INT, NUMBER = "text", "int64", "float64", "Int64", "number"
_ARROW = {TEXT: pa.large_string(), INT64: pa.int64(), FLOAT64: pa.float64(), NULLABLE_INT: pa.int64()}
_PANDAS = {TEXT: ("object", "str"), INT64: ("int64", "int64"), FLOAT64: ("float64", "float64"),
           NULLABLE_INT: ("int64", "Int64")}
#: the columns that are not text; NUMBER: pandas infers int64 when every value is an int, else float64
_KINDS: dict[str, dict[str, str]] = {
    "report": {"year": NULLABLE_INT, "pages": NULLABLE_INT},
    "cells": {"value": FLOAT64, "page": NULLABLE_INT, "x0": NUMBER, "top": NUMBER, "x1": NUMBER, "bottom": NUMBER},
    "checks": {"expected": FLOAT64, "found": FLOAT64},
    "figures": {"value": NUMBER, "page": NULLABLE_INT},
    "outline": {"number": INT64, "renamed": INT64, "page": NULLABLE_INT},
}
#: the columns the frame functions convert (astype): they keep their type in an empty frame,
#: where every other column is left as object and written as nulls
_CONVERTED = {"report": {"year", "pages"}, "cells": {VALUE, PAGE}, "checks": set(), "figures": {PAGE},
              "outline": {"number", "renamed", PAGE}}
COLUMNS: dict[str, tuple[str, ...]] = {
    "report": (*META_COLUMNS, "tables_json"), "cells": (*CELL_COLUMNS, NOTE),
    "checks": CHECK_COLUMNS, "figures": FIGURE_COLUMNS, "outline": OUTLINE_COLUMNS,
}


def _array(values: list[object], arrow: pa.DataType) -> pa.Array:
    """An Arrow array from its buffers. Not `pa.array(values)`: that imports pandas (pyarrow asks
    whether the values are a pandas object); None is a null, as NaN is for `from_pandas`."""
    n = len(values)
    if arrow == pa.null():
        return pa.nulls(n)
    valid = [v is not None for v in values]
    nulls = n - sum(valid)
    bits = None
    if nulls:
        packed = bytearray((n + 7) // 8)
        for i, ok in enumerate(valid):
            if ok:
                packed[i // 8] |= 1 << (i % 8)
        bits = pa.py_buffer(bytes(packed))
    if arrow == pa.large_string():
        data = [str(v).encode() if v is not None else b"" for v in values]
        offsets = array("q", accumulate((len(d) for d in data), initial=0))
        return pa.Array.from_buffers(arrow, n, [bits, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))], nulls)
    code = "q" if arrow == pa.int64() else "d"
    filled: array[Any] = array(code, [(0 if v is None else v) for v in values])
    return pa.Array.from_buffers(arrow, n, [bits, pa.py_buffer(filled)], nulls)


def _num(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def part_rows(report: ParsedReport) -> dict[str, list[tuple[object, ...]]]:
    """The rows of each part, as the frame functions make them (values as pyarrow takes them:
    None for a missing number, where the frame has NaN or <NA>)."""
    rid = report.meta.report_id
    meta = asdict(report.meta)
    cells = [(rid, c.table, c.row, c.col, _num(c.value), c.raw, c.page, c.flag,
              *(c.bbox or (None,) * 4), c.note) for c in report.cells]
    checks = [(rid, k.rule, k.scope, k.status, _num(k.expected), _num(k.found), ";".join(k.cells), k.message)
              for k in report.checks]
    figures = [(rid, f.code, f.label, f.value, f.text, f.page) for f in report.figures]
    return {"report": [(*(meta[k] for k in META_COLUMNS), tables_json(report))],
            "cells": cells, "checks": checks, "figures": figures, "outline": outline_rows(rid, report.outline)}


@lru_cache(maxsize=1)
def _versions() -> tuple[str, str]:
    return pa.__version__, metadata.version("pandas")


def part_table(part: str, rows: Sequence[tuple[object, ...]]) -> pa.Table:
    """One part as the Arrow table `pa.Table.from_pandas(frame, preserve_index=False)` makes."""
    names = COLUMNS[part]
    arrays, described = [], []
    for i, name in enumerate(names):
        kind = _KINDS[part].get(name, TEXT)
        values = [r[i] for r in rows]
        if kind == NUMBER:
            kind = INT64 if all(isinstance(v, int) and not isinstance(v, bool) for v in values) else FLOAT64
        if not rows and name not in _CONVERTED[part]:
            arrow, pandas_type, numpy_type = pa.null(), "empty", "object"
        else:
            arrow = _ARROW[kind]
            pandas_type, numpy_type = _PANDAS[kind]
        if kind == FLOAT64:
            values = [None if v is None or math.isnan(v) else float(v) for v in values]  # type: ignore[arg-type]
        arrays.append(_array(values, arrow))
        described.append({"name": name, "field_name": name, "pandas_type": pandas_type,
                          "numpy_type": numpy_type, "metadata": None})
    arrow_version, pandas_version = _versions()
    md = {"index_columns": [], "column_indexes": [], "columns": described, "attributes": {},
          "creator": {"library": "pyarrow", "version": arrow_version}, "pandas_version": pandas_version}
    schema = pa.schema([pa.field(n, a.type) for n, a in zip(names, arrays, strict=True)],
                       metadata={b"pandas": json.dumps(md).encode("utf8")})
    return pa.Table.from_arrays(arrays, schema=schema)


def table_bytes(table: pa.Table) -> bytes:
    """What `to_parquet(index=False, write_page_checksum=True)` writes."""
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="snappy", write_page_checksum=True)
    return buf.getvalue()


def parts_bytes(report: ParsedReport) -> dict[str, bytes]:
    """The Parquet file of each part of `report`, by part name."""
    return {part: table_bytes(part_table(part, rows)) for part, rows in part_rows(report).items()}
