"""ClearSKY tasking orders: request validation, image dates, EUR pricing, lifecycle.

Sources: ClearSKY's API reference and pricing pages (cited below by their key in
``docs-examples.json``, a transcription of those pages kept outside this repository), and
its "Order Data" and "Create an Order in the Dashboard" guides. Where they are silent or
disagree, the choice is written next to the code. Everything here is pure (no HTTP): the
provider module turns :class:`ApiError` into the ``{Succeeded, Error{Message, Code}, Data}``
envelope.
"""

from __future__ import annotations

import calendar
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import shapely
import shapely.wkt
from shapely.geometry import shape
from shapely.validation import explain_validity

from . import geodesy
from .clearsky_grid import MAX_GUIDS_PER_REQUEST, Cell, Grid

# docs-examples.json tasking_models_response + enums.models/satellite_constellations. Which
# constellation is required or optional per model is not documented: Stratus2 and
# Stratus2Fast are optical models built on Sentinel-2; Nimbus is the radar-first model, built
# on Sentinel-1. Sentinel3 is offered as an optional input because pricing lists it.
MODELS: dict[str, dict[str, bool]] = {  # constellation -> optional?
    "Stratus2": {"Sentinel2": False, "Sentinel1": True, "Landsat89": True, "Sentinel3": True},
    "Stratus2Fast": {"Sentinel2": False, "Sentinel1": True, "Landsat89": True},
    "Nimbus": {"Sentinel1": False, "Sentinel2": True},
}
# pricing.model_base_eur_per_km2: Nimbus 0.10, "Stratus-2" 0.20; Stratus2Fast is not priced
# in the docs: it is charged as Stratus-2.
TIERS = [  # pricing.monthly_spend_tiers_eur_per_km2: (monthly EUR spend from, Stratus-2, Nimbus)
    (0.0, 0.2, 0.1),
    (1_000.0, 0.05, 0.075),
    (3_000.0, 0.02, 0.05),
    (12_000.0, 0.01, 0.025),
    (50_000.0, 0.008, 0.02),
    (400_000.0, 0.006, 0.015),
]
# pricing.optional_inputs_eur_per_km2, charged only for optional inputs the order adds
SURCHARGE = {"Sentinel1": 0.04, "Sentinel2": 0.04, "Sentinel3": 0.02, "Landsat89": 0.02}
FACTOR = {"polygon": 1.0, "tile": 0.2, "minitile": 0.5}  # pricing.order_mode_factor
MIN_AOI_KM2 = 1.0  # pricing.minimum_polygon_area_km2
# Storage: "first month free" (ClearSKY's "Order Data" guide); the price of further months is
# not documented.
# Chosen: EUR 0.001 per km² per image date for each storage month past the first.
STORAGE_EUR_PER_KM2_IMAGE_MONTH = 0.001
STORAGE_MONTHS = (1, 24)  # not documented; chosen
API_REQUESTS = (1, 1_000)  # not documented; chosen
IMAGE_FREQUENCY = (1, 31)  # "1=daily ... 7=weekly (days between images)"; upper bound chosen
EARLIEST_FROM = date(2016, 1, 1)  # Sentinel-2 archive; not documented, chosen

# lifecycle (simulated seconds): Review -> Preparing -> AwaitingSatelliteProducts ->
# Processing -> Completed, or UpToDate between image dates (check-order-status page values)
REVIEW_S, PREPARING_S, AWAITING_S, PROCESSING_S = 300.0, 300.0, 600.0, 1_200.0


