"""ClearSKY Vision wire format: envelope, request bodies and parsing into core models.

Sources (ClearSKY's API reference and guide pages, and its clearsky_api_tools models): every JSON
answer is ``{Succeeded, Error{Message, Code}, Data}``, in PascalCase on most pages and
camelCase on one, so every field is read case-insensitively; validation failures may
also come in the ASP.NET shape ``{title, status, errors{Field: [...]}, traceId}``. The
estimate answer changed between API generations (2024 models: ``CurrentMonthCost``,
``NextMonthCost``, ``Costs{...}``; 2025 client: ``CurrentMonthCosts{TotalCost|
TotalCostEuro}``, ``RecurringCostsEstimate``); both are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

import httpx
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ...core import errors
from ...core.models import (
    CellLevel,
    ClearSkySpec,
    ConstellationOption,
    Estimate,
    EstimateLine,
    GeoJSON,
    GridCell,
    ImageryModel,
    Lifecycle,
    Money,
    Order,
    OrderKind,
)
from ..http.envelopes import safe_json
from ..wire import as_date, as_datetime, as_decimal, as_float, as_list, geojson

#: OrderingProcessStatus, union of the API guide's (Review, Initialize, Failure, Working, Done)
#: and the "check order status" page's (Review, Preparing ... Completed, UpToDate, Canceled).
STATUSES: Mapping[str, Lifecycle] = {
    "review": Lifecycle.PENDING,
    "initialize": Lifecycle.IN_PROGRESS,
    "preparing": Lifecycle.IN_PROGRESS,
    "awaitingsatelliteproducts": Lifecycle.IN_PROGRESS,
    "working": Lifecycle.IN_PROGRESS,
    "processing": Lifecycle.IN_PROGRESS,
    "predicting": Lifecycle.IN_PROGRESS,
    "processingpredicting": Lifecycle.IN_PROGRESS,
    "uptodate": Lifecycle.LIVE,
    "done": Lifecycle.COMPLETED,
    "completed": Lifecycle.COMPLETED,
    "failure": Lifecycle.FAILED,
    "canceled": Lifecycle.CANCELLED,
    "cancelled": Lifecycle.CANCELLED,
}

CURRENCY = "EUR"


def lifecycle(raw: str) -> Lifecycle:
    return STATUSES.get(raw.replace(" ", "").replace("_", "").lower(), Lifecycle.UNKNOWN)


# --------------------------------------------------------------------------- access
def get(obj: Any, *names: str, default: Any = None) -> Any:
    """``obj[name]`` for the first of ``names`` present, ignoring case."""
    if not isinstance(obj, Mapping):
        return default
    lowered: Optional[dict[str, Any]] = None
    for name in names:
        value = obj.get(name)  # the documented spelling: no need to fold every key (grid pages hold
        if value is None:  # thousands of cells, each read several times)
            if lowered is None:
                lowered = {str(k).lower(): v for k, v in obj.items()}
            value = lowered.get(name.lower())
        if value is not None:
            return value
    return default


def epsg(value: Any) -> int:
    text = str(value or "").upper().replace("EPSG:", "").strip()
    return int(text) if text.isdigit() else 4326


# --------------------------------------------------------------------------- envelope
def error_parser(response: httpx.Response) -> tuple[str, str]:
    """Message and code from the envelope, the ASP.NET validation shape, or plain text."""
    body = safe_json(response)
    if not isinstance(body, Mapping):
        return (response.text[:200] if response.text and "<" not in response.text[:1] else ""), ""
    error = get(body, "Error")
    if isinstance(error, Mapping):
        message = str(get(error, "Message", default="") or "")
        details = _field_errors(get(body, "Data"))
        return (f"{message} {details}".strip() if details else message), str(get(error, "Code", default="") or "")
    if get(body, "errors") is not None or get(body, "title") is not None:  # ASP.NET validation problem
        title = str(get(body, "title", default="") or "")
        return f"{title} {_field_errors(get(body, 'errors'))}".strip(), str(get(body, "status", default="") or "")
    return str(get(body, "message", "detail", default="") or ""), str(get(body, "code", default="") or "")


def _field_errors(value: Any) -> str:
    if not isinstance(value, Mapping):
        return ""
    parts = []
    for field, messages in value.items():
        texts = [str(m) for m in messages] if isinstance(messages, (list, tuple)) else [str(messages)]
        parts.append(f"{field}: {'; '.join(texts)}")
    return "(" + "; ".join(parts) + ")" if parts else ""


# --------------------------------------------------------------------------- geometry
def polygons_of(geometry: GeoJSON) -> list[BaseGeometry]:
    """The polygonal members of a GeoJSON geometry, feature or collection."""
    kind = str(geometry.get("type", ""))
    if kind == "FeatureCollection":
        return [p for f in geometry.get("features", []) for p in polygons_of(f.get("geometry") or {})]
    if kind == "Feature":
        return polygons_of(geometry.get("geometry") or {})
    if kind == "GeometryCollection":
        return [p for g in geometry.get("geometries", []) for p in polygons_of(g)]
    if kind not in ("Polygon", "MultiPolygon"):
        raise errors.InputError(f"A ClearSKY composite needs a polygon or multipolygon area, not a {kind or 'blank'}.")
    return [shape(geometry)]


def aoi_wkt(geometry: GeoJSON) -> str:
    """``GEOMETRYCOLLECTION`` of the AOI's (multi)polygons, as the order endpoints want it."""
    members = polygons_of(geometry)
    if not members:
        raise errors.InputError("The ClearSKY composite has no area of interest.")
    return str(shapely.GeometryCollection(members).wkt)


