"""SchemaForm (ui/tasking/schema_form.py) built from real UP42 schemas, driven through its
widgets, offscreen."""

from __future__ import annotations

import json

import jsonschema
import pytest
import shapely
from qgis.PyQt.QtCore import QDate, QDateTime, QPoint, QPointF, Qt, QTime
from qgis.PyQt.QtGui import QFont, QWheelEvent
from qgis.PyQt.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
)

from support.prism import contract_file


@pytest.fixture(scope="module")
def phr() -> dict:
    return json.loads(contract_file("up42/sdk-fixtures/data_product_schema_phr_tasking.json").read_text("utf-8"))


@pytest.fixture
def form_of(qgis_app):
    made = []

    def make(schema):
        from nadir.ui.tasking.schema_form import SchemaForm

        form = SchemaForm(schema)
        form.resize(520, 900)
        form.show()
        QApplication.processEvents()
        made.append(form)
        return form

    yield make
    for form in made:
        form.close()
        form.deleteLater()


def wheel(widget, steps: int = -1) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def label_of(form, widget) -> QLabel:
    return next(label for label in form.findChildren(QLabel) if label.buddy() is widget)


def fill_phr(form) -> None:
    """What an analyst does: type a name, pick dates in the calendar edits, choose a mode."""
    form.widget_for(("displayName",)).setText("Bavaria fields")
    start = QDateTime(QDate(2030, 6, 1), QTime(0, 0), Qt.TimeSpec.UTC)
    form.widget_for(("acquisitionStart",)).setDateTime(start)
    form.widget_for(("acquisitionEnd",)).setDateTime(start.addDays(30))
    mode = form.widget_for(("acquisitionMode",))
    mode.setCurrentIndex(mode.findText("STEREO"))
    form.widget_for(("cloudCoverage",)).setValue(15)
    form.widget_for(("incidenceAngle",)).setValue(30)


def test_phr_schema_gives_the_right_widgets(form_of, phr):
    form = form_of(phr)
    assert form.geometry_paths() == [("geometry",)]
    assert form.widget_for(("geometry",)) is None
    mode = form.widget_for(("acquisitionMode",))
    assert isinstance(mode, QComboBox)
    assert [mode.itemText(i) for i in range(mode.count())] == ["Choose…", "MONO", "STEREO", "TRISTEREO"]
    assert mode.itemData(2) == "stereo"
    cloud = form.widget_for(("cloudCoverage",))
    assert isinstance(cloud, QSpinBox) and cloud.maximum() == 20 and cloud.minimum() == 4  # 4 shows "not set"
    assert cloud.specialValueText() and cloud.value() == cloud.minimum()
    bh = form.widget_for(("minBH",))
    assert isinstance(bh, QDoubleSpinBox) and bh.maximum() == pytest.approx(0.8) and bh.decimals() >= 1
    start = form.widget_for(("acquisitionStart",))
    assert isinstance(start, QDateTimeEdit) and start.calendarPopup() and start.timeSpec() == Qt.TimeSpec.UTC
    assert isinstance(form.widget_for(("displayName",)), QLineEdit)
    required = label_of(form, form.widget_for(("displayName",)))
    assert required.text() == "Order name *" and required.font().weight() >= QFont.Weight.Bold
    optional = label_of(form, form.widget_for(("extraDescription",)))
    assert optional.text() == "Description" and optional.font().weight() < QFont.Weight.Bold
    assert "cloud coverage in percentage" in label_of(form, cloud).toolTip()
    delivered = form.widget_for(("deliveredAs",))
    assert delivered.currentText() == "DIMAP-GeoTIFF" and delivered.currentData() == "geotiff"  # default
    assert form.json_box.isHidden()


def test_values_from_the_widgets_validate_with_the_aoi_added(form_of, phr):
    from nadir.core.tasking.geometry import tasking_geometry
    from nadir.core.tasking.schema import validate

    form = form_of(phr)
    assert not form.is_complete()
    fill_phr(form)
    values = form.values()
    assert values["acquisitionStart"] == "2030-06-01T00:00:00Z"
    assert values["acquisitionMode"] == "stereo" and values["cloudCoverage"] == 15
    assert "minBH" not in values and "extraDescription" not in values  # not set: not sent
    assert "geometry" not in values
    assert form.is_complete() and form.validate() == []
    geometry = tasking_geometry(shapely.box(11.0, 48.0, 11.2, 48.1)).geojson()
    params = {**values, "geometry": geometry}
    assert validate(phr, params) == []
    assert list(jsonschema.Draft7Validator(phr).iter_errors(params)) == []  # an independent validator agrees


