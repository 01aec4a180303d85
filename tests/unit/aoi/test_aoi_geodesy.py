"""Geodesic area on WGS84 (core.geodesy) against GeographicLib (via pyproj) and known values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from nadir.core import geodesy
from support.aoi_data import WORLD_MAP, independent_area_km2, world_countries


def test_whole_ellipsoid_area_is_the_wgs84_value():
    # 4*pi*S(90°) for a = 6378137, 1/f = 298.257223563: 510,065,621.724 km²
    assert geodesy.ELLIPSOID_AREA_M2 / 1e6 == pytest.approx(510_065_621.724, abs=0.01)


@pytest.mark.parametrize(
    ("box", "step"),
    [
        ((0, 0, 1, 1), 0.01),  # one square degree at the equator
        ((-10, 40, 20, 70), 0.05),  # a large box in Europe
        ((100, -80, 160, -60), 0.05),  # southern high latitudes
        ((-1e-3, 59.999, 0, 60.0), 1e-5),  # about 55 m x 111 m at 60°N
    ],
)
def test_box_area_matches_geographiclib_via_pyproj(box, step):
    polygon = shapely.box(*box)
    ours = geodesy.geodesic_area_km2(polygon)
    reference = independent_area_km2(polygon, step)
    assert ours == pytest.approx(reference, rel=1e-6)


def test_orientation_and_starting_point_do_not_matter():
    ring = np.array([[10, 50], [11, 50], [11.5, 51], [10.2, 51.4], [10, 50]], dtype=float)
    forward = geodesy.ring_signed_area_m2(ring)
    backward = geodesy.ring_signed_area_m2(ring[::-1])
    rotated = geodesy.ring_signed_area_m2(np.vstack([ring[2:-1], ring[:3]]))
    assert forward > 0 and backward == pytest.approx(-forward) and rotated == pytest.approx(forward)
    # an unclosed ring is closed for the computation
    assert geodesy.ring_signed_area_m2(ring[:-1]) == pytest.approx(forward)


def test_holes_are_subtracted_and_parts_added():
    outer = shapely.box(0, 0, 2, 2)
    hole = shapely.box(0.5, 0.5, 1.0, 1.0)
    with_hole = shapely.Polygon(outer.exterior, [hole.exterior])
    other = shapely.box(10, 10, 11, 11)
    multi = shapely.MultiPolygon([with_hole, other])
    expected = geodesy.geodesic_area_km2(outer) - geodesy.geodesic_area_km2(hole) + geodesy.geodesic_area_km2(other)
    assert geodesy.geodesic_area_km2(multi) == pytest.approx(expected, rel=1e-12)
    collection = shapely.GeometryCollection([with_hole, shapely.Point(5, 5), other])
    assert geodesy.geodesic_area_km2(collection) == pytest.approx(expected, rel=1e-12)
    assert geodesy.geodesic_area_km2(shapely.LineString([(0, 0), (1, 1)])) == 0.0


def test_longitudes_beyond_180_give_the_same_area():
    east = shapely.box(170, -20, 190, -10)
    west = shapely.box(-190, -20, -170, -10)
    assert geodesy.geodesic_area_km2(east) == pytest.approx(geodesy.geodesic_area_km2(west), rel=1e-12)


def test_polar_cap_area_has_the_closed_form():
    # cap north of 70°: 2*pi*(S(90°) - S(70°))
    cap = shapely.Polygon([(-180, 70), (180, 70), (180, 90), (-180, 90)])
    expected = 2 * math.pi * (geodesy.zone_area(np.radians([90.0]))[0] - geodesy.zone_area(np.radians([70.0]))[0])
    assert geodesy.geodesic_area_m2(cap) == pytest.approx(expected, rel=1e-9)


def test_metres_per_degree_at_equator_and_60n():
    x0, y0 = geodesy.metres_per_degree(0.0)
    x60, y60 = geodesy.metres_per_degree(60.0)
    assert x0 == pytest.approx(111_319.5, abs=1) and y0 == pytest.approx(110_574.4, abs=1)
    assert x60 == pytest.approx(55_799.98, abs=1) and y60 == pytest.approx(111_412.2, abs=1)


@pytest.mark.skipif(not WORLD_MAP.exists(), reason="QGIS's world_map.gpkg is not installed")
@pytest.mark.slow
def test_every_country_of_the_world_map_within_0_1_percent_of_pyproj():
    worst = (0.0, "")
    for name, geometry in world_countries():
        ours = geodesy.geodesic_area_km2(geometry)
        minx, miny, maxx, maxy = geometry.bounds
        step = min(0.2, max(0.002, max(maxx - minx, maxy - miny) / 300))  # finer for small countries
        reference = independent_area_km2(geometry, step)
        error = abs(ours - reference) / reference
        worst = max(worst, (error, name))
        assert error < 1e-3, f"{name}: {ours:.1f} km² against {reference:.1f} km²"
    assert worst[0] < 1e-4, worst  # in practice far inside the 0.1 % bar
