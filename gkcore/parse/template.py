"""The national formats as data: loads gkcore/parse/templates/*.toml and validates them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Any

from ..errors import TemplateError
from ..model import Severity
from ..model.datafile import read_toml
from .normalize import enumerator, label_key, split_enumerated, squash

TABLE_CODES = ("t2", "t3", "t4")
SECTION_KEYS = ("t2", "t3", "t4", "end")
LAYOUTS = ("rows", "grid", "single_row")
RULE_KINDS = ("per_col", "per_row")


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    label_en: str = ""
    decimals: bool = False        # a sum of money (万元) may hold a fraction; a count never does


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    aliases: tuple[str, ...]      # matching keys (already normalised)
    cols: tuple[str, ...]         # the columns this row has
    group: str = ""               # rows of the same table in exclusive groups
    exact_only: bool = False      # match only a label whose key equals an alias
    label_en: str = ""


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    layout: str
    cols: tuple[Column, ...]
    rows: tuple[Row, ...]

    def row(self, code: str) -> Row:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(code)


@dataclass(frozen=True)
class Rule:
    code: str
    table: str
    kind: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    title: str
    message: str
    severity: Severity = Severity.FAILURE   # `severity = "warning"`: unusual, not a contradiction


@dataclass(frozen=True)
class ProsePattern:
    code: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    compare: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    markers: tuple[str, ...]
    sections: dict[str, re.Pattern[str]]
    tables: dict[str, Table]
    rules: tuple[Rule, ...]
    prose: tuple[ProsePattern, ...]
    preferred_groups: tuple[str, ...]
    # Figures the prose may state about single cells ("制发规范性文件77件"), not checked but used to
    # settle run-together digits that split several ways (readers/runtogether.py).
    stated: tuple[ProsePattern, ...] = ()

    def cell_refs(self) -> list[tuple[str, str, str]]:
        return [(t.code, r.code, c) for t in self.tables.values() for r in t.rows for c in r.cols]


def _need(d: dict[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise TemplateError(f"{where}: missing '{key}'")
    return d[key]


def _read(name: str) -> dict[str, Any]:
    data = read_toml("gkcore.parse.templates", name)
    inc = data.pop("include", None)
    if inc:
        base = _read(inc)
        for k, v in data.items():
            if isinstance(v, dict) and isinstance(base.get(k), dict):
                base[k] = {**base[k], **v}
            else:
                base[k] = v
        return base
    return data


def _flag(d: dict[str, Any], key: str, where: str) -> bool:
    value = d.get(key, False)
    if not isinstance(value, bool):
        raise TemplateError(f"{where}: {key} must be true or false")
    return value


def _table(code: str, d: dict[str, Any]) -> Table:
    where = f"tables.{code}"
    cols = tuple(Column(_need(c, "code", where), _need(c, "label", where), c.get("label_en", c["code"]),
                        _flag(c, "decimals", where)) for c in _need(d, "cols", where))
    col_codes = [c.code for c in cols]
    if len(set(col_codes)) != len(col_codes):
        raise TemplateError(f"{where}: duplicate column codes")
    rows = []
    for r in _need(d, "rows", where):
        rc = _need(r, "code", where)
        rcols = tuple(r.get("cols", col_codes))
        unknown = set(rcols) - set(col_codes)
        if unknown:
            raise TemplateError(f"{where}.{rc}: unknown columns {sorted(unknown)}")
        aliases = tuple(label_key(a) for a in r.get("aliases", [])) or (label_key(r["label"]),)
        if any(not a for a in aliases):
            raise TemplateError(f"{where}.{rc}: empty alias")
        rows.append(Row(rc, _need(r, "label", where), aliases, rcols, r.get("group", ""),
                        bool(r.get("exact_only", False)), r.get("label_en", rc)))
    if len({r.code for r in rows}) != len(rows):
        raise TemplateError(f"{where}: duplicate row codes")
    layout = d.get("layout", "rows")
    if layout not in LAYOUTS:
        raise TemplateError(f"{where}: layout must be one of {LAYOUTS}")
    return Table(code, _need(d, "title", where), layout, cols, tuple(rows))


def _rules(items: list[dict[str, Any]], tables: dict[str, Table]) -> tuple[Rule, ...]:
    out = []
    for d in items:
        code = _need(d, "code", "rules")
        t = tables.get(_need(d, "table", code))
        if t is None:
            raise TemplateError(f"rule {code}: unknown table")
        kind = _need(d, "kind", code)
        if kind not in RULE_KINDS:
            raise TemplateError(f"rule {code}: kind must be one of {RULE_KINDS}")
        names = {r.code for r in t.rows} if kind == "per_col" else {c.code for c in t.cols}
        lhs, rhs = tuple(_need(d, "lhs", code)), tuple(_need(d, "rhs", code))
        unknown = (set(lhs) | set(rhs)) - names
        if unknown:
            raise TemplateError(f"rule {code}: unknown names {sorted(unknown)}")
        severity = d.get("severity", Severity.FAILURE)
        if severity not in tuple(Severity):
            raise TemplateError(f"rule {code}: severity must be one of {[str(s) for s in Severity]}")
        out.append(Rule(code, t.code, kind, lhs, rhs, _need(d, "title", code), _need(d, "message", code),
                        Severity(severity)))
    return tuple(out)


def _prose(items: list[dict[str, Any]], tables: dict[str, Table]) -> tuple[ProsePattern, ...]:
    out = []
    for d in items:
        code = _need(d, "code", "prose")
        try:
            pats = tuple(re.compile(p) for p in _need(d, "patterns", code))
        except re.error as exc:
            raise TemplateError(f"prose {code}: bad pattern ({exc})") from exc
        compare = tuple(tuple(alt) for alt in d.get("compare", []))
        for alt in compare:
            for ref in alt:
                t, r, c = (ref.split(".") + ["", "", ""])[:3]
                if t not in tables or r not in {x.code for x in tables[t].rows} or \
                        c not in tables[t].row(r).cols:
                    raise TemplateError(f"prose {code}: unknown cell {ref}")
        out.append(ProsePattern(code, _need(d, "label", code), pats, compare))
    return tuple(out)


def parse_template(data: dict[str, Any]) -> Template:
    tid = str(_need(data, "id", "template"))
    tables = {code: _table(code, d) for code, d in _need(data, "tables", tid).items()}
    if set(tables) != set(TABLE_CODES):
        raise TemplateError(f"template {tid}: tables must be {TABLE_CODES}")
    secs = _need(data, "sections", tid)
    if set(secs) != set(SECTION_KEYS):
        raise TemplateError(f"template {tid}: sections must be {SECTION_KEYS}")
    groups = {r.group for t in tables.values() for r in t.rows if r.group}
    preferred = tuple(data.get("preferred_groups", ()))
    if not set(preferred) <= groups:
        raise TemplateError(f"template {tid}: unknown preferred_groups")
    return Template(
        id=tid,
        name=_need(data, "name", tid),
        markers=tuple(squash(m) for m in _need(data, "markers", tid)),
        sections={k: re.compile(v) for k, v in secs.items()},
        tables=tables,
        rules=_rules(data.get("rules", []), tables),
        prose=_prose(data.get("prose", []), tables),
        preferred_groups=preferred,
        stated=_prose(data.get("stated", []), tables),
    )


@cache
def load(template_id: str) -> Template:
    return parse_template(_read(f"t{template_id}.toml"))


def all_templates() -> tuple[Template, ...]:
    """Every known format, newest first."""
    names = sorted((p.name for p in resources.files("gkcore.parse.templates").iterdir()
                    if p.name.startswith("t") and p.name.endswith(".toml")), reverse=True)
    return tuple(load(n[1:-5]) for n in names)


# ---- printed labels -> template rows ------------------------------------------------------------------------
FUZZY_MIN = 0.8
INSIDE_MIN_LEN = 5    # a name this long may be found half read inside a longer label (shorter: one misread
                      # character is a fifth of it)
SLOT_MIN = 0.6        # a label half-read, alone in the one slot its neighbours leave, resembles its row this much


def _score(key: str, row: Row) -> float:
    best = 0.0
    for alias in row.aliases:
        if key == alias:
            return 1000.0
        if row.exact_only:
            continue
        if alias in key:
            best = max(best, 100.0 + len(alias))
        elif len(alias) >= 4:
            r = SequenceMatcher(None, key, alias).ratio()
            if len(alias) >= INSIDE_MIN_LEN:
                r = max(r, _inside(key, alias))
            if r >= FUZZY_MIN:
                best = max(best, 100.0 * r)
    return best


def _inside(key: str, alias: str, least: float = FUZZY_MIN) -> float:
    """How near a run of the label as long as the alias comes to it (0 to 1; 0 when its characters are
    fewer than `least` of the alias's): a name half read inside a label that holds more
    ("行政现范性文件第二十条第（五）坝": 行政规范性文件 with the heading read after it)."""
    n = len(alias)
    if len(key) <= n or sum(1 for ch in set(alias) if ch in key) < least * len(set(alias)):
        return 0.0
    return max(SequenceMatcher(None, key[i:i + n], alias).ratio() for i in range(len(key) - n + 1))


def match_row(label: str, rows: list[Row]) -> Row | None:
    """The template row a printed label names: the most specific enumerated part of the label
    is tried first ("（三）不予公开 1.属于国家秘密" -> "1.属于国家秘密"), then the whole label."""
    parts = split_enumerated(label)
    keys = [label_key(parts[-1])] if parts else []
    if len(parts) > 1:
        keys.append(label_key(label))
    for key in keys:
        if not key:
            continue
        scored = [(s, -i, r) for i, r in enumerate(rows) if (s := _score(key, r)) > 0]
        if scored:
            best = max(scored, key=lambda x: (x[0], x[1]))[2]
            return None if _names_another(key, best, rows) else best
    return None


def _names_another(key: str, row: Row, rows: list[Row]) -> bool:
    """A label that holds, beside its row's name, another row's name apart from it: two rows' lines read
    as one ("信息内容规章规范性文件 …": 规章's figures with 规范性文件's label), so neither is named."""
    mine = [(i, i + len(a)) for a in row.aliases if (i := key.find(a)) >= 0]
    if not mine or row.exact_only:
        return False
    for other in rows:
        if other is row or other.exact_only:
            continue
        for a in other.aliases:
            i = key.find(a)
            if len(a) >= 2 and i >= 0 and all(i + len(a) <= s or i >= e for s, e in mine):
                return True
    return False


def resemblance(label: str, row: Row) -> float:
    """How near a printed label's most specific part comes to a row's nearest alias (0 to 1): for a
    label the recogniser half-read ("2.垂复申请" for "2.重复申请", 0.75), too far off to be named by
    its text alone, that its place between two found rows may still name; or the run of the whole label
    nearest it (a heading's "第（六）项" read after it). A row named only exactly (其他, 总计: too short to
    resemble) is resembled by its enumerator alone ("3.共做" for 3.其他: 1)."""
    parts = split_enumerated(label)
    key = label_key(parts[-1]) if parts else ""
    if row.exact_only:
        return 1.0 if enumerator(label) and enumerator(label) == enumerator(row.label) else 0.0
    if not key:
        return 0.0
    whole = label_key(label)
    return max(max(SequenceMatcher(None, key, alias).ratio(), _inside(whole, alias, SLOT_MIN))
               for alias in row.aliases)
