"""A figure's dots and signs on a scan, by their ink: a speck of dust read as a dot before or after it,
a speck read as its minus, a minus the recogniser left out (or one faded past telling from a smudge).
Boxes are (x0, top, x1, bottom) in pixels of the deskewed grey page image."""

from __future__ import annotations

import re

import numpy as np

from .glyphs import Box, Part, Span, ink, paper
from .settings import SETTINGS

_DOTTED = re.compile(r"[.,，．、]*\d+(?:[.,]\d+)?[.,，．、]*")      # a figure with a dot before or after it


def trim_dots(gray: np.ndarray, text: str, box: Box, spans: list[Span], label_next: bool = False) -> Part:
    """A figure without the dot that a speck of dust before or after it was read as ("47.", ".2"): an
    end mark whose ink is under 0.4 of the digits' height, or too faint to be ink at all (a period's ink
    is a dot; a digit misread as one stands as tall as the others). The part as it was otherwise.
    With `label_next` (the recognised box goes on with a label's text: "1. 属于国家秘密"), a mark after
    the figure is an enumerator's own dot and stays: without it "1 属于国家秘密" is no enumerated row,
    and its figures were hung under the row above."""
    if not _DOTTED.fullmatch(text) or text[0].isdigit() and text[-1].isdigit() or len(spans) != len(text):
        return Part(text, box, spans)
    if label_next and text[0].isdigit():
        return Part(text, box, spans)

    def tall(a: int, b: int) -> float:
        crop = gray[max(box[1], 0):max(box[3], 0), max(a, 0):max(b, 0)]
        if crop.size == 0 or float(crop.max()) - float(crop.min()) < SETTINGS.ink_contrast:
            return 0.0
        x0, top, x1, bottom = ink(gray, Box(a, box[1], b, box[3]))
        return float(bottom - top)

    least = SETTINGS.dot_height * max(tall(a, b) for ch, a, b in spans if ch.isdigit())
    keep = list(spans)            # (an end mark's span without the part its neighbour's overlaps)
    while len(keep) > 1 and not keep[0][0].isdigit() and tall(keep[0][1], min(keep[0][2], keep[1][1])) < least:
        keep.pop(0)
    while len(keep) > 1 and not keep[-1][0].isdigit() and tall(max(keep[-1][1], keep[-2][2]), keep[-1][2]) < least:
        keep.pop()
    if not keep or len(keep) == len(spans):
        return Part(text, box, spans)
    return Part("".join(ch for ch, _, _ in keep), Box(keep[0][1], box[1], keep[-1][2], box[3]), keep)


def speck_sign(gray: np.ndarray, text: str, box: Box, spans: list[Span]) -> bool:
    """A figure's leading minus whose ink is no wider than a speck's (under 0.3 of the digits' height, as
    minus_before would never take it for a sign): a speck read as a minus ("1" as "-1") or a thin minus,
    which the ink cannot tell apart at 110-140 dpi (both 4 px wide, 2-3 px tall, measured)."""
    if len(text) < 2 or text[0] not in "-－−–" or not text[1:].isdigit() or len(spans) != len(text):
        return False
    digits = ink(gray, Box(spans[1][1], box[1], spans[-1][2], box[3]), True)
    x0, x1 = spans[0][1], min(spans[0][2], spans[1][1])
    crop = gray[max(box[1], 0):max(box[3], 0), max(x0, 0):max(x1, 0)]
    if crop.size == 0 or float(crop.max()) - float(crop.min()) < SETTINGS.ink_contrast:
        return True
    sign = ink(gray, Box(x0, box[1], x1, box[3]))
    if sign[2] - sign[0] < SETTINGS.speck_sign * (digits[3] - digits[1]):
        return True
    light = paper(gray, box)              # a minus is printed as dark as its digits; a speck's grey is its own
    first = _first_digit(gray, digits[0], digits[1], digits[2], digits[3])
    return light - float(crop.min()) < SETTINGS.sign_dark * (light - first)


def _first_digit(gray: np.ndarray, x0: int, top: int, x1: int, bottom: int) -> float:
    """The darkest grey of a figure's first digit (SETTINGS.first_digit of its height from its left): the
    ink a sign beside it is measured against (fading varies along a figure: its darkest digit further on
    made a faded minus, as dark as the "1" beside it, count as no ink)."""
    reach = x0 + max(int(SETTINGS.first_digit * (bottom - top)), 1)
    return float(gray[top:bottom, x0:min(reach, x1)].min())


def minus_before(gray: np.ndarray, box: Box, share: float = 0.5, least: float = 0.3) -> Box | None:
    """A minus sign the recogniser left out before a figure ("-691" read as "691"): a short stroke no
    taller than wide just left of the figure's ink, at its middle height, half as dark as its digits
    at least (its box; None if there is none; at 110 dpi and JPEG 30 a minus is a blob). A speck is
    narrower than a third of the digits' height (`least`), a dash of another cell stands further off.
    With a smaller `share` and `least`: a stroke that may be a faded minus or a smudge."""
    x0, top, x1, bottom = ink(gray, box, True)
    h = bottom - top
    if h < SETTINGS.minus_min_px or x1 - x0 < SETTINGS.minus_min_width_px:
        return None
    lo, hi = _first_digit(gray, x0, top, x1, bottom), paper(gray, box)
    dark = lo + (1 - share) * (hi - lo)
    darkest = float(gray[top:bottom, x0:x1].min())      # (a faint first digit's own threshold took in the
    digit = darkest + SETTINGS.figure_side * (hi - darkest)     # minus that touches it: "-4" read "4")
    for _ in range(int(SETTINGS.minus_back * h)):        # the recogniser's box may start inside the first digit's ink
        if x0 == 0 or not (gray[top:bottom, x0 - 1] < digit).any():
            break
        x0 -= 1
    left = max(x0 - 1 - int(SETTINGS.minus_reach * h), 0)
    region = gray[top:bottom, left:x0]
    if hi - lo < SETTINGS.ink_contrast or region.size == 0:
        return None
    pts = np.argwhere(region < dark)
    if share < 0.5 and len(pts):          # faint: its largest piece alone (the next digit's tail stays out)
        import cv2

        n, labels, stats, _ = cv2.connectedComponentsWithStats((region < dark).astype(np.uint8), connectivity=8)
        pts = np.argwhere(labels == 1 + int(np.argmax(stats[1:n, cv2.CC_STAT_AREA])))
    if len(pts) < 3:
        return None
    ys, xs = pts[:, 0], pts[:, 1]
    w, t = int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)
    mid = (ys.min() + ys.max()) / 2 / h
    gap = region.shape[1] - 1 - int(xs.max())
    taller = SETTINGS.minus_faint_taller_px if share < 0.5 else 0     # (blur rounds a faded minus's ends)
    if w >= least * h and t <= SETTINGS.minus_height * h and t <= w + taller \
            and SETTINGS.minus_mid_low <= mid <= SETTINGS.minus_mid_high and gap <= SETTINGS.minus_gap * h:
        return Box(left + int(xs.min()), top + int(ys.min()), left + int(xs.max()) + 1, top + int(ys.max()) + 1)
    return None
