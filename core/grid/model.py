"""A provider's tile grid on the client: zones, cell geometry and areas, and the cell store.

Nadir never computes a grid of its own: every cell is a
:class:`~core.models.GridCell` the provider returned, with its footprint as lon/lat WKT.
This module turns such cells into shapely geometries and geodesic areas in bulk (one
vectorised shapely/numpy pass per batch, no Python loop over geometries) and keeps them
in a :class:`CellStore`, whose spatial queries answer "which cells are in this view".

Cells arrive in *batches* (the tiles of one fetched area, the minitiles of one tile, the
cells of one AOI cover). A batch is built off the GUI thread with :func:`make_batch`
(WKT parsed, areas computed, STRtree built) and added to the store on the GUI thread,
which then only does dictionary work. Queries ask each batch whose bounds meet the query
box, so panning back over cached cells is a handful of tree lookups.

UTM zones (:mod:`core.grid.zones`) are named by the cells' EPSG codes.

Areas are geodesic on the WGS84 ellipsoid with edges straight in lon/lat, measured with
:mod:`core.geodesy` (the same measure as AOIs, so coverage ratios compare like with like).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from ..collector import collector_paused
from ..errors import InvalidResponse
from ..geodesy import rings_signed_area_m2
from ..models import CellLevel, GridCell
from .zones import Zone, in_own_band, zone_label

__all__ = ["Zone", "in_own_band", "zone_label"]  # re-exported: zones live in core.grid.zones

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
        np.where(_NUMBER[raw], raw, 32).astype(np.uint8).tobytes().decode("ascii"), sep=" "
    )
    if numbers.size != 2 * int(points.sum()):
        return None
    return numbers.reshape(-1, 2), points.astype(np.int64)


#: Vectorised calls handle at most this many cells at a time. A numpy or shapely call
#: holds the GIL from start to end, so work in a task would otherwise stop the GUI
#: thread for as long as one call over a country's minitiles takes (~100 ms and more).
GIL_CHUNK = 4096


def chunks(count: int, size: int = GIL_CHUNK) -> Iterator[slice]:
    for start in range(0, count, size):
        yield slice(start, min(count, start + size))


def parse_footprints(wkts: Sequence[str]) -> tuple[GeomArray, FloatArray]:
    """Geometries and geodesic areas (km²) of lon/lat WKT footprints, vectorised (in
    chunks of :data:`GIL_CHUNK`, so a worker thread lets the GUI thread run between them).

    Raises ``shapely.errors.GEOSException`` for unreadable WKT."""
    if len(wkts) > GIL_CHUNK:
        parts = [_parse_footprints(wkts[piece]) for piece in chunks(len(wkts))]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    return _parse_footprints(wkts)


def _parse_footprints(wkts: Sequence[str]) -> tuple[GeomArray, FloatArray]:
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
    """Cells that arrived together, column by column, with geometries, areas and a
    spatial index.

    Columns rather than one model object per cell: a country's minitiles are tens of
    thousands of cells, and every object the cyclic garbage collector tracks lengthens
    its full collections, which run on whatever thread allocates (often the GUI's).
    :meth:`cell` builds a :class:`GridCell` when one is asked for."""

    guids: list[str]
    levels: BoolArray  # True for minitiles
    epsgs: IntArray
    parents: list[Optional[str]]
    wkts: list[str]
    geoms: GeomArray
    areas: FloatArray
    tree: SpatialIndex = field(repr=False)
    bounds: tuple[float, float, float, float]
    #: GUID -> row, built with the batch (off the GUI thread): adding a batch of tens of
    #: thousands of cells to the store then creates no object per cell there
    rows: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rows: dict[str, int] = {}
        for piece in chunks(len(self.guids)):  # one C call holds the GIL: not 73,000 at once
            rows.update(zip(self.guids[piece], range(piece.start, piece.stop)))
        self.rows = rows

    def __len__(self) -> int:
        return len(self.guids)

    def cell(self, row: int) -> GridCell:
        return GridCell.model_construct(
            guid=self.guids[row],
            level=CellLevel.MINITILE if self.levels[row] else CellLevel.TILE,
            epsg=int(self.epsgs[row]),
            wkt=self.wkts[row],
            parent=self.parents[row],
        )

    @property
    def cells(self) -> list[GridCell]:
        return [self.cell(row) for row in range(len(self.guids))]

    def columns(self, rows: Sequence[int]) -> Columns:
        """Some rows as :class:`Columns` (footprints and areas as parsed: no parsing again)."""
        keep = np.asarray(rows, dtype=np.int64)
        geoms = self.geoms[keep]
        return Columns(
            [self.guids[k] for k in rows],
            self.levels[keep],
            self.epsgs[keep],
            [self.parents[k] for k in rows],
            [self.wkts[k] for k in rows],
            geoms,
            self.areas[keep],
            _bounds(geoms),
        )

    def subset(self, rows: Sequence[int]) -> Batch:
        keep = np.asarray(rows, dtype=np.int64)
        geoms = self.geoms[keep]
        return Batch(
            [self.guids[k] for k in rows],
            self.levels[keep],
            self.epsgs[keep],
            [self.parents[k] for k in rows],
            [self.wkts[k] for k in rows],
            geoms,
            self.areas[keep],
            shapely.STRtree(geoms),
            _bounds(geoms),
        )


@dataclass
class Columns:
    """A batch before its spatial index: the cells' columns, parsed footprints and
    areas. Built in pieces (:func:`cell_columns`, e.g. while further cells are still
    being fetched) and joined into one :class:`Batch` by :func:`join_columns`."""

    guids: list[str]
    levels: BoolArray
    epsgs: IntArray
    parents: list[Optional[str]]
    wkts: list[str]
    geoms: GeomArray
    areas: FloatArray
    bounds: tuple[float, float, float, float]
    tree: Optional[shapely.STRtree] = field(default=None, repr=False)  # of these cells alone


class PartsTree:
    """A batch's index as one STRtree per part, each built with its part (in a helper
    thread, during the provider calls). Building one tree over a country's minitiles
    holds the GIL, so the GUI thread too, for ~30 ms; a query asks the few parts whose
    bounds meet the geometry."""

    def __init__(self, parts: Sequence[tuple[int, shapely.STRtree, tuple[float, float, float, float]]]) -> None:
        self._parts = list(parts)

    def __len__(self) -> int:
        return sum(len(tree) for _, tree, _ in self._parts)

    def query(self, geometry: Any, predicate: Any = None) -> IntArray:
        minx, miny, maxx, maxy = geometry.bounds
        box = (float(minx), float(miny), float(maxx), float(maxy))
        found = [
            tree.query(geometry, predicate=predicate) + start
            for start, tree, bounds in self._parts
            if _meets(bounds, box)
        ]
        return np.concatenate(found).astype(np.int64) if found else np.zeros(0, dtype=np.int64)


#: a batch's index: rows meeting a geometry (``query(geometry, predicate=...)``)
SpatialIndex = Union[shapely.STRtree, PartsTree]


def cell_columns(cells: Sequence[GridCell]) -> Columns:
    """Parse and measure cells (no index). Pure: safe to call in a worker thread."""
    cell_list = list(cells)
    with collector_paused():
        geoms, areas = parse_cells(cell_list)
        levels = np.array([c.level is CellLevel.MINITILE for c in cell_list], dtype=bool)
        epsgs = np.array([c.epsg for c in cell_list], dtype=np.int64)
    return Columns(
        [c.guid for c in cell_list],
        levels,
        epsgs,
        [c.parent for c in cell_list],
        [c.wkt for c in cell_list],
        geoms,
        areas,
        _bounds(geoms),
        shapely.STRtree(geoms),
    )


def concat_columns(parts: Sequence[Columns]) -> Columns:
    """The columns of ``parts`` one after the other."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return cell_columns([])
    edges = np.array([p.bounds for p in parts], dtype=np.float64)
    bounds = (float(edges[:, 0].min()), float(edges[:, 1].min()), float(edges[:, 2].max()), float(edges[:, 3].max()))
    return Columns(
        [g for p in parts for g in p.guids],
        np.concatenate([p.levels for p in parts]),
        np.concatenate([p.epsgs for p in parts]),
        [g for p in parts for g in p.parents],
        [w for p in parts for w in p.wkts],
        np.concatenate([p.geoms for p in parts]),
        np.concatenate([p.areas for p in parts]),
        bounds,
    )


