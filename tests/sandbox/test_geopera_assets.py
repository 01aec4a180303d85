"""Geopera deliveries: orders.list_assets (STAC items with provenance), authenticated and
signed downloads with HTTP Range."""

from __future__ import annotations

import pytest
from osgeo import gdal
from shapely.geometry import box, shape

from support.geopera_sandbox import SYDNEY, Geopera, api_key
from support.sandbox_http import HTTP

HOUR = 3600


@pytest.fixture
def geopera(sandbox):
    client = Geopera(sandbox)
    yield client
    client.close()


def delivered_item(sandbox, geopera):
    order = geopera.placed()
    assert geopera.ok("orders.list_assets", {"order_id": order["id"]})["features"] == []
    sandbox.advance(HOUR + 60)
    assets = geopera.ok("orders.list_assets", {"order_id": order["id"]})
    assert assets["orderStatus"] == "delivered" and len(assets["features"]) == 1
    return order, assets["features"][0]


def test_delivered_items_carry_a_provenance_link_and_cover_the_aoi(sandbox, geopera, tmp_path):
    order, item = delivered_item(sandbox, geopera)
    assert item["stac_version"] == "1.0.0" and item["properties"]["geopera:order_id"] == order["id"]
    provenance = next(link for link in item["links"] if link["rel"] == "provenance")
    followed = geopera.http.post(provenance["href"].split("/geopera", 1)[1], json=provenance["body"])
    assert followed.status_code == 200 and followed.json()["id"] == order["id"]
    asset = item["assets"]["analytic"]
    assert asset["type"].startswith("image/tiff") and asset["roles"] == ["data"]
    response = geopera.http.get(asset["href"])
    assert response.status_code == 200 and response.headers["accept-ranges"] == "bytes"
    target = tmp_path / "analytic.tif"
    target.write_bytes(response.content)
    dataset = gdal.Open(str(target))
    west, xres, _, north, _, yres = dataset.GetGeoTransform()
    covered = box(west, north + yres * dataset.RasterYSize, west + xres * dataset.RasterXSize, north)
    assert dataset.RasterCount == 4 and covered.buffer(1e-6).covers(shape(item["geometry"]))
    assert shape(item["geometry"]).within(shape(SYDNEY).buffer(1e-9))


def test_downloads_support_range_with_either_credential(sandbox, geopera):
    _, item = delivered_item(sandbox, geopera)
    href = item["assets"]["analytic"]["href"]
    whole = geopera.http.get(href).content
    key_client = Geopera(sandbox, auth="x-api-key")
    part = key_client.http.get(href, headers={"Range": "bytes=100-299"})
    assert part.status_code == 206 and part.content == whole[100:300]
    assert part.headers["content-range"] == f"bytes 100-299/{len(whole)}"
    assert HTTP.get(href).status_code == 401
    catalog_only = Geopera(sandbox, key=api_key(sandbox, missing="orders:read"))
    assert catalog_only.http.get(href).status_code == 403


def test_signed_link_needs_no_credentials_and_cannot_be_forged(sandbox, geopera):
    _, item = delivered_item(sandbox, geopera)
    signed = geopera.ok("items.asset.download", {"item_id": item["id"], "asset_id": "analytic"})
    assert "signature=" in signed["url"] and signed["expires_at"].endswith("Z")
    whole = HTTP.get(signed["url"])
    assert whole.status_code == 200 and whole.content[:4] in (b"II*\x00", b"MM\x00*")
    tail = HTTP.get(signed["url"], headers={"Range": "bytes=-16"})
    assert tail.status_code == 206 and tail.content == whole.content[-16:]
    forged = HTTP.get(signed["url"].replace("signature=", "signature=ff"))
    assert forged.status_code == 403 and forged.headers["content-type"] == "application/problem+json"
    assert geopera.op("items.asset.download", {"item_id": item["id"], "asset_id": "pan"}).status_code == 404
    assert geopera.op("items.asset.download", {"item_id": "nope", "asset_id": "analytic"}).status_code == 404


def test_other_orgs_cannot_see_assets(sandbox, geopera):
    order, item = delivered_item(sandbox, geopera)
    other = Geopera(sandbox, key=api_key(sandbox, org="org_other"))
    assert other.op("orders.list_assets", {"order_id": order["id"]}).status_code == 404
    assert other.http.get(item["assets"]["analytic"]["href"]).status_code == 404


def test_a_cloudy_capture_is_delivered_with_its_clouds(sandbox, geopera, tmp_path):
    """The delivery of a capture shows the clouds its quicklook and eo:cloud_cover announce."""
    import numpy as np

    found = geopera.search(intersects=SYDNEY, collections=["phr"], limit=100, datetime="2020-01-01T00:00:00Z/..")
    by_cloud = sorted(found["features"], key=lambda f: f["properties"]["eo:cloud_cover"])
    clear, cloudy = by_cloud[0], by_cloud[-1]
    assert clear["properties"]["eo:cloud_cover"] < 10 and cloudy["properties"]["eo:cloud_cover"] > 40

    def white_share(capture):
        response = geopera.place([{"id": capture["id"], "geometry": SYDNEY}])
        assert response.status_code == 202, response.text
        sandbox.advance(HOUR + 60)
        item = geopera.ok("orders.list_assets", {"order_id": response.json()["id"]})["features"][0]
        target = tmp_path / f"{capture['id']}.tif"
        target.write_bytes(geopera.http.get(item["assets"]["analytic"]["href"]).content)
        rgb = gdal.Open(str(target)).ReadAsArray()[:3].astype(float)
        bright = np.percentile(rgb, 99.5)  # clouds are the scene's brightest, flat-white pixels
        return float(((rgb > 0.8 * bright).all(axis=0)).mean())

    assert white_share(cloudy) > 0.2 > 0.05 > white_share(clear)
