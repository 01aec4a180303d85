"""Geopera JSON <-> core models: request bodies, response parsing, status mapping.

No I/O here; :mod:`providers.geopera` sends what these build. Shapes follow Geopera's
OpenAPI v2.1.0 (``sandbox/contract_data/geopera/openapi.json``), its guide "Ordering archive
imagery" and its API reference pages. Many response schemas are free-form in the spec, so
the readers accept the documented names and their obvious spelling variants.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

from ...core.errors import InvalidResponse, PaymentRequired
from ...core.models import (
    ArchiveSpec,
    Asset,
    Capture,
    Estimate,
    EstimateLine,
    ItemError,
    Lifecycle,
    Money,
    Order,
    OrderKind,
    SearchQuery,
)
from .. import stac
from ..stac import stac_assets
from ..up42.models import lifecycle as up42_lifecycle
from ..wire import as_datetime, as_decimal, as_float, as_list, is_geometry, next_link, pick

PROVIDER = "geopera"
AUD = "AUD"
CREDITS = "credits"

# ---------------------------------------------------------------------------- statuses
# The guide shows "processing" and says orders.cancel works only in "cancellable states"
# (the ordering guide); Geopera publishes no full list of statuses. Lower-case values as the
# guide writes them; upper-case UP42 values are read through the UP42 mapping because
# orders.list is "provider-compatible" (UP42-shaped).
_STATUS: Mapping[str, Lifecycle] = {
    "pending": Lifecycle.PENDING,
    "created": Lifecycle.PENDING,
    "received": Lifecycle.PENDING,
    "queued": Lifecycle.PENDING,
    "submitted": Lifecycle.PENDING,
    "requires_action": Lifecycle.AWAITING_DECISION,
    "requires_payment": Lifecycle.AWAITING_DECISION,
    "awaiting_payment": Lifecycle.AWAITING_DECISION,
    "processing": Lifecycle.IN_PROGRESS,
    "in_progress": Lifecycle.IN_PROGRESS,
    "placed": Lifecycle.IN_PROGRESS,
    "ordered": Lifecycle.IN_PROGRESS,
    "accepted": Lifecycle.IN_PROGRESS,
    "reserved": Lifecycle.IN_PROGRESS,
    "fulfilling": Lifecycle.IN_PROGRESS,
    "delivering": Lifecycle.IN_PROGRESS,
    "partially_delivered": Lifecycle.IN_PROGRESS,
    "delivered": Lifecycle.COMPLETED,
    "completed": Lifecycle.COMPLETED,
    "complete": Lifecycle.COMPLETED,
    "fulfilled": Lifecycle.COMPLETED,
    "succeeded": Lifecycle.COMPLETED,
    "done": Lifecycle.COMPLETED,
    "failed": Lifecycle.FAILED,
    "error": Lifecycle.FAILED,
    "rejected": Lifecycle.FAILED,
    "expired": Lifecycle.FAILED,
    "payment_failed": Lifecycle.FAILED,
    "cancelled": Lifecycle.CANCELLED,
    "canceled": Lifecycle.CANCELLED,
    "refunded": Lifecycle.CANCELLED,
    "voided": Lifecycle.CANCELLED,
}


#: Orders Geopera lets ``orders.cancel`` stop. The guide says only "policy-gated (only
#: cancellable states)"; the sandbox's reading is that only ``processing`` orders are
#: (delivery under way or done is a 409). Earlier, pre-processing states are included.
CANCELLABLE = frozenset({"processing", "pending", "created", "received", "queued", "submitted"})


def lifecycle(status: str, sub_status: Optional[str] = None) -> Lifecycle:
    """Common lifecycle of a Geopera status; unknown values map to ``UNKNOWN`` (kept raw)."""
    if not status:
        return Lifecycle.UNKNOWN
    state = _STATUS.get(status.strip().lower().replace("-", "_").replace(" ", "_"))
    if state is not None:
        return state
    return up42_lifecycle(status, sub_status)


# ---------------------------------------------------------------------------- orders
def money(amount: Any, currency: str) -> Optional[Money]:
    value = as_decimal(amount)
    return Money(amount=value, currency=currency) if value is not None else None


def order_price(data: Mapping[str, Any]) -> tuple[Optional[Money], Optional[Money]]:
    """(AUD price, credits price) of an order as the guide's place response shows them."""
    aud = money(pick(data, "totalAud", "total_aud", "priceAud", "amountAud"), AUD)
    credits = money(pick(data, "totalCredits", "total_credits", "credits"), CREDITS)
    return aud, credits


