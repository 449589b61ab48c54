"""gkcore's parse against the pdfplumber pass a simple script would do (open, extract_text and
extract_tables on every page), in the same process, on every fixture PDF. Prints the ratio.

    .venv/bin/python bench/parse_speed.py [--repeat N]

Target (issue 2): gkcore at or below 0.5x of the baseline, and under 0.5 s for a 10-page report.

Then (issue 5) the price of isolation: each real PDF parsed in a child process within the limits
(gkcore.parse.isolate.parse_isolated, what the cache and the app use) against the same parse in this
process, as a ratio and as seconds added per report.

Then (issue 12) the whole command against a whole script, both as fresh processes: `gkcore parse
FILE` (the isolated parse, imports and forkserver start included; `--no-cache`, and into an empty
cache) against `python -c "pdfplumber … extract_tables()"` over the same file, runs interleaved,
median of --starts runs each. Target: at most 1.5x that script.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gkcore  # noqa: E402
from gkcore.parse.isolate import parse_isolated  # noqa: E402

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def baseline(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


def ours(path: Path) -> None:
    gkcore.parse_bytes(path.read_bytes(), path.name)


def best_of(fn, path: Path, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--starts", type=int, default=7, help="runs of each whole process in the start-up part")
    ap.add_argument("--startup-only", action="store_true")
    args = ap.parse_args()
    if args.startup_only:
        startup(sorted((ROOT / "tests" / "fixtures" / "real").glob("*.pdf")), args.starts)
        return
    pdfs = sorted((ROOT / "tests" / "fixtures").glob("*/*.pdf"))
    pdfs = [p for p in pdfs if p.parent.name not in ("bad", "scanned")   # scans: bench/ocr_speed.py
            and not p.name.startswith("scan-")]
    ours(pdfs[0])  # warm up: imports, template data, the place-name tables
    print(f"{'file':44} {'pages':>5} {'pdfplumber s':>12} {'gkcore s':>9} {'ratio':>6}")
    ratios = []
    for p in pdfs:
        with pdfplumber.open(p) as pdf:
            npages = len(pdf.pages)
        b = best_of(baseline, p, args.repeat)
        o = best_of(ours, p, args.repeat)
        ratios.append(o / b)
        print(f"{p.name:44} {npages:5d} {b:12.3f} {o:9.3f} {o / b:6.2f}")
    print(f"median ratio {statistics.median(ratios):.2f}, worst {max(ratios):.2f} ({len(pdfs)} PDFs)")
    isolation(sorted((ROOT / "tests" / "fixtures" / "real").glob("*.pdf")), args.repeat)
    startup(sorted((ROOT / "tests" / "fixtures" / "real").glob("*.pdf")), args.starts)


def isolated(path: Path) -> None:
    parse_isolated(path.read_bytes(), path.name)


def isolation(pdfs: list[Path], repeat: int) -> None:
    isolated(pdfs[0])  # warm up: starts the forkserver
    print(f"\n{'real PDF':44} {'in-process s':>12} {'isolated s':>10} {'ratio':>6} {'added s':>8}")
    ratios, added = [], []
    for p in pdfs:
        o = best_of(ours, p, repeat)
        i = best_of(isolated, p, repeat)
        ratios.append(i / o)
        added.append(i - o)
        print(f"{p.name:44} {o:12.3f} {i:10.3f} {i / o:6.2f} {i - o:8.3f}")
    print(f"isolation: median ratio {statistics.median(ratios):.2f}, median {statistics.median(added):.3f} s added "
          f"per report ({len(pdfs)} real PDFs)")


PLUMBER = ("import sys, pdfplumber\n"
           "with pdfplumber.open(sys.argv[1]) as pdf:\n"
           "    for page in pdf.pages:\n"
           "        page.extract_tables()\n")


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed: {proc.stderr[-800:]}")
    return took


def startup(pdfs: list[Path], starts: int) -> None:
    """Whole processes: `gkcore parse` against a plain pdfplumber script, interleaved."""
    print(f"\n{'whole process, real PDF':36} {'pages':>5} {'pdfplumber s':>12} {'parse --no-cache s':>18} "
          f"{'ratio':>6} {'parse, new cache s':>18} {'ratio':>6}")
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="gkstart-") as tmp:
        for p in pdfs:
            with pdfplumber.open(p) as pdf:
                npages = len(pdf.pages)
            base, nocache, fresh = [], [], []
            for k in range(starts):
                env = {**os.environ, "GK_CACHE_DIR": f"{tmp}/cache-{p.stem}-{k}"}
                base.append(_timed([sys.executable, "-c", PLUMBER, str(p)], env))
                nocache.append(_timed([sys.executable, "-m", "gkcore", "parse", "--no-cache", str(p)], env))
                fresh.append(_timed([sys.executable, "-m", "gkcore", "parse", str(p)], env))
            b, n, f = (statistics.median(x) for x in (base, nocache, fresh))
            worst = max(worst, n / b, f / b)
            print(f"{p.name:36} {npages:5d} {b:12.3f} {n:18.3f} {n / b:6.2f} {f:18.3f} {f / b:6.2f}")
    print(f"start-up: worst ratio {worst:.2f} (target at most 1.5; medians of {starts} interleaved runs)")


if __name__ == "__main__":
    main()
