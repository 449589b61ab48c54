"""Cutting one printed row of run-together digits into its cells: "21710000218" read as the row
217 1 0 0 0 0 218. Every cut gives the row its number of cells (no number but 0 starts with 0; a
blank or a minus sign in the text is a certain boundary); a row printed with blanks between fewer
numbers than it has cells has them placed in order, the other cells blank. A row's own sum rules
(its Checks) keep the cuts that add up (readers/runtogether_solve.py then ties the rows together)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from math import comb

from ..normalize import MAX_DIGITS

Number = int | float
MAX_CUTS = 20000                  # cuts of one row beyond which its cells are not guessed
MAX_STEPS = 20000                 # pieces tried for one row (a run of digits far too long for a row)
MAX_BLANKS = 2                    # cells a space-separated row may leave blank (see placements)
MAX_PIECE = 40                    # characters of the longest printed cell ("-24252.311082万元" is 16)
_NUMBER = re.compile(rf"-?(?:0|[1-9]\d{{0,{MAX_DIGITS - 1}}})(?:\.\d+)?(?:万元|元)?")


@dataclass(frozen=True)
class Check:
    """Cells of one row that must add up: sum(lhs) == sum(rhs) (indices into the row)."""

    lhs: tuple[int, ...]
    rhs: tuple[int, ...]


@dataclass(frozen=True)
class RowRun:
    code: str                     # the template row (or "all" for 表四's one printed row)
    printed: str                  # the digits as printed
    ncells: int
    checks: tuple[Check, ...] = ()
    # figures the prose states about this row: (alternatives, each a sum of cell indices; value)
    stated: tuple[tuple[tuple[tuple[int, ...], ...], int], ...] = ()


def groups_of(printed: str) -> tuple[str, ...]:
    """The parts between certain boundaries: blanks, and before a minus sign."""
    return tuple(g for part in printed.split() for g in re.split(r"(?<=\d)(?=-)", part) if g)


def _value(piece: str) -> Number:
    """The number of a piece that _NUMBER accepted ("-18", "251000元", "24252.311082"); a blank
    cell ("", see `placements`) counts as 0, as the sum rules count it."""
    digits = piece.rstrip("万元")
    if not digits:
        return 0
    return float(digits) if "." in digits else int(digits)


def _holds(check: Check, vals: list[Number]) -> bool:
    return abs(sum(vals[i] for i in check.lhs) - sum(vals[i] for i in check.rhs)) < 1e-6


class _TooMany(Exception):
    pass


def cuts(printed: str, n: int, checks: tuple[Check, ...] = (), strict: bool = False,
         limit: int = MAX_CUTS) -> list[tuple[str, ...]] | None:
    """Every way to cut the printed digits into n numbers (with strict, only the cuts that keep
    every check); None when there are more than `limit`, or too many to try."""
    groups = groups_of(printed)
    due: dict[int, list[Check]] = {}            # the checks to test once the cell at an index is cut
    for c in checks:
        due.setdefault(max(c.lhs + c.rhs), []).append(c)
    out: list[tuple[str, ...]] = []
    pieces: list[str] = []
    vals: list[Number] = []
    left = [sum(len(g) for g in groups[i:]) for i in range(len(groups) + 1)]
    steps = [0]

    def rec(gi: int, pos: int) -> None:
        steps[0] += 1
        if steps[0] > MAX_STEPS:
            raise _TooMany
        if gi == len(groups):
            if len(pieces) == n:
                if len(out) >= limit:
                    raise _TooMany
                out.append(tuple(pieces))
            return
        g = groups[gi]
        for end in range(pos + 1, min(len(g), pos + MAX_PIECE) + 1):
            piece = g[pos:end]
            if not _NUMBER.fullmatch(piece):
                if piece.startswith(("0", "-0")) and piece not in ("0", "-0") and "." not in g[pos:]:
                    break                     # "01…" never becomes a number
                continue
            need = len(pieces) + 1 + (end < len(g)) + (len(groups) - gi - 1)
            rest = (len(g) - end) + left[gi + 1]          # characters the later pieces must take
            if need > n or len(pieces) + 1 + rest < n or rest > (n - len(pieces) - 1) * MAX_PIECE:
                continue
            pieces.append(piece)
            vals.append(_value(piece))
            if not strict or all(_holds(c, vals) for c in due.get(len(pieces) - 1, ())):
                if end == len(g):
                    rec(gi + 1, 0)
                else:
                    rec(gi, end)
            pieces.pop()
            vals.pop()

    try:
        rec(0, 0)
    except _TooMany:
        return None
    return out


def placements(printed: str, n: int, checks: tuple[Check, ...] = (), limit: int = MAX_CUTS) -> list[tuple[str, ...]]:
    """A row printed with blanks between its numbers but fewer numbers than cells ("17 1 0 0 0 0"
    for seven cells): a cell left blank on the page left nothing in the text. Every way to put
    the numbers, in order, into n cells with the others blank (""). More than MAX_BLANKS blank
    cells ("17 1 18": every zero left blank) only where the row's own checks hold, since blanks
    between numbers may as well be run-together digits ("120 3" adds up no way); none when the
    numbers are not all separated or there are too many ways."""
    groups = groups_of(printed)
    k = len(groups)
    many = k < n - MAX_BLANKS
    if not 2 <= k < n or (many and not checks) or len(printed.split()) != k or comb(n, k) > limit \
            or not all(_NUMBER.fullmatch(g) for g in groups):
        return []
    out = []
    for where in combinations(range(n), k):
        cells = [""] * n
        for i, g in zip(where, groups, strict=True):
            cells[i] = g
        if not many or _keeps(tuple(cells), checks) == len(checks):
            out.append(tuple(cells))
    return out


def _keeps(cut: tuple[str, ...], checks: tuple[Check, ...]) -> int:
    return sum(_holds(c, [_value(p) for p in cut]) for c in checks)


def row_cuts(row: RowRun) -> list[tuple[str, ...]] | None:
    """The cuts of a row (and, when its numbers are separated but too few, their placements with
    blank cells) that keep its own checks, or, when none does (the row itself does not add up),
    every one that keeps the most of them."""
    placed = placements(row.printed, row.ncells, row.checks)
    found = cuts(row.printed, row.ncells, row.checks, strict=True)
    if found is None:
        return None
    found += [p for p in placed if _keeps(p, row.checks) == len(row.checks)]
    if found or not row.checks:
        return found
    every = cuts(row.printed, row.ncells)
    if every is None:
        return None
    every += placed
    if not every:
        return every
    score = [_keeps(cut, row.checks) for cut in every]
    return [cut for cut, s in zip(every, score, strict=True) if s == max(score)]

