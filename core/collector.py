"""Python's full garbage collections held back while Nadir creates objects by the ten
thousand (a country's grid cells, a search's captures): each full collection walks every
live object in QGIS's Python while holding the GIL, so the GUI thread too: 50-190 ms for
the grid, 180-680 ms in a 10,000-capture search (measured with ``bench/bench_grid.py``
and ``bench/bench_search.py``: the longest stalls, with none of Nadir's code running at
that moment).

Only the full (oldest generation) collections wait: the young ones still run, as they
only walk what was made since the last one. (Switching the collector off instead left
every object of the search in the young generation; the first young collection after
it walked them all: 95 ms in the QGIS window.) Nothing is leaked: reference counting
frees what is not in a cycle as usual, and cycles that reach the oldest generation
meanwhile are collected at its next full collection.

Pauses may overlap across threads and features (a task building grid features while the
GUI thread adds the previous ones, a search streaming meanwhile): the first raises the
oldest generation's threshold, the last puts back the thresholds as they were. A pause
held across event-loop turns (:func:`hold`, a search) ends after :data:`LIMIT_S` at the
latest (:func:`check_limit`), so a stream that never ends cannot defer them for good.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable

LOGGER = logging.getLogger(__name__)

#: a held pause never defers full collections longer than this
LIMIT_S = 120.0
#: the oldest generation's threshold while paused: no full collection is due
DEFERRED = 1_000_000_000

_LOCK = threading.Lock()
_state: dict[str, Any] = {"pauses": 0, "held": 0, "since": 0.0, "thresholds": None}


def _open(clock: Callable[[], float]) -> None:
    if _state["pauses"] == 0:
        young, middle, _ = thresholds = gc.get_threshold()
        _state["thresholds"] = thresholds
        _state["since"] = clock()
        gc.set_threshold(young, middle, DEFERRED)
    _state["pauses"] += 1


def _close() -> None:
    if _state["pauses"] == 0:
        return
    _state["pauses"] -= 1
    if _state["pauses"] == 0 and _state["thresholds"] is not None:
        gc.set_threshold(*_state["thresholds"])
        _state["thresholds"] = None


def paused() -> bool:
    """True while full collections wait."""
    return gc.get_threshold()[2] >= DEFERRED


@contextmanager
def collector_paused() -> Iterator[None]:
    """Full collections wait while this block runs (on any thread)."""
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
    """Drop the held pauses if full collections have waited longer than :data:`LIMIT_S`
    (True if so); blocks still open keep them waiting until they close."""
    with _LOCK:
        if not _state["held"] or clock() - _state["since"] <= LIMIT_S:
            return False
        LOGGER.debug("full garbage collections deferred %.0f s: due again", clock() - _state["since"])
        while _state["held"]:
            _state["held"] -= 1
            _close()
        return True


def held() -> int:
    with _LOCK:
        return int(_state["held"])
