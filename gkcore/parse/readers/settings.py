"""The readers' tolerances, each named once with the reason for its value (as pdfplumber's TableSettings
names every tolerance of its table finder). Lengths are in PDF points unless the name says pixels; a
scanned page is read at readers/ocr.SCALE pixels a point.

Named here (issue 19): the ruling grid and what it must hold, text lines, tokens and number columns, the two
local thresholds of a page image, the contrast that counts as ink, the shapes of a slash and a dash (is_slash,
is_dash), every "k × character height" tolerance of the position readers for text (layout, unruled,
unruled_cols, unruled_row, unruled_tokens), and on the scan path a missed mark's size, shape and candidates
(marks), a glyph's shape and the signs round a figure (glyphs, signs), the page image's tilt and ink
(pageimage) and a recognised line's glyphs (ocr). Still written where they are used: the few module
constants that say what they are beside their definition (glyphs.DOUBT, ROUND, INK; marks.FAINT, MAX_MARKS)
and the deskew's OpenCV arguments (Canny, Hough), explained where they are used."""

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
    cell_row: float = 2           # ruled cells whose tops lie within 2 pt are one row (a rule drawn a hair askew)
    # the grid holds the page's figures unless more than 3 of its digits, and more than a fifth of them, lie
    # outside its cells (a table ruled in part: its rows are read from the word positions instead)
    stray_digits: int = 3
    stray_share: float = 0.2
    lost_rules: int = 2           # a scan's cells whose figures a lost rule ran together: more, no grid to trust

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

    # ---- a missed mark on a scan (readers/marks.py), in character heights of the page's text ----
    mark_min_size: float = 0.3    # a smaller blob of ink (its box, its core or its shape) is a speck, never a mark
    mark_dash_width: float = 0.4  # a flat mark is a "—" only when wider than this (its core or its ink)
    mark_slash_height: float = 0.45  # a thin leaning stroke is a "/" only when taller than this

    # ---- text lines, tokens and number columns (readers/layout.py) ----
    # a character joins a text line when it overlaps the line's extent by half the smaller of their heights
    # (a low "." or "，" stays in its line); it widens that extent only when taller than half of it
    same_line: float = 0.5
    line_grow: float = 0.5
    # in word gaps (the gap a token is cut at): beside a wide glyph (full-width digit, CJK punctuation) the gap
    # inside one word may reach 1.7 word gaps, about one character height ("１２", "“三安全一稳定”")
    wide_gap: float = 1.7
    enum_gap: float = 0.25        # an enumerator after a gap over this starts a new label ("（三）不予公 4.保护…")
    # figures whose centres chain within 12 pt are one column: a column's figures, right-aligned or centred,
    # keep their centres within a few digits' width (a digit is about 5 pt in 10.5 pt type), columns stand wider
    column_gap: float = 12
    header_reach: float = 0.6     # a column of figures sits under a header within this of the headers' spacing

    # ---- the position readers (unruled tables, run-together rows): lengths in character heights ----
    # (h: the median character height of the page's table text, readers/layout.char_height)
    word_gap: float = 0.6         # characters further apart are two tokens: wider than a gap inside a word
    header_word_gap: float = 0.5  # the headers cut finer: two narrow columns' headers set close (益组织 / 务机构)
    full_height: float = 0.6      # a character at least this tall sets a baseline; thin glyphs (一 、 “ —) join one
    baseline_tol: float = 0.35    # a character whose centre is this close to a baseline's is on it (staggered headers)
    band_tol: float = 0.5         # a value or group label belongs to a row whose band it reaches within half a height
    label_reach: float = 3.5      # a line without figures joins the nearest figured row within this (a wrapped label)
    header_margin: float = 2      # column headers are looked for from this far left of the leftmost figure
    header_max_width: float = 4.2  # a wider text above the figures is a title or a label, not a column header
    wrap_gap: float = 0.8         # a label's next line starts within this under its previous line (line spacing)
    hang_gap: float = 1.2         # a piece hangs under the one above within this (a wrapped row, number or header)
    split_gap: float = 0.25       # a gap at least this wide may cut a run across a column boundary
    start_align: float = 0.3      # enumerated labels starting this close start one label column
    header_overlap: float = 0.15  # a value overlapping a header's span by more is under it (less: a touching edge)
    align_tol: float = 0.6        # one column's values align within this: full-width digits stand off their edge
    align_fit: float = 0.6        # a value this near a column's learned alignment is in that column
    align_misfit: float = 1.5     # a value this far from it is not (in between: unsure, the other column kept)
    header_band: float = 3        # a partly read header's tops lie within this of the other headers' tops
    place_first_steps: float = 1.5  # a first column's header read as nothing like its label starts within this
                                    # many of the headers' column steps left of the next column's centre
    place_figure_steps: float = 2   # a last column's header read as nothing is found by its figures only when
                                    # they start within this many of the headers' column steps of the column before
    row_spread: float = 0.8       # a headed one-row table's values' centres lie within this (more: several rows)
    line_overlap: float = 0.3     # a next line's boxes may reach this far up into the line above (a scan's touch)
    group_reach: float = 0.5      # a group label's rows start right of it, at most this far back over its end
    header_clear: float = 0.2     # a row label starts below the headers' bottom, less this (a label touching it)
    full_width_gap: float = 0.2   # a gap cutting full-width digits beats the number's own gaps by this
    label_join: float = 0.3       # two label tokens on one line this close are one label (a narrow glyph's gap)
    wide_join: float = 0.9        # the same beside a wide glyph (full-width digit, CJK punctuation), wider gap
    join_back: float = 0.2        # a joined token may start this far inside the one before (boxes overlap)
    start_cut_from: float = 0.5   # a label column's start cuts a token only past this much of its left end
    start_cut_to: float = 0.3     # and this far before its right end (never a token's edge)
    start_cut_gap: float = 0.35   # the cut falls at a gap at least this wide (a word's own gaps are narrower)
    wrap_overlap: float = 0.1     # a wrapped number's second line may reach this far up into its first
    stack_step: float = 0.5       # a header's next line: its centre at least this far below the line before
    stack_touch: float = 0.3      # and overlapping it across, short of this (a scan's boxes may just touch)
    stack_line: float = 0.3       # a header's continuation on its own line: centres within this
    stack_gap: float = 0.7        # and starting within this of the line's end
    heads_lost: int = 2           # headers read as nothing like their labels that are found by their place
                                  # (never two side by side: each between two columns found)
    footer_space: float = 0.5     # a page number's marks are apart when further than this (of its tallest glyph)
    footer_gap: float = 3         # a page number is one short group: no gap wider than this (of its tallest glyph)
    # ---- the scan path (readers/ocr.py, marks.py) ----
    rule_min_length: float = 2    # a flat line shorter than this many widths of the rule kernel stays ink (an
                                  # edge still, never painted away: a "—" that a band's edge lengthened)
    minus_faint: float = 0.3      # a minus-shaped stroke before a figure, dark as its digits by this share
                                  # (half: a minus), leaves the figure unsure ("-2" faded to a third read "2")
    minus_faint_width: float = 0.2  # and at least this wide (of the digits' height; a minus: 0.3)
    minus_faint_taller_px: int = 1  # and no taller than this many pixels over its width (a minus: no taller)
    mark_flat_angle: float = 15   # a missed mark elongated as a stroke and this near the horizontal is a "—"
    # a missed mark's candidates (marks.missed_marks), in character heights of the page's figures
    mark_fringe: float = 0.15     # a ruling line's mask widened by this: its fringe, darkened by a band, is no mark
    mark_join: float = 0.6        # ink this close side by side is one mark (the digits of one number, read once)
    mark_max_width: float = 4     # a lone mark is no wider than this (a word's run is no missed mark)
    mark_max_height: float = 1.6  # nor taller than this (a line of text, a rule's remnant)
    mark_min_area: float = 0.02   # and has this much ink at least (of a character's square): less is dust
    mark_thin_contrast: int = 30  # a pixel-thin run is kept only this much darker than its surroundings (a
                                  # copier band's faint edge made a "—" in a blank cell)
    mark_thin_run_px: int = 3     # a pixel-thin run of ink this tall is kept for a thin "/" (noise is opened away)
    mark_core: float = 0.2        # its pieces shorter than this are specks the join took in, left out of its box
    mark_pad: float = 0.25        # its crop for the recogniser and the shape: its box and this margin
    mark_own_px: int = 1          # its shape is measured on its own ink box and this margin, the rest painted
                                  # as paper (a darker speck just under a faint "—" set the crop's ink level)
    mark_near: float = 0.25       # a mark this close to a recognised box on its line is a piece of that text
    mark_long_dash: float = 0.9   # unless it is a flat stroke (no taller than mark_flat) at least this wide (a minus
    mark_flat: float = 0.4        # is about half as wide) standing at least mark_dash_apart from the box: a "—"
    mark_dash_apart: float = 0.15
    mark_dash_max: float = 1.5    # a dash's piece of ink is no wider than this (a faded rule's pieces are wider)
    mark_cell_lines: float = 5    # a "ruled cell" taller than this many character heights is no cell of a
                                  # table: a frame that a copier's streaks and bands drew round the page (on
                                  # an unruled scan it held the labels, so every missed "—" in it was dropped)
    mark_cell_gap: float = 4      # nor is one holding recognised texts this far apart on one line (a label
                                  # and a figure): a frame of a band's edge and the page's round a row
    mark_row_reach: float = 3     # a missed mark on a row of figures stands no further left of its first figure
    mark_row_steps: float = 1.5   # than this many characters or this many column steps (表四's first "—" stands
                                  # a wide column off)
    mark_on_rule: float = 0.5     # a flat mark whose row the rules' mask covers this much of, a character
                                  # either side, is a faded rule's piece on its line (a vertical rule beside a
                                  # cell's "—" covers a few pixels of that row)
    # ---- a glyph's shape and the signs around a figure, on a scan (glyphs.py, signs.py) ----
    # shares of the way from a crop's darkest pixel to its paper, or of a glyph's or a box's height
    shape_ink: float = 0.4        # a shape is measured on its darkest core (a stroke's blurred edge left out)
    run_gap_px: int = 2           # inked columns this few pixels apart are one run (one glyph's strokes)
    zero_width: float = 0.6       # a round blob at least this wide for its height is a "0" (read so, unsure)
    one_elongation: float = 4     # a "/" this elongated and this near upright is a "1" the recogniser leaned
    one_angle: float = 84
    seven_angle: float = 74       # a lone "7" whose ink is a thin stroke leaning right below this is a "/" (a
                                  # "7"'s bar rounds its ink: elongation 2.3-3.2 at 77-85°; a "/" read "7":
                                  # 3.7-6 at 60-67°, measured on generated 150-200 dpi scans)
    seven_bar_ink: float = 0.65   # and so it leans with its lighter ink too (a "7" whose bar faded: 85° there)
    glyph_reach: float = 0.5      # a lone glyph's ink that runs out of its box is followed this many box
                                  # heights either side (a box that stopped inside a "/" read it "1")
    speck_share: float = 0.2      # a piece of ink smaller than this share of a lone glyph's largest is a speck
    part_gap: float = 1.0         # a gap between a box's characters wider than its height: two cells' figures
    strokes_score: float = 0.8    # a box of thin strokes only read below this score is cut into its glyphs
    strokes_wide: float = 0.8     # or, each a "/" by its shape, wider than this many of its heights a stroke
    upright_ratio: float = 1.8    # a box of several characters this much taller than wide is set one a line
    paper_share: float = 0.9      # the paper's grey round a glyph: this quantile of its crop
    figure_side: float = 0.5      # a figure's sides are where its ink is this dark (a right-aligned figure is
                                  # placed by its right edge, which a blurred edge would push over a boundary)
    rule_cut: float = 0.5         # a vertical rule cuts a recognised box only this many characters inside it
    dot_height: float = 0.4       # an end mark lower than this of its digits' height is a dot ("47.": a speck)
    speck_sign: float = 0.3       # a leading minus narrower than this of the digits' height is a speck's size
    sign_dark: float = 0.7        # or one lighter than this of its first digit's contrast (a grey speck read
                                  # as "-": "4136" as "-4136"): either leaves the figure unsure
    first_digit: float = 0.6      # a figure's first digit: this much of its height from its left
    minus_min_px: int = 6         # a figure shorter than this (pixels) is too small to look for its minus,
    minus_min_width_px: int = 2   # or narrower than this
    minus_back: float = 0.25      # the figure's box may start this far inside its first digit's ink
    minus_reach: float = 0.8      # a left-out minus stands within this of the figure (a "—" of another cell
                                  # stands further off)
    minus_height: float = 0.35    # a minus is no taller than this, its middle between minus_mid_low and
    minus_mid_low: float = 0.3    # minus_mid_high of the figure's height, and no further from it than minus_gap
    minus_mid_high: float = 0.75
    minus_gap: float = 0.35
    # ---- the page image (pageimage.py) and a recognised line's glyphs (ocr.py) ----
    deskew_min_angle: float = 0.05   # a page tilted less than this (degrees) is left as it is
    page_ink: int = 128           # a page holds print when this share of its pixels is darker than page_ink
    page_ink_share: float = 0.001
    abut_digit: float = 0.4       # a glyph's gap to the next within this of the line's height is no gap (a
    abut_han: float = 0.5         # digit's, a Han character's: the recogniser's boxes stop short of the ink)
    lone_dash_line: float = 0.6   # a dash with no glyph on its line (within this of a figure's height) and
    lone_dash_gap: float = 0.5    # none within this either side stands alone: a cell's "—"
    second_read_low: float = 0.9  # a figure read with a score in [low, high) is read once more, alone and
    second_read_high: float = 0.97    # larger; low is the score a cell is shown clean from (tables.OCR_MIN_CONF)
    second_read_scale: float = 1.5
    second_read_pad: float = 0.25     # its crop: its box and this share of its height round it


SETTINGS = ReaderSettings()


def is_slash(angle: float, elongation: float, settings: ReaderSettings = SETTINGS) -> bool:
    """A thin stroke leaning right as a "/" does (angle in degrees, 90 = upright)."""
    return elongation > settings.stroke_elongation and settings.slash_min_angle <= angle <= settings.slash_max_angle


def is_dash(width: float, height: float, settings: ReaderSettings = SETTINGS) -> bool:
    """A flat stroke as a "—" is (its ink's width and height, in one unit)."""
    return height < settings.dash_max_height * width
