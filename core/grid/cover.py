"""Which grid cells cover an AOI, and what the cover costs in area (issue 4).

Tile orders bill the cells, not the AOI, so the analyst sees the *coverage ratio*
(selected cell area / AOI area) next to the selection.

Choosing cells where UTM zones overlap: the provider's zones overlap in transition
strips, so a point near a zone edge can lie in tiles of two zones. Ordering both would
bill that ground twice. The rule here:

1. in each UTM band (the 6-degree zone and hemisphere) the AOI touches, take the cells of
   *that band's own zone* that overlap the AOI's part in the band;
2. where the own zone leaves part of the band uncovered (zone switched off, or the
   provider's grid does not reach), take the cells of *other* enabled zones that overlap
   the uncovered part (a neighbour's transition tiles fill what they can);
3. what is still uncovered is reported (``uncovered_km2``), never hidden.

Cells of a zone that is not UTM (no band known) are taken wherever they overlap.
A cell counts as overlapping when the shared area exceeds ``max(1 m², 1e-5 x cell area)``
(10 m² for a minitile, 0.03 km² for a tile), so a cell merely touching the AOI along
an edge, or sharing a rounding sliver with it, is not billed.

Everything is vectorised: cells strictly inside the AOI are found with one prepared
predicate; only cells on the AOI's boundary are intersected and measured.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Optional, Union, cast

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from ..models import CellLevel
from .clip import overlap_areas_km2
from .model import (
    BoolArray,
    FloatArray,
    GeomArray,
    IntArray,
    SpatialIndex,
    Zone,
    chunks,
    geodesic_area_km2,
    geodesic_areas_km2,
)

MIN_OVERLAP_KM2 = 1e-6
MIN_OVERLAP_FRACTION = 1e-5
#: uncovered area smaller than this fraction of the AOI (or 0.001 km²) is rounding
GAP_FRACTION = 1e-6
GAP_KM2 = 1e-3


@dataclass(frozen=True)
class CoverResult:
    """The cells chosen to cover an AOI and the areas behind the coverage ratio."""

    level: CellLevel
    guids: tuple[str, ...]
    aoi_km2: float
    cells_km2: float
    covered_km2: float

    @property
    def ratio(self) -> float:
        """Selected cell area divided by AOI area (what is billed per km² asked for)."""
        return self.cells_km2 / self.aoi_km2 if self.aoi_km2 > 0 else float("inf")

    @property
    def uncovered_km2(self) -> float:
        gap = self.aoi_km2 - self.covered_km2
        return gap if gap > max(GAP_KM2, GAP_FRACTION * self.aoi_km2) else 0.0

    @property
    def complete(self) -> bool:
        return self.uncovered_km2 == 0.0


def polygonal(aoi: BaseGeometry) -> BaseGeometry:
    """The AOI's polygonal part, made valid; :class:`InputError` if there is none."""
    geometry = aoi if aoi.is_valid else shapely.make_valid(aoi)
    parts = shapely.get_parts(geometry)
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    for part in parts:  # make_valid may nest a GeometryCollection
        if part.geom_type == "GeometryCollection":
            polygons += [g for g in shapely.get_parts(part) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        raise InputError("The AOI has no area: a grid cover needs a polygon or multipolygon.")
    return shapely.union_all(polygons) if len(polygons) > 1 else polygons[0]


def subdivide(geometry: BaseGeometry, max_vertices: int = 64) -> GeomArray:
    """Polygons partitioning ``geometry``, each with at most ``max_vertices`` vertices
    (halved along the longer side until small enough): intersecting many small cells
    with small pieces is far cheaper than with one detailed coastline."""
    done: list[BaseGeometry] = []
    todo = [geometry]
    while todo:
        piece = todo.pop()
        if shapely.get_num_coordinates(piece) <= max_vertices:
            done.append(piece)
            continue
        minx, miny, maxx, maxy = piece.bounds
        if maxx - minx >= maxy - miny:
            mid = (minx + maxx) / 2.0
            halves = (shapely.box(minx, miny, mid, maxy), shapely.box(mid, miny, maxx, maxy))
        else:
            mid = (miny + maxy) / 2.0
            halves = (shapely.box(minx, miny, maxx, mid), shapely.box(minx, mid, maxx, maxy))
        for half in halves:
            part = shapely.intersection(piece, half)
            todo.extend(p for p in shapely.get_parts(part) if p.geom_type == "Polygon" and p.area > 0)
    return np.array(done, dtype=object)


class Region:
    """A part of an AOI (a UTM band's share, a gap), with what covers ask of it computed
    once: prepared geometry, geodesic area, pieces for intersections."""

    def __init__(self, geometry: BaseGeometry) -> None:
        self.geometry = geometry
        shapely.prepare(geometry)
        self._km2: Optional[float] = None
        self._pieces: Optional[tuple[GeomArray, shapely.STRtree]] = None

    @property
    def empty(self) -> bool:
        return bool(self.geometry.is_empty)

    @property
    def km2(self) -> float:
        if self._km2 is None:
            self._km2 = geodesic_area_km2(self.geometry)
        return self._km2

    def overlap_areas_km2(self, geoms: GeomArray) -> FloatArray:
        """Geodesic area (km²) each cell shares with the region."""
        if self._pieces is None:
            pieces = subdivide(self.geometry)
            self._pieces = (pieces, shapely.STRtree(pieces))
        pieces, tree = self._pieces
        result = np.zeros(len(geoms), dtype=np.float64)
        if len(geoms) == 0 or len(pieces) == 0:
            return result
        cell_index, piece_index = tree.query(geoms, predicate="intersects")
        shared = overlap_areas_km2(geoms, pieces, cell_index, piece_index)
        return np.bincount(cell_index, weights=shared, minlength=len(geoms)).astype(np.float64)


def _overlapping(
    region: Region, geoms: GeomArray, areas: FloatArray, known_inside: Optional[BoolArray] = None
) -> tuple[BoolArray, BoolArray, float]:
    """Which cells overlap the region with real area, which lie strictly inside it, and
    the area they cover (km²). ``known_inside`` marks cells already known to be inside
    (the minitiles of a tile inside the region): they are not tested again.

    Cells of one zone and level do not overlap each other, so the covered area is the
    sum of each cell's overlap.
    """
    inside = np.zeros(len(geoms), dtype=bool) if known_inside is None else known_inside.copy()
    if len(geoms) == 0:
        return inside, inside, 0.0
    part = region.geometry
    test = np.flatnonzero(~inside)
    if test.size:  # in chunks: each shapely call holds the GIL (see core.grid.GIL_CHUNK)
        for piece in chunks(test.size):
            rows = test[piece]
            inside[rows] = shapely.contains_properly(part, geoms[rows])
        test = test[~inside[test]]
        meets = np.zeros(test.size, dtype=bool)
        for piece in chunks(test.size):
            meets[piece] = shapely.intersects(part, geoms[test[piece]])
        test = test[meets]
    chosen = inside.copy()
    covered = float(areas[inside].sum())
    if test.size:
        overlap = np.concatenate([region.overlap_areas_km2(geoms[test[piece]]) for piece in chunks(test.size)])
        keep = overlap > np.maximum(MIN_OVERLAP_KM2, MIN_OVERLAP_FRACTION * areas[test])
        chosen[test[keep]] = True
        covered += float(overlap[keep].sum())
    return chosen, inside, covered


def is_utm(epsg: IntArray) -> BoolArray:
    result: BoolArray = ((epsg > 32600) & (epsg <= 32660)) | ((epsg > 32700) & (epsg <= 32760))
    return result


@dataclass
class Choice:
    """Chosen cells (indices), cells strictly inside the AOI part of their own band (a
    mask over all cells: their sub-cells are inside too) and the AOI area covered."""

    index: IntArray
    inside: BoolArray
    covered_km2: float


def _bands(aoi: BaseGeometry) -> list[Zone]:
    """The UTM bands the AOI touches (one per zone number and hemisphere).

    Named by the EPSG of the band's own zone, whether or not the provider sent cells of
    it: a band without own cells is a gap to fill from neighbours (and to report)."""
    minx, miny, maxx, maxy = aoi.bounds
    first = int(np.clip(np.floor((minx + 180.0) / 6.0) + 1, 1, 60))
    last = int(np.clip(np.floor((maxx + 180.0) / 6.0) + 1, 1, 60))
    bands = []
    for number in range(first, last + 1):
        for south, (lo, hi) in ((False, (0.0, 90.0)), (True, (-90.0, 0.0))):
            if maxy < lo or miny > hi:
                continue
            zone = Zone((32700 if south else 32600) + number)
            band = zone.band()
            assert band is not None
            if aoi.intersects(shapely.box(*band)):
                bands.append(zone)
    return bands


def choose(
    aoi: BaseGeometry,
    geoms: GeomArray,
    epsgs: Union[Sequence[int], IntArray],
    areas: Optional[FloatArray] = None,
    disabled: Collection[int] = (),
    tree: Optional[SpatialIndex] = None,
    known_inside: Optional[BoolArray] = None,
    regions: Optional[dict[int, Region]] = None,
) -> Choice:
    """The cells covering ``aoi`` (see the module rules). ``disabled`` zones (EPSG codes)
    are never chosen; ``known_inside`` marks cells known to lie inside the AOI part of
    their own band (no geometry test needed); ``regions`` caches the AOI's band parts
    between calls for the same AOI (tiles, then minitiles)."""
    regions = {} if regions is None else regions

    def region(key: int, make: Callable[[], BaseGeometry]) -> Region:
        if key not in regions:
            regions[key] = Region(make())
        return regions[key]

    geoms = np.asarray(geoms, dtype=object)
    epsg = np.asarray(epsgs, dtype=np.int64)
    areas = geodesic_areas_km2(geoms) if areas is None else np.asarray(areas, dtype=np.float64)
    hint = np.zeros(len(geoms), dtype=bool) if known_inside is None else np.asarray(known_inside, dtype=bool)
    index: SpatialIndex = tree if tree is not None else shapely.STRtree(geoms)
    candidates = index.query(aoi)  # envelopes only: _overlapping tests the geometries it must
    if disabled:
        candidates = candidates[~np.isin(epsg[candidates], np.fromiter(disabled, dtype=np.int64))]
    chosen = np.zeros(len(geoms), dtype=bool)
    inside = np.zeros(len(geoms), dtype=bool)
    covered = 0.0
    utm = is_utm(epsg[candidates])

    other = candidates[~utm]  # grids without zone bands: wherever they overlap
    if other.size:
        whole = region(0, lambda: aoi)
        mask, within, area = _overlapping(whole, geoms[other], areas[other], hint[other])
        chosen[other[mask]] = True
        inside[other[within]] = True
        covered += area

    candidates = candidates[utm]
    gaps: list[tuple[int, Region, IntArray]] = []
    for zone in _bands(aoi):
        band = zone.band()
        assert band is not None
        part = region(zone.epsg, partial(shapely.intersection, aoi, shapely.box(*band)))
        if part.empty:
            continue
        own = candidates[epsg[candidates] == zone.epsg]
        mask, within, area = _overlapping(part, geoms[own], areas[own], hint[own])
        chosen[own[mask]] = True
        inside[own[within]] = True
        covered += area
        if part.km2 - area > max(GAP_KM2, GAP_FRACTION * part.km2):
            gaps.append((zone.epsg, part, own[mask]))

    for band_epsg, part, own in gaps:  # fill from neighbouring zones' transition cells
        foreign = candidates[epsg[candidates] != band_epsg]
        if foreign.size == 0:
            continue
        gap = shapely.difference(part.geometry, shapely.union_all(geoms[own])) if own.size else part.geometry
        if gap.is_empty:
            continue
        mask, _, _ = _overlapping(Region(gap), geoms[foreign], areas[foreign])
        chosen[foreign[mask]] = True
        covered += _gap_cover(gap, geoms[foreign[mask]])
    return Choice(np.flatnonzero(chosen), inside, covered)


def _gap_cover(gap: BaseGeometry, cells: GeomArray) -> float:
    """Area (km²) of ``gap`` covered by cells of possibly several zones (they may overlap)."""
    if len(cells) == 0:
        return 0.0
    return geodesic_area_km2(shapely.intersection(gap, shapely.union_all(cells)))


def cover(
    aoi: BaseGeometry,
    level: CellLevel,
    guids: Sequence[str],
    geoms: GeomArray,
    epsgs: Union[Sequence[int], IntArray],
    areas: Optional[FloatArray] = None,
    disabled: Collection[int] = (),
    tree: Optional[SpatialIndex] = None,
    known_inside: Optional[BoolArray] = None,
    regions: Optional[dict[int, Region]] = None,
) -> CoverResult:
    """Choose the cells covering ``aoi`` among the given ones (all of one level)."""
    aoi = polygonal(aoi)
    areas = geodesic_areas_km2(np.asarray(geoms, dtype=object)) if areas is None else areas
    choice = choose(aoi, geoms, epsgs, areas, disabled, tree, known_inside, regions)
    aoi_km2 = geodesic_area_km2(aoi)
    return CoverResult(
        level=level,
        guids=tuple(cast("list[str]", np.asarray(guids, dtype=object)[choice.index].tolist())),
        aoi_km2=aoi_km2,
        cells_km2=float(np.asarray(areas)[choice.index].sum()),
        covered_km2=min(choice.covered_km2, aoi_km2),
    )
