"""OneAtlas adapter against the sandbox over real HTTP on loopback: token, workspace,
opensearch paging, quicklooks, price then order, orders list paging and filters,
deliveries, the documented errors and the sandbox's faults."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from nadir.core import errors
from nadir.core.credentials import Credentials
from nadir.core.models import ArchiveSpec, CaptureRef, Lifecycle, OrderFilter, OrderKind, SearchQuery
from nadir.core.ports import Provider, SupportsArchiveSearch, SupportsDeliveries, SupportsOrders, SupportsPlace
from nadir.core.retry import RetryPolicy
from nadir.providers import registry
from nadir.providers.http.auth import clear_token_cache
from nadir.providers.http.session import plain_client
from nadir.providers.oneatlas.adapter import OneAtlas
from nadir.providers.oneatlas.wire import reference_tag

FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)
FRANCE = {"type": "Polygon", "coordinates": [[[1.0, 43.0], [3.0, 43.0], [3.0, 45.0], [1.0, 45.0], [1.0, 43.0]]]}


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def api_key(sb) -> str:
    info = sb.health()["providers"]["oneatlas"]
    keys = info.get("api_keys") or info.get("apikeys") or {}
    return keys.get("default") if isinstance(keys, dict) else keys[0]


def urls(sb) -> dict[str, str]:
    return {role: sb.provider_url(f"oneatlas-{role}") for role in ("data", "auth", "search", "access")}


def make(sb, key=None, sleep=None) -> OneAtlas:
    return OneAtlas(
        urls(sb),
        Credentials(secret=key or api_key(sb)),
        plain_client(),
        policy=FAST,
        sleep=sleep if sleep is not None else Sleeps(),
    )


@pytest.fixture
def oa(sb):
    clear_token_cache()
    adapter = make(sb)
    yield adapter
    adapter.close()
    clear_token_cache()


def query(**changes) -> SearchQuery:
    values = {
        "geometry": FRANCE,
        "start": datetime(2024, 5, 1, tzinfo=timezone.utc),
        "end": datetime(2024, 7, 1, tzinfo=timezone.utc),
        "max_cloud": 30.0,
        "collections": ("PHR",),
        "page_size": 20,
    }
    values.update(changes)
    return SearchQuery(**values)


def clip(capture, size=0.01):
    """A small AOI (about 1 km²) inside the capture's footprint."""
    from shapely.geometry import box, shape

    point = shape(capture.footprint).representative_point()
    return box(point.x - size / 2, point.y - size / 2, point.x + size / 2, point.y + size / 2).__geo_interface__


def order_spec(captures, **options) -> ArchiveSpec:
    refs = tuple(CaptureRef(id=c.id, geometry=clip(c), collection=c.collection) for c in captures)
    return ArchiveSpec(
        provider="oneatlas",
        captures=refs,
        options={
            "productType": "pansharpened",
            "radiometricProcessing": "DISPLAY",
            "imageFormat": "image/geotiff",
            "crsCode": "EPSG:4326",
            **options,
        },
    )


def test_registry_and_capabilities(sb):
    adapter = registry.create("oneatlas", urls(sb), Credentials(secret=api_key(sb)), plain_client())
    for protocol in (Provider, SupportsArchiveSearch, SupportsPlace, SupportsOrders, SupportsDeliveries):
        assert isinstance(adapter, protocol)
    assert "SupportsGrid" not in registry.capabilities("oneatlas")
    adapter.close()


def test_token_once_then_workspace(oa, sb):
    info = oa.account()
    assert info.extra.get("workspaceId")
    oa.account()
    tokens = sb.requests("/oneatlas-auth")
    assert len(tokens) == 1
    form = tokens[0]["body"]
    assert "grant_type=api_key" in form and "client_id=IDP" in form
    me = sb.requests("/oneatlas-data/api/v1/me")[-1]
    assert me["headers"]["authorization"].startswith("Bearer ")


def test_wrong_api_key_is_one_credentials_error(sb):
    clear_token_cache()
    adapter = make(sb, key="not-a-oneatlas-key-123")
    with pytest.raises(errors.ProviderAuthError, match="Settings > Options > Nadir"):
        adapter.account()
    assert len(sb.requests("/oneatlas-auth")) == 1 and not sb.requests("/oneatlas-data")
    adapter.close()


def test_search_pages_until_the_limit_and_reads_captures(oa, sb):
    found = list(oa.search(query(limit=45)))
    assert len(found) == 45 and len({c.id for c in found}) == 45
    first = found[0]
    assert first.provider == "oneatlas" and first.acquired and first.footprint["type"] in ("Polygon", "MultiPolygon")
    assert first.cloud_cover is not None and first.cloud_cover <= 30
    pages = [r["query"] for r in sb.requests("/oneatlas-search")]
    assert len(pages) == 3 and "startPage=3" in pages[-1]
    assert list(oa.stream(query(limit=5))) == found[:5]


