"""Placing orders through the outbox, and reconciling what a crash left: a retry, a crash or a
lost answer never orders twice.

Pure Python: the GUI runs these in tasks, Processing runs them in its worker thread, a
test runs them in a child process it kills. The adapter is any ``SupportsPlace``.

:func:`place` takes an outbox entry to ``placed`` or ``failed`` and sends at most what
cannot double an order:

- an entry already ``placed`` is returned as it is;
- an entry left ``sending`` or ``unknown`` is first looked up at the provider with
  ``find_placed(spec, reference)``; only if the provider has no such order is it sent
  again, still under the same reference;
- the entry is claimed (``queued`` -> ``sending``, committed) immediately before the
  call; a second caller finds it claimed and sends nothing;
- a lost answer (:class:`OutcomeUnknown`, an unreadable success body, a success that
  names no order and no refusal, a 5xx that ends the retries of a write sent with an
  idempotency key, an unexpected exception) makes it ``unknown`` and it
  is looked up once at once; whatever the lookup says is recorded, and nothing is
  resent inside the same call;
- a 409 "still processing an earlier attempt" (:class:`StillPlacing`) is looked up once
  and otherwise stays ``unknown`` with one message: never "not placed";
- 402 (:class:`PaymentRequired`) is final for this attempt, never retried; the 3-D
  Secure ``client_secret`` travels only on the returned exception object, never into
  the outbox, a message or a log.

:func:`reconcile` resolves entries left ``sending`` or ``unknown`` (start-up after a
crash) by lookup only: it never sends. Entries still being sent by a live process are
left alone.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional

from .. import errors
from ..models import PlacementResult
from ..ports import SupportsPlace
from ..redaction import short_reference
from .outbox import FAILED, PLACED, QUEUED, SENDING, UNKNOWN, Outbox, OutboxEntry, this_process

LOGGER = logging.getLogger(__name__)

#: A ``sending`` entry of a process that is still alive is reconciled only after this long.
STUCK_AFTER = timedelta(minutes=15)
#: A provider order created this long before the entry was queued cannot be its order
#: (generous: provider and local clocks differ).
CLOCK_TOLERANCE = timedelta(hours=12)


@dataclass
class Outcome:
    """What :func:`place` did. ``payment`` holds a 402 for the 3-D Secure step (memory only)."""

    entry: OutboxEntry
    sent: bool = False
    payment: Optional[errors.PaymentRequired] = None

    @property
    def placed(self) -> bool:
        return self.entry.state == PLACED


def sentence(text: str) -> str:
    """``text`` ending with a full stop, so another sentence can follow."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _failure_kind(exc: errors.NadirError) -> str:
    if isinstance(exc, errors.PaymentRequired):
        return "payment_action" if exc.requires_action else "payment"
    if isinstance(exc, errors.ProviderAuthError):
        return "auth"
    if isinstance(exc, errors.ProviderUnavailable):
        return "unavailable"
    if isinstance(exc, (errors.ProviderRejected, errors.InputError, errors.NotSupported)):
        return "rejected"
    return "error"


def payment_message(exc: errors.PaymentRequired, provider_title: str) -> str:
    """What to tell the user about a 402, without the client secret."""
    if exc.requires_action:
        return (
            f"Your bank asks you to confirm this payment (3-D Secure). Complete the bank's challenge in your "
            f"{provider_title} account (billing page), then click Retry: the order is sent again under the "
            f"same reference, so it cannot be placed twice. Nothing was charged yet."
        )
    return (
        f"{sentence(exc.message)} The order was not placed and nothing was retried; the item stays in the cart. "
        f"Fix the payment with {provider_title}, then click Retry."
    )


def _plausible(outbox: Outbox, entry: OutboxEntry, found: PlacementResult) -> PlacementResult:
    """Drop orders that cannot be this entry's: recorded by another entry, or made well
    before the entry existed (a provider without client references matches by content)."""
    taken = outbox.order_ids(exclude=entry.reference)
    earliest = entry.created_at - CLOCK_TOLERANCE
    orders = tuple(
        order
        for order in found.orders
        if order.id not in taken and (order.created_at is None or order.created_at >= earliest)
    )
    return found.model_copy(update={"orders": orders})


