"""The Orders dock section: table, filters, selection, details, cancel state, overlay controls,
and the feature wiring it into the dock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QDate, Qt

from nadir.core.models import CancelPreview, Lifecycle, Money
from nadir.core.orders.book import OrderBook
from nadir.core.orders.filters import DateMode, OrderFilterSpec, StatusGroup
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.orders.layer import geometry_from_geojson
from nadir.toolbelt.settings import SettingsStore
from nadir.ui.dock import NadirDock
from nadir.ui.feature import PluginContext
from nadir.ui.orders import feature as orders_feature
from nadir.ui.orders.geometry import zoom_to
from nadir.ui.orders.overlay import ROLE, ROLE_PROPERTY
from nadir.ui.orders.panel import OrdersPanel
from nadir.ui.orders.table import COLUMNS
from nadir.ui.services import ORDERS, OUTBOX
from support.orders_data import FakeOutboxEntry, order, square
from support.qgis_wait import wait_until

A = "1a2b3c4d-0000-4000-8000-000000000001"
B = "5e6f7a8b-0000-4000-8000-000000000002"
C = "9c9c9c9c-0000-4000-8000-000000000003"


def book_entries():
    book = OrderBook()
    book.merge_outbox([FakeOutboxEntry("ref-7", "clearsky", "placed", (order(A),), title="Munich <composite>")])
    book.apply_listing(
        "clearsky",
        [
            order(A, extra={"BillingCycle": 2, "Note": "<script>alert(1)</script>"}),
            order(
                C,
                raw="Reticulating",
                sub_status="Splines",
                status=Lifecycle.UNKNOWN,
                price=Money(amount=Decimal("99"), currency="EUR"),
            ),
        ],
    )
    book.apply_listing(
        "up42",
        [
            order(
                B,
                provider="up42",
                raw="PLACED",
                sub_status="QUOTATION_WAITING_RESPONSE",
                status=Lifecycle.AWAITING_DECISION,
                recurring=False,
                end=None,
                price=Money(amount=Decimal("3"), currency="credits"),
            )
        ],
    )
    return book.entries()


@pytest.fixture
def panel(qgis_app):
    panel = OrdersPanel()
    panel.set_entries(book_entries())
    yield panel
    panel.deleteLater()


def cell(panel, row, column):
    return panel.proxy.index(row, COLUMNS.index(column))


def visible_ids(panel):
    return sorted(
        panel.model.entry(panel.proxy.mapToSource(panel.proxy.index(r, 0)).row()).order.id
        for r in range(panel.proxy.rowCount())
    )


def test_rows_show_status_exactly_as_sent(panel):
    assert panel.proxy.rowCount() == 3
    texts = {panel.proxy.index(r, COLUMNS.index("order")).data(): r for r in range(3)}
    # the order Nadir placed is named after its cart item (issue 16), the others by short id
    assert set(texts) == {"Munich <composite> (1a2b3c4d…)", "5e6f7a8b…", "9c9c9c9c…"}
    texts["1a2b3c4d…"] = texts["Munich <composite> (1a2b3c4d…)"]
    up42 = texts["5e6f7a8b…"]
    assert cell(panel, up42, "status").data() == "PLACED (QUOTATION_WAITING_RESPONSE)"
    assert cell(panel, up42, "provider").data() == "UP42"
    assert cell(panel, up42, "price").data() == "3 credits"
    unknown = texts["9c9c9c9c…"]
    status = cell(panel, unknown, "status")
    assert status.data() == "Reticulating (Splines)"
    assert status.data(Qt.ItemDataRole.BackgroundRole) is None  # neutral: no colour claiming a meaning
    assert status.data(Qt.ItemDataRole.FontRole).italic()
    assert "shown exactly as ClearSKY Vision sent it" in status.data(Qt.ItemDataRole.ToolTipRole)
    known = cell(panel, texts["1a2b3c4d…"], "status")
    assert known.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "Munich <composite>" in cell(panel, texts["1a2b3c4d…"], "order").data(Qt.ItemDataRole.ToolTipRole)


def test_an_order_without_a_provider_price_shows_the_checkout_estimate(qgis_app):
    estimate = Money(amount=Decimal("62.37"), currency="EUR")
    book = OrderBook()
    book.merge_outbox(
        [
            FakeOutboxEntry(
                "ref-8", "clearsky", "placed", (order(A, price=None),), title="Aarhus fields, live", price=estimate
            )
        ]
    )
    book.apply_listing(
        "clearsky", [order(A, raw="Preparing", status=Lifecycle.IN_PROGRESS, price=None, title="Stratus2 composite")]
    )
    panel = OrdersPanel()
    try:
        panel.set_entries(book.entries())
        assert cell(panel, 0, "order").data() == "Aarhus fields, live (1a2b3c4d…)"
        assert cell(panel, 0, "price").data() == "62.37 EUR"
        assert "estimate at checkout" in cell(panel, 0, "price").data(Qt.ItemDataRole.ToolTipRole)
    finally:
        panel.deleteLater()


def test_filter_by_provider_and_status(panel):
    panel.provider_combo.setCurrentIndex(panel.provider_combo.findData("up42"))
    assert visible_ids(panel) == [B]
    panel.provider_combo.setCurrentIndex(0)
    panel.status_combo.setCurrentIndex(panel.status_combo.findData(StatusGroup.UNKNOWN.value))
    assert visible_ids(panel) == [C]
    panel.status_combo.setCurrentIndex(panel.status_combo.findData(StatusGroup.LIVE.value))
    assert visible_ids(panel) == [A, B]


def test_sort_by_price_per_currency_keeps_the_selection(panel):
    panel.select(("up42", B))
    panel.table.sortByColumn(COLUMNS.index("price"), Qt.SortOrder.AscendingOrder)
    assert [cell(panel, r, "price").data() for r in range(3)] == ["12.50 EUR", "99.00 EUR", "3 credits"]
    assert panel.selected_key() == ("up42", B)
    rows = panel.table.selectionModel().selectedRows()
    assert [r.data() for r in rows] == ["UP42"]
    panel.table.sortByColumn(COLUMNS.index("created"), Qt.SortOrder.DescendingOrder)
    panel.set_entries(book_entries())  # a refresh keeps the sort
    assert cell(panel, 0, "created").data() >= cell(panel, 2, "created").data()


def test_selection_details_and_cancel_state(panel):
    selected = []
    panel.selection_changed.connect(selected.append)
    assert panel.select(("clearsky", A))
    assert selected[-1] == ("clearsky", A)
    html = panel.details.toHtml()
    assert "BillingCycle" in html and "ref-7" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not panel.cancel_button.isEnabled()  # until the provider's rule is known
    assert panel.zoom_button.isEnabled()

    panel.set_cancel_state(("clearsky", A), CancelPreview(allowed=True, effect="Cancelled completely."), "")
    assert panel.cancel_button.isEnabled() and "Cancelled completely." in panel.cancel_reason.text()
    panel.set_cancel_state(("clearsky", B), CancelPreview(allowed=False, effect="no"), "")  # stale: ignored
    assert panel.cancel_button.isEnabled()
    panel.set_cancel_state(("clearsky", A), CancelPreview(allowed=False, effect="It is Processing."), "")
    assert not panel.cancel_button.isEnabled() and panel.cancel_reason.text() == "It is Processing."

    asked = []
    panel.cancel_requested.connect(asked.append)
    panel.set_cancel_state(("clearsky", A), CancelPreview(allowed=True, effect="ok"), "")
    panel.cancel_button.click()
    assert asked == [("clearsky", A)]


def test_selection_survives_a_refresh_and_filters_are_cleared_to_show_it(panel):
    panel.select(("up42", B))
    panel.set_entries(book_entries())
    assert panel.selected_key() == ("up42", B)
    panel.status_combo.setCurrentIndex(panel.status_combo.findData(StatusGroup.COMPLETED.value))
    assert panel.select(("clearsky", A))
    assert panel.status_combo.currentIndex() == 0 and panel.selected_key() == ("clearsky", A)


def test_overlay_controls_build_the_filter(panel):
    controls = panel.overlay_controls
    controls.set_models(["Nimbus", "Stratus2"])
    specs = []
    controls.filter_changed.connect(specs.append)
    controls.model_combo.setCurrentIndex(controls.model_combo.findData("Nimbus"))
    controls.status_combo.setCurrentIndex(controls.status_combo.findData("completed"))
    controls.from_edit.setDate(QDate(2025, 1, 1))
    controls.from_box.setChecked(True)
    controls.to_edit.setDate(QDate(2025, 6, 30))
    controls.to_box.setChecked(True)
    controls.mode_combo.setCurrentIndex(controls.mode_combo.findData("within"))
    assert specs[-1] == OrderFilterSpec(
        models=frozenset({"Nimbus"}),
        status=StatusGroup.COMPLETED,
        date_from=date(2025, 1, 1),
        date_to=date(2025, 6, 30),
        date_mode=DateMode.WITHIN,
    )
    count = len(specs)
    controls.from_edit.setDate(QDate(2025, 12, 1))  # after the end: refused, said, nothing emitted
    assert len(specs) == count and "after it ends" in controls.error_label.text()
    controls.set_spec(OrderFilterSpec())
    assert specs[-1] == OrderFilterSpec() and not controls.error_label.text()
    assert not controls.from_edit.isEnabled() and not controls.mode_combo.isEnabled()


def test_zoom_to_reprojects_the_aoi(qgis_iface):
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    canvas.resize(400, 300)
    assert zoom_to(canvas, geometry_from_geojson(square(10, 50, 0.2)))
    extent = canvas.extent()
    assert extent.contains(QgsRectangle(1113194.9, 6446275.8, 1135458.8, 6480922.4))  # EPSG:3857 of the AOI
    assert extent.width() < 200_000
    assert not zoom_to(canvas, geometry_from_geojson(None))


def test_aoi_geometries_of_every_shape_providers_send():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": square(0, 0), "properties": {}},
            {"type": "Feature", "geometry": square(5, 5), "properties": {}},
        ],
    }
    geometry = geometry_from_geojson(collection)
    assert geometry.isMultipart() and geometry.area() == pytest.approx(0.02)
    assert geometry_from_geojson({"type": "Feature", "geometry": square(0, 0)}).area() == pytest.approx(0.01)
    clearsky = {
        "type": "GeometryCollection",
        "geometries": [  # ClearSKY's GEOMETRYCOLLECTION Wkt
            square(0, 0),
            {"type": "MultiPolygon", "coordinates": [square(2, 2)["coordinates"]]},
            {"type": "Point", "coordinates": [1, 1]},
        ],
    }
    geometry = geometry_from_geojson(clearsky)
    assert geometry.asWkt().startswith("MultiPolygon") and geometry.area() == pytest.approx(0.02)
    assert geometry_from_geojson({"type": "Point", "coordinates": [1, 1]}).isEmpty()


# ------------------------------------------------------------------ feature wiring
@pytest.fixture
def ctx(qgis_iface, clean_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "nadir"))
    QgsProject.instance().clear()
    dock = NadirDock()
    runner = TaskRunner()
    context = PluginContext(qgis_iface, dock, Notifier(qgis_iface.messageBar()), runner, SettingsStore())
    yield context
    runner.cancel_all()
    dock.deleteLater()
    QgsProject.instance().clear()


def test_feature_adds_a_light_tab_then_builds_on_demand_and_unloads_cleanly(ctx, tmp_path):
    book = OrderBook(path=tmp_path / "nadir" / "orders.json")
    book.apply_listing("clearsky", [order(A)])
    book.save()
    feature = orders_feature.OrdersFeature(ctx)
    feature.init_gui()
    assert "orders" in ctx.dock.section_keys and feature.presenter is None
    ctx.dock.show_section("orders")  # opening the tab starts it at once
    assert feature.presenter is not None and ctx.services.get(ORDERS) is feature.presenter
    wait_until(lambda: feature.rendered >= 1, what="the first render")
    assert feature.panel.proxy.rowCount() == 1  # the saved orders show before any poll
    layer = feature.overlay.layer()
    assert layer is not None and not feature.overlay.is_visible()
    wait_until(lambda: feature.presenter.cycles >= 1, what="the first (empty) cycle")
    assert "no credentials" in feature.panel.status_label.text()

    feature.panel.overlay_controls.show_box.setChecked(True)
    assert feature.overlay.is_visible()
    feature.panel.select(("clearsky", A))
    feature.panel.zoom_button.click()

    feature.unload()
    assert "orders" not in ctx.dock.section_keys and ORDERS not in ctx.services
    assert not [
        layer for layer in QgsProject.instance().mapLayers().values() if layer.customProperty(ROLE_PROPERTY) == ROLE
    ]


def test_feature_follows_the_outbox_service(ctx):
    from qgis.PyQt.QtCore import QObject, pyqtSignal

    class OutboxService(QObject):
        placed = pyqtSignal(object)

    service = OutboxService()
    ctx.services.provide(OUTBOX, service)
    feature = orders_feature.OrdersFeature(ctx)
    feature.init_gui()
    feature.start()
    service.placed.emit(FakeOutboxEntry("ref-1", "clearsky", "placed", (order(B),), title="Tiles"))
    wait_until(lambda: feature.panel.proxy.rowCount() == 1, what="the placed order in the table")
    assert feature.overlay.layer() is not None
    feature.unload()
    service.placed.emit(FakeOutboxEntry("ref-2", "clearsky", "placed", (order(C),)))  # disconnected: no error
