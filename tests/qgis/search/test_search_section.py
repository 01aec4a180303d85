"""The Search section in QGIS against the sandbox over HTTP, through the configured
connections: three providers searched at once, footprints layer and table filled in
batches, selection shown in both, sort and filter, a failing provider on one line while
the others show, Stop, and the selection into the cart as one archive item per provider."""

from __future__ import annotations

import gc
from datetime import datetime, timezone

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt

from nadir.core import collector
from nadir.core.models import ArchiveSpec
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.settings import ProviderConnection
from nadir.ui.dock import NadirDock
from nadir.ui.feature import PluginContext
from nadir.ui.search.feature import SearchFeature
from nadir.ui.search.presenter import SearchRequest
from nadir.ui.search.table import COLUMNS, KEY_ROLE
from nadir.ui.services import CART
from support.adapters import BERLIN
from support.qgis_wait import wait_until

START = datetime(2015, 1, 1, tzinfo=timezone.utc)
END = datetime(2025, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def search(qgis_iface, archive_connections, empty_project):
    dock = NadirDock(qgis_iface.mainWindow())
    ctx = PluginContext(
        qgis_iface, dock, Notifier(qgis_iface.messageBar(), qgis_iface.mainWindow()), TaskRunner(), archive_connections
    )
    feature = SearchFeature(ctx)
    feature.init_gui()
    yield feature
    feature.unload()
    ctx.runner.cancel_all()
    wait_until(lambda: not ctx.runner.running, 30)
    dock.deleteLater()


def wait_sources(feature):
    feature.presenter.load_sources()
    wait_until(lambda: feature.presenter.sources, 30, "UP42 collections")
    return feature.presenter.sources


def request(feature, **changes):
    source = next(s for s in feature.presenter.sources if s.collection == "phr")
    values = {
        "providers": ("geopera", "oneatlas", "up42"),
        "aoi": BERLIN,
        "start": START,
        "end": END,
        "max_cloud": 100.0,
        "max_incidence": 90.0,
        "limit": 60,
        "up42_source": source,
    }
    values.update(changes)
    return SearchRequest(**values)


def run(feature, req):
    task = feature.presenter.search(req)
    assert task is not None
    wait_until(lambda: not feature.presenter.running, 60, "search done")
    return task


def test_three_providers_fill_the_layer_and_the_table_together(search):
    sources = wait_sources(search)
    assert search.section.collection_combo.count() == len(sources) > 0
    run(search, request(search))
    state = search.presenter.state
    assert not state.failures, state.failures
    assert set(state.counts) == {"geopera", "oneatlas", "up42"} and all(n > 0 for n in state.counts.values())
    total = sum(state.counts.values())
    layer = search.layer.layer
    assert layer is not None and layer.featureCount() == total == search.model.rowCount()
    assert QgsProject.instance().layerTreeRoot().findLayer(layer.id()).parent().name() == "Nadir"
    assert state.first_batch_after is not None and state.first_batch_after < 10
    names = [f.name() for f in layer.fields()]
    assert {"provider", "capture_id", "collection", "acquired", "cloud", "incidence", "gsd", "aoi_pct"} <= set(names)
    feature = next(layer.getFeatures())
    assert 0 < feature["aoi_pct"] <= 100 and feature.geometry().intersects(feature.geometry().fromRect(layer.extent()))
    assert f"{total} captures" in search.section.status.text()


def test_selection_is_shared_by_table_and_map_and_goes_to_the_cart(search, qgis_iface):
    wait_sources(search)
    run(search, request(search, providers=("geopera", "oneatlas")))
    section, layer = search.section, search.layer
    section.table.selectRow(0)
    section.table.selectionModel().select(
        section.proxy.index(section.proxy.rowCount() - 1, 0),
        section.table.selectionModel().SelectionFlag.Select | section.table.selectionModel().SelectionFlag.Rows,
    )
    keys = section.selected_keys()
    assert len(keys) == 2 and sorted(layer.selected_keys()) == sorted(keys)
    # on the map -> in the table
    other = section.proxy.data(section.proxy.index(1, 0), KEY_ROLE)
    layer.layer.selectByIds([layer._fid_of[other]])
    assert section.selected_keys() == [other]
    assert section.cart_button.isEnabled() and section.zoom_button.isEnabled()

    added = []

    class Cart:
        def add(self, spec, title="", summary="", area_km2=None):
            added.append((spec, title, summary, area_km2))
            return spec

    search.ctx.services.provide(CART, Cart())
    section.table.selectAll()
    items = search.add_to_cart()
    assert len(items) == 2 and {spec.provider for spec, *_ in added} == {"geopera", "oneatlas"}
    for spec, _title, summary, area in added:
        assert isinstance(spec, ArchiveSpec) and area > 0 and "captures" in summary
        # each provider's default product options, as the options dialog would start with
        assert spec.options.get("license_type" if spec.provider == "geopera" else "productType")
        # the part bought lies inside the searched AOI
        for ref in spec.captures:
            xs = (
                [x for ring in ref.geometry["coordinates"] for x, _ in ring]
                if ref.geometry["type"] == "Polygon"
                else [13.4]
            )
            assert min(xs) >= 13.35 - 1e-9 and max(xs) <= 13.45 + 1e-9


def test_sort_and_filter(search):
    wait_sources(search)
    run(search, request(search, providers=("geopera", "up42")))
    proxy = search.section.proxy
    # newest first by default, the providers' captures interleaved, the header saying so
    header = search.section.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        COLUMNS.index("acquired"),
        Qt.SortOrder.DescendingOrder,
    )
    shown = [search.model.capture(proxy.mapToSource(proxy.index(r, 0)).row()).acquired for r in range(proxy.rowCount())]
    assert shown == sorted(shown, reverse=True)
    search.section.table.selectRow(3)
    chosen = search.section.selected_keys()
    cloud = COLUMNS.index("cloud")
    search.section.table.sortByColumn(cloud, Qt.SortOrder.AscendingOrder)
    assert search.section.selected_keys() == chosen  # the selection follows its row
    assert search.layer.selected_keys() == chosen
    values = [
        search.model.capture(proxy.mapToSource(proxy.index(r, 0)).row()).cloud_cover for r in range(proxy.rowCount())
    ]
    known = [v for v in values if v is not None]
    assert known == sorted(known) and len(known) > 5
    search.section.table.sortByColumn(COLUMNS.index("acquired"), Qt.SortOrder.DescendingOrder)
    dates = [search.model.capture(r).acquired for r in range(search.model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    search.section.filter_edit.setText("UP42")
    assert 0 < proxy.rowCount() < search.model.rowCount()
    assert all(
        search.model.capture(proxy.mapToSource(proxy.index(r, 0)).row()).provider == "up42"
        for r in range(proxy.rowCount())
    )
    search.section.filter_edit.setText("no-such-thing-anywhere")
    assert proxy.rowCount() == 0


def test_a_failing_provider_is_one_line_and_the_others_still_show(search, sb):
    wait_sources(search)
    store = search.ctx.settings
    broken = store.current.connection("oneatlas")
    store.update(
        store.current.with_connection(
            ProviderConnection(
                "oneatlas", urls={**broken.urls, "search": "http://127.0.0.1:9/unreachable"}, authcfg=broken.authcfg
            )
        )
    )
    run(search, request(search))
    state = search.presenter.state
    assert [f.provider for f in state.failures] == ["oneatlas"]
    assert state.counts["geopera"] > 0 and state.counts["up42"] > 0
    text = search.section.status.text()
    assert "Airbus OneAtlas could not be reached" in text and text.count("\n") == 1


def test_invalid_input_is_explained_next_to_the_field_and_nothing_is_sent(search, sb):
    wait_sources(search)
    before = len(sb.requests("/geopera"))
    assert search.presenter.search(request(search, start=END, end=START)) is None
    assert search.section.dates_problem.isVisibleTo(search.section)
    assert "end date is before the start" in search.section.dates_problem.text()
    assert search.presenter.search(request(search, providers=())) is None
    assert "at least one provider" in search.section.providers_problem.text()
    assert len(sb.requests("/geopera")) == before
    # a query the provider refuses (422) is pinned to its field
    source = next(s for s in search.presenter.sources if s.collection == "phr")
    run(search, request(search, providers=("up42",), up42_source=source.model_copy(update={"collection": "nope"})))
    assert "nope" in search.section.collections_problem.text()


def test_no_results_is_said_plainly(search):
    wait_sources(search)
    run(
        search,
        request(
            search,
            providers=("geopera",),
            start=datetime(1990, 1, 1, tzinfo=timezone.utc),
            end=datetime(1990, 1, 2, tzinfo=timezone.utc),
        ),
    )
    assert search.section.status.text().startswith("No captures match this search.")


def test_stop_keeps_what_arrived_and_a_new_search_replaces_the_old(search):
    wait_sources(search)
    before = gc.get_threshold()
    task = search.presenter.search(request(search, providers=("geopera",), limit=5000))
    assert collector.paused()  # Python's full collections wait while results stream (core/collector.py)
    wait_until(lambda: search.model.rowCount() > 0, 30, "first batch")
    search.presenter.stop()
    assert gc.get_threshold() == before
    shown = search.model.rowCount()
    assert shown > 0 and not search.presenter.running and task.silenced
    assert search.section.search_button.isEnabled() and not search.section.stop_button.isEnabled()
    assert "Search stopped" in search.section.status.text()
    run(search, request(search, providers=("up42",), limit=10))
    assert search.model.rowCount() == search.layer.feature_count() == 10 and gc.get_threshold() == before


def test_quicklooks_of_the_rows_in_view_fill_the_first_column_and_drape(search, sb, tmp_path, monkeypatch):
    from qgis.core import QgsProject, QgsRasterLayer

    wait_sources(search)
    run(search, request(search, providers=("geopera", "up42"), limit=30))
    search.section.resize(600, 400)
    search.section.show()
    wait_until(
        lambda: search.quicklooks.thumbnail(search.section.shown_keys()[0]) is not None, 30, "the first row's quicklook"
    )
    shown = search.section.shown_keys()
    assert 0 < len(shown) < search.model.rowCount()  # only the rows in view are asked for
    index = search.section.proxy.index(0, 0)
    assert search.section.proxy.data(index, Qt.ItemDataRole.DecorationRole) is not None
    asked = {r["path"] for r in sb.requests("/") if r["method"] == "GET"}
    assert 0 < len(asked) <= len(shown) + 5, sorted(asked)
    search.section.table.selectRow(0)
    layers = search.drape_selected()
    assert len(layers) == 1 and isinstance(layers[0], QgsRasterLayer)
    wait_until(
        lambda: layers[0].isValid() and QgsProject.instance().mapLayer(layers[0].id()) is not None,
        30,
        "the draped quicklook",
    )
