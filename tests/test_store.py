"""The Parquet index of the cache (gkcore/store/index.py) queried with DuckDB (gkcore/store/query.py) through
the Library: the same rows as the entries, incremental segments and merges, entries that leave
the cache, a writer killed half-way, corrections, and many threads reading at once."""

from __future__ import annotations

import hashlib
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import gkcore
from gkcore.library import Filter, Library
from gkcore.model import ParsedReport
from gkcore.store import index as store
from gkcore.store.index import Store

from .conftest import FIXTURES

EVERY = Filter(copies=True)     # every file in the index (copies of one body and year included)

DOCS = [FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf",
        FIXTURES / "real" / "jiangsu-huaian-hongze_2023_qu-zhengfu.pdf",
        FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt",
        FIXTURES / "generated" / "gen-2021-mixed-cells.pdf"]
ENTRY_PART = {"reports": "report", "cells": "cells", "checks": "checks", "figures": "figures"}


@pytest.fixture(scope="module")
def parsed() -> list[ParsedReport]:
    return [gkcore.parse_file(p) for p in DOCS]


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Library:
    lib = Library(gkcore.Cache(tmp_path_factory.mktemp("lib")))
    assert [r.error for r in lib.ingest_paths(DOCS)] == [""] * len(DOCS)
    return lib


def entry(lib: Library, rid: str, part: str) -> pd.DataFrame:
    sha = lib.reports(where=EVERY).set_index("report_id").loc[rid, "sha256"]
    return pd.read_parquet(lib.cache.path(str(sha)) / f"{ENTRY_PART[part]}.parquet")


def query(lib: Library, part: str, ids: list[str]) -> pd.DataFrame:
    return {"cells": lib.cells, "checks": lib.checks, "figures": lib.figures}[part](ids)


def copies(base: ParsedReport, n: int, start: int = 0) -> list[ParsedReport]:
    """Distinct reports (new sha and id, a year each) with the base's figures."""
    out = []
    for i in range(start, start + n):
        sha = hashlib.sha256(f"{base.meta.sha256}:{i}".encode()).hexdigest()
        out.append(replace(base, meta=replace(base.meta, sha256=sha, report_id=sha[:16], year=2020 + i % 4)))
    return out


def put(cache: gkcore.Cache, reports: list[ParsedReport]) -> list[str]:
    for r in reports:
        cache.put(r)
    return [r.meta.report_id for r in reports]


def assert_same_as_entries(lib: Library, ids: list[str]) -> None:
    for part in ("cells", "checks", "figures"):
        got = query(lib, part, ids)
        want = pd.concat([entry(lib, i, part) for i in sorted(ids)], ignore_index=True)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.stem)
def test_index_gives_the_entry_rows(full: Library, doc: Path) -> None:
    rid = hashlib.sha256(doc.read_bytes()).hexdigest()[:16]
    for part in ("cells", "checks", "figures"):
        pd.testing.assert_frame_equal(query(full, part, [rid]), entry(full, rid, part))
    rep = full.reports(where=EVERY).set_index("report_id").loc[[rid]].reset_index()
    want = entry(full, rid, "reports")
    assert "tables_json" not in rep.columns                   # read per report, never for the whole library
    pd.testing.assert_frame_equal(rep[[c for c in want.columns if c != "tables_json"]],
                                  want.drop(columns=["tables_json"]))
    row = full.row(rid)
    assert row is not None and row["tables_json"] == want.loc[0, "tables_json"]
    checks = entry(full, rid, "checks")
    assert rep.loc[0, "fail"] == (checks["status"] == "fail").sum()
    assert rep.loc[0, "unsure"] == (checks["status"] == "unsure").sum()


def test_whole_library_and_filters_match_the_entries(full: Library) -> None:
    ids = list(full.reports(where=EVERY)["report_id"])
    assert_same_as_entries(full, ids)
    cells = pd.concat([entry(full, i, "cells") for i in sorted(ids)], ignore_index=True)
    unsure = full.cells(flag="unsure")
    pd.testing.assert_frame_equal(unsure, cells[cells["flag"] == "unsure"].reset_index(drop=True))
    checks = full.checks(status=["fail"])
    assert len(checks) == full.reports(where=EVERY)["fail"].sum() > 0 and set(checks["status"]) == {"fail"}
    assert full.cells(["no-such-report"]).empty and list(full.cells([]).columns) == list(cells.columns)
    assert full.cache.dir not in full.store.dir.parents and full.store.dir.parent == full.cache.root


