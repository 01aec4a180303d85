"""Airbus OneAtlas Living Library stand-in (the OneAtlas Data Guide, Airbus's Living Library OpenAPI).

Four hosts, four mounts: ``/oneatlas-auth`` (token), ``/oneatlas-data`` (me, prices,
orders), ``/oneatlas-search`` (opensearch), ``/oneatlas-access`` (quicklooks, downloads).
Errors everywhere are the spec's ApiError ``{correlationId, hint, internalCode, message,
timestamp}``. Tokens are HMAC-signed, last 3600 s of sandbox time and cannot be refreshed
(``refresh_expires_in`` 0): a client re-authenticates with its API key.

Order links. The OneAtlas Data Guide's order examples ("Here you can see the initial
response with status ordered", and the orders list) carry ``_links`` ``self``, ``cancel``,
``contract``, ``payments``, ``deliveries`` and ``subscription``. The sandbox hands out only
links it serves, and each resolves: ``self``, ``contract`` and ``deliveries``
(``GET /api/v1/orders/{id}/deliveries``; no document shows its answer, the sandbox's reading
is the orders list's envelope ``{startIndex, totalResults, countLimitReached, itemsPerPage,
items}`` around the deliveries the order embeds).

Cancelling. No OneAtlas document describes cancelling a Living Library product order: the
guide shows a ``cancel`` link (``/api/v1/orders/{id}/cancel``) but never says which method,
body, states or answer it has; the Living Library spec has no such path (its cancels are
``POST /api/v1/activities/{activityId}/cancel``, for processing activities, and
``POST /api/v1/contracts/{contractId}/taskings/{taskingId}/cancel``, for taskings); the
Pay-Per-Order spec's ``POST api/v1/orders/{orderItemId}/cancel`` is "Cancel a Tasking Order"
on another host (order.api.oneatlas.airbus.com, Pléiades Neo tasking). Airbus documents no cancel
endpoint for Living Library product orders. So the sandbox neither serves a
cancel route for orders nor hands out the ``cancel`` link (``tests/sandbox/test_oneatlas.py``
``test_orders_cannot_be_cancelled_no_route_is_invented``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
import urllib.parse
import uuid
from datetime import datetime, timezone
from typing import Any

import shapely
import shapely.wkt
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from shapely.geometry import box, mapping, shape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import catalog, raster
from ..app import ProviderBuild, ProviderMount, SandboxContext
from ..clock import iso
from ..httpfiles import file_response
from ..oneatlas_orders import DELIVERY_S, EUR_PER_KM2, OrderError, delivery_zip, price, status, validate

ORDER = "oneatlas.order"
TOKEN_S = 3600
# demo API keys (listed in /_sandbox/health): one with a large EUR balance, one too poor
# for any order (its orders are "rejected: insufficient balance", the guide's status table)
ACCOUNTS = {
    "oneatlas-sandbox-key": {
        "user": "5406642f-e3e8-4250-7c7f-7ac2be36021b",
        "balance": 1_000_000.0,
        "contract": "d9307572-4f50-4dd5-b5de-94085beb6709",
        "workspace": "5b2a41d2-a876-43c5-867b-3aab98bd56b6",
        "name": "nadir-sandbox",
    },
    "oneatlas-sandbox-poor-key": {
        "user": "7c0e8a51-2b94-4c7d-9e13-0f5a6b7c8d9e",
        "balance": 1.0,
        "contract": "2b7e5f10-9c3d-4a8e-b6f1-3d2c1b0a9e8f",
        "workspace": "8f1e2d3c-4b5a-4968-8776-655443322110",
        "name": "nadir-poor",
    },
}
PUBLIC = {"public": ("PHR", "SPOT"), "public-pneo": ("PNEO",)}
PUBLIC_IDS = {"public": "0e33eb50-3404-48ad-b835-b0b4b72a5625", "public-pneo": "3e88441b-adc9-4be6-bd80-59d4fb69d5a7"}
MAX_TOTAL = 10_000  # SearchResponse.totalResults maximum in the spec
MAX_ITEMS_PER_PAGE = 500  # not documented; chosen
RANGE = re.compile(r"^\s*([\[\]])\s*([^,\]\[]*)\s*,\s*([^,\]\[]*)\s*([\[\]])\s*$")


class ApiError(Exception):
    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


def error_body(status_code: int, message: str, hint: str = "") -> dict[str, Any]:
    return {
        "correlationId": str(uuid.uuid4()),
        "hint": hint or message,
        "internalCode": status_code,
        "message": message,
        "timestamp": int(time.time() * 1000),
    }


def render_fault(status_code: int, message: str) -> tuple[bytes, str]:
    return json.dumps(error_body(status_code, message)).encode(), "application/json"


def _app(title: str) -> FastAPI:
    app = FastAPI(title=title, docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.message, exc.hint), status_code=exc.status)

    @app.exception_handler(OrderError)
    async def order_error(_request: Request, exc: OrderError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.message, exc.hint), status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(exc.status_code, str(exc.detail)), status_code=exc.status_code)

    return app


class OneAtlas:
    def __init__(self, ctx: SandboxContext) -> None:
        self.ctx = ctx

    def secret(self) -> bytes:
        value = self.ctx.store.meta("oneatlas.secret")
        if value is None:
            value = secrets.token_hex(32)
            self.ctx.store.set_meta("oneatlas.secret", value)
        return value.encode()

    def token(self, key: str) -> str:
        now = self.ctx.clock.timestamp()
        header = _b64({"alg": "HS256", "typ": "JWT"})
        payload = _b64(
            {
                "sub": ACCOUNTS[key]["user"],
                "key": hashlib.sha256(key.encode()).hexdigest()[:16],
                "iat": int(now),
                "exp": int(now + TOKEN_S),
                "jti": str(uuid.uuid4()),
            }
        )
        signature = (
            base64.urlsafe_b64encode(hmac.new(self.secret(), f"{header}.{payload}".encode(), hashlib.sha256).digest())
            .rstrip(b"=")
            .decode()
        )
        return f"{header}.{payload}.{signature}"

    def account(self, request: Request) -> str:
        """The API key behind a valid bearer token, else 401 (ApiError)."""
        auth = request.headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            raise ApiError(
                401,
                "Authentication failed (cause: missing bearer token)",
                "Send Authorization: Bearer <access_token> from the token endpoint.",
            )
        token = auth[7:].strip()
        try:
            header, payload, signature = token.split(".")
            expected = (
                base64.urlsafe_b64encode(
                    hmac.new(self.secret(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
                )
                .rstrip(b"=")
                .decode()
            )
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (ValueError, json.JSONDecodeError) as exc:
            raise ApiError(401, "Authentication failed (cause: invalid token)") from exc
        if not hmac.compare_digest(signature, expected):
            raise ApiError(401, "Authentication failed (cause: invalid token)")
        if claims["exp"] < self.ctx.clock.timestamp():
            raise ApiError(
                401, "Authentication failed (cause: Token expired)", "Request a new token with your API key."
            )
        for key in ACCOUNTS:
            if hashlib.sha256(key.encode()).hexdigest()[:16] == claims["key"]:
                return key
        raise ApiError(401, "Authentication failed (cause: unknown account)")

    def spent(self, key: str) -> float:
        return sum(
            o["price"] for o in self.ctx.store.list(ORDER, lambda o: o["account"] == key) if o["final"] != "rejected"
        )


def _b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).rstrip(b"=").decode()


def build(ctx: SandboxContext) -> ProviderBuild:
    oa = OneAtlas(ctx)
    auth, data, search, access = (_app(f"OneAtlas {n} (sandbox)") for n in ("auth", "data", "search", "access"))

    @auth.post("/auth/realms/IDP/protocol/openid-connect/token")
    async def token(request: Request) -> JSONResponse:
        # application/x-www-form-urlencoded, parsed here (no python-multipart in the sandbox)
        form = {k: v[-1] for k, v in urllib.parse.parse_qs((await request.body()).decode("latin-1")).items()}
        if form.get("grant_type") != "api_key":
            raise ApiError(400, "Unsupported grant_type: must be api_key", "grant_type=api_key&client_id=IDP&apikey=…")
        if form.get("client_id") != "IDP":
            raise ApiError(400, "Invalid client_id: must be IDP")
        key = str(form.get("apikey") or "")
        if key not in ACCOUNTS:
            raise ApiError(401, "Invalid API key", "Create an API key in OneAtlas and send it as apikey.")
        # token_type: the schema's enum says "bearer", its example "Bearer": the schema wins
        return JSONResponse(
            {
                "access_token": oa.token(key),
                "expires_in": TOKEN_S,
                "refresh_expires_in": 0,
                "token_type": "bearer",
                "not-before-policy": 0,
                "session_state": str(uuid.uuid4()),
                "scope": "",
            }
        )

    def contract_of(key: str, request: Request) -> dict[str, Any]:
        account = ACCOUNTS[key]
        base = SandboxContext.external_url(request, "/oneatlas-data/api/v1")
        contract = account["contract"]
        return {
            "_links": {
                "self": {"href": f"{base}/contracts/{contract}"},
                "orders": {"href": f"{base}/contracts/{contract}/orders"},
            },
            "id": contract,
            "status": "created",
            "createdAt": "2021-07-07T08:01:07Z",
            "offers": ["order.data.product"],
            "companyName": "Nadir sandbox",
            "amountUnit": "EUR",
            "balanceUnit": "EUR",
            "kind": "contract.oneatlas",
            "name": "SANDBOX.Standard-GEO",
            "balance": round(account["balance"] - oa.spent(key), 2),
            "workspaceId": account["workspace"],
            "workspaceName": account["name"],
        }

    def own_contract(request: Request, contract_id: str) -> str:
        key = oa.account(request)
        if ACCOUNTS[key]["contract"] != contract_id:
            raise ApiError(404, f"Contract {contract_id} not found")
        return key

    @data.get("/api/v1/me")
    def me(request: Request) -> JSONResponse:
        key = oa.account(request)
        base = SandboxContext.external_url(request, "/oneatlas-data/api/v1")
        return JSONResponse(
            {
                "_links": {"self": {"href": f"{base}/me"}},
                "id": ACCOUNTS[key]["user"],
                "status": "created",
                "createdAt": "2022-08-19T12:19:43Z",
                "roles": ["contractViewer", "user"],
                "contract": contract_of(key, request),
            }
        )

    # The HAL links the answers carry resolve (the guide's delivery links: self, contract; the
    # /me example's contract links: self, orders); the published specs do not list these
    # GET routes, so their shapes are the objects the links were taken from.
    @data.get("/api/v1/contracts/{contract_id}")
    def get_contract(request: Request, contract_id: str) -> JSONResponse:
        return JSONResponse(contract_of(own_contract(request, contract_id), request))

    @data.get("/api/v1/contracts/{contract_id}/orders")
    def contract_orders(request: Request, contract_id: str, page: int = 1, itemsPerPage: int = 10) -> JSONResponse:  # noqa: N803
        own_contract(request, contract_id)
        return list_orders(request, page=page, itemsPerPage=itemsPerPage)

    @data.get("/api/v1/deliveries/{delivery_id}")
    def get_delivery(request: Request, delivery_id: str) -> JSONResponse:
        key = oa.account(request)
        for order in ctx.store.list(ORDER, lambda o: o["account"] == key):
            for delivery in order["deliveries"]:
                if delivery["id"] == delivery_id:
                    return JSONResponse(_delivery_dto(order, delivery, status(order, ctx.clock.now()), request))
        raise ApiError(404, f"Delivery {delivery_id} not found")

    @data.post("/api/v1/prices")
    async def prices(request: Request) -> JSONResponse:
        key = oa.account(request)
        body = await _json(request)
        checked = validate(body)
        total = price(checked)
        affordable = total <= ACCOUNTS[key]["balance"] - oa.spent(key)
        return JSONResponse(
            {
                "kind": body["kind"],
                "products": body["products"],  # the spec's schema wants these at the top
                "payload": body,
                "deliveries": [_delivery_datas(c, request, None) for c in checked],
                "price": {
                    "credits": total,
                    "amount": total,
                    "isAmountEstimated": "false",
                    "areaKm2": round(sum(c["area"] for c in checked), 2),
                    "amountUnit": "EUR",
                },
                "feasibility": "automatic",
                "orderable": "orderable" if affordable else "insufficientBalance",
            }
        )

    @data.post("/api/v1/orders")
    async def create(request: Request) -> JSONResponse:
        key = oa.account(request)
        body = await _json(request)
        checked = validate(body)
        total = price(checked)
        now = ctx.clock.now()
        order_id = str(uuid.uuid4())
        if total > ACCOUNTS[key]["balance"] - oa.spent(key):
            final = "rejected"
        elif not all(c["covered"] for c in checked):
            final = "error"
        else:
            final = "delivered"
        order = {
            "id": order_id,
            "account": key,
            "created_ts": now.timestamp(),
            "kind": body["kind"],
            "payload": body,
            "price": total,
            "final": final,
            "tags": body.get("tags") if isinstance(body.get("tags"), list) else [],
            "deliveries": [_delivery_datas(c, request, str(uuid.uuid4())) for c in checked],
        }
        ctx.store.put(ORDER, order_id, order, created=now.timestamp())
        return JSONResponse(_order_dto(oa, order, request), status_code=201)

    @data.get("/api/v1/orders")
    def list_orders(
        request: Request,
        page: int = 1,
        itemsPerPage: int = 10,  # noqa: N803
        status: str | None = None,
        kind: str | None = None,
        tags: str | None = None,
    ) -> JSONResponse:
        key = oa.account(request)
        if page < 1 or itemsPerPage < 1:
            raise ApiError(400, "page and itemsPerPage start at 1")
        orders = [_order_dto(oa, o, request) for o in reversed(ctx.store.list(ORDER, lambda o: o["account"] == key))]
        if status:
            orders = [o for o in orders if o["status"] in status.split(",")]
        if kind:
            wanted = set(kind.split(","))
            if wanted & {"order.data.product", "order.product"}:
                wanted |= {"order.data.product", "order.product"}
            orders = [o for o in orders if o["kind"] in wanted]
        if tags:
            wanted_tags = set(tags.split(","))
            orders = [o for o in orders if wanted_tags & set(o.get("tags", []))]
        start = (page - 1) * itemsPerPage
        return JSONResponse(
            {
                "startIndex": start,
                "totalResults": len(orders),
                "countLimitReached": False,
                "itemsPerPage": itemsPerPage,
                "items": orders[start : start + itemsPerPage],
            }
        )

    def own_order(request: Request, order_id: str) -> dict[str, Any]:
        key = oa.account(request)
        order = ctx.store.get(ORDER, order_id)
        if order is None or order["account"] != key:
            raise ApiError(404, f"Order {order_id} not found")
        return order

    @data.get("/api/v1/orders/{order_id}")
    def get_order(request: Request, order_id: str) -> JSONResponse:
        return JSONResponse(_order_dto(oa, own_order(request, order_id), request))

    @data.get("/api/v1/orders/{order_id}/deliveries")
    def order_deliveries(request: Request, order_id: str) -> JSONResponse:
        """The order's ``deliveries`` link (module docstring: the envelope is the sandbox's reading)."""
        items = _order_dto(oa, own_order(request, order_id), request)["deliveries"]
        return JSONResponse(
            {
                "startIndex": 0,
                "totalResults": len(items),
                "countLimitReached": False,
                "itemsPerPage": max(1, len(items)),
                "items": items,
            }
        )

    @search.api_route("/api/v2/opensearch", methods=["GET", "POST"])
    async def opensearch(request: Request) -> JSONResponse:
        key = oa.account(request)
        if request.method == "POST":
            params = await _json(request)
            if not isinstance(params, dict):
                raise ApiError(400, "The search body must be a JSON object")
        else:
            params = dict(request.query_params)
        return JSONResponse(_search(request, ACCOUNTS[key], params, ctx.clock.now()))

    @access.get("/api/v1/items/{item_id}/quicklook")
    def quicklook(request: Request, item_id: str) -> Response:
        oa.account(request)
        return Response(_jpeg(item_id, 512), media_type="image/jpeg")

    @access.get("/api/v1/items/{item_id}/thumbnail")
    def thumbnail(request: Request, item_id: str) -> Response:
        oa.account(request)
        return Response(_jpeg(item_id, 128), media_type="image/jpeg")

    @access.get("/api/v1/items/{item_id}/download")
    def download(request: Request, item_id: str) -> Response:
        key = oa.account(request)
        now = ctx.clock.now()
        for order in ctx.store.list(ORDER, lambda o: o["account"] == key):
            for delivery in order["deliveries"]:
                if delivery["itemId"] == item_id:
                    if status(order, now) != "delivered":
                        raise ApiError(404, f"Item {item_id} is not delivered yet", "Wait for status delivered.")
                    path = delivery_zip(ctx.config.files_dir / "oneatlas", delivery)
                    return file_response(request, path, "application/zip", filename=f"{item_id}.zip")
        raise ApiError(404, f"Item {item_id} not found in your workspace")

    return ProviderBuild(
        name="oneatlas",
        mounts=[
            ProviderMount(f"/oneatlas-{name}", app, render_fault)
            for name, app in (("auth", auth), ("data", data), ("search", search), ("access", access))
        ],
        info={
            "api_keys": {"default": "oneatlas-sandbox-key", "insufficient_balance": "oneatlas-sandbox-poor-key"},
            "token_path": "/oneatlas-auth/auth/realms/IDP/protocol/openid-connect/token",
        },
    )


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"null")
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"The request body is not valid JSON: {exc.msg}") from exc


def _delivery_datas(checked: dict[str, Any], request: Request, delivery_id: str | None) -> dict[str, Any]:
    product, capture = checked["product"], checked["capture"]
    datas = {
        **{k: product[k] for k in ("productType", "radiometricProcessing", "imageFormat", "crsCode", "aoi")},
        "id": capture.id,
        "sourceId": capture.source_identifier,
        "sensor": capture.constellation,
        "segmentFootprint": capture.footprint,
        "processingLevel": capture.processing_level,
        "areaKm2": round(checked["area"], 2),
    }
    entry: dict[str, Any] = {
        "datas": datas,
        "id": delivery_id or capture.id,
        "amountUnit": "EUR",
        "isAmountEstimated": "false",
        "areaKm2": round(checked["area"], 2),
        "amount": round(checked["area"] * EUR_PER_KM2[capture.constellation], 2),
    }
    if delivery_id:
        entry["itemId"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"oneatlas-item:{delivery_id}"))
    return entry


def _delivery_dto(order: dict[str, Any], delivery: dict[str, Any], state: str, request: Request) -> dict[str, Any]:
    """One delivery as the Data Guide's order example shows it, with only links the sandbox serves."""
    base = SandboxContext.external_url(request, "/oneatlas-data/api/v1")
    contract = ACCOUNTS[order["account"]]["contract"]
    created = datetime.fromtimestamp(order["created_ts"], tz=timezone.utc)
    links = {
        "self": {"href": f"{base}/deliveries/{delivery['id']}"},
        "contract": {"href": f"{base}/contracts/{contract}"},
    }
    item = {
        **{k: v for k, v in delivery.items() if k != "itemId"},
        "kind": "delivery.data.product",
        "service": "data",
        "createdAt": iso(created),
        "price": delivery["amount"],
        "status": {"ordered": "processing"}.get(state, state),
        "area": str(delivery["areaKm2"]),
        "unit": "km2",
    }
    if state == "delivered":
        links["download"] = {
            "href": SandboxContext.external_url(request, f"/oneatlas-access/api/v1/items/{delivery['itemId']}/download")
        }
        item["deliveredAt"] = iso(datetime.fromtimestamp(order["created_ts"] + DELIVERY_S, tz=timezone.utc))
    item["_links"] = links
    return item


