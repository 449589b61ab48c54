"""Second looks at what the recogniser returned for a scanned table, where a misread would
otherwise be a confident wrong number (readers/ocr.py):

- a lone "1" whose ink runs diagonally is the "/" many reports print for "none";
- a lone "一", "-" or "_" in a table is a dash ("—");
- a box that runs across a vertical ruling line ("0 86" read as "086") is cut at the rule;
- a figure's dots and signs (a speck read as its dot or minus, a minus left out): readers/signs.py;
- marks the detector missed: readers/marks.py.

Works on the deskewed grey page image in pixels; boxes are (x0, top, x1, bottom) in pixels."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import cv2
import numpy as np

from ...model.box import Box as OneBox
from .pdfgeom import Char
from .settings import SETTINGS, is_dash, is_slash

DASHES = frozenset("一-_－–—~～")
NUMBER = re.compile(r"[\d/—一\-_－–~～.,，]+")   # a box that reads as figures or marks only
DOUBT = 0.6                       # confidence given to a reading the recogniser did not vouch for
# A "0"'s ink is round (elongation 1.0-1.7 measured on generated 150-200 dpi scans), a "1"'s is not
# (2.7 and more, its foot serif included): in between, a "1" stays a "1".
ROUND = 2.2
Box = OneBox[int]                # a box in pixels of the page image (model/box.py: the one box type)


class Shape(NamedTuple):     # a crop's ink: its main axis's angle (degrees, 90 = upright), the axes' ratio
    angle: float
    elongation: float
    width: float             # pixels
    height: float


class Span(NamedTuple):      # a character of a recognised box and its columns [x0, x1) in pixels
    text: str
    x0: int
    x1: int


class Part(NamedTuple):      # a word of a recognised box: its text, box and characters' spans
    text: str
    box: Box
    spans: list[Span]


# A glyph's ink: darker than this share of the way from the crop's darkest pixel to its paper (blur
# and JPEG spread a glyph; at 0.6 the boxes' median height is within 0.3 pt of the text layer's for
# the same page, measured on generated scans: the unruled reader's gaps are measured in it)
INK = 0.6


def _shape(gray: np.ndarray, box: Box, contrast: float = SETTINGS.ink_contrast, share: float = SETTINGS.shape_ink
           ) -> Shape | None:
    """The ink of a crop (darker than 40% of the way from ink to paper): its main axis's angle
    (degrees, 90 = upright, 0 = flat), elongation (ratio of the axes' spreads), width and
    height in pixels; None for a crop with too little ink or contrast."""
    x0, top, x1, bottom = box
    crop = gray[max(top, 0):max(bottom, 0), max(x0, 0):max(x1, 0)].astype(float)
    if crop.size == 0:
        return None
    lo, hi = float(crop.min()), float(np.percentile(crop, 90))
    pts = np.argwhere(crop < lo + share * (hi - lo)) if hi - lo >= contrast else np.empty((0, 2))
    if len(pts) < 6:
        return None
    ys, xs = pts[:, 0].astype(float), pts[:, 1].astype(float)
    vals, vecs = np.linalg.eigh(np.cov(np.vstack([xs, -ys])))
    angle = float(np.degrees(np.arctan2(vecs[1, 1], vecs[0, 1])) % 180)
    elong = float(np.sqrt(vals[1] / max(vals[0], 1e-6)))
    return Shape(angle, elong, float(xs.max() - xs.min() + 1), float(ys.max() - ys.min() + 1))


def _main_run(gray: np.ndarray, box: Box) -> Box:
    """The box narrowed to its main run of inked columns: a neighbour's edge that the recogniser's
    box took in (the "5" beside a "1") is left out, so two glyphs never read as one flat stroke."""
    x0, top, x1, bottom = (max(v, 0) for v in box)
    crop = gray[top:bottom, x0:x1].astype(float)
    if crop.size == 0:
        return box
    lo, hi = float(crop.min()), float(np.percentile(crop, 90))
    if hi - lo < SETTINGS.ink_contrast:
        return box
    runs: list[list[int]] = []       # [first column, last column, dark pixels]
    for x, n in enumerate((crop < lo + SETTINGS.shape_ink * (hi - lo)).sum(axis=0)):
        if n and runs and x - runs[-1][1] <= SETTINGS.run_gap_px:
            runs[-1][1:] = [x, runs[-1][2] + int(n)]
        elif n:
            runs.append([x, x, int(n)])
    if len(runs) < 2:
        return box
    first, last, _ = max(runs, key=lambda r: r[2])
    return Box(x0 + first, top, x0 + last + 1, bottom)


def _whole(crop: np.ndarray) -> tuple[np.ndarray, Box]:
    """A crop and its whole box, as _shape takes them."""
    return crop, Box(0, 0, crop.shape[1], crop.shape[0])


def _lone(gray: np.ndarray, box: Box) -> tuple[np.ndarray, Box]:
    """A lone glyph's crop, its own ink whole and nothing else: the recogniser's box round a "/"
    may hold three of its eight columns (an upright piece, measured as a "1"), and a speck beside
    the stroke rounds its shape. Ink joined to the box's is followed up to glyph_reach of its
    height either side; pieces smaller than speck_share of the largest are painted as paper."""
    x0, top, x1, bottom = (max(v, 0) for v in box)
    own = gray[top:bottom, x0:x1]
    reach = int(SETTINGS.glyph_reach * (bottom - top))
    left, right = max(x0 - reach, 0), min(x1 + reach, gray.shape[1])
    crop = gray[top:bottom, left:right]
    if crop.size == 0 or x1 <= x0:
        return _whole(own)
    lo, hi = float(crop.min()), float(np.percentile(crop, 90))
    if hi - lo < SETTINGS.ink_contrast:
        return _whole(own)
    ink = (crop < lo + SETTINGS.shape_ink * (hi - lo)).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    inside = np.unique(labels[:, x0 - left:x1 - left])
    inside = inside[inside > 0]
    if not len(inside):
        return _whole(own)
    sizes = stats[inside, cv2.CC_STAT_AREA]
    kept = inside[sizes >= SETTINGS.speck_share * sizes.max()]
    mine = np.isin(labels, kept)
    cols = np.flatnonzero(mine.any(axis=0))
    out = np.where(mine | (labels == 0), crop, np.uint8(hi)).astype(gray.dtype)
    out = out[:, min(int(cols[0]), x0 - left):max(int(cols[-1]) + 1, x1 - left)]
    return _whole(out)


def reread(gray: np.ndarray, text: str, box: Box) -> tuple[str, float | None]:
    """A lone recognised "1" or dash looked at again, by the shape of its ink: (text, a cap on
    its confidence or None). At 150-200 dpi the recogniser reads "/", "—" and even a blurred
    "0" as "1", and now and then a "/" as a dash (how sure it is of that varies with the OpenCV
    version that prepared the image); their shapes differ: "1" is a thin upright stroke, "/" a
    thin stroke leaning right (about 70°), "—" a flat one, "0" a round blob (read so, but unsure).
    A "/" read as "7" lacks the "7"'s bar: its ink is thinner and leans further."""
    t = text.strip()
    if t not in ("1", "l", "I", "|", "/", "7") and t not in DASHES:       # any other figure whose ink is flat:
        flat = len(t) == 1 and t.isdigit() and (s := _shape(gray, _main_run(gray, box))) is not None \
            and is_dash(s.width, s.height)                                 # a "—" read "2", unsure, with "—"
        return ("—", DOUBT) if flat else (text, None)
    run = _main_run(gray, box)
    if t in DASHES:
        shape = _shape(gray, run)
    else:
        alone = _lone(gray, run)
        shape = _shape(*alone)
    if shape is None:
        return ("—" if t in DASHES else text), None
    angle, elong, w, h = shape
    if t == "7":          # (a "7"'s bar may be fainter than its stroke: it leans no less with its lighter ink)
        light = _shape(*alone, share=SETTINGS.seven_bar_ink)
        slash = is_slash(angle, elong) and angle <= SETTINGS.seven_angle
        return ("/", None) if slash and light is not None and light.angle <= SETTINGS.seven_angle else (text, None)
    if t in DASHES:       # a dash is flat; a thin stroke leaning right that was read as one is a "/"
        return ("/", None) if not is_dash(w, h) and is_slash(angle, elong) else ("—", None)
    if is_dash(w, h):
        return "—", None
    if elong < ROUND and w > SETTINGS.zero_width * h:
        return "0", DOUBT
    if is_slash(angle, elong):
        return "/", None
    if t == "/" and elong > SETTINGS.one_elongation and angle > SETTINGS.one_angle:
        return "1", DOUBT
    return text, None


def gaps(text: str, box: Box, chars: Any) -> list[Part]:
    """A recognised box holding figures, cut where its characters (the recogniser's own boxes
    for them) leave a gap wider than the box's height: two cells' numbers that the detector ran
    together ("0    86" read as "086"). Each part with its characters' horizontal spans (from
    the recogniser, else in proportion to the characters)."""  # wider than a character: not within one number
    chars = _with_spaces(text, chars)
    if chars is None or len(chars) != len(text) or not text:
        n = max(len(text), 1)
        w = (box[2] - box[0]) / n
        return [Part(text, box, [Span(ch, int(box[0] + k * w), int(box[0] + (k + 1) * w) + 1)
                                 for k, ch in enumerate(text)])]
    spans = [(int(min(p[0] for p in c[2])), int(max(p[0] for p in c[2])) + 1) for c in chars]
    if len(text) < 2 or not any(ch.isdigit() for ch in text):
        return [Part(text, box, [Span(ch, a, b) for ch, (a, b) in zip(text, spans, strict=True)])]
    gap = SETTINGS.part_gap * (box[3] - box[1])
    out: list[Part] = []
    start = 0
    for k in range(1, len(text) + 1):      # a space ends a part too: each word is looked at alone ("1 1")
        if k == len(text) or text[k] == " " or spans[k][0] - spans[k - 1][1] > gap:
            part = text[start:k]
            if part.strip():
                out.append(Part(part, Box(spans[start][0], box[1], spans[k - 1][1], box[3]),
                                [Span(ch, a, b) for ch, (a, b) in zip(part, spans[start:k], strict=True)]))
            start = k + 1 if k < len(text) and text[k] == " " else k
    return out or [Part(text, box, [Span(ch, a, b) for ch, (a, b) in zip(text, spans, strict=True)])]


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


def strokes(parts: list[Part], score: float, gray: np.ndarray | None = None) -> list[Part]:
    """A part made of thin strokes only ("11" for two cells' "/ /") cut into its glyphs, each then
    looked at alone (reread), when it is doubtful, or (given the page) far wider than its strokes
    need and each of them a "/" or "—" by its shape (two cells' "/" read "11" at 0.93, their strokes
    two character heights apart): a sure "11" stays one number."""
    out: list[Part] = []
    for part, px, spans in parts:
        if len(part) < 2 or not set(part) <= set("1lI|/"):
            out.append(Part(part, px, spans))
            continue
        cut = [Part(ch, Box(a, px[1], b, px[3]), [Span(ch, a, b)]) for ch, a, b in spans]
        wide = gray is not None and px[2] - px[0] > SETTINGS.strokes_wide * len(part) * (px[3] - px[1])
        if score < SETTINGS.strokes_score or (
                wide and gray is not None and all(not reread(gray, c.text, c.box)[0].isdigit() for c in cut)):
            out.extend(cut)
        else:
            out.append(Part(part, px, spans))
    return out


def upright(text: str, box: Box) -> bool:
    """A box of several characters set one under the other: much taller than wide."""
    return len(text.strip()) >= 2 and box[3] - box[1] > SETTINGS.upright_ratio * (box[2] - box[0])


def down(text: str, box: Box) -> list[tuple[str, Box]]:
    """The characters of an upright box, in equal steps from its top."""
    t = text.strip()
    step = (box[3] - box[1]) / len(t)
    return [(ch, Box(box[0], int(box[1] + k * step), box[2], int(box[1] + (k + 1) * step) + 1))
            for k, ch in enumerate(t) if ch.strip()]


def paper(gray: np.ndarray, box: Box) -> float:
    """The paper's grey around a box's ink: the crop's 90th percentile (by partition: about ten
    times faster than np.percentile, which the thousands of glyphs of a page feel)."""
    x0, top, x1, bottom = (max(v, 0) for v in box)
    flat = gray[top:bottom, x0:x1].ravel()
    if flat.size == 0:
        return 255.0
    k = int(SETTINGS.paper_share * (flat.size - 1))
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
    if hi - lo < SETTINGS.ink_contrast:
        return box
    dark = crop < lo + INK * (hi - lo)
    cols = np.flatnonzero((crop < lo + SETTINGS.figure_side * (hi - lo) if figure else dark).any(axis=0))
    rows = np.flatnonzero(dark.any(axis=1))
    if len(cols) == 0:
        cols = np.flatnonzero(dark.any(axis=0))
    return Box(x0 + int(cols[0]), top + int(rows[0]), x0 + int(cols[-1]) + 1, top + int(rows[-1]) + 1)


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
                        and p.x0 + SETTINGS.rule_cut * w / n < e["x0"] < p.x1 - SETTINGS.rule_cut * w / n), None)
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
