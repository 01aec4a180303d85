"""The product options of archive captures, one box per provider: combos filled from
:mod:`core.ordering.archive_options`, values a sensor does not take disabled with the
reason, and every problem of the current choice shown with its fix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Optional

from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtGui import QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from shapely.geometry import shape
from shapely.ops import unary_union

from ...core.models import ArchiveSpec, DataProduct
from ...core.ordering import archive_options as ao
from ...core.provider_info import PROVIDERS
from ...toolbelt.i18n import tr
from ..wheel import guard_wheel


def _title(provider: str) -> str:
    info = PROVIDERS.get(provider)
    return info.title if info is not None else provider


class ProviderOptions(QGroupBox):
    """The options of one provider's archive order."""

    changed = pyqtSignal()

    def __init__(self, spec: ArchiveSpec, area_km2: float, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"NadirArchive_{spec.provider}")
        count = len(spec.captures)
        self.setTitle(
            tr("{} · {} captures, {:.1f} km²").format(_title(spec.provider), count, area_km2)
            if count != 1
            else tr("{} · 1 capture, {:.1f} km²").format(_title(spec.provider), area_km2)
        )
        self.form = QFormLayout(self)
        self.combos: dict[str, QComboBox] = {}
        self.checks: dict[str, QCheckBox] = {}
        self.collections = [c.collection for c in spec.captures]
        options = dict(spec.options)
        if spec.provider == ao.ONEATLAS:
            area = unary_union([shape(c.geometry) for c in spec.captures])
            crs = list(ao.crs_choices(area))
            if str(options.get("crsCode", "")) not in crs:
                crs.append(str(options.get("crsCode")))
            mixed = ao.is_mixed(self.collections)
            self._combo(
                "productType",
                tr("Product type (SPOT, Pleiades)") if mixed else tr("Product type"),
                [(v, v) for v in ao.PRODUCT_TYPES],
                options,
            )
            if mixed:
                self._combo("productTypeNeo", tr("Product type (Pleiades Neo)"), [(v, v) for v in ao.NEO_ONLY], options)
            self._combo("imageFormat", tr("Image format"), [(v, v) for v in ao.IMAGE_FORMATS], options)
            self._combo(
                "crsCode",
                tr("Projection"),
                [
                    (
                        v,
                        tr("{} (WGS 84 geographic)").format(v)
                        if v == ao.WGS84
                        else tr("{} (UTM zone of the AOI)").format(v),
                    )
                    for v in crs
                ],
                options,
            )
            self._combo(
                "radiometricProcessing", tr("Radiometric processing"), [(v, v) for v in ao.RADIOMETRIC], options
            )
            others = [c for c in self.collections if not ao.is_neo(c)] if mixed else self.collections
            self._disable("productType", ao.allowed_product_types(others))
            self._disable("radiometricProcessing", ao.allowed_radiometric(self.collections))
        elif spec.provider == ao.GEOPERA:
            self._combo("license_type", tr("Licence type"), [(v, v) for v in ao.LICENSE_TYPES], options)
            check = QCheckBox(tr("Price and order each acquisition date as its own group"), self)
            check.setObjectName("NadirArchive_split_by_date")
            check.setChecked(bool(options.get("split_by_date", False)))
            check.toggled.connect(self.changed)
            self.form.addRow(tr("Split by date"), check)
            self.checks["split_by_date"] = check
        elif spec.provider == ao.UP42:
            self._combo("data_product", tr("Data product"), [("", tr("The collection's archive product"))], options)
        self.rules = QLabel(self)
        self.rules.setObjectName(f"NadirArchiveRules_{spec.provider}")
        self.rules.setWordWrap(True)
        self.form.addRow(self.rules)
        self._show_rules()

    def _combo(self, key: str, label: str, values: Sequence[tuple[str, str]], options: Mapping[str, Any]) -> None:
        combo = QComboBox(self)
        combo.setObjectName(f"NadirArchive_{key}")
        for value, text in values:
            combo.addItem(text, value)
        index = combo.findData(options.get(key, values[0][0] if values else ""))
        combo.setCurrentIndex(max(0, index))
        combo.currentIndexChanged.connect(self.changed)
        self.form.addRow(label, combo)
        self.combos[key] = combo

    def _disable(self, key: str, reasons: Mapping[str, str]) -> None:
        combo = self.combos[key]
        model = combo.model()
        if not isinstance(model, QStandardItemModel):
            return
        for row in range(combo.count()):
            reason = reasons.get(str(combo.itemData(row)), "")
            item = model.item(row)
            if item is not None and reason:
                item.setEnabled(False)
                item.setToolTip(reason)

    def _show_rules(self) -> None:
        reasons: list[str] = []
        if self.spec.provider == ao.ONEATLAS:
            mixed = ao.is_mixed(self.collections)
            others = [c for c in self.collections if not ao.is_neo(c)] if mixed else self.collections
            why = {**ao.allowed_product_types(others), **ao.allowed_radiometric(self.collections)}
            reasons = sorted({text for text in why.values() if text})
        self.rules.setText("<br/>".join(reasons))
        self.rules.setVisible(bool(reasons))

    def set_up42_products(self, products: Sequence[DataProduct]) -> None:
        combo = self.combos.get("data_product")
        if combo is None:
            return
        current = combo.currentData()
        for product in ao.up42_products(products, self.collections):
            if combo.findData(product.id) < 0:
                combo.addItem(product.title or product.name, product.id)
        combo.setCurrentIndex(max(0, combo.findData(current)))

    def set_note(self, text: str) -> None:
        self.rules.setText(text)
        self.rules.setVisible(bool(text))

    def options(self) -> dict[str, Any]:
        chosen: dict[str, Any] = dict(self.spec.options)
        for key, combo in self.combos.items():
            chosen[key] = combo.currentData()
        for key, check in self.checks.items():
            chosen[key] = check.isChecked()
        return chosen

    def current_spec(self) -> ArchiveSpec:
        return ao.with_options(self.spec, self.options())


