"""UP42 stand-in (its "Place an order" tasking guide, its developer docs and the SDK fixtures in
``contract_data/up42``).

Mounts (one FastAPI sub-app per error envelope, so injected faults answer in the right
shape too):

    /up42-auth     token server (Keycloak realm "public"): OAuth 2.0 errors
    /up42/v2       v2 API (glossary, orders, tasking, coverage, assets): {code, message, details}
    /up42/catalog  catalog search and quicklooks: {data, error}
    /up42          v1 leftovers (/data-products, /orders/schema/{id}): {data, error}

Admin (``/_sandbox/up42``): ``tokens`` (lifetimes, revoke all), ``access`` (decide an
access request), ``orders/{id}/fail`` (force a failure status).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request

from ..app import ProviderBuild, ProviderMount, SandboxContext
from ..httputil import admin_json
from ..oauth import render_oauth
from ..up42 import assets, auth, catalog_api, data, errors, glossary, lifecycle, orders, tasking
from ..up42.service import ORDER, Up42


def _app(title: str, envelope: str, *routers: APIRouter) -> FastAPI:
    app = FastAPI(title=title, openapi_url=None, docs_url=None, redoc_url=None)
    errors.install(app, envelope)
    for router in routers:
        app.include_router(router)
    return app


def admin_router(up42: Up42) -> APIRouter:
    admin = APIRouter()

    @admin.get("/tokens")
    def token_settings() -> dict[str, Any]:
        return up42.auth.settings({})

    @admin.post("/tokens")
    async def change_tokens(request: Request) -> dict[str, Any]:
        """``{"access_ttl": s, "refresh_ttl": s, "revoke": true}``: all optional."""
        return up42.auth.settings(await admin_json(request))

    @admin.post("/access")
    async def decide_access(request: Request) -> dict[str, Any]:
        """``{"workspaceId", "collectionName", "status": PENDING|APPROVED|REJECTED}``."""
        body = await admin_json(request)
        if body.get("status") not in data.ACCESS_STATUSES or data.collection(str(body.get("collectionName"))) is None:
            raise HTTPException(422, f"status must be one of {data.ACCESS_STATUSES} and collectionName a collection")
        if data.user_by_workspace(str(body.get("workspaceId"))) is None:
            raise HTTPException(422, "workspaceId must be a demo workspace")
        return up42.set_access(str(body["workspaceId"]), str(body["collectionName"]), str(body["status"]))

    @admin.post("/orders/{order_id}/fail")
    async def fail_order(order_id: str, request: Request) -> dict[str, Any]:
        """``{"status": PLACEMENT_FAILED|FAILED_PERMANENTLY|...}``: the order fails now."""
        body = await admin_json(request)
        status = body.get("status", "FAILED_PERMANENTLY")
        if status not in lifecycle.FORCEABLE_FAILURES:
            raise HTTPException(422, f"status must be one of {lifecycle.FORCEABLE_FAILURES}")
        with up42.store.transaction():
            doc = up42.store.get(ORDER, order_id)
            if doc is None:
                raise HTTPException(404, f"no order {order_id}")
            doc.setdefault("events", {}).setdefault("failures", []).append({"at": up42.now(), "status": status})
            up42.store.put(ORDER, order_id, doc)
        return up42.render(doc)

    return admin


def build(ctx: SandboxContext) -> ProviderBuild:
    up42 = Up42(ctx)
    v2 = _app(
        "UP42 API v2 (sandbox)",
        "v2",
        glossary.v2_router(up42),
        orders.router(up42),
        tasking.router(up42),
        assets.router(up42),
    )
    catalog = _app("UP42 catalog (sandbox)", "v1", catalog_api.router(up42))
    v1 = _app("UP42 API v1 (sandbox)", "v1", glossary.v1_router(up42))
    return ProviderBuild(
        name="up42",
        mounts=[
            ProviderMount("/up42-auth", auth.token_app(up42.auth), render_oauth),
            # longer prefixes first: Starlette takes the first mount whose prefix matches
            ProviderMount("/up42/v2", v2, errors.render_v2),
            ProviderMount("/up42/catalog", catalog, errors.render_v1),
            ProviderMount("/up42", v1, errors.render_v1),
        ],
        admin=admin_router(up42),
        info={
            "users": [{"username": u.email, "password": u.password, "workspaceId": u.workspace_id} for u in data.USERS],
            "client_ids": list(data.CLIENT_IDS),
            "token_url": "/up42-auth" + auth.TOKEN_PATH,
            "api": "/up42",
            "catalog_hosts": sorted(data.hosts()),
        },
    )
