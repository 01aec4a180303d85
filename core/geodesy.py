"""Geodesic area on the WGS84 ellipsoid, with numpy and shapely only (no pyproj).

The area of a polygon is the area of the part of the ellipsoid's surface it bounds, with
each edge running straight in longitude/latitude (as GeoJSON, WKT and every provider read
a polygon given in EPSG:4326, RFC 7946 section 3.1.1). That is also how QGIS's
``QgsDistanceArea`` measures an ellipsoidal area, so the numbers here agree with what an
analyst sees in QGIS's identify tool and field calculator.

Method: by Green's theorem the area equals the integral of ``S(phi) d lambda`` around the
boundary, where ``S(phi)`` is the area of the ellipsoidal zone between the equator and
latitude ``phi`` per radian of longitude:

    S(phi) = b^2 / 2 * ( sin(phi) / (1 - e^2 sin^2(phi)) + atanh(e sin(phi)) / e )

(``S(90°)`` is a quarter of the ellipsoid's area divided by pi, the closed form of the
authalic-latitude zone area). Along an edge straight in lon/lat, ``phi`` is linear in
``lambda``, so an edge contributes ``delta_lambda`` times the mean of ``S`` along it. That
mean is taken with Gauss-Legendre quadrature, 6 nodes for edges spanning more than
0.3° of latitude and 2 below: ``S`` is smooth and its high derivatives are bounded by
about ``a^2``, so the quadrature error stays below 1e-9 of the ellipsoid's area even for
an edge from pole to pole. Every ring is done in one
vectorised numpy pass; 220,000 vertices take a few milliseconds.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

#: WGS84 (EPSG:7030): semi-major axis in metres and inverse flattening.
WGS84_A = 6378137.0
WGS84_INVERSE_F = 298.257223563

_F = 1.0 / WGS84_INVERSE_F
_E2 = _F * (2.0 - _F)
_E = math.sqrt(_E2)
_B2 = WGS84_A * WGS84_A * (1.0 - _E2)


def _gauss_legendre(n: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Nodes mapped to [0, 1] and weights summing to 1."""
    nodes, weights = np.polynomial.legendre.leggauss(n)  # type: ignore[no-untyped-call, unused-ignore]
    return np.asarray((nodes + 1.0) / 2.0, dtype=np.float64), np.asarray(weights / 2.0, dtype=np.float64)


_T6, _W6 = _gauss_legendre(6)
_T2, _W2 = _gauss_legendre(2)
#: Edges spanning less latitude than this (radians, about 0.3°) use 2 nodes: the error
#: bound (dphi^4 * 2.3e-4 * S with S < a^2) is then below 3 m² per radian of
#: longitude, nothing next to any real AOI's area.
_SHORT_EDGE = 0.005

FloatArray = npt.NDArray[np.float64]


def zone_area(phi: FloatArray) -> FloatArray:
    """``S(phi)``: area (m²) between the equator and latitude ``phi`` (radians), per radian."""
    s = np.sin(phi)
    result: FloatArray = _B2 / 2.0 * (s / (1.0 - _E2 * s * s) + np.arctanh(_E * s) / _E)
    return result


#: Area of the whole WGS84 ellipsoid in m² (4 pi S(90°)), about 510,065,622 km².
ELLIPSOID_AREA_M2 = float(4.0 * math.pi * zone_area(np.array([math.pi / 2.0]))[0])


def _edge_terms(lam: FloatArray, phi: FloatArray) -> FloatArray:
    """``-delta_lambda * mean S`` for the edges between consecutive points."""
    dphi = np.diff(phi)
    dlam = np.diff(lam)
    mean_s = zone_area(phi[:-1, None] + dphi[:, None] * _T2[None, :]) @ _W2
    long_edges = np.flatnonzero(np.abs(dphi) >= _SHORT_EDGE)
    if long_edges.size:
        start = phi[long_edges]
        mean_s[long_edges] = zone_area(start[:, None] + dphi[long_edges, None] * _T6[None, :]) @ _W6
    result: FloatArray = -dlam * mean_s
    return result


