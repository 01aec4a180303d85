"""ClearSKY over HTTP: auth, envelope, validation, pricing, lifecycle, cancel rules, dedup, lists."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta, timezone

import httpx
import pytest

KEY = "clearsky-sandbox-key"
# two boxes near Aarhus (the docs' example area): about 0.25 km² and 3.9 km²
SMALL = "POLYGON((9.90 56.30, 9.9081 56.30, 9.9081 56.3045, 9.90 56.3045, 9.90 56.30))"
LARGE = "POLYGON((10.00 56.30, 10.0325 56.30, 10.0325 56.3180, 10.00 56.3180, 10.00 56.30))"
APRIL = {"From": "2025-04-01", "To": "2025-04-30", "ImageFrequency": 3, "ReferenceDate": "2025-01-01"}
APRIL_DATES = [f"2025-04-{d:02d}" for d in (1, 4, 7, 10, 13, 16, 19, 22, 25, 28)]


class Api:
    def __init__(self, sandbox, key=KEY):
        self.sandbox = sandbox
        self.http = httpx.Client(base_url=sandbox.provider_url("clearsky"), headers={"x-api-key": key}, timeout=30)

    def call(self, method, path, expect=200, **kwargs):
        response = self.http.request(method, path, **kwargs)
        assert response.status_code == expect, response.text
        return response.json()

    def data(self, method, path, **kwargs):
        payload = self.call(method, path, **kwargs)
        assert payload["Succeeded"] is True and payload["Error"] is None
        return payload["Data"]

    def order(self, expect=200, **body):
        return self.call("POST", "/api/tasking/orders", expect=expect, json=body)

    def status(self, guid):
        return self.data("POST", "/api/tasking/orders/details", json={"Guids": [guid]})["TaskOrders"][0]

    def now(self):
        return datetime.fromisoformat(self.sandbox.admin("GET", "clock")["now"].replace("Z", "+00:00"))

    def tile(self, lon=10.5, lat=56.0):
        wkt = f"POLYGON(({lon} {lat}, {lon + 0.001} {lat}, {lon + 0.001} {lat + 0.001}, {lon} {lat + 0.001}, {lon} {lat}))"
        tiles = self.data("POST", "/api/tasking/search/tiles", json={"Wkt": wkt})["Tiles"]
        return next(t["Guid"] for t in tiles if t["Epsg"] == 32632)


@pytest.fixture
def api(sandbox):
    return Api(sandbox)


def polygon_order(**extra):
    body = {
        "Wkt": f"GEOMETRYCOLLECTION({SMALL}, {LARGE})",
        "SatelliteConstellations": ["Sentinel2", "Sentinel1"],
        "Model": "Stratus2",
        "StorageMonths": 1,
        "ApiRequests": 1,
        **APRIL,
    }
    body.update(extra)
    return body


def test_auth_missing_and_wrong_keys_get_401_in_the_envelope(sandbox):
    url = f"{sandbox.provider_url('clearsky')}/api/tasking/models"
    for headers in ({}, {"x-api-key": "wrong"}):
        response = httpx.get(url, headers=headers)
        assert response.status_code == 401
        assert response.json() == {
            "Succeeded": False,
            "Error": {"Message": response.json()["Error"]["Message"], "Code": 401},
            "Data": None,
        }
    assert httpx.get(url, headers={"X-API-KEY": KEY}).status_code == 200


def test_models_list_required_and_optional_constellations(api):
    models = {m["Model"]: m for m in api.data("GET", "/api/tasking/models")["TaskingModels"]}
    assert set(models) == {"Stratus2", "Stratus2Fast", "Nimbus"}
    stratus = {
        c["SatelliteConstellation"]: c["Optional"] for c in models["Stratus2"]["SupportedSatelliteConstellations"]
    }
    assert stratus["Sentinel2"] is False and stratus["Sentinel1"] is True and stratus["Landsat89"] is True


def test_polygon_estimate_matches_hand_computed_price(api):
    data = api.data("POST", "/api/tasking/orders/estimate", json=polygon_order())
    before = data["AreaKm2BeforeMinimum1Km2PerAoi"]
    assert 4.0 < before < 4.3  # 0.25 + 3.9 km², about
    large = data["AreaKm2"] - 1.0  # the small AOI is billed at the 1 km² minimum
    assert large == pytest.approx(3.9, abs=0.15)
    assert before - large == pytest.approx(0.25, abs=0.02)  # the small AOI's real area
    assert data["ImageDates"] == APRIL_DATES
    # Stratus2 0.20 + optional Sentinel-1 0.04 = 0.24 EUR/km², 10 image dates, all billed now
    expected = round(data["AreaKm2"] * 0.24 * 10, 2)
    assert data["CurrentMonthCost"] == pytest.approx(expected, abs=0.011)
    assert data["Costs"]["CurrencyCode"] == "EUR" and data["NextMonthCost"] == 0
    assert data["Costs"]["CurrentMonthStorageCosts"] == 0  # first storage month is free
    assert data["CancellationDate"] == "2025-04-30" and data["Model"] == "Stratus2"


def test_tile_and_minitile_estimate_with_storage(api):
    tile = api.tile()
    other = api.tile(lon=10.5, lat=57.0)
    minis = [
        m["Guid"] for m in api.data("POST", "/api/tasking/search/tiles", json={"TileGuidForMiniTiles": other})["Tiles"]
    ]
    full = [m for m in minis][:2]
    body = {
        "TileGuids": [tile],
        "MiniTileGuids": full,
        "SatelliteConstellations": ["Sentinel1"],
        "Model": "Nimbus",
        "StorageMonths": 3,
        "ApiRequests": 2,
        **APRIL,
    }
    data = api.data("POST", "/api/tasking/orders/estimate", json=body)
    assert data["AreaKm2"] == pytest.approx(2621.44 + 2 * 10.24)
    # Nimbus 0.10 EUR/km², tile x0.2, minitile x0.5; storage 0.001 EUR/km²/image/extra month x 2 months
    order = (2621.44 * 0.2 + 2 * 10.24 * 0.5) * 0.10 * 10
    storage = (2621.44 + 2 * 10.24) * 0.001 * 2 * 10
    assert data["Costs"]["CurrentMonthOrderCostEstimate"] == pytest.approx(round(order, 2), abs=0.011)
    assert data["Costs"]["CurrentMonthStorageCosts"] == pytest.approx(round(storage, 2), abs=0.011)
    assert data["CurrentMonthCost"] == pytest.approx(round(order + storage, 2), abs=0.011)


def test_recurring_estimate_bills_this_month_and_estimates_the_next(api):
    today = api.now().date()
    first = today.replace(day=1)
    body = polygon_order(
        From=first.isoformat(),
        To=None,
        ImageFrequency=1,
        ReferenceDate=first.isoformat(),
        SatelliteConstellations=["Sentinel2"],
    )
    data = api.data("POST", "/api/tasking/orders/estimate", json=body)
    this_month = calendar.monthrange(today.year, today.month)[1]
    following = first + timedelta(days=this_month)
    next_days = calendar.monthrange(following.year, following.month)[1]
    assert len(data["ImageDates"]) == this_month + next_days
    per_date = data["AreaKm2"] * 0.20
    assert data["CurrentMonthCost"] == pytest.approx(round(per_date * this_month, 2), abs=0.011)
    assert data["NextMonthCost"] == pytest.approx(round(per_date * next_days, 2), abs=0.011)
    assert data["CancellationDate"] == today.replace(day=this_month).isoformat()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"From": "2025-04-02"}, "From"),
        ({"Model": "Cumulus"}, "Model"),
        ({"Model": None}, "Model"),
        ({"SatelliteConstellations": ["Sentinel1"]}, "SatelliteConstellations"),
        ({"SatelliteConstellations": ["Sentinel2", "Landsat7"]}, "SatelliteConstellations"),
        ({"ImageFrequency": 0}, "ImageFrequency"),
        ({"To": "2025-03-01"}, "To"),
        ({"StorageMonths": "three"}, "StorageMonths"),
        ({"Wkt": "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"}, "Wkt"),
        ({"Wkt": "LINESTRING(0 0, 1 1)"}, "Wkt"),
        ({"GeoJson": {"type": "Point", "coordinates": [0, 0]}}, "Wkt"),
        ({"TileDeduplication": True}, "TileDeduplication"),
    ],
)
def test_order_validation_errors_name_the_property(api, change, field):
    payload = api.order(expect=400, **polygon_order(**change))
    assert payload["Succeeded"] is False and payload["Error"]["Code"] == 992
    assert field in payload["Data"] and payload["Data"][field][0]


def test_malformed_bodies_get_993(api):
    response = api.http.post("/api/tasking/orders", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["Error"]["Code"] == 993
    assert api.call("POST", "/api/tasking/orders", expect=400, json=[1, 2])["Error"]["Code"] == 993


def test_camel_case_bodies_are_accepted(api):
    body = {k[0].lower() + k[1:]: v for k, v in polygon_order().items()}
    assert api.data("POST", "/api/tasking/orders/estimate", json=body)["ImageDates"] == APRIL_DATES


def test_fixed_order_lifecycle(api, sandbox):
    created = api.order(**polygon_order())["Data"]
    guid = created["TaskOrderGuid"]
    assert created["OrderingProcessStatus"] == "Review" and created["BillingCycle"] == "Monthly"
    seen = []
    for step in (0, 301, 300, 600, 1200):
        sandbox.advance(step)
        seen.append(api.status(guid)["OrderingProcessStatus"])
    assert seen == ["Review", "Preparing", "AwaitingSatelliteProducts", "Processing", "Completed"]
    assert api.status(guid)["CompletedImageDates"] == APRIL_DATES
    by_get = api.data("GET", f"/api/tasking/orders/details?taskOrderGuid={guid}")["TaskOrders"]
    assert by_get[0]["TaskOrderGuid"] == guid


def test_recurring_order_keeps_going_and_cancel_ends_it_after_the_month(api, sandbox):
    today = api.now().date()
    first = today.replace(day=1)
    body = polygon_order(From=first.isoformat(), To=None, ImageFrequency=1, ReferenceDate=first.isoformat())
    guid = api.order(**body)["Data"]["TaskOrderGuid"]
    sandbox.advance(2500)
    assert api.status(guid)["OrderingProcessStatus"] in ("UpToDate", "Processing", "AwaitingSatelliteProducts")
    # just after the next midnight the new day's image is awaited, then processed, then up to date
    now = api.now()
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), timezone.utc)
    sandbox.advance((midnight - now).total_seconds() + 60)
    assert api.status(guid)["OrderingProcessStatus"] == "AwaitingSatelliteProducts"
    sandbox.advance(2000)
    assert api.status(guid)["OrderingProcessStatus"] == "UpToDate"
    cancelled = api.data("DELETE", f"/api/tasking/orders/cancel?taskOrderGuid={guid}")
    month_end = api.now().date().replace(day=calendar.monthrange(api.now().year, api.now().month)[1])
    assert cancelled["CancellationDate"] == month_end.isoformat()
    assert api.status(guid)["OrderingProcessStatus"] != "Canceled"
    again = api.call("DELETE", f"/api/tasking/orders/cancel?taskOrderGuid={guid}", expect=400)
    assert again["Error"]["Code"] == 992
    # past the end of the month (and its last image processed) the order is over
    now = api.now()
    after = datetime.combine(month_end + timedelta(days=1), datetime.min.time(), timezone.utc) + timedelta(hours=2)
    sandbox.advance((after - now).total_seconds())
    final = api.status(guid)
    assert final["OrderingProcessStatus"] == "Completed"
    assert final["CompletedImageDates"][-1] == month_end.isoformat()


def test_cancel_rules_per_stage(api, sandbox):
    info = api.data("GET", "/api/account/info")
    review = api.order(**polygon_order())["Data"]["TaskOrderGuid"]
    assert (
        api.data("DELETE", f"/api/tasking/orders/cancel?taskOrderGuid={review}")["OrderingProcessStatus"] == "Canceled"
    )
    assert api.data("GET", "/api/account/info")["EuroCreditAmount"] == info["EuroCreditAmount"], "not billed"
    fixed = api.order(**polygon_order())["Data"]["TaskOrderGuid"]
    sandbox.advance(400)  # Preparing
    refused = api.call("DELETE", f"/api/tasking/orders/cancel?taskOrderGuid={fixed}", expect=400)
    assert refused["Error"]["Code"] == 992 and "Preparing" in refused["Data"]["taskOrderGuid"][0]
    sandbox.advance(3000)  # Completed
    assert api.call("DELETE", f"/api/tasking/orders/cancel?taskOrderGuid={fixed}", expect=400)["Error"]["Code"] == 992
    missing = api.call(
        "DELETE", "/api/tasking/orders/cancel?taskOrderGuid=00000000-0000-4000-8000-000000000000", expect=404
    )
    assert missing["Error"]["Code"] == 404


def test_list_filters_recurring_and_expired(api, sandbox):
    fixed = api.order(**polygon_order())["Data"]["TaskOrderGuid"]
    first = api.now().date().replace(day=1).isoformat()
    recurring = api.order(**polygon_order(From=first, To=None, ReferenceDate=first))["Data"]["TaskOrderGuid"]
    listed = {o["TaskOrderGuid"] for o in api.data("GET", "/api/tasking/orders")["TaskOrders"]}
    assert listed == {fixed, recurring}
    only = api.data("GET", "/api/tasking/orders?recurringOnly=true&getExpired=false")["TaskOrders"]
    assert [o["TaskOrderGuid"] for o in only] == [recurring]
    sandbox.advance(40 * 86400)  # the fixed order (1 storage month, ended 2025) has expired
    live = {o["TaskOrderGuid"] for o in api.data("GET", "/api/tasking/orders")["TaskOrders"]}
    assert fixed not in live and recurring in live
    every = {o["TaskOrderGuid"] for o in api.data("GET", "/api/tasking/orders?getExpired=true")["TaskOrders"]}
    assert fixed in every


def test_tile_deduplication_bills_already_ordered_tiles_once(api):
    tile = api.tile()
    body = {"TileGuids": [tile], "SatelliteConstellations": ["Sentinel2"], "Model": "Stratus2", **APRIL}
    first = api.order(**body, TileDeduplication=True)["Data"]
    assert first["DeduplicatedTiles"] == []
    before = api.data("GET", "/api/account/info")["EuroCreditAmount"]
    second = api.order(**body, TileDeduplication=True)["Data"]
    assert second["DeduplicatedTiles"] == [tile] and second["TileDeduplication"] is True
    assert api.data("GET", "/api/account/info")["EuroCreditAmount"] == before, "nothing billed twice"
    other_model = api.order(**{**body, "Model": "Stratus2Fast"}, TileDeduplication=True)["Data"]
    assert other_model["DeduplicatedTiles"] == []
    after = api.data("GET", "/api/account/info")["EuroCreditAmount"]
    # the first order (2621.44 km² x 0.2 x 0.20 EUR x 10 dates = 1048.58) lifted this month's
    # spend over 1,000 EUR: the next spend tier's Stratus-2 rate, 0.05 EUR/km², applies
    assert before - after == pytest.approx(round(2621.44 * 0.2 * 0.05 * 10, 2), abs=0.011)


def test_account_info_in_both_shapes(api):
    old = api.data("GET", "/api/apikey/info")
    new = api.data("GET", "/api/account/info")
    assert old["MaxCompositeAreaKm2"] == new["MaxCompositeAreaKm2"] and "TenantId" in new
    assert KEY not in str(old) and KEY not in str(new)
    api.order(**polygon_order())
    billed = api.data("GET", "/api/account/info")
    assert billed["CurrentMonthCosts"] > 0 and billed["EuroCreditAmount"] == pytest.approx(
        new["EuroCreditAmount"] - billed["CurrentMonthCosts"], abs=0.011
    )


def test_unknown_route_answers_in_the_envelope(api):
    payload = api.call("GET", "/api/nowhere", expect=404)
    assert payload["Succeeded"] is False and payload["Error"]["Code"] == 404
