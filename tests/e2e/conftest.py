"""e2e tier: a real QGIS desktop under Xvfb. See tests/support/e2e.py."""

from __future__ import annotations

import shutil

import pytest

from support.e2e import Desktop, Xvfb


@pytest.fixture(scope="session")
def xvfb():
    if not shutil.which("Xvfb"):
        pytest.fail("Xvfb is not installed (package xvfb); `make test` installs it")
    server = Xvfb()
    yield server
    server.stop()


@pytest.fixture
def desktop(tmp_path, xvfb) -> Desktop:
    """A fresh QGIS profile with Nadir enabled, for one test."""
    return Desktop(tmp_path / "qgis", xvfb.display)
