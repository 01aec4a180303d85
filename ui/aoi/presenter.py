"""Turns what the analyst does into AOIs: drawing, importing, fixing (the section only emits intent).

Slow work runs in a task through ``ctx.runner`` and never touches widgets or layers:
every file import, reading a project layer (through a ``QgsVectorLayerFeatureSource``
made here on the GUI thread), pasted text over :data:`TASK_CHARS`, and repair or
simplification of AOIs over :data:`TASK_VERTICES`. Results come back in the task's
``finished`` on the GUI thread, where the store and the map are updated.

Repairs and simplifications are previews first: the new shape is drawn on the map (green,
over the original in red) with what changed, and replaces the AOI only when accepted.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, TypeVar

from qgis.core import (
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorLayerFeatureSource,
)
from qgis.gui import QgsMapCanvas, QgsRubberBand
from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtGui import QColor

from ...core.aoi.build import (
    ImportResult,
    build_aois,
    raw_from_geometry,
    repair_preview,
    simplify_preview,
    split_into_polygons,
    with_geometry,
)
from ...core.aoi.model import Aoi
from ...core.aoi.text import read_text
from ...core.errors import InputError, NadirError
from ...tasks.base import TaskContext, TaskRunner
from ...toolbelt import geometry as geo
from ...toolbelt.aoi import files as aoi_files
from ...toolbelt.compat import POLYGON_GEOMETRY
from ...toolbelt.core_text import tr_core
from ...toolbelt.i18n import tr
from ...toolbelt.notify import Notifier
from .import_dialog import ImportRequest
from .layer_dialog import LayerRequest
from .store import AoiStore

LOGGER = logging.getLogger(__name__)

#: Pasted text longer than this is read in a task.
TASK_CHARS = 200_000
#: AOIs with more vertices than this are repaired or simplified in a task.
TASK_VERTICES = 50_000


F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """A slot that reports any error through the notifier instead of raising into Qt.

    NadirErrors carry their own message; anything else is a bug, logged with its
    traceback by the notifier. An exception escaping a slot would end in QGIS's
    traceback dialog (or abort the process outside QGIS).
    """

    @functools.wraps(method)
    def wrapper(self: AoiPresenter, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - reported, not swallowed
            self.notifier.exception(exc, tr("Areas of interest"))
            return None

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class Preview:
    aoi_id: str
    geometry: Any  # shapely MultiPolygon
    text: str


class AoiPresenter(QObject):
    busy = pyqtSignal(str)  # what is running; empty when idle
    imported = pyqtSignal(list)  # ids of new AOIs
    preview_shown = pyqtSignal(str)
    preview_closed = pyqtSignal()

    def __init__(
        self,
        store: AoiStore,
        canvas: QgsMapCanvas,
        runner: TaskRunner,
        notifier: Notifier,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.canvas = canvas
        self.runner = runner
        self.notifier = notifier
        self.preview: Optional[Preview] = None
        self._bands: list[QgsRubberBand] = []
        self._running = 0

    def close(self) -> None:
        self.discard_preview()

    # -- tasks ------------------------------------------------------------------------
    def _run(self, description: str, work: Callable[[TaskContext], Any], done: Callable[[Any], None]) -> None:
        self._running += 1
        self.busy.emit(description)

        def finished() -> None:
            self._running -= 1
            if self._running == 0:
                self.busy.emit("")

        def on_done(result: Any) -> None:
            finished()
            done(result)

        def on_error(error: BaseException) -> None:
            finished()
            self.notifier.exception(error, description.rstrip("…"))

        self.runner.run(description, work, on_done, on_error)

    # -- drawing ----------------------------------------------------------------------
    @guarded
    def drawn(self, geometry: QgsGeometry, kind: str) -> None:
        """A shape from a map tool, in canvas CRS."""
        crs = self.canvas.mapSettings().destinationCrs()
        try:
            shape = geo.drawn_to_wgs84(geometry, crs, geo.transform_context())
        except NadirError as exc:
            self.notifier.exception(exc, tr("Drawing"))
            return
        label = tr("Rectangle") if kind == "rectangle" else tr("Polygon")
        name = self._next_name(label)
        result = build_aois([raw_from_geometry(shape, 1, name)], tr("drawn {}").format(kind), name)
        self._add(result, quiet=True)

    def _next_name(self, label: str) -> str:
        taken = {a.name for a in self.store.aois()}
        number = 1
        while f"{label} {number}" in taken:
            number += 1
        return f"{label} {number}"

    # -- importing --------------------------------------------------------------------
    @guarded
    def import_request(self, request: ImportRequest) -> None:
        if request.text is not None:
            self.import_text(request.text, request.name, request.dissolve)
        elif request.path is not None:
            self.import_file(request.path, request.sublayer_uri, request.name, request.dissolve)

    def import_text(self, text: str, name: str = "", dissolve: bool = False) -> None:
        default = name or tr("Pasted AOI")
        context = geo.transform_context()

        def work(task: Optional[TaskContext] = None) -> ImportResult:
            raws = [aoi_files.reproject_declared(raw, context) for raw in read_text(text)]
            return aoi_files.finish_import(raws, tr("pasted text"), default, default if dissolve else None)

        if len(text) <= TASK_CHARS:
            try:
                self._add(work())
            except NadirError as exc:
                self.notifier.exception(exc, tr("Pasted text"))
            return
        self._run(tr("Reading pasted AOIs…"), work, self._add)

    def import_file(
        self, path: Path, sublayer_uri: Optional[str] = None, name: str = "", dissolve: bool = False
    ) -> None:
        context = geo.transform_context()
        path = Path(path)

        def work(task: TaskContext) -> ImportResult:
            result = aoi_files.import_file(path, context, sublayer_uri, (name or path.stem) if dissolve else None, task)
            if name and not dissolve and len(result.aois) == 1:
                result = ImportResult((result.aois[0].renamed(name),), result.refused)
            return result

        self._run(tr("Importing {}…").format(path.name), work, self._add)

    @guarded
    def files_dropped(self, paths: Sequence[Path], ask: Callable[[Path], object]) -> None:
        """Import dropped files; ``ask`` opens the import dialog for a file needing a choice."""
        for path in paths:
            try:
                contents = aoi_files.inspect_file(Path(path))
            except NadirError as exc:
                self.notifier.exception(exc, Path(path).name)
                continue
            if contents.needs_choice:
                ask(Path(path))
            else:
                self.import_file(Path(path))

    @guarded
    def import_layer(self, request: LayerRequest) -> None:
        layer = QgsProject.instance().mapLayer(request.layer_id)
        if not isinstance(layer, QgsVectorLayer):
            self.notifier.error(tr("The layer is no longer in the project."))
            return
        feature_request = QgsFeatureRequest()
        if request.selected_only:
            feature_request.setFilterFids(layer.selectedFeatureIds())
        source = QgsVectorLayerFeatureSource(layer)  # GUI thread; iterated in the task
        crs, fields, context = layer.crs(), layer.fields(), geo.transform_context()
        total = layer.selectedFeatureCount() if request.selected_only else layer.featureCount()
        label = tr("layer {}").format(layer.name())

        def work(task: TaskContext) -> ImportResult:
            raws = aoi_files.read_features(
                source, crs, fields, context, feature_request, task, total, request.name_field
            )
            return aoi_files.finish_import(raws, label, request.name, request.name if request.dissolve else None)

        self._run(tr("Reading {}…").format(layer.name()), work, self._add)

    def _add(self, result: ImportResult, quiet: bool = False) -> None:
        try:
            self.store.add(list(result.aois))
        except NadirError as exc:
            self.notifier.exception(exc, tr("Saving AOIs"))
            return
        details = "\n".join(p.text() for p in result.refused)
        invalid = [a for a in result.aois if not a.valid]
        details += "".join(f"\n{a.name}: {p.text()}" for a in invalid for p in a.errors)
        if not result.aois and result.refused:
            first = result.refused[0].text()
            more = tr(" ({} more in the details)").format(len(result.refused) - 1) if len(result.refused) > 1 else ""
            self.notifier.error(tr("No AOI could be made. {}{}").format(first, more), details.strip())
        elif result.refused or invalid:
            self.notifier.warning(tr("Added {}.").format(result.summary()), details.strip())
        elif not quiet:
            self.notifier.success(tr("Added {}.").format(result.summary()))
        ids = [a.id for a in result.aois]
        if ids:
            self.imported.emit(ids)
            if not quiet:
                self.zoom_to(ids)

    # -- map --------------------------------------------------------------------------
    @guarded
    def zoom_to(self, aoi_ids: Sequence[str]) -> None:
        aois = [a for a in (self.store.get(i) for i in aoi_ids) if a is not None]
        if not aois:
            return
        crs = self.canvas.mapSettings().destinationCrs()
        extent = QgsRectangle()
        extent.setMinimal()
        for aoi in aois:
            try:
                extent.combineExtentWith(geo.wgs84_to_crs(aoi.geometry, crs).boundingBox())
            except InputError:
                continue
        if extent.isEmpty() and extent.width() <= 0:
            return
        extent.scale(1.2)
        self.canvas.setExtent(extent)
        self.canvas.refresh()

    # -- fixes ------------------------------------------------------------------------
    @guarded
    def preview_repair(self, aoi_id: str) -> None:
        aoi = self.store.get(aoi_id)
        if aoi is None:
            return

        def work(task: Optional[TaskContext] = None) -> Preview:
            result = repair_preview(aoi)
            return Preview(aoi.id, result.geometry, tr_core(result.describe()))

        self._preview(aoi, tr("Repairing {}…").format(aoi.name), work)

    @guarded
    def preview_simplify(self, aoi_id: str, max_vertices: int) -> None:
        aoi = self.store.get(aoi_id)
        if aoi is None:
            return

        def work(task: Optional[TaskContext] = None) -> Preview:
            result = simplify_preview(aoi, max_vertices)
            return Preview(aoi.id, result.geometry, tr_core(result.describe()))

        self._preview(aoi, tr("Simplifying {}…").format(aoi.name), work)

    def _preview(self, aoi: Aoi, description: str, work: Callable[..., Preview]) -> None:
        self.discard_preview()
        if aoi.vertex_count > TASK_VERTICES:
            self._run(description, work, self._show_preview)
            return
        try:
            self._show_preview(work())
        except NadirError as exc:
            self.notifier.exception(exc, aoi.name)

    def _show_preview(self, preview: Preview) -> None:
        aoi = self.store.get(preview.aoi_id)
        if aoi is None:
            return
        self.preview = preview
        crs = self.canvas.mapSettings().destinationCrs()
        self._bands = [
            self._band(geo.wgs84_to_crs(aoi.geometry, crs), QColor(220, 0, 0, 40), QColor(220, 0, 0), 1),
            self._band(geo.wgs84_to_crs(preview.geometry, crs), QColor(0, 170, 0, 70), QColor(0, 130, 0), 2),
        ]
        self.zoom_to([aoi.id])
        self.preview_shown.emit(
            preview.text + "<br/>" + tr("The new shape is shown in green over the original in red.")
        )

    def _band(self, geometry: QgsGeometry, fill: QColor, stroke: QColor, width: int) -> QgsRubberBand:
        band = QgsRubberBand(self.canvas, POLYGON_GEOMETRY)
        band.setFillColor(fill)
        band.setStrokeColor(stroke)
        band.setWidth(width)
        band.setToGeometry(geometry)
        return band

    @guarded
    def accept_preview(self) -> None:
        preview = self.preview
        aoi = self.store.get(preview.aoi_id) if preview else None
        if preview is not None and aoi is not None:
            try:
                self.store.replace(with_geometry(aoi, preview.geometry))
            except NadirError as exc:
                self.notifier.exception(exc, aoi.name)
        self.discard_preview()

    @guarded
    def discard_preview(self) -> None:
        had = self.preview is not None
        self.preview = None
        for band in self._bands:
            band.reset(POLYGON_GEOMETRY)
            if band.scene() is not None:
                band.scene().removeItem(band)
        self._bands = []
        if had:
            self.preview_closed.emit()

    @guarded
    def split(self, aoi_id: str) -> None:
        aoi = self.store.get(aoi_id)
        if aoi is None:
            return
        parts = split_into_polygons(aoi)
        if len(parts) > 1:
            try:
                self.store.replace_with(aoi.id, parts)
            except NadirError as exc:
                self.notifier.exception(exc, aoi.name)
                return
            self.imported.emit([p.id for p in parts])
