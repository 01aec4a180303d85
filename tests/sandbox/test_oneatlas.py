"""OneAtlas over HTTP: token, bearer auth, opensearch, prices, orders, lifecycle, downloads, faults."""

from __future__ import annotations

import io
import zipfile

import httpx
import pytest
from osgeo import gdal

from sandbox import catalog

KEY = "oneatlas-sandbox-key"
TOKEN_PATH = "/oneatlas-auth/auth/realms/IDP/protocol/openid-connect/token"
TOULOUSE = {
    "type": "Polygon",
    "coordinates": [[[1.40, 43.59], [1.51, 43.59], [1.51, 43.64], [1.40, 43.64], [1.40, 43.59]]],
}
YEAR = "[2023-01-01T00:00:00Z,2023-12-31T23:59:59.999Z]"


def token(sandbox, key=KEY):
    response = httpx.post(sandbox.url + TOKEN_PATH, data={"apikey": key, "grant_type": "api_key", "client_id": "IDP"})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def client(sandbox, key=KEY):
    return httpx.Client(base_url=sandbox.url, headers={"authorization": f"Bearer {token(sandbox, key)}"}, timeout=60)


def search(api, **params):
    response = api.post(
        "/oneatlas-search/api/v2/opensearch", json={"geometry": TOULOUSE, "acquisitionDate": YEAR, **params}
    )
    assert response.status_code == 200, response.text
    return response.json()


def small_aoi(capture, size=0.01):
    lon, lat = shape_centroid(capture)
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


def shape_centroid(capture):
    from shapely.geometry import shape

    point = shape(capture["geometry"] if "geometry" in capture else capture.footprint).centroid
    return point.x, point.y


def product(feature, **extra):
    sensor = feature["properties"]["constellation"]
    return {
        "id": feature["properties"]["id"],
        "aoi": small_aoi(feature),
        "productType": "pansharpened-fs" if sensor == "PNEO" else "pansharpened",
        "radiometricProcessing": "REFLECTANCE",
        "imageFormat": "image/geotiff",
        "crsCode": "urn:ogc:def:crs:EPSG::4326",
        **extra,
    }


def test_token_flow_and_errors(sandbox):
    response = httpx.post(sandbox.url + TOKEN_PATH, data={"apikey": KEY, "grant_type": "api_key", "client_id": "IDP"})
    body = response.json()
    assert body["expires_in"] == 3600 and body["refresh_expires_in"] == 0 and body["token_type"] == "bearer"
    wrong_key = httpx.post(
        sandbox.url + TOKEN_PATH, data={"apikey": "nope", "grant_type": "api_key", "client_id": "IDP"}
    )
    assert wrong_key.status_code == 401 and set(wrong_key.json()) == {
        "correlationId",
        "hint",
        "internalCode",
        "message",
        "timestamp",
    }
    wrong_grant = httpx.post(
        sandbox.url + TOKEN_PATH, data={"apikey": KEY, "grant_type": "password", "client_id": "IDP"}
    )
    assert wrong_grant.status_code == 400 and wrong_grant.json()["internalCode"] == 400


def test_bearer_is_required_and_expires_on_the_sandbox_clock(sandbox):
    assert httpx.get(sandbox.url + "/oneatlas-data/api/v1/me").status_code == 401
    forged = httpx.get(sandbox.url + "/oneatlas-data/api/v1/me", headers={"authorization": "Bearer a.b.c"})
    assert forged.status_code == 401
    api = client(sandbox)
    me = api.get("/oneatlas-data/api/v1/me").json()
    assert me["contract"]["workspaceId"] and me["contract"]["balanceUnit"] == "EUR"
    sandbox.advance(3601)
    expired = api.get("/oneatlas-data/api/v1/me")
    assert expired.status_code == 401 and "expired" in expired.json()["message"]


