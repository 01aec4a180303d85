"""QGIS tier: pytest-qgis (offscreen QgsApplication, stub iface, isolated settings)."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsSettings

MASTER_PASSWORD = "nadir-test-master"


@pytest.fixture(scope="session")
def auth_manager(qgis_app):
    """The QGIS auth manager with a master password set (test profile only)."""
    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword(MASTER_PASSWORD, True)
    return manager


@pytest.fixture
def clean_settings(qgis_app):
    """Remove Nadir's settings group before and after a test."""
    QgsSettings().remove("Nadir")
    yield QgsSettings()
    QgsSettings().remove("Nadir")


@pytest.fixture
def empty_project(qgis_app):
    """QgsProject.instance(), cleared before and after a test."""
    from qgis.core import QgsProject

    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()
