"""DuckDB queries over the Parquet index (`gkcore.store.index`): only the rows asked for are read.

A query names the reports it wants; their years (known from the reports table) select the year
partitions to read, and the files are sorted by report id in small row groups, so DuckDB skips
everything else by the row groups' statistics. One DuckDB database serves every thread: each
query runs on its own cursor (a DuckDB connection must not be used by two threads at once).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from ..model import REPORT_ID
from ..model.frames import cells_frame, checks_frame, figures_frame, reports_frame
from ..model.metrics import METRICS, OUTCOME_GROUPS
from .index import COUNTS, ROW, Snapshot

PER_ID = 32          # up to this many ids, one scan a group of nearby ids (see _clusters)
LITERAL_IN = 200     # up to this many ids, a literal IN list (pushed down); more, a join
NULLABLE_INT = ("page", "year", "pages")     # Int64 in gkcore's frames, plain numbers in DuckDB


_NUMERIC = {"value": "float64", "x0": "float64", "top": "float64", "x1": "float64", "bottom": "float64",
            "expected": "float64", "found": "float64", "page": "Int64", "year": "Int64", "pages": "Int64",
            ROW: "int64", **{c: "int64" for c in COUNTS}}


def _columns(part: str) -> list[str]:
    if part == "reports":
        return [*reports_frame([]).columns, *COUNTS, "label", "agency_key"]
    if part == "metrics":
        return [REPORT_ID, *(m.code for m in METRICS)]
    if part == "shares":
        return [REPORT_ID, *(g[0] for g in OUTCOME_GROUPS)]
    return list({"cells": cells_frame, "checks": checks_frame, "figures": figures_frame}[part]([]).columns)


def empty(part: str) -> pd.DataFrame:
    """The part's columns with no rows, typed as a query result is."""
    cols = _columns(part)
    numeric = {**_NUMERIC, "value": "int64"} if part == "figures" else _NUMERIC
    if part in ("metrics", "shares"):
        numeric = {c: "float64" for c in cols[1:]}
    return pd.DataFrame({c: pd.Series(dtype=numeric.get(c, "str")) for c in cols})


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """DuckDB's result typed as gkcore's frames are: text as str (also when no row came back),
    nullable integers as Int64."""
    for c in df.columns:
        if c in NULLABLE_INT:
            df[c] = df[c].astype("Int64")
        elif df[c].dtype == object:
            df[c] = df[c].astype("str")
    return df


class Reader:
    def __init__(self, threads: int = 2, memory_limit: str = "512MB") -> None:
        # the Parquet footers are read once per file: set for the database (a plain SET holds for
        # this connection only, not for the cursors every query runs on: 0.7 s a query at 10^6)
        self._con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit})
        self._con.execute("SET GLOBAL parquet_metadata_cache = true")

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self._con

    def frame(self, snap: Snapshot, part: str, ids: Sequence[str] | None = None, years: set[str] | None = None,
              exclude: Sequence[str] = (), where: dict[str, Sequence[str]] | None = None,
              keep_row: bool = False, limit: int | None = None,
              year_of: dict[str, str] | None = None) -> pd.DataFrame:
        """Rows of one part: of the reports in ids (all when None), in the year partitions given
        (year_of: each report's own, when known),
        minus the reports in exclude, with column IN values for each item of where; in report
        order, each report's rows in its entry's order."""
        files = snap.files(part, years)
        if not files or (ids is not None and not ids):
            out = empty(part)
            return out.assign(**{ROW: pd.Series(dtype="int64")}) if keep_row and part in _ROWED else out
        sql = ["SELECT * FROM read_parquet(?, hive_partitioning = false)"]
        params: list[object] = [files]
        conds = []
        groups = _clusters(ids) if ids is not None and len(ids) <= PER_ID else []
        if len(groups) > 1:
            # one scan a group of nearby ids, each on its own years' files: an IN list is pushed
            # down as its min-max range, which for a few ids spread over the id space reads
            # nearly every row group of the (id-sorted) files: 3x slower at 10^6 reports
            sql, params = [], []
            for g in groups:
                f = snap.files(part, {year_of[i] for i in g} if year_of and all(i in year_of for i in g) else years)
                if f:
                    sql.append(f"(SELECT * FROM read_parquet(?, hive_partitioning = false) "
                               f"WHERE {REPORT_ID} IN ({', '.join('?' * len(g))}))")
                    params += [f, *g]
            if not sql:
                return self.frame(snap, part, [], years, keep_row=keep_row)
            sql = [f"SELECT * FROM ({' UNION ALL '.join(sql)})"]
        elif ids is not None and len(ids) <= LITERAL_IN:
            # a literal list is pushed into the Parquet scan: row groups of other reports are skipped
            conds.append(f"{REPORT_ID} IN ({', '.join('?' * len(ids))})")
            params.extend(ids)
        elif ids is not None:
            conds.append(f"{REPORT_ID} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(ids))
        if exclude:
            conds.append(f"{REPORT_ID} NOT IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(exclude))
        for col, values in (where or {}).items():
            conds.append(f'"{col}" IN (SELECT unnest(?::VARCHAR[]))')
            params.append(list(values))
        if conds:
            sql.append("WHERE " + " AND ".join(conds))
        sql.append(f"ORDER BY {REPORT_ID}" + (f", {ROW}" if part in _ROWED else ""))
        if limit is not None:
            sql.append(f"LIMIT {int(limit)}")
        with self._con.cursor() as cur:
            df = _typed(cur.execute(" ".join(sql), params).df())
        if part in _ROWED and not keep_row:
            df = df.drop(columns=[ROW])
        return df

    def close(self) -> None:
        self._con.close()


_ROWED = ("cells", "checks", "figures")


def _clusters(ids: Sequence[str], gap: float = 1 / 64) -> list[list[str]]:
    """The ids in groups of nearby ones (sorted; a new group where the next id is more than gap
    of the id space further), for ids that are hex digests; else one group."""
    try:
        at = sorted((int(i[:8].ljust(8, "0"), 16) / 16**8, i) for i in ids)
    except ValueError:
        return [list(ids)]
    out: list[list[str]] = []
    last = -1.0
    for x, i in at:
        if not out or x - last > gap:
            out.append([])
        out[-1].append(i)
        last = x
    return out
