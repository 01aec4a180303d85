"""ClearSKY adapter against the sandbox over real HTTP on loopback: every method, the
documented errors and the sandbox's faults."""

from __future__ import annotations

from datetime import date

import pytest

from nadir.core import errors
from nadir.core.credentials import Credentials
from nadir.core.models import CellLevel, ClearSkySpec, Lifecycle, OrderFilter, OrderKind
from nadir.core.ports import (
    Provider,
    SupportsDeliveries,
    SupportsEstimate,
    SupportsGrid,
    SupportsImageryModels,
    SupportsOrders,
    SupportsPlace,
)
from nadir.core.retry import RetryPolicy
from nadir.providers import registry
from nadir.providers.clearsky.adapter import ClearSky
from nadir.providers.http.session import plain_client

KEY = "clearsky-sandbox-key"
AOI = {
    "type": "Polygon",
    "coordinates": [[[9.87, 56.47], [10.19, 56.47], [10.19, 56.28], [9.87, 56.28], [9.87, 56.47]]],
}
SMALL = {
    "type": "Polygon",
    "coordinates": [[[9.90, 56.40], [9.93, 56.40], [9.93, 56.42], [9.90, 56.42], [9.90, 56.40]]],
}
FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def make(sb, key=KEY, sleep=None):
    return ClearSky(
        {"api": sb.provider_url("clearsky")},
        Credentials(secret=key),
        plain_client(),
        policy=FAST,
        sleep=sleep if sleep is not None else Sleeps(),
    )


@pytest.fixture
def cs(sb):
    adapter = make(sb)
    yield adapter
    adapter.close()


def spec(**changes):
    values = {
        "model": "Stratus2",
        "constellations": ("Sentinel2", "Sentinel1"),
        "start": date(2024, 1, 1),
        "end": date(2024, 1, 31),
        "frequency_days": 7,
        "api_requests": 1,
        "aoi": SMALL,
    }
    values.update(changes)
    return ClearSkySpec(**values)


def test_registry_builds_it_with_its_capabilities(sb):
    adapter = registry.create("clearsky", {"api": sb.provider_url("clearsky")}, Credentials(secret=KEY), plain_client())
    for protocol in (
        Provider,
        SupportsGrid,
        SupportsImageryModels,
        SupportsEstimate,
        SupportsPlace,
        SupportsOrders,
        SupportsDeliveries,
    ):
        assert isinstance(adapter, protocol)
    assert set(registry.capabilities("clearsky")) == {
        "SupportsGrid",
        "SupportsImageryModels",
        "SupportsEstimate",
        "SupportsPlace",
        "SupportsOrders",
        "SupportsDeliveries",
    }
    adapter.close()


def test_account_and_models(cs, sb):
    info = cs.account()
    assert info.provider == "clearsky" and {b.currency for b in info.balances} == {"EUR", "credits"}
    assert info.extra["MaxCompositeAreaKm2"] > 0
    models = {m.name: m for m in cs.imagery_models()}
    assert models["Stratus2"].required == ("Sentinel2",) and "Sentinel1" in models["Stratus2"].optional
    assert sb.requests("/clearsky")[0]["headers"]["x-api-key"] == KEY


def test_grid_tiles_minitiles_and_cells(cs):
    tiles = cs.tiles(AOI)
    assert tiles and all(t.level is CellLevel.TILE and 32601 <= t.epsg <= 32660 for t in tiles)
    minis = cs.minitiles(tiles[0].guid)
    assert len(minis) == 256 and all(m.level is CellLevel.MINITILE and m.parent == tiles[0].guid for m in minis)
    both = cs.cells([tiles[1].guid], [minis[0].guid, minis[1].guid])
    assert [c.guid for c in both] == [tiles[1].guid, minis[0].guid, minis[1].guid]
    assert [c.level for c in both] == [CellLevel.TILE, CellLevel.MINITILE, CellLevel.MINITILE]


def test_unknown_guid_is_rejected_with_the_providers_message(cs):
    with pytest.raises(errors.ProviderRejected, match="Unknown GUID") as info:
        cs.cells(["00000000-0000-0000-0000-000000000000"])
    assert info.value.code == "992" and info.value.status == 400


