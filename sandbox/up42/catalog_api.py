"""UP42 catalog search and quicklooks, backed by ``sandbox.catalog`` (mounted at
``/up42/catalog``; errors in the ``{data, error}`` envelope, as the SDK's glossary tests show).

``POST /hosts/{hostName}/stac/search`` (as the SDK calls it): ``bbox`` or ``intersects``
(or ``ids``), ``datetime`` (``a/b`` with ``..`` for an open end, or one instant),
``collections``, ``ids``, ``limit`` 1..500 (default 10, the STAC default; UP42 documents
only the maximum), ``query``. Paging (UP42's search page): ``links[rel=next].href`` carries
``?next=<token>`` and the client re-POSTs the same body there. The token is base64 JSON
like the fixture's (``{"providerName":"oneatlas","nextOffset":4}``) plus a hash of the
body, so a token replayed with another body is refused (422). A ``next:`` prefix (the
docs' ``next:{ID}`` form) is accepted too.

``query`` (documents disagree on the operator case: ``LTE`` in sdk-test-payloads.json,
``lte`` in sdk-fixtures/catalog_search_params_simple.json; both are accepted):
``cloudCoverage`` with ``lt|lte|gt|gte|eq`` and ``up42:usageType`` with ``in`` (the
fixture's two properties). Other properties are refused with 422 rather than ignored.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import catalog
from ..clock import iso
from ..httputil import BodyError, read_json
from ..searching import COMPARE, SearchError, parse_datetime_range, search_geometry
from . import data
from .errors import Up42Error
from .service import Up42

FIELDS = ("bbox", "intersects", "datetime", "collections", "ids", "limit", "query")
DEFAULT_LIMIT, MAX_LIMIT = 10, 500
USAGE_TYPES = ("DATA", "ANALYTICS")


def page_token(host: str, offset: int, digest: str) -> str:
    raw = json.dumps({"providerName": host, "nextOffset": offset, "searchHash": digest}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def read_token(token: str, host: str, digest: str) -> int:
    text = token[5:] if token.startswith("next:") else token
    try:
        decoded = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        offset = int(decoded["nextOffset"])
    except (ValueError, KeyError, TypeError):
        raise SearchError("next: not a token this server issued") from None
    if decoded.get("providerName") != host or decoded.get("searchHash") != digest or offset < 0:
        raise SearchError("next: the token belongs to another search; re-POST the same body to the next link")
    return offset


def capture_feature(capture: Any, item: data.Collection) -> dict[str, Any]:
    """One search result, shaped like sdk-fixtures/catalog_search_response.json."""
    when = iso(capture.datetime)
    return {
        "type": "Feature",
        "geometry": capture.footprint,
        "bbox": list(capture.bbox),
        "properties": {
            "id": capture.id,
            "sceneId": capture.id,
            "acquisitionDate": when,
            "datetime": when,
            "start_datetime": None,
            "end_datetime": None,
            "constellation": item.name,
            "collection": item.name,
            "providerName": item.host,
            "producer": "airbus",
            "cloudCoverage": round(capture.cloud_cover, 2),
            "up42:usageType": list(USAGE_TYPES),
            "resolution": round(capture.gsd, 2),
            "deliveryTime": "HOURS",
            "providerProperties": {
                "sourceIdentifier": getattr(capture, "source_identifier", capture.id),
                "acquisitionIdentifier": getattr(capture, "source_identifier", capture.id),
                "platform": capture.platform,
                "incidenceAngle": round(capture.incidence_angle, 2),
                "illuminationElevationAngle": round(capture.sun_elevation, 2),
                "illuminationAzimuthAngle": round(getattr(capture, "sun_azimuth", 180.0), 2),
                "azimuthAngle": round(getattr(capture, "azimuth_angle", 180.0), 2),
                "processingLevel": capture.processing_level,
                "sensorType": "OPTICAL",
                "productType": "mono",
            },
        },
    }


def _query_filters(query: Any) -> tuple[list[tuple[str, float]], list[str] | None]:
    if query is None:
        return [], None
    if not isinstance(query, dict):
        raise SearchError("query: an object {property: {operator: value}} is expected")
    cloud: list[tuple[str, float]] = []
    usage = None
    for name, condition in query.items():
        if not isinstance(condition, dict) or not condition:
            raise SearchError(f"query.{name}: an object {{operator: value}} is expected")
        if name == "cloudCoverage":
            for op, value in condition.items():
                if op.lower() not in COMPARE or not isinstance(value, (int, float)) or isinstance(value, bool):
                    raise SearchError(
                        f"query.cloudCoverage: operator {op!r} with a number expected "
                        f"(operators: {', '.join(COMPARE)}, any case)"
                    )
                cloud.append((op.lower(), float(value)))
        elif name == "up42:usageType":
            values = condition.get("in", condition.get("IN"))
            if set(condition) - {"in", "IN"} or not isinstance(values, list) or not set(values) <= set(USAGE_TYPES):
                raise SearchError(f'query.up42:usageType: {{"in": [...]}} with values from {", ".join(USAGE_TYPES)}')
            usage = list(values)
        else:
            raise SearchError(f"query.{name}: unsupported property; supported: cloudCoverage, up42:usageType")
    return cloud, usage


def _cloud_ok(value: float, filters: list[tuple[str, float]]) -> bool:
    return all(COMPARE[op](value, limit) for op, limit in filters)


def router(up42: Up42) -> APIRouter:
    """Mounted at ``/up42/catalog``."""
    api = APIRouter()

    @api.post("/hosts/{host_name}/stac/search")
    async def search(host_name: str, request: Request) -> dict[str, Any]:
        up42.auth.principal(request)
        served = data.hosts().get(host_name)
        if served is None:
            raise Up42Error(404, f"Host with name {host_name} not found", {"hosts": sorted(data.hosts())})
        try:
            body = await read_json(request)
        except BodyError as exc:
            raise Up42Error(422, "invalid request", str(exc)) from None
        try:
            return await run_in_threadpool(run_search, up42, request, host_name, served, body)
        except SearchError as exc:
            raise Up42Error(422, "invalid request", exc.details or str(exc)) from None

    @api.get("/{host_name}/image/{image_id}/quicklook")
    async def quicklook(host_name: str, image_id: str, request: Request) -> Response:
        up42.auth.principal(request)
        served = data.hosts().get(host_name)
        capture = catalog.get(image_id) if served else None
        if served is None or capture is None or capture.constellation not in {c.constellation for c in served}:
            raise Up42Error(404, f"Image {image_id} not found on host {host_name}")
        png = await run_in_threadpool(catalog.quicklook_png, capture.id)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})

    return api


def run_search(up42: Up42, request: Request, host: str, served: list[data.Collection], body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise SearchError("the body must be a JSON object")
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise SearchError(f"unknown field(s): {', '.join(unknown)}; accepted: {', '.join(FIELDS)}")
    limit = body.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit: an integer from 1 to {MAX_LIMIT} is expected")
    names = body.get("collections")
    by_name = {c.name: c for c in served}
    if names is not None:
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise SearchError("collections: a non-empty list of collection names is expected")
        missing = [n for n in names if n not in by_name]
        if missing:
            raise SearchError(
                f"collections: {', '.join(missing)} not served by host {host}; available: {', '.join(by_name)}"
            )
        chosen = [by_name[n] for n in names]
    else:
        chosen = list(served)
    ids = body.get("ids")
    if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
        raise SearchError("ids: a list of strings is expected")
    geometry = search_geometry(body)
    if geometry is None and ids is None:
        raise SearchError("a spatial filter is required: bbox or intersects (or ids)")
    now = up42.ctx.clock.now()
    start, end = parse_datetime_range(body.get("datetime"), now)
    cloud, _usage = _query_filters(body.get("query"))
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    token = request.query_params.get("next")
    offset = read_token(token, host, digest) if token else 0
    by_constellation = {c.constellation: c for c in chosen}
    max_cloud = min((v for op, v in cloud if op in ("lt", "lte")), default=None)
    found = catalog.search(list(by_constellation), geometry, start, end, max_cloud=max_cloud, ids=ids, now=now)
    features: list[dict[str, Any]] = []
    skipped = 0
    more = False
    for capture in found:
        if not _cloud_ok(capture.cloud_cover, cloud):
            continue
        if skipped < offset:
            skipped += 1
            continue
        if len(features) == limit:
            more = True
            break
        features.append(capture_feature(capture, by_constellation[capture.constellation]))
    base = up42.ctx.external_url(request, f"/up42/catalog/hosts/{host}/stac/search")
    links = [{"rel": "self", "href": base}]
    if more:
        links.append({"rel": "next", "href": f"{base}?next={page_token(host, offset + limit, digest)}"})
    return {"type": "FeatureCollection", "features": features, "links": links}
