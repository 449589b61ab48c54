"""Class 1 of issue 10: unruled tables (no ruling lines at all) with wrapped row labels. Labels wrap onto two or
more lines and the numbers sit on the first, middle or last line; header words break inside narrow columns
(商业企 / 业); 三、本年度办理结果 runs one character per line down the left edge; header rows may repeat after
a page break, which falls anywhere; zero printed as "", "0", "—", "/" or "０"; both template formats."""

from __future__ import annotations

import random
from pathlib import Path

from tests.fixtures import make_generated as mg

from ._pdfgen import base_spec, blank_style, content, font, printed, write

CLASS = "unruled"


def make(seed: int, out: Path) -> Path:
    rng = random.Random(f"{CLASS}-{seed}")  # the same seed draws differently in each class
    with font(rng) as name:
        spec = base_spec(CLASS, seed, rng, ["表三 unruled: no lines, columns aligned by x only", f"font {name}"])
        style = blank_style(rng)
        spec["feat"].append(f"blank style {style}")
        raw = printed(mg.gen_values(spec, rng), rng, style)
        return write(spec, content(spec, rng, raw), out)
