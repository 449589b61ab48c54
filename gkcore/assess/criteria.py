"""The assessment list (criteria.toml) as validated data: criteria and weights, deadlines by kind
of body, the law's articles, the items of section 六 and the topics of 总体情况."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import TemplateError
from ..model.datafile import data_text

#: the criteria the grader implements (gkcore.assess.grade); a list may leave any out
KNOWN = ("on_time", "complete", "other_matters", "follow_up", "accurate", "carry_over", "substance", "not_copied")
#: the criteria that compare a report with the year before (not in the index: see docs/assessment.md)
CROSS_YEAR = ("carry_over", "not_copied")


@dataclass(frozen=True)
class Article:
    code: str
    source: str
    text: str
    verified: bool


@dataclass(frozen=True)
class Deadline:
    kind: str
    label: str
    label_en: str
    agency: re.Pattern[str]
    month: int
    day: int
    law: str


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    name_en: str
    weight: float
    law: str
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, key: str, default: Any = None) -> Any:
        return dict(self.params).get(key, default)


@dataclass(frozen=True)
class OtherItem:
    code: str
    label: str
    label_en: str
    patterns: tuple[re.Pattern[str], ...]
    required: bool
    templates: tuple[str, ...]
    verified: bool


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class WarningRules:
    peer_factor: float
    min_peer_rate: float
    min_peers: int
    drop_from: int


@dataclass(frozen=True)
class Criteria:
    id: str
    name: str
    name_en: str
    law: tuple[Article, ...]
    deadlines: tuple[Deadline, ...]
    criteria: tuple[Criterion, ...]
    other_items: tuple[OtherItem, ...]
    topics: tuple[Topic, ...]
    warnings: WarningRules

    def article(self, code: str) -> Article:
        return next(a for a in self.law if a.code == code)

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)

    def deadline_for(self, agency: str) -> Deadline:
        return next(d for d in self.deadlines if d.agency.search(agency or ""))


_BASE = {"code", "name", "name_en", "weight", "law"}


def _criterion(d: dict[str, Any], laws: set[str]) -> Criterion:
    code = str(d["code"])
    if code not in KNOWN:
        raise TemplateError(f"criteria: unknown criterion “{code}” (known: {', '.join(KNOWN)})")
    weight = float(d["weight"])
    if not 0 <= weight <= 100:
        raise TemplateError(f"criteria: the weight of “{code}” must be between 0 and 100, not {weight}")
    if d["law"] not in laws:
        raise TemplateError(f"criteria: “{code}” names an article not in [[law]]: {d['law']}")
    params = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in d.items() if k not in _BASE))
    for k, v in params:
        if k == "patterns":
            for p in v:
                re.compile(p.replace("{prev}", "2000").replace("{year}", "2001"))
        elif not isinstance(v, int | float) or v < 0:
            raise TemplateError(f"criteria: “{code}”.{k} must be a number ≥ 0, not {v!r}")
    return Criterion(code, str(d["name"]), str(d["name_en"]), weight, str(d["law"]), params)


def parse_criteria(text: str, where: str = "criteria.toml") -> Criteria:
    """The list in `text`, validated; TemplateError (what is wrong, where) otherwise."""
    try:
        doc = tomllib.loads(text)
        law = tuple(Article(str(a["code"]), str(a["source"]), str(a["text"]), bool(a["verified"]))
                    for a in doc["law"])
        codes = {a.code for a in law}
        deadlines = tuple(Deadline(str(d["kind"]), str(d["label"]), str(d["label_en"]), re.compile(d["agency"]),
                                   int(d["month"]), int(d["day"]), str(d["law"])) for d in doc["deadlines"])
        crits = tuple(_criterion(c, codes) for c in doc["criteria"])
        items = tuple(OtherItem(str(i["code"]), str(i["label"]), str(i["label_en"]),
                                tuple(re.compile(p) for p in i["patterns"]), bool(i["required"]),
                                tuple(str(t) for t in i["templates"]), bool(i["verified"]))
                      for i in doc.get("other_items", []))
        topics = tuple(Topic(str(t["code"]), str(t["label"]), tuple(str(w) for w in t["words"]))
                       for t in doc.get("topics", []))
        w = doc["warnings"]
        warn = WarningRules(float(w["peer_factor"]), float(w["min_peer_rate"]), int(w["min_peers"]),
                            int(w["drop_from"]))
        out = Criteria(str(doc["id"]), str(doc["name"]), str(doc["name_en"]), law, deadlines, crits, items,
                       topics, warn)
    except TemplateError as exc:
        raise TemplateError(f"{where}: {exc.detail}") from None
    except (KeyError, TypeError, ValueError, re.error, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from None
    problems = []
    if len({c.code for c in crits}) != len(crits):
        problems.append("a criterion is listed twice")
    if not crits or sum(c.weight for c in crits) <= 0:
        problems.append("the weights add up to 0")
    if not deadlines or deadlines[-1].agency.pattern != "":
        problems.append("the last [[deadlines]] entry must match every body (agency = '')")
    for d in deadlines:
        if d.law not in codes or not (1 <= d.month <= 12 and 1 <= d.day <= 31):
            problems.append(f"deadline “{d.kind}”: a month/day or an article that does not exist")
    if problems:
        raise TemplateError(f"{where}: " + "; ".join(problems))
    return out


@lru_cache(maxsize=1)
def default_criteria() -> Criteria:
    return parse_criteria(data_text("gkcore.assess", "criteria.toml"))


def load_criteria(path: str | Path | None = None) -> Criteria:
    """The list in a file (an evaluator's own), or the bundled national list."""
    if path is None:
        return default_criteria()
    p = Path(path)
    return parse_criteria(p.read_text(encoding="utf-8"), p.name)
