"""Every bad input gets its typed error and a message that says what to do; nothing reaches
the cache; the command line names the file, gives the reason and goes on. (These are the first
bad inputs, parsed in-process; tests/test_bad_input.py takes every file of tests/bad/ through the
isolated parse with its limits, and checks that none is left out.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import gkcore
from gkcore import errors

from .conftest import BAD, FIXTURES

CASES = [
    ("empty.pdf", errors.EmptyFile, "文件为空"),
    ("png-renamed.pdf", errors.UnsupportedFormat, "PNG 图片"),
    ("zip-renamed.pdf", errors.UnsupportedFormat, "ZIP 压缩包"),
    ("corrupt.pdf", errors.CorruptPdf, "PDF 文件已损坏或不完整"),
    ("truncated.pdf", errors.CorruptPdf, "PDF 文件已损坏或不完整"),
    ("encrypted-user-password.pdf", errors.PasswordProtected, "需要密码才能打开"),
    ("zero-pages.pdf", errors.NoPages, "PDF 中没有任何页面"),
    # one scanned page, recognised by OCR: it is the report's first page and holds no 表三
    ("scanned-no-text.pdf", errors.TablesNotFound, "未能读出表三"),
    ("budget-report.pdf", errors.NotAnnualReport, "不是政府信息公开工作年度报告"),
    ("notice.txt", errors.NotAnnualReport, "不是政府信息公开工作年度报告"),
    ("no-tables.pdf", errors.TablesNotFound, "未找到表二、表三、表四的统计表格"),
]


@pytest.mark.parametrize(("name", "exc", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_typed_error(name: str, exc: type[errors.GkError], message: str) -> None:
    with pytest.raises(exc, match=message):
        gkcore.parse_file(BAD / name)


@pytest.mark.parametrize(("name", "exc", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_writes_nothing_to_cache(name: str, exc: type[errors.GkError], message: str,
                                           tmp_path: Path) -> None:
    cache = gkcore.Cache(tmp_path / "c")
    with pytest.raises(exc):
        gkcore.load_or_parse((BAD / name).read_bytes(), name, cache)
    assert not (tmp_path / "c").exists() or not any((tmp_path / "c").rglob("*.parquet"))


def test_messages_are_bilingual() -> None:
    err = errors.PasswordProtected()
    assert "需要密码" in err.message and "needs a password" in err.message


def test_scan_without_ocr_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gkcore.parse.readers.ocr.available", lambda: False)
    with pytest.raises(errors.NoTextLayer, match="没有文字层.*rapidocr"):
        gkcore.parse_file(BAD / "scanned-no-text.pdf")


def test_owner_password_only_parses_normally() -> None:
    report = gkcore.parse_file(FIXTURES / "generated" / "gen-2021-owner-password-only.pdf")
    assert report.failures() == []


def _half(path: Path) -> bytes:
    data = path.read_bytes()
    return data[: len(data) // 2]


OTHER_FORMS = [  # bad inputs of the other forms, made from good ones (see tests/test_readers.py)
    ("script-only.html", lambda: b"<html><body><script>x()</script></body></html>", errors.EmptyWebPage,
     "网页中没有可读的正文"),
    ("truncated.docx", lambda: _half(FIXTURES / "generated" / "gen-2021-docx-merged.docx"), errors.CorruptDocx,
     "Word（.docx）文件已损坏"),
    ("legacy.doc", lambda: (FIXTURES / "generated" / "gen-2021-docx-merged.doc").read_bytes(),
     errors.LegacyWordNeedsConversion, "旧版 Word（.doc）文件"),
]


@pytest.mark.parametrize(("name", "make", "exc", "message"), OTHER_FORMS, ids=[c[0] for c in OTHER_FORMS])
def test_other_forms_raise_typed_errors_and_write_nothing(name: str, make: Callable[[], bytes],
                                                          exc: type[errors.GkError], message: str,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda cmd: None)          # no LibreOffice here,
    monkeypatch.setenv("PATH", "/nonexistent")                       # nor in the parsing child process
    cache = gkcore.Cache(tmp_path / "c")
    with pytest.raises(exc, match=message):
        gkcore.load_or_parse(make(), name, cache)
    assert not (tmp_path / "c").exists() or not any((tmp_path / "c").rglob("*.parquet"))


def test_cli_reports_each_failure_and_goes_on(tmp_path: Path) -> None:
    good = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
    bad1, bad2 = BAD / "encrypted-user-password.pdf", BAD / "empty.pdf"
    proc = subprocess.run([sys.executable, "-m", "gkcore", "parse", str(bad1), str(good), str(bad2)],
                          capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert lines == [f"{bad1}: {errors.PasswordProtected().message}", f"{bad2}: {errors.EmptyFile().message}"]
    assert "Traceback" not in proc.stderr
    rows = proc.stdout.strip().splitlines()
    assert len(rows) == 1 + 200 and rows[1].startswith("64ecc2debb1468fd,张店区人民政府办公室,")
