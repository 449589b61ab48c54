"""A national library: N synthetic reports (10^6 by default: every body's report for 2019-2025)
written straight into the pages' index (gkcore/store/index.py), on a Dask LocalCluster.

No cache entries are written: 10^6 entries of this project's size (0.3-0.5 MB for a PDF with its
source) would take about 400 GB and, at bench/make_library.py's 90 ms an entry on this machine,
25 hours. The pages read only the index, so the index is what this library is: its manifest is
marked index-only (Store.index_only) and a refresh leaves it alone.

Each task makes one segment of --segment reports from the parsed samples: the samples' frames
repeated, with a new identity per copy (report id, sha256, agency, region, year) and the figures
of each table (表二, 表三, 表四) multiplied by a whole factor, as bench/make_library.py does (sums
kept, so each copy's check statuses are its original's; the numbers quoted in a check's message
are left as the original's). gkcore.store.segments.derive and write_segment then make the
segment exactly as an ingest would; the client publishes the manifest.

    .venv/bin/python bench/national.py OUT_DIR [--n 1000000] [--workers 2] [--segment 25000] [--copied]

With --copied, one segment is made so and the rest are copies of its files under new identities
(copy_segment: no derive, no grading): 10^6 reports in about 10 minutes on one core instead of
30-60 on two; the figures then repeat every --segment reports (docs/benchmarks.md, 评估 at 10^6).
    GK_CACHE_DIR=OUT_DIR .venv/bin/streamlit run app.py         # the dashboard on it
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_library import BODIES, CITIES, PROSE_TABLE, ZONES, parse_samples  # noqa: E402
from gkcore.model import RAW, REPORT_ID, VALUE  # noqa: E402
from gkcore.model.frames import cells_frame, checks_frame, figures_frame, outline_frame, reports_frame  # noqa: E402
from gkcore.store.cache import Cache  # noqa: E402
from gkcore.store.index import Store  # noqa: E402
from gkcore.store.segments import Segment, derive, write_segment  # noqa: E402

YEARS = tuple(range(2019, 2026))
TABLES = ("t2", "t3", "t4")
KMAX = {"t2": 5, "t3": 5, "t4": 4}


def base_frames() -> list[dict[str, pd.DataFrame]]:
    """The four frames of each parsed sample."""
    return [{"reports": reports_frame([r]), "cells": cells_frame([r]), "checks": checks_frame([r]),
             "figures": figures_frame([r]), "outline": outline_frame([r])} for r in parse_samples()]


def _table_index(tables: pd.Series) -> np.ndarray:
    return np.array([TABLES.index(t) if t in TABLES else -1 for t in tables], dtype=np.int64)


def _scaled(values: np.ndarray, raws: np.ndarray, factor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values times factor, and their printed text (whole numbers as digits; the original text
    where the factor is 1 or there is no value)."""
    new = values * factor
    changed = ~np.isnan(values) & (factor != 1)
    raw = raws.astype(object).copy()
    whole = changed & (np.floor(new) == new)
    raw[whole] = pd.Series(new[whole]).astype("int64").astype(str).to_numpy()
    for i in np.flatnonzero(changed & ~whole):
        raw[i] = f"{new[i]:g}"
    return new, raw


