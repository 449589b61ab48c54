"""Crash safety of the cache: `gkcore ingest` killed with SIGKILL at random points leaves only
complete entries and a rerun completes the rest; a damaged entry (a part truncated, a byte
flipped, a part or the manifest deleted) is rebuilt from its source, or removed and reported when
the source is gone too, never served; several processes writing or mending one entry at once
leave one complete entry; the temporary folders of killed writers are cleaned up, a live
writer's are not; an unreadable corrections file is reported and kept."""

from __future__ import annotations

import logging
import multiprocessing
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from gkcore import Cache, ParsedReport, parse_bytes
from gkcore.errors import CorruptCorrections
from gkcore.store.integrity import MANIFEST, STALE_AGE, TMP, TRASH, digest, temp_name

from .conftest import FIXTURES, report_fixtures

ROOT = Path(__file__).resolve().parent.parent
PINGTAN = FIXTURES / "real" / "fujian-pingtan_2023_guanweihui.txt"      # parses in ~50 ms
HUAIAN = FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf"
KILLS = 6


def _cli(*args: str, root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gkcore", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "GK_CACHE_DIR": str(root)}, timeout=120)


def _temp_folders(cache: Cache) -> list[str]:
    return sorted(p.name for p in cache.dir.iterdir() if p.name.startswith((TMP, TRASH))) if cache.dir.is_dir() else []


def _assert_only_complete(cache: Cache, expected: dict[str, ParsedReport]) -> set[str]:
    """Every entry folder verifies, loads, and holds what a fresh parse of its source gives;
    listings show exactly those entries and never a temporary folder. Returns their sha256."""
    folders = {p.name for p in cache.dir.iterdir() if not p.name.startswith(".")} if cache.dir.is_dir() else set()
    assert folders <= expected.keys()
    res = cache.verify()
    assert res.checked == len(folders) and res.damaged == ()
    assert [p.name for p in cache.entries()] == sorted(folders)
    for sha in folders:
        got = cache.get(sha)
        assert got is not None and got.cells == expected[sha].cells and got.meta.sha256 == sha
        assert cache.source(sha) is not None
    assert set(cache.frame("report")["sha256"]) == folders
    return folders


# ---- the kill test --------------------------------------------------------------------------
def _batch(folder: Path) -> dict[str, ParsedReport]:
    """24 text, web-page, Word and PDF reports (no OCR scans) copied to folder; sha256 -> the
    report a fresh in-process parse gives."""
    folder.mkdir()
    files = [p for p in report_fixtures() if "owner-password" not in p.name][:24]
    out = {}
    for p in files:
        shutil.copy(p, folder / p.name)
        data = p.read_bytes()
        out[digest(data)] = parse_bytes(data, p.name)
    assert len(out) == len(files) == 24
    return out


def _group_gone(pgid: int, timeout: float = 10.0) -> None:
    """Wait until no live (non-zombie) process of the group is left."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        alive = False
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                alive = True
                break
        if not alive:
            return
        time.sleep(0.02)
    raise AssertionError(f"process group {pgid} still alive after SIGKILL")


def _wait(cond: Callable[[], bool], proc: subprocess.Popen[bytes], limit: float) -> None:
    end = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < end and not cond():
        time.sleep(0.002)


def test_sigkill_during_ingest_leaves_only_complete_entries_and_a_rerun_completes(tmp_path: Path) -> None:
    expected = _batch(tmp_path / "in")
    root = tmp_path / "cache"
    cache = Cache(root)
    env = {**os.environ, "GK_CACHE_DIR": str(root)}
    cmd = [sys.executable, "-m", "gkcore", "ingest", "--quiet", "--jobs", "2", str(tmp_path / "in")]
    rng = random.Random(20261128)
    kills = rounds = mid_batch = 0
    left_behind: list[str] = []
    while kills < KILLS and rounds < 3 * KILLS:
        rounds += 1
        before = len(cache.entries())
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        how = rounds % 3
        if how == 0:        # at a random time from the start (imports, parsing or writing)
            _wait(lambda: False, proc, rng.uniform(0.3, 2.5))
        elif how == 1:      # a random moment after the next entry appeared
            _wait(lambda n=before: len(cache.entries()) > n, proc, 120)
            _wait(lambda: False, proc, rng.uniform(0, 0.3))
        else:               # while a writer is filling a temporary folder
            _wait(lambda: bool(_temp_folders(cache)), proc, 120)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
        _group_gone(proc.pid)
        left_behind += _temp_folders(cache)
        done = _assert_only_complete(cache, expected)
        mid_batch += before < len(done) < len(expected) and proc.returncode == -signal.SIGKILL
        if done == expected.keys():
            break
    assert kills >= KILLS - 1, f"only {kills} kills landed in {rounds} rounds"
    assert mid_batch >= 2, "the kills did not interrupt the batch while it was writing"
    assert len(cache.entries()) < len(expected), "the kills left nothing for the rerun to do"

    final = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert "Traceback" not in final.stderr
    assert _assert_only_complete(cache, expected) == expected.keys()
    # the rerun's writers deleted what killed writers left; verify --repair deletes the rest
    v = _cli("verify", "--repair", root=root)
    assert v.returncode == 0 and f"verified {len(expected)} entries" in v.stdout, v.stdout + v.stderr
    assert _temp_folders(cache) == []
    print(f"{kills} kills in {rounds} rounds ({mid_batch} after some entries of the run were written); "
          f"temporary folders left by kills: {len(left_behind)}")


# ---- damaged entries ------------------------------------------------------------------------
def _flip(path: Path) -> None:
    before = path.read_bytes()
    data = bytearray(before)
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))
    after = path.read_bytes()
    assert after != before and len(after) == len(before)


def _truncate(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.truncate(size // 2)
    assert path.stat().st_size == size // 2


DAMAGE: dict[str, tuple[Callable[[Path], None], bool, str]] = {
    # kind: (what is done to the entry folder, found by the cheap check of listings, problem reported)
    "truncated part": (lambda e: _truncate(e / "cells.parquet"), True, "cells.parquet: .* bytes, .* expected"),
    "flipped byte": (lambda e: _flip(e / "cells.parquet"), False, r"cells.parquet: content differs"),
    "deleted part": (lambda e: (e / "checks.parquet").unlink(), True, "checks.parquet missing"),
    "deleted manifest": (lambda e: (e / MANIFEST).unlink(), True, "manifest.json missing"),
    "flipped manifest": (lambda e: _flip(e / MANIFEST), True, "manifest.json"),
}


@pytest.fixture
def entry(tmp_path: Path) -> tuple[Cache, ParsedReport]:
    cache = Cache(tmp_path / "c")
    data = PINGTAN.read_bytes()
    report = parse_bytes(data, PINGTAN.name)
    cache.put(report, data)
    assert cache.verify().damaged == ()
    return cache, report


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_entry_is_found_and_rebuilt_from_its_source_by_get(kind: str, entry: tuple[Cache, ParsedReport],
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    cache, report = entry
    sha = report.meta.sha256
    damage, cheap, problem = DAMAGE[kind]
    damage(cache.path(sha))
    assert cache.has(sha) is not cheap
    assert [p.name for p in cache.entries()] == ([] if cheap else [sha])
    found = cache.verify()                   # without repair: reported, nothing changed
    assert [d.sha256 for d in found.damaged] == [sha] and found.unrepaired == found.damaged
    assert found.rebuilt == () and found.removed == () and re.search(problem, found.damaged[0].problem)
    assert cache.verify().damaged == found.damaged     # …and still there: verify alone mends nothing
    with caplog.at_level(logging.WARNING, logger="gkcore.store.cache"):
        got = cache.get(sha)
    assert got == report                     # the rebuilt entry, not the damaged one
    assert any("rebuilt from its source" in r.getMessage() for r in caplog.records)
    assert cache.verify().damaged == () and _temp_folders(cache) == []
    assert _assert_only_complete(cache, {sha: report}) == {sha}


def test_verify_repair_rebuilds_and_the_command_says_so(entry: tuple[Cache, ParsedReport]) -> None:
    cache, report = entry
    sha = report.meta.sha256
    _flip(cache.path(sha) / "figures.parquet")
    found = _cli("verify", root=cache.root)
    assert found.returncode == 1
    assert f"{sha}: 已损坏 / damaged: figures.parquet: content differs" in found.stdout
    assert "python -m gkcore verify --repair" in found.stdout
    fixed = _cli("verify", "--repair", root=cache.root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert f"{sha}: 已用原文件重建 / rebuilt from its source" in fixed.stdout
    assert "1 damaged, 1 rebuilt, 0 removed" in fixed.stdout
    assert _cli("verify", root=cache.root).returncode == 0
    assert cache.get(sha) == report


def test_a_flipped_byte_in_a_data_page_is_not_served_by_the_listing(entry: tuple[Cache, ParsedReport]) -> None:
    cache, report = entry
    sha = report.meta.sha256
    good = cache.frame("cells")
    path = cache.path(sha) / "cells.parquet"
    col = pq.ParquetFile(path).metadata.row_group(0).column(good.columns.get_loc("raw"))
    data = bytearray(path.read_bytes())
    at = col.data_page_offset + col.total_compressed_size - 3        # inside the last page of "raw"
    data[at] ^= 0x20
    path.write_bytes(bytes(data))
    assert cache.verify().damaged != ()                # the listing's cheap check cannot see it…
    assert cache.frame("cells").equals(good)           # …but the page checksum does: rebuilt on the way
    assert cache.verify().damaged == ()


@pytest.mark.parametrize("source", ["deleted", "flipped"])
def test_damaged_entry_without_a_good_source_is_removed_and_reported(source: str, entry: tuple[Cache, ParsedReport],
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    cache, report = entry
    sha = report.meta.sha256
    folder = cache.path(sha)
    if source == "deleted":
        (folder / "source.bin").unlink()
    else:
        _flip(folder / "source.bin")
    _truncate(folder / "cells.parquet")
    assert cache.source(sha) is None                  # damaged bytes are never served
    with caplog.at_level(logging.ERROR, logger="gkcore.store.cache"):
        res = cache.verify(repair=True)
    assert res.rebuilt == () and [d.sha256 for d in res.removed] == [sha]
    why = "source.bin missing" if source == "deleted" else "source.bin damaged too"
    assert "cells.parquet" in res.removed[0].problem and why in res.removed[0].problem
    assert res.unrepaired == res.damaged != ()
    assert any(sha in r.getMessage() and "removed" in r.getMessage() for r in caplog.records)
    assert not folder.exists() and cache.entries() == [] and cache.get(sha) is None
    assert _temp_folders(cache) == []


def test_get_never_serves_an_entry_it_cannot_rebuild(entry: tuple[Cache, ParsedReport]) -> None:
    cache, report = entry
    sha = report.meta.sha256
    (cache.path(sha) / "source.bin").unlink()
    _flip(cache.path(sha) / "checks.parquet")
    assert cache.get(sha) is None and not cache.path(sha).exists()


def test_verify_command_fails_when_an_entry_is_lost(entry: tuple[Cache, ParsedReport]) -> None:
    cache, report = entry
    sha = report.meta.sha256
    (cache.path(sha) / "source.bin").unlink()
    (cache.path(sha) / MANIFEST).unlink()
    out = _cli("verify", "--repair", root=cache.root)
    assert out.returncode == 1
    assert f"{sha}: 无法重建，已移除，请重新导入原文件 / removed" in out.stdout and "source.bin missing" in out.stdout
    assert "1 damaged, 0 rebuilt, 1 removed" in out.stdout


def test_an_entry_whose_source_no_longer_parses_is_removed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    data = "关于征求意见的通知\n这不是年度报告。\n".encode()     # hashes right, parses to an error
    parsed = parse_bytes(PINGTAN.read_bytes(), PINGTAN.name)
    cache.put(replace(parsed, meta=replace(parsed.meta, sha256=digest(data))), data)
    sha = digest(data)
    _truncate(cache.path(sha) / "report.parquet")
    res = cache.verify(repair=True)
    assert [d.sha256 for d in res.removed] == [sha]
    assert "the source no longer parses: 该文件不是政府信息公开工作年度报告" in res.removed[0].problem
    assert cache.entries() == [] and not cache.path(sha).exists() and _temp_folders(cache) == []
    aside = cache.dir / f".damaged-{sha}"           # an intact source is never deleted
    assert (aside / "source.bin").read_bytes() == data and cache.get(sha) is None
    assert cache.verify().checked == 0 and cache.cleanup() == []
    cache.put(replace(parsed, meta=replace(parsed.meta, sha256=sha)), data)   # ingested again
    assert cache.cleanup() == [aside.name] and not aside.exists() and cache.has(sha)


# ---- several processes at once ----------------------------------------------------------------
def _put_together(root: str, path: str, barrier: Barrier) -> None:
    data = Path(path).read_bytes()
    report = parse_bytes(data, Path(path).name)
    barrier.wait(timeout=60)
    Cache(root).put(report, data)


def _get_together(root: str, sha: str, barrier: Barrier,
                  out: Queue[bytes]) -> None:
    cache = Cache(root)
    barrier.wait(timeout=60)
    got = cache.get(sha)
    out.put(b"" if got is None else repr(got.cells).encode())


def _together(target: Callable[..., None], *args: object, n: int = 4) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(n)
    procs = [ctx.Process(target=target, args=(*args, barrier)) for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * n


def test_concurrent_puts_of_one_entry_all_succeed_and_leave_one_complete_entry(tmp_path: Path) -> None:
    root = tmp_path / "c"
    _together(_put_together, str(root), str(HUAIAN))
    cache = Cache(root)
    report = parse_bytes(HUAIAN.read_bytes(), HUAIAN.name)
    assert [p.name for p in cache.dir.iterdir()] == [report.meta.sha256]
    assert _assert_only_complete(cache, {report.meta.sha256: report}) == {report.meta.sha256}


def test_concurrent_readers_of_a_damaged_entry_all_get_the_rebuilt_report(entry: tuple[Cache, ParsedReport]) -> None:
    cache, report = entry
    sha = report.meta.sha256
    _truncate(cache.path(sha) / "cells.parquet")
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    barrier = ctx.Barrier(3)
    procs = [ctx.Process(target=_get_together, args=(str(cache.root), sha, barrier, out)) for _ in range(3)]
    for p in procs:
        p.start()
    got = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0] * 3
    assert got == [repr(report.cells).encode()] * 3       # each reader gets the report whole
    assert [p.name for p in cache.dir.iterdir()] == [sha]
    assert _assert_only_complete(cache, {sha: report}) == {sha}


# ---- leftovers of killed writers --------------------------------------------------------------
def _named(prefix: str, pid: int) -> str:
    bits = temp_name(prefix).split("-")
    bits[2] = str(pid)
    return "-".join(bits)


def test_stale_temporary_folders_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    cache.dir.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    zombie = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    zombie.send_signal(signal.SIGKILL)      # killed, not reaped: a zombie writes nothing more
    time.sleep(0.3)
    try:
        stale = [_named(TMP, dead.pid), _named(TRASH, dead.pid), _named(TMP, zombie.pid), ".tmp-old_mkdtemp"]
        live_name = _named(TMP, live.pid)
        kept = [live_name, _named(TMP, os.getpid()), ".tmp-young_mkdtemp"]
        for name in stale + kept:
            (cache.dir / name).mkdir()
            (cache.dir / name / "cells.parquet").write_bytes(b"half")
        old = time.time() - STALE_AGE - 60
        os.utime(cache.dir / ".tmp-old_mkdtemp", (old, old))
        outside = [tmp_path / "c" / "index-v2" / "seg-1", tmp_path / "c" / _named(TMP, dead.pid)]
        for p in outside:                   # not the cache's to clean (the index lives beside it)
            p.mkdir(parents=True)
        data = PINGTAN.read_bytes()
        report = parse_bytes(data, PINGTAN.name)
        cache.put(report, data)             # a process's first write tidies up first
        assert _temp_folders(cache) == sorted(kept)
        assert all(p.is_dir() for p in outside)
        assert cache.cleanup() == []        # live writers' folders are never taken
        live.kill()
        live.wait()
        assert cache.cleanup() == [live_name]
        assert [p.name for p in cache.entries()] == [report.meta.sha256] and cache.get(report.meta.sha256) == report
    finally:
        for p in (live, zombie):
            p.kill()
            p.wait()


# ---- corrections ------------------------------------------------------------------------------
def test_unreadable_corrections_are_reported_and_kept(tmp_path: Path) -> None:
    from gkcore.library import Library
    cache = Cache(tmp_path / "c")
    data = PINGTAN.read_bytes()
    cache.put(parse_bytes(data, PINGTAN.name), data)
    cache.corrections_path.write_bytes(b"PAR1 this is not what was saved")
    saved = cache.corrections_path.read_bytes()
    with pytest.raises(CorruptCorrections, match="corrections.parquet.*已损坏"):
        cache.read_corrections()
    lib = Library(cache)
    reports = lib.reports()                     # the library still serves the reports
    assert len(reports) == 1
    assert "已损坏" in lib.corrections_error and "damaged" in lib.corrections_error
    rid = str(reports.iloc[0]["report_id"])
    cell = lib.cells([rid]).iloc[0]
    with pytest.raises(CorruptCorrections, match="新的更正不会保存"):
        lib.correct(rid, str(cell["table"]), str(cell["row"]), str(cell["col"]), "1", "test")
    assert cache.corrections_path.read_bytes() == saved   # never overwritten with an empty log
    assert isinstance(lib.frames().corrections, pd.DataFrame) and lib.frames().corrections.empty
