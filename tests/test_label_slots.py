"""A row's label that the recogniser half-read (issue 18): found by its place between two found rows,
only where nothing else could be meant; otherwise the row stays not found (unsure), never a wrong row."""

from __future__ import annotations

from gkcore.model import FLAG_CLEAN, FLAG_UNSURE
from gkcore.parse import template
from gkcore.parse.readers.base import RawCell, RawRow, Section
from gkcore.parse.tables import map_rows_table


def _row(label: str, first: str) -> RawRow:
    return RawRow(label, tuple(RawCell(v) for v in (first, "0", "0", "0", "0", "0", first)), 1, exact=True)


def _read(*rows: RawRow, fmt: str = "2021") -> dict[tuple[str, str], tuple[str, str]]:
    tpl = template.load(fmt)
    cells, _ = map_rows_table(tpl.tables["t3"], Section("t3", rows, (1,), "grid"), tpl)
    return {(c.row, c.col): (c.raw, c.flag) for c in cells}


PETITION, PUBLICATION = _row("1.信访举报投诉类申请", "3"), _row("3.要求提供公开出版物", "5")


def test_a_half_read_label_alone_in_its_slot_is_its_row() -> None:
    """"2.垂复申请" (0.75 of "重复申请", short of the 0.8 its text alone needs), read between 信访举报
    and 公开出版物 with 重复申请 the one row still free between them: that row."""
    cells = _read(PETITION, _row("2.垂复申请", "4"), PUBLICATION)
    assert cells[("reject_duplicate", "natural_person")] == ("4", FLAG_CLEAN)
    assert cells[("reject_publication", "natural_person")] == ("5", FLAG_CLEAN)


def test_a_half_read_label_with_any_doubt_stays_not_found() -> None:
    """Two rows read in the slot, a label unlike the free row's, or no found row after it: not found."""
    two = _read(PETITION, _row("2.垂复申请", "4"), _row("2.重夏由请", "6"), PUBLICATION)
    assert two[("reject_duplicate", "natural_person")][1] == FLAG_UNSURE
    unlike = _read(PETITION, _row("2.本年合计", "4"), PUBLICATION)
    assert unlike[("reject_duplicate", "natural_person")][1] == FLAG_UNSURE
    last = _read(PETITION, _row("2.垂复申请", "4"))
    assert last[("reject_duplicate", "natural_person")][1] == FLAG_UNSURE


def test_two_free_rows_in_the_slot_leave_both_not_found() -> None:
    """信访举报 and 无正当理由大量反复申请 found, 重复申请 and 公开出版物 both free between them: the one
    half-read row read there could be either, so neither is found."""
    cells = _read(PETITION, _row("2.垂复申请", "4"), _row("4.无正当理由大量反复申请", "7"))
    assert cells[("reject_duplicate", "natural_person")][1] == FLAG_UNSURE
    assert cells[("reject_publication", "natural_person")][1] == FLAG_UNSURE


def test_a_half_read_label_after_the_last_found_row_or_before_the_first_is_its_row() -> None:
    """"四、结转下年变继绪办期" (0.67 of 结转下年度继续办理) read after 总计, the one row the template has
    after it (seed 3400063); "二、上年精供政府信息公开中请收量" before 予以公开 with 本年新收 found nowhere:
    two rows free there, so not found."""
    cells = _read(_row("（七）总计", "9"), _row("四、结转下年变继绪办期", "2"))
    assert cells[("carry_forward", "natural_person")] == ("2", FLAG_CLEAN)
    first = _read(_row("二、上年精供政府信息公开中请收量", "2"), _row("（一）予以公开", "4"))
    assert first[("carried_over", "natural_person")][1] == FLAG_UNSURE


def test_a_half_read_label_in_a_slot_of_the_formats_preferred_group_is_its_row() -> None:
    """A 2019 report: "（六)其性处理" between 要求行政机关确认 and 总计, where the format's preferred
    one-row 其他处理 is the one row free (its three detail rows are the 2021 format's; seed 3400063)."""
    cells = _read(_row("5.要求行政机关确认或重新出具已获取信息", "1"), _row("（六)其性处理", "3"),
                  _row("（七）总计", "9"), fmt="2019")
    assert cells[("other_total", "natural_person")] == ("3", FLAG_CLEAN)


