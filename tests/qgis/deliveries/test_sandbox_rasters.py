"""The sandbox's deliveries open in QGIS as valid multi-band rasters with overviews."""

from __future__ import annotations

import numpy as np
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


def test_qgis_default_stretch_shows_natural_colours(qgis_app, tmp_path):
    """Drawn as the plugin draws a delivery (true colour, cumulative cut): the sea dark blue,
    the land green and brighter, the coast where world_map puts it."""
    from osgeo import gdal

    from nadir.toolbelt.deliveries.layers import apply_default_renderer, band_info

    path = raster.make_delivery(AOI, tmp_path / "coast.tif", seed="qgis", max_pixels=256)
    layer = QgsRasterLayer(str(path), "coast", "gdal")
    assert layer.isValid()
    assert apply_default_renderer(layer, *band_info(str(path))) == (3, 2, 1)
    width, height = layer.width(), layer.height()
    block = layer.renderer().block(1, layer.extent(), width, height)
    argb = np.frombuffer(bytes(block.data()), dtype=np.uint32).reshape(height, width)  # 0xAARRGGBB
    rgb = np.stack([(argb >> shift) & 0xFF for shift in (16, 8, 0)], axis=-1).astype(float)
    dataset = gdal.Open(str(path))
    water = dataset.GetRasterBand(4).ReadAsArray() < 400
    del dataset
    sea, land = rgb[water], rgb[~water]
    assert 0.1 < water.mean() < 0.9
    assert sea[:, 2].mean() > sea[:, 0].mean() + 20, "the sea is blue"
    assert sea.mean() < land.mean() - 20, "and darker than the land"
    assert land[:, 1].mean() > land[:, 0].mean() and land[:, 1].mean() > land[:, 2].mean(), "the land is green"
