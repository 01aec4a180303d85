"""The AOI feature in QGIS: map tools, dialogs, presenter tasks, dock section, service."""

from __future__ import annotations

import shutil
import time

import pytest
import shapely
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, Qt
from qgis.PyQt.QtGui import QKeyEvent
from qgis.PyQt.QtWidgets import QDialogButtonBox, QMessageBox

from nadir.core.aoi.build import build_aois
from nadir.core.aoi.text import read_text
from nadir.core.geodesy import geodesic_area_km2
from nadir.tasks.base import TaskRunner
from nadir.ui.aoi.feature import AoiFeature
from nadir.ui.aoi.import_dialog import ImportDialog, ImportRequest
from nadir.ui.aoi.layer_dialog import LayerDialog, LayerRequest
from nadir.ui.aoi.map_tools import PolygonTool, RectangleTool
from nadir.ui.dock import NadirDock
from nadir.ui.feature import PluginContext
from nadir.ui.services import AOIS
from support.aoi_data import DATA, big_polygon_geojson, read


class RecordingNotifier:
    """Notifier stand-in: keeps every message for the test to read."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []

    def _add(self, level: str, message: str, details: str = "", duration: int = 0) -> None:
        self.messages.append((level, message, details))

    def info(self, message, details="", duration=5):
        self._add("info", message, details)

    def success(self, message, details="", duration=5):
        self._add("success", message, details)

    def warning(self, message, details="", duration=10):
        self._add("warning", message, details)

    def error(self, message, details="", duration=0):
        self._add("error", message, details)

    def exception(self, exc, context=""):
        self._add("error", f"{context}: {getattr(exc, 'message', str(exc))}")

    def levels(self):
        return [m[0] for m in self.messages]


def settle(seconds: float = 0.0):
    end = time.monotonic() + seconds
    while True:
        QCoreApplication.processEvents()
        if time.monotonic() >= end:
            break


def wait_tasks(runner: TaskRunner, timeout: float = 120.0):
    end = time.monotonic() + timeout
    while runner.running or QgsApplication.taskManager().countActiveTasks():
        assert time.monotonic() < end, "tasks did not finish"
        QCoreApplication.processEvents()
        time.sleep(0.01)
    settle()


def sized(canvas):
    """A shown canvas of 800 x 600 pixels (a hidden one keeps its tiny default size)."""
    parent = canvas.parentWidget()
    parent.resize(800, 600)
    parent.show()
    canvas.resize(800, 600)
    canvas.show()
    settle()
    assert canvas.mapSettings().outputSize().width() > 700
    return canvas


@pytest.fixture
def setup(qgis_iface, qgis_canvas, qgis_new_project):
    sized(qgis_canvas)
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    qgis_canvas.setExtent(QgsRectangle(-10, 30, 30, 60))
    dock = NadirDock()
    runner = TaskRunner()
    notifier = RecordingNotifier()
    ctx = PluginContext(qgis_iface, dock, notifier, runner, settings=None)
    feature = AoiFeature(ctx)
    feature.init_gui()
    yield ctx, feature
    wait_tasks(runner)
    feature.unload()
    dock.deleteLater()
    QgsProject.instance().clear()


def pixel(canvas, x, y) -> QPoint:
    point = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(round(point.x()), round(point.y()))


def mouse(canvas, kind, x, y, button=Qt.MouseButton.LeftButton):
    return QgsMapMouseEvent(canvas, kind, pixel(canvas, x, y), button, button, Qt.KeyboardModifier.NoModifier)


def drag_rectangle(tool, canvas, x0, y0, x1, y1):
    tool.canvasPressEvent(mouse(canvas, QEvent.Type.MouseButtonPress, x0, y0))
    tool.canvasMoveEvent(mouse(canvas, QEvent.Type.MouseMove, (x0 + x1) / 2, (y0 + y1) / 2))
    assert tool.band is not None and tool.band.numberOfVertices() > 0
    tool.canvasMoveEvent(mouse(canvas, QEvent.Type.MouseMove, x1, y1))
    tool.canvasReleaseEvent(mouse(canvas, QEvent.Type.MouseButtonRelease, x1, y1))


def test_feature_registers_the_service_and_the_dock_section_and_unloads_clean(qgis_iface, qgis_new_project):
    dock = NadirDock()
    ctx = PluginContext(qgis_iface, dock, RecordingNotifier(), TaskRunner(), settings=None)
    feature = AoiFeature(ctx)
    feature.init_gui()
    assert ctx.services.get(AOIS) is feature.store and "aois" in dock.section_keys
    assert dock.tabs.tabText(dock.tabs.indexOf(feature.section)) == "Areas of interest"
    feature.unload()
    assert AOIS not in ctx.services and "aois" not in dock.section_keys
    dock.deleteLater()


def test_rectangle_tool_draws_an_aoi_in_the_dock_and_on_the_map(setup, qgis_canvas):
    ctx, feature = setup
    section = feature.section
    section.rectangle_action.trigger()
    assert qgis_canvas.mapTool() is feature.rectangle_tool and section.rectangle_action.isChecked()
    drag_rectangle(feature.rectangle_tool, qgis_canvas, 2, 44, 4, 46)
    store = ctx.services.get(AOIS)
    (aoi,) = store.aois()
    assert aoi.name == "Rectangle 1" and aoi.valid
    assert aoi.geometry.bounds == pytest.approx((2, 44, 4, 46), abs=0.1)
    assert aoi.area_km2 == pytest.approx(geodesic_area_km2(shapely.box(*aoi.geometry.bounds)), rel=1e-9)
    assert section.model.rowCount() == 1 and section.model.aoi_at(0).id == aoi.id
    assert "1 AOI," in section.total.text()
    layer = store.layer()
    assert layer is not None and layer.featureCount() == 1
    assert QgsProject.instance().layerTreeRoot().findLayer(layer.id()) is not None
    # a second one is numbered on
    drag_rectangle(feature.rectangle_tool, qgis_canvas, 10, 50, 12, 52)
    assert [a.name for a in store.aois()] == ["Rectangle 1", "Rectangle 2"]
    # a click without dragging draws nothing
    feature.rectangle_tool.canvasPressEvent(mouse(qgis_canvas, QEvent.Type.MouseButtonPress, 5, 40))
    feature.rectangle_tool.canvasReleaseEvent(mouse(qgis_canvas, QEvent.Type.MouseButtonRelease, 5, 40))
    assert len(store.aois()) == 2


def test_polygon_tool_right_click_finishes_esc_cancels_backspace_undoes(setup, qgis_canvas):
    ctx, feature = setup
    tool: PolygonTool = feature.polygon_tool
    qgis_canvas.setMapTool(tool)
    for x, y in [(0, 40), (5, 40), (7, 42), (5, 45)]:
        tool.canvasReleaseEvent(mouse(qgis_canvas, QEvent.Type.MouseButtonRelease, x, y))
    tool.keyPressEvent(QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier))
    assert len(tool.points) == 3
    tool.canvasReleaseEvent(mouse(qgis_canvas, QEvent.Type.MouseButtonRelease, 7, 42, Qt.MouseButton.RightButton))
    (aoi,) = ctx.services.get(AOIS).aois()
    assert aoi.name == "Polygon 1" and len(aoi.geometry.geoms[0].exterior.coords) == 4
    # Esc cancels a polygon in progress
    for x, y in [(10, 50), (12, 50)]:
        tool.canvasReleaseEvent(mouse(qgis_canvas, QEvent.Type.MouseButtonRelease, x, y))
    tool.keyPressEvent(QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))
    assert tool.points == [] and len(ctx.services.get(AOIS).aois()) == 1
    # double-click finishes
    for x, y in [(10, 50), (12, 50)]:
        tool.canvasReleaseEvent(mouse(qgis_canvas, QEvent.Type.MouseButtonRelease, x, y))
    tool.canvasDoubleClickEvent(mouse(qgis_canvas, QEvent.Type.MouseButtonDblClick, 11, 52))
    assert len(ctx.services.get(AOIS).aois()) == 2


def test_self_intersecting_drawn_polygon_is_kept_invalid_with_repair_preview(setup, qgis_canvas):
    ctx, feature = setup
    tool = feature.polygon_tool
    for x, y in [(0, 40), (4, 44), (4, 40), (0, 44)]:
        tool.canvasReleaseEvent(mouse(qgis_canvas, QEvent.Type.MouseButtonRelease, x, y))
    tool.finish()
    (aoi,) = ctx.services.get(AOIS).aois()
    assert not aoi.valid
    section = feature.section
    section.select([aoi.id])
    assert section.repair_button.isEnabled() and "crosses itself" in section.details.toPlainText()
    feature.presenter.preview_repair(aoi.id)
    presenter = feature.presenter
    assert presenter.preview is not None and len(presenter._bands) == 2
    assert section.preview_bar.isVisibleTo(section) and "Repaired: 2 polygons" in section.preview_text.text()
    section.accept_button.click()
    repaired = ctx.services.get(AOIS).get(aoi.id)
    assert repaired.valid and repaired.polygon_count == 2 and presenter.preview is None
    assert presenter._bands == []


def test_rectangle_across_the_antimeridian_on_a_pacific_canvas(setup, qgis_canvas):
    ctx, feature = setup
    pdc = QgsCoordinateReferenceSystem("EPSG:3832")  # PDC Mercator, centred on 150°E
    qgis_canvas.setDestinationCrs(pdc)
    to_pdc = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), pdc, QgsProject.instance())
    west = to_pdc.transform(QgsPointXY(170, -20))
    east = to_pdc.transform(QgsPointXY(-170, -10))
    assert east.x() > west.x()  # on this map the box is drawn left to right
    qgis_canvas.setExtent(QgsRectangle(west.x() - 2e6, west.y() - 2e6, east.x() + 2e6, east.y() + 2e6))
    drag_rectangle(feature.rectangle_tool, qgis_canvas, west.x(), west.y(), east.x(), east.y())
    (aoi,) = ctx.services.get(AOIS).aois()
    assert aoi.valid and aoi.polygon_count == 2
    minx, _, maxx, _ = aoi.geometry.bounds
    assert (minx, maxx) == (-180, 180)
    widths = sorted(p.bounds[2] - p.bounds[0] for p in aoi.geometry.geoms)
    assert widths == pytest.approx([10, 10], abs=0.2)
    expected = geodesic_area_km2(shapely.box(0, aoi.geometry.bounds[1], 20, aoi.geometry.bounds[3]))
    assert aoi.area_km2 == pytest.approx(expected, rel=0.01)


def test_import_dialog_lists_gpkg_layers_and_previews_paste(qgis_new_project):
    dialog = ImportDialog()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.show_file(DATA / "layers.gpkg")
    assert dialog.layerCombo.count() == 3 and dialog.layerCombo.isEnabled()
    assert not dialog.layerCombo.model().item(2).isEnabled()  # the point layer
    dialog.layerCombo.setCurrentIndex(1)
    dialog.dissolveCheck.setChecked(True)
    request = dialog.request()
    assert request.path == DATA / "layers.gpkg" and request.sublayer_uri.endswith("layername=vineyards_utm")
    assert request.dissolve and ok.isEnabled()
    dialog.show_file(DATA / "empty.zip")
    assert not ok.isEnabled() and "0 bytes" in dialog.fileInfo.text()
    dialog.show_paste(read("bowtie.wkt"))
    assert ok.isEnabled() and "1 AOI" in dialog.pasteInfo.text() and "crosses itself" in dialog.pasteInfo.text()
    dialog.show_paste("POLYGON((0 0, 1 0")
    assert "cannot be read" in dialog.pasteInfo.text()
    assert dialog.request().text == "POLYGON((0 0, 1 0"
    dialog.deleteLater()


def test_presenter_imports_files_in_tasks_and_reports_refusals(setup):
    ctx, feature = setup
    presenter, notifier = feature.presenter, ctx.notifier
    presenter.import_request(ImportRequest(path=DATA / "fields.kml"))
    presenter.import_request(
        ImportRequest(path=DATA / "layers.gpkg", sublayer_uri=f"{DATA / 'layers.gpkg'}|layername=fields")
    )
    presenter.import_request(ImportRequest(path=DATA / "points_lines.geojson"))
    presenter.import_request(ImportRequest(path=DATA / "garbage.geojson"))
    assert feature.section.busy.isVisibleTo(feature.section)
    wait_tasks(ctx.runner)
    names = sorted(a.name for a in ctx.services.get(AOIS).aois())
    assert names == ["GPKG field", "KML field", "KML vineyard", "the field"]
    assert not feature.section.busy.isVisibleTo(feature.section)
    warnings = [m for m in notifier.messages if m[0] == "warning"]
    assert warnings and "2 features refused" in warnings[0][1] and "holds points" in warnings[0][2]
    errors = [m for m in notifier.messages if m[0] == "error"]
    assert errors and "not text" in errors[0][1]


def test_paste_with_a_name_and_dissolve(setup):
    ctx, feature = setup
    feature.presenter.import_request(ImportRequest(text=read("several.txt"), name="Both", dissolve=True))
    (aoi,) = ctx.services.get(AOIS).aois()
    assert aoi.name == "Both" and aoi.polygon_count == 2


def test_dropped_files_import_or_ask_for_a_layer(setup, tmp_path):
    ctx, feature = setup
    asked = []
    feature.presenter.files_dropped([DATA / "field.wkt", DATA / "layers.gpkg", DATA / "empty.zip"], asked.append)
    wait_tasks(ctx.runner)
    assert [a.name for a in ctx.services.get(AOIS).aois()] == ["field"]
    assert asked == [DATA / "layers.gpkg"]
    assert any("0 bytes" in m[1] for m in ctx.notifier.messages)
    # the dock's own drop signal reaches the feature
    copy = tmp_path / "dropped.geojson"
    shutil.copy(DATA / "feature.json", copy)
    ctx.dock.files_dropped.emit([copy])
    wait_tasks(ctx.runner)
    assert "Vineyard (Feature)" in [a.name for a in ctx.services.get(AOIS).aois()]


def test_from_layer_selected_features_in_another_crs(setup):
    ctx, feature = setup
    layer = QgsVectorLayer("Polygon?crs=EPSG:3857&field=label:string", "parcels", "memory")
    features = []
    for i, (x, y) in enumerate([(0, 0), (20000, 0), (40000, 0)]):
        f = QgsFeature(layer.fields())
        f.setAttributes([f"parcel {i}"])
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, y + 5e6, x + 10000, y + 5e6 + 10000)))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    layer.selectByIds([f.id() for f in layer.getFeatures() if f["label"] != "parcel 1"])
    dialog = LayerDialog(layer=layer)
    assert dialog.selectedOnly.isChecked() and "2 selected" in dialog.selectedOnly.text()
    request = dialog.request()
    assert request.selected_only and request.layer_id == layer.id()
    dialog.deleteLater()
    feature.presenter.import_layer(request)
    wait_tasks(ctx.runner)
    aois = ctx.services.get(AOIS).aois()
    assert sorted(a.name for a in aois) == ["parcel 0", "parcel 2"]
    # 10 km x 10 km in Web Mercator at y = 5000 km (~41°N) is about 57 km² on the ground
    assert all(55 < a.area_km2 < 60 for a in aois)
    feature.presenter.import_layer(LayerRequest(layer.id(), False, "label", True, "All parcels"))
    wait_tasks(ctx.runner)
    dissolved = ctx.services.get(AOIS).aois()[-1]
    assert dissolved.name == "All parcels" and dissolved.polygon_count == 3


def test_up42_simplify_preview_then_accept(setup):
    ctx, feature = setup
    store = ctx.services.get(AOIS)
    store.add(build_aois(read_text(read("up42_too_many_vertices.geojson")), "f", "c").aois)
    aoi = store.aois()[0]
    section = feature.section
    section.select([aoi.id])
    assert section.simplify_button.isEnabled() and "999" in section.simplify_button.toolTip()
    assert "UP42" in section.details.toPlainText() and "1,201" in section.details.toPlainText()
    section.simplify_button.click()
    assert "Simplified from 1,201 to" in section.preview_text.text()
    section.discard_button.click()
    assert store.get(aoi.id).vertex_count == 1201 and not section.preview_bar.isVisibleTo(section)
    section.simplify_button.click()
    section.accept_button.click()
    assert store.get(aoi.id).vertex_count <= 999


def test_list_rename_choose_delete_split(setup, monkeypatch):
    ctx, feature = setup
    store = ctx.services.get(AOIS)
    store.add(build_aois(read_text(read("chukotka_continued.wkt")), "f", "Chukotka").aois)
    store.add(build_aois(read_text(read("field.wkt")), "f", "Field").aois)
    model = feature.section.model
    changes = []
    store.changed.connect(lambda: changes.append(1))
    assert model.setData(model.index(1, 1), "My field", Qt.ItemDataRole.EditRole)
    assert [a.name for a in store.aois()] == ["Chukotka", "My field"] and changes
    model.setData(model.index(0, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert [a.name for a in store.chosen()] == ["My field"]
    assert "for order: 1" in feature.section.total.text()
    chukotka = store.aois()[0]
    feature.section.select([chukotka.id])
    assert feature.section.split_button.isEnabled()
    feature.section.split_button.click()
    assert len(store.aois()) == 3 and len(store.chosen()) == 1  # the split parts keep "not chosen"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    feature.section.select([a.id for a in store.aois() if a.name != "My field"])
    feature.section.delete_button.click()
    assert [a.name for a in store.aois()] == ["My field"]


def test_a_million_vertex_import_runs_in_a_task_without_freezing(setup, tmp_path):
    ctx, feature = setup
    path = big_polygon_geojson(tmp_path / "million.geojson")
    started = time.perf_counter()
    feature.presenter.import_file(path)
    returned = time.perf_counter() - started
    assert returned < 0.5 and ctx.runner.running  # the GUI thread went on at once
    stalls = []
    last = time.perf_counter()
    while ctx.runner.running:
        QCoreApplication.processEvents()
        now = time.perf_counter()
        stalls.append(now - last)
        last = now
        time.sleep(0.005)
    settle()
    (aoi,) = ctx.services.get(AOIS).aois()
    assert aoi.vertex_count == 1_000_000 and aoi.valid
    # The event loop kept turning while the task read and checked the file; the last
    # turn ran finished() on the GUI thread, which writes the AOI to the layer.
    assert max(stalls[:-1]) < 0.5, max(stalls[:-1])


def test_map_tools_are_usable_alone(qgis_canvas):
    """A tool emits its shape in canvas CRS; nothing else needed."""
    sized(qgis_canvas)
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    qgis_canvas.setExtent(QgsRectangle(0, 0, 10, 10))
    tool = RectangleTool(qgis_canvas)
    shapes = []
    tool.finished.connect(shapes.append)
    drag_rectangle(tool, qgis_canvas, 1, 1, 3, 4)
    assert len(shapes) == 1 and shapes[0].boundingBox().width() == pytest.approx(2, abs=0.1)
    tool.remove_band()


def test_shapes_drawn_on_a_projected_map_follow_the_drawn_edges(setup, qgis_canvas):
    """Edges are densified before reprojection; where they are straight in lon/lat anyway
    (a rectangle on Web Mercator) the extra vertices are dropped again."""
    ctx, feature = setup
    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    qgis_canvas.setDestinationCrs(mercator)
    to_map = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator, QgsProject.instance())
    qgis_canvas.setExtent(to_map.transformBoundingBox(QgsRectangle(-10, 30, 30, 60)))
    a, b = to_map.transform(QgsPointXY(0, 40)), to_map.transform(QgsPointXY(20, 55))
    drag_rectangle(feature.rectangle_tool, qgis_canvas, a.x(), a.y(), b.x(), b.y())
    (rectangle,) = ctx.services.get(AOIS).aois()
    assert rectangle.vertex_count == 5
    # a diagonal edge on Mercator is a curve in lon/lat: it keeps intermediate vertices
    tool = feature.polygon_tool
    for lon, lat in [(0, 35), (20, 35), (0, 58)]:
        point = to_map.transform(QgsPointXY(lon, lat))
        tool.canvasReleaseEvent(mouse(qgis_canvas, QEvent.Type.MouseButtonRelease, point.x(), point.y()))
    tool.finish()
    triangle = ctx.services.get(AOIS).aois()[1]
    assert triangle.valid and triangle.vertex_count > 10


def test_the_accounts_composite_limit_shows_in_the_aoi_checks(setup):
    """Once the ordering feature has read ClearSKY's MaxCompositeAreaKm2, an AOI over it is
    flagged where AOIs are checked, before anything is configured or paid."""
    ctx, feature = setup
    store = ctx.services.get(AOIS)
    feature.presenter.import_request(
        ImportRequest(text="POLYGON((8.5 55.6, 10.6 55.6, 10.6 56.8, 8.5 56.8, 8.5 55.6))", name="Jutland")
    )
    wait_tasks(ctx.runner)
    (aoi,) = store.aois()
    feature.section.select([aoi.id])
    assert "10,000" not in feature.section.details.toPlainText()
    store.set_max_area("clearsky", 10_000.0)
    feature.section.select([aoi.id])
    text = feature.section.details.toPlainText()
    assert "ClearSKY Vision delivers areas up to 10,000.0 km² for your account" in text, text
    assert "could be ordered and billed, but not loaded" in text
    from nadir.core.aoi.model import Code

    assert any(p.code == Code.TOO_LARGE for p in store.check(aoi, "clearsky"))