class ApiError(Exception):
    def __init__(self, status: int, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.data = status, code, message, data


def invalid(errors: dict[str, list[str]]) -> ApiError:
    """docs-examples.json envelope.error_400_example: 992 with per-property messages in Data."""
    return ApiError(400, 992, "One or more validation errors occurred.", errors)


class Body:
    """A JSON object read with case-insensitive keys (PascalCase and camelCase both occur)."""

    def __init__(self, raw: Any) -> None:
        if not isinstance(raw, dict):
            raise ApiError(400, 993, "The request body must be a JSON object.")
        self._values = {str(k).lower(): v for k, v in raw.items()}

    def has(self, key: str) -> bool:
        return self._values.get(key.lower()) is not None

    def get(self, key: str, default: Any = None) -> Any:
        value = self._values.get(key.lower())
        return default if value is None else value


@dataclass
class Plan:
    """What an estimate or an order is about: AOIs or grid cells, and the settings."""

    model: str
    constellations: list[str]
    storage_months: int
    api_requests: int
    image_frequency: int
    reference_date: date
    start: date
    end: date | None  # None = recurring
    polygons: list[Any] = field(default_factory=list)  # shapely polygons (lon/lat)
    tiles: list[Cell] = field(default_factory=list)
    minitiles: list[Cell] = field(default_factory=list)
    wkt: str | None = None

    @property
    def mode(self) -> str:
        return "polygon" if self.polygons else "tiles"

    def area_before_minimum(self) -> float:
        if self.polygons:
            return sum(geodesy.geodesic_area_km2(p) for p in self.polygons)
        return self.area()

    def area(self) -> float:
        if self.polygons:
            return sum(max(MIN_AOI_KM2, geodesy.geodesic_area_km2(p)) for p in self.polygons)
        return sum(c.area_km2 for c in self.tiles + self.minitiles)

    def rate(self, month_spend: float) -> float:
        tier = [t for t in TIERS if month_spend >= t[0]][-1]
        base = tier[2] if self.model == "Nimbus" else tier[1]
        optional = MODELS[self.model]
        return base + sum(SURCHARGE.get(c, 0.0) for c in self.constellations if optional.get(c))

    def weighted_area(self) -> float:
        """Area times the order-mode factor (tile x0.2, minitile x0.5)."""
        if self.polygons:
            return self.area() * FACTOR["polygon"]
        return sum(c.area_km2 * FACTOR["tile"] for c in self.tiles) + sum(
            c.area_km2 * FACTOR["minitile"] for c in self.minitiles
        )

    def geometry(self) -> Any:
        if self.polygons:
            return shapely.union_all(self.polygons)
        return shapely.union_all([c.geog for c in self.tiles + self.minitiles])


# ---------------------------------------------------------------- parsing


def parse_plan(body: Body, grid: Grid, *, create: bool) -> Plan:
    errors: dict[str, list[str]] = {}

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    model = body.get("Model")
    if model is None:
        err("Model", "The Model field is required.")
    elif model not in MODELS:
        err("Model", f"Model must be one of {', '.join(MODELS)}.")
    constellations = body.get("SatelliteConstellations")
    if not isinstance(constellations, list) or not constellations:
        err("SatelliteConstellations", "At least one satellite constellation is required.")
        constellations = []
    elif model in MODELS:
        supported = MODELS[model]
        for name in constellations:
            if name not in supported:
                known = ", ".join(supported)
                err("SatelliteConstellations", f"{name} is not supported by {model} (supported: {known}).")
        for name, optional in supported.items():
            if not optional and name not in constellations:
                err("SatelliteConstellations", f"{model} requires {name}.")
        if len(set(map(str, constellations))) != len(constellations):
            err("SatelliteConstellations", "Satellite constellations must not repeat.")
    storage = _int(body, "StorageMonths", 1, STORAGE_MONTHS, err)
    api_requests = _int(body, "ApiRequests", 1, API_REQUESTS, err)
    frequency = _int(body, "ImageFrequency", None, IMAGE_FREQUENCY, err)
    start = _date(body, "From", err, required=True)
    if start is not None and start.day != 1:
        err("From", "From must be the first day of a month (YYYY-MM-01).")
    if start is not None and start < EARLIEST_FROM:
        err("From", f"From must be on or after {EARLIEST_FROM.isoformat()}.")
    end = _date(body, "To", err, required=False)
    if start is not None and end is not None and end < start:
        err("To", "To must not be before From (leave it null for a recurring order).")
    reference = _date(body, "ReferenceDate", err, required=False) or start
    if create and body.has("TileDeduplication") and not isinstance(body.get("TileDeduplication"), bool):
        err("TileDeduplication", "TileDeduplication must be true or false.")

    plan = Plan(
        model=str(model),
        constellations=[str(c) for c in constellations],
        storage_months=storage or 1,
        api_requests=api_requests or 1,
        image_frequency=frequency or 1,
        reference_date=reference or EARLIEST_FROM,
        start=start or EARLIEST_FROM,
        end=end,
    )
    _parse_aoi(body, grid, plan, err)
    if create and body.get("TileDeduplication") is True and plan.polygons:
        err("TileDeduplication", "TileDeduplication applies to tile and minitile orders only.")
    if errors:
        raise invalid(errors)
    return plan


def _parse_aoi(body: Body, grid: Grid, plan: Plan, err: Any) -> None:
    modes = [k for k in ("Wkt", "GeoJson") if body.has(k)]
    if body.has("TileGuids") or body.has("MiniTileGuids"):
        modes.append("TileGuids")
    if len(modes) != 1:
        err("Wkt", "Exactly one of Wkt, GeoJson or TileGuids/MiniTileGuids must be given.")
        return
    if modes[0] == "Wkt":
        try:
            geometry = shapely.wkt.loads(str(body.get("Wkt")))
        except shapely.errors.ShapelyError as exc:
            err("Wkt", f"Wkt is not valid WKT: {exc}")
            return
        plan.wkt = str(body.get("Wkt"))
        plan.polygons = _polygons(geometry, "Wkt", err)
    elif modes[0] == "GeoJson":
        raw = body.get("GeoJson")
        try:
            plan.polygons = _polygons(_geojson(json.loads(raw) if isinstance(raw, str) else raw), "GeoJson", err)
        except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.ShapelyError) as exc:
            err("GeoJson", f"GeoJson is not a valid GeoJSON geometry, feature or feature collection: {exc}")
            return
    else:
        tiles, minis = body.get("TileGuids", []), body.get("MiniTileGuids", [])
        if not isinstance(tiles, list) or not isinstance(minis, list):
            err("TileGuids", "TileGuids and MiniTileGuids must be arrays of GUIDs.")
            return
        if len(tiles) + len(minis) > MAX_GUIDS_PER_REQUEST:
            err("TileGuids", f"At most {MAX_GUIDS_PER_REQUEST} tiles and minitiles per request.")
            return
        plan.tiles = _cells(tiles, grid.tile, "TileGuids", "tile", err)
        plan.minitiles = _cells(minis, grid.minitile, "MiniTileGuids", "minitile", err)
        ordered = {c.guid for c in plan.tiles}
        for mini in plan.minitiles:
            if mini.tile_guid in ordered:
                err("MiniTileGuids", f"Minitile {mini.guid} lies in tile {mini.tile_guid}, which is ordered whole.")
        if not plan.tiles and not plan.minitiles:
            err("TileGuids", "At least one tile or minitile GUID is required.")
    if plan.polygons:
        plan.wkt = plan.wkt or str(shapely.to_wkt(shapely.GeometryCollection(plan.polygons), rounding_precision=7))


