"""Python's collector waits while search results stream in, and always comes back: after
the last of several overlapping searches, or after the time limit; a collector the user
had switched off stays off."""

from __future__ import annotations

import gc

import pytest

from nadir.tasks import quiet_gc


@pytest.fixture(autouse=True)
def collector_back():
    enabled = gc.isenabled()
    yield
    while quiet_gc.holders():
        quiet_gc.release()
    (gc.enable if enabled else gc.disable)()


def test_overlapping_streams_hold_it_until_the_last_ends():
    gc.enable()
    quiet_gc.hold()
    quiet_gc.hold()
    assert not gc.isenabled() and quiet_gc.holders() == 2
    quiet_gc.release()
    assert not gc.isenabled()
    quiet_gc.release()
    assert gc.isenabled() and quiet_gc.holders() == 0
    quiet_gc.release()  # one release too many changes nothing
    assert gc.isenabled() and quiet_gc.holders() == 0


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    with quiet_gc.quiet_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_it_comes_back_after_the_limit_even_if_a_stream_never_ends():
    gc.enable()
    now = [1000.0]
    quiet_gc.hold(clock=lambda: now[0])
    now[0] += quiet_gc.LIMIT_S - 1
    assert not quiet_gc.check_limit(clock=lambda: now[0]) and not gc.isenabled()
    now[0] += 2
    assert quiet_gc.check_limit(clock=lambda: now[0]) and gc.isenabled() and quiet_gc.holders() == 0