def _order_dto(oa: OneAtlas, order: dict[str, Any], request: Request) -> dict[str, Any]:
    state = status(order, oa.ctx.clock.now())
    base = SandboxContext.external_url(request, "/oneatlas-data/api/v1")
    contract = ACCOUNTS[order["account"]]["contract"]
    created = datetime.fromtimestamp(order["created_ts"], tz=timezone.utc)
    return {
        # the Data Guide's order links that the sandbox serves (module docstring: no cancel link)
        "_links": {
            "self": {"href": f"{base}/orders/{order['id']}"},
            "contract": {"href": f"{base}/contracts/{contract}"},
            "deliveries": {"href": f"{base}/orders/{order['id']}/deliveries"},
        },
        "id": order["id"],
        "kind": order["kind"],
        "service": "data",
        "createdAt": iso(created),
        "createdBy": ACCOUNTS[order["account"]]["user"],
        "status": state,
        "contractId": contract,
        "isAmountEstimated": "false",
        "price": order["price"],
        "amount": order["price"],
        "amountUnit": "EUR",
        "tags": order["tags"],
        "payload": order["payload"],
        "products": order["payload"]["products"],  # the spec's orders schema wants products at the top
        "deliveries": [_delivery_dto(order, d, state, request) for d in order["deliveries"]],
    }


