"""A small in-memory grid provider for tests (implements ``core.ports.SupportsGrid``).

Not ClearSKY's grid (the sandbox has that): lon/lat boxes, so tests can reason about
cells exactly. Like the real one it has one grid per UTM zone and hemisphere, with each
zone's 6° band widened by ``overlap`` degrees on both sides so neighbouring zones'
tiles overlap in transition strips, edge tiles clipped smaller, deterministic GUIDs and
minitiles per tile. Calls are counted, so tests can tell cache hits from misses.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

import shapely
from shapely.geometry import shape

from nadir.core.models import CellLevel, GridCell


class FakeGrid:
    def __init__(self, tile_deg: float = 0.45, minis: int = 4, overlap: float = 0.3, delay: float = 0.0) -> None:
        self.tile_deg = tile_deg
        self.minis = minis
        self.overlap = overlap
        self.delay = delay
        self.calls: list[tuple[str, Any]] = []
        self.fail_next: Exception | None = None
        self._lock = threading.Lock()
        self._known: dict[str, GridCell] = {}

    # -- helpers ----------------------------------------------------------------------
    def _record(self, name: str, arg: Any) -> None:
        with self._lock:
            self.calls.append((name, arg))
            error, self.fail_next = self.fail_next, None
        if self.delay:
            import time

            time.sleep(self.delay)
        if error is not None:
            raise error

    def count(self, name: str) -> int:
        return sum(1 for n, _ in self.calls if n == name)

    def band(self, zone: int, south: bool) -> tuple[float, float, float, float]:
        west = -180.0 + 6.0 * (zone - 1)
        lo, hi = (-80.0, 0.0) if south else (0.0, 84.0)
        return (max(-180.0, west - self.overlap), lo, min(180.0, west + 6.0 + self.overlap), hi)

    def _tile(self, zone: int, south: bool, col: int, row: int) -> GridCell | None:
        epsg = (32700 if south else 32600) + zone
        w, s, e, n = self.band(zone, south)
        x0 = -180.0 + 6.0 * (zone - 1) - self.overlap + col * self.tile_deg
        y0 = row * self.tile_deg
        box = shapely.clip_by_rect(shapely.box(x0, y0, x0 + self.tile_deg, y0 + self.tile_deg), w, s, e, n)
        if box.is_empty or box.area <= 0:
            return None
        cell = GridCell(guid=f"t-{epsg}-{col}-{row}", level=CellLevel.TILE, epsg=epsg, wkt=box.wkt)
        self._known[cell.guid] = cell
        return cell

    # -- SupportsGrid -------------------------------------------------------------------
    def tiles(self, geometry: dict[str, Any]) -> list[GridCell]:
        self._record("tiles", geometry)
        geom = shape(geometry)
        minx, miny, maxx, maxy = geom.bounds
        found = []
        for zone in range(1, 61):
            for south in (False, True):
                w, s, e, n = self.band(zone, south)
                if maxx < w or minx > e or maxy < s or miny > n:
                    continue
                west = -180.0 + 6.0 * (zone - 1) - self.overlap
                cols = range(
                    max(0, math.floor((minx - west) / self.tile_deg)),
                    math.floor((min(maxx, e) - west) / self.tile_deg) + 1,
                )
                rows = range(math.floor(max(miny, s) / self.tile_deg), math.floor(min(maxy, n) / self.tile_deg) + 1)
                for col in cols:
                    for row in rows:
                        cell = self._tile(zone, south, col, row)
                        if cell is None:
                            continue
                        poly = shapely.from_wkt(cell.wkt)
                        if poly.intersects(geom) and not poly.touches(geom):
                            found.append(cell)
        return found

    def minitiles(self, tile_guid: str) -> list[GridCell]:
        self._record("minitiles", tile_guid)
        tile = self._known[tile_guid]
        minx, miny, maxx, maxy = shapely.from_wkt(tile.wkt).bounds
        _, epsg, col, row = tile_guid.split("-")
        x0 = -180.0 + 6.0 * (int(epsg) % 100 - 1) - self.overlap + int(col) * self.tile_deg
        y0 = int(row) * self.tile_deg
        step = self.tile_deg / self.minis
        cells = []
        for i in range(self.minis):
            for j in range(self.minis):
                box = shapely.clip_by_rect(
                    shapely.box(x0 + i * step, y0 + j * step, x0 + (i + 1) * step, y0 + (j + 1) * step),
                    minx,
                    miny,
                    maxx,
                    maxy,
                )
                if box.is_empty or box.area <= 0:
                    continue
                cell = GridCell(
                    guid=f"m-{tile_guid}-{i}-{j}",
                    level=CellLevel.MINITILE,
                    epsg=tile.epsg,
                    wkt=box.wkt,
                    parent=tile_guid,
                )
                self._known[cell.guid] = cell
                cells.append(cell)
        return cells

    def cells(self, tile_guids: Sequence[str] = (), minitile_guids: Sequence[str] = ()) -> list[GridCell]:
        self._record("cells", (tuple(tile_guids), tuple(minitile_guids)))
        return [self._known[g] for g in (*tile_guids, *minitile_guids)]

    def close(self) -> None:
        self._record("close", None)
