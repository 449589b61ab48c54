"""The library at scale: ingest throughput, page reruns at 1,000 and 10,000 reports, app memory.

(a) `gkcore ingest` of real fixture documents (tests/fixtures/real, each in COPIES byte-distinct
    copies: a trailing newline or PDF comment, so every copy is parsed) into an empty cache, with
    one worker process and with one per core; reports per second, process start included.
(b) the Parquet index (gkcore/store/index.py) built from scratch at each size, in one process and in
    one per core.
(c) reruns of pages/compare.py (2 reports chosen), pages/trends.py (the first agency) and
    pages/data.py with Streamlit's AppTest, after a warm-up run, at each size; against a plain
    pandas baseline in the same process: the same index Parquet files read with pandas.read_parquet
    and the page's result computed from them with gkcore's functions (what the pages did before the
    index: every cell of the library in memory).
(d) peak memory (VmHWM) of a fresh process that runs every page at 10,000 reports, and then
    builds the whole-library long CSV (the data page's on-click download).

    .venv/bin/python bench/scale.py [--sizes 1000 10000] [--repeat 5] [--keep DIR]

The libraries are made by bench/make_library.py (perturbed copies of the samples, sums kept);
with --keep DIR they are made once in DIR/lib-N and reused. Targets (issue 5): compare and trends
reruns under 0.5 s at 10,000 reports; app memory under 1 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import make_library  # noqa: E402
from bench.app_speed import best, check, compute, use_cache  # noqa: E402
from gkcore.library import Library  # noqa: E402
from gkcore.parse.pipeline import DOCUMENT_SUFFIXES  # noqa: E402
from gkcore.present.compare import trend  # noqa: E402
from gkcore.present.downloads import long_csv_from  # noqa: E402
from gkcore.store.cache import Cache  # noqa: E402
from gkcore.store.index import Store  # noqa: E402

REAL = ROOT / "tests" / "fixtures" / "real"
SAMPLES = ROOT / "data" / "samples"
N_SAMPLES = len([p for p in SAMPLES.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES])
PAGES = ("compare", "trends", "data")
COPIES = 6
TARGET_S = 0.5
TARGET_MB = 1024
TIMEOUT_S = 300


# ---- (a) ingest ------------------------------------------------------------------------------
def ingest_docs(folder: Path) -> int:
    """COPIES byte-distinct copies of every real fixture document."""
    n = 0
    for p in sorted(REAL.iterdir()):
        if p.suffix.lower() not in DOCUMENT_SUFFIXES:
            continue
        data = p.read_bytes()
        for k in range(COPIES):
            tail = f"\n%copy {k}\n".encode() if p.suffix == ".pdf" else b"\n" * (k + 1)
            (folder / f"{p.stem}-{k}{p.suffix}").write_bytes(data + tail)
            n += 1
    return n


def _ingest(docs: Path, cache: Path, *opts: str) -> float:
    env = {**os.environ, "GK_CACHE_DIR": str(cache)}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "gkcore", "ingest", str(docs), "--quiet", *opts],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    s = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"ingest {opts} failed: {proc.stderr[-500:]}")
    return s


def bench_ingest(tmp: Path, cluster: bool = True) -> None:
    """Threads (--jobs) and, with cluster, a Dask LocalCluster of 1 and 2 worker processes
    (--cluster local:N; each worker starts its own interpreter and forkserver, included)."""
    docs = tmp / "docs"
    docs.mkdir()
    n = ingest_docs(docs)
    cores = os.cpu_count() or 1
    print(f"(a) gkcore ingest of {n} documents ({n // COPIES} real fixtures x {COPIES}) into an empty cache")
    ways = [("--jobs", str(j)) for j in sorted({1, cores})]
    if cluster:
        ways += [("--cluster", f"local:{j}") for j in sorted({1, cores})]
    times = {}
    for opts in ways:
        cache = tmp / f"ingest-{opts[0][2:]}-{opts[1].replace(':', '')}"
        s = times[opts] = _ingest(docs, cache, *opts)
        entries = len(Cache(cache).entries())
        print(f"    {' '.join(opts):18s} {s:6.1f} s, {entries} entries, {entries / s:5.1f} reports/s")
    for kind in ("--jobs", "--cluster"):
        one, many = [times[o] for o in ways if o[0] == kind][:1], [times[o] for o in ways if o[0] == kind][1:]
        if one and many:
            print(f"    {kind}: {cores} against 1: {one[0] / many[0]:.2f}x the throughput")
    if cluster:
        warm = {w: warm_cluster(docs, tmp / f"warm-{w}", w) for w in sorted({1, cores})}
        for w, s in warm.items():
            print(f"    LocalCluster of {w}, workers started and warm: {s:6.1f} s, {n / s:5.1f} reports/s")
        if len(warm) == 2:
            print(f"    warm cluster: {cores} workers against 1: {warm[1] / warm[cores]:.2f}x the throughput")


def warm_cluster(docs: Path, cache: Path, workers: int) -> float:
    """The steady rate: a LocalCluster whose workers have each parsed a file already (their
    imports and forkserver done), then every document."""
    from gkcore.store import cluster
    from gkcore.store.ingest import collect

    files = collect([str(docs)])
    with cluster.connect(f"local:{workers}") as client:
        warmups = sorted(docs.glob("*.txt"))[:workers]
        pairs = zip(warmups, client.nthreads(), strict=False)
        client.gather([client.submit(cluster.worker_task, str(f), str(cache / "warmup"), None, str(f),
                                     pure=False, workers=[w]) for f, w in pairs])
        t = time.perf_counter()
        cluster.run(client, files, str(cache), None, lambda items: None)
        return time.perf_counter() - t


# ---- (b) index build -------------------------------------------------------------------------
def library(keep: Path, n: int) -> Path:
    root = keep / f"lib-{n}"
    if len(Cache(root).entries()) != n:
        shutil.rmtree(root, ignore_errors=True)
        t = time.perf_counter()
        make_library.build(root, n, jobs=os.cpu_count() or 1)
        print(f"    library of {n} written in {time.perf_counter() - t:.0f} s ({root})")
    return root


def bench_index(root: Path, n: int) -> None:
    cores = os.cpu_count() or 1
    times = []
    for jobs in sorted({1, cores}):
        shutil.rmtree(Store(Cache(root)).dir, ignore_errors=True)
        t = time.perf_counter()
        snap = Store(Cache(root), jobs).refresh()
        times.append(time.perf_counter() - t)
        assert len(snap.shas) == n
        print(f"    index from scratch, {jobs} process(es): {times[-1]:6.1f} s ({len(snap.segments)} segments, "
              f"{n / times[-1]:.0f} reports/s)")
    t = time.perf_counter()
    Store(Cache(root)).refresh()
    print(f"    refresh with nothing new: {time.perf_counter() - t:.3f} s")


# ---- (c) page reruns --------------------------------------------------------------------------
def session(root: Path, page: str) -> AppTest:
    use_cache(root)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    at.session_state["samples_done"] = N_SAMPLES       # the library stays exactly the generated one
    at.run()
    if page != "report":                               # 报告 is app.py itself, the landing page
        at.switch_page(f"pages/{page}.py").run()       # the page as a user reaches it (pages/ needs app.py)
    check(at, page)
    return at


def forget(root: Path) -> None:
    """Drop the query results the app's Library keeps (gkcore.library: an LRU per index state),
    so that a rerun runs every query of the page again."""
    import ui

    use_cache(root)
    ui.library().forget()


# what a user changes on each page (a new value every time: no kept result answers it)
CHANGES = {"report": ("report_id",), "compare": ("compare_ids",), "trends": ("agency_key",),
           "data": ("data_page",), "quality": ("summary_page",),
           "map": ("map_figure", "map_year", "map_region"), "assess": ("assess_page", "assess_report")}


def change(at: AppTest, what: str, i: int) -> None:
    """Change one choice of the page to its (i + 1)-th other value, as a user would, and rerun:
    the query results of the unchanged parts stay kept, as in a live session."""
    import ui
    from gkcore.library import Filter

    if what == "compare_ids":
        ids = list(ui.library().search(Filter()))
        at.multiselect(key=what).set_value(ids[2 + 2 * i: 4 + 2 * i])
    elif what in ("data_page", "summary_page", "assess_page"):
        at.number_input(key=what).set_value(2 + i)
    else:
        box = at.selectbox(key=what)
        now = box.index or 0
        box.select_index((now + 1 + i) % len(box.options))
    at.run()


def choose(at: AppTest, page: str, choices: dict[str, str] | None) -> None:
    """Set these selectboxes (by key) where the page has them, and rerun (not timed)."""
    for key, value in (choices or {}).items():
        if any(w.key == key for w in at.selectbox) and at.selectbox(key=key).value != value:
            at.selectbox(key=key).set_value(value).run()
            check(at, page)


def changed(root: Path, at: AppTest, page: str, repeat: int,
            choices: dict[str, str] | None = None) -> dict[str, tuple[float, float]]:
    """(best, median) seconds of a rerun after each choice of the page changed (the choices set
    again, untimed, before the next one is changed)."""
    use_cache(root)
    out = {}
    for what in CHANGES[page]:
        choose(at, page, choices)
        times = []
        for i in range(repeat):
            t = time.perf_counter()
            change(at, what, i)
            times.append(time.perf_counter() - t)
            check(at, page)
        out[what] = (min(times), statistics.median(times))
    return out


def read_index(root: Path, part: str) -> pd.DataFrame:
    return pd.read_parquet(Store(Cache(root)).snapshot().files(part), partitioning=None)


def baseline(root: Path, page: str, at: AppTest) -> None:
    """The page's result from the same Parquet files with plain pandas."""
    reports = read_index(root, "reports")
    if page == "data":
        checks = read_index(root, "checks")
        bad = checks[checks["status"] != "pass"].groupby(["report_id", "status"]).size().unstack(fill_value=0)
        reports.drop(columns=["fail", "unsure", "not_assessable"]).merge(bad, left_on="report_id",
                                                                        right_index=True, how="left")
        return
    cells = read_index(root, "cells")
    if page == "compare":
        compute(reports, cells, list(at.session_state["compare_ids"]), at.selectbox(key="rank_by").value)
    else:
        trend(cells, reports, at.selectbox(key="agency_key").value)


