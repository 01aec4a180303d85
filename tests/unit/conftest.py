"""Unit tier: no QGIS. Fails the session if anything imported qgis."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_qgis_in_unit_tier():
    yield
    leaked = sorted(name for name in sys.modules if name == "qgis" or name.startswith("qgis."))
    assert not leaked, f"the unit tier imported QGIS modules: {leaked[:5]}"
