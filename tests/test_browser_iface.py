"""The interface in a real browser (Debian's Chromium driven by Playwright, as tests/test_browser.py):
a view's link opened in a fresh browser context shows the same view; a click on a cell of a
printed table shows where it was read, in the source text with its line marked for a TXT report
and on the page image for a PDF; in Chinese, Streamlit's and Plotly's own words are Chinese;
printing hides the sidebar and the widgets and prints the tables whole.

Skipped when /usr/bin/chromium is missing, except under CI=true, where it fails instead."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import FIXTURES
from .server import CHROMIUM_ARGS, browser_page, click_row, open_landing
from .test_browser import ARTIFACTS, TIMEOUT_MS, app_url, chromium  # noqa: F401 - fixtures

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

TXT = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
PDF = FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf"


def test_a_shared_link_opens_the_same_view_in_a_fresh_browser(chromium: Path, app_url: str) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            first = browser.new_context(viewport={"width": 1400, "height": 1600}).new_page()
            first.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            first.goto(f"{app_url}/compare")
            main = first.get_by_test_id("stMain")
            expect(main.get_by_role("heading", name="多份报告对比")).to_be_visible()
            first.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
            expect(main.get_by_role("heading", name="Compare reports")).to_be_visible()
            first.wait_for_timeout(1000)
            expect(first.get_by_test_id("stStatusWidget")).to_have_count(0)      # the rerun is over
            rank = first.get_by_test_id("stSelectbox").filter(has_text="Rank by")
            rank.get_by_role("combobox").click()
            first.keyboard.type("Lawsuits")
            first.get_by_role("option", name="Lawsuits", exact=True).click()
            expect(rank.get_by_role("combobox")).to_have_value("Lawsuits")
            tags = first.get_by_test_id("stMultiSelect").filter(has_text="Reports to compare").locator("[data-tag]")
            expect(tags).to_have_count(2)
            chosen = tags.all_inner_texts()
            expect(first).to_have_url(re.compile(r"rank_by=suits"))
            link = first.url
            assert "lang=en" in link and link.count("compare_ids=") == 2, link

            # a new context: no cookies, no session, nothing but the link
            second = browser.new_context(viewport={"width": 1400, "height": 1600}).new_page()
            second.set_default_timeout(TIMEOUT_MS)
            second.goto(link)
            main2 = second.get_by_test_id("stMain")
            expect(main2.get_by_role("heading", name="Compare reports")).to_be_visible()
            rank2 = second.get_by_test_id("stSelectbox").filter(has_text="Rank by").get_by_role("combobox")
            expect(rank2).to_have_value("Lawsuits")
            tags2 = second.get_by_test_id("stMultiSelect").filter(has_text="Reports to compare").locator("[data-tag]")
            expect(tags2).to_have_count(2)
            assert tags2.all_inner_texts() == chosen
            second.reload()                                         # a reload keeps it too
            expect(main2.get_by_role("heading", name="Compare reports")).to_be_visible()
            expect(rank2).to_have_value("Lawsuits")
            ARTIFACTS.mkdir(exist_ok=True)
            second.screenshot(path=ARTIFACTS / "browser-shared-link.png")
        finally:
            browser.close()


def _click_granted(page: Page, report: Path, heading: str) -> None:
    """Upload `report` on 报告 and, once its heading `heading` shows, click the third printed row of
    its 表三 (三（一）予以公开)."""
    from playwright.sync_api import expect

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(report)
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=heading)).to_be_visible()
    t3 = page.get_by_test_id("stExpander").filter(has_text="表三").get_by_test_id("stDataFrame")
    expect(t3.locator("canvas").first).to_be_visible()
    t3.scroll_into_view_if_needed()
    click_row(page, t3, 2)


def test_click_a_cell_to_see_its_source_txt_and_pdf(chromium: Path, app_url: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    with browser_page(chromium, 2400, TIMEOUT_MS) as page:
        errors = open_landing(page, app_url)

        # ---- a TXT report: its line marked in the source text --------------------------------
        _click_granted(page, TXT, "张店区人民政府办公室 · 2024")
        cell = page.get_by_test_id("stSelectbox").filter(has_text="单元格").get_by_role("combobox")
        expect(cell).to_have_value(re.compile("予以公开"))
        source = page.locator(".gk-source")
        expect(source.locator("mark")).to_have_text("（一）予以公开 6 0 0 0 0 0 6")
        expect(page.get_by_test_id("stCaptionContainer").filter(has_text=re.compile(r"第 \d+ 行"))).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "browser-source-txt.png")

        # ---- a PDF: the page image --------------------------------------------------------------
        _click_granted(page, PDF, "淮安市人民政府 · 2024")
        expect(cell).to_have_value(re.compile("予以公开"))
        image = page.get_by_test_id("stImage")
        expect(image).to_be_visible()
        expect(image).to_contain_text(re.compile(r"第 \d+ 页 · 三（一）予以公开 · 总计：原件印为“\d+”"))
        page.screenshot(path=ARTIFACTS / "browser-source-pdf.png")
        assert not errors, errors


def test_chinese_words_of_streamlit_and_plotly_and_print(chromium: Path, app_url: str) -> None:  # noqa: F811
    """In Chinese the uploader says 选择文件, Plotly's camera says 下载图片, there is no "Made with
    Streamlit"; printed, the sidebar and the widgets are gone and every table is a whole HTML table."""
    from playwright.sync_api import expect

    with browser_page(chromium, 1600, TIMEOUT_MS) as page:
        open_landing(page, app_url)
        zone = page.get_by_test_id("stFileUploaderDropzone")
        after = zone.get_by_test_id("stBaseButton-secondary").evaluate("b => getComputedStyle(b, '::after').content")
        assert after == '"选择文件"', after
        ARTIFACTS.mkdir(exist_ok=True)
        zone.screenshot(path=ARTIFACTS / "browser-uploader-zh.png")
        assert "Made with Streamlit" not in page.content()
        chart = page.get_by_test_id("stPlotlyChart").first
        chart.hover()
        camera = chart.locator(".modebar-btn").first
        expect(camera).to_have_attribute("data-title", re.compile("下载图片"))
        page.emulate_media(media="print")
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()
        expect(page.get_by_test_id("stFileUploader")).to_be_hidden()
        expect(page.locator(".gk-print table").first).to_be_visible()
        page.screenshot(path=ARTIFACTS / "browser-print.png", full_page=True)


