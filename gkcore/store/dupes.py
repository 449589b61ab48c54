"""Duplicate reports: the same body (its agency_key) and year read from two or more files (a text
PDF and its scan, a web page and its PDF) is one report. Every count, sum, median and ranking
takes one of them: the better-read one (fewest cells the parser was unsure of, then most checks
that pass, then the lowest report id), unless the user chose another. The others are listed, by
name, so nobody wonders where a file went.

The groups are found once per index state (one GROUP BY over the reports part; the corrected
reports' counts swapped in) and kept by the library; a query leaves out `Dupes.dropped(keep)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..model import REPORT_ID, Status

if TYPE_CHECKING:
    from .listing import Listing

GROUP = "copy_of"             # a group's key: agency_key and year
PICK = "pick"                 # 1 for the better-read report of its group, then 2, 3, …
FAILS = Status.FAIL.value     # the per-report count of failed checks (model.STATUS_COUNTS)
COLUMNS = (REPORT_ID, GROUP, PICK, "label", "agency", "year", "source_name", "unsure_cells", "passed", FAILS)
INTS = ("year", PICK, "unsure_cells", "passed", FAILS)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in INTS else "str") for c in COLUMNS})


@dataclass(frozen=True)
class Dupes:
    """The reports that share their body and year with another, best-read first in each group."""
    groups: pd.DataFrame = field(default_factory=_empty)

    def __bool__(self) -> bool:
        return not self.groups.empty

    def kept(self, keep: Sequence[str] = ()) -> dict[str, str]:
        """group -> the report counted: the one the user chose (keep), else the better-read one."""
        g = self.groups
        out = dict(zip(g.loc[g[PICK] == 1, GROUP], g.loc[g[PICK] == 1, REPORT_ID], strict=True))
        chosen = g[g[REPORT_ID].isin(list(keep))]
        out.update(zip(chosen[GROUP], chosen[REPORT_ID], strict=True))
        return out

    def dropped(self, keep: Sequence[str] = ()) -> tuple[str, ...]:
        """The reports left out of counts: every copy but the one counted, sorted."""
        kept = set(self.kept(keep).values())
        return tuple(sorted(set(self.groups[REPORT_ID]) - kept))

    def of(self, ids: Sequence[str]) -> pd.DataFrame:
        """The whole groups any of these reports belongs to (best-read first within a group)."""
        g = self.groups
        hit = set(g.loc[g[REPORT_ID].isin(list(ids)), GROUP])
        return g[g[GROUP].isin(hit)].reset_index(drop=True)


def find(q: Listing) -> Dupes:
    """The duplicate groups of the library (reports with a year and an agency)."""
    if not q.snap.files("reports"):
        return Dupes()
    rel, params = q.every_report()
    cols = ", ".join(c for c in COLUMNS if c not in (GROUP, PICK))
    # the groups first (two columns, hashed), then the few rows in them
    df = q._run(
        f"WITH d AS (SELECT agency_key, year FROM {rel} WHERE year IS NOT NULL AND coalesce(agency_key, '') <> '' "
        f"GROUP BY 1, 2 HAVING count(*) > 1), "
        f"r AS (SELECT {cols}, agency_key || '|' || CAST(year AS VARCHAR) AS {GROUP} FROM {rel} "
        f"SEMI JOIN d USING (agency_key, year)) "
        f"SELECT r.*, row_number() OVER (PARTITION BY {GROUP} ORDER BY unsure_cells, passed DESC, {REPORT_ID}) "
        f"AS {PICK} FROM r ORDER BY {GROUP}, {PICK}", params + params)
    if df.empty:
        return Dupes()
    for c in INTS:
        df[c] = df[c].astype("int64")
    return Dupes(df[list(COLUMNS)].reset_index(drop=True))
