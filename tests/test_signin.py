"""The sign-in gate of a multi-user dashboard (GKDASH_ACCESS=accounts) with Streamlit's AppTest:
every page shows only the sign-in form until the visitor signs in; a wrong password gets a clear
message; a viewer gets no uploader and their correction is refused by the library; an editor's
upload lands in their own space (private) and an admin sees it waiting for publication. In the
default single-user mode there is no sign-in (tests/test_pages.py runs every page that way)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gkcore.access import Accounts
from gkcore.library import Library
from gkcore.store.cache import Cache

from .conftest import FIXTURES

APP = str(Path(__file__).parent.parent / "app.py")
REPORT = FIXTURES / "real" / "fujian-pingtan_2024_guanweihui.txt"
OTHER = FIXTURES / "real" / "fujian-pingtan_2023_guanweihui.txt"
USERS = {"val": ("viewer", "val-password-1"), "ed": ("editor", "ed-password-22"), "ann": ("admin", "ann-password-3")}


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_cache: Path) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("GKDASH_ACCESS", "accounts")
    monkeypatch.setenv("GKDASH_HOME", str(home))
    accounts = Accounts(home)
    for name, (role, pw) in USERS.items():
        accounts.add(name, role, pw)
    assert not Library(Cache(_isolated_cache)).ingest_bytes(REPORT.read_bytes(), REPORT.name).error
    return home


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="gk_name").set_value(name)
    at.text_input(key="gk_password").set_value(password)
    return at.button[0].click().run()       # the form's submit button


def start(name: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, [e.message for e in at.exception]
    if name:
        sign_in(at, name, USERS[name][1])
        assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["app.py", "pages/compare.py", "pages/data.py"])
def test_every_page_shows_only_the_sign_in_until_signed_in(office: Path, page: str) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    if page != "app.py":
        at.switch_page(page)
    at.run()
    assert [t.value for t in at.title] == ["登录 · 政务公开年报看板"]
    assert not at.dataframe and not at.metric and not at.get("page_link") and not at.get("file_uploader")


def test_wrong_password_then_right_one(office: Path) -> None:
    at = start()
    sign_in(at, "ed", "not-the-password")
    assert [e.value for e in at.error] and "用户名或密码错误" in at.error[0].value
    assert "Wrong user name or password" in at.error[0].value
    sign_in(at, "ed", USERS["ed"][1])
    assert at.title[0].value == "单份报告" and not at.error
    at.switch_page("pages/compare.py").run()           # one sign-in serves every page of the session
    assert at.title[0].value != "登录 · 政务公开年报看板" and not at.exception


def test_a_viewer_has_no_uploader_and_a_correction_is_refused(office: Path) -> None:
    at = start("val")
    assert at.title[0].value == "单份报告"
    assert not at.get("file_uploader")
    assert any("上传需要 editor 角色" in c.value for c in at.caption)
    rid = str(at.selectbox(key="report_id").value)
    at.text_input(key="reason").set_value("test")
    # Streamlit's data editor cannot be edited through AppTest: call the page's library as the
    # page would (the same GuardedLibrary the page gets), and see it refuse.
    from gkcore.access import GuardedLibrary, Office, Refused, User

    lib = GuardedLibrary(Office(Library(Cache()), office), User("val", "viewer"))
    with pytest.raises(Refused, match="val \\(viewer\\) may not correct a cell"):
        lib.correct(rid, "t4", "review", "total", "5")


def test_an_editor_upload_is_private_and_an_admin_sees_it_waiting(office: Path) -> None:
    at = start("ed")
    at.file_uploader(key="upload").set_value([(OTHER.name, OTHER.read_bytes(), "text/plain")]).run()
    assert not at.exception
    assert at.subheader[0].value.endswith("2023")               # shown at once, in ed's own space
    assert at.sidebar.radio(key="gk_space_choice").value == "ed"
    assert Library(Cache()).count() == 1                         # the shared library: still one report
    admin = start("ann")
    assert admin.selectbox(key="report_id").options and len(admin.selectbox(key="report_id").options) == 1
    waiting = admin.sidebar.selectbox(key="gk_pub_pick")
    assert len(waiting.options) == 1 and "ed" in waiting.options[0]
    admin.sidebar.button(key="gk_publish").click().run()
    assert Library(Cache()).count() == 2


def test_every_page_runs_for_a_signed_in_viewer(office: Path) -> None:
    """The guarded library answers every read the pages make (and the navigation shows)."""
    from .test_pages import PAGES

    at = start("val")
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        assert at.title and at.title[0].value != "登录 · 政务公开年报看板", page
        assert at.get("page_link"), page


def test_an_accounts_folder_inside_the_checkout_is_refused_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    inside = Path(APP).parent / "data" / "gkdash-home"
    monkeypatch.setenv("GKDASH_ACCESS", "accounts")
    monkeypatch.setenv("GKDASH_HOME", str(inside))
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert "set GKDASH_HOME to a folder outside it" in at.error[0].value
    assert not at.get("text_input") and not inside.exists()
