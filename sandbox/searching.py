"""Search-request pieces shared by the UP42 catalog and Geopera ``catalog.search``:
STAC ``datetime`` intervals, ``bbox``/``intersects``, numeric comparisons (STAC API
item-search, ``contract_data/stac-api/v1.0.0/item-search/openapi.yaml``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from . import geo

COMPARE = {
    "lt": lambda value, limit: value < limit,
    "lte": lambda value, limit: value <= limit,
    "gt": lambda value, limit: value > limit,
    "gte": lambda value, limit: value >= limit,
    "eq": lambda value, limit: value == limit,
}
ARCHIVE_START = datetime(1990, 1, 1, tzinfo=timezone.utc)


class SearchError(Exception):
    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.details = details


def parse_datetime_range(value: Any, now: datetime) -> tuple[datetime, datetime]:
    """STAC ``datetime``: ``a/b``, ``../b``, ``a/..`` or one instant (RFC 3339)."""

    def moment(text: str) -> datetime:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise SearchError(f"datetime: {text!r} is not an RFC 3339 date-time") from None
        if parsed.tzinfo is None:
            raise SearchError(f"datetime: {text!r} needs a time zone (e.g. a trailing Z)")
        return parsed.astimezone(timezone.utc)

    if value is None:
        return ARCHIVE_START, now
    if not isinstance(value, str) or not value.strip():
        raise SearchError("datetime: a string 'start/end' or an instant is expected")
    if "/" not in value:
        # an instant matches captures within its last written digit: responses write whole
        # seconds, so a datetime copied from a result finds that result again
        instant = moment(value)
        return instant, instant + (
            timedelta(seconds=1) - timedelta(microseconds=1) if not instant.microsecond else timedelta(0)
        )
    first, _, second = value.partition("/")
    start = ARCHIVE_START if first in ("", "..") else moment(first)
    end = now if second in ("", "..") else moment(second)
    if first in ("", "..") and second in ("", ".."):
        raise SearchError("datetime: at least one end of the interval must be given")
    if end < start:
        raise SearchError("datetime: the interval ends before it starts")
    return start, end


def search_geometry(body: dict[str, Any]) -> dict[str, Any] | None:
    """``intersects`` or ``bbox`` as a GeoJSON geometry (None if neither)."""
    if body.get("bbox") is not None and body.get("intersects") is not None:
        raise SearchError("only one of bbox and intersects may be given")
    box = body.get("bbox")
    if box is not None:
        if not isinstance(box, list) or len(box) not in (4, 6) or not all(isinstance(v, (int, float)) for v in box):
            raise SearchError("bbox: 4 (or 6) numbers [west, south, east, north] are expected")
        west, south, east, north = (box[0], box[1], box[3], box[4]) if len(box) == 6 else box
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
            raise SearchError("bbox: lon/lat out of range or south > north")
        if west > east:
            raise SearchError("bbox: boxes crossing the antimeridian are not supported; send two searches")
        return {
            "type": "Polygon",
            "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
        }
    shape_ = body.get("intersects")
    if shape_ is None:
        return None
    try:
        parsed = geo.parse_polygonal(shape_, allow=("Point", "Polygon", "MultiPolygon"))
    except geo.GeometryError as exc:
        raise SearchError(f"intersects: {exc}") from None
    return geo.to_geojson(parsed)
