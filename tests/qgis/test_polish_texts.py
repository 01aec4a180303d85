"""Small things a new user met (issue 16 item 8): "From a layer…" starts on a sensible
layer with its name field, counts read "1 feature" / "4,556 features" in the user's
locale, areas have one rule for decimals everywhere."""

from __future__ import annotations

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QLocale


@pytest.fixture
def english_locale():
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


def polygons(name: str, count: int, fields: str = "field=name:string") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"Polygon?crs=EPSG:4326&{fields}", name, "memory")
    features = []
    for i in range(count):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([f"{name} {i}" if layer.fields().indexOf("name") == 0 else i])
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(i, 0, i + 0.5, 0.5)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_counts_and_areas_in_the_users_locale(qgis_app, english_locale):
    from nadir.toolbelt.i18n import area, number, trn

    assert trn("%n feature(s)", 1) == "1 feature"
    assert trn("%n feature(s)", 4556) == "4,556 features"
    assert trn("%n (vertex|vertices)", 1) == "1 vertex" and trn("%n (vertex|vertices)", 0) == "0 vertices"
    assert number(1234567) == "1,234,567" and number(0.4567, 2) == "0.46"
    assert [area(x) for x in (0.004, 4.254, 12.34, 123456.7)] == ["4,000 m²", "4.25 km²", "12.3 km²", "123,457 km²"]
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert trn("%n feature(s)", 4556) == "4.556 features" and area(4.254) == "4,25 km²"
    QLocale.setDefault(QLocale.c())  # LANG=C: grouped all the same
    assert number(1500000) == "1,500,000"


def test_from_a_layer_starts_on_a_sensible_layer_with_its_name_field(qgis_app, english_locale):
    from nadir.ui.aoi.layer_dialog import LayerDialog

    project = QgsProject.instance()
    provinces = polygons("provinces", 40)
    countries = polygons("countries", 3)
    unnamed = polygons("unnamed", 1, fields="field=code:integer")
    nadir_aois = polygons("Nadir AOIs", 0)
    nadir_aois.setCustomProperty("nadir/aoi-layer", True)
    project.addMapLayers([nadir_aois, provinces, countries, unnamed])
    try:
        dialog = LayerDialog()  # no active layer: the smallest that is not Nadir's own
        assert dialog.layerCombo.currentLayer() is unnamed
        assert dialog.nameField.currentField() == ""  # nothing names its features: named after the layer
        assert dialog.nameEdit.placeholderText() == "unnamed"
        assert dialog.info.text().startswith("1 feature will be imported")
        dialog.deleteLater()

        dialog = LayerDialog(layer=provinces)  # the active layer wins
        assert dialog.layerCombo.currentLayer() is provinces
        assert dialog.nameField.currentField() == "name"
        assert dialog.info.text().startswith("40 features will be imported")
        dialog.deleteLater()

        countries.selectByIds([next(countries.getFeatures()).id()])
        dialog = LayerDialog(layer=nadir_aois)  # Nadir's own layer is never the default
        assert dialog.layerCombo.currentLayer() is countries and dialog.selectedOnly.isChecked()
        assert "1 selected" in dialog.selectedOnly.text()
        assert dialog.request().name_field == "name"
        dialog.deleteLater()
    finally:
        project.removeMapLayers([layer.id() for layer in (provinces, countries, unnamed, nadir_aois)])


def test_utm_zone_buttons_say_what_they_are_and_do(qgis_app):
    from nadir.ui.grid.panel import GridPanel

    panel = GridPanel()
    panel.set_zones([(32631, True), (32632, False)])
    on, off = panel.zone_buttons[32631], panel.zone_buttons[32632]
    assert "UTM zone 31N (EPSG:32631): on" in on.toolTip() and "switch it off" in on.toolTip()
    assert "32N (EPSG:32632): off" in off.toolTip() and "switch it on" in off.toolTip()
    on.click()  # the tooltip follows the state
    assert "31N (EPSG:32631): off" in on.toolTip()
    panel.deleteLater()


def test_configure_spin_boxes_say_day_or_days(qgis_app):
    from nadir.core.models import OrderKind
    from nadir.ui.cart.configure_dialog import ConfigureDialog

    dialog = ConfigureDialog(OrderKind.COMPOSITE)
    dialog.frequencySpin.setValue(1)
    assert dialog.frequencySpin.text() == "1 day"
    dialog.frequencySpin.setValue(5)
    assert dialog.frequencySpin.text() == "5 days"
    dialog.storageSpin.setValue(1)
    assert dialog.storageSpin.text() == "1 month"
    dialog.storageSpin.setValue(3)
    assert dialog.storageSpin.text() == "3 months"
    dialog.deleteLater()


def test_overlay_count_reads_well_for_one_and_many(qgis_app, english_locale):
    from nadir.ui.orders.overlay_controls import OverlayControls

    controls = OverlayControls()
    controls.set_count(1, 1)
    assert controls.count_label.text() == "Showing 1 of 1 order with these filters"
    controls.set_count(1200, 2500)
    assert controls.count_label.text() == "Showing 1,200 of 2,500 orders with these filters"
    controls.deleteLater()


def test_the_grid_panel_keeps_still_when_the_zoom_hint_comes_and_goes(qgis_app):
    from qgis.PyQt.QtCore import QPoint
    from qgis.PyQt.QtWidgets import QApplication

    from nadir.ui.grid.panel import GridPanel

    panel = GridPanel()
    panel.resize(420, 600)
    panel.show()

    def where():
        QApplication.processEvents()
        return [panel.order_button.mapTo(panel, QPoint(0, 0)).y(), panel.cover_button.mapTo(panel, QPoint(0, 0)).y()]

    panel.set_hint("Zoom in to 1:1,500,000 or closer to see the tile grid (now 1:38,466,282).")
    zoomed_out = where()
    panel.set_hint("")
    assert where() == zoomed_out
    panel.close()
