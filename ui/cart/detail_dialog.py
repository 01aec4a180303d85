"""Everything about one cart item: settings, schedule, every image date, the provider's
estimate (lines, area, next month for recurring orders, parts it could not price)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.ordering.cart import CartItem
from ...toolbelt.i18n import tr
from ..wheel import guard_wheel
from . import text


class CartItemDialog(QDialog):
    refresh_requested = pyqtSignal(str)
    edit_requested = pyqtSignal(str)

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        guard_wheel(self)  # combos and spin boxes: wheel only when focused
        self.setObjectName("NadirCartItemDialog")
        self.setWindowTitle(tr("Cart item"))
        self.setMinimumWidth(520)
        self.item_id = ""
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("title", tr("Item")),
            ("provider", tr("Provider")),
            ("kind", tr("Order type")),
            ("covers", tr("Covers")),
            ("model", tr("Model and satellites")),
            ("schedule", tr("Schedule")),
            ("storage", tr("Storage")),
            ("api", tr("API requests")),
            ("dedup", tr("Tile deduplication")),
            ("estimate", tr("Estimate")),
            ("state", tr("Price state")),
            ("area", tr("Billed area")),
            ("next", tr("Following month")),
            ("lines", tr("Estimate lines")),
            ("errors", tr("Not priced")),
            ("when", tr("Priced at")),
        ):
            value = QLabel(self)
            value.setObjectName(f"NadirCartItem_{key}")
            value.setWordWrap(True)
            self.form.addRow(label, value)
            self.fields[key] = value
        self.dates = QPlainTextEdit(self)
        self.dates.setObjectName("NadirCartItemDates")
        self.dates.setReadOnly(True)
        self.dates.setMaximumHeight(120)
        self.form.addRow(tr("Image dates"), self.dates)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.refresh_button = QPushButton(tr("Refresh price"), self)
        self.refresh_button.setObjectName("NadirCartItemRefresh")
        self.edit_button = QPushButton(tr("Edit…"), self)
        self.edit_button.setObjectName("NadirCartItemEdit")
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(lambda: self.refresh_requested.emit(self.item_id))
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.item_id))
        layout.addWidget(buttons)

    def show_item(self, item: CartItem, now: datetime, editable: bool) -> None:
        self.item_id = item.id
        estimate = item.estimate if item.estimate_for == item.fingerprint else None
        values = {
            "title": text.title_of(item),
            "provider": text.provider_title(item.provider),
            "kind": text.kind_text(item.spec),
            "covers": item.summary or text.DASH,
            "model": text.model_text(item.spec),
            "schedule": text.schedule_text(item.spec),
            "storage": text.storage_text(item.spec),
            "api": text.api_text(item.spec),
            "dedup": text.dedup_text(item.spec),
            "estimate": text.estimate_text(item, now),
            "state": text.state_text(item.state(now)),
            "area": tr("{:,.2f} km²").format(estimate.billable_area_km2 or estimate.area_km2)
            if estimate and (estimate.billable_area_km2 or estimate.area_km2)
            else text.DASH,
            "next": text.money(estimate.next_month) if estimate and estimate.next_month else text.DASH,
            "lines": "<br/>".join(f"{line.label}: {text.money(line.price)}" for line in estimate.lines)
            if estimate and estimate.lines
            else text.DASH,
            "errors": "<br/>".join(f"{e.item}: {e.message}" for e in estimate.errors)
            if estimate and estimate.errors
            else text.DASH,
            "when": item.estimated_at.astimezone().strftime("%Y-%m-%d %H:%M") if item.estimated_at else text.DASH,
        }
        for key, value in values.items():
            self.fields[key].setText(value)
        self.dates.setPlainText(text.dates_text(item, full=True))
        self.edit_button.setEnabled(editable)
        self.setWindowTitle(tr("Cart item: {}").format(text.title_of(item)))
