"""sandbox.raster: deliveries and quicklooks are real, georeferenced, image-like rasters."""

from __future__ import annotations

import math

import numpy as np
import pytest
from osgeo import gdal, osr

from sandbox import raster

# a 0.2 x 0.1 degree box on the Loire estuary: land, sea and the coast between
COAST = {
    "type": "Polygon",
    "coordinates": [[[-2.35, 47.2], [-2.15, 47.2], [-2.15, 47.3], [-2.35, 47.3], [-2.35, 47.2]]],
}
INLAND = {"type": "Polygon", "coordinates": [[[2.0, 46.5], [2.2, 46.5], [2.2, 46.6], [2.0, 46.6], [2.0, 46.5]]]}
OCEAN = {
    "type": "Polygon",
    "coordinates": [[[-30.0, 40.0], [-29.8, 40.0], [-29.8, 40.1], [-30.0, 40.1], [-30.0, 40.0]]],
}
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
    ds = _open(
        raster.make_delivery(
            INLAND, tmp_path / "s.tif", spectra=["nir", "red", "pan"], band_names=["B8", "B4", "P"], max_pixels=64
        )
    )
    assert ds.RasterCount == 3 and [ds.GetRasterBand(i).GetDescription() for i in (1, 2, 3)] == ["B8", "B4", "P"]
    nir, red = ds.GetRasterBand(1).ReadAsArray().mean(), ds.GetRasterBand(2).ReadAsArray().mean()
    assert nir > 2 * red  # vegetated land: near infrared well above red
    with pytest.raises(ValueError, match="spectra"):
        raster.make_delivery(INLAND, tmp_path / "x.tif", spectra=["ultraviolet"])


# ---------------------------------------------------------------- the content looks like the place

BERLIN = {
    "type": "Polygon",
    "coordinates": [[[13.33, 52.48], [13.43, 52.48], [13.43, 52.54], [13.33, 52.54], [13.33, 52.48]]],
}
BRANDENBURG = {
    "type": "Polygon",
    "coordinates": [[[13.9, 52.3], [14.1, 52.3], [14.1, 52.4], [13.9, 52.4], [13.9, 52.3]]],
}
MONT_BLANC = {
    "type": "Polygon",
    "coordinates": [[[6.8, 45.75], [7.1, 45.75], [7.1, 45.95], [6.8, 45.95], [6.8, 45.75]]],
}
SAHARA = {"type": "Polygon", "coordinates": [[[5.0, 25.0], [5.3, 25.0], [5.3, 25.2], [5.0, 25.2], [5.0, 25.0]]]}
BERRY = {
    "type": "Polygon",
    "coordinates": [[[2.0, 46.5], [2.5, 46.5], [2.5, 46.8], [2.0, 46.8], [2.0, 46.5]]],
}  # ~38 x 33 km
FIVE = ["blue", "green", "red", "nir", "swir1"]


def _reflectance(path):
    return _open(path).ReadAsArray().astype(float) / 10_000.0


def _png_array(tmp_path, png, name="q.png"):
    path = tmp_path / name
    path.write_bytes(png)
    return _open(path).ReadAsArray().astype(float)


def _lag_correlation(a, lag):
    return np.corrcoef(a[:, :-lag].ravel(), a[:, lag:].ravel())[0, 1]


def test_sea_is_dark_blue_and_land_brighter_in_every_visible_band(tmp_path):
    blue, green, red, nir = _reflectance(raster.make_delivery(COAST, tmp_path / "c.tif", seed="s1", max_pixels=512))
    water = nir < 0.04
    assert 0.1 < water.mean() < 0.9
    assert blue[water].mean() > red[water].mean() and nir[water].mean() < red[water].mean()
    for band in (blue, green, red):
        assert band[water].mean() < band[~water].mean()
    assert np.median(nir[~water]) > 4 * np.median(red[~water]), "land is mostly vegetation, NIR well above red"


def test_texture_is_spatially_coherent_not_white_noise(tmp_path):
    red = _reflectance(raster.make_delivery(INLAND, tmp_path / "i.tif", seed="s", max_pixels=512))[2]
    assert red.std() > 0.01
    assert _lag_correlation(red, 1) > 0.7  # white noise: about 0
    assert _lag_correlation(red, 8) > 0.3  # fields and woods span many pixels


def _quicklook_bounds(west, south, east, north, width, height):
    """The quicklook's grid: square pixels on the ground, the footprint's bounds from its north-west corner."""
    pixel_m = (east - west) * 111_320.0 * math.cos(math.radians((south + north) / 2.0)) / width
    return west, north - height * pixel_m / 110_574.0, east, north


