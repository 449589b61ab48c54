"""Table rows whose cells ran together: "21710000218" printed for the row 217 1 0 0 0 0 218.

The text is cut into (label, digits) segments and each label matched to a template row; the
digits are cut every way that gives the row its number of cells (readers/runtogether_cuts.py),
then narrowed by the template's own sum rules and the figures the prose states, solved over the
whole table (readers/runtogether_solve.py). A cell that still reads more than one way is not
guessed: its readings are reported and the cell is unsure."""

from __future__ import annotations

import re

from ..template import Table, Template, match_row
from .base import RawCell, RawRow
from .runtogether_cuts import Check, RowRun, cuts, placements, row_cuts
from .runtogether_solve import ColRule, SplitRow, solve

# The cutting and solving steps, as the tests and callers have always named them here.
__all__ = ["Check", "ColRule", "RowRun", "SplitRow", "Stated", "ambiguous_text", "cuts", "placements", "row_cuts",
           "run_together_rows", "segments", "solve", "table_runs"]

# A printed run of cells: digits, decimal points, blanks and minus signs between them, a unit.
_RUN = re.compile(r"-?\d(?:\d|\.(?=\d)|\s+(?=-?\d)|-(?=\d))*(?:万元|元)?")
_ENUM_AFTER = (".", "、", "．")

# A figure the prose states: the cells it may be (each alternative a sum of cells, "table.row.col")
# and its value (meta.stated_figures).
Stated = tuple[tuple[tuple[str, ...], ...], int]


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
