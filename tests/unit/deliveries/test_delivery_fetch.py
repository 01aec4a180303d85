"""core.deliveries.fetch.fetch_delivery against the sandbox with the real adapters (no QGIS):
every provider's files complete and valid, reuse, resume, cancel, a server dying
mid-file, a corrupt zip, a full or read-only disk."""

from __future__ import annotations

import subprocess
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from osgeo import gdal

from nadir.core import errors
from nadir.core.deliveries.fetch import fetch_delivery
from nadir.core.deliveries.plan import Mode
from support.deliveries import AARHUS_WIDE, PROVIDERS, delivered

gdal.UseExceptions()


def raster_ok(path: str) -> gdal.Dataset:
    dataset = gdal.Open(path)
    assert dataset.RasterXSize > 0 and dataset.RasterCount >= 1 and dataset.GetGeoTransform()[1] > 0
    assert dataset.GetRasterBand(1).Checksum() >= 0  # every block decodes
    return dataset


def download_requests(sb, provider):
    prefix = {
        "clearsky": "/clearsky/api/satelliteimages/process",
        "oneatlas": "/oneatlas-access/api/v1/items",
        "geopera": "/geopera/v1/items",
        "up42": "/up42/v2/assets",
    }[provider]
    method = "POST" if provider == "clearsky" else "GET"
    return [r for r in sb.requests(prefix) if r["method"] == method and not r["path"].endswith("/quicklook")]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_each_provider_delivers_complete_valid_rasters_and_reuses_them(sb, tmp_path, provider):
    adapter, order_id = delivered(sb, provider)
    percents = []
    result = fetch_delivery(adapter, order_id, tmp_path, progress=percents.append)
    folder = Path(result.folder)
    assert folder.parent == tmp_path and folder.name.startswith(f"{provider}_")
    assert result.rasters and not result.failures and not result.streams
    for raster in result.rasters:
        dataset = raster_ok(raster.path)
        assert Path(raster.path).is_relative_to(folder)
        assert raster.provenance.provider == provider and raster.provenance.order_id == order_id
        assert raster.provenance.acquired is not None and raster.provenance.attribution
        if provider == "oneatlas":
            assert raster.path.endswith(".JP2") and dataset.GetDriver().ShortName.startswith("JP2")
    assert not list(folder.rglob("*.part")) and not list(folder.rglob("*.zip"))
    assert (folder / "nadir-delivery.json").exists()
    assert percents[-1] == 100.0 and percents == sorted(percents)
    fetched = len(download_requests(sb, provider))
    again = fetch_delivery(adapter, order_id, tmp_path)
    assert again.reused == len({r.provenance.asset_id for r in result.rasters}) and again.downloaded_bytes == 0
    assert [r.path for r in again.rasters] == [r.path for r in result.rasters]
    assert len(download_requests(sb, provider)) == fetched  # nothing downloaded twice
    adapter.close()


def test_geopera_cogs_are_streamed_without_downloading(sb, tmp_path):
    adapter, order_id = delivered(sb, "geopera")
    result = fetch_delivery(adapter, order_id, tmp_path, mode=Mode.STREAM)
    assert len(result.streams) == 1 and not result.rasters
    stream = result.streams[0]
    assert stream.needs_auth and stream.href.startswith(sb.provider_url("geopera") + "/v1/items/")
    assert download_requests(sb, "geopera") == []
    up42, up42_order = delivered(sb, "up42")  # UP42 gives tokens only: downloaded even when streaming is asked
    mixed = fetch_delivery(up42, up42_order, tmp_path, mode=Mode.STREAM)
    assert mixed.rasters and not mixed.streams
    adapter.close()
    up42.close()


def test_cancelled_download_leaves_no_final_file_and_resumes_with_range(sb, tmp_path):
    adapter, order_id = delivered(sb, "clearsky", aoi=AARHUS_WIDE)
    seen = []

    def cancelled():
        return len(seen) > 2

    with pytest.raises(errors.OperationCancelled):
        fetch_delivery(adapter, order_id, tmp_path, progress=seen.append, cancelled=cancelled)
    folder = next(tmp_path.iterdir())
    parts = list(folder.glob("*.part"))
    assert parts and all(p.stat().st_size > 0 for p in parts)
    assert not list(folder.glob("*.tif"))  # nothing under a final name
    result = fetch_delivery(adapter, order_id, tmp_path)
    assert len(result.rasters) == 2 and not list(folder.glob("*.part"))
    ranges = [r["headers"].get("range") for r in download_requests(sb, "clearsky")]
    assert any(r and r.startswith("bytes=") and r != "bytes=0-" for r in ranges), ranges
    for raster in result.rasters:
        raster_ok(raster.path)
    adapter.close()


