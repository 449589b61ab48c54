"""One server for an office (issue 22), below the pages: argon2id accounts, signed sign-ins that
expire, the brake on failed sign-ins, the roles checked by the library itself (a viewer calling it
directly is refused), private workspaces until publication, deletions restorable from their
tombstones, every change in the audit log, two editors correcting one cell at once, the
`gkcore users` commands fed from standard input, and no secret ever written in plain text or
into the repository."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gkcore.access import ADMIN, EDITOR, SHARED, VIEWER, GuardedLibrary, Office, User, sessions
from gkcore.access.brake import BASE_S, FREE, delay
from gkcore.access.errors import (
    BadCredentials,
    BadName,
    HomeInCheckout,
    NoSuchReport,
    NotSignedIn,
    Refused,
    SlowDown,
    UserExists,
    WeakPassword,
)
from gkcore.access.home import home, mode
from gkcore.cli import main
from gkcore.library import Library
from gkcore.store.cache import Cache

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
REPORT = FIXTURES / "real" / "fujian-pingtan_2024_guanweihui.txt"
OTHER = FIXTURES / "real" / "fujian-pingtan_2023_guanweihui.txt"
PASSWORDS = {"ann": "ann-password-1", "ed": "ed-password-22", "eve": "eve-password-333", "val": "val-password-4444"}
ROLES = {"ann": ADMIN, "ed": EDITOR, "eve": EDITOR, "val": VIEWER}


@pytest.fixture
def office_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "gkdash-home"
    monkeypatch.setenv("GKDASH_HOME", str(root))
    return root


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One report parsed once for the module; each test copies the cache."""
    root = tmp_path_factory.mktemp("shared")
    assert not Library(Cache(root)).ingest_bytes(REPORT.read_bytes(), REPORT.name).error
    return root


@pytest.fixture
def office(office_home: Path, shared_cache: Path, tmp_path: Path) -> Office:
    import shutil

    root = tmp_path / "shared-cache"
    shutil.copytree(shared_cache, root)
    o = Office(Library(Cache(root)), home())
    for name, pw in PASSWORDS.items():
        o.accounts.add(name, ROLES[name], pw)
    return o


def as_(office: Office, name: str, space: str = SHARED) -> GuardedLibrary:
    return GuardedLibrary(office, User(name, ROLES[name]), space)


def only_id(lib: Library | GuardedLibrary) -> str:
    ids = lib.reports()["report_id"].tolist()
    assert len(ids) == 1
    return str(ids[0])


# ---- accounts, sessions, brake ---------------------------------------------------------------
def test_password_is_an_argon2id_hash_and_checked(office: Office) -> None:
    saved = json.loads(office.accounts.path.read_text(encoding="utf-8"))["users"]
    assert saved["ed"]["hash"].startswith("$argon2id$")
    assert saved["ed"]["hash"] != saved["eve"]["hash"]
    assert office.accounts.verify("ed", PASSWORDS["ed"]) == User("ed", EDITOR)
    with pytest.raises(BadCredentials, match="Wrong user name or password"):
        office.accounts.verify("ed", PASSWORDS["eve"])
    with pytest.raises(BadCredentials, match="Wrong user name or password"):
        office.accounts.verify("nobody", PASSWORDS["ed"])      # the same answer for an unknown name
    with pytest.raises(WeakPassword, match="at least 10 characters"):
        office.accounts.add("kim", VIEWER, "short")
    with pytest.raises(UserExists, match="gkcore users passwd"):
        office.accounts.add("ed", VIEWER, "another-password")
    with pytest.raises(BadName, match="1-32 letters"):
        office.accounts.add("../etc", VIEWER, "another-password")


def test_sign_in_is_signed_and_expires(office: Office) -> None:
    t0 = 1_900_000_000.0
    got = office.sign_in("ed", PASSWORDS["ed"], now=t0)
    assert office.user_of(got.token, now=t0 + 60) == User("ed", EDITOR)
    with pytest.raises(NotSignedIn, match="sign in again"):
        office.user_of(got.token, now=t0 + sessions.LIFETIME_S + 1)            # expired
    payload, _, sig = got.token.partition(".")
    forged = sessions._b64(json.dumps({"n": "ann", "i": t0, "e": t0 + 9e9, "r": "x"}).encode())
    for bad in (f"{forged}.{sig}", f"{payload}.{sig[:-2]}AA", sessions.issue(b"another key" * 3, "ann", t0), ""):
        with pytest.raises(NotSignedIn):
            office.user_of(bad, now=t0 + 60)
    office.accounts.remove("ed")                     # a removed user's sign-in ends at once
    with pytest.raises(NotSignedIn):
        office.user_of(got.token, now=t0 + 60)


