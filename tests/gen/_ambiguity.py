"""Whether a cell of a run-together document (class 6, tests/gen/runtogether.py) is ambiguous in the printed
text itself: another reading of its row's printed digits keeps every figure the prose states that the truth
keeps, and as many instances of the template's sum rules (every one, when the report adds up; when it does not,
a reader cannot tell two readings that each break as many rules). Such a cell cannot be settled by any reader,
and staying unsure is its right answer.

Independent of gkcore's solver (readers/runtogether_solve.py): it reads only the truth the generator wrote (the
cells, `printed_rows`: each row's text as printed, and `prose_figures` with the cells each one adds up) and the
template's rules as data. It changes one row at a time, so a cell that only a change of several rows together
would show ambiguous is reported unproven (None), never proven.

Private to tests/gen (the leading underscore keeps the registry from taking it for a generator)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations
from typing import Any

from gkcore.parse.template import Template, load

Key = tuple[str, str, str]
NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?")
MAX_READINGS = 100_000           # readings of one row tried before giving up (unproven)


def value(raw: str) -> float:
    """A printed cell's number for the sums; a blank cell counts as 0, as the rules count it."""
    digits = raw.removesuffix("元").removesuffix("万")
    return float(digits) if digits else 0.0


def readings(printed: str, n: int) -> Iterator[tuple[str, ...]]:
    """Every reading of a printed row as n cells. Blanks and a minus sign are certain boundaries; between
    them the digits are cut into numbers (none but 0 starts with 0). A row printed as several numbers, all
    separated by blanks, but fewer than n also reads as those numbers in order with blank cells among them."""
    groups = [g for part in printed.split() for g in re.split(r"(?<=\d)(?=-)", part) if g]
    if 2 <= len(groups) < n and len(printed.split()) == len(groups) and all(NUMBER.fullmatch(g) for g in groups):
        for where in combinations(range(n), len(groups)):
            cells = [""] * n
            for i, g in zip(where, groups, strict=True):
                cells[i] = g
            yield tuple(cells)

    def cut(gi: int, pos: int, pieces: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if gi == len(groups):
            if len(pieces) == n:
                yield pieces
            return
        g = groups[gi]
        left = len(g) - pos + sum(len(x) for x in groups[gi + 1:])
        for end in range(pos + 1, len(g) + 1):
            piece = g[pos:end]
            if len(pieces) + 1 > n or len(pieces) + 1 + (left - len(piece)) < n or not NUMBER.fullmatch(piece):
                continue
            yield from (cut(gi + 1, 0, pieces + (piece,)) if end == len(g) else cut(gi, end, pieces + (piece,)))

    yield from cut(0, 0, ())


def _instances(template: Template, vals: dict[Key, float]) -> set[tuple[str, str]]:
    """The (rule, scope) instances of the template's sum rules that hold on vals (absent cells count 0)."""
    rows = {(t, r) for t, r, _ in vals}
    out = set()
    for rule in template.rules:
        table = template.tables[rule.table]
        if rule.kind == "per_row":
            scopes = [(r.code, [(rule.table, r.code, c) for c in rule.lhs], [(rule.table, r.code, c) for c in rule.rhs])
                      for r in table.rows if (rule.table, r.code) in rows]
        else:
            scopes = [(c.code, [(rule.table, r, c.code) for r in rule.lhs], [(rule.table, r, c.code) for r in rule.rhs])
                      for c in table.cols]
        for scope, lhs, rhs in scopes:
            if abs(sum(vals.get(k, 0.0) for k in lhs) - sum(vals.get(k, 0.0) for k in rhs)) < 1e-6:
                out.add((rule.code, scope))
    return out


def _figures(truth: dict[str, Any], vals: dict[Key, float]) -> set[int]:
    """The prose figures (by index) that the cells' values agree with."""
    out = set()
    for i, f in enumerate(truth.get("prose_figures", [])):
        refs = f["cells"].split("+") if "cells" in f else [f"{f['table']}.{f['row']}.{f['col']}"] if "table" in f \
            else []
        keys = [tuple(r.split(".")) for r in refs]
        if keys and abs(sum(vals.get(k, 0.0) for k in keys) - f["value"]) < 1e-6:  # type: ignore[call-overload]
            out.add(i)
    return out


def ambiguous(truth: dict[str, Any], cell: Key) -> bool | None:
    """True when another reading of the cell's printed row, differing at the cell, keeps every prose figure
    the truth keeps and as many sum-rule instances; False when none does (the text settles the cell, or only
    a change of several rows would unsettle it); None when it cannot tell (no printed rows in the truth, the
    truth's cells not the printed digits, too many readings)."""
    printed = truth.get("printed_rows", {})
    row_key = "t4.all" if cell[0] == "t4" else f"{cell[0]}.{cell[1]}"
    if row_key not in printed:
        return None
    keys = [(c["table"], c["row"], c["col"]) for c in truth["cells"]
            if c["table"] == cell[0] and (cell[0] == "t4" or c["row"] == cell[1])]
    raw = {(c["table"], c["row"], c["col"]): c["raw"] for c in truth["cells"]}
    vals = {k: value(r) for k, r in raw.items()}
    template = load(truth["template"])
    rules, figures = _instances(template, vals), _figures(truth, vals)
    at = keys.index(cell)
    true_row = tuple(raw[k] for k in keys)
    if "".join(true_row) != "".join(printed[row_key].split()) or not all(NUMBER.fullmatch(r) for r in true_row if r):
        return None                   # the truth is not a reading of the printed row: nothing to compare with
    for i, reading in enumerate(readings(printed[row_key], len(keys))):
        if i >= MAX_READINGS:
            return None
        if reading[at] == true_row[at]:
            continue
        other = {**vals, **{k: value(r) for k, r in zip(keys, reading, strict=True)}}
        if len(_instances(template, other)) >= len(rules) and figures <= _figures(truth, other):
            return True
    return False
