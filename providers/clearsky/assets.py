"""ClearSKY deliveries: the images an order produced, as downloadable assets.

ClearSKY delivers by retrieval, not by files (its API lists no files): the dates with imagery
come from ``POST /api/satelliteimages/search/available`` (``ModelImageDates[{Model,
SatelliteConstellations, DatesByGeog[{Wkt, Dates}]}]``), and each image is produced on
request as a GeoTIFF by ``/process/composite`` (area, date, model...), ``/process/tile``
(``TileGuid``) or ``/process/minitile`` (``MiniTileGuid``). An :class:`Asset` therefore
carries its retrieval request in ``extra["request"]``; downloading it POSTs that body.
Retrievals are paid in processing credits, separate from the EUR order credits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timezone
from typing import Any, Optional, Protocol

import shapely
from shapely.geometry import shape

from ...core import errors
from ...core.models import Asset, GridCell, Lifecycle, Order, OrderKind
from ..wire import as_date, as_float, as_list, bounds
from . import wire


class AssetSource(Protocol):
    """What the asset reader needs of the ClearSKY adapter: its calls, its URLs and its grid
    (kept here so this module does not import the adapter, which imports this one)."""

    def data(self, method: str, path: str, *, endpoint: str, **kwargs: Any) -> Any: ...

    def url(self, path: str) -> str: ...

    def cells(self, tile_guids: Sequence[str] = (), minitile_guids: Sequence[str] = ()) -> list[GridCell]: ...


RESOLUTION_M = 10
FILE_TYPE = "tif"
DATA_TYPE = "INT16"
ATTRIBUTION = "ClearSKY Vision; contains modified Copernicus Sentinel data"


def on_schedule(order: Order) -> Callable[[date], bool]:
    """Whether a date is one of the order's own image dates: ``ReferenceDate`` + k x
    ``ImageFrequency`` within From and To (or the cancellation date of a stopped recurring
    order). Without a known frequency every date in the period counts."""
    reference = as_date(order.extra.get("ReferenceDate")) or order.start
    number = as_float(order.extra.get("ImageFrequency"))
    frequency = int(number) if number is not None and number >= 1 else 0
    last = order.end or order.cancellation_date

    def check(day: date) -> bool:
        if (order.start is not None and day < order.start) or (last is not None and day > last):
            return False
        return not frequency or reference is None or (day - reference).days % frequency == 0

    return check


def _dates(adapter: AssetSource, order: Order, wkt: str) -> list[date]:
    """Image dates with imagery for the order over ``wkt``.

    The documented source is ``search/available``; where a server lacks it (404), the
    order's own ``CompletedImageDates`` are used when it lists them. ``search/available``
    answers for the whole account: dates of other orders over the same area (another
    model, other satellites, another frequency) are left out, or each would be a failed
    retrieval (1002) of a date this order never had."""
    until = order.end or date.today()
    body = {"Wkt": wkt, "From": (order.start or until).isoformat(), "Until": until.isoformat()}
    ours = on_schedule(order)
    try:
        data = adapter.data("POST", "/api/satelliteimages/search/available", endpoint="images.available", json=body)
    except errors.NotFound:
        listed = (as_date(v) for v in as_list(order.extra.get("CompletedImageDates")))
        return sorted({d for d in listed if d is not None and ours(d)})
    inputs = sorted(c.lower() for c in order.constellations)
    found: set[date] = set()
    for entry in as_list(wire.get(data, "ModelImageDates")):
        model = wire.get(entry, "Model")
        if model and order.model and str(model).lower() != order.model.lower():
            continue
        given = as_list(wire.get(entry, "SatelliteConstellations"))
        if given and inputs and sorted(str(c).lower() for c in given) != inputs:
            continue
        for geog in as_list(wire.get(entry, "DatesByGeog")):
            for value in as_list(wire.get(geog, "Dates")):
                day = as_date(value)
                if day is not None and ours(day):
                    found.add(day)
    return sorted(found)


def _asset(
    order: Order,
    asset_id: str,
    href: str,
    kind: str,
    request: dict[str, Any],
    day: date,
    bbox: Optional[tuple[float, float, float, float]],
    title: str,
) -> Asset:
    return Asset(
        provider="clearsky",
        order_id=order.id,
        id=asset_id,
        title=title,
        href=href,
        media_type="image/tiff; application=geotiff",
        roles=("data",),
        product=order.model,
        acquired=datetime.combine(day, time(), timezone.utc),
        bbox=bbox,
        needs_auth=True,
        attribution=ATTRIBUTION,
        extra={"kind": kind, "request": request, "date": day.isoformat()},
    )


def order_assets(adapter: AssetSource, order: Order) -> list[Asset]:
    """One asset per image date (composite) or per cell and date (tile orders)."""
    if order.status not in (Lifecycle.COMPLETED, Lifecycle.LIVE):
        return []
    tiles = [str(t) for t in order.extra.get("Tiles", [])]
    minitiles = [str(t) for t in order.extra.get("MiniTiles", [])]
    if order.kind is OrderKind.COMPOSITE and order.aoi is not None:
        geometry = shape(order.aoi)
        wkt = geometry.wkt
        bbox = bounds(geometry)
        assets = []
        for day in _dates(adapter, order, wkt):
            request = {
                "Wkt": shapely.unary_union(list(shapely.get_parts(geometry))).wkt,
                "Date": day.isoformat(),
                "Model": order.model,
                "SatelliteConstellations": list(order.constellations),
                "Resolution": RESOLUTION_M,
                "FileType": FILE_TYPE,
                "DataType": DATA_TYPE,
                "EpsgProjection": 4326,
                "PixelSelectionMode": "intersect",
                "UtmDataSelectionMode": "combined_utm",
            }
            assets.append(
                _asset(
                    order,
                    day.isoformat(),
                    adapter.url("/api/satelliteimages/process/composite"),
                    "composite",
                    request,
                    day,
                    bbox,
                    f"{order.model or 'ClearSKY'} composite {day.isoformat()}",
                )
            )
        return assets
    assets = []
    cells = adapter.cells(tiles, minitiles) if tiles or minitiles else []
    for cell in cells:
        footprint = shapely.from_wkt(cell.wkt)
        bbox = bounds(footprint)
        key = "MiniTileGuid" if cell.level.value == "minitile" else "TileGuid"
        kind = cell.level.value
        for day in _dates(adapter, order, cell.wkt):
            request = {
                key: cell.guid,
                "Date": day.isoformat(),
                "Model": order.model,
                "SatelliteConstellations": list(order.constellations),
                "FileType": FILE_TYPE,
                "DataType": DATA_TYPE,
            }
            assets.append(
                _asset(
                    order,
                    f"{cell.guid}:{day.isoformat()}",
                    adapter.url(f"/api/satelliteimages/process/{kind}"),
                    kind,
                    request,
                    day,
                    bbox,
                    f"{order.model or 'ClearSKY'} {kind} {cell.guid[:8]} {day.isoformat()}",
                )
            )
    return assets
