"""Geopera archive orders: ``orders.archive.estimate``, ``orders.archive.place``,
``orders.get``, ``orders.list``, ``orders.cancel`` (Geopera's guide "Ordering archive
imagery", openapi.json).

``orders.list`` takes UP42's names (OrdersListInput: "provider-compatible") and answers a
Spring page like UP42's list, the provider-compatible reading. Its string filters are
comma-separated lists; ``type`` is the order type (``archive``, case-insensitive),
``workspaceId`` the project, ``dataProductIds`` the capture collections (``phr``…);
``displayName`` matches a case-insensitive substring and ``tags`` orders carrying all of
them (as in the UP42 stand-in).
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.responses import Response

from .. import geo, spring
from ..httputil import dumps
from . import data, pricing
from .errors import Invalid, Problem
from .idempotency import Claim
from .ops import Call, json_response, spend
from .service import CANCELLABLE, ORDER, STATUSES, status_of

SORTABLE = ("createdAt", "updatedAt", "status", "totalCredits", "displayName")


def estimate(call: Call) -> dict[str, Any]:
    return pricing.quote(call.body.get("captures") or [], bool(call.body.get("splitByDate"))).body()


def place(call: Call) -> Response:
    body = call.body
    org = data.org(call.principal.org)
    project = body.get("projectId") or org.project_id
    if project != org.project_id:
        raise Problem(404, f"project {project} not found")
    quote = pricing.quote(body["captures"], bool(body.get("splitByDate")))
    if quote.errors:
        raise Invalid(
            [{"loc": ["body", "captures", e["index"]], "msg": e["message"], "type": e["code"]} for e in quote.errors]
        )
    geopera = call.geopera

    def commit(call: Call, claim: Claim | None, digest: str) -> Response:
        key = claim.key if claim else ""
        # outside the transaction: a 3-D Secure challenge must outlive the 402
        geopera.billing.preflight(org.id, quote.total_credits, key, digest)
        with geopera.store.transaction():
            payment = geopera.billing.charge(org.id, quote.total_credits, key, digest)
            now = geopera.now()
            doc = {
                "id": str(uuid.uuid4()),
                "orgId": org.id,
                "createdBy": {"principal": call.principal.kind, "id": call.principal.id},
                "created": now,
                "projectId": project,
                "captures": body["captures"],
                "licenseType": body.get("licenseType", "standard"),
                "splitByDate": bool(body.get("splitByDate")),
                "displayName": body.get("displayName", ""),
                "tags": list(dict.fromkeys(body.get("tags") or [])),
                "groups": quote.groups,
                "totalCredits": quote.total_credits,
                "totalAud": quote.total_aud,
                "payment": payment,
                "items": [
                    {
                        "captureId": i.capture.id,
                        "host": i.host,
                        "collection": i.collection.id,
                        "aoi": geo.to_geojson(i.aoi),
                        "areaKm2": round(i.area_km2, 3),
                    }
                    for i in quote.items
                ],
            }
            geopera.store.put(ORDER, doc["id"], doc)
            payload = dumps(geopera.render(doc, now))
            if claim is not None:
                geopera.keys.finish(claim, 202, payload, "application/json")
        return Response(payload, status_code=202, media_type="application/json")

    return spend(call, commit)


def get(call: Call) -> dict[str, Any]:
    return call.geopera.render(call.geopera.order_doc(call.principal, str(call.body["order_id"])))


def _csv(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def list_orders(call: Call) -> dict[str, Any]:
    body = call.body
    try:
        number = spring.parse_int("page", body.get("page"), 0, 0, 1_000_000)
        size = spring.parse_int("size", body.get("size"), 20, 1, 500)
        field, descending = spring.parse_sort(body.get("sort"), SORTABLE, "createdAt,desc")
    except spring.PagingError as exc:
        name = str(exc).split("'")[1] if "'" in str(exc) else "sort"
        raise Invalid([{"loc": ["body", name], "msg": str(exc), "type": "value_error"}]) from None
    statuses = _csv(body.get("status"))
    bad = [s for s in statuses if s not in STATUSES]
    if bad:
        raise Invalid(
            [
                {
                    "loc": ["body", "status"],
                    "msg": f"unknown status {', '.join(bad)}; known: {', '.join(STATUSES)}",
                    "type": "enum",
                }
            ]
        )
    types = [t.lower() for t in _csv(body.get("type"))]
    tags, ids, products = set(_csv(body.get("tags"))), _csv(body.get("orderIds")), _csv(body.get("dataProductIds"))
    name_part = str(body.get("displayName") or "").lower()
    workspace = body.get("workspaceId")
    now = call.geopera.now()
    mine = call.geopera.store.list(ORDER, lambda d: d["orgId"] == call.principal.org)
    rendered = []
    for doc in mine:
        order = call.geopera.render(doc, now)
        collections = {i["collection"] for i in doc["items"]}
        if (
            (not statuses or order["status"] in statuses)
            and (not types or "archive" in types)
            and tags <= set(order["tags"])
            and (not ids or order["id"] in ids)
            and (not products or collections & set(products))
            and name_part in order["displayName"].lower()
            and workspace in (None, "", order["projectId"])
        ):
            rendered.append(order)
    return spring.page(spring.sort_docs(rendered, lambda o: o[field], descending), number, size)


def cancel(call: Call) -> Response:
    geopera = call.geopera

    def commit(call: Call, claim: Claim | None, _digest: str) -> Response:
        with geopera.store.transaction():
            doc = geopera.order_doc(call.principal, str(call.body["order_id"]))
            now = geopera.now()
            status, _ = status_of(doc, now)
            if status not in CANCELLABLE:
                raise Problem(
                    409,
                    f"order {doc['id']} is {status}; only orders in {', '.join(CANCELLABLE)} can be cancelled",
                    kind="invalid-state",
                    orderStatus=status,
                )
            refund = geopera.billing.refund(doc)
            doc["ended"] = {"at": now, "status": "cancelled"}
            doc["changed"] = now
            geopera.store.put(ORDER, doc["id"], doc)
            payload = dumps({"orderId": doc["id"], "status": "cancelled", "refund": refund})
            if claim is not None:
                geopera.keys.finish(claim, 200, payload, "application/json")
        return Response(payload, status_code=200, media_type="application/json")

    return spend(call, commit)


def balance(call: Call) -> Response:
    return json_response(200, call.geopera.billing.balance(call.principal.org))
