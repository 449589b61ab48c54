"""A scanned page's image around the recogniser: straightened (by its long rules, else by its text
lines as the detector boxed them), its ruling lines found (and their pixels marked, to be painted over
with the paper's tone), and whether it holds any print. Pixels in, pixels (and PDF points) out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .pdfgeom import _edge
from .settings import SETTINGS

if TYPE_CHECKING:     # numpy is imported by the functions that run
    import numpy as np

Point = tuple[float, ...]


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Straighten a slightly rotated scan (up to ±5°) by the angle of its long horizontal lines
    (rules, text baselines). The Hough transform searches only near-horizontal angles, 0.05°
    apart: about 0.1 s a page, against 1.4 s for a search over every angle."""
    import cv2
    import numpy as np

    # OpenCV's own: Canny's usual 1:3 hysteresis thresholds; the Hough search within ±5° of the horizontal,
    # 0.05° apart, a line as long as a third of the page
    edges = cv2.Canny(gray, 50, 150)
    band = np.radians(5)
    lines = cv2.HoughLines(edges, 1, np.pi / 3600, threshold=gray.shape[1] // 3,
                           min_theta=np.pi / 2 - band, max_theta=np.pi / 2 + band)
    angle = skew_angle(lines)
    if angle is None or abs(angle) < SETTINGS.deskew_min_angle:
        return gray, 0.0
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), angle


def skew_angle(lines: Any) -> float | None:
    """The page's tilt in degrees from `cv2.HoughLines`' answer, or None when it found no line.
    OpenCV 4 answers None for no line, OpenCV 5 an empty array: both, and anything that is not a
    finite angle, are "no line" (a NaN angle would rotate the page into nothing)."""
    import math

    import numpy as np

    if lines is None:
        return None
    found = np.asarray(lines, dtype=float).reshape(-1, 2) if np.size(lines) else np.empty((0, 2))
    if not len(found):
        return None
    thetas = found[:20, 1]                                    # the strongest lines come first
    angle = float(np.degrees(np.median(thetas) - np.pi / 2))
    return angle if math.isfinite(angle) else None


def has_ink(gray: np.ndarray) -> bool:
    """Whether a page image holds anything printed: at least 0.1% of its pixels well darker
    than paper (a blank page, or one with a speck or two, does not)."""
    import numpy as np

    return gray.size > 0 and float(np.count_nonzero(gray < SETTINGS.page_ink)) >= SETTINGS.page_ink_share * gray.size


def straighten(gray: np.ndarray, boxes: list[list[Point]], per_char: list[list[tuple[str, float, list[Point]]] | None]
                ) -> tuple[np.ndarray, list[list[Point]], list[list[tuple[str, float, list[Point]]] | None]]:
    """A page that the rules could not straighten, straightened by the slope of its long text
    lines as the detector boxed them (their median, when at least five agree on a slope of
    0.1-5°): the image rotated, and every box with it, so that an unruled table's rows stay
    apart (a 1° skew moves a row's last figure 9 points down, onto the next row)."""
    import math

    import cv2
    import numpy as np

    slopes = [math.degrees(math.atan2(b[1][1] - b[0][1], b[1][0] - b[0][0])) for b in boxes
              if len(b) == 4 and math.dist(b[0], b[1]) > 4 * max(math.dist(b[1], b[2]), 1.0)]
    if len(slopes) < 5:
        return gray, boxes, per_char
    angle = float(np.median(slopes))
    if not 0.1 <= abs(angle) <= 5:
        return gray, boxes, per_char
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)

    def move(pts: list[Point]) -> list[Point]:
        return [(m[0, 0] * p[0] + m[0, 1] * p[1] + m[0, 2], m[1, 0] * p[0] + m[1, 1] * p[1] + m[1, 2]) for p in pts]

    straight = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    return straight, [move(b) for b in boxes], [None if word is None else [(c, sc, move(pts)) for c, sc, pts in word]
                                                for word in per_char]


def ruling_edges(gray: np.ndarray, scale: float, mask: np.ndarray | None = None) -> list[dict[str, Any]]:
    """Horizontal and vertical rules of a page image: adaptive threshold, then a morphological
    opening with long thin kernels keeps only lines (their pixels are set in `mask` if given)."""
    import cv2
    import numpy as np

    binary = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                   SETTINGS.rule_block, SETTINGS.rule_constant)
    h, w = binary.shape
    out: list[dict[str, Any]] = []
    for kernel, horizontal in (((max(20, w // 40), 1), True), ((1, max(20, h // 60)), False)):
        k = cv2.getStructuringElement(cv2.MORPH_RECT, kernel)
        lines = cv2.dilate(cv2.erode(binary, k), k)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        if mask is not None:
            # a short flat stroke is no rule to paint away: a cell's "—" that a copier band's edge or JPEG
            # noise lengthened past the kernel (its cell then read blank, unflagged); it stays an edge
            short = [i for i in range(1, n) if horizontal and stats[i, 2] < SETTINGS.rule_min_length * kernel[0]]
            if short:
                lines = np.where(np.isin(labels, short), 0, lines).astype(lines.dtype)
            mask |= cv2.dilate(lines, np.ones((3, 3), np.uint8))
        for x, y, bw, bh, _area in stats[1:n]:
            if horizontal and bw < 3 * bh:
                continue
            if not horizontal and bh < 3 * bw:
                continue
            e = _edge(x / scale, y / scale, (x + bw) / scale, (y + bh) / scale)
            if e:
                out.append(e)
    return out


def paper_near(gray: np.ndarray) -> np.ndarray:
    """The paper's tone around each pixel (the brightest of its neighbourhood once specks and noise
    are smoothed away): what a ruling line is painted over with. White paint on grey paper made a
    frame of false ink round every cell (the local threshold sees paper darker than the paint),
    which swallowed a "—" or "/" in its cell: a mark then missed, its cell read blank."""
    import cv2
    import numpy as np

    return cv2.dilate(cv2.medianBlur(gray, 5), np.ones((11, 11), np.uint8))
