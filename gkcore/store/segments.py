"""Index segments: what one holds (Segment), which files a manifest names (Snapshot), and how a
segment is written from cache entries or from other segments (`gkcore.store.index` decides when).

Segments are built in worker processes for large batches: `python -m gkcore.store.segments INDEX` reads
entry folders (one per line) from standard input and prints the segment it wrote as JSON. A fresh
interpreter, not multiprocessing: a Streamlit script thread replaces `__main__` with the page,
which a spawned multiprocessing child would import (and so run the page) again.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from ..assess.indexed import index_assessments
from ..model import FLAG, REPORT_ID, STATUS_COUNTS, Flag, Severity, Status
from ..model.metrics import agency_key, metrics_frame, outcome_shares
from ..parse.checks import severity_of

PARTS = {"reports": "report", "cells": "cells", "checks": "checks", "figures": "figures",
         "metrics": "", "shares": ""}
ENTRY_ONLY = {"outline": "outline"}    # read from the entries for the assessment, not kept in the index
ROW = "_row"                  # a row's position within its entry, so results keep the entry's order
NO_YEAR = "__HIVE_DEFAULT_PARTITION__"
# STATUS_COUNTS (gkcore.model): checks of each status but pass, from the vocabulary
READ_COUNTS = ("passed", "unsure_cells")      # checks that pass, cells the parser was unsure of
COUNTS = (*STATUS_COUNTS, *READ_COUNTS)       # the per-report counts the reports part carries
LAYOUT = 2                    # the index's layout: a new one is a new folder (the old is rebuilt)
SEGMENT_REPORTS = 2000        # entries per new segment


@dataclass(frozen=True)
class Segment:
    name: str
    shas: frozenset[str]
    years: dict[str, tuple[str, ...]]      # part -> the year partitions it has files in

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "shas": sorted(self.shas), "years": {k: list(v) for k, v in self.years.items()}}

    @staticmethod
    def from_json(d: dict[str, Any]) -> Segment:
        return Segment(str(d["name"]), frozenset(d["shas"]), {str(k): tuple(v) for k, v in d["years"].items()})


@dataclass(frozen=True)
class Snapshot:
    """The index as one manifest describes it: which files to read."""
    dir: Path
    segments: tuple[Segment, ...]

    @property
    def shas(self) -> frozenset[str]:
        return frozenset().union(*(s.shas for s in self.segments))

    def files(self, part: str, years: set[str] | None = None) -> list[str]:
        """The part's files, only those of the given year partitions when years is given."""
        return [str(self.dir / s.name / part / f"year={y}" / "data.parquet")
                for s in self.segments for y in s.years.get(part, ()) if years is None or y in years]


def year_key(year: object) -> str:
    return NO_YEAR if year is None or pd.isna(year) else str(int(year))  # type: ignore[call-overload]


# ---- writing segments ------------------------------------------------------------------------
def _scan(paths: list[Path], name: str) -> pd.DataFrame:
    return pads.dataset([str(p / f"{name}.parquet") for p in paths], format="parquet").to_table().to_pandas()


