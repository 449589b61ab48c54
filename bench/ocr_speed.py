"""OCR speed and accuracy on the scanned fixtures (tests/fixtures/scanned): seconds per scanned
page and per report, against the text twin's parse in the same process, and cell accuracy
(right / flagged unsure / wrong and not flagged) against the twin's cells.

    .venv/bin/python bench/ocr_speed.py

Target (issue 4): under 5 s a page on this 2-core machine, and 100% of cells right or flagged.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gkcore.parse import pipeline  # noqa: E402
from gkcore.parse.readers import ocr  # noqa: E402

PAIRS = {
    "scan-hongze-2024-full.pdf": "jiangsu-huaian-hongze_2024_qu-zhengfu.pdf",
    "scan-huaian-2024-mixed.pdf": "jiangsu-huaian_2024_shi-zhengfu.pdf",
    "scan-hongze-2023-300dpi.pdf": "jiangsu-huaian-hongze_2023_qu-zhengfu.pdf",
}


def main() -> None:
    ocr.keep_buffers()     # as in a parse's child process (this one forks nothing either): what a user's parse runs
    t = time.perf_counter()
    ocr._engine()
    print(f"loading the OCR models: {time.perf_counter() - t:.2f} s (once per process)")
    print(f"{'scan':28} {'pages':>5} {'OCR pages':>9} {'s/report':>8} {'s/page':>7} {'twin s':>7} "
          f"{'right':>5} {'unsure':>6} {'wrong':>5}")
    for scan, twin in PAIRS.items():
        data = (ROOT / "tests/fixtures/scanned" / scan).read_bytes()
        t = time.perf_counter()
        report = pipeline.parse_bytes(data, scan)
        secs = time.perf_counter() - t
        t = time.perf_counter()
        truth = pipeline.parse_file(ROOT / "tests/fixtures/real" / twin)
        twin_s = time.perf_counter() - t
        want = {c.ref: c.raw for c in truth.cells}
        right = sum(1 for c in report.cells if c.flag != "unsure" and want.get(c.ref) == c.raw)
        unsure = sum(1 for c in report.cells if c.flag == "unsure")
        wrong = sum(1 for c in report.cells if c.flag != "unsure" and want.get(c.ref) != c.raw)
        n_ocr = len(report.meta.ocr_pages.split(","))
        print(f"{scan:28} {report.meta.pages:5d} {n_ocr:9d} {secs:8.2f} {secs / n_ocr:7.2f} {twin_s:7.2f} "
              f"{right:5d} {unsure:6d} {wrong:5d}")


if __name__ == "__main__":
    main()
