"""UP42 deliveries: STAC items of fulfilled orders, signed download links, Range requests."""

from __future__ import annotations

import pytest
from osgeo import gdal
from shapely.geometry import box as shapely_box
from shapely.geometry import shape

from support.sandbox_http import HTTP
from support.up42_sandbox import BERLIN, Up42

HOUR = 3600


@pytest.fixture
def up42(sandbox):
    client = Up42(sandbox)
    yield client
    client.close()


def order_filter(order_id):
    return {"op": "=", "args": [{"property": "order_id"}, order_id]}


def test_fulfilled_order_is_a_stac_item_with_a_downloadable_cog(sandbox, up42, tmp_path):
    order_id = up42.place_archive()
    assert up42.http.post("/v2/assets/stac/search", json={"filter": order_filter(order_id)}).json()["features"] == []
    sandbox.advance(HOUR + 60)
    found = up42.http.post("/v2/assets/stac/search", json={"filter": order_filter(order_id)}).json()
    assert found["type"] == "FeatureCollection" and len(found["features"]) == 1
    item = found["features"][0]
    assert item["stac_version"] == "1.0.0" and item["properties"]["order_id"] == order_id
    by_asset = up42.http.post(
        "/v2/assets/stac/search",
        json={
            "filter": {
                "op": "and",
                "args": [order_filter(order_id), {"op": "=", "args": [{"property": "asset_id"}, item["collection"]]}],
            }
        },
    ).json()
    assert [i["id"] for i in by_asset["features"]] == [item["id"]]
    asset = item["assets"]["image"]
    assert asset["type"].startswith("image/tiff") and "data" in asset["roles"]

    # up42-py up42/stac.py: POST {href}/download-url -> {"url": signed}
    signed = up42.http.post(asset["href"] + "/download-url")
    assert signed.status_code == 200
    url = signed.json()["url"]
    assert "signature=" in url and "expires=" in url
    whole = HTTP.get(url)  # no token needed
    assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
    target = tmp_path / "delivery.tif"
    target.write_bytes(whole.content)
    dataset = gdal.Open(str(target))
    assert dataset.RasterCount == 4 and dataset.GetRasterBand(1).GetOverviewCount() > 0
    west, xres, _, north, _, yres = dataset.GetGeoTransform()
    footprint = shapely_box(west, north + yres * dataset.RasterYSize, west + xres * dataset.RasterXSize, north)
    ordered = shape(item["geometry"])
    assert footprint.buffer(1e-6).covers(ordered) and ordered.area > 0.5 * footprint.area
    assert ordered.within(shape(BERLIN).buffer(1e-9))

    partial = HTTP.get(url, headers={"Range": "bytes=0-1023"})
    assert partial.status_code == 206 and len(partial.content) == 1024
    assert partial.headers["content-range"] == f"bytes 0-1023/{len(whole.content)}"
    assert partial.content == whole.content[:1024]
    tail = HTTP.get(url, headers={"Range": f"bytes={len(whole.content) - 10}-"})
    assert tail.status_code == 206 and tail.content == whole.content[-10:]


def test_download_links_are_signed_and_scoped(sandbox, up42):
    order_id = up42.place_archive()
    sandbox.advance(HOUR + 60)
    item = up42.http.post("/v2/assets/stac/search", json={"filter": order_filter(order_id)}).json()["features"][0]
    href = item["assets"]["image"]["href"]
    url = up42.http.post(href + "/download-url").json()["url"]
    forged = url.replace("signature=", "signature=0")
    refused = HTTP.get(forged)
    assert refused.status_code == 403 and refused.json()["code"] == 403
    assert HTTP.get(url.split("?")[0]).status_code == 403
    assert HTTP.post(href + "/download-url").status_code == 401
    other = Up42(sandbox, user=1)
    assert other.http.post(href + "/download-url").status_code == 404
    assert other.http.post("/v2/assets/stac/search", json={}).json()["features"] == []


def test_stac_search_pages_and_rejects_unsupported_filters(sandbox, up42):
    placed = [up42.place_archive(display_name=f"d{n}") for n in range(3)]
    sandbox.advance(HOUR + 60)
    first = up42.http.post("/v2/assets/stac/search", json={"limit": 2}).json()
    assert first["numberMatched"] == 3 and len(first["features"]) == 2
    link = next(link for link in first["links"] if link["rel"] == "next")
    assert link["method"] == "POST" and link["merge"] is True
    second = up42.http.post(link["href"], json={"limit": 2, **link["body"]}).json()
    ids = [f["properties"]["order_id"] for f in first["features"] + second["features"]]
    assert sorted(ids) == sorted(placed) and not [x for x in second["links"] if x["rel"] == "next"]
    bad = up42.http.post("/v2/assets/stac/search", json={"filter": {"op": "like", "args": []}})
    assert bad.status_code == 400 and bad.json()["code"] == 400
