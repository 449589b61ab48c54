"""Sign-in, roles and the office panel of a multi-user dashboard (issue 22): the Streamlit side of
gkcore.access. Off in single-user mode (the default, `make run`): every function here then lets
everything through and the pages get the plain library, as before.

In accounts mode (GKDASH_ACCESS=accounts, or `access = "accounts"` in GKDASH_HOME/config.toml):
- `gate()` (ui.setup, first thing on every page) shows only the sign-in form until the visitor
  signs in; the signed token is kept in the session and checked (signature, expiry, the user's
  current role) on every run;
- `library()` gives the pages a GuardedLibrary: reads from the space the user looks at (the shared
  library, or their own uploads), every write checked against the role and audited;
- `sidebar()` shows who is signed in, the space switch and the office panel: publish an upload,
  delete the shown report (a tombstone), restore a deletion and download the audit log (admins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from gkcore.access import ACCOUNTS, ADMIN, EDITOR, SHARED, AccessError, GuardedLibrary, Office, User, mode
from gkcore.access.home import home
from gkcore.library import IngestResult, Library
from gkcore.parse.readers.pdf import Progress

TOKEN = "gk_token"
SPACE = "gk_space"
NOTE = "gk_note"


def _t(zh: str, en: str) -> str:
    return en if st.session_state.get("lang") == "en" else zh


def on() -> bool:
    """Whether sign-in is on (accounts mode)."""
    return mode() == ACCOUNTS


@st.cache_resource
def _office(shared_root: str, home_dir: str, _shared: Library) -> Office:
    from pathlib import Path

    return Office(_shared, Path(home_dir))


def office(shared: Library) -> Office:
    return _office(str(shared.cache.root), str(home()), shared)


def user(shared: Library) -> User | None:
    """The signed-in user (None when nobody is, or the sign-in expired or was revoked)."""
    token = st.session_state.get(TOKEN)
    if not token:
        return None
    try:
        return office(shared).user_of(str(token))
    except AccessError:
        st.session_state.pop(TOKEN, None)
        st.session_state[NOTE] = _t("登录已过期，请重新登录。", "The sign-in expired: sign in again.")
        return None


class _SessionLibrary(GuardedLibrary):
    """Looks at the space the session chose; a fresh upload switches the session to the user's
    own space, where it is (private), for the rest of the page run too."""

    def asked(self) -> str:
        return str(st.session_state.get(SPACE, SHARED))

    def ingest_upload(self, data: bytes, name: str, seen: dict[str, str] | None = None,
                      progress: Progress | None = None) -> list[IngestResult]:
        out = super().ingest_upload(data, name, seen, progress)
        switched = st.session_state.setdefault("gk_switched", set())    # once per report: the user may go back
        fresh = {r.report_id for r in out if r.report_id} - switched
        if fresh and st.session_state.get(SPACE, SHARED) != self.user.name:
            st.session_state[SPACE] = self.user.name
            st.session_state["gk_rerun"] = True
        switched |= fresh
        return out


def after_upload(said: bool) -> None:
    """After ui.upload read the files: when an upload switched the session to the user's own
    space, run the page again so the sidebar says so too (not when the upload left messages to read)."""
    if st.session_state.pop("gk_rerun", False) and not said:
        st.rerun()


def library(shared: Library) -> Library:
    """What the pages query: the plain library in single-user mode; in accounts mode the signed-in
    user's GuardedLibrary (it answers every Library method the pages call)."""
    if not on():
        return shared
    who = user(shared)
    if who is None:                      # gate() stops every page before it gets here
        st.stop()
    assert who is not None
    guarded = _SessionLibrary(office(shared), who)
    return cast(Library, guarded)


def may(role: str, shared: Library) -> bool:
    """Whether the visitor holds this role (always in single-user mode)."""
    if not on():
        return True
    who = user(shared)
    return who is not None and who.can(role)


def gate(shared: Library) -> None:
    """Accounts mode: the sign-in form, and nothing else, until the visitor signs in."""
    if not on():
        return
    try:
        if user(shared) is not None:
            return
        office(shared)
    except AccessError as exc:          # e.g. GKDASH_HOME inside the checkout: say so, serve nothing
        st.error(exc.message)
        st.stop()
    st.title(_t("登录 · 政务公开年报看板", "Sign in · Disclosure reports"))
    if not office(shared).accounts.list():
        st.warning(_t("还没有任何账户：请在服务器上运行 gkcore users add 用户名 --role admin（见 docs/deploy.md）。",
                      "No account exists yet: on the server, run `gkcore users add NAME --role admin` "
                      "(docs/deploy.md)."))
    if st.session_state.get(NOTE):
        st.info(st.session_state.pop(NOTE))
    with st.form("sign_in"):
        name = st.text_input(_t("用户名", "User name"), key="gk_name")
        password = st.text_input(_t("密码", "Password"), type="password", key="gk_password")
        go = st.form_submit_button(_t("登录", "Sign in"), type="primary")
    if go:
        try:
            got = office(shared).sign_in(name, password)
        except AccessError as exc:
            st.error(exc.message, icon="🔒")
        else:
            st.session_state[TOKEN] = got.token
            st.session_state[SPACE] = SHARED     # a new sign-in always opens on the shared library
            st.rerun()
    st.caption(_t("账户由管理员用 gkcore users add 创建。",
                  "An administrator creates accounts with `gkcore users add`."))
    st.stop()


