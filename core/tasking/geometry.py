"""The geometry a UP42 tasking order takes, made from an AOI.

What UP42 documents:

* The product schema's ``geometry`` is one GeoJSON ``Polygon`` (``type`` is
  ``const: "Polygon"`` in the UP42 SDK's fixture
  ``sandbox/contract_data/up42/sdk-fixtures/data_product_schema_phr_tasking.json``;
  UP42's "Place an order" guide's example is a Polygon in WGS84). No MultiPolygon is allowed.
* In v2 orders the geometry travels in ``featureCollection``, and the API places one
  order per feature (``POST /v2/orders`` answers with one ``results`` entry per feature).
* At most 999 vertices per AOI (UP42's limit, ``core/aoi/rules.py``), counted as GeoJSON
  positions, closing points included.

So a one-polygon AOI is sent as it is. A multipolygon AOI is never changed silently:
:class:`Multipart` names what the analyst may choose, and the default refuses with a
message that gives the area each choice orders:

* ``SPLIT``: one feature, hence one tasking order, per polygon (what the v2 API does with
  several features; each is tasked, quoted and billed on its own);
* ``LARGEST``: only the largest polygon (the others are not ordered);
* ``HULL``: one polygon around all of them (the convex hull of the union): one
  acquisition, but the area in between is ordered and billed too. Refused for an AOI
  split at the antimeridian, whose hull would go round the world.

An outline over the vertex limit is simplified only when asked (``simplify=True``, or
:func:`simplify_to_limit` for a preview); the refusal says how much the area would change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Union

import numpy as np
import shapely
from shapely.geometry.polygon import orient

from ..aoi.geometry import percent_change, simplify_to_budget, vertex_count
from ..aoi.model import Aoi
from ..errors import InputError
from ..geodesy import geodesic_area_km2, metres_per_degree

#: UP42's vertex limit per AOI (core/aoi/rules.py)
MAX_VERTICES = 999
_EDGE = 180.0 - 1e-9
_BISECT_UP_TO = 50_000


class Multipart(str, Enum):
    """What to do with an AOI of several polygons (UP42 tasking takes one Polygon)."""

    REFUSE = "refuse"
    SPLIT = "split"
    LARGEST = "largest"
    HULL = "hull"


@dataclass(frozen=True)
class SimplifiedPolygon:
    polygon: shapely.Polygon
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
            f"Simplified from {self.vertices_before:,} to {self.vertices_after:,} vertices; the outline moved "
            f"at most {self.max_deviation_m:,.1f} m; area {self.area_after_km2:,.3f} km² "
            f"({self.area_change_percent:+.2f} %)."
        )


@dataclass(frozen=True)
class TaskingGeometry:
    """The polygons to order (one feature each) and what was changed to get them."""

    polygons: tuple[shapely.Polygon, ...]
    area_before_km2: float
    area_after_km2: float
    notes: tuple[str, ...] = ()

    @property
    def area_change_percent(self) -> float:
        return percent_change(self.area_before_km2, self.area_after_km2)

    @property
    def changed(self) -> bool:
        return bool(self.notes)

    def geojson(self, index: int = 0) -> dict[str, Any]:
        return polygon_geojson(self.polygons[index])

    def feature_collection(self) -> dict[str, Any]:
        """The v2 order's ``featureCollection``: one Polygon feature per order."""
        return {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": polygon_geojson(p), "properties": {}} for p in self.polygons],
        }


def polygon_geojson(polygon: shapely.Polygon) -> dict[str, Any]:
    """A GeoJSON Polygon (RFC 7946 winding: outer ring counter-clockwise), lists not tuples."""
    ring_polygon = orient(shapely.force_2d(polygon), 1.0)
    rings = [ring_polygon.exterior, *ring_polygon.interiors]
    return {"type": "Polygon", "coordinates": [[[float(x), float(y)] for x, y in ring.coords] for ring in rings]}


