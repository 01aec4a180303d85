"""Airbus OneAtlas Living Library wire format: product options, bodies, parsing.

Sources: the OneAtlas Data Guide (order kinds, product types, image formats, CRS,
radiometric processing, statuses ``error, delivered, ordered, rejected``, the price and
order answers), and the Living Library OpenAPI (Airbus's file, known only through a third-party
mirror). Where they disagree:

- ``kind``: the spec's pattern is ``order.product``; the guide's text says
  ``order.data.product`` while its own Python example and the payload echoed in its order
  answer say ``order.product``. Nadir sends ``order.product`` (valid for the spec and seen
  in Airbus's answers) unless the spec's ``options["kind"]`` says otherwise.
- orders list: the spec says a bare array, the guide shows ``{startIndex, totalResults,
  itemsPerPage, items}``; both are read.
- AOI: the spec's prices schema accepts only a ``MultiPolygon`` AOI, its orders schema a
  ``Polygon`` or ``MultiPolygon``, and the guide wants the same body for both: Nadir
  always sends a ``MultiPolygon``.
- tags: the spec allows ``tags`` (letters only, ``^[a-zA-Z]+$``) on orders and a
  ``tags`` filter on the list: Nadir's client reference is encoded as letters there.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Optional

from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from ...core import errors
from ...core.models import (
    ArchiveSpec,
    Asset,
    Capture,
    Estimate,
    EstimateLine,
    GeoJSON,
    ItemError,
    Lifecycle,
    Money,
    Order,
    OrderKind,
)
from ..wire import (
    as_datetime,
    as_decimal,
    as_float,
    as_geometry,
    as_int,
    as_list,
    as_map,
    bounds,
    geojson,
    readable_geometry,
)

PRODUCT_TYPES = ("bundle", "pansharpened", "panchromatic", "multiSpectral", "bundle-fs", "pansharpened-fs")
NEO_ONLY = ("bundle-fs", "pansharpened-fs")
RADIOMETRIC = ("BASIC16", "REFLECTANCE", "DISPLAY")
IMAGE_FORMATS = ("image/jp2", "image/geotiff")
DEFAULT_KIND = "order.product"
MIN_AOI_KM2 = 0.1
CURRENCY = "credits"

STATUSES: Mapping[str, Lifecycle] = {
    "ordered": Lifecycle.PENDING,
    "processing": Lifecycle.IN_PROGRESS,
    "delivered": Lifecycle.COMPLETED,
    "error": Lifecycle.FAILED,
    "rejected": Lifecycle.FAILED,
    "canceled": Lifecycle.CANCELLED,
    "cancelled": Lifecycle.CANCELLED,
}


def lifecycle(raw: str) -> Lifecycle:
    return STATUSES.get(raw.strip().lower(), Lifecycle.UNKNOWN)


def reference_tag(reference: str) -> str:
    """Nadir's client reference as an order tag: letters only (the spec's ``^[a-zA-Z]+$``)."""
    digest = hashlib.sha256(reference.encode("utf-8")).hexdigest()[:32]
    return "nadir" + digest.translate(str.maketrans("0123456789abcdef", "abcdefghijklmnop"))


# --------------------------------------------------------------------------- geometry
_RADIUS_M = 6_371_007.2  # authalic radius of WGS84


def _ring_area(coords: Sequence[Sequence[float]]) -> float:
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(coords, coords[1:]):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total) * _RADIUS_M**2 / 2.0


def area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area on the authalic sphere (within ~0.5 % of the ellipsoid)."""
    polygons = getattr(geometry, "geoms", [geometry])
    metres = 0.0
    for polygon in polygons:
        if polygon.geom_type != "Polygon":
            continue
        metres += _ring_area([c[:2] for c in polygon.exterior.coords])
        metres -= sum(_ring_area([c[:2] for c in ring.coords]) for ring in polygon.interiors)
    return metres / 1e6


def crs_code(value: Any) -> str:
    text = str(value or "EPSG:4326").strip()
    if text.startswith("urn:ogc:def:crs:EPSG::"):
        code = text.rsplit(":", 1)[1]
    else:
        code = text.upper().replace("EPSG:", "")
    if not code.isdigit() or not (code == "4326" or (code[:3] in ("326", "327") and 1 <= int(code[3:] or 0) <= 60)):
        raise errors.InputError(
            f"OneAtlas delivers in EPSG:4326 or a WGS 84 UTM zone (EPSG:32601-32660, 32701-32760), not {text}."
        )
    return f"urn:ogc:def:crs:EPSG::{code}"


