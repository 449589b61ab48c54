"""Poor scans (issue 18), on synthetic ink: what the second looks at a scanned table take for a mark or
a sign, and what they leave alone (specks of dust, a copier band's edge, a ruling line's fringe, a speck
in a cell that already holds text). Each test draws both sides of the line it guards."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkcore.parse.readers import ocr, pageimage, signs

pytestmark = pytest.mark.skipif(not ocr.available(), reason="rapidocr/opencv not installed")

PAPER, INK = 225, 40
CHAR_H = 24.0


def _paper(h: int = 120, w: int = 200):  # type: ignore[no-untyped-def]
    import numpy as np

    return np.full((h, w), PAPER, np.uint8)


def _never(_crop):  # type: ignore[no-untyped-def]
    raise AssertionError("the recogniser is asked only about marks that may be figures")


def _no_rules(page):  # type: ignore[no-untyped-def]
    import numpy as np

    return np.zeros_like(page)


def test_a_flat_faint_mark_is_a_dash_only_where_it_is_a_line() -> None:
    """Both faint (under 40 of contrast): a stroke with paper above and below is a "—"; the edge of a
    copier's band (paper one side, darker paper the other) is nothing."""
    from gkcore.parse.readers import marks

    stroke = _paper()
    stroke[60:62, 80:100] = PAPER - 35
    assert [m[0] for m in marks.missed_marks(stroke, [], _no_rules(stroke), _never, CHAR_H)] == ["—"]
    band = _paper()
    band[61:, :] = PAPER - 28                   # a band darkens the paper below a line across the page
    band[59:61, 80:100] = PAPER - 35            # and a JPEG block darkens its edge a little more
    assert marks.missed_marks(band, [], _no_rules(band), _never, CHAR_H) == []
    assert marks._line_across(stroke, (74, 54, 106, 68)) and not marks._line_across(band, (74, 54, 106, 68))


def test_a_faint_upright_mark_is_never_read_as_a_figure() -> None:
    """A mark too faint for its shape at ink's contrast is never handed to the recogniser (a band's edge
    was read as "1"); the same stroke in ink is read, and kept unsure."""
    from gkcore.parse.readers import marks

    asked: list[int] = []

    def read(crop):  # type: ignore[no-untyped-def]
        asked.append(crop.size)
        return "1", 0.95

    faint = _paper()
    faint[48:70, 90:93] = PAPER - 30
    assert marks.missed_marks(faint, [], _no_rules(faint), read, CHAR_H) == [] and asked == []
    dark = _paper()
    dark[48:70, 90:93] = INK
    found = marks.missed_marks(dark, [], _no_rules(dark), read, CHAR_H)
    assert [(t, c) for t, _, c in found] == [("1", 0.6)] and len(asked) == 1


def test_specks_beside_a_mark_do_not_widen_it_onto_a_recognised_figure() -> None:
    """A "1" the detector missed, with dust to its right: the mark's box is its ink, so it stays clear of
    the recognised "5" beside it (the dust had carried it there, and it was dropped as part of the 5)."""
    from gkcore.parse.readers import marks

    page = _paper()
    page[50:68, 100:103] = INK                  # the "1"
    for x in (108, 113, 118):                   # dust, a pixel or two each, close enough to join it
        page[58:60, x:x + 2] = 90
    five = (130, 48, 142, 70)                   # the recognised "5" (its pixels blanked by the caller)
    found = marks.missed_marks(page, [five], _no_rules(page), lambda crop: ("1", 0.95), CHAR_H)
    assert [t for t, _, _ in found] == ["1"]
    assert found[0][1][2] < five[0]


def test_a_dash_beside_a_rule_s_dark_fringe_is_found() -> None:
    """A copier's band along a vertical rule leaves a dark fringe past the rule's mask: the "—" beside it
    is still a mark of its own (joined to the fringe it was one tall mark, never read)."""
    import numpy as np

    from gkcore.parse.readers import marks

    page = _paper()
    rules = np.zeros_like(page)
    rules[:, 60:66] = 255                       # the rule's mask (the rule itself painted over)
    page[:, 66:69] = PAPER - 70                 # its fringe, three pixels past the mask
    page[60:62, 78:96] = INK                    # the cell's "—"
    assert [m[0] for m in marks.missed_marks(page, [], rules, _never, 27.0)] == ["—"]


