"""Checkout through the outbox against the sandbox's faults (DESIGN.md F6 and 6): a dropped
response after commit, a client timeout and a double-click each end in exactly one order;
402 and 503 leave the cart intact with a clear message per item and a Retry that reuses
the same reference; a placement a crash left unfinished is reconciled at start-up."""

from __future__ import annotations

from datetime import date

import pytest

from nadir.core.models import ClearSkySpec
from nadir.core.ordering.cart import EstimateState
from nadir.core.ordering.outbox import FAILED, PLACED, Outbox
from nadir.ui.cart.checkout import CheckoutPresenter
from support.cart_harness import AOI, AOI2, Adapters, provider_orders, start, wait_until
from support.qgis_wait import bar_texts

ORDERS = "/clearsky/api/tasking/orders"


@pytest.fixture
def harness(qgis_iface, sb, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "profile-nadir"))
    qgis_iface.messageBar().clearWidgets()
    adapters = Adapters(sb, read_timeout=2.0)
    h = start(qgis_iface, adapters)
    h.adapters = adapters
    yield h
    h.unload()


def spec(aoi=AOI, **changes) -> ClearSkySpec:
    values = dict(
        model="Stratus2",
        constellations=("Sentinel2",),
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        frequency_days=7,
        api_requests=1,
        aoi=aoi,
    )
    values.update(changes)
    return ClearSkySpec(**values)


def priced(h, *specs):
    items = [h.cart.add(s, title=f"Item {n}") for n, s in enumerate(specs, start=1)]
    wait_until(lambda: all(h.cart.item(i.id).state(h.cart.now()) is EstimateState.FRESH for i in items))
    return items


def open_and_confirm(h):
    dialog = h.feature.open_checkout()
    assert not dialog.place_button.isEnabled(), "nothing is placed before the explicit confirmation"
    dialog.confirm_box.setChecked(True)
    assert dialog.place_button.isEnabled()
    return dialog


def settled(h, items):
    def done():
        return all(h.feature.checkout.rows[i.id].status in (PLACED, FAILED, "unknown") for i in items) and not any(
            h.outbox.is_placing(h.feature.checkout.rows[i.id].reference) for i in items
        )

    wait_until(done, 60)


def order_posts(sb):
    return [r for r in sb.requests(ORDERS) if r["method"] == "POST" and r["path"] == ORDERS]


def test_review_confirm_place_two_items(harness, sb):
    h = harness
    items = priced(h, spec(), spec(AOI2, end=None))
    dialog = open_and_confirm(h)
    assert "Total to order" in dialog.totals_label.text() and "EUR" in dialog.totals_label.text()
    assert "recurring" in dialog.notes_label.text()
    dialog.place_button.click()
    settled(h, items)
    assert len(provider_orders(sb)) == 2
    for item in items:
        status, text = dialog.row_status(item.id)
        assert status == PLACED and text.startswith("Placed: order ")
    assert h.cart.items == ()  # placed items leave the cart
    placed = h.outbox.outbox.placed()
    assert {e.cart_item_id for e in placed} == {i.id for i in items}
    recorded = {order_id for entry in placed for order_id in entry.order_ids}
    assert recorded == {o["guid"] for o in provider_orders(sb)}
    assert "2 placed" in dialog.summary_label.text()


def test_dropped_response_after_commit_ends_in_one_order(harness, sb):
    h = harness
    [item] = priced(h, spec())
    sb.fault(kind="drop_after_commit", prefix=ORDERS, method="POST", times=1)
    dialog = open_and_confirm(h)
    dialog.place_button.click()
    settled(h, [item])
    assert dialog.row_status(item.id)[0] == PLACED
    assert len(provider_orders(sb)) == 1 and len(order_posts(sb)) == 1
    entry = h.outbox.outbox.for_key(item.id)[0]
    assert entry.state == PLACED and entry.attempts == 1 and h.cart.items == ()


def test_client_timeout_ends_in_one_order(harness, sb):
    h = harness
    [item] = priced(h, spec())
    sb.fault(kind="hang_after_commit", prefix=ORDERS, method="POST", times=1, delay=5.0)  # client waits 2 s
    dialog = open_and_confirm(h)
    dialog.place_button.click()
    settled(h, [item])
    assert dialog.row_status(item.id)[0] == PLACED
    assert len(provider_orders(sb)) == 1 and len(order_posts(sb)) == 1


