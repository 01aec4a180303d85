"""Runs archive searches for the Search section and keeps its layer and table in step.

A search is one task (:func:`core.search.engine.search_providers`) whose batches arrive
on the GUI thread through the task's partial-results channel: each :class:`Found` batch
goes into the footprints layer and the table at once, so the first captures show while
the rest are still being read, and each :class:`Failed` provider adds one line to the
status while the others go on. A new search cancels the one running; Stop cancels it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Optional

from qgis.core import QgsFields
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ...core import collector
from ...core.errors import InputError, NadirError, OperationCancelled
from ...core.models import Capture, GeoJSON, SearchQuery, SearchSource
from ...core.provider_info import PROVIDERS
from ...core.search.engine import Failed, Found, ProviderSearch, SearchOutcome, search_providers
from ...tasks.base import TaskContext, TaskRunner
from ...toolbelt.i18n import tr
from ...toolbelt.search.layer import CaptureFeatures
from ...toolbelt.settings import SettingsStore
from .layer import BatchRelease, PreparedBatch, ResultsLayer, prepare_batch
from .table import ResultsModel

LOGGER = logging.getLogger(__name__)

#: the archive providers, in the order the section lists them
ARCHIVE_PROVIDERS = ("geopera", "oneatlas", "up42")
AdapterFactory = Callable[[str, Any], Any]


@dataclass(frozen=True)
class SearchRequest:
    """What the form asks for. ``aoi`` is EPSG:4326 GeoJSON (an AOI, the selected features
    or the view extent)."""

    providers: tuple[str, ...]
    aoi: Optional[GeoJSON]
    start: datetime
    end: datetime
    max_cloud: Optional[float] = None
    max_incidence: Optional[float] = None
    limit: int = 500
    #: the UP42 collection to search, with its host (UP42 searches one host at a time)
    up42_source: Optional[SearchSource] = None
    aoi_label: str = ""


@dataclass
class SearchState:
    running: bool = False
    started: float = 0.0
    first_batch_after: Optional[float] = None
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[Failed] = field(default_factory=list)
    cancelled: bool = False
    done: bool = False


def check_request(request: SearchRequest) -> Optional[tuple[str, str]]:
    """(field, message) for a request that cannot be sent, else None."""
    if not request.providers:
        return "providers", tr("Choose at least one provider to search.")
    if request.aoi is None:
        return "aoi", tr("Choose where to search: an AOI, the selected features or the map view.")
    if request.end <= request.start:
        return "dates", tr("The end date is before the start date. Choose an end after the start.")
    if "up42" in request.providers and request.up42_source is None:
        return "collections", tr("Choose the UP42 collection to search (UP42 searches one host at a time).")
    return None


def provider_queries(request: SearchRequest) -> list[ProviderSearch]:
    base = {
        "geometry": request.aoi or {},
        "start": request.start,
        "end": request.end,
        "max_cloud": request.max_cloud,
        "max_incidence": request.max_incidence,
        "limit": request.limit,
        "page_size": max(1, min(request.limit, 100)),
    }
    searches = []
    for provider in request.providers:
        extra: dict[str, Any] = {}
        if provider == "up42" and request.up42_source is not None:
            extra = {"host": request.up42_source.host, "collections": (request.up42_source.collection,)}
        searches.append(ProviderSearch(provider, SearchQuery(**base, **extra)))
    return searches


def run_search(
    searches: Sequence[ProviderSearch],
    adapters: dict[str, Any],
    aoi: Optional[GeoJSON],
    ctx: TaskContext,
    fields: Optional[QgsFields] = None,
) -> SearchOutcome:
    """Task work: search each provider with the adapter made for it on the GUI thread;
    with ``fields``, each batch's features are built here, off the GUI thread."""
    titles = {p: PROVIDERS[p].title for p in PROVIDERS}
    factory = CaptureFeatures(fields) if fields is not None else None
    release = BatchRelease()

    def publish(value: object) -> None:
        if factory is not None and isinstance(value, Found):
            value = prepare_batch(value, factory)
            release.hold(value)
        ctx.publish(value)

    try:
        return search_providers(
            searches, adapters.__getitem__, publish, aoi=aoi, titles=titles, cancelled=ctx.cancelled
        )
    finally:
        release.close()


def load_sources(adapter: Any, ctx: TaskContext) -> list[SearchSource]:
    """Task work: the collections and hosts a provider offers for search."""
    try:
        return list(adapter.search_sources())
    finally:
        adapter.close()