def _search(request: Request, account: dict[str, Any], params: dict[str, Any], now: datetime) -> dict[str, Any]:
    per_page = _int(params.get("itemsPerPage", 10), "itemsPerPage", 1, MAX_ITEMS_PER_PAGE)
    page = _int(params.get("startPage", 1), "startPage", 1, 10**6)
    workspace = str(params.get("workspace") or "")
    names = ("PHR", "SPOT", "PNEO")
    if workspace in PUBLIC:
        names = PUBLIC[workspace]
    elif workspace and workspace != account["workspace"]:
        raise ApiError(403, f"No access to workspace {workspace}")
    if params.get("constellation"):
        asked = [c.strip() for c in str(params["constellation"]).split(",")]
        unknown = [c for c in asked if c not in ("PHR", "SPOT", "PNEO")]
        if unknown:
            raise ApiError(400, f"Unknown constellation {', '.join(unknown)}", "Use SPOT, PHR or PNEO.")
        names = tuple(c for c in names if c in asked)
    geometry = _geometry(params)
    start, end = _dates(params.get("acquisitionDate"))
    cloud = _range(params.get("cloudCover"), "cloudCover")
    incidence = _range(params.get("incidenceAngle"), "incidenceAngle")
    levels = {v.strip() for v in str(params.get("processingLevel") or "SENSOR,ALBUM").split(",")}
    relation = str(params.get("relation") or "intersects")
    if relation not in ("intersects", "contains", "within"):
        raise ApiError(400, "relation must be intersects, contains or within")
    found = (
        catalog.search(
            list(names), mapping(geometry), start, end, max_cloud=cloud[1], max_incidence=incidence[1], now=now
        )
        if names
        else iter(())
    )
    matches = []
    for capture in found:
        if capture.processing_level not in levels or capture.cloud_cover < cloud[0]:
            continue
        if capture.incidence_angle < incidence[0]:
            continue
        if relation != "intersects":
            footprint = shape(capture.footprint)
            if relation == "contains" and not footprint.contains(geometry):
                continue
            if relation == "within" and not geometry.contains(footprint):
                continue
        matches.append(capture)
        if len(matches) >= MAX_TOTAL:
            break
    matches = _sort(matches, str(params.get("sortBy") or "-acquisitionDate"))
    first = (page - 1) * per_page
    workspace_of = {"PNEO": "public-pneo"}
    page_items = matches[first : first + per_page]
    features = [_feature(request, c, workspace_of.get(c.constellation, "public")) for c in page_items]
    return {
        "error": False,
        "itemsPerPage": per_page,
        "startIndex": first,
        "totalResults": len(matches),
        "type": "FeatureCollection",
        "features": features,
    }


