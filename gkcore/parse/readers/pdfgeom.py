"""Characters and ruling lines of a PDF page through pypdfium2 (about 10 ms a page, against
70 ms for pdfminer's layout pass), in pdfplumber's top-left coordinates, so pdfplumber's
own grid algorithms (merge_edges, edges_to_intersections, ...) can build the cells."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...model.box import Box

THIN = 2.5          # a filled shape thinner than this is a ruling line (Word/WPS borders)
MIN_EDGE = 3.0      # shorter segments are ticks, not ruling lines


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 1.0      # recognition confidence (OCR); 1.0 for a text layer

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def bbox(self) -> Box[float]:
        return Box(self.x0, self.top, self.x1, self.bottom)


def page_chars(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[Char]:
    """Every visible character with its tight box; glyphs drawn twice at (nearly) the same
    place, as some producers do for bold, are kept once."""
    height = page.get_height()
    n = textpage.count_chars()
    text = textpage.get_text_range(0, n) if n else ""
    out: list[Char] = []
    recent: list[Char] = []
    for i, ch in enumerate(text[:n]):
        if ch.isspace() or ch == "\ufffe":
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=False)
        c = Char(ch, left, height - top, right, height - bottom)
        if any(p.text == ch and abs(p.x0 - c.x0) < 1.5 and abs(p.top - c.top) < 1.5 for p in recent):
            continue
        out.append(c)
        recent = (recent + [c])[-6:]
    return out


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any] | None:
    w, h = x1 - x0, bottom - top
    if max(w, h) < MIN_EDGE:
        return None
    if w >= h:
        y = (top + bottom) / 2
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "doctop": y, "width": w, "height": 0.0,
                "orientation": "h", "object_type": "line"}
    x = (x0 + x1) / 2
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "doctop": top, "width": 0.0,
            "height": h, "orientation": "v", "object_type": "line"}


def _segments(obj: pdfium.PdfObject, height: float) -> list[dict[str, Any]]:
    """Straight horizontal and vertical segments of a stroked path (rectangles, polylines)."""
    raw = obj.raw
    matrix = obj.get_matrix()
    out = []
    start = prev = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        pt = matrix.on_point(x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or prev is None:
            start = prev = pt
            continue
        pairs = [(prev, pt)]
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            pairs.append((pt, start))
        for a, b in pairs:
            if abs(a[0] - b[0]) < 0.5 or abs(a[1] - b[1]) < 0.5:
                e = _edge(min(a[0], b[0]), height - max(a[1], b[1]),
                          max(a[0], b[0]), height - min(a[1], b[1]))
                if e:
                    out.append(e)
        prev = pt
    return out


def page_edges(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """Ruling lines: stroked segments, and filled shapes thin enough to be borders. Filled
    boxes (cell shading, page backgrounds) are not lines."""
    height = page.get_height()
    edges: list[dict[str, Any]] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=6):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
        if min(w, h) <= THIN:
            if fill.value or stroke.value:
                e = _edge(left, height - top, right, height - bottom)
                if e:
                    edges.append(e)
        elif stroke.value:
            edges.extend(_segments(obj, height))
    return edges
