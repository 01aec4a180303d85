"""What to configure: the chosen AOIs or the selected grid cells, from their services.

- ``services.get(AOIS).chosen()``: the AOIs chosen for an order, each with ``name``,
  ``geometry`` (shapely (Multi)Polygon or GeoJSON, EPSG:4326), ``area_km2`` and
  ``valid``;
- ``services.get(GRID).selected_cells()``: :class:`core.models.GridCell` values (tiles
  and minitiles, with ``parent`` for minitiles).

Each function returns an :class:`OrderTarget` or None with a message saying what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from shapely.geometry import mapping

from ...core.models import CellLevel
from ...core.ordering.clearsky_configure import OrderTarget
from ...toolbelt.i18n import tr
from ..services import AOIS, GRID, Services


def _geojson(geometry: Any) -> dict[str, Any]:
    if isinstance(geometry, Mapping):
        return dict(geometry)
    return dict(mapping(geometry))


def chosen_aois(services: Services) -> tuple[Optional[OrderTarget], str]:
    store = services.get(AOIS)
    chosen = getattr(store, "chosen", None)
    if chosen is None:
        return None, tr("The AOI tools are not available, so there are no AOIs to order for.")
    aois = list(chosen())
    if not aois:
        return None, tr("Choose one or more AOIs in the AOI tab first (draw, import or take them from a layer).")
    invalid = [a for a in aois if not getattr(a, "valid", True)]
    if invalid:
        invalid_names = ", ".join(str(getattr(a, "name", "")) for a in invalid)
        return None, tr("Some chosen AOIs are not valid ({}); repair or remove them in the AOI tab first.").format(
            invalid_names
        )
    geometries = [_geojson(a.geometry) for a in aois]
    if len(geometries) == 1:
        aoi = geometries[0]
    else:  # one member per AOI: the provider bills each AOI on its own (minimum 1 km² each)
        aoi = {"type": "GeometryCollection", "geometries": geometries}
    areas = [getattr(a, "area_km2", None) for a in aois]
    known = [float(a) for a in areas if a is not None]
    names = [str(getattr(a, "name", "")) for a in aois]
    return OrderTarget.composite(aoi, names=names, areas_km2=known if len(known) == len(aois) else ()), ""


def selected_cells(services: Services) -> tuple[Optional[OrderTarget], str]:
    grid = services.get(GRID)
    selected = getattr(grid, "selected_cells", None)
    if selected is None:
        return None, tr("The tile grid is not available, so there are no cells to order.")
    cells = list(selected())
    if not cells:
        return None, tr("Select tiles or minitiles on the grid first (zoom in until it shows, then click cells).")
    tiles = [c.guid for c in cells if c.level is CellLevel.TILE]
    minis = [c.guid for c in cells if c.level is CellLevel.MINITILE]
    parents = [(c.guid, c.parent) for c in cells if c.level is CellLevel.MINITILE and c.parent]
    return OrderTarget.cells(tiles, minis, parents), ""
