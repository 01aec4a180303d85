"""The geometry of a UP42 tasking order from an AOI (core/tasking/geometry.py), with real
countries from QGIS's world map."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from nadir.core.aoi.build import build_aois
from nadir.core.aoi.geometry import vertex_count
from nadir.core.aoi.text import read_text
from nadir.core.errors import InputError
from nadir.core.geodesy import geodesic_area_km2, metres_per_degree
from nadir.core.tasking.geometry import (
    MAX_VERTICES,
    Multipart,
    for_aoi,
    polygon_geojson,
    simplify_to_limit,
    tasking_geometry,
)
from nadir.core.tasking.schema import FieldError, validate
from support.aoi_data import WORLD_MAP, world_countries
from support.prism import contract_file

pytestmark = pytest.mark.skipif(not WORLD_MAP.exists(), reason="QGIS's world_map.gpkg is not installed")


@pytest.fixture(scope="module")
def countries() -> dict:
    return dict(world_countries())


def largest_part(geometry) -> shapely.Polygon:
    return max(getattr(geometry, "geoms", [geometry]), key=geodesic_area_km2)


def test_one_polygon_goes_as_it_is_and_validates_against_the_phr_schema(countries):
    switzerland = countries["Switzerland"]
    assert vertex_count(switzerland) <= MAX_VERTICES
    result = tasking_geometry(switzerland)
    assert len(result.polygons) == 1 and not result.changed
    assert result.polygons[0].equals(largest_part(switzerland))
    assert result.area_change_percent == 0
    schema = json.loads(contract_file("up42/sdk-fixtures/data_product_schema_phr_tasking.json").read_text("utf-8"))
    geometry = result.geojson()
    assert geometry["type"] == "Polygon" and isinstance(geometry["coordinates"][0][0], list)
    assert [e for e in validate(schema, {"geometry": geometry}) if e.path[0] == "geometry"] == []
    broken = {"type": "MultiPolygon", "coordinates": [geometry["coordinates"]]}
    assert [e for e in validate(schema, {"geometry": broken}) if e.path[0] == "geometry"] == [
        FieldError(("geometry",), "Geometry: must be a GeoJSON Polygon in longitude/latitude (WGS 84)")
    ]
    ring = np.asarray(geometry["coordinates"][0])
    assert shapely.LinearRing(ring).is_ccw  # RFC 7946 winding


def test_multipolygon_is_refused_with_the_area_of_each_choice(countries):
    with pytest.raises(InputError) as refused:
        tasking_geometry(countries["Japan"])
    text = str(refused.value)
    assert "one polygon per order" in text and "this AOI has" in text
    assert "separately" in text and "largest" in text and "outline around all" in text
    assert "km²" in text and "%" in text


def test_multipolygon_choices(countries):
    japan = countries["Japan"]
    parts = list(japan.geoms)
    split = tasking_geometry(japan, Multipart.SPLIT)
    assert len(split.polygons) == len(parts)
    assert split.area_after_km2 == pytest.approx(split.area_before_km2, rel=1e-9)
    assert len(split.feature_collection()["features"]) == len(parts)
    largest = tasking_geometry(japan, Multipart.LARGEST)
    assert largest.polygons[0].equals(largest_part(japan))
    assert largest.area_change_percent < 0 and "largest" in largest.notes[0]
    hull = tasking_geometry(japan, Multipart.HULL)
    assert len(hull.polygons) == 1 and hull.polygons[0].covers(japan)
    assert hull.area_change_percent > 0 and "outline around all" in hull.notes[0]


@pytest.mark.parametrize("name", ["Fiji", "Russia"])
def test_hull_across_the_antimeridian_is_refused_not_wrapped_round_the_world(countries, name):
    with pytest.raises(InputError, match="antimeridian"):
        tasking_geometry(countries[name], Multipart.HULL)
    with pytest.raises(InputError) as refused:
        tasking_geometry(countries[name])
    assert "outline around all" not in str(refused.value)  # the refusal does not offer it


def test_over_the_vertex_limit_is_refused_with_the_area_change_unless_simplify(countries):
    france = largest_part(countries["France"])  # the mainland: 1,126 vertices
    assert vertex_count(france) > MAX_VERTICES
    with pytest.raises(InputError) as refused:
        tasking_geometry(france)
    assert "at most 999 vertices" in str(refused.value) and "%" in str(refused.value)
    result = tasking_geometry(france, simplify=True)
    assert vertex_count(result.polygons[0]) <= MAX_VERTICES and result.polygons[0].is_valid
    assert "Simplified from 1,126" in result.notes[0]


@pytest.mark.parametrize("name", ["France", "Chile", "Russia", "Canada", "Norway"])
def test_simplify_to_limit_finds_the_smallest_tolerance_that_fits(countries, name):
    polygon = largest_part(countries[name])
    before = vertex_count(polygon)
    assert before > MAX_VERTICES
    result = simplify_to_limit(polygon)
    assert isinstance(result.polygon, shapely.Polygon) and result.polygon.is_valid
    assert result.vertices_after == vertex_count(result.polygon) <= MAX_VERTICES
    assert result.vertices_before == before
    # as little as possible: close to the limit, and a tolerance 1 % smaller does not fit
    assert result.vertices_after >= MAX_VERTICES * 0.9
    kx, ky = metres_per_degree(float(polygon.centroid.y))
    local = shapely.transform(polygon, lambda c: c * np.array([kx, ky]))
    smaller = shapely.simplify(local, result.tolerance_m * 0.99, preserve_topology=True)
    assert vertex_count(smaller) > MAX_VERTICES
    assert abs(result.area_change_percent) < 2.0  # Norway's fjords: -1.2 %
    assert result.area_change_percent == pytest.approx(
        100 * (geodesic_area_km2(result.polygon) - geodesic_area_km2(polygon)) / geodesic_area_km2(polygon)
    )
    assert f"{result.area_change_percent:+.2f} %" in result.describe()


def test_simplify_to_limit_refuses_what_cannot_fit():
    square = shapely.box(0, 0, 1, 1)
    holes = [shapely.box(0.1 + 0.03 * i, 0.4, 0.11 + 0.03 * i, 0.5).exterior.coords for i in range(20)]
    with pytest.raises(InputError, match="rings"):
        simplify_to_limit(shapely.Polygon(square.exterior.coords, holes), limit=50)
    with pytest.raises(InputError):
        simplify_to_limit(shapely.MultiPolygon([square]))  # type: ignore[arg-type]


def test_for_aoi_uses_the_aoi_multipolygon():
    aoi = build_aois(read_text("POLYGON((10 50, 11 50, 11 51, 10 51, 10 50))"), "t", "AOI").aois[0]
    result = for_aoi(aoi)
    assert len(result.polygons) == 1
    assert result.area_before_km2 == pytest.approx(aoi.area_km2, rel=1e-6)
    assert polygon_geojson(result.polygons[0])["coordinates"][0][0] == [10.0, 50.0]


def test_empty_and_invalid_are_refused_with_what_to_do():
    with pytest.raises(InputError, match="empty"):
        tasking_geometry(shapely.MultiPolygon())
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    with pytest.raises(InputError, match="Repair"):
        tasking_geometry(bowtie)
    with pytest.raises(InputError, match="LineString"):
        tasking_geometry(shapely.LineString([(0, 0), (1, 1)]))  # type: ignore[arg-type]
