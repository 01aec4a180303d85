"""The Tasking tab: a UP42 tasking product, its access, the AOI and the product's own form.

The view only: the feature fills the product list, puts a :class:`SchemaForm` in
``form_holder`` when a schema arrives, and reads the choices back.
"""

from __future__ import annotations

import html
from typing import Optional

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.models import AccessStatus, DataProduct
from ...core.tasking.geometry import Multipart
from ...core.tasking.products import CONSOLE_URL
from ...toolbelt.i18n import tr


def access_text(access: AccessStatus) -> str:
    return {
        AccessStatus.GRANTED: tr("granted"),
        AccessStatus.REQUESTED: tr("pending"),
        AccessStatus.DENIED: tr("rejected"),
        AccessStatus.NOT_REQUESTED: tr("not requested"),
        AccessStatus.UNKNOWN: tr("unknown"),
    }[access]


def access_advice(product: DataProduct) -> str:
    """What the user can do about a product's access ("" when granted), as rich text (the
    provider's product name escaped: it is text, not markup)."""
    collection = html.escape(product.collection_title or product.collection)
    if product.access is AccessStatus.GRANTED:
        return ""
    if product.access is AccessStatus.REQUESTED:
        return tr(
            "Your access request for {} is pending. UP42 decides within 7 days and tells you by e-mail; "
            "Refresh shows the new status."
        ).format(collection)
    # the link inside the sentence: the translation puts "UP42 console" in its own grammatical case
    if product.access is AccessStatus.DENIED:
        return tr(
            'UP42 rejected the access request for {product}. Ask UP42 support from the <a href="{url}">UP42 '
            "console</a> to request it again."
        ).format(product=collection, url=CONSOLE_URL)
    return tr(
        "{product} needs UP42's approval before it can be ordered. In the "
        '<a href="{url}">UP42 console</a>, open Tasking > New tasking order, select {product} and click '
        "Request Access; UP42 answers by e-mail within 7 days. Refresh here to see the status."
    ).format(product=collection, url=CONSOLE_URL)


def multipart_choices() -> list[tuple[Multipart, str]]:
    return [
        (Multipart.REFUSE, tr("Refuse (UP42 tasks one polygon)")),
        (Multipart.SPLIT, tr("One order per polygon")),
        (Multipart.LARGEST, tr("Only the largest polygon")),
        (Multipart.HULL, tr("One outline around all polygons")),
    ]


class TaskingSection(QWidget):
    product_chosen = pyqtSignal()
    refresh_requested = pyqtSignal()
    geometry_changed = pyqtSignal()
    check_requested = pyqtSignal()
    add_requested = pyqtSignal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirTaskingSection")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        row = QHBoxLayout()
        self.product_combo = QComboBox()
        self.product_combo.setObjectName("NadirTaskingProduct")
        self.product_combo.addItem(tr("Loading UP42's tasking products…"), None)
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.setObjectName("NadirTaskingRefresh")
        self.refresh_button.setToolTip(tr("Load the products and your access status again."))
        row.addWidget(self.product_combo, 1)
        row.addWidget(self.refresh_button)
        form.addRow(tr("Product"), row)
        self.access_label = QLabel()
        self.access_label.setObjectName("NadirTaskingAccess")
        self.access_label.setWordWrap(True)
        self.access_label.setTextFormat(Qt.TextFormat.RichText)
        self.access_label.setOpenExternalLinks(True)
        form.addRow("", self.access_label)
        self.aoi_combo = QComboBox()
        self.aoi_combo.setObjectName("NadirTaskingAoi")
        form.addRow(tr("Area of interest"), self.aoi_combo)
        self.multipart_combo = QComboBox()
        self.multipart_combo.setObjectName("NadirTaskingMultipart")
        for value, text in multipart_choices():
            self.multipart_combo.addItem(text, value)
        form.addRow(tr("Several polygons"), self.multipart_combo)
        self.simplify_box = QCheckBox(tr("Simplify to 999 vertices if needed"))
        self.simplify_box.setToolTip(
            tr(
                "UP42 takes at most 999 vertices per polygon; a more detailed outline is "
                "simplified and the change is shown."
            )
        )
        self.simplify_box.setObjectName("NadirTaskingSimplify")
        form.addRow("", self.simplify_box)
        self.geometry_label = QLabel()
        self.geometry_label.setObjectName("NadirTaskingGeometry")
        self.geometry_label.setWordWrap(True)
        form.addRow("", self.geometry_label)
        self.form_holder = QVBoxLayout()
        layout.addLayout(self.form_holder, 1)
        buttons = QHBoxLayout()
        self.check_button = QPushButton(tr("Check"))
        self.check_button.setObjectName("NadirTaskingCheck")
        self.add_button = QPushButton(tr("Add to cart"))
        self.add_button.setObjectName("NadirTaskingAdd")
        for button in (self.check_button, self.add_button):
            button.setEnabled(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setObjectName("NadirTaskingStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.product_combo.currentIndexChanged.connect(lambda _i: self.product_chosen.emit())
        self.refresh_button.clicked.connect(self.refresh_requested)
        for combo in (self.product_combo, self.aoi_combo, self.multipart_combo):
            # long product names must not widen the dock: the combo elides, its popup shows them whole
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.aoi_combo.currentIndexChanged.connect(lambda _i: self.geometry_changed.emit())
        self.multipart_combo.currentIndexChanged.connect(lambda _i: self.geometry_changed.emit())
        self.simplify_box.toggled.connect(lambda _on: self.geometry_changed.emit())
        self.check_button.clicked.connect(self.check_requested)
        self.add_button.clicked.connect(self.add_requested)

    def set_products(self, products: list[DataProduct]) -> None:
        current = self.product_id()
        self.product_combo.blockSignals(True)
        self.product_combo.clear()
        for product in products:
            text = f"{product.collection_title or product.collection}: {product.title or product.name}"
            self.product_combo.addItem(f"{text} ({access_text(product.access)})", product.id)
        if not products:
            self.product_combo.addItem(tr("UP42 offers no tasking product to this account"), None)
        index = self.product_combo.findData(current)
        self.product_combo.setCurrentIndex(max(index, 0))
        self.product_combo.blockSignals(False)
        self.product_chosen.emit()

    def product_id(self) -> Optional[str]:
        value = self.product_combo.currentData()
        return value if isinstance(value, str) else None

    def select_product(self, product_id: str) -> bool:
        index = self.product_combo.findData(product_id)
        if index < 0:
            return False
        self.product_combo.setCurrentIndex(index)
        return True

    def set_aoi_choices(self, aois: list[tuple[str, str]]) -> None:
        current = self.aoi_combo.currentData()
        self.aoi_combo.blockSignals(True)
        self.aoi_combo.clear()
        for aoi_id, name in aois:
            self.aoi_combo.addItem(name, aoi_id)
        if not aois:
            self.aoi_combo.addItem(tr("Draw or import an area of interest first"), None)
        index = self.aoi_combo.findData(current)
        self.aoi_combo.setCurrentIndex(max(index, 0))
        self.aoi_combo.blockSignals(False)
        self.geometry_changed.emit()

    def aoi_id(self) -> Optional[str]:
        value = self.aoi_combo.currentData()
        return value if isinstance(value, str) else None

    def multipart(self) -> Multipart:
        value = self.multipart_combo.currentData()
        return value if isinstance(value, Multipart) else Multipart.REFUSE
