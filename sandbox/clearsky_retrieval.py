"""ClearSKY image retrieval: ``/api/satelliteimages/process/{composite,tile,minitile}``.

Answers are binary GeoTIFFs (here: COGs with overviews, made by :mod:`sandbox.raster`) of
areas the account has ordered, for image dates its orders have completed; otherwise error
1002 "imagery not available". Downloads are paid in processing credits, separate from the
EUR order credits (docs-examples.json ``pricing.currency``); without enough of them: 994.
The credit price is not documented: 0.01 credit per km² per band at 10 m (scaled by
(10 / Resolution)²), at least 1, charged once per identical request (a resumed or repeated
download of the same file is free). Output size is capped (composites and tiles at
``MAX_PIXELS`` on the long side, so coarser than the requested resolution when large;
minitiles at their native 320 px).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import shapely
import shapely.wkt
from fastapi import FastAPI, Request
from fastapi.responses import Response
from shapely.validation import explain_validity

from . import geodesy, raster
from .clearsky_orders import ApiError, Body, invalid, parse_date, status
from .httpfiles import file_response

ACCOUNT = "clearsky.account"
MAX_PIXELS = 1024
MINITILE_PIXELS = 320
RESOLUTIONS = (10, 20, 40, 80, 160, 320, 640, 1280)  # docs-examples.json enums.resolution_m
DATA_TYPES = {"INT16": "int16", "UINT8": "uint8"}  # enums.data_type (nodata -32768 / 0)
FILE_TYPES = ("tif", "tiff", "geotiff", "cog")  # not enumerated in the documents: GeoTIFF spellings
PIXEL_SELECTION = ("intersect", "contained")
UTM_SELECTION = ("single_utm_fully_covered", "single_utm", "combined_utm")
# Sentinel-2 band names -> the spectral response raster.make_delivery paints
BANDS = {
    "B01": "blue",
    "B02": "blue",
    "B03": "green",
    "B04": "red",
    "B05": "red",
    "B06": "nir",
    "B07": "nir",
    "B08": "nir",
    "B8A": "nir",
    "B09": "nir",
    "B11": "swir1",
    "B12": "swir2",
}
DEFAULT_BANDS = ["B02", "B03", "B04", "B08"]
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def credits_used(cs: Any, account: str) -> float:
    doc = cs.ctx.store.get(ACCOUNT, account) or {}
    return float(sum(doc.get("charges", {}).values()))


def add_routes(
    app: FastAPI, cs: Any, body_of: Callable[[Request], Awaitable[Body]], ok: Callable[[Any], Response]
) -> None:
    """``cs`` is the provider's state (accounts, limits, orders, grid), ``ok`` its envelope."""

    @app.post("/api/satelliteimages/process/composite/estimate")
    async def composite_estimate(request: Request) -> Response:
        cs.account(request)
        body = await body_of(request)
        geometry = parse_wkt(body)
        options = parse_options(cs, body)
        area = geodesy.geodesic_area_km2(geometry)
        return ok({"AreaEstimateKm2": round(area, 4), "CreditEstimate": _credits(area, options)})

    @app.post("/api/satelliteimages/process/composite")
    async def composite(request: Request) -> Response:
        account = cs.account(request)
        body = await body_of(request)
        geometry = parse_wkt(body)
        options = parse_options(cs, body)
        day = parse_day(body)
        model, constellations = body.get("Model"), body.get("SatelliteConstellations")
        _available(cs, account, day, geometry, model=model, constellations=constellations)
        area = geodesy.geodesic_area_km2(geometry)
        if area > cs.limits["MaxCompositeAreaKm2"]:
            raise invalid(
                {"Wkt": [f"The composite covers {area:.0f} km²; the limit is {cs.limits['MaxCompositeAreaKm2']} km²."]}
            )
        epsg = options["epsg"] or geodesy.utm_epsg(geodesy.zone_of(geometry.centroid.x), geometry.centroid.y < 0)
        long_side_m = _long_side_m(geometry)
        pixels = max(8, min(MAX_PIXELS, math.ceil(long_side_m / options["resolution"])))
        return await _deliver(
            cs,
            request,
            account,
            body,
            shapely.geometry.mapping(geometry),
            day,
            epsg,
            pixels,
            options,
            area,
            f"composite_{day.isoformat()}.tif",
        )

    @app.post("/api/satelliteimages/process/tile")
    async def tile(request: Request) -> Response:
        account = cs.account(request)
        body = await body_of(request)
        guid = str(body.get("TileGuid") or "")
        if not guid:
            raise invalid({"TileGuid": ["The TileGuid field is required."]})
        return await _cell(cs, request, account, body, guid, minitile=False)

    @app.post("/api/satelliteimages/process/minitile")
    async def minitile(request: Request) -> Response:
        account = cs.account(request)
        body = await body_of(request)
        guid = str(body.get("MiniTileGuid") or "")
        if not guid:
            raise invalid({"MiniTileGuid": ["The MiniTileGuid field is required."]})
        return await _cell(cs, request, account, body, guid, minitile=True)