def plain_wkt(geometry: GeoJSON) -> str:
    return str(shapely.unary_union(polygons_of(geometry)).wkt)


# --------------------------------------------------------------------------- bodies
def order_body(spec: ClearSkySpec, *, create: bool) -> dict[str, Any]:
    """Estimate/create body. Dates as YYYY-MM-DD; ``From`` must be the 1st of a month."""
    if spec.start.day != 1:
        raise errors.InputError(
            f"ClearSKY orders start on the first day of a month; choose {spec.start.replace(day=1).isoformat()} "
            f"instead of {spec.start.isoformat()}."
        )
    if spec.end is not None and spec.end < spec.start:
        raise errors.InputError("The end date of the ClearSKY order is before its start date.")
    if not spec.constellations:
        raise errors.InputError("Choose at least one satellite constellation for the ClearSKY order.")
    body: dict[str, Any] = {
        "SatelliteConstellations": list(spec.constellations),
        "Model": spec.model,
        "StorageMonths": spec.storage_months,
        "ApiRequests": spec.api_requests,
        "ImageFrequency": spec.frequency_days,
        "ReferenceDate": (spec.reference_date or spec.start).isoformat(),
        "From": spec.start.isoformat(),
        "To": spec.end.isoformat() if spec.end else None,
    }
    if spec.aoi is not None:
        if spec.tile_guids or spec.minitile_guids:
            raise errors.InputError("A ClearSKY order is either a composite (area) or tiles, not both.")
        body["Wkt"] = aoi_wkt(spec.aoi)
    elif spec.tile_guids or spec.minitile_guids:
        if spec.tile_guids:
            body["TileGuids"] = list(spec.tile_guids)
        if spec.minitile_guids:
            body["MiniTileGuids"] = list(spec.minitile_guids)
        if create:
            body["TileDeduplication"] = spec.tile_dedup
    else:
        raise errors.InputError("The ClearSKY order has neither an area nor tiles.")
    return body


# --------------------------------------------------------------------------- parsing
def imagery_models(data: Any) -> list[ImageryModel]:
    result = []
    for item in as_list(get(data, "TaskingModels")):
        options = tuple(
            ConstellationOption(
                name=str(get(c, "SatelliteConstellation", "Name", default="")),
                optional=bool(get(c, "Optional", default=False)),
            )
            for c in as_list(get(item, "SupportedSatelliteConstellations"))
        )
        name = get(item, "Model", "Name")
        if name:
            result.append(ImageryModel(name=str(name), constellations=options))
    return result


def cells(data: Any, *, default_level: CellLevel, parent: Optional[str] = None) -> tuple[list[GridCell], list[str]]:
    """Grid cells with geometry, and GUIDs of minitiles returned without geometry."""
    found: list[GridCell] = []
    bare: list[str] = []
    entries: list[tuple[Any, Optional[CellLevel]]] = [(e, None) for e in as_list(get(data, "Tiles"))]
    entries += [(e, CellLevel.MINITILE) for e in as_list(get(data, "MiniTiles"))]
    for entry, forced in entries:
        if isinstance(entry, str):
            bare.append(entry)
            continue
        guid = get(entry, "Guid", "MiniTileGuid", "TileGuid")
        wkt = get(entry, "DataGeogWkt", "Wkt")
        if not guid or not wkt:
            continue
        mini = get(entry, "MiniTile")
        level = forced or (CellLevel.MINITILE if mini is True else CellLevel.TILE if mini is False else default_level)
        owner: Optional[str] = None
        if level is CellLevel.MINITILE:
            named = get(entry, "ParentGuid", "ParentTileGuid") or get(entry, "TileGuid")
            owner = str(named) if named and str(named) != str(guid) else parent
        found.append(GridCell(guid=str(guid), level=level, epsg=epsg(get(entry, "Epsg")), wkt=str(wkt), parent=owner))
    return found, bare


