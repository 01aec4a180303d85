"""The configure dialog (a ClearSKY order's model, constellations, dates and advanced
settings): a view. The static form is ``configure_dialog.ui`` next to this file; the
constellation boxes are made in code from the provider's models.

It knows nothing about providers or the cart: :class:`ConfigurePresenter` fills it
(``set_models``, ``set_draft``, ``show_check``) and listens to ``changed``,
``model_chosen``, ``retry_models`` and ``submitted``. Widgets have object names so
scripts can drive it; :meth:`draft` reads every value back as a :class:`core.ordering.clearsky_configure.Draft`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Optional

from qgis.PyQt import uic
from qgis.PyQt.QtCore import QDate, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.models import ImageryModel, OrderKind
from ...core.ordering.clearsky_configure import Check, Draft, month_start
from ...toolbelt.i18n import tr
from ..wheel import guard_wheel

UI_FILE = Path(__file__).with_name("configure_dialog.ui")
ERROR_STYLE = "color: #b00020;"
#: which widget shows a problem with which Draft field
FIELD_WIDGETS = {
    "model": "modelCombo",
    "constellations": "constellationsWidget",
    "start": "fromEdit",
    "end": "toEdit",
    "frequency_days": "frequencySpin",
    "reference_date": "referenceEdit",
    "storage_months": "storageSpin",
    "api_requests": "apiSpin",
    "tile_dedup": "dedupCheck",
    "target": "targetLabel",
}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ConfigureDialog(QDialog):
    changed = pyqtSignal()
    model_chosen = pyqtSignal(str)
    retry_models = pyqtSignal()
    submitted = pyqtSignal()

    # from the .ui file
    targetLabel: QLabel  # noqa: N815
    statusLabel: QLabel  # noqa: N815
    retryModelsButton: QPushButton  # noqa: N815
    titleEdit: QLineEdit  # noqa: N815
    modelCombo: QComboBox  # noqa: N815
    constellationsWidget: QWidget  # noqa: N815
    constellationsLayout: QVBoxLayout  # noqa: N815
    fromEdit: QDateEdit  # noqa: N815
    toCheck: QCheckBox  # noqa: N815
    toEdit: QDateEdit  # noqa: N815
    recurringLabel: QLabel  # noqa: N815
    frequencySpin: QSpinBox  # noqa: N815
    referenceCheck: QCheckBox  # noqa: N815
    referenceEdit: QDateEdit  # noqa: N815
    advancedToggle: QCheckBox  # noqa: N815
    advancedPanel: QWidget  # noqa: N815
    storageSpin: QSpinBox  # noqa: N815
    storageNote: QLabel  # noqa: N815
    apiSpin: QSpinBox  # noqa: N815
    dedupCheck: QCheckBox  # noqa: N815
    dedupNote: QLabel  # noqa: N815
    problemsLabel: QLabel  # noqa: N815
    noticesLabel: QLabel  # noqa: N815
    buttonBox: QDialogButtonBox  # noqa: N815

    def __init__(self, kind: OrderKind, parent: Optional[QWidget] = None, editing: bool = False) -> None:
        super().__init__(parent)
        guard_wheel(self)  # combos and spin boxes: wheel only when focused
        uic.loadUi(str(UI_FILE), self)
        self.setObjectName("NadirConfigureDialog")
        self.kind = kind
        self._boxes: dict[str, QCheckBox] = {}
        self._filling = False
        self.setWindowTitle(tr("Configure ClearSKY order") if not editing else tr("Edit ClearSKY order"))
        ok = self.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Save changes") if editing else tr("Add to cart"))
        ok.setObjectName("NadirConfigureSubmit")
        self.problemsLabel.setStyleSheet(ERROR_STYLE)
        self.problemsLabel.setObjectName("NadirConfigureProblems")
        self.noticesLabel.setObjectName("NadirConfigureNotices")
        self._reserve_message_space()
        for edit in (self.toEdit, self.referenceEdit, self.fromEdit):
            edit.setMinimumDate(QDate(2000, 1, 1))
        tile = kind is OrderKind.TILE
        self.dedupCheck.setEnabled(tile)
        self.dedupNote.setText(
            tr(
                "ClearSKY looks for earlier tile orders with the same model, satellites and dates; data already "
                "produced (even if deleted) is neither made nor billed again."
            )
            if tile
            else tr("Tile deduplication applies to tile and minitile orders only.")
        )
        self.advancedPanel.setVisible(False)

        self.advancedToggle.toggled.connect(self._advanced_toggled)
        self.toCheck.toggled.connect(self._to_toggled)
        self.referenceCheck.toggled.connect(self.referenceEdit.setEnabled)
        self.modelCombo.currentIndexChanged.connect(self._model_changed)
        self.retryModelsButton.clicked.connect(self.retry_models)
        self.buttonBox.accepted.connect(self.submitted)
        self.buttonBox.rejected.connect(self.reject)
        for signal in (
            self.fromEdit.dateChanged,
            self.toEdit.dateChanged,
            self.referenceEdit.dateChanged,
            self.frequencySpin.valueChanged,
            self.storageSpin.valueChanged,
            self.apiSpin.valueChanged,
            self.toCheck.toggled,
            self.referenceCheck.toggled,
            self.dedupCheck.toggled,
        ):
            signal.connect(self._emit_changed)
        for spin, one, many in (
            (self.frequencySpin, tr(" day"), tr(" days")),
            (self.storageSpin, tr(" month"), tr(" months")),
        ):
            spin.valueChanged.connect(lambda value, s=spin, a=one, b=many: s.setSuffix(a if value == 1 else b))
            spin.setSuffix(one if spin.value() == 1 else many)  # "1 day", "5 days", not "5 day(s)"
        self._to_toggled(self.toCheck.isChecked())
        self.referenceEdit.setEnabled(False)
        self.set_models_loading()

    def _reserve_message_space(self) -> None:
        """Messages come and go without moving the fields: the models line keeps its
        place when empty, problems and notices have lines reserved below a stretch
        (spare height gathers above them, a longer message grows the dialog downwards)."""
        for widget in (self.statusLabel, self.retryModelsButton):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
        line = self.problemsLabel.fontMetrics().lineSpacing()
        for label, lines in ((self.problemsLabel, 3), (self.noticesLabel, 2)):
            label.setMinimumHeight(lines * line)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = self.layout()
        status_row = next(
            layout.itemAt(i)
            for i in range(layout.count())
            if layout.itemAt(i).layout() is not None and layout.itemAt(i).layout().indexOf(self.statusLabel) >= 0
        )
        layout.removeItem(status_row)  # with the other messages, below the fields
        layout.insertStretch(layout.indexOf(self.problemsLabel), 1)
        layout.insertItem(layout.indexOf(self.problemsLabel), status_row)

    def field_label(self, widget: QWidget) -> Optional[QLabel]:
        """The form label of ``widget`` (or of the row widget holding it)."""
        for form in self.findChildren(QFormLayout):
            probe: Optional[QWidget] = widget
            while probe is not None and probe is not self:
                label = form.labelForField(probe)
                if isinstance(label, QLabel):
                    return label
                probe = probe.parentWidget()
        return None

    # ------------------------------------------------------------------ models
    def set_models_loading(self) -> None:
        self.statusLabel.setText(tr("Loading the AI models from ClearSKY…"))
        self.statusLabel.setStyleSheet("")
        self.retryModelsButton.setVisible(False)
        self.modelCombo.setEnabled(False)

    def set_models_error(self, message: str) -> None:
        self.statusLabel.setText(tr("The AI models could not be loaded: {}").format(message))
        self.statusLabel.setStyleSheet(ERROR_STYLE)
        self.retryModelsButton.setVisible(True)
        self.modelCombo.setEnabled(False)

    def set_models(self, models: Sequence[ImageryModel]) -> None:
        self.statusLabel.setText("")
        self.statusLabel.setVisible(False)
        self.retryModelsButton.setVisible(False)
        current = self.modelCombo.currentData()
        self._filling = True
        try:
            self.modelCombo.clear()
            for model in models:
                self.modelCombo.addItem(model.name, model)
            self.modelCombo.setEnabled(True)
        finally:
            self._filling = False
        index = self.modelCombo.findText(current.name) if isinstance(current, ImageryModel) else -1
        self.modelCombo.setCurrentIndex(max(index, 0))
        self._model_changed()

    def model(self) -> Optional[ImageryModel]:
        data = self.modelCombo.currentData()
        return data if isinstance(data, ImageryModel) else None

    def _model_changed(self, *_: object) -> None:
        if self._filling:
            return
        model = self.model()
        self.set_constellations(model, self.constellations())
        self.model_chosen.emit(model.name if model else "")
        self._emit_changed()

    def set_constellations(self, model: Optional[ImageryModel], chosen: Sequence[str]) -> None:
        """Required ones ticked and fixed, optional ones as ``chosen``."""
        for box in self._boxes.values():
            self.constellationsLayout.removeWidget(box)
            box.deleteLater()
        self._boxes = {}
        if model is None:
            return
        for option in model.constellations:
            text = option.name if option.optional else tr("{} (required)").format(option.name)
            box = QCheckBox(text, self.constellationsWidget)
            box.setObjectName(f"NadirConstellation_{option.name}")
            box.setChecked(not option.optional or option.name in chosen)
            box.setEnabled(option.optional)
            box.setToolTip(
                tr("Optional input; adds to the price per km².")
                if option.optional
                else tr("{} always uses this input.").format(model.name)
            )
            box.toggled.connect(self._emit_changed)
            self.constellationsLayout.addWidget(box)
            self._boxes[option.name] = box
        self._fit()

    def _advanced_toggled(self, shown: bool) -> None:
        self.advancedPanel.setVisible(shown)
        self._fit()

    def _fit(self) -> None:
        """Grow (never shrink) to the content: rows added after the dialog was shown."""
        self.constellationsLayout.activate()
        self.layout().activate()
        hint = self.sizeHint()
        self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    def constellations(self) -> tuple[str, ...]:
        return tuple(name for name, box in self._boxes.items() if box.isChecked())

    def set_constellation(self, name: str, checked: bool) -> None:
        box = self._boxes.get(name)
        if box is not None and box.isEnabled():
            box.setChecked(checked)

    # ------------------------------------------------------------------ values
    def set_target_text(self, text: str) -> None:
        self.targetLabel.setText(text)

    def set_draft(self, draft: Draft, title: str = "") -> None:
        self._filling = True
        try:
            self.titleEdit.setText(title)
            index = self.modelCombo.findText(draft.model)
            if index >= 0:
                self.modelCombo.setCurrentIndex(index)
            self.fromEdit.setDate(_qdate(draft.start or month_start(date.today())))
            self.toCheck.setChecked(draft.end is not None)
            self.toEdit.setDate(_qdate(draft.end or draft.start or date.today()))
            self.frequencySpin.setValue(draft.frequency_days)
            self.referenceCheck.setChecked(draft.reference_date is not None)
            self.referenceEdit.setDate(_qdate(draft.reference_date or draft.start or date.today()))
            self.storageSpin.setValue(draft.storage_months)
            self.apiSpin.setValue(draft.api_requests)
            self.dedupCheck.setChecked(draft.tile_dedup and self.kind is OrderKind.TILE)
        finally:
            self._filling = False
        self.set_constellations(self.model(), draft.constellations)
        if draft.storage_months > 1 or draft.api_requests > 1:
            self.advancedToggle.setChecked(True)
        self._to_toggled(self.toCheck.isChecked())
        self._emit_changed()

    def draft(self) -> Draft:
        model = self.model()
        return Draft(
            model=model.name if model else "",
            constellations=self.constellations(),
            start=month_start(_date(self.fromEdit.date())),
            end=_date(self.toEdit.date()) if self.toCheck.isChecked() else None,
            frequency_days=self.frequencySpin.value(),
            reference_date=_date(self.referenceEdit.date()) if self.referenceCheck.isChecked() else None,
            storage_months=self.storageSpin.value(),
            api_requests=self.apiSpin.value(),
            tile_dedup=self.dedupCheck.isChecked() and self.kind is OrderKind.TILE,
        )

    def title(self) -> str:
        return self.titleEdit.text().strip()

    def _to_toggled(self, ends: bool) -> None:
        self.toEdit.setEnabled(ends)
        if ends:
            self.recurringLabel.setText(tr("Fixed period: the last image date is the To date."))
        else:
            self.recurringLabel.setText(
                tr(
                    "<b>Recurring live order</b>: no To date, so it renews every month "
                    "until you cancel it. Each month is billed as it starts."
                )
            )

    def _emit_changed(self, *_: object) -> None:
        if not self._filling:
            self.changed.emit()

    # ------------------------------------------------------------------ validation
    def show_check(self, check: Check) -> None:
        """Problems inline: a list above the buttons, the labels of the fields concerned
        in red with the problem in the field's tooltip. (A border on the field itself
        changed its size: the form jumped by 4 px whenever a problem came or went.)"""
        for name in FIELD_WIDGETS.values():
            widget = getattr(self, name, None)
            if isinstance(widget, QWidget) and name != "targetLabel":
                label = self.field_label(widget)
                if label is not None:
                    label.setStyleSheet("")
                widget.setToolTip(widget.toolTip().split("\n\n⚠")[0])
        for problem in check.errors:
            widget = getattr(self, FIELD_WIDGETS.get(problem.field, ""), None)
            if isinstance(widget, QWidget) and widget is not self.targetLabel:
                label = self.field_label(widget)
                if label is not None:
                    label.setStyleSheet(ERROR_STYLE)  # colour only: bold would widen the column
                widget.setToolTip(f"{widget.toolTip()}\n\n⚠ {problem.message}")
        self.problemsLabel.setText("<br/>".join(f"• {p.message}" for p in check.errors))
        self.noticesLabel.setText("<br/>".join(f"ⓘ {p.message}" for p in check.notices))
        self.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setEnabled(check.ok)

    def problems_text(self) -> str:
        return self.problemsLabel.text()

    def submit_enabled(self) -> bool:
        return self.buttonBox.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
