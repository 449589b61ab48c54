"""Accuracy over generated ugly layouts (issue 10): for N fresh seeds per class of tests/gen, generate a
document with its truth, parse it with gkcore.parse_file, and compare every template cell with the truth.

    .venv/bin/python bench/accuracy.py --per-class 100 --seed-base 100000 [--classes unruled,sparse] [--jobs 2]

Per class: documents, cells, % right (raw and value equal the truth), % right-or-flagged (right, or
flag = unsure), cells wrong and not flagged (the number that must be 0), agency exact (count/total), and
documents refused (parse errors; their cells count as not right but not as wrong-and-unflagged, since
the user sees an error rather than a number). The seeds are fresh: keep --seed-base away from the
fixed seeds of tests/fixtures/ugly (below 1000). --show N lists up to N wrong-and-unflagged cells.

Where the truth records how each row was printed (run-together text, tests/gen/runtogether.py), a line
under the table says how many cells were left unsure and how many of those are provably ambiguous in the
printed text: another reading of the row keeps every prose figure and as many sum rules as the truth
(tests/gen/_ambiguity.py, independent of the parser).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gkcore  # noqa: E402
from gkcore.model import FLAG_UNSURE  # noqa: E402
from tests.gen import generators, make, truth_of  # noqa: E402
from tests.gen._ambiguity import ambiguous  # noqa: E402


@dataclass
class Tally:
    docs: int = 0
    cells: int = 0
    right: int = 0
    flagged_wrong: int = 0       # not right, but flagged unsure
    silent: int = 0              # wrong and not flagged
    agency: int = 0
    errors: int = 0
    unsure: int = -1             # cells flagged unsure (-1: the truth cannot tell whether they are ambiguous)
    ambiguous: int = 0           # of those, provably ambiguous in the printed text
    examples: list[str] = field(default_factory=list)

    def add(self, o: Tally) -> None:
        if o.unsure >= 0:
            self.unsure = max(self.unsure, 0) + o.unsure
        for k in ("docs", "cells", "right", "flagged_wrong", "silent", "agency", "errors", "ambiguous"):
            setattr(self, k, getattr(self, k) + getattr(o, k))
        self.examples += o.examples


def score(doc: Path) -> Tally:
    """Parse one generated document and compare it with its truth."""
    truth = truth_of(doc)
    t = Tally(docs=1, cells=len(truth["cells"]))
    try:
        report = gkcore.parse_file(doc)
    except Exception as exc:  # a refused document: counted, never fatal to the run
        t.errors = 1
        t.examples.append(f"{doc.name}: refused: {exc}")
        return t
    got = {(c.table, c.row, c.col): c for c in report.cells}
    for w in truth["cells"]:
        c = got.get((w["table"], w["row"], w["col"]))
        if c is not None and c.raw == w["raw"] and c.value == w["value"]:
            t.right += 1
        elif c is not None and c.flag == FLAG_UNSURE:
            t.flagged_wrong += 1
        else:
            t.silent += 1
            seen = "missing" if c is None else f"{c.raw!r}"
            t.examples.append(f"{doc.name}: {w['table']}.{w['row']}.{w['col']} = {seen}, truth {w['raw']!r}")
    if "printed_rows" in truth:
        unsure = [(c.table, c.row, c.col) for c in report.cells if c.flag == FLAG_UNSURE]
        t.unsure, t.ambiguous = len(unsure), sum(ambiguous(truth, k) is True for k in unsure)
    if report.meta.agency == truth["agency"]:
        t.agency = 1
    else:
        t.examples.append(f"{doc.name}: agency {report.meta.agency!r}, truth {truth['agency']!r}")
    return t


def one(job: tuple[str, int]) -> tuple[str, Tally]:
    cls, seed = job
    with tempfile.TemporaryDirectory(prefix="gk-acc-") as tmp:
        return cls, score(make(cls, seed, Path(tmp)))


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f}%" if b else "-"


def table(tallies: dict[str, Tally]) -> str:
    head = f"{'class':<12}{'docs':>6}{'cells':>8}{'right':>9}{'right|flag':>12}{'wrong-unflagged':>17}" \
           f"{'agency exact':>14}{'refused':>9}"
    lines = [head, "-" * len(head)]
    total = Tally()
    for cls, t in tallies.items():
        total.add(t)
        lines.append(_row(cls, t))
    lines += ["-" * len(head), _row("total", total)]
    return "\n".join(lines)


def _row(name: str, t: Tally) -> str:
    return (f"{name:<12}{t.docs:>6}{t.cells:>8}{pct(t.right, t.cells):>9}"
            f"{pct(t.right + t.flagged_wrong, t.cells):>12}{t.silent:>17}{f'{t.agency}/{t.docs}':>14}{t.errors:>9}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-class", type=int, default=100)
    ap.add_argument("--seed-base", type=int, default=100_000)
    ap.add_argument("--classes", default="", help="comma-separated (default: every class in tests/gen)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=0, help="list up to N wrong-and-unflagged cells and refusals")
    args = ap.parse_args(argv)
    known = list(generators())
    classes = [c for c in args.classes.split(",") if c] or known
    if unknown := set(classes) - set(known):
        ap.error(f"unknown class(es) {sorted(unknown)}; known: {known}")
    jobs = [(c, args.seed_base + i) for c in classes for i in range(args.per_class)]
    start = time.perf_counter()
    tallies = {c: Tally() for c in classes}
    with ProcessPoolExecutor(args.jobs) as pool:
        for cls, t in pool.map(one, jobs, chunksize=4):
            tallies[cls].add(t)
    print(f"bench/accuracy.py: {args.per_class} documents per class, seeds {args.seed_base}.."
          f"{args.seed_base + args.per_class - 1}, {time.perf_counter() - start:.0f} s")
    print(table(tallies))
    for cls, t in tallies.items():
        if t.unsure >= 0:
            print(f"{cls}: {t.unsure} cells unsure ({t.flagged_wrong} of them not the truth), {t.ambiguous} of "
                  f"them provably ambiguous in the printed text ({pct(t.ambiguous, max(t.unsure, 1))})")
    if args.show:
        for cls, t in tallies.items():
            for ex in t.examples[: args.show]:
                print(f"  [{cls}] {ex}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
