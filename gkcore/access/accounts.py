"""The office's local accounts: a name, a role and an argon2id hash (salted, slow: argon2-cffi)
per user, in users.json under the access home (0600). The password itself is never stored.

Roles, each including the one before: viewer (reads and downloads), editor (uploads, corrects,
deletes and publishes their own uploads), admin (manages users, publishes and removes anything)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import BadCredentials, BadName, BadRole, UnknownUser, UserExists, WeakPassword
from .home import locked, write_private

VIEWER, EDITOR, ADMIN = "viewer", "editor", "admin"
ROLES = (VIEWER, EDITOR, ADMIN)
MIN_PASSWORD = 10
_NAME = re.compile(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{1,32}")
_HASHER = PasswordHasher()          # argon2id, the library's current recommended parameters
# Verified when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = _HASHER.hash("not a password of anyone")


@dataclass(frozen=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this user holds `role` or a higher one."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created: str          # ISO time, UTC


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name or ""):
        raise BadName(name[:40])
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise BadRole(role[:40])
    return role


class Accounts:
    """users.json: {"users": {name: {"role", "hash", "created"}}}, changed under a file lock."""

    def __init__(self, root: Path) -> None:
        self.path = root / "users.json"

    def _read(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        users = json.loads(self.path.read_text(encoding="utf-8")).get("users", {})
        return {str(k): dict(v) for k, v in users.items()}

    def _write(self, users: dict[str, dict[str, str]]) -> None:
        text = json.dumps({"users": users}, ensure_ascii=False, indent=1, sort_keys=True)
        write_private(self.path, text.encode("utf-8"))

    def list(self) -> list[Account]:
        return [Account(n, u["role"], u.get("created", "")) for n, u in sorted(self._read().items())]

    def get(self, name: str) -> User | None:
        u = self._read().get(name)
        return None if u is None else User(name, u["role"])

    def add(self, name: str, role: str, password: str) -> User:
        check_name(name)
        check_role(role)
        _strong(password)
        with locked(self.path):
            users = self._read()
            if name in users:
                raise UserExists(name)
            users[name] = {"role": role, "hash": _HASHER.hash(password),
                           "created": datetime.now(UTC).isoformat(timespec="seconds")}
            self._write(users)
        return User(name, role)

    def remove(self, name: str) -> None:
        with locked(self.path):
            users = self._read()
            if users.pop(name, None) is None:
                raise UnknownUser(name[:40])
            self._write(users)

    def passwd(self, name: str, password: str) -> None:
        _strong(password)
        with locked(self.path):
            users = self._read()
            if name not in users:
                raise UnknownUser(name[:40])
            users[name]["hash"] = _HASHER.hash(password)
            self._write(users)

    def verify(self, name: str, password: str) -> User:
        """The user when the password is theirs; BadCredentials otherwise (the same for an
        unknown name, after the same work)."""
        u = self._read().get(name)
        try:
            _HASHER.verify(u["hash"] if u else _DUMMY, password)
        except (VerificationError, InvalidHashError):
            raise BadCredentials() from None
        if u is None:
            raise BadCredentials()
        if _HASHER.check_needs_rehash(u["hash"]):     # parameters raised since: rehash quietly
            self.passwd(name, password)
        return User(name, u["role"])


def _strong(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise WeakPassword()
