"""The dashboard's speed, measured with Streamlit's AppTest in one process (no browser):

(a) upload -> finished 报告 page for the real Huaian PDF: the first parse with an empty cache
    (cold process, then warm), and the same upload again (cache hit); against gkcore's parse
    alone and its cache read alone, in the same process.
(b) a rerun of pages/compare.py (the 对比 page) with the library at N reports (default 1,000
    perturbed copies of the samples, bench/make_library.py), 2 and 5 reports selected, after a
    warm-up run;
    against the same computation in plain pandas over the same Parquet files
    (pandas.read_parquet, then gkcore's metrics_frame / aligned / ranking / outcome_shares),
    and against that computation alone on frames already in memory.
    When the rerun misses the target it is profiled (cProfile in the script thread).

(c) a rerun of pages/map.py (地图) on the same library: the map of the whole country, and the
    map of one province (its cities; the region filter set to that province's reports), after a
    warm-up run (which simplifies the boundaries once); against the same computation without
    Streamlit in the same process (choose_level, assign, region_figures, the shapes from the
    cache, the Plotly figure and its JSON).

    .venv/bin/python bench/app_speed.py [--reports 1000] [--repeat 5] [--profile] [--only map]

Targets (issues): a compare rerun under 0.5 s at 1,000 reports; a map rerun at most 0.5 s at
10,000 reports.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import local_script_runner as lsr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))     # the pages import ui

import gkcore  # noqa: E402
from bench import make_library  # noqa: E402
from gkcore.library import Library  # noqa: E402
from gkcore.model.metrics import metrics_frame, outcome_shares  # noqa: E402
from gkcore.parse.pipeline import DOCUMENT_SUFFIXES  # noqa: E402
from gkcore.present import charts, geo  # noqa: E402
from gkcore.present.compare import aligned, labels, ranking  # noqa: E402
from gkcore.present.regions import assign, choose_level, hover_texts, region_figures  # noqa: E402
from gkcore.store.cache import Cache, load_or_parse  # noqa: E402

APP = ROOT / "app.py"
COMPARE = "pages/compare.py"
PDF = ROOT / "tests" / "fixtures" / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf"
N_SAMPLES = len([p for p in (ROOT / "data" / "samples").iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES])
TARGET_S = 0.5
TIMEOUT_S = 120
# the bench's own calls run outside a script thread, and Streamlit warns at each one (a filter,
# because Streamlit resets its loggers' levels when it loads its config)
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: "missing ScriptRunContext" not in record.getMessage())

# cProfile sees one thread; AppTest runs the script in its own thread, so profile inside it
_profiler: cProfile.Profile | None = None
_run_script_thread = lsr.LocalScriptRunner._run_script_thread


def _profiled_run_script_thread(self: lsr.LocalScriptRunner) -> None:
    if _profiler is None:
        _run_script_thread(self)
        return
    _profiler.enable()
    try:
        _run_script_thread(self)
    finally:
        _profiler.disable()


lsr.LocalScriptRunner._run_script_thread = _profiled_run_script_thread  # type: ignore[method-assign]


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(best, median) seconds of repeat calls."""
    times = [timed(fn) for _ in range(repeat)]
    return min(times), statistics.median(times)


def use_cache(root: Path) -> None:
    os.environ["GK_CACHE_DIR"] = str(root)


def check(at: AppTest, what: str) -> None:
    if at.exception:
        raise SystemExit(f"{what}: the page raised: {at.exception[0].message}")


# ---- (a) upload -> report page ---------------------------------------------------------------
def upload_run(root: Path, data: bytes, profile: bool = False) -> float:
    """A fresh session on the 报告 page (sample import skipped, so the library is what the cache
    holds), then the timed rerun that the upload triggers."""
    use_cache(root)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["samples_done"] = N_SAMPLES
    at.run()
    check(at, "report page")
    uploader = at.file_uploader(key="upload").set_value([(PDF.name, data, "application/pdf")])
    s = timed(uploader.run) if not profile else timed(lambda: profile_rerun(uploader.run))
    check(at, "upload")
    shown = [h.value for h in at.subheader]
    if not any(h.startswith("淮安市人民政府") for h in shown):
        raise SystemExit(f"upload: the page does not show the uploaded report (subheaders {shown})")
    if not any(m.value == "3,119" for m in at.metric):
        raise SystemExit("upload: 新收申请 3,119 is not on the page")
    return s


