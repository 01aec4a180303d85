"""The grid layer fed by a worker: the features of a view's new cells are built in a task
and only added on the GUI thread; a build the view has moved on from is dropped; clicks
during a build restyle at once. Real layer, real task manager, fake grid provider."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
import shapely
from qgis.gui import QgsMessageBar

from nadir.tasks.base import TaskRunner
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.settings import SettingsStore
from nadir.ui.grid import layer as layer_module
from nadir.ui.grid import presenter as presenter_module
from nadir.ui.grid.presenter import BUILD_HERE, GridPresenter
from support.fake_grid import FakeGrid
from support.grid_view import MERCATOR, set_view, wait_until

PARIS = (2.35, 48.85)
EAST = (10.0, 48.85)  # another zone, no cell in common with Paris


@pytest.fixture
def env(qgis_iface, clean_settings, empty_project, monkeypatch):
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(MERCATOR)
    grid = FakeGrid(tile_deg=0.035)  # small tiles: about 2,000 in a view at 1:1,400,000
    runner = TaskRunner()
    presenter = GridPresenter(canvas, runner, SettingsStore(), Notifier(QgsMessageBar()), lambda: grid, empty_project)
    builds = []  # (thread, number of cells, cells built) of every build_features call
    real = layer_module.build_features

    def spy(fields, cells, cancelled=lambda: False):
        built = real(fields, cells, cancelled)
        builds.append((threading.get_ident(), len(cells), len(built)))
        return built

    monkeypatch.setattr(layer_module, "build_features", spy)  # the GUI thread's builds (GridLayer.sync)
    monkeypatch.setattr(presenter_module, "build_features", spy)  # the task's
    offered = []  # GUIDs of every set of built features handed to the layer
    offer = presenter.layer.offer
    presenter.layer.offer = lambda built: (offered.append(set(built)), offer(built))[1]
    yield SimpleNamespace(
        canvas=canvas,
        grid=grid,
        presenter=presenter,
        runner=runner,
        builds=builds,
        offered=offered,
        real=real,
        project=empty_project,
    )
    presenter.shutdown()
    runner.cancel_all()
    wait_until(lambda: not runner.running, what="tasks to end")


def settled(env):
    presenter = env.presenter
    wait_until(
        lambda: (
            not presenter.busy
            and not presenter._more.isActive()
            and not presenter._debounce.isActive()
            and presenter.layer.displayed
        ),
        timeout=120,
        what="the grid drawn",
    )
    return presenter


def test_a_view_of_two_thousand_cells_is_built_in_a_task_and_only_added_on_the_gui_thread(env):
    gui = threading.get_ident()
    set_view(env.canvas, *PARIS, 1_400_000)
    env.presenter.activate()
    presenter = settled(env)
    wanted = presenter._wanted(presenter._view)[0]
    assert len(wanted) > BUILD_HERE
    # every feature came from a worker thread; the GUI thread built none
    assert env.builds and all(thread != gui for thread, _, _ in env.builds)
    assert sum(n for _, _, n in env.builds) == len(wanted)
    layer = presenter.layer.layer
    rows = {f["guid"]: f for f in layer.getFeatures()}
    assert set(rows) == set(presenter.layer.displayed) == set(wanted) and layer.featureCount() == len(wanted)
    for guid, feature in rows.items():  # the right cells, with their own footprints and attributes
        cell = presenter.store.cell(guid)
        assert feature["level"] == "tile" and feature["epsg"] == cell.epsg == 32631 and feature["zone"] == "31N"
        assert feature["state"] == "unselected" and feature["style"] == "unselected-tile"
        assert feature["area_km2"] == pytest.approx(presenter.store.area_km2(guid))
        assert shapely.from_wkt(feature.geometry().asWkt()).equals_exact(presenter.store.geometry(guid), 1e-9)


def test_a_build_the_view_moved_on_from_is_dropped_never_applied(env, monkeypatch):
    """The build for Paris has finished in its task, but the view moves east before the
    GUI thread hears of it: its features must never reach the layer."""
    set_view(env.canvas, *EAST, 1_400_000)  # cache the east first, so the second view needs no fetch
    env.presenter.activate()
    settled(env)
    east = set(env.presenter.layer.displayed)
    gate = threading.Event()

    def gated(fields, cells, cancelled=lambda: False):
        gate.wait(30)
        return env.real(fields, cells)  # as if the move came too late to stop the work

    monkeypatch.setattr(presenter_module, "build_features", gated)
    set_view(env.canvas, *PARIS, 1_400_000)
    env.presenter.refresh_view()
    wait_until(lambda: env.presenter._build is not None, timeout=60, what="a build for Paris")
    paris_task = env.presenter._build[0]
    paris = set(env.presenter._build[1])
    assert paris and not paris & east
    gate.set()
    deadline = time.monotonic() + 60
    while paris_task.result is None and time.monotonic() < deadline:
        time.sleep(0.01)  # no event processed: the GUI thread does not hear of the result
    time.sleep(0.2)  # the task has ended; its result is queued for the GUI thread
    offered_before = len(env.offered)

    set_view(env.canvas, *EAST, 1_400_000)  # no event processed in between
    env.presenter.refresh_view()
    presenter = settled(env)
    assert paris_task.result and set(paris_task.result) == paris  # the stale result was there ...
    assert not any(guids & paris for guids in env.offered[offered_before:])  # ... and never handed over
    shown = set(presenter.layer.displayed)
    assert shown == set(presenter._wanted(presenter._view)[0]) and shown & east and not shown & paris
    assert {f["guid"] for f in presenter.layer.layer.getFeatures()} == shown


def test_a_click_while_the_view_is_being_built_restyles_at_once_and_keeps_the_build(env, monkeypatch):
    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.activate()
    presenter = settled(env)
    tile = presenter.cell_at(*PARIS)
    gate = threading.Event()

    def slow(fields, cells, cancelled=lambda: False):
        gate.wait(30)
        return env.real(fields, cells, cancelled)

    monkeypatch.setattr(presenter_module, "build_features", slow)
    set_view(env.canvas, 2.45, 48.95, 1_400_000)  # zoomed out: about 2,000 cells, Paris's still among them
    presenter.refresh_view()
    wait_until(lambda: presenter._build is not None, timeout=60, what="a build")
    task = presenter._build[0]
    assert tile in presenter.layer.displayed  # the cells shown stay until the new ones arrive
    presenter.toggle(tile)
    assert presenter.layer.state(tile) == "selected"  # at once, not after the build
    assert {f["guid"]: f["state"] for f in presenter.layer.layer.getFeatures()}[tile] == "selected"
    assert presenter._build is not None and presenter._build[0] is task  # the build goes on
    gate.set()
    settled(env)
    assert presenter.layer.state(tile) == "selected"
    shown = set(presenter.layer.displayed)
    assert shown == set(presenter._wanted(presenter._view)[0]) and len(shown) > BUILD_HERE