class SearchPresenter(QObject):
    status_changed = pyqtSignal(str)
    #: (field, message) of the form field a problem is about; ("", "") clears
    field_problem = pyqtSignal(str, str)
    running_changed = pyqtSignal(bool)
    #: UP42's searchable collections arrived (list of SearchSource)
    sources_loaded = pyqtSignal(list)
    #: rows to select in the table (keys), after the user selected on the map
    map_selection = pyqtSignal(list)

    def __init__(
        self,
        runner: TaskRunner,
        settings: SettingsStore,
        adapters: AdapterFactory,
        layer: ResultsLayer,
        model: ResultsModel,
        parent: Optional[QObject] = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.adapters = adapters
        self.layer = layer
        self.model = model
        self.clock = clock
        self.state = SearchState()
        self.request: Optional[SearchRequest] = None
        self._task: Any = None
        self._sources_task: Any = None
        self.sources: list[SearchSource] = []
        layer.selection_changed.connect(self.map_selection)

    # ------------------------------------------------------------------ sources
    def load_sources(self) -> Optional[Any]:
        """Ask UP42 for its searchable collections (once; again after a failure)."""
        if self._sources_task is not None or self.sources:
            return None
        try:
            adapter = self.adapters("up42", self.settings.current)
        except NadirError as exc:
            self.status_changed.emit(tr("UP42 collections could not be loaded: {}").format(exc.message))
            return None

        def done(sources: list[SearchSource]) -> None:
            self._sources_task = None
            self.sources = sources
            self.sources_loaded.emit(sources)

        def failed(error: BaseException) -> None:
            self._sources_task = None
            message = error.message if isinstance(error, NadirError) else str(error)
            self.status_changed.emit(tr("UP42 collections could not be loaded: {}").format(message))

        self._sources_task = self.runner.run(
            tr("Nadir: UP42 search collections"), lambda ctx: load_sources(adapter, ctx), done, failed
        )
        return self._sources_task

    # ------------------------------------------------------------------ search
    def search(self, request: SearchRequest) -> Optional[Any]:
        """Start a search (cancelling the one running). None when the form is not ready."""
        problem = check_request(request)
        self.field_problem.emit("", "")
        if problem is not None:
            self.field_problem.emit(*problem)
            return None
        self.stop()
        self.request = request
        self.model.clear()
        self.layer.clear()
        self.state = SearchState(running=True, started=self.clock())
        adapters: dict[str, Any] = {}
        searches = []
        for item in provider_queries(request):
            try:
                adapters[item.provider] = self.adapters(item.provider, self.settings.current)
                searches.append(item)
            except (InputError, NadirError) as exc:
                self.state.failures.append(Failed(item.provider, f"{PROVIDERS[item.provider].title}: {exc.message}"))
        if not searches:
            self.state.running = False
            self.state.done = True
            self._show_status()
            return None
        fields = self.layer.fields()
        task = self.runner.run(
            tr("Nadir: archive search"),
            lambda ctx: run_search(searches, adapters, request.aoi, ctx, fields),
            on_done=lambda outcome: self._finished(task, outcome),
            on_error=lambda error: self._failed(task, error),
            on_partial=lambda value: self._partial(task, value),
        )
        self._set_task(task)
        self.running_changed.emit(True)
        self._show_status()
        return task

    def stop(self) -> None:
        """Cancel the running search; what arrived stays shown."""
        task = self._task
        self._set_task(None)
        if task is not None:
            task.silenced = True
            task.cancel()
            self.state.running = False
            self.state.cancelled = True
            self.running_changed.emit(False)
            self._show_status()

    def _set_task(self, task: Optional[Any]) -> None:
        """The running search; Python's collector waits while one streams (core/collector.py)."""
        if self._task is None and task is not None:
            collector.hold()
        elif self._task is not None and task is None:
            collector.release()
        self._task = task

    @property
    def running(self) -> bool:
        return self._task is not None

    def _partial(self, task: Any, value: object) -> None:
        if task is not self._task:
            return  # a batch of a search that was replaced
        collector.check_limit()
        if isinstance(value, (Found, PreparedBatch)):
            found = value.found if isinstance(value, PreparedBatch) else value
            if isinstance(value, PreparedBatch):
                self.layer.add_batch(value)
            else:
                self.layer.add(value.captures, value.coverage)
            added = self.model.append(found.captures, found.coverage)
            if self.state.first_batch_after is None:
                self.state.first_batch_after = self.clock() - self.state.started
            self.state.counts[found.provider] = self.state.counts.get(found.provider, 0) + added
        elif isinstance(value, Failed):
            self.state.failures.append(value)
            if value.field:
                self.field_problem.emit(value.field, value.message)
        self._show_status()

    def _finished(self, task: Any, outcome: SearchOutcome) -> None:
        if task is not self._task:
            return
        self._set_task(None)
        self.state.running = False
        self.state.done = True
        self.model.sort_again()  # rows that arrived unsorted take their place once
        self.running_changed.emit(False)
        self._show_status()

    def _failed(self, task: Any, error: BaseException) -> None:
        if task is not self._task:
            return
        self._set_task(None)
        self.state.running = False
        self.state.done = True
        self.state.cancelled = isinstance(error, OperationCancelled)
        if not self.state.cancelled:
            message = error.message if isinstance(error, NadirError) else tr("The search failed; see the log.")
            self.state.failures.append(Failed("", message))
        self.running_changed.emit(False)
        self._show_status()

    # ------------------------------------------------------------------ status
    def status_text(self) -> str:
        state = self.state
        total = sum(state.counts.values())
        parts = []
        if state.running:
            parts.append(tr("Searching… {} captures so far.").format(total))
        elif state.cancelled:
            parts.append(tr("Search stopped: {} captures found before it stopped.").format(total))
        elif state.done and total == 0 and not state.failures:
            parts.append(
                tr("No captures match this search. Widen the dates, allow more cloud or search a larger area.")
            )
        elif state.done and total == 0:
            parts.append(tr("No captures found."))
        elif state.done:
            per = ", ".join(f"{PROVIDERS[p].title} {n}" for p, n in state.counts.items() if p in PROVIDERS and n)
            parts.append(tr("{} captures ({}).").format(total, per))
        parts += [f.message for f in state.failures]
        return "\n".join(parts)

    def _show_status(self) -> None:
        self.status_changed.emit(self.status_text())

    # ------------------------------------------------------------------ selection
    def select_keys(self, keys: Sequence[str]) -> None:
        """The table's selection, shown on the map."""
        self.layer.select(keys)

    def captures(self, keys: Sequence[str]) -> list[Capture]:
        return self.model.captures(keys)

    def close(self) -> None:
        self.stop()
        if self._sources_task is not None:
            self._sources_task.silenced = True
            self._sources_task.cancel()
            self._sources_task = None
