"""Geopera ``catalog.search`` and ``catalog.search_stream``, backed by ``sandbox.catalog``.

``catalog.search`` (Geopera's guide "Ordering archive imagery", step 1;
``CatalogSearchInput``): ``host_name`` (required), one of ``collections`` / ``ids``, a
spatial filter (``bbox`` or ``intersects``; not needed with ``ids``), ``datetime`` (instant
or range), ``query``, ``limit`` 1..500 (default 100). The answer is a STAC ItemCollection
(checked against the STAC API itemcollection schema by the tests) of STAC 1.0.0 items,
"price-enriched" with ``geopera:price``. The spec does not name the response field of the
``next`` token, so it is sent twice, as the top-level ``next`` and as ``links[rel=next]``
with ``method: POST``, ``body: {"next": …}``, ``merge: true`` (STAC API item-search paging
for POST); the client sends the same body again with ``next`` set. A token only works with
the body it came from.

``query``: the spec's shape (``CloudQuery``: ``{prop: {GT|GTE|LT|LTE: number}}``, described
as ``query.cloudCoverage``) and the ordering guide's (``{"eo:cloud_cover": {"lte": 20}}``)
disagree; both property names and both operator cases are accepted, other properties are
a 422. ``full_catalog`` is accepted and has no effect (one sandbox catalog).

``catalog.search_stream``: the same input with ``host_name`` optional (without it every
host with imagery is searched, host by host); NDJSON, one STAC item per line, streamed
as the catalog yields them; ``limit`` caps the whole stream (default 1000).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from shapely.geometry import shape

from .. import catalog, geo
from ..clock import iso
from ..searching import COMPARE, SearchError, parse_datetime_range, search_geometry
from . import data
from .errors import Invalid, Problem
from .ops import Call
from .schemas import STREAM_LIMIT_DEFAULT

CLOUD_PROPERTIES = ("cloudCoverage", "eo:cloud_cover")
EXTENSIONS = [
    "https://stac-extensions.github.io/eo/v1.1.0/schema.json",
    "https://stac-extensions.github.io/view/v1.0.0/schema.json",
    "https://stac-extensions.github.io/processing/v1.1.0/schema.json",
]


def _invalid(field: str, message: str) -> Invalid:
    return Invalid([{"loc": ["body", field], "msg": message, "type": "value_error"}])


def item(request: Request, capture: Any, host: str, collection: data.Collection) -> dict[str, Any]:
    """One capture as a STAC 1.0.0 item with Geopera's price."""
    footprint = shape(capture.footprint)
    rate = collection.credits_per_km2
    price = None
    if rate is not None:
        scene_km2 = geo.area_km2(footprint)
        price = {
            "currency": "AUD",
            "credits_per_km2": rate,
            "aud_per_km2": round(rate / 100, 2),
            "scene_km2": round(scene_km2, 2),
            "scene_credits": math.ceil(scene_km2 * rate),
        }
    base = f"{request.url.scheme}://{request.url.netloc}/geopera"
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "stac_extensions": EXTENSIONS,
        "id": capture.id,
        "collection": collection.id,
        "geometry": capture.footprint,
        "bbox": list(capture.bbox),
        "properties": {
            "datetime": iso(capture.datetime),
            "platform": capture.platform,
            "constellation": capture.constellation,
            "gsd": round(capture.gsd, 2),
            "eo:cloud_cover": round(capture.cloud_cover, 2),
            "view:incidence_angle": round(capture.incidence_angle, 2),
            "view:sun_elevation": round(capture.sun_elevation, 2),
            "view:sun_azimuth": round(getattr(capture, "sun_azimuth", 180.0), 2),
            "processing:level": capture.processing_level,
            "geopera:host": host,
            "geopera:orderable": rate is not None,
            "geopera:price": price,
        },
        "links": [],
        "assets": {
            "thumbnail": {
                "href": f"{base}/v1/catalog/quicklook/{capture.id}",
                "type": "image/png",
                "title": "Quicklook",
                "roles": ["thumbnail"],
            },
        },
    }


def _cloud_filters(query: Any) -> list[tuple[str, float]]:
    filters: list[tuple[str, float]] = []
    for name, condition in (query or {}).items():
        if name not in CLOUD_PROPERTIES:
            raise _invalid("query", f"unsupported query property {name!r}; supported: {', '.join(CLOUD_PROPERTIES)}")
        if not isinstance(condition, dict) or not condition:
            raise _invalid("query", f"query.{name} must be an object {{GT|GTE|LT|LTE: number}}")
        for op, value in condition.items():
            if op.lower() not in COMPARE or op.lower() == "eq" or not isinstance(value, (int, float)):
                raise _invalid("query", f"query.{name}: operator {op!r} with a number expected (GT, GTE, LT, LTE)")
            filters.append((op.lower(), float(value)))
    return filters


