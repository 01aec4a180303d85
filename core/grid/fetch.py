"""Grid work that calls the provider: tiles for an area, minitiles, and AOI covers.

These functions run off the GUI thread (in a task, or in a Processing algorithm) and
touch no shared state: they take plain inputs (a grid source, geometries, snapshots of
what is cached) and return batches ready for :class:`~core.grid.cache.GridCache`, with
the time spent waiting for the provider and the time spent on the client kept apart.

The provider is reached through ``core.ports.SupportsGrid`` (core does not import
providers).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Optional, Protocol, Union, runtime_checkable

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ..collector import collector_paused
from ..errors import OperationCancelled
from ..models import CellLevel, GridCell
from ..ports import SupportsGrid
from .cover import CoverResult, Region, choose, polygonal
from .cover import cover as cover_cells
from .model import Batch, Columns, cell_columns, join_columns, make_batch

#: AOIs are requested in pieces at most this many degrees wide and high, so one request
#: never asks for thousands of tiles (providers limit a search; ClearSKY's sandbox: 5,000).
REQUEST_DEG = 20.0


@runtime_checkable
class CachedColumns(Protocol):
    """Cached minitiles that can hand over a tile's parsed columns
    (:meth:`core.grid.cache.GridCache.known_minitiles`)."""

    def columns(self, tile: str) -> Optional[Columns]: ...


def _never() -> bool:
    return False


@dataclass
class Timer:
    """Seconds spent in provider calls and in client-side work (wall clock), and the CPU
    time of the client-side work on this thread (less sensitive to a busy machine)."""

    provider_s: float = 0.0
    client_s: float = 0.0
    client_cpu_s: float = 0.0
    calls: int = 0
    _mark: float = field(default_factory=time.perf_counter)
    _cpu_mark: float = field(default_factory=time.thread_time)

    def call(self, function: Callable[[], Any]) -> Any:
        now = time.perf_counter()
        self.client_s += now - self._mark
        self.client_cpu_s += time.thread_time() - self._cpu_mark
        try:
            return function()
        finally:
            self._mark = time.perf_counter()
            self._cpu_mark = time.thread_time()
            self.provider_s += self._mark - now
            self.calls += 1

    def stop(self) -> None:
        now = time.perf_counter()
        cpu = time.thread_time()
        self.client_s += now - self._mark
        self.client_cpu_s += cpu - self._cpu_mark
        self._mark = now
        self._cpu_mark = cpu


def request_pieces(area: BaseGeometry, size: float = REQUEST_DEG) -> list[BaseGeometry]:
    """``area`` cut into pieces no larger than ``size`` degrees (the request tiling)."""
    minx, miny, maxx, maxy = area.bounds
    if maxx - minx <= size and maxy - miny <= size:
        return [area]
    pieces = []
    for i in range(math.floor(minx / size), math.floor(maxx / size) + 1):
        for j in range(math.floor(miny / size), math.floor(maxy / size) + 1):
            piece = shapely.intersection(area, shapely.box(i * size, j * size, (i + 1) * size, (j + 1) * size))
            if not piece.is_empty and piece.area > 0:
                pieces.append(piece)
    return pieces


@dataclass
class TilesFetch:
    """The provider's tiles for an area: ``areas`` pairs each requested piece with the
    GUIDs it returned; ``batch`` holds every tile once."""

    areas: list[tuple[BaseGeometry, list[str]]]
    batch: Batch
    timer: Timer


def fetch_tiles(
    source: SupportsGrid, area: BaseGeometry, cancelled: Callable[[], bool] = _never, timer: Optional[Timer] = None
) -> TilesFetch:
    timer = timer if timer is not None else Timer()
    seen: dict[str, GridCell] = {}
    areas: list[tuple[BaseGeometry, list[str]]] = []
    for piece in request_pieces(area):
        if cancelled():
            raise OperationCancelled()
        cells = timer.call(partial(source.tiles, mapping(piece)))
        tiles = [c for c in cells if c.level is CellLevel.TILE]
        for cell in tiles:
            seen.setdefault(cell.guid, cell)
        areas.append((piece, [c.guid for c in tiles]))
    batch = make_batch(list(seen.values()))
    timer.stop()
    return TilesFetch(areas, batch, timer)


@dataclass
class MinitilesFetch:
    """Minitiles of several tiles in one batch, and each tile's minitile GUIDs."""

    batch: Batch
    lists: dict[str, list[str]]
    tiles_inside: set[str] = field(default_factory=set)


#: minitile footprints are parsed in pieces of about this many cells, each as soon as
#: its cells have arrived (four ClearSKY tiles' worth)
PARSE_CHUNK = 1024


