"""Unpacking a delivered zip (OneAtlas) safely: no path traversal, no absolute paths, no
links, limits on members and sizes, every file written under a temporary name of its own
(never one a member could have, never an existing file) and renamed only when complete and
CRC-checked.

Standard library only (Qt-free). A damaged archive raises :class:`InvalidResponse` naming
the provider, so the analyst is told to download it again (the caller deletes it). A
member Nadir cannot unpack while the archive itself is sound (encrypted, an unsupported
compression method, a file whose name is also a folder of the archive) is reported as a
:class:`MemberFailure` when the caller collects them, and the other members are unpacked.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Optional

from .. import errors
from ..errors import storage_error
from .plan import provider_title

Cancelled = Callable[[], bool]
#: progress(bytes_done, bytes_total)
Progress = Callable[[int, int], None]
BLOCK = 1024 * 1024
#: Compression methods Python's zipfile reads (bzip2 and lzma when Python has them).
METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
_ENCRYPTED = 0x1
#: OS errors of a path in the way (a file where a folder is needed, or the reverse).
_IN_THE_WAY = (errno.ENOTDIR, errno.EEXIST, errno.EISDIR)


@dataclass(frozen=True)
class Limits:
    max_members: int = 10_000
    max_total_bytes: int = 200 * 1024**3  # 200 GiB: a large Pléiades Neo bundle is tens of GiB
    max_ratio: float = 1000.0  # uncompressed / compressed per member: beyond it, a zip bomb


@dataclass(frozen=True)
class Member:
    info: zipfile.ZipInfo
    relative: PurePosixPath  # where it goes under the destination folder

    @property
    def size(self) -> int:
        return self.info.file_size


@dataclass(frozen=True)
class MemberFailure:
    """A member left out of the unpacking, and why (said for the analyst)."""

    name: str
    reason: str


def _refuse(archive: Path, provider: str, what: str) -> errors.InvalidResponse:
    return errors.InvalidResponse(
        f"The delivery archive {archive.name} from {provider_title(provider)} {what}, so Nadir did not unpack "
        f"it. Download the order again; if this persists, contact the provider.",
        provider=provider,
        endpoint="delivery.zip",
    )


def safe_relative(name: str) -> Optional[PurePosixPath]:
    """The member's path if it stays inside the destination, else None.

    Rejects absolute paths (``/x``, ``\\\\server\\x``), drive letters (``C:x``), ``..``
    segments and empty names; backslashes count as separators (zips made on Windows)."""
    text = name.replace("\\", "/")
    if not text or text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    if any(":" in p or "\x00" in p for p in parts):  # alternate data streams, NUL tricks
        return None
    return PurePosixPath(*parts)


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode) if mode else False


def unreadable_reason(info: zipfile.ZipInfo) -> Optional[str]:
    """Why this member cannot be unpacked by Nadir, or None."""
    if info.flag_bits & _ENCRYPTED:
        return "it is encrypted (password-protected), which Nadir cannot unpack"
    if info.compress_type not in METHODS:
        return f"it uses a compression method Nadir cannot unpack (zip method {info.compress_type})"
    return None


def _leave_out(failures: Optional[list[MemberFailure]], archive: Path, provider: str, name: str, reason: str) -> None:
    if failures is None:
        raise _refuse(archive, provider, f"holds {name!r}, which Nadir cannot unpack: {reason}")
    failures.append(MemberFailure(name, reason))


def check_members(
    infos: list[zipfile.ZipInfo],
    archive: Path,
    provider: str,
    limits: Limits = Limits(),
    failures: Optional[list[MemberFailure]] = None,
) -> list[Member]:
    """The files to extract, or :class:`InvalidResponse` saying what is wrong.

    Members that cannot be unpacked from a sound archive go to ``failures`` when given
    (else they refuse the archive)."""
    if len(infos) > limits.max_members:
        raise _refuse(archive, provider, f"holds {len(infos)} entries (more than {limits.max_members})")
    members: list[Member] = []
    total = 0
    seen: set[str] = set()
    for info in infos:
        relative = safe_relative(info.filename)
        if relative is None:
            raise _refuse(archive, provider, f"contains an entry with an unsafe path ({info.filename!r})")
        if _is_link(info):
            raise _refuse(archive, provider, f"contains a link ({info.filename!r})")
        if info.is_dir():
            continue
        key = str(relative).lower()
        if key in seen:
            raise _refuse(archive, provider, f"contains {info.filename!r} twice")
        seen.add(key)
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            raise _refuse(archive, provider, f"contains an entry that expands suspiciously ({info.filename!r})")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _refuse(archive, provider, f"would expand to more than {limits.max_total_bytes // 1024**3} GiB")
        reason = unreadable_reason(info)
        if reason is not None:
            _leave_out(failures, archive, provider, info.filename, reason)
            continue
        members.append(Member(info, relative))
    folders = {str(p).lower() for m in members for p in m.relative.parents if str(p) != "."}
    kept = []
    for member in members:
        if str(member.relative).lower() in folders:  # "x" and "x/y.tif": the folder's files are kept
            _leave_out(
                failures,
                archive,
                provider,
                member.info.filename,
                "its name is also the name of a folder in the archive",
            )
            continue
        kept.append(member)
    if not kept and not failures:
        raise _refuse(archive, provider, "is empty")
    return kept


def _temporary(target: Path) -> tuple[Path, int]:
    """A new, empty file next to ``target`` with a name of its own (O_EXCL: an existing
    file, such as another member or a download's ``.part``, is never opened)."""
    while True:
        path = target.with_name(f".{target.name}.{secrets.token_hex(6)}.nadir-unzip")
        try:
            return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue


def _remove(path: Optional[Path]) -> None:
    if path is None:
        return
    try:
        path.unlink(missing_ok=True)
    except OSError:  # a path that is no longer there, or never could be: nothing of ours to remove
        return


def extract(
    archive: Path,
    destination: Path,
    provider: str,
    *,
    progress: Optional[Progress] = None,
    cancelled: Cancelled = lambda: False,
    limits: Limits = Limits(),
    failures: Optional[list[MemberFailure]] = None,
) -> list[Path]:
    """Extract ``archive`` into ``destination``; return the files written.

    Raises :class:`InvalidResponse` for a damaged or unsafe archive, :class:`StorageError`
    for disk problems (space checked before starting), :class:`OperationCancelled`. With
    ``failures``, members that cannot be unpacked are listed there and the others are
    unpacked; without it, such a member refuses the archive."""
    try:
        handle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise _refuse(archive, provider, f"is damaged ({exc})") from None
    except OSError as exc:
        raise storage_error(exc, archive) from None
    written: list[Path] = []
    with handle:
        members = check_members(handle.infolist(), archive, provider, limits, failures)
        total = sum(m.size for m in members)
        try:
            destination.mkdir(parents=True, exist_ok=True)
            free = shutil.disk_usage(destination).free
        except OSError as exc:
            raise storage_error(exc, destination) from None
        if total > free:
            raise errors.StorageError(
                f"There is not enough disk space to unpack {archive.name} in {destination} ({total // 1024**2} MiB "
                f"needed, {free // 1024**2} MiB free). Free some space or choose another download folder in "
                f"Settings > Options > Nadir."
            )
        done = 0
        root = destination.resolve()
        for member in members:
            target = destination.joinpath(*member.relative.parts)
            if root not in target.resolve().parents:  # a symlinked folder inside the destination
                raise _refuse(archive, provider, f"would write outside its folder ({member.info.filename!r})")
            part: Optional[Path] = None
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                part, descriptor = _temporary(target)
                with os.fdopen(descriptor, "wb") as sink, handle.open(member.info) as source:
                    while True:
                        if cancelled():
                            raise errors.OperationCancelled()
                        block = source.read(BLOCK)
                        if not block:
                            break
                        sink.write(block)
                        done += len(block)
                        if progress:
                            progress(done, total)
                os.replace(part, target)
            except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
                _remove(part)
                raise _refuse(archive, provider, f"is damaged ({exc})") from None
            except (RuntimeError, NotImplementedError) as exc:  # encrypted, a method zipfile lacks
                _remove(part)
                _leave_out(failures, archive, provider, member.info.filename, f"Nadir cannot unpack it ({exc})")
                continue
            except OSError as exc:
                _remove(part)
                if exc.errno in _IN_THE_WAY and failures is not None:
                    failures.append(
                        MemberFailure(
                            member.info.filename, f"a file or folder of that name is in the way in {destination.name}"
                        )
                    )
                    continue
                raise storage_error(exc, target) from None
            except BaseException:
                _remove(part)
                raise
            written.append(target)
    return written
