"""The sandbox's deliveries open in QGIS as valid multi-band rasters with overviews."""

from __future__ import annotations

import pytest
from qgis.core import QgsRaster, QgsRasterLayer, QgsRectangle

from sandbox import raster


@pytest.fixture(autouse=True)
def _release_world_map():
    yield
    raster.close()  # before pytest-qgis shuts QGIS (and GDAL) down


AOI = {"type": "Polygon", "coordinates": [[[-2.35, 47.2], [-2.15, 47.2], [-2.15, 47.3], [-2.35, 47.3], [-2.35, 47.2]]]}


@pytest.mark.parametrize(("fmt", "name"), [("COG", "delivery.tif"), ("JP2", "delivery.jp2")])
def test_delivery_opens_as_a_multiband_layer_with_pyramids(qgis_app, tmp_path, fmt, name):
    path = raster.make_delivery(AOI, tmp_path / name, fmt=fmt, seed="qgis", max_pixels=512)
    layer = QgsRasterLayer(str(path), "delivery", "gdal")
    assert layer.isValid(), layer.error().message()
    assert layer.bandCount() == 4
    assert layer.crs().authid() == "EPSG:4326"
    extent = layer.extent()
    assert extent.contains(QgsRectangle(-2.35, 47.2, -2.15, 47.3)) or extent.width() == pytest.approx(0.2, abs=0.001)
    provider = layer.dataProvider()
    assert provider.hasPyramids(), "overviews (COG) or resolution levels (JP2) are reported"
    assert provider.sourceNoDataValue(1) == 0
    # a pixel near the centre is real data, not nodata
    sample = provider.identify(extent.center(), QgsRaster.IdentifyFormat.IdentifyFormatValue).results()
    assert all(value and value > 0 for value in sample.values())
    stats = provider.bandStatistics(3)
    assert stats.maximumValue > stats.minimumValue, "image content, not a flat colour"
