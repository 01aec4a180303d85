"""Zooming the canvas to an order's AOI (EPSG:4326), reprojected to the canvas CRS."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
)
from qgis.gui import QgsMapCanvas

WGS84 = "EPSG:4326"


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
