"""Class 3 of issue 10: a 表三 row cut by a page break with its numbers before the break. The numbers and the
first line(s) of the label sit at the bottom of one page; the rest of the label continues on the next page,
usually after the repeated header rows. The table is mostly unruled, sometimes ruled."""

from __future__ import annotations

import random
from pathlib import Path

from tests.fixtures import make_generated as mg

from ._pdfgen import base_spec, blank_style, content, font, printed, write

CLASS = "pagecut"


def make(seed: int, out: Path) -> Path:
    rng = random.Random(f"{CLASS}-{seed}")  # the same seed draws differently in each class
    with font(rng) as name:
        spec = base_spec(CLASS, seed, rng, ["a 表三 row cut by a page break, its numbers before the break",
                                            f"font {name}"])
        spec.update(row_split=True, cut_values="before", repeat_header=rng.random() < 0.8, spacer_at="三",
                    rules_t3=rng.choice(["none", "none", "none", "horiz", "full"]), t3_c2=rng.uniform(5.5, 10.0))
        style = blank_style(rng)
        spec["feat"].append(f"blank style {style}")
        raw = printed(mg.gen_values(spec, rng), rng, style)
        start = rng.randint(0, 300)
        return write(spec, content(spec, rng, raw), out, want=lambda L: any(x[0] == "t3" for x in L.cuts),
                     search=("spacer", [start + 2 * i for i in range(400)]))
