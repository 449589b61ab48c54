"""The audit log: who did what, when and why, one JSON line per event in audit.jsonl under the
access home (appended under a lock, flushed to disk). Uploads, corrections, publications,
deletions, restorations and account changes are recorded; nothing is ever rewritten."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .home import locked

UPLOAD, CORRECT, PUBLISH, DELETE, RESTORE, USERS = "upload", "correct", "publish", "delete", "restore", "users"


@dataclass(frozen=True)
class Event:
    at: str           # ISO time, UTC, to the microsecond (the order of two events of one second)
    who: str
    action: str       # one of the names above
    space: str        # "shared", or the workspace's owner
    report_id: str
    why: str
    detail: str       # what changed: a cell and its new text, a file name, a user and role


EVENT_COLUMNS = tuple(f.name for f in fields(Event))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Audit:
    def __init__(self, root: Path) -> None:
        self.path = root / "audit.jsonl"

    def record(self, who: str, action: str, space: str = "", report_id: str = "", why: str = "",
               detail: str = "") -> Event:
        ev = Event(now(), who, action, space, report_id, why, detail)
        line = json.dumps(asdict(ev), ensure_ascii=False) + "\n"
        with locked(self.path):
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        return ev

    def events(self) -> list[Event]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                d = json.loads(line)
                out.append(Event(*(str(d.get(k, "")) for k in EVENT_COLUMNS)))
            except ValueError:
                continue              # a line cut by a crash: the others still count
        return out

    def frame(self) -> pd.DataFrame:
        """Every event, oldest first (for the admins' download: who corrected, published, deleted what)."""
        evs = self.events()
        return pd.DataFrame([asdict(e) for e in evs], columns=list(EVENT_COLUMNS)).astype("str")

    def owner(self, report_id: str) -> str:
        """Who uploaded a report the shared library holds (the last publication says), or ""."""
        got = [e.detail for e in self.events() if e.action == PUBLISH and e.report_id == report_id]
        return got[-1].rpartition("owner=")[2] if got else ""
