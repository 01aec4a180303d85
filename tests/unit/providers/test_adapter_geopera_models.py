"""Geopera request builders and response readers, from the documented examples (no network)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from nadir.core.errors import InvalidResponse
from nadir.core.models import ArchiveSpec, CaptureRef, Lifecycle, SearchQuery
from nadir.providers.geopera import models as g

POLYGON = {"type": "Polygon", "coordinates": [[[151.1, -33.9], [151.3, -33.9], [151.3, -33.8], [151.1, -33.9]]]}


def test_guide_status_and_unknowns():
    assert g.lifecycle("processing") is Lifecycle.IN_PROGRESS
    assert g.lifecycle("Delivered") is Lifecycle.COMPLETED and g.lifecycle("cancelled") is Lifecycle.CANCELLED
    assert g.lifecycle("FULFILLED") is Lifecycle.COMPLETED  # UP42-shaped (provider-compatible) lists
    assert g.lifecycle("quantum_state") is Lifecycle.UNKNOWN and g.lifecycle("") is Lifecycle.UNKNOWN


def test_place_response_from_the_guide():
    body = {
        "id": "f2b1c0de-1",
        "status": "processing",
        "orderType": "archive",
        "billingMode": "credit",
        "currency": "AUD",
        "totalAud": 42.00,
        "totalCredits": 4200,
        "groups": [{"captures": ["scene-abc"], "aud": 42.0}],
    }
    order = g.order_from_json(body, "orders.archive.place")
    assert order.id == "f2b1c0de-1" and order.status is Lifecycle.IN_PROGRESS and order.raw_status == "processing"
    assert order.price.amount == Decimal("42.0") and order.price.currency == "AUD"
    assert order.extra["billing_mode"] == "credit" and order.extra["credits"] == "4200"
    assert order.extra["captures"] == ["scene-abc"]
    with pytest.raises(InvalidResponse) as info:
        g.order_from_json({"status": "processing"}, "orders.get")
    assert info.value.endpoint == "orders.get" and info.value.provider == "geopera"


def test_estimate_from_the_guide_example_and_errors():
    body = {
        "groups": [{"captures": ["scene-abc", "scene-def"], "aoi_km2": 12.4, "credits": 4200, "aud": 42.00}],
        "errors": [{"id": "scene-x", "message": "unsupported product"}, "odd"],
        "total_aud": 42.00,
        "total_credits": 4200,
    }
    estimate = g.estimate_from_json(body, "orders.archive.estimate")
    assert estimate.total.amount == Decimal("42.0") and estimate.total.currency == "AUD"
    assert [str(m) for m in estimate.other_totals] == ["4200 credits"]
    assert estimate.lines[0].items == ("scene-abc", "scene-def") and estimate.lines[0].area_km2 == 12.4
    assert [(e.item, e.message) for e in estimate.errors] == [("scene-x", "unsupported product"), ("capture 1", "odd")]
    assert g.estimate_from_json({"total_credits": 250}, "e").total.amount == Decimal("2.5")  # 100 credits = A$1
    with pytest.raises(InvalidResponse):
        g.estimate_from_json([], "orders.archive.estimate")


def test_search_body_follows_catalog_search_input():
    query = SearchQuery(
        geometry=POLYGON,
        start=datetime(2024, 1, 1, tzinfo=timezone.utc),
        end=datetime(2024, 6, 30, 23, 59, 59, tzinfo=timezone.utc),
        max_cloud=20,
        collections=("sentinel-2-l2a",),
    )
    body = g.search_body(query, "earthsearch-aws", 900)
    assert body == {
        "host_name": "earthsearch-aws",
        "intersects": POLYGON,
        "datetime": "2024-01-01T00:00:00Z/2024-06-30T23:59:59Z",
        "limit": 500,
        "collections": ["sentinel-2-l2a"],
        "query": {"cloudCoverage": {"LTE": 20}},
    }


@pytest.mark.parametrize(
    "page, token",
    [
        ({"next": "abc"}, "abc"),
        (
            {
                "links": [
                    {
                        "rel": "next",
                        "href": "https://x/v1/op/catalog.search",
                        "method": "POST",
                        "body": {"next": "tok"},
                        "merge": True,
                    }
                ]
            },
            "tok",
        ),
        ({"links": [{"rel": "next", "href": "https://x/search?next=n%3A42"}]}, "n:42"),
        ({"links": [{"rel": "self", "href": "https://x"}]}, None),
        ({"next": None}, None),
    ],
)
def test_next_token_is_read_from_every_documented_place(page, token):
    assert g.next_token(page) == token


def test_stac_item_to_capture_and_stream_lines():
    item = {
        "type": "Feature",
        "id": "cap-1",
        "collection": "phr",
        "geometry": POLYGON,
        "properties": {
            "datetime": "2024-02-03T04:05:06Z",
            "eo:cloud_cover": 3.5,
            "gsd": 0.5,
            "view:incidence_angle": 12.0,
            "constellation": "pleiades",
        },
        "assets": {"thumbnail": {"href": "http://q/1.png", "type": "image/png"}},
    }
    capture = g.capture_from_feature(item, "host")
    assert capture.id == "cap-1" and capture.cloud_cover == 3.5 and capture.incidence_angle == 12.0
    assert capture.quicklook_url == "http://q/1.png" and capture.acquired.day == 3 and capture.host == "host"
    assert g.capture_from_feature({"id": "x", "geometry": None}, "h") is None
    assert g.stream_line_features(item) == [item]
    assert g.stream_line_features({"type": "progress", "done": 1}) == []
    assert g.stream_line_features({"feature": item}) == [item]
    assert g.stream_line_features({"type": "FeatureCollection", "features": [item, 3]}) == [item]


def test_archive_bodies():
    spec = ArchiveSpec(
        provider="geopera",
        captures=(CaptureRef(id="scene-abc", geometry=POLYGON, collection="c"),),
        options={"split_by_date": True, "project_id": "p1"},
    )
    assert g.estimate_body(spec) == {
        "captures": [{"id": "scene-abc", "geometry": POLYGON, "collection": "c"}],
        "splitByDate": True,
    }
    place = g.place_body(spec, "0f4e-ref")
    assert place["projectId"] == "p1" and place["licenseType"] == "standard" and place["splitByDate"] is True
    assert place["tags"] == ["nadir-ref-0f4e-ref"]
    assert g.order_from_json({"id": "o", "tags": place["tags"]}, "orders.get").client_reference == "0f4e-ref"


@pytest.mark.parametrize(
    "problem, words",
    [
        (
            {
                "status": 402,
                "title": "Payment Required",
                "detail": "insufficient credits",
                "reason": "insufficient_credits",
                "billing_mode": "credit",
            },
            "not enough credits",
        ),
        ({"status": 402, "detail": "card declined", "reason": "card_declined", "billing_mode": "card"}, "declined"),
        (
            {
                "type": "https://api.geopera.com/problems/no-payment-method",
                "status": 402,
                "detail": "no payment method",
            },
            "no payment method",
        ),
        (
            {
                "status": 402,
                "detail": "authentication required",
                "reason": "requires_action",
                "billing_mode": "card",
                "client_secret": "pi_3abc_secret_xyz",
            },
            "3-D Secure",
        ),
    ],
)
def test_payment_required_variants_keep_the_secret_out_of_text(problem, words):
    exc = g.payment_required(problem, "orders.archive.place")
    assert words in exc.message
    assert exc.reason == problem.get("reason", "no-payment-method")
    assert exc.billing_mode == problem.get("billing_mode", "card")
    assert exc.client_secret == problem.get("client_secret")
    for text in (str(exc), repr(exc), exc.details, exc.message):
        assert "pi_3abc_secret_xyz" not in text


def test_assets_carry_provenance():
    body = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "item-1",
                "collection": "phr",
                "bbox": [1, 2, 3, 4],
                "geometry": POLYGON,
                "properties": {"datetime": "2024-02-03T04:05:06Z", "geopera:order_id": "o-1"},
                "links": [{"rel": "derived_from", "href": "https://api/v1/op/orders.get?order_id=o-1"}],
                "assets": {
                    "visual": {
                        "href": "https://api.example/files/1.tif",
                        "type": "image/tiff; application=geotiff; profile=cloud-optimized",
                        "roles": ["data"],
                        "file:size": 1234,
                        "file:checksum": "1220" + "ab" * 32,
                    },
                    "broken": {"type": "image/png"},
                },
            }
        ],
    }
    assets = g.assets_from_json(body, "o-1", "api.example", "orders.list_assets")
    assert len(assets) == 1
    asset = assets[0]
    assert asset.order_id == "o-1" and asset.id == "item-1/visual" and asset.product == "phr"
    assert asset.acquired.year == 2024 and asset.size == 1234 and asset.checksum == "sha256:" + "ab" * 32
    assert asset.needs_auth and asset.streamable and asset.bbox == (1, 2, 3, 4)
    assert asset.extra["geopera:order_id"] == "o-1" and asset.extra["links"][0]["rel"] == "derived_from"
