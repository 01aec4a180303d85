"""File responses that honour a single HTTP ``Range`` on any method, so downloads resume.

Starlette's FileResponse answers ranges for GET and HEAD only, while ClearSKY serves its
GeoTIFFs from POST endpoints (ClearSKY's API reference: ``/process/composite``,
``/process/tile`` and ``/process/minitile`` answer with a binary GeoTIFF); a client resuming
such a download repeats the POST with ``Range: bytes=N-``. One range per request (no
multipart).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from fastapi import Request
from fastapi.responses import Response, StreamingResponse

CHUNK = 256 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$")


def file_response(
    request: Request, path: Path, media_type: str, filename: str | None = None, status_code: int = 200
) -> Response:
    size = path.stat().st_size
    etag = f'"{int(path.stat().st_mtime_ns):x}-{size:x}"'
    headers = {"accept-ranges": "bytes", "etag": etag}
    if filename:
        headers["content-disposition"] = f'attachment; filename="{filename}"'
    start, end = 0, size - 1
    requested = request.headers.get("range")
    if_range = request.headers.get("if-range")
    partial = requested is not None and (if_range is None or if_range == etag)
    if partial:
        match = _RANGE.match(requested or "")
        if not match or (match.group(1) == "" and match.group(2) == ""):
            return Response(status_code=416, headers={"content-range": f"bytes */{size}"})
        first, last = match.group(1), match.group(2)
        if first == "":  # suffix range: the last N bytes
            start, end = max(0, size - int(last)), size - 1
        else:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        if start >= size or start > end:
            return Response(status_code=416, headers={"content-range": f"bytes */{size}"})
        headers["content-range"] = f"bytes {start}-{end}/{size}"
        status_code = 206
    headers["content-length"] = str(end - start + 1)
    return StreamingResponse(_read(path, start, end), status_code=status_code, media_type=media_type, headers=headers)


async def _read(path: Path, start: int, end: int) -> AsyncIterator[bytes]:
    async with await anyio.open_file(path, "rb") as handle:
        await handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = await handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
