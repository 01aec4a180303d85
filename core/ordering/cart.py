"""One cart for every provider: immutable items and pure operations.

A :class:`CartItem` holds an order spec of any provider (ClearSKY composite or tiles,
archive captures, tasking) with the provider's own estimate and the estimate's state.
Every change returns a new value; persistence is :mod:`core.ordering.cart_store`.

Estimate states (:class:`EstimateState`):

- ``none``: never estimated;
- ``pending``: a request for the item's *current* spec is under way;
- ``fresh``: the estimate was made for exactly the current spec, less than
  :data:`ESTIMATE_MAX_AGE` ago;
- ``stale``: the spec changed since (the estimate's fingerprint differs) or the estimate
  is older than :data:`ESTIMATE_MAX_AGE`: shown, marked and refreshed;
- ``failed``: the provider could not price the current spec; ``estimate_error`` says why.

The stored fields (``estimate_status``, ``estimate_for``, ``estimated_at``) are facts;
:meth:`CartItem.state` derives the state shown from them and the current time, so an
edit or the passing of time makes an estimate stale without anyone having to mark it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from enum import Enum
from functools import cached_property
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from ..models import (
    ArchiveSpec,
    Estimate,
    ItemError,
    Money,
    OrderKind,
    OrderSpec,
    StoredSpec,
    spec_kind,
    spec_provider,
    totals_by_currency,
)

#: Estimates older than this are stale and refreshed (prices follow monthly spend tiers,
#: credit balances and the calendar, so an old price may no longer hold).
ESTIMATE_MAX_AGE = timedelta(minutes=30)
#: How many removed or placed item ids the cart remembers (see :meth:`Cart.merge`).
TOMBSTONES = 1000


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return uuid.uuid4().hex


def fingerprint(spec: OrderSpec) -> str:
    """Stable digest of everything in a spec: an edit changes it, a reload does not."""
    canonical = json.dumps(spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


class EstimateState(str, Enum):
    NONE = "none"
    PENDING = "pending"
    FRESH = "fresh"
    STALE = "stale"
    FAILED = "failed"


class CartItem(BaseModel):
    """One configured order waiting in the cart."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(default_factory=new_id)
    spec: StoredSpec
    title: str = ""
    #: what the order covers, in words ("2 AOIs, 14.2 km²", "3 tiles and 16 minitiles")
    summary: str = ""
    area_km2: Optional[float] = None
    added_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    estimate: Optional[Estimate] = None
    #: "none" | "pending" | "fresh" | "failed": what last happened to a request
    estimate_status: str = EstimateState.NONE.value
    #: fingerprint of the spec the last request (pending, answered or failed) was for
    estimate_for: str = ""
    estimated_at: Optional[datetime] = None
    estimate_error: str = ""

    # -- derived ----------------------------------------------------------------------
    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.spec)

    @property
    def provider(self) -> str:
        return spec_provider(self.spec)

    @property
    def kind(self) -> OrderKind:
        return spec_kind(self.spec)

    def state(self, now: Optional[datetime] = None, max_age: timedelta = ESTIMATE_MAX_AGE) -> EstimateState:
        current = self.estimate_for == self.fingerprint
        if current and self.estimate_status == EstimateState.PENDING.value:
            return EstimateState.PENDING
        if current and self.estimate_status == EstimateState.FAILED.value:
            return EstimateState.FAILED
        if self.estimate is None:
            return EstimateState.NONE
        if not current or self.estimated_at is None:
            return EstimateState.STALE
        if (now or utcnow()) - self.estimated_at > max_age:
            return EstimateState.STALE
        return EstimateState.FRESH

    @property
    def price(self) -> Optional[Money]:
        """The estimate's total when it was made for the current spec (fresh or old)."""
        if self.estimate is not None and self.estimate_for == self.fingerprint:
            return self.estimate.total
        return None

    def needs_estimate(self, now: Optional[datetime] = None) -> bool:
        return self.state(now) in (EstimateState.NONE, EstimateState.STALE)

    # -- transitions ------------------------------------------------------------------
    def edited(
        self,
        spec: OrderSpec,
        *,
        title: Optional[str] = None,
        summary: Optional[str] = None,
        area_km2: Optional[float] = None,
        now: Optional[datetime] = None,
    ) -> CartItem:
        """The item with a new spec. Its estimate stays, stale, until a new one arrives."""
        update: dict[str, object] = {"spec": spec, "updated_at": now or utcnow()}
        if title is not None:
            update["title"] = title
        if summary is not None:
            update["summary"] = summary
        if area_km2 is not None:
            update["area_km2"] = area_km2
        return self._copy(update)

    def estimate_requested(self, for_fingerprint: str) -> CartItem:
        return self._copy(
            {"estimate_status": EstimateState.PENDING.value, "estimate_for": for_fingerprint, "estimate_error": ""}
        )

    def estimate_received(self, for_fingerprint: str, estimate: Estimate, now: Optional[datetime] = None) -> CartItem:
        """Record an estimate; ignored (returns self) if the spec changed since it was asked for."""
        if for_fingerprint != self.fingerprint:
            return self
        return self._copy(
            {
                "estimate": estimate,
                "estimate_status": EstimateState.FRESH.value,
                "estimate_for": for_fingerprint,
                "estimated_at": now or utcnow(),
                "estimate_error": "",
            }
        )

    def estimate_failed(self, for_fingerprint: str, message: str) -> CartItem:
        if for_fingerprint != self.fingerprint:
            return self
        return self._copy(
            {"estimate_status": EstimateState.FAILED.value, "estimate_for": for_fingerprint, "estimate_error": message}
        )

    def duplicate(self, now: Optional[datetime] = None) -> CartItem:
        moment = now or utcnow()
        title = f"{self.title} (copy)" if self.title else ""
        return self._copy({"id": new_id(), "title": title, "added_at": moment, "updated_at": moment})

    def _copy(self, update: dict[str, object]) -> CartItem:
        # model_copy would carry the cached fingerprint of the old spec along
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(update)
        return CartItem(**data)


