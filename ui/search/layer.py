"""The footprints of an archive search as one memory layer in Nadir's group.

Captures arrive in batches (:class:`core.search.engine.Found`); each batch is added with
one ``addFeatures`` call and one repaint, so 10,000 results keep the map live. The layer
remembers which feature is which capture (``key``), selects by key and reports the
keys the user selected on the map.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Optional

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ...core.models import Capture
from ...core.search.results import capture_key
from ...toolbelt.capture_layer import MEMORY_URI, capture_feature, style_footprints
from ...toolbelt.i18n import tr
from ...toolbelt.layer_tree import add_to_nadir_group

LAYER_PROPERTY = "nadir/search-results"


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
            features.append(capture_feature(capture, share, fields))
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
