"""The tile grid presenter: view, fetching, selection, covers.

It owns the core objects (cell store, cache, selection), the grid layer and the tasks.
Widgets and the map tool call it; it never waits for the network on the GUI thread:

- on ``extentsChanged`` (debounced) it shows the cached cells in view and, if the view
  is not fully cached, fetches the missing area in a task; a running fetch for an area
  the view has left is cancelled;
- the features of the cells coming into view are built (geometry and attributes) in a
  task when there are more than ``BUILD_HERE`` of them: the GUI thread only adds them to
  the layer, ``CHUNK`` per event-loop turn. A build the view has moved on from is
  cancelled and its result dropped. Fewer cells (a click's split or merge, a small pan)
  are built at once on the GUI thread, so what a click changes is drawn at once;
- zoomed out beyond the threshold (``Settings.grid_max_scale``) it does nothing and the
  panel shows a hint (QGIS hides the layer by its scale range);
- splitting a tile whose minitiles are not cached fetches them in a task;
- AOI covers are run by :class:`.cover.CoverPresenter` (in a task; applied in steps).

The selection is written into the project when the project is saved and read back
when a project is read (:mod:`core.grid.selection` has the format).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, Optional

from qgis.core import QgsProject
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal
from shapely.geometry.base import BaseGeometry

from ...core.errors import InputError, NadirError, OperationCancelled, StorageError
from ...core.grid.cache import GridCache
from ...core.grid.fetch import MinitilesFetch, TilesFetch, fetch_minitiles, fetch_tiles
from ...core.grid.model import CellStore, in_own_band, zone_label
from ...core.grid.selection import CellState, GridSelection
from ...core.models import CellLevel
from ...core.ports import SupportsGrid, close_adapter
from ...tasks.base import FunctionTask, TaskContext, TaskRunner
from ...toolbelt.core_text import user_message
from ...toolbelt.geometry import extent_to_wgs84
from ...toolbelt.i18n import tr
from ...toolbelt.notify import Notifier
from ...toolbelt.settings import SettingsStore
from .cover import CoverPresenter
from .keys import ENTRY_KEY, ENTRY_SCOPE
from .layer import SPLITTING, Built, GridLayer, build_features
from .service import GridService

#: the grid hides only once zoomed out this many times past the threshold
HYSTERESIS = 1.25
LOGGER = logging.getLogger(__name__)
DEBOUNCE_MS = 150
#: at most this many features are added to the layer per event-loop turn
CHUNK = 400
#: at most this many new cells have their features built on the GUI thread (one tile split
#: into its 256 minitiles appears at once, in 2-3 ms); a view bringing more builds them in a task
BUILD_HERE = 256

ProviderFactory = Callable[[], SupportsGrid]
SELECTED, UNSELECTED = CellState.SELECTED.value, CellState.UNSELECTED.value


class GridPresenter(QObject):
    status_changed = pyqtSignal()  # hint, zones, counts, busy state, last problem

    def __init__(
        self,
        canvas: QgsMapCanvas,
        runner: TaskRunner,
        settings: SettingsStore,
        notifier: Notifier,
        provider_factory: ProviderFactory,
        project: Optional[QgsProject] = None,
        service: Optional[GridService] = None,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.runner = runner
        self.settings = settings
        self.notifier = notifier
        self.provider_factory = provider_factory
        self.project = project or QgsProject.instance()
        self.store = CellStore()
        self.cache = GridCache(self.store)
        self.selection = GridSelection(self.store)
        self.service = service if service is not None else GridService(parent=self)
        self.service.attach(self.selection, self.clear_selection)
        self.layer = GridLayer(self.project)
        self.active = False
        self.zoomed_in = False
        self.scale = 0.0
        self.problem = ""  # last grid loading problem, shown in the panel
        self._view: Optional[BaseGeometry] = None
        self._zones: list[int] = []
        self._fetch: Optional[tuple[FunctionTask, BaseGeometry]] = None
        self._splitting: dict[str, FunctionTask] = {}
        self._unreadable_entry: Optional[str] = None
        self._adapter: Optional[SupportsGrid] = None
        self._connection = settings.current.connection(self.service.provider)
        self._retired: list[SupportsGrid] = []
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_view)
        self._more = QTimer(self)
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        self._more.timeout.connect(self._add_pending)
        self._pending: Optional[dict[str, str]] = None  # a view still being added to the layer
        self._build: Optional[tuple[FunctionTask, frozenset[str], int]] = None  # task, its cells, token
        self._builds = 0  # tokens: a result is applied only if its build is still the current one
        self.covers = CoverPresenter(self, parent=self)
        self.project.layerWillBeRemoved[str].connect(self._layer_removed)

    # ------------------------------------------------------------------ life cycle
    def activate(self, on: bool = True) -> None:
        """Grid mode: the layer is in the project and follows the view."""
        if on == self.active:
            return
        self.active = on
        if on:
            self.layer.ensure(self.settings.current.grid_max_scale)
            self.canvas.extentsChanged.connect(self.schedule_refresh)
            self.canvas.destinationCrsChanged.connect(self.schedule_refresh)
            self.refresh_view()
        else:
            self.canvas.extentsChanged.disconnect(self.schedule_refresh)
            self.canvas.destinationCrsChanged.disconnect(self.schedule_refresh)
            self._cancel_fetch()
            self._cancel_build()
            self.layer.remove()
            self._zones = []
            self.status_changed.emit()

    def shutdown(self) -> None:
        """Plugin unload: stop listening, cancel tasks, leave the project's layer alone."""
        self._debounce.stop()
        self._more.stop()
        self.covers.shutdown()
        if self.active:
            self.canvas.extentsChanged.disconnect(self.schedule_refresh)
            self.canvas.destinationCrsChanged.disconnect(self.schedule_refresh)
            self.active = False
        self.project.layerWillBeRemoved[str].disconnect(self._layer_removed)
        tasks = [
            *self._splitting.values(),
            self._fetch[0] if self._fetch else None,
            self._build[0] if self._build else None,
        ]
        for task in tasks:
            if task is not None:
                task.silenced = True
                task.cancel()
        self._fetch = None
        self._build = None
        self._pending = None
        self._splitting.clear()
        if self._adapter is not None:  # tasks cancelled and silenced: nothing else will use it
            self._retired.append(self._adapter)
            self._adapter = None
        self._close_retired()
        self.layer.detach()

    def _layer_removed(self, layer_id: str) -> None:
        if self.layer.layer is not None and self.layer.layer.id() == layer_id:
            self.layer.detach()
            if self.active:
                self.active = False
                self.canvas.extentsChanged.disconnect(self.schedule_refresh)
                self.canvas.destinationCrsChanged.disconnect(self.schedule_refresh)
                self._cancel_fetch()
                self._cancel_build()
                self._zones = []
                self.status_changed.emit()

    def settings_changed(self) -> None:
        """The zoom threshold applies at once; a changed ClearSKY connection (URL,
        credentials, switched on or off) gets a new adapter and an empty cache."""
        self.zoomed_in = False  # a new threshold applies as set, without the hysteresis
        if self.layer.layer is not None:
            self.layer.set_max_scale(self.layer.layer, self.settings.current.grid_max_scale)
        connection = self.settings.current.connection(self.service.provider)
        if connection != self._connection:
            self._connection = connection
            self._retire_adapter()
            self.cache.clear(keep=self.selection.pinned())
            self.problem = ""
        self.schedule_refresh()

    # ------------------------------------------------------------------ view
    @property
    def threshold(self) -> float:
        return float(self.settings.current.grid_max_scale)

    @property
    def busy(self) -> bool:
        return bool(self._fetch or self._splitting or self._build or self.covers.busy)

    def schedule_refresh(self) -> None:
        self._debounce.start()

    def refresh_view(self) -> None:
        """Show cached cells for the view; fetch what is missing in the background."""
        if not self.active:
            return
        self.scale = float(self.canvas.scale())
        was_in = self.zoomed_in
        # Hysteresis: shown from the threshold on, hidden only past HYSTERESIS times it. The
        # scale wobbles around a threshold (panning changes it in a geographic CRS, and
        # zooming back lands a rounding off): the grid no longer flickers on and off there.
        self.zoomed_in = 0 < self.scale <= self.threshold * (HYSTERESIS if was_in else 1.0)
        if self.zoomed_in != was_in and self.layer.layer is not None:
            self.layer.set_max_scale(self.layer.layer, self.threshold * (HYSTERESIS if self.zoomed_in else 1.0))
        if not self.zoomed_in:
            self._zones = []
            self._cancel_build()  # the view has moved on: hidden, nothing to draw
            self.status_changed.emit()
            return
        settings = self.canvas.mapSettings()
        self._view = extent_to_wgs84(self.canvas.extent(), settings.destinationCrs(), self.project.transformContext())
        self._show_view()
        if self.cache.missing(self._view) is not None:
            self._start_fetch(self._view)
        if not self.covers.applying:  # a cover being applied has cells not pinned yet
            self.cache.trim(self._view, keep=self.selection.pinned())
        self.status_changed.emit()

    def _wanted(self, view: BaseGeometry) -> tuple[dict[str, str], set[int]]:
        """GUID -> state of the cells to draw (the tiles in view, each split one as its
        minitiles: no spatial query over all cached minitiles), and the zones in view."""
        wanted: dict[str, str] = {}
        zones: set[int] = set()
        selection = self.selection
        for guid in self.store.query(view.bounds, CellLevel.TILE):
            epsg = self.store.epsg(guid)
            zones.add(epsg)
            if selection.is_split(guid):  # minitiles share their tile's zone
                if not selection.zone_enabled(epsg):
                    wanted.update(dict.fromkeys(selection.minitiles_of(guid), CellState.DISABLED.value))
                    continue
                for mini in selection.minitiles_of(guid):
                    wanted[mini] = SELECTED if selection.is_selected(mini) else UNSELECTED
            else:
                wanted[guid] = SPLITTING if guid in self._splitting else selection.state(guid).value
        return wanted, zones

    def _show_view(self) -> None:
        """Bring the layer to the cells of the view (states recomputed): at once when few
        cells are new, else once their features are built in a task."""
        if not self.active or self._view is None or not self.zoomed_in:
            return
        wanted, zones = self._wanted(self._view)
        self._pending = wanted
        self._zones = sorted(zones)
        self.layer.keep_ready(wanted)
        missing = self.layer.missing(wanted)
        if self._build is not None and (not missing or not self._build[1].issuperset(missing)):
            self._cancel_build()  # stale: it builds cells this view no longer needs, or not all it needs
        if self._build is None and len(missing) > BUILD_HERE:
            self._start_build(missing, wanted)
        if self._build is not None:
            # Until the new cells arrive the layer keeps the cells that left (no empty map in
            # between); the states of the cells shown change now (clicks stay instant).
            shown = self.layer.displayed
            self.layer.restyle({g: s for g, s in wanted.items() if g in shown})
            return
        self._add_pending()

    def _start_build(self, missing: list[str], wanted: dict[str, str]) -> None:
        self._more.stop()
        cells = self.layer.cells(missing, wanted, self.store)  # the store is read here, on the GUI thread
        fields = self.layer.fields
        self._builds += 1
        token = self._builds
        task = self.run_task(
            tr("Drawing the ClearSKY tile grid"),
            lambda ctx: build_features(fields, cells, ctx.cancelled),
            lambda built: self._built(token, built),
            lambda error: self._build_failed(token, error),
        )
        self._build = (task, frozenset(missing), token)

    def _built(self, token: int, built: dict[str, Built]) -> None:
        """A build's features (GUI thread): added unless the view has moved on since."""
        if self._build is None or self._build[2] != token:
            LOGGER.debug("Grid: a stale build of %d cells dropped", len(built))
            return
        self._build = None
        if self._pending is not None and self.active and self.zoomed_in:
            self.layer.offer(built)
            self.layer.keep_ready(self._pending)
            self._add_pending()
        self.status_changed.emit()

    def _build_failed(self, token: int, error: BaseException) -> None:
        if self._build is None or self._build[2] != token:
            return
        self._build = None
        if not isinstance(error, OperationCancelled):
            self.problem = self.message(error, tr("The tile grid could not be drawn"))
        self.status_changed.emit()

    def _cancel_build(self) -> None:
        if self._build is not None:
            task = self._build[0]
            task.silenced = True
            task.cancel()
            self._build = None

    def _add_pending(self) -> None:
        """Sync the layer with the pending view, adding at most CHUNK new cells per turn
        of the event loop (the rest on the next turns)."""
        wanted = self._pending
        if wanted is None or not self.active or not self.zoomed_in:
            self._pending = None
            return
        if self._build is not None:
            return  # the view's new cells are still being built: added when they arrive
        shown = self.layer.displayed
        new = [g for g in wanted if g not in shown]
        more = len(new) > CHUNK
        if more:
            later = set(new[CHUNK:])
            wanted = {g: s for g, s in wanted.items() if g not in later}
            self._more.start()
        else:
            self._pending = None
        self.layer.sync(wanted, self.store, repaint=not more)

    def zones(self) -> list[tuple[int, bool]]:
        """(EPSG, enabled) of the zones with cells in view."""
        return [(epsg, self.selection.zone_enabled(epsg)) for epsg in self._zones]

    # ------------------------------------------------------------------ fetching
    def source(self) -> Optional[SupportsGrid]:
        """The provider adapter, built once and shared by the grid's tasks.

        Building one resolves credentials and creates an HTTP client with its TLS
        context, which takes a noticeable time on the GUI thread: doing it per pan made
        every fetch stall the map. The client is thread-safe; a new adapter is built
        after the settings change, and the old one closed once no task uses it."""
        if self._adapter is None:
            try:
                self._adapter = self.provider_factory()
            except NadirError as exc:
                self.problem = exc.message
                self.status_changed.emit()
                return None
        return self._adapter

    def _retire_adapter(self) -> None:
        if self._adapter is not None:
            self._retired.append(self._adapter)
            self._adapter = None
        self._close_retired()

    def _close_retired(self) -> None:
        if self._retired and not self.busy:
            for adapter in self._retired:
                close_adapter(adapter)
            self._retired.clear()

    def run_task(
        self,
        description: str,
        work: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> FunctionTask:
        def done(result: Any) -> None:
            try:
                on_done(result)
            finally:
                self._close_retired()

        def failed(error: BaseException) -> None:
            try:
                on_error(error)
            finally:
                self._close_retired()

        return self.runner.run(description, work, done, failed)

    def _start_fetch(self, view: BaseGeometry) -> None:
        if self._fetch is not None:
            task, area = self._fetch
            if area.intersects(view):
                return  # it brings (part of) this view; refresh_view runs again when it ends
            self._cancel_fetch()
        source = self.source()
        if source is None:
            return
        area = self.cache.request_area(view)
        task = self.run_task(
            tr("Loading the ClearSKY tile grid"),
            lambda ctx: fetch_tiles(source, area, ctx.cancelled),
            self._fetched,
            self._fetch_failed,
        )
        self._fetch = (task, area)
        self.status_changed.emit()

    def _cancel_fetch(self) -> None:
        if self._fetch is not None:
            task, _ = self._fetch
            task.silenced = True
            task.cancel()
            self._fetch = None

    def _fetched(self, fetched: TilesFetch) -> None:
        self._fetch = None
        self.problem = ""
        for piece, _ in fetched.areas:
            self.cache.add_area(piece, fetched.batch)
        LOGGER.debug(
            "Grid: %d tiles in %.2f s (provider) + %.3f s (client)",
            len(fetched.batch),
            fetched.timer.provider_s,
            fetched.timer.client_s,
        )
        self.refresh_view()

    def _fetch_failed(self, error: BaseException) -> None:
        self._fetch = None
        if isinstance(error, OperationCancelled):
            return
        self.problem = self.message(error, tr("The tile grid could not be loaded"))
        self.status_changed.emit()

    def message(self, error: BaseException, context: str) -> str:
        return user_message(error, context)

    # ------------------------------------------------------------------ clicks
    def cell_at(self, lon: float, lat: float) -> Optional[str]:
        """The drawn cell under a point; where zones overlap, an enabled zone's cell whose
        own band holds the point comes first."""
        shown = self.layer.displayed
        candidates = [g for g in self.store.at(lon, lat) if g in shown]
        if not candidates:
            return None

        def rank(guid: str) -> tuple[bool, bool]:
            epsg = self.store.epsg(guid)
            return (not self.selection.zone_enabled(epsg), not in_own_band(epsg, lon, lat))

        return min(candidates, key=rank)

    def toggle(self, guid: str) -> bool:
        """Select or unselect a cell (tile or minitile); InputError if not allowed."""
        selected = self.selection.toggle(guid)
        self.selection_changed({guid})
        return selected

    def split(self, tile: str) -> None:
        """Show a tile as its minitiles (fetched in a task unless cached)."""
        if self.store.is_minitile(tile) or self.selection.is_split(tile) or tile in self._splitting:
            return
        epsg = self.store.epsg(tile)
        if not self.selection.zone_enabled(epsg):
            raise InputError(
                tr("UTM zone {} is switched off: switch it on to split its tiles.").format(zone_label(epsg))
            )
        cached = self.cache.minitiles_of(tile)
        if cached is not None:
            self.selection_changed(self.selection.split(tile, cached))
            return
        source = self.source()
        if source is None:
            raise InputError(self.problem)
        task = self.run_task(
            tr("Splitting a ClearSKY tile"),
            lambda ctx: fetch_minitiles(source, [tile], cancelled=ctx.cancelled),
            lambda fetched: self._split_fetched(tile, fetched),
            lambda error: self._split_failed(tile, error),
        )
        self._splitting[tile] = task
        self.layer.restyle({tile: SPLITTING})
        self.status_changed.emit()

    def _split_fetched(self, tile: str, fetched: MinitilesFetch) -> None:
        self._splitting.pop(tile, None)
        self.cache.add_minitiles(fetched.batch, fetched.lists)
        changed = set()
        if tile in self.store and not self.selection.is_split(tile):
            try:
                changed = self.selection.split(tile, fetched.lists.get(tile, []))
            except InputError as exc:  # e.g. its zone was switched off meanwhile
                self.notifier.warning(exc.message)
        self.selection_changed(changed | {tile})

    def _split_failed(self, tile: str, error: BaseException) -> None:
        self._splitting.pop(tile, None)
        self.selection_changed({tile})
        if not isinstance(error, OperationCancelled):
            self.notifier.error(self.message(error, tr("The tile could not be split")))

    def merge(self, tile: str) -> bool:
        """Merge a split tile back; it is selected iff any of its minitiles was."""
        changed = self.selection.merge(tile)
        self.selection_changed(changed)
        return self.selection.is_selected(tile)

    # ------------------------------------------------------------------ zones, clear
    def set_zone_enabled(self, epsg: int, enabled: bool) -> None:
        if self.selection.set_zone_enabled(epsg, enabled):
            self.selection_changed({g for g in self.layer.displayed if self.store.epsg(g) == epsg})

    def clear_selection(self) -> None:
        self.selection_changed(self.selection.clear())

    def selection_changed(self, guids: Iterable[str]) -> None:
        """After any selection change: redraw what changed, tell everyone, mark the project."""
        guids = guids if isinstance(guids, (set, frozenset)) else set(guids)
        if self.active and self.zoomed_in and self._view is not None:
            self._show_view()  # splits and merges change which cells are drawn
        shown = self.layer.displayed
        # a cover changes tens of thousands of cells, of which a few thousand are drawn
        touched = (g for g in shown if g in guids) if len(guids) > len(shown) else (g for g in guids if g in shown)
        self.layer.restyle({g: (SPLITTING if g in self._splitting else self.selection.state(g).value) for g in touched})
        self.service.notify()
        self.status_changed.emit()
        if guids:
            self.project.setDirty(True)

    # ------------------------------------------------------------------ project
    def write_project(self, *_: Any) -> None:
        """Store the selection in the project (called as the project is written)."""
        if len(self.selection) or self.selection.split_tiles or self.selection.disabled_zones:
            self.project.writeEntry(ENTRY_SCOPE, ENTRY_KEY, self.selection.dumps())
        elif self._unreadable_entry is not None:
            self.project.writeEntry(ENTRY_SCOPE, ENTRY_KEY, self._unreadable_entry)  # never lose it silently
        else:
            self.project.removeEntry(ENTRY_SCOPE, ENTRY_KEY)

    def read_project(self, *_: Any) -> None:
        """Restore the selection of the project just read, and adopt its grid layer."""
        self._reset()
        text, found = self.project.readEntry(ENTRY_SCOPE, ENTRY_KEY, "")
        if found and text:
            try:
                self.selection.loads(text)
            except StorageError as exc:
                self._unreadable_entry = text
                self.notifier.warning(exc.message, exc.details)
        if self.layer.find() is not None and not self.active:
            self.activate(True)
        self.service.notify()
        self.status_changed.emit()

    def project_cleared(self) -> None:
        self._reset()
        self.service.notify()
        self.status_changed.emit()

    def _reset(self) -> None:
        self._unreadable_entry = None
        self.selection.reset()
        self.covers.last = None
