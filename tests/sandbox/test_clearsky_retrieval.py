"""ClearSKY downloads (GeoTIFF, Range, credits, availability), faults and restart."""

from __future__ import annotations

import httpx
import pytest
from osgeo import gdal

from sandbox.testing import run_sandbox

KEY = "clearsky-sandbox-key"
AOI = "POLYGON((10.00 56.30, 10.0325 56.30, 10.0325 56.3180, 10.00 56.3180, 10.00 56.30))"
INNER = "POLYGON((10.005 56.305, 10.02 56.305, 10.02 56.315, 10.005 56.315, 10.005 56.305))"
ORDER = {
    "Wkt": AOI,
    "SatelliteConstellations": ["Sentinel2"],
    "Model": "Stratus2",
    "From": "2025-04-01",
    "To": "2025-04-30",
    "ImageFrequency": 3,
    "ReferenceDate": "2025-01-01",
}


def client(sandbox, key=KEY):
    return httpx.Client(base_url=sandbox.provider_url("clearsky"), headers={"x-api-key": key}, timeout=60)


def completed_order(sandbox, api, body=ORDER):
    created = api.post("/api/tasking/orders", json=body)
    assert created.status_code == 200, created.text
    sandbox.advance(2500)
    return created.json()["Data"]["TaskOrderGuid"]


def composite(api, wkt=INNER, day="2025-04-04", **extra):
    return api.post("/api/satelliteimages/process/composite", json={"Wkt": wkt, "Date": day, **extra})


def test_composite_is_a_cog_of_the_area_once_the_order_completed(sandbox, tmp_path):
    api = client(sandbox)
    early = composite(api)
    assert early.status_code == 400 and early.json()["Error"]["Code"] == 1002
    api.post("/api/tasking/orders", json=ORDER)
    assert composite(api).json()["Error"]["Code"] == 1002, "still in Review"
    sandbox.advance(2500)
    response = composite(api, Bandnames=["B02", "B03", "B04", "B08", "B11"], DataType="UINT8")
    assert response.status_code == 200 and response.headers["content-type"] == "image/tiff"
    path = tmp_path / "c.tif"
    path.write_bytes(response.content)
    ds = gdal.Open(str(path))
    assert ds.RasterCount == 5 and ds.GetRasterBand(1).DataType == gdal.GDT_Byte
    assert ds.GetRasterBand(1).GetOverviewCount() >= 1 and ds.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE") == "COG"
    assert ds.GetRasterBand(5).GetDescription() == "B11" and "32632" in ds.GetProjection()
    default = tmp_path / "d.tif"
    default.write_bytes(composite(api).content)
    ds = gdal.Open(str(default))
    assert ds.RasterCount == 4 and ds.GetRasterBand(1).GetNoDataValue() == -32768
    assert composite(api, day="2025-04-05").json()["Error"]["Code"] == 1002, "not an image date"
    outside = "POLYGON((11 56, 11.01 56, 11.01 56.01, 11 56.01, 11 56))"
    assert composite(api, wkt=outside).json()["Error"]["Code"] == 1002
    assert composite(api, Model="Nimbus").json()["Error"]["Code"] == 1002


def test_downloads_resume_with_range_requests(sandbox):
    api = client(sandbox)
    completed_order(sandbox, api)
    whole = composite(api)
    assert whole.headers["accept-ranges"] == "bytes"
    size = len(whole.content)
    tail = api.post(
        "/api/satelliteimages/process/composite",
        json={"Wkt": INNER, "Date": "2025-04-04"},
        headers={"range": "bytes=1000-"},
    )
    assert tail.status_code == 206 and tail.headers["content-range"] == f"bytes 1000-{size - 1}/{size}"
    assert tail.content == whole.content[1000:]
    middle = api.post(
        "/api/satelliteimages/process/composite",
        json={"Wkt": INNER, "Date": "2025-04-04"},
        headers={"range": "bytes=10-19"},
    )
    assert middle.status_code == 206 and middle.content == whole.content[10:20]
    beyond = api.post(
        "/api/satelliteimages/process/composite",
        json={"Wkt": INNER, "Date": "2025-04-04"},
        headers={"range": f"bytes={size + 5}-"},
    )
    assert beyond.status_code == 416


def test_credits_are_charged_once_and_missing_credits_give_994(sandbox):
    api = client(sandbox)
    completed_order(sandbox, api)
    before = api.get("/api/account/info").json()["Data"]["CreditAmount"]
    estimate = api.post("/api/satelliteimages/process/composite/estimate", json={"Wkt": INNER, "Resolution": 10})
    credits = estimate.json()["Data"]["CreditEstimate"]
    assert estimate.json()["Data"]["AreaEstimateKm2"] == pytest.approx(0.9 * 1.1, rel=0.2) and credits >= 1
    composite(api)
    composite(api)  # the same file again: not charged twice
    assert api.get("/api/account/info").json()["Data"]["CreditAmount"] == pytest.approx(before - credits)
    poor = client(sandbox, "clearsky-sandbox-nocredit-key")
    completed_order(sandbox, poor)
    refused = composite(poor)
    assert refused.status_code == 400 and refused.json()["Error"]["Code"] == 994


