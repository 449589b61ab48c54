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

Old against new (issue 18): `--ref TREE` scores the reader of another checkout instead of this one's, on
the same seeds: TREE is a folder holding that commit's gkcore (make it outside /work/wt with
`git worktree add /tmp/scan-old df44316`, never commit to it), or a commit, checked out to
/tmp/gk-ref-<commit>. Its reader runs in subprocesses with only that tree on sys.path. `--docs DIR` keeps
the generated documents there and reuses them, so both readers see the very same files, and stores
each reader's reading beside each document as it is made (named by the reader's commit, "+" for changes
not committed): a run stopped midway resumes, and `--have` scores only what has been read. Where the truth
records a scan's degradations (tests/gen/scanpoor.py), a second table gives the figures per band.
`--save FILE` writes one JSON line per document (its tallies and bands), to compare two runs document by
document.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gkcore  # noqa: E402
from gkcore.model import FLAG_UNSURE  # noqa: E402
from tests.gen import generators, make, truth_of, truth_path  # noqa: E402
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


Reading = dict[str, Any]      # {"cells": [[table, row, col, raw, value, flag], ...], "agency": str} or {"error": str}


def read_here(doc: Path) -> Reading:
    """This checkout's reading of one document."""
    try:
        report = gkcore.parse_file(doc)
    except Exception as exc:  # a refused document: counted, never fatal to the run
        return {"error": str(exc)}
    return {"agency": report.meta.agency,
            "cells": [[c.table, c.row, c.col, c.raw, c.value, c.flag] for c in report.cells]}


_REF_READER = """
import json, sys, types
from importlib import resources
sys.path.insert(0, sys.argv[1])
# an older tree imports cpca as it is, which asks setuptools' pkg_resources (gone from this venv) for
# one function: lent here, as gkcore/parse/meta.py does, so the old reader runs unchanged
shim = types.ModuleType("pkg_resources")
shim.resource_stream = lambda pkg, name: resources.files(pkg).joinpath(name).open("rb")
sys.modules.setdefault("pkg_resources", shim)
import gkcore
for line in sys.stdin:
    path, keep = line.rstrip("\\n").split("\\t")
    try:
        r = gkcore.parse_file(path)
        out = {"agency": r.meta.agency, "cells": [[c.table, c.row, c.col, c.raw, c.value, c.flag] for c in r.cells]}
    except Exception as exc:
        out = {"error": str(exc)}
    if keep:
        open(keep, "w", encoding="utf-8").write(json.dumps(out, ensure_ascii=False))
    print(json.dumps({"doc": path, **out}, ensure_ascii=False), flush=True)
"""


def kept(doc: Path, tag: str) -> Path:
    """Where a reader's reading of a kept document is stored (so an interrupted run resumes)."""
    return doc.with_name(f"{doc.name}.{tag}.reading.json")


def tag_of(tree: Path, prefix: str) -> str:
    """A reader's name for its stored readings: the commit of the reference tree, or of this tree's last change
    to gkcore (a commit of benches or docs reads the same), "+" when its gkcore has changes not committed."""
    which = ["rev-parse", "--short", "HEAD"] if prefix == "ref" else ["log", "-1", "--format=%h", "--", "gkcore"]
    head = subprocess.run(["git", "-C", str(tree), *which], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(tree), "status", "--porcelain", "gkcore"], capture_output=True,
                           text=True).stdout.strip()
    return f"{prefix}-{head}{'+' if dirty else ''}"


def ref_tree(ref: str) -> Path:
    """The folder of the reference reader: `ref` itself, or commit `ref` checked out beside /tmp."""
    if Path(ref).is_dir():
        return Path(ref).resolve()
    tree = Path(tempfile.gettempdir(), f"gk-ref-{ref}")
    if not tree.is_dir():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref], check=True)
    return tree


