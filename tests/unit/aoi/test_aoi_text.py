"""Reading AOIs from text (core.aoi.text, core.aoi.wkt): every format, every reading error."""

from __future__ import annotations

import json

import pytest
import shapely

from nadir.core.aoi.build import build_aois
from nadir.core.aoi.model import Code
from nadir.core.aoi.text import read_text
from nadir.core.errors import InputError
from support.aoi_data import read


def aois(text: str, name: str = "Pasted"):
    return build_aois(read_text(text), "pasted", name)


@pytest.mark.parametrize(
    ("file", "names", "polygons"),
    [
        ("fields.geojson", ["Field with pond", "Vineyard"], [1, 1]),
        ("feature.json", ["Vineyard (Feature)"], [1]),
        ("geometry.json", ["Pasted"], [1]),
        ("clearsky_request.json", ["Pasted"], [1]),
        ("esri.json", ["Esri field"], [1]),
        ("field.wkt", ["Pasted"], [1]),
        ("several.txt", ["Pasted 1", "Pasted 2"], [1, 1]),
    ],
)
def test_each_text_format_reads(file, names, polygons):
    result = aois(read(file))
    assert [a.name for a in result.aois] == names
    assert [a.polygon_count for a in result.aois] == polygons
    assert all(a.valid and a.area_km2 > 0.05 for a in result.aois), [a.problems for a in result.aois]
    assert not result.refused


def test_field_with_hole_keeps_the_hole_and_its_area():
    field = aois(read("fields.geojson")).aois[0]
    polygon = field.geometry.geoms[0]
    assert len(polygon.interiors) == 1
    outer = aois(
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [json.loads(read("fields.geojson"))["features"][0]["geometry"]["coordinates"][0]],
            }
        )
    ).aois[0]
    assert field.area_km2 < outer.area_km2


@pytest.mark.parametrize(
    "text",
    [
        "POLYGON((0 0, 1 0, 1 1, 0 0))",
        "polygon ((0 0,1 0,1 1,0 0))",
        "SRID=4326;POLYGON((0 0, 1 0, 1 1, 0 0))",
        "POLYGON Z ((0 0 5, 1 0 5, 1 1 5, 0 0 5))",
        "POLYGON M ((0 0 5, 1 0 5, 1 1 5, 0 0 5))",
        "POLYGON ZM ((0 0 5 1, 1 0 5 1, 1 1 5 1, 0 0 5 1))",
        "MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), EMPTY)",
        "GEOMETRYCOLLECTION(POLYGON((0 0, 1 0, 1 1, 0 0)))",
        "POLYGON((0 0, 1e0 0, 1.0E+0 1, 0 0))",
        '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [[[0, 0, 10], [1, 0], [1, 1, 3], [0, 0]]]}',
        '{"type": "GeometryCollection", "geometries": [{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}]}',
        '[{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}]',
        '{"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}',
        '{"GeoJson": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}',
        '{"aoi": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}',
        "[[0, 0], [1, 0], [1, 1], [0, 0]]",
        "[[[0, 0], [1, 0], [1, 1], [0, 0]]]",
        '\ufeff  {"wkt": "POLYGON((0 0, 1 0, 1 1, 0 0))"}',
    ],
)
def test_the_same_triangle_in_every_spelling(text):
    result = aois(text)
    assert len(result.aois) == 1, result.refused
    assert result.aois[0].geometry.equals(shapely.MultiPolygon([shapely.Polygon([(0, 0), (1, 0), (1, 1)])]))


def test_bbox_array_and_bbox_crossing_the_antimeridian():
    box = aois("[1.44, 43.60, 1.46, 43.61]").aois[0]
    assert box.geometry.bounds == pytest.approx((1.44, 43.60, 1.46, 43.61))
    crossing = aois("[170, -20, -170, -10]").aois[0]
    assert crossing.polygon_count == 2
    assert crossing.area_km2 == pytest.approx(aois("[0, -20, 20, -10]").aois[0].area_km2, rel=1e-9)