def test_failed_sign_ins_are_braked_with_a_growing_delay(office: Office) -> None:
    t0 = 1_900_000_000.0
    for i in range(1, FREE):
        with pytest.raises(BadCredentials) as no:
            office.sign_in("ed", "wrong password", now=t0 + i)
        assert "wait" not in no.value.message
    with pytest.raises(BadCredentials, match=f"wait {BASE_S:.0f} s"):
        office.sign_in("ed", "wrong password", now=t0 + FREE)
    with pytest.raises(SlowDown, match="Too many failed sign-ins.*wait"):
        office.sign_in("ed", PASSWORDS["ed"], now=t0 + FREE + 1)             # even the right password
    assert office.sign_in("ed", PASSWORDS["ed"], now=t0 + FREE + BASE_S + 1).user.name == "ed"
    assert [delay(n) for n in range(FREE + 3)] == [0, 0, 0, BASE_S, 2 * BASE_S, 4 * BASE_S]
    assert office.brake.wait("ed", now=t0 + 100) == 0                         # a success clears it
    assert office.brake.wait("eve", now=t0) == 0                              # one name's brake only


# ---- roles, refused by the library itself ----------------------------------------------------
def test_a_viewer_calling_the_library_directly_is_refused(office: Office) -> None:
    val = as_(office, "val")
    rid = only_id(val)                                   # reading is every role's
    assert val.cells([rid]).shape[0] > 0
    data = OTHER.read_bytes()
    with pytest.raises(Refused, match=r"val \(viewer\) may not upload: that needs the editor role; ask an admin"):
        val.ingest_upload(data, OTHER.name)
    with pytest.raises(Refused, match="may not correct a cell"):
        val.correct(rid, "t4", "review", "total", "99", "test")
    with pytest.raises(Refused, match="may not publish"):
        val.publish(rid)
    with pytest.raises(Refused, match="may not delete"):
        val.delete(rid)
    with pytest.raises(Refused, match="may not restore"):
        val.restore("x")
    for door in ("cache", "store", "ingest_bytes", "ingest_paths", "_state", "_views", "_memo"):  # no way round
        with pytest.raises(Refused, match=f"library's {door} is not open past the role checks"):
            getattr(val, door)
    assert office.shared.corrections().empty and office.shared.count() == 1
    with pytest.raises(Refused, match="may not restore"):
        as_(office, "ed").restore("x")                   # restoring is an admin's


def test_an_upload_is_private_until_published(office: Office) -> None:
    ed, eve = as_(office, "ed"), as_(office, "eve")
    [res] = ed.ingest_upload(OTHER.read_bytes(), OTHER.name)
    rid = res.report_id
    assert not res.error and rid not in office.shared.names([rid])       # not in the shared library
    assert rid in as_(office, "ed", "ed").names([rid])                   # in ed's own space
    assert as_(office, "eve", "ed").space == SHARED                      # eve cannot look into ed's space
    assert rid not in as_(office, "eve", "ed").names([rid])
    assert eve.unpublished() == {}
    with pytest.raises(Refused, match="eve \\(editor\\) may not publish"):
        eve.publish(rid, owner="ed")
    with pytest.raises(NoSuchReport, match="reload the page"):
        eve.publish(rid)                                                 # not in eve's space
    assert list(as_(office, "ann").unpublished()) == ["ed"]             # an admin sees everyone's
    ed.publish(rid, "checked against the printed copy")
    assert rid in eve.names([rid]) and ed.unpublished() == {}
    ev = [(e.who, e.action, e.report_id, e.why) for e in office.audit.events()]
    assert ("ed", "upload", rid, "") in ev and ("ed", "publish", rid, "checked against the printed copy") in ev


def test_a_deletion_is_a_tombstone_an_admin_restores(office: Office) -> None:
    ed, eve, ann = as_(office, "ed"), as_(office, "eve"), as_(office, "ann")
    [res] = ed.ingest_upload(OTHER.read_bytes(), OTHER.name)
    rid = res.report_id
    ed.publish(rid)
    ed.correct(rid, "t4", "review", "total", "7", "typo in the print")
    with pytest.raises(Refused, match="eve \\(editor\\) may not delete"):
        eve.delete(rid)                                                  # not eve's upload
    grave = ed.delete(rid, "wrong year")
    assert rid not in eve.names([rid]) and office.shared.count() == 1
    assert [t.id for t in ann.deleted()] == [grave.id] and grave.by == "ed" and grave.why == "wrong year"
    ann.restore(grave.id, "it was right")
    assert rid in eve.names([rid])
    cells = eve.cells([rid]).set_index(["table", "row", "col"])
    assert cells.loc[("t4", "review", "total"), "raw"] == "7"            # its correction applies again
    assert ann.deleted() == []
    first = [r for r in office.shared.reports()["report_id"] if r != rid][0]
    with pytest.raises(Refused, match="ed \\(editor\\) may not delete"):
        ed.delete(first)                                                 # not ed's: an admin's to remove
    ann.delete(first, "sample")
    actions = [e.action for e in office.audit.events()]
    assert actions.count("delete") == 2 and actions.count("restore") == 1


