"""The orders presenter, panel and Processing algorithms with the real ClearSKY adapter
(and, polled together, the other three), credentials from the QGIS auth database and the
sandbox over HTTP on loopback.

Lifecycle in the sandbox (simulated seconds after creation): Review 300, Preparing 300,
then per image date AwaitingSatelliteProducts 600 and Processing 1200, then UpToDate
(recurring) or Completed. ``sandbox.advance`` moves its clock on.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject
from qgis.PyQt.QtCore import Qt

from nadir.core.models import ClearSkySpec, Lifecycle
from nadir.core.orders.book import OrderBook
from nadir.processing.orders.tracking import CancelOrderAlgorithm, ListOrdersAlgorithm
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.auth import store_basic
from nadir.toolbelt.connections import adapter_for
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.settings import ProviderConnection, Settings, SettingsStore
from nadir.ui.orders.overlay import ExistingOrdersOverlay
from nadir.ui.orders.panel import OrdersPanel
from nadir.ui.orders.presenter import OrdersPresenter
from nadir.ui.orders.table import COLUMNS
from support.httpserver import Reply, ScriptedServer
from support.orders_fakes import FakeDialogs
from support.qgis_wait import bar_texts, wait_until

KEY = "clearsky-sandbox-key"
AOI = {"type": "Polygon", "coordinates": [[[9.90, 56.40], [9.93, 56.40], [9.93, 56.42], [9.90, 56.42], [9.90, 56.40]]]}


@pytest.fixture(scope="module")
def sandbox_server(tmp_path_factory):
    from sandbox.testing import run_sandbox

    with run_sandbox(tmp_path_factory.mktemp("orders-sandbox")) as server:
        yield server


@pytest.fixture
def sb(sandbox_server):
    sandbox_server.reset()
    return sandbox_server


@pytest.fixture
def authcfg(auth_manager):
    return store_basic(f"ClearSKY test {uuid.uuid4().hex[:6]}", "", KEY)


def connect(store: SettingsStore, api: str, authcfg: str) -> None:
    store.update(
        Settings(poll_interval_s=600, connections=(ProviderConnection("clearsky", True, {"api": api}, authcfg),))
    )


@pytest.fixture
def store(clean_settings, sb, authcfg):
    store = SettingsStore()
    connect(store, sb.provider_url("clearsky"), authcfg)
    return store


def sandbox_today(sb) -> date:
    return datetime.fromisoformat(sb.health()["now"].replace("Z", "+00:00")).date()


def place(store, **changes):
    values = {
        "model": "Stratus2",
        "constellations": ("Sentinel2",),
        "start": date(2024, 1, 1),
        "end": date(2024, 1, 31),
        "frequency_days": 7,
        "api_requests": 1,
        "aoi": AOI,
    }
    values.update(changes)
    adapter = adapter_for("clearsky", store.current)
    try:
        (placed,) = adapter.place(ClearSkySpec(**values), str(uuid.uuid4())).orders
    finally:
        adapter.close()
    return placed


class Orders:
    """The presenter as the feature wires it, with the real adapter factory."""

    def __init__(self, store, iface, tmp_path, confirm=True):
        self.bar = iface.messageBar()
        self.bar.clearWidgets()
        self.runner = TaskRunner()
        self.dialogs = FakeDialogs(confirm)
        self.presenter = OrdersPresenter(
            OrderBook.load(tmp_path / "orders.json"), self.runner, store, Notifier(self.bar), self.dialogs, adapter_for
        )
        self.panel = OrdersPanel()
        self.presenter.orders_changed.connect(lambda: self.panel.set_entries(self.presenter.book.entries()))
        self.presenter.cancel_state.connect(self.panel.set_cancel_state)
        self.panel.selection_changed.connect(self.presenter.preview_cancel)

    def cycle(self):
        before = self.presenter.cycles
        self.presenter.poll()
        wait_until(lambda: self.presenter.cycles > before and not self.presenter.busy, what="a polling cycle")

    def order(self, order_id):
        return self.presenter.book.get(("clearsky", order_id)).order

    def cancel(self, order_id):
        finished = []
        self.presenter.cancel_finished.connect(lambda key, after: finished.append(after))
        self.presenter.cancel(("clearsky", order_id))
        wait_until(lambda: finished, what="the cancel")
        return finished[0]

    def texts(self):
        return bar_texts(self.bar)

    def close(self):
        self.presenter.stop()
        self.runner.cancel_all()
        self.bar.clearWidgets()


@pytest.fixture
def orders(store, qgis_iface, tmp_path):
    made = Orders(store, qgis_iface, tmp_path)
    yield made
    made.close()


def test_polling_follows_the_lifecycle_with_one_notice_per_change(sb, store, orders):
    placed = place(store)
    orders.cycle()
    assert orders.order(placed.id).raw_status == "Review"
    assert orders.texts() == []  # the first listing is the baseline
    short = placed.id[:8]
    sb.advance(301)
    orders.cycle()
    assert orders.order(placed.id).raw_status == "Preparing"
    assert any(f"ClearSKY Vision order {short}…: Review → Preparing" in t for t in orders.texts()), orders.texts()
    sb.advance(300)
    orders.cycle()
    assert orders.order(placed.id).raw_status == "AwaitingSatelliteProducts"
    sb.advance(5 * 1800 + 60)  # every image date of January 2024 produced
    orders.cycle()
    final = orders.order(placed.id)
    assert final.raw_status == "Completed" and final.status is Lifecycle.COMPLETED
    texts = orders.texts()
    assert any("AwaitingSatelliteProducts → Completed" in t for t in texts), texts
    assert orders.panel.proxy.rowCount() == 1
    status = orders.panel.proxy.index(0, COLUMNS.index("status"))
    assert status.data() == "Completed"
    overlay = ExistingOrdersOverlay(QgsProject.instance())
    overlay.set_orders(orders.presenter.book.orders())
    (feature,) = overlay.layer().getFeatures()  # ClearSKY's GEOMETRYCOLLECTION AOI drawn as a polygon
    assert feature["lifecycle"] == "completed" and feature.geometry().area() == pytest.approx(0.03 * 0.02)
    overlay.unload()


def test_cancel_in_review_cancels_completely(sb, store, orders):
    placed = place(store)
    orders.cycle()
    after = orders.cancel(placed.id)
    assert orders.dialogs.asked and "cancelled completely" in orders.dialogs.asked[0][1]
    assert after is not None and after.raw_status == "Canceled" and after.status is Lifecycle.CANCELLED
    assert orders.order(placed.id).raw_status == "Canceled"
    assert [r["method"] for r in sb.requests("/clearsky/api/tasking/orders/cancel")] == ["DELETE"]
    assert any(": cancelled (Canceled)." in t for t in orders.texts()), orders.texts()


def test_cancel_refused_after_review_for_a_fixed_order(sb, store, orders):
    placed = place(store)
    sb.advance(301)
    orders.cycle()
    orders.panel.select(("clearsky", placed.id))
    wait_until(lambda: orders.panel.cancel_reason.text(), what="the cancel rule")
    assert not orders.panel.cancel_button.isEnabled()
    assert "only while it is in review" in orders.panel.cancel_reason.text()
    assert orders.cancel(placed.id) is None
    assert orders.dialogs.asked == [] and "only while it is in review" in orders.dialogs.refused[0][1]
    assert sb.requests("/clearsky/api/tasking/orders/cancel") == []


def test_recurring_order_cancelled_later_completes_its_month(sb, store, orders):
    today = sandbox_today(sb)
    placed = place(store, start=today.replace(day=1), end=None, frequency_days=1)
    sb.advance(700)
    orders.cycle()
    live = orders.order(placed.id)
    assert live.recurring and live.raw_status != "Review"
    orders.panel.select(("clearsky", placed.id))
    wait_until(lambda: orders.panel.cancel_button.isEnabled(), what="cancel allowed")
    assert "current month completes" in orders.panel.cancel_reason.text()
    after = orders.cancel(placed.id)
    effect = orders.dialogs.asked[0][1]
    assert "current month completes and the order will not renew" in effect
    month_end = date(today.year + today.month // 12, today.month % 12 + 1, 1).toordinal() - 1
    assert after.cancellation_date == date.fromordinal(month_end)
    assert after.status is not Lifecycle.CANCELLED  # it still produces this month
    row = orders.panel.model.row_of(("clearsky", placed.id))
    end_cell = orders.panel.model.index(row, COLUMNS.index("end")).data()
    assert end_cell == f"{after.cancellation_date.isoformat()} (stopped)"
    assert any(
        f"produces until {after.cancellation_date.isoformat()} and does not renew" in t for t in orders.texts()
    ), orders.texts()


def test_unknown_status_from_the_provider_is_shown_verbatim(store, qgis_iface, tmp_path, authcfg):
    item = {
        "TaskOrderGuid": "0f0f0f0f-1111-4222-8333-444455556666",
        "OrderingProcessStatus": "Rebalancing",
        "Model": "Stratus2",
        "From": "2025-01-01",
        "To": None,
        "ImageFrequency": 3,
        "StorageMonths": 1,
        "ApiRequests": 1,
        "SatelliteConstellations": ["Sentinel2"],
        "CreatedDate": "2025-01-02T10:00:00Z",
        "Wkt": "POLYGON((9.9 56.4, 9.93 56.4, 9.93 56.42, 9.9 56.42, 9.9 56.4))",
        "SomethingNew": {"x": 1},
    }
    with ScriptedServer() as server:
        server.script(
            "GET",
            "/api/tasking/orders",
            Reply(200, json={"Succeeded": True, "Error": None, "Data": {"TaskOrders": [item]}}),
        )
        connect(store, server.url, authcfg)
        made = Orders(store, qgis_iface, tmp_path)
        made.cycle()
        order = made.order(item["TaskOrderGuid"])
        assert order.raw_status == "Rebalancing" and order.status is Lifecycle.UNKNOWN
        status = made.panel.proxy.index(0, COLUMNS.index("status"))
        assert status.data() == "Rebalancing"
        assert status.data(Qt.ItemDataRole.BackgroundRole) is None
        assert [t for t in made.texts() if "wrong" in t] == []
        made.close()


# ------------------------------------------------------------------ Processing, in process
def run(algorithm, parameters):
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    algorithm.initAlgorithm()
    result, ok = algorithm.run(parameters, context, feedback)
    assert ok, feedback.textLog()
    return result, context, feedback


def test_list_orders_algorithm(sb, store):
    fixed = place(store)
    recurring = place(store, start=sandbox_today(sb).replace(day=1), end=None)
    result, context, _ = run(ListOrdersAlgorithm(), {"PROVIDER": 0, "STATUS": 0, "OUTPUT": "memory:"})
    layer = context.getMapLayer(result["OUTPUT"])
    assert result["COUNT"] == 2 and layer.featureCount() == 2
    by_id = {f["order_id"]: f for f in layer.getFeatures()}
    assert set(by_id) == {fixed.id, recurring.id}
    assert by_id[fixed.id]["status"] == "Review" and by_id[fixed.id]["lifecycle"] == "pending"
    assert by_id[recurring.id]["end"] is None or by_id[recurring.id]["end"].isNull()
    assert by_id[fixed.id].geometry().boundingBox().xMinimum() == pytest.approx(9.90)
    assert layer.crs().authid() == "EPSG:4326"

    result, context, _ = run(ListOrdersAlgorithm(), {"PROVIDER": 0, "STATUS": 2, "OUTPUT": "memory:"})
    assert result["COUNT"] == 0  # completed only
    result, _, _ = run(ListOrdersAlgorithm(), {"PROVIDER": 0, "RAW_STATUSES": "Review, Preparing", "OUTPUT": "memory:"})
    assert result["COUNT"] == 2


def test_cancel_order_algorithm_reports_first_and_cancels_only_when_confirmed(sb, store):
    placed = place(store)
    result, _, feedback = run(CancelOrderAlgorithm(), {"PROVIDER": 0, "ORDER_ID": placed.id})
    assert result["ALLOWED"] is True and result["CANCELLED"] is False and result["STATUS"] == "Review"
    assert "cancelled completely" in result["EFFECT"]
    assert "Nothing was cancelled" in feedback.textLog()
    assert sb.requests("/clearsky/api/tasking/orders/cancel") == []
    result, _, _ = run(CancelOrderAlgorithm(), {"PROVIDER": 0, "ORDER_ID": placed.id, "CONFIRM": True})
    assert result["CANCELLED"] is True and result["STATUS"] == "Canceled"
    # a finished order: nothing to cancel, as the Orders panel says it (core.orders.cancellation)
    result, _, _ = run(CancelOrderAlgorithm(), {"PROVIDER": 0, "ORDER_ID": placed.id})
    assert result["ALLOWED"] is False and result["EFFECT"] == "The order is Canceled: there is nothing to cancel.", (
        result
    )

    other = place(store)
    sb.advance(301)
    algorithm = CancelOrderAlgorithm()
    algorithm.initAlgorithm()
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    _, ok = algorithm.run({"PROVIDER": 0, "ORDER_ID": other.id, "CONFIRM": True}, context, feedback)
    assert not ok and "only while it is in review" in feedback.textLog()


def test_algorithms_say_what_is_missing(clean_settings):
    algorithm = CancelOrderAlgorithm()
    algorithm.initAlgorithm()
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    _, ok = algorithm.run({"PROVIDER": 1, "ORDER_ID": "x"}, context, feedback)  # UP42: no credentials
    assert not ok and "No credentials are set for UP42" in feedback.textLog()


def test_tile_orders_get_a_footprint_for_the_overlay(sb, store, orders):
    adapter = adapter_for("clearsky", store.current)
    try:
        minitiles = adapter.minitiles(adapter.tiles(AOI)[0].guid)[:2]
    finally:
        adapter.close()
    placed = place(
        store, aoi=None, minitile_guids=tuple(m.guid for m in minitiles), model="Nimbus", constellations=("Sentinel1",)
    )
    orders.cycle()
    located = orders.order(placed.id)
    assert located.kind.value == "tile" and located.aoi is not None
    overlay = ExistingOrdersOverlay(QgsProject.instance())
    overlay.set_orders(orders.presenter.book.orders())
    (feature,) = overlay.layer().getFeatures()
    assert feature["kind"] == "tile" and feature.geometry().area() > 0.0005  # two minitiles of ~3 x 3 km
    overlay.unload()
    calls = len(sb.requests("/clearsky/api/tasking/search/tiles"))
    orders.cycle()
    assert len(sb.requests("/clearsky/api/tasking/search/tiles")) == calls  # fetched once, then kept


def test_every_provider_of_the_sandbox_is_polled_together(sb, clean_settings, auth_manager, qgis_iface, tmp_path):
    """The panel is multi-provider: all four stand-ins, their demo credentials in the auth
    database, listed in one cycle without an error notice."""
    from nadir.core.provider_info import PROVIDERS
    from support.sandbox_profile import demo_credentials, sandbox_accounts, sandbox_urls

    accounts = sandbox_accounts(sb.url)
    connections = []
    for provider_id, info in PROVIDERS.items():
        account = accounts[provider_id]
        urls = sandbox_urls(provider_id, [r.key for r in info.url_roles], account, sb.url)
        authcfg = store_basic(f"{provider_id} test {uuid.uuid4().hex[:6]}", *demo_credentials(account))
        connections.append(ProviderConnection(provider_id, True, urls, authcfg))
    store = SettingsStore()
    store.update(Settings(poll_interval_s=600, connections=tuple(connections)))
    placed = place(store)
    made = Orders(store, qgis_iface, tmp_path)
    try:
        made.cycle()
        status = made.presenter.status_text()
        for info in PROVIDERS.values():
            assert f"{info.title}: " in status and "failed" not in status, status
        assert "ClearSKY Vision: 1 order" in status
        assert made.texts() == [], made.texts()
        assert made.order(placed.id).raw_status == "Review"
    finally:
        made.close()
