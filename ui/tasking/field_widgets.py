"""One editor per kind of schema field (core/tasking/schema.py ``Field``), for SchemaForm.

Each editor knows whether the analyst set a value: optional fields start "not set" and
are left out of the order (a spin box's minimum shows "not set"; dates the same; a clear
button puts a field back). Required fields without a default start "not set" too, so the
form is incomplete until they are chosen. Nothing here validates: the form does, with
the schema.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from typing import Any, Callable, Optional

from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime
from qgis.PyQt.QtGui import QMouseEvent
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QToolButton,
    QWidget,
)

from ...core.tasking.schema import Field
from ...toolbelt.i18n import tr

INT_LIMIT = 2_147_483_647
FLOAT_LIMIT = 1e15
#: a date edit's "not set" position; the calendar opens at today's month instead
DATE_UNSET = QDate(1900, 1, 1)
_UNSET = object()


def iso_utc(moment: QDateTime) -> str:
    """``2025-06-01T00:00:00Z``: ISO 8601 in UTC, as UP42's examples write it."""
    return moment.toUTC().toString("yyyy-MM-ddTHH:mm:ss") + "Z"


def parse_datetime(text: Any) -> Optional[QDateTime]:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute, moment.second), Qt.TimeSpec.UTC
    )


def parse_date(text: Any) -> Optional[QDate]:
    if not isinstance(text, str):
        return None
    try:
        day = date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
    return QDate(day.year, day.month, day.day)


class Editor:
    """A field's value widget (``widget``) inside ``row`` (with its clear button)."""

    def __init__(self, field: Field, widget: QWidget, optional_clear: bool = False) -> None:
        self.field = field
        self.widget = widget
        self.widget.setObjectName("field_" + "_".join(field.path))
        self.row: QWidget = widget
        self.clear_button: Optional[QToolButton] = None
        if optional_clear:
            self.row = QWidget()
            layout = QHBoxLayout(self.row)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(widget, 1)
            self.clear_button = QToolButton(self.row)
            self.clear_button.setText("×")
            self.clear_button.setToolTip(tr("Clear: leave this value out of the order"))
            self.clear_button.setAutoRaise(True)
            self.clear_button.clicked.connect(self.clear)
            layout.addWidget(self.clear_button)

    # overridden per kind
    def value(self) -> tuple[bool, Any]:
        raise NotImplementedError

    def set_value(self, value: Any) -> bool:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def connect(self, callback: Callable[[], None]) -> None:
        raise NotImplementedError

    def apply_default(self) -> None:
        if self.field.has_default and not self.set_value(self.field.default):
            self.clear()


class EnumEditor(Editor):
    """A combo: titles shown, values kept; "choose" or "not set" first unless a default fills it."""

    def __init__(self, field: Field) -> None:
        combo = QComboBox()
        # long choices must not widen the dock: the combo elides them, its popup shows them whole
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        if not (field.has_default and field.required):
            combo.addItem(tr("Choose…") if field.required else tr("(not set)"), _UNSET)
        for choice in field.choices:
            combo.addItem(choice.title, choice.value)
        super().__init__(field, combo)
        self.combo = combo

    def value(self) -> tuple[bool, Any]:
        data = self.combo.currentData()
        return (False, None) if data is _UNSET or self.combo.currentIndex() < 0 else (True, data)

    def set_value(self, value: Any) -> bool:
        for index in range(self.combo.count()):
            data = self.combo.itemData(index)
            if data is not _UNSET and data == value and type(data) is type(value):
                self.combo.setCurrentIndex(index)
                return True
        return False

    def clear(self) -> None:
        self.combo.setCurrentIndex(0)

    def connect(self, callback: Callable[[], None]) -> None:
        self.combo.currentIndexChanged.connect(lambda _index: callback())


def _decimals(field: Field) -> int:
    found = 2
    for number in (
        field.minimum,
        field.maximum,
        field.exclusive_minimum,
        field.exclusive_maximum,
        field.multiple_of,
        field.default if isinstance(field.default, float) else None,
    ):
        if number is not None and math.isfinite(number):
            text = repr(float(number)).split(".")[-1].rstrip("0")
            found = max(found, len(text) if "e" not in text else 6)
    return min(found, 6)


