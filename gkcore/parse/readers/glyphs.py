"""Second looks at what the recogniser returned for a scanned table, where a misread would
otherwise be a confident wrong number (readers/ocr.py):

- a lone "1" whose ink runs diagonally is the "/" many reports print for "none";
- a lone "一", "-" or "_" in a table is a dash ("—");
- a box that runs across a vertical ruling line ("0 86" read as "086") is cut at the rule;
- a mark the detector missed (a lone "0", "/", "—" in a cell that would read blank) is read on
  its own and kept with a low confidence, so its cell is "unsure" with that reading, never a
  silent blank.

Works on the deskewed grey page image in pixels; boxes are (x0, top, x1, bottom) in pixels."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from .pdfgeom import Char

DASHES = frozenset("一-_－–—~～")
_MARK = re.compile(r"\d{1,3}|[/—]")          # what a missed mark in a table may be
NUMBER = re.compile(r"[\d/—一\-_－–~～.,，]+")   # a box that reads as figures or marks only
MAX_MARKS = 40                    # marks read alone on one page (each about 10 ms)
MARK_SCORE = 0.75                 # the recogniser's score below which a lone mark is noise
DOUBT = 0.6                       # confidence given to a reading the recogniser did not vouch for
FAINT = 20                        # the contrast a missed mark's ink may have once noise is smoothed away
# A "0"'s ink is round (elongation 1.0-1.7 measured on generated 150-200 dpi scans), a "1"'s is not
# (2.7 and more, its foot serif included): in between, a "1" stays a "1".
ROUND = 2.2
Box = tuple[int, int, int, int]
# A glyph's ink: darker than this share of the way from the crop's darkest pixel to its paper (blur
# and JPEG spread a glyph; at 0.6 the boxes' median height is within 0.3 pt of the text layer's for
# the same page, measured on generated scans: the unruled reader's gaps are measured in it)
INK = 0.6


def _shape(gray: np.ndarray, box: Box, contrast: float = 40) -> tuple[float, float, float, float] | None:
    """The ink of a crop (darker than 40% of the way from ink to paper): its main axis's angle
    (degrees, 90 = upright, 0 = flat), elongation (ratio of the axes' spreads), width and
    height in pixels; None for a crop with too little ink or contrast."""
    x0, top, x1, bottom = box
    crop = gray[max(top, 0):max(bottom, 0), max(x0, 0):max(x1, 0)].astype(float)
    if crop.size == 0:
        return None
    lo, hi = float(crop.min()), float(np.percentile(crop, 90))
    pts = np.argwhere(crop < lo + 0.4 * (hi - lo)) if hi - lo >= contrast else np.empty((0, 2))
    if len(pts) < 6:
        return None
    ys, xs = pts[:, 0].astype(float), pts[:, 1].astype(float)
    vals, vecs = np.linalg.eigh(np.cov(np.vstack([xs, -ys])))
    angle = float(np.degrees(np.arctan2(vecs[1, 1], vecs[0, 1])) % 180)
    elong = float(np.sqrt(vals[1] / max(vals[0], 1e-6)))
    return angle, elong, float(xs.max() - xs.min() + 1), float(ys.max() - ys.min() + 1)


def _main_run(gray: np.ndarray, box: Box) -> Box:
    """The box narrowed to its main run of inked columns: a neighbour's edge that the recogniser's
    box took in (the "5" beside a "1") is left out, so two glyphs never read as one flat stroke."""
    x0, top, x1, bottom = (max(v, 0) for v in box)
    crop = gray[top:bottom, x0:x1].astype(float)
    if crop.size == 0:
        return box
    lo, hi = float(crop.min()), float(np.percentile(crop, 90))
    if hi - lo < 40:
        return box
    runs: list[list[int]] = []       # [first column, last column, dark pixels]
    for x, n in enumerate((crop < lo + 0.4 * (hi - lo)).sum(axis=0)):
        if n and runs and x - runs[-1][1] <= 2:
            runs[-1][1:] = [x, runs[-1][2] + int(n)]
        elif n:
            runs.append([x, x, int(n)])
    if len(runs) < 2:
        return box
    first, last, _ = max(runs, key=lambda r: r[2])
    return (x0 + first, top, x0 + last + 1, bottom)


def reread(gray: np.ndarray, text: str, box: Box) -> tuple[str, float | None]:
    """A lone recognised "1" or dash looked at again, by the shape of its ink: (text, a cap on
    its confidence or None). At 150-200 dpi the recogniser reads "/", "—" and even a blurred
    "0" as "1", and now and then a "/" as a dash (how sure it is of that varies with the OpenCV
    version that prepared the image); their shapes differ: "1" is a thin upright stroke, "/" a
    thin stroke leaning right (about 70°), "—" a flat one, "0" a round blob (read so, but unsure)."""
    t = text.strip()
    if t not in ("1", "l", "I", "|", "/") and t not in DASHES:
        return text, None
    shape = _shape(gray, _main_run(gray, box))
    if shape is None:
        return ("—" if t in DASHES else text), None
    angle, elong, w, h = shape
    if t in DASHES:       # a dash is flat; a thin stroke leaning right that was read as one is a "/"
        return ("/", None) if h >= 0.35 * w and elong > 4 and 50 <= angle <= 82 else ("—", None)
    if h < 0.35 * w:
        return "—", None
    if elong < ROUND and w > 0.6 * h:
        return "0", DOUBT
    if elong > 4 and 50 <= angle <= 82:
        return "/", None
    if t == "/" and elong > 4 and angle > 84:
        return "1", DOUBT
    return text, None


_DOTTED = re.compile(r"[.,，．、]*\d+(?:[.,]\d+)?[.,，．、]*")      # a figure with a dot before or after it


def trim_dots(gray: np.ndarray, text: str, box: Box, spans: list[tuple[str, int, int]]
              ) -> tuple[str, Box, list[tuple[str, int, int]]]:
    """A figure without the dot that a speck of dust before or after it was read as ("47.", ".2"): an
    end mark whose ink is under 0.4 of the digits' height, or too faint to be ink at all (a period's ink
    is a dot; a digit misread as one stands as tall as the others). The part as it was otherwise."""
    if not _DOTTED.fullmatch(text) or text[0].isdigit() and text[-1].isdigit() or len(spans) != len(text):
        return text, box, spans

    def tall(a: int, b: int) -> float:
        crop = gray[max(box[1], 0):max(box[3], 0), max(a, 0):max(b, 0)]
        if crop.size == 0 or float(crop.max()) - float(crop.min()) < 40:
            return 0.0
        x0, top, x1, bottom = ink(gray, (a, box[1], b, box[3]))
        return float(bottom - top)

    least = 0.4 * max(tall(a, b) for ch, a, b in spans if ch.isdigit())
    keep = list(spans)            # (an end mark's span without the part its neighbour's overlaps)
    while len(keep) > 1 and not keep[0][0].isdigit() and tall(keep[0][1], min(keep[0][2], keep[1][1])) < least:
        keep.pop(0)
    while len(keep) > 1 and not keep[-1][0].isdigit() and tall(max(keep[-1][1], keep[-2][2]), keep[-1][2]) < least:
        keep.pop()
    if not keep or len(keep) == len(spans):
        return text, box, spans
    return "".join(ch for ch, _, _ in keep), (keep[0][1], box[1], keep[-1][2], box[3]), keep


def minus_before(gray: np.ndarray, box: Box) -> Box | None:
    """A minus sign the recogniser left out before a figure ("-691" read as "691"): a short stroke no
    taller than wide just left of the figure's ink, at its middle height, half as dark as its digits
    at least (its box; None if there is none; at 110 dpi and JPEG 30 a minus is a blob). A speck is
    narrower than a third of the digits' height, a dash of another cell stands further off."""
    x0, top, x1, bottom = ink(gray, box, True)
    h = bottom - top
    if h < 6 or x1 - x0 < 2:
        return None
    lo, hi = float(gray[top:bottom, x0:x1].min()), paper(gray, box)
    dark = lo + 0.5 * (hi - lo)
    for _ in range(int(0.25 * h)):        # the recogniser's box may start inside the first digit's ink
        if x0 == 0 or not (gray[top:bottom, x0 - 1] < dark).any():
            break
        x0 -= 1
    left = max(x0 - 1 - int(0.8 * h), 0)
    region = gray[top:bottom, left:x0]
    if hi - lo < 40 or region.size == 0:
        return None
    pts = np.argwhere(region < dark)
    if len(pts) < 3:
        return None
    ys, xs = pts[:, 0], pts[:, 1]
    w, t = int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)
    mid = (ys.min() + ys.max()) / 2 / h
    gap = region.shape[1] - 1 - int(xs.max())
    if w >= 0.3 * h and t <= 0.35 * h and t <= w and 0.3 <= mid <= 0.75 and gap <= 0.35 * h:
        return (left + int(xs.min()), top + int(ys.min()), left + int(xs.max()) + 1, top + int(ys.max()) + 1)
    return None


