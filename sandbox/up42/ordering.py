"""Checking a v2 order request (``POST /v2/orders/estimate`` and ``POST /v2/orders``).

Request shape (sdk-test-payloads.json ``order_request_v2``):
``{dataProduct, displayName, params, featureCollection, tags}``. One order per feature.
``params`` hold everything except the geometry, which travels in ``featureCollection``
(the SDK's ``_translate_construct_parameters`` moves it there).

``params`` are validated with ``jsonschema`` against the product's schema from
``GET /orders/schema/{id}``. That schema is the v1 shape, with the AOI inside the params
(``geometry`` for tasking, ``aoi`` for catalog products) and, for tasking, a required
``displayName`` (sdk-fixtures/data_product_schema_phr_tasking.json). So each feature is
checked as ``params + {<geometry key>: feature.geometry}``, with the order's top-level
``displayName`` filled in when ``params`` lack one. A geometry sent inside ``params`` is
refused: v2 wants it in ``featureCollection``.

Errors: problems with the request as a whole are a 400 "Order parameters errors" (the
developer portal's message) with the list in ``details``; problems with
one feature (its geometry, its overlap with the image) go into the 200 response's
``errors[{index, message, details}]`` (sdk-test-payloads.json), the rest still succeed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import jsonschema
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .. import catalog, geo
from . import data
from .errors import Up42Error

FIELDS = ("dataProduct", "displayName", "params", "featureCollection", "tags")
#: UP42 takes at most 999 vertices per AOI: the plugin checks it, the sandbox enforces it
MAX_VERTICES = 999
MAX_FEATURES = 100


@dataclass
class Item:
    """One accepted feature: what an estimate prices and a placement turns into an order."""

    index: int
    geometry: dict[str, Any]  # as sent
    aoi: BaseGeometry  # what gets priced and delivered (clipped to the image for archive)
    area_km2: float
    credits: int


@dataclass
class Checked:
    collection: data.Collection
    params: dict[str, Any]
    display_name: str
    tags: list[str]
    items: list[Item] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    capture: Any = None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _schema_messages(errors: list[jsonschema.ValidationError]) -> list[str]:
    out = []
    for error in errors:
        where = "/".join(str(p) for p in error.absolute_path) or "params"
        out.append(f"{where}: {error.message}")
    return out


def _shape_checks(body: Any) -> tuple[data.Collection, dict[str, Any], list[Any], list[str], str]:
    if not isinstance(body, dict):
        raise Up42Error(400, "The request body must be a JSON object")
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise Up42Error(400, "Order parameters errors", [f"unknown field '{name}'" for name in unknown])
    problems = []
    product = body.get("dataProduct")
    if not isinstance(product, str) or not product:
        problems.append("dataProduct: a data product id (string) is required")
    params = body.get("params")
    if not isinstance(params, dict):
        problems.append("params: an object is required")
    collection = body.get("featureCollection")
    features: list[Any] = []
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        problems.append("featureCollection: a GeoJSON FeatureCollection is required")
    elif not isinstance(collection.get("features"), list) or not collection["features"]:
        problems.append("featureCollection.features: at least one feature is required")
    else:
        features = collection["features"]
        if len(features) > MAX_FEATURES:
            problems.append(f"featureCollection.features: at most {MAX_FEATURES} features per request")
    tags = body.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        problems.append("tags: a list of non-empty strings is expected")
    display_name = body.get("displayName", "")
    if not isinstance(display_name, str):
        problems.append("displayName: a string is expected")
    if problems:
        raise Up42Error(400, "Order parameters errors", problems)
    item = data.collection_by_product(str(product))
    if item is None:
        raise Up42Error(404, f"Data product with id {product} not found")
    assert isinstance(params, dict)
    return item, params, features, list(tags), str(display_name)


def check(body: Any, now: datetime) -> Checked:
    """Validate an estimate or order request; raises ``Up42Error`` for request-wide problems."""
    item, params, features, tags, display_name = _shape_checks(body)
    key = item.geometry_key
    if key in params or "aoi" in params or "geometry" in params:
        raise Up42Error(
            400,
            "Order parameters errors",
            [f"params.{key}: in v2 orders the geometry goes in featureCollection, not in params"],
        )
    display_name = display_name or str(params.get("displayName") or f"{item.title} order")
    candidate = dict(params)
    if item.type == "TASKING":
        candidate.setdefault("displayName", display_name)
    validator = jsonschema.Draft7Validator(data.product_schema(item))
    placeholder = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    general = [
        e
        for e in validator.iter_errors({**candidate, key: placeholder})
        if not (e.absolute_path and e.absolute_path[0] == key)
    ]
    problems = _schema_messages(general)
    result = Checked(item, params, display_name, tags)
    if item.type == "TASKING" and not problems:
        start, end = _parse_time(params.get("acquisitionStart")), _parse_time(params.get("acquisitionEnd"))
        if start is None or end is None:
            problems.append("acquisitionStart/acquisitionEnd: RFC 3339 date-times with a time zone are required")
        elif end <= start:
            problems.append("acquisitionEnd: must be after acquisitionStart")
        elif end <= now:
            problems.append("acquisitionEnd: the acquisition window has already ended")
    if item.type == "ARCHIVE" and not problems:
        capture = catalog.get(str(params["id"]))
        if capture is None or capture.constellation != item.constellation:
            problems.append(f"id: image {params['id']} not found in collection {item.name}")
        result.capture = capture
    if problems:
        raise Up42Error(400, "Order parameters errors", problems)
    for index, feature in enumerate(features):
        _check_feature(result, validator, candidate, index, feature)
    return result


def _feature_error(result: Checked, index: int, message: str, details: str) -> None:
    result.errors.append({"index": index, "message": message, "details": details})


def _check_feature(
    result: Checked, validator: jsonschema.Draft7Validator, candidate: dict[str, Any], index: int, feature: Any
) -> None:
    item = result.collection
    is_feature = isinstance(feature, dict) and feature.get("type") == "Feature"
    if not (is_feature and isinstance(feature.get("geometry"), dict)):
        _feature_error(result, index, "Invalid feature", "a GeoJSON Feature with a geometry is expected")
        return
    geometry = feature["geometry"]
    schema_errors = _schema_messages(list(validator.iter_errors({**candidate, item.geometry_key: geometry})))
    if schema_errors:
        _feature_error(result, index, "Invalid geometry", "; ".join(schema_errors))
        return
    try:
        aoi = geo.parse_polygonal(geometry)
    except geo.GeometryError as exc:
        _feature_error(result, index, "Invalid geometry", str(exc))
        return
    if geo.vertex_count(aoi) > MAX_VERTICES:
        _feature_error(
            result,
            index,
            "Invalid geometry",
            f"the geometry has {geo.vertex_count(aoi)} vertices; at most {MAX_VERTICES} are allowed",
        )
        return
    if result.capture is not None:
        footprint = shape(result.capture.footprint)
        aoi = geo.polygonal_part(aoi.intersection(footprint))
        if aoi.is_empty or geo.area_km2(aoi) <= 0:
            _feature_error(
                result,
                index,
                "Invalid geometry",
                f"the geometry does not intersect the footprint of image {result.capture.id}",
            )
            return
    area = geo.area_km2(aoi)
    credits = max(1, math.ceil(area * item.credits_per_km2))
    result.items.append(Item(index, geometry, aoi, area, credits))