def _copies(base: dict[str, pd.DataFrame], idx: np.ndarray, k: np.ndarray) -> dict[str, pd.DataFrame]:
    """len(idx) copies of one base report: copy idx[j] with table factors k[j]."""
    n = len(idx)
    rep0 = base["reports"].iloc[0]
    sha = np.array([hashlib.sha256(f"{rep0['sha256']}:{i}".encode()).hexdigest() for i in idx])
    rid = np.array([s[:16] for s in sha])
    agency_no = idx // len(YEARS)
    city = agency_no % len(CITIES)
    body = (agency_no // len(CITIES)) % len(BODIES)
    zone = (agency_no // (len(CITIES) * len(BODIES))) % len(ZONES)
    unit = agency_no // (len(CITIES) * len(BODIES) * len(ZONES))
    reps = base["reports"].iloc[np.zeros(n, dtype=np.int64)].reset_index(drop=True)
    reps[REPORT_ID], reps["sha256"] = rid, sha
    reps["source_name"] = [f"national-{i:07d}-{rep0['source_name']}" for i in idx]
    reps["agency"] = [f"{CITIES[c][1]}{ZONES[z]}{BODIES[b]}" + (f"第{u}分局" if u else "")
                      for c, z, b, u in zip(city, zone, body, unit, strict=True)]
    reps["region"] = [CITIES[c][0] + CITIES[c][1] for c in city]
    reps["region_code"] = [CITIES[c][2] for c in city]
    reps["year"] = pd.array([YEARS[i % len(YEARS)] for i in idx], dtype="Int64")
    out = {"reports": reps}

    def repeat(part: str, table_of_row: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
        df = base[part]
        m = len(df)
        rows = df.iloc[np.tile(np.arange(m), n)].reset_index(drop=True)
        rows[REPORT_ID] = np.repeat(rid, m)
        t = np.tile(table_of_row, n)
        kk = np.repeat(k, m, axis=0)
        factor = np.where(t >= 0, kk[np.arange(n * m), np.clip(t, 0, None)], 1)
        return rows, factor

    cells, f = repeat("cells", _table_index(base["cells"]["table"]))
    cells[VALUE], cells[RAW] = _scaled(cells[VALUE].to_numpy(dtype=float), cells[RAW].to_numpy(), f)
    out["cells"] = cells
    first_cell_table = base["checks"]["cells"].astype(str).str.split(".").str[0]
    checks, f = repeat("checks", _table_index(first_cell_table))
    for col in ("expected", "found"):
        checks[col] = checks[col].to_numpy(dtype=float) * f
    out["checks"] = checks
    figs, f = repeat("figures", _table_index(base["figures"]["code"].map(PROSE_TABLE).fillna("")))
    figs[VALUE] = (figs[VALUE].to_numpy(dtype=np.int64) * f).astype(np.int64)
    out["figures"] = figs
    out["outline"] = repeat("outline", np.full(len(base["outline"]), -1, dtype=np.int64))[0]   # graded (评估)
    return out


def make_segment(index: str, bases: list[dict[str, pd.DataFrame]], start: int, stop: int, seed: int) -> dict[str, Any]:
    """Runs on a worker: reports start..stop-1 as one index segment; the segment's JSON."""
    idx = np.arange(start, stop)
    rng = np.random.default_rng([seed, start])
    k = np.stack([rng.integers(1, KMAX[t] + 1, len(idx)) for t in TABLES], axis=1)
    which = idx % len(bases)
    parts: dict[str, list[pd.DataFrame]] = {p: [] for p in ("reports", "cells", "checks", "figures", "outline")}
    for b in range(len(bases)):
        sel = which == b
        if sel.any():
            for p, df in _copies(bases[b], idx[sel], k[sel]).items():
                parts[p].append(df)
    frames = {p: pd.concat(v, ignore_index=True) for p, v in parts.items()}
    shas = frozenset(frames["reports"]["sha256"])
    return write_segment(Path(index), derive(frames), shas).to_json()


def build(root: Path, n: int, workers: int, segment: int, seed: int = 0) -> float:
    """Write the index of n synthetic reports under root; seconds taken."""
    from gkcore.store import cluster

    store = Store(Cache(root))
    shutil.rmtree(store.dir, ignore_errors=True)
    store.dir.mkdir(parents=True)
    bases = base_frames()
    t = time.perf_counter()
    segments: list[Segment] = []
    with cluster.connect(f"local:{workers}") as client:
        shared = client.scatter(bases, broadcast=True)
        futures = [client.submit(make_segment, str(store.dir), shared, a, min(a + segment, n), seed, pure=False)
                   for a in range(0, n, segment)]
        from distributed import as_completed

        for i, fut in enumerate(as_completed(futures), 1):
            segments.append(Segment.from_json(fut.result()))
            print(f"\r    segments {i}/{len(futures)} ({time.perf_counter() - t:.0f} s)", end="", flush=True)
    print()
    snap = store.publish(segments)
    assert len(snap.shas) == n
    return time.perf_counter() - t


# ---- a cheaper national library: one segment made, then copied under new identities ------------
IDENTITY = ("sha256", "source_name", "agency", "label", "agency_key")   # made distinct per copy


def _renamed(table: Any, old: Any, new: Any) -> Any:
    """The table with its report ids mapped from old to new (pyarrow, no pandas)."""
    import pyarrow.compute as pc

    i = table.schema.get_field_index(REPORT_ID)
    return table.set_column(i, REPORT_ID, new.take(pc.index_in(table[REPORT_ID], value_set=old)))


def copy_segment(index: Path, seg: Segment, copy: int) -> Segment:
    """Segment seg's files again under new identities: every report id, sha256, source name,
    agency (and so label and agency key, with a "第{copy}副本" suffix: no two copies are one
    body's report of one year, so none is a duplicate) changed; every figure, check, cell and
    score the same. Columns are swapped by pyarrow in the files' own layout (sorted by report id,
    as write_segment keeps them: a copy's ids are re-sorted), no derive, no grading."""
    import uuid

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    snap_files = {p: [f for y in seg.years.get(p, ()) for f in [index / seg.name / p / f"year={y}" / "data.parquet"]]
                  for p in seg.years}
    reports = pa.concat_tables([pq.read_table(f) for f in snap_files["reports"]])
    old = reports[REPORT_ID].combine_chunks()
    shas = pa.array([hashlib.sha256(f"{s}:copy{copy}".encode()).hexdigest() for s in reports["sha256"].to_pylist()])
    new = pc.utf8_slice_codeunits(shas, 0, 16)
    name = f"seg-{uuid.uuid4().hex}"
    tmp = index / f".tmp-{name}"
    suffix = f"第{copy}副本"
    for part, files in snap_files.items():
        for f in files:
            t = _renamed(pq.read_table(f), old, new)
            if part == "reports":
                back = pc.index_in(t[REPORT_ID], value_set=new)
                for col in IDENTITY:
                    j = t.schema.get_field_index(col)
                    if col == "sha256":
                        t = t.set_column(j, col, shas.take(back))
                    elif col == "label":     # "agency · year": the suffix after the agency
                        parts = pc.split_pattern(t[col], " · ", max_splits=1)
                        t = t.set_column(j, col, pc.binary_join_element_wise(
                            pc.binary_join_element_wise(pc.list_element(parts, 0), pa.scalar(suffix), ""),
                            pc.list_element(parts, 1), " · "))
                    else:
                        t = t.set_column(j, col, pc.binary_join_element_wise(t[col], pa.scalar(suffix), ""))
            sort = [(REPORT_ID, "ascending")] + ([("_row", "ascending")] if "_row" in t.column_names else [])
            t = t.sort_by(sort)
            out = tmp / part / f.parent.name / "data.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(t, out, row_group_size=8192)
    tmp.rename(index / name)
    return Segment(name, frozenset(shas.to_pylist()), dict(seg.years))


def build_copied(root: Path, n: int, segment: int, seed: int = 0) -> float:
    """Write the index of n reports under root: one segment of `segment` synthetic reports made
    as build() makes them (derive: metrics, shares, the graded criteria), then copies of it
    (copy_segment) up to n; one process. Seconds taken. The rows the pages query are 10^6 real
    rows of the index's layout; what is not like a national library: the figures repeat every
    `segment` reports (the same distribution of scores, rates and statuses in each copy)."""
    if n > segment and n % segment:
        raise SystemExit(f"--copied: n ({n}) must be a multiple of --segment ({segment})")
    store = Store(Cache(root))
    shutil.rmtree(store.dir, ignore_errors=True)
    store.dir.mkdir(parents=True)
    t = time.perf_counter()
    first = Segment.from_json(make_segment(str(store.dir), base_frames(), 0, min(segment, n), seed))
    print(f"    one segment of {min(segment, n)} reports derived in {time.perf_counter() - t:.0f} s", flush=True)
    segments = [first]
    while len(segments) * segment < n:
        segments.append(copy_segment(store.dir, first, len(segments)))
        print(f"\r    copies {len(segments) - 1}/{-(-n // segment) - 1} ({time.perf_counter() - t:.0f} s)", end="",
              flush=True)
    print()
    snap = store.publish(segments)
    assert len(snap.shas) == len(segments) * min(segment, n), "copies share a sha256"
    return time.perf_counter() - t


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--segment", type=int, default=25_000, help="reports per segment (one task each)")
    ap.add_argument("--copied", action="store_true",
                    help="one segment derived, the rest copies of it under new identities (build_copied)")
    args = ap.parse_args()
    s = (build_copied(args.out, args.n, args.segment) if args.copied
         else build(args.out, args.n, args.workers, args.segment))
    d = Store(Cache(args.out)).dir
    how = "one process, copied" if args.copied else f"{args.workers} workers"
    print(f"{args.n} reports indexed in {s:.0f} s ({args.n / s:.0f} reports/s, {how}), "
          f"{disk_mb(d):.0f} MB in {d}")


if __name__ == "__main__":
    main()
