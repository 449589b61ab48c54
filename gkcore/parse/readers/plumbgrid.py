"""pdfplumber's grid algorithms (pdfplumber 0.11.10, pdfplumber/table.py and utils/geometry.py,
utils/clustering.py), copied: the ruling lines of a page -> merged edges -> their intersections
-> cells -> tables. Importing them from pdfplumber imports pdfplumber and pdfminer.six too (with
cryptography and charset_normalizer), 80 ms of CPU in every start of the parsers' forkserver
(bench/parse_speed.py, issue 12); the parse itself reads pages with pypdfium2 (pdfgeom.py).
tests/test_plumbgrid.py checks that these give what pdfplumber's give on every fixture page.

The code is pdfplumber's, with types for mypy and the branches our calls never take left out.

    The MIT License (MIT)
    Copyright (c) 2015, Jeremy Singer-Vine

    Permission is hereby granted, free of charge, to any person obtaining a copy of this
    software and associated documentation files (the "Software"), to deal in the Software
    without restriction, including without limitation the rights to use, copy, modify, merge,
    publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
    to whom the Software is furnished to do so, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all copies or
    substantial portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
    INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
    PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
    FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
    OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
    DEALINGS IN THE SOFTWARE.
"""

from __future__ import annotations

import itertools
from operator import itemgetter
from typing import Any

Obj = dict[str, Any]
BBox = tuple[float, float, float, float]
Point = tuple[float, float]
Intersections = dict[Point, dict[str, list[Obj]]]

_bbox = itemgetter("x0", "top", "x1", "bottom")


def _cluster_list(xs: list[float], tolerance: float) -> list[list[float]]:
    if tolerance == 0 or len(xs) < 2:
        return [[x] for x in sorted(xs)]
    groups = []
    xs = sorted(xs)
    current = [xs[0]]
    last = xs[0]
    for x in xs[1:]:
        if x <= last + tolerance:
            current.append(x)
        else:
            groups.append(current)
            current = [x]
        last = x
    groups.append(current)
    return groups


def _cluster_objects(objs: list[Obj], attr: str, tolerance: float) -> list[list[Obj]]:
    key = itemgetter(attr)
    clusters = _cluster_list(list(set(map(key, objs))), tolerance)
    cluster_of = dict(itertools.chain(*([(v, i) for v in c] for i, c in enumerate(clusters))))
    tuples = sorted(((o, cluster_of.get(key(o))) for o in objs), key=itemgetter(1))
    return [[o for o, _ in group] for _, group in itertools.groupby(tuples, key=itemgetter(1))]


def _move(obj: Obj, axis: str, value: float) -> Obj:
    if axis == "h":
        new: list[tuple[str, Any]] = [("x0", obj["x0"] + value), ("x1", obj["x1"] + value)]
    else:
        new = [("top", obj["top"] + value), ("bottom", obj["bottom"] + value)]
        if "doctop" in obj:
            new += [("doctop", obj["doctop"] + value)]
        if "y0" in obj:
            new += [("y0", obj["y0"] - value), ("y1", obj["y1"] - value)]
    return obj.__class__(tuple(obj.items()) + tuple(new))


def _snap(objs: list[Obj], attr: str, tolerance: float) -> list[Obj]:
    axis = {"x0": "h", "x1": "h", "top": "v", "bottom": "v"}[attr]
    clusters = _cluster_objects(objs, attr, tolerance)
    avgs = [sum(o[attr] for o in c) / len(c) for c in clusters]
    moved = ([_move(o, axis, avg - o[attr]) for o in c] for c, avg in zip(clusters, avgs, strict=True))
    return list(itertools.chain(*moved))


def _resize(obj: Obj, key: str, value: float) -> Obj:
    diff = value - obj[key]
    new: list[tuple[str, Any]] = [(key, value)]
    if key == "x0":
        new.append(("width", obj["x1"] - value))
    elif key == "x1":
        new.append(("width", value - obj["x0"]))
    elif key == "top":
        new.append(("doctop", obj["doctop"] + diff))
        new.append(("height", obj["height"] - diff))
        if "y1" in obj:
            new.append(("y1", obj["y1"] - diff))
    elif key == "bottom":
        new.append(("height", obj["height"] + diff))
        if "y0" in obj:
            new.append(("y0", obj["y0"] - diff))
    return obj.__class__(tuple(obj.items()) + tuple(new))


