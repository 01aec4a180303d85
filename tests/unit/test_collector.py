"""core.collector: Python's collector waits while results stream in or grid cells are built,
and always comes back: after the last of several overlapping pauses (blocks on any thread
and held pauses of the GUI thread together), or after the time limit; a collector the
user had switched off stays off."""

from __future__ import annotations

import gc

import pytest

from nadir.core import collector


@pytest.fixture(autouse=True)
def collector_back():
    enabled = gc.isenabled()
    yield
    while collector.held():
        collector.release()
    (gc.enable if enabled else gc.disable)()


def test_overlapping_holds_keep_it_off_until_the_last_ends():
    gc.enable()
    collector.hold()
    collector.hold()
    assert not gc.isenabled() and collector.held() == 2
    collector.release()
    assert not gc.isenabled()
    collector.release()
    assert gc.isenabled() and collector.held() == 0
    collector.release()  # one release too many changes nothing
    assert gc.isenabled() and collector.held() == 0


def test_a_block_and_a_hold_together_give_it_back_only_when_both_ended():
    """A grid build's block and a search's hold at the same time: neither gives the
    collector back under the other."""
    gc.enable()
    with collector.collector_paused():
        collector.hold()
    assert not gc.isenabled()  # the search still streams
    with collector.collector_paused():
        collector.release()
        assert not gc.isenabled()  # the block is still open
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    collector.hold()
    with collector.collector_paused():
        assert not gc.isenabled()
    collector.release()
    assert not gc.isenabled()


def test_it_comes_back_after_the_limit_even_if_a_stream_never_ends():
    gc.enable()
    now = [1000.0]
    collector.hold(clock=lambda: now[0])
    now[0] += collector.LIMIT_S - 1
    assert not collector.check_limit(clock=lambda: now[0]) and not gc.isenabled()
    now[0] += 2
    assert collector.check_limit(clock=lambda: now[0]) and gc.isenabled() and collector.held() == 0
