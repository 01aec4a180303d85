"""Filters over orders for the orders panel and the existing-orders overlay.

The overlay filters as ClearSKY's dashboard does (ClearSKY's "Order Data" guide, "Existing Orders Overlay"):
by model, by date ("fully within" or "any overlap" of a chosen range) and by status
(live or completed). An order covers the days from its ``start`` to its ``end``; a
recurring order has no end and covers every day from its start on, until it is cancelled:
then its ``cancellation_date`` is the last day it produces (the current month completes,
ClearSKY's "Order Data" guide, "Cancellation Rules"). An order without a start (archive orders, some tasking)
is dated by its creation day. An order with no date at all matches only when no date
range is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Optional

from ..models import Lifecycle, Order


class StatusGroup(str, Enum):
    """Groups of :class:`Lifecycle` a user filters by."""

    ALL = "all"
    LIVE = "live"  # not finished: pending, awaiting a decision, in progress, recurring and up to date
    AWAITING = "awaiting"  # the provider waits for the customer (a UP42 feasibility option or quotation)
    COMPLETED = "completed"
    ENDED = "ended"  # failed or cancelled
    UNKNOWN = "unknown"  # a status Nadir does not know, shown as the provider sent it

    def matches(self, status: Lifecycle) -> bool:
        return self is StatusGroup.ALL or status in _GROUPS[self]


_GROUPS: dict[StatusGroup, frozenset[Lifecycle]] = {
    StatusGroup.LIVE: frozenset(
        {Lifecycle.PENDING, Lifecycle.AWAITING_DECISION, Lifecycle.IN_PROGRESS, Lifecycle.LIVE}
    ),
    StatusGroup.AWAITING: frozenset({Lifecycle.AWAITING_DECISION}),
    StatusGroup.COMPLETED: frozenset({Lifecycle.COMPLETED}),
    StatusGroup.ENDED: frozenset({Lifecycle.FAILED, Lifecycle.CANCELLED}),
    StatusGroup.UNKNOWN: frozenset({Lifecycle.UNKNOWN}),
}


class DateMode(str, Enum):
    OVERLAP = "overlap"  # the order covers at least one day of the range
    WITHIN = "within"  # every day the order covers lies inside the range


@dataclass(frozen=True)
class Period:
    """Days an order covers, both ends inclusive; ``end`` None means open-ended."""

    start: date
    end: Optional[date]

    @property
    def open_ended(self) -> bool:
        return self.end is None


def order_period(order: Order) -> Optional[Period]:
    start = order.start or (order.created_at.date() if order.created_at is not None else None)
    if start is None:
        return None
    ends = [d for d in (order.end, order.cancellation_date) if d is not None]
    if ends:
        return Period(start, min(ends))
    if order.recurring:
        return Period(start, None)
    return Period(start, start)


def period_matches(period: Optional[Period], first: Optional[date], last: Optional[date], mode: DateMode) -> bool:
    """Does ``period`` fall in the range ``first``..``last`` (inclusive; None = unbounded)?"""
    if first is None and last is None:
        return True
    if period is None:
        return False
    if mode is DateMode.WITHIN:
        if first is not None and period.start < first:
            return False
        if last is not None and (period.end is None or period.end > last):
            return False
        return True
    if last is not None and period.start > last:
        return False
    return not (first is not None and period.end is not None and period.end < first)


@dataclass(frozen=True)
class OrderFilterSpec:
    """What the overlay (and the panel) show. Empty sets mean "all"."""

    providers: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()
    status: StatusGroup = StatusGroup.ALL
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    date_mode: DateMode = DateMode.OVERLAP

    def __post_init__(self) -> None:
        if self.date_from is not None and self.date_to is not None and self.date_from > self.date_to:
            raise ValueError(
                f"The date range starts ({self.date_from.isoformat()}) after it ends ({self.date_to.isoformat()})."
            )

    def matches(self, order: Order) -> bool:
        if self.providers and order.provider not in self.providers:
            return False
        if self.models and (order.model or "") not in self.models:
            return False
        if not self.status.matches(order.status):
            return False
        return period_matches(order_period(order), self.date_from, self.date_to, self.date_mode)

    def apply(self, orders: Iterable[Order]) -> list[Order]:
        return [order for order in orders if self.matches(order)]
