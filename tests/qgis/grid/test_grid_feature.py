"""The grid feature end to end in QGIS with the real ClearSKY adapter against the sandbox:
dock section, lazy loading, real UTM tiles and minitiles, the "grid" service, and the
selection surviving project save and reopen."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from qgis.gui import QgsMessageBar

from nadir.core.models import CellLevel
from nadir.tasks.base import TaskRunner
from nadir.toolbelt import auth
from nadir.toolbelt import settings as st
from nadir.toolbelt.notify import Notifier
from nadir.ui.dock import NadirDock
from nadir.ui.feature import PluginContext
from nadir.ui.grid.feature import GridFeature, project_uses_grid
from nadir.ui.grid.keys import ENTRY_KEY, ENTRY_SCOPE
from nadir.ui.services import AOIS, GRID
from sandbox.testing import run_sandbox
from support.grid_view import set_view, settle, wait_until


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with run_sandbox(tmp_path_factory.mktemp("grid-sandbox")) as server:
        yield server


@pytest.fixture
def app(qgis_iface, auth_manager, clean_settings, sandbox, empty_project):
    authcfg = auth.store_basic("Nadir test ClearSKY (grid)", "", "clearsky-sandbox-key")
    store = st.SettingsStore()
    store.update(
        st.Settings().with_connection(
            st.ProviderConnection("clearsky", urls={"api": sandbox.provider_url("clearsky")}, authcfg=authcfg)
        )
    )
    runner = TaskRunner()
    dock = NadirDock()
    ctx = PluginContext(qgis_iface, dock, Notifier(QgsMessageBar()), runner, store)
    feature = GridFeature(ctx)
    feature.init_gui()
    app_ns = SimpleNamespace(
        ctx=ctx,
        feature=feature,
        dock=dock,
        runner=runner,
        sandbox=sandbox,
        project=empty_project,
        canvas=qgis_iface.mapCanvas(),
    )
    yield app_ns
    app_ns.feature.unload()  # the test may have replaced it
    runner.cancel_all()
    wait_until(lambda: not runner.running, what="tasks to end")
    dock.deleteLater()


def loaded(app):
    presenter = app.feature.presenter
    wait_until(lambda: not presenter.busy and presenter.layer.displayed, timeout=90, what="grid loaded")
    return presenter


def grid_layers(project):
    return [layer for layer in project.mapLayers().values() if layer.customProperty("nadir/role") == "tile-grid"]


def test_the_feature_starts_light_and_registers_its_service(app):
    assert app.feature.presenter is None  # nothing of the grid is loaded before it is used
    service = app.ctx.services.get(GRID)
    assert service.selected_cells() == [] and service.is_empty() and service.summary().cells == 0
    assert "grid" in app.dock.section_keys
    assert app.feature.panel.hint.text().startswith("Show the tile grid")
    assert not project_uses_grid(app.project)


def test_real_grid_selection_survives_save_and_reopen(app, tmp_path):
    changes = []
    service = app.ctx.services.get(GRID)
    service.selection_changed.connect(lambda: changes.append(1))
    set_view(app.canvas, 5.9, 46.5, 1_000_000)  # straddles the 31N/32N boundary
    app.feature.panel.show_grid.setChecked(True)
    presenter = loaded(app)
    layer = presenter.layer.layer
    epsgs = {presenter.store.cell(g).epsg for g in presenter.layer.displayed}
    assert epsgs == {32631, 32632}
    assert {epsg for epsg, _ in presenter.zones()} == {32631, 32632}
    assert set(app.feature.panel.zone_buttons) == {32631, 32632}
    # a whole tile, and a split tile with one minitile picked
    tile = presenter.cell_at(5.5, 46.5)
    presenter.toggle(tile)
    other = presenter.cell_at(5.3, 46.1)
    presenter.split(other)
    wait_until(lambda: presenter.selection.is_split(other), timeout=60, what="split")
    minis = presenter.selection.minitiles_of(other)
    assert len(minis) == 256  # 16 x 16 minitiles of a full 5120 px tile
    assert all(presenter.store.cell(m).level is CellLevel.MINITILE for m in minis)
    mini = presenter.cell_at(5.3, 46.1)
    presenter.toggle(mini)
    app.feature.panel.zone_buttons[32632].click()  # switch 32N off
    assert not presenter.selection.zone_enabled(32632)
    cells = service.selected_cells()
    assert [c.guid for c in cells] == [tile, mini]
    assert service.tile_guids() == (tile,) and service.minitile_guids() == (mini,)
    summary = service.summary()
    assert summary.tiles == 1 and summary.minitiles == 1 and 2600 < summary.area_km2 < 2660
    assert "1 tile, 1 minitile" in app.feature.panel.summary.text() and "32N" in app.feature.panel.summary.text()
    assert changes

    path = tmp_path / "grid.qgs"
    assert app.project.write(str(path))
    text, found = app.project.readEntry(ENTRY_SCOPE, ENTRY_KEY, "")
    assert found and text.startswith("nadir-grid:z1:")
    assert "clearsky-sandbox-key" not in path.read_text(encoding="utf-8")

    app.project.clear()
    assert service.is_empty() and not grid_layers(app.project)
    assert app.project.read(str(path))
    wait_until(lambda: presenter.active and presenter.layer.displayed, timeout=60, what="grid after reopen")
    assert [c.guid for c in service.selected_cells()] == [tile, mini]
    assert presenter.selection.is_split(other) and presenter.selection.minitiles_of(other) == minis
    assert presenter.selection.disabled_zones == frozenset({32632})
    assert len(grid_layers(app.project)) == 1 and grid_layers(app.project)[0] is presenter.layer.layer
    assert presenter.layer.state(tile) == "selected" and presenter.layer.state(mini) == "selected"
    del layer


def test_a_project_with_a_selection_loads_the_grid_when_opened(app, tmp_path):
    set_view(app.canvas, 2.35, 48.85, 1_000_000)
    app.feature.panel.show_grid.setChecked(True)
    presenter = loaded(app)
    presenter.toggle(presenter.cell_at(2.35, 48.85))
    path = tmp_path / "lazy.qgs"
    app.project.write(str(path))
    app.project.clear()
    # a fresh plugin start with that project already open
    app.feature.unload()
    assert GRID not in app.ctx.services
    app.project.read(str(path))
    feature = GridFeature(app.ctx)
    feature.init_gui()
    try:
        assert feature.presenter is not None and len(app.ctx.services.get(GRID).selected_cells()) == 1
    finally:
        feature.unload()
    app.feature = GridFeature(app.ctx)  # for the fixture's teardown
    app.feature.init_gui()


def test_an_unreadable_saved_selection_is_reported_and_kept(app, tmp_path):
    app.project.writeEntry(ENTRY_SCOPE, ENTRY_KEY, "nadir-grid:z1:@@@not-base64@@@")
    path = tmp_path / "bad.qgs"
    app.project.write(str(path))
    app.project.clear()
    app.project.read(str(path))
    presenter = app.feature.presenter
    assert presenter is not None and presenter.service.is_empty()
    again = tmp_path / "bad-again.qgs"
    app.project.write(str(again))
    app.project.clear()
    app.project.read(str(again))
    text, found = app.project.readEntry(ENTRY_SCOPE, ENTRY_KEY, "")
    assert found and text == "nadir-grid:z1:@@@not-base64@@@"


def test_missing_credentials_are_shown_in_the_panel_not_thrown(app, qgis_iface):
    app.ctx.settings.update(st.Settings())  # no ClearSKY credentials
    set_view(app.canvas, 2.35, 48.85, 1_000_000)
    app.feature.panel.show_grid.setChecked(True)
    presenter = app.feature.presenter
    settle(0.3)
    wait_until(lambda: presenter.problem, what="problem")
    assert "No credentials are set for ClearSKY Vision" in app.feature.panel.hint.text()


def test_cover_from_an_aoi_of_the_aoi_feature_shows_the_ratio(app):
    import shapely

    from nadir.core.aoi.build import build_aois, raw_from_geometry
    from nadir.ui.aoi.store import AoiStore

    store = AoiStore(app.project)
    app.feature.unload()
    app.ctx.services.provide(AOIS, store)
    app.feature = GridFeature(app.ctx)
    app.feature.init_gui()
    try:
        lyon = shapely.Polygon([(4.70, 45.70), (4.95, 45.68), (4.98, 45.85), (4.75, 45.88)])
        store.add(build_aois([raw_from_geometry(lyon)], "test", "Lyon").aois)
        panel = app.feature.panel
        keys = [panel.aoi_source.itemData(i) for i in range(panel.aoi_source.count())]
        aoi = store.aois()[0]
        assert f"aoi:{aoi.id}" in keys and "aois:chosen" in keys and keys[-1] == "layer:active"
        panel.aoi_source.setCurrentIndex(keys.index(f"aoi:{aoi.id}"))
        panel.level.setCurrentIndex(panel.level.findData("minitile"))
        panel.cover_button.click()
        wait_until(lambda: panel.ratio.text(), timeout=90, what="cover ratio")
        service = app.ctx.services.get(GRID)
        summary = service.summary()
        assert summary.minitiles > 30 and summary.tiles == 0
        ratio = summary.area_km2 / aoi.area_km2
        assert 1.0 < ratio < 1.6  # a ~400 km² AOI: the boundary minitiles weigh
        assert f"{ratio:.2f}" in panel.ratio.text() and "coverage ratio" in panel.ratio.text()
        cells = service.selected_cells()
        union = shapely.union_all([shapely.from_wkt(c.wkt) for c in cells])
        assert union.buffer(1e-9).covers(aoi.geometry)
    finally:
        app.feature.unload()
        app.ctx.services.withdraw(AOIS)
        store.close()
        app.feature = GridFeature(app.ctx)
        app.feature.init_gui()
