"""The sandbox's accelerated clock.

Simulated time = real start + elapsed real time x speed + manual offset. Lifecycles are
computed lazily from an order's creation time and ``now()`` (no background threads), so
tests can jump ahead with ``advance()`` and a restart keeps the same timeline (the
origin and offset are stored in SQLite).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from .store import Store


class Clock:
    def __init__(self, store: Store, speed: float = 1.0) -> None:
        self.store = store
        self.speed = speed
        origin = store.meta("clock.origin")
        if origin is None:
            origin = repr(time.time())
            store.set_meta("clock.origin", origin)
        self._real_origin = float(origin)

    @property
    def offset(self) -> float:
        return float(self.store.meta("clock.offset", "0") or 0)

    def timestamp(self) -> float:
        """Simulated POSIX time in seconds."""
        elapsed = time.time() - self._real_origin
        return self._real_origin + elapsed * self.speed + self.offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=timezone.utc)

    def advance(self, seconds: float) -> datetime:
        self.store.set_meta("clock.offset", repr(self.offset + seconds))
        return self.now()

    def reset(self) -> None:
        self._real_origin = time.time()
        self.store.set_meta("clock.origin", repr(self._real_origin))
        self.store.set_meta("clock.offset", "0")


def iso(moment: datetime) -> str:
    """RFC 3339 with a Z suffix, as the providers' examples write it."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
