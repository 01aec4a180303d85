"""Provider-neutral domain models.

Adapters in ``providers/`` turn each provider's JSON into these; the cart, outbox,
orders panel, grid and deliveries work only with these. Rules:

- pydantic v2, frozen; ``extra="ignore"`` on everything read from a provider;
- statuses map to the common :class:`Lifecycle` but always keep the provider's raw
  status and sub-status strings, unknown values included (never rejected);
- geometry is GeoJSON (a ``dict``) in EPSG:4326 lon/lat; shapely conversion lives in
  core's geometry helpers, never in the models;
- money is :class:`decimal.Decimal` with an explicit currency ("EUR", "AUD", "credits").

Annotations use ``Optional``/``Union`` because pydantic evaluates them at run time and
QGIS 3.22 on Windows ships Python 3.9.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

GeoJSON = dict[str, Any]


class Model(BaseModel):
    """Base for all domain models: immutable, tolerant of extra provider fields."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


# --------------------------------------------------------------------------- money
class Money(Model):
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        if self.currency == "credits":
            return f"{self.amount.normalize():f} credits"
        return f"{self.amount.quantize(Decimal('0.01'))} {self.currency}"

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(amount=self.amount + other.amount, currency=self.currency)


def totals_by_currency(amounts: Union[list[Money], tuple[Money, ...]]) -> dict[str, Money]:
    """Sum amounts per currency (the cart shows one total per currency)."""
    totals: dict[str, Money] = {}
    for money in amounts:
        totals[money.currency] = totals[money.currency] + money if money.currency in totals else money
    return totals


# ---------------------------------------------------------------------- lifecycle
class Lifecycle(str, Enum):
    """Common order lifecycle across providers."""

    PENDING = "pending"  # accepted, waiting to start (ClearSKY Review, UP42 CREATED, OneAtlas ordered)
    AWAITING_DECISION = "awaiting_decision"  # the customer must decide (UP42 feasibility/quotation)
    IN_PROGRESS = "in_progress"  # being prepared, acquired, processed or delivered
    LIVE = "live"  # recurring order up to date, continues (ClearSKY UpToDate)
    COMPLETED = "completed"  # delivered / done
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"  # a status Nadir does not know yet: shown as the provider sent it

    @property
    def terminal(self) -> bool:
        return self in (Lifecycle.COMPLETED, Lifecycle.FAILED, Lifecycle.CANCELLED)


class OrderKind(str, Enum):
    COMPOSITE = "composite"  # ClearSKY polygon order
    TILE = "tile"  # ClearSKY tiles and/or minitiles
    ARCHIVE = "archive"  # existing captures (Geopera, OneAtlas, UP42 catalog)
    TASKING = "tasking"  # new acquisition (UP42)


# ---------------------------------------------------------------------- grid
class CellLevel(str, Enum):
    TILE = "tile"
    MINITILE = "minitile"


class GridCell(Model):
    """One tile or minitile of a provider's grid, as the provider returned it."""

    guid: str
    level: CellLevel
    epsg: int
    wkt: str  # footprint in EPSG:4326 lon/lat
    parent: Optional[str] = None  # tile GUID of a minitile, when known


# ---------------------------------------------------------------------- imagery models
class ConstellationOption(Model):
    name: str
    optional: bool


class ImageryModel(Model):
    """A ClearSKY AI model and the constellations it uses (required or optional)."""

    name: str
    constellations: tuple[ConstellationOption, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.constellations if not c.optional)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.constellations if c.optional)


# ---------------------------------------------------------------------- archive search
class SearchQuery(Model):
    geometry: GeoJSON  # AOI or view extent, EPSG:4326
    start: datetime
    end: datetime
    max_cloud: Optional[float] = Field(default=None, ge=0, le=100)
    max_incidence: Optional[float] = Field(default=None, ge=0, le=90)
    collections: tuple[str, ...] = ()  # collections, constellations or products (provider's names)
    host: Optional[str] = None  # Geopera host_name / UP42 host
    limit: Optional[int] = Field(default=None, ge=1)  # total results wanted; None = all
    page_size: int = Field(default=100, ge=1, le=500)


