"""Flat strokes among a scanned table's missed marks (readers/marks.py): a "—" standing beside a
recognised figure is a cell of its own, and a run of "—" of narrow columns side by side, joined into
one piece too wide for a mark, is each its own mark."""

from __future__ import annotations

import numpy as np

from .glyphs import Box
from .settings import SETTINGS


def dash_apart(own: Box, largest: Box, b: Box, char_h: float) -> bool:
    """A flat stroke far wider than a minus (its pieces no wider than a dash: a faded rule's are), apart from a
    recognised box beside it: a "—" of its own cell, never a piece of that text (表三's "— —" of two narrow
    columns right before the total's 22, seed 3400073)."""
    flat = own[3] - own[1] <= SETTINGS.mark_flat * char_h and own[2] - own[0] >= SETTINGS.mark_long_dash * char_h \
        and largest[2] - largest[0] <= SETTINGS.mark_dash_max * char_h
    apart = SETTINGS.mark_dash_apart * char_h
    return flat and (b[0] - own[2] >= apart or own[0] - b[2] >= apart)


def dash_runs(stats: np.ndarray, binary: np.ndarray, char_h: float) -> list[np.ndarray]:
    """Candidate pieces (connected components' stats: x, y, w, h, area): one wider than a mark but no
    taller is cut into its own pieces of ink when each is a dash (flat, wider than SETTINGS.mark_dash_width,
    no wider than SETTINGS.mark_dash_max: a faded rule's pieces are): "— — —" of three narrow columns,
    joined across gaps narrower than the reach that joins a number's digits (seed 3400073, three cells
    blank without a flag)."""
    import cv2

    out: list[np.ndarray] = []
    wide, tall = SETTINGS.mark_max_width * char_h, SETTINGS.mark_max_height * char_h
    for st in stats:
        x, y, w, h = (int(v) for v in st[:4])
        if w <= wide or h > tall:
            out.append(st)
            continue
        n, _, parts, _ = cv2.connectedComponentsWithStats(binary[y:y + h, x:x + w], connectivity=8)
        big = [p for p in parts[1:n] if max(int(p[2]), int(p[3])) >= SETTINGS.mark_min_size * char_h]
        if len(big) >= 2 and all(int(p[3]) <= SETTINGS.mark_flat * char_h < int(p[2]) for p in big) \
                and all(SETTINGS.mark_dash_width * char_h < int(p[2]) <= SETTINGS.mark_dash_max * char_h for p in big):
            out.extend(np.array([x + p[0], y + p[1], p[2], p[3], p[4]]) for p in big)
    return out
