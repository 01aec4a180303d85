"""Cache of grid cells fetched from the provider, per requested area.

The view asks :meth:`GridCache.missing` whether it is covered by areas already fetched:
if so it is a *hit* and the cells come from the :class:`~core.grid.CellStore` at once
(panning back costs no request); if not, :meth:`request_area` says what to ask the
provider for (the view widened by a margin, minus what is already known), and
:meth:`add_area` records the answer. The provider returns every tile that meets the
requested geometry, so the union of fetched areas is exactly where the cache is complete.

Minitiles are cached per tile (the provider's "minitiles of a tile" call).

The cache is bounded: past ``max_cells`` it forgets the areas away from the current
view and the cells only they brought, keeping every cell the caller must keep (the
selection's). GUI-thread object; batches are built off the thread with
:func:`core.grid.make_batch`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Optional

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..models import CellLevel, GridCell
from .model import Batch, BoolArray, CellStore, Columns, concat_columns, make_batch

#: lon/lat limits of requests (the poles have no UTM grid; beyond ±85° views are degenerate)
WORLD = (-180.0, -85.0, 180.0, 85.0)


@dataclass
class FetchedArea:
    geometry: BaseGeometry
    guids: tuple[str, ...]


class GridCache:
    def __init__(self, store: Optional[CellStore] = None, max_cells: int = 150_000, margin: float = 0.5) -> None:
        self.store = store if store is not None else CellStore()
        self.max_cells = max_cells
        self.margin = margin
        self._areas: list[FetchedArea] = []
        self._covered: BaseGeometry = shapely.Polygon()
        self._minitiles: dict[str, tuple[str, ...]] = {}
        self.hits = 0
        self.misses = 0

    # -- areas ------------------------------------------------------------------------
    @property
    def covered(self) -> BaseGeometry:
        return self._covered

    @property
    def area_count(self) -> int:
        return len(self._areas)

    def missing(self, view: BaseGeometry) -> Optional[BaseGeometry]:
        """The part of ``view`` no fetched area covers, or None (a cache hit)."""
        view = clamp(view)
        if view.is_empty:
            return None
        if not self._covered.is_empty and self._covered.covers(view):
            self.hits += 1
            return None
        rest = shapely.difference(view, self._covered) if not self._covered.is_empty else view
        if rest.is_empty or rest.area <= view.area * 1e-9:
            self.hits += 1
            return None
        self.misses += 1
        return rest

    def request_area(self, view: BaseGeometry) -> BaseGeometry:
        """What to fetch for a view: its bounds widened by ``margin`` on each side,
        minus the areas already fetched (so a small pan next time is a hit)."""
        minx, miny, maxx, maxy = view.bounds
        dx, dy = (maxx - minx) * self.margin, (maxy - miny) * self.margin
        wide = clamp(shapely.box(minx - dx, miny - dy, maxx + dx, maxy + dy))
        if self._covered.is_empty:
            return wide
        rest = shapely.difference(wide, self._covered)
        return rest if not rest.is_empty else wide

    def add_area(self, area: BaseGeometry, batch: Batch) -> list[str]:
        """Record that every tile meeting ``area`` is in ``batch`` (the provider's answer)."""
        new = self.store.add(batch)
        self._areas.append(FetchedArea(area, tuple(new)))
        self._covered = shapely.union(self._covered, area) if not self._covered.is_empty else area
        return new

    def add_tiles(self, area: BaseGeometry, cells: Sequence[GridCell]) -> list[str]:
        return self.add_area(area, make_batch(cells))

    def tiles_in(self, bounds: tuple[float, float, float, float]) -> list[str]:
        return self.store.query(bounds, CellLevel.TILE)

    # -- minitiles --------------------------------------------------------------------
    def minitiles_of(self, tile_guid: str) -> Optional[tuple[str, ...]]:
        """GUIDs of a tile's minitiles if fetched (and still cached), else None."""
        guids = self._minitiles.get(tile_guid)
        if guids is None or not all(g in self.store for g in guids):
            return None
        return guids

    def add_minitiles(self, batch: Batch, lists: Mapping[str, Sequence[str]]) -> None:
        """Record the minitiles of tiles: ``lists`` maps each tile to its minitile GUIDs,
        all in ``batch`` (new or already known)."""
        self.store.add(batch)
        for tile, guids in lists.items():
            self._minitiles[tile] = tuple(guids)

    def known_minitiles(self) -> Mapping[str, Sequence[GridCell]]:
        """Cached minitile lists for a worker thread, costing the GUI thread nothing:
        the worker looks a tile's cells up when it needs them (single dict reads, atomic
        under the GIL; batches never change once built). A tile whose minitiles were
        evicted meanwhile reads as absent, and the worker fetches it again."""
        return _CellsOfTiles(self.store, dict(self._minitiles))

    # -- eviction ---------------------------------------------------------------------
    def trim(self, view: BaseGeometry, keep: Collection[str] = ()) -> int:
        """Past ``max_cells``: forget fetched areas away from ``view`` and every cell that
        no remaining area needs, except ``keep``. Returns the number of cells removed."""
        if len(self.store) <= self.max_cells:
            return 0
        remaining = [a for a in self._areas if a.geometry.intersects(view)]
        covered = shapely.union_all([a.geometry for a in remaining]) if remaining else shapely.Polygon()
        keep_set = set(keep)
        tiles = [g for g in self.store if not self.store.is_minitile(g) and g not in keep_set]
        geoms, _ = self.store.arrays(tiles)
        needed: BoolArray
        if covered.is_empty:
            needed = np.zeros(len(tiles), dtype=bool)
        else:
            shapely.prepare(covered)
            needed = shapely.intersects(covered, geoms)
        dropped_tiles = {t for t, n in zip(tiles, needed) if not n}
        dropped = set(dropped_tiles)
        for tile in list(self._minitiles):
            if tile in dropped_tiles or tile not in self.store:
                dropped.update(g for g in self._minitiles.pop(tile) if g not in keep_set)
        removed = self.store.remove(dropped)
        self._areas = [FetchedArea(a.geometry, tuple(g for g in a.guids if g in self.store)) for a in remaining]
        self._covered = covered
        return removed

    def clear(self, keep: Collection[str] = ()) -> None:
        """Forget every fetched area (e.g. the provider connection changed), keeping ``keep``."""
        keep_set = set(keep)
        self.store.remove([g for g in list(self.store) if g not in keep_set])
        self._areas = []
        self._covered = shapely.Polygon()
        self._minitiles = {t: m for t, m in self._minitiles.items() if all(g in self.store for g in m)}


def clamp(geometry: BaseGeometry) -> BaseGeometry:
    """Limit a lon/lat geometry to the requestable world."""
    minx, miny, maxx, maxy = geometry.bounds
    if minx >= WORLD[0] and miny >= WORLD[1] and maxx <= WORLD[2] and maxy <= WORLD[3]:
        return geometry
    return shapely.clip_by_rect(geometry, *WORLD)


class _CellsOfTiles(Mapping[str, Sequence[GridCell]]):
    def __init__(self, store: CellStore, lists: dict[str, tuple[str, ...]]) -> None:
        self._store = store
        self._lists = lists

    def __getitem__(self, tile: str) -> list[GridCell]:
        cells = []
        for guid in self._lists[tile]:
            where = self._store.locate(guid)
            if where is None:
                raise KeyError(tile)  # evicted since: not cached any more
            batch, row = where
            cells.append(batch.cell(row))
        return cells

    def columns(self, tile: str) -> Optional[Columns]:
        """A tile's cached minitiles as columns (parsed footprints and areas reused), or
        None if the tile's are not cached or any of them was evicted meanwhile."""
        guids = self._lists.get(tile)
        if guids is None:
            return None
        parts: list[Columns] = []
        batch: Optional[Batch] = None
        rows: list[int] = []
        for guid in guids:
            where = self._store.locate(guid)
            if where is None:
                return None
            if where[0] is not batch:  # a tile's minitiles are normally in one batch
                if batch is not None:
                    parts.append(batch.columns(rows))
                batch, rows = where[0], []
            rows.append(where[1])
        if batch is not None:
            parts.append(batch.columns(rows))
        return concat_columns(parts)

    def __iter__(self) -> Iterator[str]:
        return iter(self._lists)

    def __len__(self) -> int:
        return len(self._lists)
