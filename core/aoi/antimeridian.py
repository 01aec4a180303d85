"""Polygons that cross the antimeridian (±180°) or enclose a pole, made proper.

A ring crossing 180° arrives in one of two forms:

* *jumping*: consecutive longitudes jump by more than 180° (``179.5 -> -179.5``), as a
  polygon drawn across the line on a Pacific-centred map comes out of a reprojection;
* *continued*: longitudes run on past 180° (``175 ... 185``), as Leaflet, 0–360 data and a
  lon/lat canvas panned east of 180° give them.

Either way the ring is *unwrapped* (each jump of more than 180° taken as the short way
round, by adding whole multiples of 360° so values stay exact), the polygon is built in
that continuous longitude space, cut into 360°-wide windows at ±180°, ±540°… and each
piece shifted back into -180..180. The result is a list of polygons whose areas add up to
the unwrapped polygon's area: the split never changes the area, and never produces a box
around the world.

A ring whose unwrapped longitudes end 360° from where they started goes once around a
pole (a polar AOI drawn on a polar stereographic map). It is closed along the pole that
is on the side of the ring's mean latitude, which makes it a proper polygon in lon/lat.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely import affinity
from shapely.geometry.base import BaseGeometry

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Normalised:
    """Polygons of one input polygon in -180..180, and what had to be done."""

    polygons: tuple[shapely.Polygon, ...]
    crossed: bool = False  # split at the antimeridian
    wrapped: bool = False  # longitudes beyond ±180 were brought back
    pole: int = 0  # +1 / -1: a ring was closed over the north / south pole


class WindingError(ValueError):
    """A ring winds around a pole more than once: it cannot be made a polygon."""


def unwrap(lon: FloatArray) -> tuple[FloatArray, int]:
    """Longitudes without steps of more than 180°, and the ring's net turns (0, ±1...).

    Each step is taken the short way round; values change only by whole multiples of
    360°, so they stay exact.
    """
    if lon.size < 2:
        return lon, 0
    step = np.diff(lon)
    turns = np.zeros(lon.shape, dtype=np.int64)
    turns[1:] = np.cumsum(-np.rint(step / 360.0).astype(np.int64))
    if not turns.any():
        return lon, 0
    return lon + 360.0 * turns, int(turns[-1])


def _close_over_pole(ring: FloatArray, lon: FloatArray, turns: int) -> FloatArray:
    if abs(turns) != 1:
        raise WindingError("ring winds around the pole more than once")
    pole = 90.0 if float(np.mean(ring[:, 1])) >= 0.0 else -90.0
    extra = np.array([[lon[-1], pole], [lon[0], pole], [lon[0], ring[0, 1]]])
    return np.vstack([np.column_stack([lon, ring[:, 1]]), extra])


def _prepare_ring(ring: FloatArray) -> tuple[FloatArray, int]:
    """Unwrapped ring (closed), and +1/-1 if it was closed over a pole."""
    lon, turns = unwrap(ring[:, 0])
    if turns == 0:
        if lon is ring[:, 0]:
            return ring, 0
        return np.column_stack([lon, ring[:, 1]]), 0
    closed = _close_over_pole(ring, lon, turns)
    return closed, 1 if closed[-2, 1] > 0 else -1


def _shift_near(ring: FloatArray, centre: float) -> FloatArray:
    """``ring`` moved by whole turns so its mean longitude is nearest ``centre``."""
    turns = round((centre - float(np.mean(ring[:, 0]))) / 360.0)
    if turns == 0:
        return ring
    shifted = ring.copy()
    shifted[:, 0] += 360.0 * turns
    return shifted


def _polygonal(geometry: BaseGeometry) -> list[shapely.Polygon]:
    if isinstance(geometry, shapely.Polygon):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, (shapely.MultiPolygon, shapely.GeometryCollection)):
        return [p for g in geometry.geoms for p in _polygonal(g)]
    return []


def normalise_polygon(rings: list[FloatArray]) -> Normalised:
    """Split one polygon (closed rings, shell first, lon/lat) into -180..180 pieces.

    Rings must already be in range (latitudes within ±90, longitudes within ±360).
    A polygon that neither jumps nor leaves -180..180 comes back unchanged.
    """
    shell, pole = _prepare_ring(rings[0])
    holes = []
    for hole in rings[1:]:
        prepared, hole_pole = _prepare_ring(hole)
        pole = pole or hole_pole
        holes.append(prepared)
    lon_min = float(shell[:, 0].min())
    lon_max = float(shell[:, 0].max())
    if holes and (lon_min < -180.0 or lon_max > 180.0 or shell is not rings[0]):
        centre = (lon_min + lon_max) / 2.0
        holes = [_shift_near(h, centre) for h in holes]
    polygon = shapely.Polygon(shell, holes)
    if lon_min >= -180.0 and lon_max <= 180.0:
        return Normalised((polygon,), crossed=False, wrapped=False, pole=pole)

    first = int(np.floor((lon_min + 180.0) / 360.0))
    last = int(np.ceil((lon_max + 180.0) / 360.0)) - 1
    pieces: list[shapely.Polygon] = []
    windows = 0
    shifted = False
    for k in range(first, last + 1):
        west = -180.0 + 360.0 * k
        clipped = shapely.clip_by_rect(polygon, west, -90.0, west + 360.0, 90.0)
        found = _polygonal(clipped)
        if not found:
            continue
        windows += 1
        shifted = shifted or k != 0
        for piece in found:
            pieces.append(piece if k == 0 else affinity.translate(piece, xoff=-360.0 * k))
    if pole and len(pieces) > 1 and polygon.is_valid:
        # The two halves of a polar cap meet along the meridian where the ring started.
        pieces = _polygonal(shapely.union_all(pieces))
    crossed = windows > 1 and len(pieces) > 1
    return Normalised(tuple(pieces), crossed=crossed, wrapped=windows == 1 and shifted, pole=pole)
