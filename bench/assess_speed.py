"""评估's price (issue 21), as ratios in one process:

(a) parse: the outline (sections and dates, gkcore.parse.outline) against the whole parse, on every
    real fixture document;
(b) one report's assessment (Assessments.of: the cache entry, the year before, the peers' medians,
    every criterion) against the parse of the same report, on a library of the samples: what an
    upload's self-check adds on 报告;
(c) the index: gkcore.store.segments.derive of 5,000 national-style reports with the grading and
    without it (bench/national.py's copies of the samples).

    .venv/bin/python bench/assess_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gkcore  # noqa: E402
from gkcore.library import Library  # noqa: E402
from gkcore.parse.outline import outline  # noqa: E402
from gkcore.parse.pipeline import READERS, sniff  # noqa: E402
from gkcore.present.assessments import Assessments  # noqa: E402

REAL = sorted(p for p in (ROOT / "tests" / "fixtures" / "real").iterdir() if p.is_file())
SAMPLES = sorted((ROOT / "data" / "samples").iterdir())


def best(f, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_parse(repeat: int) -> None:
    print("(a) the outline against the whole parse")
    ratios = []
    for p in REAL:
        data = p.read_bytes()
        kind = sniff(data, p.name)
        doc = READERS[kind](data)
        lines = doc.lines
        whole = best(lambda: gkcore.parse_bytes(data, p.name), repeat)        # noqa: B023
        part = best(lambda: outline(lines), repeat)                            # noqa: B023
        ratios.append(part / whole)
        print(f"    {p.name[:48]:48s} parse {whole * 1e3:7.1f} ms  outline {part * 1e3:6.2f} ms  ({part / whole:.1%})")
    print(f"    worst {max(ratios):.1%} of a parse, median {statistics.median(ratios):.1%}")


def bench_one(repeat: int) -> None:
    print("(b) one report's assessment (the self-check on 报告) against its parse")
    with tempfile.TemporaryDirectory() as d:
        lib = Library(gkcore.Cache(d))
        lib.ingest_paths(SAMPLES)
        A = Assessments(lib)
        ids = lib.reports()["report_id"].tolist()
        names = dict(zip(lib.reports()["report_id"], lib.reports()["source_name"], strict=True))
        for rid in ids:
            path = ROOT / "data" / "samples" / names[rid]
            parse = best(lambda: gkcore.parse_file(path), repeat)             # noqa: B023
            grade = best(lambda: A.of(rid), repeat)                           # noqa: B023
            print(f"    {names[rid][:48]:48s} parse {parse * 1e3:7.1f} ms  assessment {grade * 1e3:6.1f} ms "
                  f"({grade / parse:.2f}x)")


def bench_index(repeat: int) -> None:
    from bench import national
    from gkcore.store import segments

    print("(c) the index: derive of 5,000 reports with and without the grading (CPU seconds)")
    bases = national.base_frames()
    idx = np.arange(0, 5000)
    rng = np.random.default_rng(0)
    k = np.stack([rng.integers(1, national.KMAX[t] + 1, len(idx)) for t in national.TABLES], axis=1)
    which = idx % len(bases)
    parts: dict[str, list[pd.DataFrame]] = {p: [] for p in ("reports", "cells", "checks", "figures", "outline")}
    for b in range(len(bases)):
        sel = which == b
        for p, df in national._copies(bases[b], idx[sel], k[sel]).items():
            parts[p].append(df)
    frames = {p: pd.concat(v, ignore_index=True) for p, v in parts.items()}

    def run() -> float:
        t = time.process_time()
        segments.derive(dict(frames))
        return time.process_time() - t

    with_ = min(run() for _ in range(repeat))
    real = segments.index_assessments
    segments.index_assessments = lambda reps, c, k, o: pd.DataFrame({"report_id": reps["report_id"]})  # type: ignore[assignment]
    try:
        without = min(run() for _ in range(repeat))
    finally:
        segments.index_assessments = real
    print(f"    with {with_:.2f} s, without {without:.2f} s: {(with_ - without) / 5000 * 1e3:.2f} ms a report "
          f"(at 10^6 reports: {(with_ - without) / 5000 * 1e6:.0f} CPU seconds, shared by the index workers)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    bench_parse(args.repeat)
    bench_one(args.repeat)
    bench_index(args.repeat)


if __name__ == "__main__":
    main()