def test_feature_collection_numbers_and_names_features():
    result = aois(read("points_lines.geojson"))
    assert [a.name for a in result.aois] == ["the field"]
    assert [(p.code, p.where.feature) for p in result.refused] == [(Code.NOT_POLYGONAL, 1), (Code.NOT_POLYGONAL, 2)]
    assert "points" in result.refused[0].message and "lines" in result.refused[1].message
    assert "Buffer" in result.refused[1].fix


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("hello world", "neither WKT nor JSON"),
        ("", "no text"),
        ("   \n ", "no text"),
        ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0]', "line 1, column 52"),
        ('{\n "type": "Polygon",\n "coordinates": [[[0, 0] [1, 0]]]\n}', "line 3, column 26"),
        ("POLYGON((0 0, 1 0, 1 1, 0 0)", "expected ')'"),
        ("POLYGON((0 0, 1 0, 1 a, 0 0))", "line 1, column 22"),
        ("POLYGON((0 0, 1, 1 1, 0 0))", "position 2"),
        ("CIRCULARSTRING(0 0, 1 1, 2 0)", "curved"),
        ("TRIANGLE((0 0, 1 0, 1 1, 0 0))", "not a geometry type"),
        ("POLYGON((0 0, 1 0, 1 1, 0 0))\nbanana", "banana is not a geometry type"),
        ('{"foo": 1}', "holds no geometry"),
    ],
)
def test_unreadable_text_says_where(text, where):
    with pytest.raises(InputError, match=None) as caught:
        read_text(text)
    assert where in caught.value.message


def test_truncated_file_says_line_and_column():
    with pytest.raises(InputError, match=r"line 1, column \d+"):
        read_text(read("truncated.geojson"))


def test_bad_position_refuses_only_its_feature_and_points_at_it():
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, "x"], [0, 0]]]},
                },
                {
                    "type": "Feature",
                    "properties": {"name": "good"},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
                },
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1], [1, 1], [0, 0]]]},
                },
                {"type": "Feature", "properties": {}, "geometry": {"type": "Hexagon", "coordinates": []}},
            ],
        }
    )
    result = aois(text)
    assert [a.name for a in result.aois] == ["good"]
    first, third, fourth = result.refused
    assert (first.code, first.where.feature, first.where.vertex) == (Code.BAD_POSITION, 1, 3)
    assert (third.where.feature, third.where.vertex) == (3, 2)
    assert fourth.code == Code.UNREADABLE and "Hexagon" in fourth.message and fourth.where.feature == 4
    assert "Feature 1, polygon 1, outer ring, vertex 3" in first.text()


@pytest.mark.parametrize("file", ["unclosed.wkt", "unclosed.geojson"])
def test_unclosed_ring_is_found_before_it_is_closed(file):
    aoi = aois(read(file)).aois[0]
    problem = next(p for p in aoi.problems if p.code == Code.UNCLOSED_RING)
    assert problem.is_error and problem.fixable.value == "repair"
    assert problem.where.ring == 1 and problem.where.vertex == 4
    assert "starts at (1.44, 43.6) and ends at (1.44, 43.61)" in problem.message
    assert not aoi.valid
    assert aoi.geometry.is_valid  # closed for display, so the repair preview is the shape itself


def test_geojson_crs_member_is_kept_for_the_caller():
    text = json.dumps(
        {
            "type": "Feature",
            "properties": {},
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32631"}},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        }
    )
    raw = read_text(text)[0]
    assert raw.crs == "EPSG:32631"
    refused = build_aois([raw], "pasted", "x").refused[0]
    assert refused.code == Code.FOREIGN_CRS and "EPSG:32631" in refused.message
    wgs84 = text.replace("urn:ogc:def:crs:EPSG::32631", "urn:ogc:def:crs:OGC:1.3:CRS84")
    assert read_text(wgs84)[0].crs is None


def test_a_million_vertices_read_quickly_enough_to_be_a_task(tmp_path):
    from support.aoi_data import big_polygon_geojson

    text = big_polygon_geojson(tmp_path / "million.geojson").read_text(encoding="utf-8")
    result = aois(text)
    assert result.aois[0].vertex_count == 1_000_000 and result.aois[0].valid
    wkt = shapely.to_wkt(result.aois[0].geometry, rounding_precision=7, output_dimension=2)
    again = aois(wkt).aois[0]
    assert again.vertex_count == 1_000_000
    assert again.area_km2 == pytest.approx(result.aois[0].area_km2, rel=1e-9)
