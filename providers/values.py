"""Tolerant readers for values in provider JSON (STYLE.md 8): numbers as Decimal or
float, ISO dates and times, mappings and lists, geometry bounds. Unreadable -> None."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

import numpy as np
import shapely
from shapely.errors import GEOSException, ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


def as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def as_decimal(value: Any) -> Optional[Decimal]:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def as_float(value: Any) -> Optional[float]:
    """A finite float (also from a string); None otherwise (a Decimal beyond float's range too)."""
    number = as_decimal(value)
    result = float(number) if number is not None else None
    return result if result is not None and math.isfinite(result) else None


def as_int(value: Any) -> Optional[int]:
    """A whole number, also from a string (``"100"``); None for anything else (NaN too)."""
    number = as_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


#: Deepest nesting of lists and objects in a GeoJSON geometry shapely is asked to read: a
#: MultiPolygon's coordinates are 4 deep, a few nested GeometryCollections add some.
#: shapely reads recursively, so a body nested hundreds deep (json.loads reads up to about
#: 1,000) would end in a RecursionError.
MAX_GEOMETRY_NESTING = 16


def nested_deeper(value: Any, limit: int) -> bool:
    """True if lists and mappings in ``value`` nest deeper than ``limit`` (checked without
    recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, Mapping):
            stack.extend((item, depth + 1) for item in node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend((item, depth + 1) for item in node)
    return False


def as_geometry(value: Any) -> Optional[BaseGeometry]:
    """A shapely geometry from a GeoJSON mapping; None when it is not one."""
    if not isinstance(value, Mapping) or nested_deeper(value, MAX_GEOMETRY_NESTING):
        return None
    try:
        return shape(dict(value))
    except (ShapelyError, GEOSException, ValueError, TypeError, AttributeError, KeyError, IndexError,
            OverflowError):
        return None


def readable_geometry(value: Any) -> bool:
    """A GeoJSON geometry shapely reads, not empty, every coordinate a finite number: one
    the map, the cart and an order body can use (a footprint or AOI that is not is left out)."""
    geometry = as_geometry(value)
    if geometry is None or geometry.is_empty:
        return False
    return bool(np.isfinite(shapely.get_coordinates(geometry)).all())


def as_datetime(value: Any) -> Optional[datetime]:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def as_date(value: Any) -> Optional[date]:
    if not isinstance(value, str) or not value:
        return None
    if "T" in value:
        moment = as_datetime(value)
        return moment.date() if moment else None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def bounds(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    west, south, east, north = (float(v) for v in geometry.bounds)
    return west, south, east, north


def geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON dict (lists, not tuples) of a shapely geometry."""
    value = json.loads(shapely.to_geojson(geometry))
    return value if isinstance(value, dict) else {}