def gaps(text: str, box: Box, chars: Any) -> list[tuple[str, Box, list[tuple[str, int, int]]]]:
    """A recognised box holding figures, cut where its characters (the recogniser's own boxes
    for them) leave a gap wider than the box's height: two cells' numbers that the detector ran
    together ("0    86" read as "086"). Each part with its characters' horizontal spans (from
    the recogniser, else in proportion to the characters)."""  # wider than a character: not within one number
    chars = _with_spaces(text, chars)
    if chars is None or len(chars) != len(text) or not text:
        n = max(len(text), 1)
        w = (box[2] - box[0]) / n
        return [(text, box, [(ch, int(box[0] + k * w), int(box[0] + (k + 1) * w) + 1) for k, ch in enumerate(text)])]
    spans = [(int(min(p[0] for p in c[2])), int(max(p[0] for p in c[2])) + 1) for c in chars]
    if len(text) < 2 or not any(ch.isdigit() for ch in text):
        return [(text, box, [(ch, a, b) for ch, (a, b) in zip(text, spans, strict=True)])]
    gap = 1.0 * (box[3] - box[1])
    out: list[tuple[str, Box, list[tuple[str, int, int]]]] = []
    start = 0
    for k in range(1, len(text) + 1):      # a space ends a part too: each word is looked at alone ("1 1")
        if k == len(text) or text[k] == " " or spans[k][0] - spans[k - 1][1] > gap:
            part = text[start:k]
            if part.strip():
                out.append((part, (spans[start][0], box[1], spans[k - 1][1], box[3]),
                            [(ch, a, b) for ch, (a, b) in zip(part, spans[start:k], strict=True)]))
            start = k + 1 if k < len(text) and text[k] == " " else k
    return out or [(text, box, [(ch, a, b) for ch, (a, b) in zip(text, spans, strict=True)])]


