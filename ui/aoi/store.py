"""The AOI service other features use (an :class:`AoiStore`): ``AOIS`` in :mod:`ui.services`.

It mirrors the project's AOI layer (:class:`toolbelt.aoi.layer.AoiLayer`): the layer is
the record, the store the in-memory view with a ``changed`` signal. It follows the
project (opened, cleared, written) and the layer (features deleted or edited with
QGIS's own tools, layer removed), so the dock and the ordering flow always see what
the map shows.

For other features:

* :meth:`aois` every AOI, in layer order; :meth:`chosen` the ones ticked for an order;
* ``changed`` fires after any change; :meth:`get` finds one by id;
* :meth:`check` applies the provider rules (``core.aoi.rules``) to an AOI.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Optional

from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ...core.aoi import rules as aoi_rules
from ...core.aoi.model import Aoi, Problem
from ...core.errors import NadirError
from ...toolbelt.aoi.layer import AoiLayer, StoredAoi, aoi_from_feature

LOGGER = logging.getLogger(__name__)


class AoiStore(QObject):
    changed = pyqtSignal()

    def __init__(self, project: Optional[QgsProject] = None, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.max_areas: dict[str, float] = {}  # account limits learned at run time, per provider
        self.project = project or QgsProject.instance()
        self.storage = AoiLayer(self.project)
        self._items: list[StoredAoi] = []
        self._watched: Optional[QgsVectorLayer] = None
        self._writing = False
        self._edited: set[int] = set()  # features changed with QGIS's editing tools
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.reload)
        self.project.readProject.connect(self._project_changed)
        self.project.cleared.connect(self._project_changed)
        self.project.writeProject.connect(self._before_write)
        self.project.layersAdded.connect(self._layers_added)
        self.reload()

    def close(self) -> None:
        """Disconnect from the project (plugin unload)."""
        self._reload_timer.stop()
        for signal, slot in (
            (self.project.readProject, self._project_changed),
            (self.project.cleared, self._project_changed),
            (self.project.writeProject, self._before_write),
            (self.project.layersAdded, self._layers_added),
        ):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._watch(None)

    # -- reading --------------------------------------------------------------------
    def aois(self) -> list[Aoi]:
        return [item.aoi for item in self._items]

    def chosen(self) -> list[Aoi]:
        return [item.aoi for item in self._items if item.use and item.aoi.valid]

    def is_chosen(self, aoi_id: str) -> bool:
        item = self._item(aoi_id)
        return bool(item and item.use)

    def get(self, aoi_id: str) -> Optional[Aoi]:
        item = self._item(aoi_id)
        return item.aoi if item else None

    def layer(self) -> Optional[QgsVectorLayer]:
        return self.storage.find()

    def check(self, aoi: Aoi, provider: str, max_area_km2: Optional[float] = None) -> list[Problem]:
        return aoi_rules.check(aoi, provider, max_area_km2 or self.max_areas.get(provider))

    def set_max_area(self, provider: str, km2: Optional[float]) -> None:
        """An account limit learned at run time (ClearSKY's ``MaxCompositeAreaKm2``, read by
        the ordering feature): the AOI checks apply it from now on."""
        if km2 is None:
            self.max_areas.pop(provider, None)
        else:
            self.max_areas[provider] = km2
        self.changed.emit()

    def total_area_km2(self, only_chosen: bool = False) -> float:
        return sum(a.area_km2 for a in (self.chosen() if only_chosen else self.aois()))

    def _item(self, aoi_id: str) -> Optional[StoredAoi]:
        return next((item for item in self._items if item.aoi.id == aoi_id), None)

    # -- changes --------------------------------------------------------------------
    def add(self, aois: Sequence[Aoi], use: bool = True) -> None:
        if not aois:
            return
        with self._guard():
            fids = self.storage.add(aois, use)
        # The AOIs are known: no need to read (and convert) them back from the layer.
        self._items.extend(StoredAoi(a, use, fids[a.id]) for a in aois)
        self._watch(self.storage.find())
        self.changed.emit()

    def replace(self, aoi: Aoi) -> None:
        """Same id, new shape or name (repair, simplify, rename)."""
        item = self._item(aoi.id)
        if item is None:
            return
        with self._guard():
            self.storage.replace(item.fid, aoi)
        self.reload()

    def rename(self, aoi_id: str, name: str) -> None:
        aoi = self.get(aoi_id)
        if aoi is not None and name.strip() and name.strip() != aoi.name:
            self.replace(aoi.renamed(name))

    def set_chosen(self, aoi_ids: Iterable[str], use: bool) -> None:
        fids = [item.fid for item in self._items if item.aoi.id in set(aoi_ids)]
        with self._guard():
            self.storage.set_attribute(fids, "use", int(use))
        self.reload()

    def delete(self, aoi_ids: Iterable[str]) -> None:
        ids = set(aoi_ids)
        with self._guard():
            self.storage.delete(item.fid for item in self._items if item.aoi.id in ids)
        self.reload()

    def replace_with(self, aoi_id: str, new: Sequence[Aoi]) -> None:
        """Swap one AOI for several (split into polygons), keeping its chosen flag."""
        item = self._item(aoi_id)
        if item is None:
            return
        with self._guard():
            self.storage.add(new, item.use)
            self.storage.delete([item.fid])
        self.reload()

    def reload(self) -> None:
        self._reload_timer.stop()
        layer = self.storage.find()
        if self._edited and layer is not None and not layer.isEditable():
            self._revalidate_edited(layer)
        self._items = self.storage.read()
        self._watch(layer)
        self.changed.emit()

    def _revalidate_edited(self, layer: QgsVectorLayer) -> None:
        """Features drawn or reshaped with QGIS's tools get their area and checks again."""
        fids, self._edited = self._edited, set()
        request = QgsFeatureRequest().setFilterFids(list(fids))
        for feature in layer.getFeatures(request):
            stored = aoi_from_feature(feature, trust_attributes=False)
            if stored is None:
                continue
            try:
                with self._guard():
                    self.storage.replace(feature.id(), stored.aoi)
            except NadirError as exc:
                LOGGER.warning("Could not update the edited AOI %s: %s", feature.id(), exc)

    # -- plumbing -------------------------------------------------------------------
    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Our own writes do not trigger a second reload through the layer's signals."""
        self._writing = True
        try:
            yield
        finally:
            self._writing = False

    def _watch(self, layer: Optional[QgsVectorLayer]) -> None:
        if layer is self._watched:
            return
        if self._watched is not None:
            try:
                for signal in self._layer_signals(self._watched):
                    signal.disconnect(self._layer_edited)
                self._watched.willBeDeleted.disconnect(self._layer_removed)
            except (TypeError, RuntimeError):
                pass
        self._watched = layer
        if layer is not None:
            for signal in self._layer_signals(layer):
                signal.connect(self._layer_edited)
            layer.willBeDeleted.connect(self._layer_removed)

    @staticmethod
    def _layer_signals(layer: QgsVectorLayer) -> list[Any]:
        return [
            layer.committedFeaturesAdded,
            layer.committedFeaturesRemoved,
            layer.committedGeometriesChanges,
            layer.committedAttributeValuesChanges,
            layer.dataSourceChanged,
            layer.editingStopped,
        ]

    def _layer_edited(self, *args: object) -> None:
        if self._writing:
            return
        if len(args) == 2 and isinstance(args[1], dict):  # committedGeometriesChanges
            self._edited.update(int(fid) for fid in args[1])
        elif len(args) == 2 and isinstance(args[1], list):  # committedFeaturesAdded
            self._edited.update(int(f.id()) for f in args[1] if hasattr(f, "id"))
        self._reload_timer.start()

    def _layer_removed(self) -> None:
        self._watched = None
        self._items = []
        self.changed.emit()

    def _layers_added(self, layers: list[object]) -> None:
        if self._watched is None and self.storage.find() is not None:
            self._reload_timer.start()

    def _project_changed(self, *args: object) -> None:
        self._watch(None)
        self._reload_timer.start()

    def _before_write(self, *args: object) -> None:
        self.storage.checkpoint()
