"""ClearSKY Vision stand-in under ``/clearsky`` (its API reference, its "Order Data" and "Create an
Order in the Dashboard" guides).

Auth is the ``x-api-key`` header (header names are case-insensitive in HTTP; the client
sends ``X-API-KEY``). Every JSON answer is the ServiceResult envelope
``{Succeeded, Error{Message, Code}, Data}``; request bodies are read with case-insensitive
keys because the docs show both PascalCase and camelCase (docs-examples.json
``envelope.casing_note``). Responses are written in PascalCase, as the models are.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import date, datetime, timezone
from typing import Any

import shapely
import shapely.wkt
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import clearsky_available, clearsky_retrieval
from ..app import ProviderBuild, ProviderMount, SandboxContext
from ..clearsky_grid import MAX_GUIDS_PER_REQUEST, MAX_TILES_PER_SEARCH, Grid, LimitExceeded, dtos
from ..clearsky_orders import (
    MODELS,
    STORAGE_EUR_PER_KM2_IMAGE_MONTH,
    ApiError,
    Body,
    Plan,
    billing_month,
    costs,
    expired,
    image_dates,
    invalid,
    month_end,
    parse_plan,
    plan_of,
    status,
)
from ..clock import iso

PREFIX = "/clearsky"
ORDER = "clearsky.order"
ACCOUNT = "clearsky.account"
# Demo keys (listed in /_sandbox/health). The second has no download (processing) credits,
# to reach error 994 (docs-examples.json envelope.error_codes).
ACCOUNTS: dict[str, dict[str, Any]] = {
    "clearsky-sandbox-key": {
        "TenantId": "5c1f8a2e-0d7b-4c1e-9a55-2d6f3e0b7a11",
        "ContactInfo": "Nadir sandbox",
        "Email": "sandbox@example.com",
        "EuroCredits": 100_000.0,
        "EuroOverdraftLimit": 0.0,
        "Credits": 50_000.0,
    },
    "clearsky-sandbox-nocredit-key": {
        "TenantId": "9e2b7c44-6a1d-4f0e-8b3a-7c5d1e2f9a22",
        "ContactInfo": "Nadir sandbox (no download credits)",
        "Email": None,
        "EuroCredits": 100_000.0,
        "EuroOverdraftLimit": 0.0,
        "Credits": 0.0,
    },
}
LIMITS = {"MaxConcurrentConnections": 4, "MaxCompositeAreaKm2": 10_000, "MaxTotalBands": 12}


def ok(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse({"Succeeded": True, "Error": None, "Data": data}, status_code=status_code)


def envelope_error(status_code: int, code: int, message: str, data: Any = None) -> JSONResponse:
    return JSONResponse(
        {"Succeeded": False, "Error": {"Message": message, "Code": code}, "Data": data}, status_code=status_code
    )


def render_fault(status_code: int, message: str) -> tuple[bytes, str]:
    body = {"Succeeded": False, "Error": {"Message": message, "Code": status_code}, "Data": None}
    return json.dumps(body).encode(), "application/json"


class ClearSky:
    """State access shared by the routes: accounts, orders, prices, the grid."""

    def __init__(self, ctx: SandboxContext) -> None:
        self.ctx = ctx
        self.grid = Grid(ctx.store)
        self.lock = threading.Lock()
        self.accounts = ACCOUNTS
        self.limits = LIMITS

    # ---- auth

    def account(self, request: Request) -> str:
        key = request.headers.get("x-api-key")
        if not key:
            raise ApiError(401, 401, "Missing API key: send it in the x-api-key header.")
        if key not in ACCOUNTS:
            raise ApiError(401, 401, "Invalid API key.")
        return key

    # ---- orders

    def orders(self, account: str) -> list[dict[str, Any]]:
        return self.ctx.store.list(ORDER, lambda o: o["account"] == account)

    def order(self, account: str, guid: str) -> dict[str, Any]:
        found = self.ctx.store.get(ORDER, str(guid).lower())
        if found is None or found["account"] != account:
            raise ApiError(404, 404, f"Task order {guid} not found.", {"TaskOrderGuid": [str(guid)]})
        return found

    def today(self) -> date:
        return self.ctx.clock.now().date()

    def live_orders(self, account: str) -> list[dict[str, Any]]:
        """Orders that bill: all but those cancelled in Review (never billed)."""
        return [o for o in self.orders(account) if not o.get("canceled_ts")]

    def month_spend(self, account: str) -> float:
        today = self.today()
        return sum(_stored_costs(o, dates_of(o, today), today)["CurrentMonthCost"] for o in self.live_orders(account))

    def billed_to_date(self, account: str) -> float:
        """EUR charged so far: every image date whose billing month has begun."""
        today = self.today()
        this_month = today.replace(day=1)
        total = 0.0
        for order in self.live_orders(account):
            created = datetime.fromtimestamp(order["created_ts"], tz=timezone.utc).date()
            total += _total(order, [d for d in dates_of(order, today) if billing_month(d, created) <= this_month])
        return round(total, 2)

    def dto(self, order: dict[str, Any]) -> dict[str, Any]:
        now = self.ctx.clock.now()
        state, done = status(order, now)
        created = datetime.fromtimestamp(order["created_ts"], tz=timezone.utc)
        return {
            "TaskOrderGuid": order["guid"],
            "BillingCycle": "Monthly",
            "OrderingProcessStatus": state,
            "StorageMonths": order["storage_months"],
            "ApiRequests": order["api_requests"],
            "ImageFrequency": order["image_frequency"],
            "TaskOrderAreaKm2": order["area_km2"],
            "Model": order["model"],
            "ReferenceDate": order["reference_date"],
            "From": order["from"],
            "To": order["to"],
            "SatelliteConstellations": order["constellations"],
            "Tiles": order["tiles"],
            "MiniTiles": order["minitiles"],
            "Wkt": order.get("wkt"),
            "CreatedDate": iso(created),
            "CancellationDate": order.get("cancellation_date"),
            "TileDeduplication": order["tile_dedup"],
            "DeduplicatedTiles": order["dedup_tiles"],
            "DeduplicatedMiniTiles": order["dedup_minitiles"],
            "CompletedImageDates": [d.isoformat() for d in done],
            "Expired": expired(order, state, now),
        }


def _date_or_none(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def dates_of(order: dict[str, Any], today: date) -> list[date]:
    return image_dates(plan_of(order), today, until=_date_or_none(order.get("cancellation_date")))


def _stored_costs(order: dict[str, Any], dates: list[date], today: date) -> dict[str, Any]:
    created = datetime.fromtimestamp(order["created_ts"], tz=timezone.utc).date()
    return costs(_FixedAreaPlan(order), dates, today, created, order["rate"], _savings(order, dates))


def _total(order: dict[str, Any], dates: list[date]) -> float:
    """EUR for these image dates of a stored order, storage included, deduplication deducted."""
    per_date = order["weighted_area"] * order["rate"]
    storage = order["area_km2"] * STORAGE_EUR_PER_KM2_IMAGE_MONTH * (order["storage_months"] - 1)
    savings = _savings(order, dates)
    return sum(max(0.0, per_date - savings.get(d, 0.0)) + storage for d in dates)


class _FixedAreaPlan(Plan):
    """A stored order's plan with its areas frozen at creation (no geometry recomputed)."""

    def __init__(self, order: dict[str, Any]) -> None:
        base = plan_of(order)
        super().__init__(**{f: getattr(base, f) for f in base.__dataclass_fields__})
        self._area, self._weighted = order["area_km2"], order["weighted_area"]

    def area(self) -> float:
        return float(self._area)

    def weighted_area(self) -> float:
        return float(self._weighted)


