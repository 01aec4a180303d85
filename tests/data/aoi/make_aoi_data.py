"""Make the AOI test files in this folder (run once; the outputs are committed).

    /usr/bin/python3 tests/data/aoi/make_aoi_data.py

Each file exists for one format or one validation rule (see README.md here). Binary
formats are written with GDAL/OGR from Debian; everything is deterministic.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import zipfile
from pathlib import Path

from osgeo import ogr, osr

HERE = Path(__file__).resolve().parent

# A field near Toulouse and a lake-like hole: plain, valid, about 1.9 km².
FIELD = [[1.4400, 43.6000], [1.4600, 43.6000], [1.4600, 43.6100], [1.4400, 43.6100], [1.4400, 43.6000]]
FIELD_HOLE = [[1.4450, 43.6030], [1.4450, 43.6060], [1.4500, 43.6060], [1.4500, 43.6030], [1.4450, 43.6030]]
VINEYARD = [[4.8000, 45.7500], [4.8300, 45.7500], [4.8300, 45.7700], [4.8000, 45.7500]]


def write_json(name: str, data: object) -> None:
    (HERE / name).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def feature(geometry: object, **properties: object) -> dict[str, object]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def polygon(*rings: list[list[float]]) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": list(rings)}


def circle(lon: float, lat: float, radius_deg: float, vertices: int) -> list[list[float]]:
    ring = [
        [
            round(lon + radius_deg * math.cos(2 * math.pi * i / vertices) / math.cos(math.radians(lat)), 7),
            round(lat + radius_deg * math.sin(2 * math.pi * i / vertices), 7),
        ]
        for i in range(vertices)
    ]
    return [*ring, ring[0]]


def text_files() -> None:
    write_json(
        "fields.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                feature(polygon(FIELD, FIELD_HOLE), name="Field with pond"),
                feature(polygon(VINEYARD), name="Vineyard"),
            ],
        },
    )
    write_json("feature.json", feature(polygon(VINEYARD), title="Vineyard (Feature)"))
    write_json("geometry.json", polygon(FIELD))
    write_json(
        "clearsky_request.json",
        {
            "Wkt": "POLYGON((8.476348 56.176533, 8.482252 56.177059, 8.481702 56.174142, 8.476348 56.176533))",
            "Model": "Stratus2",
        },
    )
    write_json(
        "esri.json",
        {
            "spatialReference": {"wkid": 4326},
            "features": [{"attributes": {"NAME": "Esri field"}, "geometry": {"rings": [FIELD[::-1]]}}],
        },
    )
    (HERE / "field.wkt").write_text("POLYGON ((" + ", ".join(f"{x} {y}" for x, y in FIELD) + "))\n", encoding="utf-8")
    (HERE / "several.txt").write_text(
        "POLYGON ((" + ", ".join(f"{x} {y}" for x, y in FIELD) + "))\n"
        "MULTIPOLYGON (((" + ", ".join(f"{x} {y}" for x, y in VINEYARD) + ")))\n",
        encoding="utf-8",
    )
    kml_ring = " ".join(f"{x},{y},0" for x, y in FIELD)
    kml_ring2 = " ".join(f"{x},{y},0" for x, y in VINEYARD)
    (HERE / "fields.kml").write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Fields</name>
<Placemark><name>KML field</name><Polygon><outerBoundaryIs><LinearRing><coordinates>{kml_ring}</coordinates>
</LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>KML vineyard</name><Polygon><outerBoundaryIs><LinearRing><coordinates>{kml_ring2}</coordinates>
</LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>
""",
        encoding="utf-8",
    )

    # validation rules
    write_json(
        "empty_geometry.geojson",
        {
            "type": "FeatureCollection",
            "features": [feature(None, name="no geometry"), feature(polygon(), name="no rings")],
        },
    )
    write_json(
        "points_lines.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                feature({"type": "Point", "coordinates": [1.44, 43.6]}, name="a point"),
                feature({"type": "LineString", "coordinates": [[1.44, 43.6], [1.46, 43.61]]}, name="a road"),
                feature(polygon(FIELD), name="the field"),
            ],
        },
    )
    (HERE / "bowtie.wkt").write_text(
        "POLYGON ((1.44 43.60, 1.46 43.61, 1.46 43.60, 1.44 43.61, 1.44 43.60))\n", encoding="utf-8"
    )
    write_json(
        "overlapping_parts.geojson",
        {
            "type": "MultiPolygon",
            "coordinates": [
                [[[0, 0], [0.02, 0], [0.02, 0.02], [0, 0.02], [0, 0]]],
                [[[0.01, 0.01], [0.03, 0.01], [0.03, 0.03], [0.01, 0.03], [0.01, 0.01]]],
            ],
        },
    )
    (HERE / "unclosed.wkt").write_text("POLYGON ((1.44 43.60, 1.46 43.60, 1.46 43.61, 1.44 43.61))\n", encoding="utf-8")
    write_json("unclosed.geojson", polygon(FIELD[:-1]))
    write_json("latitude_out_of_range.geojson", polygon([[100, 80], [102, 80], [102, 95], [100, 80]]))
    # Sydney written as [lat, lon]
    write_json("swapped.geojson", polygon([[-33.87, 151.20], [-33.85, 151.20], [-33.85, 151.22], [-33.87, 151.20]]))
    (HERE / "projected.wkt").write_text(
        "POLYGON ((365000 4830000, 367000 4830000, 367000 4832000, 365000 4830000))\n", encoding="utf-8"
    )
    write_json("up42_too_many_vertices.geojson", feature(polygon(circle(13.4, 52.5, 0.05, 1200)), name="circle"))
    write_json("tiny.geojson", feature(polygon(circle(2.35, 48.85, 0.001, 32)), name="tiny"))
    write_json(
        "fiji_jumping.geojson",
        feature(
            polygon([[177.0, -19.0], [-179.0, -19.0], [-179.0, -16.0], [177.0, -16.0], [177.0, -19.0]]), name="Fiji box"
        ),
    )
    (HERE / "chukotka_continued.wkt").write_text(
        "POLYGON ((175 64, 190 64, 190 69, 175 69, 175 64))\n", encoding="utf-8"
    )
    (HERE / "garbage.geojson").write_bytes(bytes(range(256)) * 4)
    (HERE / "empty_file.geojson").write_bytes(b"")
    (HERE / "empty.zip").write_bytes(b"")
    write_json("truncated.geojson", None)
    (HERE / "truncated.geojson").write_text(
        '{"type": "Polygon", "coordinates": [[[1.44, 43.6], [1.46, 43.6]', encoding="utf-8"
    )


