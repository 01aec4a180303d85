"""Repair, simplification, split, dissolve, and the per-provider rules table."""

from __future__ import annotations

import pytest
import shapely

from nadir.core.aoi import rules as aoi_rules
from nadir.core.aoi.build import (
    build_aois,
    dissolve,
    repair_preview,
    simplify_preview,
    split_into_polygons,
    with_geometry,
)
from nadir.core.aoi.geometry import repair_geometry, simplify_to_budget
from nadir.core.aoi.model import Code, Fix, Severity
from nadir.core.aoi.text import read_text
from nadir.core.errors import InputError
from nadir.core.provider_info import PROVIDERS
from support.aoi_data import read


def one(text: str):
    return build_aois(read_text(text), "t", "AOI").aois[0]


def test_bow_tie_repair_returns_the_repaired_shape_and_what_changed():
    aoi = one(read("bowtie.wkt"))
    preview = repair_preview(aoi)
    assert preview.geometry.is_valid and preview.polygons_after == 2 and preview.polygons_before == 1
    assert preview.area_after_km2 > 0 and "Repaired: 2 polygons (was 1)" in preview.describe()
    repaired = with_geometry(aoi, preview.geometry)
    assert repaired.valid and repaired.id == aoi.id
    assert repaired.area_km2 == pytest.approx(preview.area_after_km2)


def test_repair_merges_overlapping_parts_and_closes_unclosed_rings():
    overlapping = one(read("overlapping_parts.geojson"))
    merged = repair_preview(overlapping)
    assert merged.polygons_after == 1 and merged.area_after_km2 < merged.area_before_km2
    unclosed = one(read("unclosed.wkt"))
    fixed = with_geometry(unclosed, repair_preview(unclosed).geometry)
    assert fixed.valid and fixed.area_km2 == pytest.approx(unclosed.area_km2)


def test_repair_of_a_line_like_outline_says_nothing_is_left():
    with pytest.raises(InputError, match="Nothing with an area"):
        repair_geometry(shapely.from_wkt("POLYGON((0 0, 1 1, 2 2, 0 0))"))


def test_up42_vertex_limit_offers_simplification_within_a_stated_tolerance():
    aoi = one(read("up42_too_many_vertices.geojson"))
    assert aoi.vertex_count == 1201
    problems = aoi_rules.check(aoi, "up42")
    assert [p.code for p in problems] == [Code.TOO_MANY_VERTICES]
    assert problems[0].fixable is Fix.SIMPLIFY and "999" in problems[0].message and "1,201" in problems[0].message
    result = simplify_preview(aoi, 999)
    assert result.vertices_after <= 999 and result.vertices_before == 1201
    assert 0 < result.max_deviation_m <= result.tolerance_m < 5  # a 5.5 km circle needs well under 5 m
    assert abs(result.area_change_percent) < 0.01
    simplified = with_geometry(aoi, result.geometry)
    assert simplified.valid and aoi_rules.check(simplified, "up42") == []
    assert "Simplified from 1,201 to" in result.describe() and "tolerance" in result.describe()


def test_simplification_that_cannot_fit_says_why():
    aoi = one(read("up42_too_many_vertices.geojson"))
    with pytest.raises(InputError, match=r"within 1\.0 m"):
        simplify_to_budget(aoi.geometry, 20, max_tolerance_m=1.0)
    islands = shapely.MultiPolygon([shapely.box(i, 0, i + 0.5, 0.5) for i in range(300)])
    with pytest.raises(InputError, match="300 rings"):
        simplify_to_budget(islands, 999)


def test_simplifying_a_million_vertices_takes_seconds_not_minutes(tmp_path):
    from support.aoi_data import big_polygon_geojson

    aoi = one(big_polygon_geojson(tmp_path / "m.geojson").read_text(encoding="utf-8"))
    result = simplify_to_budget(aoi.geometry, 999)
    assert result.vertices_after <= 999 and result.geometry.is_valid
    assert result.max_deviation_m == result.tolerance_m or result.max_deviation_m <= result.tolerance_m


def test_split_and_dissolve():
    aoi = one(read("chukotka_continued.wkt"))
    parts = split_into_polygons(aoi)
    assert [p.name for p in parts] == ["AOI 1", "AOI 2"] and len({p.id for p in parts}) == 2
    assert sum(p.area_km2 for p in parts) == pytest.approx(aoi.area_km2)
    merged = dissolve(parts, "Chukotka", "dissolved")
    assert merged.polygon_count == 2 and merged.area_km2 == pytest.approx(aoi.area_km2)
    field = one(read("field.wkt"))
    assert split_into_polygons(field) == [field]


def test_rules_table_covers_every_provider_and_cites_its_source():
    assert set(aoi_rules.RULES) == set(PROVIDERS)
    assert all(rule.source for rule in aoi_rules.RULES.values())
    with pytest.raises(KeyError, match="known"):
        aoi_rules.rules_for("nope")


def test_tiny_aoi_is_too_small_for_oneatlas_and_billed_as_1_km2_by_clearsky():
    aoi = one(read("tiny.geojson"))
    assert 0.01 < aoi.area_km2 < 0.1
    checks = aoi_rules.check_all(aoi)
    (oneatlas,) = checks["oneatlas"]
    assert oneatlas.code == Code.TOO_SMALL and oneatlas.is_error and "0.100 km²" in oneatlas.message
    (clearsky,) = checks["clearsky"]
    assert clearsky.code == Code.BILLED_MINIMUM and clearsky.severity is Severity.WARNING
    assert "1.000 km²" in clearsky.message
    assert checks["geopera"] == [] and checks["up42"] == []
    assert not aoi_rules.accepts(aoi, "oneatlas") and aoi_rules.accepts(aoi, "clearsky")


def test_account_maximum_is_applied_when_known():
    aoi = one(read("field.wkt"))
    assert aoi_rules.check(aoi, "clearsky") == []
    (too_large,) = aoi_rules.check(aoi, "clearsky", max_area_km2=1.0)
    assert too_large.code == Code.TOO_LARGE and "up to 1.000 km²" in too_large.message


def test_up42_takes_one_polygon_and_offers_a_split():
    aoi = one(read("chukotka_continued.wkt"))
    codes = {p.code: p for p in aoi_rules.check(aoi, "up42")}
    assert codes[Code.NOT_SINGLE_POLYGON].fixable is Fix.EXPLODE
    assert codes[Code.NOT_SINGLE_POLYGON].severity is Severity.WARNING


def test_an_invalid_aoi_is_accepted_by_no_provider():
    aoi = one(read("bowtie.wkt"))
    assert not any(aoi_rules.accepts(aoi, p) for p in aoi_rules.RULES)
