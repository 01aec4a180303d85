"""Nadir as a citizen of QGIS (issue 17): its layers in one group, the layer context
menu, files dropped on the map, snapping while drawing, shortcuts, shipped styles."""

from __future__ import annotations

import json

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsRectangle, QgsVectorLayer

from nadir.plugin import NadirPlugin
from nadir.toolbelt.aoi.layer import AoiLayer
from nadir.toolbelt.compat import VECTOR_LAYER
from nadir.toolbelt.deliveries.layers import order_group
from nadir.toolbelt.layer_tree import GROUP_PROPERTY, find_nadir_group
from nadir.ui.grid.layer import GridLayer
from nadir.ui.integration.feature import AOI, LAYER, IntegrationFeature
from nadir.ui.orders.overlay import ExistingOrdersOverlay
from nadir.ui.services import AOIS
from support.orders_data import order, square
from support.qgis_wait import wait_until


@pytest.fixture
def project(qgis_app):
    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()


@pytest.fixture
def plugin(qgis_iface, clean_settings, project, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    yield plugin
    plugin.unload()


def integration(plugin) -> IntegrationFeature:
    (feature,) = [f for f in plugin.features if isinstance(f, IntegrationFeature)]
    return feature


def polygons(name="fields", count=2) -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=name:string", name, "memory")
    features = []
    for i in range(count):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(10 + i, 50, 10.5 + i, 50.5)))
        feature.setAttributes([f"field {i}"])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


# -- one group ---------------------------------------------------------------------------
def test_every_nadir_layer_goes_into_one_nadir_group(project, tmp_path):
    project.setFileName(str(tmp_path / "p.qgz"))
    user = polygons("user layer")
    project.addMapLayer(user)
    aoi_layer = AoiLayer(project).ensure()
    grid_layer = GridLayer(project).ensure(50_000)
    overlay = ExistingOrdersOverlay(project)
    overlay.set_orders([order("o1", aoi=square(10, 50))])
    overlay.set_visible(True)
    delivery = order_group(project, "clearsky", "o1")

    group = find_nadir_group(project)
    assert group is not None and group.name() == "Nadir" and group.customProperty(GROUP_PROPERTY)
    inside = {node.layerId() for node in group.findLayers()}
    assert {aoi_layer.id(), grid_layer.id(), overlay.layer().id()} <= inside
    assert delivery.parent() is group
    assert user.id() not in inside  # the user's own layers stay where they are
    assert len([g for g in project.layerTreeRoot().findGroups(True) if g.customProperty(GROUP_PROPERTY)]) == 1
    overlay.unload()


def test_the_grid_layer_does_not_trigger_the_scratch_layer_warning(project):
    layer = GridLayer(project).ensure(50_000)
    assert layer.providerType() == "memory"
    # what QgisApp::checkMemoryLayers skips on close (3.22 and later)
    assert int(layer.customProperty("skipMemoryLayersCheck", 0)) == 1


# -- layer context menu ------------------------------------------------------------------
def test_use_as_area_of_interest_on_a_polygon_layer_imports_its_selection(plugin, qgis_iface, project):
    feature = integration(plugin)
    action = feature.layer_action
    qgis_iface.addCustomActionForLayerType.assert_called_with(action, "", VECTOR_LAYER, False)
    fields = polygons()
    points = QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory")
    project.addMapLayers([fields, points])
    registered = [c.args[1] for c in qgis_iface.addCustomActionForLayer.call_args_list if c.args[0] is action]
    assert fields in registered and points not in registered  # polygon layers only

    fields.selectByIds([sorted(fields.allFeatureIds())[1]])
    qgis_iface.setActiveLayer(fields)
    assert not plugin.active
    action.trigger()
    assert plugin.active  # the AOI feature woke up
    store = plugin.ctx.services.get(AOIS)
    wait_until(lambda: len(store.aois()) == 1, what="the selected feature imported as an AOI")
    (aoi,) = store.aois()
    assert aoi.name == "field 1"
    assert plugin.dock.tabs.currentWidget() is plugin.dock.section("aois")

    fields.removeSelection()
    action.trigger()
    wait_until(lambda: len(store.aois()) == 3, what="the whole layer imported")

    plugin.unload()
    qgis_iface.removeCustomActionForLayerType.assert_called_with(action)
    plugin.initGui()  # the fixture unloads again