def _sign_out() -> None:
    for k in (TOKEN, SPACE, "report_id"):
        st.session_state.pop(k, None)


def _space_chosen() -> None:
    st.session_state[SPACE] = st.session_state["gk_space_choice"]
    st.session_state.pop("report_id", None)         # the shown report is in the other space


def sidebar(shared: Library, page: str) -> None:
    """Who is signed in, the space switch, and what their role may do to the library."""
    if not on():
        return
    who = user(shared)
    if who is None:
        return
    lib = cast(GuardedLibrary, library(shared))
    if who.can(EDITOR):             # which library the pages show: the shared one, or one's own uploads
        spaces = {SHARED: _t("共享库", "Shared library"),
                  who.name: _t("我的上传（仅自己可见）", "My uploads (private)")}
        st.session_state["gk_space_choice"] = lib.space
        st.sidebar.radio(_t("报告库", "Library"), list(spaces), format_func=spaces.__getitem__,
                         key="gk_space_choice", on_change=_space_chosen)
    box = st.sidebar.expander(_t(f"用户：{who.name}（{who.role}）", f"User: {who.name} ({who.role})"),
                              expanded=bool(st.session_state.get(NOTE)))
    if st.session_state.get(NOTE):
        box.info(st.session_state.pop(NOTE))
    box.button(_t("退出登录", "Sign out"), on_click=_sign_out, key="gk_sign_out")
    if who.can(EDITOR):
        _publish(box, lib)
    if who.can(ADMIN):
        _restore(box, lib)
        box.download_button(_t("审计记录 CSV（谁在何时因何更正、上传、发布、删除）",
                               "Audit log CSV (who changed what, when, why)"),
                            lambda: lib.office.audit.frame().to_csv(index=False).encode("utf-8"),
                            "gkdash-audit.csv", "text/csv", key="gk_audit")


def _act(run: Callable[[], object], done: str) -> None:
    """Run an office action (a button's callback): its outcome is shown on the next run."""
    try:
        run()
    except AccessError as exc:
        st.session_state[NOTE] = exc.message
    else:
        st.session_state[NOTE] = done


def _publish(box: DeltaGenerator, lib: GuardedLibrary) -> None:
    waiting = [(owner, rid, name) for owner, got in lib.unpublished().items() for rid, name in got.items()]
    if not waiting:
        return
    pick = box.selectbox(_t("待发布的上传", "Uploads not yet published"), range(len(waiting)), key="gk_pub_pick",
                         format_func=lambda i: f"{waiting[i][2]} · {waiting[i][0]}")
    why = box.text_input(_t("发布说明", "Why publish"), key="gk_pub_why")
    owner, rid, name = waiting[pick]
    box.button(_t("发布到共享库", "Publish to the shared library"), key="gk_publish",
               on_click=lambda: _act(lambda: lib.publish(rid, why, owner),
                                     _t(f"已发布：{name}", f"Published: {name}")))


def report_actions(lib: Library, rid: str) -> None:
    """Below a report (app.py), for an editor or admin in accounts mode: delete it, with a reason
    (a tombstone an admin can restore; the library refuses an editor another user's report)."""
    if not isinstance(lib, GuardedLibrary) or not lib.may(EDITOR):
        return
    name = lib.names([rid]).get(rid, rid)
    with st.expander(_t("删除此报告", "Delete this report")):
        if st.session_state.get(NOTE):
            st.info(st.session_state.pop(NOTE))
        why = st.text_input(_t("删除原因", "Why delete"), key="gk_del_why")

        def gone() -> None:
            lib.delete(rid, why)
            st.session_state.pop("report_id", None)

        st.button(_t(f"删除：{name}", f"Delete: {name}"), key="gk_delete",
                  help=_t("删除后可由管理员恢复。", "An administrator can restore it."),
                  on_click=lambda: _act(gone, _t(f"已删除：{name}（管理员可恢复）",
                                                 f"Deleted: {name} (an admin can restore it)")))


def _restore(box: DeltaGenerator, lib: GuardedLibrary) -> None:
    graves = lib.deleted()
    if not graves:
        return
    pick = box.selectbox(_t("已删除的报告", "Deleted reports"), range(len(graves)), key="gk_rest_pick",
                         format_func=lambda i: f"{graves[i].label} · {graves[i].by} · {graves[i].at[:16]}")
    t = graves[pick]
    box.button(_t("恢复", "Restore"), key="gk_restore",
               on_click=lambda: _act(lambda: lib.restore(t.id), _t(f"已恢复：{t.label}", f"Restored: {t.label}")))
