"""Parsed reports on disk as Parquet, keyed by the SHA-256 of the source bytes and the parser
version. An entry is a folder of four Parquet files, the source bytes and a manifest (each file's
size and SHA-256, written last), built in a temporary folder and renamed into place in one step,
so a killed process never leaves a half-written entry.

Listings (`entries`, `frame`) check each entry cheaply (manifest present, sizes match); `get`
checks the hashes before serving. A damaged entry is rebuilt from its source (reparsed, then
swapped in), or removed and reported when the source is missing or damaged too: never served.
`verify(repair=True)` does this for every entry and deletes the temporary folders of writers
that were killed."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CorruptCorrections
from ..model import ParsedReport
from ..parse.isolate import parse_isolated
from ..parse.limits import Limits
from ..parse.version import PARSER_VERSION
from . import entries as folder_ops
from . import mend
from .entries import PARTS
from .integrity import Damage, Verification, scan_each, scan_entries

if TYPE_CHECKING:
    import pandas as pd

    from ..parse.readers.pdf import Progress

# pandas is imported where frames are read (a hit, a listing), not to write an entry: an entry's
# Parquet parts are written by pyarrow alone (gkcore/store/parts.py), which keeps 0.3 s of pandas
# out of the start of `gkcore parse` (bench/parse_speed.py).

_CHECKOUT = next(p for p in Path(__file__).resolve().parents if p.name == "gkcore").parent
# in a checkout, data/cache beside the dashboard; installed (pip install .), the user's data folder
DEFAULT_DIR = (_CHECKOUT / "data" / "cache" if (_CHECKOUT / "pyproject.toml").is_file()
               else Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "gkcore" / "cache")
log = logging.getLogger(__name__)
_TIDIED: set[Path] = set()          # cache folders whose stale temporary folders this process removed
_REPORTED: set[tuple[str, str]] = set()


def default_root() -> Path:
    return Path(os.environ.get("GK_CACHE_DIR") or DEFAULT_DIR)


class Cache:
    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root else default_root()
        self.dir = self.root / f"v{PARSER_VERSION}"

    def path(self, sha256: str) -> Path:
        return self.dir / sha256

    def has(self, sha256: str) -> bool:
        """Whether a complete entry (by the cheap check) is there."""
        return self.path(sha256).is_dir() and not folder_ops.cheap(self.dir, sha256)

    def get(self, sha256: str) -> ParsedReport | None:
        """The report, after its files are checked against the manifest; a damaged entry is
        rebuilt from its source first (None when it could not be: it is removed, and logged)."""
        mended = False
        for _ in range(4):
            if not self.path(sha256).is_dir():
                if not mended:
                    return None
                time.sleep(0.02)            # moved aside for a moment by a concurrent repair
                continue
            problem, files = folder_ops.full(self.dir, sha256)
            if not problem:
                try:
                    import pandas as pd

                    from ..model.frames import report_from_frames
                    from ..parse.checks import severity_of

                    f = {k: pd.read_parquet(io.BytesIO(files[f"{k}.parquet"])) for k in PARTS}
                    return report_from_frames(f["report"].iloc[0], f["cells"], f["checks"], f["figures"],
                                              f["outline"], severity_of)
                except Exception as exc:  # noqa: BLE001 — hashes match but Parquet cannot read it
                    problem = f"unreadable: {type(exc).__name__}: {exc}"
            if mended:
                time.sleep(0.02)            # read while a concurrent repair swapped folders
                continue
            if self._mend(sha256, problem) is not None:
                return None
            mended = True
        return None

    def stamp(self) -> tuple[int, int]:
        """Changes whenever an entry is added (the folder's mtime) or a correction is saved."""
        d = self.dir.stat().st_mtime_ns if self.dir.is_dir() else 0
        c = self.corrections_path.stat().st_mtime_ns if self.corrections_path.exists() else 0
        return d, c

    @property
    def corrections_path(self) -> Path:
        return self.root / "corrections.parquet"

    def read_corrections(self) -> pd.DataFrame | None:
        """The saved corrections (None when none were saved). An unreadable file raises
        CorruptCorrections and is left untouched, for the user to restore."""
        p = self.corrections_path
        if not p.exists():
            return None
        try:
            import pandas as pd

            return pd.read_parquet(p)
        except Exception as exc:  # noqa: BLE001 — whatever Arrow says, the file cannot be read
            log.error("corrections file %s cannot be read: %s", p, exc)
            raise CorruptCorrections(str(p)) from exc

    def source(self, sha256: str) -> bytes | None:
        """The original bytes; None when missing or damaged (their SHA-256 is not the key)."""
        data, why = folder_ops.read_source(self.dir, sha256)
        if data is None and "damaged" in why:
            log.error("cache entry %s: %s; not served", sha256, why)
        return data

    def put(self, report: ParsedReport, source: bytes | None = None) -> Path:
        if self.dir not in _TIDIED:         # the first write of a process deletes what killed writers left
            _TIDIED.add(self.dir)
            self.cleanup()
        return folder_ops.write(self.dir, report, source)

    def cleanup(self) -> list[str]:
        """Delete the temporary folders of writers that are gone (never a live writer's), and
        the entries set aside whose report has been ingested again."""
        return folder_ops.cleanup(self.dir)

    def load_or_parse(self, data: bytes, name: str = "report", progress: Progress | None = None,
                      limits: Limits | None = None) -> tuple[ParsedReport, bool]:
        """The parsed report and whether it came from this cache (see the function of that name)."""
        sha = hashlib.sha256(data).hexdigest()
        hit = self.get(sha)
        if hit is not None:
            return hit, True
        report = parse_isolated(data, name, progress, limits)
        self.put(report, data)
        return report, False

    def _mend(self, sha: str, problem: str) -> Damage | None:
        """Rebuild a damaged entry (see gkcore/store/mend.py); None when rebuilt, else the loss."""
        return mend.mend(self.dir, sha, problem, lambda data, name: parse_isolated(data, name))

    def verify(self, repair: bool = False) -> Verification:
        """Check every entry by its hashes (the source's too). With repair, rebuild the damaged
        ones from their source, remove those that cannot be, and delete stale temporary folders."""
        return mend.verify(self.dir, repair, lambda data, name: parse_isolated(data, name))

    def scan(self) -> tuple[list[Path], list[Damage]]:
        """The complete entries (sorted) and the damaged ones, by the cheap check."""
        good, bad = [], []
        for sha in folder_ops.names(self.dir):
            if problem := folder_ops.cheap(self.dir, sha):
                bad.append(Damage(sha, problem))
                if (sha, problem) not in _REPORTED:
                    _REPORTED.add((sha, problem))
                    log.warning("cache entry %s left out: %s", sha, problem)
            else:
                good.append(self.path(sha))
        return good, bad

    def entries(self) -> list[Path]:
        """The complete entries, sorted; a damaged one (by the cheap check) is left out."""
        return self.scan()[0]

    def frame(self, part: str) -> pd.DataFrame:
        """One part ("report", "cells", "checks", "figures") of every complete entry. Damaged
        entries found on the way are rebuilt (or removed) first."""
        good, bad = self.scan()
        for d in bad:
            self._mend(d.sha256, d.problem)
        if bad:
            good = self.entries()
        try:
            return scan_entries(good, part)
        except (OSError, ValueError):   # a byte flipped (page checksum), or a file moved meanwhile
            log.warning("scanning the cache failed; checking every entry by its hashes")
        for p in good:
            if problem := folder_ops.full(self.dir, p.name)[0]:
                self._mend(p.name, problem)
        good = self.entries()
        try:
            return scan_entries(good, part)
        except (OSError, ValueError):
            return scan_each(good, part)


def load_or_parse(data: bytes, name: str = "report", cache: Cache | None = None,
                  progress: Progress | None = None, limits: Limits | None = None) -> tuple[ParsedReport, bool]:
    """The parsed report and whether it came from the cache. A parse runs in a child process
    within `limits` (default: Limits.from_env(); see gkcore/parse/isolate.py). A failed parse
    raises a GkError and writes nothing."""
    return (cache or Cache()).load_or_parse(data, name, progress, limits)
