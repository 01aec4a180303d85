"""The footprints of an archive search as one memory layer in Nadir's group.

Captures arrive in batches (:class:`core.search.engine.Found`); each batch is added with
one ``addFeatures`` call and one repaint, so 10,000 results keep the map live. The layer
remembers which feature is which capture (``key``), selects by key and reports the
keys the user selected on the map.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Optional

from qgis.core import QgsFeature, QgsFields, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ...core.models import Capture
from ...core.search.engine import Found
from ...core.search.results import capture_key
from ...toolbelt.features import added_ids
from ...toolbelt.i18n import tr
from ...toolbelt.layer_tree import add_to_nadir_group
from ...toolbelt.search.layer import MEMORY_URI, CaptureFeatures, capture_fields, style_footprints

LAYER_PROPERTY = "nadir/search-results"
#: while batches stream in, the map redraws at most this often (each redraw renders every
#: layer of the map again; a redraw per batch kept QGIS busy starting renders)
REPAINT_MS = 400


@dataclass(frozen=True)
class PreparedBatch:
    """A batch of captures with their features built on the worker thread, so the GUI
    thread only hands them to the layer."""

    found: Found
    keys: tuple[str, ...]
    features: tuple[QgsFeature, ...]
    #: what the GUI thread is done with once the batch is in the layer (the provider's
    #: copies of the features); set by :meth:`ResultsLayer.add_batch`, freed with the batch
    spent: list[object] = field(default_factory=list)

    @property
    def consumed(self) -> bool:
        return bool(self.spent)


def prepare_batch(found: Found, factory: CaptureFeatures) -> PreparedBatch:
    """Worker thread: the features of a batch (QgsFeature and QgsGeometry are plain values)."""
    keys = tuple(capture_key(c) for c in found.captures)
    wkbs = found.wkbs or (None,) * len(keys)
    return PreparedBatch(found, keys, factory.many(found.captures, found.coverage, keys, wkbs))


class BatchRelease:
    """Keeps the batches a worker published until the GUI thread has put them in the
    layer, then lets them go on the worker.

    Freeing a feature is a call into QGIS too (see :mod:`toolbelt.features`): freeing a
    batch's 2,000 features (its own and the provider's copies) on the GUI thread while
    the worker parses stalled the map for seconds; on the worker it costs microseconds."""

    def __init__(self) -> None:
        self._held: deque[PreparedBatch] = deque()

    def hold(self, batch: PreparedBatch) -> None:
        self._let_go()
        self._held.append(batch)

    def _let_go(self) -> None:
        while self._held and self._held[0].consumed:
            self._held.popleft()

    def close(self) -> None:
        """The search ended: the batches the GUI thread has not added yet are freed there."""
        self._let_go()
        self._held.clear()


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
        self._repaint = QTimer(self)
        self._repaint.setSingleShot(True)
        self._repaint.setInterval(REPAINT_MS)
        self._repaint.timeout.connect(self._repaint_now)

    def _repaint_now(self) -> None:
        if self.layer is not None and self.project.mapLayer(self.layer.id()) is not None:
            self.layer.triggerRepaint()

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

    @staticmethod
    def fields() -> QgsFields:
        return capture_fields()

    def add(self, captures: Sequence[Capture], coverage: Sequence[Optional[float]]) -> int:
        """Add one batch, building its features here. Returns the features added."""
        factory = CaptureFeatures(self._ensure().fields())
        return self.add_batch(prepare_batch(Found("", tuple(captures), tuple(coverage)), factory))

    def add_batch(self, batch: PreparedBatch) -> int:
        """Add one batch of ready features: one provider call, one repaint. A capture
        already shown (a provider's pages overlapping) is not added twice. Returns the
        features added."""
        layer = self._ensure()
        features, keys, seen = [], [], set()
        for key, feature in zip(batch.keys, batch.features):
            if key not in self._fid_of and key not in seen:
                seen.add(key)
                features.append(feature)
                keys.append(key)
        if not features:
            batch.spent.append(())
            return 0
        first = not self._fid_of
        ok, added = layer.dataProvider().addFeatures(features)
        batch.spent.append(added)
        if ok:
            for key, fid in zip(keys, added_ids(added)):
                self._fid_of[key] = fid
                self._key_of[fid] = key
        layer.updateExtents()
        if first:  # the first footprints show at once, later ones with the next redraw
            self._repaint.stop()
            layer.triggerRepaint()
        elif not self._repaint.isActive():
            self._repaint.start()
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