class SearchSource(Model):
    """A collection a provider's archive search offers, and the host that serves it."""

    provider: str
    collection: str
    title: str = ""
    host: Optional[str] = None


class Capture(Model):
    """One existing image in a provider's archive."""

    provider: str
    id: str
    collection: str = ""
    constellation: str = ""
    acquired: Optional[datetime] = None
    footprint: GeoJSON
    cloud_cover: Optional[float] = None
    incidence_angle: Optional[float] = None
    gsd: Optional[float] = None
    quicklook_url: Optional[str] = None
    host: Optional[str] = None
    properties: Mapping[str, Any] = Field(default_factory=dict)


# ---------------------------------------------------------------------- tasking
class AccessStatus(str, Enum):
    GRANTED = "granted"
    REQUESTED = "requested"
    NOT_REQUESTED = "not_requested"
    DENIED = "denied"
    UNKNOWN = "unknown"


class DataProduct(Model):
    id: str
    name: str
    title: str = ""
    collection: str = ""
    collection_title: str = ""
    type: str = ""  # provider's type, e.g. UP42 "TASKING" / "ARCHIVE"
    access: AccessStatus = AccessStatus.UNKNOWN
    raw_access: Optional[str] = None


class FeasibilityOption(Model):
    id: str
    description: str = ""


class FeasibilityStudy(Model):
    id: str
    order_id: str
    decision: str  # provider's value, e.g. NOT_DECIDED / ACCEPTED
    options: tuple[FeasibilityOption, ...] = ()
    chosen_option: Optional[str] = None


class Quotation(Model):
    id: str
    order_id: str
    decision: str  # NOT_DECIDED / ACCEPTED / REJECTED
    price: Optional[Money] = None
    created_at: Optional[datetime] = None


# ---------------------------------------------------------------------- order specs
class ClearSkySpec(Model):
    """A ClearSKY composite (``aoi``) or tile/minitile order (``tile_guids``/``minitile_guids``)."""

    type: Literal["clearsky"] = "clearsky"
    model: str
    constellations: tuple[str, ...]
    start: date  # first image month, YYYY-MM-01
    end: Optional[date] = None  # None: recurring live order
    frequency_days: int = Field(ge=1)
    reference_date: Optional[date] = None
    storage_months: int = Field(default=1, ge=1)
    api_requests: int = Field(default=1, ge=1)  # ClearSKY examples always send >= 1 (docs-examples.json)
    tile_dedup: bool = False
    aoi: Optional[GeoJSON] = None
    tile_guids: tuple[str, ...] = ()
    minitile_guids: tuple[str, ...] = ()

    @property
    def kind(self) -> OrderKind:
        return OrderKind.COMPOSITE if self.aoi is not None else OrderKind.TILE

    @property
    def recurring(self) -> bool:
        return self.end is None


class CaptureRef(Model):
    """A capture to buy, clipped to the customer's AOI."""

    id: str
    geometry: GeoJSON  # the part of the capture to buy (AOI ∩ footprint), EPSG:4326
    collection: str = ""
    host: Optional[str] = None
    acquired: Optional[datetime] = None


class ArchiveSpec(Model):
    """Captures from a provider's archive (Geopera, OneAtlas, UP42 catalog)."""

    type: Literal["archive"] = "archive"
    provider: str
    captures: tuple[CaptureRef, ...]
    options: Mapping[str, Any] = Field(default_factory=dict)  # product type, format, licence...

    @field_validator("captures")
    @classmethod
    def _not_empty(cls, value: tuple[CaptureRef, ...]) -> tuple[CaptureRef, ...]:
        if not value:
            raise ValueError("an archive order needs at least one capture")
        return value


class TaskingSpec(Model):
    """A new acquisition (UP42): product, schema-validated parameters, geometry."""

    type: Literal["tasking"] = "tasking"
    provider: str = "up42"
    data_product_id: str
    params: Mapping[str, Any] = Field(default_factory=dict)  # everything but the geometry
    geometry: GeoJSON
    display_name: str = ""


