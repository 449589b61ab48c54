"""One way to hold a file lock across processes: an exclusive flock on a lock file (made 0600,
its folder with `folder_mode` when missing), released however the block ends. The index, the
corrections log and the office's files (gkcore.access.home) all lock with it."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def file_lock(lock: Path, folder_mode: int = 0o777) -> Iterator[None]:
    lock.parent.mkdir(mode=folder_mode, parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
