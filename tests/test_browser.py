"""The running app in a real browser: Debian's Chromium driven by Playwright against
`streamlit run app.py`. Every page's URL opened as the very first request after a fresh server
start shows the dashboard's own navigation; the map draws its regions with every request off
this machine refused; upload a real report, see its figures and charts, then compare it with
another report; a scan shows its progress at the top. Screenshots go to test-artifacts/.

Skipped when /usr/bin/chromium is missing, except under CI=true, where it fails instead
(.ci/run installs chromium and the CJK fonts the screenshots need)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import FIXTURES
from .server import ROOT, browser_page, need_chromium, open_landing, streamlit_app

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
PDF = FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf"
AGENCY = "淮安市人民政府"
TIMEOUT_MS = 45_000      # the first page run ingests the four sample reports (~10 s on 2 cores)


# Every page: its URL path, its heading, and the navigation it must show (Streamlit's own list of
# file names must not appear, whichever page the server runs first).
PAGE_URLS = [("", "单份报告"), ("compare", "多份报告对比"), ("map", "地区地图"), ("trends", "历年趋势"),
             ("data", "数据与下载"), ("quality", "校验结果"), ("assess", "评估")]
NAV = ["报告", "对比", "地图", "趋势", "数据", "校验", "评估"]


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the first-load tests: the samples are ingested by the first server only."""
    return tmp_path_factory.mktemp("first-load-cache")


