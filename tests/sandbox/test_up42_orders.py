"""UP42 v2 orders: estimate, placement, list/get, tags, cancellation, archive lifecycle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely.geometry

from support.up42_sandbox import BERLIN, Up42, box

FIXTURES = Path(__file__).resolve().parents[2] / "sandbox" / "contract_data" / "up42"
PAYLOADS = json.loads((FIXTURES / "sdk-test-payloads.json").read_text())
PAGE_KEYS = set(json.loads((FIXTURES / "sdk-fixtures" / "get_quotations_single_page.json").read_text()))


@pytest.fixture
def up42(sandbox):
    client = Up42(sandbox)
    yield client
    client.close()


def test_estimate_prices_each_feature_and_reports_bad_ones(up42):
    capture = up42.capture()
    body = up42.order_body(
        "phr",
        {"id": capture["properties"]["id"]},
        BERLIN,
        {"type": "Point", "coordinates": [0, 0]},
        box(100, 10, 100.1, 10.1),
    )
    response = up42.http.post("/v2/orders/estimate", json=body)
    assert response.status_code == 200
    estimate = response.json()
    assert set(estimate) == set(PAYLOADS["order_estimate_response"]["body"])
    assert [r["index"] for r in estimate["results"]] == [0]
    assert estimate["results"][0]["unit"] == "SQ_KM" and estimate["results"][0]["credits"] > 0
    assert estimate["summary"]["totalCredits"] == estimate["results"][0]["credits"]
    errors = {e["index"]: e for e in estimate["errors"]}
    assert set(errors) == {1, 2} and all(set(e) == {"index", "message", "details"} for e in errors.values())
    assert "does not intersect" in errors[2]["details"]
    # the price is the clipped AOI's: a bigger AOI over the same image costs at least as much
    bigger = up42.order_body("phr", {"id": capture["properties"]["id"]}, box(13.3, 52.4, 13.5, 52.6))
    assert (
        up42.http.post("/v2/orders/estimate", json=bigger).json()["summary"]["totalCredits"]
        >= estimate["summary"]["totalCredits"]
    )


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda b: b.pop("params"), "params"),
        (lambda b: b.pop("featureCollection"), "featureCollection"),
        (lambda b: b["featureCollection"].update(features=[]), "at least one feature"),
        (lambda b: b.update(colour="red"), "unknown field 'colour'"),
        (lambda b: b["params"].update(aoi=BERLIN), "goes in featureCollection"),
        (lambda b: b["params"].update(id="00000000-0000-4000-8000-000000000000"), "not found in collection phr"),
        (lambda b: b["params"].update(extra=1), "Additional properties"),
        (lambda b: b.update(tags="x"), "tags"),
    ],
)
def test_invalid_archive_requests_are_400_with_details(up42, mutate, needle):
    body = up42.order_body("phr", {"id": up42.capture()["properties"]["id"]}, BERLIN)
    mutate(body)
    for path in ("/v2/orders/estimate", f"/v2/orders?workspaceId={up42.workspace}"):
        response = up42.http.post(path, json=body)
        assert response.status_code == 400, response.text
        assert set(response.json()) == {"code", "message", "details"}
        assert needle in json.dumps(response.json())


def test_tasking_params_are_validated_against_the_product_schema(up42):
    good = up42.tasking_params()
    for change, needle in [
        ({"cloudCoverage": 30}, "cloudCoverage"),
        ({"acquisitionMode": "quad"}, "acquisitionMode"),
        ({"deliveredAs": "jp2"}, "deliveredAs"),
        ({"acquisitionEnd": good["acquisitionStart"]}, "after acquisitionStart"),
    ]:
        body = up42.order_body("phr-tasking", {**good, **change}, BERLIN)
        response = up42.http.post("/v2/orders/estimate", json=body)
        assert response.status_code == 400 and response.json()["message"] == "Order parameters errors"
        assert needle in json.dumps(response.json()["details"])
    missing = {k: v for k, v in good.items() if k != "pixelCoding"}
    response = up42.http.post("/v2/orders/estimate", json=up42.order_body("phr-tasking", missing, BERLIN))
    assert response.status_code == 400 and "pixelCoding" in json.dumps(response.json()["details"])
    # the tasking schema wants a Polygon: a MultiPolygon feature is a per-feature error
    multi = {"type": "MultiPolygon", "coordinates": [BERLIN["coordinates"]]}
    response = up42.http.post("/v2/orders/estimate", json=up42.order_body("phr-tasking", good, BERLIN, multi))
    assert response.status_code == 200
    assert [r["index"] for r in response.json()["results"]] == [0] and response.json()["errors"][0]["index"] == 1


def test_unknown_data_product_is_404(up42):
    body = up42.order_body("phr", {"id": "x"}, BERLIN)
    body["dataProduct"] = "00000000-0000-0000-0000-000000000000"
    response = up42.http.post("/v2/orders/estimate", json=body)
    assert response.status_code == 404 and response.json()["code"] == 404


def test_placement_needs_the_callers_workspace(sandbox, up42):
    body = up42.order_body("phr", {"id": up42.capture()["properties"]["id"]}, BERLIN)
    missing = up42.http.post("/v2/orders", json=body)
    assert missing.status_code == 400 and "workspaceId" in missing.json()["message"]
    other = Up42(sandbox, user=1)
    foreign = up42.http.post("/v2/orders", params={"workspaceId": other.workspace}, json=body)
    assert foreign.status_code == 403 and foreign.json()["code"] == 403


def test_placement_is_one_order_per_feature_and_keeps_tags_and_display_name(up42):
    capture = up42.capture(BERLIN)
    # the second feature lies inside the capture's footprint by construction, whatever capture
    # today's catalog picks: a small box around a point of footprint ∩ BERLIN
    inside = shapely.geometry.shape(capture["geometry"]).intersection(shapely.geometry.shape(BERLIN))
    x, y = inside.representative_point().coords[0]
    small = box(x - 0.001, y - 0.001, x + 0.001, y + 0.001)
    body = up42.order_body(
        "phr",
        {"id": capture["properties"]["id"]},
        BERLIN,
        small,
        {"type": "Point", "coordinates": [1, 1]},
        display_name="ref-4711",
        tags=["nadir", "ref-4711"],
    )
    response = up42.place(body)
    assert response.status_code == 200
    placed = response.json()
    assert set(placed) == set(PAYLOADS["order_place_response"]["body"])
    assert [r["index"] for r in placed["results"]] == [0, 1] and placed["errors"][0]["index"] == 2
    order = up42.order(placed["results"][0]["id"])
    expected_keys = set(PAYLOADS["order_get_response_archive"]["body"]) | {
        "createdAt",
        "updatedAt",
        "createdBy",
        "updatedBy",
    }
    assert set(order) == expected_keys
    assert order["status"] == "CREATED" and order["type"] == "ARCHIVE" and order["workspaceId"] == up42.workspace
    assert order["displayName"] == "ref-4711" and order["tags"] == ["nadir", "ref-4711"]
    assert order["orderDetails"] == {"aoi": BERLIN, "imageId": capture["properties"]["id"]}


def test_archive_lifecycle_advances_on_the_clock(sandbox, up42):
    order_id = up42.place_archive()
    seen = [up42.order(order_id)["status"]]
    for minutes in (11, 5, 15, 30):
        sandbox.advance(minutes * 60)
        seen.append(up42.order(order_id)["status"])
    assert seen == ["CREATED", "BEING_PLACED", "PLACED", "BEING_FULFILLED", "FULFILLED"]
    assert up42.order(order_id)["updatedAt"] > up42.order(order_id)["createdAt"]


def test_cancellation_only_in_created_or_placement_failed(sandbox, up42):
    early = up42.place_archive()
    response = up42.http.post(f"/v2/orders/{early}/cancellation")
    assert response.status_code == 200 and response.json() == {"orderId": early, "status": "CANCELED"}
    assert up42.order(early)["status"] == "CANCELED"
    sandbox.advance(3 * 3600)
    assert up42.order(early)["status"] == "CANCELED"  # cancelled orders stay cancelled

    late = up42.place_archive()
    sandbox.advance(20 * 60)
    refused = up42.http.post(f"/v2/orders/{late}/cancellation")
    assert refused.status_code == 409
    assert set(refused.json()) == {"code", "message", "details"} and "PLACED" in refused.json()["message"]

    failed = up42.place_archive()
    sandbox.admin("POST", f"up42/orders/{failed}/fail", {"status": "PLACEMENT_FAILED"})
    assert up42.order(failed)["status"] == "PLACEMENT_FAILED"
    assert up42.http.post(f"/v2/orders/{failed}/cancellation").status_code == 200
    assert up42.order(failed)["status"] == "CANCELED"


def test_tags_are_merge_patched(up42):
    order_id = up42.place_archive(tags=["a"])
    response = up42.http.patch(
        f"/v2/orders/{order_id}",
        content=json.dumps({"tags": ["new", "tags"]}),
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 200 and response.json()["tags"] == ["new", "tags"]
    assert response.json()["updatedBy"]["type"] == "USER"
    cleared = up42.http.patch(
        f"/v2/orders/{order_id}", content=b'{"tags": null}', headers={"Content-Type": "application/merge-patch+json"}
    )
    assert cleared.json()["tags"] == []
    wrong_type = up42.http.patch(f"/v2/orders/{order_id}", json={"tags": ["x"]})
    assert wrong_type.status_code == 415
    other_field = up42.http.patch(
        f"/v2/orders/{order_id}",
        content=b'{"displayName": "x"}',
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert other_field.status_code == 400


def test_list_filters_by_tags_display_name_status_and_type(sandbox, up42):
    first = up42.place_archive(display_name="Nadir ref-AAA", tags=["nadir", "ref-AAA"])
    sandbox.advance(20 * 60)
    second = up42.place_archive(display_name="Nadir ref-BBB", tags=["nadir", "ref-BBB"])

    def ids(**params):
        response = up42.http.get("/v2/orders", params=params)
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()["content"]]

    assert ids(tags="ref-AAA") == [first]
    assert ids(tags=["nadir", "ref-BBB"]) == [second]
    assert ids(tags="nadir,ref-BBB") == [second]
    assert ids(displayName="ref-aaa") == [first]
    assert ids(status="PLACED") == [first] and ids(status="CREATED") == [second]
    assert ids(status="CREATED,PLACED", sort="createdAt,asc") == [first, second]
    assert ids(type="TASKING") == [] and set(ids(type="ARCHIVE")) == {first, second}
    assert ids(workspaceId=up42.workspace) == [second, first]  # createdAt,desc by default
    for bad in ({"status": "DONE"}, {"type": "SPACE"}, {"sort": "price,asc"}, {"page": -1}):
        response = up42.http.get("/v2/orders", params=bad)
        assert response.status_code == 400 and response.json()["code"] == 400


def test_spring_paging_is_consistent_across_pages(up42):
    placed = {up42.place_archive(display_name=f"paged {n}") for n in range(5)}
    first = up42.http.get("/v2/orders", params={"size": 2, "page": 0}).json()
    assert set(first) == PAGE_KEYS
    assert first["totalElements"] == 5 and first["totalPages"] == 3 and first["first"] and not first["last"]
    seen = [o["id"] for o in first["content"]]
    page = 1
    while page < first["totalPages"]:  # the SDK's loop (up42/utils.py paged_query)
        body = up42.http.get("/v2/orders", params={"size": 2, "page": page}).json()
        seen += [o["id"] for o in body["content"]]
        page += 1
    assert body["last"] and body["numberOfElements"] == 1
    assert len(seen) == 5 and set(seen) == placed
    beyond = up42.http.get("/v2/orders", params={"size": 2, "page": 7}).json()
    assert beyond["content"] == [] and beyond["empty"] is True


def test_orders_of_another_workspace_are_invisible(sandbox, up42):
    order_id = up42.place_archive()
    other = Up42(sandbox, user=1)
    response = other.http.get(f"/v2/orders/{order_id}")
    assert response.status_code == 404 and response.json()["code"] == 404
    assert other.http.get("/v2/orders").json()["totalElements"] == 0
    assert other.http.post(f"/v2/orders/{order_id}/cancellation").status_code == 404
