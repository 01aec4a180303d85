"""Deciding UP42 tasking orders in the Orders panel: "Decide…" for an order awaiting the
customer, a dialog with the feasibility options or the quotation's price, and a notice
once when an order starts waiting.

:class:`DecisionControls` is the row the Tasking feature adds to the orders panel;
:class:`DecisionsPresenter` finds what the selected order waits for and sends the
answer in tasks (:mod:`core.tasking.decisions`), then asks the orders panel to refresh.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import NadirError
from ...core.models import Lifecycle, Order
from ...core.tasking.decisions import Pending, decide, pending_decision
from ...tasks.base import TaskRunner
from ...toolbelt.i18n import tr
from ...toolbelt.notify import Notifier
from ...toolbelt.settings import SettingsStore

LOGGER = logging.getLogger(__name__)
AdapterFactory = Callable[[str, Any], Any]


def awaiting(order: Optional[Order]) -> bool:
    return order is not None and order.provider == "up42" and order.status is Lifecycle.AWAITING_DECISION


class DecisionControls(QWidget):
    decide_requested = pyqtSignal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirDecisionControls")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.decide_button = QPushButton(tr("Decide…"))
        self.decide_button.setObjectName("NadirDecide")
        self.decide_button.setToolTip(
            tr("Choose a feasibility option or accept or reject the quotation of this UP42 tasking order")
        )
        self.decide_button.setEnabled(False)
        self.note = QLabel()
        self.note.setWordWrap(True)
        row.addWidget(self.decide_button)
        row.addWidget(self.note, 1)
        self.decide_button.clicked.connect(self.decide_requested)

    def show_for(self, order: Optional[Order]) -> None:
        waiting = awaiting(order)
        self.decide_button.setEnabled(waiting)
        self.setVisible(order is not None and order.provider == "up42")
        self.note.setText(tr("Awaiting your decision ({}).").format(order.sub_status) if waiting and order else "")


class DecisionDialog(QDialog):
    """A feasibility study's options (choose one) or a quotation (accept or reject)."""

    def __init__(self, order: Order, pending: Pending, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirDecisionDialog")
        self.setWindowTitle(tr("Decide: {}").format(order.title or order.id))
        self.pending = pending
        self.accepted_quote: Optional[bool] = None
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.options = QButtonGroup(self)
        self.buttons = QDialogButtonBox(self)
        if pending.study is not None:
            self.text.setText(
                tr(
                    "UP42 studied the feasibility of this order. Choose the option to go on with; a "
                    "quotation with the final price follows."
                )
            )
            for index, option in enumerate(pending.study.options):
                radio = QRadioButton(option.description or option.id)
                radio.setProperty("option_id", option.id)
                self.options.addButton(radio, index)
                layout.addWidget(radio)
            self.choose_button = self.buttons.addButton(
                tr("Choose this option"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.choose_button.setEnabled(False)
            self.options.buttonClicked.connect(lambda _b: self.choose_button.setEnabled(True))
        elif pending.quotation is not None:
            price = str(pending.quotation.price) if pending.quotation.price is not None else tr("(no price given)")
            self.text.setText(
                tr(
                    "UP42 quotes {} for this order. Accepting orders the acquisition at this price; "
                    "rejecting ends the order."
                ).format(price)
            )
            self.accept_button = self.buttons.addButton(
                tr("Accept {}").format(price), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.reject_quote_button = self.buttons.addButton(tr("Reject"), QDialogButtonBox.ButtonRole.DestructiveRole)
            self.accept_button.clicked.connect(lambda: self._quote(True))
            self.reject_quote_button.clicked.connect(lambda: self._quote(False))
        else:
            self.text.setText(tr("This order waits for no decision any more."))
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _quote(self, accept: bool) -> None:
        self.accepted_quote = accept
        self.accept()

    def chosen_option(self) -> Optional[str]:
        button = self.options.checkedButton()
        value = button.property("option_id") if button is not None else None
        return str(value) if value else None


class DecisionsPresenter(QObject):
    decided = pyqtSignal(str)  # order id
    problem = pyqtSignal(str)

    def __init__(
        self,
        runner: TaskRunner,
        settings: SettingsStore,
        adapters: AdapterFactory,
        notifier: Notifier,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.adapters = adapters
        self.notifier = notifier
        self.dialog: Optional[DecisionDialog] = None
        self._announced: set[tuple[str, str]] = set()
        self._task: Any = None

    def announce(self, orders: list[Order]) -> int:
        """A notice for each order that starts waiting for a decision (once per sub-status)."""
        count = 0
        for order in orders:
            key = (order.id, order.sub_status or "")
            if awaiting(order) and key not in self._announced:
                self._announced.add(key)
                self.notifier.info(
                    tr("UP42 order {} is awaiting your decision: select it in Orders and click Decide….").format(
                        order.title or order.id
                    ),
                    duration=10,
                )
                count += 1
        return count

    def open_for(self, order: Order, parent: Optional[QWidget] = None) -> Optional[Any]:
        """Find what the order waits for (a task), then show the dialog."""
        try:
            adapter = self.adapters("up42", self.settings.current)
        except NadirError as exc:
            self.problem.emit(exc.message)
            return None

        def found(pending: Pending) -> None:
            self._task = None
            self.show_dialog(order, pending, parent)

        def failed(error: BaseException) -> None:
            self._task = None
            self.problem.emit(error.message if isinstance(error, NadirError) else tr("See the log."))

        self._task = self.runner.run(
            tr("Nadir: what UP42 order {} waits for").format(order.id[:8]),
            lambda ctx: pending_decision(adapter, order.id),
            found,
            failed,
        )
        return self._task

    def show_dialog(self, order: Order, pending: Pending, parent: Optional[QWidget] = None) -> DecisionDialog:
        dialog = DecisionDialog(order, pending, parent)
        dialog.accepted.connect(lambda: self._send(order, dialog))
        self.dialog = dialog
        dialog.show()
        return dialog

    def _send(self, order: Order, dialog: DecisionDialog) -> Optional[Any]:
        pending = dialog.pending
        try:
            adapter = self.adapters("up42", self.settings.current)
        except NadirError as exc:
            self.problem.emit(exc.message)
            return None
        option, accept = dialog.chosen_option(), dialog.accepted_quote

        def done(result: Any) -> None:
            self._task = None
            if pending.study is not None:
                self.notifier.success(
                    tr("Feasibility option chosen for {}; UP42 sends the quotation next.").format(
                        order.title or order.id
                    )
                )
            else:
                self.notifier.success(
                    (tr("Quotation accepted for {}.") if accept else tr("Quotation rejected for {}.")).format(
                        order.title or order.id
                    )
                )
            self.decided.emit(order.id)

        def failed(error: BaseException) -> None:
            self._task = None
            self.notifier.error(
                error.message if isinstance(error, NadirError) else tr("The decision failed; see the log.")
            )

        self._task = self.runner.run(
            tr("Nadir: deciding UP42 order {}").format(order.id[:8]),
            lambda ctx: decide(adapter, pending, option_id=option, accept=accept),
            done,
            failed,
        )
        return self._task

    @property
    def busy(self) -> bool:
        return self._task is not None
