"""QGIS tier: pytest-qgis (offscreen QgsApplication, stub iface, isolated settings)."""

from __future__ import annotations

import sys

import pytest
from qgis.core import QgsApplication, QgsSettings

MASTER_PASSWORD = "nadir-test-master"


@pytest.fixture(scope="session", autouse=True)
def translations_built():
    """The .qm files are built from the .ts (not committed), as `make package` does."""
    from support.package import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import i18n
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return i18n.build()


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


@pytest.fixture(scope="session")
def live_sandbox(tmp_path_factory):
    """One real sandbox process for the tests of this tier that talk to providers."""
    from sandbox.testing import run_sandbox

    with run_sandbox(tmp_path_factory.mktemp("qgis-sandbox")) as server:
        yield server


@pytest.fixture
def sb(live_sandbox):
    """The session's sandbox, reset (state, faults, clock, request log) for this test."""
    live_sandbox.reset()
    return live_sandbox


@pytest.fixture
def clearsky_connection(sb, auth_manager, clean_settings):
    """Nadir's ClearSKY connection pointing at the sandbox, its key in the auth database."""
    from nadir.toolbelt.auth import store_basic
    from nadir.toolbelt.settings import ProviderConnection, SettingsStore

    authcfg = store_basic("Nadir test ClearSKY (sandbox)", "", "clearsky-sandbox-key")
    store = SettingsStore()
    store.update(
        store.current.with_connection(
            ProviderConnection("clearsky", urls={"api": sb.provider_url("clearsky")}, authcfg=authcfg)
        )
    )
    yield authcfg
    auth_manager.removeAuthenticationConfig(authcfg)


@pytest.fixture
def empty_project(qgis_app):
    """QgsProject.instance(), cleared before and after a test."""
    from qgis.core import QgsProject

    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()


@pytest.fixture(scope="module")
def nadir_processing(qgis_app):
    """Nadir's Processing provider registered for a module's tests."""
    from support.processing import nadir_provider

    with nadir_provider():
        yield
