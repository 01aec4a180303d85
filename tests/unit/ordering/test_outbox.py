"""The outbox (core/ordering/outbox.py): written before sending, one live entry per item enforced
by the database, state transitions, WAL, and recovery of damaged files."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time

import pytest

from nadir.core.errors import AlreadyPlacing
from nadir.core.models import PlacementResult
from nadir.core.ordering import checkout
from nadir.core.ordering.outbox import FAILED, PLACED, QUEUED, SENDING, UNKNOWN, Outbox
from support.orders import FakePlacer, archive, composite, tiles


@pytest.fixture
def outbox(tmp_path):
    return Outbox(tmp_path / "nadir" / "outbox.sqlite")


def test_enqueue_commits_a_queued_entry_with_a_reference_before_anything_is_sent(outbox):
    entry = outbox.enqueue(composite(), cart_item_id="item-1", title="Fields")
    assert entry.state == QUEUED and len(entry.reference) == 36
    # another connection (another process would do the same) sees it committed
    other = Outbox(outbox.path)
    seen = other.require(entry.reference)
    assert (seen.state, seen.cart_item_id, seen.title, seen.provider, seen.spec) == (
        QUEUED,
        "item-1",
        "Fields",
        "clearsky",
        composite(),
    )
    conn = sqlite3.connect(outbox.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_the_database_refuses_a_second_live_entry_for_the_same_item(outbox):
    first = outbox.enqueue(composite(), cart_item_id="item-1")
    for state_change in (None, "claim", "placed"):
        if state_change == "claim":
            outbox.claim(first.reference)
        elif state_change == "placed":
            outbox.complete(first.reference, PlacementResult(orders=(_order(),)))
        with pytest.raises(AlreadyPlacing) as info:
            outbox.enqueue(composite(), cart_item_id="item-1")
        assert info.value.reference == first.reference
    assert "already placed" in str(info.value)
    # the constraint itself, not only the method: a raw insert fails too
    conn = sqlite3.connect(outbox.path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO entries(reference, dedup_key, provider, kind, spec, fingerprint, state, "
            "created_at, updated_at) VALUES ('x', 'item-1', 'clearsky', 'composite', '{}', 'f', "
            "'queued', 'now', 'now')"
        )
    conn.close()
    assert len(outbox.entries()) == 1


def _order():
    from nadir.core.models import Lifecycle, Order, OrderKind

    return Order(
        provider="clearsky", id="order-1", kind=OrderKind.COMPOSITE, status=Lifecycle.PENDING, raw_status="Review"
    )


def test_a_failed_entry_is_retried_under_the_same_reference(outbox):
    entry = outbox.enqueue(composite(), cart_item_id="item-1")
    outbox.claim(entry.reference)
    outbox.fail(entry.reference, "refused", "rejected")
    again = outbox.enqueue(composite(), cart_item_id="item-1")
    assert again.reference == entry.reference and again.state == QUEUED
    # an edited spec is a different order: new reference, old attempt kept as history
    outbox.claim(again.reference)
    outbox.fail(again.reference, "refused", "rejected")
    edited = outbox.enqueue(composite(storage_months=5), cart_item_id="item-1")
    assert edited.reference != entry.reference
    assert [e.state for e in outbox.for_key("item-1")] == [QUEUED, FAILED]


def test_claim_is_granted_once(outbox):
    entry = outbox.enqueue(tiles(), cart_item_id="t")
    first = outbox.claim(entry.reference)
    assert first is not None and first.state == SENDING and first.attempts == 1 and first.owner
    assert outbox.claim(entry.reference) is None


def test_placed_lists_successes_newest_first_and_unresolved_lists_what_to_reconcile(outbox):
    refs = []
    for i in range(3):
        entry = outbox.enqueue(composite(api_requests=i + 1), cart_item_id=f"i{i}")
        outbox.claim(entry.reference)
        refs.append(entry.reference)
        time.sleep(0.01)
    outbox.complete(refs[0], PlacementResult(orders=(_order(),)))
    time.sleep(0.01)
    outbox.complete(refs[2], PlacementResult(orders=(_order().model_copy(update={"id": "order-3"}),)))
    outbox.mark_unknown(refs[1], "lost")
    assert [e.reference for e in outbox.placed()] == [refs[2], refs[0]]
    assert [e.reference for e in outbox.unresolved()] == [refs[1]]
    assert outbox.placed()[0].orders[0].id == "order-3"


def _place_in_child(path, barrier, results):
    outbox = Outbox(path)
    barrier.wait()
    try:
        entry = outbox.enqueue(composite(), cart_item_id="shared-item")
        results.put(("queued", entry.reference))
    except AlreadyPlacing as exc:
        results.put(("refused", exc.reference))


def test_two_processes_enqueueing_the_same_item_at_once_make_one_entry(tmp_path):
    path = tmp_path / "outbox.sqlite"
    Outbox(path)
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    children = [context.Process(target=_place_in_child, args=(path, barrier, results)) for _ in range(4)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    outcomes = sorted(results.get(timeout=5) for _ in children)
    assert [o[0] for o in outcomes] == ["queued", "refused", "refused", "refused"]
    assert len({o[1] for o in outcomes}) == 1  # everyone names the same entry
    assert len(Outbox(path).entries()) == 1


# ------------------------------------------------------------------ recovery
def _filled(outbox: Outbox) -> list[str]:
    fake = FakePlacer()
    refs = []
    for i, spec in enumerate((composite(), tiles(), archive())):
        entry = outbox.enqueue(spec, cart_item_id=f"item-{i}", title=f"Item {i}")
        refs.append(entry.reference)
        if i < 2:
            checkout.place(outbox, fake, entry.reference)
    return refs


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "missing"])
def test_damaged_outbox_is_restored_from_its_copy_with_nothing_lost(outbox, damage):
    refs = _filled(outbox)
    before = {e.reference: (e.state, e.order_ids) for e in outbox.entries()}
    size = outbox.path.stat().st_size
    for side in ("-wal", "-shm"):
        outbox.path.with_name(outbox.path.name + side).unlink(missing_ok=True)
    if damage == "truncate":  # half-written
        with open(outbox.path, "r+b") as handle:
            handle.truncate(size // 2)
    elif damage == "garbage":
        outbox.path.write_bytes(os.urandom(size))
    elif damage == "empty":
        outbox.path.write_bytes(b"")
    else:
        outbox.path.unlink()
    reopened = Outbox(outbox.path)
    assert reopened.recovery is not None
    assert reopened.recovery.restored_from == outbox.backup and reopened.recovery.entries == 3
    assert "nothing was lost" in reopened.recovery.message
    assert {e.reference: (e.state, e.order_ids) for e in reopened.entries()} == before
    assert sorted(refs) == sorted(before)
    if damage != "missing":
        assert reopened.recovery.damaged_file is not None and reopened.recovery.damaged_file.exists()
    # and it keeps working: the uniqueness still holds after the restore
    with pytest.raises(AlreadyPlacing):
        reopened.enqueue(composite(), cart_item_id="item-0")
    assert Outbox(outbox.path).recovery is None


def test_a_sound_file_older_than_its_copy_is_replaced_by_the_copy(outbox, tmp_path):
    _filled(outbox)
    stale = tmp_path / "stale.sqlite"
    conn = sqlite3.connect(outbox.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    stale.write_bytes(outbox.path.read_bytes())
    outbox.enqueue(tiles(api_requests=4), cart_item_id="later")
    conn = sqlite3.connect(outbox.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.replace(stale, outbox.path)  # e.g. a sync tool put back yesterday's file
    reopened = Outbox(outbox.path)
    assert reopened.recovery is not None and "older than its backup" in reopened.recovery.reason
    assert reopened.live_for("later") is not None


def test_unrecoverable_outbox_says_so(outbox):
    _filled(outbox)
    outbox.path.write_bytes(b"x" * 5000)
    outbox.backup.write_bytes(b"y" * 5000)
    reopened = Outbox(outbox.path)
    assert reopened.recovery is not None and reopened.recovery.restored_from is None
    assert "check their order lists" in reopened.recovery.message
    assert reopened.entries() == []


def test_nothing_unknown_after_placing(outbox):
    refs = _filled(outbox)
    assert [outbox.require(r).state for r in refs] == [PLACED, PLACED, QUEUED]
    assert outbox.unresolved() == [] and not any(e.state == UNKNOWN for e in outbox.entries())


def test_the_checkout_estimate_is_kept_with_the_entry_and_older_files_gain_the_column(tmp_path):
    from decimal import Decimal

    from nadir.core.models import Money

    path = tmp_path / "old" / "outbox.sqlite"
    path.parent.mkdir()
    conn = sqlite3.connect(path)  # an outbox written before entries had a price
    conn.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema', '1'), ('generation', '0');"
        "CREATE TABLE entries (reference TEXT PRIMARY KEY, dedup_key TEXT, cart_item_id TEXT, provider TEXT NOT NULL,"
        " kind TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', spec TEXT NOT NULL, fingerprint TEXT NOT NULL,"
        " state TEXT NOT NULL, orders TEXT NOT NULL DEFAULT '[]', errors TEXT NOT NULL DEFAULT '[]',"
        " message TEXT NOT NULL DEFAULT '', failure TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0,"
        " owner TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL, sent_at TEXT,"
        " placed_at TEXT);"
        "INSERT INTO entries(reference, provider, kind, title, spec, fingerprint, state, created_at, updated_at)"
        " VALUES ('old-ref', 'clearsky', 'composite', 'Old', '" + composite().model_dump_json() + "', 'x', 'queued',"
        " '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00');"
    )
    conn.close()
    outbox = Outbox(path)
    assert outbox.require("old-ref").price is None
    price = Money(amount=Decimal("62.37"), currency="EUR")
    entry = outbox.enqueue(composite(), cart_item_id="item-1", title="Aarhus fields", price=price)
    assert Outbox(path).require(entry.reference).price == price
    outbox.fail(entry.reference, "declined")
    again = outbox.enqueue(composite(), cart_item_id="item-1", title="Aarhus fields")  # Retry keeps it
    assert again.reference == entry.reference and again.price == price