# -- drops on the map ----------------------------------------------------------------------
def test_a_file_dropped_on_the_map_asks_then_becomes_aois_or_a_layer(plugin, qgis_iface, tmp_path):
    feature = integration(plugin)
    handler = feature.drop_handler
    qgis_iface.registerCustomDropHandler.assert_called_with(handler)
    path = tmp_path / "field.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"name": "dropped"},
                "geometry": {"type": "Polygon", "coordinates": [[[5, 45], [5.1, 45], [5.1, 45.1], [5, 45.1], [5, 45]]]},
            }
        )
    )
    asked = []

    feature.ask = lambda p: asked.append(p) or LAYER
    assert handler.handleFileDrop(str(path)) is False  # QGIS adds it as a layer, as usual
    assert not plugin.active

    feature.ask = lambda p: asked.append(p) or AOI
    assert handler.handleFileDrop(str(path)) is True
    store = plugin.ctx.services.get(AOIS)
    wait_until(lambda: [a.name for a in store.aois()] == ["dropped"], what="the dropped file imported as an AOI")
    assert asked == [path, path]

    feature.ask = lambda p: asked.append(p) or AOI
    (tmp_path / "image.tif").write_bytes(b"II*\x00")
    assert handler.handleFileDrop(str(tmp_path / "image.tif")) is False  # not a vector file: not asked
    assert len(asked) == 2

    plugin.unload()
    qgis_iface.unregisterCustomDropHandler.assert_called_with(handler)
    plugin.initGui()


# -- snapping while drawing AOIs ---------------------------------------------------------
def _snapping_canvas(canvas, layer, enabled):
    from qgis.core import QgsCoordinateReferenceSystem, QgsSnappingConfig, QgsTolerance
    from qgis.PyQt.QtWidgets import QApplication

    parent = canvas.parentWidget()  # a shown canvas of 800 x 600 px (a hidden one stays tiny)
    parent.resize(800, 600)
    parent.show()
    canvas.resize(800, 600)
    canvas.show()
    QApplication.processEvents()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    canvas.setLayers([layer])
    canvas.setExtent(QgsRectangle(9, 49, 13, 52))
    config = QgsSnappingConfig()
    config.setEnabled(enabled)
    config.setMode(QgsSnappingConfig.SnappingMode.AllLayers)
    from qgis.core import Qgis

    vertex = getattr(getattr(Qgis, "SnappingType", None), "Vertex", None)  # 3.26+; 3.22: QgsSnappingConfig's
    config.setTypeFlag(vertex if vertex is not None else QgsSnappingConfig.VertexFlag)
    config.setTolerance(15)
    config.setUnits(QgsTolerance.UnitType.Pixels)
    canvas.snappingUtils().setConfig(config)


@pytest.mark.parametrize("enabled", [True, False])
def test_aoi_drawing_snaps_to_the_project_snapping_targets(qgis_canvas, project, enabled):
    from qgis.core import QgsPointXY
    from qgis.PyQt.QtCore import QEvent, QPoint

    from nadir.ui.aoi.map_tools import PolygonTool, RectangleTool

    layer = polygons()
    project.addMapLayer(layer)
    _snapping_canvas(qgis_canvas, layer, enabled)
    corner = QgsPointXY(10.0, 50.0)  # a vertex of the first field
    near = qgis_canvas.getCoordinateTransform().transform(corner)
    pixel = QPoint(round(near.x()) + 4, round(near.y()) - 3)  # 5 px off

    def event(kind, at=pixel):
        from qgis.gui import QgsMapMouseEvent
        from qgis.PyQt.QtCore import Qt

        button = Qt.MouseButton.LeftButton
        return QgsMapMouseEvent(qgis_canvas, kind, at, button, button, Qt.KeyboardModifier.NoModifier)

    tool = PolygonTool(qgis_canvas)
    qgis_canvas.setMapTool(tool)
    tool.canvasMoveEvent(event(QEvent.Type.MouseMove))
    assert tool.snap_indicator.match().isValid() is enabled
    tool.canvasReleaseEvent(event(QEvent.Type.MouseButtonRelease))
    first = tool.points[0]
    if enabled:
        assert (first.x(), first.y()) == (10.0, 50.0)
    else:
        assert first != corner and first.distance(corner) < 0.05

    rectangle = RectangleTool(qgis_canvas)
    drawn = []
    rectangle.finished.connect(drawn.append)
    rectangle.canvasPressEvent(event(QEvent.Type.MouseButtonPress))
    far = qgis_canvas.getCoordinateTransform().transform(QgsPointXY(11.7, 51.3))
    rectangle.canvasReleaseEvent(event(QEvent.Type.MouseButtonRelease, QPoint(round(far.x()), round(far.y()))))
    box = drawn[0].boundingBox()
    assert ((box.xMinimum(), box.yMinimum()) == (10.0, 50.0)) is enabled
    qgis_canvas.unsetMapTool(tool)
    for each in (tool, rectangle):
        each.remove_band()
        each.deleteLater()