async def _cell(cs: Any, request: Request, account: str, body: Body, guid: str, minitile: bool) -> Response:
    options = parse_options(cs, body)
    day = parse_day(body)
    cell = None
    for order in produced_orders(cs, account, day):
        cells = order["cells"]
        if minitile:
            cell = cells.get(guid) if cells.get(guid, {}).get("minitile") else None
            if cell is None:
                found = cs.grid.minitile(guid)
                if found is not None and found.tile_guid in cells:
                    cell = {"epsg": found.epsg, "area": found.area_km2, "geog": shapely.to_wkt(found.geog)}
        elif guid in order["tiles"]:
            cell = cells[guid]
        if cell is not None:
            break
    if cell is None:
        kind = "minitile" if minitile else "tile"
        raise ApiError(
            400,
            1002,
            f"Satellite imagery is not available for {kind} {guid} on {day.isoformat()}: "
            "no completed order of this account covers it.",
        )
    geometry = shapely.wkt.loads(cell["geog"])
    if minitile:
        pixels = MINITILE_PIXELS
    else:
        pixels = max(8, min(MAX_PIXELS, math.ceil(_long_side_m(geometry) / options["resolution"])))
    name = f"{'minitile' if minitile else 'tile'}_{guid}_{day}.tif"
    return await _deliver(
        cs,
        request,
        account,
        body,
        shapely.geometry.mapping(geometry),
        day,
        options["epsg"] or cell["epsg"],
        pixels,
        options,
        float(cell["area"]),
        name,
    )


async def _deliver(
    cs: Any,
    request: Request,
    account: str,
    body: Body,
    aoi: dict[str, Any],
    day: date,
    epsg: int,
    pixels: int,
    options: dict[str, Any],
    area: float,
    filename: str,
) -> Response:
    need = _credits(area, options)
    key = hashlib.sha256(
        json.dumps([account, aoi, day.isoformat(), epsg, pixels, options], sort_keys=True, default=str).encode()
    ).hexdigest()[:32]
    _charge(cs, account, key, need)
    path = _render(cs, key, aoi, day, epsg, pixels, options)
    upload = body.get("UploadUrl")
    if upload:
        await _upload(str(upload), path)
        return Response(status_code=201)
    return file_response(request, path, "image/tiff", filename=filename)


def _render(cs: Any, key: str, aoi: dict[str, Any], day: date, epsg: int, pixels: int, options: dict[str, Any]) -> Path:
    folder = cs.ctx.config.files_dir / "clearsky"
    path = folder / f"{key}.tif"
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        if not path.exists():
            raster.make_delivery(
                aoi,
                path,
                fmt="COG",
                seed=f"clearsky:{day.isoformat()}",
                max_pixels=pixels,
                dtype=options["dtype"],
                epsg=epsg,
                spectra=[BANDS[b] for b in options["bands"]],
                band_names=options["bands"],
            )
    return path


def _charge(cs: Any, account: str, key: str, need: float) -> None:
    with cs.lock:
        doc = cs.ctx.store.get(ACCOUNT, account) or {"charges": {}}
        if key in doc["charges"]:
            return  # the same file again (a resumed download): already paid
        available = cs.accounts[account]["Credits"] - sum(doc["charges"].values())
        if need > available:
            raise ApiError(
                400,
                994,
                f"Insufficient download credits: {need} needed, {available:.2f} available.",
                {"CreditEstimate": need, "CreditAmount": round(available, 2)},
            )
        doc["charges"][key] = need
        cs.ctx.store.put(ACCOUNT, account, doc)


async def _upload(url: str, path: Path) -> None:
    if not url.startswith(("http://", "https://")):
        raise invalid({"UploadUrl": ["UploadUrl must be an http(s) URL."]})
    try:
        async with httpx.AsyncClient(timeout=30, trust_env=False) as client:
            response = await client.put(url, content=path.read_bytes(), headers={"content-type": "image/tiff"})
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise invalid({"UploadUrl": [f"Uploading to UploadUrl failed: {exc}"]}) from exc


def produced_orders(cs: Any, account: str, day: date) -> list[dict[str, Any]]:
    """The account's orders whose image ``day`` is completed (UpToDate/Completed or later dates)."""
    now = cs.ctx.clock.now()
    found = []
    for order in cs.orders(account):
        _, done = status(order, now)
        if day in done:
            found.append(order)
    return found


def _available(cs: Any, account: str, day: date, geometry: Any, *, model: Any, constellations: Any) -> None:
    if covering_order(produced_orders(cs, account, day), geometry, model=model, constellations=constellations):
        return
    raise ApiError(
        400,
        1002,
        f"Satellite imagery is not available for this area on {day.isoformat()}: no completed "
        "order of this account covers it for that date.",
    )


def covering_order(
    orders: list[dict[str, Any]], geometry: Any, *, model: Any, constellations: Any
) -> dict[str, Any] | None:
    """The first of ``orders`` that matches the filters and covers ``geometry`` on its own.

    One order must cover the whole composite (the rule /process/composite serves by, and
    /process/composite/available reports as FullyAvailable); 1e-7° (about 1 cm) of slack
    absorbs rounding of WKT written back by clients."""
    for order in orders:
        if matches(order, model, constellations) and order_area(order, slack=True).covers(geometry):
            return order
    return None