def test_a_mark_in_a_ruled_cell_that_holds_text_is_none_of_its_own() -> None:
    """The detector's miss is a cell that would read blank: a mark in a ruled cell that holds a label or a
    figure is a speck or a piece of that text (a speck read as "1" beside "2.重复申请" gave up the grid)."""
    from gkcore.parse.readers import marks
    from gkcore.parse.readers.pdfgeom import Char, _edge

    edges = [e for e in (_edge(10, 10, 10, 40), _edge(100, 10, 100, 40), _edge(150, 10, 150, 40),
                         _edge(10, 10, 150, 10), _edge(10, 40, 150, 40)) if e]
    label = Char("2.重复申请", 14, 18, 60, 30)
    speck_in_label = Char("", 80, 20, 84, 28)
    in_blank_cell = Char("", 120, 20, 124, 28)
    assert marks.in_read_cell(speck_in_label, edges, [label])
    assert not marks.in_read_cell(in_blank_cell, edges, [label])
    assert marks.enclosed(in_blank_cell, edges) and not marks.enclosed(Char("", 200, 20, 204, 28), edges)


def test_a_speck_read_as_a_figure_s_dot_is_dropped_a_tall_mark_is_not() -> None:
    """"47." where the "." is a speck: the figure is "47". Where the mark read as "." stands as tall as
    the digits (a digit misread), nothing is dropped: the cell stays unreadable, hence unsure."""

    page = _paper(40, 80)
    page[10:26, 10:13] = INK                    # "4" and "7" as strokes of a digit's height
    page[10:26, 20:23] = INK
    page[24:26, 30:32] = 120                    # a speck at the foot of the line
    spans = [("4", 8, 16), ("7", 18, 26), (".", 28, 34)]
    text, box, kept = signs.trim_dots(page, "47.", (8, 6, 34, 30), spans)
    assert (text, box, [s[0] for s in kept]) == ("47", (8, 6, 26, 30), ["4", "7"])
    page[10:26, 30:32] = INK                    # a full-height stroke there
    assert signs.trim_dots(page, "47.", (8, 6, 34, 30), spans)[0] == "47."
    assert signs.trim_dots(page, "4.7", (8, 6, 34, 30), spans)[0] == "4.7"     # a decimal point stays


def test_a_minus_sign_left_out_is_found_left_of_its_figure() -> None:
    """"-691" read as "691": a short stroke at the digits' middle height just left of them is its minus.
    A speck there, a stroke at the foot, or nothing, is none."""

    def figure():  # type: ignore[no-untyped-def]
        page = _paper(40, 90)
        for x0 in (40, 50, 60):                 # three digits' ink, 16 px tall
            page[10:26, x0:x0 + 6] = INK
        return page

    box = (38, 6, 70, 30)
    minus = figure()
    minus[17:20, 30:37] = 70
    assert signs.minus_before(minus, box) == (30, 17, 37, 20)
    assert signs.minus_before(figure(), box) is None
    speck = figure()
    speck[17:19, 34:36] = 70
    assert signs.minus_before(speck, box) is None
    low = figure()
    low[24:26, 30:37] = 70                      # at the foot: an underscore or a rule's rest, not a minus
    assert signs.minus_before(low, box) is None


def test_an_enumerated_label_beside_a_speck_keeps_a_scanned_page_s_grid() -> None:
    """A ruled label cell "2.重复申请" with a "1" the scan added beside it is not a cell crowded with
    figures (an enumerator is no figure): the page keeps its grid, the row is read by its cells. On a
    text layer the rule is unchanged (two tokens starting with a digit: the grid is not trusted)."""
    from gkcore.model.box import Box
    from gkcore.parse.readers.layout import grid_rows
    from gkcore.parse.readers.pdfgeom import Char

    cells = [Box(0.0, 0.0, 120.0, 20.0), Box(120.0, 0.0, 150.0, 20.0), Box(150.0, 0.0, 180.0, 20.0),
             Box(0.0, 20.0, 120.0, 40.0), Box(120.0, 20.0, 150.0, 40.0), Box(150.0, 20.0, 180.0, 40.0)]
    chars = [Char(ch, 4.0 + 9 * k, 25.0, 12.0 + 9 * k, 34.0) for k, ch in enumerate("2.重复申请")]
    chars += [Char("1", 100.0, 25.0, 104.0, 34.0), Char("3", 132.0, 25.0, 137.0, 34.0),
              Char("3", 162.0, 25.0, 167.0, 34.0)]
    rows = grid_rows([cells], chars, 1, scanned=True)
    assert rows is not None and [v.text for v in rows[-1].values] == ["3", "3"]
    assert grid_rows([cells], chars, 1, scanned=False) is None


