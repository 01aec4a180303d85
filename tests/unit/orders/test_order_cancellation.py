"""Cancelling an order in core: the rule for the order as its provider has it now, and
the cancel that sends nothing when the outcome changed since the user confirmed (no QGIS)."""

from __future__ import annotations

from datetime import date

import pytest

from nadir.core.errors import NotFound, OperationCancelled, ProviderRejected
from nadir.core.models import CancelPreview, Lifecycle
from nadir.core.orders.cancellation import (
    NOTHING_TO_CANCEL,
    cancel_confirmed,
    current_preview,
    nothing_to_cancel,
    same_outcome,
)
from support.orders_data import order
from support.orders_fakes import Backend

A = "1a2b3c4d-0000-4000-8000-000000000001"
IN_REVIEW = CancelPreview(allowed=True, effect="The order is still in review: it is cancelled completely.")
MONTH_END = CancelPreview(allowed=True, effect="The current month completes and the order will not renew.")
LIVE_RECURRING = {"raw": "Preparing", "status": Lifecycle.IN_PROGRESS, "recurring": True, "end": None}


def calls(backend):
    return [what for _, what, _ in backend.calls]


@pytest.mark.parametrize("status", [s for s in Lifecycle if s.terminal])
def test_a_finished_order_has_nothing_to_cancel(status):
    refusal = nothing_to_cancel(order(A, raw="Whatever it is called", status=status))
    assert refusal == CancelPreview(
        allowed=False, effect="The order is Whatever it is called: there is nothing to cancel."
    )


@pytest.mark.parametrize("status", [s for s in Lifecycle if not s.terminal])
def test_an_unfinished_order_is_for_its_provider_to_judge(status):
    assert nothing_to_cancel(order(A, status=status)) is None


def test_the_refusal_takes_a_translated_template():
    refusal = nothing_to_cancel(
        order(A, raw="Completed", status=Lifecycle.COMPLETED), "Der Auftrag ist {}: Es gibt nichts zu stornieren."
    )
    assert refusal is not None and refusal.effect == "Der Auftrag ist Completed: Es gibt nichts zu stornieren."
    assert NOTHING_TO_CANCEL.format("X") == "The order is X: there is nothing to cancel."


def test_the_rule_is_asked_for_the_order_as_the_provider_has_it_now():
    backend = Backend()
    backend.put(order(A, **LIVE_RECURRING))  # the provider's copy has left Review
    adapter = backend.adapter("clearsky")
    fresh, preview = current_preview(adapter, order(A, recurring=True, end=None))  # the book's copy: Review
    assert fresh.raw_status == "Preparing"
    assert preview == MONTH_END
    assert calls(backend) == ["get", "preview"]
    assert backend.closed == 0  # the caller closes the adapter


def test_an_order_finished_at_the_provider_is_refused_without_asking_its_rule():
    backend = Backend()
    backend.put(order(A, raw="Completed", status=Lifecycle.COMPLETED))
    fresh, preview = current_preview(backend.adapter("clearsky"), order(A), "{} - nichts")
    assert fresh.status is Lifecycle.COMPLETED
    assert preview == CancelPreview(allowed=False, effect="Completed - nichts")
    assert calls(backend) == ["get"]


def test_cancel_confirmed_cancels_when_the_outcome_is_unchanged():
    backend = Backend()
    backend.put(order(A))
    result = cancel_confirmed(backend.adapter("clearsky"), order(A), IN_REVIEW)
    assert result.sent and result.changed is None
    assert result.order.status is Lifecycle.CANCELLED and result.order.raw_status == "Canceled"
    assert calls(backend) == ["get", "preview", "cancel", "get", "preview"]  # the last two: the fake's own check
    assert backend.orders["clearsky"][A].raw_status == "Canceled"


def test_cancel_confirmed_sends_nothing_when_the_order_moved_on():
    """Confirmed while in review ("cancelled completely"); meanwhile the recurring order
    went live, where cancelling only stops it renewing: nothing is sent, the new outcome
    comes back to be confirmed."""
    backend = Backend()
    backend.put(order(A, **LIVE_RECURRING))
    result = cancel_confirmed(backend.adapter("clearsky"), order(A, recurring=True, end=None), IN_REVIEW)
    assert not result.sent
    assert result.changed == MONTH_END
    assert result.order.raw_status == "Preparing"
    assert "cancel" not in calls(backend)


def test_cancel_confirmed_with_the_new_outcome_then_cancels():
    backend = Backend()
    backend.put(order(A, **LIVE_RECURRING))
    result = cancel_confirmed(backend.adapter("clearsky"), order(A, **LIVE_RECURRING), MONTH_END)
    assert result.sent and result.order.cancellation_date == date(2025, 3, 31)


def test_a_refusal_that_became_an_allowance_is_a_change_too():
    backend = Backend()
    backend.put(order(A))  # in review
    refused = CancelPreview(allowed=False, effect="The order is still in review: it is cancelled completely.")
    result = cancel_confirmed(backend.adapter("clearsky"), order(A), refused)
    assert not result.sent and result.changed == IN_REVIEW
    assert "cancel" not in calls(backend)


def test_a_task_cancelled_before_the_send_sends_nothing():
    backend = Backend()
    backend.put(order(A))
    with pytest.raises(OperationCancelled):
        cancel_confirmed(backend.adapter("clearsky"), order(A), IN_REVIEW, cancelled=lambda: True)
    assert "cancel" not in calls(backend)
    assert backend.orders["clearsky"][A].raw_status == "Review"


def test_provider_errors_reach_the_caller():
    backend = Backend()
    with pytest.raises(NotFound):  # gone at the provider
        cancel_confirmed(backend.adapter("clearsky"), order(A), IN_REVIEW)
    backend.put(order(A))

    class Refusing:
        def get_order(self, order_id):
            return backend.adapter("clearsky").get_order(order_id)

        def cancel_preview(self, order):
            return IN_REVIEW

        def cancel_order(self, order_id):
            raise ProviderRejected("ClearSKY Vision refused: the order is being processed.")

    with pytest.raises(ProviderRejected, match="being processed"):
        cancel_confirmed(Refusing(), order(A), IN_REVIEW)


def test_same_outcome_compares_permission_and_effect():
    assert same_outcome(IN_REVIEW, CancelPreview(allowed=True, effect=IN_REVIEW.effect))
    assert not same_outcome(IN_REVIEW, MONTH_END)
    assert not same_outcome(IN_REVIEW, CancelPreview(allowed=False, effect=IN_REVIEW.effect))
