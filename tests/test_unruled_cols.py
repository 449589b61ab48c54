"""Column placement of the unruled reader (gkcore/parse/readers/unruled_cols.py, unruled.py), on hand-made
geometry: the layouts of printed web pages (issue 10, class 4) where headers are left-aligned and numbers
right-aligned in narrow columns, so a number sits nearer the next column's header than its own."""

from __future__ import annotations

from gkcore.parse.readers.layout import Token
from gkcore.parse.readers.pdfgeom import Char
from gkcore.parse.readers.unruled import Piece, RowCells, _split_at_columns, put
from gkcore.parse.readers.unruled_cols import Columns
from gkcore.present.messages import note_text

H = 7.0      # character height


def _cols(heads: list[tuple[float, float]]) -> Columns:
    return Columns(tuple((a + b) / 2 for a, b in heads), tuple(heads), bottom=100.0)


def _tok(text: str, x1: float, top: float = 120.0, width: float = 4.0) -> Token:
    """A number right-aligned at x1 (width per character)."""
    return Token(text, x1 - width * len(text), top, x1, top + H)


# Left-aligned headers of different widths (法律服务机 / 构 is wide, 其 / 他 and 总 / 计 narrow); each column's
# numbers end 3.3 pt left of the next header, the last column's at 552.4.
HEADS = [(356.9, 371.5), (380.2, 402.2), (409.2, 431.6), (438.6, 475.7), (480.2, 517.5), (522.0, 529.4),
         (538.6, 546.0)]
RIGHT = [376.9, 405.9, 435.2, 476.9, 518.7, 535.3, 552.4]


def test_numbers_right_aligned_under_left_aligned_headers_keep_their_columns() -> None:
    cols = _cols(HEADS)
    toks = [_tok(v, x1, top=120.0 + 12 * r) for r, vals in enumerate([["73", "1", "0", "0", "0", "1", "75"],
                                                                     ["1", "0", "0", "0", "0", "0", "1"]])
            for v, x1 in zip(vals, RIGHT, strict=True)]
    place, learned = cols.placer(toks, H)
    assert [place(t) for t in toks] == [(j % 7, None) for j in range(14)]
    # the rule it learned places the next page's numbers (no header there) the same way
    assert any(rule[:2] == ("x1", "next") for rule in learned.learned)
    later = [_tok("5", RIGHT[5], top=300.0)]
    assert learned.placer(later, H)[0](later[0]) == (5, None)


def test_a_run_across_two_columns_values_joins_neither_column() -> None:
    """"16" of 总计 read "0.16" (a speck as "0."), across 其他's figures and 总计's (seed 3400085): it
    joined both columns' figures into one, so every 其他 figure went to 总计, two values in each cell
    (31 cells unsure). It belongs to the header it overlaps; the others keep their columns."""
    cols = _cols(HEADS)
    rows = [["73", "1", "0", "0", "0", "1", "75"], ["1", "0", "0", "0", "0", "0", "1"],
            ["2", "0", "0", "0", "0", "1", "3"]]
    toks = [_tok(v, x1, top=120.0 + 12 * r) for r, vals in enumerate(rows) for v, x1 in zip(vals, RIGHT, strict=True)]
    across = Token("0.16", RIGHT[5] - 4.0, 108.0, RIGHT[6], 108.0 + H)
    place, _ = cols.placer([across, *toks], H)
    assert place(across) == (6, None)
    assert [place(t) for t in toks] == [(j % 7, None) for j in range(21)]


def test_a_number_nothing_places_keeps_both_readings() -> None:
    # two headers, one number in the gap between them, no other number: no column can be chosen
    cols = _cols([(100.0, 110.0), (150.0, 160.0)])
    t = _tok("3", 132.0)
    col, other = cols.placer([t], H)[0](t)
    assert {col, other} == {0, 1}


def test_a_number_overlapping_a_header_is_in_its_column_and_takes_its_neighbours_along() -> None:
    cols = _cols([(100.0, 110.0), (150.0, 160.0)])
    over = _tok("12", 112.0)           # 104-112: overlaps the first header
    under = _tok("2", 113.0, top=140)  # 109-113: overlaps only the number above it
    place, _ = cols.placer([over, under], H)
    assert place(over) == (0, None) and place(under) == (0, None)


def test_a_number_wrapped_in_a_narrow_cell_is_one_number() -> None:
    row = RowCells(Piece([_tok("x", 50.0)]))
    put(row, 6, Token("４", 538.1, 614.9, 543.3, 621.8), None)
    put(row, 6, Token("２", 538.5, 627.6, 542.9, 634.5), None)
    assert row.cells[6].text == "４２" and not row.unsure
    # half-width digits never wrap inside a number: two numbers in one cell stay unsure
    row = RowCells(Piece([_tok("x", 50.0)]))
    put(row, 6, Token("4", 538.1, 614.9, 543.3, 621.8), None)
    put(row, 6, Token("2", 538.5, 627.6, 542.9, 634.5), None)
    assert 6 in row.unsure