def test_double_click_and_a_second_checkout_window_place_once(harness, sb):
    h = harness
    [item] = priced(h, spec())
    sb.fault(kind="latency", prefix=ORDERS, method="POST", times=1, delay=1.0)  # keep the first one in flight
    dialog = open_and_confirm(h)
    dialog.place_button.click()
    dialog.place_button.click()  # the button is already disabled...
    assert h.feature.checkout.place() == []  # ...and the presenter refuses a second round
    second = CheckoutPresenter(h.cart, h.outbox)  # another checkout window on the same cart
    other = second.open()
    other.confirm_box.setChecked(True)
    second.rows[item.id].status = ""  # even if that window would try to place it again
    second.confirmed, second._confirmed_for = True, second._signature()
    assert second.place() == []
    entries = h.outbox.outbox.for_key(item.id)
    assert len(entries) == 1  # the outbox refused the second entry itself
    settled(h, [item])
    second.close()
    assert len(provider_orders(sb)) == 1 and len(order_posts(sb)) == 1


@pytest.mark.parametrize("status", [402, 503])
def test_402_and_503_leave_the_cart_intact_with_a_clear_message_and_retry_uses_the_same_reference(harness, sb, status):
    h = harness
    items = priced(h, spec(), spec(AOI2))
    sb.fault(kind="status", prefix=ORDERS, method="POST", status=status, times=0)  # until cleared
    dialog = open_and_confirm(h)
    dialog.place_button.click()
    settled(h, items)
    assert provider_orders(sb) == []
    assert [i.id for i in h.cart.items] == [i.id for i in items]  # cart intact
    for item in items:
        state, text = dialog.row_status(item.id)
        assert state == FAILED and text.startswith("Not placed:") and "stays in the cart" in text, text
        assert f"HTTP {status}" in text and "Retry" in text
        if status == 402:
            assert "could not take payment" in text and "nothing was retried" in text
        else:
            assert "checked with the provider: it has no such order" in text
        assert ". ." not in text and "  " not in text
        assert dialog.retry_button(item.id) is not None
    if status == 402:
        assert len(order_posts(sb)) == 2, "402 is never retried"
    references = {i.id: h.outbox.outbox.for_key(i.id)[0].reference for i in items}
    sb.clear_faults()
    dialog.retry_button(items[0].id).click()
    settled(h, items)
    assert dialog.row_status(items[0].id)[0] == PLACED and dialog.row_status(items[1].id)[0] == FAILED
    entries = h.outbox.outbox.for_key(items[0].id)
    assert len(entries) == 1 and entries[0].reference == references[items[0].id] and entries[0].attempts == 2
    assert len(provider_orders(sb)) == 1 and [i.id for i in h.cart.items] == [items[1].id]


def test_unfinished_placement_is_reconciled_at_start_up(qgis_iface, sb, tmp_path, monkeypatch):
    folder = tmp_path / "profile-nadir"
    monkeypatch.setenv("NADIR_DATA_DIR", str(folder))
    adapters = Adapters(sb)
    h = start(qgis_iface, adapters)
    [item] = priced(h, spec())
    h.unload()
    # what a QGIS killed between send and answer leaves: the entry "sending", the order made
    outbox = Outbox(folder / "outbox.sqlite")
    entry = outbox.enqueue(item.spec, cart_item_id=item.id, title=item.title)
    outbox.claim(entry.reference, owner="crashed-host:4242")
    adapter = adapters("clearsky")
    adapter.place(item.spec, entry.reference)
    adapter.close()
    assert len(provider_orders(sb)) == 1

    h = start(qgis_iface, adapters)
    try:
        wait_until(lambda: h.outbox.outbox.require(entry.reference).state == PLACED, 30)
        wait_until(lambda: h.cart.items == (), 10)
        assert len(provider_orders(sb)) == 1 and len(order_posts(sb)) == 1
    finally:
        h.unload()


def test_an_item_placed_while_nadir_was_not_listening_leaves_the_cart_at_start_up(
    qgis_iface, sb, tmp_path, monkeypatch
):
    folder = tmp_path / "profile-nadir"
    monkeypatch.setenv("NADIR_DATA_DIR", str(folder))
    adapters = Adapters(sb)
    h = start(qgis_iface, adapters)
    [item, other] = priced(h, spec(), spec(AOI2))
    h.unload()
    outbox = Outbox(folder / "outbox.sqlite")  # e.g. placed by nadir:place_order in another process
    entry = outbox.enqueue(item.spec, cart_item_id=item.id, title=item.title)
    from nadir.core.ordering import checkout

    adapter = adapters("clearsky")
    assert checkout.place(outbox, adapter, entry.reference).placed
    adapter.close()
    h = start(qgis_iface, adapters)
    try:
        assert [i.id for i in h.cart.items] == [other.id]
    finally:
        h.unload()


