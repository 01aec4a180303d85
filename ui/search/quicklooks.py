"""Quicklooks of archive search results: thumbnails for the table, drapes on the map.

:class:`QuicklookService` loads the quicklooks the search table asks for in the
background. Work is bounded however many captures there are: one task per provider
works through that provider's queue and ends when it is empty (at most ``max_tasks``
tasks at once, and one thread of QGIS's task pool always left for the map), so 10,000
captures are 3 tasks, not 10,000. Keys passed to :meth:`prioritise` (the rows in view)
jump their queue. A task reads the disk cache first (:mod:`core.search.quicklook_cache`),
else asks the adapter, stores the image, decodes and scales it to a thumbnail
(``QImage`` is safe off the GUI thread) and publishes them in batches; the GUI thread
turns them into ``QPixmap`` s, keeps the most recent ``max_thumbnails`` in memory and
emits ``ready(key)``. A thumbnail that left the memory cache is read again from disk
(prioritised) when :meth:`thumbnail` is asked for it.

A capture whose quicklook fails is reported once with ``failed(key, message)`` and not
asked again; a provider that refuses the credentials or fails three quicklooks in a row
is given up for the session (its remaining captures fail with its message, no loop of
retries) until :meth:`retry_failed`.

:meth:`drape` puts a quicklook on the map on its footprint: a VRT reading the cached
image in place (``/vsisubfile``), with GCPs at the footprint's 4 corners warped onto the
footprint's bounding box at the image's own size (a footprint that is not a 4-corner
polygon gets its bounding box as the image's extent). The layer goes into a
"Quicklooks" group inside Nadir's group, one per capture (draping twice gives the same
layer); its cache file is pinned while it is on the map, and removing the layer removes
its VRTs. The layer's source is a local file: no address, no key.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Optional

from osgeo import gdal
from qgis.core import QgsLayerTreeGroup, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QObject, Qt, QThreadPool, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QImage, QPixmap

from ...core.errors import (
    InputError,
    NadirError,
    NotSupported,
    OperationCancelled,
    PaymentRequired,
    ProviderAuthError,
    StorageError,
)
from ...core.models import Capture
from ...core.search.quicklook_cache import HEADER_SIZE, QuicklookCache
from ...core.search.results import capture_key
from ...tasks.base import FunctionTask, TaskContext, TaskRunner
from ...toolbelt.core_text import tr_core
from ...toolbelt.i18n import QT_TRANSLATE_NOOP, tr
from ...toolbelt.layer_tree import nadir_group

LOGGER = logging.getLogger(__name__)

QUICKLOOK_PROPERTY = "nadir/quicklook"
GROUP_PROPERTY = "nadir/quicklooks"
#: consecutive failures after which a provider's quicklooks are given up for the session
GIVE_UP_AFTER = 3
#: a task hands its thumbnails to the GUI thread every 0.1 s or every 25 thumbnails, so
#: no batch holds the GUI thread long (a warm disk cache reads hundreds per 0.1 s)
PUBLISH_EVERY = 0.1
PUBLISH_AT_MOST = 25

AdapterFactory = Callable[[str], Any]

NOT_AN_IMAGE = QT_TRANSLATE_NOOP("Nadir", "The provider's quicklook is not an image.")


class _Queue:
    """One provider's captures waiting for their quicklook; shared with its task."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, Capture] = {}
        self._normal: deque[str] = deque()
        self._urgent: deque[str] = deque()

    def add(self, capture: Capture) -> bool:
        key = capture_key(capture)
        with self._lock:
            if key in self._waiting:
                return False
            self._waiting[key] = capture
            self._normal.append(key)
            return True

    def prioritise(self, keys: Sequence[str]) -> None:
        with self._lock:
            for key in reversed(keys):
                if key in self._waiting:
                    self._urgent.appendleft(key)

    def pop(self) -> Optional[tuple[str, Capture]]:
        with self._lock:
            for line in (self._urgent, self._normal):
                while line:
                    key = line.popleft()
                    capture = self._waiting.pop(key, None)
                    if capture is not None:
                        return key, capture
            return None

    def drain(self) -> list[str]:
        with self._lock:
            keys = list(self._waiting)
            self._waiting.clear()
            self._normal.clear()
            self._urgent.clear()
            return keys

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._waiting

    def __len__(self) -> int:
        with self._lock:
            return len(self._waiting)


class _GaveUp:
    def __init__(self, message: str, keys: list[str]) -> None:
        self.message = message
        self.keys = keys


