"""The existing-orders overlay's filters come back after a restart (issue 16 item 8)."""

from __future__ import annotations

from datetime import date

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QDate

from nadir.core.orders.book import OrderBook
from nadir.core.orders.filters import DateMode, OrderFilterSpec, StatusGroup
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.orders.view_state import load_overlay_filter, save_overlay_filter
from nadir.toolbelt.settings import SettingsStore
from nadir.ui.dock import NadirDock
from nadir.ui.feature import PluginContext
from nadir.ui.orders import feature as orders_feature
from support.orders_data import order
from support.qgis_wait import wait_until

A = "1a2b3c4d-0000-4000-8000-000000000001"
B = "5e6f7a8b-0000-4000-8000-000000000002"


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


def started(ctx):
    feature = orders_feature.OrdersFeature(ctx)
    feature.init_gui()
    feature.start()
    wait_until(lambda: feature.rendered >= 1, what="the first render")
    return feature


def test_overlay_filters_survive_a_restart(ctx, tmp_path):
    book = OrderBook(path=tmp_path / "nadir" / "orders.json")
    book.apply_listing("clearsky", [order(A, model="Stratus2"), order(B, model="Nimbus1")])
    book.save()
    feature = started(ctx)
    controls = feature.panel.overlay_controls
    assert controls.spec() == OrderFilterSpec()  # first start: the defaults
    controls.model_combo.setCurrentIndex(controls.model_combo.findData("Nimbus1"))
    controls.status_combo.setCurrentIndex(controls.status_combo.findData(StatusGroup.LIVE.value))
    controls.from_box.setChecked(True)
    controls.from_edit.setDate(QDate(2025, 2, 1))
    controls.mode_combo.setCurrentIndex(controls.mode_combo.findData(DateMode.WITHIN.value))
    wanted = controls.spec()
    feature.unload()

    feature = started(ctx)  # as after restarting QGIS
    assert feature.panel.overlay_controls.spec() == wanted
    assert wanted.models == frozenset({"Nimbus1"}) and wanted.date_from == date(2025, 2, 1)
    assert feature.overlay.spec == wanted  # and the layer is filtered by it
    feature.unload()


def test_a_damaged_saved_filter_gives_the_defaults(qgis_app, clean_settings):
    from qgis.core import QgsSettings

    save_overlay_filter(OrderFilterSpec(status=StatusGroup.COMPLETED))
    assert load_overlay_filter().status is StatusGroup.COMPLETED
    QgsSettings().setValue("Nadir/orders/overlay_filter", '{"status": "nonsense", "date_from": "2025-13-40"')
    assert load_overlay_filter() == OrderFilterSpec()
