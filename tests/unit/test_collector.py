"""core.collector: Python's full collections wait while results stream in or grid cells are
built, and always come back: after the last of several overlapping pauses (blocks on any
thread and held pauses of the GUI thread together), or after the time limit; young
collections keep running, the thresholds the user had come back as they were."""

from __future__ import annotations

import gc

import pytest

from nadir.core import collector


@pytest.fixture(autouse=True)
def thresholds_back():
    before = gc.get_threshold()
    yield
    while collector.held():
        collector.release()
    gc.set_threshold(*before)


def test_overlapping_holds_defer_full_collections_until_the_last_ends():
    before = gc.get_threshold()
    collector.hold()
    collector.hold()
    assert collector.paused() and collector.held() == 2
    assert gc.get_threshold()[:2] == before[:2] and gc.isenabled()  # young collections still run
    collector.release()
    assert collector.paused()
    collector.release()
    assert not collector.paused() and gc.get_threshold() == before
    collector.release()  # one release too many changes nothing
    assert gc.get_threshold() == before and collector.held() == 0


def test_a_block_and_a_hold_together_give_them_back_only_when_both_ended():
    """A grid build's block and a search's hold at the same time: neither makes full
    collections due again under the other."""
    with collector.collector_paused():
        collector.hold()
    assert collector.paused()  # the search still streams
    with collector.collector_paused():
        collector.release()
        assert collector.paused()  # the block is still open
    assert not collector.paused()


def test_the_users_own_thresholds_come_back():
    gc.set_threshold(500, 7, 3)
    collector.hold()
    with collector.collector_paused():
        assert gc.get_threshold() == (500, 7, collector.DEFERRED)
    collector.release()
    assert gc.get_threshold() == (500, 7, 3)


def test_they_come_back_after_the_limit_even_if_a_stream_never_ends():
    now = [1000.0]
    collector.hold(clock=lambda: now[0])
    now[0] += collector.LIMIT_S - 1
    assert not collector.check_limit(clock=lambda: now[0]) and collector.paused()
    now[0] += 2
    assert collector.check_limit(clock=lambda: now[0]) and not collector.paused() and collector.held() == 0