def test_new_entries_go_into_new_segments_and_small_segments_merge(
        tmp_path: Path, parsed: list[ParsedReport], monkeypatch: pytest.MonkeyPatch) -> None:
    cache = gkcore.Cache(tmp_path)
    lib = Library(cache)
    first = put(cache, copies(parsed[0], 3))
    assert set(lib.reports(where=EVERY)["report_id"]) == set(first)
    assert len(lib.store.snapshot().segments) == 1
    second = put(cache, copies(parsed[1], 2, start=10))
    assert set(lib.reports(where=EVERY)["report_id"]) == set(first + second)
    segs = lib.store.snapshot().segments
    assert len(segs) == 2 and sorted(len(s.shas) for s in segs) == [2, 3]
    assert_same_as_entries(lib, first + second)

    monkeypatch.setattr(store, "MAX_SEGMENTS", 2)
    third = put(cache, copies(parsed[2], 2, start=20))
    ids = first + second + third
    assert set(lib.reports(where=EVERY)["report_id"]) == set(ids)
    snap = lib.store.snapshot()
    assert len(snap.segments) <= 2 and sum(len(s.shas) for s in snap.segments) == 7
    assert sorted(p.name for p in lib.store.dir.glob("seg-*")) == sorted(s.name for s in snap.segments)
    assert_same_as_entries(lib, ids)
    years = {int(p.parent.name.split("=")[1]) for p in lib.store.dir.glob("seg-*/cells/year=*/data.parquet")}
    assert years == {2020, 2021, 2022, 2023}


