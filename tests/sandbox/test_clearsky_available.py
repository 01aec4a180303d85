"""ClearSKY availability over HTTP: /search/available and /process/composite/available.

Orders move through their lifecycle on the sandbox clock; availability must follow it and
agree with what /process/composite actually serves (a file, or error 1002).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest
import shapely
import shapely.wkt

KEY = "clearsky-sandbox-key"
URL_SEARCH = "/api/satelliteimages/search/available"
URL_FLAGS = "/api/satelliteimages/process/composite/available"
# a 2 km x 2 km box near Aarhus (the docs' example area), a box inside it, one near Copenhagen
AOI = "POLYGON((10.00 56.30, 10.0325 56.30, 10.0325 56.3180, 10.00 56.3180, 10.00 56.30))"
INNER = "POLYGON((10.005 56.305, 10.02 56.305, 10.02 56.315, 10.005 56.315, 10.005 56.305))"
FAR = "POLYGON((12.50 55.60, 12.52 55.60, 12.52 55.61, 12.50 55.61, 12.50 55.60))"
BOTH = shapely.MultiPolygon([shapely.wkt.loads(INNER), shapely.wkt.loads(FAR)]).wkt
APRIL = {"From": "2025-04-01", "To": "2025-04-30", "ImageFrequency": 3, "ReferenceDate": "2025-01-01"}
APRIL_DATES = [f"2025-04-{d:02d}" for d in (1, 4, 7, 10, 13, 16, 19, 22, 25, 28)]
PRODUCED_S = 2_500  # Review 300 + Preparing 300 + Awaiting 600 + Processing 1200, plus a margin


class Api:
    def __init__(self, sandbox, key=KEY):
        self.sandbox = sandbox
        self.http = httpx.Client(base_url=sandbox.provider_url("clearsky"), headers={"x-api-key": key}, timeout=60)

    def data(self, path, body):
        response = self.http.post(path, json=body)
        assert response.status_code == 200, response.text
        payload = response.json()
        assert payload["Succeeded"] is True and payload["Error"] is None
        return payload["Data"]

    def order(self, wkt=AOI, model="Stratus2", constellations=("Sentinel2",), **extra):
        body = {"Wkt": wkt, "Model": model, "SatelliteConstellations": list(constellations), **APRIL, **extra}
        return self.data("/api/tasking/orders", body)["TaskOrderGuid"]

    def completed(self, guid):
        orders = self.data("/api/tasking/orders/details", {"Guids": [guid]})["TaskOrders"]
        return orders[0]["CompletedImageDates"]

    def search(self, wkt=INNER, start="2025-01-01", until="2025-12-31"):
        return self.data(URL_SEARCH, {"Wkt": wkt, "From": start, "Until": until})["ModelImageDates"]

    def dates(self, wkt=INNER, start="2025-01-01", until="2025-12-31"):
        """Every date listed for ``wkt``, over all groups and areas."""
        return sorted(
            {d for group in self.search(wkt, start, until) for area in group["DatesByGeog"] for d in area["Dates"]}
        )

    def flags(self, wkt=INNER, day="2025-04-04", **extra):
        return self.data(URL_FLAGS, {"Wkt": wkt, "Date": day, **extra})

    def composite(self, wkt=INNER, day="2025-04-04", **extra):
        return self.http.post(
            "/api/satelliteimages/process/composite", json={"Wkt": wkt, "Date": day, "Resolution": 40, **extra}
        )

    def now(self):
        return datetime.fromisoformat(self.sandbox.admin("GET", "clock")["now"].replace("Z", "+00:00"))


@pytest.fixture
def api(sandbox):
    return Api(sandbox)


def box(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"


def same_area(wkt, expected):
    a, b = shapely.wkt.loads(wkt), shapely.wkt.loads(expected)
    return a.symmetric_difference(b).area < 1e-9 * max(b.area, 1e-12) + 1e-12


NOTHING = {
    "FullyAvailable": False,
    "PartiallyAvailable": False,
    "OrdersCoverPolygon": False,
    "DataAvailableForUser": False,
}
ORDERED = {**NOTHING, "OrdersCoverPolygon": True}
READY = {"FullyAvailable": True, "PartiallyAvailable": False, "OrdersCoverPolygon": True, "DataAvailableForUser": True}


# ---------------------------------------------------------------- lifecycle


def test_search_is_empty_until_the_order_has_produced_its_dates(api, sandbox):
    assert api.search() == []
    guid = api.order()
    assert api.search() == [], "Review"
    assert api.flags() == ORDERED
    sandbox.advance(400)
    assert api.search() == [], "Preparing"
    sandbox.advance(900)  # 1300 s: the (past) image dates are in Processing
    assert (
        api.data("/api/tasking/orders/details", {"Guids": [guid]})["TaskOrders"][0]["OrderingProcessStatus"]
        == "Processing"
    )
    assert api.search() == [] and api.flags() == ORDERED
    sandbox.advance(PRODUCED_S - 1300)
    found = api.search()
    assert found == [
        {
            "Model": "Stratus2",
            "SatelliteConstellations": ["Sentinel2"],
            "DatesByGeog": [{"Wkt": found[0]["DatesByGeog"][0]["Wkt"], "Dates": APRIL_DATES}],
        }
    ]
    assert same_area(found[0]["DatesByGeog"][0]["Wkt"], INNER)
    assert api.completed(guid) == APRIL_DATES
    assert api.flags() == READY


def test_dates_of_a_live_order_appear_one_by_one(api, sandbox):
    today = api.now().date()
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # first of last month
    guid = api.order(From=start.isoformat(), To=None, ImageFrequency=1, ReferenceDate=start.isoformat())
    sandbox.advance(PRODUCED_S)
    # land at 01:00 after the next midnight: every date up to yesterday is past Processing
    now = api.now()
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), timezone.utc)
    sandbox.advance((midnight - now).total_seconds() + 3600)
    yesterday = midnight.date() - timedelta(days=1)
    expected = [(start + timedelta(days=k)).isoformat() for k in range((yesterday - start).days + 1)]
    assert api.dates(start=start.isoformat(), until="2099-12-31") == expected == api.completed(guid)
    day = midnight.date().isoformat()
    assert api.flags(day=day) == ORDERED, "on the schedule, not produced yet"
    # the next midnight passes: the date is acquired (AwaitingSatelliteProducts), not yet listed
    sandbox.advance(86_400 - 3600 + 60)
    assert (
        api.data("/api/tasking/orders/details", {"Guids": [guid]})["TaskOrders"][0]["OrderingProcessStatus"]
        == "AwaitingSatelliteProducts"
    )
    assert api.dates(start=start.isoformat(), until="2099-12-31") == expected
    assert api.composite(day=day).json()["Error"]["Code"] == 1002
    sandbox.advance(1800)  # through Processing: exactly one more date
    assert api.dates(start=start.isoformat(), until="2099-12-31") == [*expected, day] == api.completed(guid)
    assert api.flags(day=day) == READY
    assert api.composite(day=day).status_code == 200


def test_an_order_cancelled_in_review_never_offers_dates(api, sandbox):
    guid = api.order()
    cancelled = api.http.delete("/api/tasking/orders/cancel", params={"taskOrderGuid": guid})
    assert cancelled.status_code == 200, cancelled.text
    sandbox.advance(PRODUCED_S)
    assert api.search() == [] and api.flags() == NOTHING


# ---------------------------------------------------------------- search filters


def test_search_clips_to_the_searched_area(api, sandbox):
    api.order()
    api.order(wkt=FAR)
    sandbox.advance(PRODUCED_S)
    half = box(10.02, 56.305, 10.05, 56.31)  # sticks out east of AOI
    [group] = api.search(half)
    [area] = group["DatesByGeog"]
    assert same_area(area["Wkt"], box(10.02, 56.305, 10.0325, 56.31)) and area["Dates"] == APRIL_DATES
    assert api.search(box(10.0325, 56.305, 10.05, 56.31)) == [], "touches AOI's edge only"
    assert api.search(box(11.0, 56.0, 11.01, 56.01)) == [], "meets no order"
    [group] = api.search(BOTH)
    areas = sorted(group["DatesByGeog"], key=lambda a: shapely.wkt.loads(a["Wkt"]).centroid.x)
    assert [same_area(a["Wkt"], w) for a, w in zip(areas, (INNER, FAR))] == [True, True]
    assert all(a["Dates"] == APRIL_DATES for a in areas)
    collection = f"GEOMETRYCOLLECTION({INNER}, {FAR})"  # the orders' own AOI format is accepted too
    assert api.dates(collection) == APRIL_DATES


def test_search_on_a_tile_order_returns_the_part_of_the_tile_searched(api, sandbox):
    probe = box(10.5, 56.0, 10.501, 56.001)
    tiles = api.data("/api/tasking/search/tiles", {"Wkt": probe})["Tiles"]
    tile = next(t for t in tiles if t["Epsg"] == 32632)
    api.order(wkt=None, TileGuids=[tile["Guid"]], model="Nimbus", constellations=("Sentinel1",))
    sandbox.advance(PRODUCED_S)
    [group] = api.search(probe)
    assert group["Model"] == "Nimbus" and group["SatelliteConstellations"] == ["Sentinel1"]
    assert same_area(group["DatesByGeog"][0]["Wkt"], probe)
    whole = api.search(tile["DataGeogWkt"])[0]["DatesByGeog"][0]["Wkt"]
    assert shapely.wkt.loads(whole).area == pytest.approx(shapely.wkt.loads(tile["DataGeogWkt"]).area, rel=1e-6)
    assert api.flags(probe) == READY and api.composite(probe).status_code == 200


def test_search_keeps_only_the_dates_inside_from_until(api, sandbox):
    api.order()
    sandbox.advance(PRODUCED_S)
    assert api.dates(start="2025-04-04", until="2025-04-13") == APRIL_DATES[1:5], "both ends inclusive"
    assert api.dates(start="2025-04-07", until="2025-04-07") == ["2025-04-07"]
    assert api.search(start="2025-04-05", until="2025-04-06") == [], "no image date in the range: no group"
    assert api.search(start="2025-05-01", until="2025-05-31") == []
    assert api.dates(start="2025-04-04T00:00:00Z", until="2025-04-13T23:59:59Z") == APRIL_DATES[1:5]
    camel = api.data(URL_SEARCH, {"wkt": INNER, "from": "2025-04-20", "until": "2025-04-30"})["ModelImageDates"]
    assert camel[0]["DatesByGeog"][0]["Dates"] == APRIL_DATES[7:]


def test_search_groups_by_model_and_constellations(api, sandbox):
    s2 = api.order()
    api.order(constellations=("Sentinel2", "Sentinel1"))
    api.order(wkt=FAR, constellations=("Sentinel1", "Sentinel2"))  # the same inputs, listed the other way
    api.order(model="Nimbus", constellations=("Sentinel1",))
    may = api.order(From="2025-05-01", To="2025-05-10")  # same product and area as s2, later dates
    sandbox.advance(PRODUCED_S)
    groups = api.search(BOTH)
    assert [(g["Model"], g["SatelliteConstellations"]) for g in groups] == [
        ("Nimbus", ["Sentinel1"]),
        ("Stratus2", ["Sentinel1", "Sentinel2"]),
        ("Stratus2", ["Sentinel2"]),
    ]
    nimbus, fused, optical = groups
    assert [a["Dates"] for a in nimbus["DatesByGeog"]] == [APRIL_DATES]
    assert len(fused["DatesByGeog"]) == 2, "one entry per ordered area"
    [merged] = optical["DatesByGeog"]
    may_dates = api.completed(may)
    assert may_dates and merged["Dates"] == api.completed(s2) + may_dates, "same area: dates merged in order"
    assert same_area(merged["Wkt"], INNER)


# ---------------------------------------------------------------- composite/available vs /process/composite


def test_composite_flags_agree_with_the_download(api, sandbox):
    api.order()
    west, east = box(10.5, 56.0, 10.52, 56.01), box(10.52, 56.0, 10.54, 56.01)
    api.order(wkt=west)
    api.order(wkt=east)
    straddle = box(10.51, 56.002, 10.53, 56.008)  # covered by west and east together, by neither alone
    cases = [  # (Wkt, Date, extra fields, flags once produced)
        (INNER, "2025-04-04", {}, READY),
        (AOI, "2025-04-28", {}, READY),
        (INNER, "2025-04-05", {}, NOTHING),  # not an image date
        (
            box(10.02, 56.305, 10.05, 56.31),
            "2025-04-04",
            {},
            {**NOTHING, "PartiallyAvailable": True, "DataAvailableForUser": True},
        ),
        (straddle, "2025-04-04", {}, {**NOTHING, "PartiallyAvailable": True, "DataAvailableForUser": True}),
        (FAR, "2025-04-04", {}, NOTHING),
        (INNER, "2025-04-04", {"Model": "Nimbus"}, NOTHING),
        (INNER, "2025-04-04", {"Model": "Stratus2", "SatelliteConstellations": ["Sentinel2"]}, READY),
        (INNER, "2025-04-04", {"SatelliteConstellations": ["Sentinel1", "Sentinel2"]}, NOTHING),
        (INNER, "2025-04-04", {"EpsgProjection": 3857, "Bandnames": ["B04"]}, READY),
    ]
    for wkt, day, extra, _ in cases:  # nothing is produced yet: nothing is served
        assert api.flags(wkt, day, **extra)["FullyAvailable"] is False
        refused = api.composite(wkt, day, **extra)
        assert refused.status_code == 400 and refused.json()["Error"]["Code"] == 1002
    sandbox.advance(PRODUCED_S)
    for wkt, day, extra, expected in cases:
        flags = api.flags(wkt, day, **extra)
        assert flags == expected, (wkt, day, extra)
        served = api.composite(wkt, day, **extra)
        if flags["FullyAvailable"]:
            assert served.status_code == 200 and served.headers["content-type"] == "image/tiff", served.text
            assert day in api.dates(wkt), "a composite that is served is also listed by search/available"
        else:
            assert served.status_code == 400 and served.json()["Error"]["Code"] == 1002, (wkt, day, extra)


# ---------------------------------------------------------------- auth and validation


@pytest.mark.parametrize("path", [URL_SEARCH, URL_FLAGS])
def test_auth_is_the_api_key_header(sandbox, path):
    url = sandbox.provider_url("clearsky") + path
    body = {"Wkt": INNER, "From": "2025-04-01", "Until": "2025-04-30", "Date": "2025-04-04"}
    for headers in ({}, {"x-api-key": "wrong"}):
        response = httpx.post(url, json=body, headers=headers)
        assert response.status_code == 401
        payload = response.json()
        assert payload["Succeeded"] is False and payload["Error"]["Code"] == 401 and payload["Data"] is None
    assert httpx.post(url, json=body, headers={"X-API-KEY": KEY}).status_code == 200
    other = httpx.post(url, json=body, headers={"x-api-key": "clearsky-sandbox-nocredit-key"})
    assert other.status_code == 200


def test_other_accounts_orders_are_not_visible(api, sandbox):
    api.order()
    sandbox.advance(PRODUCED_S)
    stranger = Api(sandbox, "clearsky-sandbox-nocredit-key")
    assert stranger.search() == [] and stranger.flags() == NOTHING


def invalid(api, path, body=None, content=None):
    response = api.http.post(path, json=body) if content is None else api.http.post(path, content=content)
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["Succeeded"] is False
    return payload["Error"]["Code"], payload["Data"]


def test_search_validation_errors(api):
    code, data = invalid(api, URL_SEARCH, {})
    assert code == 992 and set(data) == {"Wkt", "From", "Until"}
    code, data = invalid(api, URL_SEARCH, {"Wkt": INNER, "From": "2025-04-30", "Until": "2025-04-01"})
    assert code == 992 and set(data) == {"Until"}
    code, data = invalid(api, URL_SEARCH, {"Wkt": INNER, "From": "April", "Until": "2025-04-31"})
    assert code == 992 and set(data) == {"From", "Until"}
    for wkt in ("POLYGON((1 2", "LINESTRING(10 56, 10.1 56.1)", box(190, 56, 191, 57), "POLYGON EMPTY"):
        code, data = invalid(api, URL_SEARCH, {"Wkt": wkt, "From": "2025-04-01", "Until": "2025-04-30"})
        assert code == 992 and set(data) == {"Wkt"}, wkt
    assert invalid(api, URL_SEARCH, content=b"{")[0] == 993
    assert invalid(api, URL_SEARCH, [INNER])[0] == 993


def test_composite_available_validation_errors(api):
    code, data = invalid(api, URL_FLAGS, {})
    assert code == 992 and set(data) == {"Wkt", "Date"}
    code, data = invalid(
        api,
        URL_FLAGS,
        {
            "Wkt": INNER,
            "Date": "2025-04-04",
            "Model": "Cumulus",
            "SatelliteConstellations": ["Sentinel9"],
            "EpsgProjection": 1234,
            "Resolution": 15,
        },
    )
    assert code == 992 and set(data) == {"Model", "SatelliteConstellations", "EpsgProjection", "Resolution"}
    code, data = invalid(api, URL_FLAGS, {"Wkt": INNER, "Date": "2025-04-04T10:00:00Z"})
    assert code == 992 and set(data) == {"Date"}
    assert invalid(api, URL_FLAGS, content=b"not json")[0] == 993
    assert api.data(URL_FLAGS, {"wkt": INNER, "date": "2025-04-04", "epsgProjection": 32632}) == NOTHING
