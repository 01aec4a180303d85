"""The cart on disk: atomic writes, two good copies, recovery that never loses quietly.

File layout next to ``cart.json`` (DESIGN.md 6, "a corrupt or half-written cart ... is
recovered from its last good state, with nothing lost; writes are atomic"):

- ``cart.json``: the current generation;
- ``cart.json.bak``: the same generation, written right after ``cart.json``;
- ``cart.json.prev``: the generation before.

Every file is written to a temporary file in the same folder, flushed and fsynced, then
renamed over the target (atomic on POSIX and on NTFS), and the folder is fsynced. Each
document carries its generation number, the time it was saved and a SHA-256 checksum of
its cart, so a half-written or damaged file is recognised even when it is valid JSON.

On load the newest valid generation among those files (and any complete temporary file
a crash left behind) wins. If ``cart.json`` itself was damaged or missing, the damaged
file is moved aside to ``cart.json.damaged-<time>`` (never deleted), the recovered state
is written back at once, and :class:`Recovery` says which file was used, what it held
and whether anything may be missing. A cart is never emptied without such a report.

Two QGIS instances sharing one profile write the same file; the last save wins. The
project's copy of the cart (:func:`encode`/:func:`decode`) uses the same document format.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

from pydantic import ValidationError

from .cart import Cart, utcnow
from .errors import StorageError

LOGGER = logging.getLogger(__name__)

FORMAT = "nadir-cart"
VERSION = 1
_GENERATION = re.compile(rb'"generation"\s*:\s*(\d+)')


class Damaged(Exception):
    """A cart document that cannot be used; the message says why."""


@dataclass(frozen=True)
class Document:
    cart: Cart
    generation: int
    saved_at: Optional[datetime]


@dataclass(frozen=True)
class Recovery:
    """What happened when the cart file could not be used as it was."""

    damaged_file: Optional[Path]  # where the damaged file was moved, None if it was missing
    reason: str  # why cart.json could not be used
    source: Optional[Path]  # the file the cart was recovered from, None if nothing was usable
    items: int
    saved_at: Optional[datetime]
    complete: bool  # the recovered generation is the damaged file's (nothing lost)

    @property
    def message(self) -> str:
        where = f" It was kept as {self.damaged_file.name} in {self.damaged_file.parent}." if self.damaged_file else ""
        if self.source is None:
            return (f"The saved cart could not be read ({self.reason}) and no good copy was found, so the cart "
                    f"starts empty.{where} Nothing was deleted.")
        when = self.saved_at.astimezone().strftime("%Y-%m-%d %H:%M") if self.saved_at else "an unknown time"
        lost = (" Nothing was lost." if self.complete else
                " Changes made after that save may be missing; look through the cart before checking out.")
        return (f"The saved cart could not be read ({self.reason}). Nadir restored it from {self.source.name}, "
                f"saved {when}, with {self.items} item(s).{lost}{where}")


# --------------------------------------------------------------------------- documents
def _checksum(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def encode(cart: Cart, generation: int, saved_at: Optional[datetime] = None) -> str:
    """The cart as a self-checking JSON document (header first, so a cut file shows it)."""
    payload = cart.model_dump(mode="json")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "generation": generation,
        "saved_at": (saved_at or utcnow()).isoformat(),
        "checksum": _checksum(payload),
        "cart": payload,
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def decode(text: str | bytes) -> Document:
    """Parse and check a cart document; raises :class:`Damaged` saying what is wrong."""
    if not text:
        raise Damaged("the file is empty")
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Damaged(f"it is cut short or not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Damaged("it is not a Nadir cart file")
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise Damaged(f"it was written by a newer Nadir (format version {document.get('version')})")
    payload = document.get("cart")
    if not isinstance(payload, dict) or document.get("checksum") != _checksum(payload):
        raise Damaged("its checksum does not match: the content was changed or damaged")
    try:
        cart = Cart.model_validate(payload)
    except ValidationError as exc:
        raise Damaged(f"its content is not a valid cart ({exc.error_count()} problem(s))") from None
    generation = document.get("generation")
    saved_at = document.get("saved_at")
    return Document(
        cart=cart,
        generation=generation if isinstance(generation, int) else 0,
        saved_at=datetime.fromisoformat(saved_at) if isinstance(saved_at, str) else None,
    )


def _damaged_generation(data: bytes) -> Optional[int]:
    match = _GENERATION.search(data[:4096])
    return int(match.group(1)) if match else None


# --------------------------------------------------------------------------- files
def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that ``path`` is always either old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class CartStore:
    """Loads and saves the cart at ``path`` (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.generation = 0

    @property
    def backup(self) -> Path:
        return self.path.with_name(self.path.name + ".bak")

    @property
    def previous(self) -> Path:
        return self.path.with_name(self.path.name + ".prev")

    def _leftovers(self) -> list[Path]:
        if not self.path.parent.is_dir():
            return []
        return sorted(self.path.parent.glob(f".{self.path.name}*.tmp"))

    # -- load -------------------------------------------------------------------------
    def load(self) -> tuple[Cart, Optional[Recovery]]:
        """The newest good cart, and a :class:`Recovery` if ``cart.json`` was not usable."""
        primary_problem: Optional[str] = None
        primary_generation: Optional[int] = None
        candidates: list[tuple[int, int, Path, Document]] = []
        for rank, path in enumerate([self.path, self.backup, self.previous, *self._leftovers()]):
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                if path == self.path:
                    primary_problem = "the file is missing"
                continue
            except OSError as exc:
                if path == self.path:
                    primary_problem = f"it cannot be read: {exc.strerror or exc}"
                continue
            try:
                document = decode(data)
            except Damaged as exc:
                if path == self.path:
                    primary_problem = str(exc)
                    primary_generation = _damaged_generation(data)
                LOGGER.info("Cart file %s is not usable: %s", path, exc)
                continue
            candidates.append((document.generation, -rank, path, document))

        for leftover in self._leftovers():
            leftover.unlink(missing_ok=True)
        if not candidates:
            if primary_problem is None or primary_problem == "the file is missing":
                if any(p.exists() for p in (self.backup, self.previous)):
                    return Cart(), self._recover(None, "the file is missing and its copies are damaged")
                return Cart(), None  # first start: no cart saved yet
            self.generation = primary_generation or 0
            return Cart(), self._recover(None, primary_problem)

        generation, _, source, best = max(candidates, key=lambda c: (c[0], c[1]))
        self.generation = generation
        if source == self.path:
            return best.cart, None
        if primary_problem is None:  # primary fine but older: a crash interrupted a save
            LOGGER.info("Cart restored from %s (generation %d), newer than %s", source.name, generation, self.path)
            self.save(best.cart)
            return best.cart, None
        complete = primary_generation is not None and generation >= primary_generation
        if primary_problem == "the file is missing":
            complete = True  # nothing newer existed anywhere
        recovery = self._recover(best, primary_problem, source=source, complete=complete)
        return best.cart, recovery

    def _recover(self, document: Optional[Document], reason: str, *, source: Optional[Path] = None,
                 complete: bool = False) -> Recovery:
        damaged: Optional[Path] = None
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        if self.path.exists():
            damaged = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
            os.replace(self.path, damaged)
        if document is None:  # the copies are damaged too: keep them out of the next save's way
            for copy in (self.backup, self.previous):
                if copy.exists():
                    os.replace(copy, copy.with_name(f"{copy.name}.damaged-{stamp}"))
        if document is not None:
            self.save(document.cart)
        recovery = Recovery(
            damaged_file=damaged, reason=reason, source=source,
            items=len(document.cart) if document else 0,
            saved_at=document.saved_at if document else None, complete=complete,
        )
        LOGGER.warning("%s", recovery.message)
        return recovery

    # -- save -------------------------------------------------------------------------
    def save(self, cart: Cart) -> None:
        """Write the next generation: ``.bak`` -> ``.prev``, then ``cart.json``, then ``.bak``."""
        generation = self.generation + 1
        text = encode(cart, generation)
        try:
            if self.backup.exists():
                os.replace(self.backup, self.previous)
            write_atomic(self.path, text)
            write_atomic(self.backup, text)
        except OSError as exc:
            raise StorageError(
                f"The cart could not be saved to {self.path} ({exc.strerror or exc}). Check that the folder is "
                f"writable and the disk is not full; the cart in this session is unchanged.",
                details=str(exc),
            ) from exc
        self.generation = generation
