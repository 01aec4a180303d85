"""Nadir's page in Settings > Options: provider connections, polling, downloads, logging.

General settings come from ``options_general.ui``; one group per provider is built
in code from :data:`core.provider_info.PROVIDERS`: its URLs (blank = documented
default) and QGIS's own authentication-config selector. Only the ``authcfg`` id is
saved; the credentials stay in the QGIS authentication database.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from qgis.gui import QgsAuthConfigSelect, QgsFileWidget, QgsOptionsPageWidget, QgsOptionsWidgetFactory
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.provider_info import PROVIDERS, ProviderInfo
from ..toolbelt.i18n import tr, tr_marked
from ..toolbelt.identity import PLUGIN_DIR, identity
from ..toolbelt.settings import ProviderConnection, Settings, SettingsStore
from .wheel import guard_wheel

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class GeneralOptions(QWidget):
    pollInterval: QSpinBox  # noqa: N815 - names come from the .ui file
    downloadFolder: QgsFileWidget  # noqa: N815
    logLevel: QComboBox  # noqa: N815
    gridMaxScale: QDoubleSpinBox  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from qgis.PyQt import uic  # deferred: ~8 ms at QGIS start-up otherwise

        uic.loadUi(str(Path(__file__).with_name("options_general.ui")), self)
        self.downloadFolder.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.logLevel.addItems(LOG_LEVELS)


class ConnectionBox(QGroupBox):
    """One provider: enabled switch, URLs, auth config."""

    def __init__(self, info: ProviderInfo, parent: QWidget | None = None) -> None:
        super().__init__(info.title, parent)
        self.info = info
        self.setObjectName(f"NadirConnection_{info.id}")
        self.setCheckable(True)
        form = QFormLayout(self)
        self.url_edits: dict[str, QLineEdit] = {}
        for role in info.url_roles:
            edit = QLineEdit(self)
            edit.setObjectName(f"url_{role.key}")
            edit.setPlaceholderText(role.default)
            edit.setToolTip(tr("Leave empty to use {}").format(role.default))
            form.addRow(tr_marked(role.label), edit)
            self.url_edits[role.key] = edit
        self.auth_select = QgsAuthConfigSelect(self)
        self.auth_select.setObjectName("authcfg")
        form.addRow(tr("Credentials"), self.auth_select)
        hint = QLabel(f"<small>{tr_marked(info.credential_hint)}</small>", self)
        hint.setWordWrap(True)
        form.addRow("", hint)

    def set_connection(self, connection: ProviderConnection) -> None:
        self.setChecked(connection.enabled)
        for role, edit in self.url_edits.items():
            edit.setText(connection.urls.get(role, ""))
        self.auth_select.setConfigId(connection.authcfg)

    def connection(self) -> ProviderConnection:
        urls = {role: edit.text().strip() for role, edit in self.url_edits.items() if edit.text().strip()}
        return ProviderConnection(
            self.info.id, enabled=self.isChecked(), urls=urls, authcfg=self.auth_select.configId()
        )


class NadirOptionsPage(QgsOptionsPageWidget):
    def __init__(self, store: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirOptionsPage")
        self.store = store
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        layout = QVBoxLayout(body)
        general_box = QGroupBox(tr("General"), body)
        general_layout = QVBoxLayout(general_box)
        self.general = GeneralOptions(general_box)
        general_layout.addWidget(self.general)
        layout.addWidget(general_box)
        self.connection_boxes = {pid: ConnectionBox(info, body) for pid, info in PROVIDERS.items()}
        for box in self.connection_boxes.values():
            layout.addWidget(box)
        layout.addStretch(1)
        scroll.setWidget(body)
        guard_wheel(self)
        self.show_settings(store.current)

    def show_settings(self, settings: Settings) -> None:
        self.general.pollInterval.setValue(settings.poll_interval_s)
        self.general.downloadFolder.setFilePath(settings.download_folder)
        index = self.general.logLevel.findText(settings.log_level.upper())
        self.general.logLevel.setCurrentIndex(max(index, 0))
        self.general.gridMaxScale.setValue(settings.grid_max_scale)
        for provider_id, box in self.connection_boxes.items():
            box.set_connection(settings.connection(provider_id))

    def settings(self) -> Settings:
        settings = dataclasses.replace(
            self.store.current,
            poll_interval_s=self.general.pollInterval.value(),
            download_folder=self.general.downloadFolder.filePath(),
            log_level=self.general.logLevel.currentText(),
            grid_max_scale=self.general.gridMaxScale.value(),
        )
        for box in self.connection_boxes.values():
            settings = settings.with_connection(box.connection())
        return settings

    def apply(self) -> None:
        self.store.update(self.settings())


class NadirOptionsFactory(QgsOptionsWidgetFactory):
    def __init__(self, store: SettingsStore) -> None:
        super().__init__()
        self.store = store
        self.setTitle(identity().name)

    def icon(self) -> QIcon:
        return QIcon(str(PLUGIN_DIR / "resources" / "icons" / "nadir.svg"))

    def createWidget(self, parent: QWidget | None = None) -> NadirOptionsPage:
        return NadirOptionsPage(self.store, parent)
