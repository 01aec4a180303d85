"""Tasks under outside audit (issue 15 item 5).

B18: a task whose own work raises (a bug, not a provider error) logs the traceback,
shows a generic message, and QGIS and the plugin carry on.
B25: unloading the plugin while tasks run cancels them, calls none of their callbacks,
crashes nothing and leaves nothing connected.
"""

from __future__ import annotations

import logging
import time
from datetime import date

import pytest
from qgis.core import QgsApplication, QgsProject, QgsTask
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtWidgets import QApplication

from nadir.core.models import ClearSkySpec
from nadir.core.ordering.cart import EstimateState
from nadir.core.ordering.outbox import FAILED, PLACED
from nadir.plugin import NadirPlugin
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.notify import Notifier
from support.cart_harness import AOI, Adapters, provider_orders, start, wait_until
from support.qgis_wait import bar_texts

GENERIC = "Something went wrong inside Nadir"


# ------------------------------------------------------------------ B18
def test_B18_a_task_that_raises_logs_its_traceback_and_shows_a_generic_message(qgis_app, caplog):
    bar = QgsMessageBar()
    notifier = Notifier(bar)
    runner = TaskRunner()
    results: list[object] = []

    def broken(_ctx):
        return {"a": 1}["missing"]  # a bug in Nadir's own code, not a provider error

    with caplog.at_level(logging.DEBUG, logger="nadir"):
        task = runner.run(
            "Broken work",
            broken,
            on_done=results.append,
            on_error=lambda error: (results.append(error), notifier.exception(error, "Broken work")),
        )
        wait_until(lambda: results, 30)
    [error] = results
    assert isinstance(error, KeyError)
    assert "Traceback" in caplog.text and "KeyError" in caplog.text and "Broken work crashed" in caplog.text
    shown = " ".join(bar_texts(bar))
    assert GENERIC in shown and "missing" not in shown and "KeyError" not in shown
    assert task.status() == QgsTask.TaskStatus.Terminated
    # QGIS carries on: the task manager runs the next task
    runner.run("Next", lambda _ctx: 42, on_done=results.append)
    wait_until(lambda: 42 in results, 30)


@pytest.fixture
def harness(qgis_iface, sb, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "profile-nadir"))
    qgis_iface.messageBar().clearWidgets()
    h = start(qgis_iface, Adapters(sb))
    yield h
    h.unload()


def test_B18_a_placement_task_whose_own_code_raises_fails_that_row_generically_and_nadir_carries_on(
    harness, sb, monkeypatch, caplog
):
    from nadir.core.ordering import checkout

    h = harness
    spec = ClearSkySpec(
        model="Stratus2",
        constellations=("Sentinel2",),
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        frequency_days=7,
        api_requests=1,
        aoi=AOI,
    )
    item = h.cart.add(spec, title="Field")
    wait_until(lambda: h.cart.item(item.id).state(h.cart.now()) is EstimateState.FRESH)

    def bug(*_args, **_kwargs):
        raise ZeroDivisionError("a bug before anything is sent")

    monkeypatch.setattr(checkout, "place", bug)
    dialog = h.feature.open_checkout()
    dialog.confirm_box.setChecked(True)
    with caplog.at_level(logging.DEBUG, logger="nadir"):
        dialog.place_button.click()
        wait_until(lambda: dialog.row_status(item.id)[0] == FAILED, 30)
    text = dialog.row_status(item.id)[1]
    assert GENERIC in text and "ZeroDivisionError" not in text and "a bug" not in text
    assert "Traceback" in caplog.text and "ZeroDivisionError" in caplog.text
    assert provider_orders(sb) == [] and [i.id for i in h.cart.items] == [item.id]
    monkeypatch.undo()  # the bug is gone: the same row places normally
    dialog.retry_button(item.id).click()
    wait_until(lambda: dialog.row_status(item.id)[0] == PLACED, 30)
    assert len(provider_orders(sb)) == 1


# ------------------------------------------------------------------ B25
def test_B25_unload_while_tasks_run_cancels_them_crashes_nothing_and_leaves_nothing_connected(
    qgis_iface, clean_settings, tmp_path, monkeypatch
):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    plugin.activate()
    wakeup = plugin.wakeup  # the wake-up policy (ui/wakeup.py) listens to project reads
    called: list[object] = []
    started: list[bool] = []

    def slow(ctx):
        started.append(True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ctx.check()  # raises OperationCancelled once unload cancels the task
            time.sleep(0.01)
        return "finished"

    tasks = [plugin.runner.run(f"Slow {n}", slow, on_done=called.append, on_error=called.append) for n in range(3)]
    ended: list[int] = []
    for n, task in enumerate(tasks):
        task.taskTerminated.connect(lambda n=n: ended.append(n))
        task.taskCompleted.connect(lambda n=n: ended.append(-1 - n))
    wait_until(lambda: started, 30)  # the pool may run fewer at once (2 cores): the rest are queued
    features = list(plugin.features)
    cart = next(f for f in features if type(f).__name__ == "CartFeature")
    project = QgsProject.instance()

    plugin.unload()
    for task in tasks:
        assert task.isCanceled()
    wait_until(lambda: len(ended) == 3, 30)
    assert sorted(ended) == [0, 1, 2], "every task ended cancelled (terminated), none completed"
    for _ in range(5):
        QApplication.processEvents()
    assert called == [], "no callback reaches the unloaded plugin's widgets"
    assert plugin.runner is None and plugin.ctx is None and plugin.features == [] and plugin.dock is None
    wait_until(lambda: QgsApplication.taskManager().countActiveTasks() == 0, 30)
    # nothing left connected: each disconnect now fails because there is nothing to disconnect
    for signal, slot in (
        (project.readProject, wakeup._project_read),
        (project.readProject, cart._read_project),
        (project.writeProject, cart._write_project),
    ):
        with pytest.raises(TypeError):
            signal.disconnect(slot)
    # and loading again works
    again = NadirPlugin(qgis_iface)
    again.initGui()
    again.unload()


def test_a_cart_feature_that_could_not_start_unloads_cleanly(qgis_iface, clean_settings, tmp_path, monkeypatch, caplog):
    """Found with the audit's damaged cart header: a feature stopped half-way through
    init_gui must still unload without an error (and leave nothing connected)."""
    from nadir.core.errors import StorageError
    from nadir.core.ordering.cart_store import CartStore

    def unreadable(self):
        raise StorageError("The cart folder cannot be read.")

    monkeypatch.setattr(CartStore, "load", unreadable)
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    qgis_iface.messageBar().clearWidgets()
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    plugin.activate()
    assert any("could not start (CartFeature)" in t for t in bar_texts(qgis_iface.messageBar()))
    cart = next(f for f in plugin.features if type(f).__name__ == "CartFeature")
    with caplog.at_level(logging.DEBUG, logger="nadir"):
        plugin.unload()
    assert "Unloading CartFeature failed" not in caplog.text
    with pytest.raises(TypeError):
        QgsProject.instance().readProject.disconnect(cart._read_project)
    qgis_iface.messageBar().clearWidgets()
