"""ClearSKY's tile grid (its API reference: tiles 5120 x 5120 px, about 2621 km² at 10 m;
minitiles 320 x 320 px).

* One grid per UTM zone and hemisphere (EPSG 326zz / 327zz). Tiles are 5120 x 5120 px at
  10 m = 51.2 km squares aligned on easting 0 and northing 0 (south: false northing
  10,000 km, which 51.2 km does not divide, so the row at the equator is clipped).
  Minitiles are 320 x 320 px = 3.2 km, 16 x 16 per tile.
* Each zone covers its 6-degree band widened by ``TRANSITION_DEG`` on both sides, so tiles
  of neighbouring zones overlap in the transition zones (ClearSKY's "Order Data" guide:
  "overlapping tiles can appear in UTM transition zones"); the documents give no width:
  0.25° was chosen. Latitudes 0..84 (north) and -80..0 (south). Tiles and minitiles at the
  band edges are clipped to it, so edge tiles are smaller. Norway/Svalbard zone exceptions
  are ignored, and the bands stop at ±180° (no wrap across the antimeridian).
* GUIDs are deterministic: uuid5 of "epsg:col:row" for a tile, of "tile-guid:i:j" for a
  minitile (i east, j north, 0..15). uuid5 cannot be inverted, so every GUID handed out is
  recorded in the SQLite state (table ``clearsky_grid``, kept across restarts and resets):
  a GUID resolves once this sandbox state has handed it out (by a tile search), as a client
  only knows GUIDs it was given.
* Areas are UTM plane areas (a full tile is 51.2² = 2621.44 km², as the docs' "~2621 km²").
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import box

from . import geodesy
from .store import Store

TILE_M = 51_200.0
MINI_M = 3_200.0
MINIS_PER_SIDE = 16
TRANSITION_DEG = 0.25
LATITUDES = {False: (0.0, 84.0), True: (-80.0, 0.0)}
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://api.clearsky.vision/api/tasking/search/tiles#nadir-sandbox")
#: request limits (documented in the provider's info and in the 992 messages)
MAX_TILES_PER_SEARCH = 5_000
MAX_GUIDS_PER_REQUEST = 10_000
FLUSH_S = 2.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS clearsky_grid (
    guid TEXT PRIMARY KEY, minitile INTEGER NOT NULL, epsg INTEGER NOT NULL,
    col INTEGER NOT NULL, row INTEGER NOT NULL, i INTEGER NOT NULL, j INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class Cell:
    """A tile (i = j = -1) or a minitile of the grid, clipped to its zone's band."""

    guid: str
    epsg: int
    col: int
    row: int
    i: int = -1
    j: int = -1
    utm: Any = None  # shapely polygon in the zone's UTM metres
    geog: Any = None  # shapely polygon in lon/lat

    @property
    def minitile(self) -> bool:
        return self.i >= 0

    @property
    def zone(self) -> int:
        return self.epsg % 100

    @property
    def south(self) -> bool:
        return self.epsg >= 32700

    @property
    def area_km2(self) -> float:
        return float(self.utm.area) / 1e6

    @property
    def tile_guid(self) -> str:
        return tile_guid(self.epsg, self.col, self.row)

    def dto(self) -> dict[str, Any]:
        """As ``Data.Tiles[]`` (clearsky_client.py 2025: Guid, MiniTile, Epsg, DataGeogWkt).

        Epsg as a number, as in the docs' api-endpoints example (``"epsg": 32633``)."""
        return {"Guid": self.guid, "MiniTile": self.minitile, "Epsg": self.epsg, "DataGeogWkt": _wkt(self.geog)}


def tile_guid(epsg: int, col: int, row: int) -> str:
    return _uuid5(f"{epsg}:{col}:{row}")


def minitile_guid(parent: str, i: int, j: int) -> str:
    return _uuid5(f"{parent}:{i}:{j}")


