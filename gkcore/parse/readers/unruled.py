"""Unruled tables whose row labels are enumerated (表三): rows from the labels, columns from the
column headers, and a value belongs to a row only when the geometry says so.

- Columns: the template's column labels are found among the header words, wrapped or not
  (商业企 / 业 is one header), so a column that is blank all the way down still counts. A page
  without a header (a continuation) uses the columns of the page before.
- Rows: label text is cut into pieces (a cell's wrapped lines join; an enumerator such as 1. （二）
  四、 starts a new piece). A piece with an enumerated piece to its right is a group label (（三）不予公开,
  三、本年度办理结果 down the left edge), not a row. Pieces before the first enumerated one
  continue the row cut by the page break, or, lines apart, are rows whose enumerator a scan lost.
- Values: a value belongs to the row whose label band holds it. One that falls between two
  bands goes to the only one of them whose cell in its column is still free; otherwise neither
  row gets it and both cells are unsure (the note says why). A row band without values is a
  blank row, read as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from statistics import median

from ...model.notes import note
from ..normalize import is_value_like, squash, starts_with_enumerator
from .base import RawCell, RawRow
from .layout import FULL_DIGITS, Token, char_height
from .pdfgeom import Char
from .settings import SETTINGS
from .unruled_cols import Columns
from .unruled_heads import find_columns
from .unruled_tokens import chars_of, join_same_line, split_at_starts, split_headers, table_tokens, token_of

# an arabic enumerator the recogniser half-read, right before the label's first Han character: "1" as a
# look-alike letter ("L.本机关…", "l属于…"), its dot lost ("1属于国家秘密"), or its digit read as any one
# character before its dot ("7.属于…" as "工.属于…")
_HALF_READ = re.compile(r"(?:[LlIi|丨!]\s*[.,、]?|\d{1,2}|[^\s\d.]\.)(?=[\u4e00-\u9fff])")


def enumerated(text: str) -> bool:
    """A label piece that starts a row: its enumerator as printed, or half read (a scan's)."""
    return starts_with_enumerator(text) or bool(_HALF_READ.match(squash(text)))


@dataclass
class Piece:
    toks: list[Token]
    group: bool = False

    @property
    def top(self) -> float:
        return min(t.top for t in self.toks)

    @property
    def bottom(self) -> float:
        return max(t.bottom for t in self.toks)

    @property
    def x0(self) -> float:
        return min(t.x0 for t in self.toks)

    @property
    def x1(self) -> float:
        return max(t.x1 for t in self.toks)

    @property
    def text(self) -> str:
        return "".join(t.text for t in sorted(self.toks, key=lambda t: (round(t.cy), t.x0)))


@dataclass
class RowCells:
    piece: Piece
    cells: dict[int, Token] = field(default_factory=dict)
    unsure: dict[int, str] = field(default_factory=dict)
    maybe: dict[int, int] = field(default_factory=dict)     # column -> the neighbour its value may be in

    def settle(self) -> None:
        """A value near a column boundary is settled when the neighbouring cell holds a value of its
        own (a cell holds one value); otherwise both cells are unsure. So is a blank cell beside an
        unreadable one."""
        for i, other in self.maybe.items():
            if other in self.cells and other not in self.maybe:
                continue
            text = self.cells[i].text
            self.unsure.setdefault(i, note("near_boundary", text=text))
            if other not in self.cells:
                self.unsure.setdefault(other, note("neighbour_near_boundary", text=text))
        for j, t in list(self.cells.items()):    # an unreadable run ("—5") may hold a blank neighbour's figure
            for k in (j - 1, j + 1):
                if not is_value_like(t.text) and k >= 0 and k not in self.cells:
                    self.unsure.setdefault(k, note("neighbour_unreadable", text=t.text))


def _pieces(toks: list[Token], h: float, values: list[Token] | None = None) -> list[Piece]:
    """Label tokens into pieces: a token joins the piece just above it that it overlaps in x,
    unless it starts with an enumerator, or an enumerated label to its right on its line lies
    under that piece too (the first characters of a group label down the left edge, under a
    top-level label that spans both label columns), or its line holds values of its own under
    the piece's (`values`: two rows whose enumerators a scan lost)."""
    pieces: list[Piece] = []
    joined = sorted(join_same_line(toks, h), key=lambda t: (t.top, t.x0))
    enums = [u for u in joined if enumerated(u.text)]
    for t in joined:
        home = None
        if not enumerated(t.text):
            right = [u.x0 for u in enums if u.x0 > t.x1 and min(u.bottom, t.bottom) - max(u.top, t.top) > 0]
            near = [p for p in pieces if -SETTINGS.line_overlap * h <= t.top - p.bottom <= SETTINGS.wrap_gap * h
                    and min(t.x1, p.x1) - max(t.x0, p.x0) > 0 and not any(x < p.x1 for x in right)
                    and not _own_values(Piece([t]), p, values or [], h)]
            home = min(near, key=lambda p: t.top - p.bottom, default=None)
        if home is not None:
            home.toks.append(t)
        else:
            pieces.append(Piece([t]))
    reach, band = SETTINGS.group_reach * h, SETTINGS.band_tol * h
    for p in pieces:      # a group has rows to its right; words close after it on its line are its own tail
        p.group = any(q is not p and q.x0 >= p.x1 - reach and q.top <= p.bottom + band
                      and q.bottom >= p.top - band
                      and (enumerated(q.text) or q.x0 - p.x1 >= h) for q in pieces)
    return pieces


def enumerated_rows(chars: list[Char], page: int, labels: tuple[str, ...],
                    inherited: Columns | None) -> tuple[list[RawRow], Columns] | None:
    """Rows of an unruled table with enumerated labels, or None when its headers or labels are not
    found (the caller then reads the word positions the older way)."""
    h = char_height(chars)
    toks, fine = table_tokens(chars, h)
    own = find_columns(split_headers(fine, chars, labels), labels, h)
    cols = own.inherit(inherited) if own else (replace(inherited, bottom=-1.0) if inherited else None)
    if cols is None:
        return None
    spacing, lo = cols.spacing(), cols.bounds()[0]
    label_toks = split_at_starts([t for t in toks if t.cx < lo], chars, h)
    cell_toks = [u for t in toks if t.cx >= lo and t.x1 - t.x0 <= 1.5 * spacing and t.cy > cols.bottom
                 for u in _split_at_columns(t, cols, chars, h)]
    clear = cols.bottom - SETTINGS.header_clear * h
    rows = _row_pieces([p for p in _pieces(label_toks, h, cell_toks) if not p.group and p.top >= clear], h,
                       own is not None, cell_toks)
    if rows is None:    # no row; only the header, at the foot of its page, is the table's: its columns go on
        return ([], cols) if own and not any(t.top > cols.bottom for t in toks) else None
    place, cols = cols.placer(cell_toks, h)
    loose: list[tuple[Token, int, list[RowCells]]] = []
    band = SETTINGS.band_tol * h
    for t in cell_toks:
        j, other = place(t)
        near = [r for r in rows if r.piece.top - band <= t.cy <= r.piece.bottom + band]
        if len(near) != 1:
            above = [r for r in rows if r.piece.bottom < t.cy]
            below = [r for r in rows if r.piece.top > t.cy]
            near = near or [r for r in (above[-1:] + below[:1])]
            loose.append((t, j, near))
            continue
        put(near[0], j, t, other)
    for t, j, near in loose:   # a cell holds one value: a band left with the column free takes it, or
        free = [r for r in near if j not in r.unsure and (   # the one whose number it continues (wrapped)
            j not in r.cells or _wrapped(r.cells[j], t))]
        if len(free) == 1 and len(near) == 2:
            put(free[0], j, t, place(t)[1])
            continue
        for r in near:
            r.unsure[j] = note("between_rows", text=t.text)
    out = []
    for r in rows:
        r.settle()
        values = tuple(RawCell(t.text, page, t.bbox, col=j, conf=t.conf) for j, t in sorted(r.cells.items()))
        # a label piece that is no enumerated row (the rest of a row cut by the page break) has no blank
        # cells of its own to report
        whole = enumerated(r.piece.text)
        out.append(RawRow(r.piece.text, values, page, exact=False, ncols=len(cols.centers), complete=whole,
                          unsure=tuple(sorted(r.unsure.items()))))
    return out, cols


def _split_at_columns(t: Token, cols: Columns, chars: list[Char], h: float) -> list[Token]:
    """A value run across a column boundary (narrow columns: "３" and "１０６" of two columns set close
    together) is cut at its visible gap nearest that boundary. Unless the run overlaps two headers,
    a gap between two full-width digits must be wider than the number's other such gaps (they stand
    apart inside one number too: a "４２" across the middle of a header gap is one number)."""
    inner = cols.bounds()[1:-1]
    if len(t.text) < 2 or not any(t.x0 < x < t.x1 for x in inner):
        return [t]
    mine = chars_of(t, chars)
    if len(mine) < 2:
        return [t]
    x = next(x for x in inner if t.x0 < x < t.x1)
    d = [mine[k].x0 - mine[k - 1].x1 for k in range(1, len(mine))]
    two = sum(1 for a, b in cols.heads if min(t.x1, b) - max(t.x0, a) > SETTINGS.header_overlap * h) >= 2
    fw = [mine[k - 1].text in FULL_DIGITS and mine[k].text in FULL_DIGITS for k in range(1, len(mine))]
    inside = [g for g, f in zip(d, fw, strict=True) if f]      # the gaps between a number's full-width digits
    split = SETTINGS.split_gap * h
    wider = max(split, median(inside) + SETTINGS.full_width_gap * h) if len(inside) >= 2 else float("inf")
    gaps = [k for k in range(1, len(mine)) if d[k - 1] >= (split if two or not fw[k - 1] else wider)]
    if not gaps:
        return [t]
    k = min(gaps, key=lambda k: abs((mine[k].x0 + mine[k - 1].x1) / 2 - x))
    return [token_of(mine[:k]), *_split_at_columns(token_of(mine[k:]), cols, chars, h)]


def _row_pieces(pieces: list[Piece], h: float, headed: bool = False,
                values: list[Token] | None = None) -> list[RowCells] | None:
    """One piece per row: the pieces before the first enumerated one are one piece (the rest of a
    row cut by the page break) while they follow each other as wrapped lines do; a later piece
    without an enumerator belongs to the row on its line, else the one it hangs under, if any.
    Either way not when its line holds values of its own under that row's (`values`: a row whose
    "1." was read "工", or whose "二、" was lost). Under the table's own header (`headed`), pieces
    none of which kept its enumerator are rows the scan lost them of (a 表三 whose header stands at a
    page's foot, two rows under it)."""
    pieces.sort(key=lambda p: p.top)
    enum = [enumerated(p.text) for p in pieces]
    if not any(enum) and not (headed and pieces):
        return None
    first = enum.index(True) if any(enum) else len(pieces)
    hang = SETTINGS.hang_gap * h
    head: list[Piece] = []      # lines apart, not one label's wrapped lines: rows whose enumerator was lost
    for p in pieces[:first]:
        if head and p.top - head[-1].bottom <= SETTINGS.wrap_gap * h and not _own_values(p, head[-1], values or [], h):
            head[-1].toks.extend(p.toks)
        else:
            head.append(Piece(list(p.toks)))
    rows: list[Piece] = head + [p for p, e in zip(pieces[first:], enum[first:], strict=True) if e]
    for p, e in zip(pieces[first:], enum[first:], strict=True):
        if e:
            continue
        home = [r for r in rows[len(head):] if min(r.bottom, p.bottom) - max(r.top, p.top) > 0] or [
            r for r in rows[len(head):] if 0 <= p.top - r.bottom <= hang and min(r.x1, p.x1) - max(r.x0, p.x0) > 0
            and not _own_values(p, r, values or [], h)]
        if home:          # the row on its line, else the one it hangs under
            home[0].toks.extend(p.toks)
        else:
            rows.append(p)
    return [RowCells(p) for p in sorted(rows, key=lambda p: p.top)]


def _own_values(p: Piece, r: Piece, values: list[Token], h: float) -> bool:
    """A piece under a row's label holds a row's values of its own: in at least two columns a value
    on the piece's first line stands under one on the row's lines (a wrapped label's row has one)."""
    theirs = [v for v in values if r.top <= v.cy <= r.bottom]
    mine = [u for u in values if p.top <= u.cy <= min(p.bottom, p.top + h)]
    return sum(any(u.top >= v.bottom and min(u.x1, v.x1) - max(u.x0, v.x0) > 0 for v in theirs)
               for u in mine) >= 2


def put(r: RowCells, j: int, t: Token, other: int | None) -> None:
    if j in r.cells and _wrapped(r.cells[j], t):
        r.cells[j] = _joined(r.cells[j], t)
        return
    if j in r.cells:
        r.unsure[j] = note("two_values", a=r.cells[j].text, b=t.text)
        for k in (j - 1, j + 1):         # one of the two may be a blank neighbour's: never a silent blank there
            if k >= 0 and k not in r.cells:
                r.unsure.setdefault(k, note("neighbour_two_values", a=r.cells[j].text, b=t.text))
        return
    r.cells[j] = t
    if other is not None:
        r.maybe[j] = other


def join_wrapped(toks: list[Token]) -> list[Token]:
    """Tokens with each number a narrow column wrapped onto two lines joined (a one-row table)."""
    out: list[Token] = []
    for t in sorted(toks, key=lambda t: t.top):
        k = next((k for k, u in enumerate(out) if _wrapped(u, t)), None)
        if k is None:
            out.append(t)
        else:
            out[k] = _joined(out[k], t)
    return out


def _joined(a: Token, b: Token) -> Token:
    a, b = sorted((a, b), key=lambda u: u.top)
    return Token(a.text + b.text, min(a.x0, b.x0), a.top, max(a.x1, b.x1), b.bottom, min(a.conf, b.conf))


def _wrapped(a: Token, b: Token) -> bool:
    """Two runs of full-width digits, one right under the other in one cell: a number that a narrow
    column wrapped (a browser may break a line between full-width digits, never inside "42")."""
    if not all(ch in FULL_DIGITS for ch in a.text + b.text):
        return False
    up, down = sorted((a, b), key=lambda u: u.top)
    h = max(up.bottom - up.top, down.bottom - down.top)
    return -SETTINGS.wrap_overlap * h <= down.top - up.bottom <= SETTINGS.hang_gap * h \
        and min(a.x1, b.x1) - max(a.x0, b.x0) > 0
