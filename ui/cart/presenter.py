"""The live cart: the ``CART`` service (:mod:`ui.services`).

:class:`CartPresenter` owns the cart value and its :class:`CartStore`, saves after every
change, fetches each item's estimate in a task when it is added or changed, and
refreshes estimates that went stale. Signals:

- ``changed()``: the cart's content or an estimate state changed (views redraw);
- ``recovered(str)``: the saved cart had to be recovered; the message says how.

Every user action is one method (``add``, ``edit``, ``duplicate``, ``remove``,
``request_estimate``, ``refresh_all``), so scripts and tests drive it like the dock.

**Cart, profile and project.** The profile's ``cart.json`` is *the* cart: it survives
restarts whatever project is open. When a project is saved, a copy of the cart goes
into the project (custom property ``Nadir/cart``). When a project is opened, its copy
is *merged* into the cart (:meth:`core.ordering.cart.Cart.merge`): items the cart lacks are
added, an item in both keeps its latest edit, and nothing is removed. Items the user
removed from the cart, and items already placed (the outbox knows), are not brought
back. So switching projects never loses an item, and a project sent to a colleague
brings its cart along.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Optional

from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ...core.errors import NadirError, StorageError
from ...core.models import Estimate, OrderSpec
from ...core.ordering.cart import Cart, CartItem, EstimateState, remaining_after, utcnow
from ...core.ordering.cart_store import CartStore, Damaged, decode, encode
from ...core.ordering.outbox import OutboxEntry
from ...core.ports import SupportsEstimate, close_adapter
from ...tasks.base import TaskContext, TaskRunner
from ...toolbelt.core_text import user_message
from ...toolbelt.i18n import tr
from .text import provider_title, title_of

LOGGER = logging.getLogger(__name__)

#: provider id -> ready adapter (GUI thread: resolves credentials); raises NadirError
AdapterSource = Callable[[str], Any]
REFRESH_INTERVAL_MS = 60_000


def run_estimate(adapter: Any, spec: OrderSpec, ctx: TaskContext) -> Estimate:
    """Task body: the provider's estimate for ``spec``; closes the adapter."""
    try:
        ctx.check()
        if not isinstance(adapter, SupportsEstimate):
            raise NadirError(f"{provider_title(getattr(adapter, 'id', ''))} gives no estimates through Nadir.")
        return adapter.estimate(spec)
    finally:
        close_adapter(adapter)


