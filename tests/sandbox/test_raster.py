"""sandbox.raster: deliveries and quicklooks are real, georeferenced, image-like rasters."""

from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal, osr

from sandbox import raster

# a 0.2 x 0.1 degree box on the Loire estuary: land, sea and the coast between
COAST = {"type": "Polygon", "coordinates": [[[-2.35, 47.2], [-2.15, 47.2], [-2.15, 47.3], [-2.35, 47.3], [-2.35, 47.2]]]}
INLAND = {"type": "Polygon", "coordinates": [[[2.0, 46.5], [2.2, 46.5], [2.2, 46.6], [2.0, 46.6], [2.0, 46.5]]]}
OCEAN = {"type": "Polygon", "coordinates": [[[-30.0, 40.0], [-29.8, 40.0], [-29.8, 40.1], [-30.0, 40.1], [-30.0, 40.0]]]}
TRIANGLE = {"type": "Polygon", "coordinates": [[[2.0, 46.5], [2.2, 46.5], [2.0, 46.6], [2.0, 46.5]]]}


def _open(path):
    ds = gdal.Open(str(path))
    assert ds is not None
    return ds


def _read(path, band):
    ds = _open(path)  # keep the dataset alive while its band is read (GDAL Python bindings)
    return ds.GetRasterBand(band).ReadAsArray()


def _bounds(ds):
    x0, dx, _, y0, _, dy = ds.GetGeoTransform()
    return x0, y0 + dy * ds.RasterYSize, x0 + dx * ds.RasterXSize, y0


def test_cog_is_a_multiband_georeferenced_cog_with_overviews(tmp_path):
    path = raster.make_delivery(COAST, tmp_path / "out.tif", fmt="COG", seed="s1")
    ds = _open(path)
    assert ds.GetDriver().ShortName == "GTiff"
    assert ds.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE") == "COG"
    assert ds.RasterCount == 4
    assert max(ds.RasterXSize, ds.RasterYSize) == 1024
    band = ds.GetRasterBand(1)
    assert band.DataType == gdal.GDT_UInt16
    assert band.GetOverviewCount() >= 2
    assert band.GetNoDataValue() == 0
    assert [ds.GetRasterBand(i).GetDescription() for i in range(1, 5)] == ["blue", "green", "red", "nir"]
    srs = osr.SpatialReference(wkt=ds.GetProjection())
    assert srs.GetAuthorityCode(None) == "4326"
    minx, miny, maxx, maxy = _bounds(ds)
    # covers the AOI bounds, overshooting by less than a pixel
    assert minx == pytest.approx(-2.35) and maxy == pytest.approx(47.3)
    assert -2.15 <= maxx < -2.15 + ds.GetGeoTransform()[1] + 1e-9
    assert 47.2 - abs(ds.GetGeoTransform()[5]) - 1e-9 < miny <= 47.2


def test_content_shows_land_and_sea_with_texture(tmp_path):
    ds = _open(raster.make_delivery(COAST, tmp_path / "coast.tif", seed="s1"))
    red, nir = (ds.GetRasterBand(b).ReadAsArray().astype(float) for b in (3, 4))
    water = nir < 400  # water reflects almost no near infrared
    assert 0.1 < water.mean() < 0.9, "the estuary box holds both land and sea"
    assert red[~water].std() > 50, "land is textured, not a flat colour"
    inland = _read(raster.make_delivery(INLAND, tmp_path / "in.tif", seed="s1"), 4)
    ocean = _read(raster.make_delivery(OCEAN, tmp_path / "sea.tif", seed="s1"), 4)
    assert (inland > 1500).mean() > 0.95 and (ocean < 400).all()


def test_same_seed_same_bytes_other_seed_other_pixels(tmp_path):
    a = raster.make_delivery(INLAND, tmp_path / "a.tif", seed="x", max_pixels=256)
    b = raster.make_delivery(INLAND, tmp_path / "b.tif", seed="x", max_pixels=256)
    c = raster.make_delivery(INLAND, tmp_path / "c.tif", seed="y", max_pixels=256)
    assert a.read_bytes() == b.read_bytes()
    assert not np.array_equal(_open(a).ReadAsArray(), _open(c).ReadAsArray())


def test_outside_the_aoi_polygon_is_nodata(tmp_path):
    ds = _open(raster.make_delivery(TRIANGLE, tmp_path / "t.tif", seed="s", max_pixels=200))
    data = ds.GetRasterBand(1).ReadAsArray()
    assert data[0, 0] != 0  # north-west corner is inside the triangle
    assert data[0, -1] == 0  # north-east corner is outside
    assert 0.3 < (data == 0).mean() < 0.7


