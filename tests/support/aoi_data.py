"""AOI test data: the files in tests/data/aoi, QGIS's world map, an independent area."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely

from support.package import ROOT

DATA = ROOT / "tests" / "data" / "aoi"
WORLD_MAP = Path("/usr/share/qgis/resources/data/world_map.gpkg")

#: Countries of world_map.gpkg that reach both sides of the antimeridian.
ANTIMERIDIAN_COUNTRIES = ("Russia", "Fiji", "Antarctica", "United States of America")


def world_countries() -> list[tuple[str, shapely.Geometry]]:
    """(name, geometry) of every country in QGIS's world map, read with GDAL's Python
    bindings (not QGIS: the unit tier must not load it). The file is not plain GeoPackage
    geometry everywhere: QGIS 3.40's copy stores Russia as a SpatiaLite blob."""
    from osgeo import ogr

    ogr.UseExceptions()
    source = ogr.Open(str(WORLD_MAP))
    layer = source.GetLayerByName("countries")
    rows = []
    for feature in layer:
        geometry = feature.GetGeometryRef()
        rows.append((feature.GetField("NAME"), shapely.from_wkb(bytes(geometry.ExportToIsoWkb()))))
    return rows


def independent_area_km2(geometry: shapely.Geometry, step_deg: float = 0.05) -> float:
    """Area by PROJ's GeographicLib port (pyproj, installed with QGIS on Debian), with
    every edge densified to ``step_deg`` first.

    GeographicLib joins points by geodesics, Nadir by lines straight in lon/lat; once
    edges are short the two agree far below 0.1 %, so this is an independent check.
    """
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    total = 0.0
    polygons = [geometry] if isinstance(geometry, shapely.Polygon) else list(geometry.geoms)
    for polygon in polygons:
        dense = shapely.segmentize(polygon, step_deg)
        for index, ring in enumerate([dense.exterior, *dense.interiors]):
            coords = np.asarray(ring.coords)
            area = abs(float(geod.polygon_area_perimeter(coords[:, 0], coords[:, 1])[0]))
            total += area if index == 0 else -area
    return total / 1e6


def big_polygon_geojson(path: Path, vertices: int = 1_000_000) -> Path:
    """A GeoJSON polygon with ``vertices`` positions: a wiggly circle over Bavaria."""
    angles = np.linspace(0.0, 2.0 * np.pi, vertices - 1, endpoint=False)
    radius = 0.5 + 0.01 * np.sin(angles * 997.0)
    ring = np.column_stack([11.5 + radius * np.cos(angles) * 1.5, 48.5 + radius * np.sin(angles)])
    ring = np.vstack([ring, ring[:1]]).round(7)
    geometry = {"type": "Polygon", "coordinates": [ring.tolist()]}
    path.write_text(
        json.dumps({"type": "Feature", "properties": {"name": "million"}, "geometry": geometry}), encoding="utf-8"
    )
    return path


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")
