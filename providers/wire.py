"""Tolerant reading of provider JSON (STYLE.md 8), shared by the UP42 and Geopera adapters.

Wire models describe what a provider sends, loosely: every field optional unless the
adapter cannot work without it, extra fields ignored, enums kept as plain strings.
:func:`read` validates a parsed body against one and turns a mismatch into
:class:`core.errors.InvalidResponse` naming provider, endpoint and status.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Optional, TypeGuard, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from ..core.errors import InvalidResponse
from .values import readable_geometry

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


def to_datetime(value: Any) -> Optional[datetime]:
    """An ISO 8601 timestamp as an aware datetime (UTC when no zone); None when unreadable."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    # Python 3.11 reads 'Z' and up to 6 fraction digits; some APIs send nanoseconds.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def to_date(value: Any) -> Optional[date]:
    moment = to_datetime(value)
    return moment.date() if moment else None


def to_decimal(value: Any) -> Optional[Decimal]:
    """A finite Decimal (also from a string); None for anything else, NaN and infinity too."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def to_float(value: Any) -> Optional[float]:
    """A finite float (also from a string); None for anything else, NaN and infinity too."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


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
