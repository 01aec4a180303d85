"""Property-based tests of the AOI text parsers (issue 15): generated and mutated GeoJSON,
Esri JSON, bboxes, ClearSKY wrappers and WKT, of which only :class:`InputError` (or a
refused feature) may come out, never another exception.

KML is not text-parsed by Nadir (GDAL/OGR reads it, in ``toolbelt.aoi.files``), so it is
not here. Examples: see ``support.properties`` (profile ``ci``: derandomized, no deadline).
"""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from nadir.core.aoi.build import build_aois
from nadir.core.aoi.text import read_text
from nadir.core.errors import NadirError
from support.aoi_data import read
from support.properties import HOSTILE_SCALARS, damaged_text, dumps, examples, json_values, mutated, scalars

JSON_SEEDS = (
    "fields.geojson",
    "feature.json",
    "geometry.json",
    "clearsky_request.json",
    "esri.json",
    "fiji_jumping.geojson",
    "points_lines.geojson",
    "overlapping_parts.geojson",
    "tiny.geojson",
)
TEXT_SEEDS = (*JSON_SEEDS, "field.wkt", "several.txt", "bowtie.wkt", "projected.wkt", "chukotka_continued.wkt")
SEEDS = {name: read(name) for name in TEXT_SEEDS}


def only_nadir_errors(text: str) -> None:
    """Read and build ``text``: returns normally or raises a NadirError, else the test fails
    with the exception (Hypothesis shrinks the input and prints it)."""
    try:
        result = build_aois(read_text(text), "pasted", "Pasted")
    except NadirError as error:
        assert error.message and error.message[0].isupper(), error.message
        return
    for aoi in result.aois:  # an AOI without area is kept only when invalid, with a repair offered
        assert math.isfinite(aoi.area_km2) and (aoi.area_km2 > 0 or not aoi.valid), aoi
    for problem in result.refused:
        assert problem.message and problem.is_error, problem


@examples(300)
@given(st.data())
def test_mutated_geojson_and_esri_documents(data):
    name = data.draw(st.sampled_from(JSON_SEEDS), label="seed")
    only_nadir_errors(dumps(data.draw(mutated(json.loads(SEEDS[name])), label="document")))


@examples(60)
@given(st.data())
def test_damaged_texts(data):
    name = data.draw(st.sampled_from(TEXT_SEEDS), label="seed")
    only_nadir_errors(data.draw(damaged_text(SEEDS[name]), label="text"))


@examples(80)
@given(json_values)
def test_any_json_value(value):
    only_nadir_errors(dumps(value))


@examples(60)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "type",
                "coordinates",
                "features",
                "geometry",
                "geometries",
                "rings",
                "bbox",
                "properties",
                "attributes",
                "crs",
                "spatialReference",
                "Wkt",
                "GeoJson",
                "aoi",
                "name",
            ]
        ),
        st.one_of(
            json_values,
            st.sampled_from(["Polygon", "MultiPolygon", "Feature", "FeatureCollection", "GeometryCollection"]),
        ),
        max_size=6,
    )
)
def test_objects_with_the_keys_the_reader_looks_for(value):
    only_nadir_errors(dumps(value))


@examples(60)
@given(st.lists(st.one_of(scalars, st.sampled_from(HOSTILE_SCALARS)), min_size=4, max_size=6))
def test_bounding_boxes_of_anything(values):
    only_nadir_errors(dumps(values))


WKT_TOKENS = (
    "POLYGON",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
    "POINT",
    "LINESTRING",
    "CURVEPOLYGON",
    "EMPTY",
    "Z",
    "M",
    "ZM",
    "SRID=4326;",
    "(",
    "(",
    ")",
    ")",
    ",",
    ", ",
    " ",
    " ",
    "0",
    "1",
    "10.5",
    "-3",
    "1e400",
    "nan",
    "inf",
    "1e",
    "\n",
    ";",
    "x",
    "\u0661",
    "9" * 30,
)


@examples(150)
@given(st.lists(st.sampled_from(WKT_TOKENS), max_size=40).map("".join))
def test_wkt_made_of_wkt_tokens(text):
    only_nadir_errors(text)


@examples(60)
@given(st.text(max_size=200))
def test_any_text(text):
    only_nadir_errors(text)