class CartTotals(BaseModel):
    """Totals per currency of the items with a price, and what they leave out."""

    model_config = ConfigDict(frozen=True)

    totals: dict[str, Money]
    unpriced: int = 0  # items without an estimate for their current spec
    stale: int = 0  # items whose price is included but stale
    pending: int = 0

    @property
    def complete(self) -> bool:
        return self.unpriced == 0 and self.stale == 0 and self.pending == 0


class Cart(BaseModel):
    """The cart: items in the order they were added, plus ids it must not take back."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    items: tuple[CartItem, ...] = ()
    #: ids of items removed or placed, newest last (see :meth:`merge`)
    removed: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.items)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def get(self, item_id: str) -> Optional[CartItem]:
        for item in self.items:
            if item.id == item_id:
                return item
        return None

    def require(self, item_id: str) -> CartItem:
        item = self.get(item_id)
        if item is None:
            raise KeyError(item_id)
        return item

    def add(self, item: CartItem) -> Cart:
        if self.get(item.id) is not None:
            raise ValueError(f"the cart already has an item {item.id}")
        return self.model_copy(update={"items": (*self.items, item)})

    def replace(self, item: CartItem) -> Cart:
        """Put ``item`` in place of the item with the same id (no-op if it was removed)."""
        return self.model_copy(update={"items": tuple(item if i.id == item.id else i for i in self.items)})

    def update(self, item_id: str, change: Callable[[CartItem], CartItem]) -> Cart:
        item = self.get(item_id)
        return self if item is None else self.replace(change(item))

    def duplicate(self, item_id: str, now: Optional[datetime] = None) -> tuple[Cart, CartItem]:
        original = self.require(item_id)
        copy = original.duplicate(now)
        position = self.items.index(original) + 1
        items = (*self.items[:position], copy, *self.items[position:])
        return self.model_copy(update={"items": items}), copy

    def remove(self, item_id: str) -> Cart:
        if self.get(item_id) is None:
            return self
        removed = (*[r for r in self.removed if r != item_id], item_id)[-TOMBSTONES:]
        return self.model_copy(update={"items": tuple(i for i in self.items if i.id != item_id), "removed": removed})

    def totals(self, now: Optional[datetime] = None) -> CartTotals:
        prices: list[Money] = []
        unpriced = stale = pending = 0
        for item in self.items:
            state = item.state(now)
            price = item.price
            if state is EstimateState.PENDING:
                pending += 1
            if price is None:
                unpriced += 0 if state is EstimateState.PENDING else 1
                continue
            prices.append(price)
            if state is EstimateState.STALE:
                stale += 1
        return CartTotals(totals=totals_by_currency(prices), unpriced=unpriced, stale=stale, pending=pending)

    def merge(self, other: Cart, skip: Iterable[str] = ()) -> tuple[Cart, tuple[CartItem, ...]]:
        """Union with another cart (a project's): nothing in either is lost.

        Items only in ``other`` are added unless this cart removed them (its tombstones)
        or their id is in ``skip`` (items already placed, from the outbox). An item in
        both keeps the version edited last. Returns the merged cart and the items that
        were added or updated from ``other``.
        """
        skipped = set(self.removed) | set(skip)
        items = list(self.items)
        taken: list[CartItem] = []
        for theirs in other.items:
            mine = self.get(theirs.id)
            if mine is None:
                if theirs.id not in skipped:
                    items.append(theirs)
                    taken.append(theirs)
            elif theirs.updated_at > mine.updated_at:
                items[items.index(mine)] = theirs
                taken.append(theirs)
        return self.model_copy(update={"items": tuple(items)}), tuple(taken)


def remaining_after(spec: OrderSpec, errors: Iterable[ItemError]) -> Optional[OrderSpec]:
    """The part of ``spec`` a partly successful placement did not order, or None.

    Archive orders are placed capture by capture: captures the provider refused stay in
    the cart. Other kinds are placed whole, so nothing remains.
    """
    if not isinstance(spec, ArchiveSpec):
        return None
    failed = {error.item for error in errors}
    left = tuple(capture for capture in spec.captures if capture.id in failed)
    if not left:
        return None
    return spec.model_copy(update={"captures": left})
