"""The orders presenter: background polling and notifications; it wires cancellation.

One polling cycle is one :class:`FunctionTask`; a single-shot ``QTimer`` on the GUI
thread starts it ``poll_interval_s`` after the previous cycle ended, so two cycles never
overlap and a slow provider never freezes the map. Adapters are made on the GUI thread
(credentials come from the QGIS auth database there) and handed to the task, which
closes them. Providers without credentials are skipped and named once in the panel's
status line; a failing provider is told once in the message bar and then asked again
with a growing delay (:class:`core.orders.polling.Backoff`), and its recovery is told too.

Cancelling is :class:`ui.orders.cancellation.Cancellation` (``cancellation``); the
presenter passes the panel's requests on, re-emits its ``cancel_state`` and
``cancel_finished``, and takes the orders it fetches into the book (``take_order``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Optional

from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ...core.errors import NadirError, NotSupported, OperationCancelled, StorageError
from ...core.models import Order
from ...core.orders.book import (
    OrderBook,
    OrderEvent,
    OrderKey,
    PlacedEntry,
    announceable,
    provider_title,
)
from ...core.orders.polling import Backoff, ProviderPoll, fetch_orders
from ...core.ports import ListsOrders, Provider, SupportsOrders, close_adapter
from ...core.provider_info import PROVIDERS
from ...tasks.base import TaskContext, TaskRunner
from ...toolbelt.core_text import user_message
from ...toolbelt.i18n import tr
from ...toolbelt.notify import Notifier
from ...toolbelt.settings import Settings, SettingsStore
from .cancellation import AdapterFactory, CancelDialogs, Cancellation

LOGGER = logging.getLogger(__name__)

OutboxReader = Callable[[], Sequence[PlacedEntry]]
MAX_SINGLE_NOTICES = 3


def _human(seconds: float) -> str:
    if seconds < 90:
        return tr("{} s").format(round(seconds))
    if seconds < 5400:
        return tr("{} min").format(round(seconds / 60))
    return tr("{} h").format(round(seconds / 3600, 1))


class OrdersPresenter(QObject):
    orders_changed = pyqtSignal()
    status_changed = pyqtSignal(str)
    busy_changed = pyqtSignal(bool)
    #: (order key, CancelPreview or None, reason when None) for the selected order
    cancel_state = pyqtSignal(object, object, str)
    #: (order key, the order after cancelling or None when it did not happen)
    cancel_finished = pyqtSignal(object, object)
    cycle_finished = pyqtSignal()

    START_DELAY_MS = 1500
    SOON_MS = 1500

    def __init__(
        self,
        book: OrderBook,
        runner: TaskRunner,
        settings: SettingsStore,
        notifier: Notifier,
        dialogs: CancelDialogs,
        adapter_factory: AdapterFactory,
        outbox_reader: Optional[OutboxReader] = None,
        clock: Callable[[], float] = time.monotonic,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self._runner = runner
        self._settings = settings
        self._notifier = notifier
        self._factory = adapter_factory
        self._outbox_reader = outbox_reader
        self._clock = clock
        self._backoff = Backoff(interval_s=self.interval_s)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.poll)
        self._cycle: Any = None
        self._again = False
        self._provider_state: dict[str, str] = {}
        self._hinted: set[str] = set()
        self._no_credentials: set[str] = set()
        self._save_failed = False
        self._saving: Any = None
        self._save_again = False
        self._replay: Optional[list[Callable[[OrderBook], object]]] = None
        self.last_checked: Optional[datetime] = None
        self.cycles = 0
        self.cancellation = Cancellation(self, runner, settings, notifier, dialogs, adapter_factory, parent=self)
        self.cancellation.cancel_state.connect(self.cancel_state)
        self.cancellation.cancel_finished.connect(self.cancel_finished)
        settings.on_change(self._settings_changed)

    # ------------------------------------------------------------------ life cycle
    @property
    def interval_s(self) -> int:
        return max(5, int(self._settings.current.poll_interval_s))

    def start(self, delay_ms: Optional[int] = None) -> None:
        self._schedule(self.START_DELAY_MS if delay_ms is None else delay_ms)

    def stop(self) -> None:
        self._timer.stop()
        self._settings.remove_listener(self._settings_changed)
        if self._cycle is not None:
            self._cycle.silenced = True
            self._cycle.cancel()
            self._cycle = None

    @property
    def busy(self) -> bool:
        return self._cycle is not None

    @property
    def next_poll_ms(self) -> int:
        """Milliseconds until the timer starts the next cycle; -1 when none is scheduled."""
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def _schedule(self, delay_ms: int) -> None:
        self._timer.start(max(0, int(delay_ms)))
        self._publish_status()

    # ------------------------------------------------------------------ polling
    def refresh(self) -> None:
        """The user asked: every provider is asked now, whatever its backoff."""
        self._backoff.reset()
        self.poll()

    def poll_soon(self, delay_ms: Optional[int] = None) -> None:
        """Check soon (after a placement, a cancel, a settings change)."""
        delay = self.SOON_MS if delay_ms is None else delay_ms
        if self._cycle is not None:
            self._again = True
        elif not self._timer.isActive() or self._timer.remainingTime() > delay:
            self._schedule(delay)

    def poll(self) -> None:
        if self._cycle is not None:
            self._again = True
            return
        self._timer.stop()
        adapters = self._adapters()
        reader = self._outbox_reader
        if not adapters and reader is None:
            self._finish_cycle()
            return
        work_book = self.book.snapshot()
        follow = {provider: work_book.placed_to_follow(provider) for provider in adapters}
        located = {provider: work_book.located(provider) for provider in adapters}

        def work(task: TaskContext) -> Cycle:
            try:
                placed = _read_outbox(reader)
                sources: Mapping[str, ListsOrders] = adapters  # type: ignore[assignment]
                polls = fetch_orders(sources, _with_placed(follow, placed, adapters), task.cancelled, located)
            finally:
                for adapter in adapters.values():
                    close_adapter(adapter)
            return _merge_and_save(work_book, placed, polls)

        self._replay = []
        self._cycle = self._runner.run(tr("Nadir: checking orders"), work, self._cycle_done, self._cycle_failed)
        self.busy_changed.emit(True)
        self._publish_status()

    def _adapters(self) -> dict[str, Provider]:
        settings = self._settings.current
        now = self._clock()
        adapters: dict[str, Provider] = {}
        self._no_credentials.clear()
        for provider, info in PROVIDERS.items():
            connection = settings.connection(provider)
            if not connection.enabled:
                self._provider_state[provider] = tr("switched off")
                continue
            if not connection.authcfg:
                self._provider_state[provider] = tr("not checked: no credentials")
                self._no_credentials.add(provider)
                if provider not in self._hinted:
                    self._hinted.add(provider)
                    LOGGER.info("%s orders are not checked: no credentials are set for it.", info.title)
                continue
            if not self._backoff.due(provider, now):
                continue  # its state still says when it is asked again
            try:
                adapter = self._factory(provider, settings)
            except NotSupported:
                self._provider_state[provider] = tr("not supported by this Nadir version")
                continue
            except NadirError as exc:
                self._provider_state[provider] = exc.message
                if provider not in self._hinted:
                    self._hinted.add(provider)
                    self._notifier.warning(
                        tr("{} orders are not checked: {}").format(info.title, exc.message), exc.details
                    )
                continue
            if not isinstance(adapter, SupportsOrders):
                close_adapter(adapter)
                self._provider_state[provider] = tr("cannot list orders")
                continue
            adapters[provider] = adapter
        return adapters

    def _cycle_done(self, cycle: Cycle) -> None:
        self._cycle = None
        self.book.adopt(cycle.book)
        for change in self._replay or []:  # what happened on the GUI thread meanwhile
            change(self.book)
        self._replay = None
        if cycle.save_error is not None:
            self._save_failed_once(cycle.save_error)
        if self.book.dirty:
            self._save()
        now = self._clock()
        for poll in cycle.polls:
            title = provider_title(poll.provider)
            if poll.ok:
                count = self.book.count(poll.provider)
                self._provider_state[poll.provider] = tr("1 order") if count == 1 else tr("{} orders").format(count)
                if self._backoff.succeeded(poll.provider):
                    self._notifier.success(tr("{}: orders can be checked again.").format(title))
                continue
            delay = self._backoff.failed(poll.provider, now, poll.error)
            message = user_message(poll.error, logged=True) if poll.error is not None else ""
            self._provider_state[poll.provider] = tr("failed: {} Next try in {}.").format(message, _human(delay))
            if self._backoff.failures(poll.provider) == 1:
                self._notify_failure(title, poll.error, delay)
        self.last_checked = datetime.now()
        self._announce(cycle.events)
        self.orders_changed.emit()
        self._finish_cycle()

    def _cycle_failed(self, error: BaseException) -> None:
        self._cycle = None
        self._replay = None
        if not isinstance(error, OperationCancelled):
            self._notifier.exception(error, tr("Checking orders"))
        self._finish_cycle()

    def _finish_cycle(self) -> None:
        self.cycles += 1
        self.busy_changed.emit(False)
        if self._again:
            self._again = False
            self._schedule(self.SOON_MS)
        else:
            self._schedule(self.interval_s * 1000)
        self.cycle_finished.emit()

    def _notify_failure(self, title: str, error: Optional[BaseException], delay: float) -> None:
        if isinstance(error, NadirError):
            self._notifier.warning(
                tr("{} orders could not be checked: {} Nadir tries again in {}.").format(
                    title, error.message, _human(delay)
                ),
                error.details,
            )
        elif error is not None:
            self._notifier.exception(error, tr("Checking {} orders").format(title))

    def _announce(self, events: list[OrderEvent]) -> None:
        ordered = announceable(events)
        if not ordered:
            return
        if len(ordered) <= MAX_SINGLE_NOTICES:
            for event in ordered:
                self._notifier.info(event.describe(), duration=10)
            return
        lines = "\n".join(event.describe() for event in ordered)
        self._notifier.info(
            tr("{} orders changed. Details lists them; the Orders panel shows them.").format(len(ordered)),
            lines,
            duration=15,
        )

    def _change(self, change: Callable[[OrderBook], object]) -> None:
        """Apply a change made on the GUI thread; replayed on the result of a running cycle."""
        change(self.book)
        if self._replay is not None:
            self._replay.append(change)
        if self.book.dirty:
            self._save()

    def _save(self) -> None:
        """Save the current state in a task (one at a time; the latest state wins)."""
        if self._saving is not None:
            self._save_again = True
            return
        copy = self.book.snapshot()
        self.book.mark_saved()

        def done(_result: object) -> None:
            self._saving = None
            self._save_failed = False
            if self._save_again:
                self._save_again = False
                self._save()

        def failed(error: BaseException) -> None:
            self._saving = None
            self.book.mark_unsaved()
            self._save_failed_once(error)

        self._saving = self._runner.run(tr("Nadir: saving order states"), lambda task: copy.save(), done, failed)

    def _save_failed_once(self, error: BaseException) -> None:
        if not self._save_failed:  # once, not every cycle
            self._notifier.exception(error)
        self._save_failed = True

    def _settings_changed(self, settings: Settings) -> None:
        self._backoff.interval_s = self.interval_s
        self._backoff.reset()
        self._hinted.clear()
        self.poll_soon()

    def placed(self, entry: PlacedEntry) -> None:
        """The outbox placed an order: show it at once and check it soon."""
        self._change(lambda book: book.merge_outbox([entry]))
        self.orders_changed.emit()
        self.poll_soon()

    # ------------------------------------------------------------------ status line
    def status_text(self) -> str:
        parts = []
        if self._cycle is not None:
            parts.append(tr("Checking orders…"))
        elif self.last_checked is not None:
            parts.append(tr("Checked at {}").format(self.last_checked.strftime("%H:%M:%S")))
        if self._cycle is None and self._timer.isActive():
            parts.append(tr("next check in {}").format(_human(self._timer.remainingTime() / 1000)))
        providers = [f"{PROVIDERS[p].title}: {state}" for p, state in self._provider_state.items() if p in PROVIDERS]
        line = " · ".join(parts)
        if providers:
            line += "\n" + "\n".join(providers)
        missing = [PROVIDERS[p].title for p in PROVIDERS if p in self._no_credentials]
        if missing:
            line += "\n" + tr("Set credentials in Settings > Options > Nadir to follow orders from {}.").format(
                ", ".join(missing)
            )
        return line

    def _publish_status(self) -> None:
        self.status_changed.emit(self.status_text())

    # ------------------------------------------------------------------ cancelling
    def take_order(self, order: Order, *, announce: bool = True) -> Order:
        """Take an order just fetched from its provider into the book, telling a change of its
        status when ``announce``; the book's version (with the cart item's name and the
        checkout price kept)."""
        events: list[OrderEvent] = []
        self._change(partial(_apply_order, order, events))
        if not announce:
            self.orders_changed.emit()
        elif events:
            self._announce(events)
            self.orders_changed.emit()
        entry = self.book.get((order.provider, order.id))
        return entry.order if entry is not None else order

    def preview_cancel(self, key: Optional[OrderKey]) -> None:
        """Tell the panel (``cancel_state``) whether the order can be cancelled, and why."""
        self.cancellation.preview(key)

    def cancel(self, key: OrderKey) -> None:
        """Ask the provider's rule, say what will happen, confirm, then cancel in a task."""
        self.cancellation.cancel(key)


