"""Combo boxes, spin boxes and sliders take the mouse wheel only when they have focus.

Scrolling a form (the options page, the configure dialog, a dock tab) with the wheel must
scroll the form, not change the value of whatever combo happens to pass under the
pointer: that is how a provider's credentials got switched by scrolling Settings >
Options > Nadir. :func:`guard_wheel` is applied to every Nadir form (and again to what
is added to the form later, and whenever it is shown). The value widgets get
``StrongFocus`` (a click or Tab focuses them, the wheel does not) and one shared event
filter: an unfocused widget ignores the wheel event, which Qt then hands to the parent,
so the scroll area scrolls instead.

Date edits get one more fix in the same pass: typing a date drops no part of it. Qt
leaves the cursor in a full section after a click or focus, where digits are refused
(typing "2025-06-15" gave 2026-06-15: the year was dropped), and after a section is
filled it moves on by itself, so a typed separator then skipped a section. A date edit
selects the section clicked or focused, and a separator typed while a whole section is
freshly selected is ignored.
"""

from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtCore import QEvent, QObject, Qt, QTimer
from qgis.PyQt.QtGui import QKeyEvent
from qgis.PyQt.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox, QDateTimeEdit, QWidget

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)
_MARK = "nadirWheelGuarded"
SEPARATORS = frozenset("-/.: ")


class _WheelGuard(QObject):
    """The one filter object for every guarded widget and form."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            if isinstance(watched, QWidget) and watched.property(_MARK) and not watched.hasFocus():
                event.ignore()  # goes on to the parent: the form scrolls
                return True
            return False
        if (
            kind in (QEvent.Type.Show, QEvent.Type.ChildAdded)
            and isinstance(watched, QWidget)
            and watched.property(_MARK + "Root")
        ):
            if kind == QEvent.Type.Show:
                _guard_children(watched)
            else:  # a panel built later into the form (actions, timers and layouts are left alone)
                child = getattr(event, "child", None)
                added = child() if callable(child) else None
                if isinstance(added, QWidget):
                    _guard_children(added)
            return False
        if isinstance(watched, QDateTimeEdit):
            return _date_event(watched, event)
        parent = watched.parent()
        if kind == QEvent.Type.MouseButtonRelease and isinstance(parent, QDateTimeEdit):
            return _date_event(parent, event)
        return False


def _select_section(edit: QDateTimeEdit) -> None:
    try:
        if edit.hasFocus() and not edit.lineEdit().hasSelectedText():
            edit.setSelectedSection(edit.currentSection())
    except RuntimeError:  # the edit was deleted before the timer fired (a dialog closed)
        return


def _date_event(edit: QDateTimeEdit, event: QEvent) -> bool:
    kind = event.type()
    if kind in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonRelease):
        QTimer.singleShot(0, lambda: _select_section(edit))  # after Qt has placed the cursor
    elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.text() and event.text() in SEPARATORS:
        line = edit.lineEdit()
        if line.hasSelectedText() and line.selectedText() == edit.sectionText(edit.currentSection()):
            return True  # Qt already moved on to this section: the separator must not skip it
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
    for edit in root.findChildren(QDateTimeEdit):
        edit.lineEdit().installEventFilter(_filter())  # the clicks land on its line edit


def guard_wheel(root: QWidget) -> QWidget:
    """Guard every combo, spin box and slider under ``root`` now and each time it is shown."""
    _guard_children(root)
    if not root.property(_MARK + "Root"):
        root.setProperty(_MARK + "Root", True)
        root.installEventFilter(_filter())
    return root