def order_from_json(data: Any, endpoint: str) -> Order:
    """An order from ``orders.get``, ``orders.list``, ``orders.archive.place`` or ``orders.cancel``."""
    if isinstance(data, Mapping) and isinstance(data.get("order"), Mapping):
        data = data["order"]
    order_id = pick(data, "id", "orderId", "order_id") if isinstance(data, Mapping) else None
    if not isinstance(order_id, str) or not order_id:
        raise InvalidResponse(
            "Geopera sent an order without an id. Try again later; if it persists, its API may have changed.",
            provider=PROVIDER,
            endpoint=endpoint,
        )
    assert isinstance(data, Mapping)
    raw_status = str(pick(data, "status", "state") or "")
    sub_status = pick(data, "subStatus", "sub_status")
    aud, credits = order_price(data)
    kind_raw = str(pick(data, "orderType", "order_type", "type") or "archive").lower()
    details = data.get("orderDetails") if isinstance(data.get("orderDetails"), Mapping) else {}
    assert isinstance(details, Mapping)
    aoi = pick(data, "aoi", "geometry") or pick(details, "aoi", "geometry")
    extra: dict[str, Any] = {
        "billing_mode": pick(data, "billingMode", "billing_mode"),
        "project_id": pick(data, "projectId", "project_id", "workspaceId"),
        "captures": capture_ids(data),
        "credits": str(credits.amount) if credits is not None else None,
        "refund": pick(data, "refund", "refundAud", "refund_aud"),
    }
    tags = data.get("tags")
    return Order(
        provider=PROVIDER,
        id=order_id,
        kind=OrderKind.TASKING if kind_raw == "tasking" else OrderKind.ARCHIVE,
        status=lifecycle(raw_status, sub_status if isinstance(sub_status, str) else None),
        raw_status=raw_status,
        sub_status=sub_status if isinstance(sub_status, str) else None,
        title=str(pick(data, "displayName", "display_name", "name", "title") or ""),
        client_reference=reference_of(data, tags),
        created_at=as_datetime(pick(data, "createdAt", "created_at")),
        updated_at=as_datetime(pick(data, "updatedAt", "updated_at")),
        price=aud or credits,
        aoi=dict(aoi) if is_geometry(aoi) else None,
        product=str(pick(data, "dataProductId", "licenseType", "product") or "") or None,
        extra={k: v for k, v in extra.items() if v not in (None, [], "")},
    )


def reference_of(data: Mapping[str, Any], tags: Any) -> Optional[str]:
    value = pick(data, "idempotencyKey", "idempotency_key", "clientReference", "client_reference")
    if isinstance(value, str) and value:
        return value
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, str) and tag.startswith(REFERENCE_TAG_PREFIX):
                return tag[len(REFERENCE_TAG_PREFIX) :]
    return None


def capture_ids(data: Mapping[str, Any]) -> list[str]:
    ids: list[str] = []
    for capture in as_list(data.get("captures")):
        if isinstance(capture, str):
            ids.append(capture)
        elif isinstance(capture, Mapping) and isinstance(capture.get("id"), str):
            ids.append(capture["id"])
    for group in as_list(data.get("groups")):
        if isinstance(group, Mapping):
            ids += [c for c in as_list(group.get("captures")) if isinstance(c, str) and c not in ids]
    return ids


def orders_page(data: Any, endpoint: str) -> tuple[list[Any], Optional[int], Optional[bool]]:
    """(orders, totalPages, last) of an ``orders.list`` answer: a Spring page (``content``,
    ``totalPages``, ``last``: ``orders.list`` is UP42-shaped) or a plain
    ``orders``/``items``/``data`` list."""
    if isinstance(data, list):
        return data, None, None
    if isinstance(data, Mapping):
        for key in ("content", "orders", "items", "data", "results"):
            if isinstance(data.get(key), list):
                total = pick(data, "totalPages", "total_pages")
                last = data.get("last")
                return (
                    list(data[key]),
                    int(total) if isinstance(total, int) else None,
                    last if isinstance(last, bool) else None,
                )
    raise InvalidResponse(
        "Geopera sent an order list Nadir cannot read. Try again later; if it persists, its API may have changed.",
        provider=PROVIDER,
        endpoint=endpoint,
    )


# ---------------------------------------------------------------------------- catalog
def search_body(query: SearchQuery, host: Optional[str], limit: int) -> dict[str, Any]:
    """``CatalogSearchInput`` (openapi.json): a STAC search body and ``host_name``; the
    spec's ``query`` shape is ``{prop: {GT|GTE|LT|LTE}}`` (``CloudQuery``, described as
    ``query.cloudCoverage``). ``host`` may be None only for the multi-vendor stream."""
    body = stac.search_body(query, limit)
    return {"host_name": host, **body} if host else body


