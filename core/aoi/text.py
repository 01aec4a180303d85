"""Reading AOIs from text: WKT, GeoJSON and the JSON shapes analysts paste.

:func:`read_text` decides by the first character: ``{`` or ``[`` is JSON, anything else
must be WKT (:mod:`core.aoi.wkt`). JSON may be:

* GeoJSON: a geometry, a Feature, a FeatureCollection, a GeometryCollection, or a list of
  those (each Feature is one feature; its ``name``/``title``/``label`` property names it);
* a wrapper holding one of them or WKT text: ``{"geometry": ...}``, ``{"aoi": ...}``,
  ``{"GeoJson": ...}``, ``{"Wkt": "POLYGON(...)"}`` (ClearSKY's request fields);
* Esri JSON (``{"rings": [...], "spatialReference": {...}}``, or its feature sets);
* bare coordinates: a ring ``[[lon, lat], ...]``, a polygon or multipolygon's arrays, or a
  bounding box ``[west, south, east, north]`` (west > east crosses the antimeridian, as in
  RFC 7946 section 5.2).

Positions are checked where they are read, so a bad one is reported with its feature,
polygon, ring and vertex, and only that feature is refused. A GeoJSON ``crs`` member (the
2008 format) other than WGS 84 is kept in ``RawFeature.crs`` for the caller to reproject.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, Optional

import numpy as np
import shapely

from ..errors import InputError
from .bigtext import BIG_TEXT, BigArrays, split_geojson
from .build import RawFeature, Ring, raw_from_rings
from .model import Code, Problem, Severity, Where
from .wkt import looks_like_wkt, read_wkt

GEOJSON_GEOMETRIES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
NAME_KEYS = ("name", "title", "label", "aoi_name", "aoiname")
WKT_KEYS = ("wkt", "geometry_wkt", "geom_wkt", "the_geom")
WRAPPER_KEYS = ("geojson", "aoi", "aois", "geometry", "geom", "area", "areaofinterest", "intersects")
WGS84_NAMES = ("EPSG:4326", "EPSG::4326", "CRS84", "CRS:84", "OGC:1.3:CRS84", "WGS84")
#: Deepest nesting of JSON objects and lists the walker follows. A FeatureCollection's
#: coordinates are 5 levels deep; wrappers add a few. Deeper text is not an AOI (and would
#: exhaust Python's stack: the audit of issue 15 found a RecursionError here).
MAX_NESTING = 64
TOO_DEEP = "The JSON is nested too deeply to be an AOI (more than {} levels of objects and lists)."


def read_text(text: str) -> list[RawFeature]:
    """Features from pasted or file text; :class:`InputError` if nothing can be read."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.strip():
        raise InputError("There is no text to read. Paste WKT, such as POLYGON((lon lat, ...)), or GeoJSON.")
    if stripped[0] in "{[":
        return read_json(stripped)
    if looks_like_wkt(stripped):
        return read_wkt(stripped)
    start = stripped[:30].split("\n")[0]
    raise InputError(
        f"The text is neither WKT nor JSON: it starts with {start!r}. Paste WKT, such as "
        "POLYGON((lon lat, lon lat, ...)), or GeoJSON."
    )


def read_json(text: str) -> list[RawFeature]:
    big = split_geojson(text) if len(text) > BIG_TEXT else None
    if big is not None:
        try:
            data = json.loads(big.skeleton)
            walker = _Walker(big)
            walker.walk(data, crs=None)
            if walker.features:
                return walker.features
        except (ValueError, _Irregular):
            pass  # read it the ordinary way below, which names the problem exactly
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"The JSON cannot be read at line {exc.lineno}, column {exc.colno}: {exc.msg}. "
            "Check for a missing comma, bracket or quote there."
        ) from None
    except RecursionError:
        raise InputError(TOO_DEEP.format(MAX_NESTING)) from None
    except ValueError as exc:  # an integer with more than sys.get_int_max_str_digits() digits
        raise InputError(
            "The JSON holds a number with thousands of digits, which is no coordinate. Check the numbers in the text.",
            details=str(exc)[:200],
        ) from None
    walker = _Walker()
    walker.walk(data, crs=None)
    if not walker.features:
        raise InputError(
            "The JSON holds no geometry: Nadir looks for GeoJSON (a geometry, Feature or "
            'FeatureCollection), a "Wkt" text, Esri JSON rings or coordinate arrays.'
        )
    return walker.features