def join_columns(parts: Sequence[Columns]) -> Batch:
    """One batch of the cells of ``parts`` (in order), with its spatial index."""
    one = concat_columns(parts)
    tree: SpatialIndex
    if len(parts) > 1:
        starts = np.cumsum([0] + [len(p.guids) for p in parts[:-1]]).tolist()
        tree = PartsTree(
            [
                (start, p.tree if p.tree is not None else shapely.STRtree(p.geoms), p.bounds)
                for start, p in zip(starts, parts)
                if len(p.guids)
            ]
        )
    else:
        tree = one.tree if one.tree is not None else shapely.STRtree(one.geoms)
    return Batch(one.guids, one.levels, one.epsgs, one.parents, one.wkts, one.geoms, one.areas, tree, one.bounds)


def make_batch(cells: Sequence[GridCell]) -> Batch:
    """Parse, measure and index cells. Pure: safe to call in a worker thread."""
    return join_columns([cell_columns(cells)])


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
        self._where: dict[str, int] = {}  # guid -> batch id (its row: Batch.rows)
        self._alive: dict[int, npt.NDArray[np.bool_]] = {}
        self._next_id = 0

    # -- content ----------------------------------------------------------------------
    def __contains__(self, guid: object) -> bool:
        return guid in self._where

    def __len__(self) -> int:
        return len(self._where)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def _find(self, guid: str) -> tuple[Batch, int]:
        batch = self._batches[self._where[guid]]
        return batch, batch.rows[guid]

    def cell(self, guid: str) -> GridCell:
        batch, row = self._find(guid)
        return batch.cell(row)

    def epsg(self, guid: str) -> int:
        batch, row = self._find(guid)
        return int(batch.epsgs[row])

    def is_minitile(self, guid: str) -> bool:
        batch, row = self._find(guid)
        return bool(batch.levels[row])

    def level(self, guid: str) -> CellLevel:
        return CellLevel.MINITILE if self.is_minitile(guid) else CellLevel.TILE

    def parent(self, guid: str) -> Optional[str]:
        batch, row = self._find(guid)
        return batch.parents[row]

    def get(self, guid: str) -> Optional[GridCell]:
        return self.cell(guid) if guid in self._where else None

    def locate(self, guid: str) -> Optional[tuple[Batch, int]]:
        """The batch holding a cell and its row (batches never change once built)."""
        return self._find(guid) if guid in self._where else None

    def geometry(self, guid: str) -> BaseGeometry:
        batch, row = self._find(guid)
        geom: BaseGeometry = batch.geoms[row]
        return geom

    def area_km2(self, guid: str) -> float:
        batch, row = self._find(guid)
        return float(batch.areas[row])

    def arrays(self, guids: Sequence[str]) -> tuple[GeomArray, FloatArray]:
        """Geometries and areas of known cells, in the order given."""
        geoms = np.empty(len(guids), dtype=object)
        areas = np.empty(len(guids), dtype=np.float64)
        where, batches = self._where, self._batches
        for k, guid in enumerate(guids):
            batch = batches[where[guid]]
            row = batch.rows[guid]
            geoms[k] = batch.geoms[row]
            areas[k] = batch.areas[row]
        return geoms, areas

    def levels_and_areas(self, guids: Sequence[str]) -> tuple[BoolArray, FloatArray]:
        """For each cell: is it a minitile, and its area (km²)."""
        minitile = np.empty(len(guids), dtype=bool)
        areas = np.empty(len(guids), dtype=np.float64)
        where, batches = self._where, self._batches
        for k, guid in enumerate(guids):
            batch = batches[where[guid]]
            row = batch.rows[guid]
            minitile[k] = batch.levels[row]
            areas[k] = batch.areas[row]
        return minitile, areas

    def total_area_km2(self, guids: Iterable[str]) -> float:
        total = 0.0
        for guid in guids:
            batch, row = self._find(guid)
            total += float(batch.areas[row])
        return total

    @property
    def batch_count(self) -> int:
        return len(self._batches)

    # -- changes ----------------------------------------------------------------------
    def add(self, batch: Batch) -> list[str]:
        """Add a batch's unknown cells; return their GUIDs. Known GUIDs are skipped."""
        where = self._where
        if not where.keys().isdisjoint(batch.rows):  # some known: keep the others
            fresh = [k for k, guid in enumerate(batch.guids) if guid not in where]
            if not fresh:
                return []
            batch = batch.subset(fresh)
        elif not len(batch):
            return []
        batch_id = self._next_id
        self._next_id += 1
        self._batches[batch_id] = batch
        self._alive[batch_id] = np.ones(len(batch), dtype=bool)
        where.update(dict.fromkeys(batch.guids, batch_id))  # no object per cell (GUI thread)
        return list(batch.guids)

    def add_cells(self, cells: Sequence[GridCell]) -> list[str]:
        return self.add(make_batch([c for c in cells if c.guid not in self._where]))

    def remove(self, guids: Iterable[str]) -> int:
        """Forget cells; a batch left empty is dropped. Returns how many were removed."""
        removed = 0
        for guid in guids:
            batch_id = self._where.pop(guid, None)
            if batch_id is None:
                continue
            alive = self._alive[batch_id]
            alive[self._batches[batch_id].rows[guid]] = False
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
            guids = batch.guids
            found.extend(guids[int(r)] for r in np.sort(rows))
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
            found.extend(batch.guids[int(r)] for r in rows if alive[r])
        return found


def _bounds(geoms: GeomArray) -> tuple[float, float, float, float]:
    if len(geoms) == 0:
        return (math.inf, math.inf, -math.inf, -math.inf)
    b = shapely.total_bounds(geoms)
    return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
