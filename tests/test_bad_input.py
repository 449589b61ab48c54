"""Every file of tests/bad/ (and the large ones tests/bad/make_bad.py writes at test time) through
the path the app and the command line take — load_or_parse, which parses in a child process
within the limits — asserting for each: the message (or, for a valid but hostile file, the right
cells), the time bound, nothing in the cache but a complete entry, nothing written anywhere else
(a fresh TMPDIR and working directory stay empty), and the test process's memory not growing.
Then the limits themselves, file names with control characters, and the app serving a good
report after a bad one."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import gkcore
from gkcore import errors
from gkcore.model import FLAG_UNSURE, ParsedReport
from gkcore.parse.batch import BadArchive, expand
from gkcore.parse.isolate import parse_isolated
from gkcore.parse.limits import Limits

from .bad.make_bad import LARGE, write_large
from .conftest import BAD, FIXTURES

ROOT = Path(__file__).parent.parent
LIMITS = Limits(seconds=20, pages=200, memory_mb=2048, max_bytes=20 * 2**20)   # small: the test's promise
MARGIN = 10.0                      # seconds for starting the child, reading and writing the cache
OCR = Limits(seconds=180, memory_mb=4096)   # the one case that runs OCR needs the defaults' room
BASIC = FIXTURES / "generated" / "gen-2021-ruled-basic.pdf"
ZHANGDIAN = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"


def cells(report: ParsedReport) -> dict[str, tuple[str, float | None, str]]:
    return {c.ref: (c.raw, c.value, c.flag) for c in report.cells}


def same_cells_as(original: Path) -> Callable[[ParsedReport], None]:
    def check(report: ParsedReport) -> None:
        assert cells(report) == cells(gkcore.parse_file(original))
        assert not any("999" in c.raw or "alert" in c.raw for c in report.cells)
    return check


def t4_missing(report: ParsedReport) -> None:
    """表四 absent: its cells are blank and unsure (no zero invented), its checks say unsure,
    and 表三 reads exactly as in the complete report."""
    t4 = [c for c in report.cells if c.table == "t4"]
    assert len(t4) == 15 and all(c.flag == FLAG_UNSURE and c.raw == "" and c.value is None for c in t4)
    assert {k.status for k in report.checks if k.rule == "t4_block_total"} == {"unsure"}
    full = cells(gkcore.parse_file(ZHANGDIAN))
    assert {r: v for r, v in cells(report).items() if r.startswith("t3.")} == {
        r: v for r, v in full.items() if r.startswith("t3.")}


def owner_only(report: ParsedReport) -> None:
    assert report.failures() == [] and report.meta.agency


@dataclass(frozen=True)
class Fails:
    error: type[errors.GkError]
    match: str
    limits: Limits = LIMITS


@dataclass(frozen=True)
class Parses:
    check: Callable[[ParsedReport], None]
    limits: Limits = LIMITS


@dataclass(frozen=True)
class Batch:
    """An archive for the batch uploader: (member, error message or "") for what it holds."""
    check: Callable[[list[tuple[str, str]]], None]
    limits: Limits = LIMITS


def zip_bomb(results: list[tuple[str, str]]) -> None:
    assert len(results) == 1 and "疑似压缩炸弹" in results[0][1] and "2.9 GB" in results[0][1]


def zip_slip(results: list[tuple[str, str]]) -> None:
    assert [n for n, _ in results] == ["../../../../tmp/gk-zip-slip.txt", "/etc/gk-absolute.txt",
                                       "..\\..\\windows\\gk.txt", "ok/../../up.txt"]
    assert all(err == "" for _, err in results)          # read from memory: the names go nowhere
    assert not Path("/tmp/gk-zip-slip.txt").exists() and not Path("/etc/gk-absolute.txt").exists()


def zip_control_names(results: list[tuple[str, str]]) -> None:
    assert [n for n, _ in results] == ["红\\x1b[31m色\\x1b[0m报告.txt", "two\\x0alines\\x0d.txt", "evil\\u202etxt.pdf"]
    assert results[0][1] == "" and "PNG" in results[1][1] and "文件为空" in results[2][1]
    assert not any(ch in err for _, err in results for ch in "\x1b\n\r\u202e")


CORRUPT = "PDF 文件已损坏或不完整"
NOT_REPORT = "不是政府信息公开工作年度报告"
CASES: dict[str, Fails | Parses | Batch] = {
    "empty.pdf": Fails(errors.EmptyFile, "文件为空"),
    "png-renamed.pdf": Fails(errors.UnsupportedFormat, "内容是 PNG 图片"),
    "zip-renamed.pdf": Fails(errors.UnsupportedFormat, "内容是 ZIP 压缩包"),
    "corrupt.pdf": Fails(errors.CorruptPdf, CORRUPT),
    "truncated-10.pdf": Fails(errors.CorruptPdf, CORRUPT),
    "truncated.pdf": Fails(errors.CorruptPdf, CORRUPT),
    "truncated-70.pdf": Fails(errors.CorruptPdf, CORRUPT),
    "truncated-99.pdf": Fails(errors.CorruptPdf, CORRUPT),
    "truncated-no-eof.pdf": Parses(same_cells_as(BASIC)),          # only "%%EOF" lost: PDFium reads it
    "broken-xref.pdf": Parses(same_cells_as(BASIC)),               # PDFium rebuilds the xref
    "encrypted-user-password.pdf": Fails(errors.PasswordProtected, "需要密码才能打开"),
    "zero-pages.pdf": Fails(errors.NoPages, "PDF 中没有任何页面"),
    "pages-2000.pdf": Fails(errors.TooManyPages, r"2000 页，上限 200 页.*GK_PAGE_LIMIT.*--page-limit"),
    "huge-content-stream.pdf": Fails(errors.NotAnnualReport, NOT_REPORT),
    "bomb-flate.pdf": Fails(errors.TooComplex, "文件过大或过于复杂.*内存上限 2048 MB.*(信号|内存不足)"),
    "nested-100k.pdf": Fails(errors.NotAnnualReport, NOT_REPORT),
    "scanned-no-text.pdf": Fails(errors.TablesNotFound, "未能读出表三", OCR),
    "budget-report.pdf": Fails(errors.NotAnnualReport, NOT_REPORT),
    "english-paper.pdf": Fails(errors.NotAnnualReport, NOT_REPORT),
    "notice.txt": Fails(errors.NotAnnualReport, NOT_REPORT),
    "no-tables.pdf": Fails(errors.TablesNotFound, "未找到表二、表三、表四的统计表格"),
    "missing-t3.txt": Fails(errors.TablesNotFound, "未能读出表三"),
    "missing-t4.txt": Parses(t4_missing),
    "script-labels.html": Parses(same_cells_as(FIXTURES / "real" / "jiangsu-suqian-shuyang_2023_fagaiju.html")),
    "script-labels.docx": Parses(same_cells_as(FIXTURES / "generated" / "gen-2021-docx-merged.docx")),
    "zip-bomb.zip": Batch(zip_bomb),
    "zip-slip.zip": Batch(zip_slip),
    "zip-control-names.zip": Batch(zip_control_names),
    "../fixtures/generated/gen-2021-owner-password-only.pdf": Parses(owner_only),   # valid: must parse
}


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_large(tmp_path_factory.mktemp("bad-large"))


@pytest.fixture(scope="module", autouse=True)
def _forkserver_running() -> None:
    """Start the parsers' forkserver before any test points TMPDIR elsewhere: as in the app, it
    runs for the life of the process (its socket is the one file it keeps in the temp folder)."""
    parse_isolated(ZHANGDIAN.read_bytes(), ZHANGDIAN.name, limits=LIMITS)


@dataclass
class Sandbox:
    cache: Path
    tmp: Path
    cwd: Path
    repo: list[str]


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_cache: Path) -> Iterator[Sandbox]:
    """A fresh TMPDIR and working directory; afterwards both are still empty and the repository's
    top level and tests/bad are unchanged."""
    tmp, cwd = tmp_path / "tmpdir", tmp_path / "cwd"
    tmp.mkdir()
    cwd.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.chdir(cwd)
    box = Sandbox(_isolated_cache, tmp, cwd, sorted(os.listdir(ROOT)) + sorted(os.listdir(BAD)))
    yield box
    assert os.getcwd() == str(cwd)
    assert list(tmp.iterdir()) == [] and list(cwd.iterdir()) == []
    assert sorted(os.listdir(ROOT)) + sorted(os.listdir(BAD)) == box.repo


def cache_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name: str, large: dict[str, Path], sandbox: Sandbox) -> None:
    case = CASES[name]
    data = (large[name] if name in large else BAD / name).read_bytes()
    cache = gkcore.Cache()
    rss = peak_rss_mb()
    start = time.monotonic()
    if isinstance(case, Fails):
        with pytest.raises(case.error, match=case.match) as info:
            gkcore.load_or_parse(data, name, cache, limits=case.limits)
        assert "Traceback" not in info.value.message
        assert cache_files(sandbox.cache) == []                   # not even a temporary folder
    elif isinstance(case, Parses):
        report, hit = gkcore.load_or_parse(data, name, cache, limits=case.limits)
        case.check(report)
        assert not hit and [p.name for p in cache.entries()] == [report.meta.sha256]
        assert not [p for p in cache.dir.iterdir() if p.name.startswith(".")]
    else:
        results = []
        try:
            members, skipped = expand(data, name)
        except BadArchive as exc:
            results = [(name, exc.message)]
        else:
            for m in members:
                try:
                    gkcore.load_or_parse(m.data, m.name, cache, limits=case.limits)
                    results.append((m.name, ""))
                except errors.GkError as exc:
                    results.append((m.name, exc.message))
            results += skipped
        case.check(results)
    assert time.monotonic() - start < case.limits.seconds + MARGIN
    assert peak_rss_mb() - rss < 300            # the bomb went off in the child, not here


def test_every_bad_file_has_an_expectation(large: dict[str, Path]) -> None:
    files = {p.name for p in BAD.iterdir() if p.suffix not in (".md", ".py")} | set(LARGE)
    assert files == {n for n in CASES if not n.startswith("../")}


def test_reliability_doc_lists_every_bad_file(large: dict[str, Path]) -> None:
    """docs/reliability.md names every bad input in its table (what it is, what the user sees)."""
    doc = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1] for line in doc.splitlines() if line.startswith("| ")}
    listed = {name.strip() for row in rows for name in row.replace("(*large*", ",").split(",")}
    files = {p.name for p in BAD.iterdir() if p.suffix not in (".md", ".py")} | set(LARGE)
    assert files - listed == set()


def test_time_limit_stops_a_slow_parse(sandbox: Sandbox) -> None:
    """A five-page scan needs about 25 s of OCR; with a 2 s limit the child is killed at 2 s."""
    scan = FIXTURES / "scanned" / "scan-hongze-2024-full.pdf"
    start = time.monotonic()
    with pytest.raises(errors.TimeLimitExceeded, match=r"解析超时.*上限 2 秒.*GK_TIME_LIMIT.*--time-limit"):
        gkcore.load_or_parse(scan.read_bytes(), scan.name, limits=Limits(seconds=2))
    assert time.monotonic() - start < 2 + MARGIN
    assert cache_files(sandbox.cache) == []


def test_size_limit_refuses_before_parsing() -> None:
    data = BASIC.read_bytes()
    with pytest.raises(errors.FileTooLarge, match=r"超过大小上限.*上限 0 MB.*GK_MAX_BYTES"):
        gkcore.parse_bytes(data, "big.pdf", limits=Limits(max_bytes=1000))
    with pytest.raises(errors.FileTooLarge, match="超过大小上限"):
        parse_isolated(data, "big.pdf", limits=Limits(max_bytes=1000))


def test_in_process_parse_keeps_the_page_limit(large: dict[str, Path]) -> None:
    with pytest.raises(errors.TooManyPages, match="2000 页，上限 100 页"):
        gkcore.parse_bytes(large["pages-2000.pdf"].read_bytes(), "many.pdf", limits=Limits(pages=100))


def test_limits_from_the_environment() -> None:
    env = {"GK_TIME_LIMIT": "7.5", "GK_PAGE_LIMIT": "30", "GK_MEMORY_LIMIT_MB": "1500", "GK_MAX_BYTES": ""}
    assert Limits.from_env(env) == Limits(seconds=7.5, pages=30, memory_mb=1500)
    assert Limits.from_env({}) == Limits()
    with pytest.raises(errors.InvalidLimit, match="GK_PAGE_LIMIT = 'many'"):
        Limits.from_env({"GK_PAGE_LIMIT": "many"})
    with pytest.raises(errors.InvalidLimit, match="GK_TIME_LIMIT = -1"):
        Limits(seconds=-1)


def test_progress_and_errors_cross_the_process_boundary() -> None:
    """A typed error raised in the child arrives with its class and message unchanged."""
    with pytest.raises(errors.PasswordProtected) as info:
        parse_isolated((BAD / "encrypted-user-password.pdf").read_bytes(), "x.pdf", limits=LIMITS)
    assert info.value.message == errors.PasswordProtected().message


NASTY = "a\x00b\nc\x1b[31md\r\u202e.pdf"


def test_control_characters_never_reach_a_message() -> None:
    with pytest.raises(errors.CorruptPdf) as info:
        parse_isolated((BAD / "corrupt.pdf").read_bytes(), NASTY, limits=LIMITS)
    with pytest.raises(errors.UnsupportedFormat) as info2:
        gkcore.parse_bytes((BAD / "png-renamed.pdf").read_bytes(), NASTY)
    assert r"a\x00b\x0ac\x1b[31md\x0d\u202e.pdf" in info2.value.message
    report = parse_isolated(ZHANGDIAN.read_bytes(), NASTY[:-4] + ".txt", limits=LIMITS)
    for text in (info.value.message, info2.value.message, report.meta.source_name):
        assert not any(ch in text for ch in "\x00\n\r\x1b\u202e")


def test_cli_escapes_control_characters_in_names(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = folder / "bad\x1b[2J\nforged: line.pdf"
    bad.write_bytes((BAD / "corrupt.pdf").read_bytes())
    (folder / "batch.zip").write_bytes((BAD / "zip-control-names.zip").read_bytes())
    for args in (["parse", str(bad), "--time-limit", "20"], ["ingest", str(folder), "--quiet", "--jobs", "1"]):
        proc = subprocess.run([sys.executable, "-m", "gkcore", *args], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "GK_CACHE_DIR": str(tmp_path / "c")}, timeout=120)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert "\x1b" not in proc.stderr + proc.stdout and "\r" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert any(ln.startswith(str(folder / "bad\\x1b[2J\\x0aforged: line.pdf: PDF 文件已损坏")) for ln in lines)
    assert any("batch.zip/two\\x0alines\\x0d.txt: " in ln for ln in lines)


def test_cli_page_limit_option(tmp_path: Path, large: dict[str, Path]) -> None:
    proc = subprocess.run([sys.executable, "-m", "gkcore", "parse", str(large["pages-2000.pdf"]), "--page-limit",
                           "50", "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"{large['pages-2000.pdf']}: {errors.TooManyPages(2000, 50).message}"
    proc = subprocess.run([sys.executable, "-m", "gkcore", "parse", str(BASIC), "--time-limit", "-3"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "解析上限设置有误" in proc.stderr and "Traceback" not in proc.stderr


def test_app_keeps_serving_after_a_bad_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """One session: a decompression bomb, then a good report. The bomb gets one message; the good
    report then shows as usual."""
    monkeypatch.setenv("GK_MEMORY_LIMIT_MB", "2048")   # AppTest runs in this process: the bomb stops at 2 GB
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    at.file_uploader(key="upload").set_value([("bomb.pdf", (BAD / "bomb-flate.pdf").read_bytes(),
                                               "application/pdf")]).run()
    assert not at.exception
    assert len(at.error) == 1 and "文件过大或过于复杂" in at.error[0].value
    at.file_uploader(key="upload").set_value([(ZHANGDIAN.name, ZHANGDIAN.read_bytes(), "text/plain")]).run()
    assert not at.exception and not at.error
    assert at.subheader[0].value == "张店区人民政府办公室 · 2024"


def _agency_in_worker(path: str) -> str:
    return parse_isolated(Path(path).read_bytes(), Path(path).name, limits=LIMITS).meta.agency


def test_a_forked_worker_starts_its_own_forkserver() -> None:
    """This process's forkserver is running (module fixture); a worker forked from it (as the
    command line's ingest pool forks) cannot use it and must start its own, not fail."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(_agency_in_worker, str(ZHANGDIAN)).result(timeout=120) == "张店区人民政府办公室"


def test_a_parse_child_never_runs_the_callers_main_script(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Under Streamlit, sys.modules["__main__"] is the page being run; multiprocessing would have
    every child run it again (as __mp_main__). The parse children must not."""
    marker = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('page ran')\n", encoding="utf-8")
    page = type(sys)("__main__")
    page.__file__ = str(script)
    page.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", page)
    report = parse_isolated((FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt").read_bytes(),
                            "zhangdian.txt")
    assert report.meta.year == 2024
    assert not marker.exists()
