"""Marks the text detector missed in a scanned table (a lone "0", "/", "—" in a cell that would
read blank): found in the page image, read on their own and kept with a low confidence, so their
cell is "unsure" with that reading, never a silent blank. What is no mark is left out: specks of
dust, the edge of a copier's band, the fringe of a ruling line, and anything in a ruled cell that
already holds recognised text.

Works on the deskewed grey page image in pixels; boxes are (x0, top, x1, bottom) in pixels."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ...model.box import Box as PointsBox
from .dashes import dash_apart, dash_runs
from .glyphs import DOUBT, NUMBER, Box, Shape, _shape, reread
from .pdfgeom import Char
from .settings import SETTINGS, is_dash, is_slash

_MARK = re.compile(r"\d{1,3}|[/—]")          # what a missed mark in a table may be
MAX_MARKS = 100                   # marks read alone on one page (each about 10 ms; a poor scan's 表三 of
                                  # "0"s the detector missed had 63)
MARK_SCORE = 0.75                 # the recogniser's score below which a lone mark's reading is not vouched for
FAINT = 20                        # the contrast a missed mark's ink may have once noise is smoothed away
UNSETTLED = 0.3                   # the confidence of a mark the recogniser read as no mark, or weakly


def ruled_cell(c: Char, edges: list[dict[str, Any]], char_h: float | None = None, texts: Sequence[Char] = ()
               ) -> PointsBox[float] | None:
    """The cell ruled on all four sides that the character lies in (its nearest rule each side),
    or None. Given the page's character height (in the edges' unit), a "cell" taller than
    SETTINGS.mark_cell_lines of them is none: a frame of stray rules round the page or the table;
    so is one that holds recognised texts standing apart on one line (_holds_a_row)."""
    vs = [e["x0"] for e in edges if e["orientation"] == "v" and e["top"] <= c.cy <= e["bottom"]]
    hs = [e["top"] for e in edges if e["orientation"] == "h" and e["x0"] <= c.cx <= e["x1"]]
    left, right = [x for x in vs if x < c.x0], [x for x in vs if x > c.x1]
    above, below = [y for y in hs if y < c.top], [y for y in hs if y > c.bottom]
    if not (left and right and above and below):
        return None
    if char_h is not None and min(below) - max(above) > SETTINGS.mark_cell_lines * char_h:
        return None
    cell = PointsBox(max(left), max(above), min(right), min(below))
    return None if char_h is not None and _holds_a_row(cell, texts, char_h) else cell


def _holds_a_row(cell: PointsBox[float], texts: Sequence[Char], char_h: float) -> bool:
    """Recognised texts in the "cell" stand apart on one line by more than SETTINGS.mark_cell_gap
    character heights (a label and a figure): the rules round them are a frame that a copier band's edge
    and the page's edge drew round a row of a table ruled only across, not one cell (its missed "—" were
    dropped as specks beside a label: seed 3000090). One cell's text is one run, a wrapped label's lines
    one above the other."""
    inside = sorted((t for t in texts if cell[0] < t.cx < cell[2] and cell[1] < t.cy < cell[3]),
                    key=lambda t: t.x0)
    return any(b.x0 - a.x1 > SETTINGS.mark_cell_gap * char_h and a.top < b.cy < a.bottom
               for i, a in enumerate(inside) for b in inside[i + 1:])


def enclosed(c: Char, edges: list[dict[str, Any]], char_h: float | None = None, texts: Sequence[Char] = ()
             ) -> bool:
    """The character lies in a cell ruled on all four sides."""
    return ruled_cell(c, edges, char_h, texts) is not None


def in_read_cell(c: Char, edges: list[dict[str, Any]], texts: list[Char], char_h: float | None = None) -> bool:
    """The character lies in a ruled cell that holds recognised text (its centre in the cell): a mark
    there is a speck, a copier band's edge or a stroke of a label, never a cell's own "0", "/" or "—"
    (a speck read as "1" beside "2.重复申请" made the label cell hold a figure, and the page's grid was
    given up; one beside a figure made its cell two figures, the row a column too many). A piece of the
    text itself lies beside it, where missed_marks never looks."""
    cell = ruled_cell(c, edges, char_h, texts)
    return cell is not None and any(cell[0] < t.cx < cell[2] and cell[1] < t.cy < cell[3] for t in texts)


def _rule_between(rules: np.ndarray, a: Box, b: Box) -> bool:
    """A vertical ruling line runs between two boxes side by side (they are in different cells)."""
    y = min(max((a[1] + a[3]) // 2, 0), rules.shape[0] - 1)
    lo, hi = (a[2], b[0]) if a[2] <= b[0] else (b[2], a[0]) if b[2] <= a[0] else (0, 0)
    return hi > lo and bool((rules[y, max(lo, 0):max(hi, 0)] > 0).any())


def in_figure_column(b: Box, numbers: list[Box], texts: list[Box], char_h: float) -> bool:
    """The mark stands under or over at least three boxes of figures (a column of an unruled
    table) and on a line with recognised text left of it (its row's label): a row whose every
    cell is a "—" the detector missed has no figures to line up with."""
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    column = sum(1 for n in numbers if n[0] - char_h <= cx <= n[2] + char_h)
    return column >= 3 and any(t[1] <= cy <= t[3] and t[2] < b[0] for t in texts)


def in_figure_row(b: Box, numbers: list[Box], char_h: float) -> bool:
    """The mark stands on a line with at least two boxes of figures (a row of an unruled table: the
    figures of some of its columns were read), no further left of its first figure than three
    characters or one and a half of the row's column steps (表四's first "—" stands a wide column off),
    and no further right than the page's figures reach."""
    cy = (b[1] + b[3]) / 2
    row = sorted((n for n in numbers if n[1] <= cy <= n[3]), key=lambda n: n[0])
    if len(row) < 2:
        return False
    steps = sorted((q[0] + q[2] - p[0] - p[2]) / 2 for p, q in zip(row, row[1:], strict=False))
    reach = max(SETTINGS.mark_row_reach * char_h, SETTINGS.mark_row_steps * steps[len(steps) // 2])
    return row[0][0] - reach <= b[0] and b[2] <= max(n[2] for n in numbers) + char_h


def _core(piece: np.ndarray, x: int, y: int, least: float) -> tuple[Box, Box] | None:
    """The box of a mark's pieces of ink at least `least` pixels long or tall (specks left out), and the
    box of its largest piece, in page pixels (`piece` is the mark's part of the binary image, its top left
    at x, y); None if all are specks."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(piece, connectivity=8)
    big = [s for s in stats[1:n] if max(s[2], s[3]) >= least]
    if not big:
        return None
    most = max(big, key=lambda s: int(s[4]))
    return (Box(x + min(int(s[0]) for s in big), y + min(int(s[1]) for s in big),
                x + max(int(s[0] + s[2]) for s in big), y + max(int(s[1] + s[3]) for s in big)),
            Box(x + int(most[0]), y + int(most[1]), x + int(most[0] + most[2]), y + int(most[1] + most[3])))


def _line_across(gray: np.ndarray, box: Box, off: int = 4) -> bool:
    """A flat mark is a stroke of ink: its darkest row is darker by FAINT / 2 than the rows `off` pixels
    above and below it (the edge of a band of darker paper, or a JPEG block on it, is dark one side only)."""
    x0, top, x1, bottom = (max(v, 0) for v in box)
    crop = gray[top:bottom, x0 + (x1 - x0) // 4:x1 - (x1 - x0) // 4].astype(float)
    if crop.size == 0:
        return False
    rows = crop.mean(axis=1)
    r = int(np.argmin(rows))
    above, below = rows[max(r - off, 0)], rows[min(r + off, len(rows) - 1)]
    return min(above, below) - rows[r] >= FAINT / 2


def _on_rule(rules: np.ndarray, own: Box, char_h: float) -> bool:
    """A flat mark on the line of a ruling line: the rules' mask covers at least half of its middle row a
    character's height either side of it (a faded rule's piece too short to be taken for a rule; a
    vertical rule beside a cell's "—" covers a few pixels of that row, never half)."""
    y = min(max((own[1] + own[3]) // 2, 0), rules.shape[0] - 1)
    reach = int(char_h)
    row = np.concatenate([rules[y, max(own[0] - reach, 0):max(own[0] - 1, 0)], rules[y, own[2] + 1:own[2] + reach]])
    return row.size > 0 and float((row > 0).mean()) >= SETTINGS.mark_on_rule


def missed_marks(gray: np.ndarray, boxes: list[Box], rules: np.ndarray, read: Callable[[np.ndarray], tuple[str, float]],
                 char_h: float, keep: Callable[[Box], bool] = lambda b: True) -> list[tuple[str, Box, float]]:
    """Marks of character size that no recognised box covers and that are not ruling lines,
    each read on its own: (text, box, confidence at most DOUBT)."""
    import cv2

    binary = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                   SETTINGS.mark_block, SETTINGS.mark_constant)
    smooth = cv2.medianBlur(gray, 3)
    # the ruling lines and their fringes, a little wider than the lines' mask: a copier's band along a rule
    # leaves its edge dark, and that remnant joined a "—" beside it into one tall mark, never read (a blank)
    fringe = max(3, int(SETTINGS.mark_fringe * char_h)) | 1
    binary[cv2.dilate(rules, np.ones((fringe, fringe), np.uint8)) > 0] = 0
    for x0, top, x1, bottom in boxes:
        binary[max(top - 2, 0):bottom + 2, max(x0 - 2, 0):x1 + 2] = 0
    # noise a pixel wide opened away, but not a thin "—" or "/" of ink (faded at 150 dpi, a pixel thick: read
    # blank); a thin line longer than a mark is a rule's fringe, never one, and a faint one a band's edge
    longest, tallest = int(SETTINGS.mark_max_width * char_h), int(SETTINGS.mark_max_height * char_h) + 1
    inked = cv2.bitwise_and(binary, cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                                          cv2.THRESH_BINARY, SETTINGS.mark_block,
                                                          -SETTINGS.mark_thin_contrast))
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)) \
        | _thin(inked, (1, max(2, int(SETTINGS.mark_dash_width * char_h))), (1, longest)) \
        | _tall(_thin(inked, (SETTINGS.mark_thin_run_px, 1), (tallest, 1)), SETTINGS.mark_slash_height * char_h)
    # the digits of one number joined into one mark (read once, never as two overlapping ones)
    reach = max(3, int(SETTINGS.mark_join * char_h))
    joined = cv2.dilate(binary, np.ones((1, reach), np.uint8))
    joined[rules > 0] = 0         # never across a rule: the marks of two narrow cells side by side joined into
                                  # one wide "—", and one cell read blank (seed 3000052)
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out: list[tuple[str, Box, float]] = []
    tried: list[Box] = []
    min_size = SETTINGS.mark_min_size * char_h
    for stat in sorted(dash_runs(stats[1:n], binary, char_h), key=lambda st: -int(st[4])):   # (larger first)
        x, y, w, h, area = (int(v) for v in stat)
        if not (min_size <= max(w, h) and w <= SETTINGS.mark_max_width * char_h
                and h <= SETTINGS.mark_max_height * char_h) or area < SETTINGS.mark_min_area * char_h ** 2:
            continue
        # the mark itself, without the dilation's reach (a rule may run right beside it) and without the
        # specks the reach took in (a "1" with the dust beside it read as a flat mark next to the "5")
        cores = _core(binary[y:y + h, x:x + w], x, y, SETTINGS.mark_core * char_h)
        if cores is None or max(cores[0][2] - cores[0][0], cores[0][3] - cores[0][1]) < min_size:
            continue
        own, largest = cores      # (within a kept mark's crop: a thin run of that mark beside its thick part,
        if any(b[0] < own[2] and own[0] < b[2] and b[1] < own[3] and own[1] < b[3] for _, b, _ in out):
            continue              # one "—" read as "——")
        pad = max(2, int(SETTINGS.mark_pad * char_h))
        box = Box(own[0] - pad, own[1] - pad, own[2] + pad, own[3] + pad)
        crop = gray[max(box[1], 0):box[3], max(box[0], 0):box[2]]
        # a piece of a recognised text's own line is not a cell of its own
        near = SETTINGS.mark_near * char_h       # (a narrow column's neighbour may stand closer than a character)
        if any(b[1] < own[3] and own[1] < b[3] and b[0] - near < own[2] and own[0] < b[2] + near
               and not _rule_between(rules, own, b) and not dash_apart(own, largest, b, char_h) for b in boxes):
            continue
        if not keep(own):                        # (outside a ruled cell: never read, never counted)
            continue
        shape, faint = _measured(gray, smooth, box, own)
        if (shape is None or max(shape.width, shape.height) < min_size) and largest != own:
            own = largest                        # a darker speck beside a faint mark: the largest piece alone
            shape, faint = _measured(gray, smooth, box, own)
        if shape is None or max(shape.width, shape.height) < min_size:
            continue                             # a speck (its dilated box was large enough): noise read as "5"
        # (a short dash's darkest core, which the shape measures, may be narrower than its ink: own's width;
        # a dash that blur and JPEG thickened past a dash's height is still a thin flat stroke: _flat)
        if (is_dash(shape.width, shape.height) or _flat(shape)) \
                and max(shape.width, own[2] - own[0]) > SETTINGS.mark_dash_width * char_h:
            if _on_rule(rules, own, char_h):
                continue                                    # a faded rule's short piece, on its line
            if not faint or _line_across(smooth, box):      # a flat stroke: a dash, whatever the recogniser
                out.append(("—", box, DOUBT))               # says (a faint one only where it is a line, never
            continue                                        # the edge of a copier's band: paper one side only)
        if is_slash(shape.angle, shape.elongation) and shape.height > SETTINGS.mark_slash_height * char_h:
            out.append(("/", box, DOUBT))        # a thin stroke leaning right: a slash
            continue
        if faint:                                # too faint for a figure: a copier band's edge read as "1"
            continue
        if len(tried) >= MAX_MARKS:              # (the recogniser's reads are what cost time): a mark past
            out.append(("?", box, UNSETTLED))    # them is still a mark, its cell unsure, never a silent blank
            continue
        tried.append(box)
        text, score = read(crop)
        seen, _ = reread(gray, text, box)
        if seen.strip() in ("/", "—") and seen != text:       # its ink's shape says so, whatever the score
            out.append((seen.strip(), box, DOUBT))
            continue
        text = seen
        if _MARK.fullmatch(text.strip()) and score >= MARK_SCORE:
            out.append((text.strip(), box, min(score, DOUBT)))
        else:     # ink of a mark's size and contrast that the recogniser cannot settle: its cell unsure, with
            shown = text.strip() if _MARK.fullmatch(text.strip()) else "?"     # that reading if it may be a
            out.append((shown, box, min(score, UNSETTLED)))                    # cell's (a Han one: a label's)
    return out


