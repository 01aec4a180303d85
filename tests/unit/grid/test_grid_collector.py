"""core.collector.collector_paused when pauses overlap across threads (a task building
grid features while the GUI thread adds the previous ones)."""

from __future__ import annotations

import gc
import threading

from nadir.core.collector import collector_paused, paused


def test_overlapping_pauses_resume_the_collector_only_when_the_last_one_ends():
    entered, release, done = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def worker() -> None:
        with collector_paused():
            entered.set()
            release.wait(5)
            seen.append(paused())  # the GUI thread's pause has ended by now
        done.set()

    assert not paused()
    with collector_paused():  # opened first, closed first
        thread = threading.Thread(target=worker)
        thread.start()
        assert entered.wait(5)
    assert paused()  # the worker's pause is still open
    release.set()
    assert done.wait(5)
    thread.join(5)
    assert seen == [True] and not paused()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collector_paused():
            with collector_paused():
                assert not gc.isenabled() and paused()
        assert not gc.isenabled() and not paused()
    finally:
        gc.enable()
