"""What the library keeps in memory, loaded for one state of the index (`Frames`): nothing per
report but the corrected ones. `load` reads the snapshot's corrected reports, applies the saved
corrections, reruns their checks and finds the duplicates; `gkcore.library.Library` holds the
result until the cache changes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd

from ..model import REPORT_ID
from ..model.frames import outline_frame
from . import corrections
from .cache import Cache
from .dupes import Dupes, find
from .index import Snapshot, year_key
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
