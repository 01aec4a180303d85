"""A WKT reader that keeps rings exactly as written (unclosed rings stay unclosed).

GEOS refuses an unclosed ring without saying which one, and closes nothing; this reader
gives each ring to :mod:`core.aoi.build` as written, so the problem can be named with its
feature, polygon and ring. It reads WKT and EWKT (``SRID=4326;...``), 2D/Z/M/ZM, EMPTY,
all seven simple types, and several geometries in one text (one per line, or separated
by ``;`` or ``,``), each becoming one feature.

Coordinate lists are converted with one numpy call per list, so a million-vertex polygon
reads in well under a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .bigtext import BIG_ARRAY, wkt_positions
from .build import RawFeature, Ring, raw_from_rings

_TOKEN = re.compile(
    r"(?P<srid>[Ss][Rr][Ii][Dd]\s*=\s*-?\d+\s*;)|(?P<word>[A-Za-z]+)|(?P<open>\()|(?P<close>\))"
    r"|(?P<run>(?:[^A-Za-z()]+|(?<=[\d.])[eE](?=[-+]?\d))+)"
)
_SIMPLE = {"POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"}
_CURVED = {"CIRCULARSTRING", "COMPOUNDCURVE", "CURVEPOLYGON", "MULTICURVE", "MULTISURFACE"}
_OTHER = {"TRIANGLE", "TIN", "POLYHEDRALSURFACE"}
_DIMS = {"Z", "M", "ZM"}
#: Deepest nesting of GEOMETRYCOLLECTIONs read (each level is a Python call: deeper text
#: would exhaust the stack, a RecursionError found by the audit of issue 15).
MAX_COLLECTION_NESTING = 32
_NAMES = {
    "POINT": "Point",
    "LINESTRING": "LineString",
    "POLYGON": "Polygon",
    "MULTIPOINT": "MultiPoint",
    "MULTILINESTRING": "MultiLineString",
    "MULTIPOLYGON": "MultiPolygon",
    "GEOMETRYCOLLECTION": "GeometryCollection",
}


def looks_like_wkt(text: str) -> bool:
    head = text.lstrip()[:40].upper()
    head = re.sub(r"^SRID\s*=\s*-?\d+\s*;\s*", "", head)
    return any(head.startswith(name) for name in _SIMPLE | _CURVED | _OTHER)


@dataclass
class _Token:
    kind: str
    text: str
    offset: int


@dataclass
class _Geometry:
    kind: str
    polygons: list[tuple[Ring, ...]]
    left_out: list[str]


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[_Token] = []
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup or "run"
            value = match.group()
            if kind == "run":
                if not any(ch.isdigit() for ch in value):
                    if value.strip(" \t\r\n,;"):
                        self.tokens.append(_Token("junk", value.strip(), match.start()))
                    else:
                        self.tokens.append(_Token("sep", value, match.start()))
                    continue
                kind = "coords"
            self.tokens.append(_Token(kind, value, match.start()))
        self.pos = 0
        self.nesting = 0

    # -- token helpers ------------------------------------------------------------------
    def error(self, message: str, offset: int | None = None) -> InputError:
        if offset is None:
            offset = self.tokens[self.pos].offset if self.pos < len(self.tokens) else len(self.text)
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        snippet = self.text[offset : offset + 30].split("\n")[0]
        return InputError(
            f"The WKT cannot be read at line {line}, column {column} (near {snippet!r}): {message}",
            details=f"offset {offset}",
        )

    def skip_sep(self) -> None:
        while self.pos < len(self.tokens) and self.tokens[self.pos].kind == "sep":
            self.pos += 1

    def peek(self) -> _Token | None:
        self.skip_sep()
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str, what: str) -> _Token:
        token = self.peek()
        if token is None or token.kind != kind:
            found = "the end of the text" if token is None else repr(token.text[:20])
            raise self.error(f"expected {what}, found {found}.")
        self.pos += 1
        return token

    def comma_between(self) -> bool:
        """True if a separator holding a comma comes next (then consumed)."""
        if self.pos < len(self.tokens) and self.tokens[self.pos].kind == "sep" and "," in self.tokens[self.pos].text:
            self.pos += 1
            return True
        return False

    # -- grammar --------------------------------------------------------------------------
    def geometry(self) -> _Geometry:
        token = self.peek()
        if token is not None and token.kind == "srid":
            self.pos += 1
        word = self.take("word", "a geometry type such as POLYGON")
        kind = word.text.upper()
        if kind in _CURVED:
            raise self.error(
                f"{kind} is a curved geometry; convert it to straight segments "
                "(QGIS: Processing > Segmentize) or import it as a file.",
                word.offset,
            )
        if kind in _OTHER or kind not in _SIMPLE:
            raise self.error(f"{word.text} is not a geometry type Nadir reads.", word.offset)
        dims = 2
        token = self.peek()
        if token is not None and token.kind == "word" and token.text.upper() in _DIMS:
            dims = 2 + len(token.text)
            self.pos += 1
            token = self.peek()
        name = _NAMES[kind]
        if token is not None and token.kind == "word" and token.text.upper() == "EMPTY":
            self.pos += 1
            return _Geometry(name, [], [])
        if kind == "POLYGON":
            return _Geometry(name, [self.polygon_body(dims)], [])
        if kind == "MULTIPOLYGON":
            polygons = self.list_of(lambda: self.polygon_body(dims), allow_empty=True)
            return _Geometry(name, [p for p in polygons if p], [])
        if kind == "GEOMETRYCOLLECTION":
            if self.nesting >= MAX_COLLECTION_NESTING:
                raise self.error(
                    f"GEOMETRYCOLLECTIONs are nested more than {MAX_COLLECTION_NESTING} deep; "
                    "write the polygons side by side instead.",
                    word.offset,
                )
            self.nesting += 1
            members = self.list_of(self.geometry)
            self.nesting -= 1
            polygons = [p for m in members for p in m.polygons]
            left_out: list[str] = []
            for member in members:
                if member.kind == "GeometryCollection":
                    left_out += member.left_out
                elif member.kind not in ("Polygon", "MultiPolygon"):
                    left_out.append(member.kind)
            return _Geometry(name, polygons, left_out)
        self.skip_group()
        return _Geometry(name, [], [])

    def list_of(self, item, allow_empty: bool = False):  # type: ignore[no-untyped-def]
        self.take("open", "'('")
        items = []
        while True:
            token = self.peek()
            if allow_empty and token is not None and token.kind == "word" and token.text.upper() == "EMPTY":
                self.pos += 1
                items.append(())
            else:
                items.append(item())
            if self.comma_between():
                continue
            self.take("close", "')' or ','")
            return items

    def polygon_body(self, dims: int) -> tuple[Ring, ...]:
        return tuple(self.list_of(lambda: self.ring(dims)))

    def ring(self, dims: int) -> Ring:
        self.take("open", "'(' starting a ring")
        token = self.take("coords", "coordinates")
        self.take("close", "')' closing the ring")
        return self.coordinates(token, dims)

    def coordinates(self, token: _Token, dims: int) -> Ring:
        text = token.text.strip().strip(",")
        if len(text) > BIG_ARRAY:
            per_point = len(text.split(",", 1)[0].split())
            sliced = wkt_positions(text, per_point) if per_point in (2, 3, 4) else None
            if sliced is not None and (dims == 2 or per_point == dims):
                return sliced
        points = text.count(",") + 1
        try:
            values = np.array(text.replace(",", " ").split(), dtype=np.float64)
        except ValueError:
            raise self.point_error(token, "is not a number") from None
        if points == 0 or values.size % points:
            raise self.point_error(token, f"does not have {dims} numbers")
        per_point = values.size // points
        if per_point < 2 or per_point > 4 or (dims > 2 and per_point != dims):
            raise self.point_error(token, f"does not have {dims} numbers")
        return values.reshape(points, per_point)[:, :2]

    def point_error(self, token: _Token, problem: str) -> InputError:
        offset = token.offset
        for index, chunk in enumerate(token.text.split(","), start=1):
            numbers = chunk.split()
            ok = len(numbers) in (2, 3, 4)
            try:
                [float(n) for n in numbers]
            except ValueError:
                ok = False
            if not ok:
                return self.error(f"position {index} of this list ({chunk.strip()!r}) {problem}.", offset)
            offset += len(chunk) + 1
        return self.error(f"the positions {problem}.", token.offset)

    def skip_group(self) -> None:
        self.take("open", "'('")
        depth = 1
        while depth:
            if self.pos >= len(self.tokens):
                raise self.error("a ')' is missing at the end.")
            kind = self.tokens[self.pos].kind
            depth += 1 if kind == "open" else -1 if kind == "close" else 0
            self.pos += 1


def read_wkt(text: str) -> list[RawFeature]:
    """Features from WKT text; raises :class:`InputError` saying where it cannot be read."""
    reader = _Reader(text)
    features: list[RawFeature] = []
    while reader.peek() is not None:
        token = reader.peek()
        if token is not None and token.kind == "junk":
            raise reader.error(f"{token.text[:20]!r} is not WKT.")
        geometry = reader.geometry()
        features.append(raw_from_rings(len(features) + 1, geometry.kind, geometry.polygons, geometry.left_out))
        if reader.pos < len(reader.tokens) and reader.tokens[reader.pos].kind == "sep":
            reader.pos += 1
    if not features:
        raise InputError("The text holds no WKT geometry.")
    return features
