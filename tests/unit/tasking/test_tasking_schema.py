"""A data product's JSON schema as form fields, and its checks (core/tasking/schema.py).

Real schemas: UP42's PHR tasking schema (SDK fixture) and the catalog schema the sandbox
serves from ``GET /orders/schema/{id}``."""

from __future__ import annotations

import copy
import json

import pytest

from nadir.core.errors import NadirError
from nadir.core.tasking.schema import FieldError, SchemaError, check_schema, fields, validate, walk
from support.prism import contract_file


@pytest.fixture(scope="module")
def phr() -> dict:
    return json.loads(contract_file("up42/sdk-fixtures/data_product_schema_phr_tasking.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def served() -> dict[str, dict]:
    """Every schema the sandbox serves, by collection name (tasking and catalog)."""
    from sandbox.up42 import data

    return {item.name: data.product_schema(item) for item in data.COLLECTIONS}


def by_path(schema: dict) -> dict:
    return {f.path: f for f in walk(fields(schema))}


def good_phr_values() -> dict:
    """The seed 002 example request's params, geometry left out (the caller adds it)."""
    return {
        "displayName": "My satellite tasking order",
        "acquisitionStart": "2022-08-01T00:00:00.000Z",
        "acquisitionEnd": "2022-10-01T00:00:00.000Z",
        "acquisitionMode": "mono",
        "cloudCoverage": 10,
        "incidenceAngle": 10,
        "geometricProcessing": "ortho",
        "spectralProcessing": "bundle",
        "pixelCoding": "12bits",
        "radiometricProcessing": "reflectance",
        "deliveredAs": "geotiff",
        "projection": "4326",
        "extraDescription": "Capture high resolution images over my AOI",
    }


# -- fields() on the real schemas ---------------------------------------------------------------


def test_phr_tasking_schema_gives_every_parameter_with_its_kind_title_and_bounds(phr):
    got = by_path(phr)
    assert [f.path[0] for f in fields(phr)] == list(phr["properties"])
    assert got[("geometry",)].kind == "geometry" and got[("geometry",)].geometry_types == ("Polygon",)
    assert got[("geometry",)].required
    assert got[("displayName",)].kind == "string" and got[("displayName",)].title == "Order name"
    assert got[("acquisitionStart",)].kind == "datetime" and got[("acquisitionStart",)].required
    cloud = got[("cloudCoverage",)]
    assert (cloud.kind, cloud.minimum, cloud.maximum, cloud.title) == ("integer", 5, 20, "Maximum cloud coverage (%)")
    assert cloud.description == "Maximum allowed cloud coverage in percentage."
    bh = got[("minBH",)]
    assert (bh.kind, bh.minimum, bh.maximum, bh.required) == ("number", 0.2, 0.8, False)
    # allOf -> $ref -> anyOf of consts: an enum with the branch titles, the property's own title
    mode = got[("acquisitionMode",)]
    assert mode.kind == "enum" and mode.title == "Acquisition mode"
    assert [(c.value, c.title) for c in mode.choices] == [
        ("mono", "MONO"),
        ("stereo", "STEREO"),
        ("tristereo", "TRISTEREO"),
    ]
    assert not mode.has_default  # "default": null means none
    pixel = got[("pixelCoding",)]
    assert pixel.has_default and pixel.default == "12bits"
    assert pixel.choices[0].title == "12 bits (JPEG 2000) / 16 bits (GeoTIFF)"
    assert not got[("projection",)].required and got[("projection",)].default == "4326"


def test_every_served_schema_reads_without_unsupported_parts(served):
    for name, schema in served.items():
        tree = list(walk(fields(schema)))
        assert tree, name
        assert [f.path for f in tree if f.kind == "unsupported"] == [], name
        check_schema(schema)


def test_catalog_schema_polygon_or_multipolygon_aoi_is_one_geometry_field(served):
    archive = next(s for s in served.values() if "aoi" in s["properties"])
    got = by_path(archive)
    assert got[("aoi",)].kind == "geometry"
    assert got[("aoi",)].geometry_types == ("MultiPolygon", "Polygon")
    assert got[("id",)].kind == "string" and got[("id",)].min_length == 1


# -- constructs ---------------------------------------------------------------------------------


def test_ref_chains_allof_merge_and_sibling_title_wins():
    schema = {
        "type": "object",
        "definitions": {
            "a": {"$ref": "#/definitions/b", "title": "A title"},
            "b": {"$ref": "#/$defs/c"},
        },
        "$defs": {"c": {"type": "integer", "minimum": 0, "maximum": 90, "title": "deep"}},
        "properties": {
            "angle": {"title": "Incidence angle", "$ref": "#/definitions/a"},
            "merged": {
                "allOf": [
                    {"type": "number", "minimum": 1, "maximum": 50},
                    {"minimum": 5, "maximum": 100, "description": "from the second"},
                ]
            },
        },
    }
    got = by_path(schema)
    angle = got[("angle",)]
    assert (angle.kind, angle.title, angle.minimum, angle.maximum) == ("integer", "Incidence angle", 0, 90)
    merged = got[("merged",)]
    assert (merged.kind, merged.minimum, merged.maximum, merged.description) == ("number", 5, 50, "from the second")
    assert merged.title == "Merged"  # no title: made from the key


def test_nullable_types_and_anyof_null_branches():
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": ["integer", "null"], "maximum": 3},
            "b": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
            "c": {"enum": ["x", "y", None]},
            "d": {"oneOf": [{"const": 1, "title": "one"}, {"const": 2}]},
        },
    }
    got = by_path(schema)
    assert (got[("a",)].kind, got[("a",)].nullable, got[("a",)].maximum) == ("integer", True, 3)
    assert (got[("b",)].kind, got[("b",)].nullable) == ("datetime", True)
    assert got[("c",)].kind == "enum" and got[("c",)].nullable and [c.value for c in got[("c",)].choices] == ["x", "y"]
    assert [(c.value, c.title) for c in got[("d",)].choices] == [(1, "one"), (2, "2")]


