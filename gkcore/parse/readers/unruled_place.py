"""An unruled table's column header whose every character the recogniser misread ("总计" read as "I"):
found by its place, as the one header left between the columns found on either side of it."""

from __future__ import annotations

from .layout import Token
from .settings import SETTINGS

Found = tuple[str, float, float, float]        # a column's label, its header's x0, x1 and bottom


def header_by_place(toks: list[Token], found: list[Found], tops: list[float], k: int, label: str,
                    h: float) -> Found | None:
    """Label number `k` (in the label order; `found` holds the others, in that order, with their headers'
    tops), when its header was read as nothing like it: the words in the headers' lines (starting
    below the topmost header's top less a character, above the lowest header's foot) right of the column
    before it (the first column: within SETTINGS.place_first_steps column steps of the next) and left of the
    column after it, if any, all overlapping one another across (one stacked header). None when there
    are no such words, or words of two headers."""
    if not found or (k == 0 and len(found) < 2):
        return None
    if k == 0:                 # the first column: within place_first_steps column steps left of the next
        steps = sorted(b[1] + b[2] - a[1] - a[2] for a, b in zip(found, found[1:], strict=False))
        step = steps[len(steps) // 2]
        left = (found[0][1] + found[0][2] - SETTINGS.place_first_steps * step) / 2
    else:
        left = found[k - 1][2]
    right = found[k][1] if k < len(found) else float("inf")
    top, foot = min(tops) - h, max(f[3] for f in found)
    words = [t for t in toks if t.text.strip() and left < t.x0 and t.x1 < right and top <= t.top < foot]
    if not words:
        return _by_figures(toks, found, k, label, (left, right, foot), h)
    if any(min(a.x1, b.x1) <= max(a.x0, b.x0) for a in words for b in words):
        return None
    return (label, min(t.x0 for t in words), max(t.x1 for t in words), max(t.bottom for t in words))


def _by_figures(toks: list[Token], found: list[Found], k: int, label: str, bounds: tuple[float, float, float],
                h: float) -> Found | None:
    """A header read as nothing at all (faded under a copier's band: 表三's "总计"): its column is where the
    figures below the headers stand between the columns either side, each on a row with figures left of
    it, if they all overlap one another across (one column) and, for the last column, start within
    SETTINGS.place_figure_steps of the headers' column step of the column before it; there a row's last figure
    (one before it spills past a header half read: 其他 read "他"). None otherwise."""
    left, right, foot = bounds
    steps = sorted(b[1] + b[2] - a[1] - a[2] for a, b in zip(found, found[1:], strict=False))
    reach = left + SETTINGS.place_figure_steps * steps[len(steps) // 2] / 2 if steps else left
    digits = [t for t in toks if t.text.strip().isdigit() and t.top >= foot]
    figs = [t for t in digits if left < t.x0 and t.x1 < right and (k < len(found) or t.x0 <= reach)
            and any(abs(u.cy - t.cy) <= h / 2 and u.x1 <= left for u in digits)]      # on a row of the table
    if k == len(found):       # the last column's figure is its row's last (one before it: the column before's,
        figs = [t for t in figs if not any(abs(u.cy - t.cy) <= h / 2 and u.x0 > t.x1 for u in figs)]  # half read)
    if not figs or any(min(a.x1, b.x1) <= max(a.x0, b.x0) for a in figs for b in figs):
        return None
    return (label, min(t.x0 for t in figs), max(t.x1 for t in figs), foot)
