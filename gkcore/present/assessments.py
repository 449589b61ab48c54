"""The assessment of reports in a library (composition: an Assessments object holds a Library;
no mixin). One report: every criterion of the list, those comparing years with the same body's
report of the year before (Library.reports by agency_key), warnings against the same year's peers
(medians by one DuckDB query, Library.by_region). Many reports: the index's criteria (metrics
columns written with the index: gkcore/assess/indexed.py), ranked and filtered by queries."""

from __future__ import annotations

import pandas as pd

from ..assess.criteria import Criteria, default_criteria
from ..assess.grade import assess
from ..assess.indexed import PREFIX, SCORE, index_columns
from ..assess.result import Assessment
from ..assess.subject import RECEIVED, Subject, from_report
from ..assess.warn import PEER_RATES, warnings
from ..library import Library
from ..model import REPORT_ID, CheckResult, ParsedReport
from ..model.frames import cells_frame
from ..model.metrics import agency_key, metrics_frame
from ..store.listing import Filter


class Assessments:
    def __init__(self, library: Library, criteria: Criteria | None = None) -> None:
        self.lib = library
        self.criteria = criteria or default_criteria()

    def _years(self) -> set[int]:
        """The years the library holds (a query on a year it has no file of is not made)."""
        return {int(str(y)) for y in self.lib.choices("year")}

    # ---- one report ------------------------------------------------------------------------
    def previous(self, s: Subject) -> Subject | None:
        """The same body's report of the year before, when the library has it."""
        if s.year is None or s.year - 1 not in self._years():
            return None
        key = agency_key(s.agency, s.region, s.region_code)
        got = self.lib.reports(where=Filter(agency_key=key, years=(s.year - 1,)), limit=1)
        if got.empty:
            return None
        rep = self.lib.report(str(got[REPORT_ID].iloc[0]))
        return None if rep is None else from_report(rep)

    def peers(self, year: int | None) -> tuple[dict[str, object], int]:
        """The medians of the warned rates over the library's reports of that year, and their number."""
        if year is None or year not in self._years():
            return {}, 0
        where = Filter(years=(year,))
        codes = self.lib.codes(where)
        if codes.empty:
            return {}, 0
        region = pd.DataFrame({"region_code": codes["region_code"].astype(str), "map_region": "all"})
        got = self.lib.by_region(where, region, [c for c, _, _ in PEER_RATES])
        if got.empty:
            return {}, 0
        row = got.iloc[0]
        return {c: row[c] for c, _, _ in PEER_RATES}, int(row["n"])

    def of_report(self, report: ParsedReport, checks: tuple[CheckResult, ...] | None = None) -> Assessment:
        """A parsed report (a draft uploaded for a self-check, or one of the library)."""
        s = from_report(report)
        if checks is not None:
            s = Subject(s.report_id, s.agency, s.region, s.region_code, s.year, s.template, s.outline, checks,
                        s.tables, s.values)
        prev = self.previous(s)
        m = metrics_frame(cells_frame([report]))
        metrics = {str(k): v for k, v in m.iloc[0].items()} if len(m) else {}
        peers, n = self.peers(s.year)
        prev_received = prev.value(RECEIVED)[0] if prev else None
        return assess(s, prev, self.criteria, warnings(metrics, peers, n, prev_received, self.criteria))

    def of(self, report_id: str) -> Assessment | None:
        """A report of the library, its corrections applied to the checks."""
        report = self.lib.report(report_id)
        if report is None:
            return None
        ks = self.lib.checks([report_id])
        checks = tuple(CheckResult(k["rule"], k["scope"], k["status"], None, None,
                                   tuple(x for x in str(k["cells"]).split(";") if x), k["message"])
                       for k in ks.to_dict("records"))
        return self.of_report(report, checks)

    # ---- many reports (the index) ----------------------------------------------------------------
    def ranking(self, where: Filter | None = None, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """One page of the reports by score (highest first, none last), with every indexed
        criterion's score: rank, report_id, label, agency, region, year, assess_score, assess_<code>…"""
        top = self.lib.ranking(SCORE, where, limit, offset)
        m = self.lib.metrics(top[REPORT_ID].tolist()).set_index(REPORT_ID)
        crit = [c for c in index_columns() if c != SCORE]
        return top.join(m[crit], on=REPORT_ID) if not top.empty else top.assign(**{c: [] for c in crit})


def criterion_of(column: str) -> str:
    return column.removeprefix(PREFIX)
