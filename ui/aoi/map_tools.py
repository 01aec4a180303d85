"""Map tools that draw an AOI on the canvas: a rectangle and a polygon.

Both work in the canvas CRS, whatever it is (a Pacific-centred projection included:
the drawn shape is densified and reprojected by ``toolbelt.geometry`` and split at the
antimeridian by core). Esc cancels; the polygon finishes on right-click or double-click
(Backspace removes the last vertex). ``finished`` carries the shape in canvas CRS.

Both snap like QGIS's own digitizing tools: points go through the canvas' snapping
utilities (the project's snapping settings, toggled with the Snapping toolbar) and a
``QgsSnapIndicator`` shows where the point will land.
"""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsGeometry, QgsPointXY, QgsRectangle
from qgis.gui import QgsMapCanvas, QgsMapMouseEvent, QgsMapTool, QgsRubberBand, QgsSnapIndicator
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor, QKeyEvent

from ...toolbelt.compat import POLYGON_GEOMETRY

FILL = QColor(255, 140, 0, 60)
STROKE = QColor(230, 100, 0, 230)
#: A rectangle dragged over fewer pixels than this is taken as a click, not a shape.
MIN_DRAG_PIXELS = 4


def _band(canvas: QgsMapCanvas) -> QgsRubberBand:
    band = QgsRubberBand(canvas, POLYGON_GEOMETRY)
    band.setFillColor(FILL)
    band.setStrokeColor(STROKE)
    band.setWidth(2)
    return band


class _AoiTool(QgsMapTool):
    finished = pyqtSignal(QgsGeometry)
    cancelled = pyqtSignal()

    def __init__(self, canvas: QgsMapCanvas) -> None:
        super().__init__(canvas)
        self.band: Optional[QgsRubberBand] = None
        self.snap_indicator = QgsSnapIndicator(canvas)

    def _point(self, event: QgsMapMouseEvent) -> QgsPointXY:
        """The event's map point, snapped to the project's snapping targets when in tolerance."""
        match = self.canvas().snappingUtils().snapToMap(event.pos())
        self.snap_indicator.setMatch(match)
        return QgsPointXY(match.point()) if match.isValid() else event.mapPoint()

    def _reset_band(self) -> QgsRubberBand:
        if self.band is None:
            self.band = _band(self.canvas())
        self.band.reset(POLYGON_GEOMETRY)
        return self.band

    def _clear(self) -> None:
        if self.band is not None:
            self.band.reset(POLYGON_GEOMETRY)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._clear()
            self.reset()
            self.cancelled.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def deactivate(self) -> None:
        self.snap_indicator.setVisible(False)
        self._clear()
        self.reset()
        super().deactivate()

    def remove_band(self) -> None:
        if self.band is not None:
            self.canvas().scene().removeItem(self.band)
            self.band = None

    def reset(self) -> None:  # overridden by each tool
        return None


class RectangleTool(_AoiTool):
    """Press, drag, release: one rectangle."""

    def __init__(self, canvas: QgsMapCanvas) -> None:
        super().__init__(canvas)
        self.setObjectName("NadirAoiRectangleTool")
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.start: Optional[QgsPointXY] = None
        self.start_pixel = None

    def reset(self) -> None:
        self.start = None
        self.start_pixel = None

    def canvasPressEvent(self, event: QgsMapMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.start = self._point(event)
        self.start_pixel = event.pos()
        self._reset_band()

    def canvasMoveEvent(self, event: QgsMapMouseEvent) -> None:
        point = self._point(event)
        if self.start is None or self.band is None:
            return
        self.band.setToGeometry(QgsGeometry.fromRect(QgsRectangle(self.start, point)))

    def canvasReleaseEvent(self, event: QgsMapMouseEvent) -> None:
        if self.start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        start, start_pixel = self.start, self.start_pixel
        self.reset()
        self._clear()
        moved = event.pos() - start_pixel
        if abs(moved.x()) < MIN_DRAG_PIXELS or abs(moved.y()) < MIN_DRAG_PIXELS:
            return
        self.finished.emit(QgsGeometry.fromRect(QgsRectangle(start, self._point(event))))


class PolygonTool(_AoiTool):
    """Click the corners; right-click or double-click finishes; Backspace undoes a corner."""

    def __init__(self, canvas: QgsMapCanvas) -> None:
        super().__init__(canvas)
        self.setObjectName("NadirAoiPolygonTool")
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.points: list[QgsPointXY] = []
        self.hover: Optional[QgsPointXY] = None

    def reset(self) -> None:
        self.points = []
        self.hover = None

    def _redraw(self) -> None:
        band = self._reset_band()
        points = [*self.points, *([self.hover] if self.hover is not None else [])]
        if len(points) >= 2:
            band.setToGeometry(QgsGeometry.fromPolygonXY([points]))

    def _add(self, point: QgsPointXY) -> None:
        if not self.points or self.points[-1] != point:
            self.points.append(point)
        self._redraw()

    def canvasReleaseEvent(self, event: QgsMapMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._add(self._point(event))
        elif event.button() == Qt.MouseButton.RightButton:
            self.finish()

    def canvasDoubleClickEvent(self, event: QgsMapMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._add(self._point(event))
            self.finish()

    def canvasMoveEvent(self, event: QgsMapMouseEvent) -> None:
        point = self._point(event)
        if self.points:
            self.hover = point
            self._redraw()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and self.points:
            self.points.pop()
            self._redraw()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            event.accept()
            return
        super().keyPressEvent(event)

    def finish(self) -> None:
        points = list(self.points)
        self.reset()
        self._clear()
        if len(points) < 3:
            return
        self.finished.emit(QgsGeometry.fromPolygonXY([[*points, points[0]]]))
