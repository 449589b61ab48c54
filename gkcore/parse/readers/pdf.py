"""Text PDFs. Sections are found from pypdfium2's cheap text pass; only the pages that hold
a section's table get the character and ruling-line pass; the cells come from the ruling
grid (pdfplumber's grid algorithms) or, where the ruling is missing or partial, from the
positions of the words."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from ...errors import CorruptPdf, NoPages, NoTextLayer, PasswordProtected, ScanUnreadable, TooManyPages
from ...model.box import Box
from ..normalize import is_page_number
from ..template import Template
from . import ocr
from .base import METHOD_GRID, METHOD_POSITIONS, Line, RawRow, Section, locate_sections
from .furniture import furniture
from .layout import Region, grid_rows, position_rows, text_lines
from .pdfgeom import Char, page_chars, page_edges
from .settings import SETTINGS
from .unruled import enumerated_rows
from .unruled_cols import Columns
from .unruled_row import single_row

logging.getLogger("pdfminer").setLevel(logging.ERROR)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
Progress = Callable[[int, int], None]     # (pages done, pages to OCR)


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # PDFium's error code is process-global and may be stale: judge by the bytes as well
        if re.search(rb"/Count\s*0\b", data) and not re.search(rb"/Type\s*/Page(?!s)", data):
            raise NoPages() from None  # PDFium refuses a document without pages
        if "password" in str(exc).lower() and b"/Encrypt" in data:
            raise PasswordProtected() from None
        raise CorruptPdf(str(exc)) from None


class PdfDoc:
    kind = "pdf"

    def __init__(self, data: bytes, progress: Progress | None = None, max_pages: int | None = None) -> None:
        self._progress = progress
        self.ocr_pages: list[int] = []
        self.unread_pages: list[int] = []    # scanned pages with ink where the recogniser found no text
        self._doc = _open(data)
        self.pages = len(self._doc)          # from the page tree: no page is read yet
        if self.pages == 0:
            raise NoPages()
        if max_pages is not None and self.pages > max_pages:
            raise TooManyPages(self.pages, max_pages)
        self.lines: list[Line] = []
        self._textpages: dict[int, Any] = {}
        self._geom: dict[int, tuple[list[Char], list[dict[str, Any]]]] = {}
        self._heights: dict[int, float] = {}
        self._furniture: dict[int, list[tuple[float, float]]] = {}   # page -> (top, bottom) of furniture lines
        nchars = 0
        try:
            scanned = []
            for pno in range(1, self.pages + 1):
                n = self._page_lines(pno)
                if n == 0 and _has_image(self._doc[pno - 1]):
                    scanned.append(pno)
                nchars += n
            self._drop_furniture()
            if scanned and ocr.available():
                self._ocr(scanned)
                nchars += sum(len(self._geom[p][0]) for p in scanned)
        except pdfium.PdfiumError as exc:
            raise CorruptPdf(str(exc)) from None
        if nchars == 0:
            raise ScanUnreadable(self.unread_pages) if self.unread_pages else NoTextLayer()

    def _drop_furniture(self) -> None:
        """Header and footer lines (a browser's date, title, URL, n/N) leave the lines, and their
        characters the table pass (readers/furniture.py)."""
        drop = furniture(self.lines, self._heights)
        for i in sorted(drop):
            ln = self.lines[i]
            if ln.page is not None:
                pad = max(1.0, 0.3 * (ln.bottom - ln.top))    # a low "_" or "," of the URL too
                self._furniture.setdefault(ln.page, []).append((ln.top - pad, ln.bottom + pad))
        self.lines = [ln for i, ln in enumerate(self.lines) if i not in drop]

    def _ocr(self, pages: list[int]) -> None:
        """Scanned pages: text, characters and ruling lines from the page image; the lines of
        text join the others in page order, for the section headings and the metadata."""
        by_page: dict[int, list[Line]] = {}
        for i, pno in enumerate(pages, 1):
            img = self._doc[pno - 1].render(scale=ocr.SCALE).to_numpy()
            page = ocr.ocr_image(img)
            self._geom[pno] = (page.chars, page.edges)
            if page.inked and not page.words:
                self.unread_pages.append(pno)
            by_page[pno] = [Line(" ".join(c.text for c in ln), pno, min(c.top for c in ln),
                                 max(c.bottom for c in ln)) for ln in text_lines(page.words)]
            if self._progress:
                self._progress(i, len(pages))
        self.lines = sorted(self.lines + [ln for lines in by_page.values() for ln in lines],
                            key=lambda ln: (ln.page or 0, ln.top))
        self.ocr_pages = pages

    def _page_lines(self, pno: int) -> int:
        page = self._doc[pno - 1]
        tp = page.get_textpage()
        self._textpages[pno] = tp
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        height = self._heights[pno] = page.get_height()
        pos = 0
        for m in list(_LINE_BREAK.finditer(text)) + [None]:
            end = m.start() if m else len(text)
            seg = text[pos:end]
            if seg.strip() and not is_page_number(seg):
                first = pos + (len(seg) - len(seg.lstrip()))
                top = bottom = 0.0
                if first < n:
                    _, b, _, t = tp.get_charbox(first, loose=True)
                    top, bottom = height - t, height - b
                self.lines.append(Line(seg.strip(), pno, top, bottom))
            pos = m.end() if m else len(text)
        return sum(1 for ch in text if not ch.isspace())

    # ---- tables -------------------------------------------------------------------------
    def read_sections(self, template: Template) -> dict[str, Section]:
        out = {}
        for span in locate_sections(self.lines, template):
            head = self.lines[span.start]
            tail = self.lines[span.end] if span.end < len(self.lines) else None
            regions = _regions(head, tail, self.pages)
            rows: list[RawRow] = []
            methods = set()
            table = template.tables.get(span.table)
            labels = tuple(c.label for c in table.cols) if table else ()
            blocks = len(table.rows) if table and table.layout == "single_row" else 0
            cols: Columns | None = None      # an unruled table's columns, for its pages without a header
            per_page: list[tuple[list[RawRow], str, Columns | None]] = []
            for reg in regions:
                per_page.append(self._read_region(reg, labels, cols, blocks))
                cols = per_page[-1][2]
            if cols is not None and cols.learned:   # pages read before the columns' shared alignment was
                for k, reg in enumerate(regions):   # learned (the table's first rows) are read again with it
                    seen = per_page[k][2]
                    if seen is not None and not seen.learned:
                        per_page[k] = self._read_region(reg, labels, cols, blocks)
            for page_rows, method, _ in per_page:
                rows.extend(page_rows)
                if page_rows:
                    methods.add(method)
            method = METHOD_POSITIONS if METHOD_POSITIONS in methods else METHOD_GRID
            out[span.table] = Section(span.table, tuple(rows), tuple(r.page for r in regions), method)
        return out

    def _geometry(self, pno: int) -> tuple[list[Char], list[dict[str, Any]]]:
        """Characters and ruling lines of a page, read once even when two sections share it."""
        if pno not in self._geom:
            page = self._doc[pno - 1]
            bands = self._furniture.get(pno, [])
            chars = [c for c in page_chars(page, self._textpages[pno])
                     if not any(top <= c.cy <= bottom for top, bottom in bands)]
            self._geom[pno] = (chars, page_edges(page))
        return self._geom[pno]

    def _read_region(self, reg: Region, labels: tuple[str, ...] = (), cols: Columns | None = None,
                     blocks: int = 0) -> tuple[list[RawRow], str, Columns | None]:
        """The rows of one page's part of a section: from the ruling grid, else (unruled) from the
        labels and headers (`blocks` > 0: a one-row table of that many blocks of `labels`), else
        from the word positions."""
        all_chars, all_edges = self._geometry(reg.page)
        chars = [c for c in all_chars if reg.top <= c.cy <= reg.bottom]
        if not chars:
            return [], METHOD_GRID, cols
        edges = _clip(all_edges, reg)
        tables = _grid(edges)
        rows = grid_rows(tables, chars, reg.page, scanned=reg.page in self.ocr_pages)
        if rows:
            return rows, METHOD_GRID, cols
        if rows is not None and not labels:      # rules that hold no row (a header's rules at a page's foot):
            return rows, METHOD_GRID, cols       # its columns may still be read from the header's words
        if blocks:
            got = single_row(chars, reg.page, labels, blocks, cols)
        else:
            got = enumerated_rows(chars, reg.page, labels, cols) if labels else None
        if got is not None:
            return got[0], METHOD_POSITIONS, got[1]
        return position_rows(chars, reg.page), METHOD_POSITIONS, cols


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3))


def _regions(head: Line, tail: Line | None, npages: int) -> list[Region]:
    """The page areas between a section heading and the next one."""
    assert head.page is not None
    last_page = tail.page if tail and tail.page else min(npages, head.page + 2)
    out = []
    for p in range(head.page, last_page + 1):
        top = head.bottom if p == head.page else 0.0
        bottom = tail.top if (tail and p == tail.page) else 1e9
        if bottom > top:
            out.append(Region(p, top, bottom))
    return out


def _clip(edges: list[dict[str, Any]], reg: Region) -> list[dict[str, Any]]:
    out = []
    for e in edges:
        if e["orientation"] == "h":
            if reg.top - 1 <= e["top"] <= reg.bottom + 1:
                out.append(e)
        else:
            top, bottom = max(e["top"], reg.top), min(e["bottom"], reg.bottom)
            if bottom - top > 3:
                out.append({**e, "top": top, "bottom": bottom, "doctop": top, "height": bottom - top})
    return out


def _close(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A table cut by a page break often lacks its closing rule (and the continued part its
    opening one): where the vertical rules run past the last horizontal rule, close them."""
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    if not hs or len(vs) < 2:
        return edges
    x0, x1 = min(e["x0"] for e in vs), max(e["x1"] for e in vs)
    extra = []
    low, high = max(e["bottom"] for e in vs), min(e["top"] for e in vs)
    if low > max(e["top"] for e in hs) + 5:
        extra.append({**hs[0], "x0": x0, "x1": x1, "top": low, "bottom": low, "doctop": low, "width": x1 - x0})
    if high < min(e["top"] for e in hs) - 5:
        extra.append({**hs[0], "x0": x0, "x1": x1, "top": high, "bottom": high, "doctop": high, "width": x1 - x0})
    return edges + extra


def _grid(edges: list[dict[str, Any]]) -> list[list[Box[float]]]:
    if not edges:
        return []
    s = SETTINGS
    merged = merge_edges(_close(edges), snap_x_tolerance=s.snap_x, snap_y_tolerance=s.snap_y,
                         join_x_tolerance=s.join_x, join_y_tolerance=s.join_y)
    cells = intersections_to_cells(edges_to_intersections(merged, x_tolerance=s.intersection_x,
                                                          y_tolerance=s.intersection_y))
    return [[Box(*c) for c in t] for t in cells_to_tables(cells) if len(t) >= 2]


__all__ = ["PdfDoc", "Char"]
