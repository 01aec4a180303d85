"""The order book: every order Nadir knows, from every provider.

Two sources feed it, keyed by ``(provider, order id)``:

- what each provider lists (``SupportsOrders.list_orders``), which is the truth about
  status, sub-status, price and dates whenever it is available;
- what Nadir placed itself (the outbox), which knows orders a provider may not list yet
  and carries the checkout's reference and the cart item's title.

Between two polls the book detects what changed (status or sub-status exactly as sent,
price, start, end, cancellation date) and returns :class:`OrderEvent` values that the
UI turns into notices. The last-known state is kept in a JSON file in the QGIS profile,
written atomically, so a restart neither re-announces every order nor starts with an
empty panel. The first listing of a provider only sets its baseline: nothing is
announced for it.

Pure Python; the Qt side (polling timer, panel, overlay layer) lives in ``ui/orders``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Optional, Protocol

from pydantic import ValidationError

from ..errors import StorageError
from ..models import Money, Order
from ..provider_info import PROVIDERS

LOGGER = logging.getLogger(__name__)

OrderKey = tuple[str, str]  # (provider id, order id)
STATE_VERSION = 1


def order_key(order: Order) -> OrderKey:
    return (order.provider, order.id)


def short_id(order_id: str, length: int = 8) -> str:
    """The first characters of an order id, as shown in notices and the panel."""
    return order_id if len(order_id) <= length + 2 else order_id[:length] + "…"


def provider_title(provider: str) -> str:
    info = PROVIDERS.get(provider)
    return info.title if info else provider


def status_text(order: Order) -> str:
    """Status and sub-status exactly as the provider sent them."""
    return f"{order.raw_status} ({order.sub_status})" if order.sub_status else order.raw_status


class PlacedEntry(Protocol):
    """What the book reads from an outbox entry (``core.ordering.outbox.OutboxEntry``)."""

    @property
    def reference(self) -> str: ...

    @property
    def provider(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def orders(self) -> tuple[Order, ...]: ...

    @property
    def title(self) -> str: ...

    @property
    def price(self) -> Optional[Money]: ...


def order_name(order: Order) -> str:
    """How an order is named to the user: its title (the cart item's name for orders Nadir
    placed) with the short id, or the short id alone."""
    return f"{order.title} ({short_id(order.id)})" if order.title else short_id(order.id)


def _with_local(order: Order, label: str, price: Optional[Money]) -> Order:
    """The provider's order with what only Nadir knows: the name the user gave the cart
    item (it wins over a title the provider made up) and the checkout's estimate, kept
    while the provider reports no price of its own."""
    changes: dict[str, Any] = {}
    if label and order.title != label:
        changes["title"] = label
    if order.price is None and price is not None:
        changes["price"] = price
    return order.model_copy(update=changes) if changes else order


@dataclass(frozen=True)
class BookEntry:
    """One order as the book knows it."""

    order: Order
    reference: Optional[str] = None  # the outbox reference when Nadir placed the order
    label: str = ""  # the cart item's title, when Nadir placed it
    listed: bool = False  # the provider itself has reported this order at least once
    seen_at: Optional[datetime] = None  # last time a provider reported it
    price: Optional[Money] = None  # the estimate at checkout, when Nadir placed it

    @property
    def estimated(self) -> bool:
        """The price shown is Nadir's estimate at checkout (the provider reports none)."""
        return self.price is not None and self.order.price == self.price

    @property
    def key(self) -> OrderKey:
        return order_key(self.order)

    @property
    def placed_by_nadir(self) -> bool:
        return self.reference is not None


# ---------------------------------------------------------------------------- events
class EventKind(str, Enum):
    NEW = "new"  # an order Nadir had not seen (placed elsewhere, e.g. the provider's dashboard)
    CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    name: str  # "status", "price", "start", "end", "cancellation date"
    before: str
    after: str

    def describe(self) -> str:
        if self.name == "status":
            return f"{self.before} → {self.after}"
        if not self.before:
            return f"{self.name} {self.after}"
        if not self.after:
            return f"{self.name} {self.before} removed"
        return f"{self.name} {self.before} → {self.after}"


