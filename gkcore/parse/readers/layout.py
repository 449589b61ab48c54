"""From characters to raw rows: through the cells of a ruling grid, or through word positions
when the ruling is missing or too coarse (cluster the characters into lines and tokens, cluster
the number columns by x, attach wrapped label lines to the nearest row of numbers)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median

from ...model.box import Box
from ...model.notes import note
from ..normalize import is_page_number, is_value_like, starts_with_enumerator
from .base import RawCell, RawRow
from .pdfgeom import Char
from .settings import SETTINGS


@dataclass(frozen=True)
class Region:
    page: int
    top: float
    bottom: float


# A token is a run of characters on one line with no wide gap: the same geometry as a character.
Token = Char


def char_height(chars: list[Char]) -> float:
    """The median height of the characters: the unit of the position readers' tolerances."""
    return median([c.bottom - c.top for c in chars]) if chars else 10.0


def text_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into text lines, each left to right: a character joins the current line when
    it overlaps the line's vertical extent by half its own height (so a low "." or "，" stays in line)."""
    if not chars:
        return []
    lines: list[list[Char]] = []
    span = (0.0, 0.0)
    join, grow = SETTINGS.same_line, SETTINGS.line_grow      # read once: this loop runs per character
    for c in sorted(chars, key=lambda c: c.cy):
        h = max(c.bottom - c.top, 0.1)
        if lines:
            overlap = min(span[1], c.bottom) - max(span[0], c.top)
            if overlap >= join * min(h, span[1] - span[0]):
                lines[-1].append(c)
                span = (min(span[0], c.top), max(span[1], c.bottom)) if h > grow * (span[1] - span[0]) else span
                continue
        lines.append([c])
        span = (c.top, c.bottom)
    return [sorted(ln, key=lambda c: c.x0) for ln in lines]


# Glyphs whose ink is much narrower than their advance (full-width digits, CJK punctuation): the
# gap beside them may reach a character's height inside one word ("１２", "“三安全一稳定”").
WIDE_GLYPHS = frozenset("０１２３４５６７８９“”‘’（）()、，。：；《》")
FULL_DIGITS = frozenset("０１２３４５６７８９")


def _wide_pair(a: str, b: str) -> bool:
    """Two neighbours that may stand a wide gap apart in one word: full-width digits together, or
    CJK punctuation beside anything but a digit (so "0" and "１１９" of two columns stay apart)."""
    if a.isdigit() or b.isdigit():
        return a in FULL_DIGITS and b in FULL_DIGITS
    return a in WIDE_GLYPHS or b in WIDE_GLYPHS


def _tokens(line: list[Char], gap: float, split_enum: bool = False) -> list[Token]:
    """Runs of characters without a wide gap. With split_enum, a run also breaks where, after a
    visible gap, an enumerator starts ("（三）不予公 4.保护…": a group label, then a row label)."""
    out: list[list[Char]] = []
    for i, c in enumerate(line):
        d = c.x0 - out[-1][-1].x1 if out else 0.0
        near = d <= gap or (d <= SETTINGS.wide_gap * gap and bool(out) and _wide_pair(out[-1][-1].text, c.text))
        if near and split_enum and d > SETTINGS.enum_gap * gap \
                and starts_with_enumerator("".join(x.text for x in line[i:i + 5])):
            near = False
        if out and near:
            out[-1].append(c)
        else:
            out.append([c])
    return [Token("".join(c.text for c in g), min(c.x0 for c in g), min(c.top for c in g),
                  max(c.x1 for c in g), max(c.bottom for c in g), min(c.conf for c in g)) for g in out]


def footer(line: list[Char], h: float) -> bool:
    """A page number ("- 3 -", "3/7") printed as one short group of characters; "1 / 1" spread over
    three columns, or "— — ０ — —" over fifteen (five marks apart, however close), is a row of values."""
    xs = sorted(line, key=lambda c: c.x0)
    gaps = [b.x0 - a.x1 for a, b in zip(xs, xs[1:], strict=False)]
    tall = max((c.bottom - c.top for c in line), default=h)
    space = SETTINGS.footer_space * tall
    marks = "".join(c.text + (" " if g > space else "") for c, g in zip(xs, [*gaps, 0.0], strict=True))
    dashes = sum(1 for m in marks.split() if set(m) <= set("-—–"))       # "- 3 -": one each side
    return len(line) <= 12 and max(gaps, default=0.0) <= SETTINGS.footer_gap * tall and dashes <= 2 \
        and is_page_number("".join(c.text for c in line))


def tokens(line: list[Char], h: float) -> list[Token]:
    """The tokens of a line of table text (public for the unruled reader)."""
    return _tokens(line, SETTINGS.word_gap * h, split_enum=True)


def _cell_text(chars: list[Char]) -> str:
    return "\n".join("".join(c.text for c in ln) for ln in text_lines(chars))


# Han characters a value cell may hold (placeholders, units) or that a dash, a "+" or a 0 is misread as
_VALUE_HAN = frozenset("一二十〇无空万元件条个项次")