def test_estimate_composite_tiles_and_recurring(cs):
    composite = cs.estimate(spec(aoi=AOI))
    assert composite.total.currency == "EUR" and composite.total.amount > 0
    assert composite.image_dates == (
        date(2024, 1, 1),
        date(2024, 1, 8),
        date(2024, 1, 15),
        date(2024, 1, 22),
        date(2024, 1, 29),
    )
    assert composite.billable_area_km2 and composite.billable_area_km2 > 400
    tile = cs.tiles(AOI)[0]
    minis = cs.minitiles(cs.tiles(AOI)[1].guid)[:3]
    tiles = cs.estimate(spec(aoi=None, tile_guids=(tile.guid,), minitile_guids=tuple(m.guid for m in minis)))
    assert tiles.total.amount > 0
    recurring = cs.estimate(spec(start=date.today().replace(day=1), end=None))
    assert recurring.next_month is not None and recurring.next_month.amount > 0


def test_a_fixed_four_month_order_is_priced_for_its_whole_period(cs):
    first = date.today().replace(day=1)
    end = date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 28)  # the fourth month
    one_month = cs.estimate(spec(start=first, end=date(first.year, first.month, 28), storage_months=3))
    whole = cs.estimate(spec(start=first, end=end, storage_months=3))
    assert whole.total.amount > 3 * one_month.total.amount  # four months, not the first one
    assert sum(line.price.amount for line in whole.lines) == whole.total.amount
    assert whole.next_month is None


def test_tiny_polygon_is_billed_at_the_minimum_area(cs):
    tiny = {
        "type": "Polygon",
        "coordinates": [[[9.9, 56.4], [9.901, 56.4], [9.901, 56.401], [9.9, 56.401], [9.9, 56.4]]],
    }
    result = cs.estimate(spec(aoi=tiny))
    assert result.area_km2 < 1 and result.billable_area_km2 == pytest.approx(1.0)


def test_local_validation_and_documented_rejections(cs, sb):
    with pytest.raises(errors.InputError, match="first day of a month"):
        cs.estimate(spec(start=date(2024, 1, 15)))
    with pytest.raises(errors.ProviderRejected, match="Model must be one of"):
        cs.estimate(spec(model="Cumulus"))
    with pytest.raises(errors.ProviderRejected, match="requires Sentinel2"):
        cs.estimate(spec(constellations=("Sentinel1",)))
    wrong = make(sb, key="not-a-key")
    with pytest.raises(errors.ProviderAuthError, match="Settings > Options > Nadir"):
        wrong.imagery_models()
    assert len(sb.requests("/clearsky/api/tasking/models")) == 1  # no retry storm
    wrong.close()


def test_place_get_list_and_cancel_in_review(cs):
    placed = cs.place(spec(), "ref-review").orders[0]
    assert placed.status is Lifecycle.PENDING and placed.raw_status == "Review"
    assert placed.kind is OrderKind.COMPOSITE and placed.model == "Stratus2"
    assert cs.get_order(placed.id).id == placed.id
    listed = list(cs.list_orders(OrderFilter(statuses=("Review",), kinds=("composite",), include_expired=True)))
    assert [o.id for o in listed] == [placed.id]
    assert not list(cs.list_orders(OrderFilter(kinds=("tile",), include_expired=True)))
    preview = cs.cancel_preview(placed)
    assert preview.allowed and "cancelled completely" in preview.effect
    after = cs.cancel_order(placed.id)
    assert after.status is Lifecycle.CANCELLED and after.raw_status == "Canceled"
    assert not cs.cancel_preview(after).allowed


def test_recurring_cancel_completes_the_month_and_fixed_orders_cannot_be_cancelled(cs, sb):
    recurring = cs.place(spec(start=date.today().replace(day=1), end=None), "ref-recurring").orders[0]
    fixed = cs.place(spec(), "ref-fixed").orders[0]
    sb.advance(700)  # past Review
    recurring, fixed = cs.get_order(recurring.id), cs.get_order(fixed.id)
    assert recurring.raw_status != "Review" and recurring.recurring
    preview = cs.cancel_preview(recurring)
    assert preview.allowed and "current month completes" in preview.effect and "not renew" in preview.effect
    stopped = cs.cancel_order(recurring.id)
    assert stopped.cancellation_date is not None and stopped.status is not Lifecycle.CANCELLED
    assert not cs.cancel_preview(stopped).allowed
    refused = cs.cancel_preview(fixed)
    assert not refused.allowed and "only while it is in review" in refused.effect
    with pytest.raises(errors.ProviderRejected):
        cs.cancel_order(fixed.id)
    sent = [r["query"] for r in sb.requests("/clearsky/api/tasking/orders/cancel")]
    assert sent == [f"taskOrderGuid={recurring.id}"]  # the fixed order was refused locally, nothing sent


