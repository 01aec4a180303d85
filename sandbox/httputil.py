"""Small request helpers shared by the provider modules (no third-party form parser)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request


class BodyError(ValueError):
    """The body is not what the endpoint accepts; the message says why."""


async def read_form(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body as a dict (last value wins)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise BodyError("the body must be application/x-www-form-urlencoded")
    raw = (await request.body()).decode("utf-8", "replace")
    return dict(parse_qsl(raw, keep_blank_values=True))


async def read_json(request: Request, *, allowed_types: tuple[str, ...] = ("application/json",)) -> Any:
    """The JSON body; ``BodyError`` if the content type or the JSON is wrong."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in allowed_types:
        raise BodyError(f"Content-Type must be {' or '.join(allowed_types)}, got {content_type or 'none'}")
    raw = await request.body()
    if not raw.strip():
        raise BodyError("the request body is empty")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BodyError(f"the body is not valid JSON ({exc})") from None


async def admin_json(request: Request) -> dict[str, Any]:
    """The JSON object body of a ``/_sandbox`` admin call (422 otherwise)."""
    try:
        body = await request.json()
    except ValueError:
        raise HTTPException(422, "a JSON object is expected") from None
    if not isinstance(body, dict):
        raise HTTPException(422, "a JSON object is expected")
    return body


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, the bytes the sandbox sends (and stores for replays)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