def _with_spaces(text: str, chars: Any) -> Any:
    """The recogniser's character boxes, one per character of `text`: it gives none for the
    spaces it reads between words ("结果纠 其他结"), which then span the gap between their
    neighbours (else the whole box would be cut in equal steps, every glyph off its ink)."""
    if chars is None or len(chars) == len(text) or len(chars) != len(text.replace(" ", "")):
        return chars
    if "".join(str(c[0]) for c in chars) != text.replace(" ", "") or text[0] == " " or text[-1] == " ":
        return chars
    out: list[Any] = []
    k = 0
    for ch in text:
        if ch == " ":       # from the last glyph's right edge to the next one's left edge
            right, left = max(p[0] for p in out[-1][2]), min(p[0] for p in chars[k][2])
            out.append((" ", 0.0, [(right, 0.0), (max(left, right), 0.0)]))
        else:
            out.append(chars[k])
            k += 1
    return out


def strokes(parts: list[tuple[str, Box, list[tuple[str, int, int]]]], score: float
            ) -> list[tuple[str, Box, list[tuple[str, int, int]]]]:
    """A doubtful part made of thin strokes only ("11" for two cells' "/ /") cut into its glyphs,
    each then looked at alone (reread)."""
    out: list[tuple[str, Box, list[tuple[str, int, int]]]] = []
    for part, px, spans in parts:
        if score < 0.8 and len(part) > 1 and set(part) <= set("1lI|/"):
            out.extend((ch, (a, px[1], b, px[3]), [(ch, a, b)]) for ch, a, b in spans)
        else:
            out.append((part, px, spans))
    return out


def upright(text: str, box: Box) -> bool:
    """A box of several characters set one under the other: much taller than wide."""
    return len(text.strip()) >= 2 and box[3] - box[1] > 1.8 * (box[2] - box[0])


def down(text: str, box: Box) -> list[tuple[str, Box]]:
    """The characters of an upright box, in equal steps from its top."""
    t = text.strip()
    step = (box[3] - box[1]) / len(t)
    return [(ch, (box[0], int(box[1] + k * step), box[2], int(box[1] + (k + 1) * step) + 1))
            for k, ch in enumerate(t) if ch.strip()]


def paper(gray: np.ndarray, box: Box) -> float:
    """The paper's grey around a box's ink: the crop's 90th percentile (by partition: about ten
    times faster than np.percentile, which the thousands of glyphs of a page feel)."""
    x0, top, x1, bottom = (max(v, 0) for v in box)
    flat = gray[top:bottom, x0:x1].ravel()
    if flat.size == 0:
        return 255.0
    k = int(0.9 * (flat.size - 1))
    return float(np.partition(flat, k)[k])