def test_a_server_dying_mid_file_is_resumed_or_said(sb, tmp_path):
    adapter, order_id = delivered(sb, "up42")
    sb.fault(kind="drop_after_commit", prefix="/up42/v2/assets/", method="GET", times=1)
    result = fetch_delivery(adapter, order_id, tmp_path)  # the read retry policy asks again
    raster_ok(result.rasters[0].path)
    assert len(download_requests(sb, "up42")) >= 2
    other, other_order = delivered(sb, "geopera", reference="ref-dies")
    sb.fault(kind="drop_after_commit", prefix="/geopera/v1/items/", method="GET", times=0)
    with pytest.raises(errors.ProviderUnavailable, match="interrupted") as info:
        fetch_delivery(other, other_order, tmp_path)
    assert "resume" in str(info.value)
    sb.clear_faults()
    folder = tmp_path / f"geopera_{other_order}"
    assert not [p for p in folder.iterdir() if p.suffix == ".tif"]
    raster_ok(fetch_delivery(other, other_order, tmp_path).rasters[0].path)  # later it works
    adapter.close()
    other.close()


def test_a_geotiff_cut_short_with_a_matching_length_is_not_kept(sb, tmp_path):
    adapter, order_id = delivered(sb, "up42")
    sb.fault(kind="truncate", prefix="/up42/v2/assets/", method="GET", times=1)
    with pytest.raises(errors.InvalidResponse, match="incomplete or damaged") as info:
        fetch_delivery(adapter, order_id, tmp_path)
    assert "UP42" in str(info.value) and "Download the order again" in str(info.value)
    folder = tmp_path / f"up42_{order_id}"
    assert not list(folder.glob("*.tif")) and not list(folder.glob("*.part"))
    result = fetch_delivery(adapter, order_id, tmp_path)
    raster_ok(result.rasters[0].path)
    adapter.close()


def test_a_truncated_zip_is_a_clear_error_and_is_downloaded_again(sb, tmp_path):
    adapter, order_id = delivered(sb, "oneatlas")
    sb.fault(kind="truncate", prefix="/oneatlas-access/api/v1/items/", method="GET", times=1)
    with pytest.raises(errors.InvalidResponse, match="is damaged") as info:
        fetch_delivery(adapter, order_id, tmp_path)
    assert "Airbus OneAtlas" in str(info.value) and "Download the order again" in str(info.value)
    folder = tmp_path / f"oneatlas_{order_id}"
    assert not list(folder.rglob("*.zip")) and not list(folder.rglob("*.JP2"))
    result = fetch_delivery(adapter, order_id, tmp_path)
    assert len(result.rasters) == 2 and all(raster_ok(r.path) for r in result.rasters)
    adapter.close()


def test_one_failed_asset_does_not_lose_the_others(sb, tmp_path, monkeypatch):
    adapter, order_id = delivered(sb, "clearsky")
    real = adapter.download

    def flaky(asset, destination, progress=None, cancelled=lambda: False):
        if asset.id.endswith("01-01"):
            raise errors.InvalidResponse(
                "ClearSKY Vision returned a file whose sha256 checksum does not match.", provider="clearsky"
            )
        return real(asset, destination, progress=progress, cancelled=cancelled)

    monkeypatch.setattr(adapter, "download", flaky)
    result = fetch_delivery(adapter, order_id, tmp_path)
    assert len(result.rasters) == 1 and [f.asset_id for f in result.failures] == ["2024-01-01"]
    assert "checksum" in result.failures[0].message and "1 asset(s) failed" in result.summary()
    adapter.close()


@contextmanager
def mounted(path: Path, *options: str):
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(path)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_disk_says_so_and_leaves_no_file_under_the_final_name(sb, tmp_path):
    adapter, order_id = delivered(sb, "oneatlas")
    with mounted(tmp_path / "tiny", "size=96k") as tiny:
        with pytest.raises(errors.StorageError, match="not enough disk space") as info:
            fetch_delivery(adapter, order_id, tiny)
        assert "Settings > Options > Nadir" in str(info.value)
        finals = [p for p in tiny.rglob("*") if p.is_file() and p.suffix in (".zip", ".JP2")]
        assert finals == []
    adapter.close()


def test_a_read_only_folder_says_permission_denied(sb, tmp_path):
    adapter, order_id = delivered(sb, "up42")
    with mounted(tmp_path / "ro", "size=1m", "ro") as readonly:
        with pytest.raises(errors.StorageError, match="may not write") as info:
            fetch_delivery(adapter, order_id, readonly)
        assert str(readonly) in str(info.value)
    adapter.close()


def test_zip_members_never_escape_the_order_folder(sb, tmp_path, monkeypatch):
    adapter, order_id = delivered(sb, "oneatlas")

    def evil(asset, destination, progress=None, cancelled=lambda: False):
        with zipfile.ZipFile(destination, "w") as archive:
            archive.writestr("../../escaped.tif", b"x")
        return destination

    monkeypatch.setattr(adapter, "download", evil)
    with pytest.raises(errors.InvalidResponse, match="unsafe path"):
        fetch_delivery(adapter, order_id, tmp_path / "root")
    assert not list(tmp_path.rglob("escaped.tif"))
    adapter.close()
