"""UP42 JSON <-> core models: request bodies, response parsing, status mapping.

No I/O here; :mod:`providers.up42` sends what these build and parses what comes back.
Shapes follow UP42's developer docs and the test fixtures of its SDK (github.com/up42/up42-py;
copies in ``sandbox/contract_data/up42``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from pydantic import Field

from ...core.models import (
    AccessStatus,
    ArchiveSpec,
    CaptureRef,
    DataProduct,
    Estimate,
    EstimateLine,
    FeasibilityOption,
    FeasibilityStudy,
    GeoJSON,
    ItemError,
    Lifecycle,
    Money,
    Order,
    OrderKind,
    Quotation,
    TaskingSpec,
)
from ..wire import CamelWire, FiniteDecimal, FiniteFloat, SpringPage, as_datetime, is_geometry, pick, read, read_list

PROVIDER = "up42"
CREDITS = "credits"

#: The tag that carries Nadir's client reference (base.py: placement idempotency).
#: UP42 has no idempotency key, so the reference rides on the order.
REFERENCE_TAG_PREFIX = "nadir-ref-"

# ---------------------------------------------------------------------------- statuses
# Union of the statuses of the SDK at HEAD, the SDK of 2025 and the docs (tasking monitor page).
_STATUS: Mapping[str, Lifecycle] = {
    "CREATED": Lifecycle.PENDING,
    "BEING_PLACED": Lifecycle.IN_PROGRESS,
    "PLACED": Lifecycle.IN_PROGRESS,
    "BEING_FULFILLED": Lifecycle.IN_PROGRESS,
    "DOWNLOADED": Lifecycle.IN_PROGRESS,  # docs: before FULFILLED
    "FULFILLED": Lifecycle.COMPLETED,  # the SDK's "done" (Order.track)
    "PLACEMENT_FAILED": Lifecycle.FAILED,
    "DELIVERY_INITIALIZATION_FAILED": Lifecycle.FAILED,
    "DOWNLOAD_FAILED": Lifecycle.FAILED,
    "FAILED": Lifecycle.FAILED,
    "FAILED_PERMANENTLY": Lifecycle.FAILED,
    "CANCELED": Lifecycle.CANCELLED,
    "CANCELLED": Lifecycle.CANCELLED,
}

#: Sub-statuses in which UP42 waits for the customer (feasibility option or quotation).
_WAITING_FOR_CUSTOMER = frozenset({"FEASIBILITY_WAITING_RESPONSE", "QUOTATION_WAITING_RESPONSE"})

#: Statuses the SDK allows cancelling from (up42-py ``Order.cancel``), with
#: ``POST /v2/orders/{id}/cancellation``.
CANCELLABLE = frozenset({"CREATED", "PLACEMENT_FAILED"})


def lifecycle(status: str, sub_status: Optional[str] = None) -> Lifecycle:
    """Common lifecycle of a UP42 status; unknown values map to ``UNKNOWN`` (kept raw)."""
    state = _STATUS.get(status.upper(), Lifecycle.UNKNOWN) if status else Lifecycle.UNKNOWN
    if state is Lifecycle.IN_PROGRESS and (sub_status or "").upper() in _WAITING_FOR_CUSTOMER:
        return Lifecycle.AWAITING_DECISION
    return state


# ---------------------------------------------------------------------------- wire shapes
class WireOrder(CamelWire):
    id: str
    display_name: Optional[str] = None
    status: Optional[str] = None
    sub_status: Optional[str] = None
    type: Optional[str] = None
    workspace_id: Optional[str] = None
    data_product_id: Optional[str] = None
    tags: Optional[list[Any]] = None
    created_at: Optional[str] = None
    updated_at: Optional[str] = None
    order_details: Optional[dict[str, Any]] = None


class WireEstimateSummary(CamelWire):
    total_credits: FiniteDecimal = None
    total_size: FiniteFloat = None
    unit: Optional[str] = None


class WireIndexed(CamelWire):
    index: Optional[int] = None
    id: Optional[str] = None
    credits: FiniteDecimal = None
    size: FiniteFloat = None
    unit: Optional[str] = None
    message: Optional[str] = None
    details: Any = None


class WireEstimate(CamelWire):
    summary: Optional[WireEstimateSummary] = None
    results: list[WireIndexed] = Field(default_factory=list)
    errors: list[WireIndexed] = Field(default_factory=list)


class WirePlacement(CamelWire):
    results: list[WireIndexed] = Field(default_factory=list)
    errors: list[WireIndexed] = Field(default_factory=list)


class WireOption(CamelWire):
    id: str
    description: Optional[str] = None


class WireStudy(CamelWire):
    id: str
    order_id: Optional[str] = None
    decision: Optional[str] = None
    options: Optional[list[WireOption]] = None
    decision_option: Any = None


class WireQuotation(CamelWire):
    id: str
    order_id: Optional[str] = None
    decision: Optional[str] = None
    credits_price: FiniteDecimal = None
    created_at: Optional[str] = None


class WireDataProductRef(CamelWire):
    id: str
    name: Optional[str] = None
    title: Optional[str] = None


class WireCollection(CamelWire):
    name: str
    title: Optional[str] = None
    type: Optional[str] = None
    integrations: Optional[list[str]] = None
    data_products: Optional[list[WireDataProductRef]] = None
    # not in the SDK's glossary: read when a server says it (see access_status)
    access_status: Optional[str] = None
    access: Optional[str] = None
    providers: Optional[list[dict[str, Any]]] = None


class WireLegacyCollection(CamelWire):
    name: Optional[str] = None
    title: Optional[str] = None
    type: Optional[str] = None
    restricted: Optional[bool] = None
    host_name: Optional[str] = None


class WireLegacyConfiguration(CamelWire):
    title: Optional[str] = None
    host_name: Optional[str] = None


class WireLegacyDataProduct(CamelWire):
    """The retired ``GET /data-products`` list (SDK fixture ``data_products.json``)."""

    id: str
    collection_name: Optional[str] = None
    collection: Optional[WireLegacyCollection] = None
    product_configuration: Optional[WireLegacyConfiguration] = None
    is_integrated: Optional[bool] = None


# ---------------------------------------------------------------------------- glossary
_ACCESS: Mapping[str, AccessStatus] = {
    "GRANTED": AccessStatus.GRANTED,
    "APPROVED": AccessStatus.GRANTED,
    "ACCESS_GRANTED": AccessStatus.GRANTED,
    "REQUESTED": AccessStatus.REQUESTED,
    "PENDING": AccessStatus.REQUESTED,
    "NOT_REQUESTED": AccessStatus.NOT_REQUESTED,
    "DENIED": AccessStatus.DENIED,
    "REJECTED": AccessStatus.DENIED,
}


#: ``raw_access`` when the service lists this workspace's access requests and none is for the collection.
NO_REQUEST = "NOT_REQUESTED"


def access_status(raw: Optional[str], integrations: Sequence[str]) -> AccessStatus:
    """Access status of a collection.

    UP42's glossary marks collections that need approval with the integration value
    ``ACCESS_APPROVAL_REQUIRED`` (SDK ``IntegrationValue``); a collection without it is open
    to every account. Whether *this* account was approved is not in the SDK's glossary:
    when the server sends a status (``raw``) it wins, otherwise approval-required
    collections are ``UNKNOWN``.
    """
    if "ACCESS_APPROVAL_REQUIRED" not in integrations and raw in (None, NO_REQUEST):
        return AccessStatus.GRANTED
    if raw:
        return _ACCESS.get(raw.upper(), AccessStatus.UNKNOWN)
    if "ACCESS_APPROVAL_REQUIRED" in integrations:
        return AccessStatus.UNKNOWN
    return AccessStatus.GRANTED


def products_of_collection(collection: WireCollection, raw_access: Optional[str] = None) -> list[DataProduct]:
    integrations = list(collection.integrations or [])
    raw = raw_access or collection.access_status or collection.access
    access = access_status(raw, integrations)
    return [
        DataProduct(
            id=product.id,
            name=product.name or product.id,
            title=product.title or product.name or product.id,
            collection=collection.name,
            collection_title=collection.title or collection.name,
            type=collection.type or "",
            access=access,
            raw_access=raw,
        )
        for product in collection.data_products or []
    ]


def legacy_data_product(item: WireLegacyDataProduct) -> DataProduct:
    collection = item.collection or WireLegacyCollection()
    name = item.collection_name or collection.name or ""
    configuration = item.product_configuration or WireLegacyConfiguration()
    restricted = bool(collection.restricted)
    return DataProduct(
        id=item.id,
        name=configuration.title or item.id,
        title=configuration.title or item.id,
        collection=name,
        collection_title=collection.title or name,
        type=collection.type or "",
        access=AccessStatus.UNKNOWN if restricted else AccessStatus.GRANTED,
        raw_access="restricted" if restricted else None,
    )


# ---------------------------------------------------------------------------- orders
def reference_tag(reference: str) -> str:
    return f"{REFERENCE_TAG_PREFIX}{reference}"


def reference_of(tags: Iterable[Any]) -> Optional[str]:
    for tag in tags:
        if isinstance(tag, str) and tag.startswith(REFERENCE_TAG_PREFIX):
            return tag[len(REFERENCE_TAG_PREFIX) :]
    return None


def order_from_wire(wire: WireOrder) -> Order:
    details = wire.order_details or {}
    raw_status = wire.status or ""
    sub_status = wire.sub_status or details.get("subStatus")
    kind_raw = (wire.type or "").upper()
    if kind_raw == "TASKING" or (not kind_raw and "acquisitionStart" in details):
        kind = OrderKind.TASKING
    else:
        kind = OrderKind.ARCHIVE
    aoi = pick(details, "geometry", "aoi")
    extra: dict[str, Any] = {"workspace_id": wire.workspace_id, "type": wire.type}
    for key in ("imageId", "acquisitionStart", "acquisitionEnd", "acquisitionMode", "maxCloudCover"):
        if key in details:
            extra[key] = details[key]
    acquisition_start = as_datetime(details.get("acquisitionStart"))
    acquisition_end = as_datetime(details.get("acquisitionEnd"))
    # older records carry their name only in orderDetails (the v1 body's params.displayName)
    older_name = details.get("displayName")
    return Order(
        provider=PROVIDER,
        id=wire.id,
        kind=kind,
        status=lifecycle(raw_status, sub_status),
        raw_status=raw_status,
        sub_status=sub_status,
        title=wire.display_name or (older_name if isinstance(older_name, str) else ""),
        client_reference=reference_of(wire.tags or []),
        created_at=as_datetime(wire.created_at),
        updated_at=as_datetime(wire.updated_at),
        aoi=aoi if is_geometry(aoi) else None,
        start=acquisition_start.date() if acquisition_start else None,
        end=acquisition_end.date() if acquisition_end else None,
        product=wire.data_product_id,
        extra={k: v for k, v in extra.items() if v is not None},
    )


def feature_collection(geometry: GeoJSON) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": dict(geometry), "properties": {}}],
    }


def tasking_body(spec: TaskingSpec, reference: str) -> dict[str, Any]:
    """v2 order/estimate body: ``params`` without geometry, geometry in ``featureCollection``
    (up42-py ``_translate_construct_parameters`` @ 8c431ab moves ``params.geometry`` there)."""
    params = {k: v for k, v in spec.params.items() if k not in ("geometry", "aoi", "displayName")}
    name = spec.display_name or str(spec.params.get("displayName") or "") or f"Nadir tasking {reference[:8]}"
    return {
        "dataProduct": spec.data_product_id,
        "displayName": name,
        "params": params,
        "featureCollection": feature_collection(spec.geometry),
        "tags": [reference_tag(reference)],
    }


def archive_body(capture: CaptureRef, data_product: str, spec: ArchiveSpec, reference: str) -> dict[str, Any]:
    """One v2 archive order: the scene in ``params.id``, the AOI in ``featureCollection``."""
    params = {k: v for k, v in spec.options.items() if k not in ("data_product", "display_name")}
    params["id"] = capture.id
    label = str(spec.options.get("display_name") or f"Nadir archive {capture.id}")
    return {
        "dataProduct": data_product,
        "displayName": label,
        "params": params,
        "featureCollection": feature_collection(capture.geometry),
        "tags": [reference_tag(reference)],
    }


def _error_text(item: WireIndexed) -> str:
    message = item.message or "rejected"
    if item.details:
        message = f"{message}: {item.details}"
    return message


def estimate_lines(body: WireEstimate, label: str, item: str) -> tuple[list[EstimateLine], list[ItemError]]:
    lines = []
    for result in body.results:
        area = result.size if (result.unit or "").upper() == "SQ_KM" else None
        lines.append(
            EstimateLine(
                label=label if len(body.results) == 1 else f"{label} #{result.index}",
                price=Money(amount=result.credits, currency=CREDITS) if result.credits is not None else None,
                area_km2=area,
                items=(item,),
            )
        )
    errors = [ItemError(item=item, message=_error_text(error)) for error in body.errors]
    return lines, errors


def estimate_total(body: WireEstimate) -> Decimal:
    if body.summary is not None and body.summary.total_credits is not None:
        return body.summary.total_credits
    return sum((r.credits or Decimal(0) for r in body.results), Decimal(0))


def make_estimate(totals: Sequence[Decimal], lines: Sequence[EstimateLine], errors: Sequence[ItemError]) -> Estimate:
    areas = [line.area_km2 for line in lines if line.area_km2 is not None]
    return Estimate(
        provider=PROVIDER,
        total=Money(amount=sum(totals, Decimal(0)), currency=CREDITS),
        lines=tuple(lines),
        errors=tuple(errors),
        area_km2=sum(areas) if areas else None,
        received_at=datetime.now(timezone.utc),
    )


def placement_errors(body: WirePlacement, item: str) -> list[ItemError]:
    return [ItemError(item=item if item else f"feature {e.index}", message=_error_text(e)) for e in body.errors]


# ---------------------------------------------------------------------------- tasking
def study_from_wire(wire: WireStudy) -> FeasibilityStudy:
    chosen = wire.decision_option
    if isinstance(chosen, Mapping):
        chosen = chosen.get("id")
    return FeasibilityStudy(
        id=wire.id,
        order_id=wire.order_id or "",
        decision=wire.decision or "",
        options=tuple(FeasibilityOption(id=o.id, description=o.description or "") for o in wire.options or []),
        chosen_option=chosen if isinstance(chosen, str) else None,
    )


def quotation_from_wire(wire: WireQuotation) -> Quotation:
    return Quotation(
        id=wire.id,
        order_id=wire.order_id or "",
        decision=wire.decision or "",
        price=Money(amount=wire.credits_price, currency=CREDITS) if wire.credits_price is not None else None,
        created_at=as_datetime(wire.created_at),
    )


# ---------------------------------------------------------------------------- entry points
def parse_order(data: Any, endpoint: str, status: Optional[int] = None) -> Order:
    return order_from_wire(read(WireOrder, data, provider=PROVIDER, endpoint=endpoint, status=status))


def parse_page(data: Any, endpoint: str, status: Optional[int] = None) -> SpringPage:
    return read(SpringPage, data, provider=PROVIDER, endpoint=endpoint, status=status)


def parse_collections(content: Iterable[Any], endpoint: str) -> list[DataProduct]:
    products: list[DataProduct] = []
    for item in content:
        products += products_of_collection(read(WireCollection, item, provider=PROVIDER, endpoint=endpoint))
    return products


def parse_legacy_products(content: Iterable[Any], endpoint: str) -> list[DataProduct]:
    return [
        legacy_data_product(w) for w in read_list(WireLegacyDataProduct, content, provider=PROVIDER, endpoint=endpoint)
    ]


def parse_estimate(data: Any, endpoint: str) -> WireEstimate:
    return read(WireEstimate, data, provider=PROVIDER, endpoint=endpoint)


def parse_placement(data: Any, endpoint: str) -> WirePlacement:
    return read(WirePlacement, data, provider=PROVIDER, endpoint=endpoint)


def parse_study(data: Any, endpoint: str) -> FeasibilityStudy:
    return study_from_wire(read(WireStudy, data, provider=PROVIDER, endpoint=endpoint))


def parse_quotation(data: Any, endpoint: str) -> Quotation:
    return quotation_from_wire(read(WireQuotation, data, provider=PROVIDER, endpoint=endpoint))