def _apply_order(order: Order, events: list[OrderEvent], book: OrderBook) -> None:
    """A book change: ``order`` as fetched; its first status change is kept in ``events``."""
    event = book.apply_order(order)
    if event is not None and not events:
        events.append(event)


@dataclass(frozen=True)
class Cycle:
    """What a polling task hands back to the GUI thread."""

    book: OrderBook  # the working copy with everything merged
    events: list[OrderEvent]
    polls: list[ProviderPoll]
    save_error: Optional[BaseException] = None


def _merge_and_save(book: OrderBook, placed: Sequence[PlacedEntry], polls: list[ProviderPoll]) -> Cycle:
    """The book work of a cycle, in the task: merge, detect changes, save."""
    book.merge_outbox(placed)
    events: list[OrderEvent] = []
    for poll in polls:
        if poll.ok:
            events += book.apply_listing(poll.provider, poll.orders, complete=poll.complete)
    save_error: Optional[BaseException] = None
    if book.dirty:
        try:
            book.save()
        except StorageError as exc:
            save_error = exc
    return Cycle(book, events, polls, save_error)


def _read_outbox(reader: Optional[OutboxReader]) -> list[PlacedEntry]:
    if reader is None:
        return []
    try:
        return list(reader())
    except NadirError as exc:
        LOGGER.warning("The outbox could not be read: %s", exc)
    except Exception:  # the providers' lists are still worth having
        LOGGER.exception("Reading the outbox failed")
    return []


def _with_placed(
    follow: Mapping[str, list[str]], placed: Sequence[PlacedEntry], adapters: Mapping[str, Any]
) -> dict[str, list[str]]:
    """Follow also the unfinished orders the outbox holds (placed since the last cycle)."""
    result = {provider: list(ids) for provider, ids in follow.items()}
    for entry in placed:
        if entry.state != "placed":
            continue
        for order in entry.orders:
            ids = result.setdefault(order.provider, [])
            if order.provider in adapters and not order.status.terminal and order.id not in ids:
                ids.append(order.id)
    return result
