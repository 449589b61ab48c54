"""Batches: ZIP archives (nested folders, Chinese names in UTF-8 or GBK, a `../` name, a bomb, a
broken file, the same report twice) through the library, the command line and the uploader."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import gkcore
from gkcore.library import Library
from gkcore.parse.batch import BadArchive, expand, is_archive

from .bad.make_bad import zip_bomb
from .conftest import BAD, FIXTURES

HUAIAN = FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf"
ZHANGDIAN = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
HONGZE = FIXTURES / "real" / "jiangsu-huaian-hongze_2023_qu-zhengfu.pdf"
GBK_NAME = "各区/洪泽区2023年报.pdf"


def make_archive() -> bytes:
    """A batch as people send them. Python's zipfile always flags non-ASCII names as UTF-8, so
    the GBK name (as Chinese Windows writes it) is patched into the bytes afterwards."""
    gbk = GBK_NAME.encode("gb18030")
    placeholder = "x" * len(gbk)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("2024/市级/淮安市政府年报.pdf", HUAIAN.read_bytes())          # UTF-8 name, nested
        z.writestr(placeholder, HONGZE.read_bytes())                             # GBK name
        z.writestr("张店区.txt", ZHANGDIAN.read_bytes())
        z.writestr("副本/淮安市政府年报(1).pdf", HUAIAN.read_bytes())             # the same bytes again
        z.writestr("../../etc/evil.pdf", (BAD / "encrypted-user-password.pdf").read_bytes())
        z.writestr("scan.png", b"\x89PNG\r\n\x1a\n")                              # not a report type
        z.writestr("bomb.txt", b"0" * 20_000_000)                                 # ratio > 200
        z.writestr("__MACOSX/._张店区.txt", b"junk")
    return buf.getvalue().replace(placeholder.encode(), gbk)


def test_archive_members_are_decoded_and_filtered() -> None:
    data = make_archive()
    assert is_archive(data) and not is_archive(HUAIAN.read_bytes())
    members, skipped = expand(data, "batch.zip")
    assert [m.name for m in members] == ["2024/市级/淮安市政府年报.pdf", GBK_NAME, "张店区.txt",
                                         "副本/淮安市政府年报(1).pdf", "../../etc/evil.pdf"]
    assert members[1].data == HONGZE.read_bytes()
    assert [(n, why.split(" / ")[0]) for n, why in skipped] == [
        ("scan.png", "不是报告文件类型"), ("bomb.txt", "解压后过大，疑似压缩炸弹")]


def test_corrupt_archive_is_one_clear_error() -> None:
    with pytest.raises(BadArchive, match="ZIP 压缩包无法读取"):
        expand(b"PK\x03\x04" + b"\x00" * 64, "broken.zip")


def test_library_ingests_a_batch(tmp_path: Path) -> None:
    lib = Library(gkcore.Cache(tmp_path))
    results = lib.ingest_upload(make_archive(), "batch.zip")
    by_name = {r.name.removeprefix("batch.zip/"): r for r in results}
    assert not by_name[GBK_NAME].error and not by_name["张店区.txt"].error
    dup = by_name["副本/淮安市政府年报(1).pdf"]
    assert dup.duplicate_of == "batch.zip/2024/市级/淮安市政府年报.pdf" and dup.cached
    assert "需要密码" in by_name["../../etc/evil.pdf"].error
    assert {n for n, r in by_name.items() if r.error} == {"../../etc/evil.pdf", "scan.png", "bomb.txt"}
    assert len(lib.reports()) == 3
    assert not (tmp_path.parent / "etc").exists()            # nothing is ever extracted to disk


def test_cli_ingest_summary_lists_failures_and_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "batch.zip").write_bytes(make_archive())
    (folder / "loose.txt").write_bytes(ZHANGDIAN.read_bytes())
    proc = subprocess.run([sys.executable, "-m", "gkcore", "ingest", str(folder), "--quiet"], capture_output=True,
                          text=True, cwd=Path(__file__).parent.parent,
                          env={**__import__("os").environ, "GK_CACHE_DIR": str(tmp_path / "c")})
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert lines[-1].startswith("ingested 3 reports from 5 of 8 files (") and "2 duplicates, 3 failed" in lines[-1]
    assert any(ln.startswith(f"{folder}/batch.zip/../../etc/evil.pdf: PDF 需要密码") for ln in lines)
    assert "Traceback" not in proc.stderr


def test_uploader_takes_an_archive(tmp_path: Path) -> None:
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=90).run()
    at.file_uploader(key="upload").set_value([("batch.zip", make_archive(), "application/zip")]).run()
    assert not at.exception
    assert len(at.error) == 3 and any("需要密码" in e.value for e in at.error)
    assert any("内容相同" in i.value for i in at.info)


def test_bomb_archives_are_refused_before_decompressing() -> None:
    """Declared sizes over 1 GB in total, or members sharing their compressed data, refuse the
    whole archive at once; nothing is inflated."""
    with pytest.raises(BadArchive, match=r"声明解压后共 2\.9 GB，超过 1 GB"):
        expand((BAD / "zip-bomb.zip").read_bytes(), "bomb.zip")
    with pytest.raises(BadArchive, match="多个文件共用同一段压缩数据"):
        expand(zip_bomb(entries=3), "overlap.zip")


def test_windows_separators_and_control_characters_in_member_names() -> None:
    members, skipped = expand((BAD / "zip-slip.zip").read_bytes(), "slip.zip")
    assert "..\\..\\windows\\gk.txt" in [m.name for m in members] and not skipped
    members, _ = expand((BAD / "zip-control-names.zip").read_bytes(), "names.zip")
    assert [m.name for m in members][:2] == ["红\\x1b[31m色\\x1b[0m报告.txt", "two\\x0alines\\x0d.txt"]
