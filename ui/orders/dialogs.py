"""The cancellation dialogs: say what the provider will do before anything is sent."""

from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtWidgets import QMessageBox, QWidget

from ...core.models import CancelPreview, Order
from ...core.orders.book import order_name, provider_title, status_text
from ...toolbelt.i18n import tr


class MessageBoxCancelDialogs:
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        self._parent = parent

    def confirm_cancel(self, order: Order, preview: CancelPreview) -> bool:
        box = QMessageBox(self._parent)
        box.setObjectName("NadirCancelConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Cancel order"))
        box.setText(tr("Cancel {} order {}?").format(provider_title(order.provider), order_name(order)))
        lines = [tr("Status now: {}").format(status_text(order))]
        if order.price is not None:
            lines.append(tr("Price: {}").format(order.price))
        lines += ["", preview.effect]
        if preview.refund is not None:
            lines.append(tr("Refund: {}").format(preview.refund))
        box.setInformativeText("\n".join(lines))
        box.setDetailedText(order.id)
        yes = box.addButton(tr("Cancel the order"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        yes.setObjectName("NadirCancelYes")
        keep.setObjectName("NadirCancelKeep")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is yes

    def cannot_cancel(self, order: Order, preview: CancelPreview) -> None:
        box = QMessageBox(self._parent)
        box.setObjectName("NadirCannotCancel")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(tr("Cancel order"))
        box.setText(tr("{} order {} cannot be cancelled.").format(provider_title(order.provider), order_name(order)))
        box.setInformativeText(preview.effect)
        box.exec()