def _measured(gray: np.ndarray, smooth: np.ndarray, box: Box, own: Box) -> tuple[Shape | None, bool]:
    """A mark's shape on the page (gray: its ruling lines already removed) and whether it is faint: faded
    ink on grey paper, its shape seen with the noise smoothed away (a "/" of half contrast is still one)."""
    shape = _shape(*_own(gray, box, own))
    return (shape, False) if shape is not None else (_shape(*_own(smooth, box, own), FAINT), True)


def _own(gray: np.ndarray, box: Box, own: Box) -> tuple[np.ndarray, Box]:
    """A mark's crop for its shape, the ink beyond its own box and a pixel painted as paper: a darker
    speck just under a faint "—" set the crop's ink level, and the dash's shape was the speck's."""
    x0, top = max(box[0], 0), max(box[1], 0)
    view = gray[top:box[3], x0:box[2]].copy()
    if view.size == 0:
        return view, Box(0, 0, 0, 0)
    m = SETTINGS.mark_own_px
    keep = np.zeros(view.shape, bool)
    keep[max(own[1] - m - top, 0):own[3] + m - top, max(own[0] - m - x0, 0):own[2] + m - x0] = True
    view[~keep] = np.uint8(np.percentile(view, 90))
    return view, Box(0, 0, view.shape[1], view.shape[0])


