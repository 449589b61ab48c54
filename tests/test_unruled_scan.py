"""Unruled tables on poor scans (issue 18): a column header read as nothing like its label, and a row's
enumerator half read, found by their place; a doubt leaves them out as before."""

from __future__ import annotations

from gkcore.parse.readers.pdfgeom import Char
from gkcore.parse.readers.unruled import _pieces, _row_pieces, enumerated
from gkcore.parse.readers.unruled_heads import find_columns

LABELS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
H = 11.0


def _headers(total: list[Char]) -> list[Char]:
    """表三's header line as a scan read it, the total's header given by the caller, a row's figures below."""
    heads = [Char(t, x, 646, x + 8 * len(t), 658) for t, x in
             (("自然人", 300), ("商业企业", 330), ("科研机构", 366), ("社会公益组织", 402), ("法律服务机构", 454),
              ("其他", 506))]
    return heads + total + [Char("30", 306, 679, 318, 691), Char("36", 530, 679, 538, 691)]


def test_a_header_read_as_nothing_like_its_label_is_found_by_its_place() -> None:
    """"总计" read as "I": the one word right of 其他, in the headers' lines, is the total's header."""
    cols = find_columns(_headers([Char("I", 530, 650, 536, 662)]), LABELS, H)
    assert cols is not None and len(cols.centers) == 7 and cols.heads[-1] == (530, 536)


def test_a_header_read_as_nothing_at_all_is_found_by_the_figures_under_it() -> None:
    """"总计" faded under a copier's band, not read at all (seed 3000014, 表三 refused): its column is where
    the figures of the table's rows stand right of 其他, one column of them, near enough."""
    cols = find_columns(_headers([]), LABELS, H)
    assert cols is not None and len(cols.centers) == 7 and cols.heads[-1] == (530, 538)
    two_rows = _headers([]) + [Char("3", 306, 695, 312, 707), Char("3", 531, 695, 537, 707)]
    assert (cols := find_columns(two_rows, LABELS, H)) is not None and cols.heads[-1] == (530, 538)


def test_a_lost_last_header_after_a_header_half_read_takes_each_rows_last_figure() -> None:
    """其他 read "他" and 总计 not read at all (seed 3400027, 表三 refused): 其他's figure spills right of "他"
    onto 总计's side; the last column is where each row's last figure stands."""
    heads = [c for c in _headers([]) if c.text != "其他"] + [Char("他", 514, 646, 522, 658),
                                                            Char("2", 523, 679, 527, 691)]
    cols = find_columns(heads, LABELS, H)
    assert cols is not None and cols.heads[-2] == (514, 522) and cols.heads[-1] == (530, 538)


def test_a_lost_header_with_any_doubt_leaves_the_columns_unfound() -> None:
    """Nothing there and no figure of a row (one alone, or far right of the columns: no header), figures
    that stand apart across, two words side by side there, or two headers lost: no columns, as before."""
    alone = [c for c in _headers([]) if c.text != "30"]
    assert find_columns(alone, LABELS, H) is None
    far = [c for c in _headers([]) if c.text != "36"] + [Char("36", 600, 679, 608, 691)]
    assert find_columns(far, LABELS, H) is None
    apart = _headers([]) + [Char("3", 306, 695, 312, 707), Char("3", 548, 695, 554, 707)]
    assert find_columns(apart, LABELS, H) is None
    assert find_columns(_headers([Char("I", 526, 650, 531, 662), Char("汁", 534, 650, 542, 662)]), LABELS, H) is None
    two_lost = [c for c in _headers([Char("I", 530, 650, 536, 662)]) if c.text != "其他"]
    two_lost.append(Char("茸", 506, 646, 522, 658))
    assert find_columns(two_lost, LABELS, H) is None


def test_an_enumerator_half_read_starts_a_row() -> None:
    """"1" read as a look-alike letter, or its dot lost, before the label's first Han character: a row
    of its own, not the rest of the row above on its line ("L.本机关…" had its figures under 8.属于行政查询事项);
    a label that merely starts with figures or letters is none."""
    assert all(map(enumerated, ("L.本机关不攀探相关政府信息", "l属于国家秘密", "1属于国家秘密", "3.属于行政执法案卷",
                                "工.属于行政执法案卷")))
    assert not any(map(enumerated, ("12345热线", "其他", "2019年度", "理 1 属于国家秘密", "1.5倍", "形）。其他")))
    toks = [Char("8.属于行政查询事项", 151, 179.5, 218.5, 194),
            Char("L.本机关不攀探相关政府信息", 150, 193.5, 251, 208)]
    rows = _row_pieces(_pieces(toks, H), H)
    assert rows is not None and [r.piece.text for r in rows] == [t.text for t in toks]


def test_two_headers_lost_apart_are_each_found_by_their_place() -> None:
    """科研机构 read "科码机" over "?" and 总计 not read at all (seed 3000040, 表三 refused): each stands
    between columns found, so each is found by its place; two lost side by side stay unfound (above)."""
    heads = [c for c in _headers([]) if c.text != "科研机构"] + [Char("科码机", 366, 646, 390, 658),
                                                              Char("?", 366, 659, 374, 671)]
    cols = find_columns(heads, LABELS, H)
    assert cols is not None and cols.heads[2] == (366, 390) and cols.heads[-1] == (530, 538)


def test_rows_under_the_tables_own_header_that_all_lost_their_enumerators_are_rows() -> None:
    """表三's header at a page's foot, two rows under it whose enumerators the scan lost ("一、" as "、", "二、"
    as "?"): rows of the table, and its columns go on to the next page (seeds 3300087, 3300093 were
    refused). Without the table's header on the page they are no rows: the rest of a row cut by the page
    break, and nothing to place them by."""
    h = 7.5                                     # the page's character height (110 dpi)
    toks = [Char("、本年新收政府信息公开中请数量", 69, 739, 220, 748),
            Char("?上年结转政府信息公开申请数量", 64, 758, 220, 767)]
    rows = _row_pieces(_pieces(toks, h), h, headed=True)
    assert rows is not None and [r.piece.text for r in rows] == [t.text for t in toks]
    assert _row_pieces(_pieces(toks, h), h) is None