def test_recursive_ref_becomes_unsupported_and_does_not_loop():
    schema = {
        "type": "object",
        "definitions": {
            "node": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "child": {"$ref": "#/definitions/node"}},
            },
            "loop": {"$ref": "#/definitions/loop"},
        },
        "properties": {"tree": {"$ref": "#/definitions/node"}, "loop": {"$ref": "#/definitions/loop"}},
    }
    got = by_path(schema)
    assert got[("tree",)].kind == "object"
    assert got[("tree", "name")].kind == "string"
    assert got[("tree", "child")].kind == "unsupported" and "itself" in got[("tree", "child")].reason
    assert got[("loop",)].kind == "unsupported"
    deep = {"tree": {"child": {"child": {"name": 5}}}}
    assert validate(schema, deep) == [
        FieldError(("tree", "child", "child", "name"), "tree.child.child.name: must be a text")
    ]


def test_unknown_constructs_are_unsupported_with_a_reason():
    schema = {
        "type": "object",
        "properties": {
            "weird": {"type": "foo"},
            "notype": {"title": "No type"},
            "shapes": {"anyOf": [{"type": "string"}, {"type": "object", "properties": {"x": {"type": "integer"}}}]},
            "free": {"type": "object"},
            "tuple": {"type": "array", "items": [{"type": "string"}]},
            "remote": {"$ref": "https://example.com/schema.json"},
            "dangling": {"$ref": "#/definitions/missing"},
            "bad": 5,
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
        },
    }
    got = by_path(schema)
    for name in ("weird", "notype", "shapes", "free", "tuple", "remote", "dangling", "bad"):
        assert got[(name,)].kind == "unsupported", name
        assert got[(name,)].reason, name
    assert "foo" in got[("weird",)].reason
    assert "another document" in got[("remote",)].reason
    assert got[("tags",)].kind == "array" and got[("tags", "*")].kind == "enum"


@pytest.mark.parametrize(
    "schema", [[], "text", None, {"type": "string"}, {"properties": []}, {"$ref": "#/nowhere"}, {"$ref": 5}]
)
def test_malformed_schema_raises_a_project_error_only(schema):
    with pytest.raises(SchemaError) as caught:
        fields(schema)
    assert isinstance(caught.value, NadirError)
    assert "schema" in str(caught.value)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "properties": {"a": {"type": "foo"}}},
        {"type": "object", "properties": {"a": {"type": "integer", "minimum": "x"}}},
        {"type": "object", "properties": {"a": {"$ref": "#/definitions/missing"}}},
        {"type": "object", "properties": {"a": {"$ref": "http://127.0.0.1:9/never.json"}}},
        {"type": "object", "properties": {"a": {"enum": {1, 2}}}},  # not JSON at all
    ],
)
def test_validate_refuses_an_unusable_schema_with_a_project_error(schema):
    assert fields(schema)[0].kind in ("unsupported", "integer")  # the form still shows what it can
    with pytest.raises(SchemaError):
        validate(schema, {"a": 1})


