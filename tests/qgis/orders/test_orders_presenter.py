"""Orders presenter with a fake provider backend: polling, notices, backoff, cancel, outbox."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from nadir.core.errors import InputError, NotSupported, ProviderAuthError, ProviderUnavailable
from nadir.core.models import Lifecycle
from nadir.core.orders.book import OrderBook
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.settings import ProviderConnection, Settings, SettingsStore
from nadir.ui.orders.presenter import OrdersPresenter
from support.orders_data import FakeOutboxEntry, order
from support.orders_fakes import Backend, FakeDialogs
from support.qgis_wait import bar_texts, wait_until

A = "1a2b3c4d-0000-4000-8000-000000000001"
B = "5e6f7a8b-0000-4000-8000-000000000002"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def bar(qgis_iface):
    bar = qgis_iface.messageBar()
    bar.clearWidgets()
    yield bar
    bar.clearWidgets()


@pytest.fixture
def store(clean_settings):
    store = SettingsStore()
    store.update(
        Settings(
            poll_interval_s=30,
            connections=(
                ProviderConnection("clearsky", True, {}, "cfg-clearsky"),
                ProviderConnection("up42", True, {}, "cfg-up42"),
                ProviderConnection("geopera", True, {}, ""),  # no credentials
                ProviderConnection("oneatlas", False, {}, "cfg-oneatlas"),  # switched off
            ),
        )
    )
    return store


class Harness:
    def __init__(self, tmp_path, store, bar, backend=None, outbox=None, dialogs=None, factory=None):
        self.backend = backend or Backend()
        self.dialogs = dialogs or FakeDialogs()
        self.runner = TaskRunner()
        self.clock = Clock()
        self.path = tmp_path / "orders.json"
        self.bar = bar
        self.presenter = OrdersPresenter(
            OrderBook.load(self.path),
            self.runner,
            store,
            Notifier(bar),
            self.dialogs,
            factory or self.backend.adapter,
            outbox_reader=outbox,
            clock=self.clock,
        )
        self.changed = 0
        self.presenter.orders_changed.connect(self._changed)

    def _changed(self):
        self.changed += 1

    def cycle(self):
        before = self.presenter.cycles
        self.presenter.poll()
        wait_until(lambda: self.presenter.cycles > before and not self.presenter.busy, what="a polling cycle")

    def texts(self):
        return bar_texts(self.bar)

    def cancel(self, key):
        """Cancel through the presenter; the order after it, or None when nothing was cancelled."""
        finished = []
        self.presenter.cancel_finished.connect(lambda k, after: finished.append((k, after)))
        self.presenter.cancel(key)
        wait_until(lambda: finished, what="the cancel to finish")
        assert finished[0][0] == key
        return finished[0][1]

    def preview(self, key):
        """What the presenter tells the panel about cancelling ``key``."""
        states = []
        self.presenter.cancel_state.connect(lambda k, preview, reason: states.append(preview))
        self.presenter.preview_cancel(key)
        wait_until(lambda: states, what="the cancel preview")
        return states[0]


@pytest.fixture
def harness(tmp_path, store, bar):
    made = []

    def make(**kwargs):
        h = Harness(tmp_path, store, bar, **kwargs)
        made.append(h)
        return h

    yield make
    for h in made:
        h.presenter.stop()
        h.runner.cancel_all()


def test_polling_picks_up_changes_and_notifies_once(harness):
    h = harness()
    h.backend.put(order(A))
    h.backend.put(order(B, provider="up42", raw="CREATED"))
    h.cycle()
    assert h.texts() == []  # first listing: baseline, nothing announced
    assert {e.order.id for e in h.presenter.book.entries()} == {A, B}
    assert h.changed >= 1
    listed = {(p, what) for p, what, _ in h.backend.calls}
    assert listed == {("clearsky", "list"), ("up42", "list")}  # no credentials / switched off: not asked
    assert h.backend.closed == 2  # the task closes every adapter it got

    h.backend.put(order(A, raw="Preparing", status=Lifecycle.IN_PROGRESS))
    h.cycle()
    assert any("ClearSKY Vision order 1a2b3c4d…: Review → Preparing" in t for t in h.texts()), h.texts()
    h.bar.clearWidgets()
    h.cycle()
    assert h.texts() == []  # nothing changed, nothing said


def test_restart_does_not_reannounce(harness, tmp_path):
    h = harness()
    h.backend.put(order(A))
    h.cycle()
    h.backend.put(order(A, raw="Preparing", status=Lifecycle.IN_PROGRESS))
    h.cycle()
    assert h.path.exists()
    h.bar.clearWidgets()
    again = harness(backend=h.backend)
    assert again.presenter.book.get(("clearsky", A)).order.raw_status == "Preparing"  # shown before any poll
    again.cycle()
    assert again.texts() == []


def test_many_changes_are_one_notice_with_details(harness):
    h = harness()
    ids = [f"{i:08d}-aaaa" for i in range(5)]
    for i in ids:
        h.backend.put(order(i))
    h.cycle()
    for i in ids:
        h.backend.put(order(i, raw="Preparing", status=Lifecycle.IN_PROGRESS))
    h.cycle()
    texts = h.texts()
    assert len(texts) == 1 and "5 orders changed" in texts[0], texts


def test_no_credentials_is_a_hint_in_the_status_not_an_error(harness):
    h = harness()
    h.cycle()
    status = h.presenter.status_text()
    assert "Geopera: not checked: no credentials" in status
    assert "Airbus OneAtlas: switched off" in status
    assert "Set credentials in Settings > Options > Nadir to follow orders from Geopera." in status
    assert h.texts() == []


def test_never_two_cycles_at_once(harness):
    h = harness()
    h.backend.gate = threading.Event()
    h.presenter.poll()
    assert h.presenter.busy
    h.presenter.poll()  # while one runs: remembered, not started
    h.presenter.refresh()
    assert len([t for t in h.runner.running if "checking orders" in t.description()]) == 1
    h.backend.gate.set()
    wait_until(lambda: h.presenter.cycles == 1 and not h.presenter.busy)
    assert 0 <= h.presenter.next_poll_ms <= 1.1 * h.presenter.SOON_MS  # the remembered request comes soon
    h.backend.gate = None


def test_failures_backoff_one_notice_and_recovery(harness):
    h = harness()
    h.backend.put(order(A))
    h.cycle()
    h.backend.fail_next("clearsky", ProviderUnavailable("ClearSKY Vision did not answer."))
    h.cycle()
    texts = h.texts()
    assert (
        len(texts) == 1
        and "ClearSKY Vision orders could not be checked: ClearSKY Vision did not answer." in texts[0]
        and "tries again in 60 s" in texts[0]
    ), texts
    calls = len(h.backend.calls)
    h.cycle()  # within the backoff: clearsky is not asked, up42 is
    assert [c[0] for c in h.backend.calls[calls:]] == ["up42"]
    assert "failed: ClearSKY Vision did not answer. Next try in 60 s." in h.presenter.status_text()
    h.clock.now += 61
    h.backend.fail_next("clearsky", ProviderUnavailable("still down"))
    h.cycle()
    assert len(h.texts()) == 1  # the second failure in a row is not told again
    h.clock.now += 121
    h.cycle()
    assert any("ClearSKY Vision: orders can be checked again." in t for t in h.texts()), h.texts()


def test_rejected_credentials_wait_until_settings_change(harness, store):
    h = harness()
    h.backend.fail_next("up42", ProviderAuthError("UP42 refused the credentials."))
    h.cycle()
    calls = len(h.backend.calls)
    h.clock.now += 600
    h.cycle()
    assert "up42" not in [c[0] for c in h.backend.calls[calls:]]
    store.update(store.current)  # saving the options page resets the backoff and polls soon
    assert 0 <= h.presenter.next_poll_ms <= 1.1 * h.presenter.SOON_MS
    h.cycle()
    assert "up42" in [c[0] for c in h.backend.calls[calls:]]


def test_manual_refresh_ignores_backoff(harness):
    h = harness()
    h.backend.fail_next("clearsky", ProviderUnavailable("down"))
    h.cycle()
    calls = len(h.backend.calls)
    before = h.presenter.cycles
    h.presenter.refresh()
    wait_until(lambda: h.presenter.cycles > before and not h.presenter.busy)
    assert "clearsky" in [c[0] for c in h.backend.calls[calls:]]


def test_adapter_factory_problems(harness):
    backend = Backend()

    def factory(provider, settings):
        if provider == "up42":
            raise NotSupported("no adapter")
        if provider == "clearsky":
            raise InputError("The authentication configuration 'cfg-clearsky' for ClearSKY Vision cannot be read.")
        return backend.adapter(provider)

    h = harness(backend=backend, factory=factory)
    h.cycle()
    h.cycle()
    status = h.presenter.status_text()
    assert "UP42: not supported by this Nadir version" in status
    texts = h.texts()
    assert len(texts) == 1 and "ClearSKY Vision orders are not checked: The authentication configuration" in texts[0]


def test_a_crashing_adapter_is_reported_as_a_bug_and_others_still_update(harness):
    h = harness()
    h.backend.put(order(B, provider="up42", raw="CREATED"))
    h.backend.fail_next("clearsky", KeyError("Data"))
    h.cycle()
    assert any("Something went wrong inside Nadir" in t for t in h.texts())
    assert h.presenter.book.get(("up42", B)) is not None


def test_unknown_status_is_kept_and_announced_verbatim(harness):
    h = harness()
    h.backend.put(order(A))
    h.cycle()
    h.backend.put(order(A, raw="Reticulating", sub_status="Splines", status=Lifecycle.UNKNOWN))
    h.cycle()
    assert any("Review → Reticulating (Splines)" in t for t in h.texts()), h.texts()
    assert h.presenter.book.get(("clearsky", A)).order.status is Lifecycle.UNKNOWN


# ------------------------------------------------------------------ outbox
def test_outbox_orders_are_merged_and_followed(harness):
    backend = Backend()
    placed = order(A, title="Munich")
    entries = [
        FakeOutboxEntry("ref-1", "clearsky", "placed", (placed,), title="Munich composite"),
        FakeOutboxEntry("ref-2", "clearsky", "unknown", ()),
    ]
    h = harness(backend=backend, outbox=lambda: entries)
    backend.put(placed.model_copy(update={"raw_status": "Preparing", "status": Lifecycle.IN_PROGRESS}))
    h.cycle()
    entry = h.presenter.book.get(("clearsky", A))
    assert entry.reference == "ref-1" and entry.label == "Munich composite"
    assert entry.order.raw_status == "Preparing"
    assert any("Review → Preparing" in t for t in h.texts())  # it moved since Nadir placed it


def test_placed_signal_shows_the_order_at_once_and_polls_soon(harness):
    h = harness()
    h.cycle()
    h.presenter.placed(FakeOutboxEntry("ref-3", "clearsky", "placed", (order(B),), title="Tiles"))
    assert h.presenter.book.get(("clearsky", B)).label == "Tiles"
    assert 0 <= h.presenter.next_poll_ms <= 1.1 * h.presenter.SOON_MS


def test_a_broken_outbox_does_not_stop_polling(harness):
    def broken():
        raise OSError("database is locked")

    h = harness(outbox=broken)
    h.backend.put(order(A))
    h.cycle()
    assert h.presenter.book.get(("clearsky", A)) is not None


# ------------------------------------------------------------------ cancel
def test_cancel_in_review_asks_then_cancels(harness):
    h = harness()
    h.backend.put(order(A))
    h.cycle()
    after = h.cancel(("clearsky", A))
    assert h.dialogs.asked == [(A, "The order is still in review: it is cancelled completely.")]
    assert after.status is Lifecycle.CANCELLED
    assert h.presenter.book.get(("clearsky", A)).order.raw_status == "Canceled"
    assert any("1a2b3c4d…: cancelled (Canceled). The order is still in review" in t for t in h.texts()), h.texts()
    # the rule is asked for the order as fetched, again when confirmed, then by the adapter's cancel
    assert [c[1] for c in h.backend.calls if c[1] in ("preview", "cancel")] == [
        "preview",
        "preview",
        "cancel",
        "preview",
    ]


LIVE_RECURRING = {"raw": "Preparing", "status": Lifecycle.IN_PROGRESS, "recurring": True, "end": None}


def test_the_confirmation_shows_the_status_the_provider_has_now(harness):
    """The book still says Review (the last poll), the provider has moved on: the
    confirmation says what cancelling does now, not "in review, nothing billed"."""
    h = harness(dialogs=FakeDialogs(confirm=False))
    h.backend.put(order(A, recurring=True, end=None))
    h.cycle()
    h.backend.put(order(A, **LIVE_RECURRING))  # Review ended after the poll
    assert h.cancel(("clearsky", A)) is None
    assert h.dialogs.statuses == ["Preparing"]
    assert h.dialogs.asked == [(A, "The current month completes and the order will not renew.")]
    assert h.presenter.book.get(("clearsky", A)).order.raw_status == "Preparing"
    assert any("1a2b3c4d…: Review → Preparing" in t for t in h.texts()), h.texts()


def test_a_status_change_while_confirming_asks_again_and_sends_nothing(harness):
    """Review ends while the confirmation is open: "yes" to "nothing is billed" must not
    stop a live order instead; the new outcome is shown and the user keeps the order."""

    def review_ends(shown):
        if shown.raw_status == "Review":
            h.backend.put(order(A, **LIVE_RECURRING))

    h = harness(dialogs=FakeDialogs(answers=(True, False), while_open=review_ends))
    h.backend.put(order(A, recurring=True, end=None))
    h.cycle()
    assert h.cancel(("clearsky", A)) is None
    assert h.dialogs.asked == [
        (A, "The order is still in review: it is cancelled completely."),
        (A, "The current month completes and the order will not renew."),
    ]
    assert h.dialogs.statuses == ["Review", "Preparing"]
    assert "cancel" not in [c[1] for c in h.backend.calls]
    assert h.presenter.book.get(("clearsky", A)).order.cancellation_date is None


def test_a_status_change_while_confirming_then_yes_cancels_with_the_new_outcome(harness):
    def review_ends(shown):
        if shown.raw_status == "Review":
            h.backend.put(order(A, **LIVE_RECURRING))

    h = harness(dialogs=FakeDialogs(answers=(True, True), while_open=review_ends))
    h.backend.put(order(A, recurring=True, end=None))
    h.cycle()
    after = h.cancel(("clearsky", A))
    assert after is not None and after.cancellation_date == date(2025, 3, 31)
    assert len(h.dialogs.asked) == 2
    assert any("cancellation accepted; it produces until 2025-03-31" in t for t in h.texts()), h.texts()


def test_the_confirmation_names_the_order_after_its_cart_item_with_its_checkout_price(harness):
    from decimal import Decimal

    from nadir.core.models import Money

    price = Money(amount=Decimal("62.37"), currency="EUR")
    placed = FakeOutboxEntry("ref-1", "clearsky", "placed", (order(A, price=None),), title="Aarhus fields", price=price)
    h = harness(outbox=lambda: [placed])
    h.backend.put(order(A, price=None, title="Stratus2 composite", recurring=True, end=None))
    h.cycle()
    h.backend.put(order(A, price=None, title="Stratus2 composite", **LIVE_RECURRING))
    after = h.cancel(("clearsky", A))
    shown = h.dialogs.shown[0]
    assert (shown.title, shown.price, shown.raw_status) == ("Aarhus fields", price, "Preparing")
    assert after is not None
    assert any("order Aarhus fields (1a2b3c4d…): cancellation accepted" in t for t in h.texts()), h.texts()


def test_cancel_declined_sends_nothing(harness):
    h = harness(dialogs=FakeDialogs(confirm=False))
    h.backend.put(order(A))
    h.cycle()
    assert h.cancel(("clearsky", A)) is None
    assert "cancel" not in [c[1] for c in h.backend.calls]


def test_cancel_refused_says_why_and_sends_nothing(harness):
    h = harness()
    h.backend.put(order(A, raw="Processing", status=Lifecycle.IN_PROGRESS))
    h.cycle()
    preview = h.preview(("clearsky", A))
    assert preview.allowed is False and "Processing" in preview.effect
    assert h.cancel(("clearsky", A)) is None
    assert h.dialogs.refused == [(A, "The order is Processing: it cannot be cancelled.")]
    assert h.dialogs.asked == []
    assert "cancel" not in [c[1] for c in h.backend.calls]


def test_cancel_recurring_stops_at_month_end(harness):
    h = harness()
    h.backend.put(order(A, raw="UpToDate", status=Lifecycle.LIVE, recurring=True, end=None))
    h.cycle()
    h.cancel(("clearsky", A))
    assert "will not renew" in h.dialogs.asked[0][1]
    assert h.presenter.book.get(("clearsky", A)).order.cancellation_date == date(2025, 3, 31)
    assert any("cancellation accepted; it produces until 2025-03-31 and does not renew" in t for t in h.texts())


def test_terminal_orders_are_refused_without_asking_the_provider(harness):
    h = harness()
    h.backend.put(order(A, raw="Completed", status=Lifecycle.COMPLETED))
    h.cycle()
    calls = len(h.backend.calls)
    preview = h.preview(("clearsky", A))
    assert not preview.allowed and "Completed" in preview.effect
    assert len(h.backend.calls) == calls
    assert "preview" not in [c[1] for c in h.backend.calls]


def test_cancel_failure_is_shown(harness):
    h = harness()
    h.backend.put(order(A))
    h.cycle()
    h.backend.orders["clearsky"].clear()  # gone at the provider meanwhile
    assert h.cancel(("clearsky", A)) is None
    assert any("Cancelling order 1a2b3c4d…: no order" in t for t in h.texts()), h.texts()


def test_stop_cancels_a_running_cycle(harness):
    h = harness()
    h.backend.gate = threading.Event()
    h.presenter.poll()
    task = h.presenter._cycle
    h.presenter.stop()
    assert task.isCanceled() and not h.presenter.busy and h.presenter.next_poll_ms == -1
    h.backend.gate.set()
    wait_until(lambda: not h.runner.running)


def test_a_placement_during_a_cycle_is_not_lost(harness):
    h = harness()
    h.backend.put(order(A))
    h.backend.gate = threading.Event()
    h.presenter.poll()  # merges into a working copy in its task
    h.presenter.placed(FakeOutboxEntry("ref-5", "clearsky", "placed", (order(B),), title="Placed meanwhile"))
    assert h.presenter.book.get(("clearsky", B)) is not None
    h.backend.gate.set()
    wait_until(lambda: h.presenter.cycles == 1 and not h.presenter.busy)
    h.backend.gate = None
    assert h.presenter.book.get(("clearsky", A)) is not None  # from the cycle
    assert h.presenter.book.get(("clearsky", B)).label == "Placed meanwhile"  # replayed on its result
    wait_until(lambda: not h.runner.running, what="the save")
    assert OrderBook.load(h.path).get(("clearsky", B)) is not None


def test_a_state_file_that_cannot_be_written_is_told_once(harness, tmp_path):
    h = harness()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    h.presenter.book.path = blocker / "orders.json"
    h.backend.put(order(A))
    h.cycle()
    h.backend.put(order(A, raw="Preparing", status=Lifecycle.IN_PROGRESS))
    h.cycle()
    texts = [t for t in h.texts() if "could not save" in t]
    assert len(texts) == 1 and "Check that the QGIS profile folder is writable" in texts[0], h.texts()
    assert h.presenter.book.get(("clearsky", A)).order.raw_status == "Preparing"  # it still works from memory
