"""AOI text on hostile input: only an :class:`InputError` (or refused features) comes out.

Issue 15: an outside audit found inputs that raised ``TypeError``/``ValueError``/
``OverflowError``/``RecursionError`` out of :func:`core.aoi.text.read_text`. The table
here is systematic: for each shape Nadir reads (GeoJSON geometry, Feature,
FeatureCollection, GeometryCollection, Esri JSON and its feature sets, ClearSKY's
wrapper, bare bboxes and rings) every node of a valid document is replaced, one at a
time, by each hostile value (wrong types, NaN, Infinity, 1e400, 10**400, huge numbers,
deep nesting...). WKT and whole-text oddities (BOMs, NULs, empty text, deep nesting)
have their own table.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import pytest

from nadir.core.aoi.build import build_aois
from nadir.core.aoi.text import read_text
from nadir.core.errors import InputError, NadirError

SQUARE = [[10.0, 50.0], [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0]]
ESRI_SQUARE = list(reversed(SQUARE))  # clockwise: an outer ring

#: Raw JSON text put in place of a node (some cannot be made by json.dumps).
RAW = {
    "NAN": "NaN",
    "INF": "Infinity",
    "NEG_INF": "-Infinity",
    "E400": "1e400",
    "INT400": "1" + "0" * 400,
    "INT5000": "9" * 5000,  # json.loads itself refuses (int max str digits)
    "DEEP_LIST": "[" * 600 + "]" * 600,
    "DEEP_LIST_990": "[" * 990 + "]" * 990,
    "DEEP_NUMBER_LIST": "[" * 900 + "1" + "]" * 900,
    "DEEP_DICT": '{"geometry":' * 600 + "null" + "}" * 600,
    "DEEP_AOI": '{"aoi":' * 400 + "[" * 400 + "]" * 400 + "}" * 400,
    "DEEP_GC": '{"type":"GeometryCollection","geometries":[' * 400 + "]}" * 400,
    "DEEP_FC": '{"type":"FeatureCollection","features":[' * 400 + "]}" * 400,
    "DEEP_WKT_TEXT": json.dumps("GEOMETRYCOLLECTION(" * 3000 + ")" * 3000),
}

HOSTILE: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    5,
    1.5,
    1e308,
    -1e308,
    "",
    "a",
    "12.5",
    "POLYGON((",
    " ",
    "\x00",
    "\ufeff",
    [],
    [[]],
    [None],
    ["a"],
    [1],
    [1, "a"],
    [[1, "a"]],
    [True, False, True, False],
    ["a", "b", "c", "d"],
    [0, "a", 1, 1],
    [3, 0, "a", 1],
    [0, 0, None, 1],
    [1, 2, 3, 4, 5, 6],
    [0, 0, "x", 1, 1, 1],
    {},
    {"a": 1},
    {"type": None},
    {"type": []},
    {"type": {}},
    {"type": "Polygon"},
    {"type": "Polygon", "coordinates": None},
    {"type": "FeatureCollection", "features": 5},
    {"rings": 5},
    {"rings": [5]},
    {"rings": [[5]]},
    {"features": {"a": 1}},
    {"geometries": 5},
    *RAW,
]


def documents() -> dict[str, Any]:
    polygon = {"type": "Polygon", "coordinates": [SQUARE]}
    feature = {"type": "Feature", "properties": {"name": "Field"}, "geometry": polygon}
    esri = {"rings": [ESRI_SQUARE], "spatialReference": {"wkid": 4326}}
    return {
        "polygon": polygon,
        "multipolygon": {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
        "feature": feature,
        "collection": {
            "type": "FeatureCollection",
            "features": [feature],
            "crs": {"type": "name", "properties": {"name": "EPSG:4326"}},
        },
        "geometry_collection": {"type": "GeometryCollection", "geometries": [polygon]},
        "esri": esri,
        "esri_featureset": {
            "features": [{"attributes": {"name": "A"}, "geometry": esri}],
            "spatialReference": {"wkid": 4326},
        },
        "clearsky": {"GeoJson": polygon, "Wkt": None, "name": "x"},
        "wkt_wrapper": {"Wkt": "POLYGON((10 50, 10.1 50, 10.1 50.1, 10 50))"},
        "bbox": [10.0, 50.0, 10.1, 50.1],
        "bbox_key": {"bbox": [10.0, 50.0, 10.1, 50.1]},
        "ring": SQUARE,
        "list": [polygon, feature],
    }


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> str:
    """The document as JSON text with the node at ``path`` replaced by ``value``."""
    marker = "__nadir_raw__"
    if not path:
        root: Any = marker if isinstance(value, str) and value in RAW else value
    else:
        root = json.loads(json.dumps(document))
        parent = root
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = marker if isinstance(value, str) and value in RAW else value
    text = json.dumps(root)
    if isinstance(value, str) and value in RAW:
        text = text.replace(json.dumps(marker), RAW[value])
    return text


def outcome(text: str) -> str:
    """'ok', or the name of the exception that escaped (InputError is fine)."""
    try:
        result = build_aois(read_text(text), "pasted", "Pasted")
    except NadirError:
        return "ok"
    except Exception as exc:  # reported, not raised: the test lists every escape
        return f"{type(exc).__name__}: {str(exc)[:80]}"
    for aoi in result.aois:  # what was accepted is a usable area
        if not (math.isfinite(aoi.area_km2) and aoi.area_km2 > 0):
            return f"accepted an AOI with area {aoi.area_km2}"
    return "ok"


@pytest.mark.parametrize("name", sorted(documents()))
def test_every_node_replaced_by_every_hostile_value_gives_only_input_errors(name):
    document = documents()[name]
    assert outcome(json.dumps(document)) == "ok"
    assert build_aois(read_text(json.dumps(document)), "pasted", "Pasted").aois, "the unmutated document reads"
    escapes = {}
    count = 0
    for path in paths(document):
        for value in HOSTILE:
            text = replaced(document, path, value)
            count += 1
            result = outcome(text)
            if result != "ok":
                escapes[f"{list(path)} = {value if not isinstance(value, str) else repr(value)[:40]}"] = result
    assert not escapes, f"{len(escapes)} of {count} inputs raised:\n" + "\n".join(
        f"  {k}: {v}" for k, v in list(escapes.items())[:40]
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\ufeff",
        "\ufeff\ufeff",
        "\x00",
        "\ufeff{}",
        "{}",
        "[]",
        "null",
        "true",
        "5",
        '"x"',
        "[null]",
        "{",
        "[",
        "]",
        '{"a":',
        "\ufeffPOLYGON((0 0, 1 0, 1 1, 0 0))",
        "\x00POLYGON((0 0, 1 0, 1 1, 0 0))",
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        "[" * 995 + "]" * 995,
        "[" * 990 + "1" + "]" * 990,
        '{"type":"Feature","properties":{"name":' + "9" * 5000 + '},"geometry":null}',
        '{"rings":[],"spatialReference":{"wkid":' + "9" * 5000 + "}}",
        '{"type":"Polygon","coordinates":[[[0,0],[1,0],[' + "1" + "0" * 400 + ",1],[0,0]]]}",
        "[0, 0, " + "1" + "0" * 400 + ", 1]",
        '{"rings":[[[0,0],[0,1],[NaN,1],[1,0],[0,0]]]}',
        '{"rings":[[[0,0],[0,1],[1,1],[1,0],[0,0]],[[NaN,NaN],[NaN,1],[1,1],[NaN,NaN]]]}',
        '{"rings":[[[0,0],[0,1],[1e400,1],[1,0],[0,0]]]}',
        '{"rings":[[[0,0],[0,1],[1e308,1e308],[1,0],[0,0]]]}',
        '{"rings":[[[0,0],[0,1],["1",1],[1,0],[0,0]]]}',
        '{"rings":[[[0,0],[0,1]]]}',
        # WKT
        "POLYGON",
        "POLYGON(",
        "POLYGON((",
        "POLYGON(())",
        "POLYGON((1,,,))",
        "POLYGON EMPTY",
        "SRID=4326;",
        "SRID=" + "9" * 5000 + ";POLYGON((0 0, 1 0, 1 1, 0 0))",
        "POLYGON((0 0, 1 0, nan 1, 0 0))",
        "POLYGON((0 0, 1 0, inf 1, 0 0))",
        "POLYGON((0 0, 1 0, 1e400 1, 0 0))",
        "POLYGON((0 0, 1 0, " + "9" * 500 + " 1, 0 0))",
        "POLYGON((0 0, 1 0, 1e 1, 0 0))",
        "POLYGON((0 0, 1 0, \u0661 1, 0 0))",
        "POLYGON((0 0, 1 0, \u00b2 1, 0 0))",
        "POLYGON Z((0 0, 1 0, 1 1, 0 0))",
        "POLYGON((0 0 0 0 0, 1 0 0 0 0, 1 1 0 0 0, 0 0 0 0 0))",
        "GEOMETRYCOLLECTION(" * 100_000 + ")" * 100_000,
        "GEOMETRYCOLLECTION(" * 2000 + "POLYGON((0 0, 1 0, 1 1, 0 0))" + ")" * 2000,
        "MULTIPOLYGON(" + "(" * 50_000 + ")" * 50_000,
        "POLYGON" + "(" * 100_000,
        "POINT(" + "(" * 100_000 + ")" * 100_000,
        "POLYGON((0 0, 1 0, 1 1, 0 0)) ;;; ,,,",
        "MULTIPOLYGON(EMPTY)",
    ],
    ids=lambda text: repr(text[:40]) + (f"...{len(text)}" if len(text) > 40 else ""),
)
def test_hostile_text_gives_only_input_errors(text):
    assert outcome(text) == "ok"


def test_a_deep_json_text_says_it_is_nested_too_deeply():
    with pytest.raises(InputError, match="nested too deeply"):
        read_text("[" * 800 + "]" * 800)


def test_a_huge_integer_is_a_coordinate_not_a_number_problem():
    text = '{"type":"Polygon","coordinates":[[[0,0],[1,0],[' + "1" + "0" * 400 + ",1],[0,0]]]}"
    result = build_aois(read_text(text), "pasted", "Pasted")
    assert not result.aois
    assert "not a number" in result.refused[0].message or "outside" in result.refused[0].message


def test_a_bbox_of_words_is_refused_with_the_reason():
    result = build_aois(read_text('[0, "a", 1, 1]'), "pasted", "Pasted")
    assert not result.aois
    assert result.refused[0].message.startswith('The bounding box [0, "a", 1, 1] is not 4 numbers')


def test_a_feature_collection_whose_features_are_no_list_is_refused_with_the_reason():
    result = build_aois(read_text('{"type": "FeatureCollection", "features": 5}'), "pasted", "Pasted")
    assert 'The FeatureCollection\'s "features" is 5, not a list of features.' == result.refused[0].message


def test_esri_rings_with_nan_name_the_vertex():
    text = '{"rings":[[[0,0],[0,1],[NaN,1],[1,0],[0,0]]]}'
    problem = build_aois(read_text(text), "pasted", "Pasted").refused[0]
    assert problem.message == "A coordinate is not a number."
    assert (problem.where.ring, problem.where.vertex) == (1, 3)


def test_deep_geometry_collections_in_wkt_are_refused_with_the_reason():
    with pytest.raises(InputError, match="nested more than 32 deep"):
        read_text("GEOMETRYCOLLECTION(" * 2000 + "POLYGON((0 0, 1 0, 1 1, 0 0))" + ")" * 2000)


def test_a_big_text_naming_a_placeholder_is_read_the_ordinary_way():
    """Texts over BIG_TEXT have their big arrays swapped for placeholder strings; a text
    that already holds such a string raised IndexError instead of being refused."""
    ring = [[10.0 + 0.1 * math.cos(t / 1e4), 50.0 + 0.1 * math.sin(t / 1e4)] for t in range(62_800)]
    ring.append(ring[0])
    big = {"type": "Polygon", "coordinates": [ring]}
    extra = {"type": "Polygon", "coordinates": "__nadir_coordinates_7__"}
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"name": "big"}, "geometry": big},
                {"type": "Feature", "properties": {"name": "odd"}, "geometry": extra},
            ],
        }
    )
    assert len(text) > 2_000_000
    result = build_aois(read_text(text), "pasted", "Pasted")
    assert [a.name for a in result.aois] == ["big"]
    assert result.refused[0].message == "A polygon is not a list of rings."


def test_true_or_false_anywhere_in_a_ring_is_not_read_as_one_or_zero():
    """Found by test_properties_parsers: only the first position was checked for booleans."""
    text = json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [True, 0], [1, 1], [0, 1], [0, 0]]]})
    problem = build_aois(read_text(text), "pasted", "Pasted").refused[0]
    assert problem.message == "Position [true, 0] is not [longitude, latitude]."
    assert problem.where.vertex == 2


def test_a_name_with_a_lone_surrogate_is_made_writable():
    text = json.dumps(
        {
            "type": "Feature",
            "properties": {"name": "Field \ud800"},
            "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
        }
    )
    [aoi] = build_aois(read_text(text), "pasted", "Pasted").aois
    assert aoi.name == "Field ?"
    aoi.name.encode("utf-8")
