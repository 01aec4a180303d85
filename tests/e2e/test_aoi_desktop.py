"""AOIs in a real QGIS desktop: draw a rectangle with the map tool, import a file through
the dialog, drop a zipped shapefile on the dock, see them in the dock and on the map, and
find them again after saving and reopening the project."""

from __future__ import annotations

from pathlib import Path

from support.aoi_data import DATA, WORLD_MAP

SCRIPT = r"""
from nadir.ui.services import AOIS
from pathlib import Path
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY,
                       QgsProject, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from qgis.PyQt.QtGui import QDropEvent, QMouseEvent
from qgis.PyQt.QtWidgets import QAction, QApplication, QDialog, QDialogButtonBox, QDockWidget
from qgis.utils import iface, plugins

DATA = Path(DATA_DIR)
e2e.wait_for(lambda: "nadir" in plugins, "Nadir loaded by QGIS")
e2e.wait_for(lambda: iface.mainWindow().isVisible(), "main window")
iface.mainWindow().resize(1500, 950)

project = QgsProject.instance()
mercator = QgsCoordinateReferenceSystem("EPSG:3857")
world = QgsVectorLayer(f"{WORLD}|layername=countries", "countries", "ogr")
project.addMapLayer(world)  # the first layer sets the project CRS: set ours after it
e2e.process_events(0.5)
project.setCrs(mercator)
canvas = iface.mapCanvas()
e2e.wait_for(lambda: canvas.mapSettings().destinationCrs().authid() == "EPSG:3857", "map in Web Mercator")
to_map = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator, project)
canvas.setExtent(to_map.transformBoundingBox(QgsRectangle(-2, 41, 10, 49)))
canvas.refresh()
e2e.process_events(1.0)

toggle = [a for a in iface.mainWindow().findChildren(QAction) if a.objectName() == "NadirToggleDock"][0]
toggle.trigger()
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features (built in steps once the dock opens)")
dock = e2e.wait_for(lambda: next((d for d in iface.mainWindow().findChildren(QDockWidget)
                                  if d.objectName() == "NadirDock" and d.isVisible()), None), "dock")
dock.show_section("aois")
section = dock.section("aois")
store = plugins["nadir"].features[0].ctx.services.get(AOIS)
e2e.process_events(0.5)

# 1. draw a rectangle with the map tool: real mouse events on the canvas viewport
section.rectangle_action.trigger()
e2e.wait_for(lambda: canvas.mapTool() is not None and canvas.mapTool().objectName() == "NadirAoiRectangleTool",
             "rectangle tool active")

def pixel(lon, lat):
    point = canvas.getCoordinateTransform().transform(to_map.transform(QgsPointXY(lon, lat)))
    return QPoint(round(point.x()), round(point.y()))

def send(kind, point, buttons):
    button = Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, QPointF(point), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas.viewport(), event)

start, middle, end = pixel(2.0, 45.0), pixel(3.0, 45.5), pixel(4.0, 46.0)
send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
send(QEvent.Type.MouseMove, middle, Qt.MouseButton.LeftButton)
send(QEvent.Type.MouseMove, end, Qt.MouseButton.LeftButton)
e2e.screenshot("drawing")
send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
e2e.wait_for(lambda: len(store.aois()) == 1, "the drawn rectangle in the store")

# 2. import a file through the dialog (modal: driven from a timer while it runs)
def fill_dialog():
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "NadirAoiImportDialog"
                  and w.isVisible())
    dialog.show_file(DATA / "fields.kml")
    e2e.record(dialog_info=dialog.fileInfo.text())
    e2e.screenshot("import-dialog", dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

QTimer.singleShot(800, fill_dialog)
section.file_action.trigger()
e2e.wait_for(lambda: len(store.aois()) == 3, "the two KML AOIs imported", timeout=60)

# 3. drop a zipped shapefile (in UTM) on the dock
mime = QMimeData()
mime.setUrls([QUrl.fromLocalFile(str(DATA / "utm_fields_shp.zip"))])
drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                  Qt.KeyboardModifier.NoModifier)
# Qt delivers a Drop only during a real drag (a QDrag under a window manager); the
# dock's handler is called with the event a drop would bring.
dock.dropEvent(drop)
e2e.record(drop_accepted=drop.isAccepted())
e2e.wait_for(lambda: len(store.aois()) == 5, "the dropped shapefile imported", timeout=60)

layer = store.layer()
e2e.record(
    names=[a.name for a in store.aois()],
    areas=[round(a.area_km2, 4) for a in store.aois()],
    rectangle_bounds=list(store.aois()[0].geometry.bounds),
    all_valid=all(a.valid for a in store.aois()),
    table_rows=section.model.rowCount(),
    total=section.total.text(),
    layer_features=layer.featureCount(),
    layer_on_canvas=layer.id() in [l.id() for l in canvas.layers()],
)

# show everything: select the rectangle so its checks show in the details
section.select([store.aois()[0].id])
canvas.setExtent(to_map.transformBoundingBox(QgsRectangle(0.5, 42.5, 6.5, 47.5)))
canvas.refresh()
e2e.wait_for(lambda: not canvas.isDrawing(), "canvas drawn", timeout=30)
e2e.process_events(1.5)
e2e.record(details=section.details.toPlainText())
e2e.screenshot("aois-dock-and-map")

# 4. save, clear, reopen: the AOIs come back from the attached GeoPackage
path = Path(OUT_DIR) / "aois.qgz"
before = sorted((a.id, a.name, round(a.area_km2, 6)) for a in store.aois())
assert project.write(str(path))
project.clear()
e2e.process_events(0.5)
e2e.record(after_clear=len(store.aois()))
assert project.read(str(path))
e2e.wait_for(lambda: len(store.aois()) == 5, "AOIs back after reopening", timeout=30)
e2e.record(reopened_same=sorted((a.id, a.name, round(a.area_km2, 6)) for a in store.aois()) == before)
"""


def test_draw_import_drop_and_reopen_aois(desktop, tmp_path):
    script = (
        SCRIPT.replace("DATA_DIR", repr(str(DATA)))
        .replace("WORLD", repr(str(WORLD_MAP)))
        .replace("OUT_DIR", repr(str(tmp_path)))
    )
    run = desktop.run(script, "aoi", timeout=300)
    names = run["names"]
    assert names == ["Rectangle 1", "KML field", "KML vineyard", "UTM field", "UTM vineyard"], names
    assert run["all_valid"] and run["table_rows"] == 5 and run["layer_features"] == 5 and run["layer_on_canvas"]
    west, south, east, north = run["rectangle_bounds"]
    assert abs(west - 2) < 0.05 and abs(east - 4) < 0.05 and abs(south - 45) < 0.05 and abs(north - 46) < 0.05
    rectangle_area = run["areas"][0]
    assert 17_000 < rectangle_area < 18_000  # 2° x 1° at 45.5°N
    assert run["areas"][3] < run["areas"][1]  # the UTM field has its pond cut out
    assert "5 AOIs" in run["total"] and "UP42" in run["details"] and "accepted" in run["details"]
    assert "Layer" in run["dialog_info"] and run["drop_accepted"] is True
    assert run["after_clear"] == 0 and run["reopened_same"] is True
    shots = [Path(p) for p in run["screenshots"]]
    assert [p.name for p in shots] == ["aoi-drawing.png", "aoi-import-dialog.png", "aoi-aois-dock-and-map.png"]
    assert all(p.exists() and p.stat().st_size > 10_000 for p in shots)
