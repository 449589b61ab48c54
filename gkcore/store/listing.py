"""Per-report queries over the index's `reports`, `metrics` and `shares` parts (DuckDB): a search
for the report pickers, counts, pages of a ranking or of the quality list, the distinct years and
regions for the filters, one agency's reports. Nothing per report is kept in memory: at 10^6
reports a page asks for the few hundred rows it shows (`ORDER BY … LIMIT … OFFSET`).

The reports with saved corrections (a few) have fresh check counts, metrics and shares, which the
library holds in `Overrides`; every query reads those rows instead of the index's.

The SQL is written here, never by a page: a page names a figure by its code (a metric of
gkcore/model/metrics.py, or a criterion column of the assessment), which is checked against the
metrics part's columns (UnknownColumn otherwise) and quoted as an identifier, as every column a
caller names is; values are always parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from ..errors import UnknownColumn, safe_name
from ..model import REPORT_ID
from ..model.metrics import BY_CODE, COUNT, RATE, RATE_BASE, SCORE, counted
from .dupes import Dupes
from .filter import Filter
from .query import LITERAL_IN, _columns, _typed, empty
from .segments import COUNTS, Snapshot

SEARCH_MAX = 300       # options a report picker offers at most (a search narrows them)
ALL = Filter()         # every report (a duplicate's copies once)
HIDDEN = ("tables_json",)   # per-report JSON of the tables' layout: read per report (Library.report)


@dataclass(frozen=True)
class Overrides:
    """The corrected reports' fresh rows: check counts (report_id + COUNTS), metrics, shares."""
    reports: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({REPORT_ID: pd.Series(dtype="str")}))
    metrics: pd.DataFrame = field(default_factory=lambda: empty("metrics"))
    shares: pd.DataFrame = field(default_factory=lambda: empty("shares"))

    @property
    def ids(self) -> list[str]:
        return self.reports[REPORT_ID].tolist()


def quoted(name: str) -> str:
    """An SQL identifier, quoted (a double quote inside it doubled), as sqlite-utils quotes them."""
    return '"' + name.replace('"', '""') + '"'


RID = quoted(REPORT_ID)
REPORT_COLUMNS = frozenset(_columns("reports"))
FIGURES = frozenset(_columns("metrics")[1:])    # the metrics part: METRICS, SCORES, the criteria


def column(name: str, allowed: frozenset[str] = REPORT_COLUMNS) -> str:
    """A column a caller names, checked against the index's columns and quoted."""
    if name not in allowed:
        raise UnknownColumn(safe_name(repr(name), 80))
    return quoted(name)


def figure(code: str) -> str:
    """A figure's code (a metric, a score, an assessment criterion), checked and quoted."""
    return column(code, FIGURES)


def aggregate(code: str, f: Filter) -> str:
    """How one figure adds up over the reports matching f (its kind: gkcore.model.metrics): a
    count summed; a rate the median report's, over those with f.minimum requests behind it; a
    score (or a criterion's 0..1) the mean, with the number of reports averaged (counted(code))."""
    q = figure(code)
    kind = BY_CODE[code].kind if code in BY_CODE else SCORE
    if kind == COUNT:
        return f"sum(m.{q}) AS {q}"
    if kind == RATE:
        return f"median(m.{q}){_over_minimum(f, code)} AS {q}"
    return f"avg(m.{q}) AS {q}, count(m.{q}) AS {quoted(counted(code))}"