def next_token(data: Mapping[str, Any]) -> Optional[str]:
    """The ``next`` token of a search page: top-level ``next`` or ``links[rel=next]``
    (its ``body.next``, or a ``next``/``token`` query parameter of its ``href``)."""
    token = data.get("next")
    if isinstance(token, str) and token:
        return token
    link = next_link(data.get("links"))
    if link is None:
        return None
    body = link.get("body")
    if isinstance(body, Mapping) and isinstance(body.get("next"), str) and body["next"]:
        return str(body["next"])
    href = link.get("href")
    if isinstance(href, str):
        params = parse_qs(urlsplit(href).query)
        for key in ("next", "token"):
            if params.get(key):
                return params[key][0]
    return None


def _quicklook(feature: Mapping[str, Any]) -> Optional[str]:
    assets = feature.get("assets")
    if isinstance(assets, Mapping):
        for key in ("thumbnail", "quicklook", "overview", "preview"):
            asset = assets.get(key)
            if isinstance(asset, Mapping) and isinstance(asset.get("href"), str):
                return str(asset["href"])
    for link in as_list(feature.get("links")):
        if isinstance(link, Mapping) and link.get("rel") in ("thumbnail", "preview") and link.get("href"):
            return str(link["href"])
    return None


def capture_from_feature(feature: Mapping[str, Any], host: Optional[str]) -> Optional[Capture]:
    """A STAC item as a :class:`Capture`; None when it has no id or geometry."""
    properties = feature.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    capture_id = feature.get("id") or properties.get("id")
    geometry = feature.get("geometry")
    if not isinstance(capture_id, str) or not is_geometry(geometry):
        return None
    return Capture(
        provider=PROVIDER,
        id=capture_id,
        collection=str(feature.get("collection") or properties.get("collection") or ""),
        constellation=str(pick(properties, "constellation", "platform") or ""),
        acquired=as_datetime(pick(properties, "datetime", "start_datetime")),
        footprint=dict(geometry),
        cloud_cover=as_float(pick(properties, "eo:cloud_cover", "cloudCoverage", "cloud_cover")),
        incidence_angle=as_float(pick(properties, "view:incidence_angle", "view:off_nadir", "incidenceAngle")),
        gsd=as_float(pick(properties, "gsd", "resolution")),
        quicklook_url=_quicklook(feature),
        host=host or str(pick(properties, "geopera:host", "host_name", "host") or "") or None,
        properties=dict(properties),
    )


def search_page(data: Any, host: str, endpoint: str) -> tuple[list[Capture], Optional[str]]:
    if not isinstance(data, Mapping) or not isinstance(data.get("features", []), list):
        raise InvalidResponse(
            "Geopera sent a catalog page Nadir cannot read: it is not a STAC FeatureCollection.",
            provider=PROVIDER,
            endpoint=endpoint,
        )
    captures = [
        capture
        for feature in as_list(data.get("features"))
        if isinstance(feature, Mapping) and (capture := capture_from_feature(feature, host)) is not None
    ]
    return captures, next_token(data)


def stream_line_features(line: Any) -> list[Mapping[str, Any]]:
    """STAC features carried by one NDJSON line of ``catalog.search_stream``: a Feature, a
    FeatureCollection, or an envelope with ``feature``/``item``/``features`` (Geopera does
    not publish the line format). Progress and status lines carry none."""
    if not isinstance(line, Mapping):
        return []
    if line.get("type") == "Feature":
        return [line]
    for key in ("feature", "item"):
        if isinstance(line.get(key), Mapping):
            return [line[key]]
    features = line.get("features")
    if isinstance(features, list):
        return [f for f in features if isinstance(f, Mapping)]
    return []


# ---------------------------------------------------------------------------- estimate / place
def captures_body(spec: ArchiveSpec) -> list[dict[str, Any]]:
    captures = []
    for capture in spec.captures:
        item: dict[str, Any] = {"id": capture.id, "geometry": dict(capture.geometry)}
        if capture.collection:
            item["collection"] = capture.collection
        if capture.host:
            item["host_name"] = capture.host
        captures.append(item)
    return captures


def estimate_body(spec: ArchiveSpec) -> dict[str, Any]:
    """``ArchiveEstimateInput``: captures (id + geometry) and ``splitByDate``."""
    return {"captures": captures_body(spec), "splitByDate": bool(spec.options.get("split_by_date", False))}


