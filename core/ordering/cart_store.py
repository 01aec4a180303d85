"""The cart on disk: atomic writes, two good copies, recovery that never loses quietly.

File layout next to ``cart.json`` (a corrupt or half-written cart is
recovered from its last good state, with nothing lost; writes are atomic):

- ``cart.json``: the current generation;
- ``cart.json.bak``: the same generation, written right after ``cart.json``;
- ``cart.json.prev``: the generation before.

Every file is written to a temporary file in the same folder, flushed and fsynced, then
renamed over the target (atomic on POSIX and on NTFS), and the folder is fsynced. Each
document carries its generation number, the time it was saved and a SHA-256 checksum of
its cart, so a half-written or damaged file is recognised even when it is valid JSON.

On load the newest valid generation among those files wins; a complete temporary file
a crash left behind is used only if it holds exactly the next generation (a save cut
before its rename), any other is set aside as ``cart.json.unused-<time>`` and never
taken for the cart. A header that cannot be read (time, generation, version) is damage
like a bad checksum. If ``cart.json`` itself was damaged or missing, the damaged
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

from ..errors import StorageError
from .cart import Cart, utcnow

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
            return (
                f"The saved cart could not be read ({self.reason}) and no good copy was found, so the cart "
                f"starts empty.{where} Nothing was deleted."
            )
        when = self.saved_at.astimezone().strftime("%Y-%m-%d %H:%M") if self.saved_at else "an unknown time"
        lost = (
            " Nothing was lost."
            if self.complete
            else " Changes made after that save may be missing; look through the cart before checking out."
        )
        return (
            f"The saved cart could not be read ({self.reason}). Nadir restored it from {self.source.name}, "
            f"saved {when}, with {self.items} item(s).{lost}{where}"
        )


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
    """Parse and check a cart document; raises :class:`Damaged` saying what is wrong.

    Every part must be readable: the header (format, version, generation, saved_at,
    checksum) as well as the cart. A header that cannot be read is damage like any other,
    so the loader falls back to a good copy instead of failing (issue 15)."""
    if not text:
        raise Damaged("the file is empty")
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Damaged(f"it is cut short or not JSON: {exc}") from None
    except RecursionError:
        raise Damaged("it is not a Nadir cart file (nested too deeply)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Damaged("it is not a Nadir cart file")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Damaged(f"its format version cannot be read ({version!r})")
    if version > VERSION:
        raise Damaged(f"it was written by a newer Nadir (format version {version})")
    generation = document.get("generation")
    if not isinstance(generation, int) or isinstance(generation, bool) or generation < 0:
        raise Damaged(f"its generation number cannot be read ({generation!r})")
    saved_at = _saved_at(document.get("saved_at"))
    payload = document.get("cart")
    if not isinstance(payload, dict) or document.get("checksum") != _checksum(payload):
        raise Damaged("its checksum does not match: the content was changed or damaged")
    try:
        cart = Cart.model_validate(payload)
    except ValidationError as exc:
        raise Damaged(f"its content is not a valid cart ({exc.error_count()} problem(s))") from None
    except RecursionError:
        raise Damaged("its content is not a valid cart (nested too deeply)") from None
    return Document(cart=cart, generation=generation, saved_at=saved_at)


def _saved_at(value: Any) -> datetime:
    """The header's save time; :class:`Damaged` unless it is an ISO time with a time zone."""
    try:
        if not isinstance(value, str):
            raise TypeError(type(value).__name__)
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("no time zone")
        moment.astimezone()  # the report shows it in local time; out-of-range years fail here
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise Damaged(f"its save time cannot be read ({exc})") from None
    return moment


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
        """Temporary files of :func:`write_atomic` next to the cart (a crash can leave one)."""
        if not self.path.parent.is_dir():
            return []
        return sorted(self.path.parent.glob(f".{self.path.name}.*.tmp"))

    def _read(self, path: Path) -> tuple[Optional[Document], Optional[str], Optional[int]]:
        """(document, problem, generation seen in a damaged file) of one file."""
        try:
            if not path.is_file():
                return None, "the file is missing" if not path.exists() else "it is not a file", None
            data = path.read_bytes()
        except OSError as exc:
            return None, f"it cannot be read: {exc.strerror or exc}", None
        try:
            return decode(data), None, None
        except Damaged as exc:
            LOGGER.info("Cart file %s is not usable: %s", path, exc)
            return None, str(exc), _damaged_generation(data)

    def _clear_leftovers(self, leftovers: list[Path], keep: tuple[Path, ...] = ()) -> None:
        """Delete half-written temporary files; a well-formed one that was not used is kept
        as ``cart.json.unused-<time>`` (never deleted, never read again)."""
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        for number, leftover in enumerate(leftovers):
            try:
                if not leftover.is_file() or leftover.is_symlink():
                    continue
                if leftover in keep:
                    os.replace(leftover, self.path.with_name(f"{self.path.name}.unused-{stamp}-{number}"))
                else:
                    leftover.unlink()
            except OSError as exc:  # a stray file we cannot remove is harmless: it is never read as the cart
                LOGGER.info("Could not remove the leftover file %s: %s", leftover, exc)

    # -- load -------------------------------------------------------------------------
    def load(self) -> tuple[Cart, Optional[Recovery]]:
        """The newest good cart, and a :class:`Recovery` if ``cart.json`` was not usable.

        A temporary file left by a crash is used only when it holds exactly the next
        generation after the newest good file (a save interrupted before its rename); any
        other leftover, however well formed, is never taken for the cart (issue 15)."""
        primary_problem: Optional[str] = None
        primary_generation: Optional[int] = None
        candidates: list[tuple[int, int, Path, Document]] = []
        for rank, path in enumerate([self.path, self.backup, self.previous]):
            document, problem, seen = self._read(path)
            if path == self.path:
                primary_problem, primary_generation = problem, seen
            if document is not None:
                candidates.append((document.generation, -rank, path, document))
        leftovers = self._leftovers()
        newest = max((c[0] for c in candidates), default=0)
        unused: list[Path] = []
        for rank, leftover in enumerate(leftovers, start=3):
            document, _, _ = self._read(leftover)
            if document is not None and document.generation == newest + 1:
                candidates.append((document.generation, -rank, leftover, document))
            elif document is not None:
                unused.append(leftover)
                LOGGER.warning(
                    "Ignored %s: generation %d does not follow the saved cart's %d",
                    leftover,
                    document.generation,
                    newest,
                )
        keep = tuple(unused)
        if not candidates:
            self._clear_leftovers(leftovers, keep)
            if primary_problem is None or primary_problem == "the file is missing":
                if any(p.exists() for p in (self.backup, self.previous)):
                    return Cart(), self._recover(None, "the file is missing and its copies are damaged")
                return Cart(), None  # first start: no cart saved yet
            self.generation = primary_generation or 0
            return Cart(), self._recover(None, primary_problem)

        generation, _, source, best = max(candidates, key=lambda c: (c[0], c[1]))
        self.generation = generation
        if source == self.path:
            self._clear_leftovers(leftovers, keep)
            return best.cart, None
        if primary_problem is None:  # primary fine but older: a crash interrupted a save
            LOGGER.info("Cart restored from %s (generation %d), newer than %s", source.name, generation, self.path)
            self.save(best.cart)
            self._clear_leftovers(leftovers, keep)
            return best.cart, None
        complete = primary_generation is not None and generation >= primary_generation
        if primary_problem == "the file is missing":
            complete = True  # nothing newer existed anywhere
        recovery = self._recover(best, primary_problem, source=source, complete=complete)
        self._clear_leftovers(leftovers, keep)
        return best.cart, recovery

    def _recover(
        self, document: Optional[Document], reason: str, *, source: Optional[Path] = None, complete: bool = False
    ) -> Recovery:
        damaged: Optional[Path] = None
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        try:
            if self.path.exists() or self.path.is_symlink():
                damaged = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
                os.replace(self.path, damaged)
            if document is None:  # the copies are damaged too: keep them out of the next save's way
                for copy in (self.backup, self.previous):
                    if copy.exists():
                        os.replace(copy, copy.with_name(f"{copy.name}.damaged-{stamp}"))
            if document is not None:
                self.save(document.cart)
        except (OSError, StorageError) as exc:  # the recovered cart is in memory; the next save tries again
            LOGGER.warning("The recovered cart could not be written back to %s: %s", self.path, exc)
        recovery = Recovery(
            damaged_file=damaged,
            reason=reason,
            source=source,
            items=len(document.cart) if document else 0,
            saved_at=document.saved_at if document else None,
            complete=complete,
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