def _chars(text: str, x0: float, advance: float, ink: float) -> list[Char]:
    return [Char(ch, x0 + k * advance, 120.0, x0 + k * advance + ink, 127.0) for k, ch in enumerate(text)]


def test_a_run_across_a_column_boundary_is_cut_between_values_never_inside_a_number() -> None:
    cols = _cols([(440.0, 462.0), (473.0, 494.0)])          # boundary at 467.5
    # "/" of the first column, then "１０６" of the second: a blank mark and a digit are two values
    chars = [Char("/", 461.8, 120.0, 465.5, 127.0), *_chars("１０６", 468.7, 9.0, 5.0)]
    run = Token("/１０６", 461.8, 120.0, chars[-1].x1, 127.0)
    assert [t.text for t in _split_at_columns(run, cols, chars, H)] == ["/", "１０６"]
    # a full-width number across the middle of the gap: its digits stand apart, yet it is one number
    chars = _chars("４２", 463.0, 9.0, 5.0)
    run = Token("４２", 463.0, 120.0, chars[-1].x1, 127.0)
    assert [t.text for t in _split_at_columns(run, cols, chars, H)] == ["４２"]


LABELS_T3 = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def _head(text: str, x0: float, top: float) -> Token:
    return Token(text, x0, top, x0 + H * len(text), top + H)


def test_a_header_the_recogniser_half_read_still_gives_its_column() -> None:
    """A scan whose recogniser lost the wrapped 业 of 商业企 / 业 and 构 of 科研机 / 构: the columns are
    found from what was read, since 商业企 and 科研机 belong to no other label."""
    from gkcore.parse.readers.unruled_heads import find_columns

    toks = [_head("自然", 300, 100), _head("人", 300, 110), _head("商业企", 330, 100),
            _head("科研机", 360, 100), _head("社会公益", 390, 100), _head("组织", 390, 110),
            _head("法律服务", 430, 100), _head("机构", 430, 110), _head("其", 470, 100), _head("他", 470, 110),
            _head("总", 490, 100), _head("计", 490, 110)]
    cols = find_columns(toks, LABELS_T3, H)
    assert cols is not None
    assert [round(a) for a, _ in cols.heads] == [300, 330, 360, 390, 430, 470, 490]
    # a fragment that also belongs to another label tells nothing by its text (结果 is in 结果维持 and
    # 其他结果), but its place does: the one word between two found columns where the template has one
    labels = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    t4 = [_head("结果维", 100, 100), _head("持", 100, 110), _head("结果", 140, 100),
          _head("其他结", 180, 100), _head("果", 180, 110), _head("尚未审", 220, 100), _head("结", 220, 110),
          _head("总", 260, 100), _head("计", 260, 110)]
    cols = find_columns(t4, labels, H)
    assert cols is not None and [round(a) for a, _ in cols.heads] == [100, 140, 180, 220, 260]
    # two template columns free between the found ones: one such word, or two, is placed nowhere
    gap = [_head("结果维", 100, 100), _head("持", 100, 110), _head("结果", 140, 100),
           _head("尚未审", 220, 100), _head("结", 220, 110), _head("总", 260, 100), _head("计", 260, 110)]
    assert find_columns(gap, labels, H) is None
    assert find_columns([*gap, _head("结果", 180, 100)], labels, H) is None


def test_a_label_split_on_its_line_by_a_wide_gap_is_one_row_not_a_group() -> None:
    """5.属于三类内部事务 and its 信息 set apart on one line (a scan's glyph boxes shrink to their ink):
    the tail is no row to the right of a group label, so the row keeps its label and values."""
    from gkcore.parse.readers.unruled import _pieces

    row = [Token("5.属于三类内部事务", 147.5, 220.0, 225.0, 228.0), Token("信息", 230.0, 219.5, 242.5, 228.0)]
    group = [Token("（三）不予公开", 83.5, 210.5, 140.0, 219.0)]
    pieces = _pieces(row + group, 8.0)
    assert {p.text: p.group for p in pieces} == {"（三）不予公开": True, "5.属于三类内部事务": False, "信息": False}


