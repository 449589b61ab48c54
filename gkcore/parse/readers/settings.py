"""The readers' tolerances, each named once with the reason for its value (as pdfplumber's TableSettings
names every tolerance of its table finder). Lengths are in PDF points unless the name says pixels; a
scanned page is read at readers/ocr.SCALE pixels a point.

First round (issue 19): the ruling grid, the two local thresholds of a page image, the contrast that
counts as ink and the angles of a slash. The "k × character height" tolerances of the position readers
are still written where they are used."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReaderSettings:
    # ---- the ruling grid (pdfplumber's merge_edges / edges_to_intersections) ----
    # rules within 3 pt are one rule (a cell's border drawn as two strokes, a scan's rule two pixels thick
    # at 144 dpi) and segments 3 pt apart along one line join (a rule broken at each crossing)
    snap_x: float = 3
    snap_y: float = 3
    join_x: float = 3
    join_y: float = 3
    intersection_x: float = 3     # a horizontal and a vertical rule within 3 pt of each other cross
    intersection_y: float = 3

    # ---- a page image's local thresholds (OpenCV adaptiveThreshold: block in pixels, constant in grey) --
    # ruling lines: a 15-pixel block (about 7 pt at 144 dpi, wider than a rule, narrower than a cell) and a
    # constant of -2, so that a faint rule on grey paper still counts as ink
    rule_block: int = 15
    rule_constant: int = -2
    # missed marks: the same block, a constant of -8 so that JPEG noise and paper grain stay paper
    mark_block: int = 15
    mark_constant: int = -8

    # ---- ink ----
    # a crop holds ink when its darkest pixel is this much darker than its paper (grey levels): a faded
    # glyph on grey paper keeps about 70; a speck's blur or a copier band's edge less
    ink_contrast: float = 40

    # ---- a slash's stroke ----
    # "/" leans right at about 70° in the report fonts at 100-300 dpi (measured); an upright "1" is over 84°
    slash_min_angle: float = 50
    slash_max_angle: float = 82
    stroke_elongation: float = 4     # a thin stroke: its ink at least 4 times longer than wide

    # ---- a dash's stroke ----
    # "—" is flat: its ink under 0.35 of its width tall ("1", "/" and "0" stand taller than wide, so
    # the value sits well between them and a dash thickened by blur)
    dash_max_height: float = 0.35


SETTINGS = ReaderSettings()


def is_slash(angle: float, elongation: float, settings: ReaderSettings = SETTINGS) -> bool:
    """A thin stroke leaning right as a "/" does (angle in degrees, 90 = upright)."""
    return elongation > settings.stroke_elongation and settings.slash_min_angle <= angle <= settings.slash_max_angle


def is_dash(width: float, height: float, settings: ReaderSettings = SETTINGS) -> bool:
    """A flat stroke as a "—" is (its ink's width and height, in one unit)."""
    return height < settings.dash_max_height * width
