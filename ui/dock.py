"""The Nadir dock: a tab per feature section, added and removed by the features.

The dock itself knows nothing about AOIs, carts or orders. It shows a start page
with the state of the provider connections until features add their sections, and it
emits ``files_dropped`` when files are dropped on it (AOI import uses that).
"""

from __future__ import annotations

from pathlib import Path

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QDragEnterEvent, QDropEvent, QIcon
from qgis.PyQt.QtWidgets import (
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.provider_info import PROVIDERS
from ..toolbelt.i18n import tr
from ..toolbelt.identity import identity
from ..toolbelt.settings import Settings
from .wheel import guard_wheel


class StartPage(QWidget):
    """Connection overview and a shortcut to the options page."""

    open_settings = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirStartPage")
        layout = QVBoxLayout(self)
        tagline = tr("Order satellite imagery without leaving the map.")
        self.title = QLabel(f"<h3>{identity().name}</h3><p>{tagline}</p>")
        self.title.setWordWrap(True)
        self.connections = QLabel()
        self.connections.setObjectName("NadirConnectionsSummary")
        self.connections.setWordWrap(True)
        self.connections.setTextFormat(Qt.TextFormat.RichText)
        self.settings_button = QPushButton(tr("Provider connections…"))
        self.settings_button.clicked.connect(self.open_settings)
        layout.addWidget(self.title)
        layout.addWidget(self.connections)
        layout.addWidget(self.settings_button)
        layout.addStretch(1)

    def show_settings(self, settings: Settings) -> None:
        rows = []
        for provider_id, info in PROVIDERS.items():
            connection = settings.connection(provider_id)
            if not connection.enabled:
                state = tr("switched off")
            elif connection.authcfg:
                state = tr("credentials set ({})").format(connection.authcfg)
            else:
                state = tr("no credentials yet")
            url = connection.url(info.url_roles[0].key, info.url_roles[0].default)
            rows.append(f"<li><b>{info.title}</b>: {state}<br/><small>{url}</small></li>")
        self.connections.setText(f"<p>{tr('Providers')}</p><ul>{''.join(rows)}</ul>")


class NadirDock(QgsDockWidget):
    files_dropped = pyqtSignal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(identity().name, parent)
        self.setObjectName("NadirDock")
        self.setAcceptDrops(True)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("NadirDockTabs")
        self.tabs.setDocumentMode(True)
        self.start_page = StartPage(self.tabs)
        self.tabs.addTab(self.start_page, tr("Start"))
        self.setWidget(self.tabs)
        self._sections: dict[str, QWidget] = {}

    # -- sections ---------------------------------------------------------------------
    def add_section(self, key: str, title: str, widget: QWidget, icon: QIcon | None = None) -> None:
        if key in self._sections:
            raise ValueError(f"dock section {key!r} already exists")
        widget.setObjectName(widget.objectName() or f"NadirSection_{key}")
        self._sections[key] = widget
        guard_wheel(widget)
        if icon is None:
            self.tabs.addTab(widget, title)
        else:
            self.tabs.addTab(widget, icon, title)

    def remove_section(self, key: str) -> None:
        widget = self._sections.pop(key, None)
        if widget is not None:
            self.tabs.removeTab(self.tabs.indexOf(widget))
            widget.deleteLater()

    def section(self, key: str) -> QWidget | None:
        return self._sections.get(key)

    def show_section(self, key: str) -> None:
        widget = self._sections.get(key)
        if widget is not None:
            self.tabs.setCurrentWidget(widget)

    @property
    def section_keys(self) -> list[str]:
        return list(self._sections)

    # -- drag and drop ------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            super().dropEvent(event)
