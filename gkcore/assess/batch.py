"""Assess a set of parsed reports on their own (the command line): the criteria that compare
years use the same body's report of the year before when it is among them."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import ParsedReport
from ..model.metrics import agency_key
from .criteria import Criteria
from .grade import assess
from .result import Assessment
from .subject import from_report


def assess_reports(reports: Sequence[ParsedReport], criteria: Criteria | None = None) -> list[Assessment]:
    subjects = [from_report(r) for r in reports]
    by_key = {(agency_key(s.agency, s.region, s.region_code), s.year): s for s in subjects}
    out = []
    for s in subjects:
        prev = by_key.get((agency_key(s.agency, s.region, s.region_code), s.year - 1)) if s.year else None
        out.append(assess(s, prev, criteria))
    return out
