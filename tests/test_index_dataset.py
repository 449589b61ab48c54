"""The pages' index as other engines read it (docs/index.md): every part of every segment the
manifest lists is a Hive-partitioned Parquet dataset (`year=YYYY/`, `__HIVE_DEFAULT_PARTITION__`
for no year) that pyarrow.dataset reads with the same rows the library serves; and an index
written directly (bench/national.py, index-only) is left alone by a refresh."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from gkcore.library import Library
from gkcore.model import REPORT_ID
from gkcore.store.cache import Cache
from gkcore.store.index import Store
from gkcore.store.segments import PARTS

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
HIVE = ds.partitioning(pa.schema([("year", pa.int64())]), flavor="hive")


def hive(store: Store, part: str) -> ds.Dataset:
    snap = store.snapshot()
    return ds.dataset(snap.files(part), format="parquet", partitioning=HIVE, partition_base_dir=str(snap.dir))


def test_the_index_is_a_hive_partitioned_dataset(_isolated_cache: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "gkcore", "ingest", str(REAL), "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    cache = Cache()
    store = Store(cache)
    lib = Library(cache)
    reports = lib.reports()
    assert len(reports) == len(list(REAL.iterdir()))
    for part in PARTS:
        d = hive(store, part)
        assert d.schema.field("year").type == pa.int64() and REPORT_ID in d.schema.names
        t = d.to_table()
        assert set(t.column(REPORT_ID).to_pylist()) <= set(reports[REPORT_ID])
    # the year partitions agree with the reports' own years (no year: null)
    t = hive(store, "reports").to_table(columns=[REPORT_ID, "year"]).to_pandas()
    years = dict(zip(reports[REPORT_ID], reports["year"], strict=True))
    assert all((y is None and years[r] is None) or y == years[r] or (y != y and years[r] != years[r])
               for r, y in zip(t[REPORT_ID], t["year"].astype(object), strict=True))
    # a query pushed down to one partition: the cells of 2024 are those of the 2024 reports
    got = hive(store, "cells").to_table(filter=ds.field("year") == 2024, columns=[REPORT_ID]).to_pandas()
    assert set(got[REPORT_ID]) == set(reports.loc[reports["year"] == 2024, REPORT_ID])
    assert len(got) == len(lib.cells(list(reports.loc[reports["year"] == 2024, REPORT_ID])))


def test_an_index_only_library(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    sys.path.insert(0, str(ROOT))
    from bench import national

    national.build(tmp_path, 700, workers=1, segment=300)
    store = Store(Cache(tmp_path))
    assert store.index_only() and len(store.snapshot().segments) == 3
    before = (store.dir / "manifest.json").read_bytes()
    assert len(store.refresh().shas) == 700                     # no cache entries, nothing dropped
    assert (store.dir / "manifest.json").read_bytes() == before
    lib = Library(Cache(tmp_path))
    reports = lib.reports()
    assert len(reports) == 700 and reports[REPORT_ID].is_unique
    assert hive(store, "reports").count_rows() == 700
    assert set(reports["year"]) == set(range(2019, 2026))
    one = reports[REPORT_ID].iloc[0]
    cells = lib.cells([one])
    assert len(cells) > 100 and (cells[REPORT_ID] == one).all()
