"""The deliveries presenter (delivered imagery as layers): Load, Download and Stream for an order, and
"Load when delivered".

One delivery is one :class:`tasks.base.FunctionTask` running
:func:`core.deliveries.fetch.fetch_delivery` (progress and cancel in QGIS's task manager); the
adapter is made here on the GUI thread (credentials from the QGIS auth database) and
closed by the task. ``on_done`` runs on the GUI thread: only there are layers added
(:mod:`toolbelt.deliveries.layers`). One delivery per order at a time.

"Load when delivered" is state-based, not edge-based: whenever the orders list changes,
every order with the option on that is completed and not yet loaded by it is delivered,
so an order completed while QGIS was closed loads at the next start. A failing automatic
delivery is not retried by itself in the same session (no notice every poll); Load is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, Optional

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ...core.deliveries.fetch import delivery_work
from ...core.deliveries.files import DeliveryResult
from ...core.deliveries.plan import Mode, group_name
from ...core.errors import NadirError, NotSupported, OperationCancelled
from ...core.models import Lifecycle, Order
from ...core.orders.book import BookEntry, OrderKey, provider_title, short_id
from ...core.ports import SupportsDeliveries, close_adapter
from ...core.provider_info import PROVIDERS
from ...tasks.base import FunctionTask, TaskRunner
from ...toolbelt.deliveries.layers import LoadReport, find_order_group, load_result
from ...toolbelt.deliveries.prefs import AutoLoad, download_root
from ...toolbelt.deliveries.streaming import StreamAuth
from ...toolbelt.i18n import tr, trn
from ...toolbelt.notify import Notifier
from ...toolbelt.settings import Settings, SettingsStore

LOGGER = logging.getLogger(__name__)

AdapterFactory = Callable[[str, Settings], Any]
DELIVERABLE = (Lifecycle.COMPLETED, Lifecycle.LIVE)


def _named(order_id: str, title: str) -> str:
    """An order in a message: its title (the cart item's name) with the short id."""
    return f"{title} ({short_id(order_id)})" if title else short_id(order_id)


def no_stream_reason(provider: str) -> str:
    """Why ``provider``'s imagery cannot be streamed, or ""."""
    info = PROVIDERS.get(provider)
    if info is None or info.streams:
        return ""
    return tr(
        "{} makes each image on request, so QGIS cannot read it remotely: use Load to download the "
        "images and add them as layers."
    ).format(info.title)


def deliverable(order: Order) -> tuple[bool, str]:
    """(can be delivered now, why not)."""
    if order.status in DELIVERABLE:
        return True, ""
    return False, tr("Nothing is delivered while the order is {}.").format(order.raw_status or order.status.value)


class DeliveriesPresenter(QObject):
    #: an order's delivery started or ended (OrderKey)
    changed = pyqtSignal(object)
    #: (OrderKey, DeliveryResult or None when it failed or was cancelled)
    finished = pyqtSignal(object, object)

    def __init__(
        self,
        runner: TaskRunner,
        settings: SettingsStore,
        notifier: Notifier,
        adapter_factory: AdapterFactory,
        auto: AutoLoad,
        stream_auth: Optional[StreamAuth] = None,
        project: Callable[[], QgsProject] = QgsProject.instance,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._settings = settings
        self._notifier = notifier
        self._factory = adapter_factory
        self.auto = auto
        self._stream_auth = stream_auth
        self._project = project
        self._tasks: dict[OrderKey, FunctionTask] = {}
        self._auto_failed: set[OrderKey] = set()
        self.last_report: Optional[LoadReport] = None
        self._titles: dict[OrderKey, str] = {}  # the title of each order being delivered

    # ------------------------------------------------------------------ state
    def running(self, key: OrderKey) -> bool:
        return key in self._tasks

    def task(self, key: OrderKey) -> Optional[FunctionTask]:
        return self._tasks.get(key)

    def cancel(self, key: OrderKey) -> None:
        task = self._tasks.get(key)
        if task is not None:
            task.cancel()

    def stop(self) -> None:
        """Plugin unload: cancel every delivery, silence their callbacks."""
        for task in list(self._tasks.values()):
            task.silenced = True
            task.cancel()
        self._tasks.clear()

    # ------------------------------------------------------------------ delivering
    def deliver(
        self, order: Order, mode: Mode = Mode.DOWNLOAD, load: bool = True, automatic: bool = False, name: str = ""
    ) -> bool:
        """Start delivering ``order``; False (and a message) when it cannot start. ``name``:
        the cart item's name for an order Nadir placed (its layer group is named after it)."""
        key: OrderKey = (order.provider, order.id)
        title = provider_title(order.provider)
        if key in self._tasks:
            if not automatic:
                self._notifier.info(tr("{} order {} is being delivered already.").format(title, short_id(order.id)))
            return False
        try:
            adapter = self._factory(order.provider, self._settings.current)
        except NadirError as exc:
            self._failed_to_start(key, exc, automatic)
            return False
        if not isinstance(adapter, SupportsDeliveries):
            close_adapter(adapter)
            self._failed_to_start(
                key, NotSupported(tr("{} deliveries cannot be fetched by Nadir.").format(title)), automatic
            )
            return False
        root = download_root(self._settings.current)
        work = delivery_work(adapter, order.id, root, mode)
        description = tr("Nadir: delivering {} order {}").format(title, short_id(order.id))
        task = self._runner.run(
            description,
            work,
            lambda result: self._done(key, result, load, automatic, mode),
            lambda error: self._failed(key, error, automatic),
        )
        self._tasks[key] = task
        self._titles[key] = name
        self.changed.emit(key)
        return True

    def auto_deliver(self, entries: Iterable[BookEntry]) -> int:
        """Deliver (and load) every completed order whose "Load when delivered" is on."""
        started = 0
        for entry in entries:
            order = entry.order
            key: OrderKey = (order.provider, order.id)
            if order.status is not Lifecycle.COMPLETED or key in self._tasks or key in self._auto_failed:
                continue
            if self.auto.pending(key) and self.deliver(
                order, Mode.DOWNLOAD, load=True, automatic=True, name=entry.label
            ):
                started += 1
        return started

    def set_auto(self, key: OrderKey, on: bool) -> None:
        self.auto.set_enabled(key, on)
        self._auto_failed.discard(key)

    # ------------------------------------------------------------------ results
    def _failed_to_start(self, key: OrderKey, error: NadirError, automatic: bool) -> None:
        if automatic:
            self._auto_failed.add(key)
        self._notifier.exception(error, tr("Delivering {} order {}").format(provider_title(key[0]), short_id(key[1])))

    def _done(
        self, key: OrderKey, result: DeliveryResult, load: bool, automatic: bool, mode: Mode = Mode.DOWNLOAD
    ) -> None:
        self._tasks.pop(key, None)
        order_title = self._titles.pop(key, "")
        title = f"{provider_title(key[0])} order {_named(key[1], order_title)}"
        details = "\n".join(
            [*(r.path for r in result.rasters), *(f"{f.title or f.asset_id}: {f.message}" for f in result.failures)]
        )
        if result.empty:
            self._notifier.warning(tr("{}: the provider lists nothing to deliver yet.").format(title), details)
        elif load:
            report = load_result(
                result, self._project(), self._stream_auth.source_for if self._stream_auth else None, order_title
            )
            self.last_report = report
            text = tr("{}: {} added to the group '{}'").format(
                title, trn("%n layer(s)", len(report.added)), self._group_of(key, order_title)
            )
            if report.existing:
                text += tr(" ({} already loaded)").format(len(report.existing))
            if mode is Mode.STREAM and not result.streams and result.rasters:
                text += tr("; nothing could be streamed, the images were downloaded")
            problems = report.problems + [f"{f.title or f.asset_id}: {f.message}" for f in result.failures]
            if problems:
                self._notifier.warning(
                    text + tr("; {}, see Details.").format(trn("%n problem(s)", len(problems))),
                    "\n".join([*problems, details]),
                )
            else:
                self._notifier.success(text + ".", details)
        else:
            text = tr("{}: {} in {}").format(title, trn("%n file(s)", len(result.rasters)), result.folder)
            if result.failures:
                failed = trn("%n asset(s)", len(result.failures))
                self._notifier.warning(text + tr("; {} failed, see Details.").format(failed), details)
            else:
                self._notifier.success(text, details)
        if automatic and not result.empty:
            self.auto.mark_done(key)
        self.changed.emit(key)
        self.finished.emit(key, result)

    def _group_of(self, key: OrderKey, order_title: str) -> str:
        group = find_order_group(self._project(), *key)
        return group.name() if group is not None else group_name(*key, order_title)

    def _failed(self, key: OrderKey, error: BaseException, automatic: bool) -> None:
        self._tasks.pop(key, None)
        title = f"{provider_title(key[0])} order {_named(key[1], self._titles.pop(key, ''))}"
        if isinstance(error, OperationCancelled):
            self._notifier.info(tr("{}: delivery stopped. Partial files are kept and resumed next time.").format(title))
        else:
            if automatic:
                self._auto_failed.add(key)
            self._notifier.exception(error, tr("Delivering {}").format(title))
        self.changed.emit(key)
        self.finished.emit(key, None)
