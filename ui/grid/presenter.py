"""The tile grid presenter: view, fetching, selection, covers (DESIGN.md F2).

It owns the core objects (cell store, cache, selection), the grid layer and the tasks.
Widgets and the map tool call it; it never waits for the network on the GUI thread:

- on ``extentsChanged`` (debounced) it shows the cached cells in view at once and, if
  the view is not fully cached, fetches the missing area in a task; a running fetch
  for an area the view has left is cancelled;
- zoomed out beyond the threshold (``Settings.grid_max_scale``) it does nothing and the
  panel shows a hint (QGIS hides the layer by its scale range);
- splitting a tile whose minitiles are not cached fetches them in a task;
- an AOI cover runs entirely in a task (provider calls and geometry), and only its
  result is applied on the GUI thread.

The selection is written into the project when the project is saved and read back
when a project is read (:mod:`core.grid_selection` has the format).
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
from ...core.grid import CellStore, in_own_band, zone_label
from ...core.grid_cache import GridCache
from ...core.grid_cover import CoverResult
from ...core.grid_fetch import (
    CoverOutcome,
    GridSource,
    MinitilesFetch,
    TilesFetch,
    cover_aoi,
    fetch_minitiles,
    fetch_tiles,
)
from ...core.grid_selection import GridSelection
from ...core.models import CellLevel
from ...tasks.base import FunctionTask, TaskContext, TaskRunner
from ...toolbelt.geometry import extent_to_wgs84
from ...toolbelt.i18n import tr
from ...toolbelt.notify import Notifier
from ...toolbelt.settings import SettingsStore
from .keys import ENTRY_KEY, ENTRY_SCOPE
from .layer import SPLITTING, GridLayer
from .service import GridService

LOGGER = logging.getLogger(__name__)
DEBOUNCE_MS = 150
#: at most this many features are added to the layer per event-loop turn
CHUNK = 400

ProviderFactory = Callable[[], GridSource]


class GridPresenter(QObject):
    status_changed = pyqtSignal()  # hint, zones, counts, busy state, last problem
    cover_done = pyqtSignal(object)  # CoverResult

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
        self.last_cover: Optional[CoverResult] = None
        self._view: Optional[BaseGeometry] = None
        self._zones: list[int] = []
        self._fetch: Optional[tuple[FunctionTask, BaseGeometry]] = None
        self._splitting: dict[str, FunctionTask] = {}
        self._cover_task: Optional[FunctionTask] = None
        self._unreadable_entry: Optional[str] = None
        self._adapter: Optional[GridSource] = None
        self._connection = settings.current.connection(self.service.provider)
        self._retired: list[GridSource] = []
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_view)
        self._more = QTimer(self)
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        self._more.timeout.connect(self._show_view)
        self._steps: list[Callable[[], None]] = []  # a cover being applied, step by step
        self._step_timer = QTimer(self)
        self._step_timer.setSingleShot(True)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._next_step)
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
            self.layer.remove()
            self._zones = []
            self.status_changed.emit()

    def shutdown(self) -> None:
        """Plugin unload: stop listening, cancel tasks, leave the project's layer alone."""
        self._debounce.stop()
        self._more.stop()
        self._step_timer.stop()
        self._steps.clear()
        if self.active:
            self.canvas.extentsChanged.disconnect(self.schedule_refresh)
            self.canvas.destinationCrsChanged.disconnect(self.schedule_refresh)
            self.active = False
        self.project.layerWillBeRemoved[str].disconnect(self._layer_removed)
        tasks = [*self._splitting.values(), self._cover_task, self._fetch[0] if self._fetch else None]
        for task in tasks:
            if task is not None:
                task.silenced = True
                task.cancel()
        self._fetch, self._cover_task = None, None
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
                self._zones = []
                self.status_changed.emit()

    def settings_changed(self) -> None:
        """The zoom threshold applies at once; a changed ClearSKY connection (URL,
        credentials, switched on or off) gets a new adapter and an empty cache."""
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
        return bool(self._fetch or self._splitting or self._cover_task or self._steps)

    def schedule_refresh(self) -> None:
        self._debounce.start()

    def refresh_view(self) -> None:
        """Show cached cells for the view; fetch what is missing in the background."""
        if not self.active:
            return
        self.scale = float(self.canvas.scale())
        self.zoomed_in = 0 < self.scale <= self.threshold
        if not self.zoomed_in:
            self._zones = []
            self.status_changed.emit()
            return
        settings = self.canvas.mapSettings()
        self._view = extent_to_wgs84(self.canvas.extent(), settings.destinationCrs(), self.project.transformContext())
        self._show_view()
        if self.cache.missing(self._view) is not None:
            self._start_fetch(self._view)
        if not self._steps:  # a cover being applied has cells not pinned yet
            self.cache.trim(self._view, keep=self.selection.pinned())
        self.status_changed.emit()

    def _wanted(self, view: BaseGeometry) -> dict[str, str]:
        """GUID -> state of the cells to draw: unsplit tiles, and minitiles of split tiles."""
        bounds = view.bounds
        wanted: dict[str, str] = {}
        for guid in self.store.query(bounds, CellLevel.TILE):
            if not self.selection.is_split(guid):
                wanted[guid] = SPLITTING if guid in self._splitting else self.selection.state(guid).value
        for guid in self.store.query(bounds, CellLevel.MINITILE):
            parent = self.store.cell(guid).parent
            if parent is not None and self.selection.is_split(parent):
                wanted[guid] = self.selection.state(guid).value
        return wanted

    def _show_view(self) -> None:
        if not self.active or self._view is None or not self.zoomed_in:
            return
        wanted = self._wanted(self._view)
        self._zones = sorted({self.store.cell(g).epsg for g in wanted})
        shown = self.layer.displayed
        new = [g for g in wanted if g not in shown]
        if len(new) > CHUNK:  # add the rest on the next turns of the event loop
            later = set(new[CHUNK:])
            wanted = {g: s for g, s in wanted.items() if g not in later}
            self._more.start()
        self.layer.sync(wanted, self.store)

    def zones(self) -> list[tuple[int, bool]]:
        """(EPSG, enabled) of the zones with cells in view."""
        return [(epsg, self.selection.zone_enabled(epsg)) for epsg in self._zones]

    # ------------------------------------------------------------------ fetching
    def _source(self) -> Optional[GridSource]:
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
                close = getattr(adapter, "close", None)
                if callable(close):
                    close()
            self._retired.clear()

    def _run(self, description: str, work: Callable[[TaskContext], Any],
             on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> FunctionTask:
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
        source = self._source()
        if source is None:
            return
        area = self.cache.request_area(view)
        task = self._run(tr("Loading the ClearSKY tile grid"),
                         lambda ctx: fetch_tiles(source, area, ctx.cancelled),
                         self._fetched, self._fetch_failed)
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
        LOGGER.debug("Grid: %d tiles in %.2f s (provider) + %.3f s (client)", len(fetched.batch),
                     fetched.timer.provider_s, fetched.timer.client_s)
        self.refresh_view()

    def _fetch_failed(self, error: BaseException) -> None:
        self._fetch = None
        if isinstance(error, OperationCancelled):
            return
        self.problem = self._message(error, tr("The tile grid could not be loaded"))
        self.status_changed.emit()

    def _message(self, error: BaseException, context: str) -> str:
        if isinstance(error, NadirError):
            return f"{context}: {error.message}"
        LOGGER.error("%s", context, exc_info=error)
        return f"{context}: {tr('unexpected error, see the Nadir log')}"

    # ------------------------------------------------------------------ clicks
    def cell_at(self, lon: float, lat: float) -> Optional[str]:
        """The drawn cell under a point; where zones overlap, an enabled zone's cell whose
        own band holds the point comes first."""
        shown = self.layer.displayed
        candidates = [g for g in self.store.at(lon, lat) if g in shown]
        if not candidates:
            return None

        def rank(guid: str) -> tuple[bool, bool]:
            epsg = self.store.cell(guid).epsg
            return (not self.selection.zone_enabled(epsg), not in_own_band(epsg, lon, lat))

        return min(candidates, key=rank)

    def toggle(self, guid: str) -> bool:
        """Select or unselect a cell (tile or minitile); InputError if not allowed."""
        selected = self.selection.toggle(guid)
        self._changed({guid})
        return selected

    def split(self, tile: str) -> None:
        """Show a tile as its minitiles (fetched in a task unless cached)."""
        cell = self.store.cell(tile)
        if cell.level is not CellLevel.TILE or self.selection.is_split(tile) or tile in self._splitting:
            return
        if not self.selection.zone_enabled(cell.epsg):
            raise InputError(tr("UTM zone {} is switched off: switch it on to split its tiles.").format(
                zone_label(cell.epsg)))
        cached = self.cache.minitiles_of(tile)
        if cached is not None:
            self._changed(self.selection.split(tile, cached))
            return
        source = self._source()
        if source is None:
            raise InputError(self.problem)
        task = self._run(tr("Splitting a ClearSKY tile"),
                         lambda ctx: fetch_minitiles(source, [tile], cancelled=ctx.cancelled),
                         lambda fetched: self._split_fetched(tile, fetched),
                         lambda error: self._split_failed(tile, error))
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
        self._changed(changed | {tile})

    def _split_failed(self, tile: str, error: BaseException) -> None:
        self._splitting.pop(tile, None)
        self._changed({tile})
        if not isinstance(error, OperationCancelled):
            self.notifier.error(self._message(error, tr("The tile could not be split")))

    def merge(self, tile: str) -> bool:
        """Merge a split tile back; it is selected iff any of its minitiles was."""
        changed = self.selection.merge(tile)
        self._changed(changed)
        return self.selection.is_selected(tile)

    # ------------------------------------------------------------------ zones, clear
    def set_zone_enabled(self, epsg: int, enabled: bool) -> None:
        if self.selection.set_zone_enabled(epsg, enabled):
            self._changed({g for g in self.layer.displayed if self.store.cell(g).epsg == epsg})

    def clear_selection(self) -> None:
        self._changed(self.selection.clear())

    def _changed(self, guids: Iterable[str]) -> None:
        """After any selection change: redraw what changed, tell everyone, mark the project."""
        guids = set(guids)
        if self.active and self.zoomed_in and self._view is not None:
            self._show_view()  # splits and merges change which cells are drawn
        shown = self.layer.displayed
        self.layer.restyle({g: (SPLITTING if g in self._splitting else self.selection.state(g).value)
                            for g in guids if g in shown})
        self.service.notify()
        self.status_changed.emit()
        if guids:
            self.project.setDirty(True)

    # ------------------------------------------------------------------ AOI cover
    def cover(self, aoi: BaseGeometry, level: CellLevel) -> None:
        """Select the cells covering an AOI (lon/lat shapely) at tile or minitile level."""
        if self._cover_task is not None or self._steps:
            raise InputError(tr("A cover is already being computed; wait for it to finish."))
        source = self._source()
        if source is None:
            raise InputError(self.problem)
        disabled = self.selection.disabled_zones
        known = self.cache.known_minitiles() if level is CellLevel.MINITILE else {}
        self._cover_task = self._run(
            tr("Selecting ClearSKY cells covering an AOI"),
            lambda ctx: cover_aoi(source, aoi, level, disabled, known, ctx.cancelled, ctx.progress),
            self._covered, self._cover_failed)
        self.status_changed.emit()

    def _covered(self, outcome: CoverOutcome) -> None:
        """Apply a finished cover in steps, one per event-loop turn, so that a cover of
        tens of thousands of cells never freezes the map for long."""
        self._cover_task = None
        lists = outcome.minitiles.lists if outcome.minitiles is not None else {}
        changed: set[str] = set()

        def store_cells() -> None:
            for piece, _ in outcome.tiles.areas:
                self.cache.add_area(piece, outcome.tiles.batch)
            if outcome.minitiles is not None:
                self.cache.add_minitiles(outcome.minitiles.batch, outcome.minitiles.lists)

        def select() -> None:
            changed.update(self.selection.apply_cover(outcome.result, lists))

        def finish() -> None:
            self.last_cover = outcome.result
            LOGGER.info("Cover: %d cells, ratio %.3f; provider %.2f s, client %.3f s", len(outcome.result.guids),
                        outcome.result.ratio, outcome.timer.provider_s, outcome.timer.client_s)
            self._changed(changed)
            self.cover_done.emit(outcome.result)

        self._steps = [store_cells, select, finish]
        self._next_step()

    def _next_step(self) -> None:
        if not self._steps:
            return
        step = self._steps.pop(0)
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a bug must not leave the grid half-updated silently
            self._steps.clear()
            self.notifier.exception(exc, tr("The covering cells could not be selected"))
        if self._steps:
            self._step_timer.start()
        else:
            self.status_changed.emit()

    def _cover_failed(self, error: BaseException) -> None:
        self._cover_task = None
        self.status_changed.emit()
        if not isinstance(error, OperationCancelled):
            self.notifier.error(self._message(error, tr("The cells covering the AOI could not be selected")))

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
        self.last_cover = None
