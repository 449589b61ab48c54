"""What the commands share: the one-line error of a file that failed, and the parse limits as
options (gkcore/parse/limits.py)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from ..errors import GkError, InternalError, safe_name
from ..parse.limits import Limits


def _fail(path: str, exc: BaseException) -> None:
    if isinstance(exc, GkError):
        msg = exc.message
    elif isinstance(exc, OSError):
        msg = f"无法读取文件 / cannot read the file: {exc.strerror or exc}"
    else:
        msg = f"{InternalError().message}（{type(exc).__name__}）"
    print(f"{safe_name(path)}: {msg}", file=sys.stderr)


def _limits(args: argparse.Namespace) -> Limits:
    """The environment's limits (GK_TIME_LIMIT, …), overridden by the options given."""
    given = {k: getattr(args, k) for k in ("seconds", "pages", "memory_mb", "max_bytes")
             if getattr(args, k, None) is not None}
    return replace(Limits.from_env(), **given)


def _limit_options(p: argparse.ArgumentParser) -> None:
    d = Limits()
    p.add_argument("--time-limit", dest="seconds", type=float, metavar="SECONDS",
                   help=f"stop parsing a file after this long (default {d.seconds:g}, or GK_TIME_LIMIT)")
    p.add_argument("--page-limit", dest="pages", type=int, metavar="N",
                   help=f"refuse PDFs with more pages (default {d.pages}, or GK_PAGE_LIMIT)")
    p.add_argument("--memory-limit", dest="memory_mb", type=int, metavar="MB",
                   help=f"address space a parse may use (default {d.memory_mb}, or GK_MEMORY_LIMIT_MB)")
    p.add_argument("--max-bytes", dest="max_bytes", type=int, metavar="BYTES",
                   help=f"refuse larger files (default {d.max_bytes}, or GK_MAX_BYTES)")
