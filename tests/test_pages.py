"""Every page of the dashboard with Streamlit's AppTest: real content, uploads through the
uploader and the sample picker, downloads parsed back, corrections rerunning the checks."""

from __future__ import annotations

import gc
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from gkcore.model.metrics import BY_CODE
from gkcore.present.labels import vocabulary

from .conftest import BAD, FIXTURES

APP = str(Path(__file__).parent.parent / "app.py")
SAMPLES = len(list((Path(__file__).parent.parent / "data" / "samples").iterdir()))   # the bundled library
PAGES = ["app.py", "pages/compare.py", "pages/map.py", "pages/trends.py", "pages/data.py", "pages/quality.py",
         "pages/assess.py"]
HONGZE_2023 = FIXTURES / "real" / "jiangsu-huaian-hongze_2023_qu-zhengfu.pdf"
MAP_LINK_ZH = [("地图", "map")]
MAP_LINK_EN = ["Map"]
ZHANGDIAN = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, [e.message for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.message for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def frame(at: AppTest, column: str) -> pd.DataFrame:
    """The table that has this column (st.dataframe keeps no key in AppTest's tree)."""
    for d in at.dataframe:
        df = d.value
        if column in df.columns:
            return df
    raise AssertionError(f"no table with a column {column!r}")


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return frame(at, column)


def downloads(at: AppTest, again: bool = True) -> dict[str, bytes]:
    """The bytes behind every download button of the last run, read at once from the test
    runtime's in-memory media storage (before its periodic clean-up can drop them). A button
    whose file is built on click (deferred) is clicked the way the browser does: the runtime
    runs its callable, stores the file and returns its URL. In a long suite the runtime's clean-up
    can still win the race once: then the page is run again and read again (a button that never
    gives a file still fails)."""
    managers = [o for o in gc.get_objects() if isinstance(o, MediaFileManager)]
    stores = [m._storage for m in managers]
    out = {}
    for b in at.download_button:
        url = b.proto.url
        if b.proto.deferred_file_id:
            assert not url, f"{b.key}: deferred and eager at once"
            owner = next((m for m in managers if b.proto.deferred_file_id in m._deferred_callables), None)
            if owner is None and again:
                return downloads(at.run(), again=False)
            assert owner is not None, f"no deferred file for {b.key}"
            url = owner.execute_deferred(b.proto.deferred_file_id)
        file_id = url.rsplit("/", 1)[-1].split(".")[0]
        hit = next((st._files_by_id[file_id] for st in stores if file_id in getattr(st, "_files_by_id", {})), None)
        if hit is None and again:
            return downloads(at.run(), again=False)
        assert hit is not None, f"no media file for {b.key}"
        out[str(b.key)] = bytes(hit.content)
    return out


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_sample_library(page: str) -> None:
    at = start(page)
    assert at.title and at.title[0].value
    assert not at.error


def nav(at: AppTest) -> list[tuple[str, str]]:
    """The sidebar's page links: (label, URL path)."""
    return [(p.proto.label, p.proto.page) for p in at.sidebar.get("page_link")]


@pytest.mark.parametrize("page", PAGES)
def test_navigation_follows_the_language_on_every_page(page: str) -> None:
    at = start(page)
    assert nav(at) == [("报告", ""), ("对比", "compare"), *MAP_LINK_ZH, ("趋势", "trends"), ("数据", "data"),
                       ("校验", "quality"), ("评估", "assess")]
    at.radio(key="lang_choice").set_value("English").run()
    assert [label for label, _ in nav(at)] == ["Report", "Compare", *MAP_LINK_EN, "Trends", "Data", "Checks",
                                               "Assessment"]
    assert at.radio(key="lang_choice").value == "English"


def test_language_is_kept_across_pages() -> None:
    at = start()
    assert at.title[0].value == "单份报告"                       # 报告 is the landing page
    at.radio(key="lang_choice").set_value("English").run()
    at.switch_page("pages/compare.py").run()
    assert at.title[0].value == "Compare reports"
    assert at.radio(key="lang_choice").value == "English"


def test_upload_shows_identity_figures_and_failed_checks() -> None:
    at = start()
    at.file_uploader(key="upload").set_value([(HONGZE_2023.name, HONGZE_2023.read_bytes(), "application/pdf")]).run()
    assert not at.exception
    assert at.subheader[0].value == "洪泽区人民政府 · 2023"
    assert metric(at, "新收申请") == "21"
    assert metric(at, "不符") == "2"                             # 表四 review and suit_after_review blocks
    assert metric(at, "无法核对") == "0"
    bad = frame(at, "说明")
    assert "cells" not in " ".join(bad.columns) and list(bad["状态"].unique()) == ["不符"]
    at.toggle(key="codes_choice").set_value(True).run()              # the codes, on request
    bad = frame(at, "涉及单元格 [cells]")
    assert sorted(bad["涉及单元格 [cells]"].str.split(".").str[1].unique()) == ["review", "suit_after_review"]


def test_bad_upload_shows_one_message_and_others_load() -> None:
    at = start()
    at.file_uploader(key="upload").set_value([
        ("locked.pdf", (BAD / "encrypted-user-password.pdf").read_bytes(), "application/pdf"),
        ("scan.pdf", (BAD / "scanned-no-text.pdf").read_bytes(), "application/pdf"),
        (ZHANGDIAN.name, ZHANGDIAN.read_bytes(), "text/plain")]).run()
    assert not at.exception
    assert len(at.error) == 2
    assert "需要密码才能打开" in at.error[0].value and "未找到表二、表三、表四" in at.error[1].value
    assert at.subheader[0].value == "张店区人民政府办公室 · 2024"


def test_sample_picker_and_printed_table() -> None:
    at = start()
    at.selectbox(key="report_id").select_index(
        [o for o in at.selectbox(key="report_id").options].index("张店区人民政府办公室 · 2024")).run()
    assert metric(at, "新收申请") == "52" and metric(at, "办结") == "51"
    t3 = frame(at, "自然人")
    assert t3.loc["三（一）予以公开", "自然人"] == "6" and t3.loc["三（七）总计", "总计"] == "51"


def test_english_switch() -> None:
    at = start()
    at.radio(key="lang_choice").set_value("English").run()
    assert at.title[0].value == "One report"
    assert any(m.label == "New requests" for m in at.metric)


def test_correction_is_kept_and_checks_rerun() -> None:
    at = start()
    names = at.selectbox(key="report_id").options
    at.selectbox(key="report_id").select_index(names.index("张店区人民政府办公室 · 2024")).run()
    assert metric(at, "不符") == "0"
    at.text_input(key="reason").input("原文笔误").run()
    assert at.button(key="save") is not None
    # edit through the library, then rerun the page (tests/test_iface.py goes through the form)
    import ui
    lib = ui.library()
    rid = lib.reports().set_index("label").loc["张店区人民政府办公室 · 2024", "report_id"]
    lib.correct(rid, "t4", "review", "total", "3", "原文笔误")
    at.run()
    assert metric(at, "不符") == "1"
    log = frame(at, "原文（更正前）")
    assert (log.iloc[0]["原文（更正前）"], log.iloc[0]["更正为"], log.iloc[0]["更正原因"]) == ("2", "3", "原文笔误")
    assert log.iloc[0]["单元格"] == "行政复议 · 总计"


def test_unreadable_corrections_are_shown_and_kept(_isolated_cache: Path) -> None:
    """A damaged corrections.parquet: the page says so (no traceback), the reports show
    uncorrected, and the file is left as it was for the user."""
    at = start()
    damaged = _isolated_cache / "corrections.parquet"
    damaged.write_bytes(b"PAR1 not really parquet")
    at.run()
    assert not at.exception
    assert any("更正记录" in w.value for w in at.warning), [w.value for w in at.warning]
    assert metric(at, "不符") is not None
    assert damaged.read_bytes() == b"PAR1 not really parquet"


def test_compare_page_aligns_two_reports() -> None:
    at = start("pages/compare.py")
    assert len(at.multiselect(key="compare_ids").value) == 2
    al = frame(at, "单元格")
    assert al.columns[0] == "单元格" and any(c.startswith("Δ ") for c in al.columns)
    assert "一、本年新收政府信息公开申请数量 · 总计" in set(al["单元格"])
    rank = frame(at, "名次")                                           # one year: the latest
    assert list(rank["名次"]) == [1] and set(rank["年份"].astype(str)) == {"2025"}
    at.selectbox(key="rank_year").set_value(2024).run()
    rank = frame(at, "名次")
    assert list(rank["名次"]) == [1, 2, 3, 4] and set(rank["年份"].astype(str)) == {"2024"}
    at.toggle(key="codes_choice").set_value(True).run()
    assert "t3.new_received.total" in set(frame(at, "代码 [code]")["代码 [code]"])


def test_trends_page_checks_continuity() -> None:
    at = start("pages/trends.py")
    key = at.selectbox(key="agency_key")
    assert key.value == "350128:平潭综合实验区"                      # the longest series comes first
    cont = frame(at, "衔接")
    assert list(cont["年份"]) == list(range(2019, 2026))
    assert list(cont["衔接"]) == ["无法核对"] + ["一致"] * 6      # e.g. 2021 carried 1 forward, 2022 took 1 over
    assert list(cont["上年结转"])[3] == list(cont["结转下年度"])[2] == 1
    key.set_value("320813:人民政府").run()                           # 洪泽区: titles with and without 淮安市
    assert list(frame(at, "衔接")["年份"]) == [2023, 2024]


def test_data_page_downloads_parse_back() -> None:
    at = start("pages/data.py")
    # the library's files are built when a button is clicked, never on a rerun of the page
    assert {b.key for b in at.download_button if b.proto.deferred_file_id} == {
        "dl_long", "dl_long_all", "dl_wide", "dl_xlsx", "dl_parquet", "dl_wide_flags"}
    files = downloads(at)
    assert files["dl_long_all"] == files["dl_long"]             # no filter: the same reports
    long = files["dl_long"]
    assert long.startswith("\ufeff".encode())                   # BOM: Excel opens the Chinese text
    df = pd.read_csv(io.BytesIO(long), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(df.columns) == ["report_id", "agency", "region", "region_code", "year", "template", "table",
                                "row", "col", "value", "raw", "page", "flag"]
    assert df["report_id"].nunique() == SAMPLES
    hit = df[(df["agency"] == "淮安市人民政府") & (df["row"] == "new_received") & (df["col"] == "total")]
    assert hit["value"].tolist() == ["3119"]
    wide = pd.read_csv(io.BytesIO(files["dl_wide"]), encoding="utf-8-sig")
    assert len(wide) == SAMPLES and "t4.review.total" in wide.columns
    xl = pd.read_excel(io.BytesIO(files["dl_xlsx"]), sheet_name=None)
    assert set(xl) == {"long", "wide", "wide_flags", "dictionary"}
    flags = pd.read_csv(io.BytesIO(files["dl_wide_flags"]), encoding="utf-8-sig", keep_default_na=False)
    assert list(flags.columns) == list(wide.columns) and len(flags) == len(wide)
    assert set(flags["t3.new_received.total"]) <= {"", "unsure", "corrected"}
    pq = pd.read_parquet(io.BytesIO(files["dl_parquet"]))
    assert len(pq) == len(df)
    dic = pd.read_csv(io.BytesIO(files["dl_dict"]), encoding="utf-8-sig")
    assert "t3.unable_no_info.total" in set(dic["code"])


def test_quality_page_lists_failures_and_review_sheet() -> None:
    at = start("pages/quality.py")
    assert metric(at, "数字不符的报告") == "3"        # 洪泽区 2023 (表四) and 2024 (prose), 平潭 2020 (表三)
    names = at.selectbox(key="drill").options
    at.selectbox(key="drill").select_index(names.index("洪泽区人民政府 · 2023")).run()
    html = downloads(at)["dl_review"].decode("utf-8")
    assert "洪泽区人民政府 2023 年政府信息公开工作年度报告 · 审核意见" in html and "共 2 项需核实" in html


# ---- every label in the chosen language ----------------------------------------------------
def _raw_identifiers() -> set[str]:
    """The canonical codes no header, label or coded value may show as such (with show codes off)."""
    v = vocabulary()
    codes = set(v.columns) | set(BY_CODE) | {k for table in v.values.values() for k in table if k}
    return codes | {"cells", "code", "label"}


RAW = _raw_identifiers()
CODED_VALUES = {k for table in vocabulary().values.values() for k in table if k}
MISSING_MARKERS = re.compile(r"^(None|nan|NaN|NaT|<NA>)$|\bNone\b|\bnan\b")


def shown_frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe] + [t.value for t in at.table] + [
        d.value for d in at.get("arrow_data_frame") if hasattr(d, "value")]


@pytest.mark.parametrize("language", ["中文", "English"])
@pytest.mark.parametrize("page", PAGES)
def test_no_raw_identifier_and_no_missing_marker(page: str, language: str) -> None:
    at = start()
    at.radio(key="lang_choice").set_value(language).run()
    if page != "app.py":
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    frames = shown_frames(at)
    assert frames, "the page shows no table"
    for df in frames:
        headers = [str(c) for c in df.columns] + [str(n) for n in df.index.names if n is not None]
        assert not RAW & set(headers), (page, language, sorted(RAW & set(headers)))
        assert not [h for h in headers if MISSING_MARKERS.search(h)], headers
        assert not df.isna().any().any(), (page, language, list(df.columns[df.isna().any()]))
        for c in df.columns:
            if df[c].dtype == object or pd.api.types.is_string_dtype(df[c]):
                texts = {str(x) for x in df[c].tolist()}
                assert not [x for x in texts if MISSING_MARKERS.search(x)], (page, c)
                assert not texts & CODED_VALUES, (page, language, c, sorted(texts & CODED_VALUES))
                if c in ("单元格", "Cell"):                             # a cell's printed name, never its code
                    assert not [x for x in texts if re.search(r"(^|· )[a-z][a-z0-9_]*$", x)], (page, c)
    for m in at.metric:
        for text in (m.label, m.value):
            assert text not in RAW and not MISSING_MARKERS.search(str(text)), (page, language, text)
    for w in [*at.selectbox, *at.multiselect, *at.radio, *at.text_input, *at.toggle]:
        assert w.label not in RAW, (page, w.label)


def test_show_codes_reveals_the_codes() -> None:
    at = start("pages/quality.py")
    assert "report_id" not in " ".join(str(c) for c in frame_with(at, "报告").columns)
    at.toggle(key="codes_choice").set_value(True).run()
    headers = [str(c) for c in frame_with(at, "报告 [label]").columns]
    assert "报告编号 [report_id]" in headers
    at.switch_page("pages/trends.py").run()                 # kept across pages
    assert at.toggle(key="codes_choice").value is True


def test_map_page_draws_regions_lists_reports_and_sends_them_to_compare() -> None:
    at = start("pages/map.py")
    assert at.title[0].value == "地区地图"
    spec = at.get("plotly_chart")[0].proto.spec
    assert '"fill":"toself"' in spec and '"geo"' not in spec            # drawn on plain axes: offline
    assert at.selectbox(key="map_figure").value == "received"
    assert at.selectbox(key="map_year").value == 2025                    # one year: the latest
    at.selectbox(key="map_year").set_value(2024).run()
    assert at.selectbox(key="map_province").value == ""                  # several provinces: the country
    regions = at.selectbox(key="map_region")
    assert regions.options == ["江苏省", "福建省", "山东省"]              # the 2024 reports' provinces
    regions.set_value("320000").run()
    listed = next(d.value for d in at.dataframe if "状态" in d.value.columns and "名次" not in d.value.columns)
    assert len(listed) == 2                                             # the region's reports
    assert set(listed["地区"]) == {"江苏省淮安市", "江苏省淮安市洪泽区"} and set(listed["年份"].astype(str)) == {"2024"}
    league = frame(at, "名次")
    assert list(league["名次"]) == list(range(1, len(league) + 1)) and set(league["年份"].astype(str)) == {"2024"}
    assert set(league["状态"]) <= {"通过", "通过（部分无法核对）", "无法核对", "不符", "解析不确定"}
    at.selectbox(key="map_figure").set_value("disclosure_rate").run()
    assert "实质公开率" in frame(at, "名次").columns
    assert at.number_input(key="map_minimum").value == 5
    at.button(key="to_compare").click().run()
    assert at.title[0].value == "多份报告对比"
    assert len(at.multiselect(key="compare_ids").value) == 2


def test_map_page_draws_the_districts_of_one_city() -> None:
    at = start("pages/map.py")
    at.multiselect(key="map_regions").set_value(["江苏省淮安市", "江苏省淮安市洪泽区"]).run()
    assert not at.exception
    assert at.selectbox(key="map_year").value == 2024
    assert (at.selectbox(key="map_province").value, at.selectbox(key="map_city").value) == ("320000", "320800")
    assert at.selectbox(key="map_region").options == ["洪泽区"]
    assert any("本级及上级机关" in s.value for s in at.subheader)          # 淮安市's own report, apart
    apart = next(d.value for d in at.dataframe if "区划代码" in d.value.columns and "名次" not in d.value.columns)
    assert set(apart["区划代码"]) == {"320800"}


# ---- pickers are searches on the index (a national library has 10^6 reports) -------------------
def test_report_picker_is_a_search() -> None:
    at = start()
    every = list(at.selectbox(key="report_id").options)
    assert len(every) == SAMPLES                                    # a small library: every report offered
    shown = at.selectbox(key="report_id").value
    at.text_input(key="report_id_agency").input("洪泽").run()
    options = at.selectbox(key="report_id").options
    found = [o for o in options if "洪泽" in o]
    assert found and len(options) <= len(found) + 1                # the matches, and the report shown
    assert at.selectbox(key="report_id").value == shown             # the shown report stays
    at.multiselect(key="report_id_years").set_value([2023]).run()
    assert [o for o in at.selectbox(key="report_id").options if "洪泽" in o] == ["洪泽区人民政府 · 2023"]


def test_search_pickers_offer_at_most_search_max(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound itself, on the sample library: the library is asked for at most SEARCH_MAX."""
    from gkcore import library

    monkeypatch.setattr(library.Library.search, "__defaults__", (None, 3))
    at = start("pages/compare.py")
    assert len(at.multiselect(key="compare_ids").options) == 3
    assert any("只列出前 3 份" in c.value for c in at.caption)
    at.switch_page("app.py").run()
    assert len(at.selectbox(key="report_id").options) <= 4         # 3 found, and the report shown
