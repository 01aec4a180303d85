"""Geometry checks and fixes for AOIs: validity with locations, repair, simplification.

Everything works on shapely geometries in EPSG:4326 lon/lat. Fixes return the new
geometry together with what changed (area, polygons, vertices, tolerance) so the UI can
show the result on the map before the analyst accepts it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from ..geodesy import geodesic_area_km2, metres_per_degree
from .model import Code, Fix, Problem, Severity, Where

_REASON_RE = re.compile(r"^(?P<reason>[^\[]+?)\s*(?:\[(?P<x>\S+)\s+(?P<y>\S+)\])?$")

REPAIR_FIX = (
    "Use Repair to fix it: the repaired shape is shown on the map before it replaces the "
    "original. Or correct the source data and import it again."
)

#: GEOS validity reasons -> (code, what is wrong).
_REASONS: dict[str, tuple[str, str]] = {
    "Self-intersection": (
        Code.SELF_INTERSECTION,
        "The outline crosses itself (a bow-tie or figure-eight shape).",
    ),
    "Ring Self-intersection": (
        Code.RING_SELF_INTERSECTION,
        "A ring touches itself in one point, pinching the polygon.",
    ),
    "Hole lies outside shell": (Code.HOLE_OUTSIDE_SHELL, "A hole lies outside its outer ring."),
    "Nested holes": (Code.NESTED_HOLES, "A hole lies inside another hole."),
    "Holes are nested": (Code.NESTED_HOLES, "A hole lies inside another hole."),
    "Nested shells": (Code.NESTED_SHELLS, "One polygon lies inside another polygon of the same AOI."),
    "Interior is disconnected": (
        Code.INTERIOR_DISCONNECTED,
        "Holes cut the polygon into separate pieces.",
    ),
    "Duplicate Rings": (Code.DUPLICATE_RINGS, "The same ring appears twice."),
    "Too few points in geometry component": (
        Code.TOO_FEW_POINTS,
        "A ring has fewer than three distinct points.",
    ),
    "Invalid Coordinate": (Code.BAD_POSITION, "A coordinate is not a number."),
}


def polygonal_parts(geometry: Optional[BaseGeometry]) -> list[shapely.Polygon]:
    """The non-empty polygons inside any geometry (collections are searched)."""
    if geometry is None or geometry.is_empty:
        return []
    if isinstance(geometry, shapely.Polygon):
        return [geometry]
    if isinstance(geometry, (shapely.MultiPolygon, shapely.GeometryCollection)):
        return [p for part in geometry.geoms for p in polygonal_parts(part)]
    return []


def as_multipolygon(geometry: Optional[BaseGeometry]) -> shapely.MultiPolygon:
    return shapely.MultiPolygon(polygonal_parts(geometry))


def _parse_reason(text: str) -> tuple[str, Optional[float], Optional[float]]:
    match = _REASON_RE.match(text.strip())
    if not match:
        return text, None, None
    x, y = match.group("x"), match.group("y")
    try:
        return match.group("reason"), (float(x) if x else None), (float(y) if y else None)
    except ValueError:
        return match.group("reason"), None, None


def _ring_at(polygon: shapely.Polygon, x: float, y: float) -> int:
    rings = [polygon.exterior, *polygon.interiors]
    if len(rings) == 1:
        return 1
    distances = shapely.distance(shapely.Point(x, y), np.array(rings, dtype=object))
    return int(np.argmin(distances)) + 1


def validity_problems(
    polygons: list[shapely.Polygon],
    origins: Optional[list[int]] = None,
    feature: Optional[int] = None,
) -> list[Problem]:
    """Validity problems of an AOI's polygons, each located by polygon, ring and coordinate.

    ``origins[i]`` is the number of the input polygon that ``polygons[i]`` came from (an
    antimeridian split makes two from one), so messages point into the source data.
    """
    if not polygons:
        return []
    origins = origins or list(range(1, len(polygons) + 1))
    reasons = shapely.is_valid_reason(np.array(polygons, dtype=object))
    problems: list[Problem] = []
    for index, reason_text in enumerate(reasons):
        if reason_text == "Valid Geometry":
            continue
        reason, x, y = _parse_reason(str(reason_text))
        code, message = _REASONS.get(reason, (Code.INVALID, f"The polygon is not valid ({reason})."))
        ring = _ring_at(polygons[index], x, y) if x is not None and y is not None else None
        where = Where(feature=feature, polygon=origins[index], ring=ring, lon=x, lat=y)
        problems.append(Problem(code, Severity.ERROR, message, REPAIR_FIX, where, Fix.REPAIR))
    if problems or len(polygons) < 2:
        return problems
    whole = shapely.MultiPolygon(polygons)
    reason_text = shapely.is_valid_reason(whole)
    if reason_text != "Valid Geometry":
        reason, x, y = _parse_reason(str(reason_text))
        which = ""
        if x is not None and y is not None:
            near = shapely.dwithin(np.array(polygons, dtype=object), shapely.Point(x, y), 1e-9)
            numbers = sorted({origins[i] for i in np.flatnonzero(near)})
            if len(numbers) >= 2:
                which = f" (polygons {', '.join(str(n) for n in numbers[:-1])} and {numbers[-1]})"
        problems.append(
            Problem(
                Code.OVERLAPPING_PARTS,
                Severity.ERROR,
                f"Polygons of this AOI overlap or share an edge{which}.",
                "Use Repair to merge them into one outline, or import them as separate AOIs.",
                Where(feature=feature, lon=x, lat=y),
                Fix.REPAIR,
            )
        )
    return problems


def percent_change(before: float, after: float) -> float:
    return 0.0 if before <= 0 else 100.0 * (after - before) / before


@dataclass(frozen=True)
class RepairResult:
    geometry: shapely.MultiPolygon
    area_before_km2: float
    area_after_km2: float
    polygons_before: int
    polygons_after: int

    @property
    def area_change_percent(self) -> float:
        return percent_change(self.area_before_km2, self.area_after_km2)

    def describe(self) -> str:
        return (
            f"Repaired: {self.polygons_after} polygon{'s' if self.polygons_after != 1 else ''} "
            f"(was {self.polygons_before}), {self.area_after_km2:,.3f} km² "
            f"(was {self.area_before_km2:,.3f} km², {self.area_change_percent:+.2f} %)."
        )


def repair_geometry(geometry: BaseGeometry) -> RepairResult:
    """``make_valid`` keeping only polygonal parts; overlapping parts are merged.

    The "structure" method is used: it treats rings as outlines of areas, so overlapping
    polygons become their union and a self-touching hole stays a hole, which is what an
    analyst means by the shape they drew. Raises :class:`InputError` if nothing with an
    area is left (all points on a line).
    """
    before = polygonal_parts(geometry)
    fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    parts = polygonal_parts(fixed)
    if not parts:
        raise InputError(
            "Nothing with an area is left after repair: the outline's points lie on a line or "
            "on top of each other. Draw or import the area again."
        )
    result = shapely.MultiPolygon(parts)
    if not result.is_valid:  # parts of a collection may still touch along edges
        result = as_multipolygon(shapely.union_all(parts))
    return RepairResult(
        geometry=result,
        area_before_km2=geodesic_area_km2(shapely.MultiPolygon(before)) if before else 0.0,
        area_after_km2=geodesic_area_km2(result),
        polygons_before=len(before),
        polygons_after=len(result.geoms),
    )


@dataclass(frozen=True)
class SimplifyResult:
    geometry: shapely.MultiPolygon
    tolerance_m: float
    max_deviation_m: float
    vertices_before: int
    vertices_after: int
    area_before_km2: float
    area_after_km2: float

    @property
    def area_change_percent(self) -> float:
        return percent_change(self.area_before_km2, self.area_after_km2)

    def describe(self) -> str:
        return (
            f"Simplified from {self.vertices_before:,} to {self.vertices_after:,} vertices; "
            f"the outline moved at most {_metres(self.max_deviation_m)} "
            f"(tolerance {_metres(self.tolerance_m)}); area {self.area_after_km2:,.3f} km² "
            f"({self.area_change_percent:+.2f} %)."
        )


def _metres(value: float) -> str:
    return f"{value / 1000:,.2f} km" if value >= 1000 else f"{value:,.1f} m"


_HAUSDORFF_LIMIT = 50_000
_THIN_ABOVE = 50_000


def vertex_count(geometry: BaseGeometry) -> int:
    return int(shapely.get_num_coordinates(geometry))


def _to_local(geometry: BaseGeometry, kx: float, ky: float) -> BaseGeometry:
    return shapely.transform(geometry, lambda c: c * np.array([kx, ky]))


def simplify_to_budget(
    geometry: shapely.MultiPolygon,
    max_vertices: int,
    max_tolerance_m: Optional[float] = None,
) -> SimplifyResult:
    """Fewest changes that bring ``geometry`` to at most ``max_vertices`` positions.

    Douglas-Peucker in a local metric frame (degrees scaled to metres at the AOI's mean
    latitude). The smallest tolerance is found by bisection with the fast plain
    algorithm; the result is made with topology preserved (rings never cross). Big
    outlines are thinned on the way (first at a tolerance 100,000 times smaller than their
    size, then by each step still ten times over budget), so a million vertices take
    seconds; the stated tolerance includes those steps. The result
    states the tolerance and the largest distance the outline moved. Raises
    :class:`InputError` if the budget cannot be met, or not within ``max_tolerance_m``.
    """
    before = vertex_count(geometry)
    rings = sum(1 + len(p.interiors) for p in geometry.geoms)
    if rings * 4 > max_vertices:
        raise InputError(
            f"This AOI has {rings} rings (polygons and holes); even simplified to triangles they "
            f"need {rings * 4} vertices, more than the {max_vertices} allowed. Split it into "
            "several AOIs or remove small islands and holes."
        )
    area_before = geodesic_area_km2(geometry)
    if before <= max_vertices:
        return SimplifyResult(geometry, 0.0, 0.0, before, before, area_before, area_before)
    lat = float(geometry.centroid.y) if not geometry.is_empty else 0.0
    kx, ky = metres_per_degree(max(-89.0, min(89.0, lat)))
    local = _to_local(geometry, kx, ky)
    minx, miny, maxx, maxy = local.bounds
    ceiling = max(maxx - minx, maxy - miny)
    if max_tolerance_m is not None:
        ceiling = min(ceiling, max_tolerance_m)

    thinning = 0.0
    base = local
    if before > _THIN_ABOVE:
        # plain Douglas-Peucker: the topology-preserving one takes seconds on a million
        # vertices; at this tolerance rings do not cross, and the result is checked below
        thinning = min(max(maxx - minx, maxy - miny) * 1e-5, ceiling / 10.0)
        base = shapely.simplify(local, thinning, preserve_topology=False)

    def count(tolerance: float) -> int:
        return vertex_count(shapely.simplify(base, tolerance, preserve_topology=False))

    # Grow the tolerance from about the spacing of the wanted outline. While the outline is
    # still far over budget, continue from the thinned one (a cascade: each step's shift
    # adds up, a geometric series below a third of the final tolerance).
    high = max(ceiling / (max_vertices * 10.0), 0.01)
    while high < ceiling:
        thinner = shapely.simplify(base, high, preserve_topology=False)
        remaining = vertex_count(thinner)
        if remaining <= max_vertices:
            break
        if remaining > 10 * max_vertices:
            base, thinning = thinner, thinning + high
        high = min(high * 4.0, ceiling)
    low = 0.0
    for _ in range(30):
        if high - low <= max(high * 0.01, 0.01):
            break
        middle = (low + high) / 2.0
        if count(middle) <= max_vertices:
            high = middle
        else:
            low = middle
    best = shapely.simplify(base, high, preserve_topology=True)
    while vertex_count(best) > max_vertices and high < ceiling:  # topology kept a few more
        high = min(high * 1.25, ceiling)
        best = shapely.simplify(base, high, preserve_topology=True)
    if vertex_count(best) > max_vertices:
        limit = f" within {_metres(max_tolerance_m)}" if max_tolerance_m is not None else ""
        raise InputError(
            f"This AOI cannot be simplified to {max_vertices} vertices{limit}: it still has "
            f"{vertex_count(best):,}. Split it into several AOIs or draw a simpler outline."
        )
    tolerance = high + thinning
    # Douglas-Peucker keeps every dropped vertex within the tolerance of the new outline;
    # the exact largest shift is measured where that is cheap (Hausdorff is O(n*m)).
    deviation = float(shapely.hausdorff_distance(local, best)) if before <= _HAUSDORFF_LIMIT else tolerance
    result = _to_local(best, 1.0 / kx, 1.0 / ky)
    multi = as_multipolygon(result)
    if not multi.is_valid:
        multi = repair_geometry(multi).geometry
    return SimplifyResult(
        geometry=multi,
        tolerance_m=_round_up(tolerance),
        max_deviation_m=deviation,
        vertices_before=before,
        vertices_after=vertex_count(multi),
        area_before_km2=area_before,
        area_after_km2=geodesic_area_km2(multi),
    )


def _round_up(value: float) -> float:
    """Round a tolerance up to two significant digits, for stating it."""
    if value <= 0:
        return 0.0
    scale = 10.0 ** (math.floor(math.log10(value)) - 1)
    return math.ceil(value / scale) * scale


def explode(geometry: shapely.MultiPolygon) -> list[shapely.MultiPolygon]:
    """One single-polygon MultiPolygon per polygon."""
    return [shapely.MultiPolygon([p]) for p in geometry.geoms]
