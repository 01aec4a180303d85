"""UP42 deliveries: STAC items and assets of fulfilled orders, and their downloads.

UP42's API pages and SDK fixtures do not describe deliveries. The sandbox follows the SDK's
model (up42-py ``up42/asset.py`` and ``up42/stac.py``): the delivered "UP42 asset" is a STAC
collection in the workspace's STAC catalog at ``/v2/assets/stac``, found with a CQL2-JSON
filter on ``asset_id`` (and here also ``order_id``); each STAC asset's ``href`` is
``/v2/assets/{stacAssetId}``, and ``POST {href}/download-url`` (bearer token) answers
``{"url": ...}``, a **short-lived signed link** (10 minutes, real time) that needs no token
and supports HTTP Range (206). Smallest coherent subset, mounted at ``/up42/v2``:

* ``POST /assets/stac/search`` ``{filter?, limit? (1..100, default 10), next?}`` ->
  STAC ItemCollection; paging by ``links[rel=next]`` with ``method: POST``,
  ``body: {next}`` and ``merge: true`` (STAC API item-search paging);
* ``POST /assets/{stacAssetId}/download-url`` -> ``{"url"}``;
* ``GET /assets/{stacAssetId}/file?expires=&signature=`` -> the GeoTIFF (COG, 4 bands,
  uint16), made by ``sandbox.raster.make_delivery`` over the ordered AOI.

Supported filter: ``{"op": "=", "args": [{"property": "order_id"|"asset_id"}, "<id>"]}``
and ``{"op": "and", "args": [...]}`` of those.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from shapely.geometry import shape
from starlette.concurrency import run_in_threadpool

from .. import catalog, raster, tokens
from ..clock import iso
from ..httputil import BodyError, read_json
from . import data, lifecycle
from .errors import Up42Error
from .service import ORDER, Up42

COG = "image/tiff; application=geotiff; profile=cloud-optimized"
LINK_TTL = 600.0
FILTER_PROPERTIES = ("order_id", "asset_id")


def ids_of(order_id: str) -> dict[str, str]:
    return {
        "asset_id": data.stable_id("asset", order_id),  # the UP42 asset = the STAC collection
        "item_id": data.stable_id("stac-item", order_id),
        "stac_asset_id": data.stable_id("stac-asset", order_id),
    }


class Deliveries:
    def __init__(self, up42: Up42) -> None:
        self.up42 = up42
        self.folder = up42.ctx.config.files_dir / "up42"

    def fulfilled(self, workspace_id: str | None = None) -> list[dict[str, Any]]:
        now = self.up42.now()
        return [
            d
            for d in self.up42.store.list(ORDER, lambda d: workspace_id in (None, d["workspaceId"]))
            if lifecycle.state(d, now).status == "FULFILLED"
        ]

    def path(self, doc: dict[str, Any]) -> Path:
        return self.folder / doc["id"] / f"{doc['collection']}_{doc['id'][:8]}_analytic.tif"

    def ensure_file(self, doc: dict[str, Any]) -> Path:
        target = self.path(doc)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            raster.make_delivery(
                doc["deliveryGeometry"],
                target,
                fmt="COG",
                bands=4,
                seed=doc["id"],
                **catalog.delivery_clouds(doc.get("acquired")),
            )
        return target

    def item(self, request: Request, doc: dict[str, Any]) -> dict[str, Any]:
        ids = ids_of(doc["id"])
        geometry = doc["deliveryGeometry"]
        bounds = [round(v, 9) for v in shape(geometry).bounds]
        capture = catalog.get(doc["acquired"]) if doc.get("acquired") else None
        if capture is not None:
            when = capture.datetime
        else:  # a tasking acquisition: when fulfilment started
            started = next(s[0] for s in lifecycle.steps(doc) if s[1] == "BEING_FULFILLED")
            when = datetime.fromtimestamp(started, tz=timezone.utc)
        item = data.collection(doc["collection"])
        base = self.up42.ctx.external_url(request, "/up42/v2")
        return {
            "type": "Feature",
            "stac_version": "1.0.0",
            "stac_extensions": [],
            "id": ids["item_id"],
            "collection": ids["asset_id"],
            "geometry": geometry,
            "bbox": bounds,
            "properties": {
                "datetime": iso(when),
                "title": doc["displayName"],
                "order_id": doc["id"],
                "asset_id": ids["asset_id"],
                "collection_name": doc["collection"],
                "constellation": item.constellation if item else None,
            },
            "links": [{"rel": "order", "href": f"{base}/orders/{doc['id']}", "type": "application/json"}],
            "assets": {
                "image": {
                    "href": f"{base}/assets/{ids['stac_asset_id']}",
                    "type": COG,
                    "title": "Multispectral (blue, green, red, NIR)",
                    "roles": ["data"],
                },
            },
        }

    def by_stac_asset(self, stac_asset_id: str, workspace_id: str | None) -> dict[str, Any]:
        for doc in self.fulfilled(workspace_id):
            if ids_of(doc["id"])["stac_asset_id"] == stac_asset_id:
                return doc
        raise Up42Error(404, f"Asset with id {stac_asset_id} not found")


def _match(filter_: Any, item: dict[str, Any]) -> bool:
    op = filter_.get("op") if isinstance(filter_, dict) else None
    args = filter_.get("args") if isinstance(filter_, dict) else None
    if op == "and" and isinstance(args, list) and args:
        return all(_match(a, item) for a in args)
    if op == "=" and isinstance(args, list) and len(args) == 2 and isinstance(args[0], dict):
        name = args[0].get("property")
        if name in FILTER_PROPERTIES and isinstance(args[1], str):
            return bool(item["properties"][name] == args[1])
    raise Up42Error(
        400,
        'Unsupported filter: use CQL2-JSON {"op": "=", "args": [{"property": '
        f'"order_id"|"asset_id"}}, "<id>"]}} or an "and" of those; got {json.dumps(filter_)}',
    )


def router(up42: Up42) -> APIRouter:
    """Mounted at ``/up42/v2``."""
    api = APIRouter()
    deliveries = Deliveries(up42)

    @api.post("/assets/stac/search")
    async def stac_search(request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        try:
            body = await read_json(request)
        except BodyError as exc:
            raise Up42Error(400, str(exc)) from None
        if not isinstance(body, dict) or set(body) - {"filter", "limit", "next"}:
            raise Up42Error(400, "The body accepts 'filter', 'limit' and 'next' only")
        limit = body.get("limit", 10)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 100:
            raise Up42Error(400, "limit: an integer from 1 to 100 is expected")
        offset = 0
        if body.get("next") is not None:
            try:
                offset = int(base64.urlsafe_b64decode(str(body["next"]) + "==").decode())
            except ValueError:
                raise Up42Error(400, "next: not a token this server issued") from None
        docs = sorted(deliveries.fulfilled(principal.workspace_id), key=lambda d: (-d["created"], d["id"]))
        items = [deliveries.item(request, d) for d in docs]
        if body.get("filter") is not None:
            items = [i for i in items if _match(body["filter"], i)]
        chosen = items[offset : offset + limit]
        for doc in docs:
            if any(i["properties"]["order_id"] == doc["id"] for i in chosen):
                await run_in_threadpool(deliveries.ensure_file, doc)
        search_url = up42.ctx.external_url(request, "/up42/v2/assets/stac/search")
        links: list[dict[str, Any]] = [{"rel": "self", "href": search_url, "method": "POST"}]
        if offset + limit < len(items):
            token = base64.urlsafe_b64encode(str(offset + limit).encode()).decode().rstrip("=")
            links.append(
                {
                    "rel": "next",
                    "href": search_url,
                    "method": "POST",
                    "body": {"next": token},
                    "merge": True,
                    "type": "application/geo+json",
                }
            )
        return {
            "type": "FeatureCollection",
            "features": chosen,
            "links": links,
            "numberMatched": len(items),
            "numberReturned": len(chosen),
        }

    @api.post("/assets/{stac_asset_id}/download-url")
    async def download_url(stac_asset_id: str, request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        doc = deliveries.by_stac_asset(stac_asset_id, principal.workspace_id)
        await run_in_threadpool(deliveries.ensure_file, doc)
        path = f"/up42/v2/assets/{stac_asset_id}/file"
        query = tokens.sign_path(up42.store, "up42-download", path, LINK_TTL)
        return {"url": up42.ctx.external_url(request, path) + "?" + query}

    @api.get("/assets/{stac_asset_id}/file")
    async def download(stac_asset_id: str, request: Request) -> FileResponse:
        query = request.query_params
        try:
            tokens.check_signed_path(
                up42.store,
                "up42-download",
                f"/up42/v2/assets/{stac_asset_id}/file",
                query.get("expires", ""),
                query.get("signature", ""),
            )
        except tokens.TokenError as exc:
            raise Up42Error(
                403, f"Download link refused: {exc.reason}; ask for a new one with POST /v2/assets/{{id}}/download-url"
            ) from None
        doc = deliveries.by_stac_asset(stac_asset_id, None)
        target = await run_in_threadpool(deliveries.ensure_file, doc)
        return FileResponse(target, media_type="image/tiff", filename=target.name)

    return api
