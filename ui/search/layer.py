"""The footprints of an archive search as one memory layer in Nadir's group.

Captures arrive in batches (:class:`core.search.engine.Found`); each batch is added with
one ``addFeatures`` call and one repaint, so 10,000 results keep the map live. The layer
remembers which feature is which capture (``key``), selects by key and reports the
keys the user selected on the map.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timezone
from typing import Optional

from qgis.core import QgsFeature, QgsFillSymbol, QgsProject, QgsSingleSymbolRenderer, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, QObject, Qt, pyqtSignal

from ...core.models import Capture
from ...core.search.results import capture_key, price_text
from ...toolbelt.i18n import tr
from ...toolbelt.layer_tree import add_to_nadir_group
from ...toolbelt.order_layer import geometry_from_geojson

#: memory-provider URI: field types without QVariant/QMetaType (they differ between Qt5 and Qt6)
MEMORY_URI = (
    "MultiPolygon?crs=EPSG:4326"
    "&field=key:string(255)&field=provider:string(20)&field=capture_id:string(200)"
    "&field=collection:string(80)&field=constellation:string(80)&field=acquired:datetime"
    "&field=cloud:double&field=incidence:double&field=gsd:double&field=aoi_pct:double"
    "&field=price:string(80)&field=host:string(80)"
)
LAYER_PROPERTY = "nadir/search-results"


def _qdatetime(capture: Capture) -> Optional[QDateTime]:
    """The acquisition time in UTC (a time without zone is read as UTC)."""
    when = capture.acquired
    if when is None:
        return None
    if when.utcoffset() is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    value = QDateTime(when)
    value.setTimeSpec(Qt.TimeSpec.UTC)
    return value


def capture_attributes(capture: Capture, coverage: Optional[float]) -> list[object]:
    return [capture_key(capture), capture.provider, capture.id, capture.collection, capture.constellation,
            _qdatetime(capture), capture.cloud_cover, capture.incidence_angle, capture.gsd, coverage,
            price_text(capture), capture.host or ""]


def style_footprints(layer: QgsVectorLayer) -> None:
    symbol = QgsFillSymbol.createSimple({"color": "255,170,0,25", "outline_color": "#d97706",
                                        "outline_width": "0.3"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


class ResultsLayer(QObject):
    """The search footprints layer; made on the first batch, again if the user removed it."""

    #: keys of the features selected on the map (by the user or by :meth:`select`)
    selection_changed = pyqtSignal(list)

    def __init__(self, project: QgsProject, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.project = project
        self.layer: Optional[QgsVectorLayer] = None
        self._fid_of: dict[str, int] = {}
        self._key_of: dict[int, str] = {}
        self._selecting = False

    def _ensure(self) -> QgsVectorLayer:
        if self.layer is not None and self.project.mapLayer(self.layer.id()) is not None:
            return self.layer
        self.layer = QgsVectorLayer(MEMORY_URI, tr("Archive search results"), "memory")
        self.layer.setCustomProperty(LAYER_PROPERTY, 1)
        style_footprints(self.layer)
        self.layer.selectionChanged.connect(self._selected)
        self.layer.willBeDeleted.connect(self._deleted)
        self._fid_of.clear()
        self._key_of.clear()
        add_to_nadir_group(self.project, self.layer)
        return self.layer

    def _deleted(self) -> None:
        self.layer = None
        self._fid_of.clear()
        self._key_of.clear()

    def clear(self) -> None:
        """Empty the layer for a new search (the layer stays where the user put it)."""
        if self.layer is None or self.project.mapLayer(self.layer.id()) is None:
            return
        self.layer.dataProvider().truncate()
        self._fid_of.clear()
        self._key_of.clear()
        self.layer.removeSelection()
        self.layer.triggerRepaint()

    def add(self, captures: Sequence[Capture], coverage: Sequence[Optional[float]]) -> int:
        """Add one batch: one provider call, one repaint. Returns the features added."""
        layer = self._ensure()
        fields = layer.fields()
        features = []
        keys = []
        for capture, share in zip(captures, coverage):
            key = capture_key(capture)
            if key in self._fid_of:
                continue  # the same capture twice (a provider's page overlap): shown once
            feature = QgsFeature(fields)
            feature.setGeometry(geometry_from_geojson(dict(capture.footprint)))
            feature.setAttributes(capture_attributes(capture, share))
            features.append(feature)
            keys.append(key)
        if not features:
            return 0
        ok, added = layer.dataProvider().addFeatures(features)
        if ok:
            for key, feature in zip(keys, added):
                self._fid_of[key] = feature.id()
                self._key_of[feature.id()] = key
        layer.updateExtents()
        layer.triggerRepaint()
        return len(added) if ok else 0

    def select(self, keys: Iterable[str]) -> None:
        """Select these captures on the map (from the table) without echoing back."""
        if self.layer is None:
            return
        fids = [self._fid_of[k] for k in keys if k in self._fid_of]
        self._selecting = True
        try:
            self.layer.selectByIds(fids)
        finally:
            self._selecting = False

    def selected_keys(self) -> list[str]:
        if self.layer is None:
            return []
        return [self._key_of[f] for f in self.layer.selectedFeatureIds() if f in self._key_of]

    def _selected(self, *_args: object) -> None:
        if not self._selecting:
            self.selection_changed.emit(self.selected_keys())

    def feature_count(self) -> int:
        return 0 if self.layer is None else int(self.layer.featureCount())

    def remove(self) -> None:
        if self.layer is not None and self.project.mapLayer(self.layer.id()) is not None:
            self.project.removeMapLayer(self.layer.id())
        self.layer = None
