"""Existing-orders overlay: off by default, filters (both date modes), styling, project life."""

from __future__ import annotations

from datetime import date

import pytest
from qgis.core import QgsCategorizedSymbolRenderer, QgsProject, QgsVectorLayer

from nadir.core.models import Lifecycle, OrderKind
from nadir.core.orders.filters import DateMode, OrderFilterSpec, StatusGroup
from nadir.ui.orders.overlay import LAYER_NAME, ROLE, ROLE_PROPERTY, ExistingOrdersOverlay
from support.orders_data import order, square

ORDERS = [
    order("fixed", start=date(2025, 3, 1), end=date(2025, 5, 31), aoi=square(10, 50)),
    order(
        "recurring",
        start=date(2025, 1, 1),
        end=None,
        recurring=True,
        raw="UpToDate",
        status=Lifecycle.LIVE,
        aoi=square(11, 50),
        model="Nimbus",
    ),
    order(
        "done",
        start=date(2024, 6, 1),
        end=date(2024, 8, 31),
        raw="Completed",
        status=Lifecycle.COMPLETED,
        aoi=square(12, 50),
    ),
    order("odd", raw="Teleporting", status=Lifecycle.UNKNOWN, aoi=square(13, 50)),
    order("no-aoi", provider="geopera", kind=OrderKind.ARCHIVE, aoi=None),
]


@pytest.fixture
def project(qgis_app):
    project = QgsProject.instance()
    project.clear()
    project.setDirty(False)
    yield project
    project.clear()


@pytest.fixture
def overlay(project):
    overlay = ExistingOrdersOverlay(project)
    yield overlay
    overlay.unload()


def ids(layer):
    return sorted(f["order_id"] for f in layer.getFeatures())


def test_added_switched_off_without_dirtying_the_project(project, overlay):
    assert overlay.layer() is None
    overlay.set_orders([])
    assert overlay.layer() is None  # nothing to show: nothing added
    overlay.set_orders(ORDERS)
    layer = overlay.layer()
    assert isinstance(layer, QgsVectorLayer) and layer.name() == LAYER_NAME
    assert layer.customProperty(ROLE_PROPERTY) == ROLE
    assert layer.crs().authid() == "EPSG:4326"
    node = project.layerTreeRoot().findLayer(layer.id())
    assert node is not None and not node.itemVisibilityChecked()
    assert not overlay.is_visible()
    assert project.isDirty() is False
    assert ids(layer) == ["done", "fixed", "odd", "recurring"]  # orders without an AOI have no footprint
    feature = next(f for f in layer.getFeatures() if f["order_id"] == "recurring")
    assert feature["lifecycle"] == "live" and feature["status"] == "UpToDate" and feature["model"] == "Nimbus"
    assert feature["recurring"] is True or feature["recurring"] == 1
    assert feature["end"] is None or feature["end"].isNull()
    odd = next(f for f in layer.getFeatures() if f["order_id"] == "odd")
    assert odd["status"] == "Teleporting" and odd["lifecycle"] == "unknown"
    assert layer.extent().xMinimum() == pytest.approx(10) and layer.extent().xMaximum() == pytest.approx(13.1)


def test_styled_by_lifecycle(overlay):
    overlay.set_orders(ORDERS)
    renderer = overlay.layer().renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    assert renderer.classAttribute() == "lifecycle"
    values = [c.value() for c in renderer.categories()]
    assert values == [status.value for status in Lifecycle]
    colors = {c.value(): c.symbol().color().name() for c in renderer.categories()}
    assert len(set(colors.values())) == len(colors)  # every lifecycle its own colour


def test_toggling_shows_it_and_the_tree_reports_back(project, overlay):
    seen = []
    overlay.visibility_changed.connect(seen.append)
    overlay.set_orders(ORDERS)
    overlay.set_visible(True)
    assert overlay.is_visible()
    node = project.layerTreeRoot().findLayer(overlay.layer().id())
    node.setItemVisibilityChecked(False)  # the user unticks it in the Layers panel
    assert not overlay.is_visible()
    assert seen[-2:] == [True, False]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (OrderFilterSpec(models=frozenset({"Nimbus"})), ["recurring"]),
        (OrderFilterSpec(status=StatusGroup.LIVE), ["fixed", "recurring"]),
        (OrderFilterSpec(status=StatusGroup.COMPLETED), ["done"]),
        (
            OrderFilterSpec(date_from=date(2025, 2, 1), date_to=date(2025, 6, 30), date_mode=DateMode.OVERLAP),
            ["fixed", "odd", "recurring"],
        ),
        (
            OrderFilterSpec(date_from=date(2025, 2, 1), date_to=date(2025, 6, 30), date_mode=DateMode.WITHIN),
            ["fixed", "odd"],
        ),
        (OrderFilterSpec(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), date_mode=DateMode.WITHIN), ["done"]),
        (
            OrderFilterSpec(date_from=date(2024, 1, 1), date_to=date(2025, 12, 31), date_mode=DateMode.WITHIN),
            ["done", "fixed", "odd"],
        ),  # the recurring order has no end: never fully within a closed range
    ],
)
def test_filters_rebuild_the_layer(overlay, spec, expected):
    counts = []
    overlay.rebuilt.connect(counts.append)
    overlay.set_orders(ORDERS)
    overlay.set_filter(spec)
    assert ids(overlay.layer()) == expected
    assert counts[-1] == len(expected)
    overlay.set_filter(OrderFilterSpec())
    assert len(ids(overlay.layer())) == 4


def test_a_layer_the_user_removed_comes_back_only_when_asked(project, overlay):
    overlay.set_orders(ORDERS)
    project.removeMapLayer(overlay.layer().id())
    overlay.set_orders(ORDERS)
    assert overlay.layer() is None
    overlay.set_visible(True)
    assert overlay.layer() is not None and overlay.is_visible()


def test_a_saved_project_keeps_one_layer_refilled_on_open(project, overlay, tmp_path):
    overlay.set_orders(ORDERS)
    overlay.set_visible(True)
    path = tmp_path / "with-overlay.qgz"
    assert project.write(str(path))
    project.clear()
    assert project.read(str(path))
    layers = [layer for layer in project.mapLayers().values() if layer.customProperty(ROLE_PROPERTY) == ROLE]
    assert len(layers) == 1
    assert ids(layers[0]) == ["done", "fixed", "odd", "recurring"]  # memory layers come back empty: refilled
    assert overlay.is_visible()
    overlay.set_orders(ORDERS[:1])
    assert ids(overlay.layer()) == ["fixed"]


def test_unload_removes_the_layer_and_leaves_the_project_clean(project):
    overlay = ExistingOrdersOverlay(project)
    overlay.set_orders(ORDERS)
    overlay.unload()
    assert overlay.layer() is None
    assert project.isDirty() is False


def test_project_cleared_then_new_orders_add_it_again(project, overlay):
    overlay.set_orders(ORDERS)
    project.clear()
    assert overlay.layer() is None
    overlay.set_orders(ORDERS)
    assert overlay.layer() is not None
