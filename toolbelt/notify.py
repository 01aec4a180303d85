"""One notifier for message-bar messages, with a "Details" button.

GUI thread only. Texts are redacted before they are shown. Errors that are not
:class:`NadirError` are bugs: they are logged with their traceback and shown with a
generic message. A credentials failure (:class:`ProviderAuthError`, HTTP 401/403)
carries a "Fix credentials" button that opens Settings > Options > Nadir.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence

from qgis.core import Qgis
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtWidgets import QMessageBox, QPushButton, QWidget

from ..core.errors import NadirError, ProviderAuthError
from .core_text import user_message
from .i18n import tr
from .identity import identity
from .redact import redact

LOGGER = logging.getLogger(__name__)


Action = tuple[str, str, Callable[[], None]]  # (object name, label, slot)


class Notifier:
    def __init__(
        self, message_bar: QgsMessageBar, parent: QWidget | None = None, open_settings: Callable[[], None] | None = None
    ) -> None:
        self._bar = message_bar
        self._parent = parent
        self._open_settings = open_settings

    @property
    def title(self) -> str:
        return identity().name

    def info(self, message: str, details: str = "", duration: int = 5) -> None:
        self._push(message, details, Qgis.MessageLevel.Info, duration)

    def success(self, message: str, details: str = "", duration: int = 5) -> None:
        self._push(message, details, Qgis.MessageLevel.Success, duration)

    def warning(self, message: str, details: str = "", duration: int = 10) -> None:
        self._push(message, details, Qgis.MessageLevel.Warning, duration)

    def error(self, message: str, details: str = "", duration: int = 0, *, fix_credentials: bool = False) -> None:
        """An error; ``fix_credentials`` adds the button that opens Nadir's options page."""
        actions: list[Action] = []
        if fix_credentials and self._open_settings is not None:
            actions.append(("NadirFixCredentials", tr("Fix credentials"), self._open_settings))
        self._push(message, details, Qgis.MessageLevel.Critical, duration, actions)

    def exception(self, exc: BaseException, context: str = "") -> None:
        """Show an exception: its own message if it is a NadirError, else a generic one."""
        if isinstance(exc, NadirError):
            self.error(user_message(exc, context), exc.details, fix_credentials=isinstance(exc, ProviderAuthError))
            return
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        LOGGER.error("Unexpected error%s\n%s", f" ({context})" if context else "", trace)
        self.error(user_message(exc, context, logged=True), trace)

    def _push(
        self, message: str, details: str, level: Qgis.MessageLevel, duration: int, actions: Sequence[Action] = ()
    ) -> None:
        message = redact(message)
        details = redact(details)
        widget = self._bar.createMessage(self.title, message)
        for name, label, slot in actions:
            action = QPushButton(label, widget)
            action.setObjectName(name)
            action.clicked.connect(lambda _=False, run=slot: run())
            widget.layout().addWidget(action)
        if details:
            button = QPushButton(tr("Details"), widget)
            button.clicked.connect(lambda _=False, d=details, m=message: self._show_details(m, d))
            widget.layout().addWidget(button)
        self._bar.pushWidget(widget, level, duration)
        log = LOGGER.warning if level in (Qgis.MessageLevel.Warning, Qgis.MessageLevel.Critical) else LOGGER.info
        log("%s%s", message, f"\n{details}" if details else "")

    def _show_details(self, message: str, details: str) -> None:
        box = QMessageBox(self._parent)
        box.setWindowTitle(self.title)
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(message)
        box.setDetailedText(details)
        box.exec()
