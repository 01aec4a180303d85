"""A provider's tile grid on the client: zones, cell geometry and areas, and the cell store.

Nadir never computes a grid of its own (DESIGN.md F2): every cell is a
:class:`~core.models.GridCell` the provider returned, with its footprint as lon/lat WKT.
This module turns such cells into shapely geometries and geodesic areas in bulk (one
vectorised shapely/numpy pass per batch, no Python loop over geometries) and keeps them
in a :class:`CellStore`, whose spatial queries answer "which cells are in this view".

Cells arrive in *batches* (the tiles of one fetched area, the minitiles of one tile, the
cells of one AOI cover). A batch is built off the GUI thread with :func:`make_batch`
(WKT parsed, areas computed, STRtree built) and added to the store on the GUI thread,
which then only does dictionary work. Queries ask each batch whose bounds meet the query
box, so panning back over cached cells is a handful of tree lookups.

UTM zones (:mod:`core.grid_zones`) are named by the cells' EPSG codes.

Areas are geodesic on the WGS84 ellipsoid with edges straight in lon/lat, measured with
:mod:`core.geodesy` (the same measure as AOIs, so coverage ratios compare like with like).
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Optional

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from .errors import InvalidResponse
from .geodesy import rings_signed_area_m2
from .grid_zones import Zone, in_own_band, zone_label
from .models import CellLevel, GridCell

__all__ = ["Zone", "in_own_band", "zone_label"]  # re-exported: zones live in core.grid_zones

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
GeomArray = npt.NDArray[np.object_]
BoolArray = npt.NDArray[np.bool_]

# ------------------------------------------------------------------------ areas
def geodesic_areas_km2(geometries: GeomArray) -> FloatArray:
    """Geodesic area (km²) of each polygonal geometry of an array (lon/lat), in one pass
    over all their rings (:func:`core.geodesy.rings_signed_area_m2`, the AOI's measure).

    Holes are subtracted; non-polygonal parts count zero. Longitudes are used as given
    (a ring must not jump across the antimeridian).
    """
    geoms = np.asarray(geometries, dtype=object)
    result = np.zeros(len(geoms), dtype=np.float64)
    if len(geoms) == 0:
        return result
    if (shapely.get_type_id(geoms) == 3).all() and not shapely.get_num_interior_rings(geoms).any():
        # the common case (grid cells): one ring per geometry, no splitting needed
        coords, owner = shapely.get_coordinates(geoms, return_index=True)
        return (np.abs(rings_signed_area_m2(coords, owner, len(geoms))) / 1e6).astype(np.float64, copy=False)
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    polygonal = shapely.get_type_id(parts) == 3
    parts, part_owner = parts[polygonal], part_owner[polygonal]
    if len(parts) == 0:
        return result
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, point_ring = shapely.get_coordinates(rings, return_index=True)
    ring_area = np.abs(rings_signed_area_m2(coords, point_ring, len(rings)))
    exterior = np.r_[True, ring_part[1:] != ring_part[:-1]]
    part_area = np.bincount(ring_part, weights=np.where(exterior, ring_area, -ring_area), minlength=len(parts))
    np.add.at(result, part_owner, np.clip(part_area, 0.0, None))
    return (result / 1e6).astype(np.float64, copy=False)


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    return float(geodesic_areas_km2(np.array([geometry], dtype=object))[0])


# ------------------------------------------------------------------------ batches
_NUMBER = np.zeros(256, dtype=bool)
_NUMBER[np.frombuffer(b"0123456789.-+eE", dtype=np.uint8)] = True
_SIMPLE = _NUMBER.copy()
_SIMPLE[np.frombuffer(b"POLYGN (),;", dtype=np.uint8)] = True


def _simple_polygons(wkts: Sequence[str]) -> Optional[tuple[FloatArray, IntArray]]:
    """Coordinates and point counts of WKTs that are all plain one-ring 2D ``POLYGON``s.

    Grid footprints are such polygons. Reading their numbers in one numpy pass over the
    joined text takes about half the time of a WKT parser building each geometry;
    anything else (multipolygons, holes, Z/M, EMPTY, other characters) returns None
    and goes through :func:`shapely.from_wkt`.
    """
    n = len(wkts)
    try:
        raw = np.frombuffer(";".join(wkts).encode("ascii"), dtype=np.uint8)
    except UnicodeEncodeError:
        return None
    if not _SIMPLE[raw].all():
        return None
    ends = np.flatnonzero(raw == 59)  # ';' between geometries

    def per_geometry(char: int) -> IntArray:
        counts: IntArray = np.bincount(np.searchsorted(ends, np.flatnonzero(raw == char)), minlength=n)
        return counts

    if len(ends) != n - 1 or (per_geometry(80) != 1).any() or (per_geometry(40) != 2).any():
        return None  # not exactly one 'P' (POLYGON) and one ring '((' per geometry
    points = per_geometry(44) + 1  # commas + 1
    numbers = np.fromstring(  # text mode (sep given), not the deprecated binary mode
        np.where(_NUMBER[raw], raw, 32).astype(np.uint8).tobytes().decode("ascii"), sep=" ")
    if numbers.size != 2 * int(points.sum()):
        return None
    return numbers.reshape(-1, 2), points.astype(np.int64)


def parse_footprints(wkts: Sequence[str]) -> tuple[GeomArray, FloatArray]:
    """Geometries and geodesic areas (km²) of lon/lat WKT footprints, vectorised.

    Raises ``shapely.errors.GEOSException`` for unreadable WKT."""
    if not wkts:
        return np.empty(0, dtype=object), np.zeros(0)
    simple = _simple_polygons(wkts)
    if simple is None:
        geoms: GeomArray = shapely.from_wkt(list(wkts), on_invalid="raise")
        return geoms, geodesic_areas_km2(geoms)
    coords, points = simple
    owner = np.repeat(np.arange(len(wkts), dtype=np.int64), points)
    areas = (np.abs(rings_signed_area_m2(coords, owner, len(wkts))) / 1e6).astype(np.float64, copy=False)
    polygons: GeomArray = np.asarray(shapely.polygons(shapely.linearrings(coords, indices=owner)), dtype=object)
    return polygons, areas


def parse_cells(cells: Sequence[GridCell]) -> tuple[GeomArray, FloatArray]:
    """Footprints of cells as shapely polygons, and their areas in km².

    A footprint the provider sent that is not a readable, non-empty polygon raises
    :class:`InvalidResponse` naming the cell: the grid is drawn as the provider returns
    it, so a broken cell is the provider's error, not something to guess around.
    """
    try:
        geoms, areas = parse_footprints([c.wkt for c in cells])
    except (shapely.errors.GEOSException, ValueError) as exc:
        raise InvalidResponse(
            "The provider returned a grid cell whose footprint cannot be read.", details=str(exc)
        ) from exc
    bad = np.flatnonzero(shapely.is_empty(geoms) | ~np.isin(shapely.get_type_id(geoms), (3, 6)))
    if bad.size:
        cell = cells[int(bad[0])]
        raise InvalidResponse(
            f"The provider returned grid cell {cell.guid} without a polygon footprint.",
            details=f"{len(bad)} cell(s) affected; first WKT: {cell.wkt[:200]}",
        )
    return geoms, areas


@dataclass
class Batch:
    """Cells that arrived together, with geometries, areas and a spatial index."""

    cells: list[GridCell]
    geoms: GeomArray
    areas: FloatArray
    tree: shapely.STRtree = field(repr=False)
    bounds: tuple[float, float, float, float]
    levels: npt.NDArray[np.bool_] = field(repr=False)  # True for minitiles

    def __len__(self) -> int:
        return len(self.cells)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while tens of thousands of geometry
    objects are created: each full collection it would trigger walks every live object
    (the cells, the cache) and made parsing a country's minitiles take twice as long.
    Nothing created here forms reference cycles; reference counting frees it as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def make_batch(cells: Sequence[GridCell]) -> Batch:
    """Parse, measure and index cells. Pure: safe to call in a worker thread."""
    cell_list = list(cells)
    with _collector_paused():
        geoms, areas = parse_cells(cell_list)
        levels = np.array([c.level is CellLevel.MINITILE for c in cell_list], dtype=bool)
        tree = shapely.STRtree(geoms)
    return Batch(cell_list, geoms, areas, tree, _bounds(geoms), levels)


def _meets(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


# ------------------------------------------------------------------------ store
class CellStore:
    """Every grid cell the client knows, by GUID, with spatial queries per batch.

    GUI-thread object (not locked). ``add`` ignores cells already known (a GUID's
    footprint does not change), so overlapping fetches cost nothing twice.
    """

    def __init__(self) -> None:
        self._batches: dict[int, Batch] = {}
        self._where: dict[str, tuple[int, int]] = {}  # guid -> (batch id, row)
        self._alive: dict[int, npt.NDArray[np.bool_]] = {}
        self._next_id = 0

    # -- content ----------------------------------------------------------------------
    def __contains__(self, guid: object) -> bool:
        return guid in self._where

    def __len__(self) -> int:
        return len(self._where)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def cell(self, guid: str) -> GridCell:
        batch_id, row = self._where[guid]
        return self._batches[batch_id].cells[row]

    def get(self, guid: str) -> Optional[GridCell]:
        return self.cell(guid) if guid in self._where else None

    def geometry(self, guid: str) -> BaseGeometry:
        batch_id, row = self._where[guid]
        geom: BaseGeometry = self._batches[batch_id].geoms[row]
        return geom

    def area_km2(self, guid: str) -> float:
        batch_id, row = self._where[guid]
        return float(self._batches[batch_id].areas[row])

    def arrays(self, guids: Sequence[str]) -> tuple[GeomArray, FloatArray]:
        """Geometries and areas of known cells, in the order given."""
        geoms = np.empty(len(guids), dtype=object)
        areas = np.empty(len(guids), dtype=np.float64)
        for k, guid in enumerate(guids):
            batch_id, row = self._where[guid]
            batch = self._batches[batch_id]
            geoms[k] = batch.geoms[row]
            areas[k] = batch.areas[row]
        return geoms, areas

    def levels_and_areas(self, guids: Sequence[str]) -> tuple[BoolArray, FloatArray]:
        """For each cell: is it a minitile, and its area (km²)."""
        minitile = np.empty(len(guids), dtype=bool)
        areas = np.empty(len(guids), dtype=np.float64)
        where, batches = self._where, self._batches
        for k, guid in enumerate(guids):
            batch_id, row = where[guid]
            batch = batches[batch_id]
            minitile[k] = batch.levels[row]
            areas[k] = batch.areas[row]
        return minitile, areas

    def total_area_km2(self, guids: Iterable[str]) -> float:
        total = 0.0
        for guid in guids:
            batch_id, row = self._where[guid]
            total += float(self._batches[batch_id].areas[row])
        return total

    @property
    def batch_count(self) -> int:
        return len(self._batches)

    # -- changes ----------------------------------------------------------------------
    def add(self, batch: Batch) -> list[str]:
        """Add a batch's unknown cells; return their GUIDs. Known GUIDs are skipped."""
        fresh = [k for k, c in enumerate(batch.cells) if c.guid not in self._where]
        if not fresh:
            return []
        if len(fresh) < len(batch.cells):
            keep = np.array(fresh, dtype=np.int64)
            sub_cells = [batch.cells[k] for k in fresh]
            sub_geoms = batch.geoms[keep]
            batch = Batch(sub_cells, sub_geoms, batch.areas[keep], shapely.STRtree(sub_geoms),
                          _bounds(sub_geoms), batch.levels[keep])
        batch_id = self._next_id
        self._next_id += 1
        self._batches[batch_id] = batch
        self._alive[batch_id] = np.ones(len(batch), dtype=bool)
        guids = [cell.guid for cell in batch.cells]
        self._where.update(zip(guids, zip(repeat(batch_id), range(len(guids)))))
        return guids

    def add_cells(self, cells: Sequence[GridCell]) -> list[str]:
        return self.add(make_batch([c for c in cells if c.guid not in self._where]))

    def remove(self, guids: Iterable[str]) -> int:
        """Forget cells; a batch left empty is dropped. Returns how many were removed."""
        removed = 0
        for guid in guids:
            where = self._where.pop(guid, None)
            if where is None:
                continue
            batch_id, row = where
            alive = self._alive[batch_id]
            alive[row] = False
            removed += 1
            if not alive.any():
                del self._alive[batch_id]
                del self._batches[batch_id]
        return removed

    # -- queries ----------------------------------------------------------------------
    def query(
        self,
        bounds: tuple[float, float, float, float],
        level: Optional[CellLevel] = None,
        geometry: Optional[BaseGeometry] = None,
    ) -> list[str]:
        """GUIDs of cells whose footprint meets ``bounds`` (or ``geometry`` if given)."""
        target: Any = geometry if geometry is not None else shapely.box(*bounds)
        found: list[str] = []
        for batch_id, batch in self._batches.items():
            if not _meets(batch.bounds, bounds):
                continue
            rows = batch.tree.query(target, predicate="intersects")
            if rows.size == 0:
                continue
            alive = self._alive[batch_id]
            rows = rows[alive[rows]]
            if level is not None:
                rows = rows[batch.levels[rows] == (level is CellLevel.MINITILE)]
            found.extend(batch.cells[int(r)].guid for r in np.sort(rows))
        return found

    def at(self, lon: float, lat: float) -> list[str]:
        """GUIDs of cells containing the point (edges included)."""
        point = shapely.Point(lon, lat)
        found: list[str] = []
        for batch_id, batch in self._batches.items():
            if not _meets(batch.bounds, (lon, lat, lon, lat)):
                continue
            rows = batch.tree.query(point, predicate="intersects")
            alive = self._alive[batch_id]
            found.extend(batch.cells[int(r)].guid for r in rows if alive[r])
        return found


def _bounds(geoms: GeomArray) -> tuple[float, float, float, float]:
    if len(geoms) == 0:
        return (math.inf, math.inf, -math.inf, -math.inf)
    b = shapely.total_bounds(geoms)
    return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
