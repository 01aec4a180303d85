"""OneAtlas answers read tolerantly (STYLE.md 8, issue 15): numbers sent as strings are read,
members of the wrong type are skipped, and nothing raises a TypeError/ValueError."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from nadir.providers.oneatlas import wire

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
SQUARE = {"type": "Polygon", "coordinates": [[[1.0, 43.0], [1.1, 43.0], [1.1, 43.1], [1.0, 43.0]]]}


def test_numbers_sent_as_strings_are_read():
    capture = wire.capture(
        {
            "properties": {"id": "a", "cloudCover": "12.5", "incidenceAngle": "3.25", "resolution": "0.5"},
            "geometry": SQUARE,
        }
    )
    assert (capture.cloud_cover, capture.incidence_angle, capture.gsd) == (12.5, 3.25, 0.5)
    estimate = wire.estimate(
        {"price": {"credits": "100", "areaKm2": "5"}, "deliveries": [{"amount": "100", "areaKm2": "5"}]}, NOW
    )
    assert estimate.total.amount == Decimal("100") and estimate.area_km2 == 5.0
    assert estimate.lines[0].price.amount == Decimal("100")
    assert wire.order({"id": "x", "price": "100"}).price.amount == Decimal("100")
    assert wire.orders_page({"items": [], "totalResults": "100"}) == ([], 100)


def test_a_bare_price_is_the_total():
    estimate = wire.estimate({"price": "100"}, NOW)
    assert estimate.total.amount == Decimal("100")
    assert wire.estimate({"price": 12.5}, NOW).total.amount == Decimal("12.5")


@pytest.mark.parametrize("bad", [5, "abc", True, {"a": 1}, None, float("nan"), float("inf")])
def test_members_of_the_wrong_type_are_skipped(bad):
    order = wire.order(
        {
            "id": "x",
            "status": "delivered",
            "tags": bad,
            "deliveries": bad,
            "payload": {"products": bad, "tags": bad},
            "price": bad,
        }
    )
    assert order.id == "x"
    assert wire.estimate({"price": {"credits": "1"}, "deliveries": bad}, NOW).total.amount == Decimal("1")
    items, total = wire.orders_page({"items": bad, "totalResults": bad})
    assert items == [] and total == (5 if bad == 5 and bad is not True else None)
    assert wire.orders_page(bad) == ([], None)


def test_a_delivery_with_an_unreadable_aoi_keeps_its_download_without_a_bbox():
    order = wire.order(
        {
            "id": "x",
            "deliveries": [
                {
                    "status": "delivered",
                    "_links": {"download": {"href": "https://access/x"}},
                    "datas": {"aoi": {"type": "Polygon", "coordinates": 5}},
                }
            ],
        }
    )
    [asset] = wire.assets(order, "https://access")
    assert asset.href == "https://access/x" and asset.bbox is None


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": [[[1.0, "["], [1.1, 43.0], [1.1, 43.1], [1.0, 43.0]]]},
        {"type": "Polygon", "coordinates": [[[[1.0]], [1.1, 43.0], [1.1, 43.1], [1.0, 43.0]]]},
        {"type": "Polygon", "coordinates": [[[1.0, float("nan")], [1.1, 43.0], [1.1, 43.1], [1.0, 43.0]]]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": 5},
        {"type": 5, "coordinates": []},
    ],
)
def test_a_capture_whose_footprint_cannot_be_drawn_is_left_out(geometry):
    """Found by test_properties_adapters: the capture came back and shape(footprint) raised
    later, wherever the footprint was drawn or ordered (the same for UP42 and Geopera,
    whose readers share wire.is_geometry)."""
    from nadir.providers.geopera import models as geopera_models
    from nadir.providers.up42 import catalog as up42_catalog

    feature = {"type": "Feature", "id": "a", "properties": {"id": "a"}, "geometry": geometry}
    assert wire.capture(feature) is None
    assert geopera_models.capture_from_feature(feature, "oneatlas") is None
    assert up42_catalog.capture_from_feature(feature, "oneatlas", "https://a") is None
