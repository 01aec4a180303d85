"""Validation (core.aoi.build, core.aoi.geometry): each rule names what, where and what to do."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from nadir.core.aoi.build import build_aoi, build_aois, raw_from_geometry, raw_from_rings, with_geometry
from nadir.core.aoi.model import Code, Fix, Problem, Severity, Where, problems_from_json, problems_to_json
from nadir.core.aoi.text import read_text
from nadir.core.errors import InputError
from support.aoi_data import independent_area_km2, read


def build(text: str):
    return build_aois(read_text(text), "test", "AOI")


def only_refusal(text: str) -> Problem:
    result = build(text)
    assert not result.aois and len(result.refused) == 1, result
    return result.refused[0]


def test_empty_geometries_are_refused_with_their_feature_number():
    result = build(read("empty_geometry.geojson"))
    assert not result.aois
    assert [(p.code, p.where.feature) for p in result.refused] == [(Code.EMPTY, 1), (Code.EMPTY, 2)]
    assert only_refusal("POLYGON EMPTY").code == Code.EMPTY
    assert only_refusal("GEOMETRYCOLLECTION EMPTY").code == Code.EMPTY


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("POINT(1 2)", "points"),
        ("LINESTRING(0 0, 1 1)", "lines"),
        ("MULTIPOINT((0 0), (1 1))", "points"),
        ("GEOMETRYCOLLECTION(POINT(0 0), LINESTRING(0 0, 1 1))", "lines and points"),
        ('{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}', "lines"),
    ],
)
def test_points_and_lines_are_refused_with_the_reason(text, kind):
    problem = only_refusal(text)
    assert problem.code == Code.NOT_POLYGONAL and problem.is_error
    assert f"holds {kind}" in problem.message and "polygon" in problem.message
    assert "Buffer" in problem.fix


def test_points_next_to_a_polygon_are_left_out_with_a_warning():
    aoi = build("GEOMETRYCOLLECTION(POINT(0 0), POLYGON((0 0, 1 0, 1 1, 0 0)))").aois[0]
    assert aoi.valid
    warning = next(p for p in aoi.problems if p.code == Code.PARTS_LEFT_OUT)
    assert warning.severity is Severity.WARNING and "points" in warning.message


def test_bow_tie_is_invalid_at_its_crossing_with_a_repair_offered():
    aoi = build(read("bowtie.wkt")).aois[0]
    assert not aoi.valid and Fix.REPAIR in aoi.fixes
    problem = aoi.errors[0]
    assert problem.code == Code.SELF_INTERSECTION
    assert (problem.where.polygon, problem.where.ring) == (1, 1)
    assert (problem.where.lon, problem.where.lat) == pytest.approx((1.45, 43.605))
    assert "at (1.45, 43.605)" in problem.text() and "Repair" in problem.text()


@pytest.mark.parametrize(
    ("wkt", "code", "ring"),
    [
        ("POLYGON((0 0, 2 0, 2 2, 0 2, 0 0), (3 3, 4 3, 4 4, 3 3))", Code.HOLE_OUTSIDE_SHELL, 2),
        (
            "POLYGON((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 3 1, 3 3, 1 3, 1 1), (1.5 1.5, 2.5 1.5, 2 2.5, 1.5 1.5))",
            Code.NESTED_HOLES,
            None,
        ),
        ("POLYGON((0 0, 2 0, 2 2, 1 0, 0 2, 0 0))", Code.RING_SELF_INTERSECTION, 1),
        ("POLYGON((0 0, 4 0, 4 4, 0 4, 0 0), (0 2, 2 0, 4 2, 2 4, 0 2))", Code.INTERIOR_DISCONNECTED, None),
    ],
)
def test_other_invalid_rings_are_named(wkt, code, ring):
    aoi = build(wkt).aois[0]
    problem = aoi.errors[0]
    assert problem.code == code, problem
    assert problem.where.lon is not None
    if ring is not None:
        assert problem.where.ring == ring


def test_overlapping_parts_name_the_polygons():
    aoi = build(read("overlapping_parts.geojson")).aois[0]
    problem = aoi.errors[0]
    assert problem.code == Code.OVERLAPPING_PARTS and "(polygons 1 and 2)" in problem.message
    assert problem.fixable is Fix.REPAIR


def test_latitude_out_of_range_points_at_the_vertex():
    problem = only_refusal(read("latitude_out_of_range.geojson"))
    assert problem.code == Code.LATITUDE_OUT_OF_RANGE
    assert (problem.where.polygon, problem.where.ring, problem.where.vertex) == (1, 1, 3)
    assert "vertex 3 at (102, 95): latitude 95 is outside -90..90" in problem.text()
    assert "swapped" not in problem.fix and "-180 to 180" in problem.fix


def test_swapped_latitude_and_longitude_get_a_hint():
    problem = only_refusal(read("swapped.geojson"))
    assert problem.code == Code.LATITUDE_OUT_OF_RANGE
    assert "latitude 151.2 is outside" in problem.text() and "4 vertices" in problem.message
    assert "swapped" in problem.fix and "longitude first" in problem.fix


def test_projected_numbers_get_a_hint():
    problem = only_refusal(read("projected.wkt"))
    assert "longitude 365000 is outside -180..180 and latitude 4830000 is outside -90..90" in problem.text()
    assert "projected coordinates in metres" in problem.fix


def test_longitude_beyond_360_is_refused_and_nan_is_named():
    assert only_refusal("POLYGON((370 0, 371 0, 371 1, 370 0))").code == Code.LONGITUDE_OUT_OF_RANGE
    raw = raw_from_rings(1, "Polygon", [[np.array([[0, 0], [1, 0], [np.nan, 1], [0, 0]], dtype=float)]])
    problem = build_aois([raw], "t", "x").refused[0]
    assert problem.code == Code.BAD_POSITION and problem.where.vertex == 3


def test_too_few_points_and_no_area_are_refused():
    assert only_refusal("POLYGON((0 0, 1 1, 0 0))").code == Code.TOO_FEW_POINTS
    assert only_refusal("POLYGON((0 0, 0 0, 0 0, 0 0))").code == Code.TOO_FEW_POINTS
    problem = only_refusal("POLYGON((0 0, 1 1, 2 2, 0 0))")
    assert problem.code == Code.NO_AREA and "on a line" in problem.message


def test_build_aoi_raises_the_refusal_as_input_error():
    with pytest.raises(InputError, match="not an area"):
        build_aoi(raw_from_geometry(shapely.LineString([(0, 0), (1, 1)])), "x", "drawn")


def test_valid_aoi_has_area_and_status():
    aoi = build(read("field.wkt")).aois[0]
    assert aoi.valid and aoi.status_text() == "valid" and aoi.problems == ()
    assert aoi.area_km2 == pytest.approx(independent_area_km2(aoi.geometry, 1e-4), rel=1e-6)
    assert aoi.vertex_count == 5 and aoi.polygon_count == 1


def test_problems_survive_a_json_round_trip():
    aoi = build(read("bowtie.wkt")).aois[0]
    problems = (*aoi.problems, Problem("x", Severity.WARNING, "m", "f", None, Fix.SIMPLIFY, "up42"))
    assert problems_from_json(problems_to_json(problems)) == problems
    assert problems_from_json("not json") == () and problems_from_json('[{"nope": 1}]') == ()


def test_where_reads_like_an_analyst_counts():
    assert Where(3, 2, 1, 17, 181.2, 45.0).describe() == "feature 3, polygon 2, outer ring, vertex 17 at (181.2, 45)"
    assert Where(ring=3).describe() == "hole 2"
    assert Where(lon=1.5, lat=-2.25).describe() == "at (1.5, -2.25)"


def test_with_geometry_revalidates_and_keeps_identity():
    aoi = build(read("field.wkt")).aois[0]
    changed = with_geometry(aoi, shapely.from_wkt("POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"))
    assert (changed.id, changed.name, changed.source) == (aoi.id, aoi.name, aoi.source)
    assert not changed.valid and changed.errors[0].where.feature is None