def simplify_to_limit(polygon: shapely.Polygon, limit: int = MAX_VERTICES) -> SimplifiedPolygon:
    """The polygon with at most ``limit`` vertices, simplified as little as possible.

    Douglas-Peucker with the topology preserved, in a local metric frame (degrees scaled
    to metres at the polygon's latitude), and the smallest tolerance found by bisection
    (to 0.1 %) among those that give at most ``limit`` positions and a valid polygon. The
    general AOI simplifier (:func:`core.aoi.geometry.simplify_to_budget`) bisects on the
    plain algorithm and then widens in steps of 25 %, which can land far under the limit
    (Chile: 818 of 999); one polygon of a tasking order is small enough to bisect exactly.
    Outlines over 50,000 vertices use that simplifier. Raises :class:`InputError` if the
    limit cannot be met (too many holes for it).
    """
    if not isinstance(polygon, shapely.Polygon) or polygon.is_empty:
        raise InputError("Only a single, non-empty polygon can be simplified for a tasking order.")
    polygon = shapely.force_2d(polygon)
    before = vertex_count(polygon)
    area_before = geodesic_area_km2(polygon)
    if before <= limit:
        return SimplifiedPolygon(polygon, 0.0, 0.0, before, before, area_before, area_before)
    if before > _BISECT_UP_TO or 4 * (1 + len(polygon.interiors)) > limit:
        result = simplify_to_budget(shapely.MultiPolygon([polygon]), limit)  # raises what cannot be met
        parts = list(result.geometry.geoms)
        if len(parts) != 1:
            raise InputError(
                f"Simplifying this polygon to {limit} vertices splits it into {len(parts)} pieces. "
                "Draw a simpler outline, or split the AOI first."
            )
        return SimplifiedPolygon(
            parts[0],
            result.tolerance_m,
            result.max_deviation_m,
            before,
            vertex_count(parts[0]),
            area_before,
            geodesic_area_km2(parts[0]),
        )
    kx, ky = metres_per_degree(max(-89.0, min(89.0, float(polygon.centroid.y))))
    local = shapely.transform(polygon, lambda c: c * np.array([kx, ky]))
    minx, miny, maxx, maxy = local.bounds
    low, high = 0.0, max(maxx - minx, maxy - miny)
    best = _fits(local, high, limit)
    if best is None:
        raise InputError(f"This polygon cannot be simplified to {limit} vertices. Draw a simpler outline.")
    for _ in range(60):
        if high - low <= high * 1e-3:
            break
        middle = (low + high) / 2.0
        candidate = _fits(local, middle, limit)
        if candidate is None:
            low = middle
        else:
            high, best = middle, candidate
    result_polygon = shapely.transform(best, lambda c: c / np.array([kx, ky]))
    if not isinstance(result_polygon, shapely.Polygon) or not result_polygon.is_valid:
        raise InputError(
            f"This polygon cannot be simplified to {limit} vertices and stay valid. Draw a simpler outline."
        )
    deviation = float(shapely.hausdorff_distance(local, best))
    return SimplifiedPolygon(
        result_polygon,
        high,
        deviation,
        before,
        vertex_count(result_polygon),
        area_before,
        geodesic_area_km2(result_polygon),
    )


def _fits(local: shapely.Polygon, tolerance: float, limit: int) -> shapely.Polygon | None:
    candidate = shapely.simplify(local, tolerance, preserve_topology=True)
    if (
        isinstance(candidate, shapely.Polygon)
        and not candidate.is_empty
        and candidate.is_valid
        and vertex_count(candidate) <= limit
    ):
        return candidate
    return None


def _split_at_antimeridian(polygons: list[shapely.Polygon]) -> bool:
    """Parts on both sides of 180° (an AOI split there), or more than half the globe apart:
    a hull in lon/lat would cover the wrong side of the Earth."""
    minx, _, maxx, _ = shapely.MultiPolygon(polygons).bounds
    bounds = [p.bounds for p in polygons]
    at_edge = any(b[0] <= -_EDGE for b in bounds) and any(b[2] >= _EDGE for b in bounds)
    return at_edge or maxx - minx > 180.0


def _km2(value: float) -> str:
    return f"{value:,.3f} km²" if value < 10 else f"{value:,.1f} km²"


def _parts(geometry: Union[shapely.Polygon, shapely.MultiPolygon]) -> list[shapely.Polygon]:
    if isinstance(geometry, shapely.Polygon):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, shapely.MultiPolygon):
        return [p for p in geometry.geoms if not p.is_empty]
    raise InputError(f"A tasking order needs a polygon; this AOI is a {geometry.geom_type}.")