def _thumbnail_image(data: bytes, size: int) -> Optional[QImage]:
    image = QImage.fromData(data)
    if image.isNull():
        return None
    if image.width() > size or image.height() > size:
        image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def _load_queue(context: TaskContext, queue: _Queue, adapter: Any, cache: QuicklookCache, size: int) -> Any:
    """Worker thread: work through ``queue``; publish batches of ("ready"|"failed", key, ...)."""
    batch: list[tuple[str, str, Any]] = []
    last = time.monotonic()
    failures = 0
    try:
        while True:
            context.check()
            item = queue.pop()
            if item is None:
                return None
            key, capture = item
            data = cache.get(key)
            fetched = data is None
            if data is None:
                try:
                    data = adapter.quicklook(capture)
                except (OperationCancelled, NotSupported) as exc:
                    if isinstance(exc, OperationCancelled):
                        raise
                    batch.append(("failed", key, exc.message))
                    continue
                except NadirError as exc:
                    failures += 1
                    batch.append(("failed", key, exc.message))
                    if isinstance(exc, (ProviderAuthError, PaymentRequired)) or failures >= GIVE_UP_AFTER:
                        return _GaveUp(exc.message, queue.drain())
                    continue
            image = _thumbnail_image(data, size)
            if image is None:
                cache.discard(key)
                batch.append(("failed", key, NOT_AN_IMAGE))
                continue
            failures = 0
            if fetched:
                try:
                    cache.put(key, data)
                except StorageError as exc:  # the thumbnail still shows; only the disk copy is missing
                    LOGGER.warning("%s", exc)
            batch.append(("ready", key, image))
            if len(batch) >= PUBLISH_AT_MOST or time.monotonic() - last >= PUBLISH_EVERY:
                context.publish(batch)
                batch, last = [], time.monotonic()
    finally:
        if batch:
            context.publish(batch)