def bench_pages(root: Path, n: int, repeat: int, pages: tuple[str, ...] = PAGES,
                with_baseline: bool = True, choices: dict[str, str] | None = None) -> dict[str, float]:
    """choices: a selectbox's value (by key) set before a page is measured, where the page has
    it (e.g. map_figure=assess_score: the map of the 评估 score)."""
    out = {}
    for page in pages:
        t = time.perf_counter()
        at = session(root, page)
        choose(at, page, choices)
        for key, value in (choices or {}).items():
            if any(w.key == key for w in at.selectbox):
                print(f"    {page:8s} {key} = {value} (set again before each measurement)")
        first = time.perf_counter() - t
        if page == "compare":
            assert len(at.session_state["compare_ids"]) == 2
        if page == "trends":
            assert len(at.dataframe[-1].value) >= 1
        run = best(at.run, repeat)
        check(at, page)
        out[page] = run[0]
        if not with_baseline or page not in PAGES:
            for what, (b, m) in changed(root, at, page, repeat, choices).items():
                out[f"{page} {what} changed"] = b
                print(f"    {page:8s} {what} changed: rerun {b:6.3f} s (median {m:.3f})")
            choose(at, page, choices)
            cold = best(lambda at=at: (forget(root), at.run()), repeat)     # every query run again
            check(at, page)
            out[f"{page} cold"] = cold[0]
            print(f"    {page:8s} rerun {run[0]:6.3f} s (median {run[1]:.3f})   without kept query results "
                  f"{cold[0]:6.3f} s (median {cold[1]:.3f})   (first run in this process {first:.2f} s)")
            continue
        base = best(lambda at=at, page=page: baseline(root, page, at), max(1, repeat // 2))
        print(f"    {page:8s} rerun {run[0]:6.3f} s (median {run[1]:.3f})   pandas baseline {base[0]:7.3f} s   "
              f"ratio {run[0] / base[0]:5.2f}   (first run in this process {first:.2f} s)")
    return out


# ---- (d) memory ------------------------------------------------------------------------------
def peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: Linux carries the parent's
    high-water mark over fork and exec, so a child of a big process would report the parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(root: Path, csv: bool = True) -> None:
    """Run in a fresh process: every page on the library at root, then the whole long CSV."""
    t = time.perf_counter()
    for page in ("compare", "trends", "data", "quality", "report"):
        session(root, page).run()
    pages_mb = peak_mb()
    print(f"    every page run twice: peak {pages_mb:.0f} MB ({time.perf_counter() - t:.1f} s)")
    if not csv:
        print(f"PEAK_PAGES_MB {pages_mb:.0f}")
        return
    lib = Library(Cache(root))
    t = time.perf_counter()
    data = long_csv_from(lib.reports(), lib.cells)
    peak = peak_mb()
    took = time.perf_counter() - t
    print(f"    then the whole long CSV ({len(data) / 1e6:.0f} MB, {took:.1f} s): peak {peak:.0f} MB")
    print(f"PEAK_PAGES_MB {pages_mb:.0f}")


def bench_memory(root: Path, n: int, target_mb: int = TARGET_MB, csv: bool = True) -> None:
    """csv: then the whole-library long CSV in memory too (the data page's download); not for a
    national library, whose CSV (tens of GB) only `gkcore export` should write."""
    proc = subprocess.run([sys.executable, __file__, "--memory-child", str(root), *([] if csv else ["--no-csv"])],
                          cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"memory child failed: {proc.stderr[-1500:]}")
    lines = proc.stdout.splitlines()
    print("\n".join(x for x in lines if not x.startswith("PEAK")))
    mb = float(next(x for x in lines if x.startswith("PEAK_PAGES_MB")).split()[1])
    print(f"    target: app under {target_mb} MB at {n} reports -> {'meets' if mb < target_mb else 'misses'}")


# ---- (e) national scale -----------------------------------------------------------------------
NATIONAL_S = 1.0            # issue 12: every page's rerun at most 1 s at 10^6 reports
NATIONAL_MB = 2048          # and the app within 2 GB


NATIONAL_PAGES = ("report", *PAGES, "quality", "map", "assess")


def bench_national(keep: Path, n: int, repeat: int, pages: tuple[str, ...] = NATIONAL_PAGES,
                   memory: bool = True, copied: bool = False, choices: dict[str, str] | None = None) -> None:
    """An index-only library of n reports (made once in keep/national-n on a LocalCluster of one
    worker a core; with copied, one segment derived and copies of it: national.build_copied), then
    every page's rerun and the app's memory, as at 10,000."""
    from bench import national

    root = keep / f"national-{n}"
    store = Store(Cache(root))
    print(f"(e) national library of {n} reports, index only")
    if not (store.index_only() and len(store.snapshot().shas) == n):
        s = (national.build_copied(root, n, 25_000) if copied
             else national.build(root, n, os.cpu_count() or 1, segment=min(25_000, max(1, n // 4))))
        print(f"    index written in {s:.0f} s ({n / s:.0f} reports/s), {national.disk_mb(store.dir):.0f} MB")
    # every page; no pandas baseline (it reads every cell of the library: 50 s and 5 GB at 10^5)
    got = bench_pages(root, n, repeat, pages, with_baseline=False, choices=choices)
    for kind, end in (("rerun", ""), ("rerun after a choice changed", " changed"),
                      ("first view after the library changed (no kept query result)", " cold")):
        vals = [v for k, v in got.items() if k.endswith(end) and (end or not k.endswith(("changed", "cold")))]
        worst = max(vals)
        print(f"    target: every page's {kind} under {NATIONAL_S} s at {n} reports -> "
              f"{'meets' if worst < NATIONAL_S else 'misses'} ({worst:.3f} s)")
    if memory:
        bench_memory(root, n, NATIONAL_MB, csv=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="none: the ingest part only")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="make the libraries once in this folder and reuse them")
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--no-cluster", action="store_true", help="ingest part: threads only, no Dask LocalCluster")
    ap.add_argument("--national", type=int, nargs="*", default=[],
                    help="index-only libraries of these sizes (bench/national.py on a LocalCluster), e.g. 1000000")
    ap.add_argument("--pages", nargs="*", default=list(NATIONAL_PAGES), help="national part: these pages only")
    ap.add_argument("--no-memory", action="store_true", help="national part: no memory measurement")
    ap.add_argument("--copied", action="store_true",
                    help="national part: one segment derived, the rest copies of it (bench/national.py --copied)")
    ap.add_argument("--choose", nargs="*", default=[], metavar="KEY=VALUE",
                    help="national part: set these selectboxes first, e.g. map_figure=assess_score")
    ap.add_argument("--memory-child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--no-csv", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, not args.no_csv)
        return
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gkdash-scale-") as d:
        tmp = Path(d)
        if not args.skip_ingest:
            bench_ingest(tmp, not args.no_cluster)
        keep = args.keep or tmp
        results = {}
        for n in args.sizes:
            print(f"(b, c) library of {n} reports")
            root = library(keep, n)
            bench_index(root, n)
            results[n] = bench_pages(root, n, args.repeat)
        for n in args.national:
            bench_national(keep, n, args.repeat, tuple(args.pages), not args.no_memory, args.copied,
                           dict(c.split("=", 1) for c in args.choose))
        if not args.sizes:
            return
        n = max(args.sizes)
        worst = max(results[n]["compare"], results[n]["trends"])
        print(f"    target: compare and trends reruns under {TARGET_S} s at {n} reports -> "
              f"{'meets' if worst < TARGET_S else 'misses'} ({worst:.3f} s)")
        print(f"(d) app memory at {n} reports, fresh process")
        bench_memory(library(keep, n), n)
    print(f"bench finished in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
