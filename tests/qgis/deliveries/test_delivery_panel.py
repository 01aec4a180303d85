"""Deliveries in the orders panel, against the sandbox with the real adapters: Load adds
layers, Download only files, Stop cancels leaving no final file, "Load when delivered"
loads an order by itself once polling sees it completed, and it is persisted."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsProject, QgsRasterLayer

from nadir.tasks.base import TaskRunner
from nadir.toolbelt import auth
from nadir.toolbelt import settings as st
from nadir.toolbelt.deliveries.layers import find_order_group
from nadir.toolbelt.deliveries.prefs import AutoLoad
from nadir.toolbelt.notify import Notifier
from nadir.ui.deliveries.feature import DeliveriesFeature
from nadir.ui.dock import NadirDock
from nadir.ui.feature import PluginContext
from nadir.ui.orders.feature import OrdersFeature
from nadir.ui.services import DELIVERIES, ORDERS_PANEL
from sandbox.testing import run_sandbox
from support.deliveries import AARHUS_WIDE, clearsky, place
from support.qgis_wait import bar_texts, wait_until


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with run_sandbox(tmp_path_factory.mktemp("delivery-panel")) as server:
        yield server


@pytest.fixture
def ctx(qgis_iface, auth_manager, clean_settings, sandbox, tmp_path, monkeypatch):
    sandbox.reset()
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "nadir"))
    QgsProject.instance().clear()
    authcfg = auth.store_basic("Nadir test ClearSKY (deliveries)", "", "clearsky-sandbox-key")
    store = st.SettingsStore()
    store.update(
        st.Settings(poll_interval_s=3600, download_folder=str(tmp_path / "downloads")).with_connection(
            st.ProviderConnection("clearsky", urls={"api": sandbox.provider_url("clearsky")}, authcfg=authcfg)
        )
    )
    qgis_iface.messageBar().clearWidgets()
    dock = NadirDock()
    runner = TaskRunner()
    context = PluginContext(qgis_iface, dock, Notifier(qgis_iface.messageBar()), runner, store)
    orders, deliveries = OrdersFeature(context), DeliveriesFeature(context)
    orders.init_gui()
    deliveries.init_gui()
    orders.start()
    wait_until(lambda: orders.presenter.cycles >= 1, what="the first poll")
    yield context, orders, deliveries, sandbox
    deliveries.unload()
    orders.unload()
    runner.cancel_all()
    wait_until(lambda: not runner.running, timeout=30, what="tasks ended")
    dock.deleteLater()
    auth_manager.removeAuthenticationConfig(authcfg)
    QgsProject.instance().clear()


def placed_and_polled(orders, sandbox, complete=True, **options):
    adapter = clearsky(sandbox)
    order_id = place(sandbox, "clearsky", adapter, reference=f"ref-{len(sandbox.requests('/clearsky'))}", **options)
    adapter.close()
    if complete:
        sandbox.advance(2 * 24 * 3600)
    cycles = orders.presenter.cycles
    orders.presenter.refresh()
    wait_until(lambda: orders.presenter.cycles > cycles, what="a poll")
    assert orders.presenter.book.get(("clearsky", order_id)) is not None
    entry = orders.presenter.book.get(("clearsky", order_id))
    wait_until(
        lambda: (
            orders.panel.model.row_of(("clearsky", order_id)) >= 0
            and orders.panel.model.entry(orders.panel.model.row_of(("clearsky", order_id))).order == entry.order
        ),
        what="the panel showing the order as polled",
    )  # the panel renders its rows in a task
    return order_id


def rasters(group):
    return [node.layer() for node in group.findLayers() if isinstance(node.layer(), QgsRasterLayer)]


def test_load_adds_the_order_layers_and_download_only_files(ctx, tmp_path):
    context, orders, deliveries, sandbox = ctx
    order_id = placed_and_polled(orders, sandbox)
    actions = deliveries.actions
    assert orders.panel.select(("clearsky", order_id))
    assert actions.load_button.isEnabled()
    # ClearSKY makes each image on a POST: nothing to read remotely, and Stream says so (issue 16)
    assert not actions.stream_button.isEnabled()
    assert "cannot read it remotely: use Load" in actions.stream_button.toolTip()
    actions.load_button.click()
    assert deliveries.presenter.running(("clearsky", order_id)) and not actions.load_button.isEnabled()
    task = deliveries.presenter.task(("clearsky", order_id))
    assert task in QgsApplication.taskManager().tasks()  # progress shows in QGIS's task manager
    wait_until(lambda: not deliveries.presenter.running(("clearsky", order_id)), what="delivery")
    group = find_order_group(QgsProject.instance(), "clearsky", order_id)
    assert group is not None and len(rasters(group)) == 2 and all(layer.isValid() for layer in rasters(group))
    assert group.name() == f"ClearSKY Vision {order_id[:8]}"  # not placed by Nadir: no cart item name
    assert task.progress() == 100.0
    assert any("2 layers added" in text for text in bar_texts(context.iface.messageBar()))
    folder = tmp_path / "downloads" / f"clearsky_{order_id}"
    assert sorted(p.name for p in folder.glob("*.tif")) == ["composite_2024-01-01.tif", "composite_2024-01-08.tif"]
    assert actions.load_button.isEnabled()

    other = placed_and_polled(orders, sandbox)
    orders.panel.select(("clearsky", other))
    actions.download_button.click()
    wait_until(lambda: not deliveries.presenter.running(("clearsky", other)), what="download")
    assert len(list((tmp_path / "downloads" / f"clearsky_{other}").glob("*.tif"))) == 2
    assert find_order_group(QgsProject.instance(), "clearsky", other) is None  # files only


def test_stream_of_a_clearsky_order_loads_and_says_nothing_was_streamed(ctx):
    from nadir.core.deliveries.plan import Mode

    context, orders, deliveries, sandbox = ctx
    order_id = placed_and_polled(orders, sandbox)
    order = orders.presenter.book.get(("clearsky", order_id)).order
    assert deliveries.presenter.deliver(order, Mode.STREAM, name="Aarhus fields")
    wait_until(lambda: not deliveries.presenter.running(("clearsky", order_id)), what="delivery")
    group = find_order_group(QgsProject.instance(), "clearsky", order_id)
    assert group is not None and len(rasters(group)) == 2
    assert group.name() == f"ClearSKY Vision: Aarhus fields ({order_id[:8]})"  # the cart item's name
    assert any(
        "2 layers added" in t and "nothing could be streamed, the images were downloaded" in t
        for t in bar_texts(context.iface.messageBar())
    ), bar_texts(context.iface.messageBar())


def test_unfinished_orders_cannot_be_delivered_and_say_why(ctx):
    _, orders, deliveries, sandbox = ctx
    order_id = placed_and_polled(orders, sandbox, complete=False)
    orders.panel.select(("clearsky", order_id))
    actions = deliveries.actions
    assert not actions.load_button.isEnabled() and not actions.stream_button.isEnabled()
    assert "Nothing is delivered while the order is Review" in actions.reason.text()
    assert actions.auto_check.isEnabled()


def test_stop_cancels_and_leaves_no_file_under_a_final_name(ctx, tmp_path):
    context, orders, deliveries, sandbox = ctx
    order_id = placed_and_polled(orders, sandbox, aoi=AARHUS_WIDE)
    sandbox.fault(kind="latency", prefix="/clearsky/api/satelliteimages/process", delay=3, times=0)
    orders.panel.select(("clearsky", order_id))
    deliveries.actions.load_button.click()
    assert not deliveries.actions.stop_button.isHidden() and deliveries.actions.stop_button.isEnabled()
    wait_until(lambda: sandbox.requests("/clearsky/api/satelliteimages/process"), what="the download under way")
    deliveries.actions.stop_button.click()
    wait_until(lambda: not deliveries.presenter.running(("clearsky", order_id)), what="cancelled")
    sandbox.clear_faults()
    folder = tmp_path / "downloads" / f"clearsky_{order_id}"
    assert folder.is_dir() and not list(folder.glob("*.tif"))  # it had started, nothing under a final name
    assert find_order_group(QgsProject.instance(), "clearsky", order_id) is None
    assert any("delivery stopped" in text for text in bar_texts(context.iface.messageBar()))


def test_load_when_delivered_loads_by_itself_once_and_is_remembered(ctx):
    _, orders, deliveries, sandbox = ctx
    order_id = placed_and_polled(orders, sandbox, complete=False)
    key = ("clearsky", order_id)
    orders.panel.select(key)
    deliveries.actions.auto_check.setChecked(True)
    assert AutoLoad().enabled(key) and AutoLoad().pending(key)
    assert not deliveries.presenter.running(key)  # still in review: nothing to fetch yet
    sandbox.advance(2 * 24 * 3600)
    cycles = orders.presenter.cycles
    orders.presenter.refresh()
    wait_until(lambda: orders.presenter.cycles > cycles, what="the poll seeing it completed")
    wait_until(lambda: find_order_group(QgsProject.instance(), *key) is not None, what="loaded by itself")
    wait_until(lambda: not deliveries.presenter.running(key), what="delivery ended")
    assert len(rasters(find_order_group(QgsProject.instance(), *key))) == 2
    assert not AutoLoad().pending(key) and AutoLoad().enabled(key)
    cycles = orders.presenter.cycles
    orders.presenter.refresh()
    wait_until(lambda: orders.presenter.cycles > cycles, what="another poll")
    assert not deliveries.presenter.running(key)  # loaded once, not at every poll
    assert deliveries.actions.auto_check.isChecked()


def test_unload_removes_the_row_and_the_stream_preprocessor(ctx):
    context, orders, deliveries, _ = ctx
    assert orders.panel.findChild(type(deliveries.actions), "NadirDeliveryActions") is not None
    deliveries.unload()
    assert deliveries.actions is None and DELIVERIES not in context.services
    assert deliveries.stream_auth is None
    assert ORDERS_PANEL not in context.services.waiting(deliveries)
    deliveries.init_gui()  # loading again after the orders panel exists attaches at once
    assert deliveries.actions is not None  # the fixture unloads it again
