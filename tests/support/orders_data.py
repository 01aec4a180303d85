"""Orders and outbox entries for tests of the order book, filters, panel and overlay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from nadir.core.models import Lifecycle, Money, Order, OrderKind

SQUARE = {"type": "Polygon", "coordinates": [[[10.0, 50.0], [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0]]]}


def square(lon: float, lat: float, size: float = 0.1) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def order(
    order_id: str = "1a2b3c4d-0000-4000-8000-000000000001",
    provider: str = "clearsky",
    raw: str = "Review",
    status: Lifecycle = Lifecycle.PENDING,
    **fields: Any,
) -> Order:
    values: dict[str, Any] = {
        "kind": OrderKind.COMPOSITE,
        "created_at": datetime(2025, 3, 1, 12, tzinfo=timezone.utc),
        "start": date(2025, 3, 1),
        "end": date(2025, 5, 31),
        "model": "Stratus2",
        "aoi": SQUARE,
        "price": Money(amount=Decimal("12.50"), currency="EUR"),
    }
    values.update(fields)
    return Order(provider=provider, id=order_id, status=status, raw_status=raw, **values)


@dataclass(frozen=True)
class FakeOutboxEntry:
    """The fields of ``core.ordering.outbox.OutboxEntry`` the order book reads."""

    reference: str
    provider: str
    state: str
    orders: tuple[Order, ...]
    title: str = ""
    errors: tuple[str, ...] = ()
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    cart_item_id: str = ""
    spec: Any = None
    price: Optional[Money] = None
