"""What the library keeps in memory, loaded for one state of the index (`Frames`): nothing per
report but the corrected ones. `load` reads the snapshot's corrected reports, applies the saved
corrections, reruns their checks and finds the duplicates; `gkcore.library.Library` holds the
result until the cache changes. `fetch` reads one part's rows from the index with the corrected
reports' rows from these frames."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..model import REPORT_ID
from ..model.frames import outline_frame
from . import corrections
from .cache import Cache
from .dupes import Dupes, find
from .index import ROW, Snapshot, year_key
from .listing import Listing, Overrides
from .query import Reader


@dataclass(frozen=True)
class Frames:
    """What the library keeps in memory: nothing per report. The index's snapshot, the saved
    corrections and what they change (the corrected reports' cells and rerun checks, their check
    counts, metrics and shares), the numbered labels of reports that share a label, and the last
    query results."""
    snapshot: Snapshot
    corrections: pd.DataFrame
    corrected_cells: pd.DataFrame  # every cell of the corrected reports, corrections applied
    corrected_checks: pd.DataFrame  # their checks, rerun
    over: Overrides                # their check counts, metrics and shares
    numbered: dict[str, str]       # report_id -> "label (n)" for the n-th report (n >= 2) of a shared label
    memo: OrderedDict[Hashable, pd.DataFrame]
    year_of: dict[str, str]        # report_id -> its year partition, for the reports queries returned
    dupes: Dupes                   # reports of one body and year read from several files


def load(cache: Cache, reader: Reader, snap: Snapshot, corr: pd.DataFrame) -> Frames:
    """The frames of this snapshot with these saved corrections applied."""
    bare = Listing(reader.con, snap, Overrides())
    numbered = _numbered(bare.duplicate_labels())
    reps = bare.reports(ids=sorted(set(corr[REPORT_ID])), columns=[REPORT_ID, "year", "template"])
    ids = reps[REPORT_ID].tolist()
    years = {year_key(y) for y in reps["year"]}
    read = reader.frame
    cells = read(snap, "cells", ids, years, keep_row=True)
    checks = read(snap, "checks", ids, years, keep_row=True)
    over = Overrides()
    if ids:
        cells = corrections.apply(cells, corr)
        checks = corrections.recheck(reps, cells, read(snap, "figures", ids, years), ids)
        rows = read(snap, "reports", ids, years)        # with tables_json: what the grader reads
        entries = {str(r): cache.get(str(s)) for r, s in zip(rows[REPORT_ID], rows["sha256"], strict=True)}
        gone = [r for r, e in entries.items() if e is None]
        over = corrections.overrides(rows, cells, checks, outline_frame([e for e in entries.values() if e]),
                                     read(snap, "metrics", gone, years) if gone else None)
    dupes = find(Listing(reader.con, snap, over))
    return Frames(snap, corr, cells, checks, over, numbered, OrderedDict(), {}, dupes)


def _numbered(dups: pd.DataFrame) -> dict[str, str]:
    """report_id -> "label (n)" for the n-th (n >= 2, in report id order) of reports sharing a label."""
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for rid, lab in zip(dups[REPORT_ID].tolist(), dups["label"].tolist(), strict=True):
        n = seen.get(lab, 0) + 1
        seen[lab] = n
        if n > 1:
            out[rid] = f"{lab} ({n})"
    return out


def fetch(reader: Reader, f: Frames, part: str, wanted: list[str] | None, known: dict[str, str] | None,
          where: dict[str, Sequence[str]] | None, over: bool, limit: int | None) -> pd.DataFrame:
    """Rows of one part (of the reports wanted, whose year partitions are known; every report
    when None), only those matching where, at most limit, in report order; with over, the
    corrected reports' cells and checks from the frames in place of the index's."""
    mine_over = {"cells": f.corrected_cells, "checks": f.corrected_checks}.get(part) if over else None
    years = None
    if wanted is not None and known is not None:
        wanted = [i for i in wanted if i in known]
        years = {known[i] for i in wanted}
    skip = f.over.ids if mine_over is not None else []
    base = reader.frame(f.snapshot, part, wanted, years, skip, where, keep_row=mine_over is not None,
                        limit=limit, year_of=known)
    if mine_over is None or mine_over.empty:
        return base.drop(columns=[ROW], errors="ignore")
    mine = mine_over if wanted is None else mine_over[mine_over[REPORT_ID].isin(wanted)]
    for col, values in (where or {}).items():
        mine = mine[mine[col].isin(list(values))]
    if mine.empty:
        return base.drop(columns=[ROW])
    both = pd.concat([base, mine[base.columns]], ignore_index=True)
    both = both.sort_values([REPORT_ID, ROW], kind="stable").drop(columns=[ROW]).reset_index(drop=True)
    return both if limit is None else both.head(limit)