def _join_edge_group(edges: Any, orientation: str, tolerance: float) -> list[Obj]:
    lo, hi = ("x0", "x1") if orientation == "h" else ("top", "bottom")
    ordered = sorted(edges, key=itemgetter(lo))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + tolerance:
            if e[hi] > last[hi]:
                joined[-1] = _resize(last, hi, e[hi])
        else:
            joined.append(e)
    return joined


def merge_edges(edges: list[Obj], snap_x: float, snap_y: float, join_x: float, join_y: float) -> list[Obj]:
    """Snap the edges within the tolerances to their average position, then join the pieces of
    one line (pdfplumber.table.merge_edges)."""
    def group(edge: Obj) -> tuple[str, float]:
        return ("h", edge["top"]) if edge["orientation"] == "h" else ("v", edge["x0"])

    if snap_x > 0 or snap_y > 0:
        vs = [e for e in edges if e["orientation"] == "v"]
        hs = [e for e in edges if e["orientation"] == "h"]
        edges = _snap(vs, "x0", snap_x) + _snap(hs, "top", snap_y)
    groups = itertools.groupby(sorted(edges, key=group), key=group)
    return list(itertools.chain(*(_join_edge_group(items, k[0], join_x if k[0] == "h" else join_y)
                                  for k, items in groups)))


def edges_to_intersections(edges: list[Obj], x_tolerance: float = 1, y_tolerance: float = 1) -> Intersections:
    """The points where a vertical and a horizontal edge meet, within the tolerances."""
    intersections: Intersections = {}
    v_edges = [e for e in edges if e["orientation"] == "v"]
    h_edges = [e for e in edges if e["orientation"] == "h"]
    for v in sorted(v_edges, key=itemgetter("x0", "top")):
        for h in sorted(h_edges, key=itemgetter("top", "x0")):
            if (v["top"] <= h["top"] + y_tolerance and v["bottom"] >= h["top"] - y_tolerance
                    and v["x0"] >= h["x0"] - x_tolerance and v["x0"] <= h["x1"] + x_tolerance):
                vertex = (v["x0"], h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def intersections_to_cells(intersections: Intersections) -> list[BBox]:
    """The smallest rectangles whose four corners are intersections joined by edges."""
    def shared(p1: Point, p2: Point, orientation: str) -> bool:
        return bool(set(map(_bbox, intersections[p1][orientation])) & set(map(_bbox, intersections[p2][orientation])))

    def connects(p1: Point, p2: Point) -> bool:
        return (p1[0] == p2[0] and shared(p1, p2, "v")) or (p1[1] == p2[1] and shared(p1, p2, "h"))

    points = sorted(intersections)
    n_points = len(points)

    def smallest_cell(i: int) -> BBox | None:
        if i == n_points - 1:
            return None
        pt = points[i]
        rest = points[i + 1:]
        below = [x for x in rest if x[0] == pt[0]]
        right = [x for x in rest if x[1] == pt[1]]
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                bottom_right = (right_pt[0], below_pt[1])
                if (bottom_right in intersections and connects(bottom_right, right_pt)
                        and connects(bottom_right, below_pt)):
                    return (pt[0], pt[1], bottom_right[0], bottom_right[1])
        return None

    return [c for c in (smallest_cell(i) for i in range(n_points)) if c]


def cells_to_tables(cells: list[BBox]) -> list[list[BBox]]:
    """The cells grouped into tables of cells that share corners, top to bottom, left to right;
    a table of one cell is left out."""
    def corners(b: BBox) -> tuple[Point, Point, Point, Point]:
        x0, top, x1, bottom = b
        return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))

    remaining = list(cells)
    current_corners: set[Point] = set()
    current: list[BBox] = []
    tables = []
    while remaining:
        count = len(current)
        for cell in list(remaining):
            cell_corners = corners(cell)
            if not current or any(c in current_corners for c in cell_corners):
                current_corners |= set(cell_corners)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == count:
            tables.append(list(current))
            current_corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    ordered = sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in ordered if len(t) > 1]
