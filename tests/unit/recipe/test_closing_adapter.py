"""One recipe for closing an adapter after provider work (issue 12 item 4)."""

from __future__ import annotations

import logging

import pytest

from nadir.core.ports import close_adapter, closing_adapter


class Adapter:
    id = "up42"

    def __init__(self, fail: bool = False) -> None:
        self.closed = 0
        self.fail = fail

    def close(self) -> None:
        self.closed += 1
        if self.fail:
            raise OSError("socket already gone")


def test_the_adapter_is_closed_after_the_work_and_after_a_failure():
    adapter = Adapter()
    with closing_adapter(adapter) as opened:
        assert opened is adapter and adapter.closed == 0
    assert adapter.closed == 1
    failing = Adapter()
    with pytest.raises(ValueError, match="the work failed"), closing_adapter(failing):
        raise ValueError("the work failed")
    assert failing.closed == 1


def test_a_failure_to_close_never_hides_the_outcome_and_is_logged(caplog):
    adapter = Adapter(fail=True)
    with caplog.at_level(logging.DEBUG, logger="nadir.core.ports"):
        with pytest.raises(ValueError, match="the real error"), closing_adapter(adapter):
            raise ValueError("the real error")
        with closing_adapter(adapter):
            pass
    assert adapter.closed == 2
    logged = [r for r in caplog.records if "up42" in r.getMessage() and r.exc_info]
    assert len(logged) == 2 and all(isinstance(r.exc_info[1], OSError) for r in logged)


def test_nothing_to_close_is_fine():
    close_adapter(None)
    close_adapter(object())
    adapter = Adapter()
    close_adapter(adapter)
    close_adapter(adapter)
    assert adapter.closed == 2  # closing twice is the adapter's business; each call closes once