def ogr_files() -> None:
    srs_utm = osr.SpatialReference()
    srs_utm.ImportFromEPSG(32631)  # UTM 31N: Toulouse
    srs_wgs = osr.SpatialReference()
    srs_wgs.ImportFromEPSG(4326)
    srs_wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    srs_utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_utm = osr.CoordinateTransformation(srs_wgs, srs_utm)

    def geom(rings: list[list[list[float]]], transform: bool) -> ogr.Geometry:
        g = ogr.CreateGeometryFromJson(json.dumps(polygon(*rings)))
        if transform:
            g.Transform(to_utm)
        return g

    def layer(
        ds: ogr.DataSource, name: str, srs: osr.SpatialReference, kind: int, features: list[tuple[str, ogr.Geometry]]
    ) -> None:
        lyr = ds.CreateLayer(name, srs, kind)
        lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
        for label, g in features:
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("name", label)
            f.SetGeometry(g)
            lyr.CreateFeature(f)

    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / "utm_fields.shp"
        ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(shp))
        layer(
            ds,
            "utm_fields",
            srs_utm,
            ogr.wkbPolygon,
            [("UTM field", geom([FIELD, FIELD_HOLE], True)), ("UTM vineyard", geom([VINEYARD], True))],
        )
        ds = None
        with zipfile.ZipFile(HERE / "utm_fields_shp.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            for part in sorted(Path(tmp).iterdir()):
                info = zipfile.ZipInfo(f"utm_fields/{part.name}", date_time=(2024, 1, 1, 0, 0, 0))
                zf.writestr(info, part.read_bytes(), zipfile.ZIP_DEFLATED)

    gpkg = HERE / "layers.gpkg"
    gpkg.unlink(missing_ok=True)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    layer(ds, "fields", srs_wgs, ogr.wkbPolygon, [("GPKG field", geom([FIELD], False))])
    layer(
        ds,
        "vineyards_utm",
        srs_utm,
        ogr.wkbMultiPolygon,
        [("GPKG vineyard", ogr.ForceToMultiPolygon(geom([VINEYARD], True)))],
    )
    point_layer = ds.CreateLayer("wells", srs_wgs, ogr.wkbPoint)
    f = ogr.Feature(point_layer.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt("POINT (1.45 43.605)"))
    point_layer.CreateFeature(f)
    ds = None

    fgb = HERE / "fields.fgb"
    fgb.unlink(missing_ok=True)
    ds = ogr.GetDriverByName("FlatGeobuf").CreateDataSource(str(fgb))
    layer(ds, "fields", srs_wgs, ogr.wkbPolygon, [("FlatGeobuf field", geom([FIELD], False))])
    ds = None

    (HERE / "fields.csv").write_text(
        'name,WKT\n"CSV field","POLYGON ((' + ", ".join(f"{x} {y}" for x, y in FIELD) + '))"\n', encoding="utf-8"
    )


if __name__ == "__main__":
    text_files()
    ogr_files()
    shutil.rmtree(HERE / "__pycache__", ignore_errors=True)
    print("\n".join(sorted(p.name for p in HERE.iterdir())))