REFERENCE_TAG_PREFIX = "nadir-ref-"


def reference_tag(reference: str) -> str:
    return f"{REFERENCE_TAG_PREFIX}{reference}"


def place_body(spec: ArchiveSpec, reference: str) -> dict[str, Any]:
    """The guide's place body: captures, projectId, licenseType, splitByDate;
    plus ``displayName`` and ``tags``, the fields ``orders.list`` filters on (OrdersListInput),
    so the order can be found by its reference tag as well as replayed by its key."""
    body: dict[str, Any] = {"captures": captures_body(spec), "splitByDate": bool(spec.options.get("split_by_date"))}
    project = spec.options.get("project_id")
    if project:
        body["projectId"] = str(project)
    body["licenseType"] = str(spec.options.get("license_type") or "standard")
    body["displayName"] = str(spec.options.get("display_name") or f"Nadir archive order {reference[:8]}")
    body["tags"] = [reference_tag(reference)]
    return body


def _error_item(error: Any, index: int) -> ItemError:
    if not isinstance(error, Mapping):
        return ItemError(item=f"capture {index}", message=str(error))
    item = pick(error, "id", "capture_id", "captureId", "capture")
    message = pick(error, "message", "detail", "error", "reason") or "cannot be priced"
    return ItemError(item=str(item) if item is not None else f"capture {index}", message=str(message))


#: The largest estimate Nadir believes, in AUD (10 million; 10^9 credits). A Geopera archive
#: order costs a few A$ to about A$60 per km² (the ordering guide prices 12.4 km² at A$42); a cart of
#: 100 captures of 1,000 km² each at A$60/km² is A$6 million. A price above this bound is
#: an error in the answer, not a price anyone is asked to confirm (issue 15).
MAX_PLAUSIBLE_AUD = Decimal(10_000_000)
_CREDITS_PER_AUD = Decimal(100)  # 100 credits = A$1 (the ordering guide)


def _price(
    data: Mapping[str, Any], keys: tuple[str, ...], currency: str, what: str, endpoint: str
) -> Optional[Decimal]:
    """A price field: None when absent; :class:`InvalidResponse` when present but not a
    finite number ("cannot read"), negative, or above :data:`MAX_PLAUSIBLE_AUD`."""
    key = next((k for k in keys if data.get(k) is not None), None)
    if key is None:
        return None
    raw = data[key]
    value = None if isinstance(raw, (Mapping, list)) else as_decimal(raw)
    if value is None or not value.is_finite():
        raise InvalidResponse(
            f"Geopera sent an estimate whose {what} Nadir cannot read ({key}: {str(raw)[:40]!r}). "
            f"The item keeps no price and cannot be placed until it is priced again.",
            provider=PROVIDER,
            endpoint=endpoint,
        )
    in_aud = value if currency == AUD else value / _CREDITS_PER_AUD
    if value < 0 or in_aud > MAX_PLAUSIBLE_AUD:
        reason = "negative" if value < 0 else f"implausible (over {MAX_PLAUSIBLE_AUD:,} AUD)"
        raise InvalidResponse(
            f"Geopera sent an invalid estimate: its {what} of {value} {currency} is {reason}. The price is not used; "
            f"the item cannot be placed with it. Ask for a new estimate, and tell Geopera if it persists.",
            provider=PROVIDER,
            endpoint=endpoint,
        )
    return value


