"""Delivered STAC items -> :class:`core.models.Asset`, shared by adapters whose deliveries
are STAC (Geopera ``orders.list_assets``, UP42 ``/v2/assets/stac``).

One :class:`Asset` per item asset, carrying the item's provenance: the order it came
from, the capture date, the product (collection), the bbox, and any provenance or
lineage properties and links, kept in ``extra`` for the layer metadata.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from typing import Any, Optional, TypeVar

from ..core.errors import OperationCancelled
from ..core.models import Asset, Capture, SearchQuery
from .wire import as_datetime, as_float, as_list, pick

C = TypeVar("C")
#: Largest page both UP42 (its catalog search takes ``limit`` up to 500) and Geopera
#: (``CatalogSearchInput.limit``, 1..500) accept.
MAX_PAGE = 500


def utc_text(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, as STAC ``datetime`` intervals are written."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def search_body(query: SearchQuery, limit: int) -> dict[str, Any]:
    """A STAC item-search body (STAC API v1.0.0 ``searchBody``): ``intersects``, a closed
    ``datetime`` interval, ``limit`` (1..500), ``collections``, and the cloud filter in the
    shape UP42 documents and Geopera's ``CloudQuery`` declares: ``query.cloudCoverage.LTE``."""
    body: dict[str, Any] = {
        "intersects": dict(query.geometry),
        "datetime": f"{utc_text(query.start)}/{utc_text(query.end)}",
        "limit": max(1, min(limit, MAX_PAGE)),
    }
    if query.collections:
        body["collections"] = list(query.collections)
    if query.max_cloud is not None:
        body["query"] = {"cloudCoverage": {"LTE": query.max_cloud}}
    return body


def within(captures: Iterable[Capture], query: SearchQuery) -> Iterator[Capture]:
    """The captures passing the incidence filter (which neither API takes), up to ``query.limit``."""
    seen = 0
    for capture in captures:
        if query.max_incidence is not None and (capture.incidence_angle or 0) > query.max_incidence:
            continue
        yield capture
        seen += 1
        if query.limit is not None and seen >= query.limit:
            return


def _pages(
    fetch: Callable[[Optional[C]], tuple[list[Capture], Optional[C]]], cancelled: Callable[[], bool]
) -> Iterator[Capture]:
    cursor: Optional[C] = None
    while True:
        if cancelled():
            raise OperationCancelled()
        captures, cursor = fetch(cursor)
        yield from captures
        if not captures or cursor is None:
            return


def paged(
    fetch: Callable[[Optional[C]], tuple[list[Capture], Optional[C]]],
    query: SearchQuery,
    cancelled: Callable[[], bool],
) -> Iterator[Capture]:
    """Captures page after page: ``fetch(cursor)`` returns one page and the cursor of the
    next (None: last page; the first call gets None). Stops at ``query.limit`` (asking for
    no further page), on an empty page, and raises :class:`OperationCancelled` between
    pages once ``cancelled()``."""
    return within(_pages(fetch, cancelled), query)


#: Property names that carry the order an item was delivered for.
ORDER_KEYS = ("order_id", "orderId", "geopera:order_id", "provenance:order_id", "up42-order:order_id")
#: Link relations that point back to an order or a source (provenance edges).
PROVENANCE_RELS = ("derived_from", "via", "order", "provenance")


def provenance(feature: Mapping[str, Any], properties: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in properties.items():
        if key in ORDER_KEYS or "provenance" in key or "lineage" in key or key.startswith("geopera:"):
            found[key] = value
    for link in as_list(feature.get("links")):
        if isinstance(link, Mapping) and link.get("rel") in PROVENANCE_RELS:
            found.setdefault("links", []).append({"rel": link.get("rel"), "href": link.get("href")})
    return found


def order_of(properties: Mapping[str, Any], fallback: str) -> str:
    value = pick(properties, *ORDER_KEYS)
    nested = properties.get("provenance")
    if value is None and isinstance(nested, Mapping):
        value = pick(nested, "order_id", "orderId")
    return str(value) if value else fallback


def checksum_of(asset: Mapping[str, Any]) -> Optional[str]:
    """``"<algorithm>:<hex>"`` from ``checksum`` or the STAC file extension's multihash."""
    value = pick(asset, "checksum", "file:checksum")
    if not isinstance(value, str) or not value:
        return None
    if ":" in value:
        return value
    if value.startswith("1220") and len(value) == 68:  # multihash sha2-256
        return f"sha256:{value[4:]}"
    return f"sha256:{value}" if len(value) == 64 else None


def bbox_of(value: Any) -> Optional[tuple[float, float, float, float]]:
    """A STAC bbox (2D or 3D) as (west, south, east, north); None unless finite numbers."""
    if not isinstance(value, list) or len(value) not in (4, 6):
        return None
    numbers = [as_float(v) if isinstance(v, (int, float)) else None for v in value]
    corners = [n for n in numbers if n is not None]
    if len(corners) != len(value):
        return None
    if len(corners) == 6:
        return (corners[0], corners[1], corners[3], corners[4])
    return (corners[0], corners[1], corners[2], corners[3])


def stac_assets(
    features: Iterable[Any],
    provider: str,
    order_id: str,
    *,
    needs_auth: Callable[[str], bool],
    streamable: Callable[[str, str], bool] = lambda href, media_type: "cloud-optimized" in media_type,
) -> list[Asset]:
    """Assets of STAC items; items or assets without an ``href`` are skipped."""
    found = []
    for feature in features:
        if not isinstance(feature, Mapping) or not isinstance(feature.get("assets"), Mapping):
            continue
        raw_properties = feature.get("properties")
        properties: Mapping[str, Any] = raw_properties if isinstance(raw_properties, Mapping) else {}
        item_id = str(feature.get("id") or "")
        for key, asset in feature["assets"].items():
            if not isinstance(asset, Mapping) or not isinstance(asset.get("href"), str):
                continue
            href = str(asset["href"])
            media_type = str(asset.get("type") or "")
            size = pick(asset, "file:size", "size")
            product = pick(properties, "collection_name", "product") or feature.get("collection")
            found.append(
                Asset(
                    provider=provider,
                    order_id=order_of(properties, order_id),
                    id=f"{item_id}/{key}" if item_id else str(key),
                    title=str(asset.get("title") or properties.get("title") or key),
                    href=href,
                    media_type=media_type,
                    size=size if isinstance(size, int) and not isinstance(size, bool) else None,
                    checksum=checksum_of(asset),
                    roles=tuple(str(r) for r in as_list(asset.get("roles"))),
                    acquired=as_datetime(pick(properties, "datetime", "start_datetime")),
                    product=str(product) if product else None,
                    bbox=bbox_of(feature.get("bbox")),
                    needs_auth=needs_auth(href),
                    streamable=streamable(href, media_type),
                    attribution=str(pick(properties, "attribution", "license") or ""),
                    extra={"item_id": item_id, "asset_key": key, **provenance(feature, properties)},
                )
            )
    return found
