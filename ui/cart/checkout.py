"""Presenter of the checkout review: one method per user action.

``open()`` shows every cart item and the totals and refreshes prices that are missing
or stale; ``set_included(item_id, bool)``, ``confirm(bool)``, ``place()`` and
``retry(item_id)`` are the user's actions.

Placing needs an explicit confirmation of exactly what is shown: the confirmation is
withdrawn whenever an included item or its price changes. Every included item must
have a fresh price. Each item goes through the outbox (:class:`OutboxService`): it is
written with its reference before anything is sent, and the outbox itself refuses a
second placement of the same item, so a double-click on Place or a second checkout
window cannot order twice. Results come back per item; placed items leave the cart,
failed ones stay with the reason and a Retry that reuses the same reference.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtWidgets import QWidget

from ...core.errors import AlreadyPlacing, StorageError
from ...core.models import ClearSkySpec, Money, OrderKind, totals_by_currency
from ...core.ordering import checkout
from ...core.ordering.cart import CartItem, EstimateState
from ...core.ordering.clearsky_configure import composite_area_problem
from ...core.ordering.outbox import FAILED, PLACED, QUEUED, SENDING, UNKNOWN, OutboxEntry
from ...toolbelt.i18n import tr
from . import text
from .checkout_dialog import CheckoutDialog, ReviewRow
from .outbox_service import OutboxService
from .presenter import CartPresenter

LOGGER = logging.getLogger(__name__)


@dataclass
class Row:
    item: CartItem
    included: bool = True
    reference: str = ""
    status: str = ""  # outbox state, or "waiting" before the outbox has it
    message: str = ""
    orders: tuple[str, ...] = field(default_factory=tuple)


def billing_text(entry: OutboxEntry) -> str:
    """How a placed order is paid, where the provider says (Geopera's ``billingMode``:
    credit, card or enterprise)."""
    modes = {str(o.extra.get("billing_mode") or "") for o in entry.orders if isinstance(o.extra, Mapping)} - {""}
    said = []
    for mode in sorted(modes):
        if mode == "credit":
            said.append(tr("paid with credits reserved from your prepaid balance"))
        elif mode == "card":
            said.append(tr("paid by card: a hold, captured on delivery and voided if the order fails"))
        elif mode == "enterprise":
            said.append(tr("billed on your organisation's monthly invoice"))
        else:
            said.append(tr("billing mode {}").format(mode))
    return "; ".join(said)


def status_message(entry: OutboxEntry) -> str:
    if entry.state == PLACED:
        ids = ", ".join(entry.order_ids)
        billing = billing_text(entry)
        text_ = tr("Placed: order {} ({})").format(ids, billing) if billing else tr("Placed: order {}").format(ids)
        if entry.errors:
            text_ += tr("; not ordered: {}").format("; ".join(f"{e.item}: {e.message}" for e in entry.errors))
        return text_
    if entry.state == SENDING:
        return tr("Sending…")
    if entry.state == QUEUED:
        return tr("Queued…")
    if entry.state == UNKNOWN:
        return tr("Outcome unknown: {} Retry checks with the provider first; it never orders twice.").format(
            entry.message
        )
    return tr("Not placed: {}").format(entry.message) if entry.message else tr("Not placed.")


class CheckoutPresenter(QObject):
    finished = pyqtSignal(dict)  # {"placed": n, "failed": n, "unknown": n} when nothing runs any more

    def __init__(
        self,
        cart: CartPresenter,
        outbox: OutboxService,
        parent_widget: Optional[QWidget] = None,
        max_area: Optional[Callable[[str], Optional[float]]] = None,
    ) -> None:
        """``max_area(provider)``: the account's largest composite in km², when known."""
        super().__init__()
        self._cart = cart
        self._max_area = max_area or (lambda provider: None)
        self._outbox = outbox
        self._parent = parent_widget
        self.dialog: Optional[CheckoutDialog] = None
        self.rows: dict[str, Row] = {}
        self.confirmed = False
        self._confirmed_for: tuple[Any, ...] = ()
        self._busy = False
        self._connected = False

    # ------------------------------------------------------------------ user actions
    def open(self) -> CheckoutDialog:
        self.close()
        self.rows = {item.id: Row(item) for item in self._cart.items}
        self.confirmed, self._confirmed_for = False, ()
        dialog = CheckoutDialog(self._parent)
        dialog.include_toggled.connect(self.set_included)
        dialog.confirm_toggled.connect(self.confirm)
        dialog.place_clicked.connect(self.place)
        dialog.retry_clicked.connect(self.retry)
        dialog.finished.connect(lambda _result, d=dialog: self._closed(d))
        self.dialog = dialog
        self._cart.changed.connect(self._cart_changed)
        self._outbox.entry_changed.connect(self._entry_changed)
        self._connected = True
        for item in self._cart.items:  # prices must be current before anyone confirms them
            if item.state(self._cart.now()) in (EstimateState.NONE, EstimateState.STALE, EstimateState.FAILED):
                self._cart.request_estimate(item.id, force=True)
        self._refresh()
        dialog.show()
        return dialog

    def set_included(self, item_id: str, included: bool) -> None:
        row = self.rows.get(item_id)
        if row is not None and not self._locked(row):
            row.included = included
        self._refresh()

    def confirm(self, confirmed: bool) -> None:
        self.confirmed = confirmed
        self._confirmed_for = self._signature() if confirmed else ()
        self._refresh()

    def place(self) -> list[str]:
        """Place every included item not placed yet; returns the references sent to the outbox."""
        allowed, reason = self.can_place()
        if not allowed:
            LOGGER.info("Place refused: %s", reason)
            return []
        self._busy = True
        references = []
        try:
            for row in self.rows.values():
                if row.included and row.status not in (PLACED, SENDING, QUEUED):
                    reference = self._place_row(row)
                    if reference:
                        references.append(reference)
        finally:
            self._busy = False
        self._connected = False
        self.confirmed, self._confirmed_for = False, ()  # a second round needs a new confirmation
        self._refresh()
        return references

    def retry(self, item_id: str) -> Optional[str]:
        """Retry one failed or unknown item under its same reference (looked up first if unknown)."""
        row = self.rows.get(item_id)
        if row is None or not row.reference or row.status not in (FAILED, UNKNOWN):
            return None
        if self._outbox.is_placing(row.reference):
            return None
        row.status, row.message = SENDING, tr("Sending…")
        self._outbox.place(row.reference)
        self._refresh()
        return row.reference

    # ------------------------------------------------------------------ rules
    def _locked(self, row: Row) -> bool:
        return row.status in (PLACED, SENDING, QUEUED) or (
            bool(row.reference) and self._outbox.is_placing(row.reference)
        )

    def _pending_rows(self) -> list[Row]:
        return [r for r in self.rows.values() if r.included and r.status != PLACED]

    def _signature(self) -> tuple[Any, ...]:
        return tuple((r.item.id, r.item.fingerprint, str(r.item.price)) for r in self._pending_rows())

    def too_large(self, item: CartItem) -> str:
        """Why ``item`` could be ordered but never delivered (a composite over the account's
        limit), or ""."""
        if not isinstance(item.spec, ClearSkySpec) or item.spec.kind is not OrderKind.COMPOSITE:
            return ""
        area = item.area_km2
        if area is None and item.estimate is not None:  # an item saved without its area: the provider's
            area = item.estimate.area_km2
        return composite_area_problem(area, self._max_area(item.provider)) or ""

    def can_place(self) -> tuple[bool, str]:
        todo = [r for r in self._pending_rows() if r.status not in (SENDING, QUEUED)]
        if not todo:
            return False, tr("Nothing left to place.")
        large = [r for r in todo if self.too_large(r.item)]
        if large:
            return False, tr("“{}” cannot be delivered: {} Untick it or change it.").format(
                text.title_of(large[0].item), self.too_large(large[0].item)
            )
        now = self._cart.now()
        unpriced = [r for r in todo if r.item.state(now) is not EstimateState.FRESH]
        if unpriced:
            return False, tr("Waiting for current prices of {} item(s).").format(len(unpriced))
        if not self.confirmed or self._confirmed_for != self._signature():
            return False, tr("Tick the confirmation first.")
        if any(self._outbox.is_placing(r.reference) for r in todo if r.reference):
            return False, tr("Placement in progress.")
        return True, ""

    # ------------------------------------------------------------------ placing
    def _place_row(self, row: Row) -> str:
        outbox = self._outbox.outbox
        try:
            entry = outbox.enqueue(
                row.item.spec, cart_item_id=row.item.id, title=text.title_of(row.item), price=row.item.price
            )
        except AlreadyPlacing as exc:
            try:
                existing = outbox.require(exc.reference)
            except StorageError:  # its entry cannot be read: it is kept, and it still blocks a second order
                row.status, row.message = FAILED, exc.message
                return ""
            row.reference = existing.reference
            self._show_entry(row, existing)
            if existing.state in (QUEUED, UNKNOWN) and not self._outbox.is_placing(existing.reference):
                self._outbox.place(existing.reference)  # left over from a crash: finish it safely
            return ""
        except StorageError as exc:
            row.status, row.message = FAILED, exc.message
            return ""
        row.reference = entry.reference
        self._show_entry(row, entry)
        self._outbox.place(entry.reference)
        return entry.reference

    def _show_entry(self, row: Row, entry: OutboxEntry) -> None:
        row.status = entry.state
        row.message = status_message(entry)
        row.orders = entry.order_ids

    def _entry_changed(self, entry: OutboxEntry) -> None:
        for row in self.rows.values():
            if row.reference == entry.reference or (not row.reference and row.item.id == entry.cart_item_id):
                row.reference = entry.reference
                self._show_entry(row, entry)
        self._refresh()
        if not self._busy and not any(self._outbox.is_placing(r.reference) for r in self.rows.values() if r.reference):
            counts = {
                state: sum(1 for r in self.rows.values() if r.status == state) for state in (PLACED, FAILED, UNKNOWN)
            }
            if any(r.reference for r in self.rows.values()):
                self._summary(counts)
                self.finished.emit(counts)

    def _cart_changed(self) -> None:
        for item in self._cart.items:
            if item.id in self.rows:
                self.rows[item.id].item = item
            else:
                self.rows[item.id] = Row(item)
        self._refresh()

    # ------------------------------------------------------------------ view
    def _summary(self, counts: dict[str, int]) -> None:
        if self.dialog is None:
            return
        parts = [tr("{} placed").format(counts[PLACED])]
        if counts[FAILED]:
            parts.append(tr("{} not placed (still in the cart)").format(counts[FAILED]))
        if counts[UNKNOWN]:
            parts.append(tr("{} with an unknown outcome (checked before any retry)").format(counts[UNKNOWN]))
        self.dialog.show_summary(", ".join(parts) + ".")

    def totals(self) -> dict[str, Money]:
        prices = [r.item.price for r in self._pending_rows() if r.item.price is not None]
        return totals_by_currency([p for p in prices if p is not None])

    def refresh(self) -> None:
        """Show the review again (e.g. the account's limits became known)."""
        self._refresh()

    def _refresh(self) -> None:
        if self.dialog is None:
            return
        now = self._cart.now()
        rows = []
        for row in self.rows.values():
            item = row.item
            rows.append(
                ReviewRow(
                    item_id=item.id,
                    title=text.title_of(item),
                    provider=text.provider_title(item.provider),
                    kind=text.kind_text(item.spec),
                    model=text.model_text(item.spec),
                    schedule=text.schedule_text(item.spec),
                    price=text.estimate_text(item, now),
                    included=row.included,
                    status=row.status,
                    message=row.message or self.too_large(item) or text.unpriced_text(item),
                    can_retry=row.status in (FAILED, UNKNOWN)
                    and bool(row.reference)
                    and not self._outbox.is_placing(row.reference),
                    locked=self._locked(row),
                )
            )
        self.dialog.show_rows(rows)
        if self.confirmed and self._confirmed_for != self._signature():
            self.confirmed, self._confirmed_for = False, ()  # what was confirmed changed
        pending = self._pending_rows()
        amounts = " + ".join(str(m) for m in self.totals().values()) or "0"
        allowed, reason = self.can_place()
        recurring = sum(1 for r in pending if getattr(r.item.spec, "recurring", False))
        placed = [r for r in self.rows.values() if r.status == PLACED]
        notes = []
        if pending and reason and reason != tr("Tick the confirmation first."):
            notes.append(reason)
        if recurring:
            notes.append(
                tr(
                    "{} recurring live order(s): the price is this month's; they renew every month until cancelled."
                ).format(recurring)
            )
        totals = tr("Total to order: {} ({} item(s))").format(amounts, len(pending)) if pending else ""
        if placed:
            done = " + ".join(
                str(m) for m in totals_by_currency([r.item.price for r in placed if r.item.price is not None]).values()
            )
            totals = (totals + "  ·  " if totals else "") + tr("Placed: {} order(s) for {}").format(
                len(placed), done or "—"
            )
        waiting = len([r for r in pending if r.status not in (SENDING, QUEUED)])
        self.dialog.show_totals(
            totals=totals,
            notes=" ".join(notes),
            confirm_text=tr("I confirm placing these {} order(s) for {}, billed by each provider.").format(
                len(pending), amounts
            )
            if waiting
            else "",
            confirmed=self.confirmed,
            can_place=allowed,
            place_text=tr("Place {} order(s)").format(waiting) if waiting else tr("Place orders"),
        )

    def _closed(self, dialog: CheckoutDialog) -> None:
        if dialog is self.dialog:
            self._disconnect()
            self.dialog = None
        dialog.deleteLater()

    def _disconnect(self) -> None:
        if self._connected:
            self._cart.changed.disconnect(self._cart_changed)
            self._outbox.entry_changed.disconnect(self._entry_changed)
            self._connected = False

    def close(self) -> None:
        if self.dialog is not None:
            dialog = self.dialog
            self._disconnect()
            self.dialog = None
            dialog.reject()
            dialog.deleteLater()


__all__ = ["CheckoutPresenter", "checkout"]