def _sort(captures: list[catalog.Capture], sort_by: str) -> list[catalog.Capture]:
    fields = {
        "acquisitionDate": lambda c: c.datetime.timestamp(),
        "cloudCover": lambda c: c.cloud_cover,
        "incidenceAngle": lambda c: c.incidence_angle,
    }
    for spec in reversed([s.strip() for s in sort_by.split(",") if s.strip()]):
        name = spec.lstrip("+-")
        if name not in fields:
            raise ApiError(400, f"Cannot sort by {name}", f"sortBy takes {', '.join(fields)} with an optional - prefix")
        captures = sorted(captures, key=fields[name], reverse=spec.startswith("-"))
    return captures


def _feature(request: Request, capture: catalog.Capture, workspace: str) -> dict[str, Any]:
    access = SandboxContext.external_url(request, f"/oneatlas-access/api/v1/items/{capture.id}")
    search = SandboxContext.external_url(request, f"/oneatlas-search/api/v2/opensearch?id={capture.id}")
    return {
        "type": "Feature",
        "_links": {
            "quicklook": {"href": f"{access}/quicklook", "name": "QuickLook", "type": "HTTP"},
            "thumbnail": {"href": f"{access}/thumbnail", "name": "Thumbnail", "type": "HTTP"},
            "self": {"href": search, "method": "GET", "name": "self", "resourceId": capture.id},
        },
        "geometry": capture.footprint,
        "properties": {
            "acquisitionDate": capture.datetime.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "acquisitionIdentifier": capture.source_identifier.replace("DS_", "ACQ_", 1),
            "acquisitionStation": "FR1",
            "archivingCenter": "FR1",
            "archiveIdentifier": capture.source_identifier,
            "azimuthAngle": capture.azimuth_angle,
            "cloudCover": capture.cloud_cover,
            "constellation": capture.constellation,
            "id": capture.id,
            "illuminationAzimuthAngle": capture.sun_azimuth,
            "illuminationElevationAngle": capture.sun_elevation,
            "incidenceAngle": capture.incidence_angle,
            "organisationName": "AIRBUS DS GEO",
            "parentIdentifier": capture.source_identifier,
            "platform": capture.platform,
            "processingLevel": capture.processing_level,
            "productCategory": "image",
            "productType": "mono",
            # productionStatus left out: the schema wants an object ({archive|nearline|online}
            # or {external}), the spec's own example has the string "ARCHIVED"
            "resolution": capture.gsd,
            "sensorType": "OPTICAL",
            "snowCover": 0,
            "sourceIdentifier": capture.source_identifier,
            "spectralRange": "VISIBLE",
            "format": "image/jp2",
            "workspaceId": PUBLIC_IDS[workspace],
            "workspaceName": workspace,
        },
    }


