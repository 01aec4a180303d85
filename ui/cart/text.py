"""How a cart item reads in the dock, the detail dialog and the checkout review.

One function per column so every view says the same thing, for every provider's spec
(ClearSKY composite/tiles, archive captures, tasking). Strings go through ``tr()``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from ...core.models import ArchiveSpec, ClearSkySpec, Money, OrderKind, OrderSpec, TaskingSpec
from ...core.ordering.cart import CartItem, EstimateState
from ...core.provider_info import PROVIDERS
from ...toolbelt.i18n import tr, trn

DASH = "—"


def provider_title(provider: str) -> str:
    info = PROVIDERS.get(provider)
    return info.title if info else provider


def kind_text(spec: OrderSpec) -> str:
    if isinstance(spec, ClearSkySpec):
        if spec.kind is OrderKind.COMPOSITE:
            return tr("Composite")
        parts = []
        if spec.tile_guids:
            parts.append(trn("%n tile(s)", len(spec.tile_guids)))
        if spec.minitile_guids:
            parts.append(trn("%n minitile(s)", len(spec.minitile_guids)))
        return tr("Tiles: {}").format(", ".join(parts))
    if isinstance(spec, ArchiveSpec):
        return tr("Archive: {}").format(trn("%n capture(s)", len(spec.captures)))
    return tr("Tasking")


def model_text(spec: OrderSpec) -> str:
    """Model and satellites (ClearSKY), collections (archive), product (tasking)."""
    if isinstance(spec, ClearSkySpec):
        return f"{spec.model} · {', '.join(spec.constellations)}"
    if isinstance(spec, ArchiveSpec):
        collections = ", ".join(sorted({c.collection for c in spec.captures if c.collection}))
        options = archive_options_text(spec)
        return " · ".join(part for part in (collections, options) if part) or DASH
    if isinstance(spec, TaskingSpec):
        return spec.display_name or spec.data_product_id
    return DASH


def archive_options_text(spec: ArchiveSpec) -> str:
    """The product options an archive item was configured with, in the provider's terms."""
    options = spec.options
    if spec.provider == "oneatlas":
        values = [
            options.get(k) for k in ("productType", "productTypeNeo", "imageFormat", "crsCode", "radiometricProcessing")
        ]
        return ", ".join(str(v) for v in values if v)
    if spec.provider == "geopera":
        parts = [tr("licence {}").format(options.get("license_type") or "standard")]
        if options.get("split_by_date"):
            parts.append(tr("split by date"))
        return ", ".join(parts)
    if spec.provider == "up42" and options.get("data_product"):
        return tr("data product {}").format(options.get("data_product"))
    return ""


def storage_text(spec: OrderSpec) -> str:
    if not isinstance(spec, ClearSkySpec):
        return DASH
    return tr("{}, first free").format(trn("%n month(s)", spec.storage_months))


def api_text(spec: OrderSpec) -> str:
    return str(spec.api_requests) if isinstance(spec, ClearSkySpec) else DASH


def dedup_text(spec: OrderSpec) -> str:
    if not isinstance(spec, ClearSkySpec):
        return DASH
    if spec.kind is not OrderKind.TILE:
        return tr("n/a (composite)")
    return tr("On") if spec.tile_dedup else tr("Off")


def schedule_text(spec: OrderSpec) -> str:
    if not isinstance(spec, ClearSkySpec):
        return DASH
    start = spec.start.strftime("%Y-%m")
    if spec.end is None:
        return tr("From {}, every {}: recurring live order, renews every month until cancelled").format(
            start, trn("%n day(s)", spec.frequency_days)
        )
    return tr("From {} to {}, every {}").format(start, spec.end.isoformat(), trn("%n day(s)", spec.frequency_days))


def _dates(dates: tuple[date, ...]) -> str:
    if not dates:
        return tr("none")
    if len(dates) <= 3:
        return ", ".join(d.isoformat() for d in dates)
    return tr("{} dates, {} … {}").format(len(dates), dates[0].isoformat(), dates[-1].isoformat())


def dates_text(item: CartItem, full: bool = False) -> str:
    """The image dates: the captures' own for archive items, the acquisition window asked
    for a tasking item, the dates the provider's estimate covers for ClearSKY."""
    if isinstance(item.spec, ArchiveSpec):
        taken = tuple(sorted({c.acquired.date() for c in item.spec.captures if c.acquired is not None}))
        return ", ".join(d.isoformat() for d in taken) if full and taken else _dates(taken)
    if isinstance(item.spec, TaskingSpec):
        start, end = item.spec.params.get("acquisitionStart"), item.spec.params.get("acquisitionEnd")
        if start and end:
            return tr("{} to {} (to be acquired)").format(str(start)[:10], str(end)[:10])
        return DASH
    estimate = item.estimate if item.estimate_for == item.fingerprint else None
    if estimate is None:
        return tr("after the estimate")
    dates = estimate.image_dates
    text = ", ".join(d.isoformat() for d in dates) if full else _dates(dates)
    if isinstance(item.spec, ClearSkySpec) and item.spec.recurring and dates:
        text += tr(" (then every {} until cancelled)").format(trn("%n day(s)", item.spec.frequency_days))
    return text


def money(value: Optional[Money]) -> str:
    return str(value) if value is not None else DASH


def estimate_text(item: CartItem, now: Optional[datetime] = None) -> str:
    state = item.state(now)
    price = item.price
    if state is EstimateState.FRESH:
        return money(price)
    if state is EstimateState.PENDING:
        return tr("{} (updating…)").format(money(price)) if price else tr("estimating…")
    if state is EstimateState.FAILED:
        return tr("price unavailable: {}").format(item.estimate_error)
    if state is EstimateState.STALE:
        if price is None:
            return tr("changed, to be priced again")
        return tr("{} (old price, to be refreshed)").format(money(price))
    return tr("not priced yet")


def unpriced_text(item: CartItem) -> str:
    """The parts the provider's estimate could not price (Geopera's per-capture errors), said
    before placing; "" when there are none."""
    estimate = item.estimate
    if estimate is None or not estimate.errors:
        return ""
    parts = "; ".join(f"{e.item}: {e.message}" for e in estimate.errors)
    return tr("Not priced by the provider: {}. Remove or fix these before placing.").format(parts)


def state_text(state: EstimateState) -> str:
    return {
        EstimateState.NONE: tr("not priced"),
        EstimateState.PENDING: tr("pending"),
        EstimateState.FRESH: tr("fresh"),
        EstimateState.STALE: tr("stale"),
        EstimateState.FAILED: tr("failed"),
    }[state]


def totals_text(totals: dict[str, Money], unpriced: int = 0, stale: int = 0, pending: int = 0) -> str:
    amounts = " + ".join(str(m) for m in totals.values()) or "0"
    notes = []
    if pending:
        notes.append(tr("{} being priced").format(pending))
    if stale:
        notes.append(tr("{} with an old price").format(stale))
    if unpriced:
        notes.append(tr("{} without a price").format(unpriced))
    text = tr("Total: {}").format(amounts)
    return f"{text} ({'; '.join(notes)})" if notes else text


def title_of(item: CartItem) -> str:
    return item.title or f"{provider_title(item.provider)} {kind_text(item.spec).lower()}"
