"""Geopera archive orders: estimate, place, lifecycle, get/list, cancellation with refunds."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import shape

from sandbox import geo
from support.geopera_sandbox import SYDNEY, Geopera, info

MINUTE = 60
# a second AOI inside SYDNEY, for groups with two AOIs
INNER = {
    "type": "Polygon",
    "coordinates": [[[151.18, -33.9], [151.2, -33.9], [151.2, -33.88], [151.18, -33.88], [151.18, -33.9]]],
}


@pytest.fixture
def geopera(sandbox):
    client = Geopera(sandbox)
    yield client
    client.close()


def test_estimate_is_priced_server_side_from_the_clipped_aoi(geopera):
    capture = geopera.capture()
    quote = geopera.ok("orders.archive.estimate", {"captures": [{"id": capture["id"], "geometry": SYDNEY}]})
    assert set(quote) == {"groups", "errors", "total_aud", "total_credits"} and quote["errors"] == []
    clipped = geo.polygonal_part(shape(SYDNEY).intersection(shape(capture["geometry"])))
    rate = capture["properties"]["geopera:price"]["credits_per_km2"]
    assert quote["total_credits"] == math.ceil(geo.area_km2(clipped) * rate)
    assert isinstance(quote["total_credits"], int) and quote["total_aud"] == round(quote["total_credits"] / 100, 2)
    group = quote["groups"][0]
    assert group["captures"] == [capture["id"]] and group["aoi_km2"] == round(geo.area_km2(clipped), 2)
    whole = geopera.ok("orders.archive.estimate", {"captures": [{"id": capture["id"]}]})  # no geometry: footprint
    assert whole["total_credits"] == capture["properties"]["geopera:price"]["scene_credits"]


def test_estimate_groups_by_aoi_and_date_and_lists_unpriceable_captures(geopera):
    found = geopera.search(intersects=INNER, datetime="2021-01-01T00:00:00Z/..", limit=3)["features"]
    assert len(found) >= 2
    a, b = found[0]["id"], found[1]["id"]
    s2 = geopera.ok(
        "catalog.search",
        {"host_name": "earthsearch-aws", "collections": ["sentinel-2-l2a"], "intersects": SYDNEY, "limit": 1},
    )["features"][0]["id"]
    cart = [
        {"id": a, "geometry": INNER},
        {"id": b, "geometry": INNER},
        {"id": s2, "geometry": INNER},
        {"id": "00000000-0000-4000-8000-000000000000"},
        {"nope": 1},
        {"id": a, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}},
    ]
    together = geopera.ok("orders.archive.estimate", {"captures": cart, "splitByDate": False})
    assert [g["captures"] for g in together["groups"]] == [[a, b]]
    codes = {e["index"]: e["code"] for e in together["errors"]}
    assert codes == {2: "unsupported_product", 3: "unknown_capture", 4: "invalid_capture", 5: "no_overlap"}
    split = geopera.ok("orders.archive.estimate", {"captures": cart[:2], "splitByDate": True})
    dates = {found[0]["properties"]["datetime"][:10], found[1]["properties"]["datetime"][:10]}
    assert len(split["groups"]) == len(dates) and {g["date"] for g in split["groups"]} == dates
    assert split["total_credits"] >= together["total_credits"] - 1


def test_place_answers_202_with_the_order_and_reserves_credits(sandbox, geopera):
    before = geopera.ok("billing.credits.balance")["balance_credits"]
    order = geopera.placed(displayName="Nadir ref-1", tags=["nadir"])
    assert {"id", "status", "orderType", "billingMode", "currency", "totalAud", "totalCredits", "groups"} <= set(order)
    assert order["status"] == "processing" and order["orderType"] == "archive" and order["billingMode"] == "credit"
    assert order["currency"] == "AUD" and order["payment"]["status"] == "reserved"
    assert order["projectId"] == info(sandbox)["projects"]["org_demo"]
    after = geopera.ok("billing.credits.balance")
    assert after["balance_credits"] == before - order["totalCredits"]
    assert after["balance_aud"] == after["balance_credits"] / 100


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["body", "captures"]),
        ({"captures": []}, ["body", "captures"]),
        ({"captures": [{"geometry": SYDNEY}]}, ["body", "captures", 0, "id"]),
        ({"captures": [{"id": "x"}], "licenseType": "exclusive"}, ["body", "licenseType"]),
        ({"captures": [{"id": "x"}], "colour": "red"}, ["body", "colour"]),
        ({"captures": [{"id": "x"}]}, ["body", "captures", 0]),  # not priceable: unknown capture
    ],
)
def test_invalid_placements_are_422(geopera, body, loc):
    response = geopera.op("orders.archive.place", body, headers={"Idempotency-Key": "k"})
    assert response.status_code == 422, response.text
    assert loc in [d["loc"] for d in response.json()["detail"]]


def test_foreign_project_is_404(sandbox, geopera):
    capture = geopera.capture()
    other_project = info(sandbox)["projects"]["org_other"]
    response = geopera.place([{"id": capture["id"]}], projectId=other_project)
    assert response.status_code == 404


def test_lifecycle_get_and_guide_style_get(sandbox, geopera):
    order = geopera.placed()
    statuses = [geopera.ok("orders.get", {"order_id": order["id"]})["status"]]
    for _ in range(2):
        sandbox.advance(31 * MINUTE)
        statuses.append(geopera.ok("orders.get", {"order_id": order["id"]})["status"])
    assert statuses == ["processing", "delivering", "delivered"]
    guide = geopera.http.get("/v1/op/orders.get", params={"id": order["id"]})
    assert guide.status_code == 200 and guide.json()["status"] == "delivered"
    assert guide.json()["payment"]["status"] == "captured"
    missing = geopera.op("orders.get", {"id": order["id"]})  # the spec's field is order_id
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "order_id"]


def test_list_pages_and_filters(sandbox, geopera):
    ids = []
    for n in range(5):
        ids.append(geopera.placed(displayName=f"Nadir ref-{n}", tags=["nadir", f"ref-{n}"])["id"])
        sandbox.advance(MINUTE)
    first = geopera.ok("orders.list", {"size": 2})
    assert first["totalElements"] == 5 and first["totalPages"] == 3 and first["number"] == 0
    seen = [o["id"] for page in range(3) for o in geopera.ok("orders.list", {"size": 2, "page": page})["content"]]
    assert seen == list(reversed(ids))  # createdAt,desc
    assert [o["id"] for o in geopera.ok("orders.list", {"tags": "ref-3"})["content"]] == [ids[3]]
    assert [o["id"] for o in geopera.ok("orders.list", {"displayName": "REF-1"})["content"]] == [ids[1]]
    both = geopera.ok("orders.list", {"orderIds": f"{ids[0]},{ids[4]}", "sort": "createdAt,asc"})["content"]
    assert [o["id"] for o in both] == [ids[0], ids[4]]
    sandbox.advance(26 * MINUTE + 30)  # orders are 31.5, 30.5, 29.5... minutes old
    delivering = geopera.ok("orders.list", {"status": "delivering"})["content"]
    assert {o["id"] for o in delivering} == set(ids[:2])
    assert geopera.ok("orders.list", {"dataProductIds": "phr", "type": "ARCHIVE"})["totalElements"] == 5
    assert geopera.op("orders.list", {"status": "shipped"}).status_code == 422
    assert geopera.op("orders.list", {"size": 0}).status_code == 422


def test_cancel_refunds_while_processing_and_is_409_later(sandbox, geopera):
    start = geopera.ok("billing.credits.balance")["balance_credits"]
    order = geopera.placed()
    response = geopera.op("orders.cancel", {"order_id": order["id"]})
    assert response.status_code == 200
    body = response.json()
    assert body["orderId"] == order["id"] and body["status"] == "cancelled"
    assert body["refund"]["credits"] == order["totalCredits"]
    assert geopera.ok("billing.credits.balance")["balance_credits"] == start
    assert geopera.ok("orders.get", {"order_id": order["id"]})["status"] == "cancelled"
    again = geopera.op("orders.cancel", {"order_id": order["id"]})
    assert again.status_code == 409 and again.json()["type"].endswith("/invalid-state")
    late = geopera.placed()
    sandbox.advance(31 * MINUTE)
    refused = geopera.op("orders.cancel", {"order_id": late["id"]})
    assert refused.status_code == 409 and "delivering" in refused.json()["detail"]


def test_provider_failure_refunds(sandbox, geopera):
    start = geopera.ok("billing.credits.balance")["balance_credits"]
    order = geopera.placed()
    failed = sandbox.admin("POST", f"geopera/orders/{order['id']}/fail")
    assert failed["status"] == "failed" and failed["payment"]["status"] == "refunded"
    assert geopera.ok("billing.credits.balance")["balance_credits"] == start


def test_orders_of_another_org_are_404(sandbox, geopera):
    order = geopera.placed()
    other = Geopera(sandbox, key=next(k["key"] for k in info(sandbox)["api_keys"] if k["org"] == "org_other"))
    assert other.op("orders.get", {"order_id": order["id"]}).status_code == 404
    assert other.op("orders.cancel", {"order_id": order["id"]}).status_code == 404
    assert other.ok("orders.list", {})["totalElements"] == 0


def test_v2_orders_route_runs_the_archive_placement(sandbox, geopera):
    """Seed 003: POST /v2/orders runs orders.archive.place with the same scope, pricing and
    idempotency; an UP42-shaped body (params.id + featureCollection) is read as captures."""
    capture = geopera.capture()
    estimate = geopera.ok("orders.archive.estimate", {"captures": [{"id": capture["id"], "geometry": SYDNEY}]})
    project = info(sandbox)["projects"]["org_demo"]
    up42_shaped = {
        "dataProduct": "archive",
        "displayName": "Nadir v2",
        "tags": ["nadir"],
        "params": {"id": capture["id"]},
        "featureCollection": {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": SYDNEY, "properties": {}}],
        },
    }
    key = {"Idempotency-Key": "v2-route-1"}
    placed = geopera.http.post("/v2/orders", params={"workspaceId": project}, json=up42_shaped, headers=key)
    assert placed.status_code == 202, placed.text
    order = placed.json()
    assert order["orderType"] == "archive" and order["totalCredits"] == estimate["total_credits"]
    assert order["displayName"] == "Nadir v2" and order["tags"] == ["nadir"] and order["projectId"] == project
    # the same key replays the same order, on this route and on the operation's
    again = geopera.http.post("/v2/orders", params={"workspaceId": project}, json=up42_shaped, headers=key)
    assert again.status_code == 202 and again.json()["id"] == order["id"]
    # the archive.place body works as it is; a body without captures is the operation's 422
    direct = geopera.http.post("/v2/orders", json={"captures": [{"id": capture["id"], "geometry": SYDNEY}]})
    assert direct.status_code == 202 and direct.json()["id"] != order["id"]
    assert geopera.http.post("/v2/orders", json={"dataProduct": "x"}).status_code == 422
    # the same scope: an API key may not place here either
    key_only = Geopera(sandbox, auth="x-api-key")
    refused = key_only.http.post("/v2/orders", json=up42_shaped)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "missing scope 'orders:write' for 'orders.archive.place'"
    key_only.close()
