"""Unit tier: no QGIS. Fails the session if anything imported qgis."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_qgis_in_unit_tier():
    yield
    leaked = sorted(name for name in sys.modules if name == "qgis" or name.startswith("qgis."))
    assert not leaked, f"the unit tier imported QGIS modules: {leaked[:5]}"


@pytest.fixture(scope="session")
def live_sandbox(tmp_path_factory):
    """One real sandbox process for the adapter tests of this tier."""
    from sandbox.testing import run_sandbox

    with run_sandbox(tmp_path_factory.mktemp("adapter-sandbox")) as server:
        yield server


@pytest.fixture
def sb(live_sandbox):
    """The session's sandbox, reset (state, faults, clock, request log) for this test."""
    live_sandbox.reset()
    return live_sandbox
