"""Presenter of the configure dialog: one method per user action.

``open_for_chosen_aois()`` / ``open_for_selected_cells()`` (what the AOI and tile
grid sections' "Configure order…" buttons call through the ``CONFIGURE`` service),
``open_for(target)`` and ``open_edit(item_id)`` show the dialog; the provider's AI models are fetched in a task
(cached for :data:`MODELS_MAX_AGE`); every change is checked with
:func:`core.ordering.clearsky_configure.check` and the problems shown inline before anything is sent;
``submit()`` puts the order in the cart (or saves the edit), which starts its estimate.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any, Callable, Optional, cast

from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtWidgets import QWidget

from ...core.errors import NadirError
from ...core.models import ClearSkySpec, ImageryModel, OrderKind
from ...core.ordering.clearsky_configure import (
    Check,
    Draft,
    OrderTarget,
    build_spec,
    check,
    find_model,
    max_composite_area,
    month_start,
    with_required,
)
from ...core.ports import Provider, SupportsImageryModels, close_adapter
from ...tasks.base import TaskContext, TaskRunner
from ...toolbelt.core_text import user_message
from ...toolbelt.i18n import area, tr, trn
from ..services import Services
from . import selection
from .presenter import AdapterSource, CartPresenter

LOGGER = logging.getLogger(__name__)
PROVIDER = "clearsky"
MODELS_MAX_AGE = 600.0  # seconds
DEFAULT_FREQUENCY = 7


def target_text(target: OrderTarget) -> str:
    """What the order covers, translated (the cart item's summary)."""
    if target.kind is OrderKind.COMPOSITE:
        count = max(len(target.aoi_names), len(target.aoi_areas_km2), 1 if target.aoi else 0)
        text = trn("%n AOI(s)", count)
        if target.area_km2 is not None:
            text += ", " + area(target.area_km2)
        return text
    parts = []
    if target.tile_guids:
        parts.append(trn("%n tile(s)", len(target.tile_guids)))
    if target.minitile_guids:
        parts.append(trn("%n minitile(s)", len(target.minitile_guids)))
    return tr(" and ").join(parts) or tr("no cells")


def run_models(adapter: Any, ctx: TaskContext) -> tuple[list[ImageryModel], Optional[float]]:
    """The provider's AI models and the account's largest composite (``MaxCompositeAreaKm2``,
    None when the account details cannot be read: the models are still worth having)."""
    try:
        ctx.check()
        if not isinstance(adapter, SupportsImageryModels):
            raise NadirError("This provider offers no AI models.")
        models = adapter.imagery_models()
        ctx.check()
        try:
            limit = max_composite_area(cast(Provider, adapter).account().extra)
        except NadirError as exc:
            LOGGER.info("The ClearSKY account's limits could not be read: %s", exc)
            limit = None
        return models, limit
    finally:
        close_adapter(adapter)


class ConfigurePresenter(QObject):
    opened = pyqtSignal(object)  # the dialog, for scripts
    submitted = pyqtSignal(object)  # the cart item added or edited
    limits_changed = pyqtSignal()  # the account's MaxCompositeAreaKm2 became known

    def __init__(
        self,
        cart: CartPresenter,
        runner: TaskRunner,
        adapters: AdapterSource,
        parent_widget: Optional[QWidget] = None,
        today: Callable[[], date] = date.today,
        services: Optional[Services] = None,
        tell: Optional[Callable[[str], Any]] = None,
        confirm: Optional[Callable[[str], Any]] = None,
    ) -> None:
        super().__init__()
        self._services = services if services is not None else Services()
        self._tell = tell or (lambda message: LOGGER.warning("%s", message))
        self._confirm = confirm or (lambda message: LOGGER.info("%s", message))
        self._cart = cart
        self._runner = runner
        self._adapters = adapters
        self._parent = parent_widget
        self._today = today
        self._models: list[ImageryModel] = []
        self._models_at = 0.0
        self._max_area: Optional[float] = None
        self._loading: Optional[Any] = None
        self.dialog: Any = None
        self.target: Optional[OrderTarget] = None
        self.editing: Optional[str] = None
        self._wanted: Optional[Draft] = None  # the draft to show once the models arrive

    @property
    def models(self) -> list[ImageryModel]:
        return list(self._models)

    @property
    def max_area_km2(self) -> Optional[float]:
        """The account's largest composite (``MaxCompositeAreaKm2``), once fetched."""
        return self._max_area

    # ------------------------------------------------------------------ user actions
    def open_for_chosen_aois(self) -> Optional[Any]:
        """A composite order for the AOIs chosen in the AOI section (``AOIS``)."""
        return self._open_found(selection.chosen_aois(self._services))

    def open_for_selected_cells(self) -> Optional[Any]:
        """A tile order for the cells selected on the grid (``GRID``)."""
        return self._open_found(selection.selected_cells(self._services))

    def _open_found(self, found: tuple[Optional[OrderTarget], str]) -> Optional[Any]:
        target, problem = found
        if target is None:
            self._tell(problem)
            return None
        return self.open_for(target)

    def open_for(self, target: OrderTarget, title: str = "") -> Any:
        """A new order for ``target`` (chosen AOIs or selected grid cells)."""
        draft = Draft(
            start=month_start(self._today()), frequency_days=DEFAULT_FREQUENCY, tile_dedup=target.kind is OrderKind.TILE
        )
        return self._open(target, draft, title or target_text(target), editing=None)

    def open_edit(self, item_id: str) -> Any:
        item = self._cart.item(item_id)
        if item is None or not isinstance(item.spec, ClearSkySpec):
            raise NadirError(tr("Only ClearSKY orders are configured in this dialog."))
        areas = (item.area_km2,) if item.area_km2 is not None else ()
        target = OrderTarget.of(item.spec, areas_km2=areas)
        return self._open(target, Draft.of(item.spec), item.title, editing=item_id)

    def _open(self, target: OrderTarget, draft: Draft, title: str, editing: Optional[str]) -> Any:
        from .configure_dialog import ConfigureDialog  # deferred: uic and the dialog load on first use

        self.close()
        self.target, self.editing = target, editing
        dialog = ConfigureDialog(target.kind, self._parent, editing=editing is not None)
        kind = tr("Composite order") if target.kind is OrderKind.COMPOSITE else tr("Tile order")
        dialog.set_target_text(f"<b>{kind}</b> · ClearSKY Vision · {target_text(target)}")
        dialog.changed.connect(self.validate)
        dialog.retry_models.connect(lambda: self.load_models(force=True))
        dialog.submitted.connect(self.submit)
        dialog.finished.connect(lambda _result, d=dialog: self._closed(d))
        self.dialog = dialog
        if self._models:
            dialog.set_models(self._models)
            model = find_model(self._models, draft.model) or self._models[0]
            draft = with_required(draft.replace(model=model.name), model)
        else:
            self._wanted = draft
        dialog.set_draft(draft, title)
        self.load_models()
        self.validate()
        dialog.show()
        self.opened.emit(dialog)
        return dialog

    def load_models(self, force: bool = False) -> Optional[Any]:
        """Fetch the AI models and the account's limits in a task (cached for a while)."""
        fresh = self._models and time.monotonic() - self._models_at < MODELS_MAX_AGE
        if (fresh and not force) or self._loading is not None:
            return self._loading
        if self.dialog is not None:
            self.dialog.set_models_loading()
        try:
            adapter = self._adapters(PROVIDER)
        except NadirError as exc:
            self._models_failed(exc)
            return None
        self._loading = self._runner.run(
            tr("Nadir: ClearSKY AI models"),
            lambda ctx: run_models(adapter, ctx),
            on_done=self._models_loaded,
            on_error=self._models_failed,
        )
        return self._loading

    def _models_loaded(self, result: tuple[list[ImageryModel], Optional[float]]) -> None:
        self._loading = None
        models, limit = result
        self._models, self._models_at = list(models), time.monotonic()
        if limit is not None and limit != self._max_area:
            self._max_area = limit
            self.limits_changed.emit()
        if self.dialog is not None:
            draft = self._wanted or self.dialog.draft()
            self._wanted = None
            self.dialog.set_models(self._models)
            model = find_model(self._models, draft.model) or (self._models[0] if self._models else None)
            if model is not None:
                wanted = with_required(draft.replace(model=model.name), model)
                self.dialog.set_draft(wanted, self.dialog.title())
        self.validate()

    def _models_failed(self, error: BaseException) -> None:
        self._loading = None
        if not isinstance(error, NadirError):
            LOGGER.error("Loading ClearSKY models failed", exc_info=error)
        message = user_message(error, logged=True)
        if self.dialog is not None:
            self.dialog.set_models_error(message)
        self.validate()

    def check(self) -> Optional[Check]:
        if self.dialog is None or self.target is None:
            return None
        return check(self.dialog.draft(), self.target, self._models, self._max_area)

    def validate(self) -> Optional[Check]:
        result = self.check()
        if result is not None and self.dialog is not None:
            self.dialog.show_check(result)
        return result

    def submit(self) -> Optional[Any]:
        """ "Add to cart" / "Save changes": nothing is added unless every rule holds."""
        if self.dialog is None or self.target is None:
            return None
        result = self.validate()
        if result is None or not result.ok:
            return None
        spec = build_spec(self.dialog.draft(), self.target, self._models, self._max_area)
        title = self.dialog.title()
        area = self.target.area_km2
        if self.editing is not None:
            item = self._cart.edit(self.editing, spec, title=title, summary=target_text(self.target), area_km2=area)
            self._confirm(tr("“{}” saved; its price is being updated in the Cart tab.").format(item.title))
        else:
            item = self._cart.add(spec, title=title, summary=target_text(self.target), area_km2=area)
            self._confirm(
                tr("“{}” added to the cart ({} item(s)); the Cart tab shows its price.").format(
                    item.title, len(self._cart.items)
                )
            )
        self.submitted.emit(item)
        self.dialog.accept()
        return item

    def _closed(self, dialog: Any) -> None:
        if dialog is self.dialog:
            self.dialog = None
            self.target = None
            self.editing = None
            self._wanted = None
        dialog.deleteLater()

    def close(self) -> None:
        if self.dialog is not None:
            dialog = self.dialog
            self.dialog = None
            dialog.reject()
