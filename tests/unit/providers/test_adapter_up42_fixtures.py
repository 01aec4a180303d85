"""Every UP42 SDK fixture and SDK test payload parses into core models (no network).

Fixtures: ``sandbox/contract_data/up42`` (copied byte for byte from shared/contracts/up42,
themselves from github.com/up42/up42-py, MIT).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from nadir.core.errors import InvalidResponse
from nadir.core.models import AccessStatus, ArchiveSpec, CaptureRef, Lifecycle, OrderKind, SearchQuery, TaskingSpec
from nadir.providers import stac
from nadir.providers.up42 import catalog
from nadir.providers.up42 import models as m

DATA = Path(__file__).resolve().parents[3] / "sandbox" / "contract_data" / "up42"
FIXTURES = DATA / "sdk-fixtures"
PAYLOADS = json.loads((DATA / "sdk-test-payloads.json").read_text(encoding="utf-8"))


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_every_fixture_file_is_covered_by_a_test():
    covered = {
        "catalog_search_params_simple.json",
        "catalog_search_response.json",
        "data_product_schema_phr_tasking.json",
        "data_products.json",
        "get_feasibility_NOT_DECIDED.json",
        "get_feasibility_multi_page_01.json",
        "get_quotations_multi_page_01.json",
        "get_quotations_single_page.json",
        "get_quotations_workspace_id.json",
        "order_archive_info.json",
    }
    assert {p.name for p in FIXTURES.glob("*.json")} == covered


def test_order_archive_info_fixture():
    order = m.parse_order(fixture("order_archive_info.json"), "/v2/orders/{id}")
    assert order.id == "da2310a2-c7fb-42ed-bead-fb49ad862c67"
    assert order.kind is OrderKind.TASKING and order.raw_status == "PLACED"
    assert order.sub_status == "FEASIBILITY_WAITING_UPLOAD" and order.status is Lifecycle.IN_PROGRESS
    assert order.title == "Pléiades Neo over North America"
    assert order.created_at == datetime(2023, 3, 17, 8, 53, 18, 272834, tzinfo=timezone.utc)
    assert order.product == "acc3f9a4-b622-49c1-b1e1-c762aa3e7e13"
    assert order.aoi is None  # the fixture's geometry is an empty object
    assert order.client_reference is None


@pytest.mark.parametrize("top", [None, "", "absent"])
def test_an_order_named_only_in_its_order_details_keeps_its_name(top):
    """Older UP42 order records carry the name only in ``orderDetails.displayName`` (seed 002's
    v1 request put ``displayName`` in ``params``; no provider document shows the record, so
    the sandbox does not serve it and this is tested on the fixture's shape)."""
    body = fixture("order_archive_info.json")
    name = body.pop("displayName")
    if top != "absent":
        body["displayName"] = top
    body["orderDetails"]["displayName"] = name
    assert m.parse_order(body, "/v2/orders/{id}").title == "Pléiades Neo over North America"
    body["orderDetails"]["displayName"] = {"not": "a name"}
    assert m.parse_order(body, "/v2/orders/{id}").title == ""
    both = fixture("order_archive_info.json")
    both["orderDetails"]["displayName"] = "older"
    assert m.parse_order(both, "/v2/orders/{id}").title == "Pléiades Neo over North America"


@pytest.mark.parametrize(
    "name", ["order_get_response_base", "order_get_response_archive", "order_get_response_tasking"]
)
def test_order_payloads(name):
    order = m.parse_order(PAYLOADS[name]["body"], "/v2/orders/{id}")
    assert order.raw_status == "CREATED" and order.status is Lifecycle.PENDING
    assert order.extra["workspace_id"] == "workspace_id_123"
    if name.endswith("tasking"):
        assert order.kind is OrderKind.TASKING and order.sub_status == "FEASIBILITY_WAITING_UPLOAD"
        assert order.start is None  # "acquisition-start" is not a date: tolerated, not invented
    else:
        assert order.kind is OrderKind.ARCHIVE
    if name.endswith("archive"):
        assert order.extra["imageId"] == "image-id"


def test_order_list_page_payload_and_cancel_and_error_bodies():
    page = m.parse_page(PAYLOADS["order_list_page"]["body"], "/v2/orders")
    assert page.total_pages == 2 and page.has_more(0) and not page.has_more(1)
    cancelled = PAYLOADS["order_cancel"]["response_body"]
    assert m.lifecycle(cancelled["status"]) is Lifecycle.CANCELLED
    assert PAYLOADS["order_cancel"]["client_precondition"].endswith("[CREATED, PLACEMENT_FAILED]")
    assert m.CANCELLABLE == {"CREATED", "PLACEMENT_FAILED"}


def test_every_documented_status_maps_and_unknowns_are_kept():
    enums = PAYLOADS["enums"]
    statuses = set(enums["order_status_sdk_head"]["values"]) | set(enums["order_status_sdk_2025"]["values"])
    statuses |= set(enums["order_status_docs"]["values"])
    for status in statuses:
        assert m.lifecycle(status) is not Lifecycle.UNKNOWN, status
    assert m.lifecycle("FULFILLED") is Lifecycle.COMPLETED
    assert m.lifecycle("FAILED_PERMANENTLY").terminal and m.lifecycle("CANCELED").terminal
    for sub in enums["order_sub_status_sdk_head"]["values"]:
        expected = Lifecycle.AWAITING_DECISION if sub.endswith("WAITING_RESPONSE") else Lifecycle.IN_PROGRESS
        assert m.lifecycle("PLACED", sub) is expected
    order = m.parse_order({"id": "x", "status": "BRAND_NEW_STATE", "subStatus": "ODD", "type": "ARCHIVE"}, "/v2/orders")
    assert order.status is Lifecycle.UNKNOWN and order.raw_status == "BRAND_NEW_STATE" and order.sub_status == "ODD"


def test_estimate_payload_results_and_errors():
    body = m.parse_estimate(PAYLOADS["order_estimate_response"]["body"], "/v2/orders/estimate")
    lines, errors = m.estimate_lines(body, "scene-1", "scene-1")
    estimate = m.make_estimate([m.estimate_total(body)], lines, errors)
    assert estimate.total.amount == Decimal(10) and estimate.total.currency == "credits"
    assert lines[0].area_km2 == 50 and lines[0].price.amount == 10
    assert errors[0].item == "scene-1" and errors[0].message == "Failed: Invalid geometry"


def test_placement_payload():
    body = m.parse_placement(PAYLOADS["order_place_response"]["body"], "/v2/orders")
    assert [r.id for r in body.results] == ["da2310a2-c7fb-42ed-bead-fb49ad862c67"]
    errors = m.placement_errors(body, "")
    assert errors[0].item == "feature 1" and "Invalid geometry" in errors[0].message


def test_quotation_fixtures_and_payload():
    for name, count in (
        ("get_quotations_single_page.json", 9),
        ("get_quotations_multi_page_01.json", 10),
        ("get_quotations_workspace_id.json", 1),
    ):
        page = m.parse_page(fixture(name), "/v2/tasking/quotation")
        quotations = [m.parse_quotation(item, "/v2/tasking/quotation") for item in page.content]
        assert len(quotations) == count
        assert all(q.decision in {"NOT_DECIDED", "ACCEPTED", "REJECTED"} for q in quotations)
    single = [m.parse_quotation(i, "q") for i in fixture("get_quotations_single_page.json")["content"]]
    assert single[0].price.amount == 300 and single[0].price.currency == "credits"
    assert single[0].created_at.year == 2023
    assert m.parse_page(fixture("get_quotations_multi_page_01.json"), "q").has_more(0)
    payload = m.parse_quotation(PAYLOADS["quotation"]["body"], "q")
    assert payload.decision == "ACCEPTED" and payload.created_at is None  # "created-at" tolerated


def test_feasibility_fixtures_and_payload():
    study = m.parse_study(fixture("get_feasibility_NOT_DECIDED.json")["content"][0], "f")
    assert study.decision == "NOT_DECIDED" and study.chosen_option is None
    assert [o.description for o in study.options] == [
        "Option 1: Extend dates",
        "Option 2: increase cloud cover percentage",
    ]
    page = m.parse_page(fixture("get_feasibility_multi_page_01.json"), "f")
    studies = [m.parse_study(item, "f") for item in page.content]
    assert len(studies) == 10 and page.total_pages == 3
    raw = fixture("get_feasibility_multi_page_01.json")["content"]
    chosen = [(item["decisionOption"] or {}).get("id") for item in raw]
    assert [s.chosen_option for s in studies] == chosen and sum(map(bool, chosen)) == 4
    assert {s.decision for s in studies} == {"ACCEPTED", "NOT_DECIDED"}
    payload = m.parse_study(PAYLOADS["feasibility_study"]["body"], "f")
    assert payload.options[0].id == "option-123"


def test_collections_payload_and_legacy_data_products_fixture():
    page = m.parse_page(PAYLOADS["collections_page"]["body"], "/v2/collections")
    products = m.parse_collections(page.content, "/v2/collections")
    assert [(p.id, p.collection, p.type) for p in products] == [("data-product-id", "collection-name", "ARCHIVE")]
    assert products[0].access is AccessStatus.UNKNOWN  # ACCESS_APPROVAL_REQUIRED without a known decision
    legacy = m.parse_legacy_products(fixture("data_products.json"), "/data-products")
    assert len(legacy) == 4 and legacy[0].collection == "phr"
    assert {p.type for p in legacy} == {"ARCHIVE", "TASKING"}
    restricted = next(p for p in legacy if p.id == "123_not_integrated")
    assert restricted.access is AccessStatus.UNKNOWN and restricted.raw_access == "restricted"


def test_access_status_rules():
    assert m.access_status(None, []) is AccessStatus.GRANTED
    assert m.access_status(None, ["ACCESS_APPROVAL_REQUIRED"]) is AccessStatus.UNKNOWN
    assert m.access_status("granted", ["ACCESS_APPROVAL_REQUIRED"]) is AccessStatus.GRANTED
    assert m.access_status("SOMETHING_NEW", []) is AccessStatus.UNKNOWN


def test_catalog_search_response_fixture_and_payload():
    captures, href = catalog.parse_search_page(fixture("catalog_search_response.json"), "oneatlas", "http://api", "s")
    assert captures and href and "next" in href
    first = captures[0]
    assert first.id == "a6f99ad8-493b-46ed-9f93-94f06bc1ab1e" and first.cloud_cover == 8.0
    assert first.acquired == datetime(2015, 6, 4, 14, 43, 40, tzinfo=timezone.utc)
    assert first.incidence_angle == pytest.approx(29.2653569)
    assert first.gsd == 0.7 and first.footprint["type"] == "Polygon"
    assert first.quicklook_url == f"http://api/catalog/oneatlas/image/{first.id}/quicklook"
    payload_captures, payload_href = catalog.parse_search_page(
        PAYLOADS["catalog_search_page_1"]["body"], "host-name", "b", "s"
    )
    assert payload_captures[0].id == "scene-id" and payload_captures[0].acquired is None
    assert payload_href == "https://api.up42.com/catalog/hosts/host-name/stac/search/next"


def test_catalog_page_that_is_not_a_feature_collection_is_invalid():
    with pytest.raises(InvalidResponse) as info:
        catalog.parse_search_page(["not", "a", "page"], "h", "b", "/catalog/hosts/h/stac/search")
    assert info.value.provider == "up42" and info.value.endpoint == "/catalog/hosts/h/stac/search"


def test_order_without_id_is_invalid_naming_the_endpoint():
    with pytest.raises(InvalidResponse) as info:
        m.parse_order({"status": "CREATED"}, "/v2/orders/abc", 200)
    assert info.value.endpoint == "/v2/orders/abc" and info.value.status == 200 and "id" in info.value.details


def test_search_body_matches_the_sdk_search_params_shape():
    params = fixture("catalog_search_params_simple.json")
    query = SearchQuery(
        geometry=params["intersects"],
        start=datetime(2014, 1, 1, tzinfo=timezone.utc),
        end=datetime(2022, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
        collections=("phr",),
        max_cloud=20,
    )
    body = stac.search_body(query, params["limit"])
    assert body["datetime"] == params["datetime"] and body["intersects"] == params["intersects"]
    assert body["collections"] == params["collections"] and body["limit"] == params["limit"]
    assert body["query"] == {"cloudCoverage": {"LTE": 20}}
    assert stac.search_body(query, 10_000)["limit"] == 500  # UP42's documented maximum


def test_product_schema_fixture_validates_v2_params_of_a_tasking_body():
    schema = fixture("data_product_schema_phr_tasking.json")
    jsonschema.Draft7Validator.check_schema(schema)
    geometry = {"type": "Polygon", "coordinates": [[[13.3, 52.5], [13.4, 52.5], [13.4, 52.6], [13.3, 52.5]]]}
    spec = TaskingSpec(
        data_product_id="47dadb27-9532-4552-93a5-48f70a83eaef",
        params={"displayName": "x", "acquisitionStart": "2025-01-01T00:00:00Z", "geometry": geometry},
        geometry=geometry,
        display_name="My tasking",
    )
    body = m.tasking_body(spec, "ref-1")
    assert "geometry" not in body["params"] and "displayName" not in body["params"]
    assert body["featureCollection"]["features"][0]["geometry"] == geometry
    assert body["tags"] == ["nadir-ref-ref-1"] and body["displayName"] == "My tasking"
    assert set(body) == set(PAYLOADS["order_request_v2"]["body"])  # the SDK's v2 order shape


def test_archive_body_and_reference_tag_round_trip():
    geometry = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    spec = ArchiveSpec(
        provider="up42", captures=(CaptureRef(id="scene-1", geometry=geometry),), options={"data_product": "dp-1"}
    )
    body = m.archive_body(spec.captures[0], "dp-1", spec, "abc")
    assert body["params"] == {"id": "scene-1"} and body["dataProduct"] == "dp-1"
    assert m.reference_of(body["tags"]) == "abc" and m.reference_of(["other"]) is None


@pytest.mark.parametrize(
    "name, status, expected, expected_code",
    [
        ("catalog_search_error_422", 422, "invalid request", "422"),  # v1/catalog {data, error{code, message, details}}
        ("order_error_500_in_test", 500, "Internal Server Error", "Internal Server Error"),  # {"error": "..."}
    ],
)
def test_error_envelopes_give_the_providers_message(name, status, expected, expected_code):
    import httpx

    from nadir.providers.up42.adapter import error_parser

    entry = PAYLOADS[name]
    message, code = error_parser(httpx.Response(entry["status"], json=entry["body"]))
    assert expected in message and entry["status"] == status and code == expected_code
    v2 = httpx.Response(400, json={"code": 400, "message": "Order parameters errors", "details": ["cloudCoverage: 99"]})
    assert error_parser(v2) == ("Order parameters errors (cloudCoverage: 99)", "400")


def test_token_response_fields_the_adapter_relies_on():
    docs = PAYLOADS["token_response_docs"]["body"]
    assert isinstance(docs["access_token"], str) and docs["expires_in"] == 300 and docs["token_type"] == "Bearer"
    assert set(PAYLOADS["token_response_sdk_test"]["body"]) == {"access_token", "expires_in"}
    assert PAYLOADS["token_request"]["form"]["client_id"] == "up42-sdk"  # the adapter's CLIENT_ID
    from nadir.providers.up42.adapter import CLIENT_ID

    assert CLIENT_ID == PAYLOADS["token_request"]["form"]["client_id"]
