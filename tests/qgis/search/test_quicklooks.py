"""ui.search.quicklooks against the sandbox over loopback: the quicklooks of UP42, Geopera and
OneAtlas load in one bounded task per provider into the disk cache and a bounded memory cache,
prioritised keys first; cancel; a failing provider is given up, not retried in a loop; drapes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from osgeo import gdal
from qgis.core import QgsRasterLayer

from nadir.core.credentials import Credentials
from nadir.core.errors import InputError
from nadir.core.models import Capture, SearchQuery
from nadir.core.search.quicklook_cache import HEADER_SIZE, QuicklookCache
from nadir.core.search.results import capture_key
from nadir.providers.http.session import plain_client
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.layer_tree import find_nadir_group
from nadir.ui.search.quicklooks import GROUP_PROPERTY, QuicklookService, footprint_corners
from support.adapters import BERLIN, geopera, up42
from support.qgis_wait import wait_until

QUICKLOOK_ROUTES = {
    "up42": "/up42/catalog/",
    "geopera": "/geopera/v1/catalog/quicklook/",
    "oneatlas": "/oneatlas-access/api/v1/items/",
}


def oneatlas(sb):
    from nadir.providers.oneatlas.adapter import OneAtlas

    urls = {role: sb.provider_url(f"oneatlas-{role}") for role in ("data", "auth", "search", "access")}
    keys = sb.health()["providers"]["oneatlas"].get("api_keys") or {}
    return OneAtlas(
        urls, Credentials(secret=keys.get("default") if isinstance(keys, dict) else keys[0]), plain_client()
    )


BUILDERS = {"up42": up42, "geopera": geopera, "oneatlas": oneatlas}


def search(sb, provider: str, count: int) -> list[Capture]:
    query = SearchQuery(
        geometry=BERLIN,
        start=datetime(2010, 1, 1, tzinfo=timezone.utc),
        end=datetime(2026, 1, 1, tzinfo=timezone.utc),
        host="oneatlas",
        collections=("phr",),
        limit=count,
    )
    if provider == "oneatlas":
        query = query.model_copy(update={"host": None, "collections": ("PHR",)})
    adapter = BUILDERS[provider](sb)
    try:
        found = list(adapter.search(query))
    finally:
        adapter.close()
    assert len(found) == count, provider
    return found


def quicklook_requests(sb, provider: str) -> int:
    return len(
        [
            r
            for r in sb.requests(QUICKLOOK_ROUTES[provider])
            if r["path"].endswith(("quicklook",)) or "/quicklook/" in r["path"]
        ]
    )


class CountingRunner(TaskRunner):
    def __init__(self) -> None:
        super().__init__()
        self.started = 0
        self.most_at_once = 0
        self.service: QuicklookService | None = None

    def run(self, *args, **kwargs):
        # a task whose finished() is starting this one has ended its work, but stays in
        # ``running`` until its completion signal: count the service's own unfinished tasks
        self.started += 1
        self.most_at_once = max(self.most_at_once, len(self.service._active) + 1)
        return super().run(*args, **kwargs)


class Events:
    def __init__(self, service: QuicklookService) -> None:
        self.ready: list[str] = []
        self.failed: dict[str, str] = {}
        service.ready.connect(self.ready.append)
        service.failed.connect(self.failed.__setitem__)


@pytest.fixture
def make_service(sb, tmp_path, empty_project):
    made = []

    def make(factory=None, **options):
        runner = CountingRunner()
        cache = QuicklookCache(tmp_path / "cache", max_bytes=options.pop("max_bytes", 50 * 1024 * 1024))
        service = QuicklookService(
            runner, factory or (lambda provider: BUILDERS[provider](sb)), cache, project=empty_project, **options
        )
        runner.service = service
        made.append(service)
        return service, runner, Events(service)

    yield make
    for service in made:
        service.shutdown()
        wait_until(lambda s=service: not s.busy, 30, "tasks to end")


def test_quicklooks_of_three_providers_load_in_one_task_each(sb, make_service):
    service, runner, events = make_service(max_tasks=2)
    captures = [c for provider in ("up42", "geopera", "oneatlas") for c in search(sb, provider, 4)]
    keys = [capture_key(c) for c in captures]
    service.request(captures)
    wait_until(lambda: set(events.ready) == set(keys) or events.failed, 60, "12 quicklooks")
    assert events.failed == {}
    assert runner.started == 3 and runner.most_at_once <= 2
    for key in keys:
        pixmap = service.thumbnail(key)
        assert pixmap is not None and not pixmap.isNull()
        assert max(pixmap.width(), pixmap.height()) == 64
    assert len(service.cache) == 12
    assert all(quicklook_requests(sb, p) == 4 for p in ("up42", "geopera", "oneatlas"))

    # a new search over the same captures reads the disk cache: no request to any provider
    service.clear()
    events.ready.clear()
    service.request(captures)
    wait_until(lambda: set(events.ready) == set(keys), 60, "the same quicklooks from disk")
    assert all(quicklook_requests(sb, p) == 4 for p in ("up42", "geopera", "oneatlas"))


def test_request_twice_and_loaded_keys_are_not_fetched_again(sb, make_service):
    service, runner, events = make_service()
    captures = search(sb, "geopera", 3)
    service.request(captures)
    service.request(captures)
    wait_until(lambda: len(events.ready) == 3, 60, "3 quicklooks")
    service.request(captures)
    assert not service.busy and runner.started == 1 and quicklook_requests(sb, "geopera") == 3


def test_prioritised_keys_load_first(sb, make_service):
    service, _, events = make_service()
    captures = search(sb, "up42", 30)
    urgent = [capture_key(c) for c in captures[-3:]]
    service.request(captures)
    service.prioritise(urgent)
    wait_until(lambda: len(events.ready) == 30, 120, "30 quicklooks")
    assert set(urgent) <= set(events.ready[:5])  # the task may have taken one or two before


def test_memory_cache_is_bounded_and_an_evicted_thumbnail_comes_back_from_disk(sb, make_service):
    service, _, events = make_service(max_thumbnails=5)
    captures = search(sb, "geopera", 12)
    service.request(captures)
    wait_until(lambda: len(events.ready) == 12, 60, "12 quicklooks")
    assert service.thumbnail_count == 5 and service.thumbnail_bytes() <= 5 * 64 * 64 * 4
    first = capture_key(captures[0])
    assert service.thumbnail(first) is None  # evicted: read again from the disk cache
    wait_until(lambda: service.thumbnail(first) is not None, 30, "the evicted thumbnail")
    assert quicklook_requests(sb, "geopera") == 12 and service.thumbnail_count == 5


def test_cancel_stops_loading_and_emits_nothing_after(sb, make_service):
    service, _, events = make_service()
    captures = search(sb, "up42", 60)
    sb.fault(kind="latency", prefix="/up42/catalog/", delay=0.05, times=1000)
    service.request(captures)
    wait_until(lambda: events.ready, 60, "the first quicklook")
    service.cancel()
    seen = len(events.ready)
    assert service.pending == 0
    wait_until(lambda: not service.busy, 30, "the task to end")
    assert len(events.ready) == seen < 60 and events.failed == {}
    assert quicklook_requests(sb, "up42") < 60


def test_a_failing_provider_is_given_up_after_three_failures_not_retried(sb, make_service):
    service, runner, events = make_service()
    captures = search(sb, "geopera", 8)
    sb.fault(kind="status", prefix="/geopera/v1/catalog/quicklook/", status=404, times=1000)
    service.request(captures)
    wait_until(lambda: len(events.failed) == 8, 60, "every capture failed")
    assert quicklook_requests(sb, "geopera") == 3 and runner.started == 1
    assert len(set(events.failed.values())) <= 2 and all(events.failed.values())
    service.request(captures)  # asked again: answered from memory, nothing sent
    assert not service.busy and runner.started == 1 and quicklook_requests(sb, "geopera") == 3


def test_a_provider_without_connection_fails_its_captures_with_the_reason(sb, make_service):
    def factory(provider):
        raise InputError("The UP42 connection is switched off. Enable it in Settings > Options > Nadir.")

    service, runner, events = make_service(factory=factory)
    captures = search(sb, "up42", 3)
    service.request(captures)
    assert runner.started == 0 and len(events.failed) == 3
    assert "switched off" in next(iter(events.failed.values()))


def test_a_capture_without_quicklook_fails_alone(sb, make_service):
    service, _, events = make_service()
    good = search(sb, "geopera", 2)
    bare = good[0].model_copy(update={"id": "no-quicklook", "quicklook_url": None})
    service.request([bare, *good])
    wait_until(lambda: len(events.ready) == 2 and events.failed, 60, "two loaded, one failed")
    assert list(events.failed) == [capture_key(bare)] and service.thumbnail(capture_key(bare)) is None


# ---------------------------------------------------------------------- drapes
def quad(capture: Capture, corners) -> Capture:
    ring = [list(c) for c in corners] + [list(corners[0])]
    return capture.model_copy(update={"footprint": {"type": "Polygon", "coordinates": [ring]}})


def image_size(service, capture) -> tuple[int, int]:
    path = service.cache.valid_path(capture_key(capture))
    source = gdal.Open(f"/vsisubfile/{HEADER_SIZE},{path}")
    return source.RasterXSize, source.RasterYSize


def loaded(sb, service, events, provider="geopera", count=1) -> list[Capture]:
    captures = search(sb, provider, count)
    service.request(captures)
    wait_until(lambda: len(events.ready) == count, 60, "quicklooks")
    return captures


def test_drape_on_a_rotated_footprint(sb, make_service, empty_project):
    service, _, events = make_service()
    [capture] = loaded(sb, service, events)
    tilted = quad(capture, [(13.30, 52.50), (13.40, 52.56), (13.46, 52.46), (13.36, 52.40)])
    layer = service.drape(tilted)
    assert isinstance(layer, QgsRasterLayer) and layer.isValid()
    extent = layer.extent()
    assert (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()) == pytest.approx(
        (13.30, 52.40, 13.46, 52.56), abs=1e-9
    )
    assert (layer.width(), layer.height()) == image_size(service, capture)
    assert layer.crs().authid() == "EPSG:4326"
    assert "http" not in layer.source() and layer.source().startswith(str(service.drapes_dir))
    group = find_nadir_group(empty_project).findGroups()[0]
    assert group.customProperty(GROUP_PROPERTY) and [n.layerId() for n in group.findLayers()] == [layer.id()]
    # outside the tilted footprint the drape is transparent, inside it shows the image
    provider = layer.dataProvider()
    alpha = provider.bandCount()
    corner = provider.sample(layer.extent().center().__class__(13.301, 52.559), alpha)
    middle = provider.sample(layer.extent().center(), alpha)
    assert corner[0] == 0 and middle[0] > 0

    assert service.drape(tilted) is layer  # draping twice gives the same layer
    assert len(empty_project.mapLayers()) == 1


def test_drape_of_a_footprint_that_is_not_four_corners_uses_its_bbox(sb, make_service):
    service, _, events = make_service()
    [capture] = loaded(sb, service, events)
    pentagon = quad(capture, [(13.3, 52.4), (13.5, 52.4), (13.5, 52.5), (13.4, 52.6), (13.3, 52.5)])
    layer = service.drape(pentagon)
    extent = layer.extent()
    assert layer.isValid() and (
        extent.xMinimum(),
        extent.yMinimum(),
        extent.xMaximum(),
        extent.yMaximum(),
    ) == pytest.approx((13.3, 52.4, 13.5, 52.6), abs=1e-9)
    assert (layer.width(), layer.height()) == image_size(service, capture)


def test_removing_a_drape_removes_its_files_and_unpins_its_image(sb, make_service, empty_project):
    service, _, events = make_service()
    [capture] = loaded(sb, service, events)
    layer_id = service.drape(capture).id()
    vrts = list(service.drapes_dir.iterdir())
    assert vrts
    key = capture_key(capture)
    service.cache.max_bytes = 1  # everything unpinned goes at the next write
    service.cache.put("other:1", b"\x89PNG")
    assert key in service.cache  # pinned while draped
    service.undrape(key)
    assert empty_project.mapLayer(layer_id) is None and list(service.drapes_dir.iterdir()) == []
    service.cache.put("other:2", b"\x89PNG")
    assert key not in service.cache
    service.remove_drapes()
    assert find_nadir_group(empty_project) is None or not find_nadir_group(empty_project).findGroups()


def test_drape_before_the_quicklook_is_loaded_follows_when_it_is(sb, make_service):
    service, _, _ = make_service()
    [capture] = search(sb, "oneatlas", 1)
    got = []
    service.draped.connect(lambda key, layer: got.append((key, layer)))
    assert service.drape(capture) is None
    wait_until(lambda: got, 60, "the drape")
    assert got[0][0] == capture_key(capture) and got[0][1].isValid()
    assert service.drape(capture) is got[0][1]


def test_footprint_corners_start_north_west_and_turn_clockwise():
    ccw = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]]]}
    assert footprint_corners(ccw) == [(0, 1), (2, 1), (2, 0), (0, 0)]
    assert footprint_corners({"type": "MultiPolygon", "coordinates": [ccw["coordinates"]]}) == [
        (0, 1),
        (2, 1),
        (2, 0),
        (0, 0),
    ]
    assert footprint_corners({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}) is None


def test_cache_folder_is_in_nadirs_data_folder(qgis_app, tmp_path, monkeypatch):
    from nadir.toolbelt import paths

    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    folder = paths.quicklook_cache_dir()
    assert folder == tmp_path / "data" / "quicklooks" and folder.is_dir()


def test_an_answer_that_is_not_an_image_fails_and_is_not_cached(sb, make_service):
    captures = search(sb, "geopera", 2)

    class HtmlInstead:
        def __init__(self):
            self.adapter = BUILDERS["geopera"](sb)

        def quicklook(self, capture):
            return b"<html>maintenance</html>" if capture.id == captures[0].id else self.adapter.quicklook(capture)

        def close(self):
            self.adapter.close()

    service, _, events = make_service(factory=lambda provider: HtmlInstead())
    service.request(captures)
    wait_until(lambda: events.ready and events.failed, 60, "one loaded, one failed")
    assert (
        list(events.failed) == [capture_key(captures[0])] and "not an image" in events.failed[capture_key(captures[0])]
    )
    assert capture_key(captures[0]) not in service.cache and capture_key(captures[1]) in service.cache


def test_a_drape_in_a_reopened_project_is_reused_and_kept(sb, make_service, empty_project, tmp_path):
    service, _, events = make_service()
    [capture] = loaded(sb, service, events)
    service.drape(capture)
    assert empty_project.write(str(tmp_path / "drapes.qgz"))
    service.shutdown()
    empty_project.clear()
    assert empty_project.read(str(tmp_path / "drapes.qgz"))
    again, _, _ = make_service()
    [layer] = [lyr for lyr in empty_project.mapLayers().values() if isinstance(lyr, QgsRasterLayer)]
    assert layer.isValid() and again.drape(capture) is layer and len(empty_project.mapLayers()) == 1
    again.cache.max_bytes = 1
    again.cache.put("other:1", b"\x89PNG")
    assert capture_key(capture) in again.cache  # pinned: the reopened layer keeps its image


def test_quicklook_tasks_leave_a_thread_of_qgis_task_pool_for_the_map(sb, make_service):
    """QGIS renders the map on the thread pool its tasks run on; quicklooks never take it all."""
    from qgis.PyQt.QtCore import QThreadPool

    pool = QThreadPool.globalInstance().maxThreadCount()
    service, _, _ = make_service(max_tasks=pool + 5)
    assert service.max_tasks == max(1, pool - 1)


def test_cancel_copes_with_a_task_that_ends_inside_its_cancel(sb, make_service):
    """QGIS 3.44 (CI): a task still queued is terminated inside ``cancel()`` and its failure
    callback removes it from the active tasks while cancel() walks them."""
    from nadir.core.errors import OperationCancelled

    service, _, _ = make_service()
    service.request(search(sb, "geopera", 3) + search(sb, "up42", 3))
    assert service._active
    for provider, (task, _, _) in list(service._active.items()):
        real = task.cancel

        def cancel_now(provider=provider, real=real):
            real()
            if provider in service._active:
                service._task_failed(provider, OperationCancelled())

        task.cancel = cancel_now
    service.cancel()  # raised "dictionary changed size during iteration"
    assert not service._active