def test_tile_and_minitile_downloads(sandbox, tmp_path):
    api = client(sandbox)
    wkt = "POLYGON((10.5 56, 10.501 56, 10.501 56.001, 10.5 56.001, 10.5 56))"
    tiles = api.post("/api/tasking/search/tiles", json={"Wkt": wkt}).json()["Data"]["Tiles"]
    tile = next(t for t in tiles if t["Epsg"] == 32632)["Guid"]
    minis = api.post("/api/tasking/search/tiles", json={"TileGuidForMiniTiles": tile}).json()["Data"]["Tiles"]
    body = {**ORDER, "Wkt": None, "TileGuids": [tile]}
    assert (
        api.post("/api/satelliteimages/process/tile", json={"TileGuid": tile, "Date": "2025-04-04"}).status_code == 400
    )
    completed_order(sandbox, api, body)
    got = api.post("/api/satelliteimages/process/tile", json={"TileGuid": tile, "Date": "2025-04-04"})
    assert got.status_code == 200
    (tmp_path / "t.tif").write_bytes(got.content)
    ds = gdal.Open(str(tmp_path / "t.tif"))
    gt = ds.GetGeoTransform()
    assert "32632" in ds.GetProjection() and ds.RasterXSize * gt[1] == pytest.approx(51_200, rel=0.01)
    mini = api.post(
        "/api/satelliteimages/process/minitile", json={"MiniTileGuid": minis[5]["Guid"], "Date": "2025-04-04"}
    )
    assert mini.status_code == 200
    (tmp_path / "m.tif").write_bytes(mini.content)
    ds = gdal.Open(str(tmp_path / "m.tif"))
    assert ds.RasterXSize == 320 and ds.GetGeoTransform()[1] == pytest.approx(10.0, rel=0.01)
    missing = api.post("/api/satelliteimages/process/minitile", json={"Date": "2025-04-04"})
    assert missing.json()["Error"]["Code"] == 992 and "MiniTileGuid" in missing.json()["Data"]


def test_upload_url_receives_the_file(sandbox):
    api = client(sandbox)
    completed_order(sandbox, api)
    response = composite(api, UploadUrl="http://127.0.0.1:1/nowhere")
    assert response.status_code == 400 and "UploadUrl" in response.json()["Data"]


# ---------------------------------------------------------------- faults, one per kind


def test_faults_latency_status_and_rate_limit(sandbox):
    api = client(sandbox)
    sandbox.fault(kind="latency", prefix="/clearsky/api/tasking/models", delay=0.3)
    response = api.get("/api/tasking/models")
    assert response.status_code == 200 and response.elapsed.total_seconds() >= 0.3
    sandbox.fault(kind="status", prefix="/clearsky/api/tasking/models", status=503)
    failed = api.get("/api/tasking/models")
    assert failed.status_code == 503 and failed.json()["Succeeded"] is False and failed.json()["Error"]["Code"] == 503
    sandbox.fault(kind="rate_limit", prefix="/clearsky/api/tasking/orders", retry_after=3)
    limited = api.get("/api/tasking/orders")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
    assert api.get("/api/tasking/orders").status_code == 200


def test_drop_after_commit_on_create_leaves_exactly_one_order(sandbox):
    api = client(sandbox)
    sandbox.fault(kind="drop_after_commit", prefix="/clearsky/api/tasking/orders", method="POST")
    with pytest.raises(httpx.HTTPError):
        api.post("/api/tasking/orders", json=ORDER)
    orders = api.get("/api/tasking/orders").json()["Data"]["TaskOrders"]
    assert len(orders) == 1


def test_hang_after_commit_times_the_client_out_with_the_order_placed(sandbox):
    api = client(sandbox)
    sandbox.fault(kind="hang_after_commit", prefix="/clearsky/api/tasking/orders", method="POST", delay=3)
    with pytest.raises(httpx.TimeoutException):
        api.post("/api/tasking/orders", json=ORDER, timeout=0.5)
    assert len(api.get("/api/tasking/orders").json()["Data"]["TaskOrders"]) == 1


def test_truncated_and_malformed_bodies(sandbox):
    api = client(sandbox)
    sandbox.fault(kind="truncate", prefix="/clearsky/api/tasking/models")
    cut = api.get("/api/tasking/models")
    with pytest.raises(ValueError):
        cut.json()
    sandbox.fault(kind="malformed", prefix="/clearsky/api/tasking/models")
    html = api.get("/api/tasking/models")
    assert html.headers["content-type"] == "text/html" and html.text.startswith("<html>")


def test_restart_keeps_orders_and_their_progress(tmp_path):
    with run_sandbox(tmp_path) as first:
        api = client(first)
        guid = api.post("/api/tasking/orders", json=ORDER).json()["Data"]["TaskOrderGuid"]
        first.advance(400)
        assert (
            api.post("/api/tasking/orders/details", json={"Guids": [guid]}).json()["Data"]["TaskOrders"][0][
                "OrderingProcessStatus"
            ]
            == "Preparing"
        )
    with run_sandbox(tmp_path) as second:
        api = client(second)
        order = api.get("/api/tasking/orders").json()["Data"]["TaskOrders"]
        assert [o["TaskOrderGuid"] for o in order] == [guid]
        second.advance(2500)
        assert (
            api.post("/api/tasking/orders/details", json={"Guids": [guid]}).json()["Data"]["TaskOrders"][0][
                "OrderingProcessStatus"
            ]
            == "Completed"
        )
