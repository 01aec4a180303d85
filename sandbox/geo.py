"""Geometry checks and geodesic areas shared by the sandbox's provider modules.

GeoJSON in, GeoJSON out (EPSG:4326 lon/lat). Areas come from ``sandbox.geodesy``.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import Polygon

from . import geodesy


class GeometryError(ValueError):
    """The geometry cannot be used; the message says why."""


def parse_polygonal(obj: Any, *, allow: tuple[str, ...] = ("Polygon", "MultiPolygon")) -> BaseGeometry:
    """A valid, non-empty (Multi)Polygon in lon/lat from a GeoJSON geometry object."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise GeometryError("a GeoJSON geometry object with 'type' and 'coordinates' is expected")
    if obj["type"] not in allow:
        raise GeometryError(f"geometry type {obj['type']!r} is not accepted; use {' or '.join(allow)}")
    try:
        geometry = shape(obj)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise GeometryError(f"malformed {obj['type']} coordinates ({exc})") from None
    if geometry.is_empty:
        raise GeometryError("the geometry is empty")
    minx, miny, maxx, maxy = geometry.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise GeometryError("coordinates must be lon/lat in EPSG:4326 (longitude -180..180, latitude -90..90)")
    if not geometry.is_valid:
        from shapely.validation import explain_validity

        raise GeometryError(f"invalid geometry: {explain_validity(geometry)}")
    return geometry


def vertex_count(geometry: BaseGeometry) -> int:
    polygons = list(getattr(geometry, "geoms", [geometry]))
    return sum(len(p.exterior.coords) - 1 + sum(len(r.coords) - 1 for r in p.interiors) for p in polygons)


def area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area of a (Multi)Polygon in km² (``sandbox.geodesy``, WGS 84 ellipsoid)."""
    return geodesy.geodesic_area_km2(geometry)


def polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """Only the polygons of an intersection result (drops touching lines and points)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    from shapely.geometry import MultiPolygon

    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type == "Polygon"]
    return MultiPolygon(parts) if parts else Polygon()


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry with plain lists (JSON-serialisable, stable)."""

    def listify(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [listify(v) for v in value]
        return value

    data = dict(mapping(geometry))
    return {"type": data["type"], "coordinates": listify(data["coordinates"])}


def bbox(geometry: BaseGeometry) -> list[float]:
    return [round(v, 9) for v in geometry.bounds]