def test_optional_number_is_sent_only_once_chosen_and_clear_takes_it_back(form_of, phr):
    form = form_of(phr)
    changes = []
    form.changed.connect(lambda: changes.append(1))
    bh = form.widget_for(("minBH",))
    bh.setValue(0.35)
    assert form.values()["minBH"] == pytest.approx(0.35) and changes
    form._rows[("minBH",)].editor.clear_button.click()
    assert "minBH" not in form.values()


def test_set_values_round_trip_and_unknown_values_go_to_the_json_editor(form_of, phr):
    form = form_of(phr)
    fill_phr(form)
    first = form.values()
    other = form_of(phr)
    other.set_values({**first, "geometry": {"type": "Polygon"}, "priority": "high"})
    assert {k: v for k, v in other.values().items() if k != "priority"} == first
    assert not other.json_box.isHidden() and json.loads(other.json_edit.toPlainText()) == {"priority": "high"}
    errors = other.validate()
    assert [e.path for e in errors] == [("priority",)]
    assert "not a parameter of this product" in other.error_text(("priority",))


def test_an_invalid_value_is_shown_under_its_own_widget_and_focused(form_of, phr):
    form = form_of(phr)
    fill_phr(form)
    mode = form.widget_for(("acquisitionMode",))
    mode.setCurrentIndex(0)  # back to "Choose…"
    QApplication.setActiveWindow(form)
    QApplication.processEvents()
    errors = form.validate()
    assert [e.path for e in errors] == [("acquisitionMode",)]
    assert form.error_text(("acquisitionMode",)) == "is required"
    assert form.error_text(("cloudCoverage",)) == ""
    assert "color" in label_of(form, mode).styleSheet() and mode.property("nadirError")
    assert not form.widget_for(("cloudCoverage",)).property("nadirError")
    assert form.isActiveWindow() and mode.hasFocus()  # the first field with a problem
    # a server-side problem given by path lands next to that field too
    from nadir.core.tasking.schema import FieldError

    form.show_errors([FieldError(("cloudCoverage",), "Maximum cloud coverage (%): must be at most 20")])
    assert form.error_text(("cloudCoverage",)) == "must be at most 20"
    assert form.error_text(("acquisitionMode",)) == ""
    assert not mode.property("nadirError")


def test_messages_do_not_move_the_layout(form_of, phr):
    form = form_of(phr)
    widgets = [form.widget_for(p) for p in (("displayName",), ("cloudCoverage",), ("deliveredAs",))]
    before = [w.mapTo(form, QPoint(0, 0)) for w in widgets] + [w.size() for w in widgets]
    assert form.validate()  # several "is required" messages
    QApplication.processEvents()
    after = [w.mapTo(form, QPoint(0, 0)) for w in widgets] + [w.size() for w in widgets]
    assert after == before
    long = "x" * 500
    from nadir.core.tasking.schema import FieldError

    form.show_errors([FieldError(("displayName",), long)])
    QApplication.processEvents()
    assert [w.mapTo(form, QPoint(0, 0)) for w in widgets] + [w.size() for w in widgets] == before


def test_wheel_over_an_unfocused_spin_box_or_combo_changes_nothing(form_of, phr):
    form = form_of(phr)
    fill_phr(form)
    cloud = form.widget_for(("cloudCoverage",))
    mode = form.widget_for(("acquisitionMode",))
    form.widget_for(("displayName",)).setFocus()
    QApplication.processEvents()
    assert not cloud.hasFocus() and not mode.hasFocus()
    assert cloud.focusPolicy() == Qt.FocusPolicy.StrongFocus
    for _ in range(3):
        wheel(cloud, +1)
        wheel(mode, -1)
    QApplication.processEvents()
    assert cloud.value() == 15 and mode.currentData() == "stereo"


