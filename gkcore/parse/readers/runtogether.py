"""Table rows whose cells ran together: "21710000218" printed for the row 217 1 0 0 0 0 218.

The digits are cut every way that gives the row its number of cells (no number but 0 starts
with 0; a space or a minus sign in the text is a certain boundary), then narrowed by the
template's own sum rules, in two steps: each row's own rule (表三 总计 = the six applicant
columns, 表四 each block's 总计), then the rules that tie rows together (each 表三 column's
收办平衡 and 办理结果合计), solved over the whole table. Where the report itself does not add
up, the cuts that break the fewest rules are kept. A cell that still reads more than one way
is not guessed: its readings are reported and the cell is unsure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from math import comb

from ..normalize import MAX_DIGITS
from ..template import Table, Template, match_row
from .base import RawCell, RawRow

Number = int | float
MAX_CUTS = 20000                  # cuts of one row beyond which its cells are not guessed
MAX_STEPS = 20000                 # pieces tried for one row (a run of digits far too long for a row)
MAX_STATES = 200000               # partial sums tracked while solving a table
MAX_BLANKS = 2                    # cells a space-separated row may leave blank (see placements)
MAX_PIECE = 40                    # characters of the longest printed cell ("-24252.311082万元" is 16)
_NUMBER = re.compile(rf"-?(?:0|[1-9]\d{{0,{MAX_DIGITS - 1}}})(?:\.\d+)?(?:万元|元)?")
# A printed run of cells: digits, decimal points, blanks and minus signs between them, a unit.
_RUN = re.compile(r"-?\d(?:\d|\.(?=\d)|\s+(?=-?\d)|-(?=\d))*(?:万元|元)?")
_ENUM_AFTER = (".", "、", "．")


@dataclass(frozen=True)
class Check:
    """Cells of one row that must add up: sum(lhs) == sum(rhs) (indices into the row)."""

    lhs: tuple[int, ...]
    rhs: tuple[int, ...]


# A figure the prose states: the cells it may be (each alternative a sum of cells, "table.row.col")
# and its value (meta.stated_figures).
Stated = tuple[tuple[tuple[str, ...], ...], int]


@dataclass(frozen=True)
class RowRun:
    code: str                     # the template row (or "all" for 表四's one printed row)
    printed: str                  # the digits as printed
    ncells: int
    checks: tuple[Check, ...] = ()
    # figures the prose states about this row: (alternatives, each a sum of cell indices; value)
    stated: tuple[tuple[tuple[tuple[int, ...], ...], int], ...] = ()


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


def segments(text: str) -> list[tuple[str, str]]:
    """(label, printed digits) pairs of a run-together table: "规章000规范性文件898989" ->
    [("规章", "000"), ("规范性文件", "898989")]. The digit before an enumerator ("…0000000
    2.其他法律…") belongs to the next label."""
    out: list[tuple[str, str]] = []
    carry, start = "", 0
    for m in _RUN.finditer(text):
        run, label = m.group(0), carry + text[start:m.start()]
        carry = ""
        if text[m.end():m.end() + 1] in _ENUM_AFTER and run[-1].isdigit():
            carry, run = run[-1], run[:-1].rstrip()
        if run:
            out.append((label.strip(), run))
        else:
            carry = label + carry
        start = m.end()
    return out


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


def placements(printed: str, n: int, limit: int = MAX_CUTS) -> list[tuple[str, ...]]:
    """A row printed with blanks between its numbers but fewer numbers than cells ("17 1 0 0 0 0"
    for seven cells): a cell left blank on the page left nothing in the text. Every way to put
    the numbers, in order, into n cells with the others blank (""); none when the numbers are
    not all separated, more than MAX_BLANKS cells would be blank (then the blanks are more likely
    run-together digits: "120 3"), or there are too many ways."""
    groups = groups_of(printed)
    k = len(groups)
    if not max(2, n - MAX_BLANKS) <= k < n or len(printed.split()) != k or comb(n, k) > limit \
            or not all(_NUMBER.fullmatch(g) for g in groups):
        return []
    out = []
    for where in combinations(range(n), k):
        cells = [""] * n
        for i, g in zip(where, groups, strict=True):
            cells[i] = g
        out.append(tuple(cells))
    return out


def _keeps(cut: tuple[str, ...], checks: tuple[Check, ...]) -> int:
    return sum(_holds(c, [_value(p) for p in cut]) for c in checks)


def row_cuts(row: RowRun) -> list[tuple[str, ...]] | None:
    """The cuts of a row (and, when its numbers are separated but too few, their placements with
    blank cells) that keep its own checks, or, when none does (the row itself does not add up),
    every one that keeps the most of them."""
    placed = placements(row.printed, row.ncells)
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


def table_runs(table: Table, template: Template, printed: dict[str, str]) -> tuple[list[RowRun], list[ColRule]]:
    """The rows to cut (template row code -> printed digits) with the template's checks."""
    if table.layout == "single_row":
        n = len(table.cols)
        rules = [r for r in template.rules if r.table == table.code and r.kind == "per_row"]
        idx = {c.code: i for i, c in enumerate(table.cols)}
        checks = tuple(Check(tuple(b * n + idx[c] for c in r.lhs), tuple(b * n + idx[c] for c in r.rhs))
                       for b in range(len(table.rows)) for r in rules)
        return [RowRun(code, text, n * len(table.rows), checks) for code, text in printed.items()], []
    runs, found = [], set(printed)
    groups = {r.group for r in table.rows if r.group and r.code in found}
    expected = {r.code for r in table.rows if not r.group or r.group in groups}
    for row in table.rows:
        if row.code not in printed:
            continue
        idx = {c: i for i, c in enumerate(row.cols)}
        checks = tuple(Check(tuple(idx[c] for c in r.lhs), tuple(idx[c] for c in r.rhs))
                       for r in template.rules if r.table == table.code and r.kind == "per_row"
                       and set(r.lhs + r.rhs) <= set(idx))
        runs.append(RowRun(row.code, printed[row.code], len(row.cols), checks))
    col_rules = [ColRule(tuple(x for x in r.lhs if x in expected), tuple(x for x in r.rhs if x in expected))
                 for r in template.rules if r.table == table.code and r.kind == "per_col"
                 and {x for x in r.lhs + r.rhs if x in expected} <= found]
    return runs, col_rules


def ambiguous_text(readings: tuple[str, ...]) -> str:
    """The text of a cell that reads several ways: not a number, so the cell is unsure."""
    shown = "或".join(r or "空白" for r in readings[:4])
    return f"可能为{shown}" + (f"等{len(readings)}种" if len(readings) > 4 else "")


def _with_stated(run: RowRun, table: Table, stated: list[Stated]) -> RowRun:
    """The run with the prose figures whose every alternative lies in its cells."""
    def index(ref: str) -> int | None:
        t, r, c = (ref.split(".") + ["", "", ""])[:3]
        if t != table.code:
            return None
        if table.layout == "single_row":
            blocks, cols = [b.code for b in table.rows], [x.code for x in table.cols]
            return blocks.index(r) * len(cols) + cols.index(c) if r in blocks and c in cols else None
        row = next((x for x in table.rows if x.code == r), None)
        return row.cols.index(c) if r == run.code and row is not None and c in row.cols else None

    found = []
    for alts, value in stated:
        idx = [tuple(index(ref) for ref in alt) for alt in alts]
        if idx and all(i is not None for alt in idx for i in alt):
            found.append((tuple(tuple(i for i in alt if i is not None) for alt in idx), value))
    return RowRun(run.code, run.printed, run.ncells, run.checks, tuple(found)) if found else run


def run_together_rows(text: str, table: Table, template: Template, stated: list[Stated] | None = None
                      ) -> list[RawRow]:
    """A section's raw rows read from run-together text: each label's digits cut into its
    cells. A cell read one way is its text; a cell that reads several ways gets a text that is
    not a number (so it is unsure) and its readings; a row that no cut fits gets its printed
    digits as one cell (so the whole row is unsure, the digits shown in the note)."""
    segs = segments(text)
    printed: dict[str, str] = {}
    labels: dict[str, str] = {}
    if table.layout == "single_row":
        need = len(table.cols) * len(table.rows)
        digits = [(sum(ch.isdigit() for ch in run), run) for _, run in segs]
        if digits and max(digits)[0] >= need:
            printed["all"], labels["all"] = max(digits)[1], ""
    else:
        free = list(table.rows)
        for label, run in segs:
            row = match_row(label, free)
            if row is not None:
                free.remove(row)
                printed[row.code], labels[row.code] = run, label
    runs, col_rules = table_runs(table, template, printed)
    runs = [_with_stated(r, table, stated or []) for r in runs]
    out = []
    for split in solve(runs, col_rules, len(table.cols)):
        if not split.readings:
            cells: tuple[RawCell, ...] = (RawCell(f"无法拆分：{split.printed}"),)
        else:
            cells = tuple(RawCell(r[0]) if len(r) == 1 else RawCell(ambiguous_text(r), alternatives=r)
                          for r in split.readings)
        out.append(RawRow(labels[split.code], cells, None, exact=bool(split.readings)))
    return out
