"""What a delivery left on disk: the per-order manifest, the result handed to the layer
code, and overall progress across several files. Qt-free.

The manifest (``nadir-delivery.json`` in the order folder, written atomically) records
each asset whose files are complete and checked, so downloading an order again reuses
them and only fetches what is missing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from ..errors import storage_error
from ..models import Model
from .plan import MANIFEST, PlannedAsset, Provenance

__all__ = ["MANIFEST", "AssetFailure", "DeliveryResult", "LocalRaster", "Manifest", "OverallProgress", "StreamRaster"]
VERSION = 1


class LocalRaster(Model):
    path: str
    provenance: Provenance


class StreamRaster(Model):
    href: str  # may carry a pre-signed query: never shown, never logged
    provenance: Provenance
    needs_auth: bool = True


class AssetFailure(Model):
    asset_id: str
    title: str = ""
    message: str


class DeliveryResult(Model):
    provider: str
    order_id: str
    folder: str
    rasters: tuple[LocalRaster, ...] = ()
    streams: tuple[StreamRaster, ...] = ()
    failures: tuple[AssetFailure, ...] = ()
    skipped: tuple[str, ...] = ()  # assets not fetched (thumbnails, metadata...)
    reused: int = 0  # assets already complete on disk
    downloaded_bytes: int = 0

    @property
    def empty(self) -> bool:
        return not self.rasters and not self.streams

    def summary(self) -> str:
        parts = []
        if self.rasters:
            parts.append(f"{len(self.rasters)} raster file(s) in {self.folder}")
        if self.streams:
            parts.append(f"{len(self.streams)} streamed raster(s)")
        if self.failures:
            parts.append(f"{len(self.failures)} asset(s) failed")
        return "; ".join(parts) or "nothing delivered yet"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Manifest:
    """``nadir-delivery.json``: asset id -> files (relative to the order folder)."""

    def __init__(self, folder: Path, provider: str, order_id: str, assets: Optional[dict[str, Any]] = None) -> None:
        self.folder = folder
        self.provider = provider
        self.order_id = order_id
        self.assets: dict[str, Any] = assets or {}

    @classmethod
    def load(cls, folder: Path, provider: str, order_id: str) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(folder, provider, order_id)
        except (OSError, ValueError):  # unreadable: start afresh, files are checked again anyway
            return cls(folder, provider, order_id)
        if not isinstance(data, dict) or data.get("provider") != provider or data.get("order_id") != order_id:
            return cls(folder, provider, order_id)
        assets = data.get("assets")
        return cls(folder, provider, order_id, assets if isinstance(assets, dict) else {})

    def files(self, item: PlannedAsset) -> Optional[list[Path]]:
        """The asset's files when a complete copy is recorded and still on disk, else None."""
        entry = self.assets.get(item.asset.id)
        if not isinstance(entry, dict) or entry.get("file_name") != item.file_name:
            return None
        if item.asset.checksum and entry.get("checksum") != item.asset.checksum:
            return None
        names = entry.get("files")
        if not isinstance(names, list) or not names:
            return None
        paths = [self.folder / str(name) for name in names]
        if not all(p.is_file() for p in paths):
            return None
        size = entry.get("size")
        if not item.unpack and isinstance(size, int) and paths[0].stat().st_size != size:
            return None
        return paths

    def record(self, item: PlannedAsset, files: Sequence[Path], size: Optional[int]) -> None:
        self.assets[item.asset.id] = {
            "file_name": item.file_name,
            "files": [p.relative_to(self.folder).as_posix() for p in files],
            "size": size,
            "checksum": item.asset.checksum,
            "completed_at": _now(),
        }
        self.save()

    def save(self) -> None:
        path = self.folder / MANIFEST
        tmp = path.with_name(path.name + ".part")
        body = {"version": VERSION, "provider": self.provider, "order_id": self.order_id, "assets": self.assets}
        try:
            tmp.write_text(json.dumps(body, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise storage_error(exc, path) from None


class OverallProgress:
    """Percent over several files: weighted by size when every size is known, else one
    share per file; an archive's share is 80 % download and 20 % unpacking."""

    def __init__(self, items: Sequence[PlannedAsset], report: Callable[[float], None]) -> None:
        sizes = [i.asset.size for i in items]
        known = all(isinstance(s, int) and s > 0 for s in sizes)
        self._weights = [float(s) if known and s else 1.0 for s in sizes]
        self._total = sum(self._weights) or 1.0
        self._done = 0.0
        self._index = 0
        self._report = report

    def start(self, index: int) -> None:
        self._index = index
        self._done = sum(self._weights[:index])
        self._report(100.0 * self._done / self._total)

    def part(self, fraction: float) -> None:
        fraction = max(0.0, min(1.0, fraction))
        weight = self._weights[self._index] if self._index < len(self._weights) else 0.0
        self._report(100.0 * (self._done + weight * fraction) / self._total)

    def download(self, unpack: bool) -> Callable[[int, Optional[int]], None]:
        scale = 0.8 if unpack else 1.0

        def progress(done: int, total: Optional[int]) -> None:
            if total:
                self.part(scale * done / total)

        return progress

    def unpack(self) -> Callable[[int, int], None]:
        def progress(done: int, total: int) -> None:
            if total:
                self.part(0.8 + 0.2 * done / total)

        return progress