def _savings(order: dict[str, Any], dates: list[date]) -> dict[date, float]:
    """EUR not billed per image date: cells already ordered by earlier orders (TileDeduplication)."""
    saved: dict[date, float] = {}
    for entry in order.get("dedup", []):
        amount = entry["weighted_area"] * order["rate"]
        for day in dates:
            if any(
                date.fromisoformat(lo) <= day and (hi is None or day <= date.fromisoformat(hi))
                for lo, hi in entry["ranges"]
            ):
                saved[day] = saved.get(day, 0.0) + amount
    return saved


# ---------------------------------------------------------------- routes


def build(ctx: SandboxContext) -> ProviderBuild:
    cs = ClearSky(ctx)
    app = FastAPI(title="ClearSKY Vision (sandbox)", docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return envelope_error(exc.status, exc.code, exc.message, exc.data)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return envelope_error(exc.status_code, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors: dict[str, list[str]] = {}
        for item in exc.errors():
            errors.setdefault(str(item["loc"][-1]), []).append(str(item["msg"]))
        return envelope_error(400, 992, "One or more validation errors occurred.", errors)

    async def body_of(request: Request) -> Body:
        raw = await request.body()
        try:
            return Body(json.loads(raw or b"null"))
        except json.JSONDecodeError as exc:
            raise ApiError(400, 993, f"The request body is not valid JSON: {exc.msg}.") from exc

    @app.get("/api/tasking/models")
    def models(request: Request) -> JSONResponse:
        cs.account(request)
        return ok(
            {
                "TaskingModels": [
                    {
                        "Model": name,
                        "SupportedSatelliteConstellations": [
                            {"SatelliteConstellation": c, "Optional": optional} for c, optional in supported.items()
                        ],
                    }
                    for name, supported in MODELS.items()
                ]
            }
        )

    @app.post("/api/tasking/search/tiles")
    async def search_tiles(request: Request) -> JSONResponse:
        cs.account(request)
        body = await body_of(request)
        modes = [k for k in ("Wkt", "GeoJson", "TileGuids", "MiniTileGuids", "TileGuidForMiniTiles") if body.has(k)]
        if len(modes) != 1:
            raise invalid(
                {
                    "Wkt": [
                        "Exactly one of Wkt, GeoJson, TileGuids, MiniTileGuids or TileGuidForMiniTiles must be given."
                    ]
                }
            )
        mode = modes[0]
        try:
            if mode in ("Wkt", "GeoJson"):
                geometry = _search_geometry(body, mode)
                cells = cs.grid.tiles_for(geometry)
            elif mode == "TileGuidForMiniTiles":
                parent = cs.grid.tile(str(body.get(mode)))
                if parent is None:
                    raise invalid({mode: [f"Unknown tile GUID {body.get(mode)}."]})
                cells = cs.grid.minitiles_of(parent)
            else:
                guids = body.get(mode)
                if not isinstance(guids, list) or not guids:
                    raise invalid({mode: [f"{mode} must be a non-empty array of GUIDs."]})
                if len(guids) > MAX_GUIDS_PER_REQUEST:
                    raise invalid({mode: [f"At most {MAX_GUIDS_PER_REQUEST} GUIDs per request."]})
                resolve = cs.grid.tile if mode == "TileGuids" else cs.grid.minitile
                cells, unknown = [], []
                for guid in dict.fromkeys(map(str, guids)):
                    cell = resolve(guid)
                    (cells.append(cell) if cell is not None else unknown.append(guid))
                if unknown:
                    raise invalid({mode: [f"Unknown GUID {g}." for g in unknown[:50]]})
        except LimitExceeded as exc:
            raise invalid({mode: [str(exc)]}) from exc
        return ok({"Tiles": dtos(cells)})

    @app.post("/api/tasking/orders/estimate")
    async def estimate(request: Request) -> JSONResponse:
        account = cs.account(request)
        body = await body_of(request)
        plan = parse_plan(body, cs.grid, create=False)
        simulated = body.get("SimulatedEuroUsage")
        if simulated is not None and (not isinstance(simulated, (int, float)) or simulated < 0):
            raise invalid({"SimulatedEuroUsage": ["SimulatedEuroUsage must be a number of EUR, 0 or more."]})
        spend = float(simulated) if simulated is not None else cs.month_spend(account)
        return ok(_estimate(cs, plan, spend))

    @app.post("/api/tasking/orders")
    async def create(request: Request) -> JSONResponse:
        account = cs.account(request)
        body = await body_of(request)
        plan = parse_plan(body, cs.grid, create=True)
        with cs.lock:
            order = _create(
                cs,
                account,
                plan,
                bool(body.get("TileDeduplication", False)),
                request.query_params.get("automaticOrderGuid"),
            )
        return ok(cs.dto(order))

    @app.get("/api/tasking/orders")
    def list_orders(request: Request, recurringOnly: bool = False, getExpired: bool = False) -> JSONResponse:  # noqa: N803
        account = cs.account(request)
        found = []
        for order in cs.orders(account):
            dto = cs.dto(order)
            if recurringOnly and order["to"] is not None:
                continue
            if dto["Expired"] and not getExpired:
                continue
            found.append(dto)
        return ok({"TaskOrders": found})

    # docs (check-order-status) say GET, clearsky_client.py POSTs {"Guids": [...]}: both served
    @app.get("/api/tasking/orders/details")
    def details_get(request: Request) -> JSONResponse:
        account = cs.account(request)
        guids = [v for k, v in request.query_params.multi_items() if k.lower() in ("guids", "taskorderguid", "guid")]
        if not guids:
            raise invalid({"Guids": ["Give the order GUIDs as ?Guids=...&Guids=... (or taskOrderGuid=...)."]})
        return ok({"TaskOrders": [cs.dto(cs.order(account, g)) for g in guids]})

    @app.post("/api/tasking/orders/details")
    async def details_post(request: Request) -> JSONResponse:
        account = cs.account(request)
        guids = (await body_of(request)).get("Guids")
        if not isinstance(guids, list) or not guids:
            raise invalid({"Guids": ["Guids must be a non-empty array of order GUIDs."]})
        return ok({"TaskOrders": [cs.dto(cs.order(account, str(g))) for g in guids]})

    @app.delete("/api/tasking/orders/cancel")
    def cancel(request: Request, taskOrderGuid: str = "") -> JSONResponse:  # noqa: N803
        account = cs.account(request)
        if not taskOrderGuid:
            raise invalid({"taskOrderGuid": ["The taskOrderGuid query parameter is required."]})
        with cs.lock:
            order = cs.order(account, taskOrderGuid)
            _cancel(cs, order)
        return ok(cs.dto(order))

    @app.get("/api/apikey/info")
    def apikey_info(request: Request) -> JSONResponse:
        account = cs.account(request)
        info = _account_info(cs, account)
        return ok(
            {
                k: info[k]
                for k in (
                    "Key",
                    "CreditAmount",
                    "EuroCreditAmount",
                    "CreditLimit",
                    "EuroCreditLimit",
                    "ContactInfo",
                    "Email",
                    "MaxConcurrentConnections",
                    "MaxCompositeAreaKm2",
                    "MaxTotalBands",
                    "CurrentMonthCosts",
                    "NextMonthCosts",
                )
            }
        )

    @app.get("/api/account/info")
    def account_info(request: Request) -> JSONResponse:
        return ok(_account_info(cs, cs.account(request)))

    clearsky_retrieval.add_routes(app, cs, body_of, ok)
    clearsky_available.add_routes(app, cs, body_of, ok)

    admin = APIRouter()

    @admin.get("/orders")
    def dump_orders() -> list[dict[str, Any]]:
        return ctx.store.list(ORDER)

    return ProviderBuild(
        name="clearsky",
        mounts=[ProviderMount(PREFIX, app, render_fault)],
        admin=admin,
        info={
            "api_keys": {"default": "clearsky-sandbox-key", "no_download_credits": "clearsky-sandbox-nocredit-key"},
            "auth_header": "x-api-key",
            "limits": {
                "max_tiles_per_search": MAX_TILES_PER_SEARCH,
                "max_guids_per_request": MAX_GUIDS_PER_REQUEST,
                **LIMITS,
            },
        },
    )


def _search_geometry(body: Body, mode: str) -> Any:
    raw = body.get(mode)
    try:
        if mode == "Wkt":
            geometry = shapely.wkt.loads(str(raw))
        else:
            obj = json.loads(raw) if isinstance(raw, str) else raw
            geometry = shapely.geometry.shape(obj.get("geometry", obj) if obj.get("type") == "Feature" else obj)
    except (ValueError, TypeError, AttributeError, KeyError, shapely.errors.ShapelyError) as exc:
        raise invalid({mode: [f"{mode} is not a valid geometry: {exc}"]}) from exc
    if geometry.is_empty:
        raise invalid({mode: ["The geometry is empty."]})
    minx, miny, maxx, maxy = geometry.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise invalid({mode: ["Coordinates must be EPSG:4326 longitude/latitude."]})
    return geometry if geometry.is_valid else shapely.make_valid(geometry)


def _estimate(cs: ClearSky, plan: Plan, spend: float) -> dict[str, Any]:
    today = cs.today()
    dates = image_dates(plan, today)
    if not dates:
        raise invalid({"ImageFrequency": ["No image date falls between From and To with this frequency."]})
    rate = plan.rate(spend)
    data = {
        "StorageMonths": plan.storage_months,
        "ApiRequests": plan.api_requests,
        "Model": plan.model,
        # the date a recurring order stops if cancelled now: end of the current month
        # (ClearSKY's "Order Data" guide, "Cancellation Rules"); fixed orders end at To
        "CancellationDate": month_end(today).isoformat() if plan.end is None else plan.end.isoformat(),
        "AreaKm2": round(plan.area(), 4),
        "AreaKm2BeforeMinimum1Km2PerAoi": round(plan.area_before_minimum(), 4),
        "Tiles": [c.guid for c in plan.tiles] or None,
        "MiniTiles": [c.guid for c in plan.minitiles] or None,
        "AreasOfInterestWkt": plan.wkt if plan.polygons else None,
        "SatelliteConstellations": plan.constellations,
        "ImageDates": [d.isoformat() for d in dates],
        **costs(plan, dates, today, today, rate),
    }
    return data


def _create(cs: ClearSky, account: str, plan: Plan, dedup: bool, automatic: str | None) -> dict[str, Any]:
    now = cs.ctx.clock.now()
    estimate = _estimate(cs, plan, cs.month_spend(account))
    guid = str(uuid.uuid4())
    cells = plan.tiles + plan.minitiles
    order: dict[str, Any] = {
        "guid": guid,
        "account": account,
        "created_ts": now.timestamp(),
        "automatic_order_guid": automatic,
        "model": plan.model,
        "constellations": plan.constellations,
        "storage_months": plan.storage_months,
        "api_requests": plan.api_requests,
        "image_frequency": plan.image_frequency,
        "reference_date": plan.reference_date.isoformat(),
        "from": plan.start.isoformat(),
        "to": plan.end.isoformat() if plan.end else None,
        "wkt": plan.wkt if plan.polygons else None,
        "tiles": [c.guid for c in plan.tiles],
        "minitiles": [c.guid for c in plan.minitiles],
        "cells": {
            c.guid: {
                "tile": c.tile_guid,
                "epsg": c.epsg,
                "area": c.area_km2,
                "minitile": c.minitile,
                "geog": shapely.to_wkt(c.geog, rounding_precision=7),
            }
            for c in cells
        },
        "area_km2": round(plan.area(), 4),
        "area_before_min": round(plan.area_before_minimum(), 4),
        "weighted_area": plan.weighted_area(),
        "rate": estimate["EuroPerKm2"],
        "tile_dedup": dedup,
        "dedup": [],
        "dedup_tiles": [],
        "dedup_minitiles": [],
        "canceled_ts": None,
        "cancellation_date": None,
    }
    if dedup:
        _deduplicate(cs, account, order, plan)
    first_month = _stored_costs(order, dates_of(order, now.date()), now.date())["CurrentMonthCost"]
    balance = ACCOUNTS[account]["EuroCredits"] - cs.billed_to_date(account)
    if first_month > balance + ACCOUNTS[account]["EuroOverdraftLimit"]:
        raise invalid(
            {"EuroCredits": [f"Insufficient EUR order credits: {first_month:.2f} needed, {balance:.2f} available."]}
        )
    cs.grid.flush()
    cs.ctx.store.put(ORDER, guid, order, created=now.timestamp())
    return order


def _deduplicate(cs: ClearSky, account: str, order: dict[str, Any], plan: Plan) -> None:
    """TileDeduplication (ClearSKY's "Order Data" guide, "Advanced Settings"): earlier tile
    orders of this account with the same model and satellites whose dates overlap. A cell
    (or its parent tile) already ordered is not billed again for the dates those orders
    cover; orders cancelled in Review produced nothing and do not count."""
    start, end = plan.start, plan.end
    for earlier in cs.orders(account):
        if earlier.get("canceled_ts") or earlier["model"] != plan.model:
            continue
        if sorted(earlier["constellations"]) != sorted(plan.constellations) or not earlier["cells"]:
            continue
        lo = date.fromisoformat(earlier["from"])
        hi = _date_or_none(earlier.get("cancellation_date")) or _date_or_none(earlier["to"])
        if (end is not None and lo > end) or (hi is not None and hi < start):
            continue
        for guid, cell in order["cells"].items():
            covered = guid in earlier["cells"] or cell["tile"] in earlier["cells"]
            if not covered:
                continue
            factor = 0.5 if cell["minitile"] else 0.2
            entry = next((e for e in order["dedup"] if e["guid"] == guid), None)
            if entry is None:
                entry = {"guid": guid, "weighted_area": cell["area"] * factor, "ranges": []}
                order["dedup"].append(entry)
                (order["dedup_minitiles"] if cell["minitile"] else order["dedup_tiles"]).append(guid)
            entry["ranges"].append([lo.isoformat(), hi.isoformat() if hi else None])


def _cancel(cs: ClearSky, order: dict[str, Any]) -> None:
    """ClearSKY's "Order Data" guide, "Cancellation Rules": in Review an order is cancelled
    completely (and not billed); a recurring order can be cancelled any time later: the
    current month still completes and it does not renew (CancellationDate = end of this
    month). Anything else is refused with 992 naming the reason."""
    now = cs.ctx.clock.now()
    state, _ = status(order, now)
    if state == "Review":
        order["canceled_ts"] = now.timestamp()
    elif order["to"] is None and state not in ("Canceled", "Completed") and not order.get("cancellation_date"):
        order["cancellation_date"] = month_end(now.date()).isoformat()
    elif order.get("cancellation_date"):
        raise invalid(
            {"taskOrderGuid": [f"Order {order['guid']} is already cancelled; it ends on {order['cancellation_date']}."]}
        )
    else:
        raise invalid(
            {
                "taskOrderGuid": [
                    f"Order {order['guid']} is {state}: only orders in Review, or recurring orders, can be cancelled."
                ]
            }
        )
    cs.ctx.store.put(ORDER, order["guid"], order)


def _account_info(cs: ClearSky, account: str) -> dict[str, Any]:
    base = ACCOUNTS[account]
    today = cs.today()
    current = upcoming = 0.0
    for order in cs.live_orders(account):
        result = _stored_costs(order, dates_of(order, today), today)
        current += result["CurrentMonthCost"]
        upcoming += result["NextMonthCost"]
    used = clearsky_retrieval.credits_used(cs, account)
    return {
        "Key": account[:6] + "…",  # never echo a whole key
        "TenantId": base["TenantId"],
        "CreditAmount": round(base["Credits"] - used, 2),
        "EuroCreditAmount": round(base["EuroCredits"] - cs.billed_to_date(account), 2),
        "CreditLimit": int(base["Credits"]),
        "EuroCreditLimit": int(base["EuroCredits"]),
        "EuroOverdraftLimit": base["EuroOverdraftLimit"],
        "EuroBalanceCap": base["EuroCredits"],
        "ContactInfo": base["ContactInfo"],
        "Email": base["Email"],
        **LIMITS,
        "CurrentMonthCosts": round(current, 2),
        "NextMonthCosts": round(upcoming, 2),
    }
