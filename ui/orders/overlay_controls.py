"""Controls of the existing-orders overlay: show on the map, model, dates, status."""

from __future__ import annotations

from datetime import date
from typing import Optional

from qgis.PyQt.QtCore import QDate, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QLabel,
    QWidget,
)

from ...core.orders.filters import DateMode, OrderFilterSpec, StatusGroup
from ...toolbelt.i18n import number, tr, trn


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class OverlayControls(QGroupBox):
    """Emits ``visible_toggled(bool)`` and ``filter_changed(OrderFilterSpec)``."""

    visible_toggled = pyqtSignal(bool)
    filter_changed = pyqtSignal(object)

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(tr("Existing orders on the map"), parent)
        self.setObjectName("NadirOverlayControls")
        grid = QGridLayout(self)
        self.show_box = QCheckBox(tr("Show existing orders"))
        self.show_box.setObjectName("NadirOverlayShow")
        self.show_box.setToolTip(
            tr('Show your past and live orders on the map while planning a new one (layer "Nadir existing orders").')
        )
        grid.addWidget(self.show_box, 0, 0, 1, 4)

        self.model_combo = QComboBox()
        self.model_combo.setObjectName("NadirOverlayModel")
        self.model_combo.addItem(tr("All models"), "")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("NadirOverlayStatus")
        for text, group in (
            (tr("Live and completed"), StatusGroup.ALL),
            (tr("Live only"), StatusGroup.LIVE),
            (tr("Completed only"), StatusGroup.COMPLETED),
        ):
            self.status_combo.addItem(text, group.value)
        grid.addWidget(QLabel(tr("Model")), 1, 0)
        grid.addWidget(self.model_combo, 1, 1)
        grid.addWidget(QLabel(tr("Status")), 1, 2)
        grid.addWidget(self.status_combo, 1, 3)

        self.from_box = QCheckBox(tr("From"))
        self.from_box.setObjectName("NadirOverlayFromOn")
        self.from_edit = self._date_edit("NadirOverlayFrom", QDate.currentDate().addMonths(-12))
        self.to_box = QCheckBox(tr("To"))
        self.to_box.setObjectName("NadirOverlayToOn")
        self.to_edit = self._date_edit("NadirOverlayTo", QDate.currentDate())
        grid.addWidget(self.from_box, 2, 0)
        grid.addWidget(self.from_edit, 2, 1)
        grid.addWidget(self.to_box, 2, 2)
        grid.addWidget(self.to_edit, 2, 3)

        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("NadirOverlayDateMode")
        self.mode_combo.addItem(tr("Any overlap with the dates"), DateMode.OVERLAP.value)
        self.mode_combo.addItem(tr("Fully within the dates"), DateMode.WITHIN.value)
        self.mode_combo.setToolTip(
            tr(
                "Any overlap: orders covering at least one day of the range. Fully within: "
                "orders whose every day lies in the range (a recurring order has no end)."
            )
        )
        grid.addWidget(QLabel(tr("Dates")), 3, 0)
        grid.addWidget(self.mode_combo, 3, 1, 1, 3)
        self.count_label = QLabel()
        self.count_label.setObjectName("NadirOverlayCount")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        for combo in (self.model_combo, self.status_combo, self.mode_combo):  # elided: fits a narrow dock
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        grid.addWidget(self.count_label, 4, 0, 1, 4)
        grid.addWidget(self.error_label, 5, 0, 1, 4)

        self.show_box.toggled.connect(self.visible_toggled)
        for combo in (self.model_combo, self.status_combo, self.mode_combo):
            combo.currentIndexChanged.connect(self._changed)
        for box in (self.from_box, self.to_box):
            box.toggled.connect(self._changed)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self._changed)
        self._sync_enabled()

    @staticmethod
    def _date_edit(name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    # ------------------------------------------------------------------ setters
    def set_models(self, models: list[str]) -> None:
        current = self.model_combo.currentData()
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        self.model_combo.addItem(tr("All models"), "")
        for model in models:
            self.model_combo.addItem(model, model)
        index = self.model_combo.findData(current)
        self.model_combo.setCurrentIndex(max(0, index))
        self.model_combo.blockSignals(False)
        if index < 0 and current:
            self._changed()

    def set_visible_checked(self, visible: bool) -> None:
        if self.show_box.isChecked() != visible:
            self.show_box.blockSignals(True)
            self.show_box.setChecked(visible)
            self.show_box.blockSignals(False)

    def set_count(self, shown: int, total: int) -> None:
        orders = trn("%n order(s)", total)
        self.count_label.setText(tr("Showing {} of {} with these filters").format(number(shown), orders))

    # ------------------------------------------------------------------ the filter
    def spec(self) -> OrderFilterSpec:
        """The filter as set; raises ValueError for a reversed date range."""
        model = self.model_combo.currentData() or ""
        return OrderFilterSpec(
            models=frozenset({model}) if model else frozenset(),
            status=StatusGroup(self.status_combo.currentData()),
            date_from=_to_date(self.from_edit.date()) if self.from_box.isChecked() else None,
            date_to=_to_date(self.to_edit.date()) if self.to_box.isChecked() else None,
            date_mode=DateMode(self.mode_combo.currentData()),
        )

    def set_spec(self, spec: OrderFilterSpec) -> None:
        """Set every control from ``spec`` and emit one ``filter_changed``."""
        widgets = (
            self.model_combo,
            self.status_combo,
            self.mode_combo,
            self.from_box,
            self.to_box,
            self.from_edit,
            self.to_edit,
        )
        for widget in widgets:
            widget.blockSignals(True)
        model = next(iter(spec.models), "")
        if model and self.model_combo.findData(model) < 0:  # before the orders (and their models) are read
            self.model_combo.addItem(model, model)
        self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(model)))
        self.status_combo.setCurrentIndex(self.status_combo.findData(spec.status.value))
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(spec.date_mode.value))
        self.from_box.setChecked(spec.date_from is not None)
        self.to_box.setChecked(spec.date_to is not None)
        if spec.date_from is not None:
            self.from_edit.setDate(QDate(spec.date_from.year, spec.date_from.month, spec.date_from.day))
        if spec.date_to is not None:
            self.to_edit.setDate(QDate(spec.date_to.year, spec.date_to.month, spec.date_to.day))
        for widget in widgets:
            widget.blockSignals(False)
        self._changed()

    def _sync_enabled(self) -> None:
        self.from_edit.setEnabled(self.from_box.isChecked())
        self.to_edit.setEnabled(self.to_box.isChecked())
        self.mode_combo.setEnabled(self.from_box.isChecked() or self.to_box.isChecked())

    def _changed(self, *_args: object) -> None:
        self._sync_enabled()
        try:
            spec = self.spec()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        self.error_label.clear()
        self.filter_changed.emit(spec)
