"""The real app for the browser tests: Debian's Chromium, `streamlit run app.py` on a free
loopback port (tests/test_browser*.py, tests/test_many_sessions.py), and what those tests do
on its pages (open the landing page, click a row of a table)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_S = 30      # the health endpoint answers in about a second
ROW_PX = 35              # the height of a st.dataframe's header and of each of its rows, in CSS pixels


def unavailable(reason: str) -> None:
    """Skip locally; under CI=true the browser tests must run, so fail."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason} (.ci/run installs it)")
    pytest.skip(reason)


def need_chromium() -> Path:
    """The browser, and Playwright to drive it: checked before a server starts."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (Debian package chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the playwright package is missing (requirements-dev.txt)")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def streamlit_app(env: dict[str, str], log: Path, *options: str) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port, its output in `log`; yields the URL once
    the health endpoint answers, and always stops the server afterwards."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), *options],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {SERVER_START_S} s:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextlib.contextmanager
def browser_page(chromium: Path, height: int, timeout_ms: int) -> Iterator[Page]:
    """A page 1400 px wide in headless Chromium, every wait bounded by timeout_ms; closed after."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": height})
            page.set_default_timeout(timeout_ms)
            expect.set_options(timeout=timeout_ms)
            yield page
        finally:
            browser.close()


def open_landing(page: Page, url: str) -> list[str]:
    """The app's first page (报告) once the samples are in the library (its 新收申请 figure shown);
    returns the list that the page's JavaScript errors go to from now on."""
    from playwright.sync_api import expect

    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    expect(page.get_by_test_id("stMetric").filter(has_text="新收申请")).to_be_visible()
    return errors


def click_row(page: Page, grid: Locator, row: int, x: float | None = None) -> None:
    """Click row `row` (0-based, below the header) of a st.dataframe, which draws on a canvas: `x`
    pixels from the canvas's left edge, or by default 20 from its right edge (the last data
    column: a printed table's index column holds the long row labels)."""
    canvas = grid.locator("canvas").first.bounding_box()
    assert canvas is not None
    left = canvas["x"] + (x if x is not None else canvas["width"] - 20)
    page.mouse.click(left, canvas["y"] + ROW_PX * (row + 1) + ROW_PX // 2)