def read_entries(paths: list[Path]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The four parts of these entries (one Arrow scan each), and the entries that could not be
    read (a damaged file, an entry removed meanwhile), which are left out."""
    try:
        return {part: _scan(paths, name) for part, name in {**PARTS, **ENTRY_ONLY}.items() if name}, []
    except (OSError, pa.ArrowException):
        pass
    good: list[dict[str, pd.DataFrame]] = []
    bad = []
    for p in paths:
        try:
            good.append({part: pd.read_parquet(p / f"{name}.parquet")
                         for part, name in {**PARTS, **ENTRY_ONLY}.items() if name})
        except (OSError, pa.ArrowException):
            bad.append(p.name)
    if not good:
        return {}, bad
    return {part: pd.concat([g[part] for g in good], ignore_index=True) for part in good[0]}, bad


def derive(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Entry frames -> index frames: row positions, per-report check counts, labels, agency keys,
    metrics and outcome shares."""
    out = dict(frames)
    outline = out.pop("outline", None)
    for part in ("cells", "checks", "figures"):
        df = frames[part]
        out[part] = df.assign(**{ROW: df.groupby(REPORT_ID, sort=False).cumcount().astype("int64")})
    reps = frames["reports"].copy()
    counts = report_counts(reps[REPORT_ID].tolist(), frames["cells"], frames["checks"])
    for c in COUNTS:
        reps[c] = counts[c].to_numpy()
    reps["label"] = reps["agency"].astype(str) + " · " + reps["year"].astype(str)
    reps["agency_key"] = [agency_key(a, r, c) for a, r, c in
                          zip(reps["agency"], reps["region"], reps["region_code"], strict=True)]
    out["reports"] = reps
    out["metrics"] = metrics_of(reps, frames["cells"], frames["checks"], outline)
    out["shares"] = outcome_shares(frames["cells"]).rename_axis(REPORT_ID).reset_index()
    return out


def metrics_of(reports: pd.DataFrame, cells: pd.DataFrame, checks: pd.DataFrame,
               outline: pd.DataFrame | None) -> pd.DataFrame:
    """The metrics part's rows of these reports, one each (a report none of whose cells a metric
    needs has its row too, blank: its score still ranks): the metrics computed from the cells
    and the assessment's criteria a report settles alone, graded (gkcore/assess/indexed.py).
    The index's writer and a correction's rerun (store/corrections.py) both call it."""
    graded = index_assessments(reports, cells, checks, outline)
    return (reports[[REPORT_ID]].merge(metrics_frame(cells), on=REPORT_ID, how="left")
            .merge(graded, on=REPORT_ID, how="left"))


def report_counts(ids: list[str], cells: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """report_id and COUNTS for these reports: checks of each status (passed: those that pass),
    and the cells the parser was unsure of (unsure_cells; a corrected cell is no longer unsure)."""
    out = pd.DataFrame({REPORT_ID: ids})
    # a fail of a warning-severity check says "unusual", not "does not add up": not counted as a fail
    severity = checks["rule"].map({r: severity_of(r) for r in checks["rule"].unique()})
    counted = checks[(checks["status"] != Status.FAIL) | (severity != Severity.WARNING)]
    by = counted.groupby([REPORT_ID, "status"]).size().unstack(fill_value=0)
    for status, col in [(s, s) for s in STATUS_COUNTS] + [(Status.PASS, "passed")]:
        got = by[status] if status in by else pd.Series(dtype="int64")
        out[col] = out[REPORT_ID].map(got).fillna(0).astype("int64")
    unsure = cells[cells[FLAG] == Flag.UNSURE].groupby(REPORT_ID).size()
    out["unsure_cells"] = out[REPORT_ID].map(unsure).fillna(0).astype("int64")
    return out


def _to_arrow(df: pd.DataFrame) -> pa.Table:
    """Strings stay strings even when a whole column is empty in this segment."""
    cols = {}
    for c in df.columns:
        s = df[c]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            cols[c] = pa.array(s, type=pa.string(), from_pandas=True)
        else:
            cols[c] = pa.Array.from_pandas(s)
    return pa.table(cols)


def write_segment(index: Path, frames: dict[str, pd.DataFrame], shas: frozenset[str]) -> Segment:
    """Write one segment (every part, partitioned by year) in a temporary folder, then rename."""
    index.mkdir(parents=True, exist_ok=True)
    name = f"seg-{uuid.uuid4().hex}"
    tmp = index / f".tmp-{name}"
    years_of = dict(zip(frames["reports"][REPORT_ID], map(year_key, frames["reports"]["year"]), strict=True))
    years: dict[str, tuple[str, ...]] = {}
    try:
        for part in PARTS:
            df = frames[part]
            order = [REPORT_ID, ROW] if ROW in df.columns else [REPORT_ID]
            df = df.sort_values(order, kind="stable")
            keys = df[REPORT_ID].map(years_of)
            done = []
            for y, grp in df.groupby(keys, sort=True):
                d = tmp / part / f"year={y}"
                d.mkdir(parents=True)
                pq.write_table(_to_arrow(grp.reset_index(drop=True)), d / "data.parquet", row_group_size=8192)
                done.append(str(y))
            years[part] = tuple(done)
        os.rename(tmp, index / name)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return Segment(name, shas, years)


def build_segment(index: Path, entries: list[Path]) -> tuple[Segment, list[str]]:
    frames, bad = read_entries(entries)
    good = frozenset(p.name for p in entries) - set(bad)
    if not good:
        return Segment("", frozenset(), {}), bad
    return write_segment(index, derive(frames), good), bad


def rewrite(index: Path, segments: list[Segment], drop: frozenset[str]) -> Segment:
    """One new segment holding the given segments' rows, without the entries in drop."""
    snap = Snapshot(index, tuple(segments))
    frames = {part: pads.dataset(snap.files(part), format="parquet").to_table().to_pandas()
              if snap.files(part) else pd.DataFrame() for part in PARTS}
    reps = frames["reports"]
    keep_ids = set(reps.loc[~reps["sha256"].isin(drop), REPORT_ID]) if not reps.empty else set()
    frames = {part: df[df[REPORT_ID].isin(keep_ids)] if not df.empty else df for part, df in frames.items()}
    shas = frozenset().union(*(s.shas for s in segments)) - drop
    if not shas:
        return Segment("", frozenset(), {})
    none = pd.DataFrame({REPORT_ID: pd.Series(dtype="str")})
    return write_segment(index, {p: none if df.empty else df for p, df in frames.items()}, shas)


def main() -> None:
    """Worker: build one segment in the index folder argv[1] from the entry folders on stdin."""
    entries = [Path(x) for x in sys.stdin.read().splitlines() if x]
    seg, bad = build_segment(Path(sys.argv[1]), entries)
    print(json.dumps({"segment": seg.to_json(), "bad": bad}))


if __name__ == "__main__":
    main()
