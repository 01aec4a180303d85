"""Archive captures as vector features: one schema for the Search section's layer and
``nadir:search_archive``'s output (provider, capture id, collection, constellation,
acquisition time in UTC, cloud, incidence, GSD, % of the area covered, price, host)."""

from __future__ import annotations

from datetime import timezone
from typing import Optional

from qgis.core import QgsFeature, QgsFields, QgsFillSymbol, QgsGeometry, QgsSingleSymbolRenderer, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, Qt

from ...core.models import Capture
from ...core.search.results import capture_key, multipolygon_wkb, price_text

#: memory-provider URI: field types without QVariant/QMetaType (they differ between Qt5 and Qt6)
MEMORY_URI = (
    "MultiPolygon?crs=EPSG:4326"
    "&field=key:string(255)&field=provider:string(20)&field=capture_id:string(200)"
    "&field=collection:string(80)&field=constellation:string(80)&field=acquired:datetime"
    "&field=cloud:double&field=incidence:double&field=gsd:double&field=aoi_pct:double"
    "&field=price:string(80)&field=host:string(80)"
)


def _qdatetime(capture: Capture) -> Optional[QDateTime]:
    """The acquisition time in UTC (a time without zone is read as UTC)."""
    when = capture.acquired
    if when is None:
        return None
    if when.utcoffset() is None:
        when = when.replace(tzinfo=timezone.utc)
    # from the epoch in milliseconds: three times faster than converting the datetime
    return QDateTime.fromMSecsSinceEpoch(round(when.timestamp() * 1000), Qt.TimeSpec.UTC)


def capture_attributes(capture: Capture, coverage: Optional[float], key: Optional[str] = None) -> list[object]:
    return [
        key or capture_key(capture),
        capture.provider,
        capture.id,
        capture.collection,
        capture.constellation,
        _qdatetime(capture),
        capture.cloud_cover,
        capture.incidence_angle,
        capture.gsd,
        coverage,
        price_text(capture) if capture.properties else "",
        capture.host or "",
    ]


def style_footprints(layer: QgsVectorLayer) -> None:
    symbol = QgsFillSymbol.createSimple({"color": "255,170,0,25", "outline_color": "#d97706", "outline_width": "0.3"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def capture_fields() -> QgsFields:
    return QgsVectorLayer(MEMORY_URI, "fields", "memory").fields()


def capture_feature(
    capture: Capture, coverage: Optional[float], fields: QgsFields, key: Optional[str] = None
) -> QgsFeature:
    """A feature of the captures schema; safe to build on a worker thread (no QObject)."""
    feature = QgsFeature(fields)
    wkb = multipolygon_wkb(capture.footprint)
    if wkb:  # no polygon: the feature keeps no geometry
        geometry = QgsGeometry()
        geometry.fromWkb(wkb)
        feature.setGeometry(geometry)
    feature.setAttributes(capture_attributes(capture, coverage, key))
    return feature