class IntegerEditor(Editor):
    """A bounded spin box; the value below the minimum shows "not set"."""

    def __init__(self, field: Field) -> None:
        spin = QSpinBox()
        low = max(math.ceil(field.lowest), -INT_LIMIT + 1) if field.lowest is not None else -INT_LIMIT + 1
        high = min(math.floor(field.highest), INT_LIMIT) if field.highest is not None else INT_LIMIT
        self.unset_at = max(low - 1, -INT_LIMIT)
        spin.setRange(self.unset_at, max(high, low))
        spin.setSpecialValueText(tr("not set"))
        if field.multiple_of and float(field.multiple_of).is_integer():
            spin.setSingleStep(int(field.multiple_of))
        spin.setValue(self.unset_at)
        self.low = low
        super().__init__(field, spin, optional_clear=not field.required)
        self.spin = spin

    def value(self) -> tuple[bool, Any]:
        number = self.spin.value()
        return (False, None) if number == self.unset_at else (True, number)

    def set_value(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
            return False
        if not self.unset_at < value <= self.spin.maximum():
            return False
        self.spin.setValue(int(value))
        return True

    def clear(self) -> None:
        self.spin.setValue(self.unset_at)

    def connect(self, callback: Callable[[], None]) -> None:
        self.spin.valueChanged.connect(lambda _value: callback())


class NumberEditor(Editor):
    """A bounded double spin box, decimals from the bounds; below the minimum is "not set"."""

    def __init__(self, field: Field) -> None:
        spin = QDoubleSpinBox()
        decimals = _decimals(field)
        spin.setDecimals(decimals)
        low = max(field.lowest, -FLOAT_LIMIT) if field.lowest is not None else -FLOAT_LIMIT
        high = min(field.highest, FLOAT_LIMIT) if field.highest is not None else FLOAT_LIMIT
        step = field.multiple_of or (
            10**-decimals * 5 if high - low <= 1 else 10 ** -(decimals - 1) if high - low <= 10 else 1.0
        )
        spin.setSingleStep(step)
        smallest = 10**-decimals
        if field.exclusive_minimum is not None and low == field.exclusive_minimum:
            low += smallest
        if field.exclusive_maximum is not None and high == field.exclusive_maximum:
            high -= smallest
        self.unset_at = low - step
        spin.setRange(self.unset_at, max(high, low))
        spin.setSpecialValueText(tr("not set"))
        spin.setValue(self.unset_at)
        super().__init__(field, spin, optional_clear=not field.required)
        self.spin = spin

    def value(self) -> tuple[bool, Any]:
        number = self.spin.value()
        if number <= self.unset_at + 10 ** -self.spin.decimals() / 2:
            return False, None
        return True, round(number, self.spin.decimals())

    def set_value(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if not self.unset_at < value <= self.spin.maximum():
            return False
        self.spin.setValue(float(value))
        return True

    def clear(self) -> None:
        self.spin.setValue(self.unset_at)

    def connect(self, callback: Callable[[], None]) -> None:
        self.spin.valueChanged.connect(lambda _value: callback())


class _UtcDateTimeEdit(QDateTimeEdit):
    """A date-time edit in UTC; a click while "not set" starts from the next full hour."""

    def __init__(self, date_only: bool) -> None:
        super().__init__()
        self.date_only = date_only

    def setDateTime(self, value: QDateTime) -> None:
        """Qt 5 keeps the wall time of a local or offset date-time and calls it UTC
        (12:00+02:00 became 12:00Z): convert it first."""
        if value.isValid() and value.timeSpec() != Qt.TimeSpec.UTC:
            value = value.toUTC()
        super().setDateTime(value)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.date() == DATE_UNSET:
            now = QDateTime.currentDateTimeUtc()
            start = QDateTime(now.date(), QTime(now.time().hour(), 0), Qt.TimeSpec.UTC).addSecs(3600)
            self.setDateTime(start)
        super().mousePressEvent(event)


class DateTimeEditor(Editor):
    """A calendar-popup date-time edit in UTC; ISO 8601 with ``Z`` out (``date`` fields: the day)."""

    def __init__(self, field: Field) -> None:
        self.date_only = field.kind == "date"
        edit = _UtcDateTimeEdit(self.date_only)
        edit.setTimeSpec(Qt.TimeSpec.UTC)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd" if self.date_only else "yyyy-MM-dd HH:mm 'UTC'")
        edit.setMinimumDateTime(QDateTime(DATE_UNSET, QTime(0, 0), Qt.TimeSpec.UTC))
        edit.setSpecialValueText(tr("not set"))
        edit.setDateTime(edit.minimumDateTime())
        super().__init__(field, edit, optional_clear=not field.required)
        self.edit = edit

    def value(self) -> tuple[bool, Any]:
        moment = self.edit.dateTime()
        if moment.date() == DATE_UNSET:
            return False, None
        if self.date_only:
            return True, moment.date().toString("yyyy-MM-dd")
        return True, iso_utc(moment)

    def set_value(self, value: Any) -> bool:
        if self.date_only:
            day = parse_date(value)
            if day is None or not day.isValid() or day <= DATE_UNSET:
                return False
            self.edit.setDateTime(QDateTime(day, QTime(0, 0), Qt.TimeSpec.UTC))
            return True
        moment = parse_datetime(value)
        if moment is None or not moment.isValid() or moment.date() <= DATE_UNSET:
            return False
        self.edit.setDateTime(moment)
        return True

    def clear(self) -> None:
        self.edit.setDateTime(self.edit.minimumDateTime())

    def connect(self, callback: Callable[[], None]) -> None:
        self.edit.dateTimeChanged.connect(lambda _value: callback())


class BooleanEditor(Editor):
    """A check box; an optional one without default has a third, "not set" state."""

    def __init__(self, field: Field) -> None:
        box = QCheckBox(tr("Yes"))
        self.tristate = not field.required and not field.has_default
        box.setTristate(self.tristate)
        if self.tristate:
            box.setCheckState(Qt.CheckState.PartiallyChecked)
            box.setToolTip(tr("Half-ticked: not set (left out of the order)"))
        super().__init__(field, box)
        self.box = box

    def value(self) -> tuple[bool, Any]:
        state = self.box.checkState()
        if state == Qt.CheckState.PartiallyChecked:
            return False, None
        return True, state == Qt.CheckState.Checked

    def set_value(self, value: Any) -> bool:
        if not isinstance(value, bool):
            return False
        self.box.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        return True

    def clear(self) -> None:
        self.box.setCheckState(Qt.CheckState.PartiallyChecked if self.tristate else Qt.CheckState.Unchecked)

    def connect(self, callback: Callable[[], None]) -> None:
        self.box.stateChanged.connect(lambda _state: callback())


class StringEditor(Editor):
    """A line edit; empty is "not set"."""

    def __init__(self, field: Field) -> None:
        line = QLineEdit()
        if field.max_length:
            line.setMaxLength(field.max_length)
        line.setClearButtonEnabled(True)
        super().__init__(field, line)
        self.line = line

    def value(self) -> tuple[bool, Any]:
        text = self.line.text()
        return (bool(text), text if text else None)

    def set_value(self, value: Any) -> bool:
        if not isinstance(value, str):
            return False
        self.line.setText(value)
        return True

    def clear(self) -> None:
        self.line.clear()

    def connect(self, callback: Callable[[], None]) -> None:
        self.line.textChanged.connect(lambda _text: callback())


class EnumListEditor(Editor):
    """An array of enum values: a checkable list (titles shown, values kept in order)."""

    def __init__(self, field: Field) -> None:
        assert field.items is not None
        listing = QListWidget()
        for choice in field.items.choices:
            item = QListWidgetItem(choice.title)
            item.setData(Qt.ItemDataRole.UserRole, choice.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            listing.addItem(item)
        rows = min(max(listing.count(), 1), 6)
        listing.setFixedHeight(listing.sizeHintForRow(0) * rows + 2 * listing.frameWidth() + 2)
        super().__init__(field, listing)
        self.listing = listing
        self.touched = False

    def _items(self) -> list[QListWidgetItem]:
        return [self.listing.item(i) for i in range(self.listing.count())]

    def value(self) -> tuple[bool, Any]:
        chosen = [i.data(Qt.ItemDataRole.UserRole) for i in self._items() if i.checkState() == Qt.CheckState.Checked]
        return (bool(chosen) or self.touched, chosen)

    def set_value(self, value: Any) -> bool:
        if not isinstance(value, list):
            return False
        known = [i.data(Qt.ItemDataRole.UserRole) for i in self._items()]
        if any(v not in known for v in value):
            return False
        for item in self._items():
            item.setCheckState(
                Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in value else Qt.CheckState.Unchecked
            )
        self.touched = True
        return True

    def clear(self) -> None:
        for item in self._items():
            item.setCheckState(Qt.CheckState.Unchecked)
        self.touched = False

    def connect(self, callback: Callable[[], None]) -> None:
        def changed(_item: QListWidgetItem) -> None:
            self.touched = True
            callback()

        self.listing.itemChanged.connect(changed)


def editor_for(field: Field) -> Optional[Editor]:
    """The editor of ``field``, or None if the form cannot edit it (geometry, JSON editor)."""
    makers: dict[str, Callable[[Field], Editor]] = {
        "enum": EnumEditor,
        "integer": IntegerEditor,
        "number": NumberEditor,
        "datetime": DateTimeEditor,
        "date": DateTimeEditor,
        "boolean": BooleanEditor,
        "string": StringEditor,
    }
    if field.kind == "integer" and any(b is not None and abs(b) >= INT_LIMIT for b in (field.lowest, field.highest)):
        return None  # beyond a spin box's 32 bits: the JSON editor takes it
    if field.kind == "array" and field.items is not None and field.items.kind == "enum":
        editor: Editor = EnumListEditor(field)
    elif field.kind in makers:
        editor = makers[field.kind](field)
    else:
        return None
    editor.apply_default()
    return editor
