"""Zooming the canvas to an order's AOI (EPSG:4326), reprojected to the canvas CRS."""

from __future__ import annotations

from qgis.core import QgsCsException, QgsGeometry, QgsRectangle
from qgis.gui import QgsMapCanvas

from ...toolbelt.geometry import transform_context, transformer, wgs84


def zoom_to(canvas: QgsMapCanvas, geometry: QgsGeometry, margin: float = 0.15) -> bool:
    """Zoom ``canvas`` to an EPSG:4326 geometry; False if there is nothing to zoom to."""
    if geometry.isEmpty():
        return False
    transform = transformer(wgs84(), transform_context(), canvas.mapSettings().destinationCrs())
    try:
        box = transform.transformBoundingBox(geometry.boundingBox())
    except QgsCsException:
        return False
    if box.isEmpty():  # a point-like AOI: give it some room
        box = QgsRectangle(box.xMinimum() - 1, box.yMinimum() - 1, box.xMaximum() + 1, box.yMaximum() + 1)
    box.scale(1 + 2 * margin)
    canvas.setExtent(box)
    canvas.refresh()
    return True
