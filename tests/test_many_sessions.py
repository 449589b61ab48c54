"""Many users at once. One real `streamlit run app.py` on loopback, eight browser sessions
uploading eight different reports and comparing them while HTTP clients hit the server: each
session sees its own report, nothing fails, and the shared cache holds exactly the expected
entries. Without a browser: eight threads ingesting into one Library, and several
`gkcore ingest` processes on overlapping folders into one cache.

The browser tests need Debian's Chromium (see tests/test_browser.py: skipped without it, except
under CI=true). Every wait is bounded; the server listens on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from gkcore.library import Library
from gkcore.store.cache import Cache

from .conftest import FIXTURES
from .server import CHROMIUM, CHROMIUM_ARGS, browser_page, need_chromium, streamlit_app
from .test_text_safety import AGENCY, HOSTILE, LABEL, NAME

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
ARTIFACTS = ROOT / "test-artifacts"
# Bounds, not benchmarks: eight Chromium pages, eight script runs and eight parses share 2 cores
# (about a minute when the machine is otherwise idle; see the figures in test-artifacts/).
TIMEOUT_MS = 240_000         # one wait in one session
SESSIONS_S = 360             # all eight sessions together
# Eight reports that are not in the sample library, in five forms, with the label each shows.
UPLOADS = {
    FIXTURES / "real" / "shanghai_2024_kewei.pdfextract.md": "上海市科委 · 2024",
    FIXTURES / "real" / "shanghai_2025_shi-zhengfu-bangongting.pdfextract.md": "上海市人民政府办公厅 · 2025",
    FIXTURES / "real" / "jiangsu-suqian-shuyang_2025_xian-zhengfu.ocr.txt": "沐阳县人民政府 · 2025",
    FIXTURES / "generated" / "gen-2019-ruled.pdf": "长沙市岳麓区人民政府办公室 · 2019",
    FIXTURES / "generated" / "gen-2021-docx-merged.docx": "宿迁市宿城区人民政府办公室 · 2023",
    FIXTURES / "generated" / "gen-2021-horizontal-rules.pdf": "深圳市南山区教育局 · 2022",
    FIXTURES / "generated" / "gen-2021-wps-frame.pdf": "西安市雁塔区人民政府办公室 · 2022",
    FIXTURES / "generated" / "gen-2021-unruled.pdf": "郑州市金水区发展和改革委员会 · 2023",
}
HTTP_PATHS = ("/_stcore/health", "/", "/_stcore/host-config")


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def assert_cache_holds(root: Path, files: list[Path]) -> None:
    """Exactly one complete entry per distinct file, each loading whole; no temporary folder."""
    cache = Cache(root)
    want = {sha(p) for p in files}
    assert {p.name for p in cache.entries()} == want
    for s in want:
        report = cache.get(s)
        assert report is not None and report.meta.sha256 == s and report.cells
    temporary = (".tmp", ".trash", ".damaged", ".manifest-", ".corrections-")    # gkcore's temporary names
    leftovers = [p for p in root.rglob("*") if p.name.startswith(temporary)]
    assert not leftovers, leftovers


# ---- without a browser ---------------------------------------------------------------------
def test_threads_ingest_into_one_library() -> None:
    """Eight threads as eight Streamlit sessions: four files, each uploaded by two sessions at
    once, then every session reads the frames while the others still ingest."""
    files = list(UPLOADS)[:4]
    lib = Library(Cache())
    barrier = threading.Barrier(8, timeout=30)
    results: dict[int, tuple[str, list[str]]] = {}
    failures: list[BaseException] = []

    def session(i: int) -> None:
        try:
            p = files[i % 4]
            barrier.wait()
            res = lib.ingest_upload(p.read_bytes(), p.name)
            assert len(res) == 1 and not res[0].error, res
            rid, seen = res[0].report_id, []
            for _ in range(10):             # read your own upload, every time, while others ingest
                seen.append(str(lib.reports().set_index("report_id").loc[rid, "label"]))
                cells, checks = lib.cells([rid]), lib.checks([rid])
                assert set(cells["report_id"]) == set(checks["report_id"]) == {rid}
                assert len(cells) == len(cells.drop_duplicates(["table", "row", "col"]))
            results[i] = (rid, seen)
        except BaseException as exc:        # noqa: BLE001 - reported below, with the thread
            failures.append(exc)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a session thread hung"
    assert not failures, failures
    for i, (rid, seen) in results.items():
        assert seen == [UPLOADS[files[i % 4]]] * 10
        assert results[(i + 4) % 8][0] == rid                    # the same bytes, the same report
    # the frames afterwards equal those of a library that ingested the files one by one
    assert_cache_holds(Cache().root, files)
    alone = Cache(Cache().root.parent / "alone")
    serial = Library(alone)
    for p in files:
        serial.ingest_bytes(p.read_bytes(), p.name)
    for part, key in (("reports", ["report_id"]), ("cells", ["report_id", "table", "row", "col"]),
                      ("checks", ["report_id", "rule", "scope"])):
        got, want = (getattr(x, part)().sort_values(key).reset_index(drop=True) for x in (lib, serial))
        pd.testing.assert_frame_equal(got, want[got.columns], check_dtype=False)


def test_ingest_processes_on_overlapping_folders(tmp_path: Path) -> None:
    """Three `gkcore ingest` runs at once into one cache: folders sharing some files."""
    files = sorted(UPLOADS)
    folders = [files[:4], files[2:7], files[5:] + files[:1]]
    dirs = []
    for i, group in enumerate(folders):
        d = tmp_path / f"in{i}"
        d.mkdir()
        for p in group:
            shutil.copy(p, d / p.name)
        dirs.append(d)
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-m", "gkcore", "ingest", "--jobs", "1", "--quiet", str(d)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for d in dirs]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode(errors="replace")
    assert_cache_holds(Cache().root, files)


# ---- the real server and browser -------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`streamlit run app.py` on a free loopback port, its own cache holding the samples."""
    need_chromium()
    tmp = tmp_path_factory.mktemp("many")
    env = dict(os.environ, GK_CACHE_DIR=str(tmp / "cache"))
    subprocess.run([sys.executable, "-m", "gkcore", "ingest", "--quiet", str(SAMPLES)], cwd=ROOT, env=env,
                   check=True, timeout=120, capture_output=True)
    log = tmp / "streamlit.log"
    try:
        with streamlit_app(env, log, "--browser.gatherUsageStats", "false",
                           "--server.fileWatcherType", "none") as url:
            yield url, tmp / "cache"
    finally:
        if "Traceback" in log.read_text(errors="replace"):
            print(log.read_text(errors="replace"))


