"""Delivered rasters as layers (toolbelt.deliveries.layers) for every provider's sandbox delivery:
valid layers in the order's group, true-colour or grey stretched rendering, provenance in
the metadata, attribution, and loading twice adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import (
    QgsMultiBandColorRenderer,
    QgsProject,
    QgsRasterMinMaxOrigin,
    QgsSingleBandGrayRenderer,
)

from nadir.core.deliveries.fetch import fetch_delivery
from nadir.core.deliveries.plan import group_name
from nadir.toolbelt import compat
from nadir.toolbelt.deliveries.layers import DELIVERY_PROPERTY, ORDER_PROPERTY, find_order_group, load_result
from sandbox.testing import run_sandbox
from support.deliveries import PROVIDERS, delivered


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with run_sandbox(tmp_path_factory.mktemp("delivery-layers")) as server:
        yield server


@pytest.fixture
def sb(sandbox):
    sandbox.reset()
    return sandbox


@pytest.fixture
def project(qgis_app):
    project = QgsProject()
    yield project
    project.clear()


def keywords(layer) -> dict[str, list[str]]:
    return {k: list(v) for k, v in layer.metadata().keywords().items()}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_delivery_becomes_layers_in_its_order_group_with_provenance(sb, tmp_path, project, provider):
    adapter, order_id = delivered(sb, provider)
    result = fetch_delivery(adapter, order_id, tmp_path)
    adapter.close()
    report = load_result(result, project)
    assert not report.problems and len(report.added) == len(result.rasters) >= 1

    group = find_order_group(project, provider, order_id)
    assert group is not None and group.name() == group_name(provider, order_id)
    assert group.customProperty(ORDER_PROPERTY) == f"{provider}:{order_id}"
    nadir = project.layerTreeRoot().children()[0]  # Nadir's group on top of the tree (issue 17)
    assert nadir.customProperty("nadir/group") and nadir.children()[0] is group  # the order's group first in it
    assert {node.layer().id() for node in group.findLayers()} == {layer.id() for layer in report.added}

    for layer, raster in zip(report.added, result.rasters):
        assert layer.isValid() and layer.source() == raster.path and layer.providerType() == "gdal"
        renderer = layer.renderer()
        if layer.bandCount() >= 3:
            assert isinstance(renderer, QgsMultiBandColorRenderer)
            # the sandbox writes blue, green, red, nir: true colour is 3, 2, 1
            assert (renderer.redBand(), renderer.greenBand(), renderer.blueBand()) == (3, 2, 1)
            enhancement = renderer.redContrastEnhancement()
        else:
            assert isinstance(renderer, QgsSingleBandGrayRenderer) and renderer.grayBand() == 1
            enhancement = renderer.contrastEnhancement()
        assert renderer.minMaxOrigin().limits() == QgsRasterMinMaxOrigin.Limits.CumulativeCut
        assert enhancement.maximumValue() > enhancement.minimumValue()

        provenance = raster.provenance
        metadata = layer.metadata()
        assert metadata.identifier() == f"nadir:{provider}:{order_id}:{provenance.asset_id}"
        assert order_id in metadata.abstract() and provenance.provider_title in metadata.abstract()
        found = keywords(layer)
        assert found["order id"] == [order_id] and provenance.provider_title in found["provider"]
        assert found["capture date"] == [provenance.acquired.date().isoformat()]
        if provenance.product:
            assert found["product"] == [provenance.product]
        assert metadata.rights() == [provenance.attribution]
        assert compat.layer_attribution(layer) == provenance.attribution
        temporal = metadata.extent().temporalExtents()[0]
        assert temporal.begin().date().toString("yyyy-MM-dd") == provenance.acquired.date().isoformat()
        assert layer.crs().isValid() and metadata.crs().authid() == layer.crs().authid()
        assert provenance.acquired.date().isoformat() in layer.name()
        assert layer.customProperty(DELIVERY_PROPERTY) == f"{provenance.key}:{Path(raster.path).name}"

    expected = {
        "clearsky": "ClearSKY Vision",
        "oneatlas": "Distribution Airbus DS",
        "geopera": "Distribution Airbus DS",
        "up42": "Distribution Airbus DS",
    }[provider]
    assert all(expected in layer.metadata().rights()[0] for layer in report.added)
    if provider == "clearsky":
        assert all("Copernicus Sentinel" in compat.layer_attribution(layer) for layer in report.added)

    again = load_result(result, project)
    assert again.added == [] and {layer.id() for layer in again.existing} == {layer.id() for layer in report.added}
    assert len(project.mapLayers()) == len(report.added)
    assert (
        len(
            [
                g
                for g in project.layerTreeRoot().findGroups(True)
                if g.customProperty(ORDER_PROPERTY) == f"{provider}:{order_id}"
            ]
        )
        == 1
    )


def test_oneatlas_bundle_jp2_pan_is_grey_and_ms_is_true_colour(sb, tmp_path, project):
    adapter, order_id = delivered(sb, "oneatlas")
    result = fetch_delivery(adapter, order_id, tmp_path)
    adapter.close()
    report = load_result(result, project)
    by_suffix = {Path(layer.source()).stem.rsplit("_", 1)[-1]: layer for layer in report.added}
    assert set(by_suffix) == {"P", "MS"}
    assert isinstance(by_suffix["P"].renderer(), QgsSingleBandGrayRenderer)
    assert isinstance(by_suffix["MS"].renderer(), QgsMultiBandColorRenderer)
    assert all(layer.source().endswith(".JP2") for layer in report.added)
    assert all(layer.metadata().extent().temporalExtents() for layer in report.added)  # date from the sourceId


def test_the_group_is_found_again_after_renaming_and_a_removed_layer_comes_back(sb, tmp_path, project):
    adapter, order_id = delivered(sb, "up42")
    result = fetch_delivery(adapter, order_id, tmp_path)
    adapter.close()
    first = load_result(result, project).added[0]
    group = find_order_group(project, "up42", order_id)
    group.setName("my imagery")
    project.removeMapLayer(first.id())
    report = load_result(result, project)
    assert len(report.added) == 1 and find_order_group(project, "up42", order_id) is group
    assert [node.layer() for node in group.findLayers()] == report.added
