"""Geopera stand-in (its guide "Ordering archive imagery", its API reference and
``contract_data/geopera/openapi.json``).

RPC over HTTP (every operation is a POST with a JSON body):
``POST /geopera/v1/op/{operation}`` and the docs' resource-style alias
``POST /geopera/v1/{resource}/{action}`` (``/v1/orders/archive/place`` is
``orders.archive.place``), and the ordering guide's ``POST /geopera/v2/orders`` (the same
operation, see ``v2_orders``). Operations served: ``catalog.search``,
``catalog.search_stream``, ``orders.archive.estimate``, ``orders.archive.place``,
``orders.get`` (also ``GET /v1/op/orders.get?id=``, the guide's curl), ``orders.list``,
``orders.cancel``, ``orders.list_assets``, ``items.asset.download``,
``billing.credits.balance``. Other operations, of the spec or unknown, answer 404 (docs:
"Unknown resource or operation"), saying which.

Order of checks per call: operation exists (404/501), credentials (401), rate limit (429),
scope from the spec's ``x-required-scope`` and principal (403), body against the spec (422).

Admin (``/_sandbox/geopera``): ``billing`` (mode, credits, card state per org),
``3ds/complete``, ``rate-limit``, ``tokens``, ``orders/{id}/fail``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..app import ProviderBuild, ProviderMount, SandboxContext
from ..geopera import assets_ops, auth, catalog_ops, data, errors, orders_ops, schemas
from ..geopera.ops import Call, Handler
from ..geopera.service import ORDER, Geopera
from ..httputil import admin_json
from ..oauth import render_oauth

HANDLERS: dict[str, Handler] = {
    "catalog.search": catalog_ops.search,
    "catalog.search_stream": catalog_ops.search_stream,
    "orders.archive.estimate": orders_ops.estimate,
    "orders.archive.place": orders_ops.place,
    "orders.get": orders_ops.get,
    "orders.list": orders_ops.list_orders,
    "orders.cancel": orders_ops.cancel,
    "orders.list_assets": assets_ops.list_assets,
    "items.asset.download": assets_ops.download_url,
    "billing.credits.balance": orders_ops.balance,
}


def archive_body(body: Any, query: Any) -> Any:
    """An UP42 v2-shaped order body as ``orders.archive.place``'s; anything else unchanged
    (the operation's own validation then says what is wrong)."""
    if not isinstance(body, dict) or "captures" in body or "featureCollection" not in body:
        return body
    params = body.get("params") if isinstance(body.get("params"), dict) else {}
    collection = body.get("featureCollection") if isinstance(body.get("featureCollection"), dict) else {}
    features = collection.get("features") if isinstance(collection.get("features"), list) else []
    mapped: dict[str, Any] = {
        "captures": [{"id": params.get("id"), "geometry": f.get("geometry")} for f in features if isinstance(f, dict)],
    }
    project = body.get("workspaceId") or query.get("workspaceId")
    if project:
        mapped["projectId"] = project
    for key in ("displayName", "tags"):
        if key in body:
            mapped[key] = body[key]
    return mapped


def api(geopera: Geopera) -> FastAPI:
    app = FastAPI(title="Geopera API (sandbox)", openapi_url=None, docs_url=None, redoc_url=None)
    errors.install(app)

    async def dispatch(request: Request, op: str, body: Any) -> Response:
        declared = schemas.operation(op)
        handler = HANDLERS.get(op)
        if handler is None:
            if declared is None:
                raise errors.Problem(404, f"unknown operation {op!r}")
            raise errors.Problem(404, f"operation {op!r} exists in Geopera's API but is not served by the sandbox")
        scope = (declared or {}).get("x-required-scope")
        principal = geopera.auth.authorize(request, op, scope)
        valid = schemas.validate(op, body)
        result = await run_in_threadpool(handler, Call(request, op, principal, valid, geopera))
        return result if isinstance(result, Response) else JSONResponse(result)

    @app.post("/v1/op/{op}")
    async def operation(op: str, request: Request) -> Response:
        return await dispatch(request, op, schemas.parse(await request.body()))

    @app.get("/v1/op/orders.get")
    async def get_order(request: Request) -> Response:
        """Geopera's guide "Ordering archive imagery" polls with ``GET … -G --data-urlencode 'id=…'``."""
        order_id = request.query_params.get("id") or request.query_params.get("order_id")
        return await dispatch(request, "orders.get", {"order_id": order_id} if order_id else {})

    @app.get("/v1/catalog/quicklook/{capture_id}")
    async def quicklook(capture_id: str, request: Request) -> Response:
        geopera.auth.authorize(request, "catalog.search", "catalog:read")
        return await run_in_threadpool(catalog_ops.quicklook, request, capture_id)

    @app.get("/v1/items/{item_id}/assets/{asset_id}")
    async def asset_file(item_id: str, asset_id: str, request: Request) -> Response:
        signed = "signature" in request.query_params
        principal = None if signed else geopera.auth.authorize(request, "items.asset.download", "items:read")
        return await run_in_threadpool(assets_ops.download, geopera, request, item_id, asset_id, principal)

    @app.post("/v2/orders")
    async def v2_orders(request: Request) -> Response:
        """Geopera's guide "Ordering archive imagery", "Resource-style route": the familiar
        ``POST /v2/orders`` "runs the identical operation underneath, with the same scope,
        pricing, idempotency, and provenance" as ``orders.archive.place``. No document gives
        its body; the sandbox's reading (the docs call the REST facade provider-compatible
        and ``orders.place`` matches UP42 v2 field for field) takes
        ``orders.archive.place``'s body as it is, or UP42 v2's order body (``dataProduct``,
        ``displayName``, ``params.id`` the capture, ``featureCollection`` the AOIs,
        ``tags``; ``workspaceId`` as query or field = project)."""
        body = schemas.parse(await request.body())
        return await dispatch(request, "orders.archive.place", archive_body(body, request.query_params))

    @app.post("/v1/{resource:path}")
    async def resource_style(resource: str, request: Request) -> Response:
        """``/v1/orders/archive/place`` runs ``orders.archive.place`` (docs operations/orders)."""
        return await dispatch(request, resource.strip("/").replace("/", "."), schemas.parse(await request.body()))

    return app


def token_app(geopera: Geopera) -> FastAPI:
    app = FastAPI(title="Geopera token endpoint (sandbox)", openapi_url=None, docs_url=None, redoc_url=None)
    app.include_router(auth.token_router(geopera.auth))
    return app


def admin_router(geopera: Geopera) -> APIRouter:
    admin = APIRouter()

    @admin.get("/billing")
    def billing_state(org: str = "org_demo") -> dict[str, Any]:
        return geopera.billing.state(org)

    @admin.post("/billing")
    async def change_billing(request: Request) -> dict[str, Any]:
        """``{"org": "org_demo", "billing_mode": credit|card|enterprise, "credits": n,
        "card": ok|declined|none|3ds_required}`` (all but org optional)."""
        body = await admin_json(request)
        org = str(body.pop("org", "org_demo"))
        if org not in {o.id for o in data.ORGS}:
            raise HTTPException(422, f"org must be one of {[o.id for o in data.ORGS]}")
        try:
            return geopera.billing.update(org, body)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None

    @admin.post("/3ds/complete")
    async def complete_3ds(request: Request) -> dict[str, Any]:
        """The bank challenge a real client completes with Stripe: ``{"client_secret", "outcome":
        "succeeded"|"failed"}``. The secret travels in the body, never in a URL."""
        body = await admin_json(request)
        try:
            return geopera.billing.complete_3ds(str(body.get("client_secret")), str(body.get("outcome", "succeeded")))
        except KeyError as exc:
            raise HTTPException(404, str(exc)) from None
        except ValueError as exc:
            raise HTTPException(409, str(exc)) from None

    @admin.post("/rate-limit")
    async def rate_limit(request: Request) -> dict[str, Any]:
        """``{"limit": n, "window": seconds}``: at most n requests per window per principal (0 = off)."""
        body = await admin_json(request)
        return geopera.auth.limiter.configure(int(body.get("limit", 0)), float(body.get("window", 1.0)))

    @admin.post("/tokens")
    async def token_settings(request: Request) -> dict[str, Any]:
        """``{"access_ttl": seconds}``."""
        body = await admin_json(request)
        geopera.auth.set_ttl(int(body.get("access_ttl", 300)))
        return {"access_ttl": geopera.auth.ttl()}

    @admin.post("/orders/{order_id}/fail")
    def fail_order(order_id: str) -> dict[str, Any]:
        """The provider fails the order now; its payment is refunded or voided."""
        with geopera.store.transaction():
            doc = geopera.store.get(ORDER, order_id)
            if doc is None:
                raise HTTPException(404, f"no order {order_id}")
            geopera.billing.refund(doc)
            doc["ended"] = {"at": geopera.now(), "status": "failed"}
            geopera.store.put(ORDER, order_id, doc)
        return geopera.render(doc)

    return admin


def build(ctx: SandboxContext) -> ProviderBuild:
    geopera = Geopera(ctx)
    ctx.on_reset.append(lambda: geopera.auth.limiter.configure(0, 1.0))
    return ProviderBuild(
        name="geopera",
        mounts=[
            ProviderMount("/geopera/realms/public/protocol/openid-connect", token_app(geopera), render_oauth),
            ProviderMount("/geopera", api(geopera), errors.render_problem),
        ],
        admin=admin_router(geopera),
        info={
            "api_keys": [
                {"key": k.key, "org": k.org, "scopes": list(k.scopes), "label": k.label} for k in data.API_KEYS
            ],
            "users": [{"username": u.email, "password": u.password, "org": u.org} for u in data.USERS],
            "projects": {o.id: o.project_id for o in data.ORGS},
            "client_id": data.CLIENT_ID,
            "token_url": "/geopera" + auth.TOKEN_PATH,
            "hosts": {h: [c.id for c in cs] for h, cs in data.HOSTS.items() if cs},
        },
    )