def test_a_mark_misread_as_a_han_character_after_a_figure_is_no_label() -> None:
    """On a scan, "/" read as "小" in the cell after a row's first figure: the cell stays a value cell
    (unreadable, so unsure) and the row keeps its seven columns; the label does not take in the "3"."""
    from gkcore.model.box import Box
    from gkcore.parse.readers.layout import grid_rows
    from gkcore.parse.readers.pdfgeom import Char

    xs = [0.0, 100.0, 130.0, 160.0, 190.0]
    cells = [Box(a, y, b, y + 20.0) for y in (0.0, 20.0) for a, b in zip(xs, xs[1:], strict=False)]
    chars = [Char(ch, 4.0 + 9 * k, 25.0, 12.0 + 9 * k, 34.0) for k, ch in enumerate("四、结转下年度")]
    chars += [Char("3", 112.0, 25.0, 117.0, 34.0), Char("小", 140.0, 25.0, 148.0, 34.0),
              Char("4", 172.0, 25.0, 177.0, 34.0)]
    row = grid_rows([cells], chars, 1, scanned=True)[-1]      # type: ignore[index]
    assert row.label == "四、结转下年度" and [v.text for v in row.values] == ["3", "小", "4"]
    text_layer = grid_rows([cells], chars, 1, scanned=False)[-1]      # type: ignore[index]
    assert [v.text for v in text_layer.values] == ["4"]


def test_a_speck_read_as_a_minus_sign_is_no_sign() -> None:
    """"1" with a speck at its left read as "-1": the sign's ink is narrower than a third of the digit's
    height, a speck's size (the reading stays, unsure: a thin minus is as narrow); a wide minus is sure."""

    page = _paper(40, 60)
    page[10:26, 30:33] = INK                    # the "1", 16 px tall
    page[17:19, 22:24] = 90                     # a speck at its middle height
    spans = [("-", 18, 27), ("1", 28, 36)]
    assert signs.speck_sign(page, "-1", (18, 6, 36, 30), spans)
    page[17:20, 19:26] = INK                    # a minus, 7 px wide
    assert not signs.speck_sign(page, "-1", (18, 6, 36, 30), spans)
    assert not signs.speck_sign(page, "11", (18, 6, 36, 30), [("1", 18, 27), ("1", 28, 36)])


def test_a_mark_a_wide_column_left_of_a_row_s_first_figure_is_on_the_row() -> None:
    """表四's first "—", unruled, a wide column step left of the first figure read: on the row (one and a
    half column steps), while a mark further left, in the label's place, is not."""
    from gkcore.parse.readers import marks

    row = [(240, 100, 248, 116), (310, 100, 318, 116), (380, 100, 388, 116), (420, 100, 428, 116)]
    assert marks.in_figure_row((170, 104, 190, 110), row, 18.0)
    assert not marks.in_figure_row((60, 104, 80, 110), row, 18.0)
    assert not marks.in_figure_row((170, 104, 190, 110), row[:1], 18.0)


def _ruled(w: int = 800):  # type: ignore[no-untyped-def]
    """A ruled table's row on a page `w` wide (the rule kernel is w // 40 = 20 pixels): rules above and
    below, three cells."""
    page = _paper(140, w)
    page[20:22, 40:760] = INK
    page[100:102, 40:760] = INK
    for x in (40, 300, 500, 758):
        page[20:102, x:x + 2] = INK
    return page


