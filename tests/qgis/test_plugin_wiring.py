"""Loading paths (full plugin and dependency stand-in), options page, notifier, log bridge."""

from __future__ import annotations

import logging
import sys
import zipfile

import pytest
from qgis.core import QgsApplication
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtWidgets import QApplication, QPushButton

import nadir
from nadir.plugin import NadirPlugin
from nadir.toolbelt import log
from nadir.toolbelt.dependencies import MissingDependency
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.settings import SettingsStore
from nadir.toolbelt.standin import StandInPlugin
from nadir.ui.options import NadirOptionsPage
from support.qgis_wait import bar_texts, wait_until


@pytest.fixture
def message_bar(qgis_iface):
    bar = qgis_iface.messageBar()
    bar.clearWidgets()
    yield bar
    bar.clearWidgets()


def test_hidden_dependency_loads_the_standin(qgis_iface, message_bar, monkeypatch):
    hidden = [p for p in sys.path if "site-packages" in p]
    assert hidden, "expected the virtualenv's site-packages on sys.path"
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in hidden])
    for name in [m for m in sys.modules if m == "httpx" or m.startswith("httpx.")]:
        monkeypatch.delitem(sys.modules, name)
    plugin = nadir.classFactory(qgis_iface)
    assert isinstance(plugin, StandInPlugin)
    assert "httpx" in [m.name for m in plugin.missing]
    plugin.initGui()
    texts = bar_texts(message_bar)
    assert any("httpx (not installed" in t for t in texts), texts
    buttons = [b.text() for item in message_bar.items() for b in item.findChildren(QPushButton)]
    assert "Install" in buttons
    plugin.unload()
    assert not message_bar.items()


def _dummy_wheel(folder, name="nadirstandinprobe", version="0.0.1"):
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as zf:
        zf.writestr(f"{name}/__init__.py", "")
        zf.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        zf.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        zf.writestr(f"{info}/RECORD", "")
    return f"{name}=={version}"


def test_standin_install_runs_in_a_task_and_asks_for_restart(qgis_iface, message_bar, tmp_path, monkeypatch):
    requirement = _dummy_wheel(tmp_path)
    requirements = tmp_path / "req.txt"
    requirements.write_text(requirement + "\n")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path))
    target = tmp_path / "profile" / "nadir" / "python3"
    plugin = StandInPlugin(qgis_iface, [MissingDependency("nadirstandinprobe", None, "0.0.1")], requirements, target)
    plugin.initGui()
    plugin.install()
    assert wait_until(lambda: plugin.last_result is not None), "installation task did not finish"
    assert plugin.last_result.ok, plugin.last_result.output
    assert (target / "nadirstandinprobe" / "__init__.py").exists()
    assert any("Restart QGIS" in t for t in bar_texts(message_bar)), bar_texts(message_bar)
    plugin.unload()


def test_full_plugin_wires_and_unwires(qgis_iface, clean_settings):
    registry = QgsApplication.processingRegistry()
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    try:
        assert registry.providerById("nadir") is not None
        factory = plugin.options_factory
        qgis_iface.registerOptionsWidgetFactory.assert_called_with(factory)
        assert logging.getLogger("nadir").handlers
    finally:
        plugin.unload()
    qgis_iface.unregisterOptionsWidgetFactory.assert_called_with(factory)
    assert registry.providerById("nadir") is None
    assert not logging.getLogger("nadir").handlers
    assert logging.getLogRecordFactory() is logging.LogRecord


def test_options_page_saves_only_the_authcfg_reference(auth_manager, clean_settings):
    from nadir.toolbelt.auth import store_basic

    authcfg = store_basic("Nadir options test", "", "options-page-secret-123")
    store = SettingsStore()
    page = NadirOptionsPage(store)
    page.general.pollInterval.setValue(120)
    page.general.logLevel.setCurrentText("DEBUG")
    box = page.connection_boxes["oneatlas"]
    box.url_edits["auth"].setText("http://127.0.0.1:9/oneatlas-auth")
    box.auth_select.setConfigId(authcfg)
    page.apply()
    reloaded = SettingsStore().current
    assert reloaded.poll_interval_s == 120 and reloaded.log_level == "DEBUG"
    connection = reloaded.connection("oneatlas")
    assert connection.authcfg == authcfg
    assert connection.url("auth") == "http://127.0.0.1:9/oneatlas-auth"
    assert connection.url("data", "https://default") == "https://default"
    page2 = NadirOptionsPage(store)
    assert page2.connection_boxes["oneatlas"].auth_select.configId() == authcfg
    page.deleteLater()
    page2.deleteLater()


def test_notifier_shows_redacted_message_with_details(qgis_iface):
    bar = QgsMessageBar()
    notifier = Notifier(bar)
    notifier.error("Upload failed for api_key=abcdef123456", "server said password=hunter2hunter2")
    texts = bar_texts(bar)
    assert texts and "abcdef123456" not in " ".join(texts)
    buttons = [b for item in bar.items() for b in item.findChildren(QPushButton)]
    assert [b.text() for b in buttons] == ["Details"]


def test_B14_a_credentials_failure_offers_fix_credentials_which_opens_the_nadir_options(
    qgis_iface, message_bar, clean_settings
):
    """Outside audit (issue 15): 401/403 messages carry an action to the place of the fix."""
    from nadir.core.errors import ProviderAuthError, ProviderUnavailable

    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    try:
        qgis_iface.showOptionsDialog.reset_mock()
        plugin.ctx.notifier.exception(ProviderUnavailable("UP42 is not available right now."), "Checking orders")
        assert not message_bar.findChildren(QPushButton, "NadirFixCredentials")
        plugin.ctx.notifier.exception(
            ProviderAuthError("UP42 did not accept the credentials (HTTP 401).", provider="up42", status=401),
            "Checking orders",
        )
        [button] = message_bar.findChildren(QPushButton, "NadirFixCredentials")
        assert button.text() == "Fix credentials" and "HTTP 401" in " ".join(bar_texts(message_bar))
        button.click()
        qgis_iface.showOptionsDialog.assert_called_once_with(qgis_iface.mainWindow(), currentPage="Nadir")
    finally:
        plugin.unload()


def test_log_bridge_writes_redacted_messages_under_the_nadir_tag(qgis_app):
    received = []

    def on_message(message, tag, level):
        received.append((tag, message))

    QgsApplication.messageLog().messageReceived.connect(on_message)
    log.install("DEBUG")
    try:
        logging.getLogger("nadir.test").warning("token refresh with Bearer eyJabc.eyJdef.sig123456 failed")
        QApplication.processEvents()
    finally:
        log.uninstall()
        QgsApplication.messageLog().messageReceived.disconnect(on_message)
    ours = [m for tag, m in received if tag == "Nadir"]
    assert ours and "eyJabc" not in ours[-1] and "token refresh" in ours[-1]