def test_gtiff_has_internal_overviews_and_jp2_opens_with_resolution_levels(tmp_path):
    tif = _open(raster.make_delivery(INLAND, tmp_path / "o.tif", fmt="GTiff", max_pixels=512))
    assert tif.RasterCount == 4 and tif.GetRasterBand(1).GetOverviewCount() >= 2
    assert not (tmp_path / "o.tif.ovr").exists()
    jp2_path = raster.make_delivery(TRIANGLE, tmp_path / "o.jp2", fmt="JP2", max_pixels=512)
    jp2 = _open(jp2_path)
    assert jp2.GetDriver().ShortName == "JP2OpenJPEG"
    assert jp2.RasterCount == 4 and jp2.GetRasterBand(1).GetOverviewCount() >= 1
    assert jp2.GetRasterBand(1).GetNoDataValue() == 0  # from the PAM sidecar
    assert (tmp_path / "o.jp2.aux.xml").exists()
    assert osr.SpatialReference(wkt=jp2.GetProjection()).GetAuthorityCode(None) == "4326"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.jp2", "o.jp2.aux.xml", "o.tif"], "no temp files left"


def test_utm_output_and_data_types(tmp_path):
    epsg = raster.utm_epsg(2.1, 46.55)
    assert epsg == 32631 and raster.utm_epsg(-70.0, -33.0) == 32719
    ds = _open(raster.make_delivery(INLAND, tmp_path / "u.tif", epsg=epsg, dtype="int16", bands=6, max_pixels=300))
    assert osr.SpatialReference(wkt=ds.GetProjection()).GetAuthorityCode(None) == "32631"
    assert ds.RasterCount == 6 and ds.GetRasterBand(1).DataType == gdal.GDT_Int16
    assert ds.GetRasterBand(1).GetNoDataValue() == -32768
    minx, miny, maxx, maxy = _bounds(ds)
    assert 300_000 < minx < maxx < 700_000 and 5_100_000 < miny < maxy < 5_200_000
    pan = _open(raster.make_delivery(INLAND, tmp_path / "p.tif", bands=1, dtype="uint8", max_pixels=100))
    assert pan.RasterCount == 1 and pan.GetRasterBand(1).DataType == gdal.GDT_Byte
    assert pan.GetRasterBand(1).GetDescription() == "panchromatic"


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="fmt"):
        raster.make_delivery(INLAND, tmp_path / "x", fmt="PNG")
    with pytest.raises(ValueError, match="dtype"):
        raster.make_delivery(INLAND, tmp_path / "x", dtype="float64")
    with pytest.raises(ValueError, match="EPSG:4326"):
        raster.make_delivery({"type": "Point", "coordinates": [500000, 5000000]}, tmp_path / "x")
    assert list(tmp_path.iterdir()) == []


def test_quicklook_is_a_small_rgb_png_and_clouds_show(tmp_path):
    clear = raster.make_quicklook_png(INLAND, seed="q", size=128)
    assert clear.startswith(b"\x89PNG\r\n\x1a\n")
    path = tmp_path / "q.png"
    path.write_bytes(clear)
    ds = _open(path)
    assert ds.RasterCount == 3 and max(ds.RasterXSize, ds.RasterYSize) == 128
    cloudy = tmp_path / "c.png"
    cloudy.write_bytes(raster.make_quicklook_png(INLAND, seed="q", size=128, cloud_cover=60))
    assert _open(cloudy).ReadAsArray().mean() > ds.ReadAsArray().mean() + 40
    assert raster.make_quicklook_png(INLAND, seed="q", size=128) == clear


def test_the_callers_gdal_exception_mode_is_restored(tmp_path):
    before = gdal.GetUseExceptions()
    raster.make_quicklook_png(INLAND, size=32)
    assert gdal.GetUseExceptions() == before


def test_spectra_and_band_names_choose_the_bands(tmp_path):
    ds = _open(raster.make_delivery(INLAND, tmp_path / "s.tif", spectra=["nir", "red", "pan"], band_names=["B8", "B4", "P"],
                                    max_pixels=64))
    assert ds.RasterCount == 3 and [ds.GetRasterBand(i).GetDescription() for i in (1, 2, 3)] == ["B8", "B4", "P"]
    nir, red = ds.GetRasterBand(1).ReadAsArray().mean(), ds.GetRasterBand(2).ReadAsArray().mean()
    assert nir > 2 * red  # vegetated land: near infrared well above red
    with pytest.raises(ValueError, match="spectra"):
        raster.make_delivery(INLAND, tmp_path / "x.tif", spectra=["ultraviolet"])
