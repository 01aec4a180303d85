"""Body reading pieces of :class:`providers.http.HttpSession`: a whole body or its lines
read chunk by chunk (as the bytes arrive, so a deadline and cancellation are checked
between network reads, never after a buffer of fixed size fills), writing a body to a
``.part`` file (appending on 206), checking size and checksum, disk errors in words."""

from __future__ import annotations

import codecs
import hashlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Optional

import httpx

from ...core import errors
from ...core.errors import storage_error
from ...core.ports import Cancelled, Progress

LOGGER = logging.getLogger(__name__)
BLOCK = 256 * 1024

#: ``invalid(what, status)`` builds the session's InvalidResponse for this download.
Invalid = Callable[[str, Optional[int]], errors.InvalidResponse]
#: ``check(done)`` after each chunk with the bytes received so far: raises to stop
#: (deadline passed, transfer stalled, task cancelled).
Check = Callable[[int], None]


def read_whole(response: httpx.Response, check: Check) -> httpx.Response:
    """Read a streamed response's body chunk by chunk, calling ``check`` after each, and
    return a response holding it (``content``, ``json()``, ``elapsed`` as usual). The
    streamed response is closed in every case."""
    try:
        body = response.content  # a transport that built its response whole has read it already
    except httpx.ResponseNotRead:
        pass
    else:
        response.close()
        check(len(body))
        return response
    chunks: list[bytes] = []
    done = 0
    try:
        for chunk in response.iter_raw():
            chunks.append(chunk)
            done += len(chunk)
            check(done)
    finally:
        response.close()
    whole = httpx.Response(
        response.status_code,
        headers=response.headers,
        content=b"".join(chunks),
        request=response.request,
        extensions=response.extensions,
    )
    whole.elapsed = response.elapsed
    return whole


def iter_body_lines(response: httpx.Response, check: Check) -> Iterator[str]:
    """The lines of a streamed body as they complete, calling ``check`` after each network
    chunk (httpx's ``iter_lines`` only returns when a whole line has arrived)."""
    decoder = codecs.getincrementaldecoder(response.encoding or "utf-8")(errors="replace")
    pending = ""
    done = 0
    for chunk in response.iter_bytes():
        done += len(chunk)
        check(done)
        pending += decoder.decode(chunk)
        if "\n" not in pending:
            continue
        *lines, pending = pending.split("\n")
        for line in lines:
            yield line.rstrip("\r")
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending.rstrip("\r")


def content_range(value: str) -> tuple[int, Optional[int]]:
    """``bytes start-end/total`` -> (start, total or None); (-1, None) if unreadable."""
    try:
        _, _, spec = value.partition(" ")
        span, _, total = spec.partition("/")
        start = int(span.split("-")[0])
        return start, (int(total) if total.strip().isdigit() else None)
    except ValueError:
        return -1, None


def write_body(
    response: httpx.Response,
    part: Path,
    offset: int,
    progress: Optional[Progress],
    cancelled: Cancelled,
    check: Check,
    invalid: Invalid,
) -> Optional[int]:
    """Write the body to ``part`` (append after ``offset`` on 206, from scratch on 200);
    return the full size when the server said it. Cancellation raises between chunks,
    which are written as they arrive; ``check(bytes_this_attempt)`` runs after each."""
    if response.status_code == 206:
        start, total = content_range(response.headers.get("content-range", ""))
        if start != offset:
            raise invalid(f"a partial file starting at byte {start}, not {offset}", 206)
        mode, done = "ab", offset
    else:
        length = response.headers.get("content-length")
        total = int(length) if length and length.isdigit() else None
        mode, done = "wb", 0
    if progress:
        progress(done, total)
    try:
        handle: IO[bytes]
        with open(part, mode) as handle:
            received = 0
            for chunk in response.iter_bytes():
                if cancelled():
                    raise errors.OperationCancelled()
                handle.write(chunk)
                done += len(chunk)
                received += len(chunk)
                if progress:
                    progress(done, total)
                check(received)
    except OSError as exc:
        raise storage_error(exc, part) from None
    return total


def verify_file(part: Path, expected_size: Optional[int], checksum: Optional[str], invalid: Invalid) -> None:
    """Size and ``"<algorithm>:<hex>"`` checksum; a failing file is deleted."""
    size = part.stat().st_size
    if expected_size is not None and size != expected_size:
        part.unlink()
        raise invalid(f"a file of {size} bytes where {expected_size} were announced", None)
    if not checksum:
        return
    algorithm, _, expected = checksum.partition(":")
    try:
        digest = hashlib.new(algorithm.lower().replace("-", ""))
    except ValueError:
        LOGGER.debug("unknown checksum algorithm %s: not verified", algorithm)
        return
    with open(part, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    if digest.hexdigest().lower() != expected.strip().lower():
        part.unlink()
        raise invalid(f"a file whose {algorithm} checksum does not match", None)
