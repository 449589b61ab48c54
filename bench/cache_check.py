"""What the cache's integrity checks cost on a large library (made by bench/make_library.py):
the listing `Cache.entries()` (each entry's manifest present, every file's size as listed) against
the plain folder listing it replaced, in the same process; `get` (every part's SHA-256 checked)
against the old unchecked `get` (the four Parquet files read, the report built); and the full `verify()` (every hash).

    .venv/bin/python bench/make_library.py /tmp/lib10k --n 10000
    .venv/bin/python bench/cache_check.py /tmp/lib10k
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gkcore import Cache, ParsedReport  # noqa: E402
from gkcore.model.frames import report_from_frames  # noqa: E402
from gkcore.store.cache import PARTS  # noqa: E402


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Best of `repeat` wall times (seconds) and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def unchecked_get(cache: Cache, sha: str) -> ParsedReport:
    """What `get` did before the integrity checks: read the four parts, build the report."""
    f = {k: pd.read_parquet(cache.path(sha) / f"{k}.parquet") for k in PARTS}
    return report_from_frames(f["report"].iloc[0], f["cells"], f["checks"], f["figures"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--gets", type=int, default=200)
    args = ap.parse_args()
    cache = Cache(args.root)

    def plain() -> list[Path]:
        return sorted(p for p in cache.dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    t_plain, listed = timed(plain)
    t = time.perf_counter()
    first = cache.entries()                  # reads every manifest once
    t_first = time.perf_counter() - t
    t_again, again = timed(cache.entries)    # manifests known: one stat per file
    assert isinstance(listed, list) and isinstance(again, list) and len(first) == len(again) == len(listed)
    n = len(first)
    print(f"{n} entries")
    print(f"plain listing (no checks)            {t_plain * 1000:8.1f} ms")
    print(f"entries(), first call in the process {t_first * 1000:8.1f} ms  ({t_first / t_plain:.1f}x)")
    print(f"entries(), again                     {t_again * 1000:8.1f} ms  ({t_again / t_plain:.1f}x)")

    shas = [p.name for p in random.Random(0).sample(first, min(args.gets, n))]
    t_get, _ = timed(lambda: [cache.get(s) for s in shas], 1)
    t_raw, _ = timed(lambda: [unchecked_get(cache, s) for s in shas], 1)
    print(f"get() with hashes, per report        {t_get / len(shas) * 1000:8.2f} ms  "
          f"(the old get, unchecked: {t_raw / len(shas) * 1000:.2f} ms)")
    t_verify, res = timed(cache.verify, 1)
    print(f"verify() of every hash               {t_verify:8.2f} s   ({res})"[:160])


if __name__ == "__main__":
    main()
