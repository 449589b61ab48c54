"""The checks of a report, behind one door: `run_checks(template, cells, figures)`, which the
pipeline, the scan checks and the corrections all call. Never raises: every check gives
CheckResults with a status that tells "the report does not add up" (fail) apart from "a cell is
blank" (not_assessable) and "the parser is unsure" (unsure), and a severity that tells a fail
that is a contradiction (failure) from one that is only unusual (warning).

A new check is one function here, decorated with `@register("code_prefix", Severity…)`: it
runs on text, scanned and corrected reports alike, and its results are counted, listed and
labelled by status and severity with no other edit (its Chinese/English labels:
`[values.rule]` and `[rule_fail]` in gkcore/present/labels.toml)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from ..model import (
    FAIL,
    FLAG_UNSURE,
    NOT_ASSESSABLE,
    PASS,
    UNSURE,
    Cell,
    CheckResult,
    Number,
    ProseFigure,
    Severity,
    format_value,
)
from .template import Rule, Template, all_templates

Key = tuple[str, str, str]


def _status(cells: list[Cell]) -> str | None:
    if any(c.flag == FLAG_UNSURE for c in cells):
        return UNSURE
    if any(c.value is None for c in cells):
        return NOT_ASSESSABLE
    return None


def _float(v: Number) -> float:
    """A value as a float; an integer beyond a float's range becomes ±inf (instead of raising)."""
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


def _sum(cells: list[Cell]) -> Number | None:
    if any(c.value is None for c in cells):
        return None
    values = [c.value for c in cells if c.value is not None]
    if all(isinstance(v, int) for v in values):
        return sum(values)                      # exact, however large
    return round(sum(_float(v) for v in values), 6)


def _agree(a: Number, b: Number) -> bool:
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return abs(_float(a) - _float(b)) < 1e-6


def _message(rule: Rule, status: str, scope: str, expected: Number | None, found: Number | None,
             cells: list[Cell]) -> str:
    e, f = format_value(expected), format_value(found)
    if status == PASS:
        return f"{rule.title}：“{scope}”核对一致（{e}）"
    if status == FAIL:
        return f"{rule.title}不符：" + rule.message.format(scope=scope, expected=e, found=f)
    if status == NOT_ASSESSABLE:
        blanks = "、".join(c.ref for c in cells if c.value is None)
        return f"{rule.title}：“{scope}”含空白或“/”等无数字的单元格（{blanks}），无法核对"
    unsure = "、".join(c.ref for c in cells if c.flag == FLAG_UNSURE)
    return f"{rule.title}：“{scope}”涉及解析不确定的单元格（{unsure}），请对照原文核实"


def _evaluate(rule: Rule, scope: str, scope_label: str, lhs: list[Cell], rhs: list[Cell]) -> CheckResult:
    involved = lhs + rhs
    expected, found = _sum(lhs), _sum(rhs)
    status = _status(involved)
    if status is None:
        assert expected is not None and found is not None
        status = PASS if _agree(expected, found) else FAIL
    return CheckResult(rule.code, scope, status, expected, found, tuple(c.ref for c in involved),
                       _message(rule, status, scope_label, expected, found, involved), rule.severity)


def check_rules(template: Template, cells: Sequence[Cell]) -> list[CheckResult]:
    """The template's sum rules (`[[rules]]`), one result per row or column they cover."""
    index: dict[Key, Cell] = {(c.table, c.row, c.col): c for c in cells}

    def pick(table: str, pairs: list[tuple[str, str]]) -> list[Cell]:
        return [index[k] for r, c in pairs if (k := (table, r, c)) in index]

    out = []
    for rule in template.rules:
        table = template.tables[rule.table]
        if rule.kind == "per_col":
            for col in table.cols:
                lhs = pick(rule.table, [(r, col.code) for r in rule.lhs])
                rhs = pick(rule.table, [(r, col.code) for r in rule.rhs])
                if lhs and rhs:
                    out.append(_evaluate(rule, f"col:{col.code}", col.label, lhs, rhs))
        else:
            for row in table.rows:
                lhs = pick(rule.table, [(row.code, c) for c in rule.lhs])
                rhs = pick(rule.table, [(row.code, c) for c in rule.rhs])
                if lhs and rhs:
                    out.append(_evaluate(rule, f"row:{row.code}", row.label, lhs, rhs))
    return out


