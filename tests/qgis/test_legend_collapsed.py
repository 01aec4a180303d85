"""Nadir's layers start with their legend collapsed and keep what the user set when a
project is saved and opened again (issue 16 item 8: the legend came back expanded)."""

from __future__ import annotations

import pytest
from qgis.core import QgsProject

from support.orders_data import order, square


@pytest.fixture
def project(qgis_app):
    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()


def node_of(project, layer):
    return project.layerTreeRoot().findLayer(layer.id())


def test_overlay_aoi_and_grid_layers_start_collapsed_and_keep_the_saved_state(project, tmp_path):
    from nadir.toolbelt.aoi.layer import AoiLayer
    from nadir.ui.grid.layer import GridLayer
    from nadir.ui.orders.overlay import ROLE, ROLE_PROPERTY, ExistingOrdersOverlay

    overlay = ExistingOrdersOverlay(project)
    overlay.set_orders([order("a", aoi=square(10, 50))])
    aois = AoiLayer(project).ensure()
    grid = GridLayer(project).ensure(1_500_000.0)
    layers = {"overlay": overlay.layer(), "aois": aois, "grid": grid}
    assert {name: node_of(project, layer).isExpanded() for name, layer in layers.items()} == {
        "overlay": False,
        "aois": False,
        "grid": False,
    }

    node_of(project, aois).setExpanded(True)  # the user opens one
    path = tmp_path / "legend.qgz"
    assert project.write(str(path))
    overlay.unload()
    project.clear()
    assert project.read(str(path))
    overlay = ExistingOrdersOverlay(project)
    overlay.set_orders([order("a", aoi=square(10, 50))])
    states = {}
    for layer in project.mapLayers().values():
        role = (
            "overlay"
            if layer.customProperty(ROLE_PROPERTY) == ROLE
            else "aois"
            if layer.customProperty("nadir/aoi-layer")
            else "grid"
            if layer.name().startswith("Nadir tile grid")
            else None
        )
        if role:
            states[role] = node_of(project, layer).isExpanded()
    assert states == {"overlay": False, "aois": True, "grid": False}
    overlay.unload()