def _geometry(params: dict[str, Any]) -> Any:
    raw, bbox = params.get("geometry"), params.get("bbox")
    try:
        if raw is not None:
            if isinstance(raw, dict):
                geometry = shape(raw)
            elif str(raw).lstrip().startswith("{"):
                geometry = shape(json.loads(str(raw)))
            else:
                geometry = shapely.wkt.loads(str(raw))
        elif bbox is not None:
            values = [float(v) for v in (bbox if isinstance(bbox, list) else str(bbox).split(","))]
            geometry = box(*values)
        else:
            raise ApiError(400, "A geometry or bbox is required", "The sandbox does not search the whole world.")
    except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.ShapelyError) as exc:
        raise ApiError(400, f"Invalid geometry: {exc}") from exc
    if geometry.is_empty:
        raise ApiError(400, "The geometry is empty")
    return geometry


def _dates(value: Any) -> tuple[datetime, datetime]:
    low, high = datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)
    if value in (None, ""):
        return low, high
    match = RANGE.match(str(value))
    if not match:
        raise ApiError(400, "acquisitionDate must be a range like [2022-01-08T00:00:00Z,2022-01-25T23:59:59.999Z]")
    try:
        start = _moment(match.group(2)) if match.group(2) else low
        end = _moment(match.group(3)) if match.group(3) else high
    except ValueError as exc:
        raise ApiError(400, f"acquisitionDate has an invalid date: {exc}") from exc
    return start, end


def _moment(text: str) -> datetime:
    text = text.strip().replace("Z", "+00:00")
    text = re.sub(r"T(\d\d):(\d\d):(\d\d)(\d)(\d\d)", r"T\1:\2:\3.\4\5", text)  # the guide's "00:00:000Z"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _range(value: Any, name: str) -> tuple[float, float | None]:
    if value in (None, ""):
        return 0.0, None
    if isinstance(value, (int, float)):
        return 0.0, float(value)
    match = RANGE.match(str(value))
    try:
        if match:
            return float(match.group(2) or 0), float(match.group(3)) if match.group(3) else None
        return 0.0, float(value)
    except ValueError as exc:
        raise ApiError(400, f"{name} must be a number or a range like [0,80]") from exc


def _int(value: Any, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, f"{name} must be a whole number") from exc
    if not low <= number <= high:
        raise ApiError(400, f"{name} must be between {low} and {high}")
    return number


def _jpeg(item_id: str, size: int) -> bytes:
    """The spec serves quicklooks as image/jpeg: the catalog's PNG, re-encoded."""
    try:
        png = catalog.quicklook_png(item_id, size=size)
    except KeyError as exc:
        raise ApiError(404, f"Item {item_id} not found") from exc
    return raster.png_to_jpeg(png)
