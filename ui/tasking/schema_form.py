"""A data product's JSON schema as a form: any product, no code per product.

``SchemaForm(schema)`` builds one row per field of :func:`core.tasking.schema.fields`:
enums as combos (titles shown, values kept), numbers as bounded spin boxes, date-times
as calendar popups in UTC, booleans as check boxes, text as line edits, nested objects
as group boxes and arrays of enums as checkable lists. Required fields have a bold label
with ``*``; titles are labels, descriptions tooltips; defaults are filled in; optional
fields start "not set" and are left out of :meth:`values`.

Geometry fields are not edited here: :meth:`geometry_paths` names them for the caller,
which adds the AOI (core/tasking/geometry.py). Whatever the form cannot edit (alternative
shapes, recursive structures, unknown types) goes to a JSON editor below the fields,
merged into :meth:`values` and checked the same way; a schema that cannot be read at all
still gives that editor and a message, never an exception.

:meth:`validate` checks the values against the schema and shows each problem under its
field (label in red, first one focused); every field keeps one line for its message, so
nothing moves when messages come and go. The mouse wheel changes only a focused field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor, QPalette
from qgis.PyQt.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import NadirError
from ...core.tasking.schema import Field, FieldError, Path, SchemaError, fields, validate
from ...toolbelt.i18n import tr
from ..wheel import guard_wheel
from .field_widgets import Editor, editor_for

ERROR_COLOUR = "#b00020"
JSON_PATH: Path = ("(json)",)
GENERAL_PATH: Path = ()


class ErrorLabel(QLabel):
    """One line kept free under a field for its message: elided to the width, whole in the
    tooltip, so the layout never moves when a message comes or goes."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setFixedHeight(self.fontMetrics().height() + 2)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.message = ""

    def show_message(self, message: str) -> None:
        self.message = message
        self.setToolTip(message)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 50)
        self.setText(self.fontMetrics().elidedText(self.message, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._elide()


class _Row:
    def __init__(self, field: Field, label: QLabel, editor: Editor, error: ErrorLabel) -> None:
        self.field = field
        self.label = label
        self.editor = editor
        self.error = error


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _get(values: Mapping[str, Any], path: Path) -> tuple[bool, Any]:
    node: Any = values
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return False, None
        node = node[key]
    return True, node


def _without(values: Mapping[str, Any], paths: Sequence[Path]) -> dict[str, Any]:
    """``values`` with the keys at ``paths`` taken out (what a widget already shows)."""
    out = json.loads(json.dumps(values))
    for path in paths:
        node = out
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(path[-1], None)
    return _prune(out)


def _prune(node: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (_prune(v) if isinstance(v, dict) else v)
        for k, v in node.items()
        if not (isinstance(v, dict) and not _prune(v))
    }


class SchemaForm(QWidget):
    """The order parameters of one data product, from its JSON schema."""

    changed = pyqtSignal()

    def __init__(self, schema: dict[str, Any], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.schema = schema
        self._rows: dict[Path, _Row] = {}
        self._groups: dict[Path, QGroupBox] = {}
        self._geometry: list[Path] = []
        self._json_fields: list[Field] = []
        self._schema_problem = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.general_error = ErrorLabel(self)
        self.general_error.setObjectName("generalError")
        try:
            tree = fields(schema)
        except NadirError as exc:
            tree = []
            self._schema_problem = str(exc)
        self.tree = tree
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        self._add_fields(form, tree)
        self.json_box = QGroupBox(tr("Other parameters (JSON)"), self)
        self.json_box.setObjectName("jsonBox")
        json_layout = QVBoxLayout(self.json_box)
        self.json_hint = QLabel(self.json_box)
        self.json_hint.setWordWrap(True)
        self.json_edit = QPlainTextEdit(self.json_box)
        self.json_edit.setObjectName("jsonEdit")
        self.json_edit.setTabChangesFocus(True)
        self.json_error = ErrorLabel(self.json_box)
        self.json_error.setObjectName("jsonError")
        json_layout.addWidget(self.json_hint)
        json_layout.addWidget(self.json_edit)
        json_layout.addWidget(self.json_error)
        layout.addWidget(self.json_box)
        layout.addWidget(self.general_error)
        self._fill_json_editor()
        self.json_edit.textChanged.connect(self._json_changed)
        if self._schema_problem:
            self.general_error.show_message(self._schema_problem)
        else:
            try:
                validate(schema, {}, skip=self._geometry)
            except SchemaError as exc:  # readable, but not checkable: the provider will check
                self._schema_problem = str(exc)
                self.general_error.show_message(
                    tr("The values cannot be checked before sending; the provider will check them.") + " " + str(exc)
                )
        guard_wheel(self)

    # -- building ---------------------------------------------------------------------------

    def _add_fields(self, form: QFormLayout, tree: Sequence[Field]) -> None:
        for field in tree:
            if field.kind == "geometry":
                self._geometry.append(field.path)
                continue
            if field.kind == "object" and field.children:
                box = QGroupBox(field.title + (" *" if field.required else ""), self)
                box.setObjectName("group_" + "_".join(field.path))
                if field.description:
                    box.setToolTip(field.description)
                inner = QFormLayout(box)
                inner.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                self._groups[field.path] = box
                self._add_fields(inner, field.children)
                form.addRow(box)
                continue
            editor = editor_for(field)
            if editor is None:
                self._json_fields.append(field)
                continue
            label = QLabel(field.title + (" *" if field.required else ""), self)
            if field.required:
                font = label.font()
                font.setBold(True)
                label.setFont(font)
            label.setBuddy(editor.widget)
            tip = field.description
            if field.required:
                tip = (tip + "\n\n" if tip else "") + tr("Required.")
            label.setToolTip(tip)
            editor.widget.setToolTip(tip)
            error = ErrorLabel(self)
            error.setObjectName("error_" + "_".join(field.path))
            holder = QWidget(self)
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(0)
            column.addWidget(editor.row)
            column.addWidget(error)
            form.addRow(label, holder)
            editor.connect(self._edited)
            self._rows[field.path] = _Row(field, label, editor, error)

    def _fill_json_editor(self) -> None:
        if not self._json_fields and not self._schema_problem:
            self.json_box.hide()
            return
        lines = [tr("These parameters cannot be shown as fields; enter them as JSON:")]
        for field in self._json_fields:
            where = ".".join(field.path)
            lines.append(f"• {field.title} ({where}){': ' + field.reason if field.reason else ''}")
        if self._schema_problem and not self._json_fields:
            lines = [tr("Enter the order parameters as JSON:")]
        self.json_hint.setText("\n".join(lines))
        skeleton: dict[str, Any] = {}
        for field in self._json_fields:
            if field.has_default:
                skeleton = _deep_merge(skeleton, self._nest(field.path, field.default))
        self.json_edit.setPlainText(json.dumps(skeleton, indent=2, ensure_ascii=False))
        self.json_box.show()

    @staticmethod
    def _nest(path: Path, value: Any) -> dict[str, Any]:
        node: Any = value
        for key in reversed(path):
            node = {key: node}
        return dict(node)

    # -- values -----------------------------------------------------------------------------

    def geometry_paths(self) -> list[Path]:
        """Where the caller puts the order's geometry (left out of the form and of values())."""
        return list(self._geometry)

    def _json_values(self) -> tuple[Optional[dict[str, Any]], str]:
        """The JSON editor's object, or None and why it cannot be read (line and column)."""
        if self.json_box.isHidden():
            return {}, ""
        text = self.json_edit.toPlainText()
        if not text.strip():
            return {}, ""
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            return None, tr("Not valid JSON: line {line}, column {column}: {reason}.").format(
                line=exc.lineno, column=exc.colno, reason=exc.msg
            )
        except RecursionError:
            return None, tr("Not valid JSON: nested too deeply.")
        if not isinstance(parsed, dict):
            return None, tr('The JSON must be an object in braces: {"name": value, …}.')
        return parsed, ""

    def values(self) -> dict[str, Any]:
        """Every value set in the form and the JSON editor; geometry and "not set" left out."""
        out: dict[str, Any] = {}
        for path, row in self._rows.items():
            is_set, value = row.editor.value()
            if is_set:
                out = _deep_merge(out, self._nest(path, value))
        extra, _ = self._json_values()
        if extra:
            out = _deep_merge(out, extra)
        for path in self._geometry:
            out = _without(out, [path])
        return out

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show ``values``: in their fields, else in the JSON editor (geometry ignored)."""
        shown: list[Path] = []
        for path, row in self._rows.items():
            present, value = _get(values, path)
            if not present:
                row.editor.clear()
            elif value is None and row.field.nullable:
                row.editor.clear()
                shown.append(path)
            elif row.editor.set_value(value):
                shown.append(path)
        rest = _without(values, [*shown, *self._geometry])
        if rest:
            if self.json_box.isHidden():
                self.json_hint.setText(tr("Values the fields above cannot show; they are sent as they are:"))
                self.json_box.show()
            self.json_edit.setPlainText(json.dumps(rest, indent=2, ensure_ascii=False))
        elif not self.json_box.isHidden():
            self.json_edit.setPlainText("{}")
        self.changed.emit()

    def _edited(self) -> None:
        self.changed.emit()

    def _json_changed(self) -> None:
        _, problem = self._json_values()
        self.json_error.show_message(problem)
        self.changed.emit()

    # -- checks -----------------------------------------------------------------------------

    def errors(self) -> list[FieldError]:
        """The problems of the current values (nothing shown); geometry not counted as missing."""
        problems: list[FieldError] = []
        json_problem = self._json_values()[1]
        if json_problem:
            problems.append(FieldError(JSON_PATH, json_problem))
        if self._schema_problem:
            problems += [
                FieldError(p, tr("{title}: is required").format(title=r.field.title))
                for p, r in self._rows.items()
                if r.field.required and not r.editor.value()[0]
            ]
            return problems
        try:
            problems += validate(self.schema, self.values(), skip=self._geometry)
        except SchemaError as exc:
            problems.append(FieldError(GENERAL_PATH, str(exc)))
        return problems

    def is_complete(self) -> bool:
        """Every required value set and nothing the schema refuses (geometry aside)."""
        return not self.errors()

    def validate(self) -> list[FieldError]:
        """Check the values and show the problems; returns them (empty: ready to send)."""
        problems = self.errors()
        self.show_errors(problems)
        return problems

    def show_errors(self, errors: Sequence[FieldError]) -> None:
        """Each message under its field (label red, field tinted), the first field focused.
        Problems of JSON-edited or unknown parameters go under the JSON editor or the form."""
        for each in self._rows.values():
            each.error.show_message("")
            each.label.setStyleSheet("")
            self._tint(each.editor.widget, False)
        for box in self._groups.values():
            box.setStyleSheet("")
        self.json_error.show_message(self._json_values()[1])
        self.general_error.show_message(self._schema_problem if self._schema_problem and not errors else "")
        first: Optional[QWidget] = None
        json_messages: list[str] = []
        general: list[str] = []
        for error in errors:
            row = self._row_for(tuple(error.path))
            if row is not None:
                own = f"{row.field.title}: "  # the label above already names the field
                text = error.message[len(own) :] if error.message.startswith(own) else error.message
                row.error.show_message(row.error.message + ("  " if row.error.message else "") + text)
                row.error.setToolTip(error.message)
                row.label.setStyleSheet(f"color: {ERROR_COLOUR};")  # colour only: bold changes the width
                self._tint(row.editor.widget, True)
                first = first or row.editor.widget
            elif tuple(error.path) == JSON_PATH or self._in_json(tuple(error.path)):
                json_messages.append(error.message)
                first = first or self.json_edit
            else:
                general.append(error.message)
        if json_messages:
            self.json_error.show_message("  ".join(json_messages))
        if general:
            self.general_error.show_message("  ".join(general))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self._scroll_to(first)

    def error_text(self, path: Sequence[str]) -> str:
        """The message shown for ``path`` (for tests and scripts)."""
        row = self._rows.get(tuple(path))
        if row is not None:
            return row.error.message
        if tuple(path) == JSON_PATH or self._in_json(tuple(path)):
            return self.json_error.message
        return self.general_error.message

    def widget_for(self, path: Sequence[str]) -> Optional[QWidget]:
        row = self._rows.get(tuple(path))
        return row.editor.widget if row is not None else None

    def _row_for(self, path: Path) -> Optional[_Row]:
        for depth in range(len(path), 0, -1):
            row = self._rows.get(path[:depth])
            if row is not None:
                return row
        return None

    def _in_json(self, path: Path) -> bool:
        return any(path[: len(f.path)] == f.path for f in self._json_fields) or (
            bool(path) and self._row_for(path) is None and not self.json_box.isHidden()
        )

    @staticmethod
    def _tint(widget: QWidget, on: bool) -> None:
        """A light red field background: a palette, not a border, so the size stays."""
        widget.setProperty("nadirError", on)
        palette = widget.palette()
        base = QColor("#fde7ea") if on else widget.style().standardPalette().color(QPalette.ColorRole.Base)
        palette.setColor(QPalette.ColorRole.Base, base)
        widget.setPalette(palette)

    def _scroll_to(self, widget: QWidget) -> None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
