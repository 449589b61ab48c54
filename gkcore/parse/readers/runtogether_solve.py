"""Solving a run-together table: each row's cuts (readers/runtogether_cuts.py) narrowed by the
figures the prose states about the row, then by the rules that tie rows together (each 表三
column's 收办平衡 and 办理结果合计), over the whole table at once. Where the report itself does
not add up, the choices that break the fewest rules are kept. A cell that still reads more than
one way is not guessed: its readings are reported."""

from __future__ import annotations

from dataclasses import dataclass

from .runtogether_cuts import Number, RowRun, _value, row_cuts

MAX_STATES = 200000               # partial sums tracked while solving a table


@dataclass(frozen=True)
class ColRule:
    """Rows whose cells in every column must add up: sum(lhs rows) == sum(rhs rows)."""

    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


@dataclass(frozen=True)
class SplitRow:
    code: str
    printed: str
    readings: tuple[tuple[str, ...], ...]   # per cell, the readings still possible; () if no cut fits
    cuts: int                                 # how many whole-row cuts remain possible


def _terms(rows: list[RowRun], ncols: int, rules: list[ColRule]) -> list[list[tuple[int, int]]]:
    """For each row, the (state index, sign) pairs its cells add to: one state per rule and column."""
    out = []
    for row in rows:
        terms = []
        for k, rule in enumerate(rules):
            sign = (row.code in rule.lhs) - (row.code in rule.rhs)
            terms += [(k * ncols + c, sign) for c in range(ncols)] if sign else []
        out.append(terms)
    return out


Layer = dict[tuple[Number, ...], list[tuple[tuple[Number, ...], int]]]


def _narrow(options: list[list[tuple[str, ...]]], terms: list[list[tuple[int, int]]], ncols: int,
            nstates: int) -> list[set[int]] | None:
    """The cuts of each row that lie on some choice of one cut per row keeping the most rules
    (dynamic programming over the rules' partial sums, branching only on rows with several
    cuts); None when the sums grow too many."""
    deltas = []                   # what each cut of each row adds to the partial sums
    for opts, ts in zip(options, terms, strict=True):
        row = []
        for cut in opts:
            acc: list[Number] = [0] * nstates
            for i, sign in ts:
                acc[i] += sign * _value(cut[i % ncols])
            row.append(tuple(acc))
        deltas.append(row)
    exact = all(isinstance(x, int) for row in deltas for d in row for x in d)

    def add(s: tuple[Number, ...], d: tuple[Number, ...]) -> tuple[Number, ...]:
        return tuple(a + b for a, b in zip(s, d, strict=True)) if exact else \
            tuple(round(a + b, 6) for a, b in zip(s, d, strict=True))

    start: tuple[Number, ...] = (0,) * nstates
    for row in deltas:
        if len(row) == 1:
            start = add(start, row[0])
    branching = [i for i, row in enumerate(deltas) if len(row) > 1]
    layers: list[Layer] = []
    states = [start]
    for i in branching:
        nxt: Layer = {}
        for s in states:
            for j, d in enumerate(deltas[i]):
                nxt.setdefault(add(s, d), []).append((s, j))
        if len(nxt) > MAX_STATES:
            return None
        layers.append(nxt)
        states = list(nxt)
    best = max(sum(x == 0 for x in s) for s in states)
    alive = {s for s in states if sum(x == 0 for x in s) == best}
    keep: list[set[int]] = [set(range(len(row))) for row in deltas]
    for layer, i in zip(reversed(layers), reversed(branching), strict=True):
        keep[i] = {j for s in alive for _, j in layer[s]}
        alive = {p for s in alive for p, _ in layer[s]}
    return keep


def _agree(options: list[tuple[str, ...]], stated: tuple[tuple[tuple[tuple[int, ...], ...], int], ...]
           ) -> list[tuple[str, ...]]:
    """The cuts that agree with each figure the prose states about the row; a figure that no cut
    gives is ignored (the prose counted something else)."""
    for alts, value in stated:
        kept = [o for o in options if any(abs(sum(_value(o[i]) for i in alt) - value) < 1e-6 for alt in alts)]
        options = kept or options
    return options


def solve(rows: list[RowRun], rules: list[ColRule], ncols: int) -> list[SplitRow]:
    """Each row's cuts narrowed by its own checks, then by the rules across rows (the cuts on
    some choice that keeps the most rules survive). Rules naming a row that could not be cut
    are left out."""
    options = [_agree(row_cuts(r) or [], r.stated) for r in rows]
    cut_ok = {r.code for r, o in zip(rows, options, strict=True) if o}
    rules = [r for r in rules if set(r.lhs + r.rhs) <= cut_ok]
    solvable = [i for i, r in enumerate(rows) if r.code in cut_ok]
    terms = _terms([rows[i] for i in solvable], ncols, rules)
    keep: list[set[int]] = [set(range(len(o))) for o in options]
    if rules and solvable:
        narrowed = _narrow([options[i] for i in solvable], terms, ncols, len(rules) * ncols)
        for i, k in zip(solvable, narrowed or [], strict=False):
            keep[i] = k
    out = []
    for row, opts, k in zip(rows, options, keep, strict=True):
        chosen = [opts[j] for j in sorted(k)]
        readings = tuple(tuple(sorted({c[i] for c in chosen}, key=lambda x: (_value(x), x)))
                         for i in range(row.ncells)) if chosen else ()
        out.append(SplitRow(row.code, row.printed, readings, len(chosen)))
    return out