OrderSpec = Union[ClearSkySpec, ArchiveSpec, TaskingSpec]


def spec_kind(spec: OrderSpec) -> OrderKind:
    if isinstance(spec, ClearSkySpec):
        return spec.kind
    return OrderKind.ARCHIVE if isinstance(spec, ArchiveSpec) else OrderKind.TASKING


#: An order spec inside a persisted model (cart item, outbox entry): read back by its ``type``.
StoredSpec = Annotated[OrderSpec, Field(discriminator="type")]


def spec_provider(spec: OrderSpec) -> str:
    """Id of the provider an order spec is for."""
    return "clearsky" if isinstance(spec, ClearSkySpec) else spec.provider


# ---------------------------------------------------------------------- estimates
class ItemError(Model):
    """A part of a request the provider could not price or place (e.g. one capture)."""

    item: str  # capture id, feature index...
    message: str


class EstimateLine(Model):
    label: str
    price: Optional[Money] = None
    area_km2: Optional[float] = None
    items: tuple[str, ...] = ()


class Estimate(Model):
    """The provider's own price for an order spec. Never computed by the client."""

    provider: str
    total: Money
    other_totals: tuple[Money, ...] = ()  # same price in another unit (credits and AUD)
    lines: tuple[EstimateLine, ...] = ()
    errors: tuple[ItemError, ...] = ()
    area_km2: Optional[float] = None
    billable_area_km2: Optional[float] = None
    image_dates: tuple[date, ...] = ()
    next_month: Optional[Money] = None  # recurring orders: the following month's cost
    received_at: Optional[datetime] = None


# ---------------------------------------------------------------------- orders
class Order(Model):
    provider: str
    id: str
    kind: OrderKind
    status: Lifecycle
    raw_status: str
    sub_status: Optional[str] = None
    title: str = ""
    client_reference: Optional[str] = None
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    price: Optional[Money] = None
    aoi: Optional[GeoJSON] = None
    recurring: bool = False
    start: Optional[date] = None
    end: Optional[date] = None
    cancellation_date: Optional[date] = None
    model: Optional[str] = None
    constellations: tuple[str, ...] = ()
    product: Optional[str] = None
    extra: Mapping[str, Any] = Field(default_factory=dict)  # provider fields worth showing


class OrderFilter(Model):
    statuses: tuple[str, ...] = ()  # provider's raw status values
    kinds: tuple[str, ...] = ()
    reference: Optional[str] = None  # client reference / tag / display name
    page_size: int = Field(default=50, ge=1, le=500)
    include_expired: bool = False


class PlacementResult(Model):
    orders: tuple[Order, ...] = ()
    errors: tuple[ItemError, ...] = ()


class CancelPreview(Model):
    """What cancelling would do, said before the user confirms."""

    allowed: bool
    effect: str  # e.g. "The order is cancelled completely." / "This month completes; it will not renew."
    refund: Optional[Money] = None


# ---------------------------------------------------------------------- deliveries
class Asset(Model):
    """A delivered file (or STAC item asset) of an order."""

    provider: str
    order_id: str
    id: str
    title: str = ""
    href: str
    media_type: str = ""
    size: Optional[int] = None
    checksum: Optional[str] = None  # "<algorithm>:<hex>", e.g. "sha256:ab12..."
    roles: tuple[str, ...] = ()
    acquired: Optional[datetime] = None
    product: Optional[str] = None
    bbox: Optional[tuple[float, float, float, float]] = None
    needs_auth: bool = True  # download needs the provider's credentials (else pre-signed)
    streamable: bool = False  # a COG reachable over HTTP(S) with range requests
    attribution: str = ""
    extra: Mapping[str, Any] = Field(default_factory=dict)


class AccountInfo(Model):
    provider: str
    name: str = ""
    balances: tuple[Money, ...] = ()
    extra: Mapping[str, Any] = Field(default_factory=dict)