class _Parser:
    """Parses cells in a helper thread while the caller waits for the next provider
    call, so the footprints are read during the provider's latency, not after it.

    One thread, pieces in arrival order. The last piece is parsed by the caller (when
    everything fits in one piece, as for a single tile, no thread is started). The
    helper's CPU time is added to the timer's ``client_cpu_s``."""

    def __init__(self, timer: Timer) -> None:
        self._timer = timer
        self._pool: Optional[ThreadPoolExecutor] = None
        self._parts: list[Union[Future[Columns], Columns]] = []
        self._cpu_s = 0.0

    def _columns(self, cells: list[GridCell]) -> Columns:
        start = time.thread_time()
        try:
            return cell_columns(cells)
        finally:
            self._cpu_s += time.thread_time() - start  # one thread: no concurrent update

    def submit(self, cells: list[GridCell]) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="nadir-grid-parse")
        self._parts.append(self._pool.submit(self._columns, cells))

    def add(self, columns: Columns) -> None:
        """Cells already parsed (cached minitiles), in their place among the pieces."""
        self._parts.append(columns)

    def finish(self, last: list[GridCell]) -> Batch:
        parts = [p.result() if isinstance(p, Future) else p for p in self._parts]
        if last or not parts:
            parts.append(cell_columns(last))
        self._timer.client_cpu_s += self._cpu_s
        return join_columns(parts)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def fetch_minitiles(
    source: SupportsGrid,
    tile_guids: Sequence[str],
    known: Optional[Mapping[str, Sequence[GridCell]]] = None,
    cancelled: Callable[[], bool] = _never,
    timer: Optional[Timer] = None,
    progress: Callable[[float], None] = lambda _: None,
) -> MinitilesFetch:
    """The minitiles of tiles: from ``known`` (cached) where there, else from the provider."""
    timer = timer if timer is not None else Timer()
    known = known or {}
    pending: list[GridCell] = []
    lists: dict[str, list[str]] = {}
    parser = _Parser(timer)
    try:
        for n, tile in enumerate(tile_guids):
            if cancelled():
                raise OperationCancelled()
            cached = known.columns(tile) if isinstance(known, CachedColumns) else None
            if cached is not None and cached.guids:  # parsed when cached: not again
                if pending:
                    parser.submit(pending)
                    pending = []
                cached.parents = [p if p else tile for p in cached.parents]
                parser.add(cached)
                lists[tile] = list(cached.guids)
                progress(100.0 * (n + 1) / max(1, len(tile_guids)))
                continue
            minis = known.get(tile)
            if not minis:
                fetched: list[GridCell] = timer.call(partial(source.minitiles, tile))
                minis = [c if c.parent else c.model_copy(update={"parent": tile}) for c in fetched]
            lists[tile] = [c.guid for c in minis]
            pending.extend(minis)
            if len(pending) >= PARSE_CHUNK and n + 1 < len(tile_guids):
                parser.submit(pending)
                pending = []
            progress(100.0 * (n + 1) / max(1, len(tile_guids)))
        batch = parser.finish(pending)
    finally:
        parser.close()
    timer.stop()
    return MinitilesFetch(batch, lists)


@dataclass
class CoverOutcome:
    """An AOI cover and everything fetched for it (to cache on the GUI thread)."""

    result: CoverResult
    tiles: TilesFetch
    minitiles: Optional[MinitilesFetch]
    timer: Timer


def cover_aoi(
    source: SupportsGrid,
    aoi: BaseGeometry,
    level: CellLevel,
    disabled: Collection[int] = (),
    known_minitiles: Optional[Mapping[str, Sequence[GridCell]]] = None,
    cancelled: Callable[[], bool] = _never,
    progress: Callable[[float], None] = lambda _: None,
) -> CoverOutcome:
    """Cells covering an AOI at tile or minitile level (see :mod:`core.grid.cover`).

    Minitile level: the tiles covering the AOI are chosen first, then only their
    minitiles are fetched (or taken from ``known_minitiles``) and chosen among; the
    minitiles of a tile lying inside the AOI are inside too and are not tested again.
    """
    with collector_paused():
        return _cover_aoi(source, aoi, level, disabled, known_minitiles, cancelled, progress)


def _cover_aoi(
    source: SupportsGrid,
    aoi: BaseGeometry,
    level: CellLevel,
    disabled: Collection[int],
    known_minitiles: Optional[Mapping[str, Sequence[GridCell]]],
    cancelled: Callable[[], bool],
    progress: Callable[[float], None],
) -> CoverOutcome:
    timer = Timer()
    aoi = polygonal(aoi)
    fetched = fetch_tiles(source, aoi, cancelled, timer)
    tiles = fetched.batch
    epsgs = tiles.epsgs
    guids = tiles.guids
    progress(5.0)
    if level is CellLevel.TILE:
        result = cover_cells(aoi, level, guids, tiles.geoms, epsgs, tiles.areas, disabled, tiles.tree)
        timer.stop()
        return CoverOutcome(result, fetched, None, timer)

    regions: dict[int, Region] = {}  # the AOI's band parts, shared by both levels
    choice = choose(aoi, tiles.geoms, epsgs, tiles.areas, disabled, tiles.tree, regions=regions)
    chosen = [guids[int(k)] for k in choice.index]
    minis = fetch_minitiles(source, chosen, known_minitiles, cancelled, timer, lambda p: progress(5.0 + 0.9 * p))
    minis.tiles_inside = {guids[int(k)] for k in choice.index if choice.inside[int(k)]}
    hint = (
        np.concatenate([np.full(len(minis.lists[t]), t in minis.tiles_inside, dtype=bool) for t in chosen])
        if chosen
        else np.zeros(0, dtype=bool)
    )
    batch = minis.batch
    result = cover_cells(
        aoi, level, batch.guids, batch.geoms, batch.epsgs, batch.areas, disabled, batch.tree, hint, regions
    )
    timer.stop()
    return CoverOutcome(result, fetched, minis, timer)
