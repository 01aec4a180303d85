"""Helpers for grid tests in QGIS: put a canvas on a place and scale, wait for tasks."""

from __future__ import annotations

import time

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
)
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QPoint
from qgis.PyQt.QtWidgets import QApplication

from .qgis_wait import wait_until  # noqa: F401 - re-exported for the tests that import it here

MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


def settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def to_mercator(lon: float, lat: float) -> QgsPointXY:
    transform = QgsCoordinateTransform(WGS84, MERCATOR, QgsProject.instance())
    return transform.transform(QgsPointXY(lon, lat))


def set_view(canvas: QgsMapCanvas, lon: float, lat: float, scale: float) -> None:
    """Centre a Web Mercator canvas on lon/lat at 1:scale (showing it if needed, so its
    map settings have the widget's size)."""
    if not canvas.isVisible():
        canvas.window().show()
        settle(0.1)
    if canvas.mapSettings().destinationCrs() != MERCATOR:
        canvas.setDestinationCrs(MERCATOR)
    center = to_mercator(lon, lat)
    canvas.setExtent(QgsRectangle(center.x() - 1e5, center.y() - 1e5, center.x() + 1e5, center.y() + 1e5))
    canvas.zoomScale(scale)
    canvas.setCenter(center)


def pixel_of(canvas: QgsMapCanvas, lon: float, lat: float) -> QPoint:
    point = canvas.getCoordinateTransform().transform(to_mercator(lon, lat))
    return QPoint(round(point.x()), round(point.y()))
