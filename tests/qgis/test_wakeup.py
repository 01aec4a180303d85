"""The wake-up policy (ui/wakeup.py): opening the dock builds the features in steps,
one per event-loop turn, so the GUI never waits for all of them at once; entry points
that need a feature at once still get it in the same call."""

from __future__ import annotations

from qgis.core import QgsProject
from qgis.PyQt.QtWidgets import QApplication

from nadir.plugin import NadirPlugin
from nadir.ui.features import FEATURES

EAGER = ["DeliveriesFeature", "IntegrationFeature"]
EVERY = [name for _, name, eager in FEATURES if eager] + [name for _, name, eager in FEATURES if not eager]
SECTIONS = ["aois", "grid", "cart", "search", "tasking", "orders"]


def started(qgis_iface, tmp_path, monkeypatch) -> NadirPlugin:
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    QgsProject.instance().clear()
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    return plugin


def names(plugin: NadirPlugin) -> list[str]:
    return [type(f).__name__ for f in plugin.features]


def test_opening_the_dock_builds_one_feature_per_turn(qgis_iface, clean_settings, tmp_path, monkeypatch):
    plugin = started(qgis_iface, tmp_path, monkeypatch)
    try:
        woke = []
        plugin.action.trigger()  # the toolbar button
        plugin.wake(then=lambda: woke.append(names(plugin)))
        assert names(plugin) == EAGER and not plugin.active  # nothing built in the click itself
        assert not plugin.dock.isHidden()  # the dock shows at once, its sections follow
        seen = [len(plugin.features)]
        wakeup = plugin.wakeup
        while not plugin.active:  # one turn at a time, as the event loop runs them
            wakeup._step()
            seen.append(len(plugin.features))
        steps = [b - a for a, b in zip(seen, seen[1:])]
        assert max(steps) == 1, seen  # never two features in one turn
        assert woke == [EVERY]  # then() ran once, with everything built
        assert plugin.dock.section_keys == SECTIONS
    finally:
        plugin.unload()


def test_wake_then_runs_at_once_when_awake(qgis_iface, clean_settings, tmp_path, monkeypatch):
    plugin = started(qgis_iface, tmp_path, monkeypatch)
    try:
        plugin.activate()
        called = []
        plugin.wake(then=lambda: called.append(True))
        assert called == [True]
    finally:
        plugin.unload()


def test_an_entry_point_gets_everything_at_once_mid_wake(qgis_iface, clean_settings, tmp_path, monkeypatch):
    plugin = started(qgis_iface, tmp_path, monkeypatch)
    try:
        woke = []
        plugin.wake(then=lambda: woke.append(True))
        wakeup = plugin.wakeup
        while len(plugin.features) < len(EAGER) + 2:  # part of the way
            wakeup._step()
        assert not plugin.active
        plugin.ctx.wake()  # the layer menu, a drop on the map: they need the AOI import now
        assert plugin.active and names(plugin) == EVERY  # each feature once, in order
        assert plugin.dock.section_keys == SECTIONS
        assert woke == [True]
        for _ in range(5):  # the step still scheduled finds nothing left to do
            QApplication.processEvents()
        assert names(plugin) == EVERY and woke == [True]
    finally:
        plugin.unload()


def test_unload_in_the_middle_of_a_wake_up_leaves_nothing(qgis_iface, clean_settings, tmp_path, monkeypatch):
    plugin = started(qgis_iface, tmp_path, monkeypatch)
    plugin.wake()
    wakeup = plugin.wakeup
    while len(plugin.features) < len(EAGER) + 1:
        wakeup._step()
    plugin.unload()
    for _ in range(5):
        QApplication.processEvents()
    assert plugin.features == [] and not plugin.active and wakeup.features == []
    plugin.initGui()  # and it starts again
    plugin.activate()
    assert names(plugin) == EVERY
    plugin.unload()


def test_the_shared_tls_context_is_built_on_a_worker_a_second_after_waking(
    qgis_iface, clean_settings, tmp_path, monkeypatch
):
    """Built per client it cost ~125 ms of the GUI thread in each search and quicklook task."""
    from nadir.toolbelt import http

    built = []
    monkeypatch.setattr(http, "_build_ssl_context", lambda pems: built.append(len(pems)) or object())
    monkeypatch.setattr(http, "_CONTEXT", {})
    plugin = started(qgis_iface, tmp_path, monkeypatch)
    wakeup = plugin.wakeup
    try:
        plugin.activate()
        assert built == [] and plugin.wakeup._providers_thread is None  # not in the wake-up itself
        plugin.wakeup._providers_timer.timeout.emit()  # the timer, a second later
        plugin.wakeup._providers_thread.join(10)
        assert built == [len(http.trusted_ca_pem())]
        assert http.ssl_context() is http.ssl_context()  # the one built, shared, not built again
        assert len(built) == 1
    finally:
        plugin.unload()
    assert wakeup._providers_thread is None and not wakeup._providers_timer.isActive()