def check_prose(template: Template, cells: Sequence[Cell], figures: Sequence[ProseFigure]) -> list[CheckResult]:
    """The figures the prose states against the tables (the template's `[[prose]]` with `compare`)."""
    index: dict[str, Cell] = {c.ref: c for c in cells}
    out = []
    for pat in template.prose:
        fig = next((f for f in figures if f.code == pat.code), None)
        if fig is None or not pat.compare:
            continue
        alts = [[index[r] for r in alt if r in index] for alt in pat.compare]
        involved = [c for alt in alts for c in alt]
        sums = [_sum(alt) for alt in alts]
        status = _status(involved)
        if status is None:
            status = PASS if fig.value in sums else FAIL
        found = next((s for s in sums if s == fig.value), sums[0] if sums else None)
        if status == PASS:
            msg = f"正文所述{pat.label}（{fig.value}）与表格一致"
        elif status == FAIL:
            readings = "、".join(format_value(s) for s in sums)
            msg = f"正文所述{pat.label}为 {fig.value}（“{fig.text}”），表格中为 {readings}"
        elif status == NOT_ASSESSABLE:
            msg = f"正文所述{pat.label}为 {fig.value}，但相关表格单元格为空，无法核对"
        else:
            msg = f"正文所述{pat.label}为 {fig.value}，但相关表格单元格解析不确定，请对照原文核实"
        out.append(CheckResult(f"prose_{pat.code}", "prose", status, fig.value, found,
                               tuple(c.ref for c in involved), msg))
    return out


# ---- the one door ------------------------------------------------------------------------------
CheckFn = Callable[[Template, Sequence[Cell], Sequence[ProseFigure]], list[CheckResult]]


@dataclass(frozen=True)
class Check:
    """One kind of check. Every rule code its results carry starts with `prefix`; `severity`
    is stamped on them (None: the results carry their own, as the template's rules do)."""

    prefix: str
    run: CheckFn
    severity: Severity | None = None


#: the checks, in the order their results are listed (the template's rules first: their codes
#: are the template's own, so their prefix is empty and they are matched by code)
CHECKS: list[Check] = [
    Check("", lambda t, cells, _figures: check_rules(t, cells)),
    Check("prose_", check_prose, Severity.FAILURE),
]


def register(prefix: str, severity: Severity = Severity.FAILURE) -> Callable[[CheckFn], CheckFn]:
    """Add a check to CHECKS: `@register("t4_unusual_", Severity.WARNING)` over a function
    `(template, cells, figures) -> list[CheckResult]` whose rule codes start with the prefix."""
    if not prefix:
        raise ValueError("a registered check needs a rule-code prefix")

    def add(fn: CheckFn) -> CheckFn:
        CHECKS.append(Check(prefix, fn, severity))
        return fn
    return add


def run_checks(template: Template, cells: Sequence[Cell], figures: Sequence[ProseFigure]) -> list[CheckResult]:
    """Every check of CHECKS over one report's cells and prose figures."""
    out: list[CheckResult] = []
    for chk in CHECKS:
        got = chk.run(template, cells, figures)
        out += got if chk.severity is None else [replace(k, severity=chk.severity) for k in got]
    return out


@cache
def _rule_severities() -> dict[str, Severity]:
    return {r.code: r.severity for t in all_templates() for r in t.rules}


def severity_of(rule: str) -> Severity:
    """A rule code's severity (a results frame keeps only the code): the template rule of that
    code, else the registered check with the longest prefix it starts with."""
    if rule in _rule_severities():
        return _rule_severities()[rule]
    prefixes = sorted((c for c in CHECKS if c.prefix and rule.startswith(c.prefix)), key=lambda c: -len(c.prefix))
    return next((c.severity for c in prefixes if c.severity is not None), Severity.FAILURE)