class Hammer:
    """HTTP clients on loopback, each looping over the server's plain endpoints until stopped."""

    def __init__(self, url: str, clients: int = 4) -> None:
        self.url, self.stop = url, threading.Event()
        self.ok = 0
        self.failed: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)]

    def _run(self, i: int) -> None:
        n = i
        while not self.stop.is_set():
            path = HTTP_PATHS[n % len(HTTP_PATHS)]
            n += 1
            try:
                with urllib.request.urlopen(self.url + path, timeout=15) as r:
                    body = r.read()
                    good = r.status == 200 and (path != "/_stcore/health" or body == b"ok")
            except OSError as exc:
                good, body = False, str(exc).encode()
            with self.lock:
                if good:
                    self.ok += 1
                else:
                    self.failed.append(f"{path}: {body[:200]!r}")
            time.sleep(0.05)

    def __enter__(self) -> Hammer:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=20)


async def _session(browser, url: str, path: Path, label: str, timings: dict[str, float]) -> list[str]:  # type: ignore[no-untyped-def]
    """One user: upload a report, see it, compare it with another. Returns JavaScript errors."""
    from playwright.async_api import expect

    t0 = time.monotonic()
    ctx = await browser.new_context(viewport={"width": 1400, "height": 2000})
    errors: list[str] = []
    try:
        page = await ctx.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: errors.append(f"dialog: {d.message}"))
        main = page.get_by_test_id("stMain")
        await page.goto(url)
        await expect(main.get_by_role("heading", name="单份报告")).to_be_visible()
        await page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)   # as soon as it is there
        await expect(main.get_by_role("heading", name=label, exact=True)).to_be_visible()
        await expect(page.get_by_test_id("stCaptionContainer").filter(has_text=path.name).first).to_be_visible()
        await expect(page.get_by_test_id("stPlotlyChart")).to_have_count(4)
        for bad in ("stException", "stAlertContentError"):
            await expect(page.get_by_test_id(bad)).to_have_count(0)
        timings["upload"] = time.monotonic() - t0

        await page.get_by_test_id("stSidebar").get_by_role("link", name="对比").click()
        await expect(main.get_by_role("heading", name="多份报告对比")).to_be_visible()
        picker = page.get_by_test_id("stMultiSelect").filter(has_text="选择要对比的报告")
        tags = picker.locator("[data-tag]")
        await expect(tags).to_have_count(2)
        if not await tags.filter(has_text=label).count():
            await tags.nth(1).get_by_role("button").click()
            await expect(tags).to_have_count(1)
            # the rerun of the removal has landed (one report left: the page asks for two) and is
            # over, so it cannot redraw the picker while the search text is typed
            await expect(page.get_by_test_id("stMain").get_by_text("请选择两份或更多报告。")).to_be_visible()
            await expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
            await picker.get_by_role("combobox").click()
            await page.keyboard.type(label.split(" · ")[0])
            await page.get_by_role("option", name=label, exact=True).click()
            await page.keyboard.press("Escape")
            await expect(tags).to_have_count(2)
        await expect(tags.filter(has_text=label)).to_have_count(1)
        await expect(main.get_by_role("heading", name="逐项对齐（差值相对第一份报告）")).to_be_visible()
        await expect(page.get_by_test_id("stDataFrame").nth(1).locator("thead")).to_contain_text(label)
        charts = page.get_by_test_id("stPlotlyChart")
        await expect(charts).to_have_count(2)
        await expect(charts.nth(1)).to_contain_text(label)                 # its row of the heat map
        for bad in ("stException", "stAlertContentError"):
            await expect(page.get_by_test_id(bad)).to_have_count(0)
        timings["total"] = time.monotonic() - t0
    finally:
        await ctx.close()
    return errors