def _crs_of(obj: dict[str, Any], inherited: Optional[str]) -> Optional[str]:
    crs = obj.get("crs")
    if isinstance(crs, dict):
        props = crs.get("properties")
        name = props.get("name") if isinstance(props, dict) else None
        if isinstance(name, str):
            if any(name.upper().endswith(w) for w in WGS84_NAMES):
                return None
            return _short_crs(name)
    reference = obj.get("spatialReference")
    if isinstance(reference, dict):
        wkid = reference.get("latestWkid") or reference.get("wkid")
        if wkid is not None and not (isinstance(wkid, (int, str)) and str(wkid).isdigit()):
            return f"an unknown spatial reference (wkid {_shown(wkid, 30)})"
        if wkid is not None and str(wkid) != "4326":
            return f"EPSG:{3857 if str(wkid) == '102100' else wkid}"
        if wkid is not None:
            return None
    return inherited


def _short_crs(name: str) -> str:
    for marker in ("EPSG::", "EPSG:"):
        if marker in name.upper():
            return "EPSG:" + name.upper().split(marker)[-1]
    return name


def _name_of(obj: Any) -> Optional[str]:
    if not isinstance(obj, dict):
        return None
    lowered = {str(k).lower(): v for k, v in obj.items()}
    for key in NAME_KEYS:
        value = lowered.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            # a lone surrogate (JSON "\ud800") could not be written to a project or layer name
            return str(value).strip().encode("utf-8", "replace").decode("utf-8")
    return None


def _shown(value: Any, limit: int) -> str:
    """``value`` as JSON-like text for a message, cut to ``limit`` characters (lists are
    shown three levels deep and four items wide, so a huge or deep one costs nothing)."""
    return _brief(value, 0)[:limit]


def _brief(value: Any, level: int) -> str:
    if isinstance(value, list):
        if level >= 3:
            return "[...]"
        items = [_brief(item, level + 1) for item in value[:4]]
        return "[" + ", ".join(items + (["..."] if len(value) > 4 else [])) + "]"
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**20:
        return "a huge number"
    return json.dumps(value)