@dataclass(frozen=True)
class OrderEvent:
    kind: EventKind
    order: Order
    before: Optional[Order] = None
    changes: tuple[FieldChange, ...] = ()
    name: str = ""  # the cart item's name, for an order Nadir placed

    @property
    def key(self) -> OrderKey:
        return order_key(self.order)

    @property
    def status_changed(self) -> bool:
        return any(change.name == "status" for change in self.changes)

    def describe(self) -> str:
        """One line for a notice: "ClearSKY Vision order 1a2b3c4d…: Review → Preparing", or
        with the cart item's name "ClearSKY Vision order Fields (1a2b3c4d…): Review → Preparing"."""
        named = f"{self.name} ({short_id(self.order.id)})" if self.name else short_id(self.order.id)
        head = f"{provider_title(self.order.provider)} order {named}"
        if self.kind is EventKind.NEW:
            return f"New {head}: {status_text(self.order)}"
        return f"{head}: " + "; ".join(change.describe() for change in self.changes)


def _money(value: Optional[Money]) -> str:
    return "" if value is None else str(value)


def _day(value: Optional[date]) -> str:
    return "" if value is None else value.isoformat()


def diff(before: Order, after: Order) -> tuple[FieldChange, ...]:
    """What a user cares about between two versions of one order."""
    changes: list[FieldChange] = []
    if (before.raw_status, before.sub_status) != (after.raw_status, after.sub_status):
        changes.append(FieldChange("status", status_text(before), status_text(after)))
    if _money(before.price) != _money(after.price):
        changes.append(FieldChange("price", _money(before.price), _money(after.price)))
    for name, label in (("start", "start"), ("end", "end"), ("cancellation_date", "cancellation date")):
        old, new = _day(getattr(before, name)), _day(getattr(after, name))
        if old != new:
            changes.append(FieldChange(label, old, new))
    return tuple(changes)


# ------------------------------------------------------------------------------ book
def _now() -> datetime:
    return datetime.now(timezone.utc)


def _sort_key(entry: BookEntry) -> tuple[float, str, str]:
    created = entry.order.created_at
    stamp = created.timestamp() if created is not None and created.tzinfo is not None else 0.0
    if created is not None and created.tzinfo is None:
        stamp = created.replace(tzinfo=timezone.utc).timestamp()
    return (-stamp, entry.order.provider, entry.order.id)


