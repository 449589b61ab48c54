"""A multi-user dashboard (GKDASH_ACCESS=accounts, issue 22) in a real browser: Debian's Chromium
driven by Playwright against `streamlit run app.py`, one fresh server, accounts folder and shared
library per test. A viewer cannot upload or correct; an editor's upload is invisible to another
editor until published; a deletion can be restored; a wrong password gets a clear message and a
delay after repeats; two editors correcting one cell at once are both recorded and the later one
wins, on both screens. Screenshots go to test-artifacts/.

Skipped when /usr/bin/chromium is missing, except under CI=true, where it fails instead."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from gkcore.access import Accounts
from gkcore.access.brake import BASE_S, FREE
from gkcore.library import Library
from gkcore.store.cache import Cache

from .conftest import FIXTURES
from .server import CHROMIUM, CHROMIUM_ARGS, ROOT, need_chromium, streamlit_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
REPORT = FIXTURES / "real" / "fujian-pingtan_2024_guanweihui.txt"
OTHER = FIXTURES / "real" / "fujian-pingtan_2023_guanweihui.txt"
SHOWN = "平潭综合实验区 · 2024"
PRIVATE = "平潭综合实验区 · 2023"
USERS = {"val": ("viewer", "val-password-1"), "ed": ("editor", "ed-password-22"),
         "eve": ("editor", "eve-password-333"), "ann": ("admin", "ann-password-4444")}
TIMEOUT_MS = 45_000


@pytest.fixture
def office_url(tmp_path: Path) -> Iterator[str]:
    """A server in accounts mode over a shared library of one report, with four accounts."""
    need_chromium()
    home, cache = tmp_path / "home", tmp_path / "cache"
    accounts = Accounts(home)
    for name, (role, pw) in USERS.items():
        accounts.add(name, role, pw)
    assert not Library(Cache(cache)).ingest_bytes(REPORT.read_bytes(), REPORT.name).error
    env = dict(os.environ, GK_CACHE_DIR=str(cache), GKDASH_HOME=str(home), GKDASH_ACCESS="accounts")
    with streamlit_app(env, tmp_path / "streamlit.log") as url:
        yield url


@contextmanager
def browser() -> Iterator[Browser]:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            yield b
        finally:
            b.close()


def visitor(b: Browser, url: str) -> Page:
    """A browser context of its own (its own session), on the app's first page."""
    page = b.new_context(viewport={"width": 1400, "height": 1400}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    return page


def sign_in(page: Page, name: str, password: str | None = None) -> None:
    from playwright.sync_api import expect

    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="登录 · 政务公开年报看板")).to_be_visible()
    main.get_by_label("用户名").fill(name)
    main.get_by_label("密码").fill(USERS[name][1] if password is None else password)
    main.get_by_role("button", name="登录").click()


def signed_in(page: Page, name: str) -> None:
    from playwright.sync_api import expect

    sign_in(page, name)
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="单份报告")).to_be_visible()


def panel(page: Page, name: str) -> None:
    """Open the sidebar's user panel."""
    role = USERS[name][0]
    page.get_by_test_id("stSidebar").get_by_text(f"用户：{name}（{role}）").click()


def open_corrections(page: Page) -> Locator:
    """Open the expander 更正此单元格 (unless it is open) of the chosen cell (新收申请 · 总计 by default)."""
    from playwright.sync_api import expect

    box = page.get_by_test_id("stMain").get_by_test_id("stExpander").filter(has_text="更正此单元格")
    if box.locator("details").get_attribute("open") is None:
        box.locator("summary").click()
    expect(box.locator("details")).to_have_attribute("open", "")
    return box


def correct_received(page: Page, value: str) -> None:
    """Type a new 新收申请 · 总计 (the cell 报告 offers first) with a reason."""
    from playwright.sync_api import expect

    box = open_corrections(page)
    expect(page.get_by_role("combobox", name="单元格", exact=True)).to_have_value(re.compile("总计$"))
    box.get_by_label("更正为").fill(value)
    box.get_by_label("更正原因（可选）").fill(f"typed {value}")
    box.get_by_label("更正原因（可选）").press("Enter")
    expect(box.get_by_role("button", name="保存更正")).to_be_enabled()


def received(page: Page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="新收申请")
    return metric.get_by_test_id("stMetricValue").inner_text()


