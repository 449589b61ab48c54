"""The readers for other forms of reports: web pages (encodings, spans, page furniture), Word
files (merged cells, legacy .doc through LibreOffice), Markdown transcriptions; the sniffing
that picks them; their typed errors; their speed."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import pytest

import gkcore
from gkcore import errors
from gkcore.parse.normalize import is_value_like, parse_value
from gkcore.parse.pipeline import READERS, sniff
from gkcore.parse.readers.base import Line, RawCell, RawRow
from gkcore.parse.readers.grid import MERGED_ABOVE, GridCell, expand_spans, grid_row
from gkcore.parse.readers.html import HtmlDoc, decode_html
from gkcore.parse.readers.lines import section_rows
from gkcore.parse.template import load

from .conftest import FIXTURES

REAL, GEN = FIXTURES / "real", FIXTURES / "generated"
SHANGHAI = REAL / "shanghai_2019_shi-zhengfu-bangongting.html"
SHUYANG = REAL / "jiangsu-suqian-shuyang_2023_fagaiju.html"
DOCX = GEN / "gen-2021-docx-merged.docx"
DOC = GEN / "gen-2021-docx-merged.doc"


def _cells(report: gkcore.ParsedReport) -> dict[str, tuple[str, object, str]]:
    return {c.ref: (c.raw, c.value, c.flag) for c in report.cells}


def _best_of_3(fn: object, data: bytes) -> float:
    best = 1e9
    for _ in range(3):
        t = time.perf_counter()
        fn(data)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best


# ---- web pages --------------------------------------------------------------------------
def test_web_page_metadata_from_title_not_site_furniture() -> None:
    r = gkcore.parse_file(SHUYANG)     # a 名称/索引号/发布机构 table stands above the title
    assert (r.meta.agency, r.meta.region, r.meta.region_code, r.meta.year, r.meta.template, r.meta.pages,
            r.meta.source_kind) == ("沭阳县发展和改革局", "江苏省宿迁市沭阳县", "321322", 2023, "2021", None, "html")
    s = gkcore.parse_file(SHANGHAI)
    assert (s.meta.agency, s.meta.region, s.meta.region_code, s.meta.year, s.meta.template) == (
        "上海市人民政府办公厅", "上海市", "310000", 2019, "2019")


def test_web_page_spans_and_blanks() -> None:
    cells = _cells(gkcore.parse_file(SHANGHAI))
    # 表二: values merged over two columns that the header row splits differently, each counted once
    assert [cells[f"t2.licensing.{c}"][0] for c in ("prev_items", "change", "decisions")] == ["0", "0", "0"]
    assert cells["t2.procurement.amount_wan"] == ("251000元", 251000, "")
    # 表三: &nbsp; cells stay blank, labels under rowspan cells read whole
    assert cells["t3.granted.research"] == ("", None, "") and cells["t3.granted.total"] == ("", None, "")
    assert cells["t3.deny_admin_query.commercial"] == ("2", 2, "")
    assert [cells[f"t4.suit_direct.{c}"][0] for c in ("upheld", "corrected", "other", "pending", "total")] == [
        "8", "", "", "1", "9"]


@pytest.mark.parametrize("wrapped", ["7<br />67", "7\n67", "<p>7</p><p>67</p>"])
def test_number_wrapped_in_its_cell_is_one_number(wrapped: str) -> None:
    """767 printed over two lines of a narrow cell; 821 + 18 = 767 + 72 says it is 767."""
    page = SHANGHAI.read_text(encoding="utf-8").replace('<p align="center">767</p>', wrapped)
    assert wrapped in page
    r = gkcore.parse_bytes(page.encode("utf-8"), "wrapped.html")
    assert _cells(r)["t3.total_processed.natural_person"] == ("767", 767, "")
    assert next(k.status for k in r.checks if (k.rule, k.scope) == ("t3_column_balance", "col:natural_person")) \
        == "pass"


def test_table_continued_in_a_second_table_reads_the_same() -> None:
    """表三 cut in two tables (as pages pasted from Word often are): the second part has lost the
    first column, whose 三、本年度办理结果 spanned both; each row still comes with its label."""
    page = SHUYANG.read_text(encoding="utf-8")
    cut = '<tr><td rowspan="5">（五）不予处理</td>'
    assert cut in page
    split = page.replace(cut, '</tbody></table>\n<p>（续表）</p>\n<table border="1"><tbody>' + cut)
    got = gkcore.parse_bytes(split.encode("utf-8"), "split.html")
    assert _cells(got) == _cells(gkcore.parse_file(SHUYANG))
    assert not [c for c in got.cells if c.flag]


def _furnished(page: str) -> str:
    """The report inside a saved portal page: navigation, scripts, styles, a hidden block, a
    layout table around the content, a footer; one paragraph with a GBK-only character."""
    head, body = page.split("<body>", 1)
    body, tail = body.rsplit("</body>", 1)
    declared = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    return (head.replace('<meta charset="utf-8">', declared)
            + "<body><div class='nav'><ul><li>首页</li><li>政务公开</li><li>政府信息公开年报</li></ul></div>"
            + "<script>document.write('三、收到和处理政府信息公开申请情况 1 2 3');</script>"
            + "<style>.x{content:'五、存在的主要问题'}</style><div style='display:none'>一、本年新收 9 9 9</div>"
            + "<table width='100%'><tr><td class='side'>栏目导航</td><td>" + body
            + "<p>朱镕基同志&lt;script&gt;题词</p></td></tr></table>"
            + "<div class='footer'>主办单位：沭阳县人民政府办公室 地址：沭阳县人民中路8号 苏ICP备05012345号</div>"
            + "</body>" + tail)


def test_saved_portal_page_in_gb2312_reads_as_the_plain_page() -> None:
    plain = SHUYANG.read_text(encoding="utf-8")
    data = _furnished(plain).encode("gb18030")
    assert sniff(data, "page.htm") == "html"
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")                        # 镕 is GBK, not GB2312: decoded as GB18030
    doc = HtmlDoc(data)
    assert any(ln.text == "朱镕基同志<script>题词" for ln in doc.lines)   # text stays text
    assert not any("document.write" in ln.text or "9 9 9" in ln.text for ln in doc.lines)
    got, want = gkcore.parse_bytes(data, "page.htm"), gkcore.parse_file(SHUYANG)
    assert _cells(got) == _cells(want)
    assert (got.meta.agency, got.meta.region_code, got.meta.year) == (want.meta.agency, want.meta.region_code, 2023)


def test_decoding_prefers_valid_utf8_over_a_stale_declaration() -> None:
    page = '<html><head><meta charset="gbk"></head><body>沭阳县</body></html>'
    assert "沭阳县" in decode_html(page.encode("utf-8"))
    assert "沭阳县" in decode_html(page.encode("gb18030"))
    assert "沭阳县" in decode_html(b"\xef\xbb\xbf" + page.encode("utf-8"))


def test_spans_expanded_once_and_numbers_never_repeated_down() -> None:
    rows = [[GridCell("三、本年度办理结果", rowspan=3), GridCell("（一）予以公开", colspan=2), GridCell("5"),
             GridCell("0", colspan=2)],
            [GridCell("（三）不予公开", rowspan=2), GridCell("1.属于国家秘密"), GridCell("7", rowspan=2), GridCell(""),
             GridCell("2")],
            [GridCell("2.其他法律行政法规禁止公开"), GridCell("3"), GridCell("")]]
    out = [grid_row(slots)[1] for slots in expand_spans(rows)]
    assert [(r.label, [v.text for v in r.values]) for r in out] == [
        ("三、本年度办理结果 （一）予以公开", ["5", "0"]),
        ("三、本年度办理结果 （三）不予公开 1.属于国家秘密", ["7", "", "2"]),
        ("三、本年度办理结果 （三）不予公开 2.其他法律行政法规禁止公开", [MERGED_ABOVE, "3", ""])]
    assert parse_value(MERGED_ABOVE) is None and not is_value_like(MERGED_ABOVE)


@pytest.mark.parametrize(("page", "message"), [
    (b"<!DOCTYPE html><html><body><script>load('report')</script></body></html>", "网页中没有可读的正文"),
    (b"<html><frameset><frame src='a.htm'><frame src='b.htm'></frameset></html>", "网页中没有可读的正文.*框架页"),
    (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "不是政府信息公开工作年度报告"),
])
def test_bad_web_pages_raise_typed_errors(page: bytes, message: str) -> None:
    with pytest.raises(errors.GkError, match=message):
        gkcore.parse_bytes(page, "bad.html")


def test_web_page_is_fast() -> None:
    for path in (SHANGHAI, SHUYANG):
        assert _best_of_3(HtmlDoc, path.read_bytes()) < 0.5


# ---- Word files -------------------------------------------------------------------------
def _docx(build: object) -> bytes:
    d = docx.Document()
    build(d)  # type: ignore[operator]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_word_merges_read_once() -> None:
    """python-docx's row.cells repeats a merged cell in every column and row it covers; the reader
    reads the XML: a value merged over two columns counts once, a label merged down lends its
    text to the rows below without becoming a row of its own."""
    def build(d: docx.document.Document) -> None:
        d.add_paragraph("某县人民政府办公室2023年政府信息公开工作年度报告")
        d.add_paragraph("二、主动公开政府信息情况")
        t = d.add_table(rows=3, cols=4)
        t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（五）项"
        t.cell(1, 0).text = "行政许可"
        t.cell(1, 1).merge(t.cell(1, 2)).text = "12"
        t.cell(1, 3).text = "3"
        t.cell(2, 0).text = "行政处罚"
        t.cell(2, 1).merge(t.cell(2, 3)).text = "45"
        assert [c.text for c in t.rows[1].cells] == ["行政许可", "12", "12", "3"]   # what python-docx gives

    doc = READERS["docx"](_docx(build))
    rows = doc.read_sections(load("2021"))["t2"].rows
    assert [(r.label, [v.text for v in r.values]) for r in rows] == [("行政许可", ["12", "3"]), ("行政处罚", ["45"])]


def test_word_report_inside_a_layout_table_reads_the_same() -> None:
    """The whole report put in a one-cell frame table: its inner tables are still the data."""
    src = docx.Document(str(DOCX))
    body = src.element.body
    frame = src.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)._tc
    for el in [e for e in body.iterchildren() if e is not frame._tbl and not e.tag.endswith("sectPr")]:
        cell.append(el)
    buf = io.BytesIO()
    src.save(buf)
    got = gkcore.parse_bytes(buf.getvalue(), "framed.docx")
    assert _cells(got) == _cells(gkcore.parse_file(DOCX))


def test_word_report_with_merges_equals_its_truth_and_is_fast() -> None:
    r = gkcore.parse_file(DOCX)          # the whole truth is checked in test_truth.py
    assert r.meta.source_kind == "docx" and {t.method for t in r.tables} == {"docx"}
    assert _best_of_3(READERS["docx"], DOCX.read_bytes()) < 0.5


def test_corrupt_docx_raises_typed_error(tmp_path: Path) -> None:
    data = DOCX.read_bytes()
    with pytest.raises(errors.CorruptDocx, match="Word（.docx）文件已损坏或不完整"):
        gkcore.parse_bytes(data[: len(data) // 2], "truncated.docx")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, b"<w:document><w:body>" if name == "word/document.xml" else src.read(name))
    with pytest.raises(errors.CorruptDocx, match="重新另存为 .docx"):
        gkcore.parse_bytes(broken.getvalue(), "bad-xml.docx")


def test_legacy_doc_without_libreoffice_says_how_to_convert(monkeypatch: pytest.MonkeyPatch) -> None:
    data = DOC.read_bytes()
    assert sniff(data, DOC.name) == "doc"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(errors.LegacyWordNeedsConversion, match="旧版 Word（.doc）.*另存为” .docx"):
        gkcore.parse_bytes(data, DOC.name)


def test_legacy_doc_conversion_timeout_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(cmd: list[str], **kw: object) -> None:
        raise subprocess.TimeoutExpired(cmd, 120)

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/soffice")
    monkeypatch.setattr(subprocess, "run", slow)
    with pytest.raises(errors.LegacyWordConversionFailed, match="转换失败.*超过 120 秒"):
        gkcore.parse_bytes(DOC.read_bytes(), DOC.name)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_legacy_doc_through_libreoffice_equals_the_docx() -> None:
    got, want = gkcore.parse_file(DOC), gkcore.parse_file(DOCX)
    assert got.meta.source_kind == "doc"
    assert _cells(got) == _cells(want) and got.meta.agency == want.meta.agency


# ---- transcriptions (OCR text, PDF-to-Markdown) -----------------------------------------
def test_markdown_blank_cells_stay_blank() -> None:
    cells = _cells(gkcore.parse_file(REAL / "shanghai_2024_kewei.pdfextract.md"))
    assert cells["t3.carry_forward.natural_person"] == ("1", 1, "")
    assert cells["t3.carry_forward.total"] == ("", None, "")


def test_markdown_row_without_label_takes_only_an_unambiguous_one() -> None:
    table = load("2021").tables["t3"]
    lines = [Line("（二）部分公开（区分处理的，只计这一情"), Line("形，不计其他情形）"), Line("| 2 | 0 |"),
             Line("5.属于三类内部事务信"), Line("1.本机关不掌握相关政"), Line("| 1 | 0 |")]
    vals = RawRow("", (RawCell("2"), RawCell("0")), exact=True)
    rows = section_rows(lines, {2: vals, 5: vals}, 0, len(lines), table)
    assert [r.label for r in rows] == ["(二)部分公开(区分处理的,只计这一情 形,不计其他情形)", ""]  # NFKC


def test_ocr_markdown_headings_and_tables() -> None:
    r = gkcore.parse_file(REAL / "jiangsu-suqian-shuyang_2025_xian-zhengfu.ocr.txt")
    cells = _cells(r)
    assert (r.meta.year, r.meta.template) == (2025, "2021")
    assert cells["t3.new_received.total"][1] == 713 and cells["t4.review.total"][1] == 61
    assert cells["t2.fees.amount_wan"][1] == 4068.208
    assert not [c for c in r.cells if c.flag]


# ---- sniffing ---------------------------------------------------------------------------
def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "x")
    return buf.getvalue()


@pytest.mark.parametrize(("data", "kind"), [
    (b"\xef\xbb\xbf<!-- saved from url=(0041)http://www.gov.cn/ -->\n<html>", "html"),
    (b'<?xml version="1.0" encoding="gb2312"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0">', "html"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le"), "doc"),
    (b"2024\xe5\xb9\xb4 <b>", "text"),
])
def test_sniff_kinds(data: bytes, kind: str) -> None:
    assert sniff(data, "x") == kind


@pytest.mark.parametrize(("data", "message"), [
    (_zip(["[Content_Types].xml", "xl/workbook.xml"]), "Excel 表格"),
    (_zip(["a.txt"]), "ZIP 压缩包"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "Workbook".encode("utf-16-le"), "旧版 Excel"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n", r"单文件网页（\.mht）"),
])
def test_sniff_refuses_other_files_saying_what_they_are(data: bytes, message: str) -> None:
    with pytest.raises(errors.UnsupportedFileType, match=message) as info:
        sniff(data, "x")
    assert "网页（.html）、Word（.docx 或 .doc）" in info.value.message
