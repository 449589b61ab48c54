"""A partitioned-Parquet index of the cache, for queries over the whole library (DuckDB reads it:
see `gkcore.store.query`).

The cache entries are the truth; the index is derived from them and can be rebuilt at any time
(delete the folder). It lives beside the entries, in `cache.root / index_folder()` (the parser's version and
the layout's, `index-v3.2`):

    index-v3.2/
      manifest.json                 the segments in use and the entries (sha256) each covers
      seg-<id>/<part>/year=2024/data.parquet     part: reports cells checks figures metrics shares
      seg-<id>/<part>/year=__HIVE_DEFAULT_PARTITION__/data.parquet   (reports without a year)

`refresh()` compares the entries with the manifest: entries not yet indexed go into new segments
(several processes build them when there are many), segments holding an entry that has left the
cache are rewritten without it, and many small segments are merged. A segment is written in a
`.tmp-*` folder and renamed; the manifest is replaced with `os.replace`; so a killed process
leaves at most an orphan folder, which is ignored (only the manifest says what is in use) and
removed by the next refresh. Writers take an exclusive file lock; readers never lock.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from ..parse.version import PARSER_VERSION
from .cache import Cache
from .locks import file_lock
from .segments import (
    COUNTS,
    LAYOUT,
    NO_YEAR,
    PARTS,
    ROW,
    SEGMENT_REPORTS,
    STATUS_COUNTS,
    Segment,
    Snapshot,
    build_segment,
    rewrite,
    year_key,
)

__all__ = ["COUNTS", "NO_YEAR", "PARTS", "ROW", "STATUS_COUNTS", "Segment", "Snapshot", "Store", "year_key"]
log = logging.getLogger(__name__)

MAX_SEGMENTS = 8              # more than this and the small ones are merged
PARALLEL_FROM = 2 * SEGMENT_REPORTS   # new entries from which segments are built in worker processes
MANIFEST = "manifest.json"
INDEX_ONLY = "index_only"     # manifest key: written directly, no cache entries behind it


class Store:
    def __init__(self, cache: Cache, jobs: int | None = None) -> None:
        self.cache = cache
        self.dir = cache.root / index_folder()
        self.jobs = jobs or os.cpu_count() or 1
        self.skipped: dict[str, int] = {}  # unreadable entries -> their mtime (retried once changed)

    # ---- reading the manifest -------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        p = self.dir / MANIFEST
        if not p.exists():
            return Snapshot(self.dir, ())
        data = json.loads(p.read_text(encoding="utf-8"))
        return Snapshot(self.dir, tuple(Segment.from_json(s) for s in data["segments"]))

    def _write_manifest(self, segments: list[Segment], index_only: bool = False) -> None:
        tmp = self.dir / f".manifest-{uuid.uuid4().hex}.tmp"
        doc: dict[str, object] = {"parser_version": PARSER_VERSION, "segments": [s.to_json() for s in segments]}
        if index_only:
            doc[INDEX_ONLY] = True
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.dir / MANIFEST)        # atomic: readers see the old or the new list

    def index_only(self) -> bool:
        """Whether the index was written directly, with no cache entries behind it (a national
        library built by bench/national.py, or by another engine: docs/index.md); refresh() then
        leaves it as it is."""
        p = self.dir / MANIFEST
        return p.exists() and bool(json.loads(p.read_text(encoding="utf-8")).get(INDEX_ONLY))

    def publish(self, segments: list[Segment]) -> Snapshot:
        """Make segments written directly (segments.write_segment) the whole index, index-only."""
        with self._locked():
            self._write_manifest(segments, index_only=True)
            self._clean({s.name for s in segments})
        return self.snapshot()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with file_lock(self.dir / ".lock"):
            yield

    # ---- bringing it up to date -----------------------------------------------------------
    def refresh(self) -> Snapshot:
        """Index the entries not yet indexed, drop the ones that left the cache, merge small
        segments. Returns the new snapshot (unchanged and without writing when nothing changed,
        or when the index is index-only)."""
        if self.index_only():
            return self.snapshot()
        live = {p.name: p for p in self.cache.entries()}
        snap = self.snapshot()
        covered = snap.shas
        if not (covered - live.keys()) and not self._new(live, covered) and len(snap.segments) <= MAX_SEGMENTS:
            return snap                              # nothing to do (and nothing written)
        with self._locked():
            snap = self.snapshot()                   # another process may have done it meanwhile
            covered = snap.shas
            gone = covered - live.keys()
            new = self._new(live, covered)
            segments = list(snap.segments)
            if gone:
                hit = [s for s in segments if s.shas & gone]
                segments = [s for s in segments if not s.shas & gone]
                rest = rewrite(self.dir, hit, gone)
                segments += [rest] if rest.shas else []
            if new:
                segments += self._build([live[s] for s in new])
            if len(segments) > MAX_SEGMENTS:
                segments = self._merge(segments)
            self._write_manifest(segments)
            self._clean({s.name for s in segments})
            return Snapshot(self.dir, tuple(segments))

    def _new(self, live: dict[str, Path], covered: frozenset[str]) -> list[str]:
        return sorted(s for s in live.keys() - covered if self.skipped.get(s) != _mtime(live[s]))

    def _build(self, entries: list[Path]) -> list[Segment]:
        chunks = [entries[i:i + SEGMENT_REPORTS] for i in range(0, len(entries), SEGMENT_REPORTS)]
        if len(entries) >= PARALLEL_FROM and self.jobs > 1:
            with ThreadPoolExecutor(min(self.jobs, len(chunks))) as pool:
                built = list(pool.map(lambda c: _build_in_worker(self.dir, c), chunks))
        else:
            built = [build_segment(self.dir, c) for c in chunks]
        out = []
        where = {p.name: p for p in entries}
        for seg, bad in built:
            for sha in bad:
                log.warning("cache entry %s could not be read; left out of the index", sha)
                self.skipped[sha] = _mtime(where[sha])
            if seg.shas:
                out.append(seg)
        return out

    def _merge(self, segments: list[Segment]) -> list[Segment]:
        small = [s for s in segments if len(s.shas) < SEGMENT_REPORTS]
        if len(small) < 2 or len(segments) - len(small) + 1 > MAX_SEGMENTS:
            small = segments                          # many full segments: one merge of everything
        merged = rewrite(self.dir, small, frozenset())
        return [s for s in segments if s not in small] + [merged]

    def _clean(self, keep: set[str]) -> None:
        """Remove what no manifest lists: orphans of a killed writer, merged-away segments."""
        for p in self.dir.iterdir():
            if p.is_dir() and p.name not in keep and (p.name.startswith("seg-") or p.name.startswith(".tmp-")):
                shutil.rmtree(p, ignore_errors=True)
            elif p.name.startswith(".manifest-"):
                p.unlink(missing_ok=True)

    def rebuild(self) -> Snapshot:
        with self._locked():
            for p in self.dir.iterdir():
                if p.name != ".lock":
                    shutil.rmtree(p) if p.is_dir() else p.unlink()
        self.skipped = {}
        return self.refresh()


def index_folder() -> str:
    """The index's folder name: the parser's version, and the layout's when it is not the first
    (a new layout is a new folder, so an index of an older layout is rebuilt from the entries;
    an index-only one, such as bench/national.py's, must be written again)."""
    return f"index-v{PARSER_VERSION}" + (f".{LAYOUT}" if LAYOUT > 1 else "")


def _mtime(p: Path) -> int:
    try:
        return p.stat().st_mtime_ns
    except OSError:
        return -1


def _build_in_worker(index: Path, entries: list[Path]) -> tuple[Segment, list[str]]:
    """build_segment in a fresh interpreter (python -m gkcore.store.segments)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[2]),
                                                                     os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "gkcore.store.segments", str(index)],
                          input="\n".join(map(str, entries)), capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        log.warning("index worker failed (%s); building in this process", proc.stderr[-500:])
        return build_segment(index, entries)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return Segment.from_json(out["segment"]), list(out["bad"])
