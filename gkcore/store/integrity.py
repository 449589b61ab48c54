"""The integrity of a cache entry, and the leftovers of writers that were killed.

Each entry folder holds `manifest.json`, written last before the folder is renamed into place:
the entry's sha256, the parser version, the source file's name and, for every other file, its
size and SHA-256. The cheap check (for listings: one stat per file, the manifest read once per
process) finds a missing manifest, a missing or truncated file; the full check (before a report
is served) also finds a flipped byte.

Temporary folders are named `.tmp-<random>-<pid>-<host>` (and `.trash-…`), so a dead writer's
leftovers can be told from a folder a live writer is still filling.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import secrets
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# pandas, pyarrow.dataset and the frames are imported by the functions that read entries, so
# that writing one (gkcore parse) does without them (gkcore/store/parts.py)

MANIFEST = "manifest.json"
SOURCE = "source.bin"                # the report's own bytes, to rebuild the entry from
ASIDE = ".damaged-"                  # an entry whose intact source no longer parses, kept for the user
TMP = ".tmp-"
TRASH = ".trash-"
#: seconds after which a temporary folder is stale whoever made it (another host, an old
#: name without a pid, or a pid since reused): a writer fills its folder in seconds
STALE_AGE = 24 * 3600
log = logging.getLogger("gkcore.store.cache")
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_sha(name: str) -> bool:
    return len(name) == 64 and not name.strip("0123456789abcdef")


@dataclass(frozen=True)
class FileSum:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    sha256: str
    parser_version: str
    source_name: str
    files: tuple[FileSum, ...]


def manifest_bytes(sha256: str, parser_version: str, source_name: str, files: dict[str, bytes]) -> bytes:
    obj = {"sha256": sha256, "parser_version": parser_version, "source_name": source_name,
           "files": {name: {"size": len(b), "sha256": digest(b)} for name, b in sorted(files.items())}}
    return json.dumps(obj, ensure_ascii=False, indent=1).encode()


def parse_manifest(raw: bytes) -> Manifest | None:
    """The manifest, or None when the bytes are not a whole, well-formed one."""
    try:
        obj = json.loads(raw)
        files = tuple(FileSum(str(n), int(f["size"]), str(f["sha256"])) for n, f in obj["files"].items())
        return Manifest(str(obj["sha256"]), str(obj["parser_version"]), str(obj["source_name"]), files)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


# manifest path -> (inode, mtime, size) of the file read, and what it held; a manifest is never
# rewritten in place (a repaired entry is a new folder), so the stat tells when to read again
_MEMO: dict[str, tuple[tuple[int, int, int], Manifest | None]] = {}


def read_manifest(folder: str) -> Manifest | None:
    path = f"{folder}/{MANIFEST}"
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = (st.st_ino, st.st_mtime_ns, st.st_size)
    hit = _MEMO.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            m = parse_manifest(os.read(fd, st.st_size + 1))
        finally:
            os.close(fd)
    except OSError:
        return None
    _MEMO[path] = (key, m)
    return m


def cheap_problem(folder: str, sha256: str, version: str, required: tuple[str, ...]) -> str:
    """What is wrong with the entry by its manifest and file sizes ("" when nothing is)."""
    m = read_manifest(folder)
    if m is None:
        return f"{MANIFEST} missing or unreadable"
    if m.sha256 != sha256 or m.parser_version != version:
        return f"{MANIFEST} belongs to another entry ({m.sha256[:12]}, parser {m.parser_version})"
    names = {f.name for f in m.files}
    if missing := [n for n in required if n not in names]:
        return f"{MANIFEST} lists no {', '.join(missing)}"
    for f in m.files:
        try:
            size = os.stat(f"{folder}/{f.name}").st_size
        except OSError:
            return f"{f.name} missing"
        if size != f.size:
            return f"{f.name}: {size} bytes, {f.size} expected"
    return ""


def full_problem(folder: str, sha256: str, version: str, required: tuple[str, ...],
                 skip: tuple[str, ...] = ()) -> tuple[str, dict[str, bytes]]:
    """What is wrong with the entry by the hashes of its files ("" when nothing is), and the
    bytes read (every file listed but those in skip)."""
    if problem := cheap_problem(folder, sha256, version, required):
        return problem, {}
    m = read_manifest(folder)
    assert m is not None
    out: dict[str, bytes] = {}
    for f in m.files:
        if f.name in skip:
            continue
        try:
            data = Path(folder, f.name).read_bytes()
        except OSError:
            return f"{f.name} unreadable", {}
        if len(data) != f.size or digest(data) != f.sha256:
            return f"{f.name}: content differs from the manifest (SHA-256)", {}
        out[f.name] = data
    return "", out


def temp_name(prefix: str) -> str:
    """A fresh name for a temporary folder of this process."""
    return f"{prefix}{secrets.token_hex(4)}-{os.getpid()}-{_HOST}"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:   # a zombie (killed, not yet reaped) writes nothing any more
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def is_stale(path: Path, now: float | None = None) -> bool:
    """Whether a temporary folder was left by a writer that is gone: its process (on this host)
    is dead, or it is older than STALE_AGE."""
    try:
        age = (now or time.time()) - path.lstat().st_mtime
    except OSError:
        return False
    if age > STALE_AGE:
        return True
    bits = path.name.split("-")
    if len(bits) == 4 and bits[2].isdigit() and bits[3] == _HOST:
        return not _alive(int(bits[2]))
    return False


def clean_stale(folder: Path) -> list[str]:
    """Delete the stale `.tmp-*` and `.trash-*` folders directly in folder; their names."""
    out = []
    try:
        found = list(os.scandir(folder))
    except OSError:
        return []
    now = time.time()
    for d in found:
        if d.name.startswith((TMP, TRASH)) and d.is_dir(follow_symlinks=False) and is_stale(Path(d.path), now):
            shutil.rmtree(d.path, ignore_errors=True)
            out.append(d.name)
    return sorted(out)


# ---- values and Parquet helpers of the cache ----------------------------------------------
@dataclass(frozen=True)
class Damage:
    sha256: str
    problem: str        # what is wrong, and for a removed entry why it could not be rebuilt


@dataclass(frozen=True)
class Verification:
    """What `Cache.verify` found and did."""

    checked: int                        # entries examined
    damaged: tuple[Damage, ...] = ()    # every damaged entry found
    rebuilt: tuple[str, ...] = ()       # sha256 of the entries rebuilt from their source
    removed: tuple[Damage, ...] = ()    # entries removed: the loss, and why (no usable source)
    cleaned: tuple[str, ...] = ()       # stale temporary folders deleted
    repaired: bool = False              # whether repairs were attempted

    @property
    def unrepaired(self) -> tuple[Damage, ...]:
        """The damage not mended: every damaged entry when not repairing, else the ones lost."""
        return tuple(d for d in self.damaged if d.sha256 not in self.rebuilt)


def _empty(part: str) -> pd.DataFrame:
    from ..model.frames import cells_frame, checks_frame, figures_frame, reports_frame

    return {"report": reports_frame, "cells": cells_frame, "checks": checks_frame, "figures": figures_frame}[part]([])


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """A frame as Parquet, by pandas (an entry's parts are written by gkcore/store/parts.py,
    which gives the same bytes without pandas)."""
    buf = io.BytesIO()
    df.to_parquet(buf, index=False, write_page_checksum=True)
    return buf.getvalue()


def scan_entries(entries: list[Path], part: str) -> pd.DataFrame:
    if not entries:
        return _empty(part)
    import pyarrow.dataset as pads

    # one Arrow scan over all the files: about 20x faster than a read_parquet per file
    opts = pads.ParquetFragmentScanOptions(page_checksum_verification=True)
    files = [str(p / f"{part}.parquet") for p in entries]
    return pads.dataset(files, format=pads.ParquetFileFormat(default_fragment_scan_options=opts)).to_table().to_pandas()


def scan_each(entries: list[Path], part: str) -> pd.DataFrame:
    """The last resort: entry by entry, leaving out (and logging) the ones that cannot be read."""
    frames = []
    for p in entries:
        try:
            frames.append(scan_entries([p], part))
        except (OSError, ValueError) as exc:
            log.error("cache entry %s left out: %s", p.name, exc)
    if not frames:
        return _empty(part)
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def source_name(folder: Path) -> str:
    """The file name the entry was parsed from (its manifest, else its report part)."""
    m = read_manifest(str(folder))
    if m is not None:
        return m.source_name
    try:
        import pandas as pd

        return str(pd.read_parquet(folder / "report.parquet", columns=["source_name"]).iloc[0, 0])
    except Exception:  # noqa: BLE001 — the name only words messages
        return "report"