def test_removed_entry_disappears(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    cache = gkcore.Cache(tmp_path)
    lib = Library(cache)
    ids = put(cache, copies(parsed[1], 4))
    assert len(lib.reports(where=EVERY)) == 4
    gone = copies(parsed[1], 4)[2]
    shutil.rmtree(cache.path(gone.meta.sha256))           # e.g. an integrity repair removed it
    assert gone.meta.report_id not in set(lib.reports(where=EVERY)["report_id"])
    assert lib.cells([gone.meta.report_id]).empty and lib.checks([gone.meta.report_id]).empty
    assert gone.meta.report_id not in set(lib.metrics()["report_id"])
    assert gone.meta.sha256 not in lib.store.snapshot().shas
    assert_same_as_entries(lib, [i for i in ids if i != gone.meta.report_id])
    # a fresh library on the same folder agrees
    assert len(Library(cache).reports(where=EVERY)) == 3


def test_writer_killed_before_the_manifest_leaves_results_right(
        tmp_path: Path, parsed: list[ParsedReport], monkeypatch: pytest.MonkeyPatch) -> None:
    cache = gkcore.Cache(tmp_path)
    ids = put(cache, copies(parsed[0], 3))
    lib = Library(cache)
    assert len(lib.reports(where=EVERY)) == 3
    more = put(cache, copies(parsed[0], 2, start=5))

    def killed(self: Store, segments: list[store.Segment]) -> None:
        raise KeyboardInterrupt("killed before the manifest was replaced")

    monkeypatch.setattr(store, "MAX_SEGMENTS", 1)          # the refresh also merges: a new merged segment
    monkeypatch.setattr(Store, "_write_manifest", killed)
    with pytest.raises(KeyboardInterrupt, match="killed"):
        Library(cache).reports(where=EVERY)
    orphans = {p.name for p in Store(cache).dir.glob("seg-*")} - {s.name for s in Store(cache).snapshot().segments}
    assert orphans                                          # written, renamed, but not in the manifest
    (Store(cache).dir / ".tmp-seg-half").mkdir()           # and a segment killed while being written
    (Store(cache).dir / ".tmp-seg-half" / "cells").mkdir()
    # readers go by the manifest: the orphans add nothing
    lib2 = Library(cache)
    monkeypatch.undo()
    monkeypatch.setattr(Store, "refresh", Store.snapshot)  # read only, as a reader of the old manifest
    assert len(lib2.reports(where=EVERY)) == 3 and sorted(lib2.reports(where=EVERY)["report_id"]) == sorted(ids)
    assert_same_as_entries(lib2, ids)
    monkeypatch.undo()
    lib3 = Library(cache)                                    # the next refresh completes and cleans up
    assert sorted(lib3.reports(where=EVERY)["report_id"]) == sorted(ids + more)
    assert_same_as_entries(lib3, ids + more)
    left = {p.name for p in lib3.store.dir.iterdir() if p.name.startswith(("seg-", ".tmp-"))}
    assert left == {s.name for s in lib3.store.snapshot().segments}


def test_unreadable_entry_is_left_out(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    cache = gkcore.Cache(tmp_path)
    reps = copies(parsed[2], 3)
    ids = put(cache, reps)
    (cache.path(reps[0].meta.sha256) / "cells.parquet").write_bytes(b"PAR1 broken")
    lib = Library(cache)
    assert sorted(lib.reports(where=EVERY)["report_id"]) == sorted(ids[1:])
    assert_same_as_entries(lib, ids[1:])


def test_rebuild_gives_the_same_library(full: Library) -> None:
    before = full.reports(where=EVERY), full.cells(), full.metrics()
    Store(full.cache).rebuild()
    lib = Library(full.cache)
    for a, b in zip(before, (lib.reports(where=EVERY), lib.cells(), lib.metrics()), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_corrections_overlay_the_index(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    cache = gkcore.Cache(tmp_path)
    lib = Library(cache)
    hongze = copies(parsed[1], 3)                           # 洪泽区 2023: 表四 review block fails
    ids = put(cache, hongze)
    assert lib.reports(where=EVERY).set_index("report_id").loc[ids, "fail"].tolist() == [2, 2, 2]
    rid = ids[1]
    lib.correct(rid, "t4", "review", "total", "11", "原文合计漏填")
    reps = lib.reports(where=EVERY).set_index("report_id")
    assert reps.loc[ids, "fail"].tolist() == [2, 1, 2]
    cells = lib.cells([rid])
    assert cells.set_index(["table", "row", "col"]).loc[("t4", "review", "total"), ["raw", "value", "flag"]].tolist() \
        == ["11", 11.0, "corrected"]
    assert list(cells[["table", "row", "col"]].itertuples(index=False)) == \
        list(entry(lib, rid, "cells")[["table", "row", "col"]].itertuples(index=False))   # order kept
    assert lib.cells(flag="corrected")["report_id"].tolist() == [rid]
    failed = lib.checks(status=["fail"])
    assert failed.groupby("report_id").size().to_dict() == {ids[0]: 2, rid: 1, ids[2]: 2}
    assert lib.metrics([rid])["reviews"].tolist() == [11]
    assert lib.metrics([ids[0]])["reviews"].tolist() == [0]
    assert_same_as_entries(lib, [ids[0], ids[2]])           # the others untouched


def test_threads_read_while_entries_arrive(tmp_path: Path, parsed: list[ParsedReport]) -> None:
    cache = gkcore.Cache(tmp_path)
    lib = Library(cache)
    ids = put(cache, copies(parsed[0], 6))
    want = {i: len(entry(lib, i, "cells")) for i in ids}
    errors: list[BaseException] = []

    def reader(k: int) -> None:
        try:
            for j in range(15):
                rid = ids[(k + j) % len(ids)]
                got = lib.cells([rid])
                assert len(got) == want[rid] and set(got["report_id"]) == {rid}
                assert len(lib.checks([rid])) > 0 and rid in set(lib.reports(where=EVERY)["report_id"])
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    added = put(cache, copies(parsed[3], 4, start=50))      # reloads happen while they read
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads) and errors == []
    assert set(added) <= set(lib.reports(where=EVERY)["report_id"])


def test_many_new_entries_are_indexed_by_worker_processes(
        tmp_path: Path, parsed: list[ParsedReport], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    cache = gkcore.Cache(tmp_path)
    ids = put(cache, copies(parsed[0], 3) + copies(parsed[2], 2, start=10))
    monkeypatch.setattr(store, "SEGMENT_REPORTS", 2)
    monkeypatch.setattr(store, "PARALLEL_FROM", 4)
    calls: list[int] = []
    worker = store._build_in_worker
    monkeypatch.setattr(store, "_build_in_worker", lambda index, entries: calls.append(len(entries)) or
                        worker(index, entries))
    lib = Library(cache, jobs=2)
    assert sorted(lib.reports(where=EVERY)["report_id"]) == sorted(ids)
    assert sorted(calls) == [1, 2, 2] and len(lib.store.snapshot().segments) == 3   # three fresh interpreters
    assert not [r for r in caplog.records if "index worker failed" in r.getMessage()]
    assert_same_as_entries(lib, ids)
