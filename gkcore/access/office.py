"""One office's dashboard in accounts mode: the shared library everyone reads, one private
workspace library per user (their uploads, until published), the accounts, the sign-in brake,
the session key, the audit log and the tombstones, all but the shared library under the access
home. One Office serves every session of the app (its workspace libraries are kept)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..library import Library
from ..store.cache import Cache
from . import sessions
from .accounts import Accounts, User
from .audit import Audit
from .brake import Brake
from .errors import BadCredentials, NotSignedIn, SlowDown
from .home import home
from .tombstones import Tombstones

SHARED = "shared"


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: the user and their signed token."""
    user: User
    token: str


class Office:
    def __init__(self, shared: Library, root: Path | None = None) -> None:
        self.root = root or home()
        self.shared = shared
        self.accounts = Accounts(self.root)
        self.brake = Brake(self.root)
        self.audit = Audit(self.root)
        self.tombstones = Tombstones(self.root)
        self.key = sessions.key(self.root)
        self._spaces: dict[str, Library] = {}
        self._lock = threading.Lock()

    # ---- sign-in ---------------------------------------------------------------------------
    def sign_in(self, name: str, password: str, now: float | None = None) -> SignIn:
        """SlowDown (with the seconds to wait) while the brake holds the name, whatever the
        password; BadCredentials for a wrong name or password (counted by the brake)."""
        name = name.strip()
        wait = self.brake.wait(name, now)
        if wait > 0:
            raise SlowDown(_seconds(wait))
        try:
            user = self.accounts.verify(name, password)
        except BadCredentials:
            strike = self.brake.failed(name, now)
            left = strike.until - (time.time() if now is None else now)
            count = f"连续失败 {strike.failures} 次 / {strike.failures} failures in a row"
            raise BadCredentials(f"{count}；{_seconds(left)}" if left > 0 else count) from None
        self.brake.succeeded(name)
        return SignIn(user, sessions.issue(self.key, user.name, now))

    def user_of(self, token: str, now: float | None = None) -> User:
        """The user a token stands for, with their current role; NotSignedIn when it is not valid."""
        s = sessions.check(self.key, token, now)
        user = None if s is None else self.accounts.get(s.name)
        if user is None:
            raise NotSignedIn()
        return user

    # ---- libraries -------------------------------------------------------------------------
    def workspace(self, name: str) -> Library:
        """The private library of one user's uploads (made on first use)."""
        with self._lock:
            lib = self._spaces.get(name)
            if lib is None:
                lib = self._spaces[name] = Library(Cache(self.root / "workspaces" / name))
            return lib

    def library(self, space: str) -> Library:
        return self.shared if space == SHARED else self.workspace(space)

    def owners(self) -> list[str]:
        """The users with a workspace."""
        d = self.root / "workspaces"
        return sorted(p.name for p in d.iterdir() if p.is_dir()) if d.is_dir() else []


def _seconds(s: float) -> str:
    n = max(1, round(s))
    return f"请 {n} 秒后再试 / wait {n} s"
