"""Sentences in the user's language, built from codes and parameters: a cell's note (why it is
unsure, model/notes.py), a check result (its rule, scope, status and the two sides), a metric's
formula, a dictionary entry's meaning. The templates are data: labels.toml's [notes], [checks],
[rule_fail], [prose_figures], [words], [formulas] and [table_titles], each in zh and en.

The parser's stored Chinese check message stays for exports (house rule 3); the screen shows
these. A note that is no coded note (a cache written before notes were codes) is shown as it is."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import cache

import pandas as pd

from ..model import Flag, Severity, Status, format_value
from ..model.datafile import read_toml
from ..model.metrics import BY_CODE
from ..model.notes import parse_note
from ..parse.checks import severity_of
from ..parse.template import Template, load


@cache
def _data() -> dict[str, dict[str, object]]:
    return read_toml("gkcore.present", "labels.toml")


def say(section: str, code: str, lang: str) -> str:
    """The template `code` of a labels.toml section in `lang` (KeyError when it has none)."""
    entry = _data()[section][code]
    assert isinstance(entry, dict)
    return str(entry["en" if lang == "en" else "zh"])


def word(code: str, lang: str) -> str:
    return say("words", code, lang)


def _readings(values: Iterable[object], lang: str) -> str:
    return word("or", lang).join(str(v) if str(v) else word("blank", lang) for v in values)


def note_text(stored: object, lang: str = "zh") -> str:
    """A cell's note as a sentence ("" for none)."""
    if stored is None or (isinstance(stored, float) and math.isnan(stored)) or not str(stored):
        return ""
    parsed = parse_note(str(stored))
    if parsed is None or parsed[0] not in _data()["notes"]:
        return str(stored)
    code, params = parsed
    shown = {k: _readings(v, lang) if isinstance(v, list) else v for k, v in params.items()}
    return say("notes", code, lang).format(**shown)


def notes_text(stored: Iterable[object], lang: str = "zh") -> list[str]:
    return [note_text(s, lang) for s in stored]


def _templates() -> tuple[Template, Template]:
    return load("2021"), load("2019")


def cell_name(ref: str, lang: str = "zh", template: str = "2021") -> str:
    """A cell reference table.row.col as its printed name "row · column" (the ref when unknown)."""
    from .compare import row_label

    try:
        t, r, c = ref.split(".")
        return row_label(t, r, c, lang=lang, template=template)
    except (KeyError, ValueError):
        return ref


def scope_name(rule: str, scope: str, lang: str = "zh") -> str:
    """A check's scope ("col:natural_person", "row:review") as the column's or row's label."""
    kind, _, code = scope.partition(":")
    for t in _templates():
        r = next((x for x in t.rules if x.code == rule), None)
        if r is None:
            continue
        table = t.tables[r.table]
        items = table.cols if kind == "col" else table.rows
        hit = next((x for x in items if x.code == code), None)
        if hit is not None:
            return hit.label_en if lang == "en" else hit.label
    return code or scope


def check_text(rule: str, scope: str, status: str, expected: object, found: object, cells: Iterable[str],
               lang: str = "zh", template: str = "2021") -> str:
    """One check result as a sentence; `cells` the cells it concerns (the blank ones of a check
    not assessable, the unsure ones of an unsure check: see check_messages)."""
    e, f = _shown(expected), _shown(found)
    names = word("list", lang).join(cell_name(c, lang, template) for c in cells)
    if rule.startswith("prose_"):
        figure = say("prose_figures", rule.removeprefix("prose_"), lang)
        return say("checks", f"prose_{status}", lang).format(figure=figure, expected=e, found=f)
    title = _rule_title(rule, lang)
    where = scope_name(rule, scope, lang)
    failed = status == Status.FAIL and rule in _data()["rule_fail"]
    detail = say("rule_fail", rule, lang).format(scope=where, expected=e, found=f) if failed else ""
    return say("checks", shown_status(status, rule), lang).format(title=title, scope=where, expected=e, found=f,
                                                                  cells=names, detail=detail)


def shown_status(status: str, rule: str) -> str:
    """The status as shown ([values.status]): a fail of a warning-severity check is "warning"
    (unusual, look again), never "does not add up"."""
    return "warning" if status == Status.FAIL and severity_of(rule) == Severity.WARNING else status


def shown_statuses(checks: pd.DataFrame) -> list[str]:
    """shown_status for every row of a checks frame (rule, status)."""
    return [shown_status(str(s), str(r)) for s, r in zip(checks["status"], checks["rule"], strict=True)]


def _rule_title(rule: str, lang: str) -> str:
    from .labels import vocabulary

    term = vocabulary().values["rule"].get(rule)
    return term.say(lang) if term else rule


def _shown(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, float) and v.is_integer():
        return format_value(int(v))
    return format_value(v) if isinstance(v, (int, float)) else str(v)


def check_messages(checks: pd.DataFrame, lang: str = "zh", cells: pd.DataFrame | None = None,
                   templates: Mapping[str, str] | None = None) -> list[str]:
    """The messages of a checks frame (rule, scope, status, expected, found, cells, report_id).
    With the reports' cells, a check not assessable names its blank cells and an unsure one its
    unsure cells; `templates` (report_id -> format) names cells as their report prints them."""
    blank: set[tuple[str, str]] = set()
    unsure: set[tuple[str, str]] = set()
    if cells is not None and not cells.empty:
        ref = cells["table"] + "." + cells["row"] + "." + cells["col"]
        refs = list(zip(cells["report_id"].tolist(), ref.tolist(), strict=True))
        blank = {k for k, v in zip(refs, cells["value"].isna().tolist(), strict=True) if v}
        unsure = {k for k, v in zip(refs, (cells["flag"] == Flag.UNSURE).tolist(), strict=True) if v}
    out = []
    for d in checks.to_dict("records"):
        rid = str(d.get("report_id", ""))
        raw = d.get("cells")
        involved = [c for c in (raw.split(";") if isinstance(raw, str) else list(raw or ())) if c]
        pick = blank if d["status"] == Status.NOT_ASSESSABLE else unsure if d["status"] == Status.UNSURE else set()
        chosen = [c for c in involved if (rid, c) in pick] or involved
        out.append(check_text(str(d["rule"]), str(d["scope"]), str(d["status"]), d.get("expected"), d.get("found"),
                              chosen, lang, (templates or {}).get(rid, "2021")))
    return out


def formula(code: str, lang: str = "zh") -> str:
    """How a metric is computed."""
    return str(_data()["formulas"][code]) if lang == "en" else BY_CODE[code].formula


UNITS_EN = {"件/个": "requests", "件/项": "items", "万元": "10,000 yuan", "比例": "ratio", "件": "count"}


def units(dictionary: pd.DataFrame, lang: str = "zh") -> list[str]:
    """The data dictionary's units in `lang`."""
    got = dictionary["unit"].astype(str).tolist()
    return [UNITS_EN.get(u, u) for u in got] if lang == "en" else got


def meanings(dictionary: pd.DataFrame, lang: str = "zh") -> list[str]:
    """The data dictionary's meanings in `lang` (its Chinese column as it is for zh)."""
    if lang != "en":
        return dictionary["meaning"].astype(str).tolist()
    out = []
    for d in dictionary.to_dict("records"):
        if d["table"] == "metric":
            out.append(formula(str(d["row"]), "en"))
        else:
            out.append(f"{say('table_titles', str(d['table']), 'en')}: {d['label_en']}")
    return out