def test_B14_a_credentials_failure_at_checkout_offers_fix_credentials(harness, sb, qgis_iface):
    """Outside audit (issue 15): the 401 reaches the user with an action to the options page."""
    from qgis.PyQt.QtWidgets import QPushButton

    h = harness
    items = priced(h, spec())
    sb.fault(kind="status", prefix=ORDERS, method="POST", status=401, times=0)
    dialog = open_and_confirm(h)
    qgis_iface.showOptionsDialog.reset_mock()
    dialog.place_button.click()
    settled(h, items)
    state, text = dialog.row_status(items[0].id)
    assert state == FAILED and "credentials" in text, text
    wait_until(lambda: qgis_iface.messageBar().findChildren(QPushButton, "NadirFixCredentials"))
    [button] = qgis_iface.messageBar().findChildren(QPushButton, "NadirFixCredentials")
    button.click()
    qgis_iface.showOptionsDialog.assert_called_once_with(qgis_iface.mainWindow(), currentPage="Nadir")
    assert provider_orders(sb) == [] and [i.id for i in h.cart.items] == [items[0].id]


def test_an_unreadable_outbox_row_is_reported_at_start_up_kept_and_never_sent(qgis_iface, sb, tmp_path, monkeypatch):
    """Outside audit (issue 15 item 4): a row the code cannot read gives a clear message for
    that row; the rest works; the item is not placed a second time; no traceback."""
    import sqlite3

    folder = tmp_path / "profile-nadir"
    monkeypatch.setenv("NADIR_DATA_DIR", str(folder))
    adapters = Adapters(sb)
    h = start(qgis_iface, adapters)
    [item, other] = priced(h, spec(), spec(AOI2))
    h.unload()
    outbox = Outbox(folder / "outbox.sqlite")  # left "unknown" by a crash, then damaged by hand
    entry = outbox.enqueue(item.spec, cart_item_id=item.id, title="Damaged one")
    outbox.claim(entry.reference)
    outbox.mark_unknown(entry.reference, "lost")
    conn = sqlite3.connect(folder / "outbox.sqlite")
    conn.execute("UPDATE entries SET spec='{garbled' WHERE reference=?", (entry.reference,))
    conn.commit()
    conn.close()
    qgis_iface.messageBar().clearWidgets()

    h = start(qgis_iface, adapters)
    try:
        texts = " ".join(bar_texts(qgis_iface.messageBar()))
        assert entry.reference in texts and "cannot be read" in texts and "kept unchanged" in texts, texts
        dialog = open_and_confirm(h)
        dialog.place_button.click()
        settled(h, [other])
        wait_until(lambda: dialog.row_status(item.id)[0] == FAILED, 10)
        text = dialog.row_status(item.id)[1]
        assert "cannot be read" in text and "not placed again" in text, text
        assert dialog.row_status(other.id)[0] == PLACED
        assert len(provider_orders(sb)) == 1  # only the readable item was sent
    finally:
        h.unload()


def test_placement_still_in_progress_reads_as_one_coherent_row_message(tmp_path):
    """Outside audit (issue 15): the 409 "placement already in progress" shown in the review
    is one message: outcome unknown, one instruction, never "not placed"."""
    from nadir.core.ordering import checkout
    from nadir.ui.cart.checkout import status_message
    from support.orders import FakePlacer

    outbox = Outbox(tmp_path / "outbox.sqlite")
    fake = FakePlacer()
    fake.faults = ["still_placing"]
    fake.lookup_fails = 1  # the provider has not finished: the lookup cannot tell yet
    ref = outbox.enqueue(spec(), cart_item_id="item-1", title="Field").reference
    entry = checkout.place(outbox, fake, ref, provider_title="ClearSKY").entry
    text = status_message(entry)
    assert text.startswith("Outcome unknown:") and "still processing an earlier attempt" in text, text
    assert "not placed" not in text.lower() and text.count("Retry") == 1 and ". ." not in text and "  " not in text
    again = checkout.place(outbox, fake, ref)  # Retry: looked up first, found, nothing sent again
    assert again.placed and fake.count() == 1
