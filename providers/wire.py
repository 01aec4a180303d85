"""The tolerant reader of provider JSON, shared by every adapter.

A provider may leave fields out, add new ones, or send a value in another type than its
documents say; Nadir reads what it can use and skips the rest instead of failing the
whole answer. Every reader here returns None (or an empty map or list) for a value it
cannot read. Two rules hold everywhere:

* Times: ISO 8601 read by pydantic (so ``Z`` and nanosecond fractions also work on
  Python 3.9 and 3.10, where ``datetime.fromisoformat`` refuses them); a time without a
  zone is read as UTC, the zone every provider's documents use; a number is not a time.
* Numbers: NaN and Infinity (``json.loads`` accepts both) and values beyond float's range
  are not numbers: the readers say None, and the wire models below read them as missing.

Wire models describe what a provider sends, loosely: every field optional unless the
adapter cannot work without it, extra fields ignored, enums kept as plain strings.
:func:`read` validates a parsed body against one and turns a mismatch into
:class:`core.errors.InvalidResponse` naming provider, endpoint and status.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Optional, TypeGuard, TypeVar

import numpy as np
import shapely
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.alias_generators import to_camel
from shapely.errors import GEOSException, ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..core.errors import InvalidResponse

W = TypeVar("W", bound=BaseModel)


class Wire(BaseModel):
    """Base of provider-side shapes: extra fields ignored, nothing frozen."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class CamelWire(Wire):
    """A wire shape whose JSON keys are the camelCase of its snake_case fields."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, alias_generator=to_camel)


def read(model: type[W], data: Any, *, provider: str, endpoint: str, status: Optional[int] = None) -> W:
    """``model`` validated from ``data``; :class:`InvalidResponse` when it does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'body'}: {error['msg']}" for error in exc.errors()[:5]
        )
        raise InvalidResponse(
            f"{provider} sent a response Nadir cannot read ({endpoint}). Try again later; if it persists, "
            f"the provider's API may have changed.",
            provider=provider,
            endpoint=endpoint,
            status=status,
            details=problems,
        ) from None


def read_list(
    model: type[W], items: Iterable[Any], *, provider: str, endpoint: str, status: Optional[int] = None
) -> list[W]:
    return [read(model, item, provider=provider, endpoint=endpoint, status=status) for item in items]


def is_geometry(value: Any) -> TypeGuard[Mapping[str, Any]]:
    """True for a GeoJSON geometry object (type and coordinates, or a collection) that can
    be drawn and sent back: shapely reads it, it is not empty, its coordinates are finite."""
    if not isinstance(value, Mapping):
        return False
    kind = value.get("type")
    if kind == "GeometryCollection":
        shaped = isinstance(value.get("geometries"), list)
    else:
        shaped = isinstance(kind, str) and "coordinates" in value
    return shaped and readable_geometry(value)


def next_link(links: Any) -> Optional[Mapping[str, Any]]:
    """The ``rel: next`` entry of a STAC/OGC ``links`` array, if any."""
    if not isinstance(links, list):
        return None
    for link in links:
        if isinstance(link, Mapping) and link.get("rel") == "next" and (link.get("href") or link.get("body")):
            return link
    return None


def pick(mapping: Mapping[str, Any], *keys: str) -> Any:
    """The first of ``keys`` present (not None) in ``mapping``."""
    for key in keys:
        value = mapping.get(key)
        if value is not None:
            return value
    return None


class SpringPage(CamelWire):
    """A Spring Data page: ``content`` and the counters UP42-shaped lists send."""

    content: list[Any] = Field(default_factory=list)
    total_pages: Optional[int] = None
    total_elements: Optional[int] = None
    number: Optional[int] = None
    last: Optional[bool] = None

    def has_more(self, page: int) -> bool:
        """Is there a page after ``page`` (0-based)? Stops at ``totalPages`` like UP42's SDK
        (``up42/utils.py paged_query``); without counters, stops on ``last`` or an empty page."""
        if self.total_pages is not None:
            return page + 1 < self.total_pages
        if self.last is not None:
            return not self.last
        return bool(self.content)


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


