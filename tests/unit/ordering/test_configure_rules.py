"""Every configure rule (core/ordering/clearsky_configure.py, DESIGN.md F4), one test each."""

from __future__ import annotations

from datetime import date

import pytest

from nadir.core.errors import InputError
from nadir.core.models import ConstellationOption, ImageryModel, OrderKind
from nadir.core.ordering.clearsky_configure import Draft, OrderTarget, build_spec, check, with_required
from support.orders import SQUARE

MODELS = [
    ImageryModel(
        name="Stratus2",
        constellations=(
            ConstellationOption(name="Sentinel2", optional=False),
            ConstellationOption(name="Sentinel1", optional=True),
            ConstellationOption(name="Landsat89", optional=True),
        ),
    ),
    ImageryModel(name="Nimbus", constellations=(ConstellationOption(name="Sentinel1", optional=False),)),
]
AOI = OrderTarget.composite(SQUARE, names=("Field",), areas_km2=(18.5,))
CELLS = OrderTarget.cells(("t-1",), ("m-1", "m-2"))
GOOD = Draft(
    model="Stratus2",
    constellations=("Sentinel2", "Landsat89"),
    start=date(2025, 4, 1),
    end=None,
    frequency_days=3,
    storage_months=2,
    api_requests=1,
)


def fields(result):
    return sorted({p.field for p in result.errors})


def test_a_good_configuration_passes_and_builds_the_spec():
    result = check(GOOD, AOI, MODELS)
    assert result.ok and result.problems == ()
    spec = build_spec(GOOD, AOI, MODELS)
    assert spec.kind is OrderKind.COMPOSITE and spec.recurring and spec.aoi == SQUARE
    assert spec.constellations == ("Sentinel2", "Landsat89") and spec.tile_guids == ()


def test_models_must_be_loaded_and_chosen_and_offered():
    assert fields(check(GOOD, AOI, [])) == ["model"]
    assert fields(check(GOOD.replace(model=""), AOI, MODELS)) == ["model"]
    result = check(GOOD.replace(model="Cumulus"), AOI, MODELS)
    assert fields(result) == ["model"] and "Stratus2, Nimbus" in result.errors[0].message


def test_required_constellation_cannot_be_left_out():
    result = check(GOOD.replace(constellations=("Landsat89",)), AOI, MODELS)
    assert fields(result) == ["constellations"] and "always uses Sentinel2" in result.errors[0].message


def test_constellation_the_model_does_not_take_is_refused():
    result = check(GOOD.replace(model="Nimbus", constellations=("Sentinel1", "Landsat89")), AOI, MODELS)
    assert fields(result) == ["constellations"] and "does not take Landsat89" in result.errors[0].message


def test_at_least_one_constellation():
    model = ImageryModel(name="Open", constellations=(ConstellationOption(name="Sentinel2", optional=True),))
    result = check(GOOD.replace(model="Open", constellations=()), AOI, [model])
    assert fields(result) == ["constellations"]


def test_with_required_adds_fixed_ones_and_drops_foreign_ones():
    draft = with_required(GOOD.replace(model="Nimbus", constellations=("Landsat89",)), MODELS[1])
    assert draft.constellations == ("Sentinel1",)
    assert with_required(GOOD, MODELS[0]).constellations == ("Sentinel2", "Landsat89")


def test_from_is_required_and_the_first_of_a_month():
    assert fields(check(GOOD.replace(start=None), AOI, MODELS)) == ["start"]
    result = check(GOOD.replace(start=date(2025, 4, 15)), AOI, MODELS)
    assert fields(result) == ["start"] and "2025-04-01" in result.errors[0].message


def test_from_not_before_2016():
    assert fields(check(GOOD.replace(start=date(2015, 12, 1)), AOI, MODELS)) == ["start"]
    assert check(GOOD.replace(start=date(2016, 1, 1)), AOI, MODELS).ok


def test_to_before_from_is_refused_and_blank_means_recurring():
    result = check(GOOD.replace(end=date(2025, 3, 31)), AOI, MODELS)
    assert fields(result) == ["end"] and "recurring" in result.errors[0].message
    assert check(GOOD.replace(end=date(2025, 4, 1)), AOI, MODELS).ok  # one image date
    spec = build_spec(GOOD.replace(end=date(2025, 6, 20)), AOI, MODELS)
    assert spec.end == date(2025, 6, 20) and not spec.recurring  # To is the last date, inclusive