# --------------------------------------------------------------------------- bodies
def order_body(spec: ArchiveSpec, reference: Optional[str] = None) -> dict[str, Any]:
    """The body of both ``/api/v1/prices`` and ``/api/v1/orders`` (guide: the same body)."""
    options = dict(spec.options)
    product_type = str(options.get("productType", "pansharpened"))
    radiometric = str(options.get("radiometricProcessing", "DISPLAY"))
    image_format = str(options.get("imageFormat", "image/geotiff"))
    if product_type not in PRODUCT_TYPES:
        raise errors.InputError(
            f"OneAtlas product type must be one of {', '.join(PRODUCT_TYPES)}, not {product_type!r}."
        )
    if radiometric not in RADIOMETRIC:
        raise errors.InputError(
            f"OneAtlas radiometric processing must be one of {', '.join(RADIOMETRIC)}, not {radiometric!r}."
        )
    if image_format not in IMAGE_FORMATS:
        raise errors.InputError(f"OneAtlas image format must be image/jp2 or image/geotiff, not {image_format!r}.")
    crs = crs_code(options.get("crsCode"))
    neo_type = str(options.get("productTypeNeo") or "")  # mixed orders: the Pleiades Neo captures' type
    if neo_type and neo_type not in NEO_ONLY:
        raise errors.InputError(
            f"The OneAtlas product type for Pleiades Neo must be bundle-fs or pansharpened-fs, not {neo_type!r}."
        )
    products = []
    for capture in spec.captures:
        neo = capture.collection.upper() in ("PNEO", "PLEIADESNEO", "PLEIADES NEO")
        product_type = neo_type if neo and neo_type else str(options.get("productType", "pansharpened"))
        if capture.collection and (product_type in NEO_ONLY) != neo:
            raise errors.InputError(
                f"The OneAtlas product type {product_type} is for "
                f"{'Pleiades Neo' if product_type in NEO_ONLY else 'SPOT and Pleiades'} images; capture "
                f"{capture.id} is {capture.collection}. Use "
                f"{'bundle-fs or pansharpened-fs' if neo else 'bundle, pansharpened, panchromatic or multiSpectral'}."
            )
        if neo and radiometric == "BASIC16":
            raise errors.InputError(f"BASIC16 radiometric processing is not offered for Pleiades Neo ({capture.id}).")
        geometry = shape(capture.geometry)
        if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
            raise errors.InputError(f"The area to buy of capture {capture.id} must be a polygon.")
        area = area_km2(geometry)
        if area < MIN_AOI_KM2 * 0.995:
            raise errors.InputError(
                f"The area to buy of capture {capture.id} is {area:.3f} km²; OneAtlas needs at least "
                f"{MIN_AOI_KM2} km² for every product. Enlarge the AOI."
            )
        if isinstance(geometry, Polygon):  # the spec's prices schema takes MultiPolygon AOIs only
            geometry = MultiPolygon([geometry])
        products.append(
            {
                "id": capture.id,
                "aoi": geojson(geometry),
                "productType": product_type,
                "radiometricProcessing": radiometric,
                "imageFormat": image_format,
                "crsCode": crs,
            }
        )
    body: dict[str, Any] = {"kind": str(options.get("kind", DEFAULT_KIND)), "products": products}
    if reference:
        body["tags"] = [reference_tag(reference)]
    return body


def explain_rejection(exc: errors.ProviderError) -> errors.ProviderError:
    """Add what the guide says to the server's terse messages (area, subscription)."""
    text = exc.message.lower()
    hint = ""
    if "aoi" in text or "area" in text or "km" in text:
        hint = f" OneAtlas needs an area of at least {MIN_AOI_KM2} km² per product (OneAtlas Data guide)."
    elif "subscription" in text or "balance" in text:
        hint = " Check that your OneAtlas contract has a Living Library subscription with enough balance."
    if hint and not isinstance(exc, errors.ProviderAuthError):
        exc.message = exc.message + hint
        exc.args = (exc.message,)
    return exc


# --------------------------------------------------------------------------- parsing
def estimate(body: Any, received_at: datetime) -> Optional[Estimate]:
    if not isinstance(body, Mapping):
        return None
    price = as_map(body.get("price"))
    total = as_decimal(price.get("credits")) if price else as_decimal(body.get("price"))  # a bare "100" too
    if total is None:
        total = as_decimal(price.get("amount")) if price else None
    if total is None:
        return None
    unit = str(price.get("amountUnit") or "")
    lines = []
    for delivery in as_list(body.get("deliveries")):
        if not isinstance(delivery, Mapping):
            continue
        datas = as_map(delivery.get("datas"))
        amount = as_decimal(delivery.get("amount"))
        label = str(datas.get("sourceId") or delivery.get("id") or "product")
        lines.append(
            EstimateLine(
                label=f"{label} ({unit})" if unit else label,
                price=Money(amount=amount, currency=CURRENCY) if amount is not None else None,
                area_km2=as_float(delivery.get("areaKm2")),
                items=(str(delivery.get("id") or datas.get("id") or ""),),
            )
        )
    problems = []
    orderable = body.get("orderable")
    if isinstance(orderable, str) and orderable.lower() not in ("orderable", "true", "ok", ""):
        problems.append(ItemError(item="order", message=f"OneAtlas says: {orderable}"))
    area = as_float(price.get("areaKm2"))
    return Estimate(
        provider="oneatlas",
        total=Money(amount=total, currency=CURRENCY),
        lines=tuple(lines),
        errors=tuple(problems),
        area_km2=area,
        billable_area_km2=area,
        received_at=received_at,
    )


