"""Command line: `python -m gkcore parse FILE... --format csv|json`, `ingest PATH...`, `export`,
`assess FILE... --format csv|json` (评估, docs/assessment.md).

parse writes to standard output; a file that cannot be parsed gets one line `FILE: reason` on
standard error, the others are still parsed, and the exit status is 1. Every parse runs in a
child process within the limits of gkcore/parse/limits.py (--time-limit, --page-limit, --memory-limit,
--max-bytes, or the GK_* environment variables). File names are printed with their control
characters escaped (errors.safe_name), so a name cannot forge lines or colour the terminal.

Here: `parse`, `ingest` and the arguments of every command; `export`, `verify` and `assess` are in
cli/cache.py, what the commands share in cli/common.py."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ClusterLost, ClusterUnreachable, InvalidLimit, safe_name
from ..model import CheckResult, ParsedReport
from ..parse.isolate import parse_isolated, start
from ..parse.limits import Limits
from .cache import cmd_assess, cmd_export, cmd_verify
from .common import _fail, _limit_options, _limits

if TYPE_CHECKING:
    from ..store.ingest import Item

# Only what every command needs is imported above (no pandas, pyarrow, DuckDB, Dask or parser
# readers); each command imports the rest itself, after starting the parsers' forkserver, whose
# own imports then run on the other core (bench/parse_speed.py measures the start-up). `parse`
# never imports pandas: its CSV comes from present/longcsv.py, its cache entry from store/parts.py
# (tests/test_startup.py).


def _check(k: CheckResult) -> dict[str, object]:
    """A check as the JSON has always written it (the severity follows from the rule code:
    gkcore.parse.checks.severity_of; the spec's JSON keeps its fields)."""
    return {f: v for f, v in asdict(k).items() if f != "severity"}


def _json(report: ParsedReport) -> str:
    meta = asdict(report.meta)
    cells = [{"table": c.table, "row": c.row, "col": c.col, "value": c.value, "raw": c.raw,
              "page": c.page, "bbox": c.bbox, "flag": c.flag, "note": c.note} for c in report.cells]
    obj = {**meta, "cells": cells, "figures": [asdict(f) for f in report.figures],
           "checks": [_check(k) for k in report.checks], "tables": [asdict(t) for t in report.tables]}
    return json.dumps(obj, ensure_ascii=False)


def cmd_parse(args: argparse.Namespace) -> int:
    limits = _limits(args)
    start(quick=True)               # see gkcore.parse.isolate.start
    ok: list[ParsedReport] = []
    failed = 0
    for path in args.files:
        try:
            data = Path(path).read_bytes()
            progress = _ocr_progress(path) if sys.stderr.isatty() else None
            if args.no_cache:
                report = parse_isolated(data, Path(path).name, progress, limits)
            else:
                from ..store.cache import load_or_parse

                report = load_or_parse(data, Path(path).name, None, progress, limits)[0]
        except Exception as exc:  # noqa: BLE001 — one bad file never stops the others
            _fail(path, exc)
            failed += 1
            continue
        ok.append(report)
        if args.format == "json":
            print(_json(report), flush=True)
    if args.format == "csv":
        from ..present.longcsv import long_csv_of  # without pandas: the same bytes as export.long_csv

        sys.stdout.write(long_csv_of(ok))
    return 1 if failed else 0


def _ocr_progress(path: str) -> Callable[[int, int], None]:
    """A progress line while the scanned pages of one file are recognised (seconds a page)."""
    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r{safe_name(Path(path).name)}: OCR {done}/{total}" + ("\n" if done == total else ""))
        sys.stderr.flush()

    return show


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


class _Tally:
    """What an ingest did, file by file, as the results come in."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.quiet, self.finished = total, quiet, 0
        self.errors: list[tuple[str, str]] = []
        self.seen: dict[str, str] = {}
        self.duplicates: list[tuple[str, str]] = []
        self.hits = self.done = 0

    def add(self, items: list[Item]) -> None:
        for name, err, hit, sha in items:
            if err:
                self.errors.append((name, err))
                continue
            self.done += 1
            if sha in self.seen:
                self.duplicates.append((name, self.seen[sha]))
            else:
                self.seen[sha] = name
                self.hits += hit
        self.finished += 1
        if not self.quiet:
            _progress(self.finished, self.total)

    def report(self, where: Path) -> None:
        if not self.quiet and self.total:
            sys.stderr.write("\n")
        for path, err in sorted(self.errors):
            print(f"{safe_name(path)}: {err}", file=sys.stderr)
        for path, first in sorted(self.duplicates):
            first = safe_name(first)
            print(f"{safe_name(path)}: 与 {first} 内容相同 / same bytes as {first}", file=sys.stderr)
        print(f"ingested {len(self.seen)} reports from {self.done} of {self.done + len(self.errors)} files "
              f"({self.hits} already cached, {len(self.duplicates)} duplicates, {len(self.errors)} failed) "
              f"into {where}", file=sys.stderr)


def _threads(files: list[Path], root: str, limits: Limits, jobs: int, done: Callable[[list[Item]], None]) -> None:
    """Threads, not processes: each parse already runs in its own child process (gkcore.parse.isolate),
    forked from one forkserver, so N threads keep N cores busy without N forkservers to start."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from ..store.ingest import ingest_one

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for fut in as_completed([pool.submit(ingest_one, str(f), root, limits) for f in files]):
            done(fut.result())


def _cluster(address: str, files: list[Path], root: str, limits: Limits, done: Callable[[list[Item]], None]) -> None:
    from ..store import cluster

    with contextlib.suppress(ImportError):    # cluster.connect says so when Dask is missing
        import distributed  # noqa: F401 — it sets up its loggers when imported: quieten them after
    for name in [*logging.root.manager.loggerDict, "distributed", "tornado"]:
        if name.split(".")[0] in ("distributed", "tornado"):   # their tracebacks would bury our one line
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    with cluster.connect(address) as client:
        cluster.run(client, files, root, limits, done)


def cmd_ingest(args: argparse.Namespace) -> int:
    if not args.cluster:
        start()                     # the forkserver's imports run while the files are listed
    from ..store.cache import Cache
    from ..store.index import Store
    from ..store.ingest import collect

    files = collect(args.paths)
    cache = Cache()
    limits = _limits(args)
    tally = _Tally(len(files), args.quiet)
    try:
        if args.cluster:
            _cluster(args.cluster, files, str(cache.root), limits, tally.add)
        else:
            jobs = args.jobs or min(len(files), os.cpu_count() or 1) or 1
            _threads(files, str(cache.root), limits, jobs, tally.add)
    except (ClusterUnreachable, ClusterLost) as exc:
        tally.report(cache.dir)
        print(f"{args.cluster}: {exc.message}", file=sys.stderr)
        return 3
    tally.report(cache.dir)
    Store(cache).refresh()     # the pages' index (gkcore/store/index.py), so the first page load is quick
    return 1 if tally.errors else 0


def _files_command(sub: Any, name: str, help: str) -> argparse.ArgumentParser:
    """A command over files that prints CSV or JSON."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help)
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    return p


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="gkcore", description="政府信息公开年报 -> 规范数据")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = _files_command(sub, "parse", "parse reports and print the long CSV or JSON")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    _limit_options(p)
    p.set_defaults(func=cmd_parse)
    i = sub.add_parser("ingest", help="parse files or folders into the cache")
    i.add_argument("paths", nargs="+")
    i.add_argument("--jobs", type=int, default=0, help="files parsed at once (default: one per core)")
    i.add_argument("--quiet", action="store_true")
    i.add_argument("--cluster", metavar="ADDRESS",
                   help="parse on a Dask cluster: tcp://HOST:8786 (a running `dask scheduler`) or local:N "
                        "(N worker processes on this machine); the cache must be shared storage (docs/cluster.md)")
    _limit_options(i)
    i.set_defaults(func=cmd_ingest)
    e = sub.add_parser("export", help="print the whole cache as the long CSV")
    e.add_argument("--wide", action="store_true", help="one row per report instead")
    e.set_defaults(func=cmd_export)
    v = sub.add_parser("verify", help="check every cache entry; --repair rebuilds damaged ones from their source")
    v.add_argument("--repair", action="store_true", help="rebuild damaged entries, remove those that cannot be")
    v.set_defaults(func=cmd_verify)
    a = _files_command(sub, "assess", "评估: grade reports criterion by criterion (CSV or JSON), with the evidence")
    a.add_argument("--criteria", metavar="TOML", help="an assessment list of your own (default: the national list)")
    _limit_options(a)
    a.set_defaults(func=cmd_assess)
    if (sys.argv[1:] if argv is None else argv)[:1] == ["users"]:
        from ..access.cli import add_parser as add_users  # gkcore users add|remove|list|passwd|audit

        add_users(sub)       # imported only for `users`: the accounts pull in the library (and pandas)
    else:
        sub.add_parser("users", help="sign-in accounts of an office server: add|remove|list|passwd|audit "
                                     "(gkcore users -h)")
    args = ap.parse_args(argv)
    try:
        return int(args.func(args))
    except InvalidLimit as exc:          # a wrong --time-limit or GK_TIME_LIMIT, …
        print(exc.message, file=sys.stderr)
        return 2
