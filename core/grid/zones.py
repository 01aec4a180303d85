"""UTM zones of a provider grid, named by the EPSG code of their cells (standard library only).

Zone ``zz`` north is EPSG ``326zz``, south ``327zz``. The only UTM knowledge used by the
grid code is the zone definition itself (zone ``zz`` spans longitudes ``-180 + 6 (zz - 1)``
to ``-180 + 6 zz``), to tell a cell's "own" band from the transition strips where the
provider's neighbouring zones overlap. Kept free of shapely and pydantic so the dock can
label zone buttons without loading them at QGIS start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

UTM_NORTH = 32600
UTM_SOUTH = 32700


@dataclass(frozen=True, order=True)
class Zone:
    """A grid zone, identified by the EPSG code of its cells (UTM 326zz/327zz, or other)."""

    epsg: int

    @property
    def is_utm(self) -> bool:
        return UTM_NORTH < self.epsg <= UTM_NORTH + 60 or UTM_SOUTH < self.epsg <= UTM_SOUTH + 60

    @property
    def number(self) -> Optional[int]:
        return self.epsg % 100 if self.is_utm else None

    @property
    def south(self) -> bool:
        return self.is_utm and self.epsg > UTM_SOUTH

    @property
    def label(self) -> str:
        """``31N``, ``19S``; other grids by EPSG code."""
        if self.number is None:
            return f"EPSG:{self.epsg}"
        return f"{self.number}{'S' if self.south else 'N'}"

    def band(self) -> Optional[tuple[float, float, float, float]]:
        """The zone's own lon/lat box (without the transition strips), or None if not UTM."""
        if self.number is None:
            return None
        west = -180.0 + 6.0 * (self.number - 1)
        return (west, -90.0, west + 6.0, 0.0) if self.south else (west, 0.0, west + 6.0, 90.0)


def zone_label(epsg: int) -> str:
    return Zone(epsg).label


def in_own_band(epsg: int, lon: float, lat: float) -> bool:
    """Is the point inside the cell's own zone band (not in a transition strip)?"""
    band = Zone(epsg).band()
    return band is None or (band[0] <= lon <= band[2] and band[1] <= lat <= band[3])
