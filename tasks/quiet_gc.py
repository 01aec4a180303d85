"""Python's cyclic garbage collector held back while results stream in.

A 10,000-capture search keeps ~12 container objects per capture alive (the footprint's
nested lists, the properties, the model). As they pile up, Python runs full collections
that walk every object in QGIS's interpreter while holding the GIL: 180-680 ms during
which the GUI thread cannot run a single line of Python (measured with
``bench/bench_search.py``: the longest stalls of a search with nothing of Nadir's running
at that moment; with the collector paused they were gone).

:func:`quiet_gc` pauses the automatic collector while one or more streams run and
restores it when the last one ends, or after :data:`LIMIT_S` at the latest, so a stream
that never ends cannot keep it off. Reference counting still frees everything that is
not in a cycle; cycles made meanwhile are collected once the collector runs again.
GUI thread only (the count is not locked).
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

LOGGER = logging.getLogger(__name__)

#: the collector is never held back longer than this, whatever runs
LIMIT_S = 120.0

_state = {"holders": 0, "since": 0.0, "was_enabled": True}


def hold(clock: Callable[[], float] = time.monotonic) -> None:
    """One more stream running: the collector waits (the first holder switches it off)."""
    if _state["holders"] == 0:
        _state["was_enabled"] = gc.isenabled()
        _state["since"] = clock()
        gc.disable()
    _state["holders"] += 1


def release(clock: Callable[[], float] = time.monotonic) -> None:
    """A stream ended; the last one gives the collector back as it was."""
    if _state["holders"] == 0:
        return
    _state["holders"] -= 1
    if _state["holders"] == 0 and _state["was_enabled"]:
        gc.enable()


def check_limit(clock: Callable[[], float] = time.monotonic) -> bool:
    """Give the collector back if it was held longer than :data:`LIMIT_S` (True if so)."""
    if _state["holders"] and clock() - _state["since"] > LIMIT_S:
        LOGGER.debug("garbage collector held back %.0f s: given back", clock() - _state["since"])
        _state["holders"] = 0
        if _state["was_enabled"]:
            gc.enable()
        return True
    return False


def holders() -> int:
    return int(_state["holders"])


@contextmanager
def quiet_gc() -> Iterator[None]:
    hold()
    try:
        yield
    finally:
        release()
