"""UP42 glossary: collections (v2, no auth), data products and order schemas (v1), and
the workspace's access requests.

* ``GET /v2/collections`` and ``/v2/collections/{name}``: Spring page / one collection
  (sdk-test-payloads.json ``collections_page``; the 404 message is the developer portal's
  "Collection with name … not found" in the v2 error shape). No auth (the glossary is public).
* ``GET /data-products``: ``{"data": [...], "error": null}`` with entries shaped like
  sdk-fixtures/data_products.json (the SDK's tests serve that file wrapped in ``data``).
* ``GET /orders/schema/{dataProductId}``: the product's JSON Schema (draft-07)
  for the order's ``params``.
* ``GET /v2/access-requests``: no provider document describes access requests in a
  machine-readable way; UP42's "Place an order" tasking guide says tasking collections need
  an access request, decided by UP42 within 7 days and reviewed "on the Access Requests
  page". The sandbox serves that page as the smallest coherent API: a Spring page of
  ``{id, collectionName, workspaceId, status: PENDING|APPROVED|REJECTED, createdAt, updatedAt}``,
  filterable by ``collectionName`` and ``status``. Requests are made in the console (the
  same guide), so there is no POST; ``/_sandbox/up42/access`` decides them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from .. import spring
from . import data
from .errors import Up42Error
from .service import Up42, paging


def v2_router(up42: Up42) -> APIRouter:
    """Mounted at ``/up42/v2``."""
    api = APIRouter()

    @api.get("/collections")
    async def collections(request: Request) -> dict[str, Any]:
        query = request.query_params
        number, size, field, descending = paging(query, ("name", "title", "type"), "name,asc")
        items = [c.glossary() for c in data.COLLECTIONS]
        return spring.page(spring.sort_docs(items, lambda c: c[field], descending), number, size)

    @api.get("/collections/{name}")
    async def one_collection(name: str) -> dict[str, Any]:
        item = data.collection(name)
        if item is None:
            raise Up42Error(404, f"Collection with name {name} not found")
        return item.glossary()

    @api.get("/access-requests")
    async def access_requests(request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        query = request.query_params
        workspace = up42.check_workspace(principal, query.get("workspaceId"))
        number, size, _, _ = paging(query, ("createdAt",), "createdAt,asc")
        status = query.get("status")
        if status is not None and status not in data.ACCESS_STATUSES:
            raise Up42Error(400, f"Invalid status {status!r}; allowed: {', '.join(data.ACCESS_STATUSES)}")
        items = [
            r
            for r in up42.access_requests(workspace)
            if (status is None or r["status"] == status) and query.get("collectionName") in (None, r["collectionName"])
        ]
        return spring.page(items, number, size)

    return api


def v1_router(up42: Up42) -> APIRouter:
    """Mounted at ``/up42`` (v1 envelope)."""
    api = APIRouter()

    @api.get("/data-products")
    async def data_products(request: Request) -> dict[str, Any]:
        up42.auth.principal(request)
        return {"data": data.data_products(), "error": None}

    @api.get("/orders/schema/{data_product_id}")
    async def schema(data_product_id: str, request: Request) -> dict[str, Any]:
        up42.auth.principal(request)
        item = data.collection_by_product(data_product_id)
        if item is None:
            raise Up42Error(404, f"Data product with id {data_product_id} not found")
        return data.product_schema(item)

    return api