def _blocks(a, n=4):
    h, w = a.shape[0] // n * n, a.shape[1] // n * n
    return a[:h, :w].reshape(h // n, n, w // n, n).mean(axis=(1, 3))


def test_quicklook_and_delivery_of_one_place_show_the_same_ground(tmp_path):
    # the capture's quicklook (EPSG:4326, seeded by the capture) and an order's delivery of the
    # same place (UTM, seeded by the order) show the same fields, woods and villages
    quicklook = _png_array(tmp_path, raster.make_quicklook_png(BERRY, seed="capture-1", size=256))
    height, width = quicklook.shape[1:]
    delivery = raster.make_delivery(
        BERRY, tmp_path / "d.tif", seed="order-9", max_pixels=1024, epsg=raster.utm_epsg(2.25, 46.65)
    )
    warped = gdal.Warp(
        "/vsimem/nadir-test-warped.tif",
        str(delivery),
        dstSRS="EPSG:4326",
        width=width,
        height=height,
        outputBounds=_quicklook_bounds(2.0, 46.5, 2.5, 46.8, width, height),
        resampleAlg="average",
    )
    try:
        red = warped.GetRasterBand(3).ReadAsArray().astype(float)
    finally:
        warped = None
        gdal.Unlink("/vsimem/nadir-test-warped.tif")
    a, b = _blocks(red), _blocks(quicklook[0])
    valid = (a > 0) & (b > 0)
    assert valid.mean() > 0.9
    correlation = np.corrcoef(a[valid], b[valid])[0, 1]
    assert correlation > 0.6, correlation


def _bright(visible, inside):
    return (visible.min(axis=0) > 0.25) & inside


def test_a_cloudy_capture_delivers_its_clouds_and_their_shadows(tmp_path):
    kwargs = {"seed": "order-3", "max_pixels": 256, "spectra": ["blue", "green", "red"]}
    clear = _reflectance(raster.make_delivery(BERRY, tmp_path / "clear.tif", **kwargs))
    cloudy_path = raster.make_delivery(BERRY, tmp_path / "cloudy.tif", cloud_cover=50, cloud_seed="capture-7", **kwargs)
    cloudy = _reflectance(cloudy_path)
    inside = clear.min(axis=0) > 0
    assert _bright(clear, inside).mean() < 0.01, "farmland in summer has no white pixels"
    bright = _bright(cloudy, inside)
    assert 0.35 < bright.mean() < 0.65, "about the capture's cloud cover is white"
    # shadows: beside the clouds, some ground is much darker than on the clear day
    ground = ~bright & (cloudy.min(axis=0) < 0.2)
    darker = cloudy[2][ground] < 0.7 * clear[2][ground]
    assert darker.mean() > 0.05
    # the same capture, the same clouds: bytes, and the quicklook shows them in the same places
    again = raster.make_delivery(BERRY, tmp_path / "again.tif", cloud_cover=50, cloud_seed="capture-7", **kwargs)
    assert again.read_bytes() == cloudy_path.read_bytes()
    quicklook = _png_array(tmp_path, raster.make_quicklook_png(BERRY, seed="capture-7", size=256, cloud_cover=50))
    white = quicklook.min(axis=0) > 200
    h, w = min(white.shape[0], bright.shape[0]), min(white.shape[1], bright.shape[1])
    assert (white[:h, :w] == bright[:h, :w]).mean() > 0.85
    other = raster.make_delivery(BERRY, tmp_path / "other.tif", cloud_cover=50, cloud_seed="capture-8", **kwargs)
    assert (_bright(_reflectance(other), inside) == bright).mean() < 0.75, "another capture, other clouds"


@pytest.mark.parametrize("cover", [0, 20, 50, 80])
def test_the_quicklooks_white_share_follows_the_cloud_cover(tmp_path, cover):
    rgb = _png_array(tmp_path, raster.make_quicklook_png(BERRY, seed="capture-2", size=192, cloud_cover=cover))
    inside = rgb.max(axis=0) > 0
    white = ((rgb.min(axis=0) > 200) & inside).sum() / inside.sum()
    assert abs(white * 100 - cover) < 15, white


def test_a_city_a_mountain_range_and_a_desert_look_like_themselves(tmp_path):
    def bands(aoi, name):
        return _reflectance(raster.make_delivery(aoi, tmp_path / name, seed="p", spectra=FIVE, max_pixels=192))

    def ndvi(b):
        return float(((b[3] - b[2]) / (b[3] + b[2])).mean())

    city, country, alps, desert = (
        bands(a, n) for a, n in ((BERLIN, "b.tif"), (BRANDENBURG, "r.tif"), (MONT_BLANC, "m.tif"), (SAHARA, "s.tif"))
    )
    # Berlin is a small province of world_map: built up, greener outside
    assert ndvi(city) < ndvi(country) - 0.12
    assert city[:3].mean() > country[:3].mean()

    def snow(b):  # bright in the visible, dark in the short-wave infrared
        return float(((b[:3].mean(axis=0) > 0.5) & (b[4] < 0.15)).mean())

    assert snow(alps) > 0.05 and snow(country) == 0 and snow(desert) == 0
    # the Sahara: bare, bright, red above blue, no vegetation
    assert ndvi(desert) < 0.15 and (desert[2] > desert[0]).mean() > 0.95
    assert desert[:3].mean() > 1.5 * country[:3].mean()
