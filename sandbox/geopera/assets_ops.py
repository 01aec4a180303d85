"""Geopera deliveries: ``orders.list_assets`` (STAC FeatureCollection of the items an order
delivered, each with a provenance link back to the order: the ordering guide, "each carrying a
provenance edge back to this order"), ``items.asset.download`` (openapi.json: "Issue a
signed … download URL for an item's asset") and the file itself.

One item per ordered capture, covering the capture's AOI (clipped to its footprint), with
one asset ``analytic``: a 4-band uint16 COG from ``sandbox.raster.make_delivery``. The
asset ``href`` needs the caller's credentials (Bearer or X-API-Key with ``items:read``);
``items.asset.download`` gives a signed link (10 minutes, real time) that needs none. Both
support HTTP Range (206). Before delivery the FeatureCollection is empty.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse
from shapely.geometry import shape

from .. import catalog, raster, tokens
from ..clock import iso
from . import data
from .auth import Principal
from .errors import Problem
from .ops import Call
from .service import ORDER, Geopera, stamp, status_of

COG = "image/tiff; application=geotiff; profile=cloud-optimized"
ASSET = "analytic"
LINK_TTL = 600


def item_id(order_id: str, capture_id: str) -> str:
    return data.stable_id("item", order_id, capture_id)


def file_path(geopera: Geopera, order_id: str, item: str) -> Path:
    return geopera.ctx.config.files_dir / "geopera" / order_id / f"{item}_{ASSET}.tif"


def asset_path(item: str) -> str:
    return f"/geopera/v1/items/{item}/assets/{ASSET}"


def delivered(geopera: Geopera, org: str) -> list[dict[str, Any]]:
    now = geopera.now()
    return [d for d in geopera.store.list(ORDER, lambda d: d["orgId"] == org) if status_of(d, now)[0] == "delivered"]


def find_item(geopera: Geopera, org: str | None, item: str) -> tuple[dict[str, Any], dict[str, Any]]:
    orders = (
        delivered(geopera, org)
        if org
        else [d for d in geopera.store.list(ORDER) if status_of(d, geopera.now())[0] == "delivered"]
    )
    for doc in orders:
        for entry in doc["items"]:
            if item_id(doc["id"], entry["captureId"]) == item:
                return doc, entry
    raise Problem(404, f"item {item} not found")


def ensure_file(geopera: Geopera, doc: dict[str, Any], entry: dict[str, Any]) -> Path:
    item = item_id(doc["id"], entry["captureId"])
    target = file_path(geopera, doc["id"], item)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        raster.make_delivery(
            entry["aoi"], target, fmt="COG", bands=4, seed=item, **catalog.delivery_clouds(entry["captureId"])
        )
    return target


def stac_item(request: Request, doc: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    base = f"{request.url.scheme}://{request.url.netloc}"
    item = item_id(doc["id"], entry["captureId"])
    capture = catalog.get(entry["captureId"])
    geometry = entry["aoi"]
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "stac_extensions": [],
        "id": item,
        "collection": entry["collection"],
        "geometry": geometry,
        "bbox": [round(v, 9) for v in shape(geometry).bounds],
        "properties": {
            "datetime": iso(capture.datetime) if capture else stamp(float(doc["created"])),
            "title": f"{entry['collection']} {entry['captureId']}",
            "platform": capture.platform if capture else None,
            "geopera:order_id": doc["id"],
            "geopera:capture_id": entry["captureId"],
            "geopera:project_id": doc["projectId"],
            "geopera:area_km2": entry["areaKm2"],
        },
        "links": [
            {
                "rel": "provenance",
                "href": f"{base}/geopera/v1/op/orders.get",
                "method": "POST",
                "body": {"order_id": doc["id"]},
                "type": "application/json",
                "title": f"Order {doc['id']}",
            }
        ],
        "assets": {
            ASSET: {
                "href": base + asset_path(item),
                "type": COG,
                "title": "Multispectral (blue, green, red, NIR)",
                "roles": ["data"],
            }
        },
    }


def list_assets(call: Call) -> dict[str, Any]:
    geopera = call.geopera
    doc = geopera.order_doc(call.principal, str(call.body["order_id"]))
    status, _ = status_of(doc, geopera.now())
    features = []
    if status == "delivered":
        for entry in doc["items"]:
            ensure_file(geopera, doc, entry)
            features.append(stac_item(call.request, doc, entry))
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberReturned": len(features),
        "orderId": doc["id"],
        "orderStatus": status,
    }


def download_url(call: Call) -> dict[str, Any]:
    item, asset = str(call.body["item_id"]), str(call.body["asset_id"])
    find_item(call.geopera, call.principal.org, item)
    if asset != ASSET:
        raise Problem(404, f"asset {asset!r} not found on item {item}; assets: {ASSET}")
    path = asset_path(item)
    query = tokens.sign_path(call.geopera.store, "geopera-download", path, LINK_TTL)
    expires = int(query.split("&")[0].split("=")[1])
    return {
        "url": f"{call.request.url.scheme}://{call.request.url.netloc}{path}?{query}",
        "expires_at": iso(datetime.fromtimestamp(expires, tz=timezone.utc)),
    }


def download(geopera: Geopera, request: Request, item: str, asset: str, principal: Principal | None) -> FileResponse:
    """The file: ``principal`` is the authenticated caller, or None for a signed link."""
    if principal is None:
        try:
            tokens.check_signed_path(
                geopera.store,
                "geopera-download",
                asset_path(item),
                request.query_params.get("expires", ""),
                request.query_params.get("signature", ""),
            )
        except tokens.TokenError as exc:
            raise Problem(
                403, f"download link refused: {exc.reason}; request a new one with items.asset.download"
            ) from None
    if asset != ASSET:
        raise Problem(404, f"asset {asset!r} not found on item {item}")
    doc, entry = find_item(geopera, principal.org if principal else None, item)
    target = ensure_file(geopera, doc, entry)
    return FileResponse(target, media_type="image/tiff", filename=target.name)