def test_a_dash_a_band_lengthened_past_the_rule_kernel_is_ink_not_a_rule() -> None:
    """A cell's "—" that a copier band's edge or JPEG noise lengthened past the rule kernel (30 pixels
    against 20) is no ruling line: it stays ink, found as the cell's mark (painted away, the cell read
    blank, unflagged). The table's rules are still painted away, and still edges."""
    import numpy as np

    from gkcore.parse.readers import marks

    page = _ruled()
    page[60:62, 380:410] = INK                  # the lengthened dash, in the middle cell
    mask = np.zeros_like(page)
    edges = pageimage.ruling_edges(page, 1.0, mask)
    assert mask[21, 100] and mask[60, 301] and not mask[60:62, 380:410].any()
    assert sum(e["orientation"] == "h" for e in edges) == 3      # two rules and the dash (an edge, as before)
    clean = np.where(mask > 0, PAPER, page).astype(page.dtype)
    assert [m[0] for m in marks.missed_marks(clean, [], mask, _never, CHAR_H)] == ["—"]


def test_a_faded_rule_s_short_piece_is_no_dash() -> None:
    """A rule broken by fading: its piece between two gaps, on the rule's line, is flat ink in no cell of
    its own, never a "—"."""
    import numpy as np

    from gkcore.parse.readers import marks

    page = _ruled()
    page[100:102, 360:370] = PAPER              # two gaps in the bottom rule
    page[100:102, 400:410] = PAPER              # leave a 30-pixel piece between them
    mask = np.zeros_like(page)
    pageimage.ruling_edges(page, 1.0, mask)
    assert not mask[100, 380:390].any() and mask[100, 450]
    clean = np.where(mask > 0, PAPER, page).astype(page.dtype)
    assert marks.missed_marks(clean, [], mask, _never, CHAR_H) == []


def test_a_faded_minus_leaves_its_figure_unsure_a_speck_does_not() -> None:
    """"-2" whose minus faded to a third of its digits' contrast, at 100 dpi a blob three or four pixels
    wide beside the digit's own tail: no minus to read ("2" as read), yet the faint look finds a stroke
    there, so the figure is unsure (read "2" without a flag, the cell was silently wrong). A two-pixel
    speck, or nothing, is no such stroke; a full-contrast minus is a minus as before."""
    from gkcore.parse.readers.settings import SETTINGS

    def figure():  # type: ignore[no-untyped-def]
        page = _paper(40, 90)
        page[10:23, 50:58] = INK                # a digit's ink, 13 px tall
        page[21:23, 47:50] = 150                # its foot's grey tail, left of its ink
        return page

    box, faint = (49, 6, 62, 30), (SETTINGS.minus_faint, SETTINGS.minus_faint_width)
    faded = figure()
    faded[15:18, 42:46] = PAPER - (PAPER - INK) // 3
    assert signs.minus_before(faded, box) is None
    assert signs.minus_before(faded, box, *faint) == (42, 15, 46, 18)
    speck = figure()
    speck[15:17, 44:46] = PAPER - (PAPER - INK) // 3
    assert signs.minus_before(speck, box, *faint) is None and signs.minus_before(figure(), box, *faint) is None
    dark = figure()
    dark[15:18, 41:47] = INK
    assert signs.minus_before(dark, box) == (41, 15, 47, 18)


def test_a_dash_thickened_by_blur_is_still_a_dash() -> None:
    """A "—" 13 pixels wide and 5 tall (blur and JPEG thickened it past is_dash's height): a thin flat
    stroke by its axes, so a "—", never handed to the recogniser (which read it "1", weakly: dropped, the
    cell blank without a flag). An upright mark as thick is no dash."""
    from gkcore.parse.readers import marks

    flat = _paper()
    flat[60:62, 80:93] = INK                    # the stroke, and JPEG's ringing a pixel off each end:
    flat[58, 80] = flat[62, 92] = INK           # its ink 13 wide and 5 tall (is_dash wants under 4.55)
    assert [m[0] for m in marks.missed_marks(flat, [], _no_rules(flat), _never, 23.0)] == ["—"]
    upright = _paper()
    upright[50:63, 84:89] = INK
    assert [m[0] for m in marks.missed_marks(upright, [], _no_rules(upright), lambda crop: ("1", 0.95), 23.0)] == ["1"]