#: An ISO 8601 date at the start (``2025-04-01``), so a string of digits is never read as a
#: Unix time the way pydantic's datetime reader would.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT: TypeAdapter[datetime] = TypeAdapter(datetime)
_DAY: TypeAdapter[date] = TypeAdapter(date)


def _standard_zone(moment: datetime) -> datetime:
    """``moment`` with a ``datetime.timezone`` (UTC when it had none) instead of pydantic's own."""
    offset = moment.utcoffset()
    if offset is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.replace(tzinfo=timezone.utc if offset == timedelta(0) else timezone(offset))


def as_datetime(value: Any) -> Optional[datetime]:
    """An ISO 8601 timestamp (or a datetime) as an aware datetime, UTC when it has no zone;
    fractions beyond microseconds are cut. None when unreadable."""
    if isinstance(value, datetime):
        return _standard_zone(value)
    if not isinstance(value, str) or not _ISO_DAY.match(value.strip()):
        return None
    try:
        return _standard_zone(_MOMENT.validate_python(value.strip()))
    except ValidationError:
        return None


def as_date(value: Any) -> Optional[date]:
    """The calendar day written in an ISO 8601 date or timestamp (not converted to UTC)."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, str) or not _ISO_DAY.match(value.strip()):
        return None
    text = value.strip()
    if len(text) > 10:
        moment = as_datetime(text)
        return moment.date() if moment else None
    try:
        return _DAY.validate_python(text)
    except ValidationError:
        return None


def _not_finite_as_missing(value: Any) -> Any:
    """None for NaN, Infinity and numbers beyond float's range (also written as strings),
    so a wire model reads them as a missing value; anything else is left to pydantic."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        return value
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return value
    return value if number.is_finite() and math.isfinite(float(number)) else None


#: A wire model's number field: NaN and Infinity read as missing, like :func:`as_float`.
FiniteFloat = Annotated[Optional[float], BeforeValidator(_not_finite_as_missing)]
#: A wire model's amount field: NaN and Infinity read as missing, like :func:`as_decimal`.
FiniteDecimal = Annotated[Optional[Decimal], BeforeValidator(_not_finite_as_missing)]


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
    except (ShapelyError, GEOSException, ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError):
        return None


def _finite_coordinate(value: Any) -> bool:
    """A JSON number a float holds: finite, and an integer within float range (10**400 is not)."""
    if type(value) is float:
        return math.isfinite(value)
    return type(value) is int and -1.7e308 < value < 1.7e308


def _plain_polygons(value: Mapping[str, Any]) -> bool:
    """True for a Polygon or MultiPolygon made only of rings of at least 4 positions of 2
    or 3 finite numbers (one width throughout): what footprints are, and what shapely
    reads as a non-empty geometry. Checked in plain Python, 50 times faster than asking
    shapely; anything else (False) goes to shapely."""
    kind, coordinates = value.get("type"), value.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else None
    if not isinstance(polygons, list) or not polygons:
        return False
    width = 0
    for rings in polygons:
        if not isinstance(rings, list) or not rings:
            return False
        for ring in rings:
            if not isinstance(ring, list) or len(ring) < 4:
                return False
            for position in ring:
                if not isinstance(position, list) or len(position) not in (2, 3) or width not in (0, len(position)):
                    return False
                width = len(position)
                if not all(_finite_coordinate(v) for v in position):
                    return False
    return True


def readable_geometry(value: Any) -> bool:
    """A GeoJSON geometry shapely reads, not empty, every coordinate a finite number: one
    the map, the cart and an order body can use (a footprint or AOI that is not is left out)."""
    if isinstance(value, Mapping) and _plain_polygons(value):
        return True
    geometry = as_geometry(value)
    if geometry is None or geometry.is_empty:
        return False
    return bool(np.isfinite(shapely.get_coordinates(geometry)).all())


def bounds(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    west, south, east, north = (float(v) for v in geometry.bounds)
    return west, south, east, north


def geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON dict (lists, not tuples) of a shapely geometry."""
    value = json.loads(shapely.to_geojson(geometry))
    return value if isinstance(value, dict) else {}