# -- shortcuts -----------------------------------------------------------------------------
def test_shortcuts_are_registered_with_qgis_and_can_be_changed(plugin):
    from qgis.gui import QgsGui
    from qgis.PyQt.QtGui import QKeySequence

    manager = QgsGui.shortcutsManager()
    toggle = plugin.action
    assert toggle in manager.listActions()
    assert manager.defaultKeySequence(toggle) == "Ctrl+Alt+N"
    assert toggle.shortcut() == QKeySequence("Ctrl+Alt+N")
    plugin.activate()
    draw = plugin.dock.section("aois").polygon_action
    assert draw in manager.listActions() and draw.objectName() == "NadirAoiDrawPolygon"  # the settings key
    assert manager.setKeySequence(draw, "Ctrl+Alt+P")  # what Settings > Keyboard Shortcuts does
    assert draw.shortcut() == QKeySequence("Ctrl+Alt+P")
    manager.setKeySequence(draw, "")

    plugin.unload()
    assert toggle not in manager.listActions() and draw not in manager.listActions()
    plugin.initGui()


# -- styles as QML files -----------------------------------------------------------------------
def test_nadir_layers_load_the_shipped_qml_styles(project, tmp_path, monkeypatch):
    from nadir.toolbelt import styles

    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    for name in (styles.AOI, styles.GRID, styles.ORDERS):
        assert (styles.SHIPPED / f"{name}.qml").is_file(), name
        assert styles.style_path(name) == styles.SHIPPED / f"{name}.qml"
    project.setFileName(str(tmp_path / "p.qgz"))
    aoi = AoiLayer(project).ensure()
    grid = GridLayer(project).ensure(50_000)
    overlay = ExistingOrdersOverlay(project)
    overlay.set_orders([order("o1", aoi=square(10, 50))])
    overlay.set_visible(True)
    assert [r.label() for r in aoi.renderer().rootRule().children()] == [
        "Invalid",
        "Chosen for the order",
        "Not chosen",
    ]
    assert aoi.labelsEnabled()
    assert {c.value() for c in grid.renderer().categories()} >= {"selected-tile", "unselected-minitile"}
    assert overlay.layer().renderer().classAttribute() == "lifecycle"
    overlay.unload()


def test_a_users_own_qml_wins_and_known_legend_labels_follow_the_code(project, tmp_path, monkeypatch):
    from nadir.toolbelt import styles

    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    shipped = (styles.SHIPPED / "grid.qml").read_text(encoding="utf-8")
    assert "217,95,2,255" in shipped and 'label="Selected (tiles)"' in shipped
    mine = shipped.replace("217,95,2,255", "12,34,56,255").replace('label="Selected (tiles)"', 'label="stale"')
    styles.user_styles().mkdir(parents=True)
    (styles.user_styles() / "grid.qml").write_text(mine, encoding="utf-8")
    assert styles.style_path(styles.GRID) == styles.user_styles() / "grid.qml"

    layer = GridLayer(project).ensure(50_000)
    categories = {c.value(): c for c in layer.renderer().categories()}
    selected = categories["selected-tile"]
    assert selected.symbol().symbolLayer(0).strokeColor().name() == "#0c2238"  # the user's colour
    assert selected.label() == "Selected (tiles)"  # the code's (translated) label


def test_a_broken_qml_falls_back_to_the_code_style(project, tmp_path, monkeypatch):
    from nadir.toolbelt import styles

    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    styles.user_styles().mkdir(parents=True)
    (styles.user_styles() / "grid.qml").write_text("<qgis><broken", encoding="utf-8")
    layer = GridLayer(project).ensure(50_000)
    assert len(layer.renderer().categories()) == 8
