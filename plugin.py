"""Nadir's QGIS plugin class: wiring only (STYLE.md 3).

``unload()`` mirrors ``initGui()`` step for step, in reverse order.

Start-up stays cheap (DESIGN.md 6: < 100 ms): ``initGui`` adds the toolbar button, the
menu entries, an empty dock, the options page and the Processing provider, and only
the features that must see the project from its first layer on (eager in
``ui/features.py``). The others
(AOIs, grid, cart, orders) and what they import (pydantic, httpx, shapely) wake up on
first need: the dock is opened, a project holding Nadir content is read, or, two
seconds after start, there is work to follow (credentials set, or a cart or outbox on
disk: orders to track, placements to finish). In that last case the pure-Python
modules are imported on a worker thread first, so the GUI thread only builds widgets.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from typing import Any

from qgis.core import QgsApplication, QgsProject
from qgis.gui import QgisInterface
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QApplication

from .tasks.base import TaskRunner
from .toolbelt import log
from .toolbelt.i18n import install_translator, remove_translator, tr
from .toolbelt.identity import PLUGIN_DIR, identity
from .toolbelt.notify import Notifier
from .toolbelt.settings import Settings, SettingsStore

LOGGER = logging.getLogger(__name__)
ICON = PLUGIN_DIR / "resources" / "icons" / "nadir.svg"
WAKE_DELAY_MS = 2000
# Imported on a worker thread before a background wake-up: no Qt in any of them.
WARM_MODULES = ("pydantic", "httpx", "shapely", ".core.models", ".core.ordering.cart", ".core.ordering.outbox",
                ".core.aoi.build", ".core.aoi.rules", ".providers.registry")


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
        self.dock = None
        self.options_factory = None
        self.processing_provider = None
        self.features: list = []
        self.ctx: Any = None
        self.active = False
        self._wake_timer: QTimer | None = None
        self._warm: threading.Thread | None = None

    def initGui(self) -> None:
        from .ui.dock import NadirDock
        from .ui.feature import PluginContext
        from .ui.integration import shortcuts
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
        self.features = []
        self.active = False
        self._start_features(eager=True)

        self.dock.visibilityChanged.connect(self._dock_visibility)
        QgsProject.instance().readProject.connect(self._project_read)
        self._wake_timer = QTimer()
        self._wake_timer.setSingleShot(True)
        self._wake_timer.timeout.connect(self._wake)
        if project_has_nadir_content(QgsProject.instance()):  # enabled with such a project open
            self.activate()
        elif work_to_follow(self.settings.current):
            self._wake_timer.start(WAKE_DELAY_MS)

    def _start_features(self, eager: bool) -> None:
        from .ui.features import feature_classes

        for feature_class in feature_classes(eager):
            feature = feature_class(self.ctx)
            try:
                feature.init_gui()
            except Exception as exc:  # one broken part must not take the others (or QGIS) down
                LOGGER.exception("Starting %s failed", feature_class.__name__)
                self.ctx.notifier.error(tr("A part of Nadir could not start ({}): {}").format(
                    feature_class.__name__, exc))
            self.features.append(feature)  # unload() undoes whatever it did add

    def activate(self) -> None:
        """Build the features that wait for first use (idempotent)."""
        if self.active or self.ctx is None:
            return
        self.active = True
        if self._wake_timer is not None:
            self._wake_timer.stop()
        if self._warm is not None and self._warm.is_alive():
            self._warm.join()  # never import the same modules from two threads at once
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._start_features(eager=False)
        finally:
            QApplication.restoreOverrideCursor()

    # -- waking up ----------------------------------------------------------------------
    def _dock_visibility(self, visible: bool) -> None:
        if visible:
            self.activate()

    def _project_read(self, *_args: Any) -> None:
        if not self.active and project_has_nadir_content(QgsProject.instance()):
            self.activate()

    def _wake(self) -> None:
        """Background wake-up: import the heavy modules off the GUI thread, then activate."""
        if self.active:
            return
        if self._warm is None:
            self._warm = threading.Thread(target=warm_imports, name="nadir-warm-imports", daemon=True)
            self._warm.start()
        if self._warm.is_alive() and self._wake_timer is not None:
            self._wake_timer.start(50)  # look again soon; the GUI stays responsive meanwhile
            return
        self.activate()

    def initProcessing(self) -> None:
        """The Processing provider alone: qgis_process calls this instead of initGui."""
        if self.processing_provider is None:
            from .processing.provider import NadirProcessingProvider

            self.processing_provider = NadirProcessingProvider()
            QgsApplication.processingRegistry().addProvider(self.processing_provider)

    def unload(self) -> None:
        if self._wake_timer is not None:
            self._wake_timer.stop()
            self._wake_timer = None
        try:
            QgsProject.instance().readProject.disconnect(self._project_read)
        except (TypeError, RuntimeError):
            pass
        for feature in reversed(self.features):
            try:
                feature.unload()
            except Exception:
                LOGGER.exception("Unloading %s failed", type(feature).__name__)
        self.features = []
        self.active = False
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
            self.activate()
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


def project_has_nadir_content(project: QgsProject) -> bool:
    """Nadir entries in the project file (cart, grid selection) or a layer Nadir made."""
    if project.subkeyList("Nadir", "") or project.entryList("Nadir", ""):
        return True
    return any(any(str(key).startswith("nadir/") for key in layer.customPropertyKeys())
               for layer in project.mapLayers().values())


def work_to_follow(settings: Settings) -> bool:
    """Something to do in the background this session: orders to track, placements to finish."""
    from .core.provider_info import PROVIDERS
    from .toolbelt.paths import cart_path, outbox_path

    if any(settings.connection(p).enabled and settings.connection(p).authcfg for p in PROVIDERS):
        return True
    return outbox_path().exists() or cart_path().exists()


def warm_imports() -> None:  # worker thread
    for name in WARM_MODULES:
        try:
            importlib.import_module(name, __package__)
        except Exception:  # the GUI thread imports it again and reports the error there
            LOGGER.debug("Pre-importing %s failed", name, exc_info=True)