def read_ref(tree: Path, docs: list[Path], jobs: int, tag: str = "") -> dict[Path, Reading]:
    """The reference tree's readings, `jobs` subprocesses each reading its share of `docs` in turn
    (with a tag, each reading is also stored beside its document as soon as it is made)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out: dict[Path, Reading] = {}
    if tag:
        out = {d: json.loads(kept(d, tag).read_text("utf-8")) for d in docs if kept(d, tag).exists()}
        docs = [d for d in docs if d not in out]
    procs = [subprocess.Popen([sys.executable, "-c", _REF_READER, str(tree)], cwd=tree, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(jobs)]
    for i, proc in enumerate(procs):
        assert proc.stdin is not None
        proc.stdin.write("".join(f"{d}\t{kept(d, tag) if tag else ''}\n" for d in docs[i::jobs]))
        proc.stdin.close()
    for proc in procs:
        assert proc.stdout is not None
        for line in proc.stdout:
            r = json.loads(line)
            out[Path(r.pop("doc"))] = r
        proc.wait()
    return out


def bands(truth: dict[str, Any]) -> list[str]:
    """The degradation bands a poor scan falls in (tests/gen/scanpoor.py), for the per-band table."""
    d = truth.get("degradation")
    if not d:
        return []
    return [f"dpi {'100-120' if d['dpi'] <= 120 else '130-150'}",
            f"JPEG {'20-32' if d['quality'] <= 32 else '33-45'}",
            f"skew {'<0.75' if abs(d['angle']) < 0.75 else '0.75-1.5'}°",
            "ink faded" if d["fade"] >= 0.2 else "ink even",
            "specks" if d["specks"] else "no specks",
            "copier bands" if d["bands"] else "no bands",
            f"paper {'grey <225' if d['paper'] < 225 else 'light'}",
            *(f"rules {f.split(':')[1].strip()}" for f in truth.get("features", ()) if f.startswith("borders:"))]


def score(doc: Path, reading: Reading) -> Tally:
    """Compare one document's reading with its truth."""
    truth = truth_of(doc)
    t = Tally(docs=1, cells=len(truth["cells"]))
    if "error" in reading:
        t.errors = 1
        t.examples.append(f"{doc.name}: refused: {reading['error']}")
        return t
    got = {(c[0], c[1], c[2]): c for c in reading["cells"]}
    for w in truth["cells"]:
        c = got.get((w["table"], w["row"], w["col"]))
        if c is not None and c[3] == w["raw"] and c[4] == w["value"]:
            t.right += 1
        elif c is not None and c[5] == FLAG_UNSURE:
            t.flagged_wrong += 1
        else:
            t.silent += 1
            seen = "missing" if c is None else f"{c[3]!r}"
            t.examples.append(f"{doc.name}: {w['table']}.{w['row']}.{w['col']} = {seen}, truth {w['raw']!r}")
    if "printed_rows" in truth:
        unsure = [(c[0], c[1], c[2]) for c in reading["cells"] if c[5] == FLAG_UNSURE]
        t.unsure, t.ambiguous = len(unsure), sum(ambiguous(truth, k) is True for k in unsure)
    if reading["agency"] == truth["agency"]:
        t.agency = 1
    else:
        t.examples.append(f"{doc.name}: agency {reading['agency']!r}, truth {truth['agency']!r}")
    return t


def generate(job: tuple[str, int, str]) -> Path:
    """One document of the run in folder `out` (reused when already there)."""
    cls, seed, out = job
    doc = next(Path(out).glob(f"{cls}-{seed}.*[!n]"), None)      # any document but its truth (.json)
    return doc if doc is not None and truth_path(doc).exists() else make(cls, seed, Path(out))


def one(job: tuple[str, int, str], tag: str = "") -> tuple[Path, Reading]:
    doc = generate(job)
    if tag and kept(doc, tag).exists():
        return doc, json.loads(kept(doc, tag).read_text("utf-8"))
    reading = read_here(doc)
    if tag:
        kept(doc, tag).write_text(json.dumps(reading, ensure_ascii=False), "utf-8")
    return doc, reading


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f}%" if b else "-"


def table(tallies: dict[str, Tally], total: bool = True) -> str:
    head = f"{'class':<20}{'docs':>6}{'cells':>8}{'right':>9}{'right|flag':>12}{'wrong-unflagged':>17}" \
           f"{'agency exact':>14}{'refused':>9}"
    lines = [head, "-" * len(head)]
    whole = Tally()
    for cls, t in tallies.items():
        whole.add(t)
        lines.append(_row(cls, t))
    if total:
        lines += ["-" * len(head), _row("total", whole)]
    return "\n".join(lines)


