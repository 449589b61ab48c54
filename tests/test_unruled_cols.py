"""Column placement of the unruled reader (gkcore/parse/readers/unruled_cols.py, unruled.py), on hand-made
geometry: the layouts of printed web pages (issue 10, class 4) where headers are left-aligned and numbers
right-aligned in narrow columns, so a number sits nearer the next column's header than its own."""

from __future__ import annotations

from gkcore.parse.readers.layout import Token
from gkcore.parse.readers.pdfgeom import Char
from gkcore.parse.readers.unruled import Piece, RowCells, _split_at_columns, put
from gkcore.parse.readers.unruled_cols import Columns

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
