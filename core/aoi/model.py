"""Areas of interest: the immutable AOI model and the problems validation reports.

An :class:`Aoi` is a MultiPolygon in EPSG:4326 (longitude, latitude), already split at the
antimeridian, with its geodesic area and the problems found in it. It is built from a
:class:`~core.aoi.build.RawFeature` (what a parser or a file reader found) by
:func:`core.aoi.build.build_aois`; nothing else constructs one from outside this package.

A :class:`Problem` says what is wrong (``message``), where (:class:`Where`: feature,
polygon, ring, vertex, coordinate) and what to do (``fix``), with a machine-readable
``code`` and, when Nadir can do the fix itself, a :class:`Fix`. Severity ``error`` means
the AOI cannot be ordered as it is; ``warning`` and ``info`` never block.

Messages are English: the UI may translate by ``code``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Optional

import shapely


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Fix(str, Enum):
    """Fixes Nadir can apply itself (the UI previews them before they are accepted)."""

    REPAIR = "repair"
    SIMPLIFY = "simplify"
    EXPLODE = "explode"


class Code:
    """Problem codes. Stable strings: stored in the AOI layer and used by the UI."""

    # reading
    UNREADABLE = "unreadable"
    FOREIGN_CRS = "foreign_crs"
    BAD_POSITION = "bad_position"
    # shape
    EMPTY = "empty"
    NOT_POLYGONAL = "not_polygonal"
    PARTS_LEFT_OUT = "parts_left_out"
    TOO_FEW_POINTS = "too_few_points"
    UNCLOSED_RING = "unclosed_ring"
    NO_AREA = "no_area"
    # coordinates
    LATITUDE_OUT_OF_RANGE = "latitude_out_of_range"
    LONGITUDE_OUT_OF_RANGE = "longitude_out_of_range"
    LONGITUDES_WRAPPED = "longitudes_wrapped"
    ANTIMERIDIAN_SPLIT = "antimeridian_split"
    POLE_ENCLOSED = "pole_enclosed"
    # validity
    SELF_INTERSECTION = "self_intersection"
    RING_SELF_INTERSECTION = "ring_self_intersection"
    HOLE_OUTSIDE_SHELL = "hole_outside_shell"
    NESTED_HOLES = "nested_holes"
    NESTED_SHELLS = "nested_shells"
    INTERIOR_DISCONNECTED = "interior_disconnected"
    DUPLICATE_RINGS = "duplicate_rings"
    OVERLAPPING_PARTS = "overlapping_parts"
    INVALID = "invalid"
    # provider rules (core.aoi.rules)
    TOO_SMALL = "too_small"
    BILLED_MINIMUM = "billed_minimum"
    TOO_LARGE = "too_large"
    TOO_MANY_VERTICES = "too_many_vertices"
    NOT_SINGLE_POLYGON = "not_single_polygon"


def format_coordinate(lon: float, lat: float) -> str:
    return f"({format_number(lon)}, {format_number(lat)})"


def format_number(value: float) -> str:
    """A coordinate as an analyst reads it: up to 6 decimals, no trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Where:
    """Where a problem is. Numbers are 1-based, as an analyst counts them.

    ``feature`` is the position of the feature in its source (file, layer, pasted text),
    ``polygon`` the polygon inside it, ``ring`` 1 for the outer ring and 2.. for holes,
    ``vertex`` the position in that ring; ``lon``/``lat`` the coordinate in question.
    """

    feature: Optional[int] = None
    polygon: Optional[int] = None
    ring: Optional[int] = None
    vertex: Optional[int] = None
    lon: Optional[float] = None
    lat: Optional[float] = None

    def describe(self) -> str:
        parts = []
        if self.feature is not None:
            parts.append(f"feature {self.feature}")
        if self.polygon is not None:
            parts.append(f"polygon {self.polygon}")
        if self.ring is not None:
            parts.append("outer ring" if self.ring == 1 else f"hole {self.ring - 1}")
        if self.vertex is not None:
            parts.append(f"vertex {self.vertex}")
        text = ", ".join(parts)
        if self.lon is not None and self.lat is not None:
            coordinate = format_coordinate(self.lon, self.lat)
            text = f"{text} at {coordinate}" if text else f"at {coordinate}"
        return text

    def in_feature(self, feature: Optional[int]) -> Where:
        return replace(self, feature=feature)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: str
    fix: str = ""
    where: Optional[Where] = None
    fixable: Optional[Fix] = None
    provider: Optional[str] = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self) -> str:
        """One line for the analyst: where, what is wrong, what to do."""
        where = self.where.describe() if self.where else ""
        head = f"{where[0].upper()}{where[1:]}: " if where else ""
        message = self.message if not head else self.message[0].lower() + self.message[1:]
        return f"{head}{message}" + (f" {self.fix}" if self.fix else "")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "severity": self.severity.value, "message": self.message}
        if self.fix:
            data["fix"] = self.fix
        if self.where is not None:
            data["where"] = self.where.to_dict()
        if self.fixable is not None:
            data["fixable"] = self.fixable.value
        if self.provider is not None:
            data["provider"] = self.provider
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        where = data.get("where")
        fixable = data.get("fixable")
        return cls(
            code=str(data["code"]),
            severity=Severity(data.get("severity", "error")),
            message=str(data.get("message", "")),
            fix=str(data.get("fix", "")),
            where=Where(**where) if isinstance(where, dict) else None,
            fixable=Fix(fixable) if fixable in {f.value for f in Fix} else None,
            provider=data.get("provider"),
        )


def problems_to_json(problems: tuple[Problem, ...]) -> str:
    return json.dumps([p.to_dict() for p in problems], ensure_ascii=False)


def problems_from_json(text: str) -> tuple[Problem, ...]:
    """Problems stored by :func:`problems_to_json`; unreadable entries are skipped."""
    try:
        data = json.loads(text or "[]")
    except ValueError:
        return ()
    if not isinstance(data, list):
        return ()
    result = []
    for item in data:
        try:
            result.append(Problem.from_dict(item))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(result)


def new_aoi_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Aoi:
    """One area of interest. Immutable: changes make a new AOI (see ``aoi_build``)."""

    id: str
    name: str
    source: str
    geometry: shapely.MultiPolygon = field(repr=False)
    area_km2: float
    problems: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def vertex_count(self) -> int:
        """Positions as GeoJSON carries them (each ring's closing point included)."""
        return int(shapely.get_num_coordinates(self.geometry))

    @property
    def polygon_count(self) -> int:
        return len(self.geometry.geoms)

    @property
    def fixes(self) -> frozenset[Fix]:
        return frozenset(p.fixable for p in self.problems if p.fixable is not None)

    def renamed(self, name: str) -> Aoi:
        return replace(self, name=name.strip() or self.name)

    def status_text(self) -> str:
        """Short status for a table cell or the layer's ``status`` column."""
        errors = self.errors
        if errors:
            first = errors[0]
            more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
            return f"invalid: {first.code.replace('_', ' ')}{more}"
        warnings = [p for p in self.problems if p.severity is Severity.WARNING]
        if warnings:
            return f"valid, {len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
        return "valid"