def test_search_stops_promptly_when_cancelled(oa, sb):
    seen = []
    with pytest.raises(errors.OperationCancelled):
        for capture in oa.search(query(limit=200), cancelled=lambda: len(seen) >= 25):
            seen.append(capture)
    assert len(seen) == 25 and len(sb.requests("/oneatlas-search")) == 2


def test_quicklook_is_an_image(oa):
    capture = next(oa.search(query(limit=1)))
    data = oa.quicklook(capture)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff"


def test_price_then_order_with_the_same_body(oa, sb):
    captures = list(oa.search(query(limit=2)))
    spec = order_spec(captures)
    estimate = oa.estimate(spec)
    assert estimate.total.amount > 0 and estimate.provider == "oneatlas"
    placed = oa.place(spec, "11111111-2222-4333-8444-555555555555").orders[0]
    assert placed.kind is OrderKind.ARCHIVE and placed.raw_status and placed.status is not Lifecycle.UNKNOWN
    prices = sb.requests("/oneatlas-data/api/v1/prices")[-1]["body"]
    orders = [r for r in sb.requests("/oneatlas-data/api/v1/orders") if r["method"] == "POST"][-1]["body"]
    assert '"products"' in prices and '"products"' in orders
    assert reference_tag("11111111-2222-4333-8444-555555555555") in orders
    assert oa.get_order(placed.id).id == placed.id
    found = oa.find_placed(spec, "11111111-2222-4333-8444-555555555555")
    assert found is not None and found.orders[0].id == placed.id


def test_local_validation_of_guide_options(oa):
    capture = next(oa.search(query(limit=1)))
    with pytest.raises(errors.InputError, match="product type"):
        oa.estimate(order_spec([capture], productType="ortho"))
    with pytest.raises(errors.InputError, match="UTM"):
        oa.estimate(order_spec([capture], crsCode="EPSG:3857"))
    tiny = ArchiveSpec(
        provider="oneatlas",
        captures=(CaptureRef(id=capture.id, geometry=clip(capture, 0.001)),),
        options={"productType": "pansharpened"},
    )
    with pytest.raises(errors.InputError, match=r"0\.1 km²"):
        oa.estimate(tiny)


def test_orders_list_pages_and_filters(oa, sb):
    captures = list(oa.search(query(limit=3)))
    for n, capture in enumerate(captures):
        oa.place(order_spec([capture]), f"ref-list-{n}")
    listed = list(oa.list_orders(OrderFilter(page_size=2)))
    assert len(listed) == 3
    pages = [r["query"] for r in sb.requests("/oneatlas-data/api/v1/orders") if r["method"] == "GET"]
    assert any("page=2" in q and "itemsPerPage=2" in q for q in pages)
    status = listed[0].raw_status
    assert all(o.raw_status == status for o in oa.list_orders(OrderFilter(statuses=(status,))))


def test_cancel_is_not_offered_for_living_library_orders(oa, sb):
    capture = next(oa.search(query(limit=1)))
    placed = oa.place(order_spec([capture]), "ref-cancel").orders[0]
    preview = oa.cancel_preview(placed)
    assert not preview.allowed
    assert preview.effect.startswith("OneAtlas orders cannot be cancelled from Nadir")
    assert "contact Airbus OneAtlas support" in preview.effect and "CONTRACTS" not in preview.effect
    with pytest.raises(errors.NotSupported) as info:
        oa.cancel_order(placed.id)
    assert info.value.message == preview.effect
    assert not [r for r in sb.requests(f"/oneatlas-data/api/v1/orders/{placed.id}/cancel")]


def test_delivered_order_downloads_zip_with_resume(oa, sb, tmp_path):
    capture = next(oa.search(query(limit=1)))
    placed = oa.place(order_spec([capture]), "ref-deliver").orders[0]
    sb.advance(24 * 3600)
    order = oa.get_order(placed.id)
    assert order.status is Lifecycle.COMPLETED, order.raw_status
    assets = oa.assets(order.id)
    assert assets and assets[0].media_type == "application/zip"
    target = tmp_path / "product.zip"
    path = oa.download(assets[0], target, progress=lambda d, t: None)
    assert path.read_bytes()[:2] == b"PK"


# ------------------------------------------------------------------------ faults
def test_503_503_then_200_read_succeeds(oa, sb):
    oa.account()
    sb.fault(kind="status", prefix="/oneatlas-data/api/v1/me", status=503, times=2)
    assert oa.account().extra.get("workspaceId")
    assert len(sb.requests("/oneatlas-data/api/v1/me")) == 4


