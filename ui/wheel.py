"""Combo boxes, spin boxes and sliders take the mouse wheel only when they have focus.

Scrolling a form (the options page, the configure dialog, a dock tab) with the wheel must
scroll the form, not change the value of whatever combo happens to pass under the
pointer: that is how a provider's credentials got switched by scrolling Settings >
Options > Nadir. :func:`guard_wheel` is applied to every Nadir form once it is built
(and again whenever the form is shown, for rows added later). The value widgets get
``StrongFocus`` (a click or Tab focuses them, the wheel does not) and one shared event
filter: an unfocused widget ignores the wheel event, which Qt then hands to the parent,
so the scroll area scrolls instead.
"""

from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtCore import QEvent, QObject, Qt
from qgis.PyQt.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)
_MARK = "nadirWheelGuarded"


class _WheelGuard(QObject):
    """The one filter object for every guarded widget and form."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            if isinstance(watched, QWidget) and watched.property(_MARK) and not watched.hasFocus():
                event.ignore()  # goes on to the parent: the form scrolls
                return True
            return False
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.property(_MARK + "Root"):
            _guard_children(watched)
        return False


_guard: Optional[_WheelGuard] = None


def _filter() -> _WheelGuard:
    global _guard
    if _guard is None:
        _guard = _WheelGuard()
    return _guard


def _guard_one(widget: QWidget) -> None:
    if widget.property(_MARK):
        return
    widget.setProperty(_MARK, True)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_filter())


def _guard_children(root: QWidget) -> None:
    if isinstance(root, GUARDED):
        _guard_one(root)
    for kind in GUARDED:
        for widget in root.findChildren(kind):
            _guard_one(widget)


def guard_wheel(root: QWidget) -> QWidget:
    """Guard every combo, spin box and slider under ``root`` now and each time it is shown."""
    _guard_children(root)
    if not root.property(_MARK + "Root"):
        root.setProperty(_MARK + "Root", True)
        root.installEventFilter(_filter())
    return root
