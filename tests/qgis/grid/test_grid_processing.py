"""nadir:tile_cover in Processing against the sandbox's ClearSKY grid."""

from __future__ import annotations

import pytest
import shapely
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsVectorLayer,
)

from nadir.processing.grid.tile_cover import parse_zones
from nadir.processing.provider import NadirProcessingProvider
from nadir.toolbelt import auth
from nadir.toolbelt import settings as st
from sandbox.testing import run_sandbox


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with run_sandbox(tmp_path_factory.mktemp("processing-sandbox")) as server:
        yield server


@pytest.fixture
def registry(qgis_app, auth_manager, clean_settings, sandbox):
    authcfg = auth.store_basic("Nadir test ClearSKY (processing)", "", "clearsky-sandbox-key")
    st.save(
        st.Settings().with_connection(
            st.ProviderConnection("clearsky", urls={"api": sandbox.provider_url("clearsky")}, authcfg=authcfg)
        )
    )
    provider = NadirProcessingProvider()
    registry = QgsApplication.processingRegistry()
    registry.addProvider(provider)
    yield registry
    registry.removeProvider(provider)


def aoi_layer(wkt: str, crs: str = "EPSG:4326") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"Polygon?crs={crs}", "aoi", "memory")
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromWkt(wkt))
    layer.dataProvider().addFeatures([feature])
    return layer


def run(params):
    """Run the algorithm as Processing does (prepare on this thread, then process)."""
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("nadir:tile_cover")
    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()
    result, ok = algorithm.run(params, context, feedback, catchExceptions=False)
    assert ok, feedback.textLog()
    return result, context


def test_parse_zones():
    assert parse_zones("31N, 32n; 19S 32719") == {32631, 32632, 32719}
    assert parse_zones("") == set()
    with pytest.raises(ValueError, match="'61N' is not a UTM zone"):
        parse_zones("61N")


def test_tile_cover_writes_cells_with_attributes_and_reports_the_ratio(registry, tmp_path):
    algorithm = registry.algorithmById("nadir:tile_cover")
    assert algorithm is not None and algorithm.displayName()
    lyon = "POLYGON((4.70 45.70, 4.95 45.68, 4.98 45.85, 4.75 45.88, 4.70 45.70))"
    out = str(tmp_path / "cells.gpkg")
    result, _ = run({"INPUT": aoi_layer(lyon), "LEVEL": 1, "PROVIDER": 0, "OUTPUT": out})
    cells = QgsVectorLayer(out, "cells", "ogr")
    assert cells.isValid() and cells.featureCount() == result["CELL_COUNT"] > 30
    assert [f.name() for f in cells.fields()][1:] == ["guid", "level", "parent", "epsg", "zone", "area_km2"]
    rows = list(cells.getFeatures())
    assert {f["level"] for f in rows} == {"minitile"} and {f["zone"] for f in rows} == {"31N"}
    assert all(f["parent"] and 9.5 < f["area_km2"] < 10.8 for f in rows)  # 3.2 km squares
    assert result["CELLS_KM2"] == pytest.approx(sum(f["area_km2"] for f in rows), rel=1e-4)
    assert result["RATIO"] == pytest.approx(result["CELLS_KM2"] / result["AOI_KM2"]) and result["RATIO"] > 1
    union = shapely.union_all([shapely.from_wkt(f.geometry().asWkt()) for f in rows])
    assert union.buffer(1e-9).covers(shapely.from_wkt(lyon)) and result["UNCOVERED_KM2"] == 0


def test_tile_cover_from_a_projected_layer_with_an_excluded_zone(registry, tmp_path):
    # a box across 6°E in Web Mercator; 32N left out: only 31N tiles, the east part uncovered
    from support.grid_view import to_mercator

    a, b = to_mercator(5.5, 46.0), to_mercator(6.6, 46.4)
    wkt = f"POLYGON(({a.x()} {a.y()}, {b.x()} {a.y()}, {b.x()} {b.y()}, {a.x()} {b.y()}, {a.x()} {a.y()}))"
    result, context = run(
        {"INPUT": aoi_layer(wkt, "EPSG:3857"), "LEVEL": 0, "PROVIDER": 0, "EXCLUDE_ZONES": "32N", "OUTPUT": "memory:"}
    )
    cells = context.getMapLayer(result["OUTPUT"])
    assert {f["zone"] for f in cells.getFeatures()} == {"31N"}
    assert result["UNCOVERED_KM2"] > 100
    full, context = run({"INPUT": aoi_layer(wkt, "EPSG:3857"), "LEVEL": 0, "PROVIDER": 0, "OUTPUT": "memory:"})
    assert {f["zone"] for f in context.getMapLayer(full["OUTPUT"]).getFeatures()} == {"31N", "32N"}
    assert full["UNCOVERED_KM2"] == 0


def test_tile_cover_without_credentials_says_so(qgis_app, clean_settings):
    provider = NadirProcessingProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    try:
        algorithm = QgsApplication.processingRegistry().createAlgorithmById("nadir:tile_cover")
        feedback = QgsProcessingFeedback()
        params = {
            "INPUT": aoi_layer("POLYGON((4.7 45.7, 4.9 45.7, 4.9 45.8, 4.7 45.7))"),
            "LEVEL": 0,
            "PROVIDER": 0,
            "OUTPUT": "memory:",
        }
        _, ok = algorithm.run(params, QgsProcessingContext(), feedback)
        assert not ok and "No credentials are set for ClearSKY Vision" in feedback.textLog()
    finally:
        QgsApplication.processingRegistry().removeProvider(provider)