def _uuid5(name: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, name))`` without building UUID objects (hot path)."""
    digest = bytearray(hashlib.sha1(NAMESPACE.bytes + name.encode()).digest()[:16])  # noqa: S324 - RFC 4122 v5
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def dtos(cells: Sequence[Cell]) -> list[dict[str, Any]]:
    """``Data.Tiles[]`` entries for many cells (WKT written in one vectorised call)."""
    wkts = shapely.to_wkt(np.array([c.geog for c in cells], dtype=object), rounding_precision=7, trim=True)
    return [
        {"Guid": c.guid, "MiniTile": c.minitile, "Epsg": c.epsg, "DataGeogWkt": str(w)} for c, w in zip(cells, wkts)
    ]


class Grid:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._known: dict[str, tuple[int, int, int, int, int]] = {}
        self._regions: dict[tuple[int, bool], tuple[Any, Any]] = {}
        self._pending: list[tuple[Any, ...]] = []
        self._flushed = time.monotonic()
        with store.transaction() as db:
            db.execute(SCHEMA)

    # ---------------------------------------------------------------- queries

    def tiles_for(self, geometry: Any) -> list[Cell]:
        """Tiles of every zone that intersect a lon/lat geometry (interiors meet)."""
        found: list[Cell] = []
        minx, _, maxx, _ = geometry.bounds
        for south in (False, True):
            lat_lo, lat_hi = LATITUDES[south]
            if geometry.bounds[3] < lat_lo or geometry.bounds[1] > lat_hi:
                continue
            for zone in range(geodesy.zone_of(minx - TRANSITION_DEG), geodesy.zone_of(maxx + TRANSITION_DEG) + 1):
                region_geog, region_utm = self._region(zone, south)
                part = shapely.intersection(geometry, region_geog)
                if part.is_empty:
                    continue
                found.extend(self._tiles_in(zone, south, geodesy.geometry_to_utm(part, zone, south), region_utm))
                if len(found) > MAX_TILES_PER_SEARCH:
                    raise LimitExceeded(
                        f"the area covers more than {MAX_TILES_PER_SEARCH} tiles; split it into smaller requests"
                    )
        self._remember(found)
        return found

    def tile(self, guid: str) -> Cell | None:
        key = self._lookup(guid)
        if key is None or key[3] >= 0:
            return None
        epsg, col, row, _, _ = key
        cells = self._tile_cells(epsg % 100, epsg >= 32700, [(col, row)])
        return cells[0] if cells else None

    def minitiles_of(self, parent: Cell) -> list[Cell]:
        square = box(parent.col * TILE_M, parent.row * TILE_M, (parent.col + 1) * TILE_M, (parent.row + 1) * TILE_M)
        _, region_utm = self._region(parent.zone, parent.south)
        region_utm = shapely.clip_by_rect(region_utm, *square.bounds)  # small piece: cheap to clip by
        shapely.prepare(region_utm)
        ii, jj = np.meshgrid(np.arange(MINIS_PER_SIDE), np.arange(MINIS_PER_SIDE), indexing="ij")
        ii, jj = ii.ravel(), jj.ravel()
        x0 = square.bounds[0] + ii * MINI_M
        y0 = square.bounds[1] + jj * MINI_M
        squares = shapely.box(x0, y0, x0 + MINI_M, y0 + MINI_M)
        clipped = self._clip(squares, region_utm)
        keep = np.flatnonzero(~shapely.is_empty(clipped) & (shapely.area(clipped) > 1.0))
        geog = geodesy.geometry_from_utm(clipped[keep], parent.zone, parent.south)  # one vectorised call
        cells = [
            Cell(
                minitile_guid(parent.guid, int(ii[k]), int(jj[k])),
                parent.epsg,
                parent.col,
                parent.row,
                int(ii[k]),
                int(jj[k]),
                clipped[k],
                geog[n],
            )
            for n, k in enumerate(keep)
        ]
        self._remember(cells)
        return cells

    def minitile(self, guid: str) -> Cell | None:
        key = self._lookup(guid)
        if key is None or key[3] < 0:
            return None
        epsg, col, row, i, j = key
        parent = self._tile_cells(epsg % 100, epsg >= 32700, [(col, row)])
        if not parent:
            return None
        return next((c for c in self.minitiles_of(parent[0]) if c.i == i and c.j == j), None)

    # ---------------------------------------------------------------- internals

    def _tiles_in(self, zone: int, south: bool, part_utm: Any, region_utm: Any) -> list[Cell]:
        minx, miny, maxx, maxy = part_utm.bounds
        cols = np.arange(math.floor(minx / TILE_M), math.floor(maxx / TILE_M) + 1)
        rows = np.arange(math.floor(miny / TILE_M), math.floor(maxy / TILE_M) + 1)
        cc, rr = np.meshgrid(cols, rows, indexing="ij")
        cc, rr = cc.ravel(), rr.ravel()
        squares = shapely.box(cc * TILE_M, rr * TILE_M, (cc + 1) * TILE_M, (rr + 1) * TILE_M)
        shapely.prepare(part_utm)
        hit = shapely.intersects(part_utm, squares) & ~shapely.touches(part_utm, squares)
        return self._tile_cells(zone, south, list(zip(cc[hit].tolist(), rr[hit].tolist())), region_utm)

    def _tile_cells(
        self, zone: int, south: bool, keys: Sequence[tuple[int, int]], region_utm: Any = None
    ) -> list[Cell]:
        if not keys:
            return []
        if region_utm is None:
            region_utm = self._region(zone, south)[1]
        cols = np.array([k[0] for k in keys], dtype=np.float64)
        rows = np.array([k[1] for k in keys], dtype=np.float64)
        squares = shapely.box(cols * TILE_M, rows * TILE_M, (cols + 1) * TILE_M, (rows + 1) * TILE_M)
        clipped = self._clip(squares, region_utm)
        epsg = geodesy.utm_epsg(zone, south)
        keep = [k for k in range(len(keys)) if not clipped[k].is_empty and clipped[k].area > 1.0]
        geog = geodesy.geometry_from_utm(clipped[keep], zone, south, densify_m=MINI_M * 2)
        return [
            Cell(
                tile_guid(epsg, keys[k][0], keys[k][1]),
                epsg,
                int(keys[k][0]),
                int(keys[k][1]),
                -1,
                -1,
                clipped[k],
                geog[n],
            )
            for n, k in enumerate(keep)
        ]

    @staticmethod
    def _clip(squares: np.ndarray, region_utm: Any) -> np.ndarray:
        inside = shapely.contains(region_utm, squares)
        clipped = squares.copy()
        edge = ~inside
        if edge.any():  # squares are axis-aligned: clipping the region by them is much cheaper
            for k in np.flatnonzero(edge):
                clipped[k] = shapely.clip_by_rect(region_utm, *squares[k].bounds)
        return clipped

    def _region(self, zone: int, south: bool) -> tuple[Any, Any]:
        key = (zone, south)
        if key not in self._regions:
            lon0 = -180.0 + 6.0 * (zone - 1)
            lat_lo, lat_hi = LATITUDES[south]
            geog = box(max(-180.0, lon0 - TRANSITION_DEG), lat_lo, min(180.0, lon0 + 6.0 + TRANSITION_DEG), lat_hi)
            utm = geodesy.geometry_to_utm(geog, zone, south, densify_deg=0.05)
            shapely.prepare(utm)
            self._regions[key] = (geog, utm)
        return self._regions[key]

    def _remember(self, cells: Iterable[Cell]) -> None:
        """Record handed-out GUIDs: in memory at once, in SQLite in batches (write-behind).

        A commit costs milliseconds on this disk and France at minitile level is ~350 tile
        calls, so rows are flushed at most every ``FLUSH_S`` seconds, on a lookup miss and
        when an order is placed; a crash forgets at most the last seconds of listings."""
        with self._lock:
            for c in cells:
                if c.guid not in self._known:
                    self._known[c.guid] = (c.epsg, c.col, c.row, c.i, c.j)
                    self._pending.append((c.guid, int(c.minitile), c.epsg, c.col, c.row, c.i, c.j))
            due = len(self._pending) >= 20_000 or time.monotonic() - self._flushed > FLUSH_S
        if due:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            rows, self._pending = self._pending, []
            self._flushed = time.monotonic()
        if rows:
            with self.store.transaction() as db:
                db.executemany("INSERT OR IGNORE INTO clearsky_grid VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def _lookup(self, guid: str) -> tuple[int, int, int, int, int] | None:
        try:
            guid = str(uuid.UUID(str(guid)))
        except ValueError:
            return None
        with self._lock:
            if guid in self._known:
                return self._known[guid]
        with self.store.transaction() as db:
            row = db.execute("SELECT epsg, col, row, i, j FROM clearsky_grid WHERE guid=?", (guid,)).fetchone()
        if row is None:
            return None
        key = (int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]))
        with self._lock:
            self._known[guid] = key
        return key


class LimitExceeded(ValueError):
    """A request that would exceed one of the documented request limits."""


def _wkt(geometry: Any) -> str:
    return str(shapely.to_wkt(geometry, rounding_precision=7, trim=True))
