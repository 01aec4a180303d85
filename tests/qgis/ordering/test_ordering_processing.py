"""nadir:estimate and nadir:place_order (F11): the configure rules, the sandbox's estimate,
CONFIRM required to order, the outbox making a re-run order nothing; in process and
headless with qgis_process."""

from __future__ import annotations

import json
from datetime import date

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsVectorLayer,
)

from nadir.core.credentials import Credentials
from nadir.core.models import ClearSkySpec
from nadir.core.ordering.outbox import Outbox
from nadir.providers.clearsky.adapter import ClearSky
from nadir.providers.http.session import plain_client
from support.cart_harness import AOI, AOI2, provider_orders
from support.headless import make_profile, qgis_process
from support.processing import run_algorithm


@pytest.fixture
def data(clearsky_connection, nadir_processing, tmp_path, monkeypatch):
    folder = tmp_path / "nadir-data"
    monkeypatch.setenv("NADIR_DATA_DIR", str(folder))
    return folder


def run(algorithm_id, **parameters):
    return run_algorithm(algorithm_id, parameters)


def aoi_layer(*geometries, crs="EPSG:3857"):
    """Polygons given in lon/lat, stored in another CRS: the algorithm must reproject."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

    layer = QgsVectorLayer(f"Polygon?crs={crs}", "aois", "memory")
    transform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateReferenceSystem(crs), QgsProject.instance()
    )
    features = []
    for geometry in geometries:
        shape = QgsGeometry.fromWkt(_wkt(geometry))
        shape.transform(transform)
        feature = QgsFeature()
        feature.setGeometry(shape)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _wkt(geojson):
    ring = ", ".join(f"{x} {y}" for x, y in geojson["coordinates"][0])
    return f"POLYGON(({ring}))"


def direct(sb):
    return ClearSky({"api": sb.provider_url("clearsky")}, Credentials(secret="clearsky-sandbox-key"), plain_client())


COMMON = dict(FROM="2025-01", TO="2025-01-31", FREQUENCY=7, MODEL="Stratus2")


def test_estimate_a_composite_from_a_layer_in_another_crs(data, sb):
    results, ok, feedback = run("nadir:estimate", AOI=aoi_layer(AOI, AOI2), **COMMON)
    assert ok, feedback.errors
    spec = ClearSkySpec(
        model="Stratus2",
        constellations=("Sentinel2",),
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        frequency_days=7,
        api_requests=1,
        aoi={"type": "GeometryCollection", "geometries": [AOI, AOI2]},
    )
    expected = direct(sb).estimate(spec)  # two AOIs, each billed on its own
    assert results["TOTAL"] == str(expected.total.amount) and results["CURRENCY"] == "EUR"
    assert results["IMAGE_DATES"] == ",".join(d.isoformat() for d in expected.image_dates)
    assert json.loads(results["ESTIMATE_JSON"])["total"]["currency"] == "EUR"
    assert any("Estimate:" in line for line in feedback.infos)
    assert provider_orders(sb) == []


def test_dates_from_the_dialog_are_dates(data, sb):
    """The dialog and models give QDate values for the Date parameters; they mean the same as the strings."""
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime

    layer = aoi_layer(AOI)
    as_strings, ok, feedback = run("nadir:estimate", AOI=layer, **COMMON)
    assert ok, feedback.errors
    as_dates, ok, feedback = run(
        "nadir:estimate",
        AOI=layer,
        MODEL="Stratus2",
        FREQUENCY=7,
        FROM=QDate(2025, 1, 1),
        TO=QDateTime(QDate(2025, 1, 31), QTime(0, 0)),
        REFERENCE_DATE=None,
    )
    assert ok, feedback.errors
    assert as_dates["TOTAL"] == as_strings["TOTAL"] and as_dates["IMAGE_DATES"] == as_strings["IMAGE_DATES"]
    assert as_dates["IMAGE_DATES"].split(",")[-1] <= "2025-01-31"
    _, ok, feedback = run("nadir:estimate", AOI=layer, MODEL="Stratus2", FROM=QDate(2025, 1, 15))
    assert not ok and any("first day of a month" in error for error in feedback.errors), feedback.errors


def test_estimate_a_tile_order_by_guids(data, sb):
    cs = direct(sb)
    tile = cs.tiles(AOI)[0].guid
    minis = [m.guid for m in cs.minitiles(cs.tiles(AOI2)[-1].guid)[:2]]
    results, ok, feedback = run("nadir:estimate", TILES=tile, MINITILES=", ".join(minis), TILE_DEDUP=True, **COMMON)
    assert ok, feedback.errors
    spec = ClearSkySpec(
        model="Stratus2",
        constellations=("Sentinel2",),
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        frequency_days=7,
        api_requests=1,
        tile_guids=(tile,),
        minitile_guids=tuple(minis),
        tile_dedup=True,
    )
    assert results["TOTAL"] == str(cs.estimate(spec).total.amount)


@pytest.mark.parametrize(
    "parameters,message",
    [
        (dict(TO="2024-12-31"), "before the start"),
        (dict(TILE_DEDUP=True), "tile and minitile orders only"),
        (dict(MODEL="Cumulus"), "does not offer the model"),
        (dict(CONSTELLATIONS="Landsat89"), "always uses Sentinel2"),
        (dict(FROM="2015-01"), "January 2016"),
        (dict(FROM="next spring"), "YYYY-MM"),
        (dict(TILES="abc"), "not both"),
    ],
)
def test_invalid_configurations_are_explained_before_anything_is_sent(data, sb, parameters, message):
    values = {**COMMON, "AOI": aoi_layer(AOI), **parameters}
    sb.reset()
    _, ok, feedback = run("nadir:estimate", **values)
    assert not ok
    assert any(message in error for error in feedback.errors), feedback.errors
    assert not [r for r in sb.requests("/clearsky") if r["path"].endswith("/estimate")]


JUTLAND = {"type": "Polygon", "coordinates": [[[8.5, 55.6], [10.6, 55.6], [10.6, 56.8], [8.5, 56.8], [8.5, 55.6]]]}


@pytest.mark.parametrize("algorithm", ["nadir:estimate", "nadir:place_order"])
def test_a_composite_over_the_accounts_limit_is_refused_like_in_the_dialog(data, sb, algorithm):
    """About 17,000 km²: the sandbox account retrieves composites of at most 10,000 km²."""
    sb.reset()
    _, ok, feedback = run(algorithm, AOI=aoi_layer(JUTLAND), CONFIRM=True, **COMMON)
    assert not ok
    assert any("MaxCompositeAreaKm2" in error and "10,000 km²" in error for error in feedback.errors), feedback.errors
    assert not [r for r in sb.requests("/clearsky") if r["path"].endswith(("/estimate", "/orders"))]


def test_place_order_needs_confirm_and_a_rerun_never_orders_twice(data, sb):
    layer = aoi_layer(AOI)
    results, ok, feedback = run("nadir:place_order", AOI=layer, **COMMON)
    assert ok and results["STATE"] == "estimated only" and results["ORDER_IDS"] == ""
    assert any("nothing was ordered" in w for w in feedback.warnings)
    assert provider_orders(sb) == []

    first, ok, feedback = run("nadir:place_order", AOI=layer, CONFIRM=True, **COMMON)
    assert ok, feedback.errors
    assert first["STATE"] == "placed" and first["ORDER_IDS"] == provider_orders(sb)[0]["guid"]
    again, ok, feedback = run("nadir:place_order", AOI=layer, CONFIRM=True, **COMMON)
    assert ok and again["REFERENCE"] == first["REFERENCE"] and again["ORDER_IDS"] == first["ORDER_IDS"]
    assert any("already placed" in w for w in feedback.warnings)
    assert len(provider_orders(sb)) == 1

    other, ok, _ = run("nadir:place_order", AOI=layer, CONFIRM=True, CLIENT_REFERENCE="second batch", **COMMON)
    assert ok and other["REFERENCE"] != first["REFERENCE"] and len(provider_orders(sb)) == 2
    entries = Outbox(data / "outbox.sqlite").placed()
    assert {e.reference for e in entries} == {first["REFERENCE"], other["REFERENCE"]}


def test_place_order_dropped_answer_is_one_order(data, sb):
    sb.fault(kind="drop_after_commit", prefix="/clearsky/api/tasking/orders", method="POST", times=1)
    results, ok, feedback = run("nadir:place_order", AOI=aoi_layer(AOI), CONFIRM=True, **COMMON)
    assert ok, feedback.errors
    assert results["STATE"] == "placed" and len(provider_orders(sb)) == 1


def test_place_order_failure_is_an_error_with_the_reason(data, sb):
    sb.fault(kind="status", prefix="/clearsky/api/tasking/orders", method="POST", status=402, times=0)
    _, ok, feedback = run("nadir:place_order", AOI=aoi_layer(AOI), CONFIRM=True, **COMMON)
    assert not ok and any("could not take payment" in e for e in feedback.errors), feedback.errors
    assert provider_orders(sb) == []


@pytest.mark.slow
def test_headless_qgis_process_estimates_and_places_once(sb, tmp_path):
    env = make_profile(tmp_path, sb.provider_url("clearsky"))
    aoi = tmp_path / "aoi.geojson"
    aoi.write_text(
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": AOI}]})
    )
    params = dict(AOI=str(aoi), FROM="2025-01", TO="2025-01-31")
    code, result, log = qgis_process(env, "nadir:place_order", **params)  # no CONFIRM: estimate only
    assert code == 0, log
    assert result["results"]["STATE"] == "estimated only" and provider_orders(sb) == []
    assert result["results"]["CURRENCY"] == "EUR" and float(result["results"]["TOTAL"]) > 0
    references = set()
    for _ in range(2):  # a re-run of the same command orders nothing more
        code, result, log = qgis_process(env, "nadir:place_order", CONFIRM="true", **params)
        assert code == 0, log
        assert result["results"]["STATE"] == "placed"
        references.add(result["results"]["REFERENCE"])
    assert len(references) == 1 and len(provider_orders(sb)) == 1
    assert "clearsky-sandbox-key" not in log