class ArchiveOrderDialog(QDialog):
    """Archive captures' options before they go to the cart (or an archive item's, when edited)."""

    submitted = pyqtSignal()

    def __init__(self, plan: ao.ArchivePlan, parent: Optional[QWidget] = None, editing: bool = False) -> None:
        super().__init__(parent)
        guard_wheel(self)
        self.setObjectName("NadirArchiveOrderDialog")
        self.setWindowTitle(tr("Archive order options") if editing else tr("Add archive captures to the cart"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.boxes: dict[str, ProviderOptions] = {}
        for planned in plan.specs:
            box = ProviderOptions(planned.spec, planned.area_km2, self)
            box.changed.connect(self.check)
            layout.addWidget(box)
            self.boxes[planned.spec.provider] = box
        self.dropped = QLabel(self)
        self.dropped.setObjectName("NadirArchiveDropped")
        self.dropped.setWordWrap(True)
        self.dropped.setText("<br/>".join(f"• {d.reason}" for d in plan.dropped))
        self.dropped.setVisible(bool(plan.dropped))
        layout.addWidget(self.dropped)
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("NadirArchiveProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.problems_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(tr("Save") if editing else tr("Add to cart"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.check()

    def specs(self) -> list[ArchiveSpec]:
        return [box.current_spec() for box in self.boxes.values()]

    def problems(self) -> list[str]:
        return [problem for spec in self.specs() for problem in ao.validate(spec)]

    def check(self) -> list[str]:
        problems = self.problems()
        self.problems_label.setText("<br/>".join(f"• {p}" for p in problems))
        self.problems_label.setVisible(bool(problems))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(not problems and bool(self.boxes))
        return problems

    def _submit(self) -> None:
        if self.check():
            return
        self.submitted.emit()
        self.accept()
