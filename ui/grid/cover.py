"""AOI covers for the grid presenter: "select cells covering this AOI".

The whole cover (provider calls, footprints, the choice of cells) runs in a task; its
result is applied on the GUI thread in steps, one per event-loop turn (cache, selection,
view), so a cover of tens of thousands of minitiles never freezes the map for long.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from typing import Any, Optional, Protocol

from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal
from shapely.geometry.base import BaseGeometry

from ...core.errors import InputError, OperationCancelled
from ...core.grid.cache import GridCache
from ...core.grid.cover import CoverResult
from ...core.grid.fetch import CoverOutcome, cover_aoi
from ...core.grid.selection import GridSelection
from ...core.models import CellLevel
from ...core.ports import SupportsGrid
from ...tasks.base import FunctionTask, TaskContext
from ...toolbelt.i18n import tr
from ...toolbelt.notify import Notifier

LOGGER = logging.getLogger(__name__)


#: minitiles of at most this many tiles are selected per event-loop turn
TILES_PER_STEP = 60


Part = tuple[CoverResult, dict[str, list[str]]]  # a cover's part and the minitiles of its tiles


def _chunks(result: CoverResult, lists: dict[str, list[str]]) -> list[Callable[[], Part]]:
    """A minitile cover cut into parts of whole tiles (one selection step each). Each
    part is worked out by its own step: doing them all at once over a country's
    minitiles cost one event-loop turn ~50 ms."""
    if result.level is CellLevel.TILE or len(lists) <= TILES_PER_STEP:
        return [lambda: (result, lists)]
    tiles = list(lists)
    picked: list[set[str]] = []  # the cover's GUIDs as a set, made by the first part

    def part(start: int) -> Part:
        if not picked:
            picked.append(set(result.guids))
        chosen = picked[0]
        part_lists = {t: lists[t] for t in tiles[start : start + TILES_PER_STEP]}
        guids = tuple(g for minis in part_lists.values() for g in minis if g in chosen)
        return replace(result, guids=guids), part_lists

    return [partial(part, start) for start in range(0, len(tiles), TILES_PER_STEP)]


class CoverHost(Protocol):
    """What a cover needs of the grid presenter (:class:`.presenter.GridPresenter`, the
    owner of the covers): spelled out here so this module never imports the presenter,
    which imports this one (issue 12: no import circles)."""

    cache: GridCache
    selection: GridSelection
    notifier: Notifier
    problem: str
    status_changed: Any  # pyqtSignal() of the presenter: hint, counts, busy state

    def source(self) -> Optional[SupportsGrid]: ...

    def run_task(
        self,
        description: str,
        work: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> FunctionTask: ...

    def selection_changed(self, guids: Iterable[str]) -> None: ...

    def message(self, error: BaseException, context: str) -> str: ...


class CoverPresenter(QObject):
    done = pyqtSignal(object)  # CoverResult, once applied to the selection

    def __init__(self, grid: CoverHost, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.last: Optional[CoverResult] = None
        self._task: Optional[FunctionTask] = None
        self._steps: list[Callable[[], None]] = []
        self._step_timer = QTimer(self)
        self._step_timer.setSingleShot(True)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._next_step)

    @property
    def busy(self) -> bool:
        return self._task is not None or bool(self._steps)

    @property
    def applying(self) -> bool:
        return bool(self._steps)

    def cover(self, aoi: BaseGeometry, level: CellLevel) -> None:
        """Select the cells covering an AOI (lon/lat shapely) at tile or minitile level."""
        grid = self.grid
        if self.busy:
            raise InputError(tr("A cover is already being computed; wait for it to finish."))
        source = grid.source()
        if source is None:
            raise InputError(grid.problem)
        disabled = grid.selection.disabled_zones
        known = grid.cache.known_minitiles() if level is CellLevel.MINITILE else {}
        self._task = grid.run_task(
            tr("Selecting ClearSKY cells covering an AOI"),
            lambda ctx: cover_aoi(source, aoi, level, disabled, known, ctx.cancelled, ctx.progress),
            self._covered,
            self._failed,
        )
        grid.status_changed.emit()

    def _covered(self, outcome: CoverOutcome) -> None:
        self._task = None
        grid = self.grid
        lists = outcome.minitiles.lists if outcome.minitiles is not None else {}
        changed: set[str] = set()

        def store_cells() -> None:
            for piece, _ in outcome.tiles.areas:
                grid.cache.add_area(piece, outcome.tiles.batch)
            if outcome.minitiles is not None:
                grid.cache.add_minitiles(outcome.minitiles.batch, outcome.minitiles.lists)

        def select(make_part: Callable[[], Part]) -> Callable[[], None]:
            return lambda: changed.update(grid.selection.apply_cover(*make_part()))

        def finish() -> None:
            self.last = outcome.result
            LOGGER.info(
                "Cover: %d cells, ratio %.3f; provider %.2f s, client %.3f s",
                len(outcome.result.guids),
                outcome.result.ratio,
                outcome.timer.provider_s,
                outcome.timer.client_s,
            )
            grid.selection_changed(changed)
            self.done.emit(outcome.result)

        self._steps = [store_cells, *(select(part) for part in _chunks(outcome.result, lists)), finish]
        self._next_step()

    def _next_step(self) -> None:
        if not self._steps:
            return
        step = self._steps.pop(0)
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a bug must not leave the grid half-updated silently
            self._steps.clear()
            self.grid.notifier.exception(exc, tr("The covering cells could not be selected"))
        if self._steps:
            self._step_timer.start()
        else:
            self.grid.status_changed.emit()

    def _failed(self, error: BaseException) -> None:
        self._task = None
        self.grid.status_changed.emit()
        if not isinstance(error, OperationCancelled):
            self.grid.notifier.error(self.grid.message(error, tr("The cells covering the AOI could not be selected")))

    def shutdown(self) -> None:
        self._step_timer.stop()
        self._steps.clear()
        if self._task is not None:
            self._task.silenced = True
            self._task.cancel()
            self._task = None