def test_unknown_order_is_not_found(cs):
    with pytest.raises(errors.NotFound):
        cs.get_order("0b5b1d9e-0000-4000-8000-000000000000")


# ------------------------------------------------------------------------ faults
def test_503_503_then_200_read_succeeds(cs, sb):
    sb.fault(kind="status", prefix="/clearsky/api/tasking/models", status=503, times=2)
    assert cs.imagery_models()
    assert len(sb.requests("/clearsky/api/tasking/models")) == 3


def test_429_waits_for_retry_after(sb):
    sleeps = Sleeps()
    adapter = make(sb, sleep=sleeps)
    sb.fault(kind="rate_limit", prefix="/clearsky/api/tasking/models", retry_after=2, times=1)
    assert adapter.imagery_models()
    assert sum(sleeps) == pytest.approx(2.0, abs=0.15)
    adapter.close()


def test_dropped_placement_answer_ends_in_exactly_one_order(cs, sb):
    before = len(list(cs.list_orders(OrderFilter(include_expired=True))))
    sb.fault(kind="drop_after_commit", prefix="/clearsky/api/tasking/orders", method="POST", times=1)
    result = cs.place(spec(), "ref-dropped")
    orders = list(cs.list_orders(OrderFilter(include_expired=True)))
    assert len(orders) == before + 1 and result.orders[0].id == orders[-1].id
    assert (
        len(
            [
                r
                for r in sb.requests("/clearsky/api/tasking/orders")
                if r["method"] == "POST" and r["path"] == "/clearsky/api/tasking/orders"
            ]
        )
        == 1
    )


def test_placement_retry_after_a_dropped_answer_never_duplicates_an_identical_earlier_order(cs, sb):
    first = cs.place(spec(), "ref-one").orders[0]
    sb.fault(kind="drop_after_commit", prefix="/clearsky/api/tasking/orders", method="POST", times=1)
    second = cs.place(spec(), "ref-two").orders[0]
    assert second.id != first.id
    assert len(list(cs.list_orders(OrderFilter(include_expired=True)))) == 2


def test_placement_failing_before_commit_is_sent_again_once(cs, sb):
    sb.fault(kind="status", prefix="/clearsky/api/tasking/orders", method="POST", status=503, times=1)
    placed = cs.place(spec(), "ref-503").orders[0]
    assert [o.id for o in cs.list_orders(OrderFilter(include_expired=True))] == [placed.id]


@pytest.mark.parametrize("kind", ["truncate", "malformed"])
def test_truncated_or_malformed_bodies_are_invalid_responses(cs, sb, kind):
    sb.fault(kind=kind, prefix="/clearsky/api/tasking/models", times=1)
    with pytest.raises(errors.InvalidResponse) as info:
        cs.imagery_models()
    assert info.value.provider == "clearsky" and info.value.endpoint == "tasking.models"
    assert info.value.status == 200


def test_listing_stops_when_cancelled(cs):
    for n in range(3):
        cs.place(spec(frequency_days=n + 2), f"ref-list-{n}")
    seen = []
    with pytest.raises(errors.OperationCancelled):
        for order in cs.list_orders(OrderFilter(include_expired=True), cancelled=lambda: len(seen) >= 1):
            seen.append(order)
    assert len(seen) == 1


# ------------------------------------------------------------------------ deliveries
def test_completed_composite_delivers_geotiffs_with_progress_cancel_and_resume(cs, sb, tmp_path):
    order = cs.place(spec(aoi=AOI), "ref-deliver").orders[0]
    assert cs.assets(order.id) == []  # nothing before completion
    sb.advance(3000)
    assert cs.get_order(order.id).status is Lifecycle.COMPLETED
    assets = cs.assets(order.id)
    assert [a.id for a in assets] == ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29"]
    asset = assets[0]
    assert asset.extra["request"]["Date"] == "2024-01-01" and asset.acquired.date() == date(2024, 1, 1)
    target = tmp_path / "composite.tif"
    progress = []
    with pytest.raises(errors.OperationCancelled):
        cs.download(
            asset,
            target,
            progress=lambda done, total: progress.append((done, total)),
            cancelled=lambda: len(progress) > 1,
        )
    part = tmp_path / "composite.tif.part"
    assert part.exists() and not target.exists()
    path = cs.download(asset, target, progress=lambda done, total: progress.append((done, total)))
    assert path == target and target.read_bytes()[:4] in (b"II*\x00", b"MM\x00*") and not part.exists()
    resumed = [r for r in sb.requests("/clearsky/api/satelliteimages/process/composite")][-1]
    assert resumed["headers"].get("range", "").startswith("bytes=")
    assert progress[-1][0] == target.stat().st_size


