"""The tile grid as a QGIS layer: a memory layer in EPSG:4326 holding the cells in view.

Features are keyed by cell GUID and changed in place: panning adds the cells that came
into view and deletes those that left, a click changes one attribute (``state``), so
nothing is rebuilt. A rule-based style draws the states: unselected, selected, switched
off zone, tile being split (see :class:`~core.grid.selection.CellState`). The layer is
scale-dependent: QGIS itself stops drawing it above the zoom threshold.

The layer is saved with the project like any layer (memory layers come back empty) and
carries a custom property, so on reopening the presenter adopts it instead of adding a
second one. Its features are the presenter's business: the layer is read-only to users.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from typing import Optional

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsFields,
    QgsFillSymbol,
    QgsProject,
    QgsRendererCategory,
    QgsVectorLayer,
)

from ...core.collector import collector_paused
from ...core.grid.model import Batch, CellStore
from ...core.grid.model import zone_label as _zone_label
from ...toolbelt.features import added_ids
from ...toolbelt.geometry import many_to_qgs
from ...toolbelt.i18n import QT_TRANSLATE_NOOP, tr, tr_marked
from ...toolbelt.layer_tree import add_to_nadir_group
from ...toolbelt.styles import GRID, load_style
from .keys import ROLE, ROLE_PROPERTY

FIELDS = (
    "field=guid:string(40)&field=level:string(10)&field=parent:string(40)&field=zone:string(12)"
    "&field=epsg:integer&field=area_km2:double&field=state:string(12)&field=style:string(24)"
)
STATE_FIELD = 6
STYLE_FIELD = 7  # "<state>-<level>": what the renderer categorises on (no expression per feature)
SPLITTING = "splitting"
#: cells per step of :func:`build_features` (a cancelled build stops between steps)
BUILD_STEP = 512

#: a cell to build: GUID, the store's batch holding it and its row there, its state
CellRef = tuple[str, Batch, int, str]
#: a built cell: its feature (no id yet), level and the state it was built with
Built = tuple[QgsFeature, str, str]

#: state -> (symbol properties, rule label); minitiles get thinner outlines
STYLES = {
    "selected": (
        {"color": "255,127,0,110", "outline_color": "217,95,2,255", "outline_width": "0.6"},
        QT_TRANSLATE_NOOP("Nadir", "Selected"),
    ),
    "unselected": (
        {"color": "0,0,0,0", "outline_color": "31,120,180,255", "outline_width": "0.35"},
        QT_TRANSLATE_NOOP("Nadir", "Not selected"),
    ),
    "disabled": (
        {"color": "0,0,0,0", "outline_color": "150,150,150,200", "outline_width": "0.2", "outline_style": "dash"},
        QT_TRANSLATE_NOOP("Nadir", "Zone switched off"),
    ),
    SPLITTING: (
        {"color": "31,120,180,40", "outline_color": "31,120,180,255", "outline_width": "0.35", "outline_style": "dot"},
        QT_TRANSLATE_NOOP("Nadir", "Being split"),
    ),
}


def grid_renderer() -> QgsCategorizedSymbolRenderer:
    """One category per state and level (minitiles with thinner outlines).

    Categorised on a stored ``style`` value rather than rule-based on expressions:
    2,000 cells draw about a third faster, and clicks change a single feature anyway."""
    categories = []
    for state, (props, label) in STYLES.items():
        for level, factor in (("tile", 1.0), ("minitile", 0.6)):
            symbol_props = dict(props)
            symbol_props["outline_width"] = f"{float(props['outline_width']) * factor:.2f}"
            symbol_props["outline_width_unit"] = "MM"
            categories.append(
                QgsRendererCategory(
                    style_of(state, level),
                    QgsFillSymbol.createSimple(symbol_props),
                    (tr("{} (tiles)") if level == "tile" else tr("{} (minitiles)")).format(tr_marked(label)),
                )
            )
    return QgsCategorizedSymbolRenderer("style", categories)


def build_features(
    fields: QgsFields, cells: Sequence[CellRef], cancelled: Callable[[], bool] = lambda: False
) -> dict[str, Built]:
    """The grid features of ``cells``: geometry and attributes, ready for addFeatures.

    Reads only what it is given (store batches never change once built) and touches no
    layer: safe in a task, where the grid builds the cells of a new view while the GUI
    thread stays free. Returns what was built so far if ``cancelled()`` turns true."""
    built: dict[str, Built] = {}
    zones: dict[int, str] = {}
    with collector_paused():  # see GridLayer.sync
        for start in range(0, len(cells), BUILD_STEP):
            if cancelled():
                break
            part = cells[start : start + BUILD_STEP]
            geometries = many_to_qgs([batch.geoms[row] for _, batch, row, _ in part])
            for (guid, batch, row, state), geometry in zip(part, geometries):
                epsg = int(batch.epsgs[row])
                zone = zones.get(epsg)
                if zone is None:
                    zone = zones[epsg] = _zone_label(epsg)
                level = "minitile" if batch.levels[row] else "tile"
                feature = QgsFeature(fields)
                feature.setGeometry(geometry)
                feature.setAttributes(
                    [
                        guid,
                        level,
                        batch.parents[row] or "",
                        zone,
                        epsg,
                        float(batch.areas[row]),
                        state,
                        style_of(state, level),
                    ]
                )
                built[guid] = (feature, level, state)
    return built


def _default_style(layer: QgsVectorLayer) -> None:
    layer.setRenderer(grid_renderer())


def style_of(state: str, level: str) -> str:
    return f"{state}-{level}"


class GridLayer:
    """Owns the grid layer of one project (created on demand, adopted after reopening)."""

    def __init__(self, project: Optional[QgsProject] = None) -> None:
        self.project = project or QgsProject.instance()
        self.layer: Optional[QgsVectorLayer] = None
        self._fids: dict[str, int] = {}
        self._states: dict[str, str] = {}
        self._levels: dict[str, str] = {}
        self._unpainted = False  # changes made with repaint=False
        self._ready: dict[str, Built] = {}  # features built in a task, not yet in the layer

    # -- life cycle ----------------------------------------------------------------------
    def find(self) -> Optional[QgsVectorLayer]:
        for layer in self.project.mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.customProperty(ROLE_PROPERTY) == ROLE:
                return layer
        return None

    def ensure(self, max_scale: float) -> QgsVectorLayer:
        """The grid layer, adopted from the project or created at the top of the tree."""
        if self.layer is not None:
            return self.layer
        layer = self.find()
        if layer is None:
            layer = QgsVectorLayer(f"Polygon?crs=EPSG:4326&{FIELDS}", tr("Nadir tile grid (ClearSKY)"), "memory")
            layer.setCustomProperty(ROLE_PROPERTY, ROLE)
            # rebuilt from the provider's cache: no "scratch layers will be lost" question on close
            layer.setCustomProperty("skipMemoryLayersCheck", 1)
            add_to_nadir_group(self.project, layer).setExpanded(False)  # legend collapsed
        self._adopt(layer, max_scale)
        return layer

    def _adopt(self, layer: QgsVectorLayer, max_scale: float) -> None:
        provider = layer.dataProvider()
        provider.truncate()  # a saved memory layer comes back empty; be sure of it
        # No spatial index: the layer only holds the cells in view (a few thousand at most),
        # and indexing each added feature cost more than rendering scans save.
        load_style(layer, GRID, _default_style)  # resources/styles/grid.qml, or the user's own
        layer.setReadOnly(True)
        self.set_max_scale(layer, max_scale)
        self.layer = layer
        self._fids.clear()
        self._states.clear()
        self._levels.clear()
        self._ready.clear()

    def detach(self) -> None:
        """Forget the layer (it was removed from the project)."""
        self.layer = None
        self._fids.clear()
        self._states.clear()
        self._levels.clear()
        self._ready.clear()

    def remove(self) -> None:
        if self.layer is not None:
            layer_id = self.layer.id()
            self.detach()
            self.project.removeMapLayer(layer_id)

    @staticmethod
    def set_max_scale(layer: QgsVectorLayer, max_scale: float) -> None:
        """Drawn only at scales 1:max_scale or closer (QGIS's "minimum scale")."""
        layer.setScaleBasedVisibility(True)
        layer.setMinimumScale(max_scale)
        layer.setMaximumScale(0.0)

    # -- content ---------------------------------------------------------------------------
    @property
    def displayed(self) -> Set[str]:
        """GUIDs of the cells in the layer (a live read-only view)."""
        return self._fids.keys()

    def state(self, guid: str) -> Optional[str]:
        return self._states.get(guid)

    @property
    def fields(self) -> QgsFields:
        assert self.layer is not None
        return self.layer.fields()

    @staticmethod
    def cells(guids: Iterable[str], states: Mapping[str, str], store: CellStore) -> list[CellRef]:
        """What :func:`build_features` needs for ``guids`` (GUI thread: the store is read here)."""
        refs: list[CellRef] = []
        for guid in guids:
            located = store.locate(guid)
            if located is None:
                raise KeyError(f"grid cell {guid} is not in the store")
            refs.append((guid, *located, states[guid]))
        return refs

    def missing(self, wanted: Iterable[str]) -> list[str]:
        """The cells of ``wanted`` neither in the layer nor built and waiting to be added."""
        fids, ready = self._fids, self._ready
        return [guid for guid in wanted if guid not in fids and guid not in ready]

    def offer(self, built: Mapping[str, Built]) -> None:
        """Features built in a task: :meth:`sync` adds them instead of building them."""
        self._ready.update(built)

    def keep_ready(self, wanted: Mapping[str, str]) -> None:
        """Drop the built features of cells no longer wanted."""
        if self._ready and not all(guid in wanted for guid in self._ready):
            self._ready = {guid: built for guid, built in self._ready.items() if guid in wanted}

    def sync(self, wanted: Mapping[str, str], store: CellStore, repaint: bool = True) -> tuple[int, int, int]:
        """Show exactly the ``wanted`` cells (GUID -> state, all in ``store``).

        ``repaint=False`` leaves the redraw to a later call: each redraw started while
        features are still being added makes the memory provider copy its features again.
        Returns (added, removed, restyled).

        The cyclic collector is paused meanwhile: the thousands of feature and geometry
        wrappers made here die at the end of the call, but any collection during it
        would promote the live ones, and enough promotions start a full collection of
        QGIS's whole Python heap (60-100 ms on the GUI thread) a few turns later."""
        if self.layer is None:
            return (0, 0, 0)
        with collector_paused():
            return self._sync(wanted, store, repaint)

    def _sync(self, wanted: Mapping[str, str], store: CellStore, repaint: bool) -> tuple[int, int, int]:
        assert self.layer is not None  # checked by the caller
        provider = self.layer.dataProvider()
        gone = [guid for guid in self._fids if guid not in wanted]
        if gone:
            provider.deleteFeatures([self._fids.pop(guid) for guid in gone])
            for guid in gone:
                self._states.pop(guid, None)
                self._levels.pop(guid, None)
        fids, states = self._fids, self._states
        changed: dict[str, str] = {}
        new: list[str] = []
        for guid, state in wanted.items():  # one pass: called once per chunk of a view being added
            if guid not in fids:
                new.append(guid)
            elif states.get(guid) != state:
                changed[guid] = state
        restyled = self._restyle(changed)
        if new:
            self._add(new, wanted, store)
        if repaint and (gone or new or restyled or self._unpainted):
            self.layer.triggerRepaint()
            self._unpainted = False
        elif gone or new or restyled:
            self._unpainted = True
        return (len(new), len(gone), restyled)

    def _add(self, new: list[str], wanted: Mapping[str, str], store: CellStore) -> None:
        """Add the features of ``new`` cells: built in a task if offered, else built here."""
        assert self.layer is not None
        provider = self.layer.dataProvider()
        ready = self._ready
        here = [guid for guid in new if guid not in ready]
        built = build_features(self.layer.fields(), self.cells(here, wanted, store)) if here else {}
        features = []
        for guid in new:
            feature, level, state = built.pop(guid) if guid in built else ready.pop(guid)
            if state != wanted[guid]:  # built for an earlier state (e.g. a cover applied meanwhile)
                feature.setAttribute(STATE_FIELD, wanted[guid])
                feature.setAttribute(STYLE_FIELD, style_of(wanted[guid], level))
            self._levels[guid] = level
            features.append(feature)
        ok, added = provider.addFeatures(features)
        if not ok:
            raise RuntimeError(f"the grid layer refused features: {provider.lastError()}")
        for guid, fid in zip(new, added_ids(added)):
            self._fids[guid] = fid
            self._states[guid] = wanted[guid]
        self.layer.updateExtents()

    def restyle(self, states: Mapping[str, str]) -> int:
        """Change the state of displayed cells; returns how many changed."""
        changed = self._restyle(states)
        if changed and self.layer is not None:
            self.layer.triggerRepaint()
        return changed

    def _restyle(self, states: Mapping[str, str]) -> int:
        if self.layer is None:
            return 0
        updates = {}
        for guid, state in states.items():
            fid = self._fids.get(guid)
            if fid is not None and self._states.get(guid) != state:
                updates[fid] = {STATE_FIELD: state, STYLE_FIELD: style_of(state, self._levels[guid])}
                self._states[guid] = state
        if updates:
            self.layer.dataProvider().changeAttributeValues(updates)
        return len(updates)

    def guids_of(self, fids: Iterable[int]) -> list[str]:
        reverse = {fid: guid for guid, fid in self._fids.items()}
        return [reverse[f] for f in fids if f in reverse]