def no_exception(page: Page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_viewer_cannot_upload_or_correct(office_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with browser() as b:
        page = visitor(b, office_url)
        signed_in(page, "val")
        main = page.get_by_test_id("stMain")
        expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_have_count(0)
        expect(main.get_by_text("上传需要 editor 角色")).to_be_visible()
        correct_received(page, "999")
        main.get_by_role("button", name="保存更正").click()
        expect(main.get_by_text(re.compile(r"val（viewer）无权更正：需要 editor 角色"))).to_be_visible()
        assert Library(Cache(tmp_path / "cache")).corrections().empty
        expect(page.get_by_test_id("stMetric").filter(has_text="新收申请")).to_contain_text("218")
        no_exception(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "browser-access-viewer.png")


def test_an_upload_is_invisible_to_another_editor_until_published(office_url: str) -> None:
    from playwright.sync_api import expect

    with browser() as b:
        ed, eve = visitor(b, office_url), visitor(b, office_url)
        signed_in(ed, "ed")
        ed.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(OTHER)
        expect(ed.get_by_test_id("stMain").get_by_role("heading", name=PRIVATE)).to_be_visible()
        expect(ed.get_by_test_id("stSidebar").get_by_role("radio", name="我的上传（仅自己可见）")).to_be_checked()
        signed_in(eve, "eve")
        expect(eve.get_by_test_id("stMain").get_by_role("heading", name=SHOWN)).to_be_visible()   # the shared one
        eve.get_by_test_id("stSelectbox").filter(has_text="选择报告").click()
        expect(eve.get_by_role("option")).to_have_text([SHOWN])        # not ed's upload
        eve.keyboard.press("Escape")
        panel(ed, "ed")
        ed.get_by_test_id("stSidebar").get_by_role("button", name="发布到共享库").click()
        expect(ed.get_by_test_id("stSidebar").get_by_text(f"已发布：{PRIVATE}")).to_be_visible()
        eve.reload()                                   # eve comes back: a new session, signed in again
        signed_in(eve, "eve")
        for _ in range(3):                           # a click during a rerun may not open the list
            eve.get_by_test_id("stSelectbox").filter(has_text="选择报告").click()
            try:
                expect(eve.get_by_role("option")).to_have_count(2, timeout=10_000)
                break
            except AssertionError:
                eve.keyboard.press("Escape")
        assert sorted(eve.get_by_role("option").all_inner_texts()) == sorted([PRIVATE, SHOWN])
        no_exception(ed)
        no_exception(eve)


def test_a_deletion_can_be_restored(office_url: str) -> None:
    from playwright.sync_api import expect

    with browser() as b:
        page = visitor(b, office_url)
        signed_in(page, "ann")
        side, main = page.get_by_test_id("stSidebar"), page.get_by_test_id("stMain")
        main.get_by_text("删除此报告").click()
        main.get_by_label("删除原因").fill("a duplicate")
        main.get_by_role("button", name=f"删除：{SHOWN}").click()
        expect(side.get_by_text(f"已删除：{SHOWN}（管理员可恢复）")).to_be_visible()
        expect(main.get_by_text("报告库为空")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "browser-access-deleted.png")
        side.get_by_role("button", name="恢复").click()
        expect(side.get_by_text(f"已恢复：{SHOWN}")).to_be_visible()
        expect(main.get_by_role("heading", name=SHOWN)).to_be_visible()
        no_exception(page)


def test_a_wrong_password_gets_a_clear_message_and_a_delay_after_repeats(office_url: str) -> None:
    from playwright.sync_api import expect

    with browser() as b:
        page = visitor(b, office_url)
        main = page.get_by_test_id("stMain")
        for i in range(1, FREE + 1):
            sign_in(page, "ed", "a-wrong-password")
            said = main.get_by_test_id("stAlertContentError")
            expect(said).to_contain_text(f"用户名或密码错误：请检查后重试（注意大小写与输入法）。（连续失败 {i} 次")
            if i < FREE:
                expect(said).not_to_contain_text("秒后再试")
        expect(main.get_by_test_id("stAlertContentError")).to_contain_text(f"请 {BASE_S:.0f} 秒后再试")
        failed_at = time.monotonic()
        sign_in(page, "ed")                                   # the right password, too soon
        expect(main.get_by_test_id("stAlertContentError")).to_contain_text("登录失败次数过多")
        page.screenshot(path=ARTIFACTS / "browser-access-brake.png")
        page.wait_for_timeout(max(0.0, BASE_S + 0.5 - (time.monotonic() - failed_at)) * 1000)
        sign_in(page, "ed")
        expect(main.get_by_role("heading", name="单份报告")).to_be_visible()


def test_two_editors_correcting_one_cell_at_once(office_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with browser() as b:
        ed, eve = visitor(b, office_url), visitor(b, office_url)
        signed_in(ed, "ed")
        signed_in(eve, "eve")
        correct_received(ed, "300")
        correct_received(eve, "400")
        ed.get_by_role("button", name="保存更正").click()
        eve.get_by_role("button", name="保存更正").click()
        saved = Library(Cache(tmp_path / "cache"))                     # the server's saved corrections
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while len(saved.corrections()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        log = saved.corrections()
        ARTIFACTS.mkdir(exist_ok=True)
        eve.screenshot(path=ARTIFACTS / "browser-access-concurrent-eve.png")
        ed.screenshot(path=ARTIFACTS / "browser-access-concurrent-ed.png")
        assert sorted(log["by"]) == ["ed", "eve"] and sorted(log["new_raw"]) == ["300", "400"]
        winner = str(log.iloc[-1]["new_raw"])                               # saved last
        for p in (ed, eve):                                   # both see both, and the same winner
            p.reload()                                        # a new session, signed in again
            signed_in(p, "ed" if p is ed else "eve")
            table = open_corrections(p).get_by_test_id("stDataFrame").last
            expect(table.locator("tbody")).to_contain_text("ed")
            expect(table.locator("tbody")).to_contain_text("eve")
        assert received(ed) == received(eve) == winner
        ed.screenshot(path=ARTIFACTS / "browser-access-concurrent.png")
        no_exception(ed)
        no_exception(eve)
