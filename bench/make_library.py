"""A large library for the benchmarks: N perturbed copies of the real sample reports, written
into a cache folder through gkcore's own Cache.put (no file is re-parsed).

    .venv/bin/python bench/make_library.py OUT_DIR [--n 1000] [--jobs N]
    GK_CACHE_DIR=OUT_DIR .venv/bin/streamlit run app.py      # the dashboard on that library

Each copy gets a new sha256 key and report id, an agency from 29 prefecture cities x 10 kinds
of body (x 9 zones beyond the first 1,160 copies, so 10,000 copies are 2,610 agencies with four
years each), a year from 2021 to 2024, and its figures multiplied by whole factors, one per table
(表二, 表三 and 表四 scaled independently). Every template rule is a sum within one table, so
whole factors keep every sum as consistent as it was: the checks are rerun on each copy and must
give the same statuses as the original report. Copies are written by several processes (one per
core by default); copy i depends only on (seed, i), so the library is the same however it is split.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gkcore import Cache, ParsedReport, parse_bytes  # noqa: E402
from gkcore.model import CheckResult, format_value  # noqa: E402
from gkcore.parse.checks import run_checks  # noqa: E402
from gkcore.parse.template import load  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
CITIES = (  # (province, city, GB/T 2260 code)
    ("江苏省", "南京市", "320100"), ("江苏省", "无锡市", "320200"), ("江苏省", "徐州市", "320300"),
    ("江苏省", "常州市", "320400"), ("江苏省", "苏州市", "320500"), ("江苏省", "南通市", "320600"),
    ("江苏省", "连云港市", "320700"), ("江苏省", "淮安市", "320800"), ("江苏省", "盐城市", "320900"),
    ("江苏省", "扬州市", "321000"), ("江苏省", "镇江市", "321100"), ("江苏省", "泰州市", "321200"),
    ("江苏省", "宿迁市", "321300"), ("山东省", "济南市", "370100"), ("山东省", "青岛市", "370200"),
    ("山东省", "淄博市", "370300"), ("山东省", "枣庄市", "370400"), ("山东省", "东营市", "370500"),
    ("山东省", "烟台市", "370600"), ("山东省", "潍坊市", "370700"), ("山东省", "济宁市", "370800"),
    ("山东省", "泰安市", "370900"), ("山东省", "威海市", "371000"), ("山东省", "日照市", "371100"),
    ("山东省", "临沂市", "371300"), ("山东省", "德州市", "371400"), ("山东省", "聊城市", "371500"),
    ("山东省", "滨州市", "371600"), ("山东省", "菏泽市", "371700"),
)
BODIES = ("人民政府", "人民政府办公室", "发展和改革委员会", "教育局", "公安局", "财政局", "自然资源和规划局",
          "生态环境局", "住房和城乡建设局", "交通运输局")
ZONES = ("", "经济技术开发区", "高新技术产业开发区", "新区", "港区", "工业园区", "综合保税区", "旅游度假区",
         "生态经济区")
YEARS = (2021, 2022, 2023, 2024)
#: prose figures checked against a table, and so scaled with that table
PROSE_TABLE = {"applications_received": "t3", "applications_answered": "t3", "applications_carried_forward": "t3",
               "reviews": "t4", "lawsuits": "t4", "items_published": "t2"}


def parse_samples() -> list[ParsedReport]:
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() in (".pdf", ".txt"))
    return [parse_bytes(p.read_bytes(), p.name) for p in files]


def _scaled(value: float | int | None, k: int) -> float | int | None:
    return None if value is None else value * k


def perturb(base: ParsedReport, i: int, rng: random.Random) -> ParsedReport:
    """Copy number i of a report: new identity, figures of each table times a whole factor,
    checks rerun on the new figures."""
    k = {"t2": rng.randint(1, 5), "t3": rng.randint(1, 5), "t4": rng.randint(1, 4)}
    cells = tuple(
        c if c.value is None or k.get(c.table, 1) == 1
        else replace(c, value=_scaled(c.value, k[c.table]), raw=format_value(_scaled(c.value, k[c.table])))
        for c in base.cells)
    figures = tuple(replace(f, value=int(f.value * k.get(PROSE_TABLE.get(f.code, ""), 1))) for f in base.figures)
    province, city, code = CITIES[(i // len(YEARS)) % len(CITIES)]
    body = BODIES[(i // len(YEARS) // len(CITIES)) % len(BODIES)]
    zone = ZONES[(i // len(YEARS) // len(CITIES) // len(BODIES)) % len(ZONES)]
    sha = hashlib.sha256(f"{base.meta.sha256}:{i}".encode()).hexdigest()
    meta = replace(base.meta, report_id=sha[:16], sha256=sha, source_name=f"synthetic-{i:04d}-{base.meta.source_name}",
                   agency=f"{city}{zone}{body}", region=f"{province}{city}", region_code=code,
                   year=YEARS[i % len(YEARS)])
    template = load(meta.template)
    checks = tuple(run_checks(template, cells, figures))
    return ParsedReport(meta, cells, figures, checks, base.tables)


def _statuses(checks: Iterable[CheckResult]) -> list[tuple[str, str, str]]:
    return [k.flat() for k in checks]


def _check_bases(bases: list[ParsedReport]) -> None:
    """The template's rules rerun on each unchanged original give its stored statuses back."""
    for b in bases:
        t = load(b.meta.template)
        rerun = run_checks(t, b.cells, b.figures)
        assert _statuses(rerun) == _statuses(b.checks), f"{b.meta.source_name}: checks do not rerun the same"


def _write(root: Path, indices: list[int], seed: int, bases: list[ParsedReport]) -> list[str]:
    cache = Cache(root)
    ids = []
    for i in indices:
        base = bases[i % len(bases)]
        rep = perturb(base, i, random.Random(seed * 1_000_003 + i))
        assert _statuses(rep.checks) == _statuses(base.checks), f"copy {i}: scaling changed the check statuses"
        cache.put(rep)
        ids.append(rep.meta.report_id)
    return ids


def build(root: Path, n: int = 1000, seed: int = 0, bases: list[ParsedReport] | None = None,
          jobs: int = 1) -> list[str]:
    """Write n perturbed reports into the cache at root (with jobs processes); returns their
    report ids in copy order."""
    bases = bases or parse_samples()
    _check_bases(bases)
    if jobs <= 1 or n < 200:
        return _write(root, list(range(n)), seed, bases)
    chunks = [list(range(i, min(i + 250, n))) for i in range(0, n, 250)]
    with ProcessPoolExecutor(jobs) as pool:
        done = pool.map(_write, [root] * len(chunks), chunks, [seed] * len(chunks), [bases] * len(chunks))
        return [rid for part in done for rid in part]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="writer processes (default: one per core)")
    args = ap.parse_args()
    t = time.perf_counter()
    ids = build(args.out, args.n, args.seed, jobs=args.jobs)
    print(f"{len(ids)} reports written to {Cache(args.out).dir} in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
