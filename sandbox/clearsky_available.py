"""ClearSKY date availability: ``/api/satelliteimages/search/available`` and
``/api/satelliteimages/process/composite/available`` (ClearSKY's API reference).

The documents give only the table row: ``search/available`` takes ``Wkt, From, Until`` and
answers ``ModelImageDates[{Model, SatelliteConstellations, DatesByGeog[{Wkt, Dates[]}]}]``;
``composite/available`` takes ``Wkt, Date, EpsgProjection, Model…`` and answers the flags
``FullyAvailable, PartiallyAvailable, OrdersCoverPolygon, DataAvailableForUser, …``. The
readings chosen where they are silent:

* Scope: only this account's imagery: the image dates its own orders have produced
  (``CompletedImageDates`` of the order status, i.e. past Processing on the sandbox clock);
  other tenants' orders never show. Orders cancelled in Review produced nothing.
* ``search/available``: ``Wkt``, ``From`` and ``Until`` are all required and the range is
  inclusive; ``From``/``Until`` take a date or an ISO date-time (its UTC date counts). A
  group is one ``Model`` with one set of ``SatelliteConstellations`` (sorted by name: the
  same inputs listed in another order are the same product); inside it, one ``DatesByGeog``
  entry per distinct ordered area, clipped to the searched ``Wkt`` (only parts whose
  interiors meet count), with every produced date of the range; orders with the same
  area merge their dates. Groups or areas without a date in the range are left out.
* ``composite/available`` validates like ``/process/composite`` (same fields, same 992s),
  plus the ``Model`` enum and ``SatelliteConstellations`` names (docs-examples.json
  ``enums``). The flags, with the same optional Model/SatelliteConstellations filters as the
  download:
  - ``FullyAvailable``: one produced order covers the whole ``Wkt`` on ``Date``: exactly
    when /process/composite serves the file instead of error 1002 (one rule, shared);
  - ``PartiallyAvailable``: not fully, but produced imagery of ``Date`` meets the ``Wkt``;
  - ``DataAvailableForUser``: fully or partially: the account holds imagery of that date there;
  - ``OrdersCoverPolygon``: one order (produced or not yet) has ``Date`` among its image
    dates and covers the ``Wkt``; true while FullyAvailable is false means "ordered, wait".
  The documents' "…" (further fields) are not known, so none are invented.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timezone
from typing import Any

import shapely
from fastapi import FastAPI, Request
from fastapi.responses import Response

from .clearsky_orders import MODELS, ApiError, Body, image_dates, invalid, plan_of, status
from .clearsky_retrieval import covering_order, matches, order_area, parse_day, parse_options, parse_wkt

# Overlaps smaller than this (about 0.01 m²) are floating-point slivers along shared edges.
MIN_AREA_DEG2 = 1e-12
CONSTELLATIONS = sorted({name for supported in MODELS.values() for name in supported})


def add_routes(
    app: FastAPI, cs: Any, body_of: Callable[[Request], Awaitable[Body]], ok: Callable[[Any], Response]
) -> None:
    """``cs`` is the provider's state (accounts, orders, clock), ``ok`` its envelope."""

    @app.post("/api/satelliteimages/search/available")
    async def search_available(request: Request) -> Response:
        account = cs.account(request)
        body = await body_of(request)
        errors: dict[str, list[str]] = {}
        geometry = _checked(errors, lambda: _area(body))
        start = _checked(errors, lambda: _bound(body, "From"))
        end = _checked(errors, lambda: _bound(body, "Until"))
        if start is not None and end is not None and end < start:
            errors.setdefault("Until", []).append("Until must not be before From.")
        if errors:
            raise invalid(errors)
        return ok({"ModelImageDates": model_image_dates(cs, account, geometry, start, end)})

    @app.post("/api/satelliteimages/process/composite/available")
    async def composite_available(request: Request) -> Response:
        account = cs.account(request)
        body = await body_of(request)
        errors: dict[str, list[str]] = {}
        geometry = _checked(errors, lambda: _area(body))
        day = _checked(errors, lambda: parse_day(body))
        _checked(errors, lambda: parse_options(cs, body))
        model, constellations = body.get("Model"), body.get("SatelliteConstellations")
        if model is not None and model not in MODELS:
            errors["Model"] = [f"Model must be one of {', '.join(MODELS)}."]
        if constellations is not None and (
            not isinstance(constellations, list)
            or not constellations
            or any(c not in CONSTELLATIONS for c in constellations)
        ):
            errors["SatelliteConstellations"] = [
                f"SatelliteConstellations must be a non-empty list of {', '.join(CONSTELLATIONS)}."
            ]
        if errors:
            raise invalid(errors)
        return ok(composite_flags(cs, account, day, geometry, model=model, constellations=constellations))