def ink(gray: np.ndarray, box: Box, figure: bool = False, light: float | None = None) -> Box:
    """The box shrunk to the ink inside it (pixels darker than INK of the way from the crop's
    darkest to its paper; a figure's sides at half way: the unruled reader places a right-aligned
    figure by its right edge, which a wider box pushes over a narrow column's boundary); the box
    itself when it holds too little contrast."""
    x0, top, x1, bottom = (max(v, 0) for v in box)
    crop = gray[top:bottom, x0:x1]
    if crop.size == 0:
        return box
    lo, hi = float(crop.min()), paper(gray, box) if light is None else light
    if hi - lo < 40:
        return box
    dark = crop < lo + INK * (hi - lo)
    cols = np.flatnonzero((crop < lo + 0.5 * (hi - lo) if figure else dark).any(axis=0))
    rows = np.flatnonzero(dark.any(axis=1))
    if len(cols) == 0:
        cols = np.flatnonzero(dark.any(axis=0))
    return (x0 + int(cols[0]), top + int(rows[0]), x0 + int(cols[-1]) + 1, top + int(rows[-1]) + 1)


def split_at_rules(chars: list[Char], edges: list[dict[str, Any]]) -> list[Char]:
    """A recognised box that a vertical rule crosses is two cells' texts: cut it there, in
    proportion to its characters."""
    vs = [e for e in edges if e["orientation"] == "v"]
    out: list[Char] = []
    for c in chars:
        pieces = [c]
        while True:
            p = pieces[-1]
            n, w = len(p.text), p.x1 - p.x0
            cut = next((e["x0"] for e in vs if n >= 2 and e["top"] <= (p.top + p.bottom) / 2 <= e["bottom"]
                        and p.x0 + 0.5 * w / n < e["x0"] < p.x1 - 0.5 * w / n), None)
            if cut is None:
                break
            k = min(max(round((cut - p.x0) / w * n), 1), n - 1)
            left, right = p.text[:k].strip(), p.text[k:].strip()
            pieces[-1:] = [Char(left, p.x0, p.top, cut, p.bottom, p.conf), Char(right, cut, p.top, p.x1, p.bottom,
                                                                                  p.conf)]
            if not left or not right:
                pieces = [x for x in pieces if x.text]
                break
        out.extend(x for x in pieces if x.text)
    return out


def ruled_cell(c: Char, edges: list[dict[str, Any]]) -> tuple[float, float, float, float] | None:
    """The cell ruled on all four sides that the character lies in (its nearest rule each side),
    or None."""
    vs = [e["x0"] for e in edges if e["orientation"] == "v" and e["top"] <= c.cy <= e["bottom"]]
    hs = [e["top"] for e in edges if e["orientation"] == "h" and e["x0"] <= c.cx <= e["x1"]]
    left, right = [x for x in vs if x < c.x0], [x for x in vs if x > c.x1]
    above, below = [y for y in hs if y < c.top], [y for y in hs if y > c.bottom]
    if not (left and right and above and below):
        return None
    return max(left), max(above), min(right), min(below)


def enclosed(c: Char, edges: list[dict[str, Any]]) -> bool:
    """The character lies in a cell ruled on all four sides."""
    return ruled_cell(c, edges) is not None


def in_read_cell(c: Char, edges: list[dict[str, Any]], texts: list[Char]) -> bool:
    """The character lies in a ruled cell that holds recognised text (its centre in the cell): a mark
    there is a speck, a copier band's edge or a stroke of a label, never a cell's own "0", "/" or "—"
    (a speck read as "1" beside "2.重复申请" made the label cell hold a figure, and the page's grid was
    given up; one beside a figure made its cell two figures, the row a column too many). A piece of the
    text itself lies beside it, where missed_marks never looks."""
    cell = ruled_cell(c, edges)
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
    figures of some of its columns were read), right of its first figure and no further right than
    the page's figures reach."""
    cy = (b[1] + b[3]) / 2
    row = [n for n in numbers if n[1] <= cy <= n[3]]
    return len(row) >= 2 and min(n[0] for n in row) - 3 * char_h <= b[0] and b[2] <= max(n[2] for n in numbers) + char_h


