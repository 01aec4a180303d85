"""UP42 catalog search (paging by re-POST to the next link) and quicklooks."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from shapely.geometry import shape

from support.up42_sandbox import BERLIN, Up42, box

FIXTURE = json.loads(
    (
        Path(__file__).resolve().parents[2]
        / "sandbox"
        / "contract_data"
        / "up42"
        / "sdk-fixtures"
        / "catalog_search_response.json"
    ).read_text()
)


@pytest.fixture
def up42(sandbox):
    client = Up42(sandbox)
    yield client
    client.close()


def test_search_result_has_the_fixture_shape(up42):
    found = up42.search({"intersects": BERLIN, "datetime": "2021-01-01T00:00:00Z/..", "limit": 5})
    assert found["type"] == "FeatureCollection" and 0 < len(found["features"]) <= 5
    expected = FIXTURE["features"][0]
    for feature in found["features"]:
        assert set(expected) <= set(feature)
        assert set(expected["properties"]) - {"up42:usageType"} <= set(feature["properties"])
        assert feature["properties"]["collection"] in ("phr", "pneo", "spot")
        assert feature["properties"]["deliveryTime"] in ("MINUTES", "HOURS", "DAYS")
        assert shape(feature["geometry"]).intersects(shape(BERLIN))
    stamps = [f["properties"]["datetime"] for f in found["features"]]
    assert stamps == sorted(stamps, reverse=True)


def test_next_link_pages_by_reposting_the_same_body(up42):
    body = {
        "bbox": [13.3, 52.4, 13.5, 52.6],
        "datetime": "2018-01-01T00:00:00Z/2024-01-01T00:00:00Z",
        "collections": ["phr", "pneo"],
        "limit": 4,
    }
    whole = up42.search({**body, "limit": 40})["features"]
    seen, page, pages = [], up42.search(body), 0
    while True:
        pages += 1
        seen += [f["properties"]["id"] for f in page["features"]]
        nexts = [link["href"] for link in page["links"] if link["rel"] == "next"]
        if not nexts or len(seen) >= 40:
            break
        assert "?next=" in nexts[0]
        response = up42.http.post(nexts[0], json=body)
        assert response.status_code == 200, response.text
        page = response.json()
    assert pages > 2 and len(seen) == len(set(seen))
    assert seen == [f["properties"]["id"] for f in whole][: len(seen)]
    # the token only works with the body it was issued for
    token_url = up42.search(body)["links"][1]["href"]
    reused = up42.http.post(token_url, json={**body, "collections": ["phr"]})
    assert reused.status_code == 422 and reused.json()["error"]["code"] == 422


def test_filters_collections_ids_datetime_and_cloud_cover(up42):
    body = {"intersects": BERLIN, "datetime": "2022-01-01T00:00:00Z/2023-12-31T23:59:59Z", "limit": 50}
    spot = up42.search({**body, "collections": ["spot"]})["features"]
    assert spot and {f["properties"]["collection"] for f in spot} == {"spot"}
    for feature in spot:
        when = datetime.fromisoformat(feature["properties"]["datetime"].replace("Z", "+00:00"))
        assert 2022 <= when.year <= 2023
    for query in ({"cloudCoverage": {"LTE": 20}}, {"cloudCoverage": {"lte": 20}}):
        clear = up42.search({**body, "query": query})["features"]
        assert all(f["properties"]["cloudCoverage"] <= 20 for f in clear)
    cloudy = up42.search({**body, "query": {"cloudCoverage": {"GT": 50}}})["features"]
    assert all(f["properties"]["cloudCoverage"] > 50 for f in cloudy)
    wanted = [f["properties"]["id"] for f in spot[:2]]
    by_id = up42.search({"ids": wanted, "datetime": "2000-01-01T00:00:00Z/.."})["features"]
    assert sorted(f["properties"]["id"] for f in by_id) == sorted(wanted)
    # the fixture's own request (catalog_search_params_simple.json) is accepted as is
    fixture = json.loads(
        (
            Path(__file__).resolve().parents[2]
            / "sandbox"
            / "contract_data"
            / "up42"
            / "sdk-fixtures"
            / "catalog_search_params_simple.json"
        ).read_text()
    )
    assert len(up42.search(fixture)["features"]) <= 4


@pytest.mark.parametrize(
    "body",
    [
        {"intersects": BERLIN, "limit": 501},
        {"intersects": BERLIN, "limit": 0},
        {"bbox": [1, 2, 3]},
        {"bbox": [1, 2, 3, 4], "intersects": BERLIN},
        {"datetime": "2020-01-01T00:00:00Z/.."},
        {"intersects": BERLIN, "datetime": "yesterday"},
        {"intersects": BERLIN, "datetime": "../.."},
        {"intersects": BERLIN, "collections": ["sentinel-2"]},
        {"intersects": BERLIN, "query": {"snowCover": {"LTE": 1}}},
        {"intersects": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
        {"intersects": BERLIN, "sortby": "datetime"},
    ],
)
def test_invalid_searches_are_422_in_the_data_error_envelope(up42, body):
    response = up42.http.post("/catalog/hosts/oneatlas/stac/search", json=body)
    assert response.status_code == 422, response.text
    assert set(response.json()) == {"data", "error"} and response.json()["data"] == {}
    assert set(response.json()["error"]) == {"code", "message", "details"}
    assert response.json()["error"]["code"] == 422


def test_unknown_host_is_404(up42):
    response = up42.http.post("/catalog/hosts/nowhere/stac/search", json={"intersects": BERLIN})
    assert response.status_code == 404 and response.json()["error"]["code"] == 404


def test_quicklook_is_a_png(up42):
    capture = up42.capture(box(2.2, 48.8, 2.4, 48.9))
    response = up42.http.get(f"/catalog/oneatlas/image/{capture['properties']['id']}/quicklook")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    missing = up42.http.get("/catalog/oneatlas/image/00000000-0000-4000-8000-000000000000/quicklook")
    assert missing.status_code == 404 and missing.json()["data"] == {}
