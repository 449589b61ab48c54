"""Cache entries as functions over a folder (the cache's versioned folder, `Cache.dir`): check
one, list them, read a source, write one atomically, install a folder in its place, tidy up.
`cache.Cache` composes them with the parse; `mend` rebuilds damaged ones with them, so the
two never reach into each other."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from pathlib import Path

from ..model import ParsedReport
from ..parse.version import PARSER_VERSION
from .integrity import (
    ASIDE,
    MANIFEST,
    SOURCE,
    TMP,
    TRASH,
    cheap_problem,
    clean_stale,
    digest,
    full_problem,
    is_sha,
    manifest_bytes,
    temp_name,
)
from .parts import parts_bytes

PARTS = ("report", "cells", "checks", "figures", "outline")
PART_FILES = tuple(f"{k}.parquet" for k in PARTS)
log = logging.getLogger("gkcore.store.cache")


def cheap(folder: Path, sha: str) -> str:
    """What is wrong with an entry by the cheap check (manifest, sizes); "" when nothing."""
    return cheap_problem(str(folder / sha), sha, PARSER_VERSION, PART_FILES)


def full(folder: Path, sha: str, source: bool = False) -> tuple[str, dict[str, bytes]]:
    """What is wrong with an entry by its hashes (the source's too when `source`), and its files."""
    return full_problem(str(folder / sha), sha, PARSER_VERSION, PART_FILES, () if source else (SOURCE,))


def names(folder: Path, prefix: str = "") -> list[str]:
    """The sha256 of the entry folders (of those set aside, with prefix ASIDE)."""
    n = len(prefix)
    try:
        return sorted(d.name[n:] for d in os.scandir(folder)
                      if d.name.startswith(prefix) and is_sha(d.name[n:]) and d.is_dir())
    except OSError:
        return []


def read_source(folder: Path, sha: str) -> tuple[bytes | None, str]:
    """An entry's original bytes, or None and why (missing, or not hashing to its key)."""
    try:
        data = (folder / sha / SOURCE).read_bytes()
    except OSError:
        return None, f"{SOURCE} missing"
    if digest(data) != sha:
        return None, f"{SOURCE} damaged too"
    return data, ""


def write(folder: Path, report: ParsedReport, source: bytes | None = None) -> Path:
    """Write a report's entry in a temporary folder, then install it (a good one there is kept)."""
    sha = report.meta.sha256
    final = folder / sha
    if final.is_dir() and not cheap(folder, sha):
        return final
    if source is not None and digest(source) != sha:
        raise ValueError(f"source bytes do not hash to {sha}")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / temp_name(TMP)
    tmp.mkdir()
    try:
        files = {f"{k}.parquet": data for k, data in parts_bytes(report).items()}
        if source is not None:
            files[SOURCE] = source      # for the page images, and to rebuild a damaged entry
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        (tmp / MANIFEST).write_bytes(manifest_bytes(sha, PARSER_VERSION, report.meta.source_name, files))
        install(folder, tmp, sha)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def install(folder: Path, tmp: Path, sha: str, by_hashes: bool = False) -> None:
    """Rename a complete folder into place (atomic: the entry appears whole or not at all).
    A good entry already there (a concurrent writer's) is kept; a damaged one (by the cheap
    check, or by the hashes when by_hashes) is moved aside, replaced, then deleted."""
    final = folder / sha
    try:
        os.rename(tmp, final)
        return
    except OSError:
        if not final.is_dir():
            raise
    if not (full(folder, sha)[0] if by_hashes else cheap(folder, sha)):
        return
    trash = folder / temp_name(TRASH)
    with contextlib.suppress(FileNotFoundError):
        os.rename(final, trash)
    try:
        os.rename(tmp, final)
    except OSError:
        if not final.is_dir():
            raise
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def cleanup(folder: Path) -> list[str]:
    """Delete the temporary folders of writers that are gone (never a live writer's), and the
    entries set aside whose report has been ingested again."""
    gone = clean_stale(folder)
    for sha in names(folder, ASIDE):
        if (folder / sha).is_dir() and not cheap(folder, sha):
            shutil.rmtree(folder / f"{ASIDE}{sha}", ignore_errors=True)
            gone.append(f"{ASIDE}{sha}")
    if gone:
        log.info("removed %d stale temporary folders from %s", len(gone), folder)
    return gone
