"""``nadir:task_acquisition`` and ``nadir:tasking_decision`` against the sandbox's UP42
through the configured connection."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsVectorLayer,
)

from nadir.toolbelt.settings import ProviderConnection, SettingsStore
from support.adapters import up42, up42_user
from support.processing import run_algorithm


@pytest.fixture
def connection(sb, auth_manager, clean_settings, nadir_processing, tmp_path, monkeypatch):
    from nadir.toolbelt.auth import store_basic

    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    who = up42_user(sb)
    authcfg = store_basic("Nadir test UP42", who["username"], who["password"])
    store = SettingsStore()
    store.update(
        store.current.with_connection(
            ProviderConnection(
                "up42", urls={"api": sb.provider_url("up42"), "auth": sb.provider_url("up42-auth")}, authcfg=authcfg
            )
        )
    )
    yield
    auth_manager.removeAuthenticationConfig(authcfg)


def run(algorithm_id, **parameters):
    return run_algorithm(algorithm_id, parameters)


def area():
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "aoi", "memory")
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromWkt("POLYGON((6.0 49.5, 6.2 49.5, 6.2 49.65, 6.0 49.65, 6.0 49.5))"))
    layer.dataProvider().addFeatures([feature])
    return layer


def params(**changes):
    start = datetime.now(timezone.utc) + timedelta(days=3)
    values = {
        "displayName": "Processing tasking",
        "acquisitionStart": start.strftime("%Y-%m-%dT00:00:00Z"),
        "acquisitionEnd": (start + timedelta(days=20)).strftime("%Y-%m-%dT00:00:00Z"),
        "acquisitionMode": "mono",
        "cloudCoverage": 10,
        "incidenceAngle": 20,
        "geometricProcessing": "ortho",
        "spectralProcessing": "bundle",
        "pixelCoding": "12bits",
        "radiometricProcessing": "reflectance",
        "deliveredAs": "geotiff",
    }
    values.update(changes)
    return json.dumps(values)


def product(sb):
    adapter = up42(sb)
    try:
        return next(p.id for p in adapter.data_products() if p.collection == "phr-tasking")
    finally:
        adapter.close()


def test_estimate_then_place_once_then_decide(sb, connection):
    product_id = product(sb)
    results, ok, feedback = run("nadir:task_acquisition", DATA_PRODUCT=product_id, AOI=area(), PARAMETERS=params())
    assert ok, feedback.errors
    assert results["STATE"] == "estimated only" and "credits" in results["ESTIMATE"]
    assert any("nothing was ordered" in w for w in feedback.warnings)
    results, ok, feedback = run(
        "nadir:task_acquisition", DATA_PRODUCT=product_id, AOI=area(), PARAMETERS=params(), CONFIRM=True
    )
    assert ok, feedback.errors
    assert results["STATE"] == "placed" and results["ORDER_IDS"]
    order_id = results["ORDER_IDS"]
    again, ok, feedback = run(
        "nadir:task_acquisition", DATA_PRODUCT=product_id, AOI=area(), PARAMETERS=params(), CONFIRM=True
    )
    assert ok and again["ORDER_IDS"] == order_id  # the same parameters never order twice
    assert any("already placed" in w for w in feedback.warnings)

    results, ok, _ = run("nadir:tasking_decision", ORDER_ID=order_id)
    assert ok and results["WAITING"] == "nothing"
    sb.advance(2 * 3600 + 60)
    results, ok, feedback = run("nadir:tasking_decision", ORDER_ID=order_id)
    assert ok and results["WAITING"] == "feasibility"
    option = json.loads(results["DETAILS"])["options"][0]["id"]
    results, ok, feedback = run("nadir:tasking_decision", ORDER_ID=order_id, DECISION=option, CONFIRM=True)
    assert ok and results["DECIDED"] == option, feedback.errors
    sb.advance(3600 + 120)
    results, ok, _ = run("nadir:tasking_decision", ORDER_ID=order_id)
    assert results["WAITING"] == "quotation" and "credits" in json.loads(results["DETAILS"])["price"]
    _, ok, feedback = run("nadir:tasking_decision", ORDER_ID=order_id, DECISION="maybe", CONFIRM=True)
    assert not ok and any("accept or reject" in e for e in feedback.errors)
    results, ok, _ = run("nadir:tasking_decision", ORDER_ID=order_id, DECISION="accept", CONFIRM=True)
    assert ok and results["DECIDED"] == "accept"
    assert up42(sb).quotations(order_id)[-1].decision == "ACCEPTED"


def test_parameters_that_do_not_match_the_schema_name_their_field(sb, connection):
    _, ok, feedback = run(
        "nadir:task_acquisition",
        DATA_PRODUCT=product(sb),
        AOI=area(),
        PARAMETERS=params(cloudCoverage=150, acquisitionMode="sideways"),
    )
    assert not ok
    assert any(e.startswith("cloudCoverage:") for e in feedback.errors), feedback.errors
    assert any(e.startswith("acquisitionMode:") for e in feedback.errors), feedback.errors
    _, ok, feedback = run("nadir:task_acquisition", DATA_PRODUCT=product(sb), AOI=area(), PARAMETERS="{not json")
    assert not ok and any("not valid JSON: line 1" in e for e in feedback.errors), feedback.errors
