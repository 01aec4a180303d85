"""``OUTBOX`` (:mod:`ui.services`): the :class:`core.ordering.outbox.Outbox` with Qt signals.

- ``outbox``: the :class:`Outbox` itself (``placed()``, ``entries()``, ``get()``...);
- ``placed(entry)``: an entry became ``placed`` (orders panel, cart);
- ``entry_changed(entry)``: any entry changed state through this service;
- ``outcome(object)``: a :class:`core.ordering.checkout.Outcome` after each placement attempt;
  a 402's exception (with its 3-D Secure client secret) lives only on that object.

:meth:`place` and :meth:`reconcile` run :mod:`core.ordering.checkout` in tasks. A reference
already being placed by this service is not submitted twice.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from qgis.PyQt.QtCore import QObject, pyqtSignal

from ...core.errors import NadirError, StorageError
from ...core.ordering import checkout
from ...core.ordering.outbox import PLACED, Outbox, OutboxEntry
from ...core.ports import close_adapter, closing_adapter
from ...core.redaction import short_reference
from ...tasks.base import TaskContext, TaskRunner
from ...toolbelt.core_text import user_message
from ...toolbelt.i18n import tr
from .presenter import AdapterSource
from .text import provider_title

LOGGER = logging.getLogger(__name__)


def run_place(outbox: Outbox, adapter: Any, reference: str, ctx: TaskContext) -> checkout.Outcome:
    with closing_adapter(adapter):
        ctx.check()
        return checkout.place(outbox, adapter, reference, provider_title=provider_title(getattr(adapter, "id", "")))


def run_reconcile(outbox: Outbox, adapters: dict[str, Any], ctx: TaskContext) -> list[OutboxEntry]:
    try:
        return checkout.reconcile(outbox, adapters.get, cancelled=ctx.cancelled)
    finally:
        for adapter in adapters.values():
            close_adapter(adapter)


class OutboxService(QObject):
    placed = pyqtSignal(object)
    entry_changed = pyqtSignal(object)
    outcome = pyqtSignal(object)
    reconciled = pyqtSignal(list)

    def __init__(
        self, outbox: Outbox, runner: TaskRunner, adapters: AdapterSource, parent: Optional[QObject] = None
    ) -> None:
        super().__init__(parent)
        self.outbox = outbox
        self._runner = runner
        self._adapters = adapters
        self._placing: dict[str, Any] = {}

    # convenience for readers (orders panel)
    def entries(self) -> list[OutboxEntry]:
        return self.outbox.entries()

    def placed_entries(self) -> list[OutboxEntry]:
        return self.outbox.placed()

    def is_placing(self, reference: str) -> bool:
        return reference in self._placing

    def place(self, reference: str) -> Optional[Any]:
        """Place (or retry) the entry ``reference`` in a task. Returns the task, or None
        if this service is already placing it or the adapter could not be made."""
        if reference in self._placing:
            return None
        try:
            entry = self.outbox.require(reference)
        except StorageError as exc:  # an entry that cannot be read is never sent (Outbox.problems says why)
            LOGGER.warning("%s", exc.message)
            return None
        try:
            adapter = self._adapters(entry.provider)
        except NadirError as exc:  # nothing was sent: say why, the item stays in the cart
            if entry.state == "failed":
                self.outbox.requeue(reference)
            failed = self.outbox.fail(reference, exc.message, "auth") if entry.state in ("queued", "failed") else entry
            self.entry_changed.emit(failed)
            self.outcome.emit(checkout.Outcome(failed))
            return None
        task = self._runner.run(
            tr("Nadir: placing {}").format(entry.title or reference),
            lambda ctx: run_place(self.outbox, adapter, reference, ctx),
            on_done=lambda outcome: self._done(reference, outcome),
            on_error=lambda error: self._failed(reference, error),
        )
        self._placing[reference] = task
        self.entry_changed.emit(entry)
        return task

    def _done(self, reference: str, outcome: checkout.Outcome) -> None:
        self._placing.pop(reference, None)
        self._announce(outcome.entry)
        self.outcome.emit(outcome)

    def _failed(self, reference: str, error: BaseException) -> None:
        """The task itself failed (cancelled, storage, bug): show the entry as it stands."""
        self._placing.pop(reference, None)
        if not isinstance(error, NadirError):
            LOGGER.error("Placing %s failed unexpectedly", short_reference(reference), exc_info=error)
        try:
            entry = self.outbox.get(reference)
        except StorageError as exc:
            LOGGER.warning("%s", exc.message)
            return
        if entry is not None:
            message = user_message(error, logged=True)
            if entry.state == "queued":
                entry = self.outbox.fail(reference, message, "error")
            self._announce(entry)
            self.outcome.emit(checkout.Outcome(entry))

    def _announce(self, entry: OutboxEntry) -> None:
        self.entry_changed.emit(entry)
        if entry.state == PLACED:
            self.placed.emit(entry)

    # ------------------------------------------------------------------ start-up
    def needs_reconcile(self) -> list[OutboxEntry]:
        return [e for e in self.outbox.unresolved() if checkout.needs_reconcile(e)]

    def reconcile(self) -> Optional[Any]:
        """Look up entries a crash left ``sending``/``unknown`` (never sends)."""
        todo = self.needs_reconcile()
        if not todo:
            return None
        adapters: dict[str, Any] = {}
        for provider in sorted({e.provider for e in todo}):
            try:
                adapters[provider] = self._adapters(provider)
            except NadirError as exc:
                LOGGER.warning("Cannot check unfinished %s placements now: %s", provider, exc.message)
        if not adapters:
            return None
        return self._runner.run(
            tr("Nadir: checking unfinished placements"),
            lambda ctx: run_reconcile(self.outbox, adapters, ctx),
            on_done=self._reconciled,
            on_error=lambda error: LOGGER.warning("Checking unfinished placements failed: %r", error),
        )

    def _reconciled(self, entries: list[OutboxEntry]) -> None:
        for entry in entries:
            self._announce(entry)
        self.reconciled.emit(entries)
