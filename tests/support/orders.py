"""Order specs, estimates and a fake placing adapter shared by cart/outbox tests."""

from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Optional

from nadir.core import errors
from nadir.core.models import (
    ArchiveSpec,
    CaptureRef,
    ClearSkySpec,
    Estimate,
    ItemError,
    Lifecycle,
    Money,
    Order,
    OrderKind,
    OrderSpec,
    PlacementResult,
    TaskingSpec,
    spec_kind,
    spec_provider,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[10.0, 56.0], [10.05, 56.0], [10.05, 56.03], [10.0, 56.03], [10.0, 56.0]]],
}


def composite(**changes) -> ClearSkySpec:
    values = dict(
        model="Stratus2",
        constellations=("Sentinel2",),
        start=date(2025, 4, 1),
        end=None,
        frequency_days=3,
        storage_months=2,
        api_requests=1,
        aoi=SQUARE,
    )
    values.update(changes)
    return ClearSkySpec(**values)


def tiles(**changes) -> ClearSkySpec:
    values = dict(
        model="Nimbus",
        constellations=("Sentinel1", "Sentinel2"),
        start=date(2025, 1, 1),
        end=date(2025, 3, 1),
        frequency_days=5,
        tile_dedup=True,
        tile_guids=("t-1", "t-2"),
        minitile_guids=("m-1",),
    )
    values.update(changes)
    return ClearSkySpec(**values)


def archive(provider: str = "geopera", ids: tuple[str, ...] = ("cap-1", "cap-2")) -> ArchiveSpec:
    return ArchiveSpec(provider=provider, captures=tuple(CaptureRef(id=i, geometry=SQUARE) for i in ids))


def tasking() -> TaskingSpec:
    return TaskingSpec(data_product_id="dp-1", params={"acquisitionMode": "mono"}, geometry=SQUARE)


def estimate(amount: str, currency: str = "EUR", provider: str = "clearsky") -> Estimate:
    return Estimate(
        provider=provider,
        total=Money(amount=Decimal(amount), currency=currency),
        image_dates=(date(2025, 4, 1), date(2025, 4, 4)),
    )


class FakePlacer:
    """A provider that keeps orders in memory; faults are queued per call.

    ``faults`` holds names consumed one per ``place`` call: ``"lost"`` (order made,
    answer lost: OutcomeUnknown), ``"not_sent"`` (ProviderUnavailable, no order),
    ``"payment"``, ``"3ds"``, ``"rejected"``, ``"lookup_fails"`` (next find_placed
    raises), ``"crash"`` (order made, then a non-Nadir exception), ``"silent"`` (order
    made, the answer names no order and no refusal), ``"keyed_5xx"`` (order made, then
    the HTTP layer's final 5xx of a keyed write: ProviderUnavailable with a status),
    ``"still_placing"`` (order made, then 409 "still processing": StillPlacing).
    """

    id = "clearsky"
    title = "Fake provider"

    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        self.by_reference: dict[str, list[str]] = {}
        self.faults: list[str] = []
        self.place_calls: list[str] = []
        self.lookups: list[str] = []
        self.lookup_fails = 0
        self.gate: Optional[threading.Event] = None  # place waits on it when set
        self._lock = threading.Lock()

    def _make(self, spec: OrderSpec, reference: str) -> Order:
        order = Order(
            provider=spec_provider(spec),
            id=str(uuid.uuid4()),
            kind=spec_kind(spec),
            status=Lifecycle.PENDING,
            raw_status="Review",
            client_reference=reference,
            created_at=datetime.now(timezone.utc),
        )
        with self._lock:
            self.orders[order.id] = order
            self.by_reference.setdefault(reference, []).append(order.id)
        return order

    def place(self, spec: OrderSpec, reference: str) -> PlacementResult:
        self.place_calls.append(reference)
        if self.gate is not None:
            self.gate.wait(10)
        fault = self.faults.pop(0) if self.faults else ""
        if fault == "not_sent":
            raise errors.ProviderUnavailable("Fake provider could not be reached.", provider="clearsky")
        if fault == "payment":
            raise errors.PaymentRequired("Fake provider: insufficient credits.", reason="insufficient_credits")
        if fault == "3ds":
            raise errors.PaymentRequired(
                "Fake provider: 3-D Secure needed.", reason="requires_action", client_secret="pi_3DS_SECRET_do_not_log"
            )
        if fault == "rejected":
            raise errors.ProviderRejected("Fake provider rejected the request: bad model.", status=400)
        if fault == "unavailable_5xx":
            raise errors.OutcomeUnknown("Fake provider failed (HTTP 503).", status=503)
        order = self._make(spec, reference)
        if fault == "lost":
            raise errors.OutcomeUnknown("Fake provider did not confirm: connection dropped.")
        if fault == "crash":
            raise RuntimeError("bug after sending")
        if fault == "silent":
            return PlacementResult()
        if fault == "still_placing":  # 409: an earlier attempt with this key is still being processed
            raise errors.StillPlacing("Fake provider is still processing an earlier attempt.", status=409)
        if fault == "keyed_5xx":  # the last 5xx of a write retried under its idempotency key
            raise errors.ProviderUnavailable("Fake provider is not available (HTTP 503).", status=503)
        if isinstance(spec, ArchiveSpec) and len(spec.captures) > 1 and fault == "partial":
            return PlacementResult(orders=(order,), errors=(ItemError(item=spec.captures[-1].id, message="gone"),))
        return PlacementResult(orders=(order,))

    def find_placed(self, spec: OrderSpec, reference: str) -> Optional[PlacementResult]:
        self.lookups.append(reference)
        if self.lookup_fails:
            self.lookup_fails -= 1
            raise errors.ProviderUnavailable("Fake provider lookup failed.")
        ids = self.by_reference.get(reference, [])
        if not ids:
            return None
        return PlacementResult(orders=tuple(self.orders[i] for i in ids))

    def count(self, reference: Optional[str] = None) -> int:
        if reference is None:
            return len(self.orders)
        return len(self.by_reference.get(reference, []))


def old(moment: datetime, minutes: int) -> datetime:
    return moment - timedelta(minutes=minutes)


__all__ = ["OrderKind"]
