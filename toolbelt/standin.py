"""The stand-in plugin QGIS loads when Nadir's Python dependencies are missing.

It says in the message bar which packages are missing and offers an "Install" action
that runs pip with QGIS's own Python into the plugin-private folder (a task, so QGIS
stays responsive), then asks for a restart. It never imports the missing packages.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from qgis.core import Qgis
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QPushButton

from ..core.errors import InputError
from ..tasks.base import TaskRunner
from .dependencies import (
    REQUIREMENTS_FILE,
    InstallResult,
    MissingDependency,
    install,
    pip_proxy_environment,
    private_dir,
)
from .i18n import tr
from .identity import PLUGIN_DIR, identity
from .notify import Notifier

LOGGER = logging.getLogger(__name__)


class StandInPlugin:
    def __init__(
        self,
        iface: Any,
        missing: list[MissingDependency],
        requirements: Path = REQUIREMENTS_FILE,
        target: Path | None = None,
    ) -> None:
        self.iface = iface
        self.missing = missing
        self.requirements = requirements
        self.target = target
        self.action: QAction | None = None
        self.message_item: object | None = None
        self.runner = TaskRunner()
        self.last_result: InstallResult | None = None

    # -- QGIS plugin interface -------------------------------------------------------
    def initGui(self) -> None:
        icon = QIcon(str(PLUGIN_DIR / "resources" / "icons" / "nadir.svg"))
        self.action = QAction(icon, tr("Install Nadir's missing Python packages…"), self.iface.mainWindow())
        self.action.triggered.connect(self.install)
        self.iface.addPluginToWebMenu(identity().name, self.action)
        self._show_missing()

    def unload(self) -> None:
        from . import private_first
        from .native import remove_hook

        remove_hook()  # classFactory installed it before choosing the stand-in
        private_first.remove()
        self.runner.cancel_all()
        self._clear_message()
        if self.action is not None:
            self.iface.removePluginWebMenu(identity().name, self.action)
            self.action.deleteLater()
            self.action = None

    # -- behaviour --------------------------------------------------------------------
    @property
    def summary(self) -> str:
        names = "; ".join(m.describe() for m in self.missing)
        if any(m.conflict for m in self.missing):
            return tr("{} cannot start: {}").format(identity().name, names)
        return tr("{} cannot start: missing Python packages: {}.").format(identity().name, names)

    def _show_missing(self) -> None:
        bar = self.iface.messageBar()
        widget = bar.createMessage(identity().name, self.summary)
        if not all(m.conflict for m in self.missing):  # installing again cannot fix a conflict
            button = QPushButton(tr("Install"), widget)
            button.clicked.connect(self.install)
            widget.layout().addWidget(button)
        self.message_item = bar.pushWidget(widget, Qgis.MessageLevel.Warning, 0)
        LOGGER.warning(self.summary)

    def _clear_message(self) -> None:
        if self.message_item is not None:
            try:
                self.iface.messageBar().popWidget(self.message_item)
            except (RuntimeError, TypeError):  # already closed by the user
                LOGGER.debug("stand-in message already gone")
            self.message_item = None

    def install(self) -> None:
        if self.runner.running:
            return
        target = self.target or private_dir()
        try:
            proxy_env = pip_proxy_environment()  # GUI thread: QGIS's proxy, as Nadir's own requests use it
        except InputError as exc:
            Notifier(self.iface.messageBar()).error(exc.message)
            return
        self._clear_message()
        self.iface.messageBar().pushMessage(
            identity().name,
            tr("Installing {} into {}…").format(", ".join(m.name for m in self.missing), target),
            Qgis.MessageLevel.Info,
            5,
        )
        self.runner.run(
            tr("Installing Nadir's Python packages"),
            lambda _ctx: install(target, self.requirements, proxy_env=proxy_env),
            on_done=self._installed,
            on_error=lambda exc: Notifier(self.iface.messageBar()).exception(exc, tr("Installation failed")),
        )

    def _installed(self, result: InstallResult) -> None:
        self.last_result = result
        notifier = Notifier(self.iface.messageBar(), self.iface.mainWindow())
        if result.ok:
            notifier.success(
                tr("Packages installed into {}. Restart QGIS to start {}.").format(result.target, identity().name),
                result.output,
                duration=0,
            )
        else:
            notifier.error(tr("Installing the packages failed. See the details."), result.output)
