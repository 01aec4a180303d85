"""Geopera catalog.search (STAC, price-enriched, next tokens) and catalog.search_stream (NDJSON).

Every response here is also checked against openapi.json and the STAC itemCollection schema
by the client's contract hook (support.geopera_sandbox).
"""

from __future__ import annotations

import json
import math
from datetime import datetime

import pytest
from shapely.geometry import shape

from sandbox import geo
from sandbox.contracts_geopera import ContractViolation, check_exchange, check_stac_item_collection
from support.geopera_sandbox import SYDNEY, Geopera
from support.sandbox_http import HTTP


@pytest.fixture
def geopera(sandbox):
    client = Geopera(sandbox)
    yield client
    client.close()


def test_search_answers_stac_items_with_prices(geopera):
    found = geopera.search(
        intersects=SYDNEY, datetime="2021-01-01T00:00:00Z/..", limit=5, collections=["phr", "pneo", "spot"]
    )
    assert found["type"] == "FeatureCollection" and 0 < found["numberReturned"] == len(found["features"]) <= 5
    for item in found["features"]:
        assert item["stac_version"] == "1.0.0" and shape(item["geometry"]).intersects(shape(SYDNEY))
        price = item["properties"]["geopera:price"]
        assert price["currency"] == "AUD" and price["aud_per_km2"] == price["credits_per_km2"] / 100
        assert price["scene_credits"] == math.ceil(geo.area_km2(shape(item["geometry"])) * price["credits_per_km2"])
        assert item["assets"]["thumbnail"]["type"] == "image/png"
    stamps = [f["properties"]["datetime"] for f in found["features"]]
    assert stamps == sorted(stamps, reverse=True)
    assert geopera.checked == 1  # the contract hook ran (openapi.json + STAC itemCollection)


def test_next_token_is_both_top_level_and_a_next_link(geopera):
    body = {
        "host_name": "oneatlas",
        "collections": ["phr", "spot"],
        "bbox": [151.1, -33.95, 151.3, -33.8],
        "datetime": "2019-01-01T00:00:00Z/2024-01-01T00:00:00Z",
        "limit": 7,
    }
    whole = geopera.ok("catalog.search", {**body, "limit": 60})["features"]
    seen, page, pages = [], geopera.ok("catalog.search", body), 1
    while page["next"]:
        link = next(link for link in page["links"] if link["rel"] == "next")
        assert link["method"] == "POST" and link["merge"] is True and link["body"] == {"next": page["next"]}
        seen += [f["id"] for f in page["features"]]
        page = geopera.ok("catalog.search", {**body, **link["body"]})
        pages += 1
        if len(seen) > 50:
            break
    seen += [f["id"] for f in page["features"]]
    assert pages > 2 and len(seen) == len(set(seen))
    assert seen[: len(whole)] == [f["id"] for f in whole][: len(seen)]
    token = geopera.ok("catalog.search", body)["next"]
    other_body = geopera.op("catalog.search", {**body, "collections": ["phr"], "next": token})
    assert other_body.status_code == 422 and other_body.json()["detail"][0]["loc"] == ["body", "next"]
    assert geopera.op("catalog.search", {**body, "next": "garbage"}).status_code == 422


def test_filters_datetime_ids_and_both_query_shapes(geopera):
    base = {"intersects": SYDNEY, "datetime": "2022-01-01T00:00:00Z/2023-12-31T23:59:59Z", "limit": 40}
    found = geopera.search(**base)["features"]
    assert found and all(
        2022 <= datetime.fromisoformat(f["properties"]["datetime"].replace("Z", "+00:00")).year <= 2023 for f in found
    )
    for query in ({"cloudCoverage": {"LTE": 15}}, {"eo:cloud_cover": {"lte": 15}}):
        clear = geopera.search(**base, query=query)["features"]
        assert clear and all(f["properties"]["eo:cloud_cover"] <= 15 for f in clear)
    instant = found[0]["properties"]["datetime"]
    exact = geopera.search(intersects=SYDNEY, datetime=instant)["features"]
    assert found[0]["id"] in [f["id"] for f in exact]
    wanted = [f["id"] for f in found[:3]]
    by_ids = geopera.ok("catalog.search", {"host_name": "oneatlas", "ids": wanted})["features"]
    assert sorted(f["id"] for f in by_ids) == sorted(wanted)


