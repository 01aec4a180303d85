"""An order's AOI (GeoJSON, EPSG:4326) as a QgsGeometry, and zooming the canvas to it.

A stop-gap until the AOI feature's shapely <-> QGIS bridge lands in ``toolbelt``; then
these two functions call it instead.
"""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
)
from qgis.gui import QgsMapCanvas

WGS84 = "EPSG:4326"


def geometry_from_geojson(geojson: dict[str, Any] | None) -> QgsGeometry:
    """The geometry of ``geojson`` (a geometry, Feature or FeatureCollection); empty if none."""
    if not geojson:
        return QgsGeometry()
    from shapely.geometry import shape
    from shapely.ops import unary_union

    kind = geojson.get("type")
    if kind == "Feature":
        return geometry_from_geojson(geojson.get("geometry"))
    if kind == "FeatureCollection":
        parts = [shape(f["geometry"]) for f in geojson.get("features", []) if f.get("geometry")]
        if not parts:
            return QgsGeometry()
        geometry = unary_union(parts)
    else:
        geometry = shape(geojson)
    result = QgsGeometry()
    result.fromWkb(geometry.wkb)
    return result


def zoom_to(canvas: QgsMapCanvas, geometry: QgsGeometry, margin: float = 0.15) -> bool:
    """Zoom ``canvas`` to an EPSG:4326 geometry, reprojected to the canvas CRS."""
    if geometry.isEmpty():
        return False
    target = canvas.mapSettings().destinationCrs()
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem(WGS84), target, QgsProject.instance())
    box = transform.transformBoundingBox(geometry.boundingBox())
    if box.isEmpty():  # a point-like AOI: give it some room
        box = QgsRectangle(box.xMinimum() - 1, box.yMinimum() - 1, box.xMaximum() + 1, box.yMaximum() + 1)
    box.scale(1 + 2 * margin)
    canvas.setExtent(box)
    canvas.refresh()
    return True