class Search:
    """A validated search over one or more hosts."""

    def __init__(self, call: Call, *, stream: bool) -> None:
        body = call.body
        host = body.get("host_name")
        if host is not None and host not in data.HOSTS:
            raise Problem(404, f"unknown host_name {host!r}; known: {', '.join(data.HOSTS)}")
        hosts = [host] if host else [h for h, c in data.HOSTS.items() if c]
        self.collections: list[tuple[str, data.Collection]] = [(h, c) for h in hosts for c in data.HOSTS[h]]
        names = body.get("collections")
        if names is not None:
            known = {c.id for _, c in self.collections}
            unknown = [n for n in names if n not in known]
            if unknown:
                raise _invalid(
                    "collections",
                    f"{', '.join(unknown)} not served by {host or 'any host'}; "
                    f"available: {', '.join(sorted(known)) or 'none'}",
                )
            self.collections = [(h, c) for h, c in self.collections if c.id in names]
        self.ids = body.get("ids")
        if not stream and names is None and self.ids is None:
            raise _invalid("collections", "give collections or ids (ordering guide: 'one of collections / ids')")
        now = call.geopera.ctx.clock.now()
        try:
            self.geometry = search_geometry(body)
            self.start, self.end = parse_datetime_range(body.get("datetime"), now)
        except SearchError as exc:
            field = "datetime" if str(exc).startswith("datetime") else "bbox" if "bbox" in str(exc) else "intersects"
            raise _invalid(field, str(exc)) from None
        if self.geometry is None and self.ids is None:
            raise _invalid("bbox", "a spatial filter is required: bbox or intersects (or ids)")
        self.clouds = _cloud_filters(body.get("query"))
        self.now = now
        self.request = call.request

    def captures(self, host: str, collections: list[data.Collection]) -> Iterator[dict[str, Any]]:
        by_constellation = {c.constellation: c for c in collections}
        if not by_constellation:
            return
        max_cloud = min((v for op, v in self.clouds if op in ("lt", "lte")), default=None)
        for capture in catalog.search(
            list(by_constellation), self.geometry, self.start, self.end, max_cloud=max_cloud, ids=self.ids, now=self.now
        ):
            if all(COMPARE[op](capture.cloud_cover, value) for op, value in self.clouds):
                yield item(self.request, capture, host, by_constellation[capture.constellation])

    def per_host(self) -> Iterator[dict[str, Any]]:
        hosts = list(dict.fromkeys(h for h, _ in self.collections))
        for host in hosts:
            yield from self.captures(host, [c for h, c in self.collections if h == host])


def _token(offset: int, digest: str) -> str:
    raw = json.dumps({"offset": offset, "search": digest}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _offset(token: str, digest: str) -> int:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset = int(decoded["offset"])
    except (ValueError, KeyError, TypeError):
        raise _invalid("next", "not a next token issued by this server") from None
    if decoded.get("search") != digest or offset < 0:
        raise _invalid("next", "the next token belongs to another search: send the same body with it")
    return offset


def search(call: Call) -> dict[str, Any]:
    query = Search(call, stream=False)
    body = call.body
    limit = int(body.get("limit", 100))
    digest = hashlib.sha256(
        json.dumps({k: v for k, v in body.items() if k != "next"}, sort_keys=True).encode()
    ).hexdigest()[:16]
    offset = _offset(str(body["next"]), digest) if body.get("next") else 0
    features: list[dict[str, Any]] = []
    more = False
    for index, feature in enumerate(query.per_host()):
        if index < offset:
            continue
        if len(features) == limit:
            more = True
            break
        features.append(feature)
    href = f"{call.request.url.scheme}://{call.request.url.netloc}/geopera/v1/op/catalog.search"
    token = _token(offset + limit, digest) if more else None
    links: list[dict[str, Any]] = [{"rel": "self", "href": href, "type": "application/geo+json", "method": "POST"}]
    if token:
        links.append(
            {
                "rel": "next",
                "href": href,
                "type": "application/geo+json",
                "method": "POST",
                "body": {"next": token},
                "merge": True,
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "links": links,
        "numberReturned": len(features),
        "next": token,
    }


def search_stream(call: Call) -> Response:
    query = Search(call, stream=True)
    limit = int(call.body.get("limit") or STREAM_LIMIT_DEFAULT)

    def lines() -> Iterator[bytes]:
        for count, feature in enumerate(query.per_host()):
            if count >= limit:
                break
            yield json.dumps(feature, separators=(",", ":")).encode() + b"\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


def quicklook(request: Request, capture_id: str) -> Response:
    capture = catalog.get(capture_id)
    if capture is None or data.collection_of(capture.constellation) is None:
        raise Problem(404, f"capture {capture_id} not found")
    return Response(
        catalog.quicklook_png(capture.id), media_type="image/png", headers={"Cache-Control": "private, max-age=86400"}
    )
