"""Cancelling from the Orders panel, by each provider's rule: the rule, the confirmation, the cancel.

For the selected order, :meth:`Cancellation.preview` tells the panel (``cancel_state``)
whether it can be cancelled and what that would do. :meth:`Cancellation.cancel` asks the
provider's rule for the order as the provider has it now (in a task), says in a dialog
what will happen, and on "yes" cancels in a task that asks the rule again first: if the
outcome changed meanwhile (a ClearSKY order left Review), nothing is sent and the new
outcome is shown for confirmation. The outcome is told in the message bar and by
``cancel_finished``. The provider calls are :mod:`core.orders.cancellation`'s; the
orders presenter owns the book, and every order fetched here goes into it through
:meth:`OrdersHost.take_order`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Optional, Protocol

from qgis.PyQt.QtCore import QObject, pyqtSignal

from ...core.errors import NadirError, NotSupported
from ...core.models import CancelPreview, Lifecycle, Order
from ...core.orders.book import OrderBook, OrderKey, order_name, provider_title, short_id, status_text
from ...core.orders.cancellation import (
    NOTHING_TO_CANCEL,
    CancelResult,
    cancel_confirmed,
    current_preview,
    nothing_to_cancel,
)
from ...core.ports import Provider, SupportsOrders, close_adapter, closing_adapter
from ...tasks.base import TaskContext, TaskRunner
from ...toolbelt.core_text import user_message
from ...toolbelt.i18n import tr, tr_marked
from ...toolbelt.notify import Notifier
from ...toolbelt.settings import Settings, SettingsStore

LOGGER = logging.getLogger(__name__)

AdapterFactory = Callable[[str, Settings], Provider]
#: called with the order as its provider has it now and what cancelling it would do
Decided = Callable[[Order, CancelPreview], None]
Failed = Callable[[BaseException], None]


class CancelDialogs(Protocol):
    def confirm_cancel(self, order: Order, preview: CancelPreview) -> bool: ...

    def cannot_cancel(self, order: Order, preview: CancelPreview) -> None: ...


class OrdersHost(Protocol):
    """What cancelling needs from the orders presenter."""

    @property
    def book(self) -> OrderBook: ...

    def take_order(self, order: Order, *, announce: bool = True) -> Order: ...

    def poll_soon(self, delay_ms: Optional[int] = None) -> None: ...


def preview_work(
    adapter: SupportsOrders, order: Order, template: str, task: TaskContext
) -> tuple[Order, CancelPreview]:
    """The task of :meth:`Cancellation.preview`: the rule for ``order`` as it is now."""
    with closing_adapter(adapter):
        return current_preview(adapter, order, template)


def cancel_work(
    adapter: SupportsOrders, order: Order, confirmed: CancelPreview, template: str, task: TaskContext
) -> CancelResult:
    """The task that cancels what the user confirmed (or finds that the outcome changed)."""
    with closing_adapter(adapter):
        return cancel_confirmed(adapter, order, confirmed, task.cancelled, template)


def outcome_text(order: Order, after: Order, preview: CancelPreview) -> str:
    """The message-bar line after the provider accepted the cancel of ``order``."""
    head = tr("{} order {}").format(provider_title(order.provider), order_name(order))
    if after.status is Lifecycle.CANCELLED:
        return tr("{}: cancelled ({}). {}").format(head, after.raw_status, preview.effect)
    if after.cancellation_date is not None:
        return tr("{}: cancellation accepted; it produces until {} and does not renew.").format(
            head, after.cancellation_date.isoformat()
        )
    return tr("{}: cancellation accepted, now {}. {}").format(head, status_text(after), preview.effect)


class Cancellation(QObject):
    #: (order key, CancelPreview or None, reason when None) for the selected order
    cancel_state = pyqtSignal(object, object, str)
    #: (order key, the order after cancelling or None when it did not happen)
    cancel_finished = pyqtSignal(object, object)

    def __init__(
        self,
        host: OrdersHost,
        runner: TaskRunner,
        settings: SettingsStore,
        notifier: Notifier,
        dialogs: CancelDialogs,
        adapter_factory: AdapterFactory,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._runner = runner
        self._settings = settings
        self._notifier = notifier
        self._dialogs = dialogs
        self._factory = adapter_factory
        self._preview_token = 0

    # ------------------------------------------------------------------ the panel's state
    def preview(self, key: Optional[OrderKey]) -> None:
        """Tell the panel (``cancel_state``) whether the order can be cancelled, and why."""
        self._preview_token += 1
        if key is None:
            self.cancel_state.emit(None, None, "")
            return
        token = self._preview_token
        try:
            self._ask_rule(key, partial(self._previewed, key, token), partial(self._preview_failed, key, token))
        except NadirError as exc:
            self._preview_failed(key, token, exc)

    def _previewed(self, key: OrderKey, token: int, order: Order, preview: CancelPreview) -> None:
        if token == self._preview_token:  # the selection has not moved on meanwhile
            self.cancel_state.emit(key, preview, "")

    def _preview_failed(self, key: OrderKey, token: int, error: BaseException) -> None:
        if token == self._preview_token:
            self.cancel_state.emit(key, None, user_message(error))

    # ------------------------------------------------------------------ cancelling
    def cancel(self, key: OrderKey) -> None:
        """Ask the provider's rule, say what will happen, confirm, then cancel in a task."""
        try:
            self._ask_rule(key, partial(self._decide, key), partial(self._failed, key))
        except NadirError as exc:
            self._failed(key, exc)

    def _decide(self, key: OrderKey, order: Order, preview: CancelPreview) -> None:
        if not preview.allowed:
            self._dialogs.cannot_cancel(order, preview)
            self.cancel_finished.emit(key, None)
            return
        if not self._dialogs.confirm_cancel(order, preview):
            self.cancel_finished.emit(key, None)
            return
        self._send(key, order, preview)

    def _send(self, key: OrderKey, order: Order, preview: CancelPreview) -> None:
        """Cancel what the user confirmed, in a task that first asks the provider again."""
        try:
            adapter = self._adapter(order.provider)
        except NadirError as exc:
            self._failed(key, exc)
            return
        work = partial(cancel_work, adapter, order, preview, tr_marked(NOTHING_TO_CANCEL))
        self._runner.run(
            tr("Nadir: cancelling order {}").format(short_id(order.id)),
            work,
            partial(self._sent, key, order, preview),
            partial(self._failed, key),
        )

    def _sent(self, key: OrderKey, order: Order, preview: CancelPreview, result: CancelResult) -> None:
        if result.changed is not None:
            LOGGER.info(
                "Order %s changed before the cancel was sent (%s); asking again", order.id, status_text(result.order)
            )
            self._decide(key, self._host.take_order(result.order), result.changed)
            return
        after = result.order
        self._host.take_order(after, announce=False)  # the notice below says what happened
        self._notifier.success(outcome_text(order, after, preview))
        self.cancel_finished.emit(key, after)
        self._host.poll_soon()

    def _failed(self, key: OrderKey, error: BaseException) -> None:
        self._notifier.exception(error, tr("Cancelling order {}").format(short_id(key[1])))
        self.cancel_finished.emit(key, None)
        self._host.poll_soon()

    # ------------------------------------------------------------------ the rule
    def _ask_rule(self, key: OrderKey, on_done: Decided, on_error: Failed) -> None:
        """The provider's rule for cancelling ``key``, for the order as the provider has it
        *now* (fetched in a task); a finished order is refused without asking. Raises
        :class:`NadirError` when the order is unknown or its provider cannot cancel."""
        order = self._order(key)
        template = tr_marked(NOTHING_TO_CANCEL)
        refusal = nothing_to_cancel(order, template)
        if refusal is not None:
            on_done(order, refusal)
            return
        adapter = self._adapter(order.provider)
        self._runner.run(
            tr("Nadir: cancellation rules of {}").format(short_id(order.id)),
            partial(preview_work, adapter, order, template),
            partial(self._ruled, on_done),
            on_error,
        )

    def _ruled(self, on_done: Decided, result: tuple[Order, CancelPreview]) -> None:
        fresh, preview = result
        on_done(self._host.take_order(fresh), preview)

    def _order(self, key: OrderKey) -> Order:
        entry = self._host.book.get(key)
        if entry is None:
            raise NadirError(tr("The order {} is no longer known; refresh the list.").format(short_id(key[1])))
        return entry.order

    def _adapter(self, provider: str) -> SupportsOrders:
        adapter = self._factory(provider, self._settings.current)
        if not isinstance(adapter, SupportsOrders):
            close_adapter(adapter)
            raise NotSupported(tr("{} orders cannot be cancelled from Nadir.").format(provider_title(provider)))
        return adapter
