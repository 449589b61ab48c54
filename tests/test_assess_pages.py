"""评估 in the dashboard with Streamlit's AppTest: the page ranks the sample library, shows one
report's criteria with the evidence and page images, gives the sheet (HTML, PDF) and the Excel
workbook; an upload on 报告 shows its self-check (发布前自查) at once, for a PDF or a DOCX draft."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from bs4 import BeautifulSoup

from .conftest import FIXTURES
from .test_pages import downloads, frame, start

PAGE = "pages/assess.py"
HONGZE_2023 = FIXTURES / "real" / "jiangsu-huaian-hongze_2023_qu-zhengfu.pdf"
DOCX = FIXTURES / "generated" / "gen-2021-docx-merged.docx"


def _frame(at, column: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_assess_page_ranks_and_shows_one_report_with_its_sheet() -> None:
    at = start(PAGE)
    assert at.title[0].value == "评估"
    ranking = _frame(at, "评估得分")
    assert len(ranking) == 13 and list(ranking["名次"]) == list(range(1, 14))
    scores = pd.to_numeric(ranking["评估得分"], errors="coerce")
    assert scores.is_monotonic_decreasing and scores.iloc[0] == 100.0     # 张店区 2024: every indexed criterion met
    names = at.selectbox(key="assess_report").options
    at.selectbox(key="assess_report").select_index(names.index("洪泽区人民政府 · 2023")).run()
    assert not at.exception
    crit = _frame(at, "项目")
    assert "数据准确" in set(crit["项目"]) and any("不符合" in s for s in crit["结论"])
    at.selectbox(key="assess_evidence").set_value("complete").run()
    assert at.image, "the evidence's page is shown as on 报告"
    files = downloads(at)
    soup = BeautifulSoup(files["assess_html"].decode("utf-8"), "html.parser")
    assert "洪泽区人民政府 2023 年政府信息公开工作年度报告 · 评估表" in soup.title.text
    assert files["assess_pdf"].startswith(b"%PDF-")


def test_assess_page_filters_by_year_and_makes_the_workbook() -> None:
    at = start(PAGE)
    at.multiselect(key="assess_years").set_value([2024]).run()
    ranking = _frame(at, "评估得分")
    assert set(ranking["年份"]) == {2024} and len(ranking) == 4      # 平潭, 洪泽区, 淮安市, 张店区
    book = pd.read_excel(io.BytesIO(downloads(at)["assess_xlsx"]), sheet_name=None)
    assert set(book) == {"scores", "criteria"}
    assert len(book["scores"]) == 4 and len(book["criteria"]) == 4 * 8
    assert set(book["criteria"]["criterion"]) >= {"on_time", "not_copied", "carry_over"}


def test_upload_shows_the_self_check_at_once() -> None:
    at = start()
    at.file_uploader(key="upload").set_value([(HONGZE_2023.name, HONGZE_2023.read_bytes(), "application/pdf")]).run()
    assert not at.exception
    assert any(s.value == "发布前自查" for s in at.subheader)
    crit = _frame(at, "项目")
    assert len(crit) == 8
    assert "数据准确" in set(crit["项目"])


def test_a_docx_draft_gets_its_self_check() -> None:
    at = start()
    data = Path(DOCX).read_bytes()
    at.file_uploader(key="upload").set_value([("draft.docx", data, "application/octet-stream")]).run()
    assert not at.exception
    assert any(s.value == "发布前自查" for s in at.subheader)
    crit = _frame(at, "项目")
    status = dict(zip(crit["项目"], crit["结论"], strict=True))
    assert "无法判断" in status["按时发布"]       # a draft prints no date


def test_map_shows_the_score_as_a_mean_and_says_what_it_adds_up() -> None:
    """The map's figure can be the assessment score: a region's mean over its reports of one year
    (a duplicate once), said on the page (the year, how many reports, 平均分); the league table
    ranks by it; no request minimum is asked (a score is not a rate)."""
    at = start("pages/map.py")
    at.selectbox(key="map_year").set_value(2024).run()
    at.selectbox(key="map_figure").set_value("assess_score").run()
    assert not at.exception
    assert not at.number_input, "a score needs no minimum of requests"
    league = frame(at, "名次")
    scores = pd.to_numeric(league["评估得分"], errors="coerce")
    assert scores.is_monotonic_decreasing and scores.notna().all() and set(league["年份"].astype(str)) == {"2024"}
    caption = " ".join(c.value for c in at.caption)
    assert f"2024 年度 · {len(league)} 份报告" in caption
    assert f"平均分（满分 100；图中各地区共 {len(league)} 份报告有得分" in caption
    assert "无法评分的报告排在最后" in caption                                  # the league table's order
    data = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    hover = next(t["text"] for t in data if t.get("name") == "江苏省")
    jiangsu = league[league["地区"].str.startswith("江苏省")]
    mean = pd.to_numeric(jiangsu["评估得分"]).mean()
    assert len(jiangsu) == 2 and f"评估得分：{mean:.1f}（平均分，2 份报告）" in hover      # its two reports' mean
    assert [t["marker"]["cmax"] for t in data if "cmax" in t.get("marker", {})] == [100]   # 0–100, not 0–max
