"""One file of an ingest, wherever it runs: a thread of `gkcore ingest`, or a Dask worker of
`gkcore ingest --cluster` (gkcore/store/cluster.py). The file (or each report inside a ZIP archive) is
parsed in a child process within the limits (gkcore/parse/isolate.py) and written to the cache at
`root` (gkcore/store/cache.py: atomic, with its manifest). Never raises: a failure is a message."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import GkError, InternalError
from ..parse.batch import expand, is_archive
from ..parse.limits import Limits
from ..parse.version import DOCUMENT_SUFFIXES
from .cache import Cache, load_or_parse

SUFFIXES = (*DOCUMENT_SUFFIXES, ".zip")
#: (name, error message or "", cache hit, sha256 of the bytes or "")
Item = tuple[str, str, bool, str]


def collect(paths: list[str]) -> list[Path]:
    """The files named, and the report files found in the folders named (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out


def ingest_one(path: str, root: str, limits: Limits | None = None, shown: str | None = None) -> list[Item]:
    """[(name, error message or "", cache hit, sha256)] for a file, or for each report inside a
    ZIP archive. `shown` is the name to report (the path as the user gave it; `path` may be its
    absolute form on a worker)."""
    shown = shown or path
    try:
        data = Path(path).read_bytes()
        if is_archive(data):
            members, skipped = expand(data, shown)
            items = [(f"{shown}/{m.name}", m.data) for m in members]
            out: list[Item] = [(f"{shown}/{m}", why, False, "") for m, why in skipped]
        else:
            items, out = [(shown, data)], []
    except GkError as exc:
        return [(shown, exc.message, False, "")]
    except OSError as exc:
        return [(shown, f"无法读取文件 / cannot read the file: {exc.strerror or exc}", False, "")]
    for name, content in items:
        sha = hashlib.sha256(content).hexdigest()
        try:
            _, hit = load_or_parse(content, Path(name).name, Cache(root), None, limits)
            out.append((name, "", hit, sha))
        except GkError as exc:
            out.append((name, exc.message, False, sha))
        except Exception as exc:  # noqa: BLE001 — reported in the summary, the batch goes on
            out.append((name, f"{InternalError().message}（{type(exc).__name__}: {exc}）", False, sha))
    return out
