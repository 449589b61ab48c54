"""Deletion as a tombstone: a deleted report's cache entry is moved, whole, out of its library
into tombstones/ under the access home with a note of who deleted it, when, why and from where,
so an admin can restore it exactly as it was (its corrections stay saved and apply again)."""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import NoSuchTombstone
from .home import write_private

ABOUT = "about.json"


@dataclass(frozen=True)
class Tombstone:
    id: str
    report_id: str
    label: str           # the report's display name when it was deleted
    space: str           # "shared" or the workspace's owner
    entry: str           # where the cache entry was (and goes back to)
    by: str
    at: str
    why: str


class Tombstones:
    def __init__(self, root: Path) -> None:
        self.dir = root / "tombstones"

    def bury(self, entry: Path, report_id: str, label: str, space: str, by: str, at: str, why: str) -> Tombstone:
        """Move the entry folder here (a rename when on one file system: the library loses it whole)."""
        t = Tombstone(f"{at[:19].replace(':', '').replace('-', '')}-{secrets.token_hex(4)}", report_id, label,
                      space, str(entry), by, at, why)
        grave = self.dir / t.id
        grave.mkdir(mode=0o700, parents=True)
        shutil.move(str(entry), grave / "entry")
        write_private(grave / ABOUT, json.dumps(asdict(t), ensure_ascii=False).encode("utf-8"))
        return t

    def list(self) -> list[Tombstone]:
        out = []
        for about in sorted(self.dir.glob(f"*/{ABOUT}")) if self.dir.is_dir() else []:
            try:
                out.append(Tombstone(**json.loads(about.read_text(encoding="utf-8"))))
            except (ValueError, TypeError):
                continue
        return out

    def get(self, tomb_id: str) -> Tombstone:
        for t in self.list():
            if t.id == tomb_id:
                return t
        raise NoSuchTombstone(tomb_id[:40])

    def raise_up(self, tomb_id: str) -> Tombstone:
        """Move the entry back where it was (kept as it is there when the report was ingested again)."""
        t = self.get(tomb_id)
        grave = self.dir / t.id
        target = Path(t.entry)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".restore-{t.id}")
            shutil.move(str(grave / "entry"), tmp)
            tmp.rename(target)          # appears whole in the library
        shutil.rmtree(grave)
        return t