def order(data: Any) -> Optional[Order]:
    if not isinstance(data, Mapping) or not data.get("id"):
        return None
    raw = str(data.get("status") or "")
    payload = as_map(data.get("payload"))
    products = [p for p in as_list(payload.get("products")) if isinstance(p, Mapping)]
    aois = [p["aoi"] for p in products if isinstance(p.get("aoi"), Mapping)]
    aoi: Optional[GeoJSON] = None
    if len(aois) == 1:
        aoi = dict(aois[0])
    elif aois:
        aoi = {"type": "GeometryCollection", "geometries": [dict(a) for a in aois]}
    amount = as_decimal(data.get("price", data.get("amount")))
    tags = [str(t) for t in as_list(data.get("tags")) or as_list(payload.get("tags"))]
    first = products[0] if products else {}
    return Order(
        provider="oneatlas",
        id=str(data["id"]),
        kind=OrderKind.ARCHIVE,
        status=lifecycle(raw) if raw else Lifecycle.UNKNOWN,
        raw_status=raw,
        title=f"{first.get('productType', 'product')} x{len(products)}" if products else str(data.get("kind", "")),
        client_reference=next((t for t in tags if t.startswith("nadir")), None),
        created_at=as_datetime(data.get("createdAt")),
        updated_at=as_datetime(data.get("updatedAt")),
        price=Money(amount=amount, currency=CURRENCY) if amount is not None else None,
        aoi=aoi,
        product=str(first.get("productType")) if first.get("productType") else None,
        extra={
            k: data[k]
            for k in ("kind", "amountUnit", "contractId", "isAmountEstimated", "estimatedAmount")
            if data.get(k) is not None
        }
        | {"tags": tags, "deliveries": as_list(data.get("deliveries"))},
    )


def orders_page(body: Any) -> tuple[list[Order], Optional[int]]:
    """Orders of one list page and the total when the server says it."""
    if isinstance(body, Mapping):
        items = as_list(body.get("items"))
        total = as_int(body.get("totalResults"))
    else:
        items, total = as_list(body), None
    found = [o for o in (order(item) for item in items) if o is not None]
    return found, total


def _href(links: Any, name: str) -> Optional[str]:
    if isinstance(links, Mapping) and isinstance(links.get(name), Mapping):
        href = links[name].get("href")
        return str(href) if href else None
    return None


def capture(feature: Any) -> Optional[Capture]:
    if not isinstance(feature, Mapping):
        return None
    props = as_map(feature.get("properties"))
    ident = props.get("id") or feature.get("id")
    geometry = feature.get("geometry")
    if not ident or not isinstance(geometry, Mapping) or not readable_geometry(geometry):
        return None
    keep = (
        "acquisitionIdentifier",
        "sourceIdentifier",
        "platform",
        "processingLevel",
        "productType",
        "workspaceName",
        "snowCover",
        "azimuthAngle",
        "illuminationElevationAngle",
        "archiveIdentifier",
    )
    return Capture(
        provider="oneatlas",
        id=str(ident),
        collection=str(props.get("constellation") or ""),
        constellation=str(props.get("platform") or props.get("constellation") or ""),
        acquired=as_datetime(props.get("acquisitionDate")),
        footprint=dict(geometry),
        cloud_cover=as_float(props.get("cloudCover")),
        incidence_angle=as_float(props.get("incidenceAngle")),
        gsd=as_float(props.get("resolution")),
        quicklook_url=_href(feature.get("_links"), "quicklook"),
        properties={k: props[k] for k in keep if props.get(k) is not None},
    )


def assets(order_value: Order, access_url: str) -> list[Asset]:
    """Delivered products of an order with a download link (zip archives)."""
    result = []
    for delivery in order_value.extra.get("deliveries", []):
        if not isinstance(delivery, Mapping) or str(delivery.get("status", "")).lower() != "delivered":
            continue
        links = delivery.get("_links")
        datas = as_map(delivery.get("datas"))
        href = _href(links, "download")
        if href is None:
            item = _href(links, "catalogItem")
            item_id = item.rsplit("id=", 1)[-1] if item and "id=" in item else None
            href = f"{access_url}/api/v1/items/{item_id}/download" if item_id else None
        if href is None:
            continue
        aoi = as_geometry(datas.get("aoi"))
        bbox = bounds(aoi) if aoi is not None and not aoi.is_empty else None
        result.append(
            Asset(
                provider="oneatlas",
                order_id=order_value.id,
                id=str(delivery.get("id") or href),
                href=href,
                title=f"{datas.get('sourceId') or delivery.get('id')} {datas.get('productType', '')}".strip(),
                media_type="application/zip",
                roles=("data",),
                product=str(datas.get("productType") or "") or None,
                acquired=None,
                bbox=bbox,
                needs_auth=True,
                attribution="© Airbus DS",
                extra={
                    "imageFormat": datas.get("imageFormat"),
                    "sourceId": datas.get("sourceId"),
                    "sensor": datas.get("sensor"),
                    "deliveredAt": delivery.get("deliveredAt"),
                },
            )
        )
    return result
