"""Hostile and damaged outbox files (outside audit, issue 15 item 4): a forged or garbled
backup copy never replaces good data; rows and meta the code cannot read give a clear
error for that row and keep the rest; no traceback, no order record lost."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from nadir.core.errors import AlreadyPlacing, StorageError
from nadir.core.ordering import checkout
from nadir.core.ordering.outbox import PLACED, Outbox
from support.orders import FakePlacer, archive, composite, tiles


@pytest.fixture
def outbox(tmp_path):
    return Outbox(tmp_path / "outbox.sqlite")


def _filled(outbox: Outbox) -> dict[str, tuple[str, tuple[str, ...]]]:
    fake = FakePlacer()
    for i, spec in enumerate((composite(), tiles(), archive())):
        entry = outbox.enqueue(spec, cart_item_id=f"item-{i}", title=f"Item {i}")
        if i < 2:
            checkout.place(outbox, fake, entry.reference)
    return {e.reference: (e.state, e.order_ids) for e in outbox.entries()}


def _checkpoint(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _sql(path, *statements) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_a_forged_backup_with_a_higher_generation_does_not_replace_good_data(outbox, tmp_path):
    before = _filled(outbox)
    forged_path = tmp_path / "forged.sqlite"
    forged = Outbox(forged_path)
    forged.enqueue(tiles(api_requests=7), cart_item_id="someone-else")
    _sql(forged_path, "UPDATE meta SET value='999' WHERE key='generation'")
    _checkpoint(forged_path)
    shutil.copy(forged_path, outbox.backup)
    reopened = Outbox(outbox.path)
    assert {e.reference: (e.state, e.order_ids) for e in reopened.entries()} == before
    assert reopened.live_for("someone-else") is None
    assert reopened.recovery is None
    assert any("backup copy" in note for note in reopened.problems)
    # the odd copy is kept aside, and the next change writes a true copy again
    assert list(tmp_path.glob("outbox.sqlite.bak.rejected-*"))
    reopened.enqueue(archive(ids=("cap-9",)), cart_item_id="later")
    copy = Outbox(tmp_path / "copy" / "outbox.sqlite")
    shutil.copy(outbox.backup, copy.path)
    assert Outbox(copy.path).live_for("later") is not None


def test_a_garbled_backup_generation_is_ignored_without_a_traceback(outbox):
    before = _filled(outbox)
    _sql(outbox.backup, "UPDATE meta SET value='12x' WHERE key='generation'")
    reopened = Outbox(outbox.path)
    assert {e.reference: (e.state, e.order_ids) for e in reopened.entries()} == before
    assert reopened.recovery is None


def test_an_unreadable_generation_in_the_outbox_itself_keeps_every_entry(outbox):
    before = _filled(outbox)
    _checkpoint(outbox.path)
    _sql(outbox.path, "UPDATE meta SET value='not a number' WHERE key='generation'")
    reopened = Outbox(outbox.path)
    assert {e.reference: (e.state, e.order_ids) for e in reopened.entries()} == before
    reopened.enqueue(archive(ids=("cap-9",)), cart_item_id="later")  # and it keeps working
    assert reopened.live_for("later") is not None


@pytest.mark.parametrize(
    "column, value",
    [
        ("spec", "{not json"),
        ("orders", '[{"id": 5}]'),
        ("created_at", "yesterday-ish"),
        ("errors", "null"),
    ],
)
def test_an_unreadable_row_is_reported_and_the_rest_kept(outbox, column, value):
    before = _filled(outbox)
    placed = [ref for ref, (state, _) in before.items() if state == PLACED]
    bad = placed[0]
    _sql(outbox.path, f"UPDATE entries SET {column}='{value}' WHERE reference='{bad}'")
    reopened = Outbox(outbox.path)
    entries = {e.reference: (e.state, e.order_ids) for e in reopened.entries()}
    assert entries == {ref: what for ref, what in before.items() if ref != bad}
    assert bad in reopened.unreadable
    assert any(bad in note for note in reopened.problems)
    with pytest.raises(StorageError, match="cannot be read"):
        reopened.require(bad)
    # the record is not lost: the row stays, and it still blocks a second placement of its item
    conn = sqlite3.connect(outbox.path)
    key, rows = conn.execute(
        "SELECT dedup_key, (SELECT count(*) FROM entries WHERE reference=?) FROM entries WHERE reference=?", (bad, bad)
    ).fetchone()
    conn.close()
    assert rows == 1
    with pytest.raises(AlreadyPlacing):
        reopened.enqueue(tiles(api_requests=3), cart_item_id=key)
    assert bad not in {e.reference for e in reopened.placed()}
    if column != "orders":
        assert reopened.order_ids() >= set(before[bad][1])  # its orders are still taken for the lookup


def test_a_true_later_copy_replaces_a_stale_file_even_after_a_failed_entry_was_discarded(outbox, tmp_path):
    _filled(outbox)
    failed = outbox.enqueue(tiles(api_requests=9), cart_item_id="to-discard")
    outbox.fail(failed.reference, "refused", "rejected")
    _checkpoint(outbox.path)
    stale = tmp_path / "stale.sqlite"
    stale.write_bytes(outbox.path.read_bytes())
    assert outbox.discard(failed.reference)
    outbox.enqueue(archive(ids=("cap-7",)), cart_item_id="later")
    _checkpoint(outbox.path)
    shutil.copy(stale, outbox.path)  # e.g. a sync tool put back an older file
    reopened = Outbox(outbox.path)
    assert reopened.recovery is not None and "older than its backup" in reopened.recovery.reason
    assert reopened.live_for("later") is not None and reopened.get(failed.reference) is None


def test_a_byte_that_is_not_utf8_in_one_row_leaves_the_other_rows_readable(outbox):
    """Found by the property test: SQLite refused the whole listing over one bad byte."""
    before = _filled(outbox)
    placed = [ref for ref, (state, _) in before.items() if state == PLACED]
    _checkpoint(outbox.path)
    conn = sqlite3.connect(outbox.path)
    conn.execute(
        "UPDATE entries SET created_at=CAST(X'323032362D31322D3035FF' AS TEXT) WHERE reference=?", (placed[0],)
    )
    conn.commit()
    conn.close()
    reopened = Outbox(outbox.path)
    assert {e.reference for e in reopened.entries()} == set(before) - {placed[0]}
    assert placed[0] in reopened.unreadable


def test_a_garbled_schema_whose_error_message_is_not_utf8_is_restored_from_the_copy(outbox):
    """Found by the property test: Python's sqlite3 raised UnicodeDecodeError (not a
    DatabaseError) when SQLite's error message quoted the damaged bytes."""
    before = _filled(outbox)
    _checkpoint(outbox.path)
    conn = sqlite3.connect(outbox.path)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql=CAST(X'435245415445FF494E444558' AS TEXT) WHERE name='entries_by_state'")
    conn.commit()
    conn.close()
    reopened = Outbox(outbox.path)
    assert reopened.recovery is not None and reopened.recovery.restored_from == outbox.backup
    assert {e.reference: (e.state, e.order_ids) for e in reopened.entries()} == before