def _row(name: str, t: Tally) -> str:
    return (f"{name:<20}{t.docs:>6}{t.cells:>8}{pct(t.right, t.cells):>9}"
            f"{pct(t.right + t.flagged_wrong, t.cells):>12}{t.silent:>17}{f'{t.agency}/{t.docs}':>14}{t.errors:>9}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-class", type=int, default=100)
    ap.add_argument("--seed-base", type=int, default=100_000)
    ap.add_argument("--classes", default="", help="comma-separated (default: every class in tests/gen)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=0, help="list up to N wrong-and-unflagged cells and refusals")
    ap.add_argument("--ref", default="", help="score this tree's (or commit's) reader instead of this checkout's")
    ap.add_argument("--docs", default="", help="keep the generated documents in this folder and reuse them")
    ap.add_argument("--have", action="store_true", help="with --docs: score only the documents already read")
    ap.add_argument("--save", default="", help="write one JSON line per document to this file")
    args = ap.parse_args(argv)
    known = list(generators())
    classes = [c for c in args.classes.split(",") if c] or known
    if unknown := set(classes) - set(known):
        ap.error(f"unknown class(es) {sorted(unknown)}; known: {known}")
    with tempfile.TemporaryDirectory(prefix="gk-acc-") as tmp:
        out = args.docs or tmp
        Path(out).mkdir(parents=True, exist_ok=True)
        jobs = [(c, args.seed_base + i, out) for c in classes for i in range(args.per_class)]
        start = time.perf_counter()
        with ProcessPoolExecutor(args.jobs) as pool:
            tree = ref_tree(args.ref) if args.ref else ROOT
            tag = tag_of(tree, "ref" if args.ref else "here") if args.docs else ""
            if args.have:       # only the documents this reader has already read (an interrupted run's)
                jobs = [j for j in jobs if (d := next(Path(out).glob(f"{j[0]}-{j[1]}.*[!n]"), None))
                        and kept(d, tag).exists()]
            if args.ref:
                docs = list(pool.map(generate, jobs, chunksize=4))
                got = read_ref(tree, docs, args.jobs, tag)
                readings = [(d, got.get(d, {"error": "the reference reader gave no answer"})) for d in docs]
            else:
                readings = list(pool.map(partial(one, tag=tag), jobs, chunksize=4))
        tallies = {c: Tally() for c in classes}
        by_band: dict[str, Tally] = {}
        saved = []
        for (cls, seed, _), (doc, reading) in zip(jobs, readings, strict=True):
            t, truth = score(doc, reading), truth_of(doc)
            tallies[cls].add(t)
            for band in bands(truth):
                by_band.setdefault(band, Tally()).add(t)
            saved.append({"class": cls, "seed": seed, "cells": t.cells, "right": t.right, "unsure": t.flagged_wrong,
                          "silent": t.silent, "refused": t.errors, "bands": bands(truth), "wrong": t.examples})
    reader = f"reader of {args.ref}" if args.ref else "this checkout's reader"
    print(f"bench/accuracy.py: {reader}{f' ({tag})' if tag else ''}, {len(jobs)} documents, seeds "
          f"{args.seed_base}..{args.seed_base + args.per_class - 1}, {time.perf_counter() - start:.0f} s")
    print(table(tallies))
    if by_band:
        print("\nby degradation band (a document counts in one band of each kind):")
        print(table(dict(sorted(by_band.items())), total=False))
    for cls, t in tallies.items():
        if t.unsure >= 0:
            print(f"{cls}: {t.unsure} cells unsure ({t.flagged_wrong} of them not the truth), {t.ambiguous} of "
                  f"them provably ambiguous in the printed text ({pct(t.ambiguous, max(t.unsure, 1))})")
    if args.save:
        Path(args.save).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in saved), "utf-8")
    if args.show:
        for cls, t in tallies.items():
            for ex in t.examples[: args.show]:
                print(f"  [{cls}] {ex}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