# -- validate() ---------------------------------------------------------------------------------


def test_seed_example_values_are_valid_geometry_left_to_the_caller(phr):
    assert validate(phr, good_phr_values(), skip=[("geometry",)]) == []
    errors = validate(phr, good_phr_values())
    assert errors == [FieldError(("geometry",), "Geometry: is required")]


def test_every_wrong_field_is_named_at_once_in_analyst_words(phr):
    values = good_phr_values()
    values.update(
        cloudCoverage=50, incidenceAngle="steep", acquisitionMode="quad", acquisitionStart="2025-06-01", extra=1
    )
    del values["displayName"]
    errors = {e.path: e.message for e in validate(phr, values, skip=[("geometry",)])}
    assert errors == {
        ("cloudCoverage",): "Maximum cloud coverage (%): must be at most 20",
        ("incidenceAngle",): "Maximum incidence angle (°): must be a whole number",
        ("acquisitionMode",): "Acquisition mode: must be one of: MONO, STEREO, TRISTEREO",
        ("acquisitionStart",): "Start: must be a date and time with a time zone (ISO 8601, e.g. 2025-06-01T00:00:00Z)",
        ("displayName",): "Order name: is required",
        ("extra",): "extra: is not a parameter of this product; remove it",
    }


def test_errors_come_in_form_order(phr):
    values = good_phr_values()
    values.update(deliveredAs="png", cloudCoverage=1, acquisitionStart="soon")
    assert [e.path[0] for e in validate(phr, values, skip=[("geometry",)])] == [
        "acquisitionStart",
        "cloudCoverage",
        "deliveredAs",
    ]


def test_nested_objects_and_arrays_point_at_the_inner_field():
    schema = {
        "type": "object",
        "properties": {
            "options": {
                "type": "object",
                "title": "Options",
                "required": ["level"],
                "properties": {
                    "level": {"type": "integer", "title": "Level", "exclusiveMinimum": 0, "maximum": 3},
                    "bands": {"type": "array", "title": "Bands", "minItems": 1, "items": {"enum": ["red", "nir"]}},
                },
            },
        },
    }
    errors = validate(schema, {"options": {"level": 0, "bands": []}})
    assert {e.path: e.message for e in errors} == {
        ("options", "level"): "Level: must be more than 0",
        ("options", "bands"): "Bands: needs at least one choice",
    }
    missing = validate(schema, {"options": {}})
    assert missing == [FieldError(("options", "level"), "Level: is required")]


def test_conditional_rules_of_the_whole_schema_are_reported_too():
    schema = {
        "type": "object",
        "properties": {"mode": {"enum": ["mono", "stereo"]}, "bh": {"type": "number"}},
        "if": {"properties": {"mode": {"const": "mono"}}},
        "then": {"properties": {"bh": {"maximum": 0}}},
    }
    errors = validate(schema, {"mode": "mono", "bh": 0.5})
    assert errors == [FieldError(("bh",), "Bh: must be at most 0")]
    assert validate(schema, {"mode": "stereo", "bh": 0.5}) == []


def test_compiled_once_per_schema(phr):
    from nadir.core.tasking import schema as module

    module._compiled.cache_clear()
    for _ in range(3):
        validate(copy.deepcopy(phr), good_phr_values(), skip=[("geometry",)])
    first = module._compiled.cache_info()
    validate(phr, good_phr_values(), skip=[("geometry",)])
    assert module._compiled.cache_info().misses == first.misses  # nothing compiled again
    assert first.hits > 0


def test_exclusive_bounds_both_drafts_and_the_lowest_value_a_spin_box_may_take():
    schema = {
        "type": "object",
        "properties": {
            "new": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10},
            "old": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1},
        },
    }
    got = by_path(schema)
    assert (got[("new",)].exclusive_minimum, got[("new",)].lowest, got[("new",)].highest) == (0, 1, 9)
    old = got[("old",)]
    assert (old.minimum, old.exclusive_minimum, old.maximum) == (None, 0, 1)
    assert validate(schema, {"new": 10, "old": 0}) == [
        FieldError(("new",), "New: must be less than 10"),
        FieldError(("old",), "Old: must be more than 0"),
    ]


def test_a_schema_nested_deeper_than_python_recurses_is_a_project_error():
    node: dict = {"type": "integer"}
    for _ in range(600):
        node = {"type": "object", "properties": {"n": node}}
    with pytest.raises(SchemaError, match="nested too deeply"):
        fields(node)
    with pytest.raises(SchemaError):
        validate(node, {"n": {"n": 1}})