def test_a_mark_the_recogniser_cannot_settle_leaves_its_cell_unsure() -> None:
    """Ink of a mark's size and contrast that the recogniser reads weakly, or as no mark at all: kept with
    that reading at a low confidence (its cell unsure), never dropped (a silent blank); a reading that no
    cell holds (none, a Han character that would join the row's label) is kept as "?"."""
    from gkcore.parse.readers import marks

    page = _paper()
    page[50:64, 84:94] = INK                    # a blot: neither a dash nor a slash
    weak = marks.missed_marks(page, [], _no_rules(page), lambda crop: ("8", 0.4), 23.0)
    assert [(t, c) for t, _, c in weak] == [("8", 0.3)]
    none = marks.missed_marks(page, [], _no_rules(page), lambda crop: ("", 0.0), 23.0)
    assert [(t, c) for t, _, c in none] == [("?", 0.0)]
    han = marks.missed_marks(page, [], _no_rules(page), lambda crop: ("日", 0.5), 23.0)
    assert [(t, c) for t, _, c in han] == [("?", 0.3)]          # never a Han reading: a label's, to a grid
    sure = marks.missed_marks(page, [], _no_rules(page), lambda crop: ("0", 0.9), 23.0)
    assert [(t, c) for t, _, c in sure] == [("0", 0.6)]


def test_a_frame_of_stray_rules_round_the_page_is_no_cell() -> None:
    """A copier's streaks and bands left rule pieces round an unruled scan's page: together they "enclose"
    the whole table, labels and all, and every missed "—" in it counted as a speck in a cell that holds
    text (dropped: its cell read blank without a flag, seed 3000007). A cell taller than a few lines of
    the page's characters is no table cell; a real one still is."""
    from gkcore.parse.readers import marks
    from gkcore.parse.readers.pdfgeom import Char, _edge

    frame = [e for e in (_edge(20, 60, 20, 800), _edge(590, 60, 590, 800),
                         _edge(20, 60, 590, 60), _edge(20, 800, 590, 800)) if e]
    label = Char("6.属于四类过程性信息", 170, 196, 268, 208)
    dash = Char("", 373, 202, 384, 204)                     # a missed "—" on the label's row
    assert marks.in_read_cell(dash, frame, [label])        # without the page's character height: as before
    assert not marks.enclosed(dash, frame, 12.5) and not marks.in_read_cell(dash, frame, [label], 12.5)
    cell = [e for e in (_edge(360, 190, 360, 215), _edge(400, 190, 400, 215),
                        _edge(360, 190, 400, 190), _edge(360, 215, 400, 215)) if e]
    assert marks.enclosed(dash, cell, 12.5)                 # a real cell, one line tall, still is one


def test_the_marks_of_two_narrow_cells_either_side_of_a_rule_are_two_marks() -> None:
    """Two "—" right and left of a vertical rule (a narrow column beside a wide one): the join that makes one
    number's digits one mark never reaches across the rule (joined, they were one wide "—" and one of the
    cells read blank, seed 3000052). Without the rule between them the same ink is one mark."""
    import numpy as np

    from gkcore.parse.readers import marks

    page = _paper(120, 300)
    rules = np.zeros_like(page)
    rules[:, 148:151] = 255                     # the rule's mask (painted over)
    page[60:62, 130:146] = INK                  # the wide cell's "—", right-aligned against the rule
    page[60:62, 153:169] = INK                  # the narrow cell's "—"
    found = sorted(marks.missed_marks(page, [], rules, _never, 20.0), key=lambda m: m[1][0])
    assert [m[0] for m in found] == ["—", "—"]
    assert (found[0][1][0] + found[0][1][2]) / 2 < 148 < (found[1][1][0] + found[1][1][2]) / 2
    page[60:62, 146:153] = INK                  # one long stroke across where no rule runs
    assert [m[0] for m in marks.missed_marks(page, [], _no_rules(page), _never, 20.0)] == ["—"]


