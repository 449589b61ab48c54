"""The columns of an unruled table, from its column headers (found by unruled_heads), and which column a
value is in.

A column's cell holds its header and every value of the column, and cells do not overlap. So a
value that overlaps a header's width is in that header's column, and two values that overlap each
other are in one column. Only a value in the gap between two headers (right-aligned numbers under
left-aligned headers, narrow columns) needs more: the column whose values share its alignment
(right edges, centres or left edges), or the column the table's alignment rule predicts (for
example "right edge 3 pt left of the next header", learned from the columns already settled). A
value that nothing settles is placed with its alternative, and both cells end up unsure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from statistics import median
from typing import NamedTuple

from ..normalize import is_value_like
from .layout import Token
from .settings import SETTINGS

KINDS = ("x1", "cx", "x0")                   # a value's alignment edges
REFS = ("x0", "cx", "x1", "next", "prev")    # a header's edges (next: the next header's x0; prev: the last's x1)

Placer = Callable[[Token], tuple[int, int | None]]


class Relation(NamedTuple):      # a table's rule for where its values sit against their headers
    edge: str                    # the value's edge (KINDS)
    ref: str                     # the header's edge (REFS)
    offset: float                # value edge minus header edge, in points


@dataclass(frozen=True)
class Columns:
    centers: tuple[float, ...]
    heads: tuple[tuple[float, float], ...]   # x extent of each header
    bottom: float                            # bottom of the header on its page (-1 when inherited)
    # how the table's values sit against its headers: (value edge, header edge, offset), learned from
    # the values settled so far (right-aligned values under left-aligned headers: ("x1", "next", -3.3))
    learned: tuple[Relation, ...] = ()

    def inherit(self, before: Columns | None) -> Columns:
        """These columns on a page after `before`: what the earlier pages taught is kept."""
        return replace(self, learned=self.learned or (before.learned if before else ()))

    def bounds(self) -> list[float]:
        """Column boundaries: outer ones half a spacing beyond the outer centres, inner ones in the
        middle of the gap between two headers."""
        c, hd = self.centers, self.heads
        inner = [(a[1] + b[0]) / 2 if a[1] <= b[0] else (x + y) / 2
                 for a, b, x, y in zip(hd, hd[1:], c, c[1:], strict=False)]
        return [c[0] - (c[1] - c[0]) / 2, *inner, c[-1] + (c[-1] - c[-2]) / 2]

    def spacing(self) -> float:
        return median(b - a for a, b in zip(self.centers, self.centers[1:], strict=False))

    def ref(self, i: int, r: str) -> float | None:
        if not 0 <= i < len(self.heads):
            return None
        a, b = self.heads[i]
        if r == "next":
            return self.heads[i + 1][0] if i + 1 < len(self.heads) else None
        if r == "prev":
            return self.heads[i - 1][1] if i > 0 else None
        return {"x0": a, "x1": b, "cx": (a + b) / 2}[r]

    def placer(self, toks: list[Token], h: float) -> tuple[Placer, Columns]:
        """How to place a value: its column, and the neighbouring column it may belong to instead
        (None when the geometry settles it). Also the columns with what this page taught."""
        return _Placement(self, toks, h).run()


def _over(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


class _Placement:
    def __init__(self, cols: Columns, toks: list[Token], h: float) -> None:
        self.cols, self.toks, self.h = cols, toks, h
        self.slack, self.tol = SETTINGS.header_overlap * h, SETTINGS.align_tol * h
        self.col: dict[int, int] = {}                 # token index -> settled column
        self.alt: dict[int, tuple[int, int]] = {}     # token index -> (column, the other it may be in)
        self.by_col: dict[int, list[int]] = {}        # settled column -> its token indices
        self.bridges = self._bridges()                # values across two columns' values: no column's edge

    def _settle(self, g: list[int], c: int) -> None:
        self.col.update((k, c) for k in g)
        self.by_col.setdefault(c, []).extend(g)

    def run(self) -> tuple[Placer, Columns]:
        loose: list[list[int]] = []
        for g, c in self._groups():
            if c is None:
                loose.append(g)
            else:
                self._settle(g, c)
        learned = self._relations() or self.cols.learned
        for _ in range(3):                            # a settled group may settle another
            left = []
            for g in loose:
                c, other = self._decide(g, learned)
                if other is None:
                    self._settle(g, c)
                    self.alt = {k: v for k, v in self.alt.items() if k not in g}
                else:
                    left.append(g)
                    self.alt.update((k, (c, other)) for k in g)
            if len(left) == len(loose):
                break
            loose = left
        learned = self._relations() or learned
        where = {id(t): k for k, t in enumerate(self.toks)}

        def place(t: Token) -> tuple[int, int | None]:
            k = where.get(id(t))
            if k is not None and k in self.col:
                return self.col[k], None
            if k is not None and k in self.alt:
                return self.alt[k]
            b = self.cols.bounds()
            return max(0, min(len(self.cols.centers) - 1, sum(1 for x in b[1:-1] if t.cx >= x))), None
        return place, replace(self.cols, learned=learned)

    def _groups(self) -> list[tuple[list[int], int | None]]:
        """Values joined by overlap, with the column of the one header they overlap (None: none).
        A value overlapping two headers, or joining two columns' groups, is placed with both."""
        s, heads = self.slack, self.cols.heads
        hits = [[i for i, (a, b) in enumerate(heads) if _over(t.x0, t.x1, a, b) > s] for t in self.toks]
        parent = list(range(len(self.toks)))
        head: dict[int, int | None] = {k: (hs[0] if len(hs) == 1 else None) for k, hs in enumerate(hits)}

        def root(k: int) -> int:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k
        order = sorted(range(len(self.toks)), key=lambda k: self.toks[k].x0)
        odd = {k for k, t in enumerate(self.toks) if not is_value_like(t.text)}   # "/１０６": two values run
        odd |= self.bridges                                                       # together join nothing
        for n, a in enumerate(order):
            if len(hits[a]) > 1:
                self.alt[a] = (hits[a][0], hits[a][1])
                continue
            if a in odd:
                continue
            ta = self.toks[a]
            for b in order[n + 1:]:
                tb = self.toks[b]
                if tb.x0 >= ta.x1 - s:
                    break
                if len(hits[b]) > 1 or b in odd or _over(ta.x0, ta.x1, tb.x0, tb.x1) <= s:
                    continue
                ra, rb = root(a), root(b)
                if ra == rb:
                    continue
                ha, hb = head[ra], head[rb]
                if ha is not None and hb is not None and ha != hb:
                    self.alt[a], self.alt[b] = (ha, hb), (hb, ha)
                    continue
                parent[rb] = ra
                head[ra] = ha if ha is not None else hb
        out: dict[int, list[int]] = {}
        for k in range(len(self.toks)):
            if k not in self.alt:
                out.setdefault(root(k), []).append(k)
        return [(g, head[r]) for r, g in out.items()]

    def _bridges(self) -> set[int]:
        """Values that overlap two values standing a character's height or more apart (two columns' values:
        "0.16", a speck read as "0." before a total's 16, across 其他's figures and 总计's): they join
        neither column's group, and their edges are no column's."""
        s, toks = self.slack, self.toks
        out = set()
        for a, ta in enumerate(toks):
            near = [t for b, t in enumerate(toks) if b != a and _over(ta.x0, ta.x1, t.x0, t.x1) > s]
            if any(_over(u.x0, u.x1, v.x0, v.x1) <= -self.h for i, u in enumerate(near) for v in near[i + 1:]):
                out.add(a)
        return out

    def _anchor(self, c: int, kind: str, extra: tuple[int, ...] | list[int] = ()) -> float | None:
        xs = [getattr(self.toks[k], kind) for k in [*self.by_col.get(c, ()), *extra] if k not in self.bridges]
        return median(xs) if xs and max(xs) - min(xs) <= self.tol else None

    def _relations(self) -> tuple[Relation, ...]:
        """The (value edge, header edge, offset) rules that at least two settled columns agree on."""
        cols = sorted(self.by_col)
        out = []
        for kind in KINDS:
            anchors = {c: a for c in cols if (a := self._anchor(c, kind)) is not None}
            for r in REFS:
                offs = [a - x for c, a in anchors.items() if (x := self.cols.ref(c, r)) is not None]
                if len(offs) >= 2 and max(offs) - min(offs) <= self.tol:
                    out.append(Relation(kind, r, median(offs)))
        return tuple(out)

    def _extent(self, c: int) -> tuple[float, float]:
        a, b = self.cols.heads[c]
        xs = [self.toks[k] for k in self.by_col.get(c, ()) if k not in self.bridges]
        return min([a, *(t.x0 for t in xs)]), max([b, *(t.x1 for t in xs)])

    def _decide(self, g: list[int], learned: tuple[Relation, ...]) -> tuple[int, int | None]:
        """The column of a group in the gap between two headers, or the two it may be in."""
        n, s = len(self.cols.heads), self.slack
        x0, x1 = min(self.toks[k].x0 for k in g), max(self.toks[k].x1 for k in g)
        k = sum(1 for a, _ in self.cols.heads if a < x1 - s)       # headers starting left of the group
        cands = [c for c in (k - 1, k) if 0 <= c < n
                 and (c == 0 or x0 >= self._extent(c - 1)[1] - s) and (c == n - 1 or x1 <= self._extent(c + 1)[0] + s)]
        if len(cands) == 1:
            return cands[0], None
        if not cands:
            c = max(0, min(n - 1, k))
            return c, (c - 1 if c > 0 else c + 1)
        far = {c: d for c in cands if (d := self._misfit(g, c, learned)) is not None}
        h = self.h
        if len(far) == 2:
            a, b = sorted(far, key=lambda c: far[c])
            if far[a] <= SETTINGS.align_fit * h and far[b] >= far[a] + h:
                return a, None
        elif len(far) == 1:
            ((c, d),) = far.items()
            if d <= SETTINGS.align_fit * h:
                return c, None
            if d >= SETTINGS.align_misfit * h:
                return next(x for x in cands if x != c), None
        return cands[0], cands[1]

    def _misfit(self, g: list[int], c: int, learned: tuple[Relation, ...]) -> float | None:
        """How far the group stands from where column c's values align (its settled values, or the
        table's rule for where values sit against their header); None when nothing tells."""
        if c in self.by_col:
            told = [(kind, a) for kind in KINDS if (a := self._anchor(c, kind)) is not None]
        else:
            told = [(kind, x + off) for kind, r, off in learned if (x := self.cols.ref(c, r)) is not None]
            if not told:      # nothing learned yet: what one settled column shows (its values against its header)
                told = [(kind, x + a - y) for d in self.by_col for kind in KINDS for r in REFS
                        if (a := self._anchor(d, kind)) is not None and (x := self.cols.ref(c, r)) is not None
                        and (y := self.cols.ref(d, r)) is not None]
        if not told:
            return None
        return min(max(abs(getattr(self.toks[k], kind) - want) for k in g) for kind, want in told)
