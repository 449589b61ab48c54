"""Signed sign-in tokens with an expiry. The key (32 random bytes) is generated at the first
start and kept in session.key under the access home (0600), never in the checkout. A token is
`payload.signature`: the payload (name, issued, expires, a nonce) in URL-safe base64, the
signature its HMAC-SHA256 under the key. A token that is altered, signed under another key, or
past its expiry is refused; the user's role is looked up afresh on every page run, so a removed
user or a changed role takes effect at once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from .home import locked, write_private

LIFETIME_S = 8 * 3600        # a working day: then the user signs in again
KEY_BYTES = 32


@dataclass(frozen=True)
class Session:
    name: str
    issued: float
    expires: float


def key(root: Path) -> bytes:
    """The signing key, made on first use (0600)."""
    path = root / "session.key"
    if not path.exists():
        with locked(path):
            if not path.exists():
                write_private(path, secrets.token_hex(KEY_BYTES).encode("ascii"))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(secret: bytes, name: str, now: float | None = None, lifetime: float = LIFETIME_S) -> str:
    t = time.time() if now is None else now
    payload = _b64(json.dumps({"n": name, "i": t, "e": t + lifetime, "r": _b64(os.urandom(9))},
                              ensure_ascii=False).encode("utf-8"))
    sig = _b64(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())
    return f"{payload}.{sig}"


def check(secret: bytes, token: str, now: float | None = None) -> Session | None:
    """The session a token stands for, or None when it is forged, damaged or expired."""
    payload, _, sig = (token or "").partition(".")
    want = _b64(hmac.new(secret, payload.encode("ascii", "replace"), hashlib.sha256).digest())
    if not sig or not hmac.compare_digest(want, sig):
        return None
    try:
        d = json.loads(_unb64(payload))
        s = Session(str(d["n"]), float(d["i"]), float(d["e"]))
    except (ValueError, KeyError, TypeError):
        return None
    t = time.time() if now is None else now
    return s if s.issued <= t + 60 and t < s.expires else None