@pytest.mark.parametrize("days,ok", [(0, False), (1, True), (7, True), (31, True), (32, False)])
def test_image_frequency_range(days, ok):
    result = check(GOOD.replace(frequency_days=days), AOI, MODELS)
    assert result.ok is ok and (ok or fields(result) == ["frequency_days"])


@pytest.mark.parametrize("months,ok", [(0, False), (1, True), (24, True), (25, False)])
def test_storage_months_range(months, ok):
    result = check(GOOD.replace(storage_months=months), AOI, MODELS)
    assert result.ok is ok
    if not ok:
        assert fields(result) == ["storage_months"] and "first month is free" in result.errors[0].message


@pytest.mark.parametrize("requests,ok", [(0, False), (1, True), (1000, True), (1001, False)])
def test_api_requests_range(requests, ok):
    result = check(GOOD.replace(api_requests=requests), AOI, MODELS)
    assert result.ok is ok and (ok or fields(result) == ["api_requests"])


def test_tile_deduplication_only_for_tile_orders():
    assert fields(check(GOOD.replace(tile_dedup=True), AOI, MODELS)) == ["tile_dedup"]
    result = check(GOOD.replace(tile_dedup=True), CELLS, MODELS)
    assert result.ok
    spec = build_spec(GOOD.replace(tile_dedup=True), CELLS, MODELS)
    assert spec.kind is OrderKind.TILE and spec.tile_dedup
    assert (spec.tile_guids, spec.minitile_guids, spec.aoi) == (("t-1",), ("m-1", "m-2"), None)


def test_composite_needs_an_aoi_and_tile_order_needs_cells():
    assert fields(check(GOOD, OrderTarget(OrderKind.COMPOSITE), MODELS)) == ["target"]
    assert fields(check(GOOD, OrderTarget.cells(), MODELS)) == ["target"]


def test_minitile_of_a_tile_ordered_whole_is_refused():
    target = OrderTarget.cells(("t-1",), ("m-1", "m-9"), parents=(("m-1", "t-1"), ("m-9", "t-9")))
    result = check(GOOD, target, MODELS)
    assert fields(result) == ["target"] and "1 tile(s)" in result.errors[0].message
    assert check(GOOD, OrderTarget.cells(("t-1",), ("m-9",), parents=(("m-9", "t-9"),)), MODELS).ok


def test_small_aoi_is_a_notice_not_an_error():
    target = OrderTarget.composite(SQUARE, names=("a", "b"), areas_km2=(0.4, 3.0))
    result = check(GOOD, target, MODELS)
    assert result.ok and len(result.notices) == 1 and "at least 1 km²" in result.notices[0].message


def test_build_spec_lists_every_blocking_problem():
    with pytest.raises(InputError) as info:
        build_spec(GOOD.replace(model="", start=None, frequency_days=0), AOI, MODELS)
    text = str(info.value)
    assert "Choose an AI model" in text and "first month" in text and "image frequency" in text


def test_target_summary_and_round_trip_from_spec():
    assert AOI.summary == "1 AOI, 18.50 km²" and CELLS.summary == "1 tile and 2 minitiles"
    spec = build_spec(GOOD, CELLS, MODELS)
    assert OrderTarget.of(spec) == CELLS and Draft.of(spec) == GOOD


def test_a_composite_over_the_accounts_composite_limit_is_refused_before_anything_is_spent():
    """ClearSKY takes and bills such an order, then refuses every retrieval of it (HTTP 400)."""
    from nadir.core.ordering.clearsky_configure import max_composite_area

    large = OrderTarget.composite(SQUARE, names=("Jutland",), areas_km2=(12_345.0,))
    assert check(GOOD, large, MODELS).ok  # the limit is unknown until the account was asked
    result = check(GOOD, large, MODELS, max_area_km2=10_000)
    assert fields(result) == ["target"]
    assert "12,345 km²" in result.errors[0].message and "10,000 km²" in result.errors[0].message
    with pytest.raises(InputError, match="MaxCompositeAreaKm2"):
        build_spec(GOOD, large, MODELS, max_area_km2=10_000)
    assert check(GOOD, AOI, MODELS, max_area_km2=10_000).ok
    assert check(GOOD.replace(tile_dedup=True), CELLS, MODELS, max_area_km2=1).ok  # tiles: no such limit
    assert max_composite_area({"MaxCompositeAreaKm2": 10000}) == 10_000.0
    assert max_composite_area({"MaxCompositeAreaKm2": "2500.5"}) == 2500.5
    assert max_composite_area({}) is None and max_composite_area({"MaxCompositeAreaKm2": True}) is None
    assert max_composite_area({"MaxCompositeAreaKm2": 0}) is None
