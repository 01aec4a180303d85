"""nadir:estimate and nadir:place_order with archive captures (issue 13, item 6): a footprints
layer from nadir:search_archive or capture ids with an AOI, product options as JSON checked
with the providers' rules, CONFIRM required, and a re-run that never orders twice."""

from __future__ import annotations

import json

import pytest
from qgis.core import QgsVectorLayer
from shapely.geometry import box as shapely_box
from shapely.geometry import mapping, shape

from nadir.core.models import SearchQuery
from nadir.toolbelt.search.layer import MEMORY_URI, capture_feature
from nadir.toolbelt.settings import ProviderConnection, SettingsStore
from support.adapters import BERLIN, geopera_user, up42_user
from support.processing import run_algorithm

FRANCE = {"type": "Polygon", "coordinates": [[[1.0, 43.0], [3.0, 43.0], [3.0, 45.0], [1.0, 45.0], [1.0, 43.0]]]}
PROVIDER_INDEX = {"clearsky": 0, "geopera": 1, "oneatlas": 2, "up42": 3}


@pytest.fixture
def connections(sb, auth_manager, clean_settings, nadir_processing, tmp_path, monkeypatch):
    """Geopera, OneAtlas and UP42 on the sandbox (as the search tier's fixture), a private outbox."""
    from nadir.toolbelt.auth import store_basic

    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "nadir-data"))
    info = sb.health()["providers"]["oneatlas"]
    keys = info.get("api_keys") or info.get("apikeys") or {}
    oneatlas_key = keys.get("default") if isinstance(keys, dict) else keys[0]
    up42 = up42_user(sb)
    configs = {
        "geopera": (store_basic("Nadir test Geopera", *geopera_user(sb)), {"api": sb.provider_url("geopera")}),
        "up42": (
            store_basic("Nadir test UP42", up42["username"], up42["password"]),
            {"api": sb.provider_url("up42"), "auth": sb.provider_url("up42-auth")},
        ),
        "oneatlas": (
            store_basic("Nadir test OneAtlas", "", oneatlas_key),
            {role: sb.provider_url(f"oneatlas-{role}") for role in ("data", "auth", "search", "access")},
        ),
    }
    store = SettingsStore()
    settings = store.current
    for name, (authcfg, urls) in configs.items():
        settings = settings.with_connection(ProviderConnection(name, urls=urls, authcfg=authcfg))
    store.update(settings)
    yield store
    for authcfg, _ in configs.values():
        auth_manager.removeAuthenticationConfig(authcfg)


def run(algorithm_id, **parameters):
    return run_algorithm(algorithm_id, parameters)


def search(provider, geometry, count, **query):
    from nadir.toolbelt.connections import adapter_for

    adapter = adapter_for(provider)
    try:
        from datetime import datetime, timezone

        values = {
            "geometry": geometry,
            "start": datetime(2015, 1, 1, tzinfo=timezone.utc),
            "end": datetime(2025, 1, 1, tzinfo=timezone.utc),
            "limit": count,
            **query,
        }
        return list(adapter.search(SearchQuery(**values)))
    finally:
        adapter.close()


def footprints(*captures):
    layer = QgsVectorLayer(MEMORY_URI, "captures", "memory")
    layer.dataProvider().addFeatures([capture_feature(c, None, layer.fields()) for c in captures])
    return layer


def aoi_layer(geometry):
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "aoi", "memory")
    from qgis.core import QgsFeature, QgsGeometry

    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromWkt(shape(geometry).wkt))
    layer.dataProvider().addFeatures([feature])
    return layer


def small_aoi(capture, size=0.02):
    point = shape(capture.footprint).representative_point()
    return mapping(shapely_box(point.x - size / 2, point.y - size / 2, point.x + size / 2, point.y + size / 2))


def test_estimate_oneatlas_captures_from_a_footprints_layer_with_options(connections, sb):
    (capture,) = search("oneatlas", FRANCE, 1, collections=("PHR",))
    geopera = search("geopera", BERLIN, 1, host="oneatlas", collections=("phr",))
    results, ok, feedback = run(
        "nadir:estimate",
        PROVIDER=PROVIDER_INDEX["oneatlas"],
        FOOTPRINTS=footprints(capture, *geopera),
        AOI=aoi_layer(small_aoi(capture)),
        ARCHIVE_OPTIONS=json.dumps({"crsCode": "EPSG:32631"}),
    )
    assert ok, feedback.errors
    assert float(results["TOTAL"]) > 0 and results["CURRENCY"]
    assert any("1 footprints of other providers were left out" in w for w in feedback.warnings)
    assert any("EPSG:32631" in i and "1 capture" in i for i in feedback.infos)