def test_rows_whose_enumerator_a_scan_lost_stay_apart_and_a_tail_joins_its_own_line() -> None:
    """一、 and 二、 lost by the recogniser: two lines apart are two rows, not one label continued from
    the page before; 方合法权益, cut from 4.保护第三 on its line, joins row 4, not row 3 above it."""
    from gkcore.parse.readers.unruled import _row_pieces

    h = 8.0
    pieces = [Piece([Token("本年新收政府信息公开申请数量", 82.5, 129.0, 206.5, 137.5)]),
              Piece([Token("上年结转政府信息公开申请数量", 82.5, 148.5, 206.5, 157.0)]),
              Piece([Token("3.危及“三安全一稳定”", 150.5, 258.5, 243.0, 267.0)]),
              Piece([Token("4.保护第三", 150.5, 278.0, 192.0, 286.5)]),
              Piece([Token("方合法权益", 197.0, 278.0, 236.5, 286.5)])]
    rows = _row_pieces(pieces, h)
    assert rows is not None
    assert [r.piece.text for r in rows] == ["本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量",
                                            "3.危及“三安全一稳定”", "4.保护第三方合法权益"]
    # one label's wrapped lines before the first enumerated row are still one row (cut by the page break)
    wrapped = [Piece([Token("（区分处理的，只计这一情形，不计", 82.5, 60.0, 206.5, 68.0)]),
               Piece([Token("其他情形）", 82.5, 71.0, 130.0, 79.0)]),
               Piece([Token("1.属于国家秘密", 150.5, 90.0, 210.0, 98.0)])]
    rows = _row_pieces(wrapped, h)
    assert rows is not None and [r.piece.text for r in rows][0] == "（区分处理的，只计这一情形，不计其他情形）"


def test_a_header_whose_wrapped_line_touches_the_first_is_still_found() -> None:
    """总 / 计 of a scan whose glyph boxes touch (计 boxed taller than its ink)."""
    from gkcore.parse.readers.unruled_heads import find_columns

    toks = [_head("自然", 300, 87), _head("人", 300, 100), _head("商业企", 330, 96.5), _head("业", 330, 109.5),
            _head("科研机", 360, 96.5), _head("构", 360, 109.5),
            _head("社会公益", 390, 96.5), _head("组织", 390, 109.5),
            _head("法律服务", 430, 96.5), _head("机构", 430, 109.5), _head("其", 470, 96.5), _head("他", 470, 109.5),
            Token("总", 515.5, 87.0, 523.5, 95.5), Token("计", 515.5, 94.0, 523.5, 108.0)]
    cols = find_columns(toks, LABELS_T3, H)
    assert cols is not None and len(cols.centers) == 7


def _glyph_run(text: str, x0: float, top: float, step: float = 9.0, width: float = 8.0) -> list[Char]:
    return [Char(ch, x0 + k * step, top, x0 + k * step + width, top + 8.5) for k, ch in enumerate(text)]


def test_header_words_of_narrow_columns_set_close_are_cut_where_the_labels_part() -> None:
    """社会公益 / 法律服务 / 其 of three columns, no wider apart than a word's own characters: cut into
    the fewest runs that each lie within one label; a word within a label, or a figure, stays whole."""
    from gkcore.parse.readers.unruled_tokens import split_headers, token_of

    run = _glyph_run("社会公益法律服务其", 399.0, 90.0)
    whole = _glyph_run("商业企", 337.0, 90.0)
    figure = _glyph_run("108", 337.0, 130.0)
    toks = [token_of(run), token_of(whole), token_of(figure)]
    got = split_headers(toks, run + whole + figure, LABELS_T3)
    assert [t.text for t in got] == ["社会公益", "法律服务", "其", "商业企", "108"]
    assert got[1].x0 == run[4].x0


def test_a_blank_cell_beside_an_unreadable_run_is_unsure() -> None:
    """"—5": a "1" read as a dash and run into the next column's 5; the blank cell beside it may hold
    the figure, so it is never a silent blank."""
    r = RowCells(Piece([Token("（一）", 0, 0, 10, 7)]))
    r.cells = {4: Token("—5", 199.0, 526.0, 221.5, 533.0), 0: Token("3", 101.5, 525.5, 105.5, 533.0)}
    r.settle()
    assert sorted(r.unsure) == [3, 5]
    assert "无法识别" in note_text(r.unsure[3])


def test_a_row_of_dashes_around_a_zero_is_values_not_a_page_number() -> None:
    """"— — ０ — —" (a one-row 表四 whose last block alone is filled) matches the page-number pattern
    "—０—" once squashed; four dashes apart are five cells, never a footer to drop."""
    from gkcore.parse.readers.layout import footer

    def line(marks: str, step: float) -> list[Char]:
        return [Char(ch, 100 + k * step, 800.0, 108 + k * step, 810.0) for k, ch in enumerate(marks)]

    assert footer(line("-3-", 12.0), 10.0)
    assert footer(line("—３—", 12.0), 10.0)
    assert not footer(line("——０——", 28.0), 10.0)