def test_a_frame_round_a_row_of_a_table_ruled_only_across_is_no_cell() -> None:
    """A table ruled only across, a copier band's edge at its right and the page's edge at its left: each row
    is "enclosed", label and figures together. Its missed "—" counted as specks beside the label (dropped:
    19 cells read blank without a flag, seed 3000090). A "cell" holding texts apart on one line is none; a
    real label cell, its label in one run (or wrapped one line above the other), still is one."""
    from gkcore.parse.readers import marks
    from gkcore.parse.readers.pdfgeom import Char, _edge

    frame = [e for e in (_edge(2, 0, 2, 400), _edge(554, 0, 554, 400),
                         _edge(2, 145, 554, 145), _edge(2, 160, 554, 160)) if e]
    label, zero = Char("4.保护第三方合法权益", 154, 147, 226, 157), Char("0", 496, 148, 504, 157)
    dash = Char("", 316, 151, 329, 153)
    assert marks.in_read_cell(dash, frame, [label])                 # the label alone: a cell holding text
    assert not marks.enclosed(dash, frame, 5.5, [label, zero])       # a label and a figure apart: a row
    assert not marks.in_read_cell(dash, frame, [label, zero], 5.5)
    cell = [e for e in (_edge(150, 145, 150, 172), _edge(300, 145, 300, 172),
                        _edge(150, 145, 300, 145), _edge(150, 172, 300, 172)) if e]
    wrapped = [Char("1.申请人无正当理由逾期不补正", 154, 147, 290, 157), Char("行政机关不再处理", 154, 160, 240, 170)]
    speck = Char("", 270, 164, 273, 167)
    assert marks.in_read_cell(speck, cell, wrapped, 5.5)            # one label, wrapped: still its cell


def test_marks_past_the_page_s_reading_budget_leave_their_cells_unsure() -> None:
    """A poor scan's 表三 of "0"s the detector missed held 63 of them: past MAX_MARKS read alone, a mark is
    still kept, as "?" at a low confidence (its cell unsure), never dropped into a silent blank."""
    import numpy as np

    from gkcore.parse.readers import marks

    page = np.full((40, 1200), PAPER, np.uint8)
    for k in range(6):
        page[10:24, 40 + 200 * k:50 + 200 * k] = INK      # six blots of a figure's size
    keep = marks.MAX_MARKS
    try:
        marks.MAX_MARKS = 4
        found = marks.missed_marks(page, [], _no_rules(page), lambda crop: ("0", 0.9), 20.0)
    finally:
        marks.MAX_MARKS = keep
    assert [(t, c) for t, _, c in found] == [("0", 0.6)] * 4 + [("?", marks.UNSETTLED)] * 2


def test_a_minus_is_measured_against_the_digit_beside_it() -> None:
    """Fading varies along a figure: "-13692" whose "1" and minus faded while its "3" stayed dark. Against
    the darkest digit the minus was no ink at all, read "13692" without a flag (seed 3000089); against the
    "1" beside it, it is a faded minus (blurred to a blob a pixel taller than wide), and the figure is unsure.
    The same figure with nothing left of it has no minus."""
    from gkcore.parse.readers.settings import SETTINGS

    def figure():  # type: ignore[no-untyped-def]
        page = _paper(40, 110)
        page[10:24, 50:52] = 120                # a faded "1", 14 px tall
        for x0 in (58, 68, 78):
            page[10:24, x0:x0 + 6] = INK        # dark digits further on
        return page

    box, faint = (49, 6, 86, 30), (SETTINGS.minus_faint, SETTINGS.minus_faint_width)
    faded = figure()
    faded[16:20, 43:46] = 190                   # the minus, 3 px wide and 4 tall, as grey as blur left it
    assert signs.minus_before(faded, box) is None
    assert signs.minus_before(faded, box, *faint) == (43, 16, 46, 20)
    assert signs.minus_before(figure(), box, *faint) is None


def test_a_grey_speck_read_as_a_minus_is_no_sure_sign() -> None:
    """"4136" with a grey speck of a minus's size at its left, read "-4136" (seed 3000094): a printed minus is
    as dark as its digits; one much lighter than the digit beside it leaves the figure unsure. A minus as
    dark as its digit is sure, as before."""
    page = _paper(40, 80)
    page[10:26, 40:48] = INK                    # the "4", 16 px tall
    page[17:20, 28:35] = PAPER - (PAPER - INK) // 3      # a grey blob, a minus's size and place
    spans = [("-", 26, 37), ("4", 38, 50)]
    assert signs.speck_sign(page, "-4", (26, 6, 50, 30), spans)
    page[17:20, 28:35] = INK
    assert not signs.speck_sign(page, "-4", (26, 6, 50, 30), spans)


