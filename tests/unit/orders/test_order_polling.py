"""One polling cycle's work and the backoff between cycles (no QGIS)."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from nadir.core.errors import NotFound, OperationCancelled, ProviderAuthError, ProviderUnavailable, RateLimited
from nadir.core.models import CellLevel, GridCell, OrderKind
from nadir.core.orders.polling import FOOTPRINTS_PER_CYCLE, Backoff, fetch_orders
from support.orders_data import order


class Source:
    def __init__(self, provider, orders=(), fail=None, known=None):
        self.provider, self.orders, self.fail = provider, list(orders), fail
        self.known = known or {}
        self.calls = []

    def list_orders(self, order_filter=None, cancelled=lambda: False):
        self.calls.append(("list", order_filter.include_expired if order_filter else None))
        if self.fail:
            raise self.fail
        yield from self.orders

    def get_order(self, order_id):
        self.calls.append(("get", order_id))
        if order_id not in self.known:
            raise NotFound(f"no order {order_id}")
        return self.known[order_id]


def test_each_provider_listed_with_expired_orders_and_followed_ids_fetched():
    late = order("late")
    clearsky = Source("clearsky", [order("a")], known={"late": late})
    up42 = Source("up42", [order("u", provider="up42")])
    polls = fetch_orders({"clearsky": clearsky, "up42": up42}, {"clearsky": ["a", "late", "gone"]})
    assert [p.provider for p in polls] == ["clearsky", "up42"]
    cs = polls[0]
    assert cs.ok and cs.complete
    assert [o.id for o in cs.orders] == ["a", "late"]
    assert cs.missing == ("gone",)
    assert clearsky.calls == [("list", True), ("get", "late"), ("get", "gone")]
    assert [o.id for o in polls[1].orders] == ["u"]


def test_a_failing_provider_does_not_stop_the_others():
    broken = Source("clearsky", fail=ProviderUnavailable("down"))
    crashing = Source("geopera", fail=KeyError("adapter bug"))
    fine = Source("up42", [order("u", provider="up42")])
    polls = fetch_orders({"clearsky": broken, "geopera": crashing, "up42": fine})
    assert [type(p.error).__name__ if p.error else None for p in polls] == ["ProviderUnavailable", "KeyError", None]
    assert not polls[0].complete and polls[2].complete


def test_foreign_orders_in_a_listing_are_ignored():
    polls = fetch_orders({"clearsky": Source("clearsky", [order("a"), order("x", provider="up42")])})
    assert [o.id for o in polls[0].orders] == ["a"]


def test_cancellation_stops_the_cycle():
    with pytest.raises(OperationCancelled):
        fetch_orders({"clearsky": Source("clearsky", [order("a")])}, cancelled=lambda: True)


def test_backoff_doubles_caps_and_recovers():
    backoff = Backoff(interval_s=60, cap_s=600)
    assert backoff.due("clearsky", 0)
    assert backoff.failed("clearsky", 0) == 120
    assert not backoff.due("clearsky", 119) and backoff.due("clearsky", 120)
    assert backoff.failed("clearsky", 120) == 240
    assert backoff.failed("clearsky", 360) == 480
    assert backoff.failed("clearsky", 840) == 600
    assert backoff.failures("clearsky") == 4
    assert backoff.due("up42", 0)  # per provider
    assert backoff.succeeded("clearsky") is True
    assert backoff.succeeded("clearsky") is False
    assert backoff.due("clearsky", 841)


def test_backoff_auth_waits_the_cap_and_429_its_retry_after():
    backoff = Backoff(interval_s=30, cap_s=900)
    assert backoff.failed("up42", 0, ProviderAuthError("bad key")) == 900
    assert backoff.failed("geopera", 0, RateLimited("slow down", retry_after=500)) == 500
    backoff.reset("up42")
    assert backoff.due("up42", 1) and not backoff.due("geopera", 1)
    backoff.reset()
    assert backoff.due("geopera", 1)
    assert backoff.failures("geopera") == 1  # recovery is still reported after a reset


class GridSource(Source):
    def __init__(self, *args, fail_cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fail_cells = fail_cells

    def cells(self, tile_guids=(), minitile_guids=()):
        self.calls.append(("cells", ",".join([*tile_guids, *minitile_guids])))
        if self.fail_cells:
            raise self.fail_cells
        found = []
        for i, guid in enumerate([*tile_guids, *minitile_guids]):
            level = CellLevel.TILE if guid in tile_guids else CellLevel.MINITILE
            west = 10 + i * 0.1
            found.append(
                GridCell(
                    guid=guid,
                    level=level,
                    epsg=32632,
                    wkt=f"POLYGON(({west} 50, {west + 0.1} 50, {west + 0.1} 50.1, {west} 50.1, {west} 50))",
                )
            )
        return found


def tile_order(order_id, tiles=("t1",), minitiles=("m1",)):
    return order(order_id, kind=OrderKind.TILE, aoi=None, extra={"Tiles": list(tiles), "MiniTiles": list(minitiles)})


def test_tile_orders_get_their_footprint_from_the_grid_once():
    source = GridSource(
        "clearsky",
        [tile_order("tiles"), tile_order("known"), order("composite"), tile_order("empty", tiles=(), minitiles=())],
    )
    (poll,) = fetch_orders({"clearsky": source}, located={"clearsky": frozenset({"known"})})
    by_id = {o.id: o for o in poll.orders}
    area = by_id["tiles"].aoi
    assert area["type"] == "Polygon"  # two touching cells merged
    assert shape(area).bounds == pytest.approx((10.0, 50.0, 10.2, 50.1))
    assert by_id["known"].aoi is None and by_id["empty"].aoi is None
    assert [c for c in source.calls if c[0] == "cells"] == [("cells", "t1,m1")]


def test_footprints_are_bounded_per_cycle_and_failures_leave_the_order_off_the_map():
    many = [tile_order(f"o{i}") for i in range(FOOTPRINTS_PER_CYCLE + 5)]
    (poll,) = fetch_orders({"clearsky": GridSource("clearsky", many)})
    assert sum(1 for o in poll.orders if o.aoi) == FOOTPRINTS_PER_CYCLE
    (poll,) = fetch_orders({"clearsky": GridSource("clearsky", [tile_order("x")], fail_cells=ProviderUnavailable("x"))})
    assert poll.ok and poll.orders[0].aoi is None


def test_the_book_keeps_a_footprint_across_listings():
    from nadir.core.orders.book import OrderBook

    book = OrderBook()
    (poll,) = fetch_orders({"clearsky": GridSource("clearsky", [tile_order("tiles")])})
    book.apply_listing("clearsky", poll.orders)
    assert book.located("clearsky") == frozenset({"tiles"})
    assert book.apply_listing("clearsky", [tile_order("tiles")]) == []  # the provider's own listing has no area
    assert book.get(("clearsky", "tiles")).order.aoi is not None
