"""Where the office's accounts, keys, audit log, workspaces and deleted reports live: a folder
outside the checkout (GKDASH_HOME, else $XDG_DATA_HOME/gkdash, else ~/.local/share/gkdash),
so nothing secret can be committed. Secret files are written whole (a temporary file renamed
into place) and readable by their owner only (0600); the folder itself is 0700.

Which mode the dashboard runs in: `single` (no sign-in, `make run` on one's own machine) unless
GKDASH_ACCESS=accounts, or `access = "accounts"` in GKDASH_HOME/config.toml, switches the
sign-in, the roles and the workspaces on."""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

from ..store.locks import file_lock
from .errors import HomeInCheckout

SINGLE = "single"
ACCOUNTS = "accounts"
MODES = (SINGLE, ACCOUNTS)
_CHECKOUT = Path(__file__).resolve().parents[2]


def home() -> Path:
    """The folder (made 0700 when missing). HomeInCheckout when it lies inside the checkout."""
    env = os.environ.get("GKDASH_HOME")
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "gkdash"
    root = Path(env).expanduser() if env else base
    resolved = root.resolve()
    if (_CHECKOUT / ".git").exists() and resolved.is_relative_to(_CHECKOUT):
        raise HomeInCheckout(str(root))
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def mode() -> str:
    """`single` or `accounts`: GKDASH_ACCESS, else config.toml's `access` in GKDASH_HOME, else single."""
    env = os.environ.get("GKDASH_ACCESS", "").strip().lower()
    if env in MODES:
        return env
    env_home = os.environ.get("GKDASH_HOME")
    if env_home:
        cfg = Path(env_home).expanduser() / "config.toml"
        if cfg.is_file():
            with contextlib.suppress(OSError, tomllib.TOMLDecodeError):
                got = str(tomllib.loads(cfg.read_text(encoding="utf-8")).get("access", SINGLE)).lower()
                return got if got in MODES else SINGLE
    return SINGLE


def write_private(path: Path, data: bytes) -> None:
    """Write a file whole, readable and writable by its owner only (0600), never half-written."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` + ".lock", across the processes that serve the office."""
    with file_lock(path.with_name(path.name + ".lock"), folder_mode=0o700):
        yield
