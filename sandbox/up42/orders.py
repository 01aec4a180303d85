"""UP42 v2 orders: estimate, place, list, get, tag update, cancellation (the SDK's endpoints).

UP42 has no idempotency key (neither the docs nor the SDK name one). A client that lost the response of
``POST /v2/orders`` finds its order again through the list filters ``displayName`` and
``tags``, which is why they match as follows (no document says how they match; the
sandbox's reading): ``displayName`` is a case-insensitive substring match; ``tags``
(repeated, or comma-separated) keeps orders carrying *all* the given tags.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from .. import geo, spring
from ..httputil import BodyError, read_json
from . import data, lifecycle
from .errors import Up42Error
from .ordering import check
from .service import ORDER, Up42, paging, stamp

SORTABLE = ("createdAt", "updatedAt", "displayName", "status", "type")
TASKING_DETAILS = {
    "acquisitionStart": "acquisitionStart",
    "acquisitionEnd": "acquisitionEnd",
    "extraDescription": "extraDescription",
    "acquisitionMode": "acquisitionMode",
    "cloudCoverage": "maxCloudCover",
    "incidenceAngle": "maxIncidenceAngle",
    "geometricProcessing": "geometricProcessing",
    "projection": "projection",
    "pixelCoding": "pixelCoding",
    "radiometricProcessing": "radiometricProcessing",
    "spectralProcessing": "spectralProcessing",
    "deliveredAs": "deliveredAs",
    "minBH": "minBH",
    "maxBH": "maxBH",
}


def multi(request: Request, name: str) -> list[str]:
    """A repeatable query parameter, also accepting comma-separated values."""
    return [part.strip() for raw in request.query_params.getlist(name) for part in raw.split(",") if part.strip()]


async def body_of(request: Request) -> Any:
    try:
        return await read_json(request)
    except BodyError as exc:
        raise Up42Error(400, str(exc)) from None


def router(up42: Up42) -> APIRouter:
    api = APIRouter()

    @api.post("/orders/estimate")
    async def estimate(request: Request) -> dict[str, Any]:
        up42.auth.principal(request)
        checked = await run_in_threadpool(check, await body_of(request), up42.ctx.clock.now())
        results = [
            {"index": i.index, "credits": i.credits, "size": round(i.area_km2, 2), "unit": "SQ_KM"}
            for i in checked.items
        ]
        return {
            "summary": {
                "totalCredits": sum(i.credits for i in checked.items),
                "totalSize": round(sum(i.area_km2 for i in checked.items), 2),
                "unit": "SQ_KM",
            },
            "results": results,
            "errors": checked.errors,
        }

    @api.post("/orders")
    async def place(request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        workspace = request.query_params.get("workspaceId")
        if not workspace:
            raise Up42Error(400, "Required query parameter 'workspaceId' is missing")
        up42.check_workspace(principal, workspace)
        body = await body_of(request)
        checked = await run_in_threadpool(check, body, up42.ctx.clock.now())
        item = checked.collection
        if item.restricted and up42.access_status(workspace, item.name) != "APPROVED":
            status = up42.access_status(workspace, item.name) or "NOT_REQUESTED"
            raise Up42Error(
                403,
                f"Access to collection '{item.name}' has not been granted to this workspace "
                f"(access request: {status}). Request access in the console first.",
                {"collectionName": item.name, "accessRequestStatus": status},
            )
        now = up42.now()
        results = []
        with up42.store.transaction():
            for accepted in checked.items:
                order_id = str(uuid.uuid4())
                doc = new_order(up42, principal.user, checked, accepted, order_id, now)
                up42.store.put(ORDER, order_id, doc)
                results.append({"index": accepted.index, "id": order_id})
        return {"results": results, "errors": checked.errors}

    @api.get("/orders")
    async def list_orders(request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        query = request.query_params
        workspace = up42.check_workspace(principal, query.get("workspaceId"))
        number, size, field, descending = paging(query, SORTABLE, "createdAt,desc")
        types, statuses, subs = multi(request, "type"), multi(request, "status"), multi(request, "subStatus")
        for name, values, allowed in (
            ("type", types, ("ARCHIVE", "TASKING")),
            ("status", statuses, lifecycle.STATUSES),
            ("subStatus", subs, lifecycle.SUB_STATUSES),
        ):
            bad = [v for v in values if v not in allowed]
            if bad:
                raise Up42Error(400, f"Invalid value(s) for '{name}': {', '.join(bad)}; allowed: {', '.join(allowed)}")
        wanted_tags = set(multi(request, "tags"))
        name_part = (query.get("displayName") or "").lower()
        now = up42.now()
        rendered = [up42.render(d, now) for d in up42.store.list(ORDER, lambda d: d["workspaceId"] == workspace)]
        kept = [
            o
            for o in rendered
            if (not types or o["type"] in types)
            and (not statuses or o["status"] in statuses)
            and (not subs or o["orderDetails"].get("subStatus") in subs)
            and wanted_tags <= set(o["tags"])
            and name_part in o["displayName"].lower()
        ]
        ordered = spring.sort_docs(kept, lambda o: o[field], descending)
        return spring.page(ordered, number, size)

    @api.get("/orders/{order_id}")
    async def get_order(order_id: str, request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        return up42.render(up42.order_doc(principal, order_id))

    @api.patch("/orders/{order_id}")
    async def update_order(order_id: str, request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        doc = up42.order_doc(principal, order_id)
        try:
            # up42-py Order.update sends application/merge-patch+json (sdk-test-payloads.json order_update_tags)
            patch = await read_json(request, allowed_types=("application/merge-patch+json",))
        except BodyError as exc:
            status = 415 if "Content-Type" in str(exc) else 400
            raise Up42Error(status, str(exc)) from None
        if not isinstance(patch, dict):
            raise Up42Error(400, "A JSON merge patch object is expected")
        unknown = sorted(set(patch) - {"tags"})
        if unknown:
            raise Up42Error(400, f"Only 'tags' can be updated; not: {', '.join(unknown)}")
        tags = patch.get("tags", doc["tags"])
        tags = [] if tags is None else tags
        if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
            raise Up42Error(400, "tags: a list of non-empty strings is expected")
        doc["tags"] = list(dict.fromkeys(tags))
        up42.touch(doc)
        up42.store.put(ORDER, order_id, doc)
        return up42.render(doc)

    @api.post("/orders/{order_id}/cancellation")
    async def cancel(order_id: str, request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        with up42.store.transaction():
            doc = up42.order_doc(principal, order_id)
            current = lifecycle.state(doc, up42.now())
            if current.status not in lifecycle.CANCELLABLE:
                raise Up42Error(
                    409,
                    f"Order {order_id} cannot be cancelled in status {current.status}; only orders in "
                    f"{' or '.join(lifecycle.CANCELLABLE)} can be cancelled",
                    {"orderId": order_id, "status": current.status},
                )
            doc.setdefault("events", {})["canceled"] = up42.now()
            up42.touch(doc)
            up42.store.put(ORDER, order_id, doc)
        return {"orderId": order_id, "status": "CANCELED"}

    return api


def new_order(up42: Up42, user: data.User, checked: Any, accepted: Any, order_id: str, now: float) -> dict[str, Any]:
    item: data.Collection = checked.collection
    params: dict[str, Any] = checked.params
    if item.type == "ARCHIVE":
        details: dict[str, Any] = {"aoi": accepted.geometry, "imageId": params["id"]}
    else:
        details = {"geometry": accepted.geometry, "subStatus": None}
        details |= {target: params[source] for source, target in TASKING_DETAILS.items() if source in params}
    feasibility = item.type == "TASKING" and (
        "FEASIBILITY_STUDY_REQUIRED" in item.integrations
        or (
            "FEASIBILITY_STUDY_MAY_BE_REQUIRED" in item.integrations
            and accepted.area_km2 > data.FEASIBILITY_THRESHOLD_KM2
        )
    )
    return {
        "id": order_id,
        "workspaceId": user.workspace_id,
        "accountId": user.account_id,
        "displayName": checked.display_name,
        "type": item.type,
        "dataProductId": item.data_product_id,
        "collection": item.name,
        "tags": list(dict.fromkeys(checked.tags)),
        "created": now,
        "createdAt": stamp(now),
        "orderDetails": details,
        "deliveryGeometry": geo.to_geojson(accepted.aoi),
        "areaKm2": accepted.area_km2,
        "credits": accepted.credits,
        "feasibilityRequired": feasibility,
        "acquired": params.get("id") if item.type == "ARCHIVE" else None,
        "events": {},
    }
