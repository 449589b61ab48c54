"""The rules on scanned pages (pipeline step after the checks): a recognised figure is likelier
misread than misprinted, and a blank on a scan may be a mark the recogniser never saw, so a rule
that fails makes its recognised cells "unsure" instead of blaming the report, and a blank cell
whose reading as 0 breaks a rule is "unsure" too, with the figure the rule asks for. Every check
then reruns through `checks.run_checks`, the one door."""

from __future__ import annotations

from dataclasses import replace

from ..model import FAIL, FLAG_CLEAN, FLAG_UNSURE, Cell, CheckResult, ProseFigure, Severity, format_value
from ..model.notes import note
from .checks import check_rules, run_checks
from .normalize import squash
from .template import Template

NOTE_RULE = note("ocr_rule")       # notes are codes (model/notes.py), rendered in either language


def _blank(c: Cell, pages: set[int]) -> bool:
    return c.value is None and not squash(c.raw) and (c.page is None or c.page in pages)


def blank_suspects(template: Template, cells: list[Cell], pages: set[int]) -> dict[str, str]:
    """Blank cells of scanned pages that, read as 0, break a rule whose other cells are all read:
    their notes, with the figure that would satisfy the rule when the cell is its only blank."""
    zeroed = [replace(c, value=0, flag=FLAG_CLEAN) if _blank(c, pages) else replace(c, flag=FLAG_CLEAN)
              for c in cells]
    blanks = {c.ref for c in cells if _blank(c, pages)}
    out: dict[str, str] = {}
    for k in check_rules(template, zeroed):
        if k.status != FAIL:
            continue
        mine = [ref for ref in k.cells if ref in blanks]
        for ref in mine:
            readings: list[str] = []
            if len(mine) == 1 and k.expected is not None and k.found is not None:
                lhs = _on_lhs(template, k, ref)
                need = (k.found - k.expected) if lhs else (k.expected - k.found)
                readings = ["", format_value(need)] if need > 0 else []
            if readings or ref not in out:
                out[ref] = note("ocr_blank_hint", readings=readings) if readings else note("ocr_blank")
    return out


def _on_lhs(template: Template, k: CheckResult, ref: str) -> bool:
    """The cell is on the rule's left-hand side (the total it checks)."""
    rule = next(r for r in template.rules if r.code == k.rule)
    _, row, col = ref.split(".", 2)
    return (row if rule.kind == "per_col" else col) in rule.lhs


def distrust_ocr(template: Template, cells: list[Cell], figures: list[ProseFigure], checks: list[CheckResult],
                 pages: set[int]) -> tuple[list[Cell], list[CheckResult]]:
    """The cells of scanned pages judged by the rules (see the module's doc); the rules rerun."""
    suspects = blank_suspects(template, cells, pages)
    rules = {r.code for r in template.rules}    # the sum rules' failures (not the prose's, nor a warning)
    failing = [set(k.cells) for k in checks if k.status == FAIL and k.rule in rules and k.severity == Severity.FAILURE]
    if not failing and not suspects:
        return cells, checks
    # one misread breaks its row rule and its column rule: the cells all failures share are the
    # suspects; where they share none, every cell involved is
    doubt = (set.intersection(*failing) or set.union(*failing)) if failing else set()
    out = []
    for c in cells:
        if c.flag != FLAG_UNSURE and c.ref in suspects:
            c = replace(c, flag=FLAG_UNSURE, note=suspects[c.ref])
        elif c.flag != FLAG_UNSURE and c.ref in doubt and c.page in pages:
            c = replace(c, flag=FLAG_UNSURE, note=NOTE_RULE)
        out.append(c)
    return out, run_checks(template, out, figures)