@pytest.mark.browser
def test_eight_sessions_upload_and_compare_at_once(server: tuple[str, Path]) -> None:
    from playwright.async_api import async_playwright, expect

    url, cache_root = server
    expect.set_options(timeout=TIMEOUT_MS)

    async def run() -> tuple[list[list[str]], list[dict[str, float]]]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                timings: list[dict[str, float]] = [{} for _ in UPLOADS]
                errs = await asyncio.wait_for(asyncio.gather(*(
                    _session(browser, url, path, label, timings[i])
                    for i, (path, label) in enumerate(UPLOADS.items()))), SESSIONS_S)
                return errs, timings
            finally:
                await browser.close()

    t0 = time.monotonic()
    with Hammer(url) as hammer:
        errors, timings = asyncio.run(run())
    wall = time.monotonic() - t0
    assert not any(errors), errors
    assert not hammer.failed, hammer.failed
    assert hammer.ok > 0
    assert_cache_holds(cache_root, [*sorted(SAMPLES.iterdir()), *UPLOADS])
    ARTIFACTS.mkdir(exist_ok=True)
    figures = {"sessions": len(UPLOADS), "http_requests_ok": hammer.ok, "http_requests_failed": len(hammer.failed),
               "wall_s": round(wall, 1), "upload_s": sorted(round(t["upload"], 1) for t in timings),
               "session_s": sorted(round(t["total"], 1) for t in timings)}
    (ARTIFACTS / "many-sessions.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(figures)


@pytest.mark.browser
def test_hostile_report_is_text_in_the_browser(server: tuple[str, Path]) -> None:
    """The hostile report (tests/fixtures/hostile), uploaded under a file name that is markup:
    the heading, caption and heat map show its characters, and the page holds no injected
    element and fires no dialog."""
    from playwright.sync_api import expect

    url, _ = server
    with browser_page(CHROMIUM, 2000, TIMEOUT_MS) as page:
        events: list[str] = []
        page.on("pageerror", lambda e: events.append(f"error: {e}"))
        page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
        main = page.get_by_test_id("stMain")

        def no_markup() -> None:
            for sel in ("img[src='x']", "img[onerror]", "[onload]", "a[href^='javascript']", "a[href='x']",
                        ".katex", "svg a"):
                expect(page.locator(sel)).to_have_count(0)
            expect(page.locator("script", has_text="alert(")).to_have_count(0)
            for tag, word in (("strong", "粗"), ("em", "粗"), ("del", "删"), ("i", "斜体"), ("b", "粗")):
                expect(main.locator(tag, has_text=word)).to_have_count(0)
            expect(page.get_by_test_id("stException")).to_have_count(0)

        page.goto(url)
        expect(main.get_by_role("heading", name="单份报告")).to_be_visible()
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            {"name": NAME, "mimeType": "text/plain", "buffer": HOSTILE.read_bytes()})
        expect(main.get_by_role("heading", name=LABEL, exact=True)).to_be_visible()
        expect(main.get_by_test_id("stCaptionContainer").filter(has_text=f"来源：{NAME}")).to_have_count(1)
        expect(page.get_by_test_id("stPlotlyChart")).to_have_count(4)
        no_markup()

        page.get_by_test_id("stSidebar").get_by_role("link", name="对比").click()
        picker = page.get_by_test_id("stMultiSelect").filter(has_text="选择要对比的报告")
        tags = picker.locator("[data-tag]")
        expect(tags).to_have_count(2)
        tags.nth(1).get_by_role("button").click()
        expect(tags).to_have_count(1)
        expect(main.get_by_text("请选择两份或更多报告。")).to_be_visible()     # the removal's rerun is over
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
        picker.get_by_role("combobox").click()
        page.keyboard.type("张店区人民政府办公室$x$")
        page.get_by_role("option", name=LABEL, exact=True).click()
        page.keyboard.press("Escape")
        expect(tags.filter(has_text=LABEL)).to_have_count(1)
        charts = page.get_by_test_id("stPlotlyChart")
        expect(charts).to_have_count(2)
        expect(charts.nth(0)).to_contain_text(AGENCY[:40])                 # a bar group's tick
        expect(charts.nth(1)).to_contain_text(LABEL)                      # a heat-map row
        no_markup()
        assert not events, events
