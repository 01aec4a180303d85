"""Sandbox tier (runs with the unit tier: no QGIS). One sandbox process per session."""

from __future__ import annotations

import pytest

from sandbox.testing import Sandbox, run_sandbox


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory) -> Sandbox:
    with run_sandbox(tmp_path_factory.mktemp("sandbox")) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Sandbox:
    """The session's sandbox, reset (state, faults, clock, request log) for this test."""
    sandbox_server.reset()
    return sandbox_server