def bench_upload(tmp: Path, repeat: int, profile: bool) -> None:
    data = PDF.read_bytes()
    print(f"(a) upload -> finished 报告 page, {PDF.name} ({len(data) / 1e3:.0f} kB)")
    cold = upload_run(tmp / "upload-cold", data)          # first parse in this process
    warm = [upload_run(tmp / f"upload-warm-{i}", data) for i in range(repeat)]   # empty cache each time
    hit = [upload_run(tmp / "upload-warm-0", data) for _ in range(repeat)]       # cached by the first warm run
    parse = best(lambda: gkcore.parse_bytes(data, PDF.name), repeat)[0]
    cache = Cache(tmp / "upload-warm-0")
    read = best(lambda: load_or_parse(data, PDF.name, cache), repeat)[0]
    w, h = min(warm), min(hit)
    print(f"    empty cache, cold process   {cold:7.3f} s")
    print(f"    empty cache (first parse)   {w:7.3f} s   gkcore.parse_bytes alone {parse:.3f} s   "
          f"ratio {w / parse:5.2f}")
    print(f"    cache hit                   {h:7.3f} s   load_or_parse hit alone  {read:.3f} s   "
          f"ratio {h / read:5.2f}")
    if profile:
        print("    upload, cache hit:")
        upload_run(tmp / "upload-warm-0", data, profile=True)


# ---- (b) compare rerun at N reports --------------------------------------------------------
def plain_pandas(entries: list[Path], ids: list[str], rank_by: str) -> None:
    """What the compare page computes, from the Parquet files with plain pandas."""
    reports = pd.read_parquet([str(p / "report.parquet") for p in entries])
    cells = pd.read_parquet([str(p / "cells.parquet") for p in entries])
    compute(reports, cells, ids, rank_by)


def compute(reports: pd.DataFrame, cells: pd.DataFrame, ids: list[str], rank_by: str) -> None:
    reports = reports.assign(label=reports["agency"].astype(str) + " · " + reports["year"].astype(str))
    labels(reports)
    chosen = cells[cells["report_id"].isin(ids)]
    metrics_frame(chosen)
    aligned(chosen, reports, ids)
    ranking(metrics_frame(cells), reports, rank_by)
    outcome_shares(cells)


def compare_session(root: Path) -> AppTest:
    use_cache(root)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["samples_done"] = N_SAMPLES    # the library stays exactly the generated one
    at.run()
    at.switch_page(COMPARE).run()              # warm-up: reads the library's frames once
    check(at, "compare page")
    return at


def profile_rerun(run: Callable[[], object]) -> None:
    """One rerun under cProfile: the repository's functions and Streamlit's element calls, by
    cumulative time (nested calls are counted in their callers too)."""
    global _profiler
    _profiler = cProfile.Profile()
    run()
    prof, _profiler = _profiler, None
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    streamlit_calls = {"dataframe", "plotly_chart", "multiselect", "selectbox", "table"}
    rows = []
    for (file, line, func), (_cc, ncalls, _tt, cum, _callers) in stats.items():
        if file.startswith(str(ROOT)) and "/.venv/" not in file:
            where = f"{Path(file).relative_to(ROOT)}:{line} {func}"
        elif "/streamlit/elements/" in file and func in streamlit_calls:
            where = f"streamlit st.{func}"
        else:
            continue
        rows.append((cum, ncalls, where))
    rows.sort(reverse=True)
    total = rows[0][0] if rows else 0.0
    print(f"    cProfile of one rerun ({total:.3f} s under the profiler), cumulative:")
    for cum, ncalls, where in rows[:18]:
        print(f"      {cum:7.3f} s {cum / total:5.0%} {ncalls:4d}x  {where}")


def bench_compare(tmp: Path, n: int, repeat: int, profile: bool) -> None:
    root = tmp / "library"
    t = time.perf_counter()
    make_library.build(root, n)
    print(f"(b) compare page rerun, library of {n} perturbed reports (written in {time.perf_counter() - t:.1f} s)")
    at = compare_session(root)
    reports = at.session_state["compare_ids"]
    assert len(reports) == 2, reports
    lib = Library(Cache(root))
    label_of = labels(lib.reports())           # report id -> the label the page shows it by
    names = list(label_of)
    rank_by = at.selectbox(key="rank_by").value
    entries = Cache(root).entries()
    assert len(entries) == n and len(names) == n

    rows = []
    for k in (2, 5):
        ids = names[:k]
        at.multiselect(key="compare_ids").set_value(ids).run()
        check(at, f"compare page, {k} reports")
        # the aligned table as the page shows it: the cell (its code only with "show codes"), the k
        # reports, and each report's difference from the first (as gkcore.present.compare.aligned)
        shown = at.dataframe[1].value
        chosen = [label_of[i] for i in ids]
        assert list(shown.columns[1:]) == [*chosen, *(f"Δ {c}" for c in chosen[1:])], shown.columns
        assert len(shown) > 100, len(shown)    # a row per cell code of the template
        page = best(at.run, repeat)
        base = best(lambda ids=ids: plain_pandas(entries, ids, rank_by), repeat)
        mem = best(lambda ids=ids: compute(lib.reports(), lib.cells(), ids, rank_by), repeat)
        rows.append((k, page, base, mem))
    print(f"    {'selected':>8} {'page rerun s':>12} {'pandas+Parquet s':>16} {'ratio':>6} "
          f"{'compute only s':>14} {'ratio':>6}")
    for k, page, base, mem in rows:
        print(f"    {k:8d} {page[0]:12.3f} {base[0]:16.3f} {page[0] / base[0]:6.2f} "
              f"{mem[0]:14.3f} {page[0] / mem[0]:6.2f}")
    print("    (best of the repeats; medians: " + ", ".join(
        f"{k} selected {p[1]:.3f} / {b[1]:.3f} / {m[1]:.3f} s" for k, p, b, m in rows) + ")")
    worst = max(p[0] for _, p, _, _ in rows)
    verdict = "meets" if worst < TARGET_S else "misses"
    print(f"    target: rerun under {TARGET_S} s at {n} reports -> {verdict} ({worst:.3f} s)")
    if worst >= TARGET_S or profile:
        profile_rerun(at.run)


