"""Page furniture: what a browser or a word processor prints at the top and bottom of every page
besides the document (a browser prints the date and time, the page's <title>, its URL and
"n/N"). None of it may reach the title, the agency or a cell.

A line is furniture when it lies in the top or bottom band of its page and either repeats, at
the same height, on other pages (digits masked: page numbers change), or has the shape of a
browser's print furniture (a URL, a date with a time, "n/N"), which also covers one-page
documents."""

from __future__ import annotations

import re
from collections import Counter

from ..normalize import squash
from .base import Line

BAND = 0.07                       # share of the page height at the top and at the bottom
_DIGITS = re.compile(r"\d+")
_URL = re.compile(r"(?:https?|file)://\S+", re.I)
_DATE_TIME = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[,，]?\s*(?:上午|下午)?\s*\d{1,2}:\d{2}(?::\d{2})?"
                        r"\s*(?:[AP]M)?", re.I)
_PAGE_OF = re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$")


def _in_band(ln: Line, height: float) -> bool:
    return ln.bottom <= BAND * height or ln.top >= (1 - BAND) * height


def _shaped(text: str) -> bool:
    """A browser's header or footer line: it holds a URL or a date with a time, or is "n/N"."""
    s = text.strip()
    return bool(_URL.search(s) or _DATE_TIME.search(s) or _PAGE_OF.match(s))


def furniture(lines: list[Line], heights: dict[int, float]) -> set[int]:
    """Indices of the lines that are page furniture (`heights`: page number -> page height)."""
    cands = [i for i, ln in enumerate(lines) if ln.page in heights and _in_band(ln, heights[ln.page])]
    key = {i: (_DIGITS.sub("#", squash(lines[i].text)), round(lines[i].top / 3)) for i in cands}
    pages: dict[tuple[str, int], set[int | None]] = {}
    for i in cands:
        pages.setdefault(key[i], set()).add(lines[i].page)
    repeated = Counter({k: len(v) for k, v in pages.items()})
    return {i for i in cands if repeated[key[i]] >= 2 or _shaped(lines[i].text)}
