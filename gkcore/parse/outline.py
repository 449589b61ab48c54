"""The document outline of a report (gkcore.model.outline): its six sections found by place and
content, renamed sections noted, and the dates it prints, each with its page and quoted words.

The patterns are data (templates/outline.toml, validated when loaded). A section is found by its
title first: "二、主动公开政府信息情况" after the previous section (any number: a report that put
other chapters first prints "一、主动公开政府信息情况"); failing that, by its place: the first
"五、" between the sections found on either side whose first words hold one of its content words
(the real "一、年度工作核心成效 …"), noted as renamed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import TemplateError
from ..model.datafile import read_toml
from ..model.outline import (
    DATE_HEAD,
    DATE_PUBLISHED,
    DATE_SIGNATURE,
    SECTION_CODES,
    FoundDate,
    Outline,
    OutlineSection,
)
from .normalize import squash
from .readers.base import Line

_NUMERALS = "一二三四五六"
_CN = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
_HEADING_END = re.compile(r"[。;:!?]|\(|(?:19|20)\d{2}年")
_STOP = re.compile(r"[0-9至起\-—~]")        # a date that starts a range is not a signature's
_RANGE = re.compile(r"[至于到]$")               # nor one that ends it (截至2024年12月31日)


@dataclass(frozen=True)
class SectionRule:
    code: str
    number: int
    title: str
    heading: re.Pattern[str]
    content: tuple[str, ...]


@dataclass(frozen=True)
class OutlineRules:
    sections: tuple[SectionRule, ...]
    published: re.Pattern[str]
    head: re.Pattern[str]
    signature: re.Pattern[str]
    signature_tail: int
    head_chars: int


@lru_cache(maxsize=1)
def rules() -> OutlineRules:
    """templates/outline.toml, validated: six sections in order with the known codes, patterns
    that compile, dates with three groups."""
    doc = read_toml("gkcore.parse.templates", "outline.toml")
    try:
        secs = tuple(SectionRule(str(s["code"]), int(s["number"]), str(s["title"]), re.compile(s["heading"]),
                             tuple(str(c) for c in s["content"])) for s in doc["sections"])
        d = doc["dates"]
        pats = [re.compile(d[k]) for k in ("published", "head", "signature")]
        out = OutlineRules(secs, pats[0], pats[1], pats[2], int(d["signature_tail"]), int(d["head_chars"]))
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise TemplateError(f"outline.toml: {type(exc).__name__}: {exc}") from None
    if tuple(s.code for s in secs) != SECTION_CODES or [s.number for s in secs] != list(range(1, 7)):
        raise TemplateError(f"outline.toml: sections must be {SECTION_CODES} numbered 1..6")
    if any(p.groups != 3 for p in pats):
        raise TemplateError("outline.toml: each date pattern needs three groups (year, month, day)")
    return out


def _cn_number(s: str) -> int:
    """"12" -> 12, "十二" -> 12, "二十一" -> 21, "二〇二五" -> 2025."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN.get(a, 1) if a else 1) * 10 + (_CN.get(b, 0) if b else 0)
    return int("".join(str(_CN[c]) for c in s))


def _iso(m: re.Match[str]) -> str | None:
    try:
        y, mo, d = (_cn_number(g) for g in m.groups())
    except (KeyError, ValueError):
        return None
    if not (1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _text(lines: list[Line]) -> tuple[str, list[int | None]]:
    text, pages = "", []
    for ln in lines:
        s = squash(ln.text)
        text += s
        pages.extend([ln.page] * len(s))
    return text, pages


def _headings(text: str, rs: OutlineRules) -> list[tuple[int, int, bool]]:
    """(start, end of heading, renamed) for each section (-1 when not found)."""
    found: list[tuple[int, int, bool]] = [(-1, -1, False)] * 6
    pos = 0
    for k, rule in enumerate(rs.sections):       # by title, in order
        rx = re.compile(rf"[{_NUMERALS}\d][、.]?(?:{rule.heading.pattern})")
        m = rx.search(text, pos)
        if m:
            found[k] = (m.start(), m.end(), False)
            pos = m.end()
    for k, rule in enumerate(rs.sections):       # by place and content
        if found[k][0] >= 0:
            continue
        lo = max([found[j][1] for j in range(k) if found[j][0] >= 0], default=0)
        hi = min([found[j][0] for j in range(k + 1, 6) if found[j][0] >= 0], default=len(text))
        rx = re.compile(rf"{_NUMERALS[k]}、")
        for m in rx.finditer(text, lo, hi):
            words = text[m.end(): m.end() + 150]          # its first sentence, up to the next heading
            words = re.split(rf"。|[{_NUMERALS}]、", words, maxsplit=1)[0]
            if any(c in words for c in rule.content):
                end = _HEADING_END.search(text, m.end(), min(hi, m.end() + 30))
                found[k] = (m.start(), end.start() if end else min(hi, m.end() + 12), True)
                break
    return found


def outline(lines: list[Line]) -> Outline:
    """The sections and dates of a report's text."""
    rs = rules()
    text, pages = _text(lines)
    found = _headings(text, rs)
    starts = sorted(s for s, _, _ in found if s >= 0)
    sections = []
    for rule, (start, end, renamed) in zip(rs.sections, found, strict=True):
        if start < 0:
            continue
        nxt = [s for s in starts if s > start]
        stop = nxt[0] if nxt else len(text)
        sections.append(OutlineSection(rule.code, rule.number, text[start:end], renamed,
                                       pages[start] if pages else None, text[end:stop]))
    first = starts[0] if starts else min(len(text), rs.head_chars)
    dates = []
    head = text[: min(first, rs.head_chars)]
    for kind, rx in ((DATE_PUBLISHED, rs.published), (DATE_HEAD, rs.head)):
        m = rx.search(head)
        iso = _iso(m) if m else None
        if m and iso:
            dates.append(FoundDate(kind, iso, pages[m.start()] if pages else None, m.group()))
    tail_from = max(starts[-1] if starts else 0, len(text) - rs.signature_tail)
    last = None
    for m in rs.signature.finditer(text, tail_from):
        last = m
    before = text[max(0, last.start() - 3): last.start()] if last else ""
    if last is not None and not _STOP.match(text, last.end()) and not _RANGE.search(before):
        iso = _iso(last)
        if iso:
            a = max(0, last.start() - 20)
            dates.append(FoundDate(DATE_SIGNATURE, iso, pages[last.start()] if pages else None,
                                   text[a:last.end()]))
    return Outline(tuple(sections), tuple(dates))