def test_a_label_naming_two_rows_apart_names_neither() -> None:
    """Two rows' lines read as one ("信息内容规章规范性文件 …", seed 3400090): 规章's figures were taken as
    规范性文件's, wrong without a flag. A label holding two rows' names apart names neither; a row's
    own longer name holding a shorter one (其他 inside 其他法律行政法规…) still names its row."""
    for fmt in ("2019", "2021"):
        rows = list(template.load(fmt).tables["t2"].rows)
        assert template.match_row("信息内容规章规范性文件 本年新制作数量 25 本年新公开数量 25", rows) is None
        assert (row := template.match_row("规范性文件", rows)) is not None and row.code == "normative_docs"
    t3 = list(template.load("2021").tables["t3"].rows)
    row = template.match_row("2.其他法律行政法规禁止公开", t3)
    assert row is not None and row.code == "deny_law_forbidden"


def test_a_short_rows_half_read_label_alone_in_its_slot_is_its_row_by_its_enumerator() -> None:
    """"3.共做" for 3.其他 and "(七)总" for （七）总计 (seeds 3400041, 3400007: a whole row unsure): rows
    named only exactly, too short for their text to resemble; alone in their slot, the enumerator they
    kept names them. Another enumerator there names nothing."""
    fee = _row("2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请", "1")
    cells = _read(fee, _row("3.共做", "2"), _row("（七）总计", "9"))
    assert cells[("other_other", "natural_person")] == ("2", FLAG_CLEAN)
    cells = _read(fee, _row("3.其他", "2"), _row("(七)总", "9"), _row("四、结转下年度继续办理", "1"))
    assert cells[("total_processed", "natural_person")] == ("9", FLAG_CLEAN)
    wrong = _read(fee, _row("4.共做", "2"), _row("（七）总计", "9"))
    assert wrong[("other_other", "natural_person")][1] == FLAG_UNSURE


def test_a_name_half_read_inside_a_longer_label_names_its_row() -> None:
    """A 表二 with no ruling (seed 3400041): "行政现范性文件第二十条第（五）坝" (行政规范性文件 read with the
    next heading after it) named no row, and "…行政许间第二十条第（六）项" was then not alone in its slot.
    A run of the label near enough a name (six of seven characters) names it; the half-read 行政许可
    (three of four) is found by its slot. A label with no such run names nothing."""
    rows = list(template.load("2021").tables["t2"].rows)
    row = template.match_row("行政现范性文件第二十条第（五）坝", rows)
    assert row is not None and row.code == "normative_docs"
    assert template.match_row("信息内容本年处理决定数量行政许间第二十条第（六）项", rows) is None
    assert template.match_row("本年制发件数本年废止件数", rows) is None
    tpl = template.load("2021")
    raw = [RawRow(lab, tuple(RawCell(v) for v in vals), 1, exact=True) for lab, vals in (
        ("信息内容规章", ("2", "3", "9")), ("行政现范性文件第二十条第（五）坝", ("5", "23", "134")),
        ("信息内容本年处理决定数量行政许间第二十条第（六）项", ("5465",)), ("信息内容行政处罚", ("2665",)))]
    cells, _ = map_rows_table(tpl.tables["t2"], Section("t2", tuple(raw), (1,), "grid"), tpl)
    got = {(c.row, c.col): (c.raw, c.flag) for c in cells}
    assert got[("normative_docs", "in_force")] == ("134", FLAG_CLEAN)
    assert got[("licensing", "decisions")] == ("5465", FLAG_CLEAN)


def test_a_section_heading_that_lost_its_number_is_found_alone_on_its_line() -> None:
    """"三、" of 收到和处理政府信息公开申请情况 lost on a poor scan (seed 3500003): no 表三 section, the
    report refused. The heading alone on its line is 表三's; the same words in a sentence are not."""
    from gkcore.parse.readers.base import Line, locate_sections

    tpl = template.load("2021")
    lines = [Line(t) for t in ("全文包括总体情况、主动公开政府信息情况、",
                               "收到和处理政府信息公开申请情况、政府信息公开行政复议", "二、主动公开政府信息情况",
                               "规章 1 0 3", "收到和处理政府信息公开申请情况", "申请人情况",
                               "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况")]
    spans = {s.table: (s.start, s.end) for s in locate_sections(lines, tpl)}
    assert spans["t3"] == (4, 6) and spans["t2"] == (2, 4) and spans["t4"] == (6, 7)
