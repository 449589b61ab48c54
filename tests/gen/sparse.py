"""Class 2 of issue 10: a sparse unruled 表三. Almost every cell is blank or a filler ("—", "/"); whole columns
are empty all the way down (often all five 法人或其他组织 columns); the few numbers are small and some are in
full-width digits (０-９)."""

from __future__ import annotations

import random
from pathlib import Path

from tests.fixtures import make_generated as mg

from ._pdfgen import base_spec, content, font, printed, write

CLASS = "sparse"
LEGAL = mg.T3_COLS[1:6]


def sparse_values(spec: dict, rng: random.Random) -> tuple[dict, frozenset[str]]:
    """Consistent figures where only a few cells are not zero; the columns that are zero all the way down."""
    v = mg.gen_values(spec, rng)
    codes = [r[0] for r in mg.t3_rows(spec)]
    outcomes = codes[2:-2]
    empty = set(LEGAL) if rng.random() < 0.6 else set(rng.sample(LEGAL, rng.randint(2, 5)))
    for col in mg.T3_COLS[:6]:
        if col in empty:
            for r in codes:
                v[("t3", r, col)] = 0
    few = rng.sample(outcomes, rng.randint(1, 3))     # the natural persons' few requests land in few rows
    n = rng.randint(0, 6)
    got = rng.choices(few, k=n)
    for r in outcomes:
        v[("t3", r, "natural_person")] = got.count(r)
    co = v[("t3", "carried_over", "natural_person")] = rng.randint(0, min(2, n))
    cf = v[("t3", "carry_forward", "natural_person")] = rng.randint(0, 2)
    v[("t3", "total_processed", "natural_person")] = n
    v[("t3", "new_received", "natural_person")] = n + cf - co
    if n + cf == 0:
        empty.add("natural_person")
    for r in codes:
        v[("t3", r, "total")] = sum(v[("t3", r, c)] for c in mg.T3_COLS[:6])
    if rng.random() < 0.7:
        for k in v:
            if k[0] == "t4":
                v[k] = 0
    return v, frozenset(empty)


def make(seed: int, out: Path) -> Path:
    rng = random.Random(f"{CLASS}-{seed}")  # the same seed draws differently in each class
    with font(rng) as name:
        spec = base_spec(CLASS, seed, rng, ["sparse unruled 表三: most cells blank or a filler", f"font {name}"])
        values, empty = sparse_values(spec, rng)
        style = dict(zero=rng.choice(["", "", "—", "—", "/", "０", "0"]), row_odd=rng.choice([0.0, 0.2]),
                     cell_odd=rng.choice([0.0, 0.1]), full=rng.choice([0.0, 0.3, 1.0]))
        blank_cols = empty if rng.random() < 0.7 else frozenset()   # else the filler runs down those columns
        spec["feat"] += [f"blank style {style}", f"columns blank all the way down: {sorted(blank_cols)}"]
        raw = printed(values, rng, style, blank_cols)
        return write(spec, content(spec, rng, raw), out)
