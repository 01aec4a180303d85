"""A fake provider backend for presenter tests that do not need HTTP (qgis tier).

The cancellation rule follows ClearSKY's (seed 000): in review the order is cancelled
completely; a recurring order is stopped at the end of the month; anything else is
refused with the reason. Tests against the real adapter and the sandbox live beside.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Optional

from nadir.core.errors import NotFound, ProviderRejected
from nadir.core.models import AccountInfo, CancelPreview, Lifecycle, Order


@dataclass
class Backend:
    orders: dict[str, dict[str, Order]] = field(default_factory=dict)  # provider -> id -> order
    failures: dict[str, list[BaseException]] = field(default_factory=dict)  # provider -> errors to raise next
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    closed: int = 0
    gate: Optional[threading.Event] = None  # when set, list_orders waits for it
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, order: Order) -> None:
        with self.lock:
            self.orders.setdefault(order.provider, {})[order.id] = order

    def fail_next(self, provider: str, *errors: BaseException) -> None:
        with self.lock:
            self.failures.setdefault(provider, []).extend(errors)

    def adapter(self, provider: str, _settings: Any = None) -> FakeAdapter:
        return FakeAdapter(self, provider)


class FakeAdapter:
    def __init__(self, backend: Backend, provider: str) -> None:
        self.backend = backend
        self._provider = provider

    @property
    def id(self) -> str:
        return self._provider

    @property
    def title(self) -> str:
        return self._provider

    def account(self) -> AccountInfo:
        return AccountInfo(provider=self._provider)

    def close(self) -> None:
        self.backend.closed += 1

    def _raise_pending(self) -> None:
        with self.backend.lock:
            pending = self.backend.failures.get(self._provider)
            error = pending.pop(0) if pending else None
        if error is not None:
            raise error

    def list_orders(self, order_filter=None, cancelled=lambda: False):
        self.backend.calls.append((self._provider, "list", ""))
        if self.backend.gate is not None:
            self.backend.gate.wait(30)
        self._raise_pending()
        with self.backend.lock:
            return iter(list(self.backend.orders.get(self._provider, {}).values()))

    def get_order(self, order_id: str) -> Order:
        self.backend.calls.append((self._provider, "get", order_id))
        with self.backend.lock:
            found = self.backend.orders.get(self._provider, {}).get(order_id)
        if found is None:
            raise NotFound(f"no order {order_id}")
        return found

    def cancel_preview(self, order: Order) -> CancelPreview:
        self.backend.calls.append((self._provider, "preview", order.id))
        if order.raw_status == "Review":
            return CancelPreview(allowed=True, effect="The order is still in review: it is cancelled completely.")
        if order.recurring and order.cancellation_date is None and not order.status.terminal:
            return CancelPreview(allowed=True, effect="The current month completes and the order will not renew.")
        return CancelPreview(allowed=False, effect=f"The order is {order.raw_status}: it cannot be cancelled.")

    def cancel_order(self, order_id: str) -> Order:
        self.backend.calls.append((self._provider, "cancel", order_id))
        order = self.get_order(order_id)
        preview = self.cancel_preview(order)
        if not preview.allowed:
            raise ProviderRejected(preview.effect)
        if order.raw_status == "Review":
            after = order.model_copy(update={"raw_status": "Canceled", "status": Lifecycle.CANCELLED})
        else:
            after = order.model_copy(update={"cancellation_date": date(2025, 3, 31)})
        self.backend.put(after)
        return after


class FakeDialogs:
    """``answers``: the replies to successive confirmations (then ``confirm``);
    ``while_open(order)`` runs while a confirmation is shown (the user reading it)."""

    def __init__(
        self, confirm: bool = True, answers: tuple[bool, ...] = (), while_open: Optional[Callable[[Order], None]] = None
    ) -> None:
        self.confirm = confirm
        self.answers = list(answers)
        self.while_open = while_open
        self.asked: list[tuple[str, str]] = []
        self.statuses: list[str] = []
        self.shown: list[Order] = []
        self.refused: list[tuple[str, str]] = []

    def confirm_cancel(self, order: Order, preview: CancelPreview) -> bool:
        self.asked.append((order.id, preview.effect))
        self.statuses.append(order.raw_status)
        self.shown.append(order)
        if self.while_open is not None:
            self.while_open(order)
        return self.answers.pop(0) if self.answers else self.confirm

    def cannot_cancel(self, order: Order, preview: CancelPreview) -> None:
        self.refused.append((order.id, preview.effect))