def test_what_the_form_cannot_show_goes_to_a_json_editor_checked_the_same_way(form_of):
    schema = {
        "type": "object",
        "required": ["level", "shape"],
        "definitions": {"node": {"type": "object", "properties": {"child": {"$ref": "#/definitions/node"}}}},
        "properties": {
            "level": {"type": "integer", "title": "Level", "minimum": 1, "maximum": 3, "default": 2},
            "shape": {
                "title": "Shape",
                "anyOf": [
                    {"type": "string", "maxLength": 3},
                    {"type": "object", "properties": {"w": {"type": "integer"}}},
                ],
            },
            "tree": {"$ref": "#/definitions/node"},
            "bands": {"type": "array", "title": "Bands", "items": {"enum": ["red", "nir", "swir"]}, "minItems": 1},
            "options": {
                "type": "object",
                "title": "Options",
                "properties": {"fast": {"type": "boolean", "title": "Fast"}},
            },
        },
    }
    form = form_of(schema)
    assert not form.json_box.isHidden()
    hint = form.json_hint.text()
    assert "Shape (shape)" in hint and "Child (tree.child)" in hint
    assert isinstance(form.widget_for(("bands",)), QListWidget)
    assert isinstance(form.widget_for(("options", "fast")), QCheckBox)
    assert any(box.title() == "Options" for box in form.findChildren(QGroupBox))
    # invalid JSON: said with line and column, nothing crashes, the form is incomplete
    form.json_edit.setPlainText('{\n  "shape": "abc",\n  oops\n}')
    assert "line 3, column 3" in form.json_error.message
    assert not form.is_complete()
    # valid JSON but a value the schema refuses: the message goes under the JSON editor
    form.json_edit.setPlainText('{"shape": "abcdef"}')
    bands = form.widget_for(("bands",))
    bands.item(1).setCheckState(Qt.CheckState.Checked)
    errors = form.validate()
    assert [e.path for e in errors] == [("shape",)]
    assert "Shape: does not match any of the allowed forms" in form.json_error.message
    form.json_edit.setPlainText('{"shape": {"w": 2}, "tree": {"child": {}}}')
    assert form.validate() == []
    assert form.values() == {"level": 2, "bands": ["nir"], "shape": {"w": 2}, "tree": {"child": {}}}
    assert "fast" not in json.dumps(form.values())  # the half-ticked box is "not set"


@pytest.mark.parametrize(
    "schema",
    [
        [],
        "text",
        {"type": "string"},
        {"$ref": "#/nowhere"},
        {"type": "object", "properties": {"a": {"type": "foo", "title": "Odd"}}},
        {"type": "object", "properties": {"a": {"type": "integer", "minimum": 1e300, "maximum": 1e301}}},
    ],
)
def test_a_schema_it_cannot_use_still_gives_a_form_and_a_message(form_of, schema):
    form = form_of(schema)
    assert form.general_error.message or not form.json_box.isHidden()
    form.json_edit.setPlainText('{"a": 1}')
    form.validate()
    assert isinstance(form.values(), dict)


def test_every_schema_the_sandbox_serves_builds_a_form(form_of):
    from sandbox.up42 import data

    for item in data.COLLECTIONS:
        form = form_of(data.product_schema(item))
        assert form.geometry_paths() == [(item.geometry_key,)]
        assert form.json_box.isHidden() and not form.general_error.message
    archive = next(item for item in data.COLLECTIONS if item.type == "ARCHIVE")
    form = form_of(data.product_schema(archive))
    form.widget_for(("id",)).setText("capture-1")
    assert form.values() == {"id": "capture-1"} and form.is_complete()


def test_date_time_output_is_utc_with_z_whatever_the_input_zone(form_of, phr):
    form = form_of(phr)
    edit = form.widget_for(("acquisitionStart",))
    local = QDateTime(QDate(2030, 1, 1), QTime(12, 0), Qt.TimeSpec.OffsetFromUTC, 2 * 3600)
    edit.setDateTime(local)
    assert form.values()["acquisitionStart"] == "2030-01-01T10:00:00Z"
    form.set_values({"acquisitionStart": "2030-03-04T05:06:07.890+01:00"})
    assert form.values()["acquisitionStart"] == "2030-03-04T04:06:07Z"