def ring_signed_area_m2(coords: FloatArray) -> float:
    """Signed area (m²) of one ring, lon/lat degrees, first point repeated or not.

    Positive when the ring runs counter-clockwise in the lon/lat plane. Longitudes are
    used as given: a ring must not jump across the antimeridian (see
    :mod:`core.aoi.antimeridian`), but longitudes beyond ±180 are fine.
    """
    xy = np.asarray(coords, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[0] < 3:
        return 0.0
    if (xy[0] != xy[-1]).any():
        xy = np.vstack([xy, xy[:1]])
    return float(rings_signed_area_m2(xy, np.zeros(len(xy), dtype=np.int64), 1)[0])


def rings_signed_area_m2(coords: FloatArray, ring_index: npt.NDArray[np.int64], rings: int) -> FloatArray:
    """Signed areas (m²) of many closed rings at once.

    ``coords`` are the rings' points one after the other (each ring closed), and
    ``ring_index[i]`` the ring point ``i`` belongs to, as ``shapely.get_coordinates(rings,
    return_index=True)`` gives them.
    """
    if coords.shape[0] < 2:
        return np.zeros(rings)
    lam = np.radians(coords[:, 0])
    phi = np.radians(coords[:, 1])
    same_ring = ring_index[1:] == ring_index[:-1]
    terms = _edge_terms(lam, phi)
    # Subtract S at each ring's first point: a constant integrates to zero around a closed
    # ring, and the smaller terms cancel far less for small rings far from the equator.
    starts = np.flatnonzero(np.r_[True, ~same_ring])
    reference = np.zeros(rings)
    reference[ring_index[starts]] = zone_area(phi[starts])
    terms += np.diff(lam) * reference[ring_index[:-1]]
    return np.bincount(ring_index[:-1][same_ring], weights=terms[same_ring], minlength=rings).astype(np.float64)


def area_of_rings_m2(
    coords: FloatArray, point_ring: npt.NDArray[np.int64], ring_polygon: npt.NDArray[np.int64]
) -> float:
    """Area (m²) of polygons given as flat ring arrays (see ``shapely.get_rings`` and
    ``shapely.get_coordinates`` with ``return_index``): each polygon's first ring is its
    shell, the others its holes."""
    rings = len(ring_polygon)
    if rings == 0:
        return 0.0
    areas = np.abs(rings_signed_area_m2(coords, point_ring, rings))
    exterior = np.r_[True, ring_polygon[1:] != ring_polygon[:-1]]
    polygons = int(ring_polygon[-1]) + 1
    per_polygon = np.bincount(ring_polygon, weights=np.where(exterior, areas, -areas), minlength=polygons)
    return float(np.clip(per_polygon, 0.0, None).sum())


def polygon_area_m2(polygon: shapely.Polygon) -> float:
    """Area (m²) of a polygon: its shell minus its holes."""
    return geodesic_area_m2(polygon)


def geodesic_area_m2(geometry: BaseGeometry) -> float:
    """Area (m²) of the polygonal parts of any geometry in EPSG:4326 lon/lat."""
    if geometry.is_empty:
        return 0.0
    parts = shapely.get_parts(geometry)
    polygons = parts[shapely.get_type_id(parts) == 3]
    nested = parts[np.isin(shapely.get_type_id(parts), (6, 7))]
    total = sum(geodesic_area_m2(g) for g in nested) if nested.size else 0.0
    if polygons.size == 0:
        return float(total)
    rings, polygon_index = shapely.get_rings(polygons, return_index=True)
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    return float(total + area_of_rings_m2(coords, ring_index, polygon_index))


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    return geodesic_area_m2(geometry) / 1e6


def metres_per_degree(lat: float) -> tuple[float, float]:
    """Approximate metres per degree of longitude and of latitude at latitude ``lat``.

    Uses the ellipsoid's radii of curvature; good to a fraction of a percent for
    converting a tolerance stated in metres to degrees near ``lat``.
    """
    phi = math.radians(lat)
    w = math.sqrt(1.0 - _E2 * math.sin(phi) ** 2)
    prime_vertical = WGS84_A / w
    meridional = WGS84_A * (1.0 - _E2) / w**3
    return (math.radians(1.0) * prime_vertical * math.cos(phi), math.radians(1.0) * meridional)