def _real(value: Any) -> Optional[float]:
    """A JSON number as a float (an integer too big for a float is infinite); None if
    ``value`` is no number (``true`` is not 1)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


def _type_of(obj: dict[str, Any]) -> Optional[str]:
    """The ``type`` member if it is text; :class:`_Bad` if it is something else."""
    kind = obj.get("type")
    if kind is None or isinstance(kind, str):
        return kind
    raise _Bad(Where(), f'the "type" member is {_shown(kind, 30)}, not a name such as "Polygon"')


def _depth(value: Any) -> int:
    """Nesting depth of a coordinate array: 1 for [x, y], 2 for a ring, ..."""
    depth = 0
    while isinstance(value, list) and value:
        depth += 1
        value = value[0]
    return depth if isinstance(value, (int, float)) and not isinstance(value, bool) else -1


class _Irregular(Exception):
    """A big coordinate array could not be read in slices."""


class _Walker:
    def __init__(self, big: Optional[BigArrays] = None) -> None:
        self.features: list[RawFeature] = []
        self.big = big
        self.nesting = 0

    def coordinates(self, obj: dict[str, Any]) -> Any:
        value = obj.get("coordinates")
        if self.big is None:
            return value
        resolved = self.big.resolve(value)
        if isinstance(resolved, str):
            raise _Irregular(resolved)
        return resolved

    @property
    def next_number(self) -> int:
        return len(self.features) + 1

    def add(
        self,
        kind: str,
        polygons: Sequence[Sequence[Ring]] = (),
        left_out: Sequence[str] = (),
        name: Optional[str] = None,
        crs: Optional[str] = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        self.features.append(raw_from_rings(self.next_number, kind, polygons, left_out, name, crs, problems))

    def walk(self, data: Any, crs: Optional[str], name: Optional[str] = None) -> None:
        if self.nesting >= MAX_NESTING:
            raise InputError(TOO_DEEP.format(MAX_NESTING))
        self.nesting += 1
        try:
            if isinstance(data, list):
                self.walk_list(data, crs, name)
            elif isinstance(data, dict):
                self.walk_object(data, crs, name)
            elif isinstance(data, str) and looks_like_wkt(data):
                self.add_wkt(data, name)
        finally:
            self.nesting -= 1

    def walk_list(self, data: list[Any], crs: Optional[str], name: Optional[str]) -> None:
        depth = _depth(data)
        if depth == 1 and len(data) in (4, 6):
            self.add_bbox(data, crs, name)
        elif depth == 1:
            self.add(kind="Point", name=name, crs=crs)
        elif depth in (2, 3, 4):
            kind = {2: "Polygon", 3: "Polygon", 4: "MultiPolygon"}[depth]
            coordinates = [data] if depth == 2 else data
            self.add_geometry({"type": kind, "coordinates": coordinates}, crs, name)
        else:
            for item in data:
                self.walk(item, crs, None)

    def walk_object(self, obj: dict[str, Any], crs: Optional[str], name: Optional[str]) -> None:
        crs = _crs_of(obj, crs)
        try:
            kind = _type_of(obj)
        except _Bad as bad:
            self.add("", name=name or _name_of(obj), problems=(_unreadable(self.next_number, bad.message),))
            return
        lowered = {str(k).lower(): v for k, v in obj.items()}
        if kind == "FeatureCollection" or isinstance(obj.get("features"), list):
            features = obj.get("features")
            if not isinstance(features, list) and features is not None:
                message = f'the FeatureCollection\'s "features" is {_shown(features, 30)}, not a list of features'
                self.add("", name=name or _name_of(obj), problems=(_unreadable(self.next_number, message),))
                return
            for feature in features or []:
                self.walk(feature, crs)
            return
        if kind == "Feature" or "attributes" in obj or "properties" in obj:
            properties = obj.get("properties") or obj.get("attributes")
            feature_name = _name_of(properties) or _name_of(obj) or name
            geometry = obj.get("geometry")
            if geometry is None:
                self.add(kind="", name=feature_name, crs=crs)
            else:
                self.walk(geometry, crs, feature_name)
            return
        if kind in GEOJSON_GEOMETRIES:
            self.add_geometry(obj, crs, name or _name_of(obj))
            return
        if isinstance(lowered.get("rings"), list):
            self.add_esri(lowered["rings"], crs, name or _name_of(obj))
            return
        name = name or _name_of(obj)
        for key in WKT_KEYS:
            value = lowered.get(key)
            if isinstance(value, str):
                self.add_wkt(value, name)
                return
        for key in WRAPPER_KEYS:
            if key in lowered and isinstance(lowered[key], (dict, list, str)):
                self.walk(lowered[key], crs, name)
                return
        if isinstance(lowered.get("bbox"), list):
            self.walk_list(lowered["bbox"], crs, name)
        elif isinstance(kind, str):
            message = f"{kind!r} is not a GeoJSON geometry type"
            self.add("", name=name, problems=(_unreadable(self.next_number, message),))

    # -- feature makers -----------------------------------------------------------------
    def add_wkt(self, text: str, name: Optional[str]) -> None:
        number = self.next_number
        try:
            found = read_wkt(text)
        except InputError as exc:
            self.add(kind="", name=name, problems=(_unreadable(number, exc.message),))
            return
        for raw in found:
            self.features.append(replace(raw, number=self.next_number, name=name))

    def add_bbox(self, values: list[Any], crs: Optional[str], name: Optional[str]) -> None:
        numbers = [_real(v) for v in values]
        if any(n is None for n in numbers):
            shown = _shown(values, 60)
            message = (
                f"the bounding box {shown} is not {len(values)} numbers "
                "([west, south, east, north], or with heights [west, south, low, east, north, high])"
            )
            self.add("Polygon", name=name, crs=crs, problems=(_unreadable(self.next_number, message),))
            return
        corners = [float(n) for n in numbers if n is not None]
        west, south, east, north = (corners[0], corners[1], corners[3], corners[4]) if len(corners) == 6 else corners
        if east < west and crs is None:
            east += 360.0  # RFC 7946 5.2: a bbox crossing the antimeridian
        ring = np.array([[west, south], [east, south], [east, north], [west, north], [west, south]], dtype=float)
        self.add(kind="Polygon", polygons=((ring,),), name=name, crs=crs)

    def add_esri(self, rings_data: list[Any], crs: Optional[str], name: Optional[str]) -> None:
        number = self.next_number
        rings = []
        for index, ring_data in enumerate(rings_data, start=1):
            ring, problem = _positions(ring_data, Where(feature=number, ring=index))
            if problem is None:
                problem = _not_finite(ring, Where(feature=number, ring=index))
            if problem is not None:
                self.add(kind="Polygon", name=name, problems=(problem,), crs=crs)
                return
            rings.append(ring)
        self.add(kind="Polygon", polygons=_esri_polygons(rings), name=name, crs=crs)

    def add_geometry(self, obj: dict[str, Any], crs: Optional[str], name: Optional[str]) -> None:
        number = self.next_number
        polygons: list[tuple[Ring, ...]] = []
        left_out: list[str] = []
        try:
            for kind, coordinates in _members(obj, self, 0):
                if kind not in ("Polygon", "MultiPolygon"):
                    left_out.append(kind)
                    continue
                bodies = [coordinates] if kind == "Polygon" else coordinates
                if not isinstance(bodies, list):
                    raise _Bad(Where(feature=number), f"the {kind} has no coordinate array")
                for body in bodies:
                    polygon_number = len(polygons) + 1
                    if not isinstance(body, list):
                        raise _Bad(Where(feature=number, polygon=polygon_number), "a polygon is not a list of rings")
                    rings = []
                    for r_index, ring_data in enumerate(body, start=1):
                        ring, problem = _positions(ring_data, Where(number, polygon_number, r_index))
                        if problem is not None:
                            raise _Bad(problem.where or Where(feature=number), problem.message, problem)
                        rings.append(ring)
                    if rings:
                        polygons.append(tuple(rings))
        except _Bad as bad:
            where = bad.where if bad.where != Where() else None
            problem = bad.problem or _unreadable(number, bad.message, where)
            self.add(kind=_kind_text(obj), name=name, problems=(problem,), crs=crs)
            return
        self.add(kind=_kind_text(obj), polygons=tuple(polygons), left_out=tuple(left_out), name=name, crs=crs)


class _Bad(Exception):
    def __init__(self, where: Where, message: str, problem: Optional[Problem] = None) -> None:
        super().__init__(message)
        self.where = where
        self.message = message
        self.problem = problem


def _unreadable(number: int, message: str, where: Optional[Where] = None) -> Problem:
    return Problem(
        Code.UNREADABLE,
        Severity.ERROR,
        message[0].upper() + message[1:].rstrip(".") + ".",
        "Correct this feature in the source.",
        where or Where(feature=number),
    )


def _kind_text(obj: dict[str, Any]) -> str:
    kind = obj.get("type")
    return kind if isinstance(kind, str) else ""


def _members(obj: dict[str, Any], walker: _Walker, nesting: int) -> Iterator[tuple[str, Any]]:
    kind = _type_of(obj)
    if kind == "GeometryCollection":
        members = obj.get("geometries")
        if members is not None and not isinstance(members, list):
            raise _Bad(Where(), f'the GeometryCollection\'s "geometries" is {_shown(members, 30)}, not a list')
        if nesting + walker.nesting >= MAX_NESTING:
            raise InputError(TOO_DEEP.format(MAX_NESTING))
        for member in members or []:
            if isinstance(member, dict):
                yield from _members(member, walker, nesting + 1)
        return
    if kind not in GEOJSON_GEOMETRIES:
        raise _Bad(Where(), f"{kind!r} is not a GeoJSON geometry type")
    if kind in ("Polygon", "MultiPolygon"):
        yield str(kind), walker.coordinates(obj)
    else:
        yield str(kind), None


def _positions(data: Any, where: Where) -> tuple[Ring, Optional[Problem]]:
    """A ring's positions as an (n, 2) array, or the problem with the first bad one."""
    empty = np.zeros((0, 2))
    if isinstance(data, np.ndarray):  # read in slices by core.aoi.bigtext
        return data, None
    if not isinstance(data, list):
        return empty, _unreadable(0, "a ring is not a list of positions", where)
    try:
        array = np.asarray(data, dtype=np.float64)
        if array.ndim == 2 and array.shape[1] >= 2 and len(data) and not _has_bool(data):
            return array[:, :2], None
    except (ValueError, TypeError, OverflowError):
        pass  # looked at position by position below
    rows = []
    for index, position in enumerate(data, start=1):
        xy = [_real(v) for v in position[:2]] if isinstance(position, list) and len(position) >= 2 else []
        if len(xy) < 2 or xy[0] is None or xy[1] is None:
            shown = _shown(position, 40)
            return empty, Problem(
                Code.BAD_POSITION,
                Severity.ERROR,
                f"Position {shown} is not [longitude, latitude].",
                "Each position must be a list of two numbers (a third, height, is ignored).",
                Where(where.feature, where.polygon, where.ring, index),
            )
        rows.append(xy)
    return np.asarray(rows, dtype=np.float64).reshape(-1, 2), None