def test_opensearch_get_post_paging_and_filters(sandbox):
    api = client(sandbox)
    first = search(api, itemsPerPage=5, startPage=1)
    assert first["type"] == "FeatureCollection" and first["error"] is False and first["startIndex"] == 0
    assert first["totalResults"] > 10 and len(first["features"]) == 5
    second = search(api, itemsPerPage=5, startPage=2)
    assert second["startIndex"] == 5 and {f["properties"]["id"] for f in first["features"]}.isdisjoint(
        f["properties"]["id"] for f in second["features"]
    )
    dates = [f["properties"]["acquisitionDate"] for f in first["features"]]
    assert dates == sorted(dates, reverse=True)
    clear = search(api, cloudCover="[0,10]", incidenceAngle="[0,20]", constellation="PHR", itemsPerPage=50)
    assert clear["features"] and all(
        f["properties"]["cloudCover"] <= 10
        and f["properties"]["incidenceAngle"] <= 20
        and f["properties"]["constellation"] == "PHR"
        for f in clear["features"]
    )
    pneo = search(api, workspace="public-pneo", itemsPerPage=50)
    assert {f["properties"]["constellation"] for f in pneo["features"]} == {"PNEO"}
    by_cloud = search(api, sortBy="cloudCover", itemsPerPage=20)
    clouds = [f["properties"]["cloudCover"] for f in by_cloud["features"]]
    assert clouds == sorted(clouds)
    got = api.get(
        "/oneatlas-search/api/v2/opensearch",
        params={"bbox": "1.40,43.59,1.51,43.64", "acquisitionDate": YEAR, "itemsPerPage": 5},
    )
    assert got.status_code == 200 and got.json()["totalResults"] == first["totalResults"]
    capture = catalog.get(first["features"][0]["properties"]["id"])
    assert capture is not None and capture.source_identifier == first["features"][0]["properties"]["sourceIdentifier"]
    bad = api.post("/oneatlas-search/api/v2/opensearch", json={"acquisitionDate": YEAR})
    assert bad.status_code == 400 and "geometry" in bad.json()["message"]
    assert (
        api.post("/oneatlas-search/api/v2/opensearch", json={"geometry": TOULOUSE, "constellation": "WV3"}).status_code
        == 400
    )


def test_quicklook_on_the_access_host_needs_the_bearer(sandbox):
    api = client(sandbox)
    feature = search(api, itemsPerPage=1)["features"][0]
    href = feature["_links"]["quicklook"]["href"]
    assert httpx.get(href).status_code == 401
    image = api.get(href)
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert image.content[:3] == b"\xff\xd8\xff"


def test_price_then_order_with_the_same_body(sandbox):
    api = client(sandbox)
    feature = search(api, constellation="PHR", itemsPerPage=1)["features"][0]
    body = {"kind": "order.data.product", "products": [product(feature)]}
    priced = api.post("/oneatlas-data/api/v1/prices", json=body)
    assert priced.status_code == 200, priced.text
    quote = priced.json()
    area = quote["price"]["areaKm2"]
    assert 0.5 < area < 1.5 and quote["price"]["amount"] == pytest.approx(round(area * 10.0, 2), abs=0.1)
    assert quote["deliveries"][0]["datas"]["sourceId"] == feature["properties"]["sourceIdentifier"]
    placed = api.post("/oneatlas-data/api/v1/orders", json=body)
    assert placed.status_code == 201
    order = placed.json()
    assert order["status"] == "ordered" and order["kind"] == "order.data.product"
    assert order["price"] == quote["price"]["amount"] and order["deliveries"][0]["status"] == "processing"
    assert api.get(f"/oneatlas-data/api/v1/orders/{order['id']}").json()["id"] == order["id"]
    assert api.get("/oneatlas-data/api/v1/orders/00000000-0000-4000-8000-000000000000").status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"productType": "bundle-fs"}, "productType"),
        ({"productType": "ortho"}, "productType"),
        ({"radiometricProcessing": "RAW"}, "radiometricProcessing"),
        ({"imageFormat": "image/png"}, "imageFormat"),
        ({"crsCode": "urn:ogc:def:crs:EPSG::3857"}, "crsCode"),
        ({"crsCode": "urn:ogc:def:crs:EPSG::32661"}, "crsCode"),
        ({"id": "00000000-0000-4000-8000-000000000000"}, "id"),
        (
            {"aoi": {"type": "Polygon", "coordinates": [[[1.45, 43.6], [1.451, 43.6], [1.451, 43.601], [1.45, 43.6]]]}},
            "minimum",
        ),
    ],
)
def test_order_validation(sandbox, change, message):
    api = client(sandbox)
    feature = search(api, constellation="PHR", itemsPerPage=1)["features"][0]
    body = {"kind": "order.data.product", "products": [product(feature, **change)]}
    for path in ("/oneatlas-data/api/v1/prices", "/oneatlas-data/api/v1/orders"):
        response = api.post(path, json=body)
        assert response.status_code == 400 and message in response.json()["message"]
    assert api.post("/oneatlas-data/api/v1/orders", json={"kind": "order.other", "products": []}).status_code == 400


