"""Whether a cell of a run-together document (class 6, tests/gen/runtogether.py) is ambiguous in the printed
text itself: another reading of its row's printed digits keeps every figure the prose states that the truth
keeps, and as many instances of the template's sum rules (every one, when the report adds up; when it does not,
a reader cannot tell two readings that each break as many rules). Such a cell cannot be settled by any reader,
and staying unsure is its right answer.

Independent of gkcore's solver (readers/runtogether_solve.py): it reads only the truth the generator wrote (the
cells, `printed_rows`: each row's text as printed, and `prose_figures` with the cells each one adds up) and the
template's rules as data. It changes the cell's row, alone or with up to two other rows of 表三, so a cell that
only a change of more rows would show ambiguous is reported settled (False), never proven.

Private to tests/gen (the leading underscore keeps the registry from taking it for a generator)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations, product
from typing import Any

from gkcore.parse.template import Template, load

Key = tuple[str, str, str]
NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?")
MAX_READINGS = 100_000           # readings of one row tried before giving up (unproven)
MAX_TRIED = 200_000              # choices of readings of several rows tried before giving up


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
        if keys and abs(sum(vals.get(k, 0.0) for k in keys) - f["value"]) < 1e-6:
            out.add(i)
    return out


def _own_rules(template: Template, keys: list[Key], reading: tuple[str, ...]) -> int:
    """How many instances of the per-row rules of the rows a reading covers hold on it (a blank counts 0)."""
    at = {k: value(r) for k, r in zip(keys, reading, strict=True)}
    kept = 0
    for rule in template.rules:
        if rule.kind != "per_row" or rule.table != keys[0][0]:
            continue
        for row in dict.fromkeys(r for _, r, _ in keys):
            lhs, rhs = [(rule.table, row, c) for c in rule.lhs], [(rule.table, row, c) for c in rule.rhs]
            if all(k in at for k in lhs + rhs):
                kept += abs(sum(at[k] for k in lhs) - sum(at[k] for k in rhs)) < 1e-6
    return kept


def ambiguous(truth: dict[str, Any], cell: Key, others: int = 2) -> bool | None:
    """True when another reading of the cell's printed row, differing at the cell, keeps every prose figure
    the truth keeps and as many sum-rule instances, alone or (in 表三) together with other readings of up to
    `others` other rows (two rows trading a 1 between two columns keep every column sum); False when none
    does (the text settles the cell, or only a change of more rows would unsettle it); None when it cannot
    tell (no printed rows in the truth, the truth's cells not the printed digits, too many readings)."""
    printed = truth.get("printed_rows", {})
    raw = {(c["table"], c["row"], c["col"]): c["raw"] for c in truth["cells"]}
    vals = {k: value(r) for k, r in raw.items()}
    template = load(truth["template"])
    rules, figures = _instances(template, vals), _figures(truth, vals)

    def row_of(table: str, row: str) -> tuple[str, list[Key]]:
        return ("t4.all" if table == "t4" else f"{table}.{row}",
                [k for k in raw if k[0] == table and (table == "t4" or k[1] == row)])

    def other_readings(table: str, row: str) -> Iterator[tuple[list[Key], tuple[str, ...], tuple[str, ...]]]:
        """(cells, the truth, another reading) of a row, as long as the truth is a reading of it."""
        key, keys = row_of(table, row)
        true_row = tuple(raw[k] for k in keys)
        if key not in printed or "".join(true_row) != "".join(printed[key].split()) \
                or not all(NUMBER.fullmatch(r) for r in true_row if r):
            raise _Unknown
        for i, reading in enumerate(readings(printed[key], len(keys))):
            if i >= MAX_READINGS:
                raise _Unknown
            if reading != true_row:
                yield keys, true_row, reading

    def keeps(change: dict[Key, float]) -> bool:
        other = {**vals, **change}
        return len(_instances(template, other)) >= len(rules) and figures <= _figures(truth, other)

    try:
        mine = []
        for keys, true_row, reading in other_readings(cell[0], cell[1]):
            at = keys.index(cell)
            if reading[at] == true_row[at]:
                continue
            change = {k: value(r) for k, r in zip(keys, reading, strict=True)}
            if keeps(change):
                return True
            if _own_rules(template, keys, reading) >= _own_rules(template, keys, true_row):
                mine.append(change)
        if not others or cell[0] != "t3" or not mine:
            return False
        theirs = []                   # the other rows of 表三 that read another way, keeping as many own rules
        for row in dict.fromkeys(r for t, r, _ in raw if t == "t3" and r != cell[1]):
            alts = [{k: value(r) for k, r in zip(keys, reading, strict=True)}
                    for keys, true_row, reading in other_readings("t3", row)
                    if _own_rules(template, keys, reading) >= _own_rules(template, keys, true_row)]
            if alts:
                theirs.append(alts)
        tried = 0
        for size in range(1, others + 1):
            for rows in combinations(theirs, size):
                for changes in product(mine, *rows):
                    tried += 1
                    if tried > MAX_TRIED:
                        return None
                    if keeps({k: v for change in changes for k, v in change.items()}):
                        return True
    except _Unknown:
        return None
    return False


class _Unknown(Exception):
    pass
