"""The tile grid does not flicker on and off when the scale wobbles around the threshold
(issue 16 item 8): shown from the threshold on, hidden only well past it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from qgis.gui import QgsMessageBar

from nadir.tasks.base import TaskRunner
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.settings import SettingsStore
from nadir.ui.grid.presenter import HYSTERESIS, GridPresenter
from support.fake_grid import FakeGrid
from support.grid_view import MERCATOR, set_view, wait_until

PARIS = (2.35, 48.85)


@pytest.fixture
def env(qgis_iface, clean_settings, empty_project):
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(MERCATOR)
    grid = FakeGrid()
    runner = TaskRunner()
    presenter = GridPresenter(canvas, runner, SettingsStore(), Notifier(QgsMessageBar()), lambda: grid, empty_project)
    yield SimpleNamespace(canvas=canvas, grid=grid, presenter=presenter, runner=runner)
    presenter.shutdown()
    runner.cancel_all()
    wait_until(lambda: not runner.running, what="tasks to end")


def shown(env, scale):
    set_view(env.canvas, *PARIS, scale)
    env.presenter.refresh_view()
    layer = env.presenter.layer.layer
    return env.presenter.zoomed_in, layer.isInScaleRange(env.canvas.scale())


def test_the_grid_shows_at_the_threshold_and_hides_only_well_past_it(env):
    threshold = env.presenter.threshold
    set_view(env.canvas, *PARIS, threshold * 2)
    env.presenter.activate()
    assert shown(env, threshold * 1.05) == (False, False)  # coming from further out: not yet
    assert shown(env, threshold * 0.98) == (True, True)
    for wobble in (1.02, 0.99, 1.1, 0.97, 1.2):  # around the threshold: it stays
        assert shown(env, threshold * wobble) == (True, True), wobble
    assert shown(env, threshold * HYSTERESIS * 1.1) == (False, False)  # really zoomed out: hidden
    assert shown(env, threshold * 1.1) == (False, False)  # and back in only at the threshold
    assert shown(env, threshold * 0.9) == (True, True)