def resolve(outbox: Outbox, adapter: SupportsPlace, entry: OutboxEntry, cause: str = "") -> OutboxEntry:
    """Look an entry whose outcome is unknown up at the provider; record what it says.

    Found: ``placed``. Not found: ``failed`` with failure ``not_placed`` (safe to send
    again). The lookup itself failing: stays ``unknown`` with the reason. ``cause``
    (why the outcome was unknown) is kept at the start of the message.
    """
    said = f"{sentence(cause)} " if cause else ""
    if entry.state not in (SENDING, UNKNOWN):
        return entry
    find_placed = getattr(adapter, "find_placed", None)
    if find_placed is None:
        return outbox.mark_unknown(
            entry.reference, f"{entry.provider} cannot look orders up; check its order list before placing this again."
        )
    try:
        found: Optional[PlacementResult] = find_placed(entry.spec, entry.reference)
    except errors.NadirError as exc:
        LOGGER.info("Looking up %s failed: %s", short_reference(entry.reference), exc)
        return outbox.mark_unknown(
            entry.reference,
            f"{said}The provider's answer was lost, and checking whether the order exists failed too "
            f"({exc.message}). Nadir will check again; nothing is sent until it knows.",
        )
    if found is not None:
        found = _plausible(outbox, entry, found)
    if found is not None and found.orders:
        LOGGER.info(
            "Outbox %s: found at the provider as %s",
            short_reference(entry.reference),
            ", ".join(o.id for o in found.orders),
        )
        return outbox.complete(entry.reference, found)
    return outbox.fail(
        entry.reference,
        f"{said}Nadir checked with the provider: it has no such order, so it was "
        f"not placed; the item stays in the cart. Click Retry to place it.",
        failure="not_placed",
    )


def place(outbox: Outbox, adapter: SupportsPlace, reference: str, *, provider_title: str = "") -> Outcome:
    """Take the entry ``reference`` as far as it can go without risking a second order."""
    entry = outbox.require(reference)
    title = provider_title or entry.provider
    if entry.state == PLACED:
        return Outcome(entry)
    if entry.state in (SENDING, UNKNOWN):
        if entry.state == SENDING and not needs_reconcile(entry):
            return Outcome(entry)  # a live process is sending it right now
        entry = resolve(outbox, adapter, entry)
        if entry.state != FAILED:
            return Outcome(entry)
    if entry.state == FAILED:
        entry = outbox.requeue(reference)
    claimed = outbox.claim(reference)
    if claimed is None:  # someone else claimed it in between
        return Outcome(outbox.require(reference))
    send = getattr(adapter, "place", None)
    if send is None:
        return Outcome(outbox.fail(reference, f"{title} does not take orders through Nadir.", "rejected"))
    try:
        result: PlacementResult = send(claimed.spec, reference)
    except errors.PaymentRequired as exc:
        return Outcome(outbox.fail(reference, payment_message(exc, title), _failure_kind(exc)), True, exc)
    except errors.StillPlacing:
        return Outcome(_still_placing(outbox, adapter, reference, title), True)
    except (errors.OutcomeUnknown, errors.InvalidResponse) as exc:
        return _answer_lost(outbox, adapter, reference, exc, title)
    except errors.OperationCancelled:
        raise
    except errors.ProviderUnavailable as exc:
        if exc.status is not None and exc.status >= 500:  # it reached the provider (an idempotent write's
            return _answer_lost(outbox, adapter, reference, exc, title)  # last 5xx): the order may exist
        # not sent at all (outcome unknown is handled above)
        text = (
            f"{sentence(exc.message)} The order was not placed; the item stays in the cart. Click Retry "
            f"when {title} is reachable again."
        )
        return Outcome(outbox.fail(reference, text, _failure_kind(exc)), True)
    except errors.NadirError as exc:
        return Outcome(
            outbox.fail(
                reference,
                f"{sentence(exc.message)} The order was not placed; the item stays in the cart.",
                _failure_kind(exc),
            ),
            True,
        )
    except Exception:  # noqa: BLE001 - a bug after sending: the order may exist
        LOGGER.error("Placing %s failed unexpectedly:\n%s", short_reference(reference), traceback.format_exc())
        cause = "Something went wrong inside Nadir while placing this order."
        outbox.mark_unknown(
            reference,
            f"{cause} It may or may not have been placed. Nadir checks with the "
            f"provider before anything is sent again.",
        )
        return Outcome(resolve(outbox, adapter, outbox.require(reference), cause=cause), True)
    if not result.orders and not result.errors:
        # a success that names no order and no refusal: the order may exist; look it up
        cause = f"{title} accepted the order but did not say which order it made."
        LOGGER.info("Outbox %s: success without an order; looking it up", short_reference(reference))
        outbox.mark_unknown(reference, f"{cause} Nadir is checking with {title} whether it was placed.")
        return Outcome(resolve(outbox, adapter, outbox.require(reference), cause=cause), True)
    return Outcome(outbox.complete(reference, result), True)