# ---- (c) map rerun at N reports ------------------------------------------------------------
def map_compute(lib: Library, reports: pd.DataFrame) -> None:
    """What the map page computes, without Streamlit."""
    atlas = geo.atlas()
    assert atlas is not None
    where = choose_level(atlas, reports["region_code"].tolist())
    region = assign(atlas, reports, where)
    by_region = region_figures(reports, lib.metrics(), region)
    drawn = [(r.code, r.name, sh) for r in atlas.children(where.parent) for sh in [geo.shape(r.code, r.level)] if sh]
    hover = hover_texts(by_region, {c: n for c, n, _ in drawn})
    values = {str(c): float(v) for c, v in by_region["received"].items() if pd.notna(v)}
    lines = geo.maritime_lines() if where.parent == geo.COUNTRY else ()
    charts.region_map(drawn, values, hover, "", False, lines).to_json()


def bench_map(tmp: Path, n: int, repeat: int, profile: bool) -> None:
    root = tmp / "library"
    if not root.exists():                     # built by (b) when it ran
        make_library.build(root, n)
    use_cache(root)
    print(f"(c) map page rerun, library of {n} perturbed reports")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["samples_done"] = N_SAMPLES
    at.run()
    t = time.perf_counter()
    at.switch_page("pages/map.py").run()
    check(at, "map page")
    print(f"    first run (boundaries read and simplified, or read from geo-v1/) {time.perf_counter() - t:.3f} s")
    lib = Library(Cache(root))
    reports = lib.reports()
    province = "江苏省"
    jiangsu = sorted(r for r in reports["region"].unique() if str(r).startswith(province))
    rows = []
    for what, regions in (("whole country", []), (f"one province ({province}, its cities)", jiangsu)):
        at.multiselect(key="map_regions").set_value(regions).run()
        check(at, f"map page, {what}")
        spec = at.get("plotly_chart")[0].proto.spec
        assert '"fill":"toself"' in spec, "the map draws no region"
        page = best(at.run, repeat)
        shown = reports[reports["region"].isin(regions)] if regions else reports
        base = best(lambda shown=shown: map_compute(lib, shown), repeat)
        rows.append((what, page, base))
    print(f"    {'map of':<32} {'page rerun s':>12} {'compute only s':>14} {'ratio':>6}")
    for what, page, base in rows:
        print(f"    {what:<32} {page[0]:12.3f} {base[0]:14.3f} {page[0] / base[0]:6.2f}")
    print("    (best of the repeats; medians: " + ", ".join(f"{w} {p[1]:.3f} / {b[1]:.3f} s" for w, p, b in rows) + ")")
    worst = max(p[0] for _, p, _ in rows)
    verdict = "meets" if worst <= TARGET_S else "misses"
    print(f"    target: map rerun at most {TARGET_S} s at {n} reports -> {verdict} ({worst:.3f} s)")
    if worst > TARGET_S or profile:
        profile_rerun(at.run)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="profile one run of each page even when on target")
    ap.add_argument("--only", choices=["upload", "compare", "map"], help="measure one part only")
    args = ap.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gkdash-bench-") as d:
        if args.only in (None, "upload"):
            bench_upload(Path(d), args.repeat, args.profile)
        if args.only in (None, "compare"):
            bench_compare(Path(d), args.reports, args.repeat, args.profile)
        if args.only in (None, "map"):
            bench_map(Path(d), args.reports, args.repeat, args.profile)
    print(f"bench finished in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
