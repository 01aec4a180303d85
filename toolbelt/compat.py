"""All Qt5/Qt6 and QGIS-version branching in one place.

Code elsewhere imports from ``qgis.PyQt`` with fully scoped enums and calls
``exec()``; anything that differs between QGIS 3.22, 3.40 and 4.x goes here.
"""

from __future__ import annotations

import sys

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


# --- label placement -------------------------------------------------------------------
# Qgis.LabelPlacement arrived in 3.26; QgsPalLayerSettings.Placement is the older home.
if qgis_at_least(3, 26):
    LABEL_ALONG_OUTLINE = Qgis.LabelPlacement.Line
else:  # pragma: no cover - exercised on QGIS 3.22
    from qgis.core import QgsPalLayerSettings

    LABEL_ALONG_OUTLINE = QgsPalLayerSettings.Placement.Line


# --- layer types --------------------------------------------------------------------
if qgis_at_least(3, 30):
    VECTOR_LAYER = Qgis.LayerType.Vector
else:  # pragma: no cover - exercised on QGIS 3.22
    from qgis.core import QgsMapLayerType

    VECTOR_LAYER = QgsMapLayerType.VectorLayer


# --- field types ----------------------------------------------------------------------
# QgsField takes QMetaType.Type from 3.38 on; QVariant.Type is gone in Qt6 (QGIS 4).
if qgis_at_least(3, 38):
    from qgis.PyQt.QtCore import QMetaType

    FIELD_STRING = QMetaType.Type.QString
    FIELD_DOUBLE = QMetaType.Type.Double
    FIELD_INT = QMetaType.Type.Int
else:  # pragma: no cover - exercised on QGIS 3.22
    from qgis.PyQt.QtCore import QVariant  # qt5-only

    FIELD_STRING = QVariant.String  # qt5-only
    FIELD_DOUBLE = QVariant.Double  # qt5-only
    FIELD_INT = QVariant.Int  # qt5-only


# --- layer filters for QgsMapLayerComboBox ---------------------------------------------
if qgis_at_least(3, 34):
    POLYGON_LAYER_FILTER = Qgis.LayerFilter.PolygonLayer
else:  # pragma: no cover - exercised on QGIS 3.22
    from qgis.core import QgsMapLayerProxyModel

    POLYGON_LAYER_FILTER = QgsMapLayerProxyModel.PolygonLayer


# --- Processing source types ---------------------------------------------------------
if qgis_at_least(3, 36):
    SOURCE_VECTOR_POLYGON = Qgis.ProcessingSourceType.VectorPolygon
else:  # pragma: no cover - exercised on QGIS 3.22
    from qgis.core import QgsProcessing

    SOURCE_VECTOR_POLYGON = QgsProcessing.TypeVectorPolygon


def sublayer_query_flags() -> object:
    """Resolve geometry types and count features when listing a file's layers."""
    flags = Qgis.SublayerQueryFlag.ResolveGeometryType | Qgis.SublayerQueryFlag.CountFeatures
    if isinstance(flags, int):  # 3.22 bindings combine to int; wrap it back
        return Qgis.SublayerQueryFlags(flags)
    return flags


def multi_polygon_wkb() -> object:
    return WkbType.MultiPolygon


# --- message levels ---------------------------------------------------------------
INFO = Qgis.MessageLevel.Info
WARNING = Qgis.MessageLevel.Warning
CRITICAL = Qgis.MessageLevel.Critical
SUCCESS = Qgis.MessageLevel.Success


# --- Processing number types (source types: SOURCE_VECTOR_POLYGON above) ------------
# Qgis.ProcessingNumberParameterType arrived in 3.36.
if qgis_at_least(3, 36):
    INTEGER_NUMBER = Qgis.ProcessingNumberParameterType.Integer
    FOLDER_FILE_PARAMETER = Qgis.ProcessingFileParameterBehavior.Folder
    DATE_ONLY = Qgis.ProcessingDateTimeParameterDataType.Date
else:  # pragma: no cover - exercised on QGIS 3.22
    from qgis.core import QgsProcessingParameterDateTime, QgsProcessingParameterFile, QgsProcessingParameterNumber

    INTEGER_NUMBER = QgsProcessingParameterNumber.Integer
    FOLDER_FILE_PARAMETER = QgsProcessingParameterFile.Folder
    DATE_ONLY = QgsProcessingParameterDateTime.Date


# --- shapely inside QGIS executables -------------------------------------------------
# ``toolbelt.native.isolate_geos`` (called by classFactory) makes shapely bind to its own
# GEOS when Nadir is the first to import it; this guard covers the case where something
# imported shapely before Nadir's hook was in place.


def guard_shapely_geos() -> bool:
    """Keep shapely's WKT/WKB output working when QGIS's own GEOS shadows shapely's.

    The qgis and qgis_process executables link the system GEOS (3.11 on Debian bookworm),
    so its symbols are global and take precedence over the GEOS bundled in the shapely
    2.1 wheel (3.13). shapely then asks the older library for output dimension 4 (M
    values, GEOS >= 3.12) and every ``.wkt``/``to_wkb`` raises "output dimension must be
    2 or 3". Plain Python (tests) and QGIS 3.40 (GEOS 3.13) are not affected. When the
    problem is detected, ``shapely.to_wkt``/``to_wkb`` default to 3 dimensions, which
    both GEOS versions write. Returns True if the guard was installed.
    """
    try:
        import shapely
        import shapely.io
        from shapely.errors import GEOSException
    except ImportError:
        return False
    if getattr(shapely.to_wkt, "_nadir_guard", False):
        return True
    try:
        shapely.to_wkt(shapely.Point(0.0, 0.0))
        return False
    except GEOSException:
        pass
    original_wkt, original_wkb = shapely.io.to_wkt, shapely.io.to_wkb

    def to_wkt(geometry, rounding_precision=6, trim=True, output_dimension=None, **kwargs):  # type: ignore[no-untyped-def]
        return original_wkt(
            geometry,
            rounding_precision=rounding_precision,
            trim=trim,
            output_dimension=min(output_dimension or 3, 3),
            **kwargs,
        )

    def to_wkb(geometry, hex=False, output_dimension=None, **kwargs):  # type: ignore[no-untyped-def]
        return original_wkb(geometry, hex=hex, output_dimension=min(output_dimension or 3, 3), **kwargs)

    for function, original in ((to_wkt, original_wkt), (to_wkb, original_wkb)):
        function._nadir_guard = True  # type: ignore[attr-defined,union-attr]
        function._nadir_original = original  # type: ignore[attr-defined,union-attr]
    shapely.to_wkt = shapely.io.to_wkt = to_wkt  # type: ignore[assignment]
    shapely.to_wkb = shapely.io.to_wkb = to_wkb  # type: ignore[assignment]
    return True


def unguard_shapely_geos() -> bool:
    """Put back shapely's own ``to_wkt``/``to_wkb`` (plugin unload). True if anything was restored."""
    restored = False
    for module in (sys.modules.get("shapely"), sys.modules.get("shapely.io")):
        for name in ("to_wkt", "to_wkb"):
            original = getattr(getattr(module, name, None), "_nadir_original", None)
            if original is not None:
                setattr(module, name, original)
                restored = True
    return restored


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