def test_open_data_host_lists_unpriced_items(geopera):
    found = geopera.ok(
        "catalog.search",
        {
            "host_name": "earthsearch-aws",
            "collections": ["sentinel-2-l2a"],
            "bbox": [151.1, -33.95, 151.3, -33.8],
            "limit": 3,
            "datetime": "2023-01-01T00:00:00Z/..",
        },
    )
    assert found["features"] and all(
        f["properties"]["geopera:price"] is None and not f["properties"]["geopera:orderable"] for f in found["features"]
    )
    empty = geopera.ok("catalog.search", {"host_name": "vantor", "ids": ["x"]})
    assert empty["features"] == [] and empty["next"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"collections": ["phr"], "intersects": SYDNEY}, "host_name"),
        ({"host_name": "oneatlas", "collections": ["phr"], "intersects": SYDNEY, "limit": 501}, "limit"),
        ({"host_name": "oneatlas", "collections": ["phr"], "intersects": SYDNEY, "limit": 0}, "limit"),
        ({"host_name": "oneatlas", "intersects": SYDNEY}, "collections"),
        ({"host_name": "oneatlas", "collections": ["sentinel-2-l2a"], "intersects": SYDNEY}, "collections"),
        ({"host_name": "oneatlas", "collections": ["phr"]}, "bbox"),
        ({"host_name": "oneatlas", "collections": ["phr"], "bbox": [1, 2, 3]}, "bbox"),
        ({"host_name": "oneatlas", "collections": ["phr"], "intersects": SYDNEY, "datetime": "soon"}, "datetime"),
        ({"host_name": "oneatlas", "collections": ["phr"], "intersects": SYDNEY, "query": {"gsd": {"LT": 1}}}, "query"),
        (
            {
                "host_name": "oneatlas",
                "collections": ["phr"],
                "intersects": SYDNEY,
                "query": {"cloudCoverage": {"LTE": "low"}},
            },
            "query",
        ),
    ],
)
def test_invalid_searches_are_fastapi_style_422(geopera, body, field):
    response = geopera.op("catalog.search", body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert all(set(d) >= {"loc", "msg", "type"} for d in detail)
    assert field in [d["loc"][1] for d in detail if len(d["loc"]) > 1]


def test_unknown_host_is_404(geopera):
    response = geopera.op("catalog.search", {"host_name": "atlantis", "collections": ["x"], "intersects": SYDNEY})
    assert response.status_code == 404 and "atlantis" in response.json()["detail"]


def test_search_stream_is_ndjson_streamed_line_by_line(sandbox):
    client = Geopera(sandbox, check=False)  # the hook would read the whole body before we stream it
    body = {
        "host_name": "oneatlas",
        "collections": ["phr"],
        "intersects": SYDNEY,
        "datetime": "2018-01-01T00:00:00Z/..",
        "limit": 40,
    }
    lines = []
    with client.http.stream("POST", "/v1/op/catalog.search_stream", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/x-ndjson"
        assert response.headers.get("transfer-encoding") == "chunked" and "content-length" not in response.headers
        for line in response.iter_lines():
            if line:
                lines.append(json.loads(line))
    paged = Geopera(sandbox).ok("catalog.search", body)["features"]
    assert [f["id"] for f in lines] == [f["id"] for f in paged] and len(lines) == 40
    check_stac_item_collection({"type": "FeatureCollection", "features": lines})


def test_search_stream_without_host_covers_every_host(sandbox):
    client = Geopera(sandbox)
    response = client.op(
        "catalog.search_stream",
        {"bbox": [151.1, -33.95, 151.3, -33.8], "datetime": "2024-01-01T00:00:00Z/2024-12-31T00:00:00Z", "limit": 500},
    )
    assert response.status_code == 200
    hosts = {json.loads(line)["properties"]["geopera:host"] for line in response.text.splitlines()}
    assert hosts == {"oneatlas", "earthsearch-aws"}
    bad = client.op("catalog.search_stream", {"bbox": [151.1, -33.95, 151.3, -33.8], "limit": 20_000})
    assert bad.status_code == 422


def test_quicklook_needs_catalog_read(sandbox, geopera):
    item = geopera.capture()
    href = item["assets"]["thumbnail"]["href"]
    response = geopera.http.get(href)
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    assert HTTP.get(href).status_code == 401


def test_the_contract_checks_can_fail():
    """The hook must catch responses the specs do not allow."""
    item = {
        "type": "Feature",
        "id": "x",
        "geometry": SYDNEY,
        "bbox": [0, 0, 1, 1],
        "properties": {"datetime": None},
        "links": [],
        "assets": {},
    }
    with pytest.raises(ContractViolation, match="stac_version"):
        check_stac_item_collection({"type": "FeatureCollection", "features": [item]})
    problem_without_detail = json.dumps({"type": "about:blank", "title": "Forbidden", "status": 403}).encode()
    with pytest.raises(ContractViolation):
        check_exchange("POST", "/v1/op/orders.list", {}, b"{}", 403, "application/problem+json", problem_without_detail)
    with pytest.raises(ContractViolation, match="problem"):
        check_exchange("POST", "/v1/op/orders.archive.place", {}, b"{}", 402, "application/json", b'{"detail":"x"}')
    with pytest.raises(ContractViolation, match="request violates"):
        check_exchange(
            "POST",
            "/v1/op/catalog.search",
            {"Authorization": "Bearer x", "Content-Type": "application/json"},
            b'{"limit": 3}',
            200,
            "application/json",
            b"{}",
        )
    with pytest.raises(ContractViolation, match="neither"):
        check_exchange("POST", "/v1/op/orders.list", {}, b"{}", 418, "application/problem+json", b"{}")
