"""The sandbox's own machinery: admin, clock, faults, request log, persistence."""

from __future__ import annotations

import httpx
import pytest

from sandbox.testing import run_sandbox


def test_health_lists_the_providers(sandbox):
    health = sandbox.health()
    assert health["ok"] is True and "now" in health


def test_clock_advances(sandbox):
    before = sandbox.admin("GET", "clock")["timestamp"]
    sandbox.advance(3600)
    after = sandbox.admin("GET", "clock")["timestamp"]
    assert 3600 <= after - before < 3700


def test_unknown_fault_kind_is_refused(sandbox):
    with pytest.raises(Exception, match="422"):
        sandbox.fault(kind="meteor")


def test_status_fault_applies_n_times_then_stops(sandbox):
    sandbox.fault(kind="status", prefix="/_nowhere", status=503, times=2)
    codes = [httpx.get(f"{sandbox.url}/_nowhere/x").status_code for _ in range(3)]
    assert codes == [503, 503, 404]


def test_rate_limit_fault_sends_retry_after(sandbox):
    sandbox.fault(kind="rate_limit", prefix="/_nowhere", retry_after=7)
    response = httpx.get(f"{sandbox.url}/_nowhere/x")
    assert response.status_code == 429 and response.headers["retry-after"] == "7"


def test_requests_are_recorded_with_headers(sandbox):
    httpx.post(f"{sandbox.url}/_nowhere/op", json={"a": 1}, headers={"x-probe": "yes"})
    seen = sandbox.requests("/_nowhere")
    assert seen[-1]["method"] == "POST" and seen[-1]["headers"]["x-probe"] == "yes"
    assert seen[-1]["body"] == '{"a":1}'


def test_state_survives_a_restart(tmp_path):
    with run_sandbox(tmp_path) as first:
        first.advance(1000)
        offset = first.admin("GET", "clock")["timestamp"]
    with run_sandbox(tmp_path) as second:
        assert second.admin("GET", "clock")["timestamp"] >= offset