def _core(piece: np.ndarray, x: int, y: int, least: float) -> Box | None:
    """The box of a mark's pieces of ink at least `least` pixels long or tall (specks left out), in page
    pixels (`piece` is the mark's part of the binary image, its top left at x, y); None if all are specks."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(piece, connectivity=8)
    big = [s for s in stats[1:n] if max(s[2], s[3]) >= least]
    if not big:
        return None
    return (x + min(int(s[0]) for s in big), y + min(int(s[1]) for s in big),
            x + max(int(s[0] + s[2]) for s in big), y + max(int(s[1] + s[3]) for s in big))


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


def missed_marks(gray: np.ndarray, boxes: list[Box], rules: np.ndarray, read: Callable[[np.ndarray], tuple[str, float]],
                 char_h: float, keep: Callable[[Box], bool] = lambda b: True) -> list[tuple[str, Box, float]]:
    """Marks of character size that no recognised box covers and that are not ruling lines,
    each read on its own: (text, box, confidence at most DOUBT)."""
    import cv2

    binary = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -8)
    smooth = cv2.medianBlur(gray, 3)
    # the ruling lines and their fringes, a little wider than the lines' mask: a copier's band along a rule
    # leaves its edge dark, and that remnant joined a "—" beside it into one tall mark, never read (a blank)
    fringe = max(3, int(0.15 * char_h)) | 1
    binary[cv2.dilate(rules, np.ones((fringe, fringe), np.uint8)) > 0] = 0
    for x0, top, x1, bottom in boxes:
        binary[max(top - 2, 0):bottom + 2, max(x0 - 2, 0):x1 + 2] = 0
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    # the digits of one number joined into one mark (read once, never as two overlapping ones)
    reach = max(3, int(0.6 * char_h))
    joined = cv2.dilate(binary, np.ones((1, reach), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out: list[tuple[str, Box, float]] = []
    tried: list[Box] = []
    for stat in stats[1:n]:
        x, y, w, h, area = (int(v) for v in stat)
        if not (0.3 * char_h <= max(w, h) and w <= 4 * char_h and h <= 1.6 * char_h) or area < 0.02 * char_h ** 2:
            continue
        # the mark itself, without the dilation's reach (a rule may run right beside it) and without the
        # specks the reach took in (a "1" with the dust beside it read as a flat mark next to the "5")
        own = _core(binary[y:y + h, x:x + w], x, y, 0.2 * char_h)
        if own is None or max(own[2] - own[0], own[3] - own[1]) < 0.3 * char_h:
            continue
        pad = max(2, int(0.25 * char_h))
        box = (own[0] - pad, own[1] - pad, own[2] + pad, own[3] + pad)
        crop = gray[max(box[1], 0):box[3], max(box[0], 0):box[2]]
        # a piece of a recognised text's own line is not a cell of its own
        near = 0.25 * char_h                     # (a narrow column's neighbour may stand closer than a character)
        if any(b[1] < own[3] and own[1] < b[3] and b[0] - near < own[2] and own[0] < b[2] + near
               and not _rule_between(rules, own, b) for b in boxes):
            continue
        if not keep(own):                        # (outside a ruled cell: never read, never counted)
            continue
        shape = _shape(gray, box)                # gray: the page with its ruling lines already removed
        faint = shape is None                    # faded ink on grey paper: its shape seen with the noise
        if faint:                                # smoothed away (a "/" of half contrast is still a "/")
            shape = _shape(smooth, box, FAINT)
        if shape is None or max(shape[2], shape[3]) < 0.3 * char_h:
            continue                             # a speck (its dilated box was large enough): noise read as "5"
        if shape[3] < 0.35 * shape[2] and shape[2] > 0.4 * char_h:
            if not faint or _line_across(smooth, box):      # a flat stroke: a dash, whatever the recogniser
                out.append(("—", box, DOUBT))               # says (a faint one only where it is a line, never
            continue                                        # the edge of a copier's band: paper one side only)
        if shape[1] > 4 and 50 <= shape[0] <= 82 and shape[3] > 0.45 * char_h:
            out.append(("/", box, DOUBT))        # a thin stroke leaning right: a slash
            continue
        if faint or len(tried) >= MAX_MARKS:      # (the recogniser's reads are what cost time)
            continue                             # too faint for a figure: a copier band's edge read as "1"
        tried.append(box)
        text, score = read(crop)
        seen, _ = reread(gray, text, box)
        if seen.strip() in ("/", "—") and seen != text:       # its ink's shape says so, whatever the score
            out.append((seen.strip(), box, DOUBT))
            continue
        text = seen
        if _MARK.fullmatch(text.strip()) and score >= MARK_SCORE:      # a speckle reads as a digit, weakly
            out.append((text.strip(), box, min(score, DOUBT)))
    return out
