"""The commands over the cache: `export` (the long or wide CSV), `verify [--repair]` and
`assess` (评估: each file parsed or read from the cache, every criterion's result)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import GkError
from ..model import ParsedReport
from ..parse.isolate import start
from .common import _fail, _limits


def cmd_export(args: argparse.Namespace) -> int:
    from ..model import format_value
    from ..present.export import long_csv, wide_frame
    from ..store.cache import Cache

    cache = Cache()
    reports, cells = cache.frame("report"), cache.frame("cells")
    if args.wide:
        df = wide_frame(reports, cells)
        for col in df.columns[6:]:
            df[col] = [format_value(None if v != v else v) for v in df[col]]
        sys.stdout.write(df.to_csv(index=False, lineterminator="\n"))
    else:
        sys.stdout.write(long_csv(reports, cells))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Check every cache entry by its hashes; with --repair rebuild or remove the damaged ones."""
    from ..store.cache import Cache

    cache = Cache()
    res = cache.verify(repair=args.repair)
    rebuilt = set(res.rebuilt)
    for d in res.damaged:
        print(f"{d.sha256}: 已损坏 / damaged: {d.problem}")
        if d.sha256 in rebuilt:
            print(f"{d.sha256}: 已用原文件重建 / rebuilt from its source")
    for d in res.removed:
        print(f"{d.sha256}: 无法重建，已移除，请重新导入原文件 / removed, ingest the original file again: {d.problem}")
    for name in res.cleaned:
        print(f"{name}: 已删除中断写入留下的临时文件夹 / stale temporary folder deleted")
    print(f"verified {res.checked} entries in {cache.dir}: {len(res.damaged)} damaged, {len(res.rebuilt)} rebuilt, "
          f"{len(res.removed)} removed, {len(res.cleaned)} stale temporary folders deleted")
    if res.damaged and not args.repair:
        print("修复：python -m gkcore verify --repair / to repair: python -m gkcore verify --repair")
    return 1 if res.unrepaired else 0


def cmd_assess(args: argparse.Namespace) -> int:
    """评估: parse (or read from the cache) each file and print every criterion's result."""
    from ..assess.batch import assess_reports
    from ..assess.criteria import load_criteria
    from ..assess.result import results_frame, to_json
    from ..errors import TemplateError
    from ..store.cache import load_or_parse

    try:
        criteria = load_criteria(args.criteria)
    except (TemplateError, OSError) as exc:
        print(exc.message if isinstance(exc, GkError) else f"{args.criteria}: {exc}", file=sys.stderr)
        return 2
    limits = _limits(args)
    start(quick=True)
    ok: list[ParsedReport] = []
    failed = 0
    for path in args.files:
        try:
            ok.append(load_or_parse(Path(path).read_bytes(), Path(path).name, None, None, limits)[0])
        except Exception as exc:  # noqa: BLE001 — one bad file never stops the others
            _fail(path, exc)
            failed += 1
    done = assess_reports(ok, criteria)
    if args.format == "json":
        sys.stdout.write(to_json(done) + "\n")
    else:
        sys.stdout.write(results_frame(done).to_csv(index=False))
    return 1 if failed else 0
