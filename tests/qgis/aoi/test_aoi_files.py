"""Reading AOIs from files through QGIS/OGR (toolbelt.aoi.files) and the geometry bridge."""

from __future__ import annotations

import shutil
import time

import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsDistanceArea,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)

from nadir.core.aoi.model import Code
from nadir.core.errors import InputError
from nadir.toolbelt import geometry as geo
from nadir.toolbelt.aoi import files as aoi_files
from support.aoi_data import ANTIMERIDIAN_COUNTRIES, DATA, WORLD_MAP, big_polygon_geojson


@pytest.fixture
def context(qgis_app):
    return geo.transform_context(QgsProject.instance())


def names(result):
    return [a.name for a in result.aois]


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("fields.geojson", ["Field with pond", "Vineyard"]),
        ("feature.json", ["Vineyard (Feature)"]),
        ("field.wkt", ["field"]),
        ("several.txt", ["several 1", "several 2"]),
        ("fields.kml", ["KML field", "KML vineyard"]),
        ("utm_fields_shp.zip", ["UTM field", "UTM vineyard"]),
        ("fields.fgb", ["FlatGeobuf field"]),
        ("fields.csv", ["CSV field"]),
        ("esri.json", ["Esri field"]),
    ],
)
def test_every_file_format_imports(file, expected, context):
    result = aoi_files.import_file(DATA / file, context)
    assert names(result) == expected
    assert all(a.valid for a in result.aois), [a.problems for a in result.aois]
    assert not result.refused


def test_reprojected_shapefile_matches_the_lonlat_original(context):
    utm = aoi_files.import_file(DATA / "utm_fields_shp.zip", context).aois[0]
    wgs = aoi_files.import_file(DATA / "fields.geojson", context).aois[0]
    assert utm.geometry.geoms[0].interiors  # the pond survived
    assert utm.area_km2 == pytest.approx(wgs.area_km2, rel=1e-4)
    assert shapely.hausdorff_distance(utm.geometry, wgs.geometry) < 1e-6


def test_geopackage_lists_layers_for_a_chooser(context):
    contents = aoi_files.inspect_file(DATA / "layers.gpkg")
    assert [s.name for s in contents.sublayers] == ["fields", "vineyards_utm", "wells"]
    assert [s.kind for s in contents.sublayers] == ["polygon", "polygon", "point"]
    assert [s.name for s in contents.polygon_layers] == ["fields", "vineyards_utm"] and contents.needs_choice
    vineyard = contents.polygon_layers[1]
    result = aoi_files.import_file(DATA / "layers.gpkg", context, vineyard.uri)
    assert names(result) == ["GPKG vineyard"] and result.aois[0].source == "layers.gpkg | vineyards_utm"
    wells = contents.sublayers[2]
    refused = aoi_files.import_file(DATA / "layers.gpkg", context, wells.uri).refused
    assert refused[0].code == Code.NOT_POLYGONAL


def test_dissolve_makes_one_multipolygon(context):
    result = aoi_files.import_file(DATA / "fields.kml", context, dissolve_name="Both")
    (aoi,) = result.aois
    assert aoi.name == "Both" and aoi.polygon_count == 2 and aoi.source == "fields.kml (dissolved)"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("garbage.geojson", "not text although its name ends in .geojson"),
        ("empty_file.geojson", "is empty (0 bytes)"),
        ("empty.zip", "zip file empty.zip is empty (0 bytes)"),
        ("truncated.geojson", "line 1, column"),
    ],
)
def test_unreadable_files_say_what_is_wrong(file, message, context):
    with pytest.raises(InputError) as caught:
        aoi_files.import_file(DATA / file, context)
    assert message in caught.value.message


def test_garbage_with_an_unknown_extension_and_broken_zips(tmp_path, context):
    garbage = tmp_path / "noise.dat"
    garbage.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputError, match="does not recognise its format"):
        aoi_files.inspect_file(garbage)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError, match="not a valid zip archive"):
        aoi_files.inspect_file(broken)
    only_shp = tmp_path / "only_shp.zip"
    import zipfile

    with zipfile.ZipFile(only_shp, "w") as archive:
        archive.writestr("x.shp", b"\x00" * 100)
    with pytest.raises(InputError, match=r"lacks its \.shx and \.dbf"):
        aoi_files.inspect_file(only_shp)
    nothing = tmp_path / "docs.zip"
    with zipfile.ZipFile(nothing, "w") as archive:
        archive.writestr("readme.pdf", b"%PDF")
    with pytest.raises(InputError, match="holds no shapefile"):
        aoi_files.inspect_file(nothing)
    points = tmp_path / "points.geojson"
    shutil.copy(DATA / "points_lines.geojson", points)
    assert names(aoi_files.import_file(points, context)) == ["the field"]


