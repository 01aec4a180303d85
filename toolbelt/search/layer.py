"""Archive captures as vector features: one schema for the Search section's layer and
``nadir:search_archive``'s output (provider, capture id, collection, constellation,
acquisition time in UTC, cloud, incidence, GSD, % of the area covered, price, host)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Optional

from qgis.core import QgsFeature, QgsFields, QgsFillSymbol, QgsGeometry, QgsSingleSymbolRenderer, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, Qt, QVariant

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


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MILLISECOND = timedelta(milliseconds=1)


class _SharedValues(dict[object, object]):
    """Attribute values as QVariants made once. QGIS converts every text and number anew
    in each call that sets a feature's attributes; a ready QVariant costs a fifth of that.
    Providers, collections, hosts, prices, cloud cover, angles, GSDs and shares of the AOI
    repeat across captures; past ``limit`` values they are passed as they are."""

    def __init__(self, limit: int) -> None:
        super().__init__({None: None})
        self._limit = limit

    def __missing__(self, value: object) -> object:
        if len(self) >= self._limit:
            return value
        variant = self[value] = QVariant(value)
        return variant


class CaptureFeatures:
    """Builds the features of the captures schema; safe on a worker thread (no QObject).

    100,000 captures go through here for a large search, so the work per feature is kept
    to the calls that cannot be avoided, in one loop: each feature copies a prototype
    that already carries the fields, repeated values are shared QVariants, the time goes
    from the epoch in whole milliseconds, and Qt's UTC flag and factory are looked up
    once (PyQt's enum lookup alone costs more than the conversion)."""

    #: attribute values converted once and shared
    SHARED_VALUES = 4096

    def __init__(self, fields: QgsFields) -> None:
        self._prototype = QgsFeature(fields)
        self._values = _SharedValues(self.SHARED_VALUES)

    def many(
        self,
        captures: Sequence[Capture],
        coverage: Sequence[Optional[float]],
        keys: Sequence[str],
        wkbs: Sequence[Optional[bytes]],
    ) -> tuple[QgsFeature, ...]:
        """The features of ``captures``; ``wkbs[i]`` is a footprint's WKB when already
        written (None: written here). The acquisition time is in UTC (a time without zone
        is read as UTC)."""
        prototype, shared = self._prototype, self._values
        utc, from_msecs = Qt.TimeSpec.UTC, QDateTime.fromMSecsSinceEpoch
        features = []
        for capture, share, key, wkb in zip(captures, coverage, keys, wkbs):
            feature = QgsFeature(prototype)
            if wkb is None:
                wkb = multipolygon_wkb(capture.footprint)
            if wkb:  # no polygon: the feature keeps no geometry
                geometry = QgsGeometry()
                geometry.fromWkb(wkb)
                feature.setGeometry(geometry)
            when, moment = None, capture.acquired
            if moment is not None:
                if moment.utcoffset() is None:
                    moment = moment.replace(tzinfo=timezone.utc)
                when = from_msecs((moment - _EPOCH) // _MILLISECOND, utc)
            feature.setAttributes(
                [
                    key,
                    shared[capture.provider],
                    capture.id,
                    shared[capture.collection],
                    shared[capture.constellation],
                    when,
                    shared[capture.cloud_cover],
                    shared[capture.incidence_angle],
                    shared[capture.gsd],
                    shared[share],
                    shared[price_text(capture) if capture.properties else ""],
                    shared[capture.host or ""],
                ]
            )
            features.append(feature)
        return tuple(features)

    def __call__(
        self, capture: Capture, coverage: Optional[float], key: Optional[str] = None, wkb: Optional[bytes] = None
    ) -> QgsFeature:
        """The feature of ``capture``."""
        return self.many((capture,), (coverage,), (key or capture_key(capture),), (wkb,))[0]


def style_footprints(layer: QgsVectorLayer) -> None:
    symbol = QgsFillSymbol.createSimple({"color": "255,170,0,25", "outline_color": "#d97706", "outline_width": "0.3"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def capture_fields() -> QgsFields:
    return QgsVectorLayer(MEMORY_URI, "fields", "memory").fields()


def capture_feature(
    capture: Capture, coverage: Optional[float], fields: QgsFields, key: Optional[str] = None
) -> QgsFeature:
    """One feature of the captures schema (many: :class:`CaptureFeatures`)."""
    return CaptureFeatures(fields)(capture, coverage, key)
