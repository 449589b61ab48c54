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


def test_a_row_whose_enumerator_was_read_as_a_han_character_is_a_row_by_its_own_values() -> None:
    """"1.本机关不掌握…" read "工本机关…" hangs under "8.属于行政查询事项" like a wrapped line, but its line
    holds values of its own under that row's (seed 3400063): a row. A wrapped label's second line,
    its row's values between the two lines, stays that row's."""
    h = 7.0
    toks = [Char("8.属于行政查询事限", 142.5, 176.5, 209, 184), Char("工本机关不掌掘祖关政府信息", 143, 190, 238, 197)]
    values = [Char("1", 325, 177, 329, 183), Char("0", 360, 177, 364, 183),
              Char("9", 325, 190, 329, 196), Char("1", 360, 190, 364, 196)]
    rows = _row_pieces(_pieces(toks, h, values), h, values=values)
    assert rows is not None and [r.piece.text for r in rows] == [t.text for t in toks]
    middle = [Char("1", 325, 183, 329, 189), Char("0", 360, 183, 364, 189)]
    rows = _row_pieces(_pieces(toks, h), h, values=middle)
    assert rows is not None and [r.piece.text for r in rows] == ["".join(t.text for t in toks)]


def test_a_header_whose_last_characters_were_misread_is_found_by_its_start() -> None:
    """商业企业 read "商业康" and 法律服务机构 "法律服务棋", 总计 read "I" (seed 3400063, 表三 read the older
    way, two rows merged): each a header by the run of its label it starts with; a text that starts
    with no run of a label, or is longer than the label, is none."""
    heads = [c for c in _headers([Char("I", 530, 650, 536, 662)]) if c.text not in ("商业企业", "法律服务机构")]
    misread = heads + [Char("商业康", 330, 646, 354, 658), Char("法律服务棋", 454, 646, 494, 658)]
    cols = find_columns(misread, LABELS, H)
    assert cols is not None and cols.heads[1] == (330, 354) and cols.heads[4] == (454, 494)
    longer = heads + [Char("商业康", 330, 646, 354, 658), Char("法律服务棋棋棋棋", 454, 646, 518, 658)]
    assert find_columns(longer, LABELS, H) is None


T4 = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _t4(third: str) -> list[Char]:
    """表四's header line of three blocks, the third block's 其他结果 read as `third`, a row of figures."""
    out = []
    for b in range(3):
        for i, label in enumerate(T4):
            x = 60 + b * 165 + i * 33
            out.append(Char(third if (b, label) == (2, "其他结果") else label, x, 430, x + 22, 448))
            out.append(Char(str(i + 1), x + 9, 455, x + 13, 461))
    return out


def test_a_blocks_header_read_as_nothing_like_its_label_is_found_by_its_place() -> None:
    """表四's third 其他结果 read "其触结" (seed 3400041: a blank cell then shifted the row's figures
    left, all fifteen cells unsure): fifteen columns, that one between 结果纠正 and 尚未审结, by its words
    or, read as nothing at all, by its figures. Two side by side lost: no columns."""
    cols = find_columns(_t4("其触结"), T4, H, repeat=3)
    assert cols is not None and len(cols.centers) == 15 and cols.heads[12] == (456, 478)
    none = [c for c in _t4("") if c.text]
    assert (cols := find_columns(none, T4, H, repeat=3)) is not None and cols.heads[12] == (465, 469)
    two = [c for c in _t4("其触结") if not (c.text == "尚未审结" and c.x0 > 400)]
    assert find_columns(two, T4, H, repeat=3) is None


def test_two_rows_that_both_lost_their_enumerators_stay_apart_by_their_values() -> None:
    """"一、" and "二、" both lost (seeds 3400073, 3400090): 本年新收… and 上年结转… followed each other like
    one label's wrapped lines and were read as one row, 上年结转's values two in each cell. Each line
    holds its own values: two rows."""
    h = 7.0
    toks = [Char("本年新收政府信息公开申请数量", 60, 100, 160, 107),
            Char("上年结转政府信息公开申请数量", 60, 111, 160, 118)]
    values = [Char("3", 325, 100, 329, 107), Char("0", 360, 100, 364, 107),
              Char("1", 325, 111, 329, 118), Char("0", 360, 111, 364, 118)]
    rows = _row_pieces(_pieces(toks, h, values), h, True, values)
    assert rows is not None and [r.piece.text for r in rows] == [t.text for t in toks]
    rows = _row_pieces(_pieces(toks, h), h, True)
    assert rows is not None and len(rows) == 1


def test_the_first_columns_header_read_as_nothing_like_its_label_is_found_within_a_step_of_the_next() -> None:
    """表四's first 结果维持 read "结果推" (no run of only its own label; seed 3400007, fifteen cells
    unsure): the one header within one and a half column steps left of 结果纠正 is its. A word further
    left is none."""
    first = [c if (c.text, c.x0) != ("结果维持", 60) else Char("结果推", 60, 430, 82, 448) for c in _t4("其他结果")]
    cols = find_columns(first, T4, H, repeat=3)
    assert cols is not None and len(cols.centers) == 15 and cols.heads[0] == (60, 82)
    far = [c if (c.text, c.x0) != ("结果维持", 60) else Char("结果推", 20, 430, 42, 448) for c in _t4("其他结果")]
    assert find_columns(far, T4, H, repeat=3) is None