def _still_placing(outbox: Outbox, adapter: SupportsPlace, reference: str, title: str) -> OutboxEntry:
    """A 409 "still processing an earlier attempt": look up once; found, it is placed;
    otherwise it stays ``unknown`` with one message (the provider's own words would add a
    second instruction that contradicts this one)."""
    text = (
        f"{title} is still processing an earlier attempt of this order (sent with the same key), so whether "
        f"it is placed is not known yet; wait a minute."
    )
    entry = outbox.mark_unknown(reference, text)
    find_placed = getattr(adapter, "find_placed", None)
    if find_placed is None:
        return entry
    try:
        found: Optional[PlacementResult] = find_placed(entry.spec, entry.reference)
    except errors.NadirError as exc:
        LOGGER.info("Looking up %s failed: %s", short_reference(reference), exc)
        return entry
    if found is not None:
        found = _plausible(outbox, entry, found)
    if found is not None and found.orders:
        return outbox.complete(reference, found)
    return entry


def _answer_lost(outbox: Outbox, adapter: SupportsPlace, reference: str, exc: errors.NadirError, title: str) -> Outcome:
    """The request reached the provider but its outcome is not known: ``unknown``, then one lookup."""
    LOGGER.info("Outbox %s: outcome unknown (%s); looking it up", short_reference(reference), type(exc).__name__)
    outbox.mark_unknown(reference, f"{sentence(exc.message)} Nadir is checking with {title} whether it was placed.")
    return Outcome(resolve(outbox, adapter, outbox.require(reference), cause=exc.message), True)


def _process_alive(owner: str) -> bool:
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def needs_reconcile(entry: OutboxEntry, now: Optional[datetime] = None) -> bool:
    """An ``unknown`` entry, or a ``sending`` one whose sender died or is stuck."""
    if entry.state == UNKNOWN:
        return True
    if entry.state != SENDING:
        return False
    if entry.owner == this_process():
        return False
    if not _process_alive(entry.owner):
        return True
    moment = now or datetime.now(timezone.utc)
    return entry.sent_at is None or moment - entry.sent_at > STUCK_AFTER


def reconcile(
    outbox: Outbox,
    adapter_for: Callable[[str], Optional[SupportsPlace]],
    *,
    entries: Optional[Iterable[OutboxEntry]] = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[OutboxEntry]:
    """Resolve entries a crash left behind (lookup only, never a send); returns them updated.

    ``adapter_for(provider)`` returns an adapter or None when the provider cannot be
    reached now (its entries stay as they are, for the next start).
    """
    todo = [e for e in (outbox.unresolved() if entries is None else entries) if needs_reconcile(e)]
    done: list[OutboxEntry] = []
    adapters: dict[str, Optional[SupportsPlace]] = {}
    for entry in todo:
        if cancelled():
            raise errors.OperationCancelled()
        if entry.provider not in adapters:
            adapters[entry.provider] = adapter_for(entry.provider)
        adapter = adapters[entry.provider]
        if adapter is None:
            continue
        cause = "Nadir stopped before the provider answered." if entry.state == SENDING else ""
        if entry.state == SENDING:  # the sender died between send and answer
            entry = outbox.mark_unknown(entry.reference, cause)
        done.append(resolve(outbox, adapter, entry, cause=cause))
    return done


__all__ = ["FAILED", "PLACED", "QUEUED", "SENDING", "UNKNOWN", "Outcome", "place", "reconcile", "resolve"]
