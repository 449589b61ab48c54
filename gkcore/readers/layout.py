"""From characters to raw rows: through the cells of a ruling grid, or through word positions
when the ruling is missing or too coarse (cluster the characters into lines and tokens, cluster
the number columns by x, attach wrapped label lines to the nearest row of numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from ..normalize import is_page_number, is_value_like
from .base import RawCell, RawRow
from .pdfgeom import Char

BBoxT = tuple[float, float, float, float]


@dataclass(frozen=True)
class Region:
    page: int
    top: float
    bottom: float


@dataclass(frozen=True)
class Token:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def bbox(self) -> BBoxT:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def _char_height(chars: list[Char]) -> float:
    return median([c.bottom - c.top for c in chars]) if chars else 10.0


def _lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into text lines: a character joins the current line when it overlaps
    the line's vertical extent by half its own height (so a low "." or "，" stays in line)."""
    if not chars:
        return []
    lines: list[list[Char]] = []
    span = (0.0, 0.0)
    for c in sorted(chars, key=lambda c: c.cy):
        h = max(c.bottom - c.top, 0.1)
        if lines:
            overlap = min(span[1], c.bottom) - max(span[0], c.top)
            if overlap >= 0.5 * min(h, span[1] - span[0]):
                lines[-1].append(c)
                span = (min(span[0], c.top), max(span[1], c.bottom)) if h > 0.5 * (span[1] - span[0]) else span
                continue
        lines.append([c])
        span = (c.top, c.bottom)
    return [sorted(ln, key=lambda c: c.x0) for ln in lines]


def _tokens(line: list[Char], gap: float) -> list[Token]:
    out: list[list[Char]] = []
    for c in line:
        if out and c.x0 - out[-1][-1].x1 <= gap:
            out[-1].append(c)
        else:
            out.append([c])
    return [Token("".join(c.text for c in g), min(c.x0 for c in g), min(c.top for c in g),
                  max(c.x1 for c in g), max(c.bottom for c in g)) for g in out]


def _cell_text(chars: list[Char]) -> str:
    return "\n".join("".join(c.text for c in ln) for ln in _lines(chars))


def _area(b: BBoxT) -> float:
    return (b[2] - b[0]) * (b[3] - b[1])


def grid_rows(tables: list[list[BBoxT]], chars: list[Char], page: int) -> list[RawRow] | None:
    """Rows of the ruled tables, or None when the grid does not hold the numbers (no grid,
    numbers outside it, or cells so coarse that one holds several numbers)."""
    if not tables:
        return None
    cells = sorted({c for t in tables for c in t}, key=lambda b: (b[1], b[0]))
    content: dict[BBoxT, list[Char]] = {c: [] for c in cells}
    outside_digits = 0
    for ch in chars:
        home = None
        for b in cells:
            inside = b[0] <= ch.cx <= b[2] and b[1] <= ch.cy <= b[3]
            if inside and (home is None or _area(b) < _area(home)):
                home = b
        if home is None:
            outside_digits += ch.text.isdigit()
        else:
            content[home].append(ch)
    digits = sum(ch.text.isdigit() for ch in chars)
    if digits and outside_digits > max(3, 0.2 * digits):
        return None
    gap = 0.6 * _char_height(chars)
    for cs in content.values():
        for ln in _lines(cs):
            if sum(1 for t in _tokens(ln, gap) if t.text[0].isdigit()) >= 2:
                return None
    rows: list[RawRow] = []
    groups: list[list[BBoxT]] = []
    for b in cells:
        if groups and abs(groups[-1][0][1] - b[1]) <= 2:
            groups[-1].append(b)
        else:
            groups.append([b])
    for g in groups:
        g.sort(key=lambda b: b[0])
        texts = [_cell_text(content[b]) for b in g]
        last_label = max((i for i, t in enumerate(texts) if not is_value_like(t)), default=-1)
        label = " ".join(t.replace("\n", "") for t in texts[: last_label + 1] if t)
        values = tuple(RawCell(t.replace("\n", ""), page, b)
                       for t, b in zip(texts[last_label + 1:], g[last_label + 1:], strict=True))
        if label or any(v.text for v in values):
            rows.append(RawRow(label, values, page, exact=True))
    return rows


def position_rows(chars: list[Char], page: int) -> list[RawRow]:
    """Rows from word positions alone (tables without usable ruling lines)."""
    h = _char_height(chars)
    numbered: list[tuple[float, list[Token], list[Token]]] = []   # (centre y, label, values)
    loose: list[tuple[float, float, str]] = []                     # (centre y, x0, text)
    for ln in _lines(chars):
        if is_page_number("".join(c.text for c in ln)):
            continue
        toks = _tokens(ln, 0.6 * h)
        k = len(toks)
        while k > 0 and is_value_like(toks[k - 1].text):
            k -= 1
        cy = sum(c.cy for c in ln) / len(ln)
        if k < len(toks):
            numbered.append((cy, toks[:k], toks[k:]))
        elif len("".join(t.text for t in toks)) > 1:
            loose.append((cy, toks[0].x0, "".join(t.text for t in toks)))
    if not numbered:
        return []
    cols = _columns([t.cx for _, _, vals in numbered for t in vals])
    attached: dict[int, list[tuple[float, float, str]]] = {i: [] for i in range(len(numbered))}
    for cy, x0, text in loose:
        i = min(range(len(numbered)), key=lambda j: (abs(numbered[j][0] - cy), -numbered[j][0]))
        if abs(numbered[i][0] - cy) <= 2.2 * h:
            attached[i].append((cy, x0, text))
    rows = []
    for i, (cy, labels, vals) in enumerate(numbered):
        pieces = sorted(attached[i] + [(cy, t.x0, t.text) for t in labels])
        label = " ".join(p[2] for p in pieces)
        cells = tuple(RawCell(t.text, page, t.bbox, _nearest(cols, t.cx)) for t in vals)
        rows.append(RawRow(label, cells, page, exact=False, ncols=len(cols)))
    return rows


def _columns(xs: list[float], gap: float = 12.0) -> list[float]:
    """Centres of the number columns: x positions clustered where they are close."""
    groups: list[list[float]] = []
    for x in sorted(xs):
        if groups and x - groups[-1][-1] <= gap:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [sum(g) / len(g) for g in groups]


def _nearest(cols: list[float], x: float) -> int:
    return min(range(len(cols)), key=lambda i: abs(cols[i] - x))
