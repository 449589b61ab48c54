"""The review sheet as it is sent: downloaded from 校验 in the running app (Chromium, Playwright),
then printed to A4. The printed page is as wide as the paper (nothing cut), no header and no
status wraps (a two-character column stays one line), and the PDF is written to test-artifacts/.
Skipped without Chromium, except under CI=true (see tests/test_browser.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .server import ROOT, browser_page, need_chromium, streamlit_app

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 60_000
A4_TEXT_PX = 688          # 210 mm less the sheet's 2 × 14 mm margins, at 96 px an inch

# each header cell and each status cell: the number of lines its text takes
LINES = """() => [...document.querySelectorAll('table:first-of-type th, table:first-of-type td.s')].map(el => {
  const r = document.createRange(); r.selectNodeContents(el);
  const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
  return [el.textContent, tops.size];
})"""


def test_review_sheet_downloads_and_prints_on_a4(tmp_path: Path) -> None:
    chromium = need_chromium()
    from playwright.sync_api import expect

    env = dict(os.environ, GK_CACHE_DIR=str(tmp_path / "cache"))
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_app(env, tmp_path / "streamlit.log") as url, browser_page(chromium, 1600, TIMEOUT_MS) as page:
        page.goto(f"{url}/quality")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name="校验结果")).to_be_visible()
        button = page.get_by_test_id("stDownloadButton").filter(has_text="下载审核意见")
        with page.expect_download() as got:
            button.get_by_role("button").click()
        sheet = tmp_path / "review.html"
        got.value.save_as(sheet)
        html = sheet.read_text(encoding="utf-8")
        assert "审核人" in html and "来源文件" in html and "t3." not in html     # printed names, not codes

        page.set_viewport_size({"width": A4_TEXT_PX, "height": 1000})
        page.emulate_media(media="print")
        page.goto(sheet.as_uri())
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= A4_TEXT_PX + 1, f"the sheet is {width} px wide: cut on A4"
        lines = page.evaluate(LINES)
        assert lines and all(n == 1 for _, n in lines), [x for x in lines if x[1] != 1]
        assert page.get_by_role("button", name="打印").is_hidden()          # the print button does not print
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
        (ARTIFACTS / "review-sheet.pdf").write_bytes(pdf)
