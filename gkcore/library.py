"""The set of parsed reports: ingest, list, query, correct. The pages' one door to the data.

The data is queried from the Parquet index of the cache (`store/index.py`, `store/query.py`,
`store/listing.py`): nothing per report is kept in memory, so a national library (10^6 reports)
fits; the pages ask for a search's few hundred reports, a page of a ranking, the cells of the
reports shown. The results of the last queries are kept (a small LRU per index state), so a rerun
of a page with the same choices does not query again. The index is brought up to date when the
cache changes (a new or removed entry, a saved correction). Corrections (`store/corrections.py`):
`cells()` applies the latest one per cell with flag "corrected", and `checks()` reruns the rules
for the corrected reports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from .errors import CorruptCorrections
from .model import FLAG, REPORT_ID, ParsedReport
from .parse.readers.pdf import Progress
from .store import corrections, upload
from .store.cache import Cache
from .store.dupes import Dupes
from .store.index import COUNTS, Snapshot, Store, year_key
from .store.listing import SEARCH_MAX, Filter, Listing
from .store.query import Reader
from .store.state import Frames, fetch, load
from .store.upload import IngestResult
from .store.views import Views

__all__ = ["SEARCH_MAX", "Filter", "Frames", "IngestResult", "Library"]
MEMO_MAX = 64              # query results kept per index state
MEMO_ROWS = 200_000        # larger results are not kept
LITERAL_KEEP = 200         # a part's rows are kept for up to this many reports asked for
YEARS_KEPT = 100_000       # report ids whose year partition is remembered (then forgotten at once)
YEARS_ROWS = 10_000        # from query results of up to this many rows


class Library:
    """Thread-safe: one Library serves every session of the app. Reloads are serialised by a
    lock; queries run on their own DuckDB cursor. The per-report lists are `store/views.py`'s
    `Views`, over this Library as their `Source`; the uploads (never raising for a bad file) are
    `store/upload.py`'s; the methods here forward to both."""

    def __init__(self, cache: Cache | None = None, jobs: int | None = None) -> None:
        self.cache = cache or Cache()
        self.store = Store(self.cache, jobs)
        self._reader = Reader()
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()      # one correction saved at a time
        self._state: tuple[tuple[int, int], Frames] | None = None
        self.corrections_error = ""      # why the saved corrections cannot be applied (the file kept)
        self._views = Views(self)

    # ---- ingest (store/upload.py) ---------------------------------------------------------
    def ingest_bytes(self, data: bytes, name: str, progress: Progress | None = None) -> IngestResult:
        return upload.ingest_bytes(self.cache, data, name, progress)

    def ingest_upload(self, data: bytes, name: str, seen: dict[str, str] | None = None,
                      progress: Progress | None = None) -> list[IngestResult]:
        return upload.ingest_upload(self.cache, data, name, seen, progress)

    def ingest_paths(self, paths: Iterable[Path],
                     progress: Callable[[int, int, str], None] | None = None) -> list[IngestResult]:
        return upload.ingest_paths(self.cache, paths, progress)

    # ---- frames --------------------------------------------------------------------------
    def stamp(self) -> tuple[int, int]:
        """The cache's state (an entry added, a correction saved): a key for results kept outside."""
        return self.cache.stamp()

    def frames(self) -> Frames:
        stamp = self.cache.stamp()
        state = self._state              # one read: the frames and the stamp they were loaded at
        if state is not None and state[0] == stamp:
            return state[1]
        with self._lock:
            state = self._state
            if state is None or state[0] != stamp:
                state = (stamp, self._load(self.store.refresh()))
                self._state = state
            return state[1]

    def _load(self, snap: Snapshot) -> Frames:
        try:
            corr, self.corrections_error = self.corrections(), ""
        except CorruptCorrections as exc:   # the reports show uncorrected; correct() refuses to save
            corr, self.corrections_error = corrections.no_corrections(), exc.message
        return load(self.cache, self._reader, snap, corr)

    def _listing(self) -> tuple[Frames, Listing]:
        f = self.frames()
        return f, Listing(self._reader.con, f.snapshot, f.over, f.dupes)

    def _dupes(self) -> Dupes:
        return self.frames().dupes

    def _memo(self, key: tuple[Hashable, ...], run: Callable[[Listing], pd.DataFrame]) -> pd.DataFrame:
        """A query's result, kept for the next rerun while the index and the corrections are the
        same (a copy is returned: callers may change it)."""
        f, listing = self._listing()
        with self._lock:
            hit = f.memo.get(key)
            if hit is not None:
                f.memo.move_to_end(key)
                return hit.copy()
        df = self._retry(lambda: run(listing))
        if len(df) <= MEMO_ROWS:
            with self._lock:
                if REPORT_ID in df.columns and "year" in df.columns and len(df) <= YEARS_ROWS:
                    if len(f.year_of) > YEARS_KEPT:
                        f.year_of.clear()
                    f.year_of.update(zip(df[REPORT_ID].tolist(), map(year_key, df["year"]), strict=True))
                f.memo[key] = df
                while len(f.memo) > MEMO_MAX:
                    f.memo.popitem(last=False)
        return df.copy()

    def forget(self) -> None:
        """Drop the kept query results (bench/scale.py measures reruns without them too)."""
        f = self.frames()
        with self._lock:
            f.memo.clear()

    def _numbered(self) -> dict[str, str]:
        return self.frames().numbered

    def _retry(self, run: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        try:
            return run()
        except duckdb.IOException:          # another process merged the segments away: reload
            with self._lock:
                self._state = None
            return run()

    def _years(self, ids: list[str]) -> dict[str, str]:
        """report_id -> the year partition its rows are in, for these ids (unknown ids left out):
        known from an earlier query's rows (a page lists reports before it reads their cells), or
        one lookup (which reads the report_id column of every reports file)."""
        f = self.frames()
        with self._lock:
            seen = {i: f.year_of[i] for i in ids if i in f.year_of}
        if len(seen) == len(ids):
            return seen
        got = self.about(ids)
        return dict(zip(got[REPORT_ID].tolist(), map(year_key, got["year"]), strict=True))

    def _query(self, part: str, ids: Iterable[str] | None, where: dict[str, Sequence[str]] | None,
               over: bool, limit: int | None = None) -> pd.DataFrame:
        """Rows of one part from the index, with the corrected reports' rows from memory."""
        wanted = None if ids is None else list(dict.fromkeys(ids))
        if (wanted is None and limit is not None) or (wanted is not None and len(wanted) <= LITERAL_KEEP):
            conds = tuple(sorted((k, tuple(v)) for k, v in (where or {}).items()))
            key = ("part", part, None if wanted is None else tuple(wanted), conds, over, limit)
            return self._memo(key, lambda q: self._fetch(part, wanted, where, over, limit))
        return self._retry(lambda: self._fetch(part, wanted, where, over, limit))

    def _fetch(self, part: str, wanted: list[str] | None, where: dict[str, Sequence[str]] | None,
               over: bool, limit: int | None) -> pd.DataFrame:
        known = None if wanted is None else self._years(wanted)
        return fetch(self._reader, self.frames(), part, wanted, known, where, over, limit)

    def reports(self, ids: Sequence[str] | None = None, where: Filter | None = None, limit: int | None = None,
                offset: int = 0) -> pd.DataFrame:
        """One row per report (without `tables_json`: `Library.report` has it), in report id
        order: these ids, or those matching where, or every report (exports, tests: not a page's
        rerun at national scale); `limit`/`offset` give one page of them."""
        w = where or Filter()
        if ids is None and limit is None and w == Filter():      # every report: never kept
            return self._retry(lambda: self._listing()[1].reports(w))
        key = ("reports", None if ids is None else tuple(ids), w, limit, offset)
        return self._memo(key, lambda q: q.reports(w, None if ids is None else list(ids), limit=limit, offset=offset))

    def cells(self, ids: Iterable[str] | None = None, flag: str | None = None,
              limit: int | None = None) -> pd.DataFrame:
        """The cells of these reports (every report when None: for exports, not for pages), only
        those with this flag when given; corrections applied."""
        where: dict[str, Sequence[str]] | None = None if flag is None else {FLAG: [flag]}
        return self._query("cells", ids, where, True, limit)

    def checks(self, ids: Iterable[str] | None = None, status: Sequence[str] | None = None,
               limit: int | None = None) -> pd.DataFrame:
        """Check results of these reports (rerun for corrected ones), only these statuses when given."""
        where: dict[str, Sequence[str]] | None = None if status is None else {"status": list(status)}
        return self._query("checks", ids, where, True, limit)

    def figures(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        return self._query("figures", ids, None, False)

    def metrics(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        """metrics_frame rows of these reports (all when None), corrections applied, report order."""
        return self._per_report("metrics", ids)

    def shares(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Outcome shares of these reports (all when None), indexed by report_id."""
        return self._per_report("shares", ids).set_index(REPORT_ID)

    def _per_report(self, part: str, ids: Iterable[str] | None) -> pd.DataFrame:
        want = None if ids is None else list(dict.fromkeys(ids))
        if want is None:
            return self._retry(lambda: self._listing()[1].part(part, None))
        years = set(self._years(want).values())          # only the year partitions they are in
        return self._memo((part, tuple(want)), lambda q: q.part(part, want, years))

    def row(self, report_id: str) -> pd.Series | None:
        """One report's row (with `tables_json`), or None."""
        got = self._memo(("row", report_id), lambda q: self._reader.frame(q.snap, "reports", [report_id]))
        if got.empty:
            return None
        rep = got.iloc[0].copy()
        counts = self.frames().over.reports
        hit = counts[counts[REPORT_ID] == report_id]
        for s in COUNTS:
            if not hit.empty:
                rep[s] = hit.iloc[0][s]
        return rep

    def _sha(self, report_id: str) -> str | None:
        rep = self.row(report_id)
        return None if rep is None else str(rep["sha256"])

    def report(self, report_id: str) -> ParsedReport | None:
        """The report as parsed (the cache entry; corrections are not applied here)."""
        sha = self._sha(report_id)
        return None if sha is None else self.cache.get(sha)

    def source(self, report_id: str) -> bytes | None:
        sha = self._sha(report_id)
        return None if sha is None else self.cache.source(sha)

    # ---- lists (store/views.py: what each one returns) -------------------------------------
    def count(self, where: Filter | None = None) -> int:
        return self._views.count(where)

    def status_counts(self, where: Filter | None = None) -> dict[str, int]:
        return self._views.status_counts(where)

    def choices(self, column: str, where: Filter | None = None) -> list[object]:
        return self._views.choices(column, where)

    def known_sources(self, names: Sequence[str]) -> set[str]:
        return self._views.known_sources(names)

    def codes(self, where: Filter) -> pd.DataFrame:
        return self._views.codes(where)

    def by_region(self, where: Filter, region: pd.DataFrame, figures: Sequence[str]) -> pd.DataFrame:
        return self._views.by_region(where, region, figures)

    def duplicates(self, ids: Sequence[str] | None = None, keep: Sequence[str] = ()) -> pd.DataFrame:
        return self._views.duplicates(ids, keep)

    def about(self, ids: Sequence[str]) -> pd.DataFrame:
        return self._views.about(ids)

    def names(self, ids: Sequence[str]) -> dict[str, str]:
        return self._views.names(ids)

    def search(self, where: Filter | None = None, limit: int = SEARCH_MAX) -> dict[str, str]:
        return self._views.search(where, limit)

    def ranking(self, metric: str, where: Filter | None = None, limit: int | None = None,
                offset: int = 0) -> pd.DataFrame:
        return self._views.ranking(metric, where, limit, offset)

    def worst(self, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        return self._views.worst(limit, offset)

    def agencies(self, text: str = "", limit: int | None = SEARCH_MAX) -> pd.DataFrame:
        return self._views.agencies(text, limit)

    def joined(self, figures: Sequence[str], where: Filter, rank_by: str | None = None,
               limit: int | None = None) -> pd.DataFrame:
        return self._views.joined(figures, where, rank_by, limit)

    # ---- corrections ------------------------------------------------------------------
    def corrections(self) -> pd.DataFrame:
        """The saved corrections; CorruptCorrections when the file cannot be read (it is kept)."""
        saved = self.cache.read_corrections()
        if saved is None:
            return corrections.no_corrections()
        return saved if "by" in saved.columns else saved.assign(by="")    # saved before corrections said who

    def correct(self, report_id: str, table: str, row: str, col: str, new_raw: str, reason: str = "",
                action: str = "correct", *, by: str = "") -> None:
        """Record a user's correction of one cell (the original stays in the cache), or an undo
        or delete of the corrections of that cell (the log keeps every entry); NotAValue for a
        correction that no number cell can hold. `by`: who (accounts mode). Saves are serialised
        (a lock in this process, a file lock across processes): two users correcting at once both
        have their entry kept, and the later one is the cell's value."""
        cells = self.cells([report_id])
        hit = cells[(cells["table"] == table) & (cells["row"] == row) & (cells["col"] == col)]
        if hit.empty:
            raise KeyError(f"{report_id}: no cell {table}.{row}.{col}")
        orig = self.report(report_id)
        old = orig.cell(table, row, col) if orig else None
        with self._write_lock, corrections.locked(self.cache):
            corrections.save(self.cache, self.corrections(), report_id, table, row, col, old.raw if old else "",
                             None if old is None or old.value is None else float(old.value), new_raw, reason,
                             action, by=by)