class CartPresenter(QObject):
    changed = pyqtSignal()
    recovered = pyqtSignal(str)
    storage_failed = pyqtSignal(str)

    def __init__(
        self,
        store: CartStore,
        runner: TaskRunner,
        adapters: AdapterSource,
        clock: Callable[[], datetime] = utcnow,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._runner = runner
        self._adapters = adapters
        self._clock = clock
        self._estimating: dict[tuple[str, str], Any] = {}  # (item id, fingerprint) -> task
        cart, recovery = store.load()
        # a request pending when QGIS stopped will never answer: ask again
        self._cart = Cart(
            items=tuple(
                i.model_copy(update={"estimate_status": EstimateState.NONE.value})
                if i.estimate_status == EstimateState.PENDING.value
                else i
                for i in cart.items
            ),
            removed=cart.removed,
        )
        self.recovery_message = recovery.message if recovery else ""
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_INTERVAL_MS)
        self._timer.timeout.connect(self.refresh_stale)
        self._editors: dict[str, Callable[[str], Any]] = {}

    # ------------------------------------------------------------------ state
    @property
    def cart(self) -> Cart:
        return self._cart

    @property
    def items(self) -> tuple[CartItem, ...]:
        return self._cart.items

    def item(self, item_id: str) -> Optional[CartItem]:
        return self._cart.get(item_id)

    def now(self) -> datetime:
        return self._clock()

    def start(self) -> None:
        """Announce a recovery of the saved cart, if there was one."""
        if self.recovery_message:
            self.recovered.emit(self.recovery_message)

    def set_active(self, active: bool) -> None:
        """While active (the cart is in view), stale and missing prices are refreshed."""
        if active and not self._timer.isActive():
            self._timer.start()
            self.refresh_stale()
        elif not active:
            self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()

    # ------------------------------------------------------------------ editors
    def register_editor(self, spec_type: str, open_editor: Callable[[str], Any]) -> None:
        """Let a feature edit its kind of item (``spec.type``: "clearsky", "archive", "tasking");
        ``open_editor(item_id)`` opens its dialog and calls :meth:`edit` when saved."""
        self._editors[spec_type] = open_editor

    def unregister_editor(self, spec_type: str) -> None:
        self._editors.pop(spec_type, None)

    def editor(self, item: CartItem) -> Optional[Callable[[str], Any]]:
        return self._editors.get(item.spec.type)

    def editable(self, item: CartItem) -> bool:
        return item.spec.type in self._editors

    def _set(self, cart: Cart, save: bool = True) -> None:
        self._cart = cart
        if save:
            try:
                self.store.save(cart)
            except StorageError as exc:
                LOGGER.warning("%s", exc.message)
                self.storage_failed.emit(exc.message)
        self.changed.emit()

    # ------------------------------------------------------------------ user actions
    def add(self, spec: OrderSpec, title: str = "", summary: str = "", area_km2: Optional[float] = None) -> CartItem:
        now = self.now()
        item = CartItem(spec=spec, title=title, summary=summary, area_km2=area_km2, added_at=now, updated_at=now)
        self._set(self._cart.add(item))
        self.request_estimate(item.id)
        return self._cart.require(item.id)

    def edit(
        self,
        item_id: str,
        spec: OrderSpec,
        title: Optional[str] = None,
        summary: Optional[str] = None,
        area_km2: Optional[float] = None,
    ) -> CartItem:
        self._set(
            self._cart.update(
                item_id, lambda i: i.edited(spec, title=title, summary=summary, area_km2=area_km2, now=self.now())
            )
        )
        self.request_estimate(item_id)
        return self._cart.require(item_id)

    def rename(self, item_id: str, title: str) -> None:
        self._set(self._cart.update(item_id, lambda i: i.model_copy(update={"title": title, "updated_at": self.now()})))

    def duplicate(self, item_id: str) -> CartItem:
        cart, copy = self._cart.duplicate(item_id, self.now())
        self._set(cart)
        if copy.needs_estimate(self.now()):
            self.request_estimate(copy.id)
        return copy

    def remove(self, item_id: str) -> None:
        self._set(self._cart.remove(item_id))

    def refresh_all(self) -> None:
        """Ask again for every item's price (the "Refresh prices" button)."""
        for item in self._cart.items:
            self.request_estimate(item.id, force=True)

    def refresh_stale(self) -> None:
        now = self.now()
        for item in self._cart.items:
            if item.needs_estimate(now):
                self.request_estimate(item.id)
        self.changed.emit()  # ages changed: views re-read the states

    # ------------------------------------------------------------------ estimates
    def request_estimate(self, item_id: str, force: bool = False) -> Optional[Any]:
        item = self._cart.get(item_id)
        if item is None:
            return None
        key = (item.id, item.fingerprint)
        if key in self._estimating:
            return self._estimating[key]
        if not force and not item.needs_estimate(self.now()) and item.state(self.now()) is not EstimateState.FAILED:
            return None
        fingerprint, spec = item.fingerprint, item.spec
        try:
            adapter = self._adapters(item.provider)
        except NadirError as exc:
            reason = exc.message
            self._set(self._cart.update(item_id, lambda i: i.estimate_failed(fingerprint, reason)))
            return None
        self._set(self._cart.update(item_id, lambda i: i.estimate_requested(fingerprint)), save=False)
        task = self._runner.run(
            tr("Nadir: price of {}").format(title_of(item)),
            lambda ctx: run_estimate(adapter, spec, ctx),
            on_done=lambda estimate: self._estimated(item_id, fingerprint, estimate),
            on_error=lambda error: self._estimate_failed(item_id, fingerprint, error),
        )
        self._estimating[key] = task
        return task

    def _estimated(self, item_id: str, fingerprint: str, estimate: Estimate) -> None:
        self._estimating.pop((item_id, fingerprint), None)
        self._set(self._cart.update(item_id, lambda i: i.estimate_received(fingerprint, estimate, self.now())))

    def _estimate_failed(self, item_id: str, fingerprint: str, error: BaseException) -> None:
        self._estimating.pop((item_id, fingerprint), None)
        if not isinstance(error, NadirError):
            LOGGER.error("Estimate failed unexpectedly", exc_info=error)
        message = user_message(error, logged=True)
        self._set(self._cart.update(item_id, lambda i: i.estimate_failed(fingerprint, message)))

    @property
    def estimating(self) -> int:
        return len(self._estimating)

    # ------------------------------------------------------------------ placement
    def mark_placed(self, entry: OutboxEntry) -> None:
        """An outbox entry was placed: its item leaves the cart (refused captures stay)."""
        if not entry.cart_item_id or self._cart.get(entry.cart_item_id) is None:
            return
        left = remaining_after(entry.spec, entry.errors)
        if left is None:
            self._set(self._cart.remove(entry.cart_item_id))
        else:
            self._set(self._cart.update(entry.cart_item_id, lambda i: i.edited(left, now=self.now())))
            self.request_estimate(entry.cart_item_id)

    # ------------------------------------------------------------------ project copy
    def project_document(self) -> str:
        return encode(self._cart, self.store.generation)

    def merge_project_document(self, text: str, placed_ids: set[str]) -> tuple[int, str]:
        """Merge a project's cart; returns (items taken, message for the user or "")."""
        try:
            document = decode(text)
        except Damaged as exc:
            return 0, tr("The cart saved in this project could not be read ({}); the cart was left as it was.").format(
                exc
            )
        cart, taken = self._cart.merge(document.cart, skip=placed_ids)
        if not taken:
            return 0, ""
        self._set(cart)
        self.refresh_stale()
        return len(taken), tr("{} item(s) from this project's cart were added to the cart.").format(len(taken))
