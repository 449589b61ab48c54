"""The criteria the index keeps: those a report settles alone (not the ones comparing years),
graded when a segment is written (gkcore.store.segments.derive) and kept as columns of the
index's metrics part: `assess_score` (points of 100 over these criteria) and `assess_<code>` (each
criterion's score, 0..1: 1 met, below 1 not met, empty cannot tell). So the 评估 page lists,
filters and ranks, and the map and league table show the score, at 10⁶ reports with the queries
they already make (Library.ranking, Library.metrics, Library.by_region), grading nothing on a rerun."""

from __future__ import annotations

import pandas as pd

from ..model import REPORT_ID
from ..model.metrics import ASSESS_SCORE
from .criteria import CROSS_YEAR, default_criteria
from .grade import assess
from .subject import from_frames

SCORE = ASSESS_SCORE          # a figure of gkcore.model.metrics.SCORES (the map, the league table)
PREFIX = "assess_"


def index_criteria() -> tuple[str, ...]:
    """The bundled list's criteria that a report settles alone."""
    return tuple(c.code for c in default_criteria().criteria if c.code not in CROSS_YEAR)


def index_columns() -> tuple[str, ...]:
    return (SCORE, *(PREFIX + c for c in index_criteria()))


def index_assessments(reports: pd.DataFrame, cells: pd.DataFrame, checks: pd.DataFrame,
                      outline: pd.DataFrame | None) -> pd.DataFrame:
    """report_id and the index_columns of each report."""
    if outline is None:
        outline = pd.DataFrame(columns=[REPORT_ID])
    only = index_criteria()
    rows = []
    for s in from_frames(reports, cells, checks, outline):
        a = assess(s, only=only)
        by = {r.code: r.score for r in a.results}
        rows.append((a.report_id, a.score, *(by.get(c) for c in only)))
    df = pd.DataFrame(rows, columns=[REPORT_ID, *index_columns()])
    for c in index_columns():
        df[c] = df[c].astype("float64")
    return df