def _hull(polygons: list[shapely.Polygon]) -> shapely.Polygon:
    if _split_at_antimeridian(polygons):
        raise InputError(
            "The parts of this AOI lie on both sides of the antimeridian (180°) or more than half "
            "the globe apart, so one outline around them would go round the world. Order each part "
            "separately or only the largest."
        )
    hull = shapely.convex_hull(shapely.MultiPolygon(polygons))
    if not isinstance(hull, shapely.Polygon):
        raise InputError("The parts of this AOI have no area together; draw the area again.")
    return hull


def _refusal(polygons: list[shapely.Polygon], area: float) -> InputError:
    largest = max(polygons, key=geodesic_area_km2)
    largest_area = geodesic_area_km2(largest)
    options = [
        f"order each polygon separately ({len(polygons)} tasking orders)",
        f"order only the largest ({_km2(largest_area)}, {100 * largest_area / area:.0f} % of the AOI)",
    ]
    if not _split_at_antimeridian(polygons):
        hull_area = geodesic_area_km2(_hull(polygons))
        options.append(
            f"order one outline around all of them ({_km2(hull_area)}, "
            f"{percent_change(area, hull_area):+.0f} % area, all of it billed)"
        )
    return InputError(
        f"UP42 tasking takes one polygon per order; this AOI has {len(polygons)} "
        f"({_km2(area)}). Choose to " + ", or ".join(options) + "."
    )


def tasking_geometry(
    geometry: Union[shapely.Polygon, shapely.MultiPolygon],
    multipart: Multipart = Multipart.REFUSE,
    limit: int = MAX_VERTICES,
    simplify: bool = False,
) -> TaskingGeometry:
    """The polygons to task for ``geometry`` (EPSG:4326), by UP42's rules (module docstring).

    Raises :class:`InputError` for a multipolygon with ``Multipart.REFUSE``, an invalid
    outline, or more than ``limit`` vertices without ``simplify``; each message says
    what to do.
    """
    polygons = [shapely.force_2d(p) for p in _parts(geometry)]
    if not polygons:
        raise InputError("This AOI is empty; draw or import an area first.")
    invalid = [p for p in polygons if not p.is_valid]
    if invalid:
        raise InputError(
            "This AOI's outline crosses itself or overlaps; use Repair on the AOI first.",
            details=shapely.is_valid_reason(invalid[0]),
        )
    area = geodesic_area_km2(shapely.MultiPolygon(polygons))
    notes: list[str] = []
    if len(polygons) > 1:
        if multipart is Multipart.REFUSE:
            raise _refusal(polygons, area)
        if multipart is Multipart.LARGEST:
            largest = max(polygons, key=geodesic_area_km2)
            notes.append(
                f"Only the largest of {len(polygons)} polygons is ordered "
                f"({_km2(geodesic_area_km2(largest))} of {_km2(area)})."
            )
            polygons = [largest]
        elif multipart is Multipart.HULL:
            hull = _hull(polygons)
            notes.append(
                f"One outline around all {len(polygons)} polygons is ordered "
                f"({_km2(geodesic_area_km2(hull))}, {percent_change(area, geodesic_area_km2(hull)):+.1f} %)."
            )
            polygons = [hull]
        else:
            notes.append(f"Each of the {len(polygons)} polygons is a tasking order of its own.")
    out: list[shapely.Polygon] = []
    for index, polygon in enumerate(polygons, start=1):
        count = vertex_count(polygon)
        if count <= limit:
            out.append(polygon)
            continue
        simplified = simplify_to_limit(polygon, limit)
        which = f"Polygon {index}: " if len(polygons) > 1 else ""
        if not simplify:
            raise InputError(
                f"{which}UP42 takes at most {limit} vertices per AOI; this one has {count:,}. "
                f"Simplify it: the outline would move at most {simplified.max_deviation_m:,.1f} m and "
                f"the area change by {simplified.area_change_percent:+.2f} %."
            )
        notes.append(which + simplified.describe())
        out.append(simplified.polygon)
    after = geodesic_area_km2(shapely.MultiPolygon(out)) if len(out) > 1 else geodesic_area_km2(out[0])
    return TaskingGeometry(tuple(out), area, after, tuple(notes))


def for_aoi(
    aoi: Aoi, multipart: Multipart = Multipart.REFUSE, simplify: bool = False, limit: int = MAX_VERTICES
) -> TaskingGeometry:
    """:func:`tasking_geometry` for an AOI (its MultiPolygon)."""
    return tasking_geometry(aoi.geometry, multipart, limit, simplify)
