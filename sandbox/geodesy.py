"""Geodesy for the stand-ins: geodesic areas and WGS 84 UTM, vectorised with numpy.

No pyproj in the sandbox's dependencies, so UTM is the Krüger series to n^3 (Karney 2011,
sub-millimetre within a zone and its neighbours' overlap), and areas are exact equal-area:
coordinates go to authalic latitude and the Lambert cylindrical equal-area projection of
the authalic sphere, densified so edges follow the ellipsoid closely. Both are checked
against GDAL/PROJ in the tests.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely

A = 6_378_137.0
F = 1 / 298.257223563
E2 = F * (2 - F)
E = math.sqrt(E2)
K0 = 0.9996
FALSE_EASTING = 500_000.0
FALSE_NORTHING_SOUTH = 10_000_000.0

_N = F / (2 - F)
_A_RECT = A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
_ALPHA = (_N / 2 - 2 * _N**2 / 3 + 5 * _N**3 / 16, 13 * _N**2 / 48 - 3 * _N**3 / 5, 61 * _N**3 / 240)
_BETA = (_N / 2 - 2 * _N**2 / 3 + 37 * _N**3 / 96, _N**2 / 48 + _N**3 / 15, 17 * _N**3 / 480)
_DELTA = (2 * _N - 2 * _N**2 / 3 - 2 * _N**3, 7 * _N**2 / 3 - 8 * _N**3 / 5, 56 * _N**3 / 15)
_C = 2 * math.sqrt(_N) / (1 + _N)

# authalic sphere
_QP = 1 - (1 - E2) / (2 * E) * math.log((1 - E) / (1 + E))
R_AUTHALIC = A * math.sqrt(_QP / 2)


def utm_epsg(zone: int, south: bool) -> int:
    return (32700 if south else 32600) + zone


def zone_of(lon: float) -> int:
    return min(60, max(1, math.floor((lon + 180.0) / 6.0) + 1))


def central_meridian(zone: int) -> float:
    return zone * 6.0 - 183.0


def to_utm(lon: Any, lat: Any, zone: int, south: bool) -> tuple[np.ndarray, np.ndarray]:
    """Geographic degrees to UTM easting/northing (metres) in ``zone``."""
    phi = np.radians(np.asarray(lon, dtype=np.float64) * 0 + np.asarray(lat, dtype=np.float64))
    dlam = np.radians(np.asarray(lon, dtype=np.float64) - central_meridian(zone))
    sin_phi = np.sin(phi)
    t = np.sinh(np.arctanh(sin_phi) - _C * np.arctanh(_C * sin_phi))
    xi = np.arctan2(t, np.cos(dlam))
    eta = np.arctanh(np.sin(dlam) / np.sqrt(1 + t * t))
    east, north = eta.copy(), xi.copy()
    for j, alpha in enumerate(_ALPHA, start=1):
        east += alpha * np.cos(2 * j * xi) * np.sinh(2 * j * eta)
        north += alpha * np.sin(2 * j * xi) * np.cosh(2 * j * eta)
    x = FALSE_EASTING + K0 * _A_RECT * east
    y = K0 * _A_RECT * north + (FALSE_NORTHING_SOUTH if south else 0.0)
    return x, y


def from_utm(x: Any, y: Any, zone: int, south: bool) -> tuple[np.ndarray, np.ndarray]:
    """UTM easting/northing (metres) in ``zone`` to geographic degrees (lon, lat)."""
    xi = (np.asarray(y, dtype=np.float64) - (FALSE_NORTHING_SOUTH if south else 0.0)) / (K0 * _A_RECT)
    eta = (np.asarray(x, dtype=np.float64) - FALSE_EASTING) / (K0 * _A_RECT)
    xi_p, eta_p = xi.copy(), eta.copy()
    for j, beta in enumerate(_BETA, start=1):
        xi_p -= beta * np.sin(2 * j * xi) * np.cosh(2 * j * eta)
        eta_p -= beta * np.cos(2 * j * xi) * np.sinh(2 * j * eta)
    chi = np.arcsin(np.sin(xi_p) / np.cosh(eta_p))
    phi = chi.copy()
    for j, delta in enumerate(_DELTA, start=1):
        phi += delta * np.sin(2 * j * chi)
    lam = np.arctan2(np.sinh(eta_p), np.cos(xi_p))
    return np.degrees(lam) + central_meridian(zone), np.degrees(phi)


def geometry_to_utm(geometry: Any, zone: int, south: bool, densify_deg: float = 0.02) -> Any:
    """A lon/lat shapely geometry in UTM ``zone``, edges densified so they stay true."""
    dense = shapely.segmentize(geometry, densify_deg)
    return shapely.transform(dense, lambda xy: np.column_stack(to_utm(xy[:, 0], xy[:, 1], zone, south)))


def geometry_from_utm(geometry: Any, zone: int, south: bool, densify_m: float | None = None) -> Any:
    dense = shapely.segmentize(geometry, densify_m) if densify_m else geometry
    return shapely.transform(dense, lambda xy: np.column_stack(from_utm(xy[:, 0], xy[:, 1], zone, south)))


def _authalic_sin(lat_deg: np.ndarray) -> np.ndarray:
    """sin of the authalic latitude: q(phi) / q_p."""
    s = np.sin(np.radians(lat_deg))
    q = (1 - E2) * (s / (1 - E2 * s * s) - 1 / (2 * E) * np.log((1 - E * s) / (1 + E * s)))
    return np.clip(q / _QP, -1.0, 1.0)


def geodesic_area_km2(geometry: Any) -> float:
    """Area on the WGS 84 ellipsoid of a lon/lat (multi)polygon, in km²."""
    if geometry.is_empty:
        return 0.0
    dense = shapely.segmentize(geometry, 0.01)
    projected = shapely.transform(
        dense,
        lambda xy: np.column_stack((np.radians(xy[:, 0]) * R_AUTHALIC, _authalic_sin(xy[:, 1]) * R_AUTHALIC)),
    )
    return float(projected.area) / 1e6
