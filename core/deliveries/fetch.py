"""Fetching an order's delivery off the GUI thread.

:func:`fetch_delivery` is the work: list the order's assets, plan them
(:mod:`core.deliveries`), download each into the order's folder through the adapter
(``.part`` files, Range resume, size and checksum checked before the rename), unpack zips
safely (:mod:`core.deliveries.unzip`), and return a :class:`DeliveryResult` for the layer code. It
touches no layer, widget or project, so the same function serves the download task and
the Processing algorithm. :func:`delivery_work` shapes it for a :class:`tasks.base.FunctionTask`:
progress in QGIS's task manager (``setProgress``), cancel between chunks (``isCanceled``);
the task's ``on_done`` runs on the GUI thread and is where layers are added.

A GeoTIFF whose provider announced no checksum is opened and its last pixel decoded before
it is kept: a server that cuts a file short while announcing the short length (the
sandbox's ``truncate`` fault) cannot be told by size; the file had its final name for that
moment and is deleted when it fails.

Failures: cancelling, a full or read-only disk, and credential or payment problems stop
the whole delivery (the next file would fail the same way); a damaged or incomplete file
fails that asset only and the others are still delivered. A zip member Nadir cannot unpack
(encrypted, an unsupported compression, a name that is also a folder) fails that member
only, reported with the asset's title and the member's name; such an archive is not
recorded as complete, so the next attempt tries it again. A cancelled or interrupted
download keeps its ``.part`` file, so the next attempt resumes it.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

from .. import errors
from ..errors import storage_error
from ..ports import SupportsDeliveries, closing_adapter
from .files import AssetFailure, DeliveryResult, LocalRaster, Manifest, OverallProgress, StreamRaster
from .plan import Mode, PlannedAsset, is_raster_path, plan_delivery, provenance_of, provider_title
from .unzip import MemberFailure, extract

LOGGER = logging.getLogger(__name__)

#: Errors after which the other assets are not tried.
FATAL = (errors.OperationCancelled, errors.StorageError, errors.ProviderAuthError, errors.PaymentRequired)


def _check_space(folder: Path, item: PlannedAsset) -> None:
    size = item.asset.size
    if not size:
        return
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise storage_error(exc, folder) from None
    part = folder / (item.file_name + ".part")
    needed = size - (part.stat().st_size if part.exists() else 0)
    if item.unpack:
        needed += size  # the unpacked files need about as much again
    if needed > free:
        raise errors.StorageError(
            f"There is not enough disk space for {item.file_name} in {folder} ({needed // 1024**2} MiB needed, "
            f"{free // 1024**2} MiB free). Free some space or choose another download folder in "
            f"Settings > Options > Nadir."
        )


def readable_to_the_end(path: Path) -> bool:
    """A GeoTIFF opens and its last pixel decodes: a file cut short by a server that
    announced no size or checksum fails here (GDAL reads the tile that holds it)."""
    from osgeo import gdal

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        dataset = gdal.Open(str(path))
        if dataset is None or not dataset.RasterCount:
            return False
        return dataset.ReadRaster(dataset.RasterXSize - 1, dataset.RasterYSize - 1, 1, 1) is not None
    except RuntimeError:  # when the caller turned GDAL exceptions on
        return False
    finally:
        dataset = None
        gdal.PopErrorHandler()


def _fetch_one(
    adapter: SupportsDeliveries,
    folder: Path,
    item: PlannedAsset,
    manifest: Manifest,
    progress: OverallProgress,
    cancelled: Callable[[], bool],
    left_out: list[MemberFailure],
) -> tuple[list[Path], int]:
    """Download (and unpack) one asset; return its files and the bytes downloaded. Zip
    members that could not be unpacked are added to ``left_out``."""
    _check_space(folder, item)
    target = folder / item.file_name
    path = adapter.download(item.asset, target, progress=progress.download(item.unpack), cancelled=cancelled)
    size = path.stat().st_size
    if not item.unpack:
        if path.suffix.lower() in (".tif", ".tiff") and not item.asset.checksum and not readable_to_the_end(path):
            path.unlink(missing_ok=True)
            raise errors.InvalidResponse(
                f"{provider_title(item.asset.provider)} sent {path.name} incomplete or damaged: it cannot be read to "
                f"the end, so Nadir did not keep it. Download the order again.",
                provider=item.asset.provider,
                endpoint="delivery.file",
            )
        manifest.record(item, [path], size)
        return [path], size
    into = folder / (item.unpack_folder or Path(item.file_name).stem)
    try:
        files = extract(
            path, into, item.asset.provider, progress=progress.unpack(), cancelled=cancelled, failures=left_out
        )
    except errors.InvalidResponse:
        path.unlink(missing_ok=True)  # damaged: the next attempt downloads it again
        if into.is_dir():
            shutil.rmtree(into, ignore_errors=True)
        raise
    if not left_out:
        manifest.record(item, files, None)
    path.unlink(missing_ok=True)  # the unpacked files are what is kept; the manifest lists them
    return files, size


def fetch_delivery(
    adapter: Any,
    order_id: str,
    root: Path,
    *,
    mode: Mode = Mode.DOWNLOAD,
    progress: Callable[[float], None] = lambda percent: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> DeliveryResult:
    """Deliver ``order_id`` into ``root/<provider>_<order id>``. Worker thread."""
    if not isinstance(adapter, SupportsDeliveries):
        raise errors.NotSupported(f"{getattr(adapter, 'title', adapter)} cannot deliver orders through Nadir.")
    provider = str(getattr(adapter, "id", ""))
    assets = adapter.assets(order_id)
    if cancelled():
        raise errors.OperationCancelled()
    plan = plan_delivery(provider, order_id, assets, mode)
    folder = Path(root) / plan.folder_name
    if plan.downloads:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, folder) from None
    manifest = Manifest.load(folder, provider, order_id)
    rasters: list[LocalRaster] = []
    streams: list[StreamRaster] = []
    failures: list[AssetFailure] = []
    first_error: Optional[errors.NadirError] = None
    reused = downloaded = 0
    downloads = plan.downloads
    overall = OverallProgress(downloads, progress)
    for item in plan.streams:
        streams.append(
            StreamRaster(href=item.asset.href, provenance=provenance_of(item.asset), needs_auth=item.asset.needs_auth)
        )
    for index, item in enumerate(downloads):
        if cancelled():
            raise errors.OperationCancelled()
        overall.start(index)
        files = manifest.files(item)
        if files is not None:
            reused += 1
        else:
            left_out: list[MemberFailure] = []
            try:
                files, size = _fetch_one(adapter, folder, item, manifest, overall, cancelled, left_out)
                downloaded += size
                for member in left_out:
                    LOGGER.warning(
                        "%s: %s not unpacked: %s", item.asset.title or item.asset.id, member.name, member.reason
                    )
                    failures.append(
                        AssetFailure(
                            asset_id=item.asset.id,
                            title=f"{item.asset.title or item.asset.id}: {member.name}",
                            message=f"{member.name} in {item.file_name} was not unpacked: {member.reason}.",
                        )
                    )
            except FATAL:
                raise
            except errors.NadirError as exc:
                LOGGER.warning("%s: %s", item.asset.title or item.asset.id, exc.message)
                failures.append(AssetFailure(asset_id=item.asset.id, title=item.asset.title, message=exc.message))
                first_error = first_error or exc
                continue
        provenance = provenance_of(item.asset)
        rasters += [LocalRaster(path=str(p), provenance=provenance) for p in files if is_raster_path(p.name)]
    overall.start(len(downloads))
    if first_error is not None and not rasters and not streams:
        raise first_error
    failed_assets = len({f.asset_id for f in failures})
    LOGGER.info(
        "%s order %s: %d file(s) downloaded, %d reused, %d streamed, %d failed",
        provider,
        order_id,
        len(downloads) - reused - failed_assets,
        reused,
        len(streams),
        len(failures),
    )
    return DeliveryResult(
        provider=provider,
        order_id=order_id,
        folder=str(folder),
        rasters=tuple(rasters),
        streams=tuple(streams),
        failures=tuple(failures),
        skipped=tuple(a.id for a in plan.skipped),
        reused=reused,
        downloaded_bytes=downloaded,
    )


def delivery_work(
    adapter: Any, order_id: str, root: Path, mode: Mode = Mode.DOWNLOAD
) -> Callable[[Any], DeliveryResult]:
    """The work of a :class:`tasks.base.FunctionTask`; the task owns the adapter and closes it."""

    def work(task: Any) -> DeliveryResult:
        with closing_adapter(adapter):
            return fetch_delivery(adapter, order_id, root, mode=mode, progress=task.progress, cancelled=task.cancelled)

    return work