def test_429_waits_for_retry_after(sb):
    clear_token_cache()
    sleeps = Sleeps()
    adapter = make(sb, sleep=sleeps)
    sb.fault(kind="rate_limit", prefix="/oneatlas-search", retry_after=1, times=1)
    assert list(adapter.search(query(limit=1)))
    assert sum(sleeps) == pytest.approx(1.0, abs=0.15)
    adapter.close()


def test_dropped_order_answer_ends_in_exactly_one_order(oa, sb):
    capture = next(oa.search(query(limit=1)))
    sb.fault(kind="drop_after_commit", prefix="/oneatlas-data/api/v1/orders", method="POST", times=1)
    placed = oa.place(order_spec([capture]), "ref-dropped").orders[0]
    listed = list(oa.list_orders())
    assert [o.id for o in listed] == [placed.id]
    posts = [r for r in sb.requests("/oneatlas-data/api/v1/orders") if r["method"] == "POST"]
    assert len(posts) == 1


@pytest.mark.parametrize("kind", ["truncate", "malformed"])
def test_truncated_or_malformed_bodies_are_invalid_responses(oa, sb, kind):
    oa.account()
    sb.fault(kind=kind, prefix="/oneatlas-search", times=1)
    with pytest.raises(errors.InvalidResponse) as info:
        list(oa.search(query(limit=1)))
    assert info.value.provider == "oneatlas" and info.value.endpoint == "opensearch"


def test_expired_token_is_renewed_once_on_401(oa, sb):
    oa.account()
    sb.fault(kind="status", prefix="/oneatlas-data/api/v1/me", status=401, times=1)
    assert oa.account().extra.get("workspaceId")
    assert len(sb.requests("/oneatlas-auth")) == 2


def test_insufficient_balance_is_shown_before_placing_and_the_order_is_rejected(sb):
    clear_token_cache()
    poor = make(sb, key=sb.health()["providers"]["oneatlas"]["api_keys"]["insufficient_balance"])
    capture = next(poor.search(query(limit=1)))
    spec = order_spec([capture])
    estimate = poor.estimate(spec)
    assert [e.message for e in estimate.errors] == ["OneAtlas says: insufficientBalance"]
    placed = poor.place(spec, "ref-poor").orders[0]
    sb.advance(24 * 3600)
    final = poor.get_order(placed.id)
    assert final.raw_status == "rejected" and final.status is Lifecycle.FAILED
    assert poor.assets(final.id) == []
    poor.close()


def test_servers_minimum_area_message_is_explained(oa):
    """AOIs within 0.5 % under 0.1 km² pass the local check (areas differ slightly between
    geodesic methods), so the server's refusal must be explained too."""
    from shapely.geometry import box, shape

    from nadir.providers.oneatlas.wire import area_km2

    capture = next(oa.search(query(limit=1, collections=("PHR",))))
    point = shape(capture.footprint).representative_point()
    side = 0.01 * (0.0998 / area_km2(box(point.x, point.y, point.x + 0.01, point.y + 0.01))) ** 0.5
    assert 0.0995 < area_km2(box(point.x, point.y, point.x + side, point.y + side)) < 0.1
    aoi = box(point.x, point.y, point.x + side, point.y + side).__geo_interface__
    spec = ArchiveSpec(
        provider="oneatlas",
        captures=(CaptureRef(id=capture.id, geometry=aoi, collection="PHR"),),
        options={"productType": "pansharpened"},
    )
    with pytest.raises(errors.ProviderRejected) as info:
        oa.estimate(spec)
    assert "0.1 km²" in str(info.value) and info.value.status == 400


def test_client_timeout_double_click_and_restart_end_in_exactly_one_order(sb):
    import httpx

    clear_token_cache()
    adapter = OneAtlas(
        urls(sb),
        Credentials(secret=api_key(sb)),
        plain_client(timeout=httpx.Timeout(1.0, connect=2.0)),
        policy=FAST,
        sleep=Sleeps(),
    )
    capture = next(adapter.search(query(limit=1)))
    spec = order_spec([capture])
    sb.fault(kind="hang_after_commit", prefix="/oneatlas-data/api/v1/orders", method="POST", delay=3, times=1)
    first = adapter.place(spec, "ref-timeout").orders[0]
    adapter.close()
    restarted = make(sb)  # a new adapter, as after a QGIS restart: the tag is on the server
    assert restarted.place(spec, "ref-timeout").orders[0].id == first.id
    assert [o.id for o in restarted.list_orders()] == [first.id]
    restarted.close()
