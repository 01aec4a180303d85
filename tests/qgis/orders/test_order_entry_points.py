""" "Configure order…" from the AOI section and the tile grid panel: through the real plugin
(AOI, grid and cart features), ``ctx.services`` carries the chosen AOIs or the selected
cells into the configure dialog, and the order lands in the cart with its estimate."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtWidgets import QLabel, QPushButton
from shapely.geometry import shape

from nadir.core.aoi.build import build_aois, raw_from_geometry
from nadir.core.credentials import Credentials
from nadir.core.models import OrderKind
from nadir.core.ordering.cart import EstimateState
from nadir.plugin import NadirPlugin
from nadir.providers.clearsky.adapter import ClearSky
from nadir.providers.http.session import plain_client
from nadir.ui.services import AOIS, CART, CONFIGURE, GRID
from support.cart_harness import AOI, AOI2, wait_until


@pytest.fixture
def plugin(qgis_iface, clearsky_connection, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "nadir-data"))
    QgsProject.instance().clear()
    qgis_iface.messageBar().clearWidgets()
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    plugin.activate()  # as when the dock is first opened
    yield plugin
    runner = plugin.runner
    plugin.unload()
    wait_until(lambda: not runner.running, 30)
    QgsProject.instance().clear()


def services(plugin):
    return plugin.features[0].ctx.services


def test_configure_order_from_the_aoi_section(plugin, qgis_iface):
    store = services(plugin).get(AOIS)
    raws = [
        raw_from_geometry(shape(g), number=n, name=name)
        for n, (g, name) in enumerate(((AOI, "North field"), (AOI2, "South field")), start=1)
    ]
    store.add(build_aois(raws, "test", "Field").aois)
    assert len(store.chosen()) == 2
    section = plugin.dock.section("aois")
    section.findChild(QPushButton, "NadirAoiConfigureOrder").click()
    configure = services(plugin).get(CONFIGURE)
    dialog = configure.dialog
    assert dialog is not None and dialog.kind is OrderKind.COMPOSITE
    assert "2 AOIs" in dialog.targetLabel.text()
    wait_until(lambda: dialog.modelCombo.count() > 0 and dialog.submit_enabled())
    assert not dialog.dedupCheck.isEnabled()
    item = configure.submit()
    cart = services(plugin).get(CART)
    assert cart.items[0].id == item.id and item.spec.aoi["type"] == "GeometryCollection"
    assert item.summary.startswith("2 AOIs, ") and item.area_km2 == pytest.approx(store.total_area_km2(True))
    wait_until(lambda: cart.item(item.id).state(cart.now()) is EstimateState.FRESH)


def test_configure_order_from_the_grid_panel(plugin, sb):
    cs = ClearSky({"api": sb.provider_url("clearsky")}, Credentials(secret="clearsky-sandbox-key"), plain_client())
    tile = cs.tiles(AOI)[0]
    minis = cs.minitiles(cs.tiles(AOI2)[-1].guid)[:3]
    grid = services(plugin).get(GRID)
    grid.attach(
        SimpleNamespace(selected_cells=lambda: [tile, *minis], selected_guids=lambda: {tile.guid}), lambda: None
    )  # what the grid's selection state holds after clicks and a split
    panel = plugin.dock.section("grid")
    panel.findChild(QPushButton, "NadirGridConfigureOrder").click()
    dialog = services(plugin).get(CONFIGURE).dialog
    assert dialog is not None and dialog.kind is OrderKind.TILE and dialog.dedupCheck.isEnabled()
    assert "1 tile and 3 minitiles" in dialog.targetLabel.text()
    wait_until(lambda: dialog.modelCombo.count() > 0 and dialog.submit_enabled())
    item = services(plugin).get(CONFIGURE).submit()
    assert item.spec.tile_guids == (tile.guid,) and item.spec.minitile_guids == tuple(m.guid for m in minis)


def test_nothing_chosen_says_what_to_do(plugin, qgis_iface):
    plugin.dock.section("aois").findChild(QPushButton, "NadirAoiConfigureOrder").click()
    plugin.dock.section("grid").findChild(QPushButton, "NadirGridConfigureOrder").click()
    assert services(plugin).get(CONFIGURE).dialog is None
    texts = " ".join(
        item.text() + " ".join(label.text() for label in item.findChildren(QLabel))
        for item in qgis_iface.messageBar().items()
    )
    assert "Choose one or more AOIs" in texts and "Select tiles or minitiles" in texts
