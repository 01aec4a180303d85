"""Loads UP42's tasking products and schemas for the Tasking section, in tasks, and turns
a filled form into cart items (one per polygon UP42 will task)."""

from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from qgis.PyQt.QtCore import QObject, pyqtSignal

from ...core.errors import NadirError
from ...core.models import DataProduct
from ...core.tasking.products import product_schema, tasking_products
from ...tasks.base import TaskRunner
from ...toolbelt.i18n import tr
from ...toolbelt.settings import SettingsStore

LOGGER = logging.getLogger(__name__)
AdapterFactory = Callable[[str, Any], Any]


class TaskingPresenter(QObject):
    products_loaded = pyqtSignal(list)
    #: (data product id, schema)
    schema_loaded = pyqtSignal(str, dict)
    problem = pyqtSignal(str)

    def __init__(
        self, runner: TaskRunner, settings: SettingsStore, adapters: AdapterFactory, parent: Optional[QObject] = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.adapters = adapters
        self.products: list[DataProduct] = []
        self.schemas: dict[str, dict[str, Any]] = {}
        self._tasks: dict[str, Any] = {}

    def _adapter(self) -> Optional[Any]:
        try:
            return self.adapters("up42", self.settings.current)
        except NadirError as exc:
            self.problem.emit(tr("UP42 cannot be reached from Nadir: {}").format(exc.message))
            return None

    def _message(self, error: BaseException) -> str:
        return error.message if isinstance(error, NadirError) else tr("Something went wrong; see the log.")

    def load_products(self) -> Optional[Any]:
        """The tasking products and their access status (again on Refresh)."""
        if "products" in self._tasks:
            return self._tasks["products"]
        adapter = self._adapter()
        if adapter is None:
            return None

        def done(products: list[DataProduct]) -> None:
            self._tasks.pop("products", None)
            self.products = products
            self.products_loaded.emit(products)

        def failed(error: BaseException) -> None:
            self._tasks.pop("products", None)
            self.problem.emit(tr("UP42's tasking products could not be loaded: {}").format(self._message(error)))

        task = self.runner.run(tr("Nadir: UP42 tasking products"), lambda ctx: tasking_products(adapter), done, failed)
        self._tasks["products"] = task
        return task

    def load_schema(self, product: DataProduct) -> Optional[Any]:
        """The product's order form schema (cached for the session)."""
        if product.id in self.schemas:
            self.schema_loaded.emit(product.id, self.schemas[product.id])
            return None
        if product.id in self._tasks:  # already on its way: a second request would build the form twice
            return self._tasks[product.id]
        adapter = self._adapter()
        if adapter is None:
            return None

        def done(schema: dict[str, Any]) -> None:
            self._tasks.pop(product.id, None)
            self.schemas[product.id] = schema
            self.schema_loaded.emit(product.id, schema)

        def failed(error: BaseException) -> None:
            self._tasks.pop(product.id, None)
            self.problem.emit(
                tr("The order form of {} could not be loaded: {}").format(
                    product.title or product.name, self._message(error)
                )
            )

        task = self.runner.run(
            tr("Nadir: UP42 order form"), lambda ctx: product_schema(adapter, product.id), done, failed
        )
        self._tasks[product.id] = task
        return task

    def product(self, product_id: str) -> Optional[DataProduct]:
        return next((p for p in self.products if p.id == product_id), None)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def close(self) -> None:
        for task in list(self._tasks.values()):  # a queued task may end inside cancel()
            task.silenced = True
            task.cancel()
        self._tasks.clear()
