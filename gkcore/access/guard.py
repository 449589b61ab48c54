"""The library as one signed-in user may use it: every action checks the user's role here, not
only the pages by hiding buttons, and is written to the audit log with who, when and why.

Reading (listing, querying, downloading) is every role's, from the space the user looks at: the
shared library, or their own workspace. Writing: an editor uploads (always into their own
workspace, private), corrects, publishes and deletes their own uploads; an admin publishes and
deletes anything and restores deletions. Anything else that could write (the cache, the store,
the unguarded ingest methods, private attributes) is refused."""

from __future__ import annotations

from typing import Any

from ..library import IngestResult, Library
from ..parse.readers.pdf import Progress
from .accounts import ADMIN, EDITOR, User
from .audit import CORRECT, DELETE, PUBLISH, RESTORE, UPLOAD, now
from .errors import NoSuchReport, Refused
from .office import SHARED, Office
from .tombstones import Tombstone

_UNGUARDED = frozenset({"cache", "store", "ingest_bytes", "ingest_paths", "forget"})
_ACTIONS = {"upload": ("上传", "upload"), "correct": ("更正", "correct a cell"),
            "publish": ("发布", "publish"), "delete": ("删除", "delete"), "restore": ("恢复", "restore")}


class GuardedLibrary:
    """Library's reading methods (from the space looked at) and its guarded writing ones."""

    def __init__(self, office: Office, user: User, space: str = SHARED) -> None:
        self.office = office
        self.user = user
        self._asked = space

    def asked(self) -> str:
        """The space the user asked to look at."""
        return self._asked

    @property
    def space(self) -> str:
        """The space looked at: the shared library, or the user's own (an admin's choice of any)."""
        s = self.asked()
        return s if s in (SHARED, self.user.name) or self.user.can(ADMIN) else SHARED

    @property
    def view(self) -> Library:
        return self.office.library(self.space)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):                   # Python's own probes (copy, pickle, hasattr)
            raise AttributeError(name)
        if name.startswith("_") or name in _UNGUARDED:
            raise Refused(zh=f"不能绕过权限检查直接使用报告库的 {name}：请用上传、更正、发布或删除。",
                          en=f"The library's {name} is not open past the role checks: upload, correct, publish "
                             "or delete instead.")
        return getattr(self.view, name)

    def may(self, role: str) -> bool:
        return self.user.can(role)

    def _need(self, action: str, role: str) -> None:
        if not self.user.can(role):
            raise _refused(action, role, self.user)

    # ---- writing -------------------------------------------------------------------------
    def ingest_upload(self, data: bytes, name: str, seen: dict[str, str] | None = None,
                      progress: Progress | None = None) -> list[IngestResult]:
        """Into the user's own workspace, private until published."""
        self._need("upload", EDITOR)
        out = self.office.workspace(self.user.name).ingest_upload(data, name, seen, progress)
        for r in out:
            if r.report_id and not r.duplicate_of and not r.cached:      # new to the workspace
                self.office.audit.record(self.user.name, UPLOAD, self.user.name, r.report_id, "", r.name)
        return out

    def correct(self, report_id: str, table: str, row: str, col: str, new_raw: str, reason: str = "",
                action: str = "correct") -> None:
        """A correction (or an undo or delete of a cell's corrections) in the space looked at, saved
        with the user's name (the latest standing one wins; every entry kept)."""
        self._need("correct", EDITOR)
        self.view.correct(report_id, table, row, col, new_raw, reason, action, by=self.user.name)
        what = f"{table}.{row}.{col}=" + new_raw if action == "correct" else f"{table}.{row}.{col} {action}"
        self.office.audit.record(self.user.name, CORRECT, self.space, report_id, reason, what)

    def publish(self, report_id: str, why: str = "", owner: str | None = None) -> None:
        """Copy an upload from a workspace (the user's own; an admin's choice of owner) into the
        shared library; the upload stays in the workspace too."""
        self._need("publish", EDITOR)
        owner = owner or self.user.name
        if owner != self.user.name:
            self._need("publish", ADMIN)
        ws = self.office.workspace(owner)
        row = ws.row(report_id)
        parsed = None if row is None else ws.report(report_id)
        if row is None or parsed is None:
            raise NoSuchReport(report_id)
        self.office.shared.cache.put(parsed, ws.source(report_id))
        self.office.audit.record(self.user.name, PUBLISH, SHARED, report_id, why,
                                 f"{row['source_name']} owner={owner}")

    def delete(self, report_id: str, why: str = "", space: str | None = None) -> Tombstone:
        """Move a report out of a library into a tombstone (an admin can restore it). An editor
        deletes only their own uploads: in their workspace, or published by them."""
        self._need("delete", EDITOR)
        space = space or self.space
        mine = space == self.user.name or (space == SHARED and self.office.audit.owner(report_id) == self.user.name)
        if not mine:
            self._need("delete", ADMIN)
        lib = self.office.library(space)
        row = lib.row(report_id)
        if row is None:
            raise NoSuchReport(report_id)
        label = lib.names([report_id]).get(report_id, report_id)
        entry = lib.cache.path(str(row["sha256"]))
        at = now()
        t = self.office.tombstones.bury(entry, report_id, label, space, self.user.name, at, why)
        self.office.audit.record(self.user.name, DELETE, space, report_id, why, f"{label} tombstone={t.id}")
        return t

    def restore(self, tomb_id: str, why: str = "") -> Tombstone:
        self._need("restore", ADMIN)
        t = self.office.tombstones.raise_up(tomb_id)
        self.office.audit.record(self.user.name, RESTORE, t.space, t.report_id, why, f"{t.label} tombstone={t.id}")
        return t

    # ---- what the admin panel lists --------------------------------------------------------
    def deleted(self) -> list[Tombstone]:
        """The tombstones an admin may restore."""
        self._need("restore", ADMIN)
        return self.office.tombstones.list()

    def unpublished(self) -> dict[str, dict[str, str]]:
        """owner -> {report_id: name} of the workspace reports not in the shared library: the
        user's own, or (admin) everyone's."""
        self._need("publish", EDITOR)
        owners = self.office.owners() if self.user.can(ADMIN) else [self.user.name]
        out: dict[str, dict[str, str]] = {}
        for o in owners:
            ws = self.office.workspace(o)
            if ws.count() == 0:
                continue
            ids = ws.reports()["report_id"].astype(str).tolist()
            shared = set(self.office.shared.names(ids))
            todo = [i for i in ids if i not in shared]
            if todo:
                out[o] = ws.names(todo)
        return out


def _refused(action: str, role: str, user: User) -> Refused:
    zh, en = _ACTIONS[action]
    return Refused(zh=f"{user.name}（{user.role}）无权{zh}：需要 {role} 角色；如需权限，请联系管理员。",
                   en=f"{user.name} ({user.role}) may not {en}: that needs the {role} role; ask an administrator.")
