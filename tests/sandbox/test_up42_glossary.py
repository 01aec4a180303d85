"""UP42 glossary: collections, data products, order schemas, access requests."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from support.sandbox_http import HTTP
from support.up42_sandbox import Up42, users

FIXTURES = Path(__file__).resolve().parents[2] / "sandbox" / "contract_data" / "up42"
PAGE_KEYS = set(json.loads((FIXTURES / "sdk-fixtures" / "get_quotations_single_page.json").read_text()))


def shape(value):
    """Key structure of a JSON value (dict keys recursively, first list element)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def covers(served, fixture) -> bool:
    """Every key of the fixture's structure is in what the sandbox served."""
    if isinstance(fixture, dict):
        return isinstance(served, dict) and all(k in served and covers(served[k], v) for k, v in fixture.items())
    if isinstance(fixture, list) and fixture:
        return isinstance(served, list) and bool(served) and all(covers(s, fixture[0]) for s in served)
    return True


def test_collections_are_a_spring_page_shaped_like_the_sdk_payload(sandbox):
    page = HTTP.get(sandbox.url + "/up42/v2/collections").json()
    assert set(page) == PAGE_KEYS
    payloads = json.loads((FIXTURES / "sdk-test-payloads.json").read_text())
    expected = payloads["collections_page"]["body"]["content"][0]
    enums = payloads["collections_page"]["enums"]
    integrations = payloads["enums"]["integration_values"]["values"]
    for item in page["content"]:
        assert covers(shape(item), shape(expected))
        assert item["type"] in enums["type"] and item["metadata"]["resolutionClass"] in enums["resolutionClass"]
        assert set(item["integrations"]) <= set(integrations)
        assert all(set(p["roles"]) <= set(enums["roles"]) for p in item["providers"])
    assert {"ARCHIVE", "TASKING"} == {c["type"] for c in page["content"]}


def test_collections_page_through_consistently(sandbox):
    first = HTTP.get(sandbox.url + "/up42/v2/collections", params={"size": 2, "page": 0, "sort": "name,asc"}).json()
    names = [c["name"] for c in first["content"]]
    for number in range(1, first["totalPages"]):
        page = HTTP.get(
            sandbox.url + "/up42/v2/collections", params={"size": 2, "page": number, "sort": "name,asc"}
        ).json()
        assert page["number"] == number and page["first"] is False
        names += [c["name"] for c in page["content"]]
    assert names == sorted(names) and len(names) == len(set(names)) == first["totalElements"]
    assert HTTP.get(sandbox.url + "/up42/v2/collections", params={"size": 0}).status_code == 400
    bad_sort = HTTP.get(sandbox.url + "/up42/v2/collections", params={"sort": "colour,asc"})
    assert bad_sort.status_code == 400 and bad_sort.json()["code"] == 400


def test_one_collection_and_the_documented_404(sandbox):
    assert HTTP.get(sandbox.url + "/up42/v2/collections/phr").json()["name"] == "phr"
    missing = HTTP.get(sandbox.url + "/up42/v2/collections/nope")
    assert missing.status_code == 404
    assert missing.json() == {"code": 404, "message": "Collection with name nope not found", "details": None}


def test_data_products_follow_the_fixture_in_a_data_envelope(sandbox):
    client = Up42(sandbox)
    body = client.http.get("/data-products").json()
    assert body["error"] is None
    fixture = json.loads((FIXTURES / "sdk-fixtures" / "data_products.json").read_text())[0]
    assert all(covers(shape(p), shape(fixture)) for p in body["data"])
    assert {p["collectionName"] for p in body["data"]} >= {"phr", "phr-tasking"}


def test_tasking_schema_is_the_fixture_and_the_archive_schema_is_draft7(sandbox):
    client = Up42(sandbox)
    served = client.http.get(f"/orders/schema/{client.product('phr-tasking')}").json()
    assert served == json.loads((FIXTURES / "sdk-fixtures" / "data_product_schema_phr_tasking.json").read_text())
    # seed 002's product id for the Pléiades tasking product
    assert client.product("phr-tasking") == "bd102407-1814-4f92-8b5a-7697b7a73f5a"
    archive = client.http.get(f"/orders/schema/{client.product('phr')}").json()
    jsonschema.Draft7Validator.check_schema(archive)
    assert set(archive["required"]) == {"id", "aoi"}
    missing = client.http.get("/orders/schema/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 404 and missing.json()["data"] == {}


def test_access_requests_list_and_change(sandbox):
    demo, other = Up42(sandbox), Up42(sandbox, user=1)
    mine = demo.http.get("/v2/access-requests").json()
    assert set(mine) == PAGE_KEYS
    assert {r["collectionName"]: r["status"] for r in mine["content"]} == {
        "phr-tasking": "APPROVED",
        "pneo-tasking": "APPROVED",
    }
    pending = other.http.get("/v2/access-requests", params={"status": "PENDING"}).json()["content"]
    assert [r["collectionName"] for r in pending] == ["pneo-tasking"]
    sandbox.admin(
        "POST",
        "up42/access",
        {"workspaceId": users(sandbox)[1]["workspaceId"], "collectionName": "pneo-tasking", "status": "APPROVED"},
    )
    approved = other.http.get("/v2/access-requests", params={"collectionName": "pneo-tasking"}).json()["content"]
    assert approved[0]["status"] == "APPROVED"
    assert other.http.get("/v2/access-requests", params={"status": "MAYBE"}).status_code == 400
    foreign = other.http.get("/v2/access-requests", params={"workspaceId": demo.workspace})
    assert foreign.status_code == 403 and foreign.json()["code"] == 403