@pytest.mark.parametrize(
    "options, words",
    [
        ({"productType": "bundle-fs"}, "Pleiades Neo images only"),
        ({"radiometricProcessing": "SEPIA"}, "Choose one of DISPLAY"),
    ],
)
def test_options_against_the_sensor_rules_are_refused_before_sending(connections, sb, options, words):
    (capture,) = search("oneatlas", FRANCE, 1, collections=("PHR",))
    before = len(sb.requests("/oneatlas"))
    _, ok, feedback = run(
        "nadir:estimate",
        PROVIDER=PROVIDER_INDEX["oneatlas"],
        FOOTPRINTS=footprints(capture),
        AOI=aoi_layer(small_aoi(capture)),
        ARCHIVE_OPTIONS=json.dumps(options),
    )
    assert not ok and any(words in e for e in feedback.errors), feedback.errors
    assert len(sb.requests("/oneatlas")) == before  # nothing sent


def test_capture_ids_need_an_aoi_and_bad_json_is_explained(connections, sb):
    _, ok, feedback = run("nadir:estimate", PROVIDER=PROVIDER_INDEX["geopera"], CAPTURES="a b")
    assert not ok and any("give an AOI layer too" in e for e in feedback.errors)
    _, ok, feedback = run(
        "nadir:estimate",
        PROVIDER=PROVIDER_INDEX["geopera"],
        CAPTURES="a",
        AOI=aoi_layer(BERLIN),
        ARCHIVE_OPTIONS="{split_by_date: yes}",
    )
    assert not ok and any("not valid JSON" in e for e in feedback.errors)


def test_geopera_place_by_ids_needs_confirm_and_a_rerun_never_orders_twice(connections, sb):
    found = search("geopera", BERLIN, 2, host="oneatlas", collections=("phr",))
    ids = " ".join(c.id for c in found)
    params = dict(PROVIDER=PROVIDER_INDEX["geopera"], CAPTURES=ids, AOI=aoi_layer(BERLIN))
    results, ok, feedback = run("nadir:place_order", **params)
    assert ok and results["STATE"] == "estimated only" and results["CURRENCY"] == "AUD"
    assert not [r for r in sb.requests("/geopera/v1/op/orders.archive.place") if r["method"] == "POST"]
    results, ok, feedback = run("nadir:place_order", CONFIRM=True, **params)
    assert ok and results["STATE"] == "placed" and results["ORDER_IDS"], feedback.errors
    again, ok, feedback = run("nadir:place_order", CONFIRM=True, **params)
    assert ok and again["ORDER_IDS"] == results["ORDER_IDS"] and again["REFERENCE"] == results["REFERENCE"]
    assert any("already placed" in w for w in feedback.warnings)
    posts = [r for r in sb.requests("/geopera/v1/op/orders.archive.place") if r["method"] == "POST"]
    assert len(posts) == 1 and posts[0]["headers"].get("idempotency-key") == results["REFERENCE"]


def test_oneatlas_place_from_footprints_with_confirm(connections, sb):
    (capture,) = search("oneatlas", FRANCE, 1, collections=("PHR",))
    results, ok, feedback = run(
        "nadir:place_order",
        PROVIDER=PROVIDER_INDEX["oneatlas"],
        FOOTPRINTS=footprints(capture),
        AOI=aoi_layer(small_aoi(capture)),
        CONFIRM=True,
    )
    assert ok and results["STATE"] == "placed" and results["ORDER_IDS"], feedback.errors


def test_up42_estimate_of_catalog_captures(connections, sb):
    found = search("up42", BERLIN, 1, host="oneatlas", collections=("phr",))
    assert found, "the sandbox's UP42 catalog covers Berlin"
    results, ok, feedback = run(
        "nadir:estimate", PROVIDER=PROVIDER_INDEX["up42"], FOOTPRINTS=footprints(*found), AOI=aoi_layer(BERLIN)
    )
    assert ok, feedback.errors
    assert float(results["TOTAL"]) >= 0 and results["CURRENCY"]