def matches(order: dict[str, Any], model: Any, constellations: Any) -> bool:
    """The composite request's optional filters: Model, and the exact set of SatelliteConstellations."""
    if model is not None and order["model"] != model:
        return False
    return not (isinstance(constellations, list) and sorted(constellations) != sorted(order["constellations"]))


_areas: dict[tuple[str, bool], Any] = {}
_AREAS_KEPT = 512


def order_area(order: dict[str, Any], *, slack: bool = False) -> Any:
    """An order's ordered area as one (Multi)Polygon in lon/lat: its polygons (overlapping
    AOIs of a GEOMETRYCOLLECTION merged), or the union of its tiles and minitiles. An
    order's area never changes, so it is computed once per order (and per ``slack``)."""
    key = (order["guid"], slack)
    if key not in _areas:
        if order.get("wkt"):
            parts = shapely.get_parts(shapely.wkt.loads(order["wkt"]))
            area = shapely.union_all([shapely.make_valid(p) for p in parts])
        else:
            area = shapely.union_all([shapely.wkt.loads(c["geog"]) for c in order["cells"].values()])
        if slack:
            area = area.buffer(1e-7)
        shapely.prepare(area)
        if len(_areas) >= _AREAS_KEPT:
            _areas.clear()
        _areas[key] = area
    return _areas[key]


def parse_wkt(body: Body) -> Any:
    text = body.get("Wkt")
    if not text:
        raise invalid({"Wkt": ["The Wkt field is required."]})
    try:
        geometry = shapely.wkt.loads(str(text))
    except shapely.errors.ShapelyError as exc:
        raise invalid({"Wkt": [f"Wkt is not valid WKT: {exc}"]}) from exc
    if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
        raise invalid({"Wkt": ["Wkt must be a non-empty Polygon, MultiPolygon or GEOMETRYCOLLECTION."]})
    if not geometry.is_valid:
        raise invalid({"Wkt": [f"Wkt is invalid: {explain_validity(geometry)}."]})
    return geometry


def parse_day(body: Body) -> date:
    value = body.get("Date")
    if value is None:
        raise invalid({"Date": ["The Date field is required."]})
    try:
        return parse_date(str(value))
    except ValueError as exc:
        raise invalid({"Date": ["Date must be a date (YYYY-MM-DD)."]}) from exc


def parse_options(cs: Any, body: Body) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    resolution = body.get("Resolution", 10)
    if resolution not in RESOLUTIONS:
        errors["Resolution"] = [f"Resolution must be one of {', '.join(map(str, RESOLUTIONS))} (metres)."]
    file_type = str(body.get("FileType", "tif")).lower()
    if file_type not in FILE_TYPES:
        errors["FileType"] = [f"FileType must be one of {', '.join(FILE_TYPES)}."]
    data_type = str(body.get("DataType", "INT16")).upper()
    if data_type not in DATA_TYPES:
        errors["DataType"] = ["DataType must be INT16 (nodata -32768) or UINT8 (nodata 0)."]
    bands = body.get("Bandnames", DEFAULT_BANDS)
    if not isinstance(bands, list) or not bands or any(str(b).upper() not in BANDS for b in bands):
        errors["Bandnames"] = [f"Bandnames must be a list of {', '.join(BANDS)}."]
        bands = DEFAULT_BANDS
    elif len(bands) > cs.limits["MaxTotalBands"]:
        errors["Bandnames"] = [f"At most {cs.limits['MaxTotalBands']} bands."]
    epsg = body.get("EpsgProjection")
    utm = isinstance(epsg, int) and (32601 <= epsg <= 32660 or 32701 <= epsg <= 32760)
    if epsg is not None and not (utm or epsg in (4326, 3857)):
        errors["EpsgProjection"] = ["EpsgProjection must be 4326, 3857 or a WGS 84 UTM code (326xx/327xx)."]
    if str(body.get("PixelSelectionMode", "intersect")) not in PIXEL_SELECTION:
        errors["PixelSelectionMode"] = [f"PixelSelectionMode must be one of {', '.join(PIXEL_SELECTION)}."]
    if str(body.get("UtmDataSelectionMode", "single_utm")) not in UTM_SELECTION:
        errors["UtmDataSelectionMode"] = [f"UtmDataSelectionMode must be one of {', '.join(UTM_SELECTION)}."]
    if errors:
        raise invalid(errors)
    return {
        "resolution": resolution,
        "dtype": DATA_TYPES[data_type],
        "bands": [str(b).upper() for b in bands],
        "epsg": epsg,
    }


def _credits(area_km2: float, options: dict[str, Any]) -> float:
    return max(1.0, round(area_km2 * len(options["bands"]) * 0.01 * (10.0 / options["resolution"]) ** 2, 2))


def _long_side_m(geometry: Any) -> float:
    minx, miny, maxx, maxy = geometry.bounds
    lat = math.radians((miny + maxy) / 2)
    return max((maxx - minx) * 111_320.0 * math.cos(lat), (maxy - miny) * 110_574.0, 1.0)
