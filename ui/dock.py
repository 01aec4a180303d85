"""The Nadir dock: a tab per feature section, added and removed by the features.

The dock itself knows nothing about AOIs, carts or orders. It shows a start page
with the state of the provider connections until features add their sections, and it
emits ``files_dropped`` when files are dropped on it (AOI import uses that).
"""

from __future__ import annotations

from pathlib import Path

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QSize, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QDragEnterEvent, QDropEvent, QIcon, QShowEvent
from qgis.PyQt.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.provider_info import PROVIDERS
from ..toolbelt.i18n import tr
from ..toolbelt.identity import identity
from ..toolbelt.settings import Settings
from .start import Progress, Step, first_steps, has_credentials, steps_html
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
        self.steps = QLabel()
        self.steps.setObjectName("NadirFirstSteps")
        self.steps.setWordWrap(True)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self._steps_known = False  # True once the start feature reports the whole state
        self.connections = QLabel()
        self.connections.setObjectName("NadirConnectionsSummary")
        self.connections.setWordWrap(True)
        self.connections.setTextFormat(Qt.TextFormat.RichText)
        self.settings_button = QPushButton(tr("Provider connections…"))
        self.settings_button.clicked.connect(self.open_settings)
        layout.addWidget(self.title)
        layout.addWidget(self.steps)
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
        title = tr("Providers")
        self.connections.setText(f"<p>{title}</p><ul>{''.join(rows)}</ul>")
        if not self._steps_known:
            self._show(first_steps(Progress(credentials=has_credentials(settings))))

    def show_steps(self, steps: list[Step]) -> None:
        """The first steps from the whole state (AOIs, cart, orders)."""
        self._steps_known = True
        self._show(steps)

    def _show(self, steps: list[Step]) -> None:
        self.steps.setText(steps_html(steps))


#: The size a section can be squeezed to before it scrolls. Fixed, never the content's:
#: the dock's minimum neither changes with what a tab shows (it widened on switching tabs
#: and importing) nor claims the height of the tallest tab (squeezing Layers, Browser).
SECTION_MIN_SIZE = QSize(300, 160)
#: the size the dock asks for when it first opens
SECTION_SIZE = QSize(460, 520)


class SectionScroll(QScrollArea):
    """A tab page: the section, scrolled when the dock is smaller than the section's
    minimum; the page's own size hints are fixed (:data:`SECTION_MIN_SIZE`)."""

    def __init__(self, section: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{section.objectName()}Scroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(section)

    def minimumSizeHint(self) -> QSize:
        return QSize(SECTION_MIN_SIZE)

    def sizeHint(self) -> QSize:
        return QSize(SECTION_SIZE)


class SectionTabs(QTabWidget):
    """The dock's tabs. Every page sits in a :class:`SectionScroll`; ``widget()``,
    ``currentWidget()``, ``indexOf()`` and ``setCurrentWidget()`` speak of the sections
    themselves, so features compare and switch to their own widgets."""

    def add_page(self, section: QWidget, title: str, icon: QIcon | None = None) -> int:
        page = SectionScroll(section, self)
        return self.addTab(page, title) if icon is None else self.addTab(page, icon, title)

    def page_of(self, section: QWidget) -> QWidget | None:
        parent = section.parentWidget()
        while parent is not None and not isinstance(parent, SectionScroll):
            parent = parent.parentWidget()
        return parent

    def widget(self, index: int) -> QWidget | None:
        page = super().widget(index)
        return page.widget() if isinstance(page, SectionScroll) else page

    def currentWidget(self) -> QWidget | None:
        return self.widget(self.currentIndex())

    def indexOf(self, widget: QWidget) -> int:
        page = self.page_of(widget) if widget is not None else None
        return super().indexOf(page if page is not None else widget)

    def setCurrentWidget(self, widget: QWidget) -> None:
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)


class NadirDock(QgsDockWidget):
    files_dropped = pyqtSignal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(identity().name, parent)
        self.setObjectName("NadirDock")
        self.setAcceptDrops(True)
        self.tabs = SectionTabs(self)
        self.tabs.setObjectName("NadirDockTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)  # five tab titles never widen the dock
        self.start_page = StartPage()
        self.tabs.add_page(self.start_page, tr("Start"))
        self.setWidget(self.tabs)
        self._sections: dict[str, QWidget] = {}
        self._sized = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            QTimer.singleShot(0, self._first_width)

    def _first_width(self) -> None:
        """Opened at its bare minimum (never sized by the user or a saved layout):
        widen once to the width the sections are made for."""
        main = self.parentWidget()
        if not isinstance(main, QMainWindow) or self.isFloating() or not self.isVisible():
            return
        if main.dockWidgetArea(self) not in (
            Qt.DockWidgetArea.LeftDockWidgetArea,
            Qt.DockWidgetArea.RightDockWidgetArea,
        ):
            return
        if self.width() <= self.minimumSizeHint().width() + 8:
            main.resizeDocks([self], [SECTION_SIZE.width()], Qt.Orientation.Horizontal)

    # -- sections ---------------------------------------------------------------------
    def add_section(self, key: str, title: str, widget: QWidget, icon: QIcon | None = None) -> None:
        if key in self._sections:
            raise ValueError(f"dock section {key!r} already exists")
        widget.setObjectName(widget.objectName() or f"NadirSection_{key}")
        self._sections[key] = widget
        guard_wheel(widget)
        self.tabs.add_page(widget, title, icon)

    def set_section_title(self, key: str, title: str) -> None:
        """Rename a section's tab (e.g. with a count of what it holds)."""
        widget = self._sections.get(key)
        if widget is not None:
            self.tabs.setTabText(self.tabs.indexOf(widget), title)

    def remove_section(self, key: str) -> None:
        widget = self._sections.pop(key, None)
        if widget is not None:
            page = self.tabs.page_of(widget)
            self.tabs.removeTab(self.tabs.indexOf(widget))
            (page or widget).deleteLater()

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