def test_an_orders_assets_are_its_own_image_dates_only(cs, sb, tmp_path):
    """search/available lists the account's produced dates over the area, whichever order
    made them: an earlier order over an overlapping area with other satellites and another
    frequency must not add dates this order never had (each failed to load with 1002)."""
    wider = {
        "type": "Polygon",
        "coordinates": [[[9.85, 56.35], [9.97, 56.35], [9.97, 56.45], [9.85, 56.45], [9.85, 56.35]]],
    }
    cs.place(spec(aoi=wider, constellations=("Sentinel2",), frequency_days=3), "ref-earlier")
    order = cs.place(spec(aoi=SMALL), "ref-this").orders[0]
    sb.advance(3000)
    assets = cs.assets(order.id)
    assert [a.id for a in assets] == ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29"]
    for asset in assets[:2]:
        assert cs.download(asset, tmp_path / f"{asset.id}.tif").stat().st_size > 0


def test_tile_order_assets(cs, sb, tmp_path):
    tile = cs.tiles(SMALL)[0]
    minis = cs.minitiles(cs.tiles(AOI)[-1].guid)[:2]
    order = cs.place(
        spec(aoi=None, tile_guids=(tile.guid,), minitile_guids=tuple(m.guid for m in minis), end=date(2024, 1, 10)),
        "ref-tiles",
    ).orders[0]
    assert order.kind is OrderKind.TILE
    sb.advance(3000)
    assets = cs.assets(order.id)
    assert {a.extra["kind"] for a in assets} == {"tile", "minitile"} and len(assets) == 3 * 2
    mini = next(a for a in assets if a.extra["kind"] == "minitile")
    assert cs.download(mini, tmp_path / "mini.tif").stat().st_size > 0
    other = make(sb, key="clearsky-sandbox-nocredit-key")
    with pytest.raises(errors.NotFound):
        other.assets(order.id)  # another account's order is not visible
    other.close()


def test_994_without_download_credits_is_a_payment_error(sb, tmp_path):
    broke = make(sb, key="clearsky-sandbox-nocredit-key")
    order = broke.place(spec(), "ref-broke").orders[0]
    sb.advance(3000)
    asset = broke.assets(order.id)[0]
    with pytest.raises(errors.PaymentRequired) as info:
        broke.download(asset, tmp_path / "broke.tif")
    assert info.value.billing_mode == "processing credits" and "processing credits" in str(info.value)
    assert not (tmp_path / "broke.tif").exists()
    broke.close()


def test_imagery_not_available_is_explained(cs, sb, tmp_path):
    order = cs.place(spec(), "ref-early").orders[0]
    sb.advance(3000)
    asset = cs.assets(order.id)[0]
    request = dict(asset.extra["request"], Date="2023-06-01")
    early = asset.model_copy(update={"extra": {**asset.extra, "request": request}})
    with pytest.raises(errors.ProviderRejected, match="not available") as info:
        cs.download(early, tmp_path / "early.tif")
    assert info.value.code == "1002"


def test_client_timeout_and_double_click_end_in_exactly_one_order(sb):
    import httpx

    adapter = ClearSky(
        {"api": sb.provider_url("clearsky")},
        Credentials(secret=KEY),
        plain_client(timeout=httpx.Timeout(1.0, connect=2.0)),
        policy=FAST,
        sleep=Sleeps(),
    )
    sb.fault(kind="hang_after_commit", prefix="/clearsky/api/tasking/orders", method="POST", delay=3, times=1)
    first = adapter.place(spec(), "ref-timeout").orders[0]
    again = adapter.place(spec(), "ref-timeout").orders[0]  # the user clicks again: same reference
    assert again.id == first.id
    assert [o.id for o in adapter.list_orders(OrderFilter(include_expired=True))] == [first.id]
    adapter.close()