def test_two_editors_correcting_one_cell_at_once_both_kept_last_wins(office: Office) -> None:
    rid = only_id(office.shared)
    eds = {"ed": as_(office, "ed"), "eve": as_(office, "eve")}
    start = threading.Barrier(2)
    base = {"ed": 1000, "eve": 2000}
    errors: list[BaseException] = []

    def run(name: str) -> None:
        start.wait()
        try:
            for i in range(10):
                eds[name].correct(rid, "t4", "review", "total", str(base[name] + i), f"{name} pass {i}")
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in eds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    log = office.shared.corrections()
    assert len(log) == 20 and sorted(log["by"].value_counts().tolist()) == [10, 10]     # nothing lost
    last = log.iloc[-1]
    cell = office.shared.cells([rid]).set_index(["table", "row", "col"]).loc[("t4", "review", "total")]
    assert cell["raw"] == last["new_raw"] and cell["flag"] == "corrected"                # the last write wins
    audited = [e for e in office.audit.events() if e.action == "correct"]
    assert len(audited) == 20 and {e.who for e in audited} == {"ed", "eve"}


# ---- the command line ------------------------------------------------------------------------
def test_users_command_reads_the_password_from_stdin(office_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password-1\n"))
    assert main(["users", "add", "kim", "--role", "editor"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    assert main(["users", "add", "lee", "--role", "viewer"]) == 2
    assert "at least 10 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a-newer-password-2\n"))
    assert main(["users", "passwd", "kim"]) == 0
    capsys.readouterr()
    assert main(["users", "list"]) == 0
    assert capsys.readouterr().out.split("\t")[:2] == ["kim", "editor"]
    o = Office(Library(Cache(office_home / "c")), office_home)
    assert o.sign_in("kim", "a-newer-password-2").user == User("kim", EDITOR)
    assert main(["users", "remove", "kim"]) == 0 and main(["users", "remove", "kim"]) == 2
    assert main(["users", "audit"]) == 0
    out = capsys.readouterr().out
    assert "add kim role=editor" in out and "passwd kim" in out and "remove kim" in out


def test_users_command_as_a_script_pipes_it(office_home: Path, tmp_path: Path) -> None:
    env = dict(os.environ, GKDASH_HOME=str(office_home))
    proc = subprocess.run([sys.executable, "-m", "gkcore", "users", "add", "pat", "--role", "admin"],
                          input="pat-password-99\n", capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    listed = subprocess.run([sys.executable, "-m", "gkcore", "users", "list"], capture_output=True, text=True,
                            env=env, cwd=ROOT)
    assert listed.stdout.startswith("pat\tadmin\t")
    assert "pat-password-99" not in (office_home / "users.json").read_text(encoding="utf-8")


# ---- secrets -----------------------------------------------------------------------------------
def test_no_secret_in_plain_text_nor_in_the_repository(office: Office) -> None:
    token = office.sign_in("ann", PASSWORDS["ann"]).token
    as_(office, "ed").correct(only_id(office.shared), "t4", "review", "total", "3", "x")
    key_hex = (office.root / "session.key").read_text(encoding="ascii").strip()
    assert len(bytes.fromhex(key_hex)) == sessions.KEY_BYTES
    written = [p for p in office.root.rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"users.json", "session.key", "audit.jsonl"}
    for p in written:
        data = p.read_bytes()
        for pw in PASSWORDS.values():
            assert pw.encode() not in data, f"a password in plain text in {p}"
        if p.name != "session.key":
            assert key_hex.encode() not in data and token.encode() not in data, p
        if p.parent == office.root:
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p                 # the owner's only
    assert stat.S_IMODE(office.root.stat().st_mode) == 0o700
    assert not office.root.resolve().is_relative_to(ROOT)                      # outside the checkout
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    assert not [n for n in tracked if n.endswith((b"session.key", b"users.json", b"brake.json", b"audit.jsonl"))]
    for secret in (key_hex, token):              # in no file of the checkout, tracked or not
        hit = subprocess.run(["git", "grep", "--untracked", "-I", "-l", "-F", secret], cwd=ROOT, capture_output=True)
        assert hit.returncode == 1 and hit.stdout == b"", hit.stdout


def test_the_secrets_folder_cannot_be_inside_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKDASH_HOME", str(ROOT / "data" / "secrets"))
    with pytest.raises(HomeInCheckout, match="set GKDASH_HOME to a folder outside it"):
        home()
    assert not (ROOT / "data" / "secrets").exists()


def test_single_user_mode_is_the_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GKDASH_ACCESS", raising=False)
    monkeypatch.setenv("GKDASH_HOME", str(tmp_path))
    assert mode() == "single"
    (tmp_path / "config.toml").write_text('access = "accounts"\n', encoding="utf-8")
    assert mode() == "accounts"
    monkeypatch.setenv("GKDASH_ACCESS", "single")
    assert mode() == "single"
