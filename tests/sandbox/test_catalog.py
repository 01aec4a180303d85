"""sandbox.catalog: a deterministic, dense, filterable global archive rebuilt from ids."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timezone
from itertools import islice

import pytest
import shapely
from shapely.geometry import box, shape

from sandbox import catalog

UTC = timezone.utc
FRANCE = {
    "type": "Polygon",
    "coordinates": [
        [
            [-4.8, 48.6],
            [-1.5, 50.9],
            [2.5, 51.1],
            [8.2, 49.0],
            [7.5, 43.8],
            [3.0, 42.4],
            [-1.8, 43.3],
            [-1.2, 46.2],
            [-4.8, 48.6],
        ]
    ],
}
# about 10 x 10 km over Paris
PARIS = shapely.geometry.mapping(box(2.30, 48.80, 2.435, 48.89))
YEAR = (datetime(2023, 1, 1, tzinfo=UTC), datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC))
JUNE = (datetime(2023, 6, 1, tzinfo=UTC), datetime(2023, 6, 30, 23, 59, 59, tzinfo=UTC))


@pytest.fixture(scope="module")
def france_phr():
    return list(catalog.search(["PHR"], FRANCE, *YEAR))


def test_a_year_over_france_holds_ten_thousand_vhr_captures(france_phr):
    assert len(france_phr) >= 10_000
    assert len({c.id for c in france_phr}) == len(france_phr)
    area = shape(FRANCE)
    assert all(area.intersects(shape(c.footprint)) for c in france_phr[::50])
    assert all(YEAR[0] <= c.datetime <= YEAR[1] for c in france_phr)


def test_a_small_box_for_a_month_holds_a_handful():
    for name in ("PHR", "PNEO", "SENTINEL-2"):
        found = list(catalog.search([name], PARIS, *JUNE))
        assert 1 <= len(found) <= 15, (name, len(found))


def test_results_are_deterministic_newest_first_and_page_stably(france_phr):
    again = list(catalog.search(["PHR"], FRANCE, *YEAR))
    assert again == france_phr
    keys = [(-c.datetime.timestamp(), c.id) for c in france_phr]
    assert keys == sorted(keys)
    first_page = list(islice(catalog.search(["PHR"], FRANCE, *YEAR), 100))
    assert first_page == france_phr[:100]


def test_ids_round_trip_and_unknown_ids_do_not(france_phr):
    for capture in france_phr[::997]:
        uuid.UUID(capture.id)  # a UUID, as OneAtlas and UP42 ids are
        assert catalog.get(capture.id) == capture
        assert catalog.get(capture.id.upper()) == capture
    assert catalog.get(str(uuid.uuid4())) is None
    assert catalog.get("not-an-id") is None
    tampered = france_phr[0].id[:-1] + ("0" if france_phr[0].id[-1] != "0" else "1")
    assert catalog.get(tampered) is None


def test_filters_cloud_incidence_constellation_and_ids(france_phr):
    clear = list(catalog.search(["PHR"], FRANCE, *YEAR, max_cloud=10, max_incidence=20))
    assert 0 < len(clear) < len(france_phr)
    assert all(c.cloud_cover <= 10 and c.incidence_angle <= 20 for c in clear)
    assert {c.id for c in clear} <= {c.id for c in france_phr}
    both = list(catalog.search(["PHR", "SENTINEL-2"], PARIS, *JUNE))
    assert {c.constellation for c in both} == {"PHR", "SENTINEL-2"}
    wanted = [france_phr[5].id, france_phr[3].id, str(uuid.uuid4())]
    by_id = list(catalog.search(["PHR"], None, *YEAR, ids=wanted))
    assert [c.id for c in by_id] == [france_phr[3].id, france_phr[5].id]
    assert list(catalog.search(["PNEO"], None, *YEAR, ids=wanted)) == []


def test_bad_searches_are_refused():
    with pytest.raises(ValueError, match="geometry"):
        list(catalog.search(["PHR"], None, *YEAR))
    with pytest.raises(ValueError, match="unknown constellation"):
        list(catalog.search(["WORLDVIEW"], PARIS, *YEAR))
    with pytest.raises(ValueError, match="GeoJSON"):
        list(catalog.search(["PHR"], {"type": "Blob"}, *YEAR))


def _km(lon_lat_a, lon_lat_b):
    lat = math.radians((lon_lat_a[1] + lon_lat_b[1]) / 2)
    return math.hypot((lon_lat_a[0] - lon_lat_b[0]) * 111.32 * math.cos(lat), (lon_lat_a[1] - lon_lat_b[1]) * 110.574)


def test_footprints_are_strips_along_a_sun_synchronous_track(france_phr):
    spec = catalog.CONSTELLATIONS["PHR"]
    for capture in france_phr[::211]:
        ring = capture.footprint["coordinates"][0]
        assert capture.footprint["type"] == "Polygon" and len(ring) == 5 and ring[0] == ring[-1]
        width, length = _km(ring[0], ring[1]), _km(ring[1], ring[2])
        assert spec.swath_km - 0.5 <= width <= spec.swath_km / math.cos(math.radians(45)) + 0.5
        assert spec.length_km[0] - 0.5 <= length <= spec.length_km[1] + 0.5
        # long axis tilted 10-16 degrees east of north at French latitudes
        (x1, y1), (x2, y2) = ring[1], ring[2]
        lat = math.radians(y1)
        bearing = math.degrees(math.atan2((x1 - x2) * math.cos(lat) * 111.32, (y1 - y2) * 110.574))
        assert 10 <= bearing <= 16
        assert capture.bbox[0] < capture.bbox[2] and capture.bbox[1] < capture.bbox[3]
        assert 8.5 <= capture.datetime.hour + capture.datetime.minute / 60 + capture.centroid[0] / 15 <= 11.5


def test_metadata_is_plausible(france_phr):
    assert all(c.sun_elevation >= catalog.MIN_SUN_ELEVATION for c in france_phr)
    assert all(0 <= c.cloud_cover <= 100 and 0 <= c.incidence_angle <= 45 for c in france_phr)
    assert all(0.5 <= c.gsd <= 1.2 and c.platform in ("PHR1A", "PHR1B") for c in france_phr)
    assert {c.processing_level for c in france_phr} == {"SENSOR", "ALBUM"}
    mean_cloud = sum(c.cloud_cover for c in france_phr) / len(france_phr)
    assert 5 < mean_cloud < 40


def test_no_capture_before_launch_or_after_retirement():
    before = list(catalog.search(["PNEO"], FRANCE, datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 5, 14, tzinfo=UTC)))
    assert before == []
    spot = list(catalog.search(["SPOT"], FRANCE, datetime(2023, 4, 1, tzinfo=UTC), datetime(2023, 9, 1, tzinfo=UTC)))
    assert spot and {c.platform for c in spot} == {"SPOT6"}


def test_no_polar_night_and_sparse_over_open_sea():
    arctic = shapely.geometry.mapping(box(20, 68, 30, 72))
    december = (datetime(2023, 12, 1, tzinfo=UTC), datetime(2023, 12, 31, tzinfo=UTC))
    assert list(catalog.search(["PHR"], arctic, *december)) == []
    land = list(catalog.search(["PHR"], shapely.geometry.mapping(box(0, 44, 3, 47)), *YEAR))
    sea = list(catalog.search(["PHR"], shapely.geometry.mapping(box(-35, 30, -32, 33)), *YEAR))
    assert len(sea) * 10 < len(land)


def test_no_footprint_crosses_the_antimeridian():
    fiji = shapely.geometry.mapping(box(177.0, -19.0, 180.0, -16.0))
    found = list(catalog.search(["SENTINEL-2"], fiji, *YEAR))
    assert found
    assert all(c.bbox[2] - c.bbox[0] < 10 and -180 < c.bbox[0] and c.bbox[2] < 180 for c in found)


def test_now_hides_captures_not_yet_acquired():
    now = datetime(2023, 6, 15, tzinfo=UTC)
    found = list(catalog.search(["PHR"], FRANCE, *JUNE, now=now))
    assert found and all(c.datetime <= now for c in found)


def test_quicklook_is_a_png_of_the_capture(france_phr):
    png = catalog.quicklook_png(france_phr[0].id, size=64)
    assert png.startswith(b"\x89PNG") and catalog.quicklook_png(france_phr[0].id, size=64) == png
    with pytest.raises(KeyError):
        catalog.quicklook_png(str(uuid.uuid4()))
