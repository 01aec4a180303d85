"""Unit tier: no QGIS. Fails the session if anything imported qgis."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_qgis_in_unit_tier():
    yield
    leaked = sorted(name for name in sys.modules if name == "qgis" or name.startswith("qgis."))
    assert not leaked, f"the unit tier imported QGIS modules: {leaked[:5]}"


# Adapter tests run against a real sandbox process (DESIGN.md 5): one per session, reset per test.
@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory):
    from sandbox.testing import run_sandbox

    with run_sandbox(tmp_path_factory.mktemp("sandbox")) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server):
    """The session's sandbox, reset (state, faults, clock, request log) for this test."""
    sandbox_server.reset()
    return sandbox_server
