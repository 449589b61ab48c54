"""The interface in either language, with AppTest: no interface text in the other language on
any page (data such as agency names, file names and the printed cells apart), choices kept in
the URL's query parameters (a link opened in a new session shows the same view), corrections
checked, confirmed, undone and deleted with the log kept, the source view of a text report,
and an upload's messages (a ZIP names its reports; the next action clears them)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from gkcore.model.notes import parse_note

from .conftest import FIXTURES
from .test_pages import APP, PAGES, start

HAN = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")      # Chinese characters and full-width punctuation
# In Chinese, English words that are names rather than words of the interface.
ZH_ALLOWED = {"PDF", "ZIP", "Word", "Excel", "CSV", "Parquet", "BOM", "UTF", "OCR", "PNG", "SVG", "English",
              "Language", "cnmaps", "data", "GB", "xlsx", "flag", "corrected", "Δ", "SUM"}
ZHANGDIAN = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
ZHANGDIAN_LABEL = "张店区人民政府办公室 · 2024"


def _data_strings(at: AppTest) -> list[str]:
    """What the library holds (agencies, report labels, file names, printed cells): data, not
    interface, in either language; the longest first, so a label goes before its agency."""
    import ui

    lib = ui.library()
    reps = lib.reports()
    cells = lib.cells(reps["report_id"].tolist())
    out = set(reps["agency"]) | set(reps["label"]) | set(reps["source_name"]) | set(cells["raw"]) \
        | set(lib.frames().numbered.values()) | set(reps["label"].map(lambda x: f"Δ {x}"))
    for note in cells["note"].tolist():          # what a note quotes from the report (its readings, a text)
        got = parse_note(str(note))
        for v in (got[1].values() if got else ()):
            out |= {str(x) for x in v} if isinstance(v, list) else {str(v)}
    return sorted((s for s in map(str, out) if s), key=len, reverse=True)


# Columns that hold data (as the report prints it or the user typed it), in either language.
DATA_COLUMNS = {"报告", "Report", "机关", "Agency", "原文", "As printed", "来源文件", "Source file", "中文名称",
                "Chinese label", "英文名称", "English label", "更正为", "Corrected to", "原文（更正前）",
                "As printed (before)", "更正原因", "Reason", "区划代码", "Region code", "更正时间", "Corrected at",
                "代码", "Code"}                  # the canonical codes: the same in either language


def interface_text(at: AppTest) -> list[str]:
    """Every text of the interface on the page: headings, captions, messages, widget labels and
    options, metric labels, table headers and the values of the tables' non-data columns."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    for w in [*at.selectbox, *at.multiselect, *at.radio]:
        out += [w.label, *map(str, w.options)]
    for w in [*at.button, *at.text_input, *at.toggle, *at.number_input, *at.expander]:
        out.append(str(w.label))
    out += [m.label for m in at.metric]
    for d in [*at.dataframe, *at.table]:
        df: pd.DataFrame = d.value
        out += [str(c) for c in df.columns if str(c) not in DATA_COLUMNS]
        for c in df.columns:
            if str(c) not in DATA_COLUMNS and (df[c].dtype == object or pd.api.types.is_string_dtype(df[c])):
                out += [str(x) for x in df[c].head(200).tolist()]
    for chart in at.get("plotly_chart"):                     # titles, legends, axis and node labels
        _chart_words(json.loads(chart.proto.spec), out)
    # Markdown escapes (ui.plain) and Plotly's <br> are no words
    return [re.sub(r"<[^>]+>", " ", s.replace("\\", "")) for s in out if s]


def _chart_words(spec: object, out: list[str], key: str = "") -> None:
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k not in ("hovertemplate", "customdata", "hovertext", "geojson", "locations", "ids", "meta"):
                _chart_words(v, out, k)
    elif isinstance(spec, list):
        for v in spec:
            _chart_words(v, out, key)
    elif isinstance(spec, str) and key in ("text", "name", "ticktext", "label", "title"):
        out.append(spec)


def foreign(texts: list[str], data: list[str], lang: str) -> list[str]:
    """The texts that hold words of the other language once the data are taken out."""
    bad = []
    for text in texts:
        rest = text
        for d in data:
            if d in rest:
                rest = rest.replace(d, " ")
        if lang == "en":
            rest = rest.replace("语言 / Language", "").replace("中文", "")     # the switch names both
            if HAN.search(rest):
                bad.append(text)
        else:
            rest = rest.replace("语言 / Language", "")
            words = set(re.findall(r"[A-Za-z]{2,}", rest)) - ZH_ALLOWED
            if words:
                bad.append(f"{text}  <- {sorted(words)}")
    return bad


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_interface_text_in_the_other_language(language: str) -> None:
    at = start()
    if language == "en":
        at.radio(key="lang_choice").set_value("English").run()
    data = _data_strings(at)
    found: dict[str, list[str]] = {}
    for page in PAGES:
        if page != "app.py":
            at.switch_page(page).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        texts = interface_text(at)
        assert texts, page
        bad = foreign(texts, data, language)
        if bad:
            found[page] = bad[:10]
    assert not found, found


def test_english_has_no_full_width_colon_and_english_region_names() -> None:
    at = start()
    at.radio(key="lang_choice").set_value("English").run()
    caption = at.caption[0].value.replace("\\", "")
    assert "：" not in caption and "（" not in caption
    assert "Region: Pingtan County, Fuzhou City, Fujian Province (350128)" in caption
    at.switch_page("pages/data.py").run()
    regions = set(next(d.value for d in at.dataframe if "Region" in d.value.columns)["Region"])
    assert "Hongze District, Huai'an City, Jiangsu Province" in regions, regions