def _cells(guids: list[Any], resolve: Any, key: str, kind: str, err: Any) -> list[Cell]:
    cells = []
    for guid in dict.fromkeys(str(g) for g in guids):
        cell = resolve(guid)
        if cell is None:
            err(key, f"Unknown {kind} GUID {guid} (search tiles first: POST /api/tasking/search/tiles).")
        else:
            cells.append(cell)
    return cells


def _geojson(obj: Any) -> Any:
    kind = obj.get("type") if isinstance(obj, dict) else None
    if kind == "FeatureCollection":
        return shapely.GeometryCollection([_geojson(f) for f in obj["features"]])
    if kind == "Feature":
        return shape(obj["geometry"])
    return shape(obj)


def _polygons(geometry: Any, key: str, err: Any) -> list[Any]:
    """The polygons of a Polygon, MultiPolygon or GEOMETRYCOLLECTION of those (models: polygon
    orders take a GEOMETRYCOLLECTION of (Multi)Polygons). Each polygon is one billed AOI."""
    parts = list(geometry.geoms) if geometry.geom_type in ("GeometryCollection", "MultiPolygon") else [geometry]
    polygons = []
    for part in parts:
        if part.geom_type == "MultiPolygon":
            polygons.extend(part.geoms)
        elif part.geom_type == "Polygon":
            polygons.append(part)
        else:
            err(key, f"Only Polygon, MultiPolygon and GEOMETRYCOLLECTION of those are accepted, not {part.geom_type}.")
            return []
    if not polygons:
        err(key, "The area of interest is empty.")
    for index, polygon in enumerate(polygons):
        if polygon.is_empty:
            err(key, f"Polygon {index + 1} is empty.")
        elif not polygon.is_valid:
            err(key, f"Polygon {index + 1} is invalid: {explain_validity(polygon)}.")
        else:
            minx, miny, maxx, maxy = polygon.bounds
            if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
                err(key, f"Polygon {index + 1} is not in EPSG:4326 longitude/latitude.")
    return polygons