@pytest.mark.parametrize(("path", "heading"), PAGE_URLS, ids=[p or "root" for p, _ in PAGE_URLS])
def test_page_url_as_first_request_after_start(chromium: Path, shared_cache: Path, tmp_path: Path,
                                               path: str, heading: str) -> None:
    from playwright.sync_api import expect

    env = dict(os.environ, GK_CACHE_DIR=str(shared_cache))
    with streamlit_app(env, tmp_path / "streamlit.log") as url, browser_page(chromium, 1000, TIMEOUT_MS) as page:
        page.goto(f"{url}/{path}")             # the server's very first page run
        expect(page.get_by_test_id("stMain").get_by_role("heading", name=heading)).to_be_visible()
        sidebar = page.get_by_test_id("stSidebar")
        links = sidebar.get_by_test_id("stPageLink")
        expect(links).to_have_text([re.compile(f"{w}$") for w in NAV])     # after the icon's ligature
        expect(sidebar.get_by_test_id("stSidebarNav")).to_have_count(0)     # no list of file names
        expect(sidebar.get_by_text("语言 / Language")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"browser-first-{path or 'root'}.png")


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port with an empty cache; always stopped afterwards."""
    env = dict(os.environ, GK_CACHE_DIR=str(tmp_path / "cache"))
    with streamlit_app(env, tmp_path / "streamlit.log") as url:
        yield url


@pytest.fixture
def chromium() -> Path:
    """The browser, checked before the app is started."""
    return need_chromium()


def test_upload_report_then_compare(chromium: Path, app_url: str) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)

    with browser_page(chromium, 2200, TIMEOUT_MS) as page:
        # a tall window: Streamlit scrolls inside its main block, so a page screenshot is the viewport
        main = page.get_by_test_id("stMain")

        # ---- 报告: the landing page, once the samples are in the library --------------------
        errors = open_landing(page, app_url)
        expect(main.get_by_role("heading", name="单份报告")).to_be_visible()
        expect(page.get_by_test_id("stProgress")).to_have_count(0)

        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(PDF)
        expect(page.get_by_test_id("stFileChipName")).to_have_attribute("title", PDF.name)
        expect(main.get_by_role("heading", name=f"{AGENCY} · 2024")).to_be_visible()
        received = page.get_by_test_id("stMetric").filter(has_text="新收申请")
        expect(received.get_by_test_id("stMetricValue")).to_have_text("3,119")
        expect(page.get_by_test_id("stCaptionContainer").filter(has_text=PDF.name)).to_be_visible()
        charts = page.get_by_test_id("stPlotlyChart")     # 表三 flow and by applicant, 表二, 表四
        expect(charts).to_have_count(4)
        for i in range(4):
            expect(charts.nth(i).locator(".main-svg").first).to_be_visible()
        expect(charts.first).to_contain_text("表三 申请办理流向")
        expect(charts.first).to_contain_text("本年新收")   # a node of the drawn flow
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.wait_for_timeout(1500)            # plotly's transitions settle
        page.screenshot(path=ARTIFACTS / "browser-report.png")

        # ---- 对比: through the sidebar, with the uploaded report among the compared ones --------
        page.get_by_test_id("stSidebar").get_by_role("link", name="对比").click()
        expect(main.get_by_role("heading", name="多份报告对比")).to_be_visible()
        picker = page.get_by_test_id("stMultiSelect").filter(has_text="选择要对比的报告")
        tags = picker.locator("[data-tag]")
        expect(tags).to_have_count(2)          # the page selects the first two reports by default
        if not tags.filter(has_text=f"{AGENCY} · 2024").count():
            # swap the second report for the upload (two reports keep every column on screen)
            tags.nth(1).get_by_role("button").click()
            expect(tags).to_have_count(1)
            # the rerun of the removal has landed (one report left: the page asks for two) and is
            # over, so it cannot redraw the picker while the search text is typed
            expect(page.get_by_test_id("stMain").get_by_text("请选择两份或更多报告。")).to_be_visible()
            expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
            picker.get_by_role("combobox").click()
            page.keyboard.type(AGENCY)         # filter the list as a user would (it scrolls)
            page.get_by_role("option", name=f"{AGENCY} · 2024", exact=True).click()
            page.keyboard.press("Escape")
            expect(tags).to_have_count(2)
        expect(tags.filter(has_text=f"{AGENCY} · 2024")).to_have_count(1)

        expect(main.get_by_role("heading", name="逐项对齐（差值相对第一份报告）")).to_be_visible()
        aligned = page.get_by_test_id("stDataFrame").nth(1)
        expect(aligned.locator("canvas").first).to_be_visible()
        # the grid keeps an off-screen accessible copy of its visible cells: the upload's column
        # holds its 新收申请 total on the row of that code
        expect(aligned.locator("thead")).to_contain_text(f"{AGENCY} · 2024")
        col = aligned.locator("thead th").all_inner_texts().index(f"{AGENCY} · 2024")
        row = aligned.locator("tbody tr").filter(
            has=page.locator("td").filter(has_text=re.compile(r"^一、本年新收政府信息公开申请数量 · 总计$")))
        expect(row.locator("td").nth(col)).to_have_text(re.compile(r"^3,?119$"))
        expect(charts).to_have_count(2)                     # grouped bars, heat map
        expect(charts.first.locator(".main-svg").first).to_be_visible()
        expect(charts.nth(1)).to_contain_text(f"{AGENCY} · 2024")    # a row of the heat map
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.wait_for_timeout(1500)            # st.dataframe draws on a canvas
        page.screenshot(path=ARTIFACTS / "browser-compare.png")
        assert not errors, f"JavaScript errors in the page: {errors}"


def test_scan_shows_page_progress_at_the_top(chromium: Path, app_url: str) -> None:
    """Reading a scan: a progress bar at the top of the page that only moves forward, naming
    the scanned page, the file's page count and this upload's file count, and the previous
    report gone at once (not left on screen greyed out)."""
    from playwright.sync_api import expect

    scan = FIXTURES / "scanned" / "scan-hongze-2024-full.pdf"
    with browser_page(chromium, 1400, TIMEOUT_MS) as page:
        main = page.get_by_test_id("stMain")
        open_landing(page, app_url)
        page.evaluate("""() => { window.gkBar = []; new MutationObserver(() => {
            const b = document.querySelector('[data-testid="stProgress"] [role="progressbar"]');
            if (b) window.gkBar.push(Number(b.getAttribute('aria-valuenow'))); }).observe(document.body,
            {subtree: true, childList: true, attributes: true}); }""")
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(scan)
        bar = page.get_by_test_id("stProgress")
        # the scanned pages read, the file's own page count, and this upload's file count
        expect(bar).to_contain_text(re.compile(r"扫描页 \d+/\d+（文件共 5 页；文件 1/1）"), timeout=60_000)
        expect(page.get_by_test_id("stMetric")).to_have_count(0)       # the previous report is gone
        above = page.evaluate("""() => {
            const bar = document.querySelector('[data-testid="stProgress"]').getBoundingClientRect();
            const title = document.querySelector('[data-testid="stMain"] h1').getBoundingClientRect();
            return bar.top < title.top; }""")
        assert above, "the progress bar is not above the page's title"
        page.screenshot(path=ARTIFACTS / "browser-scan-progress.png")
        expect(main.get_by_role("heading", name="洪泽区人民政府 · 2024")).to_be_visible(timeout=180_000)
        expect(bar).to_have_count(0)
        seen = page.evaluate("window.gkBar")
        assert seen and seen == sorted(seen), f"the bar went back: {seen}"      # progress only forward


def test_map_draws_regions_with_the_network_blocked(chromium: Path, app_url: str) -> None:
    """Every request that does not go to the app on this machine is refused: the regions are
    still drawn (SVG paths filled in colour), hovering one shows its figures, and its reports go
    on to 对比."""
    from playwright.sync_api import Route, expect

    refused: list[str] = []

    def local_only(route: Route) -> None:
        if route.request.url.startswith(app_url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with browser_page(chromium, 1600, TIMEOUT_MS) as page:
        page.route("**/*", local_only)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        main = page.get_by_test_id("stMain")
        page.goto(f"{app_url}/map")
        expect(main.get_by_role("heading", name="地区地图")).to_be_visible()
        year = page.get_by_test_id("stSelectbox").filter(has_text="年份（汇总只取一年）")
        # one year, the latest, never every year added up
        expect(page.get_by_test_id("stCaptionContainer").filter(has_text="2025 年度")).to_have_count(1)
        year.click()
        page.get_by_role("option", name="2024", exact=True).click()
        expect(page.get_by_test_id("stCaptionContainer").filter(has_text="2024 年度")).to_have_count(1)
        chart = page.get_by_test_id("stPlotlyChart").first
        fills = chart.locator("path.js-fill")
        expect(fills).to_have_count(34)                      # every province, drawn as an SVG path
        coloured = [f for f in fills.all() if "228, 228, 228" not in (f.get_attribute("style") or "")]
        assert len(coloured) == 3, "the 2024 samples' three provinces are filled in colour"
        assert all((f.get_attribute("d") or "").startswith("M") for f in coloured)

        # hover 江苏 (the tenth province in code order): its figures
        box = fills.nth(9).bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.5)
        expect(chart.locator(".hoverlayer")).to_contain_text("江苏省")
        expect(chart.locator(".hoverlayer")).to_contain_text("新收申请")
        page.screenshot(path=ARTIFACTS / "browser-map.png")

        # 江苏's reports, on to 对比
        region = page.get_by_test_id("stSelectbox").filter(has_text="选择地区")
        region.click()
        page.get_by_role("option", name="江苏省", exact=True).click()
        button = page.get_by_role("button", name=re.compile("在“对比”中比较这 2 份报告"))
        expect(button).to_be_enabled()
        button.click()
        expect(main.get_by_role("heading", name="多份报告对比")).to_be_visible()
        tags = page.get_by_test_id("stMultiSelect").filter(has_text="选择要对比的报告").locator("[data-tag]")
        expect(tags).to_have_count(2)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert not errors, f"JavaScript errors in the page: {errors}"
        assert all(not u.startswith(("http://127.", "http://localhost")) for u in refused), refused


def test_self_check_of_an_upload_then_the_assessment_page(chromium: Path, app_url: str) -> None:
    """评估 (issue 21): an upload on 报告 shows 发布前自查 at once; the 评估 page ranks the library
    and shows one report's criteria."""
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    with browser_page(chromium, 2200, TIMEOUT_MS) as page:
        main = page.get_by_test_id("stMain")
        errors = open_landing(page, app_url)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(PDF)
        expect(main.get_by_role("heading", name="发布前自查")).to_be_visible()
        expect(page.get_by_test_id("stMetric").filter(has_text="评估得分")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "browser-self-check.png")
        page.get_by_test_id("stSidebar").get_by_role("link", name="评估").click()
        expect(main.get_by_role("heading", name="评估", exact=True)).to_be_visible()
        expect(main.get_by_role("heading", name="排名")).to_be_visible()
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        expect(page.get_by_test_id("stMetric").filter(has_text="评估得分")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.screenshot(path=ARTIFACTS / "browser-assess.png")
        assert errors == []
