"""Order book: merge of listings and outbox, change detection, persistence."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from nadir.core.errors import StorageError
from nadir.core.models import Lifecycle, Money
from nadir.core.orders.book import EventKind, OrderBook, announceable, short_id
from support.orders_data import FakeOutboxEntry, order

A = "1a2b3c4d-0000-4000-8000-000000000001"
B = "5e6f7a8b-0000-4000-8000-000000000002"


def test_first_listing_sets_a_baseline_silently_then_changes_are_announced():
    book = OrderBook()
    assert book.apply_listing("clearsky", [order(A), order(B, raw="Preparing", status=Lifecycle.IN_PROGRESS)]) == []
    assert book.has_baseline("clearsky") and len(book) == 2

    events = book.apply_listing(
        "clearsky",
        [
            order(A, raw="Preparing", status=Lifecycle.IN_PROGRESS),
            order(B, raw="Preparing", status=Lifecycle.IN_PROGRESS),
        ],
    )
    assert [e.kind for e in events] == [EventKind.CHANGED]
    event = events[0]
    assert event.key == ("clearsky", A)
    assert event.before is not None and event.before.raw_status == "Review"
    assert event.describe() == "ClearSKY Vision order 1a2b3c4d…: Review → Preparing"
    assert book.get(("clearsky", A)).order.raw_status == "Preparing"


def test_same_listing_twice_gives_no_events():
    book = OrderBook()
    book.apply_listing("clearsky", [order(A)])
    assert book.apply_listing("clearsky", [order(A)]) == []


def test_sub_status_price_dates_and_cancellation_are_changes():
    book = OrderBook()
    book.apply_listing("up42", [order(A, provider="up42", raw="PLACED", status=Lifecycle.IN_PROGRESS)])
    changed = order(
        A,
        provider="up42",
        raw="PLACED",
        status=Lifecycle.IN_PROGRESS,
        sub_status="QUOTATION_ACCEPTED",
        price=Money(amount=Decimal("14"), currency="EUR"),
        end=date(2025, 6, 30),
        cancellation_date=date(2025, 3, 31),
    )
    (event,) = book.apply_listing("up42", [changed])
    names = [c.name for c in event.changes]
    assert names == ["status", "price", "end", "cancellation date"]
    text = event.describe()
    assert "PLACED → PLACED (QUOTATION_ACCEPTED)" in text
    assert "price 12.50 EUR → 14.00 EUR" in text
    assert "end 2025-05-31 → 2025-06-30" in text
    assert "cancellation date 2025-03-31" in text
    assert text.startswith("UP42 order 1a2b3c4d…")


def test_an_order_appearing_after_the_baseline_is_new():
    book = OrderBook()
    book.apply_listing("clearsky", [order(A)])
    (event,) = book.apply_listing("clearsky", [order(A), order(B)])
    assert event.kind is EventKind.NEW
    assert event.describe() == "New ClearSKY Vision order 5e6f7a8b…: Review"


def test_unknown_status_is_kept_verbatim():
    book = OrderBook()
    book.apply_listing("clearsky", [order(A)])
    (event,) = book.apply_listing("clearsky", [order(A, raw="QuantumEntangling", status=Lifecycle.UNKNOWN)])
    assert event.describe().endswith("Review → QuantumEntangling")
    assert book.get(("clearsky", A)).order.status is Lifecycle.UNKNOWN


def test_missing_from_a_complete_listing_is_dropped_unless_nadir_placed_it():
    book = OrderBook()
    book.merge_outbox([FakeOutboxEntry("ref-1", "clearsky", "placed", (order(B),), title="Munich composite")])
    book.apply_listing("clearsky", [order(A), order(B)])
    assert book.apply_listing("clearsky", []) == []
    assert book.get(("clearsky", A)) is None
    kept = book.get(("clearsky", B))
    assert kept is not None and kept.reference == "ref-1" and kept.label == "Munich composite"


def test_incomplete_listing_drops_nothing_and_sets_no_baseline():
    book = OrderBook()
    book.apply_listing("geopera", [order(A, provider="geopera")], complete=False)
    assert not book.has_baseline("geopera")
    book.apply_listing("geopera", [], complete=False)
    assert book.get(("geopera", A)) is not None


def test_outbox_orders_show_before_any_listing_and_provider_data_wins():
    book = OrderBook()
    placed = FakeOutboxEntry("ref-9", "clearsky", "placed", (order(A),), title="Tiles near Lyon")
    pending = FakeOutboxEntry("ref-10", "clearsky", "sending", (), title="not placed yet")
    assert book.merge_outbox([placed, pending]) == 1
    entry = book.get(("clearsky", A))
    assert entry.placed_by_nadir and not entry.listed
    assert book.placed_to_follow("clearsky") == [A]
    # the provider's first listing: not a baseline event, but the outbox order moved on
    (event,) = book.apply_listing("clearsky", [order(A, raw="Preparing", status=Lifecycle.IN_PROGRESS)])
    assert event.changes[0].describe() == "Review → Preparing"
    entry = book.get(("clearsky", A))
    assert entry.listed and entry.reference == "ref-9" and entry.order.raw_status == "Preparing"
    assert book.merge_outbox([placed]) == 0
    assert book.get(("clearsky", A)).order.raw_status == "Preparing"  # outbox data never overrides


def test_terminal_orders_are_not_followed():
    book = OrderBook()
    book.merge_outbox(
        [FakeOutboxEntry("r", "clearsky", "placed", (order(A, raw="Canceled", status=Lifecycle.CANCELLED),))]
    )
    assert book.placed_to_follow("clearsky") == []


def test_entries_are_newest_first_and_models_listed():
    from datetime import datetime, timezone

    book = OrderBook()
    old = order(A, created_at=datetime(2024, 1, 1, tzinfo=timezone.utc), model="Nimbus")
    new = order(B, created_at=datetime(2025, 1, 1, tzinfo=timezone.utc))
    book.apply_listing("clearsky", [old, new])
    assert [e.order.id for e in book.entries()] == [B, A]
    assert book.models() == ["Nimbus", "Stratus2"]
    assert book.count("clearsky") == 2 and book.count("up42") == 0


def test_listing_of_another_providers_order_is_a_bug():
    with pytest.raises(ValueError):
        OrderBook().apply_listing("clearsky", [order(A, provider="up42")])


def test_announceable_puts_status_changes_first():
    book = OrderBook()
    book.apply_listing("clearsky", [order(A), order(B)])
    events = book.apply_listing(
        "clearsky",
        [
            order(A, price=Money(amount=Decimal(1), currency="EUR")),
            order(B, raw="Preparing", status=Lifecycle.IN_PROGRESS),
            order("c" * 36),
        ],
    )
    assert [e.order.id for e in announceable(events)] == [B, A, "c" * 36]


def test_short_id():
    assert short_id("1a2b3c4d-0000") == "1a2b3c4d…"
    assert short_id("SAL123") == "SAL123"


# ------------------------------------------------------------------ persistence
def test_state_survives_a_restart_and_nothing_is_announced_again(tmp_path):
    path = tmp_path / "nadir" / "orders.json"
    book = OrderBook(path=path)
    book.merge_outbox([FakeOutboxEntry("ref-1", "clearsky", "placed", (order(B),), title="T")])
    book.apply_listing(
        "clearsky",
        [
            order(
                A,
                raw="Preparing",
                status=Lifecycle.IN_PROGRESS,
                extra={"BillingCycle": 3},
                cancellation_date=date(2025, 3, 31),
            ),
            order(B),
        ],
    )
    assert book.dirty
    book.save()
    assert not book.dirty and path.exists()
    assert not list(path.parent.glob("*.tmp"))

    again = OrderBook.load(path)
    assert again.has_baseline("clearsky") and len(again) == 2
    restored = again.get(("clearsky", A)).order
    assert restored == book.get(("clearsky", A)).order
    assert restored.price == Money(amount=Decimal("12.50"), currency="EUR")
    assert again.get(("clearsky", B)).reference == "ref-1"
    assert again.apply_listing("clearsky", [restored, order(B)]) == []


def test_corrupt_state_is_set_aside_and_the_next_poll_is_silent(tmp_path):
    path = tmp_path / "orders.json"
    path.write_text('{"version": 1, "orders": [', encoding="utf-8")
    book = OrderBook.load(path)
    assert len(book) == 0 and not book.has_baseline("clearsky")
    assert (tmp_path / "orders.json.unreadable").exists()
    assert book.apply_listing("clearsky", [order(A)]) == []


def test_unreadable_entries_are_skipped(tmp_path):
    path = tmp_path / "orders.json"
    good = OrderBook(path=path)
    good.apply_listing("clearsky", [order(A)])
    good.save()
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["orders"].append({"order": {"provider": "clearsky"}})
    raw["orders"].append("nonsense")
    path.write_text(json.dumps(raw), encoding="utf-8")
    book = OrderBook.load(path)
    assert [e.order.id for e in book.entries()] == [A]


def test_other_format_version_starts_afresh(tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps({"version": 99, "orders": []}), encoding="utf-8")
    assert len(OrderBook.load(path)) == 0


def test_save_failure_is_a_storage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    book = OrderBook(path=blocker / "orders.json")
    book.apply_listing("clearsky", [order(A)])
    with pytest.raises(StorageError, match="could not save"):
        book.save()


def test_the_cart_items_name_and_estimate_stay_with_the_order(tmp_path):
    """ClearSKY lists its orders without a price and with a title of its own making: the
    name the user gave the cart item and the checkout's estimate stay, and survive a restart."""
    from nadir.core.orders.book import order_name

    estimate = Money(amount=Decimal("62.37"), currency="EUR")
    book = OrderBook(path=tmp_path / "orders.json")
    placed = FakeOutboxEntry(
        "ref-9",
        "clearsky",
        "placed",
        (order(A, price=None, title="Stratus2 composite"),),
        title="Aarhus fields, live",
        price=estimate,
    )
    book.merge_outbox([placed])
    listed = order(A, raw="Preparing", status=Lifecycle.IN_PROGRESS, price=None, title="Stratus2 composite")
    (event,) = book.apply_listing("clearsky", [listed])
    assert [c.name for c in event.changes] == ["status"]  # the kept price is no change
    assert event.describe() == "ClearSKY Vision order Aarhus fields, live (1a2b3c4d…): Review → Preparing"
    entry = book.get(("clearsky", A))
    assert entry.order.title == "Aarhus fields, live" and entry.order.price == estimate and entry.estimated
    assert order_name(entry.order) == "Aarhus fields, live (1a2b3c4d…)"
    book.save()
    again = OrderBook.load(tmp_path / "orders.json")
    assert again.get(("clearsky", A)).order.price == estimate and again.get(("clearsky", A)).price == estimate
    again.apply_listing("clearsky", [listed])
    assert again.get(("clearsky", A)).order.title == "Aarhus fields, live"
    billed = Money(amount=Decimal("17.46"), currency="EUR")  # the provider's own price wins when it has one
    book.apply_listing("clearsky", [listed.model_copy(update={"price": billed})])
    assert book.get(("clearsky", A)).order.price == billed and not book.get(("clearsky", A)).estimated
    assert order_name(order(B, title="")) == "5e6f7a8b…"
