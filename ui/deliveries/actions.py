"""The delivery row of the orders panel: Load, Download, Stream, Stop and "Load when
delivered" for the selected order. A view only: it emits what the user asked for and the
feature pushes the state back with :meth:`DeliveryActions.set_state`."""

from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...toolbelt.i18n import tr


class DeliveryActions(QWidget):
    load_requested = pyqtSignal()
    download_requested = pyqtSignal()
    stream_requested = pyqtSignal()
    stop_requested = pyqtSignal()
    auto_toggled = pyqtSignal(bool)

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirDeliveryActions")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.load_button = self._button(
            "NadirDeliveryLoad",
            tr("Load"),
            tr(
                "Download the delivered imagery into the download folder (resuming partial files) and add it as "
                "layers in a group for this order"
            ),
        )
        self.download_button = self._button(
            "NadirDeliveryDownload",
            tr("Download"),
            tr(
                "Download the delivered files into the download folder only (Settings > Options > Nadir), one "
                "folder per order"
            ),
        )
        self.stream_button = self._button(
            "NadirDeliveryStream",
            tr("Stream"),
            tr(
                "Add cloud-optimised GeoTIFFs as layers read remotely, without downloading them; the rest is "
                "downloaded. Credentials come from the QGIS authentication database, never the layer source."
            ),
        )
        self._stream_tip = self.stream_button.toolTip()
        self.stop_button = self._button(
            "NadirDeliveryStop",
            tr("Stop"),
            tr("Stop the running delivery; partial files are kept and resumed next time"),
        )
        self.auto_check = QCheckBox(tr("Load when delivered"))
        self.auto_check.setObjectName("NadirDeliveryAutoLoad")
        self.auto_check.setToolTip(tr("When this order is completed, download it and add its layers by itself"))
        for button in (self.load_button, self.download_button, self.stream_button, self.stop_button):
            row.addWidget(button)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addWidget(self.auto_check)  # a line of its own: the row fits a narrow dock
        self.reason = QLabel()
        self.reason.setObjectName("NadirDeliveryReason")
        self.reason.setWordWrap(True)
        self.reason.setMinimumHeight(2 * self.reason.fontMetrics().lineSpacing() + 2)  # no jump when it shows
        self.reason.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.reason)
        self.load_button.clicked.connect(self.load_requested)
        self.download_button.clicked.connect(self.download_requested)
        self.stream_button.clicked.connect(self.stream_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        self.auto_check.toggled.connect(self._toggled)
        self._updating = False
        self.set_state(None)

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        return button

    def _toggled(self, checked: bool) -> None:
        if not self._updating:
            self.auto_toggled.emit(checked)

    def set_state(
        self,
        available: Optional[bool],
        reason: str = "",
        running: bool = False,
        auto: bool = False,
        no_stream: str = "",
    ) -> None:
        """``available`` None: no order selected; ``no_stream``: why this order's imagery
        cannot be streamed (the Stream button is off and says so)."""
        selected = available is not None
        for button in (self.load_button, self.download_button, self.stream_button):
            button.setEnabled(bool(available) and not running)
        if no_stream:
            self.stream_button.setEnabled(False)
        self.stream_button.setToolTip(no_stream or self._stream_tip)
        self.stop_button.setEnabled(running)  # disabled, not hidden: the row never moves
        self._updating = True
        try:
            self.auto_check.setEnabled(selected)
            self.auto_check.setChecked(auto if selected else False)
        finally:
            self._updating = False
        self.reason.setText(tr("Delivering… (see the task manager for progress)") if running else reason)
