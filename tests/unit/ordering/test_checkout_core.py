"""Placing through the outbox (core/ordering/checkout.py) with a fake provider: every fault ends in
at most one order, a lost answer is looked up before any resend, 402 is never retried
and its client secret goes nowhere, and reconcile only looks up."""

from __future__ import annotations

import logging
import threading

import pytest

from nadir.core.errors import AlreadyPlacing
from nadir.core.models import PlacementResult
from nadir.core.ordering import checkout
from nadir.core.ordering.outbox import FAILED, PLACED, SENDING, UNKNOWN, Outbox
from support.orders import FakePlacer, archive, composite


@pytest.fixture
def outbox(tmp_path):
    return Outbox(tmp_path / "outbox.sqlite")


@pytest.fixture
def fake():
    return FakePlacer()


def queue(outbox, spec=None, item="item-1"):
    return outbox.enqueue(spec or composite(), cart_item_id=item, title="Fields").reference


def test_plain_placement(outbox, fake):
    ref = queue(outbox)
    outcome = checkout.place(outbox, fake, ref)
    assert outcome.placed and outcome.sent
    assert fake.place_calls == [ref] and fake.count(ref) == 1
    assert outcome.entry.orders[0].client_reference == ref and outcome.entry.placed_at is not None
    again = checkout.place(outbox, fake, ref)  # idempotent: nothing sent the second time
    assert again.placed and not again.sent and fake.place_calls == [ref]


def test_lost_answer_is_looked_up_and_ends_in_one_order(outbox, fake):
    ref = queue(outbox)
    fake.faults = ["lost"]
    outcome = checkout.place(outbox, fake, ref)
    assert outcome.placed and fake.count() == 1 and fake.lookups == [ref]
    assert fake.place_calls == [ref]


def test_lookup_failure_leaves_unknown_and_the_next_attempt_looks_up_before_sending(outbox, fake):
    ref = queue(outbox)
    fake.faults, fake.lookup_fails = ["lost"], 1
    outcome = checkout.place(outbox, fake, ref)
    assert outcome.entry.state == UNKNOWN and "checking whether the order exists failed" in outcome.entry.message
    retry = checkout.place(outbox, fake, ref)  # the user clicks Retry
    assert retry.placed and not retry.sent
    assert fake.count() == 1 and fake.place_calls == [ref]


def test_server_error_without_an_order_is_found_absent_and_retried_under_the_same_reference(outbox, fake):
    ref = queue(outbox)
    fake.faults = ["unavailable_5xx"]
    outcome = checkout.place(outbox, fake, ref)
    assert outcome.entry.state == FAILED and outcome.entry.failure == "not_placed"
    assert "not placed" in outcome.entry.message
    retry = checkout.place(outbox, fake, ref)
    assert retry.placed and fake.place_calls == [ref, ref] and fake.count() == 1


def test_a_success_naming_no_order_is_looked_up_not_recorded_as_not_placed(outbox, fake):
    ref = queue(outbox)
    fake.faults = ["silent"]
    outcome = checkout.place(outbox, fake, ref)
    assert outcome.placed and fake.lookups == [ref] and fake.count() == 1
    with pytest.raises(AlreadyPlacing):  # placing the item again is refused
        queue(outbox)


def test_a_final_5xx_of_a_keyed_write_is_looked_up_not_taken_as_not_sent(outbox, fake):
    ref = queue(outbox)
    fake.faults = ["keyed_5xx"]
    outcome = checkout.place(outbox, fake, ref)
    assert outcome.placed and fake.lookups == [ref] and fake.count() == 1


def test_not_sent_fails_clearly_and_retry_reuses_the_reference(outbox, fake):
    ref = queue(outbox)
    fake.faults = ["not_sent"]
    outcome = checkout.place(outbox, fake, ref)
    assert outcome.entry.state == FAILED and outcome.entry.failure == "unavailable"
    assert "could not be reached" in outcome.entry.message and "stays in the cart" in outcome.entry.message
    assert checkout.place(outbox, fake, ref).placed
    assert fake.place_calls == [ref, ref] and fake.count() == 1


def test_unexpected_exception_after_sending_is_resolved_not_resent(outbox, fake, caplog):
    ref = queue(outbox)
    fake.faults = ["crash"]
    with caplog.at_level(logging.ERROR):
        outcome = checkout.place(outbox, fake, ref)
    assert outcome.placed and fake.count() == 1 and fake.place_calls == [ref]
    assert "bug after sending" in caplog.text


