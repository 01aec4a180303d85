"""``nadir:search_archive`` against the sandbox through the configured connections."""

from __future__ import annotations

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProcessingContext,
    QgsProject,
    QgsVectorLayer,
)

from nadir.toolbelt.settings import ProviderConnection
from support.processing import Feedback


def berlin_in_mercator():
    layer = QgsVectorLayer("Polygon?crs=EPSG:3857", "area", "memory")
    shape = QgsGeometry.fromWkt("POLYGON((13.35 52.45, 13.45 52.45, 13.45 52.55, 13.35 52.55, 13.35 52.45))")
    shape.transform(
        QgsCoordinateTransform(
            QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateReferenceSystem("EPSG:3857"), QgsProject.instance()
        )
    )
    feature = QgsFeature()
    feature.setGeometry(shape)
    layer.dataProvider().addFeatures([feature])
    return layer


def run(**parameters):
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("nadir:search_archive")
    assert algorithm is not None
    feedback, context = Feedback(), QgsProcessingContext()
    values = {"AREA": berlin_in_mercator(), "FROM": "2015-01-01", "TO": "2025-01-01", "LIMIT": 25, "OUTPUT": "memory:"}
    values.update(parameters)
    results, ok = algorithm.run(values, context, feedback)
    layer = context.takeResultLayer(results["OUTPUT"]) if ok else None
    return results, ok, feedback, layer


def test_three_providers_into_one_footprints_layer(archive_connections, nadir_processing):
    results, ok, feedback, layer = run(PROVIDERS=[0, 1, 2], UP42_COLLECTION="phr@oneatlas")
    assert ok, feedback.errors
    assert results["COUNT"] == 75 == layer.featureCount() and not feedback.errors
    providers = {f["provider"] for f in layer.getFeatures()}
    assert providers == {"geopera", "oneatlas", "up42"}
    feature = next(layer.getFeatures())
    assert feature["capture_id"] and feature["acquired"] and 0 < feature["aoi_pct"] <= 100
    assert layer.crs().authid() == "EPSG:4326"
    assert (
        feature.geometry()
        .boundingBox()
        .intersects(
            QgsGeometry.fromWkt(
                "POLYGON((13.35 52.45, 13.45 52.45, 13.45 52.55, 13.35 52.55, 13.35 52.45))"
            ).boundingBox()
        )
    )


def test_a_failing_provider_is_reported_and_the_others_written(archive_connections, nadir_processing):
    store = archive_connections
    broken = store.current.connection("oneatlas")
    store.update(
        store.current.with_connection(
            ProviderConnection(
                "oneatlas", urls={**broken.urls, "search": "http://127.0.0.1:9/unreachable"}, authcfg=broken.authcfg
            )
        )
    )
    results, ok, feedback, layer = run(PROVIDERS=[0, 1, 2])
    assert ok
    assert results["COUNT"] == 25 == layer.featureCount()
    assert any("UP42: give the collection" in e for e in feedback.errors)
    assert any("Airbus OneAtlas could not be reached" in e for e in feedback.errors)


def test_wrong_dates_and_every_provider_failing_fail_clearly(archive_connections, nadir_processing):
    _, ok, feedback, _ = run(PROVIDERS=[0], FROM="2025-01-01", TO="2020-01-01")
    assert not ok and any("before 'Acquired from'" in e for e in feedback.errors)
    _, ok, feedback, _ = run(PROVIDERS=[2])
    assert not ok and any("No provider could be searched" in e for e in feedback.errors)
