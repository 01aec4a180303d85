"""Python's cyclic garbage collector held back while Nadir creates objects by the
ten thousand (a country's grid cells, a search's captures): each full collection it
would trigger walks every live object in QGIS's Python while holding the GIL, so the
GUI thread too: 50-190 ms for the grid, 180-680 ms in a 10,000-capture search (measured
with ``bench/bench_grid.py`` and ``bench/bench_search.py``: the longest stalls, with
none of Nadir's code running at that moment).

Pauses may overlap across threads and features (a task building grid features while the
GUI thread adds the previous ones, a search streaming meanwhile): the collector is
switched off by the first and given back by the last, as it was before the first.
Reference counting still frees everything that is not in a cycle; cycles made meanwhile
are collected once the collector runs again. A pause held across event-loop turns
(:func:`hold`, a search) ends after :data:`LIMIT_S` at the latest (:func:`check_limit`),
so a stream that never ends cannot keep the collector off.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

LOGGER = logging.getLogger(__name__)

#: a held pause never keeps the collector off longer than this
LIMIT_S = 120.0

_LOCK = threading.Lock()
_state = {"pauses": 0, "held": 0, "since": 0.0, "was_enabled": False}


def _open(clock: Callable[[], float]) -> None:
    if _state["pauses"] == 0:
        _state["was_enabled"] = gc.isenabled()
        _state["since"] = clock()
        gc.disable()
    _state["pauses"] += 1


def _close() -> None:
    if _state["pauses"] == 0:
        return
    _state["pauses"] -= 1
    if _state["pauses"] == 0 and _state["was_enabled"]:
        gc.enable()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector waits while this block runs (on any thread)."""
    with _LOCK:
        _open(time.monotonic)
    try:
        yield
    finally:
        with _LOCK:
            _close()


def hold(clock: Callable[[], float] = time.monotonic) -> None:
    """Pause across event-loop turns (a search streaming); end it with :func:`release`."""
    with _LOCK:
        _open(clock)
        _state["held"] += 1


def release() -> None:
    """End one :func:`hold` (one too many changes nothing)."""
    with _LOCK:
        if _state["held"]:
            _state["held"] -= 1
            _close()


def check_limit(clock: Callable[[], float] = time.monotonic) -> bool:
    """Drop the held pauses if the collector has been off longer than :data:`LIMIT_S`
    (True if so); blocks still open keep it off until they close."""
    with _LOCK:
        if not _state["held"] or clock() - _state["since"] <= LIMIT_S:
            return False
        LOGGER.debug("garbage collector held back %.0f s: given back", clock() - _state["since"])
        while _state["held"]:
            _state["held"] -= 1
            _close()
        return True


def held() -> int:
    with _LOCK:
        return int(_state["held"])