@dataclass
class OrderBook:
    """All known orders; optionally persisted at ``path`` (JSON, atomic writes)."""

    path: Optional[Path] = None
    _entries: dict[OrderKey, BookEntry] = field(default_factory=dict)
    _baselines: set[str] = field(default_factory=set)
    _dirty: bool = False

    # -- reading --------------------------------------------------------------------
    def entries(self) -> list[BookEntry]:
        """Newest first (by creation time), then by provider and id."""
        return sorted(self._entries.values(), key=_sort_key)

    def orders(self) -> list[Order]:
        return [entry.order for entry in self.entries()]

    def get(self, key: OrderKey) -> Optional[BookEntry]:
        return self._entries.get(key)

    def __len__(self) -> int:
        return len(self._entries)

    def count(self, provider: str) -> int:
        return sum(1 for key in self._entries if key[0] == provider)

    def has_baseline(self, provider: str) -> bool:
        return provider in self._baselines

    def placed_to_follow(self, provider: str) -> list[str]:
        """Ids of orders Nadir placed with ``provider`` that are not finished yet."""
        return [
            entry.order.id
            for entry in self.entries()
            if entry.order.provider == provider and entry.placed_by_nadir and not entry.order.status.terminal
        ]

    def located(self, provider: str) -> frozenset[str]:
        """Ids of ``provider``'s orders whose area the book knows (tile footprints fetched once)."""
        return frozenset(e.order.id for e in self._entries.values() if e.order.provider == provider and e.order.aoi)

    def models(self) -> list[str]:
        return sorted({entry.order.model for entry in self._entries.values() if entry.order.model})

    # -- updating -------------------------------------------------------------------
    def apply_listing(
        self, provider: str, orders: Iterable[Order], *, complete: bool = True, now: Optional[datetime] = None
    ) -> list[OrderEvent]:
        """Merge what ``provider`` reported; return the changes worth announcing.

        ``complete`` means the listing holds every order of the account: an order the
        book had from an earlier listing and that is now missing was removed by the
        provider and is dropped, unless Nadir placed it (its last-known state stays).
        The first listing of a provider only records a baseline.
        """
        now = now or _now()
        announce = provider in self._baselines
        events: list[OrderEvent] = []
        reported: set[OrderKey] = set()
        for order in orders:
            if order.provider != provider:
                raise ValueError(f"a {order.provider!r} order in the listing of {provider!r}")
            reported.add(order_key(order))
            event = self._merge(order, now=now, announce=announce)
            if event is not None:
                events.append(event)
        if complete:
            for key, entry in list(self._entries.items()):
                if key[0] == provider and key not in reported and entry.listed and not entry.placed_by_nadir:
                    del self._entries[key]
                    self._dirty = True
            if provider not in self._baselines:
                self._baselines.add(provider)
                self._dirty = True
        return events

    def apply_order(self, order: Order, *, now: Optional[datetime] = None) -> Optional[OrderEvent]:
        """Merge one fresh order (after a cancel, or a get of an order missing from a list)."""
        return self._merge(order, now=now or _now(), announce=True)

    def merge_outbox(self, entries: Iterable[PlacedEntry]) -> int:
        """Add the orders Nadir placed (outbox entries in state ``placed``).

        Nothing is announced: the checkout already told the user. A provider's fresher
        data is kept; the outbox adds the reference and the cart item's title. Returns
        how many orders were new to the book.
        """
        added = 0
        for placed in entries:
            if placed.state != "placed":
                continue
            price = getattr(placed, "price", None)
            for order in placed.orders:
                key = order_key(order)
                current = self._entries.get(key)
                if current is None:
                    self._entries[key] = BookEntry(
                        _with_local(order, placed.title, price),
                        reference=placed.reference,
                        label=placed.title,
                        price=price,
                    )
                    added += 1
                    self._dirty = True
                elif (current.reference, current.label, current.price) != (placed.reference, placed.title, price):
                    self._entries[key] = replace(
                        current,
                        order=_with_local(current.order, placed.title, price),
                        reference=placed.reference,
                        label=placed.title,
                        price=price,
                    )
                    self._dirty = True
        return added

    def _merge(self, order: Order, *, now: datetime, announce: bool) -> Optional[OrderEvent]:
        key = order_key(order)
        current = self._entries.get(key)
        if current is None:
            self._entries[key] = BookEntry(order, listed=True, seen_at=now)
            self._dirty = True
            return OrderEvent(EventKind.NEW, order) if announce else None
        if order.aoi is None and current.order.aoi is not None:
            order = order.model_copy(update={"aoi": current.order.aoi})  # a footprint fetched earlier
        order = _with_local(order, current.label, current.price)
        self._entries[key] = replace(current, order=order, listed=True, seen_at=now)
        if current.order != order:
            self._dirty = True
        changes = diff(current.order, order)
        if not changes:
            return None
        # an order Nadir placed but no provider had listed yet: its first listing is news
        # only when something moved since placement.
        if not (announce or current.reference):
            return None
        return OrderEvent(EventKind.CHANGED, order, current.order, changes, name=current.label)

    def forget_provider(self, provider: str) -> None:
        """Drop a provider's orders and baseline (e.g. its connection now points elsewhere)."""
        for key in [k for k in self._entries if k[0] == provider]:
            del self._entries[key]
        self._baselines.discard(provider)
        self._dirty = True

    # -- working copies ---------------------------------------------------------------
    def snapshot(self) -> OrderBook:
        """An independent copy (entries are immutable: only the mappings are copied), for
        merging or saving in a background task while this book stays in use."""
        return OrderBook(
            path=self.path, _entries=dict(self._entries), _baselines=set(self._baselines), _dirty=self._dirty
        )

    def adopt(self, other: OrderBook) -> None:
        """Take over the state of a working copy made with :meth:`snapshot`."""
        self._entries, self._baselines, self._dirty = dict(other._entries), set(other._baselines), other._dirty

    # -- persistence ------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    def mark_saved(self) -> None:
        """A snapshot of this state is being saved elsewhere (a background task)."""
        self._dirty = False

    def mark_unsaved(self) -> None:
        """Saving that snapshot failed: the state still has to reach the disk."""
        self._dirty = True

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "saved_at": _now().isoformat(),
            "baselines": sorted(self._baselines),
            "orders": [
                {
                    "order": entry.order.model_dump(mode="json"),
                    "reference": entry.reference,
                    "label": entry.label,
                    "price": entry.price.model_dump(mode="json") if entry.price is not None else None,
                    "listed": entry.listed,
                    "seen_at": entry.seen_at.isoformat() if entry.seen_at else None,
                }
                for entry in self.entries()
            ],
        }

    def save(self) -> None:
        """Write the state atomically (temporary file, fsync, rename). No-op without a path."""
        if self.path is None:
            return
        payload = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(payload)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StorageError(
                f"Nadir could not save the known order states to {self.path}: {exc.strerror or exc}. "
                "Check that the QGIS profile folder is writable.",
            ) from exc
        self._dirty = False

    @classmethod
    def load(cls, path: Path) -> OrderBook:
        """The book saved at ``path``; an empty one if there is none or it cannot be read.

        The file is a cache of provider data: a damaged file costs only the baseline (the
        next poll re-records it silently), so it is set aside rather than raising.
        """
        book = cls(path=path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return book
        except (OSError, ValueError) as exc:
            LOGGER.warning("Known order states in %s cannot be read (%s); starting afresh.", path, exc)
            _set_aside(path)
            return book
        if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
            LOGGER.warning("Known order states in %s have an unknown format; starting afresh.", path)
            _set_aside(path)
            return book
        book._read(raw)
        return book

    def _read(self, raw: dict[str, Any]) -> None:
        baselines = raw.get("baselines")
        self._baselines = {str(p) for p in baselines} if isinstance(baselines, list) else set()
        items = raw.get("orders")
        for item in items if isinstance(items, list) else []:
            entry = _entry_from_json(item)
            if entry is not None:
                self._entries[entry.key] = entry


def _entry_from_json(item: Any) -> Optional[BookEntry]:
    if not isinstance(item, dict):
        return None
    try:
        order = Order.model_validate(item.get("order"))
        seen = item.get("seen_at")
        price = item.get("price")
        return BookEntry(
            order,
            reference=item.get("reference") or None,
            label=str(item.get("label") or ""),
            listed=bool(item.get("listed")),
            seen_at=datetime.fromisoformat(seen) if isinstance(seen, str) else None,
            price=Money.model_validate(price) if isinstance(price, dict) else None,
        )
    except (ValidationError, ValueError, TypeError) as exc:
        LOGGER.warning("Skipping an unreadable saved order: %s", exc)
        return None


def _set_aside(path: Path) -> None:
    try:
        os.replace(path, path.with_name(path.name + ".unreadable"))
    except OSError as exc:
        LOGGER.warning("Could not move %s aside: %s", path, exc)


def announceable(events: Sequence[OrderEvent]) -> list[OrderEvent]:
    """Events in a stable order: status changes first, then other changes, then new orders."""
    rank = {True: 0, False: 1}
    return sorted(events, key=lambda e: (e.kind is EventKind.NEW, rank[e.status_changed], e.order.provider, e.order.id))