def _thin(binary: np.ndarray, least: tuple[int, int], most: tuple[int, int]) -> np.ndarray:
    """The runs of ink along one axis at least `least` long and shorter than `most` (kernel shapes)."""
    import cv2

    def runs(k: tuple[int, int]) -> np.ndarray:
        return cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones(k, np.uint8))

    return runs(least) & ~runs(most)


def missed_twice(gray: np.ndarray, boxes: list[Box], rules: np.ndarray, read: Callable[[np.ndarray], tuple[str, float]],
                 char_h: float, keep: Callable[[Box], bool], numbers: list[Box]) -> list[tuple[str, Box, float]]:
    """missed_marks, then once more beside the marks it found: those are cells of their rows and columns
    too (an unruled row whose "/"s the detector missed, all but one figure: its marks were on no row of
    figures until the column's marks were found, seed 3000094). `numbers`, the boxes of figures and marks
    that `keep` measures rows and columns by, gains the marks found."""
    found = missed_marks(gray, boxes, rules, read, char_h, keep)
    if not found:
        return found
    numbers.extend(m for t, m, _ in found if NUMBER.fullmatch(t))
    return found + missed_marks(gray, boxes + [m for _, m, _ in found], rules, read, char_h, keep)


def _tall(runs: np.ndarray, least: float) -> np.ndarray:
    """The pieces of `runs` (8-connected: a thin "/" is a chain of short upright runs) at least `least` tall;
    the short runs that JPEG noise on grey paper is full of are left out (one was read as "?" in a t2 row,
    and its figures were taken for the label's text)."""
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    tall = np.flatnonzero(stats[:, cv2.CC_STAT_HEIGHT] >= least)
    return np.where(np.isin(labels, tall[tall > 0]), runs, 0).astype(runs.dtype)


def _flat(shape: Shape) -> bool:
    """A thin flat stroke by its ink's axes (a dash blurred thicker than is_dash allows): elongated as a
    stroke, lying within SETTINGS.mark_flat_angle of the horizontal."""
    tilt = min(shape.angle, 180 - shape.angle)
    return shape.elongation > SETTINGS.stroke_elongation and tilt <= SETTINGS.mark_flat_angle