def test_basic16_is_for_spot_and_pleiades_only(sandbox):
    api = client(sandbox)
    pneo = search(api, constellation="PNEO", itemsPerPage=1)["features"][0]
    body = {"kind": "order.product", "products": [product(pneo, radiometricProcessing="BASIC16")]}
    assert api.post("/oneatlas-data/api/v1/prices", json=body).status_code == 400


def test_lifecycle_delivery_zip_and_range(sandbox, tmp_path):
    api = client(sandbox)
    feature = search(api, constellation="PHR", itemsPerPage=1)["features"][0]
    body = {
        "kind": "order.data.product",
        "products": [
            product(feature, imageFormat="image/jp2", productType="bundle", crsCode="urn:ogc:def:crs:EPSG::32631")
        ],
    }
    order = api.post("/oneatlas-data/api/v1/orders", json=body).json()
    assert "download" not in order["deliveries"][0]["_links"]
    sandbox.advance(301)
    delivered = api.get(f"/oneatlas-data/api/v1/orders/{order['id']}").json()
    assert delivered["status"] == "delivered" and delivered["deliveries"][0]["status"] == "delivered"
    href = delivered["deliveries"][0]["_links"]["download"]["href"]
    assert httpx.get(href).status_code == 401
    archive = api.get(href)
    assert archive.status_code == 200 and archive.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert any(n.endswith("_P.JP2") for n in names) and any(n.endswith("_MS.JP2") for n in names)
    zipfile.ZipFile(io.BytesIO(archive.content)).extractall(tmp_path)
    ms = next(tmp_path.rglob("*_MS.JP2"))
    ds = gdal.Open(str(ms))
    assert ds.RasterCount == 4 and "32631" in ds.GetProjection() and ds.GetRasterBand(1).GetNoDataValue() == 0
    part = api.get(href, headers={"range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == archive.content[100:200]
    listed = api.get("/oneatlas-data/api/v1/orders", params={"status": "delivered", "kind": "order.data.product"})
    assert [o["id"] for o in listed.json()["items"]] == [order["id"]]


def test_rejected_without_balance_and_error_outside_the_image(sandbox):
    poor = client(sandbox, "oneatlas-sandbox-poor-key")
    feature = search(poor, constellation="PHR", itemsPerPage=1)["features"][0]
    order = poor.post(
        "/oneatlas-data/api/v1/orders", json={"kind": "order.data.product", "products": [product(feature)]}
    ).json()
    assert order["status"] == "rejected"
    api = client(sandbox)
    footprint = feature["geometry"]["coordinates"][0]
    lon, lat = footprint[0]
    across = {
        "type": "Polygon",
        "coordinates": [
            [
                [lon - 0.01, lat - 0.01],
                [lon + 0.01, lat - 0.01],
                [lon + 0.01, lat + 0.01],
                [lon - 0.01, lat + 0.01],
                [lon - 0.01, lat - 0.01],
            ]
        ],
    }
    failing = api.post(
        "/oneatlas-data/api/v1/orders", json={"kind": "order.data.product", "products": [product(feature, aoi=across)]}
    ).json()
    assert failing["status"] == "ordered"
    sandbox.advance(301)
    assert api.get(f"/oneatlas-data/api/v1/orders/{failing['id']}").json()["status"] == "error"


def test_order_list_paging(sandbox):
    api = client(sandbox)
    feature = search(api, constellation="PHR", itemsPerPage=1)["features"][0]
    ids = [
        api.post(
            "/oneatlas-data/api/v1/orders", json={"kind": "order.data.product", "products": [product(feature)]}
        ).json()["id"]
        for _ in range(3)
    ]
    page = api.get("/oneatlas-data/api/v1/orders", params={"page": 2, "itemsPerPage": 2}).json()
    assert page["totalResults"] == 3 and page["startIndex"] == 2 and [o["id"] for o in page["items"]] == [ids[0]]
    assert api.get("/oneatlas-data/api/v1/orders", params={"page": 0}).status_code == 400


def test_faults_answer_in_the_api_error_shape(sandbox):
    api = client(sandbox)
    sandbox.fault(kind="status", prefix="/oneatlas-data/api/v1/me", status=503)
    failed = api.get("/oneatlas-data/api/v1/me")
    assert failed.status_code == 503 and failed.json()["internalCode"] == 503
    feature = search(api, constellation="PHR", itemsPerPage=1)["features"][0]
    sandbox.fault(kind="drop_after_commit", prefix="/oneatlas-data/api/v1/orders", method="POST")
    with pytest.raises(httpx.HTTPError):
        api.post("/oneatlas-data/api/v1/orders", json={"kind": "order.data.product", "products": [product(feature)]})
    assert api.get("/oneatlas-data/api/v1/orders").json()["totalResults"] == 1


def test_every_link_in_orders_deliveries_and_me_resolves(sandbox):
    """HAL links are followed by clients: each one the sandbox hands out answers 200."""
    api = client(sandbox)
    feature = search(api, constellation="PHR", itemsPerPage=1)["features"][0]
    order = api.post(
        "/oneatlas-data/api/v1/orders", json={"kind": "order.data.product", "products": [product(feature)]}
    ).json()
    sandbox.advance(301)

    def links(obj):
        found = [link["href"] for link in obj.get("_links", {}).values()]
        for value in obj.values():
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, dict):
                    found += links(child)
        return found

    hrefs = set(links(api.get(f"/oneatlas-data/api/v1/orders/{order['id']}").json()))
    hrefs |= set(links(api.get("/oneatlas-data/api/v1/me").json()))
    for kind in ("/orders/", "/deliveries/", "/contracts/", "/download", f"/orders/{order['id']}/deliveries"):
        assert any(kind in h for h in hrefs), (kind, hrefs)
    for href in sorted(hrefs):
        assert href.startswith(sandbox.url), href
        assert api.get(href).status_code == 200, href
    delivery = order["deliveries"][0]
    followed = api.get(delivery["_links"]["self"]["href"]).json()
    assert followed["id"] == delivery["id"] and followed["status"] == "delivered"
    # another account sees neither the delivery nor the contract
    other = client(sandbox, key="oneatlas-sandbox-poor-key")
    assert other.get(delivery["_links"]["self"]["href"]).status_code == 404
    assert other.get(delivery["_links"]["contract"]["href"]).status_code == 404


def test_the_orders_deliveries_link_lists_its_deliveries(sandbox):
    """Seed 004's order examples link ``deliveries`` to ``/api/v1/orders/{id}/deliveries``."""
    api = client(sandbox)
    feature = search(api, constellation="PHR", itemsPerPage=1)["features"][0]
    order = api.post(
        "/oneatlas-data/api/v1/orders", json={"kind": "order.data.product", "products": [product(feature)]}
    ).json()
    listed = api.get(order["_links"]["deliveries"]["href"])
    assert listed.status_code == 200, listed.text
    assert [d["id"] for d in listed.json()["items"]] == [d["id"] for d in order["deliveries"]]
    assert listed.json()["totalResults"] == len(order["deliveries"]) == 1
    other = client(sandbox, key="oneatlas-sandbox-poor-key")
    assert other.get(order["_links"]["deliveries"]["href"]).status_code == 404


def test_orders_cannot_be_cancelled_no_route_is_invented(sandbox):
    """What the OneAtlas documents say about cancelling a Living Library product order:

    * seed 004 (the "Order an Individual Product" guide) shows a ``cancel`` link,
      ``https://data.api.oneatlas.airbus.com/api/v1/orders/{id}/cancel``, in its order
      examples, and says nothing else about it: no method, body, cancellable states or answer;
    * the Living Library OpenAPI has no ``/api/v1/orders/{orderId}/cancel``; its cancel
      operations are for processing activities (``POST /api/v1/activities/{activityId}/cancel``)
      and taskings (``POST /api/v1/contracts/{contractId}/taskings/{taskingId}/cancel``);
    * the Pay-Per-Order OpenAPI's ``POST api/v1/orders/{orderItemId}/cancel`` is "Cancel a
      Tasking Order" (Pléiades Neo) on order.api.oneatlas.airbus.com, not an archive order;
    * CONTRACTS.md §0: "There is no cancel endpoint for Living Library product orders."

    So the sandbox invents none: no ``cancel`` link, and the guide's link path is not a route.
    (The adapter's cancel preview says orders cannot be cancelled from Nadir.)"""
    api = client(sandbox)
    feature = search(api, constellation="PHR", itemsPerPage=1)["features"][0]
    order = api.post(
        "/oneatlas-data/api/v1/orders", json={"kind": "order.data.product", "products": [product(feature)]}
    ).json()
    assert "cancel" not in order["_links"]
    for method in ("POST", "PUT", "DELETE"):
        response = api.request(method, f"/oneatlas-data/api/v1/orders/{order['id']}/cancel")
        assert response.status_code in (404, 405), (method, response.status_code)
    assert api.get(f"/oneatlas-data/api/v1/orders/{order['id']}").json()["status"] == "ordered"
