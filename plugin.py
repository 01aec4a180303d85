"""Nadir's QGIS plugin class: wiring only (STYLE.md 3).

``unload()`` mirrors ``initGui()`` step for step, in reverse order.
"""

from __future__ import annotations

import logging

from qgis.core import QgsApplication
from qgis.gui import QgisInterface
from qgis.PyQt.QtCore import Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import QAction

from .tasks.base import TaskRunner
from .toolbelt import log
from .toolbelt.i18n import install_translator, remove_translator, tr
from .toolbelt.identity import PLUGIN_DIR, identity
from .toolbelt.notify import Notifier
from .toolbelt.settings import Settings, SettingsStore

LOGGER = logging.getLogger(__name__)
ICON = PLUGIN_DIR / "resources" / "icons" / "nadir.svg"
HELP = PLUGIN_DIR / "resources" / "help" / "index.html"


class NadirPlugin:
    def __init__(self, iface: QgisInterface) -> None:
        from .toolbelt.compat import guard_shapely_geos, load_shapely_with_its_own_geos

        load_shapely_with_its_own_geos()
        if guard_shapely_geos():
            LOGGER.info("QGIS's GEOS shadows shapely's: shapely writes WKT/WKB in 3 dimensions at most")
        self.iface = iface
        self.translator = None
        self.settings: SettingsStore | None = None
        self.runner: TaskRunner | None = None
        self.action: QAction | None = None
        self.help_action: QAction | None = None
        self.dock = None
        self.options_factory = None
        self.processing_provider = None
        self.features: list = []

    def initGui(self) -> None:
        from .ui.dock import NadirDock
        from .ui.feature import PluginContext
        from .ui.features import feature_classes
        from .ui.options import NadirOptionsFactory

        name = identity().name
        self.settings = SettingsStore()
        log.install(self.settings.current.log_level)
        self.settings.on_change(self._settings_changed)
        self.translator = install_translator()
        self.runner = TaskRunner()

        self.action = QAction(QIcon(str(ICON)), name, self.iface.mainWindow())
        self.action.setObjectName("NadirToggleDock")
        self.action.setCheckable(True)
        self.action.setToolTip(tr("Show or hide the Nadir panel: order satellite imagery"))
        self.action.toggled.connect(self._toggle_dock)
        self.iface.addToolBarIcon(self.action)
        self.iface.addPluginToWebMenu(name, self.action)

        self.help_action = QAction(QIcon(str(ICON)), tr("{} help").format(name), self.iface.mainWindow())
        self.help_action.setObjectName("NadirHelp")
        self.help_action.triggered.connect(self._open_help)
        self.iface.pluginHelpMenu().addAction(self.help_action)

        self.dock = NadirDock(self.iface.mainWindow())
        self.dock.visibilityChanged.connect(self.action.setChecked)
        self.dock.start_page.open_settings.connect(self._open_options)
        self.dock.start_page.show_settings(self.settings.current)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()

        self.options_factory = NadirOptionsFactory(self.settings)
        self.iface.registerOptionsWidgetFactory(self.options_factory)

        self.initProcessing()

        notifier = Notifier(self.iface.messageBar(), self.iface.mainWindow())
        ctx = PluginContext(self.iface, self.dock, notifier, self.runner, self.settings)
        self.features = []
        for feature_class in feature_classes():
            feature = feature_class(ctx)
            feature.init_gui()
            self.features.append(feature)

    def initProcessing(self) -> None:
        """The Processing provider alone: qgis_process calls this instead of initGui."""
        if self.processing_provider is None:
            from .processing.provider import NadirProcessingProvider

            self.processing_provider = NadirProcessingProvider()
            QgsApplication.processingRegistry().addProvider(self.processing_provider)

    def unload(self) -> None:
        for feature in reversed(self.features):
            try:
                feature.unload()
            except Exception:
                LOGGER.exception("Unloading %s failed", type(feature).__name__)
        self.features = []

        if self.processing_provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.processing_provider)
            self.processing_provider = None

        if self.options_factory is not None:
            self.iface.unregisterOptionsWidgetFactory(self.options_factory)
            self.options_factory = None

        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None

        if self.help_action is not None:
            self.iface.pluginHelpMenu().removeAction(self.help_action)
            self.help_action.deleteLater()
            self.help_action = None

        if self.action is not None:
            self.iface.removePluginWebMenu(identity().name, self.action)
            self.iface.removeToolBarIcon(self.action)
            self.action.deleteLater()
            self.action = None

        if self.runner is not None:
            self.runner.cancel_all()
            self.runner = None

        remove_translator(self.translator)
        self.translator = None

        if self.settings is not None:
            self.settings.remove_listener(self._settings_changed)
            self.settings = None
        log.uninstall()

    # -- slots ------------------------------------------------------------------------
    def _toggle_dock(self, visible: bool) -> None:
        if self.dock is not None and self.dock.isVisible() != visible:
            self.dock.setVisible(visible)
            if visible:
                self.dock.raise_()

    def _open_help(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(HELP)))

    def _open_options(self) -> None:
        self.iface.showOptionsDialog(self.iface.mainWindow(), currentPage=identity().name)

    def _settings_changed(self, settings: Settings) -> None:
        log.set_level(settings.log_level)
        if self.dock is not None:
            self.dock.start_page.show_settings(settings)