def estimate_from_json(data: Any, endpoint: str) -> Estimate:
    """``ArchiveEstimateOutput``: priced groups, per-capture errors, totals in AUD and credits.

    The total must be readable, not negative and not absurd (:func:`_price`); an estimate
    without one is an :class:`InvalidResponse`, never a price of 0."""
    if not isinstance(data, Mapping) or not isinstance(data.get("groups", []), list):
        raise InvalidResponse(
            "Geopera sent an estimate Nadir cannot read. Try again later; if it persists, its API may have changed.",
            provider=PROVIDER,
            endpoint=endpoint,
        )
    lines = []
    area = 0.0
    for number, group in enumerate(as_list(data.get("groups")), start=1):
        if not isinstance(group, Mapping):
            continue
        items = tuple(str(c if not isinstance(c, Mapping) else c.get("id")) for c in as_list(group.get("captures")))
        group_area = as_float(pick(group, "aoi_km2", "aoiKm2", "area_km2"))
        area += group_area or 0.0
        label = str(pick(group, "date", "acquisition_date", "label") or f"Group {number}")
        group_aud = _price(group, ("aud", "total_aud"), AUD, f"price of {label}", endpoint)
        lines.append(
            EstimateLine(
                label=label,
                price=Money(amount=group_aud, currency=AUD) if group_aud is not None else None,
                area_km2=group_area,
                items=items,
            )
        )
    errors = [_error_item(error, i) for i, error in enumerate(as_list(data.get("errors")))]
    total_aud = _price(data, ("total_aud",), AUD, "total", endpoint)
    total_credits = _price(data, ("total_credits",), CREDITS, "total in credits", endpoint)
    if total_aud is None and total_credits is not None:
        total_aud = total_credits / _CREDITS_PER_AUD
    if total_aud is None:
        raise InvalidResponse(
            "Geopera sent an estimate without a total, so Nadir cannot read its price. The item "
            "keeps no price and "
            "cannot be placed until it is priced again.",
            provider=PROVIDER,
            endpoint=endpoint,
        )
    return Estimate(
        provider=PROVIDER,
        total=Money(amount=total_aud, currency=AUD),
        other_totals=(Money(amount=total_credits, currency=CREDITS),) if total_credits is not None else (),
        lines=tuple(lines),
        errors=tuple(errors),
        area_km2=area if lines else None,
        received_at=datetime.now(timezone.utc),
    )


# ---------------------------------------------------------------------------- errors
def problem_kind(problem: Mapping[str, Any]) -> str:
    """The last segment of a problem ``type`` URI (``.../problems/card-declined``), or ""."""
    kind = problem.get("type")
    if not isinstance(kind, str) or kind == "about:blank" or "/" not in kind:
        return ""
    return kind.rstrip("/").rsplit("/", 1)[-1]


_CARD_REASONS = ("card", "payment-method", "payment_method", "authentication", "3ds", "requires_action")


def payment_required(problem: Mapping[str, Any], endpoint: str) -> PaymentRequired:
    """402 problem -> :class:`PaymentRequired` with billing mode, reason and (3-D Secure) the
    ``client_secret``, which stays out of the message, details and repr.

    The guide names three causes of a 402; the problem says which by a ``reason`` field
    or its ``type`` URI. Without a ``billing_mode`` field the mode follows from the cause:
    missing credits concern the prepaid wallet (``credit``), the others the card (``card``)."""
    reason = str(pick(problem, "reason", "code", "error_code", "errorCode") or problem_kind(problem))
    secret = pick(problem, "client_secret", "clientSecret")
    secret = secret if isinstance(secret, str) and secret else None
    detail = str(pick(problem, "detail", "title") or "")
    said = f"{reason} {detail}".lower()
    billing_mode = str(pick(problem, "billing_mode", "billingMode") or "")
    if not billing_mode:
        billing_mode = (
            "credit" if "credit" in said else "card" if secret or any(w in said for w in _CARD_REASONS) else ""
        )
    if secret:
        message = (
            "Geopera needs a 3-D Secure confirmation from your bank before this order can be paid. Complete the "
            "bank challenge, then place the order again: Nadir sends it with the same idempotency key, so it "
            "cannot be placed twice."
        )
    elif "credit" in said:
        message = "Geopera: not enough credits for this order. Top up credits or enable auto top-up, then retry."
    elif "declin" in said:
        message = "Geopera: your card was declined. Attach another payment method, then retry."
    elif "payment-method" in said or "payment method" in said:
        message = "Geopera has no payment method for your organisation. Attach a card, then retry."
    elif "past" in said and "due" in said:
        message = "Geopera: your account is past due. Settle the open invoice, then retry."
    else:
        message = "Geopera cannot take payment for this order. Check your billing settings, then retry."
    return PaymentRequired(
        message,
        reason=reason,
        billing_mode=billing_mode,
        client_secret=secret,
        provider=PROVIDER,
        endpoint=endpoint,
        details=f"status=402 reason={reason}" + (f" ({detail})" if detail and not secret else ""),
    )


# ---------------------------------------------------------------------------- deliveries
def assets_from_json(data: Any, order_id: str, api_host: str, endpoint: str) -> list[Asset]:
    """``orders.list_assets``: a STAC FeatureCollection; one :class:`Asset` per item asset,
    carrying the item's provenance (order id, capture date, product)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("features", []), list):
        raise InvalidResponse(
            "Geopera sent an asset list Nadir cannot read: it is not a STAC FeatureCollection.",
            provider=PROVIDER,
            endpoint=endpoint,
        )
    return stac_assets(
        as_list(data.get("features")), PROVIDER, order_id, needs_auth=lambda href: urlsplit(href).netloc == api_host
    )
