"""Typing a date into Nadir's date fields keeps every part of it (issue 16 item 8: after
a click in the field, typing "2025-06-15" gave 2026-06-15, the year dropped)."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import QDate, QPoint, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QDateEdit, QVBoxLayout, QWidget


def type_after_click(edit: QDateEdit, text: str) -> QDate:
    line = edit.lineEdit()
    QApplication.setActiveWindow(edit.window())
    edit.setFocus()
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(4, line.height() // 2))
    QApplication.processEvents()
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)
    return edit.date()


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("yyyy-MM-dd", "2025-06-15", QDate(2025, 6, 15)),
        ("yyyy-MM-dd", "20250615", QDate(2025, 6, 15)),
        ("yyyy-MM", "2024-03", QDate(2024, 3, 5)),
    ],
)
def test_a_typed_date_keeps_its_year(qgis_app, fmt, text, expected):
    from nadir.ui.wheel import guard_wheel

    form = QWidget()
    layout = QVBoxLayout(form)
    edit = QDateEdit(QDate(2026, 12, 5))
    edit.setDisplayFormat(fmt)
    edit.setCalendarPopup(True)
    edit.setMinimumDate(QDate(2000, 1, 1))
    layout.addWidget(edit)
    guard_wheel(form)
    form.show()
    QApplication.processEvents()
    assert type_after_click(edit, text) == expected
    form.close()


def test_the_configure_dialogs_dates_take_what_is_typed(qgis_app):
    from nadir.core.models import OrderKind
    from nadir.ui.cart.configure_dialog import ConfigureDialog

    dialog = ConfigureDialog(OrderKind.COMPOSITE)
    dialog.show()
    QApplication.processEvents()
    dialog.toCheck.setChecked(True)
    assert type_after_click(dialog.toEdit, "2025-06-15") == QDate(2025, 6, 15)
    assert type_after_click(dialog.fromEdit, "2025-02") == QDate(2025, 2, dialog.fromEdit.date().day())
    dialog.close()