def test_a_click_on_an_unsure_cell_of_the_checks_page_shows_it_on_the_report(chromium: Path,  # noqa: F811
                                                                          app_url: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    with browser_page(chromium, 2400, TIMEOUT_MS) as page:
        main = page.get_by_test_id("stMain")
        page.goto(f"{app_url}/quality")
        expect(main.get_by_role("heading", name="解析不确定的单元格")).to_be_visible()
        grid = page.get_by_test_id("stDataFrame").filter(has=page.locator("thead", has_text="备注")).first
        expect(grid.locator("canvas").first).to_be_visible()
        grid.scroll_into_view_if_needed()
        first = grid.locator("tbody tr").first.locator("td")
        report, cell = first.nth(0).inner_text(), first.nth(1).inner_text()
        click_row(page, grid, 0, x=60)                 # the first row, in its report's column
        expect(main.get_by_role("heading", name="单份报告")).to_be_visible()
        expect(main.get_by_role("heading", name=report)).to_be_visible()
        chosen = page.get_by_test_id("stSelectbox").filter(has_text="单元格").get_by_role("combobox")
        expect(chosen).to_have_value(cell)
        expect(page.locator(".gk-source mark").or_(page.get_by_test_id("stImage"))).to_be_visible()
        page.screenshot(path=ARTIFACTS / "browser-quality-to-report.png")
