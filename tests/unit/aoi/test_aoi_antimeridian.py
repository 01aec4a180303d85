"""AOIs crossing the antimeridian become proper multipolygons with their area unchanged."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from nadir.core.aoi.antimeridian import WindingError, normalise_polygon, unwrap
from nadir.core.aoi.build import build_aois, raw_from_geometry
from nadir.core.aoi.model import Code
from nadir.core.aoi.text import read_text
from nadir.core.geodesy import geodesic_area_km2
from support.aoi_data import ANTIMERIDIAN_COUNTRIES, WORLD_MAP, read, world_countries


def one(text: str):
    result = build_aois(read_text(text), "t", "AOI")
    assert len(result.aois) == 1, result.refused
    return result.aois[0]


def assert_proper(aoi):
    """In range, valid, no part wider than 180° (never a box around the world)."""
    minx, miny, maxx, maxy = aoi.geometry.bounds
    assert -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90
    assert aoi.geometry.is_valid
    for part in aoi.geometry.geoms:
        west, south, east, north = part.bounds
        polar = north > 89 or south < -89  # a cap or Antarctica may span every longitude
        assert east - west < 180 or polar, (aoi.name, part.bounds)


def test_unwrap_is_exact_and_counts_turns():
    lon = np.array([179.5, -179.5, -178.0, 179.0, 179.5])
    unwrapped, turns = unwrap(lon)
    assert unwrapped.tolist() == [179.5, 180.5, 182.0, 179.0, 179.5] and turns == 0
    around = np.array([-170.0, -90.0, 0.0, 90.0, 170.0, -170.0])
    assert unwrap(around)[1] == 1


def test_fiji_box_jumping_across_the_line_is_split_with_area_preserved():
    aoi = one(read("fiji_jumping.geojson"))
    assert_proper(aoi)
    assert aoi.polygon_count == 2
    west, east = sorted(aoi.geometry.geoms, key=lambda p: p.bounds[0])
    assert west.bounds == pytest.approx((-180, -19, -179, -16))
    assert east.bounds == pytest.approx((177, -19, 180, -16))
    same_box_elsewhere = geodesic_area_km2(shapely.box(0, -19, 4, -16))
    assert aoi.area_km2 == pytest.approx(same_box_elsewhere, rel=1e-12)
    assert any(p.code == Code.ANTIMERIDIAN_SPLIT for p in aoi.problems) and aoi.valid


def test_chukotka_box_continued_past_180_is_split_with_area_preserved():
    aoi = one(read("chukotka_continued.wkt"))
    assert_proper(aoi)
    assert aoi.polygon_count == 2
    assert aoi.area_km2 == pytest.approx(geodesic_area_km2(shapely.box(175, 64, 190, 69)), rel=1e-12)
    assert sorted(round(p.bounds[0]) for p in aoi.geometry.geoms) == [-180, 175]


def test_longitudes_all_beyond_180_are_brought_back_without_a_split():
    aoi = one("POLYGON((200 10, 210 10, 210 20, 200 10))")
    assert aoi.polygon_count == 1 and aoi.geometry.bounds[0] == pytest.approx(-160)
    assert [p.code for p in aoi.problems] == [Code.LONGITUDES_WRAPPED]


def test_hole_across_the_line_is_kept_with_the_shell():
    shell = [(170, -20), (-170, -20), (-170, 0), (170, 0), (170, -20)]
    hole = [(178, -12), (-178, -12), (-178, -8), (178, -8), (178, -12)]
    aoi = one(shapely.to_wkt(shapely.Polygon(shell, [hole]), output_dimension=2))
    assert_proper(aoi)
    expected = geodesic_area_km2(shapely.box(0, -20, 20, 0)) - geodesic_area_km2(shapely.box(8, -12, 12, -8))
    assert aoi.area_km2 == pytest.approx(expected, rel=1e-12)


def test_polygon_going_around_the_pole_is_closed_over_it():
    ring = [(-170, 70), (-90, 72), (0, 70), (90, 72), (170, 70), (-170, 70)]
    aoi = one(shapely.to_wkt(shapely.Polygon(ring), output_dimension=2))
    assert_proper(aoi)
    assert aoi.geometry.bounds[3] == 90
    assert any(p.code == Code.POLE_ENCLOSED for p in aoi.problems)
    # roughly the cap north of 71°
    cap = geodesic_area_km2(shapely.Polygon([(-180, 71), (180, 71), (180, 90), (-180, 90)]))
    assert aoi.area_km2 == pytest.approx(cap, rel=0.05)


def test_ring_winding_twice_around_the_pole_is_refused():
    lon = np.r_[np.arange(-180, 540, 30.0), -180.0]
    ring = np.column_stack([lon, np.full_like(lon, 80.0)])
    with pytest.raises(WindingError):
        normalise_polygon([np.vstack([ring[:-1], ring[:1]])])


def test_a_polygon_already_split_at_180_stays_as_it_is():
    text = "MULTIPOLYGON(((170 -20, 180 -20, 180 -10, 170 -10, 170 -20)), ((-180 -20, -170 -20, -170 -10, -180 -10, -180 -20)))"
    aoi = one(text)
    assert aoi.problems == () and aoi.polygon_count == 2


@pytest.mark.skipif(not WORLD_MAP.exists(), reason="QGIS's world_map.gpkg is not installed")
def test_world_map_countries_crossing_the_line_come_out_as_proper_multipolygons():
    countries = dict(world_countries())
    raws = [raw_from_geometry(countries[name], i, name) for i, name in enumerate(ANTIMERIDIAN_COUNTRIES, 1)]
    result = build_aois(raws, "world_map.gpkg", "country")
    assert not result.refused
    for aoi in result.aois:
        assert aoi.valid, (aoi.name, aoi.problems)
        assert_proper(aoi)
        east = [p for p in aoi.geometry.geoms if p.bounds[2] > 170]
        west = [p for p in aoi.geometry.geoms if p.bounds[0] < -170]
        assert east and west, aoi.name
        assert aoi.area_km2 == pytest.approx(geodesic_area_km2(countries[aoi.name]), rel=1e-12)
