"""The sign-in brake: after FREE failed sign-ins in a row for one name, each further failure
makes that name wait longer before the next try (BASE_S, doubling, at most MAX_S), whatever
password comes next. A success clears the count. Kept in brake.json under the access home, so
it holds across the processes and restarts of the server."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from .home import locked, write_private

FREE = 3            # failures before the first wait
BASE_S = 5.0        # the first wait; then 10, 20, … seconds
MAX_S = 900.0       # never more than 15 minutes
FORGET_S = 24 * 3600  # a count untouched for a day starts again


@dataclass(frozen=True)
class Strike:
    failures: int
    until: float        # no sign-in for this name before this time (epoch seconds)


def delay(failures: int) -> float:
    """The wait after this many failures in a row."""
    return 0.0 if failures < FREE else min(MAX_S, BASE_S * 2 ** (failures - FREE))


class Brake:
    def __init__(self, root: Path) -> None:
        self.path = root / "brake.json"

    def _read(self) -> dict[str, Strike]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): Strike(int(v[0]), float(v[1])) for k, v in raw.items()}
        except (ValueError, TypeError, IndexError):
            return {}                  # a damaged file forgets the counts, never blocks everyone

    def _write(self, strikes: dict[str, Strike]) -> None:
        data = {k: [s.failures, s.until] for k, s in strikes.items()}
        write_private(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def wait(self, name: str, now: float | None = None) -> float:
        """Seconds before `name` may try again (0 when it may now)."""
        t = time.time() if now is None else now
        s = self._read().get(name)
        return 0.0 if s is None else max(0.0, s.until - t)

    def failed(self, name: str, now: float | None = None) -> Strike:
        """Count a failure; the strike says how long the name now waits."""
        t = time.time() if now is None else now
        with locked(self.path):
            strikes = {k: s for k, s in self._read().items() if t - s.until < FORGET_S}
            n = strikes[name].failures + 1 if name in strikes else 1
            strikes[name] = s = Strike(n, t + delay(n))
            self._write(strikes)
        return s

    def succeeded(self, name: str) -> None:
        with locked(self.path):
            strikes = self._read()
            if strikes.pop(name, None) is not None:
                self._write(strikes)
