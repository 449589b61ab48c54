"""Users' corrections of cells: saved in `corrections.parquet` beside the cache entries (the
original value, the correction, when and why), applied over the index's cells, with the rules
rerun for the corrected reports and their metrics, shares and assessment columns (the score,
each criterion) computed again (the library keeps those few reports' fresh rows in memory)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime

import pandas as pd

from ..assess.indexed import index_columns
from ..errors import NotAValue
from ..model import FLAG, FLAG_CORRECTED, RAW, REPORT_ID, VALUE, Cell, ProseFigure
from ..model.frames import _records, check_results_frame
from ..model.metrics import outcome_shares
from ..parse.checks import run_checks
from ..parse.normalize import PLACEHOLDERS, is_value_like, parse_value, squash
from ..parse.template import load
from .cache import Cache
from .listing import Overrides
from .locks import file_lock
from .segments import ROW, metrics_of, report_counts

CORRECTION_COLUMNS = (REPORT_ID, "table", "row", "col", "old_raw", "old_value", "new_raw", "new_value",
                      "reason", "at", "action", "by")
KEY = ["table", "row", "col"]
# The log is never rewritten, only appended to (the audit trail): a correction sets a cell, an
# undo takes back that cell's last correction still standing, a delete takes back all of them.
CORRECT, UNDO, DELETE = "correct", "undo", "delete"
ACTIONS = (CORRECT, UNDO, DELETE)


def no_corrections() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c.endswith("_value") else "str") for c in CORRECTION_COLUMNS})


def acceptable(raw: str) -> bool:
    """A correction must be what a number cell can hold: a number, blank, or a placeholder such
    as "/" ("abc" is refused)."""
    t = squash(raw)
    return t == "" or t in PLACEHOLDERS or (is_value_like(raw) and parse_value(raw) is not None)


def standing(corr: pd.DataFrame) -> pd.DataFrame:
    """The corrections in force, one per cell at most: the log replayed in order."""
    if corr.empty:
        return corr
    log = corr.assign(action=corr["action"].fillna(CORRECT) if "action" in corr else CORRECT)
    log = log.reset_index(drop=True).sort_values("at", kind="stable")
    stacks: dict[tuple[str, ...], list[int]] = {}
    for i, rid, t, r, c, act in zip(log.index, log[REPORT_ID], log["table"], log["row"], log["col"], log["action"],
                                    strict=True):
        stack = stacks.setdefault((rid, t, r, c), [])
        if act == UNDO:
            stack[-1:] = []
        elif act == DELETE:
            stack.clear()
        else:
            stack.append(i)
    return log.loc[sorted(s[-1] for s in stacks.values() if s)]


def apply(cells: pd.DataFrame, corr: pd.DataFrame) -> pd.DataFrame:
    latest = standing(corr)
    if latest.empty:
        return cells
    m = cells.merge(latest[[REPORT_ID, *KEY, "new_raw", "new_value"]], on=[REPORT_ID, *KEY], how="left")
    hit = m["new_raw"].notna()
    m.loc[hit, RAW] = m.loc[hit, "new_raw"]
    m.loc[hit, VALUE] = m.loc[hit, "new_value"]
    m.loc[hit, FLAG] = FLAG_CORRECTED
    return m.drop(columns=["new_raw", "new_value"])


def recheck(reports: pd.DataFrame, cells: pd.DataFrame, figures: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Rerun the rules for the reports that have corrections (cells keep their row positions)."""
    fresh = []
    for rep in _records(reports[reports[REPORT_ID].isin(ids)]):
        template = load(str(rep["template"]))
        rid = str(rep[REPORT_ID])
        cs = [Cell(d["table"], d["row"], d["col"], d[RAW], None if pd.isna(d[VALUE]) else d[VALUE],
                   flag=d[FLAG]) for d in _records(cells[cells[REPORT_ID] == rid])]
        fs = [ProseFigure(f["code"], f["label"], int(f[VALUE]), f["text"])
              for f in _records(figures[figures[REPORT_ID] == rid])]
        results = run_checks(template, cs, fs)
        df = check_results_frame((rid, k) for k in results)
        fresh.append(df.assign(**{ROW: range(len(df))}))
    return pd.concat(fresh, ignore_index=True)


def overrides(reports: pd.DataFrame, cells: pd.DataFrame, checks: pd.DataFrame, outline: pd.DataFrame,
              kept: pd.DataFrame | None = None) -> Overrides:
    """The corrected reports' (`reports`: their index rows) check counts, metrics, outcome shares
    and assessment columns, from their corrected cells and rerun checks, graded with the outline
    of their cache entries (`outline`). `kept`: the index's metrics rows of corrected reports
    whose cache entry is gone (an index-only library): their assessment columns stay as indexed,
    never graded without the outline they need."""
    ids = reports[REPORT_ID].tolist()
    metrics = metrics_of(reports, cells, checks, outline)
    if kept is not None and not kept.empty:
        cols = list(index_columns())
        old = kept.set_index(REPORT_ID)
        hit = metrics[REPORT_ID].isin(old.index)
        metrics.loc[hit, cols] = old.loc[metrics.loc[hit, REPORT_ID], cols].to_numpy()
    shares = outcome_shares(cells).rename_axis(REPORT_ID).reset_index()
    return Overrides(report_counts(ids, cells, checks), metrics, shares)


@contextlib.contextmanager
def locked(cache: Cache) -> Iterator[None]:
    """Hold the corrections file's lock (across processes) while it is read and replaced."""
    with file_lock(cache.root / ".corrections.lock"):
        yield


def save(cache: Cache, saved: pd.DataFrame, report_id: str, table: str, row: str, col: str, old_raw: str,
         old_value: float | None, new_raw: str, reason: str, action: str = CORRECT, *, by: str = "") -> None:
    """Append one entry to the log (atomic replace of the file). A correction that is no value
    a number cell can hold raises NotAValue. `by`: who (accounts mode), "" on a single-user
    dashboard. Entries of one second keep their order of saving (standing's stable sort)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == CORRECT and not acceptable(new_raw):
        raise NotAValue(new_raw)
    value = parse_value(new_raw)
    entry = pd.DataFrame([{
        REPORT_ID: report_id, "table": table, "row": row, "col": col, "old_raw": old_raw,
        "old_value": float("nan") if old_value is None else float(old_value), "new_raw": new_raw,
        "new_value": float("nan") if value is None else float(value),
        "reason": reason, "at": datetime.now(UTC).isoformat(timespec="seconds"), "action": action, "by": by,
    }])
    both = pd.concat([saved, entry], ignore_index=True)
    cache.root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".corrections-", dir=cache.root)
    os.close(fd)
    both.to_parquet(tmp, index=False)
    os.replace(tmp, cache.corrections_path)      # atomic