def _money(value: Any, currency: str) -> Optional[Money]:
    amount = as_decimal(value)
    return Money(amount=amount, currency=currency) if amount is not None else None


def _sum(*values: Any) -> Optional[Decimal]:
    numbers = [as_decimal(v) for v in values]
    present = [n for n in numbers if n is not None]
    return sum(present, Decimal(0)) if present else None


def _month_after_next(day: date) -> date:
    """The first day of the month after the next one."""
    months = day.year * 12 + day.month + 1  # zero-based month index, two months on
    return date(months // 12, months % 12 + 1, 1)


MONTH_LINES = (
    ("Order, current month", "CurrentMonthOrderCostEstimate", 0),
    ("Storage, current month", "CurrentMonthStorageCosts", 0),
    ("Order, next month", "NextMonthOrderCostEstimate", 1),
    ("Storage, next month", "NextMonthStorageCosts", 1),
)


def estimate(data: Any, received_at: datetime, recurring: Optional[bool] = None) -> Optional[Estimate]:
    """Both estimate generations; None when no total can be found.

    The total is what the order costs and equals the sum of the lines shown, each as the
    provider rounded it: for a recurring order (``recurring`` True or unknown) the
    current month (the next month is ``next_month``); for a fixed order (``recurring``
    False) every month of its period: the current and next month's lines and, when the
    provider gives the whole period's ``TotalCost``, one line for the later months (that
    total less its own current and next month costs).
    """
    costs_2024 = get(data, "Costs")
    current_2025 = get(data, "CurrentMonthCosts")
    recurring_costs = get(data, "RecurringCostsEstimate")
    currency = str(
        get(current_2025, "CurrencyCode", default="")
        or get(costs_2024, "CurrencyCode", default="")
        or get(data, "CurrencyCode", default="")
        or CURRENCY
    )
    total = as_decimal(get(current_2025, "TotalCost", "TotalCostEuro"))
    if total is None:
        total = as_decimal(get(data, "CurrentMonthCost"))
    if total is None and isinstance(costs_2024, Mapping):
        total = _sum(get(costs_2024, "CurrentMonthOrderCostEstimate"), get(costs_2024, "CurrentMonthStorageCosts"))
    if total is None:
        return None
    next_month = as_decimal(get(data, "NextMonthCost"))
    if next_month is None and isinstance(costs_2024, Mapping):
        next_month = _sum(get(costs_2024, "NextMonthOrderCostEstimate"), get(costs_2024, "NextMonthStorageCosts"))
    if next_month is None:
        next_month = as_decimal(get(recurring_costs, "TotalCost", "TotalCostEuro", "MonthlyCost"))
    lines: list[EstimateLine] = []
    if isinstance(costs_2024, Mapping):
        months: list[Optional[Decimal]] = [None, None]
        for label, key, month in MONTH_LINES:
            money = _money(get(costs_2024, key), currency)
            if money is not None:
                lines.append(EstimateLine(label=label, price=money))
                months[month] = (months[month] or Decimal(0)) + money.amount
        if months[0] is not None:
            total = months[0]
        if months[1] is not None:
            next_month = months[1]
        if recurring is False:
            period = as_decimal(get(data, "TotalCost"))
            given = (as_decimal(get(data, "CurrentMonthCost")) or Decimal(0)) + (
                as_decimal(get(data, "NextMonthCost")) or Decimal(0)
            )
            after_next = _month_after_next(received_at.date())
            listed = (as_date(v) for v in as_list(get(data, "ImageDates")))
            beyond = any(d is not None and d >= after_next for d in listed)
            later = period - given if period is not None and beyond else None
            total += next_month or Decimal(0)
            if later is not None and later > 0:
                lines.append(
                    EstimateLine(label="Order and storage, later months", price=Money(amount=later, currency=currency))
                )
                total += later
            next_month = None
    elif isinstance(current_2025, Mapping):
        for key, value in current_2025.items():
            money = (
                _money(value, currency)
                if str(key).lower() not in ("currencycode", "totalcost", "totalcosteuro")
                else None
            )
            if money is not None:
                lines.append(EstimateLine(label=str(key), price=money))
    billable = as_float(get(data, "AreaKm2"))
    dates = tuple(d for d in (as_date(v) for v in as_list(get(data, "ImageDates"))) if d is not None)
    return Estimate(
        provider="clearsky",
        total=Money(amount=total, currency=currency),
        lines=tuple(lines),
        area_km2=as_float(get(data, "AreaKm2BeforeMinimum1Km2PerAoi")) or billable,
        billable_area_km2=billable,
        image_dates=dates,
        next_month=Money(amount=next_month, currency=currency) if next_month is not None else None,
        received_at=received_at,
    )


def order(data: Any) -> Optional[Order]:
    guid = get(data, "TaskOrderGuid", "Guid", "Id")
    if not guid:
        return None
    raw = str(get(data, "OrderingProcessStatus", "Status", default="") or "")
    tiles = [str(t) for t in as_list(get(data, "Tiles"))]
    minitiles = [str(t) for t in as_list(get(data, "MiniTiles"))]
    wkt = get(data, "Wkt")
    aoi: Optional[GeoJSON] = None
    if isinstance(wkt, str) and wkt.strip():
        try:
            aoi = geojson(shapely.from_wkt(wkt))
        except shapely.errors.GEOSException:
            aoi = None
    end = as_date(get(data, "To"))
    extra = {
        k: get(data, k)
        for k in (
            "BillingCycle",
            "StorageMonths",
            "ApiRequests",
            "ImageFrequency",
            "ReferenceDate",
            "TaskOrderAreaKm2",
            "TileDeduplication",
            "CompletedImageDates",
        )
        if get(data, k) is not None
    }
    if tiles:
        extra["Tiles"] = tiles
    if minitiles:
        extra["MiniTiles"] = minitiles
    return Order(
        provider="clearsky",
        id=str(guid),
        kind=OrderKind.TILE if (tiles or minitiles) and not aoi else OrderKind.COMPOSITE,
        status=lifecycle(raw) if raw else Lifecycle.UNKNOWN,
        raw_status=raw,
        sub_status=str(get(data, "OrderingProcessSubStatus", "SubStatus", default="") or "") or None,
        title=f"{get(data, 'Model', default='')} {'tiles' if tiles or minitiles else 'composite'}".strip(),
        created_at=as_datetime(get(data, "CreatedDate", "CreatedAt")),
        aoi=aoi,
        recurring=end is None,
        start=as_date(get(data, "From")),
        end=end,
        cancellation_date=as_date(get(data, "CancellationDate")),
        model=str(get(data, "Model", default="") or "") or None,
        constellations=tuple(str(c) for c in as_list(get(data, "SatelliteConstellations"))),
        extra=extra,
    )


def orders(data: Any) -> list[Order]:
    items = get(data, "TaskOrders")
    if items is None and isinstance(data, list):
        items = data
    return [o for o in (order(item) for item in as_list(items)) if o is not None]


# --------------------------------------------------------------------------- matching
def same_geometry(a: Optional[GeoJSON], b_wkt: Optional[str]) -> bool:
    if a is None or not b_wkt:
        return False
    try:
        ours = shapely.unary_union(polygons_of(a))
        theirs = shapely.unary_union([g for g in shapely.get_parts(shapely.from_wkt(b_wkt))])
    except (shapely.errors.GEOSException, errors.InputError):
        return False
    if ours.is_empty or theirs.is_empty:
        return False
    difference = ours.symmetric_difference(theirs).area
    return bool(difference <= 1e-9 + 1e-6 * max(ours.area, theirs.area))


def matches(spec: ClearSkySpec, candidate: Order) -> bool:
    """Does a listed order carry exactly this spec? (for finding a placement again)."""
    extra = candidate.extra

    def same(values: Iterable[str], other: Sequence[str]) -> bool:
        return sorted(values) == sorted(other)

    checks = [
        (candidate.model or "") == spec.model,
        same(spec.constellations, candidate.constellations),
        candidate.start == spec.start,
        candidate.end == spec.end,
        extra.get("ImageFrequency") in (None, spec.frequency_days),
        extra.get("StorageMonths") in (None, spec.storage_months),
        extra.get("ApiRequests") in (None, spec.api_requests),
    ]
    if spec.aoi is not None:
        wkt = shapely.geometry.shape(candidate.aoi).wkt if candidate.aoi else None
        checks.append(same_geometry(spec.aoi, wkt))
    else:
        checks.append(same(spec.tile_guids, list(extra.get("Tiles", []))))
        checks.append(same(spec.minitile_guids, list(extra.get("MiniTiles", []))))
    return all(checks)
