"""The AOI feature: wires the store, the dock section, the map tools, dialogs and presenter.

``init_gui()`` provides ``AOIS`` (the :class:`AoiStore`) and ``AOI_IMPORT`` (this feature,
for QGIS's layer menu and drops) in ``ctx.services``, and adds the dock section "Areas of
interest"; ``unload()`` undoes it step by step in reverse.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Optional

from qgis.core import QgsApplication, QgsMapLayer, QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import QDialog, QMessageBox

from ...core.errors import NadirError
from ...toolbelt.i18n import tr, trn
from ..feature import PluginContext
from ..integration import shortcuts
from ..services import AOI_IMPORT, AOIS, CONFIGURE
from .import_dialog import ImportDialog
from .layer_dialog import LayerDialog, LayerRequest
from .map_tools import PolygonTool, RectangleTool, _AoiTool
from .presenter import AoiPresenter
from .section import AoiSection
from .store import AoiStore

LOGGER = logging.getLogger(__name__)

SECTION = "aois"


class AoiFeature:
    provides = (AOIS, AOI_IMPORT)
    needs = (CONFIGURE,)

    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx
        self.store: Optional[AoiStore] = None
        self.section: Optional[AoiSection] = None
        self.presenter: Optional[AoiPresenter] = None
        self.rectangle_tool: Optional[RectangleTool] = None
        self.polygon_tool: Optional[PolygonTool] = None
        self.shortcut_actions: list = []

    # -- life cycle ---------------------------------------------------------------------
    def init_gui(self) -> None:
        canvas = self.ctx.iface.mapCanvas()
        self.store = AoiStore(QgsProject.instance())
        self.ctx.services.provide(AOIS, self.store)
        self.ctx.services.provide(AOI_IMPORT, self)

        self.section = AoiSection()
        self.ctx.dock.add_section(
            SECTION, tr("Areas of interest"), self.section, QgsApplication.getThemeIcon("/mIconPolygonLayer.svg")
        )

        self.rectangle_tool = RectangleTool(canvas)
        self.rectangle_tool.setAction(self.section.rectangle_action)
        self.polygon_tool = PolygonTool(canvas)
        self.polygon_tool.setAction(self.section.polygon_action)
        self.shortcut_actions = shortcuts.register([self.section.rectangle_action, self.section.polygon_action])

        self.presenter = AoiPresenter(self.store, canvas, self.ctx.runner, self.ctx.notifier)

        self.section.rectangle_action.triggered.connect(self._draw_rectangle)
        self.section.polygon_action.triggered.connect(self._draw_polygon)
        self.rectangle_tool.finished.connect(self._rectangle_drawn)
        self.polygon_tool.finished.connect(self._polygon_drawn)
        self.section.import_file.connect(self.open_import_dialog)
        self.section.paste_text.connect(self.open_paste_dialog)
        self.section.from_layer.connect(self.open_layer_dialog)
        self.section.zoom_requested.connect(self.presenter.zoom_to)
        self.section.delete_requested.connect(self._delete)
        self.section.model.rename_requested.connect(self._rename)
        self.section.model.chosen_requested.connect(self._choose)
        self.section.repair_requested.connect(self.presenter.preview_repair)
        self.section.simplify_requested.connect(self.presenter.preview_simplify)
        self.section.split_requested.connect(self.presenter.split)
        self.section.accept_preview.connect(self.presenter.accept_preview)
        self.section.discard_preview.connect(self.presenter.discard_preview)
        self.section.configure_order.connect(self._configure_order)
        self.presenter.preview_shown.connect(self.section.show_preview)
        self.presenter.preview_closed.connect(self.section.hide_preview)
        self.presenter.busy.connect(self.section.set_busy)
        self.presenter.imported.connect(self._imported)
        self.store.changed.connect(self._refresh)
        self.ctx.dock.files_dropped.connect(self._files_dropped)
        self._refresh()

    def _configure_order(self) -> None:
        """ "Configure order…": the ordering feature (``CONFIGURE``) takes over."""
        configure = self.ctx.services.get(CONFIGURE)
        if configure is None:
            self.ctx.notifier.warning(tr("Ordering is not available in this session."))
            return
        configure.open_for_chosen_aois()

    def unload(self) -> None:
        self.ctx.dock.files_dropped.disconnect(self._files_dropped)
        if self.store is not None:
            self.store.changed.disconnect(self._refresh)
        if self.presenter is not None:
            self.presenter.close()
            self.presenter = None
        for tool in (self.polygon_tool, self.rectangle_tool):
            if tool is not None:
                if self.ctx.iface.mapCanvas().mapTool() is tool:
                    self.ctx.iface.mapCanvas().unsetMapTool(tool)
                tool.remove_band()
                tool.deleteLater()
        self.polygon_tool = self.rectangle_tool = None
        shortcuts.unregister(self.shortcut_actions)
        self.shortcut_actions = []
        if self.section is not None:
            self.ctx.dock.remove_section(SECTION)
            self.section = None
        self.ctx.services.withdraw(AOI_IMPORT)
        self.ctx.services.withdraw(AOIS)
        if self.store is not None:
            self.store.close()
            self.store.deleteLater()
            self.store = None

    # -- tools ----------------------------------------------------------------------
    def _activate(self, tool: Optional[_AoiTool]) -> None:
        if tool is None:
            return
        canvas = self.ctx.iface.mapCanvas()
        if canvas.mapTool() is tool:
            canvas.unsetMapTool(tool)
        else:
            canvas.setMapTool(tool)
            canvas.setFocus()

    def _draw_rectangle(self) -> None:
        self._activate(self.rectangle_tool)

    def _draw_polygon(self) -> None:
        self._activate(self.polygon_tool)

    def _rectangle_drawn(self, geometry: object) -> None:
        if self.presenter is not None:
            self.presenter.drawn(geometry, "rectangle")  # type: ignore[arg-type]

    def _polygon_drawn(self, geometry: object) -> None:
        if self.presenter is not None:
            self.presenter.drawn(geometry, "polygon")  # type: ignore[arg-type]

    # -- dialogs --------------------------------------------------------------------
    def open_import_dialog(self, path: Optional[Path] = None) -> Optional[ImportDialog]:
        dialog = ImportDialog(self.ctx.iface.mainWindow())
        if isinstance(path, Path):
            dialog.show_file(path)
        return self._run_import_dialog(dialog)

    def open_paste_dialog(self) -> Optional[ImportDialog]:
        dialog = ImportDialog(self.ctx.iface.mainWindow())
        dialog.show_paste()
        return self._run_import_dialog(dialog)

    def _run_import_dialog(self, dialog: ImportDialog) -> Optional[ImportDialog]:
        if dialog.exec() == QDialog.DialogCode.Accepted and self.presenter is not None:
            self.presenter.import_request(dialog.request())
        dialog.deleteLater()
        return dialog

    def open_layer_dialog(self) -> None:
        dialog = LayerDialog(self.ctx.iface.mainWindow(), self.ctx.iface.activeLayer())
        if dialog.exec() == QDialog.DialogCode.Accepted and self.presenter is not None:
            request = dialog.request()
            if request is not None:
                self.presenter.import_layer(request)
        dialog.deleteLater()

    def import_layer(self, layer: QgsMapLayer) -> None:
        """ "Use as area of interest": the layer's selected features if any, else all of them."""
        if self.presenter is not None:
            self.ctx.dock.show_section(SECTION)
            selected = isinstance(layer, QgsVectorLayer) and layer.selectedFeatureCount() > 0
            self.presenter.import_layer(LayerRequest(layer.id(), selected, None, False, ""))

    def import_paths(self, paths: list) -> None:
        """Files to import as AOIs (dropped on the map and accepted as AOIs)."""
        self._files_dropped(paths)

    def _files_dropped(self, paths: list) -> None:
        if self.presenter is None or self.section is None:
            return
        self.ctx.dock.show_section(SECTION)
        self.presenter.files_dropped([Path(p) for p in paths], self.open_import_dialog)

    # -- list actions -----------------------------------------------------------------
    def _refresh(self) -> None:
        if self.store is None or self.section is None:
            return
        self.section.max_areas = dict(self.store.max_areas)
        self.section.set_aois([(a, self.store.is_chosen(a.id)) for a in self.store.aois()])

    def _imported(self, ids: list) -> None:
        if self.section is not None:
            self.section.select(list(ids))

    def _store_call(self, what: str, call: Callable[..., object], *args: object) -> None:
        try:
            call(*args)
        except NadirError as exc:
            self.ctx.notifier.exception(exc, what)

    def _rename(self, aoi_id: str, name: str) -> None:
        if self.store is not None:
            self._store_call(tr("Renaming"), self.store.rename, aoi_id, name)

    def _choose(self, aoi_ids: list, use: bool) -> None:
        if self.store is not None:
            self._store_call(tr("Choosing AOIs"), self.store.set_chosen, aoi_ids, use)

    def _delete(self, aoi_ids: list) -> None:
        if self.store is None or not aoi_ids:
            return
        names = [a.name for a in (self.store.get(i) for i in aoi_ids) if a is not None]
        question = tr("Delete {}? {}").format(
            trn("%n AOI(s)", len(names)), ", ".join(names[:5]) + ("…" if len(names) > 5 else "")
        )
        answer = QMessageBox.question(self.section, tr("Delete AOIs"), question)
        if answer == QMessageBox.StandardButton.Yes:
            if self.presenter is not None and self.presenter.preview and self.presenter.preview.aoi_id in aoi_ids:
                self.presenter.discard_preview()
            self._store_call(tr("Deleting"), self.store.delete, aoi_ids)
