"""Grid presenter, layer and map tool in QGIS with a fake grid provider: zoom threshold,
background fetching, cache hits, stale fetch cancellation, layer features and styles,
clicks on the canvas, zones, covers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import shapely
from qgis.core import QgsCategorizedSymbolRenderer
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest

from nadir.core.errors import InputError, ProviderUnavailable
from nadir.core.models import CellLevel
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.geometry import extent_to_wgs84, point_to_wgs84
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.settings import SettingsStore
from nadir.ui.grid.maptool import GridSelectTool
from nadir.ui.grid.presenter import CHUNK, GridPresenter
from support.fake_grid import FakeGrid
from support.grid_view import MERCATOR, pixel_of, set_view, settle, to_mercator, wait_until

PARIS = (2.35, 48.85)


@pytest.fixture
def env(qgis_iface, clean_settings, empty_project):
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(MERCATOR)
    grid = FakeGrid()
    runner = TaskRunner()
    bar = QgsMessageBar()
    presenter = GridPresenter(canvas, runner, SettingsStore(), Notifier(bar), lambda: grid, empty_project)
    yield SimpleNamespace(canvas=canvas, grid=grid, presenter=presenter, runner=runner, bar=bar, project=empty_project)
    presenter.shutdown()
    runner.cancel_all()
    wait_until(lambda: not runner.running, what="tasks to end")


def loaded(env):
    wait_until(lambda: not env.presenter.busy and env.presenter.layer.displayed, what="grid loaded")
    return env.presenter.layer.layer


def features(layer):
    return {f["guid"]: f for f in layer.getFeatures()}


def test_extent_and_point_bridge(qgis_canvas):
    set_view(qgis_canvas, *PARIS, 500_000)
    box = extent_to_wgs84(qgis_canvas.extent(), MERCATOR)
    assert box.contains(shapely.Point(*PARIS))
    lon, lat = point_to_wgs84(to_mercator(3.0, 45.0), MERCATOR)
    assert (lon, lat) == pytest.approx((3.0, 45.0))


def test_zoomed_out_nothing_is_fetched_and_the_hint_says_why(env):
    set_view(env.canvas, *PARIS, 5_000_000)
    env.presenter.activate()
    layer = env.presenter.layer.layer
    assert layer is not None and layer.hasScaleBasedVisibility() and layer.minimumScale() == 1_500_000
    assert env.presenter.zoomed_in is False and env.presenter.scale > 1_500_000
    settle(0.3)
    assert env.grid.count("tiles") == 0 and layer.featureCount() == 0
    set_view(env.canvas, *PARIS, 1_000_000)  # crossing the threshold loads the grid by itself
    layer = loaded(env)
    assert env.presenter.zoomed_in and env.grid.count("tiles") == 1
    assert layer.isInScaleRange(env.canvas.scale())


def test_grid_loads_in_a_task_and_fills_the_layer_with_cell_attributes(env):
    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.activate()
    assert env.presenter.busy  # the fetch runs in the background; the call returned at once
    layer = loaded(env)
    rows = features(layer)
    assert rows and all(f["level"] == "tile" and f["state"] == "unselected" for f in rows.values())
    sample = next(iter(rows.values()))
    assert sample["zone"] == "31N" and sample["epsg"] == 32631 and sample["area_km2"] > 1000
    assert layer.crs().authid() == "EPSG:4326" and layer.readOnly()
    view = extent_to_wgs84(env.canvas.extent(), MERCATOR)
    for f in rows.values():
        assert shapely.from_wkt(f.geometry().asWkt()).intersects(view)
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "style"
    values = {c.value() for c in renderer.categories()}
    for state in ("selected", "unselected", "disabled", "splitting"):
        assert {f"{state}-tile", f"{state}-minitile"} <= values
    assert {f["style"] for f in rows.values()} == {"unselected-tile"}
    categories = renderer.categories()  # keep the copies alive while their symbols are read
    fill_alpha = {c.value(): c.symbol().color().alpha() for c in categories}
    assert fill_alpha["selected-tile"] > 0 and fill_alpha["unselected-tile"] == 0
    assert env.presenter.zones() == [(32631, True)]


def test_panning_back_is_a_cache_hit_and_costs_no_request(env):
    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.activate()
    loaded(env)
    first = set(env.presenter.layer.displayed)
    set_view(env.canvas, 10.0, 48.85, 1_000_000)  # far east: a miss
    env.presenter.refresh_view()
    wait_until(
        lambda: (
            not env.presenter.busy
            and any(env.presenter.store.cell(g).epsg == 32632 for g in env.presenter.layer.displayed)
        )
    )
    calls = env.grid.count("tiles")
    hits = env.presenter.cache.hits
    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.refresh_view()
    assert not env.presenter.busy  # no task started
    assert env.presenter.layer.displayed == first
    assert env.grid.count("tiles") == calls and env.presenter.cache.hits == hits + 1


def test_a_fetch_for_a_view_left_behind_is_cancelled(env):
    env.grid.delay = 0.6
    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.activate()
    first_task = env.presenter._fetch[0]
    set_view(env.canvas, 20.0, 50.0, 1_000_000)  # far away before the first answer
    env.presenter.refresh_view()
    assert first_task.isCanceled() and first_task.silenced
    env.grid.delay = 0.0
    loaded(env)
    wait_until(lambda: not env.presenter.busy)
    assert {env.presenter.store.cell(g).epsg for g in env.presenter.layer.displayed} == {32634}


def test_a_provider_failure_is_shown_and_retried_on_the_next_view(env):
    env.grid.fail_next = ProviderUnavailable("ClearSKY Vision did not answer (timeout).")
    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.activate()
    wait_until(lambda: env.presenter.problem, what="the problem")
    assert "did not answer" in env.presenter.problem and not env.presenter.layer.displayed
    set_view(env.canvas, 2.4, 48.9, 1_000_000)
    env.presenter.refresh_view()
    loaded(env)
    assert env.presenter.problem == ""


def test_two_thousand_cells_are_added_to_the_layer_in_chunks(env, monkeypatch):
    env.grid.tile_deg = 0.035  # small tiles: about 2,100 in view
    added = []
    sync = env.presenter.layer.sync

    repaints = []

    def spy(wanted, store, repaint=True):
        result = sync(wanted, store, repaint)
        added.append(result[0])
        repaints.append(repaint)
        return result

    env.presenter.layer.sync = spy
    import gc

    from nadir.core.collector import paused
    from nadir.ui.grid import layer as layer_module

    collector = []  # the features are made with full collections paused (then due again)
    real_many_to_qgs = layer_module.many_to_qgs
    monkeypatch.setattr(layer_module, "many_to_qgs", lambda g: (collector.append(paused()), real_many_to_qgs(g))[1])
    set_view(env.canvas, *PARIS, 1_400_000)
    env.presenter.activate()
    wait_until(
        lambda: not env.presenter.busy and not env.presenter._more.isActive() and env.presenter.layer.displayed,
        timeout=120,
    )
    shown = env.presenter.layer.displayed
    assert len(shown) > CHUNK and len(shown) == env.presenter.layer.layer.featureCount()
    assert max(added) <= CHUNK and sum(added) == len(shown)
    assert repaints[-1] is True and repaints.count(False) >= 1  # one redraw once all cells are in
    assert shown == set(env.presenter._wanted(env.presenter._view)[0])
    assert collector and all(collector) and not paused() and gc.isenabled()


def test_clicks_select_split_and_merge_through_the_map_tool(env, qgis_canvas):
    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.activate()
    layer = loaded(env)
    tool = GridSelectTool(env.canvas, env.presenter, env.presenter.notifier)
    env.canvas.setMapTool(tool)
    viewport = env.canvas.viewport()
    tile = env.presenter.cell_at(*PARIS)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pixel_of(env.canvas, *PARIS))
    assert env.presenter.selection.is_selected(tile)
    assert features(layer)[tile]["state"] == "selected" and features(layer)[tile]["style"] == "selected-tile"
    # right-click on the selected tile: split into minitiles, all selected
    QTest.mouseClick(viewport, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, pixel_of(env.canvas, *PARIS))
    wait_until(lambda: env.presenter.selection.is_split(tile), what="split")
    rows = features(layer)
    minis = env.presenter.selection.minitiles_of(tile)
    assert tile not in rows and all(rows[m]["state"] == "selected" and rows[m]["parent"] == tile for m in minis)
    # left-click a minitile: unselected
    mini = env.presenter.cell_at(*PARIS)
    assert mini in minis
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pixel_of(env.canvas, *PARIS))
    assert features(layer)[mini]["state"] == "unselected"
    # right-click a minitile: a menu; its merge action brings the tile back, selected (others were)
    menu = tool.menu_for(mini)
    merge = next(a for a in menu.actions() if a.objectName() == "NadirGridMerge")
    assert "15 of 16" in merge.text()
    merge.trigger()
    rows = features(layer)
    assert rows[tile]["state"] == "selected" and not any(m in rows for m in minis)
    env.canvas.unsetMapTool(tool)


def test_splitting_an_unselected_tile_gives_unselected_minitiles_and_uses_the_cache_next_time(env):
    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.activate()
    loaded(env)
    tile = env.presenter.cell_at(*PARIS)
    env.presenter.split(tile)
    assert env.presenter.layer.state(tile) == "splitting"
    wait_until(lambda: env.presenter.selection.is_split(tile))
    minis = env.presenter.selection.minitiles_of(tile)
    assert all(env.presenter.layer.state(m) == "unselected" for m in minis)
    env.presenter.merge(tile)
    assert env.presenter.layer.state(tile) == "unselected"
    calls = env.grid.count("minitiles")
    env.presenter.split(tile)  # cached: immediate, no request
    assert env.presenter.selection.is_split(tile) and env.grid.count("minitiles") == calls


def test_zone_switches_restyle_and_block_selection_where_zones_overlap(env):
    set_view(env.canvas, 6.0, 47.0, 1_000_000)  # on the 31N/32N boundary
    env.presenter.activate()
    loaded(env)
    assert [z for z, _ in env.presenter.zones()] == [32631, 32632]
    # in the overlap strip the own band's zone wins the click
    assert env.presenter.store.cell(env.presenter.cell_at(5.9, 47.0)).epsg == 32631
    assert env.presenter.store.cell(env.presenter.cell_at(6.1, 47.0)).epsg == 32632
    env.presenter.set_zone_enabled(32632, False)
    states = {g: env.presenter.layer.state(g) for g in env.presenter.layer.displayed}
    assert {s for g, s in states.items() if env.presenter.store.cell(g).epsg == 32632} == {"disabled"}
    # with 32N off, 31N's transition tile is picked at 6.1°E
    picked = env.presenter.cell_at(6.1, 47.0)
    assert env.presenter.store.cell(picked).epsg == 32631
    off = next(g for g in env.presenter.layer.displayed if env.presenter.store.cell(g).epsg == 32632)
    with pytest.raises(InputError, match="32N is switched off"):
        env.presenter.toggle(off)
    assert (32632, False) in env.presenter.zones()


def test_cover_runs_in_a_task_and_selects_minitiles_with_the_ratio(env):
    set_view(env.canvas, 3.1, 45.3, 800_000)
    env.presenter.activate()
    loaded(env)
    results = []
    env.presenter.covers.done.connect(results.append)
    changes = []
    env.presenter.service.selection_changed.connect(lambda: changes.append(1))
    aoi = shapely.Polygon([(2.9, 45.1), (3.7, 45.15), (3.3, 45.8)])
    env.presenter.covers.cover(aoi, CellLevel.MINITILE)
    assert env.presenter.busy
    wait_until(lambda: results, what="cover result")
    result = results[0]
    assert result.level is CellLevel.MINITILE and 1.0 < result.ratio < 2.0 and result.complete
    cells = env.presenter.service.selected_cells()
    assert {c.guid for c in cells} == set(result.guids)
    assert env.presenter.service.summary().minitiles == len(result.guids) and changes
    shown = env.presenter.layer.displayed
    assert any(g in shown for g in result.guids)  # drawn as selected minitiles
    assert env.project.isDirty()


def test_settings_changes_apply_the_threshold_and_refresh_a_changed_connection(env):
    from nadir.toolbelt import settings as st

    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.activate()
    loaded(env)
    store = env.presenter.settings
    calls = env.grid.count("tiles")
    store.update(st.Settings(grid_max_scale=800_000.0))  # not the connection: the cache stays
    env.presenter.settings_changed()
    assert env.presenter.layer.layer.minimumScale() == 800_000
    env.presenter.refresh_view()
    assert env.presenter.zoomed_in is False and env.grid.count("tiles") == calls
    connection = st.ProviderConnection("clearsky", urls={"api": "http://127.0.0.1:9/other"}, authcfg="abc1234")
    store.update(st.Settings(grid_max_scale=2_000_000.0).with_connection(connection))
    env.presenter.settings_changed()
    assert len(env.presenter.store) == 0  # a new connection: nothing cached is trusted
    env.presenter.refresh_view()
    loaded(env)
    assert env.grid.count("tiles") == calls + 1 and env.grid.count("close") >= 1


def test_removing_the_grid_layer_leaves_grid_mode_and_keeps_the_selection(env):
    set_view(env.canvas, *PARIS, 1_000_000)
    env.presenter.activate()
    loaded(env)
    tile = env.presenter.cell_at(*PARIS)
    env.presenter.toggle(tile)
    statuses = []
    env.presenter.status_changed.connect(lambda: statuses.append(env.presenter.active))
    env.project.removeMapLayer(env.presenter.layer.layer.id())
    assert env.presenter.active is False and statuses and statuses[-1] is False
    assert [c.guid for c in env.presenter.service.selected_cells()] == [tile]
    set_view(env.canvas, 2.5, 48.9, 1_000_000)
    settle(0.3)
    assert not env.presenter.busy  # no longer following the view
    env.presenter.activate()
    loaded(env)
    assert env.presenter.layer.state(tile) == "selected"


def test_a_large_cover_is_applied_over_several_event_loop_turns_with_the_same_result(env, monkeypatch):
    from nadir.ui.grid import cover as cover_module

    aoi = shapely.Polygon([(2.9, 45.1), (3.7, 45.15), (3.3, 45.8)])
    results = []
    env.presenter.covers.done.connect(results.append)
    env.presenter.covers.cover(aoi, CellLevel.MINITILE)
    wait_until(lambda: results, what="cover")
    whole = set(env.presenter.selection.selected_guids())
    env.presenter.clear_selection()
    monkeypatch.setattr(cover_module, "TILES_PER_STEP", 1)
    steps = []
    original = env.presenter.covers._next_step
    monkeypatch.setattr(env.presenter.covers, "_next_step", lambda: (steps.append(1), original()))
    env.presenter.covers._step_timer.timeout.disconnect()
    env.presenter.covers._step_timer.timeout.connect(env.presenter.covers._next_step)
    env.presenter.covers.cover(aoi, CellLevel.MINITILE)
    wait_until(lambda: len(results) == 2, what="second cover")
    assert set(env.presenter.selection.selected_guids()) == whole
    assert len(steps) == 2 + len({env.presenter.store.cell(g).parent for g in whole})  # store, one per tile, finish


def test_cover_parts_are_worked_out_step_by_step_and_add_up_to_the_cover(monkeypatch):
    from nadir.core.grid.cover import CoverResult
    from nadir.ui.grid import cover as cover_module

    monkeypatch.setattr(cover_module, "TILES_PER_STEP", 2)
    lists = {f"t{t}": [f"m{t}-{k}" for k in range(4)] for t in range(5)}
    picked = tuple(m for minis in lists.values() for m in minis[1:3])
    result = CoverResult(level=CellLevel.MINITILE, guids=picked, aoi_km2=10.0, cells_km2=12.0, covered_km2=10.0)
    parts = cover_module._chunks(result, lists)
    assert len(parts) == 3 and all(callable(p) for p in parts)
    made = [p() for p in parts]
    assert [list(part_lists) for _, part_lists in made] == [["t0", "t1"], ["t2", "t3"], ["t4"]]
    assert [m for part, _ in made for m in part.guids] == list(picked)
    for part, part_lists in made:
        assert set(part.guids) <= {m for minis in part_lists.values() for m in minis}
        assert part.aoi_km2 == 10.0 and part.level is CellLevel.MINITILE
    tile_result = CoverResult(level=CellLevel.TILE, guids=("t0",), aoi_km2=1.0, cells_km2=1.0, covered_km2=1.0)
    assert [p() for p in cover_module._chunks(tile_result, {})] == [(tile_result, {})]
