"""From what was read to AOIs: checks in order, each problem located.

Every source (pasted text, a file read by OGR, a layer, a drawn shape) first becomes
:class:`RawFeature` objects: text readers pass the rings exactly as written to
:func:`raw_from_rings` (which reports unclosed rings and closes them), OGR and drawn shapes
pass shapely geometries to :func:`raw_from_geometry`. :func:`build_aois` then checks, in
this order:

1. something polygonal is there (points and lines are refused, saying what they are);
2. every coordinate is a number, within ±90° latitude and ±360° longitude, with a hint
   when latitude and longitude look swapped or the numbers look projected (metres);
3. the antimeridian: rings crossing it are split (:mod:`core.aoi.antimeridian`);
4. validity, each problem with its polygon, ring and coordinate;
5. geodesic area (:mod:`core.geodesy`); no area at all is refused.

Steps 1 and 2 refuse the feature (no AOI can be made from it); an AOI that fails step 4
is kept, marked invalid, with a repair offered. Every step works on whole coordinate
arrays at once, and only polygons that need it are taken apart, so the 240 countries of
QGIS's world map (220,000 vertices) build in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Optional

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry, BaseMultipartGeometry

from ..errors import InputError
from ..geodesy import area_of_rings_m2, geodesic_area_km2
from .antimeridian import WindingError, normalise_polygon
from .geometry import (
    RepairResult,
    SimplifyResult,
    as_multipolygon,
    explode,
    polygonal_parts,
    repair_geometry,
    simplify_to_budget,
    validity_problems,
)
from .model import Aoi, Code, Fix, Problem, Severity, Where, format_coordinate, format_number, new_aoi_id

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Ring = FloatArray

POLYGONAL_KINDS = frozenset({"Polygon", "MultiPolygon"})

#: Below one square metre an outline has no area worth the name (rounding noise of a
#: shape whose points lie on a line).
MIN_AREA_KM2 = 1e-6


@dataclass(frozen=True)
class RawFeature:
    """One feature as read, before any check.

    ``geometry`` holds the feature's polygons (rings closed) in lon/lat, or None if it
    had none; ``kind`` is the geometry type as read, ``left_out`` the types of its
    non-polygonal members, ``problems`` what the reader found (a reading error here
    refuses the feature), ``crs`` the declared CRS when it is not EPSG:4326.
    """

    number: int
    kind: str = ""
    geometry: Optional[shapely.MultiPolygon] = None
    left_out: tuple[str, ...] = ()
    name: Optional[str] = None
    problems: tuple[Problem, ...] = ()
    crs: Optional[str] = None


@dataclass(frozen=True)
class ImportResult:
    """AOIs made from a source, and the features that could not become AOIs."""

    aois: tuple[Aoi, ...] = ()
    refused: tuple[Problem, ...] = ()

    @property
    def total_area_km2(self) -> float:
        return sum(a.area_km2 for a in self.aois)

    def merged(self, other: ImportResult) -> ImportResult:
        return ImportResult(self.aois + other.aois, self.refused + other.refused)

    def summary(self) -> str:
        parts = [f"{len(self.aois)} AOI{'s' if len(self.aois) != 1 else ''}"]
        if self.aois:
            parts[0] += f" ({self.total_area_km2:,.3f} km²)"
        invalid = sum(1 for a in self.aois if not a.valid)
        if invalid:
            parts.append(f"{invalid} need{'s' if invalid == 1 else ''} repair")
        if self.refused:
            parts.append(f"{len(self.refused)} feature{'s' if len(self.refused) != 1 else ''} refused")
        return ", ".join(parts)


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _refuse(code: str, message: str, fix: str = "", where: Optional[Where] = None) -> _Refused:
    return _Refused(Problem(code, Severity.ERROR, message, fix, where))


# --- making RawFeatures -----------------------------------------------------------------
def raw_from_rings(
    number: int,
    kind: str,
    polygons: Sequence[Sequence[Ring]],
    left_out: Sequence[str] = (),
    name: Optional[str] = None,
    crs: Optional[str] = None,
    problems: Sequence[Problem] = (),
) -> RawFeature:
    """A RawFeature from rings as written in text (outer ring first, lon/lat).

    Unclosed rings are reported (an error with a repair that closes them) and closed;
    a ring with fewer than three distinct points refuses the feature.
    """
    found = list(problems)
    shapes: list[shapely.Polygon] = []
    for p_index, rings in enumerate(polygons, start=1):
        closed: list[Ring] = []
        for r_index, ring in enumerate(rings, start=1):
            where = Where(feature=number, polygon=p_index, ring=r_index)
            xy: FloatArray = np.asarray(ring, dtype=np.float64).reshape(-1, 2)
            finite = np.isfinite(xy).all(axis=1)
            if not finite.all():
                found.append(
                    Problem(
                        Code.BAD_POSITION,
                        Severity.ERROR,
                        "A coordinate is not a number.",
                        "Fix or remove that vertex in the source data.",
                        replace(where, vertex=int(np.flatnonzero(~finite)[0]) + 1),
                    )
                )
                closed = []
                break
            if len(xy) and (xy[0] != xy[-1]).any():
                found.append(
                    Problem(
                        Code.UNCLOSED_RING,
                        Severity.ERROR,
                        f"The ring is not closed: it starts at {format_coordinate(*xy[0])} and ends at "
                        f"{format_coordinate(*xy[-1])}.",
                        "Repeat the first point at the end, or use Repair to close it.",
                        replace(where, vertex=len(xy), lon=float(xy[-1, 0]), lat=float(xy[-1, 1])),
                        Fix.REPAIR,
                    )
                )
                xy = np.vstack([xy, xy[:1]])
            distinct = len(np.unique(xy[:16], axis=0)) if len(xy) < 16 else 3
            if distinct < 3:
                found.append(
                    Problem(
                        Code.TOO_FEW_POINTS,
                        Severity.ERROR,
                        f"The ring has {distinct} distinct point{'s' if distinct != 1 else ''}; a polygon needs "
                        "at least three corners.",
                        "Draw or import the area again with at least three corners.",
                        where,
                    )
                )
                closed = []
                break
            closed.append(xy)
        if closed:
            shapes.append(shapely.Polygon(closed[0], closed[1:]))
    geometry = shapely.MultiPolygon(shapes) if shapes else None
    return RawFeature(number, kind, geometry, tuple(left_out), name, tuple(found), crs)


def raw_from_geometry(
    geometry: Optional[BaseGeometry],
    number: int = 1,
    name: Optional[str] = None,
    crs: Optional[str] = None,
) -> RawFeature:
    """A RawFeature from a shapely geometry (z and m values dropped)."""
    if geometry is None or geometry.is_empty:
        kind = geometry.geom_type if geometry is not None else ""
        return RawFeature(number, kind=kind, name=name, crs=crs)
    polygons: Optional[shapely.MultiPolygon]
    left_out: list[str] = []
    if isinstance(geometry, shapely.MultiPolygon):
        polygons = geometry
    elif isinstance(geometry, shapely.Polygon):
        polygons = shapely.MultiPolygon([geometry])
    else:
        parts = list(_flatten(geometry))
        shapes = [p for p in parts if isinstance(p, shapely.Polygon) and not p.is_empty]
        polygons = shapely.MultiPolygon(shapes) if shapes else None
        left_out = [p.geom_type for p in parts if not isinstance(p, shapely.Polygon) and not p.is_empty]
    if polygons is not None and shapely.has_z(polygons):
        polygons = shapely.force_2d(polygons)
    return RawFeature(number, geometry.geom_type, polygons, tuple(left_out), name, (), crs)


def _flatten(geometry: BaseGeometry) -> Iterable[BaseGeometry]:
    if isinstance(geometry, BaseMultipartGeometry):
        for part in geometry.geoms:
            yield from _flatten(part)
    else:
        yield geometry


# --- checks -----------------------------------------------------------------------------
def _check_shape(raw: RawFeature) -> shapely.MultiPolygon:
    for problem in raw.problems:
        if problem.is_error and problem.code in (Code.UNREADABLE, Code.BAD_POSITION, Code.TOO_FEW_POINTS):
            raise _Refused(problem)
    if raw.crs:
        raise _refuse(
            Code.FOREIGN_CRS,
            f"The coordinates are in {raw.crs}, not in longitude/latitude (EPSG:4326).",
            "Import it as a file so it is reprojected, or convert it to EPSG:4326 first.",
            Where(feature=raw.number),
        )
    if raw.geometry is not None and not raw.geometry.is_empty:
        return raw.geometry
    where = Where(feature=raw.number)
    kinds = sorted(set(raw.left_out)) or ([raw.kind] if raw.kind and raw.kind not in POLYGONAL_KINDS else [])
    if not kinds or kinds == ["GeometryCollection"]:
        raise _refuse(
            Code.EMPTY,
            "The geometry is empty: it has no coordinates.",
            "Check that the feature has a shape; in QGIS, select it and zoom to it.",
            where,
        )
    kind_text = " and ".join(sorted({_plural(k) for k in kinds}))
    raise _refuse(
        Code.NOT_POLYGONAL,
        f"It is not an area: it holds {kind_text}. An AOI must be a polygon or multipolygon.",
        "Draw the area as a polygon, or turn points and lines into areas first "
        "(Vector > Geoprocessing Tools > Buffer, or Convex Hull).",
        where,
    )


def _plural(kind: str) -> str:
    return {
        "Point": "points",
        "MultiPoint": "points",
        "LineString": "lines",
        "MultiLineString": "lines",
        "LinearRing": "lines",
    }.get(kind, kind)


@dataclass(frozen=True)
class _Rings:
    """Every ring of a multipolygon as flat arrays (one shapely call each)."""

    polygons: npt.NDArray[np.object_]
    ring_polygon: IntArray  # polygon index of each ring
    ring_first: IntArray  # index of each ring's first point in ``coords``
    coords: FloatArray
    point_ring: IntArray  # ring index of each point

    @classmethod
    def of(cls, geometry: shapely.MultiPolygon) -> _Rings:
        polygons = shapely.get_parts(geometry)
        rings, ring_polygon = shapely.get_rings(polygons, return_index=True)
        coords, point_ring = shapely.get_coordinates(rings, return_index=True)
        ring_first = np.searchsorted(point_ring, np.arange(len(rings)))
        return cls(polygons, ring_polygon, ring_first, coords, point_ring)

    def where(self, number: int, point: int) -> Where:
        ring = int(self.point_ring[point])
        polygon = int(self.ring_polygon[ring])
        polygon_first_ring = int(np.searchsorted(self.ring_polygon, polygon))
        lon, lat = self.coords[point]
        return Where(
            number,
            polygon + 1,
            ring - polygon_first_ring + 1,
            point - int(self.ring_first[ring]) + 1,
            float(lon),
            float(lat),
        )

    def polygon_rings(self, polygon: int) -> list[Ring]:
        rings = np.flatnonzero(self.ring_polygon == polygon)
        ends = [*self.ring_first[rings[1:]], self.ring_first[rings[-1]] + self.ring_length(int(rings[-1]))]
        return [self.coords[int(start) : int(end)] for start, end in zip(self.ring_first[rings], ends)]

    def ring_length(self, ring: int) -> int:
        end = self.ring_first[ring + 1] if ring + 1 < len(self.ring_first) else len(self.coords)
        return int(end - self.ring_first[ring])


def _check_coordinates(number: int, table: _Rings) -> None:
    coords = table.coords
    finite = np.isfinite(coords).all(axis=1)
    if not finite.all():
        where = table.where(number, int(np.flatnonzero(~finite)[0]))
        raise _refuse(
            Code.BAD_POSITION,
            "A coordinate is not a number.",
            "Fix or remove that vertex in the source data.",
            replace(where, lon=None, lat=None),
        )
    lon, lat = coords[:, 0], coords[:, 1]
    bad_lat = np.abs(lat) > 90.0
    bad_lon = np.abs(lon) > 360.0
    bad = bad_lat | bad_lon
    if not bad.any():
        return
    first = int(np.flatnonzero(bad)[0])
    where = table.where(number, first)
    count = int(bad.sum())
    more = f" ({count:,} vertices are out of range)" if count > 1 else ""
    if float(np.abs(coords).max()) > 1000.0:
        fix = (
            "The numbers look like projected coordinates in metres, not degrees. Import the data "
            "with its coordinate reference system (for a file, keep its .prj or choose its CRS) or "
            "reproject it to EPSG:4326 (WGS 84) first."
        )
    elif bad_lat.any() and np.all(np.abs(lon) <= 90.0) and np.all(np.abs(lat) <= 180.0):
        fix = (
            "Latitude and longitude look swapped: GeoJSON and WKT put longitude first "
            "(x = longitude, y = latitude). Swap them and import again."
        )
    else:
        fix = "Check the coordinates: longitude goes from -180 to 180, latitude from -90 to 90."
    what = []
    if bad_lon[first]:
        what.append(f"longitude {format_number(lon[first])} is outside -180..180")
    if bad_lat[first]:
        what.append(f"latitude {format_number(lat[first])} is outside -90..90")
    message = f"{' and '.join(what).capitalize()}{more}."
    code = Code.LATITUDE_OUT_OF_RANGE if bad_lat[first] else Code.LONGITUDE_OUT_OF_RANGE
    raise _refuse(code, message, fix, where)


def _polygons_to_normalise(table: _Rings) -> IntArray:
    """Polygons with a ring that jumps across the antimeridian or leaves -180..180."""
    lon = table.coords[:, 0]
    outside = (lon < -180.0) | (lon > 180.0)
    jumps = np.abs(np.diff(lon)) > 180.0
    jumps &= table.point_ring[1:] == table.point_ring[:-1]
    rings = np.union1d(table.point_ring[np.flatnonzero(outside)], table.point_ring[np.flatnonzero(jumps)])
    result: IntArray = np.unique(table.ring_polygon[rings])
    return result


def _normalise(
    number: int, table: _Rings, geometry: shapely.MultiPolygon
) -> tuple[shapely.MultiPolygon, list[int], list[Problem]]:
    todo = _polygons_to_normalise(table)
    count = len(table.polygons)
    if todo.size == 0:
        return geometry, list(range(1, count + 1)), []
    pieces: list[shapely.Polygon] = []
    origins: list[int] = []
    crossed = wrapped = pole = 0
    todo_set = {int(i) for i in todo}
    for index in range(count):
        if index not in todo_set:
            pieces.append(table.polygons[index])
            origins.append(index + 1)
            continue
        try:
            result = normalise_polygon(table.polygon_rings(index))
        except WindingError:
            raise _refuse(
                Code.INVALID,
                "The outline goes around the pole more than once.",
                "Draw the area again without circling the pole twice.",
                Where(feature=number, polygon=index + 1),
            ) from None
        pieces.extend(result.polygons)
        origins.extend([index + 1] * len(result.polygons))
        crossed += result.crossed
        wrapped += result.wrapped
        pole = pole or result.pole
    problems = []
    where = Where(feature=number)
    if crossed:
        problems.append(
            Problem(
                Code.ANTIMERIDIAN_SPLIT,
                Severity.INFO,
                "The area crosses the antimeridian (180°); it was split there into polygons on both "
                "sides. The area is unchanged.",
                "",
                where,
            )
        )
    if wrapped:
        problems.append(
            Problem(
                Code.LONGITUDES_WRAPPED,
                Severity.INFO,
                "Longitudes beyond 180° were read as continuing round the globe and brought back into -180..180.",
                "",
                where,
            )
        )
    if pole:
        which = "north" if pole > 0 else "south"
        problems.append(
            Problem(
                Code.POLE_ENCLOSED,
                Severity.INFO,
                f"The outline goes around the {which} pole; the area was closed over the pole.",
                "",
                where,
            )
        )
    return shapely.MultiPolygon(pieces), origins, problems


def _build(raw: RawFeature, aoi_id: str, name: str, source: str) -> Aoi:
    geometry = _check_shape(raw)
    problems = list(raw.problems)
    if raw.left_out:
        kinds = " and ".join(sorted({_plural(k) for k in raw.left_out}))
        problems.append(
            Problem(
                Code.PARTS_LEFT_OUT,
                Severity.WARNING,
                f"The feature also held {kinds}; they were left out because an AOI is an area.",
                "",
                Where(feature=raw.number),
            )
        )
    table = _Rings.of(geometry)
    _check_coordinates(raw.number, table)
    normalised, origins, notes = _normalise(raw.number, table, geometry)
    problems.extend(notes)
    if not normalised.is_valid:
        problems.extend(validity_problems(list(normalised.geoms), origins, raw.number))
    if normalised is geometry:  # the common case: reuse the arrays already taken out
        area = area_of_rings_m2(table.coords, table.point_ring, table.ring_polygon) / 1e6
    else:
        area = geodesic_area_km2(normalised)
    geometry = normalised
    if area <= MIN_AREA_KM2 and not _repairable_to_area(geometry):
        raise _refuse(
            Code.NO_AREA,
            "The outline has no area: its points lie on a line or on top of each other.",
            "Draw or import the area again.",
            Where(feature=raw.number),
        )
    return Aoi(aoi_id, name, source, geometry, area, tuple(problems))


def _repairable_to_area(geometry: shapely.MultiPolygon) -> bool:
    if geometry.is_valid:
        return False
    try:
        return repair_geometry(geometry).area_after_km2 > MIN_AREA_KM2
    except InputError:
        return False


def build_aoi(raw: RawFeature, name: str, source: str, aoi_id: Optional[str] = None) -> Aoi:
    """One AOI, or :class:`~core.errors.InputError` carrying the reason it was refused."""
    try:
        return _build(raw, aoi_id or new_aoi_id(), name, source)
    except _Refused as refused:
        raise InputError(refused.problem.text()) from None


def build_aois(raws: Sequence[RawFeature], source: str, default_name: str) -> ImportResult:
    """AOIs from features; each refused feature becomes one problem in ``refused``.

    Names: the feature's own name if it has one, else ``default_name`` (numbered when
    there are several features).
    """
    aois: list[Aoi] = []
    refused: list[Problem] = []
    numbered = len(raws) > 1
    for raw in raws:
        name = raw.name or (f"{default_name} {raw.number}" if numbered else default_name)
        feature_source = f"{source} #{raw.number}" if numbered else source
        try:
            aois.append(_build(raw, new_aoi_id(), name, feature_source))
        except _Refused as exc:
            refused.append(exc.problem)
    return ImportResult(tuple(aois), tuple(refused))


# --- changes to an AOI (each returns a new one, checked again) ---------------------------
def with_geometry(aoi: Aoi, geometry: BaseGeometry) -> Aoi:
    """The same AOI (id, name, source) with a new shape, validated again."""
    raw = raw_from_geometry(as_multipolygon(geometry) if polygonal_parts(geometry) else geometry)
    return _strip_feature(_build(raw, aoi.id, aoi.name, aoi.source))


def _strip_feature(aoi: Aoi) -> Aoi:
    """Problems of a rebuilt AOI point at its polygons, not at a source feature."""
    problems = tuple(replace(p, where=p.where.in_feature(None)) if p.where else p for p in aoi.problems)
    return replace(aoi, problems=problems)


def repair_preview(aoi: Aoi) -> RepairResult:
    return repair_geometry(aoi.geometry)


def simplify_preview(aoi: Aoi, max_vertices: int, max_tolerance_m: Optional[float] = None) -> SimplifyResult:
    return simplify_to_budget(aoi.geometry, max_vertices, max_tolerance_m)


def split_into_polygons(aoi: Aoi) -> list[Aoi]:
    """One AOI per polygon of ``aoi``, named "<name> 1", "<name> 2"..."""
    parts = explode(aoi.geometry)
    if len(parts) < 2:
        return [aoi]
    return [
        _strip_feature(_build(raw_from_geometry(part), new_aoi_id(), f"{aoi.name} {i}", aoi.source))
        for i, part in enumerate(parts, start=1)
    ]


def dissolve(aois: Sequence[Aoi], name: str, source: str) -> Aoi:
    """One AOI covering all of ``aois`` (their union), validated again.

    Invalid AOIs are repaired first (a union of invalid shapes is undefined); the result
    says so in a warning.
    """
    shapes = []
    repaired = 0
    for aoi in aois:
        if aoi.valid:
            shapes.append(aoi.geometry)
            continue
        try:
            shapes.append(repair_geometry(aoi.geometry).geometry)
            repaired += 1
        except InputError:
            continue
    geometry = shapely.union_all(shapes)
    raw = raw_from_geometry(as_multipolygon(geometry))
    merged = _strip_feature(_build(raw, new_aoi_id(), name, source))
    if repaired:
        note = Problem(
            Code.INVALID,
            Severity.WARNING,
            f"{repaired} invalid feature{'s were' if repaired > 1 else ' was'} repaired before dissolving.",
        )
        merged = replace(merged, problems=(*merged.problems, note))
    return merged