def model_image_dates(cs: Any, account: str, geometry: Any, start: date, end: date) -> list[dict[str, Any]]:
    """``Data.ModelImageDates`` for the produced image dates in [start, end] meeting ``geometry``."""
    now = cs.ctx.clock.now()
    groups: dict[tuple[str, tuple[str, ...]], dict[str, tuple[str, set[date]]]] = {}
    for order in sorted(cs.orders(account), key=lambda o: o["created_ts"]):
        _, done = status(order, now)
        dates = {d for d in done if start <= d <= end}
        if not dates:
            continue
        clipped = _polygonal(shapely.intersection(order_area(order), geometry))
        if clipped is None:
            continue
        same = str(shapely.to_wkt(shapely.normalize(clipped), rounding_precision=7))  # equal areas, any vertex order
        areas = groups.setdefault((order["model"], tuple(sorted(order["constellations"]))), {})
        areas.setdefault(same, (str(shapely.to_wkt(clipped, rounding_precision=7)), set()))[1].update(dates)
    return [
        {
            "Model": model,
            "SatelliteConstellations": list(constellations),
            "DatesByGeog": [
                {"Wkt": wkt, "Dates": [d.isoformat() for d in sorted(dates)]}
                for wkt, dates in sorted(areas.values(), key=lambda area: (min(area[1]), area[0]))
            ],
        }
        for (model, constellations), areas in sorted(groups.items())
    ]


def composite_flags(
    cs: Any, account: str, day: date, geometry: Any, *, model: Any, constellations: Any
) -> dict[str, bool]:
    """The availability flags of ``day`` over ``geometry`` (their meaning: module docstring)."""
    now = cs.ctx.clock.now()
    produced: list[dict[str, Any]] = []
    scheduled: list[dict[str, Any]] = []
    for order in cs.orders(account):
        if not matches(order, model, constellations):
            continue
        state, done = status(order, now)
        if day in done:
            produced.append(order)
        if state != "Canceled" and _on_schedule(order, day):
            scheduled.append(order)
    fully = covering_order(produced, geometry, model=model, constellations=constellations) is not None
    touched = any(_polygonal(shapely.intersection(order_area(o), geometry)) is not None for o in produced)
    partially = touched and not fully
    return {
        "FullyAvailable": fully,
        "PartiallyAvailable": partially,
        "OrdersCoverPolygon": covering_order(scheduled, geometry, model=model, constellations=constellations)
        is not None,
        "DataAvailableForUser": fully or partially,
    }


def _on_schedule(order: dict[str, Any], day: date) -> bool:
    """``day`` is one of the order's image dates: within From..To (or its CancellationDate
    for a stopped recurring order; open-ended otherwise) on the ImageFrequency step."""
    until = date.fromisoformat(order["cancellation_date"]) if order.get("cancellation_date") else None
    return day in image_dates(plan_of(order), day, until=until)


def _checked(errors: dict[str, list[str]], parse: Callable[[], Any]) -> Any:
    """Run one field's parser, gathering its 992 messages so one answer names every bad field."""
    try:
        return parse()
    except ApiError as exc:
        if exc.code != 992 or not isinstance(exc.data, dict):
            raise
        for key, messages in exc.data.items():
            errors.setdefault(key, []).extend(messages)
        return None


def _area(body: Body) -> Any:
    """The request's Wkt (as /process/composite reads it) as one (Multi)Polygon in lon/lat."""
    geometry = parse_wkt(body)
    minx, miny, maxx, maxy = geometry.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise invalid({"Wkt": ["Wkt must be in EPSG:4326 longitude/latitude."]})
    area = _polygonal(shapely.union_all([shapely.make_valid(p) for p in shapely.get_parts(geometry)]))
    if area is None:
        raise invalid({"Wkt": ["Wkt has no area: give a Polygon, MultiPolygon or GEOMETRYCOLLECTION of those."]})
    return area


def _bound(body: Body, key: str) -> date:
    """A date (YYYY-MM-DD) or an ISO date-time, taken as its UTC calendar date."""
    value = body.get(key)
    if value is None or value == "":
        raise invalid({key: [f"The {key} field is required."]})
    text = str(value)
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise invalid({key: [f"{key} must be a date (YYYY-MM-DD) or an ISO 8601 date-time."]}) from exc
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date()


def _polygonal(geometry: Any) -> Any:
    """The polygons of ``geometry`` (lines and points where areas only touch dropped), or None."""
    parts = shapely.get_parts(shapely.get_parts(geometry))
    polygons = [p for p in parts if p.geom_type == "Polygon" and p.area > MIN_AREA_DEG2]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