def test_a_dash_or_slash_one_pixel_thick_is_still_a_mark() -> None:
    """At 150 dpi with faded ink a "—" is a line one pixel tall and a "/" a stroke one pixel wide: the opening
    that clears pixel noise cleared them too, and their cells read blank without a flag (seed 3000091). They
    are marks; noise of single pixels (and pairs side by side) still is none."""
    import numpy as np

    from gkcore.parse.readers import marks

    dash = _paper()
    dash[60, 80:92] = PAPER - 100               # 12 px long, 1 px tall
    assert [m[0] for m in marks.missed_marks(dash, [], _no_rules(dash), _never, 20.0)] == ["—"]
    slash = _paper()
    for k in range(15):                          # 15 px tall, leaning right, a pixel wide
        slash[50 + k, 96 - k // 3] = PAPER - 70
    assert [m[0] for m in marks.missed_marks(slash, [], _no_rules(slash), _never, 20.0)] == ["/"]
    noise = _paper()
    rng = np.random.default_rng(7)
    for y, x in rng.integers(10, 110, (40, 2)):
        noise[y, x:x + 2] = PAPER - 90           # pixel pairs scattered over the cell
        noise[y:y + 4, x + 5] = PAPER - 90       # and short upright runs (JPEG noise on grey paper: one was
    assert marks.missed_marks(noise, [], _no_rules(noise), _never, 20.0) == []         # read as "?")


def test_marks_found_are_cells_of_their_row_for_a_second_look() -> None:
    """An unruled table's row whose "/"s the detector missed, all but its first figure: the "/" under a column of
    figures is found (a column), but the one under a column of blanks stood on no row of figures and was dropped
    (seed 3000094). Once the first is found, the row holds two cells, and the second look finds the other. With
    nothing found the first time, there is no second look."""
    from gkcore.parse.readers import marks
    from gkcore.parse.readers.glyphs import Box

    page = _paper(140, 300)
    numbers = [Box(x, y, x + 10, y + 16) for x in (40, 100, 220) for y in (10, 34, 58)]    # three rows of figures
    numbers.append(Box(40, 84, 50, 100))                                                  # the fourth row's first
    label = Box(2, 84, 30, 100)
    for x in (100, 160):                          # its "/"s under the second column and under a blank column
        for k in range(14):
            page[85 + k, x + 6 - k // 3:x + 8 - k // 3] = INK
    boxes = [*numbers, label]

    def keep(b: Box) -> bool:
        return marks.in_figure_row(b, numbers, CHAR_H) or marks.in_figure_column(b, numbers, boxes, CHAR_H)

    once = marks.missed_marks(page, boxes, _no_rules(page), _never, CHAR_H, keep)
    assert [(t, m[0] < 130) for t, m, _ in once] == [("/", True)]
    found = marks.missed_twice(page, boxes, _no_rules(page), _never, CHAR_H, keep, numbers)
    assert sorted((t, m[0] < 130) for t, m, _ in found) == [("/", False), ("/", True)]
    empty = _paper(140, 300)
    assert marks.missed_twice(empty, boxes, _no_rules(empty), _never, CHAR_H, keep, numbers) == []


def test_a_thin_run_beside_a_mark_s_thick_part_is_that_mark() -> None:
    """A blurred "—" with a pixel-thin run of its ink just below its thick part: one mark, not a second "—" in the
    same cell (read "——", a right cell made unsure)."""
    from gkcore.parse.readers import marks

    page = _paper()
    page[60:64, 80:96] = INK                    # the dash's thick part
    page[66, 80:96] = PAPER - 100               # a thin run of it, two pixels below
    assert [m[0] for m in marks.missed_marks(page, [], _no_rules(page), _never, 20.0)] == ["—"]


def test_a_minus_touching_a_faint_first_digit_is_still_its_minus() -> None:
    """"-4" on a poor scan (100 dpi, the digit 9 px tall and faded, its minus touching it; a crop of the page as
    the reader sees it): measured against the faint digit's own ink, the minus counted as the digit's and was
    left out ("4" read without a flag). The figure's darkest ink says where its digits are; the first digit
    says how dark a minus must be."""
    import cv2

    from gkcore.parse.readers.glyphs import Box

    crop = cv2.imread(str(Path(__file__).parent / "fixtures/crops/minus-touching-faint-4.png"), cv2.IMREAD_GRAYSCALE)
    assert signs.minus_before(crop, Box(40, 20, 64, 42)) == (45, 32, 48, 34)


def test_a_faint_dash_with_a_darker_speck_just_under_it_is_a_dash() -> None:
    """A faded "—" (contrast about 40 on grey paper, 130 dpi) with a speck darker than it a pixel under its left
    end (a crop of the page as the reader sees it): measured in its padded crop, the speck set the ink level and
    the dash's shape was the speck's, a few pixels: no mark, a blank cell without a flag. The ink beyond the
    mark's own box is left out of its shape."""
    import cv2
    import numpy as np

    from gkcore.parse.readers import marks

    crop = cv2.imread(str(Path(__file__).parent / "fixtures/crops/faint-dash-speck-under.png"), cv2.IMREAD_GRAYSCALE)
    found = marks.missed_marks(crop, [], np.zeros_like(crop), lambda _c: ("", 0.0), 24.0)
    assert [(t, b[1] < 25 < b[3]) for t, b, _ in found if b[1] < 25 < b[3]] == [("—", True)]


def test_a_faint_dash_with_a_darker_speck_at_its_end_is_a_dash() -> None:
    """A faded "—" (contrast about 35, 100 dpi) with a dark speck touching its left end, joined into one mark: its
    shape was the speck's (a few pixels, no mark: a blank cell without a flag, seed 3300011). Where the mark's
    pieces measure as a speck, its largest piece is measured alone."""
    import cv2
    import numpy as np

    from gkcore.parse.readers import marks

    crop = cv2.imread(str(Path(__file__).parent / "fixtures/crops/faint-dash-speck-at-end.png"), cv2.IMREAD_GRAYSCALE)
    found = marks.missed_marks(crop, [], np.zeros_like(crop), lambda _c: ("", 0.0), 23.0)
    assert [t for t, b, _ in found if b[1] < 25 < b[3]] == ["—"]


def test_a_run_of_dashes_of_narrow_columns_is_each_a_mark_and_a_dash_beside_a_figure_its_own() -> None:
    """"— — —" of three narrow columns joined into one piece too wide for a mark (seed 3400073: three
    cells blank without a flag): each dash a mark. "— —" right before the total's recognised "22": a
    dash far wider than a minus, apart from the figure, is a cell's mark; a minus-wide stroke there,
    or one touching the figure, is a piece of that text, as before."""
    from gkcore.parse.readers import marks
    from gkcore.parse.readers.glyphs import Box

    run = _paper(w=260)
    for x in (40, 90, 140):
        run[60:63, x:x + 34] = INK
    found = marks.missed_marks(run, [], _no_rules(run), _never, CHAR_H)
    assert [m[0] for m in found] == ["—"] * 3
    assert sorted((m[1][0] + m[1][2]) // 2 for m in found) == [57, 107, 157]
    rule = _paper(w=260)                      # a faded ruling line's pieces, each wider than a dash: nothing
    for x in (10, 72, 134, 196):                # (seed 3500051: taken for dashes, they became a row's label)
        rule[60:63, x:x + 50] = INK
    assert marks.missed_marks(rule, [], _no_rules(rule), _never, CHAR_H) == []
    figure = Box(150, 50, 180, 74)
    beside = _paper(w=260)
    beside[60:63, 110:144] = INK
    assert [m[0] for m in marks.missed_marks(beside, [figure], _no_rules(beside), _never, CHAR_H)] == ["—"]
    minus = _paper(w=260)
    minus[60:63, 134:144] = INK
    assert marks.missed_marks(minus, [figure], _no_rules(minus), _never, CHAR_H) == []
    touching = _paper(w=260)
    touching[60:63, 114:148] = INK
    assert marks.missed_marks(touching, [figure], _no_rules(touching), _never, CHAR_H) == []
