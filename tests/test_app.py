"""The placeholder page (the dashboard comes with the next issue), run with AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from .conftest import BAD, FIXTURES

APP = str(Path(__file__).parent.parent / "app.py")


def test_upload_shows_report_and_checks() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "政务公开年报看板"
    pdf = FIXTURES / "real" / "jiangsu-huaian-hongze_2023_qu-zhengfu.pdf"
    at.file_uploader(key="upload").set_value([(pdf.name, pdf.read_bytes(), "application/pdf")]).run()
    assert not at.exception
    assert at.subheader[1].value == "洪泽区人民政府 · 2023 年（2021 格式）"
    assert at.metric[0].value == "2"     # 表四: 复议 and 复议后起诉 do not add up


def test_bad_upload_shows_message_and_keeps_serving() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    good = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
    at.file_uploader(key="upload").set_value([
        ("locked.pdf", (BAD / "encrypted-user-password.pdf").read_bytes(), "application/pdf"),
        (good.name, good.read_bytes(), "text/plain")]).run()
    assert not at.exception
    assert "需要密码才能打开" in at.error[0].value
    assert at.subheader[1].value.startswith("张店区人民政府办公室")
