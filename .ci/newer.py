"""What `make test-latest` tried that the lock does not pin: one line per package whose installed
version differs from requirements-dev.lock's (for the default Python's markers), as `name lock -> now`.
Usage: .venv-latest/bin/python .ci/newer.py requirements-dev.lock"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def main(lock: str) -> int:
    pinned: dict[str, str] = {}
    for line in Path(lock).read_text(encoding="utf-8").splitlines():
        m = PIN.match(line.strip())
        if m and (not m.group(3) or Marker(m.group(3)).evaluate()):
            pinned[canonicalize_name(m.group(1))] = m.group(2)
    now = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    changed = sorted(n for n in pinned if n in now and now[n] != pinned[n])
    for n in changed:
        print(f"  {n} {pinned[n]} -> {now[n]}")
    if not changed:
        print("  (none: the lock is up to date)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
