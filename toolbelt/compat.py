"""All Qt5/Qt6 and QGIS-version branching in one place (STYLE.md 13).

Code elsewhere imports from ``qgis.PyQt`` with fully scoped enums and calls
``exec()``; anything that differs between QGIS 3.22, 3.40 and 4.x goes here.
"""

from __future__ import annotations

from qgis.core import Qgis
from qgis.PyQt.QtCore import QT_VERSION_STR

QT_MAJOR = int(QT_VERSION_STR.split(".")[0])
IS_QT6 = QT_MAJOR >= 6

try:  # QGIS >= 3.20
    QGIS_VERSION_INT: int = Qgis.versionInt()
except AttributeError:  # pragma: no cover - QGIS < 3.20 is not supported
    QGIS_VERSION_INT = Qgis.QGIS_VERSION_INT  # type: ignore[attr-defined]


def qgis_version() -> str:
    try:
        return Qgis.version()
    except AttributeError:  # pragma: no cover
        return Qgis.QGIS_VERSION  # type: ignore[attr-defined]


def qgis_at_least(major: int, minor: int) -> bool:
    return QGIS_VERSION_INT >= major * 10000 + minor * 100


# --- vector geometry types -------------------------------------------------------
# Qgis.GeometryType / Qgis.WkbType arrived in 3.30; QgsWkbTypes is the older home.
if qgis_at_least(3, 30):
    GeometryType = Qgis.GeometryType
    WkbType = Qgis.WkbType
    POLYGON_GEOMETRY = Qgis.GeometryType.Polygon
    POINT_GEOMETRY = Qgis.GeometryType.Point
    LINE_GEOMETRY = Qgis.GeometryType.Line
else:  # pragma: no cover - exercised on QGIS 3.22
    from qgis.core import QgsWkbTypes

    GeometryType = QgsWkbTypes.GeometryType
    WkbType = QgsWkbTypes.Type
    POLYGON_GEOMETRY = QgsWkbTypes.PolygonGeometry
    POINT_GEOMETRY = QgsWkbTypes.PointGeometry
    LINE_GEOMETRY = QgsWkbTypes.LineGeometry


def multi_polygon_wkb() -> object:
    return WkbType.MultiPolygon


# --- message levels ---------------------------------------------------------------
INFO = Qgis.MessageLevel.Info
WARNING = Qgis.MessageLevel.Warning
CRITICAL = Qgis.MessageLevel.Critical
SUCCESS = Qgis.MessageLevel.Success


# --- layer attribution and metadata dates ----------------------------------------
def set_layer_attribution(layer: object, text: str) -> None:
    """The layer's attribution (Layer Properties > QGIS Server). QGIS 3.38 moved it to
    ``serverProperties()`` and deprecated ``QgsMapLayer.setAttribution``."""
    server = getattr(layer, "serverProperties", None)
    properties = server() if callable(server) else None
    if properties is not None and hasattr(properties, "setAttribution"):
        properties.setAttribution(text)
    else:  # pragma: no cover - exercised on QGIS < 3.38
        layer.setAttribution(text)  # type: ignore[attr-defined]


def layer_attribution(layer: object) -> str:
    server = getattr(layer, "serverProperties", None)
    properties = server() if callable(server) else None
    if properties is not None and hasattr(properties, "attribution"):
        return str(properties.attribution())
    return str(layer.attribution())  # type: ignore[attr-defined]


def set_metadata_date(metadata: object, moment: object) -> None:
    """Record the capture date as the metadata's creation date where QGIS has dates
    (3.30+); older versions keep it in the temporal extent only."""
    if qgis_at_least(3, 30) and hasattr(metadata, "setDateTime"):
        metadata.setDateTime(Qgis.MetadataDateType.Created, moment)
