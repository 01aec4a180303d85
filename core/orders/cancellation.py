"""Cancelling an order: what the provider's rule says for the order as it is now, and the
cancel itself. Both run in a task (they call the provider); neither closes the adapter.

The book's copy of an order may be a polling interval old, and a ClearSKY order leaves
Review within seconds, so the rule is always asked for the order fetched again from its
provider. A finished order has nothing to cancel and its provider is not asked.
Cancelling asks the rule once more first: if the order moved on while the user read the
confirmation and cancelling would now do something else, nothing is sent and the new
outcome comes back to be confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..errors import OperationCancelled
from ..i18n import QT_TRANSLATE_NOOP
from ..models import CancelPreview, Order
from ..ports import Cancelled, SupportsOrders, never_cancelled

#: the refusal for a finished order; ``{}`` is the status as the provider names it
NOTHING_TO_CANCEL = QT_TRANSLATE_NOOP("Nadir", "The order is {}: there is nothing to cancel.")


def nothing_to_cancel(order: Order, template: str = NOTHING_TO_CANCEL) -> Optional[CancelPreview]:
    """The refusal for an order whose status is final; None when its provider must be asked.

    ``template`` is :data:`NOTHING_TO_CANCEL` or its translation."""
    if not order.status.terminal:
        return None
    return CancelPreview(allowed=False, effect=template.format(order.raw_status))


def current_preview(
    adapter: SupportsOrders, order: Order, template: str = NOTHING_TO_CANCEL
) -> tuple[Order, CancelPreview]:
    """The order as its provider has it now, and what cancelling it would do."""
    fresh = adapter.get_order(order.id)
    refusal = nothing_to_cancel(fresh, template)
    return fresh, refusal if refusal is not None else adapter.cancel_preview(fresh)


@dataclass(frozen=True)
class CancelResult:
    """What :func:`cancel_confirmed` did.

    ``changed`` is None when the cancel was sent, and ``order`` is the order after it.
    Otherwise nothing was sent: ``order`` is the order as the provider has it now and
    ``changed`` what cancelling it would do now, to be confirmed again."""

    order: Order
    changed: Optional[CancelPreview] = None

    @property
    def sent(self) -> bool:
        return self.changed is None


def same_outcome(a: CancelPreview, b: CancelPreview) -> bool:
    """Whether two answers of the rule say the same: allowed or not, and the same effect."""
    return (a.allowed, a.effect) == (b.allowed, b.effect)


def cancel_confirmed(
    adapter: SupportsOrders,
    order: Order,
    confirmed: CancelPreview,
    cancelled: Cancelled = never_cancelled,
    template: str = NOTHING_TO_CANCEL,
) -> CancelResult:
    """Cancel ``order`` if cancelling still does what the user confirmed (``confirmed``).

    Raises :class:`OperationCancelled` when ``cancelled()`` turns true before the cancel
    is sent, and whatever the adapter raises (the provider refused, is unreachable...)."""
    fresh, now = current_preview(adapter, order, template)
    if not same_outcome(now, confirmed):
        return CancelResult(fresh, now)
    if cancelled():
        raise OperationCancelled()
    return CancelResult(adapter.cancel_order(order.id))