class Listing:
    """The queries; one per call, on its own cursor of the shared DuckDB connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, snap: Snapshot, over: Overrides,
                 dupes: Dupes | None = None) -> None:
        self.con, self.snap, self.over = con, snap, over
        self.dupes = dupes or Dupes()

    def _where(self, f: Filter) -> tuple[str, list[object]]:
        """f's conditions, and the duplicate copies not counted left out (unless f.copies)."""
        where, params = f.where()
        dropped = () if f.copies else self.dupes.dropped(f.keep)
        if dropped:
            where += (" AND " if where else " WHERE ") + f"{RID} NOT IN (SELECT unnest(?::VARCHAR[]))"
            params = [*params, list(dropped)]
        return where, params

    def every_report(self) -> tuple[str, list[object]]:
        """The reports part as a relation (corrected counts swapped in), with its parameters."""
        return self._reports(Filter())

    # ---- the parts as relations (corrected rows swapped in) --------------------------------
    def _reports(self, f: Filter) -> tuple[str, list[object]]:
        files = self.snap.files("reports", f.year_keys())
        hidden = ", ".join(map(quoted, HIDDEN))
        if self.over.ids:
            counts = ", ".join(f"coalesce(o.{c}, r.{c}) AS {c}" for c in map(quoted, COUNTS))
            rel = (f"(SELECT r.* EXCLUDE ({hidden}, {', '.join(map(quoted, COUNTS))}), {counts} "
                   f"FROM read_parquet(?, hive_partitioning = false) r LEFT JOIN ov_reports o USING ({RID}))")
        else:
            rel = f"(SELECT * EXCLUDE ({hidden}) FROM read_parquet(?, hive_partitioning = false))"
        return rel, [files]

    def _part(self, part: str, years: set[str] | None = None) -> tuple[str, list[object]]:
        rel = "(SELECT * FROM read_parquet(?, hive_partitioning = false))"
        if self.over.ids:
            rel = (f"(SELECT * FROM read_parquet(?, hive_partitioning = false) WHERE {RID} NOT IN "
                   f"(SELECT {RID} FROM ov_reports) UNION ALL BY NAME SELECT * FROM ov_{part})")
        # only these year partitions when given (none of them: every file, the join finds nothing)
        return rel, [self.snap.files(part, years) or self.snap.files(part)]

    def _run(self, sql: str, params: list[object]) -> pd.DataFrame:
        with self.con.cursor() as cur:
            if self.over.ids:
                cur.register("ov_reports", self.over.reports)
                cur.register("ov_metrics", self.over.metrics)
                cur.register("ov_shares", self.over.shares)
            return _typed(cur.execute(sql, params).df())

    def _ok(self, part: str) -> bool:
        return bool(self.snap.files(part))

    # ---- queries ------------------------------------------------------------------------------
    def reports(self, f: Filter = ALL, ids: Sequence[str] | None = None, columns: Sequence[str] = (),
                limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """Rows of the reports part (without HIDDEN) matching f, only these ids when given, in
        report id order."""
        cols = list(columns) or [c for c in empty("reports").columns if c not in HIDDEN]
        sel = ", ".join(column(c, REPORT_COLUMNS - set(HIDDEN)) for c in cols)
        if not self._ok("reports") or (ids is not None and not ids):
            return empty("reports")[cols]
        rel, params = self._reports(f)
        where, wp = self._where(f if ids is None else replace(f, copies=True))   # ids named: those
        if ids is None and limit is not None and len(cols) > 3:
            # a page of wide rows: its ids first (one narrow column sorted), then their rows
            top = self._run(f"SELECT {RID} FROM {rel}{where} ORDER BY {RID}{_page(limit, offset)}",
                            params + wp)
            return self.reports(f, top[REPORT_ID].tolist(), cols)
        if ids is not None:
            where += (" AND " if where else " WHERE ") + _in(ids)
            wp += list(ids) if len(ids) <= LITERAL_IN else [list(ids)]
        sql = f"SELECT {sel} FROM {rel}{where} ORDER BY {RID}{_page(limit, offset)}"
        return self._run(sql, params + wp)

    def count(self, f: Filter = ALL) -> int:
        if not self._ok("reports"):
            return 0
        where, wp = self._where(f)
        files = self.snap.files("reports", f.year_keys())
        sql = f"SELECT count(*) AS n FROM read_parquet(?, hive_partitioning = false){where}"
        return int(self._run(sql, [files, *wp])["n"].iloc[0])

    def status_counts(self, f: Filter = ALL) -> dict[str, int]:
        """Reports in all, and those with a failed check, with a cell the parser was unsure of
        (unsure), with a check that could not be made (not_assessable)."""
        keys = ("reports", "fail", "unsure", "not_assessable")
        if not self._ok("reports"):
            return dict.fromkeys(keys, 0)
        rel, params = self._reports(f)
        where, wp = self._where(f)
        df = self._run(f"SELECT count(*) AS reports, count(*) FILTER (WHERE fail > 0) AS fail, "
                       f"count(*) FILTER (WHERE unsure_cells > 0) AS unsure, "
                       f"count(*) FILTER (WHERE not_assessable > 0) AS not_assessable FROM {rel}{where}",
                       params + wp)
        return {k: int(df.iloc[0][k]) for k in keys}

    def distinct(self, name: str, f: Filter = ALL) -> list[object]:
        """The distinct non-empty values of one reports column (year, region), sorted, over the
        reports matching f."""
        col = column(name)
        if not self._ok("reports"):
            return []
        where, wp = self._where(f)
        where += (" AND " if where else " WHERE ") + f"{col} IS NOT NULL AND CAST({col} AS VARCHAR) <> ''"
        df = self._run(f"SELECT DISTINCT {col} AS v FROM read_parquet(?, hive_partitioning = false){where} "
                       f"ORDER BY 1", [self.snap.files("reports", f.year_keys()), *wp])
        return df["v"].tolist()

    def duplicate_labels(self) -> pd.DataFrame:
        """report_id and label of the reports whose label another report shares, in report order."""
        if not self._ok("reports"):
            return pd.DataFrame({REPORT_ID: pd.Series(dtype="str"), "label": pd.Series(dtype="str")})
        files: list[object] = [self.snap.files("reports")]
        return self._run(f"WITH r AS (SELECT {RID}, label FROM read_parquet(?, hive_partitioning = false)) "
                         f"SELECT * FROM r WHERE label IN (SELECT label FROM r GROUP BY label HAVING count(*) > 1) "
                         f"ORDER BY {RID}", files)

    def ranking(self, metric: str, f: Filter = ALL, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """report_id and the metric of the reports matching f, highest first, missing last, ties
        by report id: one page of them."""
        q = figure(metric)
        if not self._ok("metrics"):
            return pd.DataFrame({REPORT_ID: pd.Series(dtype="str"), metric: pd.Series(dtype="float64")})
        m, mp = self._part("metrics", f.year_keys())
        where, wp = self._where(f)
        enough = _enough(f, metric)
        if where:
            rel, rp = self._reports(f)
            sql = (f"SELECT m.{RID}, m.{q} FROM {m} m SEMI JOIN (SELECT {RID} FROM {rel}{where}) r "
                   f"USING ({RID}){' WHERE ' + enough if enough else ''}")
            params = mp + rp + wp
        else:
            sql, params = f"SELECT {RID}, {q} FROM {m} m{' WHERE ' + enough if enough else ''}", mp
        sql += f" ORDER BY {q} DESC NULLS LAST, {RID}{_page(limit, offset)}"
        return self._run(sql, params)

    def worst(self, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """The quality list: reports by failed checks, then unsure cells (most first), ties by id."""
        rel, params = self._reports(Filter())
        cols = [REPORT_ID, "label", *COUNTS, "year"]     # the year: where their rows are
        if not self._ok("reports"):
            return empty("reports")[cols]
        return self._run(f"SELECT {', '.join(map(quoted, cols))} FROM {rel} ORDER BY fail DESC, unsure_cells DESC, "
                         f"{RID}{_page(limit, offset)}", params)

    def agencies(self, text: str = "", limit: int | None = None) -> pd.DataFrame:
        """Agencies (agency_key) whose name contains text, with their latest name and region and
        their number of years; the longest series first, ties by key."""
        if not self._ok("reports"):
            return pd.DataFrame({c: pd.Series(dtype="str") for c in ("agency_key", "agency", "region")}
                                ).assign(years=pd.Series(dtype="int64"))
        where, wp = Filter(agency=text).where()
        files = self.snap.files("reports")
        top = self._run(f"SELECT agency_key, count(DISTINCT year) AS years "
                        f"FROM read_parquet(?, hive_partitioning = false){where} GROUP BY agency_key "
                        f"ORDER BY years DESC, agency_key{_page(limit, 0)}", [files, *wp])
        if top.empty:
            return top.assign(agency=pd.Series(dtype="str"), region=pd.Series(dtype="str"))[
                ["agency_key", "agency", "region", "years"]]
        # then the latest name and region of those agencies only
        names = self._run(f"SELECT agency_key, arg_max(agency, {RID}) AS agency, arg_max(region, {RID}) "
                          f"AS region FROM read_parquet(?, hive_partitioning = false) WHERE agency_key IN "
                          f"(SELECT unnest(?::VARCHAR[])) GROUP BY agency_key", [files, top["agency_key"].tolist()])
        return top.merge(names, on="agency_key", how="left")[["agency_key", "agency", "region", "years"]]

    def codes(self, f: Filter) -> pd.DataFrame:
        """The region codes of the reports matching f ("" for none) and how many reports have each."""
        if not self._ok("reports"):
            return pd.DataFrame({"region_code": pd.Series(dtype="str"), "n": pd.Series(dtype="int64")})
        where, wp = self._where(f)
        files = self.snap.files("reports", f.year_keys())
        return self._run(f"SELECT coalesce(region_code, '') AS region_code, count(*) AS n "
                         f"FROM read_parquet(?, hive_partitioning = false){where} GROUP BY 1 ORDER BY 1", [files, *wp])

    def by_region(self, f: Filter, region: pd.DataFrame, figures: Sequence[str]) -> pd.DataFrame:
        """Per drawn region (`region`: region_code -> map_region): its reports' number (n) and
        each figure added up as its kind says (`aggregate`), over the reports matching f."""
        figs = "".join(f", {aggregate(c, f)}" for c in figures)
        rel, rp = self._reports(f)
        m, mp = self._part("metrics", f.year_keys())      # a year filter reads that year's files only
        where, wp = self._where(f)
        sql = (f"SELECT g.map_region, count(*) AS n{figs} FROM (SELECT {RID}, region_code FROM {rel}{where}) r "
               f"JOIN region_of g ON coalesce(r.region_code, '') = g.region_code "
               f"LEFT JOIN {m} m USING ({RID}) GROUP BY g.map_region ORDER BY g.map_region")
        with self.con.cursor() as cur:
            if self.over.ids:
                for name in ("reports", "metrics", "shares"):
                    cur.register(f"ov_{name}", getattr(self.over, name))
            cur.register("region_of", region)
            return _typed(cur.execute(sql, rp + wp + mp).df())

    def part(self, part: str, ids: Sequence[str] | None, years: set[str] | None = None) -> pd.DataFrame:
        """Metrics or shares of these reports (all when None; in these year partitions when
        given), in report order."""
        if part not in ("metrics", "shares"):
            raise UnknownColumn(safe_name(repr(part), 80), "未知的索引部分", "Unknown part of the index")
        if not self._ok(part) or (ids is not None and not ids) or (years is not None and not years):
            return empty(part)
        rel, params = self._part(part, years)
        where = ""
        if ids is not None:
            where = " WHERE " + _in(ids)
            params += list(ids) if len(ids) <= LITERAL_IN else [list(ids)]
        return self._run(f"SELECT * FROM {rel}{where} ORDER BY {RID}", params)[empty(part).columns]

    def joined(self, figures: Sequence[str], f: Filter, rank_by: str | None = None,
               limit: int | None = None) -> pd.DataFrame:
        """Reports matching f with some of their figures (a map's league table, a region's list),
        ranked by one figure (highest first, missing last, ties by report id) or in report id
        order; a rate shown only with f.minimum requests behind it (the rows without are left out)."""
        mc = "".join(f", m.{figure(c)}" for c in figures)
        order = f"m.{figure(rank_by)} DESC NULLS LAST, r.{RID}" if rank_by is not None else f"r.{RID}"
        rel, rp = self._reports(f)
        m, mp = self._part("metrics", f.year_keys())
        where, wp = self._where(f)
        cols = ", ".join(f"r.{quoted(c)}" for c in (REPORT_ID, "label", "region", "region_code", "year", *COUNTS)) + mc
        enough = " AND ".join(e for c in dict.fromkeys([*figures, *([rank_by] if rank_by is not None else [])])
                              if (e := _enough(f, c)))
        sql = (f"SELECT {cols} FROM (SELECT * FROM {rel}{where}) r LEFT JOIN {m} m USING ({RID}) "
               f"{'WHERE ' + enough + ' ' if enough else ''}ORDER BY {order}{_page(limit, 0)}")
        return self._run(sql, rp + wp + mp)


def _enough(f: Filter, metric: str) -> str:
    """The condition that a rate has at least f.minimum requests (cases) behind it ("" if none)."""
    base = RATE_BASE.get(metric)
    return f"coalesce(m.{quoted(base)}, 0) >= {int(f.minimum)}" if base and f.minimum > 0 else ""


def _over_minimum(f: Filter, metric: str) -> str:
    """A median's FILTER clause: only the reports with enough requests behind the rate."""
    cond = _enough(f, metric)
    return f" FILTER (WHERE {cond})" if cond else ""


def _in(ids: Sequence[str]) -> str:
    if len(ids) <= LITERAL_IN:
        return f"{RID} IN ({', '.join('?' * len(ids))})"
    return f"{RID} IN (SELECT unnest(?::VARCHAR[]))"


def _page(limit: int | None, offset: int) -> str:
    return (f" LIMIT {int(limit)}" if limit is not None else "") + (f" OFFSET {int(offset)}" if offset else "")