class QuicklookService(QObject):
    """Quicklook thumbnails and drapes for archive search results (GUI-thread object)."""

    ready = pyqtSignal(str)
    failed = pyqtSignal(str, str)
    #: (key, layer) once a drape asked for before its quicklook was loaded is on the map
    draped = pyqtSignal(str, object)

    def __init__(
        self,
        runner: TaskRunner,
        adapters: AdapterFactory,
        cache: QuicklookCache,
        project: Optional[QgsProject] = None,
        thumb_size: int = 64,
        max_thumbnails: int = 2000,
        max_tasks: int = 3,
        drapes_dir: Optional[Path] = None,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._adapters = adapters
        self.cache = cache
        self.project = project or QgsProject.instance()
        self.thumb_size = thumb_size
        self.max_thumbnails = max_thumbnails
        # QGIS runs tasks and the map's render jobs on the same thread pool (two threads on
        # a two-core machine): quicklooks leave one thread free, so the map still draws
        self.max_tasks = max(1, min(max_tasks, QThreadPool.globalInstance().maxThreadCount() - 1))
        self.drapes_dir = drapes_dir or cache.folder / "drapes"
        self._generation = 0
        self._queues: dict[str, _Queue] = {}
        self._active: dict[str, tuple[FunctionTask, Any, int]] = {}
        self._captures: dict[str, Capture] = {}
        self._thumbs: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: dict[str, str] = {}
        self._given_up: dict[str, str] = {}
        self._drapes: dict[str, str] = {}  # key -> layer id
        self._drape_when_ready: set[str] = set()
        self._pump_scheduled = False
        self._shut = False
        self.project.layersRemoved.connect(self._layers_removed)
        self.project.readProject.connect(self._adopt_drapes)
        self._adopt_drapes()

    # ------------------------------------------------------------------ thumbnails
    def request(self, captures: Iterable[Capture]) -> None:
        """Load the quicklooks of ``captures`` that are not in memory, in the background."""
        for capture in captures:
            key = capture_key(capture)
            self._captures[key] = capture
            if key in self._thumbs or key in self._failed:
                continue
            given_up = self._given_up.get(capture.provider)
            if given_up is not None:
                self._fail(key, given_up)
                continue
            self._queues.setdefault(capture.provider, _Queue()).add(capture)
        self._pump()

    def prioritise(self, keys: Sequence[str]) -> None:
        """Load these keys (the rows in view) before the others."""
        by_provider: dict[str, list[str]] = {}
        for key in keys:
            by_provider.setdefault(key.split(":", 1)[0], []).append(key)
        for provider, mine in by_provider.items():
            queue = self._queues.get(provider)
            if queue is not None:
                queue.prioritise(mine)

    def thumbnail(self, key: str) -> Optional[QPixmap]:
        pixmap = self._thumbs.get(key)
        if pixmap is not None:
            self._thumbs.move_to_end(key)
            return pixmap
        capture = self._captures.get(key)
        if capture is not None and key not in self._failed and capture.provider not in self._given_up:
            queue = self._queues.get(capture.provider)
            if queue is None or key not in queue:  # evicted from memory: read it again, first
                self.request([capture])
            self.prioritise([key])
        return None

    def failure(self, key: str) -> Optional[str]:
        return self._failed.get(key)

    @property
    def pending(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    @property
    def busy(self) -> bool:
        return bool(self._active) or self.pending > 0

    @property
    def thumbnail_count(self) -> int:
        return len(self._thumbs)

    def thumbnail_bytes(self) -> int:
        """Memory held by the thumbnails' pixels."""
        return sum(p.width() * p.height() * max(1, p.depth() // 8) for p in self._thumbs.values())

    def cancel(self) -> None:
        """Stop loading: queues emptied, tasks cancelled; nothing is emitted for them after this."""
        self._generation += 1
        for queue in self._queues.values():
            queue.drain()
        self._queues.clear()
        self._drape_when_ready.clear()
        for task, _, _ in list(self._active.values()):  # a queued task may end inside cancel()
            task.cancel()

    def retry_failed(self) -> None:
        """Forget failed captures and given-up providers (after the user fixed a connection)."""
        self._failed.clear()
        self._given_up.clear()

    def clear(self) -> None:
        """A new search: stop loading and forget captures and thumbnails (drapes stay)."""
        self.cancel()
        self._captures.clear()
        self._thumbs.clear()
        self._failed.clear()

    def shutdown(self) -> None:
        """Plugin unload or the section closed: stop loading, stop following the project."""
        self.cancel()
        if self._shut:
            return
        self._shut = True
        self.project.layersRemoved.disconnect(self._layers_removed)
        self.project.readProject.disconnect(self._adopt_drapes)

    def _pump(self) -> None:
        """Start a task for the next provider with waiting captures, if a slot is free.

        One per event-loop turn: building an adapter (credentials, HTTP client) takes tens of
        milliseconds on the GUI thread, so providers are started one after the other.
        """
        self._pump_scheduled = False
        for provider, queue in list(self._queues.items()):
            if len(self._active) >= self.max_tasks:
                return
            if provider in self._active or len(queue) == 0:
                continue
            if self._start(provider, queue):
                self._schedule_pump()
                return

    def _schedule_pump(self) -> None:
        if not self._pump_scheduled:
            self._pump_scheduled = True
            QTimer.singleShot(0, self._pump)

    def _start(self, provider: str, queue: _Queue) -> bool:
        """Start ``provider``'s task; False if it could not start (its captures failed)."""
        try:
            adapter = self._adapters(provider)
        except NadirError as exc:
            self._give_up(provider, tr_core(exc.message), queue.drain())
            return False
        if not callable(getattr(adapter, "quicklook", None)):
            self._close(adapter)
            self._give_up(provider, tr("This provider has no quicklooks."), queue.drain())
            return False
        generation = self._generation
        task = self._runner.run(
            tr("Loading quicklooks"),
            functools.partial(_load_queue, queue=queue, adapter=adapter, cache=self.cache, size=self.thumb_size),
            on_done=functools.partial(self._task_done, provider),
            on_error=functools.partial(self._task_failed, provider),
            on_partial=functools.partial(self._receive, generation),
        )
        self._active[provider] = (task, adapter, generation)
        return True

    def _receive(self, generation: int, batch: list[tuple[str, str, Any]]) -> None:
        if generation != self._generation:
            return
        for kind, key, value in batch:
            if kind == "ready":
                self._thumbs[key] = QPixmap.fromImage(value)
                self._thumbs.move_to_end(key)
                while len(self._thumbs) > self.max_thumbnails:
                    self._thumbs.popitem(last=False)
                self.ready.emit(key)
                if key in self._drape_when_ready:
                    self._drape_when_ready.discard(key)
                    self._drape_later(key)
            else:
                self._fail(key, tr_core(value))

    def _task_done(self, provider: str, result: Any) -> None:
        _, adapter, generation = self._active.pop(provider)
        self._close(adapter)
        if isinstance(result, _GaveUp) and generation == self._generation:
            self._give_up(provider, tr_core(result.message), result.keys)
        self._pump()

    def _task_failed(self, provider: str, error: BaseException) -> None:
        _, adapter, generation = self._active.pop(provider)
        self._close(adapter)
        if not isinstance(error, OperationCancelled) and generation == self._generation:
            message = (
                tr_core(error.message)
                if isinstance(error, NadirError)
                else tr("Quicklooks could not be loaded (see the Nadir log).")
            )
            queue = self._queues.get(provider)
            self._give_up(provider, message, queue.drain() if queue is not None else [])
        self._pump()

    def _give_up(self, provider: str, message: str, keys: list[str]) -> None:
        LOGGER.info("Quicklooks of %s given up for this session: %s", provider, message)
        self._given_up[provider] = message
        for key in keys:
            self._fail(key, message)

    def _fail(self, key: str, message: str) -> None:
        self._failed[key] = message
        self._drape_when_ready.discard(key)
        self.failed.emit(key, message)

    @staticmethod
    def _close(adapter: Any) -> None:
        close = getattr(adapter, "close", None)
        if callable(close):
            try:
                close()
            except Exception:  # closing a client must not break the next load
                LOGGER.warning("Closing a quicklook adapter failed", exc_info=True)

    # ------------------------------------------------------------------ drapes
    def drape(self, capture: Capture) -> Optional[QgsRasterLayer]:
        """The capture's quicklook on its footprint, as a layer in Nadir's "Quicklooks" group.

        Returns the layer; if the quicklook is not loaded yet it is fetched first and
        ``draped(key, layer)`` follows (None is returned).
        """
        key = capture_key(capture)
        self._captures[key] = capture
        layer = self.drape_layer(key)
        if layer is not None:
            return layer
        path = self.cache.valid_path(key)
        if path is None:
            if key in self._failed:
                raise InputError(self._failed[key])
            self._drape_when_ready.add(key)
            self.request([capture])
            self.prioritise([key])
            return None
        return self._make_drape(key, capture, path)

    def drape_layer(self, key: str) -> Optional[QgsRasterLayer]:
        layer_id = self._drapes.get(key)
        layer = self.project.mapLayer(layer_id) if layer_id else None
        return layer if isinstance(layer, QgsRasterLayer) else None

    def undrape(self, key: str) -> None:
        layer_id = self._drapes.get(key)
        if layer_id is not None and self.project.mapLayer(layer_id) is not None:
            self.project.removeMapLayer(layer_id)

    def remove_drapes(self) -> None:
        ids = [i for i in self._drapes.values() if self.project.mapLayer(i) is not None]
        if ids:
            self.project.removeMapLayers(ids)
        group = self._quicklooks_group(create=False)
        if group is not None and not group.children() and group.parent() is not None:
            group.parent().removeChildNode(group)

    def _drape_later(self, key: str) -> None:
        capture = self._captures.get(key)
        path = self.cache.valid_path(key)
        if capture is None or path is None:
            return
        try:
            layer = self._make_drape(key, capture, path)
        except NadirError as exc:
            self._fail(key, tr_core(exc.message))
            return
        self.draped.emit(key, layer)

    def _make_drape(self, key: str, capture: Capture, path: Path) -> QgsRasterLayer:
        self.drapes_dir.mkdir(parents=True, exist_ok=True)
        vrt = drape_vrt(path, capture.footprint, self.drapes_dir / _drape_name(key))
        title = " ".join(part for part in (capture.provider, capture.collection, capture.id) if part)
        layer = QgsRasterLayer(str(vrt), tr("Quicklook {}").format(title), "gdal")
        if not layer.isValid():
            _remove_vrts(vrt)
            raise InputError(tr("The quicklook of {} could not be draped on its footprint.").format(capture.id))
        layer.setCustomProperty(QUICKLOOK_PROPERTY, key)
        self.project.addMapLayer(layer, False)
        self._quicklooks_group(create=True).insertLayer(0, layer)  # type: ignore[union-attr]
        self.cache.pin(key)
        self._drapes[key] = layer.id()
        return layer

    def _adopt_drapes(self, *_: Any) -> None:
        """Drapes already in the project (a saved project reopened, or another service's):
        reused by :meth:`drape`, their images pinned, their files removed with them."""
        for layer in self.project.mapLayers().values():
            key = layer.customProperty(QUICKLOOK_PROPERTY)
            if isinstance(key, str) and key and isinstance(layer, QgsRasterLayer):
                self._drapes[key] = layer.id()
                self.cache.pin(key)

    def _quicklooks_group(self, create: bool) -> Optional[QgsLayerTreeGroup]:
        parent = nadir_group(self.project) if create else None
        root = parent or self.project.layerTreeRoot()
        for group in root.findGroups(True):
            if group.customProperty(GROUP_PROPERTY):
                return group
        if not create or parent is None:
            return None
        group = parent.insertGroup(0, tr("Quicklooks"))
        group.setCustomProperty(GROUP_PROPERTY, 1)
        return group

    def _layers_removed(self, layer_ids: Sequence[str]) -> None:
        removed = set(layer_ids)
        for key, layer_id in list(self._drapes.items()):
            if layer_id in removed:
                del self._drapes[key]
                self.cache.unpin(key)
                _remove_vrts(self.drapes_dir / _drape_name(key))


# ---------------------------------------------------------------------- georeferencing
def _drape_name(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + ".vrt"


def _remove_vrts(vrt: Path) -> None:
    for path in (vrt, vrt.with_suffix(".gcps.vrt")):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            LOGGER.warning("Could not remove %s: %s", path.name, exc)


def _rings(footprint: Any) -> list[list[tuple[float, float]]]:
    kind = footprint.get("type") if isinstance(footprint, dict) else None
    coordinates = footprint.get("coordinates") if isinstance(footprint, dict) else None
    if kind == "Polygon" and coordinates:
        polygons = [coordinates]
    elif kind == "MultiPolygon" and coordinates:
        polygons = list(coordinates)
    else:
        raise InputError(tr("The capture has no polygon footprint to drape its quicklook on."))
    return [[(float(x[0]), float(x[1])) for x in polygon[0]] for polygon in polygons if polygon and polygon[0]]


def footprint_corners(footprint: Any) -> Optional[list[tuple[float, float]]]:
    """The 4 corners of a 4-corner polygon footprint as the image's upper-left, upper-right,
    lower-right and lower-left (clockwise on the map, starting nearest the north-west);
    None for any other shape (the bounding box is used then)."""
    rings = _rings(footprint)
    if len(rings) != 1:
        return None
    ring = rings[0]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) != 4 or len(set(ring)) != 4:
        return None
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))
    if area2 == 0:
        return None
    if area2 > 0:  # counter-clockwise: turn it clockwise
        ring = ring[::-1]
    west = min(x for x, _ in ring)
    north = max(y for _, y in ring)
    start = min(range(4), key=lambda i: (ring[i][0] - west) ** 2 + (ring[i][1] - north) ** 2)
    return ring[start:] + ring[:start]


def footprint_bounds(footprint: Any) -> tuple[float, float, float, float]:
    points = [point for ring in _rings(footprint) for point in ring]
    if not points:
        raise InputError(tr("The capture has no polygon footprint to drape its quicklook on."))
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def drape_vrt(image_file: Path, footprint: Any, vrt: Path) -> Path:
    """Write ``vrt``: the image in the cache file ``image_file`` on ``footprint`` (EPSG:4326)."""
    west, south, east, north = footprint_bounds(footprint)
    if not (east > west and north > south):
        raise InputError(tr("The capture's footprint is empty; its quicklook cannot be draped."))
    source = gdal.Open(f"/vsisubfile/{HEADER_SIZE},{image_file}")
    if source is None:
        raise InputError(tr("The quicklook is not an image GDAL can read."))
    width, height = source.RasterXSize, source.RasterYSize
    last = source.GetRasterBand(source.RasterCount)
    has_alpha = last.GetColorInterpretation() == gdal.GCI_AlphaBand
    corners = footprint_corners(footprint)
    if corners is None:
        done = gdal.Translate(
            str(vrt), source, format="VRT", outputSRS="EPSG:4326", outputBounds=[west, north, east, south]
        )
    else:
        pixels = [(0, 0), (width, 0), (width, height), (0, height)]
        gcps = [gdal.GCP(x, y, 0.0, px, py) for (x, y), (px, py) in zip(corners, pixels)]
        gcp_file = vrt.with_suffix(".gcps.vrt")
        placed = gdal.Translate(str(gcp_file), source, format="VRT", GCPs=gcps, outputSRS="EPSG:4326")
        if placed is None:
            raise InputError(tr("The quicklook could not be georeferenced."))
        placed = None  # the VRT is written when the dataset is closed
        done = gdal.Warp(
            str(vrt),
            str(gcp_file),
            format="VRT",
            dstSRS="EPSG:4326",
            width=width,
            height=height,
            outputBounds=(west, south, east, north),
            tps=True,
            dstAlpha=not has_alpha,
            resampleAlg="bilinear",
        )
    if done is None:
        raise InputError(tr("The quicklook could not be georeferenced."))
    done = None  # the VRT is written when the dataset is closed
    return vrt
