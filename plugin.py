"""Nadir's QGIS plugin class: wiring only; the features do the work.

``unload()`` mirrors ``initGui()`` step for step, in reverse order.

Start-up stays cheap (the target: under 100 ms added to QGIS's start): ``initGui`` adds the
toolbar button, the menu entries, an empty dock, the options page and the Processing
provider. Which features start when (eager ones now, the others on first use, in steps that
never stall the GUI) is ``ui/wakeup.py``'s policy.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from qgis.core import QgsApplication, QgsProject
from qgis.gui import QgisInterface
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .tasks.base import TaskRunner
from .toolbelt import log
from .toolbelt.i18n import install_translator, remove_translator, tr
from .toolbelt.identity import PLUGIN_DIR, identity
from .toolbelt.notify import Notifier
from .toolbelt.settings import Settings, SettingsStore

LOGGER = logging.getLogger(__name__)
ICON = PLUGIN_DIR / "resources" / "icons" / "nadir.svg"


class NadirPlugin:
    def __init__(self, iface: QgisInterface) -> None:
        if "shapely" in sys.modules:  # imported before classFactory's GEOS hook (QGIS itself, another plugin)
            from .toolbelt.compat import guard_shapely_geos

            if guard_shapely_geos():
                LOGGER.info("QGIS's GEOS shadows shapely's: shapely writes WKT/WKB in 3 dimensions at most")
        self.iface = iface
        self.translator = None
        self.settings: SettingsStore | None = None
        self.runner: TaskRunner | None = None
        self.action: QAction | None = None
        self.help_action: QAction | None = None
        # built in initGui from modules imported there (start-up stays light)
        self.dock: Any = None  # ui.dock.NadirDock
        self.options_factory: Any = None  # ui.options.NadirOptionsFactory
        self.processing_provider: Any = None  # processing.provider.NadirProcessingProvider
        self.ctx: Any = None
        self.wakeup: Any = None  # ui.wakeup.WakeUp: which features start when

    def initGui(self) -> None:
        from .ui.dock import NadirDock
        from .ui.feature import PluginContext
        from .ui.integration import shortcuts
        from .ui.options import NadirOptionsFactory
        from .ui.wakeup import WakeUp

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
        shortcuts.register([self.action])  # Settings > Keyboard Shortcuts

        self.help_action = QAction(QIcon(str(ICON)), tr("{} help").format(name), self.iface.mainWindow())
        self.help_action.setObjectName("NadirHelp")
        self.help_action.triggered.connect(self._open_help)
        self.iface.pluginHelpMenu().addAction(self.help_action)
        self.iface.addPluginToWebMenu(name, self.help_action)  # Web > Nadir > Nadir help too

        self.dock = NadirDock(self.iface.mainWindow())
        self.dock.visibilityChanged.connect(self.action.setChecked)
        self.dock.start_page.open_settings.connect(self._open_options)
        self.dock.start_page.show_settings(self.settings.current)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()

        self.options_factory = NadirOptionsFactory(self.settings)
        self.iface.registerOptionsWidgetFactory(self.options_factory)

        self.initProcessing()

        notifier = Notifier(self.iface.messageBar(), self.iface.mainWindow(), open_settings=self._open_options)
        self.ctx = PluginContext(self.iface, self.dock, notifier, self.runner, self.settings, wake=self.activate)
        self.wakeup = WakeUp(self.ctx)
        self.wakeup.start(QgsProject.instance(), self.settings.current)
        self.dock.visibilityChanged.connect(self.wakeup.dock_visibility)

    @property
    def features(self) -> list:
        return self.wakeup.features if self.wakeup is not None else []

    @property
    def active(self) -> bool:
        """Every feature is built."""
        return self.wakeup is not None and self.wakeup.awake

    awake = active

    def activate(self) -> None:
        """Build the features that wait for first use now, in this call (idempotent); for
        entry points that need them at once. Opening the dock wakes them up in steps."""
        if self.wakeup is not None:
            self.wakeup.wake_now()

    def wake(self, then: Any = None) -> None:
        """Build the waiting features over the next event-loop turns, then call ``then()``."""
        if self.wakeup is not None:
            self.wakeup.wake(then)

    def initProcessing(self) -> None:
        """The Processing provider alone: qgis_process calls this instead of initGui."""
        if self.processing_provider is None:
            from .processing.provider import NadirProcessingProvider

            self.processing_provider = NadirProcessingProvider()
            QgsApplication.processingRegistry().addProvider(self.processing_provider)

    def unload(self) -> None:
        if self.wakeup is not None:
            self.wakeup.unload()  # every feature, in reverse order
            self.wakeup = None
        self.ctx = None

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
            self.iface.removePluginWebMenu(identity().name, self.help_action)
            self.iface.pluginHelpMenu().removeAction(self.help_action)
            self.help_action.deleteLater()
            self.help_action = None

        if self.action is not None:
            from .ui.integration import shortcuts

            shortcuts.unregister([self.action])
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
        release_process_hooks()

    # -- slots ------------------------------------------------------------------------
    def _toggle_dock(self, visible: bool) -> None:
        if visible:
            self.wake()  # in steps: the dock shows at once, its sections follow
        if self.dock is not None and self.dock.isVisible() != visible:
            self.dock.setVisible(visible)
            if visible:
                self.dock.raise_()

    def _open_help(self) -> None:
        from .toolbelt.help import open_help

        open_help()  # resources/help/index.html, in the QGIS language where translated

    def _open_options(self) -> None:
        self.iface.showOptionsDialog(self.iface.mainWindow(), currentPage=identity().name)

    def _settings_changed(self, settings: Settings) -> None:
        log.set_level(settings.log_level)
        if self.dock is not None:
            self.dock.start_page.show_settings(settings)


def release_process_hooks() -> None:
    """Undo what Nadir changed in the process beyond its own objects (unload leaves nothing):
    the GEOS import hook and the private-folder finder (classFactory), the shapely WKT/WKB
    guard (``__init__``) and the filter on the ``httpx`` logger (added when
    ``providers.http.session`` is imported)."""
    from .toolbelt import private_first
    from .toolbelt.compat import unguard_shapely_geos
    from .toolbelt.native import remove_hook

    remove_hook()
    private_first.remove()  # packages already loaded from the private folder stay loaded
    if unguard_shapely_geos():
        LOGGER.debug("shapely's own to_wkt/to_wkb restored")
    http = sys.modules.get(f"{__package__}.providers.http.session")  # never imported just to clean up
    if http is not None:
        http.uninstall_request_log_filter()