def test_geojson_with_a_declared_crs_is_reprojected(tmp_path, context):
    path = tmp_path / "utm.geojson"
    path.write_text(
        '{"type": "Feature", "properties": {"name": "utm"}, '
        '"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32631"}}, '
        '"geometry": {"type": "Polygon", "coordinates": [[[365000, 4830000], [367000, 4830000], '
        "[367000, 4832000], [365000, 4830000]]]}}",
        encoding="utf-8",
    )
    (aoi,) = aoi_files.import_file(path, context).aois
    assert aoi.geometry.bounds[0] == pytest.approx(1.33, abs=0.02)
    assert aoi.area_km2 == pytest.approx(2.0, rel=0.01)  # half of 2 km x 2 km


def test_layer_in_a_pacific_projection_crossing_the_antimeridian(context):
    layer = QgsVectorLayer("Polygon?crs=EPSG:3832", "pdc", "memory")  # PDC Mercator, centred on 150°E
    from qgis.core import QgsFeature

    feature = QgsFeature()
    pacific = geo.wgs84_to_crs(shapely.box(175, -20, 185, -15), QgsCoordinateReferenceSystem("EPSG:3832"))
    feature.setGeometry(pacific)
    layer.dataProvider().addFeatures([feature])
    raws = aoi_files.read_features(layer.dataProvider(), layer.crs(), layer.fields(), context)
    (aoi,) = aoi_files.finish_import(raws, "pdc", "Pacific").aois
    assert aoi.polygon_count == 2 and aoi.valid
    assert aoi.area_km2 == pytest.approx(geo_area(shapely.box(0, -20, 10, -15)), rel=1e-6)


def geo_area(shape):
    from nadir.core.geodesy import geodesic_area_km2

    return geodesic_area_km2(shape)


def test_shapely_qgis_round_trip_drops_z_and_segmentises_curves():
    geometry = QgsGeometry.fromWkt("CurvePolygon(CircularString(0 0, 1 1, 2 0, 1 -1, 0 0))")
    shape = geo.to_shapely(geometry)
    assert isinstance(shape, shapely.Polygon) and len(shape.exterior.coords) > 20
    z = geo.to_shapely(QgsGeometry.fromWkt("PolygonZ((0 0 5, 1 0 5, 1 1 5, 0 0 5))"))
    assert not shapely.has_z(z)
    assert geo.to_shapely(QgsGeometry()) is None
    box = shapely.box(1, 2, 3, 4)
    assert geo.to_shapely(geo.to_qgs(box)).equals(box)


@pytest.mark.skipif(not WORLD_MAP.exists(), reason="QGIS's world_map.gpkg is not installed")
def test_world_map_every_country_imports_and_areas_match_qgsdistancearea(context):
    uri = f"{WORLD_MAP}|layername=countries"
    started = time.perf_counter()
    raws = aoi_files.read_ogr_layer(uri, context)
    result = aoi_files.finish_import(raws, "world_map.gpkg", "country")
    elapsed = time.perf_counter() - started
    assert len(result.aois) == 240 and not result.refused
    assert all(a.valid for a in result.aois), [(a.name, a.problems) for a in result.aois if not a.valid][:3]
    measure = QgsDistanceArea()
    measure.setSourceCrs(QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance().transformContext())
    assert measure.setEllipsoid("EPSG:7030")
    layer = QgsVectorLayer(uri, "countries", "ogr")
    # QgsDistanceArea's ellipsoidal polygon area approximates long edges (QGIS 3.22: up to
    # 0.39 % off for Western Sahara, where Nadir and GeographicLib agree to 1e-6), so the
    # edges are densified to 0.05° first: then both measure the same shape.
    reference = [measure.measureArea(f.geometry().densifyByDistance(0.05)) / 1e6 for f in layer.getFeatures()]
    errors = sorted((abs(a.area_km2 - r) / r, a.name) for a, r in zip(result.aois, reference))
    assert errors[-1][0] < 1e-3, errors[-3:]
    assert sum(1 for a in result.aois if a.name.startswith("country ")) == 2  # two features without NAME
    by_name = {a.name: a for a in result.aois}
    for name in ANTIMERIDIAN_COUNTRIES:
        parts = by_name[name].geometry.geoms
        assert any(p.bounds[2] > 179 for p in parts) and any(p.bounds[0] < -179 for p in parts)
    assert elapsed < 10  # the bench measures it properly; this only catches a pathological regression


def test_a_million_vertex_file_imports(tmp_path, context):
    path = big_polygon_geojson(tmp_path / "million.geojson")
    (aoi,) = aoi_files.import_file(path, context).aois
    assert aoi.vertex_count == 1_000_000 and aoi.valid