@pytest.mark.parametrize("fault,failure", [("payment", "payment"), ("3ds", "payment_action")])
def test_payment_required_is_final_and_the_client_secret_stays_in_memory(outbox, fake, caplog, fault, failure):
    ref = queue(outbox)
    fake.faults = [fault]
    with caplog.at_level(logging.DEBUG):
        outcome = checkout.place(outbox, fake, ref)
    entry = outcome.entry
    assert entry.state == FAILED and entry.failure == failure and fake.place_calls == [ref]
    assert fake.count() == 0 and outcome.payment is not None
    if fault == "3ds":
        assert outcome.payment.client_secret == "pi_3DS_SECRET_do_not_log"  # for the payment step only
        assert "3-D Secure" in entry.message and "Retry" in entry.message
    secret = "pi_3DS_SECRET"
    assert secret not in entry.message and secret not in repr(outcome.payment) and secret not in str(outcome.payment)
    assert secret not in caplog.text
    for path in outbox.path.parent.iterdir():
        assert secret.encode() not in path.read_bytes(), path
    # Retry after the bank challenge: same reference, exactly one order
    retry = checkout.place(outbox, fake, ref)
    assert retry.placed and fake.place_calls == [ref, ref] and fake.count() == 1


def test_rejected_is_final_for_the_attempt(outbox, fake):
    ref = queue(outbox)
    fake.faults = ["rejected"]
    entry = checkout.place(outbox, fake, ref).entry
    assert entry.state == FAILED and entry.failure == "rejected" and "bad model" in entry.message


def test_double_click_from_two_threads_places_once(outbox, fake):
    fake.gate = threading.Event()
    results: list[object] = []

    def click():
        try:
            ref = queue(outbox, item="double")
            results.append(checkout.place(outbox, fake, ref))
        except AlreadyPlacing as exc:
            results.append(exc)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    fake.gate.set()
    for thread in threads:
        thread.join(20)
    assert sum(isinstance(r, AlreadyPlacing) for r in results) == 1
    assert fake.count() == 1 and len(fake.place_calls) == 1


def test_placing_the_same_reference_concurrently_sends_once(outbox, fake):
    ref = queue(outbox)
    fake.gate = threading.Event()
    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(checkout.place(outbox, fake, ref))) for _ in range(3)]
    for thread in threads:
        thread.start()
    fake.gate.set()
    for thread in threads:
        thread.join(20)
    assert fake.place_calls == [ref] and fake.count() == 1
    assert outbox.require(ref).state == PLACED


def test_partial_placement_records_orders_and_refusals(outbox, fake):
    ref = outbox.enqueue(archive(ids=("a", "b", "c")), cart_item_id="arch").reference
    fake.faults = ["partial"]
    entry = checkout.place(outbox, fake, ref).entry
    assert entry.state == PLACED and [e.item for e in entry.errors] == ["c"]


def test_reconcile_looks_up_dead_senders_and_unknowns_and_never_sends(outbox, fake):
    dead = queue(outbox, item="dead")
    outbox.claim(dead, owner="some-other-host:12345")
    fake._make(composite(), dead)  # the provider got it before the sender died
    unknown = queue(outbox, composite(api_requests=3), item="unknown")
    outbox.claim(unknown)
    outbox.mark_unknown(unknown, "lost")  # never reached the provider
    mine = queue(outbox, composite(api_requests=4), item="mine")
    outbox.claim(mine)  # this process is sending it: left alone
    done = checkout.reconcile(outbox, lambda provider: fake)
    states = {e.reference: (e.state, e.failure) for e in done}
    assert states == {dead: (PLACED, ""), unknown: (FAILED, "not_placed")}
    assert outbox.require(mine).state == SENDING
    assert fake.place_calls == []


def test_reconcile_skips_providers_it_cannot_reach(outbox, fake):
    ref = queue(outbox)
    outbox.claim(ref, owner="elsewhere:1")
    assert checkout.reconcile(outbox, lambda provider: None) == []
    assert outbox.require(ref).state == SENDING


def test_an_order_recorded_for_another_entry_is_not_taken_as_this_ones(outbox, fake):
    first = queue(outbox, item="first")
    assert checkout.place(outbox, fake, first).placed
    second = queue(outbox, item="second")  # identical spec, e.g. ordered twice on purpose
    outbox.claim(second, owner="gone:1")

    class ContentMatcher(FakePlacer):  # a provider without client references matches by content
        def find_placed(self, spec, reference):
            return PlacementResult(orders=tuple(fake.orders.values()))

    done = checkout.reconcile(outbox, lambda provider: ContentMatcher())
    assert [(e.reference, e.state, e.failure) for e in done] == [(second, FAILED, "not_placed")]


@pytest.mark.parametrize("faults,lookup_fails", [(["lost"], 0), (["lost"], 1), (["crash"], 0)])
def test_the_reference_is_never_logged_in_full(outbox, fake, caplog, faults, lookup_fails):
    """The reference is the Idempotency-Key Geopera de-duplicates on: logs get its first 8 characters."""
    ref = queue(outbox)
    fake.faults, fake.lookup_fails = faults, lookup_fails
    with caplog.at_level(logging.DEBUG):
        checkout.place(outbox, fake, ref)
    assert caplog.records and ref[:8] in caplog.text
    assert ref not in caplog.text
