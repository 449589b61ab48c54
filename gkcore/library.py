"""The set of parsed reports: ingest, list, query, correct. The pages' one door to the data.

Frames are read from the cache once and reread only when the cache changes (a new entry, a
saved correction). Corrections are kept in `corrections.parquet` beside the entries: the
original value, the correction, when and why; `cells()` applies the latest one per cell with
flag "corrected", and `checks()` reruns the rules for the corrected reports.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .batch import expand, is_archive
from .cache import Cache, load_or_parse
from .checks import check_prose, check_rules
from .compare import agency_key, outcome_shares
from .errors import GkError, InternalError
from .export import _records, check_results_frame
from .metrics import metrics_frame
from .model import FLAG, FLAG_CORRECTED, RAW, REPORT_ID, VALUE, Cell, ParsedReport, ProseFigure
from .normalize import parse_value
from .readers.pdf import Progress
from .template import load

CORRECTION_COLUMNS = (REPORT_ID, "table", "row", "col", "old_raw", "old_value", "new_raw", "new_value",
                      "reason", "at")
KEY = ["table", "row", "col"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    name: str
    report_id: str          # "" when the file failed
    error: str              # the user-facing message, "" on success
    cached: bool
    duplicate_of: str = ""  # the earlier file of the same batch with the same bytes


@dataclass(frozen=True)
class Frames:
    reports: pd.DataFrame
    cells: pd.DataFrame
    checks: pd.DataFrame
    figures: pd.DataFrame
    corrections: pd.DataFrame
    metrics: pd.DataFrame         # metrics_frame of every report, computed once per reload
    shares: pd.DataFrame          # outcome_shares of every report


class Library:
    def __init__(self, cache: Cache | None = None) -> None:
        self.cache = cache or Cache()
        self._stamp: tuple[int, int] | None = None
        self._frames: Frames | None = None

    # ---- ingest ------------------------------------------------------------------------
    def ingest_bytes(self, data: bytes, name: str, progress: Progress | None = None) -> IngestResult:
        """Parse (or find in the cache) one file. Never raises for a bad file."""
        try:
            report, hit = load_or_parse(data, name, self.cache, progress)
        except GkError as exc:
            return IngestResult(name, "", exc.message, False)
        except Exception:  # a parser bug must not take the page down: say so, log the details
            log.exception("unexpected error while parsing %s", name)
            return IngestResult(name, "", InternalError().message, False)
        return IngestResult(name, report.meta.report_id, "", hit)

    def ingest_upload(self, data: bytes, name: str, seen: dict[str, str] | None = None,
                      progress: Progress | None = None) -> list[IngestResult]:
        """One uploaded file, or every report inside a ZIP archive. `seen` (sha256 -> first
        name) spans a batch, so the same bytes uploaded twice are recognised as duplicates."""
        seen = {} if seen is None else seen
        if not is_archive(data):
            return [self._once(data, name, seen, progress)]
        try:
            members, skipped = expand(data, name)
        except GkError as exc:
            return [IngestResult(name, "", exc.message, False)]
        out = [self._once(m.data, f"{name}/{m.name}", seen, progress) for m in members]
        return out + [IngestResult(f"{name}/{m}", "", why, False) for m, why in skipped]

    def _once(self, data: bytes, name: str, seen: dict[str, str], progress: Progress | None) -> IngestResult:
        sha = hashlib.sha256(data).hexdigest()
        res = self.ingest_bytes(data, name, progress)
        if sha in seen and not res.error:
            return replace(res, duplicate_of=seen[sha])
        seen.setdefault(sha, name)
        return res

    def ingest_paths(self, paths: Iterable[Path],
                     progress: Callable[[int, int, str], None] | None = None) -> list[IngestResult]:
        files = list(paths)
        out = []
        for i, p in enumerate(files, 1):
            out.append(self.ingest_bytes(p.read_bytes(), p.name))
            if progress:
                progress(i, len(files), p.name)
        return out

    # ---- frames --------------------------------------------------------------------------
    def frames(self) -> Frames:
        stamp = self.cache.stamp()
        if self._frames is None or stamp != self._stamp:
            cells = self.cache.frame("cells")
            checks = self.cache.frame("checks")
            figures = self.cache.frame("figures")
            reports = self.cache.frame("report")
            corr = self.corrections()
            if not corr.empty:
                cells = _apply(cells, corr)
                checks = _recheck(reports, cells, checks, figures, set(corr[REPORT_ID]))
            bad = checks[checks["status"] != "pass"].groupby(["report_id", "status"]).size().unstack(fill_value=0)
            reports = reports.merge(bad, left_on=REPORT_ID, right_index=True, how="left")
            for status in ("fail", "not_assessable", "unsure"):
                reports[status] = reports[status].fillna(0).astype(int) if status in reports else 0
            reports["label"] = reports["agency"].astype(str) + " · " + reports["year"].astype(str)
            reports["agency_key"] = [agency_key(a, r, c) for a, r, c in
                                     zip(reports["agency"], reports["region"], reports["region_code"], strict=True)]
            self._frames = Frames(reports, cells, checks, figures, corr, metrics_frame(cells),
                                  outcome_shares(cells))
            self._stamp = stamp
        return self._frames

    def reports(self) -> pd.DataFrame:
        return self.frames().reports

    def cells(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        return _subset(self.frames().cells, ids)

    def checks(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        return _subset(self.frames().checks, ids)

    def figures(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        return _subset(self.frames().figures, ids)

    def metrics(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        return _subset(self.frames().metrics, ids)

    def shares(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        s = self.frames().shares
        return s if ids is None else s[s.index.isin(list(ids))]

    def _sha(self, report_id: str) -> str | None:
        rep = self.reports()
        row = rep[rep[REPORT_ID] == report_id]
        return None if row.empty else str(row.iloc[0]["sha256"])

    def report(self, report_id: str) -> ParsedReport | None:
        """The report as parsed (the cache entry; corrections are not applied here)."""
        sha = self._sha(report_id)
        return None if sha is None else self.cache.get(sha)

    def source(self, report_id: str) -> bytes | None:
        sha = self._sha(report_id)
        return None if sha is None else self.cache.source(sha)

    # ---- corrections ------------------------------------------------------------------
    def corrections(self) -> pd.DataFrame:
        p = self.cache.corrections_path
        if p.exists():
            return pd.read_parquet(p)
        return pd.DataFrame({c: pd.Series(dtype="float64" if c.endswith("_value") else "str")
                             for c in CORRECTION_COLUMNS})

    def correct(self, report_id: str, table: str, row: str, col: str, new_raw: str, reason: str = "") -> None:
        """Record a user's correction of one cell (the original stays in the cache)."""
        cells = self.frames().cells
        hit = cells[(cells[REPORT_ID] == report_id) & (cells["table"] == table) & (cells["row"] == row)
                    & (cells["col"] == col)]
        if hit.empty:
            raise KeyError(f"{report_id}: no cell {table}.{row}.{col}")
        orig = self.report(report_id)
        old = orig.cell(table, row, col) if orig else None
        value = parse_value(new_raw)
        entry = pd.DataFrame([{
            REPORT_ID: report_id, "table": table, "row": row, "col": col,
            "old_raw": old.raw if old else "", "old_value": float("nan") if not old or old.value is None
            else float(old.value), "new_raw": new_raw, "new_value": float("nan") if value is None else float(value),
            "reason": reason, "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }])
        both = pd.concat([self.corrections(), entry], ignore_index=True)
        self.cache.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".corrections-", dir=self.cache.root)
        os.close(fd)
        both.to_parquet(tmp, index=False)
        os.replace(tmp, self.cache.corrections_path)      # atomic


def _subset(df: pd.DataFrame, ids: Iterable[str] | None) -> pd.DataFrame:
    if ids is None:
        return df
    return df[df[REPORT_ID].isin(list(ids))]


def _apply(cells: pd.DataFrame, corr: pd.DataFrame) -> pd.DataFrame:
    latest = corr.sort_values("at").drop_duplicates([REPORT_ID, *KEY], keep="last")
    m = cells.merge(latest[[REPORT_ID, *KEY, "new_raw", "new_value"]], on=[REPORT_ID, *KEY], how="left")
    hit = m["new_raw"].notna()
    m.loc[hit, RAW] = m.loc[hit, "new_raw"]
    m.loc[hit, VALUE] = m.loc[hit, "new_value"]
    m.loc[hit, FLAG] = FLAG_CORRECTED
    return m.drop(columns=["new_raw", "new_value"])


def _recheck(reports: pd.DataFrame, cells: pd.DataFrame, checks: pd.DataFrame, figures: pd.DataFrame,
             ids: set[str]) -> pd.DataFrame:
    """Rerun the rules for the reports that have corrections."""
    fresh = []
    for rep in _records(reports[reports[REPORT_ID].isin(ids)]):
        template = load(str(rep["template"]))
        rid = str(rep[REPORT_ID])
        cs = [Cell(d["table"], d["row"], d["col"], d[RAW], None if pd.isna(d[VALUE]) else d[VALUE],
                   flag=d[FLAG]) for d in _records(cells[cells[REPORT_ID] == rid])]
        fs = [ProseFigure(f["code"], f["label"], int(f[VALUE]), f["text"])
              for f in _records(figures[figures[REPORT_ID] == rid])]
        results = check_rules(template, cs) + check_prose(template, cs, fs)
        fresh.append(check_results_frame((rid, k) for k in results))
    keep = checks[~checks[REPORT_ID].isin(ids)]
    return pd.concat([keep, *fresh], ignore_index=True)

