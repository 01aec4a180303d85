"""Map tool for picking grid cells (ClearSKY's "Order Data" guide, "Tile & Minitile Orders").

- left click on a tile or minitile: select or unselect it;
- right click on a tile: split it into its minitiles;
- right click on a minitile: a menu to select/unselect it or merge it back into its tile.

Refusals (a switched-off zone, a split tile) are shown in the message bar. Panning
with the middle button or the keyboard works as with any QGIS tool.
"""

from __future__ import annotations

import logging
from typing import Optional

from qgis.gui import QgsMapCanvas, QgsMapMouseEvent, QgsMapTool
from qgis.PyQt.QtCore import QPoint, Qt
from qgis.PyQt.QtGui import QCursor
from qgis.PyQt.QtWidgets import QMenu

from ...core.errors import NadirError
from ...toolbelt.geometry import point_to_wgs84
from ...toolbelt.i18n import tr
from ...toolbelt.notify import Notifier
from .presenter import GridPresenter

LOGGER = logging.getLogger(__name__)


class GridSelectTool(QgsMapTool):
    def __init__(self, canvas: QgsMapCanvas, presenter: GridPresenter, notifier: Notifier) -> None:
        super().__init__(canvas)
        self.presenter = presenter
        self.notifier = notifier
        self.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.last_menu: Optional[QMenu] = None

    def _cell(self, event: QgsMapMouseEvent) -> Optional[str]:
        crs = self.canvas().mapSettings().destinationCrs()
        lonlat = point_to_wgs84(event.mapPoint(), crs, self.presenter.project.transformContext())
        if lonlat is None:
            return None
        return self.presenter.cell_at(*lonlat)

    def canvasReleaseEvent(self, event: QgsMapMouseEvent) -> None:
        button = event.button()
        if button not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return
        guid = self._cell(event)
        if guid is None:
            if not self.presenter.zoomed_in:
                self.notifier.info(tr("Zoom in to 1:{:,.0f} or closer to pick tiles.").format(self.presenter.threshold))
            return
        try:
            if button == Qt.MouseButton.LeftButton:
                self.presenter.toggle(guid)
            elif not self.presenter.store.is_minitile(guid):
                self.presenter.split(guid)
            else:
                self.show_menu(guid, event.globalPos())
        except NadirError as exc:
            self.notifier.info(exc.message)

    def menu_for(self, minitile: str) -> QMenu:
        """The right-click menu of a minitile (built separately so tests can drive it)."""
        menu = QMenu(self.canvas())
        parent = self.presenter.store.parent(minitile)
        selected = self.presenter.selection.is_selected(minitile)
        toggle = menu.addAction(tr("Unselect this minitile") if selected else tr("Select this minitile"))
        toggle.setObjectName("NadirGridToggleMinitile")
        toggle.triggered.connect(lambda _=False: self._guarded(lambda: self.presenter.toggle(minitile)))
        if parent is not None and self.presenter.selection.is_split(parent):
            minis = self.presenter.selection.minitiles_of(parent)
            picked = sum(1 for g in minis if self.presenter.selection.is_selected(g))
            if picked:
                text = tr("Merge back into its tile (tile selected: {} of {} minitiles are)").format(picked, len(minis))
            else:
                text = tr("Merge back into its tile (tile not selected)")
            merge = menu.addAction(text)
            merge.setObjectName("NadirGridMerge")
            merge.triggered.connect(lambda _=False: self._guarded(lambda: self.presenter.merge(parent)))
        return menu

    def show_menu(self, minitile: str, position: QPoint) -> None:
        self.last_menu = self.menu_for(minitile)
        self.last_menu.popup(position)

    def _guarded(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except NadirError as exc:
            self.notifier.info(exc.message)

    def deactivate(self) -> None:
        if self.last_menu is not None:
            self.last_menu.close()
            self.last_menu = None
        super().deactivate()
