"""Entry points into Nadir from QGIS's own interface (issue 17).

- "Use as area of interest" in the context menu of every polygon layer (the layer tree's
  menu, through ``iface.addCustomActionForLayer``): the layer's selected features, or
  all of them, become AOIs through the AOI feature's normal import.
- Vector files dropped on the map canvas: a drop handler asks whether to add the file
  as a layer (QGIS goes on as usual) or to use it as areas of interest.
- A help button in the dock's tab bar opening the page of the section shown.

The feature is eager (the menu entry must be there before Nadir's dock was ever
opened); using either entry point wakes the on-first-use features (``ctx.wake``).
``unload()`` removes the action from every layer and unregisters the drop handler.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Optional

from qgis.core import QgsApplication, QgsMapLayer, QgsProject, QgsVectorLayer
from qgis.gui import QgsCustomDropHandler
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMessageBox, QToolButton, QWidget

from ...toolbelt.compat import POLYGON_GEOMETRY, VECTOR_LAYER
from ...toolbelt.help import INDEX, SECTION_PAGES, open_help
from ...toolbelt.i18n import tr
from ...toolbelt.identity import PLUGIN_DIR
from ..feature import PluginContext
from ..services import AOI_IMPORT, AoiImporter

LOGGER = logging.getLogger(__name__)
ICON = PLUGIN_DIR / "resources" / "icons" / "nadir.svg"
#: what a drop on the map may turn into AOIs (the formats the AOI import reads as vectors)
VECTOR_SUFFIXES = frozenset(
    {".geojson", ".json", ".kml", ".kmz", ".gpkg", ".shp", ".fgb", ".gml", ".wkt", ".zip", ".sqlite"}
)

LAYER = "layer"
AOI = "aoi"


def is_polygon_layer(layer: Optional[QgsMapLayer]) -> bool:
    return isinstance(layer, QgsVectorLayer) and layer.geometryType() == POLYGON_GEOMETRY


def ask_drop(parent: Optional[QWidget], path: Path) -> Optional[str]:
    """Ask what a dropped file is for: ``LAYER``, ``AOI`` or None (cancelled)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Nadir: dropped file"))
    box.setText(tr("What should {} become?").format(path.name))
    as_layer = box.addButton(tr("Add as layer"), QMessageBox.ButtonRole.AcceptRole)
    as_aoi = box.addButton(tr("Use as area of interest"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(as_layer)
    box.exec()
    clicked = box.clickedButton()
    return LAYER if clicked is as_layer else AOI if clicked is as_aoi else None


class AoiDropHandler(QgsCustomDropHandler):
    """Files dropped on the map: ask, then leave them to QGIS or import them as AOIs."""

    def __init__(self, ask: Callable[[Path], Optional[str]], use_as_aois: Callable[[list[Path]], None]) -> None:
        super().__init__()
        self._ask = ask
        self._use_as_aois = use_as_aois

    def handleFileDrop(self, file: str) -> bool:
        path = Path(file)
        if path.suffix.lower() not in VECTOR_SUFFIXES or not path.is_file():
            return False
        choice = self._ask(path)
        if choice == AOI:
            self._use_as_aois([path])
            return True
        return choice is None  # cancelled: consumed, nothing added; LAYER: QGIS adds it as usual


class IntegrationFeature:
    provides = ()
    needs = (AOI_IMPORT,)

    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx
        self.layer_action: Optional[QAction] = None
        self.drop_handler: Optional[AoiDropHandler] = None
        self.help_button: Optional[QToolButton] = None
        self._project = QgsProject.instance()
        self.ask: Callable[[Path], Optional[str]] = lambda path: ask_drop(self.ctx.iface.mainWindow(), path)

    def init_gui(self) -> None:
        iface = self.ctx.iface
        self.layer_action = QAction(QIcon(str(ICON)), tr("Use as area of interest"), iface.mainWindow())
        self.layer_action.setObjectName("NadirUseLayerAsAoi")
        self.layer_action.setToolTip(tr("Nadir: make AOIs of this layer's selected features (all if none)"))
        self.layer_action.triggered.connect(self._use_current_layer)
        iface.addCustomActionForLayerType(self.layer_action, "", VECTOR_LAYER, False)
        self._project.layersAdded.connect(self._layers_added)
        self._layers_added(list(self._project.mapLayers().values()))

        self.drop_handler = AoiDropHandler(lambda path: self.ask(path), self._use_files)
        iface.registerCustomDropHandler(self.drop_handler)

        # one "?" in the dock's tab bar: the help page of the section shown
        self.help_button = QToolButton(self.ctx.dock.tabs)
        self.help_button.setObjectName("NadirSectionHelp")
        self.help_button.setIcon(QgsApplication.getThemeIcon("/mActionHelpContents.svg"))
        self.help_button.setAutoRaise(True)
        self.help_button.setToolTip(tr("Help for this part of Nadir"))
        self.help_button.clicked.connect(self.open_section_help)
        self.ctx.dock.tabs.setCornerWidget(self.help_button, Qt.Corner.TopRightCorner)
        self.help_button.show()

    def unload(self) -> None:
        iface = self.ctx.iface
        if self.help_button is not None:
            if self.ctx.dock.tabs.cornerWidget(Qt.Corner.TopRightCorner) is self.help_button:
                self.ctx.dock.tabs.setCornerWidget(None, Qt.Corner.TopRightCorner)
            self.help_button.deleteLater()
            self.help_button = None
        if self.drop_handler is not None:
            iface.unregisterCustomDropHandler(self.drop_handler)
            self.drop_handler = None
        try:
            self._project.layersAdded.disconnect(self._layers_added)
        except (TypeError, RuntimeError):
            pass  # never connected (init_gui failed early)
        if self.layer_action is not None:
            iface.removeCustomActionForLayerType(self.layer_action)
            self.layer_action.deleteLater()
            self.layer_action = None

    # -- help -------------------------------------------------------------------------------
    def current_section(self) -> str:
        shown = self.ctx.dock.tabs.currentWidget()
        return next((key for key in self.ctx.dock.section_keys if self.ctx.dock.section(key) is shown), "start")

    def open_section_help(self) -> None:
        open_help(SECTION_PAGES.get(self.current_section(), INDEX))

    # -- layer menu -------------------------------------------------------------------
    def _layers_added(self, layers: list) -> None:
        if self.layer_action is None:
            return
        for layer in layers:
            if is_polygon_layer(layer):
                self.ctx.iface.addCustomActionForLayer(self.layer_action, layer)

    def _use_current_layer(self) -> None:
        layer = self.ctx.iface.activeLayer()
        if not is_polygon_layer(layer):
            self.ctx.notifier.warning(tr("Make a polygon layer the active layer first."))
            return
        importer = self._importer()
        if importer is not None:
            importer.import_layer(layer)

    # -- drops on the map ---------------------------------------------------------------
    def _use_files(self, paths: list[Path]) -> None:
        importer = self._importer()
        if importer is not None:
            importer.import_paths(paths)

    def _importer(self) -> Optional[AoiImporter]:
        self.ctx.wake()
        self.ctx.dock.show()
        self.ctx.dock.raise_()
        importer = self.ctx.services.get(AOI_IMPORT)
        if importer is None:
            self.ctx.notifier.warning(tr("The AOI tools are not available in this session."))
        return importer
