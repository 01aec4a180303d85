"""A disk cache of quicklook images, shared by the worker threads that fetch them.

Each quicklook is one file named by a hash of its key ``"<provider>:<capture id>"`` (ids
may hold any character; file names never do). A file is ``MAGIC`` + the SHA-256 of the
image + the image: written to a temporary file in the same folder and renamed over the
final name, so a reader sees a whole file or none. A file that is missing, truncated or
altered fails the checksum on read, is removed, and the caller fetches the image again.

The folder is bounded by ``max_bytes``: past it the least recently used files go (a read
refreshes the file's time, so the order survives a restart). ``pin`` keeps a file while a
layer draped from it is on the map. One lock guards the index; file reads and writes run
outside it, so 2-4 threads proceed in parallel. ``image_offset`` lets GDAL read the image
in place (``/vsisubfile/<offset>,<path>``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Optional

from ..errors import StorageError

LOGGER = logging.getLogger(__name__)

MAGIC = b"NQL1"
_DIGEST = 32
#: where the image starts in a cache file
HEADER_SIZE = len(MAGIC) + _DIGEST
SUFFIX = ".qlk"
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


def quicklook_key(provider: str, capture_id: str) -> str:
    return f"{provider}:{capture_id}"


class QuicklookCache:
    def __init__(self, folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._index: OrderedDict[str, int] = OrderedDict()  # file name -> size, oldest first
        self._pinned: set[str] = set()
        self._total = 0
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot create the quicklook cache folder {self.folder}: {exc}") from exc
        self._scan()

    # ------------------------------------------------------------------ index
    def _scan(self) -> None:
        found: list[tuple[float, str, int]] = []
        for entry in os.scandir(self.folder):
            if not entry.is_file():
                continue
            if entry.name.endswith(".tmp"):  # left by a crash between write and rename
                self._unlink(Path(entry.path))
            elif entry.name.endswith(SUFFIX):
                stat = entry.stat()
                found.append((stat.st_mtime, entry.name, stat.st_size))
        for _, name, size in sorted(found):
            self._index[name] = size
            self._total += size
        with self._lock:
            self._evict_locked()

    @staticmethod
    def file_name(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + SUFFIX

    def path(self, key: str) -> Path:
        return self.folder / self.file_name(key)

    @property
    def total_bytes(self) -> int:
        with self._lock:
            return self._total

    def __len__(self) -> int:
        with self._lock:
            return len(self._index)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        with self._lock:
            return self.file_name(key) in self._index

    # ------------------------------------------------------------------ read / write
    def get(self, key: str) -> Optional[bytes]:
        """The image, or None when it is not cached or its file is damaged (then removed)."""
        name = self.file_name(key)
        path = self.folder / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self._forget(name)
            return None
        except OSError as exc:
            LOGGER.warning("Quicklook cache file %s unreadable (%s): fetching it again", name, exc)
            self._drop(name)
            return None
        image = self._check(data)
        if image is None:
            LOGGER.warning("Quicklook cache file %s is damaged: fetching it again", name)
            self._drop(name)
            return None
        with self._lock:
            if name in self._index:
                self._index.move_to_end(name)
            else:  # written by another cache on the same folder
                self._index[name] = len(data)
                self._total += len(data)
        try:
            os.utime(path)
        except OSError:
            LOGGER.debug("Could not touch %s", name)
        return image

    def valid_path(self, key: str) -> Optional[Path]:
        """The cache file of ``key`` if it holds a whole image (for GDAL to read in place)."""
        return self.path(key) if self.get(key) is not None else None

    @staticmethod
    def _check(data: bytes) -> Optional[bytes]:
        if len(data) <= HEADER_SIZE or not data.startswith(MAGIC):
            return None
        image = data[HEADER_SIZE:]
        if hashlib.sha256(image).digest() != data[len(MAGIC) : HEADER_SIZE]:
            return None
        return image

    def put(self, key: str, image: bytes) -> Path:
        """Store ``image`` atomically; evicts the least recently used files past the cap."""
        if not image:
            raise ValueError("an empty quicklook is not cached")
        name = self.file_name(key)
        payload = MAGIC + hashlib.sha256(image).digest() + image
        try:
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=name + ".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(payload)
                os.replace(temp, self.folder / name)
            except BaseException:
                self._unlink(Path(temp))
                raise
        except OSError as exc:
            raise StorageError(f"Cannot write to the quicklook cache {self.folder}: {exc}") from exc
        with self._lock:
            self._total -= self._index.pop(name, 0)
            self._index[name] = len(payload)
            self._total += len(payload)
            self._evict_locked()
        return self.folder / name

    # ------------------------------------------------------------------ pins, eviction
    def pin(self, key: str) -> None:
        with self._lock:
            self._pinned.add(self.file_name(key))

    def unpin(self, key: str) -> None:
        with self._lock:
            self._pinned.discard(self.file_name(key))

    def _evict_locked(self) -> None:
        if self._total <= self.max_bytes:
            return
        for name in list(self._index):
            if self._total <= self.max_bytes:
                break
            if name in self._pinned:
                continue
            self._total -= self._index.pop(name)
            self._unlink(self.folder / name)

    def _forget(self, name: str) -> None:
        with self._lock:
            self._total -= self._index.pop(name, 0)

    def _drop(self, name: str) -> None:
        self._forget(name)
        self._unlink(self.folder / name)

    def discard(self, key: str) -> None:
        """Remove ``key``'s file (an answer that turned out not to be an image)."""
        self._drop(self.file_name(key))

    def clear(self) -> None:
        with self._lock:
            names = [n for n in self._index if n not in self._pinned]
            for name in names:
                self._total -= self._index.pop(name)
        for name in names:
            self._unlink(self.folder / name)

    @staticmethod
    def _unlink(path: Path) -> None:
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            LOGGER.warning("Could not remove %s from the quicklook cache: %s", path.name, exc)