def test_a_link_opened_in_a_new_session_shows_the_same_view() -> None:
    """Choices made on 对比 are in the URL; a new session given those query parameters (a link
    opened in another browser) shows the same language, reports, years and ranking."""
    at = start("pages/compare.py")
    at.radio(key="lang_choice").set_value("English").run()
    options = at.multiselect(key="compare_ids").options
    picked = [o for o in options if o.startswith("平潭综合实验区")][2:5]
    ms = at.multiselect(key="compare_ids")
    for o in list(ms.value):
        ms.unselect(o)
    for o in picked:
        ms.select(o)
    ms.run()
    at.selectbox(key="rank_by").set_value("suits").run()
    link = dict(at.query_params)
    assert link["lang"] == "en" and link["rank_by"] == "suits" and len(link["compare_ids"]) == 3

    fresh = AppTest.from_file(APP, default_timeout=90)
    fresh.query_params.update(link)
    fresh.run()
    fresh.switch_page("pages/compare.py")
    fresh.query_params.update(link)              # a link opens the page itself with its parameters
    fresh.run()
    assert not fresh.exception, [e.message for e in fresh.exception]
    assert fresh.title[0].value == "Compare reports"
    assert fresh.multiselect(key="compare_ids").value == at.multiselect(key="compare_ids").value
    assert fresh.selectbox(key="rank_by").value == "suits"
    fresh.run()                                  # a reload keeps it
    assert fresh.multiselect(key="compare_ids").value == at.multiselect(key="compare_ids").value


def test_a_link_to_a_report_this_library_lacks_falls_back() -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"report_id": "0000000000000000", "lang": "xx", "source_cell": "t9.no.such"})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "单份报告"                       # an unknown language: Chinese
    assert at.selectbox(key="report_id").value is not None


def _pick(at: AppTest, label: str) -> None:
    names = at.selectbox(key="report_id").options
    at.selectbox(key="report_id").select_index(names.index(label)).run()


def test_correction_checked_confirmed_undone_deleted_and_logged() -> None:
    at = start()
    _pick(at, ZHANGDIAN_LABEL)
    at.selectbox(key="source_cell").set_value("t4.review.total").run()
    assert at.text_input(key="orig_t4.review.total").value == "2"       # the original beside
    at.text_input(key="new_t4.review.total").input("abc").run()
    at.button(key="save").click().run()
    assert any("“abc”不是数字" in e.value for e in at.error), [e.value for e in at.error]
    import ui

    assert ui.library().frames().corrections.empty                  # nothing saved

    at.text_input(key="new_t4.review.total").input("3").run()
    at.button(key="save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("已保存" in s.value and "“3”" in s.value for s in at.success), [s.value for s in at.success]
    assert next(m.value for m in at.metric if m.label == "不符") == "1"
    at.run()                                                        # the next action clears the confirmation
    assert not any("已保存" in s.value for s in at.success)

    at.button(key="undo").click().run()
    assert next(m.value for m in at.metric if m.label == "不符") == "0"
    at.text_input(key="new_t4.review.total").input("4").run()
    at.button(key="save").click().run()
    at.button(key="delete").click().run()
    assert next(m.value for m in at.metric if m.label == "不符") == "0"
    log = next(d.value for d in at.dataframe if "操作" in d.value.columns)
    assert list(log["操作"]) == ["更正", "撤销", "更正", "删除更正"]              # the audit trail is kept
    assert list(log["更正为"])[:3:2] == ["3", "4"]


def test_source_view_of_a_text_report_marks_the_line() -> None:
    at = start()
    _pick(at, ZHANGDIAN_LABEL)
    at.selectbox(key="source_cell").set_value("t3.granted.total").run()
    html = next(h.proto.body for h in at.get("html") if "gkSource" in h.proto.body)
    marked = re.search(r"<mark>(.*?)</mark>", html)
    assert marked and marked.group(1) == "（一）予以公开 6 0 0 0 0 0 6"
    line = int(re.search(r"第 (\d+) 行", " ".join(c.value for c in at.caption)).group(1))    # type: ignore[union-attr]
    assert ZHANGDIAN.read_text(encoding="utf-8").splitlines()[line - 1].strip() == marked.group(1)


def _zip(*paths: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in paths:
            z.writestr(p.name, p.read_bytes())
    return buf.getvalue()


def test_a_zip_names_every_report_and_the_next_action_clears_messages() -> None:
    at = start()
    two = _zip(ZHANGDIAN, FIXTURES / "real" / "jiangsu-suqian-shuyang_2023_fagaiju.html")
    bad = (FIXTURES / "real" / "nonexistent.txt", b"\x00\x01not a report")
    at.file_uploader(key="upload").set_value([("two.zip", two, "application/zip"),
                                             ("bad.pdf", bad[1], "application/pdf")]).run()
    assert not at.exception, [e.message for e in at.exception]
    said = " ".join(s.value for s in at.success).replace("\\", "")
    assert "two.zip：读取了 2 份报告" in said and ZHANGDIAN_LABEL in said, said
    assert len(at.error) == 1 and "bad.pdf" in at.error[0].value.replace("\\", "")
    at.selectbox(key="source_cell").set_value("t3.granted.total").run()        # the next action
    assert not at.error and not any("two.zip" in s.value for s in at.success)
