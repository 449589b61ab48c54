"""The prose of a report (the lines outside the table sections) as one text, and the figures it
states about the tables: what the metadata reports and what settles a run-together cell."""

from __future__ import annotations

import re

from .normalize import MAX_DIGITS, squash
from .readers.base import Line
from .template import Template

_LONG_DIGITS = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")   # no figure; "(\d+)件" would be quadratic on it


def prose_text(lines: list[Line], skip: set[int]) -> tuple[str, list[int | None]]:
    """The prose (lines outside the table sections) as one normalised text, with each
    character's page."""
    text, pages = "", []
    for i, ln in enumerate(lines):
        if i in skip:
            continue
        s = squash(ln.text)
        text += s
        pages.extend([ln.page] * len(s))
    return _LONG_DIGITS.sub(lambda m: "#" * len(m.group()), text), pages   # positions kept for `pages`


def stated_figures(lines: list[Line], template: Template, skip: set[int]) -> list[tuple[tuple[tuple[str, ...], ...],
                                                                                        int]]:
    """(the cells it may be, as sums of cells; the value) of every figure the prose states about
    the tables: the checked prose figures and the template's `stated` ones."""
    text, _ = prose_text(lines, skip)
    out = []
    for pat in template.prose + template.stated:
        for rx in pat.patterns:
            m = rx.search(text)
            if m and pat.compare:
                out.append((pat.compare, int(m.group(1))))
                break
    return out