def labelish(text: str) -> bool:
    """A ruled cell's text is (part of) a row's label: it is no value and holds a Han character
    that no value holds. A value cell that a speck or a half-read digit made unreadable ("/18",
    "—98", "0l") stays a value cell, unreadable (unsure), instead of joining the label and taking
    the row's other figures with it (its columns then uncountable, or the label unfound)."""
    return not is_value_like(text) and any("\u4e00" <= ch <= "\u9fff" and ch not in _VALUE_HAN for ch in text)


def _misread_mark(texts: list[str], i: int) -> bool:
    """On a scan, a ruled cell of one or two Han characters right of a cell holding a figure is a mark the
    recogniser misread ("/" read as "小"), not the row's label: the label would take in the figures
    before it ("四、结转下年度继续办理 3 小"), and the row its columns. It stays a value cell, unreadable."""
    return len(texts[i].strip()) <= 2 and any(t.strip() and is_value_like(t) for t in texts[:i])


def grid_rows(tables: list[list[Box[float]]], chars: list[Char], page: int, scanned: bool = False
              ) -> list[RawRow] | None:
    """Rows of the ruled tables, or None when the grid does not hold the numbers (no grid,
    numbers outside it, or cells so coarse that one holds several numbers). On a scanned page a
    cell or two holding a line of figures lost a rule the scan faded: each figure is its own cell,
    flagged unsure (the figures of the rest of the row keep their grid cells)."""
    if not tables:
        return None
    # a cell with an infinite side (a path scaled past a float's range) holds nothing readable
    cells = sorted({c for t in tables for c in t if all(map(math.isfinite, c))}, key=lambda b: (b.top, b.x0))
    content: dict[Box[float], list[Char]] = {c: [] for c in cells}
    band = 20.0
    buckets: dict[int, list[Box[float]]] = {}
    ks = [int(ch.cy // band) for ch in chars if math.isfinite(ch.cy)]
    lo, hi = (min(ks), max(ks)) if ks else (0, -1)
    for b in cells:                     # index the cells by the bands of the page that hold text
        for k in range(max(int(b.top // band), lo), min(int(b.bottom // band), hi) + 1):
            buckets.setdefault(k, []).append(b)
    outside_digits = 0
    for ch in chars:
        home = None
        cx, cy = ch.cx, ch.cy
        for b in buckets.get(int(cy // band) if math.isfinite(cy) else lo - 1, ()):
            if b.x0 <= cx <= b.x1 and b.top <= cy <= b.bottom and (home is None or b.area < home.area):
                home = b
        if home is None:
            outside_digits += ch.text.isdigit()
        else:
            content[home].append(ch)
    digits = sum(ch.text.isdigit() for ch in chars)
    if digits and outside_digits > max(SETTINGS.stray_digits, SETTINGS.stray_share * digits):
        return None
    gap = SETTINGS.word_gap * char_height(chars)

    def figure(t: Token) -> bool:      # (on a scan, an enumerated label's "2.重复申请" is no figure: a speck
        return t.text[0].isdigit() and (not scanned or is_value_like(t.text))     # beside it leaves the grid)

    crowded = [b for b, cs in content.items() if any(
        sum(1 for t in _tokens(ln, gap) if figure(t)) >= 2 for ln in text_lines(cs))]
    split: dict[Box[float], str] = {}          # a cut cell's pieces -> the figures read in the cell
    if crowded:
        if not scanned or len(crowded) > SETTINGS.lost_rules:
            return None
        for b in crowded:
            parts = _split_cell(b, content[b], gap)
            if parts is None:
                return None
            cells.remove(b)
            del content[b]
            seen = " ".join(_cell_text(cs) for _, cs in parts)
            for part, cs in parts:
                cells.append(part)
                content[part] = cs
                split[part] = seen
        cells.sort(key=lambda b: (b.top, b.x0))
    rows: list[RawRow] = []
    groups: list[list[Box[float]]] = []
    for b in cells:
        if groups and abs(groups[-1][0].top - b.top) <= SETTINGS.cell_row:
            groups[-1].append(b)
        else:
            groups.append([b])
    for g in groups:
        g.sort(key=lambda b: b.x0)
        texts = [_cell_text(content[b]) for b in g]
        last_label = max((i for i, t in enumerate(texts) if labelish(t) and not (scanned and _misread_mark(texts, i))),
                         default=-1)
        label = " ".join(t.replace("\n", "") for t in texts[: last_label + 1] if t)
        values = tuple(RawCell(t.replace("\n", ""), page, b, conf=min((c.conf for c in content[b]), default=1.0))
                       for t, b in zip(texts[last_label + 1:], g[last_label + 1:], strict=True))
        doubt = tuple((j, note("lost_rule", seen=split[b])) for j, b in enumerate(g[last_label + 1:]) if b in split)
        if label or any(v.text for v in values):
            rows.append(RawRow(label, values, page, exact=True, unsure=doubt))
    return rows


def _split_cell(b: Box[float], cs: list[Char], gap: float) -> list[tuple[Box[float], list[Char]]] | None:
    """A ruled cell whose one line of figures a lost rule ran together, cut between the figures: one
    cell each, its side halfway across the gap. None when it holds anything else (a label, two lines)."""
    lines = text_lines(cs)
    if len(lines) != 1:
        return None
    toks = _tokens(lines[0], gap)
    if not all(is_value_like(t.text) and t.text.strip() for t in toks):
        return None
    cuts = [b.x0] + [(a.x1 + c.x0) / 2 for a, c in zip(toks, toks[1:], strict=False)] + [b.x1]
    return [(Box(x0, b.top, x1, b.bottom), [c for c in cs if x0 <= c.cx < x1])
            for x0, x1 in zip(cuts, cuts[1:], strict=False)]


def position_rows(chars: list[Char], page: int) -> list[RawRow]:
    """Rows from word positions alone (tables without usable ruling lines)."""
    h = char_height(chars)
    numbered: list[tuple[float, list[Token], list[Token]]] = []   # (centre y, label, values)
    loose: list[tuple[float, list[Token]]] = []                    # lines without numbers
    for ln in text_lines(chars):
        if footer(ln, h):
            continue
        toks = _tokens(ln, SETTINGS.word_gap * h)
        k = len(toks)
        while k > 0 and is_value_like(toks[k - 1].text):
            k -= 1
        cy = sum(c.cy for c in ln) / len(ln)
        if k < len(toks):
            numbered.append((cy, toks[:k], toks[k:]))
        elif len("".join(t.text for t in toks)) > 1:
            loose.append((cy, toks))
    if not numbered:
        return []
    values = [t for _, _, vals in numbered for t in vals]
    cols = _header_columns(loose, numbered[0][0], values, h) or _columns([t.cx for t in values])
    attached: dict[int, list[tuple[float, Token]]] = {i: [] for i in range(len(numbered))}
    for cy, toks in loose:
        i = min(range(len(numbered)), key=lambda j: (abs(numbered[j][0] - cy), -numbered[j][0]))
        if abs(numbered[i][0] - cy) <= SETTINGS.label_reach * h:
            attached[i].extend((cy, t) for t in toks)
    rows = []
    for i, (cy, labels, vals) in enumerate(numbered):
        label = _join_label(attached[i] + [(cy, t) for t in labels])
        cells = tuple(RawCell(t.text, page, t.bbox, _nearest(cols, t.cx), conf=t.conf) for t in vals)
        rows.append(RawRow(label, cells, page, exact=False, ncols=len(cols)))
    return rows


def _join_label(pieces: list[tuple[float, Token]]) -> str:
    """Label pieces in reading order: columns of text (pieces that overlap horizontally) from
    left to right, each read top to bottom — so a group cell's "（六）其 / 他处理" stays apart
    from its row's "2.申请人逾期未按 / 收费通知…"."""
    groups: list[tuple[float, float, list[tuple[float, Token]]]] = []
    for cy, t in sorted(pieces, key=lambda p: p[1].x0):
        if groups and t.x0 < groups[-1][1] - 1:
            x0, x1, items = groups[-1]
            groups[-1] = (x0, max(x1, t.x1), items + [(cy, t)])
        else:
            groups.append((t.x0, t.x1, [(cy, t)]))
    return " ".join("".join(t.text for _, t in sorted(items, key=lambda p: (p[0], p[1].x0)))
                    for _, _, items in groups)


def _header_columns(loose: list[tuple[float, list[Token]]], first_row: float, values: list[Token],
                    h: float) -> list[float] | None:
    """Column centres from the column headers above the first row of numbers (自然人, 商业企业,
    …, 总计), so a column that is blank in every row still counts; None when the headers do
    not explain the number columns."""
    left = min(t.x0 for t in values) - SETTINGS.header_margin * h
    heads = [t.cx for cy, toks in loose if cy < first_row for t in toks
             if t.x1 - t.x0 < SETTINGS.header_max_width * h and t.cx >= left]
    cols = _columns(heads)
    found = _columns([t.cx for t in values])
    if len(cols) <= len(found):
        return None
    spacing = min((b - a for a, b in zip(cols, cols[1:], strict=False)), default=0.0)
    homes = [_nearest(cols, x) for x in found]
    near = all(abs(cols[i] - x) < SETTINGS.header_reach * spacing for i, x in zip(homes, found, strict=True))
    return cols if near and len(set(homes)) == len(homes) else None


def _columns(xs: list[float]) -> list[float]:
    """Centres of the number columns: x positions clustered where they are close."""
    groups: list[list[float]] = []
    for x in sorted(xs):
        if groups and x - groups[-1][-1] <= SETTINGS.column_gap:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [sum(g) / len(g) for g in groups]


def _nearest(cols: list[float], x: float) -> int:
    return min(range(len(cols)), key=lambda i: abs(cols[i] - x))
