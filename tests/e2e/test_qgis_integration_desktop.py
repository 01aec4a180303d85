"""Nadir inside QGIS's own interface, in a real QGIS desktop (issue 17): "Use as area of
interest" in a polygon layer's context menu, a file dropped on the main window that
becomes AOIs, Nadir's layers in one "Nadir" group."""

from __future__ import annotations

import json

SCRIPT = r"""
from nadir.ui.services import AOIS
from pathlib import Path
from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QMimeData, QPoint, Qt, QUrl
from qgis.PyQt.QtGui import QDragEnterEvent, QDropEvent
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface, plugins

e2e.wait_for(lambda: "nadir" in plugins, "Nadir loaded by QGIS")
e2e.wait_for(lambda: iface.mainWindow().isVisible(), "main window")
plugin = plugins["nadir"]
integration = next(f for f in plugin.features if type(f).__name__ == "IntegrationFeature")

project = QgsProject.instance()
project.setFileName(str(Path(OUT_DIR) / "integration.qgz"))
fields = QgsVectorLayer("Polygon?crs=EPSG:4326&field=name:string", "fields", "memory")
features = []
for i in range(2):
    feature = QgsFeature(fields.fields())
    feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(10 + i, 50, 10.5 + i, 50.5)))
    feature.setAttributes([f"field {i}"])
    features.append(feature)
fields.dataProvider().addFeatures(features)
points = QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory")
project.addMapLayers([fields, points])
e2e.process_events(0.5)

def menu_texts(layer):
    view = iface.layerTreeView()
    view.setCurrentLayer(layer)
    iface.setActiveLayer(layer)
    menu = view.menuProvider().createContextMenu()
    texts = [a.text() for a in menu.actions()]
    return menu, texts

menu, texts = menu_texts(points)
e2e.record(points_menu="Use as area of interest" in texts)
menu.deleteLater()
menu, texts = menu_texts(fields)
e2e.record(fields_menu="Use as area of interest" in texts, active_before=plugin.active)
fields.selectByIds([sorted(fields.allFeatureIds())[1]])
next(a for a in menu.actions() if a.text() == "Use as area of interest").trigger()
store = e2e.wait_for(lambda: plugin.ctx.services.get(AOIS), "the AOI feature woke up")
e2e.wait_for(lambda: len(store.aois()) == 1, "the selected feature imported", timeout=60)
e2e.record(after_menu=[a.name for a in store.aois()])

# a GeoJSON dropped on the main window: QGIS asks Nadir's drop handler first
asked = []
integration.ask = lambda path: asked.append(path.name) or "aoi"  # the user answers "Use as area of interest"
mime = QMimeData()
mime.setUrls([QUrl.fromLocalFile(DROPPED)])
# Qt routes a Drop only to the widget that accepted the DragEnter, as in a real drag
for kind in (QDragEnterEvent, QDropEvent):
    event = kind(QPoint(600, 400), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                 Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(iface.mainWindow(), event)
e2e.wait_for(lambda: len(store.aois()) == 2, "the dropped file imported as an AOI", timeout=60)
e2e.process_events(0.5)
e2e.record(after_drop=[a.name for a in store.aois()], asked=asked,
           dropped_layers=[l.name() for l in project.mapLayers().values() if l.name().startswith("dropped")])

root = project.layerTreeRoot()
group = next(g for g in root.findGroups(True) if g.customProperty("nadir/group"))
e2e.record(group=group.name(), group_layers=[n.name() for n in group.findLayers()],
           root_groups=[g.name() for g in root.children() if g.nodeType() == 0])
e2e.screenshot("integration-layer-tree")
"""


def test_layer_menu_drop_and_group_in_a_real_qgis(desktop, tmp_path):
    dropped = tmp_path / "dropped.geojson"
    dropped.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"name": "dropped field"},
                "geometry": {"type": "Polygon", "coordinates": [[[5, 45], [5.1, 45], [5.1, 45.1], [5, 45.1], [5, 45]]]},
            }
        )
    )
    script = SCRIPT.replace("OUT_DIR", repr(str(tmp_path))).replace("DROPPED", repr(str(dropped)))
    run = desktop.run(script, "integration", timeout=240)
    assert run["points_menu"] is False and run["fields_menu"] is True, run.log[-3000:]
    assert run["active_before"] is False
    assert run["after_menu"] == ["field 1"]
    assert run["after_drop"] == ["field 1", "dropped field"] and run["asked"] == ["dropped.geojson"]
    assert run["dropped_layers"] == []  # used as AOIs, not also added as a layer
    assert run["group"] == "Nadir" and run["group_layers"] == ["Areas of interest"]
    assert run["root_groups"] == ["Nadir"]
