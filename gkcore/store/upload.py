"""Files uploaded to a library: one file, or every report inside a ZIP archive, parsed (or found)
into the cache. Never raises for a bad file: a failure is the result's message. `gkcore.library.
Library` offers these on its cache."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import GkError, InternalError
from ..parse.batch import expand, is_archive
from ..parse.readers.pdf import Progress
from .cache import Cache, load_or_parse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    name: str
    report_id: str          # "" when the file failed
    error: str              # the user-facing message, "" on success
    cached: bool
    duplicate_of: str = ""  # the earlier file of the same batch with the same bytes


def ingest_bytes(cache: Cache, data: bytes, name: str, progress: Progress | None = None) -> IngestResult:
    """Parse (or find in the cache) one file. Never raises for a bad file."""
    try:
        report, hit = load_or_parse(data, name, cache, progress)
    except GkError as exc:
        return IngestResult(name, "", exc.message, False)
    except Exception:  # a parser bug must not take the page down: say so, log the details
        log.exception("unexpected error while parsing %s", name)
        return IngestResult(name, "", InternalError().message, False)
    return IngestResult(name, report.meta.report_id, "", hit)


def ingest_upload(cache: Cache, data: bytes, name: str, seen: dict[str, str] | None = None,
                  progress: Progress | None = None) -> list[IngestResult]:
    """One uploaded file, or every report inside a ZIP archive. `seen` (sha256 -> first
    name) spans a batch, so the same bytes uploaded twice are recognised as duplicates."""
    seen = {} if seen is None else seen
    if not is_archive(data):
        return [_once(cache, data, name, seen, progress)]
    try:
        members, skipped = expand(data, name)
    except GkError as exc:
        return [IngestResult(name, "", exc.message, False)]
    out = [_once(cache, m.data, f"{name}/{m.name}", seen, progress) for m in members]
    return out + [IngestResult(f"{name}/{m}", "", why, False) for m, why in skipped]


def _once(cache: Cache, data: bytes, name: str, seen: dict[str, str], progress: Progress | None) -> IngestResult:
    sha = hashlib.sha256(data).hexdigest()
    res = ingest_bytes(cache, data, name, progress)
    if sha in seen and not res.error:
        return replace(res, duplicate_of=seen[sha])
    seen.setdefault(sha, name)
    return res


def ingest_paths(cache: Cache, paths: Iterable[Path],
                 progress: Callable[[int, int, str], None] | None = None) -> list[IngestResult]:
    files = list(paths)
    out = []
    for i, p in enumerate(files, 1):
        out.append(ingest_bytes(cache, p.read_bytes(), p.name))
        if progress:
            progress(i, len(files), p.name)
    return out
