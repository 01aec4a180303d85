"""Orders as vector features: one schema and one style for every layer of orders.

Used by the existing-orders overlay (ui) and by ``nadir:list_orders`` (processing), so
both give the same attributes: provider, order id, title, kind, model, status and
sub-status exactly as sent, lifecycle, start, end (empty when open-ended), recurring,
cancellation date, price and creation time. Geometry is the order's AOI in EPSG:4326.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsFeatureRequest,
    QgsFields,
    QgsFillSymbol,
    QgsGeometry,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsRendererCategory,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QDate, QDateTime
from qgis.PyQt.QtGui import QColor

from ...core.models import Lifecycle, Order
from ...core.orders.book import provider_title
from ...core.orders.filters import order_period
from ..compat import LABEL_ALONG_OUTLINE
from ..i18n import tr

#: memory-provider URI: field types without QVariant/QMetaType (they differ between Qt5 and Qt6)
MEMORY_URI = (
    "MultiPolygon?crs=EPSG:4326"
    "&field=provider:string(20)&field=order_id:string(80)&field=title:string(200)&field=kind:string(20)"
    "&field=model:string(60)&field=status:string(80)&field=sub_status:string(80)&field=lifecycle:string(20)"
    "&field=start:date&field=end:date&field=recurring:boolean&field=cancel_date:date&field=price:string(40)"
    "&field=created:datetime"
)

#: lifecycle colours, shared with the orders table
COLORS: dict[Lifecycle, str] = {
    Lifecycle.PENDING: "#f2b134",
    Lifecycle.AWAITING_DECISION: "#ef7d22",
    Lifecycle.IN_PROGRESS: "#3a86d4",
    Lifecycle.LIVE: "#2ca25f",
    Lifecycle.COMPLETED: "#5e6b78",
    Lifecycle.FAILED: "#d7301f",
    Lifecycle.CANCELLED: "#a0a0a0",
}
UNKNOWN_COLOR = "#bdbdbd"  # a neutral grey: no colour that would claim a meaning


def lifecycle_label(status: Lifecycle) -> str:
    return {
        Lifecycle.PENDING: tr("Pending (in review)"),
        Lifecycle.AWAITING_DECISION: tr("Awaiting your decision"),
        Lifecycle.IN_PROGRESS: tr("In progress"),
        Lifecycle.LIVE: tr("Live (recurring)"),
        Lifecycle.COMPLETED: tr("Completed"),
        Lifecycle.FAILED: tr("Failed"),
        Lifecycle.CANCELLED: tr("Cancelled"),
        Lifecycle.UNKNOWN: tr("Unknown status"),
    }[status]


def order_fields() -> QgsFields:
    return QgsVectorLayer(MEMORY_URI, "fields", "memory").fields()


Rings = list[list[Any]]


def _polygons(geojson: dict[str, Any]) -> list[Rings]:
    """Coordinate rings of every polygon in a GeoJSON geometry, collection or feature."""
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        return [p for f in geojson.get("features", []) if f.get("geometry") for p in _polygons(f["geometry"])]
    if kind == "Feature":
        return _polygons(geojson["geometry"]) if geojson.get("geometry") else []
    if kind == "GeometryCollection":
        return [p for g in geojson.get("geometries", []) for p in _polygons(g)]
    if kind == "Polygon":
        return [geojson.get("coordinates") or []]
    if kind == "MultiPolygon":
        return list(geojson.get("coordinates") or [])
    return []  # points and lines are no area of interest


def geometry_from_geojson(geojson: Optional[dict[str, Any]]) -> QgsGeometry:
    """The polygons of ``geojson`` (a geometry, collection, Feature or FeatureCollection, as
    providers send AOIs) as one multipolygon; empty if it has none.

    Built from the coordinates with QGIS alone: inside QGIS's own processes (the desktop,
    ``qgis_process``) shapely's C calls can resolve to the GEOS QGIS loaded, where
    ``shapely.to_wkb`` fails ("WKB output dimension must be 2 or 3" with GEOS 3.11).
    """
    polygons = [
        [[QgsPointXY(float(point[0]), float(point[1])) for point in ring] for ring in rings if len(ring) >= 4]
        for rings in (_polygons(geojson) if geojson else [])
    ]
    polygons = [rings for rings in polygons if rings]
    return QgsGeometry.fromMultiPolygonXY(polygons) if polygons else QgsGeometry()


def _qdate(value: Optional[date]) -> Optional[QDate]:
    return QDate(value.year, value.month, value.day) if value is not None else None


def order_attributes(order: Order) -> list[object]:
    period = order_period(order)
    return [
        provider_title(order.provider),
        order.id,
        order.title,
        order.kind.value,
        order.model or order.product or "",
        order.raw_status,
        order.sub_status or "",
        order.status.value,
        _qdate(period.start if period else None),
        _qdate(period.end if period else None),
        order.recurring,
        _qdate(order.cancellation_date),
        str(order.price) if order.price is not None else "",
        QDateTime(order.created_at) if order.created_at is not None else None,
    ]


def order_feature(order: Order, fields: QgsFields, keep_without_aoi: bool = False) -> Optional[QgsFeature]:
    """The order as a feature; None when it has no AOI (unless ``keep_without_aoi``)."""
    geometry = geometry_from_geojson(order.aoi)
    if geometry.isEmpty() and not keep_without_aoi:
        return None
    feature = QgsFeature(fields)
    feature.setAttributes(order_attributes(order))
    if not geometry.isEmpty():
        feature.setGeometry(geometry)
    return feature


def lifecycle_renderer() -> QgsCategorizedSymbolRenderer:
    """Categorised on ``lifecycle``: one colour per lifecycle, unknown ones grey and dashed.

    Overlapping orders stay apart: a light fill (two stacked orders show darker), the
    smaller ones drawn over the larger ones, and each labelled along its outline
    (:func:`order_labeling`)."""
    categories = []
    for status in Lifecycle:
        fill = QColor(COLORS.get(status, UNKNOWN_COLOR))
        outline = fill.darker(140)
        fill.setAlpha(55)
        symbol = QgsFillSymbol.createSimple(
            {
                "color": f"{fill.red()},{fill.green()},{fill.blue()},{fill.alpha()}",
                "outline_color": outline.name(),
                "outline_width": "0.5",
                "outline_style": "dash" if status is Lifecycle.UNKNOWN else "solid",
            }
        )
        categories.append(QgsRendererCategory(status.value, symbol, lifecycle_label(status)))
    renderer = QgsCategorizedSymbolRenderer("lifecycle", categories)
    renderer.setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause("$area", False)]))
    renderer.setOrderByEnabled(True)  # the large ones first: a small order inside a large one shows
    return renderer


#: what names an order on the map: its title, else the start of its id, and its status
ORDER_LABEL = (
    "coalesce(nullif(\"title\", ''), left(\"order_id\", 8) || '…') || ' · ' || "
    'coalesce(nullif("status", \'\'), "lifecycle")'
)


def order_labeling() -> QgsVectorLayerSimpleLabeling:
    """Each order labelled along its outline, so overlapping ones can be told apart."""
    settings = QgsPalLayerSettings()
    settings.fieldName = ORDER_LABEL
    settings.isExpression = True
    settings.placement = LABEL_ALONG_OUTLINE
    text = QgsTextFormat()
    text.setSize(8)
    text.setColor(QColor(40, 40, 40))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setColor(QColor(255, 255, 255, 220))
    buffer.setSize(0.7)
    text.setBuffer(buffer)
    settings.setFormat(text)
    return QgsVectorLayerSimpleLabeling(settings)


def style_orders(layer: QgsVectorLayer) -> None:
    """Nadir's default style of the existing-orders layer: status classes and outline labels
    (also what ``scripts/make_styles.py`` writes to ``resources/styles/existing_orders.qml``)."""
    layer.setRenderer(lifecycle_renderer())
    layer.setLabeling(order_labeling())
    layer.setLabelsEnabled(True)