def _has_bool(positions: list[Any]) -> bool:
    """True if a longitude or latitude is ``true``/``false`` (numpy would read it as 1 or 0).
    Texts over BIG_TEXT are read by core.aoi.bigtext, so this stays within ~100,000 positions."""
    return any(type(p[0]) is bool or type(p[1]) is bool for p in positions)


def _not_finite(ring: Ring, where: Where) -> Optional[Problem]:
    """NaN or infinity in a ring (JSON's NaN, Infinity, 1e400, a null read as NaN)."""
    finite = np.isfinite(ring).all(axis=1) if ring.size else np.ones(0, dtype=bool)
    if finite.all():
        return None
    vertex = int(np.flatnonzero(~finite)[0]) + 1
    return Problem(
        Code.BAD_POSITION,
        Severity.ERROR,
        "A coordinate is not a number.",
        "Fix or remove that vertex in the source data.",
        Where(where.feature, where.polygon, where.ring, vertex),
    )


def _esri_polygons(rings: list[Ring]) -> tuple[tuple[Ring, ...], ...]:
    """Esri rings: clockwise outer rings, counter-clockwise holes inside them."""
    usable = [r for r in rings if len(r) >= 4]
    shells = [r for r in usable if not shapely.LinearRing(r).is_ccw]
    holes = [r for r in usable if shapely.LinearRing(r).is_ccw]
    if not shells:  # writers that ignore orientation: every ring is an outer ring
        return tuple((r,) for r in usable)
    polygons: list[list[Ring]] = [[s] for s in shells]
    shapes = [shapely.Polygon(s) for s in shells]
    for hole in holes:
        point = shapely.Point(hole[0])
        owner = next((i for i, shape in enumerate(shapes) if shape.covers(point)), None)
        if owner is None:
            polygons.append([hole])
        else:
            polygons[owner].append(hole)
    return tuple(tuple(p) for p in polygons)
