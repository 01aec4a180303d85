"""Keyboard shortcuts through QGIS's shortcut manager, so users change them in
*Settings > Keyboard Shortcuts* like QGIS's own (saved under the action's object name)."""

from __future__ import annotations

from collections.abc import Iterable

from qgis.gui import QgsGui
from qgis.PyQt.QtWidgets import QAction

#: object name -> default shortcut ("" = none by default, the user may set one)
DEFAULTS = {
    "NadirToggleDock": "Ctrl+Alt+N",
    "NadirAoiDrawRectangle": "",
    "NadirAoiDrawPolygon": "",
}


def register(actions: Iterable[QAction]) -> list[QAction]:
    """Register each action with its default; the user's own choice (if any) is applied."""
    manager = QgsGui.shortcutsManager()
    done = []
    for action in actions:
        if action is not None and manager.registerAction(action, DEFAULTS.get(action.objectName(), "")):
            done.append(action)
    return done


def unregister(actions: Iterable[QAction]) -> None:
    manager = QgsGui.shortcutsManager()
    for action in actions:
        manager.unregisterAction(action)