def _int(body: Body, key: str, default: int | None, bounds: tuple[int, int], err: Any) -> int | None:
    value = body.get(key)
    if value is None:
        if default is None:
            err(key, f"The {key} field is required.")
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        err(key, f"{key} must be a whole number.")
        return None
    if not bounds[0] <= value <= bounds[1]:
        err(key, f"{key} must be between {bounds[0]} and {bounds[1]}.")
        return None
    return value


def _date(body: Body, key: str, err: Any, *, required: bool) -> date | None:
    value = body.get(key)
    if value is None:
        if required:
            err(key, f"The {key} field is required.")
        return None
    try:
        return parse_date(str(value))
    except ValueError:
        err(key, f"{key} must be a date (YYYY-MM-DD).")
        return None


def parse_date(text: str) -> date:
    """YYYY-MM-DD, or an ISO date-time at midnight (an ASP.NET DateTime binds either)."""
    if len(text) == 10:
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if (moment.hour, moment.minute, moment.second) != (0, 0, 0):
        raise ValueError("not a date")
    return moment.date()


# ---------------------------------------------------------------- dates and money


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def image_dates(plan: Plan, today: date, until: date | None = None) -> list[date]:
    """Dates ReferenceDate + k x ImageFrequency within [From, To]. A recurring order (To null)
    is planned through the end of next month (current month billed, next month estimated)."""
    last = plan.end
    if last is None:
        last = month_end(next_month(max(today, plan.start)))
    if until is not None:
        last = min(last, until)
    step = plan.image_frequency
    offset = (plan.start - plan.reference_date).days % step
    first = plan.start + timedelta(days=(step - offset) % step)
    count = max(0, (last - first).days // step + 1)
    return [first + timedelta(days=step * k) for k in range(count)]


def billing_month(day: date, created: date) -> date:
    """Dates before the month of creation are billed in the month of creation."""
    return max(day.replace(day=1), created.replace(day=1))


def costs(
    plan: Plan, dates: list[date], today: date, created: date, rate: float, savings: dict[date, float] | None = None
) -> dict[str, Any]:
    """Current and next month costs, storage included (2024 and 2025 response fields)."""
    per_date = plan.weighted_area() * rate
    storage_per_date = plan.area() * STORAGE_EUR_PER_KM2_IMAGE_MONTH * (plan.storage_months - 1)
    this_month, following = today.replace(day=1), next_month(today)
    sums = {"order": [0.0, 0.0, 0.0], "storage": [0.0, 0.0, 0.0]}  # current, next, total
    for day in dates:
        order_cost = max(0.0, per_date - (savings or {}).get(day, 0.0))
        month = billing_month(day, created)
        for kind, amount in (("order", order_cost), ("storage", storage_per_date)):
            sums[kind][2] += amount
            if month == this_month:
                sums[kind][0] += amount
            elif month == following:
                sums[kind][1] += amount
    current = _eur(sums["order"][0] + sums["storage"][0])
    upcoming = _eur(sums["order"][1] + sums["storage"][1])
    return {
        "CurrentMonthCost": current,
        "NextMonthCost": upcoming,
        "Costs": {
            "CurrencyCode": "EUR",
            "CurrentMonthOrderCostEstimate": _eur(sums["order"][0]),
            "CurrentMonthStorageCosts": _eur(sums["storage"][0]),
            "NextMonthOrderCostEstimate": _eur(sums["order"][1]),
            "NextMonthStorageCosts": _eur(sums["storage"][1]),
        },
        # clearsky_client.py (2025) names
        "CurrentMonthCosts": {"CurrencyCode": "EUR", "TotalCost": current, "TotalCostEuro": current},
        "RecurringCostsEstimate": {"CurrencyCode": "EUR", "MonthlyCost": upcoming} if plan.end is None else None,
        "TotalCost": _eur(sums["order"][2] + sums["storage"][2]) if plan.end is not None else None,
        "EuroPerKm2": round(rate, 6),
    }


def _eur(value: float) -> float:
    return math.floor(value * 100 + 0.5 + 1e-9) / 100


# ---------------------------------------------------------------- lifecycle


def status(order: dict[str, Any], now: datetime) -> tuple[str, list[date]]:
    """(OrderingProcessStatus, image dates completed by ``now``), computed from the clock."""
    created = datetime.fromtimestamp(order["created_ts"], tz=timezone.utc)
    if order.get("canceled_ts") is not None:
        return "Canceled", []
    elapsed = (now - created).total_seconds()
    if elapsed < REVIEW_S:
        return "Review", []
    if elapsed < REVIEW_S + PREPARING_S:
        return "Preparing", []
    production = created + timedelta(seconds=REVIEW_S + PREPARING_S)
    plan_end = _end(order)
    dates = image_dates(plan_of(order), now.date(), until=plan_end)
    done, state = [], None
    for day in dates:
        available = max(production, datetime.combine(day + timedelta(days=1), datetime.min.time(), timezone.utc))
        if available > now:
            break  # a future image date: nothing later is due either
        if now < available + timedelta(seconds=AWAITING_S):
            state = state or "AwaitingSatelliteProducts"
        elif now < available + timedelta(seconds=AWAITING_S + PROCESSING_S):
            state = state or "Processing"
        else:
            done.append(day)
    if state:
        return state, done
    finished = plan_end is not None and len(done) == len(dates)
    return ("Completed" if finished else "UpToDate"), done


def _end(order: dict[str, Any]) -> date | None:
    """Last date an order produces: To, or for a cancelled recurring order its CancellationDate."""
    if order.get("cancellation_date"):
        return date.fromisoformat(order["cancellation_date"])
    return date.fromisoformat(order["to"]) if order.get("to") else None


def plan_of(order: dict[str, Any]) -> Plan:
    """The parts of a stored order that date and cost computations need."""
    plan = Plan(
        model=order["model"],
        constellations=order["constellations"],
        storage_months=order["storage_months"],
        api_requests=order["api_requests"],
        image_frequency=order["image_frequency"],
        reference_date=date.fromisoformat(order["reference_date"]),
        start=date.fromisoformat(order["from"]),
        end=date.fromisoformat(order["to"]) if order.get("to") else None,
    )
    return plan


def expired(order: dict[str, Any], state: str, now: datetime) -> bool:
    """An order that ended (Completed or Canceled) more than StorageMonths months ago."""
    if state == "Canceled":
        ended = datetime.fromtimestamp(order["canceled_ts"], tz=timezone.utc)
    elif state == "Completed":
        end = _end(order)
        ended = datetime.combine(end or now.date(), datetime.min.time(), timezone.utc)
    else:
        return False
    return now > ended + timedelta(days=30 * order["storage_months"])
